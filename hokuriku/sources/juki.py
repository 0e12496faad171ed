"""総務省「住民基本台帳に基づく人口、人口動態及び世帯数」【総計】: population, households and flows.

Publisher and table
-------------------
総務省自治行政局住民制度課, 住民基本台帳に基づく人口、人口動態及び世帯数, 【総計】(日本人住民 + 外国人住民),
official page https://www.soumu.go.jp/main_sosiki/jichi_gyousei/daityo/jinkou_jinkoudoutai-setaisuu.html.
Stocks (人口 男・女・計, 世帯数) are as of 1 January of the vintage year (``ref_date``); flows (住民票記載数・消除数,
増減, 自然増減, 社会増減) are the **previous calendar year** (``flow_year`` = ref year − 1; the title says
``令和6年（1月1日から同年12月31日まで）`` for the 2025-01-01 table).

Vintages (``data/raw/juki/<vintage>/``)
---------------------------------------
- ``2021-01-01`` … ``2025-01-01``: the publisher's own xlsx, two per date — 市区町村別 (the municipal sheet, read
  for every table) and 都道府県別 (cross-checked: its 合計 and 47 prefecture rows must equal the municipal
  sheet's, cell by cell). These are the default for their date; the newest is the default vintage.
- ``2021-01-01_derived``, ``2022-01-01_derived``: an older CP932 CSV copy trimmed by a repository author to the
  人口 計 column (table ``population`` only). Same layout rules; kept readable as older vintages.
Which file is which (and which tables it carries) is layout data: ``layouts/juki/files.csv``; column labels
are ``layouts/juki/columns.csv``.

Layout (publisher's own)
------------------------
Row 1 title naming the date (checked against the vintage) and, in the xlsx, the flow year; rows 2–3 the
和暦/西暦 year of each column (checked: stocks = ref year, flows = flow year); rows 4–5 item labels (group /
item, mapped to columns through the layout table); row 6 ``団体コード, 都道府県名, [市区町村名], units``; then
the 合計 row (団体コード ``-``), the data and closing ``注`` lines (required: without them the file is
truncated). 団体コード is the 6-digit 全国地方公共団体コード with its check digit (``muni_code6``, verified with
:func:`hokuriku.codes.municipalities.check_digit`); ``muni_code`` is its first five digits.

Rows (``area_level``) — each row is classified, and sums never mix levels:

- ``national``: 合計 (code ``-``); ``prefecture``: 市区町村名 ``-``;
- ``gun``: 郡 subtotal (name ends in 郡) and 東京都 ``島しょ`` (a name not ending in 市区町村): the sum of the
  municipalities that follow it;
- ``designated_city``: 政令市 city row; ``ward``: its 行政区 (2024: 浜松市 wards before and after the
  2024-01-01 reorganisation, with ``***`` in the cells that do not apply — NaN, reason ``not_applicable``);
- ``aggregate``: 東京都 特別区部 (13100) when present;
- ``municipality``: every 市町村 and each of the 23 特別区 (town names carry their 郡: ``中新川郡舟橋村``).

Municipalities = ``municipality`` + ``designated_city``: 1,747 rows in every vintage = 1,741 市区町村 (23 特別区
included) + the 6 北方領土 villages (色丹村 … 蘂取村, printed with 0 persons). Checks (:func:`validate`): one 合計 row; one row per
prefecture 01–47; Σ 47 prefectures = 合計 and Σ municipalities = prefecture for every count column; Σ wards
= city and Σ members = 郡 (over cells that are not ``***``); 人口 男 + 女 ≤ 計 (equal up to 2024; from the
2025 table 注2: residents whose 在留カード shows no sex are counted in 計 only); and the identities
転入計 = 国内 + 国外, 計(A) = 転入計 + 出生 + その他, 計(B) = 転出計 + 死亡 + その他, 増減 = A − B,
自然増減 = 出生 − 死亡, 社会増減 = 転入計 + 記載その他 − 転出計 − 消除その他.

Symbols: a count cell must be a number (``***`` only in ward rows); a rate cell may be ``-`` (皆増, NaN with
reason ``not_applicable``). Anything else (``X``, blank, text) raises :class:`RawDataError` naming file, sheet,
row and column.
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from functools import lru_cache
from itertools import repeat
from pathlib import Path

import numpy as np
import pandas as pd

from hokuriku import manifest
from hokuriku.codes import municipalities
from hokuriku.codes.municipalities import WEIGHTS, check_digit
from hokuriku.errors import HokurikuError, LayoutError, RawDataError
from hokuriku.sources import _parse, _readers

SOURCE = "juki"
DEFAULT_VINTAGE = "latest"
"""The newest declared vintage (:func:`hokuriku.store.latest_vintage`)."""

KEYS = ["muni_code6", "muni_code", "pref_code", "pref_name_ja", "area_name_ja", "area_level"]
MUNICIPAL_LEVELS = ("municipality", "designated_city")
_FLOW_TITLE = re.compile(r"(令和|平成)\s*(元|\d+)\s*年\s*[（(]\s*1\s*月\s*1\s*日から同年\s*12\s*月\s*31\s*日まで")
TITLE_WORD = "住民基本台帳"


def check_digit_ok(code6: str) -> bool:
    return bool(re.fullmatch(r"\d{6}", code6)) and check_digit(code6[:5]) == code6[5]


def _check_digits(codes: list[str]) -> dict[str, bool]:
    """:func:`check_digit_ok` of every 6-digit code with prefecture 01–47 among ``codes``, in one numpy pass.

    Other codes are left out (``check_digit_ok`` itself then refuses them, as it raises on a prefecture
    outside 01–47).
    """
    shaped = sorted({c for c in codes if len(c) == 6 and c.isascii() and c.isdigit() and "01" <= c[:2] <= "47"})
    if not shaped:
        return {}
    digits = (np.frombuffer("".join(shaped).encode("ascii"), dtype=np.uint8).reshape(-1, 6) - ord("0")).astype(int)
    check = (11 - digits[:, :5] @ np.array(WEIGHTS) % 11) % 10
    return dict(zip(shaped, (check == digits[:, 5]).tolist(), strict=True))


# --- layout data ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _columns() -> pd.DataFrame:
    return _parse.load_layout(SOURCE, "columns")


@lru_cache(maxsize=1)
def _files() -> pd.DataFrame:
    return _parse.load_layout(SOURCE, "files")


@lru_cache(maxsize=1)
def _file_rows() -> list[tuple[str, pd.Series]]:
    """(pattern, row) of each row of ``layouts/juki/files.csv`` (iterated once, not once per lookup)."""
    return [(row["pattern"], row) for _, row in _files().iterrows()]


@lru_cache(maxsize=1)
def _layout() -> tuple[dict[str, str], pd.DataFrame, dict[tuple[str, str, str], str], dict[str, str]]:
    """``columns.csv`` as :func:`parse` uses it (derived once): key role → header label, the value
    rows, (group, item, unit) → value role, value role → kind."""
    cols = _columns()
    key_rows = cols[cols["kind"] == "key"]
    values = cols[cols["kind"] != "key"]
    keys = dict(zip(key_rows["role"], key_rows["unit"], strict=True))
    lookup = {(g, i, u): role for role, g, i, u in values[["role", "group", "item", "unit"]].itertuples(index=False)}
    kinds = dict(zip(values["role"], values["kind"], strict=True))
    return keys, values, lookup, kinds


def file_spec(name: str | Path) -> pd.Series:
    """The ``layouts/juki/files.csv`` row of a file: by name pattern, else (a file renamed by hand) by format.

    A renamed ``.xlsx`` is matched on the sheet it holds; a renamed ``.csv`` is the derived CSV layout.
    """
    files = _files()
    for pattern, row in _file_rows():
        if fnmatch.fnmatch(Path(name).name, pattern):
            return row.copy()
    suffix = Path(name).suffix.lower().lstrip(".")
    candidates = files[files["format"] == suffix]
    if suffix == "xlsx" and Path(name).exists():
        from hokuriku.sources import _readers  # noqa: PLC0415

        sheet_names = _readers.workbook(Path(name).read_bytes()).sheet_names
        candidates = candidates[candidates["sheet"].isin(sheet_names)]
        if candidates.empty:
            raise LayoutError(name, f"one of the sheets {files['sheet'][files['format'] == 'xlsx'].tolist()}",
                              found=sheet_names)
    if len(candidates) != 1:
        raise LayoutError(name, f"a file name matching one of {files['pattern'].tolist()} (layouts/juki/files.csv)",
                          found=Path(name).name)
    return candidates.iloc[0]


def _vintage_files(vintage: str) -> dict[str, str]:
    """kind → declared file name of ``vintage`` (from its manifest)."""
    m = manifest.load(SOURCE, vintage)
    out: dict[str, str] = {}
    for entry in m.files:
        kind = file_spec(entry.path)["kind"]
        if kind in out:
            msg = f"{SOURCE}/{vintage}: two files of kind {kind!r}: {out[kind]}, {entry.path}"
            raise HokurikuError(msg)
        out[kind] = entry.path
    if "municipality" not in out:
        msg = f"{SOURCE}/{vintage}: no municipal file declared (files: {[e.path for e in m.files]})"
        raise HokurikuError(msg)
    return out


def tables_for(vintage: str) -> list[str]:
    """The processed tables a vintage carries (the derived CSVs have ``population`` only)."""
    from hokuriku import store

    name = _vintage_files(store.resolve_vintage(SOURCE, vintage))["municipality"]
    return [t for t in TABLES if t in file_spec(name)["tables"].split("|")]


# --- parsing -------------------------------------------------------------------------------------


def _text(v: object) -> str:
    return "" if v is None else unicodedata.normalize("NFKC", str(v)).strip()


def _label(v: object) -> str:
    return "" if v is None else str(v).strip()


@lru_cache(maxsize=8192)
def _area_level(code5: str) -> str:
    """:func:`municipalities.area_level`, once per code in a process (every vintage lists the same codes)."""
    return municipalities.area_level(code5)


def _level(code6: str | None, name: str) -> str:
    if code6 is None:
        return "national"
    level = _area_level(code6[:5])
    if level in ("prefecture", "aggregate", "ward"):
        return level
    if name.endswith("郡") or not name.endswith(("市", "区", "町", "村")):
        return "gun"
    return level


def _read_rows(path: Path, spec: pd.Series) -> tuple[list[list[object]], _readers.PlainSheet | None]:
    """The rows of the file; for a plain xlsx sheet (every 住基 sheet) also its cells as grids
    (:func:`_readers.plain_sheet`), else None."""
    if spec["format"] == "xlsx":
        plain = _readers.plain_sheet(_parse.read_bytes(path), spec["sheet"])
        if plain is not None:
            return plain.rows, plain
        return _parse.read_excel_rows(path, spec["sheet"]), None  # (its own reading of the bytes)
    return [list(r) for r in _parse.read_csv_rows(path, spec["encoding"])], None


_NUMBER_TYPES = {int: True, float: True}


_NUMERIC_INFERRED = {"integer", "floating", "mixed-integer-float"}
"""``pandas.api.types.infer_dtype`` of cells that are all ``int``/``float`` (a C-level scan)."""


def _grid_numbers(grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(finite-number mask, float values) of every cell of an object grid: a cell is a number when it
    is an ``int``/``float`` from the workbook and finite (NaN, ±inf, text, None, bool are not).

    A column whose cells are all numbers (pandas' C-level type inference) is cast at once; the
    other columns are scanned cell by cell.
    """
    values = np.full(grid.shape, np.nan, dtype="float64")
    is_number = np.zeros(grid.shape, dtype=bool)
    if not grid.size:
        return is_number, values
    if pd.api.types.infer_dtype(grid.ravel(), skipna=False) in _NUMERIC_INFERRED:
        values[:] = grid.astype("float64")
        return np.isfinite(values), values
    for c in range(grid.shape[1]):
        cells = grid[:, c]
        if pd.api.types.infer_dtype(cells, skipna=False) in _NUMERIC_INFERRED:
            values[:, c] = cells.astype("float64")
            is_number[:, c] = np.isfinite(values[:, c])
            continue
        number = np.fromiter(map(_NUMBER_TYPES.get, map(type, cells), repeat(False)), dtype=bool, count=len(cells))
        if number.any():
            values[number, c] = cells[number].astype("float64")
            number &= np.isfinite(values[:, c])
        is_number[:, c] = number
    return is_number, values


