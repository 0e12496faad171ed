"""The fast CSV and number paths give what the reference paths give, cell for cell (issue #13).

- ``_parse.csv_rows`` (``str.split`` on quote-free text) and ``_parse.csv_arrow`` (pyarrow's C++ reader, the
  vectorised path of the SSDSE loaders) vs ``csv.reader`` (``_parse._csv_rows_reader``): on every CSV file
  of the mirror, and on generated texts with quotes, bare CRs, NULs and blank lines;
- ``_parse.to_numeric_arrow`` (Arrow columns) vs ``_parse.to_numeric`` column by column;
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

from hokuriku.errors import LayoutError, RawDataError
from hokuriku.sources import _csv_grid, _parse

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


def _arrow_rows(text: str):
    """The cells of ``_parse.csv_arrow`` as rows (None when it declines the text)."""
    table = _parse.csv_arrow(text)
    if table is None:
        return None
    return [list(r) for r in zip(*(c.to_pylist() for c in table.columns), strict=True)]


def _rows_or_error(reader, text: str):
    try:
        return reader(text, file="t.csv")
    except RawDataError as exc:
        return ("error", str(exc))


@pytest.mark.parametrize("path", CSVS, ids=[str(p.relative_to(MIRROR)) for p in CSVS] if CSVS else None)
def test__csv_rows_and_csv_reader_agree_on_every_mirror_csv(path):
    text = _decoded(path)
    reference = _parse._csv_rows_reader(text, file=path)
    assert _parse.csv_rows(text, file=path) == reference
    arrow = _arrow_rows(text)
    assert arrow is None or arrow == reference
    if path.name.startswith("SSDSE-"):
        assert arrow is not None, "the SSDSE loaders' vectorised path reads this file"
    grid = _csv_grid.grid_arrow(text)  # the census/IPSS reader (quoted grids too)
    if grid is not None:
        rows = [list(r) for r in zip(*(c.to_pylist() for c in grid.columns), strict=True)]
        assert rows == [r for r in reference if r], f"{path.name}: _csv_grid.grid_arrow differs from csv.reader"


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
                                  "a\x0cb\x1cc\x85d\n", "\ufeffa,b\n1,2\n"])
def test__csv_rows_edge_cases_match_csv_reader(text):
    reference = _rows_or_error(_parse._csv_rows_reader, text)
    assert _rows_or_error(_parse.csv_rows, text) == reference
    arrow = _arrow_rows(text)
    assert arrow is None or arrow == reference


def test__csv_rows_equals_csv_reader_on_generated_texts():
    pytest.importorskip("hypothesis")
    from hypothesis import given
    from hypothesis import strategies as st

    pieces = st.sampled_from(["a", "1", ",", ",", "\n", "\n", "\r\n", "\r", '"', '""', " ", "\x00", "\u2028", "あ",
                              "\x85", "\ufeff"])

    @given(st.lists(pieces, max_size=30).map("".join))
    def check(text):
        reference = _rows_or_error(_parse._csv_rows_reader, text)
        assert _rows_or_error(_parse.csv_rows, text) == reference
        arrow = _arrow_rows(text)
        assert arrow is None or arrow == reference

    check()


def test__csv_arrow_reads_quote_free_grids_and_declines_the_rest():
    assert _arrow_rows("a,b\r\n1,2\r\n") == [["a", "b"], ["1", "2"]]
    assert _arrow_rows("a,,\n,,\n") == [["a", "", ""], ["", "", ""]]
    assert _arrow_rows(" x \u3000,NA\n") == [[" x \u3000", "NA"]]  # no trimming, no null markers
    for text in ['"a",b\n', "a\rb\n", "a,b\n\n1,2\n", "a,b\n1\n", "", "\n", "\ufeffa,b\n"]:
        assert _parse.csv_arrow(text) is None, repr(text)


def test__csv_arrow_equals_csv_reader_on_generated_grids():
    pytest.importorskip("hypothesis")
    from hypothesis import given
    from hypothesis import strategies as st

    field = st.text(alphabet="a1 -.,X\x00\u2028あ\t\ufeff", max_size=4).map(lambda t: t.replace(",", ""))

    @given(st.integers(1, 4), st.lists(st.lists(field, min_size=1, max_size=4), min_size=1, max_size=6),
           st.sampled_from(["\n", "\r\n"]), st.booleans())
    def check(width, rows, end, final):
        lines = [",".join((r * width)[:width]) for r in rows]
        text = end.join(lines) + (end if final else "")
        assert _arrow_rows(text) in (None, _parse._csv_rows_reader(text, file="t.csv"))
        if all(lines) and not text.startswith("\ufeff"):  # a grid (no empty line, no BOM): the Arrow path reads it
            assert _arrow_rows(text) == _parse._csv_rows_reader(text, file="t.csv")

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


def _assert_as_per_column(convert, grid, names, rows):  # noqa: ANN001
    """``convert()`` gives what :func:`_parse.to_numeric` column by column gives, or refuses with its message."""
    expected = _per_column(grid, names, rows)
    try:
        got = convert()
    except RawDataError as exc:
        got = ("error", str(exc))
    if isinstance(expected[0], str) or isinstance(got[0], str):  # a refusal: the same message
        assert got == expected
        return
    assert _same(got[0], expected[0])
    assert got[1].tolist() == expected[1].tolist()


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
        _assert_as_per_column(lambda: _parse.to_numeric_grid(grid, file="f", columns=columns, row_numbers=rows),
                              grid, columns, rows)

    check()


def test__to_numeric_arrow_equals_to_numeric_column_by_column():
    pytest.importorskip("hypothesis")
    import pyarrow as pa
    from hypothesis import given
    from hypothesis import strategies as st

    cell = st.one_of(st.from_regex(r"-?[0-9]{1,12}(\.[0-9]{0,4})?", fullmatch=True),
                     st.sampled_from(["1,234", "12,34", "△5", "X", "-", "…", "", " 7 ", "１２", "①", "1e400", "abc",
                                      "9" * 400]))

    @given(st.integers(1, 60), st.integers(1, 5), st.data())
    def check(n_rows, n_cols, data):
        cells = data.draw(st.lists(cell, min_size=n_rows * n_cols, max_size=n_rows * n_cols))
        grid = np.array(cells, dtype=object).reshape(n_rows, n_cols)
        names = [f"c{j}" for j in range(n_cols)]
        rows = list(range(4, 4 + n_rows))
        columns = [pa.array(list(grid[:, j]), type=pa.large_string()) for j in range(n_cols)]
        _assert_as_per_column(lambda: _parse.to_numeric_arrow(columns, file="f", names=names, row_numbers=rows),
                              grid, names, rows)

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


def _combine_row_by_row(notes: dict) -> list:
    """The reference of ``combine_notes``: each row formatted in Python (the former implementation)."""
    columns = list(notes)
    index = notes[columns[0]].index
    frames = [notes[c].reindex(index).tolist() for c in columns]
    return [("; ".join(f"{c}={r}" for c, r in zip(columns, row, strict=True) if isinstance(r, str) and r) or None)
            for row in zip(*frames, strict=True)]


def _row_notes_row_by_row(reasons: dict) -> list:
    """The reference of ``row_notes``: positional, every cell that is not None (the former implementation)."""
    columns = list(reasons)
    n = len(reasons[columns[0]])
    return [("; ".join(f"{c}:{reasons[c].iloc[i]}" for c in columns if reasons[c].iloc[i] is not None) or None)
            for i in range(n)]


def test__combine_notes_and_row_notes_equal_row_by_row_formatting():
    pytest.importorskip("hypothesis")
    from hypothesis import given
    from hypothesis import strategies as st

    reason = st.sampled_from([None, math.nan, "", "nil", "suppressed", "x y", 3, pd.NA])

    @given(st.integers(0, 12), st.integers(1, 4), st.booleans(), st.data())
    def check(n, k, as_str, data):
        notes = {}
        for j in range(k):
            cells = data.draw(st.lists(reason, min_size=n, max_size=n))
            series = pd.Series(cells, dtype="object")
            if as_str and j == 0:
                series = pd.Series([c if isinstance(c, str) else None for c in cells], dtype="str")
            notes[f"c{j}"] = series
        assert _parse.combine_notes(notes).tolist() == _combine_row_by_row(notes)
        assert _parse.row_notes(notes).tolist() == _row_notes_row_by_row(notes)

    check()


def test__combine_notes_with_many_distinct_combinations():
    """30 columns × 150 reasons: more combinations than an int64 holds, renumbered on the way."""
    rng = np.random.default_rng(0)
    n = 500
    notes = {f"c{j}": pd.Series(np.where(rng.random(n) < 0.7, np.char.add("r", rng.integers(0, 150, n).astype(str))
                                         .astype(object), None), dtype="object") for j in range(30)}
    assert _parse.combine_notes(notes).tolist() == _combine_row_by_row(notes)


def test__layouts_are_read_once_per_file_version(tmp_path, monkeypatch):
    """One cached frame per layout file version; an edited file is read again; load_layout hands out copies."""
    import time

    from hokuriku import paths

    monkeypatch.setattr(paths, "LAYOUTS", tmp_path)
    (tmp_path / "demo").mkdir()
    f = tmp_path / "demo" / "files.csv"
    f.write_text("vintage,file\n2024,a.csv\n", encoding="utf-8")
    first = _parse.shared_layout("demo", "files")
    assert _parse.shared_layout("demo", "files") is first
    copy = _parse.load_layout("demo", "files")
    copy.loc[0, "file"] = "edited"
    assert first.loc[0, "file"] == "a.csv"
    time.sleep(0.01)
    f.write_text("vintage,file\n2025,b.csv\n", encoding="utf-8")
    again = _parse.shared_layout("demo", "files")
    assert again is not first and again["file"].tolist() == ["b.csv"]


def test__lookups_derived_from_a_layout_follow_the_file(tmp_path, monkeypatch):
    """``layout_derived`` computes a lookup once per version of the layout file, again after an edit."""
    import time

    from hokuriku import paths

    monkeypatch.setattr(paths, "LAYOUTS", tmp_path)
    (tmp_path / "demo").mkdir()
    f = tmp_path / "demo" / "files.csv"
    f.write_text("vintage,file\n2024,a.csv\n", encoding="utf-8")
    calls = []

    def files(frame):  # noqa: ANN001, ANN202
        calls.append(1)
        return frame["file"].tolist()

    assert _parse.layout_derived("demo", "files", "names", files) == ["a.csv"]
    assert _parse.layout_derived("demo", "files", "names", files) == ["a.csv"] and len(calls) == 1
    time.sleep(0.01)
    f.write_text("vintage,file\n2025,b.csv\n", encoding="utf-8")
    assert _parse.layout_derived("demo", "files", "names", files) == ["b.csv"] and len(calls) == 2


@pytest.mark.parametrize("path", [p for p in CSVS if p.name.startswith("SSDSE-")], ids=lambda p: p.name)
def test__csv_arrow_numbers_equals_csv_arrow_and_to_numeric_arrow_on_ssdse(path):
    """The SSDSE loaders' fast path: Arrow reads the value columns as numbers, the same values as the cells."""
    text = _decoded(path)
    skip = 3 if path.name.startswith("SSDSE-A") else 2
    numbers = _parse.csv_arrow_numbers(text, skip_rows=skip, first_number=3)
    assert numbers is not None  # every value cell of every edition is a plain number
    table = _parse.csv_arrow(text).slice(skip)
    values, _ = _parse.to_numeric_arrow(table.columns[3:], file=path, names=table.column_names[3:])
    assert [c.to_pylist() for c in numbers[0]] == [c.to_pylist() for c in table.columns[:3]]
    assert _same(numbers[1].reshape(-1), values.reshape(-1))
    head, keys, direct = _parse.cp932_grid_numbers(path.read_bytes(), skip_rows=skip, first_number=3)
    assert head == _parse.head_lines(text, skip)
    assert [c.to_pylist() for c in keys] == [c.to_pylist() for c in table.columns[:3]]
    assert _same(direct.reshape(-1), values.reshape(-1))


