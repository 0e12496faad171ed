r"""Calibrate cohort-change rates so the base case reproduces an official projection (社人研 令和5年推計).

What the data has, and therefore what this does
-----------------------------------------------
The mirror holds the censuses by sex × 5-year age per prefecture 1920–2015 (時系列 表3) and per
area in 2020, the 2015 census in broad bands per municipality (SSDSE-A), and 社人研's projected
**totals** per municipality for 2025 … 2050 plus 2050 in three age groups. It holds no life tables
and no 社人研 survival, migration or fertility rates. So survival and migration are not estimated
separately here:

1. The caller passes a **net cohort change ratio** (CCR, Hamilton–Perry) per area, sex and 5-year
   group — :func:`hokuriku.projection.schedules.cohort_ratios` (two censuses, standard closure of
   the open band) and :func:`~hokuriku.projection.schedules.scale_schedule` (municipalities);
   :func:`band_ccr` (one ratio per broad band) remains for data with broad bands only.
2. :func:`child_woman_ratio` comes from the base (or a pooled CWR per area is passed); the sex
   ratio splitting births is a parameter (sex ratio at birth) or :func:`sex_ratio_0_4`.
3. :func:`calibrate` multiplies, per area, (a) every CCR and births in step *k* by a level
   :math:`\lambda_{i,k}`, solved in closed form so that the projected total equals the official
   total **exactly** (the model is linear in :math:`\lambda`); (b) the CWR by a fertility factor
   :math:`\phi_i` and the CCRs of groups 65+ by an elderly factor :math:`\psi_i`, both constant
   over time, found by a vectorised grid search and then Gauss–Newton steps so that the 0–14 /
   15–64 / 65+ shares of ``age3_year`` (2050) equal the official ones where the ranges allow. The
   residual per area is reported, never hidden.

Tolerance: totals every 5 years within :data:`TOTAL_TOLERANCE_PERSONS`; 2050 age-3 shares are
*fitted*, not forced (see :attr:`Calibration.age3_residuals`).

What it cannot answer: how the change splits into deaths and migration (unless the analyst passes
a ``survival`` schedule, e.g. :func:`closed_population_survival` of national CCRs, in which case
``M = CCR − S``); the age detail 社人研 projects for 2025–2045 (only totals are matched); and
anything that depends on 社人研's own fertility or migration assumptions rather than on their totals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from hokuriku.errors import InputError
from hokuriku.projection.ages import (
    FEMALE, MALE, SEXES, STEP_YEARS, AgeGroups, area_vector, frame_to_array, norm_sex, parse_age_label,
)
from hokuriku.projection.cohort_component import Projection, Rates, project

TOTAL_TOLERANCE_PERSONS = 0.5
"""社人研 publishes totals to the person, so half a person is the rounding tolerance. The closed-form
level makes the calibrated base match to floating-point precision; anything above this is an error."""

AGE3 = {"0-14": (0, 14), "15-64": (15, 64), "65+": (65, None)}


def band_ccr(start: pd.DataFrame, end: pd.DataFrame, *, ages: AgeGroups | None = None,
             value: str = "population_persons") -> pd.DataFrame:
    """Net cohort change ratio per area, sex and 5-year group from broad bands 5 years apart.

    ``start`` and ``end`` have ``area_code, sex, band, <value>``; each end band must be a start
    band shifted by 5 years (``0-14`` → ``5-19``, ``75+`` → ``80+``) and the start bands must chain
    from 0 to an open band. Returns ``area_code, sex, age_group, ccr`` where ``ccr`` is the ratio of
    the transition *from* ``age_group`` (the open group: staying in it).
    """
    ages = ages or AgeGroups()
    s = start.assign(sex=start["sex"].map(norm_sex), area_code=start["area_code"].astype(str))
    e = end.assign(sex=end["sex"].map(norm_sex), area_code=end["area_code"].astype(str))
    s_bands = sorted({parse_age_label(b) for b in s["band"]}, key=lambda b: b[0])
    shifted = {(lo + STEP_YEARS, None if hi is None else hi + STEP_YEARS): (lo, hi) for lo, hi in s_bands}
    e_bands = {b: parse_age_label(b) for b in e["band"].unique()}
    for label, band in e_bands.items():
        if band not in shifted:
            msg = f"end band {label!r} is not a start band shifted by {STEP_YEARS} years (start bands: {s_bands})"
            raise InputError(msg)
    expected = 0
    for lo, hi in s_bands:
        if lo != expected:
            msg = f"start bands do not chain: a band starting at {expected} is missing (found {s_bands})"
            raise InputError(msg)
        expected = None if hi is None else hi + 1
    if expected is not None:
        msg = f"start bands must end with an open band (e.g. '75+'); found {s_bands}"
        raise InputError(msg)
    s = s.assign(key=s["band"].map(parse_age_label))
    e = e.assign(key=e["band"].map(lambda b: shifted[e_bands[b]]))
    m = s.merge(e, on=["area_code", "sex", "key"], how="outer", suffixes=("_start", "_end"), indicator=True)
    if (m["_merge"] != "both").any():
        bad = m[m["_merge"] != "both"].iloc[0]
        msg = f"band {bad['key']} of area {bad['area_code']} ({bad['sex']}) is present in only one of start/end"
        raise InputError(msg)
    if (m[f"{value}_start"] <= 0).any():
        bad = m[m[f"{value}_start"] <= 0].iloc[0]
        msg = f"start band {bad['key']} of area {bad['area_code']} ({bad['sex']}) is empty: no ratio can be formed"
        raise InputError(msg)
    m = m.assign(ccr=m[f"{value}_end"].astype(float) / m[f"{value}_start"].astype(float))
    rows = []
    for (lo, hi), grp in m.groupby("key"):
        sl = ages.index(lo, hi)
        for g in range(sl.start, sl.stop):
            rows.append(grp[["area_code", "sex", "ccr"]].assign(age_group=ages.labels[g]))
    out = pd.concat(rows, ignore_index=True)[["area_code", "sex", "age_group", "ccr"]]
    return out.sort_values(["area_code", "sex"], kind="stable").reset_index(drop=True)


def closed_population_survival(ccr: pd.DataFrame) -> pd.DataFrame:
    """Survival proxy from the CCRs of a (nearly) closed population such as all of Japan, capped at 1.

    Japan's net international migration is small next to its deaths, so the national net cohort
    change of a band approximates its survival; regional mortality differences then count as
    migration (a stated caveat).
    """
    return ccr.assign(survival=ccr["ccr"].clip(upper=1.0)).drop(columns="ccr")


def child_woman_ratio(base: np.ndarray, ages: AgeGroups) -> np.ndarray:
    """CWR per area = children 0–4 (both sexes) / women 15–49, from a (area, sex, age) array."""
    women = base[:, FEMALE, ages.fertile()].sum(-1)
    if (women <= 0).any():
        msg = "an area has no women aged 15–49: its child–woman ratio is undefined"
        raise InputError(msg)
    return base[:, :, 0].sum(-1) / women


def sex_ratio_0_4(base: np.ndarray) -> np.ndarray:
    """Males per female at ages 0–4 per area, from a (area, sex, age) array."""
    if (base[:, FEMALE, 0] <= 0).any():
        msg = "an area has no girls aged 0–4: its 0–4 sex ratio is undefined"
        raise InputError(msg)
    return base[:, MALE, 0] / base[:, FEMALE, 0]


@dataclass(frozen=True)
class Calibration:
    """Calibrated base case: rates for :func:`project`, fitted factors and residuals per area."""

    base: np.ndarray
    rates: Rates
    areas: tuple[str, ...]
    ages: AgeGroups
    base_year: int
    steps: int
    params: pd.DataFrame
    levels: pd.DataFrame
    total_residuals: pd.DataFrame
    age3_residuals: pd.DataFrame | None

    def project(self, **kwargs) -> Projection:
        """The calibrated base case (scenario ``base``)."""
        return project(self.base, self.rates, steps=self.steps, base_year=self.base_year, areas=self.areas,
                       ages=self.ages, scenarios=("base",), **kwargs)


def _schedule(df, areas, ages, value, what) -> np.ndarray:
    if "area_code" not in df.columns:
        _, a, arr = frame_to_array(df.assign(area_code="*"), value=value, what=what)
    else:
        _, a, arr = frame_to_array(df, value=value, areas=areas, what=what)
    if a != ages:
        msg = f"{what}: age groups end at {a.open_age}+, the base at {ages.open_age}+"
        raise InputError(msg)
    return arr


def _run(base, ccr, cwr, sr, targets, phi, psi, old, fert, keep_step):
    """Calibrated run for K parameter sets at once: returns pop at ``keep_step`` (K, A, 2, G) and λ (K, steps, A)."""
    k = phi.shape[0]
    pop = np.broadcast_to(base, (k, *base.shape)).copy()
    c = np.broadcast_to(ccr, pop.shape).copy()
    c[..., old] *= psi[:, :, None, None]
    lam = np.empty((k, targets.shape[0], base.shape[0]))
    kept = pop
    for t in range(targets.shape[0]):
        new = np.empty_like(pop)
        np.multiply(pop[..., :-1], c[..., :-1], out=new[..., 1:])
        new[..., -1] += pop[..., -1] * c[..., -1]
        births = phi * cwr * new[:, :, FEMALE, fert].sum(-1)
        new[:, :, MALE, 0] = births * sr / (1 + sr)
        new[:, :, FEMALE, 0] = births / (1 + sr)
        lam[:, t] = targets[t] / new.sum(axis=(2, 3))
        pop = new * lam[:, t, :, None, None]
        if t + 1 == keep_step:
            kept = pop
    return kept, lam


def _shares(pop: np.ndarray, slices) -> np.ndarray:
    """Age-3 shares (K, area, 3) of a (K, area, sex, age) population."""
    shares = np.stack([pop[..., sl].sum(axis=(2, 3)) for sl in slices], -1)
    return shares / shares.sum(-1, keepdims=True)


def _newton(centre: np.ndarray, goal: np.ndarray, iterations: int, f_range, e_range, shares_of) -> np.ndarray:
    """Gauss–Newton on (φ, ψ) per area from the grid optimum: solve share(0–14), share(65+) = goal.

    The Jacobian is taken by forward differences for all areas at once; a step is kept only where it
    lowers the squared share gap (so the result is never worse than the grid's), within the ranges.
    """
    h = 1e-4
    lo, hi = np.array([f_range[0], e_range[0]])[:, None], np.array([f_range[1], e_range[1]])[:, None]
    pick = [0, 2]  # 0–14 and 65+; 15–64 follows
    cur = centre.copy()
    for _ in range(iterations):
        phi = np.stack([cur[0], cur[0] + h, cur[0]])
        psi = np.stack([cur[1], cur[1], cur[1] + h])
        sh = shares_of(phi, psi)[..., pick]  # (3, area, 2)
        res = sh[0] - goal[:, pick]
        jac = np.stack([(sh[1] - sh[0]) / h, (sh[2] - sh[0]) / h], -1)  # (area, 2 shares, 2 params)
        det = jac[:, 0, 0] * jac[:, 1, 1] - jac[:, 0, 1] * jac[:, 1, 0]
        ok = np.abs(det) > 1e-12
        safe = np.where(ok, det, 1.0)
        d_phi = -(jac[:, 1, 1] * res[:, 0] - jac[:, 0, 1] * res[:, 1]) / safe
        d_psi = -(-jac[:, 1, 0] * res[:, 0] + jac[:, 0, 0] * res[:, 1]) / safe
        cand = np.clip(cur + np.where(ok, np.stack([d_phi, d_psi]), 0.0), lo, hi)
        new_res = shares_of(cand[0][None], cand[1][None])[0][..., pick] - goal[:, pick]
        better = (new_res ** 2).sum(-1) < (res ** 2).sum(-1)
        cur = np.where(better, cand, cur)
    return cur


def calibrate(base: pd.DataFrame, ccr: pd.DataFrame, targets: pd.DataFrame, *, base_year: int = 2020,
              survival: pd.DataFrame | None = None, age3_target: pd.DataFrame | None = None,
              cwr=None, sex_ratio=None, fertility_range: tuple[float, float] = (0.5, 1.5),
              elderly_range: tuple[float, float] = (0.7, 1.5), grid: int = 9, refine: int = 2,
              newton: int = 8) -> Calibration:
    """Fit per-area levels (exact totals) and fertility/elderly factors (2050 age-3 shares).

    Parameters
    ----------
    base
        ``area_code, sex, age_group, population_persons`` in the base year (不詳 already prorated).
    ccr
        ``area_code, sex, age_group, ccr`` (e.g. from :func:`band_ccr`).
    targets
        Official totals ``area_code, year, population_persons`` for every 5-year step after
        ``base_year``; every base area must appear every year and vice versa.
    survival
        Optional ``[area_code,] sex, age_group, survival`` to split CCR into S and M.
    age3_target
        Optional ``area_code, year, age3 (0-14/15-64/65+), population_persons`` for one year.
    cwr, sex_ratio
        Per-area overrides (scalar, mapping or Series); default from the base population.
    fertility_range, elderly_range, grid, refine
        Search box for φ and ψ (modelling choice, documented in docs/assumptions_caveats.md),
        points per axis and refinement rounds.
    """
    # Load inputs.
    areas, ages, base_arr = frame_to_array(base, what="base population")
    ccr_arr = _schedule(ccr, areas, ages, "ccr", "ccr")
    t = targets.assign(area_code=targets["area_code"].astype(str))
    if extra := sorted(set(t["area_code"]) - set(areas)):
        msg = f"targets name areas missing from the base: {extra[:10]}{' …' if len(extra) > 10 else ''}"
        raise InputError(msg)
    years = sorted(t["year"].astype(int).unique())
    steps = len(years)
    if years != [base_year + STEP_YEARS * k for k in range(1, steps + 1)]:
        msg = f"target years {years} are not the 5-year steps after the base year {base_year}"
        raise InputError(msg)
    wide = t.pivot_table(index="year", columns="area_code", values="population_persons", aggfunc="sum")
    wide = wide.reindex(columns=list(areas))
    if wide.isna().any().any() or (wide.to_numpy() <= 0).any():
        bad = [a for a in areas if wide[a].isna().any() or (wide[a] <= 0).any()]
        msg = f"targets: no positive official total for every year for areas {bad[:10]}"
        raise InputError(msg)
    if (empty := base_arr.sum(axis=(1, 2)) <= 0).any():
        msg = f"areas with no base population cannot be calibrated: {[a for a, z in zip(areas, empty) if z][:10]}"
        raise InputError(msg)
    tgt = wide.to_numpy(float)
    cwr = child_woman_ratio(base_arr, ages) if cwr is None else area_vector(cwr, areas, name="cwr")
    sr = sex_ratio_0_4(base_arr) if sex_ratio is None else area_vector(sex_ratio, areas, name="sex_ratio")
    old = ages.index(65, None)

    # Process data.
    n = len(areas)
    phi, psi = np.ones((1, n)), np.ones((1, n))
    age3_res = None
    if age3_target is not None:
        a3 = age3_target.assign(area_code=age3_target["area_code"].astype(str))
        a3_year = int(a3["year"].iloc[0])
        if a3["year"].nunique() != 1 or a3_year not in years:
            msg = f"age3_target must hold one projection year among {years}; found {sorted(a3['year'].unique())}"
            raise InputError(msg)
        aw = a3.pivot_table(index="area_code", columns="age3", values="population_persons", aggfunc="sum")
        aw = aw.reindex(index=list(areas), columns=list(AGE3))
        if aw.isna().any().any():
            msg = f"age3_target: missing age groups or areas (need {list(AGE3)} for every base area)"
            raise InputError(msg)
        goal = aw.to_numpy(float) / aw.to_numpy(float).sum(1, keepdims=True)
        slices = [ages.index(lo, hi) for lo, hi in AGE3.values()]
        keep = years.index(a3_year) + 1
        centre = np.array([np.mean(fertility_range), np.mean(elderly_range)])[:, None] * np.ones((2, n))
        half = np.array([np.ptp(fertility_range), np.ptp(elderly_range)])[:, None] / 2 * np.ones((2, n))
        for _ in range(refine + 1):
            g = np.linspace(-1, 1, grid)
            gp, gq = [x.reshape(-1, 1) for x in np.meshgrid(g, g, indexing="ij")]
            cand_phi = np.clip(centre[0] + gp * half[0], *fertility_range)
            cand_psi = np.clip(centre[1] + gq * half[1], *elderly_range)
            pop, _ = _run(base_arr, ccr_arr, cwr, sr, tgt, cand_phi, cand_psi, old, ages.fertile(), keep)
            shares = _shares(pop, slices)
            best = ((shares - goal) ** 2).sum(-1).argmin(0)
            centre = np.stack([cand_phi[best, np.arange(n)], cand_psi[best, np.arange(n)]])
            half = half / (grid - 1) * 2
        centre = _newton(centre, goal, newton, fertility_range, elderly_range,
                         lambda ph, ps: _shares(_run(base_arr, ccr_arr, cwr, sr, tgt, ph, ps, old, ages.fertile(),
                                                     keep)[0], slices))
        phi, psi = centre[0][None], centre[1][None]
        at_bound = ((np.isclose(phi[0], fertility_range[0]) | np.isclose(phi[0], fertility_range[1])
                     | np.isclose(psi[0], elderly_range[0]) | np.isclose(psi[0], elderly_range[1])))
    _, lam = _run(base_arr, ccr_arr, cwr, sr, tgt, phi, psi, old, ages.fertile(), 0)
    lam = lam[0]  # (steps, area)
    eff = np.broadcast_to(ccr_arr, (steps, *base_arr.shape)).copy() * lam[:, :, None, None]
    eff[..., old] *= psi[0][None, :, None, None]
    if survival is not None:
        s_arr = _schedule(survival, areas, ages, "survival", "survival")
        rates = Rates(survival=s_arr[None, None], migration=(eff - s_arr)[None], sex_ratio=sr,
                      cwr=phi[0] * cwr, separable=True)
    else:
        rates = Rates(survival=eff[None], migration=np.zeros((1, 1, 1, 1, 1)), sex_ratio=sr, cwr=phi[0] * cwr,
                      separable=False)

    # Save outputs.
    proj = project(base_arr, rates, steps=steps, base_year=base_year, areas=areas, ages=ages,
                   scenarios=("base",), components=False)
    model = proj.totals().query("year > @base_year")
    tot = t[["area_code", "year", "population_persons"]].rename(columns={"population_persons": "official_persons"})
    tot = tot.merge(model[["area_code", "year", "population_persons"]].rename(
        columns={"population_persons": "model_persons"}), on=["area_code", "year"])
    tot = tot.assign(diff_persons=tot["model_persons"] - tot["official_persons"])
    if (worst := tot["diff_persons"].abs().max()) > TOTAL_TOLERANCE_PERSONS:
        msg = f"calibration missed an official total by {worst:.3f} persons (tolerance {TOTAL_TOLERANCE_PERSONS})"
        raise InputError(msg)
    if age3_target is not None:
        m3 = proj.age3().query("year == @a3_year")[["area_code", "age3", "population_persons"]]
        age3_res = a3[["area_code", "age3", "population_persons"]].rename(
            columns={"population_persons": "official_persons"}).merge(
            m3.rename(columns={"population_persons": "model_persons"}), on=["area_code", "age3"])
        for col in ("official", "model"):
            age3_res[f"{col}_share_pct"] = 100 * age3_res[f"{col}_persons"] / age3_res.groupby("area_code")[
                f"{col}_persons"].transform("sum")
        age3_res = age3_res.assign(year=a3_year, diff_persons=age3_res["model_persons"] - age3_res["official_persons"],
                                   diff_share_pt=age3_res["model_share_pct"] - age3_res["official_share_pct"])
    params = pd.DataFrame({"area_code": areas, "cwr_base": cwr, "sex_ratio_0_4": sr, "fertility_factor": phi[0],
                           "elderly_factor": psi[0],
                           "is_at_bound": at_bound if age3_target is not None else False})
    levels = pd.DataFrame({"area_code": np.tile(areas, steps), "year": np.repeat(years, n), "level": lam.reshape(-1)})
    return Calibration(base_arr, rates, areas, ages, base_year, steps, params, levels, tot, age3_res)


__all__ = ["AGE3", "SEXES", "TOTAL_TOLERANCE_PERSONS", "Calibration", "band_ccr", "calibrate",
           "child_woman_ratio", "closed_population_survival", "sex_ratio_0_4"]
