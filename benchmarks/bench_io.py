"""Regional IO model: build 47 prefecture models and compute ripple effects for 37 sectors × 100 demand vectors.

For each prefecture: the FLQ regional model (:func:`hokuriku.inputoutput.inputs.build_model`, real
processed tables) and 3,700 demand cases (each of the 37 sectors × 100 random amounts with a random
spill of 0–20 % into the other sectors). Batched: one LU factorisation of (I − R) per prefecture and
one solve with all 3,700 right-hand sides for the first round and one for the second (consumption)
round. Baseline: one dense ``numpy.linalg.solve`` per case and round, timed on ``LOOP_SUBSET``
prefectures and scaled to 47. Both give the same effects on that subset. Times are printed, never asserted.
"""

from __future__ import annotations

import time

import numpy as np
import scipy.linalg

from hokuriku.codes import prefectures
from hokuriku.inputoutput import inputs, ripple

N_VECTORS = 100
LOOP_SUBSET = 3


def demands(n: int, seed: int) -> np.ndarray:
    """n sectors × N_VECTORS demand vectors (百万円), columns = cases."""
    rng = np.random.default_rng(seed)
    cases = []
    for j in range(n):
        amount = rng.uniform(1_000, 100_000, N_VECTORS)
        spill = rng.uniform(0, 0.2, (n, N_VECTORS)) * amount / n
        spill[j] = amount
        cases.append(spill)
    return np.hstack(cases)


def batched(model, d: np.ndarray, c: float) -> np.ndarray:
    lu = scipy.linalg.lu_factor(np.eye(len(model.codes)) - model.rpc)
    x1 = scipy.linalg.lu_solve(lu, model.supply_share[:, None] * d)
    cons = c * (model.compensation_ratio @ x1)[None, :] * model.consumption_shares[:, None]
    x2 = scipy.linalg.lu_solve(lu, model.supply_share[:, None] * cons)
    return x1 + x2


def per_case(model, d: np.ndarray, c: float) -> np.ndarray:
    a = np.eye(len(model.codes)) - model.rpc
    out = np.empty_like(d)
    for k in range(d.shape[1]):
        x1 = np.linalg.solve(a, model.supply_share * d[:, k])
        cons = c * (model.compensation_ratio @ x1) * model.consumption_shares
        out[:, k] = x1 + np.linalg.solve(a, model.supply_share * cons)
    return out


def run() -> None:
    codes = prefectures.table()["pref_code"].tolist()
    inputs.build_model(codes[0])  # warm the cached national table and prefecture outputs
    t0 = time.perf_counter()
    models = [inputs.build_model(p) for p in codes]
    t_build = time.perf_counter() - t0
    c = ripple.DEFAULT_CONSUMPTION_RATIO
    ds = [demands(len(m.codes), seed=i) for i, m in enumerate(models)]
    n_cases = sum(d.shape[1] for d in ds)
    t0 = time.perf_counter()
    results = [batched(m, d, c) for m, d in zip(models, ds, strict=True)]
    t_batch = time.perf_counter() - t0
    t0 = time.perf_counter()
    loop = [per_case(m, d, c) for m, d in zip(models[:LOOP_SUBSET], ds[:LOOP_SUBSET], strict=True)]
    t_loop = (time.perf_counter() - t0) * len(models) / LOOP_SUBSET
    same = all(np.allclose(a, b, rtol=1e-9, atol=1e-6) for a, b in zip(results, loop, strict=False))
    print(f"build 47 prefecture models (FLQ δ={models[0].delta:g}): {t_build:.2f} s")
    print(f"effects, {n_cases:,} cases (47 × 37 sectors × {N_VECTORS}), batched LU: {t_batch:.3f} s")
    print(f"one dense solve per case and round (scaled from {LOOP_SUBSET} prefectures): {t_loop:.2f} s")
    print(f"ratio per-case / batched: {t_loop / t_batch:.0f}×; same effects on the subset: {same}")
