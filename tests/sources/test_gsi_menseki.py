"""gsi_menseki: 面積調 CSV parsing, mojibake policy, levels and bad input."""

from __future__ import annotations

import pandas as pd
import pytest

from hokuriku.errors import EncodingError, LayoutError, RawDataError
from hokuriku.sources import gsi_menseki


@pytest.fixture
def excerpt(fixture_path):
    return fixture_path("gsi_menseki/area_excerpt.csv")


def _variant(tmp_path, excerpt, old: bytes, new: bytes, count: int = 1):
    data = excerpt.read_bytes()
    assert old in data
    path = tmp_path / "area.csv"
    path.write_bytes(data.replace(old, new, count))
    return path


def test__parse__levels_codes_and_reference_flags(excerpt):
    df = gsi_menseki.parse(excerpt)
    assert df["ref_date"].nunique() == 10
    day = df[df["ref_date"] == "2025-10-01"].set_index("area_name_ja")
    assert day.loc["全国", "area_km2"] == 377_979.67 and day.loc["全国", "pref_code"] == "00"
    assert day.loc["富山県", ["area_code", "area_level", "area_km2"]].tolist() == ["16000", "prefecture", 4247.55]
    assert bool(day.loc["富山県", "is_reference_value"]) and not bool(day.loc["石川県", "is_reference_value"])
    assert day.loc["札幌市", "area_code"] == "01100"  # leading zero restored
    assert day.loc["(札幌市)中央区", "area_level"] == "ward"
    assert day.loc["中新川郡", "area_level"] == "gun"
    assert day.loc["富山県(市部)", ["area_level", "pref_code"]].tolist() == ["pref_part", "16"]
    assert day.loc["然別湖", ["area_level", "pref_code"]].tolist() == ["unassigned", "01"]
    assert day.loc["然別湖", "area_code"] is None


def test__parse__mojibake_in_preamble_and_header_is_repaired_not_dropped(excerpt):
    assert "\ufffd".encode() in excerpt.read_bytes()  # the excerpt keeps the upstream mojibake
    df = gsi_menseki.parse(excerpt)
    assert df["area_km2"].notna().all() and df["value_note"].isna().all()


def test__parse__raw_invalid_bytes_in_the_preamble_are_tolerated(tmp_path, excerpt):
    path = _variant(tmp_path, excerpt, "\ufffd@".encode(), b"\x87@")  # the original CP932 ① lead byte
    assert len(gsi_menseki.parse(path)) == len(gsi_menseki.parse(excerpt))


def test__parse__mojibake_in_a_data_row_is_refused(tmp_path, excerpt):
    path = _variant(tmp_path, excerpt, b"4247.55", "42\ufffd7.55".encode())
    with pytest.raises(RawDataError, match="row .*U\\+FFFD"):
        gsi_menseki.parse(path)


def test__parse__invalid_bytes_in_a_data_row_are_an_encoding_error(tmp_path, excerpt):
    path = _variant(tmp_path, excerpt, "富山市".encode(), b"\x87\x40")
    with pytest.raises(EncodingError):
        gsi_menseki.parse(path)


def test__parse__cp932_file_is_an_encoding_error(tmp_path, excerpt):
    path = tmp_path / "area.csv"
    path.write_bytes(excerpt.read_bytes().decode("utf-8").replace("\ufffd", "?").encode("cp932"))
    with pytest.raises(EncodingError, match="UTF-8"):
        gsi_menseki.parse(path)


def test__parse__symbols_become_nan_with_note_and_full_width_digits_parse(tmp_path, excerpt):
    data = excerpt.read_bytes().replace(b",4247.55,", ",－,".encode(), 1).replace(b"16201,", b"16201,", 1)
    data = data.replace(b"1241.71", "１２４１．７１".encode(), 1)
    path = tmp_path / "area.csv"
    path.write_bytes(data)
    df = gsi_menseki.parse(path)
    day = df[df["ref_date"] == "2025-10-01"].set_index("area_name_ja")
    assert pd.isna(day.loc["富山県", "area_km2"]) and day.loc["富山県", "value_note"] == "nil"
    apr = df[df["ref_date"] == "2026-04-01"].set_index("area_name_ja")
    assert apr.loc["富山市", "area_km2"] == 1241.71


def test__parse__renamed_column_is_a_layout_error_naming_it(tmp_path, excerpt):
    path = _variant(tmp_path, excerpt, "郡･支庁･振興局等".encode(), "郡・支庁等".encode())
    with pytest.raises(LayoutError, match="郡･支庁･振興局等"):
        gsi_menseki.parse(path)


def test__parse__date_pair_out_of_order_is_a_layout_error(tmp_path, excerpt):
    path = _variant(tmp_path, excerpt, "令和8年4月1日備考".encode(), "令和8年1月1日備考".encode())
    with pytest.raises(LayoutError, match="note column 令和8年4月1日備考"):
        gsi_menseki.parse(path)


def test__parse__truncated_file_is_refused(tmp_path, excerpt):
    path = tmp_path / "area.csv"
    path.write_bytes(excerpt.read_bytes()[:-60])
    with pytest.raises(RawDataError, match="truncated"):
        gsi_menseki.parse(path)


def test__validate__prefectures_must_add_up_to_national():
    rows = [{"ref_date": pd.Timestamp("2025-10-01"), "area_level": "prefecture", "area_km2": 1.0}] * 47
    df = pd.DataFrame(rows + [{"ref_date": pd.Timestamp("2025-10-01"), "area_level": "national", "area_km2": 47.0}])
    gsi_menseki.validate(df)
    df.loc[47, "area_km2"] = 47.5
    with pytest.raises(RawDataError, match="gap 0.50"):
        gsi_menseki.validate(df)
