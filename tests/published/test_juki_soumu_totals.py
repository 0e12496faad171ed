"""Golden: 住民基本台帳【総計】 (publisher's xlsx) — totals, 北陸3県, the seed's 人口・世帯数 rows, exactly."""

from __future__ import annotations

import pandas as pd
import pytest

from hokuriku.analysis import overview
from hokuriku.codes.prefectures import NATIONAL_CODE
from hokuriku.sources import juki
from tests.published.results import juki as pub

FILES = {
    v: [f"soumu_juki_R{int(v[:4]) - 2018}_{v}_{k}.xlsx" for k in ("municipality", "prefecture")]
    for v in ("2021-01-01", "2022-01-01", "2023-01-01", "2024-01-01", "2025-01-01")
}


@pytest.fixture
def juki_table(raw):
    def get(vintage: str, table: str) -> pd.DataFrame:
        for name in FILES.get(vintage, []):
            raw("juki", vintage, name)
        return juki.TABLES[table](vintage)

    return get


def test__2025__national_prefectures_and_hokuriku3(juki_table):
    key = ("juki", "2025-01-01")
    pop = juki_table("2025-01-01", "population")
    hh = juki_table("2025-01-01", "households")
    both = pop.merge(hh, on=juki.KEYS)
    top = both[both["area_level"].isin(["national", "prefecture"])].set_index("pref_code")
    assert tuple(top.loc[NATIONAL_CODE, ["population_persons", "households_count"]]) == pub.NATIONAL[key]
    for code, values in pub.PREFECTURES[key].items():
        assert tuple(top.loc[code, ["population_persons", "households_count"]]) == values
    region = top.loc[["16", "17", "18"], ["population_persons", "households_count"]].sum()
    assert tuple(region) == pub.HOKURIKU3[key]
    assert len(top) == 48 and top.drop(NATIONAL_CODE)["population_persons"].sum() == pub.NATIONAL[key][0]


def test__2025__municipal_spot_values(juki_table):
    key = ("juki", "2025-01-01")
    both = juki_table("2025-01-01", "population").merge(juki_table("2025-01-01", "households"), on=juki.KEYS)
    both = both.set_index("muni_code6")
    for code, (persons, households) in pub.MUNICIPALITIES[key].items():
        assert both.at[code, "population_persons"] == persons
        if households is not None:
            assert both.at[code, "households_count"] == households


def test__2025__seed_rows_of_the_regional_summary(juki_table):
    """The seed's 人口 and 世帯数 rows, through the same functions notebook 10 uses."""
    pop = overview.population_by_prefecture(juki_table("2025-01-01", "population"))
    hh = overview.juki_households_by_prefecture(juki_table("2025-01-01", "households"))
    values = pd.concat([
        overview.label_item(pop, item="人口", ref_label="2025/1/1", unit_ja="千人", divisor=1_000, source_ja="住基"),
        overview.label_item(hh, item="世帯数", ref_label="2025/1/1", unit_ja="千世帯", divisor=1_000, source_ja="住基"),
    ], ignore_index=True)
    table = overview.summary_table(values, "HOKURIKU3").set_index("項目")
    cols = ["全国", "富山", "石川", "福井", "北陸3県", "全国比(%)"]
    assert tuple(table.loc["人口", cols]) == pub.SEED_POPULATION_THOUSANDS
    assert tuple(table.loc["世帯数", cols]) == pub.SEED_HOUSEHOLDS_THOUSANDS


def test__2024__toyama_and_the_hamamatsu_reorganisation(juki_table):
    key = ("juki", "2024-01-01")
    pop = juki_table("2024-01-01", "population").set_index("pref_code")
    pref = pop[pop["area_level"] == "prefecture"]
    assert pref.at["16", "population_persons"] == pub.PREFECTURES[key]["16"][0]
    wards = pop[pop["area_name_ja"].str.contains("再編")]
    assert len(wards) == pub.HAMAMATSU_2024_WARD_ROWS and (wards["area_level"] == "ward").all()
    old = wards[wards["area_name_ja"].str.contains("再編前")]
    assert old["population_persons"].isna().all() and old["value_note"].str.contains("not_applicable").all()
    flows = juki_table("2024-01-01", "flows")
    assert (flows["flow_year"] == 2023).all()


@pytest.mark.parametrize("key", sorted(pub.DERIVED_TOTAL))
def test__derived_csv_vintages_equal_the_xlsx_of_the_same_date(raw, key):
    source, vintage = key
    date = vintage.split("_")[0]
    raw(source, vintage, f"juki_population_{date}_muni.csv")
    for name in FILES[date]:
        raw(source, date, name)
    derived = juki.load_population(vintage)
    xlsx = juki.load_population(date)
    assert derived.loc[derived["area_level"] == "national", "population_persons"].iloc[0] == pub.DERIVED_TOTAL[key]
    merged = derived.merge(xlsx, on=["muni_code6", "area_level"], suffixes=("_csv", "_xlsx"), how="outer")
    assert len(merged) == len(derived) == len(xlsx)
    assert (merged["population_persons_csv"] == merged["population_persons_xlsx"]).all()


def test__2025__municipal_rows_and_the_northern_territory_villages(juki_table):
    pop = juki_table("2025-01-01", "population")
    munis = pop[pop["area_level"].isin(["municipality", "designated_city"])]
    assert len(munis) == pub.MUNICIPAL_ROWS and (munis["area_level"] == "designated_city").sum() == 20
    zero = munis[munis["population_persons"] == 0]
    assert zero["muni_code"].tolist() == pub.NORTHERN_TERRITORY_VILLAGES
