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
from hypothesis import given, settings
from hypothesis import strategies as st

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


# --- _readers.plain_sheet_rows: a plain sheet read from its XML -------------------------------------------------

PLAIN = [p for p in XLSX if not p.name.startswith("soumu_juki_")]


@pytest.mark.parametrize("path", JUKI, ids=[p.name for p in JUKI] if JUKI else None)
def test__plain_sheet_rows__reads_every_juki_workbook(path):
    """The 住基 sheets are plain: read from their XML (what read_excel_rows returns; equal to the reference
    by the test above)."""
    assert _readers.plain_sheet_rows(path.read_bytes(), juki.file_spec(path)["sheet"]) is not None


@pytest.mark.parametrize("path", PLAIN, ids=[str(p.relative_to(MIRROR)) for p in PLAIN] if PLAIN else None)
def test__plain_sheet_rows__equals_the_reference_wherever_it_reads(path):
    data = path.read_bytes()
    for sheet in _readers.workbook(data).sheet_names:
        fast = _readers.plain_sheet_rows(data, sheet)
        if fast is not None:
            ref = _parse.read_excel_rows(path, sheet, engine="openpyxl")
            assert _excel_typed(fast) == _excel_typed(ref), f"{path.name} sheet {sheet!r}"


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>')
_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _plain_book(path: Path, cells: str, strings: list[str], *, formats: str = "", xfs: str = '<xf numFmtId="0"/>'):
    """An .xlsx written part by part as Excel writes one (a sheet ``s`` of ``cells``: the rows' XML)."""
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                       f'package/2006/relationships"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
                       f'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook {_MAIN} xmlns:r="{_REL}"><sheets>'
                           f'<sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                                      f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                                      f'Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship '
                                      f'Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
                                      f'<Relationship Id="rId3" Type="{_REL}/styles" Target="styles.xml"/>'
                                      f"</Relationships>",
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?>\r\n<worksheet {_MAIN}>'
                                    f"<sheetData>{cells}</sheetData></worksheet>",
        "xl/sharedStrings.xml": f'<?xml version="1.0" encoding="UTF-8"?>\r\n<sst {_MAIN} count="{len(strings)}" '
                                f'uniqueCount="{len(strings)}">{"".join(strings)}</sst>',
        "xl/styles.xml": f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {_MAIN}>{formats}<fonts count="1"><font>'
                         f'<sz val="11"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/>'
                         f'</fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf '
                         f'numFmtId="0"/></cellStyleXfs><cellXfs count="2">{xfs}</cellXfs><cellStyles count="1"><cellStyle '
                         f'name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return path


_STRINGS = ["<si><t>令和7年1月1日住民基本台帳人口</t><phoneticPr fontId=\"1\"/></si>",
            '<si><t>人口</t><rPh sb="0" eb="2"><t>ジンコウ</t></rPh><phoneticPr fontId="1"/></si>',
            '<si><r><rPr><b/><sz val="11"/></rPr><t>北陸</t></r><r><t xml:space="preserve"> 3県</t></r></si>',
            "<si><t>A &amp; B &lt;C&gt; &quot;D&quot; &apos;E&apos;</t></si>", "<si><t>NA</t></si>",
            "<si><t>#N/A</t></si>", "<si><t></t></si>", "<si><t>  </t></si>", "<si><t>***</t></si>",
            "<si><t>-</t></si>", "<si><t>注1</t></si>"]
_CELLS = ('<row r="1" spans="1:4"><c r="A1" s="1" t="s"><v>0</v></c><c r="B1" s="1"/><c r="D1" s="1"/></row>'
          '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="s"><v>2</v></c><c r="C2" t="s"><v>3</v></c>'
          '<c r="D2" t="s"><v>4</v></c><c r="E2" t="s"><v>5</v></c><c r="F2" t="s"><v>6</v></c>'
          '<c r="G2" t="s"><v>7</v></c></row>'
          '<row r="4" spans="1:12"><c r="A4" s="1"><v>1</v></c><c r="B4"><v>-0</v></c><c r="C4"><v>2.5</v></c>'
          '<c r="D4"><v>1E3</v></c><c r="E4"><v>5.0</v></c><c r="F4"><v>0.1</v></c><c r="G4"><v>1000000000000000</v>'
          '</c><c r="H4"><v>-0.85743106926698054</v></c><c r="I4"></c><c r="J4" t="s"><v>8</v></c>'
          '<c r="K4" t="s"><v>9</v></c><c r="AA4"><v>-100</v></c></row>'
          '<row r="5"><c r="A5" t="s"><v>6</v></c></row>'
          '<row r="6"><c r="B6" s="1" t="s"><v>10</v></c><c r="C6" s="1"/></row><row r="7"><c r="A7" s="1"/></row>')


