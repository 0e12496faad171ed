"""_csv_grid: whenever it reads a text column-wise, the cells are exactly csv.reader's."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hokuriku.sources import _csv_grid


def _reader(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _rows(table) -> list[list[str]]:  # noqa: ANN001
    return [list(r) for r in zip(*(c.to_pylist() for c in table.columns), strict=True)]


@pytest.mark.parametrize("text", [
    '"a","b, c","d"\n"1","2","3"\n',
    '"a","b"\r\n"",""\r\n',
    'a,b\n1,2',
    '"a",","\n"x","y"\n',
    '"北海道 札幌市","1,973,395"\n"x","　"\n',
    '"a",b\n"c","d"\n', '00700,全域,"5,575,989",,"-"\n1,2,"",x,y\n', ',"a,b",\n",",",",x\n',
])
def test__grid_arrow__reads_simple_grids_as_csv_reader(text):
    table = _csv_grid.grid_arrow(text)
    assert table is not None
    assert _rows(table) == _reader(text)


@pytest.mark.parametrize("text", [
    '"a""b","c"\n', '"a"b","c"\n', 'a"b,c\n', '"a","b"\n\n"c","d"\n', '"a",b"\n', ',"",""""\n', '"a\nb","c"\n',
    '"a","b"\r"c","d"\n', '"a","b"\n"c"\n', 'a,b\n1\n', "", "\n", '"\n', 'a,b\x00\n',
    '"a\r\n"', '"a\nb"\n', '"x"\n"a\n"\n',  # a line end inside a fully quoted field (found by hypothesis)
])
def test__grid_arrow__refuses_what_it_cannot_prove(text):
    assert _csv_grid.grid_arrow(text) is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='",\n\r ab', max_size=40))
def test__grid_arrow__never_disagrees_with_csv_reader(text):
    table = _csv_grid.grid_arrow(text)
    if table is not None:
        assert _rows(table) == _reader(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='",\r ab', max_size=20))
def test__simple_row__never_disagrees_with_csv_reader(line):
    row = _csv_grid.simple_row(line, quoted='"' in line)
    if row is not None and "\r" not in line:
        assert row == (_reader(line)[0] if line else [])


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 4).flatmap(lambda w: st.lists(st.lists(st.text(alphabet=',"\n ab　札', max_size=4),
                                                               min_size=w, max_size=w), min_size=1, max_size=5)),
       st.sampled_from(["\n", "\r\n"]), st.sampled_from([csv.QUOTE_ALL, csv.QUOTE_MINIMAL]))
def test__grid_arrow__quoted_files_as_csv_reader(rows, end, quoting):
    out = io.StringIO()
    csv.writer(out, quoting=quoting, lineterminator=end).writerows(rows)
    text = out.getvalue()
    table = _csv_grid.grid_arrow(text)
    if not any('"' in c or "\n" in c for r in rows for c in r):
        assert table is not None
    if table is not None:
        assert _rows(table) == _reader(text) == rows


def _quoted_fields_by_pieces(body: bytes) -> bool:
    """The reference of ``_csv_grid._quoted_fields``: the rule applied to the pieces between quotes."""
    parts = body.split(b'"')
    if len(parts) % 2 == 0:
        return False
    inner, outer = parts[1::2], parts[0::2]
    if any(b"\n" in p for p in inner):
        return False
    first, last, middle = outer[0], outer[-1], outer[1:-1]
    if (first and first[-1:] not in (b",", b"\n")) or (last and last[:1] not in (b",", b"\n")):
        return False
    return all(p and p[:1] in (b",", b"\n") and p[-1:] in (b",", b"\n") for p in middle)


def _fully_quoted_by_replacing(data: bytes) -> bool:
    """The reference of ``_csv_grid._fully_quoted``: the separators taken out, two quotes remain at the ends
    and no line end (one inside a field is not a separator)."""
    marked = data.replace(b'","', b"\x01").replace(b'"\n"', b"\x02")
    return (marked.count(b'"') == 2 and marked.startswith(b'"') and marked.endswith(b'"')
            and b"\n" not in marked)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet='",\n a札', max_size=30))
def test__quote_checks__as_their_references(text):
    data = text.encode("utf-8")
    assert _csv_grid._quoted_fields(data) == _quoted_fields_by_pieces(data)
    assert _csv_grid._fully_quoted(data) == _fully_quoted_by_replacing(data)


@pytest.mark.parametrize("text", ['"a","b"\n"c","d"', '","\n"', '"\n","', '"a","\n"b"', '"a"\n","b"', '""', '"',
                                  '","', '"\n"', 'a,"b"', '"a",b', ',"a",', '"a""b"', "", "a", ",", "\n"])
def test__quote_checks__edges_as_their_references(text):
    data = text.encode("utf-8")
    assert _csv_grid._quoted_fields(data) == _quoted_fields_by_pieces(data)
    assert _csv_grid._fully_quoted(data) == _fully_quoted_by_replacing(data)


def test__grid_arrow__reads_bytes_as_their_text():
    text = '"北海道 札幌市","1,973,395"\n"x","　"\n'
    assert _rows(_csv_grid.grid_arrow(text.encode("utf-8"))) == _rows(_csv_grid.grid_arrow(text)) == _reader(text)
    assert _csv_grid.grid_arrow('"a","b"\n"c","d"\n'.encode("utf-8").replace(b"c", b"\xff")) is None  # not UTF-8
