"""Setup errors a person can act on (issue #9, item 9): mirror folder, environment, default mirror."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hokuriku import cli, manifest, paths
from hokuriku.errors import SetupError

ROOT = Path(__file__).resolve().parents[2]


def test__mirror_dir__missing_folder_is_one_line_saying_so(tmp_path, monkeypatch):
    monkeypatch.setenv("HOKURIKU_MIRROR", str(tmp_path / "nowhere"))
    with pytest.raises(SetupError) as info:
        paths.mirror_dir()
    text = str(info.value)
    assert "\n" not in text and text.startswith(f"HOKURIKU_MIRROR={tmp_path / 'nowhere'} does not exist")
    (tmp_path / "afile").write_text("x")
    monkeypatch.setenv("HOKURIKU_MIRROR", str(tmp_path / "afile"))
    with pytest.raises(SetupError, match="is a file, not a folder"):
        paths.mirror_dir()


def test__cli__missing_mirror_folder_prints_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(paths, "RAW", tmp_path / "raw")
    folder = tmp_path / "raw" / "demo" / "2024"
    folder.mkdir(parents=True)
    (folder / "MANIFEST.yml").write_text(
        "source: demo\nvintage: '2024'\nproducer: 総務省\ntitle: デモ\nurl_main: https://www.soumu.go.jp/\n"
        "license: {name: 政府標準利用規約}\nfiles:\n  - {path: a.csv, sha256: '" + "0" * 64 + "', bytes: 1}\n",
        encoding="utf-8")
    monkeypatch.setenv("HOKURIKU_MIRROR", str(tmp_path / "nowhere"))
    assert cli.main(["verify-raw"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: HOKURIKU_MIRROR=") and "does not exist" in err


def test__mirror_dir__defaults_to_shared_datasets_beside_the_project(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "PROJ_ROOT", tmp_path / "project")
    monkeypatch.delenv("HOKURIKU_MIRROR", raising=False)
    assert paths.mirror_dir() is None  # nothing beside the project
    shared = tmp_path / "shared" / "datasets"
    shared.mkdir(parents=True)
    (shared / "MANIFEST.md").write_text("# mirror\n")
    assert paths.mirror_dir() == shared.resolve()
    monkeypatch.setenv("HOKURIKU_MIRROR", "")  # explicitly off
    assert paths.mirror_dir() is None


def test__default_mirror__applies_without_make_or_the_environment_variable():
    """A plain Python (as a papermill kernel or Jupyter starts it) resolves the default mirror too."""
    default = ROOT.parent / "shared" / "datasets"
    if not (default / "MANIFEST.md").is_file():
        pytest.skip("no ../shared/datasets beside the project")
    env = {k: v for k, v in os.environ.items() if k != "HOKURIKU_MIRROR"}
    out = subprocess.run([sys.executable, "-c", "from hokuriku import paths; print(paths.mirror_dir())"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == str(default.resolve())


def test__python_m_hokuriku_outside_the_venv_says_how_to_set_up():
    """``-S`` hides the installed packages, as a system Python without the dependencies would."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-S", "-m", "hokuriku", "verify-raw"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 3, out.stderr
    assert "Traceback" not in out.stderr
    assert "is not installed" in out.stderr and "make env" in out.stderr and ".venv/bin/python -m hokuriku" in out.stderr


def test__missing_file_message_names_every_route_and_the_citation(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "RAW", tmp_path / "raw")
    monkeypatch.setenv("HOKURIKU_MIRROR", "")
    folder = tmp_path / "raw" / "demo" / "2024"
    folder.mkdir(parents=True)
    (folder / "MANIFEST.yml").write_text(
        "source: demo\nvintage: '2024'\nproducer: 総務省\ntitle: デモ\nurl_main: https://www.soumu.go.jp/\n"
        "license: {name: 政府標準利用規約}\nfiles:\n"
        "  - {path: a.csv, sha256: '" + "0" * 64 + "', bytes: 1, url_download: 'https://a.example/a.csv',"
        " url_fallback: ['https://b.example/a.csv']}\n"
        "  - {path: b.csv, sha256: '" + "1" * 64 + "', bytes: 1}\n", encoding="utf-8")
    text = "\n".join(f"{w}/{n} <- {u}" for w, n, u in manifest.missing())
    assert "a.csv <- https://a.example/a.csv or https://b.example/a.csv" in text
    assert "b.csv <- no direct download URL; obtain it from https://www.soumu.go.jp/ (総務省「デモ」)" in text
