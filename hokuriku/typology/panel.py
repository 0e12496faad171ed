"""Aggregate municipal (or prefectural) manufacturing rows to named areas (pure).

A municipal panel over 1971–2012 spans the 平成の大合併, so each row's code must first be brought
to the area's boundary date. The caller passes ``code_map`` (old code → code at the boundary
date), built from the merger crosswalk (:mod:`hokuriku.sources.muni_converter`); designated-city
ward codes map to their city the same way. Codes absent from the map are taken as already
current. Rows are then summed per area × year (× industry), each member counted only in the years it
belongs to the area (``from``/``until`` in ``areas.yml``, :meth:`hokuriku.codes.areas.Area.is_member`).

Suppressed cells (秘匿, NaN) are *not* treated as zero: the sum uses ``min_count=1`` and the
count of missing member cells is returned in ``n_missing`` so that a chart can flag the gap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from hokuriku.codes.areas import Area
from hokuriku.errors import InputError
from hokuriku.typology import _frames

MEASURES = ("shipments_jpy_million", "employees", "establishments")


def area_panel(
    df: pd.DataFrame,
    areas: Area | Iterable[Area],
    *,
    code_map: Mapping[str, str] | pd.Series | None = None,
    industry: bool = True,
    keep_members: bool = False,
) -> pd.DataFrame:
    """Sum municipal or prefectural rows into areas.

    Parameters
    ----------
    df
        Tidy rows with ``muni_code`` (for municipal areas) or ``pref_code`` (prefectural areas),
        ``year``, optionally ``industry_key``, a shipments column (any unit of
        :data:`hokuriku.typology._frames.SHIPMENT_UNITS`), optionally ``employees`` and
        ``establishments``. Give either designated-city totals *or* ward rows, never both.
    areas
        One :class:`~hokuriku.codes.areas.Area` or several.
    code_map
        Old municipal code → code at the areas' boundary date (merger crosswalk, wards → city).
    industry
        Keep ``industry_key`` (True) or sum all industries (False; then the frame should hold
        the published 製造業計 rows rather than a sum of industries, which misses 秘匿 cells).
    keep_members
        Also return the member code column (``muni_code``/``pref_code``), one row per member.

    Returns
    -------
    DataFrame
        ``area_id, year, [industry_key], shipments_jpy_million, [employees, establishments],
        n_members, n_missing``.
    """
    func = "area_panel"
    areas = [areas] if isinstance(areas, Area) else list(areas)
    if not areas:
        raise InputError(f"{func}: expected at least one Area")
    extra = tuple(c for c in ("employees", "establishments") if c in df.columns)
    frames = []
    for area in areas:
        col = "muni_code" if area.is_municipal else "pref_code"
        _frames.require(df, [col, "year"] + (["industry_key"] if industry else []), func=func)
        width = 5 if area.is_municipal else 2
        codes = df[col].astype(str).str.zfill(width)
        if code_map is not None and area.is_municipal:
            cmap = pd.Series(code_map).astype(str).str.zfill(5)
            cmap.index = cmap.index.astype(str).str.zfill(5)
            codes = codes.map(cmap).fillna(codes)
        sub = df.loc[codes.isin(area.members)]
        if area.periods and not sub.empty:  # membership that changes over time (areas.yml from/until)
            years = pd.to_numeric(sub["year"]).astype(int)
            inside = [area.is_member(c, y) for c, y in zip(codes[sub.index], years, strict=True)]
            sub = sub.loc[pd.Series(inside, index=sub.index, dtype=bool)]
        if sub.empty:
            continue
        part = pd.DataFrame({
            col: codes[sub.index],
            **({"muni_code": sub["muni_code"].astype(str).str.zfill(5)} if col == "pref_code" and "muni_code" in sub else {}),
            "year": pd.to_numeric(sub["year"]).astype(int),
            "shipments_jpy_million": _frames.shipments_million(sub, func=func),
        })
        if industry:
            part["industry_key"] = sub["industry_key"].astype(str)
        for c in extra:
            part[c] = _frames.numeric(sub, c, func=func)
        part.insert(0, "area_id", area.key)
        frames.append(part)
    keys = ["area_id", "year"] + (["industry_key"] if industry else [])
    measures = ["shipments_jpy_million", *extra]
    if not frames:
        msg = f"{func}: no rows of {[a.key for a in areas]} in the input (check codes and the boundary crosswalk)"
        raise InputError(msg)
    rows = pd.concat(frames, ignore_index=True)
    if keep_members:
        mcol = [c for c in ("muni_code", "pref_code") if c in rows.columns]
        return rows.groupby([*keys, *mcol], as_index=False, dropna=False)[measures].sum(min_count=1)
    grouped = rows.groupby(keys)
    out = grouped[measures].sum(min_count=1)
    out["n_members"] = grouped.size()
    out["n_missing"] = (out["n_members"] - grouped["shipments_jpy_million"].count()).astype("int64")
    return out.reset_index()
