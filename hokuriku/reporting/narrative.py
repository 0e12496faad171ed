"""Report sentences generated from the tables of the run (Japanese Markdown), never typed into notebooks.

Every figure, ranking, region name and vintage that a report states in prose comes from one of
these functions, called on the tables the notebook has just built, so that a run for another
region (``REGION=ESRI:中部``) or another edition of a source says what *its* tables say. Each
function is pure (tables in, Markdown ``str`` out); :func:`md` wraps the text for display in a
notebook cell.

Numbers are printed with :mod:`hokuriku.plotting.formats` (thousands separators, 四捨五入 half up,
``▲`` never used in prose: negatives print with the minus sign ``−``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pandas as pd

from hokuriku.plotting import formats

MINUS = "−"


def md(text: str):
    """``IPython.display.Markdown`` of ``text`` (the value a notebook cell shows)."""
    from IPython.display import Markdown  # noqa: PLC0415 - only inside a kernel

    return Markdown(text)


def num(x: float, digits: int = 0, *, sign: bool = False) -> str:
    """``1,234.5``; negatives with the Japanese minus sign ``−``; ``sign`` puts ``+`` on positives."""
    return formats.fmt_number(float(x), digits, negative=MINUS, sign=sign)


def join_ja(items: Iterable[str]) -> str:
    """``["a", "b", "c"]`` → ``"a、b、c"``."""
    return "、".join(str(i) for i in items)


def bullets(lines: Iterable[str]) -> str:
    """A Markdown bullet list."""
    return "\n".join(f"- {line}" for line in lines)


def vintages_line(vintages: Mapping[str, str] | Iterable[tuple[str, str]]) -> str:
    """``データの版：kenmin_keizai 2022、…`` from ``{source: vintage}`` or pairs."""
    pairs = list(vintages.items()) if isinstance(vintages, Mapping) else list(vintages)
    return "データの版：" + join_ja(f"{s} {v}" for s, v in pairs)


def region_intro(region, vintages: Mapping[str, str] | Iterable[tuple[str, str]] | None = None) -> str:
    """対象地域 and its prefectures (and the data vintages used), e.g. for the top of a report.

    ``region`` is a :class:`hokuriku.codes.prefectures.Region`.
    """
    from hokuriku.codes import prefectures  # noqa: PLC0415

    members = join_ja(prefectures.name_ja(c) for c in region.pref_codes)
    text = f"**対象地域：{region.name_ja}**（{members}）"
    if vintages:
        text += "\n\n" + vintages_line(vintages)
    return text


# 10_regional_share -----------------------------------------------------------------------------


def regional_summary(tables) -> str:
    """Sentences of the 総括表 (``hokuriku.analysis.overview.build`` result).

    For each row: the region total with its unit and 時点, and 全国比 (%) = region ÷ 全国 × 100 as
    the table prints it; then the rows whose 全国比 exceeds that of 人口 (larger than the
    population weight would suggest).
    """
    s = tables.summary.set_index("項目")
    name = tables.region.name_ja
    share_col = "全国比(%)"
    lines = []
    for item, row in s.iterrows():
        lines.append(f"{item}（{row['時点']}）：{num(row[name])} {row['単位']}（全国 {num(row['全国'])} {row['単位']}、"
                     f"全国比 {num(row[share_col], 1)}%）")
    pop = s.at["人口", share_col] if "人口" in s.index else None
    text = f"{name}の総括表の主な値です。\n\n" + bullets(lines)
    if pop is not None:
        above = [i for i in s.index if i != "人口" and s.at[i, share_col] > pop]
        if above:
            text += (f"\n\n人口の全国比（{num(pop, 1)}%）を上回るのは {join_ja(above)} で、"
                     "人口規模に比べて大きい項目です。")
        else:
            text += f"\n\n人口の全国比（{num(pop, 1)}%）を上回る項目はありません。"
    return text


# 20_economic_structure -------------------------------------------------------------------------


def largest_activities(tables) -> str:
    """最大の経済活動・最大のサービス活動 of each unit (``structure.build(...).largest``)."""
    lines = [f"{r['地域']}：最大の経済活動は「{r['最大の経済活動']}」（{num(r['最大の経済活動(億円)'])} 億円）、"
             f"最大のサービス活動は「{r['最大のサービス活動']}」（{num(r['最大のサービス活動(億円)'])} 億円）"
             for _, r in tables.largest.iterrows()]
    return bullets(lines)


def location_quotients(tables, *, top: int = 3) -> str:
    """The ``top`` activities with the highest 特化係数 in the region total and in each prefecture."""
    lq = tables.lq_table.set_index("経済活動")
    lines = []
    for col in lq.columns:
        best = lq[col].astype(float).sort_values(ascending=False).head(top)
        lines.append(f"{col}：" + join_ja(f"{a} {num(v, 2)}" for a, v in best.items()))
    return f"特化係数の高い活動（上位{top}）です。\n\n" + bullets(lines)


def _growth_years(tables) -> tuple[int, int]:
    """(start, end) fiscal years of the growth table, read from its ``名目<year>年度(億円)`` columns."""
    years = sorted(int(m.group(1)) for c in tables.growth.columns if (m := re.match(r"名目(\d{4})年度", str(c))))
    return years[0], years[-1]


def gdp_growth(tables) -> str:
    """Nominal and real growth of the region total against 全国 (``structure.build(...).growth``)."""
    g = tables.growth.set_index("unit_code")
    key = tables.region.key if tables.region.key in g.index else tables.region.pref_codes[0]  # one prefecture
    region_row = g.loc[key]
    nat = g.loc["00"]
    start, end = _growth_years(tables)

    def part(r):
        return (f"名目 {num(r['名目増加率(%)'], 1)}%（年平均 {num(r['名目年平均成長率(%)'], 1)}%）、"
                f"実質 {num(r['実質増加率(%)'], 1)}%（年平均 {num(r['実質年平均成長率(%)'], 1)}%）")

    a, b = round(float(region_row["名目増加率(%)"]), 1), round(float(nat["名目増加率(%)"]), 1)
    cmp = "全国を上回ります" if a > b else "全国を下回ります" if a < b else "全国と同じです"
    return (f"{start}年度から{end}年度までの県内総生産の増加率は、{region_row['地域']}が {part(region_row)}、"
            f"全国が {part(nat)} です。名目の増加率は{cmp}。")


def income_per_capita(tables) -> str:
    """1人当たり県民所得 of each prefecture with its rank among 47 (``structure.build(...).income``)."""
    inc = tables.income
    col = "1人当たり県民所得(千円)"
    ranked = inc[inc["全国順位"].notna()]
    nat = inc[inc["地域"] == "全国"]
    parts = [f"{r['地域']} {num(r[col])} 千円（{int(r['全国順位'])}位）" for _, r in ranked.iterrows()]
    text = f"{_growth_years(tables)[1]}年度の1人当たり県民所得は、{join_ja(parts)} です。"
    if len(nat):
        text += f"全国（全県計）は {num(nat[col].iloc[0])} 千円です。"
    return text


def shift_share(tables) -> str:
    """The decomposition of the region's change and the activities with the extreme 地域特殊要因."""
    ss = tables.shift_share.set_index("経済活動")
    total_key = next(i for i in ss.index if str(i).endswith("活動計"))
    t = ss.loc[total_key]
    body = ss.drop(index=total_key)["地域特殊要因(億円)"].astype(float)
    text = (f"{tables.region.name_ja}の{total_key}の増減は {num(t['増減(億円)'], 1)} 億円で、"
            f"全国成長要因 {num(t['全国成長要因(億円)'], 1)} 億円、産業構成要因 {num(t['産業構成要因(億円)'], 1)} 億円、"
            f"地域特殊要因 {num(t['地域特殊要因(億円)'], 1)} 億円です。")
    text += (f"地域特殊要因が最も小さいのは{body.idxmin()}（{num(body.min(), 1)} 億円）、"
             f"最も大きいのは{body.idxmax()}（{num(body.max(), 1)} 億円）です。")
    return text


