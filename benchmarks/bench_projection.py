"""Cohort-component engine: 1,741 municipalities × 6 five-year steps × 100 scenarios (issue #4).

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
    return [{"bench": "projection_engine", "engine_s": engine, "engine_full_detail_s": full, "python_loop_s": loop,
             "ratio": loop / engine, "areas": N_AREAS, "steps": N_STEPS, "scenarios": N_SCEN,
             "loop_matches_engine": bool(same)}]


if __name__ == "__main__":
    run()
