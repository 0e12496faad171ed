"""juki: the publisher's xlsx layout (市区町村別【総計】) on a workbook built here, and bad input.

The workbook is written with openpyxl in the official layout (title, 和暦/西暦 rows, two label rows, the
団体コード/units row, 合計, 47 prefectures with one city each, 富山県 with a 郡 and two towns, 注 line) from
numbers that satisfy every identity; each test then breaks one thing.
"""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hokuriku.codes.municipalities import check_digit
from hokuriku.errors import LayoutError, RawDataError
from hokuriku.sources import _parse, juki

SHEET = "人口、世帯数、人口動態（市区町村別）【総計】"
TITLE = "令和7年1月1日住民基本台帳人口・世帯数、令和6年（1月1日から同年12月31日まで）人口動態（市区町村別）（総計）"
NAME = "soumu_juki_R7_2025-01-01_municipality.xlsx"
STOCKS = {"population_male_persons", "population_female_persons", "population_persons", "households_count"}


def _values(k: int) -> dict[str, float]:
    """A consistent row of every value column (identities hold), scaled by ``k``."""
    v = {"population_male_persons": 48 * k, "population_female_persons": 52 * k, "households_count": 40 * k,
         "in_domestic_persons": 5 * k, "in_abroad_persons": k, "births_persons": 2 * k, "in_other_persons": k,
         "out_domestic_persons": 4 * k, "out_abroad_persons": k, "deaths_persons": 3 * k, "out_other_persons": k}
    v["population_persons"] = v["population_male_persons"] + v["population_female_persons"]
    v["in_total_persons"] = v["in_domestic_persons"] + v["in_abroad_persons"]
    v["recorded_total_persons"] = v["in_total_persons"] + v["births_persons"] + v["in_other_persons"]
    v["out_total_persons"] = v["out_domestic_persons"] + v["out_abroad_persons"]
    v["removed_total_persons"] = v["out_total_persons"] + v["deaths_persons"] + v["out_other_persons"]
    v["change_persons"] = v["recorded_total_persons"] - v["removed_total_persons"]
    v["natural_change_persons"] = v["births_persons"] - v["deaths_persons"]
    v["social_change_persons"] = (v["in_total_persons"] + v["in_other_persons"]
                                  - v["out_total_persons"] - v["out_other_persons"])
    v["change_rate_pct"] = v["natural_change_rate_pct"] = v["social_change_rate_pct"] = 0.1
    return v


def _code6(code5: str) -> str:
    return code5 + check_digit(code5)


def _rows() -> list[list[object]]:
    cols = _parse.load_layout("juki", "columns")
    vals = cols[cols["kind"] != "key"]
    header = [[TITLE], [None] * 3, [None] * 3, [None] * 3, [None] * 3, ["団体コード", "都道府県名", "市区町村名"]]
    for role, group, item, unit in vals[["role", "group", "item", "unit"]].itertuples(index=False):
        stock = role in STOCKS
        header[1].append("令和7年" if stock else "令和6年")
        header[2].append("2025年" if stock else "2024年")
        header[3].append(group)
        header[4].append(item)
        header[5].append(unit)
    roles = list(vals["role"])

    def line(code, pref, name, k):
        v = _values(k)
        return [code, pref, name, *(v[r] for r in roles)]

    body = []
    for p in range(1, 48):
        pc = f"{p:02d}"
        pref = {16: "富山県", 17: "石川県", 18: "福井県"}.get(p, f"県{pc}")
        if p == 16:
            body += [line(_code6("16000"), pref, "-", 6), line(_code6("16201"), pref, "富山市", 3),
                     line(_code6("16320"), pref, "中新川郡", 3), line(_code6("16321"), pref, "中新川郡舟橋村", 1),
                     line(_code6("16322"), pref, "中新川郡上市町", 2)]
        else:
            body += [line(_code6(f"{pc}000"), pref, "-", 2), line(_code6(f"{pc}201"), pref, f"第{pc}市", 2)]
    total = line("-", "合計", "-", 2 * 46 + 6)
    notes = [["注1：増減率、自然増減率及び社会増減率内の「-」は、「皆増」を示す"]]
    return header + [total] + body + notes


