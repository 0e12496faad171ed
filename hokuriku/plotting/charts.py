"""Slide-ready charts: each takes a tidy frame and returns ``(fig, ax)``; none saves or shows.

Save with :func:`hokuriku.io.save_figure` (PNG ≥ 200 dpi + SVG). Add the slide furniture with
:func:`add_title` and :func:`add_source_line` (the ``(出所)`` text comes from
:func:`hokuriku.manifest.source_note`). Figures are :class:`matplotlib.figure.Figure` objects
created without pyplot, so notebooks and tests never accumulate open pyplot figures; Jupyter
displays a returned figure as usual. Call :func:`hokuriku.plotting.style.use_house_style` first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.text import Annotation
from matplotlib.transforms import offset_copy

from hokuriku.plotting import formats, style

Formatter = Callable[[float], str]
TEXT = style.TEXT_COLOUR


def _figure(ax: Axes | None, size: str | tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.get_figure(), ax
    fig = Figure(figsize=style.figsize(size) if isinstance(size, str) else size, layout="constrained")
    return fig, fig.add_subplot()


def _need(df: pd.DataFrame, cols: Sequence[str], fn: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        msg = f"{fn}: expected columns {missing}, found {list(df.columns)}"
        raise ValueError(msg)


def bar_ranking(
    df: pd.DataFrame,
    *,
    value: str,
    label: str,
    unit: str = "pref_code",
    highlight: Sequence[str] = (),
    top: int | None = None,
    fmt: Formatter | None = None,
    xlabel: str | None = None,
    title: str | None = None,
    size: str | tuple[float, float] = "half",
    ax: Axes | None = None,
) -> tuple[Figure, Axes]:
    """Horizontal ranked bars, largest on top; ``highlight`` units (the region) in their colours.

    NaN values are left out (they have no rank); ``top`` keeps the first ``top`` bars plus any
    highlighted unit below them.
    """
    _need(df, [value, label, unit], "bar_ranking")
    data = df.dropna(subset=[value]).sort_values(value, ascending=False, kind="stable").reset_index(drop=True)
    data["_rank"] = data[value].rank(method="min", ascending=False).astype(int)
    if top is not None:
        keep = data.index < top
        keep |= data[unit].astype(str).isin([str(h) for h in highlight])
        data = data.loc[keep]
    fig, ax = _figure(ax, size)
    colours = style.colours_for(data[unit].astype(str).tolist(), tuple(highlight))
    y = np.arange(len(data))[::-1]
    ax.barh(y, data[value], color=colours, height=0.7)
    ax.set_yticks(y, [f"{r}. {lab}" for r, lab in zip(data["_rank"], data[label], strict=True)])
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    fmt = fmt or (lambda v: formats.fmt_number(v))
    for yy, v in zip(y, data[value], strict=True):
        ax.annotate(fmt(v), (v, yy), xytext=(3, 0), textcoords="offset points", va="center", fontsize=10)
    ax.margins(x=0.12)
    if xlabel:
        ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    return fig, ax


def share_bars(
    df: pd.DataFrame,
    *,
    share: str,
    label: str,
    reference: float | None = None,
    reference_label: str = "",
    digits: int = 1,
    title: str | None = None,
    size: str | tuple[float, float] = "half",
    ax: Axes | None = None,
) -> tuple[Figure, Axes]:
    """Vertical bars of a region's shares of 全国 (``share`` as a fraction) labelled ``"2.2%"``.

    ``reference`` draws a dashed line (e.g. the population share) to compare the items against.
    """
    _need(df, [share, label], "share_bars")
    fig, ax = _figure(ax, size)
    x = np.arange(len(df))
    ax.bar(x, df[share], color=style.REGION_COLOUR, width=0.6)
    ax.set_xticks(x, df[label].astype(str).tolist())
    ax.yaxis.set_major_formatter(formats.pct_formatter())
    for xx, v in zip(x, df[share], strict=True):
        ax.annotate(formats.fmt_pct(v, digits), (xx, 0 if np.isnan(v) else v), xytext=(0, 3),
                    textcoords="offset points", ha="center", va="bottom", fontsize=12)
    if reference is not None:
        ax.axhline(reference, color=style.ACCENT_COLOUR, linestyle="--", linewidth=1.5,
                   label=f"{reference_label} {formats.fmt_pct(reference, digits)}".strip())
        ax.legend(loc="upper left")
    ax.margins(y=0.15)
    if title:
        ax.set_title(title)
    return fig, ax


def composition_stacked(
    df: pd.DataFrame,
    *,
    value: str,
    category: str,
    part: str,
    order: Sequence[str] | None = None,
    part_order: Sequence[str] | None = None,
    min_label: float = 0.05,
    title: str | None = None,
    size: str | tuple[float, float] = "body",
    ax: Axes | None = None,
) -> tuple[Figure, Axes]:
    """100 % stacked horizontal bars: composition of ``part`` within each ``category``.

    Shares are computed here from ``value`` (sum of parts = 100 %); labels are printed inside
    segments of at least ``min_label``. A category with a NaN part is drawn empty (unknown).
    """
    _need(df, [value, category, part], "composition_stacked")
    wide = df.pivot_table(index=category, columns=part, values=value, aggfunc="sum", dropna=False, sort=False)
    wide = wide.reindex(index=list(order) if order else None, columns=list(part_order) if part_order else None)
    shares = wide.div(wide.sum(axis=1, skipna=False), axis=0)
    fig, ax = _figure(ax, size)
    y = np.arange(len(shares))[::-1]
    left = np.zeros(len(shares))
    for col in shares.columns:
        vals = shares[col].to_numpy(dtype="float64")
        ax.barh(y, np.nan_to_num(vals), left=left, height=0.65, label=str(col))
        for yy, lft, v in zip(y, left, vals, strict=True):
            if not np.isnan(v) and v >= min_label:
                ax.text(lft + v / 2, yy, formats.fmt_pct(v, 0), ha="center", va="center", fontsize=10, color="white")
        left = left + np.nan_to_num(vals)
    ax.set_yticks(y, [str(i) for i in shares.index])
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(formats.pct_formatter())
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=min(len(shares.columns), 6))
    if title:
        ax.set_title(title)
    return fig, ax


def line_index(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    group: str,
    labels: dict[str, str] | None = None,
    highlight: Sequence[str] | None = None,
    projected_from: float | None = None,
    base_line: float | None = 100.0,
    fmt: Formatter | None = None,
    title: str | None = None,
    size: str | tuple[float, float] = "body",
    ax: Axes | None = None,
) -> tuple[Figure, Axes]:
    """Index lines per ``group``; the part with ``x >= projected_from`` is dashed (推計).

    The dashed part starts at the last observed point so the line is continuous. ``highlight``
    picks the groups in colour (default all); 全国 is dark grey. End values are labelled.
    """
    _need(df, [x, y, group], "line_index")
    fig, ax = _figure(ax, size)
    labels = labels or {}
    groups = list(dict.fromkeys(df[group].astype(str)))
    colours = dict(zip(groups, style.colours_for(groups, tuple(highlight) if highlight is not None else groups),
                       strict=True))
    fmt = fmt or (lambda v: formats.fmt_number(v, 1))
    ends: list[tuple[float, object, str, str]] = []
    for g in groups:
        d = df.loc[df[group].astype(str) == g].sort_values(x)
        name = labels.get(g, g)
        kw = dict(color=colours[g], linewidth=3.0 if g in (highlight or groups) else 1.5)
        if projected_from is None:
            ax.plot(d[x], d[y], label=name, **kw)
        else:
            obs = d.loc[d[x] <= projected_from]
            proj = d.loc[d[x] >= projected_from]
            if len(obs):
                ax.plot(obs[x], obs[y], label=name, **kw)
            if len(proj):
                lead = pd.concat([obs.tail(1), proj]).drop_duplicates(subset=[x])
                ax.plot(lead[x], lead[y], linestyle="--", label=None if len(obs) else name, **kw)
        last = d.dropna(subset=[y]).tail(1)
        if len(last):
            ends.append((float(last[y].iloc[0]), last[x].iloc[0], f"{name} {fmt(float(last[y].iloc[0]))}", colours[g]))
    if ends:
        lo, hi = ax.get_ylim()
        placed = _spread([e[0] for e in ends], gap=0.045 * (hi - lo))
        shifted = offset_copy(ax.transData, fig=fig, x=4, y=0, units="points")
        for (_yv, xv, text, colour), yy in zip(ends, placed, strict=True):
            ax.text(xv, yy, text, transform=shifted, va="center", fontsize=10, color=colour, clip_on=False)
    if projected_from is not None:
        ax.axvline(projected_from, color="#999999", linewidth=0.8, linestyle=":")
        ax.annotate("推計", (projected_from, 1.0), xycoords=("data", "axes fraction"), xytext=(4, -4),
                    textcoords="offset points", va="top", fontsize=10, color="#777777")
    if base_line is not None:
        ax.axhline(base_line, color="#999999", linewidth=0.8)
    ax.margins(x=0.12)
    ax.legend(loc="lower left")
    if title:
        ax.set_title(title)
    return fig, ax


def _spread(values: list[float], gap: float) -> list[float]:
    """Positions for end labels: as close to ``values`` as possible, at least ``gap`` apart."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    pos = [values[i] for i in order]
    for k in range(1, len(pos)):
        pos[k] = max(pos[k], pos[k - 1] + gap)
    shift = (sum(pos) - sum(values[i] for i in order)) / len(pos)  # re-centre the block
    pos = [p - shift for p in pos]
    for k in range(1, len(pos)):
        pos[k] = max(pos[k], pos[k - 1] + gap)
    out = [0.0] * len(values)
    for k, i in enumerate(order):
        out[i] = pos[k]
    return out


