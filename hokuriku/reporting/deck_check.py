"""Look at a deck the way a person would: render it with LibreOffice, then read the PDF's text positions.

:func:`render_pdf` converts the PPTX to PDF with LibreOffice headless, :func:`render_pngs` turns
the pages into PNG previews (poppler's ``pdftoppm``), and :func:`layout_problems` reads every
character's box from the PDF (pdfplumber) and reports, per page:

- text leaving the slide (a character box outside the page);
- text boxes overlapping (two words from different lines whose boxes intersect by more than
  :data:`OVERLAP_SHARE` of the smaller one);
- body text under :data:`MIN_PT` pt.

Text inside chart images is not PDF text and is not checked here (the charts are checked by the
plotting tests).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from hokuriku.errors import HokurikuError

MIN_PT = 12
OVERLAP_SHARE = 0.2
_TOL = 0.5  # points


def _tool(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    msg = f"{names[0]} is not installed (Debian: apt-get install libreoffice-impress poppler-utils)"
    raise HokurikuError(msg)


def render_pdf(pptx: Path, outdir: Path | None = None, *, timeout: int = 600) -> Path:
    """``<outdir>/<stem>.pdf`` rendered by LibreOffice headless (a private profile, so it runs beside a desktop one)."""
    pptx = Path(pptx)
    outdir = Path(outdir or pptx.parent)
    outdir.mkdir(parents=True, exist_ok=True)
    soffice = _tool("soffice", "libreoffice")
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "HOME": home}
        subprocess.run([soffice, f"-env:UserInstallation=file://{home}/lo", "--headless", "--convert-to", "pdf",
                        "--outdir", str(outdir), str(pptx)], check=True, capture_output=True, timeout=timeout, env=env)
    pdf = outdir / f"{pptx.stem}.pdf"
    if not pdf.exists():
        msg = f"LibreOffice did not write {pdf}"
        raise HokurikuError(msg)
    return pdf


def render_pngs(pdf: Path, outdir: Path, *, dpi: int = 60, first: int | None = None, last: int | None = None) -> list[Path]:
    """PNG previews ``<outdir>/slide-NN.png`` of the PDF pages (poppler ``pdftoppm``)."""
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [_tool("pdftoppm"), "-png", "-r", str(dpi)]
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    subprocess.run([*cmd, str(pdf), str(outdir / "slide")], check=True, capture_output=True)
    return sorted(outdir.glob("slide-*.png"))


def _lines(words: list[dict]) -> list[int]:
    """A line id per word: words whose vertical extents overlap by half their height share a line."""
    ids, lines = [], []  # lines: (top, bottom, id)
    for w in words:
        for top, bottom, lid in lines:
            overlap = min(bottom, w["bottom"]) - max(top, w["top"])
            if overlap > 0.5 * min(bottom - top, w["bottom"] - w["top"]):
                ids.append(lid)
                break
        else:
            lines.append((w["top"], w["bottom"], len(lines)))
            ids.append(len(lines) - 1)
    return ids


def page_problems(page, number: int, *, min_pt: float = MIN_PT) -> list[str]:
    """Layout problems of one pdfplumber page (see the module docstring)."""
    problems = []
    w, h = float(page.width), float(page.height)
    chars = [c for c in page.chars if c["text"].strip()]
    outside = [c for c in chars if c["x0"] < -_TOL or c["x1"] > w + _TOL or c["top"] < -_TOL or c["bottom"] > h + _TOL]
    if outside:
        problems.append(f"slide {number}: text leaves the slide: {''.join(c['text'] for c in outside)[:40]!r}")
    small = [c for c in chars if c["size"] < min_pt - 0.3]
    if small:
        sizes = sorted({round(c["size"], 1) for c in small})
        problems.append(f"slide {number}: text under {min_pt} pt ({sizes}): {''.join(c['text'] for c in small)[:40]!r}")
    words = page.extract_words(keep_blank_chars=False, use_text_flow=False, extra_attrs=["size"])
    line_ids = _lines(words)
    for i in range(len(words)):
        a = words[i]
        for j in range(i + 1, len(words)):
            b = words[j]
            if line_ids[i] == line_ids[j]:
                continue
            dx = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
            dy = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            if dx <= 0 or dy <= 0:
                continue
            smaller = min((a["x1"] - a["x0"]) * (a["bottom"] - a["top"]), (b["x1"] - b["x0"]) * (b["bottom"] - b["top"]))
            if smaller > 0 and dx * dy > OVERLAP_SHARE * smaller:
                problems.append(f"slide {number}: texts overlap: {a['text'][:20]!r} and {b['text'][:20]!r}")
                break
        if len(problems) > 20:
            break
    return problems


def layout_problems(pdf: Path, *, min_pt: float = MIN_PT) -> list[str]:
    """Every layout problem of a rendered deck (empty when it reads like a finished deck)."""
    import pdfplumber  # noqa: PLC0415 - test/deck-check dependency

    problems: list[str] = []
    with pdfplumber.open(str(pdf)) as doc:
        for number, page in enumerate(doc.pages, start=1):
            problems += page_problems(page, number, min_pt=min_pt)
    return problems