def test__cp932_grid_numbers_equals_the_decoded_text_path():
    """From the CP932 bytes: the same header cells, key cells and values as decoding the text first, or None — and
    None whenever the bytes do not decode (double-byte names with 0x5C/0x7C trail bytes, half-width kana, broken
    lead bytes, a BOM)."""
    pytest.importorskip("hypothesis")
    from hypothesis import given
    from hypothesis import strategies as st

    name = st.sampled_from(["富山市", "ソ表", "ﾄﾔﾏ", "能美市", "x", "予"]).map(lambda t: t.encode("cp932"))
    broken = st.sampled_from([b"\x83", b"\x81\x20", b"\xa0", b"\x80", b"\xef\xbb\xbf"])
    number = st.from_regex(r"-?[0-9]{1,9}(\.[0-9]{1,3})?", fullmatch=True).map(str.encode)
    value = st.one_of(number, st.sampled_from([b"X", b"-", b"", b"nan", b"1e400", " ".encode(), "１".encode("cp932")]))

    @given(st.integers(1, 8), st.integers(1, 3), st.booleans(), st.data())
    def check(n_rows, n_cols, clean, data):
        key = name if clean else st.one_of(name, broken)
        lines = [b"code,name," + b",".join(data.draw(st.lists(key, min_size=n_cols, max_size=n_cols)))]
        for _ in range(n_rows):
            cells = data.draw(st.lists(number if clean else value, min_size=n_cols, max_size=n_cols))
            lines.append(b"R1," + data.draw(key) + b"," + b",".join(cells))
        raw = b"\r\n".join(lines) + b"\r\n"
        got = _parse.cp932_grid_numbers(raw, skip_rows=1, first_number=2)
        try:
            text = raw.decode("cp932")
        except UnicodeDecodeError:
            assert got is None
            return
        expected = _parse.csv_arrow_numbers(text, skip_rows=1, first_number=2)
        if got is None:
            assert expected is None or raw.startswith(b"\xef\xbb\xbf")
            return
        assert got[0] == _parse.head_lines(text, 1)
        assert [c.to_pylist() for c in got[1]] == [c.to_pylist() for c in expected[0]]
        assert _same(got[2].reshape(-1), expected[1].reshape(-1))

    check()


