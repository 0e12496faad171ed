"""The new-release workflow: ``fetch`` completes manifests; a second vintage maps or fails clearly.

No network: the downloader is replaced by a function copying local bytes.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from hokuriku import fetch, manifest, paths
from hokuriku.errors import LayoutError

MANIFEST = """\
# A hand-written manifest: this comment must survive fetch.
source: demo
vintage: "2025"
producer: 内閣府経済社会総合研究所
title: デモ
url_main: https://www.esri.cao.go.jp/
license: {{name: 政府標準利用規約（第2.0版）, url: "https://www.esri.cao.go.jp/jp/about/copyright.html"}}
files:
  - path: old.csv
    url_download: https://example.invalid/old.csv
    retrieved: 2025-01-01
    sha256: {old_sha}
    bytes: {old_bytes}
  # the new release, declared before downloading it:
  - path: new.csv
    url_download: https://example.invalid/new.csv
    sha256: unknown
    bytes: null
    parts: {{table: 新しい表}}
notes: >
  Keep me.
"""


def _copying(sources: dict[str, bytes], calls: list):
    def download(url: str, folder: Path, filename: str, sha256: str | None) -> Path:
        calls.append((url, filename, sha256))
        folder.mkdir(parents=True, exist_ok=True)
        (folder / filename).write_bytes(sources[url])
        return folder / filename

    return download


@pytest.fixture
def demo(tmp_path, monkeypatch):
    import hashlib

    monkeypatch.setattr(paths, "RAW", tmp_path / "raw")
    old = "都道府県,値\n富山県,1\n".encode()
    folder = tmp_path / "raw" / "demo" / "2025"
    folder.mkdir(parents=True)
    (folder / "MANIFEST.yml").write_text(
        MANIFEST.format(old_sha=hashlib.sha256(old).hexdigest(), old_bytes=len(old)), encoding="utf-8")
    return {"folder": folder, "old": old, "new": "都道府県,値\n石川県,2\n".encode()}


def test__fetch__downloads_missing_and_records_new_checksum(demo):
    calls = []
    sources = {"https://example.invalid/old.csv": demo["old"], "https://example.invalid/new.csv": demo["new"]}
    rows = fetch.fetch("demo", downloader=_copying(sources, calls))
    assert rows == [{"file": "demo/2025/old.csv", "status": "downloaded"},
                    {"file": "demo/2025/new.csv", "status": "recorded"}]
    assert calls[1] == ("https://example.invalid/new.csv", "new.csv", None)
    text = (demo["folder"] / "MANIFEST.yml").read_text(encoding="utf-8")
    assert text.startswith("# A hand-written manifest") and "# the new release, declared" in text
    m = manifest.load("demo", "2025")  # parses again, and now verifies the new file
    new = m.entry("new.csv")
    assert new.bytes == len(demo["new"]) and new.retrieved == date.today().isoformat()
    assert manifest.path("demo", "2025", "new.csv").read_bytes() == demo["new"]
    assert m.entry("new.csv").parts == {"table": "新しい表"}
    # A second run is a no-op.
    assert {r["status"] for r in fetch.fetch("demo", downloader=_copying(sources, []))} == {"present"}


def test__fetch__refuses_a_download_that_differs_from_the_declared_sha256(demo):
    sources = {"https://example.invalid/old.csv": b"changed,bytes\n", "https://example.invalid/new.csv": demo["new"]}
    rows = fetch.fetch("demo", downloader=_copying(sources, []))
    assert rows[0]["file"] == "demo/2025/old.csv" and rows[0]["status"] == "failed"
    assert "https://example.invalid/old.csv: refused" in rows[0]["reason"] and "bytes" in rows[0]["reason"]
    assert not (demo["folder"] / "old.csv").exists()  # the refused bytes are not left where the resolver looks


def test__fetch__unknown_source_is_a_clear_error(demo):
    with pytest.raises(Exception, match=r"No manifest data/raw/nosuch/\*/MANIFEST.yml"):
        fetch.fetch("nosuch")


def test__add_manifest_entry__appends_and_updates_keeping_comments(demo):
    mpath = demo["folder"] / "MANIFEST.yml"
    fetch.add_manifest_entry(mpath, {"path": "p1.json", "url_download": None, "sha256": "a" * 64, "bytes": 3})
    fetch.add_manifest_entry(mpath, {"path": "p1.json", "bytes": 4})
    data = yaml.safe_load(mpath.read_text(encoding="utf-8"))
    assert [f["path"] for f in data["files"]] == ["old.csv", "new.csv", "p1.json"]
    assert data["files"][2]["bytes"] == 4 and data["notes"].strip() == "Keep me."
    assert "# the new release" in mpath.read_text(encoding="utf-8")


# --- a second vintage of an existing source (kenmin_keizai, 総括表 soukatu1.xlsx) ----------------

KENMIN = Path(__file__).resolve().parents[1] / "data" / "raw" / "kenmin_keizai" / "2022" / "MANIFEST.yml"


@pytest.fixture
def second_vintage(raw, tmp_path, monkeypatch):
    """A "2023" vintage: soukatu1.xlsx with the header cell 都道府県 renamed, fetched into a tmp data/raw."""
    import openpyxl

    original = raw("kenmin_keizai", "2022", "soukatu1.xlsx")
    wb = openpyxl.load_workbook(original)
    ws = wb["実数"]
    header = next(c for row in ws.iter_rows() for c in row if c.value == "都道府県")
    header.value = "都道府県名"
    wb["増加率"][header.coordinate].value = "都道府県名"
    release = tmp_path / "download" / "soukatu1.xlsx"
    release.parent.mkdir()
    wb.save(release)
    # The analyst's new manifest: the 2022 one with vintage 2023 and unknown checksums.
    text = KENMIN.read_text(encoding="utf-8").replace('vintage: "2022"', 'vintage: "2023"')
    data = yaml.safe_load(text)
    data["files"] = [{"path": "soukatu1.xlsx", "url_download": "https://www.esri.cao.go.jp/jp/sna/data/data_list/"
                      "kenmin/files/contents/tables/2023/soukatu1.xlsx", "sha256": "unknown", "bytes": None}]
    monkeypatch.setattr(paths, "RAW", tmp_path / "raw")
    (tmp_path / "raw" / "kenmin_keizai" / "2023").mkdir(parents=True)
    (tmp_path / "raw" / "kenmin_keizai" / "2023" / "MANIFEST.yml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    rows = fetch.fetch("kenmin_keizai", "2023",
                       downloader=_copying({data["files"][0]["url_download"]: release.read_bytes()}, []))
    assert rows == [{"file": "kenmin_keizai/2023/soukatu1.xlsx", "status": "recorded"}]
    layouts = tmp_path / "layouts"
    shutil.copytree(paths.LAYOUTS, layouts)
    monkeypatch.setattr(paths, "LAYOUTS", layouts)
    return layouts / "kenmin_keizai"


def _add_vintage_rows(folder: Path, vintage: str, **overrides: str) -> None:
    """Copy every 2022 row of every layout table to ``vintage`` (with anchor value overrides)."""
    for csv in folder.glob("*.csv"):
        lines = csv.read_text(encoding="utf-8").splitlines()
        new = []
        for line in lines:
            if line.startswith("2022,"):
                cells = line.split(",")
                if csv.name == "anchors.csv" and cells[1] in overrides:
                    cells[2] = overrides[cells[1]]
                new.append(",".join([vintage, *cells[1:]]))
        csv.write_text("\n".join([*lines, *new]) + "\n", encoding="utf-8")


def test__second_vintage__changed_header_fails_naming_the_expected_column(second_vintage):
    from hokuriku.sources import kenmin_keizai

    _add_vintage_rows(second_vintage, "2023")  # layout not updated for the renamed header
    path = manifest.path("kenmin_keizai", "2023", "soukatu1.xlsx")  # checksum recorded by fetch
    with pytest.raises(LayoutError, match=r"file soukatu1.xlsx, sheet '実数': expected header row with '都道府県' "
                                          r"in column 1"):
        kenmin_keizai.parse(path, vintage="2023")


def test__second_vintage__changed_header_mapped_through_the_layout_table(second_vintage):
    from hokuriku.sources import kenmin_keizai

    _add_vintage_rows(second_vintage, "2023", header_anchor="都道府県名")
    new = kenmin_keizai.parse(manifest.path("kenmin_keizai", "2023", "soukatu1.xlsx"), vintage="2023")
    toyama = new.query("area_code == '16' and fiscal_year == 2022")["gdp_nominal_jpy_million"]
    assert toyama.tolist() == [4927629.0]  # 令和4年度県民経済計算 総括表1, 富山県 FY2022 (百万円)
    assert len(new) == len(new.drop_duplicates(["area_code", "fiscal_year"]))
