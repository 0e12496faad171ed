"""国立社会保障・人口問題研究所「日本の地域別将来推計人口（令和5(2023)年推計）」— municipal totals.

Publisher: 国立社会保障・人口問題研究所 (IPSS), https://www.ipss.go.jp/pp-shicyoson/j/shicyoson23/t-page.asp.
The official Excel tables are not at hand; two **derived** copies are, each a vintage
(both ``derived: true`` in their manifests):

``r5_kurashi``
    App data of the kurashi-map repository: one JSON list per prefecture (``toyama.json``) with
    政令市 as whole cities, plus ``<pref>_wards.json`` with their wards (``level: ward``,
    ``parentCode``). ``futurePopulation`` = ``base2020`` (令和2年国勢調査), ``total`` {2025 … 2050},
    ``young2050`` (0–14), ``working2050`` (15–64), ``elderly2050`` (65+). 2025 boundaries.
    Sentinel: ``base2020 = 0`` with ``source`` 対象外… for municipalities IPSS does not project.
``r5_hollow``
    hollow-japan's annual panel ``totalpop1980 … totalpop2050`` at 2015 boundaries. Census years and
    IPSS 5-year values are published; **every other year is the author's linear interpolation**.
    Some series are carried flat after their last published value (福島 浜通り, 2 renamed towns).

Output (tidy): ``muni_code``, ``pref_code``, ``muni_name_ja``, ``is_ward``, ``parent_code``,
``is_designated_city``, ``year``, ``population_persons`` (人), ``status`` ∈ {census, projection,
interpolated, not_projected}, ``value_note`` (reason for NaN / not_projected), and on 2050
rows of ``r5_kurashi`` ``population_0_14_persons``, ``population_15_64_persons``,
``population_65plus_persons``. Not-projected rows carry NaN, never 0 and never a flat value.
Years and reasons are data: ``layouts/ipss_projection/{published_years,not_projected,designated_cities}.csv``.
"""

from __future__ import annotations

import json
import operator
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from hokuriku import manifest
from hokuriku.codes import prefectures
from hokuriku.errors import LayoutError, RawDataError
from hokuriku.sources import _csv_grid, _parse

SOURCE = "ipss_projection"
DEFAULT_VINTAGE = "r5_kurashi"
HOLLOW_FILE = "built_pop_wide_en_jp_extended.csv"
STATUSES = ("census", "projection", "interpolated", "not_projected")
NOT_INCOMPLETE = frozenset({"northern_territories"})
"""not_projected reasons that do not make a prefecture total incomplete (no counted population)."""
AGE_FIELDS = {"young2050": "population_0_14_persons", "working2050": "population_15_64_persons",
              "elderly2050": "population_65plus_persons"}
COLUMNS = ["muni_code", "pref_code", "muni_name_ja", "is_ward", "parent_code", "is_designated_city", "year",
           "population_persons", "status", "value_note", *AGE_FIELDS.values()]


def published_years() -> dict[int, str]:
    """Year → status (census / projection) of the published 5-year values."""
    t = _parse.load_layout(SOURCE, "published_years")
    return {int(y): s for y, s in zip(t["year"], t["status"])}


def not_projected(vintage: str) -> pd.DataFrame:
    """Rows of ``layouts/ipss_projection/not_projected.csv`` for ``vintage``."""
    t = _parse.load_layout(SOURCE, "not_projected")
    return t[t["vintage"] == vintage].set_index("muni_code")


def designated_cities() -> pd.DataFrame:
    """The 20 政令指定都市 (``muni_code``, ``muni_name_ja``) from ``layouts/ipss_projection/designated_cities.csv``."""
    return _parse.load_layout(SOURCE, "designated_cities")


KURASHI_FIELDS = ("muni_code", "pref_code", "is_ward", "parent_code", "muni_name_ja", "year", "population_persons",
                  "status", "value_note", *AGE_FIELDS.values())


