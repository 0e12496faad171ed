"""A kernel reads each processed table once while its file is unchanged (issue #13 item 2)."""

from __future__ import annotations

import os

import pandas as pd

from hokuriku import io, paths, store


def test__a_table_is_read_once_and_callers_cannot_change_the_cached_copy(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "PROCESSED", tmp_path)
    monkeypatch.setattr(store, "_READ_CACHE", {})
    name = "core/demo/2020/t"
    path = io.write_processed(pd.DataFrame({"pref_code": ["16", "17"], "v": [1.0, 2.0]}), name, {"source": "demo"})
    reads = []
    real = io.read_processed
    monkeypatch.setattr(io, "read_processed", lambda n: reads.append(n) or real(n))
    a = store._read_once(name, path)
    a.loc[0, "v"] = -1.0
    a["extra"] = 1
    a.attrs["provenance"]["source"] = "edited"
    b = store._read_once(name, path)
    assert reads == [name]
    assert b["v"].tolist() == [1.0, 2.0] and "extra" not in b and b.attrs["provenance"]["source"] == "demo"
    io.write_processed(pd.DataFrame({"pref_code": ["16"], "v": [9.0]}), name, {"source": "demo"})  # a rebuild
    os.utime(path, ns=(1, 1))  # even with an old mtime the new size or mtime changes the key
    c = store._read_once(name, path)
    assert reads == [name, name] and c["v"].tolist() == [9.0]
