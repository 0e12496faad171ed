"""e-Stat API 3.0 (JSON): statistical tables by ``statsDataId``, 独立行政法人統計センター.

Publisher: 総務省統計局 / 独立行政法人統計センター, 政府統計の総合窓口 e-Stat, API 仕様 3.0
(https://www.e-stat.go.jp/api/api-info/e-stat-manual3-0). Units are per record (``@unit`` of a
VALUE, else the ``@unit`` of its ``tab`` class) and kept as published in a ``unit`` column.

Layout quirks of the JSON (the XML converted by e-Stat's rules: attributes get ``@``, text is ``$``):

- ``CLASS``, ``NOTE`` and ``VALUE`` are a *list*, or a single *object* when there is one item;
- a response holds at most 100,000 records; ``RESULT_INF.NEXT_KEY`` is the ``startPosition`` of
  the next page and is absent on the last page;
- ``RESULT.STATUS`` is 0 when normal. 1 (no data), 2 (some parameters ignored) and ≥100 (errors
  such as 100 認証に失敗) are refused here with the API's own message;
- special symbols (``-``, ``…``, ``x``, ``***``) stand in ``$`` and ``DATA_INF.NOTE`` gives their
  meaning for the table: values become NaN with a reason in ``value_note`` and the NOTE text in
  ``value_note_ja``. A symbol neither numeric, known, nor in NOTE raises :class:`RawDataError`.

The ``appId`` comes from the ``ESTAT_APP_ID`` environment variable only. It is never written to a
file, a log line or an exception message (all are redacted). Fetched pages are cached verbatim
(appId redacted) under ``data/raw/estat_api/<retrieval date>/`` with a manifest entry each.
"""

from __future__ import annotations

import json
import logging
import os
import re
import urllib.parse
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd

from hokuriku import io, manifest, paths
from hokuriku.errors import HokurikuError, LayoutError, RawDataError
from hokuriku.sources import _parse
from hokuriku.sources._parse import parse_cell

SOURCE = "estat_api"
DEFAULT_VINTAGE = "2026-09-15"
API_BASE = "https://api.e-stat.go.jp/rest/3.0/app/json"
PAGE_LIMIT = 100_000  # e-Stat returns at most 100,000 records per request
MAX_PAGES = 200
APP_ID_ENV = "ESTAT_APP_ID"
log = logging.getLogger(__name__)


class EstatApiError(HokurikuError):
    """The e-Stat API answered with STATUS ≠ 0, or could not be reached (appId redacted)."""


def _as_list(obj: object) -> list:
    if obj is None:
        return []
    return obj if isinstance(obj, list) else [obj]


def _root(doc: dict, key: str, file: str) -> dict:
    if not isinstance(doc, dict) or key not in doc:
        found = list(doc)[:3] if isinstance(doc, dict) else type(doc).__name__
        raise LayoutError(file, f"an e-Stat API response with top-level key {key!r}", found=found)
    root = doc[key]
    result = root.get("RESULT", {})
    status = int(result.get("STATUS", -1))
    if status != 0:
        msg = f"{file}: e-Stat API STATUS {status}: {result.get('ERROR_MSG', '(no message)')} (expected STATUS 0)"
        raise EstatApiError(msg)
    return root


@_parse.contained
def parse_meta_info(doc: dict, *, file: str = "getMetaInfo") -> pd.DataFrame:
    """Tidy class table of a ``getMetaInfo`` response (or a ``getStatsData`` one with metaGetFlg=Y).

    Columns: ``stats_data_id, class_id, class_name, code, name, level, parent_code, unit``.
    """
    if isinstance(doc, dict) and "GET_STATS_DATA" in doc:
        data = _root(doc, "GET_STATS_DATA", file)["STATISTICAL_DATA"]
        table, classes = data.get("TABLE_INF", {}), data.get("CLASS_INF")
    else:
        meta = _root(doc, "GET_META_INFO", file).get("METADATA_INF", {})
        table, classes = meta.get("TABLE_INF", {}), meta.get("CLASS_INF")
    if not classes or "CLASS_OBJ" not in classes:
        raise LayoutError(file, "CLASS_INF.CLASS_OBJ (the class metadata)", found=None)
    rows = []
    for obj in _as_list(classes["CLASS_OBJ"]):
        for cls in _as_list(obj.get("CLASS")):
            rows.append({
                "stats_data_id": str(table.get("@id", "")),
                "class_id": obj["@id"], "class_name": obj.get("@name", ""),
                "code": str(cls["@code"]), "name": cls.get("@name", ""), "level": cls.get("@level", ""),
                "parent_code": cls.get("@parentCode"), "unit": cls.get("@unit"),
            })
    return pd.DataFrame(rows, dtype=object).astype({"stats_data_id": "str", "class_id": "str", "code": "str"})


