"""Issue #11 attacks on the loaders: strict cells, coverage, only project errors out of parse().

Each test reproduces one finding of the issue; on the code before the fix it failed (a wrong number
came through, or a raw Python error escaped).
"""

from __future__ import annotations

import io
import json
import math

import numpy as np
import pandas as pd
import pytest

from hokuriku import manifest
from hokuriku.errors import HokurikuError, LayoutError, RawDataError
from hokuriku.sources import (
    _parse,
    census,
    estat_api,
    gsi_menseki,
    ipss_projection,
    juki,
    kenmin_keizai_activity,
    rieti_manu,
    ssds_iwate,
    ssdse_b,
)

# --- 1. strict cells --------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["413938①", "²", "4139³8", "1e400", "-1e400", "inf", "nan", "Infinity", "12,34",
                                  "1,2345", ",123", "123,", "△-5", "▲+5", "--5", "+-5", "1 234", "1_000", True])
def test__parse_cell__refuses_what_used_to_become_a_wrong_number(cell):
    assert _parse.parse_cell(cell) is None


@pytest.mark.parametrize(("cell", "expected"), [("1,234", 1234.0), ("12,345.6", 12345.6), ("１２，３４５", 12345.0),
                                                ("△5", -5.0), ("▲ 1,234", -1234.0), ("−7", -7.0), ("1.5e3", 1500.0),
                                                (" 42 ", 42.0), ("+3", 3.0), (7, 7.0)])
def test__parse_cell__valid_numbers_unchanged(cell, expected):
    assert _parse.parse_cell(cell) == (expected, None)


@pytest.mark.parametrize(("cell", "reason"), [("X", "suppressed"), ("Ｘ", "suppressed"), ("-", "nil"), ("…", "not_available"),
                                              ("***", "not_applicable"), ("", "blank"), (None, "blank")])
def test__parse_cell__documented_symbols_are_nan_with_reason(cell, reason):
    value, why = _parse.parse_cell(cell)
    assert math.isnan(value) and why == reason


def test__to_numeric__refused_cell_names_file_row_and_column():
    with pytest.raises(RawDataError, match=r"file t\.csv, row 12, column 'pop'.*413938①"):
        _parse.to_numeric(pd.Series(["1", "413938①"]), file="t.csv", column="pop", row_numbers=[11, 12])


def test__to_numeric__infinite_float_cell_refused():
    with pytest.raises(RawDataError, match="column 'v'"):
        _parse.to_numeric(pd.Series([1.0, np.inf]), file="t.xlsx", column="v")


def test__to_numeric__vectorised_equals_per_cell_parse():
    """The fast path gives exactly what parse_cell gives, for plain and unusual cells mixed."""
    cells = ["1", "-2", "3.25", "0", "-0", "007", " 8", "9 ", "1,234", "△5", "X", "-", "", None, 1.5, 2, "１２",
             "1e3", "12345678901234567890", "0.1", "-.5", ".5", "5."] * 3
    values, reasons = _parse.to_numeric(pd.Series(cells, dtype="object"), file="f", column="c")
    for cell, v, r in zip(cells, values, reasons, strict=True):
        ev, er = _parse.parse_cell(cell)
        assert (v == ev or (math.isnan(v) and math.isnan(ev))) and r == er, cell
        assert math.copysign(1, v) == math.copysign(1, ev) or math.isnan(v)


def test__csv_rows__bare_cr_is_a_raw_data_error_naming_the_line():
    with pytest.raises(RawDataError, match=r"file x\.csv, row 2: expected well-formed CSV lines"):
        _parse.csv_rows("a,b\n1,2\r3\n", file="x.csv")


def test__read_csv_rows__bare_cr_in_census_file(tmp_path, fixture_path):
    src = fixture_path("census/table_1-1-1_excerpt.csv").read_bytes()
    bad = tmp_path / "t.csv"
    bad.write_bytes(src.replace(b'"413,938"', b'413\r938', 1) if b'"413,938"' in src else src + b"a\rb\n")
    with pytest.raises(RawDataError):
        census.parse(bad, table_id="1-1-1")


# --- 2. coverage: a missing, duplicated or extra row is a LayoutError -------------------------------------


