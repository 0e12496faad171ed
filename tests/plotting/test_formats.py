"""Japanese number formatting: 億円, 兆円, 千人, 万人, 全国比 and half-up rounding."""

from __future__ import annotations

import pytest

from hokuriku.plotting import formats as f


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: f.fmt_oku(4_927_600), "49,276億円"),  # 富山 FY2022 県内総生産 4,927,600 百万円 = 49,276 億円
        (lambda: f.fmt_oku(13_139_250), "131,393億円"),  # half up: 131,392.5 → 131,393
        (lambda: f.fmt_cho(595_788_800), "595.8兆円"),
        (lambda: f.fmt_yen_auto(13_139_200), "13.1兆円"),
        (lambda: f.fmt_yen_auto(900_000), "9,000億円"),
        (lambda: f.fmt_persons(1_009_000), "1,009千人"),
        (lambda: f.fmt_persons(2_853_000, "万人", 1), "285.3万人"),
        (lambda: f.fmt_pct(131_392 / 5_957_888), "2.2%"),
        (lambda: f.fmt_pct(2.25, from_fraction=False), "2.3%"),
        (lambda: f.fmt_pt(0.012), "+1.2pt"),
        (lambda: f.fmt_pt(-0.012), "-1.2pt"),
        (lambda: f.fmt_number(1234567.891, 1), "1,234,567.9"),
        (lambda: f.fmt_number(-1234.5, negative="▲"), "▲1,235"),
        (lambda: f.fmt_number(2.205, 2), "2.21"),  # Decimal(str(x)): not the binary 2.20499…
        (lambda: f.fmt_number(float("nan")), "―"),
        (lambda: f.fmt_oku(None, na="X"), "X"),
    ],
)
def test__formats__cases(call, expected):
    assert call() == expected


def test__round_half_up__differs_from_python_round():
    assert round(0.125, 2) == 0.12
    assert str(f.round_half_up(0.125, 2)) == "0.13"


def test__fmt_persons__bad_unit_raises():
    with pytest.raises(ValueError, match="unit"):
        f.fmt_persons(1, "百人")


def test__axis_formatters__label_ticks():
    assert f.oku_formatter()(4_927_600, 0) == "49,276"
    assert f.cho_formatter()(1_500_000, 0) == "1.5"
    assert f.persons_formatter("万人", 1)(2_853_000, 0) == "285.3"
    assert f.thousands_formatter()(12345, 0) == "12,345"
    assert f.pct_formatter()(0.035, 0) == "3.5%"
    assert f.pct_formatter()(0.04, 0) == "4%"
    assert f.pct_formatter(1)(0.022053, 0) == "2.2%"


def test__wrap_note__breaks_only_between_sources_and_keeps_titles_whole():
    from hokuriku.plotting.formats import wrap_note

    note = "(出所) 総務省「人口、人口動態及び世帯数」、内閣府「県民経済計算」、経済産業省「工業統計調査」"
    assert wrap_note(note, 30).split("\n") == [
        "(出所) 総務省「人口、人口動態及び世帯数」、",
        "内閣府「県民経済計算」、経済産業省「工業統計調査」",
    ]
    assert wrap_note(note, 500) == note
    assert wrap_note("a\nb", 500) == "a\nb"


def test__add_source_line__reserves_room_for_every_wrapped_line():
    from matplotlib.figure import Figure

    from hokuriku.plotting import charts

    note = "(出所) " + "、".join(["経済産業省「工業統計調査」"] * 12)
    fig = Figure(figsize=(6.2, 5.6), layout="none")
    fig.add_subplot().plot([1, 2])
    charts.add_source_line(fig, note)
    text = fig.texts[-1].get_text()
    assert text.replace("\n", "") == note and text.count("\n") >= 2
    assert fig.subplotpars.bottom > (9 * 1.5 * (text.count("\n") + 1)) / 72 / 5.6
