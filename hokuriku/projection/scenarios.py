"""Named what-if scenarios: small frozen specs that transform the rate arrays of a base case.

Each spec has a ``name`` and ``apply(rates, ctx) -> Rates``; :class:`Combined` chains several.
:func:`run_scenarios` applies every spec to the same base rates and runs them through
:func:`~hokuriku.projection.cohort_component.project` **in one vectorised call** (scenario axis).

========================  ===================================================================
spec                      effect on the rates
========================  ===================================================================
``Base``                  none: the official (calibrated) base case
``ZeroMigration``         net migration rates set to 0 (社人研's 封鎖人口 / 移動均衡 variant)
``MigrationScale(k)``     net migration rates × k (never below −survival: nobody leaves twice)
``FertilityTarget``       CWR (or ASFR) × TFR(t)/TFR(base), TFR rising linearly to a target
``PlantJobs``             extra in-movers: jobs × in-mover share × family size, by a profile
========================  ===================================================================

Zero migration and migration × k need survival and migration separately (``Rates.separable``):
on a calibrated net cohort change ratio without a survival schedule they raise
:class:`InputError` instead of returning a number that would mean something else.

The in-mover age profile (:class:`MoverProfile`) is a **modelling assumption**, not a statistic:
workers uniform over 20–44, a spouse of the other sex in the same ages when the family has two
adults or more, the remaining family members children uniform over 0–14, split by the area's own
0–4 sex ratio. Change it per scenario; it is logged in docs/assumptions_caveats.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from hokuriku.errors import InputError
from hokuriku.projection.ages import FEMALE, MALE, STEP_YEARS, AgeGroups, area_vector
from hokuriku.projection.cohort_component import TFR_RANGE, Projection, Rates, check_rates, project


@dataclass(frozen=True)
class Context:
    """What a scenario needs to know about the run it is applied to."""

    areas: tuple[str, ...]
    ages: AgeGroups
    base_year: int
    steps: int

    def step_years(self) -> np.ndarray:
        """End year of each step."""
        return self.base_year + STEP_YEARS * np.arange(1, self.steps + 1)


def _needs_split(rates: Rates, name: str) -> None:
    if not rates.separable:
        msg = (f"scenario {name!r} needs survival and migration separately, but these rates are a net cohort "
               "change ratio: calibrate with a survival schedule (e.g. closed_population_survival of national CCRs)")
        raise InputError(msg)


@dataclass(frozen=True)
class Base:
    """The base case unchanged."""

    name: str = "base"

    def apply(self, rates: Rates, ctx: Context) -> Rates:
        return rates


@dataclass(frozen=True)
class ZeroMigration:
    """Net migration 0 in every area, sex and age (extra migrants from earlier specs are kept)."""

    name: str = "zero_migration"

    def apply(self, rates: Rates, ctx: Context) -> Rates:
        _needs_split(rates, self.name)
        return rates.replace(migration=np.zeros((1, 1, 1, 1, 1)))


@dataclass(frozen=True)
class MigrationScale:
    """Net migration rates × ``k`` (k ≥ 0); a net outflow is capped at the survivors."""

    k: float
    name: str = ""

    def __post_init__(self) -> None:
        if not (np.isfinite(self.k) and self.k >= 0):
            msg = f"MigrationScale: k must be a finite number ≥ 0; got {self.k}"
            raise InputError(msg)
        if not self.name:
            object.__setattr__(self, "name", f"migration_x{self.k:g}")

    def apply(self, rates: Rates, ctx: Context) -> Rates:
        _needs_split(rates, self.name)
        return rates.replace(migration=np.maximum(np.asarray(rates.migration) * self.k, -np.asarray(rates.survival)))


@dataclass(frozen=True)
class FertilityTarget:
    """TFR rising (or falling) linearly from ``base_tfr`` in the base year to ``target_tfr`` by ``by_year``.

    ``base_tfr`` is per area (scalar, mapping or Series; e.g. SSDSE-B 合計特殊出生率 of the area's
    prefecture). The CWR, or ASFR, of each step is scaled by TFR(mid-step) / TFR(base): this keeps the
    age pattern of fertility and assumes CWR ∝ TFR, the usual first-order approximation.
    """

    target_tfr: float
    by_year: int
    base_tfr: object
    name: str = ""

    def __post_init__(self) -> None:
        if not TFR_RANGE[0] <= self.target_tfr <= TFR_RANGE[1]:
            msg = f"FertilityTarget: target TFR {self.target_tfr} is outside {TFR_RANGE}"
            raise InputError(msg)
        if not self.name:
            object.__setattr__(self, "name", f"tfr_{self.target_tfr:g}_by_{self.by_year}")

    def apply(self, rates: Rates, ctx: Context) -> Rates:
        base = area_vector(self.base_tfr, ctx.areas, name="base_tfr", value="tfr")
        if not ((base > TFR_RANGE[0]) & (base <= TFR_RANGE[1])).all():
            bad = ctx.areas[int(np.argmax(~((base > TFR_RANGE[0]) & (base <= TFR_RANGE[1]))))]
            msg = f"FertilityTarget: base TFR of area {bad} is outside {TFR_RANGE}"
            raise InputError(msg)
        if self.by_year <= ctx.base_year:
            msg = f"FertilityTarget: by_year {self.by_year} must be after the base year {ctx.base_year}"
            raise InputError(msg)
        mid = ctx.step_years() - STEP_YEARS / 2
        progress = np.clip((mid - ctx.base_year) / (self.by_year - ctx.base_year), 0, 1)
        tfr = base[None, :] + (self.target_tfr - base[None, :]) * progress[:, None]  # (step, area)
        factor = tfr / base[None, :]
        if rates.cwr is not None:
            return rates.replace(cwr=np.asarray(rates.cwr) * factor[None])
        return rates.replace(asfr=np.asarray(rates.asfr) * factor[None, :, :, None])


@dataclass(frozen=True)
class MoverProfile:
    """Age/sex profile of in-movers per job filled from outside (a modelling assumption)."""

    worker_ages: tuple[int, int] = (20, 44)
    worker_male_share: float = 0.5
    child_ages: tuple[int, int] = (0, 14)

    def persons(self, family_size: float, boy_share: float, ages: AgeGroups) -> np.ndarray:
        """Persons (2, age) arriving with one in-moving worker and family."""
        if not 0 <= self.worker_male_share <= 1:
            msg = f"MoverProfile: worker_male_share must be within [0, 1]; got {self.worker_male_share}"
            raise InputError(msg)
        out = np.zeros((2, len(ages)))
        w, c = ages.index(*self.worker_ages), ages.index(*self.child_ages)
        spouse = min(max(family_size - 1, 0), 1)
        children = max(family_size - 2, 0)
        m = self.worker_male_share
        out[MALE, w] += (m + spouse * (1 - m)) / (w.stop - w.start)
        out[FEMALE, w] += ((1 - m) + spouse * m) / (w.stop - w.start)
        out[MALE, c] += children * boy_share / (c.stop - c.start)
        out[FEMALE, c] += children * (1 - boy_share) / (c.stop - c.start)
        return out


@dataclass(frozen=True)
class PlantJobs:
    """A plant in ``area_code`` adds ``jobs`` in ``year``; ``in_mover_share`` of them move in with families.

    In-movers = jobs × in_mover_share × family_size persons, added at the end of the step that
    contains ``year`` (ages at the end of that step); afterwards they follow the area's rates.
    """

    area_code: str
    jobs: float
    year: int
    in_mover_share: float
    family_size: float
    profile: MoverProfile = field(default_factory=MoverProfile)
    name: str = ""

    def __post_init__(self) -> None:
        if self.jobs < 0 or not 0 <= self.in_mover_share <= 1 or self.family_size < 1:
            msg = (f"PlantJobs: need jobs ≥ 0, in_mover_share within [0, 1] and family_size ≥ 1; got "
                   f"{self.jobs}, {self.in_mover_share}, {self.family_size}")
            raise InputError(msg)
        if not self.name:
            object.__setattr__(self, "name", f"plant_{self.area_code}_{self.jobs:g}jobs_{self.year}")

    def apply(self, rates: Rates, ctx: Context) -> Rates:
        if str(self.area_code) not in ctx.areas:
            msg = f"PlantJobs: area {self.area_code} is not in the projection's areas"
            raise InputError(msg)
        ends = ctx.step_years()
        if not ends[0] - STEP_YEARS < self.year <= ends[-1]:
            msg = f"PlantJobs: year {self.year} is outside the projection ({ends[0] - STEP_YEARS}, {ends[-1]}]"
            raise InputError(msg)
        step = int(np.searchsorted(ends, self.year))
        i = ctx.areas.index(str(self.area_code))
        sr = np.asarray(rates.sex_ratio, dtype=float)
        sr = sr.reshape((1,) * (3 - sr.ndim) + sr.shape)[0, 0, i if sr.shape[-1] > 1 else 0]
        add = np.zeros((1, ctx.steps, len(ctx.areas), 2, len(ctx.ages)))
        workers = self.jobs * self.in_mover_share
        add[0, step, i] = workers * self.profile.persons(self.family_size, sr / (1 + sr), ctx.ages)
        extra = add if rates.extra is None else np.asarray(rates.extra) + add
        return rates.replace(extra=extra)


@dataclass(frozen=True)
class Combined:
    """Apply several specs in order under one name (e.g. zero migration + a plant)."""

    parts: tuple
    name: str = ""

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", "+".join(p.name for p in self.parts))

    def apply(self, rates: Rates, ctx: Context) -> Rates:
        for part in self.parts:
            rates = part.apply(rates, ctx)
        return rates


_FIELDS = ("survival", "migration", "sex_ratio", "cwr", "asfr", "birth_ccr", "extra")


def _stack(arrays: list) -> np.ndarray | None:
    present = [a for a in arrays if a is not None]
    if not present:
        return None
    if all(a is present[0] for a in arrays):
        return present[0]
    shape = np.broadcast_shapes(*(a.shape[1:] for a in present))
    return np.concatenate([np.zeros((1, *shape)) if a is None else np.broadcast_to(a, (a.shape[0], *shape))
                           for a in arrays])


def run_scenarios(model, scenarios, *, control=None, components: bool = True) -> Projection:
    """Apply each scenario to ``model.rates`` and project them all at once.

    ``model`` is a :class:`~hokuriku.projection.calibrate.Calibration` or anything with ``base,
    rates, areas, ages, base_year, steps``. Scenario names must be unique.
    """
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        msg = f"scenario names must be unique; got {names}"
        raise InputError(msg)
    ctx = Context(tuple(model.areas), model.ages, model.base_year, model.steps)
    base_rates = check_rates(model.rates, areas=ctx.areas, ages=ctx.ages)
    if max(x.shape[0] for x in (base_rates.survival, base_rates.migration) if x is not None) > 1:
        msg = "run_scenarios needs base rates without a scenario axis"
        raise InputError(msg)
    applied = [check_rates(s.apply(base_rates, ctx), areas=ctx.areas, ages=ctx.ages) for s in scenarios]
    kinds = {r.cwr is None for r in applied}
    if len(kinds) > 1:
        msg = "all scenarios must use the same fertility input (cwr or asfr)"
        raise InputError(msg)
    stacked = {f: _stack([getattr(r, f) for r in applied]) for f in _FIELDS}
    rates = Rates(**stacked, separable=all(r.separable for r in applied))
    return project(model.base, rates, steps=ctx.steps, base_year=ctx.base_year, areas=ctx.areas, ages=ctx.ages,
                   scenarios=names, control=control, components=components)


__all__ = ["Base", "Combined", "Context", "FertilityTarget", "MigrationScale", "MoverProfile", "PlantJobs",
           "ZeroMigration", "run_scenarios"]
