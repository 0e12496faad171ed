r"""経済活動別の産業構造: composition, 特化係数, growth, 1人当たり県民所得 and shift-share of a region.

Tables used (内閣府「令和4年度県民経済計算」, FY2011–FY2022, 2015年基準・2008SNA)
--------------------------------------------------------------------------
- ``kenmin_keizai_activity/gdp_by_activity``: 主要系列表1 経済活動別県内総生産（名目, 百万円), 16 activities
  per prefecture (a derived JSON copy of ``syuyo1.xlsx``). Only 製造業 as a whole: the seed's 製造業
  sub-activities (化学 3,100億円 …) need the original workbook, which is not at hand.
- ``kenmin_keizai/gdp``: 総括表1/2/7/9 — 県内総生産 nominal and real (連鎖方式, 平成27暦年連鎖価格, 百万円),
  1人当たり県民所得 (千円) and 総人口 (人), with ESRI's 全県計 row (``area_code == "00"``).

Definitions
-----------
Units are the region's prefectures, the region aggregate (``Region.key``, Σ of its members; only
for regions of ≥ 2 prefectures) and 全国 (``"00"``). 全国 of the activity table is Σ 47 prefectures
(the derived copy has no 全国 row); 全国 of the 総括表 is ESRI's 全県計.

- 構成比 :math:`c_{ar} = x_{ar} / \sum_a x_{ar}` over the 16 activities (which exclude 輸入品に課される
  税・関税 − 総資本形成に係る消費税, so they do not add up to 県内総生産).
- 特化係数 :math:`LQ_{ar} = (x_{ar}/x_r)/(x_{aN}/x_N)` (:mod:`hokuriku.indicators.location_quotient`).
- CAGR :math:`(x_t/x_s)^{1/(t-s)} - 1` (:mod:`hokuriku.indicators.growth`). Real GDP is chain-linked and
  not additive: the region's real series is the **sum of its members' chained values**, an
  approximation flagged in the table; prefecture and 全国 figures are ESRI's own.
- 1人当たり県民所得: ESRI's figure per prefecture and 全県計; the region's is the population-weighted
  mean :math:`\sum_r y_r P_r / \sum_r P_r` (≈ 県民所得 / 人口, since :math:`y_r` is rounded to 千円).
  Rank among 47: competition ranking (:mod:`hokuriku.indicators.rankings`).
- Shift-share (Dunn): :math:`\Delta x_{ar} = x^s_{ar}G + x^s_{ar}(g_{aN}-G) + x^s_{ar}(g_{ar}-g_{aN})`
  (:mod:`hokuriku.indicators.shift_share`), national = Σ 47 prefectures, nominal 百万円.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from hokuriku.codes import prefectures
from hokuriku.codes.prefectures import NATIONAL_CODE, Region
from hokuriku.indicators import growth, location_quotient, rankings, shares, shift_share
from hokuriku.plotting import formats, style

VALUE = "gdp_nominal_jpy_million"
REAL = "gdp_real_chained2015_jpy_million"
INCOME = "income_per_capita_jpy_thousand"
ACTIVITY_KEYS = ["fiscal_year", "activity_code", "activity_name_ja", "sector", "is_service"]
GROUP_ORDER = (
    "製造業",
    "建設業",
    "卸売・小売業",
    "宿泊・飲食サービス業",
    "不動産業",
    "専門・科学技術、業務支援サービス業",
    "公務",
    "教育",
    "保健衛生・社会事業",
    "その他のサービス",
    "その他",
)
"""Order of the composition chart's parts (seed chart, その他 last)."""
SEED_OTHER = ("農林水産業", "鉱業", "電気・ガス・水道・廃棄物処理業", "運輸・郵便業", "情報通信業", "金融・保険業")
"""Activities the seed's composition chart groups as その他 (seed line 730, 注)."""
SEED_MANUFACTURING_TOP = {"化学": 3_100, "はん用・生産用・業務用機械": 3_500, "電子部品・デバイス": 1_500}
"""Seed's largest 製造業 sub-activity of 富山/石川/福井 (億円, seed lines 704, 720–726): needs ESRI syuyo1.xlsx
(製造業 内訳), which is not at hand — the 16-activity table has 製造業 only."""
COMPONENT_NAMES = {
    "national_share_component": "全国成長要因",
    "industry_mix_component": "産業構成要因",
    "regional_component": "地域特殊要因",
}


