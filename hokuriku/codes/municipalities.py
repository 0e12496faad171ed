"""Municipal codes (全国地方公共団体コード, JIS X 0402) and merger-consistent boundaries.

Codes
-----
A municipality has a 5-digit code ``PPCCC`` (``PP`` = JIS X 0401 prefecture, ``CCC`` = city, town,
village or ward) and a 6-digit form with a check digit (総務省「全国地方公共団体コード」):

.. math:: c_6 = (11 - (6d_1 + 5d_2 + 4d_3 + 3d_4 + 2d_5) \\bmod 11) \\bmod 10

(e.g. 富山市 16201 → 162019, 札幌市 01100 → 011002, 金沢市 17201 → 172014).

Designated cities
-----------------
政令指定都市 publish both a city row (``14100`` 横浜市) and ward rows (``14101`` 鶴見区 …). A ward belongs
to the largest designated-city code of its prefecture below it (``hokuriku/codes/data/designated_cities.csv``).
``13100`` 東京都区部 is an aggregate of the 23 特別区, which are municipalities of their own, so it is
dropped whenever data are harmonised (:data:`AGGREGATE_CODES`).

Harmonisation
-------------
:func:`harmonize` converts a municipal panel to the boundaries of one snapshot year of a crosswalk
(Kondo's converter, :mod:`hokuriku.sources.muni_converter`: 1980, 1985, …, 2020, 1 October). Values
of predecessors are summed into their successor. A predecessor whose value is missing (秘匿 X, NaN)
makes the merged value missing too — it is *counted*, never treated as 0 — unless the analyst passes
``min_count`` (pandas' rule: the sum of the values present, if at least ``min_count`` are present),
in which case the row is flagged ``is_partial``.
"""

from __future__ import annotations

import re
import warnings
from functools import lru_cache

import numpy as np
import pandas as pd

from hokuriku import paths
from hokuriku.errors import InputError

WEIGHTS = (6, 5, 4, 3, 2)
AGGREGATE_CODES = frozenset({"13100"})
"""Codes that aggregate other municipalities (東京都区部 = the 23 特別区 13101–13123)."""

_CODE5 = re.compile(r"^\d{5}$")


def check_digit(code5: str) -> str:
    """JIS X 0402 check digit of a 5-digit code.

    >>> check_digit("16201"), check_digit("01100"), check_digit("17201")
    ('9', '2', '4')
    """
    code5 = validate_code5(code5)
    remainder = sum(int(d) * w for d, w in zip(code5, WEIGHTS, strict=True)) % 11
    return str((11 - remainder) % 10)


def validate_code5(code: object) -> str:
    """Return ``code`` as a zero-padded 5-digit string; raise :class:`InputError` if it is not one.

    Integers are padded (``1100`` → ``"01100"``), as in Stata/Excel files that lost the leading zero.
    The prefecture part must be 01–47.
    """
    if isinstance(code, (int, np.integer)) and not isinstance(code, bool):
        text = f"{int(code):05d}"
    else:
        text = str(code).strip()
    if not _CODE5.match(text) or not 1 <= int(text[:2]) <= 47:
        msg = f"Expected a 5-digit municipal code PPCCC with prefecture 01–47, found {code!r}"
        raise InputError(msg)
    return text


def to_code6(code5: object) -> str:
    """5-digit code → 6-digit code with its check digit (``"16201"`` → ``"162019"``)."""
    code5 = validate_code5(code5)
    return code5 + check_digit(code5)


def to_code5(code6: object, *, verify: bool = True) -> str:
    """6-digit code → 5-digit code, verifying the check digit unless ``verify=False``."""
    text = str(code6).strip()
    if isinstance(code6, (int, np.integer)):
        text = f"{int(code6):06d}"
    if not re.fullmatch(r"\d{6}", text):
        msg = f"Expected a 6-digit municipal code with check digit, found {code6!r}"
        raise InputError(msg)
    code5 = validate_code5(text[:5])
    if verify and text[5] != check_digit(code5):
        msg = f"Municipal code {text}: check digit {text[5]} is wrong, expected {check_digit(code5)}"
        raise InputError(msg)
    return code5


def is_valid_code6(code6: object) -> bool:
    """True if ``code6`` is a 6-digit code whose check digit is right."""
    try:
        to_code5(code6, verify=True)
    except InputError:
        return False
    return True


