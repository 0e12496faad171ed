"""Reports for other regions speak for those regions: no 「北陸3県」 and no 北陸3県 figure in their HTML.

Runs the notebooks whose text states figures for two non-default regions (富山県 ``16`` and 中部経済産業局
``CHUBU_METI``, which shares 富山・石川 with 北陸3県 but not the total) through the session fixture of
``conftest.py`` (runs are shared with the other notebook tests), and reads the HTML an analyst opens.
The figures are 北陸3県 totals from the default run (令和4年度県民経済計算, 住基 2022-01-01, 工業統計 2019,
社人研 令和5年推計, SSDSE-B 2025): they used to be typed into the notebooks' markdown.
"""

from __future__ import annotations

import html
import re

import pytest

NOTEBOOKS = ("10_regional_share", "20_economic_structure", "30_manufacturing", "40_population")
REGIONS = ("16", "CHUBU_METI")
HOKURIKU3_FIGURES = ("131,392", "12,629", "44,411", "9,174,895", "10,622.7", "2,702,120", "2,470,020", "21,929",
                     "−5,795.2")


def _text(page: str) -> str:
    """The visible text of an HTML page (scripts, styles and tags removed; images carry no text)."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<img\b[^>]*>", " ", page)  # base64 image data
    return html.unescape(re.sub(r"(?s)<[^>]+>", " ", page))


@pytest.mark.slow
@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("name", NOTEBOOKS)
def test__report_html__no_hokuriku3_text_or_figures(notebook_run, name, region):
    out = notebook_run(name, region)
    text = _text((out / f"{name}.html").read_text(encoding="utf-8"))
    assert "北陸3県" not in text
    found = [f for f in HOKURIKU3_FIGURES if f in text]
    assert not found, f"{name} for {region} states 北陸3県 figures {found}"
    assert not re.search(r"PosixPath|dtype: |/staging|\.staging-", text)  # no paths or dtypes in the report


def test__notebooks__no_asserts_and_no_default_region_in_markdown():
    import json

    from hokuriku.reporting import notebooks

    for name in notebooks.all_notebooks():
        cells = json.loads(notebooks.notebook_path(name).read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            text = "".join(cell["source"])
            if cell["cell_type"] == "code":
                assert not re.search(r"^\s*assert\b", text, re.M), f"{name}: published values are checked in tests/published"
            else:
                assert "北陸3県" not in text, f"{name}: region names in prose come from hokuriku.reporting.narrative"
