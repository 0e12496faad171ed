"""Unit tests of hokuriku.codes.municipalities (codes, check digits, harmonisation) on inline frames."""

from io import StringIO

import numpy as np
import pandas as pd
import pytest

from hokuriku.codes import municipalities as mu
from hokuriku.errors import InputError


@pytest.mark.parametrize(
    ("code5", "code6"),
    # Published 6-digit codes (総務省 全国地方公共団体コード): 富山市, 札幌市, 金沢市, 福井市, 北上市, 東京都千代田区.
    [("16201", "162019"), ("01100", "011002"), ("17201", "172014"), ("18201", "182010"), ("03206", "032069"),
     ("13101", "131016")],
)
def test__to_code6__known_codes(code5, code6):
    assert mu.to_code6(code5) == code6
    assert mu.to_code5(code6) == code5
    assert mu.is_valid_code6(code6)


def test__check_digit__remainder_zero_and_one():
    # 札幌市中央区 01101: weighted sum 11, remainder 0 -> 011011; 福井市 18201: sum 56, remainder 1 -> 182010.
    assert mu.check_digit("01101") == "1"
    assert mu.check_digit("18201") == "0"


def test__to_code5__wrong_check_digit_raises():
    with pytest.raises(InputError, match="check digit 0 is wrong, expected 9"):
        mu.to_code5("162010")
    assert mu.to_code5("162010", verify=False) == "16201"
    assert not mu.is_valid_code6("162010")


@pytest.mark.parametrize("bad", ["1620", "48201", "00201", "16a01", "162019"])
def test__validate_code5__rejects(bad):
    with pytest.raises(InputError, match="5-digit municipal code"):
        mu.validate_code5(bad)


def test__validate_code5__pads_integers():
    assert mu.validate_code5(1100) == "01100"


def test__area_level__designated_cities_and_wards():
    assert mu.area_level("14110") == "ward"  # 横浜市戸塚区 ends in 0 but is a ward
    assert mu.ward_city("14110") == "14100"
    assert mu.ward_city("14131") == "14130"  # 川崎市川崎区
    assert mu.ward_city("22131") == "22130"  # 浜松市
    assert mu.area_level("22130") == "designated_city"
    assert mu.area_level("13101") == "municipality"  # 特別区 are municipalities
    assert mu.area_level("13100") == "aggregate"
    assert mu.area_level("16000") == "prefecture"
    assert mu.area_level("16201") == "municipality"


# A toy converter: A (16201) absorbs B (16301) and C (16302) in 2005; D (16343) unchanged; E (11244) is a short-lived
# code known only as merge_id; 14100 is a designated city.
CROSSWALK = pd.read_csv(StringIO("""merge_id,snapshot_year,muni_code
16201,2000,16201
16201,2005,16201
16301,2000,16301
16301,2005,16201
16302,2000,16302
16302,2005,16201
16343,2000,16343
16343,2005,16343
11244,2005,11100
11100,2005,11100
14100,2000,14100
14100,2005,14100
"""), dtype={"merge_id": str, "muni_code": str})


def frame(text: str) -> pd.DataFrame:
    return pd.read_csv(StringIO(text), dtype={"muni_code": str})


def test__harmonize__sums_predecessors():
    df = frame("muni_code,year,v\n16201,2003,10\n16301,2003,5\n16302,2003,1\n16343,2003,7\n16201,2006,20\n")
    out = mu.harmonize(df, CROSSWALK, to_year=2005, value_cols=["v"])
    got = out.set_index(["muni_code", "year"])
    assert got.loc[("16201", 2003), "v"] == 16
    assert got.loc[("16201", 2003), "n_predecessors"] == 3
    assert got.loc[("16201", 2006), "v"] == 20
    assert got.loc[("16343", 2003), "v"] == 7


def test__harmonize__suppressed_predecessor_is_counted_not_zero():
    df = frame("muni_code,year,v\n16201,2003,10\n16301,2003,\n16302,2003,1\n")
    out = mu.harmonize(df, CROSSWALK, to_year=2005, value_cols=["v"]).iloc[0]
    assert np.isnan(out["v"])
    assert out["v_n_missing"] == 1
    assert not out["is_partial"]


def test__harmonize__min_count_opt_in_flags_partial():
    df = frame("muni_code,year,v\n16201,2003,10\n16301,2003,\n16302,2003,1\n")
    out = mu.harmonize(df, CROSSWALK, to_year=2005, value_cols=["v"], min_count=1).iloc[0]
    assert out["v"] == 11
    assert out["is_partial"]
    assert out["v_n_missing"] == 1


def test__harmonize__short_lived_code_via_merge_id():
    out = mu.harmonize(frame("muni_code,year,v\n11244,2002,3\n"), CROSSWALK, to_year=2005, value_cols=["v"])
    assert out["muni_code"].tolist() == ["11100"]


