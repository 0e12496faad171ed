"""Static report site: ``reports/index.html`` linking every built report (``make reports``).

One section per notebook, one card per region built, each with links to the notebook's HTML
rendering, its tables (CSV / XLSX) and charts (PNG thumbnails linking to PNG / SVG), the Japanese
titles and ``(出所)`` lines registered in ``outputs.json`` (:mod:`hokuriku.reporting.outputs`), the
data vintages (from the sidecar, else the papermill ``*_vintage`` parameters) and the run date.
A region's slide deck (``reports/deck/<slug>/*.pptx``) is linked when built.

The page is UTF-8 with ``lang="ja"`` and a CJK font stack ending in Noto Sans CJK JP (Debian
``fonts-noto-cjk``, installed by ``.ci/run``) before the generic ``sans-serif``, so Japanese text
never falls back to a font without kana/kanji. All links are relative: the folder can be copied
or served as is.
"""

from __future__ import annotations

import html
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hokuriku import io, paths
from hokuriku.codes.prefectures import DEFAULT_REGION
from hokuriku.codes.prefectures import region as resolve_region
from hokuriku.errors import HokurikuError
from hokuriku.reporting.deck import collect_vintages
from hokuriku.reporting.outputs import read_outputs

FONT_STACK = ('"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Kaku Gothic ProN", "Hiragino Sans", '
              '"Yu Gothic", YuGothic, "Meiryo", sans-serif')
CSS = f"""
body {{ font-family: {FONT_STACK}; margin: 2rem; color: #222; line-height: 1.6; }}
h1 {{ font-size: 1.6rem; border-bottom: 3px solid #1f5fa8; }}
h2 {{ font-size: 1.3rem; margin-top: 2rem; }}
.card {{ border: 1px solid #ccc; border-radius: 6px; padding: 0.8rem 1rem; margin: 0.8rem 0; }}
.meta {{ color: #555; font-size: 0.9rem; }}
.thumbs {{ display: flex; flex-wrap: wrap; gap: 12px; }}
figure {{ margin: 0; width: 260px; }}
figure img {{ width: 260px; border: 1px solid #ddd; }}
figcaption {{ font-size: 0.85rem; }}
"""


def _region_name(folder: Path) -> tuple[str, str]:
    """(Japanese name, slug) of a report folder, from its papermill ``region`` parameter."""
    for nb in sorted(folder.glob("*.ipynb")):
        params = json.loads(nb.read_text(encoding="utf-8")).get("metadata", {}).get("papermill", {}).get("parameters")
        if params and "region" in params:
            try:
                return resolve_region(params["region"]).name_ja, folder.name
            except HokurikuError:
                break
    return folder.name, folder.name


JST = timezone(timedelta(hours=9), "JST")
SITE_TITLE = "地域経済分析レポート一覧"


def jst_text(moment: datetime) -> str:
    """``2026年11月30日 14:05（日本時間）`` (naive datetimes are taken as UTC, as papermill writes them)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    t = moment.astimezone(JST)
    return f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}（日本時間）"


def notebook_title(notebook: str, folders: list[Path]) -> str:
    """The Japanese title of a notebook: its first ``# `` heading (from a report of it, else the notebook)."""
    candidates = [f / f"{notebook}.ipynb" for f in folders if f.parent.name == notebook]
    candidates.append(paths.PROJ_ROOT / "notebooks" / f"{notebook}.ipynb")
    for nb in candidates:
        try:
            cells = json.loads(nb.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError):
            continue
        for cell in cells:
            if cell.get("cell_type") == "markdown":
                first = "".join(cell.get("source", [])).strip().splitlines()
                if first and first[0].startswith("# "):
                    return first[0][2:].strip()
    return notebook


def _run_date(folder: Path) -> str:
    for nb in sorted(folder.glob("*.ipynb")):
        end = json.loads(nb.read_text(encoding="utf-8")).get("metadata", {}).get("papermill", {}).get("end_time")
        if end:
            try:
                return jst_text(datetime.fromisoformat(str(end).replace("Z", "+00:00")))
            except ValueError:
                return str(end)[:10]
    page = next(iter(sorted(folder.glob("*.html"))), None)
    return datetime.fromtimestamp(page.stat().st_mtime).date().isoformat() if page else "—"


def _link(href: str, text: str) -> str:
    return f'<a href="{html.escape(href, quote=True)}">{html.escape(text)}</a>'


