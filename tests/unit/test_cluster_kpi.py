"""Cluster KPI tools: clusters file, baseline, target path, progress, KGI table, コネクター度・ハブ度."""

from __future__ import annotations

from io import StringIO

import pandas as pd
import pytest

from hokuriku.errors import InputError
from hokuriku.indicators import cluster_kpi as ck


def frame(text: str) -> pd.DataFrame:
    return pd.read_csv(StringIO(text), dtype={"pref_code": str})


def test__load_clusters__seed_clusters():
    c = ck.load_clusters()
    semi = c["hokuriku_ai_semiconductor"]
    assert semi.pref_codes == ("16", "17", "18")
    assert {"electronic_parts", "production_machinery"} == set(semi.industries)
    assert {"chemicals", "nonferrous_metals", "plastics", "textiles"} == set(c["hokuriku_materials_ce"].industries)


def test__load_clusters__unknown_industry(tmp_path):
    p = tmp_path / "c.yml"
    p.write_text("clusters:\n  x: {name_ja: X, region: HOKURIKU3, industries: [chemical]}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"unknown industry key\(s\) \['chemical'\]"):
        ck.load_clusters(p)


CLUSTER = ck.Cluster("t", "T", ("electronic_parts", "production_machinery"), ("16", "17"))
VALUES = frame("""pref_code,year,industry_key,shipments_jpy_million,employees
16,2019,electronic_parts,100,10
16,2019,production_machinery,50,5
17,2019,electronic_parts,30,3
17,2019,production_machinery,,2
18,2019,electronic_parts,999,99
16,2019,chemicals,999,99
16,2016,electronic_parts,1,1
""")


def test__baseline__sums_cluster_and_flags_missing():
    b = ck.baseline(VALUES, CLUSTER, 2019).set_index("pref_code")
    assert b.loc["16", "shipments_jpy_million"] == 150
    assert b.loc["17", "shipments_jpy_million"] == 30 and b.loc["17", "shipments_jpy_million_n_missing"] == 1
    assert b.loc["total", "shipments_jpy_million"] == 180 and b.loc["total", "employees"] == 20
    with pytest.raises(InputError, match="no rows"):
        ck.baseline(VALUES, CLUSTER, 2016)  # production_machinery absent in 2016


def test__target_path__linear_and_geometric():
    lin = ck.target_path(100.0, 20, 2030, 2025)
    assert lin["target"].tolist() == pytest.approx([100, 104, 108, 112, 116, 120])
    geo = ck.target_path({"shipments": 100.0}, 21, 2027, 2025, method="geometric")
    assert geo["target"].tolist() == pytest.approx([100, 110, 121])
    with pytest.raises(InputError, match="target_year > base_year"):
        ck.target_path(100.0, 20, 2025, 2025)
    with pytest.raises(InputError, match="method"):
        ck.target_path(100.0, 20, 2030, 2025, method="log")


def test__progress__gap_and_percent():
    path = ck.target_path(100.0, 20, 2030, 2025)
    p = ck.progress({"year": 2027, "actual": 106.0}, path).iloc[0]
    assert p["target"] == pytest.approx(108) and p["gap"] == pytest.approx(-2)
    assert p["pct_of_target"] == pytest.approx(106 / 108 * 100)
    assert p["pct_of_increase"] == pytest.approx(75.0)
    with pytest.raises(InputError, match="no target"):
        ck.progress({"year": 2031, "actual": 1.0}, path)


def test__measurable_kgis():
    t = ck.measurable_kgis().set_index("kgi")
    assert t.loc["付加価値増加額", "measurable"] == "yes"
    assert t.loc["官民設備投資額", "measurable"] == "partly"
    assert t.loc["産業ニーズに即した人材育成数", "measurable"] == "no"
    assert t["reason"].str.len().min() > 20


FIRMS = pd.read_csv(StringIO("""firm_name,pref_code,outside_sales,inside_purchases
A社,16,"1,000",50
B社,石川県,200,0
"""), dtype=str)
TOTALS = frame("pref_code,outside_sales,inside_purchases\n16,10000,500\n17,1000,100\n")


def test__connector_hub__ratios():
    out = ck.connector_hub(FIRMS, TOTALS)
    assert out["connector_degree"].tolist() == pytest.approx([0.1, 0.2])
    assert out["hub_degree"].tolist() == pytest.approx([0.1, 0.0])
    assert out["pref_code"].tolist() == ["16", "17"]


@pytest.mark.parametrize(
    ("row", "pattern"),
    [
        ({"pref_code": "18"}, r"firms row 0 \(firm 'A社'\), column 'pref_code': prefecture 18 has no totals"),
        ({"pref_code": "99"}, r"firms row 0 \(firm 'A社'\), column 'pref_code': unknown prefecture '99'"),
        ({"outside_sales": "-5"}, r"firms row 0 \(firm 'A社'\), column 'outside_sales': expected a value ≥ 0"),
        ({"inside_purchases": "abc"}, r"firms row 0 \(firm 'A社'\), column 'inside_purchases': expected a number"),
        ({"outside_sales": "20000"}, r"firms row 0 \(firm 'A社'\), column 'outside_sales': connector_degree 2.000 > 1"),
        ({"inside_purchases": "600"}, r"column 'inside_purchases': hub_degree 1.200 > 1"),
    ],
)
def test__connector_hub__errors_name_row_firm_column(row, pattern):
    firms = FIRMS.copy()
    for k, v in row.items():
        firms.loc[0, k] = v
    with pytest.raises(InputError, match=pattern):
        ck.connector_hub(firms, TOTALS)


def test__connector_hub__missing_column():
    with pytest.raises(InputError, match=r"firms lacks column\(s\) \['inside_purchases'\]"):
        ck.connector_hub(FIRMS.drop(columns="inside_purchases"), TOTALS)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp932"])
def test__read_firm_csv__encodings_and_japanese_headers(tmp_path, encoding):
    p = tmp_path / "firms.csv"
    p.write_text("企業名,都道府県コード,域外販売額,域内仕入額,備考\nＡ社,16,\"１,０００\",50,メモ\n", encoding=encoding)
    df = ck.read_firm_csv(p)
    assert list(df.columns[:4]) == ["firm_name", "pref_code", "outside_sales", "inside_purchases"]
    out = ck.connector_hub(df, TOTALS)
    assert out["connector_degree"].iloc[0] == pytest.approx(0.1)


def test__read_firm_csv__bad_header_and_bytes(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text("name,pref_code,outside_sales,inside_purchases\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column 'firm_name'"):
        ck.read_firm_csv(p)
    p.write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(InputError, match="UTF-8 or CP932"):
        ck.read_firm_csv(p)
