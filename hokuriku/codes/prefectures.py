"""Prefectures (JIS X 0401) and named regions.

A region is always a parameter: :func:`region` accepts a registered name (``"HOKURIKU3"``,
``"北陸3県"``, ``"北陸4県"``, a 経済産業局 such as ``"中部経済産業局"``, an ESRI 地域ブロック such
as ``"ESRI:近畿"``), a single prefecture (``"16"``, ``"富山県"``, ``"富山"``, ``"Toyama"``), or a
list of any of those, and returns a :class:`Region` with sorted two-digit codes.

Definitions and who uses them:

- ``HOKURIKU3`` 北陸3県 = 富山・石川・福井 (16, 17, 18): the 北陸地域未来戦略検討会 and the seed
  deck's 「北陸地域の経済指標（総括）」 (中部経済産業局 電力・ガス事業北陸支局).
- ``HOKURIKU4`` 北陸4県 = 新潟・富山・石川・福井 (15–18): 北陸地方整備局 / 北陸経済連合会 usage.
- 経済産業局 blocks: the jurisdiction of each METI regional bureau (``meti_bureau`` column).
- ESRI 地域ブロック: the seven blocks of 内閣府 県民経済計算 総括表 (note 新潟 is in 北海道・東北).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from hokuriku import paths
from hokuriku.errors import ParameterError

HOKURIKU3: tuple[str, ...] = ("16", "17", "18")
"""北陸3県 (富山・石川・福井): the seeds' definition of 北陸 and the default region."""

HOKURIKU4: tuple[str, ...] = ("15", "16", "17", "18")
"""北陸4県 (新潟 + 北陸3県): the wider definition used by some official bodies."""

DEFAULT_REGION = "HOKURIKU3"
NATIONAL_CODE = "00"
NATIONAL_NAME = "全国"


@dataclass(frozen=True)
class Region:
    """A named set of prefectures."""

    key: str
    name_ja: str
    pref_codes: tuple[str, ...]

    @property
    def slug(self) -> str:
        """ASCII folder name for reports (``hokuriku3``, ``chubu_meti``, ``p16`` …)."""
        return self.key.lower()

    @property
    def folder(self) -> str:
        """Report folder name: the region's Japanese name (``富山県``, ``北陸3県``, ``近畿経済産業局``), path-safe."""
        return re.sub(r'[\\/:*?"<>|\s]+', "_", unicodedata.normalize("NFKC", self.name_ja)).strip("._") or self.slug

    def __contains__(self, code: object) -> bool:
        return str(code).zfill(2) in self.pref_codes

    def __len__(self) -> int:
        return len(self.pref_codes)


@lru_cache(maxsize=1)
def table() -> pd.DataFrame:
    """The 47 prefectures with ja/en names, 経済産業局 and ESRI block."""
    df = pd.read_csv(paths.CODES_DATA / "prefectures.csv", dtype=str, comment="#")
    if len(df) != 47 or df["pref_code"].tolist() != [f"{i:02d}" for i in range(1, 48)]:
        msg = "hokuriku/codes/data/prefectures.csv must list codes 01..47 in order"
        raise AssertionError(msg)
    return df


def name_ja(code: str) -> str:
    """Official name (``富山県``); ``"00"`` → ``全国``."""
    code = str(code).zfill(2)
    if code == NATIONAL_CODE:
        return NATIONAL_NAME
    return _lookup()[code]["pref_name_ja"]


def short_name(code: str) -> str:
    """Short name as printed in tables (``富山``)."""
    code = str(code).zfill(2)
    if code == NATIONAL_CODE:
        return NATIONAL_NAME
    return _lookup()[code]["pref_name_short"]


@lru_cache(maxsize=1)
def _lookup() -> dict[str, dict[str, str]]:
    return {r["pref_code"]: r for r in table().to_dict("records")}


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    for r in table().to_dict("records"):
        for alias in (r["pref_code"], str(int(r["pref_code"])), r["pref_name_ja"], r["pref_name_short"],
                      r["pref_name_en"].lower(), r["pref_slug"], f"{r['pref_code']}000"):
            out[alias] = r["pref_code"]
    return out


def code_of(name_or_code: object) -> str:
    """Two-digit code of a prefecture given by code, Japanese name (full or short) or English name."""
    key = unicodedata.normalize("NFKC", str(name_or_code)).strip()
    found = _aliases().get(key) or _aliases().get(key.lower())
    if found is None:
        msg = f"Unknown prefecture {name_or_code!r}: expected a JIS X 0401 code 01–47 or a prefecture name"
        raise ParameterError(msg)
    return found


