r"""戦略産業クラスター計画の指標: baseline, target path, progress, KGIs and コネクター度・ハブ度.

Report assembly for notebook ``60_cluster_kpi`` (spec ``REPRODUCE.md`` §5). A cluster is a set of
JSIC 中分類 industries (``hokuriku/codes/data/clusters.yml``: 北陸 AI・半導体関連, 部素材・CE) in the
prefectures of the report's region (the region parameter replaces the prefectures of the YAML, so
the same industry definition can be applied to 北陸4県 or a 経済産業局 block).

Tables used
-----------
``kogyo_tokei/pref_industry``: 経済産業省「工業統計調査」地域別統計表 表3-01, prefecture × 中分類
(従業者4人以上の事業所): 製造品出荷額等 and 付加価値額 (百万円; 4–29人 establishments: 粗付加価値額),
従業者数 (人). Every declared vintage is read; a vintage's ``year`` is its reference year
(2016 = 平成29年調査, 2019 = 2020年調査). Suppressed cells (X) are NaN and counted, never 0.

Formulas (:mod:`hokuriku.indicators.cluster_kpi`)
-------------------------------------------------
- baseline :math:`B_m = \sum_{p,i} x_{m,p,i}` over the cluster's industries *i* and prefectures *p*;
- linear target path :math:`T_m(t) = B_m (1 + g_m (t - t_0)/(T - t_0))` (``method="geometric"``:
  :math:`B_m (1+g_m)^{(t-t_0)/(T-t_0)}`);
- progress: gap :math:`A_m(t) - T_m(t)`, % of target :math:`100 A/T`, % of the planned increase
  achieved :math:`100 (A - B)/(T(t) - B)`;
- コネクター度 = 企業の域外販売額 ÷ 所在都道府県の域外販売額; ハブ度 = 企業の域内仕入額 ÷ 所在都道府県の
  域内仕入額 (地域未来戦略 資料, seed ``chiiki-mirai-senryaku-2026-05-22``), in % here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from hokuriku.analysis.agglomeration import furnish
from hokuriku.codes import industries, prefectures
from hokuriku.codes.prefectures import Region
from hokuriku.datasets import DATA as DATASETS_DIR
from hokuriku.errors import InputError
from hokuriku.indicators import cluster_kpi as kpi
from hokuriku.plotting import formats, style

DEFAULT_CLUSTERS = ("hokuriku_ai_semiconductor", "hokuriku_materials_ce")
MEASURES = ("shipments_jpy_million", "value_added_jpy_million", "employees")
MEASURE_JA = {
    "shipments_jpy_million": "製造品出荷額等",
    "value_added_jpy_million": "付加価値額",
    "employees": "従業者数",
}
UNIT_JA = {"shipments_jpy_million": "億円", "value_added_jpy_million": "億円", "employees": "人"}
EXAMPLE_FIRMS = DATASETS_DIR / "synthetic_firms.csv"
EXAMPLE_PREF_TOTALS = DATASETS_DIR / "synthetic_pref_totals.csv"
"""Synthetic example inputs of the コネクター度・ハブ度 calculator (see the README next to them)."""
PREF_TOTAL_COLUMNS = {
    "pref_code": ("pref_code", "都道府県コード", "都道府県"),
    "outside_sales": ("outside_sales", "域外販売額"),
    "inside_purchases": ("inside_purchases", "域内仕入額"),
}
KGI_JA = {
    "官民設備投資額": (
        "一部可",
        "工業統計の有形固定資産投資総額は従業者30人以上の製造事業所の民間投資のみ。公的投資を含まず、"
        "手元の表3-01には投資額の列がない。",
    ),
    "付加価値増加額": (
        "可",
        "都道府県×産業中分類の付加価値額（4〜29人は粗付加価値額）の2時点差で測れる。製造業のみ。"
        "2021年以降は経済構造実態調査へ移行し系列が断絶する。",
    ),
    "産業ニーズに即した人材育成数": (
        "不可",
        "公的統計に該当する指標がない。大学・高専・職業訓練など事業実績から計画主体が報告する。",
    ),
}
"""Japanese reading of :func:`hokuriku.indicators.cluster_kpi.measurable_kgis` (same three KGIs)."""


def load_values() -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """Every declared ``kogyo_tokei`` vintage, concatenated (one ``year`` per vintage), and its pairs."""
    from hokuriku import manifest, store  # I/O lives here only

    frames, pairs = [], []
    for v in manifest.vintages("kogyo_tokei"):
        df = store.table("kogyo_tokei", "pref_industry", v)
        frames.append(df)
        pairs += df.attrs["source_pairs"]
    return pd.concat(frames, ignore_index=True), pairs


def clusters_for(keys: list[str] | tuple[str, ...], region: Region) -> list[kpi.Cluster]:
    """Clusters of ``clusters.yml`` by key, on the region's prefectures."""
    defined = kpi.load_clusters()
    unknown = [k for k in keys if k not in defined]
    if unknown or not keys:
        raise InputError(f"unknown cluster key(s) {unknown or keys}; defined in clusters.yml: {sorted(defined)}")
    out = []
    for k in keys:
        c = defined[k]
        name = c.name_ja if c.pref_codes == region.pref_codes else c.name_ja.removeprefix("北陸").strip()
        out.append(
            replace(c, pref_codes=region.pref_codes, name_ja=name)
        )  # the YAML's 北陸 label only on its own prefectures
    return out


