"""SSDSE-A parser: excerpts of the 2018 and 2026 layouts, bad inputs, and the full editions via ``raw``."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from hokuriku.errors import ChecksumError, EncodingError, LayoutError, RawDataError
from hokuriku.sources import ssdse_a


def _lines(path):
    return path.read_bytes().decode("cp932").split("\r\n" if b"\r\n" in path.read_bytes() else "\n")


def _write(tmp_path, lines, encoding="cp932"):
    p = tmp_path / "SSDSE-A-2026.csv"
    p.write_bytes("\r\n".join(lines).encode(encoding))
    return p


@pytest.fixture
def a2026(fixture_path):
    return fixture_path("ssdse_a/SSDSE-A-2026_excerpt.csv")


def test__parse__2026_excerpt_long_table(a2026):
    df = ssdse_a.parse(a2026, vintage="2026")
    assert list(df.columns) == ["muni_code", "pref_code", "pref_name_ja", "muni_name_ja", "item_code", "item_name_ja",
                                "ref_year", "value", "value_note"]
    row = df[(df["muni_code"] == "16201") & (df["item_code"] == "A1101")].iloc[0]
    assert (row["pref_code"], row["muni_name_ja"], row["ref_year"], row["value"]) == ("16", "富山市", 2020, 413938)
    assert df["value_note"].isna().all()
    assert df.groupby("muni_code").size().tolist() == [125, 125, 125]


def test__key_variables__2018_and_2026_layouts_map_to_same_names(fixture_path, a2026):
    k18 = ssdse_a.key_variables(ssdse_a.parse(fixture_path("ssdse_a/SSDSE-A-2018_excerpt.csv"), vintage="2018"), vintage="2018")
    k26 = ssdse_a.key_variables(ssdse_a.parse(a2026, vintage="2026"), vintage="2026")
    t18 = k18[k18["muni_code"] == "16201"].set_index("ref_year")
    t26 = k26[k26["muni_code"] == "16201"].set_index("ref_year")
    assert t18.loc[2015, "population_persons"] == 418686
    assert t18.loc[2014, "manufacturing_employees_persons"] == 42705
    assert t26.loc[2021, "manufacturing_employees_persons"] == 43922
    assert "establishments_all_count" in k18 and "establishments_all_count" not in k26  # 2014 basis only in 2018-2020
    assert "employed_persons" not in k18  # 就業者 F1102 from the 2019 edition
    assert math.isnan(t26.loc[2021, "population_persons"])  # values sit on their own reference year


def test__parse__symbols_and_fullwidth_digits_become_nan_with_reason(tmp_path, a2026):
    lines = _lines(a2026)
    cells = lines[3].split(",")
    cells[3], cells[4], cells[5] = "Ｘ", "１２３", "-"
    lines[3] = ",".join(cells)
    df = ssdse_a.parse(_write(tmp_path, lines), vintage="2026")
    got = df[df["muni_code"] == "16201"].set_index("item_code")
    assert math.isnan(got.loc["A1101", "value"]) and got.loc["A1101", "value_note"] == "suppressed"
    assert got.loc["A110101", "value"] == 123 and pd.isna(got.loc["A110101", "value_note"])
    assert got.loc["A110102", "value_note"] == "nil"


def test__parse__unreadable_cell_names_row_and_column(tmp_path, a2026):
    lines = _lines(a2026)
    cells = lines[4].split(",")
    cells[3] = "約40万"
    lines[4] = ",".join(cells)
    with pytest.raises(RawDataError, match=r"row 5.*column 'A1101'.*約40万"):
        ssdse_a.parse(_write(tmp_path, lines), vintage="2026")


def test__parse__moved_key_header_raises_layout_error(tmp_path, a2026):
    lines = _lines(a2026)
    lines[2] = lines[2].replace("地域コード,都道府県", "都道府県,地域コード", 1)
    with pytest.raises(LayoutError, match="row 3"):
        ssdse_a.parse(_write(tmp_path, lines), vintage="2026")


def test__key_variables__renamed_label_raises_layout_error(tmp_path, a2026):
    lines = _lines(a2026)
    lines[2] = lines[2].replace("従業者数（民営）（製造業）", "従業者数（製造業・民営）")
    items = ssdse_a.parse(_write(tmp_path, lines), vintage="2026")
    with pytest.raises(LayoutError, match="C220837"):
        ssdse_a.key_variables(items, vintage="2026")


def test__parse__utf8_bytes_raise_encoding_error(tmp_path, a2026):
    with pytest.raises(EncodingError, match="UTF-8"):
        ssdse_a.parse(_write(tmp_path, _lines(a2026), encoding="utf-8"), vintage="2026")


def test__parse__short_row_raises(tmp_path, a2026):
    lines = _lines(a2026)
    lines[5] = lines[5].rsplit(",", 10)[0]
    with pytest.raises(RawDataError, match="row 6"):
        ssdse_a.parse(_write(tmp_path, lines), vintage="2026")


def test__validate__excerpt_is_not_a_full_edition(a2026):
    with pytest.raises(RawDataError, match="1741 municipalities"):
        ssdse_a.validate(ssdse_a.parse(a2026, vintage="2026"), vintage="2026")


def test__manifest__truncated_file_is_refused(tmp_path, raw):
    from hokuriku import manifest

    good = raw("ssdse_a", "2026", "SSDSE-A-2026.csv")
    bad = tmp_path / "SSDSE-A-2026.csv"
    bad.write_bytes(good.read_bytes()[:-1000])
    with pytest.raises(ChecksumError, match="truncated"):
        manifest.verify(bad, manifest.load("ssdse_a", "2026").entry("SSDSE-A-2026.csv"))


@pytest.mark.parametrize("vintage", ["2018", "2022", "2026"])
def test__load__full_editions(raw, vintage):
    raw("ssdse_a", vintage, f"SSDSE-A-{vintage}.csv")
    k = ssdse_a.load_key_variables(vintage)
    assert k["muni_code"].nunique() == 1741
    assert k["muni_code"].str.fullmatch(r"\d{5}").all()
