"""Population projection: a pure, vectorised cohort-component engine and what-if scenarios.

- :mod:`~hokuriku.projection.ages`: 5-year age groups (open last group), sexes, frame ↔ array.
- :mod:`~hokuriku.projection.cohort_component`: :func:`project` (the engine, formulas in its docstring).
- :mod:`~hokuriku.projection.rates` / :mod:`~hokuriku.projection.result`: :class:`Rates` (+ checks), :class:`Projection`.
- :mod:`~hokuriku.projection.schedules`: 5-year cohort change ratios from two censuses (open-band
  closure), municipal scaling and pooling, pyramid plausibility checks.
- :mod:`~hokuriku.projection.calibrate`: rates that reproduce an official projection's totals.
- :mod:`~hokuriku.projection.scenarios`: named scenario specs and :func:`run_scenarios`.
- :mod:`~hokuriku.projection.pyramids`: tidy pyramid data, base vs scenario.

No I/O happens here: callers pass frames built by the ``sources`` loaders.
"""

from hokuriku.projection.ages import AgeGroups, collapse_open, frame_to_array, prorate_unknown
from hokuriku.projection.calibrate import (
    TOTAL_TOLERANCE_PERSONS, Calibration, band_ccr, calibrate, child_woman_ratio, closed_population_survival,
    sex_ratio_0_4,
)
from hokuriku.projection.cohort_component import Projection, Rates, project
from hokuriku.projection.pyramids import pyramid_frame
from hokuriku.projection.schedules import (
    SEX_RATIO_AT_BIRTH, cohort_ratios, pooled_cwr, pyramid_checks, scale_schedule,
)
from hokuriku.projection.scenarios import (
    Base, Combined, FertilityTarget, MigrationScale, MoverProfile, PlantJobs, ZeroMigration, run_scenarios,
)

__all__ = [
    "TOTAL_TOLERANCE_PERSONS", "AgeGroups", "Base", "Calibration", "Combined", "FertilityTarget", "MigrationScale",
    "MoverProfile", "PlantJobs", "Projection", "Rates", "SEX_RATIO_AT_BIRTH", "ZeroMigration", "band_ccr",
    "calibrate", "cohort_ratios", "pooled_cwr", "pyramid_checks", "scale_schedule",
    "child_woman_ratio", "closed_population_survival", "collapse_open", "frame_to_array", "project",
    "prorate_unknown", "pyramid_frame", "run_scenarios", "sex_ratio_0_4",
]
