"""Assembly functions of hokuriku.analysis.agglomeration on tiny inline frames (no data files)."""

from __future__ import annotations

from io import StringIO

import numpy as np
import pandas as pd
import pytest

from hokuriku.analysis import agglomeration as agg
from hokuriku.codes import prefectures
from hokuriku.codes.areas import Area, Milestone
from hokuriku.errors import InputError

TWO_CITIES = Area(
    "two",
    "二市",
    "municipalities",
    ("16201", "16202"),
    boundary_date="2020-10-01",
    groups={"西": ("16202",), "東": ("16201",)},
    member_names={"16201": "富山市", "16202": "高岡市"},
    milestones=(Milestone(2005, "計画同意", "出典X"),),
)
TOYAMA = Area("toyama", "富山県", "prefectures", ("16",))


def frame(text: str) -> pd.DataFrame:
    return pd.read_csv(StringIO(text), dtype={"muni_code": str, "pref_code": str})


def test__resolve_years__zero_means_first_and_last():
    assert agg.resolve_years([2003, 2001, 2012], 0, 0) == (2001, 2012)
    assert agg.resolve_years([2001, 2005, 2012], 2005, 0) == (2005, 2012)


@pytest.mark.parametrize(
    ("start", "end", "match"), [(2000, 0, "year 2000 is not in the data"), (2012, 2001, "start_year < end_year")]
)
def test__resolve_years__refuses(start, end, match):
    with pytest.raises(InputError, match=match):
        agg.resolve_years([2001, 2012], start, end)


def test__growth_scatter_table__filters_counts_and_flags_region():
    totals = frame(
        "muni_code,year,shipments_jpy_10k,employees,muni_short\n"
        "16201,2001,20000000,1000,富山市\n16201,2012,40000000,1000,富山市\n"  # 2,000 → 4,000 億円, +100 % both
        "13201,2001,30000000,1000,府中市\n13201,2012,36000000,1500,府中市\n"  # productivity falls: dropped
        "34208,2001,10000000,500,府中市\n34208,2012,31000000,500,府中市\n"  # kept; name shared with 13201
        "01100,2001,1000000,100,札幌市\n01100,2012,2000000,100,札幌市\n"  # below 3,000 億円: dropped
    )
    kept, summary = agg.growth_scatter_table(
        totals, prefectures.region("HOKURIKU3"), start=2001, end=2012, threshold_oku=3000
    )
    assert kept["muni_code"].tolist() == ["34208", "16201"]  # sorted by shipments growth (+210 %, +100 %)
    assert kept["label"].tolist() == ["府中市（広島）", "富山市"]
    assert kept["is_region"].tolist() == [False, True]
    assert summary.iloc[0][["n_kept", "n_total", "n_kept_region"]].tolist() == [2, 4, 1]
    assert kept.loc[kept["muni_code"] == "16201", "shipments_growth_pct"].item() == pytest.approx(100.0)


def test__long_series__sums_members_and_counts_missing():
    long = frame(
        "muni_code,pref_code,year,shipments_jpy_million\n16201,16,2000,100.25\n16202,16,2000,50.5\n"
        "16201,16,2001,120\n16202,16,2001,\n"
    )
    out = agg.long_series(long, [TWO_CITIES]).set_index("year")
    assert out.loc[2000, "shipments_jpy_million"] == 150.75
    assert out.loc[2001, "n_missing"] == 1


def test__composition__top_groups_other_and_coverage():
    groups = frame(
        "muni_code,pref_code,year,industry_key,shipments_jpy_10k\n"
        "16201,16,2012,chemicals,600\n16201,16,2012,machinery,300\n16201,16,2012,food,100\n"
        "16202,16,2012,chemicals,\n"
    )
    totals = frame("muni_code,pref_code,year,shipments_jpy_10k\n16201,16,2012,1000\n16202,16,2012,1000\n")
    out = agg.composition(groups, totals, [TWO_CITIES], top=2).set_index("group_ja")
    assert out.loc["化学工業", "share"] == pytest.approx(0.6)
    assert out.loc[agg.OTHER, "share"] == pytest.approx(0.1)  # 食料品 is the third group → その他
    assert out["coverage"].unique().tolist() == [pytest.approx(0.5)]  # 1,000 of 2,000 万円 split by industry