def _oku(x: float) -> object:
    return pd.NA if pd.isna(x) else int(formats.round_half_up(x / formats.MILLION_PER_OKU, 0))


def _round(x: float, digits: int) -> float:
    return float("nan") if pd.isna(x) else float(formats.round_half_up(x, digits))


def unit_labels(region: Region | str | list) -> dict[str, str]:
    """Map unit code → label: members (short names), the region aggregate (≥ 2 members), 全国."""
    reg = prefectures.region(region)
    out = {c: prefectures.short_name(c) for c in reg.pref_codes}
    if len(reg) > 1:
        out[reg.key] = reg.name_ja
    out[NATIONAL_CODE] = prefectures.NATIONAL_NAME
    return out


def _with_units(
    df: pd.DataFrame,
    region: Region,
    *,
    value: str,
    by: list[str],
    unit: str = "pref_code",
    national: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Members, the region aggregate and 全国 (Σ 47 unless ``national`` rows are given) as ``unit_code``."""
    base = df[[unit, *by, value]]
    parts = [base[base[unit].isin(region.pref_codes)]]
    if len(region) > 1:
        parts.append(shares.aggregate_region(base, region, value=value, by=by, unit=unit, label=region.key))
    if national is None:
        national = shares.aggregate_region(base, "ALL", value=value, by=by, unit=unit, label=NATIONAL_CODE)
    parts.append(national[[unit, *by, value]])
    out = pd.concat(parts, ignore_index=True).rename(columns={unit: "unit_code"})
    labels = unit_labels(region)
    out.insert(1, "unit_name", out["unit_code"].map(labels))
    return out


def activity_panel(activity: pd.DataFrame, region: Region | str | list) -> pd.DataFrame:
    """GDP by activity (百万円) for the members, the region aggregate and 全国 (Σ 47), every year."""
    return _with_units(activity, prefectures.region(region), value=VALUE, by=ACTIVITY_KEYS)


def composition_table(panel: pd.DataFrame, *, fiscal_year: int) -> pd.DataFrame:
    """経済活動 × unit: 億円 and 構成比(%) (of the 16 activities), plus a 16活動計 row."""
    rows = panel[panel["fiscal_year"] == fiscal_year]
    comp = shares.composition(rows, value=VALUE, part="activity_name_ja", within="unit_code")
    units = list(dict.fromkeys(rows["unit_name"]))
    oku = comp.pivot(index="activity_name_ja", columns="unit_name", values=VALUE).loc[
        list(dict.fromkeys(rows["activity_name_ja"])), units
    ]
    pct = comp.pivot(index="activity_name_ja", columns="unit_name", values="share").loc[oku.index, units] * 100
    oku.loc["16活動計"] = oku.sum(skipna=False)
    pct.loc["16活動計"] = pct.sum(skipna=False)
    out = pd.DataFrame({"経済活動": oku.index})
    for u in units:
        out[f"{u}(億円)"] = [_oku(v) for v in oku[u]]
        out[f"{u}(構成比%)"] = [_round(v, 1) for v in pct[u]]
    return out


def chart_groups(panel: pd.DataFrame, *, fiscal_year: int) -> pd.DataFrame:
    """Activities of one year grouped as in the seed chart (:data:`SEED_OTHER` → その他)."""
    rows = panel[panel["fiscal_year"] == fiscal_year]
    group = rows["activity_name_ja"].where(~rows["activity_name_ja"].isin(SEED_OTHER), "その他")
    out = rows.assign(group=group).groupby(["unit_code", "unit_name", "group"], sort=False)[VALUE].sum(min_count=1)
    return out.reset_index()


def largest_activities(panel: pd.DataFrame, *, fiscal_year: int) -> pd.DataFrame:
    """Per unit: the largest activity overall and the largest service activity (``is_service``), 億円."""
    rows = panel[panel["fiscal_year"] == fiscal_year]
    out = []
    for (code, name), g in rows.groupby(["unit_code", "unit_name"], sort=False):
        top, svc = g.loc[g[VALUE].idxmax()], g[g["is_service"]].loc[g.loc[g["is_service"], VALUE].idxmax()]
        out.append(
            {
                "unit_code": code,
                "地域": name,
                "最大の経済活動": top["activity_name_ja"],
                "最大の経済活動(億円)": _oku(top[VALUE]),
                "最大のサービス活動": svc["activity_name_ja"],
                "最大のサービス活動(億円)": _oku(svc[VALUE]),
            }
        )
    return pd.DataFrame(out)


def lq_long(panel: pd.DataFrame, *, fiscal_year: int) -> pd.DataFrame:
    """特化係数 of every activity for each unit except 全国, against 全国 (the ``"00"`` rows)."""
    rows = panel[panel["fiscal_year"] == fiscal_year]
    lq = location_quotient.location_quotient(
        rows, value=VALUE, unit="unit_code", industry="activity_name_ja", national="row"
    )
    names = dict(zip(rows["unit_code"], rows["unit_name"], strict=False))
    lq = lq.assign(unit_name=lq["unit_code"].map(names))
    return _in_order(lq, unit_order=list(names), activity_order=list(dict.fromkeys(rows["activity_name_ja"])))


def _in_order(df: pd.DataFrame, *, activity_order: list[str], unit_order: list[str] | None = None) -> pd.DataFrame:
    """Rows sorted by unit (input order) then activity in ESRI order (indicators sort by name)."""
    ranks = {"activity_name_ja": {a: i for i, a in enumerate(activity_order)}}
    if unit_order is not None:
        ranks = {"unit_code": {u: i for i, u in enumerate(unit_order)}, **ranks}
    return df.sort_values(list(ranks), key=lambda s: s.map(ranks[s.name]), kind="stable").reset_index(drop=True)


def lq_table(lq: pd.DataFrame) -> pd.DataFrame:
    """特化係数 wide: 経済活動 × unit, 2 decimals, activities in ESRI order."""
    order = list(dict.fromkeys(lq["activity_name_ja"]))
    units = list(dict.fromkeys(lq["unit_name"]))
    wide = lq.pivot(index="activity_name_ja", columns="unit_name", values="lq").loc[order, units]
    return wide.map(lambda v: _round(v, 2)).rename_axis(columns=None).reset_index(names="経済活動")


def _kenmin_units(gdp: pd.DataFrame, region: Region, value: str) -> pd.DataFrame:
    rows = gdp[gdp["area_type"].isin(["all_prefectures", "prefecture"])].rename(columns={"area_code": "pref_code"})
    prefs = rows[rows["area_type"] == "prefecture"]
    return _with_units(
        prefs, region, value=value, by=["fiscal_year"], national=rows[rows["pref_code"] == NATIONAL_CODE]
    )


def gdp_index(gdp: pd.DataFrame, region: Region | str | list, *, base: int, real: bool = True) -> pd.DataFrame:
    """県内総生産 index (``base`` = 100) per unit and fiscal year, nominal or real."""
    value = REAL if real else VALUE
    panel = _kenmin_units(gdp, prefectures.region(region), value)
    return growth.index(panel, value=value, time="fiscal_year", base=base, by="unit_code")


def growth_table(gdp: pd.DataFrame, region: Region | str | list, *, start: int, end: int) -> pd.DataFrame:
    """Nominal and real 県内総生産 at ``start``/``end`` (億円), growth and CAGR (%, 1 decimal) per unit."""
    reg = prefectures.region(region)
    out = None
    for value, tag in ((VALUE, "名目"), (REAL, "実質")):
        panel = _kenmin_units(gdp, reg, value)
        g = growth.cagr(panel, value=value, time="fiscal_year", start=start, end=end, by=["unit_code", "unit_name"])
        part = pd.DataFrame(
            {
                "unit_code": g["unit_code"],
                "地域": g["unit_name"],
                f"{tag}{start}年度(億円)": [_oku(v) for v in g[f"{value}_start"]],
                f"{tag}{end}年度(億円)": [_oku(v) for v in g[f"{value}_end"]],
                f"{tag}増加率(%)": [_round(100 * v, 1) for v in g["growth_rate"]],
                f"{tag}年平均成長率(%)": [_round(100 * v, 1) for v in g["cagr"]],
            }
        )
        out = part if out is None else out.merge(part, on=["unit_code", "地域"], validate="one_to_one")
    out["注"] = np.where(out["unit_code"] == reg.key, "実質は連鎖価格の単純合計（参考値）", "")
    order = {u: i for i, u in enumerate(unit_labels(reg))}
    return out.sort_values("unit_code", key=lambda s: s.map(order)).reset_index(drop=True)


def income_ranking(gdp: pd.DataFrame, *, fiscal_year: int) -> pd.DataFrame:
    """1人当たり県民所得 (千円) of the 47 prefectures with their rank (1 = highest)."""
    rows = gdp[(gdp["fiscal_year"] == fiscal_year) & (gdp["area_type"] == "prefecture")]
    ranked = rankings.rank(rows.rename(columns={"area_code": "pref_code"}), value=INCOME)
    return ranked.assign(label=ranked["pref_code"].map(prefectures.short_name))[
        ["pref_code", "label", INCOME, "population_persons", "rank", "n_ranked"]
    ]


def income_table(gdp: pd.DataFrame, region: Region | str | list, *, fiscal_year: int) -> pd.DataFrame:
    """Members (ESRI figure, rank among 47), the region (population-weighted) and 全国 (全県計)."""
    reg = prefectures.region(region)
    ranked = income_ranking(gdp, fiscal_year=fiscal_year).set_index("pref_code")
    national = gdp[(gdp["fiscal_year"] == fiscal_year) & (gdp["area_code"] == NATIONAL_CODE)].iloc[0][INCOME]
    rows = [
        {
            "地域": prefectures.short_name(c),
            "1人当たり県民所得(千円)": _round(ranked.at[c, INCOME], 0),
            "全国順位": int(ranked.at[c, "rank"]),
            "全国=100": _round(100 * ranked.at[c, INCOME] / national, 1),
        }
        for c in reg.pref_codes
    ]
    if len(reg) > 1:
        m = ranked.loc[list(reg.pref_codes)]
        weighted = (m[INCOME] * m["population_persons"]).sum() / m["population_persons"].sum()
        rows.append(
            {
                "地域": f"{reg.name_ja}（人口加重平均）",
                "1人当たり県民所得(千円)": _round(weighted, 0),
                "全国順位": pd.NA,
                "全国=100": _round(100 * weighted / national, 1),
            }
        )
    rows.append(
        {
            "地域": prefectures.NATIONAL_NAME,
            "1人当たり県民所得(千円)": _round(national, 0),
            "全国順位": pd.NA,
            "全国=100": 100.0,
        }
    )
    out = pd.DataFrame(rows)
    out["全国順位"] = out["全国順位"].astype("Int64")
    return out


def shift_share_table(activity: pd.DataFrame, region: Region | str | list, *, start: int, end: int) -> pd.DataFrame:
    """Dunn shift-share of the region's nominal GDP by activity, 億円 (1 decimal), with a 16活動計 row."""
    reg = prefectures.region(region)
    res = shift_share.shift_share(
        activity,
        reg.pref_codes,
        value=VALUE,
        time="fiscal_year",
        start=start,
        end=end,
        industry="activity_name_ja",
        national="sum",
    )
    order = activity.sort_values("activity_code")["activity_name_ja"].drop_duplicates().tolist()
    res = _in_order(res, activity_order=order)
    total = shift_share.summarize(res).assign(activity_name_ja="16活動計")
    both = pd.concat([res, total], ignore_index=True)
    out = pd.DataFrame(
        {
            "経済活動": both["activity_name_ja"],
            f"{start}年度(億円)": [_round(v / 100, 1) for v in both[f"{VALUE}_start"]],
            f"{end}年度(億円)": [_round(v / 100, 1) for v in both[f"{VALUE}_end"]],
            "増減(億円)": [_round(v / 100, 1) for v in both["change"]],
        }
    )
    for col, name in COMPONENT_NAMES.items():
        out[f"{name}(億円)"] = [_round(v / 100, 1) for v in both[col]]
    return out


GROUP_COLOURS = style.PART_COLOURS
"""One distinct colour per part of :data:`GROUP_ORDER` (the house cycle repeats after 10 parts)."""


def composition_chart(groups: pd.DataFrame) -> tuple[Figure, object]:
    """100 % stacked bars of :func:`chart_groups` (units top to bottom), parts in :data:`GROUP_ORDER`."""
    from hokuriku.plotting import charts  # noqa: PLC0415 - plotting only when drawing

    parts = [g for g in GROUP_ORDER if g in set(groups["group"])]
    fig, ax = charts.composition_stacked(groups, value=VALUE, category="unit_name", part="group", part_order=parts)
    for container, colour in zip(ax.containers, GROUP_COLOURS, strict=False):
        for patch in container:
            patch.set_facecolor(colour)
    ax.legend(ax.containers, parts, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=6)
    return fig, ax


def lq_chart(lq: pd.DataFrame) -> tuple[Figure, list]:
    """Small multiples of 特化係数 by activity, one panel per unit, reference line at 1."""
    units = list(dict.fromkeys(lq["unit_code"]))
    order = list(dict.fromkeys(lq["activity_name_ja"]))
    fig = Figure(figsize=style.figsize("body"), layout="constrained")
    axes = fig.subplots(1, len(units), sharey=True, squeeze=False)[0]
    top = float(np.nanmax(lq["lq"].to_numpy(dtype="float64"))) * 1.25
    y = np.arange(len(order))[::-1]
    for ax, code in zip(axes, units, strict=True):
        d = lq[lq["unit_code"] == code].set_index("activity_name_ja").loc[order]
        ax.barh(y, d["lq"], color=style.pref_colour(code), height=0.7)
        ax.axvline(1.0, color=style.NATIONAL_COLOUR, linewidth=1, linestyle="--")
        for yy, v in zip(y, d["lq"], strict=True):
            ax.annotate(
                formats.fmt_number(v, 2),
                (0 if np.isnan(v) else v, yy),
                xytext=(2, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
        ax.set_xlim(0, top)
        ax.set_title(d["unit_name"].iloc[0], fontsize=12)
        ax.grid(axis="y", visible=False)
    axes[0].set_yticks(y, order, fontsize=9)
    return fig, list(axes)


def shift_share_chart(table: pd.DataFrame) -> tuple[Figure, object]:
    """Draw grouped horizontal bars of the three shift-share components by activity (億円)."""
    from hokuriku.plotting import charts  # noqa: PLC0415 - plotting only when drawing

    data = table[table["経済活動"] != "16活動計"]
    names = list(COMPONENT_NAMES.values())
    return charts.grouped_barh(data, label="経済活動", values=[f"{n}(億円)" for n in names], names=names,
                               xlabel="億円")


@dataclass(frozen=True)
class Structure:
    """What notebook ``20_economic_structure`` saves (tables, chart data, source notes)."""

    region: Region
    panel: pd.DataFrame
    composition: pd.DataFrame
    groups: pd.DataFrame
    largest: pd.DataFrame
    lq: pd.DataFrame
    lq_table: pd.DataFrame
    growth: pd.DataFrame
    index: pd.DataFrame
    income: pd.DataFrame
    income_ranking: pd.DataFrame
    shift_share: pd.DataFrame
    note_activity: str
    note_kenmin: str
    note_all: str

    def chart_note(self, which: str = "all") -> str:
        """``note_activity`` / ``note_kenmin`` / ``note_all`` broken into lines for a slide chart."""
        return getattr(self, f"note_{which}")


def build(
    region: Region | str | list = prefectures.DEFAULT_REGION,
    *,
    vintage: str = "2022",
    fiscal_year: int = 2022,
    start: int = 2011,
) -> Structure:
    """Read the store tables and assemble every table of the structure report for ``region``."""
    from hokuriku import manifest, store  # I/O lives here only

    # Load inputs.
    activity = store.table("kenmin_keizai_activity", "gdp_by_activity", vintage)
    gdp = store.table("kenmin_keizai", "gdp", vintage)
    # Process data.
    reg = prefectures.region(region)
    panel = activity_panel(activity, reg)
    lq = lq_long(panel, fiscal_year=fiscal_year)
    pairs_a, pairs_k = activity.attrs["source_pairs"], gdp.attrs["source_pairs"]
    return Structure(
        region=reg,
        panel=panel,
        composition=composition_table(panel, fiscal_year=fiscal_year),
        groups=chart_groups(panel, fiscal_year=fiscal_year),
        largest=largest_activities(panel, fiscal_year=fiscal_year),
        lq=lq,
        lq_table=lq_table(lq),
        growth=growth_table(gdp, reg, start=start, end=fiscal_year),
        index=gdp_index(gdp, reg, base=start, real=True),
        income=income_table(gdp, reg, fiscal_year=fiscal_year),
        income_ranking=income_ranking(gdp, fiscal_year=fiscal_year),
        shift_share=shift_share_table(activity, reg, start=start, end=fiscal_year),
        note_activity=manifest.source_note(pairs_a),
        note_kenmin=manifest.source_note(pairs_k),
        note_all=manifest.source_note([*pairs_k, *pairs_a]),
    )
