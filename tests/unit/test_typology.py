"""Typology: area panels, 新陳代謝 indicators, the A-1/A-2/B proxy classifier, the growth scatter."""

from __future__ import annotations

from io import StringIO

import numpy as np
import pandas as pd
import pytest

from hokuriku.codes.areas import Area
from hokuriku.errors import InputError
from hokuriku.typology import agglomeration as ag
from hokuriku.typology import metabolism as mb
from hokuriku.typology import panel


def frame(text: str) -> pd.DataFrame:
    return pd.read_csv(StringIO(text), dtype={"area_id": str, "muni_code": str, "pref_code": str})


# Two areas, two years, shares (a) 2001: 0.6/0.4 → 2012: 0.5/0.3/0.2 (c enters); (b) one industry.
PANEL = frame("""area_id,year,industry_key,shipments_jpy_million
a,2001,x,60
a,2001,y,40
a,2012,x,50
a,2012,y,30
a,2012,c,20
b,2001,x,10
b,2012,x,30
""")
NATIONAL = frame("""year,industry_key,shipments_jpy_million
2001,x,50
2001,y,50
2012,x,40
2012,y,40
2012,c,20
""")


def test__shares_top_hhi():
    top = mb.top_industry(PANEL).set_index(["area_id", "year"])
    assert top.loc[("a", 2001), "top_industry_key"] == "x" and top.loc[("a", 2001), "top_share"] == pytest.approx(0.6)
    h = mb.hhi(PANEL).set_index(["area_id", "year"])["hhi"]
    assert h[("a", 2001)] == pytest.approx(0.36 + 0.16)
    assert h[("a", 2012)] == pytest.approx(0.25 + 0.09 + 0.04)
    assert h[("b", 2012)] == pytest.approx(1.0)


def test__krugman_index__against_national_mix():
    k = mb.krugman_index(PANEL, NATIONAL).set_index(["area_id", "year"])["krugman_index"]
    assert k[("a", 2001)] == pytest.approx(0.1 + 0.1)
    assert k[("a", 2012)] == pytest.approx(0.1 + 0.1 + 0.0)
    assert k[("b", 2001)] == pytest.approx(0.5 + 0.5)  # y absent in b counts as share 0


def test__krugman_index__missing_national_year_raises():
    with pytest.raises(InputError, match=r"lacks year\(s\) \[2012\]"):
        mb.krugman_index(PANEL, NATIONAL[NATIONAL["year"] == 2001])


def test__n_industries_above_and_entries():
    n = mb.n_industries_above(PANEL, 0.25).set_index(["area_id", "year"]).iloc[:, 0]
    assert n[("a", 2001)] == 2 and n[("a", 2012)] == 2
    e = mb.industry_entries(PANEL, 0.1)
    assert e[["area_id", "industry_key", "entry_year"]].values.tolist() == [["a", "c", 2012]]
    assert e["share_at_entry"].iloc[0] == pytest.approx(0.2)


def test__metabolism_table__one_row_per_area_year():
    t = mb.metabolism_table(PANEL, NATIONAL, threshold=0.1)
    assert list(t["n_entries_to_date"]) == [0, 1, 0, 0]
    assert {"hhi", "krugman_index", "top_share", "n_industries_ge_10pct"} <= set(t.columns)


def test__units__10k_yen_converted_and_total_rows_dropped():
    p = PANEL.rename(columns={"shipments_jpy_million": "shipments_jpy_10k"})
    p["shipments_jpy_10k"] *= 100
    p = pd.concat([p, frame("area_id,year,industry_key,shipments_jpy_10k\na,2001,total,99999")])
    assert mb.hhi(p).equals(mb.hhi(PANEL))


def test__inputs__missing_column_and_duplicates_raise():
    with pytest.raises(InputError, match="missing column"):
        mb.hhi(PANEL.drop(columns="industry_key"))
    with pytest.raises(InputError, match="one row per"):
        mb.hhi(pd.concat([PANEL, PANEL.iloc[:1]]))
    with pytest.raises(InputError, match="exactly one shipments column"):
        mb.hhi(PANEL.rename(columns={"shipments_jpy_million": "shipments"}))
    bad = PANEL.copy()
    bad.loc[0, "shipments_jpy_million"] = -1
    with pytest.raises(InputError, match="row 0"):
        mb.hhi(bad)


