"""IO loaders (総務省 2015 37-sector tool, 宮崎県 37部門, 2015 regional 12-sector tables): layout checks and bad input.

Bad-input cases edit a copy of the official file in a temporary folder (values re-saved with
openpyxl / csv), so each test changes exactly one thing of the real layout.
"""

from __future__ import annotations

import csv

import openpyxl
import pytest

from hokuriku.errors import LayoutError, RawDataError
from hokuriku.sources import io_mic_2015, io_miyazaki, io_regional_12


@pytest.fixture
def mic(raw):
    return raw("io_mic_2015", "2015", io_mic_2015.FILE)


@pytest.fixture
def miyazaki(raw):
    return raw("io_miyazaki", "2011", io_miyazaki.FILE)


@pytest.fixture
def regional(raw):
    return raw("io_regional_12", "2015", io_regional_12.FILE), raw("io_regional_12", "2015", io_regional_12.AREA_FILE)


def edited(src, tmp_path, sheet, cell, value):
    wb = openpyxl.load_workbook(src, data_only=True)
    wb[sheet][cell] = value
    out = tmp_path / src.name
    wb.save(out)
    return out


def test__mic_parses_and_balances(mic):
    t, inv = io_mic_2015.parse(mic)
    io_mic_2015.validate(t)
    out = t[(t["row_kind"] == "sector") & (t["col_kind"] == "output")].set_index("row_name_ja")["value_jpy_million"]
    assert out.sum() == 1_017_818_388
    assert out["化学製品"] == 28_006_932 and out["生産用機械"] == 16_704_923 and out["電子部品"] == 13_536_084
    assert len(inv) == 37 * 37
    assert set(t["col_kind"]) == {"sector", "intermediate_total", "final_demand", "subtotal", "export", "import",
                                  "output"}


def test__mic_text_in_a_cell_names_sheet_row_column(mic, tmp_path):
    bad = edited(mic, tmp_path, io_mic_2015.SHEET_TABLE, "D6", "x")
    with pytest.raises(RawDataError, match=r"sheet '⑤取引基本表', row 6, column 'D'"):
        io_mic_2015.parse(bad)


def test__mic_renamed_sector_is_a_layout_error(mic, tmp_path):
    bad = edited(mic, tmp_path, io_mic_2015.SHEET_TABLE, "B20", "電子デバイス")
    with pytest.raises(LayoutError, match="row 32 電子部品"):
        io_mic_2015.parse(bad)


def test__mic_unbalanced_cell_is_refused(mic, tmp_path):
    bad = edited(mic, tmp_path, io_mic_2015.SHEET_TABLE, "C5", 1566739)
    t, _ = io_mic_2015.parse(bad)
    with pytest.raises(RawDataError, match="内生部門計 = sum of sector"):
        io_mic_2015.validate(t)


def test__mic_inverse_column_sum_checked(mic, tmp_path):
    bad = edited(mic, tmp_path, io_mic_2015.SHEET_INVERSE, "C5", 1.2)
    with pytest.raises(RawDataError, match="列和 = column sums"):
        io_mic_2015.parse(bad)


@pytest.mark.parametrize(("cell", "message"), [("AO43", "a blank cell"), ("D6", "a number")])
def test__mic_error_cell_is_refused_not_read_as_blank(mic, tmp_path, cell, message):
    # openpyxl writes '#N/A' as an error cell; calamine would read it as a blank, so such a workbook is
    # read with openpyxl (the reference) and the error value is refused where a blank or a number is due
    bad = edited(mic, tmp_path, io_mic_2015.SHEET_TABLE, cell, "#N/A")
    with pytest.raises(RawDataError, match=rf"{message}.*#N/A|#N/A.*{message}"):
        io_mic_2015.parse(bad)


def test__miyazaki_parses_and_balances(miyazaki):
    t = io_miyazaki.parse(miyazaki)
    io_miyazaki.validate(t)
    x = t[(t["row_kind"] == "sector") & (t["col_kind"] == "output")]["value_jpy_10k"]
    assert len(x) == 37 and abs(x.sum() - 637_372_066) <= 1


def test__miyazaki_output_mismatch_is_refused(miyazaki, tmp_path):
    bad = edited(miyazaki, tmp_path, io_miyazaki.SHEET, "BB4", 15678716)  # 農業 県内生産額 + 1,000 万円
    t = io_miyazaki.parse(bad)
    with pytest.raises(RawDataError, match="県内生産額"):
        io_miyazaki.validate(t)


def test__miyazaki_missing_sheet(miyazaki, tmp_path):
    wb = openpyxl.load_workbook(miyazaki, data_only=True)
    wb["37部門"].title = "37部門(旧)"
    wb.save(tmp_path / "m.xlsx")
    with pytest.raises(LayoutError, match="a sheet named '37部門'"):
        io_miyazaki.parse(tmp_path / "m.xlsx")


def _rewrite_csv(src, dst, edit):
    with open(src, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    edit(rows)
    with open(dst, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return dst


def test__regional_12_parses(regional):
    inter, out = io_regional_12.parse(*regional)
    io_regional_12.validate(inter, out)
    toyama = out[out["area_id"] == "16000"].set_index("sector")["output_jpy_million"]
    assert toyama.sum() == 9_267_151 and toyama["03"] == 3_715_969
    assert (out.drop_duplicates("area_id")["area_type"].value_counts().to_dict()
            == {"prefecture": 42, "city": 6, "country": 1})


def test__regional_12_negative_value_names_row_and_column(regional, tmp_path):
    def edit(rows):
        rows[17][5] = "-3"  # 富山 (16000) is line 18

    bad = _rewrite_csv(regional[0], tmp_path / "IOTable.csv", edit)
    with pytest.raises(RawDataError, match=r"row 18, column 'R1C5'"):
        io_regional_12.parse(bad, regional[1])


def test__regional_12_inputs_above_output_refused(regional, tmp_path):
    def edit(rows):
        rows[17][-10] = "1"  # Y3 (製造業) of 富山 far below its inputs

    bad = _rewrite_csv(regional[0], tmp_path / "IOTable.csv", edit)
    inter, out = io_regional_12.parse(bad, regional[1])
    with pytest.raises(RawDataError, match="area 16000 sector 03"):
        io_regional_12.validate(inter, out)


def test__regional_12_renamed_column_is_a_layout_error(regional, tmp_path):
    def edit(rows):
        rows[0][1] = "R01C01"

    bad = _rewrite_csv(regional[0], tmp_path / "IOTable.csv", edit)
    with pytest.raises(LayoutError):
        io_regional_12.parse(bad, regional[1])
