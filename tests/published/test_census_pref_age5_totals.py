"""Golden: 国勢調査 時系列 表3 (census_pref_age5, vintage 2015) reproduces the published totals exactly."""

from __future__ import annotations

import pytest

from hokuriku import store
from tests.published.results import census_pref_age5 as pub


@pytest.fixture(scope="module")
def table(request):
    from hokuriku import manifest
    from hokuriku.errors import MissingRawDataError

    try:
        manifest.path("census_pref_age5", "2015", "c03.csv", download=False)
    except MissingRawDataError:
        pytest.skip("raw data missing: census_pref_age5/2015/c03.csv")
    return store.table("census_pref_age5", "population_age5", "2015")


def _totals(df, sex="total"):
    return df[(df["age_kind"] == "total") & (df["sex"] == sex)].set_index(["year", "pref_code"])["population_persons"]


def test__national_totals_2010_2015_exact(table):
    t = _totals(table)
    for year, want in pub.NATIONAL_TOTAL.items():
        assert t.loc[year].sum() == want


def test__hokuriku_prefecture_totals_and_sex_exact(table):
    t = _totals(table)
    assert {k: t.loc[k] for k in pub.PREF_TOTAL} == pub.PREF_TOTAL
    assert {s: _totals(table, s).loc[(2015, "16")] for s in ("male", "female")} == pub.TOYAMA_2015_BY_SEX


def test__bands_plus_unknown_add_up_to_total_every_year(table):
    d = table[table["sex"] == "total"]
    parts = d[d["age_kind"] != "total"].groupby(["year", "pref_code"])["population_persons"].sum()
    assert (parts == _totals(table)).all()
    assert set(table.loc[table["age_kind"] == "open", "age_class"]) == {"85歳以上", "80歳以上", "70歳以上", "86歳以上"}