def test__regroup__panel_groups_summed():
    g = mb.regroup(PANEL, {"x": "xy", "y": "xy", "c": "c"})
    assert g.set_index(["area_id", "year", "industry_key"]).loc[("a", 2001, "xy"), "shipments_jpy_million"] == 100
    with pytest.raises(InputError, match="no mapping"):
        mb.regroup(PANEL, {"x": "xy"})


def test__growth_decomposition__small_at_start():
    d = mb.growth_decomposition(PANEL, 2001, 2012).set_index(["area_id", "industry_key"])
    assert d.loc[("a", "c"), "is_small_at_start"] and d.loc[("a", "c"), "change_jpy_million"] == 20
    assert np.isnan(d.loc[("a", "x"), "contribution"])  # area a's total did not change (100 → 100)


def test__area_panel__maps_codes_sums_and_counts_missing():
    area = Area("k", "K", "municipalities", ("03206", "03215"), boundary_date="2020-10-01")
    df = frame("""muni_code,year,industry_key,shipments_jpy_10k,establishments
03204,2001,x,100,1
03212,2001,x,,2
03206,2001,x,300,3
99999,2001,x,5,1
""")
    out = panel.area_panel(df, area, code_map={"03204": "03215", "03212": "03215"})
    row = out.iloc[0]
    assert row["shipments_jpy_million"] == pytest.approx(4.0) and row["n_members"] == 3 and row["n_missing"] == 1
    members = panel.area_panel(df, area, code_map={"03204": "03215", "03212": "03215"}, keep_members=True)
    assert sorted(members["muni_code"]) == ["03206", "03215"]
    with pytest.raises(InputError, match="no rows"):
        panel.area_panel(df.assign(muni_code="01100"), area)


def test__area_panel__member_counted_only_in_its_years():
    # NRI's 北上川流域: 迫地区 (登米市 04212) from 2000 only
    area = Area("k", "K", "municipalities", ("03206", "04212"), boundary_date="2020-10-01",
                periods={"04212": (2000, None)})
    df = frame("""muni_code,year,shipments_jpy_million
03206,1995,100
04212,1995,40
03206,2000,110
04212,2000,50
""")
    out = panel.area_panel(df, area, industry=False).set_index("year")
    assert out.loc[1995, "shipments_jpy_million"] == 100 and out.loc[1995, "n_members"] == 1
    assert out.loc[2000, "shipments_jpy_million"] == 160 and out.loc[2000, "n_members"] == 2


# --- classifier: synthetic areas exhibiting each type -----------------------------------------
# Totals 1971 → 2012: nation ×4; "induced" ×10 (B); "lead" and "district" ×4.
TOTALS = frame("""area_id,year,shipments_jpy_million
induced,1971,10
induced,2012,100
lead,1971,100
lead,2012,400
district,1971,100
district,2012,400
flat,1971,100
flat,2012,400
""")
NAT_TOTALS = frame("year,shipments_jpy_million\n1971,1000\n2012,4000\n")
# Focal industry by municipality: "lead" has one big-plant city; "district" many similar firms.
MEMBERS = frame("""area_id,muni_code,year,industry_key,shipments_jpy_million,establishments
lead,34100,2012,transport,600,10
lead,34202,2012,transport,100,40
lead,34203,2012,transport,100,50
district,16201,2012,chemicals,300,30
district,16202,2012,chemicals,200,20
district,16206,2012,chemicals,100,10
induced,03206,2012,electronics,50,5
induced,03205,2012,electronics,50,5
""")
AREA_IND = frame("""area_id,year,industry_key,shipments_jpy_million
lead,2012,transport,800
lead,2012,other,200
district,2012,chemicals,600
district,2012,other,400
flat,2012,chemicals,100
flat,2012,other,900
""")
NAT_IND = frame("year,industry_key,shipments_jpy_million\n2012,transport,2000\n2012,chemicals,2000\n2012,other,6000\n")