_LABEL_OFFSETS = ((5, 3, "left"), (5, -13, "left"), (-5, 3, "right"), (-5, -13, "right"), (5, 14, "left"),
                  (5, -24, "left"))
"""Candidate label positions (points from the marker, horizontal alignment), tried in this order."""


class _LabelPlacer(Artist):
    """Greedy placement of point labels, run at draw time so it sees the final layout and real text extents.

    Each label takes the first of :data:`_LABEL_OFFSETS` whose box overlaps no label placed before
    it (labels earlier in the list have priority) and stays inside the axes; failing that the first
    that overlaps nothing, and when none is free it keeps the first offset.
    The placer draws nothing itself: it only moves the annotations, which the axes draw after it
    (``zorder`` below theirs), and it takes no part in the layout.
    """

    def __init__(self, annotations: list[Annotation]) -> None:
        super().__init__()
        self._annotations = annotations
        self.set_zorder(-1)
        self.set_in_layout(False)

    def draw(self, renderer) -> None:  # noqa: ANN001 - matplotlib renderer
        frame = self.axes.bbox if self.axes is not None else None
        placed = []
        for ann in self._annotations:
            if not ann.get_visible():
                continue
            boxes = []
            for dx, dy, ha in _LABEL_OFFSETS:
                ann.xyann = (dx, dy)
                ann.set_horizontalalignment(ha)
                boxes.append(ann.get_window_extent(renderer))
            free = [not any(box.overlaps(b) for b in placed) for box in boxes]
            inside = [frame is None or (frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1)
                      for b in boxes]
            # first free position inside the axes, else the first free one, else the first one
            k = next((i for i, (f, n) in enumerate(zip(free, inside, strict=True)) if f and n),
                     next((i for i, f in enumerate(free) if f), 0))
            dx, dy, ha = _LABEL_OFFSETS[k]
            ann.xyann = (dx, dy)
            ann.set_horizontalalignment(ha)
            placed.append(boxes[k])
        self.stale = False


