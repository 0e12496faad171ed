"""Fast raw-file readers that return exactly the cells of the reference readers.

- :func:`xlsx_sheets` reads a workbook with python-calamine (Rust; ≈10× faster than openpyxl on
  the ESRI 県民経済計算 workbooks) and returns each sheet as openpyxl's
  ``iter_rows(values_only=True)`` would: empty cells ``None``, numbers written without a decimal
  point ``int`` (openpyxl's rule), rows padded to the sheet's width. Trailing empty rows, which
  openpyxl reports up to the sheet's stored dimension and calamine drops, carry no cells.
- :func:`xlsx_sheets_openpyxl` is the reference (used by the agreement test and ``make bench``).
- :func:`excel_rows` reads one sheet with python-calamine and returns it exactly as
  ``pandas.read_excel(header=None, dtype=object, engine="openpyxl")`` does (the reference of
  :func:`hokuriku.sources._parse.read_excel_rows`), or None when the workbook holds a cell calamine
  cannot return as that reader does (an error cell, a date or time, an integer beyond 2**53): the
  caller then uses the reference reader.

- :func:`plain_sheet_rows` returns the same rows as :func:`excel_rows` for a *plain* sheet (shared strings
  and numbers only, no formula, date, boolean or error cell: the 住基 sheets) read straight from its XML
  with numpy and Arrow, about twice as fast as calamine; None for any other sheet.

``tests/sources/test_readers.py`` checks cell for cell, on every workbook of the mirror, that the
readers agree.
"""

from __future__ import annotations

import io
import re
import zlib
import zipfile
from itertools import chain, repeat
from pathlib import Path
from typing import NamedTuple

import numpy as np


def _cell(value: object) -> object:
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def xlsx_sheets(path: Path | str | bytes, names: list[str] | None = None) -> dict[str, list[tuple]]:
    """Rows of each sheet (all, or ``names``) of an .xlsx workbook, as openpyxl values_only tuples.

    ``path`` may be the workbook's bytes (already read and sha256-verified by the caller).

    Raises whatever python-calamine raises for an unreadable file; callers wrap it in their
    :class:`~hokuriku.errors.RawDataError`.
    """
    from python_calamine import CalamineWorkbook  # noqa: PLC0415

    if isinstance(path, (bytes, bytearray)):
        wb = CalamineWorkbook.from_filelike(io.BytesIO(bytes(path)))
    else:
        wb = CalamineWorkbook.from_path(str(path))
    return {name: sheet_values(wb, name) for name in wb.sheet_names if names is None or name in names}


def sheet_values(wb, name: str) -> list[tuple]:  # noqa: ANN001 - python_calamine.CalamineWorkbook
    """One sheet of a calamine workbook as openpyxl ``iter_rows(values_only=True)`` tuples (see the module doc)."""
    rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    width = max((len(r) for r in rows), default=0)
    if not width:
        return [() for _ in rows]
    return list(map(tuple, _cells(rows, width).tolist()))


def _cells(rows: list[list[object]], width: int) -> np.ndarray:
    """:func:`_cell` of every cell of ``rows`` (padded with empty cells to ``width``), in one numpy pass:
    a rows × width object array. Only the ``str`` and ``float`` cells can change, so only their types are
    looked up: ``""`` → None; a whole float below 2**53 → ``int``."""
    if any(len(r) != width for r in rows):
        rows = [list(r) + [""] * (width - len(r)) for r in rows]
    flat = list(chain.from_iterable(rows))
    kind = np.fromiter(map(_CELL_KIND.get, map(type, flat), repeat(0)), dtype=np.int8, count=len(flat))
    cells = np.empty(len(flat), dtype=object)
    cells[:] = flat
    is_str = kind == 2
    if is_str.any():
        blank = np.flatnonzero(is_str)[cells[is_str] == ""]
        cells[blank] = None
    is_float = kind == 1
    if is_float.any():
        values = cells[is_float].astype("float64")
        whole = np.isfinite(values) & (values == np.trunc(values)) & (np.abs(values) < _BIG)
        cells[np.flatnonzero(is_float)[whole]] = values[whole].astype("int64").astype(object)
    return cells.reshape(len(rows), width)


