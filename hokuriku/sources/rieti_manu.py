"""Municipal manufacturing panel 2001–2012 (工業統計調査 市区町村別・産業中分類別), Kondo / RIETI.

Publisher and table
    経済産業省「工業統計調査」市区町村編 (従業者4人以上の事業所; 2011 = 経済センサス‐活動調査), as
    assembled in Stata files by Keisuke Kondo (RIETI Technical Paper 23-T-001, "Municipality-level
    panel data and municipal mergers in Japan"; repository keisukekondokk/municipality-converter).
    A *derived* copy: see ``data/raw/rieti_manu/2012/MANIFEST.yml`` and its Terms of Use.

Units
    Money (現金給与総額, 原材料使用額等, 製造品出荷額等, 付加価値額, 有形固定資産) in **万円**, kept as
    published (``*_jpy_10k``); establishments (事業所数) and employees (従業者数, 人).

Layout quirks (data in ``layouts/rieti_manu/``)
    - Industry names follow three JSIC revisions: 2001 = Rev.10 (23 classes coded 12–34), 2002–2007 =
      Rev.11 (24 classes 09–32), 2008–2012 = Rev.12 (24 classes 09–32, renumbered). Names are mapped
      to one ``industry_key`` through ``hokuriku/codes/data/jsic_names.csv``; codes never are.
      ``id_sec2d`` 0 is 製造業計 (``industry_key`` ``total``; ``industry_code_jsic`` ``"00"``).
    - Prefecture rows are coded 1000…47000 in 2001–2009 and 1…47 in 2010–2012 (``years.csv``);
      both become ``PP000`` with ``area_level`` ``prefecture``.
    - The industry split exists only for 市 and 区; 町村 have 製造業計 rows only.
    - 2001 stores measures as text with the published symbols (X/χ 秘匿, -/－ 該当なし); later years
      store numbers with suppressed cells missing. Both become NaN with a ``value_note``; nothing is 0.
    - 2012 付加価値額 (``va``) is far below the other years' scale (北海道 32,275,615 万円 vs 164,347,050
      in 2011): apparently a different measure in Kondo's 2012 file. Kept as published; do not use it
      in time series without checking.
    - Municipal names carry full-width spaces that vary by year; they are removed.

``DTA_cao_manu.dta`` is a separate wide panel of 製造品出荷額等 1971–2012 in **百万円** on the
2014–2015 boundaries (1,741 units), labelled by Kondo as 内閣府「選択する未来」委員会 data: table
``muni_shipments_long``.
"""

from __future__ import annotations

import io
import math
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.io.stata import StataReader

from hokuriku import manifest
from hokuriku.codes import industries, municipalities
from hokuriku.errors import LayoutError, RawDataError
from hokuriku.sources import _parse

SOURCE = "rieti_manu"
DEFAULT_VINTAGE = "2012"
CAO_FILE = "DTA_cao_manu.dta"
MEASURES = ("establishments", "employees", "wages_jpy_10k", "materials_jpy_10k", "shipments_jpy_10k",
            "value_added_jpy_10k", "capital_jpy_10k")


def _layout(name: str) -> pd.DataFrame:
    """``layouts/rieti_manu/<name>.csv``, read once while the file is unchanged (twelve files read it)."""
    return _parse.shared_layout(SOURCE, name)


def _derived(what: str, name: str, fn):  # noqa: ANN001, ANN202
    """``fn(layout)`` of ``layouts/rieti_manu/<name>.csv``, computed once while the file is unchanged
    (:func:`_parse.layout_derived`)."""
    return _parse.layout_derived(SOURCE, name, what, fn)


def _years() -> dict[str, dict[str, str]]:
    """``years.csv`` as year → its line (column → text)."""
    return _derived("years", "years", lambda t: dict(zip(t["year"].tolist(), t.to_dict("records"), strict=True)))


def _columns() -> list[tuple[str, str]]:
    """(raw, column) of every line of ``columns.csv``."""
    return _derived("columns", "columns", lambda t: list(zip(t["raw"].tolist(), t["column"].tolist(), strict=True)))


def _measures() -> list[list[str]]:
    """(column, raw, nan_reason) of every measure in ``columns.csv``."""
    return _derived("measures", "columns", lambda t: [
        [column, raw, reason] for column, raw, reason, kind
        in zip(t["column"].tolist(), t["raw"].tolist(), t["nan_reason"].tolist(), t["kind"].tolist(), strict=True)
        if kind == "measure"])