@_parse.contained
def parse_stats_data(json_pages: list[dict] | dict, meta: dict | pd.DataFrame | None = None, *,
                     file: str = "getStatsData") -> pd.DataFrame:
    """Tidy frame of the pages of one ``getStatsData`` table, with labels joined from CLASS_INF.

    Parameters
    ----------
    json_pages
        The decoded JSON responses, in paging order (a single response is accepted).
    meta
        Class metadata when the pages were fetched without it (metaGetFlg=N): a ``getMetaInfo``
        response or :func:`parse_meta_info` output. Defaults to the first page's CLASS_INF.

    Returns
    -------
    DataFrame
        One row per record: ``<dim>_code`` and ``<dim>_name`` for each dimension (tab, cat01…,
        area, time), ``pref_code`` when the area code is a prefecture (``16000`` → ``16``),
        ``ref_date`` (ISO) when every time label reads ``YYYY年M月D日現在``,
        ``unit``, ``value`` (float), ``value_note`` (reason code, None for numbers) and
        ``value_note_ja`` (the NOTE text e-Stat gives for the symbol).
    """
    pages = [json_pages] if isinstance(json_pages, dict) else list(json_pages)
    if not pages:
        raise RawDataError(file, "at least one getStatsData page", found=0)
    datas = [_root(p, "GET_STATS_DATA", f"{file} page {i + 1}")["STATISTICAL_DATA"] for i, p in enumerate(pages)]
    if meta is None:
        meta = parse_meta_info(pages[0], file=file)
    elif isinstance(meta, dict):
        meta = parse_meta_info(meta, file=file)
    labels = {(r.class_id, r.code): r.name for r in meta.itertuples()}
    units = {r.code: r.unit for r in meta.itertuples() if r.class_id == "tab" and r.unit}
    dims = list(dict.fromkeys(meta["class_id"]))
    notes: dict[str, str] = {}
    records: list[dict] = []
    for data in datas:
        inf = data.get("DATA_INF") or {}
        notes.update({str(n["@char"]): n.get("$", "") for n in _as_list(inf.get("NOTE"))})
        records.extend(_as_list(inf.get("VALUE")))
    total = int(datas[0].get("RESULT_INF", {}).get("TOTAL_NUMBER", len(records)))
    if len(records) != total:
        raise RawDataError(file, f"{total:,} records (RESULT_INF.TOTAL_NUMBER) over all pages",
                           found=f"{len(records):,} records: a page is missing or truncated")
    rows = []
    for i, rec in enumerate(records, start=1):
        row: dict[str, object] = {}
        for dim in dims:
            code = rec.get(f"@{dim}")
            if code is None:
                continue
            if (dim, code) not in labels:
                raise LayoutError(file, f"a {dim} code listed in CLASS_INF", found=code, row=i, column=f"@{dim}")
            row[f"{dim}_code"], row[f"{dim}_name"] = code, labels[(dim, code)]
        raw = rec.get("$")
        parsed = parse_cell(raw)
        if parsed is None:
            if raw not in notes:
                raise RawDataError(file, "a number or a symbol explained in DATA_INF.NOTE", found=raw, row=i, column="$")
            parsed = (float("nan"), "estat_note")
        row["unit"] = rec.get("@unit") or units.get(rec.get("@tab"))
        row["value"], row["value_note"] = parsed
        row["value_note_ja"] = notes.get(str(raw)) if parsed[1] else None
        rows.append(row)
    df = pd.DataFrame(rows)
    if "area_code" in df:
        df.insert(list(df.columns).index("area_name") + 1, "pref_code",
                  df["area_code"].where(df["area_code"].str.fullmatch(r"\d\d000")).str[:2])
    if "time_name" in df:  # point-in-time tables (…年10月1日現在) get an ISO ref_date
        parts = df["time_name"].str.extract(r"(\d{4})年(\d{1,2})月(\d{1,2})日現在")
        iso = parts[0] + "-" + parts[1].str.zfill(2) + "-" + parts[2].str.zfill(2)
        if iso.notna().all():
            df.insert(list(df.columns).index("time_name") + 1, "ref_date", iso)
    df["value"] = df["value"].astype("float64")
    return df


@_parse.contained
def parse(path: Path, *, vintage: str, meta: dict | pd.DataFrame | None = None) -> pd.DataFrame:
    """Parse one cached API response file: class table (getMetaInfo) or records (getStatsData)."""
    doc = json.loads(_parse.read_text(Path(path), "utf-8"))
    if "GET_META_INFO" in doc:
        return parse_meta_info(doc, file=Path(path).name)
    return parse_stats_data([doc], meta, file=Path(path).name)


