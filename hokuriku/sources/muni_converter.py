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


def _read(path: Path) -> tuple[pd.DataFrame, list[str]]:
    """The CSV as a frame of strings, and its checked merge ids."""
    text = _parse.read_text(path, ENCODING)  # verified on every call
    required = tuple(_parse.load_layout(SOURCE, "columns")["raw"])
    raw = _frame(text, path, required)
    return raw, list(_merge_ids(text, path, required))


@functools.lru_cache(maxsize=1)
def _frame(text: str, path: Path, required: tuple[str, ...]) -> pd.DataFrame:
    """The CSV text as a frame of strings; the two tables of a build read the same text, parsed once."""
    rows = _parse.csv_rows(text, file=path)
    if not rows:
        raise RawDataError(path, "a header row", found="empty file")
    header = rows[0]
    _parse.require_columns(header, list(required), file=path, row=1)
    width = len(header)
    for i, row in enumerate(rows[1:], start=2):
        if len(row) != width:
            raise RawDataError(path, f"{width} fields per row", found=f"{len(row)} fields", row=i)
    return pd.DataFrame(rows[1:], columns=header, dtype="object")


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


def _codes(values: pd.Series, *, path: Path, column: str) -> list[str | None]:
    """:func:`_code` of every cell, called once per distinct cell (≈2,000 codes in 7,000 rows).

    Distinct cells of 1–5 ASCII digits with a prefecture part 01–47 are padded in one vectorised pass
    (what :func:`_code` returns for them); only the others go through :func:`_code`. A bad cell is
    reported at its first row (the first failing distinct value is the first failing row).
    """
    cells, distinct = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    texts = np.asarray(distinct, dtype=object)
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
    if slow.any():
        _, first = np.unique(cells, return_index=True)  # first row of each distinct value, in order of appearance
        for k in np.flatnonzero(slow).tolist():
            mapped[k] = _code(texts[k], path=path, row=int(first[k]) + 2, column=column)
    return mapped[cells].tolist()


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
    merge_id = _codes(_frame(text, path, required)["merge_id_muni"], path=path, column="merge_id_muni")
    if any(m is None for m in merge_id) or len(set(merge_id)) != len(merge_id):
        raise RawDataError(path, "a unique merge_id_muni on every row", found="blank or duplicate ids",
                           column="merge_id_muni")
    return tuple(merge_id)


def _names(values: pd.Series) -> list[str]:
    """``values.map(_parse.nfkc)``, normalising the distinct names in one call.

    NFKC never joins a character across a line end and never makes one, so the distinct names joined by
    ``\n`` normalise to their normalised forms joined by ``\n`` (checked by the count; one by one when a
    name holds a line end).
    """
    cells, distinct = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    texts = [str(v) for v in distinct.tolist()]
    normal = None
    if not any("\n" in t for t in texts):
        normal = unicodedata.normalize("NFKC", "\n".join(texts)).split("\n")
    if normal is None or len(normal) != len(texts):
        normal = [_parse.nfkc(v) for v in distinct.tolist()]
    mapped = np.empty(len(texts), dtype=object)
    mapped[:] = [t.strip() for t in normal]
    return mapped[cells].tolist()


@_parse.contained
def parse(path: Path, *, vintage: str = DEFAULT_VINTAGE, table: str = "crosswalk") -> pd.DataFrame:
    """Parse the converter into the tidy ``crosswalk`` (default) or ``notes`` table."""
    path = Path(path)
    layout = _parse.load_layout(SOURCE, "columns")
    # Load inputs.
    raw, merge_id = _read(path)
    if table == "notes":
        notes = layout[layout["kind"] == "note"]
        frames = [pd.DataFrame({"merge_id": merge_id, "note_type": n["note_type"], "note": raw[n["raw"]].tolist()})
                  for _, n in notes.iterrows()]
        out = pd.concat(frames, ignore_index=True)
        return out.loc[out["note"] != ""].sort_values(["merge_id", "note_type"], ignore_index=True)
    years, code_cols, name_cols = [], [], []
    codes, names = layout[layout["kind"] == "code"], layout[layout["kind"] == "name"]
    for (_, c), (_, n) in zip(codes.iterrows(), names.iterrows(), strict=True):
        years.append(int(c["snapshot_year"]))
        code_cols.append(_codes(raw[c["raw"]], path=path, column=c["raw"]))
        name_cols.append(_names(raw[n["raw"]]))
    # One frame of every unit × snapshot, snapshot by snapshot (as one frame per snapshot concatenated),
    # keeping the units that existed in it.
    m = len(merge_id)
    code = np.array([v for col in code_cols for v in col], dtype=object)
    keep = np.flatnonzero(pd.notna(code))
    unit, snapshot = keep % m if m else keep, keep // m if m else keep
    kept = code[keep].tolist()
    out = pd.DataFrame({
        "merge_id": pd.array(merge_id, dtype="str").take(unit),
        "snapshot_year": np.array(years, dtype="int64")[snapshot],
        "ref_date": pd.array([f"{y}-10-01" for y in years], dtype="str").take(snapshot),
        "muni_code": pd.array(kept, dtype="str"),
        "muni_name_ja": pd.array(np.array([v for col in name_cols for v in col], dtype=object)[keep], dtype="str"),
        "pref_code": pd.array([c[:2] for c in kept], dtype="str"),
    })
    return out.sort_values(["merge_id", "snapshot_year"], ignore_index=True)


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
    if len(np.unique(cell)) != len(cell):  # one code per unit and snapshot (as pivot requires)
        return False
    grid = np.full(n_units * n_snaps, -1, dtype="int64")
    grid[cell] = code
    grid = grid.reshape(n_units, n_snaps)
    for j in range(n_snaps - 1):
        a, b = grid[:, j], grid[:, j + 1]
        both = (a >= 0) & (b >= 0)
        pairs = np.unique(a[both] * n_codes + b[both])
        if len(pairs) and np.bincount(pairs // n_codes).max() > 1:
            return False
    return True


TABLES = _parse.covered_tables(SOURCE, {
    "crosswalk": lambda vintage: load(vintage),
    "notes": lambda vintage: load(vintage, table="notes"),
})
