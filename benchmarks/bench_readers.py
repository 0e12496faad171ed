"""openpyxl vs python-calamine on the ESRI 県民経済計算 workbooks (same cells; issue #13).

Each reader reads every sheet of the four 総括表 workbooks of the default vintage; the best of
three rounds is taken for each (the machine is shared, the minimum is the least disturbed).
"""

from __future__ import annotations

import time

from hokuriku import manifest
from hokuriku.sources import _readers, kenmin_keizai


def _best(fn, paths, rounds: int = 3) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for p in paths:
            fn(p)
        best = min(best, time.perf_counter() - start)
    return best


def run() -> list[dict]:
    m = manifest.load(kenmin_keizai.SOURCE, kenmin_keizai.DEFAULT_VINTAGE)
    files = [manifest.path(m.source, m.vintage, e.path) for e in m.files if e.path.endswith(".xlsx")]
    ref = _best(_readers.xlsx_sheets_openpyxl, files)
    fast = _best(_readers.xlsx_sheets, files)
    print(f"ESRI xlsx ({len(files)} workbooks): openpyxl {ref * 1000:.0f} ms, calamine {fast * 1000:.0f} ms, "
          f"openpyxl/calamine {ref / fast:.1f}x")
    return [{"bench": "xlsx openpyxl / calamine", "ratio": ref / fast, "target": "> 1"}]
