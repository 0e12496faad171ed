r"""Population report (notebook ``40_population``): history, 社人研 projection, what-if scenarios.

Tables assembled here, each from processed store tables (never raw files):

- **Totals 1980–2050** per prefecture, region and 全国: 国勢調査 (``census_panel`` 1980–2015 at 2015
  boundaries, ``census`` 2020 表1-1-1 for 2020, official prefecture totals) followed by 社人研
  「日本の地域別将来推計人口（令和5年推計）」 (``ipss_projection`` municipal totals summed to prefectures).
  **全国 is 全国（福島県を除く）** = the sum of the other 46 prefectures in *every* year: 社人研 projects
  福島県 浜通り13市町村 only as one aggregate that neither derived copy carries, and no national
  figure of 社人研 is in the data, so a 47-prefecture sum would silently drop ≈ 45万人 from 2025.
  A region containing 福島県 gets NaN totals from 2025 (``value_note``), never a partial sum.
  Index: :math:`I_t = 100\,P_t / P_{b}` with :math:`b` the base year (2020).
- **Natural and social change** (SSDSE-B 2025, 人口動態統計 and 住民基本台帳人口移動報告):
  自然増減 = 出生数 − 死亡数, 社会増減 = 転入者数 − 転出者数. 転入/転出 are **日本人移動者 between
  prefectures**; for a region the moves between its own prefectures cancel in the sum.
- **Age structure**: 0–14 / 15–64 / 65+ shares in 2020 (census 表2-7-1, of persons of known age)
  and 2050 (社人研 結果表 2050年 年齢3区分, summed over municipalities).
- **Municipal change** :math:`100\,(P_{2050}/P_{2020} - 1)` (社人研, 政令市 as whole cities), ranked
  by decline (1 = largest decline); not-projected municipalities stay in the table with NaN.
- **What-if**: :func:`calibration_inputs` prepares the recipe of :mod:`hokuriku.projection.calibrate`
  (2020 base by sex × 5-year age with 不詳 prorated; cohort change ratios by sex × 5-year age —
  prefectures 2015 (国勢調査 時系列 表3) → 2020 with the open band closed at 90+, municipalities the
  prefecture schedule scaled to their own 2015→2020 band change (SSDSE-A 2018), pooled when small;
  社人研 totals 2025–horizon and 2050 age-3; national CCR as survival proxy; CWR pooled for small
  areas; sex ratio at birth a parameter; SSDSE-B 2020 TFR per prefecture); :func:`build` calibrates,
  reports residuals per area, runs the named or combined scenarios (:func:`combined_spec`), checks
  the plausibility of the pyramids (:func:`plausibility`) and backtests the engine (:func:`backtest`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from hokuriku import store
from hokuriku.codes import municipalities, prefectures
from hokuriku.errors import HokurikuError, InputError, ParameterError
from hokuriku.plotting import formats, style
from hokuriku.projection import (
    AgeGroups,
    Base,
    FertilityTarget,
    MigrationScale,
    PlantJobs,
    ZeroMigration,
    calibrate,
    child_woman_ratio,
    closed_population_survival,
    collapse_open,
    frame_to_array,
    prorate_unknown,
    pyramid_frame,
    run_scenarios,
)
from hokuriku.projection.cohort_component import Rates, project
from hokuriku.projection.schedules import (
    METHOD_CENSUS,
    SEX_RATIO_AT_BIRTH,
    cohort_ratios,
    pooled_cwr,
    pyramid_checks,
    scale_schedule,
)
from hokuriku.reporting.labels import COLUMN_LABELS_JA

NATIONAL_CODE = prefectures.NATIONAL_CODE
NATIONAL_EXCLUDED = ("07",)
"""福島県: 社人研 令和5年推計 has no municipal projection for 浜通り13市町村 (see module docstring)."""
NATIONAL_LABEL = "全国（福島県を除く）"
BASE_YEAR = 2020  # 社人研 令和5年推計 base population = 令和2年国勢調査; the only base the data supports
CENSUS_BAND_YEAR = 2015  # SSDSE-A 2018 edition carries the 2015 census bands by sex
AGE3 = ("0-14", "15-64", "65+")
AGE3_COLUMNS = {"population_0_14_persons": "0-14", "population_15_64_persons": "15-64",
                "population_65plus_persons": "65+"}  # 社人研 2050 age groups in the ipss_projection table
AGE3_JA = {"0-14": "年少人口（0〜14歳）", "15-64": "生産年齢人口（15〜64歳）", "65+": "老年人口（65歳以上）"}
SSDSE_A_BANDS = {  # SSDSE-A item code -> (sex, band); 65-74 = 65+ minus 75+
    "A110101": ("male", "total"), "A110102": ("female", "total"),
    "A130101": ("male", "0-14"), "A130102": ("female", "0-14"), "A130201": ("male", "15-64"),
    "A130202": ("female", "15-64"), "A130301": ("male", "65+"), "A130302": ("female", "65+"),
    "A141901": ("male", "75+"), "A141902": ("female", "75+")}
END_BANDS = {"5-19": (5, 19), "20-69": (20, 69), "70-79": (70, 79), "80+": (80, None)}
SCENARIO_KEYS = ("base", "zero_migration", "migration_scale", "fertility_target", "plant")
BASE_LABEL = "基準"  # the calibrated base case (社人研推計の総人口に較正); short because charts put it in legends


def _region(region) -> prefectures.Region:
    return prefectures.region(region)


# Process data: history and projection totals.
def prefecture_history(panel: pd.DataFrame, census_2020: pd.DataFrame, *, start: int = 1980) -> pd.DataFrame:
    """Census totals per prefecture: panel sums before 2020, the official 2020 prefecture rows for 2020.

    The panel lacks 2020 for two towns whose code changed after 2015 (富谷, 那珂川) and 三宅村 in 2000
    (全島避難); ``n_missing`` counts such municipalities, the sum of the others is kept.
    """
    p = panel[(panel["year"] >= start) & (panel["year"] < BASE_YEAR)]
    hist = p.assign(_na=p["population_persons"].isna()).groupby(["pref_code", "year"], as_index=False).agg(
        population_persons=("population_persons", "sum"), n_missing=("_na", "sum"))
    c = census_2020[(census_2020["area_level"] == "prefecture") & (census_2020["sex"] == "total")]
    c = c[["pref_code", "year", "population_persons"]].assign(n_missing=0)
    out = pd.concat([hist, c], ignore_index=True).assign(status="census", value_note="")
    return out.sort_values(["pref_code", "year"], ignore_index=True)


def prefecture_projection(ipss_totals: pd.DataFrame, *, horizon: int = 2050) -> pd.DataFrame:
    """社人研 prefecture totals after the base year; incomplete sums (福島県) become NaN with a note."""
    t = ipss_totals[(ipss_totals["year"] > BASE_YEAR) & (ipss_totals["year"] <= horizon)]
    note = np.where(t["is_complete"], "", "社人研の市町村別推計がない市町村を含む（福島県浜通り13市町村）")
    return pd.DataFrame({"pref_code": t["pref_code"], "year": t["year"],
                         "population_persons": t["population_persons"].where(t["is_complete"]),
                         "n_missing": t["n_not_projected"], "status": "projection", "value_note": note})


def _sum_area(df: pd.DataFrame, codes, area_code: str, name: str, kind: str) -> pd.DataFrame:
    d = df[df["pref_code"].isin(codes)]
    g = d.groupby("year").agg(population_persons=("population_persons", lambda s: s.sum(min_count=len(codes))
                                                  if s.notna().all() else np.nan),
                              status=("status", "first"), n_missing=("n_missing", "sum"),
                              value_note=("value_note", lambda s: "；".join(sorted({v for v in s if v}))))
    return g.reset_index().assign(area_code=area_code, area_name_ja=name, area_kind=kind)


def totals_by_area(pref_series: pd.DataFrame, region, *, base_year: int = BASE_YEAR) -> pd.DataFrame:
    """Prefectures of ``region``, the region (if > 1 prefecture) and 全国（福島県を除く）, with index.

    Columns: ``area_code`` (pref code, region key, ``"00"``), ``area_name_ja``, ``area_kind``,
    ``year``, ``population_persons``, ``status`` (census/projection), ``index_base100``,
    ``n_missing``, ``value_note``.
    """
    reg = _region(region)
    parts = [_sum_area(pref_series, [c], c, prefectures.name_ja(c), "prefecture") for c in reg.pref_codes]
    if len(reg) > 1:
        parts.append(_sum_area(pref_series, reg.pref_codes, reg.key, reg.name_ja, "region"))
    others = sorted(set(pref_series["pref_code"]) - set(NATIONAL_EXCLUDED))
    if len(others) != 47 - len(NATIONAL_EXCLUDED):
        msg = f"全国: expected 46 prefectures besides 福島県, found {len(others)}"
        raise InputError(msg)
    parts.append(_sum_area(pref_series, others, NATIONAL_CODE, NATIONAL_LABEL, "national"))
    out = pd.concat(parts, ignore_index=True)
    base = out[out["year"] == base_year].set_index("area_code")["population_persons"]
    out["index_base100"] = 100 * out["population_persons"] / out["area_code"].map(base)
    out["population_10k"] = out["population_persons"] / 10_000
    cols = ["area_code", "area_name_ja", "area_kind", "year", "population_persons", "population_10k", "status",
            "index_base100",
            "n_missing", "value_note"]
    return out[cols]


def seed_figures(totals: pd.DataFrame, years=(2030, 2040)) -> pd.DataFrame:
    """Projected totals of the region's areas in ``years`` (人) and rounded to 万人 (the seed deck's ≈)."""
    t = totals[totals["year"].isin(years) & (totals["area_kind"] != "national")]
    t = t[["area_code", "area_name_ja", "year", "population_persons"]]
    return t.assign(population_10k_rounded=(t["population_persons"] / 10_000).round(0))


def natural_social_change(kv: pd.DataFrame, region) -> pd.DataFrame:
    """自然増減 and 社会増減 (日本人, 都道府県間) per year for the region's prefectures and the region."""
    reg = _region(region)
    cols = ["births_persons", "deaths_persons", "in_migrants_persons", "out_migrants_persons"]
    d = kv[kv["pref_code"].isin(reg.pref_codes)][["pref_code", "year", *cols]]
    d = d.assign(area_code=d["pref_code"], area_name_ja=d["pref_code"].map(prefectures.name_ja))
    if len(reg) > 1:
        r = d.groupby("year", as_index=False)[cols].sum(min_count=len(reg))
        d = pd.concat([d, r.assign(area_code=reg.key, area_name_ja=reg.name_ja)], ignore_index=True)
    d = d.assign(natural_change_persons=d["births_persons"] - d["deaths_persons"],
                 social_change_persons=d["in_migrants_persons"] - d["out_migrants_persons"])
    return d[["area_code", "area_name_ja", "year", *cols, "natural_change_persons", "social_change_persons"]]


