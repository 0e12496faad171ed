"""統計センター「教育用標準データセット SSDSE-B（県別推移）」, 2025 edition.

Publisher: 独立行政法人統計センター, from 総務省統計局「社会・人口統計体系」;
https://www.nstac.go.jp/use/literacy/ssdse/. 47 prefectures × 12 years (2011–2022), 109 items.

Layout quirks:

- CP932 text; two header rows: row 1 = item codes (the first cell is the edition name
  ``SSDSE-B-2025``), row 2 = labels (``年度, 地域コード, 都道府県, 総人口, …``). Unlike SSDSE-A there
  is **no per-column reference-year row**: one column labelled 年度 holds the period of every item.
- That column is *not* always a fiscal year. Population (A11/A13) is 人口推計 10月1日現在 (the
  census count in 2015 and 2020; other years rounded to 1,000 人), births, deaths, 合計特殊出生率
  and migration are calendar years (人口動態統計, 住民基本台帳人口移動報告), 住宅着工 and 求職 are
  fiscal years. The basis of every item is data in ``layouts/ssdse_b/items.csv`` (with a
  ``confidence`` column: only the population/vital/migration items are checked); the tidy
  table therefore fills ``year`` or ``fiscal_year`` (never both) and ``ref_date`` for point-in-time
  items.
- Area codes are ``R`` + 5 digits (``R16000`` = 富山県).

Tables: ``items`` (tidy long) and ``key_variables`` (canonical population columns by
``pref_code`` × ``year``: 総人口, 男女, 年齢3区分, 出生数, 死亡数, 合計特殊出生率, 転入者数, 転出者数).
"""

from __future__ import annotations

import collections
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from hokuriku import manifest
from hokuriku.errors import LayoutError, RawDataError
from hokuriku.sources import _parse

SOURCE = "ssdse_b"
DEFAULT_VINTAGE = "2025"
ENCODING = "cp932"
KEY_LABELS = ("年度", "地域コード", "都道府県")  # row 2, columns 1-3
_AREA_CODE = re.compile(r"^R(\d{2})000$")


def filename(vintage: str) -> str:
    """The publisher's file name (``SSDSE-B-2025.csv``)."""
    return f"SSDSE-B-{vintage}.csv"


def items_layout() -> pd.DataFrame:
    """``layouts/ssdse_b/items.csv``: label, time basis, unit and canonical name of every item."""
    layout = _parse.load_layout(SOURCE, "items").set_index("item_code")
    if not layout.index.is_unique:
        dup = layout.index[layout.index.duplicated()].tolist()
        raise LayoutError("layouts/ssdse_b/items.csv", "one line per item code", found=f"duplicated {dup[:10]}")
    return layout


_Lookup = collections.namedtuple("_Lookup", "label label_nfkc basis month_day canonical fiscal_canonical")
_LOOKUP: list = []  # [(the shared layout frame, its lookup)]


def _lookup() -> _Lookup:
    """The layout as dicts by item code (label, time basis, month-day) and the canonical items in the layout's
    order, derived once per version of ``items.csv`` (``_parse.shared_layout``); refused as :func:`items_layout`."""
    frame = _parse.shared_layout(SOURCE, "items")
    if _LOOKUP and _LOOKUP[0][0] is frame:
        return _LOOKUP[0][1]
    codes = frame["item_code"].tolist()
    if len(set(codes)) != len(codes):
        items_layout()  # raises the LayoutError naming the duplicated codes
    basis = frame["time_basis"].tolist()
    canonical = [(c, k) for c, k in zip(codes, frame["canonical"].tolist(), strict=True) if k != ""]
    labels = frame["item_name_ja"].tolist()
    lookup = _Lookup(dict(zip(codes, labels, strict=True)),
                     dict(zip(codes, map(_parse.nfkc, labels), strict=True)), dict(zip(codes, basis, strict=True)),
                     dict(zip(codes, frame["ref_month_day"].tolist(), strict=True)), canonical,
                     [c for c, b in zip(codes, basis, strict=True) if b == "fiscal_year" and c in dict(canonical)])
    _LOOKUP[:] = [(frame, lookup)]
    return lookup


