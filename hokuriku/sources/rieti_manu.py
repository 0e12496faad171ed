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
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.io.stata import StataReader

from hokuriku import manifest, paths
from hokuriku.codes import industries, municipalities
from hokuriku.errors import LayoutError, RawDataError
from hokuriku.sources import _parse

SOURCE = "rieti_manu"
DEFAULT_VINTAGE = "2012"
CAO_FILE = "DTA_cao_manu.dta"
MEASURES = ("establishments", "employees", "wages_jpy_10k", "materials_jpy_10k", "shipments_jpy_10k",
            "value_added_jpy_10k", "capital_jpy_10k")


@lru_cache(maxsize=16)
def _layout_file(name: str, where: str, stamp: tuple[int, int]) -> pd.DataFrame:  # noqa: ARG001 - cache keys
    return _parse.load_layout(SOURCE, name)


def _layout(name: str) -> pd.DataFrame:
    """``layouts/rieti_manu/<name>.csv``, read once while the file is unchanged (twelve files read it)."""
    file = paths.LAYOUTS / SOURCE / f"{name}.csv"
    stat = file.stat()
    return _layout_file(name, str(file), (stat.st_mtime_ns, stat.st_size))


def _years() -> pd.DataFrame:
    return _layout("years").set_index("year")


def _read_stata(path: Path) -> pd.DataFrame:
    data = _parse.read_bytes(Path(path))  # the verified bytes, parsed from memory
    try:
        return _stata_frame(data)
    except Exception as exc:  # pandas raises ValueError/struct.error/EOFError on broken files
        raise RawDataError(path, "a readable Stata .dta file", found=f"{type(exc).__name__}: {exc}") from exc


def _stata_frame(data: bytes) -> pd.DataFrame:
    """``pd.read_stata(data, convert_categoricals=False)``, decoding each distinct string once.

    pandas decodes every string cell in Python (``StataReader._decode``: cut at the first NUL, then
    UTF-8, falling back to latin-1 with a warning): ≈600,000 calls for the twelve panel files. Here
    pandas reads the numeric variables (with its handling of Stata's missing values); the fixed-width
    string variables are taken from the same records, cut at the first NUL by Arrow, and each distinct
    value goes through pandas' own ``_decode``. A file with strL variables, in a format
    before 117, or a pandas without these reader internals is read by ``pd.read_stata`` alone.
    tests/sources/test_rieti_manu.py checks that the frames equal ``pd.read_stata``'s on every mirror file.
    """
    with StataReader(io.BytesIO(data), convert_categoricals=False) as reader:
        try:  # private parts of pandas' reader (pinned pandas): the header, record layout, string decoder
            reader._ensure_open()  # noqa: SLF001
            names, types = list(reader._varlist), list(reader._typlist)  # noqa: SLF001
            fixed = reader._format_version >= 117 and "Q" not in types  # noqa: SLF001 - Q: strL
            dtype, nobs, start, decode = (reader._setup_dtype(), reader._nobs,  # noqa: SLF001
                                          reader._data_location, reader._decode)  # noqa: SLF001
        except AttributeError:
            fixed = False
        text = [isinstance(t, int) for t in types] if fixed else []  # str<n>: its width; numbers: a letter
        if not any(text):
            return reader.read()
        frame = reader.read(columns=[n for n, t in zip(names, text, strict=True) if not t])
    records = np.frombuffer(data, dtype=dtype, count=nobs, offset=start)
    for i, name in enumerate(names):
        if text[i]:
            cells = pa.array(np.ascontiguousarray(records[f"s{i}"]))  # binary, one per record
            cut = pc.list_element(pc.split_pattern(cells, pattern=b"\x00", max_splits=1), 0)  # up to the first NUL
            distinct = pc.dictionary_encode(cut)
            decoded = pd.array([decode(b) for b in distinct.dictionary.to_pylist()], dtype="str")
            frame[name] = pd.Series(decoded.take(distinct.indices.to_numpy()), index=frame.index)
    return frame[names]


