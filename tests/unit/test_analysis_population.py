"""hokuriku.analysis.population: assembly functions on tiny inline frames (no store, no raw files)."""

from __future__ import annotations

from io import StringIO

import numpy as np
import pandas as pd
import pytest

from hokuriku.analysis import population as P
from hokuriku.errors import InputError, ParameterError

ALL47 = [f"{i:02d}" for i in range(1, 48)]


def _csv(text: str, **kw) -> pd.DataFrame:
    return pd.read_csv(StringIO(text), dtype={"pref_code": str, "muni_code": str, "area_code": str}, **kw)


def _pref_series(values: dict[str, dict[int, float]], default: float = 100.0) -> pd.DataFrame:
    """Build a pref_code × year series for all 47 prefectures (2020 census, 2030 projection)."""
    rows = []
    for code in ALL47:
        for year, status in ((2020, "census"), (2030, "projection")):
            v = values.get(code, {}).get(year, default)
            rows.append({"pref_code": code, "year": year, "population_persons": v, "n_missing": int(np.isnan(v)),
                         "status": status, "value_note": "" if not np.isnan(v) else "推計なし"})
    return pd.DataFrame(rows)


def test__prefecture_history__panel_sums_before_2020_and_official_2020():
    panel = _csv("muni_code,pref_code,year,population_persons\n16201,16,2015,10\n16202,16,2015,5\n16201,16,2020,99\n"
                 "16203,16,2015,\n")
    census = _csv("pref_code,area_level,sex,year,population_persons\n16,prefecture,total,2020,14\n"
                  "16,prefecture,male,2020,7\n16,municipality,total,2020,3\n")
    out = P.prefecture_history(panel, census).set_index("year")
    assert out.loc[2015, "population_persons"] == 15 and out.loc[2015, "n_missing"] == 1
    assert out.loc[2020, "population_persons"] == 14  # the official prefecture row, not the panel's 99
    assert (out["status"] == "census").all()


def test__prefecture_projection__incomplete_totals_become_nan_with_a_note():
    t = _csv("pref_code,year,population_persons,n_not_projected,is_complete\n07,2020,9,13,False\n07,2030,8,13,False\n"
             "16,2030,5,0,True\n16,2055,4,0,True\n")
    out = P.prefecture_projection(t, horizon=2050).set_index("pref_code")
    assert list(out.index) == ["07", "16"]  # base year and years after the horizon dropped
    assert np.isnan(out.loc["07", "population_persons"]) and "浜通り" in out.loc["07", "value_note"]
    assert out.loc["16", "population_persons"] == 5


def test__totals_by_area__national_excludes_fukushima_and_index_uses_base_year():
    series = _pref_series({"07": {2030: np.nan}, "16": {2020: 200, 2030: 150}})
    out = P.totals_by_area(series, "HOKURIKU3").set_index(["area_code", "year"])
    assert out.loc[("00", 2020), "population_persons"] == 46 * 100 - 100 + 200  # 46 prefectures, 富山 = 200
    assert out.loc[("00", 2030), "population_persons"] == 45 * 100 + 150  # no NaN: 福島 is not in 全国
    assert out.loc[("00", 2020), "area_name_ja"] == P.NATIONAL_LABEL
    assert out.loc[("HOKURIKU3", 2030), "population_persons"] == 350
    assert out.loc[("16", 2030), "index_base100"] == pytest.approx(75.0)
    assert out.loc[("HOKURIKU3", 2030), "population_10k"] == pytest.approx(0.035)


def test__totals_by_area__region_with_fukushima_is_nan_not_a_partial_sum():
    series = _pref_series({"07": {2030: np.nan}})
    out = P.totals_by_area(series, "TOHOKU_METI").set_index(["area_code", "year"])
    assert np.isnan(out.loc[("TOHOKU_METI", 2030), "population_persons"])
    assert "浜通り" not in out.loc[("TOHOKU_METI", 2020), "value_note"]
    assert out.loc[("TOHOKU_METI", 2030), "value_note"] == "推計なし"


def test__totals_by_area__one_prefecture_has_no_separate_region_row():
    out = P.totals_by_area(_pref_series({}), "16")
    assert set(out["area_code"]) == {"16", "00"}


