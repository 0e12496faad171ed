"""Notebook 70_ripple_effect: effects add up, KGI line, multipliers, jobs link and validation tables.

Runs the notebook (papermill runner, temporary reports folder) for 富山県 (the worked example:
1,000億円 電子部品 plant output), 北陸3県 and 中部経済産業局.
"""

from __future__ import annotations

import pytest

NAME = "70_ripple_effect"
RAW = [
    ("io_mic_2015", "2015", "000629595.xlsx"),
    ("io_miyazaki", "2011", "10710_20170328101827-1.xlsx"),
    ("io_regional_12", "2015", "IOTable.csv"),
    ("kogyo_tokei", "2016", "manufacturing_2016_table3-01.csv"),
]
TABLES = ("assumptions", "effects", "effects_by_sector", "kgi_value_added", "multipliers", "jobs_by_area",
          "validation_technical_sectors",
          "validation_lq", "validation_lq_sectors", "validation_technical")
CHARTS = ("effects", "multipliers")
DTYPE = {"area_code": str}


@pytest.mark.slow
@pytest.mark.parametrize("region", ["16", "HOKURIKU3", "CHUBU_METI"])
def test__effects_add_up_and_link_to_population(run_report, region):
    t = run_report(region)
    e = t["effects"].set_index("区分")
    for col in ("生産誘発額（億円）", "粗付加価値誘発額（億円）", "雇用者所得誘発額（億円）"):
        parts = e.loc[["直接効果", "第1次間接波及効果", "第2次間接波及効果"], col].sum()
        assert abs(e.at["合計", col] - parts) <= 0.15  # each printed to 0.1 億円
    assert e.at["直接効果", "生産誘発額（億円）"] == 1000.0  # a plant's output is all direct
    assert 1.0 < e.at["合計", "波及倍率"] < 1.8215  # above 1, below the national 電子部品 multiplier
    k = t["kgi_value_added"].iloc[0]
    assert k["波及を含む合計（億円）"] == e.at["合計", "粗付加価値誘発額（億円）"]
    jobs = t["jobs_by_area"]
    assert abs(jobs["誘発雇用者数（人）"].sum() - e.at["合計", "誘発雇用者数（人）"]) <= len(jobs)
    m = t["multipliers"]
    assert (m["地域の生産波及倍率"] < m["全国の生産波及倍率"]).all()


@pytest.mark.slow
def test__worked_example_toyama_and_validation(run_report):
    t = run_report("16")
    a = t["assumptions"].set_index("項目")["前提"]
    assert a["金額"] == "1,000億円" and a["部門"] == "32 電子部品" and "FLQ（δ = 0.1）" in a["地域の投入係数"]
    assert t["jobs_by_area"]["area_code"].tolist() == ["16"]
    v = t["validation_lq"]
    national = v[v["投入係数"].str.startswith("全国")].set_index("手法")
    best = national["生産波及倍率 平均絶対誤差（%）"].idxmin()
    assert best == "FLQ δ=0.1"  # the default is the best δ on the grid
    assert len(t["validation_technical"]) == 42  # every prefecture of the 12-sector file
    assert "富山県" in t["validation_technical"]["都道府県"].tolist()
