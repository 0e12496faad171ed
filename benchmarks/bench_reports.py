"""``make reports`` of one region: parallel kernels vs one at a time, and the no-op rerun (issue #13).

All runs write into temporary report folders (the analyst's ``reports/`` is untouched) from the
built store (``make data`` first):
- sequential: ``HOKURIKU_JOBS=1 python -m hokuriku reports --force`` — every notebook one after
  another in one worker, as the runner did before parallel kernels;
- parallel: the same with the default workers (the cores);
- no-op: ``python -m hokuriku reports`` again on the parallel output (stamps only).
The CSVs of the two runs are compared; any difference is printed.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks import _run
from hokuriku import parallel

REGION = "HOKURIKU3"


def _csvs(root: Path) -> dict[Path, bytes]:
    return {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*.csv"))}


def run() -> list[dict]:
    _run.cli(["data"])  # the store must be current; not timed
    with tempfile.TemporaryDirectory() as tmp:
        seq_dir, par_dir = Path(tmp) / "seq", Path(tmp) / "par"
        seq, _, _ = _run.cli(["reports", "--force", "--region", REGION], env={"HOKURIKU_JOBS": "1"}, reports=seq_dir)
        jobs = {"HOKURIKU_JOBS": str(parallel.cores())}  # all cores, whatever the load (the default adapts)
        par, _, out = _run.cli(["reports", "--force", "--region", REGION], env=jobs, reports=par_dir)
        noop, _, _ = _run.cli(["reports", "--region", REGION], reports=par_dir)
        a, b = _csvs(seq_dir), _csvs(par_dir)
        same = a == b
        differ = sorted(str(k) for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    workers = next((l.split(" in ")[1].split(" ")[0] for l in out.splitlines() if l.startswith("running ")), "?")
    print(f"make reports ({REGION}): sequential {seq:.1f} s, parallel ({workers} kernels) {par:.1f} s, "
          f"parallel/sequential {par / seq:.2f}x (target <= 0.6x); no-op rerun {noop:.2f} s (target < 2 s)")
    print(f"  CSV outputs identical: {same} ({len(a)} files)" + ("" if same else f"; differ: {differ[:5]}"))
    return [
        {"bench": "reports parallel / sequential", "ratio": par / seq, "target": "<= 0.6"},
        {"bench": "reports no-op (s)", "ratio": noop, "target": "< 2"},
        {"bench": "reports cold / no-op", "ratio": par / noop, "target": ""},
    ]
