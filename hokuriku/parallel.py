"""How many worker processes to start: the cores this process may use, less the ones already busy.

``HOKURIKU_JOBS`` (a positive integer) overrides. Otherwise the count is the cores available to
this process, reduced by the 1-minute load average like ``make -l``: on a shared server whose
cores are all busy a second worker only competes with the first (measured on the 2-core project
server: two CPU-bound processes each ran 1.8× slower than one), so one worker is started; on an
idle machine every core gets a worker. Results never depend on the count (tests compare outputs).
"""

from __future__ import annotations

import os

from hokuriku.errors import ParameterError


def cores() -> int:
    """Cores this process may run on."""
    return max(1, len(os.sched_getaffinity(0)))


def workers() -> int:
    """Worker processes to start now: ``HOKURIKU_JOBS``, else idle cores (at least 1, at most :func:`cores`).

    ``workers = clamp(round(cores - load1) + 1, 1, cores)``: the load of one running process (this
    one) still leaves every core to the workers.
    """
    value = os.environ.get("HOKURIKU_JOBS", "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            msg = f"HOKURIKU_JOBS must be a positive integer; got {value!r}"
            raise ParameterError(msg)
        return int(value)
    n = cores()
    try:
        load = os.getloadavg()[0]
    except OSError:  # pragma: no cover - no load average on this platform
        return n
    return max(1, min(n, round(n - load) + 1))
