"""Command line: ``python -m hokuriku <command>`` (the Makefile calls exactly these)."""

from __future__ import annotations

import argparse
import errno
import json
import logging
import os
import sys

from hokuriku.errors import HokurikuError


def _cmd_data(args: argparse.Namespace) -> int:
    from hokuriku import manifest, store

    if manifest.download_allowed():  # HOKURIKU_ALLOW_DOWNLOAD=1: get what is missing first, with progress
        _fetch_and_report(None, None, verbose=False)
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


def _progress(done: int, total: int, width: int = 24) -> str:
    filled = round(width * done / max(total, 1))
    return f"[{'#' * filled}{'.' * (width - filled)}] {done:>{len(str(total))}}/{total}"


def _cmd_reports(args: argparse.Namespace) -> int:
    """Run notebooks × regions; stamps are checked here with light imports, runs go to parallel kernels."""
    import time

    from hokuriku import paths
    from hokuriku.reporting import notebooks

    start = time.perf_counter()
    names = args.notebook or notebooks.all_notebooks()
    for name in names:
        notebooks.notebook_path(name)  # only the project's notebooks: refuse paths before any work
    params = dict(_parse_param(p) for p in args.param)
    from hokuriku.reporting.parameters import check_known

    declared_any = {k for n in names for k in notebooks.declared_parameters(notebooks.notebook_path(n))}
    check_known(params, declared_any, where=f"notebooks {names}")  # a typo must not silently run the defaults
    for action in notebooks.recover_all():  # what a killed run left behind
        print(f"recovered: {action}")
    data_hash = notebooks._data_hash()
    jobs, total = [], len(names) * len(args.region)
    done = 0
    for region in args.region:
        for name in names:
            declared = notebooks.declared_parameters(notebooks.notebook_path(name))
            p = {k: v for k, v in params.items() if k in declared}
            if "region" in declared:
                p["region"] = region
            job, current = notebooks.prepare(name, p, force=args.force, data_hash=data_hash)
            if current:
                done += 1
                if args.verbose:
                    print(f"{_progress(done, total)}  {job.label}  up to date")
            else:
                jobs.append(job)
    if not jobs:
        print(f"{total} report(s) up to date ({time.perf_counter() - start:.2f} s)")
        if args.site and not (paths.REPORTS / "index.html").exists():
            _cmd_site(args)
        return 0
    workers = min(args.jobs or notebooks.default_workers(), len(jobs))
    print(f"running {len(jobs)} notebook(s) of {total} in {workers} parallel kernel(s)"
          f"{f'; {done} up to date' if done else ''}", flush=True)
    failures: list[str] = []
    busy = 0.0
    per_region: dict[str, float] = {}

    def report(job, seconds: float, error: str | None) -> None:
        nonlocal done, busy
        done += 1
        if error:
            failures.append(error)
            print(f"{_progress(done, total)}  {job.label}  FAILED", flush=True)
            return
        busy += seconds
        per_region[job.region] = per_region.get(job.region, 0.0) + seconds
        print(f"{_progress(done, total)}  {job.label}  {seconds:6.1f} s", flush=True)

    notebooks.run_many(jobs, workers=workers, on_done=report)
    wall = time.perf_counter() - start
    line = f"{len(jobs) - len(failures)} notebook(s) run in {wall:.1f} s wall ({busy:.1f} s in kernels"
    if len(per_region) > 1:
        one = sum(per_region.values()) / len(per_region)
        line += (f"; {len(per_region)} regions: one region {one:.1f} s × {len(per_region)} = "
                 f"{one * len(per_region):.1f} s sequential, speed-up {one * len(per_region) / wall:.2f}×, "
                 f"efficiency {one * len(per_region) / wall / workers:.0%} of {workers} worker(s)")
    print(line + ")")
    if args.site:
        _cmd_site(args)
    for text in failures:
        print(f"error: {text}", file=sys.stderr)
    return 1 if failures else 0


def _cmd_fetch(args: argparse.Namespace) -> int:
    if args.estat:
        from hokuriku.sources import estat_api

        params = dict(p.partition("=")[::2] for p in args.estat_param)
        df = estat_api.fetch_stats_data(args.estat, params, vintage=args.vintage)
        print(f"e-Stat statsDataId={args.estat}: {len(df)} records cached under data/raw/{estat_api.SOURCE}/")
        return 0
    return _fetch_and_report(args.source, args.vintage, verbose=args.verbose)