_CELL_KIND = {float: 1, str: 2}


def column_letter(index: int) -> str:
    """Excel's name of the 1-based column ``index`` (1 → ``A``, 27 → ``AA``), as openpyxl's
    ``get_column_letter`` gives it, without importing openpyxl (≈0.2 s) in every build process."""
    if index < 1:
        msg = f"column index must be ≥ 1, got {index}"
        raise ValueError(msg)
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def xlsx_sheets_openpyxl(path: Path | str, names: list[str] | None = None) -> dict[str, list[tuple]]:
    """The reference reader: openpyxl read-only, ``data_only`` (cached formula values)."""
    import openpyxl  # noqa: PLC0415

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return {name: list(wb[name].iter_rows(values_only=True)) for name in wb.sheetnames
                if names is None or name in names}
    finally:
        wb.close()


def strip_trailing_empty(rows: list[tuple]) -> list[tuple]:
    """Rows without trailing all-empty rows and trailing empty cells (for comparing readers)."""
    out = [tuple(r) for r in rows]
    while out and all(v is None for v in out[-1]):
        out.pop()
    trimmed = []
    for r in out:
        r = list(r)
        while r and r[-1] is None:
            r.pop()
        trimmed.append(tuple(r))
    return trimmed


# --- one sheet as pandas.read_excel(header=None, dtype=object, engine="openpyxl") returns it --------------

_ERROR_MARKS = (b' t="e"', b" t='e'")  # the cell attribute of an error value (an over-broad match only costs speed)
_BIG = 2.0**53


def _na_strings() -> frozenset[str]:
    from pandas._libs.parsers import STR_NA_VALUES  # noqa: PLC0415 - the strings read_excel turns into NaN

    return frozenset(STR_NA_VALUES)


