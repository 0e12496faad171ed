"""Source tests of hokuriku.sources.ssds_iwate (fixture: fixtures/ssds_iwate/README.md)."""

import numpy as np
import pytest

from hokuriku import manifest
from hokuriku.errors import ChecksumError, EncodingError, LayoutError, RawDataError
from hokuriku.sources import ssds_iwate

EXCERPT = "ssds_iwate/iwate_ssds_excerpt.csv"


def test__parse__units_levels_and_blanks(fixture_path):
    df = ssds_iwate.parse(fixture_path(EXCERPT)).set_index(["muni_code", "year"])
    assert df.loc[("03206", 2012), "shipments_jpy_million"] == 347683
    assert df.loc[("03206", 2012), "employees"] == 12679
    assert df.loc[("03000", 2012), "area_level"] == "prefecture"
    assert df.loc[("03206", 2012), "area_level"] == "municipality"
    assert np.isnan(df.loc[("03206", 2015), "establishments"])
    assert df.loc[("03206", 2015), "value_note"] == "establishments=blank; employees=blank"
    assert df.loc[("03206", 2024), "value_note"] == "shipments_jpy_million=blank"
    assert df.loc[("03206", 2012), "value_note"] is None
    assert df.loc[("03000", 2012), "taxable_income_jpy_thousand"] == 1272447206


def test__parse__bad_inputs(fixture_path, tmp_path):
    text = fixture_path(EXCERPT).read_text(encoding="utf-8")
    cases = {
        "renamed.csv": (text.replace("mfg_shipment", "shipment", 1), LayoutError, "header 'mfg_shipment'"),
        "symbol.csv": (text.replace("347683", "3476８3?", 1), RawDataError, "row 5, column 'mfg_shipment'"),
        "code.csv": (text.replace("\n03206,2012", "\n16201,2012", 1), RawDataError, "code of prefecture 03"),
        "cut.csv": (text[:-10], RawDataError, "8 fields per row"),
    }
    for name, (content, error, match) in cases.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        with pytest.raises(error, match=match):
            ssds_iwate.parse(path)
    sjis = tmp_path / "sjis.csv"
    sjis.write_bytes(text.replace("code", "コード", 1).encode("cp932"))
    with pytest.raises(EncodingError):
        ssds_iwate.parse(sjis)


def test__parse__symbols_become_nan_with_reason(fixture_path, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(fixture_path(EXCERPT).read_text(encoding="utf-8").replace("347683", "X", 1), encoding="utf-8")
    df = ssds_iwate.parse(path).set_index(["muni_code", "year"])
    assert np.isnan(df.loc[("03206", 2012), "shipments_jpy_million"])
    assert df.loc[("03206", 2012), "value_note"] == "shipments_jpy_million=suppressed"


def test__manifest__altered_copy_is_refused(fixture_path):
    entry = manifest.load("ssds_iwate", "2024").entry(ssds_iwate.FILENAME)
    with pytest.raises(ChecksumError):
        manifest.verify(fixture_path(EXCERPT), entry)