class _Text(NamedTuple):
    """A text column as ``values[codes]``: the distinct strings in order of first appearance, one code a row."""

    codes: np.ndarray
    values: list


Column = np.ndarray | _Text
"""A column of a Stata file: numbers (pandas' dtype and missing values) or text by distinct value
(or, for the measures :func:`_parse_columns` asks so, :class:`_Binary`)."""

_DATE_FORMATS = ("%tc", "%tC", "%td", "%d", "%tw", "%tm", "%tq", "%th", "%ty")  # pandas.io.stata._date_formats


def _read_stata(path: Path, *, undecoded: frozenset[str] = frozenset()) -> dict[str, Column]:
    """The variables of a Stata file by name (see :func:`_stata_columns`); unreadable → RawDataError."""
    data = _parse.read_bytes(Path(path))  # the verified bytes, parsed from memory
    try:
        return _stata_columns(data, undecoded=undecoded)
    except Exception as exc:  # pandas raises ValueError/struct.error/EOFError on broken files
        raise RawDataError(path, "a readable Stata .dta file", found=f"{type(exc).__name__}: {exc}") from exc


def _stata_columns(data: bytes, *, undecoded: frozenset[str] = frozenset()) -> dict[str, Column]:
    """The cells ``pd.read_stata(data, convert_categoricals=False)`` reads, column by column, without a frame.

    pandas' reader parses the header (variables, types, record layout); the records are then viewed in
    place. A numeric variable is its record field with Stata's missing values (outside
    ``StataReader.VALID_RANGE``) as NaN, in float64 for an integer type that has one, as pandas does.
    A fixed-width string variable is dictionary-encoded on its bytes (Arrow, cut at the first NUL) and
    each distinct value decoded once as pandas' ``_decode`` does (UTF-8, falling back to latin-1 with a
    warning). Files pandas reads with more steps (format before 117, strL variables, date formats, no
    rows, a pandas without these reader internals) are read by ``pd.read_stata`` and split the same way.
    tests/sources/test_rieti_manu.py checks :func:`_stata_frame` equals ``pd.read_stata`` on every mirror file.
    A string variable named in ``undecoded`` stays :class:`_Binary` (its distinct bytes in Arrow) when its
    values hold no NUL and the file is UTF-8: :func:`_measure` parses those bytes without making Python text.
    """
    with StataReader(io.BytesIO(data), convert_categoricals=False) as reader:
        try:  # private parts of pandas' reader (pinned pandas): the header, record layout, string decoder
            reader._ensure_open()  # noqa: SLF001
            names, types = list(reader._varlist), list(reader._typlist)  # noqa: SLF001
            formats, nobs = list(reader._fmtlist), reader._nobs  # noqa: SLF001
            fast = (reader._format_version >= 117 and "Q" not in types and nobs > 0  # noqa: SLF001 - Q: strL
                    and not any(str(f).startswith(_DATE_FORMATS) for f in formats))
            dtype, start, decode = reader._setup_dtype(), reader._data_location, reader._decode  # noqa: SLF001
            encoding, valid = reader._encoding, reader.VALID_RANGE  # noqa: SLF001
            swap = reader._byteorder != reader._native_byteorder  # noqa: SLF001
        except AttributeError:
            fast = False
        if not fast:
            frame = reader.read()
            return {name: (_Text(*_factor(frame[name])) if pd.api.types.is_string_dtype(frame[name])
                           else frame[name].to_numpy()) for name in frame.columns}
    records = np.frombuffer(data, dtype=dtype, count=nobs, offset=start)
    if swap:
        records = records.byteswap().view(records.dtype.newbyteorder())
    out: dict[str, Column] = {}
    for i, (name, typ) in enumerate(zip(names, types, strict=True)):
        cells = records[f"s{i}"]
        if isinstance(typ, int):  # str<typ>
            out[name] = _decode_text(cells, encoding, decode, binary=name in undecoded)
            continue
        values = np.array(cells)  # native, contiguous (DataFrame.from_records)
        if typ in valid:
            low, high = valid[typ]
            missing = (values < low) | (values > high)
            if missing.any():
                values = values.astype(values.dtype if values.dtype.kind == "f" else np.float64)
                values[missing] = np.nan
        out[name] = values
    return out


