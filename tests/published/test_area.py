"""Golden: 面積調 2025-10-01 areas and the seed deck's 面積 row."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import pytest

from hokuriku.codes import prefectures
from hokuriku.sources import gsi_menseki
from tests.published.results import gsi_menseki as pub

REGION = prefectures.region("HOKURIKU3")


def km2(value: float) -> int:
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@lru_cache(maxsize=1)
def _area():
    return gsi_menseki.load("2026-04-01")


@pytest.fixture
def area(raw):
    raw("gsi_menseki", "2026-04-01", "area_municipalities_raw.csv")
    df = _area()
    day = df[(df["ref_date"] == pub.REF_DATE) & df["area_level"].isin(["national", "prefecture"])]
    return day.set_index("pref_code")


def test__area_2025_10_01__as_published(area):
    for code, value in pub.AREA_KM2.items():
        assert area.loc[code, "area_km2"] == value
    assert bool(area.loc["16", "is_reference_value"]) is pub.TOYAMA_IS_REFERENCE_VALUE


def test__area_2025_10_01__seed_rounded_figures(area):
    assert {c: km2(area.loc[c, "area_km2"]) for c in pub.AREA_KM2_ROUNDED} == pub.AREA_KM2_ROUNDED


def test__area_2025_10_01__region_total_and_share(area):
    total = sum(Decimal(str(area.loc[c, "area_km2"])) for c in REGION.pref_codes)
    assert km2(total) == pub.HOKURIKU3_AREA_KM2_ROUNDED  # not 4,248 + 4,191 + 4,191 = 12,630
    assert round(float(100 * total / Decimal(str(area.loc["00", "area_km2"]))), 1) == pub.HOKURIKU3_SHARE_PCT