def _map_unique(values: pd.Series, fn) -> pd.Series:  # noqa: ANN001
    """``values.map(fn)`` calling ``fn`` once per distinct value (≈2,000 areas in 20,000 rows).

    The distinct values are mapped in order of appearance (so the first bad value raises), then spread
    to the rows by their factor codes (one ``take``, no per-row dictionary lookup).
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    mapped = [fn(u) for u in uniques.tolist()]  # python scalars: no per-element Arrow access
    return pd.Series(pd.array(mapped, dtype="str").take(codes), index=values.index)


def _area_columns(ids: pd.Series, scheme: str, path: Path) -> dict[str, pd.Series]:
    """``muni_code``, ``pref_code`` and ``area_level`` of every row, computed once per distinct ``id_muni``.

    Prefecture rows become PP000 (coded 1…47 or 1000…47000 per the year's id scheme), municipalities
    are zero-padded.
    """
    cells, distinct = pd.factorize(ids.to_numpy())
    codes = pd.Series(distinct)
    is_pref = codes.between(1, 47) if scheme == "plain" else (codes % 1000 == 0) & codes.between(1000, 47000)
    if scheme == "thousands" and codes.between(1, 47).any():
        raise LayoutError(path, "prefecture rows coded 1000…47000 (years.csv: thousands)", found="codes 1…47",
                          column="id_muni")
    padded = codes.where(~is_pref, codes * 1000 if scheme == "plain" else codes)
    muni = [f"{int(c):05d}" for c in padded.tolist()]

    def spread(values: list[str]) -> pd.Series:
        return pd.Series(pd.array(values, dtype="str").take(cells), index=ids.index)

    return {"muni_code": spread(muni), "pref_code": spread([m[:2] for m in muni]),
            "area_level": spread([municipalities.area_level(m) for m in muni])}


_INDUSTRY_KEYS: dict[tuple, str] = {}
"""(name table, JSIC revision, published name) → industry_key, filled by :func:`_industry_keys`."""


def _industry_keys(names: list[str], revision: str, context: str) -> np.ndarray:
    """``industries.map_names(names, revision)``, remembering each name: the twelve files share three revisions.

    Keyed on the (cached) ``jsic_names.csv`` table itself, so reloading it starts afresh. Names that do
    not map are never remembered, so every file with one raises as ``map_names`` does.
    """
    table = id(industries.name_map())
    missing = [n for n in names if (table, revision, n) not in _INDUSTRY_KEYS]
    if missing:
        keys = industries.map_names(pd.Series(missing, dtype="object"), revision, context=context)
        _INDUSTRY_KEYS.update(zip([(table, revision, n) for n in missing], keys.tolist(), strict=True))
    out = np.empty(len(names), dtype=object)
    out[:] = [_INDUSTRY_KEYS[(table, revision, n)] for n in names]
    return out


@_parse.contained
def parse(path: Path, *, vintage: str = DEFAULT_VINTAGE, year: int | None = None) -> pd.DataFrame:
    """Parse one ``DTA_meti_manu<year>.dta`` into the tidy ``muni_industry`` layout.

    ``year`` defaults to the four digits in the file name; the file's own ``year`` column must agree.
    """
    path = Path(path)
    year = int(year if year is not None else "".join(ch for ch in path.stem if ch.isdigit())[-4:])
    years = _years()
    if str(year) not in years.index:
        raise LayoutError(path, f"a year listed in layouts/{SOURCE}/years.csv {years.index.tolist()}", found=year)
    spec = years.loc[str(year)]
    cols = _layout("columns")
    # Load inputs.
    raw = _read_stata(path)
    _parse.require_columns(raw.columns, cols["raw"].tolist(), file=path)
    df = dict(zip(cols["column"], (raw[c] for c in cols["raw"]), strict=True))  # tidy name → raw column
    found_years = set(pd.unique(df["year"]).tolist())
    if found_years != {year}:
        raise RawDataError(path, f"year column equal to {year}", found=sorted(found_years), column="year")
    # Process data (columns built first, one frame at the end).
    out = {**_area_columns(df["muni_code"].astype("int64"), spec["pref_id_scheme"], path),
           "muni_name_ja": _map_unique(df["muni_name_ja"], lambda name: _parse.nfkc(name).replace(" ", "")),
           "year": year, "jsic_revision": spec["jsic_revision"],
           "industry_code_jsic": _map_unique(df["industry_code_jsic"], lambda c: f"{int(c):02d}"),
           "industry_name_ja": df["industry_name_ja"].astype(str)}
    names, distinct = pd.factorize(df["industry_name_ja"], use_na_sentinel=False)  # ≈25 names in 20,000 rows
    keys = _industry_keys(distinct.tolist(), spec["jsic_revision"], context=str(path))
    out["industry_key"] = pd.Series(keys[names], index=raw.index)
    notes = {}
    measures = cols.loc[cols["kind"] == "measure", ["column", "raw", "nan_reason"]].to_numpy().tolist()
    for column, raw_name, nan_reason in measures:
        out[column], notes[column] = _measure(df[column], raw_name, nan_reason, path)
    which, reasons = notes["shipments_jpy_10k"]
    out["is_suppressed"] = np.isin(which, [i for i, r in enumerate(reasons) if r == "suppressed"])
    out["value_note"] = pd.Series(_combine_notes(notes), index=raw.index, dtype="object", name="value_note")
    out = pd.DataFrame(out, index=raw.index)
    return out.reset_index(drop=True)


def _combine_notes(notes: dict[str, tuple[np.ndarray, list]]) -> np.ndarray:
    """:func:`_parse.combine_notes` of the measures' reasons, computed once per distinct combination in a row.

    ``notes`` maps a measure to (reason index per row, reasons) from :func:`_measure`. A file has a few
    dozen combinations (e.g. every money column ``suppressed``) in ≈20,000 rows; each row gets the note of
    its combination. Only non-empty ``str`` reasons count (as in ``combine_notes``).
    """
    n = len(next(iter(notes.values()))[0])
    key, radix, kept = np.zeros(n, dtype="int64"), 1, {}
    for column, (which, reasons) in notes.items():
        noted = np.array([isinstance(r, str) and r != "" for r in reasons])
        kept[column] = np.where(noted[which], which, 0)  # 0 (None): no note from this cell
        key += kept[column] * radix  # each row's combination as one integer (≤ 7 reason codes per measure)
        radix *= len(reasons)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    combined = _parse.combine_notes({c: pd.Series(np.asarray(notes[c][1], dtype=object)[kept[c][first]], dtype="object")
                                     for c in notes})
    return combined.to_numpy()[inverse]


def _measure(values: pd.Series, raw_name: str, nan_reason: str,
             path: Path) -> tuple[np.ndarray, tuple[np.ndarray, list]]:
    """Float values and (reason index per row, reasons) of one measure; ``reasons[0]`` is None (a number).

    NaN cells of numeric years get the layout's ``nan_reason``. Text years (2001) go through
    :func:`_parse.to_numeric` once per distinct cell; an unreadable cell is reported at its first row
    (the first failing distinct value is the first failing row).
    """
    if pd.api.types.is_numeric_dtype(values):
        numbers = values.to_numpy(dtype="float64")
        return numbers, (np.isnan(numbers).astype("int64"), [None, nan_reason])
    cells, distinct = pd.factorize(values, use_na_sentinel=False)
    _, first = np.unique(cells, return_index=True)  # first row of each distinct cell, in order of appearance
    numbers, reasons = _parse.to_numeric(pd.Series(distinct), file=path, column=raw_name, row_numbers=first + 1)
    which, labels = pd.factorize(reasons.to_numpy(dtype=object))  # None → -1
    return numbers.to_numpy()[cells], ((which + 1)[cells], [None, *labels.tolist()])


@lru_cache(maxsize=16)
def _load_year(vintage: str, year: int) -> pd.DataFrame:
    return parse(manifest.path(SOURCE, vintage, _years().loc[str(year), "filename"]), vintage=vintage, year=year)


def load(vintage: str = DEFAULT_VINTAGE, *, years: list[int] | None = None) -> pd.DataFrame:
    """The ``muni_industry`` table for ``years`` (default: every year of the layout), validated."""
    years = years or [int(y) for y in _years().index]
    df = pd.concat([_load_year(str(vintage), int(y)) for y in years], ignore_index=True)
    validate(df)
    return df


def validate(df: pd.DataFrame) -> None:
    """Key unique; every municipality-year has a 製造業計 row; prefecture 製造業計 ≥ its industries."""
    key = ["muni_code", "year", "industry_key"]
    # Each column as integer codes, each (municipality, year) and row key as one integer.
    muni, year, industry = (pd.factorize(df[c], use_na_sentinel=False)[0].astype("int64") for c in key)
    area = muni * (int(year.max(initial=0)) + 1) + year
    if pd.Series(area * (int(industry.max(initial=0)) + 1) + industry).duplicated().any():
        dup = df.loc[df.duplicated(key, keep=False), key].head(5).to_dict("records")
        msg = f"{SOURCE}: duplicate (muni_code, year, industry_key) rows, e.g. {dup}"
        raise RawDataError(SOURCE, "one row per municipality, year and industry", found=msg)
    have_total = pd.unique(area[(df["industry_key"] == industries.TOTAL_KEY).to_numpy(dtype=bool, na_value=False)])
    if len(have_total) != len(pd.unique(area)):
        raise RawDataError(SOURCE, "a 製造業計 row for every municipality and year", found="some missing")


@_parse.contained
def parse_cao(path: Path, *, vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """Parse ``DTA_cao_manu.dta`` (wide) into ``muni_code, muni_name_ja, year, shipments_jpy_million``."""
    path = Path(path)
    spec = _layout("cao").set_index("key")["value"]
    first, last, prefix = int(spec["first_year"]), int(spec["last_year"]), spec["value_prefix"]
    raw = _read_stata(path)
    value_cols = [f"{prefix}{y}" for y in range(first, last + 1)]
    _parse.require_columns(raw.columns, [spec["code_column"], spec["name_column"], *value_cols], file=path)
    # Long as DataFrame.melt orders it: year by year, every municipality (codes and names mapped per municipality).
    rows = np.tile(np.arange(len(raw)), len(value_cols))
    out = pd.DataFrame({
        "muni_code": _map_unique(raw[spec["code_column"]], municipalities.validate_code5).array.take(rows),
        "muni_name_ja": _map_unique(raw[spec["name_column"]], _parse.nfkc).array.take(rows),
        "year": np.repeat(np.array([int(c.removeprefix(prefix)) for c in value_cols], dtype="int64"), len(raw)),
        "shipments_jpy_million": raw[value_cols].to_numpy(dtype="float64").ravel(order="F"),
    })
    out["pref_code"] = out["muni_code"].str[:2]
    out["value_note"] = np.where(out["shipments_jpy_million"].isna(), "not_available", None)
    if out.duplicated(["muni_code", "year"]).any():
        raise RawDataError(path, "one row per municipality", found="duplicate id_muni", column=spec["code_column"])
    return out.sort_values(["muni_code", "year"], ignore_index=True)


def load_cao(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """The ``muni_shipments_long`` table (百万円, 1971–2012, 2014–2015 boundaries)."""
    return parse_cao(manifest.path(SOURCE, vintage, CAO_FILE), vintage=vintage)


def to_oku_yen(jpy_10k: float) -> float:
    """万円 → 億円 rounded to one decimal, as printed (``34,768,266`` → ``3476.8``)."""
    return math.floor(jpy_10k / 10_000 * 10 + 0.5) / 10


TABLES = _parse.covered_tables(SOURCE, {
    "muni_industry": lambda vintage: load(vintage),
    "muni_shipments_long": lambda vintage: load_cao(vintage),
})
