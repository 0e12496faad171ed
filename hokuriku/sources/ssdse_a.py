"""統計センター「教育用標準データセット SSDSE-A（市区町村）」, editions 2018–2026.

Publisher: 独立行政法人統計センター (National Statistics Center), built from 総務省統計局
「社会・人口統計体系（SSDS）市区町村データ」. One CSV per edition, https://www.nstac.go.jp/use/literacy/ssdse/.

Layout quirks (all editions):

- CP932 (Shift_JIS) text; three header rows: row 1 = SSDS item codes (``A1101`` …), row 2 = the
  reference year of each column (labelled 年度 but calendar year for census / 人口動態 items and
  fiscal year for 財政 items: it is kept as printed in ``ref_year``), row 3 = Japanese labels.
- The first three row-1 cells change between editions (``Code``/``code``/``SSDSE-A-2021``), so
  the key columns are recognised by their row-3 labels 地域コード・都道府県・市区町村.
- Area codes are ``R`` + the 5-digit 全国地方公共団体コード (``R16201`` = 富山市); 1,741 units
  (政令市 as whole cities, 東京23区 as wards). No prefecture or national rows.
- Item codes differ between editions (経済センサス 2014 ``C2107``/``C210709`` until the 2020 edition,
  民営 ``C2108``/``C210837`` from 2021) and labels are re-worded (人口総数 → 総人口, full-width
  digits until 2019). ``layouts/ssdse_a/canonical.csv`` maps item codes per edition to
  canonical names with units; an edition lacking an item has no row there.
- Units are not printed; they follow the label (人, 世帯, 件, 事業所, ha for 面積 B1101/B1103).

Tables: ``items`` (every cell, tidy long) and ``key_variables`` (canonical variables, one row
per municipality × reference year, one column per canonical variable).
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

SOURCE = "ssdse_a"
DEFAULT_VINTAGE = "2026"
ENCODING = "cp932"
KEY_LABELS = ("地域コード", "都道府県", "市区町村")  # row 3, columns 1-3: stable in every edition
N_HEADER_ROWS = 3
_AREA_CODE = re.compile(r"^R(\d{5})$")
_ITEM_CODE = re.compile(r"^[A-Z]\d{4,6}$")
_YEAR = re.compile(r"\d{4}")


def filename(vintage: str) -> str:
    """The publisher's file name of an edition (``SSDSE-A-2026.csv``)."""
    return f"SSDSE-A-{vintage}.csv"


def read_header(rows: list[list[str]], file: str | Path) -> pd.DataFrame:
    """Item code, reference year and label of every item column (validated)."""
    if len(rows) < N_HEADER_ROWS:
        raise RawDataError(file, f"{N_HEADER_ROWS} header rows (codes, years, labels)", found=f"{len(rows)} rows")
    codes, years, labels = rows[0], rows[1], rows[2]
    if tuple(_parse.nfkc(x) for x in labels[:3]) != KEY_LABELS:
        raise LayoutError(file, f"row-3 key labels {KEY_LABELS}", found=tuple(labels[:3]), row=3)
    if not (len(codes) == len(years) == len(labels)):
        raise LayoutError(file, "three header rows of equal length", found=(len(codes), len(years), len(labels)), row=1)
    if len(codes) <= len(KEY_LABELS):
        raise RawDataError(file, "item columns after 地域コード, 都道府県, 市区町村", found="none", row=1)
    item_codes, ref_years = [], []
    for j in range(3, len(codes)):
        code, year = codes[j].strip(), _parse.nfkc(years[j])
        if not _ITEM_CODE.match(code):
            raise LayoutError(file, "an SSDS item code like 'A1101' in row 1", found=code, row=1, column=f"#{j + 1}")
        if not _YEAR.fullmatch(year):
            raise LayoutError(file, "a 4-digit reference year in row 2", found=years[j], row=2, column=code)
        item_codes.append(code)
        ref_years.append(int(year))
    header = pd.DataFrame({"col": np.arange(3, len(codes), dtype=np.int64), "item_code": pd.array(item_codes, dtype="str"),
                           "ref_year": np.asarray(ref_years, dtype=np.int64),
                           "item_name_ja": pd.array([x.strip() for x in labels[3:]], dtype="str")})
    seen: set[str] = set()
    dup = [c for c in item_codes if c in seen or seen.add(c)]  # each repeat of an earlier code, as duplicated()
    if dup:
        raise LayoutError(file, "unique item codes in row 1", found=dup, row=1)
    return header


