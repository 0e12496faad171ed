"""Raw-file manifests: provenance, resolution and sha256 verification.

Every raw input is declared in ``data/raw/<source>/<vintage>/MANIFEST.yml`` (committed; the bytes
are not). A file is resolved, in order, from

1. ``data/raw/<source>/<vintage>/<path>`` itself;
2. the mirror folder named by ``HOKURIKU_MIRROR``, by its ``mirror_path`` or else by sha256;
3. its official ``url_download``, through :func:`pooch.retrieve` with the manifest's sha256
   (only when downloading is allowed: ``download=True`` or ``HOKURIKU_ALLOW_DOWNLOAD=1``).

A file whose sha256 or size differs from the manifest is refused (:class:`ChecksumError`) and
never parsed. Anything missing raises one :class:`MissingRawDataError` listing every file and
where to get it. This is OWID's "no undeclared inputs" rule and QuantEcon's checksum gate.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from hokuriku import paths
from hokuriku.errors import ChecksumError, HokurikuError, MissingRawDataError

MANIFEST_NAME = "MANIFEST.yml"
REQUIRED_KEYS = ("source", "vintage", "producer", "title", "url_main", "license", "files")
REQUIRED_FILE_KEYS = ("path", "sha256", "bytes")


@dataclass(frozen=True)
class FileEntry:
    """One raw file of a source-vintage, as declared in its manifest."""

    path: str
    sha256: str
    bytes: int
    url_download: str | None = None
    mirror_path: str | None = None
    retrieved: str | None = None
    parts: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Manifest:
    """A source-vintage manifest (fields after OWID ``Origin`` and QuantEcon's manifest)."""

    source: str
    vintage: str
    producer: str
    title: str
    url_main: str
    license: dict
    files: tuple[FileEntry, ...]
    derived: bool = False
    version_producer: str | None = None
    reference: dict = field(default_factory=dict)
    units: dict = field(default_factory=dict)
    notes: str = ""
    citation: str | None = None
    manifest_path: Path | None = None

    @property
    def folder(self) -> Path:
        return paths.RAW / self.source / self.vintage

    def entry(self, name: str) -> FileEntry:
        for entry in self.files:
            if entry.path == name:
                return entry
        known = ", ".join(e.path for e in self.files)
        msg = f"{self.source}/{self.vintage}: no file {name!r} in {MANIFEST_NAME} (declared: {known})"
        raise HokurikuError(msg)

    def source_line(self) -> str:
        """The ``(出所)`` fragment for this source: producer「title」, marking derived copies."""
        text = self.citation or f"{self.producer}「{self.title}」"
        return text


def _parse_manifest(path: Path) -> Manifest:
    st = path.stat()
    return _parse_manifest_cached(str(path), st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=512)
def _parse_manifest_cached(path_str: str, size: int, mtime_ns: int) -> Manifest:  # noqa: ARG001 - cache keys
    path = Path(path_str)
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict):
        msg = f"{path}: expected a YAML mapping, found {type(data).__name__}"
        raise HokurikuError(msg)
    missing = [k for k in REQUIRED_KEYS if k not in data]
    if missing:
        msg = f"{path}: manifest lacks required keys {missing}"
        raise HokurikuError(msg)
    files = []
    for i, f in enumerate(data["files"]):
        lacking = [k for k in REQUIRED_FILE_KEYS if k not in f]
        if lacking:
            msg = f"{path}: files[{i}] lacks {lacking}"
            raise HokurikuError(msg)
        if f["sha256"] in (None, "", "unknown") or f["bytes"] in (None, "", "unknown"):
            msg = (
                f"{path}: files[{i}] ({f['path']}) has no sha256/bytes yet: a newly declared release. "
                "Run `python -m hokuriku fetch` online to download it and record its checksum."
            )
            raise HokurikuError(msg)
        files.append(
            FileEntry(
                path=str(f["path"]),
                sha256=str(f["sha256"]).lower(),
                bytes=int(f["bytes"]),
                url_download=f.get("url_download"),
                mirror_path=f.get("mirror_path"),
                retrieved=None if f.get("retrieved") is None else str(f.get("retrieved")),
                parts=f.get("parts") or {},
            )
        )
    expected_folder = (str(data["source"]), str(data["vintage"]))
    if (path.parent.parent.name, path.parent.name) != expected_folder:
        msg = (
            f"{path}: manifest says source/vintage {expected_folder[0]}/{expected_folder[1]} "
            f"but lives in {path.parent.parent.name}/{path.parent.name}"
        )
        raise HokurikuError(msg)
    return Manifest(
        source=str(data["source"]),
        vintage=str(data["vintage"]),
        producer=str(data["producer"]),
        title=str(data["title"]),
        url_main=str(data["url_main"]),
        license=data["license"] or {},
        files=tuple(files),
        derived=bool(data.get("derived", False)),
        version_producer=data.get("version_producer"),
        reference=data.get("reference") or {},
        units=data.get("units") or {},
        notes=str(data.get("notes") or ""),
        citation=data.get("citation"),
        manifest_path=path,
    )