def test__typology__names_nri_type_order_and_single_municipality_note():
    ind = pd.DataFrame(
        {
            "area_id": ["m16201", "toyama"],
            "relative_growth": [1.0, 1.0],
            "focal_lq": [2.0, 2.0],
            "lead_size_ratio": [np.nan, 1.0],
            "focal_industry_key": ["chemicals", "chemicals"],
        }
    )
    single = Area("m16201", "富山市", "municipalities", ("16201",), boundary_date="2020-10-01")
    out = agg.typology(ind, [single, TOYAMA])
    assert out["area_id"].tolist() == ["toyama", "m16201"]  # NRI examples first, then prefectures, municipalities
    assert out["type"].tolist() == ["A-2", "unclassified"]
    assert out["nri_type"].tolist()[0] == "A-2"
    assert "A-1/A-2 は判別不能" in out.loc[1, "note"]
    assert out["focal_group_ja"].tolist() == ["化学工業", "化学工業"]


def test__members_table__both_files_at_one_decimal_oku():
    totals = frame("muni_code,year,shipments_jpy_10k,muni_name_ja\n16201,2012,34768266,富山県 富山市\n")
    long = frame("muni_code,year,shipments_jpy_million\n16201,2012,347682.66\n16202,2012,10.0\n")
    out = agg.members_table(totals, long, [TWO_CITIES, TOYAMA], 2012).set_index("muni_code")
    assert out.loc["16201", ["shipments_oku_from_10k", "shipments_oku_from_million"]].tolist() == [3476.8, 3476.8]
    assert out.loc["16201", "group"] == "東"
    assert np.isnan(out.loc["16202", "shipments_oku_from_10k"])  # no 市区町村編 value: NaN, not 0
    assert len(out) == 2  # prefecture areas have no member table


def test__milestones_table__breaks_for_all_and_cited_events():
    out = agg.milestones_table([TWO_CITIES, TOYAMA])
    assert out["year"].tolist() == [2002, 2008, 2005]
    assert out.loc[2, ["area_id", "source"]].tolist() == ["two", "出典X"]


def test__region_areas__reuses_yaml_keys_and_adds_region():
    defs = {"toyama": TOYAMA}
    keys = [a.key for a in agg.region_areas(prefectures.region("HOKURIKU3"), defs)]
    assert keys == ["toyama", "pref17", "pref18", "hokuriku3"]
    assert [a.key for a in agg.region_areas(prefectures.region("16"), defs)] == ["toyama"]


CW_2020 = pd.DataFrame({"merge_id": ["16201", "16211", "22130"], "snapshot_year": 2020,
                        "muni_code": ["16201", "16211", "22130"], "muni_name_ja": ["富山市", "射水市", "浜松市"]})


def test__ess_panel__wards_fold_into_city_and_reasons_kept():
    ess = pd.DataFrame({
        "muni_code": ["16201", "16211", "22130", "22138", "22139", "01695"],
        "area_level": ["municipality", "municipality", "designated_city", "ward", "ward", "municipality"],
        "year": 2024, "shipments_jpy_oku": [15234.0, np.nan, 22437.0, 13712.0, 8725.0, np.nan],
        "value_note": [None, "suppressed", None, None, None, "absent_from_table"],
    })
    out = agg.ess_panel(ess, CW_2020).set_index("muni_code")
    assert out.loc["16201", "shipments_jpy_million"] == 1_523_400
    assert out.loc["22130", "shipments_jpy_million"] == pytest.approx(2_243_700)  # Σ of the 2024 wards
    assert np.isnan(out.loc["16211", "shipments_jpy_million"]) and out.loc["16211", "shipments_jpy_oku_n_suppressed"] == 1
    assert "01695" not in out.index  # 北方領土: listed without data, not in the converter
    with pytest.raises(InputError, match="北方領土"):
        agg.ess_panel(ess.assign(shipments_jpy_oku=1.0), CW_2020)


