"""``python -m benchmarks [name ...]``: run the benchmarks and print their ratios.

All ratios come from this one run on this machine (shared: absolute seconds vary with the load of
other users, ratios measured side by side much less).
"""

from __future__ import annotations

import importlib
import os
import sys

BENCHMARKS = ["bench_capacity", "bench_readers", "bench_data", "bench_reports", "bench_projection", "bench_io"]


def main(argv: list[str]) -> int:
    names = argv or BENCHMARKS
    from benchmarks import _run  # noqa: PLC0415

    _run.compile_project()  # timed processes start as on an analyst's machine: modules compiled once
    summary = []
    for name in names:
        print(f"== {name}", flush=True)
        rows = importlib.import_module(f"benchmarks.{name}").run() or []
        summary += [r for r in rows if "target" in r]
    if summary:
        print(f"== summary (one run, {len(os.sched_getaffinity(0))} cores, load average "
              f"{os.getloadavg()[0]:.1f}: shared machine, compare ratios not seconds)")
        for r in summary:
            print(f"  {r['bench']:<34} {r['ratio']:8.2f}   {('target ' + r['target']) if r['target'] else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
