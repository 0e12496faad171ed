r"""Validating the regional model against real regional tables. Pure functions on loader tables.

Two quantities are kept apart:

- the **technical coefficient** :math:`a_{ij} = z_{ij}/x_j` — all inputs wherever produced; this is
  what the 12-sector regional tables publish (prefectural tables record 移輸入 in a final-demand column);
- the **regional purchase coefficient** :math:`r_{ij} = (1 - \hat m_i) a_{ij}`,
  :math:`\hat m_i = 移輸入_i / 県内需要合計_i` — the part bought inside the region; what LQ methods
  estimate and what drives the ripple effect.

Error measures (per sector j = the buying column, and overall):

- mean absolute difference :math:`MAD = \frac{1}{n^2} \sum_{ij} |\hat c_{ij} - c_{ij}|`
  (per sector: :math:`\frac{1}{n}\sum_i`);
- weighted error :math:`WAE = \sum_{ij} |\hat c_{ij} - c_{ij}|\, x_j \big/ \sum_{ij} c_{ij} x_j`
  — the misallocated intermediate purchases as a share of the true ones (per sector:
  :math:`\sum_i |\hat c_{ij} - c_{ij}| / \sum_i c_{ij}`);
- output multipliers :math:`\mu_j = \sum_i [(I - C)^{-1}]_{ij}`: absolute and % difference per sector,
  overall mean absolute % error and its output-weighted version.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hokuriku.inputoutput import regional, table

DELTAS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
"""The FLQ δ grid of the validation (Flegg & Webber; the literature reports 0.1–0.3 for most regions)."""


def errors(est: np.ndarray, true: np.ndarray, x: np.ndarray) -> dict[str, float]:
    """Overall MAD and WAE of a coefficient matrix estimate (module docstring)."""
    diff = np.abs(est - true)
    return {"mad": float(diff.mean()), "wae": float((diff * x[None, :]).sum() / (true * x[None, :]).sum())}


def sector_errors(est: np.ndarray, true: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per buying sector j: MAD_j and WAE_j."""
    diff = np.abs(est - true)
    with np.errstate(divide="ignore", invalid="ignore"):
        return diff.mean(axis=0), np.where(true.sum(axis=0) > 0, diff.sum(axis=0) / true.sum(axis=0), np.nan)


def multipliers(c: np.ndarray) -> np.ndarray:
    """Column sums of :math:`(I - C)^{-1}`."""
    return np.linalg.inv(np.eye(len(c)) - c).sum(axis=0)


# ---- (a) national vs published regional technical coefficients (12 sectors) -------------------------


