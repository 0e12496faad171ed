"""Source tests of hokuriku.sources.rieti_manu on tiny Stata fixtures (see fixtures/rieti_manu/README.md)."""

import io

import numpy as np
import pandas as pd
import pytest

from hokuriku import manifest
from hokuriku.errors import ChecksumError, InputError, LayoutError, RawDataError
from hokuriku.sources import rieti_manu


@pytest.fixture
def dta(fixture_path):
    return lambda year: fixture_path(f"rieti_manu/DTA_meti_manu{year}.dta")


def test__parse__2001_text_layout_with_symbols(dta):
    df = rieti_manu.parse(dta(2001))
    assert df["jsic_revision"].unique().tolist() == ["10"]
    pref = df[df["area_level"] == "prefecture"].iloc[0]
    assert (pref["muni_code"], pref["pref_code"], pref["muni_name_ja"]) == ("03000", "03", "岩手県")
    kitakami = df[df["muni_code"] == "03206"].set_index("industry_key")
    assert kitakami.loc["total", "shipments_jpy_10k"] == 30198736
    assert kitakami.loc["textiles_excl_apparel", "industry_code_jsic"] == "14"
    for key in ("petroleum_coal", "nonferrous_metals"):  # X and χ
        assert np.isnan(kitakami.loc[key, "shipments_jpy_10k"])
        assert kitakami.loc[key, "is_suppressed"]
        assert "shipments_jpy_10k=suppressed" in kitakami.loc[key, "value_note"]
        assert "capital_jpy_10k=nil" in kitakami.loc[key, "value_note"]  # "-" and full-width "－"
    assert kitakami.loc["food", "value_note"] is None
    assert kitakami["muni_name_ja"].unique().tolist() == ["北上市"]  # full-width space removed


def test__parse__2012_numeric_layout_plain_prefecture_ids(dta):
    df = rieti_manu.parse(dta(2012))
    assert df.loc[df["area_level"] == "prefecture", "muni_code"].tolist() == ["03000"]
    kitakami = df[df["muni_code"] == "03206"].set_index("industry_key")
    assert kitakami.loc["electronic_parts", "industry_name_ja"] == "電子部品・デバイス・電子回路製造業"
    assert kitakami.loc["electronic_parts", "industry_code_jsic"] == "28"
    assert kitakami.loc["beverages_tobacco_feed", "is_suppressed"]
    assert kitakami.loc["beverages_tobacco_feed", "establishments"] == 1
    assert kitakami.loc["total", "jsic_revision"] == "12"
    assert df["muni_code"].str.len().eq(5).all()


def test__parse_cao__long_table(fixture_path):
    df = rieti_manu.parse_cao(fixture_path("rieti_manu/DTA_cao_manu.dta"))
    assert set(df["year"]) == set(range(1971, 2013))
    got = df.set_index(["muni_code", "year"])["shipments_jpy_million"]
    assert got[("22130", 2000)] == 2700706
    assert df.loc[df["shipments_jpy_million"].isna(), "value_note"].eq("not_available").all()


def test__parse__renamed_column_raises_layout_error(dta, tmp_path):
    df = pd.read_stata(dta(2012)).rename(columns={"sales": "shipments"})
    bad = tmp_path / "DTA_meti_manu2012.dta"
    df.to_stata(bad, write_index=False, version=118)
    with pytest.raises(LayoutError, match="header 'sales'"):
        rieti_manu.parse(bad)


def test__parse__unknown_symbol_names_row_and_column(dta, tmp_path):
    df = pd.read_stata(dta(2001))
    df.loc[2, "sales"] = "n/a"
    bad = tmp_path / "DTA_meti_manu2001.dta"
    df.to_stata(bad, write_index=False, version=118)
    with pytest.raises(RawDataError, match=r"row 3, column 'sales'.*'n/a'"):
        rieti_manu.parse(bad)


def test__parse__unmapped_industry_name_raises(dta, tmp_path):
    df = pd.read_stata(dta(2012))
    df.loc[3, "name_sec2d"] = "半導体製造業"
    bad = tmp_path / "DTA_meti_manu2012.dta"
    df.to_stata(bad, write_index=False, version=118)
    with pytest.raises(InputError, match="半導体製造業"):
        rieti_manu.parse(bad)


def test__parse__prefecture_id_scheme_must_match_layout(dta, tmp_path):
    df = pd.read_stata(dta(2012))
    bad = tmp_path / "DTA_meti_manu2005.dta"  # 2005 expects 1000…47000, the file has 3
    df.assign(year=np.int16(2005)).to_stata(bad, write_index=False, version=118)
    with pytest.raises(LayoutError, match="1000…47000"):
        rieti_manu.parse(bad)


def test__parse__truncated_file_raises(dta, tmp_path):
    bad = tmp_path / "DTA_meti_manu2012.dta"
    bad.write_bytes(dta(2012).read_bytes()[:3000])
    with pytest.raises(RawDataError, match="readable Stata"):
        rieti_manu.parse(bad)


