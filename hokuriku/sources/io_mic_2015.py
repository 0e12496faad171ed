"""総務省「経済波及効果を計算してみましょう」平成27年（2015年）産業連関表 統合大分類（37部門）tool.

Publisher and table
-------------------
総務省「平成27年（2015年）産業連関表による経済波及効果 簡易計算ツール（統合大分類（37部門）Ver.1）」
(``000629595.xlsx``): sheet ⑤取引基本表 is the 2015 national 取引基本表 (生産者価格評価, 競争輸入型, 百万円)
at the 37-sector 統合大分類; sheet ⑥逆行列 is the tool's inverse [I − (I − M̂)A]⁻¹ printed to 8 decimals.
Sheets ③/④ hold the tool's calculator: new demand A, its domestic part A* = A × 自給率 (1 − 輸入係数,
輸入係数 = |輸入| / 国内需要合計), and the effect B = ⑥ × A* (an ``MMULT`` array formula).

Layout
------
⑤: codes in row 3, names in row 4, data from row 5; 37 sector rows, 内生部門計, 6 value-added rows
(家計外消費支出（行）… （控除）経常補助金), 粗付加価値部門計, 国内生産額 (layouts/io_mic_2015/rows.csv);
37 sector columns, 内生部門計, final demand, 輸出, （控除）輸入・関税・輸入品商品税, subtotals and
国内生産額 (columns.csv). Value-added rows are printed only under sector columns and 内生部門計.
⑥: same header rows, 37 × 37 block, then 列和 and 影響力係数 rows.

Checks (:func:`validate`): every printed subtotal equals its parts exactly (integers), total input =
output for every sector, Σ 国内生産額 = 1,017,818,388 百万円 (published 1,017.8兆円), and the inverse's
列和 row equals its column sums within 1e-6 (37 values rounded to 1e-8).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hokuriku import manifest
from hokuriku.errors import LayoutError, RawDataError
from hokuriku.sources import _io_grid, _parse

SOURCE = "io_mic_2015"
DEFAULT_VINTAGE = "2015"
FILE = "000629595.xlsx"
SHEET_TABLE = "⑤取引基本表"
SHEET_INVERSE = "⑥逆行列"
TOTAL_OUTPUT_JPY_MILLION = 1_017_818_388
"""Σ 国内生産額 of the 2015 table (総務省 平成27年産業連関表 公表値 1,017.8兆円)."""
INVERSE_SUM_TOLERANCE = 1e-6


def layout(name: str) -> pd.DataFrame:
    """``rows`` or ``columns`` of sheet ⑤ (layouts/io_mic_2015/)."""
    return _parse.load_layout(SOURCE, name)


@_parse.contained
def parse(path: Path, *, vintage: str = DEFAULT_VINTAGE) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parse the tool into (transactions, inverse), both long.

    transactions: ``row_code, row_name_ja, row_kind, col_code, col_name_ja, col_kind,
    value_jpy_million`` for every printed cell of ⑤ (sector and subtotal rows × every column;
    value-added, subtotal and output rows × sector columns and 内生部門計).
    inverse: ``row_code, row_name_ja, col_code, col_name_ja, coefficient`` (37 × 37, sheet ⑥).
    """
    path = Path(path)
    rows, cols = layout("rows"), layout("columns")
    sheets = _io_grid.read_sheets(path, [SHEET_TABLE, SHEET_INVERSE])  # the workbook is opened once
    grid = sheets[SHEET_TABLE]
    body_cols = {"sector", "intermediate_total"}
    filled = {"value_added": body_cols, "value_added_total": body_cols, "output": body_cols}
    long = _io_grid.read_matrix(path, SHEET_TABLE, grid, rows=rows, cols=cols, code_row=3, name_row=4,
                                first_row=5, filled=filled)
    # Subtotal rows: 内生部門計 is printed across the whole width; 粗付加価値部門計 and 国内生産額 only
    # under sector columns and 内生部門計 (already enforced through the output/value_added rule).
    long = long.rename(columns={"value": "value_jpy_million"})
    sectors = rows[rows["kind"] == "sector"]
    sector_cols = cols[cols["kind"] == "sector"]
    inv_grid = sheets[SHEET_INVERSE]
    inverse = _io_grid.read_matrix(path, SHEET_INVERSE, inv_grid, rows=sectors, cols=sector_cols, code_row=3,
                                   name_row=4, first_row=5)
    sums_row = 5 + len(sectors)
    label = _parse.nfkc(inv_grid[sums_row - 1][1]) if len(inv_grid) >= sums_row else None
    if label != "列和":
        raise LayoutError(path, "the 列和 row after the 37 inverse rows", found=label, sheet=SHEET_INVERSE,
                          row=sums_row, column="B")
    printed = pd.Series([inv_grid[sums_row - 1][2 + j] for j in range(len(sector_cols))],
                        index=sector_cols["code"].tolist(), dtype=float)
    computed = inverse.groupby("col_code")["value"].sum()
    gap = (printed - computed.reindex(printed.index)).abs()
    if (gap > INVERSE_SUM_TOLERANCE).any():
        raise RawDataError(path, f"列和 = column sums of the inverse (± {INVERSE_SUM_TOLERANCE})",
                           found=f"column {gap.idxmax()}: {printed[gap.idxmax()]} vs {computed[gap.idxmax()]}",
                           sheet=SHEET_INVERSE, row=sums_row)
    inverse = inverse.rename(columns={"value": "coefficient"}).drop(columns=["row_kind", "col_kind"])
    return long, inverse


def validate(transactions: pd.DataFrame, *, file: str | Path = FILE) -> None:
    """Printed subtotals, row/column balance and Σ 国内生産額 = 1,017,818,388 百万円 (all exact)."""
    long = transactions.rename(columns={"value_jpy_million": "value"})
    _io_grid.check_sums(long, layout("columns"), axis="col", path=Path(file), sheet=SHEET_TABLE, tolerance=0)
    _io_grid.check_sums(long, layout("rows"), axis="row", path=Path(file), sheet=SHEET_TABLE, tolerance=0)
    _io_grid.check_balance(long, path=Path(file), sheet=SHEET_TABLE, tolerance=0)
    total = long[(long["row_kind"] == "sector") & (long["col_kind"] == "output")]["value"].sum()
    if total != TOTAL_OUTPUT_JPY_MILLION:
        raise RawDataError(file, f"Σ 国内生産額 = {TOTAL_OUTPUT_JPY_MILLION:,} 百万円", found=f"{total:,.0f}",
                           sheet=SHEET_TABLE, column="国内生産額")


_VALIDATED: dict[tuple, tuple] = {}
"""(vintage, id of the parsed pair) → that pair, once :func:`validate` passed it: a build memoises :func:`parse`,
so its two tables share one parsed pair, validated once (outside a build every call parses and validates)."""


def _load_both(vintage: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    path = manifest.path(SOURCE, vintage, FILE)
    parsed = parse(path, vintage=vintage)
    key = (str(vintage), id(parsed))
    if _VALIDATED.get(key) is not parsed:
        validate(parsed[0], file=path)
        _VALIDATED.clear()  # the last pair only
        _VALIDATED[key] = parsed
    transactions, inverse = parsed
    return transactions, inverse


def load(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """Sheet ⑤ 取引基本表 as a validated long table (百万円)."""
    return _load_both(vintage)[0]


def load_inverse(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """Sheet ⑥ 逆行列係数表 [I − (I − M̂)A]⁻¹ as printed (8 decimals), long."""
    return _load_both(vintage)[1]


TABLES = _parse.covered_tables(SOURCE, {"transactions": load, "inverse": load_inverse})
