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


# Issue #15 item 1: no data vintage typed into markdown. A vintage-dependent statement (which edition, which
# year is the latest) is generated from the run by hokuriku.reporting.narrative; only phrases about FIXED
# methodology, which no new release in data/raw changes, may name a year. Keep this list small and explicit.
VINTAGE = re.compile(r"令和\d+年|平成\d+年|(?:19|20)\d\d年")
FIXED_METHOD_PHRASES = (
    "2020年10月1日の市区町村境域",  # target boundaries of the municipality crosswalk (Kondo/RIETI)
    "2020年時点のコード",  # same crosswalk target, in 30_manufacturing
    "2010年国勢調査",  # base of the engine's backtest (population.backtest)
    "2000年→2019年",  # NRI's own span (地域産業集積の類型整理 図表1)
    "2000年→最新年",  # NRI's start year of the long scatter
    "登米市は2000年から",  # NRI's definition of 北上川流域
    "2002年・2008年",  # JSIC revisions
    "2002年の改定",  # JSIC revision
    "平成27年（2015年）産業連関表",  # the IO table the ripple model is built on
    "県民経済計算（平成27年度）",  # the IO model's base year
    "都道府県表（平成27年）",  # 12-sector prefectural IO tables of the same base year
)


def _markdown_cells(path: Path) -> list[tuple[int, str]]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [(i, "".join(c["source"])) for i, c in enumerate(nb["cells"]) if c["cell_type"] == "markdown"]


def _vintage_hits(text: str) -> list[str]:
    for phrase in sorted(FIXED_METHOD_PHRASES, key=len, reverse=True):
        text = text.replace(phrase, "")
    return [m.group(0) for m in VINTAGE.finditer(text)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test__markdown_names_no_data_vintage(path):
    """Markdown states no edition or year of the data; narrative.* builds such sentences from the run."""
    bad = [(i, hits) for i, text in _markdown_cells(path) if (hits := _vintage_hits(text))]
    assert not bad, (f"{path.name}: markdown cells name a data vintage {bad}; generate the sentence with "
                     "hokuriku.reporting.narrative (or, for fixed methodology only, add the phrase to "
                     "FIXED_METHOD_PHRASES)")


def test__vintage_lint_can_fail():
    """The vintage lint itself rejects an edition typed into markdown and keeps the fixed-method phrases."""
    assert _vintage_hits("令和4年度県民経済計算") == ["令和4年"]  # 年度 is caught too
    assert _vintage_hits("令和7年1月1日現在、2024年 経済構造実態調査（2019年実績）") == ["令和7年", "2024年", "2019年"]
    assert _vintage_hits("自然増減と社会増減（2011〜2022年）") == ["2022年"]
    assert _vintage_hits("日本標準産業分類の改定（2002年・2008年）、NRI は 2000年→2019年") == []