@lru_cache(maxsize=1)
def designated_cities() -> pd.DataFrame:
    """The 20 政令指定都市 (as of 2012) with the date each was designated."""
    return pd.read_csv(paths.CODES_DATA / "designated_cities.csv", dtype=str, comment="#")


@lru_cache(maxsize=1)
def _designated() -> frozenset[str]:
    return frozenset(designated_cities()["muni_code"])


@lru_cache(maxsize=1)
def code_aliases() -> dict[str, str]:
    """Codes found in data files → the converter's code of the same municipality (see the CSV)."""
    df = pd.read_csv(paths.CODES_DATA / "muni_code_aliases.csv", dtype=str, comment="#")
    return dict(zip(df["code_in_data"], df["converter_code"], strict=True))


@lru_cache(maxsize=8192)
def ward_city(code: object) -> str | None:
    """The designated city a ward code belongs to, or None if ``code`` is not a ward."""
    code = validate_code5(code)
    if code in _designated() or code[2] != "1":
        return None
    cities = sorted(c for c in _designated() if c[:2] == code[:2] and c < code)
    return cities[-1] if cities else None


@lru_cache(maxsize=8192)
def area_level(code: object) -> str:
    """``prefecture`` (PP000), ``designated_city``, ``ward``, ``aggregate`` (13100) or ``municipality``."""
    code = validate_code5(code)
    if code.endswith("000"):
        return "prefecture"
    if code in AGGREGATE_CODES:
        return "aggregate"
    if code in _designated():
        return "designated_city"
    return "ward" if ward_city(code) else "municipality"


def crosswalk_map(crosswalk: pd.DataFrame, to_year: int) -> pd.Series:
    """Every known code → its code at the ``to_year`` snapshot (a Series indexed by code).

    ``crosswalk`` is the tidy converter table (``merge_id``, ``snapshot_year``, ``muni_code``).
    Codes that map to more than one successor (a split) or to none (the area did not exist in
    ``to_year`` under one code) map to NaN and are reported by :func:`harmonize`.
    """
    years = sorted(crosswalk["snapshot_year"].unique())
    if to_year not in years:
        msg = f"to_year must be a crosswalk snapshot year {years}, found {to_year!r}"
        raise InputError(msg)
    target = crosswalk.loc[crosswalk["snapshot_year"] == to_year].set_index("merge_id")["muni_code"]
    pairs = crosswalk[["merge_id", "muni_code"]].dropna()
    ids = pd.concat([pairs, pd.DataFrame({"merge_id": target.index, "muni_code": target.index})])
    ids = ids.assign(to_code=ids["merge_id"].map(target))
    targets = ids.dropna(subset=["to_code"]).groupby("muni_code")["to_code"].agg(lambda s: sorted(set(s)))
    mapped = targets.map(lambda t: t[0] if len(t) == 1 else np.nan)
    for alias, code in code_aliases().items():
        if code in mapped.index:
            mapped.loc[alias] = mapped.loc[code]
    return mapped


def _merge_wards(df: pd.DataFrame, code_col: str, by: list[str], designated_city: str) -> pd.DataFrame:
    """Fold ward rows into their city (``merge``) or keep them, dropping the published city row (``wards``)."""
    codes = df[code_col].drop_duplicates()
    level_of = dict(zip(codes, codes.map(area_level), strict=True))
    city_of = dict(zip(codes, codes.map(ward_city), strict=True))
    level = df[code_col].map(level_of)
    df = df.loc[level != "aggregate"].copy()
    level = level.loc[df.index]
    city = df[code_col].map(city_of)
    keys = df[by].copy() if by else pd.DataFrame(index=df.index)
    ward_keys = keys.loc[level == "ward"].assign(_city=city[level == "ward"]).drop_duplicates()
    if designated_city == "merge":
        city_rows = keys.loc[level == "designated_city"].assign(_city=df.loc[level == "designated_city", code_col])
        probe = keys.loc[level == "ward"].assign(_city=city[level == "ward"])
        hit = probe.reset_index().merge(city_rows.drop_duplicates(), on=[*by, "_city"], how="inner")["index"]
        df = df.drop(index=hit)
        df.loc[level.loc[df.index] == "ward", code_col] = city.loc[df.index]
        return df
    if designated_city == "wards":
        probe = keys.loc[level == "designated_city"].assign(_city=df.loc[level == "designated_city", code_col])
        hit = probe.reset_index().merge(ward_keys, on=[*by, "_city"], how="inner")["index"]
        return df.drop(index=hit)
    msg = f"designated_city must be 'merge' or 'wards', found {designated_city!r}"
    raise InputError(msg)


