"""Assemble the 16:9 slide deck of a region from its report outputs (``make deck``).

The deck has a title slide (region name, build date, data vintages) and then one slide per output
registered in the ``outputs.json`` sidecars (:mod:`hokuriku.reporting.outputs`) of every
``reports/<notebook>/<region_slug>/`` folder, in notebook order and then in registered order.
Each slide carries the Japanese title, the chart image (``<stem>.png``) or the table, and the
``(出所)`` line as a text box. Small tables (at most :data:`MAX_NATIVE_ROWS` rows and
:data:`MAX_NATIVE_COLS` columns) become native PowerPoint tables; larger ones are rendered to an
image with matplotlib.

Fonts: python-pptx only sets the Latin typeface (``a:latin``). Without an East-Asian typeface
(``a:ea``) PowerPoint and LibreOffice pick a Japanese font per machine, and LibreOffice may show
boxes. Every run therefore gets ``a:latin`` and ``a:ea`` set through the XML, ``lang="ja-JP"``,
and ``charset="-128"`` (SHIFTJIS_CHARSET) so that PowerPoint substitutes a Japanese font (游ゴシック)
where the named one is not installed. The theme's major/minor East-Asian fonts are set as well.
"""

from __future__ import annotations

import json
import re
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from hokuriku import io, paths
from hokuriku.codes.prefectures import region as resolve_region
from hokuriku.errors import HokurikuError
from hokuriku.reporting.labels import display_columns
from hokuriku.reporting.outputs import read_outputs

EA_FONT = "Noto Sans CJK JP"
"""East-Asian typeface set on every run (Debian fonts-noto-cjk; PowerPoint falls back to a
Japanese font through ``charset=-128`` where it is absent). Pass ``ea_font="Yu Gothic"`` for
Windows-only audiences."""
LATIN_FONT = "Noto Sans CJK JP"
MAX_NATIVE_ROWS = 15
MAX_NATIVE_COLS = 10
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
"""Table columns that repeat the source line: dropped on slides, where the (出所) box carries it."""


def _source_size(text: str) -> float:
    """Font size (pt) of the (出所) box: smaller for long notes so they fit its height."""
    n = len(text)
    return 12 if n <= 150 else 10 if n <= 280 else 8


def _slide_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The table as shown on a slide: no 出所 column; numbers with thousands separators (codes untouched)."""
    shown = display_columns(df.drop(columns=[c for c in SOURCE_COLUMNS if c in df.columns]))
    out = shown.copy()
    for col in shown.columns:
        name = str(col)
        if "コード" in name or "code" in name.lower() or name.endswith(("年", "年度", "期首", "期末")):
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


def _native_table(slide, df: pd.DataFrame, left, top, width, height, ea_font: str) -> None:
    rows, cols = len(df) + 1, len(df.columns)
    row_h = min(Inches(0.4), height // rows)
    shape = slide.shapes.add_table(rows, cols, left, top, width, row_h * rows)
    table = shape.table
    size = 14 if rows <= 8 else 11
    for j, col in enumerate(df.columns):
        cell = table.cell(0, j)
        cell.text_frame.clear()
        run = cell.text_frame.paragraphs[0].add_run()
        run.text = str(col)
        set_ea_font(run, ea_font, size_pt=size)
        for i, value in enumerate(df[col].tolist(), start=1):
            c = table.cell(i, j)
            c.text_frame.clear()
            run = c.text_frame.paragraphs[0].add_run()
            run.text = _fmt(value)
            set_ea_font(run, ea_font, size_pt=size)


def render_table_image(df: pd.DataFrame, dest: Path, *, max_rows: int = 40) -> Path:
    """Render a (large) table to a PNG with matplotlib, Japanese labels in a CJK font."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from matplotlib import font_manager

    try:
        import matplotlib_fontja  # noqa: F401 - registers IPAexGothic with matplotlib
    except ImportError:  # pragma: no cover - pinned dependency
        pass
    installed = {f.name for f in font_manager.fontManager.ttflist}
    stack = [f for f in _CJK_STACK if f in installed] or ["DejaVu Sans"]
    shown = df.head(max_rows)
    cells = [[_fmt(v) for v in row] for row in shown.itertuples(index=False)]
    with plt.rc_context({"font.family": stack}):
        fig, ax = plt.subplots(figsize=(12.3, 0.3 * (len(shown) + 1) + 0.4))
        ax.axis("off")
        tbl = ax.table(cellText=cells, colLabels=[str(c) for c in shown.columns], loc="upper center", cellLoc="right")
        tbl.auto_set_font_size(False)
        tbl.set_fontsize(8)
        if len(df) > max_rows:
            ax.set_title(f"（先頭{max_rows}行／全{len(df)}行）", fontsize=8, loc="right")
        fig.savefig(dest, dpi=200, bbox_inches="tight")
        plt.close(fig)
    return dest


