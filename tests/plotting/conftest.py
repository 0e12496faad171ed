"""Plotting tests: apply the house style once; figures are pyplot-free so nothing needs closing."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def house_style():
    """Every plotting test runs under the house style (and restores rcParams afterwards)."""
    import matplotlib as mpl

    from hokuriku.plotting import use_house_style

    with mpl.rc_context():
        use_house_style()
        yield
