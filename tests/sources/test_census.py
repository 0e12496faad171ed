"""census: e-Stat CSV excerpts of 表1-1-1, 表2-7-1 (2020) and 表00101 (1980), and bad input."""

from __future__ import annotations

import pandas as pd
import pytest

from hokuriku.errors import EncodingError, LayoutError, RawDataError
from hokuriku.sources import census


def _variant(tmp_path, src, old: str, new: str, name="x.csv"):
    text = src.read_bytes().decode("utf-8-sig")
    assert old in text
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + text.replace(old, new, 1).encode("utf-8"))
    return path


def test__parse__2020_by_sex(fixture_path):
    df = census.parse(fixture_path("census/table_1-1-1_excerpt.csv"), table_id="1-1-1")
    toyama = df[df["area_code"] == "16000"].set_index("sex")["population_persons"]
    assert toyama.to_dict() == {"total": 1_034_814, "male": 502_637, "female": 532_177}
    assert df.loc[df["area_code"] == "00000", "area_level"].iloc[0] == "national"
    assert df.loc[df["area_code"] == "16201", "area_level"].iloc[0] == "municipality"
    assert str(df["ref_date"].iloc[0].date()) == "2020-10-01" and (df["year"] == 2020).all()


def test__parse__dash_is_nan_with_note_never_zero(fixture_path):
    df = census.parse(fixture_path("census/table_1-1-1_excerpt.csv"), table_id="1-1-1")
    futaba = df[df["area_code"] == "07546"]
    assert futaba["population_persons"].isna().all() and (futaba["value_note"] == "nil").all()


def test__parse__2020_age5_keeps_unknown_and_subtotals_distinguishable(fixture_path):
    df = census.parse(fixture_path("census/table_2-7-1_excerpt.csv"), table_id="2-7-1")
    toyama = df[(df["area_code"] == "16000") & (df["sex"] == "total")].set_index("age_class")
    assert toyama.loc["total", "population_persons"] == 1_034_814
    assert toyama.loc["unknown", ["age_kind", "population_persons"]].tolist() == ["unknown", 18_577]
    assert bool(toyama.loc["65+", "is_subtotal"]) and not bool(toyama.loc["65-69", "is_subtotal"])
    assert toyama.loc["100+", ["age_from", "age_kind"]].tolist() == [100, "open"]
    assert df.loc[df["area_code"] == "1620B", "area_level"].iloc[0] == "municipality_2000"
    census.validate_age(df)


def test__parse__1980_age5_triple_star_is_not_applicable(fixture_path):
    df = census.parse(fixture_path("census/table_00101_excerpt.csv"), table_id="00101")
    kita = df[(df["area_code"] == "01102") & (df["age_class"] == "100+")].iloc[0]
    assert pd.isna(kita["population_persons"]) and kita["value_note"] == "not_applicable"
    assert kita["area_level"] == "ward" and (df["sex"] == "total").all()
    assert df[(df["area_code"] == "16000") & (df["age_class"] == "total")]["population_persons"].iloc[0] == 1_103_459
    census.validate_age(df)


def test__validate_age__parts_not_adding_to_total_are_refused(fixture_path):
    df = census.parse(fixture_path("census/table_00101_excerpt.csv"), table_id="00101")
    df.loc[(df["area_code"] == "16201") & (df["age_class"] == "0-4"), "population_persons"] += 1
    with pytest.raises(RawDataError, match="16201"):
        census.validate_age(df)


def test__validate_population__male_plus_female_must_equal_total():
    df = pd.DataFrame({"area_code": ["16000"] * 3, "area_level": "prefecture", "sex": ["total", "male", "female"],
                       "population_persons": [10.0, 4.0, 5.0]})
    with pytest.raises(RawDataError, match="男 \\+ 女 = 総数"):
        census.validate_population(df)


def test__parse__full_width_digits_and_symbols(tmp_path, fixture_path):
    path = _variant(tmp_path, fixture_path("census/table_1-1-1_excerpt.csv"), '"502,637"', '"５０２，６３７"')
    path = _variant(tmp_path, path, '"532,177"', '"X"', name="y.csv")
    df = census.parse(path, table_id="1-1-1")
    toyama = df[df["area_code"] == "16000"].set_index("sex")
    assert toyama.loc["male", "population_persons"] == 502_637
    assert pd.isna(toyama.loc["female", "population_persons"]) and toyama.loc["female", "value_note"] == "suppressed"


def test__parse__renamed_age_header_is_a_layout_error_naming_it(tmp_path, fixture_path):
    path = _variant(tmp_path, fixture_path("census/table_2-7-1_excerpt.csv"), '"0～4歳"', '"0～4才"')
    with pytest.raises(LayoutError, match="0-4才"):
        census.parse(path, table_id="2-7-1")