@_parse.contained
def parse(path: Path, *, vintage: str) -> pd.DataFrame:
    """Every cell of one SSDSE-A edition as a tidy long table.

    Returns columns ``muni_code`` (5-digit), ``pref_code``, ``pref_name_ja``, ``muni_name_ja``,
    ``item_code``, ``item_name_ja``, ``ref_year`` (the file's row-2 year), ``value`` (float, the
    published unit) and ``value_note`` (None, or the reason a value is NaN).
    """
    data = _parse.read_bytes(Path(path))
    # Every value cell a plain number (every edition): Arrow's reader parses them, from the CP932 bytes (or the
    # decoded text of a re-saved UTF-8 file); else every cell as text.
    fast = _parse.cp932_grid_numbers(data, skip_rows=N_HEADER_ROWS, first_number=len(KEY_LABELS))
    text = _parse.decode_text(Path(path), data, ENCODING) if fast is None else None
    numbers = _parse.csv_arrow_numbers(text, skip_rows=N_HEADER_ROWS, first_number=len(KEY_LABELS)) if text else None
    if fast is not None or numbers is not None:
        head, (key_columns, values) = (fast[0], fast[1:]) if fast else (_parse.head_lines(text, N_HEADER_ROWS), numbers)
        header = read_header(head, path)
        keys = _arrow_keys(key_columns, path)
        notes = (np.empty(0, dtype=np.int64), np.empty(0, dtype=object))  # no cell with a reason
        return _stack(keys, header, values, notes)
    table = _parse.csv_arrow(text)  # the vectorised reader; None when the text needs csv.reader (then csv_rows)
    if table is not None:
        header = read_header(_parse.head_lines(text, min(N_HEADER_ROWS, table.num_rows)), path)
        columns = table.slice(N_HEADER_ROWS).columns  # a grid: every row has the header's width
        n = table.num_rows - N_HEADER_ROWS
        if n == 0:
            raise RawDataError(path, "at least one municipality row after the 3 header rows", found="none")
        keys = _arrow_keys(columns[:3], path)
    else:
        rows = _parse.csv_rows(text, file=path)
        header = read_header(rows, path)
        body = rows[N_HEADER_ROWS:]
        n = len(body)
        keys = _row_keys(body, len(rows[0]), path)
    row_numbers = list(range(N_HEADER_ROWS + 1, N_HEADER_ROWS + 1 + n))
    # All items in one vectorised call; values come back item by item (columns × rows), as the long table stacks them.
    if table is not None:
        values, notes = _parse.to_numeric_arrow([columns[j] for j in header["col"]], file=path,
                                                names=header["item_code"].tolist(), row_numbers=row_numbers,
                                                sparse=True)
    else:
        grid = np.array(body, dtype=object)[:, header["col"].to_numpy()]  # rows × item cells
        values, notes = _parse.to_numeric_grid(grid, file=path, columns=header["item_code"].tolist(),
                                               row_numbers=row_numbers)
    return _stack(keys, header, values, notes)


def _stack(keys: tuple[list[str], list[str], list[str]], header: pd.DataFrame, values: np.ndarray, notes) -> pd.DataFrame:  # noqa: ANN001
    """One frame for all items: municipality keys repeated per item, item attributes repeated per row."""
    muni_codes, pref_names, muni_names = keys
    rows = {"muni_code": muni_codes, "pref_code": [c[:2] for c in muni_codes], "pref_name_ja": pref_names,
            "muni_name_ja": muni_names}
    attributes = {"item_code": header["item_code"].tolist(), "item_name_ja": header["item_name_ja"].tolist(),
                  "ref_year": header["ref_year"].to_numpy(dtype="int64")}
    return _parse.stack_columns(rows, attributes, values, notes)


def _row_keys(body: list[list[str]], width: int | None, path: Path) -> tuple[list[str], list[str], list[str]]:
    """5-digit area codes, prefecture and municipality names of the body rows (checked: row width, area code)."""
    keys = []
    for i, r in enumerate(body, start=N_HEADER_ROWS + 1):
        if width is not None and len(r) != width:
            raise RawDataError(path, f"{width} cells per row (truncated or shifted row?)", found=len(r), row=i)
        m = _AREA_CODE.match(r[0].strip())
        if not m:
            raise RawDataError(path, "an area code like 'R16201'", found=r[0], row=i, column="地域コード")
        keys.append((m.group(1), r[1].strip(), r[2].strip()))
    if not keys:
        raise RawDataError(path, "at least one municipality row after the 3 header rows", found="none")
    return tuple(list(c) for c in zip(*keys, strict=True))


