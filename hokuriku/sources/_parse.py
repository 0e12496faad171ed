"""Shared parsing rules for Japanese official statistics.

Japanese tables print special symbols in numeric cells. They are **never** coerced to 0 and never
silently dropped: :func:`to_numeric` returns NaN together with a reason code, and anything it cannot
read raises :class:`RawDataError` naming the file, sheet, row and column.

Symbols (総務省統計局・経済産業省 表章記号の凡例):

====================  ===============  =========================================================
symbol                reason code      meaning
====================  ===============  =========================================================
``X``, ``x``, ``χ``   ``suppressed``   秘匿 (confidential: fewer than 3 respondents)
``-``, ``−``, ``―``   ``nil``          該当数値なし (no such value / no establishment)
``…``, ``...``        ``not_available`` 数値不詳・調査していない
``***``, ``*``        ``not_applicable`` 当該数値がないもの / 表章不能
``0.0`` style         (number)         true zero is kept as 0
``△12``, ``▲12``      (number)         negative: -12
====================  ===============  =========================================================

Full-width digits, commas, points, signs and spaces are mapped to ASCII one by one (not NFKC,
which would also read circled ``①`` or superscript ``²`` digits as digits). Refused: circled or
superscript digits, ``inf``/``nan``/overflowing literals (``1e400``), thousands separators that do
not separate groups of three (``12,34``), two signs (``△-5``), booleans.

Reusable helpers for every loader (new loaders should use them; see docs/loader_guarantees.md):

- reading: :func:`read_bytes` / :func:`read_text` (bytes checked against the sha256 that
  ``manifest.path`` verified; strict decoding), :func:`read_csv_rows` / :func:`csv_rows` (csv errors
  such as a bare CR → RawDataError with the line), :func:`read_csv_table` (header + field counts),
  :func:`csv_arrow` (a quote-free grid as Arrow string columns, the same cells as ``csv_rows``),
  :func:`csv_arrow_numbers` (its value columns read as floats when every value cell is a plain finite number),
  :func:`head_lines`;
- cells: :func:`parse_cell`, :func:`to_numeric` (vectorised; symbols → NaN + reason; anything else
  → RawDataError naming file, sheet, row, column), :func:`to_numeric_grid` / :func:`to_numeric_arrow`
  (every column of a grid in one call, the same cells accepted and refused), :func:`stack_columns` (their
  results as a tidy long table, built in Arrow);
- codes of a long table's text columns: :func:`factorize`, :func:`n_distinct`, :func:`codes_at`, :func:`rows_with`,
  :func:`first_rows_of`, :func:`stacked_duplicates` (columns built by ``stack_columns`` answered from their
  ``n`` row or ``m`` item values, anything else by pandas), :func:`sorted_codes`, :func:`first_rows`,
  :func:`edge_spaces`;
- layout: :func:`require_columns`, :func:`find_row`, :func:`load_layout`;
- coverage: :func:`check_unique` (duplicated key), :func:`check_count`, :func:`check_expected_set`
  (missing/extra members), :func:`check_coverage` + :func:`covered_tables` (keys and published row
  count per table and vintage from ``layouts/<source>/coverage.csv``; wrap ``TABLES`` with it);
- containment: :func:`contained`, the decorator for ``parse()`` that lets only HokurikuError out.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from hokuriku import paths
from hokuriku.errors import EncodingError, LayoutError, RawDataError

SYMBOL_REASONS: dict[str, str] = {
    "X": "suppressed",
    "x": "suppressed",
    "χ": "suppressed",
    "Χ": "suppressed",
    "-": "nil",
    "−": "nil",
    "―": "nil",
    "‐": "nil",
    "—": "nil",
    "ー": "nil",
    "…": "not_available",
    "...": "not_available",
    "・・・": "not_available",
    "***": "not_applicable",
    "**": "not_applicable",
    "*": "not_applicable",
    "": "blank",
}
REASON_CODES = frozenset(SYMBOL_REASONS.values())
_NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")
# Thousands separators only between groups of three digits: 1,234 or 12,345.6 (never 12,34 or 1,2345).
_GROUPED = re.compile(r"^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?$")
# Width variants that a publisher's cell may use, mapped one to one (no NFKC: NFKC would also turn
# circled ① and superscript ² digits into digits and so change a printed number silently).
_WIDTH = str.maketrans(
    {
        **{chr(0xFF10 + d): str(d) for d in range(10)},  # full-width digits
        "，": ",",
        "．": ".",
        "－": "-",
        "−": "-",  # U+2212 minus sign
        "‐": "-",  # U+2010 hyphen
        "＋": "+",
        "\u3000": " ",  # ideographic space
        "Ｅ": "E",
        "ｅ": "e",
    }
)
_NEGATIVE_MARKS = ("△", "▲")


def parse_cell(value: object) -> tuple[float, str | None] | None:
    """Parse one cell to ``(number, None)`` or ``(nan, reason)``; None if unreadable.

    A readable number is finite, uses ASCII or full-width digits, at most one sign (``-``, ``+``,
    ``△`` or ``▲``: ``△-5`` is refused), and thousands separators only between groups of three
    digits. Circled or superscript digits (``①``, ``²``), ``inf``/``nan`` and literals that
    overflow (``1e400``) are refused (None).

    >>> parse_cell("１,２３４")
    (1234.0, None)
    >>> parse_cell("△5")
    (-5.0, None)
    >>> parse_cell("X")
    (nan, 'suppressed')
    >>> parse_cell("413938①") is None, parse_cell("12,34") is None, parse_cell("1e400") is None
    (True, True, True)
    """
    if value is None:
        return (math.nan, "blank")
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        if isinstance(value, (float, np.floating)) and math.isnan(value):
            return (math.nan, "blank")
        number = float(value)
        return (number, None) if math.isfinite(number) else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text in SYMBOL_REASONS:
        return (math.nan, SYMBOL_REASONS[text])
    symbol = unicodedata.normalize("NFKC", text).replace(" ", "")
    if symbol in SYMBOL_REASONS:  # full-width Ｘ, ＊＊＊: NFKC is safe here, a symbol never becomes a number
        return (math.nan, SYMBOL_REASONS[symbol])
    text = text.translate(_WIDTH).strip()
    negative = False
    if text[:1] in _NEGATIVE_MARKS:
        negative, text = True, text[1:].lstrip()
        if text[:1] in ("+", "-"):
            return None  # double sign: △-5
    sign = ""
    if text[:1] in ("+", "-"):
        sign, text = text[0], text[1:]
    if " " in text:
        return None
    mantissa, e_mark, exponent = text.partition("e") if "e" in text else text.partition("E")
    if "," in mantissa:
        if not _GROUPED.match(mantissa):
            return None
        mantissa = mantissa.replace(",", "")
    text = sign + mantissa + e_mark + exponent
    if not _NUMBER.match(text):
        return None
    number = float(text)
    if not math.isfinite(number):
        return None
    return (-number if negative else number, None)


# The plain ASCII numbers of the fast path of to_numeric(): optional minus, digits (or digits grouped by
# three with commas: 1,234,567), optional decimals. A literal that overflows to inf is sent to parse_cell,
# which refuses it. (Unbounded repetitions: RE2 compiles bounded ones into a large automaton, slowly.)
_PLAIN_ARROW = r"^-?([0-9]+|[0-9]{1,3}(,[0-9]{3})+)(\.[0-9]+)?$"
_PLAIN_RE = re.compile(_PLAIN_ARROW)


_ARROW_MIN_CELLS = 200
"""Below this many cells Python's ``re`` is faster than Arrow's per-call cost (compiling the RE2 pattern)."""


def _plain_numbers(texts: np.ndarray, *, arrow: bool | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(mask of plain ASCII numbers, their float values) for an object array of str.

    Vectorised with Arrow (RE2 match, then a correctly rounded string → float64 cast, the same
    value as ``float()``) for ``_ARROW_MIN_CELLS`` cells or more (``arrow`` forces a path); Python's
    ``re`` and ``float()`` for fewer cells and for text Arrow cannot hold.
    """
    if arrow is None:
        arrow = len(texts) >= _ARROW_MIN_CELLS
    if arrow:
        try:
            import pyarrow as pa

            return _plain_numbers_arrow(pa.array(texts, type=pa.string()))
        except (ImportError, UnicodeError, ValueError, TypeError):  # pa.ArrowInvalid is a ValueError
            pass
    mask = np.fromiter((_PLAIN_RE.match(t) is not None for t in texts), dtype=bool, count=len(texts))
    return mask, np.array([float(t.replace(",", "")) for t in texts[mask]], dtype="float64")