def _kurashi_columns(path: Path, years: dict[int, str], listed: pd.DataFrame) -> dict[str, list | np.ndarray]:
    """One kurashi JSON file as columns of municipality × year rows, values parsed by ``to_numeric``.

    ``years`` is :func:`published_years`, ``listed`` the ``r5_kurashi`` rows of :func:`not_projected`
    (read once per vintage by :func:`load`, once per file by :func:`parse`).
    """
    return _kurashi_numbers(path, _kurashi_cells(path, years, listed))


def _kurashi_cells(path: Path, years: dict[int, str], listed: pd.DataFrame) -> dict[str, list]:
    """One kurashi JSON file as columns (lists) of municipality × year rows, values as printed."""
    slug = path.stem.removesuffix("_wards")
    pref_code = prefectures.code_of(slug)
    proj_years = [y for y, s in years.items() if s == "projection"]
    try:
        records = json.loads(_parse.read_text(path, "utf-8"))
    except json.JSONDecodeError as exc:
        raise RawDataError(path, "a complete JSON list of municipality records", found=f"{exc.msg} at char {exc.pos}") from exc
    if not records:
        raise RawDataError(path, "a complete JSON list of municipality records", found="no records")
    # Per municipality: its fields, then one value per year of ``rec_years`` (every record gives those rows).
    rec_years = [2020, *proj_years]
    at_2050 = [y == 2050 for y in rec_years]
    projected_status = [years[2020], *(["projection"] * len(proj_years))]
    not_projected_status, no_values = ["not_projected"] * len(rec_years), [None] * len(rec_years)
    proj_keys = [str(y) for y in proj_years]  # the keys of futurePopulation.total
    age_values = operator.itemgetter(*AGE_FIELDS)
    bases, pops, statuses, notes, ages = [], [], [], [], []
    for i, rec in enumerate(records):
        where = {"row": i + 1}
        for key in ("code", "pref", "name", "futurePopulation"):
            if key not in rec:
                raise LayoutError(path, f"key {key!r} in every record", found=sorted(rec), column=key, **where)
        code, fp = str(rec["code"]), rec["futurePopulation"]
        if not _CODE5.fullmatch(code) or code[:2] != pref_code or rec["pref"] != slug:
            raise RawDataError(path, f"a 5-digit code of prefecture {pref_code} ({slug})", found=(code, rec["pref"]), **where)
        for key in ("base2020", "total", "source", *AGE_FIELDS):
            if key not in fp:
                raise LayoutError(path, f"futurePopulation.{key}", found=sorted(fp), column=key, **where)
        is_ward = rec.get("level") == "ward"
        base = (code, pref_code, is_ward, rec.get("parentCode"), rec.get("displayName") or rec["name"])
        if fp["base2020"] == 0 and not fp["total"]:
            if not str(fp["source"]).startswith("対象外"):
                raise RawDataError(path, "base2020 = 0 only with source 対象外… (not projected)", found=fp["source"], **where)
            reason = listed.at[code, "reason"] if code in listed.index else "unlisted"
            bases.append(base)
            pops.append(no_values)
            statuses.append(not_projected_status)
            notes.append(f"not_projected: {reason} ({fp['source']})")
            ages.append(None)
            continue
        total = fp["total"]
        missing = [y for y, key in zip(proj_years, proj_keys, strict=True) if key not in total]
        if missing:
            raise LayoutError(path, f"futurePopulation.total for {proj_years}", found=sorted(total), column=str(missing[0]), **where)
        bases.append(base)
        pops.append([fp["base2020"], *(total[key] for key in proj_keys)])
        statuses.append(projected_status)
        notes.append(None)
        ages.append(age_values(fp))
    # One row per municipality × year (the ages only on the 2050 row of a projected municipality).
    cols: dict[str, list] = {name: [b[j] for b in bases for _ in rec_years]
                             for j, name in enumerate(KURASHI_FIELDS[:5])}
    cols["year"] = rec_years * len(bases)
    cols["population_persons"] = [v for values in pops for v in values]
    cols["status"] = [v for values in statuses for v in values]
    cols["value_note"] = [note for note in notes for _ in rec_years]
    for j, field in enumerate(AGE_FIELDS.values()):
        cols[field] = [a[j] if a is not None and at else None for a in ages for at in at_2050]
    return cols


