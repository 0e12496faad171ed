"""Unit tests of hokuriku.analysis.manufacturing on tiny inline frames (no raw data, no store)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from hokuriku.analysis import manufacturing as m
from hokuriku.codes import prefectures

CODES = [f"{i:02d}" for i in range(1, 48)]
KEYS = ["chemicals", "textiles", "rubber"]


def kogyo(overrides: dict | None = None) -> pd.DataFrame:
    """47 prefectures × 3 industries: shipments = 1000·rank-from-bottom, so pref 47 is largest.

    ``overrides`` maps (pref_code, industry_key) -> (shipments, note) to plant 秘匿 / 該当なし / ties.
    """
    rows = []
    for i, code in enumerate(CODES, start=1):
        for j, key in enumerate(KEYS):
            rows.append({"year": 2019, "pref_code": code, "industry_key": key, "establishments": 10.0 + j,
                         "employees": float(100 * i + j), "shipments_jpy_million": float(1000 * i * (3 - j)),
                         "shipments_jpy_million_note": None})
    df = pd.DataFrame(rows)
    for (code, key), (value, note) in (overrides or {}).items():
        sel = (df["pref_code"] == code) & (df["industry_key"] == key)
        df.loc[sel, "shipments_jpy_million"] = value
        df.loc[sel, "shipments_jpy_million_note"] = note
    return df


@pytest.fixture
def frame():
    return m.industry_frame(kogyo({("18", "rubber"): (np.nan, "suppressed"), ("01", "textiles"): (np.nan, "nil"),
                                   ("17", "chemicals"): (16 * 1000 * 3, None)}))  # 石川 ties 富山 in 化学


def test__industry_frame__missing_column_is_named():
    with pytest.raises(KeyError, match="shipments_jpy_million_note"):
        m.industry_frame(kogyo().drop(columns="shipments_jpy_million_note"))


def test__industry_frame__labels_and_order(frame):
    row = frame[frame["industry_key"] == "chemicals"].iloc[0]
    assert (row["industry"], row["sort_order"]) == ("化学工業", 8)


def test__pref_totals__members_region_national_and_suppressed_count(frame):
    t = m.pref_totals(frame, "HOKURIKU3").set_index("地域コード")
    assert list(t.index) == ["16", "17", "18", "HOKURIKU3", "00"]
    # 福井 (i=18): chemicals 54,000 + textiles 36,000, rubber suppressed → 90,000 (lower bound)
    assert t.loc["18", "製造品出荷額等（百万円）"] == 90_000
    assert t.loc["18", "秘匿セル数"] == 1
    national = sum(1000 * i * 6 for i in range(1, 48)) - 18_000 - 2_000 + (48_000 - 51_000)
    assert t.loc["00", "製造品出荷額等（百万円）"] == national
    assert t.loc["HOKURIKU3", "製造品出荷額等（百万円）"] == t.loc[["16", "17", "18"], "製造品出荷額等（百万円）"].sum()
    assert t.loc["00", "全国比（%）"] == 100.0
    # 福井's 90,000 (lower bound) is passed by 富山 96,000, 石川 99,000 and prefs 19–47 (6,000·i): 32nd
    assert pd.isna(t.loc["HOKURIKU3", "全国順位"]) and t.loc["18", "全国順位"] == 32


def test__pref_totals__single_prefecture_has_no_region_row(frame):
    t = m.pref_totals(frame, "16")
    assert t["地域コード"].tolist() == ["16", "00"]


def test__top_industries__rank_share_and_oku_rounding_half_up():
    df = m.industry_frame(kogyo({("16", "chemicals"): (777_711.0, None), ("16", "textiles"): (50.0, None)}))
    top = m.top_industries(df, "16", n=2)
    assert top["industry_key"].tolist() == ["chemicals", "rubber"]
    assert top["製造品出荷額等（億円）"].tolist() == [7_777, 160]  # 16,000 百万円 → 160 億円
    assert top["県計に占める構成比（%）"].iloc[0] == round(777_711 / (777_711 + 50 + 16_000) * 100, 1)
    assert top["全国順位"].iloc[0] == 1 and top["全国順位の母数"].iloc[0] == 47


def test__top_industries__half_up_not_half_even():
    df = m.industry_frame(kogyo({("16", "chemicals"): (747_650.0, None)}))  # 7,476.5 億円
    assert m.top_industries(df, "16", n=1)["製造品出荷額等（億円）"].iloc[0] == 7_477


def test__region_industries__suppressed_member_makes_the_sum_unknown(frame):
    t = m.region_industries(frame, "HOKURIKU3")
    rubber = t.set_index("industry_key").loc["rubber"]
    assert pd.isna(rubber["北陸3県（百万円）"]) and pd.isna(rubber["順位"]) and "秘匿" in rubber["注"]
    assert t["industry_key"].tolist() == ["chemicals", "textiles", "rubber", "total"]
    chem = t.set_index("industry_key").loc["chemicals"]
    assert chem["北陸3県（百万円）"] == 3000 * (16 + 16 + 18)
    assert chem["全国比（%）"] == round(3000 * 50 / (3000 * sum(range(1, 48)) + 3000) * 100, 1)
    total = t.set_index("industry_key").loc["total"]
    assert total["構成比（%）"] == 100.0 and total["順位"] is pd.NA


def test__rank_table__ties_suppressed_and_nil(frame):
    r = m.rank_table(frame, ["01", "16", "17", "18"]).set_index("industry_key")
    # 富山 and 石川 tie in 化学 (48,000) → both 31st, competition ranking; nobody is 32nd
    assert (r.loc["chemicals", "富山"], r.loc["chemicals", "石川"]) == ("31(同率)", "31(同率)")
    assert r.loc["chemicals", "福井"] == "30"
    assert r.loc["rubber", "福井"] == "秘匿" and r.loc["textiles", "北海道"] == "－"
    assert r.loc["rubber", "順位の母数（公表県数）"] == 46 and r.loc["rubber", "秘匿の県数"] == 1
    assert r.loc["textiles", "秘匿の県数"] == 0  # 該当なし is not 秘匿
    assert r.index.tolist() == ["textiles", "chemicals", "rubber"]  # JSIC order


def test__establishment_size__rank_among_47_and_nil_adds_nothing(frame):
    t = m.establishment_size(frame, ["47", "01"]).set_index("地域コード")
    assert t.loc["47", "全国順位"] == 1 and t.loc["01", "全国順位"] == 47
    assert t.loc["01", "1事業所当たり従業者数（人）"] == round((100 + 101 + 102) / 33, 1)
    assert t.loc["00", "事業所数"] == 47 * 33


def test__size_ranks__refuses_incomplete_counts():
    per = pd.DataFrame({"pref_code": CODES[:46], "establishments": 1.0, "employees": 1.0})
    with pytest.raises(ValueError, match="47 prefectures"):
        m.size_ranks(per, prefectures.region("16"))


def test__census_size__sums_municipalities_of_one_year():
    rows = [{"muni_code": f"{c}201", "pref_code": c, "ref_year": 2021, "manufacturing_establishments_count": 10.0,
             "manufacturing_employees_persons": float(i)} for i, c in enumerate(CODES, start=1)]
    rows.append({"muni_code": "16202", "pref_code": "16", "ref_year": 2021, "manufacturing_establishments_count": 10.0,
                 "manufacturing_employees_persons": 1000.0})
    rows.append({"muni_code": "16201", "pref_code": "16", "ref_year": 2020,
                 "manufacturing_establishments_count": np.nan, "manufacturing_employees_persons": np.nan})
    t = m.census_size(pd.DataFrame(rows), "16").set_index("地域コード")
    assert t.loc["16", "従業者数（人）"] == 1016 and t.loc["16", "全国順位"] == 1
    bad = pd.DataFrame(rows).assign(ref_year=[2021] * 47 + [2016, 2016])
    bad.loc[48, "manufacturing_employees_persons"] = 1.0
    with pytest.raises(ValueError, match="one reference year"):
        m.census_size(bad, "16")


def muni() -> pd.DataFrame:
    rows = [("16000", "prefecture", "富山県", 9e6), ("16201", "municipality", "富山市", 1e6),
            ("16202", "municipality", "高岡市", 2e6), ("16321", "municipality", "中新川郡舟橋村", np.nan),
            ("17201", "municipality", "金沢市", 2e6), ("23100", "designated_city", "名古屋市", 5e6),
            ("23101", "ward", "千種区", 4e6)]
    df = pd.DataFrame(rows, columns=["muni_code", "area_level", "muni_name_ja", "shipments_jpy_10k"])
    df["pref_code"] = df["muni_code"].str[:2]
    return df.assign(year=2012, industry_key="total", employees=100.0)


def test__municipal_ranking__ties_suppressed_levels_and_census_names():
    census = pd.DataFrame({"muni_code": ["16201", "16321"], "muni_name_ja": ["富山市", "舟橋村"], "ref_year": 2021,
                           "manufacturing_employees_persons": [43_922.0, 267.0]})
    t = m.municipal_ranking(muni(), ["16", "17", "23"], year=2012, census=census)
    assert t["市区町村コード"].tolist() == ["23100", "16202", "17201", "16201", "16321"]  # no ward, no prefecture
    assert t["地域内順位"].tolist()[:4] == [1, 2, 2, 4] and pd.isna(t["地域内順位"].iloc[4])
    assert t["県内順位"].tolist()[:4] == [1, 1, 1, 2]
    assert t["注"].tolist()[-1] == "秘匿" and t["市区町村"].tolist()[-1] == "舟橋村"
    assert t["製造品出荷額等（2012年、億円）"].tolist()[:2] == [500.0, 200.0]
    assert t["製造業従業者数（2021年経済センサス、人）"].iloc[3] == 43_922
    assert pd.isna(t["製造業従業者数（2021年経済センサス、人）"].iloc[0])
    assert t["地域内シェア（%）"].iloc[0] == 50.0


def test__municipal_ranking__no_rows_is_an_error():
    with pytest.raises(ValueError, match="no municipal"):
        m.municipal_ranking(muni(), "18", year=2012)


def test__chart_frames(frame):
    bars = m.region_chart_frame(m.region_industries(frame, "HOKURIKU3"), "HOKURIKU3", n=5)
    assert bars["industry"].tolist() == ["化学工業", "繊維工業"]
    assert bars["label"].iloc[0].startswith("化学工業（全国比") and bars["unit"].iloc[0] == "HOKURIKU3"
    t = m.municipal_ranking(muni(), ["16", "17"], year=2012)
    cf = m.municipal_chart_frame(t, ["16", "17"], n=2)
    assert cf["label"].tolist() == ["高岡市（富山）", "金沢市（石川）"] and cf["oku"].tolist() == [200.0, 200.0]
    one = m.municipal_chart_frame(m.municipal_ranking(muni(), "16", year=2012), "16", n=5)
    assert one["label"].tolist() == ["高岡市", "富山市"]  # suppressed left out


def test__rank_heat_table__draws_one_cell_per_rank(frame):
    fig = m.rank_heat_table(m.rank_table(frame, "HOKURIKU3"), "HOKURIKU3")
    assert isinstance(fig, Figure)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert len(texts) == 9 and "31=" in texts and "秘匿" in texts


def test__manufacturing__source_note_adds_caveats_and_estat_credit():
    rep = m.Manufacturing(region=prefectures.region("16"), year=2019, muni_year=2012, tables={},
                          sources={"t": [("kogyo_tokei", "2019")]}, notes={"t": "(注) テスト"})
    lines = rep.source_note("t").split("\n")
    assert lines[0].startswith("(出所) 経済産業省") and lines[1] == "(注) テスト"
    assert "e-Stat" in lines[2]
    assert rep.vintages("t") == {"kogyo_tokei": "2019"}


def test__prefecture_map_frame__sums_published_cells_of_47(frame):
    p = m.prefecture_map_frame(frame).set_index("pref_code")
    assert len(p) == 47 and p.loc["16", "name"] == "富山県"
    # 18: 化学 54,000 + 繊維 36,000 (ゴム 秘匿 left out); 17: 化学 48,000 (override) + 34,000 + 17,000
    assert (p.loc["18", "shipments"], p.loc["17", "shipments"]) == (90_000.0, 99_000.0)
    national = 6_000 * sum(range(1, 48)) - 18_000 - 2_000 - 3_000
    assert p["shipments"].sum() == national
    assert p.loc["18", "cho"] == pytest.approx(0.09)  # 兆円 = 百万円 / 10⁶, unrounded
    assert p.loc["18", "share_pct"] == pytest.approx(90_000 / national * 100)
    assert p["share_pct"].sum() == pytest.approx(100.0)


def test__prefecture_map_frame__all_suppressed_is_missing_not_zero_and_47_required(frame):
    blank = frame.assign(shipments=frame["shipments"].where(frame["pref_code"] != "47"))
    p = m.prefecture_map_frame(blank).set_index("pref_code")
    assert pd.isna(p.loc["47", "shipments"]) and pd.isna(p.loc["47", "cho"])
    with pytest.raises(ValueError, match="expected 47 prefectures"):
        m.prefecture_map_frame(frame[frame["pref_code"] != "47"])


def test__municipal_map_frame__oku_and_suppressed_nan():
    t = m.municipal_ranking(muni(), ["16", "17", "23"], year=2012)
    f = m.municipal_map_frame(t).set_index("muni_code")
    assert f.index.tolist() == ["23100", "16202", "17201", "16201", "16321"]
    assert f.loc["23100", "oku"] == 500.0 and f.loc["16201", "oku"] == 100.0  # 万円 / 10⁴, unrounded
    assert pd.isna(f.loc["16321", "oku"])  # 秘匿 stays missing (drawn as データなし)
    with pytest.raises(KeyError, match="municipal_ranking"):
        m.municipal_map_frame(pd.DataFrame({"市区町村コード": ["16201"]}))


def crosswalk() -> pd.DataFrame:
    """Return converter rows: 那珂川町 40305 renamed 那珂川市 40231 (2018); 40998 + 40999 merged into 40997 by 2020."""
    rows = [("40231", 2010, "40305"), ("40231", 2020, "40231"),
            ("40997", 2010, "40998"), ("40997", 2010, "40999"), ("40997", 2020, "40997"),
            ("40130", 2010, "40130"), ("40130", 2020, "40130")]
    return pd.DataFrame(rows, columns=["merge_id", "snapshot_year", "muni_code"])


def test__crosswalk_snapshot__latest_year_not_after_the_boundaries():
    assert m.crosswalk_snapshot(crosswalk(), 2025) == 2020
    assert m.crosswalk_snapshot(crosswalk(), 2019) == 2010
    with pytest.raises(ValueError, match="no converter snapshot"):
        m.crosswalk_snapshot(crosswalk(), 2005)


def test__harmonize_map_frame__rename_one_to_one_merge_sums_and_suppressed_stays_missing():
    values = pd.DataFrame({"muni_code": ["40305", "40998", "40999", "40130"], "oku": [12.5, 1.0, 2.0, 100.0]})
    out = m.harmonize_map_frame(values, crosswalk(), to_year=2020).set_index("muni_code")
    assert sorted(out.index) == ["40130", "40231", "40997"]
    assert out.loc["40231", "oku"] == 12.5 and out.loc["40231", "n_predecessors"] == 1  # rename: 1:1
    assert out.loc["40997", "oku"] == 3.0 and out.loc["40997", "n_predecessors"] == 2  # merger: sum
    assert out.loc["40130", "oku"] == 100.0
    values.loc[values["muni_code"] == "40999", "oku"] = np.nan  # 秘匿 predecessor: unknown, not 0
    out = m.harmonize_map_frame(values, crosswalk(), to_year=2020).set_index("muni_code")
    assert np.isnan(out.loc["40997", "oku"]) and out.loc["40997", "oku_n_missing"] == 1
    assert out.loc["40231", "oku"] == 12.5


def test__harmonize_map_frame__unknown_code_raises():
    from hokuriku.errors import InputError

    with pytest.raises(InputError, match="cannot be placed"):
        m.harmonize_map_frame(pd.DataFrame({"muni_code": ["40555"], "oku": [1.0]}), crosswalk(), to_year=2020)


def test__japan_layout__moves_okinawa_into_the_box_and_leaves_far_islands_out():
    gpd = pytest.importorskip("geopandas")
    from shapely.geometry import MultiPolygon, box

    polys = {"01": box(140, 41, 145, 45), "46": box(130, 31, 131, 32),
             "13": MultiPolygon([box(139, 35.5, 139.8, 35.9), box(142, 26.5, 142.3, 27.2)]),
             "47": box(127, 26, 128.3, 26.9)}
    gdf = gpd.GeoDataFrame({"pref_code": list(polys)}, geometry=list(polys.values()), crs="EPSG:4326")
    out, (xmin, ymin, xmax, ymax), frame_box = m.japan_layout(gdf)
    assert out.crs.is_projected
    main = out[~out["pref_code"].isin(["13", "47"])].total_bounds
    assert (xmin, ymin, xmax, ymax) == tuple(main)  # 東京都's far island (27°N) is outside the extent
    assert out.loc[out["pref_code"] == "13"].total_bounds[1] < ymin
    ox0, oy0, ox1, oy1 = out.loc[out["pref_code"] == "47"].total_bounds
    bx0, by0, bx1, by1 = frame_box
    assert bx0 <= ox0 and ox1 <= bx1 and by0 <= oy0 and oy1 <= by1 and by1 == ymax and bx0 == xmin
    area = gdf.to_crs(out.crs).loc[gdf["pref_code"] == "47"].area.iloc[0]
    assert out.loc[out["pref_code"] == "47"].area.iloc[0] == pytest.approx(area)  # moved, not rescaled
    no_okinawa, _, none = m.japan_layout(gdf[gdf["pref_code"] != "47"])
    assert none is None and len(no_okinawa) == 3


def test__ess_municipal_rows__missing_reasons_reach_the_ranking():
    ess = pd.DataFrame({
        "muni_code": ["16201", "16202", "16321", "16322", "34100", "34101"],
        "pref_code": ["16", "16", "16", "16", "34", "34"],
        "area_level": ["municipality"] * 4 + ["designated_city", "ward"],
        "year": 2024,
        "shipments_jpy_oku": [15234.0, 5015.2, np.nan, np.nan, 33773.3, 804.1],
        "value_note": [None, None, "suppressed", "absent_from_table", None, None],
    })
    names = pd.Series({"16201": "富山市", "16202": "高岡市", "16321": "舟橋村", "16322": "上市町", "34100": "広島市"})
    rows = m.ess_municipal_rows(ess, names)
    assert "34101" not in set(rows["muni_code"])  # wards are not ranked; the city row is
    assert rows.set_index("muni_code").loc["16201", "shipments_jpy_10k"] == 152_340_000
    t = m.municipal_ranking(rows, ["16", "34"], year=2024).set_index("市区町村コード")
    assert t.loc["16321", "注"] == "秘匿" and t.loc["16322", "注"] == "表に掲載なし"
    assert pd.isna(t.loc["16322", "地域内順位"])  # absent is not a zero: not ranked
    assert t.loc["34100", "地域内順位"] == 1 and t.loc["16201", "製造品出荷額等（2024年、億円）"] == 15234.0
    assert "従業者数（2024年、人）" not in t.columns  # the 参考表 has no employees: no empty column
