"""A table and a chart may share a stem without one hiding the other in outputs.json."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from hokuriku.reporting import outputs


def test__same_stem_table_and_chart_both_registered(tmp_path):
    outputs.save_table(pd.DataFrame({"a": [1]}), tmp_path, "x", "表", "(出所) 内閣府「県民経済計算」")
    fig = Figure()
    fig.add_subplot().plot([1, 2])
    outputs.save_chart(fig, tmp_path, "x", "図", "(出所) 内閣府「県民経済計算」")
    kinds = sorted(o["kind"] for o in outputs.read_outputs(tmp_path))
    assert kinds == ["chart", "table"]
    outputs.save_chart(fig, tmp_path, "x", "図（再）", "(出所) 内閣府「県民経済計算」")
    entries = outputs.read_outputs(tmp_path)
    assert len(entries) == 2 and {o["title_ja"] for o in entries} == {"表", "図（再）"}