class _Binary(NamedTuple):
    """A text column kept as bytes: ``dictionary[codes]``, the distinct values (Arrow binary, valid UTF-8,
    no NUL) in order of appearance; :func:`_decode_text` would decode each to the same text."""

    codes: np.ndarray
    dictionary: pa.Array


_UTF8 = frozenset({"utf-8", "utf8", "UTF-8", "UTF8"})


def _decode_text(cells: np.ndarray, encoding: str, decode, *, binary: bool = False) -> _Text | _Binary:  # noqa: ANN001
    """Fixed-width Stata strings as :class:`_Text`: each distinct byte string decoded once, as ``decode``.

    With ``binary``, a UTF-8 column whose distinct values are valid UTF-8 without NUL is returned as
    :class:`_Binary` instead (the same values, not yet made Python ``str``).
    """
    distinct = pc.dictionary_encode(pa.array(np.ascontiguousarray(cells)))  # binary, in order of appearance
    indices = distinct.indices.to_numpy(zero_copy_only=False)
    if binary and encoding in _UTF8 and not pc.any(pc.match_substring(distinct.dictionary, "\x00")).as_py():
        try:
            return _Binary(indices, distinct.dictionary.cast(pa.large_string()))  # validates the UTF-8
        except pa.ArrowInvalid:  # not UTF-8: decoded below (pandas' latin-1 fallback)
            pass
    raw = distinct.dictionary.to_pylist()
    joined = b"\x00".join(raw)
    if joined.count(b"\x00") == len(raw) - 1:  # no NUL inside a value (Arrow stops at the first one)
        try:  # one strict decode of every distinct value (NUL-separated) is each value's decode
            return _Text(indices, joined.decode(encoding).split("\x00"))  # distinct bytes → distinct text
        except UnicodeDecodeError:
            pass
    raw = [b.partition(b"\x00")[0] for b in raw]
    try:
        texts = b"\x00".join(raw).decode(encoding).split("\x00")
    except UnicodeDecodeError:
        texts = [decode(b) for b in raw]  # pandas' fallback (latin-1) and warning
    index: dict[str, int] = {}
    remap = np.array([index.setdefault(t, len(index)) for t in texts], dtype="int64")
    return _Text(remap[indices], list(index))


def _stata_frame(data: bytes) -> pd.DataFrame:
    """``pd.read_stata(data, convert_categoricals=False)`` built from :func:`_stata_columns` (for the tests)."""
    columns = _stata_columns(data)
    return pd.DataFrame({name: (pd.array(col.values, dtype="str").take(col.codes) if isinstance(col, _Text) else col)
                         for name, col in columns.items()})


