"""Municipal-code converter 1980–2020 (Kondo, RIETI): the merger crosswalk as tidy tables.

Publisher and table
    ``municipality_converter_jp.csv`` by Keisuke Kondo (RIETI; repository
    keisukekondokk/municipality-converter), built from 総務省 information on 市町村合併 published on
    e-Stat. Derived research data under Kondo's Terms of Use (see the manifest).

Layout (``layouts/muni_converter/columns.csv``)
    One row per ``merge_id_muni`` (every municipality that ever existed, keyed by its own code);
    for each snapshot year 1980, 1985, …, 2020 (1 October) the code ``id_muni<YYYY>`` and name
    ``name_muni<YYYY>`` of the municipality that unit belonged to (blank before it existed); seven
    note columns (新設合併, 編入合併, 政令市施行, 市制, 町制, 郡変更, 名称変更) in Japanese prose.

Quirks
    Codes are integers without the leading zero (``1100`` = 01100). 政令指定都市 appear as whole
    cities (no wards); 東京23区 appear as municipalities. Names are "都道府県 [郡] 名称" separated by a
    space. UTF-8 without BOM.

Tables
    ``crosswalk``: merge_id, snapshot_year, ref_date, muni_code, muni_name_ja (one row per unit and
    snapshot it existed in). ``notes``: merge_id, note_type, note. Harmonisation itself lives in
    :func:`hokuriku.codes.municipalities.harmonize`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from hokuriku import manifest
from hokuriku.codes import municipalities
from hokuriku.errors import InputError, RawDataError
from hokuriku.sources import _parse

SOURCE = "muni_converter"
DEFAULT_VINTAGE = "2020"
FILENAME = "municipality_converter_jp.csv"
ENCODING = "utf-8"


def _read(path: Path) -> tuple[dict[str, pa.Array], list[str]]:
    """The CSV as columns of strings (Arrow arrays by header name), and its checked merge ids."""
    text = _parse.read_text(path, ENCODING)  # verified on every call
    required = tuple(_parse.shared_layout(SOURCE, "columns")["raw"])
    raw = _frame(text, path, required)
    return raw, list(_merge_ids(text, path, required))


@functools.lru_cache(maxsize=1)
def _frame(text: str, path: Path, required: tuple[str, ...]) -> dict[str, pa.Array]:
    """The CSV text as columns of strings (Arrow) by header name; the two tables of a build read the same
    text, parsed once.

    A quote-free grid is split by :func:`_parse.csv_arrow` (the cells :func:`_parse.csv_rows` gives); any other
    text by ``csv_rows``, whose rows must all have the header's width.
    """
    grid = _parse.csv_arrow(text)
    if grid is not None:
        header = [column[0].as_py() for column in grid.columns]
        if len(set(header)) == len(header):
            _parse.require_columns(header, list(required), file=path, row=1)
            return {name: column.combine_chunks().slice(1) for name, column in zip(header, grid.columns, strict=True)}
    rows = _parse.csv_rows(text, file=path)
    if not rows:
        raise RawDataError(path, "a header row", found="empty file")
    header = rows[0]
    _parse.require_columns(header, list(required), file=path, row=1)
    width = len(header)
    for i, row in enumerate(rows[1:], start=2):
        if len(row) != width:
            raise RawDataError(path, f"{width} fields per row", found=f"{len(row)} fields", row=i)
    columns = list(zip(*rows[1:], strict=True)) if len(rows) > 1 else [() for _ in header]
    out: dict[str, pa.Array] = {}
    for name, cells in zip(header, columns, strict=True):
        if name not in out:  # a repeated header: its first column (as required_columns sees it)
            out[name] = pa.array(cells, type=pa.large_string())
    return out


_DIGITS = re.compile(r"[0-9]{1,5}")


def _code(value: str, *, path: Path, row: int, column: str) -> str | None:
    if value == "":
        return None
    if _DIGITS.fullmatch(value):  # ASCII digits (nearly every cell): what validate_code5(int(value)) returns
        text = value.zfill(5)
        if "01" <= text[:2] <= "47":
            return text
    try:
        return municipalities.validate_code5(int(value))
    except (ValueError, InputError):
        raise RawDataError(path, "an integer municipal code", found=value, row=row, column=column) from None


def _codes(values: pd.Series | np.ndarray, *, path: Path, column: str) -> list[str | None]:
    """:func:`_code` of every cell, called once per distinct cell (≈2,000 codes in 7,000 rows).

    Distinct cells of 1–5 ASCII digits with a prefecture part 01–47 are padded in one vectorised pass
    (what :func:`_code` returns for them); only the others go through :func:`_code`. A bad cell is
    reported at its first row (the first failing distinct value is the first failing row).
    """
    cells, distinct = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
    texts = np.asarray(distinct, dtype=object)
    mapped, slow = _padded(texts)
    if slow.any():
        _, first = np.unique(cells, return_index=True)  # first row of each distinct value, in order of appearance
        for k in np.flatnonzero(slow).tolist():
            mapped[k] = _code(texts[k], path=path, row=int(first[k]) + 2, column=column)
    return mapped[cells].tolist()


def _padded(texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The padded code of each distinct cell of 1–5 ASCII digits with a prefecture part 01–47 (else None),
    and which cells are not such (they go through :func:`_code`)."""
    mapped = np.full(len(texts), None, dtype=object)
    slow = np.ones(len(texts), dtype=bool)
    if len(texts) and pd.api.types.infer_dtype(texts, skipna=False) == "string" and _encodable(texts):
        strings = pa.array(texts, type=pa.large_string())
        padded = pc.utf8_lpad(strings, 5, "0")
        pref = pc.utf8_slice_codeunits(padded, 0, 2)
        ok = pc.and_(pc.match_substring_regex(strings, f"^{_DIGITS.pattern}$"),
                     pc.and_(pc.greater_equal(pref, "01"), pc.less_equal(pref, "47")))
        ok = ok.to_numpy(zero_copy_only=False).astype(bool)
        mapped[ok] = np.asarray(padded.to_pylist(), dtype=object)[ok]
        slow = ~ok
    return mapped, slow


