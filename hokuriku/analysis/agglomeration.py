r"""地域産業集積の類型整理 (NRI): growth scatter, long series, 産業の新陳代謝 and the A-1/A-2/B proxy.

Report assembly for notebook ``50_agglomeration`` (spec ``REPRODUCE.md`` §4). Every figure is rebuilt
from official shipments data for whatever years the data cover (NRI used 2000→2019; the files at
hand end in 2012, and a newer vintage declared in a manifest is picked up without code changes:
:func:`load_inputs` reads the *latest* declared vintage).

Tables used
-----------
- ``rieti_manu/muni_industry``: 工業統計調査 市区町村別・産業中分類別 2001–2012 (万円; 事業所数, 従業者数),
  Kondo's derived copy. Industry splits exist for 市・区 only (町村: 製造業計 only).
- ``rieti_manu/muni_shipments_long``: 製造品出荷額等 1971–2012 (百万円), 内閣府「選択する未来」委員会 panel.
- ``muni_converter/crosswalk``: Kondo's merger converter; every municipal series is put on the
  **2020-10-01 boundaries** (:data:`BOUNDARY_YEAR`) by summing predecessors
  (:mod:`hokuriku.panels`, :func:`hokuriku.codes.municipalities.harmonize`).
- ``kogyo_tokei/pref_industry``: 工業統計 表3-01 prefecture × 中分類 (百万円), latest vintage, for the
  focal-industry location quotient of prefecture areas.

Definitions
-----------
- Growth scatter (:func:`growth_scatter_table`): :math:`x = (X_e/L_e)/(X_s/L_s) - 1`,
  :math:`y = X_e/X_s - 1` (X 製造品出荷額等, L 従業者数, 製造業計 per municipality), kept if
  :math:`X_e \ge` ``threshold_oku`` 億円 and both growths > 0
  (:func:`hokuriku.typology.agglomeration.growth_scatter`).
- Long series (:func:`long_series`): Σ member municipalities of ``muni_shipments_long``.
- Composition (:func:`composition`): shares of JSIC *panel groups* (comparable across the 2002 and
  2008 revisions, :func:`hokuriku.codes.industries.panel_group`) in the Σ of the published industry
  cells; ``coverage`` = that Σ ÷ the area's 製造業計 (町村 and 秘匿 cells are missing from the split).
- 新陳代謝 (:func:`metabolism`): top-group share, HHI :math:`\sum_i s_i^2`, Krugman
  :math:`\sum_i |s_i - s_{iN}|` against 全国 (= Σ of every municipality's industry cells, same coverage).
- Typology proxy (:func:`typology_indicators`, :func:`hokuriku.typology.agglomeration.classify`):
  relative growth over the long window, focal-industry LQ and lead-municipality size ratio, with
  the decision table printed by the notebook. NRI's classification is qualitative; this places
  areas by measurable proxies only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from hokuriku import panels
from hokuriku.codes import areas as areas_mod
from hokuriku.codes import industries, municipalities, prefectures
from hokuriku.codes.areas import Area
from hokuriku.codes.prefectures import Region
from hokuriku.errors import InputError
from hokuriku.plotting import formats, style
from hokuriku.typology import agglomeration as ag
from hokuriku.typology import metabolism as mb
from hokuriku.typology import panel as tp

BOUNDARY_YEAR = 2020
"""Municipal boundaries of every series (Kondo converter snapshot, 2020-10-01)."""
DEFAULT_AREAS = ("kitakami_basin", "hokusei", "hiroshima", "hamamatsu")
"""Named areas of NRI's long-series figures (``areas.yml`` keys); the region's prefectures are added."""
NRI_EXAMPLES: dict[str, str] = {"hiroshima": "A-1", "toyama": "A-2", "kitakami_basin": "B", "hokusei": "B"}
"""Where NRI placed its own examples (REPRODUCE.md §4); always placed by the proxy, for comparison."""
FOCAL_INDUSTRY: dict[str, str] = {"hiroshima": "transport_equipment", "toyama": "chemicals"}
"""Industries NRI names for its examples (広島 輸送用機械; 富山 医薬品 ⊂ 化学工業). Other areas: their largest group."""
NRI_SCATTER: dict[str, float] = {"start_year": 2000, "end_year": 2019, "threshold_oku": 3000.0}
"""NRI's scatter: years and size threshold (億円) as described in REPRODUCE.md §4 (our data: see ``build``)."""
SERIES_BREAKS: tuple[tuple[int, str], ...] = ((2002, "産業分類第11回改定"), (2008, "産業分類第12回改定"))
"""First survey years on a new 日本標準産業分類 revision: industry series break there (marked, not hidden)."""
LONG_SCATTER: dict[str, int] = {"start_year": 2000, "start_employees_year": 2001}
"""The 2000→latest scatter: shipments 2000 from the long panel (DTA_cao_manu); employees from the first
工業統計 市区町村 year at hand (2001), as no municipal 従業者数 of 2000 is in the mirror."""
CENSUS_VINTAGE = "2026"
"""SSDSE-A edition holding 経済センサス‐活動調査 2021 製造業従業者数, the nearest official municipal employees
to the latest shipments year (2024)."""
NRI_NAMED = ("北上市", "四国中央市", "阿南市", "神戸市", "周南市")
"""Municipalities NRI names beside its scatter (NRI_FIGURES.md 図表1)."""
NORTHERN_TERRITORIES = frozenset({"01695", "01696", "01697", "01698", "01699", "01700"})
"""北方領土の6村 (色丹村 … 蘂取村): in the 2024 table's code list without data; not in the converter."""
TOP_GROUPS = 6
"""Industry groups shown separately in composition charts; the rest is その他."""
OTHER = "その他"
KIND_ORDER = {"都道府県": 0, "市町村群": 1, "市町村": 2}
TYPE_SHORT_JA = {"A-1": "A-1", "A-2": "A-2", "B": "B", "unclassified": "判定不能"}


@dataclass(frozen=True)
class Inputs:
    """The store tables the report reads, with their (source, vintage) pairs."""

    muni_industry: pd.DataFrame
    shipments_long: pd.DataFrame
    crosswalk: pd.DataFrame
    pref_industry: pd.DataFrame
    source_pairs: dict[str, list[tuple[str, str]]]
    ess: pd.DataFrame | None = None
    """``ess_muni/muni_shipments``: 経済構造実態調査 市区町村別 製造品出荷額等 (億円), the scatter's end year."""
    census: pd.DataFrame | None = None
    """``ssdse_a/key_variables``: 経済センサス 製造業従業者数 per municipality, the end year's employees."""


def load_inputs() -> Inputs:
    """Read the latest declared vintage of each table through :func:`hokuriku.store.table`."""
    from hokuriku import manifest, store  # I/O lives here only

    def latest(source: str) -> str:
        return sorted(manifest.vintages(source))[-1]

    mi = store.table("rieti_manu", "muni_industry", latest("rieti_manu"))
    cao = store.table("rieti_manu", "muni_shipments_long", latest("rieti_manu"))
    cw = store.table("muni_converter", "crosswalk", latest("muni_converter"))
    kogyo = store.table("kogyo_tokei", "pref_industry", latest("kogyo_tokei"))
    ess = store.table("ess_muni", "muni_shipments", latest("ess_muni"))
    census = store.table("ssdse_a", "key_variables", CENSUS_VINTAGE)
    conv = cw.attrs["source_pairs"]
    return Inputs(
        mi,
        cao,
        cw,
        kogyo,
        {
            "muni": [*mi.attrs["source_pairs"], *conv],
            "long": [*cao.attrs["source_pairs"], *conv],
            "typology": [*cao.attrs["source_pairs"], *mi.attrs["source_pairs"], *conv, *kogyo.attrs["source_pairs"]],
            "scatter_long": [*cao.attrs["source_pairs"], *mi.attrs["source_pairs"], *ess.attrs["source_pairs"],
                             *census.attrs["source_pairs"], *conv],
        },
        ess,
        census,
    )


