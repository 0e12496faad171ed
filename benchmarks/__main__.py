"""``python -m benchmarks [name ...]``: run the benchmarks and print their ratios."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = ["bench_data", "bench_projection", "bench_reports", "bench_io"]


def main(argv: list[str]) -> int:
    names = argv or BENCHMARKS
    for name in names:
        print(f"== {name}")
        importlib.import_module(f"benchmarks.{name}").run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