def test__csv_arrow_numbers_takes_only_cells_parse_cell_reads_as_the_same_number():
    """Whenever Arrow's reader takes every value cell as a finite float, to_numeric_arrow gives the same values and
    no reason; anything else (symbols, blanks, nan/inf, overflow, full-width digits …) declines the fast path."""
    pytest.importorskip("hypothesis")
    from hypothesis import given
    from hypothesis import strategies as st

    number = st.from_regex(r"[ \t]?[+-]?([0-9]{1,25}(\.[0-9]{0,20})?|\.[0-9]{1,20})([eE][+-]?[0-9]{1,3})?[ \t]?",
                           fullmatch=True)
    cell = st.one_of(number, st.text(alphabet="0123456789-.+eE \tnaifNAIF①１٣X", max_size=10),
                     st.sampled_from(["nan", "inf", "-Infinity", "1e400", "-0", " 5 ", "\t5", "5.", ".5", "+.5e-3",
                                      "X", "-", "", "…", "１２"]))

    @given(st.integers(1, 12), st.integers(1, 4), st.booleans(), st.data())
    def check(n_rows, n_cols, numbers_only, data):
        cells = data.draw(st.lists(number if numbers_only else cell, min_size=n_rows * n_cols,
                                   max_size=n_rows * n_cols))
        lines = ["k,h," + ",".join(f"c{j}" for j in range(n_cols))]
        lines += [f"r{i},x,{','.join(cells[i * n_cols:(i + 1) * n_cols])}" for i in range(n_rows)]
        text = "\r\n".join(lines) + "\r\n"
        numbers = _parse.csv_arrow_numbers(text, skip_rows=1, first_number=2)
        if numbers is None:
            return
        table = _parse.csv_arrow(text).slice(1)
        values, reasons = _parse.to_numeric_arrow(table.columns[2:], file="f", names=table.column_names[2:])
        assert _same(numbers[1].reshape(-1), values.reshape(-1))
        assert np.signbit(numbers[1]).tolist() == np.signbit(values).tolist()  # -0 stays -0
        assert all(r is None for r in reasons.reshape(-1))

    check()