def test__manifest__truncated_or_altered_copy_is_refused(tmp_path):
    entry = manifest.load("rieti_manu", "2012").entry("DTA_meti_manu2012.dta")
    short = tmp_path / "DTA_meti_manu2012.dta"
    short.write_bytes(b"\0" * 100)
    with pytest.raises(ChecksumError, match="truncated"):
        manifest.verify(short, entry)
    same_size = tmp_path / "same.dta"
    same_size.write_bytes(b"\0" * entry.bytes)
    with pytest.raises(ChecksumError, match="sha256"):
        manifest.verify(same_size, entry)


def test__load__all_years_keys_and_revisions(raw):
    raw("rieti_manu", "2012", "DTA_meti_manu2001.dta")
    df = rieti_manu.load(years=[2001, 2002, 2008])
    assert df.groupby("year")["jsic_revision"].unique().map(list).to_dict() == {2001: ["10"], 2002: ["11"],
                                                                                  2008: ["12"]}
    assert (df.groupby("year")["industry_key"].nunique() == [24, 25, 25]).all()  # 23/24 classes + total
    assert df.loc[df["area_level"] == "prefecture"].groupby("year").size().eq(47).all()
    assert not df.duplicated(["muni_code", "year", "industry_key"]).any()


def test__jsic_names__every_mapping_of_revisions_10_to_12_is_used(raw):
    """The name map is exact for Kondo's files: no unmapped name (load would raise) and no unused line."""
    from hokuriku.codes import industries

    raw("rieti_manu", "2012", "DTA_meti_manu2012.dta")
    df = rieti_manu.load()
    names = df[["jsic_revision", "industry_name_ja"]].drop_duplicates()
    assert industries.unused_mappings(names["industry_name_ja"], names["jsic_revision"]) == []
    assert sorted(df["year"].unique()) == list(range(2001, 2013))


def _pandas_frame(data: bytes) -> pd.DataFrame:
    return pd.read_stata(io.BytesIO(data), convert_categoricals=False)


def test__stata_reader__same_frame_as_pandas_on_every_mirror_file(raw, dta, fixture_path):
    """The reader that decodes each distinct string once gives ``pd.read_stata``'s frame, cell for cell."""
    files = [raw("rieti_manu", "2012", e.path) for e in manifest.load("rieti_manu", "2012").files
             if e.path.endswith(".dta")]
    assert len(files) == 13
    for path in [*files, dta(2001), dta(2012), fixture_path("rieti_manu/DTA_cao_manu.dta")]:
        data = path.read_bytes()
        pd.testing.assert_frame_equal(rieti_manu._stata_frame(data), _pandas_frame(data), check_exact=True)


def test__stata_reader__bytes_after_the_nul_and_latin1_fallback_as_pandas(tmp_path):
    """Stata leaves stale bytes after a string's NUL (Kondo's files do); a non-UTF-8 string falls back to latin-1."""
    df = pd.DataFrame({"id_muni": np.array([3206, 3207, 3208], dtype="int32"),
                       "name_muni": ["北上市", "a much longer municipal name", "北上市"],
                       "sales": [1.0, np.nan, 3.0]})
    path = tmp_path / "t.dta"
    df.to_stata(path, write_index=False, version=118)
    data = bytearray(path.read_bytes())
    first = data.index("北上市".encode() + b"\x00")
    second = data.index("北上市".encode() + b"\x00", first + 1)
    data[first + 10:first + 13] = b"zz\x01"  # stale bytes after the NUL: still 北上市
    data[second:second + 3] = b"\xff\xfeA"  # not UTF-8
    data = bytes(data)
    with pytest.warns(UnicodeWarning):
        expected = _pandas_frame(data)
    with pytest.warns(UnicodeWarning):
        got = rieti_manu._stata_frame(data)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert got["name_muni"].tolist()[0] == "北上市"


def test__parse_cao__duplicated_municipality_raises(fixture_path, tmp_path):
    df = pd.read_stata(fixture_path("rieti_manu/DTA_cao_manu.dta"), convert_categoricals=False)
    bad = tmp_path / "DTA_cao_manu.dta"
    pd.concat([df, df.iloc[[0]]], ignore_index=True).to_stata(bad, write_index=False, version=118)
    with pytest.raises(RawDataError, match="one row per municipality"):
        rieti_manu.parse_cao(bad)


def test__validate__duplicate_key_and_missing_total_raise(dta):
    df = rieti_manu.parse(dta(2012))
    rieti_manu.validate(df)
    with pytest.raises(RawDataError, match="duplicate"):
        rieti_manu.validate(pd.concat([df, df.iloc[[5]]], ignore_index=True))
    no_total = df.drop(index=df.index[(df["muni_code"] == "03206") & (df["industry_key"] == "total")])
    with pytest.raises(RawDataError, match="製造業計"):
        rieti_manu.validate(no_total)
