"""A data-based *proxy* for NRI's agglomeration types (A-1 / A-2 / B), and the growth scatter.

NRI (野村総合研究所, 地域産業集積の類型整理, report to METI) classified how regional clusters grew:
A-1 内発型（大企業牽引型） (広島県 輸送用機械), A-2 内発型（特定産業集積型） (富山県 医薬品),
B 外発型（誘致先行型） (北上川流域, 北勢地域). **NRI's classification is qualitative** (history,
firms, policy). This module does not reproduce it; it places an area with three measurable
indicators and an explicit decision table (:data:`DECISION_TABLE`, thresholds in
:data:`THRESHOLDS`), which a notebook prints next to the result.

Indicators
----------
``relative_growth`` (timing: was the base built late, from outside?)
    :math:`(X_{r,end}/X_{r,start}) / (X_{N,end}/X_{N,start})` of total 製造品出荷額等. An area
    whose manufacturing grew far faster than the nation over decades was small at the start:
    its base arrived (誘致先行). B is tested first because an induced area can also contain a
    large lead plant.
``focal_lq`` (is there an agglomeration at all?)
    Location quotient of the focal industry (shipments) against the nation.
``lead_size_ratio`` (大企業牽引: is output carried by a few large plants?)
    Shipments per establishment of the focal industry in the area's *lead municipality* (the one
    with the most focal-industry shipments) divided by the same ratio for the whole area:
    :math:`(x_{lead}/n_{lead})/(X/N)`. A lead firm's plants make the lead municipality's
    establishments far larger than the area average (広島: 広島市 61 % of shipments with 14 % of
    establishments); in a 特定産業集積 output is spread over many similar firms (富山 化学:
    富山市 55 % of shipments and 56 % of establishments). The median over the years given is used.

Thresholds (why these numbers; RAG-logged in ``docs/assumptions_caveats.md``)
    - ``b_relative_growth = 1.6``: the upper quartile of the 46 prefectures' relative growth
      1971→2012 is 1.63 (内閣府「選択する未来」委員会 municipal panel, summed; 沖縄 lacks 1971). B =
      an area in the top quarter of long-run growth. It is window-specific: recompute with
      :func:`reference_quantile` for another window.
    - ``specialisation_lq = 1.25``: an industry at least 25 % more present than nationally; below
      that an "agglomeration" is not distinguishable from an ordinary industry mix (analyst choice).
    - ``a1_lead_size_ratio = 2.0``: the lead municipality's establishments ship at least twice the
      area average. Observed 2001–2012: 広島 輸送用機械 2.7–4.7, 愛知 輸送用機械 4.7–5.6 (Toyota),
      富山 化学 ≈ 1.0 (2005–2012), 福井 繊維 1.1–1.4, 新潟 金属製品 1.1–1.6.

Limits: municipal industry splits exist only for 市・区 (町村 such as 府中町 = Mazda are missing),
suppressed cells are NaN, and 医薬品 is a 小分類 inside 化学工業 — so 富山 is tested on 化学工業.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hokuriku.errors import InputError
from hokuriku.typology import _frames

TYPES: dict[str, str] = {
    "A-1": "内発型（大企業牽引型）",
    "A-2": "内発型（特定産業集積型）",
    "B": "外発型（誘致先行型）",
    "unclassified": "判定不能（特化産業なし／データ不足）",
}
THRESHOLDS: dict[str, float] = {"b_relative_growth": 1.6, "specialisation_lq": 1.25, "a1_lead_size_ratio": 2.0}
DECISION_TABLE: tuple[dict, ...] = (
    {"order": 1, "type": "B", "condition": "relative_growth >= b_relative_growth"},
    {"order": 2, "type": "A-1", "condition": "focal_lq >= specialisation_lq and lead_size_ratio >= a1_lead_size_ratio"},
    {"order": 3, "type": "A-2", "condition": "focal_lq >= specialisation_lq and lead_size_ratio < a1_lead_size_ratio"},
    {"order": 4, "type": "unclassified", "condition": "otherwise (no specialised focal industry, or an indicator missing)"},
)


def decision_table(thresholds: dict[str, float] | None = None) -> pd.DataFrame:
    """The rules as a table (first matching row wins), thresholds filled in, for printing."""
    t = {**THRESHOLDS, **(thresholds or {})}
    rows = []
    for r in DECISION_TABLE:
        cond = r["condition"]
        for k, v in t.items():
            cond = cond.replace(k, f"{v:g}")
        rows.append({"order": r["order"], "type": r["type"], "label": TYPES[r["type"]], "condition": cond})
    return pd.DataFrame(rows)


def _totals(df: pd.DataFrame, func: str) -> pd.DataFrame:
    t = _frames.tidy(df, func=func, industry=False)
    return t.set_index(["area_id", "year"])["shipments_jpy_million"]


def relative_growth(totals: pd.DataFrame, national: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Area growth multiple ``start``→``end`` divided by the national one.

    ``totals``: ``area_id, year`` + shipments (area totals, e.g. sums of 製造業計); ``national``:
    ``year`` + shipments. Returns ``area_id, start, end, growth_multiple, national_multiple,
    relative_growth``; NaN where the area had no shipments at ``start``.
    """
    func = "relative_growth"
    a = _totals(totals, func)
    _frames.require(national, ["year"], func=func)
    n = pd.Series(_frames.shipments_million(national, func=func).values, index=pd.to_numeric(national["year"]).astype(int))
    for y in (start, end):
        if y not in n.index:
            raise InputError(f"{func}: national frame lacks year {y}; found {sorted(n.index)}")
    nat = n[end] / n[start]
    rows = []
    for area in a.index.get_level_values("area_id").unique():
        s = a.loc[area]
        if start not in s.index or end not in s.index:
            raise InputError(f"{func}: area {area!r} lacks year {start} or {end}; found {sorted(s.index)}")
        mult = s[end] / s[start] if s[start] > 0 else np.nan
        rows.append({"area_id": area, "start": start, "end": end, "growth_multiple": mult,
                     "national_multiple": nat, "relative_growth": mult / nat})
    return pd.DataFrame(rows)


