"""Notebook 20_economic_structure: its tables reproduce the seed's FY2022 figures at the published rounding.

Runs the notebook through the papermill runner into a temporary reports folder (real
data/processed kept) for 北陸3県 and for 中部経済産業局, and reads the CSVs it wrote.
Seed: ../shared/seeds/chiiki-mirai-senryaku-2026-05-22.txt「北陸地域の県内総生産（各県）」(lines 701–728).
"""

from __future__ import annotations

import pytest

from tests.published.results import kenmin_keizai as pub

NAME = "20_economic_structure"
RAW = [
    *[("kenmin_keizai", "2022", f"soukatu{i}.xlsx") for i in (1, 2, 7, 9)],
    ("kenmin_keizai_activity", "2022", "industry.json"),
]
TABLES = (
    "gdp_by_activity",
    "largest_activities",
    "location_quotients",
    "gdp_growth",
    "income_per_capita",
    "shift_share",
)
CHARTS = (
    "gdp_composition_chart",
    "location_quotients_chart",
    "gdp_real_index_chart",
    "income_per_capita_chart",
    "shift_share_chart",
)


@pytest.fixture
def hokuriku3(run_report):
    return run_report("HOKURIKU3")


@pytest.fixture
def chubu(run_report):
    return run_report("CHUBU_METI")


@pytest.mark.slow
def test__hokuriku3__largest_service_activity_is_the_seeds(hokuriku3):
    top = hokuriku3["largest_activities"].set_index("地域")
    for code, name in (("16", "富山"), ("17", "石川"), ("18", "福井")):
        assert top.loc[name, "最大のサービス活動"] == pub.LARGEST_SERVICE_ACTIVITY
        # The seed prints 100億円 steps, truncated (4,212.58 → 4,200; 4,650.45 → 4,600): see results.
        assert top.loc[name, "最大のサービス活動(億円)"] // 100 * 100 == pub.LARGEST_SERVICE_100OKU[code]
        # 16 activities have only 製造業 as a whole: it is the largest activity in each prefecture.
        assert top.loc[name, "最大の経済活動"] == "製造業"
    assert top.loc[["富山", "石川", "福井"], "最大のサービス活動(億円)"].tolist() == [4_213, 4_650, 3_035]


@pytest.mark.slow
def test__hokuriku3__sector_rows_of_the_composition_table_match_the_seed(hokuriku3):
    comp = hokuriku3["gdp_by_activity"].set_index("経済活動")
    for code, name in (("16", "富山"), ("17", "石川"), ("18", "福井")):
        assert comp.loc["農林水産業", f"{name}(億円)"] == pub.SECTOR_OKU[code]["primary"]
    assert comp.loc["農林水産業", "北陸3県(億円)"] == 1_053
    assert comp.loc["16活動計", "富山(構成比%)"] == 100.0


@pytest.mark.slow
def test__hokuriku3__location_quotients(hokuriku3):
    lq = hokuriku3["location_quotients"].set_index("経済活動")
    assert list(lq.columns) == ["富山", "石川", "福井", "北陸3県"]
    assert lq.loc["製造業"].tolist() == [1.50, 1.12, 1.23, 1.29]
    assert lq.loc["建設業", "福井"] == 1.81
    assert lq.index[0] == "農林水産業" and lq.index[-1] == "その他のサービス"  # ESRI order


@pytest.mark.slow
def test__hokuriku3__growth_fy2011_2022(hokuriku3):
    g = hokuriku3["gdp_growth"].set_index("地域")
    assert g.loc[["富山", "石川", "福井"], "名目2022年度(億円)"].tolist() == list(pub.GDP_NOMINAL_OKU.values())
    assert g.loc["北陸3県", "名目2022年度(億円)"] == pub.HOKURIKU3_GDP_OKU
    assert g.loc["全国", "名目2022年度(億円)"] == pub.OUR_NATIONAL_OKU
    cols = ["名目増加率(%)", "名目年平均成長率(%)", "実質増加率(%)", "実質年平均成長率(%)"]
    assert g.loc["北陸3県", cols].tolist() == [9.4, 0.8, 6.5, 0.6]
    assert g.loc["全国", cols].tolist() == [13.7, 1.2, 8.6, 0.8]
    assert g.loc["北陸3県", "注"].startswith("実質は連鎖価格の単純合計")


@pytest.mark.slow
def test__hokuriku3__income_per_capita_and_rank(hokuriku3):
    inc = hokuriku3["income_per_capita"].set_index("地域")
    assert inc.loc[["富山", "石川", "福井"], "1人当たり県民所得(千円)"].tolist() == [3_347, 2_977, 3_095]
    assert inc.loc[["富山", "石川", "福井"], "全国順位"].tolist() == [9, 28, 23]
    assert inc.loc["全国", "1人当たり県民所得(千円)"] == 3_449


@pytest.mark.slow
def test__hokuriku3__shift_share_components_add_up(hokuriku3):
    ss = hokuriku3["shift_share"].set_index("経済活動")
    total = ss.loc["16活動計"]
    assert total[["増減(億円)", "全国成長要因(億円)", "産業構成要因(億円)", "地域特殊要因(億円)"]].tolist() == [
        10_622.7,
        16_063.0,
        354.8,
        -5_795.2,
    ]
    parts = ss.drop(index="16活動計")
    gap = (
        parts["全国成長要因(億円)"] + parts["産業構成要因(億円)"] + parts["地域特殊要因(億円)"] - parts["増減(億円)"]
    ).abs()
    assert gap.max() <= 0.15  # each of the four printed figures is rounded to 0.1 億円 (≤ 0.05 each)


@pytest.mark.slow
def test__chubu_meti__runs_for_another_region(chubu):
    lq = chubu["location_quotients"]
    assert list(lq.columns) == ["経済活動", "富山", "石川", "岐阜", "愛知", "三重", "中部経済産業局"]
    g = chubu["gdp_growth"].set_index("地域")
    assert g.loc["富山", "名目2022年度(億円)"] == pub.GDP_NOMINAL_OKU["16"]
    assert g.loc["全国", "名目2022年度(億円)"] == pub.OUR_NATIONAL_OKU
