"""Golden: FY2022 県内総生産 and its 第1次/第2次/第3次 split, exactly at the published rounding."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import pytest

from hokuriku.codes import prefectures
from hokuriku.sources import kenmin_keizai, kenmin_keizai_activity
from tests.published.results import kenmin_keizai as pub

REGION = prefectures.region("HOKURIKU3")


def oku(million: float) -> int:
    """百万円 → 億円, rounded half up (四捨五入) as the seed deck prints."""
    return int((Decimal(int(million)) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@lru_cache(maxsize=1)
def _gdp():
    return kenmin_keizai.load("2022")


@lru_cache(maxsize=1)
def _activity():
    return kenmin_keizai_activity.load("2022"), kenmin_keizai_activity.load_totals("2022")


@pytest.fixture
def gdp(raw):
    for f in ("soukatu1.xlsx", "soukatu2.xlsx", "soukatu7.xlsx", "soukatu9.xlsx"):
        raw("kenmin_keizai", "2022", f)
    df = _gdp()
    return df[df["fiscal_year"] == pub.FISCAL_YEAR].set_index("area_code")


@pytest.fixture
def activity(raw):
    raw("kenmin_keizai_activity", "2022", "industry.json")
    return _activity()


def test__nominal_gdp_fy2022__matches_soukatu1_in_million_yen(gdp):
    for code, value in pub.GDP_NOMINAL_JPY_MILLION.items():
        assert gdp.loc[code, "gdp_nominal_jpy_million"] == value
    assert gdp.loc["00", "gdp_nominal_jpy_million"] == pub.ALL_PREFECTURES_JPY_MILLION


def test__nominal_gdp_fy2022__seed_oku_figures_and_region_total(gdp):
    ours = {c: oku(gdp.loc[c, "gdp_nominal_jpy_million"]) for c in REGION.pref_codes}
    assert ours == pub.GDP_NOMINAL_OKU
    region_million = sum(gdp.loc[c, "gdp_nominal_jpy_million"] for c in REGION.pref_codes)
    assert oku(region_million) == pub.HOKURIKU3_GDP_OKU  # Σ 百万円 then rounded, not Σ of rounded parts


def test__nominal_gdp_fy2022__share_of_all_prefectures(gdp):
    national = gdp.loc["00", "gdp_nominal_jpy_million"]
    assert oku(national) == pub.OUR_NATIONAL_OKU != pub.SEED_NATIONAL_OKU  # seed = FY2023 edition's revision
    region = sum(gdp.loc[c, "gdp_nominal_jpy_million"] for c in REGION.pref_codes)
    assert round(100 * region / national, 1) == pub.HOKURIKU3_SHARE_PCT


def test__totals__all_prefectures_and_blocks_are_sums_of_prefectures(gdp):
    df = _gdp()
    members = prefectures.table().set_index("pref_code")["esri_block"]
    pref = df[df["area_type"] == "prefecture"]
    for column in ("gdp_nominal_jpy_million", "population_persons"):
        by_block = pref.groupby([pref["area_code"].map(members), "fiscal_year"])[column].sum()
        blocks = df[df["area_type"] == "esri_block"].set_index(["area_name_ja", "fiscal_year"])[column]
        assert (blocks - by_block.reindex(blocks.index)).abs().max() == 0
        assert (df[df["area_code"] == "00"].set_index("fiscal_year")[column]
                == pref.groupby("fiscal_year")[column].sum()).all()
    assert members["15"] == "北海道・東北"


def test__sectors_fy2022__seed_oku_figures(activity):
    act, _ = activity
    sectors = kenmin_keizai_activity.sector_totals(act[act["fiscal_year"] == pub.FISCAL_YEAR]).set_index("pref_code")
    ours = {c: {s: oku(sectors.loc[c, f"{s}_jpy_million"]) for s in kenmin_keizai_activity.SECTORS}
            for c in REGION.pref_codes}
    assert ours == pub.SECTOR_OKU


def test__largest_service_activity_fy2022__seed_100oku_figures(activity):
    act, _ = activity
    top = kenmin_keizai_activity.largest_activity(act[act["fiscal_year"] == pub.FISCAL_YEAR], service_only=True)
    top = top.set_index("pref_code")
    for code in REGION.pref_codes:
        assert top.loc[code, "activity_name_ja"] == pub.LARGEST_SERVICE_ACTIVITY
        value_oku = top.loc[code, "gdp_nominal_jpy_million"] / 100
        assert int(value_oku // 100) * 100 == pub.LARGEST_SERVICE_100OKU[code]  # truncated, see results


def test__activity_totals__equal_soukatu1_for_every_prefecture_and_year(activity, gdp):
    _, totals = activity
    soukatu = _gdp().query("area_type == 'prefecture'").set_index(["area_code", "fiscal_year"])
    mine = totals.set_index(["pref_code", "fiscal_year"])["gdp_nominal_jpy_million"]
    assert (mine - soukatu["gdp_nominal_jpy_million"].reindex(mine.index)).abs().max() == 0
