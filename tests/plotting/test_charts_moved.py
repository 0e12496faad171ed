"""Charts moved out of hokuriku.analysis: label placement, heat table, scenario lines, grouped bars, palette."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from hokuriku.plotting import charts, style


def _drawn(fig: Figure):
    """Draw ``fig`` on an Agg canvas (the default canvas of a pyplot-free figure does not render)."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def _overlaps(ax: Axes, renderer) -> list[tuple[str, str]]:
    texts = [t for t in ax.texts if t.get_text()]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    return [(a, b) for (a, ba), (b, bb) in itertools.combinations(boxes, 2) if ba.overlaps(bb)]


def _dense(n: int = 48, seed: int = 4) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"x": rng.uniform(0, 1, n), "y": rng.uniform(0, 1, n),
                         "name": [f"市{i:02d}" for i in range(n)], "pref_code": ["16", "17", "18"] * (n // 3)})


def test__scatter_labelled__dense_labels_do_not_overlap_after_layout():
    fig, ax = charts.scatter_labelled(_dense(), x="x", y="y", label="name", unit="pref_code", highlight=["16"],
                                      size="half")
    charts.add_title(fig, "タイトル", "サブタイトル")  # changes the layout after the labels were created
    charts.add_source_line(fig, "(出所) テスト")
    renderer = _drawn(fig)
    assert len([t for t in ax.texts if t.get_text()]) == 48
    assert _overlaps(ax, renderer) == []
    # the same labels all at the old fixed offset do overlap: the case is dense enough to test placement
    for t in ax.texts:
        t.xyann = (5, 3)
        t.set_horizontalalignment("left")
    assert _overlaps(ax, renderer)


def test__scatter_labelled__empty_labels_skipped_and_log_scales():
    df = pd.DataFrame({"x": [1.0, 10.0, 100.0], "y": [2.0, 20.0, 200.0], "name": ["A", "", "C"],
                       "pref_code": ["16", "13", "17"]})
    _, ax = charts.scatter_labelled(df, x="x", y="y", label="name", unit="pref_code", highlight=["16", "17"],
                                    quadrant=None, xscale="log", yscale="log")
    assert sorted(t.get_text() for t in ax.texts) == ["A", "C"]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert {t.get_fontsize() for t in ax.texts} == {12}


def test__heat_table__cells_colours_and_text():
    values = pd.DataFrame({"富山": [1.0, 30.0], "石川": [np.nan, 47.0]}, index=["化学", "金属"])
    text = pd.DataFrame({"富山": ["1", "30="], "石川": ["秘匿", "47"]}, index=values.index)
    fig, ax = charts.heat_table(values, text=text, vmin=1, vmax=47, dark="low")
    assert isinstance(fig, Figure)
    assert [t.get_text() for t in ax.texts] == ["1", "秘匿", "30=", "47"]
    colours = [to_hex(t.get_color()) for t in ax.texts]
    assert colours[0] == "#ffffff" and colours[3] == to_hex(style.TEXT_COLOUR)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["富山", "石川"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["化学", "金属"]
    image = ax.images[0]
    assert np.ma.is_masked(image.get_array()[0, 1])  # NaN drawn as the "bad" (grey) colour


def test__heat_table__default_text_and_checks():
    _, ax = charts.heat_table(pd.DataFrame({"a": [1.0, 2000.0]}, index=["x", "y"]), dark="high")
    assert [t.get_text() for t in ax.texts] == ["1", "2,000"]
    with pytest.raises(ValueError, match="dark"):
        charts.heat_table(pd.DataFrame({"a": [1.0]}), dark="middle")
    with pytest.raises(ValueError, match="shape"):
        charts.heat_table(pd.DataFrame({"a": [1.0]}), text=pd.DataFrame({"a": ["1", "2"]}))


def test__line_scenarios__base_thick_others_each_own_colour_dash_and_marker():
    df = pd.DataFrame({"year": [2020, 2030, 2040] * 3, "scenario": ["基準"] * 3 + ["A"] * 3 + ["B"] * 3,
                       "pop": [100, 95, 90, 100, 96, 92, 100, 95.5, 90.2]})
    fig, ax = charts.line_scenarios(df, x="year", y="pop", group="scenario", ylabel="万人")
    assert isinstance(fig, Figure)
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["基準", "A", "B"]
    assert lines[0].get_linewidth() > lines[1].get_linewidth() and lines[1].get_linestyle() == "--"
    assert lines[2].get_linestyle() == "-." and lines[1].get_marker() != lines[2].get_marker()
    assert to_hex(lines[0].get_color()) == to_hex(style.REGION_COLOUR)
    assert len({to_hex(line.get_color()) for line in lines}) == 3
    assert all(to_hex(line.get_color()) not in ("#f0e442", "#56b4e9") for line in lines)  # no yellow / light blue
    ends = sorted(t.xy[1] for t in ax.texts)  # end labels spread apart even for close values
    assert [t.get_text() for t in ax.texts] == ["90.0", "92.0", "90.2"]
    assert len({round(e, 6) for e in ends}) == 3


def test__grouped_barh__one_bar_per_row_and_component():
    df = pd.DataFrame({"活動": ["製造業", "建設業"], "a": [10.0, -5.0], "b": [3.0, 2.0], "c": [-1.0, 4.0]})
    fig, ax = charts.grouped_barh(df, label="活動", values=["a", "b", "c"], names=["全国", "構造", "地域"])
    assert isinstance(fig, Figure)
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 6
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["全国", "構造", "地域"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["製造業", "建設業"]  # first row on top
    assert max(b.get_y() for b in bars[:2]) > max(b.get_y() for b in bars[2:4])  # first component above


def test__series_colours__lead_cycle_other():
    assert style.series_colours(0) == []
    assert style.series_colours(3, lead=style.REGION_COLOUR) == [style.REGION_COLOUR, *style.CYCLE[:2]]
    assert style.series_colours(2, other=style.OTHER_COLOUR) == [style.CYCLE[0], style.OTHER_COLOUR]
    many = style.series_colours(len(style.CYCLE) + 2)
    assert many[-2:] == list(style.CYCLE[:2])
    with pytest.raises(ValueError, match="n >= 0"):
        style.series_colours(-1)


def test__scatter_labelled__label_at_the_right_edge_moves_inside_the_axes():
    df = pd.DataFrame({"x": [0.0, 1.0], "y": [0.0, 1.0], "name": ["左下", "右上の長いラベル"], "pref_code": ["16", "17"]})
    fig, ax = charts.scatter_labelled(df, x="x", y="y", label="name", unit="pref_code", highlight=["16", "17"],
                                      quadrant=None, size="half")
    renderer = _drawn(fig)
    right = next(t for t in ax.texts if t.get_text() == "右上の長いラベル")
    assert right.get_horizontalalignment() == "right"
    assert right.get_window_extent(renderer).x1 <= ax.bbox.x1
