"""Run the analysis notebooks with papermill into ``reports/<notebook>/<region>/``.

Parameters are validated *before* any work: every name must exist in the notebook's cell tagged
``parameters`` and have the type of its default (an ``int`` default accepts only an int, a
``list`` default only a list …). Notebook names are only those of the project's ``notebooks/``
folder (``NN_name``, discovered, never a path). The region is resolved through
:func:`hokuriku.codes.prefectures.region` (name or list of prefecture codes).

Each run writes the executed notebook and an HTML rendering with the code hidden
(nbconvert ``--no-input``). A stamp of the inputs (notebook, parameters, package code and the
fingerprints of the processed tables) makes a rerun skip notebooks whose inputs did not change;
the stamp is checked in the parent process with light imports only (no papermill, nbconvert or
jsonschema), so a no-op ``make reports`` takes well under two seconds.

:func:`run_many` runs several (notebook, region) jobs in parallel kernels, one worker process per
idle core at most (:func:`hokuriku.parallel.workers`; ``HOKURIKU_JOBS`` overrides); each worker imports papermill once and runs its jobs
one after another. Jobs write only to their own folder, so the output is the same as a
sequential run.

Crash safety of a report folder ``reports/<nb>/<region>``: a run writes everything into a
staging folder ``.<region>.staging-*`` and finishes it by writing the stamp; then two renames swap
it in: the old folder to ``.<region>.old-*``, the staging folder to the report. :func:`recover`
(called before every run of that folder, under a per-folder lock) repairs an interrupted swap at
any point: with the report missing, the newest complete staging folder (one holding a stamp) or
else the ``.old-*`` folder becomes the report; every other leftover is removed.
"""

from __future__ import annotations

import ast
import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from hokuriku import paths
from hokuriku.errors import HokurikuError, NotebookError, ParameterError
from hokuriku.reporting.parameters import check_known

STAMP = ".inputs.sha256"
ELAPSED = ".elapsed_s"  # seconds the last run took: longest jobs start first
_CRASH_ENV = "HOKURIKU_TEST_CRASH_AT"  # tests only: SIGKILL the process at a named point of the swap


