"""Regional IO model: location quotients, regional coefficients, ripple arithmetic (tiny hand-made arrays)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from hokuriku.errors import ParameterError
from hokuriku.inputoutput import regional, ripple, validation

XR = np.array([30.0, 10.0, 60.0])
XN = np.array([200.0, 400.0, 400.0])


def test__slq_cilq_flq_by_hand():
    # shares: region .3 .1 .6, nation .2 .4 .4 -> SLQ 1.5 .25 1.5
    assert np.allclose(regional.slq(XR, XN), [1.5, 0.25, 1.5])
    c = regional.lq_matrix(XR, XN, "CILQ")
    assert c[0, 1] == pytest.approx(1.5 / 0.25) and c[1, 0] == pytest.approx(0.25 / 1.5)
    assert np.allclose(np.diag(c), [1.5, 0.25, 1.5])
    lam = math.log2(1 + 100 / 1000) ** 0.2
    assert regional.lambda_star(XR, XN, 0.2) == pytest.approx(lam)
    assert np.allclose(regional.lq_matrix(XR, XN, "FLQ", 0.2), c * lam)


def test__regional_coefficients_are_capped_at_national():
    d = np.full((3, 3), 0.1)
    r = regional.regional_coefficients(d, XR, XN, "SLQ")
    assert np.allclose(r[0], 0.1) and np.allclose(r[1], 0.025) and np.allclose(r[2], 0.1)
    assert (regional.regional_coefficients(d, XR, XN, "FLQ", 0.3) <= d + 1e-15).all()


def test__bad_method_and_delta():
    with pytest.raises(ParameterError, match="method"):
        regional.lq_matrix(XR, XN, "AFLQ")
    with pytest.raises(ParameterError, match="delta"):
        regional.lambda_star(XR, XN, 1.0)


def _model(rpc, *, s=(0.5, 0.5), w=(0.2, 0.4), h=(0.25, 0.75)):
    inv = np.linalg.inv(np.eye(2) - rpc)
    return regional.RegionalModel(
        region_key="T", region_name_ja="テスト", pref_codes=("16",), codes=("01", "02"), names=("甲", "乙"),
        method="FLQ", delta=0.1, x_region=np.array([10.0, 20.0]), x_nation=np.array([100.0, 100.0]),
        slq=np.array([0.5, 1.0]), rpc=rpc, inverse=inv, supply_share=np.array(s), gva_ratio=np.array([0.5, 0.6]),
        compensation_ratio=np.array(w), consumption_shares=np.array(h), jobs_per_million=np.array([0.1, 0.02]),
        national_inverse=inv)


def test__ripple_stages_by_hand():
    rpc = np.array([[0.1, 0.2], [0.0, 0.1]])
    m = _model(rpc)
    res = ripple.ripple(m, np.array([100.0, 0.0]), consumption_ratio=0.5)
    t = res.totals()
    direct = np.array([50.0, 0.0])  # s × demand
    x1 = np.linalg.inv(np.eye(2) - rpc) @ direct
    cons = 0.5 * (np.array([0.2, 0.4]) @ x1) * np.array([0.25, 0.75])
    x2 = np.linalg.inv(np.eye(2) - rpc) @ (np.array([0.5, 0.5]) * cons)
    assert t.at["direct", "output_jpy_million"] == pytest.approx(50.0)
    assert t.at["indirect1", "output_jpy_million"] == pytest.approx(x1.sum() - 50.0)
    assert t.at["indirect2", "output_jpy_million"] == pytest.approx(x2.sum())
    assert t.at["total", "gva_jpy_million"] == pytest.approx(np.array([0.5, 0.6]) @ (x1 + x2))
    assert t.at["total", "jobs_persons"] == pytest.approx(np.array([0.1, 0.02]) @ (x1 + x2))
    assert res.multiplier() == pytest.approx((x1.sum() + x2.sum()) / 100.0)


def test__plant_output_is_all_direct_and_investment_split():
    m = _model(np.array([[0.1, 0.2], [0.0, 0.1]]))
    res = ripple.ripple(m, np.array([0.0, 80.0]), kind="output", consumption_ratio=0.0)
    assert res.totals().at["direct", "output_jpy_million"] == 80.0
    assert res.totals().at["indirect2", "output_jpy_million"] == 0.0
    with pytest.raises(ParameterError, match="construction_share"):
        ripple.investment_vector(m, 100.0, 1.5)
    with pytest.raises(ParameterError, match="unknown sector"):
        ripple.demand_vector(m, "電子部品", 10.0)
    with pytest.raises(ParameterError, match="kind"):
        ripple.ripple(m, np.array([1.0, 0.0]), kind="plant")


def test__jobs_by_area_splits_by_output_and_adds_up():
    m = _model(np.zeros((2, 2)))
    m = regional.RegionalModel(**{**m.__dict__, "pref_codes": ("16", "17")})
    res = ripple.ripple(m, np.array([100.0, 0.0]), kind="output", consumption_ratio=0.0)
    outs = pd.DataFrame({"pref_code": ["16", "16", "17", "17"], "sector_code": ["01", "02", "01", "02"],
                         "output_jpy_million": [3.0, 1.0, 1.0, 1.0]})
    j = ripple.jobs_by_area(res, outs)
    assert j["jobs_persons"].sum() == pytest.approx(10.0)
    assert j.set_index("area_code")["jobs_persons"]["16"] == pytest.approx(7.5)


def test__jobs_per_million_groups():
    xr = pd.Series(100.0, index=["01", "06", "11", "15", "16", "20", "21", "22", "25", "26", "27", "28", "29",
                                 "30", "31", "32", "33", "34", "35", "39", "41", "46", "47", "48", "51", "53",
                                 "55", "57", "59", "61", "63", "64", "65", "66", "67", "68", "69"])
    emp = pd.Series({"F2201": 50.0, "C2211": 100.0, "C220708": 30.0, "C220709": 60.0, "C220710": 20.0})
    kog = pd.Series({"32": 3.0, "11": 1.0})
    e = regional.jobs_per_million(emp, xr, kog)
    assert e["01"] == pytest.approx(0.5) and e["06"] == pytest.approx(0.1) and e["41"] == pytest.approx(0.3)
    assert e["32"] == pytest.approx(0.45) and e["11"] == pytest.approx(0.15) and e["15"] == 0.0
    assert e["46"] == pytest.approx(0.1) and e["68"] == 0.0


def test__validation_errors_by_hand():
    true = np.array([[0.1, 0.0], [0.2, 0.3]])
    est = np.array([[0.2, 0.0], [0.2, 0.1]])
    e = validation.errors(est, true, np.array([10.0, 20.0]))
    assert e["mad"] == pytest.approx(0.3 / 4)
    assert e["wae"] == pytest.approx((0.1 * 10 + 0.2 * 20) / (0.3 * 10 + 0.3 * 20))


def test__regional_output_from_gva_and_shipments():
    codes = tuple(regional.crosswalk("activity_sector")["sector_code"].drop_duplicates()) + ("68", "69")
    n = len(codes)
    x_nat = np.full(n, 1000.0)
    gva_nat = np.full(n, 500.0)  # v = 0.5 everywhere
    acts = regional.crosswalk("activity_sector")["activity_code"].drop_duplicates()
    gdp = pd.DataFrame({"pref_code": "16", "activity_code": acts, "gdp_nominal_jpy_million": 10.0})
    ship = pd.DataFrame({"pref_code": "16", "industry_code_jsic": ["28", "16", "09"],
                         "shipments_jpy_million": [300.0, 100.0, np.nan]})
    out = regional.regional_output(gdp, ship, codes=codes, x_nat=x_nat, gva_nat=gva_nat).set_index("sector_code")
    x = out["output_jpy_million"]
    assert x["32"] == pytest.approx(15.0) and x["20"] == pytest.approx(5.0)  # 製造業 GVA 10 split 3:1, ÷ v
    assert x["11"] == 0.0 and out.at["11", "suppressed_cells"] == 1  # 食料品 X counts as 0, reported
    assert x["46"] == pytest.approx(10 / 3 / 0.5)  # 電気・ガス・水道・廃棄物 over 3 rows by national GVA
    assert x["67"] == pytest.approx(20.0 + 10.0)  # 宿泊・飲食 all + half of その他のサービス
    others = x.drop(["68", "69"]).sum()
    assert x["68"] == pytest.approx(1000.0 * others / (1000.0 * (n - 2)))