def test__harmonize__designated_city_merge_vs_wards():
    df = frame("muni_code,year,v\n14100,2003,30\n14101,2003,10\n14102,2003,20\n")
    merged = mu.harmonize(df, CROSSWALK, to_year=2005, value_cols=["v"], designated_city="merge")
    assert merged[["muni_code", "v"]].values.tolist() == [["14100", 30]]
    wards = mu.harmonize(df, CROSSWALK, to_year=2005, value_cols=["v"], designated_city="wards")
    # wards mode: ward rows, plus the city as a whole (Σ wards), told apart by area_level
    assert wards[["muni_code", "v", "area_level"]].values.tolist() == [
        ["14100", 30, "designated_city"], ["14101", 10, "ward"], ["14102", 20, "ward"]]
    only_wards = mu.harmonize(df.iloc[1:], CROSSWALK, to_year=2005, value_cols=["v"], designated_city="merge")
    assert only_wards[["muni_code", "v"]].values.tolist() == [["14100", 30]]


def test__harmonize__unknown_code_raises_with_list():
    with pytest.raises(InputError, match=r"\['16999'\]"):
        mu.harmonize(frame("muni_code,year,v\n16999,2003,1\n"), CROSSWALK, to_year=2005, value_cols=["v"])
    with pytest.warns(UserWarning, match="16999"):
        out = mu.harmonize(frame("muni_code,year,v\n16999,2003,1\n16343,2003,2\n"), CROSSWALK, to_year=2005,
                           value_cols=["v"], on_unknown="warn")
    assert out["muni_code"].tolist() == ["16343"]


def test__harmonize__cannot_split_backwards_is_missing_with_reason():
    # 16201 in 2006 stands for three 2000 units: on the 2000 boundaries each of them is NaN, "unsplittable".
    out = mu.harmonize(frame("muni_code,year,v\n16201,2006,1\n16343,2006,4\n"), CROSSWALK, to_year=2000,
                       value_cols=["v"]).set_index("muni_code")
    assert sorted(out.index) == ["16201", "16301", "16302", "16343"]
    assert out.loc[["16201", "16301", "16302"], "v"].isna().all()
    assert (out.loc[["16201", "16301", "16302"], "v_n_unsplittable"] == 1).all()
    assert out.loc["16343", "v"] == 4 and out.loc["16343", "v_n_missing"] == 0


def test__harmonize__year_aware_before_the_merger():
    # In 2003 the three towns are still published separately: 16201 then is 富山市 alone, so it goes back to 2000.
    df = frame("muni_code,year,v\n16201,2003,10\n16301,2003,5\n16302,2003,1\n16201,2006,16\n")
    out = mu.harmonize(df, CROSSWALK, to_year=2000, value_cols=["v"]).set_index(["muni_code", "year"])
    assert out.loc[("16201", 2003), "v"] == 10 and out.loc[("16301", 2003), "v"] == 5
    assert np.isnan(out.loc[("16201", 2006), "v"]) and out.loc[("16201", 2006), "v_n_unsplittable"] == 1
    forward = mu.harmonize(df, CROSSWALK, to_year=2005, value_cols=["v"]).set_index(["muni_code", "year"])
    assert forward["v"].to_dict() == {("16201", 2003): 16, ("16201", 2006): 16}


def test__harmonize__missing_cells_counted_by_reason():
    df = pd.DataFrame({"muni_code": ["16201", "16301", "16302"], "year": 2003, "v": [10.0, np.nan, np.nan],
                       "value_note": [None, "v=suppressed", "no_industry_split"]})
    row = mu.harmonize(df, CROSSWALK, to_year=2005, value_cols=["v"], min_count=1).iloc[0]
    assert (row["v"], row["v_n_missing"], row["v_n_suppressed"], row["v_n_no_industry_split"]) == (10, 2, 1, 1)
    assert row["is_partial"]
    assert mu.describe_missing(row, "v") == "1 suppressed, 1 without industry split"
    assert mu.describe_missing(row, "v", lang="ja") == "秘匿1、町村で業種別なし1"
    blank = df.assign(value_note=None)
    assert mu.harmonize(blank, CROSSWALK, to_year=2005, value_cols=["v"]).iloc[0]["v_n_absent"] == 2


def test__harmonize__code_year_for_files_on_fixed_boundaries():
    # A file whose codes are those of 2005 for every year (DTA_cao_manu style): 1990 16201 is the merged city.
    df = frame("muni_code,year,v\n16201,1990,9\n")
    out = mu.harmonize(df, CROSSWALK, to_year=2000, value_cols=["v"], code_year=2005)
    assert out["v"].isna().all() and set(out["muni_code"]) == {"16201", "16301", "16302"}


def test__harmonize__rejects_prefecture_rows_and_bad_year():
    with pytest.raises(InputError, match="prefecture rows"):
        mu.harmonize(frame("muni_code,year,v\n16000,2003,1\n"), CROSSWALK, to_year=2005, value_cols=["v"])
    with pytest.raises(InputError, match="snapshot year"):
        mu.harmonize(frame("muni_code,year,v\n16201,2003,1\n"), CROSSWALK, to_year=2003, value_cols=["v"])