def _patched_copy(monkeypatch, tmp_path, raw, source, vintage, name, edit):
    """Copy a verified raw file, apply ``edit(bytes) -> bytes`` and make the manifest resolve to the copy."""
    original = raw(source, vintage, name)
    copy = tmp_path / name
    copy.write_bytes(edit(original.read_bytes()))
    real = manifest.path

    def fake(s, v, n, **kw):
        return copy if (s, v, n) == (source, vintage, name) else real(s, v, n, **kw)

    monkeypatch.setattr(manifest, "path", fake)
    return copy


def _delete_line(pattern: bytes):
    def edit(data: bytes) -> bytes:
        lines = data.split(b"\n")
        k = next(i for i, line in enumerate(lines) if pattern in line)
        return b"\n".join(lines[:k] + lines[k + 1:])
    return edit


def _duplicate_line(pattern: bytes):
    def edit(data: bytes) -> bytes:
        lines = data.split(b"\n")
        k = next(i for i, line in enumerate(lines) if pattern in line)
        return b"\n".join(lines[: k + 1] + lines[k:])
    return edit


@pytest.mark.parametrize("edit", [_delete_line(b'"16201"'), _duplicate_line(b'"16201"')], ids=["deleted", "duplicated"])
def test__census_2020__municipality_row_deleted_or_duplicated_is_refused(monkeypatch, tmp_path, raw, edit):
    _patched_copy(monkeypatch, tmp_path, raw, "census", "2020", "population_census_2020.csv", edit)
    with pytest.raises(LayoutError):
        census.TABLES["population"]("2020")


@pytest.mark.parametrize("edit", [_delete_line("高岡市".encode()), _duplicate_line("高岡市".encode())],
                         ids=["deleted", "duplicated"])
def test__gsi_menseki__municipality_row_deleted_or_duplicated_is_refused(monkeypatch, tmp_path, raw, edit):
    _patched_copy(monkeypatch, tmp_path, raw, "gsi_menseki", "2026-04-01", gsi_menseki.FILE, edit)
    with pytest.raises(LayoutError):
        gsi_menseki.TABLES["area"]("2026-04-01")


def test__gsi_menseki__renamed_newest_date_header_is_refused(tmp_path, fixture_path):
    text = fixture_path("gsi_menseki/area_excerpt.csv").read_bytes()
    renamed = tmp_path / "area.csv"
    renamed.write_bytes(text.replace("令和8年4月1日(k".encode(), "令和8年4月1日面積(k".encode(), 1))
    assert renamed.read_bytes() != text
    with pytest.raises(LayoutError, match="令和8年4月1日面積"):
        gsi_menseki.parse(renamed)


def test__ssds_iwate__clean_truncation_is_refused(monkeypatch, tmp_path, raw):
    def truncate(data: bytes) -> bytes:
        lines = data.rstrip(b"\n").split(b"\n")
        return b"\n".join(lines[: len(lines) - 5]) + b"\n"
    _patched_copy(monkeypatch, tmp_path, raw, "ssds_iwate", "2024", ssds_iwate.FILENAME, truncate)
    with pytest.raises(LayoutError, match="missing"):
        ssds_iwate.TABLES["muni_economy"]("2024")


def test__ssdse_b__deleted_record_is_refused(monkeypatch, tmp_path, raw):
    _patched_copy(monkeypatch, tmp_path, raw, "ssdse_b", "2025", "SSDSE-B-2025.csv", _delete_line(b",R16000,"))
    with pytest.raises(LayoutError, match="missing"):
        ssdse_b.TABLES["items"]("2025")


def test__ipss_hollow__deleted_record_is_refused(monkeypatch, tmp_path, raw):
    name = next(e.path for e in manifest.load("ipss_projection", "r5_hollow").files)
    _patched_copy(monkeypatch, tmp_path, raw, "ipss_projection", "r5_hollow", name, _delete_line(b"16201"))
    with pytest.raises(LayoutError, match="missing"):
        ipss_projection.TABLES["municipal_population"]("r5_hollow")


