"""The papermill runner: parameters validated before any work; reruns skip unchanged notebooks."""

from __future__ import annotations

import pytest

from hokuriku import paths
from hokuriku.errors import ParameterError
from hokuriku.reporting import notebooks

NAME = "60_cluster_kpi"  # the quickest notebook


def test__unknown_parameter_is_refused_before_running():
    with pytest.raises(ParameterError, match=r"unknown parameter\(s\) \['regoin'\]"):
        notebooks.validate_parameters(NAME, {"regoin": "HOKURIKU3"})


def test__ill_typed_parameter_is_refused_before_running():
    with pytest.raises(ParameterError, match="parameter 'base_year' must be int"):
        notebooks.validate_parameters(NAME, {"base_year": "2016"})


def test__unknown_region_is_refused_before_running():
    with pytest.raises(ParameterError, match="Unknown region 'Hokuriku9'"):
        notebooks.validate_parameters(NAME, {"region": "Hokuriku9"})


def test__every_notebook_declares_region_and_out_dir():
    for name in notebooks.all_notebooks():
        declared = notebooks.declared_parameters(notebooks.notebook_path(name))
        assert declared.get("region") == "HOKURIKU3", name
        assert "out_dir" in declared, name


@pytest.mark.slow
def test__rerun_skips_unchanged_and_reruns_on_new_parameters(tmp_path, monkeypatch, raw):
    raw("kogyo_tokei", "2019", "manufacturing_2019_table3-01.csv")
    monkeypatch.setattr(paths, "REPORTS", tmp_path)
    dest = notebooks.run(NAME, {"region": "16"}, force=True)
    html = dest / f"{NAME}.html"
    first = html.stat().st_mtime_ns
    assert notebooks.run(NAME, {"region": "16"}) == dest
    assert html.stat().st_mtime_ns == first, "an unchanged rerun must not execute the notebook again"
    other = notebooks.run(NAME, {"region": "16", "growth_pct": 30.0})
    assert dest.name == "富山県" and other.name.startswith("富山県__"), "folders are named after the region"
    assert (other / f"{NAME}.html").exists(), "a changed parameter must rebuild"
    assert html.stat().st_mtime_ns == first, "a run with other parameters must not overwrite the default report"
    notebooks.run(NAME, {"region": "16"}, force=True)
    assert (other / f"{NAME}.html").exists(), "the next default run must not overwrite a what-if report"


@pytest.mark.slow
def test__failed_run_keeps_the_previous_report_whole(tmp_path, monkeypatch, raw):
    """A run that fails half-way (bad firm file after the baseline tables were saved) changes nothing."""
    raw("kogyo_tokei", "2016", "manufacturing_2016_table3-01.csv")
    monkeypatch.setattr(paths, "REPORTS", tmp_path)
    dest = notebooks.run(NAME, {"region": "16"}, force=True)
    before = {p.name: p.read_bytes() for p in dest.iterdir()}
    (dest / "stale_from_an_old_version.png").write_bytes(b"old")
    with pytest.raises(Exception, match="not found"):
        notebooks.run(NAME, {"region": "16", "firm_csv": str(tmp_path / "missing_firms.csv")}, force=True)
    after = {p.name: p.read_bytes() for p in dest.iterdir()}
    assert after == {**before, "stale_from_an_old_version.png": b"old"}
    assert [p.name for p in tmp_path.rglob(".*staging*")] == []
    # a successful run replaces the whole folder: stale files of older notebook versions disappear
    notebooks.run(NAME, {"region": "16"}, force=True)
    assert not (dest / "stale_from_an_old_version.png").exists()
