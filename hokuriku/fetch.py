"""The new-release workflow: download declared raw files and complete their manifests.

``python -m hokuriku fetch [--source S] [--vintage V]`` walks every
``data/raw/<source>/<vintage>/MANIFEST.yml`` and, for each declared file that is neither in
``data/raw`` nor in the mirror, downloads it from its official ``url_download`` (pooch):

- sha256 known (64 hex digits): the download is verified against it (and the byte count), and a
  mismatch is refused (:class:`~hokuriku.errors.ChecksumError`) — a changed file is a new vintage;
- sha256 ``unknown`` / empty / null (a new release the analyst has just declared): the file is
  downloaded, and its sha256, size and retrieval date are written back into the manifest.

Each file is tried at every download route its manifest declares, in order (``url_download``, then
``url_fallback``: the publisher's file, the e-Stat ``file-download?statInfId=…`` URL, or the raw URL
of the pinned commit of a derived copy). A download goes to a temporary file beside its destination
and is moved into place only after its size and sha256 match the manifest, so nothing half-written
is ever left; each failure is recorded with its reason (HTTP status, timeout, checksum refused) and
reported at the end. :func:`bundle` writes a mirror folder (or zip) of what is present for machines
without internet (``HOKURIKU_MIRROR=<folder>``).

Manifests are edited in place as text (comments and key order survive) and written atomically.
The e-Stat API path (:func:`hokuriku.sources.estat_api.fetch_stats_data`) uses the same helpers
to declare the JSON pages it caches. Nothing here runs in tests against the network: the
downloader is a parameter.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import yaml

from hokuriku import io, manifest, paths
from hokuriku.errors import ChecksumError, HokurikuError

log = logging.getLogger(__name__)
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_TOP_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:")
_ITEM = re.compile(r"^(?P<indent>\s*)-\s+path:\s*(?P<value>.*?)\s*$")

Downloader = Callable[[str, Path, str, str | None], Path]
"""``downloader(url, folder, filename, known_sha256_or_None) -> path of the downloaded file``."""


def is_known_hash(value: object) -> bool:
    """Whether a manifest ``sha256`` value is a real digest (not ``unknown``/empty/null)."""
    return isinstance(value, str) and bool(_HEX64.match(value.strip().lower()))


DEFAULT_TIMEOUT_S = 60.0
"""Seconds to wait for a server to answer (connect and between bytes); ``HOKURIKU_DOWNLOAD_TIMEOUT``."""


def download_timeout() -> float:
    """The download timeout in seconds (``HOKURIKU_DOWNLOAD_TIMEOUT``, default 60)."""
    value = os.environ.get("HOKURIKU_DOWNLOAD_TIMEOUT", "")
    try:
        return float(value) if value else DEFAULT_TIMEOUT_S
    except ValueError:
        msg = f"HOKURIKU_DOWNLOAD_TIMEOUT={value!r}: expected a number of seconds"
        raise HokurikuError(msg) from None


def pooch_download(url: str, folder: Path, filename: str, sha256: str | None, *, timeout: float | None = None) -> Path:
    """Default downloader: :func:`pooch.retrieve`, verifying the sha256 when it is known.

    pooch writes to a temporary file in ``folder`` and moves it into place only when the hash
    matches (the temporary file is removed on any failure).
    """
    import pooch

    pooch.get_logger().setLevel(logging.WARNING)
    folder.mkdir(parents=True, exist_ok=True)
    known = f"sha256:{sha256}" if sha256 else None
    downloader = pooch.HTTPDownloader(progressbar=False, timeout=timeout or download_timeout())
    return Path(pooch.retrieve(url, known_hash=known, fname=filename, path=folder, downloader=downloader))


def _reason(exc: BaseException, timeout: float) -> str:
    """A short, actionable reason for a failed download."""
    import requests  # noqa: PLC0415 - a pooch dependency

    if isinstance(exc, requests.exceptions.Timeout):
        return f"timed out (no answer within {timeout:g} s)"
    if isinstance(exc, requests.exceptions.HTTPError) and exc.response is not None:
        return f"HTTP {exc.response.status_code} {exc.response.reason or ''}".strip()
    if isinstance(exc, requests.exceptions.ConnectionError):
        return f"connection failed ({type(exc).__name__}: offline or host unreachable)"
    if isinstance(exc, ValueError) and "hash" in str(exc).lower():
        return "sha256 differs from the manifest (tampered or changed file): refused"
    if isinstance(exc, ChecksumError):
        return f"refused: {str(exc).split(': ', 1)[-1]}"
    return f"{type(exc).__name__}: {exc}"


def download_entry(m: manifest.Manifest, entry: manifest.FileEntry, *, downloader: Downloader | None = None,
                   timeout: float | None = None) -> tuple[Path | None, list[str]]:
    """Download one declared file into ``data/raw/<source>/<vintage>/``, trying each route in order.

    Returns ``(path, [])`` once a route gave bytes whose size and sha256 equal the manifest, else
    ``(None, ["<url>: <reason>", …])``. A refused or partial download is deleted, never left behind.
    """
    timeout = timeout or download_timeout()
    downloader = downloader or (lambda url, folder, name, sha: pooch_download(url, folder, name, sha, timeout=timeout))
    dest = m.folder / entry.path
    reasons: list[str] = []
    if not entry.urls():
        return None, [entry.no_route or "no download route declared (url_download / url_fallback)"]
    for url in entry.urls():
        got = None
        try:
            got = Path(downloader(url, dest.parent, dest.name, entry.sha256))
            manifest.verify(got, entry)
        except Exception as exc:  # noqa: BLE001 - every failure is reported with its reason
            reasons.append(f"{url}: {_reason(exc, timeout)}")
            for leftover in {dest, got} - {None}:
                if leftover.exists() and leftover.parent == dest.parent:
                    leftover.unlink()  # never leave a refused file where the resolver would find it
            continue
        if Path(got) != dest:
            os.replace(got, dest)
        return dest, []
    return None, reasons


# --- manifest text editing ----------------------------------------------------------------------

def _scalar(value: object) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000).strip()
    return text.removesuffix("\n...").removesuffix("...").strip()


def _files_block(lines: list[str], path: Path) -> tuple[int, int]:
    start = next((i for i, line in enumerate(lines) if re.match(r"^files\s*:", line)), None)
    if start is None:
        raise HokurikuError(f"{path}: no top-level 'files:' list")
    end = next((j for j in range(start + 1, len(lines)) if _TOP_KEY.match(lines[j])), len(lines))
    while end - 1 > start and not lines[end - 1].strip():
        end -= 1
    return start, end


def _write_checked(path: Path, text: str) -> None:
    yaml.safe_load(text)  # never leave a manifest that does not parse
    with io.atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def update_manifest_entry(manifest_path: Path, name: str, **values: object) -> None:
    """Set keys (``sha256``, ``bytes``, ``retrieved`` …) of the ``files`` entry ``name``, in place."""
    lines = manifest_path.read_text(encoding="utf-8").splitlines(keepends=True)
    start, end = _files_block(lines, manifest_path)
    items = [i for i in range(start + 1, end) if _ITEM.match(lines[i])]
    hit = next((i for i in items if yaml.safe_load(_ITEM.match(lines[i])["value"]) == name), None)
    if hit is None:
        raise HokurikuError(f"{manifest_path}: no files entry with path {name!r}")
    stop = next((i for i in items if i > hit), end)
    indent = " " * (len(_ITEM.match(lines[hit])["indent"]) + 2)
    for key, value in values.items():
        pattern = re.compile(rf"^{indent}{re.escape(key)}\s*:.*$")
        row = next((i for i in range(hit + 1, stop) if pattern.match(lines[i].rstrip("\n"))), None)
        new = f"{indent}{key}: {_scalar(value)}\n"
        if row is None:
            last = stop
            while last - 1 > hit and not lines[last - 1].strip():
                last -= 1
            lines.insert(last, new)
            stop, end = stop + 1, end + 1
            items = [i + 1 if i >= last else i for i in items]
        else:
            lines[row] = new
    _write_checked(manifest_path, "".join(lines))


def add_manifest_entry(manifest_path: Path, entry: dict) -> None:
    """Append a ``files`` entry (or update the entry of the same ``path``), keeping comments."""
    data = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
    if any(f.get("path") == entry["path"] for f in data.get("files") or []):
        update_manifest_entry(manifest_path, entry["path"], **{k: v for k, v in entry.items() if k != "path"})
        return
    lines = manifest_path.read_text(encoding="utf-8").splitlines(keepends=True)
    start, end = _files_block(lines, manifest_path)
    if re.match(r"^files\s*:\s*\[\]\s*$", lines[start]):
        lines[start] = "files:\n"
    block = [f"  - path: {_scalar(entry['path'])}\n"]
    block += [f"    {k}: {_scalar(v)}\n" for k, v in entry.items() if k != "path"]
    lines[end:end] = block
    _write_checked(manifest_path, "".join(lines))


def ensure_manifest(folder: Path, *, source: str, vintage: str, producer: str, title: str, url_main: str,
                    license_name: str = "政府統計の総合窓口(e-Stat)利用規約（政府標準利用規約 第2.0版準拠）",
                    license_url: str = "https://www.e-stat.go.jp/terms-of-use") -> Path:
    """Create ``<folder>/MANIFEST.yml`` with an empty ``files`` list if it does not exist yet."""
    path = folder / manifest.MANIFEST_NAME
    if path.exists():
        return path
    text = (
        f"# Written by hokuriku.fetch on {date.today().isoformat()}; complete title/notes by hand.\n"
        f"source: {source}\nvintage: {_scalar(str(vintage))}\nproducer: {_scalar(producer)}\ntitle: {_scalar(title)}\n"
        f"url_main: {_scalar(url_main)}\nlicense:\n  name: {_scalar(license_name)}\n  url: {_scalar(license_url)}\n"
        "derived: false\nfiles: []\nnotes: >\n  Fetched through the publisher's API; see each file's api_query.\n"
    )
    folder.mkdir(parents=True, exist_ok=True)
    _write_checked(path, text)
    return path


# --- fetch ----------------------------------------------------------------------------------------

def _manifest_files(source: str | None, vintage: str | None) -> list[Path]:
    found = sorted(paths.RAW.glob(f"{source or '*'}/{vintage or '*'}/{manifest.MANIFEST_NAME}"))
    if (source or vintage) and not found:
        raise HokurikuError(f"No manifest data/raw/{source or '*'}/{vintage or '*'}/{manifest.MANIFEST_NAME}")
    return found


def fetch(source: str | None = None, vintage: str | None = None, *,
          downloader: Downloader | None = None, progress: Callable[[dict], None] | None = None,
          timeout: float | None = None) -> list[dict]:
    """Download every declared file that is missing; complete unknown checksums in the manifests.

    Returns one row per declared file: ``{"file", "status"}`` (and ``"reason"`` when it could not be
    got) with status ``present``,
    ``downloaded``, ``recorded`` (new file: sha256/bytes/retrieved written into the manifest),
    ``failed`` (every route failed: ``reason`` lists each URL and why) or ``no download route``.
    ``progress(row)`` is called once per file as it is done (the CLI prints one line per file).
    """
    rows = []

    def done(row: dict) -> None:
        rows.append(row)
        if progress is not None:
            progress(row)

    for mpath in _manifest_files(source, vintage):
        data = yaml.safe_load(mpath.read_text(encoding="utf-8"))
        folder = mpath.parent
        stub = manifest.Manifest(source=str(data["source"]), vintage=str(data["vintage"]), producer="", title="",
                                 url_main="", license={}, files=())
        for f in data.get("files") or []:
            name, sha = str(f["path"]), f.get("sha256")
            urls = [u for u in (f.get("url_download"), *(f.get("url_fallback") or ())) if u]
            label = f"{stub.source}/{stub.vintage}/{name}"
            if is_known_hash(sha):
                entry = manifest.FileEntry(path=name, sha256=str(sha).strip().lower(), bytes=int(f["bytes"]),
                                           url_download=urls[0] if urls else None, url_fallback=tuple(urls[1:]),
                                           mirror_path=f.get("mirror_path"))
                found = manifest.locate(stub, entry, download=False)
                if found:
                    try:
                        manifest.verify(found, entry)
                        done({"file": label, "status": "present"})
                    except ChecksumError as exc:
                        done({"file": label, "status": "failed",
                              "reason": f"a copy is present but refused ({exc}); remove it and fetch again"})
                elif not urls:
                    done({"file": label, "status": "no download route",
                          "reason": str(f.get("no_route") or "the manifest declares no url_download; "
                                        "copy the file in by hand or use a mirror").strip()})
                else:
                    got, reasons = download_entry(stub, entry, downloader=downloader, timeout=timeout)
                    if not got:  # remembered for the missing-files message of a later build
                        manifest._FAILED[(stub.source, stub.vintage, name)] = "; ".join(reasons)
                    done({"file": label, "status": "downloaded"} if got else
                         {"file": label, "status": "failed", "reason": "; ".join(reasons)})
                continue
            # A new release: sha256 unknown. Use a copy placed by hand, else download it.
            if (folder / name).exists():
                got = folder / name
            elif not urls:
                done({"file": label, "status": "no download route", "reason": "no url_download declared"})
                continue
            else:
                got = (downloader or pooch_download)(urls[0], folder, name, None)
            if got.stat().st_size == 0:
                raise ChecksumError(f"{got}: downloaded file is empty; not recording a checksum for it")
            update_manifest_entry(mpath, name, sha256=manifest.sha256_of(got), bytes=got.stat().st_size,
                                  retrieved=date.today().isoformat())
            log.info("recorded sha256 of %s in %s", label, mpath)
            done({"file": label, "status": "recorded"})
    return rows


# --- bundle (offline mirror) ------------------------------------------------------------------------

def bundle_name(m: manifest.Manifest, entry: manifest.FileEntry) -> str:
    """Where a file goes inside a bundle: its ``mirror_path``, else ``<source>/<vintage>/<path>``."""
    return entry.mirror_path or f"{m.source}/{m.vintage}/{entry.path}"


def bundle(dest: Path | str, *, as_zip: bool = False, manifests: list[manifest.Manifest] | None = None,
           progress: Callable[[dict], None] | None = None) -> tuple[Path, list[dict]]:
    """Write a mirror folder (or ``.zip``) holding every declared raw file present on this machine.

    Files are verified against their manifests and laid out by ``mirror_path`` (else
    ``<source>/<vintage>/<path>``), so ``HOKURIKU_MIRROR=<folder>`` resolves them on a machine
    without internet (LGWAN). With ``as_zip`` the folder is written as ``<dest>.zip`` instead (one
    top-level folder; unzip it and point ``HOKURIKU_MIRROR`` at that folder). Returns the written
    path and one row per declared file (``status`` ``copied`` or ``missing``).
    """
    dest = Path(dest)
    rows: list[dict] = []
    items: list[tuple[str, Path]] = []
    for m in manifests if manifests is not None else manifest.all_manifests():
        for e in m.files:
            label = f"{m.source}/{m.vintage}/{e.path}"
            found = manifest.locate(m, e, download=False)
            if found is None:
                row = {"file": label, "status": "missing", "reason": "not in data/raw nor in the mirror"}
            else:
                manifest.verify(found, e)
                items.append((bundle_name(m, e), found))
                row = {"file": label, "status": "copied", "reason": ""}
            rows.append(row)
            if progress is not None:
                progress(row)
    readme = (
        "hokuriku raw-data mirror: the official files declared in data/raw/*/*/MANIFEST.yml.\n"
        "Use it with: HOKURIKU_MIRROR=/path/to/this/folder make reports\n"
        f"{len(items)} file(s); written {date.today().isoformat()} by `python -m hokuriku bundle`.\n"
    )
    if as_zip:
        target = dest if dest.suffix == ".zip" else dest.with_name(dest.name + ".zip")
        target.parent.mkdir(parents=True, exist_ok=True)
        top = target.stem
        with io.atomic_path(target) as tmp, zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(f"{top}/README.txt", readme)
            for name, src in items:
                zf.write(src, f"{top}/{name}")
        return target, rows
    dest.mkdir(parents=True, exist_ok=True)
    for name, src in items:
        out = dest / name
        out.parent.mkdir(parents=True, exist_ok=True)
        if not (out.exists() and out.stat().st_size == src.stat().st_size and manifest.sha256_of(out) == manifest.sha256_of(src)):
            with io.atomic_path(out) as tmp:
                shutil.copyfile(src, tmp)
    (dest / "README.txt").write_text(readme, encoding="utf-8")
    return dest, rows
