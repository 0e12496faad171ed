"""宮崎県「産業連関簡易分析ファイル・統計表」参考 37部門 生産者価格評価表 (a prefectural table with 移輸出入).

Publisher and table
-------------------
宮崎県 総合政策部 統計調査課「産業連関表 簡易分析ファイル・統計表」, workbook
``10710_20170328101827-1.xlsx``, sheet ``37部門`` (also 15 and 54 部門, not read): 取引基本表
(生産者価格評価, 競争移輸入型) in **万円**. The file does not state its reference year; the sector list
(農業・畜産・林業・漁業, 電力・ガス・水道・廃棄物 as one row) and the file date (2017-03) point to the
平成23年（2011年）宮崎県産業連関表 — UNVERIFIED, stated wherever the table is used.

Layout
------
Codes in row 2, names in row 3, data from row 4 (layouts/io_miyazaki/rows.csv, columns.csv):
37 sector rows, 内生部門計, 6 value-added rows, 粗付加価値部門計, 県内生産額; columns: 37 sectors,
内生部門計, 県内最終需要 (家計外消費支出, 民間消費支出, 一般政府消費支出, 県内総固定資本形成, 在庫純増,
調整項), subtotals, 移輸出, （控除）移輸入 and 県内生産額. Unlike the 12-sector research file, this
table records 移輸入 by row, so the regional purchase coefficients (1 − m̂_i) a_ij with
m̂_i = 移輸入_i / 県内需要合計_i can be computed from it (:mod:`hokuriku.inputoutput.validation`).

Checks (:func:`validate`): printed subtotals equal their parts and total input = output for every
sector, within 1 万円 (one value-added cell is printed with decimals).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hokuriku import manifest
from hokuriku.errors import RawDataError
from hokuriku.sources import _io_grid, _parse

SOURCE = "io_miyazaki"
DEFAULT_VINTAGE = "2011"
FILE = "10710_20170328101827-1.xlsx"
SHEET = "37部門"
TOLERANCE_JPY_10K = 1.0
TOTAL_OUTPUT_JPY_10K = 637_372_066
"""県内生産額 total printed in the sheet (row 内生部門計 × column 県内生産額)."""


def layout(name: str) -> pd.DataFrame:
    """``rows`` or ``columns`` of the 37部門 sheet (layouts/io_miyazaki/)."""
    return _parse.load_layout(SOURCE, name)


@_parse.contained
def parse(path: Path, *, vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """Parse sheet 37部門 into a long table ``row_code … col_kind, value_jpy_10k`` (万円)."""
    path = Path(path)
    rows, cols = layout("rows"), layout("columns")
    grid = _io_grid.read_sheet(path, SHEET)
    body = {"sector", "intermediate_total"}
    long = _io_grid.read_matrix(path, SHEET, grid, rows=rows, cols=cols, code_row=2, name_row=3, first_row=4,
                                filled={"value_added": body, "value_added_total": body, "output": body})
    return long.rename(columns={"value": "value_jpy_10k"})


def validate(df: pd.DataFrame, *, file: str | Path = FILE) -> None:
    """Printed subtotals, row/column balance (± 1 万円) and the printed total 県内生産額."""
    long = df.rename(columns={"value_jpy_10k": "value"})
    path = Path(file)
    _io_grid.check_sums(long, layout("columns"), axis="col", path=path, sheet=SHEET, tolerance=TOLERANCE_JPY_10K)
    _io_grid.check_sums(long, layout("rows"), axis="row", path=path, sheet=SHEET, tolerance=TOLERANCE_JPY_10K)
    _io_grid.check_balance(long, path=path, sheet=SHEET, tolerance=TOLERANCE_JPY_10K)
    total = long[(long["row_kind"] == "sector") & (long["col_kind"] == "output")]["value"].sum()
    if abs(total - TOTAL_OUTPUT_JPY_10K) > TOLERANCE_JPY_10K:
        raise RawDataError(file, f"Σ 県内生産額 = {TOTAL_OUTPUT_JPY_10K:,} 万円", found=f"{total:,.0f}", sheet=SHEET)


def load(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """The validated 37-sector table (万円)."""
    path = manifest.path(SOURCE, vintage, FILE)
    df = parse(path, vintage=vintage)
    validate(df, file=path)
    return df


TABLES = _parse.covered_tables(SOURCE, {"transactions": load})