def _year_or_raise(values: pd.DataFrame, year: int, what: str) -> None:
    years = sorted(int(y) for y in values["year"].unique())
    if year not in years:
        raise InputError(f"{what} {year} is not in the data; reference years available: {years}")


def baseline_table(values: pd.DataFrame, clusters: list[kpi.Cluster], year: int) -> pd.DataFrame:
    """Long ``cluster, pref_code, measure, year, value, n_missing`` (``pref_code == "total"`` = cluster)."""
    _year_or_raise(values, year, "base_year")
    rows = []
    for c in clusters:
        b = kpi.baseline(values, c, year)
        for m in MEASURES:
            rows.append(
                b[["pref_code"]].assign(
                    cluster=c.key, measure=m, year=year, value=b[m], n_missing=b[f"{m}_n_missing"].astype("int64")
                )
            )
    return pd.concat(rows, ignore_index=True)[["cluster", "pref_code", "measure", "year", "value", "n_missing"]]


def industry_detail(values: pd.DataFrame, clusters: list[kpi.Cluster], years: list[int]) -> pd.DataFrame:
    """Return the published cells behind each cluster: cluster × prefecture × industry × year, three measures."""
    parts = []
    for c in clusters:
        v = values[
            values["year"].isin(years)
            & values["pref_code"].isin(c.pref_codes)
            & values["industry_key"].isin(c.industries)
        ]
        parts.append(v[["year", "pref_code", "industry_key", *MEASURES]].assign(cluster=c.key))
    return pd.concat(parts, ignore_index=True).sort_values(
        ["cluster", "year", "pref_code", "industry_key"], ignore_index=True
    )


def target_paths(
    baseline: pd.DataFrame, growth: dict[str, float], base_year: int, target_year: int, *, method: str = "linear"
) -> pd.DataFrame:
    """Yearly target path of each cluster's totals: ``cluster, measure, year, target, growth_pct``."""
    parts = []
    tot = baseline[baseline["pref_code"] == "total"]
    for (cluster, measure), g in tot.groupby(["cluster", "measure"], sort=False):
        path = kpi.target_path(
            {measure: float(g["value"].iloc[0])}, growth[measure], target_year, base_year, method=method
        )
        parts.append(path.assign(cluster=cluster, growth_pct=growth[measure]))
    return pd.concat(parts, ignore_index=True)[["cluster", "measure", "year", "target", "growth_pct"]]


