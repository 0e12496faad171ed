r"""経済波及効果 (ripple effects) of new final demand, a plant's investment or its annual output. Pure.

Given a :class:`~hokuriku.inputoutput.regional.RegionalModel` (regional purchase coefficients R,
inverse :math:`L^r = (I - R)^{-1}`, regional supply shares s) and new demand :math:`\Delta F` (百万円):

- 直接効果 :math:`D = s \odot \Delta F` (the part produced inside the region); for a new plant's
  annual output (``kind="output"``) the output itself, :math:`D = \Delta x`;
- 第1次間接波及効果 :math:`X_1 - D` with :math:`X_1 = L^r D`;
- 第2次間接波及効果 through 雇用者所得: :math:`W_1 = w \odot X_1` (w = 雇用者所得 ÷ 国内生産額 of the
  national table), new consumption :math:`\Delta C = c \sum W_1` spread by the national 民間消費支出
  pattern :math:`h`, produced in the region :math:`s \odot h \Delta C`, and :math:`X_2 = L^r (s \odot h\,\Delta C)`;
- at each stage 粗付加価値 :math:`v \odot X` (v: GVA ratio excl. 家計外消費支出), 雇用者所得
  :math:`w \odot X` and jobs :math:`e \odot X` (e: jobs per 百万円 from 経済センサス/国勢調査, see
  :func:`hokuriku.inputoutput.regional.jobs_per_million`).

A plant's investment ``I`` is split into 建設 (share k) and equipment (``machinery_sector``, default
30 生産用機械) final demand. The consumption ratio c is a parameter: default
:data:`DEFAULT_CONSUMPTION_RATIO`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from hokuriku.errors import ParameterError
from hokuriku.inputoutput.regional import RegionalModel

DEFAULT_CONSUMPTION_RATIO = 0.738
"""平均消費性向 (消費支出 ÷ 可処分所得), 総務省「家計調査」2015年 二人以上の世帯のうち勤労者世帯 (73.8%),
the ratio prefectural ripple tools use for the 第2次波及 (= 100 − 黒字率 26.2 %); typed from the publication
(not in the mirror)."""
STAGES = ("direct", "indirect1", "indirect2")
STAGE_JA = {"direct": "直接効果", "indirect1": "第1次間接波及効果", "indirect2": "第2次間接波及効果"}
KINDS = ("demand", "output", "investment")


@dataclass(frozen=True)
class Ripple:
    """Effects by stage and sector; ``table`` is long: stage, sector_code, sector_name_ja and the measures."""

    model: RegionalModel
    kind: str
    demand: np.ndarray
    consumption_ratio: float
    table: pd.DataFrame

    def totals(self) -> pd.DataFrame:
        """One row per stage plus 合計: output, GVA, 雇用者所得 (百万円) and jobs (人)."""
        t = self.table.groupby("stage", sort=False)[MEASURES].sum().reindex(list(STAGES))
        t.loc["total"] = t.sum()
        return t

    def multiplier(self) -> float:
        """Total output induced ÷ new demand (or ÷ plant output)."""
        return float(self.table["output_jpy_million"].sum() / self.demand.sum())


MEASURES = ["output_jpy_million", "gva_jpy_million", "compensation_jpy_million", "jobs_persons"]


def demand_vector(model: RegionalModel, sector: str, amount_jpy_million: float) -> np.ndarray:
    """A demand vector with ``amount`` in one sector (code or name)."""
    if not np.isfinite(amount_jpy_million) or amount_jpy_million <= 0:
        msg = f"amount must be a positive number of 百万円, got {amount_jpy_million}"
        raise ParameterError(msg)
    v = np.zeros(len(model.codes))
    v[model.sector_index(sector)] = amount_jpy_million
    return v


def investment_vector(model: RegionalModel, amount_jpy_million: float, construction_share: float,
                      machinery_sector: str = "30") -> np.ndarray:
    """Investment split into 建設 (``construction_share``) and equipment (``machinery_sector``)."""
    if not 0 <= construction_share <= 1:
        msg = f"construction_share must be within [0, 1], got {construction_share}"
        raise ParameterError(msg)
    return (demand_vector(model, "41", amount_jpy_million) * construction_share
            + demand_vector(model, machinery_sector, amount_jpy_million) * (1 - construction_share))


def ripple(model: RegionalModel, demand: np.ndarray, *, kind: str = "demand",
           consumption_ratio: float = DEFAULT_CONSUMPTION_RATIO) -> Ripple:
    """Ripple effects of a demand vector (``kind`` ``demand``/``investment``) or a plant's output (``output``)."""
    if kind not in KINDS:
        msg = f"kind must be one of {KINDS}, got {kind!r}"
        raise ParameterError(msg)
    if not 0 <= consumption_ratio <= 1:
        msg = f"consumption_ratio must be within [0, 1], got {consumption_ratio}"
        raise ParameterError(msg)
    demand = np.asarray(demand, float)
    if demand.shape != (len(model.codes),) or (demand < 0).any():
        msg = f"demand must be {len(model.codes)} non-negative values (百万円) in 37-sector order"
        raise ParameterError(msg)
    direct = demand.copy() if kind == "output" else model.supply_share * demand
    x1 = model.inverse @ direct
    w1 = model.compensation_ratio * x1
    consumption = consumption_ratio * w1.sum() * model.consumption_shares
    x2 = model.inverse @ (model.supply_share * consumption)
    stages = {"direct": direct, "indirect1": x1 - direct, "indirect2": x2}
    frames = []
    for stage, x in stages.items():
        frames.append(pd.DataFrame({
            "stage": stage, "stage_ja": STAGE_JA[stage], "sector_code": list(model.codes),
            "sector_name_ja": list(model.names), "output_jpy_million": x, "gva_jpy_million": model.gva_ratio * x,
            "compensation_jpy_million": model.compensation_ratio * x, "jobs_persons": model.jobs_per_million * x}))
    return Ripple(model, kind, demand, consumption_ratio, pd.concat(frames, ignore_index=True))


def jobs_by_area(result: Ripple, pref_outputs: pd.DataFrame) -> pd.DataFrame:
    """Jobs induced by prefecture of the region — the ``jobs`` the population what-if ``PlantJobs`` lever takes.

    A multi-prefecture region's jobs in sector j go to its prefectures in proportion to their
    estimated output of j (``pref_outputs``: ``pref_code, sector_code, output_jpy_million``).
    Returns ``area_code, jobs_persons`` (one row per prefecture of the region).
    """
    m = result.model
    jobs = result.table.groupby("sector_code")["jobs_persons"].sum().reindex(list(m.codes))
    wide = pref_outputs.pivot(index="pref_code", columns="sector_code", values="output_jpy_million")
    wide = wide.loc[list(m.pref_codes), list(m.codes)]
    share = wide.div(wide.sum(axis=0).where(lambda s: s > 0, 1), axis=1)
    per = share.mul(jobs, axis=1).sum(axis=1)
    return pd.DataFrame({"area_code": per.index, "jobs_persons": per.to_numpy()})


def multipliers(model: RegionalModel) -> pd.DataFrame:
    """Output multipliers by sector: regional (column sums of :math:`L^r`) and national (tool's ⑥)."""
    return pd.DataFrame({"sector_code": list(model.codes), "sector_name_ja": list(model.names),
                         "regional_multiplier": model.inverse.sum(axis=0),
                         "national_multiplier": model.national_inverse.sum(axis=0),
                         "region_output_jpy_million": model.x_region, "slq": model.slq})