def build_deck(
    region_spec: object = "HOKURIKU3",
    *,
    reports_dir: Path | None = None,
    dest: Path | None = None,
    build_date: date | None = None,
    ea_font: str = EA_FONT,
) -> Path:
    """Build ``reports/deck/<region_slug>/hokuriku_<region_slug>.pptx`` and return its path.

    Raises :class:`HokurikuError` if the region has no report folder with registered outputs.
    """
    # Load inputs.
    reg = resolve_region(region_spec)
    folders = report_folders(reg, reports_dir)
    items = [(folder, o) for folder in folders for o in read_outputs(folder)]
    if not items:
        where = Path(reports_dir or paths.REPORTS) / "*" / reg.slug
        msg = f"No registered outputs (outputs.json) in {where}: run `make reports REGION={reg.key}` first"
        raise HokurikuError(msg)
    vintages = collect_vintages(folders)
    build_date = build_date or date.today()

    # Process data.
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    _set_theme_fonts(prs, ea_font)
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    _set_title(slide, f"{reg.name_ja}の地域経済指標", ea_font, size=36)
    slide.shapes.title.top = Inches(2.2)
    lines = [f"作成日: {build_date.isoformat()}", "データの版: " + ("、".join(f"{k} {v}" for k, v in vintages.items()) or "—")]
    _text_box(slide, "\n".join(lines), MARGIN, Inches(3.6), SLIDE_W - 2 * MARGIN, Inches(2.0), size=18, ea_font=ea_font,
              name="Subtitle")
    body_top = Inches(0.25) + TITLE_H
    body_h = SLIDE_H - body_top - SOURCE_H - Inches(0.35)
    body_w = SLIDE_W - 2 * MARGIN
    with tempfile.TemporaryDirectory() as tmp:
        for folder, o in items:
            slide = prs.slides.add_slide(prs.slide_layouts[5])
            _set_title(slide, o["title_ja"], ea_font)
            if o["kind"] == "chart":
                image = folder / f"{o['stem']}.png"
                if not image.exists():
                    msg = f"{folder / 'outputs.json'}: chart {o['stem']!r} is registered but {image.name} is missing"
                    raise HokurikuError(msg)
                _fit_picture(slide, image, MARGIN, body_top, body_w, body_h)
            else:
                csv = folder / f"{o['stem']}.csv"
                if not csv.exists():
                    msg = f"{folder / 'outputs.json'}: table {o['stem']!r} is registered but {csv.name} is missing"
                    raise HokurikuError(msg)
                df = _slide_frame(pd.read_csv(csv, encoding="utf-8-sig", dtype=object, keep_default_na=False))
                if len(df) <= MAX_NATIVE_ROWS and len(df.columns) <= MAX_NATIVE_COLS:
                    _native_table(slide, df, MARGIN, body_top, body_w, body_h, ea_font)
                else:
                    image = render_table_image(df, Path(tmp) / f"{folder.parent.name}__{o['stem']}.png")
                    _fit_picture(slide, image, MARGIN, body_top, body_w, body_h)
            _text_box(slide, o["source_note"], MARGIN, SLIDE_H - SOURCE_H - Inches(0.2), body_w, SOURCE_H,
                      size=_source_size(o["source_note"]), ea_font=ea_font, name="Source")

        # Save outputs.
        dest = Path(dest or deck_path(reg))
        with io.atomic_path(dest) as t:
            prs.save(str(t))
    return dest
