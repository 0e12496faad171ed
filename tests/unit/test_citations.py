"""(出所) lines name the official publisher only; how the bytes were obtained is provenance (issue #9, item 7).

Checks every committed manifest, the citation validator, the ``(出所)`` form, the provenance records
and — on a chart, a table and a deck built here from every committed source — that no saved SVG
text, CSV/XLSX cell, ``outputs.json`` source_note or slide text names GitHub or a repository.
"""

from __future__ import annotations

import json
import re
from datetime import date
from xml.etree import ElementTree

import pandas as pd
import pytest
import yaml

from hokuriku import manifest, paths
from hokuriku.errors import HokurikuError
from hokuriku.reporting import outputs

ALL = manifest.all_manifests()
ALL_PAIRS = [(m.source, m.vintage) for m in ALL]


@pytest.mark.parametrize("m", ALL, ids=[f"{m.source}/{m.vintage}" for m in ALL])
def test__committed_manifest__cites_the_publisher_and_keeps_provenance_apart(m):
    line = m.source_line()
    assert manifest.names_repository(line) is None, line
    assert "「" in line and "」" in line, f"{m.manifest_path}: citation should be publisher「survey（edition）」"
    assert manifest.names_repository(m.producer) is None, f"{m.manifest_path}: producer {m.producer!r}"
    # every file has a download route; a copy from a repository records where it came from
    for e in m.files:
        assert e.urls() or (e.no_route or "").strip(), f"{m.manifest_path}: {e.path} has no download route"
    if m.derived:
        assert m.derived_from.get("repository") and m.derived_from.get("commit"), m.manifest_path
    if m.derived_from:
        assert re.fullmatch(r"[0-9a-f]{40}", str(m.derived_from["commit"])), m.manifest_path
        assert str(m.derived_from.get("transformation") or "").strip(), m.manifest_path
        for e in m.files:
            assert e.origin_path, f"{m.manifest_path}: {e.path} lacks origin_path"


def _write(root, citation: str) -> None:
    folder = root / "demo" / "2024"
    folder.mkdir(parents=True, exist_ok=True)
    doc = {"source": "demo", "vintage": "2024", "producer": "総務省", "title": "デモ", "citation": citation,
           "url_main": "https://www.soumu.go.jp/", "license": {"name": "政府標準利用規約"},
           "files": [{"path": "a.csv", "sha256": "0" * 64, "bytes": 1}]}
    (folder / "MANIFEST.yml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(("citation", "named"), [
    ("総務省「国勢調査」（GitHub jpatokal/hollow-japan による組替）", "code-hosting"),
    ("総務省「国勢調査」（https://github.com/x/y）", "code-hosting"),
    ("総務省「国勢調査」（https://www.e-stat.go.jp/）", "URL"),
    ("総務省「国勢調査」（hollow-japan リポジトリ）", "repository"),
    ("総務省「国勢調査」（jpatokal/hollow-japan）", "owner/repository"),
    ("総務省「国勢調査」（beef55e5）", "commit"),
    ("総務省「国勢調査」（派生コピー）", "how the copy was made"),
    ("総務省「国勢調査」より作成", "より作成"),
])
def test__load__refuses_a_citation_naming_a_repository_naming_the_manifest(tmp_path, monkeypatch, citation, named):
    monkeypatch.setattr(paths, "RAW", tmp_path)
    _write(tmp_path, citation)
    with pytest.raises(HokurikuError, match=named) as info:
        manifest.load("demo", "2024")
    assert str(tmp_path / "demo" / "2024" / "MANIFEST.yml") in str(info.value)


def test__source_note__joins_publications_and_ends_with_yori_sakusei_once():
    note = manifest.source_note([("juki", "2022-01-01"), ("kenmin_keizai", "2022"), ("kenmin_keizai_activity", "2022")])
    assert note == ("(出所) 総務省「住民基本台帳に基づく人口、人口動態及び世帯数（令和4年1月1日現在）」、"
                    "内閣府「令和4年度県民経済計算」より作成")
    assert note.pairs == (("juki", "2022-01-01"), ("kenmin_keizai", "2022"), ("kenmin_keizai_activity", "2022"))


def test__provenance_records__carry_repository_commit_path_and_transformation():
    recs = manifest.provenance_records([("juki", "2021-01-01_derived"), ("juki", "2021-01-01_derived"), ("kenmin_keizai", "2022")])
    assert [(r["source"], r["vintage"]) for r in recs] == [("juki", "2021-01-01_derived"), ("kenmin_keizai", "2022")]
    juki, kenmin = recs
    assert juki["derived"] and juki["obtained_from"] == "https://github.com/cr4ft3r-ch1/Statistic-competition"
    assert juki["commit"] == "ac5ed69d6e8d38da58d70b981c051a9257f22a3e" and "人口 計" in juki["transformation"]
    f = juki["files"][0]
    assert f["origin_path"] == "data/市区町村別人口_2021_2.csv"
    assert f["origin_url"] == f["url_download"] == (
        "https://raw.githubusercontent.com/cr4ft3r-ch1/Statistic-competition/ac5ed69d6e8d38da58d70b981c051a9257f22a3e/"
        "data/%E5%B8%82%E5%8C%BA%E7%94%BA%E6%9D%91%E5%88%A5%E4%BA%BA%E5%8F%A3_2021_2.csv")
    assert not kenmin["derived"] and kenmin["files"][0]["url_download"].startswith("https://www.esri.cao.go.jp/")
    table = manifest.provenance_table(recs)
    assert list(table.columns) == ["資料", "時点・版", "公表元", "入手経路", "加工", "ファイル数"]
    assert table.loc[0, "入手経路"].startswith("派生コピー: https://github.com/cr4ft3r-ch1/Statistic-competition @ ac5ed69d")
    assert table.loc[1, "ファイル数"] == 4


