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
  (2020 base by sex × 5-year age with 不詳 prorated; Hamilton–Perry CCRs of the bands 0–14, 15–64,
  65–74, 75+ from SSDSE-A 2018 (2015 census) to census 2020; 社人研 totals 2025–horizon and 2050 age-3;
  national CCR as survival proxy; SSDSE-B 2020 TFR per prefecture); :func:`build` calibrates,
  reports residuals per area and runs the named scenarios of :mod:`hokuriku.projection.scenarios`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from hokuriku import store
from hokuriku.codes import municipalities, prefectures
from hokuriku.errors import InputError, ParameterError
from hokuriku.plotting import formats, style
from hokuriku.projection import (
    Base,
    FertilityTarget,
    MigrationScale,
    PlantJobs,
    ZeroMigration,
    band_ccr,
    calibrate,
    closed_population_survival,
    collapse_open,
    prorate_unknown,
    pyramid_frame,
    run_scenarios,
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


@dataclass
class CalibrationInputs:
    """Frames for :func:`hokuriku.projection.calibrate` plus what was left out and why."""

    level: str
    base: pd.DataFrame
    ccr: pd.DataFrame
    survival: pd.DataFrame
    targets: pd.DataFrame
    age3_target: pd.DataFrame | None
    base_tfr: pd.Series
    names: pd.Series
    excluded: pd.DataFrame
    pairs: list = field(default_factory=list)


def assemble_inputs(region, *, census_age5, ssdse_items, ipss_muni, kv, code_map=None, level="municipality",
                    horizon: int = 2050) -> CalibrationInputs:
    """Pure part of :func:`calibration_inputs`: frames in, :class:`CalibrationInputs` out."""
    if level not in ("municipality", "prefecture"):
        msg = f"level must be 'municipality' or 'prefecture'; got {level!r}"
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
    start = start_bands(ssdse_items, code_map)
    start = start[start["area_code"].isin(areas)]
    targets = m[m["year"].isin(years)][["muni_code", "year", "population_persons"]]
    targets = targets.rename(columns={"muni_code": "area_code"})
    age3 = None
    if horizon == 2050:
        a = m[m["year"] == 2050].drop(columns="population_persons").melt(
            id_vars="muni_code", value_vars=list(AGE3_COLUMNS), var_name="age3", value_name="population_persons")
        age3 = a.assign(age3=a["age3"].map(AGE3_COLUMNS), year=2050)
        age3 = age3.rename(columns={"muni_code": "area_code"})[["area_code", "year", "age3", "population_persons"]]
    names = m.drop_duplicates("muni_code").set_index("muni_code")["muni_name_ja"]
    if level == "prefecture":
        base, start, targets = to_prefectures(base), to_prefectures(start), to_prefectures(targets)
        age3 = None if age3 is None else to_prefectures(age3)
        names = pd.Series({c: prefectures.name_ja(c) for c in reg.pref_codes})
    ccr = band_ccr(start, end_bands(base))
    nat_start = start_bands(ssdse_items).assign(area_code=NATIONAL_CODE)
    nat_start = nat_start.groupby(["area_code", "sex", "band"], as_index=False)["population_persons"].sum()
    nat = census_age5[(census_age5["area_level"] == "national") & census_age5["sex"].isin(["male", "female"])
                      & census_age5["age_kind"].isin(["age5", "open", "unknown"])]
    nat_base = collapse_open(prorate_unknown(pd.DataFrame({"area_code": NATIONAL_CODE, "sex": nat["sex"],
                                                           "age_group": nat["age_class"],
                                                           "population_persons": nat["population_persons"]})))
    nat_ccr = band_ccr(nat_start, end_bands(nat_base))
    survival = closed_population_survival(nat_ccr).drop(columns="area_code")
    tfr = kv[kv["year"] == BASE_YEAR].set_index("pref_code")["total_fertility_rate"]
    base_tfr = pd.Series({a: tfr.get(a[:2], np.nan) for a in names.index})
    return CalibrationInputs(level, base, ccr, survival, targets, age3, base_tfr, names,
                             excluded.reset_index(drop=True))


def calibration_inputs(region, level: str = "municipality", *, horizon: int = 2050) -> CalibrationInputs:
    """Read the store tables the calibration needs and assemble them (:func:`assemble_inputs`)."""
    # Load inputs.
    census_age5 = store.table("census", "population_age5", "2020")
    items = store.table("ssdse_a", "items", "2018")
    ipss = store.table("ipss_projection", "municipal_population", "r5_kurashi")
    kv = store.table("ssdse_b", "key_variables", "2025")
    code_map = municipalities.crosswalk_map(store.table("muni_converter", "crosswalk", "2020"), 2020)
    # Process data.
    out = assemble_inputs(region, census_age5=census_age5, ssdse_items=items, ipss_muni=ipss, kv=kv,
                          code_map=code_map, level=level, horizon=horizon)
    out.pairs = [("ipss_projection", "r5_kurashi"), ("census", "2020"), ("ssdse_a", "2018"), ("ssdse_b", "2025"),
                 ("muni_converter", "2020")]
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


def scenario_specs(keys, *, areas, base_tfr, migration_k: float = 0.5, target_tfr: float = 1.8,
                   tfr_by_year: int = 2040, plant_area: str = "", plant_jobs: float = 1000, plant_year: int = 2027,
                   plant_in_mover_share: float = 0.5, plant_family_size: float = 2.5,
                   largest_area: str | None = None) -> list:
    """Scenario specs named in Japanese; ``base`` always first. ``plant_area`` "" = ``largest_area``."""
    if unknown := [k for k in keys if k not in SCENARIO_KEYS]:
        msg = f"unknown scenario(s) {unknown}; choose from {list(SCENARIO_KEYS)}"
        raise ParameterError(msg)
    area = str(plant_area or largest_area or "")
    if "plant" in keys and area not in areas:
        if len(area) == 5 and area[:2] in areas:  # a municipality named while calibrating on prefectures
            area = area[:2]
        else:
            msg = f"plant_area {plant_area!r} is not a calibrated area of the region (e.g. {list(areas)[:5]})"
            raise ParameterError(msg)
    make = {
        "base": lambda: Base(name=BASE_LABEL),
        "zero_migration": lambda: ZeroMigration(name="移動均衡（純移動ゼロ）"),
        "migration_scale": lambda: MigrationScale(migration_k, name=f"純移動×{migration_k:g}"),
        "fertility_target": lambda: FertilityTarget(target_tfr, tfr_by_year, base_tfr,
                                                    name=f"出生率{target_tfr:g}（{tfr_by_year}年まで）"),
        "plant": lambda: PlantJobs(area, plant_jobs, plant_year, plant_in_mover_share, plant_family_size,
                                   name=f"工場進出{plant_jobs:,.0f}人（{plant_year}年）"),
    }
    return [make[k]() for k in ordered_keys(keys)]


def ordered_keys(keys) -> list[str]:
    """Scenario keys in run order: ``base`` first, then the others once each in the order given."""
    return ["base", *[k for k in dict.fromkeys(keys) if k != "base"]]


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


# Display tables (Japanese headers, published rounding) for the saved CSV/XLSX.
EXTRA_LABELS_JA = {f"population_{y}_persons": f"{y}年人口（人）" for y in range(BASE_YEAR + 5, 2050, 5)}
"""Headers the shared :data:`hokuriku.reporting.labels.COLUMN_LABELS_JA` lacks: the municipal table's end-year
column for a horizon before 2050 (``municipal_change(…, end=horizon)``)."""
VALUE_LABELS_JA = {
    "status": {"census": "実績（国勢調査）", "projection": "推計（社人研）"},
    "area_kind": {"prefecture": "都道府県", "region": "地域", "national": "全国"},
    "sex": {"male": "男性", "female": "女性", "total": "総数"},
}
DISPLAY_DIGITS = {"pyramids": {"share_pct": 2}}  # 5-year × sex shares are 0.5–4 %: 1 decimal is too coarse
HIDDEN_COLUMNS = ("age3", "category_ja")  # duplicates of age3_ja / chart-only labels
_DIGITS_1 = ("population_10k", "index_base100", "share_pct", "change_pct", "share_65plus_2050_pct")
_DIGITS_2 = ("max_abs_diff_persons", "diff_persons")  # calibration residuals: well below 1人, tolerance 0.5人
_DIGITS_3 = ("fertility_factor", "elderly_factor")
_INTEGERS = ("year", "period_start", "period_end", "decline_rank", "n_missing", "population_10k_rounded")
_FLAGS = ("is_complete", "is_at_bound")


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
        elif col in _DIGITS_2:
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


def change_components_chart(df: pd.DataFrame, area_code: str, *, size: str = "body"):
    """Bars of 自然増減 and 社会増減 per year for one area, with the total change as a line; ``(fig, ax)``."""
    d = df[df["area_code"] == area_code].sort_values("year")
    if d.empty:
        msg = f"no natural/social change rows for area {area_code!r}"
        raise InputError(msg)
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
          with_map: bool = True) -> PopulationReport:
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
    inputs = calibration_inputs(reg, level, horizon=horizon)

    # Process data.
    series = pd.concat([prefecture_history(panel, census_2020, start=history_from),
                        prefecture_projection(ipss_pref, horizon=horizon)], ignore_index=True)
    totals = totals_by_area(series, reg, base_year=base_year)
    change = municipal_change(ipss, reg, start=base_year, end=horizon)
    cal = calibrate(inputs.base, inputs.ccr, inputs.targets, survival=inputs.survival, age3_target=inputs.age3_target)
    largest = inputs.base.groupby("area_code")["population_persons"].sum().idxmax()
    specs = scenario_specs(scenarios, areas=cal.areas, base_tfr=inputs.base_tfr, migration_k=migration_k,
                           target_tfr=target_tfr, tfr_by_year=tfr_by_year, plant_area=plant_area,
                           plant_jobs=plant_jobs, plant_year=plant_year, plant_in_mover_share=plant_in_mover_share,
                           plant_family_size=plant_family_size, largest_area=largest)
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
    }
    what_if = inputs.pairs
    pairs = {"population_trend": base_pairs, "seed_figures": [("ipss_projection", "r5_kurashi")],
             "natural_social_change": [("ssdse_b", "2025")],
             "age_structure": [("census", "2020"), ("ipss_projection", "r5_kurashi")],
             "municipal_change": [("ipss_projection", "r5_kurashi"), ("boundaries", "n03_2025")],
             "municipal_decline_ranking": [("ipss_projection", "r5_kurashi")],
             **{k: what_if for k in ("calibration_residuals", "calibration_prefecture_check", "scenario_totals",
                                    "scenario_components", "pyramids")}}
    gdf = prefs = None
    if with_map:
        polys = boundaries.load_municipalities(reg.pref_codes, designated_city="merge", vintage="n03_2025")
        gdf = boundaries.join_values(polys, change[["muni_code", "change_pct"]], columns=["change_pct"])
        prefs = boundaries.load_prefectures(pref_codes=reg.pref_codes)
    # Save outputs.
    return PopulationReport(reg, tables, pairs, cal, proj, inputs, gdf, prefs, tuple(ordered_keys(scenarios)))
