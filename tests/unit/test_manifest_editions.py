"""A declared new edition must be new: bytes differ from the previous edition and its period advances."""

from __future__ import annotations

import shutil

import pytest
import yaml

from hokuriku import manifest, paths
from hokuriku.errors import HokurikuError


@pytest.fixture
def raw_with_copy(tmp_path, monkeypatch):
    """A data/raw holding kenmin_keizai 2022 and a copy of it declared as edition 2023 (the new-user walk)."""
    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW / "kenmin_keizai" / "2022", raw / "kenmin_keizai" / "2022")
    new = raw / "kenmin_keizai" / "2023"
    shutil.copytree(raw / "kenmin_keizai" / "2022", new)
    doc = yaml.safe_load((new / "MANIFEST.yml").read_text(encoding="utf-8"))
    doc["vintage"] = "2023"
    (new / "MANIFEST.yml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(paths, "RAW", raw)

    def edit(**changes):
        d = yaml.safe_load((new / "MANIFEST.yml").read_text(encoding="utf-8"))
        for key, value in changes.items():
            if key == "sha":
                for f in d["files"]:
                    f["sha256"] = value + f["sha256"][len(value):]
            else:
                d["reference"][key] = value
        (new / "MANIFEST.yml").write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")

    return edit


def test__copied_edition__same_bytes_and_same_years_are_flagged(raw_with_copy):
    problems = manifest.edition_problems("kenmin_keizai")
    assert len(problems) == 2
    assert "kenmin_keizai/2023/MANIFEST.yml: same bytes as edition 2022 (soukatu1.xlsx = 2022/soukatu1.xlsx" in problems[0]
    assert "period covered does not advance (2022: up to 2022; 2023: up to 2022)" in problems[1]
    assert manifest.edition_problems(["juki", "kenmin_keizai"]) == problems  # a list: one listing of the manifests
    assert manifest.edition_problems(["juki"]) == []
    with pytest.raises(HokurikuError, match=r"(?s)do not look new.*accepted_as_new_edition"):
        manifest.require_new_editions(["kenmin_keizai"])


def test__real_new_edition__passes(raw_with_copy):
    raw_with_copy(sha="0" * 8, fiscal_years=[2011, 2023])
    assert manifest.edition_problems("kenmin_keizai") == []
    manifest.require_new_editions(["kenmin_keizai"])


def test__new_bytes_but_years_not_advancing__flagged_unless_acknowledged(raw_with_copy):
    raw_with_copy(sha="0" * 8)
    assert [p for p in manifest.edition_problems("kenmin_keizai") if "does not advance" in p]
    raw_with_copy(accepted_as_new_edition="改定値のみの再公表（年度は同じ）")
    assert manifest.edition_problems("kenmin_keizai") == []


def test__committed_manifests__no_edition_is_flagged():
    assert manifest.edition_problems() == []
