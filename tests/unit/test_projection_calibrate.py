"""Calibration to official totals: synthetic areas in three prefectures with known answers."""

from __future__ import annotations

from io import StringIO

import numpy as np
import pandas as pd
import pytest

from hokuriku.errors import InputError
from hokuriku.projection import (
    TOTAL_TOLERANCE_PERSONS, AgeGroups, Rates, band_ccr, calibrate, child_woman_ratio, closed_population_survival,
    project, sex_ratio_0_4,
)

AGES = AgeGroups()  # 0-4 … 90+
AREAS = [f"{pref}{i:03d}" for pref in ("16", "17", "18") for i in (201, 202, 203, 204)]
YEARS = list(range(2025, 2051, 5))


def _frame(arr: np.ndarray, value: str = "population_persons") -> pd.DataFrame:
    idx = pd.MultiIndex.from_product([AREAS, ["male", "female"], AGES.labels], names=["area_code", "sex", "age_group"])
    return pd.DataFrame({value: arr.reshape(-1)}, index=idx).reset_index()


@pytest.fixture(scope="module")
def synthetic():
    """A base population and a 'published' projection made by the engine with known factors.

    Each area's truth: CCR = shape × per-area level drifting each step, CWR × 1.2, CCR of 65+ × 0.97.
    """
    rng = np.random.default_rng(7)
    g = np.arange(len(AGES))
    base = rng.uniform(500, 3_000, (len(AREAS), 2, len(AGES))) * np.exp(-0.02 * g)
    ccr = np.clip(1.0 - 0.0015 * np.exp(0.28 * g), 0.35, None)[None, None] * np.ones((len(AREAS), 2, 1))
    ccr[:, :, 3:6] *= rng.uniform(0.85, 1.05, (len(AREAS), 1, 1))  # ages 15-29: migration differs by area
    drift = 1 + 0.01 * rng.standard_normal((len(YEARS), len(AREAS)))
    truth = ccr[None] * drift[:, :, None, None]
    truth[..., 13:] *= 0.97
    cwr = 1.2 * child_woman_ratio(base, AGES)
    rates = Rates(survival=truth[None], migration=0.0, cwr=cwr, sex_ratio=sex_ratio_0_4(base), separable=False)
    official = project(base, rates, steps=len(YEARS), base_year=2020, areas=AREAS, components=False)
    totals = official.totals().query("year > 2020").drop(columns="scenario")
    age3 = official.age3().query("year == 2050").drop(columns="scenario")
    return {"base": _frame(base), "ccr": _frame(ccr, "ccr"), "totals": totals, "age3": age3}


def test__calibrate__reproduces_totals_of_every_area_and_prefecture(synthetic):
    cal = calibrate(synthetic["base"], synthetic["ccr"], synthetic["totals"], age3_target=synthetic["age3"])
    res = cal.total_residuals
    assert len(res) == len(AREAS) * len(YEARS)
    assert res["diff_persons"].abs().max() <= TOTAL_TOLERANCE_PERSONS
    model = cal.project().totals().query("year > 2020")
    by_pref = model.assign(pref_code=model["area_code"].str[:2]).groupby(["pref_code", "year"])["population_persons"]
    published = synthetic["totals"].assign(pref_code=synthetic["totals"]["area_code"].str[:2])
    published = published.groupby(["pref_code", "year"])["population_persons"]
    assert (by_pref.sum() - published.sum()).abs().max() <= TOTAL_TOLERANCE_PERSONS


def test__calibrate__recovers_known_fertility_and_elderly_factors(synthetic):
    cal = calibrate(synthetic["base"], synthetic["ccr"], synthetic["totals"], age3_target=synthetic["age3"],
                    grid=9, refine=3)
    assert cal.age3_residuals["diff_share_pt"].abs().max() < 0.05
    np.testing.assert_allclose(cal.params["fertility_factor"], 1.2, atol=0.03)
    np.testing.assert_allclose(cal.params["elderly_factor"], 0.97, atol=0.01)
    assert not cal.params["is_at_bound"].any()


