"""Tests of hokuriku.panels: inline frames, and a real merger (富山市, 2005-04-01) on the mirror files."""

from io import StringIO

import numpy as np
import pandas as pd
import pytest

from hokuriku import panels
from hokuriku.errors import InputError

CROSSWALK = pd.read_csv(StringIO("""merge_id,snapshot_year,muni_code,muni_name_ja
16201,2000,16201,富山県 富山市
16201,2005,16201,富山県 富山市
16301,2000,16301,富山県 上新川郡 大沢野町
16301,2005,16201,富山県 富山市
"""), dtype={"merge_id": str, "muni_code": str})

MUNI_INDUSTRY = pd.read_csv(StringIO("""\
muni_code,pref_code,area_level,muni_name_ja,year,industry_key,shipments_jpy_10k,employees,establishments
16000,16,prefecture,富山県,2003,total,900,90,9
16201,16,municipality,富山市,2003,total,100,10,3
16201,16,municipality,富山市,2003,chemicals,60,6,2
16201,16,municipality,富山市,2003,food,40,4,1
16301,16,municipality,大沢野町,2003,total,50,5,2
16201,16,municipality,富山市,2006,total,170,17,5
16201,16,municipality,富山市,2006,chemicals,120,12,3
16201,16,municipality,富山市,2006,food,50,5,2
"""), dtype={"muni_code": str, "pref_code": str})


def test__build_total_panel__sums_merger_and_drops_prefecture_rows():
    out = panels.build_total_panel(MUNI_INDUSTRY, CROSSWALK, to_year=2005).set_index("year")
    assert out.loc[2003, "shipments_jpy_10k"] == 150
    assert out.loc[2003, "establishments"] == 5
    assert out.loc[2006, "shipments_jpy_10k"] == 170
    assert out["muni_name_ja"].unique().tolist() == ["富山県 富山市"]
    assert (out["boundary_year"] == 2005).all()


def test__build_industry_panel__town_without_split_makes_merged_value_missing():
    out = panels.build_industry_panel(MUNI_INDUSTRY, CROSSWALK, to_year=2005).set_index(["year", "industry_key"])
    # 大沢野町 (a town) has no industry split in 工業統計, so 2003 富山市 chemicals is unknown, not 60.
    assert np.isnan(out.loc[(2003, "chemicals"), "shipments_jpy_10k"])
    assert out.loc[(2003, "chemicals"), "shipments_jpy_10k_n_missing"] == 1
    assert out.loc[(2006, "chemicals"), "shipments_jpy_10k"] == 120
    partial = panels.build_industry_panel(MUNI_INDUSTRY, CROSSWALK, to_year=2005, min_count=1)
    row = partial.set_index(["year", "industry_key"]).loc[(2003, "chemicals")]
    assert row["shipments_jpy_10k"] == 60
    assert row["is_partial"]


def test__build_industry_panel__designated_city_split_comes_from_wards():
    crosswalk = pd.DataFrame({"merge_id": ["34100"], "snapshot_year": [2005], "muni_code": ["34100"],
                              "muni_name_ja": ["広島県 広島市"]})
    # 広島市 2002: the city row has 製造業計 only; the industry split is published for its wards (one suppressed).
    df = pd.read_csv(StringIO("""\
muni_code,pref_code,area_level,muni_name_ja,year,industry_key,shipments_jpy_10k,employees,establishments
34100,34,designated_city,広島市,2002,total,100,10,5
34101,34,ward,広島市中区,2002,transport_equipment,,3,1
34103,34,ward,広島市南区,2002,transport_equipment,70,7,4
"""), dtype={"muni_code": str, "pref_code": str})
    merged = panels.build_industry_panel(df, crosswalk, to_year=2005).iloc[0]
    assert merged["muni_code"] == "34100"
    assert merged["establishments"] == 5
    assert np.isnan(merged["shipments_jpy_10k"])
    assert merged["shipments_jpy_10k_n_missing"] == 1
    wards = panels.build_industry_panel(df, crosswalk, to_year=2005, designated_city="wards")
    assert wards["muni_code"].tolist() == ["34100", "34101", "34103"]
    assert wards["area_level"].tolist() == ["designated_city", "ward", "ward"]
    assert wards["shipments_jpy_10k"].tolist()[2] == 70


def test__area_series__sums_a_named_area():
    panel = panels.build_total_panel(MUNI_INDUSTRY, CROSSWALK, to_year=2005)
    out = panels.area_series(panel, ["16201"], value_cols=["shipments_jpy_10k"])
    assert out["shipments_jpy_10k"].tolist() == [150, 170]
    with pytest.raises(InputError, match="16301"):
        panels.area_series(panel, ["16301"], value_cols=["shipments_jpy_10k"])


# 富山市 on 1 April 2005 = 富山市 + 大沢野町 + 大山町 + 八尾町 + 婦中町 + 山田村 + 細入村 (converter note_merge_consol).
TOYAMA_2005 = ["16201", "16301", "16302", "16361", "16362", "16363", "16364"]


