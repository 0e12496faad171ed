"""Regenerate the SYNTHETIC example tables in ``hokuriku/datasets/data`` (fixed seed).

Run ``python -m hokuriku.datasets._generate``. The numbers are random draws shaped to look like
regional tables (47 prefectures, an ageing population, a pyramid); they are not official data and
must never be quoted. Only the synthetic files are written; the literature tables are typed in.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hokuriku.codes.prefectures import HOKURIKU3, NATIONAL_CODE
from hokuriku.codes.prefectures import table as pref_table
from hokuriku.datasets import DATA

SEED = 20260522
INDUSTRIES = ("製造業", "建設業", "卸売・小売業", "保健衛生・社会事業")
AGE_GROUPS = tuple(f"{a}-{a + 4}" for a in range(0, 85, 5)) + ("85+",)


def synthetic_prefectures(rng: np.random.Generator) -> pd.DataFrame:
    """47 prefectures × 4 activities × FY2011/FY2022, 百万円, lognormal sizes."""
    rows = []
    codes = pref_table()["pref_code"].tolist()
    size = rng.lognormal(mean=13.5, sigma=0.7, size=len(codes))
    mix = rng.dirichlet([4, 1.5, 3, 2.5], size=len(codes))
    growth = rng.normal(1.05, 0.08, size=(len(codes), len(INDUSTRIES)))
    for p, code in enumerate(codes):
        for i, ind in enumerate(INDUSTRIES):
            base = size[p] * mix[p, i]
            rows.append((code, ind, 2011, round(base)))
            rows.append((code, ind, 2022, round(base * growth[p, i])))
    return pd.DataFrame(rows, columns=["pref_code", "industry", "fiscal_year", "gdp_nominal_jpy_million"])


def synthetic_population(rng: np.random.Generator) -> pd.DataFrame:
    """全国 and three prefectures, 2000–2050 every 5 years, 千人; from 2025 marked projected."""
    rows = []
    # 全国 and the three members of the default region, at made-up starting levels (千人).
    start = dict(zip((NATIONAL_CODE, *HOKURIKU3), (126900.0, 1120.0, 1180.0, 828.0), strict=True))
    years = range(2000, 2055, 5)
    for code, level in start.items():
        drift = -0.012 if code == NATIONAL_CODE else -0.02
        value = level
        for y in years:
            rows.append((code, y, round(value, 1), y >= 2025))
            value *= 1 + drift * (1 + (y - 2000) / 40) + rng.normal(0, 0.002)
    return pd.DataFrame(rows, columns=["pref_code", "year", "population_thousand", "is_projection"])


def synthetic_pyramid(rng: np.random.Generator) -> pd.DataFrame:
    """Persons by age group and sex for a base and a what-if scenario."""
    rows = []
    ages = np.arange(len(AGE_GROUPS))
    shape = 30000 + 25000 * np.exp(-((ages - 12) ** 2) / 30) - 800 * ages
    shape[-1] *= 1.2
    for sex, factor in (("male", 1.0), ("female", 1.06)):
        base = shape * factor * rng.normal(1, 0.03, size=len(ages))
        scen = base * np.where(ages < 8, 1.08, 1.0)
        for a, b, s in zip(AGE_GROUPS, base, scen, strict=True):
            rows.append(("base", a, sex, round(b)))
            rows.append(("scenario", a, sex, round(s)))
    return pd.DataFrame(rows, columns=["scenario", "age_group", "sex", "population_persons"])


def main() -> None:
    """Write the three synthetic CSVs."""
    rng = np.random.default_rng(SEED)
    header = "# SYNTHETIC (hokuriku.datasets._generate, seed {seed}): not official data, never quote it.\n"
    for name, df in (
        ("synthetic_prefectures", synthetic_prefectures(rng)),
        ("synthetic_population", synthetic_population(rng)),
        ("synthetic_pyramid", synthetic_pyramid(rng)),
    ):
        path = DATA / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            fh.write(header.format(seed=SEED))
            df.to_csv(fh, index=False)


if __name__ == "__main__":
    main()
