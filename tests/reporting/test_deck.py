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
from hokuriku.reporting import deck, outputs
from tests.reporting.conftest import SOURCE_GDP, SOURCE_POP, require_tool

TITLES = ["北陸3県の地域経済指標", "北陸3県の県内総生産（名目）", "北陸地域の経済指標（総括）", "市区町村別人口"]


@pytest.fixture
def built(fake_reports, tmp_path):
    dest = tmp_path / "deck" / "hokuriku_hokuriku3.pptx"
    return deck.build_deck("北陸3県", reports_dir=fake_reports, dest=dest, build_date=date(2026, 11, 24))


def _texts(slide, name):
    return [s.text_frame.text for s in slide.shapes if s.name == name and s.has_text_frame]


def test__build_deck__slide_count_titles_and_source_lines(built):
    prs = Presentation(str(built))
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    slides = list(prs.slides)
    assert [s.shapes.title.text_frame.text for s in slides] == TITLES
    assert [_texts(s, "Source") for s in slides[1:]] == [[SOURCE_GDP], [SOURCE_GDP], [SOURCE_POP]]


def test__build_deck__title_slide_names_build_date_and_vintages(built):
    subtitle = _texts(Presentation(str(built)).slides[0], "Subtitle")[0]
    assert "作成日: 2026-11-24" in subtitle
    assert "kenmin_keizai 2022" in subtitle and "ssdse 2026" in subtitle


def test__build_deck__chart_is_picture_small_table_native_large_table_image(built):
    s1, s2, s3 = list(Presentation(str(built)).slides)[1:]
    assert [sh.shape_type for sh in s1.shapes].count(13) == 1  # MSO_SHAPE_TYPE.PICTURE
    tables = [sh for sh in s2.shapes if sh.has_table]
    assert len(tables) == 1
    cells = [[c.text for c in row.cells] for row in tables[0].table.rows]
    assert cells[0] == ["都道府県", "県内総生産（億円）"] and cells[-1] == ["北陸3県", "131,392"]
    assert not any(sh.has_table for sh in s3.shapes)  # 30 rows > 15: rendered as an image
    assert [sh.shape_type for sh in s3.shapes].count(13) == 1


def test__build_deck__every_run_sets_east_asian_typeface(built):
    prs = Presentation(str(built))
    runs = [r for s in prs.slides for sh in s.shapes if sh.has_text_frame for p in sh.text_frame.paragraphs for r in p.runs]
    runs += [r for s in prs.slides for sh in s.shapes if sh.has_table for row in sh.table.rows for c in row.cells
             for p in c.text_frame.paragraphs for r in p.runs]
    assert len(runs) > 10
    for r in runs:
        ea = r._r.rPr.find(qn("a:ea"))
        assert ea is not None and ea.get("typeface") == deck.EA_FONT, r.text
        assert r._r.rPr.get("lang") == "ja-JP"


def test__build_deck__other_region_gets_its_own_deck(fake_reports, tmp_path):
    path = deck.build_deck("16", reports_dir=fake_reports, dest=tmp_path / "p16.pptx")
    titles = [s.shapes.title.text_frame.text for s in Presentation(str(path)).slides]
    assert titles == ["富山県の地域経済指標", "富山県の県内総生産（名目）", "北陸地域の経済指標（総括）"]


def test__build_deck__no_outputs_is_a_clear_error(fake_reports):
    with pytest.raises(HokurikuError, match=r"No registered outputs .*hokuriku4.*make reports REGION=HOKURIKU4"):
        deck.build_deck("HOKURIKU4", reports_dir=fake_reports)


def test__build_deck__registered_chart_without_png_is_a_clear_error(fake_reports, tmp_path):
    (fake_reports / "10_gdp_overview" / "hokuriku3" / "gdp_by_pref.png").unlink()
    with pytest.raises(HokurikuError, match=r"chart 'gdp_by_pref' is registered but gdp_by_pref.png is missing"):
        deck.build_deck("HOKURIKU3", reports_dir=fake_reports, dest=tmp_path / "x.pptx")


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