@_parse.contained
def parse(path: Path, *, vintage: str) -> pd.DataFrame:
    """SSDSE-B as a tidy long table.

    Columns: ``pref_code``, ``pref_name_ja``, ``item_code``, ``item_name_ja``, ``time_basis``,
    ``year`` / ``fiscal_year`` (nullable Int64, exactly one filled), ``ref_date`` (ISO date for
    point-in-time items, else None), ``value`` (published unit), ``value_note``.
    Raises :class:`LayoutError` if a header moved or was renamed, or an item is not in the layout.
    """
    data = _parse.read_bytes(Path(path))
    # Every value cell a plain number (the edition): Arrow's reader parses them, from the CP932 bytes (or the
    # decoded text of a re-saved UTF-8 file); else every cell as text.
    fast = _parse.cp932_grid_numbers(data, skip_rows=2, first_number=len(KEY_LABELS))
    text = _parse.decode_text(Path(path), data, ENCODING) if fast is None else None
    numbers = fast[1:] if fast else _parse.csv_arrow_numbers(text, skip_rows=2, first_number=len(KEY_LABELS))
    table = None if numbers is not None else _parse.csv_arrow(text)  # None when the text needs csv.reader
    if numbers is not None:
        rows = fast[0] if fast else _parse.head_lines(text, 2)
        n_rows = 2 + numbers[1].shape[1]
    elif table is not None:
        rows = [list(r) for r in zip(*(c.to_pylist() for c in table.slice(0, 2).columns), strict=True)]
        n_rows = table.num_rows
    else:
        rows = _parse.csv_rows(text, file=path)
        n_rows = len(rows)
    if n_rows < 3:
        raise RawDataError(path, "2 header rows and data rows", found=f"{n_rows} rows")
    codes, labels = [c.strip() for c in rows[0]], [x.strip() for x in rows[1]]
    if tuple(_parse.nfkc(x) for x in labels[:3]) != KEY_LABELS:
        raise LayoutError(path, f"row-2 key labels {KEY_LABELS}", found=tuple(labels[:3]), row=2)
    layout = _lookup()
    listed = layout.label  # label of each item code (one line per code: items_layout)
    for j in range(3, len(codes)):
        code = codes[j]
        if code not in listed:
            raise LayoutError(path, "an item code listed in layouts/ssdse_b/items.csv", found=code, row=1,
                              column=f"#{j + 1}")
        if _parse.nfkc(labels[j]) != layout.label_nfkc[code]:
            raise LayoutError(path, f"label {listed[code]!r} for {code}", found=labels[j], row=2, column=code)
    if numbers is not None:
        key_columns, values = numbers
        keys = _arrow_keys(key_columns, path)
        notes = (np.empty(0, dtype=np.int64), np.empty(0, dtype=object))  # no cell with a reason
        return _stack_with_time_basis(keys, codes[3:], labels[3:], values, notes, layout)
    if table is not None:
        columns = table.slice(2).columns  # a grid: every row has the header's width
        keys = _arrow_keys(columns[:3], path)
    else:
        body = rows[2:]
        keys = _row_keys(body, len(codes), path)
    n, m = n_rows - 2, len(codes) - 3
    row_numbers = list(range(3, 3 + n))
    if m <= 0:
        raise RawDataError(path, "item columns after 年度, 地域コード, 都道府県", found="none", row=1)
    # All items in one vectorised call; values come back item by item (columns × rows), as the long table stacks them.
    if table is not None:
        values, notes = _parse.to_numeric_arrow(columns[3:], file=path, names=codes[3:], row_numbers=row_numbers,
                                                sparse=True)
    else:
        grid = np.array(body, dtype=object).reshape(n, len(codes))[:, 3:]
        values, notes = _parse.to_numeric_grid(grid, file=path, columns=codes[3:], row_numbers=row_numbers)
    return _stack_with_time_basis(keys, codes[3:], labels[3:], values, notes, layout)


def _row_keys(body: list[list[str]], width: int | None, path: Path) -> tuple[list[str], list[str], list[int]]:
    """Prefecture codes, names and periods of the body rows (checked: row width, 4-digit period, area code)."""
    keys = []
    for i, r in enumerate(body, start=3):
        if width is not None and len(r) != width:
            raise RawDataError(path, f"{width} cells per row (truncated or shifted row?)", found=len(r), row=i)
        period, m = _parse.nfkc(r[0]), _AREA_CODE.match(r[1].strip())
        if not re.fullmatch(r"\d{4}", period):
            raise RawDataError(path, "a 4-digit year in the 年度 column", found=r[0], row=i, column="年度")
        if not m:
            raise RawDataError(path, "a prefecture code like 'R16000'", found=r[1], row=i, column="地域コード")
        keys.append((m.group(1), r[2].strip(), int(period)))
    return tuple(list(c) for c in zip(*keys, strict=True)) if keys else ([], [], [])


