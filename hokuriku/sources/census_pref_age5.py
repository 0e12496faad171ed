"""総務省統計局「国勢調査」時系列データ 表3: population by 5-year age and sex, prefectures, 1920–2015.

Publisher and table
-------------------
国勢調査 時系列データ 表3「年齢（５歳階級），男女別人口－都道府県（大正９年～平成27年）」, e-Stat
statInfId 000031523105 (``c03.csv``): every census 1920–2015 (and the 1945 人口調査), 47 prefectures,
persons (人) as of 10月1日 (1945: 11月1日), 総数・男・女.

Layout quirks (all handled here, none coerced)
----------------------------------------------
- CP932, one header row (``layouts/census_pref_age5/columns.csv``), then data rows, then a footnote
  line 「注）総数には年齢「不詳」を含む。」 whose other cells are empty. The footnote is recognised and
  dropped; any other row that is not a data row raises :class:`RawDataError` naming the row.
- **Open bands**: ``85歳以上`` in most years; ``80歳以上`` in 1920, 1930, 1935 and 1950; ``70歳以上``
  for 沖縄県 1950 and 1955. ``age_kind`` is ``open`` with ``age_to`` missing. The last band of every
  prefecture × year must be the only open one and the bands must chain from 0 (or 1, see below).
- **1945 counts 数え年** (``layouts/census_pref_age5/age_kind.csv``): bands ``1～5歳 … 81～85歳,
  86歳以上``. They are kept as printed (``age_from`` 1, 6, …) and flagged ``age_reckoning =
  "kazoedoshi"``; never shifted into 満年齢 bands.
- **年齢「不詳」** is included in 総数 only (footnote). It is kept **explicit**: a row ``age_kind =
  "unknown"`` (``age_class`` 「不詳」) per prefecture × year × sex holds 総数 − Σ bands, with
  ``value_note`` ``derived: 総数 − Σ age bands``; a negative difference raises :class:`RawDataError`.
- The publisher's 男 + 女 differs from 総数 in one cell (広島県 1925 80～84歳: 3,064 + 4,534 = 7,598
  vs 7,648). Such cells are kept as printed and flagged ``value_note`` 「published 男+女 ≠ 総数 (…)」.

Table ``population_age5``: ``pref_code`` ("16"), ``pref_name_ja``, ``year``, ``era``, ``era_year``,
``ref_date``, ``sex`` (total/male/female), ``age_class`` (as printed), ``age_from``, ``age_to``
(Int64, missing for open and unknown), ``age_kind`` (total/age5/open/unknown), ``age_reckoning``
(mannenrei/kazoedoshi), ``population_persons``, ``value_note``.

Checks (:func:`validate`): 47 prefectures every year; Σ prefectures 2015 =
127,094,745 and 2010 = 128,057,352 (official national totals).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from hokuriku import manifest
from hokuriku.errors import RawDataError
from hokuriku.sources import _parse

SOURCE = "census_pref_age5"
DEFAULT_VINTAGE = "2015"
FILENAME = "c03.csv"
ENCODING = "cp932"
FOOTNOTE_PREFIX = "注）"
UNKNOWN_LABEL = "不詳"
UNKNOWN_NOTE = "derived: 総数 − Σ age bands"
SEX_SUM_NOTE = "published 男+女 ≠ 総数"
NATIONAL_TOTALS = {2015: 127_094_745, 2010: 128_057_352}
"""Official national totals (人) the 47 prefectures must add up to."""
N_PREFECTURES = 47
_BAND = re.compile(r"^(\d+)～(\d+)歳$")
_OPEN = re.compile(r"^(\d+)歳以上$")
_SEXES = ("total", "male", "female")


def _age(label: str, *, file, row: int) -> tuple[int | None, int | None, str]:
    if label == "総数":
        return None, None, "total"
    if m := _BAND.match(label):
        return int(m[1]), int(m[2]), "age5"
    if m := _OPEN.match(label):
        return int(m[1]), None, "open"
    raise RawDataError(file, "an age band such as '0～4歳', '85歳以上' or '総数'", found=label, row=row,
                       column="年齢5歳階級")


def _body_from_rows(rows: list[list[str]], header: list[str], path) -> tuple[list, np.ndarray]:
    """The data rows of ``rows`` (header first) as Arrow string columns, and their row numbers.

    Blank rows are skipped; the footnote line ends the data (anything after it raises); a row of another
    width than the header raises. The reference for :func:`_body_from_arrow`.
    """
    import pyarrow as pa  # noqa: PLC0415

    body, footnote = [], False
    for i, r in enumerate(rows[1:], start=2):
        if not "".join(r).strip():  # no cell with text
            continue
        if r[0].startswith(FOOTNOTE_PREFIX) and not "".join(r[1:]).strip():
            footnote = True
            continue
        if footnote:
            raise RawDataError(path, "no data after the footnote line", found=r[:3], row=i)
        if len(r) != len(header):
            raise RawDataError(path, f"{len(header)} fields per row (truncated file?)", found=f"{len(r)} fields",
                               row=i)
        body.append((i, r))
    columns = [pa.array([r[j] for _, r in body], type=pa.large_string()) for j in range(len(header))]
    return columns, np.array([i for i, _ in body], dtype="int64")


def _body_from_arrow(table, path) -> tuple[list, np.ndarray]:  # noqa: ANN001 - pyarrow.Table of _parse.csv_arrow
    """:func:`_body_from_rows` on the Arrow cells of :func:`_parse.csv_arrow` (a rectangular grid).

    A row holding a printable ASCII character (every data row: its counts are digits) has text; only
    the other rows (the footnote, blank lines) are joined and stripped in Python as the reference does.
    """
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.compute as pc  # noqa: PLC0415

    cols = [c.combine_chunks() for c in table.columns]
    n = table.num_rows
    has_text = np.zeros(n, dtype=bool)
    for c in cols:  # column by column, only on the rows still without text (after the first: the few others)
        todo = np.flatnonzero(~has_text)
        if not len(todo):
            break
        cells = c if len(todo) == n else c.take(pa.array(todo))
        has_text[todo] = pc.match_substring_regex(cells, "[!-~]").to_numpy(zero_copy_only=False)
    blank = np.zeros(n, dtype=bool)
    foot = np.zeros(n, dtype=bool)
    foot_start = pc.starts_with(cols[0], FOOTNOTE_PREFIX).to_numpy(zero_copy_only=False)
    for k in np.flatnonzero(~has_text | foot_start):
        if k == 0:
            continue
        r = [c[int(k)].as_py() for c in cols]
        if not "".join(r).strip():
            blank[k] = True
        elif r[0].startswith(FOOTNOTE_PREFIX) and not "".join(r[1:]).strip():
            foot[k] = True
    data = ~blank & ~foot
    data[0] = False  # the header
    if foot.any():
        after = np.flatnonzero(data[int(np.argmax(foot)):])
        if after.size:
            k = int(np.argmax(foot)) + int(after[0])
            raise RawDataError(path, "no data after the footnote line", found=[c[k].as_py() for c in cols[:3]],
                               row=k + 1)
    mask = pa.array(data, type=pa.bool_())
    return [c.filter(mask) for c in cols], np.flatnonzero(data).astype("int64") + 1


def _distinct(column) -> tuple[list[str], np.ndarray, np.ndarray]:  # noqa: ANN001 - a pyarrow string array
    """(distinct cells in the order of first occurrence, index of each cell into them, position of each
    distinct cell's first occurrence): each distinct text is checked and converted once."""
    import pyarrow.compute as pc  # noqa: PLC0415

    encoded = pc.dictionary_encode(column)  # a single chunk: the dictionary is in the order of first occurrence
    idx = encoded.indices.to_numpy(zero_copy_only=False).astype("int64", copy=False)
    values = encoded.dictionary.to_pylist()
    _, first = np.unique(idx, return_index=True)
    return values, idx, first


@_parse.contained
def parse(path: Path, *, vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """Parse ``c03.csv`` into the long table described in the module docstring.

    The cells are read as Arrow string columns (:func:`_parse.csv_arrow`; ``csv.reader`` rows when the
    text needs them) and each distinct cell text of a key column is checked and converted once, in the
    order of its first row (so an error names the first row holding a bad value, as a row-by-row check
    would).
    """
    path = Path(path)
    layout = _parse.load_layout(SOURCE, "columns")
    text = _parse.read_text(path, ENCODING)
    table = _parse.csv_arrow(text)
    if table is not None:
        header = [_parse.nfkc(c[0].as_py()) for c in table.columns]
    else:
        rows = _parse.csv_rows(text, file=path)
        if not rows:
            raise RawDataError(path, "a header row", found="empty file")
        header = [_parse.nfkc(c) for c in rows[0]]
    want = [_parse.nfkc(h) for h in layout["header"]]
    _parse.require_columns(header, want, file=path, row=1)
    col = {c: header.index(h) for h, c in zip(want, layout["column"], strict=True)}
    columns, rownums = _body_from_arrow(table, path) if table is not None else _body_from_rows(rows, header, path)
    if not len(rownums):
        raise RawDataError(path, "data rows after the header", found="none")
    code_values, code_idx, code_first = _distinct(columns[col["pref_code"]])
    codes = [c.strip() for c in code_values]
    for k, c in enumerate(codes):
        if not re.fullmatch(r"\d{2}", c) or not 1 <= int(c) <= N_PREFECTURES:
            raise RawDataError(path, "a 2-digit prefecture code 01–47", found=c, row=int(rownums[code_first[k]]),
                               column="都道府県コード")
    year_values, year_idx, year_first = _distinct(columns[col["year"]])
    year_text = [y.strip() for y in year_values]
    for k, y in enumerate(year_text):
        if not re.fullmatch(r"(19|20)\d\d", y):
            raise RawDataError(path, "a census year such as 2015", found=y, row=int(rownums[year_first[k]]),
                               column="西暦（年）")
    raw_labels, label_idx, label_first = _distinct(columns[col["age_class"]])
    labels = [_parse.nfkc(raw).replace("~", "～") for raw in raw_labels]
    ages = [_age(label, file=path, row=int(rownums[label_first[k]])) for k, label in enumerate(labels)]
    era_text, era_idx, _ = _distinct(columns[col["era_year"]])
    era_year = [int(t) for t in era_text]
    name_values, name_idx, _ = _distinct(columns[col["pref_name_ja"]])
    era_values, era_name_idx, _ = _distinct(columns[col["era"]])
    age_from = np.array([-1 if a[0] is None else a[0] for a in ages], dtype="int64")[label_idx]
    age_to = np.array([-1 if a[1] is None else a[1] for a in ages], dtype="int64")[label_idx]
    no_from = np.array([a[0] is None for a in ages], dtype=bool)[label_idx]
    no_to = np.array([a[1] is None for a in ages], dtype=bool)[label_idx]
    years = [int(y) for y in year_text]
    kazoe = _parse.load_layout(SOURCE, "age_kind")
    reckoning = dict(zip(kazoe["year"].astype(int), kazoe["age_reckoning"], strict=True))
    # each key column as (its distinct values, the index of each row into them)
    keys = {
        "pref_code": (codes, code_idx),
        "pref_name_ja": ([v.strip() for v in name_values], name_idx),
        "year": (years, year_idx),
        "era": ([v.strip() for v in era_values], era_name_idx),
        "era_year": (era_year, era_idx),
        "age_class": (labels, label_idx),
        "age_kind": ([a[2] for a in ages], label_idx),
        "age_reckoning": ([reckoning.get(y, "mannenrei") for y in years], year_idx),
    }
    data = {
        "pref_code": _arrow_str(*keys["pref_code"]),
        "pref_name_ja": _arrow_str(*keys["pref_name_ja"]),
        "year": np.array(years, dtype="int64")[year_idx],
        "era": _arrow_str(*keys["era"]),
        "era_year": np.array(era_year, dtype="int64")[era_idx],
        "age_class": _arrow_str(*keys["age_class"]),
        "age_from": pd.arrays.IntegerArray(age_from, no_from),
        "age_to": pd.arrays.IntegerArray(age_to, no_to),
        "age_kind": _arrow_str(*keys["age_kind"]),
        "_row": rownums,
    }
    for sex, header_label in zip(_SEXES, ("人口（総数）", "人口（男）", "人口（女）"), strict=True):
        cells = columns[col[sex]]
        values, notes = _parse.to_numeric_arrow([cells], file=path, names=[header_label],
                                                row_numbers=rownums.tolist())
        values, notes = values[0], notes[0]
        symbol = ~pd.isna(notes)
        if symbol.any():  # this table prints no symbols: a symbol here is a damaged file
            i = int(np.argmax(symbol))
            raise RawDataError(path, "a count (表3 prints no symbols such as X, -, ***)", found=cells[i].as_py(),
                               row=int(rownums[i]), column=header_label)
        if (values < 0).any():
            i = int(np.argmax(values < 0))
            raise RawDataError(path, "a count ≥ 0", found=cells[i].as_py(), row=int(rownums[i]), column=header_label)
        data[sex], data[f"note_{sex}"] = values, notes
    df = pd.DataFrame(data)
    _check_bands(df, path, keys)
    both = data["male"] + data["female"]
    total = data["total"]
    mismatch = np.round(both, 6) != total
    if mismatch.any():  # a published inconsistency is kept as printed and flagged on all three cells
        where = np.flatnonzero(mismatch)
        note = [f"{SEX_SUM_NOTE} ({b:.0f} vs {t:.0f})" for b, t in zip(both[where], total[where], strict=True)]
        for sex in _SEXES:
            notes = np.array(data[f"note_{sex}"], dtype=object, copy=True)
            notes[where] = note
            data[f"note_{sex}"] = notes
    data["age_reckoning"] = _arrow_str(*keys["age_reckoning"])
    unknown = _unknown_wide(data, keys, path)
    if unknown is None:  # a case the integer fast path leaves to pandas: the long frame, summed by groupby
        for sex in _SEXES:  # the notes as flagged above
            df[f"note_{sex}"] = data[f"note_{sex}"]
        df["age_reckoning"] = data["age_reckoning"]
        return _long_by_frames(df, path)
    t_idx, diff = unknown
    n, n_t, n_s = len(rownums), len(t_idx), len(_SEXES)
    # The long table as arrays: each sex's block of the wide rows, then each sex's 年齢不詳 rows (one per 総数 row)
    wide_at = np.concatenate([np.tile(np.arange(n), n_s), np.tile(t_idx, n_s)])
    is_unknown = np.r_[np.zeros(n_s * n, dtype=bool), np.ones(n_s * n_t, dtype=bool)]
    sex_at = np.r_[np.repeat(np.arange(n_s), n), np.repeat(np.arange(n_s), n_t)]
    population = np.concatenate([*(data[s] for s in _SEXES), diff])
    note = np.concatenate([*(np.asarray(data[f"note_{s}"], dtype=object) for s in _SEXES),
                           np.full(n_s * n_t, UNKNOWN_NOTE, dtype=object)])
    kind_rank = {k: r for r, k in enumerate(["total", "age5", "open", "unknown"])}
    kinds = keys["age_kind"][0]
    label_rank = np.array([kind_rank.get(k, len(kind_rank)) for k in kinds], dtype="int64")[label_idx]
    pref_rank_of = {c: r for r, c in enumerate(sorted(set(codes)))}
    pref_rank = np.array([pref_rank_of[c] for c in codes], dtype="int64")[code_idx]
    # sorted by year, pref_code, sex, kind, age_from (missing last), ties in row order: one stable sort of one
    # integer key, each part a rank (as np.lexsort of the five keys, cheaper); ranks from the distinct values
    year_ranks = np.unique(np.array(years, dtype="int64"), return_inverse=True)[1].reshape(-1)[year_idx]
    label_from = np.array([np.inf if a[0] is None else float(a[0]) for a in ages], dtype="float64")
    age_values = np.unique(np.append(label_from, np.inf))
    age_ranks = np.searchsorted(age_values, label_from)[label_idx]
    n_pref = int(pref_rank.max()) + 1 if len(pref_rank) else 1
    n_kind = len(kind_rank) + 1
    key = np.where(is_unknown, kind_rank["unknown"], label_rank[wide_at]) * len(age_values) + np.where(
        is_unknown, len(age_values) - 1, age_ranks[wide_at])
    key = ((year_ranks[wide_at] * n_pref + pref_rank[wide_at]) * len(_SEXES) + sex_at) * (n_kind * len(age_values)) \
        + key
    perm = np.argsort(key, kind="stable")
    at, unk, sx = wide_at[perm], is_unknown[perm], sex_at[perm]
    year_values = np.array(years, dtype="int64")
    dates = pd.to_datetime(pd.Series(year_values).astype(str) + np.where(year_values == 1945, "-11-01", "-10-01"))
    ints = {c: pd.arrays.IntegerArray(np.where(unk, 0, v[at]), np.where(unk, True, m[at]))
            for c, v, m in (("age_from", age_from, no_from), ("age_to", age_to, no_to))}
    out_note = note[perm]
    band = np.where(unk, len(labels), label_idx[at])  # 年齢不詳 rows: one more distinct label and kind

    def column(name: str) -> pd.api.extensions.ExtensionArray:
        values, idx = keys[name]
        return _arrow_str(values, idx[at])

    return pd.DataFrame({
        "pref_code": column("pref_code"),
        "pref_name_ja": column("pref_name_ja"),
        "year": data["year"][at],
        "era": column("era"),
        "era_year": data["era_year"][at],
        "ref_date": dates.to_numpy()[year_idx[at]],
        "sex": _arrow_str(list(_SEXES), sx),
        "age_class": _arrow_str([*labels, UNKNOWN_LABEL], band),
        "age_from": ints["age_from"],
        "age_to": ints["age_to"],
        "age_kind": _arrow_str([*kinds, "unknown"], band),
        "age_reckoning": column("age_reckoning"),
        "population_persons": population[perm],
        "value_note": pd.Series(np.where(pd.isna(out_note), None, out_note), dtype=object),
    })


def _arrow_str(values: list[str], idx: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``values[idx]`` as pandas' ``str`` column (Arrow ``large_string``), taken in Arrow from the few
    distinct values: the same column pandas makes of the Python strings, without converting each."""
    import pyarrow as pa  # noqa: PLC0415

    return pd.arrays.ArrowStringArray(pa.array(values, type=pa.large_string()).take(pa.array(idx)),
                                      dtype=pd.StringDtype("pyarrow", na_value=np.nan))


def _unknown_wide(data: dict, keys: dict, path) -> tuple[np.ndarray, np.ndarray] | None:
    """年齢「不詳」 = 総数 − Σ bands of each prefecture × year × sex, on the wide arrays of :func:`parse`.

    Returns (the 総数 rows, their differences stacked sex by sex in :data:`_SEXES` order; NaN where a
    group has no band), or None when :func:`_unknown_rows` would leave the case to pandas (values not
    whole or too large, a missing key, a 総数 row twice in a group). The same sums as
    :func:`_unknown_rows` on the long table, whose groups are these groups once per sex.
    """
    values = np.concatenate([data[s] for s in _SEXES])
    if not (np.isfinite(values).all() and (values == np.round(values)).all() and np.abs(values).sum() < 2**53):
        return None
    n = len(data["year"])
    combined = np.zeros(n, dtype="int64")
    radix = 1
    for key in _UNKNOWN_KEYS:
        if key == "sex":
            size = len(_SEXES)
            if radix * (size + 1) >= 2**62:
                return None
            radix *= size + 1
            continue
        distinct, idx = keys[key]  # factorised on the distinct values: the same groups as on every row
        codes, uniques = pd.factorize(np.asarray(distinct, dtype=object))
        codes = codes[idx]
        if (codes < 0).any() or radix * (len(uniques) + 1) >= 2**62:
            return None
        combined += codes * radix
        radix *= len(uniques) + 1
    ids, uniques = pd.factorize(combined)
    kinds, idx = keys["age_kind"]
    is_total = np.array([k == "total" for k in kinds], dtype=bool)[idx]
    t_idx = np.flatnonzero(is_total)
    t_ids = ids[t_idx]
    if len(np.unique(t_ids)) != len(t_ids):
        return None
    band_ids = ids[~is_total]
    has_bands = np.bincount(band_ids, minlength=len(uniques)) > 0
    diffs = []
    for sex in _SEXES:
        sums = np.bincount(band_ids, weights=data[sex][~is_total], minlength=len(uniques))
        diffs.append(np.where(has_bands[t_ids], data[sex][t_idx] - sums[t_ids], np.nan))
    diff = np.concatenate(diffs)
    if (bad := diff < 0).any():
        first = int(np.argmax(bad))
        s, k = divmod(first, len(t_idx))
        raise RawDataError(path, f"Σ age bands ≤ 総数 ({_SEXES[s]}; 総数 includes 年齢不詳)",
                           found=f"Σ bands exceeds 総数 by {-diff[first]:.0f}", row=int(data["_row"][t_idx[k]]),
                           column="人口（総数）")
    return t_idx, diff


def _long_by_frames(df: pd.DataFrame, path) -> pd.DataFrame:
    """The long table built with pandas frames (the reference of the array path of :func:`parse`)."""
    long = pd.concat([df.assign(sex=s, population_persons=df[s], value_note=df[f"note_{s}"]) for s in _SEXES],
                     ignore_index=True)
    long = pd.concat([long, _unknown_rows(long, path, wide=df)], ignore_index=True)
    year_ids, year_values = pd.factorize(long["year"].to_numpy())  # one date per census year, not per row
    dates = pd.to_datetime(pd.Series(year_values).astype(str) + np.where(year_values == 1945, "-11-01", "-10-01"))
    long["ref_date"] = dates.take(year_ids).to_numpy()
    long["value_note"] = long["value_note"].astype("object").where(long["value_note"].notna(), None)
    cols = ["pref_code", "pref_name_ja", "year", "era", "era_year", "ref_date", "sex", "age_class", "age_from",
            "age_to", "age_kind", "age_reckoning", "population_persons", "value_note"]
    order = ["total", "age5", "open", "unknown"]
    # sorted by year, pref_code, sex, kind, age_from (missing last), ties in row order: one stable lexsort
    pref_rank, _ = pd.factorize(long["pref_code"], sort=True)
    perm = np.lexsort((
        long["age_from"].to_numpy(dtype="float64", na_value=np.inf),
        _rank(long["age_kind"], order),
        _rank(long["sex"], list(_SEXES)),
        np.where(pref_rank < 0, pref_rank.max(initial=0) + 1, pref_rank),
        long["year"].to_numpy(),
    ))
    return long[cols].take(perm).reset_index(drop=True)


def _rank(values: pd.Series, order: list[str]) -> np.ndarray:
    """Position of each value in ``order`` (a sort key); values not in ``order`` sort last."""
    codes, uniques = pd.factorize(values)  # missing → -1: the last entry of ``rank``
    pos = pd.Index(order).get_indexer(uniques)
    rank = np.append(np.where(pos < 0, len(order), pos), len(order))
    return rank[codes]


def _first_rows(values: list[str], rownums: list[int]) -> dict[str, int]:
    """Each distinct value → the row number where it first occurs, in the order of first occurrence."""
    first: dict[str, int] = {}
    for v, i in zip(values, rownums, strict=True):
        first.setdefault(v, i)
    return first


def _check_bands(df: pd.DataFrame, path, keys: dict | None = None) -> None:
    """Per prefecture × year: one 総数, bands that chain by 5 years into exactly one last open band.

    ``keys``: :func:`parse`'s (distinct values, row index) of ``pref_code``, ``year`` and ``age_kind``, from
    which the groups and kinds are taken without reading the frame's columns.

    Vectorised: every rule is evaluated for all groups at once (bands sorted by group and ``age_from``);
    only a group that breaks a rule goes through :func:`_check_group`, which raises the error naming
    the row, in the order the groups appear in the file.
    """
    if keys is None:
        gid = df.groupby(["pref_code", "year"], sort=False).ngroup().to_numpy()
        kind = df["age_kind"].to_numpy(dtype=object)
    else:  # the same group ids from the distinct values (numbered in the order of first appearance, as ngroup)
        pref_values, pref_idx = keys["pref_code"]
        year_values, year_idx = keys["year"]
        pref_ids = pd.factorize(np.asarray(pref_values, dtype=object))[0][pref_idx]
        year_ids = pd.factorize(np.asarray(year_values, dtype=object))[0][year_idx]
        gid = pd.factorize(pref_ids * (len(year_values) + 1) + year_ids)[0]
        kinds, kind_idx = keys["age_kind"]
        kind = np.asarray(kinds, dtype=object)[kind_idx]
    n_groups = int(gid.max()) + 1 if len(gid) else 0
    is_total = kind == "total"
    bad = np.bincount(gid[is_total], minlength=n_groups) != 1
    band = ~is_total
    g = gid[band]
    a_from = df["age_from"].to_numpy(dtype="float64", na_value=np.nan)[band]
    a_to = df["age_to"].to_numpy(dtype="float64", na_value=np.nan)[band]
    is_open = kind[band] == "open"
    order = np.lexsort((a_from, g))
    g, a_from, a_to, is_open = g[order], a_from[order], a_to[order], is_open[order]
    bad |= np.bincount(g, minlength=n_groups) == 0  # no band at all
    first = np.r_[True, g[1:] != g[:-1]] if len(g) else np.zeros(0, dtype=bool)
    last = np.r_[g[1:] != g[:-1], True] if len(g) else np.zeros(0, dtype=bool)
    prev_from = np.r_[np.nan, a_from[:-1]] if len(g) else a_from
    prev_to = np.r_[np.nan, a_to[:-1]] if len(g) else a_to
    broken = (
        (first & ~np.isin(a_from, (0, 1)))  # bands start at 0 (1 in 数え年)
        | (~first & (a_from == prev_from))  # a band twice
        | (~first & (a_from != prev_to + 1))  # bands chain
        | (is_open != last)  # the one open band is the last
        | (~last & (a_to - a_from != 4))  # 5-year bands
    )
    bad[g[broken]] = True
    for k in np.flatnonzero(bad):
        _check_group(df[gid == k], path)


def _check_group(g: pd.DataFrame, path) -> None:
    """Apply the rules of :func:`_check_bands` to one prefecture × year, raising the first one broken."""
    code, year = g["pref_code"].iloc[0], g["year"].iloc[0]
    first_row = int(g["_row"].iloc[0])
    if (g["age_kind"] == "total").sum() != 1:
        raise RawDataError(path, f"one 総数 row for prefecture {code}, {year}",
                           found=int((g["age_kind"] == "total").sum()), row=first_row, column="年齢5歳階級")
    bands = g[g["age_kind"] != "total"].sort_values("age_from")
    if bands.duplicated("age_from").any():
        dup = bands[bands.duplicated("age_from")].iloc[0]
        raise RawDataError(path, f"each age band once for prefecture {code}, {year}", found=dup["age_class"],
                           row=int(dup["_row"]), column="年齢5歳階級")
    expected = int(bands["age_from"].iloc[0])
    if expected not in (0, 1):
        raise RawDataError(path, f"age bands from 0 (1 in 数え年) for prefecture {code}, {year}",
                           found=bands["age_class"].iloc[0], row=int(bands["_row"].iloc[0]), column="年齢5歳階級")
    for k, (_, b) in enumerate(bands.iterrows()):
        if b["age_from"] != expected:
            raise RawDataError(path, f"an age band starting at {expected} (bands chain by 5 years)",
                               found=b["age_class"], row=int(b["_row"]), column="年齢5歳階級")
        if b["age_kind"] == "open":
            if k != len(bands) - 1:
                raise RawDataError(path, "the open band (…歳以上) last", found=b["age_class"], row=int(b["_row"]),
                                   column="年齢5歳階級")
            break
        if b["age_to"] - b["age_from"] != 4:
            raise RawDataError(path, "a 5-year band", found=b["age_class"], row=int(b["_row"]), column="年齢5歳階級")
        expected = int(b["age_to"]) + 1
    else:
        raise RawDataError(path, f"an open last band (…歳以上) for prefecture {code}, {year}",
                           found=bands["age_class"].iloc[-1], row=int(bands["_row"].iloc[-1]), column="年齢5歳階級")


_UNKNOWN_KEYS = ["pref_code", "pref_name_ja", "year", "era", "era_year", "age_reckoning", "sex"]


def _unknown_rows(long: pd.DataFrame, path, wide: pd.DataFrame | None = None) -> pd.DataFrame:
    """年齢「不詳」 = 総数 − Σ bands, one explicit row per prefecture × year × sex.

    ``wide`` (optional) is the frame ``long`` was made from, one block per sex in :data:`_SEXES`
    order: the keys are then factorised on it, a third of the rows.

    Summed with ``np.bincount`` over one integer id per key combination (exact for whole counts below
    2**53); anything else (fractional or missing values, a missing key, a 総数 row twice) goes through
    the pandas version, :func:`_unknown_rows_by_group`, which gives the same rows.
    """
    values = long["population_persons"].to_numpy(dtype="float64")
    if not (np.isfinite(values).all() and (values == np.round(values)).all() and np.abs(values).sum() < 2**53):
        return _unknown_rows_by_group(long, path)
    combined = np.zeros(len(long), dtype="int64")
    radix = 1
    tiled = wide is not None and len(long) == len(_SEXES) * len(wide)
    for key in _UNKNOWN_KEYS:
        if tiled and key == "sex":  # long is the wide frame once per sex, in _SEXES order
            codes, uniques = np.repeat(np.arange(len(_SEXES)), len(wide)), _SEXES
        elif tiled:  # the same codes as factorizing long (first occurrences are all in its first block)
            codes, uniques = pd.factorize(wide[key])
            codes = np.tile(codes, len(_SEXES))
        else:
            codes, uniques = pd.factorize(long[key])
        if (codes < 0).any() or radix * (len(uniques) + 1) >= 2**62:
            return _unknown_rows_by_group(long, path)
        combined += codes * radix
        radix *= len(uniques) + 1
    ids, uniques = pd.factorize(combined)
    is_total = (long["age_kind"] == "total").to_numpy(dtype=bool, na_value=False)
    t_idx = np.flatnonzero(is_total)
    t_ids = ids[t_idx]
    if len(np.unique(t_ids)) != len(t_ids):
        return _unknown_rows_by_group(long, path)
    band_ids = ids[~is_total]
    sums = np.bincount(band_ids, weights=values[~is_total], minlength=len(uniques))
    has_bands = np.bincount(band_ids, minlength=len(uniques)) > 0
    diff = np.where(has_bands[t_ids], values[t_idx] - sums[t_ids], np.nan)
    if (bad := diff < 0).any():
        first = int(np.argmax(bad))
        i = t_idx[first]
        raise RawDataError(path, f"Σ age bands ≤ 総数 ({long['sex'].iloc[i]}; 総数 includes 年齢不詳)",
                           found=f"Σ bands exceeds 総数 by {-diff[first]:.0f}", row=int(long["_row"].iloc[i]),
                           column="人口（総数）")
    out = long[_UNKNOWN_KEYS].iloc[t_idx].reset_index(drop=True).assign(population_persons=diff)
    return _as_unknown(out)


def _as_unknown(out: pd.DataFrame) -> pd.DataFrame:
    return out.assign(age_class=UNKNOWN_LABEL, age_from=pd.array([pd.NA] * len(out), dtype="Int64"),
                      age_to=pd.array([pd.NA] * len(out), dtype="Int64"), age_kind="unknown", value_note=UNKNOWN_NOTE)


def _unknown_rows_by_group(long: pd.DataFrame, path) -> pd.DataFrame:
    keys = _UNKNOWN_KEYS
    tot = long[long["age_kind"] == "total"].set_index(keys)
    bands = long[long["age_kind"] != "total"].groupby(keys)["population_persons"].sum()
    diff = tot["population_persons"] - bands.reindex(tot.index)
    if (bad := diff < 0).any():
        k = diff[bad].index[0]
        row = int(tot.loc[k, "_row"])
        raise RawDataError(path, f"Σ age bands ≤ 総数 ({k[6]}; 総数 includes 年齢不詳)",
                           found=f"Σ bands exceeds 総数 by {-diff[bad].iloc[0]:.0f}", row=row, column="人口（総数）")
    return _as_unknown(diff.rename("population_persons").reset_index())


def validate(df: pd.DataFrame) -> pd.DataFrame:
    """47 prefectures every year, unique keys, national totals 2010 and 2015.

    Vectorised on integer codes (each key column factorised once): prefectures per year by the
    distinct (year, prefecture) pairs, duplicates by a combined key, totals by a sum over the
    総数 × total rows.
    """
    year = df["year"].to_numpy()
    years, year_code = np.unique(year, return_inverse=True)  # sorted, as groupby("year")
    pref_code, pref_uniques = pd.factorize(df["pref_code"])
    known = pref_code >= 0  # nunique leaves missing codes out
    pairs = np.unique(year_code[known].astype("int64") * (len(pref_uniques) + 1) + pref_code[known])
    n = np.bincount(pairs // (len(pref_uniques) + 1), minlength=len(years))
    if (n != N_PREFECTURES).any():
        k = int(np.flatnonzero(n != N_PREFECTURES)[0])
        raise RawDataError(FILENAME, f"{N_PREFECTURES} prefectures in {int(years[k])}", found=int(n[k]),
                           column="都道府県コード")
    keys = ["pref_code", "year", "sex", "age_class"]
    factorized = [(pref_code, pref_uniques), (year_code, years), pd.factorize(df["sex"]), pd.factorize(df["age_class"])]
    if np.prod([len(u) + 1.0 for _, u in factorized]) < 2**62:
        combined = np.zeros(len(df), dtype="int64")
        for codes, uniques in factorized:
            combined = combined * (len(uniques) + 1) + (np.asarray(codes, dtype="int64") + 1)  # missing: its own value
        _, first = np.unique(combined, return_index=True)
        repeated = np.ones(len(df), dtype=bool)
        repeated[first] = False
    else:  # too many combinations for one integer key
        repeated = df.duplicated(keys).to_numpy()
    if repeated.any():
        d = df.iloc[int(np.flatnonzero(repeated)[0])]
        raise RawDataError(FILENAME, "one row per prefecture × year × sex × age band",
                           found=f"{d['pref_code']} {d['year']} {d['sex']} {d['age_class']}")
    both_total = ((df["age_kind"] == "total") & (df["sex"] == "total")).to_numpy(dtype=bool, na_value=False)
    tot = pd.Series(df["population_persons"].to_numpy()[both_total]).groupby(year[both_total]).sum()
    for y, want in NATIONAL_TOTALS.items():
        if y in tot.index and tot[y] != want:
            raise RawDataError(FILENAME, f"Σ prefectures {y} = {want:,} (official national total)",
                               found=f"{tot[y]:,.0f}", column="人口（総数）")
    return df


def load(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """The whole table (sha256-verified through the manifest), checked by :func:`validate`."""
    return validate(parse(manifest.path(SOURCE, str(vintage), FILENAME), vintage=str(vintage)))


TABLES = _parse.covered_tables(SOURCE, {"population_age5": load})
