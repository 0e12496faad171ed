"""Chart functions return (Figure, Axes) with the expected artists and labels; none saves or shows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from hokuriku import datasets
from hokuriku.codes.prefectures import region, short_name
from hokuriku.plotting import charts, formats, style

MEMBERS = region("北陸3県").pref_codes


def _bars(ax: Axes) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def _prefs() -> pd.DataFrame:
    df = datasets.load_example("synthetic_prefectures").query("fiscal_year == 2022 and industry == '製造業'").copy()
    df["name"] = df["pref_code"].map(short_name)
    return df


def test__bar_ranking__sorted_highlighted_and_labelled():
    fig, ax = charts.bar_ranking(_prefs(), value="gdp_nominal_jpy_million", label="name", highlight=MEMBERS, top=10,
                                 fmt=formats.fmt_oku)
    assert isinstance(fig, Figure) and isinstance(ax, Axes)
    bars = _bars(ax)
    top10 = _prefs().nlargest(10, "gdp_nominal_jpy_million")["pref_code"].tolist()
    assert len(bars) == 10 + sum(1 for m in MEMBERS if m not in top10)
    widths = [b.get_width() for b in sorted(bars, key=lambda b: -b.get_y())]
    assert widths[:10] == sorted(widths[:10], reverse=True)
    colours = {to_hex(b.get_facecolor()) for b in bars}
    assert {style.pref_colour(m).lower() for m in MEMBERS} <= colours
    assert style.OTHER_COLOUR.lower() in colours
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0].startswith("1. ") and any("富山" in lab for lab in labels)
    assert any(t.get_text().endswith("億円") for t in ax.texts)


def test__bar_ranking__nan_is_left_out():
    df = _prefs().astype({"gdp_nominal_jpy_million": "float64"})
    df.loc[df["pref_code"] == "01", "gdp_nominal_jpy_million"] = np.nan
    _, ax = charts.bar_ranking(df, value="gdp_nominal_jpy_million", label="name")
    assert len(_bars(ax)) == 46


def test__bar_ranking__missing_column_raises():
    with pytest.raises(ValueError, match="expected columns"):
        charts.bar_ranking(_prefs(), value="nope", label="name")


def test__share_bars__percent_labels_and_reference():
    df = pd.DataFrame({"item": ["面積", "人口", "県内総生産"], "share": [0.0334, 0.0229, 0.022053]})
    _, ax = charts.share_bars(df, share="share", label="item", reference=0.0229, reference_label="人口の全国比")
    assert [t.get_text() for t in ax.texts] == ["3.3%", "2.3%", "2.2%"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["面積", "人口", "県内総生産"]
    assert any(line.get_linestyle() == "--" for line in ax.get_lines())


def test__composition_stacked__rows_sum_to_one():
    df = datasets.load_example("synthetic_prefectures").query("fiscal_year == 2022 and pref_code in @MEMBERS")
    _, ax = charts.composition_stacked(df, value="gdp_nominal_jpy_million", category="pref_code", part="industry")
    bars = _bars(ax)
    assert len(bars) == 3 * 4
    ends = {}
    for b in bars:
        ends[round(b.get_y(), 6)] = max(ends.get(round(b.get_y(), 6), 0), b.get_x() + b.get_width())
    assert list(ends.values()) == pytest.approx([1.0, 1.0, 1.0])
    assert len(ax.get_legend().get_texts()) == 4


def test__line_index__projection_is_dashed_from_projected_from():
    df = pd.DataFrame({"g": ["a"] * 5, "year": [2010, 2015, 2020, 2025, 2030], "idx": [110, 105, 100, 95, 90.0]})
    _, ax = charts.line_index(df, x="year", y="idx", group="g", projected_from=2020)
    data_lines = [ln for ln in ax.get_lines() if ln.get_transform() == ax.transData]  # not axhline/axvline
    solid = [ln for ln in data_lines if ln.get_linestyle() == "-"]
    dashed = [ln for ln in data_lines if ln.get_linestyle() == "--"]
    assert [list(ln.get_xdata()) for ln in solid] == [[2010, 2015, 2020]]
    assert [list(ln.get_xdata()) for ln in dashed] == [[2020, 2025, 2030]]  # continuous at the boundary
    assert any(t.get_text() == "推計" for t in ax.texts)


def test__line_index__without_projection_is_all_solid():
    df = pd.DataFrame({"g": ["a"] * 3, "year": [1, 2, 3], "idx": [100.0, 101.0, 102.0]})
    _, ax = charts.line_index(df, x="year", y="idx", group="g")
    assert all(ln.get_linestyle() != "--" for ln in ax.get_lines())


def test__scatter_labelled__labels_every_point_and_highlights():
    df = pd.DataFrame({"pref_code": ["13", *MEMBERS], "x": [0.1, 0.2, -0.1, 0.05], "y": [0.3, 0.1, 0.2, -0.1],
                       "name": ["東京", "富山", "石川", "福井"]})
    _, ax = charts.scatter_labelled(df, x="x", y="y", label="name", unit="pref_code", highlight=MEMBERS)
    assert sorted(t.get_text() for t in ax.texts) == sorted(df["name"])
    offsets = np.vstack([c.get_offsets() for c in ax.collections])
    assert len(offsets) == 4


def test__pyramid__base_bars_and_overlay():
    df = datasets.load_example("synthetic_pyramid")
    _, ax = charts.pyramid(df, age="age_group", sex="sex", value="population_persons", scenario="scenario",
                           base="base", overlay="scenario")
    bars = _bars(ax)
    assert len(bars) == 2 * 18
    assert sum(b.get_width() < 0 for b in bars) == 18  # males to the left
    assert [t.get_text() for t in ax.get_yticklabels()][-1] == "85+"
    assert "scenario" in [t.get_text() for t in ax.get_legend().get_texts()]


def test__pyramid__unknown_scenario_raises():
    with pytest.raises(ValueError, match="no rows for scenario"):
        charts.pyramid(datasets.load_example("synthetic_pyramid"), age="age_group", sex="sex",
                       value="population_persons", scenario="scenario", base="base", overlay="zero_migration")


def test__table_figure__cells_and_alignment():
    tab = pd.DataFrame({"項目": ["面積", "人口"], "全国": ["377,980", "124,331"], "全国比": ["3.3%", "2.3%"]})
    _, ax = charts.table_figure(tab)
    cells = ax.tables[0].get_celld()
    assert cells[(0, 0)].get_text().get_text() == "項目"
    assert cells[(1, 1)].get_text().get_text() == "377,980"
    assert cells[(1, 1)].get_text().get_horizontalalignment() == "right"
    assert cells[(1, 0)].get_text().get_horizontalalignment() == "left"


def test__add_source_line_and_title__place_text():
    fig, _ = charts.bar_ranking(_prefs(), value="gdp_nominal_jpy_million", label="name")
    charts.add_title(fig, "製造業の県内総生産", "2022年度")
    charts.add_source_line(fig, "(出所) 内閣府「令和4年度県民経済計算」")
    texts = {t.get_text(): t for t in fig.texts}
    src = texts["(出所) 内閣府「令和4年度県民経済計算」"]
    assert src.get_position() == (0.01, 0.01) and src.get_ha() == "left" and src.get_va() == "bottom"
    assert texts["製造業の県内総生産"].get_position()[1] > 0.9 and "2022年度" in texts
    with pytest.raises(ValueError, match="empty source"):
        charts.add_source_line(fig, "")


def test__charts__draw_on_a_given_axes():
    fig = Figure()
    ax = fig.add_subplot()
    fig2, ax2 = charts.share_bars(pd.DataFrame({"i": ["a"], "s": [0.5]}), share="s", label="i", ax=ax)
    assert fig2 is fig and ax2 is ax