MISSING_REASONS = ("suppressed", "no_industry_split", "absent", "unsplittable")
"""Why a predecessor cell is missing, counted per harmonised value (``<col>_n_<reason>``):

- ``suppressed``: 秘匿 (X) in the publication;
- ``no_industry_split``: a 町村, for which 工業統計 publishes 製造業計 only;
- ``absent``: blank or not in the table (e.g. ``absent_from_table``, ``not_available``);
- ``unsplittable``: the data year's municipality later absorbed (or was formed from) several units of the
  boundary year, so its value cannot be split back onto those boundaries (``to_year`` before a merger).
"""
MISSING_LABELS_JA = {"suppressed": "秘匿", "no_industry_split": "町村で業種別なし", "absent": "値なし",
                     "unsplittable": "合併後の値で分割不能"}
MISSING_LABELS_EN = {"suppressed": "suppressed", "no_industry_split": "without industry split", "absent": "absent",
                     "unsplittable": "cannot be split back"}


def missing_reason(values: pd.Series, notes: pd.Series | None, col: str) -> pd.Series:
    """Reason (one of :data:`MISSING_REASONS`) for each NaN of ``values``; None where a value is present.

    ``notes`` is the source's ``value_note`` (``"suppressed"``, ``"<col>=suppressed; …"``,
    ``"no_industry_split"``, …); a NaN without a recognised note is ``absent``.
    """
    out = pd.Series(None, index=values.index, dtype="object")
    miss = values.isna()
    if not miss.any():
        return out
    text = (notes if notes is not None else pd.Series("", index=values.index)).loc[miss].fillna("").astype(str)
    reason = np.where(text.str.contains("no_industry_split", regex=False), "no_industry_split",
                      np.where((text == "suppressed") | (text == "wards_missing")
                               | text.str.contains(f"{col}=suppressed", regex=False), "suppressed", "absent"))
    out.loc[miss] = reason
    return out


def describe_missing(row: pd.Series | dict, col: str, *, lang: str = "en") -> str:
    """``"2 suppressed, 1 without industry split"`` (or 秘匿2、町村で業種別なし1) from a harmonised row's counts."""
    labels = MISSING_LABELS_EN if lang == "en" else MISSING_LABELS_JA
    parts = []
    for reason in MISSING_REASONS:
        n = int(row.get(f"{col}_n_{reason}", 0) or 0)
        if n:
            parts.append(f"{n} {labels[reason]}" if lang == "en" else f"{labels[reason]}{n}")
    return ", ".join(parts) if lang == "en" else "、".join(parts)


def _snapshot_around(years: pd.Series, snaps: list[int]) -> tuple[pd.Series, pd.Series]:
    arr = np.asarray(snaps)
    y = years.to_numpy()
    le_i = np.clip(np.searchsorted(arr, y, side="right") - 1, 0, len(arr) - 1)
    ge_i = np.clip(np.searchsorted(arr, y, side="right"), 0, len(arr) - 1)  # strictly after: snapshots are 1 Oct
    return pd.Series(arr[le_i], index=years.index), pd.Series(arr[ge_i], index=years.index)