def _files(vintage: str, prefix: str, stats_data_id: str | None) -> list[str]:
    names = [e.path for e in manifest.load(SOURCE, vintage).files if e.path.startswith(prefix)]
    return sorted(n for n in names if stats_data_id is None or f"_{stats_data_id}" in n)


def load_meta(vintage: str = DEFAULT_VINTAGE, stats_data_id: str | None = None) -> pd.DataFrame:
    """Class tables of every cached getMetaInfo response of a vintage (or of one statsDataId)."""
    names = _files(vintage, "getMetaInfo_", stats_data_id)
    if not names:
        raise HokurikuError(f"{SOURCE}/{vintage}: no cached getMetaInfo response for {stats_data_id or 'any table'}")
    return pd.concat([parse(manifest.path(SOURCE, vintage, n), vintage=vintage) for n in names], ignore_index=True)


def load(vintage: str = DEFAULT_VINTAGE, stats_data_id: str | None = None) -> pd.DataFrame:
    """Records of a cached getStatsData table (all pages, verified through the manifest)."""
    names = _files(vintage, "getStatsData_", stats_data_id)
    if not names:
        raise HokurikuError(f"{SOURCE}/{vintage}: no cached getStatsData pages for {stats_data_id or 'any table'}")
    docs = [json.loads(manifest.read_verified(SOURCE, vintage, n).decode("utf-8")) for n in names]
    return parse_stats_data(docs, file=f"{SOURCE}/{vintage}/{names[0]}")


TABLES = _parse.covered_tables(SOURCE, {"meta_classes": lambda vintage: load_meta(vintage)})


# --- fetching (network; manual step) ---------------------------------------------------------

_APP_ID_IN_TEXT = re.compile(r"(?i)(appId=)[^&\s\"'<>]+")
SECRET_MIN_LENGTH = 16
"""Real appIds are 40 characters; a shorter value is only redacted where it is *named* (``appId=``
or an ``appId`` key), never by substring, so that data equal to it (``"1001"``) is not corrupted."""


def _redact(text: str, app_id: str) -> str:
    """Redact the appId from a message: every ``appId=…`` and, for a real-length key, the key itself."""
    if app_id and len(app_id) >= SECRET_MIN_LENGTH:
        text = text.replace(app_id, "***")
    return _APP_ID_IN_TEXT.sub(r"\1***", text)


def _redact_url(text: str) -> str:
    """``appId`` values in the query of a URL replaced by ``***``; other parameters untouched."""
    try:
        parts = urllib.parse.urlsplit(text)
    except ValueError:
        return text
    if not parts.query or "appid" not in parts.query.lower():
        return text
    pairs = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    query = urllib.parse.urlencode([(k, "***" if k.lower() == "appid" else v) for k, v in pairs], safe="*,")
    return urllib.parse.urlunsplit(parts._replace(query=query))


def _redact_value(value, app_id: str):
    """Walk a decoded JSON document: ``appId`` keys, URL queries and ``appId=`` texts redacted."""
    if isinstance(value, dict):
        return {k: ("***" if str(k).lower() == "appid" else _redact_value(v, app_id)) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_value(v, app_id) for v in value]
    if isinstance(value, str):
        out = _redact_url(value) if "://" in value else value
        return _redact(out, app_id)
    return value


def redact_json_text(text: str, app_id: str, *, what: str = "e-Stat answer") -> tuple[str, object]:
    """(text to cache, decoded document) with the appId removed from the JSON *structure*.

    The text is returned byte for byte when nothing had to be redacted; otherwise the redacted
    document is re-serialised (so a redaction can never cut through a number or a JSON token).
    A body that is not JSON raises :class:`EstatApiError` (without echoing the body).
    """
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"{what}: expected a JSON document, found invalid JSON at line {exc.lineno} column {exc.colno}"
        raise EstatApiError(msg) from None
    clean = _redact_value(doc, app_id)
    if clean == doc:
        return text, doc
    return json.dumps(clean, ensure_ascii=False), clean


def _refuse_app_id_param(params: dict) -> None:
    named = [k for k in params if str(k).strip().lower() == "appid"]
    if named:
        msg = (f"the e-Stat appId is not a query parameter here: remove {named[0]}=… from the parameters "
               f"(--estat-param) and set it in the environment variable {APP_ID_ENV} instead")
        raise EstatApiError(msg)


