"""Unit tests for hokuriku.indicators.location_quotient (特化係数).

Reference example: REAT ``locq`` documentation (Wieland, REAT: Regional Economic Analysis Toolbox,
https://CRAN.R-project.org/package=REAT, ``?locq`` Examples, "Example from Farhauer/Kroell (2013)"):
``locq(1714, 79006, 879213, 15593224)`` returns 0.3847623, i.e. e_ir = 1,714, e_r = 79,006,
e_iN = 879,213, e_N = 15,593,224: (1714/79006)/(879213/15593224) = 0.021694/0.056384 = 0.3847623.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from hokuriku.errors import InputError
from hokuriku.indicators.location_quotient import location_quotient

REAT_LOCQ = 0.3847623  # REAT ?locq Examples (Farhauer/Kroell 2013)


def test__location_quotient__reat_locq_example_with_other_industry():
    df = pd.DataFrame(
        {
            "pref_code": ["R", "R", "00", "00"],
            "industry": ["i", "other", "i", "other"],
            "emp": [1714, 79006 - 1714, 879213, 15593224 - 879213],
        }
    )
    res = location_quotient(df, value="emp", national="row").set_index("industry")
    assert round(float(res.loc["i", "lq"]), 7) == REAT_LOCQ


def test__location_quotient__reat_locq_example_with_published_totals():
    df = pd.DataFrame(
        {
            "pref_code": ["R", "R", "00", "00"],
            "industry": ["i", "全産業", "i", "全産業"],
            "emp": [1714, 79006, 879213, 15593224],
        }
    )
    res = location_quotient(df, value="emp", national="row", total="全産業")
    assert res["industry"].tolist() == ["i"]
    assert round(float(res["lq"].iloc[0]), 7) == REAT_LOCQ


def test__location_quotient__national_structure_gives_one_and_region_param():
    """Two units with identical mixes (1:3) → every LQ = 1; as a region (sum) also 1."""
    df = pd.DataFrame({"pref_code": ["16", "16", "17", "17"], "industry": ["a", "b"] * 2, "v": [1.0, 3.0, 2.0, 6.0]})
    assert location_quotient(df, value="v")["lq"].tolist() == pytest.approx([1.0] * 4)
    reg = location_quotient(df, value="v", region=["16", "17"])
    assert set(reg["pref_code"]) == {"16+17"} and reg["lq"].tolist() == pytest.approx([1.0, 1.0])


def test__location_quotient__suppressed_cell_propagates_nan():
    """16's industry b is suppressed: 16's total is unknown → both its LQs NaN; with sum mode b's national too."""
    df = pd.DataFrame({"pref_code": ["16", "16", "17", "17"], "industry": ["a", "b"] * 2, "v": [1.0, None, 2.0, 6.0]})
    res = location_quotient(df, value="v").set_index(["pref_code", "industry"])["lq"]
    assert res.isna().all()
    df_nat = pd.concat([df, pd.DataFrame({"pref_code": ["00", "00"], "industry": ["a", "b"], "v": [10.0, 30.0]})])
    res = location_quotient(df_nat, value="v", national="row").set_index(["pref_code", "industry"])["lq"]
    assert math.isnan(res[("16", "a")]) and res[("17", "a")] == pytest.approx((2 / 8) / (10 / 40))


def test__location_quotient__missing_industry_row_raises():
    df = pd.DataFrame({"pref_code": ["16", "16", "17"], "industry": ["a", "b", "a"], "v": [1.0, 2.0, 3.0]})
    with pytest.raises(InputError, match="missing combinations"):
        location_quotient(df, value="v")


def test__location_quotient__national_rows_with_other_industries_raise():
    df = pd.DataFrame(
        {"pref_code": ["16", "16", "00", "00"], "industry": ["a", "b", "a", "c"], "v": [1.0, 2.0, 3.0, 4.0]}
    )
    with pytest.raises(InputError, match="list different"):
        location_quotient(df, value="v", national="row")


def test__location_quotient__zero_national_industry_gives_nan():
    df = pd.DataFrame({"pref_code": ["16", "16", "17", "17"], "industry": ["a", "b"] * 2, "v": [0.0, 1.0, 0.0, 2.0]})
    res = location_quotient(df, value="v").set_index(["pref_code", "industry"])["lq"]
    assert math.isnan(res[("16", "a")]) and res[("16", "b")] == pytest.approx(1.0)