def _place_labels(
    ax: Axes,
    xs: Sequence[float],
    ys: Sequence[float],
    texts: Sequence[object],
    colours: Sequence[str],
    sizes: Sequence[float],
) -> list[Annotation]:
    """Label points so the labels do not overlap each other (greedy; earlier points have priority).

    Empty texts are skipped. The final positions are chosen when the figure is drawn (see
    :class:`_LabelPlacer`), so later changes of scales, limits or layout are taken into account.
    """
    anns = []
    for x, y, text, colour, size in zip(xs, ys, texts, colours, sizes, strict=True):
        if str(text) == "":
            continue
        dx, dy, ha = _LABEL_OFFSETS[0]
        anns.append(ax.annotate(str(text), (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha,
                                fontsize=size, color=colour, zorder=5))
    if anns:
        ax.add_artist(_LabelPlacer(anns))
    return anns


def scatter_labelled(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    label: str,
    unit: str | None = None,
    highlight: Sequence[str] = (),
    size_col: str | None = None,
    quadrant: tuple[float, float] | None = (0.0, 0.0),
    xlabel: str | None = None,
    ylabel: str | None = None,
    pct_axes: bool = False,
    xscale: str = "linear",
    yscale: str = "linear",
    title: str | None = None,
    size: str | tuple[float, float] = "body",
    ax: Axes | None = None,
) -> tuple[Figure, Axes]:
    """Labelled scatter (e.g. growth of shipments per employee × growth of shipments).

    Points whose ``unit`` is in ``highlight`` are coloured and labelled larger; ``quadrant`` draws the
    reference lines; ``size_col`` scales marker areas; ``pct_axes`` formats fractions as %;
    ``xscale``/``yscale`` (e.g. ``"log"``) set the axis scales. Labels are placed so they do not
    overlap (highlighted points first, then in frame order); an empty label leaves a point unlabelled.
    """
    _need(df, [x, y, label] + ([unit] if unit else []) + ([size_col] if size_col else []), "scatter_labelled")
    fig, ax = _figure(ax, size)
    codes = df[unit].astype(str).tolist() if unit else [""] * len(df)
    marked = {str(h) for h in highlight}
    rest = style.OTHER_COLOUR if marked else style.REGION_COLOUR
    colours = [style.pref_colour(c) if c in marked else rest for c in codes]
    sizes = np.full(len(df), 40.0) if size_col is None else (600 * df[size_col] / df[size_col].max()).to_numpy()
    is_marked = np.array([c in marked for c in codes], dtype=bool)
    for sel, z in ((~is_marked, 2), (is_marked, 3)):  # highlighted points drawn on top
        ax.scatter(df[x].to_numpy()[sel], df[y].to_numpy()[sel], s=sizes[sel], c=[c for c, m in zip(colours, sel,
                   strict=True) if m], alpha=0.9, edgecolors="white", linewidths=0.5, zorder=z)
    ax.set_xscale(xscale)
    ax.set_yscale(yscale)
    first = np.argsort(~is_marked, kind="stable")  # highlighted labels get the first choice of place
    _place_labels(
        ax,
        df[x].to_numpy()[first],
        df[y].to_numpy()[first],
        df[label].to_numpy()[first],
        [style.pref_colour(codes[i]) if is_marked[i] else ("#777777" if marked else TEXT) for i in first],
        [12 if is_marked[i] else 9 for i in first],
    )
    if quadrant is not None:
        ax.axvline(quadrant[0], color="#999999", linewidth=0.8)
        ax.axhline(quadrant[1], color="#999999", linewidth=0.8)
    if pct_axes:
        ax.xaxis.set_major_formatter(formats.pct_formatter())
        ax.yaxis.set_major_formatter(formats.pct_formatter())
    ax.grid(axis="both", visible=True)
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    return fig, ax


def pyramid(
    df: pd.DataFrame,
    *,
    age: str,
    sex: str,
    value: str,
    scenario: str | None = None,
    base: str = "base",
    overlay: str | None = None,
    male: str = "male",
    female: str = "female",
    age_order: Sequence[str] | None = None,
    fmt: Formatter | None = None,
    title: str | None = None,
    size: str | tuple[float, float] = "half",
    ax: Axes | None = None,
) -> tuple[Figure, Axes]:
    """Population pyramid: ``base`` as bars (男性 left, 女性 right), ``overlay`` scenario as a step outline."""
    _need(df, [age, sex, value] + ([scenario] if scenario else []), "pyramid")
    if scenario is None:
        frames = {base: df}
    else:
        frames = {k: df.loc[df[scenario] == k] for k in ([base, overlay] if overlay else [base])}
        empty = [k for k, f in frames.items() if f.empty]
        if empty:
            msg = f"pyramid: no rows for scenario {empty}; found {sorted(df[scenario].unique())}"
            raise ValueError(msg)
    order = list(age_order) if age_order else list(dict.fromkeys(frames[base][age]))
    fig, ax = _figure(ax, size)
    y = np.arange(len(order))

    def side(frame: pd.DataFrame, who: str) -> np.ndarray:
        s = frame.loc[frame[sex] == who].set_index(age)[value].reindex(order)
        return s.to_numpy(dtype="float64")

    b = frames[base]
    ax.barh(y, -side(b, male), height=0.9, color="#0072B2", alpha=0.75, label=f"男性（{base}）")
    ax.barh(y, side(b, female), height=0.9, color="#D55E00", alpha=0.75, label=f"女性（{base}）")
    if overlay:
        o = frames[overlay]
        for vals, sign in ((side(o, male), -1), (side(o, female), 1)):
            ax.step(sign * vals, y, where="mid", color="black", linewidth=1.6)
        ax.plot([], [], color="black", linewidth=1.6, label=overlay)
    ax.set_yticks(y, order)
    fmt = fmt or (lambda v: formats.fmt_number(abs(v)))
    ax.xaxis.set_major_formatter(lambda v, _pos: fmt(v))
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.07), ncol=3, fontsize=10)
    if title:
        ax.set_title(title)
    return fig, ax


