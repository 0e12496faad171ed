"""Golden: 国勢調査 2020 / 1980 and 住民基本台帳人口 2021 / 2022 totals, exactly."""

from __future__ import annotations

from functools import lru_cache

import pytest

from hokuriku.sources import census, juki
from tests.published.results import census as pub


@lru_cache(maxsize=None)
def _census(vintage: str, table: str):
    return census.TABLES[table](vintage)


@pytest.fixture
def census2020(raw):
    raw("census", "2020", "population_census_2020.csv")
    return _census("2020", "population")


def test__census_2020__toyama_by_sex_and_national(census2020):
    toyama = census2020[census2020["area_code"] == "16000"].set_index("sex")["population_persons"]
    assert toyama.to_dict() == pub.CENSUS_2020_BY_SEX["16"]
    national = census2020[(census2020["area_level"] == "national") & (census2020["sex"] == "total")]
    assert national["population_persons"].iloc[0] == pub.CENSUS_2020_NATIONAL
    pref = census2020[(census2020["area_level"] == "prefecture") & (census2020["sex"] == "total")]
    assert len(pref) == 47 and pref["population_persons"].sum() == pub.CENSUS_2020_NATIONAL


def test__census_2020_age5__totals_and_unknown(raw):
    raw("census", "2020", "population_census_2020_age5_sex.csv")
    df = _census("2020", "population_age5")
    total = df[(df["age_kind"] == "total") & (df["sex"] == "total") & (df["area_level"] == "prefecture")]
    total = total.set_index("pref_code")["population_persons"]
    assert {c: total[c] for c in pub.CENSUS_2020_AGE5_TOTAL} == pub.CENSUS_2020_AGE5_TOTAL
    assert total.sum() == pub.CENSUS_2020_NATIONAL
    unknown = df[(df["area_code"] == "16000") & (df["sex"] == "total") & (df["age_kind"] == "unknown")]
    assert unknown["population_persons"].iloc[0] == pub.CENSUS_2020_TOYAMA_AGE_UNKNOWN


def test__census_1980__prefectures_sum_to_the_published_total(raw):
    raw("census", "1980", "population_census_1980.csv")
    df = _census("1980", "population")
    pref = df[df["area_level"] == "prefecture"]
    assert len(pref) == 47 and pref["population_persons"].sum() == pub.CENSUS_1980_NATIONAL


@pytest.mark.parametrize("vintage", sorted(pub.JUKI_TOTAL))
def test__juki__prefecture_rows_sum_to_total(raw, vintage):
    raw("juki", vintage, f"juki_population_{vintage.split('_')[0]}_muni.csv")
    df = juki.load(vintage)
    total = df.loc[df["area_level"] == "national", "population_persons"].iloc[0]
    pref = df[df["area_level"] == "prefecture"].set_index("pref_code")["population_persons"]
    assert total == pub.JUKI_TOTAL[vintage] == pref.sum()
    assert {c: pref[c] for c in pub.JUKI_PREF[vintage]} == pub.JUKI_PREF[vintage]
