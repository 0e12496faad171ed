"""Reading an input–output transactions sheet (取引基本表) laid out as the publishers print it.

Shared by the 総務省 tool (:mod:`hokuriku.sources.io_mic_2015`) and the prefectural tables
(:mod:`hokuriku.sources.io_miyazaki`): column A holds row codes, column B row names, one header row
holds column codes and the next one column names. Which rows and columns exist, what kind each is
(``sector``, ``final_demand``, ``export``, ``import``, ``value_added``, ``subtotal``, ``output``) and
which printed subtotals must equal which sums (``sum_of``) are layout tables
(``layouts/<source>/{rows,columns}.csv``), never ``if`` branches.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from hokuriku.errors import LayoutError, RawDataError
from hokuriku.sources import _parse, _readers

LONG_COLUMNS = ["row_code", "row_name_ja", "row_kind", "col_code", "col_name_ja", "col_kind"]


def read_sheet(path: Path, sheet: str) -> list[tuple]:
    """All cell values of one sheet (cached values of formulas), or a :class:`RawDataError`."""
    return read_sheets(path, [sheet])[sheet]


def read_sheets(path: Path, sheets: list[str]) -> dict[str, list[tuple]]:
    """Cell values of ``sheets`` (cached values of formulas) as openpyxl's ``values_only`` rows.

    Read with python-calamine (:func:`hokuriku.sources._readers.sheet_values`, the same cells as
    openpyxl: ``tests/sources/test_readers.py``) from the sha256-verified bytes, the workbook opened
    once; a workbook holding error cells (``#N/A`` …, which calamine reads as blanks) is read with
    openpyxl, the reference. A truncated or non-xlsx file is a :class:`RawDataError`, a missing sheet
    a :class:`LayoutError`.
    """
    data = _parse.read_bytes(path)  # the sha256-verified bytes are the bytes parsed
    try:
        wb = _readers.workbook(data)
        errors = _readers.has_error_cells(data)
    except Exception as exc:  # BadZipFile, CalamineError …: a truncated or non-xlsx file
        raise RawDataError(path, "a readable .xlsx workbook", found=f"{type(exc).__name__}: {exc}") from exc
    for sheet in sheets:
        if sheet not in wb.sheet_names:
            raise LayoutError(path, f"a sheet named {sheet!r}", found=wb.sheet_names)
    if errors:
        return _read_sheets_openpyxl(path, data, sheets)
    try:
        return {sheet: _readers.sheet_values(wb, sheet) for sheet in sheets}
    except Exception as exc:  # a corrupted sheet part
        raise RawDataError(path, "a readable .xlsx workbook", found=f"{type(exc).__name__}: {exc}") from exc


def _read_sheets_openpyxl(path: Path, data: bytes, sheets: list[str]) -> dict[str, list[tuple]]:
    try:
        import openpyxl  # noqa: PLC0415 - the reference reader, for workbooks with error cells only

        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # BadZipFile, KeyError …: a truncated or non-xlsx file
        raise RawDataError(path, "a readable .xlsx workbook", found=f"{type(exc).__name__}: {exc}") from exc
    try:
        return {sheet: [tuple(r) for r in wb[sheet].iter_rows(values_only=True)] for sheet in sheets}
    finally:
        wb.close()


def _code(value: object) -> str:
    return _parse.nfkc(value) if value is not None else ""


def _label(value: object) -> str:
    return "".join(_parse.nfkc(value).split()) if value is not None else ""


def _number(value: object, *, path: Path, sheet: str, row: int, col: int) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RawDataError(path, "a number (百万円 / 万円 / coefficient)", found=value, sheet=sheet, row=row,
                           column=_readers.column_letter(col))
    return float(value)


def read_matrix(path: Path, sheet: str, grid: list[tuple], *, rows: pd.DataFrame, cols: pd.DataFrame,
                code_row: int, name_row: int, first_row: int, first_col: int = 3,
                filled: dict[str, set[str]] | None = None) -> pd.DataFrame:
    """Read the block of a transactions or inverse sheet into a tidy long frame.

    ``code_row``/``name_row``/``first_row`` are 1-based sheet rows; ``first_col`` the 1-based column
    of the first data column. Header codes and names must equal the layout in order (names compared
    after NFKC and with white space removed). ``filled`` maps a row kind to the column kinds that
    must hold a number; every other cell must be blank. Returns ``LONG_COLUMNS`` + ``value``.
    """
    filled = filled or {}
    col_specs = cols.to_dict("records")
    row_specs = rows.to_dict("records")
    if len(grid) < first_row + len(row_specs) - 1:
        raise LayoutError(path, f"at least {first_row + len(row_specs) - 1} rows", found=len(grid), sheet=sheet)
    head_codes = [_code(v) for v in grid[code_row - 1][first_col - 1:first_col - 1 + len(col_specs)]]
    head_names = [_label(v) for v in grid[name_row - 1][first_col - 1:first_col - 1 + len(col_specs)]]
    if len(head_codes) < len(col_specs):
        raise LayoutError(path, f"{len(col_specs)} columns", found=len(head_codes), sheet=sheet, row=code_row)
    for j, (code, name, spec) in enumerate(zip(head_codes, head_names, col_specs, strict=True)):
        if code != spec["code"] or name != _label(spec["name_ja"]):
            raise LayoutError(path, f"column {spec['code']} {spec['name_ja']} (layout columns.csv)",
                              found=f"{code} {name}", sheet=sheet, row=code_row,
                              column=_readers.column_letter(first_col + j))
    all_kinds = {c["kind"] for c in col_specs}
    records = []
    for i, rspec in enumerate(row_specs):
        r = first_row + i
        line = grid[r - 1]
        if _code(line[0]) != rspec["code"] or _label(line[1]) != _label(rspec["name_ja"]):
            raise LayoutError(path, f"row {rspec['code']} {rspec['name_ja']} (layout rows.csv)",
                              found=f"{_code(line[0])} {_label(line[1])}", sheet=sheet, row=r, column="A")
        want = filled.get(rspec["kind"], all_kinds)
        for j, cspec in enumerate(col_specs):
            c = first_col + j
            value = line[c - 1] if c - 1 < len(line) else None
            if cspec["kind"] in want:
                records.append((rspec["code"], rspec["name_ja"], rspec["kind"], cspec["code"], cspec["name_ja"],
                                cspec["kind"], _number(value, path=path, sheet=sheet, row=r, col=c)))
            elif value not in (None, ""):
                raise RawDataError(path, f"a blank cell ({rspec['kind']} row × {cspec['kind']} column)",
                                   found=value, sheet=sheet, row=r, column=_readers.column_letter(c))
    return pd.DataFrame(records, columns=[*LONG_COLUMNS, "value"])


def check_sums(long: pd.DataFrame, spec: pd.DataFrame, *, axis: str, path: Path, sheet: str,
               tolerance: float) -> None:
    """Every printed subtotal (``sum_of`` in the layout) equals the sum of its parts within ``tolerance``.

    ``axis="col"``: a subtotal column equals the sum of the listed columns on every row where all
    are printed; ``axis="row"``: a subtotal row equals the sum of the listed rows in every column.
    """
    other = "row" if axis == "col" else "col"
    wide = long.pivot(index=f"{other}_code", columns=f"{axis}_code", values="value")
    sectors = spec.loc[spec["kind"] == "sector", "code"].tolist()
    values = wide.to_numpy(dtype="float64")
    position = {c: k for k, c in enumerate(wide.columns)}
    for code, name, sum_of in spec.loc[spec["sum_of"] != "", ["code", "name_ja", "sum_of"]].itertuples(index=False):
        parts = sectors if sum_of == "sector" else sum_of.split("+")
        if code not in position or not set(parts) <= set(position):
            continue
        block = values[:, [position[code], *(position[p] for p in parts)]]
        keep = ~np.isnan(block).any(axis=1)  # rows where the subtotal and all its parts are printed
        both = block[keep]
        gap = np.abs(both[:, 0] - both[:, 1:].sum(axis=1))
        if (gap > tolerance).any():
            k = int(np.argmax(gap))
            where = wide.index[keep][k]
            raise RawDataError(path, f"{axis} {code} {name} = sum of {sum_of} (± {tolerance})",
                               found=f"{other} {where}: printed {both[k, 0]:,.0f}, sum {both[k, 1:].sum():,.0f}",
                               sheet=sheet)


def check_balance(long: pd.DataFrame, *, path: Path, sheet: str, tolerance: float) -> None:
    """Row and column balance: for every sector, total input (the output row) = output (column)."""
    out_col = long[(long["row_kind"] == "sector") & (long["col_kind"] == "output")].set_index("row_code")["value"]
    out_row = long[(long["row_kind"] == "output") & (long["col_kind"] == "sector")].set_index("col_code")["value"]
    gap = (out_col - out_row.reindex(out_col.index)).abs()
    if gap.isna().any() or (gap > tolerance).any():
        code = gap.fillna(np.inf).idxmax()
        raise RawDataError(path, f"total input (output row) = output (output column) for every sector (± {tolerance})",
                           found=f"sector {code}: column {out_col.get(code)}, row {out_row.get(code)}", sheet=sheet)