def age_structure(census_age5: pd.DataFrame, ipss_muni: pd.DataFrame, region) -> pd.DataFrame:
    """0–14 / 15–64 / 65+ persons and shares: 2020 census (known ages) and 2050 社人研, per area."""
    reg = _region(region)
    c = census_age5[(census_age5["area_level"] == "prefecture") & (census_age5["sex"] == "total")
                    & census_age5["age_class"].isin(AGE3) & census_age5["pref_code"].isin(reg.pref_codes)]
    c = c[["pref_code", "age_class", "population_persons"]].rename(columns={"age_class": "age3"}).assign(year=BASE_YEAR)
    m = ipss_muni[(ipss_muni["year"] == 2050) & ~ipss_muni["is_ward"] & ipss_muni["pref_code"].isin(reg.pref_codes)]
    m = m.groupby("pref_code", as_index=False)[list(AGE3_COLUMNS)].sum(min_count=1).melt(
        id_vars="pref_code", var_name="age3", value_name="population_persons")
    m = m.assign(age3=m["age3"].map(AGE3_COLUMNS), year=2050)
    d = pd.concat([c, m], ignore_index=True).assign(area_code=lambda x: x["pref_code"])
    if len(reg) > 1:
        r = d.groupby(["year", "age3"], as_index=False)["population_persons"].sum(min_count=len(reg))
        d = pd.concat([d, r.assign(area_code=reg.key)], ignore_index=True)
    names = {**{c: prefectures.name_ja(c) for c in reg.pref_codes}, reg.key: reg.name_ja}
    d = d.assign(area_name_ja=d["area_code"].map(names), age3_ja=d["age3"].map(AGE3_JA),
                 source=np.where(d["year"] == BASE_YEAR, "国勢調査", "社人研推計"))
    whole = d.groupby(["area_code", "year"])["population_persons"].transform("sum")
    d["share_pct"] = 100 * d["population_persons"] / whole
    d["category_ja"] = d["area_name_ja"] + " " + d["year"].astype(str) + "年（" + d["source"] + "）"
    return d[["area_code", "area_name_ja", "year", "source", "category_ja", "age3", "age3_ja", "population_persons",
              "share_pct"]]


def municipal_change(ipss_muni: pd.DataFrame, region, *, start: int = BASE_YEAR, end: int = 2050) -> pd.DataFrame:
    """Change ``start``→``end`` per municipality (政令市 whole), 65+ share in 2050, rank of decline."""
    reg = _region(region)
    d = ipss_muni[~ipss_muni["is_ward"] & ipss_muni["pref_code"].isin(reg.pref_codes)]
    w = d.pivot(index="muni_code", columns="year", values="population_persons")
    if start not in w.columns or end not in w.columns:
        msg = f"municipal_change: years {start} and {end} must be projection years; found {sorted(w.columns)}"
        raise InputError(msg)
    old = d[d["year"] == 2050].set_index("muni_code")
    notes = d.groupby("muni_code")["value_note"].agg(lambda s: "；".join(sorted({str(v) for v in s.dropna() if v})))
    ids = d.drop_duplicates("muni_code").set_index("muni_code")[["pref_code", "muni_name_ja"]]
    out = w[[start, end]].join(ids).reset_index().rename(columns={start: f"population_{start}_persons",
                                                        end: f"population_{end}_persons"})
    out["change_pct"] = 100 * (out[f"population_{end}_persons"] / out[f"population_{start}_persons"] - 1)
    total_2050 = old[list(AGE3_COLUMNS)].sum(axis=1, min_count=3)
    out["share_65plus_2050_pct"] = out["muni_code"].map(100 * old["population_65plus_persons"] / total_2050)
    out["decline_rank"] = out["change_pct"].rank(method="min", ascending=True).astype("Int64")
    out["pref_name_ja"] = out["pref_code"].map(prefectures.name_ja)
    out["value_note"] = out["muni_code"].map(notes).fillna("")
    out = out.sort_values(["decline_rank", "muni_code"], na_position="last", ignore_index=True)
    return out[["decline_rank", "muni_code", "pref_code", "pref_name_ja", "muni_name_ja",
                f"population_{start}_persons", f"population_{end}_persons", "change_pct", "share_65plus_2050_pct",
                "value_note"]]


# Process data: calibration inputs (the recipe of hokuriku.projection.calibrate).
def base_population(census_age5: pd.DataFrame, area_codes, *, open_age: int = 90) -> pd.DataFrame:
    """2020 base ``area_code, sex, age_group, population_persons``: 不詳 prorated, ``open_age``+ summed.

    Municipalities and 政令市 (whole cities) of 表2-7-1; e-Stat ``-`` (``value_note`` ``nil``, 該当数値なし:
    nobody in that cell, e.g. 100歳以上 in a small village) is a count of 0 here, not a missing value.
    """
    codes = [str(c) for c in area_codes]
    d = census_age5[census_age5["area_level"].isin(["municipality", "designated_city"])
                    & census_age5["area_code"].isin(codes) & census_age5["sex"].isin(["male", "female"])
                    & census_age5["age_kind"].isin(["age5", "open", "unknown"])]
    bad = d["population_persons"].isna() & (d["value_note"].fillna("") != "nil")
    if bad.any():
        row = d[bad].iloc[0]
        msg = (f"census 表2-7-1: no value for area {row['area_code']}, {row['sex']}, {row['age_class']} "
               f"({row['value_note']})")
        raise InputError(msg)
    if missing := sorted(set(codes) - set(d["area_code"])):
        msg = f"census 表2-7-1 has no 2020 age detail for areas {missing[:10]}"
        raise InputError(msg)
    d = pd.DataFrame({"area_code": d["area_code"], "sex": d["sex"], "age_group": d["age_class"],
                      "population_persons": d["population_persons"].fillna(0.0)})
    return collapse_open(prorate_unknown(d), open_age)


def start_bands(items: pd.DataFrame, code_map: pd.Series | None = None) -> pd.DataFrame:
    """2015 bands 0–14, 15–64, 65–74, 75+ by sex from SSDSE-A 2018, prorated to the total incl. 不詳.

    ``code_map`` (2015 code → base-year code, :func:`hokuriku.codes.municipalities.crosswalk_map`)
    carries renamed codes (富谷町 04423 → 富谷市 04216) to the base year's boundaries; areas mapping to the
    same code are summed.
    """
    d = items[items["item_code"].isin(SSDSE_A_BANDS)]
    if d["value"].isna().any():
        row = d[d["value"].isna()].iloc[0]
        msg = f"SSDSE-A: no value for {row['muni_code']} item {row['item_code']} ({row['value_note']})"
        raise InputError(msg)
    codes = d["muni_code"] if code_map is None else d["muni_code"].map(code_map).fillna(d["muni_code"])
    sb = d["item_code"].map(SSDSE_A_BANDS)
    d = pd.DataFrame({"area_code": codes.astype(str), "sex": sb.str[0], "band": sb.str[1], "v": d["value"]})
    w = d.pivot_table(index=["area_code", "sex"], columns="band", values="v", aggfunc="sum")
    w["65-74"] = w["65+"] - w["75+"]
    factor = w["total"] / (w["0-14"] + w["15-64"] + w["65+"])
    w = w[["0-14", "15-64", "65-74", "75+"]].mul(factor, axis=0)
    return w.reset_index().melt(id_vars=["area_code", "sex"], var_name="band", value_name="population_persons")


def end_bands(base: pd.DataFrame) -> pd.DataFrame:
    """Sum a 5-year-age base frame into the start bands 5 years on (5–19, 20–69, 70–79, 80+)."""
    lo = base["age_group"].str.extract(r"^(\d+)")[0].astype(int)
    band = pd.Series(pd.NA, index=base.index, dtype="object")
    for name, (a, b) in END_BANDS.items():
        band[(lo >= a) & ((lo <= b) if b is not None else True)] = name
    d = base.assign(band=band).dropna(subset=["band"])
    return d.groupby(["area_code", "sex", "band"], as_index=False)["population_persons"].sum()


