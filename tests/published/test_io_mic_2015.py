"""Golden: the national model reproduces the 総務省 2015 37-sector tool (sheet ⑥ and the ③/④ calculator).

The tool's input sheet ③ ships with zero demand, so the calculator is evaluated on demand vectors
chosen here, with the tool's own formulas read from the workbook: A* = A × 自給率 (sheet ⑤ column BJ,
cached values = 1 − |輸入| / 国内需要合計) and B = MMULT(⑥逆行列, A*).
"""

from __future__ import annotations

import numpy as np
import openpyxl
import pytest

from hokuriku.inputoutput import table
from hokuriku.sources import io_mic_2015


@pytest.fixture(scope="module")
def tool(request):
    from hokuriku import manifest
    from hokuriku.errors import MissingRawDataError

    try:
        path = manifest.path("io_mic_2015", "2015", io_mic_2015.FILE, download=False)
    except MissingRawDataError as exc:
        if request.config.getoption("--strict-data-files") or __import__("os").environ.get("CI") == "true":
            pytest.fail(str(exc))
        pytest.skip("raw data missing: io_mic_2015")
    long, inverse = io_mic_2015.parse(path)
    wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
    ws = wb[io_mic_2015.SHEET_TABLE]
    self_sufficiency = np.array([r[0] for r in ws.iter_rows(min_row=5, max_row=41, min_col=62, max_col=62,
                                                             values_only=True)], dtype=float)
    wb.close()
    t = table.from_long(long, "value_jpy_million", unit="百万円")
    sheet6 = inverse.pivot(index="row_code", columns="col_code", values="coefficient").loc[list(t.codes), list(t.codes)]
    return t, sheet6.to_numpy(), self_sufficiency


def test__inverse_equals_sheet6_within_1e_6(tool):
    t, sheet6, _ = tool
    mine = table.leontief_inverse(table.input_coefficients(t), table.import_coefficients(t))
    assert np.abs(mine - sheet6).max() < 1e-6


def test__import_coefficients_equal_the_tools_column(tool):
    t, _, self_sufficiency = tool
    assert np.abs((1 - table.import_coefficients(t)) - self_sufficiency).max() < 1e-12


@pytest.mark.parametrize("demand", [
    {"32": 100_000.0},  # 1,000億円 of 電子部品
    {"41": 30_000.0, "30": 70_000.0},  # a plant investment: 建設 and 生産用機械
    "all",  # 1,000 百万円 in every sector
])
def test__effects_equal_the_tools_formulas(tool, demand):
    t, sheet6, self_sufficiency = tool
    vec = np.full(t.n, 1000.0) if demand == "all" else np.array([demand.get(c, 0.0) for c in t.codes])
    tool_b = sheet6 @ (vec * self_sufficiency)  # ④: B = 逆行列 × (A × 自給率)
    mine = table.tool_effect(table.leontief_inverse(table.input_coefficients(t), table.import_coefficients(t)),
                             table.import_coefficients(t), vec)
    assert np.abs(mine - tool_b).max() < 1e-6 * vec.sum()


def test__published_column_sum_multipliers(tool):
    t, sheet6, _ = tool
    mult = dict(zip(t.names, table.output_multipliers(sheet6), strict=True))
    assert round(mult["化学製品"], 4) == 1.9325
    assert round(mult["生産用機械"], 4) == 1.9015
    assert round(mult["電子部品"], 4) == 1.8214
