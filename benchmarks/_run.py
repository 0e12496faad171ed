"""Run a CLI command in a fresh process with the processed/reports folders redirected; time it.

Every figure of ``make bench`` is the wall time of a fresh ``python`` process (interpreter start and
imports included), so the project and the floor it is compared with pay the same start-up.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import sys
import time
from pathlib import Path

from hokuriku import paths

WRAPPER = """
import json, resource, sys
from pathlib import Path
from hokuriku import paths
cfg = json.loads(sys.argv[1])
for name, value in cfg["paths"].items():
    setattr(paths, name, Path(value))
from hokuriku import cli, store
code = cli.main(cfg["argv"])
stats = {"code": code, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, **store.LAST_BUILD}
print("BENCH " + json.dumps(stats))
"""


def tree_pss(root: int) -> int:
    """Bytes of memory of process ``root`` and all its descendants: the sum of their PSS (a page the
    forked workers share with the parent counts once, split between them; VmRSS where the kernel
    has no ``smaps_rollup``)."""
    parents = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as fh:
                    parents[int(d)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    tree, grown = {root}, True
    while grown:
        new = {p for p, pp in parents.items() if pp in tree} - tree
        grown = bool(new)
        tree |= new
    total = 0
    for p in tree:
        for name, field in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
            try:
                with open(f"/proc/{p}/{name}") as fh:
                    total += next(int(line.split()[1]) for line in fh if line.startswith(field)) * 1024
                break
            except (OSError, StopIteration):
                continue
    return total


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
    cfg = {"argv": argv, "paths": {k.upper(): str(v) for k, v in folders.items()}}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:  # no pipe to fill while sampling
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", WRAPPER, json.dumps(cfg)], cwd=paths.PROJ_ROOT,
                                stdout=out, stderr=err, text=True, env=environment(env))
        peak = 0
        while sample_memory and proc.poll() is None:  # sampled from here: the build runs no extra thread
            peak = max(peak, tree_pss(proc.pid))
            time.sleep(0.25)
        proc.wait()
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise RuntimeError(f"{argv} failed:\n{stdout[-2000:]}\n{stderr[-2000:]}")
    line = next(line for line in stdout.splitlines() if line.startswith("BENCH "))
    return wall, {**json.loads(line[6:]), "tree_peak_rss": peak}, stdout


def python(code: str) -> float:
    """Wall seconds of a fresh ``python -c code``."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=paths.PROJ_ROOT, check=True, capture_output=True, env=environment())
    return time.perf_counter() - start


def mib(n: float) -> str:
    return f"{n / 2**20:.0f} MiB"
