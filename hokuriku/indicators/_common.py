"""Shared checks for the indicator modules (private).

Every indicator follows the same rules, so they live here once:

- **Keys are checked, never guessed.** Missing columns, duplicated keys and region members absent
  from the frame raise :class:`~hokuriku.errors.InputError` saying what was expected and found.
- **NaN propagates.** A suppressed cell (秘匿 ``X``) is NaN in a tidy table; a sum that includes it
  is NaN too (``skipna=False``), so no indicator silently treats a suppressed value as 0.
- **The region is a parameter.** :func:`region_codes` accepts a
  :class:`~hokuriku.codes.prefectures.Region`, a region or prefecture name understood by
  :func:`hokuriku.codes.prefectures.region`, or any iterable of unit codes (municipal codes too).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from hokuriku.codes.prefectures import NATIONAL_CODE, Region
from hokuriku.codes.prefectures import region as resolve_region
from hokuriku.errors import InputError

NATIONAL_MODES = ("sum", "row")


def as_list(cols: str | Sequence[str] | None) -> list[str]:
    """A column spec (None, one name or several) as a list of names."""
    if cols is None:
        return []
    if isinstance(cols, str):
        return [cols]
    return list(cols)


def require_columns(df: pd.DataFrame, cols: Iterable[str], *, what: str = "input frame") -> None:
    """Raise :class:`InputError` unless every column in ``cols`` is in ``df``."""
    missing = [c for c in cols if c not in df.columns]
    if missing:
        msg = f"{what}: expected columns {missing}, found only {list(df.columns)}"
        raise InputError(msg)


def require_unique(df: pd.DataFrame, keys: list[str], *, what: str = "input frame") -> None:
    """Raise :class:`InputError` if the key columns do not identify rows uniquely."""
    dup = df.duplicated(keys, keep=False)
    if dup.any():
        sample = df.loc[dup, keys].drop_duplicates().head(5).to_dict("records")
        msg = f"{what}: expected one row per {keys}, found {int(dup.sum())} rows with duplicated keys, e.g. {sample}"
        raise InputError(msg)


def require_numeric(df: pd.DataFrame, value: str, *, what: str = "input frame") -> pd.Series:
    """The ``value`` column as float64 (NaN kept); refuse text columns."""
    s = df[value]
    if not (pd.api.types.is_numeric_dtype(s) or s.isna().all()):
        msg = f"{what}: expected a numeric column {value!r}, found dtype {s.dtype}"
        raise InputError(msg)
    return s.astype("float64")


def region_codes(region: Region | str | Iterable[object]) -> tuple[str, ...]:
    """Unit codes of a region: a :class:`Region`, a name/prefecture, or an iterable of codes."""
    if isinstance(region, Region):
        return region.pref_codes
    if isinstance(region, (str, int)):
        return resolve_region(region).pref_codes
    codes = tuple(dict.fromkeys(str(c) for c in region))
    if not codes:
        msg = "region: expected at least one unit code, got an empty collection"
        raise InputError(msg)
    return codes


def region_label(region: Region | str | Iterable[object]) -> str:
    """A label for a region's aggregated row (the Region key, or codes joined by ``+``)."""
    if isinstance(region, Region):
        return region.key
    if isinstance(region, (str, int)):
        return resolve_region(region).key
    return "+".join(region_codes(region))


def nansum(s: pd.Series) -> float:
    """Sum that is NaN if any element is NaN (a suppressed part makes the total unknown)."""
    return float(s.sum(skipna=False)) if len(s) else float("nan")


def group_sum(df: pd.DataFrame, keys: list[str], value: str) -> pd.DataFrame:
    """Sum ``value`` by ``keys`` with NaN propagation; no keys → a one-row frame."""
    if keys:
        return df.groupby(keys, sort=False, dropna=False)[value].sum(skipna=False).reset_index()
    return pd.DataFrame({value: [nansum(df[value])]})


def safe_divide(num: pd.Series | float, den: pd.Series | float) -> pd.Series | float:
    """``num / den`` with NaN (never ±inf) where the denominator is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.divide(num, den)
    if isinstance(out, pd.Series):
        if isinstance(den, pd.Series):
            den = den.reindex(out.index)
        zero = np.broadcast_to(np.asarray(den, dtype="float64") == 0, out.shape)
        return out.mask(zero)
    return float("nan") if den == 0 else float(out)


def split_national(
    df: pd.DataFrame,
    *,
    unit: str,
    national: str,
    national_code: str = NATIONAL_CODE,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Split ``df`` into (units, national rows) according to the ``national`` mode.

    ``national="row"`` takes the published 全国 rows (``unit == national_code``) and fails if
    there are none; ``national="sum"`` sums all other units (and ignores no row silently: a
    ``national_code`` row present in ``sum`` mode is dropped from the units, never double-counted).
    """
    if national not in NATIONAL_MODES:
        msg = f"national: expected one of {NATIONAL_MODES}, found {national!r}"
        raise InputError(msg)
    is_nat = df[unit].astype(str) == str(national_code)
    units = df.loc[~is_nat]
    if national == "row":
        if not is_nat.any():
            msg = (
                f"national='row': expected rows with {unit} == {national_code!r} (the published 全国 total), "
                f"found none; pass national='sum' to sum all units instead"
            )
            raise InputError(msg)
        return units, df.loc[is_nat]
    return units, None


