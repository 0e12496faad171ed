"""Source tests of hokuriku.sources.kogyo_tokei (fixtures: fixtures/kogyo_tokei/README.md)."""

import numpy as np
import pytest

from hokuriku import manifest
from hokuriku.errors import ChecksumError, EncodingError, LayoutError, RawDataError
from hokuriku.sources import kogyo_tokei

X2019 = "kogyo_tokei/manufacturing_2019_excerpt.csv"
X2016 = "kogyo_tokei/manufacturing_2016_excerpt.csv"


def test__parse__2019_values_and_flags(fixture_path):
    df = kogyo_tokei.parse(fixture_path(X2019), vintage="2019")
    got = df.set_index(["pref_code", "industry_key"])
    assert got.loc[("16", "chemicals"), "shipments_jpy_million"] == 777711
    assert got.loc[("16", "chemicals"), "pref_name_ja"] == "富山県"
    assert got.loc[("16", "chemicals"), "industry_code_jsic"] == "16"
    assert got.loc[("16", "chemicals"), "shipments_jpy_million_note"] is None
    suppressed = got.loc[("18", "rubber")]
    assert np.isnan(suppressed["shipments_jpy_million"])
    assert suppressed["shipments_jpy_million_note"] == "suppressed"
    assert suppressed["establishments"] == 5  # counts are published even when money is suppressed
    absent = got.loc[("02", "leather")]
    assert np.isnan(absent["establishments"])
    assert absent["establishments_note"] == "nil"
    assert (df["year"] == 2019).all()
    assert (df["jsic_revision"] == "13").all()


def test__parse__2016_nil_or_na_flag(fixture_path):
    df = kogyo_tokei.parse(fixture_path(X2016), vintage="2016").set_index(["pref_code", "industry_key"])
    assert df.loc[("16", "chemicals"), "shipments_jpy_million"] == 724494
    assert df.loc[("24", "leather"), "employees_note"] == "nil"


def test__parse__flag_of_another_vintage_is_refused(fixture_path, tmp_path):
    # absent_from_source is the 2019 spelling; a 2016 file using it means the layout changed.
    bad = tmp_path / "bad.csv"
    bad.write_text(fixture_path(X2016).read_text(encoding="utf-8").replace("nil_or_na", "absent_from_source"),
                   encoding="utf-8")
    with pytest.raises(RawDataError, match="row 4, column 'establishments_flag'.*a flag in"):
        kogyo_tokei.parse(bad, vintage="2016")


def test__parse__value_with_suppressed_flag_is_refused(fixture_path, tmp_path):
    text = fixture_path(X2019).read_text(encoding="utf-8").replace("5.0,ok,189.0,ok,,suppressed",
                                                                     "5.0,ok,189.0,ok,0,suppressed")
    bad = tmp_path / "bad.csv"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(RawDataError, match="row 6, column 'shipments'"):
        kogyo_tokei.parse(bad, vintage="2019")


def test__parse__renamed_header_and_symbols(fixture_path, tmp_path):
    text = fixture_path(X2019).read_text(encoding="utf-8")
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(text.replace("shipments_flag", "shipment_flag", 1), encoding="utf-8")
    with pytest.raises(LayoutError, match="header 'shipments_flag'"):
        kogyo_tokei.parse(renamed, vintage="2019")
    garbage = tmp_path / "garbage.csv"
    garbage.write_text(text.replace("777711.0", "77万", 1), encoding="utf-8")
    with pytest.raises(RawDataError, match="row 2, column 'shipments'.*77万"):
        kogyo_tokei.parse(garbage, vintage="2019")


def test__parse__wrong_prefecture_name_or_code(fixture_path, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(fixture_path(X2019).read_text(encoding="utf-8").replace("2019,16,富山", "2019,16,石川", 1),
                   encoding="utf-8")
    with pytest.raises(RawDataError, match="prefecture_code 01–47 matching prefecture_name"):
        kogyo_tokei.parse(bad, vintage="2019")


def test__parse__encoding_and_truncation(fixture_path, tmp_path):
    text = fixture_path(X2019).read_text(encoding="utf-8")
    sjis = tmp_path / "sjis.csv"
    sjis.write_bytes(text.encode("cp932"))
    with pytest.raises(EncodingError, match="UTF-8"):
        kogyo_tokei.parse(sjis, vintage="2019")
    cut = tmp_path / "cut.csv"
    cut.write_text(text[:-40], encoding="utf-8")
    with pytest.raises(RawDataError, match="17 fields per row"):
        kogyo_tokei.parse(cut, vintage="2019")


def test__manifest__altered_copy_is_refused(fixture_path):
    entry = manifest.load("kogyo_tokei", "2019").entry("manufacturing_2019_table3-01.csv")
    with pytest.raises(ChecksumError, match="truncated"):
        manifest.verify(fixture_path(X2019), entry)


def test__load__full_table(raw):
    raw("kogyo_tokei", "2019", "manufacturing_2019_table3-01.csv")
    df = kogyo_tokei.load("2019")
    assert len(df) == 47 * 24
    assert df["industry_key"].nunique() == 24
