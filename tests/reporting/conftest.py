"""A tiny fake ``reports/`` tree: two notebooks × two regions with registered charts and tables.

The charts are drawn with matplotlib in a CJK font; the executed notebooks are minimal nbformat
documents carrying ``metadata.papermill.parameters`` like papermill writes them.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from hokuriku.reporting import outputs

SOURCE_GDP = "(出所) 内閣府「令和4年度県民経済計算」"
SOURCE_POP = "(出所) 総務省統計局「人口推計」"
CJK = ["Noto Sans CJK JP", "IPAexGothic"]
FAKE_SPEC = {
    "title": "{region}の地域経済指標",
    "subtitle": "検討会資料",
    "sections": [{"title": "総括", "slides": [{"notebook": "10_gdp_overview", "stem": "gdp_by_pref"},
                                             {"notebook": "10_gdp_overview", "stem": "gdp_table"}]}],
    "appendix": {"title": "参考資料", "max_table_slides": 1},
}
"""A deck spec for the fake reports (the shipped spec names the real notebooks' outputs)."""


def require_tool(name: str, *candidates: str) -> str:
    """Path of an external tool; skip locally, fail under CI (the tool is installed by .ci/run)."""
    for c in (name, *candidates):
        found = shutil.which(c)
        if found:
            return found
    msg = f"{name} is not installed (apt-get install it; .ci/run does)"
    if os.environ.get("CI", "").lower() in ("1", "true"):
        pytest.fail(msg)
    pytest.skip(msg)


def _chart(path_dir: Path, stem: str, title: str, *, order: int, vintages: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib_fontja  # noqa: F401 - registers IPAexGothic where Noto CJK is absent

    with plt.rc_context({"font.family": CJK}):
        fig, ax = plt.subplots(figsize=(8, 4.5))
        ax.bar(["富山", "石川", "福井"], [49276, 47173, 34943], color="#1f5fa8")
        ax.set_ylabel("億円")
        ax.set_title(title)
        outputs.save_chart(fig, path_dir, stem, title, SOURCE_GDP, order=order, vintages=vintages)
        plt.close(fig)


def _notebook(path: Path, params: dict) -> None:
    nb = {
        "cells": [],
        "metadata": {"papermill": {"parameters": params, "end_time": "2026-11-24T10:00:00"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def fake_reports(tmp_path) -> Path:
    """``<tmp>/reports`` with 10_gdp_overview and 30_population for hokuriku3, and 10_… for p16."""
    return make_fake_reports(tmp_path / "reports")


def make_fake_reports(reports: Path) -> Path:
    """Write the fake report tree under ``reports`` (also usable outside pytest, to look at it)."""
    small = pd.DataFrame(
        {"都道府県": ["富山県", "石川県", "福井県", "北陸3県"], "県内総生産（億円）": ["49,276", "47,173", "34,943", "131,392"]}
    )
    big = pd.DataFrame({"市区町村": [f"市{i:02d}" for i in range(30)], "人口（人）": [1000 * i for i in range(30)]})
    for region, name in (("hokuriku3", "北陸3県"), ("p16", "富山県")):
        d = reports / "10_gdp_overview" / region
        d.mkdir(parents=True)
        _notebook(d / "10_gdp_overview.ipynb", {"region": "HOKURIKU3" if region == "hokuriku3" else "16",
                                                  "kenmin_vintage": "2022", "out_dir": str(d)})
        (d / "10_gdp_overview.html").write_text(
            f"<!DOCTYPE html><html lang='ja'><meta charset='utf-8'><body><h1>{name} 県内総生産</h1></body></html>",
            encoding="utf-8")
        _chart(d, "gdp_by_pref", f"{name}の県内総生産（名目）", order=10, vintages={"kenmin_keizai": "2022"})
        outputs.save_table(small, d, "gdp_table", "北陸地域の経済指標（総括）", SOURCE_GDP, order=20,
                           vintages={"kenmin_keizai": "2022"})
    d = reports / "30_population" / "hokuriku3"
    d.mkdir(parents=True)
    _notebook(d / "30_population.ipynb", {"region": "HOKURIKU3", "ssdse_vintage": "2026", "out_dir": str(d)})
    (d / "30_population.html").write_text("<html lang='ja'><body>人口</body></html>", encoding="utf-8")
    outputs.save_table(big, d, "muni_population", "市区町村別人口", SOURCE_POP, order=10)
    return reports
