"""The new-release workflow: download declared raw files and complete their manifests.

``python -m hokuriku fetch [--source S] [--vintage V]`` walks every
``data/raw/<source>/<vintage>/MANIFEST.yml`` and, for each declared file that is neither in
``data/raw`` nor in the mirror, downloads it from its official ``url_download`` (pooch):

- sha256 known (64 hex digits): the download is verified against it (and the byte count), and a
  mismatch is refused (:class:`~hokuriku.errors.ChecksumError`) — a changed file is a new vintage;
- sha256 ``unknown`` / empty / null (a new release the analyst has just declared): the file is
  downloaded, and its sha256, size and retrieval date are written back into the manifest.

Manifests are edited in place as text (comments and key order survive) and written atomically.
The e-Stat API path (:func:`hokuriku.sources.estat_api.fetch_stats_data`) uses the same helpers
to declare the JSON pages it caches. Nothing here runs in tests against the network: the
downloader is a parameter.
"""

from __future__ import annotations

import logging
import re
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


def pooch_download(url: str, folder: Path, filename: str, sha256: str | None) -> Path:
    """Default downloader: :func:`pooch.retrieve`, verifying the sha256 when it is known."""
    import pooch

    folder.mkdir(parents=True, exist_ok=True)
    known = f"sha256:{sha256}" if sha256 else None
    return Path(pooch.retrieve(url, known_hash=known, fname=filename, path=folder, progressbar=False))


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
          downloader: Downloader | None = None) -> list[dict]:
    """Download every declared file that is missing; complete unknown checksums in the manifests.

    Returns one row per declared file: ``{"file", "status"}`` with status ``present``,
    ``downloaded``, ``recorded`` (new file: sha256/bytes/retrieved written into the manifest) or
    ``no official URL``.
    """
    downloader = downloader or pooch_download
    rows = []
    for mpath in _manifest_files(source, vintage):
        data = yaml.safe_load(mpath.read_text(encoding="utf-8"))
        folder = mpath.parent
        stub = manifest.Manifest(source=str(data["source"]), vintage=str(data["vintage"]), producer="", title="",
                                 url_main="", license={}, files=())
        for f in data.get("files") or []:
            name, sha, url = str(f["path"]), f.get("sha256"), f.get("url_download")
            label = f"{stub.source}/{stub.vintage}/{name}"
            if is_known_hash(sha):
                entry = manifest.FileEntry(path=name, sha256=str(sha).strip().lower(), bytes=int(f["bytes"]),
                                           url_download=url, mirror_path=f.get("mirror_path"))
                if manifest.locate(stub, entry, download=False):
                    rows.append({"file": label, "status": "present"})
                elif not url:
                    rows.append({"file": label, "status": "no official URL"})
                else:
                    manifest.verify(downloader(url, folder, name, entry.sha256), entry)
                    rows.append({"file": label, "status": "downloaded"})
                continue
            # A new release: sha256 unknown. Use a copy placed by hand, else download it.
            if (folder / name).exists():
                got = folder / name
            elif not url:
                rows.append({"file": label, "status": "no official URL"})
                continue
            else:
                got = downloader(url, folder, name, None)
            if got.stat().st_size == 0:
                raise ChecksumError(f"{got}: downloaded file is empty; not recording a checksum for it")
            update_manifest_entry(mpath, name, sha256=manifest.sha256_of(got), bytes=got.stat().st_size,
                                  retrieved=date.today().isoformat())
            log.info("recorded sha256 of %s in %s", label, mpath)
            rows.append({"file": label, "status": "recorded"})
    return rows
