"""Cohort-component engine: known answers on tiny inline populations, and input checks.

Ages use ``AgeGroups(open_age=20)``: 0-4, 5-9, 10-14, 15-19, 20+ (women 15–49 = the last two).
"""

from __future__ import annotations

from io import StringIO

import numpy as np
import pandas as pd
import pytest

from hokuriku.errors import InputError
from hokuriku.projection import AgeGroups, Rates, collapse_open, frame_to_array, project, prorate_unknown
from hokuriku.projection import cohort_component as cc

AGES = AgeGroups(open_age=20)
AREAS = ("16201", "17201")


def _base() -> np.ndarray:
    """Area 16201: 10 persons in every cell; area 17201: 1, 2, 3, 4, 5 by age for both sexes."""
    base = np.empty((2, 2, 5))
    base[0] = 10.0
    base[1] = np.arange(1, 6)
    return base


def _run(rates: Rates, steps: int = 2, **kw):
    return project(_base(), rates, steps=steps, base_year=2020, areas=AREAS, ages=AGES, **kw)


def test__project__closed_population_without_births_only_shifts_ages():
    """S = 1, M = 0, CWR = 0: each group moves up one, the open group accumulates, 0–4 empties."""
    proj = _run(Rates(survival=1.0, migration=0.0, cwr=0.0, sex_ratio=1.05), steps=2)
    pop = proj.population[:, 0, 1, 0]  # area 17201, male
    np.testing.assert_array_equal(pop[1], [0, 1, 2, 3, 4 + 5])
    np.testing.assert_array_equal(pop[2], [0, 0, 1, 2, 3 + 4 + 5])
    assert proj.years == (2020, 2025, 2030)


def test__project__zero_mortality_known_answer():
    """S = 1, M = 0, CWR = 0.5, sex ratio 1: area 16201 gains 0.5 × women 15+ at t+5 = 0.5 × (10 + 20)."""
    proj = _run(Rates(survival=1.0, migration=0.0, cwr=0.5, sex_ratio=1.0), steps=1)
    new = proj.population[1, 0, 0]
    np.testing.assert_array_equal(new[:, 0], [7.5, 7.5])
    assert proj.total_array[1, 0, 0] == 100 + 15
    comp = proj.components_frame().set_index("area_code").loc["16201"]
    assert (comp["births_persons"], comp["deaths_persons"], comp["net_migration_persons"]) == (15, 0, 0)


def test__project__survival_only_halves_every_group():
    proj = _run(Rates(survival=0.5, migration=0.0, cwr=0.0, sex_ratio=1.0), steps=3)
    np.testing.assert_allclose(proj.totals().query("area_code == '16201'")["population_persons"], [100, 50, 25, 12.5])
    comp = proj.components_frame().query("area_code == '16201'")
    np.testing.assert_allclose(comp["deaths_persons"], [50, 25, 12.5])


def test__project__components_add_up_to_the_change():
    rng = np.random.default_rng(1)
    s = rng.uniform(0.8, 1.0, (2, 2, 5))
    rates = Rates(survival=s, migration=rng.uniform(-0.1, 0.1, (2, 2, 5)), cwr=[0.2, 0.3], sex_ratio=1.05)
    proj = _run(rates, steps=3)
    comp = proj.components_frame()
    change = comp["births_persons"] - comp["deaths_persons"] + comp["net_migration_persons"]
    tot = proj.total_array[:, 0]
    np.testing.assert_allclose(change.to_numpy().reshape(3, 2), tot[1:] - tot[:-1])


def test__project__asfr_known_answer():
    """ASFR 0.02/yr at 15–19 and 0.01/yr at 20+, S = 1: births = 5 × Σ f × mean(women at t, t+5)."""
    rates = Rates(survival=1.0, migration=0.0, asfr=[0.02, 0.01], birth_ccr=[1.0, 1.0], sex_ratio=1.0)
    proj = _run(rates, steps=1)
    # Area 16201 women: 15-19 10 → 10, 20+ 10 → 20; births = 5 × (0.02 × 10 + 0.01 × 15) = 1.75.
    assert proj.population[1, 0, 0, :, 0].sum() == pytest.approx(1.75)


def test__project__control_scales_areas_to_the_given_total():
    rates = Rates(survival=0.9, migration=0.0, cwr=0.2, sex_ratio=1.05)
    proj = _run(rates, steps=2, control=[120.0, 110.0])
    np.testing.assert_allclose(proj.total_array[1:, 0].sum(-1), [120, 110])
    share = proj.total_array[:, 0, 0] / proj.total_array[:, 0].sum(-1)
    free = _run(rates, steps=2)
    np.testing.assert_allclose(share, free.total_array[:, 0, 0] / free.total_array[:, 0].sum(-1))


def test__project__blocks_and_threads_do_not_change_results(monkeypatch):
    rng = np.random.default_rng(2)
    rates = Rates(survival=rng.uniform(0.7, 1, (2, 2, 5)), migration=rng.uniform(-0.2, 0.2, (3, 1, 2, 2, 5)),
                  cwr=0.25, sex_ratio=1.05)
    one = _run(rates, steps=3, threads=1)
    monkeypatch.setattr(cc, "BLOCK_CELLS", 1)  # one area per block, run on two threads
    many = _run(rates, steps=3, threads=2)
    np.testing.assert_array_equal(one.population, many.population)
    np.testing.assert_array_equal(one.total_array, many.total_array)


