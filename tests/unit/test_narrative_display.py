"""Report sentences come from the tables; tables show with Japanese headers and separators, no index."""

from __future__ import annotations

from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from PIL import Image  # noqa: E402

from hokuriku.codes.prefectures import region  # noqa: E402
from hokuriku.plotting import charts, use_house_style  # noqa: E402
from hokuriku.reporting import display, narrative, outputs  # noqa: E402


def _overview(reg, values):
    name = reg.name_ja
    summary = pd.DataFrame({"項目": ["面積", "人口"], "時点": ["2025/10/1", "2022/1/1"], "単位": ["km²", "千人"],
                            "全国": [377980, 125928], name: values, "全国比(%)": [v / n * 100 for v, n in
                                                                                zip(values, [377980, 125928], strict=True)]})
    return SimpleNamespace(region=reg, summary=summary)


def test__regional_summary__states_the_region_of_the_run_and_its_figures():
    text = narrative.regional_summary(_overview(region("16"), [4248, 1037]))
    assert "富山県の総括表" in text and "面積（2025/10/1）：4,248 km²（全国 377,980 km²、全国比 1.1%）" in text
    assert "北陸3県" not in text
    assert "上回るのは 面積" in text  # 1.1% > 人口の 0.8%


def test__gdp_growth__years_from_the_table_and_equal_rates_said_so():
    cols = {"名目増加率(%)": [13.7, 13.7], "名目年平均成長率(%)": [1.2, 1.2], "実質増加率(%)": [8.6, 8.6],
            "実質年平均成長率(%)": [0.8, 0.8], "名目2013年度(億円)": [1, 1], "名目2023年度(億円)": [2, 2]}
    growth = pd.DataFrame({"unit_code": ["ESRI_CHUBU", "00"], "地域": ["中部", "全国"], **cols})
    text = narrative.gdp_growth(SimpleNamespace(region=region("ESRI:中部"), growth=growth))
    assert text.startswith("2013年度から2023年度まで") and "全国と同じです" in text


def test__shift_share__extremes_with_japanese_minus():
    ss = pd.DataFrame({"経済活動": ["製造業", "建設業", "16活動計"], "増減(億円)": [1.0, -2.0, -1.0],
                       "全国成長要因(億円)": [0.5, 0.5, 1.0], "産業構成要因(億円)": [0.0, 0.0, 0.0],
                       "地域特殊要因(億円)": [1752.1, -3313.8, -1561.7]})
    text = narrative.shift_share(SimpleNamespace(region=region("16"), shift_share=ss))
    assert "最も小さいのは建設業（−3,313.8 億円）" in text and "最も大きいのは製造業（1,752.1 億円）" in text


def test__display__japanese_headers_separators_no_index_no_dtype():
    df = pd.DataFrame({"year": [2020, 2050], "population_persons": [1234567.0, 987654.0], "industry_key": ["a", "b"]})
    page = display.to_html(df.set_index("year"))
    assert "<th>年</th><th>人口（人）</th>" in page and "1,234,567" in page and "2020" in page
    assert "industry_key" not in page and "dtype" not in page and "2,020" not in page
    series = display.to_text(pd.Series([1.5, 2.25], index=["a", "b"], name="share_pct"))
    assert "構成比（%）" in series and "dtype" not in series


def test__display__long_tables_are_cut_with_a_note():
    page = display.to_html(pd.DataFrame({"x": range(100)}))
    assert page.count("<tr>") == display.MAX_ROWS + 1 and "全100行" in page


def test__save_chart__two_renderings_bare_deck_png_and_titled_report(tmp_path):
    use_house_style()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.bar(["a", "b"], [1, 2])
    charts.add_title(fig, "題名", "副題")
    charts.add_source_line(fig, "(出所) 内閣府「県民経済計算」")
    written = outputs.save_chart(fig, tmp_path, "c", "題名", "(出所) 内閣府「県民経済計算」")
    assert sorted(p.name for p in written) == ["c.png", "c.svg", "c_deck.png"]
    assert outputs.read_outputs(tmp_path)[0]["deck_image"] == "c_deck.png"
    svg = (tmp_path / "c.svg").read_text(encoding="utf-8")
    assert "hokuriku-title" in svg and "hokuriku-source" in svg  # the report rendering carries title and (出所)
    with Image.open(tmp_path / "c.png") as report, Image.open(tmp_path / "c_deck.png") as bare:
        assert bare.height < report.height  # title band and source line trimmed away
    assert all(t.get_visible() for t in charts.decor_texts(fig))  # the figure itself is left as drawn
    plt.close(fig)


def test__save_chart__draws_title_and_source_when_the_notebook_did_not(tmp_path):
    use_house_style()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.plot([1, 2], [1, 2])
    outputs.save_chart(fig, tmp_path, "d", "人口の推移", "(出所) 総務省「国勢調査」")
    assert [t.get_text() for t in charts.decor_texts(fig, "title")] == ["人口の推移"]
    assert [t.get_text() for t in charts.decor_texts(fig, "source")] == ["(出所) 総務省「国勢調査」"]
    plt.close(fig)


def test__outputs__files_and_folder_follow_the_umask(tmp_path):
    import os

    folder = tmp_path / "staging"
    folder.mkdir(mode=0o700)
    old = os.umask(0o022)
    try:
        outputs.save_table(pd.DataFrame({"a": [1]}), folder, "t", "表", "(出所) 某")
    finally:
        os.umask(old)
    assert folder.stat().st_mode & 0o777 == 0o755
    assert {p.name: p.stat().st_mode & 0o777 for p in folder.iterdir()} == {
        "t.csv": 0o644, "t.xlsx": 0o644, "outputs.json": 0o644}


def test__data_sources__editions_from_the_manifests_of_the_run_once_each():
    """Issue #15: the edition sentence follows the (source, vintage) pairs, so a new vintage needs no notebook edit."""
    text = narrative.data_sources({"kenmin_keizai": "2022", "kenmin_keizai_activity": "2022"})
    assert text == "使用したデータ：\n\n- 内閣府「令和4年度県民経済計算」"  # same citation listed once
    older = narrative.data_sources([("juki", "2024-01-01")])
    newer = narrative.data_sources([("juki", "2025-01-01")])
    assert "令和6年1月1日現在" in older and "令和7年1月1日現在" in newer


def test__population_periods__census_and_projection_years_from_the_trend_table():
    trend = pd.DataFrame({"year": [1995, 2000, 2020, 2025, 2045], "status": ["census", "census", "census",
                                                                           "projection", "projection"]})
    report = SimpleNamespace(tables={"population_trend": trend},
                             pairs={"population_trend": [("ipss_projection", "r5_kurashi")]})
    text = narrative.population_periods(report)
    assert text.startswith("実績（国勢調査）は1995〜2020年、推計（社人研、グラフの破線）は2025〜2045年です。")
    assert "国立社会保障・人口問題研究所「日本の地域別将来推計人口（令和5(2023)年推計）」" in text


def test__scatter_long_period__years_and_end_point_editions():
    res = SimpleNamespace(scatter_long_years={"start": 2000, "end": 2024, "start_employees": 2001,
                                              "end_employees": 2021},
                          vintages={"ess_muni": "2024", "kogyo_tokei": "2019"})
    text = narrative.scatter_long_period(res)
    assert "始点は2000年、終点は手元で最も新しい市区町村別の製造品出荷額等の2024年です。" in text
    assert "始点が2001年工業統計、終点が2021年経済センサス" in text
    assert "2025年経済構造実態調査 製造業事業所調査（2024年実績）" in text and "工業統計調査」" not in text
