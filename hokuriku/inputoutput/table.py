r"""Input–output tables as matrices, and the national (competitive-import) model.

Pure functions on the long tables written by the loaders (:mod:`hokuriku.sources.io_mic_2015`,
:mod:`hokuriku.sources.io_miyazaki`); no file or store access here.

Formulas (総務省「平成27年（2015年）産業連関表」, 競争輸入型)
-------------------------------------------------------------
- input (technical) coefficients :math:`a_{ij} = z_{ij} / x_j` (all inputs, wherever produced);
- import coefficients :math:`\hat m_i = |\text{輸入}_i| / (\sum_j z_{ij} + \text{国内最終需要}_i)`
  (the tool's 輸入係数 = 輸入 ÷ 国内需要合計; for a prefectural table 移輸入 ÷ 県内需要合計);
- self-sufficiency 自給率 :math:`1 - \hat m_i`;
- the inverse :math:`L = [I - (I - \hat M) A]^{-1}` (the tool's sheet ⑥);
- the effect of new demand :math:`\Delta F`: :math:`\Delta X = L\,(I - \hat M)\,\Delta F` (sheet ④:
  A* = A × 自給率, B = 逆行列 × A*).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from hokuriku.errors import InputError


@dataclass(frozen=True)
class IOTable:
    """A transactions table as arrays (one region, one unit).

    ``z``: n × n intermediate flows (row = seller i, column = buyer j); ``x``: output; ``final``:
    n × k domestic final demand columns; ``exports``, ``imports`` (positive magnitudes, incl. duties);
    ``value_added``: rows × n; names and codes as printed.
    """

    codes: tuple[str, ...]
    names: tuple[str, ...]
    z: np.ndarray
    x: np.ndarray
    final: np.ndarray
    final_names: tuple[str, ...]
    exports: np.ndarray
    imports: np.ndarray
    value_added: np.ndarray
    value_added_names: tuple[str, ...]
    unit: str

    @property
    def n(self) -> int:
        return len(self.codes)

    def va_row(self, name: str) -> np.ndarray:
        """One value-added row by its printed name (e.g. ``雇用者所得``)."""
        try:
            return self.value_added[self.value_added_names.index(name)]
        except ValueError:
            msg = f"no value-added row {name!r}; rows: {self.value_added_names}"
            raise InputError(msg) from None

    def final_col(self, name: str) -> np.ndarray:
        """One final-demand column by its printed name (e.g. ``民間消費支出``)."""
        try:
            return self.final[:, self.final_names.index(name)]
        except ValueError:
            msg = f"no final-demand column {name!r}; columns: {self.final_names}"
            raise InputError(msg) from None


def from_long(long: pd.DataFrame, value: str, *, unit: str) -> IOTable:
    """Arrays from a loader's long table (``row_kind``/``col_kind`` as in the layouts)."""
    sec_rows = long[long["row_kind"] == "sector"]
    codes = tuple(dict.fromkeys(sec_rows["row_code"]))
    names = tuple(sec_rows.drop_duplicates("row_code").set_index("row_code").loc[list(codes), "row_name_ja"])
    wide = sec_rows.pivot(index="row_code", columns="col_code", values=value).loc[list(codes)]
    cols = long.drop_duplicates("col_code").set_index("col_code")
    kind = cols["col_kind"]
    z = wide[list(codes)].to_numpy(float)
    fd_codes = [c for c in cols.index if kind[c] == "final_demand"]
    final = wide[fd_codes].to_numpy(float)
    exports = wide[[c for c in cols.index if kind[c] == "export"]].sum(axis=1).to_numpy(float)
    imports = -wide[[c for c in cols.index if kind[c] == "import"]].sum(axis=1).to_numpy(float)
    x = wide[[c for c in cols.index if kind[c] == "output"]].iloc[:, 0].to_numpy(float)
    va = long[(long["row_kind"] == "value_added") & (long["col_kind"] == "sector")]
    va_wide = va.pivot(index="row_code", columns="col_code", values=value)[list(codes)]
    va_names = tuple(va.drop_duplicates("row_code").set_index("row_code").loc[va_wide.index, "row_name_ja"])
    return IOTable(codes, names, z, x, final, tuple(cols.loc[fd_codes, "col_name_ja"]), exports, imports,
                   va_wide.to_numpy(float), va_names, unit)


def input_coefficients(t: IOTable) -> np.ndarray:
    r""":math:`A = Z \\hat x^{-1}` (a sector with zero output has a zero column)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(t.x > 0, t.z / t.x, 0.0)


def import_coefficients(t: IOTable) -> np.ndarray:
    r""":math:`\\hat m_i` = imports ÷ domestic demand (intermediate + domestic final), 0 where no demand."""
    demand = t.z.sum(axis=1) + t.final.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(demand > 0, t.imports / demand, 0.0)


def leontief_inverse(a: np.ndarray, m: np.ndarray | None = None) -> np.ndarray:
    r""":math:`[I - (I - \\hat M) A]^{-1}` (``m=None``: the closed inverse :math:`(I - A)^{-1}`)."""
    d = a if m is None else (1.0 - m)[:, None] * a
    return np.linalg.inv(np.eye(len(a)) - d)


def tool_effect(inverse: np.ndarray, m: np.ndarray, demand: np.ndarray) -> np.ndarray:
    """The tool's sheet ④: B = 逆行列 × (A × 自給率) for new demand A by sector."""
    return inverse @ ((1.0 - m) * np.asarray(demand, float))


def output_multipliers(inverse: np.ndarray) -> np.ndarray:
    """Column sums of an inverse (列和: output per unit of final demand for sector j)."""
    return inverse.sum(axis=0)


def gva_ratio(t: IOTable, *, exclude: tuple[str, ...] = ("家計外消費支出（行）",)) -> np.ndarray:
    r"""Gross value added per unit output, :math:`v_j = \\sum_{k \\notin exclude} V_{kj} / x_j`.

    Excluding 家計外消費支出（行） (the default) gives the SNA 付加価値 concept of 県民経済計算.
    """
    keep = [i for i, n in enumerate(t.value_added_names) if n not in exclude]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(t.x > 0, t.value_added[keep].sum(axis=0) / t.x, 0.0)


UNIT_FACTORS = {"百万円": 1.0, "万円": 0.01}
"""Multiply by this to express a table in 百万円."""


def in_million_yen(t: IOTable) -> IOTable:
    """The same table in 百万円 (FLQ's regional-size factor compares regional and national totals)."""
    f = UNIT_FACTORS[t.unit]
    return IOTable(t.codes, t.names, t.z * f, t.x * f, t.final * f, t.final_names, t.exports * f, t.imports * f,
                   t.value_added * f, t.value_added_names, "百万円")
