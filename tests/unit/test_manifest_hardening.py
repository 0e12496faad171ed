"""Issue #11, deliverable 7: the sha256 is checked on the bytes actually parsed; the mirror scan never
blocks or crashes on non-regular files; a full ``make data`` checks every declared raw file first."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from hokuriku import manifest, paths, store
from hokuriku.errors import ChecksumError, MissingRawDataError
from hokuriku.sources import _parse
from tests.unit.conftest import make_demo_source as _declare

CONTENT = b"a,b\n1,2\n"





@pytest.fixture
def alarm():
    """Fail instead of hanging if a call blocks (a FIFO opened for reading waits for a writer)."""
    def on_alarm(signum, frame):
        raise TimeoutError("blocked")
    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def test__path__same_size_edit_with_restored_mtime_is_refused_in_the_same_process(demo_root):
    folder = _declare(demo_root, CONTENT)
    f = folder / "table.csv"
    f.write_bytes(CONTENT)
    assert manifest.path("demo", "2024", "table.csv") == f
    st = f.stat()
    f.write_bytes(b"a,b\n1,9\n")  # same size
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))  # mtime restored
    with pytest.raises(ChecksumError, match="differs"):
        manifest.path("demo", "2024", "table.csv")


def test__read_text__bytes_changed_after_verification_are_refused(demo_root):
    folder = _declare(demo_root, CONTENT)
    f = folder / "table.csv"
    f.write_bytes(CONTENT)
    verified = manifest.path("demo", "2024", "table.csv")
    assert _parse.read_text(verified, "utf-8") == CONTENT.decode()
    f.write_bytes(b"a,b\n1,9\n")  # swapped between verification and parsing
    with pytest.raises(ChecksumError, match="changed after verification"):
        _parse.read_text(verified, "utf-8")
    assert manifest.read_verified  # the bytes-returning resolver new loaders can use
    f.write_bytes(CONTENT)
    assert manifest.read_verified("demo", "2024", "table.csv") == CONTENT


def test__mirror_scan__skips_fifo_device_link_and_dangling_link(demo_root, monkeypatch, alarm):
    _declare(demo_root, CONTENT)
    mirror = demo_root / "mirror"
    (mirror / "sub").mkdir(parents=True)
    os.mkfifo(mirror / "a_fifo.csv")
    (mirror / "zero.csv").symlink_to("/dev/zero")
    (mirror / "dangling.csv").symlink_to(mirror / "does-not-exist.csv")
    (mirror / "sub" / "renamed.csv").write_bytes(CONTENT)
    monkeypatch.setenv("HOKURIKU_MIRROR", str(mirror))
    assert manifest.path("demo", "2024", "table.csv") == mirror / "sub" / "renamed.csv"


def test__sha256_of__non_regular_file_is_refused_without_blocking(tmp_path, alarm):
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(ChecksumError, match="not a regular file"):
        manifest.sha256_of(tmp_path / "fifo")
    with pytest.raises(ChecksumError, match="not a regular file"):
        manifest.sha256_of(Path("/dev/zero"))


def test__build__missing_boundaries_fail_up_front_before_any_table(tmp_path, monkeypatch):
    """`make data` used to succeed without the boundaries; notebook 30 then failed with a traceback."""
    real = manifest.locate

    def locate(m, e, **kw):
        return None if m.source == "boundaries" else real(m, e, **kw)

    monkeypatch.setattr(manifest, "locate", locate)
    monkeypatch.setattr(paths, "PROCESSED", tmp_path / "processed")
    with pytest.raises(MissingRawDataError, match="boundaries"):
        store.build()
    assert not (tmp_path / "processed").exists()


def test__read_bytes__parses_the_bytes_verify_hashed_without_reading_the_file_again(demo_root, monkeypatch):
    from pathlib import Path

    folder = _declare(demo_root, CONTENT)
    (folder / "table.csv").write_bytes(CONTENT)
    verified = manifest.path("demo", "2024", "table.csv")
    reads = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or original(self))
    assert _parse.read_bytes(verified) == CONTENT and reads == []  # handed over by verify: one read, one hash
    assert _parse.read_bytes(verified) == CONTENT and reads == [verified]  # once only; then read and checked