def reference_quantile(totals: pd.DataFrame, national: pd.DataFrame, start: int, end: int, q: float = 0.75) -> float:
    """Quantile ``q`` of the relative growth of reference units (e.g. 47 prefectures) — for thresholds."""
    r = relative_growth(totals, national, start, end)["relative_growth"].replace([np.inf, -np.inf], np.nan)
    return float(r.dropna().quantile(q))


def lead_size_ratio(members: pd.DataFrame, industry_key: str | dict[str, str]) -> pd.DataFrame:
    """Lead municipality's shipments per establishment ÷ the area's, in the focal industry.

    ``members``: one row per ``area_id, muni_code, year, industry_key`` with shipments and
    ``establishments`` (:func:`hokuriku.typology.panel.area_panel` with ``keep_members=True``).
    ``industry_key``: one key, or a dict area_id → key. Returns ``area_id, year, industry_key,
    lead_muni_code, lead_share_shipments, lead_share_establishments, lead_size_ratio``; the ratio is
    NaN with fewer than two member municipalities reporting (a single city cannot show it).
    """
    func = "lead_size_ratio"
    _frames.require(members, ["area_id", "muni_code", "year", "industry_key", "establishments"], func=func)
    df = members.assign(x=_frames.shipments_million(members, func=func), n=_frames.numeric(members, "establishments", func=func))
    focal = industry_key if isinstance(industry_key, dict) else {a: industry_key for a in df["area_id"].unique()}
    rows = []
    for (area, year), g in df.groupby(["area_id", "year"]):
        key = focal.get(area)
        g = g[(g["industry_key"] == key)].dropna(subset=["x", "n"])
        g = g[g["n"] > 0]
        rec = {"area_id": area, "year": int(year), "industry_key": key, "lead_muni_code": None,
               "lead_share_shipments": np.nan, "lead_share_establishments": np.nan, "lead_size_ratio": np.nan}
        if len(g) >= 2 and g["x"].sum() > 0:
            lead = g.loc[g["x"].idxmax()]
            sx, sn = lead["x"] / g["x"].sum(), lead["n"] / g["n"].sum()
            rec.update(lead_muni_code=lead["muni_code"], lead_share_shipments=sx, lead_share_establishments=sn,
                       lead_size_ratio=sx / sn)
        rows.append(rec)
    return pd.DataFrame(rows)


def focal_lq(area_industry: pd.DataFrame, national_industry: pd.DataFrame, industry_key: str | dict[str, str], year: int) -> pd.DataFrame:
    """Location quotient of the focal industry's shipments in ``year`` (``area_id, industry_key, focal_lq``)."""
    func = "focal_lq"
    a = _frames.tidy(area_industry, func=func)
    n = national_industry.assign(area_id="__national__")
    n = _frames.tidy(n, func=func)
    a, n = a[(a["year"] == year) & (a["industry_key"] != "total")], n[(n["year"] == year) & (n["industry_key"] != "total")]
    if n.empty or a.empty:
        raise InputError(f"{func}: expected area and national rows for year {year}")
    focal = industry_key if isinstance(industry_key, dict) else {k: industry_key for k in a["area_id"].unique()}
    nat_share = n.set_index("industry_key")["shipments_jpy_million"] / n["shipments_jpy_million"].sum()
    rows = []
    for area, g in a.groupby("area_id"):
        key = focal.get(area)
        if key not in nat_share.index:
            raise InputError(f"{func}: industry_key {key!r} not in the national frame for {year}")
        x = g.set_index("industry_key")["shipments_jpy_million"]
        share = x.get(key, 0.0) / x.sum()
        rows.append({"area_id": area, "industry_key": key, "focal_lq": share / nat_share[key]})
    return pd.DataFrame(rows)


