"""Vintage "latest": the newest declared vintage, so a new vintage folder in data/raw changes reports without code.

Works on a copy of ``data/raw/juki`` in a temporary folder (``paths.RAW`` monkeypatched); nothing is left in data/raw.
"""

from __future__ import annotations

import shutil

import pytest

from hokuriku import manifest, paths, store


@pytest.fixture
def raw_copy(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW / "juki", raw / "juki", ignore=shutil.ignore_patterns("*.xlsx", "*.csv"))
    monkeypatch.setattr(paths, "RAW", raw)
    monkeypatch.setattr(paths, "PROCESSED", tmp_path / "processed")
    return raw / "juki"


def _copy_as(folder, old: str, new: str) -> None:
    (folder / new).mkdir()
    text = (folder / old / "MANIFEST.yml").read_text(encoding="utf-8")
    assert f'vintage: "{old}"' in text
    (folder / new / "MANIFEST.yml").write_text(text.replace(f'vintage: "{old}"', f'vintage: "{new}"'), encoding="utf-8")


def test__latest__is_the_newest_declared_and_the_default(raw_copy):
    assert store.latest_vintage("juki") == "2025-01-01"
    assert store.resolve_vintage("juki", "latest") == store.resolve_vintage("juki", None) == "2025-01-01"
    assert store.resolve_vintage("juki", "2022-01-01_derived") == "2022-01-01_derived"


def test__latest__a_copied_manifest_as_a_newer_vintage_is_picked_up(raw_copy):
    _copy_as(raw_copy, "2025-01-01", "2026-01-01")
    assert store.latest_vintage("juki") == "2026-01-01"
    assert store.default_vintage("juki") == "2026-01-01"
    assert ("juki", "2026-01-01", "population") in {(r.source, r.vintage, r.table) for r in store.plan(["juki"])}


def test__latest__a_suffixed_edition_ranks_below_the_plain_id_of_its_date(raw_copy):
    for v in ("2023-01-01", "2024-01-01", "2025-01-01"):
        shutil.rmtree(raw_copy / v)
    # 2021-01-01, 2022-01-01 (xlsx) and their _derived CSV editions remain: the xlsx of the newest date wins.
    assert manifest.vintages("juki")[-1] == "2022-01-01_derived"
    assert store.latest_vintage("juki") == "2022-01-01"
    shutil.rmtree(raw_copy / "2022-01-01")
    assert store.latest_vintage("juki") == "2022-01-01_derived"


def test__latest__time_label_and_source_line_follow_the_vintage_used(raw_copy, raw):
    """Remove the 2025 folder: "latest" becomes 2024-01-01, and so do the data, 時点 and (出所)."""
    for name in ("soumu_juki_R6_2024-01-01_municipality.xlsx", "soumu_juki_R6_2024-01-01_prefecture.xlsx"):
        raw("juki", "2024-01-01", name)
    shutil.rmtree(raw_copy / "2025-01-01")
    for v in ("2021-01-01", "2022-01-01", "2022-01-01_derived", "2023-01-01"):  # fewer vintages to build: faster
        shutil.rmtree(raw_copy / v)
    df = store.table("juki", "population", "latest")
    assert df.attrs["source_pairs"] == [("juki", "2024-01-01")]
    assert str(df["ref_date"].iloc[0].date()) == "2024-01-01"
    toyama = df[(df["pref_code"] == "16") & (df["area_level"] == "prefecture")]["population_persons"].iloc[0]
    assert toyama == 1_019_004
    assert "令和6年1月1日現在" in manifest.source_note(df.attrs["source_pairs"])
