"""Every municipality of Japan projects; 2050 base pyramids are plausible for all 47 prefectures and every block.

One calibration of all municipalities of Japan (region ``ALL``, 5-year cohort change ratios, pooled
rates for small areas) is run once per session (~10 s) and then summed per prefecture and per region.
Checks (docs/assumptions_caveats.md): the 社人研 令和5年推計 totals 2025–2050 of every municipality within
0.5 person; the 2050 age-3 shares of every 北陸 municipality within 0.5 point; no notch above 65 in
the 2050 base pyramid (a named census cohort echo is the only exception) and 90+ ≤ 85–89 + 80–84;
the backtest error table (engine from 2010 vs census 2015/2020) reproduces the figures stated in the docs.
"""

from __future__ import annotations

import numpy as np
import pytest

from hokuriku import store
from hokuriku.analysis import population
from hokuriku.codes import prefectures
from hokuriku.projection import TOTAL_TOLERANCE_PERSONS
from tests.published.test_projection_calibration import _require_raw

HOKURIKU = ("16", "17", "18")


@pytest.fixture(scope="module")
def japan(request):
    _require_raw(request)
    inputs = population.calibration_inputs("ALL")
    cal = inputs.calibrate()
    return inputs, cal, cal.project(components=False, keep_years=(2050,))


def test__every_municipality_projects_and_matches_ipss_totals(japan):
    inputs, cal, proj = japan
    assert len(cal.areas) == len(inputs.names) > 1700  # all projected municipalities (福島県浜通り excluded)
    assert cal.total_residuals["diff_persons"].abs().max() <= TOTAL_TOLERANCE_PERSONS
    assert np.isfinite(proj.array(2050)).all() and (proj.array(2050) >= 0).all()
    assert inputs.method["method_ja"].notna().all()  # the method is stated for every area


def test__hokuriku_municipalities_age3_shares_within_half_a_point(japan):
    _, cal, _ = japan
    r = cal.age3_residuals
    assert r[r["area_code"].str[:2].isin(HOKURIKU)]["diff_share_pt"].abs().max() <= 0.5


@pytest.mark.parametrize("key", ["HOKURIKU3", *[f"{i:02d}" for i in range(1, 48)],
                                 *[k for k in prefectures.named_regions() if k.endswith("_METI")]])
def test__2050_pyramid_has_no_notch_above_65_and_a_bounded_open_group(japan, key):
    _, cal, proj = japan
    checks = population.plausibility(proj, cal, key)
    failed = checks[~checks["passed"]]
    assert failed.empty, failed[["area_label", "sex", "check", "older_group", "older_persons", "younger_persons"]]
    echoes = checks[checks["is_echo"]]
    assert echoes["echo_ja"].str.contains("年生まれのコーホート").all()  # every exception is named


def test__backtest_errors_as_stated_in_the_docs(request):
    _require_raw(request)
    c03 = store.table("census_pref_age5", "population_age5", "2015")
    census_age5 = store.table("census", "population_age5", "2020")
    bt = population.backtest(c03, census_age5)
    assert len(bt) == 47 * 2 * 2 and bt["census_persons"].notna().all()
    s = population.backtest_summary(bt).set_index(["ratio_period", "year"])["mean_abs_error_pct"].round(2)
    # docs/assumptions_caveats.md "Backtest": mean absolute % error over the 47 prefectures
    assert s.to_dict() == {("2005→2010", 2015): 0.59, ("2005→2010", 2020): 1.21,
                           ("2010→2015", 2015): 0.11, ("2010→2015", 2020): 0.59}
