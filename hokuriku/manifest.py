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

Citation and provenance are kept apart (issue #9):

- ``citation`` is what a chart or table prints in its ``(出所)`` line and holds only the official
  publisher, survey and edition, e.g. ``総務省「住民基本台帳に基づく人口、人口動態及び世帯数（令和7年1月1日現在）」``.
  :func:`source_note` joins the citations of the sources used with 「、」 and ends with 「より作成」 once.
  Loading refuses a citation that names GitHub, a repository, a commit, a URL or a transformation
  (:func:`check_citation`).
- how our bytes were obtained (a repository, its commit, the path inside it, what its author changed)
  is the provenance record: the manifest's ``derived_from`` block (``repository``, ``commit``,
  ``transformation``) and each file's ``origin_path``; :func:`provenance_records` returns it for the
  report site, the deck's 「データについて」 slide and ``outputs.json``.
"""

from __future__ import annotations

import hashlib
import stat
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
    origin_path: str | None = None
    """Path of the file inside the ``derived_from`` repository (provenance only)."""
    origin_repository: str | None = None
    """Repository of this file when it differs from the manifest's ``derived_from.repository``."""
    origin_commit: str | None = None
    """Commit of ``origin_repository`` (with it)."""
    url_fallback: tuple[str, ...] = ()
    """Further download URLs tried in order after ``url_download`` (e.g. the pinned raw copy)."""
    no_route: str | None = None
    """Why no URL serves these exact bytes (a file assembled from a larger download) and how to get them;
    required when ``url_download`` and ``url_fallback`` are both empty."""

    def urls(self) -> list[str]:
        """Every download route of this file, the official one first."""
        return [u for u in (self.url_download, *self.url_fallback) if u]


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
    derived_from: dict = field(default_factory=dict)
    """Provenance of our bytes: ``repository`` (URL), ``commit``, ``transformation`` (never on a chart)."""

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
        """The ``(出所)`` fragment for this source: publisher「survey（edition）」 (``citation``).

        Falls back to ``producer「title」`` when a manifest has no ``citation``; either is checked by
        :func:`check_citation` when the manifest is loaded.
        """
        return self.citation or f"{self.producer}「{self.title}」"


_REPOSITORY_WORDS = (
    (re.compile(r"github|gitlab|bitbucket", re.I), "a code-hosting site"),
    (re.compile(r"repositor|リポジトリ|レポジトリ|\brepo\b", re.I), "a repository"),
)
_OWNER_SLASH_NAME = (re.compile(r"(?<![/\w.:-])[A-Za-z][A-Za-z0-9-]+/[A-Za-z][\w.-]+", re.ASCII),
                     "an owner/repository name")
_FORBIDDEN_IN_CITATION = (
    *_REPOSITORY_WORDS,
    _OWNER_SLASH_NAME,
    (re.compile(r"https?://|www\.|\.(?:com|org|io|jp)\b", re.I), "a URL"),
    (re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,40}\b"), "a commit id"),
    (re.compile(r"派生|derived|による(?:加工|変換|再|抽出|抜粋|組替|整形)|変換版|抜粋版"), "how the copy was made"),
    (re.compile(r"より作成"), "「より作成」 (source_note adds it once at the end)"),
)
"""A citation may name none of these: besides the repository patterns, no URL, commit id or transformation."""


def repository_names(manifests: list[Manifest] | None = None) -> set[str]:
    """Every repository the committed manifests name as provenance: ``owner/name``, the owner, and the
    name when it is distinctive (contains a hyphen), e.g. ``jpatokal/hollow-japan``, ``jpatokal``,
    ``hollow-japan``."""
    names: set[str] = set()
    for m in manifests if manifests is not None else all_manifests():
        repos = [m.derived_from.get("repository"), *(e.origin_repository for e in m.files)]
        for repo in filter(None, repos):
            hit = re.match(r"^https?://[^/]+/([^/]+)/([^/]+?)(?:\.git)?/?$", str(repo))
            if hit:
                names |= {f"{hit[1]}/{hit[2]}", hit[1]} | ({hit[2]} if "-" in hit[2] else set())
    return names


