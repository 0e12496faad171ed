"""kenmin_keizai: 総括表 parsing on small workbooks built with openpyxl in the official layout."""

from __future__ import annotations

import csv
import hashlib

import openpyxl
import pandas as pd
import pytest
import yaml

from hokuriku import manifest, paths
from hokuriku.codes import prefectures
from hokuriku.errors import ChecksumError, LayoutError, RawDataError
from hokuriku.sources import _parse, kenmin_keizai

FY = (2021, 2022)
ERA = {2021: "令和3年度", 2022: "令和4年度"}


def _hokuriku_rows(fixture_path) -> dict[tuple[str, str], list]:
    with fixture_path("kenmin_keizai/soukatu1_hokuriku_fy2021_2022.csv").open(encoding="utf-8") as fh:
        return {(r["sheet"], r["code"]): [float(r["fy2021"]) if r["fy2021"] != "-" else "-", float(r["fy2022"])]
                for r in csv.DictReader(fh)}


def build_soukatu(path, fixture_path, *, anchor="都道府県", mutate=None, shift=0):
    """Write a soukatu1-like workbook; ``mutate(sheet_name, rows)`` may edit the row lists first."""
    official = _hokuriku_rows(fixture_path)
    areas = _parse.load_layout("kenmin_keizai", "areas")
    members = prefectures.table().set_index("pref_code")["esri_block"]
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet, marker, unit in (("実数", "（実数）", "（単位：100万円）"), ("増加率", "（増加率）", "(単位：％)")):
        rows = [[None] * 7 + ["１．県内総生産（生産側、名目）※支出側も同じ"], [None] * 15 + ["総括表"],
                [None] * 12 + [marker, None, None, unit], [anchor, None, None, *(ERA[y] for y in FY)],
                [None, None, None, *FY], []]
        values = {}
        for code in prefectures.table()["pref_code"]:
            vals = official.get((sheet, code)) or ([1000.0 * int(code) + y for y in FY] if sheet == "実数"
                                                   else ["-", 1.5])
            values[code] = vals
            rows.append([code, prefectures.name_ja(code), None, *vals, code])
        def total(codes):
            return [sum(values[c][k] for c in codes) if sheet == "実数" else ("-" if k == 0 else 2.0)
                    for k in range(len(FY))]
        rows.append([None, "全県計", None, *total(list(values))])
        rows.append(["地域ブロック"])
        for name in areas.query("area_type == 'esri_block'")["area_name_ja"]:
            rows.append([None, name, None, *total([c for c in values if members[c] == name])])
        rows.append(["政令指定都市"])
        for name in areas.query("area_type == 'designated_city'")["area_name_ja"]:
            rows.append([None, name, None, *([500.0, 510.0] if sheet == "実数" else ["-", 2.0])])
        if mutate:
            mutate(sheet, rows)
        ws = wb.create_sheet(sheet)
        for row in rows:
            ws.append([None] * shift + list(row))
    wb.save(path)
    return path


@pytest.fixture
def soukatu(tmp_path, fixture_path):
    def make(**kw):
        return build_soukatu(tmp_path / "soukatu1.xlsx", fixture_path, **kw)
    return make


def _row(rows, code):
    return next(r for r in rows if r and r[0] == code)


def test__parse__official_layout_gives_tidy_rows(soukatu):
    df = kenmin_keizai.parse(soukatu(), vintage="2022")
    toyama = df[(df["area_code"] == "16") & (df["fiscal_year"] == 2022)].iloc[0]
    assert toyama["gdp_nominal_jpy_million"] == 4_927_629
    assert toyama["area_name_ja"] == "富山県" and toyama["area_type"] == "prefecture"
    assert df.groupby("area_type")["area_code"].nunique().to_dict() == {
        "all_prefectures": 1, "designated_city": 16, "esri_block": 7, "prefecture": 47}
    assert set(df.loc[df["area_type"] == "esri_block", "area_code"]) == {f"B{i}" for i in range(1, 8)}
    assert df.loc[df["area_name_ja"] == "新潟市", "area_code"].iloc[0] == "15100"
    assert list(df.columns) == ["area_code", "area_name_ja", "area_type", "fiscal_year", "gdp_nominal_jpy_million",
                                "gdp_nominal_growth_pct", "value_note"]


def test__parse__first_growth_year_dash_is_nan_with_note_not_zero(soukatu):
    df = kenmin_keizai.parse(soukatu(), vintage="2022")
    first = df[(df["area_code"] == "01") & (df["fiscal_year"] == 2021)].iloc[0]
    assert pd.isna(first["gdp_nominal_growth_pct"])
    assert first["value_note"] == "gdp_nominal_growth_pct:nil"