# 30_manufacturing ------------------------------------------------------------------------------


def manufacturing_totals(report) -> str:
    """製造品出荷額等 of each prefecture and the region (兆円, 全国比) from ``pref_totals``."""
    t = report["pref_totals"]
    nat = t[t["地域コード"] == "00"].iloc[0]
    rows = t[t["地域コード"] != "00"]
    parts = [f"{r['地域']} {num(r['製造品出荷額等（兆円）'], 1)}兆円（全国比 {num(r['全国比（%）'], 1)}%）"
             for _, r in rows.iterrows()]
    return (f"{report.year}年の製造品出荷額等は、{join_ja(parts)} です。"
            f"全国（47都道府県の合計）は {num(nat['製造品出荷額等（百万円）'])} 百万円です。")


def top_industries(report) -> str:
    """The first industry of each prefecture (億円) and its top 3 (``top_industries``)."""
    top = report["top_industries"]
    lines = []
    for code, rows in top.groupby("都道府県コード", sort=False):
        rows = rows.sort_values("順位")
        first = rows.iloc[0]
        lines.append(f"{first['都道府県']}：1位 {first['産業中分類']} {num(first['製造品出荷額等（億円）'])}億円"
                     f"（県計の {num(first['県計に占める構成比（%）'], 1)}%）、上位3業種 "
                     + join_ja(rows.head(3)["産業中分類"]))
    return f"{report.year}年の各県の上位業種です。\n\n" + bullets(lines)


