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


def default_mirror() -> Path | None:
    """``../shared/datasets`` beside the project when it holds a mirror (``MANIFEST.md``), else None."""
    candidate = PROJ_ROOT.parent / "shared" / "datasets"
    return candidate.resolve() if (candidate / "MANIFEST.md").is_file() else None


def mirror_dir() -> Path | None:
    """The local mirror folder of official files, or None.

    ``HOKURIKU_MIRROR`` names it; unset, the default is ``../shared/datasets`` beside the project
    when present (:func:`default_mirror`) — for the CLI, papermill kernels and Jupyter alike, not
    only ``make``. ``HOKURIKU_MIRROR=`` (empty) turns the mirror off. A ``HOKURIKU_MIRROR`` that is
    not a folder raises :class:`~hokuriku.errors.SetupError` (one line saying so).
    """
    value = os.environ.get("HOKURIKU_MIRROR")
    if value is None:
        return default_mirror()
    if not value.strip():
        return None
    folder = Path(value).expanduser().resolve()
    if not folder.is_dir():
        from hokuriku.errors import SetupError  # noqa: PLC0415 - keep paths import-light

        what = "is a file, not a folder" if folder.exists() else "does not exist"
        msg = (f"HOKURIKU_MIRROR={value} {what}: point it at the mirror folder of official files "
               "(e.g. ../shared/datasets or a folder written by `python -m hokuriku bundle`), or unset it")
        raise SetupError(msg)
    return folder