def has_error_cells(data: bytes) -> bool:
    """Whether any worksheet of the .xlsx ``data`` holds an error cell (``#N/A``, ``#DIV/0!`` …, ``t="e"``).

    openpyxl reads them as errors (pandas: NaN) where calamine returns an empty string.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = z.read(name)
                if any(mark in xml for mark in _ERROR_MARKS):
                    return True
    return False


def workbook(data: bytes):  # noqa: ANN201 - python_calamine.CalamineWorkbook
    """The calamine workbook of .xlsx bytes.

    Only an Office Open XML workbook is opened (a zip holding ``[Content_Types].xml`` and
    ``xl/workbook.xml``, as openpyxl requires): calamine would also read .xls, .xlsb and .ods bytes,
    which the reference reader refuses. Raises ``zipfile.BadZipFile``, ``ValueError`` or what
    python-calamine raises on unreadable bytes; callers wrap them in their RawDataError.
    """
    from python_calamine import CalamineWorkbook  # noqa: PLC0415

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
    if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        msg = "not an .xlsx workbook (no [Content_Types].xml and xl/workbook.xml in the zip)"
        raise ValueError(msg)
    return CalamineWorkbook.from_filelike(io.BytesIO(bytes(data)))


def excel_rows(wb, sheet: str, data: bytes) -> list[list[object]] | None:  # noqa: ANN001
    """Rows of ``sheet`` of the calamine workbook ``wb`` (opened from ``data``) as the reference reader gives them.

    The reference, pandas' openpyxl reader with ``header=None, dtype=object`` and NaN → None: empty
    cells and pandas' NA strings (``"NA"``, ``"null"``, ``"#N/A"`` …) → None; a whole number → ``int``;
    trailing empty cells and rows dropped, then every row padded with None to the widest row; empty
    rows before the last row with data kept. Returns None (use the reference) when the workbook holds
    an error cell, a date or time, or an integer too large for a float to hold exactly.
    """
    if has_error_cells(data):
        return None
    try:
        return _rows_as_pandas(wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False))
    except _NotExact:
        return None


class _NotExact(Exception):
    """A cell calamine cannot return as openpyxl does."""


_KIND = {str: 0, float: 1, int: 2, bool: 3}
"""Cell types calamine returns that openpyxl reads the same way (datetime, date, time, timedelta differ)."""


def _rows_as_pandas(raw: list[list[object]]) -> list[list[object]]:
    """Calamine's rows (``to_python(skip_empty_area=False)``) converted as the reference reader gives them.

    Vectorised over the sheet (one object array): each cell's type is looked up once (an unknown type,
    a date or time, raises :class:`_NotExact`), the float cells are tested for whole numbers in numpy,
    the text cells against pandas' NA strings with one set lookup each. A row's trailing ``""`` cells
    and the trailing empty rows are dropped, then rows are padded with None to the widest row — the same
    as trimming every cell that is ``""`` to None and cutting the grid to the last row and column that
    hold anything else.
    """
    width = max(map(len, raw), default=0)
    if not width:
        return []
    if any(len(r) != width for r in raw):
        raw = [list(r) + [""] * (width - len(r)) for r in raw]
    flat = list(chain.from_iterable(raw))
    try:
        kind = np.fromiter(map(_KIND.__getitem__, map(type, flat)), dtype=np.int8, count=len(flat))
    except KeyError:
        raise _NotExact from None
    cells = np.empty(len(flat), dtype=object)
    cells[:] = flat
    is_str = kind == 0
    text = cells[is_str]
    blank = np.zeros(len(flat), dtype=bool)
    blank[is_str] = text == ""
    na = np.zeros(len(flat), dtype=bool)
    na[is_str] = np.fromiter(map(_na_strings().__contains__, text), dtype=bool, count=len(text))
    is_float = kind == 1
    if is_float.any():
        values = cells[is_float].astype("float64")
        whole = np.isfinite(values) & (values == np.trunc(values))
        if (whole & ~(np.abs(values) < _BIG)).any():  # beyond 2**53: openpyxl reads an integer literal exactly
            raise _NotExact
        where = np.flatnonzero(is_float)[whole]
        cells[where] = values[whole].astype("int64").astype(object)
    cells[na | blank] = None
    grid = cells.reshape(len(raw), width)
    filled = ~blank.reshape(len(raw), width)
    rows_with_data = np.flatnonzero(filled.any(axis=1))
    if not rows_with_data.size:
        return []
    used = int(width - np.argmax(filled[:, ::-1].any(axis=0)))
    return grid[: rows_with_data[-1] + 1, :used].tolist()


# --- a plain worksheet read straight from its XML (the 住基 workbooks) ------------------------------------------

_SHEET_ENTRY = re.compile(rb'<sheet name="([^"]*)" sheetId="\d+"(?: state="\w+")? r:id="([^"]+)"/>')
_PHONETIC_AND_FORMAT = re.compile(rb"<(?:rPh\b.*?</rPh>|phoneticPr\b[^>]*/>|rPr>.*?</rPr>)")
_TEXT_TAGS = (b'<t xml:space="preserve">', b"<t>", b"</t>", b"<r>", b"</r>")
_XML_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&"))


class PlainSheet(NamedTuple):
    """A plain sheet as :func:`plain_sheet` reads it: the rows of :func:`excel_rows` and the same cells as
    grids (rows × columns, as wide as the rows): the objects, and each number cell's value as a float."""

    rows: list[list[object]]
    cells: np.ndarray  # object
    numbers: np.ndarray  # float64; NaN where the cell is no number
    is_number: np.ndarray  # bool: an int or float cell (always finite)


def plain_sheet_rows(data: bytes, sheet: str) -> list[list[object]] | None:
    """:func:`plain_sheet`'s rows (exactly as :func:`excel_rows` returns them), or None."""
    got = plain_sheet(data, sheet)
    return None if got is None else got.rows