def test__long_scatter_frame_and_named_growth():
    long = frame("muni_code,year,shipments_jpy_million\n16201,2000,100000\n16211,2000,50000\n")
    totals = frame("muni_code,year,employees\n16201,2001,1000\n16211,2001,\n")
    ess_p = frame("muni_code,year,shipments_jpy_million\n16201,2024,400000\n16211,2024,60000\n")
    emp = frame("muni_code,year,employees\n16201,2021,1000\n16211,2021,500\n")
    data, years = agg.long_scatter_frame(long, totals, ess_p, emp, start=2000, start_employees=2001)
    assert years == {"start": 2000, "end": 2024, "start_employees": 2001, "end_employees": 2021}
    assert sorted(data["year"].unique()) == [2000, 2024] and len(data) == 4
    names = pd.Series({"16201": "富山市", "16211": "射水市"})
    t = agg.named_growth(data, names, ["富山市", "16211"], start=2000, end=2024, threshold_oku=3000).set_index(
        "muni_code")
    assert t.loc["16201", "shipments_growth_pct"] == pytest.approx(300.0)
    assert t.loc["16201", "productivity_growth_pct"] == pytest.approx(300.0) and t.loc["16201", "kept"]
    assert np.isnan(t.loc["16211", "productivity_growth_pct"]) and not t.loc["16211", "kept"]  # no 2001 employees
    with pytest.raises(InputError, match="府中市"):
        agg.named_growth(data, pd.Series({"13206": "府中市", "34208": "府中市"}), ["府中市"], start=2000, end=2024,
                         threshold_oku=3000)


def test__nri_composition__groups_split_break_and_membership_by_year():
    area = Area("kb", "北上川流域", "municipalities", ("03206", "04212"), boundary_date="2020-10-01",
                periods={"04212": (2002, None)}, member_names={"04212": "登米市"})
    cw = pd.DataFrame({"merge_id": ["03206", "04212"], "snapshot_year": 2020, "muni_code": ["03206", "04212"],
                       "muni_name_ja": ["北上市", "登米市"]})
    mi = frame("""muni_code,pref_code,area_level,muni_name_ja,year,industry_key,shipments_jpy_10k,employees,establishments
03206,03,municipality,北上市,2001,total,100,1,1
03206,03,municipality,北上市,2001,electrical_machinery_broad,60,1,1
03206,03,municipality,北上市,2001,food,40,1,1
04212,04,municipality,登米市,2001,total,50,1,1
04212,04,municipality,登米市,2001,food,50,1,1
03206,03,municipality,北上市,2002,total,100,1,1
03206,03,municipality,北上市,2002,electronic_parts,30,1,1
03206,03,municipality,北上市,2002,electrical_machinery,20,1,1
03206,03,municipality,北上市,2002,chemicals,50,1,1
04212,04,municipality,登米市,2002,total,100,1,1
04212,04,municipality,登米市,2002,food,100,1,1
""")
    totals = agg.municipal_totals(mi, cw, [2001, 2002])
    c = agg.nri_composition(mi, cw, area, totals=totals).set_index(["year", "group_ja"])
    assert c.loc[(2001, "電気機械"), "share"] == pytest.approx(0.6)  # 登米市 not yet a member in 2001
    assert c.loc[(2001, "電気機械"), "note"].startswith("情報通信機械・電子部品を含む")
    assert c.loc[(2002, "電子部品・デバイス"), "share"] == pytest.approx(30 / 200)
    assert c.loc[(2002, "その他"), "share"] == pytest.approx(50 / 200)  # 化学 is in NRI's その他
    assert c.loc[(2002, "食料品"), "coverage"] == pytest.approx(1.0)