def to_prefectures(df: pd.DataFrame, value: str = "population_persons") -> pd.DataFrame:
    """Sum a frame keyed by 5-digit ``area_code`` to 2-digit prefecture codes."""
    keys = [c for c in df.columns if c not in (value, "area_code")]
    return df.assign(area_code=df["area_code"].str[:2]).groupby(["area_code", *keys], as_index=False)[value].sum()


def census_pref_age5(c03: pd.DataFrame, year: int, pref_codes=None) -> pd.DataFrame:
    """Prefecture ``area_code, sex, age_group, population_persons`` of one census from 国勢調査 時系列 表3.

    年齢不詳 (explicit in the table) is prorated over the known ages, as 社人研 does; the open band is
    the table's own (``85歳以上`` from 1955 on). 1945 (数え年) is refused: its bands are not 満年齢.
    """
    d = c03[(c03["year"] == year) & c03["sex"].isin(["male", "female"])
            & c03["age_kind"].isin(["age5", "open", "unknown"])]
    if d.empty:
        msg = f"国勢調査 時系列 表3 has no year {year}"
        raise InputError(msg)
    if (d["age_reckoning"] != "mannenrei").any():
        msg = f"国勢調査 {year}: ages are in 数え年, not comparable with 満年齢 bands"
        raise InputError(msg)
    if pref_codes is not None:
        d = d[d["pref_code"].isin([str(c) for c in pref_codes])]
    d = pd.DataFrame({"area_code": d["pref_code"].astype(str), "sex": d["sex"], "age_group": d["age_class"],
                      "population_persons": d["population_persons"].astype(float)})
    return prorate_unknown(d)


def census_2020_prefectures(census_age5: pd.DataFrame, *, open_age: int = 90) -> pd.DataFrame:
    """2020 census (表2-7-1) by prefecture, sex and 5-year age: 不詳 prorated, ``open_age``+ summed."""
    d = census_age5[(census_age5["area_level"] == "prefecture") & census_age5["sex"].isin(["male", "female"])
                    & census_age5["age_kind"].isin(["age5", "open", "unknown"])]
    d = pd.DataFrame({"area_code": d["pref_code"].astype(str), "sex": d["sex"], "age_group": d["age_class"],
                      "population_persons": d["population_persons"].fillna(0.0)})
    return collapse_open(prorate_unknown(d), open_age)


