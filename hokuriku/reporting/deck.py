"""Assemble the 16:9 検討会 deck of a region from its report outputs (``make deck``).

The deck follows a spec (YAML, :data:`DEFAULT_SPEC`, editable by the analyst): a title slide, a
目次, the main story 総括 → 経済構造 → 製造業 → 人口と将来推計 → シナリオ分析 → 産業集積 → クラスターKPI
(each slide one registered output of ``reports/<notebook>/<region_slug>/outputs.json``, see
:mod:`hokuriku.reporting.outputs`), a divider and an appendix with the remaining outputs (less the
internal ones the spec excludes and, unless asked, those built on the synthetic example), and a final
「データについて」 slide listing the statistics used, their editions, publishers and licences.

Slides carry the title, the section and the ``(出所)`` line as text; a chart is placed from its bare
deck rendering ``<stem>_deck.png`` (:func:`hokuriku.io.save_figure`), so nothing is shown twice.
Tables are native PowerPoint tables at ≥ :data:`MIN_PT` pt with column widths fitted to their
Japanese text, split across slides (rows, and columns with the first column repeated) when they do
not fit. The build fails (:class:`~hokuriku.errors.HokurikuError`) when a slide would carry English
words (:data:`ALLOWED_LATIN` aside) or a character the deck font does not have.

Fonts: python-pptx only sets the Latin typeface (``a:latin``). Without an East-Asian typeface
(``a:ea``) PowerPoint and LibreOffice pick a Japanese font per machine, and LibreOffice may show
boxes. Every run therefore gets ``a:latin`` and ``a:ea`` set through the XML, ``lang="ja-JP"``,
and ``charset="-128"`` (SHIFTJIS_CHARSET) so that PowerPoint substitutes a Japanese font (游ゴシック)
where the named one is not installed. The theme's major/minor East-Asian fonts are set as well.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import yaml
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from hokuriku import io, manifest, paths
from hokuriku.codes.prefectures import region as resolve_region
from hokuriku.errors import HokurikuError
from hokuriku.plotting.formats import text_width
from hokuriku.reporting.display import HIDDEN_COLUMNS
from hokuriku.reporting.labels import display_columns
from hokuriku.reporting.outputs import read_outputs

EA_FONT = "Noto Sans CJK JP"
"""East-Asian typeface set on every run (Debian fonts-noto-cjk; PowerPoint falls back to a
Japanese font through ``charset=-128`` where it is absent). Pass ``ea_font="Yu Gothic"`` for
Windows-only audiences."""
LATIN_FONT = "Noto Sans CJK JP"
MIN_PT = 12
"""Smallest text on a slide (table body, (出所) line); the PDF layout test checks it."""
DEFAULT_SPEC = Path(__file__).resolve().parent / "decks" / "kentokai.yml"
ALLOWED_LATIN = frozenset({"KPI", "KGI", "HHI", "NRI", "CAGR", "AI", "CE", "ESRI", "GDP", "km", "SSDSE", "RIETI",
                           "pt", "X", "A", "B", "IT", "SNA", "CC", "BY", "PDL",
                           "SLQ", "CILQ", "FLQ"})
"""Latin-letter tokens allowed on slides: abbreviations a Japanese audience reads as such."""
DECK_IMAGE_PX = 1600
"""Width (px) chart images are resampled to for the deck (a 13.3-inch slide at ~135 dpi): keeps the file small."""
JST = timezone(timedelta(hours=9), "JST")
SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.5)
TITLE_H = Inches(0.9)
SOURCE_H = Inches(0.6)
_CJK_STACK = ("Noto Sans CJK JP", "IPAexGothic", "IPAGothic", "Yu Gothic", "Hiragino Sans")


def deck_path(region_spec: object) -> Path:
    """``reports/deck/<region_slug>/hokuriku_<region_slug>.pptx``."""
    slug = resolve_region(region_spec).slug
    return paths.REPORTS / "deck" / slug / f"hokuriku_{slug}.pptx"


def report_folders(region_spec: object, reports_dir: Path | None = None) -> list[Path]:
    """Report folders ``reports/<notebook>/<region_slug>/`` of a region, in notebook order."""
    reports_dir = Path(reports_dir or paths.REPORTS)
    reg = resolve_region(region_spec)
    found = {*reports_dir.glob(f"*/{reg.folder}"), *reports_dir.glob(f"*/{reg.slug}")}  # region name (or older slug)
    return [p for p in sorted(found) if p.is_dir() and p.parent.name != "deck"]


def collect_vintages(folders: list[Path]) -> dict[str, str]:
    """Data vintages used: from the sidecars, else from the papermill parameters (``<x>_vintage``)."""
    found: dict[str, str] = {}
    for folder in folders:
        declared = {k: v for o in read_outputs(folder) for k, v in (o.get("vintages") or {}).items()}
        found.update(declared)
        if declared:
            continue
        for nb in folder.glob("*.ipynb"):
            params = json.loads(nb.read_text(encoding="utf-8")).get("metadata", {}).get("papermill", {})
            for key, value in (params.get("parameters") or {}).items():
                if key.endswith("_vintage"):
                    found.setdefault(key.removesuffix("_vintage"), str(value))
    return dict(sorted(found.items()))


def set_ea_font(run, ea_font: str = EA_FONT, latin_font: str = LATIN_FONT, size_pt: float | None = None) -> None:
    """Set the Latin and East-Asian typefaces (``a:latin``, ``a:ea``) and ``lang="ja-JP"`` of a run."""
    rpr = run._r.get_or_add_rPr()
    rpr.set("lang", "ja-JP")
    rpr.set("altLang", "en-US")
    if size_pt is not None:
        run.font.size = Pt(size_pt)
    run.font.name = latin_font  # a:latin
    for old in rpr.findall(qn("a:ea")):
        rpr.remove(old)
    ea = rpr.makeelement(qn("a:ea"), {"typeface": ea_font, "pitchFamily": "34", "charset": "-128"})
    rpr.insert_element_before(ea, "a:cs", "a:sym", "a:hlinkClick", "a:hlinkMouseOver", "a:rtl", "a:extLst")


def _set_theme_fonts(prs, ea_font: str) -> None:
    """Set the theme's major/minor East-Asian fonts (used by text not carrying its own ``a:ea``)."""
    master = prs.slide_masters[0]
    for rel in master.part.rels.values():
        if rel.reltype.endswith("/theme"):
            theme = rel.target_part
            from lxml import etree

            root = etree.fromstring(theme.blob)
            for ea in root.iter(qn("a:ea")):
                ea.set("typeface", ea_font)
            theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _text_box(slide, text: str, left, top, width, height, *, size: float, ea_font: str, bold: bool = False, name=None):
    box = slide.shapes.add_textbox(left, top, width, height)
    if name:
        box.name = name
    tf = box.text_frame
    tf.word_wrap = True
    for i, line in enumerate(str(text).split("\n")):
        para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        run = para.add_run()
        run.text = line
        run.font.bold = bold
        set_ea_font(run, ea_font, size_pt=size)
    return box


