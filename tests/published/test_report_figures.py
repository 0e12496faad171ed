"""Golden: the figures the reports used to assert inside the notebooks, keyed on source and vintage.

The notebooks state their figures through :mod:`hokuriku.reporting.narrative` for whatever region and
edition they run on; the published values for the default region (北陸3県) and the editions below are
checked here instead, on the same analysis builders the notebooks call. Each test names the source and
vintage it is exact for; a new edition gets its own test rather than breaking the analyst's run.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from hokuriku.analysis import manufacturing, overview, population, structure
from hokuriku.projection import TOTAL_TOLERANCE_PERSONS
from hokuriku.reporting import narrative

KENMIN = [*[("kenmin_keizai", "2022", f"soukatu{i}.xlsx") for i in (1, 2, 7, 9)],
          ("kenmin_keizai_activity", "2022", "industry.json")]
OVERVIEW = [("gsi_menseki", "2026-04-01", "area_municipalities_raw.csv"),
            ("juki", "2025-01-01", "soumu_juki_R7_2025-01-01_municipality.xlsx"),
            ("juki", "2025-01-01", "soumu_juki_R7_2025-01-01_prefecture.xlsx"),
            *KENMIN, ("kogyo_tokei", "2019", "manufacturing_2019_table3-01.csv")]
KOGYO = [("kogyo_tokei", "2019", "manufacturing_2019_table3-01.csv"), ("ssdse_a", "2026", "SSDSE-A-2026.csv")]
POPULATION = [("ssdse_b", "2025", "SSDSE-B-2025.csv"), ("ssdse_a", "2026", "SSDSE-A-2026.csv")]


def _need(raw, specs):
    for spec in specs:
        raw(*spec)


@lru_cache(maxsize=None)
def _overview(region):
    return overview.build(region, area_ref_date="2025-10-01", population_vintage="2025-01-01",
                          households_vintage="2025-01-01", gdp_vintage="2022", fiscal_year=2022, manufacturing_vintage="2019")


@lru_cache(maxsize=None)
def _structure(region):
    return structure.build(region, vintage="2022", fiscal_year=2022, start=2011)


@lru_cache(maxsize=None)
def _manufacturing(region):
    return manufacturing.build(region, kogyo_vintage="2019", muni_year=2012, ssdse_vintage="2026", top_n=7)


@lru_cache(maxsize=None)
def _population(region):
    return population.build(region)


# 総括表: gsi_menseki 2026-04-01, juki 2025-01-01 (人口・世帯数), kenmin_keizai 2022, kogyo_tokei 2019 -----------


@pytest.mark.parametrize("region", ["HOKURIKU3", "16", "ESRI:中部"])
def test__overview_2022__national_column_same_for_every_region(raw, region):
    _need(raw, OVERVIEW)
    s = _overview(region).summary.set_index("項目")
    assert s.loc["面積", "全国"] == 377980
    assert s.loc["県内総生産(名目)", "全国"] == 5959197
    assert s.loc["製造業従業者数", "全国"] == 7718
    assert s.loc["製造業事業所数", "全国"] == 181877


def test__overview_2022__hokuriku3_rows_and_shares(raw):
    _need(raw, OVERVIEW)
    s = _overview("HOKURIKU3").summary.set_index("項目")
    assert s.loc["面積", ["富山", "石川", "福井", "北陸3県"]].tolist() == [4248, 4191, 4191, 12629]
    assert s.loc["県内総生産(名目)", ["富山", "石川", "福井", "北陸3県"]].tolist() == [49276, 47173, 34943, 131392]
    assert s.loc["うち第2次産業", "北陸3県"] == 44411
    assert s.loc[["人口", "世帯数", "製造業従業者数", "製造業事業所数"], "北陸3県"].tolist() == [2853, 1244, 303, 7425]
    assert s["全国比(%)"].to_dict() == {
        "面積": 3.3, "人口": 2.3, "世帯数": 2.0, "県内総生産(名目)": 2.2, "うち第1次産業": 1.9, "うち第2次産業": 2.8,
        "うち第3次産業": 2.0, "製造業従業者数": 3.9, "製造業事業所数": 4.1,
    }


def test__overview_2022__narrative_states_the_table(raw):
    _need(raw, OVERVIEW)
    text = narrative.regional_summary(_overview("HOKURIKU3"))
    assert "県内総生産(名目)（2022年度）：131,392 億円（全国 5,959,197 億円、全国比 2.2%）" in text
    chubu = narrative.regional_summary(_overview("ESRI:中部"))
    assert "北陸3県" not in chubu and "131,392" not in chubu and "中部（県民経済計算ブロック）" in chubu


# 経済活動別県内総生産: kenmin_keizai 2022, kenmin_keizai_activity 2022 ---------------------------------------


def test__structure_2022__largest_activities(raw):
    _need(raw, KENMIN)
    t = _structure("HOKURIKU3")
    largest = t.largest.set_index("unit_code")
    assert largest.loc["00", ["最大の経済活動", "最大のサービス活動"]].tolist() == ["製造業", "保健衛生・社会事業"]
    assert not set(structure.SEED_MANUFACTURING_TOP) & set(t.panel["activity_name_ja"])  # no 製造業 sub-activities
    assert (largest.loc[["16", "17", "18"], "最大の経済活動"] == "製造業").all()
    assert (largest.loc[["16", "17", "18"], "最大のサービス活動"] == "保健衛生・社会事業").all()
    assert largest.loc[["16", "17", "18"], "最大のサービス活動(億円)"].tolist() == [4213, 4650, 3035]
    # the seed's 4,200・4,600・3,000 億円 are these values cut below 100億円
    assert [v // 100 * 100 for v in largest.loc[["16", "17", "18"], "最大のサービス活動(億円)"]] == [4200, 4600, 3000]


def test__structure_2022__location_quotients_growth_income(raw):
    _need(raw, KENMIN)
    t = _structure("HOKURIKU3")
    lq = t.lq_table.set_index("経済活動")
    assert lq.loc["製造業", ["富山", "石川", "福井", "北陸3県"]].tolist() == [1.50, 1.12, 1.23, 1.29]
    assert lq.loc["建設業", "福井"] == 1.81
    g = t.growth.set_index("地域")
    cols = ["名目増加率(%)", "名目年平均成長率(%)", "実質増加率(%)", "実質年平均成長率(%)"]
    assert g.loc["北陸3県", cols].tolist() == [9.4, 0.8, 6.5, 0.6]
    assert g.loc["全国", cols].tolist() == [13.7, 1.2, 8.6, 0.8]
    inc = t.income.set_index("地域")
    assert inc.loc[["富山", "石川", "福井"], "1人当たり県民所得(千円)"].tolist() == [3347, 2977, 3095]
    assert inc.loc[["富山", "石川", "福井"], "全国順位"].tolist() == [9, 28, 23]
    assert inc.loc["全国", "1人当たり県民所得(千円)"] == 3449


def test__structure_2022__shift_share_and_its_narrative(raw):
    _need(raw, KENMIN)
    t = _structure("HOKURIKU3")
    ss = t.shift_share.set_index("経済活動")
    assert ss.loc["16活動計", ["増減(億円)", "全国成長要因(億円)", "産業構成要因(億円)", "地域特殊要因(億円)"]].tolist() == [
        10622.7, 16063.0, 354.8, -5795.2]
    body = ss.drop(index="16活動計")["地域特殊要因(億円)"]
    assert (body.idxmin(), body.min(), body.idxmax(), body.max()) == (
        "電気・ガス・水道・廃棄物処理業", -3313.8, "製造業", 1752.1)
    text = narrative.shift_share(t)
    assert "10,622.7 億円" in text and "電気・ガス・水道・廃棄物処理業（−3,313.8 億円）" in text


# 工業統計 2019 (kogyo_tokei), RIETI 市区町村パネル 2012, SSDSE-A 2026 -------------------------------------------


def test__manufacturing_2019__totals_and_first_industries(raw):
    _need(raw, KOGYO)
    r = _manufacturing("HOKURIKU3")
    t = r["pref_totals"].set_index("地域コード")
    assert t.loc["00", "製造品出荷額等（百万円）"] == 322_394_871
    assert t["製造品出荷額等（兆円）"].to_dict() == {"16": 3.9, "17": 3.0, "18": 2.3, "HOKURIKU3": 9.2, "00": 322.4}
    assert t["全国比（%）"].to_dict() == {"16": 1.2, "17": 0.9, "18": 0.7, "HOKURIKU3": 2.8, "00": 100.0}
    top = r["top_industries"]
    first = top[top["順位"] == 1].set_index("都道府県コード")
    assert first["industry_key"].to_dict() == {"16": "chemicals", "17": "production_machinery", "18": "electronic_parts"}
    assert first["製造品出荷額等（億円）"].to_dict() == {"16": 7_777, "17": 7_477, "18": 3_410}
    top3 = top[top["順位"] <= 3].groupby("都道府県コード")["industry_key"].agg(list).to_dict()
    assert top3 == {"16": ["chemicals", "production_machinery", "fabricated_metals"],
                    "17": ["production_machinery", "electronic_parts", "textiles"],
                    "18": ["electronic_parts", "chemicals", "textiles"]}


def test__manufacturing_2019__region_industries_ranks_and_size(raw):
    _need(raw, KOGYO)
    r = _manufacturing("HOKURIKU3")
    ind = r["region_industries"]
    assert ind[ind["順位"].notna()]["industry_key"].head(5).tolist() == [
        "production_machinery", "chemicals", "electronic_parts", "fabricated_metals", "nonferrous_metals"]
    shares = ind.set_index("industry_key")["全国比（%）"]
    assert (shares["textiles"], shares["electronic_parts"]) == (13.0, 7.4)
    ranks = r["industry_ranks"].set_index("industry_key")
    assert (ranks.loc["textiles", "福井"], ranks.loc["textiles", "石川"], ranks.loc["production_machinery", "石川"],
            ranks.loc["nonferrous_metals", "富山"]) == ("4", "6", "9", "11")
    assert (ranks.loc["rubber", "福井"], ranks.loc["leather", "福井"]) == ("秘匿", "秘匿")
    size = r["establishment_size"].set_index("地域コード")
    assert size["全国順位"].dropna().to_dict() == {"16": 12, "17": 32, "18": 37}
    assert size.loc["16", "1事業所当たり従業者数（人）"] == 47.9
    census = r["establishment_size_census"].set_index("地域コード")
    assert census["全国順位"].dropna().to_dict() == {"16": 5, "17": 40, "18": 41}
    muni = r["municipal_ranking"].set_index("地域内順位")
    assert (muni.loc[1, "市区町村"], muni.loc[1, "製造品出荷額等（2012年、億円）"], muni.loc[2, "市区町村"]) == (
        "富山市", 10672.2, "小松市")


# 人口: ipss_projection (令和5年推計), census, ssdse_b 2025 ---------------------------------------------------------


def test__population__hokuriku3_figures(raw):
    _need(raw, POPULATION)
    r = _population("HOKURIKU3")
    t = r.tables
    by = t["seed_figures"].set_index(["area_code", "year"])["population_persons"]
    assert by[("HOKURIKU3", 2030)] == 2_702_120 and by[("HOKURIKU3", 2040)] == 2_470_020
    assert [by[(p, 2030)] for p in ("16", "17", "18")] == [942_404, 1_056_997, 702_719]
    idx = t["population_trend"].set_index(["area_code", "year"])["index_base100"]
    assert round(idx[("HOKURIKU3", 2050)], 1) == 76.0 and round(idx[("00", 2050)], 1) == 83.2
    change = t["natural_social_change"].query("area_code == 'HOKURIKU3'").set_index("year")
    assert change.loc[2022, ["natural_change_persons", "social_change_persons"]].tolist() == [-21_929, -6_208]
    assert (change[["natural_change_persons", "social_change_persons"]] < 0).all().all()
    old = t["age_structure"].query("age3 == '65+' and area_code == 'HOKURIKU3'").set_index("year")["share_pct"]
    assert (round(old[2020], 1), round(old[2050], 1)) == (31.2, 39.9)
    top = t["municipal_decline_ranking"].iloc[0]
    assert (top["muni_name_ja"], round(top["change_pct"], 1)) == ("珠洲市", -60.7)
    assert t["calibration_residuals"]["max_abs_diff_persons"].max() <= TOTAL_TOLERANCE_PERSONS
    assert t["calibration_prefecture_check"]["diff_persons"].abs().max() <= TOTAL_TOLERANCE_PERSONS
    assert t["calibration_residuals"].filter(like="diff_share").abs().max().max() < 0.15
    scen = t["scenario_totals"].query("year == 2050").set_index("scenario")["diff_vs_base_persons"]
    names = r.scenario_names
    assert scen[names["plant"]] >= -TOTAL_TOLERANCE_PERSONS  # a plant only adds people
    # 5-year-age engine (docs/assumptions_caveats.md P2–P5): survival is a national proxy, so 移動均衡 is below base
    assert round(scen[names["zero_migration"]], -3) == -16_000 and round(scen[names["fertility_target"]], -3) == 68_000
    text = narrative.natural_social_change(r) + narrative.population_projection(r)
    assert "自然減 **21,929人**" in text and "2030年 2,702,120人" in text
