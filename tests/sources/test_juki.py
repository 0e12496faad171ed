"""juki: 住民基本台帳 人口 (CP932) excerpt, codes with check digit, and bad input."""

from __future__ import annotations

import pandas as pd
import pytest

from hokuriku.errors import EncodingError, LayoutError, RawDataError
from hokuriku.sources import juki


@pytest.fixture
def excerpt(fixture_path):
    return fixture_path("juki/juki_2022-01-01_excerpt.csv")


def _variant(tmp_path, excerpt, old: str, new: str):
    text = excerpt.read_bytes().decode("cp932")
    assert old in text
    path = tmp_path / "juki.csv"
    path.write_bytes(text.replace(old, new, 1).encode("cp932"))
    return path


def test__parse__codes_levels_and_values(excerpt):
    df = juki.parse(excerpt, vintage="2022-01-01").set_index("area_name_ja")
    assert df.loc["富山市", ["muni_code6", "muni_code", "pref_code", "area_level"]].tolist() == [
        "162019", "16201", "16", "municipality"]
    assert df.loc["富山県", ["area_level", "population_persons"]].tolist() == ["prefecture", 1_037_319]
    assert df.loc["合計", ["area_level", "pref_code", "population_persons"]].tolist() == ["national", "00", 125_927_902]
    assert df.loc["中新川郡", "area_level"] == "gun"
    assert str(df["ref_date"].iloc[0].date()) == "2022-01-01"


def test__check_digit__official_examples():
    assert [juki.check_digit(c) for c in ("16201", "01100", "13101", "16320")] == ["9", "2", "6", "1"]


def test__parse__bad_check_digit_is_refused(tmp_path, excerpt):
    with pytest.raises(RawDataError, match="check digit.*162018"):
        juki.parse(_variant(tmp_path, excerpt, "162019", "162018"), vintage="2022-01-01")


def test__parse__title_of_another_date_is_a_layout_error(excerpt):
    with pytest.raises(LayoutError, match="2021-01-01"):
        juki.parse(excerpt, vintage="2021-01-01")


def test__parse__renamed_header_is_a_layout_error_naming_it(tmp_path, excerpt):
    with pytest.raises(LayoutError, match="市区町村名"):
        juki.parse(_variant(tmp_path, excerpt, "市区町村名", "市町村名"), vintage="2022-01-01")


def test__parse__full_width_digits_are_read(tmp_path, excerpt):
    path = _variant(tmp_path, excerpt, "411222", "４１１２２２")
    df = juki.parse(path, vintage="2022-01-01").set_index("area_name_ja")
    assert df.loc["富山市", "population_persons"] == 411_222
    assert df["value_note"].isna().all()


@pytest.mark.parametrize("symbol", ["…", "X", "***"])
def test__parse__a_symbol_in_a_count_is_refused_naming_row_and_column(tmp_path, excerpt, symbol):
    # 住基 never suppresses a count; '***' is accepted only in 政令市 ward rows (2024 浜松市).
    path = _variant(tmp_path, excerpt, "23576", symbol)
    with pytest.raises(RawDataError, match=r"row 24, column 'D \(人口/計\)'.*a number"):
        juki.parse(path, vintage="2022-01-01")


def test__parse__utf8_instead_of_cp932_is_an_encoding_error(tmp_path, excerpt):
    path = tmp_path / "juki.csv"
    path.write_bytes(excerpt.read_bytes().decode("cp932").encode("utf-8"))
    with pytest.raises(EncodingError, match="UTF-8"):
        juki.parse(path, vintage="2022-01-01")


@pytest.mark.parametrize("keep", [-3, -40])
def test__parse__truncated_file_is_refused(tmp_path, excerpt, keep):
    path = tmp_path / "juki.csv"
    path.write_bytes(excerpt.read_bytes().rsplit(b"\n", 3)[0][:keep] + b"\n")  # cut at a line end / mid-row
    with pytest.raises(RawDataError, match="truncated"):
        juki.parse(path, vintage="2022-01-01")


def test__validate__prefectures_must_sum_to_total():
    rows = [("00", "national", 47.0)] + [(f"{i:02d}", "prefecture", 1.0) for i in range(1, 48)]
    rows += [(f"{i:02d}", "municipality", 1.0) for i in range(1, 48)]
    df = pd.DataFrame(rows, columns=["pref_code", "area_level", "population_persons"])
    df["file_row"] = range(7, 7 + len(df))
    df["area_name_ja"] = df["pref_code"]
    juki.validate(df)
    df.loc[0, "population_persons"] = 48.0
    with pytest.raises(RawDataError, match="合計 48"):
        juki.validate(df)
