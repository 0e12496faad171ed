"""Notebook 40_population run through papermill for 北陸3県 and 富山県 alone; figures read back from its CSVs.

Reference numbers: ``tests/published/results/ipss.py`` (社人研 令和5年推計 結果表, typed with table and URL).
Reports go to a temporary folder; the real ``data/processed`` is kept so the store tables are reused.
The saved tables carry Japanese headers (:func:`hokuriku.analysis.population.display_table`); codes stay
zero-padded strings.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from hokuriku import paths
from hokuriku.projection import TOTAL_TOLERANCE_PERSONS
from hokuriku.reporting import notebooks
from tests.published.results import ipss as IPSS
from tests.published.results import juki as JUKI

pytestmark = pytest.mark.slow
NAME = "40_population"
CHARTS = {"population_trend_chart", "population_index", "natural_social_change_chart", "age_structure_chart",
          "municipal_change_map", "scenario_totals_chart", "pyramid_1", "pyramid_4", "pyramid_census_vs_projection",
          "natural_social_change_juki_chart", "juki_municipal_change_chart"}
TABLES = {"population_trend", "seed_figures", "natural_social_change", "age_structure", "municipal_change",
          "municipal_decline_ranking", "calibration_residuals", "calibration_prefecture_check", "scenario_totals",
          "scenario_components", "pyramids", "pyramid_census_vs_projection", "pyramid_plausibility",
          "projection_method", "backtest", "backtest_summary",
          "natural_social_change_comparison", "juki_natural_social_change", "juki_municipal_change"}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reports")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(paths, "REPORTS", tmp)
        # 富山県 also runs a scenario combining levers from parameters alone (areas by name and by int code)
        yield {"HOKURIKU3": notebooks.run(NAME, {"region": "HOKURIKU3"}, force=True),
               "16": notebooks.run(NAME, {"region": "16", "scenarios": [*SCENARIO_KEYS, LEVERS]}, force=True)}


AREA, MUNI, YEAR, PERSONS = "地域コード", "市区町村コード", "年", "人口（人）"
SCENARIO_KEYS = ["base", "zero_migration", "migration_scale", "fertility_target", "plant"]
LEVERS = {"name": "富山県 成長", "target_tfr": 1.8, "tfr_by_year": 2040, "migration_k": 0.5,
          "plant": [{"area": "射水市", "jobs": 1000, "year": 2027}, {"area": 16201, "jobs": 500, "year": 2030}]}


def _csv(folder, stem: str) -> pd.DataFrame:
    codes = {AREA: str, "都道府県コード": str, MUNI: str}
    return pd.read_csv(folder / f"{stem}.csv", encoding="utf-8-sig", dtype=codes)


def test__nb40__seed_figures_exact(reports):
    seed = _csv(reports["HOKURIKU3"], "seed_figures").set_index([AREA, YEAR])
    for year, expected in IPSS.HOKURIKU3_TOTALS.items():
        assert seed.loc[("HOKURIKU3", year), PERSONS] == expected
    assert seed.loc[("HOKURIKU3", 2030), "人口（万人、四捨五入）"] == 270  # seed deck: ≈270万
    assert seed.loc[("HOKURIKU3", 2040), "人口（万人、四捨五入）"] == 247  # seed deck: ≈247万
    for key, expected in IPSS.PREFECTURE_TOTALS.items():
        assert seed.loc[key, PERSONS] == expected


def test__nb40__single_prefecture_run(reports):
    seed = _csv(reports["16"], "seed_figures").set_index([AREA, YEAR])
    assert set(seed.index.get_level_values(AREA)) == {"16"}
    assert seed.loc[("16", 2030), PERSONS] == IPSS.PREFECTURE_TOTALS[("16", 2030)]
    trend = _csv(reports["16"], "population_trend")
    assert set(trend[AREA]) == {"16", "00"}
    muni = _csv(reports["16"], "municipal_change")
    toyama = muni.loc[muni[MUNI] == "16201", "2050年人口（人）"].item()
    assert toyama == IPSS.MUNICIPAL_TOTALS[("16201", 2050)]


def test__nb40__national_comparator_is_stated_and_excludes_fukushima(reports):
    trend = _csv(reports["HOKURIKU3"], "population_trend")
    national = trend[trend[AREA] == "00"]
    assert (national["地域"] == "全国（福島県を除く）").all()
    assert national[PERSONS].notna().all()
    idx = trend.set_index([AREA, YEAR])["指数（基準年=100）"]
    assert round(idx[("HOKURIKU3", 2050)], 1) < round(idx[("00", 2050)], 1)  # 北陸3県 falls faster than 全国


def test__nb40__calibration_residuals_within_tolerance(reports):
    for folder in reports.values():
        res = _csv(folder, "calibration_residuals")
        assert res["最大絶対誤差（人）"].max() <= TOTAL_TOLERANCE_PERSONS
        check = _csv(folder, "calibration_prefecture_check")
        assert check["差（人）"].abs().max() <= TOTAL_TOLERANCE_PERSONS


def test__nb40__every_chart_registered_with_title_and_source(reports):
    for folder in reports.values():
        outputs = json.loads((folder / "outputs.json").read_text(encoding="utf-8"))["outputs"]
        charts = {o["stem"] for o in outputs if o["kind"] == "chart"}
        assert CHARTS <= charts
        assert TABLES <= {o["stem"] for o in outputs if o["kind"] == "table"}
        for o in outputs:
            assert o["title_ja"] and o["source_note"].startswith("(出所)")
            assert all((folder / f).exists() for f in o["files"])
        assert (folder / f"{NAME}.html").exists()


def test__nb40__saved_tables_have_japanese_headers_and_rounded_values(reports):
    for folder in reports.values():
        for stem in TABLES:
            t = _csv(folder, stem)
            machine = [c for c in t.columns if re.fullmatch(r"[a-z0-9_]+", c)]
            assert not machine, f"{stem}: machine column names {machine}"
        muni = _csv(folder, "municipal_change")
        assert muni[MUNI].str.fullmatch(r"\d{5}").all()
        assert (muni["増減率（%）"].dropna() == muni["増減率（%）"].dropna().round(1)).all()


def test__nb40__juki_natural_and_social_change_to_2024(reports):
    """住基 flows (latest vintage 2025-01-01 → calendar 2024) for prefectures, the region, 全国 and municipalities."""
    series = _csv(reports["HOKURIKU3"], "juki_natural_social_change").set_index([AREA, "年（1〜12月）"])
    for code, (natural, social) in JUKI.FLOWS_2024.items():
        assert tuple(series.loc[(code, 2024), ["自然増減（人）", "社会増減（人）"]]) == (natural, social)
    region = tuple(sum(JUKI.FLOWS_2024[c][k] for c in ("16", "17", "18")) for k in (0, 1))
    assert tuple(series.loc[("HOKURIKU3", 2024), ["自然増減（人）", "社会増減（人）"]]) == region
    assert sorted(set(series.index.get_level_values(1))) == [2020, 2021, 2022, 2023, 2024]
    comparison = _csv(reports["HOKURIKU3"], "natural_social_change_comparison").set_index([AREA, YEAR])
    assert comparison.loc[("HOKURIKU3", 2024), "自然増減・住基（人）"] == region[0]
    assert pd.isna(comparison.loc[("HOKURIKU3", 2024), "自然増減・SSDSE-B（人）"])  # SSDSE-B 2025 ed. ends in 2022
    assert comparison.loc[("HOKURIKU3", 2022), "自然増減・SSDSE-B（人）"] == -21_929
    muni = _csv(reports["HOKURIKU3"], "juki_municipal_change").set_index(MUNI)
    assert len(muni) == 51  # 富山15 + 石川19 + 福井17 municipalities: no 郡 or prefecture rows
    for code, (natural, social) in JUKI.FLOWS_2024_MUNICIPAL.items():
        assert muni.loc[code, "社会増減（人）"] == social
        if natural is not None:
            assert muni.loc[code, "自然増減（人）"] == natural


def test__nb40__folders_named_after_the_region_and_what_if_runs_kept_apart(reports):
    assert reports["HOKURIKU3"].name == "北陸3県"
    assert reports["16"].name.startswith("富山県__")  # non-default parameters: its own folder, never overwritten


def test__nb40__plausible_pyramids_and_backtest_in_the_report(reports):
    for folder in reports.values():
        checks = _csv(folder, "pyramid_plausibility")
        assert (checks["合格"] == "○").all()
        summary = _csv(folder, "backtest_summary")
        assert summary["平均絶対誤差（%）"].max() < 1.5  # docs/assumptions_caveats.md "Backtest"


def test__nb40__combined_levers_from_parameters(reports):
    scen = _csv(reports["16"], "scenario_totals")
    final = scen[scen[YEAR] == 2050].set_index("シナリオ")
    assert list(final.index)[0] == "基準" and list(final.index)[-1] == "富山県 成長" and len(final) == 6
    assert final.loc["富山県 成長", PERSONS] > final.loc["基準", PERSONS]
