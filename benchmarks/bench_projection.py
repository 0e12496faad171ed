"""Cohort-component engine: 1,741 municipalities × 6 five-year steps × 100 scenarios (issues #4, #10).

Synthetic but realistically shaped arrays (no data needed): municipal sizes log-normal, an ageing
age structure, survival falling with age, small net migration rates, CWR around 0.2, and 100
scenarios that scale migration and fertility. The headline run keeps totals, 0–14/15–64/65+ and
components for every year and full detail for 2020 and 2050 (what a sweep needs); a second run
keeps full detail for every year (its time is dominated by allocating ~370 MiB). The engine is
timed against a plain Python loop
over areas (and scenarios, steps, sexes, ages) on a subset, extrapolated to all areas; both give
the same numbers on that subset. Timings are printed, never asserted.
"""

from __future__ import annotations

import time

import numpy as np

from hokuriku.projection import AgeGroups, Rates, project

N_AREAS, N_STEPS, N_SCEN = 1741, 6, 100
LOOP_SUBSET = 10  # areas run through the Python loop; its time is scaled by N_AREAS / LOOP_SUBSET


def synthetic(seed: int = 0):
    """Base population (area, sex, age) and rates with a 100-scenario axis."""
    rng = np.random.default_rng(seed)
    ages = AgeGroups()
    g = np.arange(len(ages))
    size = rng.lognormal(np.log(20_000), 1.2, N_AREAS)
    shape = np.exp(-0.5 * ((g - 14) / 6.0) ** 2) + 0.4
    base = size[:, None, None] * shape / shape.sum() / 2 * rng.uniform(0.9, 1.1, (N_AREAS, 2, len(ages)))
    survival = np.clip(1 - 0.002 * np.exp(0.09 * 5 * g), 0.3, 1.0)[None, :] * np.array([[0.99], [1.0]])
    migration = rng.normal(-0.01, 0.02, (N_AREAS, 2, len(ages)))
    migration = np.maximum(migration, -survival)
    k = np.linspace(0, 2, N_SCEN)[:, None, None, None, None]
    cwr = rng.uniform(0.15, 0.25, N_AREAS) * np.linspace(0.8, 1.2, N_SCEN)[:, None, None]
    rates = Rates(survival=survival, migration=np.maximum(k * migration, -survival), cwr=cwr,
                  sex_ratio=np.full(N_AREAS, 1.05))
    return base, rates, ages


BANDS_4 = ((0, 14), (15, 64), (65, 74), (75, None))
"""The previous engine's schedule: one net cohort change ratio per band 0–14, 15–64, 65–74, 75+."""


def rates_5yr(rates: Rates, ages: AgeGroups) -> Rates:
    """Calibrated-style rates: a net CCR per area × sex × 5-year age, times a level per area and step."""
    rng = np.random.default_rng(1)
    ccr = np.broadcast_to(rates.survival, (N_AREAS, 2, len(ages))) * rng.uniform(0.95, 1.05, (N_AREAS, 2, len(ages)))
    level = rng.uniform(0.97, 1.0, (1, N_STEPS, N_AREAS, 1, 1))
    return Rates(survival=ccr[None, None] * level, migration=np.zeros((1, 1, 1, 1, 1)), cwr=rates.cwr,
                 sex_ratio=rates.sex_ratio, separable=False)


def rates_4band(rates: Rates, ages: AgeGroups) -> Rates:
    """The same with the CCR averaged within the four broad bands (the previous engine's input)."""
    r = rates_5yr(rates, ages)
    ccr = r.survival.copy()
    for lo, hi in BANDS_4:
        sl = ages.index(lo, hi)
        ccr[..., sl] = ccr[..., sl].mean(-1, keepdims=True)
    return r.replace(survival=ccr)