_CODE5 = re.compile(r"\d{5}")


def _kurashi_numbers(path: Path, cols: dict[str, list], numbers: pd.Series | None = None) -> dict[str, list | np.ndarray]:
    """:func:`_kurashi_cells` columns with the numbers parsed by ``to_numeric`` and the ``value_note`` set.

    ``numbers``: the value columns stacked (population, then the ages), when the caller has them.
    """
    # Missing cells (not-projected rows; ages outside 2050) are None → NaN with reason "blank" (notes unused).
    numeric, n = ["population_persons", *AGE_FIELDS.values()], len(cols["status"])
    if numbers is None:
        numbers = pd.Series([v for col in numeric for v in cols[col]])
    try:  # the four columns in one call (cells parse independently); an error is then named by its column
        values, notes = _parse.to_numeric(numbers, file=path, column=", ".join(numeric))
    except RawDataError:
        for col in numeric:
            _parse.to_numeric(pd.Series(cols[col]), file=path, column=col)
        raise
    for k, col in enumerate(numeric):
        cols[col] = values.to_numpy()[k * n:(k + 1) * n]
    not_projected_row = np.array([s == "not_projected" for s in cols["status"]])
    given = np.array(cols["value_note"], dtype=object)
    parsed = np.where(not_projected_row, None, notes.to_numpy()[:n])
    cols["value_note"] = np.where(pd.isna(given), parsed, given)
    return cols


def _parse_kurashi(path: Path, years: dict[int, str] | None = None, listed: pd.DataFrame | None = None) -> pd.DataFrame:
    years = published_years() if years is None else years
    listed = not_projected("r5_kurashi") if listed is None else listed
    return _kurashi_frame(_kurashi_columns(path, years, listed))


def _kurashi_frame(columns: dict[str, list | np.ndarray]) -> pd.DataFrame:
    """The tidy table (:data:`COLUMNS`) of :func:`_kurashi_numbers` columns, built column by column.

    Rows sorted by (``muni_code``, ``year``) (one stable lexsort; the codes are str); each text column
    converted to Arrow in one call (``None`` → missing); ``is_designated_city`` for the 政令市 of
    ``layouts/ipss_projection/designated_cities.csv`` that are not wards; absent columns are NaN.
    """
    code = np.array(columns["muni_code"], dtype=object)
    year = np.asarray(columns["year"], dtype="int64")
    order = np.lexsort((year, np.array(columns["muni_code"], dtype=str)))
    taken = pa.array(order, type=pa.int64())
    is_ward = np.asarray(columns["is_ward"], dtype=bool)[order]
    cities = set(designated_cities()["muni_code"])
    out = {}
    for c in COLUMNS:
        if c == "is_designated_city":
            flag = np.array([m in cities for m in code.tolist()], dtype=bool)[order]
            out[c] = flag & ~is_ward
        elif c == "is_ward":
            out[c] = is_ward
        elif c == "year":
            out[c] = year[order]
        elif c not in columns:
            out[c] = np.full(len(order), np.nan)
        elif isinstance(columns[c], np.ndarray) and columns[c].dtype.kind == "f":
            out[c] = columns[c][order]
        else:
            out[c] = _arrow_text(columns[c], taken)
    return pd.DataFrame(out)