def _urllib_get(url: str) -> bytes:
    import urllib.request  # noqa: PLC0415 - only when fetching online: `make data` never loads http/email

    with urllib.request.urlopen(url, timeout=120) as resp:  # noqa: S310 - fixed https endpoint
        return resp.read()


def fetch_stats_data(
    stats_data_id: str,
    params: dict | None = None,
    *,
    getter: Callable[[str], bytes | str] | None = None,
    vintage: str | None = None,
    cache: bool = True,
    limit: int = PAGE_LIMIT,
) -> pd.DataFrame:
    """Download every page of a table (``getStatsData``), cache the raw JSON, return tidy records.

    ``getter(url) -> bytes`` is injectable (tests use recorded responses); the default uses
    urllib. The appId is read from ``ESTAT_APP_ID``; it is redacted from cached files, log lines
    and error messages. Pages are cached as ``getStatsData_<id>_p<NNN>.json`` in
    ``data/raw/estat_api/<vintage>/`` (vintage = retrieval date by default) and declared in that
    folder's MANIFEST.yml.
    """
    _refuse_app_id_param(params or {})
    app_id = os.environ.get(APP_ID_ENV, "")
    if not app_id:
        msg = f"Set the e-Stat application ID in the environment variable {APP_ID_ENV} (never in a file)."
        raise EstatApiError(msg)
    getter = getter or _urllib_get
    query = {"statsDataId": stats_data_id, "metaGetFlg": "Y", "cntGetFlg": "N", "limit": str(limit), **(params or {})}
    pages: list[tuple[str, bytes]] = []
    start = 1
    for _ in range(MAX_PAGES):
        public = {**query, "startPosition": str(start)}
        url = f"{API_BASE}/getStatsData?" + urllib.parse.urlencode({"appId": app_id, **public})
        shown = f"{API_BASE}/getStatsData?" + urllib.parse.urlencode(public)
        log.info("e-Stat GET %s", shown)
        try:
            body = getter(url)
        except Exception as exc:  # noqa: BLE001 - any transport error, re-raised without the appId
            msg = f"e-Stat request failed for {shown}: {_redact(f'{type(exc).__name__}: {exc}', app_id)}"
            raise EstatApiError(msg) from None
        try:
            raw = body.decode("utf-8") if isinstance(body, bytes) else str(body)
        except UnicodeDecodeError:
            msg = f"e-Stat answer for {shown}: expected UTF-8 JSON, found undecodable bytes"
            raise EstatApiError(msg) from None
        text, doc = redact_json_text(raw, app_id, what=f"e-Stat answer for {shown}")
        try:
            data = _root(doc, "GET_STATS_DATA", f"getStatsData statsDataId={stats_data_id} startPosition={start}")
        except EstatApiError as exc:
            raise EstatApiError(_redact(str(exc), app_id)) from None
        pages.append((text, doc))
        next_key = (data.get("STATISTICAL_DATA") or {}).get("RESULT_INF", {}).get("NEXT_KEY")
        if not next_key:
            break
        start = int(next_key)
    else:
        msg = f"statsDataId={stats_data_id}: more than {MAX_PAGES} pages; narrow the query with cd* parameters"
        raise EstatApiError(msg)
    if cache:
        _cache_pages(stats_data_id, public_params=query, pages=[t for t, _ in pages],
                     vintage=vintage or date.today().isoformat())
    return parse_stats_data([d for _, d in pages], file=f"getStatsData_{stats_data_id}")


def _cache_pages(stats_data_id: str, *, public_params: dict, pages: list[str], vintage: str) -> list[Path]:
    from hokuriku.fetch import add_manifest_entry, ensure_manifest  # the new-release workflow helpers

    folder = paths.RAW / SOURCE / vintage
    manifest_path = ensure_manifest(
        folder, source=SOURCE, vintage=vintage, producer="独立行政法人統計センター（e-Stat API）",
        title="e-Stat API 3.0 getStatsData responses (JSON)", url_main="https://www.e-stat.go.jp/api/",
    )
    written = []
    for n, text in enumerate(pages, start=1):
        name = f"getStatsData_{stats_data_id}_p{n:03d}.json"
        dest = folder / name
        with io.atomic_path(dest) as tmp:
            tmp.write_text(text, encoding="utf-8")
        add_manifest_entry(manifest_path, {
            "path": name, "url_download": None,
            "api_query": f"{API_BASE}/getStatsData?" + urllib.parse.urlencode(public_params) + f" (page {n}; appId omitted)",
            "retrieved": date.today().isoformat(), "sha256": manifest.sha256_of(dest), "bytes": dest.stat().st_size,
            "parts": {"statsDataId": stats_data_id, "page": n},
        })
        written.append(dest)
    return written