def year_targets(crosswalk: pd.DataFrame, to_year: int, pairs: pd.DataFrame) -> pd.DataFrame:
    """Codes at ``to_year`` of each (``code``, ``year``, ``present``) pair: a year-aware crosswalk.

    A code denotes a municipality *as it was in the data year*. Its units (converter ``merge_id``) are the
    code itself, the units holding the code at the last snapshot ≤ year, and the units holding it at the
    first snapshot after the year (snapshots are 1 October; data years end later) that do not appear
    as rows of their own in that data year (``present``: the set
    of codes with a row that year — a town still published separately had not merged yet). Each unit is
    then placed at its ``to_year`` code. One target: the value moves there; several: the value covers
    several ``to_year`` municipalities and cannot be split (see :data:`MISSING_REASONS`); none: unknown.

    Returns ``code, year, to_code`` (one row per target; pairs without target are absent).
    """
    years = sorted(int(y) for y in crosswalk["snapshot_year"].unique())
    if to_year not in years:
        msg = f"to_year must be a crosswalk snapshot year {years}, found {to_year!r}"
        raise InputError(msg)
    aliases = code_aliases()
    p = pairs[["code", "year"]].drop_duplicates().copy()
    p["cw_code"] = p["code"].map(lambda c: aliases.get(c, c))
    p["s_le"], p["s_ge"] = _snapshot_around(p["year"].astype(int), years)
    units = crosswalk[["snapshot_year", "muni_code", "merge_id"]].dropna()
    le = p.merge(units, left_on=["s_le", "cw_code"], right_on=["snapshot_year", "muni_code"])[
        ["code", "year", "merge_id"]]
    # the code's own unit may carry another code by the next snapshot (さいたま市 11244 → 11100 in 2003)
    later = units.rename(columns={"merge_id": "cw_code", "snapshot_year": "s_ge", "muni_code": "ge_code"})
    p = p.merge(later, on=["cw_code", "s_ge"], how="left")
    p["ge_code"] = p["ge_code"].fillna(p["cw_code"])
    ge = p.merge(units, left_on=["s_ge", "ge_code"], right_on=["snapshot_year", "muni_code"])[
        ["code", "year", "merge_id"]]
    present = pairs.loc[pairs["present"], ["code", "year"]].drop_duplicates()
    present = present.assign(merge_id=present["code"].map(lambda c: aliases.get(c, c)), _p=True)
    ge = ge.merge(present[["merge_id", "year", "_p"]], on=["merge_id", "year"], how="left")
    ge = ge[ge["_p"].isna() | (ge["merge_id"] == ge["code"].map(lambda c: aliases.get(c, c)))]
    own = p.assign(merge_id=p["cw_code"])[["code", "year", "merge_id"]]
    u = pd.concat([own, le, ge[["code", "year", "merge_id"]]], ignore_index=True).drop_duplicates()
    target = crosswalk.loc[crosswalk["snapshot_year"] == to_year].drop_duplicates("merge_id").set_index(
        "merge_id")["muni_code"]
    u["to_code"] = u["merge_id"].map(target)
    return u.dropna(subset=["to_code"])[["code", "year", "to_code"]].drop_duplicates().reset_index(drop=True)


