"""SSDSE-B parser: excerpt, time basis per item, bad inputs, full file via ``raw``."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from hokuriku.errors import EncodingError, LayoutError, RawDataError
from hokuriku.sources import ssdse_b


@pytest.fixture
def b2025(fixture_path):
    return fixture_path("ssdse_b/SSDSE-B-2025_excerpt.csv")


def _lines(path):
    return path.read_bytes().decode("cp932").splitlines()


def _write(tmp_path, lines, encoding="cp932"):
    p = tmp_path / "SSDSE-B-2025.csv"
    p.write_bytes("\r\n".join(lines).encode(encoding))
    return p


def test__parse__time_basis_fills_year_or_fiscal_year(b2025):
    df = ssdse_b.parse(b2025, vintage="2025")
    pop = df[(df["item_code"] == "A1101") & (df["pref_code"] == "16") & (df["year"] == 2022)].iloc[0]
    assert pop["value"] == 1017000 and pop["ref_date"] == "2022-10-01" and pd.isna(pop["fiscal_year"])
    jobs = df[(df["item_code"] == "F3101") & (df["pref_code"] == "16")]
    assert jobs["year"].isna().all() and set(jobs["fiscal_year"]) == {2021, 2022}
    births = df[df["item_code"] == "A4101"]
    assert births["ref_date"].isna().all() and births["year"].notna().all()


def test__key_variables__canonical_columns(b2025):
    k = ssdse_b.key_variables(ssdse_b.parse(b2025, vintage="2025")).set_index(["pref_code", "year"])
    assert k.loc[("18", 2022), "total_fertility_rate"] == 1.50
    assert k.loc[("17", 2022), "population_persons"] == 1118000
    assert {"population_0_14_persons", "in_migrants_persons", "out_migrants_persons", "deaths_persons"} <= set(k.columns)


def test__parse__symbols_become_nan_with_reason(tmp_path, b2025):
    lines = _lines(b2025)
    cells = lines[2].split(",")
    cells[3], cells[24] = "…", "△５"
    lines[2] = ",".join(cells)
    df = ssdse_b.parse(_write(tmp_path, lines), vintage="2025")
    first = df[(df["pref_code"] == cells[1][1:3]) & (df["year"] == int(cells[0]))].set_index("item_code")
    assert math.isnan(first.loc["A1101", "value"]) and first.loc["A1101", "value_note"] == "not_available"
    assert first.loc[lines[0].split(",")[24], "value"] == -5
    k = ssdse_b.key_variables(df)
    assert k["value_note"].dropna().str.contains("population_persons:not_available").any()


def test__parse__renamed_label_raises(tmp_path, b2025):
    lines = _lines(b2025)
    lines[1] = lines[1].replace("合計特殊出生率", "出生率")
    with pytest.raises(LayoutError, match="A4103"):
        ssdse_b.parse(_write(tmp_path, lines), vintage="2025")


def test__parse__unknown_item_code_raises(tmp_path, b2025):
    lines = _lines(b2025)
    lines[0] = lines[0].replace("A4103", "A4199")
    with pytest.raises(LayoutError, match="A4199"):
        ssdse_b.parse(_write(tmp_path, lines), vintage="2025")


def test__parse__bad_year_cell_raises(tmp_path, b2025):
    lines = _lines(b2025)
    lines[3] = "令和4" + lines[3][4:]
    with pytest.raises(RawDataError, match="row 4.*年度"):
        ssdse_b.parse(_write(tmp_path, lines), vintage="2025")


def test__parse__utf8_raises_encoding_error(tmp_path, b2025):
    with pytest.raises(EncodingError):
        ssdse_b.parse(_write(tmp_path, _lines(b2025), encoding="utf-8"), vintage="2025")


def test__load__full_file(raw):
    raw("ssdse_b", "2025", "SSDSE-B-2025.csv")
    k = ssdse_b.load_key_variables()
    assert len(k) == 47 * 12 and k["year"].between(2011, 2022).all()
