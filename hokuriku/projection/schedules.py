r"""Cohort change ratios by sex × 5-year age from two censuses, municipal scaling, pooling, plausibility.

Cohort change ratio (Hamilton–Perry) for area *i*, sex *s*, 5-year group *a* between censuses
*t* and *t*+5:

.. math::

    \mathrm{CCR}_{i,s,a} = P_{i,s,a+1}(t+5) \,/\, P_{i,s,a}(t)

**Open band, standard closure.** With the projection's open group :math:`A` (``90+``) starting at
age :math:`\omega`, the survivors into :math:`A` come from everyone aged :math:`\omega-5` and over
at *t* — the two oldest groups (85–89 and 90+), or the census' own open band when it starts at
:math:`\omega-5` (``85歳以上`` of the 2015 census):

.. math::

    R_{i,s} = P_{i,s,A}(t+5) \,/\, \textstyle\sum_{x \ge \omega-5} P_{i,s,x}(t),
    \qquad \mathrm{CCR}_{A-1} = \mathrm{CCR}_{A} = R

so one ratio is never applied to all ages 75+ and the oldest group cannot outgrow its feeders.

**Municipalities without 5-year ages in the start census** (:func:`scale_schedule`): the
prefecture's 5-year schedule scaled, per sex and broad band *b*, by the municipality's observed
band change relative to the prefecture's,

.. math::

    \mathrm{CCR}_{i,s,a} = \mathrm{CCR}_{p(i),s,a}\; k_{i,s,b(a)}, \qquad
    k_{i,s,b} = \frac{B^{end}_{i,s,b}/B^{start}_{i,s,b}}{B^{end}_{p,s,b}/B^{start}_{p,s,b}}

(bands 0–14→5–19, 15–64→20–69, 65–74→70–79, 75+→80+). A band with fewer than
:data:`MIN_BAND_PERSONS` persons at the start (or a ratio that cannot be formed) keeps the pooled
prefecture schedule (:math:`k=1`), as 社人研 pools small municipalities; the method is stated per area.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hokuriku.errors import InputError
from hokuriku.projection.ages import SEXES, STEP_YEARS, AgeGroups, check_chain, norm_sex, parse_age_label

MIN_BAND_PERSONS = 50
"""Below this many persons in a broad band at the start census, a municipality's own band change is
too noisy to use and the prefecture schedule is used unchanged (pooled)."""
MIN_WOMEN_15_49 = 50
"""Below this many women aged 15–49, a municipality's child–woman ratio is the prefecture's (pooled)."""
SEX_RATIO_AT_BIRTH = 105.2
"""Default males per 100 females at birth (人口動態統計, Japan's long-run value); a parameter everywhere."""

METHOD_CENSUS = "5歳階級のコーホート変化率（国勢調査2015→2020）"
METHOD_SCALED = "県の5歳階級別変化率×市町村の広域年齢帯の変化（2015→2020）"
METHOD_POOLED = "県の5歳階級別変化率（小規模のためプール）"


def _wide(df: pd.DataFrame, value: str, what: str) -> tuple[pd.DataFrame, AgeGroups]:
    need = {"area_code", "sex", "age_group", value}
    if missing := need - set(df.columns):
        msg = f"{what}: missing columns {sorted(missing)}"
        raise InputError(msg)
    ages = check_chain(df["age_group"].unique())
    d = df.assign(area_code=df["area_code"].astype(str), sex=df["sex"].map(norm_sex),
                  g=df["age_group"].map(lambda lab: parse_age_label(lab)[0] // STEP_YEARS))
    if d.duplicated(["area_code", "sex", "g"]).any():
        row = d[d.duplicated(["area_code", "sex", "g"])].iloc[0]
        msg = f"{what}: duplicate cell area {row['area_code']}, sex {row['sex']}, age group {row['age_group']}"
        raise InputError(msg)
    w = d.pivot_table(index=["area_code", "sex"], columns="g", values=value, aggfunc="sum")
    if w.isna().any().any():
        a, s = w[w.isna().any(axis=1)].index[0]
        msg = f"{what}: area {a} ({s}) lacks some age groups"
        raise InputError(msg)
    return w, ages


def cohort_ratios(start: pd.DataFrame, end: pd.DataFrame, *, value: str = "population_persons") -> pd.DataFrame:
    """5-year CCRs per area and sex with the standard closure of the open band (module docstring).

    ``start`` and ``end`` are tidy ``area_code, sex, age_group, <value>`` frames five years apart
    (不詳 already prorated). The projection's age groups are those of ``end``; ``start``'s open band
    must begin at least at ``end``'s open age − 5. Returns ``area_code, sex, age_group, ccr`` where
    ``ccr`` is the ratio of the transition *from* ``age_group``; NaN where the start cell is 0.
    """
    ws, a_s = _wide(start, value, "start census")
    we, a_e = _wide(end, value, "end census")
    omega = a_e.open_age
    if a_s.open_age < omega - STEP_YEARS:
        msg = (f"start census open band {a_s.open_age}+ is too young for an end open band {omega}+: "
               f"the closure needs the start population aged {omega - STEP_YEARS} and over")
        raise InputError(msg)
    common = ws.index.intersection(we.index)
    if len(common) != len(we.index) or len(common) != len(ws.index):
        diff = sorted(set(ws.index).symmetric_difference(we.index))[:5]
        msg = f"start and end censuses cover different areas/sexes, e.g. {diff}"
        raise InputError(msg)
    ws, we = ws.loc[common], we.loc[common]
    n = len(a_e)
    s_arr, e_arr = ws.to_numpy(float), we.to_numpy(float)
    ccr = np.full((len(common), n), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        for g in range(n - 2):
            ccr[:, g] = np.where(s_arr[:, g] > 0, e_arr[:, g + 1] / s_arr[:, g], np.nan)
        feeders = s_arr[:, (omega - STEP_YEARS) // STEP_YEARS:].sum(1)
        closure = np.where(feeders > 0, e_arr[:, n - 1] / feeders, np.nan)
    ccr[:, n - 2] = closure
    ccr[:, n - 1] = closure
    out = pd.DataFrame(ccr, index=common, columns=list(a_e.labels)).stack(future_stack=True)
    return out.rename("ccr").reset_index().rename(columns={"level_2": "age_group"})


def band_of(ages: AgeGroups, bands: dict[str, tuple[int, int | None]]) -> np.ndarray:
    """Index of the start band of each 5-year group (``bands`` chain from 0 to an open band)."""
    out = np.full(len(ages), -1)
    for j, (lo, hi) in enumerate(bands.values()):
        sl = ages.index(lo, hi)
        out[sl] = j
    if (out < 0).any():
        msg = f"bands {list(bands)} do not cover every age group of {ages.labels}"
        raise InputError(msg)
    return out


def scale_schedule(pref_ccr: pd.DataFrame, area_start: pd.DataFrame, area_end: pd.DataFrame,
                   pref_start: pd.DataFrame, pref_end: pd.DataFrame, bands: dict[str, tuple[int, int | None]], *,
                   min_band_persons: float = MIN_BAND_PERSONS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Municipal CCRs: the prefecture schedule × the municipality's relative band change (module docstring).

    ``pref_ccr``: ``area_code`` (2-digit prefecture), ``sex, age_group, ccr``. ``area_start`` /
    ``area_end``: ``area_code`` (5-digit), ``sex, band, population_persons`` with the start band names
    of ``bands`` (the end frame labelled by the start band it comes from); ``pref_start`` /
    ``pref_end`` the same per prefecture. Returns (``area_code, sex, age_group, ccr``, a method table
    ``area_code, method_ja, n_pooled_bands``).
    """
    def ratio(start, end):
        s = start.assign(area_code=start["area_code"].astype(str), sex=start["sex"].map(norm_sex))
        e = end.assign(area_code=end["area_code"].astype(str), sex=end["sex"].map(norm_sex))
        m = s.merge(e, on=["area_code", "sex", "band"], how="outer", suffixes=("_s", "_e"))
        return m.set_index(["area_code", "sex", "band"])

    mr, pr = ratio(area_start, area_end), ratio(pref_start, pref_end)
    p_ratio = (pr["population_persons_e"] / pr["population_persons_s"]).rename("p")
    m = mr.reset_index()
    m["pref"] = m["area_code"].str[:2]
    m = m.merge(p_ratio.reset_index().rename(columns={"area_code": "pref"}), on=["pref", "sex", "band"], how="left")
    own = m["population_persons_e"] / m["population_persons_s"]
    usable = (m["population_persons_s"] >= min_band_persons) & np.isfinite(own) & (m["p"] > 0)
    m["k"] = np.where(usable, own / m["p"], 1.0)
    m["pooled"] = ~usable
    pc = pref_ccr.assign(area_code=pref_ccr["area_code"].astype(str), sex=pref_ccr["sex"].map(norm_sex))
    ages = check_chain(pc["age_group"].unique())
    which = band_of(ages, bands)
    names = list(bands)
    pc = pc.assign(band=pc["age_group"].map(lambda lab: names[which[parse_age_label(lab)[0] // STEP_YEARS]]))
    out = m[["area_code", "pref", "sex", "band", "k"]].merge(pc.rename(columns={"area_code": "pref"}),
                                                               on=["pref", "sex", "band"], how="inner")
    out = out.assign(ccr=out["ccr"] * out["k"])[["area_code", "sex", "age_group", "ccr"]]
    n_pooled = m.groupby("area_code")["pooled"].sum()
    n_bands = m.groupby("area_code")["pooled"].size()
    method = pd.DataFrame({"area_code": n_pooled.index, "n_pooled_bands": n_pooled.to_numpy().astype(int)})
    method["method_ja"] = np.where(n_pooled.to_numpy() == n_bands.to_numpy(), METHOD_POOLED,
                                   np.where(n_pooled.to_numpy() > 0, METHOD_SCALED + "（一部の年齢帯はプール）",
                                            METHOD_SCALED))
    return out.sort_values(["area_code", "sex"], kind="stable").reset_index(drop=True), method


def pooled_cwr(children: np.ndarray, women: np.ndarray, group_cwr: np.ndarray, *,
               min_women: float = MIN_WOMEN_15_49) -> tuple[np.ndarray, np.ndarray]:
    """Child–woman ratio per area (0–4 / women 15–49), the group's where women are fewer than ``min_women``.

    Returns (cwr, pooled flag).
    """
    pooled = women < min_women
    with np.errstate(divide="ignore", invalid="ignore"):
        own = np.where(pooled, np.nan, children / np.where(women > 0, women, 1))
    return np.where(pooled, group_cwr, own), pooled


def pyramid_checks(pop: np.ndarray, base: np.ndarray, ages: AgeGroups, *, steps: int, base_year: int,
                   year: int, area_label: str, from_age: int = 65) -> pd.DataFrame:
    """Plausibility of one projected pyramid ``pop[sex, age]`` against its base census ``base[sex, age]``.

    One row per sex and check: each 5-year group from ``from_age`` + 5 up must not exceed the group 5
    years younger (a *notch*), unless the same two cohorts already stood in that order in the base
    census — a **cohort echo** (named by birth years, e.g. the 1971–74 第2次ベビーブーム cohort); and
    the open group must not exceed the two groups below it (``90+ ≤ 85–89 + 80–84``).
    Columns: ``area_label, year, sex, check, older_group, younger_group, older_persons,
    younger_persons, is_echo, echo_ja, passed``.
    """
    rows = []
    first = from_age // STEP_YEARS + 1
    n = len(ages)
    for s, sex in enumerate(SEXES):
        for g in range(first, n - 1):
            older, younger = pop[s, g], pop[s, g - 1]
            if older <= younger:
                continue
            gb = g - steps
            echo = gb >= 1 and base[s, gb] > base[s, gb - 1]
            born_lo = year - ages.starts[g] - STEP_YEARS + 1
            echo_ja = (f"{born_lo}〜{born_lo + STEP_YEARS - 1}年生まれのコーホートは{base_year}年国勢調査でも"
                       f"{STEP_YEARS}歳下より多い（{ages.labels[gb]}：{base[s, gb]:,.0f}人 > "
                       f"{ages.labels[gb - 1]}：{base[s, gb - 1]:,.0f}人）") if echo else ""
            rows.append({"sex": sex, "check": "notch", "older_group": ages.labels[g], "younger_group": ages.labels[g - 1],
                         "older_persons": older, "younger_persons": younger, "is_echo": bool(echo),
                         "echo_ja": echo_ja, "passed": bool(echo)})
        top = pop[s, n - 1]
        feeders = pop[s, n - 2] + pop[s, n - 3]
        rows.append({"sex": sex, "check": "open_group", "older_group": ages.labels[n - 1],
                     "younger_group": f"{ages.labels[n - 2]}+{ages.labels[n - 3]}", "older_persons": top,
                     "younger_persons": feeders, "is_echo": False, "echo_ja": "", "passed": bool(top <= feeders)})
    out = pd.DataFrame(rows)
    out.insert(0, "year", year)
    out.insert(0, "area_label", area_label)
    return out


__all__ = ["MIN_BAND_PERSONS", "MIN_WOMEN_15_49", "SEX_RATIO_AT_BIRTH", "band_of", "cohort_ratios", "pooled_cwr",
           "pyramid_checks", "scale_schedule"]
