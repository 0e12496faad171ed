"""Population-pyramid data for base vs scenario (tidy; drawing is left to :mod:`hokuriku.plotting`).

One row per scenario × sex × age group for one year, summed over the chosen areas, with the
share of that scenario's total (``share_pct``, so pyramids of different sizes compare) and
``population_signed`` (males negative), the usual input of a back-to-back bar chart.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hokuriku.errors import InputError
from hokuriku.projection.ages import SEXES
from hokuriku.projection.cohort_component import Projection


def pyramid_frame(projection: Projection, year: int, *, scenarios=None, areas=None,
                  area_label: str | None = None) -> pd.DataFrame:
    """Tidy pyramid rows: ``area_label, scenario, year, sex, age_group, population_persons, share_pct, population_signed``.

    Parameters
    ----------
    projection
        Result of :func:`~hokuriku.projection.cohort_component.project` or
        :func:`~hokuriku.projection.scenarios.run_scenarios`.
    year
        One of ``projection.years``.
    scenarios
        Names to include, in order (default all, e.g. ``["base", "plant_16201_1000jobs_2027"]``).
    areas
        Area codes to sum (default all areas of the projection).
    area_label
        Label for the summed areas (default the codes joined by ``+``).
    """
    if year not in projection.years:
        msg = f"year {year} is not a projection year {projection.years}"
        raise InputError(msg)
    scenarios = list(projection.scenarios if scenarios is None else scenarios)
    areas = list(projection.areas if areas is None else (str(a) for a in areas))
    for kind, wanted, have in (("scenarios", scenarios, projection.scenarios), ("areas", areas, projection.areas)):
        if missing := [w for w in wanted if w not in have]:
            msg = f"{kind} not in the projection: {missing[:10]}"
            raise InputError(msg)
    y = projection.years.index(year)
    s_idx = [projection.scenarios.index(s) for s in scenarios]
    a_idx = [projection.areas.index(a) for a in areas]
    arr = projection.population[y][np.ix_(s_idx, a_idx)].sum(axis=1)  # (scenario, sex, age)
    idx = pd.MultiIndex.from_product([scenarios, SEXES, projection.ages.labels], names=["scenario", "sex", "age_group"])
    df = pd.DataFrame({"population_persons": arr.reshape(-1)}, index=idx).reset_index()
    total = df.groupby("scenario")["population_persons"].transform("sum")
    df["share_pct"] = 100 * df["population_persons"] / total
    df["population_signed"] = df["population_persons"].where(df["sex"] == "female", -df["population_persons"])
    df.insert(0, "year", year)
    df.insert(0, "area_label", area_label or "+".join(areas))
    return df[["area_label", "scenario", "year", "sex", "age_group", "population_persons", "share_pct",
               "population_signed"]]
