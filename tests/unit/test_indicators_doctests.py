"""Run the Examples sections of the indicator modules and hokuriku.datasets (they are documentation)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "hokuriku.datasets",
    "hokuriku.indicators.shares",
    "hokuriku.indicators.rankings",
    "hokuriku.indicators.growth",
    "hokuriku.indicators.location_quotient",
    "hokuriku.indicators.shift_share",
    "hokuriku.indicators.specialization",
]


@pytest.mark.parametrize("name", MODULES)
def test__docstring_examples__run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no Examples"
    assert result.failed == 0