@lru_cache(maxsize=1)
def named_regions() -> dict[str, Region]:
    """Every registered region, by key."""
    df = table()
    regions = {
        "HOKURIKU3": Region("HOKURIKU3", "北陸3県", HOKURIKU3),
        "HOKURIKU4": Region("HOKURIKU4", "北陸4県", HOKURIKU4),
        "ALL": Region("ALL", "全国（47都道府県）", tuple(df["pref_code"])),
    }
    bureau_keys = {
        "北海道経済産業局": "HOKKAIDO_METI", "東北経済産業局": "TOHOKU_METI", "関東経済産業局": "KANTO_METI",
        "中部経済産業局": "CHUBU_METI", "近畿経済産業局": "KINKI_METI", "中国経済産業局": "CHUGOKU_METI",
        "四国経済産業局": "SHIKOKU_METI", "九州経済産業局": "KYUSHU_METI", "沖縄総合事務局経済産業部": "OKINAWA_METI",
    }
    for bureau, codes in df.groupby("meti_bureau", sort=False)["pref_code"]:
        key = bureau_keys[bureau]
        regions[key] = Region(key, bureau, tuple(sorted(codes)))
    esri_keys = {"北海道・東北": "ESRI_HOKKAIDO_TOHOKU", "関東": "ESRI_KANTO", "中部": "ESRI_CHUBU", "近畿": "ESRI_KINKI",
                 "中国": "ESRI_CHUGOKU", "四国": "ESRI_SHIKOKU", "九州": "ESRI_KYUSHU"}
    for block, codes in df.groupby("esri_block", sort=False)["pref_code"]:
        key = esri_keys[block]
        regions[key] = Region(key, f"{block}（県民経済計算ブロック）", tuple(sorted(codes)))
    return regions


def _region_aliases() -> dict[str, str]:
    out = {}
    for key, reg in named_regions().items():
        out[key.lower()] = key
        out[reg.name_ja] = key
    out["北陸"] = "HOKURIKU3"
    out["北陸三県"] = "HOKURIKU3"
    out["北陸四県"] = "HOKURIKU4"
    for block, key in (("北海道・東北", "ESRI_HOKKAIDO_TOHOKU"), ("関東", "ESRI_KANTO"), ("中部", "ESRI_CHUBU"),
                       ("近畿", "ESRI_KINKI"), ("中国", "ESRI_CHUGOKU"), ("四国", "ESRI_SHIKOKU"), ("九州", "ESRI_KYUSHU")):
        out[f"esri:{block}"] = key
    return out


def region(spec: object = DEFAULT_REGION) -> Region:
    """Resolve a region given by name, a single prefecture, or a list of prefectures.

    >>> region("北陸3県").pref_codes
    ('16', '17', '18')
    >>> region(["18", "富山"]).name_ja
    '富山・福井'
    """
    if isinstance(spec, Region):
        return spec
    if isinstance(spec, (list, tuple, set)):
        if not spec:
            msg = "A region needs at least one prefecture; got an empty list"
            raise ParameterError(msg)
        codes = tuple(sorted({code_of(s) for s in spec}))
        for reg in named_regions().values():
            if reg.pref_codes == codes:
                return reg
        if len(codes) == 1:
            return region(codes[0])
        return Region("P" + "_".join(codes), "・".join(short_name(c) for c in codes), codes)
    if not isinstance(spec, (str, int)):
        msg = f"region must be a name, a prefecture code or a list of them; got {type(spec).__name__}"
        raise ParameterError(msg)
    text = unicodedata.normalize("NFKC", str(spec)).strip()
    aliases = _region_aliases()
    key = aliases.get(text) or aliases.get(text.lower()) or (text.upper() if text.upper() in named_regions() else None)
    if key:
        return named_regions()[key]
    if "," in text:
        return region([t for t in text.split(",") if t.strip()])
    try:
        code = code_of(text)
    except ParameterError:
        msg = (
            f"Unknown region {spec!r}: expected one of {sorted(named_regions())}, a prefecture "
            "code/name, or a list of prefectures"
        )
        raise ParameterError(msg) from None
    return Region(f"P{code}", name_ja(code), (code,))
