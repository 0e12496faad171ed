"""Unit tests for hokuriku.indicators.specialization.

Reference values from REAT's documentation (Wieland, REAT: Regional Economic Analysis Toolbox,
https://CRAN.R-project.org/package=REAT), function Examples:
- ``krugman.spec``: E_ij = (20, 10, 70, 0, 0), E_il = (0, 0, 0, 60, 40) → 2 ("Farhauer/Kroell (2013), modified")
- ``herf``: sales (20, 50, 20, 10) → 0.34, coefnorm 0.12, equivalent number 2.94 ("Doersam (2004)")
- ``gini``: sales (20, 50, 20, 10) → 0.3, coefnorm 0.4 ("Doersam 2004")
- ``gini.spec``: E_ij = (700, 600, 500, 10000, 40000), E_i = (30000, 15000, 10000, 60000, 50000) → 0.6222222
- ``gini.conc``: E_ij = (500, 500, 1000, 7000, 1000), E_j = (20000, 15000, 20000, 40000, 5000) → 0.4068966
REAT's ``hoover`` Example prints no value, so Hoover is checked on a hand example.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from hokuriku.errors import InputError
from hokuriku.indicators.specialization import (
    gini,
    herfindahl,
    hoover_localization,
    hoover_specialization,
    krugman_index,
    locational_gini,
    specialization_gini,
    top_share,
)


def _long(rows: dict[str, list[float]], industries: list[str] | None = None) -> pd.DataFrame:
    out = []
    for unit, values in rows.items():
        for i, v in enumerate(values):
            out.append((unit, industries[i] if industries else f"i{i + 1}", v))
    return pd.DataFrame(out, columns=["pref_code", "industry", "v"])


SALES = _long({"16": [20, 50, 20, 10]})


def test__krugman_index__reat_krugman_spec_example():
    df = _long({"j": [20, 10, 70, 0, 0], "l": [0, 0, 0, 60, 40]})
    res = krugman_index(df, value="v", reference="l").set_index("pref_code")["krugman_index"]
    assert res["j"] == pytest.approx(2.0) and res["l"] == 0.0


def test__krugman_index__national_structure_is_zero_and_hoover_is_half():
    """16 = (10, 30), 17 = (40, 20): nation (50, 50) → shares 16 (.25, .75) vs (.5, .5): K = .25 + .25 = .5; H = .25."""
    df = _long({"16": [10, 30], "17": [40, 20]})
    k = krugman_index(df, value="v").set_index("pref_code")["krugman_index"]
    assert k["16"] == pytest.approx(0.5)
    assert k["17"] == pytest.approx(abs(40 / 60 - 0.5) * 2)
    h = hoover_specialization(df, value="v").set_index("pref_code")["hoover_specialization"]
    assert h["16"] == pytest.approx(0.25)


def test__krugman_index__unknown_reference_raises():
    with pytest.raises(InputError, match="reference unit"):
        krugman_index(_long({"16": [1, 2]}), value="v", reference="99")


def test__hoover_localization__hand_example():
    """Units a, b with totals 50, 50 (w = .5, .5). Industry i: 30, 10 → |.75 − .5| + |.25 − .5| = .5 → 0.25.
    Industry j: 20, 40 → |1/3 − .5| + |2/3 − .5| = 1/3 → 1/6."""
    df = _long({"a": [30, 20], "b": [10, 40]}, ["i", "j"])
    res = hoover_localization(df, value="v").set_index("industry")["hoover_localization"]
    assert res["i"] == pytest.approx(0.25) and res["j"] == pytest.approx(1 / 6)


def test__herfindahl__reat_herf_example_both_scales():
    res = herfindahl(SALES, value="v").iloc[0]
    assert round(res["hhi"], 2) == 0.34
    assert round(res["hhi_normalized"], 2) == 0.12
    assert round(res["equivalent_number"], 2) == 2.94
    pts = herfindahl(SALES, value="v", scale="points").iloc[0]
    assert pts["hhi"] == pytest.approx(3400.0)


def test__herfindahl__bad_scale_raises():
    with pytest.raises(InputError, match="scale"):
        herfindahl(SALES, value="v", scale="percent")


def test__gini__reat_gini_example():
    assert float(gini(SALES, value="v")["gini"].iloc[0]) == pytest.approx(0.3)
    assert float(gini(SALES, value="v", corrected=True)["gini"].iloc[0]) == pytest.approx(0.4)


def test__specialization_gini__reat_gini_spec_example():
    df = _long({"R": [700, 600, 500, 10000, 40000], "00": [30000, 15000, 10000, 60000, 50000]})
    res = specialization_gini(df, value="v", national="row")
    assert round(float(res["specialization_gini"].iloc[0]), 7) == 0.6222222


def test__locational_gini__reat_gini_conc_example():
    emp_i = [500, 500, 1000, 7000, 1000]
    emp_all = [20000, 15000, 20000, 40000, 5000]
    df = _long({f"r{k}": [a, t - a] for k, (a, t) in enumerate(zip(emp_i, emp_all, strict=True))}, ["i", "rest"])
    res = locational_gini(df, value="v").set_index("industry")["locational_gini"]
    assert round(float(res["i"]), 7) == 0.4068966


def test__top_share__top_one_and_top_two():
    res = top_share(SALES, value="v").iloc[0]
    assert (res["top_industries"], res["top_share"]) == ("i2", pytest.approx(0.5))
    res2 = top_share(SALES, value="v", k=2).iloc[0]
    assert res2["top_industries"].startswith("i2、") and res2["top_share"] == pytest.approx(0.7)


def test__indices__nan_in_a_unit_propagates():
    df = _long({"16": [20, float("nan"), 20], "17": [1, 2, 3]})
    for fn, col in ((herfindahl, "hhi"), (gini, "gini"), (top_share, "top_share")):
        res = fn(df, value="v").set_index("pref_code")[col]
        assert math.isnan(res["16"]) and not math.isnan(res["17"]), fn.__name__
    k = krugman_index(df, value="v").set_index("pref_code")["krugman_index"]
    assert k.isna().all()  # national shares (sum mode) are unknown too


def test__indices__zero_total_gives_nan():
    df = _long({"16": [0, 0], "17": [1, 2]})
    assert math.isnan(herfindahl(df, value="v").set_index("pref_code").loc["16", "hhi"])
    assert math.isnan(gini(df, value="v").set_index("pref_code").loc["16", "gini"])


def test__indices__missing_industry_raises():
    df = _long({"16": [1, 2], "17": [3, 4]}).iloc[:3]
    with pytest.raises(InputError, match="missing combinations"):
        herfindahl(df, value="v")


def test__indices__region_is_a_parameter():
    df = _long({"16": [10, 30], "17": [40, 20], "18": [50, 50]})
    res = herfindahl(df, value="v", region=["16", "17"])
    assert res["pref_code"].tolist() == ["16+17"]
    assert float(res["hhi"].iloc[0]) == pytest.approx((50 / 100) ** 2 + (50 / 100) ** 2)
