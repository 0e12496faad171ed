"""A fresh machine gets its data in one command (issue #9, item 8) — tested offline on 127.0.0.1.

A loopback HTTP server (``http.server`` in a thread, bounded: it stops itself after a few seconds
at most) serves a folder laid out by URL path. ``fetch`` must download and verify a good file, refuse
a tampered one, report a 404 and a timeout, fall back to a second route, leave nothing half-written,
and ``bundle`` must write a mirror (folder or zip) that ``HOKURIKU_MIRROR`` resolves. No real network.
"""

from __future__ import annotations

import hashlib
import threading
import time
import zipfile
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from hokuriku import cli, fetch, manifest, paths
from hokuriku.errors import MissingRawDataError

GOOD = "都道府県,人口\n富山県,1008536\n".encode()
SLOW_S = 2.0  # the server's delay for /slow/…; the client gives up after TIMEOUT_S
TIMEOUT_S = 0.5


class _Handler(SimpleHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server API
        if self.path.startswith("/slow/"):
            time.sleep(SLOW_S)
        super().do_GET()

    def log_message(self, *args):  # keep the test output clean
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # the timed-out client hung up: expected
        pass


@pytest.fixture
def server(tmp_path):
    """``(base_url, served_folder)``: a loopback server that shuts down at teardown or after 30 s."""
    served = tmp_path / "served"
    (served / "files").mkdir(parents=True)
    (served / "slow").mkdir()
    httpd = _Server(("127.0.0.1", 0), partial(_Handler, directory=str(served)))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    guard = threading.Timer(30, httpd.shutdown)  # bounded even if a test hangs
    thread.start()
    guard.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", served
    finally:
        guard.cancel()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def project(tmp_path, monkeypatch, server):
    """A data/raw with one manifest whose five files exercise each outcome; no mirror."""
    base, served = server
    raw = tmp_path / "raw"
    monkeypatch.setattr(paths, "RAW", raw)
    monkeypatch.setenv("HOKURIKU_MIRROR", "")  # mirror off: only downloads can provide the files
    monkeypatch.setattr(manifest, "_FAILED", {})  # failures remembered per run: start clean
    monkeypatch.setenv("HOKURIKU_DOWNLOAD_TIMEOUT", str(TIMEOUT_S))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    for var in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    (served / "files" / "good.csv").write_bytes(GOOD)
    (served / "files" / "tampered.csv").write_bytes(GOOD.replace(b"8536", b"8537"))  # same size, other bytes
    (served / "slow" / "slow.csv").write_bytes(GOOD)
    sha = hashlib.sha256(GOOD).hexdigest()

    def entry(name, url, **extra):
        return {"path": name, "url_download": url, "sha256": sha, "bytes": len(GOOD), **extra}

    doc = {
        "source": "demo", "vintage": "2025-01-01", "producer": "総務省", "title": "デモ",
        "citation": "総務省「デモ統計（令和7年1月1日現在）」", "url_main": "https://www.soumu.go.jp/",
        "license": {"name": "政府標準利用規約（第2.0版）"},
        "files": [
            entry("good.csv", f"{base}/files/good.csv", mirror_path="demo_mirror/good.csv"),
            entry("tampered.csv", f"{base}/files/tampered.csv"),
            entry("missing.csv", f"{base}/files/missing.csv"),
            entry("slow.csv", f"{base}/slow/slow.csv"),
            entry("fallback.csv", f"{base}/files/gone.csv", url_fallback=[f"{base}/files/good.csv"]),
        ],
    }
    folder = raw / "demo" / "2025-01-01"
    folder.mkdir(parents=True)
    (folder / "MANIFEST.yml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def test__fetch__loopback_good_tampered_404_timeout_and_fallback(project, capsys):
    started = time.monotonic()
    code = cli.main(["fetch", "--source", "demo"])
    elapsed = time.monotonic() - started
    out = capsys.readouterr().out
    assert code == 1  # something could not be got
    lines = out.splitlines()
    # progress: one line per file, then the summary and the reasons
    assert [ln.split()[0] for ln in lines[:5]] == ["downloaded", "failed", "failed", "failed", "downloaded"]
    assert lines[5] == "2 file(s) fetched, 0 present, 3 could not be got"
    reasons = "\n".join(lines[6:])
    assert "demo/2025-01-01/tampered.csv: " in reasons and "sha256 differs from the manifest" in reasons
    assert "demo/2025-01-01/missing.csv: " in reasons and "HTTP 404" in reasons
    assert "demo/2025-01-01/slow.csv: " in reasons and f"timed out (no answer within {TIMEOUT_S:g} s)" in reasons
    assert elapsed < 10
    # good and fallback files are in place and verified; nothing half-written is left behind
    assert sorted(p.name for p in project.iterdir()) == ["MANIFEST.yml", "fallback.csv", "good.csv"]
    assert manifest.path("demo", "2025-01-01", "good.csv").read_bytes() == GOOD
    assert manifest.path("demo", "2025-01-01", "fallback.csv").read_bytes() == GOOD
    # a second run only retries what is missing
    rows = fetch.fetch("demo", timeout=TIMEOUT_S)
    assert [r["status"] for r in rows] == ["present", "failed", "failed", "failed", "present"]
    # a damaged local copy is reported, not counted as present
    (project / "good.csv").write_bytes(GOOD[:-1])
    rows = fetch.fetch("demo", timeout=TIMEOUT_S)
    assert rows[0]["status"] == "failed" and "present but refused" in rows[0]["reason"] and "truncated" in rows[0]["reason"]


def test__path__with_download_allowed_reports_why_a_file_could_not_be_got(project, monkeypatch):
    monkeypatch.setenv("HOKURIKU_ALLOW_DOWNLOAD", "1")
    assert manifest.path("demo", "2025-01-01", "good.csv").read_bytes() == GOOD  # downloaded on demand
    with pytest.raises(MissingRawDataError, match=r"missing\.csv .*HTTP 404"):
        manifest.path("demo", "2025-01-01", "missing.csv")
    assert not (project / "missing.csv").exists()


def test__bundle__folder_and_zip_serve_as_mirror(project, tmp_path, monkeypatch, capsys):
    fetch.fetch("demo", timeout=TIMEOUT_S)  # good.csv and fallback.csv present
    dest = tmp_path / "lgwan_mirror"
    assert cli.main(["bundle", str(dest)]) == 1  # three files missing: said so, exit 1
    out = capsys.readouterr().out
    assert "bundle -> " in out and "2 file(s), 3 missing" in out and "missing  demo/2025-01-01/slow.csv" in out
    assert (dest / "demo_mirror" / "good.csv").read_bytes() == GOOD  # by mirror_path
    assert (dest / "demo" / "2025-01-01" / "fallback.csv").read_bytes() == GOOD  # else source/vintage/path
    target, rows = fetch.bundle(tmp_path / "lgwan", as_zip=True)
    assert target == tmp_path / "lgwan.zip" and sum(r["status"] == "copied" for r in rows) == 2
    with zipfile.ZipFile(target) as zf:
        assert {"lgwan/README.txt", "lgwan/demo_mirror/good.csv", "lgwan/demo/2025-01-01/fallback.csv"} <= set(zf.namelist())
        zf.extractall(tmp_path / "unzipped")
    # an offline machine: nothing in data/raw, HOKURIKU_MIRROR points at the unzipped bundle
    for f in ("good.csv", "fallback.csv"):
        (project / f).unlink()
    monkeypatch.setenv("HOKURIKU_MIRROR", str(tmp_path / "unzipped" / "lgwan"))
    manifest._mirror_index.cache_clear()
    assert manifest.path("demo", "2025-01-01", "good.csv").read_bytes() == GOOD
    assert manifest.path("demo", "2025-01-01", "fallback.csv").read_bytes() == GOOD


def test__make_data_with_download_allowed_fetches_first_with_progress(monkeypatch, capsys):
    """``HOKURIKU_ALLOW_DOWNLOAD=1 make reports`` → ``python -m hokuriku data`` fetches what is missing first."""
    from hokuriku import store

    calls = []

    def fake_fetch(source, vintage, *, progress=None, **_):
        row = {"file": "demo/2025-01-01/missing.csv", "status": "failed", "reason": "https://x/missing.csv: HTTP 404"}
        calls.append((source, vintage))
        progress(row)
        return [row]

    monkeypatch.setattr(fetch, "fetch", fake_fetch)
    monkeypatch.setattr(store, "build", lambda *a, **k: [])
    monkeypatch.delenv("HOKURIKU_ALLOW_DOWNLOAD", raising=False)
    assert cli.main(["data"]) == 0 and calls == []  # offline by default: no download step
    monkeypatch.setenv("HOKURIKU_ALLOW_DOWNLOAD", "1")
    assert cli.main(["data"]) == 0 and calls == [(None, None)]
    out = capsys.readouterr().out
    assert "failed  demo/2025-01-01/missing.csv" in out and "  - demo/2025-01-01/missing.csv: https://x/missing.csv: HTTP 404" in out
