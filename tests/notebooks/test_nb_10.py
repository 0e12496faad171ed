"""Notebook 10_regional_share: its 総括 table reproduces the seed's rows exactly where the vintage is the same.

Runs the notebook through the papermill runner into a temporary reports folder (the real
data/processed store is kept, so tables are reused) for 北陸3県 and for one prefecture, and reads
the CSV it wrote. Seed: ../shared/seeds/chiiki-mirai-senryaku-2026-05-22.txt, 「北陸地域の経済指標（総括）」.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest

from hokuriku import store
from tests.notebooks.conftest import read_tables
from tests.published.results import juki as juki_pub
from tests.published.results import gsi_menseki as area_pub
from tests.published.results import kenmin_keizai as gdp_pub
from tests.published.results import kogyo as kogyo_pub

NAME = "10_regional_share"
RAW = [
    ("gsi_menseki", "2026-04-01", "area_municipalities_raw.csv"),
    ("juki", "2025-01-01", "soumu_juki_R7_2025-01-01_municipality.xlsx"),
    ("juki", "2025-01-01", "soumu_juki_R7_2025-01-01_prefecture.xlsx"),
    *[("kenmin_keizai", "2022", f"soukatu{i}.xlsx") for i in (1, 2, 7, 9)],
    ("kenmin_keizai_activity", "2022", "industry.json"),
    ("kogyo_tokei", "2019", "manufacturing_2019_table3-01.csv"),
]
PREFS = {"16": "富山", "17": "石川", "18": "福井"}

SEED_COLUMNS = ["全国", "富山", "石川", "福井", "北陸3県", "全国比(%)"]


def half_up(x: float, digits: int = 0) -> float:
    return float(Decimal(str(x)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


@pytest.fixture
def run_notebook(notebook_run):
    def run(region: str) -> pd.DataFrame:
        out = notebook_run(NAME, region, charts=("regional_share_chart",))
        return read_tables(out, ("regional_summary",), dtype={"時点": str})["regional_summary"]

    return run


@pytest.fixture
def hokuriku3(raw, run_notebook):
    for spec in RAW:
        raw(*spec)
    return run_notebook("HOKURIKU3").set_index("項目")


@pytest.fixture
def toyama(raw, run_notebook):
    for spec in RAW:
        raw(*spec)
    return run_notebook("16").set_index("項目")


@pytest.mark.slow
def test__hokuriku3__layout_and_dates(hokuriku3):
    assert list(hokuriku3.reset_index().columns) == [
        "項目",
        "時点",
        "単位",
        "全国",
        "富山",
        "石川",
        "福井",
        "北陸3県",
        "全国比(%)",
        "出所",
    ]
    assert hokuriku3.loc["面積", "時点"] == "2025/10/1"
    assert hokuriku3.loc["人口", "時点"] == "2025/1/1"
    assert hokuriku3.loc["世帯数", "時点"] == "2025/1/1"
    assert hokuriku3.loc["人口", "出所"] == hokuriku3.loc["世帯数", "出所"]
    assert "住民基本台帳に基づく人口、人口動態及び世帯数（令和7年1月1日現在）" in hokuriku3.loc["人口", "出所"]
    assert hokuriku3.loc["県内総生産(名目)", "時点"] == "2022年度"
    assert hokuriku3["出所"].str.len().min() > 0


@pytest.mark.slow
def test__hokuriku3__gdp_rows_equal_the_seed(hokuriku3):
    row = hokuriku3.loc["県内総生産(名目)"]
    assert {c: row[n] for c, n in PREFS.items()} == gdp_pub.GDP_NOMINAL_OKU
    assert row["北陸3県"] == gdp_pub.HOKURIKU3_GDP_OKU
    assert row["全国比(%)"] == gdp_pub.HOKURIKU3_SHARE_PCT
    # Our 全国 is 令和4年度版 全県計; the seed's 5,957,888 is the FY2023 edition's revision of FY2022.
    assert row["全国"] == gdp_pub.OUR_NATIONAL_OKU != gdp_pub.SEED_NATIONAL_OKU
    for sector, item in (("primary", "うち第1次産業"), ("secondary", "うち第2次産業"), ("tertiary", "うち第3次産業")):
        assert {c: hokuriku3.loc[item, n] for c, n in PREFS.items()} == {
            c: v[sector] for c, v in gdp_pub.SECTOR_OKU.items()
        }
    # Seed 北陸3県 column (億円): Σ 百万円 then rounded.
    assert hokuriku3.loc[["うち第1次産業", "うち第2次産業", "うち第3次産業"], "北陸3県"].tolist() == [
        1_053,
        44_411,
        84_599,
    ]
    assert hokuriku3.loc[["うち第1次産業", "うち第2次産業", "うち第3次産業"], "全国比(%)"].tolist() == [1.9, 2.8, 2.0]


@pytest.mark.slow
def test__hokuriku3__area_row_equals_the_seed(hokuriku3):
    row = hokuriku3.loc["面積"]
    assert {c: row[n] for c, n in PREFS.items()} == {c: area_pub.AREA_KM2_ROUNDED[c] for c in PREFS}
    assert row["全国"] == area_pub.AREA_KM2_ROUNDED["00"]
    assert row["北陸3県"] == area_pub.HOKURIKU3_AREA_KM2_ROUNDED  # 12,629, not 4,248 + 4,191 + 4,191
    assert row["全国比(%)"] == area_pub.HOKURIKU3_SHARE_PCT


@pytest.mark.slow
def test__hokuriku3__population_and_households_rows_equal_the_seed(hokuriku3):
    # 住基 2025-01-01 (the latest vintage, the default): the seed's rows exactly (its 出所 line says 令和6年1月1日,
    # its numbers and 時点 are 令和7年 = 2025-01-01; docs/data_log.md).
    assert tuple(hokuriku3.loc["人口", SEED_COLUMNS]) == juki_pub.SEED_POPULATION_THOUSANDS
    assert tuple(hokuriku3.loc["世帯数", SEED_COLUMNS]) == juki_pub.SEED_HOUSEHOLDS_THOUSANDS


@pytest.mark.slow
def test__hokuriku3__manufacturing_rows_are_kogyo_2019(hokuriku3):
    # The seed's 従業者数 / 事業所数 (7,734千人 / 222,200, 2023年) are the 2024 経済構造実態調査; we have the 2020
    # 工業統計調査 (2019年). 全国 = Σ 47 prefectures × 24 中分類 = the table's column sums (no suppressed cell
    # among 従業者数 / 事業所数 in 2019, so the sums are complete).
    sums = kogyo_pub.COLUMN_SUMS["2019"]
    assert hokuriku3.loc["製造業従業者数", "全国"] == half_up(sums["employees"] / 1000) == 7_718
    assert hokuriku3.loc["製造業事業所数", "全国"] == sums["establishments"]
    assert hokuriku3.loc["製造業従業者数", "時点"] == "2019年"
    assert hokuriku3.loc["製造業従業者数", ["富山", "石川", "福井", "北陸3県", "全国比(%)"]].tolist() == [
        127,
        103,
        73,
        303,
        3.9,
    ]
    assert hokuriku3.loc["製造業事業所数", ["富山", "石川", "福井", "北陸3県", "全国比(%)"]].tolist() == [
        2_645,
        2_748,
        2_032,
        7_425,
        4.1,
    ]


@pytest.mark.slow
def test__single_prefecture__one_column_named_after_it(toyama):
    assert list(toyama.reset_index().columns) == ["項目", "時点", "単位", "全国", "富山県", "全国比(%)", "出所"]
    assert toyama.loc["県内総生産(名目)", "富山県"] == gdp_pub.GDP_NOMINAL_OKU["16"]
    assert toyama.loc["面積", "富山県"] == area_pub.AREA_KM2_ROUNDED["16"]
    assert (
        toyama.loc["県内総生産(名目)", "全国比(%)"]
        == half_up(100 * gdp_pub.GDP_NOMINAL_JPY_MILLION["16"] / gdp_pub.ALL_PREFECTURES_JPY_MILLION, 1)
        == 0.8
    )


@pytest.fixture
def hokuriku4(raw, run_notebook):
    for spec in RAW:
        raw(*spec)
    return run_notebook("HOKURIKU4").set_index("項目")


@pytest.mark.slow
def test__hokuriku4__niigata_joins_and_totals_come_from_unrounded_sums(hokuriku4):
    """北陸4県 (新潟 + 北陸3県): a region of four prefectures without code changes."""
    assert list(hokuriku4.reset_index().columns)[3:9] == ["全国", "新潟", "富山", "石川", "福井", "北陸4県"]
    gdp = hokuriku4.loc["県内総生産(名目)"]
    assert [gdp[p] for p in ("富山", "石川", "福井")] == [gdp_pub.GDP_NOMINAL_OKU[c] for c in ("16", "17", "18")]
    # 新潟 comes from the same ESRI table as the seed's prefectures (soukatu1, FY2022, 百万円 → 億円, half up).
    gdp_mil = store.table("kenmin_keizai", "gdp").query("fiscal_year == 2022").set_index("area_code")
    assert gdp["新潟"] == half_up(gdp_mil.loc["15", "gdp_nominal_jpy_million"] / 100, 0)
    # The region total is rounded from the unrounded sum, so it may differ from the sum of rounded cells.
    unrounded = sum(gdp_mil.loc[c, "gdp_nominal_jpy_million"] for c in ("15", "16", "17", "18"))
    assert gdp["北陸4県"] == half_up(unrounded / 100, 0)
    assert gdp["全国比(%)"] == half_up(100 * unrounded / gdp_mil.loc["00", "gdp_nominal_jpy_million"], 1)
