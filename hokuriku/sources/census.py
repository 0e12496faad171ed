"""総務省統計局「国勢調査」: population by sex and by 5-year age, e-Stat CSV downloads.

Publisher and tables
--------------------
- 令和2年国勢調査 人口等基本集計 表1-1-1「男女別人口－全国，都道府県，市区町村（2000年市区町村含む）」
  (``population_census_2020.csv``): 総数・男・女 for 全国, prefectures, municipalities, wards.
- 令和2年国勢調査 人口等基本集計 表2-7-1「男女，年齢（5歳階級），国籍総数か日本人別人口」
  (``population_census_2020_age5_sex.csv``, 国籍総数 only): 5-year ages × sex, with 年齢「不詳」 and the
  （再掲） groups 15歳未満, 15～64歳, 65歳以上, 75歳以上, 85歳以上, 20～69歳; areas include the
  municipalities of 2000 (``（旧：富山市）``, codes such as ``1620B``).
- 昭和55年国勢調査 第1次基本集計 表00101 (``population_census_1980.csv``): 5-year ages, 男女総数 only,
  prefectures, 市部/郡部, 支庁 and municipalities on 1980 boundaries (no 全国 row).

All are counts of persons (人) as of 10月1日 (``ref_date``), UTF-8 with BOM.

Layout quirks
-------------
e-Stat CSVs open with metadata lines (統計名：, 表番号：, 表題：, 実施年月：, the symbol legend) and
1–4 header lines; the header row is the one holding the area-code label of
layouts/census/tables.csv, and 表番号： must equal the table id expected for the file. Numbers
carry thousands separators; ``-`` and ``***`` (当該数値がないもの) become NaN with ``value_note``
``nil`` / ``not_applicable`` — never 0. Age labels differ between years (``０－４歳【人】`` in 1980,
``0～4歳`` in 2020) and are mapped through layouts/census/age_classes.csv.

``area_level``: national, prefecture, pref_part (1980 市部/郡部), subprefecture (1980 北海道 支庁),
designated_city, ward (designated-city 行政区), special_wards_total (東京都 特別区部 13100),
municipality (incl. the 23 特別区), municipality_2000 (2000-boundary municipalities of 表2-7-1).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from hokuriku import manifest
from hokuriku.errors import LayoutError, RawDataError
from hokuriku.sources import _csv_grid, _parse

SOURCE = "census"
DEFAULT_VINTAGE = "2020"
ENCODING = "utf-8-sig"
CENSUS_DAY = (10, 1)
"""国勢調査 counts persons as of 10月1日 0時."""


def _lookup(name: str, build):  # noqa: ANN001, ANN202 - build: the layout frame → the lookup
    """``build(layout)`` of ``layouts/census/<name>.csv``, made once per version of the file
    (:func:`_parse.layout_derived`). Read only."""
    return _parse.layout_derived(SOURCE, name, build.__name__, build)


def _by_table_id(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("table_id")


def _by_label(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("label")


def _sex_by_label(frame: pd.DataFrame) -> pd.Series:
    return frame.set_index("label")["sex"]


def _age_bounds(frame: pd.DataFrame) -> pd.DataFrame:
    """``age_from``/``age_to`` of each age label as floats (``""`` → NaN: an open bound)."""
    return pd.DataFrame({col: np.array([pd.to_numeric(b or None) for b in frame[col]], dtype="float64")
                         for col in ("age_from", "age_to")}, index=frame["label"])


def _by_vintage(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {v: frame[frame["vintage"] == v] for v in frame["vintage"].unique()}


def _age_label(text: str) -> str:
    text = _parse.nfkc(text).replace("【人】", "").strip()
    return re.sub(r"[~〜－−]", "-", text)


def area_level(code: str, name: str) -> str:
    """Level of a census area from its 5-character code and printed name (module docstring)."""
    if code == "00000":
        return "national"
    if code.endswith("000"):
        return "prefecture"
    if code[2:] in ("001", "002"):
        return "pref_part"
    name = _parse.nfkc(name)  # (the code decides the levels above)
    if name.startswith("(旧:"):
        return "municipality_2000"
    if name.endswith("支庁"):
        return "subprefecture"
    if code == "13100":
        return "special_wards_total"
    if code[2] == "1" and code[:2] != "13":
        return "ward" if name.endswith("区") else "designated_city"
    return "municipality"


def _read(path: Path, table_id: str) -> tuple[dict[str, list[str]], list[str], list[int], list]:
    """(metadata, header, row numbers, body columns) of an e-Stat CSV, checked against its layout.

    The body (the non-blank rows after the header) comes as one Arrow string array per header
    column, with the 1-based line number of each row. Read by :func:`_fast_read` where the text is
    simple enough for it (every mirror file), else by :func:`_parse.read_csv_rows` row by row.
    """
    data = _parse.read_bytes(path)
    layout = _lookup("tables", _by_table_id).loc[table_id]
    code_label = _parse.nfkc(layout["area_code_header"])
    fast = _fast_read(data, code_label)
    if fast is not None:
        rows, h, body = fast
    else:
        rows, h, body = _parse.csv_rows(_parse.decode_text(path, data, ENCODING), file=path), None, None
    if h is None:
        h = _parse.find_row(rows, lambda r: code_label in [_parse.nfkc(c) for c in r], file=path,
                            what=f"header row with {layout['area_code_header']!r}")
    meta = {_parse.nfkc(r[0]).rstrip(":"): r[1:] for r in rows[:h] if r and r[0].strip()}
    found_id = (meta.get("表番号") or [""])[0].strip()
    if found_id != table_id:
        raise LayoutError(path, f"表番号 {table_id}", found=found_id or "no 表番号： line", row=2)
    header = [_parse.nfkc(c) for c in rows[h]]
    if body is not None and body.num_columns == len(header):
        return meta, header, *_non_blank(body, h, header.index(code_label))
    if body is not None:  # a body wider or narrower than the header: every row, to name the first such
        rows = _parse.csv_rows(_parse.decode_text(path, data, ENCODING), file=path)
    body = [(i, r) for i, r in enumerate(rows[h + 1:], start=h + 2) if "".join(r).strip()]  # a non-blank cell
    for i, r in body:
        if len(r) != len(header):
            raise RawDataError(path, f"{len(header)} cells (truncated file?)", found=len(r), row=i)
    columns = [pa.array([r[j] for _, r in body], type=pa.large_string()) for j in range(len(header))]
    return meta, header, [i for i, _ in body], columns


_HEAD_LINES = 60
"""Lines searched for the header row (as :func:`_parse.find_row`)."""


def _fast_read(data: bytes, code_label: str):  # noqa: ANN202
    """(head rows, header index, body as an Arrow table) of a simple e-Stat CSV file's bytes, or None.

    Simple: the header row (the first of the first ``_HEAD_LINES`` lines holding ``code_label``) is
    found in a head of empty, quote-free or fully quoted lines (:func:`_csv_grid.simple_row`: then
    rows are lines), and the body (every line after it) is a grid :func:`_csv_grid.grid_arrow` reads,
    with exactly the cells of ``csv.reader``. None (read row by row) otherwise.

    Read from the bytes, as :func:`_parse.read_text` would decode them: the head lines are decoded here
    (strictly), the body is checked by Arrow's reader, which refuses bytes that are not UTF-8 — so a
    file read here decodes, and one that does not is left to :func:`_parse.decode_text`, which names
    the undecodable bytes.
    """
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    if b"\x00" in data or (b"\r" in data and data.count(b"\r") != data.count(b"\r\n")):  # a CR only in CRLF
        return None
    quoted = b'"' in data
    rows, h = [], None
    for i in range(_HEAD_LINES):
        end = data.find(b"\n", start)
        try:
            line = (data[start:] if end < 0 else data[start:end]).decode("utf-8")
        except UnicodeDecodeError:
            return None
        row = _csv_grid.simple_row(line.removesuffix("\r"), quoted=quoted)
        if row is None:
            return None
        rows.append(row)
        start = len(data) if end < 0 else end + 1
        if code_label in [_parse.nfkc(c) for c in row]:
            h = i
            break
        if end < 0:
            break
    if h is None:
        return None
    body = _csv_grid.grid_arrow(data[start:])
    return None if body is None else (rows, h, body)


def _non_blank(body, h: int, code_j: int) -> tuple[list[int], list]:
    """Row numbers and columns of the body rows holding a non-blank cell (blank rows dropped).

    A row with a non-blank area code is kept; only the others are joined and checked in Python.
    """
    import pyarrow.compute as pc  # noqa: PLC0415

    columns = [c.combine_chunks() for c in body.columns]
    n = body.num_rows
    # a code holding a letter or digit is not blank; only the other codes are stripped in Python
    keep = np.array(pc.match_substring_regex(columns[code_j], "[0-9A-Za-z]").to_numpy(zero_copy_only=False),
                    dtype=bool)
    for i in np.flatnonzero(~keep).tolist():
        keep[i] = bool(columns[code_j][i].as_py().strip())
    for i in np.flatnonzero(~keep).tolist():  # a blank code: the row is blank when every cell is
        keep[i] = bool("".join(c[i].as_py() for c in columns).strip())
    row_numbers = np.arange(h + 2, h + 2 + n)
    if not keep.all():
        mask = pa.array(keep)
        columns = [c.filter(mask) for c in columns]
        row_numbers = row_numbers[keep]
    return row_numbers.tolist(), columns


def _files(vintage: str) -> pd.DataFrame:
    """The rows of layouts/census/files.csv for ``vintage`` (a boolean mask: no ``query`` expression to compile)."""
    files = _lookup("files", _by_vintage)
    return files.get(vintage, _parse.shared_layout(SOURCE, "files").iloc[0:0])


def _ref_date(meta: dict[str, list[str]], path: Path) -> pd.Timestamp:
    held = "".join(meta.get("実施年月", []))
    m = re.match(r"(\d{4})年", _parse.nfkc(held))
    if not m:
        raise LayoutError(path, "実施年月： with a year such as 2020年", found=held, row=4)
    return pd.Timestamp(int(m[1]), *CENSUS_DAY)


@_parse.contained
def parse(path: Path, *, vintage: str = DEFAULT_VINTAGE, table_id: str | None = None) -> pd.DataFrame:
    """Parse one census CSV into a long table: one row per area × sex × value column.

    Parameters
    ----------
    path
        The e-Stat CSV.
    vintage
        Census year; selects the expected table id from layouts/census/files.csv.
    table_id
        Expected 表番号 when ``path`` has another name than the manifest's (e.g. a test copy).

    Returns
    -------
    DataFrame with ``area_code, area_name_ja, area_level, pref_code, ref_date, year, sex``, for age
    tables ``age_class, age_from, age_to, age_kind, is_subtotal``, then ``population_persons`` and
    ``value_note``.
    """
    path = Path(path)
    if table_id is None:
        files = _files(vintage)
        files = files[files["file"] == path.name]
        if files.empty:
            raise LayoutError(path, f"a file of layouts/{SOURCE}/files.csv for vintage {vintage}", found=path.name)
        table_id = files["table_id"].iloc[0]
    layout = _lookup("tables", _by_table_id).loc[table_id]
    meta, header, row_numbers, columns = _read(path, table_id)
    ref_date = _ref_date(meta, path)
    code_j = header.index(_parse.nfkc(layout["area_code_header"]))
    name_label = _parse.nfkc(layout["area_name_header"])
    if name_label not in header:
        raise LayoutError(path, f"header {layout['area_name_header']!r}", found=header, column=name_label)
    name_j = header.index(name_label)
    sexes = _lookup("sex", _sex_by_label)
    ages = _lookup("age_classes", _by_label)
    first = max(code_j, name_j) + 1
    if layout["value_axis"] == "sex":
        value_cols = {j: sexes[h] for j, h in enumerate(header) if j >= first and h in sexes.index}
        expected = ["総数", "男", "女"]
    else:
        value_cols = {j: _age_label(h) for j, h in enumerate(header) if j >= first and h and not h.startswith("/")}
        unknown = [raw for j, raw in value_cols.items() if raw not in ages.index]
        if unknown:
            raise LayoutError(path, f"age labels of layouts/{SOURCE}/age_classes.csv", found=unknown,
                              column=unknown[0])
        expected = ["総数", "0-4歳", "100歳以上"]
    labels = [header[j] if layout["value_axis"] == "sex" else value_cols[j] for j in value_cols]
    for need in expected:
        if need not in labels:
            raise LayoutError(path, f"a value column {need!r}", found=labels, column=need)
    n = len(row_numbers)
    if isinstance(layout["sex_header"], str) and layout["sex_header"]:
        sex_j = header.index(_parse.nfkc(layout["sex_header"])) if _parse.nfkc(layout["sex_header"]) in header \
            else None
        if sex_j is None:
            raise LayoutError(path, f"header {layout['sex_header']!r}", found=header, column=layout["sex_header"])
        raw_sex = columns[sex_j].to_pylist()
        sex_of = {raw: sexes.get(_parse.nfkc(raw)) for raw in set(raw_sex)}
        row_sex = [sex_of[r] for r in raw_sex]
        if None in row_sex:
            bad = row_sex.index(None)
            raise LayoutError(path, f"a sex label of layouts/{SOURCE}/sex.csv", found=raw_sex[bad],
                              row=row_numbers[bad])
    else:
        row_sex = [None] * n
    codes = [c.strip() for c in columns[code_j].to_pylist()]
    names = [c.strip() for c in columns[name_j].to_pylist()]
    code_re = re.compile(r"\d{2}[0-9A-Z]{3}")
    if not all(code_re.fullmatch(c) for c in set(codes)):
        bad = next(k for k, c in enumerate(codes) if not code_re.fullmatch(c))
        raise RawDataError(path, "a 5-character area code", found=codes[bad], row=row_numbers[bad],
                           column=header[code_j])
    level_of = {pair: area_level(*pair) for pair in set(zip(codes, names, strict=True))}  # once per area
    levels = [level_of[pair] for pair in zip(codes, names, strict=True)]
    # One frame for all value columns (the area columns tiled, the value columns stacked column by
    # column), not one frame per column; the cells parsed in one call from their Arrow columns.
    values, reasons = _parse.to_numeric_arrow([columns[j] for j in value_cols], file=path,
                                              names=[header[j] for j in value_cols], row_numbers=row_numbers)
    k = len(value_cols)
    if n and k and (layout["value_axis"] == "sex" or all(isinstance(v, str) for v in row_sex)):
        return _long_frame({"area_code": codes, "area_name_ja": names, "area_level": levels,
                            "pref_code": [c[:2] for c in codes]}, ref_date,
                           sex=list(value_cols.values()) if layout["value_axis"] == "sex" else None,
                           row_sex=row_sex, ages=None if layout["value_axis"] == "sex"
                           else ages.loc[list(value_cols.values())], values=values, reasons=reasons)
    out = pd.DataFrame({"area_code": codes, "area_name_ja": names, "area_level": levels,
                        "pref_code": [c[:2] for c in codes], "ref_date": ref_date, "year": ref_date.year})
    each_row, each_column = np.tile(np.arange(n), k), np.repeat(np.arange(k), n)
    out = _tiled(out, k)
    if layout["value_axis"] == "sex":
        out["sex"] = pd.array(list(value_cols.values()), dtype="str").take(each_column)
    else:
        age = ages.loc[list(value_cols.values())]
        out["sex"] = _tiled(pd.DataFrame({"sex": _take_labels(row_sex, np.arange(n))}), k)["sex"] if n and k \
            else _take_labels(row_sex, each_row)
        out["age_class"] = _take_labels(age["age_class"], each_column)
        for col in ("age_from", "age_to"):
            bounds = np.array([pd.to_numeric(b or None) for b in age[col]], dtype="float64")  # "" → NaN (open)
            missing = np.isnan(bounds)
            out[col] = pd.arrays.IntegerArray(np.repeat(np.where(missing, 0, bounds).astype("int64"), n),
                                              np.repeat(missing, n))
        out["age_kind"] = _take_labels(age["kind"], each_column)
        out["is_subtotal"] = np.repeat(age["kind"].isin(["total", "subtotal"]).to_numpy(), n)
    out["population_persons"] = values.reshape(-1)
    out["value_note"] = pd.Series(reasons.reshape(-1), dtype=object)
    for col in ("age_from", "age_to"):
        if col in out:
            out[col] = out[col].astype("Int64")
    return out


def _long_frame(area: dict[str, list[str]], ref_date: pd.Timestamp, *, sex: list[str] | None, row_sex: list,
                ages: pd.DataFrame | None, values: np.ndarray, reasons: np.ndarray) -> pd.DataFrame:
    """:func:`parse`'s frame (n areas × k value columns, ``n, k > 0``) built in one go, column by column.

    Each area column is one Arrow text array repeated as ``k`` chunks (no copy), each label column ``k``
    chunks of one repeated label; the frame is made once from the finished columns, not grown column by
    column. ``sex``: the sex of each value column (sex tables); else ``row_sex`` (text, one per area row)
    and ``ages`` (the layout rows of the value columns, in order).
    """
    k, n = values.shape

    kind = pd.array(["x"], dtype="str")._pa_array.type  # noqa: SLF001 - the Arrow type of pandas' text columns

    def tiled(labels: list[str]):  # noqa: ANN202 - the n labels, k times
        data = pa.array(labels, type=kind)
        return pd.array(pa.chunked_array([data] * k, type=kind), dtype="str")

    def runs(labels: list[str]):  # noqa: ANN202 - label j repeated n times, for j = 0 … k − 1
        return pd.array(pa.chunked_array([pa.repeat(pa.scalar(label, type=kind), n) for label in labels], type=kind),
                        dtype="str")

    columns = {name: tiled(labels) for name, labels in area.items()}
    columns["ref_date"] = pd.array(np.full(n * k, ref_date.asm8))
    columns["year"] = np.full(n * k, ref_date.year, dtype="int64")
    if ages is None:
        columns["sex"] = runs(sex)
    else:
        columns["sex"] = tiled(row_sex)
        columns["age_class"] = runs(list(ages["age_class"]))
        bounds = _lookup("age_classes", _age_bounds).loc[ages.index]  # the layout's bounds as floats, parsed once
        for col in ("age_from", "age_to"):
            bound = bounds[col].to_numpy(dtype="float64")
            missing = np.isnan(bound)
            columns[col] = pd.arrays.IntegerArray(np.repeat(np.where(missing, 0, bound).astype("int64"), n),
                                                  np.repeat(missing, n))
        columns["age_kind"] = runs(list(ages["kind"]))
        columns["is_subtotal"] = np.repeat(ages["kind"].isin(["total", "subtotal"]).to_numpy(), n)
    columns["population_persons"] = values.reshape(-1)
    columns["value_note"] = pd.Series(reasons.reshape(-1), dtype=object)
    return pd.DataFrame(columns, copy=False)


def _tiled(frame: pd.DataFrame, k: int) -> pd.DataFrame:
    """``frame`` repeated ``k`` times (rows 0 … n−1, then 0 … n−1 again …), as ``frame.iloc[np.tile(…)]``.

    Text columns repeat their Arrow data as ``k`` chunks (no copy); other columns by ``np.tile``.
    """
    if not len(frame) or k == 0:
        return frame.iloc[np.tile(np.arange(len(frame)), k)].reset_index(drop=True)
    columns = {}
    for name in frame.columns:
        values = frame[name].array
        if isinstance(values, pd.arrays.ArrowStringArray):
            data = values._pa_array  # noqa: SLF001 - the Arrow data, repeated without copying
            columns[name] = pd.array(pa.chunked_array(list(data.chunks) * k, type=data.type), dtype=frame[name].dtype)
        else:
            columns[name] = pd.Series(np.tile(frame[name].to_numpy(), k), dtype=frame[name].dtype)
    return pd.DataFrame(columns)


def _take_labels(labels, index: np.ndarray):
    """``labels[index]`` as the column pandas would infer from it, built by one Arrow take when they are text.

    Non-empty text becomes pandas' default string array; anything else (no rows, a missing label) is left as
    the object array, for pandas to infer from as before.
    """
    labels = list(labels)
    if len(index) and all(isinstance(v, str) for v in labels):
        return pd.array(labels, dtype="str").take(index)
    return np.asarray(labels, dtype=object)[index]


def _factorize(values: pd.Series) -> tuple[np.ndarray, object]:
    """``pd.factorize(values)``; for a text column that repeats one Arrow chunk (as :func:`_tiled` builds the
    area and sex columns: the same buffers ``k`` times) the chunk is factorized once and its codes tiled —
    the same codes and uniques, as every value first appears in the first chunk."""
    array = values.array
    if isinstance(array, pd.arrays.ArrowStringArray):
        chunks = array._pa_array.chunks  # noqa: SLF001 - the Arrow data
        if len(chunks) > 1 and all(_same_chunk(c, chunks[0]) for c in chunks[1:]):
            codes, uniques = pd.factorize(pd.Series(pd.array(pa.chunked_array([chunks[0]]), dtype=values.dtype)))
            return np.tile(codes, len(chunks)), uniques
    return pd.factorize(values)


def _same_chunk(a: pa.Array, b: pa.Array) -> bool:
    """Whether two Arrow arrays are views of the same bytes (same buffers, offset and length)."""
    if a is b:
        return True
    if a.type != b.type or a.offset != b.offset or len(a) != len(b):
        return False
    return all((x is None and y is None) or (x is not None and y is not None and x.address == y.address
                                             and x.size == y.size) for x, y in zip(a.buffers(), b.buffers(), strict=True))


def _check(ok: pd.Series, what: str, path: str) -> None:
    if not ok.all():
        bad = ok[~ok].index[0]
        raise RawDataError(path, what, found=str(bad))


def validate_population(df: pd.DataFrame, *, where: str = SOURCE) -> pd.DataFrame:
    """Σ 47 prefectures = 全国 (when printed) and 男 + 女 = 総数 (when printed), exactly."""
    if not _sex_sums_hold(df):  # the pivot decides (and names the area) when the integer-code check cannot
        wide = df.pivot_table(index="area_code", columns="sex", values="population_persons", aggfunc="sum")
        if {"male", "female"} <= set(wide.columns):
            _check((wide["male"] + wide["female"] - wide["total"]).fillna(0).eq(0), "男 + 女 = 総数", where)
    pref = df[(df["area_level"] == "prefecture")]
    if len(pref["area_code"].unique()) != 47:
        raise RawDataError(where, "47 prefectures", found=len(pref["area_code"].unique()))
    _check_municipal_sums(df, where)
    national = df[df["area_level"] == "national"].groupby("sex")["population_persons"].sum()
    if len(national):
        _check(pref.groupby("sex")["population_persons"].sum().eq(national), "Σ prefectures = 全国", where)
    return df


def _sex_sums_hold(df: pd.DataFrame) -> bool:
    """Return True when 男 + 女 = 総数 holds for every area, as the pivot in :func:`validate_population` checks it.

    Only for tables where that pivot is a plain reshape (no missing sex or area code, one row per area ×
    sex, 総数 printed when 男 and 女 are); False otherwise, and the pivot decides. As in the pivot's
    ``sum``, a missing count (``-``) counts 0 and an area × sex without a row is missing (never a failure).
    """
    n = df["population_persons"].to_numpy(dtype="float64", na_value=np.nan)
    n = np.where(np.isnan(n), 0.0, n)
    if df["sex"].isna().any() or df["area_code"].isna().any():
        return False
    area, areas = _factorize(df["area_code"])
    sex, sexes = _factorize(df["sex"])
    labels = list(sexes)
    if not {"male", "female"} <= set(labels):
        return True  # the pivot has no 男/女 columns: nothing to check
    if "total" not in labels:
        return False
    cell = area.astype("int64") * len(labels) + sex
    if len(np.unique(cell)) != len(cell):
        return False
    grid = np.full(len(areas) * len(labels), np.nan)
    grid[cell] = n
    grid = grid.reshape(len(areas), len(labels))
    m, f, t = (grid[:, labels.index(s)] for s in ("male", "female", "total"))
    gap = m + f - t
    return bool((gap[~np.isnan(gap)] == 0).all())


def _check_municipal_sums(df: pd.DataFrame, where: str) -> None:
    """Σ municipalities (市区町村 + 政令指定都市) = printed prefecture total of 総数, per prefecture.

    A deleted or duplicated municipality row breaks the sum. Published gaps are data
    (``layouts/census/municipal_sum_gaps.csv``); anything else is a :class:`LayoutError`.
    """
    is_total = df["sex"].isna().to_numpy(dtype=bool) | (df["sex"] == "total").to_numpy(dtype=bool, na_value=False)
    gaps = _parse.shared_layout(SOURCE, "municipal_sum_gaps")  # read only
    years = df["year"].to_numpy()[is_total]
    years = pd.unique(years[~pd.isna(years)])
    allowed = gaps[gaps["vintage"].isin([str(int(y)) for y in years])].set_index("pref_code")["gap_persons"]
    sums, printed = _municipal_sums(df, is_total)
    if sums is None:  # the pandas sums (a missing code, counts not whole)
        total = df[is_total]
        munis = total[total["area_level"].isin(["municipality", "designated_city"])]
        sums = munis.groupby("pref_code")["population_persons"].sum(min_count=1)
        sums = dict(sums.items())
        printed = total[total["area_level"] == "prefecture"].set_index("pref_code")["population_persons"].items()
    for pref, value in printed:
        if pref not in sums or pd.isna(value):
            continue
        gap = sums[pref] - value
        if gap != float(allowed.get(pref, 0)):
            raise LayoutError(where, f"Σ municipalities = printed total of prefecture {pref} (gap "
                              f"{allowed.get(pref, 0)} per layouts/{SOURCE}/municipal_sum_gaps.csv)",
                              found=f"gap {gap:+,.0f} persons (a municipality row missing, duplicated or extra?)")


def _municipal_sums(df: pd.DataFrame, is_total: np.ndarray) -> tuple[dict[str, float] | None, list]:
    """Σ 総数 of the municipality and 政令市 rows per prefecture code (as pandas' ``sum(min_count=1)``: NaN
    when no count is printed) and the printed prefecture rows as (code, count) pairs, in row order.

    Summed with ``np.bincount`` when every count is a whole number below 2**53 (then exact, as pandas'
    compensated sum) and no code is missing; else (None, []) and the caller sums with pandas.
    """
    level = df["area_level"].to_numpy(dtype=object)
    code = df["pref_code"].to_numpy(dtype=object)
    n = df["population_persons"].to_numpy(dtype="float64", na_value=np.nan)
    known = n[~np.isnan(n)]
    if pd.isna(code).any() or not (np.isfinite(known).all() and (known == np.round(known)).all()
                                   and np.abs(known).sum() < 2**53):
        return None, []
    muni = is_total & np.isin(level, ["municipality", "designated_city"])
    ids, codes = pd.factorize(code[muni])
    values = n[muni]
    printed_any = np.bincount(ids, weights=~np.isnan(values), minlength=len(codes)) > 0
    totals = np.bincount(ids, weights=np.nan_to_num(values), minlength=len(codes))
    sums = {c: (float(t) if p else np.nan) for c, t, p in zip(codes, totals, printed_any, strict=True)}
    at = np.flatnonzero(is_total & (level == "prefecture"))
    return sums, list(zip(code[at].tolist(), n[at].tolist(), strict=True))


def validate_age(df: pd.DataFrame, *, where: str = SOURCE) -> pd.DataFrame:
    """Per area × sex: 5-year classes + 100歳以上 + 不詳 = 総数 (``-``/``***`` count as none).

    Checked with integer group ids and ``np.bincount``; when that finds a broken sum (or the counts are
    not whole numbers, where summation order could matter) the pandas check below names the area × sex.
    """
    if not _age_sums_hold(df):
        _validate_age_by_group(df, where)
    return df


def _age_sums_hold(df: pd.DataFrame) -> bool:
    """Return True when every area × sex 総数 equals the sum of its parts (exact for whole counts < 2**53)."""
    n = df["population_persons"].to_numpy(dtype="float64", na_value=np.nan)
    n = np.where(np.isnan(n), 0.0, n)
    if not (np.isfinite(n).all() and (n == np.round(n)).all() and np.abs(n).sum() < 2**53):
        return False
    area, _ = _factorize(df["area_code"])
    sex, sexes = _factorize(df["sex"])
    if (area < 0).any() or (sex < 0).any():  # a missing key: let the pandas check decide
        return False
    key = area * (len(sexes) + 1) + sex
    part = df["age_kind"].isin(["age5", "open", "unknown"]).to_numpy(dtype=bool, na_value=False)
    total = (df["age_kind"] == "total").to_numpy(dtype=bool, na_value=False)
    size = int(key.max()) + 1 if len(key) else 0
    sums = np.bincount(key[part], weights=n[part], minlength=size)
    has_parts = np.bincount(key[part], minlength=size) > 0
    kt = key[total]
    return bool((has_parts[kt] & (sums[kt] == n[total])).all())


def _validate_age_by_group(df: pd.DataFrame, where: str) -> None:
    counts = df.assign(n=df["population_persons"].fillna(0))
    parts = counts[counts["age_kind"].isin(["age5", "open", "unknown"])].groupby(["area_code", "sex"])["n"].sum()
    total = counts[counts["age_kind"] == "total"].set_index(["area_code", "sex"])["n"]
    _check((parts.reindex(total.index) - total).eq(0), "Σ age classes + 不詳 = 総数", where)


def load(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """Population by sex (総数/男/女 where published; 1980: 総数 from 表00101), validated."""
    files = _files(vintage)
    table = "1-1-1" if "1-1-1" in set(files["table_id"]) else files["table_id"].iloc[0]
    file = files.loc[files["table_id"] == table, "file"].iloc[0]
    df = parse(manifest.path(SOURCE, vintage, file), vintage=vintage)
    if "age_class" in df:
        df = df[df["age_kind"] == "total"].drop(columns=["age_class", "age_from", "age_to", "age_kind",
                                                         "is_subtotal"]).reset_index(drop=True)
    return validate_population(df, where=f"{SOURCE}/{vintage}/{file}")


def load_age5(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """Population by 5-year age (and sex where published), incl. 不詳 and （再掲） rows, validated."""
    files = _files(vintage)
    file = files.loc[files["table_id"] != "1-1-1", "file"].iloc[0]
    df = parse(manifest.path(SOURCE, vintage, file), vintage=vintage)
    return validate_age(df, where=f"{SOURCE}/{vintage}/{file}")


TABLES = _parse.covered_tables(SOURCE, {"population": load, "population_age5": load_age5})