def progress_table(
    values: pd.DataFrame, clusters: list[kpi.Cluster], paths_df: pd.DataFrame, year: int
) -> pd.DataFrame:
    """Latest data (``year``) against each cluster's path (:func:`hokuriku.indicators.cluster_kpi.progress`)."""
    _year_or_raise(values, year, "latest year")
    parts = []
    for c in clusters:
        b = kpi.baseline(values, c, year).set_index("pref_code").loc["total"]
        latest = pd.DataFrame(
            [
                {"measure": m, "year": year, "actual": float(b[m]), "n_missing": int(b[f"{m}_n_missing"])}
                for m in MEASURES
            ]
        )
        parts.append(
            kpi.progress(latest, paths_df[paths_df["cluster"] == c.key].drop(columns="cluster")).assign(cluster=c.key)
        )
    return pd.concat(parts, ignore_index=True)


def kgi_table() -> pd.DataFrame:
    """Tabulate the three required KGIs, whether official data at hand measure them, and why (Japanese)."""
    k = kpi.measurable_kgis()
    if set(k["kgi"]) != set(KGI_JA):
        raise InputError(f"KGI list changed in cluster_kpi.measurable_kgis: {sorted(k['kgi'])}; update KGI_JA")
    return pd.DataFrame(
        {
            "必須KGI": k["kgi"],
            "公的統計での測定": k["kgi"].map(lambda x: KGI_JA[x][0]),
            "使える統計": k["official_data"].replace({"none": "なし"}),
            "理由": k["kgi"].map(lambda x: KGI_JA[x][1]),
        }
    )


def read_pref_totals_csv(path: str | Path) -> pd.DataFrame:
    """Prefecture totals (都道府県, 域外販売額, 域内仕入額; UTF-8 or CP932) → English columns, text values."""
    return kpi.read_analyst_csv(path, PREF_TOTAL_COLUMNS)


def connector_hub_table(firm_csv: str = "", pref_totals_csv: str = "") -> tuple[pd.DataFrame, bool]:
    """Read and validate the analyst's firm table and prefecture totals; "" = the synthetic example.

    Returns the firms with ``connector_degree``/``hub_degree`` (fractions) and ranks, and whether
    the synthetic example was used.
    """
    example = not firm_csv
    firm_path = Path(firm_csv or EXAMPLE_FIRMS)
    if not firm_path.is_file():
        raise InputError(f"firm table not found: {firm_path}")
    firms = kpi.read_firm_csv(firm_path)
    totals = read_pref_totals_csv(pref_totals_csv or EXAMPLE_PREF_TOTALS)
    out = kpi.connector_hub(firms, totals)
    out["connector_rank"] = out["connector_degree"].rank(ascending=False, method="min").astype("Int64")
    out["hub_rank"] = out["hub_degree"].rank(ascending=False, method="min").astype("Int64")
    return out, example


# Assemble ---------------------------------------------------------------------------------------


@dataclass
class ClusterReport:
    """Every table of the cluster report (tidy) and the ``(出所)`` line."""

    region: Region
    clusters: list[kpi.Cluster]
    base_year: int
    latest_year: int
    target_year: int
    baseline: pd.DataFrame
    detail: pd.DataFrame
    paths: pd.DataFrame
    progress: pd.DataFrame
    kgis: pd.DataFrame
    firms: pd.DataFrame
    firms_are_example: bool
    note: str = ""
    vintages: dict[str, str] = field(default_factory=dict)