def load(source: str, vintage: str) -> Manifest:
    """Read ``data/raw/<source>/<vintage>/MANIFEST.yml``."""
    path = paths.RAW / source / str(vintage) / MANIFEST_NAME
    if not path.exists():
        available = sorted(p.parent.name for p in (paths.RAW / source).glob(f"*/{MANIFEST_NAME}"))
        msg = f"No manifest {path.relative_to(paths.PROJ_ROOT)}; vintages of {source!r} declared: {available}"
        raise HokurikuError(msg)
    return _parse_manifest(path)


def all_manifests() -> list[Manifest]:
    """Every manifest under ``data/raw``, sorted by source and vintage."""
    return [_parse_manifest(p) for p in sorted(paths.RAW.glob(f"*/*/{MANIFEST_NAME}"))]


def vintages(source: str) -> list[str]:
    """Declared vintages of a source, sorted."""
    return sorted(p.parent.name for p in (paths.RAW / source).glob(f"*/{MANIFEST_NAME}"))


def sha256_of(path: Path) -> str:
    """The sha256 of a file, in hex (cached by path, size and mtime)."""
    st = path.stat()
    return _sha256_cached(str(path), st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=4096)
def _sha256_cached(path: str, size: int, mtime_ns: int) -> str:  # noqa: ARG001 - cache keys
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(path: Path, entry: FileEntry) -> Path:
    """Refuse ``path`` unless its size and sha256 equal the manifest entry's."""
    size = path.stat().st_size
    if size != entry.bytes:
        kind = "truncated" if size < entry.bytes else "larger than declared"
        msg = (
            f"{path}: {kind} download or wrong file: {size:,} bytes, manifest declares "
            f"{entry.bytes:,} bytes (sha256 {entry.sha256[:16]}…). Refusing to parse it."
        )
        raise ChecksumError(msg)
    digest = sha256_of(path)
    if digest != entry.sha256:
        msg = (
            f"{path}: sha256 {digest} differs from the manifest's {entry.sha256}. "
            "Refusing to parse it: a new release goes into a new vintage folder with its own manifest."
        )
        raise ChecksumError(msg)
    return path


@lru_cache(maxsize=4)
def _mirror_index(mirror: str) -> dict[str, Path]:
    index: dict[str, Path] = {}
    for root, _dirs, files in os.walk(mirror):
        for name in files:
            p = Path(root) / name
            index.setdefault(sha256_of(p), p)
    return index


def _from_mirror(entry: FileEntry) -> Path | None:
    mirror = paths.mirror_dir()
    if mirror is None or not mirror.is_dir():
        return None
    if entry.mirror_path:
        candidate = mirror / entry.mirror_path
        if candidate.exists():
            return candidate
    return _mirror_index(str(mirror)).get(entry.sha256)


def _download_allowed(download: bool | None) -> bool:
    if download is not None:
        return download
    return os.environ.get("HOKURIKU_ALLOW_DOWNLOAD", "") == "1"


def _download(manifest: Manifest, entry: FileEntry) -> Path | None:
    if not entry.url_download:
        return None
    import pooch  # imported lazily: only the fetch path needs it

    dest = manifest.folder / entry.path
    dest.parent.mkdir(parents=True, exist_ok=True)
    fetched = pooch.retrieve(
        entry.url_download,
        known_hash=f"sha256:{entry.sha256}",
        fname=Path(entry.path).name,
        path=dest.parent,
        progressbar=False,
    )
    return Path(fetched)


def locate(manifest: Manifest, entry: FileEntry, *, download: bool | None = None) -> Path | None:
    """Find a file's bytes (local, mirror, download) without raising when absent."""
    local = manifest.folder / entry.path
    if local.exists():
        return local
    found = _from_mirror(entry)
    if found is not None:
        return found
    if _download_allowed(download):
        return _download(manifest, entry)
    return None


def path(source: str, vintage: str, name: str, *, download: bool | None = None) -> Path:
    """Resolve and verify one declared raw file; the only way loaders open raw bytes."""
    manifest = load(source, vintage)
    entry = manifest.entry(name)
    found = locate(manifest, entry, download=download)
    if found is None:
        raise MissingRawDataError([(f"data/raw/{source}/{vintage}", entry.path, _where_to_get(manifest, entry))])
    return verify(found, entry)


def _where_to_get(m: Manifest, e: FileEntry) -> str:
    if e.url_download:
        return e.url_download
    return f"no direct download URL; obtain it from {m.url_main} ({m.producer}「{m.title}」)"


