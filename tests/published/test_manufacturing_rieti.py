"""Golden: municipal 製造品出荷額等 (工業統計 市区町村編) from Kondo's files and SSDS, exactly as published."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import numpy as np
import pytest

from hokuriku.sources import rieti_manu, ssds_iwate
from tests.published.results import rieti as pub


def oku_1dp(jpy_10k: float) -> float:
    """万円 → 億円 at one decimal, rounded half up (四捨五入)."""
    return float((Decimal(int(jpy_10k)) / 10_000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@lru_cache(maxsize=4)
def _year(year: int):
    return rieti_manu.load(years=[year]).set_index(["muni_code", "industry_key"])


@lru_cache(maxsize=1)
def _cao():
    return rieti_manu.load_cao().set_index(["muni_code", "year"])["shipments_jpy_million"]


@pytest.fixture
def rieti(raw):
    for name in ("DTA_meti_manu2002.dta", "DTA_meti_manu2012.dta", "DTA_cao_manu.dta"):
        raw("rieti_manu", "2012", name)
    return _year


class CheckPublished:
    """statsmodels-style: ``res1`` (ours) against ``res2`` (published), exactly."""

    res2: dict

    def test_values(self, rieti):
        res1 = self.ours(rieti)
        assert res1 == self.res2


class TestKitakami2012(CheckPublished):
    res2 = {"total": pub.KITAKAMI_2012_SHIPMENTS_JPY_10K,
            "electronic_parts": pub.KITAKAMI_2012_ELECTRONIC_PARTS_JPY_10K,
            "transport_equipment": pub.KITAKAMI_2012_TRANSPORT_JPY_10K}

    @staticmethod
    def ours(rieti):
        df = rieti(2012)
        return {k: int(df.loc[("03206", k), "shipments_jpy_10k"]) for k in ("total", "electronic_parts",
                                                                            "transport_equipment")}


def test__kitakami_2012__oku_yen_and_independent_files(rieti, raw):
    total = rieti(2012).loc[("03206", "total"), "shipments_jpy_10k"]
    assert oku_1dp(total) == pub.KITAKAMI_2012_SHIPMENTS_OKU_YEN
    # DTA_cao_manu (百万円, 2 decimals) holds the same cell: 34,768,266 万円 = 347,682.66 百万円.
    assert _cao()[("03206", 2012)] == pub.KITAKAMI_2012_CAO_JPY_MILLION
    assert round(total / 100, 2) == pub.KITAKAMI_2012_CAO_JPY_MILLION
    raw("ssds_iwate", "2024", ssds_iwate.FILENAME)
    ssds = ssds_iwate.load().set_index(["muni_code", "year"])["shipments_jpy_million"]
    assert ssds[("03206", 2012)] == pub.KITAKAMI_2012_SSDS_JPY_MILLION
    assert int(Decimal(str(pub.KITAKAMI_2012_CAO_JPY_MILLION)).quantize(Decimal(1), ROUND_HALF_UP)) == \
        pub.KITAKAMI_2012_SSDS_JPY_MILLION


class TestPrefectureTotals2002(CheckPublished):
    res2 = {"34000": pub.HIROSHIMA_2002_SHIPMENTS_JPY_10K, "01000": pub.HOKKAIDO_2002_SHIPMENTS_JPY_10K}

    @staticmethod
    def ours(rieti):
        df = rieti(2002)
        return {c: int(df.loc[(c, "total"), "shipments_jpy_10k"]) for c in ("34000", "01000")}


@pytest.mark.parametrize(("code", "expected"), sorted(pub.CAO_2000_JPY_MILLION.items()))
def test__cao_manu2000(rieti, code, expected):
    assert _cao()[(code, 2000)] == expected


def test__hiroshima_transport_2002__not_reproducible(rieti):
    """The 7,617 億円 check value cannot be rebuilt from municipal data: document what the data give.

    The prefecture row has 製造業計 only; 町村 (府中町 = Mazda) have no split; two 広島市 ward cells are X.
    """
    df = rieti(2002).reset_index()
    hiroshima = df[df["pref_code"] == "34"]
    assert hiroshima.loc[hiroshima["area_level"] == "prefecture", "industry_key"].tolist() == ["total"]
    fuchu = hiroshima[hiroshima["muni_code"] == "34302"]
    assert fuchu["industry_key"].tolist() == ["total"]
    assert int(fuchu["shipments_jpy_10k"].item()) == pub.HIROSHIMA_2002_FUCHU_TOWN_TOTAL_JPY_10K
    transport = hiroshima[hiroshima["industry_key"] == "transport_equipment"]
    cities = transport[transport["area_level"] == "municipality"]
    assert int(cities["shipments_jpy_10k"].sum()) == pub.HIROSHIMA_2002_TRANSPORT_CITIES_JPY_10K
    with_wards = transport[transport["area_level"].isin(["municipality", "ward"])]
    assert int(with_wards["shipments_jpy_10k"].sum()) == pub.HIROSHIMA_2002_TRANSPORT_CITIES_WARDS_JPY_10K
    suppressed = tuple(sorted(with_wards.loc[with_wards["is_suppressed"], "muni_code"]))
    assert suppressed == pub.HIROSHIMA_2002_TRANSPORT_SUPPRESSED_WARDS
    assert np.isnan(with_wards.loc[with_wards["is_suppressed"], "shipments_jpy_10k"]).all()
    # Neither partial sum is the check value (and the ward-inclusive one already exceeds it, so the 7,617 億円
    # figure probably refers to another measure or table): recorded in docs, not bent into the code.
    for partial in (pub.HIROSHIMA_2002_TRANSPORT_CITIES_JPY_10K, pub.HIROSHIMA_2002_TRANSPORT_CITIES_WARDS_JPY_10K):
        assert round(partial / 10_000) != pub.HIROSHIMA_2002_TRANSPORT_CHECK_OKU_YEN
