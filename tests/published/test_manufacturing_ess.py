"""Golden: 2025年経済構造実態調査（2024年実績）市区町村別 製造品出荷額等, sums as given in MANIFEST.md (Third pass).

Source ``ess_muni`` vintage 2024 (derived copy, 億円 at 0.1). Sums are of the published (non-秘匿) municipal and
ward values; designated-city rows (Σ wards, added by the loader) are excluded so nothing is counted twice.
"""

from __future__ import annotations

import os

import pytest

from hokuriku.plotting import formats
from hokuriku.sources import ess_muni


@pytest.fixture(scope="module")
def ess(request):
    from hokuriku import manifest
    from hokuriku.errors import MissingRawDataError

    try:
        manifest.path("ess_muni", "2024", ess_muni.FILENAME, download=False)
    except MissingRawDataError:
        strict = request.config.getoption("--strict-data-files") or os.environ.get("CI", "").lower() in ("1", "true")
        (pytest.fail if strict else pytest.skip)("raw data missing: ess_muni/2024")
    return ess_muni.load("2024")


def test__prefecture_sums_oku(ess):
    base = ess[ess["area_level"] != "designated_city"]
    sums = base.groupby("pref_code")["shipments_jpy_oku"].sum()
    assert {p: int(formats.round_half_up(sums[p], 0)) for p in ("16", "17", "18")} == {
        "16": 42_505, "17": 32_386, "18": 26_937}
    assert int(formats.round_half_up(base["shipments_jpy_oku"].sum(), 0)) == 3_815_826


def test__named_municipalities_and_counts(ess):
    s = ess.set_index("muni_code")
    assert s.loc["03206", "shipments_jpy_oku"] == 5704.0  # 北上市
    assert s.loc["23211", "shipments_jpy_oku"] == 212_096.8  # 豊田市
    base = ess[ess["area_level"] != "designated_city"]
    assert len(base) == 1898
    assert base["value_note"].value_counts().to_dict() == {"suppressed": 57, "absent_from_table": 22}
    assert (ess["area_level"] == "designated_city").sum() == 20