def harmonize(
    df: pd.DataFrame,
    crosswalk: pd.DataFrame,
    *,
    to_year: int,
    value_cols: list[str],
    by: list[str] | tuple[str, ...] = ("year",),
    code_col: str = "muni_code",
    designated_city: str = "merge",
    min_count: int | None = None,
    on_unknown: str = "raise",
    note_col: str | None = "value_note",
    code_year: int | None = None,
) -> pd.DataFrame:
    """Convert a municipal panel to the boundaries of ``to_year`` by summing predecessors.

    Parameters
    ----------
    df
        One row per municipality (``code_col``, 5-digit) and ``by`` key (e.g. year, industry_key).
        Prefecture rows (PP000) must be removed first.
    crosswalk
        Tidy converter table (:func:`hokuriku.sources.muni_converter.load`).
    to_year
        Boundary snapshot (1980, 1985, …, 2020; 1 October of that year). Any snapshot works, also one
        before the data year (:func:`year_targets`): a value that covers several ``to_year``
        municipalities becomes NaN in each, counted as ``unsplittable``.
    value_cols
        Additive columns to sum (counts, money); NaN means suppressed/missing.
    designated_city
        ``"merge"``: wards are folded into their city (the published city row is used where
        present). ``"wards"``: ward rows are kept under their own codes, and the city row is the
        whole city (Σ of its wards and of any predecessor merged into it, e.g. 湯来町 → 広島市):
        ``area_level`` tells ward from city rows, so never sum both.
    min_count
        None (default): a merged value with any missing predecessor is NaN. An integer opts in to
        pandas' ``sum(min_count=...)``: the sum of the values present; such rows get ``is_partial``.
    on_unknown
        ``"raise"`` (default), ``"warn"`` or ``"drop"`` for codes the crosswalk cannot place.
    note_col
        Column with the source's ``value_note`` (reasons of missing cells), if present in ``df``.
    code_year
        The year whose codes ``df`` uses when it is not the data year (``DTA_cao_manu``: 2015 codes for
        every year). None: codes are those of the ``year`` column (or, without one, of any snapshot).

    Returns
    -------
    DataFrame
        ``code_col``, ``by``, each value column, ``<col>_n_missing`` (predecessor cells that were
        NaN) and its split by reason ``<col>_n_<reason>`` (:data:`MISSING_REASONS`),
        ``n_predecessors`` (source rows summed), ``is_partial`` (a ``min_count`` sum that left some
        missing predecessors out) and ``area_level``.
    """
    by = list(by)
    keep = [code_col, *by, *value_cols] + ([note_col] if note_col and note_col in df.columns else [])
    work = df[keep].copy()
    raw_codes = work[code_col].astype(object)
    uniq = raw_codes.drop_duplicates()
    work[code_col] = raw_codes.map(dict(zip(uniq, uniq.map(validate_code5), strict=True)))
    if (work[code_col].str.endswith("000")).any():
        msg = "harmonize() takes municipal rows only: drop prefecture rows (PP000) first"
        raise InputError(msg)
    work = _merge_wards(work, code_col, by, designated_city)
    notes = work[note_col] if note_col and note_col in work.columns else None
    for col in value_cols:
        work[f"_r_{col}"] = missing_reason(work[col], notes, col)
    codes = work[code_col].drop_duplicates()
    is_ward = work[code_col].map(dict(zip(codes, codes.map(area_level), strict=True))) == "ward"
    ward_codes = set(work.loc[is_ward, code_col])
    if code_year is None and "year" not in by:
        mapping = crosswalk_map(crosswalk, to_year)
        target = work[code_col].map(mapping).where(~is_ward, work[code_col])
        work = work.assign(_to=target, _n=1)
    else:
        year = work["year"].astype(int) if code_year is None else pd.Series(int(code_year), index=work.index)
        pairs = pd.DataFrame({"code": work[code_col], "year": year, "present": True}).drop_duplicates()
        targets = year_targets(crosswalk, to_year, pairs[~pairs["code"].isin(ward_codes)])
        targets["_n"] = targets.groupby(["code", "year"])["to_code"].transform("size")
        work = work.assign(_year=year).merge(targets.rename(columns={"code": code_col, "year": "_year",
                                                                     "to_code": "_to"}),
                                             on=[code_col, "_year"], how="left")
        ward_rows = work[code_col].isin(ward_codes) & work["_to"].isna()
        work.loc[ward_rows, "_to"] = work.loc[ward_rows, code_col]
        work["_n"] = work["_n"].fillna(1)
        work = work.drop(columns="_year")
    unknown = sorted(work.loc[work["_to"].isna(), code_col].unique())
    if unknown:
        msg = (f"{len(unknown)} municipal codes cannot be placed on the {to_year} boundaries (not in the "
               f"crosswalk, or created later from units the crosswalk does not list): {unknown[:20]}")
        if on_unknown == "raise":
            raise InputError(msg)
        if on_unknown == "warn":
            warnings.warn(msg, stacklevel=2)
    work = work.dropna(subset=["_to"])
    split = work["_n"] > 1
    for col in value_cols:
        work.loc[split, col] = np.nan
        work.loc[split, f"_r_{col}"] = "unsplittable"
    if designated_city == "wards":
        tos = work["_to"].drop_duplicates()
        city_of = dict(zip(tos, tos.map(ward_city), strict=True))
        wards = work[work["_to"].map(city_of).notna()]
        work = pd.concat([work, wards.assign(_to=wards["_to"].map(city_of))], ignore_index=True)
    work[code_col] = work["_to"]
    counts = {}
    for col in value_cols:
        for reason in MISSING_REASONS:
            counts[f"{col}_n_{reason}"] = (work[f"_r_{col}"] == reason).astype("int64")
    work = work.assign(**counts)
    grouped = work.groupby([code_col, *by], sort=True, dropna=False)
    size = grouped.size()
    out = size.rename("n_predecessors").to_frame()
    partial = pd.Series(False, index=out.index)
    reason_sums = grouped[list(counts)].sum()
    for col in value_cols:
        n_missing = (size - grouped[col].count()).astype("int64")
        total = grouped[col].sum(min_count=1 if min_count is None else min_count)
        if min_count is None:
            total = total.where(n_missing == 0)
        else:
            partial |= (n_missing > 0) & total.notna()
        out[col] = total
        out[f"{col}_n_missing"] = n_missing
        for reason in MISSING_REASONS:
            out[f"{col}_n_{reason}"] = reason_sums[f"{col}_n_{reason}"].astype("int64")
    out["is_partial"] = partial
    out = out.reset_index()
    levels = out[code_col].drop_duplicates()
    out["area_level"] = out[code_col].map(dict(zip(levels, levels.map(area_level), strict=True)))
    return out