def _plain_numbers_arrow(strings) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_plain_numbers` of an Arrow string array without nulls (RE2 match, correctly rounded cast)."""
    numbers = np.full(len(strings), np.nan)
    mask = _plain_numbers_into(strings, numbers)
    return mask, numbers[mask]


def _plain_numbers_into(strings, out: np.ndarray) -> np.ndarray:  # noqa: ANN001 - a pyarrow string array
    """The mask of the plain ASCII numbers of ``strings`` (Arrow, no nulls); their values written into ``out``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    # Digits only (most cells): no regex needed. A non-ASCII character is never an ASCII digit byte.
    digits = pc.ascii_is_decimal(strings)
    mask = digits.to_numpy(zero_copy_only=False).astype(bool)  # a writable copy (hits are set below)
    out[mask] = pc.cast(strings.filter(digits), pa.float64()).to_numpy(zero_copy_only=False)
    rest = np.flatnonzero(~mask)
    if len(rest):
        others = strings.take(pa.array(rest))
        match = pc.match_substring_regex(others, _PLAIN_ARROW)
        plain = pc.replace_substring(others.filter(match), ",", "")
        hit = rest[np.asarray(match.to_numpy(zero_copy_only=False), dtype=bool)]
        mask[hit] = True
        out[hit] = pc.cast(plain, pa.float64()).to_numpy(zero_copy_only=False)
    return mask


_OBJECT = np.dtype(object)  # a dtype object, not the string "object" (pandas looks a string up in its registry)


def _numeric_cells(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised core of :func:`to_numeric` on a 1-D array of cells.

    Returns (float values, reason codes, indices of the cells left for :func:`parse_cell`): numeric
    arrays in one call (NaN → ``blank``, ±inf left for parse_cell, which refuses it); among str
    cells the plain ASCII numbers in one Arrow call; every other cell is left for parse_cell.
    """
    n = len(arr)
    out = np.full(n, np.nan, dtype="float64")
    reasons = np.full(n, None, dtype="object")
    if arr.dtype.kind in "iuf":
        out[:] = arr.astype("float64")
        reasons[np.isnan(out)] = "blank"
        slow = np.isinf(out)
    else:  # an object array (the callers convert)
        if pd.api.types.infer_dtype(arr, skipna=False) == "string":  # C-level check: every cell is a str
            is_str = np.ones(n, dtype=bool)
        else:
            is_str = np.fromiter((type(v) is str for v in arr), dtype=bool, count=n)
        slow = ~is_str
        if n and is_str.all():
            plain, numbers = _plain_numbers(arr)
            out[plain] = numbers
            slow = ~plain
            slow[np.flatnonzero(plain)[~np.isfinite(numbers)]] = True  # 1e309-like literal: parse_cell refuses it
        elif is_str.any():
            str_idx = np.flatnonzero(is_str)
            plain, numbers = _plain_numbers(arr[str_idx])
            fast_idx = str_idx[plain]
            out[fast_idx] = numbers
            slow[str_idx[~plain]] = True
            slow[fast_idx[~np.isfinite(numbers)]] = True  # a 309-digit literal overflows: parse_cell refuses it
    return out, reasons, np.flatnonzero(slow)


_REFUSED = "a number, or a documented symbol (X χ - − … *** △ ▲)"


def _parse_slow(arr: np.ndarray, out: np.ndarray, reasons: np.ndarray, slow_idx: np.ndarray):
    """Fill ``out``/``reasons`` at ``slow_idx`` with :func:`parse_cell`; the first refused index, else None.

    A str cell that is exactly a documented symbol (``X``, ``-``, ``…``, ``""`` …: what parse_cell
    returns for it without any normalisation) gets its reason in one dictionary lookup pass; the
    other cells go through parse_cell one by one, in order (symbols are never refused, so the
    first refused cell is the same).
    """
    if len(slow_idx) >= 16:
        cells = arr[slow_idx]
        is_str = np.fromiter((type(v) is str for v in cells), dtype=bool, count=len(cells))
        symbol = np.zeros(len(cells), dtype=bool)
        if is_str.any():
            found = pd.Series(cells[is_str], dtype=object).map(SYMBOL_REASONS).to_numpy(dtype=object)
            hit = pd.notna(found)
            where = np.flatnonzero(is_str)[hit]
            symbol[where] = True
            reasons[slow_idx[where]] = found[hit]  # out stays NaN there
        slow_idx = slow_idx[~symbol]
    for i in slow_idx:
        parsed = parse_cell(arr[i])
        if parsed is None:
            return i
        out[i], reasons[i] = parsed
    return None


def to_numeric(
    values: pd.Series,
    *,
    file: str | Path,
    column: str,
    sheet: str | None = None,
    row_numbers: pd.Series | list[int] | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Parse a column of published cells into (float values, reason codes).

    Reasons are None for real numbers and one of :data:`REASON_CODES` for symbols.
    An unreadable cell raises :class:`RawDataError` naming ``file``/``sheet``/row/``column``;
    ``row_numbers`` gives the row numbers as printed in the file (1-based) for the message.

    Vectorised: numeric columns are checked in one call (NaN → ``blank``, ±inf refused); in text
    columns the plain ASCII numbers (``-?[0-9]+(\\.[0-9]+)?``, digits possibly grouped ``1,234``: the vast
    majority of cells) are
    cast in one call and only the other cells go through :func:`parse_cell`. The result is the
    same as calling :func:`parse_cell` on every cell.
    """
    arr = values.to_numpy()
    rows = list(row_numbers) if row_numbers is not None else None
    out, reasons = _cells_or_refuse(arr, lambda bad: dict(row=rows[bad] if rows is not None else None, column=column),
                                    file=file, sheet=sheet)
    return (
        pd.Series(out, index=values.index, name=values.name, copy=False),
        pd.Series(reasons, index=values.index, dtype=_OBJECT, name="value_note", copy=False),
    )


def to_numeric_grid(
    grid: np.ndarray,
    *,
    file: str | Path,
    columns: list[str],
    sheet: str | None = None,
    row_numbers: list[int] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`to_numeric` of every column of a rows × columns array of cells, in one vectorised call.

    Returns (values, reasons) as columns × rows arrays (column ``j`` is ``values[j]``: the cells of
    a wide table stacked column by column, as a tidy long table stores them). The same cells are
    accepted and refused as by :func:`to_numeric` column by column, and the refusal names the
    same cell: the first refused cell of the first column that has one, with its ``columns`` name
    and its ``row_numbers`` entry.
    """
    n_rows, n_cols = grid.shape
    if len(columns) != n_cols:
        msg = f"to_numeric_grid: {len(columns)} column names for {n_cols} columns"
        raise ValueError(msg)
    rows = list(row_numbers) if row_numbers is not None else None

    def where(bad: int) -> dict:
        j, i = divmod(bad, n_rows)
        return {"row": rows[i] if rows is not None else None, "column": columns[j]}

    out, reasons = _cells_or_refuse(grid.T.ravel(), where, file=file, sheet=sheet)  # column by column
    return out.reshape(n_cols, n_rows), reasons.reshape(n_cols, n_rows)


def _cells_or_refuse(flat: np.ndarray, where, *, file: str | Path, sheet: str | None) -> tuple[np.ndarray, np.ndarray]:  # noqa: ANN001
    """(values, reasons) of a flat array of cells; the first refused cell raises :class:`RawDataError`
    with the row and column ``where(index)`` gives for it."""
    if flat.dtype.kind not in "iuf":
        flat = flat.astype(object, copy=False)
    out, reasons, slow_idx = _numeric_cells(flat)
    if len(slow_idx):
        bad = _parse_slow(flat, out, reasons, slow_idx)
        if bad is not None:
            raise RawDataError(file, _REFUSED, found=flat[bad], sheet=sheet, **where(int(bad)))
    return out, reasons


def to_numeric_arrow(
    columns: list,
    *,
    file: str | Path,
    names: list[str],
    sheet: str | None = None,
    row_numbers: list[int] | None = None,
    sparse: bool = False,
) -> tuple[np.ndarray, np.ndarray | tuple[np.ndarray, np.ndarray]]:
    """:func:`to_numeric_grid` of Arrow string columns without nulls (the cells of :func:`csv_arrow`).

    Returns (values, reasons) as columns × rows arrays. The same cells are accepted and refused as by
    :func:`to_numeric` column by column (plain numbers cast in Arrow, every other cell through
    :func:`parse_cell`), and a refusal names the first refused cell of the first column that has one.
    ``sparse=True`` gives the reasons as (flat positions in the columns × rows order, reasons) of the cells
    that have one (no array of Nones; :func:`stack_columns` takes either form).
    """
    import pyarrow as pa

    if len(names) != len(columns):
        msg = f"to_numeric_arrow: {len(names)} column names for {len(columns)} columns"
        raise ValueError(msg)
    n_cols = len(columns)
    n_rows = len(columns[0]) if n_cols else 0
    if n_cols == 0 or n_rows == 0:
        return np.empty((n_cols, n_rows)), ((np.empty(0, dtype=np.int64), np.empty(0, dtype=object)) if sparse
                                            else np.full((n_cols, n_rows), None, dtype=object))
    chunks = [(c.chunk(0) if c.num_chunks == 1 else c.combine_chunks()) if isinstance(c, pa.ChunkedArray) else c
              for c in columns]
    # column by column; a cast only where a column is not large_string already (csv_arrow's columns are)
    strings = pa.concat_arrays([c if c.type == pa.large_string() else c.cast(pa.large_string()) for c in chunks])
    if strings.null_count:
        msg = "to_numeric_arrow: Arrow columns with nulls (use to_numeric_grid)"
        raise ValueError(msg)
    n = len(strings)
    out = np.full(n, np.nan, dtype="float64")
    if n >= _ARROW_MIN_CELLS:
        _plain_numbers_into(strings, out)
    else:
        plain, numbers = _plain_numbers(np.array(strings.to_pylist(), dtype=object), arrow=False)
        out[plain] = numbers
    # The cells left: not plain numbers (NaN) and 1e309-like literals (inf; parse_cell refuses them).
    slow_idx = np.flatnonzero(~np.isfinite(out))
    slow_reasons = np.empty(0, dtype=object)
    if len(slow_idx):  # only the cells left (symbols, blanks, other text) come to Python, in a compact array
        k = len(slow_idx)
        cells = np.empty(k, dtype=object)
        cells[:] = strings.take(pa.array(slow_idx)).to_pylist()
        slow_out, slow_reasons = np.full(k, np.nan), np.full(k, None, dtype=object)
        bad = _parse_slow(cells, slow_out, slow_reasons, np.arange(k))
        if bad is not None:
            j, i = divmod(int(slow_idx[bad]), n_rows)
            raise RawDataError(file, _REFUSED, found=cells[bad], sheet=sheet,
                               row=list(row_numbers)[i] if row_numbers is not None else None, column=names[j])
        out[slow_idx] = slow_out
    if sparse:
        noted = pd.notna(slow_reasons)
        return out.reshape(n_cols, n_rows), (slow_idx[noted], slow_reasons[noted])
    reasons = np.full(n, None, dtype="object")
    reasons[slow_idx] = slow_reasons
    return out.reshape(n_cols, n_rows), reasons.reshape(n_cols, n_rows)


def stack_columns(rows: dict[str, object], items: dict[str, object], values: np.ndarray,
                  notes: np.ndarray) -> pd.DataFrame:
    """The long table of a wide grid: one row per item × grid row, stacked item by item.

    ``rows`` are the per-row key columns (each of ``n`` entries, repeated for every item), ``items``
    the per-item attributes (each of ``m`` entries, each repeated ``n`` times), ``values`` and
    ``notes`` the ``m × n`` results of :func:`to_numeric_arrow` / :func:`to_numeric_grid` (``notes`` also as
    to_numeric_arrow's ``sparse`` pair: flat positions and reasons of the noted cells). A column
    given as a list of str becomes pandas' ``str`` (Arrow large_string), a numpy array keeps its dtype.
    Returns the rows columns, the items columns, ``value`` (float64) and ``value_note`` (``str``: the
    reason, NaN for a number). Built in Arrow (repeated buffers, no per-cell Python).
    """
    import pyarrow as pa

    m, n = values.shape
    total = m * n

    def tiled(col):
        if isinstance(col, np.ndarray):
            return np.tile(col, m)
        return pa.concat_arrays([pa.array(col, type=pa.large_string())] * m) if m else pa.array([], pa.large_string())

    item_of_row = []  # the item of each long row (0 … m-1, each n times), made once for every repeated column

    def repeated(col):
        if isinstance(col, np.ndarray):
            return np.repeat(col, n)
        if not item_of_row:
            item_of_row.append(pa.array(np.repeat(np.arange(m, dtype=np.int32), n)))
        # Arrow's take: the long column in Arrow's memory pool, one buffer each for offsets and text
        return pa.array(col, type=pa.large_string()).take(item_of_row[0])

    if isinstance(notes, tuple):
        noted, texts = notes
    else:
        flat_notes = notes.reshape(total)
        noted = np.flatnonzero(pd.notna(flat_notes))
        texts = flat_notes[noted]
    if len(noted):  # the reasons where there is one, null elsewhere
        index = np.zeros(total, dtype=np.int64)
        index[noted] = np.arange(len(noted))
        mask = np.ones(total, dtype=bool)
        mask[noted] = False
        note_array = pa.array(list(texts), type=pa.large_string()).take(pa.array(index, mask=mask))
    else:
        note_array = pa.nulls(total, pa.large_string())
    columns = {name: tiled(col) for name, col in rows.items()} | {name: repeated(col) for name, col in items.items()}
    columns |= {"value": values.reshape(total).astype("float64", copy=False), "value_note": note_array}
    frame = pa.table(columns).to_pandas(split_blocks=True)
    if total:  # the codes of each text column follow from its n (or m) inputs: see factorize()
        stack = object()
        for name, col in rows.items():
            if not isinstance(col, np.ndarray):
                _remember_codes(frame[name].array, col, "row", stack, m, n)
        for name, col in items.items():
            if not isinstance(col, np.ndarray):
                _remember_codes(frame[name].array, col, "item", stack, m, n)
    return frame


def edge_spaces(column) -> bool:  # noqa: ANN001 - an Arrow string column
    """Whether a cell of ``column`` starts or ends with a character ``str.strip()`` removes (its distinct first
    and last characters checked in Python): when not, the stripped cells are the cells."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(column, pa.Array):
        column = pa.chunked_array([column])
    edges = pc.unique(pa.chunked_array(pc.utf8_slice_codeunits(column, 0, 1).chunks
                                       + pc.utf8_slice_codeunits(column, -1).chunks, type=column.type))
    return any(e.isspace() for e in edges.to_pylist() if e)


def sorted_codes(codes: np.ndarray, distinct: list) -> tuple[np.ndarray, pd.Index, np.ndarray]:
    """``pd.factorize(sort=True)`` of the values whose codes (-1 for missing) into ``distinct`` are ``codes``.

    Returns the sorted codes, the sorted distinct values present and the index into ``distinct`` of each.
    """
    present = np.flatnonzero(np.bincount(codes[codes >= 0], minlength=len(distinct)))
    values = np.asarray(distinct, dtype=object)[present]
    order = np.argsort(values, kind="stable")
    rank = np.full(len(distinct) + 1, -1, dtype=np.int64)  # the last entry for code -1 (missing)
    rank[present[order]] = np.arange(len(order))
    return rank[codes], pd.Index(values[order], dtype="str"), present[order]


def first_rows(codes: np.ndarray, k: int) -> np.ndarray:
    """The first row of each of the codes ``0 … k-1`` in ``codes`` (-1 for missing), as
    ``np.unique(codes, return_index=True)`` gives them for the codes ``>= 0``.

    Codes numbered in order of first appearance (Arrow's dictionary encoding, ``pd.factorize``) first appear
    where a code exceeds every code before it: one pass over a prefix (grown until it holds them) instead of
    numpy's sort. Checked: codes not so numbered go through ``np.unique``.
    """
    length = max(k, 1 << 14)  # a prefix long enough for most columns in one pass
    while True:
        head = codes[:length]
        appears = np.empty(len(head), dtype=bool)
        appears[:1] = head[:1] >= 0
        np.greater(head[1:], np.maximum.accumulate(head[:-1]), out=appears[1:])
        first = np.flatnonzero(appears)
        if len(first) >= k or length >= len(codes):
            break
        length *= 4
    if len(first) == k and (codes[first] == np.arange(k)).all():
        return first
    distinct, at = np.unique(codes, return_index=True)
    return at[distinct >= 0]


# Text columns as stack_columns built them, keyed by their (immutable) Arrow data: a column that still holds the
# same pyarrow.ChunkedArray object holds the same cells, so its codes follow from the few values it was tiled or
# repeated from. An entry goes when its array does (weak reference).
_STACKED: dict[int, _Stacked] = {}


class _Stacked:
    """A text column of one :func:`stack_columns` call (``stack``): its ``n`` row values tiled ``m`` times
    (``role`` "row") or its ``m`` item values each repeated ``n`` times ("item")."""

    __slots__ = ("ref", "base", "role", "stack", "m", "n", "_base", "_codes")

    def __init__(self, ref, base: list, role: str, stack: object, m: int, n: int) -> None:  # noqa: ANN001
        self.ref, self.base, self.role, self.stack, self.m, self.n = ref, base, role, stack, m, n
        self._base = self._codes = None

    def base_codes(self) -> tuple[np.ndarray, list]:
        """``pd.factorize`` of the base values (None → -1)."""
        if self._base is None:
            codes, uniques = pd.factorize(np.asarray(self.base, dtype=object))
            self._base = (codes.astype(np.int64, copy=False), list(uniques))
        return self._base

    def codes(self) -> tuple[np.ndarray, list]:
        """``pd.factorize`` of the whole column: the base codes tiled or repeated (read-only)."""
        if self._codes is None:
            base, uniques = self.base_codes()
            codes = np.tile(base, self.m) if self.role == "row" else np.repeat(base, self.n)
            codes.flags.writeable = False
            self._codes = (codes, uniques)
        return self._codes


def _remember_codes(array, base: list, role: str, stack: object, m: int, n: int) -> None:  # noqa: ANN001
    import weakref

    data = getattr(array, "_pa_array", None)
    if data is None:
        return
    key = id(data)

    def forget(ref, key=key):  # noqa: ANN001, ANN202
        entry = _STACKED.get(key)
        if entry is not None and entry.ref is ref:
            del _STACKED[key]

    try:
        ref = weakref.ref(data, forget)
    except TypeError:
        return
    _STACKED[key] = _Stacked(ref, list(base), role, stack, m, n)


def _stacked(values) -> _Stacked | None:  # noqa: ANN001 - a Series or array
    data = getattr(getattr(values, "array", values), "_pa_array", None)
    entry = _STACKED.get(id(data)) if data is not None else None
    return entry if entry is not None and entry.ref() is data else None


def known_codes(values) -> bool:  # noqa: ANN001 - a Series or array
    """Whether :func:`factorize` has the codes of ``values`` without hashing (a column of :func:`stack_columns`)."""
    return _stacked(values) is not None


def factorize(values) -> tuple[np.ndarray, list]:  # noqa: ANN001 - a Series or array
    """``pd.factorize(values)``: int64 codes in order of first appearance (-1 for a missing value) and the
    distinct values (a list).

    A text column as :func:`stack_columns` built it (the same Arrow data) is factorised from the ``n`` (or
    ``m``) values it was tiled (repeated) from, the same codes without hashing every row; any other input
    goes to ``pd.factorize``. The codes are read-only (they may be shared between calls).
    """
    entry = _stacked(values)
    if entry is None:
        codes, uniques = pd.factorize(values)
        return codes.astype(np.int64, copy=False), list(uniques)
    return entry.codes()


def codes_at(values, rows: np.ndarray) -> tuple[np.ndarray, list]:  # noqa: ANN001 - a Series or array
    """``factorize(values)`` at ``rows`` only: (codes of those rows, every distinct value of the column); a column of
    :func:`stack_columns` from its base codes, without a code per row of the whole column."""
    entry = _stacked(values)
    if entry is None:
        codes, uniques = factorize(values)
        return codes[rows], uniques
    base, uniques = entry.base_codes()
    return (base[rows % entry.n] if entry.role == "row" else base[rows // entry.n]), uniques


def rows_with(values, wanted: set) -> tuple[np.ndarray, np.ndarray, list]:  # noqa: ANN001 - a Series or array
    """The rows (ascending) whose value is in ``wanted``, their codes and the column's distinct values (as
    :func:`factorize`); an item column of :func:`stack_columns` from its ``m`` item values (whole blocks of rows)."""
    entry = _stacked(values)
    if entry is None or entry.role != "item":
        codes, uniques = factorize(values)
        keep = np.fromiter((u in wanted for u in uniques), dtype=bool, count=len(uniques))
        rows = np.flatnonzero(np.append(keep, False)[codes])  # the last entry for code -1 (missing): never wanted
        return rows, codes[rows], uniques
    base, uniques = entry.base_codes()
    keep = np.append(np.fromiter((u in wanted for u in uniques), dtype=bool, count=len(uniques)), False)
    blocks = np.flatnonzero(keep[base])  # the items kept, each a block of n rows
    rows = (blocks[:, None] * entry.n + np.arange(entry.n)).reshape(-1)
    return rows, np.repeat(base[blocks], entry.n), uniques


def first_rows_of(values, k: int) -> np.ndarray:  # noqa: ANN001 - a Series or array
    """:func:`first_rows` of ``factorize(values)``: the first row of each of its codes ``0 … k-1``."""
    entry = _stacked(values)
    if entry is None:
        return first_rows(factorize(values)[0], k)
    first = first_rows(entry.base_codes()[0], k)  # every code occurs among the base values (the first n rows)
    return first if entry.role == "row" else first * entry.n


def n_distinct(values) -> int:  # noqa: ANN001 - a Series or array
    """The number of distinct non-missing values (``len(factorize(values)[1])``, ``nunique()``)."""
    entry = _stacked(values)
    return len(entry.base_codes()[1]) if entry is not None else len(factorize(values)[1])


def stacked_duplicates(frame: pd.DataFrame, keys: list[str]) -> bool | None:
    """Whether two rows of ``frame`` share their ``keys`` values (``frame.duplicated(keys).any()``) as far as the
    text columns of :func:`stack_columns` among them tell without hashing; None when they do not.

    The long table's row of item ``j`` and grid row ``i`` carries the row keys of ``i`` and the item keys of ``j``,
    so two rows share the keys of one stack exactly when two grid rows share their row keys or two items their
    item keys. Keys of one stack without a repeat: no two rows share all ``keys`` (False). Every key of one stack
    with a repeat: True. Otherwise (no such key, or other keys that may tell the rows apart): None.
    """
    entries = [_stacked(frame[k]) if k in frame.columns else None for k in keys]
    stacks: dict[int, list[_Stacked]] = {}
    for e in entries:
        if e is not None and len(frame) == e.m * e.n:
            stacks.setdefault(id(e.stack), []).append(e)
    for group in stacks.values():
        m, n = group[0].m, group[0].n
        row_keys = set(zip(*(e.base_codes()[0].tolist() for e in group if e.role == "row"), strict=True)) or {()}
        item_keys = set(zip(*(e.base_codes()[0].tolist() for e in group if e.role == "item"), strict=True)) or {()}
        repeated = len(row_keys) < n or len(item_keys) < m
        if not repeated:
            return False
        if len(group) == len(keys):
            return True
    return None


def read_bytes(path: Path) -> bytes:
    """A raw file's bytes, checked against the sha256 verified by :func:`hokuriku.manifest.path`
    (so the bytes parsed are the bytes verified); parse from these bytes, not by reopening the path."""
    from hokuriku import manifest

    path = Path(path)
    held = manifest.take_verified(path)  # the bytes manifest.path() just hashed: no second read and hash
    if held is not None:
        return held
    try:
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise RawDataError(path, "a file", found="a directory") from exc
    return manifest.check_bytes(path, data)


def read_text(path: Path, encoding: str) -> str:
    """Decode a publisher's text file strictly.

    ``encoding`` is the publisher's (``cp932`` for SSDSE and 住基, ``utf-8-sig`` for e-Stat).
    A UTF-8 BOM is honoured whatever was expected (re-saved files); otherwise bytes that do not
    decode raise :class:`EncodingError` naming the file and the byte offset.
    """
    return decode_text(path, read_bytes(path), encoding)


def decode_text(path: Path, data: bytes, encoding: str) -> str:
    """:func:`read_text` of bytes already read with :func:`read_bytes` (the same text, the same refusals;
    ``path`` names the file in errors)."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = _decoded(data[3:], "utf-8")
        return text if text is not None else _bad(path, data, "utf-8")
    if encoding.lower().replace("_", "-") in ("utf-8-sig", "utf-8"):
        text = _decoded(data, "utf-8")
        if text is not None:
            return text
        if _decodes(data, "cp932"):
            raise EncodingError(path, "UTF-8 text (e-Stat CSVs are UTF-8 with BOM)", found="CP932/Shift_JIS bytes")
        return _bad(path, data, "utf-8")
    text = _decoded(data, encoding)
    if text is not None:
        return text
    if _decodes(data, "utf-8"):
        raise EncodingError(path, f"{encoding} (Shift_JIS) text as published", found="UTF-8 bytes without BOM")
    return _bad(path, data, encoding)


def _decoded(data: bytes, encoding: str) -> str | None:
    """``data`` decoded strictly, or None when it does not decode (decoded once, not checked then decoded)."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _bad(path: Path, data: bytes, encoding: str) -> str:
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise EncodingError(path, f"{encoding} text", found=f"undecodable bytes at offset {exc.start}") from exc
    raise AssertionError("unreachable")


def read_csv_rows(path: Path, encoding: str) -> list[list[str]]:
    """All rows of a CSV file as strings (no type guessing: the loader decides)."""
    return csv_rows(read_text(path, encoding), file=path)


def csv_rows(text: str, *, file: str | Path) -> list[list[str]]:
    """Split decoded CSV text into rows; a malformed line (bare CR, NUL byte, unterminated
    quote) raises :class:`RawDataError` naming the file and line instead of ``csv.Error``.

    Fast path: text without any quote character and without a CR outside CRLF line ends (every
    mirror CSV of SSDSE, 住基, …) is split with ``str.split`` on line ends and commas, which is
    what ``csv.reader`` does with such text (an empty line is an empty row, a final line end adds
    no row). Anything else is read by ``csv.reader`` (:func:`_csv_rows_reader`), and
    tests/sources/test_csv_reader_agreement.py checks both readers agree.
    """
    if '"' not in text:
        lines = text.replace("\r\n", "\n")
        if "\r" not in lines:
            split = lines.split("\n")
            if split[-1] == "":
                split.pop()
            return [line.split(",") if line else [] for line in split]
    return _csv_rows_reader(text, file=file)


def _csv_rows_reader(text: str, *, file: str | Path) -> list[list[str]]:
    """:func:`csv_rows` by ``csv.reader`` (quoted fields, bare CR …), the reference reader."""
    reader = csv.reader(io.StringIO(text))
    try:
        return list(reader)
    except csv.Error as exc:
        raise RawDataError(file, "well-formed CSV lines", found=str(exc), row=reader.line_num) from exc


def csv_arrow(text: str):
    """The cells of a quote-free rectangular CSV text as a ``pyarrow.Table`` of string columns, or None.

    Column ``i`` holds field ``i`` of every line, exactly the cells :func:`csv_rows` gives (the
    vectorised CSV path: pyarrow's C++ reader instead of one Python list per row). None when the
    text needs ``csv.reader``'s rules or is not a grid (a quote, a CR outside CRLF line ends, an empty
    line, lines of different widths, no line at all, a leading BOM): read it with :func:`csv_rows`
    then, which also reports a malformed line. tests/sources/test_csv_reader_agreement.py checks
    both agree on every mirror CSV.
    """
    grid = _csv_grid(text)
    if grid is None:
        return None
    data, end, names = grid
    return _read_grid(data, end, {n: _large_string() for n in names}, 0)


def csv_arrow_numbers(text: str, *, skip_rows: int, first_number: int):
    """The body of a quote-free grid (after ``skip_rows`` lines) with every column from ``first_number`` on read
    as float64 by Arrow's CSV reader: (the first columns as Arrow string columns, the values as a columns × rows
    float array), or None.

    None (read the cells with :func:`csv_arrow` and :func:`to_numeric_arrow` then) when the text is not a grid
    for :func:`csv_arrow`, has no body row, or any value cell is not a number Arrow reads as a finite float
    (a symbol, a blank, full-width digits, ``nan``/``inf``, an overflowing literal …). A cell Arrow reads as a
    finite number (``[+-]`` digits, point, exponent; spaces and tabs around it) is one :func:`parse_cell` reads
    as the same correctly rounded number without a reason, so the values are those of to_numeric_arrow
    (tests/sources/test_csv_reader_agreement.py).
    """
    grid = _csv_grid(text)
    if grid is None:
        return None
    body = _numbers_body(grid, _large_string(), skip_rows=skip_rows, first_number=first_number)
    if body is None:
        return None
    table, values = body
    return table.columns[:first_number], values


def _numbers_body(grid: tuple, key_type, *, skip_rows: int, first_number: int):  # noqa: ANN001, ANN202
    """Arrow's reading of a checked grid (:func:`_csv_grid`/:func:`_grid_bytes`) after ``skip_rows`` lines: the first
    ``first_number`` columns as ``key_type``, the rest as float64: (the table, the values as a columns × rows float
    array), or None when Arrow refuses a value cell, there is no body row or no value column, or a value is not
    finite (nan/inf/1e400 cells: parse_cell refuses them, to_numeric_arrow names them)."""
    import pyarrow as pa

    data, end, names = grid
    types = {n: (key_type if i < first_number else pa.float64()) for i, n in enumerate(names)}
    table = _read_grid(data, end, types, skip_rows)
    if table is None or table.num_rows == 0 or table.num_columns <= first_number:
        return None
    values = np.empty((table.num_columns - first_number, table.num_rows))
    for j, column in enumerate(table.columns[first_number:]):
        values[j] = column.to_numpy()
    if not np.isfinite(values).all():
        return None
    return table, values


def cp932_grid_numbers(data: bytes, *, skip_rows: int, first_number: int):
    """:func:`csv_arrow_numbers` straight from the CP932 bytes of a file, without decoding the value cells:
    (the cells of the first ``skip_rows`` lines, the first ``first_number`` columns as Arrow string columns, the
    values as a columns × rows float array), or None.

    CP932 never has a comma, CR, LF or quote byte inside a double-byte character, so the fields of the bytes are
    those of the text. Every byte is checked as ``data.decode("cp932")`` would: the header lines and the key
    cells are decoded strictly, and a value cell Arrow reads as a number is ASCII. None (decode the whole text
    with :func:`decode_text` then: the same cells, and its refusals) for a leading UTF-8 BOM, bytes that do not
    decode, or anything :func:`csv_arrow_numbers` declines.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return None
    grid = _grid_bytes(data)
    if grid is None:
        return None
    import pyarrow as pa

    body = _numbers_body(grid, pa.binary(), skip_rows=skip_rows, first_number=first_number)
    if body is None:
        return None
    table, values = body
    data = grid[0]
    head_end = -1
    for _ in range(skip_rows):
        head_end = data.find(b"\n", head_end + 1)
    try:
        head = data[:max(head_end, 0)].decode("cp932")
        keys = [b"\n".join(c.to_pylist()).decode("cp932").split("\n") for c in table.columns[:first_number]]
    except UnicodeDecodeError:
        return None
    rows = [line.removesuffix("\r").split(",") for line in head.split("\n")] if skip_rows else []
    return rows, [pa.chunked_array([pa.array(c, type=pa.large_string())]) for c in keys], values


def _large_string():
    import pyarrow as pa

    return pa.large_string()


def _csv_grid(text: str):
    """(UTF-8 bytes, end of the last line's content, field names) of a quote-free grid text; None as csv_arrow."""
    try:
        import pyarrow  # noqa: F401

        data = text.encode("utf-8")
    except (ImportError, UnicodeError):
        return None
    return _grid_bytes(data)


def _grid_bytes(data: bytes):
    """:func:`_csv_grid` of the bytes of a text (UTF-8, or CP932: neither has a quote, comma, CR or LF byte inside a
    multi-byte character, so the lines and fields of the bytes are those of the text)."""
    # All checks on the bytes (one numpy pass for CRs and one for LFs), and the CRLF text read as it is (Arrow
    # ends a line at LF or CRLF alike).
    if b'"' in data or data.startswith(b"\xef\xbb\xbf"):  # Arrow would drop a leading BOM that csv.reader keeps
        return None
    end = len(data) - (2 if data.endswith(b"\r\n") else 1 if data.endswith(b"\n") else 0)  # a final line end: no row
    if end <= 0:
        return None
    buf = np.frombuffer(data, dtype=np.uint8)
    cr = np.flatnonzero(buf == 13)
    if len(cr) and (cr[-1] + 1 >= len(buf) or (buf[cr + 1] != 10).any()):  # a CR outside CRLF line ends
        return None
    lf = np.flatnonzero(buf[:end] == 10)  # the line ends before the last line
    starts = np.concatenate(([0], lf + 1))
    lengths = np.append(lf, end) - starts
    lengths[:-1] -= buf[lf - 1] == 13 if len(lf) else 0  # the CR of a CRLF line end is not content
    if (lengths <= 0).any():
        return None  # csv.reader gives an empty row (no field) for an empty line; Arrow would give one field
    width = data.count(b",", 0, int(lf[0]) if len(lf) else end) + 1
    return data, end, [f"f{i}" for i in range(width)]


def head_lines(text: str, k: int) -> list[list[str]]:
    """The cells of the first ``k`` lines of a text :func:`csv_arrow` reads (lines split at commas, CRLF or LF line
    ends), without splitting the rest of the text."""
    end = -1
    for _ in range(k):
        end = text.find("\n", end + 1)
        if end < 0:
            end = len(text)
            break
    return [line.removesuffix("\r").split(",") for line in text[:end].split("\n")[:k]]


def _read_grid(data: bytes, end: int, types: dict, skip_rows: int):
    """Arrow's CSV reader on the checked grid bytes (columns typed by ``types``), or None when it refuses them."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        return pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data).slice(0, end)),
            read_options=pacsv.ReadOptions(column_names=list(types), use_threads=False, skip_rows=skip_rows,
                                           block_size=max(1 << 20, end + 1)),
            parse_options=pacsv.ParseOptions(delimiter=",", quote_char=False, double_quote=False, escape_char=False,
                                             newlines_in_values=False, ignore_empty_lines=False),
            # check_utf8 off: the bytes are str.encode("utf-8") of a str, valid UTF-8 by construction
            convert_options=pacsv.ConvertOptions(column_types=types, null_values=[], strings_can_be_null=False,
                                                 quoted_strings_can_be_null=False, check_utf8=False),
        )
    except (pa.ArrowInvalid, ValueError):  # lines of different widths, a cell that is not a number …
        return None


def require_columns(found: list[str] | pd.Index, expected: list[str] | tuple[str, ...], *, file, sheet=None, row=None) -> None:
    """Raise :class:`LayoutError` naming the first expected header that is missing."""
    present = [str(c) for c in found]
    for name in expected:
        if name not in present:
            raise LayoutError(
                file,
                f"header {name!r} (layout table lists {list(expected)})",
                found=present[:40],
                sheet=sheet,
                row=row,
                column=name,
            )


def find_row(rows: list[list[str]], predicate, *, file, what: str, sheet=None, limit: int = 60) -> int:
    """Index of the first of ``rows[:limit]`` satisfying ``predicate``, else :class:`LayoutError`."""
    for i, row in enumerate(rows[:limit]):
        if predicate(row):
            return i
    raise LayoutError(file, what, found=f"no such row in the first {limit} rows", sheet=sheet)


_LAYOUTS: dict[tuple, pd.DataFrame] = {}


def load_layout(source: str, name: str) -> pd.DataFrame:
    """Read ``hokuriku/sources/layouts/<source>/<name>.csv`` (layout-as-data, PUDL column_maps).

    Each file is parsed once per process and version (path, size and mtime); callers get a copy.
    """
    return shared_layout(source, name).copy()


def shared_layout(source: str, name: str) -> pd.DataFrame:
    """:func:`load_layout` without the copy: the one cached frame of the file's current version (the
    same object while the file is unchanged, so a loader may key derived lookups on it). Callers
    must not modify it."""
    path = paths.LAYOUTS / source / f"{name}.csv"
    try:
        stat = path.stat()
    except OSError:
        stat = None
    key = (str(path), stat.st_size, stat.st_mtime_ns) if stat is not None else None
    if key is not None and key in _LAYOUTS:
        return _LAYOUTS[key]
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#")
    if key is not None:
        _LAYOUTS[key] = frame
    return frame


_DERIVED: dict[tuple[str, str, str], tuple[pd.DataFrame, object]] = {}


def layout_derived(source: str, name: str, what: str, fn):  # noqa: ANN001, ANN201 - fn: the layout frame → anything
    """``fn`` of ``layouts/<source>/<name>.csv`` (its :func:`shared_layout` frame), made once per version of the
    file and recomputed when the file changes (a new frame). ``what`` names the derivation (one entry per source,
    file and ``what``). Read only: callers must not modify the result."""
    frame = shared_layout(source, name)
    key = (source, name, what)
    hit = _DERIVED.get(key)
    if hit is None or hit[0] is not frame:
        hit = _DERIVED[key] = (frame, fn(frame))
    return hit[1]


def nfkc(text: object) -> str:
    """NFKC-normalise a label (full-width → half-width ASCII, compatibility forms) and strip it."""
    return unicodedata.normalize("NFKC", str(text)).strip()


# --- Added for the GDP / area / census / 住基 loaders (additive helpers) -------------------------

_ERA_START = {"令和": 2018, "平成": 1988, "昭和": 1925, "大正": 1911, "明治": 1867}
_ERA_DATE = re.compile(r"(令和|平成|昭和|大正|明治)\s*(元|\d+)\s*年(?:\s*(\d+)\s*月(?:\s*(\d+)\s*日)?)?")


def parse_era_date(text: object) -> tuple[int, int | None, int | None] | None:
    """Read a Japanese era date (``令和8年4月1日``, ``平成23年度``, ``令和元年``) as (year, month, day).

    Full-width digits are accepted (NFKC). Month and day are None when the text does not give
    them; None is returned when no era date is found.

    >>> parse_era_date("令和８年４月１日(km2)")
    (2026, 4, 1)
    >>> parse_era_date("平成23年度")
    (2011, None, None)
    >>> parse_era_date("令和元年度")
    (2019, None, None)
    """
    match = _ERA_DATE.search(unicodedata.normalize("NFKC", str(text)))
    if match is None:
        return None
    era, year, month, day = match.groups()
    western = _ERA_START[era] + (1 if year == "元" else int(year))
    return (western, int(month) if month else None, int(day) if day else None)


def _noted(values: np.ndarray) -> np.ndarray:
    """Indices of the cells of an object array that are not None/NaN/NA (a C-level check)."""
    return np.flatnonzero(pd.notna(values))


def row_notes(reasons: dict[str, pd.Series]) -> pd.Series:
    """Combine per-column reason codes into one ``value_note`` per row (``"column:reason; ..."``).

    Wide tables (several value columns per row) keep the project's single ``value_note`` column
    this way; rows without any symbol get None. Rows are matched by position; a cell counts when
    it is not None (vectorised: only the rows with a note are joined in Python).
    """
    columns = list(reasons)
    if not columns:
        msg = "row_notes() needs at least one column of reasons"
        raise ValueError(msg)
    index = reasons[columns[0]].index
    n = len(index)
    parts: dict[int, list[str]] = {}
    for c in columns:
        values = reasons[c].to_numpy(dtype=object)
        if len(values) < n:
            msg = f"row_notes(): column {c!r} has {len(values)} reasons for {n} rows"
            raise IndexError(msg)
        values = values[:n]
        present = np.flatnonzero(np.fromiter((v is not None for v in values), dtype=bool, count=n))  # NaN counts
        for i in present.tolist():
            parts.setdefault(i, []).append(f"{c}:{values[i]}")
    out = np.full(n, None, dtype=object)
    for i, p in parts.items():
        out[i] = "; ".join(p)
    return pd.Series(out, index=index, dtype="object", name="value_note")


def combine_notes(notes: dict[str, pd.Series]) -> pd.Series:
    """One ``value_note`` per row from per-column reason codes: ``"col=reason; col=reason"``.

    ``notes`` maps a column name to its reasons (None/NaN where the cell was a number); rows whose
    cells were all numbers get None. Used when a wide row carries several measures. Vectorised:
    rows are grouped by their combination of reasons (factorised column by column in C) and each
    distinct combination is formatted once.

    >>> combine_notes({"a": pd.Series([None, "suppressed"]), "b": pd.Series(["nil", None])}).tolist()
    ['b=nil', 'a=suppressed']
    """
    columns = list(notes)
    if not columns:
        return pd.Series(dtype="object", name="value_note")
    index = notes[columns[0]].index
    n = len(index)
    cleaned = []  # per column: the reason where it is a non-empty str, else None
    combo = np.zeros(n, dtype=np.int64)  # which combination of reasons each row has (0 = none)
    size = 1  # combo < size
    for c in columns:
        series = notes[c]
        if not series.index.equals(index):
            series = series.reindex(index)
        values = series.to_numpy(dtype=object)
        cand = _noted(values)
        cells = values[cand]
        if pd.api.types.infer_dtype(cells, skipna=False) in ("string", "empty"):  # all str: compare in one C loop
            keep = cells != ""
        else:
            keep = np.fromiter((isinstance(r, str) and r != "" for r in cells), dtype=bool, count=len(cells))
        clean = np.full(n, None, dtype=object)
        clean[cand[keep]] = cells[keep]
        codes, uniques = pd.factorize(clean)  # None → -1
        cleaned.append(clean)
        if size * (len(uniques) + 1) >= 2**62:  # renumber the combinations seen so far (fewer than n): no overflow
            combo, seen = pd.factorize(combo)
            size = len(seen)
        combo = combo * (len(uniques) + 1) + (codes + 1)
        size *= len(uniques) + 1
    # Few distinct combinations: format each once (from its first row) and spread it to its rows.
    combo, _ = pd.factorize(combo)  # codes in order of first appearance
    first = np.flatnonzero(~pd.Series(combo).duplicated().to_numpy())
    texts = []
    for r in first.tolist():
        text = "; ".join(f"{c}={clean[r]}" for c, clean in zip(columns, cleaned, strict=True) if clean[r] is not None)
        texts.append(text or None)
    out = np.array(texts, dtype=object)[combo] if n else np.full(0, None, dtype=object)
    return pd.Series(out, index=index, dtype="object", name="value_note")


def read_csv_table(
    path: Path, encoding: str, required: list[str] | tuple[str, ...] = (), *, header_index: int = 0
) -> tuple[list[str], list[list[str]]]:
    """Header and body rows of a one-header CSV, checked for a layout change and for truncation.

    Raises :class:`LayoutError` when a ``required`` header is missing and :class:`RawDataError`
    naming the first row whose number of fields differs from the header's (a truncated download
    or a stray delimiter).
    """
    rows = read_csv_rows(path, encoding)
    if len(rows) <= header_index:
        raise RawDataError(path, "a header row", found="empty file")
    header, body = rows[header_index], rows[header_index + 1 :]
    require_columns(header, list(required), file=path, row=header_index + 1)
    for i, r in enumerate(body, start=header_index + 2):
        if len(r) != len(header):
            raise RawDataError(path, f"{len(header)} fields per row (truncated file?)", found=f"{len(r)} fields", row=i)
    return header, body


# --- Spreadsheet reader (one function, so the engine can be swapped in one place) ------------------

EXCEL_ENGINE = "calamine"
"""The reader of :func:`read_excel_rows`: ``calamine`` (python-calamine, the default; falls back to the
reference for the cells it cannot return identically) or ``openpyxl`` (the reference:
:func:`pandas.read_excel` with openpyxl, which ``tests/sources/test_readers.py`` compares it with)."""


def read_excel_rows(path: Path, sheet: str, *, engine: str = EXCEL_ENGINE) -> list[list[object]]:
    """All rows of one worksheet as Python values (blank cells → None), no type guessing.

    The cells are those of ``pandas.read_excel(header=None, dtype=object)`` with openpyxl (NaN → None;
    whole numbers ``int``); the ``calamine`` engine returns the same, about ten times faster
    (:func:`hokuriku.sources._readers.excel_rows`; a plain sheet straight from its XML,
    :func:`hokuriku.sources._readers.plain_sheet_rows`, twice as fast again).

    Raises :class:`LayoutError` naming the file and the sheets present when ``sheet`` is missing (a
    renamed sheet), and :class:`RawDataError` when the workbook cannot be opened (a truncated or
    corrupted download).
    """
    data = read_bytes(path)  # the sha256-verified bytes are the bytes parsed
    if engine == "calamine":
        from hokuriku.sources import _readers  # noqa: PLC0415

        rows = _readers.plain_sheet_rows(data, sheet)  # a plain sheet read from its XML (None: any other)
        if rows is not None:
            return rows
        try:
            book = _readers.workbook(data)
        except Exception as exc:  # BadZipFile, CalamineError: the bytes are not a workbook
            raise RawDataError(path, "a readable xlsx workbook (truncated or corrupted file?)",
                               found=f"{type(exc).__name__}: {exc}") from exc
        if sheet not in book.sheet_names:
            raise LayoutError(path, f"a sheet named {sheet!r}", found=book.sheet_names, sheet=sheet)
        try:
            rows = _readers.excel_rows(book, sheet, data)
        except Exception as exc:  # a corrupted sheet part
            raise RawDataError(path, "a readable xlsx workbook (truncated or corrupted file?)",
                               found=f"{type(exc).__name__}: {exc}", sheet=sheet) from exc
        if rows is not None:
            return rows
        engine = "openpyxl"  # error cells, dates: the reference reader
    try:
        book = pd.ExcelFile(io.BytesIO(data), engine=engine)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, XML errors: the bytes are not a workbook
        raise RawDataError(path, "a readable xlsx workbook (truncated or corrupted file?)",
                           found=f"{type(exc).__name__}: {exc}") from exc
    with book:
        if sheet not in book.sheet_names:
            raise LayoutError(path, f"a sheet named {sheet!r}", found=book.sheet_names, sheet=sheet)
        frame = pd.read_excel(book, sheet_name=sheet, header=None, dtype=object)
    return [[None if (isinstance(v, float) and math.isnan(v)) else v for v in row]
            for row in frame.itertuples(index=False)]
# --- Coverage and error containment (reusable by every loader; see docs/loader_guarantees.md) -------------


def check_unique(df: pd.DataFrame, keys: list[str] | tuple[str, ...], *, file: str | Path, what: str = "") -> None:
    """Raise :class:`LayoutError` when two rows share the same ``keys`` (a duplicated record).

    The message names the first duplicated key and how many rows carry it. Rows are equal as in
    ``DataFrame.duplicated`` (missing values equal each other); :func:`_has_duplicates` decides
    whether there is a duplicate, the message is computed only once one is known.
    """
    keys = list(keys)
    missing = [k for k in keys if k not in df.columns]
    if missing:
        raise LayoutError(file, f"key columns {keys}", found=f"missing {missing}")
    if not has_duplicates(df, keys):
        return
    dup = df.duplicated(keys, keep=False)
    if dup.any():
        rows = df.loc[dup, keys]
        first = rows.iloc[0]
        key = {k: (None if pd.isna(v) else str(v)) for k, v in first.items()}
        same = np.ones(len(rows), dtype=bool)
        for j, v in enumerate(first):  # missing values are equal here, as in duplicated()
            col = rows.iloc[:, j]
            same &= col.isna().to_numpy() if pd.isna(v) else (col == v).fillna(False).to_numpy(dtype=bool)
        n = int(same.sum())
        raise LayoutError(file, f"one row per {' × '.join(keys)}{' ' + what if what else ''}",
                          found=f"{n} rows for {key}")


_INT64_MAX = np.iinfo(np.int64).max


def has_duplicates(df: pd.DataFrame, keys: list[str]) -> bool:
    """``df.duplicated(keys).any()``: from the few base values of :func:`stack_columns`' columns
    (:func:`stacked_duplicates`), else on one int64 key per row (:func:`_has_duplicates`), else by pandas."""
    keys = list(keys)
    known = stacked_duplicates(df, keys)  # a long table of stack_columns: told by its few base values
    if known is None:
        known = _has_duplicates(df, keys)
    return bool(df.duplicated(keys).any()) if known is None else known


def _key_codes(col: pd.Series) -> tuple[np.ndarray, int]:
    """``(codes, n)``: int64 codes 0 … n-1 of one key column, equal values ⇔ equal codes.

    Values compare as in ``DataFrame.duplicated``: missing values share one code. Arrow-backed text
    is dictionary-encoded by Arrow directly (pandas' factorize does the same, with more copies);
    every other dtype goes through :func:`pandas.factorize`, the function ``duplicated`` uses.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    dtype = col.dtype
    arrow_text = ((isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow")
                  or (isinstance(dtype, pd.ArrowDtype) and (pa.types.is_string(dtype.pyarrow_dtype)
                                                             or pa.types.is_large_string(dtype.pyarrow_dtype))))
    if arrow_text:
        data = col.array.__arrow_array__()
        if isinstance(data, pa.ChunkedArray):  # one dictionary per column (combine_chunks copies even one chunk)
            data = data.chunk(0) if data.num_chunks == 1 else data.combine_chunks()
        encoded = pc.dictionary_encode(data, null_encoding="encode")
        return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64, copy=False), len(encoded.dictionary)
    codes, uniques = pd.factorize(col)  # the factorize of duplicated(); NA → -1: a code of its own, as there
    n = len(uniques)
    codes = codes.astype(np.int64, copy=False)
    if (codes < 0).any():
        codes = np.where(codes < 0, n, codes)
        n += 1
    return codes, n


def _has_duplicates(df: pd.DataFrame, keys: list[str]) -> bool | None:
    """Whether two rows of ``df`` share ``keys`` (as ``df.duplicated(keys).any()``), or None if undecided.

    Each key column becomes int codes (:func:`_key_codes`), combined into one int64 per row (mixed
    radix, re-factorized when the product of the radices would overflow); a row key appearing
    twice then leaves fewer distinct keys than rows: counted with a flag per possible key (small
    key space) or a hash table.
    """
    columns = [df[k] for k in keys]
    if not keys or len(df) < 2 or any(not isinstance(c, pd.Series) for c in columns):
        return None  # no keys (duplicated() raises) or a duplicated column label: the plain path decides
    if any(c.dtype == object and c.isna().any() for c in columns):
        return None  # duplicated() tells None, NaN and pd.NA apart in an object column; factorize does not
    ids, size = None, 1
    for col in columns:
        codes, n = _key_codes(col)
        if ids is None:
            ids, size = codes, n
            continue
        if size * n > _INT64_MAX:
            ids, uniques = pd.factorize(ids)
            size = len(uniques)
        ids = ids * n + codes
        size *= n
    if size <= 8 * len(ids) + 1024:  # a flag per possible row key (≤ 8 bytes a row)
        seen = np.zeros(size, dtype=bool)
        seen[ids] = True
        return int(np.count_nonzero(seen)) < len(ids)
    return len(pd.unique(ids)) < len(ids)


def check_count(found: int, expected: int, *, file: str | Path, what: str) -> None:
    """Raise :class:`LayoutError` when ``found`` rows/areas/items differ from the layout's ``expected``."""
    if int(found) != int(expected):
        change = "missing" if found < expected else "extra"
        raise LayoutError(file, f"{expected} {what}", found=f"{found} ({abs(int(expected) - int(found))} {change})")


def check_expected_set(found, expected, *, file: str | Path, what: str) -> None:
    """Raise :class:`LayoutError` naming the missing and extra members of ``found`` vs ``expected``."""
    found, expected = set(found), set(expected)
    if found != expected:
        missing, extra = sorted(map(str, expected - found)), sorted(map(str, found - expected))
        raise LayoutError(file, f"the {what} of the layout table", found=f"missing {missing[:10]}, extra {extra[:10]}")


def _lines_by_vintage_table(spec: pd.DataFrame) -> dict[tuple[str, str], list[int]]:
    index: dict[tuple[str, str], list[int]] = {}
    for i, line in enumerate(zip(spec["vintage"].tolist(), spec["table"].tolist(), strict=True)):
        index.setdefault(line, []).append(i)
    return index


def coverage_spec(source: str, vintage: str, table: str) -> pd.Series:
    """The ``layouts/<source>/coverage.csv`` line (``keys``, ``rows``) of one table and vintage.

    The file's lines are indexed by (vintage, table) once per version of the file (see :func:`shared_layout`).
    """
    spec = shared_layout(source, "coverage")
    hit = layout_derived(source, "coverage", "lines", _lines_by_vintage_table).get((str(vintage), table), [])
    if len(hit) != 1:
        raise LayoutError(f"layouts/{source}/coverage.csv", f"one line for vintage {vintage}, table {table!r}",
                          found=f"{len(hit)} lines (add the keys and row count of this vintage)")
    return spec.iloc[hit[0]]  # copy-on-write: a caller editing it cannot change the cached file


def check_coverage(df: pd.DataFrame, *, source: str, vintage: str, table: str, file: str | Path | None = None) -> pd.DataFrame:
    """Check a built table against its coverage line: unique keys and the published number of rows.

    A duplicated record fails the key check; a deleted, truncated or extra record fails the row
    count (``rows`` in ``layouts/<source>/coverage.csv``). Returns ``df`` unchanged.
    """
    try:
        spec = coverage_spec(source, vintage, table)
    except (LayoutError, FileNotFoundError):
        try:
            known = load_layout(source, "coverage")
            keys = known.loc[known["table"] == table, "keys"].iloc[-1]
        except (FileNotFoundError, IndexError):
            keys = "<key columns>"
        raise LayoutError(f"layouts/{source}/coverage.csv", f"a line for vintage {vintage}, table {table!r} in "
                          f"hokuriku/sources/layouts/{source}/coverage.csv",
                          found=f"none; after checking the table against the publisher's totals add "
                                f"'{vintage},{table},{keys},{len(df)}'") from None
    where = file or f"{source}/{vintage} table {table}"
    check_unique(df, spec["keys"].split(), file=where)
    check_count(len(df), int(spec["rows"]), file=where, what=f"rows (layouts/{source}/coverage.csv)")
    return df


def covered_tables(source: str, tables: dict) -> dict:
    """Wrap a module's ``TABLES`` builders so that each built table passes :func:`check_coverage`."""

    def wrap(name, build):
        def built(vintage):
            return check_coverage(build(vintage), source=source, vintage=str(vintage), table=name)

        built.__name__ = getattr(build, "__name__", name)
        built.__doc__ = build.__doc__
        built.__wrapped__ = build
        return built

    return {name: wrap(name, build) for name, build in tables.items()}


def contained(parse_fn):
    """Decorate a ``parse()`` so that only :class:`~hokuriku.errors.HokurikuError` escapes it.

    Any other exception raised while reading a malformed file (KeyError, IndexError, ValueError,
    JSONDecodeError, MergeError, RecursionError …) becomes a :class:`RawDataError` naming the file
    and the original error; the original is chained as ``__cause__``. Loaders still raise their own
    precise errors first; this is the guarantee for cases nobody foresaw.
    """
    import functools

    from hokuriku.errors import HokurikuError

    @functools.wraps(parse_fn)
    def guarded(path, *args, **kwargs):
        try:
            return parse_fn(path, *args, **kwargs)
        except HokurikuError:
            raise
        except (MemoryError, KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - converted, never swallowed
            file = kwargs.get("file") or (path if isinstance(path, (str, Path)) else parse_fn.__name__ + " input")
            raise RawDataError(file, "a file in the publisher's layout",
                               found=f"{type(exc).__name__}: {str(exc)[:200]}") from exc

    return guarded
