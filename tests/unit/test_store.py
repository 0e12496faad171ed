"""``make data`` semantics: build, no-op rerun, rebuild on change, failed build keeps old tables."""

from __future__ import annotations

import hashlib
import sys
import textwrap

import pytest
import yaml

from hokuriku import io, paths, sources, store
from hokuriku.errors import MissingRawDataError

MODULE = textwrap.dedent(
    '''
    """Demo source for store tests."""
    import pandas as pd
    from hokuriku import manifest

    SOURCE = "demo_store"
    DEFAULT_VINTAGE = "2024"
    FAIL = False

    def parse(path, *, vintage):
        if FAIL:
            raise RuntimeError("parser broke")
        rows = [line.split(",") for line in path.read_text().splitlines()[1:]]
        return pd.DataFrame({"pref_code": [r[0] for r in rows], "value_persons": [int(r[1]) for r in rows]})

    def load(vintage=DEFAULT_VINTAGE):
        return parse(manifest.path(SOURCE, vintage, "t.csv"), vintage=vintage)

    TABLES = {"values": load}
    '''
)


@pytest.fixture
def demo(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    folder = raw / "demo_store" / "2024"
    folder.mkdir(parents=True)
    content = b"pref_code,value\n16,1\n17,2\n"
    (folder / "t.csv").write_bytes(content)
    doc = {"source": "demo_store", "vintage": "2024", "producer": "p", "title": "t", "url_main": "u", "license": {},
           "files": [{"path": "t.csv", "sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)}]}
    (folder / "MANIFEST.yml").write_text(yaml.safe_dump(doc))
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "demo_store_mod.py").write_text(MODULE)
    monkeypatch.syspath_prepend(str(pkg))
    monkeypatch.setattr(paths, "RAW", raw)
    monkeypatch.setattr(paths, "PROCESSED", tmp_path / "processed")
    monkeypatch.setattr(sources, "SOURCES", {"demo_store": "demo_store_mod"})
    yield sys.modules.setdefault("demo_store_mod", __import__("demo_store_mod"))
    sys.modules.pop("demo_store_mod", None)


def test__build__then_noop_then_forced(demo):
    first = store.build()
    assert [r["status"] for r in first] == ["built"]
    df = io.read_processed("core/demo_store/2024/values")
    assert df["pref_code"].tolist() == ["16", "17"]
    prov = df.attrs["provenance"]
    assert prov["source"] == "demo_store" and prov["vintage"] == "2024" and "t.csv" in prov["inputs"]
    assert [r["status"] for r in store.build()] == ["up to date"]
    assert [r["status"] for r in store.build(force=True)] == ["built"]


def test__failed_build_keeps_previous_table(demo):
    store.build()
    before = io.processed_path("core/demo_store/2024/values").read_bytes()
    demo.FAIL = True
    with pytest.raises(RuntimeError, match="parser broke"):
        store.build(force=True)
    assert io.processed_path("core/demo_store/2024/values").read_bytes() == before


def test__missing_raw_file_fails_before_building_anything(demo):
    (paths.RAW / "demo_store" / "2024" / "t.csv").unlink()
    with pytest.raises(MissingRawDataError, match="demo_store/2024/t.csv"):
        store.build()
    assert not (paths.PROCESSED / "core").exists()


def test__table__reads_with_source_pairs(demo):
    df = store.table("demo_store", "values")
    assert df.attrs["source_pairs"] == [("demo_store", "2024")]
    with pytest.raises(KeyError, match="no vintage '1999'"):
        store.table("demo_store", "values", "1999")


def test__editing_a_code_table_rebuilds(demo, tmp_path, monkeypatch):
    """The code tables loaders map through (JSIC names, aliases) are part of the fingerprint."""
    codes = tmp_path / "codes" / "data"
    codes.mkdir(parents=True)
    (codes / "map.csv").write_text("a,b\n")
    monkeypatch.setattr(paths, "CODES_DATA", codes)
    store.build()
    assert [r["status"] for r in store.build()] == ["up to date"]
    (codes / "map.csv").write_text("a,b\n1,2\n")
    assert [r["status"] for r in store.build()] == ["built"]


def test__a_build_hashes_the_shared_rules_once_and_gets_the_same_fingerprints(demo):
    """``build`` passes one :func:`store._shared_digest` to every fingerprint: same hashes, shared state untouched."""
    shared = store._shared_digest()
    before = shared.hexdigest()
    assert store.fingerprint("demo_store", "2024", shared) == store.fingerprint("demo_store", "2024")
    assert store.fingerprint("demo_store", "2024", shared) == store.fingerprint("demo_store", "2024", shared)
    assert shared.hexdigest() == before


def test__a_worker_error_reaches_the_caller_and_keeps_previous_tables(demo):
    """With worker processes (``fork``), a parser failure still stops the build with its message."""
    import shutil

    new = paths.RAW / "demo_store" / "2025"  # a second edition: two source groups, so a pool of workers
    shutil.copytree(paths.RAW / "demo_store" / "2024", new)
    content = b"pref_code,value\n16,3\n17,4\n"
    (new / "t.csv").write_bytes(content)
    doc = yaml.safe_load((new / "MANIFEST.yml").read_text())
    doc["files"][0].update(sha256=hashlib.sha256(content).hexdigest(), bytes=len(content))
    (new / "MANIFEST.yml").write_text(yaml.safe_dump({**doc, "vintage": "2025"}))
    assert len(store.build(workers=2)) == 2 and store.LAST_BUILD["workers"] == 2
    before = io.processed_path("core/demo_store/2024/values").read_bytes()
    demo.FAIL = True
    with pytest.raises(RuntimeError, match="parser broke"):
        store.build(force=True, workers=2)
    assert io.processed_path("core/demo_store/2024/values").read_bytes() == before


def test__parallel_build_writes_the_same_tables_as_a_sequential_build(raw, tmp_path, monkeypatch):
    """Worker processes change the wall time only: every table equals the one-process build."""
    import pandas as pd

    raw("kenmin_keizai", "2022", "soukatu1.xlsx")  # skip locally without the mirror; fail in CI
    only = ["kenmin_keizai", "gsi_menseki", "io_miyazaki", "ssdse_b"]
    frames = {}
    for workers in (1, 2):
        monkeypatch.setattr(paths, "PROCESSED", tmp_path / f"w{workers}")
        rows = store.build(only, force=True, workers=workers)
        assert {r["status"] for r in rows} == {"built"}
        frames[workers] = {r["table"]: io.read_processed(r["table"]) for r in rows}
    assert len({r.split("/")[1] for r in frames[2]}) == len(only), "several source groups, so the pool is used"
    for name, df in frames[1].items():
        pd.testing.assert_frame_equal(frames[2][name], df, check_exact=True, obj=name)


def test__pool_start_method_forks_only_a_single_threaded_process():
    import multiprocessing as mp
    import threading

    assert store._pool_context(mp).get_start_method() == ("fork" if threading.active_count() == 1 else "forkserver")
    stop = threading.Event()
    helper = threading.Thread(target=stop.wait, daemon=True)
    helper.start()
    try:
        assert store._pool_context(mp).get_start_method() in ("forkserver", "spawn")
    finally:
        stop.set()
        helper.join()