def resolve_years(available: list[int] | pd.Series, start_year: int = 0, end_year: int = 0) -> tuple[int, int]:
    """``start_year``/``end_year`` with 0 meaning the first/last year of the data; validated."""
    years = sorted({int(y) for y in available})
    start = start_year or years[0]
    end = end_year or years[-1]
    for y in (start, end):
        if y not in years:
            raise InputError(f"year {y} is not in the data; available: {years[0]}–{years[-1]}")
    if start >= end:
        raise InputError(f"expected start_year < end_year, found {start} ≥ {end}")
    return start, end


def _short_name(name: object) -> str:
    """``"岩手県 北上市"`` → ``"北上市"`` (converter names carry the prefecture and 郡)."""
    return str(name).split(" ")[-1] if pd.notna(name) else ""


def region_areas(region: Region, defs: dict[str, Area]) -> list[Area]:
    """Return the region's prefectures (and the region itself if ≥ 2) as areas; ``areas.yml`` keys reused."""
    by_members = {(a.kind, a.members): a for a in defs.values() if a.kind == "prefectures"}
    out = []
    for code in region.pref_codes:
        out.append(
            by_members.get(("prefectures", (code,)))
            or Area(f"pref{code}", prefectures.name_ja(code), "prefectures", (code,))
        )
    if len(region) > 1:
        out.append(
            by_members.get(("prefectures", region.pref_codes))
            or Area(region.slug, region.name_ja, "prefectures", region.pref_codes)
        )
    return out


def select_areas(keys: list[str] | tuple[str, ...], region: Region, defs: dict[str, Area]) -> list[Area]:
    """Areas named by ``keys`` (``areas.yml``) followed by the region's areas, each once."""
    chosen = [areas_mod.get(k, defs) for k in keys]
    for a in region_areas(region, defs):
        if a.key not in {c.key for c in chosen}:
            chosen.append(a)
    return chosen


# Process data: pure assembly functions -------------------------------------------------------------


