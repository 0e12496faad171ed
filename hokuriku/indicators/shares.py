"""Shares: a region's share of the national total (全国比) and composition within a unit (構成比).

Definitions
-----------
全国比 of region :math:`R` (a set of units :math:`r`) for quantity :math:`x`:

.. math:: \\text{share}_R = \\frac{\\sum_{r \\in R} x_r}{X_N}

where :math:`X_N` is either the **published national total** (the 全国 row, ``national="row"``; e.g.
内閣府 県民経済計算 全県計 or 国勢調査 全国) or the **sum of all units** in the frame
(``national="sum"``). The two differ whenever the publisher's 全国 is not the sum of its
prefectures (県民経済計算 全県計 vs 国民経済計算; rounding of printed parts), so the choice is a
parameter and never implicit. This is the ratio the seed deck prints as 「北陸3県の全国比(%)」.

構成比 of part :math:`i` within unit :math:`r`:

.. math:: c_{ir} = \\frac{x_{ir}}{X_r}

with :math:`X_r` the sum of the parts or a published total row (``total=``).

Missing data
------------
A NaN (e.g. a suppressed 秘匿 cell) makes any sum that includes it NaN, so the share is NaN —
never computed as if the cell were 0. A national or unit total of 0 gives NaN, not ±inf.

References
----------
総務省統計局「統計用語の解説」(構成比・全国比); Isard, W. (1960) *Methods of Regional Analysis*, ch. 7.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from hokuriku.codes.prefectures import NATIONAL_CODE, Region
from hokuriku.indicators import _common as c


def aggregate_region(
    df: pd.DataFrame,
    region: Region | str | Iterable[object],
    *,
    value: str,
    by: str | Sequence[str] | None = None,
    unit: str = "pref_code",
    label: str | None = None,
) -> pd.DataFrame:
    """Sum a region's members into one unit (NaN if any member is NaN).

    Parameters
    ----------
    df
        Tidy frame with ``unit``, ``value`` and the ``by`` columns.
    region
        A :class:`~hokuriku.codes.prefectures.Region`, a region/prefecture name, or unit codes.
    value, by, unit
        Column names: the quantity, the grouping (e.g. ``"industry"``), and the unit code.
    label
        Code written into ``unit`` for the aggregate; default the region key (``"HOKURIKU3"``).

    Returns
    -------
    DataFrame
        One row per ``by`` group with ``unit`` = ``label``.

    Examples
    --------
    >>> from hokuriku import datasets
    >>> df = datasets.load_example("seed_summary").query("item == '面積'")
    >>> aggregate_region(df, "北陸3県", value="value").to_dict("records")
    [{'pref_code': 'HOKURIKU3', 'value': 12630.0}]

    (The seed deck prints 12,629: its total is not the sum of its rounded parts.)
    """
    keys = c.as_list(by)
    c.require_columns(df, [unit, value, *keys], what="aggregate_region")
    codes = c.region_codes(region)
    c.require_members(df, unit, codes, what="aggregate_region")
    members = df.loc[df[unit].astype(str).isin(codes), [unit, value, *keys]].copy()
    members[value] = c.require_numeric(members, value)
    out = c.group_sum(members, keys, value)
    out.insert(0, unit, label or c.region_label(region))
    return out


def share_of_national(
    df: pd.DataFrame,
    region: Region | str | Iterable[object],
    *,
    value: str,
    by: str | Sequence[str] | None = None,
    unit: str = "pref_code",
    national: str | float | pd.Series = "sum",
    national_code: str = NATIONAL_CODE,
) -> pd.DataFrame:
    """A region's share of the national total (全国比), per ``by`` group.

    :math:`\\text{share}_R = \\sum_{r \\in R} x_r / X_N`, with :math:`X_N` the published 全国 row
    (``national="row"``) or the sum of all units (``national="sum"``).

    Parameters
    ----------
    df
        Tidy frame: one row per ``unit`` (× ``by``), numeric ``value``. In ``"row"`` mode it must
        also hold the 全国 rows (``unit == national_code``).
    region
        The region (a :class:`~hokuriku.codes.prefectures.Region`, a name, or unit codes).
    value, by, unit
        Column names.
    national
        ``"row"``: divide by the published national row; ``"sum"``: by the sum of all units
        (a ``national_code`` row, if present, is then excluded from the sum); or the national
        total **given explicitly**: a number (no ``by``) or a Series indexed by the single ``by``
        column (e.g. a published 全国 value from another table).
    national_code
        Code of the national rows (``"00"``).

    Returns
    -------
    DataFrame
        ``by`` columns, ``region`` (label), ``region_<value>``, ``national_<value>``,
        ``share`` (0–1) and ``share_pct`` (0–100). Format ``share`` with
        :func:`hokuriku.plotting.formats.pct` for print (``"2.2%"``).

    Raises
    ------
    InputError
        Missing columns, duplicated keys, a region member absent from the frame, or no 全国 row
        in ``"row"`` mode.

    Examples
    --------
    The seed deck's FY2022 県内総生産 全国比 (printed 2.2%):

    >>> from hokuriku import datasets
    >>> gdp = datasets.load_example("seed_summary").query("item == '県内総生産(名目)'")
    >>> res = share_of_national(gdp, "北陸3県", value="value", national="row")
    >>> res[["region", "region_value", "national_value"]].to_dict("records")
    [{'region': 'HOKURIKU3', 'region_value': 131392.0, 'national_value': 5957888.0}]
    >>> round(float(res["share_pct"].iloc[0]), 1)
    2.2
    """
    keys = c.as_list(by)
    c.require_columns(df, [unit, value, *keys], what="share_of_national")
    c.require_unique(df, [unit, *keys], what="share_of_national")
    if not isinstance(national, str):
        nat_rows = _explicit_national(national, keys, value, df=df, unit=unit, national_code=national_code)
        units = df.loc[df[unit].astype(str) != str(national_code)]
    else:
        units, nat_rows = c.split_national(df, unit=unit, national=national, national_code=national_code)
    if nat_rows is None:
        nat = c.group_sum(units.assign(**{value: c.require_numeric(units, value)}), keys, value)
    else:
        nat = nat_rows[[*keys, value]].copy()
        nat[value] = c.require_numeric(nat, value)
    reg = aggregate_region(units, region, value=value, by=keys, unit=unit)
    reg = reg.rename(columns={value: f"region_{value}", unit: "region"})
    nat = nat.rename(columns={value: f"national_{value}"})
    if keys:
        out = reg.merge(nat, on=keys, how="left", validate="one_to_one", indicator=True)
        lacking = out["_merge"] != "both"
        if lacking.any():
            msg = (
                f"share_of_national: expected a national value for every group of the region, "
                f"found none for {out.loc[lacking, keys].to_dict('records')[:5]}"
            )
            raise c.InputError(msg)
        out = out.drop(columns="_merge")
    else:
        out = reg.assign(**{f"national_{value}": float(nat[f"national_{value}"].iloc[0])})
    out["share"] = c.safe_divide(out[f"region_{value}"], out[f"national_{value}"])
    out["share_pct"] = out["share"] * 100
    return out[[*keys, "region", f"region_{value}", f"national_{value}", "share", "share_pct"]]


def _explicit_national(national, keys, value, *, df, unit, national_code) -> pd.DataFrame:
    if isinstance(national, pd.Series):
        if len(keys) != 1:
            msg = f"share_of_national: a Series of national totals needs exactly one `by` column, found {keys}"
            raise c.InputError(msg)
        return pd.DataFrame({keys[0]: national.index, value: national.to_numpy(dtype="float64")})
    if isinstance(national, (int, float)) and not isinstance(national, bool):
        if keys:
            msg = f"share_of_national: a single national total cannot serve groups {keys}; pass a Series"
            raise c.InputError(msg)
        return pd.DataFrame({value: [float(national)]})
    msg = f"national: expected 'sum', 'row', a number or a Series, found {type(national).__name__}"
    raise c.InputError(msg)


def composition(
    df: pd.DataFrame,
    *,
    value: str,
    part: str,
    within: str | Sequence[str] = "pref_code",
    total: str | None = None,
) -> pd.DataFrame:
    """Composition (構成比) of ``part`` within each ``within`` group.

    :math:`c_{ir} = x_{ir} / X_r`, with :math:`X_r = \\sum_i x_{ir}` (``total=None``) or the value
    of the published total row whose ``part`` equals ``total`` (e.g. ``"県内総生産"``). The total
    row itself is dropped from the result.

    Parameters
    ----------
    df
        Tidy frame with ``within`` keys, ``part`` and ``value``.
    value, part, within
        Column names: quantity, the part (industry, age group…), the unit(s).
    total
        Label of the published total in ``part``; None sums the parts.

    Returns
    -------
    DataFrame
        The input rows (total row dropped) with ``share`` (0–1). With summed totals, one NaN
        part makes every share of its unit NaN (the total is unknown); with a published total,
        only that part's share is NaN.

    Examples
    --------
    >>> from hokuriku import datasets
    >>> fk = datasets.load_example("farhauer_kroell").query("unit == 'A' and period == 0")
    >>> composition(fk, value="employment_persons", part="industry", within="unit")["share"].round(3).tolist()
    [0.5, 0.111, 0.056, 0.333]
    """
    keys = c.as_list(within)
    c.require_columns(df, [*keys, part, value], what="composition")
    c.require_unique(df, [*keys, part], what="composition")
    out = df.copy()
    out[value] = c.require_numeric(out, value)
    if total is None:
        denom = out.groupby(keys, sort=False)[value].transform(lambda s: c.nansum(s))
    else:
        is_total = out[part].astype(str) == str(total)
        tot = out.loc[is_total, [*keys, value]].rename(columns={value: "_total"})
        out = out.loc[~is_total]
        merged = out[keys].merge(tot, on=keys, how="left", validate="many_to_one", indicator=True)
        if (merged["_merge"] != "both").any():
            lacking = merged.loc[merged["_merge"] != "both", keys].drop_duplicates().to_dict("records")[:5]
            msg = f"composition: expected a total row {part} == {total!r} in every group, missing for {lacking}"
            raise c.InputError(msg)
        denom = pd.Series(merged["_total"].to_numpy(), index=out.index)
    out["share"] = c.safe_divide(out[value], denom)
    return out
