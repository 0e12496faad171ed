"""Census panel at 2015 boundaries (derived hollow-japan copy)."""

from __future__ import annotations

import math

import pytest

from hokuriku.errors import LayoutError, RawDataError
from hokuriku.sources import census_panel


def test__parse__excerpt(fixture_path):
    df = census_panel.parse(fixture_path("census_panel/built_pop_wide_en_jp_excerpt.csv"))
    s = df.set_index(["muni_code", "year"])
    assert s.loc[("01100", 2020), "population_persons"] == 1973395
    assert s.loc[("16201", 1980), "population_persons"] == 391554
    assert sorted(df["year"].unique()) == list(range(1980, 2021, 5))


def test__parse__r_na_is_nan_with_reason(fixture_path):
    s = census_panel.parse(fixture_path("census_panel/built_pop_wide_en_jp_excerpt.csv")).set_index(["muni_code", "year"])
    assert math.isnan(s.loc[("04423", 2020), "population_persons"]) and s.loc[("04423", 2020), "value_note"] == "not_available"
    assert s.loc[("13381", 2000), "value_note"] == "not_available"


def test__parse__scientific_and_fullwidth_numbers(tmp_path, fixture_path):
    text = fixture_path("census_panel/built_pop_wide_en_jp_excerpt.csv").read_text()
    p = tmp_path / "x.csv"
    p.write_text(text.replace('"391554"', '"1e+05"').replace('"401070"', '"４０１０７０"'))
    s = census_panel.parse(p).set_index(["muni_code", "year"])["population_persons"]
    assert s[("16201", 1980)] == 100000 and s[("16201", 1985)] == 401070


def test__parse__bad_cell_header_and_short_row(tmp_path, fixture_path):
    text = fixture_path("census_panel/built_pop_wide_en_jp_excerpt.csv").read_text()
    p = tmp_path / "x.csv"
    p.write_text(text.replace('"391554"', '"n/a?"'))
    with pytest.raises(RawDataError, match="n/a"):
        census_panel.parse(p)
    p.write_text(text.replace("totalpop1995", "pop1995"))
    with pytest.raises(LayoutError, match="totalpop1995"):
        census_panel.parse(p)
    p.write_text(text.rsplit(",", 2)[0] + "\n")
    with pytest.raises(RawDataError, match="fields per row"):
        census_panel.parse(p)


def test__load__full_panel(raw):
    raw("census_panel", "2020", census_panel.FILENAME)
    df = census_panel.load()
    assert df["muni_code"].nunique() == 1741