def region_industries(report, *, top: int = 5) -> str:
    """The region's top industries and the highest 全国比 (``region_industries``)."""
    ind = report["region_industries"]
    ranked = ind[ind["順位"].notna() & (ind["industry_key"] != "total")]
    shares = ranked.sort_values("全国比（%）", ascending=False).head(2)
    name = report.region.name_ja
    return (f"{name}の上位{top}業種は {join_ja(ranked.head(top)['産業中分類'])} の順です。"
            f"全国比が高いのは " + join_ja(f"{r['産業中分類']}（{num(r['全国比（%）'], 1)}%）" for _, r in shares.iterrows())
            + " です。")


def industry_ranks(report, *, best: int = 10, limit: int = 8) -> str:
    """Industries of the region's prefectures ranked within the top ``best`` of 47 (``industry_ranks``).

    Lists at most ``limit`` of them, best rank first, and says how many there are.
    """
    from hokuriku.codes import prefectures  # noqa: PLC0415

    ranks = report["industry_ranks"]
    found = []
    for code in report.region.pref_codes:
        col = prefectures.name_ja(code).removesuffix("県").removesuffix("府").removesuffix("都")
        col = col if col in ranks.columns else prefectures.name_ja(code)
        if col not in ranks.columns:
            continue
        for _, r in ranks.iterrows():
            value = str(r[col]).split("(")[0].strip()
            if value.isdigit() and int(value) <= best:
                found.append((int(value), f"{col}の{r['産業中分類']}（{value}位）"))
    if not found:
        return f"構成県の業種で全国{best}位以内のものはありません。"
    found = sorted(found)
    text = f"構成県の業種のうち全国{best}位以内は{len(found)}件で、上位は " + join_ja(t for _, t in found[:limit])
    return text + (" ほかです。" if len(found) > limit else " です。")


def establishment_size(report) -> str:
    """Rank of 1事業所当たり従業者数 among 47 in both sources (``establishment_size`` / ``_census``)."""

    def part(df):
        rows = df[df["全国順位"].notna()]
        return join_ja(f"{r['地域']} {int(r['全国順位'])}位（{num(r['1事業所当たり従業者数（人）'], 1)}人）"
                       for _, r in rows.iterrows())

    return (f"製造業1事業所当たり従業者数の全国順位は、{report.year}年工業統計（従業者4人以上）で {part(report['establishment_size'])}、"
            f"経済センサス（全規模）で {part(report['establishment_size_census'])} です。")


def municipal_ranking(report, *, top: int = 3) -> str:
    """The region's largest municipalities by 製造品出荷額等 (``municipal_ranking``)."""
    muni = report["municipal_ranking"]
    col = next(c for c in muni.columns if c.startswith("製造品出荷額等") and c.endswith("億円）"))
    rows = muni[muni["地域内順位"].notna()].head(top)
    return (f"{report.region.name_ja}の{report.muni_year}年の製造品出荷額等の上位は、"
            + join_ja(f"{int(r['地域内順位'])}位 {r['市区町村']}（{num(r[col], 1)}億円）" for _, r in rows.iterrows())
            + " です。")


# 40_population ---------------------------------------------------------------------------------


