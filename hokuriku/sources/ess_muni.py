"""経済構造実態調査 製造業事業所調査 参考表「市区町村別」: 製造品出荷額等 (製造業計) per municipality.

Publisher and table
    総務省・経済産業省「2025年経済構造実態調査 製造業事業所調査（2024年実績）」参考表 市区町村別統計表,
    e-Stat statInfId 000040480531, row 産業コード ``00`` (製造業計), column 製造品出荷額等 (万円).
    Read here from a **derived copy** (the provenance is in the manifest: arrays transcribed verbatim
    from a public repository and zipped into one CSV ``code5, mfg_shipments_2024_oku_yen``).

Scope
    個人経営を除く全事業所 (the 経済構造実態調査 frame), calendar year 2024. This is **not** the scope of
    工業統計 (従業者4人以上の事業所), so a growth from a 工業統計 year to 2024 mixes two scopes: say so
    wherever the two are compared (:data:`SCOPE_JA`).

Units
    億円, rounded to 0.1 億円 by the copy's author (the publication gives 万円): ``shipments_jpy_oku``.

Missing values (never 0, never dropped)
    - blank (``null`` in the author's JSON) = 秘匿 X → NaN, ``value_note`` ``suppressed``;
    - ``0`` = the municipality is absent from the published table (set by the copy's author, **not** a
      published zero) → NaN, ``value_note`` ``absent_from_table``.

Designated cities
    The file has ward rows only (政令指定都市 split into 区; 浜松市 in its 2024 wards 22138–22140), no
    city rows. :func:`parse` adds one ``designated_city`` row per city = Σ of its wards; when a ward is
    missing the city value is NaN (``value_note`` ``wards_missing``), ``n_wards_suppressed`` /
    ``n_wards_absent`` say why, and ``shipments_wards_published_jpy_oku`` keeps the Σ of the wards
    published (a lower bound, labelled as such wherever shown). Tokyo's 23 特別区 are municipalities.

Checks (``tests/published/test_manufacturing_ess.py``)
    Σ of the published municipal values: 富山 42,505 億円, 石川 32,386, 福井 26,937; 全国 3,815,826
    (excluding 秘匿); 北上市 5,704.0; 豊田市 212,096.8.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from hokuriku import manifest
from hokuriku.codes import municipalities
from hokuriku.errors import InputError, RawDataError
from hokuriku.sources import _parse

SOURCE = "ess_muni"
DEFAULT_VINTAGE = "2024"
FILENAME = "mfgShip_2024_by_municipality_oku_yen.csv"
ENCODING = "utf-8"
SCOPE_JA = "個人経営を除く全事業所（経済構造実態調査）"
"""The survey frame of every value of this source (工業統計 is 従業者4人以上)."""
SUPPRESSED = "suppressed"
ABSENT = "absent_from_table"
WARDS_MISSING = "wards_missing"
_NUMBER = re.compile(r"^\d+(\.\d+)?$")


def _layout(vintage: str) -> pd.DataFrame:
    cols = _parse.load_layout(SOURCE, "columns")
    cols = cols[cols["vintage"] == str(vintage)]
    if cols.empty:
        msg = f"{SOURCE}: no layout for vintage {vintage!r} in layouts/{SOURCE}/columns.csv"
        raise InputError(msg)
    return cols


@_parse.contained
def parse(path: Path, *, vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """Parse the derived CSV into one row per municipality, ward and designated city (pure).

    Returns ``muni_code, pref_code, area_level, year, shipments_jpy_oku, value_note, n_wards,
    n_wards_suppressed, n_wards_absent, shipments_wards_published_jpy_oku, scope``.
    """
    path = Path(path)
    cols = _layout(vintage)
    raw_of = dict(zip(cols["column"], cols["raw"], strict=True))
    # Load inputs.
    header, body = _parse.read_csv_table(path, ENCODING, cols["raw"].tolist())
    code_i, value_i = header.index(raw_of["muni_code"]), header.index(raw_of["shipments_jpy_oku"])
    codes, values, notes, levels = [], [], [], []
    for row_no, r in enumerate(body, start=2):
        code, cell = r[code_i].strip(), r[value_i].strip()
        try:
            code = municipalities.validate_code5(code)
        except InputError:
            raise RawDataError(path, "a 5-digit municipal code PPCCC", found=code, row=row_no,
                               column=raw_of["muni_code"]) from None
        level = municipalities.area_level(code)
        if code.endswith("000") or level in ("prefecture", "aggregate"):
            raise RawDataError(path, "municipal and ward codes only (no prefecture or 東京都区部 rows)", found=code,
                               row=row_no, column=raw_of["muni_code"])
        if cell == "":
            value, note = math.nan, SUPPRESSED
        elif _NUMBER.match(cell):
            value = float(cell)
            value, note = (math.nan, ABSENT) if value == 0 else (value, None)
        else:
            raise RawDataError(path, "a non-negative number in 億円, blank (秘匿) or 0 (absent from the table)",
                               found=cell, row=row_no, column=raw_of["shipments_jpy_oku"])
        codes.append(code)
        values.append(value)
        notes.append(note)
        levels.append(level)
    if not codes:
        raise RawDataError(path, "at least one data row", found="header only")
    out = pd.DataFrame({"muni_code": codes, "shipments_jpy_oku": values, "value_note": notes})
    dup = out["muni_code"].duplicated(keep=False)
    if dup.any():
        first = int(np.flatnonzero(dup.to_numpy())[1]) + 2
        raise RawDataError(path, "one row per municipal code", found=f"duplicate {out.loc[dup, 'muni_code'].iloc[0]}",
                           row=first, column=raw_of["muni_code"])
    out["area_level"] = pd.Series(levels, dtype="str")  # municipalities.area_level of each code, from the loop
    if (out["area_level"] == "designated_city").any():
        bad = out.loc[out["area_level"] == "designated_city", "muni_code"].iloc[0]
        raise RawDataError(path, "ward rows only for 政令指定都市 (no city rows)", found=bad,
                           column=raw_of["muni_code"])
    # Process data: designated-city rows = Σ wards, NaN with counts when a ward is missing.
    wards = out[out["area_level"] == "ward"]
    wards = wards.assign(city=wards["muni_code"].map(municipalities.ward_city),
                         _suppressed=(wards["value_note"] == SUPPRESSED).to_numpy(dtype=bool),
                         _absent=(wards["value_note"] == ABSENT).to_numpy(dtype=bool))
    g = wards.groupby("city")
    cities = pd.DataFrame({
        "n_wards": g.size(),
        "n_wards_suppressed": g["_suppressed"].sum(),  # wards whose value is suppressed / absent
        "n_wards_absent": g["_absent"].sum(),
        "shipments_wards_published_jpy_oku": g["shipments_jpy_oku"].sum(min_count=1).round(1),
    }).rename_axis("muni_code").reset_index()
    complete = (cities["n_wards_suppressed"] + cities["n_wards_absent"]) == 0
    cities["shipments_jpy_oku"] = cities["shipments_wards_published_jpy_oku"].where(complete)
    cities["value_note"] = np.where(complete, None, WARDS_MISSING)
    cities["area_level"] = "designated_city"
    out = pd.concat([out, cities], ignore_index=True)
    out["pref_code"] = out["muni_code"].str[:2]
    out["year"] = int(vintage)
    out["scope"] = SCOPE_JA
    out["value_note"] = out["value_note"].astype("object").where(out["value_note"].notna(), None)
    for c in ("n_wards", "n_wards_suppressed", "n_wards_absent"):
        out[c] = out[c].astype("Int64")
    order = ["muni_code", "pref_code", "area_level", "year", "shipments_jpy_oku", "value_note", "n_wards",
             "n_wards_suppressed", "n_wards_absent", "shipments_wards_published_jpy_oku", "scope"]
    return out[order].sort_values("muni_code", ignore_index=True)


def load(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """Read the ``muni_shipments`` table through the verified manifest path."""
    name = manifest.load(SOURCE, vintage).files[0].path  # one CSV per vintage (FILENAME for 2024)
    return parse(manifest.path(SOURCE, vintage, name), vintage=vintage)


TABLES = _parse.covered_tables(SOURCE, {"muni_shipments": lambda vintage: load(vintage)})
