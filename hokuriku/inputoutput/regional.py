r"""Regional input–output model for any region by location-quotient (LQ) methods. Pure functions.

Regional output by 37 sectors
-----------------------------
No prefecture publishes output at the 37 sectors of the 総務省 2015 table for every prefecture, so it
is estimated (:func:`regional_output`) from 県民経済計算 GVA by 16 経済活動 (内閣府, FY2015, 名目) with
the crosswalk ``data/activity_sector_crosswalk.csv``:

- an activity's GVA :math:`G_{r,a}` is spread over its 37-sector rows in proportion to the rows'
  national GVA (:math:`V^n_j`), or for 製造業 in proportion to :math:`S_{r,j} v_j` where
  :math:`S_{r,j}` = the prefecture's 製造品出荷額等 of the 中分類 mapped to row j (工業統計調査 表3-01,
  2016; ``data/jsic_sector_crosswalk.csv``; suppressed cells X count as 0 and are reported);
- output :math:`x^r_j = G_{r,j} / v_j` with :math:`v_j` the national GVA ratio (粗付加価値 −
  家計外消費支出, ÷ 国内生産額), so manufacturing rows get :math:`x^r_j \propto S_{r,j}`;
- 68 事務用品 and 69 分類不明: :math:`x^r_j = x^n_j \cdot \sum_{k} x^r_k / \sum_k x^n_k` over the other rows.

The national reference :math:`x^n` of the quotients is the sum of the same estimate over the 47
prefectures (so regions add up to the nation).

Location quotients (Flegg & Webber 1997; Flegg, Webber & Elliott 1995)
-----------------------------------------------------------------------
- :math:`SLQ_i = (x^r_i / x^r) / (x^n_i / x^n)`;
- :math:`CILQ_{ij} = SLQ_i / SLQ_j` (:math:`i = j`: :math:`SLQ_i`);
- :math:`FLQ_{ij} = CILQ_{ij} \cdot \lambda^*`, :math:`\lambda^* = [\log_2(1 + x^r / x^n)]^{\delta}`,
  :math:`0 \le \delta < 1` (:math:`i = j`: :math:`SLQ_i \lambda^*`).

Regional purchase coefficients :math:`r_{ij} = \min(LQ_{ij}, 1)\, d^n_{ij}` with the national
domestic coefficients :math:`d^n_{ij} = (1 - \hat m^n_i) a^n_{ij}` (the LQ removes what the region
buys from other prefectures; foreign imports are already removed by :math:`1 - \hat m^n`). Final
demand in the region is supplied from inside the region in the share
:math:`s_i = (1 - \hat m^n_i) \min(SLQ_i, 1)`. Regional inverse :math:`L^r = (I - R)^{-1}`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from hokuriku.errors import ParameterError

DATA = Path(__file__).resolve().parent / "data"
METHODS = ("SLQ", "CILQ", "FLQ")
DEFAULT_METHOD = "FLQ"
DEFAULT_DELTA = 0.1
"""FLQ δ default: the δ of the 0.05-step grid with the lowest output-multiplier error on the 宮崎県 table
(docs/io_model.md)."""
UNASSIGNED_SECTORS = ("68", "69")


def crosswalk(name: str) -> pd.DataFrame:
    """A crosswalk of ``hokuriku/inputoutput/data`` (``activity_sector``, ``jsic_sector``, ``employment``)."""
    return pd.read_csv(DATA / f"{name}_crosswalk.csv", dtype=str, comment="#", keep_default_na=False)


def regional_output(gdp: pd.DataFrame, shipments: pd.DataFrame, *, codes: tuple[str, ...], x_nat: np.ndarray,
                    gva_nat: np.ndarray) -> pd.DataFrame:
    """Estimated output by 37 sectors for each prefecture (百万円; module docstring).

    Parameters
    ----------
    gdp
        ``pref_code, activity_code, gdp_nominal_jpy_million`` for one fiscal year.
    shipments
        ``pref_code, industry_code_jsic, shipments_jpy_million`` (NaN = suppressed).
    codes, x_nat, gva_nat
        The 37 sector codes, national output and national GVA (same order).

    Returns a long frame ``pref_code, sector_code, output_jpy_million, gva_jpy_million,
    suppressed_cells`` (suppressed 中分類 cells of the row's prefecture, counted as 0).
    """
    cw = crosswalk("activity_sector")
    jsic = crosswalk("jsic_sector").set_index("jsic_code")["sector_code"]
    idx = {c: i for i, c in enumerate(codes)}
    v = np.where(x_nat > 0, gva_nat / np.where(x_nat > 0, x_nat, 1), 0.0)
    ship = shipments.assign(sector_code=shipments["industry_code_jsic"].map(jsic))
    ship_sum = (ship.groupby(["pref_code", "sector_code"])["shipments_jpy_million"].sum(min_count=0)
                .unstack(fill_value=0))
    ship_x = ship.assign(x=ship["shipments_jpy_million"].isna()).groupby(["pref_code", "sector_code"])["x"].sum()
    ship_x = ship_x.unstack(fill_value=0)
    g = gdp.pivot(index="pref_code", columns="activity_code", values="gdp_nominal_jpy_million")
    prefs = g.index.tolist()
    gva = pd.DataFrame(0.0, index=prefs, columns=list(codes))
    for act, rows in cw.groupby("activity_code"):
        sectors = rows["sector_code"].tolist()
        if rows["split"].iloc[0] == "kogyo_shipments":
            w = ship_sum.reindex(index=prefs, columns=sectors, fill_value=0) * v[[idx[s] for s in sectors]]
        else:
            w = pd.DataFrame(np.tile(gva_nat[[idx[s] for s in sectors]], (len(prefs), 1)), index=prefs, columns=sectors)
        share = w.div(w.sum(axis=1), axis=0).fillna(0.0)
        gva[sectors] += share.mul(g[act], axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = pd.DataFrame(np.where(v > 0, gva.to_numpy() / np.where(v > 0, v, 1), 0.0), index=prefs, columns=list(codes))
    others = [c for c in codes if c not in UNASSIGNED_SECTORS]
    scale = x[others].sum(axis=1) / x_nat[[idx[c] for c in others]].sum()
    for c in UNASSIGNED_SECTORS:
        x[c] = x_nat[idx[c]] * scale
        gva[c] = gva_nat[idx[c]] * scale
    out = x.stack().rename("output_jpy_million").to_frame()
    out["gva_jpy_million"] = gva.stack()
    out.index.names = ["pref_code", "sector_code"]
    out = out.reset_index()
    sx = ship_x.reindex(index=prefs, fill_value=0).stack().rename("suppressed_cells").reset_index()
    sx.columns = ["pref_code", "sector_code", "suppressed_cells"]
    out = out.merge(sx, on=["pref_code", "sector_code"], how="left")
    out["suppressed_cells"] = out["suppressed_cells"].fillna(0).astype(int)
    return out


def slq(xr: np.ndarray, xn: np.ndarray) -> np.ndarray:
    """Simple location quotient :math:`(x^r_i/x^r)/(x^n_i/x^n)`; 0 where the nation has no output."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(xn > 0, (xr / xr.sum()) / (xn / xn.sum()), 0.0)


def lambda_star(xr: np.ndarray, xn: np.ndarray, delta: float) -> float:
    r"""FLQ regional-size factor :math:`[\\log_2(1 + x^r/x^n)]^\\delta`."""
    if not 0 <= delta < 1:
        msg = f"FLQ delta must be in [0, 1), got {delta}"
        raise ParameterError(msg)
    return float(np.log2(1 + xr.sum() / xn.sum()) ** delta)


def lq_matrix(xr: np.ndarray, xn: np.ndarray, method: str = DEFAULT_METHOD, delta: float = DEFAULT_DELTA) -> np.ndarray:
    """The n × n quotient used on coefficient (i, j) by SLQ, CILQ or FLQ (module docstring)."""
    s = slq(xr, xn)
    if method == "SLQ":
        return np.repeat(s[:, None], len(s), axis=1)
    if method not in METHODS:
        msg = f"method must be one of {METHODS}, got {method!r}"
        raise ParameterError(msg)
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.where(s[None, :] > 0, s[:, None] / s[None, :], 1.0)
    np.fill_diagonal(q, s)
    if method == "FLQ":
        q = q * lambda_star(xr, xn, delta)
    return q


def regional_coefficients(d_nat: np.ndarray, xr: np.ndarray, xn: np.ndarray, method: str = DEFAULT_METHOD,
                          delta: float = DEFAULT_DELTA) -> np.ndarray:
    r""":math:`r_{ij} = \\min(LQ_{ij}, 1)\\, d_{ij}` (d: national domestic or a region's technical coefficients)."""
    return np.minimum(lq_matrix(xr, xn, method, delta), 1.0) * d_nat


@dataclass(frozen=True)
class RegionalModel:
    """Everything a ripple-effect calculation needs for one region (arrays in 37-sector order)."""

    region_key: str
    region_name_ja: str
    pref_codes: tuple[str, ...]
    codes: tuple[str, ...]
    names: tuple[str, ...]
    method: str
    delta: float
    x_region: np.ndarray
    x_nation: np.ndarray
    slq: np.ndarray
    rpc: np.ndarray
    inverse: np.ndarray
    supply_share: np.ndarray
    gva_ratio: np.ndarray
    compensation_ratio: np.ndarray
    consumption_shares: np.ndarray
    jobs_per_million: np.ndarray
    national_inverse: np.ndarray

    def sector_index(self, sector: str) -> int:
        """Index of a sector given by code (``"32"``) or printed name (``"電子部品"``)."""
        for i, (c, n) in enumerate(zip(self.codes, self.names, strict=True)):
            if sector in (c, n):
                return i
        msg = f"unknown sector {sector!r}; give a 37-sector code or name, e.g. '32' or '電子部品'"
        raise ParameterError(msg)


def jobs_per_million(employment: pd.Series, xr: pd.Series, kogyo_employees: pd.Series) -> pd.Series:
    """Jobs per 百万円 of output by sector for one region (``data/employment_crosswalk.csv``).

    ``employment``: region totals by SSDSE item code (persons); ``xr``: regional output by sector
    code; ``kogyo_employees``: 工業統計 従業者数 by 37-sector manufacturing row (split of 製造業).
    :math:`e_j = E_{g} w_j / x^r_j` with :math:`w_j` the row's share of its group g.
    """
    cw = crosswalk("employment")
    jobs = pd.Series(0.0, index=xr.index)
    for _, g in cw.iterrows():
        total = 0.0
        for sign, code in _terms(g["items"]):
            total += sign * float(employment.get(code, np.nan))
        sectors = g["sectors"].split()
        base = kogyo_employees.reindex(sectors, fill_value=0) if g["split"] == "kogyo_employees" else xr[sectors]
        share = base / base.sum() if base.sum() > 0 else base * 0
        jobs[sectors] += max(total, 0.0) * share
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.Series(np.where(xr > 0, jobs / xr.where(xr > 0, 1), 0.0), index=xr.index)


def _terms(expr: str) -> list[tuple[int, str]]:
    out, i = [], 0
    while i < len(expr):
        sign = -1 if expr[i] == "-" else 1
        j = i + 1
        while j < len(expr) and expr[j] not in "+-":
            j += 1
        out.append((sign, expr[i + 1:j]))
        i = j
    return out
