"""総務省「住民基本台帳に基づく人口、人口動態及び世帯数」市区町村別（総計）: population by municipality.

Publisher and table
-------------------
総務省自治行政局, 住民基本台帳に基づく人口・人口動態及び世帯数, 市区町村別（総計 = 日本人 + 外国人）,
as of 1月1日 (``ref_date``; the vintage is that date, e.g. ``2022-01-01``). Units: 人.
This copy is **derived**: a repository author kept only the 人口 計 column (no 世帯数, no 人口動態).

Layout quirks
-------------
- CP932. A title line naming the reference date (``令和4年1月1日住民基本台帳人口…``, checked against
  the vintage), four lines of stacked column labels (令和4年 / 2022年 / 人口 / 計), then the header row
  ``団体コード,都道府県名,市区町村名,人`` (found by content; labels in layouts/juki/columns.csv),
  then ``-,合計,-,<total>``, and a closing ``注：`` line (required: a file without it is truncated).
- 団体コード is the 6-digit 全国地方公共団体コード *with* check digit (``muni_code6``); ``muni_code``
  is its first five digits. Every check digit is verified (:func:`hokuriku.codes.municipalities.check_digit`).
- ``-`` in 団体コード / 市区町村名 marks the 合計 and prefecture rows (no code / no municipality);
  it is never read as a population. Rows: national (合計), prefecture, gun (郡 subtotal, e.g.
  ``中新川郡``, and 東京都 ``島しょ``: names not ending in 市区町村), designated_city, ward (its 行政区), municipality (incl. 東京都 特別区; town names carry
  their 郡, ``中新川郡舟橋村``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from hokuriku import manifest
from hokuriku.codes.municipalities import check_digit
from hokuriku.errors import LayoutError, RawDataError
from hokuriku.sources import _parse

SOURCE = "juki"
DEFAULT_VINTAGE = "2022-01-01"
ENCODING = "cp932"
FILE_PATTERN = "juki_population_{vintage}_muni.csv"


def _level(code6: str | None, name: str | None) -> str:
    if code6 is None:
        return "national"
    if code6[2:5] == "000":
        return "prefecture"
    if name.endswith("郡") or not name.endswith(("市", "区", "町", "村")):
        return "gun"
    if code6[2] == "1" and code6[:2] != "13":
        return "ward" if name.endswith("区") else "designated_city"
    return "municipality"


@_parse.contained
def parse(path: Path, *, vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """Parse one 住基 CSV into one row per area.

    Returns
    -------
    DataFrame with ``muni_code6`` (None for 合計), ``muni_code``, ``pref_code`` ("00" for 合計),
    ``pref_name_ja``, ``area_name_ja``, ``area_level``, ``ref_date``, ``population_persons``,
    ``value_note``.
    """
    path = Path(path)
    rows = _parse.read_csv_rows(path, ENCODING)
    ref = pd.Timestamp(vintage)
    era = _parse.parse_era_date(rows[0][0] if rows and rows[0] else "")
    if era is None or era != (ref.year, ref.month, ref.day) or "住民基本台帳" not in rows[0][0]:
        raise LayoutError(path, f"a title naming 住民基本台帳 as of {ref:%Y-%m-%d}", found=(rows[0][:1] or [""])[0],
                          row=1)
    columns = _parse.load_layout(SOURCE, "columns").set_index("role")["header"]
    h = _parse.find_row(rows, lambda r: bool(r) and r[0].strip() == columns["muni_code6"], file=path,
                        what=f"header row starting with {columns['muni_code6']!r}")
    header = [c.strip() for c in rows[h]]
    _parse.require_columns(header, list(columns), file=path, row=h + 1)
    idx = {role: header.index(label) for role, label in columns.items()}
    filled = [(i, r) for i, r in enumerate(rows[h + 1:], start=h + 2) if r and any(c.strip() for c in r)]
    if not filled or not filled[-1][1][0].startswith("注"):
        raise RawDataError(path, "the closing 注： line (truncated file?)", found=filled[-1][1] if filled else None,
                           row=filled[-1][0] if filled else None)
    body = [(i, r) for i, r in filled if not r[0].startswith("注")]
    records = []
    for i, r in body:
        if len(r) != len(header):
            raise RawDataError(path, f"{len(header)} cells (truncated file?)", found=len(r), row=i)
        code = r[idx["muni_code6"]].strip()
        name = r[idx["area_name_ja"]].strip()
        if code == "-":
            code = None
        elif not re.fullmatch(r"\d{6}", code) or check_digit(code[:5]) != code[5]:
            raise RawDataError(path, "a 6-digit 団体コード with a valid check digit", found=code, row=i,
                               column=columns["muni_code6"])
        records.append((i, code, r[idx["pref_name_ja"]].strip(), None if name == "-" else name,
                        r[idx["population_persons"]]))
    values, notes = _parse.to_numeric(pd.Series([rec[4] for rec in records]), file=path,
                                      column=columns["population_persons"], row_numbers=[rec[0] for rec in records])
    return pd.DataFrame({
        "muni_code6": pd.Series([rec[1] for rec in records], dtype="object"),
        "muni_code": pd.Series([rec[1][:5] if rec[1] else None for rec in records], dtype="object"),
        "pref_code": [rec[1][:2] if rec[1] else "00" for rec in records],
        "pref_name_ja": [None if rec[1] is None else rec[2] for rec in records],
        "area_name_ja": [rec[3] or rec[2] for rec in records],
        "area_level": [_level(rec[1], rec[3] or rec[2]) for rec in records],
        "ref_date": ref,
        "population_persons": values,
        "value_note": notes,
    })


def validate(df: pd.DataFrame, *, where: str = SOURCE) -> pd.DataFrame:
    """One 合計 row = Σ 47 prefecture rows, and each prefecture = Σ its municipalities, exactly."""
    pref = df[df["area_level"] == "prefecture"]
    total = df.loc[df["area_level"] == "national", "population_persons"]
    if len(pref) != 47 or len(total) != 1:
        raise RawDataError(where, "47 prefecture rows and one 合計 row", found=f"{len(pref)} / {len(total)}")
    if pref["population_persons"].sum() != total.iloc[0]:
        raise RawDataError(where, f"Σ prefectures = 合計 {total.iloc[0]:,.0f}",
                           found=f"{pref['population_persons'].sum():,.0f}")
    munis = df[df["area_level"].isin(["municipality", "designated_city"])]
    gap = munis.groupby("pref_code")["population_persons"].sum() - pref.set_index("pref_code")["population_persons"]
    if (gap != 0).any():
        raise RawDataError(where, "each prefecture = Σ its municipalities", found=gap[gap != 0].to_dict())
    return df


def load(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """Population by municipality as of ``vintage`` (1月1日), validated."""
    name = FILE_PATTERN.format(vintage=vintage)
    return validate(parse(manifest.path(SOURCE, vintage, name), vintage=vintage), where=f"{SOURCE}/{vintage}/{name}")


TABLES = _parse.covered_tables(SOURCE, {"population": load})