def _arrow_keys(columns: list, path: Path) -> tuple[list[str], list[str], list[str]]:
    """:func:`_row_keys` of the first three Arrow columns of a grid: when every area code is ``R`` + 5 ASCII
    digits and no name has a leading or trailing space (every edition) the keys are the cells as they are;
    else row by row."""
    codes, prefs, munis = (c.to_pylist() for c in columns)
    if pc.all(pc.match_substring_regex(columns[0], r"^R[0-9]{5}$")).as_py() and not any(
            _parse.edge_spaces(c) for c in columns[1:]):
        return [c[1:] for c in codes], prefs, munis
    return _row_keys(list(zip(codes, prefs, munis, strict=True)), None, path)


def _factorized(values: pd.Series) -> tuple[np.ndarray, list]:
    """``pd.factorize(values)``: codes in order of first appearance (-1 for NaN) and the distinct values.

    From the item codes a column of :func:`_parse.stack_columns` was repeated from (``_parse.factorize``);
    else through runs of equal values when the column has few (the long table's item columns hold one run
    per item: adjacent cells compared, ~1 hash per run instead of per row); else by pandas' hashing.
    """
    if _parse.known_codes(values):
        return _parse.factorize(values)
    try:
        runs = pc.run_end_encode(pa.array(values, from_pandas=True))
    except (pa.ArrowException, TypeError, ValueError):
        runs = None
    if runs is None or len(runs.values) * 8 > len(values):
        codes, uniques = pd.factorize(values)
        return codes.astype(np.int64, copy=False), list(uniques)
    run_codes, uniques = pd.factorize(np.asarray(runs.values.to_pylist(), dtype=object))
    lengths = np.diff(runs.run_ends.to_numpy(zero_copy_only=False), prepend=0)
    return np.repeat(run_codes.astype(np.int64, copy=False), lengths), list(uniques)


