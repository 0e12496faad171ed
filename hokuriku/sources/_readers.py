"""Fast raw-file readers that return exactly the cells of the reference readers.

- :func:`xlsx_sheets` reads a workbook with python-calamine (Rust; ≈10× faster than openpyxl on
  the ESRI 県民経済計算 workbooks) and returns each sheet as openpyxl's
  ``iter_rows(values_only=True)`` would: empty cells ``None``, numbers written without a decimal
  point ``int`` (openpyxl's rule), rows padded to the sheet's width. Trailing empty rows, which
  openpyxl reports up to the sheet's stored dimension and calamine drops, carry no cells.
- :func:`xlsx_sheets_openpyxl` is the reference (used by the agreement test and ``make bench``).

``tests/sources/test_readers.py`` checks cell for cell, on every workbook of the mirror, that the
two agree.
"""

from __future__ import annotations

from pathlib import Path


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
        import io  # noqa: PLC0415

        wb = CalamineWorkbook.from_filelike(io.BytesIO(bytes(path)))
    else:
        wb = CalamineWorkbook.from_path(str(path))
    out: dict[str, list[tuple]] = {}
    for name in wb.sheet_names:
        if names is not None and name not in names:
            continue
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        width = max((len(r) for r in rows), default=0)
        out[name] = [tuple(_cell(v) for v in r) + (None,) * (width - len(r)) for r in rows]
    return out


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
