"""Manufacturing industries (日本標準産業分類 JSIC, 大分類E 製造業, 中分類) across revisions.

Canonical keys
--------------
``hokuriku/codes/data/jsic_industries.csv`` lists one ``industry_key`` per class: the 24 中分類 of
JSIC Rev.12 (第12回改定, 2007) and Rev.13 (第13回改定, 2013), which share codes 09–32 and names, plus
the classes that exist only in older revisions (Rev.10 1993: 一般機械, 精密機械, 武器, 出版・印刷, and a
broader 電気機械; Rev.11 2002: 繊維工業 and 衣服 separately) and ``total`` (製造業計).

Published names are mapped to keys only through ``jsic_names.csv`` (by revision and *name*, never
by code: codes were renumbered in 2002 and 2007), with OWID ``map_series`` behaviour: an unmapped
name raises (or warns), and mappings a dataset never used can be listed.

Panel groups
------------
Classes are not comparable across revisions one to one. ``panel_group`` is the coarsest grouping
that is (approximately) stable over Rev.10–13, for long panels:

- ``textiles_apparel`` = 繊維工業 (Rev.12+) = 繊維工業 + 衣服・その他の繊維製品 (Rev.10/11);
- ``machinery`` = はん用 + 生産用 + 業務用 (Rev.12+) ≈ 一般機械 + 精密機械 (+ 武器, Rev.10);
- ``electrical_electronics`` = 電気機械 + 情報通信機械 + 電子部品・デバイス (Rev.11+) = 電気機械 (Rev.10);
- ``printing``: Rev.10 出版・印刷 includes publishing, which left manufacturing in Rev.11 (break).

Small reassignments of 小分類 between groups at each revision are not corrected.
"""

from __future__ import annotations

import unicodedata
import warnings
from functools import lru_cache

import pandas as pd

from hokuriku import paths
from hokuriku.errors import InputError

REVISIONS: tuple[str, ...] = ("10", "11", "12", "13")
"""JSIC revisions handled: 第10回 (1993), 第11回 (2002), 第12回 (2007), 第13回 (2013) 改定."""

TOTAL_KEY = "total"


def normalize_name(name: object) -> str:
    """Matching form of a published name: NFKC, no spaces (full-width or ASCII)."""
    return unicodedata.normalize("NFKC", str(name)).replace(" ", "").replace("\u3000", "").strip()


@lru_cache(maxsize=1)
def industries() -> pd.DataFrame:
    """Canonical industries: key, Rev.12/13 code, name_ja, short_label, panel_group, sort_order."""
    df = pd.read_csv(paths.CODES_DATA / "jsic_industries.csv", dtype=str, comment="#", keep_default_na=False)
    df["sort_order"] = df["sort_order"].astype(int)
    if df["industry_key"].duplicated().any():
        msg = "jsic_industries.csv: industry_key must be unique"
        raise AssertionError(msg)
    return df


@lru_cache(maxsize=1)
def name_map() -> pd.DataFrame:
    """Every published name per revision → industry_key (``jsic_names.csv``), with ``name_norm``."""
    df = pd.read_csv(paths.CODES_DATA / "jsic_names.csv", dtype=str, comment="#", keep_default_na=False)
    df["name_norm"] = df["name_published"].map(normalize_name)
    unknown = set(df["industry_key"]) - set(industries()["industry_key"])
    if unknown or df.duplicated(["jsic_revision", "name_norm"]).any():
        msg = f"jsic_names.csv: keys not in jsic_industries.csv {sorted(unknown)} or duplicate names"
        raise AssertionError(msg)
    return df


def rev13_keys() -> list[str]:
    """The 24 中分類 keys of JSIC Rev.12/13, in code order (09–32)."""
    df = industries()
    return df.loc[df["jsic_rev13_code"] != "", "industry_key"].tolist()


def name_ja(key: str) -> str:
    """Official Japanese name of a key (``chemicals`` → ``化学工業``)."""
    return _attr(key, "name_ja")


