"""Notebook 40_population run through papermill for 北陸3県 and 富山県 alone; figures read back from its CSVs.

Reference numbers: ``tests/published/results/ipss.py`` (社人研 令和5年推計 結果表, typed with table and URL).
Reports go to a temporary folder; the real ``data/processed`` is kept so the store tables are reused.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from hokuriku import paths
from hokuriku.projection import TOTAL_TOLERANCE_PERSONS
from hokuriku.reporting import notebooks
from tests.published.results import ipss as IPSS

pytestmark = pytest.mark.slow
NAME = "40_population"
CHARTS = {"population_trend_chart", "population_index", "natural_social_change_chart", "age_structure_chart",
          "municipal_change_map", "scenario_totals_chart", "pyramid_1", "pyramid_4"}
TABLES = {"population_trend", "seed_figures", "natural_social_change", "age_structure", "municipal_change",
          "municipal_decline_ranking", "calibration_residuals", "calibration_prefecture_check", "scenario_totals",
          "scenario_components", "pyramids"}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reports")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(paths, "REPORTS", tmp)
        yield {region: notebooks.run(NAME, {"region": region}, force=True) for region in ("HOKURIKU3", "16")}


def _csv(folder, stem: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{stem}.csv", encoding="utf-8-sig", dtype={"area_code": str, "pref_code": str,
                                                                            "muni_code": str})


def test__nb40__seed_figures_exact(reports):
    seed = _csv(reports["HOKURIKU3"], "seed_figures").set_index(["area_code", "year"])
    for year, expected in IPSS.HOKURIKU3_TOTALS.items():
        assert seed.loc[("HOKURIKU3", year), "population_persons"] == expected
    assert seed.loc[("HOKURIKU3", 2030), "population_10k_rounded"] == 270  # seed deck: ≈270万
    assert seed.loc[("HOKURIKU3", 2040), "population_10k_rounded"] == 247  # seed deck: ≈247万
    for key, expected in IPSS.PREFECTURE_TOTALS.items():
        assert seed.loc[key, "population_persons"] == expected


def test__nb40__single_prefecture_run(reports):
    seed = _csv(reports["16"], "seed_figures").set_index(["area_code", "year"])
    assert set(seed.index.get_level_values("area_code")) == {"16"}
    assert seed.loc[("16", 2030), "population_persons"] == IPSS.PREFECTURE_TOTALS[("16", 2030)]
    trend = _csv(reports["16"], "population_trend")
    assert set(trend["area_code"]) == {"16", "00"}
    muni = _csv(reports["16"], "municipal_change")
    toyama = muni.loc[muni["muni_code"] == "16201", "population_2050_persons"].item()
    assert toyama == IPSS.MUNICIPAL_TOTALS[("16201", 2050)]


def test__nb40__national_comparator_is_stated_and_excludes_fukushima(reports):
    trend = _csv(reports["HOKURIKU3"], "population_trend")
    national = trend[trend["area_code"] == "00"]
    assert (national["area_name_ja"] == "全国（福島県を除く）").all()
    assert national["population_persons"].notna().all()
    idx = trend.set_index(["area_code", "year"])["index_base100"]
    assert round(idx[("HOKURIKU3", 2050)], 1) < round(idx[("00", 2050)], 1)  # 北陸3県 falls faster than 全国


def test__nb40__calibration_residuals_within_tolerance(reports):
    for folder in reports.values():
        res = _csv(folder, "calibration_residuals")
        assert res["max_abs_diff_persons"].max() <= TOTAL_TOLERANCE_PERSONS
        check = _csv(folder, "calibration_prefecture_check")
        assert check["diff_persons"].abs().max() <= TOTAL_TOLERANCE_PERSONS


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
