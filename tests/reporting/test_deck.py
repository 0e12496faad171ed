"""The 16:9 slide deck: structure via python-pptx, rendering via LibreOffice headless."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Inches

from hokuriku.errors import HokurikuError
from hokuriku.reporting import deck, deck_check, outputs
from tests.reporting.conftest import FAKE_SPEC, SOURCE_GDP, require_tool

TITLES = ["北陸3県の地域経済指標", "目次", "北陸3県の県内総生産（名目）", "北陸地域の経済指標（総括）", "参考資料",
          "市区町村別人口", "データについて"]


@pytest.fixture
def built(fake_reports, tmp_path):
    dest = tmp_path / "deck" / "hokuriku_hokuriku3.pptx"
    return deck.build_deck("北陸3県", reports_dir=fake_reports, dest=dest, build_date=date(2026, 11, 24), spec=FAKE_SPEC)


def _texts(slide, name):
    return [s.text_frame.text for s in slide.shapes if s.name == name and s.has_text_frame]


def test__build_deck__story_appendix_and_data_slide(built):
    prs = Presentation(str(built))
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    slides = list(prs.slides)
    assert [s.shapes.title.text_frame.text for s in slides] == TITLES
    assert _texts(slides[1], "Body")[0].split("\n") == ["1. 総括", "参考資料（1件）", "データについて"]
    assert [_texts(s, "Section") for s in slides[2:4]] == [["総括"], ["総括"]]
    assert [_texts(s, "Source") for s in slides[2:4]] == [[SOURCE_GDP], [SOURCE_GDP]]
    data = [sh for sh in slides[-1].shapes if sh.has_table][0].table
    rows = [[c.text for c in r.cells] for r in data.rows]
    assert rows[0] == ["統計", "版", "利用条件", "入手元"]
    assert any(r[0] == "内閣府「令和4年度県民経済計算」" and r[1] == "2022" for r in rows[1:])


def test__build_deck__title_slide_names_region_and_build_date(built):
    subtitle = _texts(Presentation(str(built)).slides[0], "Subtitle")[0]
    assert subtitle == "検討会資料\n作成日：2026年11月24日"


def test__build_deck__chart_uses_bare_deck_rendering_tables_native_and_split(built, fake_reports):
    slides = list(Presentation(str(built)).slides)
    pictures = [sh for sh in slides[2].shapes if sh.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
    assert len(pictures) == 1
    assert (fake_reports / "10_gdp_overview" / "hokuriku3" / "gdp_by_pref_deck.png").exists()
    cells = [[c.text for c in row.cells] for row in [sh for sh in slides[3].shapes if sh.has_table][0].table.rows]
    assert cells[0] == ["都道府県", "県内総生産（億円）"] and cells[-1] == ["北陸3県", "131,392"]
    big = [sh for sh in slides[5].shapes if sh.has_table][0].table
    assert 10 < len(big.rows) < 31  # 30 rows do not fit one slide at 12 pt: the appendix shows the first page
    assert "全30行のうち先頭" in _texts(slides[5], "Source")[0]
    sizes = {r.font.size.pt for s in slides for sh in s.shapes if sh.has_table for row in sh.table.rows
             for c in row.cells for p in c.text_frame.paragraphs for r in p.runs}
    assert min(sizes) >= deck.MIN_PT


def test__build_deck__every_run_sets_east_asian_typeface(built):
    prs = Presentation(str(built))
    runs = [r for s in prs.slides for sh in s.shapes if sh.has_text_frame for p in sh.text_frame.paragraphs for r in p.runs]
    runs += [r for s in prs.slides for sh in s.shapes if sh.has_table for row in sh.table.rows for c in row.cells
             for p in c.text_frame.paragraphs for r in p.runs]
    assert runs
    for run in runs:
        rpr = run._r.find(qn("a:rPr"))
        ea = rpr.find(qn("a:ea"))
        assert ea is not None and ea.get("typeface") == deck.EA_FONT and ea.get("charset") == "-128"
        assert rpr.get("lang") == "ja-JP"


def test__build_deck__other_region_gets_its_own_deck(fake_reports, tmp_path):
    path = deck.build_deck("16", reports_dir=fake_reports, dest=tmp_path / "p16.pptx", spec=FAKE_SPEC)
    titles = [s.shapes.title.text_frame.text for s in Presentation(str(path)).slides]
    assert titles[0] == "富山県の地域経済指標" and "参考資料" not in titles


def test__build_deck__spec_output_missing_is_a_clear_error(fake_reports, tmp_path):
    spec = {**FAKE_SPEC, "sections": [{"title": "総括", "slides": [{"notebook": "10_gdp_overview", "stem": "nope"}]}]}
    with pytest.raises(HokurikuError, match=r"do not have: 10_gdp_overview/nope"):
        deck.build_deck("HOKURIKU3", reports_dir=fake_reports, dest=tmp_path / "x.pptx", spec=spec)
    optional = {**FAKE_SPEC, "sections": [{"title": "総括", "slides": [
        {"notebook": "10_gdp_overview", "stem": "nope", "optional": True}]}]}
    assert deck.build_deck("HOKURIKU3", reports_dir=fake_reports, dest=tmp_path / "y.pptx", spec=optional).exists()


def test__build_deck__english_on_a_slide_fails(fake_reports, tmp_path):
    spec = {**FAKE_SPEC, "sections": [{"title": "Summary", "slides": FAKE_SPEC["sections"][0]["slides"]}]}
    with pytest.raises(HokurikuError, match=r"English on slides.*'Summary'"):
        deck.build_deck("HOKURIKU3", reports_dir=fake_reports, dest=tmp_path / "x.pptx", spec=spec)


def test__build_deck__glyph_missing_from_the_font_fails(fake_reports, tmp_path):
    spec = {**FAKE_SPEC, "title": "{region}の指標 \U0001F600"}  # an emoji: not in Noto Sans CJK JP
    with pytest.raises(HokurikuError, match=r"Characters missing from the deck font"):
        deck.build_deck("HOKURIKU3", reports_dir=fake_reports, dest=tmp_path / "x.pptx", spec=spec)


def test__plan__synthetic_and_excluded_outputs_stay_out_of_the_appendix(tmp_path):
    folder = tmp_path / "60_cluster_kpi" / "hokuriku3"
    items = [(folder, {"stem": "connector_hub", "kind": "chart", "source_note": "(出所) 合成データ（架空の企業と県計、計算例）"}),
             (folder, {"stem": "kgi", "kind": "table", "source_note": "(出所) 某"}),
             (folder, {"stem": "target_path", "kind": "table", "source_note": "(出所) 某"})]
    spec = {"sections": [], "appendix": {"exclude": [{"notebook": "60_cluster_kpi", "stem": "target_path"}]}}
    _, rest = deck.plan(spec, items)
    assert [o["stem"] for _, o in rest] == ["kgi"]
    _, rest = deck.plan({**spec, "appendix": {**spec["appendix"], "include_synthetic": True}}, items)
    assert [o["stem"] for _, o in rest] == ["connector_hub", "kgi"]


def test__shipped_spec__story_order_and_at_most_23_main_outputs():
    spec = deck.load_spec()
    assert [s["title"] for s in spec["sections"]] == ["総括", "経済構造", "製造業", "人口と将来推計", "シナリオ分析",
                                                      "産業集積", "クラスターKPI"]
    assert sum(len(s["slides"]) for s in spec["sections"]) <= 23  # + title + 目次 = at most 25 main slides


def test__slide_source_note__keeps_editions_apart():
    note = ("(出所) 独立行政法人統計センター「教育用標準データセット（SSDSE-A-2026）」、\n"
            "独立行政法人統計センター「教育用標準データセット（SSDSE-B-2025）」より作成")
    shown = deck.slide_source_note(note)
    assert "SSDSE-A-2026" in shown and "SSDSE-B-2025" in shown and "\n" not in shown
    assert not deck.english_words(shown)  # SSDSE, A and B are allowed abbreviations


def test__build_deck__no_outputs_is_a_clear_error(fake_reports):
    with pytest.raises(HokurikuError, match=r"No registered outputs .*hokuriku4.*make reports REGION=HOKURIKU4"):
        deck.build_deck("HOKURIKU4", reports_dir=fake_reports)


def test__build_deck__registered_chart_without_png_is_a_clear_error(fake_reports, tmp_path):
    for name in ("gdp_by_pref.png", "gdp_by_pref_deck.png"):
        (fake_reports / "10_gdp_overview" / "hokuriku3" / name).unlink()
    with pytest.raises(HokurikuError, match=r"chart 'gdp_by_pref' is registered but gdp_by_pref.png is missing"):
        deck.build_deck("HOKURIKU3", reports_dir=fake_reports, dest=tmp_path / "x.pptx", spec=FAKE_SPEC)


def test__deck_path__is_under_reports_deck_region_slug():
    p = deck.deck_path("北陸3県")
    assert p.parts[-3:] == ("deck", "hokuriku3", "hokuriku_hokuriku3.pptx")


def test__register_output__rerun_replaces_entry_and_keeps_order(tmp_path):
    outputs.register_output(tmp_path, "a", "chart", title_ja="甲", source_note="(出所) 甲")
    outputs.register_output(tmp_path, "b", "table", title_ja="乙", source_note="(出所) 乙")
    outputs.register_output(tmp_path, "a", "chart", title_ja="甲2", source_note="(出所) 甲", order=30)
    got = outputs.read_outputs(tmp_path)
    assert [(o["stem"], o["title_ja"], o["order"]) for o in got] == [("b", "乙", 20), ("a", "甲2", 30)]
    assert json.loads((tmp_path / "outputs.json").read_text(encoding="utf-8"))["version"] == 1


@pytest.mark.parametrize("kwargs, match", [
    ({"kind": "map"}, "kind must be one of"),
    ({"title_ja": " "}, "title_ja must be a non-empty"),
    ({"source_note": ""}, "source_note must name the publisher"),
])
def test__register_output__rejects_bad_metadata(tmp_path, kwargs, match):
    args = {"kind": "chart", "title_ja": "題", "source_note": "(出所) 某"} | kwargs
    with pytest.raises(ValueError, match=match):
        outputs.register_output(tmp_path, "x", **args)


@pytest.mark.libreoffice
def test__deck__renders_japanese_in_libreoffice_pdf_and_png(built, tmp_path):
    soffice = require_tool("soffice", "libreoffice")
    pdftotext, pdffonts, pdftoppm = (require_tool(t) for t in ("pdftotext", "pdffonts", "pdftoppm"))
    profile = tmp_path / "lo_profile"
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(built)],
        check=True, capture_output=True, timeout=180, env=env,
    )
    pdf = tmp_path / f"{built.stem}.pdf"
    assert pdf.exists()
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    flat = "".join(text.split())  # pdftotext spaces out script changes ("北陸 3 県")
    for title in TITLES:
        assert title in flat  # glyphs map back to the Japanese characters, not boxes
    assert "".join(SOURCE_GDP.split()) in flat
    fonts = subprocess.run([pdffonts, str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "NotoSansCJK" in fonts.replace(" ", ""), fonts  # the East-Asian font set in the deck was used
    subprocess.run([pdftoppm, "-png", "-r", "40", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "page")], check=True)
    from PIL import Image

    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 2
    with Image.open(pages[1]) as im:
        gray = im.convert("L")
        w, h = gray.size
        title_band = gray.crop((0, 0, w, h // 6))  # the slide title sits in the top sixth
        dark = sum(title_band.histogram()[:128])
    assert dark > 50, "the Japanese slide title rendered no ink"


@pytest.mark.libreoffice
def test__deck__pdf_layout_has_no_text_off_slide_overlap_or_small_body(built, tmp_path):
    require_tool("soffice", "libreoffice")
    pdf = deck_check.render_pdf(built, tmp_path)
    assert deck_check.layout_problems(pdf) == []
    previews = deck_check.render_pngs(pdf, tmp_path / "png", dpi=30)
    assert len(previews) == len(TITLES)


@pytest.mark.libreoffice
def test__layout_problems__finds_text_off_slide_overlap_and_small_text(tmp_path):
    require_tool("soffice", "libreoffice")
    prs = Presentation()
    prs.slide_width, prs.slide_height = deck.SLIDE_W, deck.SLIDE_H
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    for left, top, text, size in ((Inches(12.5), Inches(1), "はみ出す長い見出しの文字列です", 24),
                                  (Inches(1), Inches(3), "重なる文字その一", 24),
                                  (Inches(1.3), Inches(3.05), "重なる文字その二", 24),
                                  (Inches(1), Inches(5), "小さな文字", 8)):
        box = slide.shapes.add_textbox(left, top, Inches(6), Inches(0.6))
        box.text_frame.word_wrap = False
        run = box.text_frame.paragraphs[0].add_run()
        run.text = text
        deck.set_ea_font(run, size_pt=size)
    prs.save(str(tmp_path / "bad.pptx"))
    problems = " ".join(deck_check.layout_problems(deck_check.render_pdf(tmp_path / "bad.pptx", tmp_path)))
    assert "text leaves the slide" in problems
    assert "texts overlap" in problems
    assert "text under 12 pt" in problems
