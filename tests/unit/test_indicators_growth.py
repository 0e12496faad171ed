"""Unit tests for hokuriku.indicators.growth.

Worked example (Farhauer & Kröll 2013, REAT ``growth``/``shift`` Examples, nation X):
industries 400→440, 150→210, 150→135, 400→480 grow by 10 %, 40 %, −10 %, 20 %; total 1,100 → 1,265 = 15 %.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from hokuriku import datasets
from hokuriku.errors import InputError
from hokuriku.indicators.growth import cagr, contribution, growth_rate, index, yoy_growth


def _x() -> pd.DataFrame:
    return datasets.load_example("farhauer_kroell").query("unit == 'X' and period < 2")


def test__growth_rate__farhauer_kroell_nation():
    res = growth_rate(_x(), value="employment_persons", time="period", start=0, end=1, by="industry")
    assert res["growth_rate"].round(10).tolist() == [0.1, 0.4, -0.1, 0.2]
    assert res["change"].tolist() == [40, 60, -15, 80]


def test__growth_rate__zero_start_is_nan_not_inf():
    df = pd.DataFrame({"year": [2000, 2010], "v": [0.0, 5.0]})
    assert math.isnan(growth_rate(df, value="v", time="year", start=2000, end=2010)["growth_rate"].iloc[0])


def test__growth_rate__missing_end_for_a_group_raises():
    df = pd.DataFrame({"g": ["a", "a", "b"], "year": [2000, 2010, 2000], "v": [1.0, 2.0, 3.0]})
    with pytest.raises(InputError, match="unmatched"):
        growth_rate(df, value="v", time="year", start=2000, end=2010, by="g")


def test__growth_rate__nan_propagates():
    df = pd.DataFrame({"year": [2000, 2010], "v": [float("nan"), 5.0]})
    assert math.isnan(growth_rate(df, value="v", time="year", start=2000, end=2010)["growth_rate"].iloc[0])


def test__cagr__doubling_in_ten_years():
    """2^(1/10) − 1 = 0.0717735 (doubling in 10 years)."""
    df = pd.DataFrame({"fiscal_year": [2011, 2021], "v": [100.0, 200.0]})
    res = cagr(df, value="v", time="fiscal_year", start=2011, end=2021)
    assert float(res["cagr"].iloc[0]) == pytest.approx(2 ** 0.1 - 1)
    assert float(res["periods"].iloc[0]) == 10


def test__cagr__nonpositive_start_is_nan():
    df = pd.DataFrame({"year": [1, 2], "v": [-1.0, 2.0]})
    assert math.isnan(cagr(df, value="v", time="year", start=1, end=2)["cagr"].iloc[0])


def test__cagr__zero_periods_raises():
    df = pd.DataFrame({"year": [1, 2], "v": [1.0, 2.0]})
    with pytest.raises(InputError, match="positive number of periods"):
        cagr(df, value="v", time="year", start=1, end=2, periods=0)


def test__index__base_is_100():
    """1,100 → 1,265 with base 0: 100, 115."""
    tot = _x().groupby("period", as_index=False)["employment_persons"].sum()
    res = index(tot, value="employment_persons", time="period", base=0)
    assert res["index"].round(10).tolist() == [100.0, 115.0]


def test__index__group_without_base_raises():
    df = pd.DataFrame({"g": ["a", "a", "b"], "year": [2020, 2025, 2025], "v": [1.0, 2.0, 3.0]})
    with pytest.raises(InputError, match="without a base"):
        index(df, value="v", time="year", base=2020, by="g")


def test__yoy_growth__sorted_and_first_nan():
    df = pd.DataFrame({"g": ["a"] * 3, "year": [2022, 2020, 2021], "v": [121.0, 100.0, 110.0]})
    res = yoy_growth(df, value="v", time="year", by="g")
    assert res["year"].tolist() == [2020, 2021, 2022]
    assert math.isnan(res["growth_rate"].iloc[0])
    assert res["growth_rate"].iloc[1:].round(10).tolist() == [0.1, 0.1]


def test__contribution__sums_to_total_growth():
    """寄与度: 40/1100, 60/1100, −15/1100, 80/1100 → sum 165/1100 = 15 % = growth of the total; 寄与率 sums to 1."""
    res = contribution(_x(), value="employment_persons", time="period", start=0, end=1, part="industry")
    assert res["contribution"].tolist() == pytest.approx([40 / 1100, 60 / 1100, -15 / 1100, 80 / 1100])
    assert res["contribution"].sum() == pytest.approx(0.15)
    assert res["contribution_share"].sum() == pytest.approx(1.0)


def test__contribution__published_total_row():
    df = pd.DataFrame({"part": ["total", "a", "total", "a"], "year": [1, 1, 2, 2], "v": [200.0, 50.0, 220.0, 60.0]})
    res = contribution(df, value="v", time="year", start=1, end=2, part="part", total="total")
    assert res["part"].tolist() == ["a"]
    assert float(res["contribution"].iloc[0]) == pytest.approx(10 / 200)
    assert float(res["contribution_share"].iloc[0]) == pytest.approx(10 / 20)
