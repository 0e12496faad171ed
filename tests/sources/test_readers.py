"""The fast readers return the reference readers' cells, cell for cell, on every mirror file (issue #13).

python-calamine vs openpyxl (values_only) on every .xlsx of the mirror: same sheets, same rows,
same values of the same type (None for empty, int/float/str/datetime), ignoring only trailing empty
rows and cells (openpyxl pads to the stored sheet dimension).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hokuriku.sources import _readers

MIRROR = Path(os.environ.get("HOKURIKU_MIRROR", "")) if os.environ.get("HOKURIKU_MIRROR") else None
XLSX = sorted(MIRROR.rglob("*.xlsx")) if MIRROR and MIRROR.is_dir() else []


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
