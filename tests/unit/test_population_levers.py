"""Levers combined from parameters alone; areas by name or code; unknown keys and parameters are errors."""

from __future__ import annotations

import pandas as pd
import pytest

from hokuriku.analysis import population as P
from hokuriku.errors import ParameterError
from hokuriku.projection import Combined, FertilityTarget, MigrationScale, PlantJobs, ZeroMigration
from hokuriku.reporting import notebooks
from hokuriku.reporting.parameters import check_known

AREAS = ("16201", "16211", "17201")
NAMES = pd.Series({"16201": "富山市", "16211": "射水市", "17201": "金沢市"})


def _specs(keys, **kw):
    return P.scenario_specs(keys, areas=AREAS, base_tfr=1.5, largest_area="16201", names=NAMES, **kw)


def test__combined_scenario_from_a_dict_with_several_plants_by_name_and_code():
    spec = {"name": "富山県 成長", "target_tfr": 1.8, "tfr_by_year": 2040, "migration_k": 0.5,
            "plant": [{"area": "射水市", "jobs": 1000, "year": 2027}, {"area": 17201, "jobs": 500, "year": 2030},
                      {"area": "16201", "jobs": 200}]}
    specs = _specs(["base", spec])
    combined = specs[1]
    assert isinstance(combined, Combined) and combined.name == "富山県 成長"
    kinds = [type(p) for p in combined.parts]
    assert kinds == [MigrationScale, FertilityTarget, PlantJobs, PlantJobs, PlantJobs]
    assert [p.area_code for p in combined.parts[2:]] == ["16211", "17201", "16201"]
    assert combined.parts[4].year == 2027 and combined.parts[4].jobs == 200  # the notebook defaults fill gaps
    assert combined.parts[1].target_tfr == 1.8 and combined.parts[0].k == 0.5


def test__combined_scenario_zero_migration_and_default_name():
    s = _specs([{"zero_migration": True, "plants": [{"area": "金沢市"}]}])[1]
    assert isinstance(s.parts[0], ZeroMigration) and s.parts[1].area_code == "17201"
    assert "移動均衡" in s.name and "金沢市" in s.name


@pytest.mark.parametrize(("spec", "match"), [
    ({"name": "x", "targt_tfr": 1.6}, "did you mean 'target_tfr'"),
    ({"plant": {"area": "射水市", "job": 10}}, "did you mean 'jobs'"),
    ({"plant": {"area": "射水"}}, "did you mean '射水市'"),
    ({"plant": {"area": 99999}}, "not a calibrated area"),
    ({"name": "nothing"}, "changes nothing"),
    ({"zero_migration": True, "migration_k": 0.5}, "not both"),
])
def test__combined_scenario_bad_input_is_a_parameter_error(spec, match):
    with pytest.raises(ParameterError, match=match):
        _specs([spec])


def test__resolve_area__codes_as_int_or_str_prefecture_mapping_and_ambiguous_names():
    assert P.resolve_area(16211, AREAS, NAMES) == P.resolve_area("16211", AREAS, NAMES) == "16211"
    pref_names = pd.Series({"16": "富山県", "17": "石川県"})
    assert P.resolve_area("射水市", ("16", "17"), pref_names, NAMES) == "16"
    assert P.resolve_area(16, ("16", "17"), pref_names) == "16"
    assert P.resolve_area("石川県", ("16", "17"), pref_names) == "17"
    with pytest.raises(ParameterError, match="ambiguous"):
        P.resolve_area("府中市", ("13206", "34207"), pd.Series({"13206": "府中市", "34207": "府中市"}))


def test__unknown_parameter__lists_declared_and_closest_match():
    with pytest.raises(ParameterError, match=r"unknown parameter\(s\) \[.targt_tfr.\]; did you mean .targt_tfr. → .target_tfr.\? Declared"):
        notebooks.validate_parameters("40_population", {"targt_tfr": 1.6})
    with pytest.raises(ParameterError, match="'regoin' → 'region'"):
        check_known({"regoin": "16"}, {"region", "horizon"}, where="x")
    check_known({"region": "16"}, {"region"}, where="x")  # known names pass


def test__cli_reports__unknown_parameter_stops_before_running(capsys):
    from hokuriku import cli

    rc = cli.main(["reports", "--region", "16", "--notebook", "40_population", "--param", "targt_tfr=1.6"])
    assert rc == 2 and "'targt_tfr' → 'target_tfr'" in capsys.readouterr().err