def python_loop(base, rates, ages, areas: range) -> np.ndarray:
    """The same model as plain Python loops (population of the last year, per scenario and area)."""
    surv = np.broadcast_to(rates.survival, (2, len(ages))).tolist()
    mig = np.broadcast_to(rates.migration, (N_SCEN, 1, N_AREAS, 2, len(ages)))
    cwr = np.broadcast_to(rates.cwr, (N_SCEN, 1, N_AREAS))
    out = np.zeros((N_SCEN, len(areas)))
    for j, i in enumerate(areas):
        for c in range(N_SCEN):
            pop = base[i].tolist()
            m = mig[c, 0, i].tolist()
            for _ in range(N_STEPS):
                new = [[0.0] * len(ages) for _ in range(2)]
                for s in range(2):
                    for a in range(len(ages) - 1):
                        new[s][a + 1] = pop[s][a] * (surv[s][a] + m[s][a])
                    new[s][-1] += pop[s][-1] * (surv[s][-1] + m[s][-1])
                women = sum(new[1][3:10])
                births = cwr[c, 0, i] * women
                new[0][0] = births * 1.05 / 2.05
                new[1][0] = births / 2.05
                pop = new
            out[c, j] = sum(pop[0]) + sum(pop[1])
    return out


def _time(fn) -> tuple[object, float]:
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def run() -> list[dict]:
    base, rates, ages = synthetic()
    areas = [f"{i:05d}" for i in range(N_AREAS)]
    kw = {"steps": N_STEPS, "base_year": 2020, "areas": areas}
    project(base[:5], Rates(survival=rates.survival, migration=rates.migration[:, :, :5], cwr=rates.cwr[..., :5],
                            sex_ratio=rates.sex_ratio[:5]), **{**kw, "areas": areas[:5]})  # warm-up (imports)
    # Typical sweep: totals, age-3 sums and components every year, full detail for the pyramid years.
    proj, engine = _time(lambda: project(base, rates, keep_years=(2020, 2050), **kw))
    _, full = _time(lambda: project(base, rates, **kw))
    loop_tot, loop = _time(lambda: python_loop(base, rates, ages, range(LOOP_SUBSET)))
    loop *= N_AREAS / LOOP_SUBSET
    same = np.allclose(loop_tot, proj.total_array[-1, :, :LOOP_SUBSET], rtol=1e-9)
    print(f"engine: {engine:.2f} s for {N_AREAS} areas × {N_STEPS} steps × {N_SCEN} scenarios; "
          f"python loop: {loop:.1f} s (extrapolated from {LOOP_SUBSET} areas); ratio {loop / engine:.0f}x"
          f"{'' if same else ' (WARNING: loop and engine disagree)'}")
    print(f"  (engine keeping full sex × age detail for all {N_STEPS + 1} years, "
          f"{proj.total_array.shape[1] * N_AREAS * 38 * (N_STEPS + 1) * 8 / 2**20:.0f} MiB: {full:.2f} s, "
          f"ratio {loop / full:.0f}x)")
    r5, r4 = rates_5yr(rates, ages), rates_4band(rates, ages)
    cpu0 = time.process_time()
    five = _time(lambda: project(base, r5, keep_years=(2020, 2050), threads=1, **kw))
    cpu5 = time.process_time() - cpu0
    cpu0 = time.process_time()
    _, four = _time(lambda: project(base, r4, keep_years=(2020, 2050), threads=1, **kw))
    cpu4 = time.process_time() - cpu0
    print(f"  5-year cohort change ratios by sex × age ({len(ages)} age groups 0–4 … 85–89, 90+; per area and "
          f"step, as calibrated; 1 thread): {five[1]:.2f} s wall, {cpu5:.2f} s CPU (target < 1 s); previous "
          f"4-band schedule: {four:.2f} s wall, {cpu4:.2f} s CPU; ratio new/previous {cpu5 / cpu4:.2f} (CPU)")
    return [{"bench": "projection_engine", "engine_s": engine, "engine_full_detail_s": full, "python_loop_s": loop,
             "ratio": loop / engine, "areas": N_AREAS, "steps": N_STEPS, "scenarios": N_SCEN,
             "loop_matches_engine": bool(same), "engine_5yr_ccr_s": five[1], "engine_4band_s": four,
             "engine_5yr_ccr_cpu_s": cpu5, "engine_4band_cpu_s": cpu4, "ratio_5yr_to_4band": cpu5 / cpu4}]


if __name__ == "__main__":
    run()