def _card(folder: Path, reports_dir: Path) -> str:
    rel = folder.relative_to(reports_dir).as_posix()
    name_ja, slug = _region_name(folder)
    notebook = folder.parent.name
    vintages = collect_vintages([folder])
    parts = [f'<div class="card" id="{html.escape(notebook)}--{html.escape(slug)}">',
             f"<h3>{html.escape(name_ja)} <span class='meta'>({html.escape(slug)})</span></h3>"]
    meta = [f"実行日: {html.escape(_run_date(folder))}",
            "データの版: " + html.escape("、".join(f"{k} {v}" for k, v in vintages.items()) or "—")]
    page = folder / f"{notebook}.html"
    links = [_link(f"{rel}/{page.name}", "レポート（HTML）")] if page.exists() else []
    links += [_link(f"{rel}/{nb.name}", "実行済みノートブック") for nb in sorted(folder.glob(f"{notebook}.ipynb"))]
    parts.append(f"<p class='meta'>{' ／ '.join(meta)}</p><p>{' ・ '.join(links) or '（HTML未作成）'}</p>")
    registered = read_outputs(folder)
    known = {o["stem"] for o in registered}
    tables = [o for o in registered if o["kind"] == "table"]
    tables += [{"stem": p.stem, "title_ja": p.stem, "source_note": ""} for p in sorted(folder.glob("*.csv"))
               if p.stem not in known]
    charts = [o for o in registered if o["kind"] == "chart"]
    charts += [{"stem": p.stem, "title_ja": p.stem, "source_note": ""} for p in sorted(folder.glob("*.png"))
               if p.stem not in known and not p.stem.endswith(io.DECK_SUFFIX)]  # deck renderings are for slides
    if tables:
        parts.append("<h4>表</h4><ul>")
        for o in tables:
            files = [_link(f"{rel}/{o['stem']}.{ext}", ext.upper()) for ext in ("csv", "xlsx")
                     if (folder / f"{o['stem']}.{ext}").exists()]
            note = f" <span class='meta'>{html.escape(o['source_note'])}</span>" if o["source_note"] else ""
            parts.append(f"<li>{html.escape(o['title_ja'])}（{' ・ '.join(files)}）{note}</li>")
        parts.append("</ul>")
    if charts:
        parts.append("<h4>図</h4><div class='thumbs'>")
        for o in charts:
            png, svg = f"{rel}/{o['stem']}.png", folder / f"{o['stem']}.svg"
            extra = " ・ " + _link(f"{rel}/{svg.name}", "SVG") if svg.exists() else ""
            parts.append(
                f"<figure><a href='{html.escape(png, quote=True)}'><img src='{html.escape(png, quote=True)}' "
                f"alt='{html.escape(o['title_ja'], quote=True)}' loading='lazy'></a>"
                f"<figcaption>{html.escape(o['title_ja'])}{extra}<br><span class='meta'>"
                f"{html.escape(o['source_note'])}</span></figcaption></figure>"
            )
        parts.append("</div>")
    parts.append("</div>")
    return "\n".join(parts)


def report_folders(reports_dir: Path | None = None) -> list[Path]:
    """Every ``reports/<notebook>/<region_slug>/`` folder holding a report (not the deck)."""
    reports_dir = Path(reports_dir or paths.REPORTS)
    return [
        d for d in sorted(reports_dir.glob("*/*"))
        if d.is_dir() and not d.name.startswith(".") and d.parent.name != "deck"
        and (any(d.glob("*.html")) or (d / "outputs.json").exists())
    ]


def build_site(reports_dir: Path | None = None, *, build_time: datetime | None = None) -> Path:
    """Write ``<reports_dir>/index.html`` and return its path."""
    # Load inputs.
    reports_dir = Path(reports_dir or paths.REPORTS)
    folders = report_folders(reports_dir)
    build_time = build_time or datetime.now(JST)
    default_slug = resolve_region(DEFAULT_REGION).slug

    # Process data.
    body = [f"<h1>{SITE_TITLE}</h1><p class='meta'>作成日時: {html.escape(jst_text(build_time))}"
            f" ／ レポート数: {len(folders)}</p>"]
    decks = sorted((reports_dir / "deck").glob("*/*.pptx"))
    if decks:
        body.append("<h2>スライド資料（PPTX）</h2><ul>")
        body += [f"<li>{_link(d.relative_to(reports_dir).as_posix(), d.name)}</li>" for d in decks]
        body.append("</ul>")
    if not folders:
        body.append("<p>まだレポートがありません。<code>make reports</code> を実行してください。</p>")
    for notebook in sorted({f.parent.name for f in folders}):
        title = notebook_title(notebook, folders)
        body.append(f"<h2 id='{html.escape(notebook)}'>{html.escape(title)}</h2>")
        mine = sorted((f for f in folders if f.parent.name == notebook), key=lambda f: (f.name != default_slug, f.name))
        body += [_card(f, reports_dir) for f in mine]
    page = (
        "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{SITE_TITLE}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body) + "\n</body>\n</html>\n"
    )

    # Save outputs.
    dest = reports_dir / "index.html"
    with io.atomic_path(dest) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return dest