def test__projection__frames_are_tidy_and_consistent():
    proj = _run(Rates(survival=0.95, migration=0.01, cwr=0.2, sex_ratio=1.05), steps=2, keep_years=[2030])
    df = proj.to_frame()
    assert list(df.columns) == ["area_code", "scenario", "year", "sex", "age_group", "population_persons"]
    assert len(df) == 1 * 1 * 2 * 2 * 5 and set(df["year"]) == {2030}
    tot = proj.totals().query("year == 2030").set_index("area_code")["population_persons"]
    pd.testing.assert_series_equal(df.groupby("area_code")["population_persons"].sum(), tot, check_names=False)
    a3 = proj.age3()
    assert set(a3["age3"]) == {"0-14", "15-64", "65+"} and len(a3) == 3 * 2 * 3
    with pytest.raises(InputError, match="not kept in full"):
        proj.array(2025)


@pytest.mark.parametrize(
    ("rates", "message"),
    [
        (Rates(survival=-0.1, migration=0.0, cwr=0.2, sex_ratio=1.05), "survival: expected a survival probability"),
        (Rates(survival=1.2, migration=0.0, cwr=0.2, sex_ratio=1.05), r"survival probability within \[0, 1.0\]"),
        (Rates(survival=0.9, migration=-0.95, cwr=0.2, sex_ratio=1.05), "survival \\+ migration < 0"),
        (Rates(survival=0.9, migration=0.0, cwr=-0.2, sex_ratio=1.05), "child–woman ratio ≥ 0"),
        (Rates(survival=0.9, migration=0.0, cwr=0.2, sex_ratio=0.0), "sex ratio"),
        (Rates(survival=0.9, migration=0.0, asfr=[0.6, 0.6], birth_ccr=1.0, sex_ratio=1.0), "TFR outside"),
        (Rates(survival=0.9, migration=0.0, sex_ratio=1.0), "exactly one fertility input"),
        (Rates(survival=np.ones((3, 2, 5)), migration=0.0, cwr=0.2, sex_ratio=1.0), "expected .*2 areas"),
    ],
)
def test__project__refuses_impossible_rates(rates, message):
    with pytest.raises(InputError, match=message):
        _run(rates)


def test__check_rates__names_the_offending_cell():
    s = np.full((2, 2, 5), 0.9)
    s[1, 1, 3] = -0.5
    with pytest.raises(InputError, match=r"area 17201, sex female, age group 15-19: -0.5"):
        _run(Rates(survival=s, migration=0.0, cwr=0.2, sex_ratio=1.0))


POP = """area_code,sex,age_group,population_persons
16201,男,0～4歳,5
16201,男,5～9歳,6
16201,男,10歳以上,7
16201,女,0～4歳,5
16201,女,5～9歳,6
16201,女,10歳以上,7
"""


def test__frame_to_array__reads_printed_labels():
    areas, ages, arr = frame_to_array(pd.read_csv(StringIO(POP), dtype={"area_code": str}))
    assert areas == ("16201",) and ages.labels == ("0-4", "5-9", "10+")
    np.testing.assert_array_equal(arr[0, 1], [5, 6, 7])


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("5～9歳", "10～14歳", "do not chain"),
        ("5～9歳", "5～14歳", "10 years wide"),
        ("10歳以上", "10～14歳", "must be open-ended"),
        ("男", "X", "unknown sex label"),
    ],
)
def test__frame_to_array__refuses_groups_that_do_not_chain(old, new, message):
    df = pd.read_csv(StringIO(POP.replace(old, new)), dtype={"area_code": str})
    with pytest.raises(InputError, match=message):
        frame_to_array(df)


def test__frame_to_array__refuses_missing_and_negative_cells():
    df = pd.read_csv(StringIO(POP), dtype={"area_code": str})
    with pytest.raises(InputError, match="no value for area 16201, sex female, age group 5-9"):
        frame_to_array(df.drop(index=4))
    with pytest.raises(InputError, match="must be finite and ≥ 0"):
        frame_to_array(df.assign(population_persons=df["population_persons"] - 6))
    with pytest.raises(InputError, match=r"areas missing: \['17201'\]"):
        frame_to_array(df, areas=["16201", "17201"])


def test__prorate_unknown__keeps_totals_and_proportions():
    df = pd.read_csv(StringIO(POP + "16201,男,不詳,9\n"), dtype={"area_code": str})
    out = prorate_unknown(df)
    male = out[out["sex"] == "男"]["population_persons"].to_numpy()
    np.testing.assert_allclose(male, [5 + 9 * 5 / 18, 6 + 9 * 6 / 18, 7 + 9 * 7 / 18])
    assert out["population_persons"].sum() == df["population_persons"].sum()


def test__collapse_open__sums_groups_above_the_open_age():
    df = pd.read_csv(StringIO(POP), dtype={"area_code": str})
    out = collapse_open(df, open_age=5)
    assert out.query("sex == '女'")["population_persons"].tolist() == [5, 13]
    assert out["age_group"].tolist()[:2] == ["0～4歳", "5+"]
