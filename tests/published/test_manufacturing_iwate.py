"""Golden: SSDS 岩手県 municipalities add up to the prefecture row (exactly for counts; shipments within rounding)."""

from __future__ import annotations

import pytest

from hokuriku.sources import ssds_iwate

EXACT = ("establishments", "employees", "taxpayers_persons", "taxable_income_jpy_thousand")
# Each municipal 製造品出荷額等 is rounded to 百万円 on its own (error ≤ 0.5 each), so the sum of n municipalities may
# differ from the separately rounded prefecture figure by at most n × 0.5 (+0.5 for the prefecture's own rounding).
ROUNDING_PER_CELL_JPY_MILLION = 0.5


@pytest.fixture
def iwate(raw):
    raw("ssds_iwate", "2024", ssds_iwate.FILENAME)
    return ssds_iwate.load()


def test__municipalities_sum_to_prefecture(iwate):
    pref = iwate[iwate["area_level"] == "prefecture"].set_index("year")
    munis = iwate[iwate["area_level"] == "municipality"]
    for year, group in munis.groupby("year"):
        for col in EXACT:
            if pref.loc[year, col] == pref.loc[year, col]:  # published that year
                assert group[col].sum() == pref.loc[year, col], (year, col)
        n = int(group["shipments_jpy_million"].notna().sum())
        if n:
            tolerance = (n + 1) * ROUNDING_PER_CELL_JPY_MILLION
            assert abs(group["shipments_jpy_million"].sum() - pref.loc[year, "shipments_jpy_million"]) <= tolerance
    assert set(munis["year"]) == set(range(2010, 2025))


def test__kitakami_series(iwate):
    s = iwate[iwate["muni_code"] == "03206"].set_index("year")["shipments_jpy_million"]
    # MANIFEST.md: 北上市 2019 385,175; 2020 360,732; 2022 642,473; 2023 567,342 百万円.
    assert s[[2012, 2019, 2020, 2022, 2023]].astype(int).tolist() == [347_683, 385_175, 360_732, 642_473, 567_342]
