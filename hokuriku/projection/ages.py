"""Age groups, sexes and the frame ↔ array conversion shared by the projection modules.

The engine works on 5-year age groups ``0-4, 5-9, …, 85-89`` plus an **open-ended last group**
(``90+`` by default) and on two sexes, ``male`` and ``female``. Tidy frames use the columns
``area_code, sex, age_group, population_persons``; labels are accepted in the forms the
publications print (``0～4歳``, ``90歳以上``, ``男``/``女``) and normalised here.

Groups must *chain*: each one starts where the previous one ended, all but the last are 5 years
wide, the first starts at 0 and the last is open. Anything else raises :class:`InputError`,
because a cohort model silently shifting people into the wrong group is worse than no answer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hokuriku.errors import InputError

STEP_YEARS = 5
"""Length of a projection step and width of an age group (years)."""

SEXES: tuple[str, str] = ("male", "female")
MALE, FEMALE = 0, 1
_SEX_ALIASES = {"male": "male", "m": "male", "男": "male", "男性": "male", "female": "female", "f": "female",
                "女": "female", "女性": "female"}
UNKNOWN_AGE_LABELS = frozenset({"unknown", "不詳", "年齢不詳", "age unknown"})

_RANGE = re.compile(r"^(\d+)\s*(?:-|～|〜|~|–)\s*(\d+)\s*歳?$")
_OPEN = re.compile(r"^(\d+)\s*(?:\+|歳以上|以上|-)$")


@dataclass(frozen=True)
class AgeGroups:
    """5-year groups from 0 with an open last group starting at ``open_age``."""

    open_age: int = 90

    def __post_init__(self) -> None:
        if self.open_age <= 0 or self.open_age % STEP_YEARS:
            msg = f"open_age must be a positive multiple of {STEP_YEARS}; got {self.open_age}"
            raise InputError(msg)

    @property
    def starts(self) -> np.ndarray:
        return np.arange(0, self.open_age + 1, STEP_YEARS)

    @property
    def labels(self) -> tuple[str, ...]:
        closed = tuple(f"{a}-{a + STEP_YEARS - 1}" for a in range(0, self.open_age, STEP_YEARS))
        return (*closed, f"{self.open_age}+")

    def __len__(self) -> int:
        return self.open_age // STEP_YEARS + 1

    def index(self, age_from: int, age_to: int | None) -> slice:
        """Slice of the groups covering ages ``age_from``…``age_to`` (inclusive; None = open)."""
        if age_from % STEP_YEARS or (age_to is not None and (age_to + 1) % STEP_YEARS):
            msg = f"age band {age_from}-{age_to} does not fall on 5-year group boundaries"
            raise InputError(msg)
        stop = len(self) if age_to is None or age_to >= self.open_age else (age_to + 1) // STEP_YEARS
        return slice(age_from // STEP_YEARS, stop)

    def fertile(self) -> slice:
        """Women 15–49: the denominator of the child–woman ratio and the ASFR ages."""
        return self.index(15, 49)


def norm_sex(value: object) -> str:
    """``"男"``, ``"M"``, ``"male"`` → ``"male"``; anything else raises :class:`InputError`."""
    key = unicodedata.normalize("NFKC", str(value)).strip().lower()
    try:
        return _SEX_ALIASES[key]
    except KeyError:
        msg = f"unknown sex label {value!r}: expected one of male/female, 男/女, M/F"
        raise InputError(msg) from None


def parse_age_label(label: object) -> tuple[int, int | None]:
    """``"5-9"``/``"5～9歳"`` → (5, 9); ``"90+"``/``"90歳以上"`` → (90, None)."""
    text = unicodedata.normalize("NFKC", str(label)).strip().replace(" ", "")
    if m := _RANGE.match(text):
        lo, hi = int(m.group(1)), int(m.group(2))
        if hi < lo:
            msg = f"age group {label!r} ends before it starts"
            raise InputError(msg)
        return lo, hi
    if m := _OPEN.match(text):
        return int(m.group(1)), None
    msg = f"unreadable age group {label!r}: expected 'a-b' (e.g. '5-9', '5～9歳') or 'a+' ('90+', '90歳以上')"
    raise InputError(msg)


def check_chain(labels) -> AgeGroups:
    """Check that ``labels`` (in any order) are 5-year groups 0-4 … that chain into an open group."""
    bands = sorted(((parse_age_label(lab), lab) for lab in dict.fromkeys(labels)),
                   key=lambda b: (b[0][0], b[0][1] is None))
    expected_start = 0
    for i, ((lo, hi), lab) in enumerate(bands):
        if lo != expected_start:
            prev = bands[i - 1][1] if i else "(start)"
            msg = f"age groups do not chain: {lab!r} follows {prev!r}; expected a group starting at {expected_start}"
            raise InputError(msg)
        if hi is None:
            if i != len(bands) - 1:
                msg = f"open age group {lab!r} is not the last group (found {bands[i + 1][1]!r} after it)"
                raise InputError(msg)
            return AgeGroups(open_age=lo)
        if hi - lo + 1 != STEP_YEARS:
            msg = f"age group {lab!r} is {hi - lo + 1} years wide; the engine needs 5-year groups"
            raise InputError(msg)
        expected_start = hi + 1
    msg = f"age groups end with {bands[-1][1]!r}: the last group must be open-ended (e.g. '90+')"
    raise InputError(msg)


def collapse_open(df: pd.DataFrame, open_age: int = 90, *, value: str = "population_persons") -> pd.DataFrame:
    """Sum every group starting at or above ``open_age`` (``95-99``, ``100+`` …) into ``f"{open_age}+"``."""
    lo = df["age_group"].map(lambda lab: parse_age_label(lab)[0])
    out = df.assign(age_group=df["age_group"].where(lo < open_age, f"{open_age}+"))
    keys = [c for c in out.columns if c != value]
    return out.groupby(keys, sort=False, as_index=False)[value].sum()


def prorate_unknown(df: pd.DataFrame, *, value: str = "population_persons") -> pd.DataFrame:
    """Distribute age-unknown counts (``不詳``) over the known ages of the same area and sex, pro rata.

    This is how 社人研 builds the base population from a census with 年齢不詳; the area × sex total
    is preserved exactly.
    """
    is_unknown = df["age_group"].astype(str).str.strip().str.lower().isin(UNKNOWN_AGE_LABELS)
    known, unknown = df[~is_unknown], df[is_unknown]
    if unknown.empty:
        return df.reset_index(drop=True)
    keys = ["area_code", "sex"]
    extra = unknown.groupby(keys)[value].sum()
    subtotal = known.groupby(keys)[value].transform("sum")
    add = known.set_index(keys).index.map(extra).to_numpy(dtype=float, na_value=0.0)
    share = np.divide(known[value].to_numpy(float), subtotal.to_numpy(float),
                      out=np.zeros(len(known)), where=subtotal.to_numpy(float) > 0)
    return known.assign(**{value: known[value].to_numpy(float) + add * share}).reset_index(drop=True)


def frame_to_array(df: pd.DataFrame, *, value: str = "population_persons", areas=None,
                   what: str = "base population") -> tuple[tuple[str, ...], AgeGroups, np.ndarray]:
    """Tidy ``area_code, sex, age_group, <value>`` → (areas, ages, array[area, sex, age]).

    Every area needs every sex × age cell exactly once, and values must be finite and ≥ 0.
    ``areas`` fixes the order (and requires those areas to be present).
    """
    need = {"area_code", "sex", "age_group", value}
    if missing := need - set(df.columns):
        msg = f"{what}: missing columns {sorted(missing)}; expected {sorted(need)}"
        raise InputError(msg)
    ages = check_chain(df["age_group"].unique())
    d = pd.DataFrame({"area_code": df["area_code"].astype(str), "sex": df["sex"].map(norm_sex),
                      "age": df["age_group"].map(lambda lab: parse_age_label(lab)[0] // STEP_YEARS),
                      "v": pd.to_numeric(df[value], errors="coerce").astype(float)})
    present = tuple(dict.fromkeys(d["area_code"]))
    if areas is None:
        areas = present
    else:
        areas = tuple(str(a) for a in areas)
        if missing_areas := sorted(set(areas) - set(present)):
            msg = f"{what}: areas missing: {missing_areas[:10]}{' …' if len(missing_areas) > 10 else ''}"
            raise InputError(msg)
        d = d[d["area_code"].isin(areas)]
    if d.duplicated(["area_code", "sex", "age"]).any():
        dup = d[d.duplicated(["area_code", "sex", "age"], keep=False)].iloc[0]
        msg = f"{what}: duplicate cell area {dup['area_code']}, sex {dup['sex']}, age group {ages.labels[dup['age']]}"
        raise InputError(msg)
    if not np.isfinite(d["v"]).all() or (d["v"] < 0).any():
        bad = d[~np.isfinite(d["v"]) | (d["v"] < 0)].iloc[0]
        msg = (f"{what}: {value} must be finite and ≥ 0; area {bad['area_code']}, sex {bad['sex']}, "
               f"age group {ages.labels[bad['age']]} has {bad['v']}")
        raise InputError(msg)
    a_idx = pd.Index(areas).get_indexer(d["area_code"])
    s_idx = d["sex"].map({s: i for i, s in enumerate(SEXES)}).to_numpy()
    arr = np.full((len(areas), 2, len(ages)), np.nan)
    arr[a_idx, s_idx, d["age"].to_numpy()] = d["v"].to_numpy()
    if np.isnan(arr).any():
        a, s, g = np.argwhere(np.isnan(arr))[0]
        msg = f"{what}: no value for area {areas[a]}, sex {SEXES[s]}, age group {ages.labels[g]}"
        raise InputError(msg)
    return areas, ages, arr


def area_vector(values, areas: tuple[str, ...], *, name: str, value: str | None = None) -> np.ndarray:
    """A per-area input given as a scalar, a mapping, a Series or a frame (``area_code`` + ``value``)."""
    if np.isscalar(values):
        return np.full(len(areas), float(values))
    if isinstance(values, pd.DataFrame):
        values = values.set_index(values["area_code"].astype(str))[value]
    series = pd.Series(values)
    series.index = series.index.astype(str)
    if missing := [a for a in areas if a not in series.index]:
        msg = f"{name}: no value for areas {missing[:10]}{' …' if len(missing) > 10 else ''}"
        raise InputError(msg)
    return series.reindex(list(areas)).to_numpy(dtype=float)