def require_members(units: pd.DataFrame, unit: str, codes: tuple[str, ...], *, what: str) -> None:
    """Every region member must appear in the frame (a typo must not shrink the region)."""
    present = set(units[unit].astype(str))
    absent = [c for c in codes if c not in present]
    if absent:
        msg = f"{what}: region members {absent} are not in column {unit!r} (found {sorted(present)[:10]}…)"
        raise InputError(msg)


def require_complete(df: pd.DataFrame, unit: str, part: str, *, what: str) -> None:
    """Every unit must have a row for every part (a missing row is not a zero)."""
    full = pd.MultiIndex.from_product([df[unit].unique(), df[part].unique()], names=[unit, part])
    have = pd.MultiIndex.from_frame(df[[unit, part]])
    gaps = full.difference(have)
    if len(gaps):
        sample = [dict(zip([unit, part], g, strict=True)) for g in list(gaps)[:5]]
        msg = (
            f"{what}: expected a row for every {unit} × {part}, found {len(gaps)} missing combinations, "
            f"e.g. {sample}. A missing row is not a zero: add it (NaN with a value_note if suppressed, "
            f"0 if the publication prints a true zero)."
        )
        raise InputError(msg)


def unit_industry_matrix(
    df: pd.DataFrame,
    *,
    value: str,
    unit: str,
    industry: str,
    national: str,
    national_code: str = NATIONAL_CODE,
    total: str | None = None,
    region: Region | str | Iterable[object] | None = None,
    what: str,
) -> tuple[pd.DataFrame, pd.Series, pd.Series, float]:
    """Wide unit × industry matrix with its reference totals, checked.

    Returns ``(E, e_N, e_r, E_N)``: ``E`` units in rows and industries in columns (NaN kept),
    ``e_N`` the national value of each industry, ``e_r`` each unit's total and ``E_N`` the
    national total. National values come from the 全国 rows (``national="row"``) or the sum of
    the units (``"sum"``); totals are the sum over industries, or the row whose ``industry`` is
    ``total`` when given. With ``region`` the members are summed into one unit **after** the
    national reference has been taken from all units.
    """
    require_columns(df, [unit, industry, value], what=what)
    require_unique(df, [unit, industry], what=what)
    frame = df[[unit, industry, value]].copy()
    frame[unit] = frame[unit].astype(str)
    frame[industry] = frame[industry].astype(str)
    frame[value] = require_numeric(frame, value, what=what)
    units, nat_rows = split_national(frame, unit=unit, national=national, national_code=national_code)
    if units.empty:
        msg = f"{what}: expected at least one unit besides {national_code!r}, found none"
        raise InputError(msg)
    require_complete(units, unit, industry, what=what)
    wide = units.pivot(index=unit, columns=industry, values=value)
    if nat_rows is None:
        nat = wide.sum(axis=0, skipna=False)
    else:
        nat = nat_rows.set_index(industry)[value]
        if set(nat.index) != set(wide.columns):
            only_nat = sorted(set(nat.index) - set(wide.columns))[:5]
            only_units = sorted(set(wide.columns) - set(nat.index))[:5]
            msg = (
                f"{what}: the 全国 rows and the units list different {industry} values: only national "
                f"{only_nat}, only units {only_units}"
            )
            raise InputError(msg)
        nat = nat.reindex(wide.columns)
    if region is not None:
        codes = region_codes(region)
        require_members(units, unit, codes, what=what)
        agg = wide.loc[list(codes)].sum(axis=0, skipna=False)
        wide = pd.DataFrame([agg.to_numpy()], index=pd.Index([region_label(region)], name=unit), columns=wide.columns)
    if total is not None:
        if total not in wide.columns:
            msg = f"{what}: expected a total row {industry} == {total!r}, found {list(wide.columns)[:10]}"
            raise InputError(msg)
        unit_tot, nat_tot = wide.pop(total), float(nat.pop(total))
    else:
        unit_tot, nat_tot = wide.sum(axis=1, skipna=False), nansum(nat)
    return wide, nat, unit_tot, nat_tot
