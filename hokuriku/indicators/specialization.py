"""Specialisation and concentration of a unit's industries (産業の新陳代謝, dependence on one industry).

Definitions (:math:`s_{ir} = e_{ir}/e_r` the share of industry :math:`i` in unit :math:`r`,
:math:`s_{iN} = e_{iN}/e_N` the national share, :math:`n` industries)
--------------------------------------------------------------------------------------------------
- **Krugman specialisation index** (Krugman 1991): :math:`K_r = \\sum_i |s_{ir} - s_{iN}|`,
  0 (national structure) to 2 (no common industry). REAT ``krugman.spec`` compares two regions;
  here the reference is the nation or, with ``reference=``, another unit.
- **Hoover coefficient of specialisation**: :math:`H_r = \\tfrac12 \\sum_i |s_{ir} - s_{iN}| = K_r / 2`
  (0–1). **Hoover coefficient of localisation** of industry :math:`i` (Hoover 1936; REAT ``hoover``
  with weighting): :math:`L_i = \\tfrac12 \\sum_r |e_{ir}/\\sum_r e_{ir} - e_r/\\sum_r e_r|`.
- **Herfindahl–Hirschman index** of a unit's industry shares: :math:`HHI_r = \\sum_i s_{ir}^2`
  with shares in 0–1 (range :math:`1/n`–1; REAT ``herf``), or ``scale="points"``: shares in
  percent, :math:`\\sum_i (100 s_{ir})^2` (0–10,000, the US DOJ/FTC convention). ``normalized``:
  :math:`(HHI - 1/n)/(1 - 1/n)` (REAT ``coefnorm``); ``equivalent_number`` :math:`1/HHI`.
- **Gini coefficient** of a unit's industry values (REAT ``gini``, Dörsam 2004):
  :math:`G = \\frac{2\\sum_j j\\,x_{(j)}}{n\\sum_j x_j} - \\frac{n+1}{n}` over values sorted
  ascending; ``corrected`` multiplies by :math:`n/(n-1)` (REAT ``coefnorm``).
- **Gini of specialisation** (REAT ``gini.spec``): the same Gini formula over the unit's
  location quotients :math:`LQ_{ir}`, equal to :math:`\\frac{2}{n^2 \\bar R}\\sum_\\lambda \\lambda
  (R_{(\\lambda)} - \\bar R)`. **Locational Gini** of an industry (Krugman 1991; REAT
  ``gini.conc``): the Gini over units of :math:`LQ_{ir}` with national values summed over units.
- **Top-industry share**: :math:`\\max_i s_{ir}` (or the sum of the ``k`` largest shares).

Missing data
------------
Any NaN in a unit's industries makes its shares, and so every index of that unit, NaN (never 0).
A unit lacking an industry row raises :class:`~hokuriku.errors.InputError`. A zero total gives NaN.

References
----------
Krugman, P. (1991) *Geography and Trade*, MIT Press. Hoover, E. M. (1936) "The measurement of
industrial localization", *Review of Economics and Statistics* 18(4), 162–171. Hirschman, A. O.
(1964) "The paternity of an index", *AER* 54(5), 761. Dörsam, P. (2004) *Wirtschaftsstatistik
anschaulich dargestellt*. Farhauer, O. & Kröll, A. (2013) *Standorttheorien*. Wieland, T. REAT
(https://CRAN.R-project.org/package=REAT): ``krugman.spec``, ``hoover``, ``herf``, ``gini``,
``gini.spec``, ``gini.conc``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from hokuriku.codes.prefectures import NATIONAL_CODE, Region
from hokuriku.indicators import _common as c

SCALES = ("fraction", "points")


def _gini_vector(x: np.ndarray, corrected: bool = False) -> float:
    x = np.asarray(x, dtype="float64")
    n = len(x)
    if n == 0 or np.isnan(x).any() or x.sum() == 0:
        return float("nan")
    ranks = np.arange(1, n + 1)
    g = 2.0 * float((ranks * np.sort(x)).sum()) / (n * float(x.sum())) - (n + 1) / n
    if corrected:
        return g * n / (n - 1) if n > 1 else float("nan")
    return g


def _shares(df, *, value, unit, industry, national, national_code, region, what):
    wide, nat, unit_tot, nat_tot = c.unit_industry_matrix(
        df, value=value, unit=unit, industry=industry, national=national, national_code=national_code,
        region=region, what=what,
    )
    s_r = wide.div(unit_tot.where(unit_tot != 0), axis=0)
    s_n = nat / nat_tot if nat_tot != 0 else nat * np.nan
    return wide, s_r, s_n


def _per_unit(series: pd.Series, unit: str, name: str) -> pd.DataFrame:
    return series.rename(name).rename_axis(unit).reset_index()


def krugman_index(
    df: pd.DataFrame,
    *,
    value: str,
    unit: str = "pref_code",
    industry: str = "industry",
    national: str = "sum",
    national_code: str = NATIONAL_CODE,
    region: Region | str | Iterable[object] | None = None,
    reference: str | None = None,
) -> pd.DataFrame:
    """Krugman specialisation index :math:`K_r = \\sum_i |s_{ir} - s_{iN}|` per unit (0–2).

    ``reference`` compares every unit with that unit's shares instead of the nation's.

    Examples
    --------
    >>> from hokuriku import datasets
    >>> fk = datasets.load_example("farhauer_kroell").query("period == 0 and unit != 'X'")
    >>> krugman_index(fk, value="employment_persons", unit="unit").round(4).to_dict("records")
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'unit': 'A', 'krugman_index': 0.2727}, {'unit': 'B', 'krugman_index': 0.2273},
     {'unit': 'C', 'krugman_index': 0.0789}]
    """
    wide, s_r, s_n = _shares(df, value=value, unit=unit, industry=industry, national=national,
                             national_code=national_code, region=region, what="krugman_index")
    if reference is not None:
        if str(reference) not in s_r.index:
            msg = f"krugman_index: reference unit {reference!r} not in column {unit!r}"
            raise c.InputError(msg)
        s_n = s_r.loc[str(reference)]
    k = s_r.sub(s_n, axis=1).abs().sum(axis=1, skipna=False)
    return _per_unit(k, unit, "krugman_index")


def hoover_specialization(df: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """Hoover coefficient of specialisation :math:`\\tfrac12\\sum_i |s_{ir} - s_{iN}|` (= Krugman / 2).

    Takes the arguments of :func:`krugman_index`.

    Examples
    --------
    >>> from hokuriku import datasets
    >>> fk = datasets.load_example("farhauer_kroell").query("period == 0 and unit != 'X'")
    >>> hoover_specialization(fk, value="employment_persons", unit="unit")["hoover_specialization"].round(4).tolist()
    [0.1364, 0.1136, 0.0395]
    """
    k = krugman_index(df, **kwargs)
    return k.assign(hoover_specialization=k["krugman_index"] / 2).drop(columns="krugman_index")


def hoover_localization(
    df: pd.DataFrame, *, value: str, unit: str = "pref_code", industry: str = "industry",
    national_code: str = NATIONAL_CODE,
) -> pd.DataFrame:
    """Hoover localisation :math:`L_i = \\tfrac12\\sum_r |e_{ir}/\\sum_r e_{ir} - e_r/\\sum_r e_r|` per industry.

    Both distributions are over the units in the frame (a 全国 row, if any, is excluded).

    Examples
    --------
    >>> from hokuriku import datasets
    >>> fk = datasets.load_example("farhauer_kroell").query("period == 0 and unit != 'X'")
    >>> hoover_localization(fk, value="employment_persons", unit="unit")["hoover_localization"].round(4).tolist()
    [0.0659, 0.0545, 0.097, 0.0591]
    """
    wide, _, _ = _shares(df, value=value, unit=unit, industry=industry, national="sum",
                         national_code=national_code, region=None, what="hoover_localization")
    tot = wide.sum(axis=1, skipna=False)
    w = tot / c.nansum(tot)
    dist = wide.div(wide.sum(axis=0, skipna=False), axis=1)
    loc = dist.sub(w, axis=0).abs().sum(axis=0, skipna=False) / 2
    return _per_unit(loc, industry, "hoover_localization")


def herfindahl(
    df: pd.DataFrame,
    *,
    value: str,
    unit: str = "pref_code",
    industry: str = "industry",
    scale: str = "fraction",
    region: Region | str | Iterable[object] | None = None,
    national_code: str = NATIONAL_CODE,
) -> pd.DataFrame:
    """Herfindahl–Hirschman index of each unit's industry shares.

    :math:`HHI_r = \\sum_i s_{ir}^2` (``scale="fraction"``, 1/n–1) or :math:`\\sum_i (100\\,s_{ir})^2`
    (``scale="points"``, up to 10,000). Also ``hhi_normalized`` :math:`(HHI-1/n)/(1-1/n)` (on the
    fraction scale) and ``equivalent_number`` :math:`1/HHI`.

    Examples
    --------
    Dörsam (2004) via REAT ``herf``: sales 20, 50, 20, 10 → 0.34, normalised 0.12, 2.94 firms.

    >>> import pandas as pd
    >>> firms = pd.DataFrame({"pref_code": "16", "industry": list("abcd"), "sales": [20, 50, 20, 10]})
    >>> herfindahl(firms, value="sales").round(2).to_dict("records")
    [{'pref_code': '16', 'hhi': 0.34, 'hhi_normalized': 0.12, 'equivalent_number': 2.94, 'n_industries': 4}]
    """
    if scale not in SCALES:
        msg = f"herfindahl: scale must be one of {SCALES}, found {scale!r}"
        raise c.InputError(msg)
    _, s_r, _ = _shares(df, value=value, unit=unit, industry=industry, national="sum",
                        national_code=national_code, region=region, what="herfindahl")
    n = s_r.shape[1]
    h = (s_r**2).sum(axis=1, skipna=False)
    out = _per_unit(h * (10_000 if scale == "points" else 1), unit, "hhi")
    out["hhi_normalized"] = ((h - 1 / n) / (1 - 1 / n)).to_numpy() if n > 1 else np.nan
    out["equivalent_number"] = (1 / h.where(h != 0)).to_numpy()
    out["n_industries"] = n
    return out


def gini(
    df: pd.DataFrame,
    *,
    value: str,
    unit: str = "pref_code",
    industry: str = "industry",
    corrected: bool = False,
    region: Region | str | Iterable[object] | None = None,
    national_code: str = NATIONAL_CODE,
) -> pd.DataFrame:
    """Gini coefficient of each unit's industry values, :math:`\\frac{2\\sum_j j x_{(j)}}{n\\sum x} - \\frac{n+1}{n}`.

    Examples
    --------
    Dörsam (2004) via REAT ``gini``: 0.3, corrected (``coefnorm``) 0.4.

    >>> import pandas as pd
    >>> firms = pd.DataFrame({"pref_code": "16", "industry": list("abcd"), "sales": [20, 50, 20, 10]})
    >>> round(float(gini(firms, value="sales")["gini"].iloc[0]), 4)
    0.3
    >>> round(float(gini(firms, value="sales", corrected=True)["gini"].iloc[0]), 4)
    0.4
    """
    wide, _, _ = _shares(df, value=value, unit=unit, industry=industry, national="sum",
                         national_code=national_code, region=region, what="gini")
    g = wide.apply(lambda row: _gini_vector(row.to_numpy(), corrected), axis=1)
    return _per_unit(g, unit, "gini")


def specialization_gini(
    df: pd.DataFrame,
    *,
    value: str,
    unit: str = "pref_code",
    industry: str = "industry",
    national: str = "sum",
    national_code: str = NATIONAL_CODE,
    region: Region | str | Iterable[object] | None = None,
) -> pd.DataFrame:
    """Gini of regional specialisation: the Gini formula over each unit's :math:`LQ_{ir}` (REAT ``gini.spec``).

    Examples
    --------
    >>> from hokuriku import datasets
    >>> fk = datasets.load_example("farhauer_kroell").query("period == 0 and unit != 'X'")
    >>> specialization_gini(fk, value="employment_persons", unit="unit")["specialization_gini"].round(4).tolist()
    [0.2138, 0.1346, 0.0398]
    """
    _, s_r, s_n = _shares(df, value=value, unit=unit, industry=industry, national=national,
                          national_code=national_code, region=region, what="specialization_gini")
    lq = s_r.div(s_n.where(s_n != 0), axis=1)
    g = lq.apply(lambda row: _gini_vector(row.to_numpy()), axis=1)
    return _per_unit(g, unit, "specialization_gini")


def locational_gini(
    df: pd.DataFrame, *, value: str, unit: str = "pref_code", industry: str = "industry",
    national_code: str = NATIONAL_CODE,
) -> pd.DataFrame:
    """Locational Gini of each industry: the Gini formula over units of :math:`LQ_{ir}` (REAT ``gini.conc``).

    National values are the sums over the units in the frame.

    Examples
    --------
    >>> from hokuriku import datasets
    >>> fk = datasets.load_example("farhauer_kroell").query("period == 0 and unit != 'X'")
    >>> locational_gini(fk, value="employment_persons", unit="unit")["locational_gini"].round(4).tolist()
    [0.0947, 0.1184, 0.2268, 0.0987]
    """
    _, s_r, s_n = _shares(df, value=value, unit=unit, industry=industry, national="sum",
                          national_code=national_code, region=None, what="locational_gini")
    lq = s_r.div(s_n.where(s_n != 0), axis=1)
    g = lq.apply(lambda col: _gini_vector(col.to_numpy()), axis=0)
    return _per_unit(g, industry, "locational_gini")


def top_share(
    df: pd.DataFrame,
    *,
    value: str,
    unit: str = "pref_code",
    industry: str = "industry",
    k: int = 1,
    region: Region | str | Iterable[object] | None = None,
    national_code: str = NATIONAL_CODE,
) -> pd.DataFrame:
    """Share of the ``k`` largest industries in each unit, :math:`\\sum_{j \\le k} s_{(j)r}` (descending).

    Returns ``top_industries`` (names joined by ``"、"``, largest first) and ``top_share``; a unit
    with any NaN industry gets NaN and no names (the ordering is unknown).

    Examples
    --------
    >>> from hokuriku import datasets
    >>> fk = datasets.load_example("farhauer_kroell").query("period == 0 and unit != 'X'")
    >>> top_share(fk, value="employment_persons", unit="unit").round(4).to_dict("records")[0]
    {'unit': 'A', 'top_industries': '1', 'top_share': 0.5}
    """
    if k < 1:
        msg = f"top_share: k must be ≥ 1, found {k}"
        raise c.InputError(msg)
    _, s_r, _ = _shares(df, value=value, unit=unit, industry=industry, national="sum",
                        national_code=national_code, region=region, what="top_share")
    rows = []
    for code, row in s_r.iterrows():
        if row.isna().any():
            rows.append((code, None, np.nan))
            continue
        top = row.sort_values(ascending=False, kind="stable").head(k)
        rows.append((code, "、".join(map(str, top.index)), float(top.sum())))
    return pd.DataFrame(rows, columns=[unit, "top_industries", "top_share"])
