"""House style: Japanese font, slide sizes and the palette (the only module that knows about fonts).

``use_house_style()`` is called once per notebook. It imports :mod:`matplotlib_fontja` (the
``matplotlib-fontja`` package ships IPAexGothic and registers it with matplotlib: no system font
needed, so a pip-only CI renders Japanese without tofu) and applies ``hokuriku.mplstyle``.
``japanize-matplotlib`` is not used: it imports ``distutils`` and fails on Python ≥ 3.12
(uehara1414/japanize-matplotlib#26).

Palette: the region's members are drawn in their own stable colour (富山 blue, 石川 vermillion,
福井 green, 新潟 reddish purple — Okabe & Ito's colour-blind-safe set), the region aggregate in
navy, 全国 in dark grey and every other prefecture in light grey, so the same prefecture has the
same colour on every slide of a deck.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import matplotlib.style
from matplotlib import font_manager

from hokuriku.codes.prefectures import NATIONAL_CODE, code_of

STYLE_FILE = Path(__file__).resolve().parent / "hokuriku.mplstyle"
FONT_FAMILY = "IPAexGothic"
"""Family registered by matplotlib-fontja (IPAex Gothic, IPA Font License)."""

SLIDE_FULL: tuple[float, float] = (13.33, 7.5)
"""A whole 16:9 slide (PowerPoint default 13.333 × 7.5 in)."""
SLIDE_BODY: tuple[float, float] = (12.5, 5.6)
"""The body of a 16:9 slide under a title bar (full width)."""
SLIDE_HALF: tuple[float, float] = (6.2, 5.6)
"""Half of the slide body (two charts side by side)."""
SIZES = {"full": SLIDE_FULL, "body": SLIDE_BODY, "half": SLIDE_HALF}

NATIONAL_COLOUR = "#595959"
OTHER_COLOUR = "#C8C8C8"
REGION_COLOUR = "#1F3A5F"
ACCENT_COLOUR = "#E69F00"
TEXT_COLOUR = "#222222"
SOURCE_COLOUR = "#555555"
# Stable colours of the prefectures that the 北陸 decks show; style only — region membership is
# never implied by this table (see hokuriku.codes.prefectures.region).
PREF_COLOURS: dict[str, str] = {
    code_of("富山"): "#0072B2",
    code_of("石川"): "#D55E00",
    code_of("福井"): "#009E73",
    code_of("新潟"): "#CC79A7",
}
CYCLE: tuple[str, ...] = ("#56B4E9", "#E69F00", "#F0E442", "#882255", "#117733", "#332288", "#AA4499", "#44AA99",
                          "#999933")
"""The house colour cycle for series that are not prefectures (scenarios, industry groups, areas)."""
PART_COLOURS: tuple[str, ...] = ("#1F3A5F", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#882255",
                                 "#117733", "#0072B2", "#AA4499", "#999999")
"""Distinct colours for the parts of a 100 % stacked bar (up to 11 parts; repeats after that)."""


def use_house_style() -> None:
    """Register the Japanese font and apply ``hokuriku.mplstyle`` (idempotent).

    Inside a Jupyter kernel it also makes figures display as PNG: chart functions build figures
    without pyplot, and under a non-inline backend (``MPLBACKEND=Agg`` in make and CI) IPython
    would otherwise show only ``<Figure size … with 1 Axes>`` in the executed notebook and its HTML.
    Tables are shown with Japanese headers and thousands separators, without index or dtypes
    (:func:`hokuriku.reporting.display.install`).
    """
    import matplotlib_fontja  # noqa: F401, PLC0415 - the import registers IPAexGothic

    path = matplotlib_fontja.get_font_ttf_path()
    if FONT_FAMILY not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(path)
    matplotlib.style.use(STYLE_FILE)
    _display_figures_as_png()
    from hokuriku.reporting import display  # noqa: PLC0415 - tables in reports: Japanese headers, no index

    display.install()


def _display_figures_as_png() -> None:
    try:
        from IPython import get_ipython  # noqa: PLC0415 - only inside a kernel
    except ImportError:  # pragma: no cover - IPython comes with jupyterlab
        return
    shell = get_ipython()
    if shell is None:
        return
    from IPython.core.pylabtools import select_figure_formats  # noqa: PLC0415

    select_figure_formats(shell, {"png"}, dpi=100)


def font_path() -> str:
    """The font file matplotlib resolves for the house family (fails, never falls back silently)."""
    use_house_style()
    return font_manager.findfont(font_manager.FontProperties(family=FONT_FAMILY), fallback_to_default=False)


def figsize(kind: str = "body") -> tuple[float, float]:
    """Figure size in inches: ``"full"``, ``"body"`` or ``"half"`` slide."""
    if kind not in SIZES:
        msg = f"figsize: expected one of {sorted(SIZES)}, found {kind!r}"
        raise ValueError(msg)
    return SIZES[kind]


def pref_colour(code: str, *, highlight: bool = True) -> str:
    """Stable colour of a prefecture (by JIS code); grey when not highlighted; 全国 dark grey."""
    code = str(code).zfill(2) if str(code).isdigit() else str(code)
    if code == NATIONAL_CODE:
        return NATIONAL_COLOUR
    if not highlight:
        return OTHER_COLOUR
    if code in PREF_COLOURS:
        return PREF_COLOURS[code]
    if code.isdigit():
        return CYCLE[int(code) % len(CYCLE)]
    return REGION_COLOUR


def colours_for(codes: list[str], highlight: tuple[str, ...] | list[str] | None) -> list[str]:
    """Colours for units: members of ``highlight`` in their own colour, 全国 dark grey, others grey.

    Codes that are not prefecture codes (a region key such as ``"HOKURIKU3"``) get the region navy
    when highlighted.
    """
    marked = {str(h) for h in (highlight or ())}
    return [pref_colour(c, highlight=str(c) in marked) if str(c) != NATIONAL_CODE else NATIONAL_COLOUR for c in codes]


def series_colours(n: int, *, lead: str | None = None, other: str | None = None) -> list[str]:
    """``n`` colours from the house :data:`CYCLE` (repeating when ``n`` exceeds it).

    ``lead`` (e.g. :data:`REGION_COLOUR` for a base scenario) takes the first place and ``other``
    (e.g. :data:`OTHER_COLOUR` for an "その他" series) the last; the cycle fills the places between.
    """
    if n < 0:
        msg = f"series_colours: expected n >= 0, found {n}"
        raise ValueError(msg)
    head = [lead] if lead is not None and n else []
    tail = [other] if other is not None and n > len(head) else []
    middle = n - len(head) - len(tail)
    return [*head, *(CYCLE[i % len(CYCLE)] for i in range(middle)), *tail]
