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
from pathlib import Path

import numpy as np
import pandas as pd

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

    A bad cell is reported at its first row (the first failing distinct value is the first failing row).
    """
    cells, distinct = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    _, first = np.unique(cells, return_index=True)  # first row of each distinct value, in order of appearance
    mapped = np.empty(len(distinct), dtype=object)
    mapped[:] = [_code(v, path=path, row=int(i) + 2, column=column)
                 for v, i in zip(distinct.tolist(), first, strict=True)]
    return mapped[cells].tolist()


@functools.lru_cache(maxsize=1)
def _merge_ids(text: str, path: Path, required: tuple[str, ...]) -> tuple[str, ...]:
    """The checked ``merge_id_muni`` codes of the CSV text; the two tables of a build check them once."""
    merge_id = _codes(_frame(text, path, required)["merge_id_muni"], path=path, column="merge_id_muni")
    if any(m is None for m in merge_id) or len(set(merge_id)) != len(merge_id):
        raise RawDataError(path, "a unique merge_id_muni on every row", found="blank or duplicate ids",
                           column="merge_id_muni")
    return tuple(merge_id)


def _names(values: pd.Series) -> list[str]:
    """``values.map(_parse.nfkc)``, normalising each distinct name once."""
    cells, distinct = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    mapped = np.empty(len(distinct), dtype=object)
    mapped[:] = [_parse.nfkc(v) for v in distinct.tolist()]
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
    frames = []
    codes, names = layout[layout["kind"] == "code"], layout[layout["kind"] == "name"]
    for (_, c), (_, n) in zip(codes.iterrows(), names.iterrows(), strict=True):
        year = int(c["snapshot_year"])
        col = _codes(raw[c["raw"]], path=path, column=c["raw"])
        frames.append(pd.DataFrame({"merge_id": merge_id, "snapshot_year": year, "ref_date": f"{year}-10-01",
                                    "muni_code": col, "muni_name_ja": _names(raw[n["raw"]])}))
    out = pd.concat(frames, ignore_index=True).dropna(subset=["muni_code"])
    out["pref_code"] = out["muni_code"].str[:2]
    return out.sort_values(["merge_id", "snapshot_year"], ignore_index=True)


def load(vintage: str = DEFAULT_VINTAGE, *, table: str = "crosswalk") -> pd.DataFrame:
    """The crosswalk (or ``table="notes"``), read through the verified manifest path."""
    df = parse(manifest.path(SOURCE, vintage, FILENAME), vintage=vintage, table=table)
    if table == "crosswalk":
        validate(df)
    return df


def validate(df: pd.DataFrame) -> None:
    """No code has two successors in a later snapshot (the converter records no splits)."""
    wide = df.pivot(index="merge_id", columns="snapshot_year", values="muni_code")
    years = sorted(wide.columns)
    for i, y in enumerate(years[:-1]):
        n = wide.dropna(subset=[y]).groupby(y)[years[i + 1]].nunique()
        if (n > 1).any():
            raise RawDataError(SOURCE, f"one successor per {y} code in {years[i + 1]}",
                               found=n[n > 1].index[:5].tolist())


TABLES = _parse.covered_tables(SOURCE, {
    "crosswalk": lambda vintage: load(vintage),
    "notes": lambda vintage: load(vintage, table="notes"),
})