def _arrow_keys(columns: list, path: Path) -> tuple[list[str], list[str], list[int]]:
    """:func:`_row_keys` of the first three Arrow columns of a grid: when every period is 4 ASCII digits, every
    area code ``R`` + 2 ASCII digits + ``000`` and no name has a leading or trailing space (the edition) the keys
    are the cells as they are; else row by row."""
    periods, codes, names = (c.to_pylist() for c in columns)
    if (pc.all(pc.match_substring_regex(columns[0], r"^[0-9]{4}$")).as_py()
            and pc.all(pc.match_substring_regex(columns[1], r"^R[0-9]{2}000$")).as_py()
            and not _parse.edge_spaces(columns[2])):
        return [c[1:3] for c in codes], names, [int(p) for p in periods]
    return _row_keys(list(zip(periods, codes, names, strict=True)), None, path)


def _stack_with_time_basis(keys: tuple[list[str], list[str], list[int]], codes: list[str], labels: list[str],
                           values: np.ndarray, notes: np.ndarray, layout: _Lookup) -> pd.DataFrame:
    """Stack the items into the long table with each item's time basis.

    ``year`` for ``year`` and ``ref_date`` items, ``fiscal_year`` for ``fiscal_year`` items (nullable Int64, the
    row's period), ``ref_date`` = period-month-day for ``ref_date`` items.
    """
    basis = [layout.basis[c] for c in codes]
    pref_codes, pref_names, periods = keys
    long = _parse.stack_columns({"pref_code": pref_codes, "pref_name_ja": pref_names},
                                {"item_code": codes, "item_name_ja": labels, "time_basis": basis}, values, notes)
    n, m = len(periods), len(codes)
    period = np.tile(np.asarray(periods, dtype="int64"), m)
    is_year = np.repeat(np.isin(np.asarray(basis, dtype=object), ["year", "ref_date"]), n)
    is_fiscal = np.repeat(np.asarray(basis, dtype=object) == "fiscal_year", n)
    # ref_date: "period-month-day" of the ref_date items (null for the others), taken from the few distinct strings
    period_code, period_values = pd.factorize(np.asarray(periods, dtype="int64"))
    md_of_item = [layout.month_day[c] if b == "ref_date" else None for c, b in zip(codes, basis, strict=True)]
    md_values = list(dict.fromkeys(md for md in md_of_item if md is not None))
    md_code = np.array([-1 if md is None else md_values.index(md) for md in md_of_item], dtype=np.int64)
    texts = pa.array([f"{p}-{md}" for p in period_values.tolist() for md in md_values], type=pa.large_string())
    undated = np.repeat(md_code < 0, n)
    which = np.tile(period_code.astype(np.int64) * len(md_values), m) + np.repeat(np.maximum(md_code, 0), n)
    ref_date = texts.take(pa.array(np.where(undated, 0, which), mask=undated)) if len(md_values) else pa.nulls(n * m, pa.large_string())
    columns = {c: long[c].array for c in ("pref_code", "pref_name_ja", "item_code", "item_name_ja", "time_basis")}
    columns |= {"year": pd.arrays.IntegerArray(period, ~is_year),
                "fiscal_year": pd.arrays.IntegerArray(period.copy(), ~is_fiscal),
                "ref_date": pd.array(ref_date, dtype=long["pref_code"].dtype),
                "value": long["value"].to_numpy(), "value_note": long["value_note"].array}
    return pd.DataFrame(columns, copy=False)


