"""How much parallel CPU the machine gives right now (to read the parallel/sequential ratios).

A pure-Python CPU loop timed alone, then in as many processes as there are cores at once:
``capacity = cores × t_alone / t_parallel_wall`` is the number of cores' worth of work the machine
actually delivered (2.0 on an idle 2-core machine; ≈1 when other users keep every core busy, in
which case no parallel speed-up is possible and parallel/sequential ratios near 1 are expected).
"""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor

from hokuriku import parallel

N = 3_000_000


def _spin(n: int = N) -> float:
    start = time.perf_counter()
    s = 0
    for i in range(n):
        s += i
    return time.perf_counter() - start


def run() -> list[dict]:
    n = parallel.cores()
    alone = min(_spin() for _ in range(2))
    with ProcessPoolExecutor(n) as pool:
        start = time.perf_counter()
        list(pool.map(_spin, [N] * n))
        wall = time.perf_counter() - start
    capacity = n * alone / wall
    print(f"CPU capacity: {n} cores, one loop {alone:.2f} s alone, {n} at once {wall:.2f} s wall "
          f"-> {capacity:.2f} cores' worth delivered now")
    return [{"bench": "parallel capacity (cores delivered)", "ratio": capacity, "target": f"{n} when idle"}]
