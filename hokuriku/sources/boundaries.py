"""Administrative boundaries (国土数値情報 行政区域 N03; 地球地図日本) as GeoDataFrames.

Publishers: 国土交通省「国土数値情報（行政区域データ）N03」 and 国土地理院「地球地図日本」. The files at
hand are **derived** simplified TopoJSON copies (every manifest says ``derived: true``):

``n03_2021``  smartnews-smri/japan-topography, N03 as of 2021-01-01, simplification ``s0001``
              (0.1 %) or ``s0010`` (1 %); ``*_designated_city`` files merge 政令市 wards.
``n03_2025``  ricewin/simplify-japan-geojson, N03 as of 2025-01-01, one ``NN.json`` per
              prefecture (政令市 already dissolved: no ward polygons) and ``prefecture.json``.
``gmj``       dataofjapan/land ``japan.topojson``: 47 prefectures from 地球地図日本.

Layout quirks: properties ``N03_001`` 都道府県, ``N03_003`` 郡 or 政令市, ``N03_004`` 市区町村 or
区, ``N03_007`` code (string, zero-padded). 所属未定地 (境界未定の水面等) have no code: they are kept
with ``muni_code`` NA unless ``include_undetermined=False``. Several features may share a code
(islands): they are dissolved into one row. The files carry no CRS; coordinates are JGD2011
longitude/latitude, set as EPSG:4326 (sub-metre difference, irrelevant at this simplification).
For area-true maps use :func:`hokuriku.maps.boundaries.to_equal_area`.

GDAL's TopoJSON driver (through pyogrio) reads these files, so no hand-written decoder is needed.
Which file serves which vintage/level is data: ``layouts/boundaries/files.csv``.

``TABLES = {}``: geometries are not written to the plain parquet store (``hokuriku.io`` writes
pandas tables without geometry metadata); maps call :func:`load_municipalities` directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from hokuriku import manifest
from hokuriku.codes import prefectures
from hokuriku.errors import LayoutError, ParameterError, RawDataError
from hokuriku.sources import _parse

if TYPE_CHECKING:  # geopandas/shapely load only when a map is drawn (``make data`` never needs them)
    import geopandas as gpd

SOURCE = "boundaries"
DEFAULT_VINTAGE = "n03_2025"
CRS = "EPSG:4326"
UNDETERMINED = "所属未定地"
COLUMNS = ["pref_code", "pref_name_ja", "muni_code", "muni_name_ja", "is_ward", "is_designated_city", "geometry"]


def files(vintage: str, level: str, designated_city: str = "n/a", simplification: str | None = None) -> pd.Series:
    """The ``layouts/boundaries/files.csv`` row for a vintage/level/option (ParameterError if none)."""
    t = _parse.load_layout(SOURCE, "files")
    sel = t[(t["vintage"] == vintage) & (t["level"] == level) & (t["designated_city"] == designated_city)]
    if simplification:
        sel = sel[sel["simplification"] == simplification]
    if sel.empty:
        options = t[t["level"] == level][["vintage", "designated_city", "simplification"]].drop_duplicates().to_dict("records")
        msg = f"no {level} boundaries for vintage={vintage!r}, designated_city={designated_city!r}, simplification={simplification!r}; available: {options}"
        raise ParameterError(msg)
    return sel.iloc[-1]


def _read(path: Path) -> gpd.GeoDataFrame:
    try:
        import geopandas as gpd  # noqa: PLC0415

        gdf = gpd.read_file(path)
    except Exception as exc:  # GDAL/pyogrio raise several types for corrupt input
        raise RawDataError(path, "a readable TopoJSON file", found=f"{type(exc).__name__}: {exc}") from exc
    if gdf.empty:
        raise RawDataError(path, "at least one feature", found="none")
    return gdf.set_crs(CRS, allow_override=True)


@_parse.contained
def parse(path: Path, *, vintage: str, level: str = "municipality", spec: pd.Series | None = None) -> gpd.GeoDataFrame:
    """One TopoJSON file as a GeoDataFrame with :data:`COLUMNS` (prefecture files: muni fields NA)."""
    path = Path(path)
    spec = spec if spec is not None else files(vintage, level, "n/a" if level == "prefecture" else "merge")
    gdf = _read(path)
    fields = [f for f in (spec["code_field"], spec["pref_name_field"], spec["county_field"], spec["name_field"]) if f]
    _parse.require_columns(gdf.columns, fields, file=path)
    import geopandas as gpd  # noqa: PLC0415
    import shapely  # noqa: PLC0415

    out = gpd.GeoDataFrame(geometry=shapely.make_valid(gdf.geometry.values), crs=CRS)
    pref_names = gdf[spec["pref_name_field"]].astype("string")
    if level == "prefecture":
        out["pref_code"] = [prefectures.code_of(n) for n in pref_names]
        if spec["code_field"]:
            codes = gdf[spec["code_field"]].astype("string").str.zfill(2).str[:2]
            bad = codes != out["pref_code"]
            if bad.any():
                raise RawDataError(path, f"{spec['code_field']} consistent with {spec['pref_name_field']}",
                                   found=(codes[bad].iloc[0], pref_names[bad].iloc[0]), row=int(bad.idxmax()) + 1)
        out["pref_name_ja"] = out["pref_code"].map(prefectures.name_ja)
        out["muni_code"] = pd.NA
        out["muni_name_ja"] = pd.NA
        out["is_ward"] = False
        out["is_designated_city"] = False
        return _dissolve(out, ["pref_code"], path)
    codes = gdf[spec["code_field"]].astype("string").str.strip()
    name = gdf[spec["name_field"]].astype("string")
    fixes = _parse.load_layout(SOURCE, "code_fixes")
    for fix in fixes[(fixes["vintage"] == vintage) & (fixes["file"] == path.name)].itertuples():
        hit = (codes == fix.found) & (name == fix.name)
        if hit.sum() != 1:
            raise LayoutError(path, f"exactly one {fix.name} with code {fix.found!r} (layouts/boundaries/code_fixes.csv)", found=int(hit.sum()))
        codes = codes.mask(hit, fix.corrected)
    ok = codes.str.fullmatch(r"\d{5}").fillna(False)
    undetermined = codes.isna() & (name == UNDETERMINED)
    bad = ~ok & ~undetermined
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise RawDataError(path, f"a 5-digit code in {spec['code_field']}", found=gdf[spec["code_field"]].iloc[i], row=i + 1)
    from hokuriku.sources.ipss_projection import designated_cities  # the 20 政令市 (one list for the package)

    cities = designated_cities()
    county = gdf[spec["county_field"]].astype("string")
    is_ward = (county.isin(cities["muni_name_ja"]) & name.str.endswith("区")).fillna(False)
    out["pref_code"] = [prefectures.code_of(n) for n in pref_names]
    out["pref_name_ja"] = pref_names.to_numpy()
    out["muni_code"] = codes.to_numpy()
    out["muni_name_ja"] = name.where(~is_ward, county + name).fillna(county).to_numpy()
    out["is_ward"] = is_ward.to_numpy()
    out["is_designated_city"] = out["muni_code"].isin(cities["muni_code"]).to_numpy()
    mismatch = ok.to_numpy() & (out["muni_code"].str[:2] != out["pref_code"]).fillna(False).to_numpy()
    if mismatch.any():
        i = int(mismatch.argmax())
        raise RawDataError(path, "codes starting with the prefecture code", found=(out["muni_code"].iloc[i], out["pref_name_ja"].iloc[i]), row=i + 1)
    return _dissolve(out, ["pref_code", "muni_code", "muni_name_ja"], path)


def _dissolve(gdf: gpd.GeoDataFrame, keys: list[str], path: Path) -> gpd.GeoDataFrame:
    """One row per key (islands of one municipality are separate features in N03)."""
    keyed = gdf.assign(_k=gdf[keys].astype("string").fillna("<NA>").agg("|".join, axis=1))
    merged = keyed.dissolve(by="_k", aggfunc="first", as_index=False, sort=False)
    merged = merged.drop(columns="_k")
    for c in ("muni_code", "muni_name_ja"):
        merged[c] = merged[c].astype("string")
    return merged[COLUMNS].sort_values(["pref_code", "muni_code"], ignore_index=True, na_position="last")


def _pref_list(pref_codes) -> tuple[str, ...]:
    if pref_codes is None:
        return tuple(f"{i:02d}" for i in range(1, 48))
    return prefectures.region(pref_codes).pref_codes


def load_prefectures(vintage: str = DEFAULT_VINTAGE, *, pref_codes=None) -> gpd.GeoDataFrame:
    """Prefecture polygons (``pref_code``, ``pref_name_ja``, geometry; EPSG:4326).

    ``pref_codes``: None (all 47), a region name (``"HOKURIKU3"``) or codes/names; see
    :func:`hokuriku.codes.prefectures.region`.
    """
    spec = files(vintage, "prefecture")
    gdf = parse(manifest.path(SOURCE, vintage, spec["file"]), vintage=vintage, level="prefecture", spec=spec)
    if len(gdf) != 47:
        raise RawDataError(spec["file"], "47 prefectures", found=len(gdf))
    return gdf[gdf["pref_code"].isin(_pref_list(pref_codes))].reset_index(drop=True)


def load_municipalities(pref_codes=None, *, designated_city: str = "merge", vintage: str | None = None,
                        simplification: str | None = None, include_undetermined: bool = True) -> gpd.GeoDataFrame:
    """Municipal polygons for some prefectures (EPSG:4326).

    Parameters
    ----------
    pref_codes
        None for all 47, or a region / prefecture list accepted by :func:`~hokuriku.codes.prefectures.region`.
    designated_city
        ``"merge"``: each 政令市 is one polygon (code ``PP1x0``); ``"wards"``: its wards instead
        (``is_ward``). Never implicit. ``n03_2025`` has only ``"merge"``.
    vintage
        ``"n03_2025"`` (default for ``merge``) or ``"n03_2021"`` (default for ``wards``).
    simplification
        ``n03_2021`` only: ``"s0010"`` (1 %, default) or ``"s0001"`` (0.1 %).
    include_undetermined
        Keep 所属未定地 polygons (``muni_code`` NA) so that maps show them as データなし.
    """
    if designated_city not in ("merge", "wards"):
        msg = f"designated_city must be 'merge' or 'wards', got {designated_city!r}"
        raise ParameterError(msg)
    vintage = vintage or ("n03_2025" if designated_city == "merge" else "n03_2021")
    if vintage == "n03_2021" and simplification is None:
        simplification = "s0010"
    spec = files(vintage, "municipality", designated_city, simplification)
    prefs = _pref_list(pref_codes)
    names = [spec["file"].format(pref=p) for p in prefs] if "{pref}" in spec["file"] else [spec["file"]]
    parts = [parse(manifest.path(SOURCE, vintage, n), vintage=vintage, spec=spec) for n in names]
    gdf = pd.concat(parts, ignore_index=True)
    gdf = gdf[gdf["pref_code"].isin(prefs)]
    if not include_undetermined:
        gdf = gdf[gdf["muni_code"].notna()]
    if designated_city == "merge" and gdf["is_ward"].any():
        raise LayoutError(spec["file"], "no ward polygons in a designated_city='merge' file", found=gdf.loc[gdf["is_ward"], "muni_name_ja"].iloc[0])
    import geopandas as gpd  # noqa: PLC0415

    return gpd.GeoDataFrame(gdf, crs=CRS).reset_index(drop=True)


TABLES: dict = {}
"""No processed tables: geometry is not stored in the plain parquet store (see module docstring)."""
