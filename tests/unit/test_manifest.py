"""The raw-file contract: resolution order, checksum refusal, one clear message for missing files."""

from __future__ import annotations

import shutil

import pytest
import yaml

from hokuriku import manifest
from hokuriku.errors import ChecksumError, HokurikuError, MissingRawDataError
from tests.unit.conftest import make_demo_source as _make_source


def test__path__local_copy_is_verified_and_returned(demo_root):
    content = b"a,b\n1,2\n"
    folder = _make_source(demo_root, content)
    (folder / "table.csv").write_bytes(content)
    assert manifest.path("demo", "2024", "table.csv") == folder / "table.csv"


def test__path__wrong_checksum_is_refused(demo_root):
    folder = _make_source(demo_root, b"a,b\n1,2\n")
    (folder / "table.csv").write_bytes(b"a,b\n1,3\n")  # same size, different bytes
    with pytest.raises(ChecksumError, match="sha256 .* differs"):
        manifest.path("demo", "2024", "table.csv")


def test__path__truncated_file_is_refused_naming_sizes(demo_root):
    folder = _make_source(demo_root, b"a,b\n1,2\n3,4\n")
    (folder / "table.csv").write_bytes(b"a,b\n1,2\n")
    with pytest.raises(ChecksumError, match="truncated download .* 8 bytes, manifest declares 12 bytes"):
        manifest.path("demo", "2024", "table.csv")


def test__path__mirror_by_path_then_by_sha256(demo_root, tmp_path, monkeypatch):
    content = b"x,y\n5,6\n"
    _make_source(demo_root, content, mirror_path="sub/dir/table.csv")
    mirror = tmp_path / "mirror"
    (mirror / "sub" / "dir").mkdir(parents=True)
    (mirror / "sub" / "dir" / "table.csv").write_bytes(content)
    monkeypatch.setenv("HOKURIKU_MIRROR", str(mirror))
    assert manifest.path("demo", "2024", "table.csv") == mirror / "sub" / "dir" / "table.csv"
    # moved inside the mirror: still found by its sha256
    shutil.move(mirror / "sub" / "dir" / "table.csv", mirror / "renamed.csv")
    manifest._mirror_index.cache_clear()
    assert manifest.path("demo", "2024", "table.csv") == mirror / "renamed.csv"


def test__require_all__lists_every_missing_file_with_its_url(demo_root):
    _make_source(demo_root, b"1", url="https://www.e-stat.go.jp/demo.csv")
    with pytest.raises(MissingRawDataError) as info:
        manifest.require_all()
    text = str(info.value)
    assert "data/raw/demo/2024/table.csv" in text
    assert "https://www.e-stat.go.jp/demo.csv" in text
    assert "HOKURIKU_MIRROR" in text


def test__path__offline_does_not_download(demo_root, monkeypatch):
    _make_source(demo_root, b"1", url="https://example.invalid/x.csv")
    called = []
    monkeypatch.setattr(manifest, "_download", lambda *a, **k: called.append(a))
    with pytest.raises(MissingRawDataError):
        manifest.path("demo", "2024", "table.csv")
    assert called == []


def test__load__manifest_in_wrong_folder_is_an_error(demo_root):
    folder = _make_source(demo_root, b"1")
    doc = yaml.safe_load((folder / "MANIFEST.yml").read_text(encoding="utf-8"))
    doc["vintage"] = "2025"
    (folder / "MANIFEST.yml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(HokurikuError, match="lives in demo/2024"):
        manifest.load("demo", "2024")


def test__source_note__lists_each_publication_once(demo_root):
    _make_source(demo_root, b"1")
    assert manifest.source_note([("demo", "2024"), ("demo", "2024")]) == "(出所) 総務省統計局「デモ表」より作成"


def test__every_committed_manifest_is_complete():
    """Every data/raw manifest parses, has sha256 of 64 hex digits and a positive size."""
    found = manifest.all_manifests()
    assert found, "no manifests under data/raw"
    for m in found:
        assert m.files, f"{m.source}/{m.vintage} declares no files"
        for e in m.files:
            assert len(e.sha256) == 64 and int(e.sha256, 16) >= 0, f"{m.source}/{m.vintage}/{e.path}: bad sha256"
            assert e.bytes > 0
        if m.derived:
            assert m.notes, f"{m.source}/{m.vintage}: a derived copy must explain itself in notes"