def table_figure(
    df: pd.DataFrame,
    *,
    col_widths: Sequence[float] | None = None,
    highlight_rows: Sequence[int] = (),
    font_size: float = 12,
    title: str | None = None,
    size: str | tuple[float, float] | None = None,
    ax: Axes | None = None,
) -> tuple[Figure, Axes]:
    """Render a small, already formatted table (strings) as a figure for slides.

    The header row is navy with white text; ``highlight_rows`` (0-based data rows) are shaded.
    Cells that look numeric are right-aligned; a row whose cells (or headers) contain line breaks is made
    tall enough for them. The default size is the body width with a height fitted to the number of rows.
    """
    if size is None:
        size = (style.SLIDE_BODY[0], min(style.SLIDE_BODY[1], 0.45 * (len(df) + 1) + 0.4))
    fig, ax = _figure(ax, size)
    ax.axis("off")
    text = df.astype(str).to_numpy().tolist()
    table = ax.table(cellText=text, colLabels=[str(c) for c in df.columns], loc="center", cellLoc="left",
                     colWidths=list(col_widths) if col_widths else None)
    table.auto_set_font_size(False)
    table.set_fontsize(font_size)
    table.scale(1, 1.6)
    lines = [max(str(c).count("\n") + 1 for c in ([*df.columns] if r == 0 else text[r - 1])) for r in range(len(df) + 1)]
    for (row, _col), cell in table.get_celld().items():
        cell.set_height(cell.get_height() * lines[row])  # cells with line breaks get the height they need
        cell.set_edgecolor("#BBBBBB")
        if row == 0:
            cell.set_facecolor(style.REGION_COLOUR)
            cell.get_text().set_color("white")
        elif row - 1 in highlight_rows:
            cell.set_facecolor("#EAF1F8")
        raw = cell.get_text().get_text().replace(",", "").replace("%", "").replace("▲", "-").replace("―", "")
        if row > 0 and raw.replace(".", "", 1).lstrip("+-").isdigit():
            cell.get_text().set_horizontalalignment("right")
            cell._loc = "right"  # noqa: SLF001 - matplotlib has no public per-cell alignment setter
    if title:
        ax.set_title(title)
    return fig, ax


