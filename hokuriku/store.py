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

import contextlib
import copy
import functools
import hashlib
import inspect
import logging
import os
import pickle
import resource
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from hokuriku import __version__, io, manifest, paths, sources
from hokuriku.errors import HokurikuError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TableRef:
    source: str
    vintage: str
    table: str

    @property
    def name(self) -> str:
        return f"core/{self.source}/{self.vintage}/{self.table}"


LATEST = "latest"
"""A vintage parameter meaning "the newest declared vintage of this source" (:func:`latest_vintage`)."""


def _vintage_order(vintage: str) -> tuple[str, int, str]:
    base, _, suffix = vintage.partition("_")
    return (base, 0 if suffix else 1, suffix)


def latest_vintage(source: str) -> str:
    """The newest vintage declared under ``data/raw/<source>/`` (a folder with a ``MANIFEST.yml``).

    Vintage ids sort as text (``2024`` < ``2025``, ``2024-01-01`` < ``2025-01-01``); an id with a suffix after
    ``_`` (``2022-01-01_derived``) is an alternative edition of the same date and ranks below the plain id.
    Dropping a new vintage folder with its manifest into ``data/raw`` makes it the latest, with no code change.
    """
    declared = manifest.vintages(source)
    if not declared:
        msg = f"Source {source!r} has no declared vintage under data/raw/{source}/"
        raise KeyError(msg)
    return max(declared, key=_vintage_order)


def resolve_vintage(source: str, vintage: str | None) -> str:
    """``None`` → the source's default vintage; ``"latest"`` → :func:`latest_vintage`; else ``vintage``."""
    if vintage is None:
        return default_vintage(source)
    vintage = str(vintage)
    return latest_vintage(source) if vintage == LATEST else vintage


def default_vintage(source: str) -> str:
    module = sources.get(source)
    vintage = getattr(module, "DEFAULT_VINTAGE", None)
    if vintage == LATEST:
        return latest_vintage(source)
    return vintage or manifest.vintages(source)[-1]


def tables_for(source: str, vintage: str) -> list[str]:
    """The tables a source-vintage carries: ``module.tables_for(vintage)`` when defined, else all ``TABLES``."""
    module = sources.get(source)
    hook = getattr(module, "tables_for", None)
    return list(hook(vintage)) if hook is not None else list(getattr(module, "TABLES", {}))


def _shared_digest() -> "hashlib._Hash":
    """The part of every fingerprint that does not depend on the source: package version, the
    shared parsing rules and the code tables under ``hokuriku/codes`` (JSIC names, municipal
    aliases, prefectures), which any loader may map through."""
    digest = hashlib.sha256(__version__.encode())
    for helper in ("hokuriku.sources._parse", "hokuriku.sources._io_grid", "hokuriku.sources._readers"):
        digest.update(inspect.getsource(__import__(helper, fromlist=["x"])).encode())
    _hash_folder(digest, paths.CODES_DATA.parent)
    return digest


def _hash_folder(digest, folder: Path) -> None:  # noqa: ANN001 - a hashlib object
    if folder.is_dir():
        for f in sorted(folder.rglob("*")):
            if f.is_file() and "__pycache__" not in f.parts:
                digest.update(f.read_bytes())


def fingerprint(source: str, vintage: str, shared=None) -> str:  # noqa: ANN001
    """Hash of everything a source-vintage's tables depend on.

    :func:`_shared_digest` (package version, shared parsing rules, code tables), then the manifest,
    the source module and the source's layout maps: editing any of them rebuilds the tables.
    ``shared``: a :func:`_shared_digest` already computed (a build computes it once, not per source).
    """
    digest = (shared or _shared_digest()).copy()
    digest.update(manifest.load(source, vintage).manifest_path.read_bytes())
    digest.update(inspect.getsource(sources.get(source)).encode())
    _hash_folder(digest, paths.LAYOUTS / source)
    return digest.hexdigest()


def plan(only: list[str] | None = None) -> list[TableRef]:
    """Every (source, vintage, table) the store builds."""
    refs = []
    for source in sorted(sources.SOURCES):
        if only and source not in only:
            continue
        for vintage in manifest.vintages(source):
            for table in tables_for(source, vintage):
                refs.append(TableRef(source, vintage, table))
    return refs