def test__stack_columns_codes_equal_pandas():
    """The codes of a long table's text columns taken from stack_columns' inputs (factorize, n_distinct, codes_at,
    rows_with, first_rows_of, stacked_duplicates) are pandas' on the same cells; on a deep copy too, and a column
    edited afterwards is factorised by pandas again."""
    pytest.importorskip("hypothesis")
    from hypothesis import given
    from hypothesis import strategies as st

    word = st.sampled_from(["a", "b", "c", "北陸", "x y"])

    @given(st.lists(word, min_size=1, max_size=6), st.lists(word, min_size=1, max_size=5),
           st.lists(st.one_of(st.none(), word), min_size=1, max_size=4), st.data())
    def check(row_values, item_values, other_items, data):
        items = other_items[:len(item_values)] + [None] * (len(item_values) - len(other_items))
        m, n = len(item_values), len(row_values)
        values = np.zeros((m, n))
        frame = _parse.stack_columns({"r": row_values}, {"i": item_values, "o": items}, values,
                                     (np.empty(0, dtype=np.int64), np.empty(0, dtype=object)))
        copy = frame.copy(deep=True)
        assert all(_parse.known_codes(copy[c]) for c in ("r", "i", "o"))  # the stack_columns path is the one tested
        for df in (frame, copy):
            for column in ("r", "i", "o"):
                codes, uniques = pd.factorize(df[column])
                got_codes, got_uniques = _parse.factorize(df[column])
                assert got_codes.tolist() == codes.tolist() and got_uniques == list(uniques)
                assert _parse.n_distinct(df[column]) == len(uniques)
                rows = np.array(sorted(data.draw(st.sets(st.integers(0, m * n - 1)))), dtype=np.int64)
                assert _parse.codes_at(df[column], rows)[0].tolist() == codes[rows].tolist()
                wanted = set(data.draw(st.lists(word, max_size=3)))
                got_rows, got_at, _ = _parse.rows_with(df[column], wanted)
                expected = np.flatnonzero(df[column].isin(wanted).to_numpy() & df[column].notna().to_numpy())
                assert got_rows.tolist() == expected.tolist() and got_at.tolist() == codes[expected].tolist()
                k = int(codes.max()) + 1
                first = [int(np.flatnonzero(codes == c)[0]) for c in range(k)]
                assert _parse.first_rows_of(df[column], k).tolist() == first
            for keys in (["r"], ["i"], ["r", "i"], ["r", "o"], ["i", "o"], ["r", "i", "o"], ["r", "value"]):
                known = _parse.stacked_duplicates(df, keys)
                duplicated = bool(df.duplicated(keys).any())
                assert known is None or known == duplicated, keys
                try:  # check_unique asks stacked_duplicates first: it must still refuse exactly the duplicates
                    _parse.check_unique(df, keys, file="t.csv")
                    refused = False
                except LayoutError:
                    refused = True
                assert refused == duplicated, keys
        edited = copy.copy()
        edited.loc[0, "r"] = "edited"
        assert not _parse.known_codes(edited["r"])
        codes, uniques = pd.factorize(edited["r"])
        assert _parse.factorize(edited["r"])[0].tolist() == codes.tolist()

    check()


def test__first_rows_equal_numpy_unique():
    """``_parse.first_rows`` (one pass for codes numbered in order of appearance, np.unique otherwise) gives
    np.unique's first index of every code >= 0, whatever the numbering (shared by SSDSE and RIETI)."""
    pytest.importorskip("hypothesis")
    from hypothesis import given
    from hypothesis import strategies as st

    @given(st.lists(st.integers(-1, 6), max_size=60), st.booleans())
    def check(values, renumber):
        codes = np.array(values, dtype=np.int64)
        if renumber:  # as pd.factorize numbers them: in order of first appearance, -1 kept
            codes = pd.factorize(pd.Series(codes).where(codes >= 0))[0].astype(np.int64)
        distinct, at = np.unique(codes, return_index=True)
        k = int((distinct >= 0).sum())
        assert _parse.first_rows(codes, k).tolist() == at[distinct >= 0].tolist()

    check()
