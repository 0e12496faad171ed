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
from tests.published.results import census as census_pub
from tests.published.results import gsi_menseki as area_pub
from tests.published.results import kenmin_keizai as gdp_pub
from tests.published.results import kogyo as kogyo_pub

NAME = "10_regional_share"
RAW = [
    ("gsi_menseki", "2026-04-01", "area_municipalities_raw.csv"),
    ("juki", "2022-01-01", "juki_population_2022-01-01_muni.csv"),
    ("ssdse_a", "2026", "SSDSE-A-2026.csv"),
    *[("kenmin_keizai", "2022", f"soukatu{i}.xlsx") for i in (1, 2, 7, 9)],
    ("kenmin_keizai_activity", "2022", "industry.json"),
    ("kogyo_tokei", "2019", "manufacturing_2019_table3-01.csv"),
]
PREFS = {"16": "富山", "17": "石川", "18": "福井"}

# 令和2年国勢調査 人口等基本集計 世帯数 (2020-10-01), 全国 and 北陸3県: the figures SSDSE-A-2026 carries by
# municipality (https://www.e-stat.go.jp/stat-search/files?toukei=00200521). The seed's 世帯数 row (61,288 /
# 436 / 501 / 307 千世帯) is 住民基本台帳 2024-01-01, a vintage and a definition we do not have.
CENSUS_2020_HOUSEHOLDS = {"00": 55_830_154, "16": 403_989, "17": 469_910, "18": 291_662}


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
    assert hokuriku3.loc["人口", "時点"] == "2022/1/1"
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
def test__hokuriku3__population_row_is_juki_2022(hokuriku3):
    # The seed's 人口 (1,009 / 1,098 / 747 千人, 2,853) is 住基 2024-01-01, which we do not have: we assert the
    # 2022-01-01 figures of the same statistic, from the loader's golden values, in 千人.
    pub = census_pub.JUKI_PREF["2022-01-01"]
    row = hokuriku3.loc["人口"]
    assert {c: row[n] for c, n in PREFS.items()} == {c: half_up(pub[c] / 1000) for c in PREFS}
    assert row["北陸3県"] == half_up(sum(pub.values()) / 1000) == 2_929
    assert row["全国"] == half_up(census_pub.JUKI_TOTAL["2022-01-01"] / 1000) == 125_928
    assert row["全国比(%)"] == half_up(100 * sum(pub.values()) / census_pub.JUKI_TOTAL["2022-01-01"], 1) == 2.3


@pytest.mark.slow
def test__hokuriku3__households_row_is_census_2020(hokuriku3):
    row = hokuriku3.loc["世帯数"]
    assert row["時点"] == "2020/10/1"
    assert {c: row[n] for c, n in PREFS.items()} == {c: half_up(CENSUS_2020_HOUSEHOLDS[c] / 1000) for c in PREFS}
    region = sum(CENSUS_2020_HOUSEHOLDS[c] for c in PREFS)
    assert row["北陸3県"] == half_up(region / 1000) == 1_166
    assert row["全国"] == 55_830
    assert row["全国比(%)"] == half_up(100 * region / CENSUS_2020_HOUSEHOLDS["00"], 1) == 2.1


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
