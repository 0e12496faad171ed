"""The static report site ``reports/index.html``: content, and rendering in headless Chromium.

The browser test drives Chromium over the DevTools protocol (``--remote-debugging-pipe``, no
network, no extra Python package): it loads the page from ``file://``, asks Chromium which
platform fonts it actually used for each Japanese text node (``CSS.getPlatformFontsForNode``),
and checks with fontTools that every character of those nodes is in the cmap of a font used
(a missing glyph would be drawn as a box with the primary font, which lacks the character).
"""

from __future__ import annotations

import base64
import json
import os
import re
import select
import subprocess
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from hokuriku.reporting import deck, site
from tests.reporting.conftest import FAKE_SPEC, SOURCE_GDP, require_tool

JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")


@pytest.fixture
def index(fake_reports):
    deck.build_deck("HOKURIKU3", reports_dir=fake_reports, dest=fake_reports / "deck" / "hokuriku3" / "hokuriku_hokuriku3.pptx",
                    spec=FAKE_SPEC)
    return site.build_site(fake_reports, build_time=datetime(2026, 11, 24, 0, 30, tzinfo=timezone.utc))


def test__build_site__links_every_notebook_region_table_and_chart(index, fake_reports):
    page = index.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="ja">' in page and '<meta charset="utf-8">' in page
    for href in (
        "10_gdp_overview/hokuriku3/10_gdp_overview.html", "10_gdp_overview/p16/10_gdp_overview.html",
        "30_population/hokuriku3/30_population.html", "10_gdp_overview/hokuriku3/gdp_table.csv",
        "10_gdp_overview/hokuriku3/gdp_table.xlsx", "10_gdp_overview/hokuriku3/gdp_by_pref.png",
        "10_gdp_overview/hokuriku3/gdp_by_pref.svg", "30_population/hokuriku3/muni_population.csv",
        "deck/hokuriku3/hokuriku_hokuriku3.pptx",
    ):
        assert f'"{href}"' in page or f"'{href}'" in page, href
        assert (fake_reports / href).exists(), href
    assert page.count('class="card"') == 3
    assert "<h3>北陸3県 " in page and "<h3>富山県 " in page


def test__build_site__shows_vintages_run_date_build_date_and_sources(index):
    page = index.read_text(encoding="utf-8")
    assert "作成日時: 2026年11月24日 09:30（日本時間）" in page  # 00:30 UTC shown in JST
    assert "データの版: kenmin_keizai 2022" in page and "データの版: ssdse 2026" in page
    assert "実行日: 2026年11月24日 19:00（日本時間）" in page
    assert SOURCE_GDP in page and "北陸地域の経済指標（総括）" in page


def test__build_site__empty_reports_folder_says_what_to_run(tmp_path):
    page = site.build_site(tmp_path).read_text(encoding="utf-8")
    assert "make reports" in page and "レポート数: 0" in page


class _Chromium:
    """Minimal DevTools-protocol client over ``--remote-debugging-pipe`` (fd 3 in, fd 4 out)."""

    def __init__(self, binary: str, profile: Path) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire() -> None:
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)

        self.proc = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--remote-debugging-pipe", f"--user-data-dir={profile}", "--window-size=1280,1600", "about:blank"],
            pass_fds=(3, 4), preexec_fn=wire, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buf = b""
        self._id = 0

    def call(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 60) -> dict:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._to_child, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buf:
                raw, self._buf = self._buf.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self._id:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    return reply["result"]
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_child], [], [], left)[0]:
                raise TimeoutError(f"Chromium did not answer {method}")
            chunk = os.read(self._from_child, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buf += chunk

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=10)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        os.close(self._to_child)
        os.close(self._from_child)


def _cmap(family: str) -> set[int]:
    """Code points of the font file fontconfig gives for an exact family name."""
    from fontTools.ttLib import TTFont

    out = subprocess.run(["fc-match", "-f", "%{file}\n%{index}\n%{family}", family], capture_output=True, text=True,
                         check=True).stdout.split("\n")
    assert family in out[2].split(","), f"fontconfig has no font {family!r} (got {out[2]!r})"
    return set(TTFont(out[0], fontNumber=int(out[1] or 0), lazy=True).getBestCmap())