def missing(manifests: list[Manifest] | None = None) -> list[tuple[str, str, str | None]]:
    """Every declared file that cannot be found (offline), as (folder, file, url)."""
    out = []
    for m in manifests if manifests is not None else all_manifests():
        for e in m.files:
            if locate(m, e, download=False) is None:
                out.append((f"data/raw/{m.source}/{m.vintage}", e.path, _where_to_get(m, e)))
    return out


def require_all(manifests: list[Manifest] | None = None) -> None:
    """Raise one :class:`MissingRawDataError` listing every missing file, if any."""
    gone = missing(manifests)
    if gone:
        raise MissingRawDataError(gone)


def verify_all(manifests: list[Manifest] | None = None) -> list[tuple[str, str]]:
    """Hash every present file against its manifest; return (file, status) rows."""
    rows = []
    for m in manifests if manifests is not None else all_manifests():
        for e in m.files:
            p = locate(m, e, download=False)
            if p is None:
                rows.append((f"{m.source}/{m.vintage}/{e.path}", "missing"))
                continue
            try:
                verify(p, e)
                rows.append((f"{m.source}/{m.vintage}/{e.path}", "ok"))
            except ChecksumError as exc:
                rows.append((f"{m.source}/{m.vintage}/{e.path}", f"BAD: {exc}"))
    return rows


def source_note(pairs: list[tuple[str, str]]) -> str:
    """The ``(出所)`` line for the (source, vintage) pairs actually used, in first-use order."""
    seen: list[str] = []
    for source, vintage in pairs:
        line = load(source, vintage).source_line()
        if line not in seen:
            seen.append(line)
    return "(出所) " + "、".join(seen)


# New editions --------------------------------------------------------------------------------------------

PERIOD_KEYS = ("fiscal_years", "years", "year", "ref_dates", "ref_date", "as_of")
"""``reference`` fields giving the period an edition covers (the latest value is compared)."""
ACCEPT_KEY = "accepted_as_new_edition"
"""A ``reference`` field with a reason: acknowledges a flag below for this edition (it is then not raised)."""
_EDITION_VINTAGE = re.compile(r"^\d{4}(-\d{2}-\d{2})?$")


def covered_until(m: Manifest) -> str | None:
    """The latest period ``m.reference`` declares (``"2022"`` or ``"2026-04-01"``), or None."""
    found = []
    for key in PERIOD_KEYS:
        value = (m.reference or {}).get(key)
        for v in value if isinstance(value, list | tuple) else [value]:
            if v is not None and re.match(r"^\d{4}", str(v)):
                found.append(str(v)[:10])
    return max(found) if found else None


def edition_problems_between(previous: Manifest, new: Manifest) -> list[str]:
    """Why ``new`` does not look like a newer edition of ``previous`` (empty when it does).

    Flags (i) a file whose bytes (sha256) equal a file of the previous edition, and (ii) a declared
    period that does not advance past the previous edition's. A new edition that really repeats bytes
    or years says so with ``reference.accepted_as_new_edition: <reason>``.
    """
    if (new.reference or {}).get(ACCEPT_KEY):
        return []
    where = f"data/raw/{new.source}/{new.vintage}/{MANIFEST_NAME}"
    problems = []
    old = {e.sha256: e.path for e in previous.files}
    same = [f"{e.path} = {previous.vintage}/{old[e.sha256]}" for e in new.files if e.sha256 in old]
    if same:
        problems.append(f"{where}: same bytes as edition {previous.vintage} ({'; '.join(same)}): a copy, not a new edition?")
    before, after = covered_until(previous), covered_until(new)
    if before and after and after <= before:
        problems.append(f"{where}: the period covered does not advance ({previous.vintage}: up to {before}; "
                        f"{new.vintage}: up to {after})")
    return problems


def edition_problems(source: str | None = None) -> list[str]:
    """:func:`edition_problems_between` for consecutive editions of every source (or of ``source``).

    Only vintages named as a year or a date (``2022``, ``2022-01-01``) are editions of one series;
    named copies (``r5_hollow``, ``n03_2025``) are not compared.
    """
    by_source: dict[str, list[Manifest]] = {}
    for m in all_manifests():
        if (source is None or m.source == source) and _EDITION_VINTAGE.match(m.vintage):
            by_source.setdefault(m.source, []).append(m)
    problems = []
    for editions in by_source.values():
        editions.sort(key=lambda m: m.vintage)
        for previous, new in zip(editions, editions[1:], strict=False):
            problems += edition_problems_between(previous, new)
    return problems


def require_new_editions(sources: list[str] | None = None) -> None:
    """Raise :class:`HokurikuError` listing every edition flagged by :func:`edition_problems`."""
    problems = [p for s in (sources or [None]) for p in edition_problems(s)]
    if problems:
        msg = ("Declared new edition(s) that do not look new:\n  - " + "\n  - ".join(problems)
               + f"\nCheck the files, or acknowledge with `reference: {{{ACCEPT_KEY}: <reason>}}` in the manifest "
                 "(docs/new-release.md).")
        raise HokurikuError(msg)