def test__seed_figures__rounds_to_10k_persons():
    totals = pd.DataFrame({"area_code": ["R", "R", "00"], "area_name_ja": ["x", "x", "全国"], "area_kind":
                           ["region", "region", "national"], "year": [2030, 2040, 2030],
                           "population_persons": [2_702_120.0, 2_470_020.0, 1.0]})
    out = P.seed_figures(totals)
    assert out["population_10k_rounded"].tolist() == [270.0, 247.0]


def test__natural_social_change__region_sum_and_components():
    kv = _csv("pref_code,year,births_persons,deaths_persons,in_migrants_persons,out_migrants_persons\n"
              "16,2022,6,15,12,13\n17,2022,8,12,13,14\n18,2022,5,9,9,10\n19,2022,1,1,1,1\n")
    out = P.natural_social_change(kv, "HOKURIKU3").set_index("area_code")
    assert out.loc["HOKURIKU3", "natural_change_persons"] == (6 + 8 + 5) - (15 + 12 + 9)
    assert out.loc["HOKURIKU3", "social_change_persons"] == -3
    assert "19" not in out.index


def test__age_structure__shares_of_2020_census_and_2050_projection():
    census = _csv("pref_code,area_level,sex,age_class,population_persons\n16,prefecture,total,0-14,10\n"
                  "16,prefecture,total,15-64,60\n16,prefecture,total,65+,30\n16,prefecture,total,75+,15\n"
                  "16,prefecture,male,0-14,5\n")
    ipss = _csv("muni_code,pref_code,year,is_ward,population_0_14_persons,population_15_64_persons,"
                "population_65plus_persons\n16201,16,2050,False,1,5,4\n16202,16,2050,False,1,5,4\n"
                "16201,16,2045,False,,,\n")
    out = P.age_structure(census, ipss, "16").set_index(["year", "age3"])
    assert out.loc[(2020, "65+"), "share_pct"] == pytest.approx(30.0)
    assert out.loc[(2050, "65+"), "share_pct"] == pytest.approx(40.0)
    assert out.loc[(2050, "0-14"), "source"] == "社人研推計"
    assert out.loc[(2020, "0-14"), "category_ja"] == "富山県 2020年（国勢調査）"


IPSS_MUNI = """muni_code,pref_code,muni_name_ja,is_ward,year,population_persons,value_note,\
population_0_14_persons,population_15_64_persons,population_65plus_persons
16201,16,富山市,False,2020,100,,,,
16201,16,富山市,False,2050,80,,10,40,30
16202,16,高岡市,False,2020,100,,,,
16202,16,高岡市,False,2050,50,,5,20,25
16203,16,架空町,False,2020,100,,,,
16203,16,架空町,False,2050,,not_projected: test,,,
16101,16,富山市某区,True,2020,10,,,,
16101,16,富山市某区,True,2050,1,,,,
"""


def test__municipal_change__ranks_decline_and_keeps_unprojected_as_nan():
    out = P.municipal_change(_csv(IPSS_MUNI), "16")
    assert out["muni_code"].tolist() == ["16202", "16201", "16203"]  # wards excluded, NaN last
    assert out["decline_rank"].tolist()[:2] == [1, 2] and pd.isna(out["decline_rank"].iloc[2])
    assert out.loc[0, "change_pct"] == pytest.approx(-50.0)
    assert out.loc[0, "share_65plus_2050_pct"] == pytest.approx(50.0)
    assert "not_projected" in out.loc[2, "value_note"]


def test__municipal_change__refuses_years_without_data():
    with pytest.raises(InputError, match="projection years"):
        P.municipal_change(_csv(IPSS_MUNI), "16", end=2045)


AGE5 = """area_code,area_level,sex,age_class,age_kind,population_persons,value_note
16201,municipality,male,0-4,age5,10,
16201,municipality,male,5-9,age5,10,
16201,municipality,male,85-89,age5,4,
16201,municipality,male,90-94,age5,2,
16201,municipality,male,95-99,age5,,nil
16201,municipality,male,100+,open,1,
16201,municipality,male,unknown,unknown,3,
16201,municipality,male,total,total,30,
16201,municipality_2000,male,0-4,age5,99,
"""


