"""Choropleth and boundary helpers on tiny inline GeoDataFrames (no raw data)."""

from __future__ import annotations

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from hokuriku.errors import InputError, ParameterError
from hokuriku.maps import boundaries as mb
from hokuriku.maps import choropleth as ch

matplotlib.use("Agg")


@pytest.fixture
def grid():
    """Six unit squares in a row near 富山 (lon 137+i, lat 36), codes 16201..16206."""
    return gpd.GeoDataFrame({"muni_code": [f"1620{i}" for i in range(1, 7)]},
                            geometry=[box(137 + i, 36, 138 + i, 37) for i in range(6)], crs="EPSG:4326")


def test__class_labels__japanese_ranges_with_true_minus():
    assert ch.class_labels(np.array([-10.0, 0.0, 5.0]), -20.0, unit="%") == ["−20%～−10%", "−10%～0%", "0%～5%"]
    assert ch.class_labels(np.array([1234.5]), 0.0, decimals=1) == ["0.0～1,234.5"]


def test__choropleth__missing_drawn_and_labelled(grid):
    import matplotlib.pyplot as plt

    g = grid.assign(rate=[-30.0, -25.0, -12.0, -5.0, 2.0, np.nan])
    fig, ax = ch.choropleth(g, "rate", scheme="user_defined", bins=[-20, -10, 0, 10], legend_title_ja="増減率", unit="%")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["−30%～−20%", "−20%～−10%", "−10%～0%", "0%～10%", "データなし"]
    assert ax.get_legend().get_title().get_text() == "増減率"
    hatched = [c for c in ax.collections if c.get_hatch()]
    assert len(hatched) == 1 and len(hatched[0].get_paths()) == 1
    plt.close(fig)


def test__choropleth__quantiles_on_given_axes(grid):
    import matplotlib.pyplot as plt

    fig0, ax0 = plt.subplots()
    fig, ax = ch.choropleth(grid.assign(v=[1, 2, 3, 4, 5, 6]), "v", scheme="quantiles", k=3, ax=ax0)
    assert (fig, ax) == (fig0, ax0)
    assert len(ax.get_legend().get_texts()) == 3  # no データなし entry when nothing is missing
    plt.close(fig)


def test__choropleth__bad_scheme_or_column(grid):
    with pytest.raises(ParameterError):
        ch.choropleth(grid.assign(v=1.0), "v", scheme="jenks_magic")
    with pytest.raises(InputError):
        ch.choropleth(grid, "nope")


def test__join_values__left_join_and_unmatched_codes(grid):
    vals = pd.DataFrame({"muni_code": ["16201", "16203"], "rate": [-1.0, -2.0]})
    j = mb.join_values(grid, vals)
    assert j["rate"].isna().sum() == 4 and len(j) == 6
    with pytest.raises(InputError, match="match no polygon"):
        mb.join_values(grid, pd.DataFrame({"muni_code": ["99999"], "rate": [1.0]}))
    with pytest.raises(InputError, match="duplicate"):
        mb.join_values(grid, pd.concat([vals, vals]))


def test__to_equal_area__areas_in_square_metres(grid):
    area_km2 = mb.to_equal_area(grid).area.iloc[0] / 1e6
    # 1° × 1° at 36-37°N: 111.2 km × ~89.4 km ≈ 9,940 km² (spherical approximation)
    assert area_km2 == pytest.approx(9940, rel=0.01)