def build(
    region: Region | str | list = prefectures.DEFAULT_REGION,
    *,
    clusters: list[str] | tuple[str, ...] = DEFAULT_CLUSTERS,
    base_year: int = 2016,
    target_year: int = 2030,
    growth_pct: float = 20.0,
    employees_growth_pct: float = 10.0,
    method: str = "linear",
    firm_csv: str = "",
    pref_totals_csv: str = "",
    values: pd.DataFrame | None = None,
) -> ClusterReport:
    """Read ``kogyo_tokei`` (unless ``values`` are given) and assemble the cluster report for ``region``.

    ``growth_pct`` applies to 出荷額 and 付加価値額, ``employees_growth_pct`` to 従業者数; the latest
    year is the last reference year in the data (progress is shown if it is after ``base_year``).
    """
    from hokuriku import manifest

    reg = prefectures.region(region)
    # Load inputs.
    pairs: list[tuple[str, str]] = []
    if values is None:
        values, pairs = load_values()
    # Process data.
    cl = clusters_for(list(clusters), reg)
    latest = int(values["year"].max())
    if latest <= base_year:
        raise InputError(f"base_year {base_year} leaves no later data to measure progress (latest: {latest})")
    base = baseline_table(values, cl, base_year)
    growth = {
        "shipments_jpy_million": growth_pct,
        "value_added_jpy_million": growth_pct,
        "employees": employees_growth_pct,
    }
    path = target_paths(base, growth, base_year, target_year, method=method)
    firms, example = connector_hub_table(firm_csv, pref_totals_csv)
    return ClusterReport(
        region=reg,
        clusters=cl,
        base_year=base_year,
        latest_year=latest,
        target_year=target_year,
        baseline=base,
        detail=industry_detail(values, cl, [base_year, latest]),
        paths=path,
        progress=progress_table(values, cl, path, latest),
        kgis=kpi.measurable_kgis(),
        firms=firms,
        firms_are_example=example,
        note=manifest.source_note(pairs) if pairs else "",
        vintages=dict(pairs),
    )


# Display tables (Japanese headers) ----------------------------------------------------------------


def _name(res: ClusterReport, key: str) -> str:
    c = next(c for c in res.clusters if c.key == key)
    return f"{c.name_ja}（{res.region.name_ja}）"


def _pref(code: str) -> str:
    return "合計" if code == "total" else prefectures.name_ja(code)


def _display_value(measure: str, v: float, digits: int = 1) -> float:
    if pd.isna(v):
        return float("nan")
    x = v / formats.MILLION_PER_OKU if UNIT_JA[measure] == "億円" else v
    return float(formats.round_half_up(x, digits))


def display_baseline(res: ClusterReport) -> pd.DataFrame:
    """Base-year values per cluster and prefecture: published unit and 億円, suppressed-cell counts."""
    b = res.baseline
    wide = b.pivot_table(index=["cluster", "pref_code"], columns="measure", values=["value", "n_missing"], sort=False)
    out = []
    for (cluster, pref), r in wide.iterrows():
        out.append(
            {
                "クラスター": _name(res, cluster),
                "都道府県": _pref(pref),
                "基準年": res.base_year,
                "製造品出荷額等（百万円）": r[("value", "shipments_jpy_million")],
                "製造品出荷額等（億円）": _display_value(
                    "shipments_jpy_million", r[("value", "shipments_jpy_million")]
                ),
                "付加価値額（百万円）": r[("value", "value_added_jpy_million")],
                "付加価値額（億円）": _display_value(
                    "value_added_jpy_million", r[("value", "value_added_jpy_million")]
                ),
                "従業者数（人）": r[("value", "employees")],
                "秘匿セル数（出荷額）": int(r[("n_missing", "shipments_jpy_million")]),
            }
        )
    return pd.DataFrame(out)


def display_detail(res: ClusterReport) -> pd.DataFrame:
    d = res.detail
    return pd.DataFrame(
        {
            "クラスター": d["cluster"].map(lambda k: _name(res, k)),
            "年": d["year"],
            "都道府県": d["pref_code"].map(prefectures.name_ja),
            "産業中分類": d["industry_key"].map(industries.name_ja),
            "製造品出荷額等（百万円）": d["shipments_jpy_million"],
            "付加価値額（百万円）": d["value_added_jpy_million"],
            "従業者数（人）": d["employees"],
        }
    )