def names_repository(text: str, manifests: list[Manifest] | None = None) -> str | None:
    """The first fragment of ``text`` naming GitHub (or another code host), a repository, or one of
    the repositories our manifests record as provenance (:func:`repository_names`), else None.

    For checking outputs (chart SVG text, table cells, ``source_note``, slide text): provenance of
    derived copies belongs in ``outputs.json``'s ``provenance`` and the 「データについて」 appendix only.
    """
    for pattern, what in _REPOSITORY_WORDS:
        hit = pattern.search(text)
        if hit:
            return f"{what}: {hit.group(0)!r}"
    for name in sorted(repository_names(manifests), key=len, reverse=True):
        if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.I | re.ASCII):
            return f"the repository {name!r}"
    return None


def check_citation(text: str, where: object) -> str:
    """Refuse a ``(出所)`` citation that names anything but the publisher, survey and edition.

    ``where`` (the manifest file) is named in the :class:`~hokuriku.errors.HokurikuError` message.
    Repository, commit, URL and transformation belong in ``derived_from`` / ``origin_path``.
    """
    for pattern, what in _FORBIDDEN_IN_CITATION:
        hit = pattern.search(text)
        if hit:
            msg = (
                f"{where}: citation {text!r} names {what} ({hit.group(0)!r}); the (出所) citation holds only "
                "publisher「survey（edition）」 — move repository, commit, path and transformation into "
                "`derived_from:` / files[].origin_path (see data/raw/README.md)"
            )
            raise HokurikuError(msg)
    return text


def _parse_manifest(path: Path) -> Manifest:
    st = path.stat()
    return _parse_manifest_cached(str(path), st.st_size, st.st_mtime_ns)


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ≈10× faster, same documents


@lru_cache(maxsize=512)
def _parse_manifest_cached(path_str: str, size: int, mtime_ns: int) -> Manifest:  # noqa: ARG001 - cache keys
    path = Path(path_str)
    with path.open(encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader (libyaml's when built with it)
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
                origin_path=f.get("origin_path"),
                origin_repository=f.get("origin_repository"),
                origin_commit=None if f.get("origin_commit") is None else str(f.get("origin_commit")),
                url_fallback=tuple(str(u) for u in (f.get("url_fallback") or ())),
                no_route=None if f.get("no_route") is None else str(f["no_route"]),
            )
        )
    expected_folder = (str(data["source"]), str(data["vintage"]))
    if (path.parent.parent.name, path.parent.name) != expected_folder:
        msg = (
            f"{path}: manifest says source/vintage {expected_folder[0]}/{expected_folder[1]} "
            f"but lives in {path.parent.parent.name}/{path.parent.name}"
        )
        raise HokurikuError(msg)
    derived_from = data.get("derived_from") or {}
    if not isinstance(derived_from, dict):
        msg = f"{path}: derived_from must be a mapping (repository, commit, transformation), found {derived_from!r}"
        raise HokurikuError(msg)
    m = Manifest(
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
        derived_from=derived_from,
    )
    check_citation(m.source_line(), path)
    return m


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
    """The sha256 of a regular file's bytes, in hex, read now (no cache that a same-size edit with
    a restored mtime could fool). A FIFO, device or other non-regular file raises ChecksumError
    without blocking (opened with O_NONBLOCK and checked with fstat before any read)."""
    digest = _sha256_regular(Path(path))
    if digest is None:
        msg = f"{path}: not a regular file (FIFO, device, socket or dangling link); refusing to read it."
        raise ChecksumError(msg)
    return digest


def _sha256_regular(path: Path) -> str | None:
    """sha256 of ``path`` if it is (or links to) a regular file, else None; never blocks."""
    data = _read_regular(path)
    return None if data is None else hashlib.sha256(data).hexdigest()


