"""Issue #11, deliverable 6: report tables never carry live formulas; written files follow the umask."""

from __future__ import annotations

import csv
import os
import stat
import zipfile

import openpyxl
import pandas as pd
import pytest

from hokuriku import io
from hokuriku.reporting import outputs

ATTACKS = ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]


@pytest.fixture
def table():
    df = pd.DataFrame({"area_name_ja": ATTACKS + ["富山県", "-", "-5"], "value": [1.0, -2.5, -3.0, 4.0, -5.0, 6.0, 7.0]})
    df["=x"] = ["a"] * len(df)
    return df


def test__write_table__csv_escapes_formula_text_but_keeps_negative_numbers(tmp_path, table):
    csv_path, _ = io.write_table(table, tmp_path, "t")
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["area_name_ja", "value", "'=x"]
    names = [r[0] for r in rows[1:]]
    assert names[:4] == ["'" + a for a in ATTACKS]
    assert names[4:] == ["富山県", "-", "-5"]  # a lone 表章記号 and a plain numeric text are not formulas
    assert [r[1] for r in rows[1:]] == ["1.0", "-2.5", "-3.0", "4.0", "-5.0", "6.0", "7.0"]


def test__write_table__xlsx_has_no_formula_cells_and_numbers_stay_numbers(tmp_path, table):
    _, xlsx_path = io.write_table(table, tmp_path, "t")
    with zipfile.ZipFile(xlsx_path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)
    ws = openpyxl.load_workbook(xlsx_path)["table"]
    assert [c.value for c in ws["A"]][1:5] == ATTACKS  # shown as the text it is
    assert all(c.data_type == "s" for c in ws["A"][1:5])
    assert [c.value for c in ws["B"]][1:] == [1.0, -2.5, -3.0, 4.0, -5.0, 6.0, 7.0]
    assert all(c.data_type == "n" for c in ws["B"][1:])


def test__save_table__goes_through_the_same_escaping(tmp_path, table):
    outputs.save_table(table, tmp_path, "t", title_ja="表", source_note="（出所）総務省「国勢調査」")
    text = (tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    assert "\n=HYPERLINK" not in text and "'=HYPERLINK" in text


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o002])
def test__atomic_writes_follow_the_umask(tmp_path, table, mask):
    old = os.umask(mask)
    try:
        written = io.write_table(table, tmp_path / "out", "t")
        folder = tmp_path / "made"
        folder.mkdir()
        tmp_dir = tmp_path / "staging"
        tmp_dir.mkdir(mode=0o700)
        io.follow_umask(tmp_dir)
    finally:
        os.umask(old)
    for p in written:
        assert stat.S_IMODE(p.stat().st_mode) == 0o666 & ~mask, p
    assert stat.S_IMODE(tmp_dir.stat().st_mode) == stat.S_IMODE(folder.stat().st_mode) == 0o777 & ~mask


def test__current_umask_is_read_without_changing_it():
    old = os.umask(0o027)
    try:
        assert io.current_umask() == 0o027
        assert io.current_umask() == 0o027
    finally:
        os.umask(old)
