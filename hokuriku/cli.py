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

    args = parser.parse_args(argv)
    if getattr(args, "region", "unset") is None:
        args.region = ["HOKURIKU3"]
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    try:
        return args.func(args)
    except HokurikuError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