def _code_columns(columns: list[pa.Array], names: list[str], *, path: Path) -> tuple[list, np.ndarray]:
    """:func:`_codes` of several columns of one length, stacked column after column, as (distinct codes, index).

    The distinct cells of all columns are padded in one pass; when any cell needs :func:`_code`, each
    column goes through :func:`_codes`, which reports the first bad cell of the first bad column.
    """
    cells, distinct = _distinct(columns)
    mapped, slow = _padded(distinct)
    if (slow & (distinct != "")).any():  # a blank cell is None (:func:`_code`); any other goes through _codes
        codes = [v for col, name in zip(columns, names, strict=True)
                 for v in _codes(col.to_numpy(zero_copy_only=False), path=path, column=name)]
        cells, uniques = pd.factorize(np.array(codes, dtype=object))
        return [*uniques.tolist(), None], np.where(cells < 0, len(uniques), cells)  # None: a blank cell
    return mapped.tolist(), cells


def _distinct(columns: list[pa.Array]) -> tuple[np.ndarray, np.ndarray]:
    """Index of every cell (column after column) into the distinct cells (object array), in order of appearance."""
    encoded = pc.dictionary_encode(pa.concat_arrays(columns) if columns else pa.array([], type=pa.large_string()))
    return encoded.indices.to_numpy(zero_copy_only=False), encoded.dictionary.to_numpy(zero_copy_only=False)


def _encodable(texts: np.ndarray) -> bool:
    """Return True when the text cells can be held by Arrow (UTF-8: no lone surrogates)."""
    try:
        "".join(texts).encode("utf-8")
    except UnicodeError:
        return False
    return True


@functools.lru_cache(maxsize=1)
def _merge_ids(text: str, path: Path, required: tuple[str, ...]) -> tuple[str, ...]:
    """The checked ``merge_id_muni`` codes of the CSV text; the two tables of a build check them once."""
    merge_id = _codes(_frame(text, path, required)["merge_id_muni"].to_numpy(zero_copy_only=False), path=path,
                      column="merge_id_muni")
    if any(m is None for m in merge_id) or len(set(merge_id)) != len(merge_id):
        raise RawDataError(path, "a unique merge_id_muni on every row", found="blank or duplicate ids",
                           column="merge_id_muni")
    return tuple(merge_id)