def _sorted_int_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(values, sort=True)`` of int64 values (reference years): by counting when their range is
    small, else by pandas."""
    if values.dtype.kind == "i" and len(values) and int(values.max()) - int(values.min()) < 1 << 16:
        low = values.min()
        present = np.flatnonzero(np.bincount(values - low))
        rank = np.zeros(len(present) and int(present[-1]) + 1, dtype=np.int64)
        rank[present] = np.arange(len(present))
        return rank[values - low], present + low
    codes, uniques = pd.factorize(values, sort=True)
    return codes.astype(np.int64, copy=False), uniques


def _first_values(row: np.ndarray, canon: np.ndarray, value: np.ndarray, n_canon: int,
                  n_rows: int) -> tuple[np.ndarray, np.ndarray]:
    """The rows (of ``0 … n_rows-1``, sorted) that have a value, and an ``n_canon`` × rows grid (one contiguous row
    per canonical: the frame's columns) holding in each (row, canonical) cell the first of its values (the
    values are in pair order).

    One value per cell (every edition): placed directly; else the first of each cell by a stable sort.
    """
    cell = row * n_canon + canon
    if n_rows * n_canon <= max(1 << 22, 4 * len(cell)):
        seen = np.zeros(n_rows * n_canon, dtype=bool)
        seen[cell] = True
        if int(np.count_nonzero(seen)) == len(cell):
            has = np.zeros(n_rows, dtype=bool)
            has[row] = True
            wide = np.flatnonzero(has)
            grid = np.full((n_canon, len(wide)), np.nan)
            grid[canon, np.cumsum(has)[row] - 1] = value
            return wide, grid
    cells, first = np.unique(cell, return_index=True)  # first value per cell
    cell_row = cells // n_canon  # sorted: the rows with a value are its distinct values
    new_row = np.empty(len(cells), dtype=bool)
    new_row[:1] = True
    np.not_equal(cell_row[1:], cell_row[:-1], out=new_row[1:])
    wide = cell_row[new_row]
    grid = np.full((n_canon, len(wide)), np.nan)
    grid[cells % n_canon, np.cumsum(new_row) - 1] = value[first]
    return wide, grid


_CanonicalRow = collections.namedtuple("_CanonicalRow", "edition canonical item_code label_ja unit")


def _canonical_rows(vintage: str) -> list:
    """:func:`canonical_map` as a list of rows (``canonical``, ``item_code``, ``label_ja`` …), read from the shared
    layout frame without a copy."""
    layout = _parse.shared_layout(SOURCE, "canonical")
    edition = str(vintage)
    rows = [_CanonicalRow._make(r) for r in zip(*(layout[c].tolist() for c in _CanonicalRow._fields), strict=True)
            if r[0] == edition]
    if not rows:
        canonical_map(vintage)  # raises the LayoutError naming the editions
    return rows


def canonical_map(vintage: str) -> pd.DataFrame:
    """Rows of ``layouts/ssdse_a/canonical.csv`` for one edition (canonical, item_code, label_ja, unit)."""
    layout = _parse.load_layout(SOURCE, "canonical")
    sel = layout[layout["edition"] == str(vintage)]
    if sel.empty:
        msg = f"layouts/ssdse_a/canonical.csv has no rows for edition {vintage!r}; editions: {sorted(layout['edition'].unique())}"
        raise LayoutError("canonical.csv", msg)
    return sel.reset_index(drop=True)


def key_variables(items: pd.DataFrame, *, vintage: str, file: str | Path = "SSDSE-A") -> pd.DataFrame:
    """Canonical variables of one edition: one row per ``muni_code`` × ``ref_year``.

    Each canonical column (``population_persons``, ``manufacturing_employees_persons``, ``area_ha`` …)
    is filled on the row of its own reference year, so values of different years are never
    presented as one cross-section. ``value_note`` lists ``name:reason`` for canonical values
    that are NaN in the publication. Raises :class:`LayoutError` if an item of the layout map is
    missing from the file or its label was renamed.

    A canonical cell holds the first non-NaN value of its items (in row order) for that municipality
    and year; rows whose canonical values are all NaN are left out; names are those of the first row of
    each municipality. (What ``pivot_table(aggfunc="first")`` then ``dropna(how="all")`` gives, computed
    on integer codes of the mapped rows only.)
    """
    cmap = _canonical_rows(vintage)
    map_codes = [r.item_code for r in cmap]
    # The rows of the mapped items, and their item codes numbered in order of first appearance.
    wanted = set(map_codes)
    rows, item_code, distinct = _parse.rows_with(items["item_code"], wanted)
    kept = np.flatnonzero(np.fromiter((v in wanted for v in distinct), dtype=bool, count=len(distinct)))
    renumber = np.full(len(distinct), -1, dtype=np.int64)
    renumber[kept] = np.arange(len(kept))
    item_idx = renumber[item_code]
    present = {distinct[c]: i for i, c in enumerate(kept.tolist())}
    first_of_item = _parse.first_rows(item_idx, len(kept))  # first mapped row of each (numbered in order of appearance)
    labels = pa.array(items["item_name_ja"], from_pandas=True).take(pa.array(rows[first_of_item])).to_pylist()
    for r in cmap:
        if r.item_code not in present:
            raise LayoutError(file, f"item {r.item_code} ({r.label_ja}) for {r.canonical}", found="no such column", row=1, column=r.item_code)
        label = labels[present[r.item_code]]
        if _parse.nfkc(label) != _parse.nfkc(r.label_ja):
            raise LayoutError(file, f"label {r.label_ja!r} for {r.item_code}", found=label, row=3, column=r.item_code)
    canon_of_map, canon_names = pd.factorize(np.asarray([r.canonical for r in cmap], dtype=object))  # layout's order
    # (mapped row, canonical) pairs in row order, a row's canonicals in the layout's order (the inner merge's order).
    if len(set(map_codes)) == len(map_codes):
        canon_of_item = np.empty(len(present), dtype=np.int64)
        canon_of_item[[present[c] for c in map_codes]] = canon_of_map
        pos, canon = np.arange(len(rows)), canon_of_item[item_idx]
    else:
        parts = [(np.flatnonzero(item_idx == present[c]), k) for k, c in enumerate(map_codes)]
        pos = np.concatenate([p for p, _ in parts])
        k = np.concatenate([np.full(len(p), k) for p, k in parts])
        order = np.lexsort((k, pos))
        pos, canon = pos[order], canon_of_map[k[order]]
    src = rows[pos]  # row of items of each pair
    muni_code, munis, muni_of = _parse.sorted_codes(*_parse.codes_at(items["muni_code"], rows))
    year_code, years = _sorted_int_codes(items["ref_year"].to_numpy()[rows])
    muni_code, year_code = muni_code[pos], year_code[pos]
    value = items["value"].to_numpy(dtype="float64")[src]
    keyed = (muni_code >= 0) & (year_code >= 0)
    row_key = muni_code.astype(np.int64) * len(years) + year_code  # sorts as (muni_code, ref_year)
    n_canon = len(canon_names)
    filled = keyed & ~np.isnan(value)
    wide_keys, grid = _first_values(row_key[filled], canon[filled], value[filled], n_canon, len(munis) * len(years))
    # value_note: "canonical:reason" of the noted pairs of each kept row, joined by ";" in pair order.
    all_notes = pa.array(items["value_note"], from_pandas=True)
    notes = np.full(len(wide_keys), None, dtype=object)
    if all_notes.null_count < len(all_notes):  # a column without any note (most editions) needs no take
        note_cells = all_notes.take(pa.array(src))
        noted = np.flatnonzero(keyed & pc.is_valid(note_cells).to_numpy(zero_copy_only=False))
    else:
        noted = ()
    if len(noted):
        joined: dict[int, list[str]] = {}
        texts = note_cells.take(pa.array(noted)).to_pylist()
        for i, text in zip(noted.tolist(), texts, strict=True):
            joined.setdefault(int(row_key[i]), []).append(f"{canon_names[canon[i]]}:{text}")
        for key_value, texts in joined.items():
            at = np.searchsorted(wide_keys, key_value)
            if at < len(wide_keys) and wide_keys[at] == key_value:
                notes[at] = ";".join(texts)
    # Names of each municipality from its first row in items (codes number the values in order of appearance).
    wide_muni = wide_keys // len(years)
    name_row = _parse.first_rows_of(items["muni_code"], int(muni_of.max()) + 1 if len(muni_of) else 0)[muni_of][wide_muni]
    name_cols = ["muni_code", "pref_code", "pref_name_ja", "muni_name_ja"]
    columns = {c: items[c].array.take(name_row) for c in name_cols} | {"ref_year": years.take(wide_keys % len(years))}
    columns |= {name: grid[j] for j, name in enumerate(canon_names)} | {"value_note": pd.array(notes, dtype="str")}
    return pd.DataFrame(columns, copy=False)  # the columns as they are (no consolidation copy of the grid)


def validate(items: pd.DataFrame, *, vintage: str) -> pd.DataFrame:
    """Check an edition against ``layouts/ssdse_a/editions.csv`` (municipality and item counts)."""
    ed = _parse.load_layout(SOURCE, "editions").set_index("edition").loc[str(vintage)]
    # A long table as parse() built it: counts and the duplicate check from its n municipalities and m items.
    dup = _parse.stacked_duplicates(items, ["muni_code", "item_code"])
    if dup is not None:
        n_muni, n_items = _parse.n_distinct(items["muni_code"]), _parse.n_distinct(items["item_code"])
    else:  # each key column factorised once, for the counts (NaN not counted, as nunique) and the duplicate check
        muni, muni_values = _parse.factorize(items["muni_code"])
        item, item_values = _factorized(items["item_code"])
        n_muni, n_items = len(muni_values), len(item_values)
    if n_muni != int(ed["n_municipalities"]) or n_items != int(ed["n_items"]):
        raise RawDataError(filename(vintage), f"{ed['n_municipalities']} municipalities × {ed['n_items']} items",
                           found=f"{n_muni} × {n_items}")
    if dup is False:
        return items
    if dup:
        muni, _ = _parse.factorize(items["muni_code"])
        item, _ = _factorized(items["item_code"])
    # One int64 key per (muni_code, item_code) pair (code -1 = NaN is a value of its own, as in duplicated()):
    # counted in one pass; the duplicated rows are looked up only when a pair occurs twice.
    pair = (muni.astype(np.int64) + 1) * (n_items + 1) + (item + 1)
    if len(pair) and np.bincount(pair, minlength=(n_muni + 1) * (n_items + 1)).max() > 1:
        dup = pd.Series(pair, index=items.index).duplicated()
        raise RawDataError(filename(vintage), "one row per municipality and item",
                           found=items.loc[dup, "muni_code"].iloc[0])
    return items


def load(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """The tidy long table of one edition, read through the manifest (sha256-verified)."""
    vintage = str(vintage)
    path = manifest.path(SOURCE, vintage, filename(vintage))
    return validate(parse(path, vintage=vintage), vintage=vintage)


def load_key_variables(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """Canonical key variables of one edition (see :func:`key_variables`)."""
    return key_variables(load(vintage), vintage=str(vintage), file=filename(str(vintage)))


def load_items(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """Build the ``items`` table: :func:`load` called through the module.

    A build that memoises ``load`` (``store.memoised``) so parses and validates an edition once for both tables.
    """
    return load(vintage)


TABLES = _parse.covered_tables(SOURCE, {"items": load_items, "key_variables": load_key_variables})
