"""Issue #11, deliverable 8: OSError (disk full, read-only) surfaces as one line naming the file."""

from __future__ import annotations

import errno

import pandas as pd
import pytest

from hokuriku import cli, io, store


@pytest.mark.parametrize(("code", "text", "hint"), [(errno.ENOSPC, "No space left on device", "free disk space"),
                                                    (errno.EROFS, "Read-only file system", "read-only")])
def test__main__os_error_is_one_line_naming_the_file(monkeypatch, tmp_path, capsys, code, text, hint):
    target = tmp_path / "processed" / "core" / "x.parquet"

    def build(only=None, *, force=False):
        with io.atomic_path(target) as tmp:  # the real write path: the error comes out of it unchanged
            raise OSError(code, text, str(tmp))
        return []

    monkeypatch.setattr(store, "build", build)
    rc = cli.main(["data"])
    err = capsys.readouterr().err
    assert rc == 3
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert err.startswith(f"error: {text}: ") and str(tmp_path) in err and hint in err
    assert not target.exists()


def test__main__write_table_on_full_disk_names_the_report_file(monkeypatch, tmp_path, capsys):
    def full(self, path, *a, **k):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(pd.DataFrame, "to_csv", full)
    monkeypatch.setattr(store, "build", lambda only=None, force=False: io.write_table(pd.DataFrame({"a": [1]}),
                                                                                       tmp_path, "t"))
    assert cli.main(["data"]) == 3
    err = capsys.readouterr().err
    assert "No space left on device" in err and str(tmp_path / "t.csv") + " " in err and len(err.strip().splitlines()) == 1