def heat_table(
    values: pd.DataFrame,
    *,
    text: pd.DataFrame | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
    dark: str = "high",
    fmt: Formatter | None = None,
    font_size: float = 10,
    title: str | None = None,
    size: str | tuple[float, float] | None = None,
    ax: Axes | None = None,
) -> tuple[Figure, Axes]:
    """Heat table: one coloured cell per value (rows = ``values.index``, columns = ``values.columns``).

    Cells shade from white to the region navy; ``dark="low"`` makes small values dark (ranks: 1位
    navy), ``"high"`` large ones. NaN cells are light grey. Each cell prints ``text`` (a frame of
    strings of the same shape, e.g. ``"12="`` for ties or ``"秘匿"``) or else ``fmt(value)``; the text
    is white on the darkest third of the scale. Column labels are on top. The default size is the
    body width at full slide height (room for several ``(出所)`` lines).
    """
    if dark not in ("low", "high"):
        msg = f"heat_table: expected dark='low' or 'high', found {dark!r}"
        raise ValueError(msg)
    if text is not None and text.shape != values.shape:
        msg = f"heat_table: text has shape {text.shape}, values {values.shape}"
        raise ValueError(msg)
    arr = values.apply(pd.to_numeric, errors="coerce").to_numpy(dtype="float64")
    lo = float(np.nanmin(arr)) if vmin is None and np.isfinite(arr).any() else (vmin if vmin is not None else 0.0)
    hi = float(np.nanmax(arr)) if vmax is None and np.isfinite(arr).any() else (vmax if vmax is not None else 1.0)
    fig, ax = _figure(ax, size or (style.SLIDE_BODY[0], style.SLIDE_FULL[1]))
    ends = [style.REGION_COLOUR, "#FFFFFF"] if dark == "low" else ["#FFFFFF", style.REGION_COLOUR]
    cmap = LinearSegmentedColormap.from_list("heat", ends).with_extremes(bad=style.OTHER_COLOUR)
    ax.imshow(np.ma.masked_invalid(arr), cmap=cmap, vmin=lo, vmax=hi, aspect="auto")
    fmt = fmt or (lambda v: formats.fmt_number(v))
    third = (hi - lo) / 3
    for i in range(arr.shape[0]):
        for j in range(arr.shape[1]):
            v = arr[i, j]
            is_dark = not np.isnan(v) and (v <= lo + third if dark == "low" else v >= hi - third)
            label = str(text.iat[i, j]) if text is not None else ("" if np.isnan(v) else fmt(v))
            ax.text(j, i, label, ha="center", va="center", fontsize=font_size,
                    color="white" if is_dark else style.TEXT_COLOUR)
    ax.set_xticks(range(arr.shape[1]), [str(c) for c in values.columns])
    ax.set_yticks(range(arr.shape[0]), [str(r) for r in values.index], fontsize=font_size)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    ax.grid(visible=False)
    for side in ax.spines.values():
        side.set_visible(False)
    if title:
        ax.set_title(title)
    return fig, ax


