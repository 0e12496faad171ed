"""The runner treats its inputs as data and survives crashes (issue #11 items 4, 6, 8; issue #13).

Fast tests: no notebook is executed except in the ``slow`` parallel-vs-sequential comparison.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from hokuriku import cli, paths
from hokuriku.errors import ParameterError
from hokuriku.reporting import notebooks

ATTACK = 'x"; touch {flag}; echo "'


# --- names and make variables are data ---------------------------------------------------------


@pytest.mark.parametrize("name", ["../../x", "../notebooks/10_regional_share", "/etc/passwd", "10_regional_share.ipynb", ""])
def test__notebook_must_be_one_of_the_project_notebooks(name, tmp_path, capsys):
    (tmp_path / "x.ipynb").write_text("{}")  # a notebook outside the project that a path could reach
    with pytest.raises(ParameterError, match="expected one of the project's notebooks"):
        notebooks.notebook_path(name)
    assert cli.main(["reports", "--notebook", name]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: Unknown notebook") and err.count("\n") == 1


def test__notebooks_are_discovered_from_the_folder(tmp_path, monkeypatch):
    for stem in ("20_b", "10_a", "70_ripple_effect", "notes", "9_short"):
        (tmp_path / f"{stem}.ipynb").write_text("{}")
    monkeypatch.setattr(paths, "NOTEBOOKS", tmp_path)
    assert notebooks.all_notebooks() == ["10_a", "20_b", "70_ripple_effect"]


def _fake_python(tmp_path: Path) -> Path:
    """A stand-in for ``.venv/bin/python`` that records what make handed it."""
    log = tmp_path / "calls.txt"
    fake = tmp_path / "fakepy"
    fake.write_text(textwrap.dedent(f"""\
        #!/bin/sh
        printf '%s|%s\\n' "$*" "$HOKURIKU_REGIONS" >> {log}
        """))
    fake.chmod(0o755)
    return fake


@pytest.mark.parametrize(("target", "var"), [("reports", "REGION"), ("reports-all", "REGIONS"), ("deck", "REGION")])
@pytest.mark.parametrize("attack", [ATTACK, "$(shell touch {flag})"])
def test__make_variables_never_reach_a_shell(tmp_path, target, var, attack):
    flag = tmp_path / "pwned"
    value = attack.format(flag=flag)
    fake = _fake_python(tmp_path)
    proc = subprocess.run(["make", "-s", target, f"PY={fake}", f"DATA_STAMP={tmp_path / 'data.stamp'}",
                           f"{var}={value}"], cwd=paths.PROJ_ROOT,
                          capture_output=True, text=True, check=False, env={**os.environ, "REGIONS": ""})
    assert proc.returncode == 0, proc.stderr
    assert not flag.exists(), "the make variable was executed as shell code"
    calls = (tmp_path / "calls.txt").read_text(encoding="utf-8").splitlines()
    cmd = "deck" if target == "deck" else "reports"
    assert any(c.startswith(f"-m hokuriku {cmd}") and c.endswith(f"|{value}") for c in calls), calls


def test__the_sweep_covers_every_meti_bureau_and_the_47_prefectures(tmp_path):
    from hokuriku.codes.prefectures import region

    fake = _fake_python(tmp_path)
    subprocess.run(["make", "-s", "reports-sweep", f"PY={fake}", f"DATA_STAMP={tmp_path / 'data.stamp'}"],
                   cwd=paths.PROJ_ROOT, check=True, capture_output=True)
    line = next(c for c in (tmp_path / "calls.txt").read_text().splitlines() if c.startswith("-m hokuriku reports"))
    specs = line.split("|", 1)[1].split()
    regions = {region(s).key for s in specs}
    assert len(specs) == len(regions) == 9 + 47
    assert {r for r in regions if r.endswith("_METI")} == {
        "HOKKAIDO_METI", "TOHOKU_METI", "KANTO_METI", "CHUBU_METI", "KINKI_METI", "CHUGOKU_METI", "SHIKOKU_METI",
        "KYUSHU_METI", "OKINAWA_METI"}


def test__the_cli_refuses_the_injected_region_as_data(monkeypatch, capsys, tmp_path):
    flag = tmp_path / "pwned"
    monkeypatch.setenv("HOKURIKU_REGIONS", ATTACK.format(flag=flag))
    assert cli.main(["reports", "--notebook", "60_cluster_kpi"]) == 2
    assert "Unknown region" in capsys.readouterr().err
    assert not flag.exists()


def test__regions_from_the_environment_are_split_on_whitespace(monkeypatch):
    seen = []
    monkeypatch.setattr(cli, "_cmd_deck", lambda args: seen.append(args.region) or 0)
    monkeypatch.delenv("HOKURIKU_REGIONS", raising=False)
    cli.main(["deck"])
    monkeypatch.setenv("HOKURIKU_REGIONS", " HOKURIKU3  16,17 ")
    cli.main(["deck"])
    cli.main(["deck", "--region", "18"])  # an explicit --region wins over the environment
    assert seen == [["HOKURIKU3"], ["HOKURIKU3", "16,17"], ["18"]]


# --- crash-safe swap -----------------------------------------------------------------------------


def _report(folder: Path, version: str, *, complete: bool = True) -> Path:
    folder.mkdir(parents=True)
    (folder / "table.csv").write_text(f"version,{version}\n")
    (folder / "nb.html").write_text(version)
    if complete:
        (folder / notebooks.STAMP).write_text(version)
    return folder


SWAP_SCRIPT = """
import sys
from pathlib import Path
from hokuriku.reporting import notebooks
notebooks.swap_in(Path(sys.argv[1]), Path(sys.argv[2]))
"""


@pytest.mark.parametrize(("point", "survivor"), [("before_backup", "old"), ("after_backup", "new"), ("after_swap", "new")])
def test__a_swap_killed_at_any_point_is_recovered(tmp_path, point, survivor):
    dest = _report(tmp_path / "60_cluster_kpi" / "p16", "old")
    staging = _report(tmp_path / "60_cluster_kpi" / ".p16.staging-abc", "new")
    proc = subprocess.run([sys.executable, "-c", SWAP_SCRIPT, str(staging), str(dest)], check=False,
                          env={**os.environ, "HOKURIKU_TEST_CRASH_AT": point}, capture_output=True)
    assert proc.returncode == -9, "the swap must have been killed"
    actions = notebooks.recover(dest)
    assert (dest / "table.csv").read_text() == f"version,{survivor}\n"
    assert (dest / "nb.html").read_text() == survivor
    assert sorted(p.name for p in dest.parent.iterdir()) == ["p16"], actions


def test__recover_restores_the_old_report_when_staging_is_incomplete(tmp_path):
    parent = tmp_path / "40_population"
    _report(parent / ".hokuriku3.old-123", "old")
    _report(parent / ".hokuriku3.staging-x", "half", complete=False)
    dest = parent / "hokuriku3"
    notebooks.recover(dest)
    assert (dest / "nb.html").read_text() == "old"
    assert sorted(p.name for p in parent.iterdir()) == ["hokuriku3"]


def test__leftovers_of_a_killed_run_are_removed_at_the_next_run(tmp_path):
    parent = tmp_path / "10_regional_share"
    dest = _report(parent / "hokuriku3", "current")
    _report(parent / ".hokuriku3.staging-k1", "half", complete=False)
    _report(parent / ".hokuriku3.old-k2", "older")
    _report(parent / ".p16.staging-k3", "other region")  # another folder's leftovers are not touched here
    notebooks.recover(dest)
    assert (dest / "nb.html").read_text() == "current"
    assert sorted(p.name for p in parent.iterdir()) == [".p16.staging-k3", "hokuriku3"]


def test__the_next_run_repairs_every_report_folder_a_killed_run_left(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(paths, "REPORTS", tmp_path)
    _report(tmp_path / "20_economic_structure" / ".chubu_meti.old-77", "old")  # killed after the first rename
    _report(tmp_path / "20_economic_structure" / ".chubu_meti.staging-9", "half", complete=False)
    _report(tmp_path / "30_manufacturing" / "p16", "current")
    _report(tmp_path / "30_manufacturing" / ".p16.staging-3", "half", complete=False)
    actions = notebooks.recover_all()
    assert len(actions) == 3, actions
    assert (tmp_path / "20_economic_structure" / "chubu_meti" / "nb.html").read_text() == "old"
    assert (tmp_path / "30_manufacturing" / "p16" / "nb.html").read_text() == "current"
    left = sorted(p.name for p in tmp_path.rglob("*") if p.is_dir() and p.parent.parent == tmp_path)
    assert left == ["chubu_meti", "p16"]


# --- errors and imports -----------------------------------------------------------------------------


def test__a_failing_cell_is_summarised_in_a_few_lines():
    from papermill.exceptions import PapermillExecutionError

    exc = PapermillExecutionError(
        cell_index=7, exec_count=5, source="# load the firms\nfirms = load_firms(firm_csv)\nfirms.head()",
        ename="InputError", evalue="\x1b[0;31mfirm file missing.csv not found\x1b[0m",
        traceback=["long", "traceback"] * 50,
    )
    job = notebooks.Job("60_cluster_kpi", "16", Path("nb.ipynb"), Path("out"), {}, "s")
    text = notebooks._summarise_failure(job, exc)
    assert text.splitlines() == [
        "60_cluster_kpi [16]: cell 7 failed: InputError: firm file missing.csv not found",
        "    in: firms = load_firms(firm_csv) …",
    ]


def test__a_noop_run_checks_stamps_without_heavy_imports(tmp_path):
    """The up-to-date check never imports papermill, nbconvert, jsonschema or matplotlib."""
    code = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from hokuriku import paths
        from hokuriku.reporting import notebooks
        paths.REPORTS = Path({str(tmp_path)!r})
        job, current = notebooks.prepare("60_cluster_kpi", {{"region": "16"}})
        job.dest.mkdir(parents=True)
        (job.dest / notebooks.STAMP).write_text(job.stamp)
        (job.dest / "60_cluster_kpi.html").write_text("x")
        from hokuriku import cli
        assert cli.main(["reports", "--notebook", "60_cluster_kpi", "--region", "16"]) == 0
        heavy = sorted(m for m in ("papermill", "nbconvert", "nbformat", "jsonschema", "matplotlib", "jupyter_client")
                       if m in sys.modules)
        print("HEAVY", heavy)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=paths.PROJ_ROOT)
    assert "1 report(s) up to date" in out.stdout
    assert "HEAVY []" in out.stdout


def test__workers_are_bounded_and_configurable(monkeypatch):
    from hokuriku import parallel

    monkeypatch.delenv("HOKURIKU_JOBS", raising=False)
    assert 1 <= notebooks.default_workers() <= (os.cpu_count() or 1)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    for load, expected in ((0.0, 2), (0.9, 2), (1.6, 1), (7.9, 1)):
        monkeypatch.setattr(os, "getloadavg", lambda load=load: (load, load, load))
        assert parallel.workers() == expected, load
    monkeypatch.setenv("HOKURIKU_JOBS", "3")
    assert notebooks.default_workers() == 3
    monkeypatch.setenv("HOKURIKU_JOBS", "3; rm -rf /")
    with pytest.raises(ParameterError, match="HOKURIKU_JOBS must be a positive integer"):
        notebooks.default_workers()


# --- parallel = sequential ------------------------------------------------------------------------


@pytest.mark.slow
def test__parallel_kernels_write_the_same_tables_as_a_sequential_run(tmp_path, monkeypatch, raw):
    raw("kogyo_tokei", "2019", "manufacturing_2019_table3-01.csv")
    name, regions = "60_cluster_kpi", ["16", "HOKURIKU4"]
    outputs = {}
    for workers in (1, 2):
        monkeypatch.setattr(paths, "REPORTS", tmp_path / f"w{workers}")
        jobs = [notebooks.prepare(name, {"region": r}, force=True)[0] for r in regions]
        results = notebooks.run_many(jobs, workers=workers)
        assert [err for _, _, err in results] == [None, None]
        outputs[workers] = {p.relative_to(tmp_path / f"w{workers}"): p for p in sorted((tmp_path / f"w{workers}").rglob("*.csv"))}
        for job in jobs:
            html = (job.dest / f"{name}.html").read_text(encoding="utf-8")
            assert "<img" in html and "No description has been provided" not in html
    assert outputs[1].keys() == outputs[2].keys() and len(outputs[1]) > 2
    for rel, path in outputs[1].items():
        pd.testing.assert_frame_equal(pd.read_csv(path), pd.read_csv(outputs[2][rel]), obj=str(rel))
