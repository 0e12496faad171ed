"""Growth: growth rate, CAGR, index (base = 100), year-on-year growth and contribution (寄与度).

Definitions (the time column is a parameter: ``fiscal_year`` for 年度 data, ``year`` otherwise)
-----------------------------------------------------------------------------------------------
- growth rate between :math:`s` and :math:`t`: :math:`g = x_t / x_s - 1`
- compound annual growth rate over :math:`n = t - s` periods: :math:`(x_t / x_s)^{1/n} - 1`
- index with base :math:`b`: :math:`I_t = 100 \\cdot x_t / x_b`
- contribution of part :math:`i` to the growth of the total :math:`X` (寄与度, 内閣府 国民経済計算
  「寄与度の計算方法」): :math:`c_i = (x_{i,t} - x_{i,s}) / X_s`, so that :math:`\\sum_i c_i = g_X`
  when :math:`X = \\sum_i x_i`; and 寄与率 :math:`\\Delta x_i / \\Delta X`.

Rates are fractions (0.05 = 5 %); 寄与度 in percentage points is ``100 * contribution``.

Missing data
------------
NaN at either end gives NaN. A start value of 0 gives NaN (never ±inf); CAGR is NaN when the
start or end value is not positive (a real root does not exist). A group lacking the start, end
or base period raises :class:`~hokuriku.errors.InputError` (a missing row is not a zero).

References
----------
内閣府 経済社会総合研究所「国民経済計算 用語の解説」(寄与度・寄与率); OECD Glossary of Statistical Terms,
"Compound annual growth rate".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from hokuriku.indicators import _common as c


def _two_points(df: pd.DataFrame, *, value: str, time: str, start: object, end: object, keys: list[str], what: str):
    c.require_columns(df, [value, time, *keys], what=what)
    c.require_unique(df, [*keys, time], what=what)
    frame = df.assign(**{value: c.require_numeric(df, value)})
    a = frame.loc[frame[time] == start, [*keys, value]].rename(columns={value: f"{value}_start"})
    b = frame.loc[frame[time] == end, [*keys, value]].rename(columns={value: f"{value}_end"})
    if a.empty or b.empty:
        msg = f"{what}: expected rows for {time} = {start!r} and {end!r}, found {sorted(frame[time].unique())}"
        raise c.InputError(msg)
    if not keys:
        return pd.concat([a.reset_index(drop=True), b.reset_index(drop=True)], axis=1)
    out = a.merge(b, on=keys, how="outer", indicator=True, validate="one_to_one")
    if (out["_merge"] != "both").any():
        gaps = out.loc[out["_merge"] != "both", keys].to_dict("records")[:5]
        msg = f"{what}: expected every group at both {time} = {start!r} and {end!r}; unmatched: {gaps}"
        raise c.InputError(msg)
    return out.drop(columns="_merge")


def growth_rate(
    df: pd.DataFrame, *, value: str, time: str, start: object, end: object, by: str | Sequence[str] | None = None
) -> pd.DataFrame:
    """Growth between two periods, :math:`g = x_t / x_s - 1`.

    Returns
    -------
    DataFrame
        ``by`` columns, ``<value>_start``, ``<value>_end``, ``change`` (:math:`x_t - x_s`) and
        ``growth_rate`` (fraction; NaN if the start is 0 or either value is NaN).

    Examples
    --------
    >>> from hokuriku import datasets
    >>> fk = datasets.load_example("farhauer_kroell").query("unit == 'X'")
    >>> g = growth_rate(fk, value="employment_persons", time="period", start=0, end=1, by="industry")
    >>> g["growth_rate"].round(2).tolist()
    [0.1, 0.4, -0.1, 0.2]
    """
    keys = c.as_list(by)
    out = _two_points(df, value=value, time=time, start=start, end=end, keys=keys, what="growth_rate")
    out["change"] = out[f"{value}_end"] - out[f"{value}_start"]
    out["growth_rate"] = c.safe_divide(out["change"], out[f"{value}_start"])
    return out


def cagr(
    df: pd.DataFrame,
    *,
    value: str,
    time: str,
    start: int,
    end: int,
    by: str | Sequence[str] | None = None,
    periods: float | None = None,
) -> pd.DataFrame:
    """Compound annual growth rate, :math:`(x_t/x_s)^{1/n} - 1` with :math:`n = t - s` (or ``periods``).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"year": [2010, 2020], "v": [100.0, 200.0]})
    >>> round(float(cagr(df, value="v", time="year", start=2010, end=2020)["cagr"].iloc[0]), 6)
    0.071773
    """
    n = float(end - start) if periods is None else float(periods)
    if n <= 0:
        msg = f"cagr: expected a positive number of periods, found {n}"
        raise c.InputError(msg)
    out = growth_rate(df, value=value, time=time, start=start, end=end, by=by)
    ratio = c.safe_divide(out[f"{value}_end"], out[f"{value}_start"])
    ok = (out[f"{value}_start"] > 0) & (out[f"{value}_end"] >= 0)
    out["periods"] = n
    out["cagr"] = np.where(ok, np.power(ratio.where(ok, 1.0), 1.0 / n) - 1.0, np.nan)
    return out


def index(
    df: pd.DataFrame,
    *,
    value: str,
    time: str,
    base: object,
    by: str | Sequence[str] | None = None,
    base_value: float = 100.0,
) -> pd.DataFrame:
    """Index series :math:`I_t = 100 \\cdot x_t / x_b` (``base_value`` replaces 100).

    Returns
    -------
    DataFrame
        The input rows with ``index`` added.

    Examples
    --------
    >>> from hokuriku import datasets
    >>> pop = datasets.load_example("synthetic_population")
    >>> idx = index(pop, value="population_thousand", time="year", base=2020, by="pref_code")
    >>> idx.loc[idx["year"] == 2020, "index"].unique().tolist()
    [100.0]
    """
    keys = c.as_list(by)
    c.require_columns(df, [value, time, *keys], what="index")
    c.require_unique(df, [*keys, time], what="index")
    out = df.copy()
    out[value] = c.require_numeric(out, value)
    base_rows = out.loc[out[time] == base, [*keys, value]].rename(columns={value: "_base"})
    if base_rows.empty:
        msg = f"index: expected rows for base {time} = {base!r}, found {sorted(out[time].unique())[:10]}"
        raise c.InputError(msg)
    if keys:
        merged = out[keys].merge(base_rows, on=keys, how="left", indicator=True, validate="many_to_one")
        if (merged["_merge"] != "both").any():
            gaps = merged.loc[merged["_merge"] != "both", keys].drop_duplicates().to_dict("records")[:5]
            msg = f"index: groups without a base-period ({time} = {base!r}) row: {gaps}"
            raise c.InputError(msg)
        denom = pd.Series(merged["_base"].to_numpy(), index=out.index)
    else:
        denom = float(base_rows["_base"].iloc[0])
    out["index"] = base_value * c.safe_divide(out[value], denom)
    return out


def yoy_growth(df: pd.DataFrame, *, value: str, time: str, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Growth on the previous period in the data, :math:`x_t / x_{t-1} - 1` (first period NaN).

    Periods are taken in sorted order of ``time``; a gap in the series is not filled.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"year": [2021, 2020, 2022], "v": [110.0, 100.0, 99.0]})
    >>> yoy_growth(df, value="v", time="year")["growth_rate"].round(2).tolist()
    [nan, 0.1, -0.1]
    """
    keys = c.as_list(by)
    c.require_columns(df, [value, time, *keys], what="yoy_growth")
    c.require_unique(df, [*keys, time], what="yoy_growth")
    out = df.sort_values([*keys, time], kind="stable").reset_index(drop=True)
    out[value] = c.require_numeric(out, value)
    prev = out.groupby(keys, sort=False)[value].shift(1) if keys else out[value].shift(1)
    out["growth_rate"] = c.safe_divide(out[value] - prev, prev)
    return out