def _read_regular(path: Path) -> bytes | None:
    """The bytes of ``path`` if it is (or links to) a regular file, else None; never blocks
    (opened with O_NONBLOCK and checked with fstat before any read)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read()
    finally:
        os.close(fd)


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
    data = _read_regular(path)
    if data is None:
        msg = f"{path}: not a regular file (FIFO, device, socket or dangling link); refusing to read it."
        raise ChecksumError(msg)
    digest = hashlib.sha256(data).hexdigest()
    if digest != entry.sha256:
        msg = (
            f"{path}: sha256 {digest} differs from the manifest's {entry.sha256}. "
            "Refusing to parse it: a new release goes into a new vintage folder with its own manifest."
        )
        raise ChecksumError(msg)
    _VERIFIED[_key(path)] = entry.sha256
    _HELD.clear()  # the bytes just hashed, for the loader's read that follows (one file at a time)
    _HELD[_key(path)] = data
    return path


_HELD: dict[str, bytes] = {}
"""The bytes of the file verified last, handed once to :func:`take_verified` (the loader's
``_parse.read_bytes``): the bytes parsed are the bytes hashed, read and hashed once, not twice."""


def take_verified(path: Path | str) -> bytes | None:
    """The bytes :func:`verify` just hashed for ``path`` (once; None if another file was verified since)."""
    return _HELD.pop(_key(path), None)


_VERIFIED: dict[str, str] = {}
"""Files verified in this process → their manifest sha256; :func:`check_bytes` compares what is read."""


def _key(path: Path | str) -> str:
    return os.path.realpath(path)


def check_bytes(path: Path | str, data: bytes) -> bytes:
    """Refuse ``data`` read from a verified raw file unless it hashes to the verified sha256.

    Loaders read a raw file after :func:`path` verified it; hashing the bytes actually read (in
    memory, then parsed from memory) closes the gap in which the file could be replaced. Files
    never verified (test fixtures) pass unchanged.
    """
    expected = _VERIFIED.get(_key(path))
    if expected is not None and hashlib.sha256(data).hexdigest() != expected:
        msg = (f"{path}: the bytes read differ from the bytes verified against the manifest (sha256 "
               f"{expected[:16]}…): the file changed after verification. Refusing to parse it.")
        raise ChecksumError(msg)
    return data


def read_verified(source: str, vintage: str, name: str) -> bytes:
    """The bytes of one declared raw file, resolved and verified, hashed as read (parse from these)."""
    p = path(source, vintage, name)
    return check_bytes(p, p.read_bytes())


@lru_cache(maxsize=4)
def _mirror_index(mirror: str) -> dict[str, Path]:
    """sha256 → path of every regular file under the mirror (the fallback when a file moved).

    Non-regular entries (FIFOs, devices such as a link to /dev/zero, sockets) and dangling links
    are skipped without being opened for reading, so the scan never blocks or crashes.
    """
    index: dict[str, Path] = {}
    for root, _dirs, files in os.walk(mirror):
        for name in files:
            p = Path(root) / name
            try:
                if not stat.S_ISREG(p.stat().st_mode):  # follows links; dangling → OSError
                    continue
            except OSError:
                continue
            digest = _sha256_regular(p)
            if digest is not None:
                index.setdefault(digest, p)
    return index


def _from_mirror(entry: FileEntry, mirror: Path | None | bool = True) -> Path | None:
    """The entry's file in the mirror folder (``mirror``: the folder already resolved, None for no
    mirror; by default :func:`paths.mirror_dir`, which raises SetupError when HOKURIKU_MIRROR names no folder)."""
    if mirror is True:
        mirror = paths.mirror_dir()
    if mirror is None:
        return None
    if entry.mirror_path:
        candidate = mirror / entry.mirror_path
        if candidate.exists():
            return candidate
    return _mirror_index(str(mirror)).get(entry.sha256)


def download_allowed(download: bool | None = None) -> bool:
    """Whether resolution may download: ``download`` if given, else ``HOKURIKU_ALLOW_DOWNLOAD=1``."""
    if download is not None:
        return download
    return os.environ.get("HOKURIKU_ALLOW_DOWNLOAD", "") == "1"


_download_allowed = download_allowed


def _download(manifest: Manifest, entry: FileEntry) -> Path | None:
    """Download one file through :func:`hokuriku.fetch.download_entry` (all routes, verified)."""
    from hokuriku import fetch  # noqa: PLC0415 - the fetch path only

    if (manifest.source, manifest.vintage, entry.path) in _FAILED:
        return None  # already failed in this run (e.g. `make fetch` step of `make reports`): not again
    got, reasons = fetch.download_entry(manifest, entry)
    if got is None and reasons:
        _FAILED[(manifest.source, manifest.vintage, entry.path)] = "; ".join(reasons)
    return got


_FAILED: dict[tuple[str, str, str], str] = {}
"""Why the last download attempt of a file failed (shown in :class:`MissingRawDataError`)."""


def locate(manifest: Manifest, entry: FileEntry, *, download: bool | None = None,
           mirror: Path | None | bool = True) -> Path | None:
    """Find a file's bytes (local, mirror, download) without raising when absent.

    ``mirror``: the mirror folder when the caller resolved it once for many files (see :func:`_from_mirror`).
    """
    local = manifest.folder / entry.path
    if local.exists():
        return local
    found = _from_mirror(entry, mirror)
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
    failed = _FAILED.get((m.source, m.vintage, e.path))
    if e.urls():
        text = " or ".join(e.urls())
        return f"{text} (download failed: {failed})" if failed else text
    return f"no direct download URL; obtain it from {m.url_main} ({m.source_line()})"


def missing(manifests: list[Manifest] | None = None) -> list[tuple[str, str, str | None]]:
    """Every declared file that cannot be found (offline), as (folder, file, url)."""
    out = []
    mirror = paths.mirror_dir()  # resolved once for every file (a realpath per file was most of the check)
    for m in manifests if manifests is not None else all_manifests():
        for e in m.files:
            if locate(m, e, download=False, mirror=mirror) is None:
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


class SourceNote(str):
    """A ``(出所)`` line that remembers the (source, vintage) pairs it was built from (``.pairs``).

    :func:`hokuriku.reporting.outputs.register_output` reads ``.pairs`` to write the provenance of
    an output into ``outputs.json``; the text itself never names how the bytes were obtained.
    """

    pairs: tuple[tuple[str, str], ...] = ()

    def __new__(cls, text: str, pairs=()):
        obj = super().__new__(cls, text)
        obj.pairs = tuple((str(s), str(v)) for s, v in pairs)
        return obj


def source_note(pairs: list[tuple[str, str]]) -> SourceNote:
    """The ``(出所)`` line for the (source, vintage) pairs actually used, in first-use order.

    Form: ``(出所) 発行者「調査名（版）」、発行者「…」より作成`` — each publication once, joined by 「、」,
    「より作成」 once at the end. Example::

        (出所) 総務省「住民基本台帳に基づく人口、人口動態及び世帯数（令和7年1月1日現在）」より作成
    """
    seen: list[str] = []
    for source, vintage in pairs:
        line = load(source, vintage).source_line()
        if line not in seen:
            seen.append(line)
    return SourceNote("(出所) " + "、".join(seen) + "より作成", pairs)


def _raw_url(repository: str | None, commit: str | None, origin_path: str | None) -> str | None:
    """``https://raw.githubusercontent.com/<owner>/<repo>/<commit>/<path>`` of a pinned GitHub copy."""
    if not (repository and commit and origin_path):
        return None
    hit = re.match(r"^https?://github\.com/([^/]+)/([^/]+?)(?:\.git)?/?$", str(repository))
    if not hit:
        return None
    from urllib.parse import quote  # noqa: PLC0415

    return f"https://raw.githubusercontent.com/{hit[1]}/{hit[2]}/{commit}/{quote(str(origin_path))}"