SCENARIO_COLOURS = ("#1F3A5F", "#D55E00", "#0072B2", "#009E73", "#CC79A7", "#882255", "#999933")
"""Scenario lines: the base navy, then dark high-contrast colours (no yellow or light blue on white)."""
SCENARIO_STYLES = ("--", "-.", ":", (0, (6, 2, 1, 2, 1, 2)), (0, (3, 1)))
SCENARIO_MARKERS = ("s", "^", "D", "v", "P")


def line_scenarios(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    group: str,
    fmt: Formatter | None = None,
    ylabel: str | None = None,
    title: str | None = None,
    size: str | tuple[float, float] = "body",
    ax: Axes | None = None,
) -> tuple[Figure, Axes]:
    """One line per ``group`` in frame order: the first (the base) thick solid navy, the others each with its
    own dark colour, dash pattern and marker (:data:`SCENARIO_COLOURS`, :data:`SCENARIO_STYLES`), so that
    they stay apart in grey print and for colour-blind readers.

    Each line's last value is printed at the right end; the labels are spread so they do not overlap.
    """
    _need(df, [x, y, group], "line_scenarios")
    fig, ax = _figure(ax, size)
    names = list(dict.fromkeys(df[group]))
    colours = [SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)] for i in range(len(names))]
    fmt = fmt or (lambda v: formats.fmt_number(v, 1))
    ends = []
    for i, name in enumerate(names):
        d = df[df[group] == name].sort_values(x)
        k = (i - 1) % len(SCENARIO_STYLES)
        ax.plot(d[x], d[y], color=colours[i], linewidth=3.0 if i == 0 else 2.0,
                linestyle="-" if i == 0 else SCENARIO_STYLES[k], marker="o" if i == 0 else SCENARIO_MARKERS[k],
                markersize=4 if i == 0 else 5, label=name)
        ends.append(float(d[y].iloc[-1]))
    last = df[x].max()
    lo, hi = ax.get_ylim()
    placed = _spread_up(ends, gap=0.04 * (hi - lo))
    for yv, yy, colour in zip(ends, placed, colours, strict=True):
        ax.annotate(fmt(yv), (last, yy), xytext=(8, 0), textcoords="offset points",
                    va="center", fontsize=10, color=colour, annotation_clip=False)
    ax.margins(x=0.08)
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.legend(loc="lower left", fontsize=10)
    if title:
        ax.set_title(title)
    return fig, ax