def contribution(
    df: pd.DataFrame,
    *,
    value: str,
    time: str,
    start: object,
    end: object,
    part: str,
    within: str | Sequence[str] | None = None,
    total: str | None = None,
) -> pd.DataFrame:
    """Contribution of each part to the growth of the total (寄与度) and its share (寄与率).

    :math:`c_i = (x_{i,t} - x_{i,s}) / X_s` and :math:`\\Delta x_i / \\Delta X`, where :math:`X`
    is the sum of the parts (``total=None``) or the published total row (``part == total``).

    Returns
    -------
    DataFrame
        One row per ``within`` × ``part``: start, end, ``change``, ``contribution`` (fraction of
        the total's start value; ×100 for percentage points) and ``contribution_share``.

    Examples
    --------
    >>> from hokuriku import datasets
    >>> fk = datasets.load_example("farhauer_kroell").query("unit == 'A'")
    >>> res = contribution(fk, value="employment_persons", time="period", start=0, end=1, part="industry")
    >>> res["contribution"].round(4).tolist(), round(float(res["contribution"].sum()), 4)
    ([0.0556, 0.1111, 0.0, -0.0278], 0.1389)
    """
    keys = c.as_list(within)
    pairs = growth_rate(df, value=value, time=time, start=start, end=end, by=[*keys, part])
    if total is None:
        parts = pairs
        tot_start = c.group_sum(parts, keys, f"{value}_start")
        tot_end = c.group_sum(parts, keys, f"{value}_end")
        tot = tot_start.merge(tot_end, on=keys) if keys else pd.concat([tot_start, tot_end], axis=1)
    else:
        is_total = pairs[part].astype(str) == str(total)
        if not is_total.any():
            msg = f"contribution: expected a total row {part} == {total!r}, found parts {pairs[part].unique()[:10]}"
            raise c.InputError(msg)
        tot, parts = pairs.loc[is_total, [*keys, f"{value}_start", f"{value}_end"]], pairs.loc[~is_total]
    tot = tot.rename(columns={f"{value}_start": "_tot_start", f"{value}_end": "_tot_end"})
    out = parts.merge(tot, on=keys, how="left") if keys else parts.assign(**tot.iloc[0].to_dict())
    out["contribution"] = c.safe_divide(out["change"], out["_tot_start"])
    out["contribution_share"] = c.safe_divide(out["change"], out["_tot_end"] - out["_tot_start"])
    return out.drop(columns=["_tot_start", "_tot_end", "growth_rate"]).reset_index(drop=True)