def _arrow_text(values: list | np.ndarray, order: pa.Array):  # noqa: ANN202 - a pandas string array
    """``values`` (str or None) in ``order`` as pandas ``str``, through Arrow in one call.

    Cells that are not text (a number) are converted by pandas, as :func:`_text` does.
    """
    try:
        return pd.array(pa.array(values, type=pa.large_string(), from_pandas=True).take(order), dtype="str")
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # a cell that is not text (a number): pandas converts it
        return _text(np.array(values, dtype=object)[order.to_numpy()])


def _parse_hollow(path: Path) -> pd.DataFrame:
    years = published_years()
    span = list(range(min(years), max(years) + 1))
    expected = ["id_muni2015", "name_muni2015_en", "name_muni2015_jp", *(f"totalpop{y}" for y in span)]
    header, first_cells, year_cells, n = _hollow_columns(path, expected, span)
    for i, c in enumerate(first_cells[0], start=2):
        if not re.fullmatch(r"\d{1,5}", c.strip()):
            raise RawDataError(path, "a municipality code", found=c, row=i, column="id_muni2015")
    codes = [c.strip().zfill(5) for c in first_cells[0]]
    try:  # every year column in one call; cells parse independently of their order
        grid, reasons = _parse.to_numeric_arrow(year_cells, file=path, names=["totalpop<year>"] * len(span),
                                                row_numbers=list(range(2, n + 2)))
    except RawDataError:  # name the first refused cell row by row, year by year (as the file reads)
        cells = pd.Series(np.column_stack([c.to_numpy(zero_copy_only=False) for c in year_cells]).ravel()
                          if n else [], dtype="object")
        _parse.to_numeric(cells, file=path, column="totalpop<year>",
                          row_numbers=np.repeat(np.arange(2, n + 2), len(span)).tolist())
        raise
    values = grid.T.flatten()  # row by row, year by year (a copy: population below)
    reasons = reasons.T.ravel()
    noted = np.flatnonzero(pd.notna(reasons))  # cells with a reason (symbols, blanks): few
    reason_code, reason_texts = pd.factorize(reasons[noted])
    note = np.full(len(values), -1, dtype="int64")  # index into the note texts below; -1: no note
    note[noted] = reason_code
    body = list(zip(first_cells[0], first_cells[1], first_cells[2], strict=True))
    # Municipality × year rows, row-major: every step below works per municipality, then is spread by `each`.
    each = np.repeat(np.arange(len(body)), len(span))
    year = np.tile(np.array(span, dtype="int64"), len(body))
    seen = pd.Series(codes).duplicated()
    if seen.any():  # one row per municipality (a repeated code would double its projection)
        first = int(np.flatnonzero(seen.to_numpy())[0])
        raise RawDataError(path, "one row per municipality", found=codes[first], row=first + 2, column="id_muni2015")
    flat = not_projected("r5_hollow")
    by_code = pd.Series(codes)
    last = by_code.map(flat["last_published_year"]).astype("Float64")  # carried flat after this year
    carried = ("not_projected: " + by_code.map(flat["reason"]) + " (file carries the value of "
               + last.astype("Int64").astype(str) + " flat)")
    after = year > last.to_numpy(dtype="float64", na_value=np.nan)[each]  # NaN (not listed): never
    population = values
    population[after] = np.nan
    note[after] = len(reason_texts) + each[after]  # the municipality's carried-flat note
    note_texts = pa.array([*reason_texts.tolist(), *carried.to_numpy(dtype=object).tolist()], type=pa.large_string(),
                          from_pandas=True)
    status = np.tile(np.arange(len(span)), len(body))  # codes into the labels below (one per year, then not_projected)
    status[after] = len(span)
    # The rows in the table's order (muni_code, then year: the municipalities by code, each with its years).
    by_muni = np.argsort(np.array(codes, dtype=str), kind="stable")
    rows = (by_muni[:, None] * len(span) + np.arange(len(span))).ravel()
    each, year, population, note, status = each[rows], year[rows], population[rows], note[rows], status[rows]
    cities = set(designated_cities()["muni_code"])
    n = len(rows)
    df = pd.DataFrame({
        "muni_code": pd.array(codes, dtype="str").take(each),
        "pref_code": pd.array([c[:2] for c in codes], dtype="str").take(each),
        "muni_name_ja": pd.array([r[2].split(" ")[-1] for r in body], dtype="str").take(each),
        "is_ward": np.zeros(n, dtype=bool),
        "parent_code": pd.array(pa.nulls(n, pa.large_string()), dtype="str"),  # no ward in this copy
        "is_designated_city": np.array([c in cities for c in codes], dtype=bool)[each],  # never a ward here
        "year": year, "population_persons": population,
        "status": pd.array([years.get(y, "interpolated") for y in span] + ["not_projected"], dtype="str").take(status),
        "value_note": pd.array(note_texts.take(pa.array(note, mask=note < 0)), dtype="str"),
        **{c: np.full(n, np.nan) for c in AGE_FIELDS.values()},
    })
    # A municipality's projection must change after 2020 unless the layout lists it as carried flat.
    listed = by_code.isin(flat.index).to_numpy()
    later = pd.DataFrame(grid.T[:, np.array(span) >= 2020][~listed],
                         index=np.array(codes, dtype=object)[~listed], columns=[y for y in span if y >= 2020])
    is_flat = later.min(axis=1) == later.max(axis=1)  # one distinct value (NaN skipped), as nunique(axis=1) == 1
    if is_flat.any():
        code = min(is_flat.index[is_flat.to_numpy()])
        raise RawDataError(path, "a projection that changes after 2020, or an entry in layouts/ipss_projection/not_projected.csv",
                           found=f"{code} flat at {later.loc[code, 2020]:,.0f}", row=codes.index(code) + 2)
    return df


