"""Fixtures shared by the unit tests."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from hokuriku import manifest, paths


def make_demo_source(root: Path, content: bytes, *, name="table.csv", url=None, mirror_path=None) -> Path:
    """Declare ``data/raw/demo/2024/MANIFEST.yml`` under ``root`` for one file with ``content``; return the folder."""
    folder = root / "data" / "raw" / "demo" / "2024"
    folder.mkdir(parents=True)
    entry = {"path": name, "sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content),
             "url_download": url, "mirror_path": mirror_path, "retrieved": None}
    doc = {"source": "demo", "vintage": "2024", "producer": "総務省統計局", "title": "デモ表",
           "url_main": "https://www.e-stat.go.jp/", "license": {"name": "政府標準利用規約（第2.0版）"}, "files": [entry]}
    (folder / "MANIFEST.yml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.fixture
def demo_root(tmp_path, monkeypatch):
    """A throw-away project root: raw manifests under it, no mirror, no downloads."""
    monkeypatch.setattr(paths, "RAW", tmp_path / "data" / "raw")
    monkeypatch.setattr(paths, "PROJ_ROOT", tmp_path)
    monkeypatch.delenv("HOKURIKU_MIRROR", raising=False)
    monkeypatch.delenv("HOKURIKU_ALLOW_DOWNLOAD", raising=False)
    manifest._mirror_index.cache_clear()
    yield tmp_path
    manifest._mirror_index.cache_clear()
