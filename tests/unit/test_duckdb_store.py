"""The processed store is readable by DuckDB: the README's example query runs (issue #13 item 4)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from hokuriku import io, paths

duckdb = pytest.importorskip("duckdb")


def _readme_query() -> str:
    text = (paths.PROJ_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- duckdb-example -->\s*```sql\n(.*?)```", text, re.S)
    assert block, "README.md documents a DuckDB query between <!-- duckdb-example --> markers"
    return block.group(1)


def test__the_readme_query_reads_the_parquet_store(tmp_path, monkeypatch):
    """Runs on a small table written by the project's own writer, at the README's path."""
    monkeypatch.setattr(paths, "PROCESSED", tmp_path / "data" / "processed")
    df = pd.DataFrame({"area_code": ["16", "17", "18", "13"], "area_name_ja": ["富山県", "石川県", "福井県", "東京都"],
                       "fiscal_year": [2022] * 4, "gdp_nominal_jpy_million": [4927629.0, 4717260.0, 3494304.0, 1.0]})
    io.write_processed(df, "core/kenmin_keizai/2022/gdp", {"source": "kenmin_keizai", "vintage": "2022"})
    monkeypatch.chdir(tmp_path)
    got = duckdb.sql(_readme_query()).df()
    assert got["area_name_ja"].tolist() == ["富山県", "石川県", "福井県"]
    assert got["gdp_nominal_jpy_million"].tolist() == [4927629.0, 4717260.0, 3494304.0]


def test__the_real_store_answers_the_readme_query(monkeypatch):
    if not (paths.PROCESSED / "core/kenmin_keizai/2022/gdp.parquet").exists():
        pytest.skip("data/processed not built (make data)")
    monkeypatch.chdir(paths.PROJ_ROOT)
    got = duckdb.sql(_readme_query()).df()
    assert got["area_name_ja"].tolist() == ["富山県", "石川県", "福井県"]
    assert (got["gdp_nominal_jpy_million"] > 0).all()