def test__toyama_2005_merger__series_equals_sum_of_predecessors(raw):
    from hokuriku.sources import muni_converter, rieti_manu

    raw("rieti_manu", "2012", "DTA_meti_manu2004.dta")
    raw("muni_converter", "2020", "municipality_converter_jp.csv")
    crosswalk = muni_converter.load()
    predecessors = set(crosswalk.loc[(crosswalk["snapshot_year"] == 2015) & (crosswalk["muni_code"] == "16201")
                                     & (crosswalk["merge_id"] != "16201"), "merge_id"])
    assert predecessors == set(TOYAMA_2005) - {"16201"}
    mi = rieti_manu.load(years=[2004, 2006])
    panel = panels.build_total_panel(mi, crosswalk, to_year=2015).set_index(["muni_code", "year"])
    before = mi[(mi["year"] == 2004) & (mi["industry_key"] == "total") & mi["muni_code"].isin(TOYAMA_2005)]
    assert len(before) == 7
    merged = panel.loc[("16201", 2004)]
    assert merged["n_predecessors"] == 7
    # Establishments and employees are published for all seven in 2004: the merged city is their sum.
    assert merged["establishments"] == before["establishments"].sum() == 976
    assert merged["employees"] == before["employees"].sum() == 37911
    # 山田村's shipments are suppressed (X): the merged value is missing and flagged, never summed as 0.
    assert before["shipments_jpy_10k"].isna().sum() == merged["shipments_jpy_10k_n_missing"] == 1
    assert np.isnan(merged["shipments_jpy_10k"])
    opt_in = panels.build_total_panel(mi, crosswalk, to_year=2015, min_count=1).set_index(["muni_code", "year"])
    assert opt_in.loc[("16201", 2004), "shipments_jpy_10k"] == before["shipments_jpy_10k"].sum() == 111866932
    assert opt_in.loc[("16201", 2004), "is_partial"]
    after = mi[(mi["year"] == 2006) & (mi["industry_key"] == "total") & (mi["muni_code"] == "16201")]
    assert panel.loc[("16201", 2006), "shipments_jpy_10k"] == after["shipments_jpy_10k"].item()
    assert panel.loc[("16201", 2006), "n_predecessors"] == 1


@pytest.fixture(scope="module")
def store_inputs():
    """The processed rieti_manu and converter tables (``make data``); skipped when the mirror lacks them."""
    from hokuriku import manifest
    from hokuriku.errors import MissingRawDataError

    try:
        manifest.path("rieti_manu", "2012", "DTA_meti_manu2002.dta", download=False)
        manifest.path("muni_converter", "2020", "municipality_converter_jp.csv", download=False)
    except MissingRawDataError:
        pytest.skip("raw data missing: rieti_manu/2012, muni_converter/2020")
    from hokuriku import store

    return store.table("rieti_manu", "muni_industry", "2012"), store.table("muni_converter", "crosswalk", "2020")


def test__hiroshima_transport_2002__missing_cells_keep_their_reason(store_inputs):
    from hokuriku.codes import municipalities

    mi, cw = store_inputs
    mi = mi[mi["year"] == 2002]
    strict = panels.build_industry_panel(mi, cw, to_year=2015).set_index(["muni_code", "industry_key"])
    row = strict.loc[("34100", "transport_equipment")]
    assert np.isnan(row["shipments_jpy_10k"])  # never silently complete
    partial = panels.build_industry_panel(mi, cw, to_year=2015, min_count=1).set_index(["muni_code", "industry_key"])
    row = partial.loc[("34100", "transport_equipment")]
    assert row["is_partial"] and row["shipments_jpy_10k"] == 75_828_689
    # 2 wards suppressed (X), and 湯来町 (merged 2005) is a town: 工業統計 has no industry split for it
    assert municipalities.describe_missing(row, "shipments_jpy_10k") == "2 suppressed, 1 without industry split"
    wards = panels.build_industry_panel(mi, cw, to_year=2015, designated_city="wards", min_count=1)
    city = wards[(wards["muni_code"] == "34100") & (wards["industry_key"] == "transport_equipment")].iloc[0]
    assert city["muni_name_ja"] == "広島県 広島市" and city["area_level"] == "designated_city"
    assert city["shipments_jpy_10k"] == row["shipments_jpy_10k"]  # the whole city, not 湯来町 alone


def test__panel_on_2000_boundaries_builds_for_all_municipalities(store_inputs):
    mi, cw = store_inputs
    out = panels.build_total_panel(mi[mi["year"].isin([2001, 2006])], cw, to_year=2000).set_index(
        ["muni_code", "year"])
    codes_2000 = set(cw.loc[cw["snapshot_year"] == 2000, "muni_code"])  # 3,252 municipalities (wards not listed)
    for year in (2001, 2006):
        got = set(out.xs(year, level="year").index)
        assert got <= codes_2000
        assert len(codes_2000 - got) == 10  # municipalities without any manufacturing row that year
    hakodate = "01202"  # absorbed 戸井町・恵山町・椴法華村・南茅部町 on 2004-12-01
    assert out.loc[(hakodate, 2001), "shipments_jpy_10k"] > 0
    assert np.isnan(out.loc[(hakodate, 2006), "shipments_jpy_10k"])
    assert out.loc[(hakodate, 2006), "shipments_jpy_10k_n_unsplittable"] == 1
    assert out.loc[("01341", 2006), "shipments_jpy_10k_n_unsplittable"] == 1  # 戸井町: part of the 2006 函館市