def _write(path, rows, sheet=SHEET):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _find(rows, name):
    """Index of the row of municipality ``name``, or of prefecture ``name`` (市区町村名 '-')."""
    return next(i for i, r in enumerate(rows)
                if len(r) > 2 and (r[2] == name or (r[1] == name and r[2] == "-")))


@pytest.fixture
def rows():
    return _rows()


@pytest.fixture
def good(tmp_path, rows):
    return _write(tmp_path / NAME, rows)


def test__parse__levels_values_and_flow_year(good):
    df = juki.validate(juki.parse(good, vintage="2025-01-01")).set_index("area_name_ja")
    assert df.loc["富山市", ["muni_code6", "muni_code", "pref_code", "area_level"]].tolist() == [
        "162019", "16201", "16", "municipality"]
    assert df.loc["中新川郡", "area_level"] == "gun"
    assert df.loc["合計", ["area_level", "pref_code", "population_persons"]].tolist() == ["national", "00", 9_800]
    toyama = df.loc["富山県", ["households_count", "social_change_persons", "natural_change_persons"]]
    assert toyama.tolist() == [240, 6, -6]
    assert (df["flow_year"] == 2024).all() and str(df["ref_date"].iloc[0].date()) == "2025-01-01"
    assert df["value_note"].isna().all()


def test__tables__population_households_flows(good, monkeypatch):
    parsed = juki.validate(juki.parse(good, vintage="2025-01-01"))
    monkeypatch.setattr(juki, "load", lambda vintage="latest": parsed.copy())
    # the builders themselves (the coverage wrapper would refuse this small excerpt: 98 of 2,274 rows)
    pop, hh, flows = (juki.TABLES[t].__wrapped__("2025-01-01") for t in ("population", "households", "flows"))
    assert {"population_male_persons", "population_female_persons", "population_persons"} <= set(pop.columns)
    assert "households_count" in hh and "flow_year" in flows and "ref_date" not in flows
    assert {"in_domestic_persons", "out_abroad_persons", "natural_change_persons",
            "social_change_rate_pct"} <= set(flows)
    assert len(pop) == len(hh) == len(flows) == len(parsed)


def test__parse__header_shifted_down_still_reads(tmp_path, rows):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shifted = juki.parse(_write(tmp_path / "a" / NAME, [rows[0], [None], *rows[1:]]), vintage="2025-01-01")
    plain = juki.parse(_write(tmp_path / "b" / NAME, rows), vintage="2025-01-01")
    assert shifted["file_row"].iloc[0] == plain["file_row"].iloc[0] + 1
    pd.testing.assert_frame_equal(shifted.drop(columns="file_row"), plain.drop(columns="file_row"))


def test__parse__header_moved_right_is_a_layout_error(tmp_path, rows):
    moved = [rows[0]] + [[None, *r] for r in rows[1:]]
    with pytest.raises(LayoutError, match=rf"{NAME}, sheet '{SHEET}'.*団体コード"):
        juki.parse(_write(tmp_path / NAME, moved), vintage="2025-01-01")


def test__parse__relabelled_column_is_a_layout_error_naming_it(tmp_path, rows):
    rows[4][rows[4].index("出生者数")] = "出生数"
    with pytest.raises(LayoutError, match=r"row 5, column 'K'.*出生数"):
        juki.parse(_write(tmp_path / NAME, rows), vintage="2025-01-01")


def test__parse__renamed_sheet_is_a_layout_error(tmp_path, rows):
    with pytest.raises(LayoutError, match=rf"sheet '{SHEET}'.*Sheet1"):
        juki.parse(_write(tmp_path / NAME, rows, sheet="Sheet1"), vintage="2025-01-01")


def test__parse__truncated_bytes_are_refused(tmp_path, good):
    cut = tmp_path / "cut" / NAME
    cut.parent.mkdir()
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(RawDataError, match="readable xlsx workbook"):
        juki.parse(cut, vintage="2025-01-01")


def test__parse__rows_cut_before_the_note_are_refused(tmp_path, rows):
    with pytest.raises(RawDataError, match="closing 注 line.*truncated"):
        juki.parse(_write(tmp_path / NAME, rows[:-20]), vintage="2025-01-01")


