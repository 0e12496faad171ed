"""Thin notebooks (STYLE.md B4, OWID test_etl_step_code): no defs, no paths or URLs, no outputs, typed parameters."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
PATHLIKE = re.compile(r"(https?://|data/raw|data/processed|\.\./|/work/|\.(csv|xlsx|json|parquet|dta|png|svg)\b)")


def _code_cells(path: Path) -> list[dict]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def test__there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test__notebook_is_thin(path):
    cells = _code_cells(path)
    params = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(params) == 1, f"{path.name}: needs exactly one cell tagged 'parameters'"
    assert cells.index(params[0]) == 0, f"{path.name}: the parameters cell must be the first code cell"
    for node in ast.parse("".join(params[0]["source"])).body:
        assert isinstance(node, ast.AnnAssign), f"{path.name}: parameters must be typed (name: type = default)"
    for i, cell in enumerate(cells):
        src = "".join(cell["source"])
        assert not cell.get("outputs"), f"{path.name} cell {i}: committed with outputs"
        assert cell.get("execution_count") is None, f"{path.name} cell {i}: execution count committed"
        tree = ast.parse(src)
        for node in ast.walk(tree):
            assert not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)), (
                f"{path.name} cell {i}: defines a function/class; move it into hokuriku/"
            )
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"open", "exec", "eval"}, f"{path.name} cell {i}: calls {node.func.id}()"
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert not PATHLIKE.search(node.value), f"{path.name} cell {i}: path or URL literal {node.value!r}"


def test__lint_catches_a_function_definition(tmp_path, monkeypatch):
    """The lint itself can fail: a notebook with a def is rejected."""
    bad = tmp_path / "99_bad.ipynb"
    bad.write_text(json.dumps({"cells": [
        {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": "region: str = 'HOKURIKU3'\n",
         "outputs": [], "execution_count": None},
        {"cell_type": "code", "metadata": {}, "source": "def f():\n    return 1\n", "outputs": [], "execution_count": None},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    with pytest.raises(AssertionError, match="defines a function"):
        test__notebook_is_thin(bad)
