"""Assembly functions of hokuriku.analysis.cluster on tiny inline frames and the synthetic firm example."""

from __future__ import annotations

from io import StringIO

import pandas as pd
import pytest

from hokuriku.analysis import cluster
from hokuriku.codes import prefectures
from hokuriku.errors import InputError
from hokuriku.indicators.cluster_kpi import Cluster

CL = Cluster("c", "北陸 テスト", ("chemicals", "textiles"), ("16", "17"))
VALUES = pd.read_csv(
    StringIO(
        "pref_code,year,industry_key,shipments_jpy_million,value_added_jpy_million,employees\n"
        "16,2016,chemicals,700,300,100\n16,2016,textiles,100,40,50\n17,2016,chemicals,200,80,20\n17,2016,textiles,,,\n"
        "18,2016,chemicals,999,999,999\n16,2016,food,999,999,999\n"
        "16,2019,chemicals,800,320,110\n16,2019,textiles,100,40,50\n17,2019,chemicals,260,100,25\n17,2019,textiles,40,20,5\n"
    ),
    dtype={"pref_code": str},
)


def test__baseline_table__sums_cluster_cells_and_counts_suppressed():
    b = cluster.baseline_table(VALUES, [CL], 2016)
    tot = b[(b["pref_code"] == "total")].set_index("measure")
    assert tot.loc["shipments_jpy_million", "value"] == 1000  # 700 + 100 + 200; 18 and food left out
    assert tot.loc["employees", "value"] == 170
    ishikawa = b[(b["pref_code"] == "17") & (b["measure"] == "shipments_jpy_million")].iloc[0]
    assert (ishikawa["value"], ishikawa["n_missing"]) == (200, 1)  # X 秘匿 is not 0 — it is counted


def test__baseline_table__unknown_year():
    with pytest.raises(
        InputError, match=r"base_year 2015 is not in the data; reference years available: \[2016, 2019\]"
    ):
        cluster.baseline_table(VALUES, [CL], 2015)


def test__target_paths__linear_path_ends_at_growth():
    b = cluster.baseline_table(VALUES, [CL], 2016)
    growth = {"shipments_jpy_million": 20.0, "value_added_jpy_million": 20.0, "employees": 10.0}
    p = cluster.target_paths(b, growth, 2016, 2026).set_index(["measure", "year"])["target"]
    assert p[("shipments_jpy_million", 2026)] == pytest.approx(1200.0)
    assert p[("shipments_jpy_million", 2019)] == pytest.approx(1060.0)  # 1000 × (1 + 0.2 × 3/10)
    assert p[("employees", 2026)] == pytest.approx(187.0)


def test__progress_table__actual_against_path():
    b = cluster.baseline_table(VALUES, [CL], 2016)
    growth = {"shipments_jpy_million": 20.0, "value_added_jpy_million": 20.0, "employees": 10.0}
    p = cluster.target_paths(b, growth, 2016, 2026)
    pr = cluster.progress_table(VALUES, [CL], p, 2019).set_index("measure")
    ship = pr.loc["shipments_jpy_million"]
    assert ship["actual"] == 1200  # 800 + 100 + 260 + 40
    assert ship["gap"] == pytest.approx(140.0)
    assert ship["pct_of_target"] == pytest.approx(1200 / 1060 * 100)
    assert ship["pct_of_increase"] == pytest.approx(200 / 60 * 100)


def test__clusters_for__region_replaces_prefectures_and_label():
    h3 = cluster.clusters_for(["hokuriku_ai_semiconductor"], prefectures.region("HOKURIKU3"))[0]
    assert h3.pref_codes == ("16", "17", "18") and h3.name_ja.startswith("北陸")
    chubu = cluster.clusters_for(["hokuriku_ai_semiconductor"], prefectures.region("CHUBU_METI"))[0]
    assert chubu.pref_codes == prefectures.region("CHUBU_METI").pref_codes
    assert not chubu.name_ja.startswith("北陸")
    with pytest.raises(InputError, match="unknown cluster key"):
        cluster.clusters_for(["semis"], prefectures.region("HOKURIKU3"))


def test__kgi_table__japanese_and_measurability():
    k = cluster.kgi_table().set_index("必須KGI")["公的統計での測定"]
    assert k.to_dict() == {"官民設備投資額": "一部可", "付加価値増加額": "可", "産業ニーズに即した人材育成数": "不可"}


def test__connector_hub_table__synthetic_example():
    firms, example = cluster.connector_hub_table()
    assert example
    row = firms.set_index("firm_name").loc["架空機械（株）"]
    assert row["connector_degree"] == pytest.approx(61_000 / 2_900_000)
    assert row["hub_degree"] == pytest.approx(12_400 / 1_240_000)
    assert row["connector_rank"] == 1


def test__connector_hub_table__validates_analyst_input(tmp_path):
    firms = tmp_path / "firms.csv"
    totals = tmp_path / "totals.csv"
    totals.write_text("都道府県,域外販売額,域内仕入額\n富山県,1000,500\n", encoding="utf-8")
    firms.write_text("企業名,都道府県,域外販売額,域内仕入額\nA社,富山県,2000,10\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"firm 'A社'.*connector_degree 2.000 > 1"):
        cluster.connector_hub_table(str(firms), str(totals))
    firms.write_text("企業名,都道府県,域外販売額\nA社,富山県,20\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column 'inside_purchases'"):
        cluster.connector_hub_table(str(firms), str(totals))
    totals.write_text("都道府県,域外販売額\n富山県,1000\n", encoding="utf-8")
    with pytest.raises(InputError, match="totals.csv: missing column 'inside_purchases'"):
        cluster.read_pref_totals_csv(totals)
    with pytest.raises(InputError, match="firm table not found"):
        cluster.connector_hub_table(str(tmp_path / "nope.csv"))
