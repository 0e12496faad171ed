"""Command line: ``python -m hokuriku <command>`` (the Makefile calls exactly these)."""

from __future__ import annotations

import argparse
import json
import logging
import sys

from hokuriku.errors import HokurikuError


def _cmd_data(args: argparse.Namespace) -> int:
    from hokuriku import store

    rows = store.build(args.source or None, force=args.force)
    built = sum(r["status"] == "built" for r in rows)
    for r in rows:
        if r["status"] == "built" or args.verbose:
            print(f"{r['status']:>10}  {r['table']}  rows={r['rows']}  {r['seconds']}s")
    print(f"{built} table(s) built, {len(rows) - built} up to date")
    return 0


def _cmd_verify_raw(args: argparse.Namespace) -> int:
    from hokuriku import manifest

    rows = manifest.verify_all()
    bad = [r for r in rows if r[1] != "ok"]
    for name, status in rows:
        if status != "ok" or args.verbose:
            print(f"{status:>8}  {name}")
    print(f"{len(rows) - len(bad)} ok, {len(bad)} missing or bad")
    return 1 if bad else 0


def _parse_param(text: str) -> tuple[str, object]:
    key, _, value = text.partition("=")
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        parsed = value
    return key, parsed


def _cmd_reports(args: argparse.Namespace) -> int:
    from hokuriku.reporting import notebooks

    names = args.notebook or notebooks.all_notebooks()
    params = dict(_parse_param(p) for p in args.param)
    for region in args.region:
        for name in names:
            declared = notebooks.declared_parameters(notebooks.notebook_path(name))
            p = {k: v for k, v in params.items() if k in declared}
            if "region" in declared:
                p["region"] = region
            dest = notebooks.run(name, p, force=args.force)
            print(f"{name} [{region}] -> {dest}")
    return 0


def _cmd_fetch(args: argparse.Namespace) -> int:
    from hokuriku import fetch

    if args.estat:
        from hokuriku.sources import estat_api

        params = dict(p.partition("=")[::2] for p in args.estat_param)
        df = estat_api.fetch_stats_data(args.estat, params, vintage=args.vintage)
        print(f"e-Stat statsDataId={args.estat}: {len(df)} records cached under data/raw/{estat_api.SOURCE}/")
        return 0
    rows = fetch.fetch(args.source, args.vintage)
    for r in rows:
        if r["status"] != "present" or args.verbose:
            print(f"{r['status']:>16}  {r['file']}")
    print(f"{sum(r['status'] in ('downloaded', 'recorded') for r in rows)} file(s) fetched, "
          f"{sum(r['status'] == 'present' for r in rows)} present")
    return 0


def _cmd_deck(args: argparse.Namespace) -> int:
    from hokuriku.reporting import deck

    status = 0
    for region in args.region:
        path = deck.build_deck(region, ea_font=args.ea_font, spec=args.spec)
        print(f"deck [{region}] -> {path}")
        if not args.no_preview:
            status = max(status, _deck_preview(path))
    return status


def _deck_preview(path) -> int:
    """Render the deck with LibreOffice to PDF and PNG previews beside it; report layout problems."""
    from hokuriku.errors import HokurikuError
    from hokuriku.reporting import deck_check

    try:
        pdf = deck_check.render_pdf(path, path.parent)
        pngs = deck_check.render_pngs(pdf, path.parent / "preview", dpi=80)
    except HokurikuError as exc:
        print(f"  preview skipped: {exc}")
        return 0
    print(f"  preview -> {pdf} and {len(pngs)} PNG in {path.parent / 'preview'}")
    try:
        problems = deck_check.layout_problems(pdf)
    except ImportError:
        print("  layout check skipped: pdfplumber is not installed (pip install -e '.[test]')")
        return 0
    for line in problems:
        print(f"  layout: {line}")
    return 1 if problems else 0


def _cmd_site(args: argparse.Namespace) -> int:
    from hokuriku.reporting import site

    print(f"site -> {site.build_site()}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hokuriku", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("data", help="build processed parquet tables from the raw files (make data)")
    p.add_argument("--source", action="append", help="only this source id (repeatable)")
    p.add_argument("--force", action="store_true", help="rebuild even if up to date")
    p.set_defaults(func=_cmd_data)

    p = sub.add_parser("verify-raw", help="hash every raw file against its manifest")
    p.set_defaults(func=_cmd_verify_raw)

    p = sub.add_parser("reports", help="run notebooks with papermill into reports/")
    p.add_argument("--region", action="append", default=None, help="region name or comma list of codes (repeatable)")
    p.add_argument("--notebook", action="append", help="only this notebook (repeatable)")
    p.add_argument("--param", action="append", default=[], help="extra parameter name=value (JSON value)")
    p.add_argument("--force", action="store_true")
    p.set_defaults(func=_cmd_reports)

    p = sub.add_parser("fetch", help="download declared raw files / record new checksums, or fetch an e-Stat table")
    p.add_argument("--source", help="only this source id")
    p.add_argument("--vintage", help="only this vintage (with --estat: the cache folder, default today)")
    p.add_argument("--estat", metavar="STATS_DATA_ID", help="fetch an e-Stat API table (appId from ESTAT_APP_ID)")
    p.add_argument("--estat-param", action="append", default=[], help="extra API parameter name=value (cdArea=16000)")
    p.set_defaults(func=_cmd_fetch)

    p = sub.add_parser("deck", help="assemble the 16:9 PPTX deck of a region from its reports (make deck)")
    p.add_argument("--region", action="append", default=None, help="region name or comma list of codes (repeatable)")
    p.add_argument("--ea-font", default="Noto Sans CJK JP", help="East-Asian typeface set on every text run")
    p.add_argument("--spec", default=None, help="deck spec YAML (default hokuriku/reporting/decks/kentokai.yml)")
    p.add_argument("--no-preview", action="store_true", help="skip the LibreOffice PDF/PNG preview and layout check")
    p.set_defaults(func=_cmd_deck)

    p = sub.add_parser("site", help="write reports/index.html linking every built report")
    p.set_defaults(func=_cmd_site)

    args = parser.parse_args(argv)
    if getattr(args, "region", "unset") is None:
        args.region = ["HOKURIKU3"]
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    try:
        return args.func(args)
    except HokurikuError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
