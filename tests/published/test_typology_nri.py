"""The A-1 / A-2 / B proxy places NRI's own examples where NRI put them, on the real data.

Pipeline (what the notebook does): long-run totals from ``rieti_manu`` ``muni_shipments_long``
(1971–2012) → :func:`relative_growth`; municipal industry rows 2001–2012 (``rieti_manu``
``muni_industry``) harmonised to the 2020 boundaries (``muni_converter``) and regrouped to JSIC
panel groups → :func:`lead_size_ratio`; prefecture × 中分類 2019 (``kogyo_tokei``) → :func:`focal_lq`.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import pytest

from hokuriku import manifest
from hokuriku.codes import areas, industries, municipalities
from hokuriku.typology import agglomeration as ag
from hokuriku.typology import metabolism, panel
from tests.published.results.nri_typology import LQ_YEAR, NRI_PLACEMENTS, WINDOW_LONG

SOURCES = (("rieti_manu", "2012"), ("muni_converter", None), ("kogyo_tokei", str(LQ_YEAR)))


@pytest.fixture
def require_raw(raw):
    """Skip locally / fail in CI unless every declared file of the three sources is present."""
    from hokuriku.sources import muni_converter

    for source, vintage in SOURCES:
        vintage = vintage or muni_converter.DEFAULT_VINTAGE
        for entry in manifest.load(source, vintage).files:
            if entry.path.lower().endswith((".dta", ".csv")):
                raw(source, vintage, entry.path)


@lru_cache(maxsize=1)
def indicators() -> pd.DataFrame:
    from hokuriku.sources import kogyo_tokei, muni_converter, rieti_manu

    defs = areas.load_areas()
    sel = [defs[k] for k in NRI_PLACEMENTS]
    # Load inputs.
    cao = rieti_manu.load_cao()
    mi = rieti_manu.load()
    crosswalk = muni_converter.load()
    pref = kogyo_tokei.load(str(LQ_YEAR))
    # Process data.
    start, end = WINDOW_LONG
    national = cao.groupby("year", as_index=False)["shipments_jpy_million"].sum()
    growth = ag.relative_growth(panel.area_panel(cao, sel, industry=False), national, start, end)
    prefs = {code for a in sel for code in a.pref_codes}  # harmonise only what the areas touch (speed)
    rows = mi[mi["area_level"].isin(["municipality", "ward", "designated_city"]) & (mi["industry_key"] != "total")
              & mi["pref_code"].isin(prefs)]
    h = municipalities.harmonize(rows, crosswalk, to_year=2020, by=["year", "industry_key"], min_count=1,
                                 value_cols=["shipments_jpy_10k", "employees", "establishments"], on_unknown="drop")
    h = metabolism.regroup(h.assign(industry_key=h["industry_key"].map(industries.panel_group)), lambda k: k)
    h["pref_code"] = h["muni_code"].str[:2]
    by_area = panel.area_panel(h, sel)
    top = metabolism.top_industry(by_area[by_area["year"] == by_area["year"].max()])
    focal = dict(zip(top["area_id"], top["top_industry_key"], strict=True))
    focal |= {k: v[0] for k, v in NRI_PLACEMENTS.items() if v[0]}
    lead = ag.lead_size_ratio(panel.area_panel(h, sel, keep_members=True), focal)
    lead = lead.groupby("area_id", as_index=False)["lead_size_ratio"].median()
    p = pref.assign(industry_key=pref["industry_key"].map(industries.panel_group))
    p = p.groupby(["pref_code", "year", "industry_key"], as_index=False)["shipments_jpy_million"].sum(min_count=1)
    nat_ind = p.groupby(["year", "industry_key"], as_index=False)["shipments_jpy_million"].sum()
    pref_areas = [a for a in sel if not a.is_municipal]
    lq = ag.focal_lq(panel.area_panel(p, pref_areas), nat_ind, focal, LQ_YEAR)
    return growth.merge(lead, on="area_id", how="left").merge(lq[["area_id", "focal_lq"]], on="area_id", how="left")


@pytest.mark.parametrize("area_id", list(NRI_PLACEMENTS))
def test__classify__places_nri_examples(require_raw, area_id):
    result = ag.classify(indicators()).set_index("area_id")
    expected = NRI_PLACEMENTS[area_id][1]
    assert result.loc[area_id, "type"] == expected, result.loc[area_id, "reason"]


def test__indicators__margins_from_thresholds(require_raw):
    """Each example clears its deciding threshold by a margin, not by rounding luck."""
    ind = indicators().set_index("area_id")
    t = ag.THRESHOLDS
    assert ind.loc["kitakami_basin", "relative_growth"] > 2 * t["b_relative_growth"]
    assert ind.loc["hokusei", "relative_growth"] > 1.15 * t["b_relative_growth"]
    assert ind.loc["hiroshima", "relative_growth"] < t["b_relative_growth"]
    assert ind.loc["hiroshima", "lead_size_ratio"] > 1.5 * t["a1_lead_size_ratio"]
    assert ind.loc["toyama", "lead_size_ratio"] < 0.6 * t["a1_lead_size_ratio"]
    assert ind.loc["toyama", "focal_lq"] > t["specialisation_lq"]