def population_projection(report, years: tuple[int, ...] = (2030, 2040)) -> str:
    """社人研推計の総人口 of the region and each prefecture in ``years`` (``seed_figures``)."""
    seed = report.tables["seed_figures"].set_index(["area_code", "year"])["population_persons"]
    labels = report.labels
    years = tuple(y for y in years if (report.area_code, y) in seed.index)
    if not years:
        return "社人研推計の総人口はこの地域では集計できません（表の注記を参照）。"
    head = "、".join(f"{y}年 {num(seed[(report.area_code, y)])}人（約{num(seed[(report.area_code, y)] / 10_000)}万人）"
                    for y in years)
    prefs = [c for c in report.region.pref_codes if all((c, y) in seed.index for y in years)]
    text = f"{labels.get(report.area_code, report.region.name_ja)}の社人研推計の総人口は、{head} です。"
    if len(prefs) > 1:
        text += "（" + join_ja(f"{labels.get(c, c)} " + " / ".join(num(seed[(c, y)]) for y in years) for c in prefs) + "）"
    return text


def population_index(report, year: int | None = None) -> str:
    """The index (base year = 100) of the region and 全国 in ``year`` (default: the last year)."""
    trend = report.tables["population_trend"]
    idx = trend.set_index(["area_code", "year"])["index_base100"]
    year = year or int(trend["year"].max())
    base = int(trend.loc[trend["index_base100"].round(6) == 100, "year"].min())
    name = report.labels.get(report.area_code, report.region.name_ja)
    nat = report.labels.get("00", "全国")
    r, n = idx.get((report.area_code, year)), idx.get(("00", year))
    if r is None or pd.isna(r) or n is None or pd.isna(n):
        return f"{year}年の指数はこの地域では集計できません（表の注記を参照）。"
    cmp = "より大きく下がります" if r < n else "ほど下がりません" if r > n else "と同じです"
    return f"{name}の{year}年の指数は **{num(r, 1)}**（{base}年＝100）で、{nat}の **{num(n, 1)}** {cmp}（社人研推計）。"


def natural_social_change(report) -> str:
    """Latest-year natural and social change of the region and whether they were negative every year."""
    ch = report.tables["natural_social_change"]
    ch = ch[ch["area_code"] == report.area_code].set_index("year").sort_index()
    if ch.empty:
        return "この地域の自然増減・社会増減は集計できません。"
    last = ch.index.max()
    nat, soc = ch.at[last, "natural_change_persons"], ch.at[last, "social_change_persons"]

    def word(v, plus, minus):
        return f"{minus} **{num(abs(v))}人**" if v < 0 else f"{plus} **{num(v)}人**"

    text = (f"{report.labels.get(report.area_code, report.region.name_ja)}の{last}年は、"
            f"{word(nat, '自然増', '自然減')}、{word(soc, '社会増', '社会減')} です。")
    first = ch.index.min()
    if (ch["natural_change_persons"] < 0).all() and (ch["social_change_persons"] < 0).all():
        text += f"{first}年以降、いずれも毎年マイナスです。"
    else:
        neg_n = int((ch["natural_change_persons"] < 0).sum())
        neg_s = int((ch["social_change_persons"] < 0).sum())
        text += f"{first}〜{last}年の{len(ch)}年のうち、自然減は{neg_n}年、社会減は{neg_s}年です。"
    return text


def age_structure(report) -> str:
    """Share of 65+ in the first and last year of ``age_structure`` for the region."""
    ages = report.tables["age_structure"]
    old = ages[(ages["age3"] == "65+") & (ages["area_code"] == report.area_code)].set_index("year")["share_pct"]
    if len(old) < 2:
        return "この地域の年齢3区分の構成は集計できません。"
    y0, y1 = int(old.index.min()), int(old.index.max())
    return (f"{report.labels.get(report.area_code, report.region.name_ja)}の65歳以上の割合は、"
            f"**{num(old[y0], 1)}%（{y0}年）から{num(old[y1], 1)}%（{y1}年）** に"
            + ("上がります。" if old[y1] > old[y0] else "下がります。"))


def municipal_decline(report) -> str:
    """The municipality with the largest decline (``municipal_decline_ranking``)."""
    r = report.tables["municipal_decline_ranking"]
    if r.empty:
        return "市町村別の増減率は集計できません。"
    top = r.iloc[0]
    return (f"{report.region.name_ja}で減少率が最も大きいのは **{top['muni_name_ja']}（{top['pref_name_ja']}、"
            f"{num(top['change_pct'], 1)}%）** です。")


