"""Scenarios: monotonicity, known additions, refusals, pyramids (tiny inline populations)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from hokuriku.errors import InputError
from hokuriku.projection import (
    AgeGroups, Base, Combined, FertilityTarget, MigrationScale, MoverProfile, PlantJobs, Rates, ZeroMigration,
    pyramid_frame, run_scenarios,
)

AGES = AgeGroups()
AREAS = ("16201", "17201", "18201")


def _model(separable: bool = True, migration: float | np.ndarray | None = None):
    rng = np.random.default_rng(3)
    base = rng.uniform(1_000, 3_000, (3, 2, len(AGES)))
    s = np.clip(1 - 0.002 * np.exp(0.3 * np.arange(len(AGES))), 0.3, 1)
    m = rng.uniform(-0.05, 0.05, (3, 2, len(AGES))) if migration is None else migration
    if separable:
        rates = Rates(survival=s, migration=m, cwr=[0.2, 0.25, 0.3], sex_ratio=1.05)
    else:
        rates = Rates(survival=s + m, migration=0.0, cwr=[0.2, 0.25, 0.3], sex_ratio=1.05, separable=False)
    return SimpleNamespace(base=base, rates=rates, areas=AREAS, ages=AGES, base_year=2020, steps=6)


def test__run_scenarios__more_in_migration_never_lowers_any_cell():
    """Adding δ ≥ 0 to every net migration rate cannot lower any area, sex, age or year."""
    model = _model()
    more = _model(migration=model.rates.migration + 0.03)
    low, high = (run_scenarios(m, [Base()]).population for m in (model, more))
    assert (high >= low).all() and (high[1:] > low[1:]).any()


def test__migration_scale__monotone_in_k_where_net_migration_is_inward():
    model = _model(migration=np.full((3, 2, len(AGES)), 0.02))
    proj = run_scenarios(model, [MigrationScale(k) for k in (0, 0.5, 1, 2, 4)])
    tot = proj.total_array  # (year, scenario, area)
    assert (np.diff(tot[1:], axis=1) > 0).all()


def test__zero_migration__equals_migration_times_zero_and_has_no_migrants():
    proj = run_scenarios(_model(), [ZeroMigration(), MigrationScale(0)])
    np.testing.assert_array_equal(proj.population[:, 0], proj.population[:, 1])
    comp = proj.components_frame().query("scenario == 'zero_migration'")
    assert (comp["net_migration_persons"] == 0).all()


def test__zero_migration__refused_on_net_cohort_change_ratios():
    with pytest.raises(InputError, match="needs survival and migration separately"):
        run_scenarios(_model(separable=False), [Base(), ZeroMigration()])
    with pytest.raises(InputError, match="k must be a finite number ≥ 0"):
        MigrationScale(-1)


def test__migration_scale__caps_outflow_at_the_survivors():
    model = _model(migration=np.full((3, 2, len(AGES)), -0.3))
    proj = run_scenarios(model, [MigrationScale(10)])
    assert (proj.population[1:, 0, :, :, 1:] == 0).all()  # everyone aged 5+ left, nobody below zero


def test__plant_jobs__adds_jobs_times_share_times_family_size():
    """1,000 jobs, 40 % from outside, families of 3.5: 1,400 persons arrive in 2025–2030 in 16201 only."""
    plant = PlantJobs("16201", jobs=1_000, year=2028, in_mover_share=0.4, family_size=3.5)
    proj = run_scenarios(_model(), [Base(), plant])
    diff = proj.total_array[:, 1] - proj.total_array[:, 0]
    np.testing.assert_allclose(diff[:2], 0)
    assert diff[2, 0] == pytest.approx(1_400)
    np.testing.assert_array_equal(diff[:, 1:], 0)
    added = proj.array(2030)[1, 0] - proj.array(2030)[0, 0]
    assert added[:, 4:9].sum() == pytest.approx(400 * 2)  # worker + spouse, ages 20-44
    assert added[:, :3].sum() == pytest.approx(400 * 1.5)  # 1.5 children per family, ages 0-14


def test__plant_jobs__monotone_in_jobs():
    proj = run_scenarios(_model(), [PlantJobs("17201", jobs=n, year=2031, in_mover_share=0.5, family_size=2.2)
                                    for n in (0, 100, 1_000, 5_000)])
    assert (np.diff(proj.total_array[:, :, 1], axis=1) >= 0).all()
    assert (np.diff(proj.total_array[3:, :, 1], axis=1) > 0).all()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (lambda: PlantJobs("16201", jobs=100, year=2060, in_mover_share=0.5, family_size=2), "outside the projection"),
        (lambda: PlantJobs("99999", jobs=100, year=2030, in_mover_share=0.5, family_size=2), "not in the projection"),
        (lambda: PlantJobs("16201", jobs=100, year=2030, in_mover_share=1.5, family_size=2), "in_mover_share"),
        (lambda: PlantJobs("16201", jobs=100, year=2030, in_mover_share=0.5, family_size=2,
                           profile=MoverProfile(worker_male_share=2)), "worker_male_share"),
        (lambda: FertilityTarget(target_tfr=6.0, by_year=2040, base_tfr=1.5), r"target TFR 6.0 is outside \(0.0, 5.0\)"),
        (lambda: FertilityTarget(target_tfr=1.8, by_year=2040, base_tfr={"16201": 1.5}), "base_tfr: no value"),
        (lambda: FertilityTarget(target_tfr=1.8, by_year=2040, base_tfr=0.0), "base TFR of area 16201"),
    ],
)
def test__scenarios__refuse_bad_parameters(spec, message):
    with pytest.raises(InputError, match=message):
        run_scenarios(_model(), [spec()])


def test__fertility_target__unchanged_tfr_is_base_and_higher_tfr_means_more_children():
    tfr = {"16201": 1.46, "17201": 1.38, "18201": 1.50}
    proj = run_scenarios(_model(), [Base(), FertilityTarget(1.46, 2040, {a: 1.46 for a in AREAS}, name="same"),
                                    FertilityTarget(2.07, 2040, tfr)])
    np.testing.assert_allclose(proj.population[:, 1], proj.population[:, 0])
    young = proj.population[1:, :, :, :, :3].sum(axis=(2, 3, 4))
    assert (young[:, 2] > young[:, 0]).all()


def test__fertility_target__factor_follows_the_linear_path():
    """TFR 1.5 → 2.0 by 2040: the 2020–25 step uses TFR(2022.5) = 1.5625, from 2040 on 2.0."""
    model = _model()
    proj = run_scenarios(model, [Base(), FertilityTarget(2.0, 2040, 1.5)])
    women = proj.array(2025)[0][:, 1, 3:10].sum(-1)
    births = proj.array(2025)[1][:, :, 0].sum(-1)
    np.testing.assert_allclose(births, np.array([0.2, 0.25, 0.3]) * 1.5625 / 1.5 * women)


def test__combined__applies_parts_in_order():
    spec = Combined((ZeroMigration(), PlantJobs("18201", 500, 2025, 1.0, 1.0)))
    assert spec.name == "zero_migration+plant_18201_500jobs_2025"
    proj = run_scenarios(_model(), [ZeroMigration(), spec])
    assert proj.total_array[1, 1, 2] - proj.total_array[1, 0, 2] == pytest.approx(500)


def test__run_scenarios__refuses_duplicate_names():
    with pytest.raises(InputError, match="unique"):
        run_scenarios(_model(), [Base(), Base()])


def test__pyramid_frame__base_vs_scenario():
    proj = run_scenarios(_model(), [Base(), PlantJobs("16201", 2_000, 2030, 0.5, 3.0)])
    df = pyramid_frame(proj, 2050, areas=["16201", "17201"], area_label="富山市+金沢市")
    assert len(df) == 2 * 2 * len(AGES)
    assert set(df["area_label"]) == {"富山市+金沢市"}
    np.testing.assert_allclose(df.groupby("scenario")["share_pct"].sum(), 100)
    assert (df.query("sex == 'male'")["population_signed"] <= 0).all()
    total = df.groupby("scenario")["population_persons"].sum()
    assert total.iloc[1] > total.iloc[0]
    with pytest.raises(InputError, match="not a projection year"):
        pyramid_frame(proj, 2052)