@pytest.mark.browser
def test__site__loads_in_headless_chromium_and_japanese_uses_fonts_with_those_glyphs(index, tmp_path):
    binary = require_tool("chromium", "chromium-browser", "google-chrome")
    require_tool("fc-match")
    browser = _Chromium(binary, tmp_path / "chromium_profile")
    try:
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page.enable", "DOM.enable", "CSS.enable"):
            browser.call(domain, session=session)
        browser.call("Page.navigate", {"url": index.as_uri()}, session=session)
        deadline = time.monotonic() + 60
        while browser.call("Runtime.evaluate", {"expression": "document.readyState", "returnByValue": True},
                           session=session)["result"]["value"] != "complete":
            assert time.monotonic() < deadline, "page did not finish loading"
            time.sleep(0.2)
        title = browser.call("Runtime.evaluate", {"expression": "document.title", "returnByValue": True},
                             session=session)["result"]["value"]
        assert title == site.SITE_TITLE
        loaded = browser.call("Runtime.evaluate", {"returnByValue": True, "awaitPromise": True, "expression":
                              "Promise.all([...document.images].map(i => { i.loading = 'eager'; "
                              "return i.decode().then(() => i.naturalWidth > 0, () => false); }))"},
                              session=session)["result"]["value"]
        assert loaded == [True, True], "a chart thumbnail did not load"
        root = browser.call("DOM.getDocument", {"depth": -1}, session=session)["root"]["nodeId"]
        nodes = browser.call("DOM.querySelectorAll", {"nodeId": root, "selector": "h1, h2, h3, h4, p, li, figcaption"},
                             session=session)["nodeIds"]
        checked = 0
        for node in nodes:
            text = browser.call("DOM.getOuterHTML", {"nodeId": node}, session=session)["outerHTML"]
            chars = set(JAPANESE.findall(re.sub(r"<[^>]+>", "", text)))
            if not chars:
                continue
            fonts = browser.call("CSS.getPlatformFontsForNode", {"nodeId": node}, session=session)["fonts"]
            covered = set().union(*(_cmap(f["familyName"]) for f in fonts))
            missing = sorted(c for c in chars if ord(c) not in covered)
            assert not missing, f"no glyph for {missing} in the fonts used {[f['familyName'] for f in fonts]}"
            assert any("CJK" in f["familyName"] or "Gothic" in f["familyName"] for f in fonts), fonts
            checked += 1
        assert checked >= 10
        shot = browser.call("Page.captureScreenshot", {"format": "png"}, session=session)["data"]
        (tmp_path / "index.png").write_bytes(base64.b64decode(shot))
        if os.environ.get("HOKURIKU_KEEP_SCREENSHOT"):  # to look at it: HOKURIKU_KEEP_SCREENSHOT=/tmp/x.png
            Path(os.environ["HOKURIKU_KEEP_SCREENSHOT"]).write_bytes(base64.b64decode(shot))
        assert (tmp_path / "index.png").stat().st_size > 10_000
    finally:
        browser.close()


def test__build_site__default_region_first_and_notebooks_titled_in_japanese(fake_reports):
    nb = fake_reports / "10_gdp_overview" / "hokuriku3" / "10_gdp_overview.ipynb"
    doc = json.loads(nb.read_text(encoding="utf-8"))
    doc["cells"] = [{"cell_type": "markdown", "metadata": {}, "source": ["# 県内総生産の概要\n", "\n", "本文"]}]
    nb.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (fake_reports / "10_gdp_overview" / "aaa_first_alphabetically").mkdir()
    (fake_reports / "10_gdp_overview" / "aaa_first_alphabetically" / "x.html").write_text("<html></html>")
    page = site.build_site(fake_reports).read_text(encoding="utf-8")
    assert "<h2 id='10_gdp_overview'>県内総生産の概要</h2>" in page
    section = page.split("<h2 id='10_gdp_overview'>")[1].split("<h2")[0]
    assert section.index('id="10_gdp_overview--hokuriku3"') < section.index('id="10_gdp_overview--aaa_first')


def test__build_site__files_follow_the_umask(fake_reports):
    old = os.umask(0o022)
    try:
        index = site.build_site(fake_reports)
    finally:
        os.umask(old)
    assert index.stat().st_mode & 0o777 == 0o644  # readable by others on a shared server, not mkstemp's 0o600
