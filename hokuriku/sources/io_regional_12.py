"""2015 regional input–output tables at 12 sectors: intermediate flows and gross output (research data).

Publisher and table
-------------------
Each area's figures come from its own official 平成27年（2015年）産業連関表 (総務省 for 全国; the
prefectures' and cities' own tables — e.g. 富山県「平成27年富山県産業連関表」), re-classified into 12
sectors for Fukui, S. (2024) "Estimating Input Coefficients for Regional Input–Output Tables Using
Deep Learning with Mixup", *Computational Economics*, doi:10.1007/s10614-024-10641-1 (the derived
origin is recorded in the manifest). 百万円.

Layout
------
``IOTable.csv``: one row per area, column ``AreaID(string)`` (5 digits: ``00000`` 全国, ``pp000``
prefecture, else a city), ``R{i}C{j}`` = intermediate input from sector i to sector j, ``Y{i}`` = gross
output of sector i (i, j = 1…12, layouts/io_regional_12/sectors.csv). ``AreaID.csv`` names the areas.
No final demand, value added or 移輸出入: only technical coefficients a_ij = z_ij / x_j can be formed
(all inputs, wherever produced).

Checks (:func:`validate`): 144 + 12 numeric non-negative cells per area; Σ_i z_ij ≤ x_j for every
sector (inputs cannot exceed output); the 全国 row's Σ Y = 1,017,818,388 百万円 (the 2015 national
table); every AreaID named in AreaID.csv.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hokuriku import manifest
from hokuriku.codes import prefectures
from hokuriku.errors import HokurikuError, LayoutError, RawDataError
from hokuriku.sources import _parse

SOURCE = "io_regional_12"
DEFAULT_VINTAGE = "2015"
FILE = "IOTable.csv"
AREA_FILE = "AreaID.csv"
ENCODING = "utf-8"
NATIONAL_ID = "00000"
BLANK_LINES = 1
"""All-empty data lines in IOTable.csv: AreaID.csv lists 21219 Gujo(Gifu), but its line is empty (no figures).
Such lines are skipped and counted; any other count is a layout change."""
TOTAL_OUTPUT_JPY_MILLION = 1_017_818_388


def sectors() -> pd.DataFrame:
    """The 12 sectors (code, name_ja, name_en)."""
    return _parse.load_layout(SOURCE, "sectors")


def _expected_header(codes: list[str]) -> list[str]:
    n = [str(int(c)) for c in codes]
    return ["AreaID(string)", *(f"R{i}C{j}" for i in n for j in n), *(f"Y{i}" for i in n)]


@_parse.contained
def parse(path: Path, area_path: Path, *, vintage: str = DEFAULT_VINTAGE) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parse into (intermediate, output).

    intermediate: ``area_id, area_name_en, area_type, pref_code, row_sector, col_sector,
    intermediate_jpy_million``; output: ``area_id, area_name_en, area_type, pref_code, sector,
    sector_name_ja, output_jpy_million``. ``pref_code`` is set for prefectures only.
    """
    path, area_path = Path(path), Path(area_path)
    codes = sectors()["code"].tolist()
    header, body = _parse.read_csv_table(path, ENCODING, _expected_header(codes))
    if header != _expected_header(codes):
        raise LayoutError(path, f"the {len(_expected_header(codes))} columns AreaID(string), R1C1…R12C12, Y1…Y12",
                          found=header[:3] + ["…"] + header[-2:], row=1)
    _, a_body = _parse.read_csv_table(area_path, ENCODING, ["AreaID", "AreaName"])
    names = {r[0]: r[1] for r in a_body}
    blank = [k for k, line in enumerate(body, start=2) if not any(c.strip() for c in line)]
    if len(blank) != BLANK_LINES:
        raise LayoutError(path, f"{BLANK_LINES} all-empty line(s) (the Gujo city line)", found=f"lines {blank}")
    fast = _records_fast(body, blank, header, names, codes, path)
    inter, out = fast if fast is not None else _records(body, blank, header, names, codes, path, area_path)
    keys = ["area_id", "area_name_en", "area_type", "pref_code"]
    intermediate = pd.DataFrame(inter, columns=[*keys, "row_sector", "col_sector", "intermediate_jpy_million"])
    output = pd.DataFrame(out, columns=[*keys, "sector", "output_jpy_million"])
    output.insert(5, "sector_name_ja", output["sector"].map(sectors().set_index("code")["name_ja"]))
    return intermediate, output


def _area(area: str, names: dict[str, str]) -> tuple[str, str | None] | None:
    """(area_type, pref_code) of a valid AreaID, else None."""
    if not (len(area) == 5 and area.isdigit()) or area not in names:
        return None
    kind = "country" if area == NATIONAL_ID else "prefecture" if area.endswith("000") else "city"
    return kind, area[:2] if kind == "prefecture" else None


