"""The fast readers return the reference readers' cells, cell for cell, on every mirror file (issue #13).

python-calamine vs openpyxl (values_only) on every .xlsx of the mirror: same sheets, same rows,
same values of the same type (None for empty, int/float/str/datetime), ignoring only trailing empty
rows and cells (openpyxl pads to the stored sheet dimension).

``_parse.read_excel_rows`` (calamine engine) vs its reference (pandas.read_excel with openpyxl) on every
sheet the loaders read through it (the 住基 workbooks) and on workbooks built here with the cells where
the two readers could differ (pandas' NA strings, blank rows, ragged rows, booleans, fractions; error
cells, dates and integers beyond 2**53, for which the calamine engine hands over to the reference).
The mirror holds no .xls workbook (checked), so no .xls reader is needed.
"""

from __future__ import annotations

import os
from pathlib import Path

import datetime
import zipfile

import openpyxl
import pytest

from hokuriku.errors import LayoutError, RawDataError
from hokuriku.sources import _io_grid, _parse, _readers, juki

MIRROR = Path(os.environ.get("HOKURIKU_MIRROR", "")) if os.environ.get("HOKURIKU_MIRROR") else None
XLSX = sorted(MIRROR.rglob("*.xlsx")) if MIRROR and MIRROR.is_dir() else []
XLS = sorted(p for p in MIRROR.rglob("*") if p.suffix.lower() == ".xls") if MIRROR and MIRROR.is_dir() else []
JUKI = [p for p in XLSX if p.name.startswith("soumu_juki_")]


def _typed(rows: list[tuple]) -> list[tuple]:
    return [tuple((type(v).__name__, v) for v in r) for r in _readers.strip_trailing_empty(rows)]


@pytest.mark.parametrize("path", XLSX, ids=[str(p.relative_to(MIRROR)) for p in XLSX] if XLSX else None)
def test__calamine_and_openpyxl_agree_cell_for_cell(path):
    ref = _readers.xlsx_sheets_openpyxl(path)
    fast = _readers.xlsx_sheets(path)
    assert list(fast) == list(ref), "sheet names and order"
    for sheet in ref:
        a, b = _typed(ref[sheet]), _typed(fast[sheet])
        assert len(a) == len(b), f"{sheet}: {len(a)} rows vs {len(b)}"
        for i, (ra, rb) in enumerate(zip(a, b, strict=True)):
            assert ra == rb, f"{path.name} sheet {sheet!r} row {i + 1}"


def test__the_mirror_has_workbooks_to_compare(request):
    if not XLSX:
        strict = request.config.getoption("--strict-data-files") or os.environ.get("CI", "").lower() in ("1", "true")
        if strict:
            pytest.fail("no .xlsx found in HOKURIKU_MIRROR")
        pytest.skip("mirror not available")
    assert any(p.parent.name.startswith("esri_kenmin") for p in XLSX), "the ESRI 県民経済計算 workbooks"


def test__empty_cells_and_integer_numbers_follow_openpyxl():
    assert _readers._cell("") is None
    assert _readers._cell(2011.0) == 2011 and isinstance(_readers._cell(2011.0), int)
    assert isinstance(_readers._cell(2.5), float)
    assert _readers._cell("△1.2") == "△1.2"


def _excel_typed(rows: list[list]) -> list[list]:
    return [[(type(v).__name__, v) for v in r] for r in rows]


@pytest.mark.parametrize("path", JUKI, ids=[p.name for p in JUKI] if JUKI else None)
def test__read_excel_rows__calamine_equals_pandas_openpyxl_on_the_juki_workbooks(path):
    sheet = juki.file_spec(path)["sheet"]
    ref = _parse.read_excel_rows(path, sheet, engine="openpyxl")
    fast = _parse.read_excel_rows(path, sheet, engine="calamine")
    assert _readers.excel_rows(_readers.workbook(path.read_bytes()), sheet, path.read_bytes()) is not None, \
        "read by calamine, not handed over to the reference"
    assert len(fast) == len(ref)
    for i, (a, b) in enumerate(zip(_excel_typed(ref), _excel_typed(fast), strict=True)):
        assert a == b, f"{path.name} row {i + 1}"


def test__the_mirror_has_juki_workbooks_and_no_xls(request):
    if not XLSX:
        pytest.skip("mirror not available")
    assert len(JUKI) >= 10
    assert not XLS, "an .xls workbook in the mirror: compare the reader its loader uses with the reference here"


def _book(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "s"
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


EDGE = [
    [None, None],
    ["title", None, None, None],
    [],
    ["NA", "N/A", "null", "nan", "None", "#NA", "<NA>", "NaN", " NA", "-", "***", "X", "", "  ", "123", "1,234"],
    [1, 1.0, 2.5, -0.0, 10**15, 1.5e10, True, False, 0.1 + 0.2, -3, None, None],
    [None, "x"],
    [None],
    ["注1", None, None],
    [],
]


@pytest.mark.parametrize("extra", [None, "#DIV/0!", datetime.datetime(2020, 1, 2), datetime.date(2021, 3, 4),
                                   12345678901234567890])
def test__read_excel_rows__calamine_equals_the_reference_on_edge_cells(tmp_path, extra):
    rows = [*EDGE, [None, None, extra]] if extra is not None else EDGE
    path = _book(tmp_path / "edge.xlsx", rows)
    ref = _parse.read_excel_rows(path, "s", engine="openpyxl")
    fast = _parse.read_excel_rows(path, "s", engine="calamine")
    assert _excel_typed(fast) == _excel_typed(ref)
    handed_over = _readers.excel_rows(_readers.workbook(path.read_bytes()), "s", path.read_bytes()) is None
    assert handed_over == (extra is not None)
    assert ref[3][:9] == [None] * 8 + [" NA"] and ref[4][:4] == [1, 1, 2.5, 0]  # pandas' NA strings, whole numbers


def test__read_excel_rows__refusals(tmp_path):
    path = _book(tmp_path / "edge.xlsx", EDGE)
    with pytest.raises(LayoutError, match=r"sheet named 'other'.*\['s'\]"):
        _parse.read_excel_rows(path, "other")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(path.read_bytes()[:300])
    with pytest.raises(RawDataError, match="readable xlsx workbook"):
        _parse.read_excel_rows(bad, "s")
    csv = tmp_path / "not.xlsx"
    csv.write_bytes(b"a,b\n1,2\n")
    with pytest.raises(RawDataError, match="readable xlsx workbook"):
        _parse.read_excel_rows(csv, "s")
    other_zip = tmp_path / "other.xlsx"  # a zip that is no workbook (as an .ods or a .docx would be)
    with zipfile.ZipFile(other_zip, "w") as z:
        z.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(RawDataError, match="readable xlsx workbook.*not an .xlsx workbook"):
        _parse.read_excel_rows(other_zip, "s")
    with pytest.raises(RawDataError, match="readable .xlsx workbook.*not an .xlsx workbook"):
        _io_grid.read_sheet(other_zip, "s")
    with pytest.raises(RawDataError, match="readable .xlsx workbook"):
        _io_grid.read_sheet(bad, "s")
    with pytest.raises(LayoutError, match=r"sheet named 'other'"):
        _io_grid.read_sheet(path, "other")


def test__column_letter_is_openpyxls_for_every_excel_column():
    from openpyxl.utils import get_column_letter

    assert [_readers.column_letter(i) for i in range(1, 16385)] == [get_column_letter(i) for i in range(1, 16385)]
    with pytest.raises(ValueError, match="≥ 1"):
        _readers.column_letter(0)