def short_label(key: str) -> str:
    """Short chart label of a key (``production_machinery`` → ``生産用機械器具``)."""
    return _attr(key, "short_label")


def rev13_code(key: str) -> str:
    """JSIC Rev.12/13 中分類 code of a key (``chemicals`` → ``"16"``); empty for older classes."""
    return _attr(key, "jsic_rev13_code")


def panel_group(key: str) -> str:
    """Revision-stable group of a key (``electronic_parts`` → ``electrical_electronics``)."""
    return _attr(key, "panel_group")


@lru_cache(maxsize=1)
def _records() -> dict[str, dict[str, str]]:
    return {r["industry_key"]: r for r in industries().astype(str).to_dict("records")}


def _attr(key: str, column: str) -> str:
    records = _records()
    if key not in records:
        msg = f"Unknown industry_key {key!r}; known: {list(records)}"
        raise InputError(msg)
    return records[key][column]


def key_of_rev13_code(code: object) -> str:
    """Key of a JSIC Rev.12/13 中分類 code (``"16"`` → ``chemicals``); for current tables only."""
    text = str(code).strip().zfill(2)
    by_code = {r["jsic_rev13_code"]: k for k, r in _records().items() if r["jsic_rev13_code"]}
    if text not in by_code:
        msg = f"Unknown JSIC Rev.12/13 中分類 code {code!r}: expected 09–32"
        raise InputError(msg)
    return by_code[text]


def map_names(
    names: pd.Series,
    revision: str | pd.Series,
    *,
    on_unmapped: str = "raise",
    warn_on_unused: bool = False,
    context: str = "",
) -> pd.Series:
    """Map published 中分類 names to ``industry_key`` via ``jsic_names.csv``.

    Parameters
    ----------
    names
        Names as published (any width of brackets/commas; spaces ignored).
    revision
        JSIC revision (``"10"``–``"13"``) of all names, or a Series aligned with ``names``.
    on_unmapped
        ``"raise"`` (:class:`InputError` listing the names) or ``"warn"`` (leave NaN).
    warn_on_unused
        Warn listing the mappings of these revisions that ``names`` never used.
    context
        Text naming the file/year, put into messages.
    """
    rev = revision if isinstance(revision, pd.Series) else pd.Series(str(revision), index=names.index)
    table = name_map().set_index(["jsic_revision", "name_norm"])["industry_key"]
    norm = _normalized(names)
    index = pd.MultiIndex.from_arrays([rev.astype(str), norm])
    keys = pd.Series(table.reindex(index).to_numpy(), index=names.index, name="industry_key")
    if keys.isna().any():
        bad = sorted(set(zip(rev[keys.isna()], names[keys.isna()], strict=True)))
        msg = f"{context}: {len(bad)} industry names not in hokuriku/codes/data/jsic_names.csv: {bad[:10]}"
        if on_unmapped == "raise":
            raise InputError(msg)
        warnings.warn(msg, stacklevel=2)
    if warn_on_unused:
        unused = unused_mappings(names, rev)
        if unused:
            warnings.warn(f"{context}: mappings not used: {unused}", stacklevel=2)
    return keys


def _normalized(names: pd.Series) -> pd.Series:
    """``names.map(normalize_name)``, normalising each distinct name once (237k rows, ≈100 names)."""
    uniques = pd.unique(names)
    return names.map(dict(zip(uniques, map(normalize_name, uniques), strict=True)))


def unused_mappings(names: pd.Series, revision: str | pd.Series) -> list[tuple[str, str]]:
    """(revision, name) mappings of the revisions present that ``names`` never used."""
    rev = revision if isinstance(revision, pd.Series) else pd.Series(str(revision), index=names.index)
    used = set(zip(rev.astype(str), _normalized(names), strict=True))
    table = name_map()
    table = table[table["jsic_revision"].isin(set(rev.astype(str)))]
    return [(r, n) for r, n, nn in zip(table["jsic_revision"], table["name_published"], table["name_norm"], strict=True)
            if (r, nn) not in used]