def test__base_population__prorates_unknown_counts_nil_as_zero_and_closes_at_90():
    out = P.base_population(_csv(AGE5), ["16201"], open_age=90).set_index("age_group")["population_persons"]
    assert out.sum() == pytest.approx(30.0)  # total incl. 不詳 kept
    assert out["90+"] == pytest.approx((2 + 0 + 1) * 30 / 27)
    assert out["0-4"] == pytest.approx(10 * 30 / 27)


def test__base_population__refuses_unreadable_cells_and_missing_areas():
    bad = _csv(AGE5.replace("95-99,age5,,nil", "95-99,age5,,not_available"))
    with pytest.raises(InputError, match="no value for area 16201"):
        P.base_population(bad, ["16201"])
    with pytest.raises(InputError, match="no 2020 age detail"):
        P.base_population(_csv(AGE5), ["16201", "16202"])


def _items(code: str, total, b014, b1564, b65, b75, sex_codes=("01", "02")) -> list[dict]:
    rows = []
    for s in sex_codes:
        for item, v in (("A1101", total), ("A1301", b014), ("A1302", b1564), ("A1303", b65), ("A1419", b75)):
            rows.append({"muni_code": code, "item_code": item + s, "value": float(v), "value_note": None})
    return rows


def test__start_bands__derives_65_74_prorates_to_total_and_maps_codes():
    items = pd.DataFrame(_items("04423", 110, 10, 60, 30, 10) + _items("16201", 100, 10, 60, 30, 10))
    out = P.start_bands(items, pd.Series({"04423": "04216"}))
    got = out.set_index(["area_code", "sex", "band"])["population_persons"]
    assert set(out["area_code"]) == {"04216", "16201"}
    assert got[("16201", "male", "65-74")] == pytest.approx(20.0)
    assert got[("04216", "female", "0-14")] == pytest.approx(11.0)  # 不詳 10 prorated over 100 known
    assert got.groupby(level=[0, 1]).sum()[("04216", "male")] == pytest.approx(110.0)


def test__start_bands__refuses_missing_values():
    items = pd.DataFrame(_items("16201", 100, 10, 60, 30, 10))
    items.loc[0, "value"] = np.nan
    with pytest.raises(InputError, match="SSDSE-A: no value for 16201"):
        P.start_bands(items)


def test__end_bands__sum_5_year_groups_into_shifted_bands():
    labels = [f"{a}-{a + 4}" for a in range(0, 90, 5)] + ["90+"]
    base = pd.DataFrame({"area_code": "X", "sex": "male", "age_group": labels, "population_persons": 1.0})
    out = P.end_bands(base).set_index("band")["population_persons"]
    assert out.to_dict() == {"20-69": 10.0, "5-19": 3.0, "70-79": 2.0, "80+": 3.0}


def test__to_prefectures__sums_municipalities():
    df = _csv("area_code,sex,population_persons\n16201,male,1\n16202,male,2\n17201,male,4\n")
    out = P.to_prefectures(df).set_index("area_code")["population_persons"]
    assert out.to_dict() == {"16": 3, "17": 4}


def test__scenario_specs__base_first_japanese_names_and_checks():
    specs = P.scenario_specs(["plant", "zero_migration", "plant"], areas=("16201", "16202"), base_tfr=1.5,
                             largest_area="16201")
    assert [s.name for s in specs] == [P.BASE_LABEL, "工場進出1,000人（2027年）", "移動均衡（純移動ゼロ）"]
    assert specs[1].area_code == "16201"  # plant_area "" → the largest area
    with pytest.raises(ParameterError, match="unknown scenario"):
        P.scenario_specs(["rocket"], areas=("16201",), base_tfr=1.5)
    with pytest.raises(ParameterError, match="not a calibrated area"):
        P.scenario_specs(["plant"], areas=("16201",), base_tfr=1.5, plant_area="17201")
    pref = P.scenario_specs(["plant"], areas=("16", "17"), base_tfr=1.5, plant_area="17201")
    assert pref[1].area_code == "17"  # a municipality while calibrating on prefectures → its prefecture