def _set_title(slide, text: str, ea_font: str, size: float = 28) -> None:
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = MARGIN, Inches(0.25), SLIDE_W - 2 * MARGIN, TITLE_H
    tf = title.text_frame
    tf.clear()
    run = tf.paragraphs[0].add_run()
    run.text = text
    set_ea_font(run, ea_font, size_pt=size)


def _fit_picture(slide, image: Path, left, top, width, height):
    from PIL import Image

    with Image.open(image) as im:
        w_px, h_px = im.size
    scale = min(width / w_px, height / h_px)
    w, h = int(w_px * scale), int(h_px * scale)
    return slide.shapes.add_picture(str(image), left + (width - w) // 2, top + (height - h) // 2, Emu(w), Emu(h))


_NUMERIC = re.compile(r"^-?\d+(\.\d+)?$")
SOURCE_COLUMNS = ("出所",)
SLIDE_HIDDEN_COLUMNS = ("地域コード", "area_code", "pref_code", "area_id", "地域ID")
"""Key columns beside a name column: the name is shown, the machine key (``ESRI_CHUBU``) is not."""
"""Table columns that repeat the source line: dropped on slides, where the (出所) box carries it."""


def _source_size(text: str) -> float:
    """Font size (pt) of the (出所) box: smaller for long notes so they fit its height."""
    n = len(text)
    return 12 if n <= 150 else 10 if n <= 280 else 8


def _slide_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The table as shown on a slide: no 出所, key or all-blank columns; numbers with thousands separators (codes untouched)."""
    empty = [c for c in df.columns if df[c].astype(str).str.strip().eq("").all() and len(df)]  # e.g. a blank 注 column
    shown = display_columns(df.drop(columns=[c for c in df.columns if c in SOURCE_COLUMNS or c in HIDDEN_COLUMNS
                                             or c in SLIDE_HIDDEN_COLUMNS or c in empty]))
    out = shown.copy()
    for col in shown.columns:
        name = str(col)
        if "コード" in name or "code" in name.lower() or name.endswith(("年", "年度", "期首", "期末", "始点", "終点")):
            continue  # codes and years are labels, not quantities: no thousands separator
        out[col] = [_fmt_text(v) for v in shown[col].tolist()]
    return out


def _fmt_text(value: object) -> object:
    if isinstance(value, str) and _NUMERIC.match(value.strip()):
        whole, _, frac = value.strip().partition(".")
        if len(frac) > 2:  # computed ratios: show 2 decimals (4 below 0.1), never the float noise
            x = float(value)
            return f"{x:,.{2 if abs(x) >= 0.1 or x == 0 else 4}f}"
        sign = "-" if whole.startswith("-") else ""
        return f"{sign}{int(whole.lstrip('-')):,}" + (f".{frac}" if frac else "")
    return value


def _fmt(value: object) -> str:
    if isinstance(value, float):
        if pd.isna(value):
            return ""
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


# Spec --------------------------------------------------------------------------------------------------


def load_spec(path: Path | str | None = None) -> dict:
    """The deck spec (YAML): ``title``, ``subtitle``, ``sections`` [{title, slides}], ``appendix``."""
    path = Path(path or DEFAULT_SPEC)
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        msg = f"{path}: cannot read the deck spec ({exc})"
        raise HokurikuError(msg) from exc
    if not isinstance(spec, dict) or not isinstance(spec.get("sections"), list):
        msg = f"{path}: expected a mapping with a 'sections' list (see {DEFAULT_SPEC.name})"
        raise HokurikuError(msg)
    for i, section in enumerate(spec["sections"]):
        for j, item in enumerate(section.get("slides") or []):
            if not isinstance(item, dict) or not {"notebook", "stem"} <= set(item):
                msg = f"{path}: sections[{i}].slides[{j}]: expected {{notebook: …, stem: …}}, found {item!r}"
                raise HokurikuError(msg)
    return spec


def _matches(item: dict, notebook: str, o: dict) -> bool:
    return item["notebook"] == notebook and item["stem"] == o["stem"] and item.get("kind", o["kind"]) == o["kind"]


def is_synthetic(o: dict) -> bool:
    """An output built on the bundled synthetic example (its (出所) says 合成データ)."""
    return "合成データ" in str(o.get("source_note", ""))


def plan(spec: dict, items: list[tuple[Path, dict]], *, where: str = "") -> tuple[list[tuple[str, list]], list]:
    """(main sections [(title, [(folder, output, override_title)])], appendix [(folder, output)]) of a deck."""
    used: set[int] = set()
    main, missing = [], []
    for section in spec["sections"]:
        slides = []
        for item in section.get("slides") or []:
            found = [k for k, (folder, o) in enumerate(items) if _matches(item, folder.parent.name, o)]
            if not found:
                if not item.get("optional"):
                    missing.append(f"{item['notebook']}/{item['stem']}")
                continue
            used.update(found[:1])
            folder, o = items[found[0]]
            slides.append((folder, o, item.get("title")))
        main.append((str(section.get("title", "")), slides))
    if missing:
        msg = (f"The deck spec names outputs that the reports{where} do not have: {', '.join(missing)}. "
               "Run `make reports` for the region, or mark the item `optional: true` in the spec.")
        raise HokurikuError(msg)
    app = spec.get("appendix") or {}
    exclude = app.get("exclude") or []
    rest = [(folder, o) for k, (folder, o) in enumerate(items) if k not in used
            and not any(_matches(e, folder.parent.name, o) for e in exclude)
            and (app.get("include_synthetic") or not is_synthetic(o))]
    return main, rest


# Checks ------------------------------------------------------------------------------------------------

_LATIN = re.compile(r"[A-Za-z]+")


_QUOTED = re.compile(r"「[^「」]*」")


def english_words(text: str) -> list[str]:
    """Latin-letter words in ``text`` other than :data:`ALLOWED_LATIN` and names quoted in 「」."""
    return [w for w in _LATIN.findall(_QUOTED.sub("", str(text))) if w not in ALLOWED_LATIN]


def font_file(family: str = EA_FONT) -> Path:
    """The font file fontconfig resolves for ``family`` (fails when only a substitute would be used)."""
    fc = shutil.which("fc-match")
    if fc:
        out = subprocess.run([fc, "-f", "%{family}\t%{file}", family], capture_output=True, text=True, check=False)
        fam, _, file = out.stdout.partition("\t")
        if file and family.lower() in fam.lower():
            return Path(file)
    msg = f"The deck font {family!r} is not installed (Debian: apt-get install fonts-noto-cjk)"
    raise HokurikuError(msg)


def missing_glyphs(texts: list[str], family: str = EA_FONT) -> set[str]:
    """Characters of ``texts`` that the deck font has no glyph for (they would print as boxes)."""
    from fontTools.ttLib import TTCollection, TTFont  # noqa: PLC0415 - fontTools comes with matplotlib

    path = font_file(family)
    font = TTCollection(str(path)).fonts[0] if path.suffix.lower() == ".ttc" else TTFont(str(path))
    cmap = font.getBestCmap()
    return {ch for t in texts for ch in str(t) if not ch.isspace() and ord(ch) not in cmap}


def slide_texts(prs) -> list[tuple[int, str]]:
    """(slide number, text) of every text frame and table cell of a presentation."""
    found = []
    for n, slide in enumerate(prs.slides, start=1):
        for sh in slide.shapes:
            if sh.has_text_frame:
                found.append((n, sh.text_frame.text))
            if getattr(sh, "has_table", False) and sh.has_table:
                found += [(n, c.text) for row in sh.table.rows for c in row.cells]
    return found


def check_text(prs, ea_font: str = EA_FONT) -> None:
    """Fail on English words or characters missing from the deck font anywhere on the slides."""
    texts = slide_texts(prs)
    english = [(n, w) for n, t in texts for w in english_words(t)]
    if english:
        shown = "; ".join(f"slide {n}: {w!r}" for n, w in english[:12])
        msg = f"English on slides ({len(english)} words): {shown}. Give these outputs Japanese titles/labels."
        raise HokurikuError(msg)
    missing = missing_glyphs([t for _, t in texts], ea_font)
    if missing:
        where = sorted({n for n, t in texts if set(t) & missing})
        msg = (f"Characters missing from the deck font {ea_font!r}: {''.join(sorted(missing))!r} "
               f"(slides {where}); they would print as boxes")
        raise HokurikuError(msg)


# Text on slides ----------------------------------------------------------------------------------------


def slide_source_note(note: str) -> str:
    """The (出所) line as a slide prints it: the chart's own line, white space folded.

    Citations name the publisher and edition only (manifest rule, :func:`hokuriku.manifest.names_repository`),
    so the slide shows them as they are; editions such as （SSDSE-A-2026） stay, which keeps two editions of
    one series apart.
    """
    return re.sub(r"\s+", " ", str(note)).strip()


def _inches(emu) -> float:
    return emu / 914400


def _lines(text: str, width_in: float, size_pt: float, *, pad: float = 0.2, factor: float = 1.0) -> int:
    """Lines a text needs in a box ``width_in`` wide (less ``pad``) at ``size_pt`` (CJK 1 em, Latin ~0.55 em).

    ``factor`` > 1 allows for a renderer setting the text a little wider than :func:`text_width` says.
    """
    per_line = max(1.0, (width_in - pad) * 72 / size_pt)
    return sum(max(1, math.ceil(text_width(line) * factor / per_line)) for line in str(text).split("\n"))


# Table pages -------------------------------------------------------------------------------------------

ROW_PAD_IN = 0.14
CELL_PAD_IN = 0.3
LINE_EM = 1.4
"""Line height in ems that LibreOffice and PowerPoint give CJK text in a table cell (measured on renders)."""
MAX_COL_IN = 4.0


def _col_widths(df: pd.DataFrame, size: float) -> list[float]:
    """Column widths (inches) fitting the longest cell, headers allowed to wrap over two lines."""
    em = size / 72
    widths = []
    for col in df.columns:
        cells = max((text_width(str(v)) for v in df[col].tolist()), default=0)
        head = text_width(str(col))
        need = max(cells * 1.2, (head / 2 if head > 6 else head) * 1.25) * em + CELL_PAD_IN + 0.1
        widths.append(min(MAX_COL_IN, max(0.7, need)))
    return widths


def table_pages(df: pd.DataFrame, width_in: float, height_in: float, *, size: float = MIN_PT,
                max_pages: int | None = None) -> tuple[list[tuple[pd.DataFrame, list[float]]], int]:
    """Split a table into pages that fit ``width_in`` × ``height_in`` at ``size`` pt.

    Columns are split into groups (the first column repeated in each) when the fitted widths exceed
    the width; rows are packed by their wrapped height (the same row ranges for every column group).
    With ``max_pages``, only the rows of the first pages are kept. Returns ([(frame, widths)], rows shown).
    """
    widths = _col_widths(df, size)
    groups: list[list[int]] = []
    current = [0]
    for j in range(1, len(df.columns)):
        if sum(widths[k] for k in current) + widths[j] > width_in and len(current) > 1:
            groups.append(current)
            current = [0]
        current.append(j)
    groups.append(current)
    fitted = []
    for cols in groups:
        w = [widths[k] for k in cols]
        scale = width_in / sum(w) if sum(w) > width_in else 1.0
        fitted.append([x * scale for x in w])
    line_h = size * LINE_EM / 72

    def height(values, cols, w):
        return max(_lines(str(v), x, size, pad=CELL_PAD_IN + 0.05, factor=1.15)
                   for v, x in zip(values, w, strict=True)) * line_h + ROW_PAD_IN

    head_h = max(height([df.columns[k] for k in cols], cols, w) for cols, w in zip(groups, fitted, strict=True))
    row_h = [max(height([df.iat[i, k] for k in cols], cols, w) for cols, w in zip(groups, fitted, strict=True))
             for i in range(len(df))]
    ranges, start = [], 0
    while start < len(df) or not ranges:
        used, end = head_h, start
        while end < len(df) and (used + row_h[end] <= height_in or end == start):
            used += row_h[end]
            end += 1
        ranges.append((start, end))
        start = end
        if start >= len(df):
            break
    if max_pages:
        ranges = ranges[: max(1, max_pages // len(groups))]
    shown = ranges[-1][1]
    pages = [(df.iloc[s:e, cols], w) for s, e in ranges for cols, w in zip(groups, fitted, strict=True)]
    return pages, shown


def _add_table(slide, df: pd.DataFrame, widths: list[float], left, top, *, size: float, ea_font: str) -> None:
    rows, cols = len(df) + 1, len(df.columns)
    line_h = size * LINE_EM / 72
    shape = slide.shapes.add_table(rows, cols, left, top, Inches(sum(widths)), Inches((line_h + ROW_PAD_IN) * rows))
    shape.name = "Table"
    table = shape.table
    for j, w in enumerate(widths):
        table.columns[j].width = Inches(w)
    for i in range(rows):
        table.rows[i].height = Inches(line_h + ROW_PAD_IN)
    numeric = [bool(len(df)) and all(_NUMERIC.match(str(v).replace(",", "").replace("−", "-")) or str(v) in ("", "―")
                                     for v in df[c].tolist()) for c in df.columns]
    from pptx.enum.text import PP_ALIGN  # noqa: PLC0415

    for j, col in enumerate(df.columns):
        for i, value in enumerate([col, *df[col].tolist()]):
            cell = table.cell(i, j)
            cell.margin_left = cell.margin_right = Inches(CELL_PAD_IN / 2)
            cell.margin_top = cell.margin_bottom = Inches(ROW_PAD_IN / 2)
            tf = cell.text_frame
            tf.clear()
            tf.word_wrap = True
            para = tf.paragraphs[0]
            para.alignment = PP_ALIGN.RIGHT if (i and numeric[j]) else PP_ALIGN.LEFT
            run = para.add_run()
            run.text = _fmt(value) if i else str(value)
            run.font.bold = i == 0
            set_ea_font(run, ea_font, size_pt=size)


# Slides ------------------------------------------------------------------------------------------------

TITLE_TOP = Inches(0.5)
KICKER_TOP = Inches(0.15)
BODY_TOP = Inches(1.35)
BODY_W = SLIDE_W - 2 * MARGIN
NAVY = (0x1F, 0x3A, 0x5F)


def _kicker(slide, text: str, ea_font: str) -> None:
    from pptx.dml.color import RGBColor  # noqa: PLC0415

    if not text:
        return
    box = _text_box(slide, text, MARGIN, KICKER_TOP, BODY_W, Inches(0.35), size=MIN_PT, ea_font=ea_font, name="Section")
    for r in box.text_frame.paragraphs[0].runs:
        r.font.color.rgb = RGBColor(*NAVY)


def _title(slide, text: str, ea_font: str) -> None:
    width = _inches(BODY_W)
    size = next((s for s in (26, 22, 20, 18) if _lines(text, width, s) == 1), 18)
    box = slide.shapes.title
    box.left, box.top, box.width, box.height = MARGIN, TITLE_TOP, BODY_W, Inches(0.8)
    tf = box.text_frame
    tf.clear()
    tf.word_wrap = True
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN  # noqa: PLC0415

    tf.vertical_anchor = MSO_ANCHOR.TOP
    para = tf.paragraphs[0]
    para.alignment = PP_ALIGN.LEFT
    run = para.add_run()
    run.text = text
    run.font.bold = True
    set_ea_font(run, ea_font, size_pt=size)


def _source(slide, note: str, ea_font: str, extra: str = "") -> float:
    """Put the (出所) box at the bottom; return its top (inches)."""
    text = slide_source_note(note) + (f"\n{extra}" if extra else "")
    lines = _lines(text, _inches(BODY_W), MIN_PT)
    height = lines * MIN_PT * 1.3 / 72 + 0.12
    top = 7.5 - 0.15 - height
    _text_box(slide, text, MARGIN, Inches(top), BODY_W, Inches(height), size=MIN_PT, ea_font=ea_font, name="Source")
    return top


def _deck_image(folder: Path, o: dict, tmp: Path) -> Path:
    """The chart's deck rendering resampled to :data:`DECK_IMAGE_PX` wide (the report PNG if none)."""
    from PIL import Image  # noqa: PLC0415

    candidates = [folder / o.get("deck_image", ""), folder / f"{o['stem']}{io.DECK_SUFFIX}.png", folder / f"{o['stem']}.png"]
    image = next((c for c in candidates if c.is_file()), None)
    if image is None:
        msg = f"{folder / 'outputs.json'}: chart {o['stem']!r} is registered but {o['stem']}.png is missing"
        raise HokurikuError(msg)
    dest = tmp / f"{folder.parent.name}__{image.name}"
    with Image.open(image) as im:
        im = im.convert("RGB")
        if im.width > DECK_IMAGE_PX:
            im = im.resize((DECK_IMAGE_PX, round(im.height * DECK_IMAGE_PX / im.width)), Image.LANCZOS)
        im.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(dest, optimize=True)
    return dest


def _new_slide(prs):
    return prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only"


def _output_slides(prs, folder: Path, o: dict, title: str | None, section: str, tmp: Path, ea_font: str,
                   *, max_table_slides: int | None) -> int:
    """Add the slide(s) of one output; return how many."""
    title = title or o["title_ja"]
    if o["kind"] == "chart":
        slide = _new_slide(prs)
        _kicker(slide, section, ea_font)
        _title(slide, title, ea_font)
        body_top = BODY_TOP
        if o.get("subtitle"):
            lines = _lines(o["subtitle"], _inches(BODY_W), 14)
            box = _text_box(slide, o["subtitle"], MARGIN, Inches(1.25), BODY_W, Inches(lines * 14 * 1.3 / 72 + 0.1),
                            size=14, ea_font=ea_font, name="Subtitle")
            from pptx.dml.color import RGBColor  # noqa: PLC0415

            for para in box.text_frame.paragraphs:
                for r in para.runs:
                    r.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
            body_top = Inches(1.25 + lines * 14 * 1.3 / 72 + 0.2)
        top = _source(slide, o["source_note"], ea_font)
        _fit_picture(slide, _deck_image(folder, o, tmp), MARGIN, body_top, BODY_W, Inches(top - 0.1) - body_top)
        return 1
    csv = folder / f"{o['stem']}.csv"
    if not csv.exists():
        msg = f"{folder / 'outputs.json'}: table {o['stem']!r} is registered but {csv.name} is missing"
        raise HokurikuError(msg)
    df = _slide_frame(pd.read_csv(csv, encoding="utf-8-sig", dtype=object, keep_default_na=False))
    note_lines = _lines(slide_source_note(o["source_note"]), _inches(BODY_W), MIN_PT) + 1
    body_h = 7.5 - 0.15 - (note_lines * MIN_PT * 1.3 / 72 + 0.12) - 0.45 - _inches(BODY_TOP)  # 0.3 in spare: renderers differ
    pages, shown = table_pages(df, _inches(BODY_W), body_h, max_pages=max_table_slides)
    for k, (page, widths) in enumerate(pages, start=1):
        slide = _new_slide(prs)
        _kicker(slide, section, ea_font)
        _title(slide, title + (f"（{k}/{len(pages)}）" if len(pages) > 1 else ""), ea_font)
        extra = f"（全{len(df):,}行のうち先頭{shown:,}行。全体は報告書の表ファイルを参照）" if shown < len(df) else ""
        _source(slide, o["source_note"], ea_font, extra)
        _add_table(slide, page, widths, MARGIN, BODY_TOP, size=MIN_PT, ea_font=ea_font)
    return len(pages)


def _bullets_slide(prs, title: str, lines: list[str], ea_font: str, *, section: str = "", size: float = 18) -> None:
    slide = _new_slide(prs)
    _kicker(slide, section, ea_font)
    _title(slide, title, ea_font)
    _text_box(slide, "\n".join(lines), MARGIN, BODY_TOP, BODY_W, Inches(7.5 - 0.4) - BODY_TOP, size=size,
              ea_font=ea_font, name="Body")


def data_records(notes: list[str], vintages: dict[str, str] | None = None) -> list[dict]:
    """The statistics behind a deck, for the 「データについて」 slide: one record per manifest used.

    A manifest is used when its ``(出所)`` citation appears in one of the outputs' source notes, or its
    (source, vintage) is among the declared ``vintages``. Built on :func:`hokuriku.manifest.provenance_records`
    (the provenance the charts never carry). Each record: ``統計`` (citation: publisher and publication),
    ``版``, ``利用条件``, ``入手元`` (the publisher's own file or a reshaped copy).
    """
    text = "\n".join(notes)
    declared = set((vintages or {}).items())
    used = [(m.source, m.vintage) for m in manifest.all_manifests()
            if m.source_line() in text or (m.source, m.vintage) in declared]
    records = []
    for m, prov in zip((manifest.load(*p) for p in used), manifest.provenance_records(used, files=False), strict=True):
        shown = slide_source_note(prov["citation"])
        version = m.version_producer if m.version_producer and m.version_producer not in shown else m.vintage
        if text_width(version) > 12:  # a long edition name: the vintage says it shorter
            version = m.vintage
        if english_words(version):
            version = next(iter(re.findall(r"\d{4}", version)), "―")
        # the copy's repository and commit are in outputs.json and the report site (provenance_records);
        # the slide says only whether the figures are the publisher's own file
        source = "整形された写し" if prov["derived"] else "公表元の原表"
        records.append({"統計": shown, "版": version, "利用条件": _japanese_part(prov["license"]), "入手元": source})
    return records


def _japanese_part(text: str) -> str:
    """The ``;``-separated parts of a licence text that carry no English (asides in parentheses dropped)."""
    parts = [p.strip() for p in slide_source_note(text).split(";")]
    kept = [p for p in parts if p and not english_words(p)]
    return "、".join(kept) or "各マニフェストに記載"


def build_deck(
    region_spec: object = "HOKURIKU3",
    *,
    reports_dir: Path | None = None,
    dest: Path | None = None,
    build_date: date | None = None,
    ea_font: str = EA_FONT,
    spec: Path | str | dict | None = None,
) -> Path:
    """Build ``reports/deck/<region_slug>/hokuriku_<region_slug>.pptx`` from the spec and return its path.

    Raises :class:`HokurikuError` if the region has no registered outputs, the spec names an output
    the reports lack, or a slide would carry English or a glyph missing from ``ea_font``.
    """
    # Load inputs.
    reg = resolve_region(region_spec)
    folders = report_folders(reg, reports_dir)
    items = [(folder, o) for folder in folders for o in read_outputs(folder)]
    if not items:
        where = Path(reports_dir or paths.REPORTS) / "*" / reg.slug
        msg = f"No registered outputs (outputs.json) in {where}: run `make reports REGION={reg.key}` first"
        raise HokurikuError(msg)
    spec = spec if isinstance(spec, dict) else load_spec(spec)
    main, appendix = plan(spec, items, where=f" of {reg.name_ja}")
    build_date = build_date or datetime.now(JST).date()
    records = data_records([o["source_note"] for _, o in items], collect_vintages(folders))

    # Process data.
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    _set_theme_fonts(prs, ea_font)
    slide = _new_slide(prs)
    _set_title(slide, str(spec.get("title", "{region}の地域経済")).format(region=reg.name_ja), ea_font, size=36)
    slide.shapes.title.top = Inches(2.3)
    _text_box(slide, f"{spec.get('subtitle', '')}\n作成日：{build_date.year}年{build_date.month}月{build_date.day}日",
              MARGIN, Inches(3.6), BODY_W, Inches(1.2), size=20, ea_font=ea_font, name="Subtitle")
    sections = [(t, s) for t, s in main if s]
    _bullets_slide(prs, "目次", [f"{i}. {t}" for i, (t, _) in enumerate(sections, start=1)]
                   + ([f"参考資料（{len(appendix)}件）", "データについて"] if appendix else ["データについて"]), ea_font, size=22)
    app = spec.get("appendix") or {}
    with tempfile.TemporaryDirectory() as tmp:
        for section, slides in sections:
            for folder, o, title in slides:
                _output_slides(prs, folder, o, title, section, Path(tmp), ea_font, max_table_slides=None)
        if appendix:
            slide = _new_slide(prs)
            _set_title(slide, str(app.get("title", "参考資料")), ea_font, size=36)
            slide.shapes.title.top = Inches(3.0)
            for folder, o in appendix:
                _output_slides(prs, folder, o, None, str(app.get("title", "参考資料")), Path(tmp), ea_font,
                               max_table_slides=int(app.get("max_table_slides", 2)))
        frame = pd.DataFrame(records or [{"統計": "（出所の記載がありません）"}])
        pages, _ = table_pages(frame, _inches(BODY_W), 7.5 - 0.5 - _inches(BODY_TOP))
        for k, (page, widths) in enumerate(pages, start=1):
            slide = _new_slide(prs)
            _title(slide, "データについて" + (f"（{k}/{len(pages)}）" if len(pages) > 1 else ""), ea_font)
            _add_table(slide, page, widths, MARGIN, BODY_TOP, size=MIN_PT, ea_font=ea_font)
        check_text(prs, ea_font)

        # Save outputs.
        dest = Path(dest or deck_path(reg))
        with io.atomic_path(dest) as t:
            prs.save(str(t))
    return dest