@pytest.mark.parametrize("symbol", ["***", "X", None])
def test__parse__symbol_where_a_number_should_be(tmp_path, rows, symbol):
    i = _find(rows, "富山市")
    rows[i][5] = symbol  # 人口 計 (column F)
    with pytest.raises(RawDataError, match=rf"sheet '{SHEET}', row {i + 1}, column 'F \(人口/計\)'"):
        juki.parse(_write(tmp_path / NAME, rows), vintage="2025-01-01")


def test__parse__title_of_another_date(tmp_path, rows):
    with pytest.raises(LayoutError, match="2024-01-01"):
        juki.parse(_write(tmp_path / NAME, rows), vintage="2024-01-01")


def test__validate__duplicated_prefecture_row(tmp_path, rows):
    i = _find(rows, "石川県")
    rows.insert(i + 2, list(rows[i]))
    df = juki.parse(_write(tmp_path / NAME, rows), vintage="2025-01-01")
    with pytest.raises(RawDataError, match=rf"row {i + 3}, column '団体コード'.*one row per prefecture.*石川県"):
        juki.validate(df)


def test__validate__missing_prefecture_row(tmp_path, rows):
    i = _find(rows, "福井県")
    del rows[i : i + 2]
    df = juki.parse(_write(tmp_path / NAME, rows), vintage="2025-01-01")
    with pytest.raises(RawDataError, match=r"47 prefecture rows.*missing \['18'\]"):
        juki.validate(df)


def test__validate__municipalities_must_sum_to_their_prefecture(tmp_path, rows):
    i = _find(rows, "中新川郡上市町")
    rows[i][6] += 1  # 世帯数 of a town: its 郡 and 富山県 no longer add up
    df = juki.parse(_write(tmp_path / NAME, rows), vintage="2025-01-01")
    with pytest.raises(RawDataError, match=r"column 'households_count'.*富山県 = Σ its municipalities"):
        juki.validate(df)


def test__validate__identity_natural_change(tmp_path, rows):
    i = _find(rows, "第47市")
    cols = _parse.load_layout("juki", "columns")
    j = 3 + list(cols[cols["kind"] != "key"]["role"]).index("natural_change_persons")
    rows[i][j] += 1
    df = pd.DataFrame(juki.parse(_write(tmp_path / NAME, rows), vintage="2025-01-01"))
    with pytest.raises(RawDataError, match=rf"row {i + 1}, column 'natural_change_persons'"):
        juki._check_identities(df)


def test__parse__tokubetsu_kubu_subtotal_is_an_aggregate_never_summed(tmp_path, rows):
    """東京都 特別区部 (13100) when printed: level ``aggregate``, left out of every sum; 特別区 are municipalities."""
    i = _find(rows, "県13")
    rows[i][1] = rows[i + 1][1] = "東京都"
    rows[i + 1][:3] = [_code6("13101"), "東京都", "千代田区"]
    rows.insert(i + 1, [_code6("13100"), "東京都", "特別区部", *rows[i + 1][3:]])
    df = juki.validate(juki.parse(_write(tmp_path / NAME, rows), vintage="2025-01-01")).set_index("area_name_ja")
    assert df.loc["特別区部", "area_level"] == "aggregate"
    assert df.loc["千代田区", "area_level"] == "municipality"


def _prefecture_sheet(rows):
    """The 都道府県別 sheet of the same numbers: no 市区町村名 column, 合計 and prefecture rows only."""
    title = [rows[0][0].replace("市区町村別", "都道府県別")]
    head = [r[:2] + r[3:] for r in rows[1:6]]
    body = [r[:2] + r[3:] for r in rows[6:-1] if r[2] == "-"]
    return [title, *head, *body, rows[-1]]


def test__prefecture_sheet__parsed_and_cross_checked_against_the_municipal_sheet(tmp_path, rows):
    muni = juki.validate(juki.parse(_write(tmp_path / NAME, rows), vintage="2025-01-01"))
    pref_rows = _prefecture_sheet(rows)
    name = NAME.replace("municipality", "prefecture")
    pref = juki.validate(juki.parse(_write(tmp_path / name, pref_rows, sheet=SHEET.replace("市区町村別", "都道府県別")),
                                    vintage="2025-01-01"))
    assert len(pref) == 48 and set(pref["area_level"]) == {"national", "prefecture"}
    juki._cross_check(muni, pref)
    i = next(k for k, r in enumerate(pref_rows) if len(r) > 1 and r[1] == "福井県")
    pref_rows[i][2] += 1  # 人口 男 and 計 of 福井県: a prefecture sheet that disagrees with the municipal one
    pref_rows[i][4] += 1
    bad = juki.parse(_write(tmp_path / name, pref_rows, sheet=SHEET.replace("市区町村別", "都道府県別")),
                     vintage="2025-01-01")
    with pytest.raises(RawDataError, match=rf"{name}.*row {i + 1}.*as in the 市区町村別 sheet"):
        juki._cross_check(muni, bad)