def _svg_text(path) -> str:
    root = ElementTree.parse(path).getroot()
    return "\n".join("".join(el.itertext()) for el in root.iter() if el.tag.endswith("}text"))


def _offending(text: str) -> str | None:
    return manifest.names_repository(text)


@pytest.fixture(scope="module")
def built_outputs(tmp_path_factory):
    """A chart, a table and a deck whose (出所) line cites every committed manifest (one report folder)."""
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    from hokuriku.plotting import charts, use_house_style
    from hokuriku.reporting import deck
    from tests.reporting.conftest import _notebook

    reports = tmp_path_factory.mktemp("reports")
    out = reports / "99_sources" / "hokuriku3"
    out.mkdir(parents=True)
    _notebook(out / "99_sources.ipynb", {"region": "HOKURIKU3", "out_dir": str(out)})
    note = manifest.source_note(ALL_PAIRS)
    with mpl.rc_context():
        use_house_style()  # CJK font; svg.fonttype none keeps the text searchable in the SVG
        fig, ax = plt.subplots(figsize=(12, 16))  # tall: the note cites every committed source
        ax.bar(["富山", "石川", "福井"], [1, 2, 3])
        charts.add_source_line(fig, note)
        outputs.save_chart(fig, out, "all_sources", "全資料", note)
        plt.close(fig)
    table = pd.DataFrame({"資料": [m.source_line() for m in ALL], "時点": [m.vintage for m in ALL]})
    outputs.save_table(table, out, "all_sources_table", "全資料の一覧", note)
    spec = {"title": "{region}の資料", "sections": [{"title": "資料", "slides": [
        {"notebook": "99_sources", "stem": "all_sources", "kind": "chart"}]}],
        # the table lists vintage ids (r5_hollow, n03_2025 …), which the deck's English check refuses on a slide
        "appendix": {"exclude": [{"notebook": "99_sources", "stem": "all_sources_table", "kind": "table"}]}}
    pptx = deck.build_deck("北陸3県", reports_dir=reports, dest=reports / "deck.pptx", build_date=date(2026, 11, 30),
                           spec=spec)
    return out, pptx


def test__saved_chart_table_sidecar_and_deck__never_name_a_repository(built_outputs):
    from pptx import Presentation

    out, pptx = built_outputs
    svg = _svg_text(out / "all_sources.svg")
    assert "より作成" in svg and _offending(svg) is None
    csv = (out / "all_sources_table.csv").read_text(encoding="utf-8-sig")
    assert _offending(csv) is None
    for sheet, df in pd.read_excel(out / "all_sources_table.xlsx", sheet_name=None, header=None).items():
        cells = "\n".join(str(v) for v in df.to_numpy().ravel() if pd.notna(v))
        assert _offending(cells) is None, sheet
    for o in outputs.read_outputs(out):
        assert _offending(o["source_note"]) is None, o["stem"]
    slides = [s for s in Presentation(str(pptx)).slides
              if not (s.shapes.title is not None and "データについて" in s.shapes.title.text_frame.text)]
    text = "\n".join(sh.text_frame.text for s in slides for sh in s.shapes if sh.has_text_frame)
    assert "より作成" in text and _offending(text) is None


def test__outputs_json__records_the_provenance_of_every_source_used(built_outputs):
    out, _ = built_outputs
    entry = next(o for o in outputs.read_outputs(out) if o["stem"] == "all_sources")
    got = {(p["source"], p["vintage"]) for p in entry["provenance"]}
    assert got == set(ALL_PAIRS)
    hollow = next(p for p in entry["provenance"] if p["source"] == "census_panel")
    assert hollow["obtained_from"] == "https://github.com/jpatokal/hollow-japan"
    assert hollow["files"][0]["origin_path"] == "data/built_pop_wide_en_jp.csv"
    raw = json.loads((out / outputs.SIDECAR).read_text(encoding="utf-8"))
    assert raw["version"] == outputs.VERSION


def test__register_output__records_unknown_pairs_instead_of_dropping_them(tmp_path):
    entry = outputs.register_output(tmp_path, "x", "table", title_ja="表", source_note="(出所) 分析者提供のデータ",
                                    vintages={"analyst_firms": "example"})
    assert entry["provenance"][0]["source"] == "analyst_firms" and "No manifest" in entry["provenance"][0]["error"]


@pytest.mark.parametrize(("text", "named"), [
    ("(出所) 総務省「国勢調査」（GitHub による加工）", "code-hosting"),
    ("データは jpatokal/hollow-japan から取得", "jpatokal/hollow-japan"),
    ("hollow-japan による組替", "hollow-japan"),
    ("取得元: https://raw.githubusercontent.com/x/y/abc/z.csv", "code-hosting"),
    ("類型 A-1/A-2 の判定", None),  # ordinary text with a slash is not a repository
    ("http://www.kitakami.ne.jp/kasseika/kihonnkeikaku.html", None),  # a policy document's own page
    ("(出所) 独立行政法人統計センター「教育用標準データセット（SSDSE-A-2026）」より作成", None),
])
def test__names_repository__finds_code_hosts_and_the_recorded_repositories_only(text, named):
    hit = manifest.names_repository(text)
    assert (hit is None) if named is None else (named in hit)
