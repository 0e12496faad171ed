"""Report assembly for notebook ``70_ripple_effect``: 経済波及効果 tables and charts for a region.

The model: :mod:`hokuriku.inputoutput.regional` (FLQ regional coefficients from the 総務省 2015
37-sector table), :mod:`hokuriku.inputoutput.ripple` (direct, 1st and 2nd indirect effects, GVA,
雇用者所得, jobs); the validation tables: :mod:`hokuriku.inputoutput.validation`. Method, data and
limits: ``docs/io_model.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from hokuriku import manifest, store
from hokuriku.analysis.agglomeration import furnish
from hokuriku.errors import ParameterError
from hokuriku.inputoutput import inputs, regional, ripple, table, validation
from hokuriku.plotting import charts, formats, style

KIND_JA = {"output": "新工場の年間生産額", "demand": "最終需要の増加", "investment": "設備投資（建設＋機械）"}
MEASURE_JA = {"output_jpy_million": "生産誘発額", "gva_jpy_million": "粗付加価値誘発額",
              "compensation_jpy_million": "雇用者所得誘発額", "jobs_persons": "誘発雇用者数"}
VALIDATION_PAIRS = [("io_miyazaki", "2011"), ("io_regional_12", "2015"), ("io_mic_2015", "2015")]


def validation_note() -> str:
    """The ``(出所)`` line of the validation tables (from the manifests)."""
    return manifest.source_note(VALIDATION_PAIRS)


@dataclass(frozen=True)
class RippleReport:
    """Everything the notebook shows for one scenario."""

    scenario: str
    sector: str
    amount_oku: float
    kind: str
    construction_share: float
    result: ripple.Ripple
    assumptions: pd.DataFrame
    note: str
    vintages: dict


def build(region: object, *, sector: str, amount_oku: float, scenario: str, kind: str = "output",
          construction_share: float = 0.3, machinery_sector: str = "30",
          consumption_ratio: float = ripple.DEFAULT_CONSUMPTION_RATIO, method: str = regional.DEFAULT_METHOD,
          delta: float = regional.DEFAULT_DELTA) -> RippleReport:
    """Build the model of ``region`` and compute the ripple effects of one scenario (amount in 億円)."""
    if not scenario.strip():
        msg = "scenario must be a non-empty name"
        raise ParameterError(msg)
    model = inputs.build_model(region, method, delta)
    amount = float(amount_oku) * 100.0
    if kind == "investment":
        vec = ripple.investment_vector(model, amount, construction_share, machinery_sector)
    else:
        vec = ripple.demand_vector(model, sector, amount)
    res = ripple.ripple(model, vec, kind=kind, consumption_ratio=consumption_ratio)
    i = model.sector_index(sector)
    rows = [
        ("対象地域", f"{model.region_name_ja}（{'・'.join(model.pref_codes)}）"),
        ("シナリオ", scenario),
        ("投入の種類", KIND_JA[kind]),
        ("部門", f"{model.codes[i]} {model.names[i]}" if kind != "investment" else
         f"41 建設 {construction_share:.0%}、{machinery_sector} "
         f"{model.names[model.sector_index(machinery_sector)]} {1 - construction_share:.0%}"),
        ("金額", f"{formats.fmt_number(amount_oku, 0)}億円"),
        ("直接効果の扱い", "全額が域内の生産（新工場の生産額）" if kind == "output"
         else "需要額 × 域内自給率 s_i =（1 − 輸入係数）× min(SLQ, 1)"),
        ("地域の投入係数", f"{model.method}（δ = {model.delta:g}）× 全国の国産品投入係数（2015年表 37部門）"),
        ("消費転換係数", f"{consumption_ratio:.3f}（家計調査 2015年 勤労者世帯 平均消費性向）"),
        ("雇用者所得率・粗付加価値率", "全国表（2015年）の部門別比率（粗付加価値は家計外消費支出を除く）"),
        ("雇用係数", "経済センサス‐基礎調査2014 従業者数（産業大分類）・国勢調査2015 第1次産業就業者数 ÷ 推計生産額"),
        ("域内生産額の推計",
         "県民経済計算 平成27年度 経済活動別県内総生産 ÷ 全国の付加価値率；製造業は工業統計2016の中分類別出荷額で配分"),
    ]
    return RippleReport(scenario, sector, float(amount_oku), kind, construction_share, res,
                        pd.DataFrame(rows, columns=["項目", "前提"]), inputs.source_note(), dict(inputs.VINTAGES))


def _oku(x: float) -> float:
    return float(formats.round_half_up(x / 100.0, 1))


def display_totals(rep: RippleReport) -> pd.DataFrame:
    """Effects by stage (億円, 人) with the 波及倍率 (total output ÷ input amount)."""
    t = rep.result.totals()
    out = pd.DataFrame({"区分": [ripple.STAGE_JA.get(s, "合計") for s in t.index]})
    for m in ripple.MEASURES[:3]:
        out[f"{MEASURE_JA[m]}（億円）"] = [_oku(v) for v in t[m]]
    out["誘発雇用者数（人）"] = [float(formats.round_half_up(v, 0)) for v in t["jobs_persons"]]
    out["波及倍率"] = [None] * (len(out) - 1) + [float(formats.round_half_up(rep.result.multiplier(), 2))]
    return out


def display_sectors(rep: RippleReport, top: int = 10) -> pd.DataFrame:
    """The sectors with the largest total output induced (億円, 人)."""
    t = rep.result.table.groupby(["sector_code", "sector_name_ja"], as_index=False)[ripple.MEASURES].sum()
    t = t.sort_values("output_jpy_million", ascending=False).head(top)
    out = pd.DataFrame({"部門": t["sector_code"] + " " + t["sector_name_ja"]})
    for m in ripple.MEASURES[:3]:
        out[f"{MEASURE_JA[m]}（億円）"] = [_oku(v) for v in t[m]]
    out["誘発雇用者数（人）"] = [float(formats.round_half_up(v, 0)) for v in t["jobs_persons"]]
    return out.reset_index(drop=True)


def kgi_line(rep: RippleReport) -> pd.DataFrame:
    """The cluster-plan KGI 付加価値増加額: the GVA induced (億円), by stage and total."""
    t = rep.result.totals()
    return pd.DataFrame({"KGI": ["付加価値増加額"], "シナリオ": [rep.scenario],
                         "直接（億円）": [_oku(t.at["direct", "gva_jpy_million"])],
                         "波及を含む合計（億円）": [_oku(t.at["total", "gva_jpy_million"])],
                         "投入額に対する比率（%）": [float(formats.round_half_up(
                             t.at["total", "gva_jpy_million"] / rep.result.demand.sum() * 100, 1))]})


def display_multipliers(rep: RippleReport, top: int = 8) -> pd.DataFrame:
    """Output multipliers of the region's largest industries: regional model vs the national inverse."""
    m = ripple.multipliers(rep.result.model)
    m = m[~m["sector_code"].isin(regional.UNASSIGNED_SECTORS)]
    m = m.sort_values("region_output_jpy_million", ascending=False).head(top)
    return pd.DataFrame({"部門": (m["sector_code"] + " " + m["sector_name_ja"]).to_numpy(),
                         "域内生産額（推計・億円）": [_oku(v) for v in m["region_output_jpy_million"]],
                         "特化係数（SLQ）": [float(formats.round_half_up(v, 2)) for v in m["slq"]],
                         "地域の生産波及倍率": [float(formats.round_half_up(v, 3)) for v in m["regional_multiplier"]],
                         "全国の生産波及倍率": [float(formats.round_half_up(v, 3)) for v in m["national_multiplier"]]})


