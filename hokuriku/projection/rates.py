"""Rate arrays of the cohort-component engine and their checks (shapes, ranges, named cells).

Shapes and definitions are in :mod:`hokuriku.projection.cohort_component`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from hokuriku.errors import InputError
from hokuriku.projection.ages import SEXES, STEP_YEARS, AgeGroups

TFR_RANGE = (0.0, 5.0)
"""Plausible total fertility rates; outside this a value is taken for a unit or typing error."""


@dataclass(frozen=True)
class Rates:
    """Rate arrays for the engine (see module docstring for shapes and definitions).

    ``separable`` is False when ``survival`` and ``migration`` are not separately known (a
    calibrated net cohort change ratio stored as ``survival=CCR, migration=0``): scenarios that
    need the split (zero migration, migration × k) then refuse to run.
    """

    survival: np.ndarray
    migration: np.ndarray
    sex_ratio: np.ndarray
    cwr: np.ndarray | None = None
    asfr: np.ndarray | None = None
    birth_ccr: np.ndarray | None = None
    extra: np.ndarray | None = None
    separable: bool = True
    notes: tuple[str, ...] = field(default=())

    def replace(self, **changes) -> Rates:
        return replace(self, **changes)


def _as_nd(x, ndim: int, name: str) -> np.ndarray:
    arr = np.asarray(x, dtype=float)
    if arr.ndim > ndim:
        msg = f"{name} has {arr.ndim} dimensions; expected at most {ndim}"
        raise InputError(msg)
    return arr if arr.ndim == ndim else arr.reshape((1,) * (ndim - arr.ndim) + arr.shape)


def _where(arr: np.ndarray, mask: np.ndarray, areas, ages: AgeGroups | None) -> str:
    idx = np.argwhere(mask)[0]
    parts = [f"scenario {idx[0]}", f"step {idx[1]}"]
    if len(idx) > 2:
        parts.append(f"area {areas[idx[2]] if arr.shape[2] > 1 else '(all)'}")
    if ages is not None and len(idx) == 5:
        parts += [f"sex {SEXES[idx[3]] if arr.shape[3] > 1 else '(both)'}",
                  f"age group {ages.labels[idx[4]] if arr.shape[4] > 1 else '(all)'}"]
    return ", ".join(parts) + f": {arr[tuple(idx)].item()!r}"


def check_rates(rates: Rates, *, areas: tuple[str, ...], ages: AgeGroups) -> Rates:
    """Normalise shapes and refuse impossible rates with a message naming the offending cell."""
    n_area, n_age = len(areas), len(ages)
    full = {"survival": rates.survival, "migration": rates.migration, "extra": rates.extra}
    per_area = {"sex_ratio": rates.sex_ratio, "cwr": rates.cwr}
    out = {}
    for name, x in full.items():
        if x is None:
            out[name] = None
            continue
        arr = _as_nd(x, 5, name)
        if arr.shape[2] not in (1, n_area) or arr.shape[3] not in (1, 2) or arr.shape[4] not in (1, n_age):
            msg = f"{name} has shape {arr.shape}; expected (scenario, step, {n_area} areas, 2 sexes, {n_age} ages)"
            raise InputError(msg)
        out[name] = arr
    for name, x in per_area.items():
        arr = None if x is None else _as_nd(x, 3, name)
        if arr is not None and arr.shape[2] not in (1, n_area):
            msg = f"{name} has shape {arr.shape}; expected (scenario, step, {n_area} areas)"
            raise InputError(msg)
        out[name] = arr
    for name in ("asfr", "birth_ccr"):
        x = getattr(rates, name)
        out[name] = None if x is None else _as_nd(x, 4, name)
    upper = 1.0 if rates.separable else np.inf  # a calibrated net CCR (separable=False) may exceed 1
    checks = [("survival", lambda a: ~((a >= 0) & (a <= upper)), f"a survival probability within [0, {upper}]"),
              ("migration", lambda a: ~np.isfinite(a), "a finite net migration rate"),
              ("extra", lambda a: ~np.isfinite(a), "finite extra migrant counts"),
              ("sex_ratio", lambda a: ~(a > 0) | ~np.isfinite(a), "a positive, finite 0–4 sex ratio"),
              ("cwr", lambda a: ~(a >= 0) | ~np.isfinite(a), "a child–woman ratio ≥ 0"),
              ("asfr", lambda a: ~(a >= 0) | ~np.isfinite(a), "age-specific fertility rates ≥ 0"),
              ("birth_ccr", lambda a: ~(a >= 0) | ~np.isfinite(a), "a birth-to-0–4 ratio ≥ 0")]
    for name, bad_of, expected in checks:
        arr = out[name]
        if arr is not None and (bad := bad_of(arr)).any():
            msg = f"{name}: expected {expected}; {_where(arr, bad, areas, ages)}"
            raise InputError(msg)
    ccr = out["survival"] + out["migration"]
    if (bad := ccr < 0).any():
        msg = ("net out-migration larger than the survivors (survival + migration < 0) at "
               f"{_where(ccr, bad, areas, ages)}")
        raise InputError(msg)
    if (out["cwr"] is None) == (out["asfr"] is None):
        msg = "give exactly one fertility input: cwr (child–woman ratio) or asfr (age-specific rates)"
        raise InputError(msg)
    if out["asfr"] is not None:
        n_fert = ages.fertile().stop - ages.fertile().start
        if out["asfr"].shape[-1] != n_fert or out["birth_ccr"] is None:
            msg = f"asfr needs {n_fert} age groups (15-19 … 45-49) on its last axis and a birth_ccr array"
            raise InputError(msg)
        tfr = STEP_YEARS * out["asfr"].sum(-1)
        if (bad := (tfr < TFR_RANGE[0]) | (tfr > TFR_RANGE[1])).any():
            msg = f"asfr implies a TFR outside {TFR_RANGE}: {_where(tfr, bad, areas, None)}"
            raise InputError(msg)
    return replace(rates, **out)