def classify(indicators: pd.DataFrame, thresholds: dict[str, float] | None = None) -> pd.DataFrame:
    """Apply :data:`DECISION_TABLE` to one row per area.

    ``indicators`` has ``area_id, relative_growth, focal_lq, lead_size_ratio`` (NaN allowed;
    e.g. the output of the three indicator functions merged). Adds ``type``, ``type_label``,
    ``rule`` (order of the rule that fired) and ``reason`` (the numbers compared).
    """
    _frames.require(indicators, ["area_id", "relative_growth", "focal_lq", "lead_size_ratio"], func="classify")
    t = {**THRESHOLDS, **(thresholds or {})}
    unknown = set(t) - set(THRESHOLDS)
    if unknown:
        raise InputError(f"classify: unknown threshold(s) {sorted(unknown)}; expected {sorted(THRESHOLDS)}")
    out = indicators.copy()
    types, rules, reasons = [], [], []
    for _, r in out.iterrows():
        g, lq, lead = r["relative_growth"], r["focal_lq"], r["lead_size_ratio"]
        if pd.notna(g) and g >= t["b_relative_growth"]:
            typ, rule, why = "B", 1, f"relative_growth {g:.2f} ≥ {t['b_relative_growth']:g}"
        elif pd.notna(lq) and lq >= t["specialisation_lq"] and pd.notna(lead):
            big = lead >= t["a1_lead_size_ratio"]
            typ, rule = ("A-1", 2) if big else ("A-2", 3)
            why = (f"relative_growth {g:.2f} < {t['b_relative_growth']:g}; focal_lq {lq:.2f} ≥ {t['specialisation_lq']:g}; "
                   f"lead_size_ratio {lead:.2f} {'≥' if big else '<'} {t['a1_lead_size_ratio']:g}")
        else:
            typ, rule, why = "unclassified", 4, f"relative_growth {g:.2f}, focal_lq {lq:.2f}, lead_size_ratio {lead:.2f}"
        types.append(typ)
        rules.append(rule)
        reasons.append(why)
    out["type"], out["rule"], out["reason"] = types, rules, reasons
    out["type_label"] = out["type"].map(TYPES)
    return out


def growth_scatter(
    df: pd.DataFrame, start: int, end: int, *, min_shipments_oku: float = 3000.0, at: str = "end"
) -> tuple[pd.DataFrame, int, int]:
    """NRI's municipal scatter: x = growth of shipments per employee, y = growth of shipments.

    Keeps municipalities with shipments ≥ ``min_shipments_oku`` 億円 in the ``at`` year
    (``"end"``, default, or ``"start"``; NRI's figure (2000→2019, 3,000 億円) does not state which
    as far as our sources show, so the end year is our stated assumption) and both growths > 0.
    ``df``: ``muni_code`` (or ``area_id``), ``year``, shipments, ``employees`` — totals, one row per
    municipality-year.

    Returns
    -------
    (kept, n_kept, n_total)
        ``kept``: ``area_id, shipments_start/end_jpy_million, employees_start/end,
        productivity_growth_pct, shipments_growth_pct``; ``n_total`` = municipalities with both
        years observed (the denominator NRI reports).
    """
    func = "growth_scatter"
    if at not in ("start", "end"):
        raise InputError(f"{func}: expected at='start' or 'end', found {at!r}")
    t = _frames.tidy(df, func=func, industry=False, extra=("employees",))
    a, b = t[t["year"] == start].set_index("area_id"), t[t["year"] == end].set_index("area_id")
    if a.empty or b.empty:
        raise InputError(f"{func}: expected rows for {start} and {end}, found years {sorted(t['year'].unique())}")
    both = a.add_suffix("_start").join(b.add_suffix("_end"), how="inner").dropna()
    both = both[(both["employees_start"] > 0) & (both["employees_end"] > 0) & (both["shipments_jpy_million_start"] > 0)]
    out = pd.DataFrame({
        "shipments_start_jpy_million": both["shipments_jpy_million_start"],
        "shipments_end_jpy_million": both["shipments_jpy_million_end"],
        "employees_start": both["employees_start"],
        "employees_end": both["employees_end"],
    })
    p0 = out["shipments_start_jpy_million"] / out["employees_start"]
    p1 = out["shipments_end_jpy_million"] / out["employees_end"]
    out["productivity_growth_pct"] = (p1 / p0 - 1) * 100
    out["shipments_growth_pct"] = (out["shipments_end_jpy_million"] / out["shipments_start_jpy_million"] - 1) * 100
    size = out[f"shipments_{at}_jpy_million"]
    keep = (size >= min_shipments_oku * 100) & (out["productivity_growth_pct"] > 0) & (out["shipments_growth_pct"] > 0)
    kept = out[keep].reset_index().sort_values("shipments_growth_pct", ascending=False, ignore_index=True)
    return kept, int(keep.sum()), len(out)
