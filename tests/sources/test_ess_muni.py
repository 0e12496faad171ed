"""Source tests of hokuriku.sources.ess_muni (fixture: fixtures/ess_muni/README.md)."""

import numpy as np
import pytest

from hokuriku import manifest
from hokuriku.errors import ChecksumError, EncodingError, LayoutError, RawDataError
from hokuriku.sources import ess_muni

EXCERPT = "ess_muni/ess_2024_excerpt.csv"


@pytest.fixture
def excerpt(fixture_path):
    return ess_muni.parse(fixture_path(EXCERPT)).set_index("muni_code")


def test__parse__values_levels_and_scope(excerpt):
    assert excerpt.loc["16201", "shipments_jpy_oku"] == 15234.0
    assert excerpt.loc["16211", "area_level"] == "municipality"
    assert excerpt.loc["13101", "area_level"] == "municipality"  # 特別区 are municipalities
    assert excerpt.loc["34103", "area_level"] == "ward"
    assert set(excerpt["year"]) == {2024}
    assert set(excerpt["scope"]) == {"個人経営を除く全事業所（経済構造実態調査）"}
    assert excerpt.loc["16201", "value_note"] is None


def test__parse__blank_is_suppressed_and_zero_is_absent_not_a_zero(excerpt):
    assert np.isnan(excerpt.loc["01227", "shipments_jpy_oku"])
    assert excerpt.loc["01227", "value_note"] == "suppressed"
    assert np.isnan(excerpt.loc["01404", "shipments_jpy_oku"])
    assert excerpt.loc["01404", "value_note"] == "absent_from_table"
    assert not (excerpt["shipments_jpy_oku"] == 0).any()


def test__parse__wards_summed_to_designated_city(excerpt):
    hiroshima = excerpt.loc["34100"]
    assert hiroshima["area_level"] == "designated_city"
    assert hiroshima["n_wards"] == 8 and hiroshima["n_wards_suppressed"] == 0
    assert hiroshima["shipments_jpy_oku"] == pytest.approx(33773.3)
    hamamatsu = excerpt.loc["22130"]  # 2024 wards 22138–22140 belong to 浜松市
    assert hamamatsu["n_wards"] == 3
    assert hamamatsu["shipments_jpy_oku"] == pytest.approx(13712 + 8725 + 718.4)


def test__parse__suppressed_ward_makes_city_nan_with_count(fixture_path, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(fixture_path(EXCERPT).read_text(encoding="utf-8").replace("34102,185.5", "34102,"),
                    encoding="utf-8")
    city = ess_muni.parse(path).set_index("muni_code").loc["34100"]
    assert np.isnan(city["shipments_jpy_oku"])
    assert city["value_note"] == "wards_missing"
    assert (city["n_wards_suppressed"], city["n_wards_absent"]) == (1, 0)
    assert city["shipments_wards_published_jpy_oku"] == pytest.approx(33773.3 - 185.5)


def test__parse__bad_inputs(fixture_path, tmp_path):
    text = fixture_path(EXCERPT).read_text(encoding="utf-8")
    cases = {
        "renamed.csv": (text.replace("mfg_shipments_2024_oku_yen", "shipments", 1), LayoutError,
                        "header 'mfg_shipments_2024_oku_yen'"),
        "x.csv": (text.replace("16211,6573.4", "16211,X"), RawDataError,
                  "row 7, column 'mfg_shipments_2024_oku_yen'.*found 'X'"),
        "stars.csv": (text.replace("16211,6573.4", "16211,***"), RawDataError, "row 7.*found '\\*\\*\\*'"),
        "code.csv": (text.replace("16201,", "1620,"), RawDataError, "row 6, column 'code5'"),
        "pref.csv": (text.replace("16201,", "16000,"), RawDataError, "no prefecture"),
        "dup.csv": (text + "16201,1\n", RawDataError, "one row per municipal code.*16201"),
        "cut.csv": (text[:-6] + "\n1,2,3\n", RawDataError, "2 fields per row"),
        "empty.csv": ("code5,mfg_shipments_2024_oku_yen\n", RawDataError, "at least one data row"),
    }
    for name, (content, error, match) in cases.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        with pytest.raises(error, match=match):
            ess_muni.parse(path)
    sjis = tmp_path / "sjis.csv"
    sjis.write_bytes(text.replace("code5", "コード", 1).encode("cp932"))
    with pytest.raises(EncodingError):
        ess_muni.parse(sjis)


def test__manifest__citation_names_publisher_only_and_copy_is_refused(fixture_path):
    m = manifest.load("ess_muni", "2024")
    assert m.source_line() == "総務省・経済産業省「2025年経済構造実態調査 製造業事業所調査（2024年実績）」"
    assert "github" not in m.source_line().lower()
    assert "statInfId=000040480531" in m.url_main
    with pytest.raises(ChecksumError):
        manifest.verify(fixture_path(EXCERPT), m.entry(ess_muni.FILENAME))
