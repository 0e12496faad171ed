"""hokuriku.analysis.structure: panels, 特化係数, growth, income and shift-share tables on inline frames."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from hokuriku.analysis import structure

CODES = [f"{i:02d}" for i in range(1, 48)]
# Codes in ESRI order; the names sort differently (保 < 教 < 製), so a table in code order proves the order is kept.
ACTIVITIES = [
    ("01", "製造業", "secondary", False),
    ("02", "教育", "tertiary", True),
    ("03", "保健衛生・社会事業", "tertiary", True),
]
DEFAULT = {2011: (100.0, 50.0, 50.0), 2022: (110.0, 50.0, 60.0)}
TOYAMA = {2011: (200.0, 50.0, 50.0), 2022: (300.0, 40.0, 60.0)}


@pytest.fixture
def activity() -> pd.DataFrame:
    rows = []
    for code in CODES:
        for fy in (2011, 2022):
            values = (TOYAMA if code == "16" else DEFAULT)[fy]
            for (acode, name, sector, service), v in zip(ACTIVITIES, values, strict=True):
                rows.append(
                    {
                        "pref_code": code,
                        "fiscal_year": fy,
                        "activity_code": acode,
                        "activity_name_ja": name,
                        "sector": sector,
                        "is_service": service,
                        "gdp_nominal_jpy_million": v,
                    }
                )
    return pd.DataFrame(rows)


@pytest.fixture
def gdp() -> pd.DataFrame:
    rows = []
    for fy in (2011, 2022):
        for code in ["00", *CODES]:
            nominal = 200.0 if (code == "16" and fy == 2022) else 100.0
            income = {"13": 5000.0, "16": 4000.0, "17": 3000.0, "18": 3000.0, "00": 2500.0}.get(code, 2000.0)
            pop = {"17": 3e6}.get(code, 1e6)
            rows.append(
                {
                    "area_code": code,
                    "area_type": "all_prefectures" if code == "00" else "prefecture",
                    "fiscal_year": fy,
                    "gdp_nominal_jpy_million": nominal * (47 if code == "00" else 1),
                    "gdp_real_chained2015_jpy_million": nominal,
                    "income_per_capita_jpy_thousand": income,
                    "population_persons": pop,
                }
            )
    return pd.DataFrame(rows)


def test__activity_panel__members_region_and_national(activity):
    panel = structure.activity_panel(activity, "HOKURIKU3")
    assert list(dict.fromkeys(panel["unit_code"])) == ["16", "17", "18", "HOKURIKU3", "00"]
    assert list(dict.fromkeys(panel["unit_name"])) == ["富山", "石川", "福井", "北陸3県", "全国"]
    v = panel.set_index(["unit_code", "fiscal_year", "activity_name_ja"])["gdp_nominal_jpy_million"]
    assert v[("HOKURIKU3", 2022, "製造業")] == 300 + 110 + 110
    assert v[("00", 2022, "製造業")] == 46 * 110 + 300


def test__activity_panel__single_prefecture_has_no_aggregate(activity):
    assert list(dict.fromkeys(structure.activity_panel(activity, "16")["unit_code"])) == ["16", "00"]


def test__location_quotient__formula_and_esri_order(activity):
    lq = structure.lq_long(structure.activity_panel(activity, "HOKURIKU3"), fiscal_year=2022)
    assert "00" not in set(lq["unit_code"])
    toyama = lq[lq["unit_code"] == "16"]
    assert toyama["activity_name_ja"].tolist() == ["製造業", "教育", "保健衛生・社会事業"]
    expected = (300 / 400) / ((46 * 110 + 300) / (46 * 220 + 400))
    assert math.isclose(toyama["lq"].iloc[0], expected)
    table = structure.lq_table(lq).set_index("経済活動")
    assert list(table.columns) == ["富山", "石川", "福井", "北陸3県"]
    assert table.loc["製造業", "富山"] == round(expected, 2) == 1.47


def test__largest_activities__overall_and_service(activity):
    top = structure.largest_activities(structure.activity_panel(activity, "HOKURIKU3"), fiscal_year=2022)
    row = top.set_index("unit_code").loc["16"]
    assert (row["最大の経済活動"], row["最大の経済活動(億円)"]) == ("製造業", 3)
    assert (row["最大のサービス活動"], row["最大のサービス活動(億円)"]) == ("保健衛生・社会事業", 1)  # 0.6 億円 half up


def test__composition_table__shares_sum_to_100(activity):
    comp = structure.composition_table(structure.activity_panel(activity, "HOKURIKU3"), fiscal_year=2022)
    comp = comp.set_index("経済活動")
    assert comp.index.tolist() == ["製造業", "教育", "保健衛生・社会事業", "16活動計"]
    assert comp.loc["製造業", "富山(構成比%)"] == 75.0
    assert comp.loc["16活動計", "北陸3県(構成比%)"] == 100.0


def test__chart_groups__seed_other_group(activity):
    rows = activity.assign(activity_name_ja=activity["activity_name_ja"].replace({"教育": "鉱業"}))
    groups = structure.chart_groups(structure.activity_panel(rows, "16"), fiscal_year=2022)
    assert set(groups["group"]) == {"製造業", "その他", "保健衛生・社会事業"}


def test__shift_share_table__components_add_up_to_the_change(activity):
    ss = structure.shift_share_table(activity, "HOKURIKU3", start=2011, end=2022).set_index("経済活動")
    assert ss.index.tolist() == ["製造業", "教育", "保健衛生・社会事業", "16活動計"]
    parts = ["全国成長要因(億円)", "産業構成要因(億円)", "地域特殊要因(億円)"]
    for _, row in ss.iterrows():
        assert math.isclose(row[parts].sum(), row["増減(億円)"], abs_tol=0.15)
    # Region 16 + 17 + 18: 2011 = 300 + 200 + 200 = 700, 2022 = 400 + 220 + 220 = 840 百万円 → +1.4 億円.
    assert ss.loc["16活動計", "増減(億円)"] == 1.4
    # National growth G = (46 × 220 + 400) / (46 × 200 + 300) − 1; national-share component = 700 × G 百万円.
    big_g = (46 * 220 + 400) / (46 * 200 + 300) - 1
    assert ss.loc["16活動計", "全国成長要因(億円)"] == round(700 * big_g / 100, 1) == 0.8


def test__growth_table__cagr_and_region_real_caveat(gdp):
    g = structure.growth_table(gdp, "HOKURIKU3", start=2011, end=2022).set_index("unit_code")
    assert g.index.tolist() == ["16", "17", "18", "HOKURIKU3", "00"]
    assert g.loc["16", "名目増加率(%)"] == 100.0
    assert g.loc["16", "名目年平均成長率(%)"] == round(100 * (2 ** (1 / 11) - 1), 1) == 6.5
    assert g.loc["HOKURIKU3", "注"].startswith("実質は連鎖価格の単純合計")
    assert g.loc["16", "注"] == ""


def test__gdp_index__base_is_100(gdp):
    idx = structure.gdp_index(gdp, "HOKURIKU3", base=2011, real=False)
    assert idx.loc[idx["fiscal_year"] == 2011, "index"].eq(100.0).all()
    assert idx.set_index(["unit_code", "fiscal_year"]).loc[("16", 2022), "index"] == 200.0


def test__income_table__rank_and_population_weighted_region(gdp):
    inc = structure.income_table(gdp, "HOKURIKU3", fiscal_year=2022).set_index("地域")
    assert inc.loc["富山", "全国順位"] == 2  # behind 東京 (13)
    assert inc.loc[["石川", "福井"], "全国順位"].tolist() == [3, 3]  # ties share the rank
    assert inc.loc["北陸3県（人口加重平均）", "1人当たり県民所得(千円)"] == (4000 + 3 * 3000 + 3000) / 5
    assert inc.loc["富山", "全国=100"] == 160.0
    assert pd.isna(inc.loc["全国", "全国順位"])