def test__rieti_cao__deleted_record_is_refused(monkeypatch, tmp_path, raw):
    def drop_one(data: bytes) -> bytes:
        df = pd.read_stata(io.BytesIO(data), convert_categoricals=False)
        out = io.BytesIO()
        df.drop(index=df.index[len(df) // 2]).to_stata(out, write_index=False, version=118)
        return out.getvalue()
    _patched_copy(monkeypatch, tmp_path, raw, "rieti_manu", "2012", rieti_manu.CAO_FILE, drop_one)
    with pytest.raises(LayoutError, match="missing"):
        rieti_manu.TABLES["muni_shipments_long"]("2012")


def test__check_coverage__needs_a_line_for_a_new_vintage():
    with pytest.raises(LayoutError, match="vintage 2099"):
        _parse.check_coverage(pd.DataFrame({"x": [1]}), source="ssdse_b", vintage="2099", table="items")


def test__check_unique__names_the_duplicated_key():
    df = pd.DataFrame({"pref_code": ["16", "16", "17"], "year": [2020, 2020, 2020]})
    with pytest.raises(LayoutError, match=r"2 rows for \{'pref_code': '16', 'year': '2020'\}"):
        _parse.check_unique(df, ["pref_code", "year"], file="t")


def test__every_registered_source_declares_coverage_for_its_vintages():
    from hokuriku import sources, store

    for source in sources.SOURCES:
        for vintage in manifest.vintages(source):
            for table in store.tables_for(source, vintage):  # the tables this vintage carries
                _parse.coverage_spec(source, vintage, table)


# --- 3. only project errors escape parse() --------------------------------------------------------------


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _estat_variant(fixture_path, name, edit):
    doc = json.loads(fixture_path(f"estat_api/{name}").read_text(encoding="utf-8"))
    edit(doc)
    return json.dumps(doc)


def _no_id(root):
    def edit(doc):
        top = doc[root]
        inf = top["STATISTICAL_DATA"] if root == "GET_STATS_DATA" else top["METADATA_INF"]
        del inf["CLASS_INF"]["CLASS_OBJ"][0]["@id"]
    return edit


def _total(value):
    def edit(doc):
        doc["GET_STATS_DATA"]["STATISTICAL_DATA"]["RESULT_INF"]["TOTAL_NUMBER"] = value
    return edit


@pytest.mark.parametrize(("name", "edit", "cause"), [
    ("getStatsData_0004021110_p001.json", _total("abc"), "ValueError"),              # int('abc')
    ("getStatsData_0004021110_p001.json", _no_id("GET_STATS_DATA"), "KeyError"),    # KeyError '@id'
    ("getMetaInfo_0004021110_excerpt.json", _no_id("GET_META_INFO"), "KeyError"),
], ids=["total_abc", "stats_class_without_id", "meta_class_without_id"])
def test__estat_api__malformed_answers_are_project_errors(tmp_path, fixture_path, name, edit, cause):
    with pytest.raises(RawDataError, match=cause):
        estat_api.parse(_write(tmp_path, "x.json", _estat_variant(fixture_path, name, edit)), vintage="x")


@pytest.mark.parametrize("text", ["{not json", "", "\u0080"])
def test__estat_api__non_json_is_a_project_error(tmp_path, text):
    with pytest.raises(HokurikuError):
        estat_api.parse(_write(tmp_path, "x.json", text), vintage="x")


@pytest.mark.parametrize("edit", [lambda d: d[0]["futurePopulation"].update(total=None),
                                  lambda d: d[0].update(futurePopulation=5)], ids=["total_none", "future_int"])
def test__ipss_kurashi__malformed_record_is_a_project_error(tmp_path, fixture_path, edit):
    doc = json.loads(fixture_path("ipss_projection/toyama.json").read_text(encoding="utf-8"))
    edit(doc)  # raised TypeError before
    with pytest.raises(HokurikuError):
        ipss_projection.parse(_write(tmp_path, "toyama.json", json.dumps(doc, ensure_ascii=False)), vintage="r5_kurashi")


def test__kenmin_keizai_activity__missing_total_key_is_a_layout_error_not_a_blank(tmp_path):
    from test_fuzz_parse import _activity_47

    doc = json.loads(_activity_47())
    del doc["years"]["2022"][0]["gdpTotal"]  # was accepted as a blank value
    with pytest.raises(LayoutError, match="gdpTotal"):
        kenmin_keizai_activity.parse(_write(tmp_path, "industry.json", json.dumps(doc, ensure_ascii=False)))


def test__kenmin_keizai_activity__null_activity_block_is_a_project_error(tmp_path):
    from test_fuzz_parse import _activity_47  # the fixture completed to 47 prefectures

    doc = json.loads(_activity_47())
    doc["years"]["2022"][0]["gdpBySector"] = None  # raised AttributeError before
    with pytest.raises(HokurikuError):
        kenmin_keizai_activity.parse(_write(tmp_path, "industry.json", json.dumps(doc, ensure_ascii=False)))


def test__kenmin_keizai_activity__deeply_nested_json_is_a_project_error(tmp_path):
    with pytest.raises(HokurikuError):
        kenmin_keizai_activity.parse(_write(tmp_path, "x.json", "[" * 100_000 + "]" * 100_000))


def test__juki__empty_file_is_a_project_error(tmp_path):
    empty = tmp_path / "juki.csv"
    empty.write_bytes(b"")
    with pytest.raises(HokurikuError):
        juki.parse(empty, vintage="2022-01-01")


def test__contained__keeps_the_original_error_as_cause(tmp_path):
    with pytest.raises(RawDataError, match=r"file x\.json.*JSONDecodeError") as info:
        estat_api.parse(_write(tmp_path, "x.json", "{"), vintage="x")
    assert isinstance(info.value.__cause__, json.JSONDecodeError)


def test__kenmin_keizai__duplicated_year_label_is_a_project_error(tmp_path, fixture_path):
    from test_kenmin_keizai import build_soukatu  # the official-layout workbook builder of the loader's own tests

    from hokuriku.sources import kenmin_keizai

    def duplicate_year(sheet, rows):
        rows[3][4] = rows[3][3]
        rows[4][4] = rows[4][3]

    path = build_soukatu(tmp_path / "soukatu1.xlsx", fixture_path, mutate=duplicate_year)
    with pytest.raises(HokurikuError):
        kenmin_keizai.parse(path, vintage="2022")


def test__kenmin_keizai__fuzzed_cells_raise_only_project_errors(tmp_path, fixture_path):
    """Cell-level fuzz of the 総括表 workbook (the xlsx is rebuilt per case: byte edits would only hit the zip)."""
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from test_kenmin_keizai import build_soukatu

    from hokuriku.sources import kenmin_keizai

    tokens = st.one_of(st.sampled_from(["①", "1e400", "inf", "12,34", "△-5", "令和4年度", "令和3年度", "都道府県", "",
                                        None, "X", "-", 2022, -1.5, True]),
                    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=5))

    @settings(max_examples=min(6, hypothesis.settings().max_examples))
    @given(st.integers(0, 80), st.integers(0, 7), tokens, st.sampled_from(["実数", "増加率"]))
    def check(r, c, token, target):
        def mutate(sheet, rows):
            if sheet == target and r < len(rows):
                row = rows[r]
                row.extend([None] * (c + 1 - len(row)))
                row[c] = token
        path = build_soukatu(tmp_path / "soukatu1.xlsx", fixture_path, mutate=mutate)
        try:
            kenmin_keizai.parse(path, vintage="2022")
        except HokurikuError:
            pass

    check()


def test__to_numeric__equals_parse_cell_on_generated_cells():
    """Property: the vectorised to_numeric gives exactly parse_cell's value and reason, or the same refusal."""
    pytest.importorskip("hypothesis")
    from hypothesis import given
    from hypothesis import strategies as st

    cell = st.one_of(st.from_regex(r"-?[0-9]{1,20}(\.[0-9]{0,8})?", fullmatch=True),
                     st.from_regex(r"-?[0-9]{1,4}(,[0-9]{2,4}){1,3}(\.[0-9]{0,4})?", fullmatch=True),
                     st.text(alphabet="0123456789-.,△▲ Xx*…eE+１２", max_size=8),
                     st.floats(allow_nan=True, allow_infinity=False), st.integers(-10**12, 10**12), st.none())

    @given(st.lists(cell, min_size=1, max_size=40))
    def check(cells):
        expected = [_parse.parse_cell(c) for c in cells]
        series = pd.Series(cells, dtype="object")
        if any(e is None for e in expected):
            with pytest.raises(RawDataError):
                _parse.to_numeric(series, file="f", column="c")
            return
        values, reasons = _parse.to_numeric(series, file="f", column="c")
        for (ev, er), v, r in zip(expected, values, reasons, strict=True):
            assert r == er
            assert (math.isnan(v) and math.isnan(ev)) or (v == ev and math.copysign(1, v) == math.copysign(1, ev))

    check()