def test__display_table__japanese_headers_rounding_and_zero_padded_codes():
    df = pd.DataFrame({"area_code": ["00", "16"], "area_name_ja": ["全国", "富山県"],
                       "area_kind": ["national", "prefecture"], "year": [2030, 2030],
                       "population_persons": [1234567.5, np.nan], "population_10k": [123.45678, np.nan],
                       "status": ["projection", "census"], "index_base100": [83.25, 76.04], "n_missing": [0, 1],
                       "value_note": ["", "推計なし"]})
    out = P.display_table(df)
    assert list(out.columns) == ["地域コード", "地域", "地域区分", "年", "人口（人）", "人口（万人）",
                                 "区分（実績・推計）", "指数（基準年=100）", "欠損数", "注記"]
    assert list(out["地域コード"]) == ["00", "16"]
    assert out["人口（人）"].iloc[0] == 1234568 and pd.isna(out["人口（人）"].iloc[1])  # 四捨五入, NaN kept
    assert str(out["人口（人）"].dtype) == "Int64"
    assert list(out["人口（万人）"].iloc[:1]) == [123.5] and list(out["指数（基準年=100）"]) == [83.3, 76.0]
    assert list(out["地域区分"]) == ["全国", "都道府県"]
    assert list(out["区分（実績・推計）"]) == ["推計（社人研）", "実績（国勢調査）"]
    assert list(df.columns)[0] == "area_code" and df["population_persons"].iloc[0] == 1234567.5  # input untouched
    csv = out.to_csv(index=False)
    assert "\n00,全国," in csv and "1234568," in csv


def test__display_table__municipal_and_calibration_columns():
    change = pd.DataFrame({"decline_rank": pd.array([1, pd.NA], dtype="Int64"), "muni_code": ["01101", "16201"],
                           "pref_code": ["01", "16"], "pref_name_ja": ["北海道", "富山県"], "muni_name_ja": ["a", "b"],
                           "population_2020_persons": [100.0, 10.0], "population_2040_persons": [39.3, np.nan],
                           "change_pct": [-60.685, np.nan], "share_65plus_2050_pct": [61.8336, np.nan],
                           "value_note": ["", ""]})
    out = P.display_table(change)
    assert list(out.columns) == ["減少率順位", "市区町村コード", "都道府県コード", "都道府県", "市区町村",
                                 "2020年人口（人）", "2040年人口（人）", "増減率（%）", "2050年65歳以上割合（%）",
                                 "注記"]
    assert out["増減率（%）"].iloc[0] == -60.7 and out["2050年65歳以上割合（%）"].iloc[0] == 61.8
    assert list(out["市区町村コード"]) == ["01101", "16201"] and list(out["都道府県コード"]) == ["01", "16"]
    res = pd.DataFrame({"area_code": ["16201"], "area_name_ja": ["富山市"], "max_abs_diff_persons": [0.4999],
                        "diff_share_65plus_2050_pt": [-0.0312], "fertility_factor": [1.0078125],
                        "elderly_factor": [0.96875], "is_at_bound": [False], "is_complete": [True],
                        "diff_persons": [-1e-11]})
    r = P.display_table(res).iloc[0]
    assert r["最大絶対誤差（人）"] == 0.5 and r["2050年65歳以上構成比の差（pt）"] == -0.03  # tolerance 0.5 still holds
    assert r["出生係数"] == 1.008 and r["高齢係数"] == 0.969
    assert r["探索境界に到達"] == "" and r["全市町村あり"] == "○"
    assert str(r["差（人）"]) == "0.0"  # no −0.0


def test__display_table__drops_chart_helpers_and_honours_digit_overrides():
    ages = pd.DataFrame({"area_code": ["16"], "area_name_ja": ["富山県"], "year": [2020], "source": ["国勢調査"],
                         "category_ja": ["富山県 2020年（国勢調査）"], "age3": ["65+"],
                         "age3_ja": ["老年人口（65歳以上）"],
                         "population_persons": [10.0], "share_pct": [31.249]})
    out = P.display_table(ages)
    assert list(out.columns) == ["地域コード", "地域", "年", "出典", "年齢3区分", "人口（人）", "構成比（%）"]
    assert out["構成比（%）"].item() == 31.2
    pyr = pd.DataFrame({"sex": ["male"], "share_pct": [1.5628], "population_signed": [-34872.52]})
    got = P.display_table(pyr, digits={"share_pct": 2}).iloc[0]
    assert got["男女"] == "男性" and got["構成比（%）"] == 1.56 and got["人口（男性は負）"] == -34873


