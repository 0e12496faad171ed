"""Indicators: pure functions on tidy frames (no I/O, no plotting, the region is a parameter).

One concept per module, each docstring stating its formula and source:

- :mod:`~hokuriku.indicators.shares` — 全国比 (share of national), 構成比 (composition)
- :mod:`~hokuriku.indicators.rankings` — ranks among the 47 (competition "1224" ties)
- :mod:`~hokuriku.indicators.growth` — growth rate, CAGR, index, 寄与度
- :mod:`~hokuriku.indicators.location_quotient` — 特化係数 (LQ)
- :mod:`~hokuriku.indicators.shift_share` — classic and dynamic shift-share
- :mod:`~hokuriku.indicators.specialization` — Krugman, Hoover, HHI, Gini, top-industry share

Common rules: NaN (suppressed cells) propagates through every sum and is never read as 0;
mismatched or missing keys raise :class:`~hokuriku.errors.InputError`; zero denominators give NaN.
"""

from hokuriku.indicators import growth, location_quotient, rankings, shares, shift_share, specialization

__all__ = ["growth", "location_quotient", "rankings", "shares", "shift_share", "specialization"]
