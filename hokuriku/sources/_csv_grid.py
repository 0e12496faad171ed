"""Column-wise reading of simple CSV text with pyarrow, giving exactly the cells of ``csv.reader``.

:func:`hokuriku.sources._parse.csv_arrow` covers quote-free text. e-Stat and some derived files quote
every field (``"a","b, c","d"``); such a line holds no other quote character, so ``csv.reader`` reads
it as the text between the ``","`` separators, which pyarrow's CSV reader (quotes on, no escapes, no
newlines in values) gives too, column by column in C++. The functions here prove that shape from the
text first and return None otherwise; the caller then reads row by row with
:func:`hokuriku.sources._parse.csv_rows` (which also reports a malformed line).
"""

from __future__ import annotations

import numpy as np


def simple_row(line: str, *, quoted: bool) -> list[str] | None:
    """The cells ``csv.reader`` gives for one line (no line end) that is empty, quote-free or fully quoted.

    ``quoted`` False: the text holds no quote at all (split on commas). None for any other line.
    """
    if not line:
        return []
    if not quoted or '"' not in line:
        return line.split(",")
    if len(line) >= 2 and line[0] == '"' and line[-1] == '"' and '"' not in line[1:-1].replace('","', ""):
        return line[1:-1].split('","')
    return None


def grid_arrow(text: str | bytes):  # noqa: ANN201 - a pyarrow.Table or None
    """The cells of CSV text as a ``pyarrow.Table`` of string columns ``f0 …``, or None.

    ``text`` is a grid: lines (``\\n`` or ``\\r\\n`` ends, a final line end adds no row) quote-free, fully
    quoted (see the module docstring) or quoted where needed (:func:`_quoted_fields`), none empty, all
    with the same number of cells, no NUL and no other CR. Then row ``i`` of the table is what ``csv.reader`` gives for line ``i``.
    None for any other text.
    """
    # Checked on the UTF-8 bytes: quote, comma, CR, LF and the marks are ASCII, never inside a multi-byte character.
    # Bytes (``text`` already encoded) are not decoded here: Arrow's reader refuses any that are not UTF-8.
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        data = text if isinstance(text, bytes) else text.encode("utf-8")
    except (ImportError, UnicodeError):
        return None
    if b"\x00" in data or b"\x01" in data or b"\x02" in data:
        return None
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n")
        if b"\r" in data:
            return None
    if data.endswith(b"\n"):
        data = data[:-1]
    if not data or data.startswith(b"\n") or data.endswith(b"\n") or b"\n\n" in data:
        return None  # an empty line is an empty row for csv.reader
    quoted = b'"' in data
    if quoted:
        # Fully quoted: every quote opens or closes a line or is part of a "," separator (mark those, none
        # may remain). Else quoted where needed: every quote opens or closes a field (_quoted_fields).
        if not _fully_quoted(data) and not _quoted_fields(data):
            return None
    end = data.find(b"\n")
    try:
        width = len(_reader_row((data[:end] if end >= 0 else data).decode("utf-8")))
    except UnicodeDecodeError:
        return None
    names = [f"f{i}" for i in range(width)]
    try:
        return pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=False,
                                           block_size=max(1 << 20, len(data) + 1)),
            parse_options=pacsv.ParseOptions(delimiter=",", quote_char='"' if quoted else False, double_quote=False,
                                             escape_char=False, newlines_in_values=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.large_string() for n in names}, null_values=[],
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, ValueError):  # lines of different widths: read row by row
        return None


def _fully_quoted(data: bytes) -> bool:
    """Return True when every quote of ``data`` (no CR, no empty line) opens or closes a line or belongs to a
    ``","`` separator: every line end is a ``"\\n"`` mark (between a closing and an opening quote) and, with
    the ``","`` and then the ``"\\n"`` marks taken out, only the opening quote of the first line and the
    closing quote of the last remain.

    Counted, not replaced (no copy of the text): where no ``","`` touches a ``"\\n"`` (``","\\n"``,
    ``"\\n","``) and neither sits at an end, taking the marks out removes two quotes per mark counted.
    """
    if not (data.startswith(b'"') and data.endswith(b'"')):
        return False
    if data.count(b"\n") != data.count(b'"\n"'):  # a line end inside a field (csv.reader keeps it, with its CR)
        return False
    if (data.startswith((b'","', b'"\n"')) or data.endswith((b'","', b'"\n"'))
            or b'","\n"' in data or b'"\n","' in data):  # marks that share a quote: take them out in order
        marked = data.replace(b'","', b"\x01").replace(b'"\n"', b"\x02")
        return marked.count(b'"') == 2 and marked.startswith(b'"') and marked.endswith(b'"')
    return data.count(b'"') - 2 * data.count(b'","') - 2 * data.count(b'"\n"') == 2


def _reader_row(line: str) -> list[str]:
    """``csv.reader``'s cells of one line (the first line of a grid, for its width)."""
    import csv

    return next(csv.reader([line]), [])


def _quoted_fields(body: bytes) -> bool:
    """Return True when every quote of ``body`` (UTF-8; no NUL, \\x01, CR or empty line) opens or closes a field.

    That is: split on quotes, the inner pieces (odd places) hold no line end, and every outer piece
    between two quoted fields is non-empty and starts and ends with a comma or a line end (the first
    outer piece only ends so, the last only starts so). Then ``csv.reader`` reads each quoted field as
    the text between its quotes and every other field as it stands, as pyarrow's reader does.

    Checked on the quote positions (numpy), not on the pieces: quote ``2k`` opens field ``k`` and quote
    ``2k + 1`` closes it; no line end lies between them; the byte after a closing quote and the byte
    before an opening quote (but the first) are a comma or a line end, and they are not the same byte.
    """
    a = np.frombuffer(body, dtype=np.uint8)
    quotes = np.flatnonzero(a == 34)
    if len(quotes) % 2:
        return False
    separator = (a == 44) | (a == 10)  # ',' or a line end
    if not len(quotes):  # one piece, first and last at once
        return not len(a) or bool(separator[-1] and separator[0])
    opening, closing = quotes[0::2], quotes[1::2]
    ends = np.flatnonzero(a == 10)
    if (np.searchsorted(ends, opening) != np.searchsorted(ends, closing)).any():  # a line end inside a field
        return False
    after, before = closing[:-1] + 1, opening[1:] - 1  # the first and last byte of each middle piece
    if not ((before >= after) & separator[after] & separator[before]).all():
        return False
    first_ok = opening[0] == 0 or bool(separator[opening[0] - 1])
    last_ok = closing[-1] == len(a) - 1 or bool(separator[closing[-1] + 1])
    return bool(first_ok and last_ok)