def _names(values: pd.Series | np.ndarray) -> list[str]:
    """``values.map(_parse.nfkc)``, normalising the distinct names in one call.

    NFKC never joins a character across a line end and never makes one, so the distinct names joined by
    ``\n`` normalise to their normalised forms joined by ``\n`` (checked by the count; one by one when a
    name holds a line end).
    """
    cells, distinct = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
    return _normalised(distinct.tolist())[cells].tolist()


def _normalised(distinct: list) -> np.ndarray:
    """``_parse.nfkc`` of each distinct name (an object array), in one ``unicodedata.normalize`` call.

    See :func:`_names`.
    """
    texts = [str(v) for v in distinct]
    normal = None
    if not any("\n" in t for t in texts):
        normal = unicodedata.normalize("NFKC", "\n".join(texts)).split("\n")
    if normal is None or len(normal) != len(texts):
        normal = [_parse.nfkc(v) for v in distinct]
    mapped = np.empty(len(texts), dtype=object)
    mapped[:] = [t.strip() for t in normal]
    return mapped


@_parse.contained
def parse(path: Path, *, vintage: str = DEFAULT_VINTAGE, table: str = "crosswalk") -> pd.DataFrame:
    """Parse the converter into the tidy ``crosswalk`` (default) or ``notes`` table.

    Rows are built in their final order (``merge_id``, then snapshot year or note type) from integer ranks
    (the merge ids are unique, checked by :func:`_merge_ids`); text columns go to Arrow in one call each.
    """
    path = Path(path)
    layout = _parse.shared_layout(SOURCE, "columns")
    # Load inputs.
    raw, merge_id = _read(path)
    m = len(merge_id)
    ids = pa.array(merge_id, type=pa.large_string())
    by_id = np.argsort(np.array(merge_id, dtype=str), kind="stable")  # units in merge_id order
    rank = np.empty(m, dtype="int64")
    rank[by_id] = np.arange(m)
    kinds = layout["kind"].tolist()
    if table == "notes":  # the non-empty notes, sorted by merge_id then note type
        notes = sorted((t, r) for r, k, t in zip(layout["raw"], kinds, layout["note_type"], strict=True) if k == "note")
        units, types, texts = [], [], []
        for j, (_, r) in enumerate(notes):
            keep = np.flatnonzero(pc.not_equal(raw[r], "").to_numpy(zero_copy_only=False))
            units.append(keep)
            types.append(np.full(len(keep), j, dtype="int64"))
            texts.append(raw[r].take(pa.array(keep, type=pa.int64())))
        unit = np.concatenate(units) if units else np.empty(0, dtype="int64")
        kind = np.concatenate(types) if types else np.empty(0, dtype="int64")
        order = np.lexsort((kind, rank[unit]))
        note = pa.concat_arrays(texts) if texts else pa.array([], type=pa.large_string())
        return pd.DataFrame({"merge_id": _text(ids.take(pa.array(unit[order]))),
                             "note_type": _text(pa.array([t for t, _ in notes], type=pa.large_string()).take(
                                 pa.array(kind[order], type=pa.int64()))),
                             "note": _text(note.take(pa.array(order, type=pa.int64())))})
    code_raw = [r for r, k in zip(layout["raw"], kinds, strict=True) if k == "code"]
    name_raw = [r for r, k in zip(layout["raw"], kinds, strict=True) if k == "name"]
    years = np.array([int(y) for y, k in zip(layout["snapshot_year"], kinds, strict=True) if k == "code"],
                     dtype="int64")
    code_values, code_cells = _code_columns([raw[r] for r in code_raw], code_raw, path=path)
    name_cells, name_distinct = _distinct([raw[r] for r in name_raw])
    # One row per unit × snapshot the unit existed in, sorted by merge_id then snapshot year.
    by_year = np.argsort(years, kind="stable")
    # units (in merge_id order) × snapshots (in year order)
    code_grid = code_cells.reshape(len(years), m)[by_year][:, by_id].T
    blank = np.array([c is None for c in code_values], dtype=bool)
    unit, snap = np.nonzero(~blank[code_grid])
    kept = pa.array(code_grid[unit, snap], type=pa.int64())
    name_grid = name_cells.reshape(len(name_raw), m)[by_year][:, by_id].T
    names = pa.array(_normalised(name_distinct.tolist()), type=pa.large_string())
    return pd.DataFrame({
        "merge_id": _text(ids.take(pa.array(by_id[unit], type=pa.int64()))),
        "snapshot_year": years[by_year][snap],
        "ref_date": _text(pa.array([f"{y}-10-01" for y in years[by_year].tolist()], type=pa.large_string()).take(
            pa.array(snap, type=pa.int64()))),
        "muni_code": _text(pa.array(code_values, type=pa.large_string()).take(kept)),
        "muni_name_ja": _text(names.take(pa.array(name_grid[unit, snap], type=pa.int64()))),
        "pref_code": _text(pa.array([c and c[:2] for c in code_values], type=pa.large_string()).take(kept)),
    })