def _numbers(cells: np.ndarray, number: np.ndarray, number_values: np.ndarray, *, file: Path, sheet: str | None,
             column: str, rows: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """(float values, reason codes) of a column of cells, as :func:`_parse.to_numeric` reads them.

    Cells that are already finite numbers (``int``/``float`` from the workbook: ``number``, their values
    ``number_values``, from :func:`_grid_numbers`) are taken as they are; the others (text of the
    derived CSV, symbols, blanks) go through :func:`_parse.to_numeric`, which raises on anything
    unreadable, naming the row.
    """
    n = len(cells)
    if number.all():
        return number_values.copy(), np.full(n, None, dtype="object")
    if not number.any():
        vals, reasons = _parse.to_numeric(pd.Series(list(cells)), file=file, sheet=sheet, column=column,
                                          row_numbers=rows)
        return vals.to_numpy(), reasons.to_numpy()
    vals = np.where(number, number_values, np.nan)
    reasons = np.full(n, None, dtype="object")
    other = np.flatnonzero(~number)
    v, r = _parse.to_numeric(pd.Series(list(cells[other])), file=file, sheet=sheet, column=column,
                             row_numbers=[rows[i] for i in other])
    vals[other] = v.to_numpy()
    reasons[other] = r.to_numpy()
    return vals, reasons


def _parse_others(grid: np.ndarray, is_number: np.ndarray, number_values: np.ndarray, *, file: Path,
                  sheet: str | None) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`_numbers` of every column of ``grid`` at once: (values, reasons) as columns × rows arrays.

    The cells that are not numbers (symbols, text, blanks) of all columns go through one
    :func:`_parse.to_numeric` call (it reads each cell on its own, so the result per cell is the
    same). None when one of them is unreadable: the caller then reads column by column, which raises
    the error a column-by-column reading meets first.
    """
    values = np.where(is_number, number_values, np.nan).T.copy()
    reasons = np.full(values.shape, None, dtype=object)
    other = ~is_number.T
    if other.any():
        try:
            v, r = _parse.to_numeric(pd.Series(grid.T[other], dtype=object), file=file, sheet=sheet, column="")
        except RawDataError:
            return None
        values[other] = v.to_numpy()
        reasons[other] = r.to_numpy()
    return values, reasons


def _combine_notes(notes: dict[str, object]) -> np.ndarray:
    """:func:`_parse.combine_notes` of the rows that carry a reason; None on the others (most rows)."""
    columns = {c: np.asarray(a, dtype="object") for c, a in notes.items()}
    n = len(next(iter(columns.values()))) if columns else 0
    out = np.full(n, None, dtype="object")
    has = np.zeros(n, dtype=bool)
    for a in columns.values():
        has |= ~pd.isna(a)
    if has.any():  # the few rows with a reason (ward '***', rate '-'): each distinct combination formatted once
        idx = np.flatnonzero(has)
        names = list(columns)
        texts: dict[tuple, str | None] = {}
        for k, reasons in zip(idx.tolist(), zip(*(columns[c][idx].tolist() for c in names), strict=True), strict=True):
            if reasons not in texts:  # combine_notes' rule: a reason is a non-empty str; none → None
                texts[reasons] = "; ".join(f"{c}={r}" for c, r in zip(names, reasons, strict=True)
                                           if isinstance(r, str) and r != "") or None
            out[k] = texts[reasons]
    return out


@_parse.contained
def parse(path: Path, *, vintage: str, kind: str | None = None) -> pd.DataFrame:
    """Parse one 住基 file (xlsx sheet or derived CSV) into one row per area, all columns it holds.

    Parameters
    ----------
    path
        The file; its name selects the row of ``layouts/juki/files.csv`` (format, encoding, sheet).
    vintage
        ``YYYY-MM-DD`` (optionally with a suffix, ``2022-01-01_derived``): the title's date must equal it.

    Returns
    -------
    DataFrame with :data:`KEYS`, ``ref_date``, ``flow_year`` (xlsx), ``file_row`` (row number in the file), each
    value column of ``columns.csv`` present in the file, a ``<column>_note`` reason per value column (None for
    a number) and ``value_note`` (the reasons combined, ``column=reason``).
    """
    path = Path(path)
    spec = file_spec(path)
    kind = kind or spec["kind"]
    sheet = spec["sheet"] or None
    rows, plain = _read_rows(path, spec)
    ref = pd.Timestamp(str(vintage)[:10])
    title = _label(rows[0][0]) if rows and rows[0] else ""
    era = _parse.parse_era_date(title)
    if era is None or era != (ref.year, ref.month, ref.day) or TITLE_WORD not in title:
        raise LayoutError(path, f"a title naming {TITLE_WORD} as of {ref:%Y-%m-%d}", found=title, sheet=sheet, row=1,
                          column="A")
    flow = _FLOW_TITLE.search(unicodedata.normalize("NFKC", title))
    flow_year = None
    if flow is not None:
        flow_year = _parse.parse_era_date(f"{flow.group(1)}{flow.group(2)}年")[0]
        if flow_year != ref.year - 1:
            raise LayoutError(path, f"flows of the calendar year {ref.year - 1}", found=title, sheet=sheet, row=1,
                              column="A")
    keys, values, lookup, kinds = _layout()
    h = _parse.find_row(rows, lambda r: bool(r) and _label(r[0]) == keys["muni_code6"], file=path, sheet=sheet,
                        what=f"the header row starting with {keys['muni_code6']!r} (row 6 of the publisher's layout)",
                        limit=20)
    if h < 4:
        raise LayoutError(path, "four label rows (和暦, 西暦, 項目, 細目) above the 団体コード row", found=f"{h} rows",
                          sheet=sheet, row=h + 1)
    header = [_label(c) for c in rows[h]]
    key_idx: dict[str, int] = {}
    for role in ("muni_code6", "pref_name_ja", "area_name_ja"):
        if keys[role] in header:
            key_idx[role] = header.index(keys[role])
        elif role != "area_name_ja" or kind == "municipality":
            raise LayoutError(path, f"header {keys[role]!r}", found=header[:4], sheet=sheet, row=h + 1,
                              column=keys[role])
    n_keys = len(key_idx)
    col_idx: dict[str, int] = {}
    for j in range(n_keys, len(header)):
        labels = (_label(rows[h - 2][j]), _label(rows[h - 1][j]), header[j])
        if labels == ("", "", ""):
            continue
        letter = _readers.column_letter(j + 1)
        role = lookup.get(labels)
        if role is None or role in col_idx:
            raise LayoutError(path, "a column labelled as in layouts/juki/columns.csv (group / item / unit), once",
                              found=" / ".join(labels), sheet=sheet, row=h, column=letter)
        year = _parse.parse_era_date(_label(rows[h - 4][j]))
        western = re.match(r"(\d{4})年", _text(rows[h - 3][j]))
        want = ref.year if role in ("population_male_persons", "population_female_persons", "population_persons",
                                    "households_count") else flow_year
        if year is None or western is None or want is None or year[0] != want or int(western.group(1)) != want:
            raise LayoutError(path, f"the year {want} above {labels[1] or labels[0]}",
                              found=f"{_label(rows[h - 4][j])} / {_label(rows[h - 3][j])}", sheet=sheet, row=h - 3,
                              column=letter)
        col_idx[role] = j
    needed = ["population_persons"] if spec["format"] == "csv" else list(values["role"])
    missing = [r for r in needed if r not in col_idx]
    if missing:
        m = values.set_index("role").loc[missing[0]]
        raise LayoutError(path, f"a column {m['group']} / {m['item']} ({m['unit']})", found="no such column",
                          sheet=sheet, row=h, column=m["item"])

    body: list[tuple[int, list[object]]] = []
    closed = False
    is_csv = spec["format"] == "csv"
    for i, r in enumerate(rows[h + 1:], start=h + 2):
        first = "" if not r or r[0] is None else str(r[0]).strip()  # _label, inlined (once per row)
        if first.startswith("注"):
            closed = True
            continue
        if not first and not any(_label(c) for c in r):
            continue
        if closed:
            raise RawDataError(path, "no data after the closing 注 lines", found=r[:3], sheet=sheet, row=i, column="A")
        if is_csv and len(r) != len(header):
            raise RawDataError(path, f"{len(header)} cells (truncated file?)", found=len(r), sheet=sheet, row=i)
        body.append((i, r))
    if not closed:
        last = body[-1][0] if body else h + 1
        raise RawDataError(path, "the closing 注 line after the data (truncated file?)", found="end of sheet",
                           sheet=sheet, row=last + 1, column="A")

    code_at, pref_at = key_idx["muni_code6"], key_idx["pref_name_ja"]
    name_at = key_idx.get("area_name_ja")
    code_labels = ["" if r[code_at] is None else str(r[code_at]).strip() for _, r in body]  # _label, inlined
    digits_ok = _check_digits(code_labels)
    records = []
    for (i, r), code in zip(body, code_labels, strict=True):
        pref = "" if r[pref_at] is None else str(r[pref_at]).strip()
        name = "-" if name_at is None else "" if r[name_at] is None else str(r[name_at]).strip()
        if code == "-":
            if pref != "合計":
                raise RawDataError(path, "団体コード '-' only on the 合計 row", found=pref, sheet=sheet, row=i,
                                   column=keys["pref_name_ja"])
            code6 = None
        elif digits_ok.get(code) or (code not in digits_ok and check_digit_ok(code)):
            code6 = code
        else:
            raise RawDataError(path, "a 6-digit 団体コード with a valid check digit", found=r[key_idx["muni_code6"]],
                               sheet=sheet, row=i, column=keys["muni_code6"])
        if code6 is not None and (name == "-") != (code6[2:5] == "000"):
            raise RawDataError(path, "市区町村名 '-' exactly on prefecture rows (団体コード PP000x)", found=name,
                               sheet=sheet, row=i, column=keys["area_name_ja"])
        area = pref if name == "-" else name
        level = _level(code6, area)
        records.append((i, code6, None if code6 is None else pref, area, level))
    codes = [rec[1] for rec in records]
    out = {  # the columns of the frame, made once at the end
        "file_row": [rec[0] for rec in records],
        "muni_code6": pd.Series(codes, dtype="object"),
        "muni_code": pd.Series([c[:5] if c else None for c in codes], dtype="object"),
        "pref_code": [c[:2] if c else "00" for c in codes],
        "pref_name_ja": pd.Series([rec[2] for rec in records], dtype="object"),
        "area_name_ja": [rec[3] for rec in records],
        "area_level": [rec[4] for rec in records],
        "ref_date": pd.Series(ref, index=range(len(records))),
    }
    if flow_year is not None:
        out["flow_year"] = np.full(len(records), flow_year, dtype="int64")
    notes = {}
    value_columns: dict[str, np.ndarray] = {}
    is_ward = np.array([rec[4] == "ward" for rec in records], dtype=bool)
    file_rows = [rec[0] for rec in records]
    width = max((len(r) for _, r in body), default=0)
    if plain is not None and body and width == plain.cells.shape[1] and all(len(r) == width for _, r in body):
        # the reader's grids: the value cells and their numbers without converting them again
        at = np.ix_(np.array([i - 1 for i, _ in body], dtype=np.intp), list(col_idx.values()))
        value_grid, is_number, number_values = plain.cells[at], plain.is_number[at], plain.numbers[at]
    else:
        grid = np.full((len(body), width + 1), None, dtype=object)  # a last column of None: a cell beyond a row
        if body and all(len(r) == width for _, r in body):  # every row as wide (the xlsx reader pads them)
            grid[:, :width] = [r for _, r in body]
        else:
            for k, (_, r) in enumerate(body):
                grid[k, : len(r)] = r
        value_grid = grid[:, [min(j, width) for j in col_idx.values()]]
        is_number, number_values = _grid_numbers(value_grid)
    parsed = _parse_others(value_grid, is_number, number_values, file=path, sheet=sheet)
    for c, (role, j) in enumerate(col_idx.items()):
        header_label = f"{_readers.column_letter(j + 1)} ({_label(rows[h - 2][j])}/{_label(rows[h - 1][j])})"
        cells = value_grid[:, c]
        if parsed is not None:
            vals, reasons = parsed[0][c], parsed[1][c]
        else:  # an unreadable cell: column by column, so the error is the one a row-by-row reading meets first
            vals, reasons = _numbers(cells, is_number[:, c], number_values[:, c], file=path, sheet=sheet,
                                     column=header_label, rows=file_rows)
        symbol = ~pd.isna(reasons)
        if symbol.any():
            got = np.where(symbol, reasons, "")
            ok = (got == "") | ((got == "not_applicable") & is_ward)
            if kinds[role] == "rate":
                ok |= got == "nil"
            bad = ~ok
            if bad.any():
                k = int(np.flatnonzero(bad)[0])
                what = ("a number (住基 counts are never suppressed; '***' only in 政令市 ward rows)"
                        if kinds[role] == "count" else "a rate, or '-' (皆増; '***' only in 政令市 ward rows)")
                raise RawDataError(path, what, found=pd.Series(list(cells)).iloc[k], sheet=sheet, row=file_rows[k],
                                   column=header_label)
            reasons = np.where(got == "nil", "not_applicable", reasons)
        if kinds[role] == "count":
            fraction = ~np.isnan(vals) & (vals % 1 != 0)
            if fraction.any():
                k = int(np.flatnonzero(fraction)[0])
                raise RawDataError(path, "a whole number", found=pd.Series(list(cells)).iloc[k], sheet=sheet,
                                   row=file_rows[k], column=header_label)
        value_columns[role] = vals
        notes[role] = reasons
        value_columns[f"{role}_note"] = reasons
    value_columns["value_note"] = _combine_notes(notes)
    out = pd.DataFrame(out | value_columns)
    out.attrs.update(file=str(path), sheet=sheet, kind=kind)
    return out


_parse_sheet = parse
""":func:`parse` as defined here (the build rebinds the module's ``parse`` to a memoising copy)."""


# --- checks --------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _count_roles() -> tuple[str, ...]:
    """The count columns of ``columns.csv``, in order (derived once)."""
    cols = _columns()
    return tuple(cols.loc[cols["kind"] == "count", "role"])


@lru_cache(maxsize=1)
def _roles() -> tuple[str, ...]:
    """Every column of ``columns.csv``, in order (derived once)."""
    return tuple(_columns()["role"])


def _count_columns(df: pd.DataFrame) -> list[str]:
    return [r for r in _count_roles() if r in df]


def _fail(df: pd.DataFrame, expected: str, *, found: object, row: int | None = None, column: str | None = None):
    raise RawDataError(df.attrs.get("file", SOURCE), expected, found=found, sheet=df.attrs.get("sheet"), row=row,
                       column=column)


def validate(df: pd.DataFrame) -> pd.DataFrame:
    """Check the totals, the hierarchy and the identities listed in the module docstring; return ``df``.

    Works on numpy arrays of the needed columns (by position), not on filtered copies of the frame.
    """
    level = df["area_level"].to_numpy(dtype=object)
    file_row = df["file_row"].to_numpy()
    national_at = np.flatnonzero(level == "national")
    if len(national_at) != 1:
        _fail(df, "one 合計 row", found=f"{len(national_at)} rows",
              row=None if not len(national_at) else int(file_row[national_at[-1]]))
    pref_at = np.flatnonzero(level == "prefecture")
    pref_codes = df["pref_code"].to_numpy(dtype=object)[pref_at]
    seen: dict[str, int] = {}
    for k, code in enumerate(pref_codes):
        if code in seen:
            _fail(df, "one row per prefecture",
                  found=f"a second row for {df['area_name_ja'].iloc[pref_at[k]]} ({code})",
                  row=int(file_row[pref_at[k]]), column="団体コード")
        seen[code] = k
    expected = {f"{i:02d}" for i in range(1, 48)}
    if set(seen) != expected:
        gone = sorted(expected - set(seen))
        _fail(df, "47 prefecture rows (01–47)", found=f"{len(pref_at)} rows, missing {gone}")
    counts = _count_columns(df)
    values = _floats(df, counts)
    pref_values = values[pref_at]
    totals = values[national_at[0]]
    for c, col in enumerate(counts):
        column = pref_values[:, c]
        if not np.isnan(column).any() and column.sum() != totals[c]:
            _fail(df, f"Σ 47 prefectures = 合計 {totals[c]:,.0f}", found=f"{column.sum():,.0f}",
                  row=int(file_row[national_at[0]]), column=col)
    muni_at = np.flatnonzero(np.isin(level, MUNICIPAL_LEVELS))
    if len(muni_at):
        # Σ municipalities per prefecture (pandas' sum(min_count=1): NaN where no cell is a number)
        owner = np.array([seen.get(c, -1) for c in df["pref_code"].to_numpy(dtype=object)[muni_at]], dtype="int64")
        mine = owner >= 0
        part = values[muni_at[mine]]
        known = ~np.isnan(part)
        sums = np.full(pref_values.shape, np.nan)
        for c in range(len(counts)):
            total = np.bincount(owner[mine], weights=np.where(known[:, c], part[:, c], 0.0), minlength=len(pref_at))
            found = np.bincount(owner[mine], weights=known[:, c], minlength=len(pref_at)) > 0
            sums[found, c] = total[found]
        gaps = sums - pref_values
        wrong = np.nan_to_num(gaps, nan=0.0) != 0
        for c, col in enumerate(counts):
            if wrong[:, c].any():
                k = int(np.flatnonzero(wrong[:, c])[0])
                at = pref_at[k]
                _fail(df, f"{df['area_name_ja'].iloc[at]} = Σ its municipalities {sums[k, c]:,.0f}",
                      found=f"{pref_values[k, c]:,.0f}", row=int(file_row[at]), column=col)
        _check_members(df, counts, values)
    _check_identities(df)
    return df


def _member_groups(levels: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """(the group of each member row, −1 elsewhere; the head rows) of the ``area_level`` of each row.

    A 政令市 row heads the ward rows that follow it, a 郡 row the municipality rows that follow it; any
    other row ends the run. Vectorised: a row is a member when its level matches the kind of the last head
    above it and no row between them broke the run.
    """
    n = len(levels)
    place = np.arange(n)
    is_head = (levels == "designated_city") | (levels == "gun")
    heads = np.flatnonzero(is_head)
    last_head = np.maximum.accumulate(np.where(is_head, place, -1)) if n else place
    head_level = np.where(last_head >= 0, levels[np.maximum(last_head, 0)], None)
    fits = ((head_level == "designated_city") & (levels == "ward")) | ((head_level == "gun") & (levels == "municipality"))
    breaks = ~is_head & ~fits
    last_break = np.maximum.accumulate(np.where(breaks, place, -1)) if n else place
    member = fits & ~is_head & (last_head >= 0) & (last_break < last_head)
    group = np.full(n, -1, dtype="int64")
    group[member] = np.searchsorted(heads, last_head[member])
    return group, heads.tolist()


def _check_members(df: pd.DataFrame, counts: list[str], values: np.ndarray | None = None) -> None:
    """Σ wards = their 政令市 and Σ the municipalities after a 郡 row = the 郡 row (cells that are numbers).

    A 政令市 row heads the ward rows that follow it, a 郡 row the municipality rows that follow it; any
    other row ends the run. The first group (in file order) without members, or whose sum differs in
    a count column (in column order), is reported.
    """
    group, heads = _member_groups(df["area_level"].to_numpy(dtype=object))
    if not heads:
        return
    member = group >= 0
    size = np.bincount(group[member], minlength=len(heads))
    if values is None:
        values = _floats(df, counts)
    part = values[member]
    known = ~np.isnan(part)
    sums = np.zeros((len(heads), len(counts)))
    found = np.zeros((len(heads), len(counts)), dtype="int64")
    for c in range(len(counts)):
        sums[:, c] = np.bincount(group[member], weights=np.where(known[:, c], part[:, c], 0.0), minlength=len(heads))
        found[:, c] = np.bincount(group[member], weights=known[:, c], minlength=len(heads)).astype("int64")
    printed = values[heads]
    wrong = (found > 0) & (sums != printed)  # a NaN head against numbers is wrong, as NaN != s
    failing = np.flatnonzero((size == 0) | wrong.any(axis=1))
    if failing.size == 0:
        return
    g = int(failing[0])
    row = df.iloc[heads[g]]
    if size[g] == 0:
        _fail(df, f"the wards or municipalities of {row['area_name_ja']} after its row", found="none",
              row=int(row["file_row"]))
    c = int(np.flatnonzero(wrong[g])[0])
    col = counts[c]
    _fail(df, f"{row['area_name_ja']} = Σ its {int(size[g])} wards/municipalities {sums[g, c]:,.0f}",
          found=f"{row[col]:,.0f}", row=int(row["file_row"]), column=col)


_IDENTITIES = [
    ("in_total_persons", ["in_domestic_persons", "in_abroad_persons"], []),
    ("out_total_persons", ["out_domestic_persons", "out_abroad_persons"], []),
    ("recorded_total_persons", ["in_total_persons", "births_persons", "in_other_persons"], []),
    ("removed_total_persons", ["out_total_persons", "deaths_persons", "out_other_persons"], []),
    ("change_persons", ["recorded_total_persons"], ["removed_total_persons"]),
    ("natural_change_persons", ["births_persons"], ["deaths_persons"]),
    ("social_change_persons", ["in_total_persons", "in_other_persons"], ["out_total_persons", "out_other_persons"]),
]


def _floats(df: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """The ``columns`` of ``df`` as one float rows × columns array (one column look-up, not one per column)."""
    if not columns:
        return np.zeros((len(df), 0))
    return df[columns].to_numpy(dtype="float64", na_value=np.nan)


def _check_identities(df: pd.DataFrame) -> None:
    needed = [c for c in dict.fromkeys(["population_male_persons", "population_female_persons", "population_persons",
                                        *(c for target, plus, minus in _IDENTITIES for c in (target, *plus, *minus))])
              if c in df]
    at = {c: k for k, c in enumerate(needed)}
    values = _floats(df, needed)
    if "population_male_persons" in df:
        both = values[:, at["population_male_persons"]] + values[:, at["population_female_persons"]]
        total = values[:, at["population_persons"]]
        bad = both - total > 0
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            _fail(df, "人口 男 + 女 ≤ 計", found=f"{both[k]:,.0f} > {total[k]:,.0f}",
                  row=int(df["file_row"].iloc[k]), column="population_persons")
    for target, plus, minus in _IDENTITIES:
        if target not in df:
            continue
        # a row sum is NaN unless every term is a number (min_count = number of terms)
        calc = values[:, [at[c] for c in plus]].sum(axis=1)
        if minus:
            calc = calc - values[:, [at[c] for c in minus]].sum(axis=1)
        printed = values[:, at[target]]
        bad = ~np.isnan(calc) & ~np.isnan(printed) & (calc != printed)
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            rule = " + ".join(plus) + ("" if not minus else " − " + " − ".join(minus))
            _fail(df, f"{target} = {rule} = {calc[k]:,.0f}", found=f"{printed[k]:,.0f}",
                  row=int(df["file_row"].iloc[k]), column=target)


def _cross_check(muni: pd.DataFrame, pref: pd.DataFrame) -> None:
    """The 都道府県別 sheet equals the 市区町村別 sheet's 合計 and prefecture rows, cell by cell."""
    top_at = np.flatnonzero(np.isin(muni["area_level"].to_numpy(dtype=object), ["national", "prefecture"]))
    top_codes = muni["pref_code"].to_numpy(dtype=object)[top_at].tolist()
    other_codes = pref["pref_code"].to_numpy(dtype=object).tolist()
    if sorted(top_codes) != sorted(other_codes):
        _fail(pref, "the same 合計 and prefecture rows as the 市区町村別 sheet",
              found=sorted(set(other_codes) ^ set(top_codes)))
    value_cols = [c for c in _roles() if c in muni and c in pref and c not in KEYS]
    if not value_cols:
        return
    where = {code: k for k, code in enumerate(other_codes)}  # unique: validate refused a second row
    at = [where[code] for code in top_codes]
    mine = _floats(muni, value_cols)[top_at]
    theirs = _floats(pref, value_cols)[at]
    differs = ~((mine == theirs) | (np.isnan(mine) & np.isnan(theirs)))
    for c, col in enumerate(value_cols):
        if differs[:, c].any():
            k = int(np.flatnonzero(differs[:, c])[0])
            b = theirs[k, c]
            sheet = Path(muni.attrs["file"]).name
            _fail(pref, f"{col} = {mine[k, c]} as in the 市区町村別 sheet ({sheet})",
                  found=None if np.isnan(b) else float(b), row=int(pref["file_row"].iloc[at[k]]), column=col)


# --- load and tables -----------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _load_cached(vintage: str) -> pd.DataFrame:
    # ``_parse_sheet``, not the module's ``parse``: this cache already parses each file once per process, so the
    # copy the build's memoised ``parse`` hands out (store.memoised) would only cost time
    files = _vintage_files(vintage)
    muni = validate(_parse_sheet(manifest.path(SOURCE, vintage, files["municipality"]), vintage=vintage))
    if "prefecture" in files:
        pref = validate(_parse_sheet(manifest.path(SOURCE, vintage, files["prefecture"]), vintage=vintage))
        _cross_check(muni, pref)
    return muni


def load(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """Every row of the municipal sheet of ``vintage`` (``"latest"`` = newest), parsed and validated."""
    from hokuriku import store

    # a shallow copy: with pandas' copy-on-write a caller editing it never changes the cached frame
    return _load_cached(store.resolve_vintage(SOURCE, vintage)).copy(deep=False)


def _table(vintage: str, columns: list[str], *, with_flow_year: bool = False) -> pd.DataFrame:
    df = load(vintage)
    columns = [c for c in columns if c in df]
    lead = [*KEYS, "flow_year"] if with_flow_year else [*KEYS, "ref_date"]
    out = df[lead + columns]  # a new frame (copy-on-write): adding value_note leaves df as it is
    notes = df[[f"{c}_note" for c in columns]].to_numpy(dtype=object)  # one look-up for every note column
    noted = ~pd.isna(notes).all(axis=1) if columns else np.zeros(len(df), dtype=bool)
    value_note = np.full(len(df), None, dtype=object)
    if noted.any():
        at = np.flatnonzero(noted)
        value_note[at] = _combine_notes({c: notes[at, k] for k, c in enumerate(columns)})
    out["value_note"] = value_note
    return out.reset_index(drop=True)


def load_population(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """人口 as of 1 January: one row per area; ``population_persons`` (計) and, in the xlsx vintages,
    ``population_male_persons`` / ``population_female_persons`` (男 + 女 may be < 計 from 2025, see 注2)."""
    return _table(vintage, ["population_male_persons", "population_female_persons", "population_persons"])


def load_households(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """世帯数 as of 1 January (``households_count``), one row per area."""
    return _table(vintage, ["households_count"])


def load_flows(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """人口動態 of calendar year ``flow_year`` (= ref year − 1), one row per area, persons and ％.

    転入 国内/国外/計, 出生, 記載その他, 計(A); 転出 国内/国外/計, 死亡, 消除その他, 計(B); 増減 = A − B;
    自然増減 = 出生 − 死亡; 社会増減 = 転入計 + 記載その他 − 転出計 − 消除その他; and the published rates (％).
    """
    roles = [r for r in _layout()[3]  # the value columns, in order
             if r not in ("population_male_persons", "population_female_persons", "population_persons",
                          "households_count")]
    return _table(vintage, roles, with_flow_year=True)


TABLES = _parse.covered_tables(SOURCE, {"population": load_population, "households": load_households,
                                         "flows": load_flows})