def calibration(report, tolerance_persons: float) -> str:
    """The calibration residuals: worst total difference and the largest 2050 age-share difference."""
    res = report.tables["calibration_residuals"]
    worst = float(res["max_abs_diff_persons"].max())
    share = res.filter(like="diff_share").abs().max().max()
    ok = "以内で一致します" if worst <= tolerance_persons else "を超える差があります"
    return (f"較正した基準ケースは、{len(res)}地域のすべての年で社人研推計の総人口と {num(tolerance_persons, 1)}人{ok}"
            f"（最大の差 {num(worst, 2)}人）。最終年の年齢3区分の構成比の差は最大 {num(share, 2)}ポイントです。")


def scenarios(report) -> str:
    """Final-year difference of every scenario from the base (``scenario_totals``)."""
    scen = report.tables["scenario_totals"]
    if "area_code" in scen and scen["area_code"].nunique() > 1:  # one area per table: the region's (key may differ)
        scen = scen[scen["area_code"].isin([report.area_code, report.region.key])]
    last = int(scen["year"].max())
    final = scen[scen["year"] == last].set_index("scenario")["diff_vs_base_persons"]
    base = report.scenarios[0]
    parts = [f"{s} {num(d / 10_000, 1, sign=True)}万人" for s, d in final.items() if s != base]
    if not parts:
        return f"{last}年の基準ケースのみを計算しています。"
    against = "基準" if base == "基準" else f"基準（{base}）"
    return (f"{last}年の総人口の{against}との差は、{join_ja(parts)} です"
            "（感度分析であり予測ではありません）。")


# Data vintages (which edition of each source the run used) -------------------------------------


def _pairs(vintages: Mapping[str, str] | Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return list(vintages.items()) if isinstance(vintages, Mapping) else list(vintages)


def data_sources(vintages: Mapping[str, str] | Iterable[tuple[str, str]], *, lead: str = "使用したデータ") -> str:
    """The editions the run used, one bullet per distinct citation (``manifest.load(source, vintage)``).

    The citation (publisher「survey（edition）」) is the manifest's, so a new vintage dropped into
    ``data/raw`` changes this sentence without any notebook edit.
    """
    from hokuriku import manifest  # noqa: PLC0415

    lines: list[str] = []
    for source, vintage in _pairs(vintages):
        line = manifest.load(source, vintage).source_line()
        if line not in lines:
            lines.append(line)
    return f"{lead}：\n\n" + bullets(lines)


def manufacturing_vintages(report) -> str:
    """Which year each part of the manufacturing report describes (``report.year``, ``report.muni_year``)."""
    return (f"都道府県×産業中分類の表は{report.year}年（実績）の値、市区町村別の製造品出荷額等は"
            f"{report.muni_survey_ja}の値です。\n\n"
            + data_sources([*report.vintages("pref_totals").items(), *report.vintages("municipal_ranking").items()]))


def population_periods(report) -> str:
    """Census and projection years of ``population_trend`` (its ``status`` column) and the editions used."""
    trend = report.tables["population_trend"]
    projected = trend["status"] == "projection"
    census = sorted(int(y) for y in trend.loc[~projected, "year"].unique())
    proj = sorted(int(y) for y in trend.loc[projected, "year"].unique())
    text = f"実績（国勢調査）は{census[0]}〜{census[-1]}年"
    if proj:
        text += f"、推計（社人研、グラフの破線）は{proj[0]}〜{proj[-1]}年"
    return text + "です。\n\n" + data_sources(report.pairs["population_trend"])


def scatter_long_period(res, *, sources: Iterable[str] = ("ess_muni", "ssdse_a")) -> str:
    """Start, end and employee years of the 2000→latest scatter (``res.scatter_long_years``) and the editions.

    ``sources`` picks from ``res.vintages`` the sources of the end point (出荷額 and 従業者数).
    """
    y = res.scatter_long_years
    text = (f"始点は{y['start']}年、終点は手元で最も新しい市区町村別の製造品出荷額等の{y['end']}年です。"
            f"1人当たり出荷額の従業者数は、始点が{y['start_employees']}年工業統計、終点が{y['end_employees']}年"
            "経済センサス‐活動調査（手元で終点に最も近い公的な市区町村値）です。")
    end = [(s, v) for s, v in res.vintages.items() if s in set(sources)]
    return text + ("\n\n" + data_sources(end, lead="終点のデータ") if end else "")