def plain_sheet(data: bytes, sheet: str) -> PlainSheet | None:
    """Rows of ``sheet`` of the .xlsx bytes ``data`` exactly as :func:`excel_rows` returns them, or None.

    For a plain sheet — every cell ``<c r="A1" [s="…"] [t="s"]>`` holding one ``<v>`` (a shared string or
    a number) or nothing; no formula, inline string, boolean, error or date cell; shared strings plain
    text (runs and 振り仮名 allowed, only the five named XML entities) — the cells are found in the sheet's
    XML with numpy (the markup checked byte by byte; counts must match), numbers converted by Arrow
    (correctly rounded, as Python's ``float``) and the grid built as :func:`_rows_as_pandas` does: about
    twice as fast as calamine on the 住基 sheets, which are all plain. The parts read (workbook, its
    relationships, shared strings, styles, and the sheet around its cells) must be well-formed XML. None
    for anything else (the caller then reads with calamine/openpyxl, which also raise on unreadable bytes).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            if not {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"} <= names:
                return None
            book, rels = z.read("xl/workbook.xml"), z.read("xl/_rels/workbook.xml.rels")
            if not (_well_formed(book) and _well_formed(rels)):
                return None
            entries = {_xml_text(n.decode("utf-8")): rid for n, rid in _SHEET_ENTRY.findall(book)}
            parts = _relationships(rels)
            if (book.count(b"<sheet ") != len(entries) or sheet not in entries
                    or parts.get(entries[sheet], ("", ""))[0] != "worksheet"):
                return None
            kinds = [kind for kind, _ in parts.values()]
            if kinds.count("sharedStrings") > 1 or kinds.count("styles") > 1:
                return None
            part = {kind: target for kind, target in parts.values() if kind in ("sharedStrings", "styles")}
            part["sheet"] = parts[entries[sheet]][1]
            if any(p not in names for p in part.values()):
                return None
            xml = z.read(part["sheet"])
            strings, number_styles = [], np.ones(1, dtype=bool)  # none: no text; openpyxl's default style
            if "sharedStrings" in part:
                sst = z.read(part["sharedStrings"])
                strings = _plain_strings(sst) if _well_formed(sst) else None
            if "styles" in part:
                styles = z.read(part["styles"])
                number_styles = _number_styles(styles) if _well_formed(styles) else None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, zlib.error, UnicodeDecodeError):
        return None
    if strings is None or number_styles is None:
        return None
    try:
        return _plain_cells(xml, strings, number_styles)
    except (IndexError, ValueError, OverflowError):  # markup cut short, a damaged part: the other readers report it
        return None


_RELATIONSHIP_TAG = re.compile(rb"<Relationship\b([^>]*?)/?>")
_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')


def _relationships(rels: bytes) -> dict[bytes, tuple[str, str]]:
    """Id → (the relationship type's last word, the part's name in the zip) of ``workbook.xml.rels``."""
    out = {}
    for attributes in _RELATIONSHIP_TAG.findall(rels):
        a = dict(_ATTRIBUTE.findall(attributes))
        if b"Id" in a and b"Type" in a and b"Target" in a and a.get(b"TargetMode", b"Internal") == b"Internal":
            target = _xml_text(a[b"Target"].decode("utf-8"))
            name = target.lstrip("/") if target.startswith("/") else "xl/" + target
            out[a[b"Id"]] = (a[b"Type"].decode("utf-8").rsplit("/", 1)[-1], name)
    return out


def _well_formed(doc: bytes) -> bool:
    """Whether ``doc`` is well-formed XML (expat, no namespace processing)."""
    from xml.parsers import expat  # noqa: PLC0415

    try:
        expat.ParserCreate().Parse(doc, True)
    except (expat.ExpatError, LookupError, ValueError):
        return False
    return True


def _xml_text(text: str) -> str:
    if "&" in text:
        for entity, char in _XML_ENTITIES:
            text = text.replace(entity, char)
    return text


def _plain_strings(xml: bytes) -> list[str] | None:
    """The shared strings of ``sharedStrings.xml`` as openpyxl reads them (runs joined, 振り仮名 ``rPh`` left
    out), or None when one holds markup or escapes this reading does not cover."""
    if any(mark in xml for mark in (b"<si/>", b"<si ")):
        return None
    start, end = xml.find(b"<si>"), xml.rfind(b"</si>")
    if start < 0:
        return [] if b"<si" not in xml else None
    inner = xml[start + 4:end]
    if any(mark in inner for mark in (b"&#", b"_x", b"x005F_", b"\r", b"<![CDATA[")):
        return None
    inner = _PHONETIC_AND_FORMAT.sub(b"", inner)  # 振り仮名 runs and run formats, with the text they hold
    for tag in _TEXT_TAGS:  # then the text and run tags themselves (their text stays)
        inner = inner.replace(tag, b"")
    pieces = inner.count(b"</si><si>") + 1
    bare = inner.replace(b"</si><si>", b"")
    if pieces != xml.count(b"<si>") or b"<" in bare or b">" in bare:
        return None
    texts = inner.decode("utf-8").split("</si><si>")
    return [_xml_text(t) for t in texts] if "&" in bare.decode("utf-8") else texts


def _slices(a: np.ndarray, starts: np.ndarray, ends: np.ndarray, kind):  # noqa: ANN001, ANN202 - a pyarrow type
    """The byte slices ``a[starts[k]:ends[k]]`` (in order, not overlapping) as an Arrow array of ``kind``, or None
    when one does not convert (Arrow's conversions refuse what Python's ``int``/``float`` would misread)."""
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.compute as pc  # noqa: PLC0415

    m = len(starts)
    offsets = np.empty(2 * m + 1, dtype=np.int32)  # value k between starts[k] and ends[k]; the markup between
    offsets[0:-1:2] = starts
    offsets[1::2] = ends
    offsets[-1] = ends[-1] if m else 0
    texts = pa.StringArray.from_buffers(2 * m, pa.py_buffer(offsets), pa.py_buffer(a)).take(np.arange(0, 2 * m, 2))
    if kind == pa.int64() and not pc.all(pc.ascii_is_decimal(texts)).as_py():  # digits only (no sign, no space)
        return None
    try:
        return texts.cast(kind)
    except pa.ArrowInvalid:
        return None


_NOT_DATE_FORMATS = frozenset([*range(14), *range(37, 45), 48, 49])
"""Built-in number formats that are no date or time (openpyxl reads a number in any other as a date)."""
_XF = re.compile(rb"<xf\b([^>]*?)/?>")
_NUM_FMT_ID = re.compile(rb'numFmtId="(\d+)"')
_NUM_FMT = re.compile(rb'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"/>')


def _number_styles(xml: bytes) -> np.ndarray | None:
    """Per cell style (``cellXfs`` index) of ``styles.xml``: True where a number is read as a number, not a
    date or time — a built-in format of :data:`_NOT_DATE_FORMATS` or a custom code without a letter. None
    when the part is not read here."""
    start, end = xml.find(b"<cellXfs"), xml.find(b"</cellXfs>")
    if start < 0 or end < start:
        return None
    custom = {int(k): not re.search(rb"[A-Za-z]", code) for k, code in _NUM_FMT.findall(xml)}
    if xml.count(b"<numFmt ") != len(custom):
        return None
    ok = []
    for attributes in _XF.findall(xml[start:end]):
        found = _NUM_FMT_ID.search(attributes)
        fmt = int(found.group(1)) if found else 0
        ok.append(custom[fmt] if fmt in custom else fmt in _NOT_DATE_FORMATS)
    return np.array(ok, dtype=bool)


_MAIN_NAMESPACE = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _rows_well_formed(doc: bytes, a: np.ndarray, lt: np.ndarray, tag: np.ndarray, start: int, end: int,
                      cell_tags: np.ndarray, cell_row: np.ndarray) -> bool:
    """Whether the sheet's XML ``doc`` is well formed but for the cells' own markup (which
    :func:`_plain_cells` checks byte by byte): every ``</row>`` exact and closing the row opened last, no
    tag outside a row, every row tag ``<row r="N" …>`` with its cells in row N (0-based ``cell_row`` of the
    cell tags ``cell_tags``), and the document with the cells left out parsed by expat (so a damaged
    declaration, sheet property or row attribute is refused, as calamine and openpyxl refuse it).
    ``lt``/``tag``: the position and first four bytes of each tag between ``start`` and ``end``.
    """
    import pyarrow as pa  # noqa: PLC0415
    from xml.parsers import expat  # noqa: PLC0415

    row_tags = np.flatnonzero(tag == _word(b"<row"))
    close_tags = np.flatnonzero(tag == _word(b"</ro"))
    row_at, close_at = lt[row_tags], lt[close_tags]
    if not len(row_tags) or not ((a[close_at + 4] == 119) & (a[close_at + 5] == 62)).all():  # '</row>'
        return False
    following = np.append(lt[row_tags[:-1] + 1], lt[row_tags[-1] + 1] if row_tags[-1] + 1 < len(lt) else end)
    if not (a[following - 1] == 62).all():  # each row tag ends just before the next tag
        return False
    empty = a[following - 2] == 47  # '<row …/>'
    opened = row_tags[~empty]
    if len(opened) != len(close_tags):
        return False
    next_row = np.append(row_tags, len(lt))[np.searchsorted(row_tags, opened) + 1]
    inside = close_tags - opened - 1  # the tags between a row's tag and its end tag
    if not ((close_tags > opened) & (close_tags < next_row)).all() or \
            int(inside.sum()) != len(lt) - len(row_tags) - len(close_tags):  # every other tag in a row
        return False
    # the row numbers: ' r="N"' first, N the row of each of its cells
    if not ((a[row_at + 4] == 32) & (a[row_at + 5] == 114) & (a[row_at + 6] == 61) & (a[row_at + 7] == 34)).all():
        return False
    window = np.lib.stride_tricks.sliding_window_view(a, 9)[row_at + 8]
    quote = np.argmax(window == 34, axis=1)
    if not ((quote > 0) & (window[np.arange(len(row_at)), quote] == 34)).all():
        return False
    numbers = _slices(a, row_at + 8, row_at + 8 + quote, pa.int64())
    if numbers is None:
        return False
    owner = np.searchsorted(opened, cell_tags) - 1  # the open row each cell tag is in
    if not (numbers.to_numpy()[~empty][owner] - 1 == cell_row).all():
        return False
    tags = list(map(doc.__getitem__, map(slice, row_at.tolist(), following.tolist())))
    if empty.any():
        skeleton = b"".join(t if z else t + b"</row>" for t, z in zip(tags, empty.tolist(), strict=True))
    else:  # each row's tag and its end tag
        skeleton = b"</row>".join(tags) + b"</row>"
    head = doc[:start]
    if head.count(b"xmlns=") != 1 or _MAIN_NAMESPACE not in head:  # the cells' elements in SpreadsheetML's namespace
        return False
    try:
        expat.ParserCreate().Parse(head + skeleton + doc[end:], True)
    except (expat.ExpatError, LookupError, ValueError):  # malformed, an unknown encoding
        return False
    return True


def _word(text: bytes) -> int:
    """``text`` (at most 8 bytes) as the little-endian integer an unaligned view of that many bytes reads."""
    return int.from_bytes(text, "little")


def _plain_cells(xml: bytes, strings: list[str], number_styles: np.ndarray) -> PlainSheet | None:  # noqa: C901, PLR0911
    """:func:`_rows_as_pandas` of the cells of a plain worksheet's XML (see :func:`plain_sheet_rows`), or None.

    Every tag between ``<sheetData>`` and ``</sheetData>`` must be ``<row …>``, ``</row>``, ``<c r="REF"
    [s="N"] [t="s"]>`` (or ``/>``), ``</c>``, ``<v>``, ``</v>``, and every ``<v>`` sit in a ``<c>`` as
    ``<c …><v>text</v></c>``: checked on the bytes after each ``<`` (numpy; 2-, 4- and 8-byte words read at
    any offset), so nothing else is skipped. A number cell must have a style of ``number_styles`` (no date).
    """
    import pyarrow as pa  # noqa: PLC0415
    from numpy.lib.stride_tricks import sliding_window_view  # noqa: PLC0415

    start, end = xml.find(b"<sheetData>"), xml.rfind(b"</sheetData>")
    if start < 0 or end < start:  # (a tag in between other than those of cells and rows: refused below)
        return None
    if b"&" in xml[start:end]:  # an entity in the cells' markup (none in numbers and string indices)
        return None
    a = np.frombuffer(xml, dtype=np.uint8)  # '</sheetData>' and more follow the last cell: no view reads past the end
    size = len(a) - 8
    u16, u32, u64 = (np.ndarray((size,), dtype=t, buffer=a, strides=(1,)) for t in ("<u2", "<u4", "<u8"))
    start += len(b"<sheetData>")
    lt = np.flatnonzero(a[start:end] == 60) + start  # '<'
    tag = u32[lt]
    is_cell = tag == _word(b'<c r')
    is_value = (tag & 0xFFFFFF) == _word(b"<v>")
    closes_cell = tag == _word(b"</c>")
    known = is_cell | is_value | closes_cell | np.isin(tag, [_word(b"<row"), _word(b"</ro"), _word(b"</v>")])
    if not known.all():
        return None
    cell_tags = np.flatnonzero(is_cell)
    cell = lt[cell_tags]
    n = len(cell)
    if n == 0 or not (u16[cell + 4] == _word(b'="')).all():  # '<c r="'
        return None
    window = sliding_window_view(a, 11)[cell + 6]  # the reference: 1–3 letters, digits, '"'
    n_letters = np.argmin((window[:, :4] >= 65) & (window[:, :4] <= 90), axis=1)
    quote = np.argmax(window == 34, axis=1)
    if not ((n_letters >= 1) & (quote > n_letters) & (window[np.arange(n), quote] == 34)).all():
        return None
    rows = _slices(a, cell + 6 + n_letters, cell + 6 + quote, pa.int64())
    if rows is None:
        return None
    row = rows.to_numpy() - 1
    letters = window[:, :3].astype(np.int64) - 64
    column = np.select([n_letters == 1, n_letters == 2], [letters[:, 0], letters[:, 0] * 26 + letters[:, 1]],
                       (letters[:, 0] * 26 + letters[:, 1]) * 26 + letters[:, 2]) - 1
    if (row < 0).any() or not _rows_well_formed(xml, a, lt, tag, start, end, cell_tags, row):
        return None
    # then [ s="N"] [ t="s"] and '>' or '/>'
    at = cell + 7 + quote
    styled = u32[at] == _word(b' s="')
    style = np.zeros(n, dtype=np.int64)
    if styled.any():
        style_at = at[styled] + 4
        style_window = sliding_window_view(a, 8)[style_at]
        style_end = np.argmax(style_window == 34, axis=1)
        inside = np.arange(8) < style_end[:, None]
        if not ((style_end > 0) & (style_window[np.arange(len(style_at)), style_end] == 34)).all() \
                or not (((style_window >= 48) & (style_window <= 57)) | ~inside).all():  # s="digits"
            return None
        if not number_styles.all():  # some style is a date: which one each cell has matters
            styles = _slices(a, style_at, style_at + style_end, pa.int64())
            if styles is None:
                return None
            style[styled] = styles.to_numpy()
        at[styled] += 5 + style_end
    shared = (u64[at] & 0xFFFFFFFFFFFF) == _word(b' t="s"')
    at[shared] += 6
    self_closed = u16[at] == _word(b"/>")
    if not ((a[at] == 62) | self_closed).all():
        return None
    close = np.where(self_closed, at + 1, at)
    has_value = ~self_closed & (u32[close] == _word(b"><v>"))
    empty = ~self_closed & ~has_value
    closes_value = tag == _word(b"</v>")
    if (int(has_value.sum()) != int(is_value.sum()) or int(closes_value.sum()) != int(is_value.sum())
            or int(closes_cell.sum()) != int((~self_closed).sum())):
        return None
    if (shared & ~has_value).any() or not has_value.any():
        return None
    if empty.any() and not (u32[close[empty] + 1] == _word(b"</c>")).all():
        return None
    key = row * 16384 + column
    if not (np.diff(key) > 0).all():  # cells in reading order, none twice (else: the other readers)
        return None
    v_start = close[has_value] + 4
    next_tag = np.searchsorted(lt, v_start)
    if (next_tag >= len(lt)).any():
        return None
    v_end = lt[next_tag]
    if not (u64[v_end] == _word(b"</v></c>")).all():
        return None
    height, width = int(row.max()) + 1, int(column.max()) + 1
    if height * width > 10 * n + 100_000:  # a sparse sheet: not worth a dense grid
        return None
    cells = np.full(height * width, None, dtype=object)
    filled = np.zeros(height * width, dtype=bool)
    numbers = np.full(height * width, np.nan)
    where = (row * width + column)[has_value]
    value_shared = shared[has_value]
    if value_shared.any():
        at_text = np.flatnonzero(value_shared)
        found = _slices(a, v_start[at_text], v_end[at_text], pa.int64())
        if found is None:
            return None
        idx = found.to_numpy()
        if (idx < 0).any() or (idx >= len(strings)).any():
            return None
        table = np.empty(len(strings), dtype=object)
        table[:] = strings
        na_strings = _na_strings()
        na = np.fromiter((s in na_strings for s in strings), dtype=bool, count=len(strings))
        blank = np.fromiter((s == "" for s in strings), dtype=bool, count=len(strings))
        text_at = where[value_shared]
        cells[text_at] = np.where(na[idx] | blank[idx], None, table[idx])
        filled[text_at] = ~blank[idx]
    number = ~value_shared
    if number.any():
        at_number = np.flatnonzero(number)
        number_style = style[has_value][at_number]
        if not number_styles.all() and ((number_style >= len(number_styles)).any()
                                        or not number_styles[number_style].all()):
            return None  # a date or time format, or a style not in styles.xml
        found = _slices(a, v_start[at_number], v_end[at_number], pa.float64())  # correctly rounded, as float()
        if found is None:
            return None
        values = found.to_numpy()
        if not np.isfinite(values).all():
            return None
        whole = values == np.trunc(values)
        if (whole & ~(np.abs(values) < _BIG)).any():  # beyond 2**53: openpyxl reads an integer literal exactly
            return None
        out = np.empty(len(values), dtype=object)
        out[whole] = values[whole].astype(np.int64).astype(object)
        out[~whole] = values[~whole].astype(object)
        num_at = where[number]
        cells[num_at] = out
        filled[num_at] = True
        numbers[num_at] = values
    grid = cells.reshape(height, width)
    filled = filled.reshape(height, width)
    rows_with_data = np.flatnonzero(filled.any(axis=1))
    if not rows_with_data.size:
        return PlainSheet([], np.empty((0, 0), dtype=object), np.empty((0, 0)), np.empty((0, 0), dtype=bool))
    used = int(width - np.argmax(filled[:, ::-1].any(axis=0)))
    cut = (slice(0, rows_with_data[-1] + 1), slice(0, used))
    grid, numbers = grid[cut], numbers.reshape(height, width)[cut]
    return PlainSheet(grid.tolist(), grid, numbers, ~np.isnan(numbers))
