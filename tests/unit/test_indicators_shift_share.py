"""Unit tests for hokuriku.indicators.shift_share.

Reference data: REAT ``shift`` / ``shiftd`` Examples ("Example from Farhauer/Kroell (2013)"; Wieland,
REAT, https://CRAN.R-project.org/package=REAT, ``?shift``, ``?shiftd``), bundled as
``hokuriku.datasets.load_example("farhauer_kroell")``. REAT prints no numbers for these examples, so
the expected values are computed by hand below (Dunn 1960 formulas, as in REAT's source).

Region A, t → t+1: A = (90, 20, 10, 60) → (100, 40, 10, 55), total 180 → 205 (Δ = 25);
nation X = (400, 150, 150, 400) → (440, 210, 135, 480), total 1,100 → 1,265, G = 0.15,
g_iN = (0.1, 0.4, −0.1, 0.2).
- national share NS = 180 × 0.15 = 27
- industry mix IM = Σ e_i g_iN − 27 = (9 + 8 − 1 + 12) − 27 = 28 − 27 = 1
- regional shift RS = Δ − Σ e_i g_iN = 25 − 28 = −3          (27 + 1 − 3 = 25 ✓)
Region B (60, 30, 30, 40) → (85, 55, 40, 35): NS 24, IM 23 − 24 = −1, RS 55 − 23 = 32.
Region C (250, 100, 110, 300) → (255, 115, 85, 390): NS 114, IM 114 − 114 = 0, RS 85 − 114 = −29.
Since X = A + B + C, the IM and RS of the three regions each sum to 0.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from hokuriku import datasets
from hokuriku.errors import InputError
from hokuriku.indicators.shift_share import COMPONENTS, dynamic_shift_share, shift_share, summarize

KW = dict(value="employment_persons", time="period", unit="unit", national="row", national_code="X")


def _fk(max_period: int = 1) -> pd.DataFrame:
    return datasets.load_example("farhauer_kroell").query("period <= @max_period")


@pytest.mark.parametrize(
    ("reg", "expected"),
    [("A", (25, 27, 1, -3)), ("B", (55, 24, -1, 32)), ("C", (85, 114, 0, -29))],
)
def test__shift_share__farhauer_kroell_regions(reg, expected):
    res = summarize(shift_share(_fk(), [reg], start=0, end=1, **KW))
    got = tuple(float(res[col].iloc[0]) for col in ("change", *COMPONENTS))
    assert got == pytest.approx(expected)


def test__shift_share__components_sum_exactly_per_industry():
    res = shift_share(_fk(), ["B"], start=0, end=1, **KW)
    assert (res[list(COMPONENTS)].sum(axis=1) - res["change"]).abs().max() < 1e-12


def test__shift_share__sum_mode_equals_row_mode_when_nation_is_sum_of_regions():
    by_sum = shift_share(_fk().query("unit != 'X'"), ["A"], start=0, end=1, **{**KW, "national": "sum"})
    by_row = shift_share(_fk(), ["A"], start=0, end=1, **KW)
    pd.testing.assert_frame_equal(by_sum, by_row)


def test__shift_share__region_of_two_units_is_the_sum_of_its_members():
    """A + B summed first: Δ = 80, NS = 340 × 0.15 = 51, IM = (28 + 23) − 51 = 0, RS = 80 − 51 = 29 = −3 + 32."""
    res = summarize(shift_share(_fk(), ["A", "B"], start=0, end=1, **KW))
    assert [float(res[c].iloc[0]) for c in ("change", *COMPONENTS)] == pytest.approx([80, 51, 0, 29])


def test__shift_share__esteban_marquillas_split():
    """B, industry 1: homothetic ê = 160 × 400/1100 = 58.1818; g_r − g_N = 25/60 − 0.1 = 0.31667;
    competitive = 58.1818 × 0.31667 = 18.4242; allocation = (60 − 58.1818) × 0.31667 = 0.5758; sum = RS_1 = 19."""
    res = shift_share(_fk(), ["B"], start=0, end=1, method="esteban", **KW).set_index("industry")
    assert float(res.loc["1", "homothetic_employment_persons_start"]) == pytest.approx(160 * 400 / 1100)
    assert float(res.loc["1", "homothetic_regional_component"]) == pytest.approx(18.424242, abs=1e-6)
    assert float(res.loc["1", "allocation_component"]) == pytest.approx(0.575758, abs=1e-6)
    split = res["homothetic_regional_component"] + res["allocation_component"]
    assert split.tolist() == pytest.approx(res["regional_component"].tolist())


def test__shift_share__zero_start_industry_keeps_identity():
    df = pd.DataFrame({
        "unit": ["r", "r", "N", "N"] * 2, "industry": ["a", "b"] * 4, "period": [0] * 4 + [1] * 4,
        "v": [0.0, 10.0, 5.0, 50.0, 4.0, 10.0, 10.0, 55.0],
    })
    res = shift_share(
        df, ["r"], value="v", time="period", start=0, end=1, unit="unit", national="row", national_code="N"
    )
    a = res.set_index("industry").loc["a"]
    assert (a["national_share_component"], a["industry_mix_component"], a["regional_component"]) == (0.0, 0.0, 4.0)


def test__shift_share__nan_propagates_to_industry_and_total():
    df = _fk().astype({"employment_persons": "float64"})
    df.loc[(df["unit"] == "A") & (df["industry"] == "2") & (df["period"] == 1), "employment_persons"] = float("nan")
    res = shift_share(df, ["A"], start=0, end=1, **KW).set_index("industry")
    assert math.isnan(res.loc["2", "regional_component"]) and not math.isnan(res.loc["1", "regional_component"])
    assert math.isnan(float(summarize(res.reset_index())["regional_component"].iloc[0]))


def test__shift_share__industry_missing_at_end_raises():
    df = _fk().query("not (period == 1 and industry == '4')")
    with pytest.raises(InputError, match="industries differ"):
        shift_share(df, ["A"], start=0, end=1, **KW)


def test__shift_share__unknown_method_raises():
    with pytest.raises(InputError, match="method"):
        shift_share(_fk(), ["A"], start=0, end=1, method="gerfin", **KW)


def test__dynamic_shift_share__reat_shiftd_extended_example():
    """Periods 0→1 as above; 1→2: A 205 → 225 (Δ 20), X 1,265 → 1,345, G = 80/1265 = 0.0632411;
    NS = 205 × G = 12.96443; Σ e_i g_iN = 100·20/440 + 40·20/210 + 10·20/135 + 55·20/480 = 12.12812;
    IM = 12.12812 − 12.96443 = −0.83631; RS = 20 − 12.12812 = 7.87188.
    Dynamic totals: NS 39.96443, IM 0.16369, RS 4.87188 (sum 45). The static 0→2 decomposition differs:
    NS = 180 × (1345/1100 − 1) = 40.09091, IM = 39.5 − 40.09091 = −0.59091, RS = 45 − 39.5 = 5.5."""
    df = datasets.load_example("farhauer_kroell").query("unit in ['A', 'X']")
    dyn = dynamic_shift_share(df, ["A"], **KW)
    per = summarize(dyn, by=["period_start", "period_end"])
    assert per["period_end"].tolist() == [1, 2]
    assert [float(per[c].iloc[1]) for c in COMPONENTS] == pytest.approx([12.96443, -0.83631, 7.87188], abs=1e-5)
    tot = summarize(dyn)
    assert [float(tot[c].iloc[0]) for c in COMPONENTS] == pytest.approx([39.96443, 0.16369, 4.87188], abs=1e-5)
    assert float(tot[list(COMPONENTS)].sum(axis=1).iloc[0]) == pytest.approx(45.0)
    static = summarize(shift_share(df, ["A"], start=0, end=2, **KW))
    assert [float(static[c].iloc[0]) for c in COMPONENTS] == pytest.approx([40.09091, -0.59091, 5.5], abs=1e-5)


def test__dynamic_shift_share__needs_two_periods():
    with pytest.raises(InputError, match="at least two periods"):
        dynamic_shift_share(_fk(0), ["A"], **KW)
