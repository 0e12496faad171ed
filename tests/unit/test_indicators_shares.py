"""Unit tests for hokuriku.indicators.shares (全国比, 構成比).

Worked example: the seed deck's table 北陸地域の経済指標（総括） (北陸地域未来戦略検討会 資料 2026-05-22),
FY2022 県内総生産: (49,276 + 47,173 + 34,943) / 5,957,888 = 131,392 / 5,957,888 = 0.022053… → printed 2.2 %.
"""

from __future__ import annotations

import math
from io import StringIO

import pandas as pd
import pytest

from hokuriku.codes.prefectures import region
from hokuriku.errors import InputError
from hokuriku.indicators.shares import aggregate_region, composition, share_of_national

GDP = """pref_code,activity,gdp
00,total,1000
00,mfg,400
15,total,50
15,mfg,10
16,total,30
16,mfg,20
17,total,20
17,mfg,5
18,total,10
18,mfg,
"""


def _gdp() -> pd.DataFrame:
    return pd.read_csv(StringIO(GDP), dtype={"pref_code": str})


def test__share_of_national__seed_deck_gdp_2_2_percent():
    seed = pd.DataFrame({"pref_code": ["00", "16", "17", "18"], "v": [5957888, 49276, 47173, 34943]})
    res = share_of_national(seed, region("北陸3県"), value="v", national="row")
    assert res["region_v"].iloc[0] == 131392
    assert round(float(res["share_pct"].iloc[0]), 1) == 2.2
    assert math.isclose(float(res["share"].iloc[0]), 131392 / 5957888)


def test__share_of_national__row_vs_sum_modes_differ():
    """'row': 30 + 20 = 50 of the printed 1,000 → 0.05; 'sum': 50 of 50+30+20+10 = 110 → 0.4545…"""
    df = _gdp().query("activity == 'total'")
    row = share_of_national(df, ["16", "17"], value="gdp", national="row")
    summ = share_of_national(df, ["16", "17"], value="gdp", national="sum")
    assert float(row["share"].iloc[0]) == pytest.approx(0.05)
    assert float(summ["share"].iloc[0]) == pytest.approx(50 / 110)


def test__share_of_national__by_group_and_nan_propagates():
    """mfg: 福井(18) is suppressed (NaN) so the 北陸3県 mfg sum is unknown → NaN, not 25/400."""
    res = share_of_national(_gdp(), "HOKURIKU3", value="gdp", by="activity", national="row").set_index("activity")
    assert float(res.loc["total", "share"]) == pytest.approx(60 / 1000)
    assert math.isnan(res.loc["mfg", "share"])
    assert res.loc["total", "region"] == "HOKURIKU3"


def test__share_of_national__other_region_is_a_parameter():
    res = share_of_national(_gdp(), "北陸4県", value="gdp", by="activity", national="row").set_index("activity")
    assert float(res.loc["total", "region_gdp"]) == 110


def test__share_of_national__zero_national_total_gives_nan():
    df = pd.DataFrame({"pref_code": ["00", "16"], "v": [0.0, 0.0]})
    assert math.isnan(share_of_national(df, ["16"], value="v", national="row")["share"].iloc[0])


def test__share_of_national__missing_member_raises():
    df = _gdp().query("pref_code != '18'")
    with pytest.raises(InputError, match=r"region members \['18'\]"):
        share_of_national(df, "HOKURIKU3", value="gdp", by="activity")


def test__share_of_national__no_national_row_raises():
    df = _gdp().query("pref_code != '00'")
    with pytest.raises(InputError, match="national='row'"):
        share_of_national(df, "HOKURIKU3", value="gdp", by="activity", national="row")


def test__share_of_national__duplicated_keys_raise():
    df = pd.concat([_gdp(), _gdp().head(1)])
    with pytest.raises(InputError, match="duplicated keys"):
        share_of_national(df, "HOKURIKU3", value="gdp", by="activity")


def test__share_of_national__national_lacks_a_group_raises():
    df = _gdp().query("not (pref_code == '00' and activity == 'mfg')")
    with pytest.raises(InputError, match="expected a national value"):
        share_of_national(df, "HOKURIKU3", value="gdp", by="activity", national="row")


def test__aggregate_region__labels_and_sums():
    res = aggregate_region(_gdp(), ["16", "17"], value="gdp", by="activity", label="TY_IS")
    assert res.set_index("activity")["gdp"].to_dict() == {"total": 50.0, "mfg": 25.0}
    assert set(res["pref_code"]) == {"TY_IS"}


def test__composition__sum_of_parts():
    """Unit 16: parts a=1, b=3 → 0.25, 0.75."""
    df = pd.DataFrame({"pref_code": ["16", "16"], "part": ["a", "b"], "v": [1.0, 3.0]})
    assert composition(df, value="v", part="part")["share"].tolist() == [0.25, 0.75]


def test__composition__published_total_row_and_nan_only_hits_its_part():
    """With the printed total (100) as denominator, the suppressed mfg part is NaN, the other 0.3."""
    df = pd.DataFrame({"pref_code": ["16"] * 3, "part": ["total", "mfg", "svc"], "v": [100.0, float("nan"), 30.0]})
    res = composition(df, value="v", part="part", total="total").set_index("part")["share"]
    assert "total" not in res.index
    assert math.isnan(res["mfg"]) and res["svc"] == pytest.approx(0.3)


def test__composition__nan_part_with_summed_total_makes_unit_nan():
    df = pd.DataFrame({"pref_code": ["16"] * 2, "part": ["a", "b"], "v": [float("nan"), 30.0]})
    assert composition(df, value="v", part="part")["share"].isna().all()


def test__composition__missing_total_row_raises():
    df = pd.DataFrame({"pref_code": ["16", "17"], "part": ["total", "a"], "v": [1.0, 1.0]})
    with pytest.raises(InputError, match="total row"):
        composition(df, value="v", part="part", total="total")


def test__composition__text_values_raise():
    df = pd.DataFrame({"pref_code": ["16"], "part": ["a"], "v": ["X"]})
    with pytest.raises(InputError, match="numeric column"):
        composition(df, value="v", part="part")


def test__share_of_national__explicit_national_total():
    """The seed deck's 全国 5,957,888 given as a number; and per group as a Series (mfg: 25 / 400 → NaN here)."""
    seed = pd.DataFrame({"pref_code": ["16", "17", "18"], "v": [49276, 47173, 34943]})
    res = share_of_national(seed, "北陸3県", value="v", national=5957888)
    assert round(float(res["share_pct"].iloc[0]), 1) == 2.2
    df = _gdp().query("pref_code != '00'")
    res = share_of_national(df, ["16", "17"], value="gdp", by="activity",
                            national=pd.Series({"total": 1000.0, "mfg": 400.0}))
    assert res.set_index("activity")["share"].to_dict() == pytest.approx({"total": 0.05, "mfg": 25 / 400})


def test__share_of_national__explicit_number_with_groups_raises():
    with pytest.raises(InputError, match="cannot serve groups"):
        share_of_national(_gdp(), "HOKURIKU3", value="gdp", by="activity", national=1000)
