r"""Cohort-component projection engine: survival, net migration, fertility; pure and vectorised.

The method is the one 国立社会保障・人口問題研究所 (社人研) uses for 日本の地域別将来推計人口: a
base population by sex and 5-year age group is moved forward in 5-year steps. For area *i*, sex
*s*, age group *a* and the step from *t* to *t*+5:

.. math::

    P_{i,s,a+1}(t+5) &= P_{i,s,a}(t)\,\bigl(S_{i,s,a} + M_{i,s,a}\bigr) + E_{i,s,a+1}
        \quad (a+1 < A) \\
    P_{i,s,A}(t+5) &= P_{i,s,A-1}(t)(S+M)_{A-1} + P_{i,s,A}(t)(S+M)_{A} + E_{i,s,A} \\
    P_{i,\cdot,0}(t+5) &= \mathrm{CWR}_i\,W_i(t+5), \quad
        \text{split by the 0–4 sex ratio } r_i:\ \tfrac{r_i}{1+r_i}\ \text{male}

- ``S``: probability of surviving from group *a* to *a*+1 over 5 years; for the open last group
  *A* (``90+`` by default) it is the share of the group still alive in it 5 years later.
- ``M``: **net migration rate per person at the start of the step** (5-year net migrants of the
  cohort / cohort at *t*). ``S + M`` is the net cohort change ratio (CCR); it must be ≥ 0. If your
  rates are 社人研-style rates per *survivor*, pass ``M = S * m``.
- ``E``: optional extra migrants (persons, by age at the end of the step), e.g. a new plant. In
  the step they arrive they do not enter ``W`` (their own 0–4 children are part of ``E``).
- Fertility, either the child–woman ratio ``CWR = P_0-4 / W_15-49`` applied to women 15–49 at
  *t*+5 (社人研's municipal method, so it is net of infant mortality and migration), or
  age-specific rates ``ASFR`` (per woman per year, ages 15–49) with births
  :math:`5\sum_a f_a (W_a(t)+W_a(t+5))/2` and a birth-to-0–4 ratio ``birth_ccr`` per sex.
- Optional control to a total (e.g. the national projection): after each step every area × sex ×
  age cell of a scenario is scaled by the same factor so the areas sum to the control.

Arrays are ``(scenario, step, area, sex, age)``; any axis may have length 1 and broadcasts, and
leading axes may be omitted (a ``(area, sex, age)`` array applies to every scenario and step).
Per-area inputs (CWR, sex ratio) are ``(scenario, step, area)``. All numbers come from the
caller: the engine holds no demographic constants.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np

from hokuriku.errors import InputError
from hokuriku.projection.ages import FEMALE, MALE, STEP_YEARS, AgeGroups
from hokuriku.projection.rates import TFR_RANGE, Rates, check_rates
from hokuriku.projection.result import Projection

__all__ = ["TFR_RANGE", "Projection", "Rates", "check_rates", "project"]

def _at(arr: np.ndarray | None, step: int) -> np.ndarray | None:
    """The slice of a (scenario, step, …) array for one step (length-1 step axes broadcast)."""
    if arr is None:
        return None
    return arr[:, 0] if arr.shape[1] == 1 else arr[:, step]


_RATE_FIELDS = ("survival", "migration", "sex_ratio", "cwr", "asfr", "birth_ccr", "extra")
BLOCK_CELLS = 250_000
"""Cells per block of work: small enough to stay in cache and reuse the same buffers, so that
large runs do not pay for fresh memory every step."""


def _slice(r: Rates, sl: slice, *, scenario_axis: bool) -> Rates:
    """The rates of a block of scenarios (axis 0) or areas (axis 2); length-1 axes broadcast."""
    ax = 0 if scenario_axis else 2
    cut = {}
    for f in _RATE_FIELDS:
        x = getattr(r, f)
        cut[f] = x if x is None or x.shape[ax] == 1 else (x[sl] if scenario_axis else x[:, :, sl])
    return replace(r, **cut)


@dataclass
class _Sink:
    """Where a block writes its results (full arrays for kept years, totals, age-3 sums, components)."""

    population: np.ndarray
    keep_pos: dict[int, int]
    totals: np.ndarray
    age3: np.ndarray
    comp: dict[str, np.ndarray]
    age3_slices: tuple[slice, ...]
    age3_cover_all: bool = True

    def record(self, k: int, arr: np.ndarray, sel) -> None:
        by_age = arr.sum(axis=2)  # one pass over the sexes; the age-3 sums and the total follow from it
        parts = [by_age[..., sl].sum(-1) for sl in self.age3_slices]
        for j, part in enumerate(parts):
            self.age3[(k, *sel, j)] = part
        self.totals[(k, *sel)] = sum(parts) if self.age3_cover_all else arr.sum(axis=(2, 3))
        if k in self.keep_pos:
            self.population[(self.keep_pos[k], *sel)] = arr


def _advance(base: np.ndarray, r: Rates, buf: np.ndarray, sink: _Sink, sel, steps: int, fert: slice,
             control, components: bool) -> None:
    """Run one block: ``buf`` is a (2, scenario, area, sex, age) scratch pair, ``sel`` its place in the output."""
    pop, new = buf[0], buf[1]
    pop[...] = base
    sink.record(0, pop, sel)
    fixed = r.survival.shape[1] == 1 and r.migration.shape[1] == 1
    n_age = pop.shape[-1]

    def full(x):  # give length-1 age axes their length, so age slices line up (a view, no copy)
        return None if x is None else np.broadcast_to(x, (*x.shape[:-1], n_age))

    ccr_fixed = full(_at(r.survival, 0) + _at(r.migration, 0)) if fixed else None
    for t in range(steps):
        s, m, e = _at(r.survival, t), _at(r.migration, t), full(_at(r.extra, t))
        ccr = ccr_fixed if fixed else full(s + m)
        np.multiply(pop[..., :-1], ccr[..., :-1], out=new[..., 1:])
        new[..., -1] += pop[..., -1] * ccr[..., -1]
        survivors = new[..., 1:].sum(axis=(2, 3)) if components and not r.separable else None  # Σ pop × CCR
        women = new[:, :, FEMALE, fert].sum(-1)  # before extra in-movers: their 0–4 come with them
        if r.cwr is not None:
            births = _at(r.cwr, t) * women
            by_sex = births[:, :, None] * np.ones(2)
        else:
            avg = (pop[:, :, FEMALE, fert] + new[:, :, FEMALE, fert]) / 2
            births = STEP_YEARS * (_at(r.asfr, t) * avg).sum(-1)
            by_sex = births[:, :, None] * _at(r.birth_ccr, t)
        sr = _at(r.sex_ratio, t)
        new[:, :, MALE, 0] = by_sex[..., MALE] * sr / (1 + sr)
        new[:, :, FEMALE, 0] = by_sex[..., FEMALE] / (1 + sr)
        if e is not None:
            new += e
        if components:
            start = sink.totals[(t, *sel)]  # recorded at the end of the previous step (= pop)
            extra = 0 if e is None else e.sum(axis=(2, 3))
            sink.comp["births"][(t, *sel)] = new[..., 0].sum(-1)
            if r.separable:
                sink.comp["deaths"][(t, *sel)] = start - (pop * s).sum(axis=(2, 3))
                sink.comp["net_migration"][(t, *sel)] = (pop * m).sum(axis=(2, 3)) + extra
            else:  # only the net cohort change is known: report it whole, deaths/migration unknown
                sink.comp["deaths"][(t, *sel)] = np.nan
                sink.comp["net_migration"][(t, *sel)] = np.nan
                sink.comp["cohort_change"][(t, *sel)] = survivors - start + extra
        if control is not None:
            before = new.sum(axis=(1, 2, 3))
            factor = np.divide(control[t], before, out=np.ones_like(before), where=before > 0)
            new *= factor[:, None, None, None]
            if components:
                after = new.sum(axis=(2, 3))
                sink.comp["control"][(t, *sel)] = after - after / factor[:, None]
        sink.record(t + 1, new, sel)
        pop, new = new, pop


def project(base: np.ndarray, rates: Rates, *, steps: int, base_year: int, areas, ages: AgeGroups | None = None,
            scenarios=None, control=None, components: bool = True, keep_years=None,
            threads: int | None = None) -> Projection:
    """Project ``base[area, sex, age]`` forward ``steps`` 5-year steps for every scenario at once.

    Parameters
    ----------
    base
        Base population in persons, shape (area, 2, age).
    rates
        :class:`Rates`; its scenario axis (if longer than 1) sets the number of scenarios.
    steps, base_year
        Number of 5-year steps and the year of ``base`` (e.g. 2020 for the 2020 census).
    areas, ages, scenarios
        Labels of the area axis, the :class:`AgeGroups` (default 0-4 … 90+) and scenario names.
    control
        Optional totals to which the sum over areas is scaled after each step: shape (steps,)
        or (steps, scenario).
    components
        Also keep natural/social components per step (see :meth:`Projection.components_frame`).
    keep_years
        Years whose full sex × age detail is kept (default all). Totals and age-3 sums are kept
        for every year regardless; keeping fewer years saves memory in large scenario sweeps.
    threads
        Worker threads over blocks of areas (of scenarios when ``control`` is given); default the
        CPU count. Results do not depend on it.
    """
    # Load inputs.
    ages = ages or AgeGroups()
    areas = tuple(str(a) for a in areas)
    base = np.asarray(base, dtype=float)
    if base.shape != (len(areas), 2, len(ages)):
        msg = f"base has shape {base.shape}; expected ({len(areas)} areas, 2 sexes, {len(ages)} age groups)"
        raise InputError(msg)
    if not np.isfinite(base).all() or (base < 0).any():
        msg = "base population must be finite and ≥ 0"
        raise InputError(msg)
    r = check_rates(rates, areas=areas, ages=ages)
    n_scen = max(x.shape[0] for x in (getattr(r, f) for f in _RATE_FIELDS) if x is not None)
    for name in _RATE_FIELDS:
        x = getattr(r, name)
        if x is not None and (x.shape[0] not in (1, n_scen) or x.shape[1] not in (1, steps)):
            msg = f"{name}: scenario/step axes {x.shape[:2]} do not match {n_scen} scenarios × {steps} steps"
            raise InputError(msg)
    scenarios = tuple(scenarios) if scenarios is not None else tuple(f"s{i}" for i in range(n_scen))
    if len(scenarios) != n_scen:
        msg = f"{len(scenarios)} scenario names for {n_scen} scenarios"
        raise InputError(msg)
    if control is not None:
        control = np.broadcast_to(np.asarray(control, dtype=float).reshape(steps, -1), (steps, n_scen))
    years = tuple(base_year + STEP_YEARS * k for k in range(steps + 1))
    kept = years if keep_years is None else tuple(sorted({int(y) for y in keep_years}))
    if unknown := [y for y in kept if y not in years]:
        msg = f"keep_years {unknown} are not projection years {years}"
        raise InputError(msg)

    # Process data.
    n_area = len(areas)
    names = ("births", "deaths", "net_migration", "control") + (() if r.separable else ("cohort_change",))
    sink = _Sink(population=np.empty((len(kept), n_scen, *base.shape)), keep_pos={years.index(y): i for i, y in
                                                                                  enumerate(kept)},
                 totals=np.empty((steps + 1, n_scen, n_area)), age3=np.empty((steps + 1, n_scen, n_area, 3)),
                 comp={k: np.zeros((steps, n_scen, n_area)) for k in names},
                 age3_slices=(a3 := (ages.index(0, 14), ages.index(15, 64), ages.index(65, None))),
                 age3_cover_all=sum(sl.stop - sl.start for sl in a3) == len(ages) and a3[0].start == 0)
    by_scenario = control is not None  # control needs all areas of a scenario in one block
    axis_len, other = (n_scen, n_area) if by_scenario else (n_area, n_scen)
    size = max(1, min(axis_len, BLOCK_CELLS // max(1, other * 2 * len(ages))))
    blocks = [slice(a, min(a + size, axis_len)) for a in range(0, axis_len, size)]
    n_threads = max(1, min(threads or os.cpu_count() or 1, len(blocks)))

    def work(worker: int) -> None:
        buf = np.empty((2, *((size, n_area) if by_scenario else (n_scen, size)), 2, len(ages)))
        for sl in blocks[worker::n_threads]:
            b = sl.stop - sl.start
            view = buf[:, :b] if by_scenario else buf[:, :, :b]
            sel = (sl, slice(None)) if by_scenario else (slice(None), sl)
            _advance(base if by_scenario else base[sl], _slice(r, sl, scenario_axis=by_scenario), view, sink, sel,
                     steps, ages.fertile(), None if control is None else control[:, sl], components)

    if n_threads == 1:
        work(0)
    else:
        with ThreadPoolExecutor(n_threads) as pool:  # numpy releases the GIL inside its loops
            list(pool.map(work, range(n_threads)))

    # Save outputs.
    if components and control is None:
        del sink.comp["control"]
    return Projection(sink.population, years, scenarios, areas, ages, sink.totals, sink.age3, kept,
                      sink.comp if components else None)
