"""Rankings among the 47 prefectures (or any set of units), and the ranks of a region's members.

Definition
----------
Rank of unit :math:`r` by value :math:`x` (descending, the usual 「全国順位」):

.. math:: \\text{rank}_r = 1 + \\#\\{s : x_s > x_r\\}

i.e. **standard competition ranking** ("1224"): tied units share the best rank and the next rank
is skipped, as in 総務省統計局「統計でみる都道府県のすがた」 and 経済産業省 工業統計 順位表
(pandas ``rank(method="min")``). Ascending ranking replaces :math:`>` by :math:`<`.

A unit whose value is NaN (suppressed, not available) is **not ranked** (rank ``<NA>``) and is
not counted in ``n_ranked``; it does not push other units down, because its true value is unknown.
The published 全国 row (``national_code``) is never ranked.

References
----------
総務省統計局「統計でみる都道府県のすがた」利用上の注意（順位）; ISO 80000-2 has no rank rule, so the
competition rule is stated here explicitly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from hokuriku.codes.prefectures import NATIONAL_CODE, Region
from hokuriku.indicators import _common as c

TIE_METHOD = "min"
"""pandas rank method for competition ("1224") ranking, as Japanese official ranking tables print."""


def rank(
    df: pd.DataFrame,
    *,
    value: str,
    by: str | Sequence[str] | None = None,
    unit: str = "pref_code",
    ascending: bool = False,
    universe: Iterable[object] | None = None,
    national_code: str = NATIONAL_CODE,
) -> pd.DataFrame:
    """Rank units by ``value`` within each ``by`` group (competition "1224" ranking).

    :math:`\\text{rank}_r = 1 + \\#\\{s : x_s > x_r\\}` (descending).

    Parameters
    ----------
    df
        Tidy frame: one row per ``unit`` (× ``by``).
    value, by, unit
        Column names.
    ascending
        False (default): the largest value is 1st. True: the smallest is 1st.
    universe
        Units to rank among (default: every unit in the frame except ``national_code``).
    national_code
        The 全国 row's code, never ranked.

    Returns
    -------
    DataFrame
        The rows of the universe with ``rank`` (Int64, ``<NA>`` for NaN values) and ``n_ranked``
        (units with a value in the group), sorted by group and rank.

    Examples
    --------
    >>> from hokuriku import datasets
    >>> df = datasets.load_example("farhauer_kroell").query("period == 1 and industry == '1'")
    >>> rank(df, value="employment_persons", unit="unit", universe=["A", "B", "C"])[
    ...     ["unit", "employment_persons", "rank", "n_ranked"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'unit': 'C', 'employment_persons': 255, 'rank': 1, 'n_ranked': 3},
     {'unit': 'A', 'employment_persons': 100, 'rank': 2, 'n_ranked': 3},
     {'unit': 'B', 'employment_persons': 85, 'rank': 3, 'n_ranked': 3}]
    """
    keys = c.as_list(by)
    c.require_columns(df, [unit, value, *keys], what="rank")
    c.require_unique(df, [unit, *keys], what="rank")
    codes = df[unit].astype(str)
    if universe is None:
        out = df.loc[codes != str(national_code)].copy()
    else:
        wanted = [str(u) for u in universe]
        absent = sorted(set(wanted) - set(codes))
        if absent:
            msg = f"rank: universe units {absent[:10]} are not in column {unit!r}"
            raise c.InputError(msg)
        out = df.loc[codes.isin(wanted)].copy()
    x = c.require_numeric(out, value)
    if keys:
        grouped = x.groupby([out[k] for k in keys], sort=False)
        ranks, counts = grouped.rank(method=TIE_METHOD, ascending=ascending), grouped.transform("count")
    else:
        ranks, counts = x.rank(method=TIE_METHOD, ascending=ascending), pd.Series(x.count(), index=x.index)
    out["rank"] = ranks.round().astype("Int64")
    out["n_ranked"] = counts.astype("int64")
    return out.sort_values([*keys, "rank"], na_position="last", kind="stable").reset_index(drop=True)


def region_ranks(
    df: pd.DataFrame,
    region: Region | str | Iterable[object],
    *,
    value: str,
    by: str | Sequence[str] | None = None,
    unit: str = "pref_code",
    ascending: bool = False,
    universe: Iterable[object] | None = None,
    national_code: str = NATIONAL_CODE,
) -> pd.DataFrame:
    """Ranks of a region's members among all units (e.g. 富山 9th of 47).

    The ranking is computed over the whole universe (see :func:`rank`) and then restricted to
    the region's members, in the region's order.

    Parameters
    ----------
    df, value, by, unit, ascending, universe, national_code
        As in :func:`rank`.
    region
        A :class:`~hokuriku.codes.prefectures.Region`, a name, or unit codes.

    Returns
    -------
    DataFrame
        One row per member (× ``by`` group) with ``rank`` and ``n_ranked``.

    Examples
    --------
    >>> from hokuriku import datasets
    >>> gdp = datasets.load_example("synthetic_prefectures").query("fiscal_year == 2022")
    >>> r = region_ranks(gdp, "北陸3県", value="gdp_nominal_jpy_million", by="industry")
    >>> sorted(r["pref_code"].unique().tolist()), int(r["n_ranked"].max())
    (['16', '17', '18'], 47)
    """
    codes = c.region_codes(region)
    c.require_columns(df, [unit], what="region_ranks")
    c.require_members(df, unit, codes, what="region_ranks")
    ranked = rank(
        df, value=value, by=by, unit=unit, ascending=ascending, universe=universe, national_code=national_code
    )
    missing = [m for m in codes if m not in set(ranked[unit].astype(str))]
    if missing:
        msg = f"region_ranks: region members {missing} are outside the ranking universe"
        raise c.InputError(msg)
    out = ranked.loc[ranked[unit].astype(str).isin(codes)].copy()
    order = {code: i for i, code in enumerate(codes)}
    out["_order"] = out[unit].astype(str).map(order)
    keys = c.as_list(by)
    return out.sort_values([*keys, "_order"], kind="stable").drop(columns="_order").reset_index(drop=True)