def _text(values: pa.Array):  # noqa: ANN202 - a pandas string array
    """An Arrow text array as pandas ``str``."""
    return pd.array(values, dtype="str")


def load(vintage: str = DEFAULT_VINTAGE, *, table: str = "crosswalk") -> pd.DataFrame:
    """The crosswalk (or ``table="notes"``), read through the verified manifest path."""
    df = parse(manifest.path(SOURCE, vintage, FILENAME), vintage=vintage, table=table)
    if table == "crosswalk":
        validate(df)
    return df


def validate(df: pd.DataFrame) -> None:
    """No code has two successors in a later snapshot (the converter records no splits).

    Checked with integer codes (one successor count per code and snapshot pair by ``np.bincount``); a
    broken rule, a repeated unit × snapshot or a missing key goes through the pandas check below, which
    names it.
    """
    if _one_successor(df):
        return
    wide = df.pivot(index="merge_id", columns="snapshot_year", values="muni_code")
    years = sorted(wide.columns)
    for i, y in enumerate(years[:-1]):
        n = wide.dropna(subset=[y]).groupby(y)[years[i + 1]].nunique()
        if (n > 1).any():
            raise RawDataError(SOURCE, f"one successor per {y} code in {years[i + 1]}",
                               found=n[n > 1].index[:5].tolist())


def _one_successor(df: pd.DataFrame) -> bool:
    """Return True when every code of a snapshot has at most one (non-missing) code in the next snapshot."""
    if df["merge_id"].isna().any() or df["snapshot_year"].isna().any():
        return False
    unit, _ = pd.factorize(df["merge_id"])
    snap, snaps = pd.factorize(df["snapshot_year"], sort=True)
    code, distinct = pd.factorize(df["muni_code"])  # missing → -1
    n_units, n_snaps, n_codes = int(unit.max()) + 1 if len(unit) else 0, len(snaps), len(distinct)
    cell = unit.astype("int64") * n_snaps + snap
    if n_units * n_snaps > 16 * len(cell) + 1_000_000 or len(pd.unique(cell)) != len(cell):
        return False  # a repeated unit × snapshot (pivot refuses it), or too sparse a grid: pandas decides
    grid = np.full(n_units * n_snaps, -1, dtype="int64")
    grid[cell] = code
    grid = grid.reshape(n_units, n_snaps)
    for j in range(n_snaps - 1):
        a, b = grid[:, j], grid[:, j + 1]
        both = (a >= 0) & (b >= 0)
        pairs = pd.unique(a[both] * n_codes + b[both])  # each (code, successor) pair once (hash table)
        if len(pairs) and np.bincount(pairs // n_codes).max() > 1:
            return False
    return True


TABLES = _parse.covered_tables(SOURCE, {
    "crosswalk": lambda vintage: load(vintage),
    "notes": lambda vintage: load(vintage, table="notes"),
})
