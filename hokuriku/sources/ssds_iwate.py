"""社会・人口統計体系 (SSDS) 市区町村データ, 岩手県: manufacturing and income items 2010–2024.

Publisher and table
    総務省統計局「社会・人口統計体系（市区町村データ）」基礎データ, read through the e-Stat API and
    saved by a GitHub author (beakoda/iwate-data, ``raw/ssds/economy.csv``): a derived extract.
    The manufacturing items come from 工業統計 / 経済センサス‐活動調査 / 経済構造実態調査 (従業者4人以上).

Units (``layouts/ssds_iwate/columns.csv``)
    課税対象所得 千円, 納税義務者数 人, 耕地面積 ha, 製造品出荷額等 **百万円**, 製造業事業所数, 製造業従業者数 人.

Layout quirks
    - ``code`` is the 5-digit code; ``03000`` is 岩手県 itself (``area_level`` ``prefecture``).
    - ``year`` is the SSDS year; manufacturing values are those of that reference year
      (2012 = 2012 results). 2015 has shipments but no establishments/workers; 2024 no shipments.
    - Blank cells become NaN with ``value_note`` ``<column>=blank`` (never 0); merged municipalities
      (03305, 03422) stop when they merge.
    - Municipal shipments are rounded to 百万円 one by one, so they sum to the prefecture row only
      within a rounding tolerance (``tests/published/results/kogyo.py``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hokuriku import manifest
from hokuriku.codes import municipalities
from hokuriku.errors import RawDataError
from hokuriku.sources import _parse

SOURCE = "ssds_iwate"
DEFAULT_VINTAGE = "2024"
FILENAME = "iwate_ssds_economy_2010_2024.csv"
ENCODING = "utf-8"
PREF_CODE = "03"  # the file covers one prefecture; checked on every row


@_parse.contained
def parse(path: Path, *, vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """Parse the CSV into ``muni_code, pref_code, area_level, year`` + measure columns + ``value_note``."""
    path = Path(path)
    cols = _parse.load_layout(SOURCE, "columns")
    # Load inputs.
    header, body = _parse.read_csv_table(path, ENCODING, cols["raw"].tolist())
    raw = pd.DataFrame(body, columns=header, dtype="object")
    line = pd.Series(range(2, len(raw) + 2), index=raw.index)
    # Process data.
    out = pd.DataFrame(index=raw.index)
    for i, code in enumerate(raw["code"]):
        if len(code) != 5 or not code.isdigit() or code[:2] != PREF_CODE:
            raise RawDataError(path, f"a 5-digit code of prefecture {PREF_CODE}", found=code, row=i + 2, column="code")
    out["muni_code"] = raw["code"]
    out["pref_code"] = out["muni_code"].str[:2]
    out["area_level"] = out["muni_code"].map(municipalities.area_level)
    years, _ = _parse.to_numeric(raw["year"], file=path, column="year", row_numbers=line)
    if years.isna().any():
        raise RawDataError(path, "a year on every row", found="blank", column="year")
    out["year"] = years.astype("int64")
    notes = {}
    for _, c in cols[cols["kind"] == "measure"].iterrows():
        out[c["column"]], notes[c["column"]] = _parse.to_numeric(raw[c["raw"]], file=path, column=c["raw"],
                                                                  row_numbers=line)
    out["value_note"] = _parse.combine_notes(notes)
    if out.duplicated(["muni_code", "year"]).any():
        raise RawDataError(path, "one row per code and year", found="duplicates")
    return out.sort_values(["muni_code", "year"], ignore_index=True)


def load(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """The ``muni_economy`` table, read through the verified manifest path."""
    return parse(manifest.path(SOURCE, vintage, FILENAME), vintage=vintage)


TABLES = _parse.covered_tables(SOURCE, {"muni_economy": lambda vintage: load(vintage)})
