"""Region resolution: names, codes, lists, 経済産業局 and ESRI blocks; never an implicit 北陸."""

from __future__ import annotations

import pytest

from hokuriku.codes import prefectures as P
from hokuriku.errors import ParameterError


@pytest.mark.parametrize(
    ("spec", "codes"),
    [
        ("HOKURIKU3", ("16", "17", "18")),
        ("北陸3県", ("16", "17", "18")),
        ("北陸4県", ("15", "16", "17", "18")),
        ("中部経済産業局", ("16", "17", "21", "23", "24")),
        ("近畿経済産業局", ("18", "25", "26", "27", "28", "29", "30")),
        ("ESRI:北海道・東北", ("01", "02", "03", "04", "05", "06", "07", "15")),
        ("富山", ("16",)),
        ("Fukui", ("18",)),
        (["17", "石川県"], ("17",)),
        ("16,18", ("16", "18")),
        (34, ("34",)),
    ],
)
def test__region__resolves(spec, codes):
    assert P.region(spec).pref_codes == codes


def test__region__list_matching_a_named_region_takes_its_name():
    assert P.region(["18", "16", "17"]).name_ja == "北陸3県"


def test__region__unknown_is_a_clear_error():
    with pytest.raises(ParameterError, match="Unknown region 'Hokuriku5'"):
        P.region("Hokuriku5")
    with pytest.raises(ParameterError, match="Unknown prefecture '48'"):
        P.region(["16", "48"])


def test__meti_bureaus_partition_the_47_prefectures():
    regions = P.named_regions()
    bureaus = [r for k, r in regions.items() if k.endswith("_METI")]
    codes = sorted(c for r in bureaus for c in r.pref_codes)
    assert codes == [f"{i:02d}" for i in range(1, 48)]
    esri = [r for k, r in regions.items() if k.startswith("ESRI_")]
    assert sorted(c for r in esri for c in r.pref_codes) == codes
    assert len(esri) == 7


def test__names():
    assert P.name_ja("16") == "富山県"
    assert P.short_name("17") == "石川"
    assert P.code_of("福井県") == "18"
    assert P.name_ja("00") == "全国"
