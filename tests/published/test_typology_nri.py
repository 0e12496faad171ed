"""The A-1 / A-2 / B proxy places NRI's own examples where NRI put them, on the real data.

Pipeline (:mod:`hokuriku.analysis.agglomeration`, what notebook ``50_agglomeration`` runs): long-run
totals from ``rieti_manu`` ``muni_shipments_long`` (1971–2012) on the 2020 boundaries →
:func:`relative_growth`; municipal industry rows 2001–2012 (``rieti_manu`` ``muni_industry``)
harmonised to the 2020 boundaries (``muni_converter``) as JSIC panel groups →
:func:`lead_size_ratio`; prefecture × 中分類 2019 (``kogyo_tokei``) → :func:`focal_lq`.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import pytest

from hokuriku import manifest
from hokuriku.analysis import agglomeration
from hokuriku.typology import agglomeration as ag
from tests.published.results.nri_typology import LQ_YEAR, NRI_PLACEMENTS, WINDOW_LONG

SOURCES = (("rieti_manu", "2012"), ("muni_converter", None), ("kogyo_tokei", str(LQ_YEAR)))


@pytest.fixture
def require_raw(raw):
    """Skip locally / fail in CI unless every declared file of the three sources is present."""
    from hokuriku.sources import muni_converter

    for source, vintage in SOURCES:
        vintage = vintage or muni_converter.DEFAULT_VINTAGE
        for entry in manifest.load(source, vintage).files:
            if entry.path.lower().endswith((".dta", ".csv")):
                raw(source, vintage, entry.path)


@lru_cache(maxsize=1)
def indicators() -> pd.DataFrame:
    """Run the library pipeline (:func:`hokuriku.analysis.agglomeration.place`) on NRI's example areas."""
    inputs = agglomeration.load_inputs()
    assert int(inputs.pref_industry["year"].max()) == LQ_YEAR  # the LQ vintage the thresholds were set on
    focal = {k: v[0] for k, v in NRI_PLACEMENTS.items() if v[0]}
    out = agglomeration.place(list(NRI_PLACEMENTS), inputs=inputs, focal=focal, end_year=WINDOW_LONG[1])
    assert set(zip(out["start"], out["end"], strict=True)) == {WINDOW_LONG}
    return out


@pytest.mark.parametrize("area_id", list(NRI_PLACEMENTS))
def test__classify__places_nri_examples(require_raw, area_id):
    result = ag.classify(indicators()).set_index("area_id")
    expected = NRI_PLACEMENTS[area_id][1]
    assert result.loc[area_id, "type"] == expected, result.loc[area_id, "reason"]


def test__indicators__margins_from_thresholds(require_raw):
    """Each example clears its deciding threshold by a margin, not by rounding luck."""
    ind = indicators().set_index("area_id")
    t = ag.THRESHOLDS
    assert ind.loc["kitakami_basin", "relative_growth"] > 2 * t["b_relative_growth"]
    assert ind.loc["hokusei", "relative_growth"] > 1.15 * t["b_relative_growth"]
    assert ind.loc["hiroshima", "relative_growth"] < t["b_relative_growth"]
    assert ind.loc["hiroshima", "lead_size_ratio"] > 1.5 * t["a1_lead_size_ratio"]
    assert ind.loc["toyama", "lead_size_ratio"] < 0.6 * t["a1_lead_size_ratio"]
    assert ind.loc["toyama", "focal_lq"] > t["specialisation_lq"]