def provenance_records(pairs, *, files: bool = True) -> list[dict]:
    """How the bytes behind each (source, vintage) were obtained: one dict per distinct pair.

    The 「データについて」 appendix (deck slide, report site) and ``outputs.json`` use this; charts
    never do. Each record::

        {"source", "vintage",
         "citation":        publisher「survey（edition）」 (what the (出所) line prints),
         "publisher", "title", "official_url", "license",
         "derived":         True when the bytes are not the publisher's own file,
         "obtained_from":   repository URL the copy came from, or None (publisher's own download),
         "commit":          pinned commit of that repository, or None,
         "transformation":  what was changed on the way (text), or "",
         "files": [{"path", "sha256", "bytes", "url_download", "origin_path", "origin_url"}]}

    ``files=False`` leaves out the per-file list (``"files": []``, with ``"file_count"`` kept).
    ``pairs`` is any iterable of (source, vintage), e.g. ``df.attrs["source_pairs"]`` or
    ``{source: vintage}.items()``; a pair without a manifest raises :class:`HokurikuError`.
    """
    out: list[dict] = []
    seen: set[tuple[str, str]] = set()
    for source, vintage in pairs:
        key = (str(source), str(vintage))
        if key in seen:
            continue
        seen.add(key)
        m = load(*key)
        d = m.derived_from
        repo, commit = d.get("repository"), d.get("commit")
        rows = []
        for e in m.files if files else ():
            frepo, fcommit = (e.origin_repository, e.origin_commit) if e.origin_repository else (repo, commit)
            rows.append({
                "path": e.path, "sha256": e.sha256, "bytes": e.bytes, "url_download": e.url_download,
                "origin_repository": frepo, "origin_commit": None if fcommit is None else str(fcommit),
                "origin_path": e.origin_path, "origin_url": _raw_url(frepo, fcommit, e.origin_path),
            })
        out.append({
            "source": m.source, "vintage": m.vintage, "citation": m.source_line(),
            "publisher": m.producer, "title": m.title, "official_url": m.url_main,
            "license": str((m.license or {}).get("name", "")),
            "derived": m.derived, "obtained_from": repo, "commit": None if commit is None else str(commit),
            "transformation": str(d.get("transformation") or "").strip(),
            "file_count": len(m.files), "files": rows,
        })
    return out


