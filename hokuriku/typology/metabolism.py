"""産業の新陳代謝: how concentrated an area's manufacturing is, and which industries enter.

NRI's 地域産業集積 report reads an area's dependence on one core industry from its industry mix
over time. For area :math:`r`, year :math:`t` and industry shares
:math:`s_{i} = x_{i} / \\sum_j x_j` of shipments (製造品出荷額等):

- top-industry share :math:`\\max_i s_i` and its industry;
- Herfindahl–Hirschman index :math:`HHI = \\sum_i s_i^2` (0–1; 1 = a single industry);
- Krugman specialisation index against the nation
  :math:`K = \\sum_i |s_i - s_{iN}|` (0–2; 0 = same mix as 全国; Krugman 1991, *Geography and
  Trade*; Midelfart-Knarvik et al. 2000);
- number of industries with :math:`s_i \\ge x`;
- entries: the first year an industry's share reaches a threshold after being below it in the
  first year observed (a new industry "arriving").

Inputs are tidy frames (see :mod:`hokuriku.typology._frames`): ``area_id`` (or ``muni_code`` /
``pref_code``), ``year``, ``industry_key`` and a shipments column. Industries must be on one
classification across the years compared: across JSIC revisions (2001 / 2002 / 2008) use
``industry_key`` → :func:`hokuriku.codes.industries.panel_group` first (:func:`regroup`), or the
2001 電気機械 will look like an industry that vanished. ``industry_key == "total"`` rows are dropped.
Suppressed (NaN) cells are left out of the shares, which makes shares of an area with many
秘匿 cells approximate; ``n_missing`` counts them.

HHI and Krugman are computed by :mod:`hokuriku.indicators.specialization`; this module only
prepares the per-year area × industry grid (industries absent in an area, or suppressed, count
as 0 there, whereas ``specialization`` alone would refuse a missing row or return NaN).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from hokuriku.errors import InputError
from hokuriku.indicators import specialization as spec
from hokuriku.typology import _frames

TOTAL_KEY = "total"
_NAT = "__national__"  # unit code of the national reference rows passed to indicators.specialization


def regroup(df: pd.DataFrame, mapping: Mapping[str, str] | Callable[[str], str]) -> pd.DataFrame:
    """Re-key industries (e.g. to JSIC panel groups) and sum; other columns are summed too."""
    func = "regroup"
    area = _frames.area_column(df, func=func)
    _frames.require(df, [area, "year", "industry_key"], func=func)
    keys = df["industry_key"].astype(str)
    new = keys.map(mapping) if not callable(mapping) else keys.map(lambda k: k if k == TOTAL_KEY else mapping(k))
    if new.isna().any():
        msg = f"{func}: no mapping for industry_key {sorted(keys[new.isna()].unique())}"
        raise InputError(msg)
    measures = [c for c in df.columns if c in _frames.SHIPMENT_UNITS or c in ("employees", "establishments")]
    out = df.assign(industry_key=new).groupby([area, "year", "industry_key"], as_index=False)[measures]
    return out.sum(min_count=1)


def shares(df: pd.DataFrame) -> pd.DataFrame:
    """Shipment share of each industry in its area-year (``area_id, year, industry_key, share``)."""
    t = _frames.tidy(df, func="shares")
    t = t[t["industry_key"] != TOTAL_KEY]
    total = t.groupby(["area_id", "year"])["shipments_jpy_million"].transform("sum")
    t["share"] = t["shipments_jpy_million"] / total.where(total > 0)
    return t


def _per_area_year(s: pd.DataFrame) -> pd.core.groupby.DataFrameGroupBy:
    return s.dropna(subset=["share"]).groupby(["area_id", "year"])


def top_industry(df: pd.DataFrame) -> pd.DataFrame:
    """Largest industry per area-year: ``area_id, year, top_industry_key, top_share``."""
    s = shares(df).dropna(subset=["share"])
    idx = s.groupby(["area_id", "year"])["share"].idxmax()
    top = s.loc[idx, ["area_id", "year", "industry_key", "share"]]
    return top.rename(columns={"industry_key": "top_industry_key", "share": "top_share"}).reset_index(drop=True)


def _grid(s: pd.DataFrame) -> pd.DataFrame:
    """Long frame with every area × industry of one year; absent (or suppressed) cells = 0."""
    wide = s.pivot_table(index="area_id", columns="industry_key", values="shipments_jpy_million", aggfunc="sum")
    return wide.fillna(0.0).stack().rename("value").reset_index()


def hhi(df: pd.DataFrame) -> pd.DataFrame:
    """Herfindahl–Hirschman index :math:`\\sum_i s_i^2` of shipment shares per area-year.

    Computed by :func:`hokuriku.indicators.specialization.herfindahl` (fraction scale) per year.
    """
    s = shares(df).dropna(subset=["share"])
    out = []
    for year, g in s.groupby("year"):
        h = spec.herfindahl(_grid(g), value="value", unit="area_id", industry="industry_key", national_code=_NAT)
        out.append(h[["area_id", "hhi"]].assign(year=int(year)))
    return pd.concat(out, ignore_index=True)[["area_id", "year", "hhi"]].sort_values(["area_id", "year"], ignore_index=True)


def krugman_index(df: pd.DataFrame, national: pd.DataFrame) -> pd.DataFrame:
    """Krugman specialisation index :math:`\\sum_i |s_{ir} - s_{iN}|` against the national mix.

    ``national`` holds ``year, industry_key`` and a shipments column (one row per industry-year,
    e.g. the 47-prefecture sum or the published 全国 rows). An industry absent on one side
    counts as share 0 on that side; years without national data raise. Computed by
    :func:`hokuriku.indicators.specialization.krugman_index` (``national="row"``) per year.
    """
    func = "krugman_index"
    _frames.require(national, ["year", "industry_key"], func=func)
    nat = shares(national.assign(area_id=_NAT)).dropna(subset=["share"])
    s = shares(df).dropna(subset=["share"])
    missing = sorted(set(s["year"]) - set(nat["year"]))
    if missing:
        msg = f"{func}: national frame lacks year(s) {missing}; expected every year of the area panel"
        raise InputError(msg)
    out = []
    for year, g in s.groupby("year"):
        grid = _grid(pd.concat([g, nat[nat["year"] == year]]))
        k = spec.krugman_index(grid, value="value", unit="area_id", industry="industry_key", national="row",
                               national_code=_NAT)
        out.append(k.assign(year=int(year)))
    return pd.concat(out, ignore_index=True)[["area_id", "year", "krugman_index"]].sort_values(
        ["area_id", "year"], ignore_index=True)


def n_industries_above(df: pd.DataFrame, threshold: float = 0.05) -> pd.DataFrame:
    """Number of industries whose shipment share is at least ``threshold`` (0–1) per area-year."""
    if not 0 < threshold < 1:
        raise InputError(f"n_industries_above: expected 0 < threshold < 1, found {threshold}")
    s = shares(df)
    col = f"n_industries_ge_{round(threshold * 100):d}pct"
    return _per_area_year(s)["share"].apply(lambda x: int((x >= threshold).sum())).rename(col).reset_index()


def industry_entries(df: pd.DataFrame, threshold: float = 0.05) -> pd.DataFrame:
    """Industries that *enter*: below ``threshold`` in the first year observed, at or above it later.

    Returns ``area_id, industry_key, first_year, share_first_year, entry_year, share_at_entry``
    (one row per entering industry; an industry present at the start is not an entry).
    """
    if not 0 < threshold < 1:
        raise InputError(f"industry_entries: expected 0 < threshold < 1, found {threshold}")
    s = shares(df).sort_values(["area_id", "industry_key", "year"])
    first_year = s.groupby("area_id")["year"].transform("min")
    rows = []
    for (area, ind), g in s.groupby(["area_id", "industry_key"]):
        start = g.loc[g["year"] == first_year.loc[g.index].iloc[0], "share"]
        s0 = float(start.iloc[0]) if len(start) and pd.notna(start.iloc[0]) else 0.0
        if s0 >= threshold:
            continue
        above = g[(g["share"] >= threshold)]
        if above.empty:
            continue
        rows.append({"area_id": area, "industry_key": ind, "first_year": int(first_year.loc[g.index].iloc[0]),
                     "share_first_year": s0, "entry_year": int(above["year"].iloc[0]),
                     "share_at_entry": float(above["share"].iloc[0])})
    cols = ["area_id", "industry_key", "first_year", "share_first_year", "entry_year", "share_at_entry"]
    return pd.DataFrame(rows, columns=cols)


def metabolism_table(df: pd.DataFrame, national: pd.DataFrame | None = None, *, threshold: float = 0.05) -> pd.DataFrame:
    """All indicators per area-year; ``krugman_index`` only when ``national`` is given.

    Columns: ``area_id, year, shipments_jpy_million, n_missing, top_industry_key, top_share, hhi,
    [krugman_index], n_industries_ge_<x>pct, n_entries_to_date``.
    """
    s = shares(df)
    base = s.groupby(["area_id", "year"]).agg(
        shipments_jpy_million=("shipments_jpy_million", lambda x: x.sum(min_count=1)),
        n_missing=("shipments_jpy_million", lambda x: int(x.isna().sum())),
    ).reset_index()
    out = base.merge(top_industry(df), on=["area_id", "year"], how="left").merge(hhi(df), on=["area_id", "year"], how="left")
    if national is not None:
        out = out.merge(krugman_index(df, national), on=["area_id", "year"], how="left")
    out = out.merge(n_industries_above(df, threshold), on=["area_id", "year"], how="left")
    ent = industry_entries(df, threshold)
    out["n_entries_to_date"] = [
        int(((ent["area_id"] == a) & (ent["entry_year"] <= y)).sum()) for a, y in zip(out["area_id"], out["year"], strict=True)
    ]
    return out.sort_values(["area_id", "year"]).reset_index(drop=True)


def growth_decomposition(df: pd.DataFrame, start: int, end: int, *, small_share: float = 0.05) -> pd.DataFrame:
    """Each industry's contribution to an area's shipment change ``start`` → ``end``.

    Returns ``area_id, industry_key, share_start, change_jpy_million, contribution`` (share of the
    area's total change; NaN if the total did not change) and ``is_small_at_start``
    (``share_start < small_share``). Used by :mod:`hokuriku.typology.agglomeration`.
    """
    s = shares(df)
    a = s[s["year"] == start].set_index(["area_id", "industry_key"])
    b = s[s["year"] == end].set_index(["area_id", "industry_key"])
    if a.empty or b.empty:
        msg = f"growth_decomposition: expected rows for both years {start} and {end}, found years {sorted(s['year'].unique())}"
        raise InputError(msg)
    idx = a.index.union(b.index)
    x0 = a["shipments_jpy_million"].reindex(idx).fillna(0.0)
    x1 = b["shipments_jpy_million"].reindex(idx).fillna(0.0)
    out = pd.DataFrame({"share_start": a["share"].reindex(idx).fillna(0.0), "change_jpy_million": x1 - x0})
    total = out.groupby(level="area_id")["change_jpy_million"].transform("sum")
    out["contribution"] = out["change_jpy_million"] / total.where(total != 0)
    out["is_small_at_start"] = out["share_start"] < small_share
    return out.reset_index().replace([np.inf, -np.inf], np.nan)