def municipal_totals(muni_industry: pd.DataFrame, crosswalk: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """製造業計 per municipality (2020 boundaries) for ``years``: shipments (万円), employees, establishments."""
    rows = muni_industry[muni_industry["year"].isin(years)]
    out = panels.build_total_panel(rows, crosswalk, to_year=BOUNDARY_YEAR)
    return out.assign(muni_short=out["muni_name_ja"].map(_short_name))


def group_panel(muni_industry: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Municipality × year × panel group (2020 boundaries), Σ of the cells present (``is_partial`` flags)."""
    out = panels.build_industry_panel(muni_industry, crosswalk, to_year=BOUNDARY_YEAR, level="panel_group", min_count=1)
    return out.rename(columns={"panel_group": "industry_key"})


def long_panel(shipments_long: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """製造品出荷額等 (百万円) per municipality on the 2020 boundaries, every year of the file."""
    return panels.build_shipments_long_panel(shipments_long, crosswalk, to_year=BOUNDARY_YEAR)


def growth_scatter_table(
    totals: pd.DataFrame, region: Region, *, start: int, end: int, threshold_oku: float,
    names: pd.Series | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """NRI's municipal growth scatter: the kept points and a one-row summary (kept of all).

    ``totals``: ``muni_code, year``, a shipments column (万円 or 百万円) and ``employees`` for ``start`` and
    ``end``; ``names`` (code → short name) defaults to the ``muni_short`` column of ``totals``.
    """
    shipments = next(c for c in ("shipments_jpy_10k", "shipments_jpy_million") if c in totals.columns)
    data = totals[["muni_code", "year", shipments, "employees"]]
    kept, n_kept, n_total = ag.growth_scatter(data, start, end, min_shipments_oku=threshold_oku)
    if names is None:
        names = totals.drop_duplicates("muni_code").set_index("muni_code")["muni_short"]
    kept = kept.rename(columns={"area_id": "muni_code"})
    kept.insert(1, "pref_code", kept["muni_code"].str[:2])
    kept.insert(2, "muni_name_ja", kept["muni_code"].map(names))
    dup = kept["muni_name_ja"].isin(set(names[names.duplicated(keep=False)]))  # 府中市 (東京・広島) …
    kept["label"] = kept["muni_name_ja"].where(
        ~dup, kept["muni_name_ja"] + "（" + kept["pref_code"].map(prefectures.short_name) + "）"
    )
    kept["is_region"] = kept["pref_code"].isin(region.pref_codes)
    summary = pd.DataFrame(
        [
            {
                "start_year": start,
                "end_year": end,
                "threshold_oku": threshold_oku,
                "n_kept": n_kept,
                "n_total": n_total,
                "n_kept_region": int(kept["is_region"].sum()),
            }
        ]
    )
    return kept, summary


def ess_panel(ess: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """経済構造実態調査 市区町村別 製造品出荷額等 on the 2020 boundaries (百万円; NaN keeps its reason).

    政令市 wards are folded into the city; a code of the data year is placed by the year-aware crosswalk.
    """
    rows = ess[ess["area_level"] != "designated_city"]  # the wards carry the city (merge mode folds them)
    outside = rows["muni_code"].isin(NORTHERN_TERRITORIES)
    if rows.loc[outside, "shipments_jpy_oku"].notna().any():
        raise InputError(f"ess_panel: the 北方領土 villages {sorted(NORTHERN_TERRITORIES)} carry values; expected none")
    rows = rows[~outside]  # listed by the table's code list only (absent, no data), not in the converter
    out = municipalities.harmonize(rows, crosswalk, to_year=BOUNDARY_YEAR, value_cols=["shipments_jpy_oku"],
                                          by=["year"])
    out["shipments_jpy_million"] = out["shipments_jpy_oku"] * formats.MILLION_PER_OKU
    return out


def census_employees(census: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """経済センサス‐活動調査 製造業従業者数 (SSDSE-A, one reference year) on the 2020 boundaries."""
    col = "manufacturing_employees_persons"
    rows = census.dropna(subset=[col]).rename(columns={"ref_year": "year", col: "employees"})
    years = sorted(rows["year"].unique())
    if len(years) != 1:
        raise InputError(f"census_employees: expected one reference year of 製造業従業者数, found {years}")
    rows = rows[rows["muni_code"].str[2:] != "000"]
    return municipalities.harmonize(rows, crosswalk, to_year=BOUNDARY_YEAR, value_cols=["employees"],
                                           by=["year"], note_col=None)


def long_scatter_frame(
    long: pd.DataFrame, totals: pd.DataFrame, ess_p: pd.DataFrame, employees_end: pd.DataFrame, *,
    start: int, start_employees: int,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Build the inputs of the 2000→latest scatter on one set of boundaries (2020): two rows per municipality.

    Start: 製造品出荷額等 of ``start`` (``long``, 百万円) and 従業者数 of ``start_employees`` (``totals``,
    工業統計); end: the latest ``ess_p`` year (百万円) and the census year's employees. Returns the frame
    (``muni_code, year, shipments_jpy_million, employees``, ``year`` = start or end) and the years used.
    """
    end = int(ess_p["year"].max())
    emp_end = int(employees_end["year"].iloc[0])
    a = long.loc[long["year"] == start, ["muni_code", "shipments_jpy_million"]]
    a = a.merge(totals.loc[totals["year"] == start_employees, ["muni_code", "employees"]], on="muni_code", how="left")
    b = ess_p.loc[ess_p["year"] == end, ["muni_code", "shipments_jpy_million"]]
    b = b.merge(employees_end[["muni_code", "employees"]], on="muni_code", how="left")
    frame = pd.concat([a.assign(year=start), b.assign(year=end)], ignore_index=True)
    years = {"start": start, "end": end, "start_employees": start_employees, "end_employees": emp_end}
    return frame[["muni_code", "year", "shipments_jpy_million", "employees"]], years


def named_growth(frame: pd.DataFrame, names: pd.Series, wanted: list[str], *, start: int, end: int,
                 threshold_oku: float) -> pd.DataFrame:
    """Both growth rates for named municipalities (names or 5-digit codes), kept or not by NRI's filter.

    A name must match exactly one municipality (府中市 is ambiguous: give its code). Unknown names raise.
    """
    codes = []
    for w in wanted:
        w = str(w)
        if w.isdigit():
            codes.append(w.zfill(5))
            continue
        hits = names.index[names == w].tolist()
        if len(hits) != 1:
            raise InputError(f"named municipality {w!r}: expected one match on the {BOUNDARY_YEAR} boundaries, "
                             f"found {hits or 'none'} (give the 5-digit code)")
        codes.append(hits[0])
    codes = list(dict.fromkeys(codes))
    a = frame[frame["year"] == start].set_index("muni_code")
    b = frame[frame["year"] == end].set_index("muni_code")
    rows = []
    for c in codes:
        xs, xe = a["shipments_jpy_million"].get(c, np.nan), b["shipments_jpy_million"].get(c, np.nan)
        ls, le = a["employees"].get(c, np.nan), b["employees"].get(c, np.nan)
        g = (xe / xs - 1) * 100
        pg = ((xe / le) / (xs / ls) - 1) * 100
        kept = bool(xe >= threshold_oku * 100 and g > 0 and pg > 0) if pd.notna(g) and pd.notna(pg) else False
        rows.append({"muni_code": c, "pref_code": c[:2], "muni_name_ja": names.get(c, c),
                     "shipments_start_jpy_million": xs, "shipments_end_jpy_million": xe, "employees_start": ls,
                     "employees_end": le, "shipments_growth_pct": g, "productivity_growth_pct": pg, "kept": kept})
    return pd.DataFrame(rows)


def long_series(long: pd.DataFrame, chosen: list[Area]) -> pd.DataFrame:
    """Σ 製造品出荷額等 (百万円) per area and year; ``n_missing`` members without a value."""
    out = tp.area_panel(long[["muni_code", "pref_code", "year", "shipments_jpy_million"]], chosen, industry=False)
    out["shipments_jpy_million"] = out["shipments_jpy_million"].round(2)
    return out


def composition(
    groups: pd.DataFrame, totals: pd.DataFrame, chosen: list[Area], *, top: int = TOP_GROUPS
) -> pd.DataFrame:
    """Industry-group shares per area-year; groups beyond the area's ``top`` largest (last year) → その他."""
    by_area = tp.area_panel(groups[["muni_code", "pref_code", "year", "industry_key", "shipments_jpy_10k"]], chosen)
    tot = tp.area_panel(totals[["muni_code", "pref_code", "year", "shipments_jpy_10k"]], chosen, industry=False)
    last = by_area[by_area["year"] == by_area["year"].max()]
    ranks = last.groupby("area_id")["shipments_jpy_million"].rank(ascending=False, method="first")
    keep = set(zip(last["area_id"], last["industry_key"].where(ranks <= top), strict=True))
    is_top = pd.Series(
        [(a, k) in keep for a, k in zip(by_area["area_id"], by_area["industry_key"], strict=True)], index=by_area.index
    )
    labels = by_area["industry_key"].map(_group_label).where(is_top, OTHER)
    out = (
        by_area.assign(group_ja=labels)
        .groupby(["area_id", "year", "group_ja"], as_index=False)["shipments_jpy_million"]
        .sum(min_count=1)
    )
    out["share"] = out["shipments_jpy_million"] / out.groupby(["area_id", "year"])["shipments_jpy_million"].transform(
        "sum"
    )
    covered = out.groupby(["area_id", "year"])["shipments_jpy_million"].sum().rename("split_jpy_million")
    cov = (
        tot.set_index(["area_id", "year"])["shipments_jpy_million"].rename("total_jpy_million").to_frame().join(covered)
    )
    cov["coverage"] = cov["split_jpy_million"] / cov["total_jpy_million"]
    return out.merge(cov.reset_index(), on=["area_id", "year"], how="left")


@lru_cache(maxsize=256)
def _group_label(key: str) -> str:
    rec = industries.industries().set_index("panel_group")["panel_group_name_ja"]
    return str(rec.loc[key].iloc[0] if isinstance(rec.loc[key], pd.Series) else rec.loc[key])


@lru_cache(maxsize=1)
def nri_groups() -> pd.DataFrame:
    """``industry_key → nri_group, nri_order`` (``hokuriku/codes/data/nri_composition_groups.csv``, NRI 図表5)."""
    from hokuriku import paths

    return pd.read_csv(paths.CODES_DATA / "nri_composition_groups.csv", dtype={"industry_key": str}, comment="#")


def nri_composition(muni_industry: pd.DataFrame, crosswalk: pd.DataFrame, area: Area, *,
                    totals: pd.DataFrame) -> pd.DataFrame:
    """Composition of an area by NRI's 図表5 groups (electrical split from 2002, marked), per year.

    Harmonises only the area's prefectures (industry level, 2020 boundaries; Σ of published cells,
    ``min_count=1``), sums member municipalities of each year (membership by year), and gives shares of
    the split's Σ and ``coverage`` = that Σ ÷ the area's 製造業計 (町村 and 秘匿 cells are outside the split).
    """
    g = nri_groups()
    rows = muni_industry[muni_industry["pref_code"].isin(area.pref_codes)]
    panel = panels.build_industry_panel(rows, crosswalk, to_year=BOUNDARY_YEAR, level="industry_key", min_count=1)
    unknown = sorted(set(panel["industry_key"]) - set(g["industry_key"]))
    if unknown:
        raise InputError(f"nri_composition: industries without an NRI group in nri_composition_groups.csv: {unknown}")
    panel = panel.assign(industry_key=panel["industry_key"].map(dict(zip(g["industry_key"], g["nri_group"],
                                                                             strict=True))))
    by = tp.area_panel(panel[["muni_code", "pref_code", "year", "industry_key", "shipments_jpy_10k"]], [area])
    tot = tp.area_panel(totals[["muni_code", "pref_code", "year", "shipments_jpy_10k"]], [area], industry=False)
    by = by.rename(columns={"industry_key": "group_ja"})
    by["share"] = by["shipments_jpy_million"] / by.groupby("year")["shipments_jpy_million"].transform("sum")
    cov = by.groupby("year")["shipments_jpy_million"].sum() / tot.set_index("year")["shipments_jpy_million"]
    by["coverage"] = by["year"].map(cov)
    order = dict(zip(g["nri_group"], g["nri_order"], strict=False))
    by["nri_order"] = by["group_ja"].map(order)
    by["note"] = np.where((by["year"] < ELECTRICAL_SPLIT_YEAR) & (by["group_ja"] == "電気機械"),
                          "情報通信機械・電子部品を含む（日本標準産業分類第10回改定）", "")
    return by.sort_values(["year", "nri_order"], ignore_index=True)


ELECTRICAL_SPLIT_YEAR = 2002
"""First year with 情報通信機械 and 電子部品・デバイス split from 電気機械 in 工業統計 (JSIC 第11回改定); NRI marks
the break "between 2000 and 2005"."""
NRI_COMPOSITION_AREAS = ("kitakami_basin",)
"""Areas drawn with NRI's own 図表5 groups as well (their ``nri`` block in ``areas.yml``)."""


def national_groups(groups: pd.DataFrame) -> pd.DataFrame:
    """全国 industry-group shipments per year = Σ every municipality's cells (same coverage as areas)."""
    return groups.groupby(["year", "industry_key"], as_index=False)["shipments_jpy_10k"].sum(min_count=1)


def metabolism(groups: pd.DataFrame, chosen: list[Area], *, start: int, end: int) -> pd.DataFrame:
    """Top-group share, HHI and Krugman index against 全国 per area and year ``start``–``end``."""
    g = groups[groups["year"].between(start, end)]
    by_area = tp.area_panel(g[["muni_code", "pref_code", "year", "industry_key", "shipments_jpy_10k"]], chosen)
    out = mb.metabolism_table(by_area, national_groups(g))
    out["top_group_ja"] = out["top_industry_key"].map(_group_label)
    return out


def _focal(groups_by_area: pd.DataFrame, focal: dict[str, str], end: int) -> dict[str, str]:
    top = mb.top_industry(groups_by_area[groups_by_area["year"] == end])
    return dict(zip(top["area_id"], top["top_industry_key"], strict=True)) | focal


def typology_indicators(
    long: pd.DataFrame,
    groups: pd.DataFrame,
    pref_industry: pd.DataFrame,
    chosen: list[Area],
    *,
    window: tuple[int, int],
    end: int,
    focal: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Compute the three proxy indicators per area (inputs of :func:`hokuriku.typology.agglomeration.classify`).

    ``long``: :func:`long_panel`; ``groups``: :func:`group_panel` (must cover every member's
    prefecture; 全国 for municipal LQs is its Σ); ``pref_industry``: ``kogyo_tokei`` prefecture ×
    中分類 (one year). ``focal`` overrides the focal industry (default: the area's largest group in
    ``end``; :data:`FOCAL_INDUSTRY` holds NRI's named ones). Prefecture areas get the LQ from
    ``pref_industry`` (all establishments ≥ 4 persons); municipal areas from ``groups`` in ``end``.
    """
    start_long, end_long = window
    national = long.groupby("year", as_index=False)["shipments_jpy_million"].sum()
    growth = ag.relative_growth(long_series(long, chosen), national, start_long, end_long)
    g = groups[groups["year"] <= end][
        ["muni_code", "pref_code", "year", "industry_key", "shipments_jpy_10k", "establishments"]
    ]
    by_area = tp.area_panel(g, chosen)
    focal_map = _focal(by_area, {k: v for k, v in (focal or {}).items() if k in {a.key for a in chosen}}, end)
    lead = ag.lead_size_ratio(tp.area_panel(g, chosen, keep_members=True), focal_map)
    lead = lead.groupby("area_id", as_index=False)["lead_size_ratio"].median()
    lq_parts = []
    pref_areas = [a for a in chosen if not a.is_municipal]
    if pref_areas:
        p = pref_industry.assign(industry_key=pref_industry["industry_key"].map(industries.panel_group))
        p = p.groupby(["pref_code", "year", "industry_key"], as_index=False)["shipments_jpy_million"].sum(min_count=1)
        nat = p.groupby(["year", "industry_key"], as_index=False)["shipments_jpy_million"].sum()
        lq_parts.append(ag.focal_lq(tp.area_panel(p, pref_areas), nat, focal_map, int(p["year"].max())))
    muni_areas = [a for a in chosen if a.is_municipal]
    if muni_areas:
        last = g[g["year"] == end]
        lq_parts.append(ag.focal_lq(tp.area_panel(last, muni_areas), national_groups(last), focal_map, end))
    lq = pd.concat(lq_parts, ignore_index=True)[["area_id", "focal_lq"]]
    out = growth.merge(lead, on="area_id", how="left").merge(lq, on="area_id", how="left")
    out["focal_industry_key"] = out["area_id"].map(focal_map)
    return out


def typology(
    indicators: pd.DataFrame, chosen: list[Area], *, thresholds: dict[str, float] | None = None
) -> pd.DataFrame:
    """Classify and add names, NRI's own placement (examples only) and a note for single municipalities."""
    out = ag.classify(indicators, thresholds)
    meta = {a.key: a for a in chosen}
    out.insert(1, "area_name_ja", out["area_id"].map(lambda k: meta[k].name_ja))
    out.insert(
        2,
        "kind",
        out["area_id"].map(
            lambda k: (
                "市町村"
                if meta[k].is_municipal and len(meta[k].members) == 1
                else ("市町村群" if meta[k].is_municipal else "都道府県")
            )
        ),
    )
    out["focal_group_ja"] = out["focal_industry_key"].map(_group_label)
    out["nri_type"] = out["area_id"].map(NRI_EXAMPLES)
    single = out["kind"] == "市町村"
    out["note"] = np.where(
        single & (out["type"] == "unclassified"), "単独市町村では主導市町村比を定義できず A-1/A-2 は判別不能", ""
    )
    rank = out["area_id"].map(lambda k: 0 if k in NRI_EXAMPLES else 1) * 10 + out["kind"].map(KIND_ORDER)
    return out.assign(_r=rank).sort_values(["_r", "area_id"], kind="stable").drop(columns="_r").reset_index(drop=True)


def members_table(totals: pd.DataFrame, long: pd.DataFrame, chosen: list[Area], year: int) -> pd.DataFrame:
    """Member municipalities of municipal areas in ``year``: shipments in both RIETI files (億円, 1 dp)."""
    rows = []
    t = totals[totals["year"] == year].set_index("muni_code")
    lg = long[long["year"] == year].set_index("muni_code")["shipments_jpy_million"]
    for a in chosen:
        if not a.is_municipal:
            continue
        for m in a.membership():
            code = m["muni_code"]
            x10k = t["shipments_jpy_10k"].get(code, np.nan)
            xm = lg.get(code, np.nan)
            rows.append(
                {
                    "area_id": a.key,
                    "area_name_ja": a.name_ja,
                    "group": m["group"] or "",
                    "muni_code": code,
                    "muni_name_ja": m["member_name"] or _short_name(t["muni_name_ja"].get(code)),
                    "year": year,
                    "shipments_jpy_10k": x10k,
                    "shipments_oku_from_10k": _oku1(x10k / 10_000),
                    "shipments_jpy_million_long": xm,
                    "shipments_oku_from_million": _oku1(xm / 100),
                }
            )
    return pd.DataFrame(rows)


def _oku1(x: float) -> float:
    return float("nan") if pd.isna(x) else float(formats.round_half_up(x, 1))


def milestones_table(chosen: list[Area]) -> pd.DataFrame:
    """Series breaks (every area) and the analyst's cited milestones from ``areas.yml``."""
    rows = [
        {"area_id": "*", "year": y, "kind": "統計の断層", "label": lab, "source": "日本標準産業分類の改定（総務省）"}
        for y, lab in SERIES_BREAKS
    ]
    rows += [
        {"area_id": a.key, "year": m.year, "kind": "政策", "label": m.label, "source": m.source}
        for a in chosen
        for m in a.milestones
    ]
    return pd.DataFrame(rows)


def region_municipalities(totals: pd.DataFrame, region: Region, year: int, n: int) -> list[Area]:
    """Return the region's ``n`` largest municipalities by 製造品出荷額等 in ``year``, as single-member areas."""
    t = totals[(totals["year"] == year) & totals["pref_code"].isin(region.pref_codes)]
    t = t.dropna(subset=["shipments_jpy_10k"]).nlargest(n, "shipments_jpy_10k")
    return [
        Area(
            f"m{c}",
            f"{nm}（{prefectures.short_name(c[:2])}）",
            "municipalities",
            (c,),
            boundary_date=f"{BOUNDARY_YEAR}-10-01",
        )
        for c, nm in zip(t["muni_code"], t["muni_short"], strict=True)
    ]


# Assemble --------------------------------------------------------------------------------------------


@dataclass
class Agglomeration:
    """Every table of the agglomeration report (tidy frames) and the ``(出所)`` lines."""

    region: Region
    start: int
    end: int
    window: tuple[int, int]
    areas: list[Area]
    scatter: pd.DataFrame
    scatter_summary: pd.DataFrame
    long: pd.DataFrame
    composition: pd.DataFrame
    metabolism: pd.DataFrame
    members: pd.DataFrame
    milestones: pd.DataFrame
    indicators: pd.DataFrame
    typology: pd.DataFrame
    decision_table: pd.DataFrame
    reference_b_threshold: float
    notes: dict[str, str] = field(default_factory=dict)
    vintages: dict[str, str] = field(default_factory=dict)
    scatter_long: pd.DataFrame | None = None
    """The 2000→latest scatter (NRI's span, one set of boundaries): kept points."""
    scatter_long_summary: pd.DataFrame | None = None
    scatter_long_years: dict[str, int] = field(default_factory=dict)
    named: pd.DataFrame | None = None
    """NRI's named municipalities and the region's own, with both growth rates (2000→latest)."""
    nri_composition: dict[str, pd.DataFrame] = field(default_factory=dict)
    """Area key → composition by NRI's 図表5 groups (:func:`nri_composition`)."""


def build(
    region: Region | str | list = prefectures.DEFAULT_REGION,
    *,
    areas: list[str] | tuple[str, ...] = DEFAULT_AREAS,
    start_year: int = 0,
    end_year: int = 0,
    threshold_oku: float = 3000.0,
    n_municipalities: int = 8,
    named: list[str] | tuple[str, ...] = NRI_NAMED,
    n_named_region: int = 5,
    inputs: Inputs | None = None,
) -> Agglomeration:
    """Read the store tables (unless ``inputs`` are given) and assemble the report for ``region``.

    ``start_year``/``end_year`` = 0 take the first/last year of ``muni_industry``; the long window
    of the typology runs from the first year of ``muni_shipments_long`` to ``end_year``. The 2000→latest
    scatter (:data:`LONG_SCATTER`) and the side table of ``named`` municipalities (plus the region's
    ``n_named_region`` largest in the end year) are built when the inputs hold ``ess`` and ``census``.
    """
    from hokuriku import manifest

    reg = prefectures.region(region)
    # Load inputs.
    inp = inputs or load_inputs()
    defs = areas_mod.load_areas()
    # Process data.
    start, end = resolve_years(inp.muni_industry["year"], start_year, end_year)
    chosen = select_areas(list(areas), reg, defs)
    totals = municipal_totals(inp.muni_industry, inp.crosswalk, sorted(inp.muni_industry["year"].unique()))
    groups = group_panel(inp.muni_industry, inp.crosswalk)
    long = long_panel(inp.shipments_long, inp.crosswalk)
    window = (int(long["year"].min()), min(end, int(long["year"].max())))
    scatter, summary = growth_scatter_table(totals, reg, start=start, end=end, threshold_oku=threshold_oku)
    typed = [*[defs[k] for k in NRI_EXAMPLES], *chosen, *region_municipalities(totals, reg, end, n_municipalities)]
    typed = list({a.key: a for a in typed}.values())
    ind = typology_indicators(long, groups, inp.pref_industry, typed, window=window, end=end, focal=FOCAL_INDUSTRY)
    pref_units = [Area(f"p{c}", prefectures.name_ja(c), "prefectures", (c,)) for c in prefectures.table()["pref_code"]]
    national = long.groupby("year", as_index=False)["shipments_jpy_million"].sum()
    ref_b = ag.reference_quantile(long_series(long, pref_units), national, *window)
    span = groups[groups["year"].between(start, end)]
    notes = {k: manifest.source_note(v) for k, v in inp.source_pairs.items()}
    notes["area"] = manifest.source_note([*inp.source_pairs["long"], *inp.source_pairs["muni"]])
    extra: dict = {}
    if inp.ess is not None and inp.census is not None:
        frame, years = long_scatter_frame(
            long, totals, ess_panel(inp.ess, inp.crosswalk), census_employees(inp.census, inp.crosswalk),
            start=LONG_SCATTER["start_year"], start_employees=LONG_SCATTER["start_employees_year"])
        names = totals.drop_duplicates("muni_code").set_index("muni_code")["muni_short"]
        kept_l, summary_l = growth_scatter_table(frame, reg, start=years["start"], end=years["end"],
                                                 threshold_oku=threshold_oku, names=names)
        end_rows = frame[(frame["year"] == years["end"]) & frame["muni_code"].str[:2].isin(reg.pref_codes)]
        own = end_rows.dropna(subset=["shipments_jpy_million"]).nlargest(n_named_region, "shipments_jpy_million")
        table = named_growth(frame, names, [*named, *own["muni_code"]], start=years["start"], end=years["end"],
                             threshold_oku=threshold_oku)
        table["is_region"] = table["pref_code"].isin(reg.pref_codes)
        extra = {"scatter_long": kept_l, "scatter_long_summary": summary_l, "scatter_long_years": years,
                 "named": table}
    extra["nri_composition"] = {
        a.key: nri_composition(inp.muni_industry[inp.muni_industry["year"].between(start, end)], inp.crosswalk, a,
                               totals=totals)
        for a in chosen if a.key in NRI_COMPOSITION_AREAS
    }
    return Agglomeration(**extra,
        region=reg,
        start=start,
        end=end,
        window=window,
        areas=chosen,
        scatter=scatter,
        scatter_summary=summary,
        long=long_series(long[long["year"] <= end], chosen),
        composition=composition(span, totals[totals["year"].between(start, end)], chosen),
        metabolism=metabolism(groups, chosen, start=start, end=end),
        members=members_table(totals, long, chosen, end),
        milestones=milestones_table(chosen),
        indicators=ind,
        typology=typology(ind, typed),
        decision_table=ag.decision_table(),
        reference_b_threshold=ref_b,
        notes=notes,
        vintages={s: v for pairs in inp.source_pairs.values() for s, v in pairs},
    )


def place(
    keys: list[str] | tuple[str, ...] = tuple(NRI_EXAMPLES),
    *,
    inputs: Inputs | None = None,
    focal: dict[str, str] | None = None,
    end_year: int = 0,
) -> pd.DataFrame:
    """Proxy indicators for ``areas.yml`` areas (default: NRI's examples) — the golden test's pipeline.

    Long window: first year of ``muni_shipments_long`` → ``end_year`` (0 = last year of
    ``muni_industry``); LQ of prefecture areas from the latest ``kogyo_tokei`` vintage.
    """
    inp = inputs or load_inputs()
    defs = areas_mod.load_areas()
    chosen = [areas_mod.get(k, defs) for k in keys]
    _, end = resolve_years(inp.muni_industry["year"], 0, end_year)
    long = long_panel(inp.shipments_long, inp.crosswalk)
    window = (int(long["year"].min()), min(end, int(long["year"].max())))
    groups = group_panel(inp.muni_industry, inp.crosswalk)
    return typology_indicators(
        long,
        groups,
        inp.pref_industry,
        chosen,
        window=window,
        end=end,
        focal=FOCAL_INDUSTRY if focal is None else focal,
    )


# Display tables (Japanese headers, published rounding) --------------------------------------------

_SCATTER_JA = {
    "muni_code": "市区町村コード",
    "muni_name_ja": "市区町村",
    "pref_name": "都道府県",
    "start_oku": "出荷額_始点（億円）",
    "end_oku": "出荷額_終点（億円）",
    "employees_start": "従業者_始点（人）",
    "employees_end": "従業者_終点（人）",
    "productivity_growth_pct": "1人当たり出荷額の伸び（%）",
    "shipments_growth_pct": "出荷額の伸び（%）",
    "is_region": "対象地域",
}


def _r(s: pd.Series, digits: int) -> pd.Series:
    return s.map(
        lambda v: _oku1(v) if digits == 1 else (float("nan") if pd.isna(v) else float(formats.round_half_up(v, digits)))
    )


def display_scatter(res: Agglomeration) -> pd.DataFrame:
    """Return the kept municipalities of the growth scatter (億円 and % at 1 decimal)."""
    s = res.scatter
    out = pd.DataFrame(
        {
            "muni_code": s["muni_code"],
            "muni_name_ja": s["muni_name_ja"],
            "pref_name": s["pref_code"].map(prefectures.name_ja),
            "start_oku": _r(s["shipments_start_jpy_million"] / 100, 1),
            "end_oku": _r(s["shipments_end_jpy_million"] / 100, 1),
            "employees_start": s["employees_start"].astype("int64"),
            "employees_end": s["employees_end"].astype("int64"),
            "productivity_growth_pct": _r(s["productivity_growth_pct"], 1),
            "shipments_growth_pct": _r(s["shipments_growth_pct"], 1),
            "is_region": s["is_region"].map({True: "○", False: ""}),
        }
    )
    return out.rename(columns=_SCATTER_JA)


def display_scatter_summary(res: Agglomeration) -> pd.DataFrame:
    s = res.scatter_summary.iloc[0]
    return pd.DataFrame(
        [
            {
                "始点": int(s["start_year"]),
                "終点": int(s["end_year"]),
                "出荷額の下限（億円）": s["threshold_oku"],
                "条件を満たす市区町村数": int(s["n_kept"]),
                "両年の値がある市区町村数": int(s["n_total"]),
                f"うち{res.region.name_ja}": int(s["n_kept_region"]),
            }
        ]
    )


def display_scatter_long(res: Agglomeration) -> pd.DataFrame:
    """Return the kept municipalities of the 2000→latest scatter (億円 and % at 1 decimal)."""
    return display_scatter(Agglomeration(**{**res.__dict__, "scatter": res.scatter_long}))


def display_scatter_long_summary(res: Agglomeration) -> pd.DataFrame:
    """One row: years (shipments and employees), threshold, kept / total, and the scope of each end."""
    s = res.scatter_long_summary.iloc[0]
    y = res.scatter_long_years
    return pd.DataFrame([{
        "始点": y["start"], "終点": y["end"], "従業者数_始点の年": y["start_employees"],
        "従業者数_終点の年": y["end_employees"], "出荷額の下限（億円）": s["threshold_oku"],
        "条件を満たす市区町村数": int(s["n_kept"]), "両年の値がある市区町村数": int(s["n_total"]),
        f"うち{res.region.name_ja}": int(s["n_kept_region"]),
        "始点の調査範囲": "工業統計（従業者4人以上）", "終点の調査範囲": "経済構造実態調査（個人経営を除く全事業所）",
    }])


def display_named(res: Agglomeration) -> pd.DataFrame:
    """Named municipalities (NRI's and the region's) with both growth rates and whether NRI's filter keeps them."""
    d = res.named
    y = res.scatter_long_years
    why = []
    for _, r in d.iterrows():
        if r["kept"]:
            why.append("")
        elif pd.isna(r["employees_start"]) or pd.isna(r["employees_end"]):
            why.append(f"従業者数なし（{y['start_employees']}年は合併前の町村の秘匿を含む等）")
        elif pd.isna(r["shipments_start_jpy_million"]) or pd.isna(r["shipments_end_jpy_million"]):
            why.append("出荷額なし（秘匿等）")
        elif r["shipments_end_jpy_million"] < res.scatter_long_summary.iloc[0]["threshold_oku"] * 100:
            why.append("終点の出荷額が下限未満")
        else:
            why.append("伸びが負")
    return pd.DataFrame({
        "市区町村コード": d["muni_code"], "市区町村": d["muni_name_ja"],
        "都道府県": d["pref_code"].map(prefectures.name_ja),
        f"出荷額_{y['start']}年（億円）": _r(d["shipments_start_jpy_million"] / 100, 1),
        f"出荷額_{y['end']}年（億円）": _r(d["shipments_end_jpy_million"] / 100, 1),
        f"従業者_{y['start_employees']}年（人）": pd.array(d["employees_start"].round(), dtype="Int64"),
        f"従業者_{y['end_employees']}年（人）": pd.array(d["employees_end"].round(), dtype="Int64"),
        "出荷額の伸び（%）": _r(d["shipments_growth_pct"], 1),
        "1人当たり出荷額の伸び（%）": _r(d["productivity_growth_pct"], 1),
        "散布図に記載": d["kept"].map({True: "○", False: "－"}),
        "記載されない理由": why,
        "区分": np.where(d["is_region"], "対象地域", np.where(d["muni_name_ja"].isin(NRI_NAMED), "NRIの例示", "指定")),
    })


def display_long(res: Agglomeration) -> pd.DataFrame:
    """Long series per area: 百万円 as in the file (Σ of members) and 億円 at 1 decimal."""
    names = {a.key: a.name_ja for a in res.areas}
    d = res.long
    return pd.DataFrame(
        {
            "地域": d["area_id"].map(names),
            "area_id": d["area_id"],
            "年": d["year"],
            "製造品出荷額等（百万円）": d["shipments_jpy_million"],
            "製造品出荷額等（億円）": _r(d["shipments_jpy_million"] / 100, 1),
            "構成市町村数": d["n_members"],
            "値のない構成市町村数": d["n_missing"],
            "合計の状態": np.where(d["n_missing"] > 0, "一部の合計（値のない市町村を除く）", "全構成市町村の合計"),
        }
    )


def display_composition(res: Agglomeration) -> pd.DataFrame:
    names = {a.key: a.name_ja for a in res.areas}
    d = res.composition
    return pd.DataFrame(
        {
            "地域": d["area_id"].map(names),
            "area_id": d["area_id"],
            "年": d["year"],
            "業種グループ": d["group_ja"],
            "出荷額（億円）": _r(d["shipments_jpy_million"] / 100, 1),
            "構成比（%）": _r(d["share"] * 100, 1),
            "業種別内訳のカバー率（%）": _r(d["coverage"] * 100, 1),
        }
    )


def display_metabolism(res: Agglomeration) -> pd.DataFrame:
    names = {a.key: a.name_ja for a in res.areas}
    d = res.metabolism
    return pd.DataFrame(
        {
            "地域": d["area_id"].map(names),
            "area_id": d["area_id"],
            "年": d["year"],
            "最大業種グループ": d["top_group_ja"],
            "最大業種シェア（%）": _r(d["top_share"] * 100, 1),
            "HHI": _r(d["hhi"], 3),
            "クルーグマン特化係数（対全国）": _r(d["krugman_index"], 3),
            "シェア5%以上の業種数": d["n_industries_ge_5pct"],
        }
    )


def display_members(res: Agglomeration) -> pd.DataFrame:
    d = res.members
    return pd.DataFrame(
        {
            "地域": d["area_name_ja"],
            "地区": d["group"],
            "市区町村コード": d["muni_code"],
            "市区町村": d["muni_name_ja"],
            "年": d["year"],
            "出荷額（万円）_工業統計市区町村編": d["shipments_jpy_10k"],
            "出荷額（億円）_工業統計市区町村編": d["shipments_oku_from_10k"],
            "出荷額（百万円）_選択する未来委員会": d["shipments_jpy_million_long"],
            "出荷額（億円）_選択する未来委員会": d["shipments_oku_from_million"],
        }
    )


def display_milestones(res: Agglomeration) -> pd.DataFrame:
    names = {a.key: a.name_ja for a in res.areas} | {"*": "全地域"}
    d = res.milestones
    return pd.DataFrame(
        {"地域": d["area_id"].map(names), "年": d["year"], "種類": d["kind"], "内容": d["label"], "出典": d["source"]}
    )


def display_decision(res: Agglomeration) -> pd.DataFrame:
    d = res.decision_table
    return pd.DataFrame(
        {"順序": d["order"], "類型": d["type"], "名称": d["label"], "条件（最初に当てはまる行）": d["condition"]}
    )


def display_typology(res: Agglomeration) -> pd.DataFrame:
    d = res.typology
    return pd.DataFrame(
        {
            "地域": d["area_name_ja"],
            "area_id": d["area_id"],
            "区分": d["kind"],
            "注目業種": d["focal_group_ja"],
            f"相対成長率（{res.window[0]}→{res.window[1]}）": _r(d["relative_growth"], 2),
            "注目業種の特化係数": _r(d["focal_lq"], 2),
            "主導市町村の規模比": _r(d["lead_size_ratio"], 2),
            "判定": d["type"].map(TYPE_SHORT_JA),
            "判定（名称）": d["type_label"],
            "NRIの分類": d["nri_type"].fillna(""),
            "判定理由": d["reason"],
            "注記": d["note"],
        }
    )


# Figures (slide-ready; titles and (出所) lines are added here so every saved chart carries them) -----




def furnish(fig: Figure, title: str, note: str, subtitle: str | None = None) -> Figure:
    """Slide title, optional subtitle and the wrapped ``(出所)`` line."""
    from hokuriku.plotting import charts

    charts.add_title(fig, title, subtitle)
    charts.add_source_line(fig, note)
    return fig


def _mark_breaks(ax, years: tuple[int, int] | None = None, *, label: bool = True) -> None:
    lo, hi = ax.get_xlim()
    for y, lab in SERIES_BREAKS:
        if lo <= y - 0.5 <= hi:
            ax.axvline(y - 0.5, color="#999999", linewidth=1.0, linestyle="--", zorder=1)
            if label:
                ax.annotate(
                    lab,
                    (y - 0.5, 1.0),
                    xycoords=("data", "axes fraction"),
                    xytext=(3, -3),
                    textcoords="offset points",
                    va="top",
                    fontsize=9,
                    color="#666666",
                )


def _scatter_figure(s: pd.DataFrame, summ: pd.Series, region: Region, *, label_top: int, box: str = "") -> Figure:
    from hokuriku.plotting import charts

    s = s.copy()
    top = set(s.nlargest(label_top, "shipments_growth_pct")["muni_code"])
    shown = s["is_region"] | s["muni_code"].isin(top)
    # the region's municipalities are highlighted (coloured, labelled first); others only when among the top
    s = s.assign(shown_label=s["label"].where(shown, ""), unit=np.where(s["is_region"], s["pref_code"], ""))
    fig, ax = charts.scatter_labelled(
        s,
        x="productivity_growth_pct",
        y="shipments_growth_pct",
        label="shown_label",
        unit="unit",
        highlight=region.pref_codes,
        quadrant=None,
        xlabel="従業者1人当たり出荷額の伸び（%、対数目盛）",
        ylabel="製造品出荷額等の伸び（%、対数目盛）",
        xscale="log",
        yscale="log",
    )
    ax.xaxis.set_major_formatter(formats.thousands_formatter())
    ax.yaxis.set_major_formatter(formats.thousands_formatter())
    ax.text(
        0.99,
        0.02,
        f"図に記載されている市区町村は{int(summ['n_kept'])}（全{formats.fmt_number(int(summ['n_total']))}）"
        f"、うち{region.name_ja} {int(summ['n_kept_region'])}",
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=11,
        color=style.TEXT_COLOUR,
    )
    if box:
        ax.text(0.01, 0.99, box, transform=ax.transAxes, ha="left", va="top", fontsize=9.5, color=style.TEXT_COLOUR,
                bbox={"boxstyle": "round,pad=0.4", "facecolor": "white", "edgecolor": "#BBBBBB", "alpha": 0.92})
    return fig


def scatter_chart(res: Agglomeration, *, label_top: int = 6) -> Figure:
    """Growth scatter on log–log axes (like-for-like: one survey scope); the region's municipalities labelled."""
    summ = res.scatter_summary.iloc[0]
    fig = _scatter_figure(res.scatter, summ, res.region, label_top=label_top,
                          box="同じ調査範囲（工業統計、従業者4人以上の事業所）の2時点の比較")
    sub = (
        f"{res.start}→{res.end}年、{res.end}年の出荷額{formats.fmt_number(summ['threshold_oku'])}億円以上かつ"
        "両指標とも増加した市区町村（2020年10月1日の市区町村境域に組替え）"
    )
    return furnish(fig, "市区町村別 製造品出荷額等と1人当たり出荷額の伸び", res.notes["muni"], sub)


def scatter_long_caveats(res: Agglomeration) -> str:
    """The 2000→latest scatter's caveats (Japanese, one per line), printed on the chart."""
    y = res.scatter_long_years
    return "\n".join([
        f"始点 {y['start']}年：出荷額は工業統計（従業者4人以上）、従業者数は{y['start_employees']}年工業統計"
        f"（{y['start']}年の市区町村値が手元にないため）",
        f"終点 {y['end']}年：出荷額は経済構造実態調査（個人経営を除く全事業所）、従業者数は"
        f"{y['end_employees']}年経済センサス‐活動調査（手元で最も近い年の公的な市区町村値）",
        "調査範囲が始点（4人以上）と終点（個人経営を除く）で異なり、伸びにはその差を含む。"
        "同じ範囲での比較は2001→2012年の図",
    ])


def scatter_long_chart(res: Agglomeration, *, label_top: int = 6) -> Figure:
    """NRI's span: 2000 → the latest year on the 2020 boundaries, with the scope break and employee years stated."""
    if res.scatter_long is None:
        raise InputError("scatter_long_chart: the report was built without the 経済構造実態調査 / SSDSE-A inputs")
    summ = res.scatter_long_summary.iloc[0]
    y = res.scatter_long_years
    fig = _scatter_figure(res.scatter_long, summ, res.region, label_top=label_top, box=scatter_long_caveats(res))
    sub = (
        f"{y['start']}→{y['end']}年（NRI は2000→2019年）、{y['end']}年の出荷額{formats.fmt_number(summ['threshold_oku'])}"
        "億円以上かつ両指標とも増加した市区町村（2020年10月1日の市区町村境域）"
    )
    return furnish(fig, "市区町村別 製造品出荷額等と1人当たり出荷額の伸び（長期）", res.notes["scatter_long"], sub)


def area_chart(res: Agglomeration, area_id: str) -> Figure:
    """One area: long series of 製造品出荷額等 (億円) with milestones, and group composition below."""
    area = next(a for a in res.areas if a.key == area_id)
    fig = Figure(figsize=style.figsize("full"), layout="constrained")
    top, bottom = fig.subplots(2, 1, height_ratios=[1, 1.1])
    d = res.long[res.long["area_id"] == area_id]
    top.plot(d["year"], d["shipments_jpy_million"] / formats.MILLION_PER_OKU, color=style.REGION_COLOUR)
    top.set_ylabel("億円")
    top.yaxis.set_major_formatter(formats.thousands_formatter())
    top.set_xlim(d["year"].min() - 0.5, d["year"].max() + 0.5)
    gap = d[d["n_missing"] > 0]
    if not gap.empty:  # partial sums (members without a value) are marked, never shown as complete
        top.plot(gap["year"], gap["shipments_jpy_million"] / formats.MILLION_PER_OKU, linestyle="none", marker="o",
                 markerfacecolor="white", markeredgecolor=style.REGION_COLOUR, label="一部の構成市町村の値なし（部分和）")
        top.legend(loc="upper left", fontsize=10)
    for code, (since, until) in area.periods.items():
        for y, word in ((since, "から"), (until, "まで")):
            if y is not None and d["year"].min() < y <= d["year"].max():
                top.axvline(y - 0.5 if word == "から" else y + 0.5, color="#666666", linewidth=1.0, linestyle=":")
                top.annotate(f"{area.member_names.get(code, code)}を{y}年{word}合算", (y - 0.5, 0.95),
                             xycoords=("data", "axes fraction"), xytext=(-3, 0), textcoords="offset points",
                             ha="right", va="top", fontsize=9, color="#444444")
    _mark_breaks(top)
    ms = res.milestones[res.milestones["area_id"] == area_id]
    for i, (y, lab) in enumerate(zip(ms["year"], ms["label"], strict=True)):
        top.axvline(y, color=style.ACCENT_COLOUR, linewidth=1.5)
        top.annotate(
            lab,
            (y, 0.06 + 0.1 * i),
            xycoords=("data", "axes fraction"),
            xytext=(-4, 0),
            ha="right",
            textcoords="offset points",
            fontsize=10,
            color="#8A5A00",
        )
    top.set_title("製造品出荷額等の推移（構成市町村の合計）", fontsize=13)
    c = res.composition[res.composition["area_id"] == area_id]
    wide = c.pivot_table(index="year", columns="group_ja", values="share", aggfunc="sum")
    order = [g for g in wide.loc[wide.index.max()].sort_values(ascending=False).index if g != OTHER]
    wide = wide[[*order, *([OTHER] if OTHER in wide.columns else [])]].fillna(0.0)
    colours = style.series_colours(len(wide.columns), other=style.OTHER_COLOUR if OTHER in wide.columns else None)
    bottom.stackplot(wide.index, (wide.T * 100).to_numpy(), labels=wide.columns, colors=colours, alpha=0.9)
    bottom.set_xlim(wide.index.min() - 0.5, wide.index.max() + 0.5)
    bottom.set_ylim(0, 100)
    bottom.set_ylabel("構成比（%）")
    _mark_breaks(bottom, label=False)
    bottom.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=10)
    cov = c.drop_duplicates("year")["coverage"]
    bottom.set_title(
        f"業種グループ別構成比（業種別内訳のある市・区の合計、出荷額に対するカバー率 "
        f"{formats.fmt_pct(cov.min(), 0)}〜{formats.fmt_pct(cov.max(), 0)}）",
        fontsize=13,
    )
    membership = area.membership_note_ja()
    return furnish(
        fig,
        f"{area.name_ja}：製造品出荷額等の長期推移と業種構成",
        res.notes["area"],
        "破線＝日本標準産業分類の改定（前後で業種の範囲が変わる）。2020年10月1日の市町村境域に組替え"
        + (f"。構成の変更：{membership}（NRIの定義）" if membership else ""),
    )


def nri_composition_chart(res: Agglomeration, area_id: str) -> Figure:
    """NRI 図表5: composition by NRI's groups per year (stacked bars), the 電気機械 split marked."""
    area = next(a for a in res.areas if a.key == area_id)
    c = res.nri_composition[area_id]
    wide = c.pivot_table(index="year", columns="group_ja", values="share", aggfunc="sum")
    order = c.drop_duplicates("group_ja").sort_values("nri_order")["group_ja"].tolist()
    wide = wide[order].fillna(0.0) * 100
    fig = Figure(figsize=style.figsize("full"), layout="constrained")
    ax = fig.add_subplot()
    colours = style.series_colours(len(order), other=style.OTHER_COLOUR if OTHER in order else None)
    bottom = np.zeros(len(wide))
    for group, colour in zip(order, colours, strict=True):
        ax.bar(wide.index, wide[group], bottom=bottom, color=colour, label=group, width=0.75)
        bottom += wide[group].to_numpy()
    ax.set_ylim(0, 100)
    ax.set_ylabel("構成比（%）")
    ax.set_xticks(list(wide.index))
    ax.axvline(ELECTRICAL_SPLIT_YEAR - 0.5, color="#333333", linewidth=1.2, linestyle="--")
    ax.annotate(f"{ELECTRICAL_SPLIT_YEAR}年から電気機械を分割（情報通信機械・電子部品・デバイス）",
                (ELECTRICAL_SPLIT_YEAR - 0.5, 1.0), xycoords=("data", "axes fraction"), xytext=(4, 10),
                textcoords="offset points", fontsize=10, color="#333333")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=10, reverse=True)
    cov = c.drop_duplicates("year")["coverage"]
    membership = area.membership_note_ja()
    sub = (f"NRI 図表5 の業種区分。業種別内訳のある市・区の合計に対する構成比（製造業計に対するカバー率 "
           f"{formats.fmt_pct(cov.min(), 0)}〜{formats.fmt_pct(cov.max(), 0)}）"
           + (f"。{membership}" if membership else ""))
    return furnish(fig, f"{area.name_ja}：業種別の製造品出荷額等の構成（NRIの区分）", res.notes["muni"], sub)


def display_nri_composition(res: Agglomeration) -> pd.DataFrame:
    """Return the NRI-group composition of the areas that have one (億円, % at 1 decimal)."""
    names = {a.key: a.name_ja for a in res.areas}
    if not res.nri_composition:
        return pd.DataFrame()
    d = pd.concat(res.nri_composition.values(), ignore_index=True)
    return pd.DataFrame({
        "地域": d["area_id"].map(names), "年": d["year"], "業種（NRIの区分）": d["group_ja"],
        "出荷額（億円）": _r(d["shipments_jpy_million"] / 100, 1), "構成比（%）": _r(d["share"] * 100, 1),
        "業種別内訳のカバー率（%）": _r(d["coverage"] * 100, 1),
        "値のないセル数（秘匿・町村）": d["n_missing"],
        "合計の状態": np.where(d["n_missing"] > 0, "公表セルのみの部分和", "全セルの合計"), "注": d["note"],
    })


def metabolism_chart(res: Agglomeration) -> Figure:
    """Top-group share, HHI and Krugman index per area over time (three panels)."""
    fig = Figure(figsize=style.figsize("full"), layout="constrained")
    axes = fig.subplots(1, 3)
    names = {a.key: a.name_ja for a in res.areas}
    specs = (
        ("top_share", "最大業種グループのシェア", 100),
        ("hhi", "HHI（ハーフィンダール指数）", 1),
        ("krugman_index", "クルーグマン特化係数（対全国）", 1),
    )
    for ax, (col, title, scale) in zip(axes, specs, strict=True):
        for key, g in res.metabolism.groupby("area_id", sort=False):
            ax.plot(g["year"], g[col] * scale, label=names.get(key, key), linewidth=1.8)
        ax.set_title(title, fontsize=13)
        ax.set_xlim(res.start - 0.5, res.end + 0.5)
        _mark_breaks(ax, label=False)
    axes[0].set_ylabel("%")
    axes[-1].legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=10)
    return furnish(
        fig,
        "産業の新陳代謝：製造業の集中度の推移",
        res.notes["muni"],
        "業種グループ（日本標準産業分類の改定をまたいで比較できる分類）別の製造品出荷額等による。破線＝分類の改定",
    )


def typology_chart(res: Agglomeration) -> Figure:
    """Draw the placement table as a slide figure."""
    from hokuriku.plotting import charts

    d = display_typology(res)
    cols = ["地域", "区分", "注目業種", d.columns[4], "注目業種の特化係数", "主導市町村の規模比", "判定", "NRIの分類"]
    shown = d[cols].copy()
    for c in cols[3:6]:
        shown[c] = shown[c].map(lambda v: formats.fmt_number(v, 2))
    # Long headers and area names break before their bracket so that they stay inside their column.
    shown.columns = [str(c).replace("（", "\n（", 1) if formats.text_width(str(c)) > 8 else c for c in shown.columns]
    shown.columns = [c.replace("の特化", "の\n特化").replace("の規模", "の\n規模") if "\n" not in c else c
                     for c in shown.columns]
    shown.iloc[:, 0] = [v.replace("（", "\n（", 1) if formats.text_width(v) > 9 else v for v in shown.iloc[:, 0].astype(str)]
    rows = [i for i, t in enumerate(d["NRIの分類"]) if t]
    fig, _ = charts.table_figure(
        shown,
        highlight_rows=rows,
        font_size=10,
        size=style.figsize("full"),
        col_widths=[0.14, 0.07, 0.2, 0.13, 0.11, 0.11, 0.12, 0.08],
    )
    return furnish(
        fig,
        "地域産業集積の類型（データによる代理指標での判定）",
        res.notes["typology"],
        "NRIの分類は定性的なもの。本表は測定可能な3指標と判定表による近似（網掛け＝NRIの例示地域）",
    )