def _spread_up(values: list[float], gap: float) -> list[float]:
    """Positions for end labels: bottom up, each at its value or ``gap`` above the one below."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = list(values)
    for k, i in enumerate(order):
        out[i] = max(values[i], out[order[k - 1]] + gap) if k else values[i]
    return out


def grouped_barh(
    df: pd.DataFrame,
    *,
    label: str,
    values: Sequence[str],
    names: Sequence[str] | None = None,
    colours: Sequence[str] | None = None,
    fmt: Formatter | None = None,
    xlabel: str | None = None,
    title: str | None = None,
    size: str | tuple[float, float] = "body",
    ax: Axes | None = None,
) -> tuple[Figure, Axes]:
    """Grouped horizontal bars: one group per row of ``df`` (top to bottom), one bar per column in ``values``.

    Suited to components of a change (e.g. shift-share: 全国成長・産業構造・地域特殊要因). ``names`` label
    the legend (default the column names); ``colours`` default to 全国 grey, accent, region navy, then the cycle.
    """
    _need(df, [label, *values], "grouped_barh")
    names = list(names) if names is not None else list(values)
    if colours is None:
        colours = [style.NATIONAL_COLOUR, style.ACCENT_COLOUR, style.REGION_COLOUR]
        colours = (colours + style.series_colours(len(values)))[: len(values)]
    fig, ax = _figure(ax, size)
    y = np.arange(len(df))[::-1]
    height = min(0.27, 0.8 / len(values))
    mid = (len(values) - 1) / 2
    for k, (col, name, colour) in enumerate(zip(values, names, colours, strict=True)):
        ax.barh(y + (mid - k) * height, df[col], height=height, color=colour, label=name)
    ax.axvline(0, color="#999999", linewidth=0.8)
    ax.set_yticks(y, df[label].astype(str).tolist(), fontsize=9)
    ax.xaxis.set_major_formatter(formats.thousands_formatter() if fmt is None else (lambda v, _pos: fmt(v)))
    if xlabel:
        ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right")
    if title:
        ax.set_title(title)
    return fig, ax


DECOR_TITLE = "hokuriku-title"
DECOR_SOURCE = "hokuriku-source"
"""``gid`` of the texts :func:`add_title` / :func:`add_source_line` draw: the report rendering shows
them, the deck rendering (:func:`decor_texts`, :func:`hokuriku.io.save_figure`) hides them because
the slide carries the title and the (出所) as editable text."""


def decor_texts(fig: Figure, kind: str | None = None) -> list:
    """The title/subtitle (``kind="title"``) and/or (出所) (``"source"``) texts drawn on ``fig``."""
    gids = {"title": {DECOR_TITLE}, "source": {DECOR_SOURCE}, None: {DECOR_TITLE, DECOR_SOURCE}}[kind]
    return [t for t in fig.texts if t.get_gid() in gids]


def _reserve(fig: Figure, *, bottom: float | None = None, top: float | None = None) -> None:
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set") and "rect" in engine.get():
        left, b, w, h = engine.get()["rect"]
        new_b = max(b, bottom) if bottom is not None else b
        new_top = min(b + h, top) if top is not None else b + h
        engine.set(rect=(left, new_b, w, new_top - new_b))
    else:
        kw = {}
        if bottom is not None:
            kw["bottom"] = max(fig.subplotpars.bottom, bottom + 0.05)
        if top is not None:
            kw["top"] = min(fig.subplotpars.top, top - 0.02)
        fig.subplots_adjust(**kw)


def add_source_line(fig: Figure, text: str, *, fontsize: float = 9) -> None:
    """Put the ``(出所)`` line at the bottom-left, wrapped to the figure width, and keep the axes clear of it.

    The text is broken between sources (:func:`hokuriku.plotting.formats.wrap_note`) and the space
    below the axes is reserved for the resulting number of lines.
    """
    if not text:
        msg = "add_source_line: empty source text; build it with hokuriku.manifest.source_note"
        raise ValueError(msg)
    height_in = fig.get_figheight()
    text = formats.wrap_note(text, fig.get_figwidth() * 72 / fontsize * 0.92)
    lines = text.count("\n") + 1
    frac = (fontsize * 1.5 * lines) / 72 / height_in + 0.01
    fig.text(0.01, 0.01, text, ha="left", va="bottom", fontsize=fontsize, color=style.SOURCE_COLOUR, gid=DECOR_SOURCE)
    _reserve(fig, bottom=frac)


def add_title(fig: Figure, title_ja: str, subtitle: str | None = None) -> None:
    """Slide title (top-left) with an optional subtitle line under it."""
    height_in = fig.get_figheight()
    fig.text(0.01, 0.99, title_ja, ha="left", va="top", fontsize=18, color=style.TEXT_COLOUR, gid=DECOR_TITLE)
    used = 18 * 1.5 / 72 / height_in
    if subtitle:
        fig.text(0.01, 0.99 - used, subtitle, ha="left", va="top", fontsize=12, color=style.SOURCE_COLOUR,
                 gid=DECOR_TITLE)
        used += 12 * 1.5 / 72 / height_in
    _reserve(fig, top=0.99 - used - 0.01)
