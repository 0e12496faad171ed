"""内閣府 経済社会総合研究所 (ESRI)「県民経済計算」総括表: prefectural GDP, income and population.

Publisher and tables
--------------------
内閣府経済社会総合研究所, 令和4年度県民経済計算 (FY2011–FY2022, 2015年基準・2008SNA), 総括表:

- ``soukatu1.xlsx`` 1. 県内総生産（生産側、名目）, 100万円 → ``gdp_nominal_jpy_million``
- ``soukatu2.xlsx`` 2. 県内総生産（生産側、実質：連鎖方式, 平成27暦年連鎖価格）, 100万円 →
  ``gdp_real_chained2015_jpy_million``
- ``soukatu7.xlsx`` 7. 1人当たり県民所得, 千円 → ``income_per_capita_jpy_thousand``
- ``soukatu9.xlsx`` 9. 総人口 (10月1日現在), 人 → ``population_persons``

Each workbook has a 実数 sheet (levels) and a 増加率 sheet (year-on-year %, → ``*_growth_pct``).

Layout quirks
-------------
- Fiscal years (年度) head the columns twice: as era labels (平成23年度…令和4年度) in the header row
  and as numbers (2011…2022) in the row below. The header row is found by its label 都道府県
  (layouts/kenmin_keizai/anchors.csv); both year rows are parsed and must agree.
- Rows: 47 prefectures with their JIS code in column A (repeated in the last column), then 全県計,
  a 地域ブロック section (7 ESRI blocks) and a 政令指定都市 section (16 cities in this edition). The
  non-prefecture rows get the stable codes of layouts/kenmin_keizai/areas.csv: ``00`` 全県計,
  ``B1``–``B7`` blocks, the 5-digit municipal code for cities.
- The first fiscal year of every 増加率 sheet is printed as ``-`` (no previous year): NaN with
  ``value_note`` ``<column>:nil``.

Additivity (checked by :func:`validate`)
----------------------------------------
Nominal GDP and population are additive: 全県計 and each ESRI block equal the exact sum of their
prefectures (block membership from ``hokuriku/codes/data/prefectures.csv``; 新潟 is in 北海道・東北).
Chain-linked real GDP is *not* additive (each series is chained separately, so sums of chained
components differ from the chained aggregate outside the reference year), and per-capita income is
a ratio: neither is checked.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from hokuriku import manifest
from hokuriku.codes import prefectures
from hokuriku.errors import LayoutError, RawDataError
from hokuriku.sources import _parse, _readers

SOURCE = "kenmin_keizai"
DEFAULT_VINTAGE = "2022"
KEYS = ["area_code", "fiscal_year"]
AREA_TYPES = ("all_prefectures", "prefecture", "esri_block", "designated_city")
"""Row order of the tidy table (as printed: 全県計 first, then prefectures, blocks, cities)."""
ADDITIVE_TOLERANCE = 0
"""Allowed gap (in published units) between a total and the sum of its prefectures: ESRI's nominal
and population totals are computed from unrounded prefectural integers, so they match exactly."""


def _layout(name: str, vintage: str) -> pd.DataFrame:
    """The rows of ``layouts/kenmin_keizai/<name>.csv`` for ``vintage`` (each file read once while unchanged).

    The same frame while the file is unchanged: callers must not modify it.
    """
    return _derived(name, vintage, "rows", lambda rows: rows)


def _derived(name: str, vintage: str, what: str, fn):  # noqa: ANN001, ANN202
    """``fn`` of the rows of ``layouts/kenmin_keizai/<name>.csv`` for ``vintage``, computed once per file version
    (:func:`_parse.layout_derived`)."""
    vintage = str(vintage)

    def of_vintage(table: pd.DataFrame):  # noqa: ANN202
        rows = table[table["vintage"] == vintage]
        if rows.empty:
            raise LayoutError(f"layouts/{SOURCE}/{name}.csv", f"rows for vintage {vintage!r}", found="none")
        return fn(rows)

    return _parse.layout_derived(SOURCE, name, f"{vintage}/{what}", of_vintage)


def _file_spec(path: Path, vintage: str, file: str | None) -> pd.Series:
    files = _layout("files", vintage)
    name = file or path.name
    hit = files[files["file"] == name]
    if hit.empty:
        raise LayoutError(path, f"one of the workbooks {files['file'].tolist()} (pass file=... for a renamed copy)",
                          found=name)
    return hit.iloc[0]


def _sheet_frame(rows: list[tuple], *, path: Path, sheet: str, vintage: str, spec: pd.Series,
                 sheet_spec: pd.Series) -> pd.DataFrame:
    """One sheet → long frame (area_code, area_name_ja, area_type, fiscal_year, value, note)."""
    anchors = _derived("anchors", vintage, "dict", lambda t: dict(zip(t["key"], t["value"], strict=True)))
    code_col, name_col = int(anchors["code_column"]) - 1, int(anchors["name_column"]) - 1
    def text(value: object) -> str:
        return "" if value is None else _parse.nfkc(value)

    # Only the title rows, the header row and the code and name columns are read as labels.
    top = " ".join(" ".join(text(v) for v in r) for r in rows[:5])
    if _parse.nfkc(spec["title_contains"]) not in top:
        raise LayoutError(path, f"title containing {spec['title_contains']!r} in the first rows", found=top[:80],
                          sheet=sheet)
    unit = _parse.nfkc(sheet_spec["unit"] or spec["unit"])
    if _parse.nfkc(sheet_spec["marker"]) not in top or f"単位:{unit})" not in top.replace(" ", ""):
        raise LayoutError(path, f"marker {sheet_spec['marker']!r} and unit （単位：{unit}）", found=top[:120],
                          sheet=sheet)
    anchor = _parse.nfkc(anchors["header_anchor"])
    h = _parse.find_row(rows, lambda r: len(r) > code_col and text(r[code_col]) == anchor, file=path, sheet=sheet,
                        what=f"header row with {anchor!r} in column {code_col + 1}")
    header = [text(v) for v in rows[h]]
    years: dict[int, int] = {}
    for j, label in enumerate(header):
        if "年度" in label and (era := _parse.parse_era_date(label)):
            below = rows[h + 1][j] if h + 1 < len(rows) else None
            if below is not None and below != era[0]:
                raise LayoutError(path, f"fiscal year {era[0]} under {label!r}", found=below, sheet=sheet,
                                  row=h + 2, column=_readers.column_letter(j + 1))
            years[j] = era[0]
    if not years:
        raise LayoutError(path, "fiscal-year labels like 平成23年度 in the header row", found=header[:6],
                          sheet=sheet, row=h + 1)
    areas = _derived("areas", vintage, "by_name", lambda t: {
        name: (code, kind) for name, code, kind in zip(t["area_name_ja"], t["area_code"], t["area_type"], strict=True)})
    sections = {_parse.nfkc(anchors["section_esri_block"]): "esri_block",
                _parse.nfkc(anchors["section_designated_city"]): "designated_city"}
    section, records, used = None, [], set()
    for i in range(h + 1, len(rows)):
        code, name = text(rows[i][code_col]), text(rows[i][name_col])
        if code in sections:
            section = sections[code]
            continue
        if not name:
            if code:
                raise LayoutError(path, "an area name in column B", found=code, sheet=sheet, row=i + 1)
            continue
        if section is None and re.fullmatch(r"\d{2}", code):
            if prefectures.name_ja(code) != name:
                raise LayoutError(path, f"prefecture {prefectures.name_ja(code)} for code {code}", found=name,
                                  sheet=sheet, row=i + 1, column="B")
            area_code, area_type = code, "prefecture"
        elif name in areas and areas[name][1] in (section or "all_prefectures",):
            area_code, area_type = areas[name]
            used.add(name)
        else:
            raise LayoutError(path, f"an area listed in layouts/{SOURCE}/areas.csv (section {section or 'top'})",
                              found=name, sheet=sheet, row=i + 1, column="B")
        records.append((i, area_code, name, area_type))
    unused = sorted(set(areas) - used)
    if unused:
        raise LayoutError(path, f"rows for every area of layouts/{SOURCE}/areas.csv", found=f"missing {unused}",
                          sheet=sheet)
    n_pref = sum(r[3] == "prefecture" for r in records)
    if n_pref != 47:
        raise LayoutError(path, "47 prefecture rows", found=n_pref, sheet=sheet)
    row_numbers = [i + 1 for i, *_ in records]
    cells = [[rows[i][j] for j in years] for i, *_ in records]
    if all(type(v) in (int, float) or v is None for r in cells for v in r):  # numbers: what parse_cell gives
        grid = np.array([[np.nan if v is None else float(v) for v in r] for r in cells], dtype="float64")
        grid = grid.reshape(len(records), len(years))
        number = None
    else:  # areas × years of published cells, parsed in one call
        grid = np.empty((len(records), len(years)), dtype=object)
        grid[:] = cells or np.empty((0, len(years)), dtype=object)
        # Finite float and int cells are what parse_cell makes of them (float(v), no reason): they are set
        # after the call, which sees a plain "0" in their place (never refused) and parses only the others.
        number = np.array([(type(v) is float and math.isfinite(v)) or (type(v) is int and -2**63 <= v < 2**63)
                           for v in grid.ravel().tolist()], dtype=bool).reshape(grid.shape)
        numbers = np.array([float(v) for v in grid[number].tolist()], dtype="float64")
        grid[number] = "0"
    values, notes = _parse.to_numeric_grid(grid, file=path, sheet=sheet, row_numbers=row_numbers,
                                           columns=[_readers.column_letter(j + 1) for j in years])
    if number is not None:  # values and notes are years × areas (views .T are areas × years, as the grid)
        values.T[number] = numbers
        notes.T[number] = None
    return pd.DataFrame({  # year by year, each with every area
        "area_code": [r[1] for r in records] * len(years), "area_name_ja": [r[2] for r in records] * len(years),
        "area_type": [r[3] for r in records] * len(years),
        "fiscal_year": np.repeat(np.array(list(years.values()), dtype="int64"), len(records)),
        "value": values.reshape(-1), "note": pd.Series(notes.reshape(-1), dtype="object"),
    })


@_parse.contained
def parse(path: Path, *, vintage: str = DEFAULT_VINTAGE, file: str | None = None) -> pd.DataFrame:
    """Parse one 総括表 workbook (both sheets) into one row per area × fiscal year.

    Parameters
    ----------
    path
        The workbook (``soukatuN.xlsx``).
    vintage
        Edition, selecting the rows of the layout tables.
    file
        Layout name of the workbook when ``path`` has another name (e.g. a test copy).

    Returns
    -------
    DataFrame with ``area_code, area_name_ja, area_type, fiscal_year``, the level column and the
    growth column of this workbook (layouts/kenmin_keizai/files.csv) and ``value_note``.
    """
    spec = _file_spec(Path(path), str(vintage), file)
    data = _parse.read_bytes(Path(path))  # the verified bytes are the bytes parsed
    try:  # python-calamine: the same cells as openpyxl's values_only rows (tests/sources/test_readers.py), ≈10× faster
        sheets = _readers.xlsx_sheets(data)
    except Exception as exc:  # CalamineError, zipfile errors, ...: a truncated or non-xlsx file
        raise RawDataError(path, "a readable .xlsx workbook", found=f"{type(exc).__name__}: {exc}") from exc
    longs = []
    for sheet_spec in _derived("sheets", vintage, "lines", lambda t: [row for _, row in t.iterrows()]):
        sheet = sheet_spec["sheet"]
        if sheet not in sheets:
            raise LayoutError(path, f"a sheet named {sheet!r}", found=list(sheets))
        column = spec["value_column"] if sheet_spec["kind"] == "level" else spec["growth_column"]
        long = _sheet_frame(sheets[sheet], path=Path(path), sheet=sheet,
                            vintage=str(vintage), spec=spec, sheet_spec=sheet_spec)
        longs.append(long.rename(columns={"value": column, "note": f"{column}__note"}))
    out = _merge_all(longs, ["area_code", "area_name_ja", "area_type", "fiscal_year"])
    note_cols = [c for c in out.columns if c.endswith("__note")]
    out["value_note"] = _parse.row_notes({c.removesuffix("__note"): out[c] for c in note_cols})
    return _sorted(out.drop(columns=note_cols), [out[k] for k in KEYS])


def _sorted(df: pd.DataFrame, keys: list[pd.Series]) -> pd.DataFrame:
    """``df`` in the stable order of ``keys`` (first key first), index reset: one ``np.lexsort``, as
    ``sort_values(kind="stable")`` orders non-missing text (by code point) and numbers; pandas sorts keys
    with a missing value."""
    arrays = []
    for key in keys:
        if key.isna().any():
            sort = pd.DataFrame({f"k{i}": k.to_numpy() for i, k in enumerate(keys)})  # positions as index
            return df.take(sort.sort_values(list(sort.columns), kind="stable").index.to_numpy()).reset_index(drop=True)
        values = key.to_numpy()
        arrays.append(values.astype(str) if values.dtype == object else values)
    return df.take(np.lexsort(arrays[::-1])).reset_index(drop=True)


def _merge_all(frames: list[pd.DataFrame], on: list[str]) -> pd.DataFrame:
    """Outer one-to-one merge of ``frames`` on ``on``, for a table sorted by :data:`KEYS` afterwards.

    When every frame has the very same key rows (in the same order), unique in :data:`KEYS`, and no
    other column in common, the frames are put side by side: the merge's rows and columns, in the
    order the caller's sort by :data:`KEYS` gives either way. Otherwise pandas merges them (and
    refuses a repeated key).
    """
    first = frames[0]
    others = [c for f in frames for c in f.columns if c not in on]
    keys = {c: first[c].tolist() for c in on}  # plain values: compared without pandas' per-call overhead
    plain = all(v == v for c in on for v in keys[c])  # no NaN key (pandas' rules decide those)
    unique = len(set(zip(*(keys[c] for c in KEYS), strict=True))) == len(first)  # KEYS unique in the first frame
    same = (plain and len(others) == len(set(others)) and unique
            and all(len(f) == len(first) and all(f[c].dtype == first[c].dtype and f[c].tolist() == keys[c] for c in on)
                    for f in frames[1:]))
    if same:  # side by side, as pd.concat(axis=1) of the frames with their index reset
        if all(isinstance(f.index, pd.RangeIndex) and f.index.equals(first.index) for f in frames):
            columns = {**{c: first[c] for c in first.columns},  # the columns as they are (dtype kept)
                       **{c: f[c] for f in frames[1:] for c in f.columns if c not in on}}
            return pd.DataFrame(columns).reset_index(drop=True)
        return pd.concat([first.reset_index(drop=True),
                          *(f.drop(columns=on).reset_index(drop=True) for f in frames[1:])], axis=1)
    out = first
    for f in frames[1:]:
        out = out.merge(f, on=on, how="outer", validate="one_to_one")
    return out


def validate(df: pd.DataFrame, *, vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """Refuse a table whose 全県計 or ESRI blocks differ from the sum of their prefectures.

    Checked for the additive measures of layouts/kenmin_keizai/files.csv (nominal GDP,
    population); real chained GDP and per-capita income are not additive (module docstring).
    """
    files = _layout("files", vintage)
    members = prefectures.table().set_index("pref_code")["esri_block"]
    blocks = _derived("areas", vintage, "blocks",
                      lambda t: t[t["area_type"] == "esri_block"].set_index("area_name_ja")["area_code"])
    additive = [c for c in files.loc[files["is_additive"] == "true", "value_column"] if c in df]
    additive = [c for c in additive if not _totals_add_up(df, c, members, blocks)]
    if not additive:  # every total is the exact sum of its prefectures
        return df
    pref = df[df["area_type"] == "prefecture"]
    # Every prefecture row once under 全県計 ("00") and once under its ESRI block's code; sums by group and year.
    group = pd.concat([pd.Series("00", index=pref.index), pref["area_code"].map(members).map(blocks)])
    member_rows = pd.concat([pref, pref]).assign(_group=group.to_numpy())
    for column in additive:
        sums = member_rows.groupby(["_group", "fiscal_year"])[column].sum(min_count=1)
        # Every total against its sum in one vectorised step; the loop below names a broken one.
        tested = df[df["area_code"].isin(["00", *blocks.tolist()])]
        summed = sums.reindex(pd.MultiIndex.from_arrays([tested["area_code"].to_numpy(dtype=object),
                                                         tested["fiscal_year"].to_numpy()]))
        gap = np.abs(tested[column].to_numpy(dtype="float64", na_value=np.nan) - summed.to_numpy(dtype="float64"))
        if not ((gap > ADDITIVE_TOLERANCE).any() or np.isnan(gap).any()):
            continue
        totals = df.set_index(["area_code", "fiscal_year"])[column]
        none = pd.Series(dtype="float64", index=pd.Index([], name="fiscal_year"))
        for code in ["00", *blocks.tolist()]:
            summed = sums.xs(code, level="_group") if code in sums.index.get_level_values(0) else none
            total = totals.xs(code, level="area_code") if code in totals.index.get_level_values(0) else none
            gap = (total - summed.reindex(total.index)).abs()
            if (gap > ADDITIVE_TOLERANCE).any() or gap.isna().any():
                fy = gap.idxmax() if gap.notna().any() else gap.index[0]
                raise RawDataError(f"{SOURCE}/{vintage}", f"{column} of area {code} = sum of its prefectures",
                                   found=f"FY{fy}: total {total.get(fy)} vs sum {summed.get(fy)}")
    return df


def _totals_add_up(df: pd.DataFrame, column: str, members: pd.Series, blocks: pd.Series) -> bool:
    """True when every 全県計 ("00") and ESRI block total of ``column`` equals the sum of its prefectures.

    The check of :func:`validate` in plain Python for the usual table: whole numbers (sums exact in
    float64 in any order), no missing value, unique lookup tables. False whenever any of that does not
    hold or a total differs: :func:`validate`'s pandas check then decides and names the broken total.
    """
    if not (members.index.is_unique and blocks.index.is_unique) or ADDITIVE_TOLERANCE != 0:
        return False
    area = df["area_code"].to_numpy(dtype=object)
    year = df["fiscal_year"].to_numpy()
    value = df[column].to_numpy(dtype="float64", na_value=np.nan)
    is_pref = (df["area_type"] == "prefecture").to_numpy(dtype=bool, na_value=False)
    counted = value[is_pref]
    if np.isnan(counted).any() or not (counted == np.round(counted)).all() or np.abs(counted).sum() >= 2**53:
        return False
    block_of = {code: blocks.get(block) for code, block in members.items()}
    sums: dict[tuple, float] = {}
    for code, fy, x in zip(area[is_pref].tolist(), year[is_pref].tolist(), counted.tolist(), strict=True):
        for group in ("00", block_of.get(code)):
            if isinstance(group, str):  # a prefecture without a block: only in 全県計 (as the groupby drops it)
                sums[(group, fy)] = sums.get((group, fy), 0.0) + x
    tested = np.isin(area, ["00", *blocks.tolist()])
    return all(x == sums.get((code, fy)) for code, fy, x
               in zip(area[tested].tolist(), year[tested].tolist(), value[tested].tolist(), strict=True))


def load(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """All four 総括表 workbooks, merged: one row per area × fiscal year, validated."""
    # Load inputs.
    files = _layout("files", vintage)
    parts = [parse(manifest.path(SOURCE, vintage, f), vintage=vintage, file=f) for f in files["file"]]
    # Process data.
    keys = ["area_code", "area_name_ja", "area_type", "fiscal_year"]
    out = _merge_all([part.rename(columns={"value_note": f"n{k}"}) for k, part in enumerate(parts)], keys)
    note_cols = [f"n{k}" for k in range(len(parts))]
    notes = ["; ".join(v for v in r if isinstance(v, str)) or None
             for r in zip(*(out[c].tolist() for c in note_cols), strict=True)]
    out = out.drop(columns=note_cols).assign(value_note=pd.Series(notes, index=out.index, dtype="object"))
    out["fiscal_year"] = out["fiscal_year"].astype(np.int64)
    order = out["area_type"].map({t: i for i, t in enumerate(AREA_TYPES)})
    out = _sorted(out, [order, *(out[k] for k in KEYS)])
    return validate(out.reset_index(drop=True), vintage=vintage)


TABLES = _parse.covered_tables(SOURCE, {"gdp": load})