def technical_coefficients_12(intermediate: pd.DataFrame,
                              output: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per area id: (A, x) from the 12-sector loader tables."""
    out = {}
    for area, g in intermediate.groupby("area_id"):
        z = g.pivot(index="row_sector", columns="col_sector", values="intermediate_jpy_million").to_numpy(float)
        x = output[output["area_id"] == area].sort_values("sector")["output_jpy_million"].to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[area] = (np.where(x > 0, z / x, 0.0), x)
    return out


def compare_technical_12(intermediate: pd.DataFrame, output: pd.DataFrame,
                         national_id: str = "00000") -> tuple[pd.DataFrame, pd.DataFrame]:
    """(a): national vs each prefecture's published technical coefficients.

    Returns (overall, by_sector): overall one row per prefecture (``pref_code, mad, wae,
    colsum_mad``: mean |Σ_i a^r_ij − Σ_i a^n_ij| over j); by_sector one row per prefecture × sector
    (``mad, wae, colsum_region, colsum_nation``). Cities are left out.
    """
    coef = technical_coefficients_12(intermediate, output)
    an, _ = coef[national_id]
    prefs = output[output["area_type"] == "prefecture"].drop_duplicates("area_id")
    rows, by = [], []
    sectors = sorted(output["sector"].unique())
    for _, p in prefs.iterrows():
        ar, xr = coef[p["area_id"]]
        e = errors(an, ar, xr)
        cs_r, cs_n = ar.sum(axis=0), an.sum(axis=0)
        rows.append({"pref_code": p["pref_code"], **e, "colsum_mad": float(np.abs(cs_r - cs_n).mean()),
                     "output_jpy_million": float(xr.sum())})
        mad_j, wae_j = sector_errors(an, ar)
        for j, s in enumerate(sectors):
            by.append({"pref_code": p["pref_code"], "sector": s, "mad": mad_j[j], "wae": wae_j[j],
                       "colsum_region": cs_r[j], "colsum_nation": cs_n[j]})
    return pd.DataFrame(rows), pd.DataFrame(by)


# ---- (b) LQ estimates vs the 宮崎県 table -----------------------------------------------------------


def aggregate(t: table.IOTable, mapping: pd.Series) -> table.IOTable:
    """Aggregate a table's sectors with ``mapping`` (own code → common code, sorted common order)."""
    common = sorted(set(mapping))
    p = np.zeros((len(common), t.n))
    for j, c in enumerate(t.codes):
        p[common.index(mapping[c]), j] = 1.0
    names = tuple(common)
    return table.IOTable(names, names, p @ t.z @ p.T, p @ t.x, p @ t.final, t.final_names, p @ t.exports,
                         p @ t.imports, t.value_added @ p.T, t.value_added_names, t.unit)


def regional_truth(t: table.IOTable) -> np.ndarray:
    r"""The table's own regional purchase coefficients :math:`(1 - \\hat m_i) a_{ij}`."""
    return (1 - table.import_coefficients(t))[:, None] * table.input_coefficients(t)


def compare_lq(region: table.IOTable, nation: table.IOTable, *, deltas: tuple[float, ...] = DELTAS,
               technology: str = "national") -> tuple[pd.DataFrame, pd.DataFrame]:
    """(b): SLQ, CILQ and FLQ(δ) estimates of the regional purchase coefficients vs the table's own.

    ``technology="national"``: the model as used (LQ × national domestic coefficients);
    ``"regional"``: LQ × (1 − national import share) × the region's own technical coefficients,
    which isolates the trade estimate from technology differences.
    Returns (overall, by_sector) with MAD, WAE and multiplier errors per method.
    """
    region, nation = table.in_million_yen(region), table.in_million_yen(nation)
    true = regional_truth(region)
    mu_true = multipliers(true)
    xr, xn = region.x, nation.x
    mn = table.import_coefficients(nation)
    tech = table.input_coefficients(nation) if technology == "national" else table.input_coefficients(region)
    base = (1 - mn)[:, None] * tech
    specs = [("SLQ", 0.0), ("CILQ", 0.0)] + [("FLQ", d) for d in deltas]
    overall, by = [], []
    for method, delta in specs:
        est = regional.regional_coefficients(base, xr, xn, method, delta)
        mu = multipliers(est)
        pct = (mu - mu_true) / mu_true
        label = method if method != "FLQ" else f"FLQ δ={delta:g}"
        overall.append({"method": label, "delta": delta if method == "FLQ" else np.nan, "technology": technology,
                        **errors(est, true, xr), "multiplier_mape": float(np.abs(pct).mean()),
                        "multiplier_wmape": float((np.abs(pct) * xr).sum() / xr.sum()),
                        "multiplier_mean_bias": float(pct.mean())})
        mad_j, wae_j = sector_errors(est, true)
        for j, c in enumerate(region.codes):
            by.append({"method": label, "technology": technology, "sector_code": c, "mad": mad_j[j],
                       "wae": wae_j[j], "multiplier_est": mu[j], "multiplier_table": mu_true[j],
                       "multiplier_pct_error": pct[j]})
    return pd.DataFrame(overall), pd.DataFrame(by)


# ---- regional output estimate vs the published prefectural tables (total and 製造業) -------------


def compare_output_12(estimated: pd.DataFrame, output: pd.DataFrame) -> pd.DataFrame:
    """Estimated 37-sector output (:func:`regional.regional_output`) vs each prefecture's published table.

    Per prefecture of the 12-sector file: total output and 製造業 (37-sector rows 11–39 vs 12-sector
    row 03), estimated, published and % difference (estimated ÷ published − 1).
    """
    mfg = estimated["sector_code"].between("11", "39")
    est_total = estimated.groupby("pref_code")["output_jpy_million"].sum()
    est_mfg = estimated[mfg].groupby("pref_code")["output_jpy_million"].sum()
    pref = output[output["area_type"] == "prefecture"]
    pub_total = pref.groupby("pref_code")["output_jpy_million"].sum()
    pub_mfg = pref[pref["sector"] == "03"].set_index("pref_code")["output_jpy_million"]
    out = pd.DataFrame({"total_estimated": est_total.reindex(pub_total.index), "total_published": pub_total,
                        "mfg_estimated": est_mfg.reindex(pub_total.index), "mfg_published": pub_mfg})
    out["total_pct_diff"] = (out["total_estimated"] / out["total_published"] - 1) * 100
    out["mfg_pct_diff"] = (out["mfg_estimated"] / out["mfg_published"] - 1) * 100
    return out.reset_index()