def display_paths(res: ClusterReport) -> pd.DataFrame:
    """Target path per year in the published unit (百万円 / 人) at 1 decimal, and in 億円."""
    p = res.paths
    return pd.DataFrame(
        {
            "クラスター": p["cluster"].map(lambda k: _name(res, k)),
            "指標": p["measure"].map(MEASURE_JA),
            "年": p["year"],
            "増加率目標（%）": p["growth_pct"],
            "目標値（百万円・人）": p["target"].map(lambda v: float(formats.round_half_up(v, 1))),
            "目標値（億円・人）": [_display_value(m, v) for m, v in zip(p["measure"], p["target"], strict=True)],
        }
    )


def display_progress(res: ClusterReport) -> pd.DataFrame:
    p = res.progress
    r1 = lambda col: p[col].map(lambda v: float("nan") if pd.isna(v) else float(formats.round_half_up(v, 1)))  # noqa: E731
    return pd.DataFrame(
        {
            "クラスター": p["cluster"].map(lambda k: _name(res, k)),
            "指標": p["measure"].map(MEASURE_JA),
            "単位": p["measure"].map({m: ("百万円" if u == "億円" else u) for m, u in UNIT_JA.items()}),
            "基準年": res.base_year,
            "基準値": p["base"],
            "実績年": p["year"],
            "実績": p["actual"],
            "経路上の目標": r1("target"),
            "差（実績−目標）": r1("gap"),
            "目標比（%）": r1("pct_of_target"),
            "計画増加分の達成率（%）": r1("pct_of_increase"),
            "秘匿セル数": p["n_missing"],
        }
    )


def display_firms(res: ClusterReport) -> pd.DataFrame:
    f = res.firms
    pct = lambda s: s.map(lambda v: float(formats.round_half_up(v * 100, 2)))  # noqa: E731
    return pd.DataFrame(
        {
            "企業名": f["firm_name"],
            "都道府県": f["pref_code"].map(prefectures.name_ja),
            "域外販売額": f["outside_sales"],
            "域内仕入額": f["inside_purchases"],
            "コネクター度（%）": pct(f["connector_degree"]),
            "ハブ度（%）": pct(f["hub_degree"]),
            "コネクター度順位": f["connector_rank"],
            "ハブ度順位": f["hub_rank"],
        }
    )


# Figures ---------------------------------------------------------------------------------------


def progress_chart(res: ClusterReport) -> Figure:
    """Per cluster: target paths (index, base year = 100) and the latest actual values as markers."""
    from hokuriku.plotting import charts

    fig = Figure(figsize=style.figsize("full"), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(res.clusters), sharey=True))
    colours = dict(zip(MEASURES, ("#0072B2", "#D55E00", "#009E73"), strict=True))
    for ax, c in zip(axes, res.clusters, strict=True):
        p = res.paths[res.paths["cluster"] == c.key]
        pr = res.progress[res.progress["cluster"] == c.key]
        ends = []
        for m in MEASURES:
            pm = p[p["measure"] == m]
            base = pm["target"].iloc[0]
            ax.plot(
                pm["year"],
                pm["target"] / base * 100,
                color=colours[m],
                linestyle="--",
                linewidth=1.6,
                label=f"{MEASURE_JA[m]} 目標（+{formats.fmt_number(pm['growth_pct'].iloc[0], 1)}%）",
            )
            a = pr[pr["measure"] == m]
            ax.plot(
                [res.base_year, *a["year"]],
                [100, *(a["actual"] / base * 100)],
                color=colours[m],
                marker="o",
                linewidth=2.2,
                label=f"{MEASURE_JA[m]} 実績",
            )
            ends += [(yy, v, colours[m]) for yy, v in zip(a["year"], a["actual"] / base * 100, strict=True)]
        # End labels of the actual values, spread apart so that close values do not print over each other.
        lo, hi = ax.get_ylim()
        ends.sort(key=lambda e: e[1])
        placed = charts._spread([v for _, v, _ in ends], gap=0.035 * (hi - lo))
        for (yy, v, colour), y_text in zip(ends, placed, strict=True):
            ax.annotate(formats.fmt_number(v, 1), (yy, v), xytext=(yy + 0.4, y_text), textcoords="data",
                        fontsize=10, color=colour, va="center",
                        arrowprops={"arrowstyle": "-", "color": colour, "linewidth": 0.6})
        ax.axhline(100, color="#999999", linewidth=0.8)
        ax.set_title(c.name_ja, fontsize=13)
    axes[0].set_ylabel(f"指数（{res.base_year}年＝100）")
    axes[-1].legend(loc="upper left", fontsize=9)
    return furnish(
        fig,
        f"戦略産業クラスターの目標経路と進捗（{res.region.name_ja}）",
        res.note,
        f"{res.base_year}年を基準に{res.target_year}年までの直線経路。実績は工業統計の最新年（{res.latest_year}年）",
    )