def _provenance(ref: TableRef, fp: str, commit: str | None = None) -> dict:
    m = manifest.load(ref.source, ref.vintage)
    return {
        "git_commit": commit if commit is not None else io.git_commit(),
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


MEMOISED = ("parse", "load")
"""Module functions of a source whose results are memoised per call arguments during one build:
tables of one source that read the same raw file (``ssdse_a`` items and key variables, census
population and age, IPSS municipalities and prefecture totals …) parse it once."""


@contextlib.contextmanager
def memoised(module) -> Iterator[None]:  # noqa: ANN001 - a source module
    """Within the block, ``module.parse``/``module.load`` return a copy of their first result per arguments.

    Loaders call them through the module's globals, so rebinding the names is enough; callers get a
    shallow copy: pandas' copy-on-write (always on since pandas 3) copies a column the moment a
    loader edits it in place (``df[c] = …``, ``.loc``/``.iloc`` assignment, ``inplace=True``, ``attrs``,
    index names), so one table's edits cannot reach the cached frame or another table — without
    copying every column on every call (``tests/unit/test_store_memoised.py``). Writing into the
    buffers behind ``.array``/``.values`` is outside that contract and no loader does it. Calls with
    unhashable arguments (e.g. a DataFrame) are not cached.
    """
    originals = {n: getattr(module, n) for n in MEMOISED if callable(getattr(module, n, None))}

    def wrap(fn):  # noqa: ANN001, ANN202
        cache: dict = {}

        @functools.wraps(fn)
        def cached(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            try:
                key = (args, tuple(sorted(kwargs.items())))
                hash(key)
            except TypeError:
                return fn(*args, **kwargs)
            if key not in cache:
                cache[key] = fn(*args, **kwargs)
            out = cache[key]
            return out.copy(deep=False) if isinstance(out, pd.DataFrame) else out

        return cached

    try:
        for n, fn in originals.items():
            setattr(module, n, wrap(fn))
        yield
    finally:
        for n, fn in originals.items():
            setattr(module, n, fn)


def _build_group(refs: list[TableRef], fps: dict, force: bool, commit: str | None = None) -> list[dict]:
    """Build the tables of one source-vintage (in this process), parsing each raw file once.

    ``commit`` is the project's git commit recorded in each table's provenance (looked up once per
    build by :func:`build`, not once per table).
    """
    rows = []
    module = sources.get(refs[0].source)
    with memoised(module):
        for ref in refs:
            fp = fps[(ref.source, ref.vintage)]
            if not force and is_current(ref, fp):
                rows.append({"table": ref.name, "status": "up to date", "rows": None, "seconds": 0.0})
                continue
            start = time.perf_counter()
            builder = module.TABLES[ref.table]
            df = builder(ref.vintage)
            if not isinstance(df, pd.DataFrame) or df.empty:
                msg = f"{ref.name}: builder returned no rows"
                raise RuntimeError(msg)
            io.write_processed(df, ref.name, _provenance(ref, fp, commit))
            rows.append({"table": ref.name, "status": "built", "rows": len(df),
                         "seconds": round(time.perf_counter() - start, 2)})
            log.info("built %s (%d rows)", ref.name, len(df))
    return rows


def _group_worker(refs: list[TableRef], fps: dict, force: bool, state: dict) -> tuple[list[dict], int, dict]:
    """Pool side of :func:`build`: build one source's tables; return rows and this process's peak RSS."""
    for name, value in state["paths"].items():  # the parent's folders (tests and benchmarks redirect them)
        setattr(paths, name, value)
    sources.SOURCES.update(state["sources"])
    import pyarrow as pa  # noqa: PLC0415

    pa.set_cpu_count(1)  # one worker per core already: Arrow's own thread pool would only contend with the others
    started = time.time()
    try:
        rows = _build_group(refs, fps, force, state["commit"])
    except Exception as exc:
        try:  # errors with keyword-only constructors do not survive pickling: send their text
            pickle.loads(pickle.dumps(exc))
        except Exception:  # noqa: BLE001
            raise HokurikuError(f"{type(exc).__name__}: {exc}") from None
        raise
    timing = {"group": f"{refs[0].source}/{refs[0].vintage}", "pid": os.getpid(), "start": started, "end": time.time()}
    return rows, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, timing


def build_workers() -> int:
    """Worker processes for ``make data``: ``HOKURIKU_JOBS`` if set, else the idle cores."""
    from hokuriku import parallel  # noqa: PLC0415

    return parallel.workers()


def _pool_context(mp):  # noqa: ANN001, ANN202 - the multiprocessing module
    """``fork`` where the platform has it and this process runs one Python thread: workers start
    with this process's imports (pandas, pyarrow, every source module: ≈1.5 s a worker with
    ``spawn``/``forkserver``). The parent has run no pandas/pyarrow work that starts threads before
    the pool (manifests, fingerprints and parquet footers only), and pyarrow re-creates its thread
    pools in a forked child. A process with other Python threads (a Jupyter kernel, a sampler)
    could fork while one of them holds a lock, so it gets ``forkserver`` (or ``spawn``)."""
    import threading  # noqa: PLC0415

    methods = mp.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return mp.get_context("fork")
    return mp.get_context("forkserver" if "forkserver" in methods else "spawn")


LAST_BUILD: dict = {}
"""Statistics of the last :func:`build` in this process (workers, peak RSS of the largest worker)."""


def build(only: list[str] | None = None, *, force: bool = False, workers: int | None = None) -> list[dict]:
    """Build every processed table (or those of ``only`` sources); return a status row per table.

    Source-vintages are independent: the tables of one source-vintage are built in one worker
    process (so a raw file shared by its tables is parsed once, and the memoised frames are freed
    when it is done), up to ``workers`` at a time (default: the idle cores, :func:`hokuriku.parallel.workers`), largest raw input first.
    With one worker, or one source-vintage to build, everything runs in this process.
    """
    refs = plan(only)
    needed = sorted({(r.source, r.vintage) for r in refs})
    # A full build checks up front every declared raw file, including those only the notebooks read
    # (boundaries have no processed table): one error listing all missing files, before building anything.
    manifest.require_all(manifest.all_manifests() if not only else [manifest.load(s, v) for s, v in needed])
    manifest.require_new_editions(sorted({s for s, _ in needed}))
    shared = _shared_digest()
    fps = {sv: fingerprint(*sv, shared) for sv in needed}
    groups: dict[tuple[str, str], list[TableRef]] = {}  # tables of one source-vintage share raw files
    for ref in refs:
        groups.setdefault((ref.source, ref.vintage), []).append(ref)
    todo = {s: g for s, g in groups.items()
            if force or not all(is_current(r, fps[(r.source, r.vintage)]) for r in g)}
    by_table: dict[str, dict] = {}
    for s, g in groups.items():
        if s not in todo:
            for r in g:
                by_table[r.name] = {"table": r.name, "status": "up to date", "rows": None, "seconds": 0.0}
    workers = min(workers or build_workers(), len(todo))
    LAST_BUILD.clear()
    LAST_BUILD.update(workers=max(workers, 1), worker_peak_rss=0)
    commit = io.git_commit() if todo else None
    if workers <= 1:
        for g in todo.values():
            for row in _build_group(g, fps, force, commit):
                by_table[row["table"]] = row
    else:
        import multiprocessing as mp  # noqa: PLC0415
        from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

        def weight(sv: tuple[str, str]) -> int:
            return sum(e.bytes for e in manifest.load(*sv).files)

        order = sorted(todo, key=weight, reverse=True)
        with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context(mp)) as pool:
            state = {"paths": {k: v for k, v in vars(paths).items() if isinstance(v, Path)},
                     "sources": dict(sources.SOURCES), "commit": commit}
            futures = [pool.submit(_group_worker, todo[s], fps, force, state) for s in order]
            for fut in futures:
                rows, rss, timing = fut.result()
                LAST_BUILD["worker_peak_rss"] = max(LAST_BUILD["worker_peak_rss"], rss)
                LAST_BUILD.setdefault("groups", []).append(timing)
                for row in rows:
                    by_table[row["table"]] = row
    return [by_table[r.name] for r in refs]


def table(source: str, name: str, vintage: str | None = None, *, build_if_missing: bool = True) -> pd.DataFrame:
    """Read a processed table, building it first if it is missing or stale.

    Notebooks call this (never a raw path): ``store.table("kenmin_keizai", "gdp")``. ``vintage`` may be
    ``"latest"`` (the newest declared vintage); ``attrs["source_pairs"]`` records the vintage actually used.
    """
    vintage = resolve_vintage(source, vintage)
    ref = TableRef(source, vintage, name)
    module = sources.get(source)
    if name not in getattr(module, "TABLES", {}):
        msg = f"Source {source!r} has no table {name!r}; tables: {sorted(getattr(module, 'TABLES', {}))}"
        raise KeyError(msg)
    if vintage not in manifest.vintages(source):
        msg = f"Source {source!r} has no vintage {vintage!r}; declared: {manifest.vintages(source)}"
        raise KeyError(msg)
    if name not in tables_for(source, vintage):
        msg = f"Source {source!r} vintage {vintage!r} has no table {name!r}; it carries {tables_for(source, vintage)}"
        raise KeyError(msg)
    path = io.processed_path(ref.name)
    if build_if_missing and (not path.exists() or not is_current(ref, fingerprint(source, vintage))):
        build([source])
    df = _read_once(ref.name, path)
    df.attrs["source_pairs"] = [(source, vintage)]
    return df


_READ_CACHE: dict[tuple, pd.DataFrame] = {}
_READ_CACHE_SIZE = 8


def _read_once(name: str, path: Path) -> pd.DataFrame:
    """Read a processed table once per process while its file is unchanged (a kernel reads shared inputs once).

    Keyed by path, size and mtime of the parquet file (rewritten atomically by every build). Callers
    get a shallow copy: pandas copy-on-write keeps the cached frame unchanged whatever they do.
    """
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _READ_CACHE:
        while len(_READ_CACHE) >= _READ_CACHE_SIZE:
            _READ_CACHE.pop(next(iter(_READ_CACHE)))
        _READ_CACHE[key] = io.read_processed(name)
    cached = _READ_CACHE[key]
    out = cached.copy(deep=False)
    out.attrs = copy.deepcopy(cached.attrs)
    return out


def processed_files() -> list[Path]:
    return sorted(paths.PROCESSED.rglob("*.parquet"))
