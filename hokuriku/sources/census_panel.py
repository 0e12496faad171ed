"""総務省統計局「国勢調査」municipal total population 1980–2020 at 2015 boundaries (derived panel).

Publisher of the figures: 総務省統計局 (国勢調査, 10月1日現在, 人). The file at hand is a **derived**
copy (manifest ``derived: true``): jpatokal/hollow-japan's ``built_pop_wide_en_jp.csv``, in which
the author re-aggregated each census to the 1,741 municipalities of 2015 with Kondo's (2023,
RIETI) municipality converter, so a municipality's series is merger-consistent.

Layout quirks:

- UTF-8 CSV, one header row ``id_muni2015, name_muni2015_en, name_muni2015_jp, totalpop1980 …
  totalpop2020`` (5-yearly; expected header in ``layouts/census_panel/columns.csv``).
- ``id_muni2015`` drops the leading zero (``1100`` = 札幌市 01100); names are
  ``"<都道府県> [<郡>] <市区町村>"``.
- Missing values are R's ``NA`` (富谷町・那珂川町 2020: code changed after 2015; 双葉町 2020;
  三宅村 2000: 全島避難). They become NaN with ``value_note = "not_available"``. A published 0
  (浪江町・双葉町 2015, 避難指示) stays 0. R may print 100,000 as ``1e+05``.

Table ``population``: ``muni_code``, ``pref_code``, ``muni_name_ja``, ``year`` (census year),
``population_persons``, ``value_note``.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from hokuriku import manifest
from hokuriku.errors import RawDataError
from hokuriku.sources import _parse

SOURCE = "census_panel"
DEFAULT_VINTAGE = "2020"
FILENAME = "built_pop_wide_en_jp.csv"
R_MISSING = "NA"  # R's missing-value marker: no published value (数値不詳), read as "…" (not_available)
N_MUNICIPALITIES_2015 = 1741  # 2015-10-01 municipalities incl. Tokyo's 23 wards, 政令市 as cities


@_parse.contained
def parse(path: Path, *, vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """The census panel as a tidy long table (one row per municipality × census year)."""
    layout = _parse.load_layout(SOURCE, "columns")
    header, body = _parse.read_csv_table(Path(path), "utf-8", list(layout["column"]))
    years = layout[layout["year"] != ""]
    idx = [header.index(c) for c in years["column"]]
    for i, r in enumerate(body, start=2):
        if not re.fullmatch(r"\d{4,5}", r[0].strip()):
            raise RawDataError(path, "a municipality code (4-5 digits)", found=r[0], row=i, column="id_muni2015")
    # the cells row by row, year by year; R's NA (after stripping) read as "…" (not_available)
    cells = pd.Series(["…" if c.strip() == R_MISSING else c for r in body for c in (r[j] for j in idx)],
                      dtype="object")
    rownums = [i for i in range(2, len(body) + 2) for _ in idx]
    values, notes = _parse.to_numeric(cells, file=path, column="totalpop<year>", row_numbers=rownums)
    codes = [r[0].strip().zfill(5) for r in body]
    k = len(idx)

    each = np.repeat(np.arange(len(body)), k)

    def each_year(labels: list[str]):  # noqa: ANN202 - one label per municipality, repeated for its k years
        return pd.array(pa.array(labels, type=pa.large_string()).take(each), dtype="str")

    df = pd.DataFrame({
        "muni_code": each_year(codes),
        "pref_code": each_year([c[:2] for c in codes]),
        "muni_name_ja": each_year([r[2].split(" ")[-1] for r in body]),
        "year": np.tile(np.array([int(y) for y in years["year"]], dtype="int64"), len(body)),
        "population_persons": values.to_numpy(),
        "value_note": pd.array(pa.array(notes.to_numpy(), type=pa.large_string()), dtype="str"),
    })
    return df


def validate(df: pd.DataFrame) -> pd.DataFrame:
    """1,741 municipalities, unique keys."""
    n = df["muni_code"].nunique()
    if n != N_MUNICIPALITIES_2015:
        raise RawDataError(FILENAME, f"{N_MUNICIPALITIES_2015} municipalities (2015 boundaries)", found=n)
    if df.duplicated(["muni_code", "year"]).any():
        raise RawDataError(FILENAME, "one row per municipality and year", found="duplicates")
    return df


def load(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """Census totals 1980–2020 at 2015 boundaries (sha256-verified through the manifest)."""
    return validate(parse(manifest.path(SOURCE, str(vintage), FILENAME), vintage=str(vintage)))


TABLES = _parse.covered_tables(SOURCE, {"population": load})
