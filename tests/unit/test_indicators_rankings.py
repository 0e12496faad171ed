"""Unit tests for hokuriku.indicators.rankings (competition "1224" ranking)."""

from __future__ import annotations

import pandas as pd
import pytest

from hokuriku.errors import InputError
from hokuriku.indicators.rankings import rank, region_ranks


def _frame(values: dict[str, float | None]) -> pd.DataFrame:
    return pd.DataFrame({"pref_code": list(values), "v": [float("nan") if x is None else x for x in values.values()]})


def test__rank__ties_use_competition_1224():
    """Values 50, 40, 40, 30 → ranks 1, 2, 2, 4 (the tie shares the best rank; rank 3 is skipped)."""
    res = rank(_frame({"01": 50, "02": 40, "03": 40, "04": 30}), value="v")
    assert res.set_index("pref_code")["rank"].to_dict() == {"01": 1, "02": 2, "03": 2, "04": 4}


def test__rank__ascending():
    res = rank(_frame({"01": 50, "02": 40, "03": 40, "04": 30}), value="v", ascending=True)
    assert res.set_index("pref_code")["rank"].to_dict() == {"04": 1, "02": 2, "03": 2, "01": 4}


def test__rank__nan_is_not_ranked_and_not_counted():
    """The suppressed 02 gets <NA>; 03 is 2nd of 3 ranked units, not pushed down by the unknown value."""
    res = rank(_frame({"01": 50, "02": None, "03": 40, "04": 30}), value="v").set_index("pref_code")
    assert pd.isna(res.loc["02", "rank"])
    assert res.loc["03", "rank"] == 2
    assert set(res["n_ranked"]) == {3}


def test__rank__national_row_is_excluded():
    res = rank(_frame({"00": 999, "01": 5, "02": 7}), value="v")
    assert "00" not in set(res["pref_code"])
    assert res.set_index("pref_code")["rank"].to_dict() == {"02": 1, "01": 2}


def test__rank__within_groups():
    df = pd.DataFrame({"pref_code": ["01", "02", "01", "02"], "ind": ["a", "a", "b", "b"], "v": [1.0, 2.0, 4.0, 3.0]})
    res = rank(df, value="v", by="ind")
    expected = [["a", "02", 1], ["a", "01", 2], ["b", "01", 1], ["b", "02", 2]]
    assert res[["ind", "pref_code", "rank"]].values.tolist() == expected


def test__rank__universe_unknown_unit_raises():
    with pytest.raises(InputError, match="universe units"):
        rank(_frame({"01": 1, "02": 2}), value="v", universe=["01", "99"])


def test__rank__duplicated_keys_raise():
    with pytest.raises(InputError, match="duplicated"):
        rank(pd.DataFrame({"pref_code": ["01", "01"], "v": [1.0, 2.0]}), value="v")


def test__region_ranks__members_among_47():
    """47 prefectures with value = code number: 16 is 32nd (47 − 16 + 1) of 47, 17 31st, 18 30th."""
    df = pd.DataFrame({"pref_code": [f"{i:02d}" for i in range(1, 48)], "v": [float(i) for i in range(1, 48)]})
    res = region_ranks(df, "北陸3県", value="v")
    assert res[["pref_code", "rank", "n_ranked"]].values.tolist() == [["16", 32, 47], ["17", 31, 47], ["18", 30, 47]]


def test__region_ranks__missing_member_raises():
    with pytest.raises(InputError, match="region members"):
        region_ranks(_frame({"16": 1, "17": 2}), "HOKURIKU3", value="v")
