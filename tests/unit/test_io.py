"""Processed parquet with provenance; atomic writes leave earlier files intact on failure."""

from __future__ import annotations

import pandas as pd
import pytest

from hokuriku import io


def test__write_processed__round_trips_with_provenance(tmp_project):
    df = pd.DataFrame({"pref_code": ["16", "17"], "gdp_nominal_jpy_million": [1.0, 2.0]})
    io.write_processed(df, "core/demo/2024/t", {"source": "demo", "inputs": {"a.csv": "0" * 64}})
    back = io.read_processed("core/demo/2024/t")
    pd.testing.assert_frame_equal(back, df, check_dtype=False)
    assert back.attrs["provenance"]["source"] == "demo"
    assert back.attrs["provenance"]["inputs"] == {"a.csv": "0" * 64}
    assert back.attrs["provenance"]["package_version"]
    assert back["pref_code"].tolist() == ["16", "17"]


def test__write_processed__encoding_options_read_back_every_value_and_dtype(tmp_project):
    """Dictionary pages for text/flags only and no statistics: the frame read back is the frame written."""
    import numpy as np
    import pyarrow.parquet as pq

    n = 5000
    rng = np.random.default_rng(0)
    df = pd.DataFrame({
        "muni_code": pd.array([f"{i % 1741:05d}" for i in range(n)], dtype="str"),
        "value_note": pd.array([None if i % 3 else "suppressed" for i in range(n)], dtype="str"),
        "year": np.arange(n, dtype="int64") % 40 + 1980,
        "is_suppressed": np.arange(n) % 7 == 0,
        "shipments_jpy_million": np.where(np.arange(n) % 11 == 0, np.nan, rng.normal(size=n) * 1e6),
        "ref_date": pd.to_datetime("2020-10-01") + pd.to_timedelta(np.arange(n) % 3, unit="D"),
        "level": pd.Categorical(["pref", "muni"] * (n // 2)),
    })
    path = io.write_processed(df, "core/demo/2024/enc", {"source": "demo", "inputs": {}})
    pd.testing.assert_frame_equal(io.read_processed("core/demo/2024/enc"), df, check_exact=True)
    meta = pq.ParquetFile(path).metadata.row_group(0)
    columns = {meta.column(i).path_in_schema: meta.column(i) for i in range(meta.num_columns)}
    assert "PLAIN_DICTIONARY" in str(columns["muni_code"].encodings) or "RLE_DICTIONARY" in str(columns["muni_code"].encodings)
    assert not any("DICTIONARY" in e for e in columns["shipments_jpy_million"].encodings)
    assert "BYTE_STREAM_SPLIT" in columns["shipments_jpy_million"].encodings


def test__write_processed__byte_stream_split_floats_read_back_bit_for_bit(tmp_project):
    """Floats are stored BYTE_STREAM_SPLIT: every bit pattern comes back, through pyarrow and DuckDB.

    ±0, ±inf, subnormals and missing values included (DuckDB is the project's SQL reader).
    """
    import duckdb
    import numpy as np
    import pyarrow.parquet as pq

    specials = [0.0, -0.0, np.inf, -np.inf, 5e-324, -1.7976931348623157e308, 1 / 3, 123456.0, np.nan]
    rng = np.random.default_rng(1)
    values = np.concatenate([specials, rng.normal(size=3000) * 10.0 ** rng.integers(-5, 12, 3000)])
    small = np.concatenate([np.array([0.0, -0.0, np.inf, -np.inf, 1e-45, np.nan], dtype="float32"),
                            rng.normal(size=len(values) - 6).astype("float32")])
    df = pd.DataFrame({"value": values, "value32": small, "code": [f"{i % 47:02d}" for i in range(len(values))]})
    path = io.write_processed(df, "core/demo/2024/floats", {"source": "demo", "inputs": {}})
    meta = pq.ParquetFile(path).metadata.row_group(0)
    assert all("BYTE_STREAM_SPLIT" in meta.column(i).encodings for i in (0, 1))
    back = io.read_processed("core/demo/2024/floats")
    pd.testing.assert_frame_equal(back, df, check_exact=True)
    for col in ("value", "value32"):  # bit for bit: -0.0 stays -0.0
        assert (back[col].to_numpy().view(np.uint8) == df[col].to_numpy().view(np.uint8)).all()
    sql = duckdb.connect().execute(f"select value, value32 from read_parquet('{path}')").fetchnumpy()
    for col, expected in (("value", values), ("value32", small)):
        got = np.ma.asarray(sql[col])
        assert (np.ma.getmaskarray(got) == np.isnan(expected)).all()  # missing values are NULL, as before
        ok = ~np.isnan(expected)
        assert (np.asarray(got.data)[ok].view(np.uint8) == expected[ok].view(np.uint8)).all()


def test__atomic_path__failure_keeps_previous_file(tmp_path):
    dest = tmp_path / "table.csv"
    dest.write_text("old")
    with pytest.raises(RuntimeError), io.atomic_path(dest) as tmp:
        tmp.write_text("half-written")
        raise RuntimeError("boom")
    assert dest.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]


def test__write_table__csv_and_xlsx(tmp_path):
    df = pd.DataFrame({"項目": ["面積"], "全国": [377980]})
    df.attrs["source_note"] = "(出所) 国土地理院「全国都道府県市区町村別面積調」"
    written = io.write_table(df, tmp_path, "share")
    assert [p.suffix for p in written] == [".csv", ".xlsx"]
    assert pd.read_csv(written[0], encoding="utf-8-sig")["全国"].tolist() == [377980]
    assert pd.read_excel(written[1], sheet_name="source").iloc[0, 0].startswith("(出所)")


def test__read_processed__missing_table_says_run_make_data(tmp_project):
    with pytest.raises(Exception, match="make data"):
        io.read_processed("core/none/1/x")
