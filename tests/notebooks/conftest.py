"""Running a notebook once per (notebook, region) for the whole session, into a temporary reports folder.

The real ``data/processed`` is kept (tables are built once and reused); only ``paths.REPORTS`` is
redirected, so a test run never touches the analyst's reports.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from hokuriku import paths
from hokuriku.reporting import notebooks


@pytest.fixture(scope="session")
def notebook_run(tmp_path_factory):
    """``notebook_run(name, region, charts=()) -> Path``: the output folder of one papermill run."""
    cache: dict[tuple[str, str], Path] = {}

    def run(name: str, region: str, *, charts: tuple[str, ...] = ()) -> Path:
        if (name, region) not in cache:
            reports = tmp_path_factory.mktemp("reports")
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr(paths, "REPORTS", reports)
                out = notebooks.run(name, {"region": region}, force=True)
            assert out.is_relative_to(reports)
            assert (out / f"{name}.html").exists() and (out / f"{name}.ipynb").exists()
            _assert_figures_rendered(out / f"{name}.ipynb")
            _assert_no_repository_named(out)
            cache[(name, region)] = out
        out = cache[(name, region)]
        for stem in charts:
            assert (out / f"{stem}.png").exists() and (out / f"{stem}.svg").exists(), stem
        return out

    return run


def _assert_figures_rendered(executed: Path) -> None:
    """Charts shown in the notebook are PNG images, never the bare ``<Figure size …>`` text."""
    nb = json.loads(executed.read_text(encoding="utf-8"))
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    bare = [o for o in outputs if "".join(o.get("data", {}).get("text/plain", "")).startswith("<Figure size")
            and "image/png" not in o.get("data", {})]
    assert not bare, f"{executed.name}: {len(bare)} figure(s) shown as text, not as images"
    assert any("image/png" in o.get("data", {}) for o in outputs), f"{executed.name}: no chart shown in the report"


def _assert_no_repository_named(out: Path) -> None:
    """No saved chart (SVG text), table (CSV) or (出所) line names GitHub or a repository (issue #9).

    How derived copies were obtained belongs in ``outputs.json``'s ``provenance`` only.
    """
    from xml.etree import ElementTree

    from hokuriku import manifest
    from hokuriku.reporting import outputs

    found = []
    for o in outputs.read_outputs(out):
        if (hit := manifest.names_repository(o["source_note"])):
            found.append(f"outputs.json {o['stem']} source_note: {hit}")
    for svg in out.glob("*.svg"):
        root = ElementTree.parse(svg).getroot()
        text = "\n".join("".join(el.itertext()) for el in root.iter() if el.tag.endswith("}text"))
        if (hit := manifest.names_repository(text)):
            found.append(f"{svg.name}: {hit}")
    for csv in out.glob("*.csv"):
        if (hit := manifest.names_repository(csv.read_text(encoding="utf-8-sig"))):
            found.append(f"{csv.name}: {hit}")
    assert not found, "outputs name a repository (move it to the provenance record): " + "; ".join(found)


def read_tables(out: Path, tables: tuple[str, ...], *, dtype: dict | None = None) -> dict[str, pd.DataFrame]:
    """The CSVs a notebook wrote (UTF-8 with BOM), by stem."""
    return {t: pd.read_csv(out / f"{t}.csv", encoding="utf-8-sig", dtype=dtype) for t in tables}


@pytest.fixture
def run_report(request, raw, notebook_run):
    """``run_report(region) -> {stem: DataFrame}`` for the test module's notebook.

    Uses the module's ``NAME``, ``RAW`` (raw files that must be present: skip locally, fail in CI),
    ``CHARTS`` (PNG + SVG that must exist), ``TABLES`` (CSVs to read) and optional ``DTYPE``.
    """
    mod = request.module

    def run(region: str) -> dict[str, pd.DataFrame]:
        for spec in getattr(mod, "RAW", ()):
            raw(*spec)
        out = notebook_run(mod.NAME, region, charts=getattr(mod, "CHARTS", ()))
        return read_tables(out, mod.TABLES, dtype=getattr(mod, "DTYPE", None))

    return run