def provenance_table(records: list[dict]):
    """The 「データについて」 table (Japanese labels) from :func:`provenance_records`, one row per source.

    Columns: 資料 (the citation), 時点・版 (vintage), 公表元 (official page), 入手経路 (publisher's own
    file, or the repository @ commit of a copy), 加工 (transformation, 「なし」 if none), ファイル数.
    """
    import pandas as pd  # noqa: PLC0415

    rows = []
    for r in records:
        if r["obtained_from"]:
            route = f"{r['obtained_from']} @ {str(r['commit'] or '')[:8]}".rstrip(" @")
            route = ("派生コピー: " if r["derived"] else "公表ファイルの複製: ") + route
        else:
            route = "公表元のファイル"
        rows.append({
            "資料": r["citation"], "時点・版": r["vintage"], "公表元": r["official_url"], "入手経路": route,
            "加工": r["transformation"] or "なし", "ファイル数": r["file_count"],
        })
    return pd.DataFrame(rows, columns=["資料", "時点・版", "公表元", "入手経路", "加工", "ファイル数"])


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


def edition_problems(source: str | list[str] | None = None) -> list[str]:
    """:func:`edition_problems_between` for consecutive editions of every source (or of ``source``,
    one name or a list: the manifests are listed once, however many sources).

    Only vintages named as a year or a date (``2022``, ``2022-01-01``) are editions of one series;
    named copies (``r5_hollow``, ``n03_2025``) are not compared.
    """
    wanted = None if source is None else {source} if isinstance(source, str) else set(source)
    by_source: dict[str, list[Manifest]] = {}
    for m in all_manifests():
        if (wanted is None or m.source in wanted) and _EDITION_VINTAGE.match(m.vintage):
            by_source.setdefault(m.source, []).append(m)
    problems = []
    for editions in by_source.values():
        editions.sort(key=lambda m: m.vintage)
        for previous, new in zip(editions, editions[1:], strict=False):
            problems += edition_problems_between(previous, new)
    return problems


def require_new_editions(sources: list[str] | None = None) -> None:
    """Raise :class:`HokurikuError` listing every edition flagged by :func:`edition_problems`."""
    problems = edition_problems(sources or None)
    if problems:
        msg = ("Declared new edition(s) that do not look new:\n  - " + "\n  - ".join(problems)
               + f"\nCheck the files, or acknowledge with `reference: {{{ACCEPT_KEY}: <reason>}}` in the manifest "
                 "(docs/new-release.md).")
        raise HokurikuError(msg)