def test__plain_sheet_rows__equals_the_reference_on_edge_cells(tmp_path):
    """Phonetic (rPh) and rich text runs, entities, pandas' NA strings, blank strings, whole and fractional
    numbers, gaps, a column beyond Z, empty and self-closed cells, trailing empty rows."""
    path = _plain_book(tmp_path / "plain.xlsx", _CELLS, _STRINGS)
    fast = _readers.plain_sheet_rows(path.read_bytes(), "s")
    assert fast is not None
    ref = _parse.read_excel_rows(path, "s", engine="openpyxl")
    assert _excel_typed(fast) == _excel_typed(ref)
    assert _excel_typed(_parse.read_excel_rows(path, "s")) == _excel_typed(ref)
    assert fast[1][:3] == ["人口", "北陸 3県", "A & B <C> \"D\" 'E'"] and fast[3][:3] == [1, 0, 2.5]


@pytest.mark.parametrize("cells, formats, xfs", [
    ('<row r="1"><c r="A1" s="1"><v>45000</v></c></row>', "", '<xf numFmtId="0"/><xf numFmtId="14"/>'),  # a date
    ('<row r="1"><c r="A1" s="1"><v>45000</v></c></row>',
     '<numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy/m/d"/></numFmts>',
     '<xf numFmtId="0"/><xf numFmtId="176"/>'),  # a custom date format
    ('<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>', "", '<xf numFmtId="0"/>'),  # a formula
    ('<row r="1"><c r="A1" t="b"><v>1</v></c></row>', "", '<xf numFmtId="0"/>'),  # a boolean
    ('<row r="1"><c r="A1" t="e"><v>#DIV/0!</v></c></row>', "", '<xf numFmtId="0"/>'),  # an error
    ('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>', "", '<xf numFmtId="0"/>'),  # inline text
    ('<row r="1"><c r="A1"><v>12345678901234567890</v></c></row>', "", '<xf numFmtId="0"/>'),  # beyond 2**53
    ('<row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>2</v></c></row>', "", '<xf numFmtId="0"/>'),  # out of order
    ('<row r="1"><c r="A1"><v>1</v></c><c r="A1"><v>2</v></c></row>', "", '<xf numFmtId="0"/>'),  # twice
    ('<row r="1"><c r="A1"><v> 1</v></c></row>', "", '<xf numFmtId="0"/>'),  # a number openpyxl reads as …
    ('<row r="1"><c r="A1" t="s"><v>99</v></c></row>', "", '<xf numFmtId="0"/>'),  # no such shared string
])
def test__plain_sheet_rows__hands_over_what_it_does_not_cover(tmp_path, cells, formats, xfs):
    path = _plain_book(tmp_path / "other.xlsx", cells, ["<si><t>x</t></si>"], formats=formats, xfs=xfs)
    assert _readers.plain_sheet_rows(path.read_bytes(), "s") is None
    assert _readers.plain_sheet_rows(path.read_bytes(), "no such sheet") is None
    assert _readers.plain_sheet_rows(path.read_bytes()[:200], "s") is None  # a truncated file


def test__plain_sheet_rows__a_book_openpyxl_writes_reads_as_the_reference(tmp_path):
    """openpyxl's own workbooks (numbers typed ``t="n"``) are handed over; the cells are still the reference's."""
    path = _book(tmp_path / "edge.xlsx", EDGE)
    assert _excel_typed(_parse.read_excel_rows(path, "s")) == _excel_typed(
        _parse.read_excel_rows(path, "s", engine="openpyxl"))


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(["xl/worksheets/sheet1.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
                        "xl/styles.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"]),
       st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(list(b'<>/"=ctvrs0129AZ ,&;-.Ee'))),
                min_size=1, max_size=4))
def test__plain_sheet_rows__a_damaged_part_is_read_as_the_reference_or_handed_over(tmp_path_factory, part, edits):
    """Bytes of a part the plain reader reads overwritten: what it still reads, calamine (the engine it stands
    in for) reads too, and openpyxl, where it reads the damaged workbook at all, reads the same cells."""
    base = _plain_book(tmp_path_factory.mktemp("d") / "base.xlsx", _CELLS, _STRINGS)
    with zipfile.ZipFile(base) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = bytearray(parts[part])
    for at, byte in edits:
        xml[at % len(xml)] = byte
    parts[part] = bytes(xml)
    path = tmp_path_factory.mktemp("d") / "damaged.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    data = path.read_bytes()
    fast = _readers.plain_sheet_rows(data, "s")
    if fast is not None:
        _readers.excel_rows(_readers.workbook(data), "s", data)  # raises if calamine cannot read it
        try:
            ref = _parse.read_excel_rows(path, "s", engine="openpyxl")
        except Exception:  # noqa: BLE001 - a sheet openpyxl refuses (e.g. a style index that is no number)
            return
        assert _excel_typed(fast) == _excel_typed(ref)