def test__validate__gun_row_must_equal_the_sum_of_its_towns(tmp_path, rows):
    i = _find(rows, "中新川郡")
    rows[i][6] += 1  # 世帯数 of the 郡 row only (郡 rows are in no prefecture sum)
    df = juki.parse(_write(tmp_path / NAME, rows), vintage="2025-01-01")
    with pytest.raises(RawDataError, match=rf"row {i + 1}, column 'households_count'.*"
                                           r"中新川郡 = Σ its 2 wards/municipalities 120, found '121'"):
        juki.validate(df)


def test__validate__gun_row_without_towns_after_it_is_refused(tmp_path, rows):
    i = _find(rows, "中新川郡上市町")
    rows.insert(i + 1, [_code6("16340"), "富山県", "下新川郡", *([0] * (len(rows[i]) - 3))])
    df = juki.parse(_write(tmp_path / NAME, rows), vintage="2025-01-01")
    assert df.set_index("area_name_ja").at["下新川郡", "area_level"] == "gun"
    with pytest.raises(RawDataError, match=rf"row {i + 2}.*the wards or municipalities of 下新川郡 after its row"):
        juki.validate(df)


def test__parse__a_fraction_in_a_count_is_refused_naming_its_row(tmp_path, rows):
    i = _find(rows, "第47市")
    rows[i][6] += 0.5  # 世帯数
    with pytest.raises(RawDataError, match=rf"row {i + 1}, column 'G \(世帯数/世帯数\)'.*a whole number"):
        juki.parse(_write(tmp_path / NAME, rows), vintage="2025-01-01")


def test__validate__male_plus_female_above_total_is_refused(tmp_path, rows):
    df = juki.parse(_write(tmp_path / NAME, rows), vintage="2025-01-01")
    k = int(df.index[df["area_name_ja"] == "第20市"][0])
    df.loc[k, "population_male_persons"] += 1
    with pytest.raises(RawDataError, match=rf"row {df.at[k, 'file_row']}, column 'population_persons'.*男 \+ 女 ≤ 計"):
        juki._check_identities(df)


def test__parse__value_cells_read_at_once_equal_column_by_column(tmp_path, rows, monkeypatch):
    """The symbols of every value column read by one to_numeric call give the frame the column-by-column
    reading gives (the path taken when a cell is unreadable)."""
    i = _find(rows, "富山市")
    rows[i][-1] = "-"  # a 皆増 rate
    path = _write(tmp_path / NAME, rows)
    at_once = juki.parse(path, vintage="2025-01-01")
    assert at_once["value_note"].notna().sum() == 1
    monkeypatch.setattr(juki, "_parse_others", lambda *args, **kwargs: None)
    pd.testing.assert_frame_equal(at_once, juki.parse(path, vintage="2025-01-01"), check_exact=True)


def _member_groups_row_by_row(levels: list[str]) -> tuple[list[int], list[int]]:
    """The reference of ``juki._member_groups``: the run rule applied row by row."""
    group, heads, head = [-1] * len(levels), [], None
    for k, level in enumerate(levels):
        if level in ("designated_city", "gun"):
            head = level
            heads.append(k)
        elif head is not None and ((head == "designated_city" and level == "ward")
                                   or (head == "gun" and level == "municipality")):
            group[k] = len(heads) - 1
        else:
            head = None
    return group, heads


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["national", "prefecture", "gun", "designated_city", "ward", "municipality",
                                 "aggregate"]), max_size=30))
def test__member_groups__as_the_row_by_row_rule(levels):
    group, heads = juki._member_groups(np.array(levels, dtype=object))
    assert (group.tolist(), heads) == _member_groups_row_by_row(levels)
