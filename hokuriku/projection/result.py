"""Result of a projection: arrays plus tidy frames (population, totals, age-3 groups, components)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from hokuriku.errors import InputError
from hokuriku.projection.ages import SEXES, STEP_YEARS, AgeGroups

AGE3_LABELS = ("0-14", "15-64", "65+")


@dataclass(frozen=True)
class Projection:
    """Result of :func:`project`.

    ``population[k, scenario, area, sex, age]`` (persons) holds the years in ``kept_years`` (all
    years unless :func:`project` was told otherwise); totals and 0–14/15–64/65+ sums are kept for
    every year in ``years``.
    """

    population: np.ndarray
    years: tuple[int, ...]
    scenarios: tuple[str, ...]
    areas: tuple[str, ...]
    ages: AgeGroups
    total_array: np.ndarray
    age3_array: np.ndarray
    kept_years: tuple[int, ...]
    components: dict[str, np.ndarray] | None = None

    def array(self, year: int) -> np.ndarray:
        """Full (scenario, area, sex, age) array of one kept year."""
        if year not in self.kept_years:
            msg = f"year {year} was not kept in full (kept: {self.kept_years}); rerun with keep_years including it"
            raise InputError(msg)
        return self.population[self.kept_years.index(year)]

    def _index(self, years) -> pd.MultiIndex:
        return pd.MultiIndex.from_product([years, self.scenarios, self.areas], names=["year", "scenario", "area_code"])

    def to_frame(self) -> pd.DataFrame:
        """Tidy: ``area_code, scenario, year, sex, age_group, population_persons`` (kept years)."""
        idx = pd.MultiIndex.from_product([self.kept_years, self.scenarios, self.areas, SEXES, self.ages.labels],
                                         names=["year", "scenario", "area_code", "sex", "age_group"])
        df = pd.DataFrame({"population_persons": self.population.reshape(-1)}, index=idx).reset_index()
        return df[["area_code", "scenario", "year", "sex", "age_group", "population_persons"]]

    def totals(self) -> pd.DataFrame:
        """Tidy totals: ``area_code, scenario, year, population_persons``."""
        df = pd.DataFrame({"population_persons": self.total_array.reshape(-1)}, index=self._index(self.years))
        return df.reset_index()[["area_code", "scenario", "year", "population_persons"]]

    def age3(self) -> pd.DataFrame:
        """0–14 / 15–64 / 65+ per area, scenario and year (``age3`` column: ``0-14``, ``15-64``, ``65+``)."""
        frames = [pd.DataFrame({"age3": label, "population_persons": self.age3_array[..., j].reshape(-1)},
                               index=self._index(self.years)) for j, label in enumerate(AGE3_LABELS)]
        return pd.concat(frames).reset_index()[["area_code", "scenario", "year", "age3", "population_persons"]]

    def components_frame(self) -> pd.DataFrame:
        """Per step: 0–4 at the end (net births), deaths, net migration (+extra), control adjustment.

        ``period_start``/``period_end`` identify the step; births − deaths + net migration (+ control)
        add up to the change in total population. When the rates were not separable (a calibrated
        net CCR), deaths and net migration are NaN and ``cohort_change_persons`` (their sum) is given.
        """
        if self.components is None:
            msg = "this projection was run with components=False"
            raise InputError(msg)
        df = pd.DataFrame({f"{k}_persons": v.reshape(-1) for k, v in self.components.items()},
                          index=self._index(self.years[:-1]).rename("period_start", level="year")).reset_index()
        df.insert(1, "period_end", df["period_start"] + STEP_YEARS)
        return df[["area_code", "scenario", "period_start", "period_end", *[f"{k}_persons" for k in self.components]]]
