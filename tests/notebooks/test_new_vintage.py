"""A new edition declared by copying a source runs through the notebooks (no assert on published values).

The walk of docs/new-release.md on a throw-away project root (``HOKURIKU_ROOT``): 県民経済計算 総括表 and
経済活動別県内総生産 (they advance together) are copied as edition 2023 — same bytes, so the manifests say
``accepted_as_new_edition`` — the layout tables get rows for 2023 (a copy of 2022's), the tables are built
and notebooks 10 and 20 run with ``gdp_vintage="2023"``. The analyst's data/processed and reports are not
touched: raw folders are linked, processed tables and layout maps are copied.
"""

from __future__ import annotations

import shutil

import pytest
import yaml

from hokuriku import paths
from hokuriku.reporting import notebooks

NEW = {"kenmin_keizai": ("2022", "2023"), "kenmin_keizai_activity": ("2022", "2023")}


@pytest.fixture
def new_edition_root(tmp_path, monkeypatch, raw):
    for f in ("soukatu1.xlsx", "soukatu2.xlsx", "soukatu7.xlsx", "soukatu9.xlsx"):
        raw("kenmin_keizai", "2022", f)
    raw("kenmin_keizai_activity", "2022", "industry.json")
    root = tmp_path / "project"
    (root / "data" / "raw").mkdir(parents=True)
    for src in sorted(paths.RAW.iterdir()):
        if src.is_dir() and src.name not in NEW:
            (root / "data" / "raw" / src.name).symlink_to(src)
    for source, (old, new) in NEW.items():
        for vintage in (old, new):
            folder = root / "data" / "raw" / source / vintage
            folder.mkdir(parents=True)
            doc = yaml.safe_load((paths.RAW / source / old / "MANIFEST.yml").read_text(encoding="utf-8"))
            if vintage == new:
                doc["vintage"] = new
                doc["reference"]["accepted_as_new_edition"] = "テスト：前の版の写しを新しい版として宣言"
            (folder / "MANIFEST.yml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False),
                                                 encoding="utf-8")
    shutil.copytree(paths.PROCESSED, root / "data" / "processed", symlinks=True)
    layouts = shutil.copytree(paths.LAYOUTS, tmp_path / "layouts")
    for table in [f for source in NEW for f in (layouts / source).glob("*.csv")]:  # incl. coverage.csv
        lines = table.read_text(encoding="utf-8").splitlines()
        added = [line.replace("2022,", "2023,", 1) for line in lines if line.startswith("2022,")]
        table.write_text("\n".join([*lines, *added]) + "\n", encoding="utf-8")
    (root / "notebooks").symlink_to(paths.NOTEBOOKS)
    monkeypatch.setenv("HOKURIKU_ROOT", str(root))
    monkeypatch.setenv("HOKURIKU_LAYOUTS", str(layouts))
    for name, value in (("PROJ_ROOT", root), ("RAW", root / "data" / "raw"), ("PROCESSED", root / "data" / "processed"),
                        ("REPORTS", root / "reports"), ("LAYOUTS", layouts)):
        monkeypatch.setattr(paths, name, value)
    return root


@pytest.mark.slow
@pytest.mark.parametrize("name", ["10_regional_share", "20_economic_structure"])
def test__notebooks_run_on_a_newer_edition(new_edition_root, name):
    out = notebooks.run(name, {"region": "HOKURIKU3", "gdp_vintage": "2023"}, force=True)
    assert out.is_relative_to(new_edition_root)
    sidecar = (out / "outputs.json").read_text(encoding="utf-8")
    assert '"kenmin_keizai": "2023"' in sidecar
    assert (new_edition_root / "data" / "processed" / "core" / "kenmin_keizai" / "2023").is_dir()
