"""PNG baseline comparisons with all text removed (font-independent), mapclassify style.

Baselines live in ``tests/plotting/baseline_images/``. After an intended change of the house
style, regenerate them with ``HOKURIKU_UPDATE_BASELINES=1 python -m pytest tests/plotting/test_baselines.py``
and look at the new PNGs before committing them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.testing.compare import compare_images
from matplotlib.testing.decorators import remove_ticks_and_titles

from hokuriku import datasets
from hokuriku.codes.prefectures import region, short_name
from hokuriku.indicators import growth
from hokuriku.plotting import charts

BASELINES = Path(__file__).resolve().parent / "baseline_images"
TOLERANCE = 2.0  # RMS over 0–255; absorbs antialiasing differences between FreeType builds
DPI = 40  # keeps the committed PNGs small (≈ 530 × 300 px at the body size)


def _remove_text(fig: Figure) -> None:
    """``image_comparison(remove_text=True)``: no tick labels, titles, annotations, legends or figure text."""
    for ax in fig.axes:
        remove_ticks_and_titles(fig)
        for t in list(ax.texts):
            t.set_visible(False)
        if ax.get_legend() is not None:
            ax.get_legend().set_visible(False)
    for t in fig.texts:
        t.set_visible(False)


def _bar_ranking() -> Figure:
    df = datasets.load_example("synthetic_prefectures").query("fiscal_year == 2022 and industry == '製造業'").copy()
    df["name"] = df["pref_code"].map(short_name)
    fig, _ = charts.bar_ranking(df, value="gdp_nominal_jpy_million", label="name",
                                highlight=region("北陸3県").pref_codes, top=12)
    return fig


def _line_index() -> Figure:
    pop = growth.index(datasets.load_example("synthetic_population"), value="population_thousand", time="year",
                       base=2020, by="pref_code")
    fig, _ = charts.line_index(pop, x="year", y="index", group="pref_code", projected_from=2020)
    return fig


def _pyramid() -> Figure:
    fig, _ = charts.pyramid(datasets.load_example("synthetic_pyramid"), age="age_group", sex="sex",
                            value="population_persons", scenario="scenario", base="base", overlay="scenario")
    return fig


CASES = {"bar_ranking": _bar_ranking, "line_index": _line_index, "pyramid": _pyramid}


@pytest.mark.parametrize("name", sorted(CASES))
def test__chart__matches_baseline(name, tmp_path):
    fig = CASES[name]()
    _remove_text(fig)
    actual = tmp_path / f"{name}.png"
    fig.savefig(actual, dpi=DPI)
    expected = BASELINES / f"{name}.png"
    if os.environ.get("HOKURIKU_UPDATE_BASELINES") == "1":
        expected.write_bytes(actual.read_bytes())
    assert expected.exists(), f"no baseline {expected}; generate it with HOKURIKU_UPDATE_BASELINES=1"
    result = compare_images(str(expected), str(actual), tol=TOLERANCE)
    assert result is None, result


def test__baseline_comparison__detects_a_changed_chart(tmp_path):
    """Control: a different highlight (colours) must not pass as the bar_ranking baseline."""
    df = datasets.load_example("synthetic_prefectures").query("fiscal_year == 2022 and industry == '製造業'").copy()
    df["name"] = df["pref_code"].map(short_name)
    fig, _ = charts.bar_ranking(df, value="gdp_nominal_jpy_million", label="name", highlight=["13", "23"], top=12)
    _remove_text(fig)
    actual = tmp_path / "changed.png"
    fig.savefig(actual, dpi=DPI)
    assert compare_images(str(BASELINES / "bar_ranking.png"), str(actual), tol=TOLERANCE) is not None


def test__frames_are_not_modified_by_charts():
    df = datasets.load_example("synthetic_pyramid")
    before = df.copy()
    _pyramid()
    charts.pyramid(df, age="age_group", sex="sex", value="population_persons", scenario="scenario")
    pd.testing.assert_frame_equal(df, before)
