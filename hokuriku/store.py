"""The processed store: ``make data`` builds every source's tables into parquet.

``data/processed/core/<source>/<vintage>/<table>.parquet`` holds one tidy table of one
publication vintage, in the published units. Each file's metadata records the source, vintage,
the sha256 of every declared input, the package version and git commit, and a *fingerprint*
(manifest + parser code + layout maps + package version). A rebuild is skipped when the
fingerprint is unchanged, so a second ``make data`` is a no-op.

All missing raw files are reported in one error before anything is built, and each table is
written atomically, so a failed build leaves the previous tables intact. A declared new edition whose
files are byte-identical to the previous edition's, or whose period does not advance, stops the build
(:func:`hokuriku.manifest.require_new_editions`) until it is fixed or acknowledged in its manifest.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from hokuriku import __version__, io, manifest, paths, sources

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TableRef:
    source: str
    vintage: str
    table: str

    @property
    def name(self) -> str:
        return f"core/{self.source}/{self.vintage}/{self.table}"


def default_vintage(source: str) -> str:
    module = sources.get(source)
    vintage = getattr(module, "DEFAULT_VINTAGE", None)
    return vintage or manifest.vintages(source)[-1]


def fingerprint(source: str, vintage: str) -> str:
    """Hash of everything a source-vintage's tables depend on.

    Manifest, the source module, the shared parsing rules, the source's layout maps, the code
    tables under ``hokuriku/codes`` and the package version.
    """
    digest = hashlib.sha256()
    m = manifest.load(source, vintage)
    digest.update(m.manifest_path.read_bytes())
    module = sources.get(source)
    digest.update(inspect.getsource(module).encode())
    for helper in ("hokuriku.sources._parse",):
        digest.update(inspect.getsource(__import__(helper, fromlist=["x"])).encode())
    # Layout maps of this source, and the code tables every loader may map through (JSIC names,
    # municipal aliases, prefectures): editing any of them must rebuild the tables.
    for folder in (paths.LAYOUTS / source, paths.CODES_DATA.parent):
        if folder.is_dir():
            for f in sorted(folder.rglob("*")):
                if f.is_file() and "__pycache__" not in f.parts:
                    digest.update(f.read_bytes())
    digest.update(__version__.encode())
    return digest.hexdigest()


def plan(only: list[str] | None = None) -> list[TableRef]:
    """Every (source, vintage, table) the store builds."""
    refs = []
    for source in sorted(sources.SOURCES):
        if only and source not in only:
            continue
        module = sources.get(source)
        tables = getattr(module, "TABLES", {})
        for vintage in manifest.vintages(source):
            for table in tables:
                refs.append(TableRef(source, vintage, table))
    return refs


def _provenance(ref: TableRef, fp: str) -> dict:
    m = manifest.load(ref.source, ref.vintage)
    return {
        "source": ref.source,
        "vintage": ref.vintage,
        "producer": m.producer,
        "title": m.title,
        "derived": m.derived,
        "inputs": {e.path: e.sha256 for e in m.files},
        "fingerprint": fp,
    }


def is_current(ref: TableRef, fp: str) -> bool:
    meta = io.read_provenance(io.processed_path(ref.name))
    return bool(meta) and meta.get("fingerprint") == fp


def build(only: list[str] | None = None, *, force: bool = False) -> list[dict]:
    """Build every processed table (or those of ``only`` sources); return a status row per table."""
    refs = plan(only)
    needed = sorted({(r.source, r.vintage) for r in refs})
    manifest.require_all([manifest.load(s, v) for s, v in needed])
    manifest.require_new_editions(sorted({s for s, _ in needed}))
    fps = {sv: fingerprint(*sv) for sv in needed}
    rows = []
    for ref in refs:
        fp = fps[(ref.source, ref.vintage)]
        if not force and is_current(ref, fp):
            rows.append({"table": ref.name, "status": "up to date", "rows": None, "seconds": 0.0})
            continue
        start = time.perf_counter()
        builder = sources.get(ref.source).TABLES[ref.table]
        df = builder(ref.vintage)
        if not isinstance(df, pd.DataFrame) or df.empty:
            msg = f"{ref.name}: builder returned no rows"
            raise RuntimeError(msg)
        io.write_processed(df, ref.name, _provenance(ref, fp))
        rows.append({"table": ref.name, "status": "built", "rows": len(df), "seconds": round(time.perf_counter() - start, 2)})
        log.info("built %s (%d rows)", ref.name, len(df))
    return rows


def table(source: str, name: str, vintage: str | None = None, *, build_if_missing: bool = True) -> pd.DataFrame:
    """Read a processed table, building it first if it is missing or stale.

    Notebooks call this (never a raw path): ``store.table("kenmin_keizai", "gdp")``.
    """
    vintage = str(vintage or default_vintage(source))
    ref = TableRef(source, vintage, name)
    module = sources.get(source)
    if name not in getattr(module, "TABLES", {}):
        msg = f"Source {source!r} has no table {name!r}; tables: {sorted(getattr(module, 'TABLES', {}))}"
        raise KeyError(msg)
    if vintage not in manifest.vintages(source):
        msg = f"Source {source!r} has no vintage {vintage!r}; declared: {manifest.vintages(source)}"
        raise KeyError(msg)
    path = io.processed_path(ref.name)
    if build_if_missing and (not path.exists() or not is_current(ref, fingerprint(source, vintage))):
        build([source])
    df = io.read_processed(ref.name)
    df.attrs["source_pairs"] = [(source, vintage)]
    return df


def processed_files() -> list[Path]:
    return sorted(paths.PROCESSED.rglob("*.parquet"))