def jobs_for_population(rep: RippleReport) -> pd.DataFrame:
    """Jobs induced by prefecture: the ``jobs`` of the population what-if ``PlantJobs(area_code, jobs, …)``."""
    j = ripple.jobs_by_area(rep.result, inputs.prefecture_outputs())
    return pd.DataFrame({"area_code": j["area_code"], "誘発雇用者数（人）":
                         [float(formats.round_half_up(v, 0)) for v in j["jobs_persons"]]})


def effects_chart(rep: RippleReport) -> Figure:
    """Stacked bars: output, GVA and 雇用者所得 induced by stage (億円)."""
    t = rep.result.totals().drop(index="total")
    fig = Figure(figsize=style.figsize("body"), layout="constrained")
    ax = fig.subplots()
    labels = [MEASURE_JA[m] for m in ripple.MEASURES[:3]]
    left = np.zeros(3)
    colours = style.series_colours(3)
    for (stage, row), colour in zip(t.iterrows(), colours, strict=True):
        vals = np.array([row[m] / 100 for m in ripple.MEASURES[:3]])
        ax.barh(labels, vals, left=left, color=colour, label=ripple.STAGE_JA[stage])
        for k, v in enumerate(vals):
            if v > left.max() * 0.06 + 1e-9 or k == 0:
                ax.text(left[k] + v / 2, k, formats.fmt_number(v, 0), ha="center", va="center",
                        color="#333333" if stage == "indirect2" else "white",
                        fontsize=10)
        left += vals
    for k, v in enumerate(left):
        ax.text(v, k, f" 計 {formats.fmt_number(v, 0)}億円", va="center", fontsize=11)
    ax.invert_yaxis()
    ax.set_xlim(0, left.max() * 1.25)
    ax.xaxis.set_major_formatter(formats.thousands_formatter())
    ax.set_xlabel("億円")
    ax.legend(loc="lower right", fontsize=10)
    jobs = rep.result.totals().at["total", "jobs_persons"]
    return furnish(fig, f"経済波及効果（{rep.result.model.region_name_ja}・{rep.scenario}）", rep.note,
                   f"{KIND_JA[rep.kind]} {formats.fmt_number(rep.amount_oku, 0)}億円；誘発雇用者数 "
                   f"{formats.fmt_number(jobs, 0)}人；波及倍率 {rep.result.multiplier():.2f}")


