"""Report outputs sidecar: ``<out_dir>/outputs.json`` lists every chart and table a notebook saved.

A notebook saves each chart or table through :func:`save_chart` / :func:`save_table` (or calls
:func:`register_output` after writing the files itself). The sidecar records, per output, the
Japanese slide title, the ``(出所)`` line, the order on the slides, the files written and the data
vintages used. The slide deck (:mod:`hokuriku.reporting.deck`) and the report site
(:mod:`hokuriku.reporting.site`) read only this sidecar and the files it names, so neither has to
guess titles from file names.

Format (version 1)::

    {"version": 1,
     "outputs": [{"stem": "gdp_share", "kind": "chart", "title_ja": "県内総生産の全国シェア",
                  "source_note": "(出所) 内閣府「令和4年度県民経済計算」", "order": 10,
                  "files": ["gdp_share.png", "gdp_share.svg"],
                  "vintages": {"kenmin_keizai": "2022"},
                  "provenance": [{"source": "kenmin_keizai", "vintage": "2022", "citation": "内閣府「…」",
                                  "obtained_from": …, "commit": …, "transformation": …, "files": […]}],
                  "registered_utc": "2026-…"}]}

``provenance`` (:func:`hokuriku.manifest.provenance_records`) says how the bytes behind the output were
obtained (repository, commit, path, transformation of a derived copy); it is built from ``vintages``
and from the pairs a :func:`hokuriku.manifest.source_note` remembers. It is for the report site and
the 「データについて」 slide only: the ``source_note`` printed on charts and tables names the publisher only.

Registering the same ``stem`` and kind again replaces its entry (a rerun of a notebook does not duplicate
slides). Every write is atomic (:func:`hokuriku.io.atomic_path`).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from hokuriku import io
from hokuriku.errors import HokurikuError, ParameterError

SIDECAR = "outputs.json"
VERSION = 1
KINDS = ("chart", "table")
_EXTENSIONS = {"chart": ("png", "svg"), "table": ("csv", "xlsx")}


class Written(list):
    """The paths an output was written to; shows nothing when a notebook cell ends with it."""

    def _ipython_display_(self) -> None:
        return None


def read_outputs(out_dir: Path | str) -> list[dict]:
    """The registered outputs of a report folder, sorted by ``order`` then registration.

    Returns an empty list when the folder has no sidecar.
    """
    path = Path(out_dir) / SIDECAR
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("outputs"), list):
        msg = f"{path}: expected an outputs sidecar version {VERSION} with an 'outputs' list, found {str(data)[:80]!r}"
        raise ParameterError(msg)
    items = data["outputs"]
    return sorted(items, key=lambda o: (o.get("order", 0), items.index(o)))


def register_output(
    out_dir: Path | str,
    stem: str,
    kind: str = "chart",
    *,
    title_ja: str,
    source_note: str,
    order: int | None = None,
    vintages: dict[str, str] | None = None,
    provenance: list[dict] | None = None,
    subtitle: str | None = None,
) -> dict:
    """Record one chart or table of a report folder in ``<out_dir>/outputs.json``.

    Parameters
    ----------
    out_dir
        The report folder (``reports/<notebook>/<region_slug>``).
    stem
        File stem of the output (``<stem>.png`` / ``<stem>.csv`` …), unique within the folder.
    kind
        ``"chart"`` (PNG + SVG) or ``"table"`` (CSV + XLSX).
    title_ja
        Slide title in Japanese.
    source_note
        The ``(出所)`` line, as printed under the chart (``"(出所) 内閣府「…」"``).
    order
        Position on the slides; defaults to after every output already registered.
    vintages
        Data vintages used, ``{source_id: vintage}``; shown on the title slide and the site.
    provenance
        Provenance records of the data used; by default :func:`hokuriku.manifest.provenance_records`
        of ``vintages`` and of the pairs remembered by ``source_note`` (when it came from
        :func:`hokuriku.manifest.source_note`).
    subtitle
        A line under the slide title (a chart's subtitle: what the reader must know to read it).

    Returns
    -------
    dict
        The entry written.
    """
    if kind not in KINDS:
        msg = f"kind must be one of {KINDS}, got {kind!r}"
        raise ParameterError(msg)
    if not str(title_ja).strip():
        msg = f"{stem}: title_ja must be a non-empty Japanese slide title"
        raise ParameterError(msg)
    if not str(source_note).strip():
        msg = f"{stem}: source_note must name the publisher and table, e.g. '(出所) 内閣府「令和4年度県民経済計算」'"
        raise ParameterError(msg)
    out_dir = Path(out_dir)
    existing = [o for o in read_outputs(out_dir) if (o["stem"], o["kind"]) != (stem, kind)]
    if order is None:
        order = max((int(o.get("order", 0)) for o in existing), default=0) + 10
    files = [f"{stem}.{ext}" for ext in _EXTENSIONS[kind] if (out_dir / f"{stem}.{ext}").exists()]
    deck_image = out_dir / f"{stem}{io.DECK_SUFFIX}.png"
    entry = {
        "stem": stem,
        "kind": kind,
        "title_ja": str(title_ja),
        "source_note": str(source_note),
        "order": int(order),
        "files": files,
        **({"deck_image": deck_image.name} if kind == "chart" and deck_image.exists() else {}),
        **({"subtitle": str(subtitle)} if subtitle else {}),
        "vintages": {str(k): str(v) for k, v in (vintages or {}).items()},
        "provenance": provenance if provenance is not None else _provenance(source_note, vintages),
        "registered_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    payload = {"version": VERSION, "outputs": [*existing, entry]}
    with io.atomic_path(out_dir / SIDECAR) as tmp:
        tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    io.apply_umask(out_dir)  # a runner's staging folder is mkdtemp's 0o700: readable by colleagues as the umask allows
    return entry


def _provenance(source_note: str, vintages: dict[str, str] | None) -> list[dict]:
    """Provenance of the pairs behind an output: its ``source_note``'s pairs first, then ``vintages``."""
    from hokuriku import manifest  # noqa: PLC0415

    records, seen = [], set()
    for pair in [*getattr(source_note, "pairs", ()), *(vintages or {}).items()]:
        key = (str(pair[0]), str(pair[1]))
        if key in seen:
            continue
        seen.add(key)
        try:
            records += manifest.provenance_records([key])
        except HokurikuError as exc:  # e.g. analyst-supplied data: say so instead of dropping it
            records.append({"source": key[0], "vintage": key[1], "error": str(exc)})
    return records


def save_chart(
    fig,
    out_dir: Path | str,
    stem: str,
    title_ja: str,
    source_note: str,
    *,
    order: int | None = None,
    vintages: dict[str, str] | None = None,
    dpi: int = 200,
    subtitle: str | None = None,
) -> list[Path]:
    """Save a chart once in two renderings and register it for the deck.

    The deck rendering ``<stem>_deck.png`` is the bare chart (the slide carries ``title_ja`` and
    ``source_note`` as text); the report rendering ``<stem>.png`` / ``.svg`` has the title (and
    ``subtitle``) and the ``(出所)`` line drawn in the image — the ones the notebook drew with
    :func:`hokuriku.plotting.charts.add_title` / ``add_source_line``, else ``title_ja`` and
    ``source_note`` (:func:`hokuriku.io.save_figure`).
    """
    from hokuriku.plotting import charts  # noqa: PLC0415

    titles = [t.get_text() for t in charts.decor_texts(fig, "title")]
    had_title, had_source = bool(titles), bool(charts.decor_texts(fig, "source"))
    subtitle = subtitle or (titles[1] if len(titles) > 1 else None)
    written = io.save_figure(fig, out_dir, stem, dpi=dpi, report=False)
    if not had_title:
        charts.add_title(fig, title_ja, subtitle)
    if not had_source:
        charts.add_source_line(fig, source_note)
    written += io.save_figure(fig, out_dir, stem, dpi=dpi, deck=False)
    register_output(out_dir, stem, "chart", title_ja=title_ja, source_note=source_note, order=order, vintages=vintages,
                    subtitle=subtitle)
    return Written(written)


def save_table(
    df: pd.DataFrame,
    out_dir: Path | str,
    stem: str,
    title_ja: str,
    source_note: str,
    *,
    order: int | None = None,
    vintages: dict[str, str] | None = None,
    index: bool = False,
) -> list[Path]:
    """Write a table as CSV + XLSX (:func:`hokuriku.io.write_table`) and register it for the deck."""
    df = df.copy()
    df.attrs["source_note"] = source_note
    written = io.write_table(df, out_dir, stem, index=index)
    register_output(out_dir, stem, "table", title_ja=title_ja, source_note=source_note, order=order, vintages=vintages)
    return Written(written)
