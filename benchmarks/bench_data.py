"""Raw parse vs parquet load, and ``make data`` cold vs no-op rerun.

Issue #2 item 9. The cold build runs into a temporary processed folder so the real store is
untouched; the no-op rerun is the same call again, which must skip every table.
"""

from __future__ import annotations

import tempfile
import time
import resource
from pathlib import Path

from hokuriku import io, paths, sources, store


def _timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def run() -> list[dict]:
    rows = []
    original = paths.PROCESSED
    with tempfile.TemporaryDirectory() as tmp:
        paths.PROCESSED = Path(tmp)
        try:
            _, cold = _timed(lambda: store.build(force=True))
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
            _, noop = _timed(store.build)
            print(f"make data: cold {cold:.2f} s (peak RSS {peak / 2**20:.0f} MiB), "
                  f"no-op rerun {noop:.3f} s, ratio cold/no-op {cold / max(noop, 1e-9):.0f}x")
            rows.append({"bench": "make_data", "cold_s": cold, "noop_s": noop, "ratio": cold / max(noop, 1e-9)})
            parse_total = load_total = 0.0
            for ref in store.plan():
                builder = sources.get(ref.source).TABLES[ref.table]
                _, t_parse = _timed(lambda b=builder, v=ref.vintage: b(v))
                _, t_load = _timed(lambda n=ref.name: io.read_processed(n))
                parse_total += t_parse
                load_total += t_load
                rows.append({"bench": f"table {ref.name}", "parse_s": t_parse, "load_s": t_load,
                             "ratio": t_parse / max(t_load, 1e-9)})
            print(f"all sources: raw parse {parse_total:.2f} s vs parquet load {load_total:.2f} s, "
                  f"ratio {parse_total / max(load_total, 1e-9):.1f}x")
            slowest = sorted((r for r in rows if r["bench"].startswith("table")), key=lambda r: -r["parse_s"])[:5]
            for r in slowest:
                print(f"  {r['bench']}: parse {r['parse_s']:.2f} s, load {r['load_s']:.3f} s ({r['ratio']:.0f}x)")
        finally:
            paths.PROCESSED = original
    return rows
