"""Notebook 60_cluster_kpi: baseline cells as published, the KPI arithmetic, KGIs and the firm calculator.

Runs the notebook through the papermill runner into a temporary reports folder (real
data/processed kept) for 北陸3県 and for 富山県 alone, and reads the CSVs it wrote. Reference
numbers: tests/published/results/kogyo.py (工業統計 表3-01, 百万円).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from tests.published.results import kogyo as pub

NAME = "60_cluster_kpi"
RAW = [
    ("kogyo_tokei", "2016", "manufacturing_2016_table3-01.csv"),
    ("kogyo_tokei", "2019", "manufacturing_2019_table3-01.csv"),
]
TABLES = ("baseline", "baseline_detail", "target_path", "progress", "kgi", "connector_hub")
CHARTS = ("baseline", "progress", "connector_hub")
BASE, TARGET, GROWTH, EMP_GROWTH = 2016, 2030, 20.0, 10.0  # the notebook's defaults


def r1(x: float) -> float:
    return float(Decimal(str(x)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@pytest.fixture
def hokuriku3(run_report):
    return run_report("HOKURIKU3")


@pytest.fixture
def toyama(run_report):
    return run_report("16")


@pytest.mark.slow
def test__baseline_cells_as_published(hokuriku3):
    d = hokuriku3["baseline_detail"]
    names = {"16": "富山県", "17": "石川県", "18": "福井県"}
    industries = {
        "chemicals": "化学工業",
        "production_machinery": "生産用機械器具製造業",
        "electronic_parts": "電子部品・デバイス・電子回路製造業",
    }
    for year, cells in pub.SHIPMENTS.items():
        for (pref, key), value in cells.items():
            if pref not in names:
                continue
            hit = d[(d["年"] == int(year)) & (d["都道府県"] == names[pref]) & (d["産業中分類"] == industries[key])]
            assert hit["製造品出荷額等（百万円）"].tolist() == [value]


@pytest.mark.slow
def test__baseline_total_is_sum_of_cells(hokuriku3):
    b = hokuriku3["baseline"]
    d = hokuriku3["baseline_detail"]
    for name, g in b.groupby("クラスター"):
        total = g.loc[g["都道府県"] == "合計", "製造品出荷額等（百万円）"].item()
        cells = d[(d["クラスター"] == name) & (d["年"] == BASE)]["製造品出荷額等（百万円）"].sum()
        assert total == cells
        assert g.loc[g["都道府県"] != "合計", "製造品出荷額等（百万円）"].sum() == total
        assert g.loc[g["都道府県"] == "合計", "製造品出荷額等（億円）"].item() == r1(total / 100)


@pytest.mark.slow
def test__kpi_arithmetic(hokuriku3):
    b = hokuriku3["baseline"].set_index(["クラスター", "都道府県"])
    path = hokuriku3["target_path"].set_index(["クラスター", "指標", "年"])
    prog = hokuriku3["progress"]
    cols = {
        "製造品出荷額等": ("製造品出荷額等（百万円）", GROWTH),
        "付加価値額": ("付加価値額（百万円）", GROWTH),
        "従業者数": ("従業者数（人）", EMP_GROWTH),
    }
    for (name, _pref), row in b[b.index.get_level_values(1) == "合計"].iterrows():
        for measure, (col, g) in cols.items():
            base = row[col]
            assert path.loc[(name, measure, BASE), "目標値（百万円・人）"] == r1(base)
            assert path.loc[(name, measure, TARGET), "目標値（百万円・人）"] == r1(base * (1 + g / 100))
            p = prog[(prog["クラスター"] == name) & (prog["指標"] == measure)].iloc[0]
            target = base * (1 + g / 100 * (p["実績年"] - BASE) / (TARGET - BASE))
            assert p["基準値"] == base
            assert p["経路上の目標"] == r1(target)
            assert p["差（実績−目標）"] == r1(p["実績"] - target)
            assert p["目標比（%）"] == r1(p["実績"] / target * 100)
            assert p["計画増加分の達成率（%）"] == r1((p["実績"] - base) / (target - base) * 100)


@pytest.mark.slow
def test__kgis_and_firm_calculator(hokuriku3):
    k = hokuriku3["kgi"].set_index("必須KGI")["公的統計での測定"].to_dict()
    assert k == {"官民設備投資額": "一部可", "付加価値増加額": "可", "産業ニーズに即した人材育成数": "不可"}
    f = hokuriku3["connector_hub"].set_index("企業名")
    assert f.loc["架空機械（株）", "コネクター度（%）"] == 2.1  # 61,000 / 2,900,000 = 2.103 %
    assert f.loc["架空機械（株）", "ハブ度（%）"] == 1.0  # 12,400 / 1,240,000
    assert f.loc["架空デバイス（株）", "コネクター度順位"] == 2


@pytest.mark.slow
def test__single_prefecture_region(toyama, hokuriku3):
    b = toyama["baseline"]
    assert set(b["都道府県"]) == {"富山県", "合計"}
    for _name, g in b.groupby("クラスター"):
        assert g["製造品出荷額等（百万円）"].nunique() == 1  # 合計 = 富山県
    h3 = hokuriku3["baseline"]
    ai_toyama = h3[h3["クラスター"].str.contains("AI") & (h3["都道府県"] == "富山県")][
        "製造品出荷額等（百万円）"
    ].item()
    assert b[b["クラスター"].str.contains("AI")]["製造品出荷額等（百万円）"].iloc[0] == ai_toyama
