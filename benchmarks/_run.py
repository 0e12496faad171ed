"""Run a CLI command in a fresh process with the processed/reports folders redirected; time it.

Every figure of ``make bench`` is the wall time of a fresh ``python`` process (interpreter start and
imports included), so the project and the floor it is compared with pay the same start-up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from hokuriku import paths

WRAPPER = """
import json, os, resource, sys, threading, time
from pathlib import Path
from hokuriku import paths
cfg = json.loads(sys.argv[1])
for name, value in cfg["paths"].items():
    setattr(paths, name, Path(value))
from hokuriku import cli, store

def tree_rss():
    parents = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as fh:
                    parents[int(d)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    tree, grown = {os.getpid()}, True
    while grown:
        new = {p for p, pp in parents.items() if pp in tree} - tree
        grown = bool(new)
        tree |= new
    total = 0
    for p in tree:  # PSS: a page shared by forked workers counts once, split between them
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                total += next(int(l.split()[1]) for l in fh if l.startswith("Pss:")) * 1024
        except (OSError, StopIteration):
            try:
                with open(f"/proc/{p}/status") as fh:
                    total += next(int(l.split()[1]) for l in fh if l.startswith("VmRSS:")) * 1024
            except (OSError, StopIteration):
                pass
    return total

peak, done = [0], threading.Event()
def sample():
    while not done.wait(0.25):
        peak[0] = max(peak[0], tree_rss())
if cfg["sample_memory"]:  # reading every process's smaps_rollup slows the build: timed runs do not sample
    threading.Thread(target=sample, daemon=True).start()
code = cli.main(cfg["argv"])
done.set()
stats = {"code": code, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
         "tree_peak_rss": peak[0], **store.LAST_BUILD}
print("BENCH " + json.dumps(stats))
"""


def environment(extra: dict | None = None) -> dict:
    """The environment of a timed process: this one's, with Python's bytecode cache allowed.

    An analyst's machine keeps compiled ``__pycache__`` files; a sandbox or CI that sets
    ``PYTHONDONTWRITEBYTECODE`` would make every fresh process recompile the project's modules
    (≈0.3 s of the project's start-up, nothing of the floor's). :func:`compile_project` writes the
    cache once, before any timing.
    """
    out = {**os.environ, **(extra or {})}
    out.pop("PYTHONDONTWRITEBYTECODE", None)
    return out


def compile_project() -> None:
    """Write the bytecode cache of ``hokuriku`` and ``benchmarks`` (as the first run of any command would)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", "hokuriku", "benchmarks"], cwd=paths.PROJ_ROOT,
                   check=True, capture_output=True, env=environment())


def cli(argv: list[str], *, env: dict | None = None, sample_memory: bool = False,
        **folders: Path) -> tuple[float, dict, str]:
    """(wall seconds, stats, stdout) of ``python -m hokuriku <argv>`` with ``paths.<NAME>`` redirected.

    ``sample_memory``: sample the process tree's PSS every 0.25 s (``stats["tree_peak_rss"]``); that
    reads every process's page tables, so a run whose wall time is a benchmark figure leaves it off.
    """
    cfg = {"argv": argv, "paths": {k.upper(): str(v) for k, v in folders.items()}, "sample_memory": sample_memory}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", WRAPPER, json.dumps(cfg)], cwd=paths.PROJ_ROOT,
                          capture_output=True, text=True, env=environment(env), check=False)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{argv} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    line = next(l for l in proc.stdout.splitlines() if l.startswith("BENCH "))
    return wall, json.loads(line[6:]), proc.stdout


def python(code: str) -> float:
    """Wall seconds of a fresh ``python -c code``."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=paths.PROJ_ROOT, check=True, capture_output=True, env=environment())
    return time.perf_counter() - start


def mib(n: float) -> str:
    return f"{n / 2**20:.0f} MiB"
