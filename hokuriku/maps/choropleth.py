"""Choropleth maps with mapclassify schemes and Japanese legends.

Classification follows :mod:`mapclassify` (Rey et al.): ``quantiles``, ``natural_breaks``
(Jenks-Caspall via ``NaturalBreaks``), ``equal_interval``, ``fisher_jenks``, ``user_defined``
(give ``bins``) and ``std_mean``. Legend labels are Japanese ranges with a full-width tilde and a
true minus sign, e.g. ``−20%～−10%``; values that are NaN are drawn hatched grey and labelled
データなし — never classed as 0 and never dropped.

The function returns ``(fig, ax)``; it never saves or shows (see :func:`hokuriku.io.save_figure`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hokuriku.errors import InputError, ParameterError

MISSING_LABEL = "データなし"
MISSING_STYLE = {"facecolor": "#d9d9d9", "edgecolor": "#8c8c8c", "hatch": "///", "linewidth": 0.2}
SCHEMES = {
    "quantiles": "Quantiles",
    "natural_breaks": "NaturalBreaks",
    "equal_interval": "EqualInterval",
    "fisher_jenks": "FisherJenks",
    "std_mean": "StdMean",
    "user_defined": "UserDefined",
}


def _use_style() -> None:
    """House style if the plotting module provides it, else only a Japanese font (matplotlib-fontja)."""
    try:
        from hokuriku.plotting.style import use_house_style
    except ImportError:
        import matplotlib_fontja  # noqa: F401 - registers and selects IPAexGothic
    else:
        use_house_style()


def format_number(x: float, *, decimals: int, unit: str) -> str:
    """``-12.5`` → ``−12.5%`` (true minus sign U+2212, thousands separators)."""
    text = f"{abs(x):,.{decimals}f}{unit}"
    return ("−" if x < 0 and round(abs(x), decimals) != 0 else "") + text


def class_labels(bins: np.ndarray, lower: float, *, decimals: int = 0, unit: str = "") -> list[str]:
    """Japanese legend labels ``a～b`` for classes with upper bounds ``bins`` starting at ``lower``."""
    edges = [lower, *bins]
    return [f"{format_number(a, decimals=decimals, unit=unit)}～{format_number(b, decimals=decimals, unit=unit)}"
            for a, b in zip(edges[:-1], edges[1:])]


def classify(values: pd.Series, *, scheme: str = "quantiles", k: int = 5, bins: list[float] | None = None):
    """A fitted mapclassify classifier for the non-missing ``values``."""
    import mapclassify

    if scheme not in SCHEMES:
        msg = f"scheme must be one of {sorted(SCHEMES)}, got {scheme!r}"
        raise ParameterError(msg)
    y = pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)
    if y.size == 0:
        msg = "no non-missing values to classify"
        raise InputError(msg)
    cls = getattr(mapclassify, SCHEMES[scheme])
    if scheme == "user_defined":
        if not bins:
            msg = "scheme='user_defined' needs bins=[upper bounds]"
            raise ParameterError(msg)
        return cls(y, bins=list(bins))
    if scheme == "std_mean":
        return cls(y)
    return cls(y, k=min(k, len(np.unique(y))))


def choropleth(gdf, column: str, *, scheme: str = "quantiles", k: int = 5, bins: list[float] | None = None,
               legend_title_ja: str = "", cmap: str = "RdYlBu", decimals: int = 0, unit: str = "",
               ax=None, edgecolor: str = "white", linewidth: float = 0.3, boundary=None):
    """Draw ``gdf[column]`` classed by ``scheme`` with a Japanese legend; return ``(fig, ax)``.

    Parameters
    ----------
    gdf
        GeoDataFrame with the values (see :func:`hokuriku.maps.boundaries.join_values`).
    column
        Numeric column to map; NaN polygons are drawn hatched grey as データなし.
    scheme, k, bins
        mapclassify scheme name (:data:`SCHEMES`), number of classes, or upper bounds for
        ``user_defined``.
    legend_title_ja, decimals, unit
        Legend title and label format (``unit="%"`` gives ``−20%～−10%``).
    ax
        Existing axes; a new figure is created if None.
    boundary
        Optional GeoDataFrame (e.g. prefectures) drawn as outlines on top.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    if column not in gdf:
        msg = f"column {column!r} not in the GeoDataFrame (columns: {list(gdf.columns)})"
        raise InputError(msg)
    _use_style()
    values = pd.to_numeric(gdf[column], errors="coerce")
    classifier = classify(values, scheme=scheme, k=k, bins=bins)
    n = len(classifier.bins)
    colors = plt.get_cmap(cmap, n)(range(n))
    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 6))
    else:
        fig = ax.figure
    present = values.notna().to_numpy()
    klass = np.full(len(gdf), -1)
    klass[present] = classifier.yb
    for i in range(n):
        sel = gdf[klass == i]
        if not sel.empty:
            sel.plot(ax=ax, color=colors[i], edgecolor=edgecolor, linewidth=linewidth)
    missing = gdf[~present]
    if not missing.empty:
        missing.plot(ax=ax, **MISSING_STYLE)
    if boundary is not None:
        boundary.to_crs(gdf.crs).boundary.plot(ax=ax, color="#333333", linewidth=0.8)
    lower = float(np.min(classifier.y))
    labels = class_labels(np.asarray(classifier.bins, dtype=float), lower, decimals=decimals, unit=unit)
    handles = [Patch(facecolor=colors[i], edgecolor="#999999", label=labels[i]) for i in range(n)]
    if not missing.empty:
        handles.append(Patch(label=MISSING_LABEL, **{**MISSING_STYLE, "linewidth": 0.5}))
    ax.legend(handles=handles, title=legend_title_ja or None, loc="lower left", bbox_to_anchor=(1.0, 0.0),
              fontsize=8, title_fontsize=9, frameon=False)
    ax.set_axis_off()
    ax.set_aspect("equal" if gdf.crs is None or gdf.crs.is_projected else 1 / np.cos(np.deg2rad(gdf.total_bounds[[1, 3]].mean())))
    return fig, ax


def label_areas(ax, gdf, name: str, *, rank_by: str | None = None, top: int = 20, fontsize: float = 7) -> list:
    """Write area names (``gdf[name]``) at a point inside each polygon, with a white halo; return the texts.

    When there are more than ``top`` areas, only the ``top`` largest by ``rank_by`` (absolute value;
    default: polygon area) are named, so that the map stays readable; the axes keep the region's extent.
    """
    import matplotlib.patheffects as pe  # noqa: PLC0415

    if len(gdf) == 0:
        return []
    geom = gdf.geometry.to_crs(3857) if gdf.crs is not None and gdf.crs.is_geographic else gdf.geometry
    key = gdf[rank_by].abs() if rank_by else geom.area
    shown = gdf.loc[key.sort_values(ascending=False).index[:top]] if len(gdf) > top else gdf
    points = shown.geometry.representative_point()
    texts = []
    for pt, label in zip(points, shown[name].astype(str), strict=True):
        texts.append(ax.annotate(label, (pt.x, pt.y), ha="center", va="center", fontsize=fontsize, color="#222222",
                                 path_effects=[pe.withStroke(linewidth=2.2, foreground="white")]))
    return texts
