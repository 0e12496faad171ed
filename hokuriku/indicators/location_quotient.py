"""Location quotient (LQ, 特化係数).

Definition
----------
For industry :math:`i` in unit (region) :math:`r` against the nation :math:`N`:

.. math:: LQ_{ir} = \\frac{e_{ir} / e_r}{e_{iN} / e_N}

where :math:`e_{ir}` is the industry's value (employment, GDP, shipments) in the unit,
:math:`e_r` the unit's total, :math:`e_{iN}` the industry's national value and :math:`e_N` the
national total. :math:`LQ > 1` means the unit is more specialised in :math:`i` than the nation
(総務省・経済産業省 RESAS「特化係数」; 内閣府「地域の経済」). It equals
``REAT::locq(e_ij, e_j, e_i, e)`` (Wieland, REAT; Farhauer & Kröll 2013).

The national reference is the published 全国 rows (``national="row"``) or the sum of the units
(``national="sum"``); the unit total is the sum over industries or a published total row
(``total=``), as 特化係数 tables use 全産業 as the denominator.

Missing data
------------
NaN propagates: a suppressed :math:`e_{ir}` gives a NaN LQ for that cell, and — when totals are
sums — NaN for every LQ of that unit (its :math:`e_r` is unknown); with ``national="sum"`` a NaN
anywhere in an industry makes that industry's :math:`e_{iN}` and hence :math:`e_N` unknown.
Prefer published totals (``national="row"``, ``total=``) for suppressed data. Zero denominators
give NaN. A unit lacking an industry row raises :class:`~hokuriku.errors.InputError`.

References
----------
Isard, W. (1960) *Methods of Regional Analysis*; Farhauer, O. & Kröll, A. (2013) *Standorttheorien*,
Springer Gabler; Wieland, T. REAT ``locq`` (https://CRAN.R-project.org/package=REAT).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from hokuriku.codes.prefectures import NATIONAL_CODE, Region
from hokuriku.indicators import _common as c


def location_quotient(
    df: pd.DataFrame,
    *,
    value: str,
    unit: str = "pref_code",
    industry: str = "industry",
    national: str = "sum",
    national_code: str = NATIONAL_CODE,
    total: str | None = None,
    region: Region | str | Iterable[object] | None = None,
) -> pd.DataFrame:
    """Location quotient :math:`LQ_{ir} = (e_{ir}/e_r)/(e_{iN}/e_N)` for every unit × industry.

    Parameters
    ----------
    df
        Tidy frame with one row per ``unit`` × ``industry`` (plus 全国 rows in ``"row"`` mode).
    value, unit, industry
        Column names.
    national
        ``"row"``: national values from the rows with ``unit == national_code``; ``"sum"``: sum of
        the units.
    national_code
        Code of the 全国 rows.
    total
        Label in ``industry`` of a published all-industry total row (denominator); None sums.
    region
        If given, LQs are returned for the region as one unit (members summed) against the nation.

    Returns
    -------
    DataFrame
        ``unit``, ``industry``, ``value``, ``unit_share`` (:math:`e_{ir}/e_r`), ``national_share``
        (:math:`e_{iN}/e_N`) and ``lq``.

    Examples
    --------
    >>> from hokuriku import datasets
    >>> fk = datasets.load_example("farhauer_kroell").query("period == 0 and unit != 'X'")
    >>> lq = location_quotient(fk, value="employment_persons", unit="unit")
    >>> lq.query("unit == 'A'")["lq"].round(4).tolist()
    [1.375, 0.8148, 0.4074, 0.9167]
    """
    wide, nat, unit_tot, nat_tot = c.unit_industry_matrix(
        df, value=value, unit=unit, industry=industry, national=national, national_code=national_code,
        total=total, region=region, what="location_quotient",
    )
    unit_share = wide.div(unit_tot.where(unit_tot != 0), axis=0)
    nat_share = nat / nat_tot if nat_tot != 0 else nat * float("nan")
    lq = unit_share.div(nat_share.where(nat_share != 0), axis=1)
    out = (
        wide.stack(future_stack=True).rename(value).to_frame()
        .join(unit_share.stack(future_stack=True).rename("unit_share"))
        .join(lq.stack(future_stack=True).rename("lq"))
        .reset_index()
    )
    out["national_share"] = out[industry].map(nat_share).astype("float64")
    return out[[unit, industry, value, "unit_share", "national_share", "lq"]]
