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
    level = df[code_col].map(area_level)
    df = df.loc[level != "aggregate"].copy()
    level = level.loc[df.index]
    city = df[code_col].map(ward_city)
    has_ward = set(zip(*[df.loc[level == "ward", c] for c in by], city[level == "ward"], strict=True))
    key = list(zip(*[df[c] for c in by], df[code_col], strict=True))
    if designated_city == "merge":
        city_rows = set(zip(*[df.loc[level == "designated_city", c] for c in by],
                            df.loc[level == "designated_city", code_col], strict=True))
        ward_key = list(zip(*[df[c] for c in by], city.fillna(""), strict=True))
        drop = (level == "ward") & pd.Series([k in city_rows for k in ward_key], index=df.index)
        df = df.loc[~drop]
        df.loc[level.loc[df.index] == "ward", code_col] = city.loc[df.index]
        return df
    if designated_city == "wards":
        drop = (level == "designated_city") & pd.Series([k in has_ward for k in key], index=df.index)
        return df.loc[~drop]
    msg = f"designated_city must be 'merge' or 'wards', found {designated_city!r}"
    raise InputError(msg)


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
        Boundary snapshot (1980, 1985, …, 2020; 1 October of that year).
    value_cols
        Additive columns to sum (counts, money); NaN means suppressed/missing.
    designated_city
        ``"merge"``: wards are folded into their city (the published city row is used where
        present). ``"wards"``: ward rows are kept under their own codes and the city row is
        dropped where wards exist; wards are not in the converter and pass through unchanged.
    min_count
        None (default): a merged value with any missing predecessor is NaN. An integer opts in to
        pandas' ``sum(min_count=...)``: the sum of the values present; such rows get ``is_partial``.
    on_unknown
        ``"raise"`` (default), ``"warn"`` or ``"drop"`` for codes the crosswalk cannot place.

    Returns
    -------
    DataFrame
        ``code_col``, ``by``, each value column, ``<col>_n_missing`` (predecessor cells that were
        NaN: 秘匿 X, blank, or no industry split), ``n_predecessors`` (source rows summed) and
        ``is_partial`` (a ``min_count`` sum that left some missing predecessors out).
    """
    by = list(by)
    work = df[[code_col, *by, *value_cols]].copy()
    work[code_col] = work[code_col].map(validate_code5)
    if (work[code_col].str.endswith("000")).any():
        msg = "harmonize() takes municipal rows only: drop prefecture rows (PP000) first"
        raise InputError(msg)
    work = _merge_wards(work, code_col, by, designated_city)
    mapping = crosswalk_map(crosswalk, to_year)
    is_ward = work[code_col].map(area_level) == "ward"
    target = work[code_col].map(mapping)
    target = target.where(~is_ward, work[code_col])
    unknown = sorted(work.loc[target.isna(), code_col].unique())
    if unknown:
        msg = (f"{len(unknown)} municipal codes cannot be placed on the {to_year} boundaries (not in the "
               f"crosswalk, or split/created later): {unknown[:20]}")
        if on_unknown == "raise":
            raise InputError(msg)
        if on_unknown == "warn":
            warnings.warn(msg, stacklevel=2)
    work = work.assign(**{code_col: target}).dropna(subset=[code_col])
    grouped = work.groupby([code_col, *by], sort=True, dropna=False)
    size = grouped.size()
    out = size.rename("n_predecessors").to_frame()
    partial = pd.Series(False, index=out.index)
    for col in value_cols:
        n_missing = (size - grouped[col].count()).astype("int64")
        total = grouped[col].sum(min_count=1 if min_count is None else min_count)
        if min_count is None:
            total = total.where(n_missing == 0)
        else:
            partial |= (n_missing > 0) & total.notna()
        out[col] = total
        out[f"{col}_n_missing"] = n_missing
    out["is_partial"] = partial
    return out.reset_index()
