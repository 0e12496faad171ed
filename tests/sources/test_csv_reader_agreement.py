"""The fast CSV and number paths give what the reference paths give, cell for cell (issue #13).

- ``_parse.csv_rows`` (``str.split`` on quote-free text) vs ``csv.reader`` (``_parse._csv_rows_reader``):
  on every CSV file of the mirror, and on generated texts with quotes, bare CRs, NULs and blank lines;
- ``_parse.to_numeric_grid`` (one vectorised call for a whole grid) vs ``_parse.to_numeric`` column by
  column: same values and reasons, or the same refusal naming the same row and column.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hokuriku.errors import RawDataError
from hokuriku.sources import _parse

MIRROR = Path(os.environ.get("HOKURIKU_MIRROR", "")) if os.environ.get("HOKURIKU_MIRROR") else None
CSVS = sorted(MIRROR.rglob("*.csv")) if MIRROR and MIRROR.is_dir() else []


def _decoded(path: Path) -> str:
    """The text as the loaders decode it (UTF-8 with or without BOM, else CP932; strictly)."""
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    pytest.fail(f"{path} is neither UTF-8 nor CP932")


def _rows_or_error(reader, text: str):
    try:
        return reader(text, file="t.csv")
    except RawDataError as exc:
        return ("error", str(exc))


@pytest.mark.parametrize("path", CSVS, ids=[str(p.relative_to(MIRROR)) for p in CSVS] if CSVS else None)
def test__csv_rows_and_csv_reader_agree_on_every_mirror_csv(path):
    text = _decoded(path)
    assert _parse.csv_rows(text, file=path) == _parse._csv_rows_reader(text, file=path)


def test__the_mirror_has_quote_free_cp932_csvs_for_the_fast_path(request, monkeypatch):
    ssdse = [p for p in CSVS if p.name.startswith("SSDSE-")]
    if not ssdse:
        strict = request.config.getoption("--strict-data-files") or os.environ.get("CI", "").lower() in ("1", "true")
        if strict:
            pytest.fail("no SSDSE CSV found in HOKURIKU_MIRROR")
        pytest.skip("mirror not available")

    def reference_reader(*args, **kwargs):
        raise AssertionError("csv.reader used for a quote-free file")

    monkeypatch.setattr(_parse, "_csv_rows_reader", reference_reader)
    for path in ssdse:  # SSDSE files are CP932 without quotes: read by the fast path
        assert len(_parse.csv_rows(path.read_bytes().decode("cp932"), file=path)) > 40


@pytest.mark.parametrize("text", ["", "\n", "\n\n", "a", "a\n", "a\r\n", "a,b\r\n\r\nc,", ",\n,,", " \n", "a\rb",
                                  "a\r", "\r\n", '"a,b",c\n', 'a"b,c', '"a\nb"\n', '"open', "a\x00b\n", "a\u2028b\n",
                                  "a\x0cb\x1cc\x85d\n"])
def test__csv_rows_edge_cases_match_csv_reader(text):
    assert _rows_or_error(_parse.csv_rows, text) == _rows_or_error(_parse._csv_rows_reader, text)


def test__csv_rows_equals_csv_reader_on_generated_texts():
    pytest.importorskip("hypothesis")
    from hypothesis import given
    from hypothesis import strategies as st

    pieces = st.sampled_from(["a", "1", ",", ",", "\n", "\n", "\r\n", "\r", '"', '""', " ", "\x00", "\u2028", "あ", "\x85"])

    @given(st.lists(pieces, max_size=30).map("".join))
    def check(text):
        assert _rows_or_error(_parse.csv_rows, text) == _rows_or_error(_parse._csv_rows_reader, text)

    check()


def _per_column(grid: np.ndarray, columns: list[str], row_numbers: list[int]):
    try:
        out = [_parse.to_numeric(pd.Series(grid[:, j], dtype="object"), file="f", column=c, row_numbers=row_numbers)
               for j, c in enumerate(columns)]
    except RawDataError as exc:
        return ("error", str(exc))
    return (np.array([v.to_numpy() for v, _ in out]).reshape(len(columns), len(grid)),
            np.array([r.to_numpy() for _, r in out], dtype=object).reshape(len(columns), len(grid)))


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return all((math.isnan(x) and math.isnan(y)) or (x == y and math.copysign(1, x) == math.copysign(1, y))
               for x, y in zip(a.ravel(), b.ravel(), strict=True))


def test__to_numeric_grid_equals_to_numeric_column_by_column():
    pytest.importorskip("hypothesis")
    from hypothesis import given
    from hypothesis import strategies as st

    cell = st.one_of(st.from_regex(r"-?[0-9]{1,12}(\.[0-9]{0,4})?", fullmatch=True),
                     st.sampled_from(["1,234", "12,34", "△5", "X", "-", "…", "", " 7 ", "１２", "①", "1e400", "abc"]),
                     st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**6, 10**6))

    @given(st.integers(1, 5), st.integers(1, 4), st.data())
    def check(n_rows, n_cols, data):
        cells = data.draw(st.lists(cell, min_size=n_rows * n_cols, max_size=n_rows * n_cols))
        grid = np.empty((n_rows, n_cols), dtype=object)
        grid[:, :] = np.array(cells, dtype=object).reshape(n_rows, n_cols)
        columns = [f"c{j}" for j in range(n_cols)]
        rows = list(range(10, 10 + n_rows))
        expected = _per_column(grid, columns, rows)
        try:
            got = _parse.to_numeric_grid(grid, file="f", columns=columns, row_numbers=rows)
        except RawDataError as exc:
            got = ("error", str(exc))
        if isinstance(expected[0], str) or isinstance(got[0], str):  # a refusal: the same message
            assert got == expected
            return
        assert _same(got[0], expected[0])
        assert got[1].tolist() == expected[1].tolist()

    check()


def test__to_numeric_grid_refusal_names_row_and_column():
    grid = np.array([["1", "2"], ["3", "4①"], ["X", "5"]], dtype=object)
    with pytest.raises(RawDataError, match=r"row 12, column 'B'.*4①"):
        _parse.to_numeric_grid(grid, file="t.csv", columns=["A", "B"], row_numbers=[11, 12, 13])


def test__plain_numbers_arrow_and_python_paths_agree():
    """to_numeric reads small columns with Python's re/float() and large ones with Arrow: same cells, same values."""
    pytest.importorskip("hypothesis")
    from hypothesis import given
    from hypothesis import strategies as st

    text = st.one_of(st.from_regex(r"-?[0-9]{1,25}(,[0-9]{3}){0,3}(\.[0-9]{0,20})?", fullmatch=True),
                     st.from_regex(r"-?[0-9]{0,3}(,[0-9]{1,4})*\.?[0-9]*[eE]?[0-9]{0,3}", fullmatch=True),
                     st.text(alphabet="0123456789-.,+eE ①１²٣", max_size=12), st.just("9" * 400))

    @given(st.lists(text, min_size=1, max_size=50))
    def check(cells):
        texts = np.array(cells, dtype=object)
        mask_a, num_a = _parse._plain_numbers(texts, arrow=True)
        mask_p, num_p = _parse._plain_numbers(texts, arrow=False)
        assert mask_a.tolist() == mask_p.tolist()
        assert _same(num_a, num_p)

    check()
