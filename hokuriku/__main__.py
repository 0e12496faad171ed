"""``python -m hokuriku``: see :mod:`hokuriku.cli`.

Run with a Python that lacks the project's dependencies (outside ``.venv``), it says how to set up
instead of printing a traceback.
"""

import sys


def _run() -> int:
    try:
        from hokuriku.cli import main

        return main()
    except ModuleNotFoundError as exc:
        top = (exc.name or "").split(".")[0]
        if not top or top == "hokuriku":
            raise
        print(
            f"error: the package {top!r} is not installed for {sys.executable} — this is not the project's "
            "environment. Set it up once with `make env` (creates .venv with the pinned dependencies), then run "
            "`.venv/bin/python -m hokuriku …` or the make targets (`make data`, `make reports`).",
            file=sys.stderr,
        )
        return 3


sys.exit(_run())