def all_notebooks() -> list[str]:
    """Notebook names in run order (``10_…``, ``20_…`` …), discovered from ``notebooks/``."""
    return sorted(p.stem for p in paths.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb") if p.is_file())


def notebook_path(name: str) -> Path:
    """The notebook file of a project notebook name; anything else (paths, ``..``) is refused."""
    known = all_notebooks()
    if not isinstance(name, str) or name not in known:
        msg = f"Unknown notebook {name!r}: expected one of the project's notebooks {known}"
        raise ParameterError(msg)
    return paths.NOTEBOOKS / f"{name}.ipynb"


def declared_parameters(path: Path) -> dict[str, object]:
    """Names and default values of the notebook's ``parameters`` cell (literals only)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        msg = f"{path.name}: expected exactly one cell tagged 'parameters', found {len(cells)}"
        raise ParameterError(msg)
    tree = ast.parse("".join(cells[0]["source"]))
    out: dict[str, object] = {}
    for node in tree.body:
        target = node.target if isinstance(node, ast.AnnAssign) else (node.targets[0] if isinstance(node, ast.Assign) else None)
        if isinstance(target, ast.Name) and node.value is not None:
            out[target.id] = ast.literal_eval(node.value)
    return out


def _type_ok(default: object, value: object) -> bool:
    if default is None:
        return True
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(default, (list, tuple)):
        return isinstance(value, (list, tuple))
    return isinstance(value, type(default))


def _resolve_region(spec: object):
    from hokuriku.codes.prefectures import region  # noqa: PLC0415 - pandas only when a region is resolved

    return region(spec)


def validate_parameters(name: str, params: dict) -> dict:
    """Check names and types against the notebook's defaults; resolve ``region``."""
    declared = declared_parameters(notebook_path(name))
    check_known(params, declared, where=name)
    for key, value in params.items():
        default = declared[key]
        if key == "region" and isinstance(value, (list, tuple)):
            continue
        if not _type_ok(default, value):
            msg = (
                f"{name}: parameter {key!r} must be {type(default).__name__} like its default "
                f"{default!r}; got {type(value).__name__} {value!r}"
            )
            raise ParameterError(msg)
    if "region" in declared:
        _resolve_region(params.get("region", declared["region"]))
    return params


_PACKAGE_HASH: str | None = None


def _package_hash() -> str:
    global _PACKAGE_HASH  # noqa: PLW0603 - one hash per process: the code does not change during a run
    if _PACKAGE_HASH is None:
        digest = hashlib.sha256()
        pkg = Path(__file__).resolve().parents[1]
        for f in sorted(pkg.rglob("*")):
            if f.is_file() and f.suffix in {".py", ".csv", ".yml", ".yaml", ".mplstyle"} and "__pycache__" not in f.parts:
                digest.update(f.read_bytes())
        _PACKAGE_HASH = digest.hexdigest()
    return _PACKAGE_HASH


def _data_hash() -> str:
    from hokuriku import io  # noqa: PLC0415

    digest = hashlib.sha256()
    for f in sorted(paths.PROCESSED.rglob("*.parquet")):
        meta = io.read_provenance(f) or {}
        digest.update(f"{f.relative_to(paths.PROCESSED)}:{meta.get('fingerprint')}".encode())
    return digest.hexdigest()


def out_dir(name: str, region_spec: object, params: dict | None = None) -> Path:
    """``reports/<notebook>/<region name>/`` (``富山県``, ``北陸3県``); a run whose other parameters differ
    from the notebook's defaults gets ``<region name>__<digest of those parameters>`` instead, so the
    next default run never overwrites it (and the deck of the region keeps using the default run)."""
    folder = _resolve_region(region_spec).folder
    declared = declared_parameters(notebook_path(name)) if params else {}
    changed = {k: v for k, v in (params or {}).items() if k not in ("region", "out_dir") and declared.get(k) != v}
    if changed:
        digest = hashlib.sha256(json.dumps(changed, sort_keys=True, ensure_ascii=False, default=str).encode())
        folder += f"__{digest.hexdigest()[:8]}"
    return paths.REPORTS / name / folder


@dataclass(frozen=True)
class Job:
    """One notebook run: everything a worker process needs (plain data, picklable)."""

    name: str
    region: str
    notebook: Path
    dest: Path
    params: dict
    stamp: str
    kernel: str = "python3"

    @property
    def label(self) -> str:
        return f"{self.name} [{self.region}]"


def prepare(name: str, params: dict | None = None, *, force: bool = False, kernel: str = "python3",
            data_hash: str | None = None) -> tuple[Job, bool]:
    """Validate a run and compute its stamp; return the job and whether its report is up to date."""
    params = dict(params or {})
    validate_parameters(name, params)
    path = notebook_path(name)
    declared = declared_parameters(path)
    region_spec = params.get("region", declared.get("region", "HOKURIKU3"))
    dest = out_dir(name, region_spec, params)
    params["out_dir"] = str(dest)
    stamp_value = hashlib.sha256(
        json.dumps(
            {"nb": hashlib.sha256(path.read_bytes()).hexdigest(), "params": params,
             "pkg": _package_hash(), "data": data_hash if data_hash is not None else _data_hash()},
            sort_keys=True, default=str,
        ).encode()
    ).hexdigest()
    region_label = region_spec if isinstance(region_spec, str) else ",".join(map(str, region_spec))
    job = Job(name, region_label, path, dest, params, stamp_value, kernel)
    stamp = dest / STAMP
    current = (not force and stamp.is_file() and stamp.read_text().strip() == stamp_value
               and (dest / f"{name}.html").exists())
    return job, current


def run(name: str, params: dict | None = None, *, force: bool = False, kernel: str = "python3") -> Path:
    """Execute one notebook with papermill in this process; return the folder of its outputs.

    The notebook runs with ``out_dir`` set to a staging folder beside ``reports/<name>/<region>/``;
    its tables, charts, the executed notebook and the HTML rendering are all written there, and the
    staging folder replaces the report folder only when everything succeeded. A failed run therefore
    leaves the previous report complete and untouched, and a successful one leaves no stale files.
    A notebook error is raised as :class:`~hokuriku.errors.NotebookError` naming the cell.
    """
    job, current = prepare(name, params, force=force, kernel=kernel)
    if current:
        with _locked(job.dest):
            recover(job.dest)
        return job.dest
    execute(job)
    return job.dest


# --- execution (worker side) ------------------------------------------------------------------


@contextlib.contextmanager
def _locked(dest: Path) -> Iterator[None]:
    """Hold an exclusive lock on one report folder (two runs of the same folder never interleave)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    lock = dest.parent / f".{dest.name}.lock"
    with lock.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _crash_point(name: str) -> None:
    if os.environ.get(_CRASH_ENV) == name:  # pragma: no cover - the process dies here (tests only)
        import signal  # noqa: PLC0415

        os.kill(os.getpid(), signal.SIGKILL)


def _leftovers(dest: Path, kind: str) -> list[Path]:
    """``.<dest>.staging-*`` or ``.<dest>.old-*`` folders, newest first."""
    found = [p for p in dest.parent.glob(f".{dest.name}.{kind}-*") if p.is_dir() and not p.is_symlink()]
    return sorted(found, key=lambda p: p.stat().st_mtime_ns, reverse=True)


def recover(dest: Path) -> list[str]:
    """Repair what a killed run left beside ``dest``; return a description of each action.

    Report missing: the newest complete staging folder (stamp written: everything else was written
    before it) becomes the report, else the newest ``.old-*`` folder. Then every other staging and
    ``.old-*`` folder is removed. Call it holding the folder's lock.
    """
    actions = []
    if not dest.parent.is_dir():
        return actions
    if not dest.exists():
        complete = [p for p in _leftovers(dest, "staging") if (p / STAMP).is_file()]
        old = _leftovers(dest, "old")
        if complete:
            complete[0].rename(dest)
            actions.append(f"recovered {dest.name} from its completed staging folder")
        elif old:
            old[0].rename(dest)
            actions.append(f"restored {dest.name} from {old[0].name}")
    for kind in ("staging", "old"):
        for p in _leftovers(dest, kind):
            shutil.rmtree(p)
            actions.append(f"removed leftover {p.name}")
    return actions


_LEFTOVER = re.compile(r"^\.(?P<dest>.+)\.(?:staging|old)-[^/]*$")


def recover_all(root: Path | None = None) -> list[str]:
    """:func:`recover` every report folder under ``root`` (``reports/``) that has leftovers.

    Run at the start of ``python -m hokuriku reports``, so a killed run's ``.staging-*`` and
    ``.old-*`` folders are repaired or removed even for notebooks and regions not run again. A
    folder whose lock another run holds is left to that run.
    """
    root = paths.REPORTS if root is None else root
    actions = []
    if not root.is_dir():
        return actions
    dests = sorted({p.parent / m["dest"] for p in root.glob("*/.*") if p.is_dir() and (m := _LEFTOVER.match(p.name))})
    for dest in dests:
        lock = dest.parent / f".{dest.name}.lock"
        with lock.open("a") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            try:
                actions += [f"{dest.parent.name}/{a}" for a in recover(dest)]
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
    return actions


def swap_in(staging: Path, dest: Path) -> None:
    """Replace ``dest`` by the complete ``staging`` folder (two renames on the same file system).

    A crash at any point leaves either ``dest`` whole, or the complete staging and/or the old
    folder from which :func:`recover` restores a whole report.
    """
    backup = None
    _crash_point("before_backup")
    if dest.exists():
        backup = dest.parent / f".{dest.name}.old-{os.getpid()}-{time.monotonic_ns()}"
        dest.rename(backup)
    _crash_point("after_backup")
    staging.rename(dest)
    _crash_point("after_swap")
    if backup is not None:
        shutil.rmtree(backup)


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _summarise_failure(job: Job, exc: Exception) -> str:
    """A few lines naming the notebook, region, cell, its failing line and the error."""
    cell = getattr(exc, "cell_index", None)
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = _ANSI.sub("", str(getattr(exc, "evalue", exc))).strip()
    lines = [f"{job.label}: cell {cell} failed: {ename}: {evalue}" if cell is not None
             else f"{job.label}: failed: {ename}: {evalue}"]
    source = [s for s in str(getattr(exc, "source", "")).splitlines() if s.strip() and not s.lstrip().startswith("#")]
    if source:
        lines.append(f"    in: {source[0].strip()[:120]}{' …' if len(source) > 1 else ''}")
    return "\n".join(lines)


def _alt_texts(nb) -> None:  # noqa: ANN001 - an nbformat node
    """Give every PNG output alt text (the nearest markdown heading above it) as an ``<img>`` in HTML.

    nbconvert's lab template writes ``<img>`` without ``alt`` and then warns; an HTML rendering of
    the same PNG with ``alt`` set takes precedence in the HTML export (the .ipynb is not changed).
    """
    import html  # noqa: PLC0415

    heading = "グラフ"
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.lstrip().startswith("#"):
                    heading = line.lstrip("# ").strip() or heading
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "image/png" in data and "text/html" not in data:
                alt = out.get("metadata", {}).get("image/png", {}).get("alt") or f"図: {heading}"
                b64 = str(data["image/png"]).replace("\n", "")
                data["text/html"] = f'<img src="data:image/png;base64,{b64}" alt="{html.escape(alt)}">'


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _kernel_manager_class():
    """A kernel manager on IPC sockets in a private temporary folder (no unencrypted TCP)."""
    from jupyter_client import AsyncKernelManager  # noqa: PLC0415

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs) -> None:
            super().__init__(**kwargs)
            self.transport = "ipc"
            self._ipc_dir = tempfile.mkdtemp(prefix="hk-kernel-")
            self.ip = str(Path(self._ipc_dir) / "k")

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            await super()._async_cleanup_resources(restart=restart)
            if not restart:
                shutil.rmtree(self._ipc_dir, ignore_errors=True)

        cleanup_resources = _async_cleanup_resources

    return IPCKernelManager


def execute(job: Job) -> float:
    """Run one job (papermill + HTML export + swap), holding the folder's lock; return seconds.

    Raises :class:`~hokuriku.errors.NotebookError` with a short summary when a cell fails.
    """
    import copy  # noqa: PLC0415
    import logging  # noqa: PLC0415

    import nbformat  # noqa: PLC0415
    import papermill as pm  # noqa: PLC0415
    from nbconvert import HTMLExporter  # noqa: PLC0415
    from papermill.exceptions import PapermillExecutionError  # noqa: PLC0415

    logging.getLogger("papermill").setLevel(logging.ERROR)
    start = time.perf_counter()
    dest = job.dest
    with _locked(dest):
        recover(dest)
        staging = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}.staging-"))
        staging.chmod(0o777 & ~_umask())  # mkdtemp is 0700: reports follow the user's umask
        try:
            executed = staging / f"{job.name}.ipynb"
            try:
                pm.execute_notebook(
                    str(job.notebook), str(executed), parameters={**job.params, "out_dir": str(staging)},
                    cwd=str(paths.PROJ_ROOT), kernel_name=job.kernel, progress_bar=False, report_mode=False,
                    kernel_manager_class=_kernel_manager_class(),
                )
            except PapermillExecutionError as exc:
                raise NotebookError(_summarise_failure(job, exc)) from None
            nb = nbformat.read(executed, as_version=4)
            view = copy.deepcopy(nb)
            _alt_texts(view)
            exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
            html, _ = exporter.from_notebook_node(view)
            (staging / f"{job.name}.html").write_text(html, encoding="utf-8")
            (staging / ELAPSED).write_text(f"{time.perf_counter() - start:.1f}\n")
            (staging / STAMP).write_text(job.stamp)  # written last: marks the staging folder complete
            swap_in(staging, dest)
        finally:
            if staging.exists():
                shutil.rmtree(staging)
    return time.perf_counter() - start


def _worker(job: Job) -> tuple[Job, float, str | None]:
    try:
        return job, execute(job), None
    except HokurikuError as exc:
        return job, 0.0, str(exc)
    except OSError as exc:
        return job, 0.0, f"{job.label}: {exc.strerror or exc} ({exc.filename or ''})"
    except Exception as exc:  # noqa: BLE001 - a worker reports, the parent decides
        return job, 0.0, _summarise_failure(job, exc)


def default_workers() -> int:
    """Parallel kernels: ``HOKURIKU_JOBS`` if set, else the idle cores (:func:`hokuriku.parallel.workers`)."""
    from hokuriku import parallel  # noqa: PLC0415

    return parallel.workers()


def _previous_seconds(job: Job) -> float:
    try:
        return float((job.dest / ELAPSED).read_text())
    except (OSError, ValueError):
        return 0.0


def run_many(jobs: list[Job], *, workers: int | None = None,
             on_done: Callable[[Job, float, str | None], None] | None = None) -> list[tuple[Job, float, str | None]]:
    """Run jobs in at most ``workers`` parallel kernels; return (job, seconds, error or None) per job.

    Jobs are started longest-first by their previous run time when known. A failing job does not
    stop the others.
    """
    workers = min(workers or default_workers(), max(len(jobs), 1))
    jobs = sorted(jobs, key=_previous_seconds, reverse=True)
    results = []
    if workers <= 1:
        for job in jobs:
            res = _worker(job)
            results.append(res)
            if on_done:
                on_done(*res)
        return results
    import multiprocessing as mp  # noqa: PLC0415
    from concurrent.futures import ProcessPoolExecutor, as_completed  # noqa: PLC0415

    ctx = mp.get_context("spawn")  # the parent may hold pyarrow threads: never fork it
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = [pool.submit(_worker, job) for job in jobs]
        for fut in as_completed(futures):
            res = fut.result()
            results.append(res)
            if on_done:
                on_done(*res)
    return results