def test__for_report__converts_every_table_and_keeps_machine_tables():
    trend = pd.DataFrame({"area_code": ["16"], "area_name_ja": ["富山県"], "population_persons": [1.4]})
    pyr = pd.DataFrame({"share_pct": [1.5628]})
    report = P.PopulationReport(region=None, tables={"population_trend": trend, "pyramids": pyr}, pairs={},
                                calibration=None, projection=None, inputs=None)
    shown = P.for_report(report)
    assert set(shown) == {"population_trend", "pyramids"}
    assert list(shown["population_trend"].columns) == ["地域コード", "地域", "人口（人）"]
    assert shown["pyramids"]["構成比（%）"].item() == 1.56  # pyramid shares keep 2 decimals
    assert list(report.tables["population_trend"].columns) == ["area_code", "area_name_ja", "population_persons"]


def _juki_flows(year: int = 2024) -> pd.DataFrame:
    cols = P.JUKI_SERIES_COLUMNS + ["natural_change_rate_pct", "social_change_rate_pct"]
    rows = [("00", None, "national", 100), ("16", None, "prefecture", 10), ("17", None, "prefecture", 20),
            ("18", None, "prefecture", 30), ("19", None, "prefecture", 40), ("16", "16201", "designated_city", 6),
            ("16", "16320", "gun", 4), ("16", "16321", "municipality", 4), ("16", "16101", "ward", 6)]
    out = []
    for pref, muni, level, k in rows:
        v = {c: float(k) for c in cols}
        v.update(natural_change_persons=-k, social_change_persons=k / 2, social_change_rate_pct=k / 100)
        out.append({"pref_code": pref, "muni_code": muni, "area_level": level, "area_name_ja": f"a{k}",
                    "flow_year": year, **v})
    return pd.DataFrame(out)


def test__juki_change_series__prefectures_region_national():
    flows = pd.concat([_juki_flows(2023), _juki_flows(2024)], ignore_index=True)
    out = P.juki_change_series(flows, "HOKURIKU3").set_index(["area_code", "flow_year"])
    assert out.loc[("HOKURIKU3", 2024), "natural_change_persons"] == -(10 + 20 + 30)
    assert out.loc[("HOKURIKU3", 2024), "social_change_persons"] == (10 + 20 + 30) / 2
    assert out.loc[("00", 2023), "area_kind"] == "national" and "19" not in out.index.get_level_values(0)
    with pytest.raises(InputError, match="two rows for prefecture"):
        P.juki_change_series(pd.concat([flows, _juki_flows(2024)]), "HOKURIKU3")


def test__juki_municipal_change__no_gun_ward_or_prefecture_rows():
    out = P.juki_municipal_change(_juki_flows(), "16")
    assert out["muni_code"].tolist() == ["16321", "16201"]  # sorted by 社会増減率, lowest first
    with pytest.raises(InputError, match="one flow_year"):
        P.juki_municipal_change(pd.concat([_juki_flows(2023), _juki_flows(2024)]), "16")


def test__change_comparison__both_series_side_by_side_over_the_union_of_years():
    kv = _csv("pref_code,year,births_persons,deaths_persons,in_migrants_persons,out_migrants_persons\n"
              "16,2022,6,15,12,13\n16,2023,6,16,12,13\n")
    juki = P.juki_change_series(pd.concat([_juki_flows(2023), _juki_flows(2024)]), "16", national=False)
    out = P.change_comparison(P.natural_social_change(kv, "16"), juki).set_index("year")
    assert out.index.tolist() == [2022, 2023, 2024]
    assert out.loc[2023, ["natural_change_ssdse_b_persons", "natural_change_juki_persons"]].tolist() == [-10, -10]
    assert np.isnan(out.loc[2022, "social_change_juki_persons"])
    assert np.isnan(out.loc[2024, "social_change_ssdse_b_persons"])
