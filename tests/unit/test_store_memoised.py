"""``store.memoised`` hands out shallow copies: a loader editing its frame cannot change the cached one.

pandas' copy-on-write copies a column when a copy is edited in place; these tests edit a memoised
frame every way a loader could through the pandas API and check that the next caller still gets the
frame as first parsed (issue #13: the deep copy per call cost ≈0.05 s CPU per build).
"""

from __future__ import annotations

import re
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hokuriku import store


def _frame() -> pd.DataFrame:
    df = pd.DataFrame({
        "code": pd.array(["16", "17", "18"], dtype="str"),
        "count": pd.array([1, None, 3], dtype="Int64"),
        "value": [1.5, np.nan, 3.0],
        "n": np.array([10, 20, 30], dtype="int64"),
        "flag": [True, False, True],
        "note": np.array(["a", None, "c"], dtype=object),
        "date": pd.to_datetime(["2020-10-01", "2020-10-01", "2015-10-01"]),
        "kind": pd.Categorical(["x", "y", "x"]),
    }, index=pd.Index([5, 6, 7], name="row"))
    df.columns.name = "cols"
    df.attrs["notes"] = {"16": ["p"]}
    return df


EDITS = {
    "setitem new column": lambda d: d.__setitem__("extra", 1),
    "setitem overwrite": lambda d: d.__setitem__("value", 0.0),
    "loc scalar": lambda d: d.loc.__setitem__((5, "code"), "99"),
    "iloc scalar": lambda d: d.iloc.__setitem__((0, 1), 42),
    "loc rows": lambda d: d.loc.__setitem__((d["flag"], "note"), "zz"),
    "iloc column slice": lambda d: d.iloc.__setitem__((slice(None), 3), 0),
    "chained on a column": lambda d: d["n"].__setitem__(5, -1),
    "fillna inplace": lambda d: d.fillna({"value": 0.0, "count": 0}, inplace=True),
    "drop inplace": lambda d: d.drop(columns=["kind"], inplace=True),
    "rename inplace": lambda d: d.rename(columns={"code": "pref"}, inplace=True),
    "sort inplace": lambda d: d.sort_index(ascending=False, inplace=True),
    "reset_index inplace": lambda d: d.reset_index(inplace=True),
    "replace inplace": lambda d: d.replace({"code": {"16": "X"}}, inplace=True),
    "categories": lambda d: d.__setitem__("kind", d["kind"].cat.rename_categories(["u", "v"])),
    "attrs nested": lambda d: d.attrs["notes"]["16"].append("q"),
    "attrs key": lambda d: d.attrs.__setitem__("other", 1),
    "index name": lambda d: setattr(d.index, "name", "changed"),
    "columns name": lambda d: setattr(d.columns, "name", "changed"),
    "index replaced": lambda d: setattr(d, "index", pd.RangeIndex(3)),
    "numpy view": lambda d: d["n"].to_numpy().__setitem__(0, -5),  # read-only under copy-on-write
    "datetime": lambda d: d.loc.__setitem__((6, "date"), pd.Timestamp("1999-01-01")),
}


@pytest.mark.filterwarnings("ignore::Warning")  # pandas deprecates some inplace= edits; loaders may still use them
@pytest.mark.parametrize("edit", sorted(EDITS))
def test__memoised__an_edited_copy_leaves_the_cached_frame_intact(edit):
    calls = []

    def load(vintage):  # noqa: ANN001, ANN202
        calls.append(vintage)
        return _frame()

    module = types.SimpleNamespace(load=load)
    with store.memoised(module):
        first = module.load("2020")
        try:
            EDITS[edit](first)
        except ValueError:  # a read-only buffer refusing the write is isolation too
            pass
        again = module.load("2020")
    assert calls == ["2020"]  # parsed once
    expected = _frame()
    pd.testing.assert_frame_equal(again, expected, check_exact=True)
    assert again.attrs == expected.attrs
    assert again.index.name == "row" and again.columns.name == "cols"
    assert module.load is load  # unwrapped after the block


def test__memoised__copies_are_independent_of_each_other():
    module = types.SimpleNamespace(load=lambda vintage: _frame())
    with store.memoised(module):
        a, b = module.load("2020"), module.load("2020")
        a.loc[5, "value"] = 100.0
        a["code"] = "00"
        assert b.loc[5, "value"] == 1.5 and b["code"].tolist() == ["16", "17", "18"]


def test__no_loader_writes_into_the_buffers_behind_a_frame():
    """Copy-on-write does not cover writes into ``.array``/``.values``/``to_numpy()`` buffers: no loader may do it."""
    pattern = re.compile(r"\.(array|values|to_numpy\(\))\[[^\]]*\]\s*(=[^=]|[-+*/]=)")
    sources = Path(store.__file__).parent / "sources"
    offenders = [f"{p.name}:{i}" for p in sorted(sources.glob("*.py"))
                 for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert offenders == []
