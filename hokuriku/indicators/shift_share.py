"""Shift-share analysis: national-share, industry-mix and regional (competitive) components.

Classic decomposition (Dunn 1960; notation of Esteban-Marquillas 1972)
----------------------------------------------------------------------
For industry :math:`i` in region :math:`r` between periods :math:`s` and :math:`t`, with
:math:`e^s_{ir}` the region's value, :math:`G = E^t_N / E^s_N - 1` the national growth of the total,
:math:`g_{iN} = e^t_{iN} / e^s_{iN} - 1` the industry's national growth and
:math:`g_{ir} = e^t_{ir} / e^s_{ir} - 1` its regional growth:

.. math::

    \\Delta e_{ir} = \\underbrace{e^s_{ir} G}_{NS_i}
    + \\underbrace{e^s_{ir} (g_{iN} - G)}_{IM_i}
    + \\underbrace{e^s_{ir} (g_{ir} - g_{iN})}_{RS_i}

national share (NS), industry mix (IM, proportional shift) and regional/competitive shift (RS,
differential shift). The three sum **exactly** to the actual change; RS is computed as
:math:`\\Delta e_{ir} - e^s_{ir} g_{iN}` so it stays defined when :math:`e^s_{ir} = 0`.
Summed over industries these are REAT's ``shift(..., shift.method = "Dunn")`` components
"National share", "Industrial mix" and "Regional shift" (Wieland, REAT).

``method="esteban"`` also splits RS with the homothetic value
:math:`\\hat e_{ir} = E^s_r \\, e^s_{iN} / E^s_N` (the region's size with the nation's mix) into
the homothetic competitive effect :math:`\\hat e_{ir}(g_{ir} - g_{iN})` and the allocation effect
:math:`(e^s_{ir} - \\hat e_{ir})(g_{ir} - g_{iN})` (Esteban-Marquillas 1972).

Dynamic variant (Barff & Knight 1988)
-------------------------------------
:func:`dynamic_shift_share` applies the classic decomposition to every consecutive pair of
periods in the data (re-basing the region's industry mix and the national growth each year) and
returns per-period components; their sum over periods is the dynamic decomposition, and the
changes telescope, so the components still sum exactly to :math:`e^T_{ir} - e^0_{ir}`
(REAT ``shiftd``).

Missing data
------------
NaN in any input makes that industry's components NaN (and the summed totals NaN): never 0.
An industry absent in one period, or absent from the national rows, raises
:class:`~hokuriku.errors.InputError`. A national industry with zero start value has undefined
:math:`g_{iN}`; its components are NaN unless the region's start value is also 0 (then NS = IM = 0,
RS = the change).

References
----------
Dunn, E. S. (1960) "A statistical and analytical technique for regional analysis", *Papers of the
Regional Science Association* 6, 97–112. Esteban-Marquillas, J. M. (1972) "A reinterpretation of
shift-share analysis", *Regional and Urban Economics* 2(3), 249–255. Barff, R. A. & Knight, P. L.
(1988) "Dynamic shift-share analysis", *Growth and Change* 19(2), 1–10. Wieland, T. REAT
``shift``/``shiftd`` (https://CRAN.R-project.org/package=REAT).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from hokuriku.codes.prefectures import NATIONAL_CODE, Region
from hokuriku.indicators import _common as c

METHODS = ("dunn", "esteban")
COMPONENTS = ("national_share_component", "industry_mix_component", "regional_component")
ESTEBAN_COMPONENTS = ("homothetic_regional_component", "allocation_component")


def _matrices(df, *, value, time, period, unit, industry, national, national_code, region):
    rows = df.loc[df[time] == period]
    if rows.empty:
        msg = f"shift_share: expected rows for {time} = {period!r}, found {sorted(df[time].unique())[:10]}"
        raise c.InputError(msg)
    wide, nat, _, nat_tot = c.unit_industry_matrix(
        rows, value=value, unit=unit, industry=industry, national=national, national_code=national_code,
        region=region, what=f"shift_share ({time} = {period!r})",
    )
    return wide.iloc[0], nat, nat_tot


def shift_share(
    df: pd.DataFrame,
    region: Region | str | Iterable[object],
    *,
    value: str,
    time: str,
    start: object,
    end: object,
    unit: str = "pref_code",
    industry: str = "industry",
    national: str = "sum",
    national_code: str = NATIONAL_CODE,
    method: str = "dunn",
) -> pd.DataFrame:
    """Classic shift-share decomposition of a region's change between ``start`` and ``end``.

    :math:`\\Delta e_{ir} = e^s_{ir}G + e^s_{ir}(g_{iN}-G) + e^s_{ir}(g_{ir}-g_{iN})`.

    Parameters
    ----------
    df
        Tidy frame: ``unit`` × ``industry`` × ``time`` rows (plus 全国 rows in ``"row"`` mode).
    region
        The region whose members are summed (a Region, a name, or unit codes; one unit is fine).
    value, time, unit, industry
        Column names.
    start, end
        The two periods compared.
    national, national_code
        National reference: the 全国 rows (``"row"``) or the sum of all units (``"sum"``).
    method
        ``"dunn"`` (three components) or ``"esteban"`` (adds the homothetic regional and
        allocation components, which sum to the regional component).

    Returns
    -------
    DataFrame
        One row per industry: ``<value>_start``, ``<value>_end``, ``change``, ``national_growth``
        (:math:`G`), ``industry_national_growth`` (:math:`g_{iN}`), ``regional_growth``
        (:math:`g_{ir}`), the components, and ``homothetic_<value>_start`` with ``method="esteban"``.
        Use :func:`summarize` for the region totals.

    Examples
    --------
    Region A of Farhauer & Kröll (2013), as in the REAT ``shift`` Examples:

    >>> from hokuriku import datasets
    >>> fk = datasets.load_example("farhauer_kroell").query("period < 2")
    >>> res = shift_share(fk, ["A"], value="employment_persons", time="period", start=0, end=1,
    ...                   unit="unit", national="row", national_code="X")
    >>> summarize(res)[["change", *COMPONENTS]].round(6).to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'change': 25.0, 'national_share_component': 27.0, 'industry_mix_component': 1.0,
      'regional_component': -3.0}]
    """
    if method not in METHODS:
        msg = f"shift_share: method must be one of {METHODS}, found {method!r}"
        raise c.InputError(msg)
    c.require_columns(df, [unit, industry, time, value], what="shift_share")
    kw = dict(value=value, time=time, unit=unit, industry=industry, national=national,
              national_code=national_code, region=region)
    e0, n0, n0_tot = _matrices(df, period=start, **kw)
    e1, n1, n1_tot = _matrices(df, period=end, **kw)
    if list(e0.index) != list(e1.index) and set(e0.index) != set(e1.index):
        msg = (
            f"shift_share: industries differ between {time} = {start!r} and {end!r}: only at start "
            f"{sorted(set(e0.index) - set(e1.index))[:5]}, only at end {sorted(set(e1.index) - set(e0.index))[:5]}"
        )
        raise c.InputError(msg)
    e1, n1 = e1.reindex(e0.index), n1.reindex(e0.index)
    big_g = c.safe_divide(n1_tot, n0_tot) - 1.0
    g_n = c.safe_divide(n1, n0) - 1.0
    g_r = c.safe_divide(e1, e0) - 1.0
    change = e1 - e0
    zero = (e0 == 0).to_numpy()
    out = pd.DataFrame(
        {
            industry: e0.index.astype(str),
            f"{value}_start": e0.to_numpy(),
            f"{value}_end": e1.to_numpy(),
            "change": change.to_numpy(),
            "national_growth": big_g,
            "industry_national_growth": g_n.to_numpy(),
            "regional_growth": g_r.to_numpy(),
        }
    )
    out["national_share_component"] = out[f"{value}_start"] * big_g
    mix = out[f"{value}_start"] * (out["industry_national_growth"] - big_g)
    out["industry_mix_component"] = np.where(zero, 0.0, mix)
    out["regional_component"] = np.where(
        zero, out["change"], out["change"] - out[f"{value}_start"] * out["industry_national_growth"]
    )
    if method == "esteban":
        e_total = c.nansum(e0)
        hom = e_total * c.safe_divide(n0, n0_tot).to_numpy()
        diff = out["regional_growth"] - out["industry_national_growth"]
        out[f"homothetic_{value}_start"] = hom
        out["homothetic_regional_component"] = hom * diff
        out["allocation_component"] = (out[f"{value}_start"] - hom) * diff
    return out


def dynamic_shift_share(
    df: pd.DataFrame,
    region: Region | str | Iterable[object],
    *,
    value: str,
    time: str,
    start: object | None = None,
    end: object | None = None,
    unit: str = "pref_code",
    industry: str = "industry",
    national: str = "sum",
    national_code: str = NATIONAL_CODE,
    method: str = "dunn",
) -> pd.DataFrame:
    """Dynamic shift-share (Barff & Knight 1988): the classic decomposition chained period by period.

    :math:`C_i = \\sum_{k} C_i^{(t_{k-1}, t_k)}` for each component :math:`C`, over consecutive
    periods :math:`t_0 = ` ``start`` < … < :math:`t_K = ` ``end`` present in the data.

    Returns
    -------
    DataFrame
        The :func:`shift_share` columns for every consecutive pair, with ``period_start`` and
        ``period_end``. ``summarize(res)`` gives the dynamic totals; ``summarize(res,
        by=["period_start", "period_end"])`` the year-by-year path.

    Examples
    --------
    REAT ``shiftd`` "extended" example (region A, periods 0 → 1 → 2):

    >>> from hokuriku import datasets
    >>> fk = datasets.load_example("farhauer_kroell").query("unit in ['A', 'X']")
    >>> res = dynamic_shift_share(fk, ["A"], value="employment_persons", time="period",
    ...                           unit="unit", national="row", national_code="X")
    >>> tot = summarize(res)
    >>> round(float(tot["change"].iloc[0]), 6), round(float(tot[list(COMPONENTS)].sum(axis=1).iloc[0]), 6)
    (45.0, 45.0)
    """
    c.require_columns(df, [time], what="dynamic_shift_share")
    periods = sorted(df[time].unique())
    lo = periods[0] if start is None else start
    hi = periods[-1] if end is None else end
    chosen = [p for p in periods if lo <= p <= hi]
    if len(chosen) < 2 or chosen[0] != lo or chosen[-1] != hi:
        msg = f"dynamic_shift_share: expected at least two periods from {lo!r} to {hi!r} in {time!r}, found {periods}"
        raise c.InputError(msg)
    parts = []
    for a, b in zip(chosen[:-1], chosen[1:], strict=True):
        res = shift_share(df, region, value=value, time=time, start=a, end=b, unit=unit, industry=industry,
                          national=national, national_code=national_code, method=method)
        parts.append(res.assign(period_start=a, period_end=b))
    return pd.concat(parts, ignore_index=True)


def summarize(result: pd.DataFrame, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Sum the components (and start/end/change) over industries, NaN-propagating.

    Growth-rate columns are dropped (they do not add up). With ``by`` the sums are per group
    (e.g. per period of a dynamic analysis): :math:`C = \\sum_i C_i`.

    Examples
    --------
    Region C of Farhauer & Kröll (2013): Δ = 85 = 114 + 0 − 29.

    >>> from hokuriku import datasets
    >>> fk = datasets.load_example("farhauer_kroell").query("period < 2")
    >>> res = shift_share(fk, ["C"], value="employment_persons", time="period", start=0, end=1,
    ...                   unit="unit", national="row", national_code="X")
    >>> summarize(res)[["change", *COMPONENTS]].round(6).iloc[0].tolist()
    [85.0, 114.0, 0.0, -29.0]
    """
    keys = c.as_list(by)
    skip = {"national_growth", "industry_national_growth", "regional_growth", "period_start", "period_end"}
    cols = [col for col in result.columns if col not in skip and col not in keys
            and pd.api.types.is_numeric_dtype(result[col])]
    if keys:
        return result.groupby(keys, sort=True)[cols].sum(skipna=False).reset_index()
    return result[cols].sum(skipna=False).to_frame().T.reset_index(drop=True)