def _text(values: np.ndarray):  # noqa: ANN202 - a pandas string array
    """``pd.array(values, dtype="str")`` of an object array of few distinct values (None → missing),
    converted once per distinct value."""
    codes, uniques = pd.factorize(values)
    return pd.array(np.asarray(uniques, dtype=object), dtype="str").take(codes, allow_fill=True)


def _hollow_columns(path: Path, expected: list[str], span: list[int]) -> tuple[list[str], list, list, int]:
    """Header, the first three columns (lists of str), the ``totalpop<year>`` columns (Arrow) and rows.

    Read column-wise by :func:`_csv_grid.grid_arrow` when the text is a simple grid (the mirror file),
    else by :func:`_parse.read_csv_table`; both check the headers and the number of cells per row.
    """
    text = _parse.read_text(path, "utf-8")
    grid = _csv_grid.grid_arrow(text)
    if grid is None:
        header, body = _parse.read_csv_table(path, "utf-8", expected)
        columns = [pa.array([r[j] for r in body], type=pa.large_string()) for j in range(len(header))]
    else:
        header = [c[0].as_py() for c in grid.columns]
        _parse.require_columns(header, expected, file=path, row=1)
        columns = [c.combine_chunks().slice(1) for c in grid.columns]
    first = [columns[j].to_pylist() for j in range(3)]
    return header, first, [columns[header.index(f"totalpop{y}")] for y in span], len(columns[0])


_kurashi_file = _parse.contained(_kurashi_columns)
_kurashi_file_cells = _parse.contained(_kurashi_cells)
_kurashi_file_numbers = _parse.contained(_kurashi_numbers)


@_parse.contained
def parse(path: Path, *, vintage: str) -> pd.DataFrame:
    """One raw file of a vintage as a tidy table (a kurashi JSON file, or the hollow-japan CSV)."""
    path = Path(path)
    if vintage == "r5_kurashi":
        return _parse_kurashi(path)
    if vintage == "r5_hollow":
        return _parse_hollow(path)
    msg = f"unknown {SOURCE} vintage {vintage!r}; expected r5_kurashi or r5_hollow"
    raise LayoutError(path, msg)


