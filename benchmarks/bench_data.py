"""``make data`` cold (parallel and sequential) against the I/O floor, and the no-op rerun (issue #13).

- floor: a fresh process reads every declared raw byte (all manifests) and loads every processed
  parquet table into pandas (``io.read_processed``);
- cold parallel: a fresh ``python -m hokuriku data --force`` into an empty temporary store, workers
  = cores; cold sequential: the same with ``HOKURIKU_JOBS=1``;
- no-op: ``python -m hokuriku data`` again on the store just built.
Peak memory: the proportional set size (PSS) of the build's whole process tree, sampled every
0.25 s by this process in a separate cold build (sampling reads every process's page tables and
would slow the timed run), and the bound parent + workers × largest worker. The real ``data/processed`` is only read (by the floor), never written.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from benchmarks import _run
from hokuriku import parallel

FLOOR = """
from hokuriku import io, manifest, paths, store
n = 0
for m in manifest.all_manifests():
    for e in m.files:
        p = manifest.locate(m, e, download=False)
        if p is not None:
            n += len(p.read_bytes())
for ref in store.plan():
    io.read_processed(ref.name)
"""


ROUNDS = 5
"""Floor, cold parallel and cold sequential builds are each run this many times, interleaved
(floor, parallel, sequential, floor, …), and their medians compared: on a shared 2-core server one
run of either moves by ±25 % with other users' load (three rounds left the ratio ±0.15 between runs)."""


def run() -> list[dict]:
    floors, pars, seqs = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        jobs = {"HOKURIKU_JOBS": str(parallel.cores())}  # all cores, whatever the load (the default adapts)
        for i in range(ROUNDS):
            floors.append(_run.python(FLOOR))
            par, par_stats, _ = _run.cli(["data", "--force"], env=jobs, processed=Path(tmp) / "par")
            pars.append(par)
            seq, seq_stats, _ = _run.cli(["data", "--force"], env={"HOKURIKU_JOBS": "1"},
                                         processed=Path(tmp) / f"seq{i}")
            seqs.append(seq)
        floor, par, seq = (statistics.median(v) for v in (floors, pars, seqs))
        print("rounds (floor / parallel / sequential, s; parallel/floor): "
              + "; ".join(f"{f:.2f} / {p:.2f} / {q:.2f} ({p / f:.2f}x)" for f, p, q in zip(floors, pars, seqs, strict=True)))
        noop, _, out = _run.cli(["data"], processed=Path(tmp) / "par")
        _, mem_stats, _ = _run.cli(["data", "--force"], env=jobs, processed=Path(tmp) / "mem", sample_memory=True)
    workers = par_stats.get("workers", 1)
    largest = max(par_stats["rss"], par_stats.get("worker_peak_rss", 0))
    bound = par_stats["rss"] + workers * par_stats.get("worker_peak_rss", 0)
    print(f"I/O floor (read every raw byte + load every processed table, fresh process; median): {floor:.2f} s")
    print(f"make data cold (medians of {ROUNDS}): {par:.2f} s with {workers} workers, {seq:.2f} s sequential; "
          f"project/floor {par / floor:.2f}x (target <= 2x), parallel/sequential {par / seq:.2f}x")
    tree = mem_stats.get("tree_peak_rss", 0)
    print(f"make data peak memory: all processes together {_run.mib(tree)} (PSS, sampled every 0.25 s; bound "
          f"parent + workers x largest {_run.mib(bound)}), largest process {_run.mib(largest)}, "
          f"sequential {_run.mib(seq_stats['rss'])}; no-op rerun {noop:.2f} s "
          f"(cold/no-op {par / noop:.0f}x): {out.splitlines()[-2] if len(out.splitlines()) > 1 else ''}")
    return [
        {"bench": "data cold / I/O floor", "ratio": par / floor, "target": "<= 2"},
        {"bench": "data parallel / sequential", "ratio": par / seq, "target": "< 1"},
        {"bench": "data cold / no-op", "ratio": par / noop, "target": ""},
        {"bench": "data peak memory, all procs (MiB)", "ratio": tree / 2**20, "target": "< 1024"},
    ]