def prefecture_schedule(c03: pd.DataFrame, census_age5: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """5-year CCRs 2015→2020 of every prefecture and the national ones (survival proxy), closure at 90+.

    Start: 国勢調査 2015 (時系列 表3, open band 85歳以上, 不詳 prorated); end: 国勢調査 2020 (表2-7-1, 不詳
    prorated, 90歳以上). Returns (prefecture ``area_code, sex, age_group, ccr``, national
    ``sex, age_group, survival`` = national CCR capped at 1).
    """
    start = census_pref_age5(c03, 2015)
    end = census_2020_prefectures(census_age5)
    pref = cohort_ratios(start, end)
    keys = ["area_code", "sex", "age_group"]
    nat = cohort_ratios(start.assign(area_code=NATIONAL_CODE).groupby(keys, as_index=False)["population_persons"].sum(),
                        end.assign(area_code=NATIONAL_CODE).groupby(keys, as_index=False)["population_persons"].sum())
    return pref, closed_population_survival(nat).drop(columns="area_code")


BANDS = {"0-14": (0, 14), "15-64": (15, 64), "65-74": (65, 74), "75+": (75, None)}
END_TO_START = {"5-19": "0-14", "20-69": "15-64", "70-79": "65-74", "80+": "75+"}


@dataclass
class CalibrationInputs:
    """Frames for :func:`hokuriku.projection.calibrate` plus what was left out and why.

    ``method`` states, per area, how its cohort change ratios were obtained and whether its child–woman
    ratio was pooled; ``cwr`` and ``sex_ratio`` are the fertility inputs (see :meth:`calibrate`).
    """

    level: str
    base: pd.DataFrame
    ccr: pd.DataFrame
    survival: pd.DataFrame
    targets: pd.DataFrame
    age3_target: pd.DataFrame | None
    base_tfr: pd.Series
    names: pd.Series
    excluded: pd.DataFrame
    cwr: pd.Series | None = None
    sex_ratio: float = SEX_RATIO_AT_BIRTH / 100
    method: pd.DataFrame | None = None
    pairs: list = field(default_factory=list)

    def calibrate(self):
        """:func:`hokuriku.projection.calibrate` on these inputs (CWR pooled for small areas, sex ratio at birth)."""
        return calibrate(self.base, self.ccr, self.targets, survival=self.survival, age3_target=self.age3_target,
                         cwr=self.cwr, sex_ratio=self.sex_ratio)


def assemble_inputs(region, *, census_age5, ssdse_items, ipss_muni, kv, c03, code_map=None, level="municipality",
                    horizon: int = 2050, sex_ratio_at_birth: float = SEX_RATIO_AT_BIRTH) -> CalibrationInputs:
    """Pure part of :func:`calibration_inputs`: frames in, :class:`CalibrationInputs` out.

    Cohort change ratios by sex × 5-year age: prefectures from the censuses 2015 (時系列 表3) → 2020
    (表2-7-1) (:func:`prefecture_schedule`); municipalities — which have no 5-year ages in 2015 —
    the prefecture schedule scaled to their own 2015→2020 change of the bands 0–14/15–64/65–74/75+
    (SSDSE-A 2018 = 2015 census), pooled where a band is small (:func:`hokuriku.projection.schedules
    .scale_schedule`). Births: the 2020 child–woman ratio, the prefecture's where fewer than
    ``MIN_WOMEN_15_49`` women; sex ratio at birth ``sex_ratio_at_birth`` (males per 100 females).
    """
    if level not in ("municipality", "prefecture"):
        msg = f"level must be 'municipality' or 'prefecture'; got {level!r}"
        raise ParameterError(msg)
    if not 90 <= float(sex_ratio_at_birth) <= 120:
        msg = f"sex_ratio_at_birth is males per 100 females (e.g. 105.2); got {sex_ratio_at_birth}"
        raise ParameterError(msg)
    reg = _region(region)
    years = list(range(BASE_YEAR + 5, horizon + 1, 5))
    m = ipss_muni[~ipss_muni["is_ward"] & ipss_muni["pref_code"].isin(reg.pref_codes)]
    lacking = m[m["year"].isin(years) & m["population_persons"].isna()]["muni_code"].unique()
    excluded = m[m["muni_code"].isin(lacking)].drop_duplicates("muni_code")[["muni_code", "muni_name_ja", "value_note"]]
    if level == "prefecture" and len(excluded):
        msg = (f"level='prefecture': prefectures {sorted(set(excluded['muni_code'].str[:2]))} have municipalities "
               "without a 社人研 projection (福島県浜通り); calibrate on municipalities instead")
        raise ParameterError(msg)
    m = m[~m["muni_code"].isin(lacking)]
    areas = sorted(m["muni_code"].unique())
    base = base_population(census_age5, areas)
    targets = m[m["year"].isin(years)][["muni_code", "year", "population_persons"]]
    targets = targets.rename(columns={"muni_code": "area_code"})
    age3 = None
    if horizon == 2050:
        a = m[m["year"] == 2050].drop(columns="population_persons").melt(
            id_vars="muni_code", value_vars=list(AGE3_COLUMNS), var_name="age3", value_name="population_persons")
        age3 = a.assign(age3=a["age3"].map(AGE3_COLUMNS), year=2050)
        age3 = age3.rename(columns={"muni_code": "area_code"})[["area_code", "year", "age3", "population_persons"]]
    names = m.drop_duplicates("muni_code").set_index("muni_code")["muni_name_ja"]
    pref_ccr, survival = prefecture_schedule(c03, census_age5)
    pref_2020 = census_2020_prefectures(census_age5)
    pref_arr_areas, _, pref_arr = frame_to_array(pref_2020, what="census 2020 prefectures")
    pref_cwr = pd.Series(child_woman_ratio(pref_arr, AgeGroups()), index=list(pref_arr_areas))
    if level == "prefecture":
        base, targets = to_prefectures(base), to_prefectures(targets)
        age3 = None if age3 is None else to_prefectures(age3)
        names = pd.Series({c: prefectures.name_ja(c) for c in reg.pref_codes})
        ccr = pref_ccr[pref_ccr["area_code"].isin(reg.pref_codes)].reset_index(drop=True)
        method = pd.DataFrame({"area_code": list(reg.pref_codes), "method_ja": METHOD_CENSUS, "n_pooled_bands": 0})
    else:
        start = start_bands(ssdse_items, code_map)
        pref_start = to_prefectures(start)
        start = start[start["area_code"].isin(areas)]
        end = end_bands(base)
        end = end.assign(band=end["band"].map(END_TO_START))
        pref_end = end_bands(pref_2020)
        pref_end = pref_end.assign(band=pref_end["band"].map(END_TO_START))
        ccr, method = scale_schedule(pref_ccr, start, end, pref_start, pref_end, BANDS)
    _, ages, base_arr = frame_to_array(base, areas=list(names.index), what="base population")
    women = base_arr[:, 1, ages.fertile()].sum(-1)
    children = base_arr[:, :, 0].sum(-1)
    group_cwr = np.array([pref_cwr[str(a)[:2]] for a in names.index])
    cwr, pooled = pooled_cwr(children, women, group_cwr)
    method = method.set_index("area_code").reindex(list(names.index)).reset_index()
    method["cwr_pooled"] = pooled
    method.insert(1, "area_name_ja", method["area_code"].map(names))
    tfr = kv[kv["year"] == BASE_YEAR].set_index("pref_code")["total_fertility_rate"]
    base_tfr = pd.Series({a: tfr.get(a[:2], np.nan) for a in names.index})
    return CalibrationInputs(level, base, ccr, survival, targets, age3, base_tfr, names,
                             excluded.reset_index(drop=True), cwr=pd.Series(cwr, index=list(names.index)),
                             sex_ratio=float(sex_ratio_at_birth) / 100, method=method)


def calibration_inputs(region, level: str = "municipality", *, horizon: int = 2050,
                       sex_ratio_at_birth: float = SEX_RATIO_AT_BIRTH) -> CalibrationInputs:
    """Read the store tables the calibration needs and assemble them (:func:`assemble_inputs`)."""
    # Load inputs.
    census_age5 = store.table("census", "population_age5", "2020")
    items = store.table("ssdse_a", "items", "2018")
    ipss = store.table("ipss_projection", "municipal_population", "r5_kurashi")
    kv = store.table("ssdse_b", "key_variables", "2025")
    c03 = store.table("census_pref_age5", "population_age5", "2015")
    code_map = municipalities.crosswalk_map(store.table("muni_converter", "crosswalk", "2020"), 2020)
    # Process data.
    out = assemble_inputs(region, census_age5=census_age5, ssdse_items=items, ipss_muni=ipss, kv=kv, c03=c03,
                          code_map=code_map, level=level, horizon=horizon, sex_ratio_at_birth=sex_ratio_at_birth)
    out.pairs = [("ipss_projection", "r5_kurashi"), ("census", "2020"), ("census_pref_age5", "2015"),
                 ("ssdse_a", "2018"), ("ssdse_b", "2025"), ("muni_converter", "2020")]
    return out


# Process data: calibration residuals and scenarios.
def residual_table(cal, names: pd.Series) -> pd.DataFrame:
    """Per area: worst |model − 社人研| total over the years, 2050 totals and age-3 share gaps, factors."""
    t = cal.total_residuals.assign(abs_diff=cal.total_residuals["diff_persons"].abs())
    out = t.groupby("area_code", as_index=False).agg(max_abs_diff_persons=("abs_diff", "max"))
    last = t[t["year"] == t["year"].max()].set_index("area_code")
    out["official_last_persons"] = out["area_code"].map(last["official_persons"])
    out["model_last_persons"] = out["area_code"].map(last["model_persons"])
    if cal.age3_residuals is not None:
        gaps = cal.age3_residuals.pivot_table(index="area_code", columns="age3", values="diff_share_pt")
        for a in AGE3:
            out[f"diff_share_{a.replace('-', '_').replace('+', 'plus')}_2050_pt"] = out["area_code"].map(gaps[a])
    out = out.merge(cal.params[["area_code", "fertility_factor", "elderly_factor", "is_at_bound"]], on="area_code")
    out.insert(1, "area_name_ja", out["area_code"].map(names))
    return out


def prefecture_check(cal, ipss_pref_totals: pd.DataFrame) -> pd.DataFrame:
    """Calibrated base summed to prefectures against 社人研's prefecture totals, every projection year."""
    model = cal.project(components=False).totals()
    model = model[model["year"] > cal.base_year].assign(pref_code=lambda d: d["area_code"].str[:2])
    model = model.groupby(["pref_code", "year"], as_index=False)["population_persons"].sum()
    off = ipss_pref_totals[["pref_code", "year", "population_persons", "is_complete"]]
    out = model.rename(columns={"population_persons": "model_persons"}).merge(
        off.rename(columns={"population_persons": "official_persons"}), on=["pref_code", "year"])
    out["diff_persons"] = out["model_persons"] - out["official_persons"]
    out.insert(1, "pref_name_ja", out["pref_code"].map(prefectures.name_ja))
    return out


SCENARIO_FIELDS = ("name", "target_tfr", "tfr_by_year", "migration_k", "zero_migration", "plant", "plants")
"""Keys of a combined scenario given as a dict in the ``scenarios`` parameter."""
PLANT_FIELDS = ("area", "jobs", "year", "in_mover_share", "family_size")
"""Keys of a plant inside a combined scenario (``area`` by name or code; the others default to the notebook's)."""


def _unknown_keys(given, allowed, what: str) -> None:
    import difflib

    for key in given:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            msg = f"{what}: unknown key {key!r}{hint} Allowed: {list(allowed)}"
            raise ParameterError(msg)


def resolve_area(value, areas, names: pd.Series, muni_names: pd.Series | None = None) -> str:
    """An area of the projection from a code (``16211``, ``"16211"``, ``16``) or a name (``"射水市"``, ``"富山県"``).

    When the projection runs on prefectures, a municipality (by code or name) maps to its prefecture.
    A name shared by several areas (府中市) is refused with their codes.
    """
    areas = [str(a) for a in areas]
    text = str(value).strip()
    if isinstance(value, (int, np.integer)) or text.isdigit():
        code = text.zfill(5) if len(text) > 2 else text.zfill(2)
        if code in areas:
            return code
        if len(code) == 5 and code[:2] in areas:
            return code[:2]
        msg = f"area {value!r} is not a calibrated area of this projection (e.g. {areas[:5]})"
        raise ParameterError(msg)
    by_name = [str(c) for c, n in names.items() if n == text]
    if not by_name and muni_names is not None:  # a municipality named while projecting prefectures
        by_name = [str(c)[:2] for c, n in muni_names.items() if n == text and str(c)[:2] in areas]
    if not by_name:
        try:
            pref = prefectures.code_of(text)
        except HokurikuError:
            pref = None
        by_name = [pref] if pref in areas else []
    by_name = sorted(set(by_name))
    if len(by_name) == 1:
        return by_name[0]
    if len(by_name) > 1:
        msg = f"area name {text!r} is ambiguous: {by_name}; give the code"
        raise ParameterError(msg)
    import difflib

    close = difflib.get_close_matches(text, [str(n) for n in names.to_numpy()], n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    msg = f"area {text!r} is not a calibrated area of this projection{hint}"
    raise ParameterError(msg)


def combined_spec(spec: dict, *, areas, names: pd.Series, base_tfr, defaults: dict,
                  muni_names: pd.Series | None = None):
    """A :class:`~hokuriku.projection.Combined` scenario from a parameter dict (levers combined).

    ``{"name": "富山県 成長", "target_tfr": 1.8, "tfr_by_year": 2040, "migration_k": 0.5,
    "plant": {"area": "射水市", "jobs": 1000, "year": 2027}}``; ``plant`` may be a list, or use
    ``plants``; ``zero_migration: true`` instead of ``migration_k``. Parts apply in the order migration,
    fertility, plants. Unknown keys are errors naming the closest allowed key.
    """
    from hokuriku.projection import Combined

    if not isinstance(spec, dict):
        msg = f"a scenario must be one of {list(SCENARIO_KEYS)} or a dict with keys {list(SCENARIO_FIELDS)}; got {spec!r}"
        raise ParameterError(msg)
    _unknown_keys(spec, SCENARIO_FIELDS, "scenario")
    parts = []
    if spec.get("zero_migration"):
        if "migration_k" in spec:
            msg = f"scenario {spec.get('name', '')!r}: give zero_migration or migration_k, not both"
            raise ParameterError(msg)
        parts.append(ZeroMigration(name="移動均衡"))
    if "migration_k" in spec:
        parts.append(MigrationScale(float(spec["migration_k"]), name=f"純移動×{float(spec['migration_k']):g}"))
    if "target_tfr" in spec or "tfr_by_year" in spec:
        tfr = float(spec.get("target_tfr", defaults["target_tfr"]))
        by = int(spec.get("tfr_by_year", defaults["tfr_by_year"]))
        parts.append(FertilityTarget(tfr, by, base_tfr, name=f"出生率{tfr:g}（{by}年まで）"))
    plants = spec.get("plants", [])
    if "plant" in spec:
        plants = [*plants, *(spec["plant"] if isinstance(spec["plant"], list) else [spec["plant"]])]
    for pl in plants:
        if not isinstance(pl, dict):
            msg = f"a plant is a dict with keys {list(PLANT_FIELDS)}; got {pl!r}"
            raise ParameterError(msg)
        _unknown_keys(pl, PLANT_FIELDS, "plant")
        if "area" not in pl:
            msg = f"a plant needs an 'area' (name or code); got {pl!r}"
            raise ParameterError(msg)
        area = resolve_area(pl["area"], areas, names, muni_names)
        jobs, year = float(pl.get("jobs", defaults["plant_jobs"])), int(pl.get("year", defaults["plant_year"]))
        parts.append(PlantJobs(area, jobs, year, float(pl.get("in_mover_share", defaults["plant_in_mover_share"])),
                               float(pl.get("family_size", defaults["plant_family_size"])),
                               name=f"工場進出{names.get(area, area)}{jobs:,.0f}人（{year}年）"))
    if not parts:
        msg = f"scenario {spec!r} changes nothing: give target_tfr, migration_k, zero_migration or plant"
        raise ParameterError(msg)
    name = str(spec.get("name") or "＋".join(p.name for p in parts))
    return Combined(tuple(parts), name=name)


def scenario_specs(keys, *, areas, base_tfr, migration_k: float = 0.5, target_tfr: float = 1.8,
                   tfr_by_year: int = 2040, plant_area: str = "", plant_jobs: float = 1000, plant_year: int = 2027,
                   plant_in_mover_share: float = 0.5, plant_family_size: float = 2.5,
                   largest_area: str | None = None, names: pd.Series | None = None,
                   muni_names: pd.Series | None = None) -> list:
    """Scenario specs named in Japanese; ``base`` always first. ``plant_area`` "" = ``largest_area``.

    ``keys`` holds scenario keys (:data:`SCENARIO_KEYS`) and/or dicts that combine levers
    (:func:`combined_spec`); ``plant_area`` and plant areas in dicts are a name or a code.
    """
    names = pd.Series({str(a): str(a) for a in areas}) if names is None else names
    unknown = [k for k in keys if not isinstance(k, dict) and k not in SCENARIO_KEYS]
    if unknown:
        import difflib

        close = difflib.get_close_matches(str(unknown[0]), SCENARIO_KEYS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        msg = f"unknown scenario(s) {unknown}{hint}; choose from {list(SCENARIO_KEYS)} or give a dict"
        raise ParameterError(msg)
    area = ""
    if "plant" in keys:
        area = resolve_area(plant_area or largest_area or "", areas, names, muni_names)
    defaults = {"target_tfr": target_tfr, "tfr_by_year": tfr_by_year, "plant_jobs": plant_jobs,
                "plant_year": plant_year, "plant_in_mover_share": plant_in_mover_share,
                "plant_family_size": plant_family_size}
    make = {
        "base": lambda: Base(name=BASE_LABEL),
        "zero_migration": lambda: ZeroMigration(name="移動均衡（純移動ゼロ）"),
        "migration_scale": lambda: MigrationScale(migration_k, name=f"純移動×{migration_k:g}"),
        "fertility_target": lambda: FertilityTarget(target_tfr, tfr_by_year, base_tfr,
                                                    name=f"出生率{target_tfr:g}（{tfr_by_year}年まで）"),
        "plant": lambda: PlantJobs(area, plant_jobs, plant_year, plant_in_mover_share, plant_family_size,
                                   name=f"工場進出{plant_jobs:,.0f}人（{plant_year}年）"),
    }
    return [make[k]() if not isinstance(k, dict) else combined_spec(k, areas=areas, names=names, base_tfr=base_tfr,
                                                                    defaults=defaults, muni_names=muni_names)
            for k in ordered_keys(keys)]


def ordered_keys(keys) -> list:
    """Scenarios in run order: ``base`` first, then the others once each in the order given (dicts kept)."""
    out, seen = ["base"], {"base"}
    for k in keys:
        if isinstance(k, dict):
            out.append(k)
        elif k not in seen:
            seen.add(k)
            out.append(k)
    return out


def scenario_key(k) -> str:
    """Key of a scenario entry: its key, or ``combined:<name>`` for a dict."""
    return f"combined:{k.get('name', '')}" if isinstance(k, dict) else k


def scenario_tables(proj, region, n_excluded: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Region totals per scenario and year (with difference to base), and 5-year components.

    When municipalities without a 社人研 projection were left out of the calibration, the region's
    label says so (``n_excluded``): the scenario totals cover the calibrated areas only.
    """
    reg = _region(region)
    label = reg.name_ja + (f"（社人研の推計がない{n_excluded}市町村を除く）" if n_excluded else "")
    t = proj.totals()
    t = t.groupby(["scenario", "year"], as_index=False, sort=False)["population_persons"].sum()
    base = t[t["scenario"] == proj.scenarios[0]].set_index("year")["population_persons"]
    t = t.assign(area_code=reg.key, area_name_ja=label, population_10k=t["population_persons"] / 10_000,
                 diff_vs_base_persons=t["population_persons"] - t["year"].map(base))
    c = proj.components_frame()
    cols = [x for x in ("births_persons", "deaths_persons", "net_migration_persons") if x in c]
    c = c.groupby(["scenario", "period_start", "period_end"], as_index=False, sort=False)[cols].sum()
    c = c.assign(area_code=reg.key, area_name_ja=label)
    return (t[["area_code", "area_name_ja", "scenario", "year", "population_persons", "population_10k",
               "diff_vs_base_persons"]],
            c[["area_code", "area_name_ja", "scenario", "period_start", "period_end", *cols]])


def backtest(c03: pd.DataFrame, census_age5: pd.DataFrame, *, base_year: int = 2010,
             periods=((2005, 2010), (2010, 2015)), sex_ratio_at_birth: float = SEX_RATIO_AT_BIRTH) -> pd.DataFrame:
    r"""Backtest of the engine per prefecture: start from the ``base_year`` census, project 2015 and 2020.

    Base: 国勢調査 ``base_year`` (時系列 表3, 不詳 prorated, open 85+). Rates: the prefecture's 5-year
    cohort change ratios of each census pair in ``periods`` (closure at 85+), the base year's
    child–woman ratio, sex ratio at birth ``sex_ratio_at_birth``; no calibration. Compared with the
    census totals (年齢不詳を含む): 2015 (表3) and 2020 (表2-7-1). Error :math:`e = 100 (\hat P/P - 1)`;
    ``abs_error_pct`` = |e|. A period ending after ``base_year`` is not a pure out-of-sample test for
    the years it covers (stated in ``ratio_period_note``).
    """
    base = census_pref_age5(c03, base_year)
    areas, ages, arr = frame_to_array(base, what=f"census {base_year}")
    cwr = child_woman_ratio(arr, ages)
    truth = c03[(c03["age_kind"] == "total") & (c03["sex"] == "total")].set_index(["pref_code", "year"])[
        "population_persons"]
    c20 = census_age5[(census_age5["area_level"] == "prefecture") & (census_age5["sex"] == "total")
                      & (census_age5["age_kind"] == "total")].set_index("pref_code")["population_persons"]
    rows = []
    for y0, y1 in periods:
        ccr = cohort_ratios(census_pref_age5(c03, y0), census_pref_age5(c03, y1))
        _, _, c_arr = frame_to_array(ccr, value="ccr", areas=areas, what=f"CCR {y0}→{y1}")
        rates = Rates(survival=c_arr, migration=0.0, sex_ratio=float(sex_ratio_at_birth) / 100, cwr=cwr,
                      separable=False)
        proj = project(arr, rates, steps=2, base_year=base_year, areas=areas, ages=ages, components=False)
        tot = proj.totals().set_index(["area_code", "year"])["population_persons"]
        for a in areas:
            for year in (base_year + 5, base_year + 10):
                census = truth.get((a, year), np.nan) if year <= 2015 else c20.get(a, np.nan)
                rows.append({"pref_code": a, "ratio_period": f"{y0}→{y1}", "year": year,
                             "census_persons": census, "projected_persons": tot[(a, year)]})
    out = pd.DataFrame(rows)
    out["error_pct"] = 100 * (out["projected_persons"] / out["census_persons"] - 1)
    out["abs_error_pct"] = out["error_pct"].abs()
    out["ratio_period_note"] = np.where(out["ratio_period"].str.endswith(str(base_year)), "事後検証（期間外）",
                                        "2015年は比率の推計期間と重なる")
    out.insert(1, "pref_name_ja", out["pref_code"].map(prefectures.name_ja))
    return out


def backtest_summary(bt: pd.DataFrame, region=None) -> pd.DataFrame:
    """Mean absolute % error per ratio period and year: all 47 prefectures and (if given) the region's."""
    groups = [("全国47都道府県", bt)]
    if region is not None:
        reg = _region(region)
        groups.append((reg.name_ja, bt[bt["pref_code"].isin(reg.pref_codes)]))
    rows = [g.groupby(["ratio_period", "year"], as_index=False).agg(
        mean_abs_error_pct=("abs_error_pct", "mean"), max_abs_error_pct=("abs_error_pct", "max"),
        n_prefectures=("pref_code", "nunique")).assign(scope_ja=label) for label, g in groups]
    out = pd.concat(rows, ignore_index=True)
    return out[["scope_ja", "ratio_period", "year", "n_prefectures", "mean_abs_error_pct", "max_abs_error_pct"]]


def census_vs_projection(proj, cal, region, *, horizon: int = 2050) -> pd.DataFrame:
    """Pyramid rows of the region: the 2020 census base (不詳 prorated) and the calibrated base in ``horizon``."""
    reg = _region(region)
    base = pd.DataFrame({"population_persons": cal.base.sum(0).reshape(-1)},
                        index=pd.MultiIndex.from_product([("male", "female"), cal.ages.labels],
                                                         names=["sex", "age_group"])).reset_index()
    base = base.assign(scenario=f"{cal.base_year}年（国勢調査）", year=cal.base_year)
    fut = pyramid_frame(proj, horizon, scenarios=[proj.scenarios[0]], area_label=reg.name_ja)
    fut = fut.assign(scenario=f"{horizon}年（{proj.scenarios[0]}）")
    out = pd.concat([base.assign(area_label=reg.name_ja), fut], ignore_index=True)
    out["share_pct"] = 100 * out["population_persons"] / out.groupby("scenario")["population_persons"].transform("sum")
    return out[["area_label", "scenario", "year", "sex", "age_group", "population_persons", "share_pct"]]


def plausibility(proj, cal, region, *, horizon: int = 2050) -> pd.DataFrame:
    """:func:`hokuriku.projection.schedules.pyramid_checks` of the region and each of its prefectures (base case)."""
    reg = _region(region)
    pop = proj.array(horizon)[0]
    codes = np.array([str(a)[:2] for a in proj.areas])
    steps = (horizon - cal.base_year) // 5
    parts = [(reg.name_ja, np.ones(len(codes), bool))] if len(reg) > 1 else []
    parts += [(prefectures.name_ja(c), codes == c) for c in reg.pref_codes if (codes == c).any()]
    return pd.concat([pyramid_checks(pop[m].sum(0), cal.base[m].sum(0), cal.ages, steps=steps,
                                     base_year=cal.base_year, year=horizon, area_label=label)
                      for label, m in parts], ignore_index=True)


def pyramid_pair_chart(df: pd.DataFrame, *, size: str = "body"):
    """The 2020 census pyramid beside the projected one (shares of each total, same scale); ``(fig, axes)``."""
    from matplotlib.figure import Figure

    from hokuriku.plotting import charts

    fig = Figure(figsize=style.figsize(size), layout="constrained")
    axes = fig.subplots(1, 2, sharex=True, sharey=True)
    for ax, (name, d) in zip(axes, df.groupby("scenario", sort=False), strict=True):
        charts.pyramid(d, age="age_group", sex="sex", value="share_pct", base=name, size=size, ax=ax)
        ax.set_title(name, fontsize=11)
        ax.set_xlabel("構成比（%）")
        if ax.get_legend() is not None:
            ax.get_legend().remove()
    bars = [h for h in axes[0].get_legend_handles_labels()[0] if h.__class__.__name__ == "BarContainer"]
    axes[0].legend(bars, ["男性", "女性"], loc="upper left", fontsize=9)
    return fig, axes


# Display tables (Japanese headers, published rounding) for the saved CSV/XLSX.
EXTRA_LABELS_JA = {
    **{f"population_{y}_persons": f"{y}年人口（人）" for y in range(BASE_YEAR + 5, 2050, 5)},
    "check": "検査", "older_group": "年長の階級", "younger_group": "比較する階級", "older_persons": "年長の階級の人口（人）",
    "younger_persons": "比較する階級の人口（人）", "is_echo": "コーホートの山（国勢調査由来）", "echo_ja": "説明",
    "passed": "合格", "method_ja": "変化率の求め方", "n_pooled_bands": "プールした年齢帯の数",
    "cwr_pooled": "子ども女性比をプール", "ratio_period": "変化率の期間", "census_persons": "国勢調査（人）",
    "projected_persons": "推計（人）", "error_pct": "誤差（%）", "abs_error_pct": "絶対誤差（%）",
    "ratio_period_note": "注記", "scope_ja": "対象", "n_prefectures": "都道府県数",
    "mean_abs_error_pct": "平均絶対誤差（%）", "max_abs_error_pct": "最大絶対誤差（%）",
}
"""Headers the shared :data:`hokuriku.reporting.labels.COLUMN_LABELS_JA` lacks: the municipal table's end-year
column for a horizon before 2050 (``municipal_change(…, end=horizon)``)."""
VALUE_LABELS_JA = {
    "status": {"census": "実績（国勢調査）", "projection": "推計（社人研）"},
    "area_kind": {"prefecture": "都道府県", "region": "地域", "national": "全国"},
    "sex": {"male": "男性", "female": "女性", "total": "総数"},
    "check": {"notch": "年長の階級が多い（切れ込み）", "open_group": "90歳以上 ≤ 85〜89歳＋80〜84歳"},
}
DISPLAY_DIGITS = {"pyramids": {"share_pct": 2}}  # 5-year × sex shares are 0.5–4 %: 1 decimal is too coarse
HIDDEN_COLUMNS = ("age3", "category_ja")  # duplicates of age3_ja / chart-only labels
_DIGITS_1 = ("population_10k", "index_base100", "share_pct", "change_pct", "share_65plus_2050_pct")
_DIGITS_2_EXTRA = ("error_pct", "abs_error_pct", "mean_abs_error_pct", "max_abs_error_pct")
_DIGITS_2 = ("max_abs_diff_persons", "diff_persons")  # calibration residuals: well below 1人, tolerance 0.5人
_DIGITS_3 = ("fertility_factor", "elderly_factor")
_INTEGERS = ("year", "period_start", "period_end", "decline_rank", "n_missing", "population_10k_rounded",
             "n_pooled_bands", "n_prefectures")
_FLAGS = ("is_complete", "is_at_bound", "is_echo", "passed", "cwr_pooled")


def _round(s: pd.Series, digits: int) -> pd.Series:
    """Half-up (四捨五入) to ``digits`` decimals; NaN stays NaN, −0.0 becomes 0.0."""
    return s.map(lambda v: np.nan if pd.isna(v) else float(formats.round_half_up(v, digits)) + 0.0).astype(float)


def _integers(s: pd.Series) -> pd.Series:
    return pd.array(_round(s, 0), dtype="Int64")


def _label(col: str) -> str:
    return COLUMN_LABELS_JA.get(col, EXTRA_LABELS_JA.get(col, col))


def display_table(df: pd.DataFrame, *, digits: dict[str, int] | None = None) -> pd.DataFrame:
    """Return a report table as saved for analysts: Japanese headers and values, rounded for reading.

    Persons (``*_persons``, including differences) as integers except the calibration residuals
    (2 decimals, so the 0.5人 tolerance stays visible); 万人, indices and % to 1 decimal; percentage
    points to 2; calibration factors to 3; codes stay zero-padded strings; ``census``/``male`` … and
    flags become Japanese (○ = yes). Chart helper columns (``category_ja``, ``age3``) are dropped.
    ``digits`` overrides the decimals of named (machine) columns, e.g. ``{"share_pct": 2}``.
    Input is not modified; ``report.tables`` keep their machine names for computation.
    """
    digits = digits or {}
    out = df.drop(columns=[c for c in HIDDEN_COLUMNS if c in df.columns]).copy()
    for col in out.columns:
        s = out[col]
        if col in digits:
            out[col] = _round(s, digits[col])
        elif col.endswith("_code"):
            out[col] = s.astype("string")
        elif col in VALUE_LABELS_JA:
            out[col] = s.map(lambda v, m=VALUE_LABELS_JA[col]: m.get(v, v))
        elif col in _FLAGS:
            out[col] = s.map(lambda v: "○" if v is True or v == 1 else "")
        elif col in _DIGITS_1:
            out[col] = _round(s, 1)
        elif col in _DIGITS_2 or col in _DIGITS_2_EXTRA:
            out[col] = _round(s, 2)
        elif col in _DIGITS_3:
            out[col] = _round(s, 3)
        elif col.endswith("_pt"):
            out[col] = _round(s, 2)
        elif col in _INTEGERS or col.endswith("_persons") or col == "population_signed":
            out[col] = _integers(s)
    labels = [_label(c) for c in out.columns]
    if len(set(labels)) != len(labels):
        msg = f"display_table: two columns share a Japanese header: {labels}"
        raise InputError(msg)
    out.columns = labels
    return out


def for_report(report) -> dict[str, pd.DataFrame]:
    """Every table of ``report`` (:class:`PopulationReport`) as :func:`display_table`, keyed like ``report.tables``."""
    return {name: display_table(t, digits=DISPLAY_DIGITS.get(name)) for name, t in report.tables.items()}


# Charts specific to this report (built on the house style; no saving, see hokuriku.plotting.charts).
def _figure(size: str = "body"):
    from matplotlib.figure import Figure

    fig = Figure(figsize=style.figsize(size), layout="constrained")
    return fig, fig.add_subplot()


def _area_rows(df: pd.DataFrame, area_code: str, what: str) -> pd.DataFrame:
    """The rows of one area sorted by year; :class:`InputError` naming ``what`` when there are none."""
    d = df[df["area_code"] == area_code].sort_values("year")
    if d.empty:
        msg = f"no {what} rows for area {area_code!r}"
        raise InputError(msg)
    return d


def change_components_chart(df: pd.DataFrame, area_code: str, *, size: str = "body"):
    """Bars of 自然増減 and 社会増減 per year for one area, with the total change as a line; ``(fig, ax)``."""
    d = _area_rows(df, area_code, "natural/social change")
    fig, ax = _figure(size)
    x, w = d["year"].to_numpy(), 0.4
    ax.bar(x - w / 2, d["natural_change_persons"], width=w, color=style.PREF_COLOURS.get("16", "#0072B2"),
           label="自然増減（出生数−死亡数）")
    ax.bar(x + w / 2, d["social_change_persons"], width=w, color=style.ACCENT_COLOUR,
           label="社会増減（転入者数−転出者数, 日本人・都道府県間）")
    ax.plot(x, d["natural_change_persons"] + d["social_change_persons"], color=style.TEXT_COLOUR, marker="o",
            linewidth=1.5, label="計")
    ax.axhline(0, color="#999999", linewidth=0.8)
    ax.set_xticks(x, [str(v) for v in x])
    ax.yaxis.set_major_formatter(formats.thousands_formatter())
    ax.set_ylabel("人")
    ax.legend(loc="lower left", fontsize=10)
    return fig, ax




def change_map(report, *, bins=(-50, -40, -30, -20, -10, 0), legend_title_ja: str = "増減率", size: str = "body"):
    """Choropleth of ``change_pct`` on the report's municipal polygons (データなし hatched); ``(fig, ax)``.

    The map is zoomed to the region's municipalities and names the 25 largest of them.
    """
    from hokuriku.maps.choropleth import choropleth

    fig, ax = _figure(size)
    choropleth(report.map_frame, "change_pct", scheme="user_defined", bins=list(bins), cmap="RdYlBu",
               legend_title_ja=legend_title_ja, unit="%", boundary=report.map_prefectures, ax=ax)
    from hokuriku.maps.choropleth import label_areas

    minx, miny, maxx, maxy = report.map_frame.total_bounds  # zoomed to the region's municipalities
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    label_areas(ax, report.map_frame, "muni_name_ja", top=25)
    return fig, ax


def scenario_chart(df: pd.DataFrame, *, value: str = "population_10k", size: str = "body"):
    """Region total per scenario (万人): the first scenario (base) thick navy, the others in the cycle; ``(fig, ax)``.

    Drawn by :func:`hokuriku.plotting.charts.line_scenarios`.
    """
    from hokuriku.plotting import charts

    return charts.line_scenarios(df, x="year", y=value, group="scenario", ylabel="万人", size=size)


@dataclass
class PopulationReport:
    """Everything the notebook shows: tables by name, their (source, vintage) pairs, map frames, model."""

    region: prefectures.Region
    tables: dict
    pairs: dict
    calibration: object
    projection: object
    inputs: CalibrationInputs
    map_frame: object = None
    map_prefectures: object = None
    scenario_keys: tuple = ()

    @property
    def area_code(self) -> str:
        """Code of the whole region in the tables: the region key, or the prefecture for one prefecture."""
        return self.region.key if len(self.region) > 1 else self.region.pref_codes[0]

    @property
    def labels(self) -> dict:
        """``area_code`` → Japanese name for every area of the trend table."""
        t = self.tables["population_trend"]
        return dict(zip(t["area_code"], t["area_name_ja"], strict=True))

    @property
    def scenario_names(self) -> dict:
        """Scenario key (``base``, ``plant`` …) → its Japanese name in the tables."""
        return dict(zip(self.scenario_keys, self.projection.scenarios, strict=True))

    @property
    def scenarios(self) -> tuple:
        """Scenario names (Japanese) in run order; the first is the calibrated base."""
        return tuple(self.projection.scenarios)


def build(region="HOKURIKU3", *, base_year: int = BASE_YEAR, horizon: int = 2050, history_from: int = 1980,
          level: str = "municipality", scenarios=SCENARIO_KEYS, migration_k: float = 0.5, target_tfr: float = 1.8,
          tfr_by_year: int = 2040, plant_area: str = "", plant_jobs: float = 1000, plant_year: int = 2027,
          plant_in_mover_share: float = 0.5, plant_family_size: float = 2.5, ranking_top: int = 20,
          with_map: bool = True, sex_ratio_at_birth: float = SEX_RATIO_AT_BIRTH) -> PopulationReport:
    """Assemble every table of the population report for ``region`` (see the module docstring)."""
    from hokuriku.maps import boundaries

    if base_year != BASE_YEAR:
        msg = f"base_year must be {BASE_YEAR} (社人研 令和5年推計 and the census age detail at hand); got {base_year}"
        raise ParameterError(msg)
    if horizon not in range(BASE_YEAR + 5, 2051, 5):
        msg = f"horizon must be one of {list(range(BASE_YEAR + 5, 2051, 5))}; got {horizon}"
        raise ParameterError(msg)
    reg = _region(region)
    # Load inputs.
    panel = store.table("census_panel", "population", "2020")
    census_2020 = store.table("census", "population", "2020")
    census_age5 = store.table("census", "population_age5", "2020")
    ipss = store.table("ipss_projection", "municipal_population", "r5_kurashi")
    ipss_pref = store.table("ipss_projection", "prefecture_totals", "r5_kurashi")
    kv = store.table("ssdse_b", "key_variables", "2025")
    c03 = store.table("census_pref_age5", "population_age5", "2015")
    inputs = calibration_inputs(reg, level, horizon=horizon, sex_ratio_at_birth=sex_ratio_at_birth)

    # Process data.
    series = pd.concat([prefecture_history(panel, census_2020, start=history_from),
                        prefecture_projection(ipss_pref, horizon=horizon)], ignore_index=True)
    totals = totals_by_area(series, reg, base_year=base_year)
    change = municipal_change(ipss, reg, start=base_year, end=horizon)
    cal = inputs.calibrate()
    largest = inputs.base.groupby("area_code")["population_persons"].sum().idxmax()
    specs = scenario_specs(scenarios, areas=cal.areas, base_tfr=inputs.base_tfr, migration_k=migration_k,
                           target_tfr=target_tfr, tfr_by_year=tfr_by_year, plant_area=plant_area,
                           plant_jobs=plant_jobs, plant_year=plant_year, plant_in_mover_share=plant_in_mover_share,
                           plant_family_size=plant_family_size, largest_area=largest, names=inputs.names,
                           muni_names=ipss.drop_duplicates("muni_code").set_index("muni_code")["muni_name_ja"])
    proj = run_scenarios(cal, specs)
    scen_totals, scen_components = scenario_tables(proj, reg, len(inputs.excluded))
    pyramids = pd.concat([pyramid_frame(proj, horizon, scenarios=[proj.scenarios[0], s], area_label=reg.name_ja)
                          .assign(pair=s) for s in proj.scenarios[1:]] or
                         [pyramid_frame(proj, horizon, scenarios=[proj.scenarios[0]], area_label=reg.name_ja)
                          .assign(pair=proj.scenarios[0])], ignore_index=True)
    base_pairs = [("census_panel", "2020"), ("census", "2020"), ("ipss_projection", "r5_kurashi")]
    tables = {
        "population_trend": totals,
        "seed_figures": seed_figures(totals, [y for y in (2030, 2040) if y <= horizon]),
        "natural_social_change": natural_social_change(kv, reg),
        "age_structure": age_structure(census_age5, ipss, reg),
        "municipal_change": change,
        "municipal_decline_ranking": change.head(ranking_top),
        "calibration_residuals": residual_table(cal, inputs.names),
        "calibration_prefecture_check": prefecture_check(cal, ipss_pref[ipss_pref["pref_code"].isin(reg.pref_codes)]),
        "scenario_totals": scen_totals,
        "scenario_components": scen_components,
        "pyramids": pyramids,
        "pyramid_census_vs_projection": census_vs_projection(proj, cal, reg, horizon=horizon),
        "pyramid_plausibility": plausibility(proj, cal, reg, horizon=horizon),
        "projection_method": inputs.method,
        "backtest": (bt := backtest(c03, census_age5, sex_ratio_at_birth=sex_ratio_at_birth)),
        "backtest_summary": backtest_summary(bt, reg),
    }
    what_if = inputs.pairs
    pairs = {"population_trend": base_pairs, "seed_figures": [("ipss_projection", "r5_kurashi")],
             "natural_social_change": [("ssdse_b", "2025")],
             "age_structure": [("census", "2020"), ("ipss_projection", "r5_kurashi")],
             "municipal_change": [("ipss_projection", "r5_kurashi"), ("boundaries", "n03_2025")],
             "municipal_decline_ranking": [("ipss_projection", "r5_kurashi")],
             **{k: what_if for k in ("calibration_residuals", "calibration_prefecture_check", "scenario_totals",
                                    "scenario_components", "pyramids", "pyramid_census_vs_projection",
                                    "pyramid_plausibility", "projection_method")},
             "backtest": [("census_pref_age5", "2015"), ("census", "2020")],
             "backtest_summary": [("census_pref_age5", "2015"), ("census", "2020")]}
    gdf = prefs = None
    if with_map:
        polys = boundaries.load_municipalities(reg.pref_codes, designated_city="merge", vintage="n03_2025")
        gdf = boundaries.join_values(polys, change[["muni_code", "change_pct"]], columns=["change_pct"])
        prefs = boundaries.load_prefectures(pref_codes=reg.pref_codes)
    # Save outputs.
    return PopulationReport(reg, tables, pairs, cal, proj, inputs, gdf, prefs,
                            tuple(scenario_key(k) for k in ordered_keys(scenarios)))


# --- 住民基本台帳: 自然増減・社会増減 to the latest year, beside SSDSE-B -------------------------------------
# Added for issue 9 (additive: the SSDSE-B series above is unchanged).
JUKI_SERIES_COLUMNS = ["births_persons", "deaths_persons", "natural_change_persons", "in_total_persons",
                       "in_other_persons", "out_total_persons", "out_other_persons", "social_change_persons"]
JUKI_MUNICIPAL_COLUMNS = ["births_persons", "deaths_persons", "natural_change_persons", "natural_change_rate_pct",
                          "in_total_persons", "out_total_persons", "social_change_persons", "social_change_rate_pct"]
JUKI_DEFINITION_JA = (
    "住民基本台帳：日本人住民と外国人住民、すべての転入・転出（国外との移動と職権記載等のその他を含む）。"
    "SSDSE-B：出生・死亡は人口動態統計（日本人）、転入・転出は住民基本台帳人口移動報告の日本人の都道府県間移動。"
)
"""The definitional difference between the two series, for table notes and chart subtitles."""
EXTRA_LABELS_JA.update({
    "flow_year": "年（1〜12月）", "in_total_persons": "転入者数（人）", "out_total_persons": "転出者数（人）",
    "in_other_persons": "記載その他（人）", "out_other_persons": "消除その他（人）",
    "natural_change_rate_pct": "自然増減率（%）", "social_change_rate_pct": "社会増減率（%）",
    "natural_change_ssdse_b_persons": "自然増減・SSDSE-B（人）", "natural_change_juki_persons": "自然増減・住基（人）",
    "social_change_ssdse_b_persons": "社会増減・SSDSE-B（人）", "social_change_juki_persons": "社会増減・住基（人）",
})
JUKI_DISPLAY_DIGITS = {"natural_change_rate_pct": 2, "social_change_rate_pct": 2}


def juki_change_series(flows: pd.DataFrame, region, *, national: bool = True) -> pd.DataFrame:
    """自然増減・社会増減 per calendar year from 住基 flows: the region's prefectures, the region and 全国.

    ``flows`` is ``juki/flows`` of one or more vintages concatenated (each vintage = one ``flow_year``, the
    calendar year before its 1 January). From the 住基 table (総務省, 【総計】):

    - 自然増減 = 出生者数 − 死亡者数 (``natural_change_persons``, as published);
    - 社会増減 = 転入者数計 + 記載その他 − 転出者数計 − 消除その他 (``social_change_persons``, as published).

    A region is the sum of its prefectures (moves between them cancel); a missing prefecture makes the
    region NaN. Two vintages with the same ``flow_year`` raise :class:`InputError`.
    """
    reg = _region(region)
    rows = flows[flows["area_level"].isin(["national", "prefecture"])]
    dup = rows[rows.duplicated(["pref_code", "flow_year"])]
    if not dup.empty:
        msg = f"juki flows: two rows for prefecture {dup['pref_code'].iloc[0]} in {int(dup['flow_year'].iloc[0])}"
        raise InputError(msg)
    pref = rows[rows["pref_code"].isin(reg.pref_codes)]
    missing = sorted(set(reg.pref_codes) - set(pref["pref_code"]))
    if missing:
        msg = f"juki flows: no rows for prefectures {missing}"
        raise InputError(msg)
    d = pref[["pref_code", "flow_year", *JUKI_SERIES_COLUMNS]].rename(columns={"pref_code": "area_code"})
    d = d.assign(area_name_ja=d["area_code"].map(prefectures.name_ja), area_kind="prefecture")
    parts = [d]
    if len(reg) > 1:
        g = d.groupby("flow_year")[JUKI_SERIES_COLUMNS]
        r = g.sum(min_count=1).where(g.count() == len(reg)).reset_index()
        parts.append(r.assign(area_code=reg.key, area_name_ja=reg.name_ja, area_kind="region"))
    if national:
        n = rows[rows["area_level"] == "national"][["flow_year", *JUKI_SERIES_COLUMNS]]
        parts.append(n.assign(area_code=NATIONAL_CODE, area_name_ja="全国", area_kind="national"))
    out = pd.concat(parts, ignore_index=True)
    out["flow_year"] = out["flow_year"].astype(int)
    return out[["area_code", "area_name_ja", "area_kind", "flow_year", *JUKI_SERIES_COLUMNS]].sort_values(
        ["area_kind", "area_code", "flow_year"], key=lambda s: s.map({"prefecture": 0, "region": 1, "national": 2})
        if s.name == "area_kind" else s).reset_index(drop=True)


def juki_municipal_change(flows: pd.DataFrame, region) -> pd.DataFrame:
    """Per municipality of ``region`` (政令市 as whole cities, 特別区 each): 自然増減・社会増減 and their published
    rates (％, per the population of 1 January of ``flow_year``) from one vintage of ``juki/flows``.

    Sorted by 社会増減率 (lowest first). 郡 subtotals, wards and prefecture rows are left out (never double counted).
    """
    reg = _region(region)
    if flows["flow_year"].nunique() != 1:
        msg = f"juki_municipal_change: expected one flow_year, found {sorted(flows['flow_year'].unique())}"
        raise InputError(msg)
    m = flows[flows["area_level"].isin(["municipality", "designated_city"]) & flows["pref_code"].isin(reg.pref_codes)]
    m = m.rename(columns={"area_name_ja": "muni_name_ja"})
    out = m[["muni_code", "muni_name_ja", "pref_code", "flow_year", *JUKI_MUNICIPAL_COLUMNS]]
    return out.sort_values(["social_change_rate_pct", "muni_code"]).reset_index(drop=True)


def change_comparison(ssdse_change: pd.DataFrame, juki_series: pd.DataFrame) -> pd.DataFrame:
    """SSDSE-B (:func:`natural_social_change`) and 住基 (:func:`juki_change_series`) side by side per area and year.

    ``year`` is the calendar year of the flows in both. Years outside a series' coverage (SSDSE-B 2025 edition:
    2011–2022; 住基: the flow years of the vintages loaded) are NaN in that series' columns. See
    :data:`JUKI_DEFINITION_JA` for why the two differ.
    """
    s = ssdse_change[["area_code", "area_name_ja", "year", "natural_change_persons", "social_change_persons"]]
    s = s.rename(columns={"natural_change_persons": "natural_change_ssdse_b_persons",
                          "social_change_persons": "social_change_ssdse_b_persons"})
    j = juki_series[juki_series["area_code"].isin(s["area_code"].unique())]
    j = j[["area_code", "area_name_ja", "flow_year", "natural_change_persons", "social_change_persons"]].rename(
        columns={"flow_year": "year", "natural_change_persons": "natural_change_juki_persons",
                 "social_change_persons": "social_change_juki_persons"})
    out = s.merge(j, on=["area_code", "area_name_ja", "year"], how="outer")
    order = list(dict.fromkeys(s["area_code"]))
    out["_o"] = out["area_code"].map({c: i for i, c in enumerate(order)})
    return out.sort_values(["_o", "year"]).drop(columns="_o").reset_index(drop=True)


@dataclass
class JukiChange:
    """Tables of the 住基 natural/social change section, with the (source, vintage) pairs each used."""

    tables: dict[str, pd.DataFrame]
    pairs: dict[str, list[tuple[str, str]]]
    vintage: str
    flow_years: tuple[int, ...]


def juki_change(region="HOKURIKU3", *, vintage: str = "latest", ssdse_vintage: str = "2025") -> JukiChange:
    """Read 住基 flows of every xlsx vintage up to ``vintage`` ("latest" = newest) and SSDSE-B, and assemble
    ``juki_change_series``, ``change_comparison`` and ``juki_municipal_change`` (latest flow year)."""
    from hokuriku import manifest

    reg = _region(region)
    # Load inputs.
    last = store.resolve_vintage("juki", vintage)
    vintages = [v for v in manifest.vintages("juki") if v <= last and "flows" in store.tables_for("juki", v)]
    if last not in vintages:
        msg = f"juki vintage {last!r} has no flows table (the derived CSV vintages carry population only)"
        raise ParameterError(msg)
    flows = pd.concat([store.table("juki", "flows", v) for v in vintages], ignore_index=True)
    kv = store.table("ssdse_b", "key_variables", ssdse_vintage)

    # Process data.
    series = juki_change_series(flows, reg)
    tables = {
        "juki_natural_social_change": series,
        "natural_social_change_comparison": change_comparison(natural_social_change(kv, reg), series),
        "juki_municipal_change": juki_municipal_change(flows[flows["flow_year"] == flows["flow_year"].max()], reg),
    }
    juki_pairs = [("juki", v) for v in vintages]
    pairs = {"juki_natural_social_change": juki_pairs,
             "natural_social_change_comparison": [("ssdse_b", ssdse_vintage), *juki_pairs],
             "juki_municipal_change": [("juki", last)]}
    return JukiChange(tables, pairs, last, tuple(sorted(int(y) for y in flows["flow_year"].unique())))


def juki_for_report(result: JukiChange) -> dict[str, pd.DataFrame]:
    """The tables of :func:`juki_change` as saved for analysts (Japanese headers, rounded)."""
    return {name: display_table(t, digits=JUKI_DISPLAY_DIGITS) for name, t in result.tables.items()}


def comparison_chart(df: pd.DataFrame, area_code: str, *, size: str = "body"):
    """自然増減 and 社会増減 of one area per year: SSDSE-B solid, 住基 dashed; ``(fig, ax)``."""
    d = _area_rows(df, area_code, "comparison")
    fig, ax = _figure(size)
    natural, social = style.PREF_COLOURS.get("16", "#0072B2"), style.ACCENT_COLOUR
    for col, colour, ls, label in (
        ("natural_change_ssdse_b_persons", natural, "-", "自然増減（SSDSE-B：人口動態統計、日本人）"),
        ("natural_change_juki_persons", natural, "--", "自然増減（住民基本台帳、外国人を含む）"),
        ("social_change_ssdse_b_persons", social, "-", "社会増減（SSDSE-B：日本人の都道府県間移動）"),
        ("social_change_juki_persons", social, "--", "社会増減（住民基本台帳、国外・その他を含む）"),
    ):
        s = d[["year", col]].dropna()
        ax.plot(s["year"], s[col], color=colour, linestyle=ls, marker="o", markersize=4, linewidth=2, label=label)
    ax.axhline(0, color="#999999", linewidth=0.8)
    years = d["year"].astype(int).to_numpy()
    ax.set_xticks(years, [str(y) for y in years], fontsize=9)
    ax.yaxis.set_major_formatter(formats.thousands_formatter())
    ax.set_ylabel("人")
    ax.legend(loc="lower left", fontsize=9)
    return fig, ax


def municipal_rates_chart(df: pd.DataFrame):
    """自然増減率 and 社会増減率 (％) per municipality as grouped horizontal bars; ``(fig, ax)``.

    The figure's height grows with the number of municipalities.
    """
    from hokuriku.plotting import charts

    width, _height = style.figsize("body")
    fig, ax = charts.grouped_barh(
        df.assign(label=df["muni_name_ja"]), label="label",
        values=["natural_change_rate_pct", "social_change_rate_pct"],
        names=["自然増減率", "社会増減率"], colours=[style.PREF_COLOURS.get("16", "#0072B2"), style.ACCENT_COLOUR],
        fmt=lambda v: formats.fmt_number(v, 1), xlabel="％", size=(width, max(4.0, 0.22 * len(df) + 1.5)),
    )
    ax.legend(loc="lower left")  # the rows are sorted by 社会増減率, so the lower left is free
    return fig, ax