def _records_fast(body: list[list[str]], blank: list[int], header: list[str], names: dict[str, str],
                  codes: list[str], path: Path) -> tuple[list, list] | None:
    """The records of :func:`_records`, with every cell read in one :func:`_parse.to_numeric` call.

    Returns None when any line or cell is not as expected (an AreaID, a prefecture, a symbol, a
    negative or unreadable cell): :func:`_records` then raises the error naming the first of them.
    """
    lines = [(k, line) for k, line in enumerate(body, start=2) if k not in blank]
    areas = []
    for _, line in lines:
        area = line[0].strip()
        info = _area(area, names)
        if info is None:
            return None
        if info[1] is not None:
            try:
                prefectures.name_ja(info[1])
            except Exception:  # noqa: BLE001 - an unknown prefecture: _records raises it
                return None
        areas.append((area, names[area], *info))
    cells = [c for _, line in lines for c in line[1:]]
    if any(len(line) != len(header) for _, line in lines):
        return None
    try:
        values, reasons = _parse.to_numeric(pd.Series(cells, dtype="object"), file=path, column="")
    except HokurikuError:
        return None
    values = values.to_numpy()
    if reasons.notna().any() or (values < 0).any():
        return None
    n = len(codes)
    width = len(header) - 1
    inter, out = [], []
    for a, (area, name, kind, pref) in enumerate(areas):
        v = values[a * width:(a + 1) * width].tolist()
        for i, ri in enumerate(codes):
            for j, cj in enumerate(codes):
                inter.append((area, name, kind, pref, ri, cj, v[i * n + j]))
            out.append((area, name, kind, pref, ri, v[n * n + i]))
    return inter, out


def _records(body: list[list[str]], blank: list[int], header: list[str], names: dict[str, str], codes: list[str],
             path: Path, area_path: Path) -> tuple[list, list]:
    """Intermediate and output records of every non-blank line; the first bad AreaID or cell raises."""
    inter, out = [], []
    for k, line in enumerate(body, start=2):
        if k in blank:
            continue
        area = line[0].strip()
        if not (len(area) == 5 and area.isdigit()) or area not in names:
            raise RawDataError(path, f"a 5-digit AreaID listed in {area_path.name}", found=area, row=k,
                               column="AreaID(string)")
        kind = "country" if area == NATIONAL_ID else "prefecture" if area.endswith("000") else "city"
        pref = area[:2] if kind == "prefecture" else None
        if pref is not None:
            prefectures.name_ja(pref)  # raises on an unknown prefecture code
        values = []
        for col, cell in zip(header[1:], line[1:], strict=True):
            parsed = _parse.parse_cell(cell)
            if parsed is None or parsed[1] is not None or parsed[0] < 0:
                raise RawDataError(path, "a non-negative number (百万円)", found=cell, row=k, column=col)
            values.append(parsed[0])
        n = len(codes)
        for i, ri in enumerate(codes):
            for j, cj in enumerate(codes):
                inter.append((area, names[area], kind, pref, ri, cj, values[i * n + j]))
            out.append((area, names[area], kind, pref, ri, values[n * n + i]))
    return inter, out


def validate(intermediate: pd.DataFrame, output: pd.DataFrame, *, file: str | Path = FILE) -> None:
    """Σ_i z_ij ≤ x_j in every area and sector; the 全国 row's Σ Y = 1,017,818,388 百万円."""
    inputs = intermediate.groupby(["area_id", "col_sector"])["intermediate_jpy_million"].sum()
    x = output.set_index(["area_id", "sector"])["output_jpy_million"]
    over = inputs - x.reindex(inputs.index)
    if (over > 0).any():
        area, sector = over.idxmax()
        raise RawDataError(file, "intermediate inputs of a sector ≤ its gross output (Σ_i R{i}C{j} ≤ Y{j})",
                           found=f"area {area} sector {sector}: inputs {inputs[(area, sector)]:,.0f} > "
                                 f"output {x[(area, sector)]:,.0f}", column=f"Y{int(sector)}")
    total = output.loc[output["area_id"] == NATIONAL_ID, "output_jpy_million"].sum()
    if total != TOTAL_OUTPUT_JPY_MILLION:
        raise RawDataError(file, f"全国 (00000) Σ Y = {TOTAL_OUTPUT_JPY_MILLION:,} 百万円", found=f"{total:,.0f}")


def _load_both(vintage: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    path = manifest.path(SOURCE, vintage, FILE)
    intermediate, output = parse(path, manifest.path(SOURCE, vintage, AREA_FILE), vintage=vintage)
    validate(intermediate, output, file=path)
    return intermediate, output


def load(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """Intermediate flows z_ij per area (百万円), validated."""
    return _load_both(vintage)[0]


def load_output(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """Gross output x_j per area and sector (百万円), validated."""
    return _load_both(vintage)[1]


TABLES = _parse.covered_tables(SOURCE, {"intermediate": load, "output": load_output})
