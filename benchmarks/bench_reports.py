"""Wall time of the full ``make reports`` (warm: data built) and of a no-op rerun (issue #3 item 6)."""

from __future__ import annotations

import subprocess
import sys
import time

from hokuriku import paths


def _run(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "hokuriku", *args], cwd=paths.PROJ_ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def run() -> list[dict]:
    _run(["data"])
    full = _run(["reports", "--region", "HOKURIKU3", "--force"])
    noop = _run(["reports", "--region", "HOKURIKU3"])
    print(f"make reports (HOKURIKU3): full {full:.1f} s, no-op rerun {noop:.1f} s, ratio {full / max(noop, 1e-9):.1f}x")
    return [{"bench": "reports", "full_s": full, "noop_s": noop, "ratio": full / max(noop, 1e-9)}]
