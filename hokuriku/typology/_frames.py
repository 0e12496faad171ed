"""Input checks and unit handling shared by the typology modules (pure, no I/O).

Expected tidy columns (any subset, per function):

- ``area_id`` (or ``muni_code`` / ``pref_code`` when the frame is not yet aggregated to areas);
- ``year`` (calendar/reference year of the survey, int);
- ``industry_key`` (JSIC 中分類 key, consistent across the years compared);
- shipments in one of ``shipments_jpy_million`` (百万円), ``shipments_jpy_10k`` (万円, as in
  工業統計 municipal tables) or ``shipments_jpy_100m`` (億円) — converted here to 百万円;
- ``employees`` (従業者数, persons) and ``establishments`` (事業所数).
"""

from __future__ import annotations

import pandas as pd

from hokuriku.errors import InputError

SHIPMENT_UNITS: dict[str, float] = {
    "shipments_jpy_million": 1.0,
    "shipments_jpy_10k": 0.01,  # 万円 → 百万円
    "shipments_jpy_100m": 100.0,  # 億円 → 百万円
}
AREA_COLUMNS = ("area_id", "muni_code", "pref_code")


def area_column(df: pd.DataFrame, *, func: str) -> str:
    """The column identifying areas: ``area_id``, else ``muni_code``, else ``pref_code``."""
    for col in AREA_COLUMNS:
        if col in df.columns:
            return col
    msg = f"{func}: expected one of the columns {list(AREA_COLUMNS)} to identify areas, found {list(df.columns)}"
    raise InputError(msg)


def require(df: pd.DataFrame, columns: list[str] | tuple[str, ...], *, func: str) -> None:
    """Raise :class:`InputError` naming the missing columns."""
    if not isinstance(df, pd.DataFrame):
        msg = f"{func}: expected a pandas DataFrame, found {type(df).__name__}"
        raise InputError(msg)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        msg = f"{func}: missing column(s) {missing}; expected {list(columns)}, found {list(df.columns)}"
        raise InputError(msg)


def shipments_million(df: pd.DataFrame, *, func: str) -> pd.Series:
    """Shipments in 百万円 from whichever unit-suffixed shipments column the frame has."""
    present = [c for c in SHIPMENT_UNITS if c in df.columns]
    if len(present) != 1:
        msg = (
            f"{func}: expected exactly one shipments column among {list(SHIPMENT_UNITS)}, "
            f"found {present or 'none'} in {list(df.columns)}"
        )
        raise InputError(msg)
    col = present[0]
    values = pd.to_numeric(df[col], errors="coerce").astype("float64")
    bad = df[col].notna() & values.isna()
    if bad.any():
        i = bad.idxmax()
        msg = f"{func}: column {col!r} row {i}: expected a number, found {df.loc[i, col]!r}"
        raise InputError(msg)
    if (values < 0).any():
        i = (values < 0).idxmax()
        msg = f"{func}: column {col!r} row {i}: expected shipments ≥ 0, found {values[i]}"
        raise InputError(msg)
    return values * SHIPMENT_UNITS[col]


def numeric(df: pd.DataFrame, col: str, *, func: str) -> pd.Series:
    """A non-negative numeric column (NaN kept: suppressed cells stay missing)."""
    values = pd.to_numeric(df[col], errors="coerce").astype("float64")
    bad = df[col].notna() & values.isna()
    if bad.any() or (values < 0).any():
        i = (bad | (values < 0)).idxmax()
        msg = f"{func}: column {col!r} row {i}: expected a number ≥ 0, found {df.loc[i, col]!r}"
        raise InputError(msg)
    return values


def tidy(df: pd.DataFrame, *, func: str, industry: bool = True, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """Normalise to ``area_id, year, [industry_key], shipments_jpy_million, *extra``; check duplicates."""
    area = area_column(df, func=func)
    cols = [area, "year"] + (["industry_key"] if industry else [])
    require(df, [*cols, *extra], func=func)
    out = pd.DataFrame({"area_id": df[area].astype(str), "year": pd.to_numeric(df["year"]).astype(int)})
    if industry:
        out["industry_key"] = df["industry_key"].astype(str)
    out["shipments_jpy_million"] = shipments_million(df, func=func)
    for col in extra:
        out[col] = numeric(df, col, func=func)
    keys = list(out.columns[: 3 if industry else 2])
    dup = out.duplicated(keys, keep=False)
    if dup.any():
        first = out[dup].iloc[0]
        msg = (
            f"{func}: expected one row per {keys}, found duplicates (first: "
            f"{dict(first[keys])}); aggregate municipalities to areas first (typology.panel.area_panel)"
        )
        raise InputError(msg)
    return out.reset_index(drop=True)
