"""5-year cohort change ratios with the open-band closure, municipal scaling/pooling, pyramid checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hokuriku.errors import InputError
from hokuriku.projection import AgeGroups
from hokuriku.projection.schedules import cohort_ratios, pooled_cwr, pyramid_checks, scale_schedule


def _frame(area, values, open_age):
    ages = AgeGroups(open_age)
    rows = [{"area_code": area, "sex": sex, "age_group": lab, "population_persons": v * (1 + i)}
            for i, sex in enumerate(("male", "female")) for lab, v in zip(ages.labels, values, strict=True)]
    return pd.DataFrame(rows)


def test__cohort_ratios__closure_from_the_start_open_band():
    start = _frame("16", [100.0] * 17 + [50.0], 85)  # 0-4 … 80-84, 85+ (the 2015 census' own open band)
    end = _frame("16", [90.0] * 17 + [40.0, 20.0], 90)  # 0-4 … 85-89, 90+
    out = cohort_ratios(start, end).query("sex == 'male'").set_index("age_group")["ccr"]
    assert out["0-4"] == pytest.approx(0.9)  # 5-9 (2020) / 0-4 (2015)
    assert out["80-84"] == pytest.approx(40 / 100)  # 85-89 from 80-84
    assert out["85-89"] == out["90+"] == pytest.approx(20 / 50)  # 90+ only from the 85+ of 5 years before


def test__cohort_ratios__closure_over_the_two_oldest_groups_when_bands_match():
    start = _frame("16", [100.0] * 17 + [60.0], 85)
    end = _frame("16", [100.0] * 17 + [80.0], 85)
    out = cohort_ratios(start, end).query("sex == 'female'").set_index("age_group")["ccr"]
    assert out["85+"] == out["80-84"] == pytest.approx(160 / (200 + 120))  # 85+ / (80-84 + 85+)
    assert out["75-79"] == pytest.approx(1.0)


def test__cohort_ratios__refuses_a_start_open_band_too_young_and_marks_empty_cells():
    with pytest.raises(InputError, match="too young"):
        cohort_ratios(_frame("16", [1.0] * 16 + [1.0], 80), _frame("16", [1.0] * 19, 90))
    start = _frame("16", [0.0] + [100.0] * 17, 85)
    out = cohort_ratios(start, _frame("16", [90.0] * 19, 90))
    assert out.query("age_group == '0-4'")["ccr"].isna().all()


def test__scale_schedule__prefecture_schedule_times_relative_band_change_and_pooling():
    pref = cohort_ratios(_frame("16", [100.0] * 17 + [50.0], 85), _frame("16", [90.0] * 17 + [40.0, 20.0], 90))
    bands = {"0-14": (0, 14), "15-64": (15, 64), "65-74": (65, 74), "75+": (75, None)}

    def b(area, vals):
        return pd.DataFrame([{"area_code": area, "sex": s, "band": k, "population_persons": v}
                             for s in ("male", "female") for k, v in zip(bands, vals, strict=True)])

    start = pd.concat([b("16201", [1000, 5000, 1000, 1000]), b("16342", [10, 5000, 1000, 1000])])
    end = pd.concat([b("16201", [1100, 4500, 900, 700]), b("16342", [20, 4500, 900, 700])])
    ccr, method = scale_schedule(pref, start, end, b("16", [10000, 50000, 10000, 10000]),
                                 b("16", [10000, 50000, 10000, 10000]), bands)
    c = ccr.query("sex == 'male'").set_index(["area_code", "age_group"])["ccr"]
    assert c[("16201", "0-4")] == pytest.approx(0.9 * 1.1)  # prefecture 0.9 × (1100/1000) / (1)
    assert c[("16201", "90+")] == pytest.approx(0.4 * 0.7)
    assert c[("16342", "0-4")] == pytest.approx(0.9)  # 10 children: too few, pooled (k = 1)
    m = method.set_index("area_code")
    assert m.loc["16342", "n_pooled_bands"] == 2 and "プール" in m.loc["16342", "method_ja"]
    assert m.loc["16201", "n_pooled_bands"] == 0


def test__pooled_cwr__uses_the_group_value_for_areas_with_few_women():
    cwr, pooled = pooled_cwr(np.array([20.0, 0.0]), np.array([100.0, 3.0]), np.array([0.18, 0.18]))
    assert cwr.tolist() == [0.2, 0.18] and pooled.tolist() == [False, True]


def test__pyramid_checks__notch_echo_and_open_group():
    ages = AgeGroups(90)
    base = np.ones((2, 19)) * 100
    pop = np.linspace(200, 20, 19)[None].repeat(2, 0)
    ok = pyramid_checks(pop, base, ages, steps=6, base_year=2020, year=2050, area_label="x")
    assert ok["passed"].all() and (ok["check"] == "open_group").all()
    pop[:, 16] = pop[:, 15] + 1  # 80-84 larger than 75-79: a notch, not an echo (base is flat)
    bad = pyramid_checks(pop, base, ages, steps=6, base_year=2020, year=2050, area_label="x")
    assert not bad.query("check == 'notch'")["passed"].any()
    base[:, 10] = 150  # the same cohort (50-54 in 2020) was already larger: a named cohort echo
    echo = pyramid_checks(pop, base, ages, steps=6, base_year=2020, year=2050, area_label="x")
    assert echo["passed"].all() and echo["echo_ja"].str.contains("1966〜1970年生まれ").any()
    pop[:, 18] = pop[:, 17] + pop[:, 16] + 1
    assert not pyramid_checks(pop, base, ages, steps=6, base_year=2020, year=2050,
                              area_label="x").query("check == 'open_group'")["passed"].any()
