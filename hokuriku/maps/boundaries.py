"""Boundary helpers for maps: loading (re-exported), joining values, projecting for area-true maps.

The loaders live in :mod:`hokuriku.sources.boundaries` (manifest-verified TopoJSON); this module
adds what a map needs on top. Merging 政令市 wards into cities is always a named option
(``designated_city="merge"|"wards"``), never implicit.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from hokuriku.errors import InputError
from hokuriku.sources.boundaries import load_municipalities, load_prefectures

__all__ = ["join_values", "load_municipalities", "load_prefectures", "to_equal_area"]


def join_values(gdf: gpd.GeoDataFrame, values: pd.DataFrame, *, on: str = "muni_code",
                columns: list[str] | None = None) -> gpd.GeoDataFrame:
    """Left-join a value table onto polygons by code; polygons without a value keep NaN.

    Raises :class:`InputError` if ``values`` has duplicate keys, or keys that match no polygon
    (e.g. 2015-boundary codes on 2025 polygons: harmonise codes first, never drop silently).
    """
    if on not in gdf or on not in values:
        msg = f"both frames need the key column {on!r}"
        raise InputError(msg)
    if values[on].duplicated().any():
        msg = f"values has duplicate {on}: {values.loc[values[on].duplicated(), on].head(3).tolist()}"
        raise InputError(msg)
    unmatched = sorted(set(values[on].dropna()) - set(gdf[on].dropna()))
    if unmatched:
        msg = f"{len(unmatched)} {on} values match no polygon (first: {unmatched[:5]}); check the boundary vintage"
        raise InputError(msg)
    cols = [on, *(columns or [c for c in values.columns if c != on and c not in gdf.columns])]
    return gdf.merge(values[cols], on=on, how="left")


def to_equal_area(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Project to a Lambert azimuthal equal-area CRS centred on the data (metres; areas true).

    Longitude/latitude (EPSG:4326) stretches east-west distances by 1/cos(latitude) — about
    1.25× in 北陸 — so an area map or an area computation should use this projection.
    """
    lon_min, lat_min, lon_max, lat_max = gdf.to_crs("EPSG:4326").total_bounds
    lat0, lon0 = (lat_min + lat_max) / 2, (lon_min + lon_max) / 2
    return gdf.to_crs(f"+proj=laea +lat_0={lat0:.4f} +lon_0={lon0:.4f} +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs")
