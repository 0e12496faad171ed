"""Every processed table has the row count recorded in expected_row_counts.csv (PUDL row-count seeds).

A parser that silently drops or duplicates rows after a layout change fails here, naming the table.
The tables are built from the raw files (mirror) on first use.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from hokuriku import io, store

EXPECTED = pd.read_csv(Path(__file__).with_name("expected_row_counts.csv"), comment="#")


def test__every_planned_table_has_an_expected_count():
    planned = {ref.name for ref in store.plan()}
    assert planned == set(EXPECTED["table"]), (
        f"missing: {sorted(planned - set(EXPECTED['table']))}; unknown: {sorted(set(EXPECTED['table']) - planned)}"
    )


@pytest.mark.slow
def test__row_counts(raw):
    raw("kenmin_keizai", "2022", "soukatu1.xlsx")  # skip locally without the mirror; fail in CI
    store.build()
    counts = {ref.name: pq.ParquetFile(io.processed_path(ref.name)).metadata.num_rows for ref in store.plan()}
    wrong = {t: (counts[t], n) for t, n in zip(EXPECTED["table"], EXPECTED["row_count"], strict=True) if counts[t] != n}
    assert not wrong, f"table: (found, expected) {wrong}"
