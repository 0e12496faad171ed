"""Run the analysis notebooks with papermill into ``reports/<notebook>/<region>/``.

Parameters are validated *before* any work: every name must exist in the notebook's cell tagged
``parameters`` and have the type of its default (an ``int`` default accepts only an int, a
``list`` default only a list …). The region is resolved through
:func:`hokuriku.codes.prefectures.region` (name or list of prefecture codes).

Each run writes the executed notebook and an HTML rendering with the code hidden
(nbconvert ``--no-input``). A stamp of the inputs (notebook, parameters, package code and the
fingerprints of the processed tables) makes a rerun skip notebooks whose inputs did not change.
"""

from __future__ import annotations

import ast
import hashlib
import json
import shutil
import tempfile
from pathlib import Path

from hokuriku import io, paths
from hokuriku.codes.prefectures import region as resolve_region
from hokuriku.errors import ParameterError
from hokuriku.reporting.parameters import check_known

STAMP = ".inputs.sha256"


def notebook_path(name: str) -> Path:
    path = paths.NOTEBOOKS / f"{name}.ipynb"
    if not path.exists():
        known = sorted(p.stem for p in paths.NOTEBOOKS.glob("[0-9]*.ipynb"))
        msg = f"Unknown notebook {name!r}; notebooks: {known}"
        raise ParameterError(msg)
    return path


def all_notebooks() -> list[str]:
    """Notebook names in run order (``10_…``, ``20_…`` …)."""
    return sorted(p.stem for p in paths.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


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
        resolve_region(params.get("region", declared["region"]))
    return params


def _package_hash() -> str:
    digest = hashlib.sha256()
    pkg = Path(__file__).resolve().parents[1]
    for f in sorted(pkg.rglob("*")):
        if f.is_file() and f.suffix in {".py", ".csv", ".yml", ".yaml", ".mplstyle"} and "__pycache__" not in f.parts:
            digest.update(f.read_bytes())
    return digest.hexdigest()


def _data_hash() -> str:
    digest = hashlib.sha256()
    for f in sorted(paths.PROCESSED.rglob("*.parquet")):
        meta = io.read_provenance(f) or {}
        digest.update(f"{f.relative_to(paths.PROCESSED)}:{meta.get('fingerprint')}".encode())
    return digest.hexdigest()


def out_dir(name: str, region_spec: object, params: dict | None = None) -> Path:
    """``reports/<notebook>/<region name>/`` (``富山県``, ``北陸3県``); a run whose other parameters differ
    from the notebook's defaults gets ``<region name>__<digest of those parameters>`` instead, so the
    next default run never overwrites it (and the deck of the region keeps using the default run)."""
    folder = resolve_region(region_spec).folder
    declared = declared_parameters(notebook_path(name)) if params else {}
    changed = {k: v for k, v in (params or {}).items() if k not in ("region", "out_dir") and declared.get(k) != v}
    if changed:
        digest = hashlib.sha256(json.dumps(changed, sort_keys=True, ensure_ascii=False, default=str).encode())
        folder += f"__{digest.hexdigest()[:8]}"
    return paths.REPORTS / name / folder


def run(name: str, params: dict | None = None, *, force: bool = False, kernel: str = "python3") -> Path:
    """Execute one notebook with papermill; return the folder of its outputs.

    The notebook runs with ``out_dir`` set to a staging folder beside ``reports/<name>/<region>/``;
    its tables, charts, the executed notebook and the HTML rendering are all written there, and the
    staging folder replaces the report folder only when everything succeeded. A failed run therefore
    leaves the previous report complete and untouched, and a successful one leaves no stale files.
    """
    import nbformat
    import papermill as pm
    from nbconvert import HTMLExporter

    params = dict(params or {})
    validate_parameters(name, params)
    declared = declared_parameters(notebook_path(name))
    region_spec = params.get("region", declared.get("region", "HOKURIKU3"))
    dest = out_dir(name, region_spec, params)
    params["out_dir"] = str(dest)
    stamp_value = hashlib.sha256(
        json.dumps(
            {"nb": hashlib.sha256(notebook_path(name).read_bytes()).hexdigest(), "params": params,
             "pkg": _package_hash(), "data": _data_hash()},
            sort_keys=True, default=str,
        ).encode()
    ).hexdigest()
    stamp = dest / STAMP
    if not force and stamp.exists() and stamp.read_text().strip() == stamp_value and (dest / f"{name}.html").exists():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}.staging-"))
    try:
        executed = staging / f"{name}.ipynb"
        pm.execute_notebook(
            str(notebook_path(name)), str(executed), parameters={**params, "out_dir": str(staging)},
            cwd=str(paths.PROJ_ROOT), kernel_name=kernel, progress_bar=False, report_mode=False,
        )
        nb = nbformat.read(executed, as_version=4)
        exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
        html, _ = exporter.from_notebook_node(nb)
        (staging / f"{name}.html").write_text(html, encoding="utf-8")
        (staging / STAMP).write_text(stamp_value)
        _swap_in(staging, dest)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return dest


def _swap_in(staging: Path, dest: Path) -> None:
    """Replace ``dest`` by ``staging`` (two renames on the same file system)."""
    backup = None
    if dest.exists():
        backup = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}.old-"))
        backup.rmdir()
        dest.rename(backup)
    staging.rename(dest)
    if backup is not None:
        shutil.rmtree(backup)
