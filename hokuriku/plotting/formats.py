"""Japanese number formatting for tables and axes (億円, 兆円, 千人, 万人, 全国比 "2.2%").

Rounding is **half up** (四捨五入), as Japanese official tables print, not Python's half-even:
``fmt_number(2.25, 1) == "2.3"``. Values are converted through ``Decimal(str(x))`` so that
2.205 rounds as printed, not as its binary float.

Unit conversions (core tables keep the published unit; these are for display only):

- 百万円 → 億円: ÷ 100; 百万円 → 兆円: ÷ 1,000,000
- 人 → 千人: ÷ 1,000; 人 → 万人: ÷ 10,000

Missing values (NaN, None) are printed as ``na`` (default "―", the 該当なし dash); negatives
with ``negative="▲"`` use the 三角 convention of Japanese tables.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from matplotlib.ticker import FuncFormatter

NA = "―"
MILLION_PER_OKU = 100
MILLION_PER_CHO = 1_000_000
PERSONS_PER_SEN = 1_000
PERSONS_PER_MAN = 10_000


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def round_half_up(x: float, digits: int = 0) -> Decimal:
    """Round like 四捨五入 (half away from zero): 2.25 → 2.3, −2.25 → −2.3."""
    q = Decimal(1).scaleb(-digits)
    return Decimal(str(float(x))).quantize(q, rounding=ROUND_HALF_UP)


def fmt_number(x: float | None, digits: int = 0, *, negative: str = "-", na: str = NA, sign: bool = False) -> str:
    """Thousands separators and half-up rounding: ``fmt_number(1234567.891, 1) == "1,234,567.9"``.

    Parameters
    ----------
    negative
        Prefix for negative numbers: ``"-"``, ``"▲"`` or ``"△"``.
    sign
        Prefix positive numbers with ``+`` (changes, percentage points).

    Examples
    --------
    >>> fmt_number(-1234.5, negative="▲")
    '▲1,235'
    >>> fmt_number(float("nan"))
    '―'
    """
    if _missing(x):
        return na
    d = round_half_up(x, digits)
    text = f"{abs(d):,.{digits}f}"
    if d < 0:
        return negative + text
    return ("+" + text) if sign and d > 0 else text


def oku_from_million(x: float) -> float:
    """百万円 → 億円 (÷ 100)."""
    return x / MILLION_PER_OKU


def cho_from_million(x: float) -> float:
    """百万円 → 兆円 (÷ 1,000,000)."""
    return x / MILLION_PER_CHO


def fmt_oku(value_million: float | None, digits: int = 0, *, suffix: bool = True, **kw) -> str:
    """A 百万円 value as 億円: ``fmt_oku(4927600) == "49,276億円"``."""
    if _missing(value_million):
        return kw.get("na", NA)
    return fmt_number(oku_from_million(value_million), digits, **kw) + ("億円" if suffix else "")


def fmt_cho(value_million: float | None, digits: int = 1, *, suffix: bool = True, **kw) -> str:
    """A 百万円 value as 兆円: ``fmt_cho(595788800) == "595.8兆円"``."""
    if _missing(value_million):
        return kw.get("na", NA)
    return fmt_number(cho_from_million(value_million), digits, **kw) + ("兆円" if suffix else "")


def fmt_yen_auto(value_million: float | None, *, digits_oku: int = 0, digits_cho: int = 1, **kw) -> str:
    """兆円 from 1兆円 (= 1,000,000 百万円) upward, otherwise 億円."""
    if _missing(value_million):
        return kw.get("na", NA)
    if abs(value_million) >= MILLION_PER_CHO:
        return fmt_cho(value_million, digits_cho, **kw)
    return fmt_oku(value_million, digits_oku, **kw)


def fmt_persons(value_persons: float | None, unit: str = "千人", digits: int = 0, *, suffix: bool = True, **kw) -> str:
    """Persons as 千人 or 万人: ``fmt_persons(1009000) == "1,009千人"``; ``unit="万人"`` → "100.9万人" (digits=1)."""
    div = {"人": 1, "千人": PERSONS_PER_SEN, "万人": PERSONS_PER_MAN}
    if unit not in div:
        msg = f"fmt_persons: unit must be one of {list(div)}, found {unit!r}"
        raise ValueError(msg)
    if _missing(value_persons):
        return kw.get("na", NA)
    return fmt_number(value_persons / div[unit], digits, **kw) + (unit if suffix else "")


def fmt_pct(share: float | None, digits: int = 1, *, from_fraction: bool = True, **kw) -> str:
    """A share as percent: ``fmt_pct(0.022053) == "2.2%"`` (``from_fraction=False`` if already ×100)."""
    if _missing(share):
        return kw.get("na", NA)
    return fmt_number(share * 100 if from_fraction else share, digits, **kw) + "%"


def fmt_pt(diff: float | None, digits: int = 1, *, from_fraction: bool = True, **kw) -> str:
    """A change in percentage points with sign: ``fmt_pt(0.012) == "+1.2pt"``."""
    if _missing(diff):
        return kw.get("na", NA)
    kw.setdefault("sign", True)
    return fmt_number(diff * 100 if from_fraction else diff, digits, **kw) + "pt"


def _trim(text: str) -> str:
    """``"3.50%"`` → ``"3.5%"``, ``"4.00%"`` → ``"4%"`` (tick labels without trailing zeros)."""
    number, pct = (text[:-1], "%") if text.endswith("%") else (text, "")
    if "." in number:
        number = number.rstrip("0").rstrip(".")
    return number + pct


# Axis formatters ---------------------------------------------------------------------------------


def thousands_formatter(digits: int = 0) -> FuncFormatter:
    """Tick labels with thousands separators."""
    return FuncFormatter(lambda x, _pos: fmt_number(x, digits))


def oku_formatter(digits: int = 0, *, suffix: bool = False) -> FuncFormatter:
    """Ticks of a 百万円 axis labelled in 億円."""
    return FuncFormatter(lambda x, _pos: fmt_oku(x, digits, suffix=suffix))


def cho_formatter(digits: int = 1, *, suffix: bool = False) -> FuncFormatter:
    """Ticks of a 百万円 axis labelled in 兆円."""
    return FuncFormatter(lambda x, _pos: fmt_cho(x, digits, suffix=suffix))


def persons_formatter(unit: str = "千人", digits: int = 0, *, suffix: bool = False) -> FuncFormatter:
    """Ticks of a persons axis labelled in 千人/万人."""
    return FuncFormatter(lambda x, _pos: fmt_persons(x, unit, digits, suffix=suffix))


def pct_formatter(digits: int | None = None, *, from_fraction: bool = True) -> FuncFormatter:
    """Ticks of a share axis labelled ``"2%"``; ``digits=None`` picks enough decimals for the tick step."""
    if digits is None:
        return FuncFormatter(lambda x, _pos: _trim(fmt_pct(x, 2, from_fraction=from_fraction)))
    return FuncFormatter(lambda x, _pos: fmt_pct(x, digits, from_fraction=from_fraction))


def text_width(text: str) -> float:
    """Display width in ems: CJK and full-width characters count 1, ASCII about 0.55."""
    return sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in text)


def wrap_note(text: str, width: float) -> str:
    """Break a ``(出所)`` / ``(注)`` text so that no line is wider than ``width`` ems.

    Breaks only after 「、」, 「,」 or a space that stand outside 「」 and （）, so a publication's
    title is never split; existing line breaks are kept. A single piece wider than ``width``
    stays on its own line.

    >>> wrap_note("(出所) 内閣府「県民経済計算」、総務省「国勢調査」", 20)
    '(出所) 内閣府「県民経済計算」、\n総務省「国勢調査」'
    """
    out: list[str] = []
    for paragraph in text.split("\n"):
        pieces, depth, current = [], 0, ""
        for ch in paragraph:
            current += ch
            depth += (ch in "「（(") - (ch in "」）)")
            if ch in "、, " and depth <= 0:
                pieces.append(current)
                current = ""
        pieces.append(current)
        line = ""
        for piece in pieces:
            if line.strip() and text_width(line + piece) > width:
                out.append(line.rstrip())
                line = piece.lstrip()
            else:
                line += piece
        out.append(line.rstrip())
    return "\n".join(out)