def test__parse__symbols_full_width_and_triangle_negatives(soukatu):
    def mutate(sheet, rows):
        if sheet == "実数":
            _row(rows, "17")[4] = "X"
            _row(rows, "16")[4] = "４，９２７，６２９"
        else:
            _row(rows, "18")[4] = "△4.5"
    df = kenmin_keizai.parse(soukatu(mutate=mutate), vintage="2022").set_index(["area_code", "fiscal_year"])
    assert df.loc[("16", 2022), "gdp_nominal_jpy_million"] == 4_927_629
    assert pd.isna(df.loc[("17", 2022), "gdp_nominal_jpy_million"])
    assert df.loc[("17", 2022), "value_note"] == "gdp_nominal_jpy_million:suppressed"
    assert df.loc[("18", 2022), "gdp_nominal_growth_pct"] == -4.5


def test__parse__unreadable_cell_names_sheet_row_and_column(soukatu):
    def mutate(sheet, rows):
        if sheet == "実数":
            _row(rows, "16")[4] = "4.9百万"
    with pytest.raises(RawDataError, match=r"sheet '実数', row 22, column 'E'.*found '4.9百万'"):
        kenmin_keizai.parse(soukatu(mutate=mutate), vintage="2022")


def test__parse__renamed_header_anchor_is_a_layout_error(soukatu):
    with pytest.raises(LayoutError, match="'都道府県' in column 1"):
        kenmin_keizai.parse(soukatu(anchor="都道府県名"), vintage="2022")


def test__parse__moved_columns_are_a_layout_error(soukatu):
    with pytest.raises(LayoutError, match="'都道府県' in column 1"):
        kenmin_keizai.parse(soukatu(shift=1), vintage="2022")


def test__parse__year_labels_disagreeing_with_year_row_fail(soukatu):
    def mutate(sheet, rows):
        rows[4][4] = 2023
    with pytest.raises(LayoutError, match=r"column 'E'.*fiscal year 2022.*found 2023"):
        kenmin_keizai.parse(soukatu(mutate=mutate), vintage="2022")


def test__parse__unknown_city_row_is_a_layout_error(soukatu):
    def mutate(sheet, rows):
        next(r for r in rows if len(r) > 1 and r[1] == "新潟市")[1] = "新潟"
    with pytest.raises(LayoutError, match="found '新潟'"):
        kenmin_keizai.parse(soukatu(mutate=mutate), vintage="2022")


def test__parse__truncated_workbook_is_refused(soukatu, tmp_path):
    path = soukatu()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(path.read_bytes()[:2000])
    with pytest.raises(RawDataError, match="readable .xlsx"):
        kenmin_keizai.parse(cut, vintage="2022", file="soukatu1.xlsx")


def test__validate__block_total_differing_from_its_prefectures_is_refused(soukatu):
    df = kenmin_keizai.parse(soukatu(), vintage="2022")
    kenmin_keizai.validate(df)  # consistent workbook passes
    bad = df.copy()
    bad.loc[(bad["area_code"] == "B3") & (bad["fiscal_year"] == 2022), "gdp_nominal_jpy_million"] += 1
    with pytest.raises(RawDataError, match="area B3.*FY2022"):
        kenmin_keizai.validate(bad)


def test__load__wrong_checksum_is_refused_through_the_manifest(soukatu, tmp_path, monkeypatch):
    path = soukatu()
    folder = tmp_path / "raw" / "kenmin_keizai" / "2022"
    folder.mkdir(parents=True)
    doc = yaml.safe_load((paths.RAW / "kenmin_keizai" / "2022" / "MANIFEST.yml").read_text(encoding="utf-8"))
    data = path.read_bytes()
    for entry in doc["files"]:
        entry.update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data), mirror_path=None)
    (folder / "MANIFEST.yml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    (folder / "soukatu1.xlsx").write_bytes(data[:-10])  # truncated download
    monkeypatch.setattr(paths, "RAW", tmp_path / "raw")
    monkeypatch.delenv("HOKURIKU_MIRROR", raising=False)
    with pytest.raises(ChecksumError, match="truncated"):
        kenmin_keizai.load("2022")
    (folder / "soukatu1.xlsx").write_bytes(data[:-10] + b"0123456789")  # same size, other bytes
    with pytest.raises(ChecksumError, match="sha256"):
        manifest.path("kenmin_keizai", "2022", "soukatu1.xlsx")


def test__parse__side_by_side_sheets_equal_the_outer_merge(soukatu, monkeypatch):
    """_merge_all's side-by-side path gives the table of the pandas outer merges it replaces."""
    path = soukatu()
    fast = kenmin_keizai.parse(path, file="soukatu1.xlsx")

    def merged(frames, on):
        out = frames[0]
        for f in frames[1:]:
            out = out.merge(f, on=on, how="outer", validate="one_to_one")
        return out

    monkeypatch.setattr(kenmin_keizai, "_merge_all", merged)
    pd.testing.assert_frame_equal(fast, kenmin_keizai.parse(path, file="soukatu1.xlsx"), check_exact=True)
