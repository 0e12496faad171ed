"""House style: the Japanese font resolves and renders without missing glyphs (no tofu)."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import matplotlib as mpl
import pytest
from fontTools.ttLib import TTFont
from matplotlib.figure import Figure

from hokuriku.plotting import style

JAPANESE = "北陸3県の県内総生産（名目）・全国比 富山 石川 福井 億円 千人 ▲△―（出所）"


def _render(text: str, family: str | list[str] | None = None) -> list[str]:
    fig = Figure(figsize=(4, 1))
    fig.text(0.01, 0.5, text, family=family) if family else fig.text(0.01, 0.5, text)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png", dpi=50)
    return [str(w.message) for w in caught]


def test__font_path__resolves_to_a_cjk_font_with_every_glyph():
    path = style.font_path()
    assert Path(path).name == "ipaexg.ttf"
    cmap = TTFont(path).getBestCmap()
    missing = [ch for ch in JAPANESE if not ch.isspace() and ord(ch) not in cmap]
    assert not missing, f"house font lacks glyphs {missing}"


def test__use_house_style__sets_family_sizes_and_dpi():
    style.use_house_style()
    assert mpl.rcParams["font.sans-serif"][0] == style.FONT_FAMILY
    assert mpl.rcParams["savefig.dpi"] >= 200
    assert tuple(mpl.rcParams["figure.figsize"]) == pytest.approx(style.SLIDE_FULL)
    style.use_house_style()  # idempotent
    assert mpl.rcParams["font.sans-serif"][0] == style.FONT_FAMILY


def test__japanese_text__renders_without_missing_glyph_warnings():
    messages = _render(JAPANESE)
    assert not [m for m in messages if "missing from font" in m or "Glyph" in m], messages


def test__missing_glyph_detection__fires_for_a_latin_only_font():
    """Control: the same text in DejaVu Sans (no CJK) does warn, so the test above can fail."""
    messages = _render("北陸", family="DejaVu Sans")
    assert any("missing from font" in m for m in messages), messages


def test__slide_sizes__are_16_9_and_half():
    w, h = style.figsize("full")
    assert w / h == pytest.approx(16 / 9, rel=1e-3)
    assert style.figsize("half")[0] < style.figsize("body")[0] / 2 + 0.1
    with pytest.raises(ValueError, match="figsize"):
        style.figsize("a4")


def test__palette__members_stable_others_grey():
    from hokuriku.codes.prefectures import region

    members = region("北陸3県").pref_codes
    colours = style.colours_for(["13", *members, "00"], highlight=members)
    assert colours[0] == style.OTHER_COLOUR
    assert colours[-1] == style.NATIONAL_COLOUR
    assert len(set(colours[1:-1])) == 3 and style.OTHER_COLOUR not in colours[1:-1]
    assert colours[1:-1] == [style.pref_colour(m) for m in members]  # stable, not order-dependent
    assert style.colours_for(["18"], highlight=["18"]) == [colours[3]]
