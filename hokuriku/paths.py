"""Project paths (cookiecutter-data-science ``config.py``): a root and derived folders only."""

from __future__ import annotations

import os
from pathlib import Path

PROJ_ROOT = Path(os.environ.get("HOKURIKU_ROOT", Path(__file__).resolve().parents[1]))
RAW = PROJ_ROOT / "data" / "raw"
PROCESSED = PROJ_ROOT / "data" / "processed"
REPORTS = PROJ_ROOT / "reports"
NOTEBOOKS = PROJ_ROOT / "notebooks"
LAYOUTS = Path(os.environ.get("HOKURIKU_LAYOUTS", Path(__file__).resolve().parent / "sources" / "layouts"))
"""Layout maps of the loaders; ``HOKURIKU_LAYOUTS`` points elsewhere (a test trying a new edition's rows)."""
CODES_DATA = Path(__file__).resolve().parent / "codes" / "data"


def mirror_dir() -> Path | None:
    """The local mirror folder named by ``HOKURIKU_MIRROR`` (CI: ``../shared/datasets``), if set."""
    value = os.environ.get("HOKURIKU_MIRROR")
    return Path(value).expanduser().resolve() if value else None