def validate(df: pd.DataFrame, *, vintage: str) -> pd.DataFrame:
    """Unique keys, known statuses, and not-projected municipalities exactly as listed in the layout."""
    if df.duplicated(["muni_code", "year"]).any():
        raise RawDataError(vintage, "one row per municipality and year", found=df.loc[df.duplicated(["muni_code", "year"]), "muni_code"].iloc[0])
    if not df["status"].isin(STATUSES).all():
        raise RawDataError(vintage, f"status in {STATUSES}", found=sorted(set(df["status"]) - set(STATUSES)))
    found = set(df.loc[df["status"] == "not_projected", "muni_code"])
    listed = set(not_projected(vintage).index)
    if found != listed:
        raise RawDataError(vintage, f"not-projected municipalities {sorted(listed)}", found=sorted(found ^ listed))
    return df


def load(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """All municipalities (and wards) of a vintage, sha256-verified through the manifest."""
    vintage = str(vintage)
    files = [e.path for e in manifest.load(SOURCE, vintage).files]
    if vintage == "r5_kurashi":  # 62 small files: layouts read once, one frame (the rows parse() gives per file)
        years, listed = published_years(), not_projected(vintage)
        paths, parts = [], []
        for f in files:  # each file parsed right after it is verified (its verified bytes are still held)
            paths.append(manifest.path(SOURCE, vintage, f))
            parts.append(_kurashi_file_cells(paths[-1], years, listed))
        cells = {k: [v for p in parts for v in p[k]] for k in KURASHI_FIELDS}
        numbers = pd.Series([v for col in ("population_persons", *AGE_FIELDS.values()) for v in cells[col]])
        if numbers.dtype.kind == "f":  # every value a JSON number or null: parsed in one call for all files
            columns = _kurashi_numbers(paths[0], cells, numbers)
        else:  # text cells somewhere: parsed file by file, so that a refusal names its file
            parsed = [_kurashi_file_numbers(p, part) for p, part in zip(paths, parts, strict=True)]
            columns = {k: np.concatenate([p[k] for p in parsed]) if isinstance(parsed[0][k], np.ndarray)
                       else [v for p in parsed for v in p[k]] for k in KURASHI_FIELDS}
        df = _kurashi_frame(columns)  # sorted by muni_code, year
    elif len(files) == 1:  # r5_hollow: one CSV, which parse() returns sorted
        df = parse(manifest.path(SOURCE, vintage, files[0]), vintage=vintage)
    else:
        df = pd.concat([parse(manifest.path(SOURCE, vintage, f), vintage=vintage) for f in files], ignore_index=True)
        df = df.sort_values(["muni_code", "year"], ignore_index=True)
    return validate(df, vintage=vintage)


def prefecture_totals(df: pd.DataFrame, *, years: list[int] | None = None) -> pd.DataFrame:
    """Sum municipalities (never wards) to prefectures, reporting which totals are incomplete.

    Pure. Returns ``pref_code``, ``year``, ``population_persons`` (sum of available values),
    ``n_municipalities``, ``n_not_projected`` (rows lacking a value, excluding reasons in
    :data:`NOT_INCOMPLETE`), ``is_complete`` and ``status`` (the common status, or ``mixed``).
    福島県 is incomplete from 2025 (浜通り13市町村 are projected only as an aggregate).
    """
    wards = df["is_ward"].to_numpy(dtype=bool)
    d = df[~wards] if wards.any() else df
    if years is not None:
        d = d[d["year"].isin(years)]
    fast = _totals_by_codes(d)
    if fast is not None:
        return fast
    ignorable = d["value_note"].fillna("").str.contains("|".join(sorted(NOT_INCOMPLETE)))
    lacking = d["population_persons"].isna() & ~ignorable
    g = d.assign(_lacking=lacking, _ignored=ignorable).groupby(["pref_code", "year"])
    out = g.agg(population_persons=("population_persons", "sum"), n_municipalities=("muni_code", "size"),
                n_not_projected=("_lacking", "sum"))
    # status: the one status of the projected rows of a group, else "mixed" (vectorised, no per-group lambda)
    projected = d.loc[d["status"] != "not_projected"].groupby(["pref_code", "year"])["status"]
    status = projected.first().where(projected.nunique() == 1)
    out["status"] = status.reindex(out.index).fillna("mixed").astype(d["status"].dtype)
    out["is_complete"] = out["n_not_projected"] == 0
    return out.reset_index()


def _totals_by_codes(d: pd.DataFrame) -> pd.DataFrame | None:
    """:func:`prefecture_totals` of ``d`` with integer group codes and ``np.bincount``, or None.

    The same table as the pandas groupby (keys sorted, sums of the available values, the one status of
    the projected rows else ``mixed``), computed when that is exact: whole counts whose sums stay under
    2**53 (every summation order gives the same float), no missing key or status. None otherwise, and the
    caller's groupby decides.
    """
    pop = d["population_persons"].to_numpy(dtype="float64", na_value=np.nan)
    have = ~np.isnan(pop)
    counted = pop[have]
    if not (np.isfinite(counted).all() and (counted == np.round(counted)).all() and np.abs(counted).sum() < 2**53):
        return None
    if d["pref_code"].isna().any() or d["year"].isna().any() or d["status"].isna().any() or not len(d):
        return None
    pref, prefs = pd.factorize(d["pref_code"], sort=True)
    year, years = pd.factorize(d["year"], sort=True)
    group = pref.astype("int64") * len(years) + year
    size = np.bincount(group, minlength=len(prefs) * len(years))
    present = np.flatnonzero(size)  # the groups, in key order
    ids = np.zeros(len(size), dtype="int64")
    ids[present] = np.arange(len(present))
    ids = ids[group]
    k = len(present)
    missing = np.flatnonzero(~have)  # only rows without a value can be lacking
    notes, distinct = pd.factorize(d["value_note"].iloc[missing])  # NaN → -1 (not ignorable)
    pattern = re.compile("|".join(sorted(NOT_INCOMPLETE)))
    ignorable_of = np.array([pattern.search(str(v)) is not None for v in distinct] + [False], dtype=bool)
    lacking = np.zeros(len(d), dtype=bool)
    lacking[missing] = ~ignorable_of[notes]
    status, statuses = pd.factorize(d["status"])
    projected = (np.asarray(statuses, dtype=object) != "not_projected")[status]
    # the statuses of the projected rows of each group: the one status when there is exactly one, else mixed
    n_status = len(statuses)
    seen = np.bincount(ids[projected] * n_status + status[projected], minlength=k * n_status).reshape(k, n_status) > 0
    labels = np.array(list(statuses) + ["mixed"], dtype=object)
    chosen = np.where(seen.sum(axis=1) == 1, seen.argmax(axis=1), n_status)
    n_not = np.bincount(ids, weights=lacking, minlength=k).astype("int64")
    return pd.DataFrame({
        "pref_code": pd.array(np.asarray(prefs, dtype=object)[present // len(years)], dtype=d["pref_code"].dtype),
        "year": np.asarray(years)[present % len(years)].astype(d["year"].dtype),
        "population_persons": np.bincount(ids, weights=np.where(have, pop, 0.0), minlength=k),
        "n_municipalities": np.bincount(ids, minlength=k).astype("int64"),
        "n_not_projected": n_not,
        "status": pd.array(labels[chosen], dtype=d["status"].dtype),
        "is_complete": n_not == 0,
    })


def load_prefecture_totals(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """:func:`prefecture_totals` of :func:`load`."""
    return prefecture_totals(load(vintage))


TABLES = _parse.covered_tables(SOURCE, {  # through the module's names, so a build memoises load() for both tables
    "municipal_population": lambda vintage: load(vintage),
    "prefecture_totals": lambda vintage: load_prefecture_totals(vintage),
})
