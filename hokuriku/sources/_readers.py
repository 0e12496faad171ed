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

``tests/sources/test_readers.py`` checks cell for cell, on every workbook of the mirror, that the
two agree.
"""

from __future__ import annotations

import io
import zipfile
from itertools import chain, repeat
from pathlib import Path

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
