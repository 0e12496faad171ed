"""Look at a deck the way a person would: render it with LibreOffice, then read the PDF's text positions.

:func:`render_pdf` converts the PPTX to PDF with LibreOffice headless, :func:`render_pngs` turns
the pages into PNG previews (poppler's ``pdftoppm``), and :func:`layout_problems` reads every
character's box from the PDF (pdfplumber) and reports, per page:

- text leaving the slide (a character box outside the page);
- text boxes overlapping (two characters whose boxes intersect by more than :data:`OVERLAP_SHARE`
  of the smaller one: set text never does that, text from two boxes drawn over each other does);
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
    for old in outdir.glob("slide-*.png"):  # previews of an earlier, longer deck
        old.unlink()
    cmd = [_tool("pdftoppm"), "-png", "-r", str(dpi)]
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    subprocess.run([*cmd, str(pdf), str(outdir / "slide")], check=True, capture_output=True)
    return sorted(outdir.glob("slide-*.png"))


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
    boxes = sorted(((c["top"], c["bottom"], c["x0"], c["x1"], c["text"]) for c in chars), key=lambda b: b[0])
    found = 0
    for i, (top, bottom, x0, x1, text) in enumerate(boxes):
        for top2, bottom2, x02, x12, text2 in boxes[i + 1:]:
            if top2 >= bottom:
                break
            dx = min(x1, x12) - max(x0, x02)
            dy = min(bottom, bottom2) - max(top, top2)
            smaller = min((x1 - x0) * (bottom - top), (x12 - x02) * (bottom2 - top2))
            if dx > 0 and dy > 0 and smaller > 0 and dx * dy > OVERLAP_SHARE * smaller:
                problems.append(f"slide {number}: texts overlap at {text!r}/{text2!r} ({x0:.0f}, {top:.0f} pt)")
                found += 1
                break
        if found >= 3:
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