def _fetch_and_report(source: str | None, vintage: str | None, *, verbose: bool) -> int:
    """Download what is missing, one progress line per file, and list at the end what could not be got."""
    from hokuriku import fetch

    def show(r: dict) -> None:
        if r["status"] != "present" or verbose:
            print(f"{r['status']:>17}  {r['file']}", flush=True)

    rows = fetch.fetch(source, vintage, progress=show)
    bad = [r for r in rows if r["status"] in ("failed", "no download route")]
    print(f"{sum(r['status'] in ('downloaded', 'recorded') for r in rows)} file(s) fetched, "
          f"{sum(r['status'] == 'present' for r in rows)} present, {len(bad)} could not be got")
    if bad:
        print("Could not get:")
        for r in bad:
            print(f"  - {r['file']}: {r['reason']}")
    return 1 if bad else 0


def _cmd_bundle(args: argparse.Namespace) -> int:
    from hokuriku import fetch

    def show(r: dict) -> None:
        if r["status"] != "copied" or args.verbose:
            print(f"{r['status']:>8}  {r['file']}", flush=True)

    target, rows = fetch.bundle(args.dir, as_zip=args.zip, progress=show)
    gone = [r for r in rows if r["status"] == "missing"]
    print(f"bundle -> {target}: {len(rows) - len(gone)} file(s), {len(gone)} missing")
    print(f"On the offline machine: HOKURIKU_MIRROR={target if not args.zip else target.with_suffix('')} make reports"
          + ("  (after unzipping)" if args.zip else ""))
    return 1 if gone else 0


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
    p.add_argument("--jobs", type=int, default=None, help="parallel kernels (default: HOKURIKU_JOBS or the cores)")
    p.add_argument("--site", action="store_true", help="then rebuild reports/index.html if any report changed")
    p.set_defaults(func=_cmd_reports)

    p = sub.add_parser("fetch", help="download missing raw files (verified, one line per file) / record new checksums, "
                                     "or fetch an e-Stat table")
    p.add_argument("--source", help="only this source id")
    p.add_argument("--vintage", help="only this vintage (with --estat: the cache folder, default today)")
    p.add_argument("--estat", metavar="STATS_DATA_ID", help="fetch an e-Stat API table (appId from ESTAT_APP_ID)")
    p.add_argument("--estat-param", action="append", default=[], help="extra API parameter name=value (cdArea=16000)")
    p.set_defaults(func=_cmd_fetch)

    p = sub.add_parser("bundle", help="write a mirror folder (or --zip) of every raw file present, for offline machines")
    p.add_argument("dir", help="folder to write (with --zip: DIR.zip)")
    p.add_argument("--zip", action="store_true", help="write one zip file instead of a folder")
    p.set_defaults(func=_cmd_bundle)

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
        # make passes REGION / REGIONS through the environment, never through the shell: the value
        # is data (whitespace-separated region specs), validated like --region.
        args.region = os.environ.get("HOKURIKU_REGIONS", "").split() or ["HOKURIKU3"]
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    try:
        return args.func(args)
    except HokurikuError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # disk full, read-only folder, permissions: one line naming the file, no traceback
        print(f"error: {os_error_line(exc)}", file=sys.stderr)
        return 3


_OS_HINTS = {
    errno.ENOSPC: "free disk space and rerun",
    errno.EDQUOT: "free disk space (quota) and rerun",
    errno.EROFS: "the folder is on a read-only file system; run from a writable checkout",
    errno.EACCES: "check the permissions of the file and its folder",
    errno.EPERM: "check the permissions of the file and its folder",
}


def os_error_line(exc: OSError) -> str:
    """One line for an OSError: what failed, on which file, and what to do.

    >>> os_error_line(OSError(28, "No space left on device", "reports/x.png"))
    'No space left on device: reports/x.png (free disk space and rerun)'
    """
    what = exc.strerror or type(exc).__name__
    files = [str(f) for f in (exc.filename, exc.filename2) if f is not None]
    line = f"{what}: {' -> '.join(files)}" if files else f"{what}: {exc}"
    hint = _OS_HINTS.get(exc.errno)
    return " ".join((line + (f" ({hint})" if hint else "")).split())