def _factor(values: pd.Series | np.ndarray) -> tuple[np.ndarray, list]:
    """Codes and distinct values (python scalars, in order of appearance) of a column; NaN is a value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return codes, list(uniques.tolist() if hasattr(uniques, "tolist") else uniques)


def _codes(column: Column) -> tuple[np.ndarray, list]:
    return (column.codes, column.values) if isinstance(column, _Text) else _factor(column)


def _mapped(column: Column, fn) -> _Text:  # noqa: ANN001
    """``fn`` of each distinct value of ``column`` (in order of appearance, so the first bad value raises)."""
    codes, distinct = _codes(column)
    return _Text(codes, [fn(u) for u in distinct])


_CLEAN_NAMES: dict[str, str] = {}
"""Municipal name as stored → NFKC without spaces (the twelve files repeat ≈2,000 names)."""


def _clean_names(column: Column) -> _Text:
    """``nfkc(name).replace(" ", "")`` of each distinct municipal name (remembered across the files).

    The names not yet seen are normalised in one ``unicodedata.normalize`` call on their NUL-joined
    text: NUL is a starter that composes with nothing, so each part is its own name's NFKC.
    """
    codes, distinct = _codes(column)
    cache = _CLEAN_NAMES
    cleaned = [cache.get(name) if isinstance(name, str) else None for name in distinct]
    todo = [i for i, c in enumerate(cleaned) if c is None]
    texts = [distinct[i] for i in todo if isinstance(distinct[i], str)]
    joined = "\x00".join(texts)
    if len(texts) == len(todo) and joined.count("\x00") == len(texts) - 1:
        normalised = unicodedata.normalize("NFKC", joined).split("\x00") if texts else []
        for i, name, text in zip(todo, texts, normalised, strict=True):
            cleaned[i] = cache[name] = text.strip().replace(" ", "")
        return _Text(codes, cleaned)
    for i in todo:
        cleaned[i] = _parse.nfkc(distinct[i]).replace(" ", "")
        if isinstance(distinct[i], str):
            cache[distinct[i]] = cleaned[i]
    return _Text(codes, cleaned)


_AREAS: dict[int, tuple[str, str, str]] = {}
"""Padded municipal code (integer) → (muni_code, pref_code, area_level), remembered across the files."""


def _area_columns(ids: Column, scheme: str, path: Path) -> tuple[np.ndarray, dict[str, _Area]]:
    """Per row, the municipal code as an integer; ``muni_code``, ``pref_code`` and ``area_level`` columns.

    Computed once per distinct ``id_muni`` (as ``int64``, pandas' cast). Prefecture rows become PP000
    (coded 1…47 or 1000…47000 per the year's id scheme), municipalities are zero-padded.
    """
    if isinstance(ids, np.ndarray) and ids.dtype.kind in "iu":  # Stata byte/int/long: no missing value
        cells, codes = pd.factorize(ids.astype("int64"))
    else:
        raw_cells, raw_distinct = _codes(ids)
        as_int = pd.Series(raw_distinct, dtype="object" if isinstance(ids, _Text) else None).astype("int64")
        merged, codes = pd.factorize(as_int.to_numpy())
        cells = merged[raw_cells]
    plain = (codes >= 1) & (codes <= 47)
    is_pref = plain if scheme == "plain" else (codes % 1000 == 0) & (codes >= 1000) & (codes <= 47000)
    if scheme == "thousands" and plain.any():
        raise LayoutError(path, "prefecture rows coded 1000…47000 (years.csv: thousands)", found="codes 1…47",
                          column="id_muni")
    padded = np.where(is_pref, codes * 1000 if scheme == "plain" else codes, codes).astype("int64")
    per_row = padded[cells]
    return per_row, {name: _Area(per_row, field) for field, name in enumerate(_AREA_COLUMNS)}


class _Area(NamedTuple):
    """An area column (``_AREA_COLUMNS[field]``) of municipal codes as integers, made text by :func:`_frame`:
    the twelve files share ≈3,800 codes, each turned into its three texts once (:func:`_area_texts`)."""

    ints: np.ndarray
    field: int


_AREA_COLUMNS = ("muni_code", "pref_code", "area_level")


def _area_texts(ints: list[int]) -> list[tuple[str, str, str]]:
    """(muni_code, pref_code, area_level) of each padded code, in order (the first bad code raises)."""
    rows = [_AREAS.get(c) for c in ints]
    for i in [i for i, r in enumerate(rows) if r is None]:
        muni = f"{ints[i]:05d}"
        rows[i] = (muni, muni[:2], municipalities.area_level(muni))
        _AREAS[ints[i]] = rows[i]
    return rows


_INDUSTRY_KEYS: dict[tuple, str] = {}
"""(name table, JSIC revision, published name) → industry_key, filled by :func:`_industry_keys`."""


def _industry_keys(names: list[str], revision: str, context: str) -> list[str]:
    """``industries.map_names(names, revision)``, remembering each name: the twelve files share three revisions.

    Keyed on the (cached) ``jsic_names.csv`` table itself, so reloading it starts afresh. Names that do
    not map are never remembered, so every file with one raises as ``map_names`` does.
    """
    name_map = industries.name_map()
    table = id(name_map)
    missing = [n for n in names if (table, revision, n) not in _INDUSTRY_KEYS]
    if missing:
        lookup = _name_lookup(name_map)  # map_names' (revision, normalised name) → key, as a dict
        keys = [lookup.get((str(revision), industries.normalize_name(n))) for n in missing]
        if any(k is None for k in keys):  # map_names raises its error naming the unmapped names
            keys = industries.map_names(pd.Series(missing, dtype="object"), revision, context=context).tolist()
        _INDUSTRY_KEYS.update(zip([(table, revision, n) for n in missing], keys, strict=True))
    return [_INDUSTRY_KEYS[(table, revision, n)] for n in names]


_NAME_LOOKUP: dict[int, tuple[pd.DataFrame, dict]] = {}


def _name_lookup(name_map: pd.DataFrame) -> dict[tuple[str, str], str]:
    """``jsic_names.csv`` as (jsic_revision, name_norm) → industry_key (unique: ``name_map`` checks it)."""
    hit = _NAME_LOOKUP.get(id(name_map))
    if hit is None or hit[0] is not name_map:
        keys = zip(name_map["jsic_revision"].tolist(), name_map["name_norm"].tolist(), strict=True)
        hit = _NAME_LOOKUP[id(name_map)] = (name_map, dict(zip(keys, name_map["industry_key"].tolist(), strict=True)))
    return hit[1]


@_parse.contained
def parse(path: Path, *, vintage: str = DEFAULT_VINTAGE, year: int | None = None) -> pd.DataFrame:
    """Parse one ``DTA_meti_manu<year>.dta`` into the tidy ``muni_industry`` layout.

    ``year`` defaults to the four digits in the file name; the file's own ``year`` column must agree.
    """
    return _frame([_parse_columns(path, vintage=vintage, year=year)])


@_parse.contained
def _parse_columns(path: Path, *, vintage: str = DEFAULT_VINTAGE, year: int | None = None) -> dict:  # noqa: ARG001
    """The columns of :func:`parse` (text as :class:`_Text`), plus ``_muni_int`` (muni_code as an integer)."""
    path = Path(path)
    year = int(year if year is not None else "".join(ch for ch in path.stem if ch.isdigit())[-4:])
    years = _years()
    if str(year) not in years:
        raise LayoutError(path, f"a year listed in layouts/{SOURCE}/years.csv {list(years)}", found=year)
    spec = years[str(year)]
    cols = _columns()
    # Load inputs.
    raw = _read_stata(path, undecoded=frozenset(r for _, r, _ in _measures()))
    _parse.require_columns(list(raw), [r for r, _ in cols], file=path)
    df = {column: raw[r] for r, column in cols}  # tidy name → raw column
    year_cells, found_years = _codes(df["year"])
    if set(found_years) != {year}:
        raise RawDataError(path, f"year column equal to {year}", found=sorted(set(found_years)), column="year")
    # Process data: every text column as codes into its distinct values (mapped once each).
    n = len(year_cells)
    muni_int, areas = _area_columns(df["muni_code"], spec["pref_id_scheme"], path)
    names = _codes(df["industry_name_ja"])
    out = {**areas, "muni_name_ja": _clean_names(df["muni_name_ja"]),
           "year": np.full(n, year, dtype="int64"),
           "jsic_revision": _Text(np.zeros(n, dtype="int64"), [spec["jsic_revision"]]),
           "industry_code_jsic": _mapped(df["industry_code_jsic"], lambda c: f"{int(c):02d}"),
           "industry_name_ja": (df["industry_name_ja"] if isinstance(df["industry_name_ja"], _Text) else
                                _Text(names[0], pd.Series(names[1], dtype="object").astype(str).tolist())),
           "industry_key": _Text(names[0], _industry_keys(names[1], spec["jsic_revision"], context=str(path)))}
    notes = {}
    for column, raw_name, nan_reason in _measures():
        out[column], notes[column] = _measure(df[column], raw_name, nan_reason, path)
    which, reasons = notes["shipments_jpy_10k"]
    out["is_suppressed"] = np.array([r == "suppressed" for r in reasons], dtype=bool)[which]
    out["value_note"] = _combine_notes(notes)
    out["_muni_int"] = muni_int
    return out


def _frame(parts: list[dict], *, notes_as_text: bool = False) -> pd.DataFrame:
    """One frame of the column parts of :func:`_parse_columns`, in order (text as Arrow-backed ``str``).

    The float64 measures are written straight into one 2-D block that the frame keeps (no per-column
    concatenation, then consolidation copy); the other columns are inserted at their places.
    ``value_note`` stays an object column (None where no note) unless ``notes_as_text``: then it is
    ``str`` (NaN where no note), as the column reads back from the processed parquet file.
    """
    names = [name for name in parts[0] if not name.startswith("_")]
    floats = [name for name in names if isinstance(parts[0][name], np.ndarray) and parts[0][name].dtype == np.float64]
    block = np.empty((len(floats), sum(len(part[floats[0]]) for part in parts)) if floats else (0, 0))
    start = 0
    for part in parts:
        for j, name in enumerate(floats):
            block[j, start:start + len(part[name])] = part[name]
        start += len(part[floats[0]]) if floats else 0
    frame = pd.DataFrame(block.T, columns=floats, copy=False)
    indices: dict[tuple, pa.Array] = {}  # columns with the same codes (muni_code, pref_code, area_level …) share them
    areas: dict[tuple, tuple] = {}  # the codes of the area columns, once: (index per row, texts per distinct code)
    for position, name in enumerate(names):  # ascending: every column before ``position`` is in place
        if name in floats:
            continue
        if isinstance(parts[0][name], _Area):
            key = tuple(id(part[name].ints) for part in parts)
            if key not in areas:
                cells, distinct = pd.factorize(np.concatenate([part[name].ints for part in parts]))
                areas[key] = (pa.array(cells), _area_texts(distinct.tolist()))
            cells, texts = areas[key]
            field = parts[0][name].field
            column = pd.array(pa.array([t[field] for t in texts], type=pa.large_string()).take(cells), dtype="str")
        elif name == "value_note" and not notes_as_text:  # str or None objects
            column = pd.Series(np.concatenate([np.array(part[name].values, dtype=object)[part[name].codes]
                                               for part in parts]), dtype=object)
        elif isinstance(parts[0][name], _Text):  # (a None value is a null: NaN in ``str``)
            values = [value for part in parts for value in part[name].values]
            sizes = [len(part[name].values) for part in parts]
            key = (*(id(part[name].codes) for part in parts), *sizes)
            if key not in indices:
                offsets = np.cumsum([0, *sizes[:-1]])
                indices[key] = pa.array(np.concatenate([part[name].codes + offset
                                                        for part, offset in zip(parts, offsets, strict=True)]))
            column = pd.array(pa.array(values, type=pa.large_string()).take(indices[key]), dtype="str")
        else:
            column = np.concatenate([part[name] for part in parts])
        frame.insert(position, name, column)
    return frame


def _combine_notes(notes: dict[str, tuple[np.ndarray, list]]) -> _Text:
    """:func:`_parse.combine_notes` of the measures' reasons, computed once per distinct combination in a row.

    ``notes`` maps a measure to (reason index per row, reasons) from :func:`_measure`. A file has a few
    dozen combinations (e.g. every money column ``suppressed``) in ≈20,000 rows; each row gets the note of
    its combination. Only non-empty ``str`` reasons count (as in ``combine_notes``).
    """
    n = len(next(iter(notes.values()))[0])
    key, radix, radixes = np.zeros(n, dtype="int64"), 1, {}
    for column, (which, reasons) in notes.items():
        noted = np.array([isinstance(r, str) and r != "" for r in reasons])
        if noted[1:].all() and not noted[0]:  # every reason but the first (None) is a note
            key += which * radix  # each row's combination as one integer
        elif noted.any():  # 0 (None): no note from this cell
            key += np.where(noted[which], which, 0) * radix
        radixes[column] = radix
        radix *= len(reasons)
    inverse, combos = pd.factorize(key)
    columns = tuple(notes)
    per_column = [np.asarray(reasons, dtype=object)[(combos // radixes[c]) % len(reasons)].tolist()
                  for c, (_, reasons) in notes.items()]  # each combination's reason per column, from its integer
    combinations = [(columns, *reasons) for reasons in zip(*per_column, strict=True)]
    new = list(dict.fromkeys(c for c in combinations if c not in _NOTE_TEXTS))
    if new:  # the note of a combination seen in no earlier file
        texts = _parse.combine_notes({c: pd.Series([combo[1 + j] for combo in new], dtype="object")
                                      for j, c in enumerate(columns)})
        _NOTE_TEXTS.update(zip(new, texts.tolist(), strict=True))
    return _Text(inverse, [_NOTE_TEXTS[c] for c in combinations])


_NOTE_TEXTS: dict[tuple, str | None] = {}
"""(measure columns, reason of each) → :func:`_parse.combine_notes` of that row (the twelve files share them)."""


def _measure(values: Column, raw_name: str, nan_reason: str,
             path: Path) -> tuple[np.ndarray, tuple[np.ndarray, list]]:
    """Float values and (reason index per row, reasons) of one measure; ``reasons[0]`` is None (a number).

    NaN cells of numeric years get the layout's ``nan_reason``. Text years (2001) go through
    :func:`_parse.to_numeric` once per distinct cell (:func:`_parse.to_numeric_arrow` when they are still
    :class:`_Binary`: the same numbers and reasons); an unreadable cell is reported at its first row
    (the first failing distinct value is the first failing row).
    """
    if isinstance(values, _Binary):  # text cells as Arrow strings: parsed without Python str (2001)
        first = _parse.first_rows(values.codes, len(values.dictionary))  # first row of each distinct cell, in order
        numbers, reasons = _parse.to_numeric_arrow([values.dictionary], file=path, names=[raw_name],
                                                   row_numbers=(first + 1).tolist())
        which, labels = pd.factorize(reasons[0])  # None → -1
        return numbers[0][values.codes], ((which + 1)[values.codes], [None, *labels.tolist()])
    if not isinstance(values, _Text) and values.dtype.kind in "iuf":
        numbers = values.astype("float64")
        return numbers, (np.isnan(numbers).astype("int64"), [None, nan_reason])
    cells, distinct = _codes(values)
    first = _parse.first_rows(cells, len(distinct))  # first row of each distinct cell, in order of appearance
    cells_text = pd.Series(distinct, dtype=object)  # the cells as str objects (no Arrow round trip before to_numeric)
    numbers, reasons = _parse.to_numeric(cells_text, file=path, column=raw_name, row_numbers=first + 1)
    which, labels = pd.factorize(reasons.to_numpy(dtype=object))  # None → -1
    return numbers.to_numpy()[cells], ((which + 1)[cells], [None, *labels.tolist()])


@lru_cache(maxsize=16)
def _year_columns(vintage: str, year: int) -> dict:
    path = manifest.path(SOURCE, vintage, _years()[str(year)]["filename"])
    return _parse_columns(path, vintage=vintage, year=year)


def load(vintage: str = DEFAULT_VINTAGE, *, years: list[int] | None = None) -> pd.DataFrame:
    """The ``muni_industry`` table for ``years`` (default: every year of the layout), validated.

    ``value_note`` is ``str`` (NaN where no note), as ``store.table`` reads it back.
    """
    return _load(vintage, years=years)


def _load(vintage: str = DEFAULT_VINTAGE, *, years: list[int] | None = None) -> pd.DataFrame:
    """:func:`load` (``TABLES`` calls this: its one table needs no memoised copy of the frame)."""
    years = years or [int(y) for y in _years()]
    parts = [_year_columns(str(vintage), int(y)) for y in years]
    df = _frame(parts, notes_as_text=True)
    keys: dict[str, int] = {}  # industry_key → one integer across the years
    for part in parts:
        for k in part["industry_key"].values:
            keys.setdefault(k, len(keys))
    industry = np.concatenate([np.array([keys[k] for k in part["industry_key"].values], dtype="int64")
                               [part["industry_key"].codes] for part in parts])
    _check_keys(np.concatenate([p["_muni_int"] for p in parts]), df["year"].to_numpy(), industry,
                keys.get(industries.TOTAL_KEY, -1), df)
    return df


def validate(df: pd.DataFrame) -> None:
    """Key (muni_code, year, industry_key) unique; every municipality-year has a 製造業計 row."""
    muni, year, industry = (pd.factorize(df[c], use_na_sentinel=False)[0].astype("int64")
                            for c in ("muni_code", "year", "industry_key"))
    total = np.flatnonzero((df["industry_key"] == industries.TOTAL_KEY).to_numpy(dtype=bool, na_value=False))
    _check_keys(muni, year, industry, int(industry[total[0]]) if len(total) else -1, df)


def _check_keys(muni: np.ndarray, year: np.ndarray, industry: np.ndarray, total: int, df: pd.DataFrame) -> None:
    """:func:`validate` on integer codes of (muni_code, year, industry_key); ``total``: the code of 製造業計."""
    key = ["muni_code", "year", "industry_key"]
    start, span = (int(year.min()), int(year.max()) - int(year.min()) + 1) if len(year) else (0, 1)
    area = _dense(muni * span + (year - start))  # municipality-year (one integer each, no collision)
    areas, industries_ = int(area.max(initial=-1)) + 1, int(industry.max(initial=0)) + 1
    if len(area) and np.bincount(area * industries_ + industry).max() > 1:
        dup = df.loc[df.duplicated(key, keep=False), key].head(5).to_dict("records")
        msg = f"{SOURCE}: duplicate (muni_code, year, industry_key) rows, e.g. {dup}"
        raise RawDataError(SOURCE, "one row per municipality, year and industry", found=msg)
    if not np.bincount(area[industry == total], minlength=areas).all():
        raise RawDataError(SOURCE, "a 製造業計 row for every municipality and year", found="some missing")


def _dense(values: np.ndarray) -> np.ndarray:
    """Non-negative integers renumbered 0…k-1 (in value order); through a table when their range is small."""
    if len(values) and 0 <= values.min() and values.max() < 16 * len(values) + 1_000_000:
        present = np.zeros(int(values.max()) + 1, dtype=bool)
        present[values] = True
        return (np.cumsum(present) - 1)[values]
    return pd.factorize(values, sort=True)[0]


@_parse.contained
def parse_cao(path: Path, *, vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """Parse ``DTA_cao_manu.dta`` (wide) into ``muni_code, muni_name_ja, year, shipments_jpy_million``."""
    path = Path(path)
    spec = _layout("cao").set_index("key")["value"]
    first, last, prefix = int(spec["first_year"]), int(spec["last_year"]), spec["value_prefix"]
    raw = _read_stata(path)
    value_cols = [f"{prefix}{y}" for y in range(first, last + 1)]
    _parse.require_columns(list(raw), [spec["code_column"], spec["name_column"], *value_cols], file=path)
    codes = _mapped(raw[spec["code_column"]], _code5)
    names = _mapped(raw[spec["name_column"]], _parse.nfkc)
    n = len(codes.codes)
    if len(codes.values) < n or len(set(codes.values)) < len(codes.values):  # a municipal code on two rows
        raise RawDataError(path, "one row per municipality", found="duplicate id_muni", column=spec["code_column"])
    # Long, sorted by (muni_code, year): each municipality (in code order) with its years in column order.
    years = np.array([int(c.removeprefix(prefix)) for c in value_cols], dtype="int64")
    order = np.argsort(np.array(codes.values, dtype=object)[codes.codes], kind="stable")
    rows = np.repeat(order, len(value_cols))
    values = np.column_stack([_floats(raw[c]) for c in value_cols])  # municipalities × years
    shipments = values[order].ravel()
    return pd.DataFrame({
        "muni_code": pd.array(codes.values, dtype="str").take(codes.codes[rows]),
        "muni_name_ja": pd.array(names.values, dtype="str").take(names.codes[rows]),
        "year": np.tile(years, n),
        "shipments_jpy_million": shipments,
        "pref_code": pd.array([m[:2] for m in codes.values], dtype="str").take(codes.codes[rows]),
        "value_note": pd.array(pa.array(["not_available", None], type=pa.large_string()).take(  # str, NaN if a number
            pa.array((~np.isnan(shipments)).astype(np.int8))), dtype="str"),
    })


def _code5(code: object) -> str:
    """``municipalities.validate_code5(code)``; an integer 1000…47999 (a valid code) padded directly."""
    if type(code) is int and 1000 <= code <= 47999:
        return f"{code:05d}"
    return municipalities.validate_code5(code)


def _floats(column: Column) -> np.ndarray:
    """A column as float64 (text cells that are not numbers raise ValueError, as ``DataFrame.to_numpy``)."""
    if isinstance(column, _Text):
        return np.asarray(column.values, dtype="float64")[column.codes]
    return column.astype("float64")


def load_cao(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """The ``muni_shipments_long`` table (百万円, 1971–2012, 2014–2015 boundaries)."""
    return parse_cao(manifest.path(SOURCE, vintage, CAO_FILE), vintage=vintage)


def to_oku_yen(jpy_10k: float) -> float:
    """万円 → 億円 rounded to one decimal, as printed (``34,768,266`` → ``3476.8``)."""
    return math.floor(jpy_10k / 10_000 * 10 + 0.5) / 10


TABLES = _parse.covered_tables(SOURCE, {
    "muni_industry": lambda vintage: _load(vintage),
    "muni_shipments_long": lambda vintage: load_cao(vintage),
})