def baseline_chart(res: ClusterReport) -> Figure:
    """製造品出荷額等 of each cluster by prefecture, base year and latest year (億円)."""
    fig = Figure(figsize=style.figsize("full"), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(res.clusters)))
    m = "shipments_jpy_million"
    for ax, c in zip(axes, res.clusters, strict=True):
        d = (
            res.detail[res.detail["cluster"] == c.key]
            .groupby(["year", "pref_code"])[m]
            .sum(min_count=1)
            .unstack("year")
        )
        x = np.arange(len(d))
        for i, (year, colour) in enumerate(zip(d.columns, (style.OTHER_COLOUR, style.REGION_COLOUR), strict=False)):
            vals = d[year] / formats.MILLION_PER_OKU
            ax.bar(x + (i - 0.5) * 0.38, vals, width=0.38, color=colour, label=f"{year}年")
            for xx, v in zip(x, vals, strict=True):
                ax.annotate(
                    formats.fmt_number(v),
                    (xx + (i - 0.5) * 0.38, 0 if pd.isna(v) else v),
                    xytext=(0, 2),
                    textcoords="offset points",
                    ha="center",
                    fontsize=9,
                )
        ax.set_xticks(x, [prefectures.short_name(p) for p in d.index])
        ax.yaxis.set_major_formatter(formats.thousands_formatter())
        ax.set_title(c.name_ja, fontsize=13)
        ax.set_ylabel("億円")
        ax.legend(loc="upper right")
    return furnish(
        fig,
        f"クラスター産業の製造品出荷額等（{res.region.name_ja}）",
        res.note,
        "クラスターを構成する産業中分類の合計（秘匿値は含まない）",
    )


def connector_hub_chart(res: ClusterReport) -> Figure:
    """Firms by コネクター度 (x) and ハブ度 (y), in %."""
    from hokuriku.plotting import charts

    f = res.firms.assign(x=res.firms["connector_degree"] * 100, y=res.firms["hub_degree"] * 100)
    fig, _ = charts.scatter_labelled(
        f,
        x="x",
        y="y",
        label="firm_name",
        unit="pref_code",
        highlight=sorted(set(f["pref_code"])),
        quadrant=None,
        xlabel="コネクター度（%）",
        ylabel="ハブ度（%）",
    )
    from matplotlib.lines import Line2D

    from hokuriku.codes import prefectures

    codes = sorted(set(f["pref_code"]))
    handles = [Line2D([], [], marker="o", linestyle="", color=style.pref_colour(c), label=prefectures.name_ja(c))
               for c in codes]
    fig.axes[0].legend(handles=handles, title="所在都道府県", loc="best", fontsize=10, title_fontsize=10)
    note = (
        "(出所) 合成データ（架空の企業と県計、計算例）"
        if res.firms_are_example
        else "(出所) 分析者提供の企業データおよび都道府県計"
    )
    return furnish(
        fig,
        "コネクター度・ハブ度",
        note,
        "コネクター度＝企業の域外販売額÷所在都道府県の域外販売額、"
        "ハブ度＝企業の域内仕入額÷所在都道府県の域内仕入額（色は所在都道府県）",
    )