def test__calibrate__without_age_detail_matches_totals_only(synthetic):
    cal = calibrate(synthetic["base"], synthetic["ccr"], synthetic["totals"])
    assert cal.age3_residuals is None
    assert (cal.params[["fertility_factor", "elderly_factor"]] == 1).all().all()
    assert cal.total_residuals["diff_persons"].abs().max() <= TOTAL_TOLERANCE_PERSONS
    assert not cal.rates.separable


def test__calibrate__with_survival_splits_ccr_into_s_and_m(synthetic):
    survival = synthetic["ccr"].query("area_code == '16201'").drop(columns="area_code")
    survival = closed_population_survival(survival)
    cal = calibrate(synthetic["base"], synthetic["ccr"], synthetic["totals"], survival=survival)
    assert cal.rates.separable
    np.testing.assert_array_equal(cal.rates.survival[0, 0, 0, 0], np.minimum(survival["survival"][:19], 1))
    net = calibrate(synthetic["base"], synthetic["ccr"], synthetic["totals"])  # same CCR, not split
    np.testing.assert_allclose(cal.rates.survival + cal.rates.migration, net.rates.survival)
    comp = cal.project().components_frame()
    assert comp["net_migration_persons"].notna().all()
    assert cal.total_residuals["diff_persons"].abs().max() <= TOTAL_TOLERANCE_PERSONS


def test__calibrate__refuses_areas_missing_from_the_base(synthetic):
    extra = pd.DataFrame({"area_code": ["19201"], "year": [2025], "population_persons": [1000.0]})
    with pytest.raises(InputError, match=r"areas missing from the base: \['19201'\]"):
        calibrate(synthetic["base"], synthetic["ccr"], pd.concat([synthetic["totals"], extra]))
    with pytest.raises(InputError, match="no positive official total"):
        calibrate(synthetic["base"], synthetic["ccr"], synthetic["totals"].query("area_code != '18204'"))
    with pytest.raises(InputError, match="not the 5-year steps"):
        calibrate(synthetic["base"], synthetic["ccr"], synthetic["totals"].query("year != 2030"))
    with pytest.raises(InputError, match=r"ccr: areas missing: \['18204'\]"):
        calibrate(synthetic["base"], synthetic["ccr"].query("area_code != '18204'"), synthetic["totals"])


BANDS_2015 = """area_code,sex,band,population_persons
16201,male,0-14,100
16201,male,15-64,600
16201,male,65-74,150
16201,male,75+,100
"""
BANDS_2020 = """area_code,sex,band,population_persons
16201,male,5-19,95
16201,male,20-69,588
16201,male,70-79,135
16201,male,80+,70
"""


def test__band_ccr__gives_each_five_year_group_its_band_ratio():
    start, end = (pd.read_csv(StringIO(t), dtype={"area_code": str}) for t in (BANDS_2015, BANDS_2020))
    out = band_ccr(start, end).set_index("age_group")["ccr"]
    assert len(out) == len(AGES)
    assert out["0-4"] == out["10-14"] == pytest.approx(0.95)
    assert out["15-19"] == out["60-64"] == pytest.approx(0.98)
    assert out["65-69"] == out["70-74"] == pytest.approx(0.90)
    assert out["75-79"] == out["90+"] == pytest.approx(0.70)


def test__band_ccr__refuses_bands_that_are_not_shifted_or_do_not_chain():
    start, end = (pd.read_csv(StringIO(t), dtype={"area_code": str}) for t in (BANDS_2015, BANDS_2020))
    with pytest.raises(InputError, match="not a start band shifted by 5 years"):
        band_ccr(start, end.replace({"band": {"80+": "75+"}}))
    with pytest.raises(InputError, match="do not chain"):
        band_ccr(start.query("band != '65-74'"), end.query("band != '70-79'"))
