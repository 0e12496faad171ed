"""Notebook 50_agglomeration: NRI's examples placed, municipal check values and merger sums from its CSVs.

Runs the notebook through the papermill runner into a temporary reports folder (real
data/processed kept) for 北陸3県 and for 中部経済産業局, and reads the CSVs it wrote. Reference
numbers: tests/published/results/rieti.py (工業統計 市区町村編; 内閣府「選択する未来」委員会 data) and
tests/published/results/nri_typology.py (NRI's placements).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from hokuriku import store
from tests.published.results import rieti as pub
from tests.published.results.nri_typology import NRI_PLACEMENTS

NAME = "50_agglomeration"
DTYPE = {"市区町村コード": str}
RAW = [
    ("rieti_manu", "2012", "DTA_meti_manu2001.dta"),
    ("rieti_manu", "2012", "DTA_meti_manu2012.dta"),
    ("rieti_manu", "2012", "DTA_cao_manu.dta"),
    ("muni_converter", "2020", "municipality_converter_jp.csv"),
    ("kogyo_tokei", "2019", "manufacturing_2019_table3-01.csv"),
    ("ess_muni", "2024", "mfgShip_2024_by_municipality_oku_yen.csv"),
    ("ssdse_a", "2026", "SSDSE-A-2026.csv"),
]
TABLES = (
    "scatter_summary",
    "growth_scatter",
    "area_long_series",
    "area_composition",
    "area_members",
    "milestones",
    "metabolism",
    "typology_rules",
    "typology",
    "scatter_long_summary",
    "growth_scatter_long",
    "growth_named",
    "area_composition_nri",
)
CHARTS = ("growth_scatter", "growth_scatter_long", "metabolism", "typology", "area_kitakami_basin", "area_hamamatsu",
          "area_kitakami_basin_nri_composition")
IMIZU = "16211"  # 射水市: formed 2005-11-01 from 新湊市・小杉町・大門町・下村・大島町
IMIZU_PREDECESSORS = 5


@pytest.fixture
def hokuriku3(run_report):
    return run_report("HOKURIKU3")


@pytest.fixture
def chubu(run_report):
    return run_report("CHUBU_METI")


def oku_1dp(jpy_10k: float) -> float:
    return float((Decimal(int(jpy_10k)) / 10_000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@pytest.mark.slow
@pytest.mark.parametrize("region", ["HOKURIKU3", "CHUBU_METI"])
def test__nri_examples_placed(run_report, region):
    typ = run_report(region)["typology"].set_index("area_id")
    for area_id, (_focal, nri_type) in NRI_PLACEMENTS.items():
        assert typ.loc[area_id, "判定"] == nri_type, typ.loc[area_id, "判定理由"]
        assert typ.loc[area_id, "NRIの分類"] == nri_type


@pytest.mark.slow
def test__kitakami_2012_in_both_rieti_files(hokuriku3):
    m = hokuriku3["area_members"].set_index("市区町村コード")
    assert m.loc["03206", "出荷額（万円）_工業統計市区町村編"] == pub.KITAKAMI_2012_SHIPMENTS_JPY_10K
    assert m.loc["03206", "出荷額（百万円）_選択する未来委員会"] == pub.KITAKAMI_2012_CAO_JPY_MILLION
    assert m.loc["03206", "出荷額（億円）_工業統計市区町村編"] == pub.KITAKAMI_2012_SHIPMENTS_OKU_YEN
    assert m.loc["03206", "出荷額（億円）_選択する未来委員会"] == pub.KITAKAMI_2012_SHIPMENTS_OKU_YEN


@pytest.mark.slow
def test__hamamatsu_2000_long_series(hokuriku3):
    s = hokuriku3["area_long_series"].set_index(["area_id", "年"])
    assert s.loc[("hamamatsu", 2000), "製造品出荷額等（百万円）"] == pub.CAO_2000_JPY_MILLION["22130"]
    assert s.loc[("hamamatsu", 2000), "値のない構成市町村数"] == 0


@pytest.mark.slow
def test__merger_sum_imizu_2001(hokuriku3):
    """射水市's 2001 start value in the scatter = Σ of its five predecessors' published 2001 cells."""
    sc = hokuriku3["growth_scatter"].set_index("市区町村コード")
    assert sc.loc[IMIZU, "対象地域"] == "○"
    mi = store.table("rieti_manu", "muni_industry")
    cw = store.table("muni_converter", "crosswalk")
    ids = cw.loc[(cw["snapshot_year"] == 2020) & (cw["muni_code"] == IMIZU), "merge_id"]
    olds = set(cw.loc[(cw["snapshot_year"] == 2000) & cw["merge_id"].isin(ids), "muni_code"])
    rows = mi[(mi["year"] == 2001) & (mi["industry_key"] == "total") & mi["muni_code"].isin(olds)]
    assert len(rows) == IMIZU_PREDECESSORS
    assert rows["shipments_jpy_10k"].notna().all()
    assert sc.loc[IMIZU, "出荷額_始点（億円）"] == oku_1dp(rows["shipments_jpy_10k"].sum())


@pytest.mark.slow
def test__scatter_counts_do_not_depend_on_region(hokuriku3, chubu):
    a, b = hokuriku3["scatter_summary"].iloc[0], chubu["scatter_summary"].iloc[0]
    assert (a["条件を満たす市区町村数"], a["両年の値がある市区町村数"]) == (
        b["条件を満たす市区町村数"],
        b["両年の値がある市区町村数"],
    )
    assert a["うち北陸3県"] == (hokuriku3["growth_scatter"]["対象地域"] == "○").sum()
    assert set(chubu["typology"]["地域"]) >= {"愛知県", "三重県", "中部経済産業局"}
    kept = hokuriku3["growth_scatter"]
    assert (kept["出荷額_終点（億円）"] >= a["出荷額の下限（億円）"]).all()
    assert ((kept["出荷額の伸び（%）"] > 0) & (kept["1人当たり出荷額の伸び（%）"] > 0)).all()


@pytest.mark.slow
def test__breaks_marked_and_composition_sums_to_100(hokuriku3):
    ms = hokuriku3["milestones"]
    assert ms.loc[ms["種類"] == "統計の断層", "年"].tolist() == [2002, 2008]
    comp = hokuriku3["area_composition"].groupby(["area_id", "年"])["構成比（%）"].sum()
    assert comp.between(99.5, 100.5).all()  # shares at 1 dp, summed


@pytest.mark.slow
def test__growth_scatter_2000_to_2024_nri_filter_and_named(hokuriku3, chubu):
    """NRI's span on one set of boundaries: 2000 (工業統計) → 2024 (経済構造実態調査), NRI's filter, named table."""
    summ = hokuriku3["scatter_long_summary"].iloc[0]
    assert (summ["始点"], summ["終点"], summ["従業者数_始点の年"], summ["従業者数_終点の年"]) == (2000, 2024, 2001, 2021)
    assert summ["終点の調査範囲"] == "経済構造実態調査（個人経営を除く全事業所）"
    kept = hokuriku3["growth_scatter_long"]
    assert len(kept) == summ["条件を満たす市区町村数"] < summ["両年の値がある市区町村数"]
    assert (kept["出荷額_終点（億円）"] >= 3000).all()
    assert ((kept["出荷額の伸び（%）"] > 0) & (kept["1人当たり出荷額の伸び（%）"] > 0)).all()
    assert chubu["scatter_long_summary"].iloc[0]["条件を満たす市区町村数"] == summ["条件を満たす市区町村数"]
    named = hokuriku3["growth_named"].set_index("市区町村")
    assert {"北上市", "四国中央市", "阿南市", "神戸市", "周南市"} <= set(named.index)
    # 北上市: 2000 367,399 百万円 (DTA_cao_manu) → 2024 5,704.0 億円 (経済構造実態調査): +55.3 %
    assert (named.loc["北上市", "出荷額_2000年（億円）"], named.loc["北上市", "出荷額_2024年（億円）"]) == (3674.0, 5704.0)
    assert named.loc["北上市", "出荷額の伸び（%）"] == 55.3 and named.loc["北上市", "散布図に記載"] == "○"
    assert (named.loc[named["区分"] == "対象地域", "都道府県"].isin(["富山県", "石川県", "福井県"])).all()
    assert named.loc["富山市", "出荷額_2024年（億円）"] == 15234.0


@pytest.mark.slow
def test__kitakami_basin_counts_hasama_from_2000(hokuriku3):
    s = hokuriku3["area_long_series"].set_index(["area_id", "年"])
    assert s.loc[("kitakami_basin", 1999), "構成市町村数"] == 8
    assert s.loc[("kitakami_basin", 2000), "構成市町村数"] == 9  # + 登米市（迫地区）from 2000, NRI's footnote
    assert (s.loc["kitakami_basin", "合計の状態"] == "全構成市町村の合計").all()


@pytest.mark.slow
def test__kitakami_nri_composition_groups_and_break(hokuriku3):
    c = hokuriku3["area_composition_nri"]
    assert set(c["業種（NRIの区分）"]) == {"食料品", "金属・非鉄金属製品", "窯業・土石", "鉄鋼", "一般機械", "電気機械",
                                     "情報通信機械", "電子部品・デバイス", "輸送用機械", "その他"}
    y2001 = c[c["年"] == 2001]
    assert "電子部品・デバイス" not in set(y2001["業種（NRIの区分）"])  # one broad 電気機械 before JSIC rev. 11
    assert c.groupby("年")["構成比（%）"].sum().between(99.5, 100.5).all()