def key_variables(items: pd.DataFrame) -> pd.DataFrame:
    """Canonical columns by ``pref_code`` × ``year`` (all canonical items are calendar-year based).

    Population columns are 10月1日現在 of ``year``; births, deaths, TFR and migration are totals of
    calendar ``year``. ``value_note`` lists ``name:reason`` for NaN values.

    One row per prefecture × year of the canonical items' prefectures and years (every combination, as
    ``pivot_table(dropna=False)``); a cell holds the first non-NaN value of its items in row order.
    Computed on integer codes of the canonical rows (Arrow hashing, no pandas pivot).
    """
    layout = _lookup()
    if layout.fiscal_canonical:
        msg = f"canonical SSDSE-B items must be calendar-year based; fiscal-year items: {layout.fiscal_canonical}"
        raise LayoutError("items.csv", msg)
    canon_items = [c for c, _ in layout.canonical]
    canon_of_code, canon_names = pd.factorize(pd.Index([k for _, k in layout.canonical], dtype="str"))  # layout's order
    canon_index = dict(zip(canon_items, canon_of_code.tolist(), strict=True))
    rows, item_code, distinct = _parse.rows_with(items["item_code"], set(canon_items))
    take = pa.array(rows, type=pa.int64())
    canon_code = np.array([canon_index.get(c, -1) for c in distinct], dtype=np.int64)[item_code]
    pref, prefs, pref_of = _parse.sorted_codes(*_parse.codes_at(items["pref_code"], rows))  # NaN → -1
    year, years = pd.factorize(items["year"].take(rows), sort=True)  # NA → -1
    n_year, n_canon = len(years), len(canon_names)
    value = items["value"].to_numpy(dtype="float64")[rows]
    keyed = (pref >= 0) & (year >= 0)  # rows with a missing key fall outside the prefecture × year product
    row_key = pref.astype(np.int64) * n_year + year
    filled = keyed & ~np.isnan(value)
    cells, first = np.unique((row_key * n_canon + canon_code)[filled], return_index=True)
    grid = np.full((len(prefs) * n_year, n_canon), np.nan)
    grid[cells // n_canon, cells % n_canon] = value[filled][first]
    notes = np.full(len(prefs) * n_year, None, dtype=object)
    note_cells = pa.array(items["value_note"], from_pandas=True).take(take)
    noted = np.flatnonzero(keyed & pc.is_valid(note_cells).to_numpy(zero_copy_only=False))
    if len(noted):
        joined: dict[int, list[str]] = {}
        for i, text in zip(noted.tolist(), note_cells.take(pa.array(noted)).to_pylist(), strict=True):
            joined.setdefault(int(row_key[i]), []).append(f"{canon_names[canon_code[i]]}:{text}")
        for key_value, texts in joined.items():
            notes[key_value] = ";".join(texts)
    # Names from the first row of each prefecture in items.
    name_row = _parse.first_rows_of(items["pref_code"], int(pref_of.max()) + 1 if len(pref_of) else 0)[pref_of]
    pref_of_row = np.repeat(np.arange(len(prefs)), n_year)
    columns = {"pref_code": prefs.take(pref_of_row).array,
               "pref_name_ja": items["pref_name_ja"].array.take(name_row[pref_of_row]),
               "year": np.tile(np.asarray(years, dtype="int64"), len(prefs))}
    columns |= {name: grid[:, j] for j, name in enumerate(canon_names)}
    columns["value_note"] = pd.array(notes, dtype="str")
    return pd.DataFrame(columns, copy=False)


def validate(items: pd.DataFrame) -> pd.DataFrame:
    """47 prefectures, one value per prefecture × item × period."""
    n = _parse.n_distinct(items["pref_code"])  # NaN not counted, as nunique
    if n != 47:
        raise RawDataError("SSDSE-B", "47 prefectures", found=n)
    if _parse.has_duplicates(items, ["pref_code", "item_code", "year", "fiscal_year"]):
        raise RawDataError("SSDSE-B", "one row per prefecture × item × period", found="duplicates")
    return items


def load(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """The tidy long table (sha256-verified through the manifest)."""
    vintage = str(vintage)
    return validate(parse(manifest.path(SOURCE, vintage, filename(vintage)), vintage=vintage))


def load_key_variables(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """Canonical population / vital-statistics columns (see :func:`key_variables`)."""
    return key_variables(load(vintage))


def load_items(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """Build the ``items`` table: :func:`load` called through the module.

    A build that memoises ``load`` (``store.memoised``) so parses and validates the file once for both tables.
    """
    return load(vintage)


TABLES = _parse.covered_tables(SOURCE, {"items": load_items, "key_variables": load_key_variables})