def _indicators():
    rg = ag.relative_growth(TOTALS, NAT_TOTALS, 1971, 2012)
    lead = ag.lead_size_ratio(MEMBERS, {"lead": "transport", "district": "chemicals", "induced": "electronics"})
    lq = ag.focal_lq(AREA_IND, NAT_IND, {"lead": "transport", "district": "chemicals", "flat": "chemicals"}, 2012)
    return rg.merge(lead[["area_id", "lead_size_ratio"]], on="area_id", how="left").merge(
        lq[["area_id", "focal_lq"]], on="area_id", how="left")


def test__relative_growth_and_indicators():
    ind = _indicators().set_index("area_id")
    assert ind.loc["induced", "relative_growth"] == pytest.approx(2.5)
    assert ind.loc["lead", "relative_growth"] == pytest.approx(1.0)
    assert ind.loc["lead", "lead_size_ratio"] == pytest.approx((600 / 800) / (10 / 100))
    assert ind.loc["district", "lead_size_ratio"] == pytest.approx(1.0)
    assert ind.loc["lead", "focal_lq"] == pytest.approx(0.8 / 0.2)
    assert ind.loc["flat", "focal_lq"] == pytest.approx(0.1 / 0.2)


def test__classify__each_type():
    out = ag.classify(_indicators()).set_index("area_id")
    assert out.loc["induced", "type"] == "B"
    assert out.loc["lead", "type"] == "A-1"
    assert out.loc["district", "type"] == "A-2"
    assert out.loc["flat", "type"] == "unclassified"
    assert out.loc["lead", "type_label"] == "内発型（大企業牽引型）"
    assert "7.50 ≥ 2" in out.loc["lead", "reason"]


def test__classify__thresholds_are_parameters():
    out = ag.classify(_indicators(), {"b_relative_growth": 3.0}).set_index("area_id")
    assert out.loc["induced", "type"] == "unclassified"  # no focal LQ given for it
    with pytest.raises(InputError, match="unknown threshold"):
        ag.classify(_indicators(), {"b_growth": 3.0})


def test__decision_table__prints_thresholds():
    t = ag.decision_table()
    assert list(t["type"]) == ["B", "A-1", "A-2", "unclassified"]
    assert t.loc[0, "condition"] == "relative_growth >= 1.6"


def test__lead_size_ratio__single_member_is_nan():
    r = ag.lead_size_ratio(MEMBERS[MEMBERS["muni_code"] == "34100"], "transport")
    assert np.isnan(r["lead_size_ratio"].iloc[0])


def test__reference_quantile():
    q = ag.reference_quantile(TOTALS, NAT_TOTALS, 1971, 2012, q=1.0)
    assert q == pytest.approx(2.5)


def test__growth_scatter__filters_and_counts():
    df = frame("""muni_code,year,shipments_jpy_million,employees
01,2000,300000,1000
01,2019,450000,1000
02,2000,100000,1000
02,2019,310000,1000
03,2000,500000,1000
03,2019,400000,500
04,2000,200000,1000
04,2019,290000,1000
05,2000,1000,10
""")
    kept, n_kept, n_total = ag.growth_scatter(df, 2000, 2019)
    assert (n_kept, n_total) == (2, 4)  # 03: shipments fell; 04: < 3,000 億円 at end; 05: no 2019
    assert kept["area_id"].tolist() == ["02", "01"]
    assert kept.loc[1, "shipments_growth_pct"] == pytest.approx(50.0)
    assert kept.loc[1, "productivity_growth_pct"] == pytest.approx(50.0)
    _, n_start, _ = ag.growth_scatter(df, 2000, 2019, at="start")
    assert n_start == 1  # only 01 had ≥ 3,000 億円 in 2000 (03 fell)
    with pytest.raises(InputError, match="employees"):
        ag.growth_scatter(df.drop(columns="employees"), 2000, 2019)
