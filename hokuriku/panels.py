"""Merger-consistent municipal manufacturing panels.

Municipal series break at every 市町村合併. These functions put a panel on the boundaries of one
snapshot of Kondo's converter (``to_year`` ∈ 1980, 1985, …, 2020; 1 October) by summing each
successor's predecessors (:func:`hokuriku.codes.municipalities.harmonize`):

- :func:`industry_panel`: 2001–2012 by industry (``rieti_manu`` ``muni_industry``), shipments
  (万円), employees, establishments;
- :func:`total_panel`: the same measures for 製造業計 only;
- :func:`shipments_long_panel`: 製造品出荷額等 1971–2012 (百万円, ``DTA_cao_manu``).

Missing values are never summed as 0. A predecessor cell is missing when it was suppressed (秘匿 X)
or when the predecessor was a 町村, for which 工業統計 publishes no industry split: such a merged
value is NaN and ``<measure>_n_missing`` says how many predecessor cells were missing, unless the
analyst opts in to ``min_count`` summation (then ``is_partial`` marks the incomplete sums).

``designated_city="merge"`` folds 政令市 wards into their city; ``"wards"`` keeps ward rows and a city row
for the whole city (Σ wards + predecessors merged into the city, e.g. 湯来町 into 広島市), told apart by
``area_level`` (wards are not in the converter).

Missing cells keep their reason: ``<measure>_n_suppressed`` (秘匿), ``_n_no_industry_split`` (町村),
``_n_absent`` and ``_n_unsplittable`` (a later municipality on earlier boundaries), see
:data:`hokuriku.codes.municipalities.MISSING_REASONS`; :func:`hokuriku.codes.municipalities.describe_missing`
words them for a table or chart ("2 suppressed, 1 without industry split").

Any converter snapshot is a valid ``to_year`` (1980 … 2020): the crosswalk is year-aware
(:func:`hokuriku.codes.municipalities.year_targets`), so data of 2001 can be put on the 2000 boundaries,
while a municipality formed later by merger is NaN on them (``unsplittable``), never guessed.

The ``build_*`` functions are pure (frames in, frame out); the others read the processed store
(``data/processed``, written by ``make data``), never the raw files.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hokuriku.codes import industries, municipalities
from hokuriku.errors import InputError

DEFAULT_TO_YEAR = 2015
"""The 2012 data use 2012 codes, and mergers after 1 Oct 2010 cannot be split back: use 2015 or 2020."""

PANEL_MEASURES = ("shipments_jpy_10k", "employees", "establishments")
LONG_CODE_YEAR = 2015
"""``DTA_cao_manu`` gives every year 1971–2012 on the 2014–2015 municipalities (its codes are of 2015)."""
INDUSTRY_LEVELS = ("industry_key", "panel_group")


def _names(crosswalk: pd.DataFrame, to_year: int) -> pd.Series:
    snap = crosswalk.loc[crosswalk["snapshot_year"] == to_year, ["muni_code", "muni_name_ja"]]
    return snap.drop_duplicates("muni_code").set_index("muni_code")["muni_name_ja"]


def _with_unsplit(df: pd.DataFrame, measures: list[str]) -> pd.DataFrame:
    """Add NaN rows for every industry of municipalities published without an industry split.

    Only ``area_level == "municipality"`` rows qualify: a 政令市 city row without a split (広島市 2002)
    has its split in the ward rows, which :func:`harmonize` folds into the city.
    """
    industry_rows = df[df["industry_key"] != industries.TOTAL_KEY]
    split = industry_rows[["muni_code", "year"]].drop_duplicates().assign(_split=True)
    totals = df[(df["industry_key"] == industries.TOTAL_KEY) & (df["area_level"] == "municipality")]
    flag = totals[["muni_code", "year"]].merge(split, on=["muni_code", "year"], how="left")["_split"].isna()
    unsplit = totals.loc[flag.to_numpy()]
    keys = industry_rows[["year", "industry_key"]].drop_duplicates()
    filler = unsplit[["muni_code", "muni_name_ja", "pref_code", "year"]].merge(keys, on="year")
    for m in measures:
        filler[m] = np.nan
    filler["value_note"] = "no_industry_split"
    return pd.concat([industry_rows, filler], ignore_index=True)


def build_industry_panel(
    muni_industry: pd.DataFrame,
    crosswalk: pd.DataFrame,
    *,
    to_year: int = DEFAULT_TO_YEAR,
    measures: tuple[str, ...] | list[str] = PANEL_MEASURES,
    level: str = "industry_key",
    designated_city: str = "merge",
    min_count: int | None = None,
) -> pd.DataFrame:
    """Municipal × year × industry panel on ``to_year`` boundaries (pure).

    ``level="panel_group"`` sums classes into groups that are comparable across JSIC revisions
    (:mod:`hokuriku.codes.industries`); ``"industry_key"`` keeps the published classes, which change
    in 2002 and 2008.
    """
    if level not in INDUSTRY_LEVELS:
        msg = f"level must be one of {INDUSTRY_LEVELS}, found {level!r}"
        raise InputError(msg)
    measures = list(measures)
    df = muni_industry[muni_industry["area_level"] != "prefecture"]
    df = _with_unsplit(df, measures)
    if level == "panel_group":
        df = df.assign(panel_group=df["industry_key"].map(industries.panel_group))
    out = municipalities.harmonize(df, crosswalk, to_year=to_year, value_cols=measures, by=["year", level],
                                   designated_city=designated_city, min_count=min_count)
    return _finish(out, df, crosswalk, to_year)


def build_total_panel(
    muni_industry: pd.DataFrame,
    crosswalk: pd.DataFrame,
    *,
    to_year: int = DEFAULT_TO_YEAR,
    measures: tuple[str, ...] | list[str] = PANEL_MEASURES,
    designated_city: str = "merge",
    min_count: int | None = None,
) -> pd.DataFrame:
    """Municipal × year panel of 製造業計 on ``to_year`` boundaries (pure)."""
    df = muni_industry[(muni_industry["area_level"] != "prefecture")
                       & (muni_industry["industry_key"] == industries.TOTAL_KEY)]
    out = municipalities.harmonize(df, crosswalk, to_year=to_year, value_cols=list(measures), by=["year"],
                                   designated_city=designated_city, min_count=min_count)
    return _finish(out, df, crosswalk, to_year)


def build_shipments_long_panel(
    shipments_long: pd.DataFrame,
    crosswalk: pd.DataFrame,
    *,
    to_year: int = DEFAULT_TO_YEAR,
    min_count: int | None = None,
) -> pd.DataFrame:
    """製造品出荷額等 1971–2012 (百万円) on ``to_year`` boundaries (pure)."""
    out = municipalities.harmonize(shipments_long, crosswalk, to_year=to_year, value_cols=["shipments_jpy_million"],
                                   by=["year"], min_count=min_count, code_year=LONG_CODE_YEAR)
    return _finish(out, shipments_long, crosswalk, to_year)


def _finish(out: pd.DataFrame, source: pd.DataFrame, crosswalk: pd.DataFrame, to_year: int) -> pd.DataFrame:
    names = _names(crosswalk, to_year)
    published = source.drop_duplicates("muni_code").set_index("muni_code")["muni_name_ja"]
    out.insert(1, "muni_name_ja", out["muni_code"].map(names).fillna(out["muni_code"].map(published)))
    out.insert(1, "pref_code", out["muni_code"].str[:2])
    out["boundary_year"] = to_year
    return out


def area_series(panel: pd.DataFrame, muni_codes: list[str], *, value_cols: list[str], by: tuple[str, ...] = ("year",),
                min_count: int | None = None) -> pd.DataFrame:
    """Sum a harmonised panel over a named area (a list of municipal codes), NaN-aware as above.

    Example: 北上川流域 = the codes the analyst lists. Unknown codes raise :class:`InputError`.
    """
    codes = [municipalities.validate_code5(c) for c in muni_codes]
    missing = sorted(set(codes) - set(panel["muni_code"]))
    if missing:
        msg = f"Codes not in the panel (check the boundary year): {missing}"
        raise InputError(msg)
    sub = panel[panel["muni_code"].isin(codes)]
    grouped = sub.groupby(list(by), sort=True)
    out = grouped.size().rename("n_municipalities").to_frame()
    for col in value_cols:
        n_nan = grouped.size() - grouped[col].count()
        total = grouped[col].sum(min_count=1 if min_count is None else min_count)
        out[col] = total.where(n_nan == 0) if min_count is None else total
        out[f"{col}_n_missing"] = n_nan.astype("int64")
    return out.reset_index()


def _store_inputs(vintage: str, converter_vintage: str, table: str, years: list[int] | None = None):
    from hokuriku import store  # I/O lives here only: the processed store written by `make data`

    data = store.table("rieti_manu", table, vintage)
    if years is not None:
        data = data[data["year"].isin(years)]
    return data, store.table("muni_converter", "crosswalk", converter_vintage)


def industry_panel(vintage: str = "2012", *, converter_vintage: str = "2020", years: list[int] | None = None,
                   **kwargs) -> pd.DataFrame:
    """:func:`build_industry_panel` on the processed ``rieti_manu/muni_industry`` and converter tables."""
    return build_industry_panel(*_store_inputs(vintage, converter_vintage, "muni_industry", years), **kwargs)


def total_panel(vintage: str = "2012", *, converter_vintage: str = "2020", years: list[int] | None = None,
                **kwargs) -> pd.DataFrame:
    """:func:`build_total_panel` on the processed ``rieti_manu/muni_industry`` and converter tables."""
    return build_total_panel(*_store_inputs(vintage, converter_vintage, "muni_industry", years), **kwargs)


def shipments_long_panel(vintage: str = "2012", *, converter_vintage: str = "2020", **kwargs) -> pd.DataFrame:
    """:func:`build_shipments_long_panel` on the processed ``rieti_manu/muni_shipments_long`` and the converter."""
    return build_shipments_long_panel(*_store_inputs(vintage, converter_vintage, "muni_shipments_long"), **kwargs)