def test__parse__renamed_area_header_is_a_layout_error(tmp_path, fixture_path):
    path = _variant(tmp_path, fixture_path("census/table_1-1-1_excerpt.csv"),
                    '"全国，都道府県，市区町村（2000年市区町村含む） コード"', '"地域 コード"')
    with pytest.raises(LayoutError, match="header row with"):
        census.parse(path, table_id="1-1-1")


def test__parse__wrong_table_number_is_a_layout_error(fixture_path):
    with pytest.raises(LayoutError, match="表番号 2-7-1"):
        census.parse(fixture_path("census/table_1-1-1_excerpt.csv"), table_id="2-7-1")


def test__parse__cp932_instead_of_utf8_bom_is_an_encoding_error(tmp_path, fixture_path):
    path = tmp_path / "x.csv"
    path.write_bytes(fixture_path("census/table_1-1-1_excerpt.csv").read_bytes().decode("utf-8-sig").encode("cp932"))
    with pytest.raises(EncodingError, match="UTF-8"):
        census.parse(path, table_id="1-1-1")


def test__parse__truncated_file_is_refused(tmp_path, fixture_path):
    path = tmp_path / "x.csv"
    path.write_bytes(fixture_path("census/table_2-7-1_excerpt.csv").read_bytes()[:-200])
    with pytest.raises(RawDataError, match="truncated"):
        census.parse(path, table_id="2-7-1")


def test__area_level__rules():
    cases = {("00000", "全国"): "national", ("16000", "富山県"): "prefecture", ("16001", "富山県市部"): "pref_part",
             ("14130", "川崎市"): "designated_city", ("14131", "川崎市川崎区"): "ward", ("13101", "千代田区"): "municipality",
             ("13100", "特別区部"): "special_wards_total", ("01300", "石狩支庁"): "subprefecture",
             ("1620B", "（旧：富山市）"): "municipality_2000", ("16201", "富山市"): "municipality"}
    assert {k: census.area_level(*k) for k in cases} == cases


@pytest.mark.parametrize(("name", "vintage", "table_id"), [
    ("table_1-1-1_excerpt.csv", "2020", "1-1-1"), ("table_2-7-1_excerpt.csv", "2020", "2-7-1"),
    ("table_00101_excerpt.csv", "1980", "00101")])
def test__parse__column_wise_read_equals_row_by_row(fixture_path, monkeypatch, name, vintage, table_id):
    """The Arrow body reader (_fast_read) and the csv.reader path give the same table."""
    path = fixture_path(f"census/{name}")
    fast = census.parse(path, vintage=vintage, table_id=table_id)
    monkeypatch.setattr(census, "_fast_read", lambda text, label: None)
    pd.testing.assert_frame_equal(fast, census.parse(path, vintage=vintage, table_id=table_id), check_exact=True)


def test__parse__body_wider_than_header_names_its_first_row(fixture_path, tmp_path):
    """Every body line one cell too wide (a grid the column-wise reader could read) is still refused."""
    lines = fixture_path("census/table_1-1-1_excerpt.csv").read_text(encoding="utf-8-sig").split("\n")
    h = next(i for i, line in enumerate(lines) if "コード" in line and "全国" in line)
    path = tmp_path / "wide.csv"
    path.write_text("\n".join(lines[: h + 1] + [f'{line},"9"' if line else line for line in lines[h + 1:]]),
                    encoding="utf-8-sig")
    with pytest.raises(RawDataError, match=rf"row {h + 2}: expected 8 cells"):
        census.parse(path, table_id="1-1-1")


@pytest.mark.parametrize("seed", range(30))
def test__sex_sums_hold__only_when_the_pivot_check_passes(seed):
    """The integer-code 男 + 女 = 総数 check never accepts what the pivot of validate_population refuses."""
    import numpy as np

    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 12))
    df = pd.DataFrame({"area_code": pd.array(rng.choice(["a", "b", "c"], n), dtype="str"),
                       "sex": pd.array(rng.choice(["male", "female", "total"], n), dtype="str"),
                       "population_persons": np.where(rng.random(n) < 0.3, np.nan, rng.integers(0, 4, n).astype(float))})
    if census._sex_sums_hold(df):
        wide = df.pivot_table(index="area_code", columns="sex", values="population_persons", aggfunc="sum")
        if {"male", "female"} <= set(wide.columns):
            assert (wide["male"] + wide["female"] - wide["total"]).fillna(0).eq(0).all()
