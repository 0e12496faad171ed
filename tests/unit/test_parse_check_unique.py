"""``_parse.check_unique``'s fast duplicate test agrees with ``DataFrame.duplicated`` (issue #13).

The check codes each key column (Arrow dictionary encoding for Arrow-backed text, ``pandas.factorize``
otherwise) and counts combined row keys; these tests hold it to the plain pandas definition on random
frames whose keys mix text, integers, floats (NaN, ±0.0, ±inf), booleans and missing values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from hokuriku.errors import LayoutError  # noqa: E402
from hokuriku.sources import _parse  # noqa: E402

TEXT = st.sampled_from(["16", "17", "016", "", " ", "総数", "男", "a", "A"])
KINDS = {  # dtype → values a column of that dtype may hold (None = the dtype's missing value)
    "str": st.one_of(TEXT, st.none()),
    "string[python]": st.one_of(TEXT, st.none()),
    "large_string[pyarrow]": st.one_of(TEXT, st.none()),
    "object": st.one_of(TEXT, st.none(), st.just(float("nan")), st.integers(0, 2)),
    "int64": st.integers(-2, 2) | st.sampled_from([2**62, -(2**63)]),
    "Int64": st.one_of(st.integers(-2, 2), st.none()),
    "float64": st.sampled_from([0.0, -0.0, 1.0, 1.5, float("nan"), float("inf"), -float("inf")]),
    "bool": st.booleans(),
    "boolean": st.one_of(st.booleans(), st.none()),
    "category": st.one_of(TEXT, st.none()),
    "int64[pyarrow]": st.one_of(st.integers(-2, 2), st.none()),
    "datetime64[ns]": st.one_of(st.sampled_from([pd.Timestamp("2020-10-01"), pd.Timestamp("2015-10-01")]), st.none()),
}


@st.composite
def frames(draw):  # noqa: ANN001, ANN201
    """A frame of 0-25 rows whose 1-4 columns (all keys) each take one dtype of ``KINDS``."""
    n = draw(st.integers(0, 25))
    kinds = draw(st.lists(st.sampled_from(sorted(KINDS)), min_size=1, max_size=4))
    data = {}
    for i, kind in enumerate(kinds):
        values = draw(st.lists(KINDS[kind], min_size=n, max_size=n))
        dtype = pd.ArrowDtype(pa.large_string()) if kind == "large_string[pyarrow]" else kind
        data[f"k{i}"] = pd.Series(values, dtype=dtype)
    df = pd.DataFrame(data, index=pd.RangeIndex(n))
    if n and draw(st.booleans()):  # split the Arrow-backed columns into several chunks
        df = pd.concat([df.iloc[: n // 2], df.iloc[n // 2:]], ignore_index=True)
    return df


@settings(max_examples=300, deadline=None)
@given(frames())
def test__check_unique__raises_exactly_when_pandas_finds_a_duplicate(df):
    keys = list(df.columns)
    expected = bool(df.duplicated(keys, keep=False).any())
    assert _parse._has_duplicates(df, keys) in (expected, None)
    if expected:
        with pytest.raises(LayoutError, match="rows for"):
            _parse.check_unique(df, keys, file="t")
    else:
        _parse.check_unique(df, keys, file="t")


def test__check_unique__names_the_first_duplicated_key_with_missing_values():
    df = pd.DataFrame({"code": pd.Series(["16", None, "17", None, None], dtype="str"),
                       "year": pd.array([2020, 2020, 2020, 2020, 2021], dtype="Int64")})
    with pytest.raises(LayoutError, match=r"2 rows for \{'code': None, 'year': '2020'\}"):
        _parse.check_unique(df, ["code", "year"], file="t")


def test__check_unique__a_key_space_beyond_int64_is_refactorized():
    rng = np.random.default_rng(0)
    n = 20_000
    cols = {f"k{i}": pd.Series(rng.permutation(n).astype(str), dtype="str") for i in range(5)}  # 20000**5 > 2**63
    df = pd.DataFrame(cols)
    assert _parse._has_duplicates(df, list(cols)) is False
    _parse.check_unique(df, list(cols), file="t")
    dup = pd.concat([df, df.iloc[[123]]], ignore_index=True)
    assert _parse._has_duplicates(dup, list(cols)) is True
    with pytest.raises(LayoutError, match="2 rows for"):
        _parse.check_unique(dup, list(cols), file="t")


def test__check_unique__a_repeated_column_label_takes_the_pandas_path():
    df = pd.DataFrame([["16", "a"], ["16", "b"]], columns=["code", "code"])
    assert _parse._has_duplicates(df, ["code"]) is None


def test__missing_values_of_different_kinds_in_an_object_column_are_not_duplicates():
    """``duplicated`` tells None, NaN and pd.NA apart in an object column (found by the property test above)."""
    df = pd.DataFrame({"k0": pd.Series([None, float("nan"), pd.NA], dtype=object)})
    assert not df.duplicated(["k0"]).any()
    assert _parse.has_duplicates(df, ["k0"]) is False
    _parse.check_unique(df, ["k0"], file="t.csv")
    twice = pd.DataFrame({"k0": pd.Series([None, "a", None], dtype=object)})
    assert _parse.has_duplicates(twice, ["k0"]) is True