def multipliers_chart(rep: RippleReport) -> Figure:
    """Grouped bars: regional vs national output multipliers of the region's largest industries."""
    d = display_multipliers(rep)
    fig, ax = charts.grouped_barh(d, label="部門", values=["全国の生産波及倍率", "地域の生産波及倍率"],
                                 names=["全国（競争輸入型逆行列 列和）",
                                        f"{rep.result.model.region_name_ja}（FLQ推計）"],
                                 fmt=formats.thousands_formatter(2), xlabel="生産波及倍率（倍）")
    ax.set_xlim(0, float(d[["全国の生産波及倍率", "地域の生産波及倍率"]].to_numpy().max()) * 1.45)
    ax.legend(loc="lower right", fontsize=10)
    return furnish(fig, f"主要産業の生産波及倍率：{rep.result.model.region_name_ja}と全国", rep.note,
                   "域内生産額（推計）の大きい8部門。地域の倍率は域外からの調達を除くため全国より小さい")


def validation_tables() -> dict[str, pd.DataFrame]:
    """The validation tables (a) and (b) with Japanese headers (module docstring of validation)."""
    inter = store.table("io_regional_12", "intermediate")
    out = store.table("io_regional_12", "output")
    a, a_by = validation.compare_technical_12(inter, out)
    a = a.sort_values("pref_code")
    names12 = store_sector_names(out)
    g = a_by.groupby("sector")
    ta_sec = pd.DataFrame({"部門": [f"{c} {names12[c]}" for c in g.groups],
                           "全国の投入係数列和": g["colsum_nation"].first().round(3).to_numpy(),
                           "42県の列和 最小": g["colsum_region"].min().round(3).to_numpy(),
                           "42県の列和 最大": g["colsum_region"].max().round(3).to_numpy(),
                           "MAD 42県平均": g["mad"].mean().round(4).to_numpy(),
                           "WAE 42県平均（%）": (g["wae"].mean() * 100).round(1).to_numpy()})
    ta = pd.DataFrame({"都道府県": [_pref(c) for c in a["pref_code"]],
                       "平均絶対差（MAD）": a["mad"].round(4), "加重誤差（WAE, %）": (a["wae"] * 100).round(1),
                       "投入係数列和の平均絶対差": a["colsum_mad"].round(3)})
    mz = table.from_long(store.table("io_miyazaki", "transactions"), "value_jpy_10k", unit="万円")
    cw = regional.crosswalk("miyazaki_common")
    r = validation.aggregate(mz, cw[cw["table"] == "miyazaki"].set_index("code")["common_code"])
    n = validation.aggregate(inputs.national(), cw[cw["table"] == "mic"].set_index("code")["common_code"])
    b, by = validation.compare_lq(r, n)
    b2, _ = validation.compare_lq(r, n, technology="regional")
    rows = []
    for tech, frame in (("全国の技術（モデルと同じ）", b), ("宮崎県自身の技術（交易推計のみ）", b2)):
        for _, x in frame.iterrows():
            rows.append({"投入係数": tech, "手法": x["method"], "域内調達係数 MAD": round(x["mad"], 4),
                         "域内調達係数 WAE（%）": round(x["wae"] * 100, 1),
                         "生産波及倍率 平均絶対誤差（%）": round(x["multiplier_mape"] * 100, 1),
                         "同 生産額加重（%）": round(x["multiplier_wmape"] * 100, 1),
                         "同 平均誤差（%）": round(x["multiplier_mean_bias"] * 100, 1)})
    default = f"FLQ δ={regional.DEFAULT_DELTA:g}"
    sec = by[by["method"].isin(["SLQ", "CILQ", default])]
    names = cw[cw["table"] == "mic"].drop_duplicates("common_code").set_index("common_code")["common_name_ja"]
    wide = sec.pivot(index="sector_code", columns="method", values="multiplier_est")
    tb_sec = pd.DataFrame({"部門": [f"{c} {names[c]}" for c in wide.index],
                           "宮崎県表の倍率": sec.drop_duplicates("sector_code").set_index("sector_code")
                           .loc[wide.index, "multiplier_table"].round(3).to_numpy()})
    for mth in ["SLQ", "CILQ", default]:
        tb_sec[f"{mth} 推計"] = wide[mth].round(3).to_numpy()
    w = sec[sec["method"] == default].set_index("sector_code").loc[wide.index]
    tb_sec[f"{default} 域内調達係数 MAD"] = w["mad"].round(4).to_numpy()
    tb_sec[f"{default} 域内調達係数 WAE（%）"] = (w["wae"] * 100).round(1).to_numpy()
    return {"technical_12": ta, "technical_12_sectors": ta_sec, "lq_overall": pd.DataFrame(rows),
            "lq_sectors": tb_sec}


def store_sector_names(output: pd.DataFrame) -> dict[str, str]:
    """12-sector code → Japanese name, from the loader's output table."""
    return output.drop_duplicates("sector").set_index("sector")["sector_name_ja"].to_dict()


def _pref(code: str) -> str:
    from hokuriku.codes import prefectures

    return prefectures.name_ja(code)
