"""県民経済計算 経済活動別県内総生産（名目）, from a derived JSON copy of ESRI 主要系列表1.

Publisher and table
-------------------
Figures: 内閣府経済社会総合研究所「県民経済計算」(令和4年度, FY2011–FY2022), 主要系列表1
「経済活動別県内総生産（名目）」 (``tables/2022/syuyo1.xlsx``), in 百万円. The original workbook is
not at hand: this loader reads ``industry.json``, a **derived** re-arrangement of its figures by the
author of the GitHub repository yasu-programming/akita-ai-governor (``derived: true`` in the
manifest). Every figure must therefore be cross-checked (see :func:`validate`).

Layout
------
``{"sectors": [16 names], "years": {"2011": [{code, name, gdpBySector: {name: value},
gdpTotal, primary, secondary, tertiary}, ...47 prefectures], ...}}``. There is no 全国 row and no
製造業 sub-industries. ``gdpTotal`` (= 県内総生産, equal to 総括表 soukatu1) exceeds the sum of the
16 activities because it also includes 輸入品に課される税・関税 less 総資本形成に係る消費税.
``primary``/``secondary``/``tertiary`` were summed by the repository author; :func:`validate`
recomputes them with :func:`sector_totals` and refuses the file if they differ.

Activity codes ``01``–``16`` and the 3-sector split live in
layouts/kenmin_keizai_activity/activities.csv.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from hokuriku import manifest
from hokuriku.codes import prefectures
from hokuriku.errors import LayoutError, RawDataError
from hokuriku.sources import _parse

SOURCE = "kenmin_keizai_activity"
DEFAULT_VINTAGE = "2022"
FILE = "industry.json"
SECTORS = ("primary", "secondary", "tertiary")
SECTOR_NAMES_JA = {"primary": "第1次産業", "secondary": "第2次産業", "tertiary": "第3次産業"}


def activities() -> pd.DataFrame:
    """The 16 経済活動 with code, sector and ``is_service`` (layout table)."""
    table = _parse.load_layout(SOURCE, "activities")
    return table.assign(is_service=table["is_service"].eq("true"))


def _number(value: object, *, path: Path, where: str) -> tuple[float, str | None]:
    parsed = _parse.parse_cell(value)
    if parsed is None:
        raise RawDataError(path, "a number or a documented symbol", found=value, column=where)
    return parsed


@_parse.contained
def parse(path: Path, *, vintage: str = DEFAULT_VINTAGE) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parse ``industry.json`` into (activities, totals).

    Returns
    -------
    activity
        One row per prefecture × fiscal year × activity: ``pref_code, pref_name_ja, fiscal_year,
        activity_code, activity_name_ja, sector, is_service, gdp_nominal_jpy_million, value_note``.
    totals
        One row per prefecture × fiscal year: ``gdp_nominal_jpy_million`` (gdpTotal) and the
        repository author's ``json_{primary,secondary,tertiary}_jpy_million``, ``value_note``.
    """
    path = Path(path)
    try:
        doc = json.loads(_parse.read_text(path, "utf-8"))
    except json.JSONDecodeError as exc:
        raise RawDataError(path, "complete JSON (truncated file?)", found=f"{exc.msg} at char {exc.pos}") from exc
    layout = activities()
    names = [_parse.nfkc(s) for s in doc.get("sectors", [])]
    expected = [_parse.nfkc(s) for s in layout["activity_name_ja"]]
    if names != expected:
        missing = [n for n in expected if n not in names]
        raise LayoutError(path, f"the 16 activities of layouts/{SOURCE}/activities.csv in order",
                          found=f"missing {missing}" if missing else names, column="sectors")
    # One tuple per activity, looked up by name (a .loc per cell cost 9,000 DataFrame indexings).
    by_name = {_parse.nfkc(a["activity_name_ja"]): (a["activity_code"], a["activity_name_ja"], a["sector"],
                                                    bool(a["is_service"]))
               for a in layout.to_dict("records")}
    rows, totals = [], []
    clean: dict[str, str] = {}  # nfkc of each activity key (the same 16 keys in every record)
    for fy, records in sorted(doc.get("years", {}).items()):
        if len(records) != 47:
            raise LayoutError(path, "47 prefectures per fiscal year", found=len(records), column=f"years.{fy}")
        for rec in records:
            code = str(rec.get("code", "")).zfill(2)
            if prefectures.name_ja(code) != rec.get("name"):
                raise LayoutError(path, f"prefecture {prefectures.name_ja(code)} for code {code}",
                                  found=rec.get("name"), column=f"years.{fy}")
            sectors = {}
            for k, v in rec.get("gdpBySector", {}).items():
                key = clean.get(k) if isinstance(k, str) else None
                if key is None:
                    key = _parse.nfkc(k)
                    if isinstance(k, str):
                        clean[k] = key
                sectors[key] = v
            for name in expected:
                if name not in sectors:
                    raise LayoutError(path, f"activity {name!r}", found=sorted(sectors), column=f"years.{fy}.{code}")
                value = sectors[name]
                if type(value) is int or (type(value) is float and math.isfinite(value)):  # parse_cell of a number
                    value, note = float(value), None
                else:
                    value, note = _number(value, path=path, where=f"years.{fy}.{code}.gdpBySector.{name}")
                rows.append((code, rec["name"], int(fy), *by_name[name], value, note))
            absent = [k for k in ("gdpTotal", *SECTORS) if k not in rec]
            if absent:  # a missing key is a layout change, not a blank cell
                raise LayoutError(path, f"key {absent[0]!r} in every record", found=sorted(rec)[:10],
                                  column=f"years.{fy}.{code}")
            parsed = {k: (float(rec[k]), None)  # a JSON number: what parse_cell gives
                      if type(rec[k]) is int or (type(rec[k]) is float and math.isfinite(rec[k]))
                      else _number(rec[k], path=path, where=f"years.{fy}.{code}.{k}")
                      for k in ("gdpTotal", *SECTORS)}
            notes = [f"{k}:{n}" for k, (_, n) in parsed.items() if n]
            totals.append((code, rec["name"], int(fy), parsed["gdpTotal"][0], *(parsed[k][0] for k in SECTORS),
                           "; ".join(notes) or None))
    activity = _frame(rows, {"pref_code": "str", "pref_name_ja": "str", "fiscal_year": "int64", "activity_code": "str",
                             "activity_name_ja": "str", "sector": "str", "is_service": "bool",
                             "gdp_nominal_jpy_million": "float64", "value_note": "object"})
    total = _frame(totals, {"pref_code": "str", "pref_name_ja": "str", "fiscal_year": "int64",
                            "gdp_nominal_jpy_million": "float64",
                            **{f"json_{s}_jpy_million": "float64" for s in SECTORS}, "value_note": "object"})
    return activity, total


def _frame(rows: list[tuple], dtypes: dict[str, str]) -> pd.DataFrame:
    """The frame of ``rows`` (tuples in the order of ``dtypes``), column by column with those dtypes: the
    frame ``pd.DataFrame(rows, columns=...)`` infers for these cells, ``value_note`` as object."""
    try:
        columns = list(zip(*rows, strict=True))
        if not columns:
            raise ValueError
        python_type = {"int64": int, "float64": float, "bool": bool}
        for (_, dtype), cells in zip(dtypes.items(), columns, strict=True):
            if dtype in python_type and any(type(v) is not python_type[dtype] for v in cells):
                raise ValueError
        data = {name: (pd.array(pa.array(cells, type=pa.large_string()), dtype="str") if dtype == "str" else
                       pd.Series(cells, dtype=object) if dtype == "object" else np.array(cells, dtype=dtype))
                for (name, dtype), cells in zip(dtypes.items(), columns, strict=True)}
        return pd.DataFrame(data)
    except (ValueError, TypeError, pa.ArrowException):  # no rows, or cells of other types: pandas infers
        df = pd.DataFrame(rows, columns=list(dtypes))
        df["value_note"] = df["value_note"].astype("object")
        return df


def sector_totals(activity: pd.DataFrame, *, by: tuple[str, ...] = ("pref_code", "fiscal_year")) -> pd.DataFrame:
    """第1次・第2次・第3次産業 totals of a tidy activity table (pure).

    :math:`GDP_s = \\sum_{a \\in s} GDP_a` for s in primary (農林水産業), secondary (鉱業 + 製造業 +
    建設業) and tertiary (the other 13 activities). The three do not add up to 県内総生産, which also
    includes import duties less the consumption tax on capital formation.

    Returns one row per ``by`` group with ``{primary,secondary,tertiary}_jpy_million``; a sector
    with any missing activity value is NaN (never a partial sum).
    """
    grouped = activity.groupby([*by, "sector"])["gdp_nominal_jpy_million"]
    complete = grouped.count() == grouped.size()
    wide = grouped.sum(min_count=1).where(complete).unstack("sector").reindex(columns=list(SECTORS))
    wide.columns = [f"{s}_jpy_million" for s in wide.columns]
    return wide.reset_index()


def largest_activity(activity: pd.DataFrame, *, service_only: bool = False,
                     by: tuple[str, ...] = ("pref_code", "fiscal_year")) -> pd.DataFrame:
    """The activity with the largest value in each ``by`` group (pure); ``service_only`` keeps is_service."""
    rows = activity[activity["is_service"]] if service_only else activity
    idx = rows.groupby(list(by))["gdp_nominal_jpy_million"].idxmax()
    return rows.loc[idx].reset_index(drop=True)


def rounding_tolerance(n_components: int) -> int:
    """Largest gap (百万円) between a sum of ``n`` rounded figures and the rounded sum: ⌊n × 0.5⌋.

    Each printed activity is rounded to 1 百万円, so it is off by at most 0.5; a sum of ``n`` of them
    is off by at most n × 0.5 from the sum of the unrounded values (primary 0, secondary 1, tertiary 6).
    """
    return int(n_components * 0.5)


def validate(activity: pd.DataFrame, totals: pd.DataFrame, *, vintage: str = DEFAULT_VINTAGE) -> None:
    """Refuse the derived file unless its own sector sums and totals are consistent.

    - ``sector_totals`` recomputed from the 16 activities equal the JSON's primary/secondary/tertiary
      within :func:`rounding_tolerance` (observed in FY2011–2022: 0 / ≤1 / ≤3 百万円: the JSON's
      sector figures were summed from unrounded values, the activities are printed rounded);
    - 16 activities for every prefecture-year. (gdpTotal is cross-checked against 総括表 soukatu1 in
      tests/published; the activities may sum to more or less than gdpTotal, since import duties
      less 総資本形成に係る消費税 can be negative, e.g. 東京都 FY2020.)
    """
    sizes = activities()["sector"].value_counts()
    if not _sectors_agree(activity, totals, sizes):  # the pandas check decides and names a broken sector
        mine = sector_totals(activity).merge(totals, on=["pref_code", "fiscal_year"], validate="one_to_one")
        for s in SECTORS:
            tolerance = rounding_tolerance(int(sizes[s]))
            bad = mine[(mine[f"{s}_jpy_million"] - mine[f"json_{s}_jpy_million"]).abs() > tolerance]
            if len(bad):
                r = bad.iloc[0]
                raise RawDataError(f"{SOURCE}/{vintage}/{FILE}", f"{s} = sum of its activities ± {tolerance}",
                                   found=f"{r['pref_code']} FY{r['fiscal_year']}: json {r[f'json_{s}_jpy_million']} "
                                         f"vs {r[f'{s}_jpy_million']}")
    if len(activity) != 16 * len(totals):
        raise RawDataError(f"{SOURCE}/{vintage}/{FILE}", "16 activities per prefecture-year", found=len(activity))


_BOTH: dict[tuple, tuple] = {}
"""(vintage, id of the parsed pair) → (that pair, the validated tables): a build memoises :func:`parse`, so its
two tables share one parsed pair, validated once (outside a build every call parses, so nothing is reused)."""


def _sectors_agree(activity: pd.DataFrame, totals: pd.DataFrame, sizes: pd.Series) -> bool:
    """True when :func:`validate`'s sector check passes, computed in plain Python for the usual table.

    Used when the activity values are whole numbers without a missing value or key (their sums are exact
    in any order) and the totals' keys are unique; False otherwise or when a sector differs, and the
    pandas check (:func:`sector_totals`, merged with ``totals``) then decides and names the first broken one.
    """
    keys = ["pref_code", "fiscal_year", "sector"]
    if activity[keys].isna().any().any() or totals[["pref_code", "fiscal_year"]].isna().any().any():
        return False
    if any(activity[k].dtype != totals[k].dtype for k in ("pref_code", "fiscal_year")):
        return False
    value = activity["gdp_nominal_jpy_million"].to_numpy(dtype="float64", na_value=np.nan)
    if np.isnan(value).any() or not (value == np.round(value)).all() or np.abs(value).sum() >= 2**53:
        return False
    sector = activity["sector"].tolist()
    if not set(sector) <= set(SECTORS):
        return False
    area_year = list(zip(activity["pref_code"].tolist(), activity["fiscal_year"].tolist(), strict=True))
    sums: dict[tuple, float] = {}
    for key, s, v in zip(area_year, sector, value.tolist(), strict=True):
        sums[(key, s)] = sums.get((key, s), 0.0) + v
    total_keys = list(zip(totals["pref_code"].tolist(), totals["fiscal_year"].tolist(), strict=True))
    if len(set(total_keys)) != len(total_keys):
        return False
    present = set(area_year)  # the merge keeps the prefecture-years of both tables
    for s in SECTORS:
        tolerance = rounding_tolerance(int(sizes[s])) if s in sizes.index else None
        for key, printed in zip(total_keys, totals[f"json_{s}_jpy_million"].tolist(), strict=True):
            got = sums.get((key, s))
            if key not in present or got is None or printed != printed:  # no sum, or NaN: never flagged
                continue
            if tolerance is None or abs(got - printed) > tolerance:
                return False
    return True


def _load_both(vintage: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    parsed = parse(manifest.path(SOURCE, vintage, FILE), vintage=vintage)
    key = (str(vintage), id(parsed))
    hit = _BOTH.get(key)
    if hit is not None and hit[0] is parsed:
        return hit[1]
    activity, totals = parsed
    validate(activity, totals, vintage=vintage)
    summed = activity.groupby(["pref_code", "fiscal_year"])["gdp_nominal_jpy_million"].sum(min_count=16)
    adjust = totals.set_index(["pref_code", "fiscal_year"])["gdp_nominal_jpy_million"] - summed
    totals = totals.assign(import_duties_less_capital_vat_jpy_million=adjust.to_numpy())
    _BOTH.clear()  # the last pair only
    _BOTH[key] = (parsed, (activity, totals))
    return activity, totals


def load(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """GDP by 経済活動 per prefecture × fiscal year (百万円, nominal), validated."""
    return _load_both(vintage)[0]


def load_totals(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """県内総生産 (gdpTotal) per prefecture × fiscal year with the JSON's own sector sums.

    ``import_duties_less_capital_vat_jpy_million`` = gdpTotal − the 16 activities (輸入品に課される
    税・関税 − 総資本形成に係る消費税, as a residual).
    """
    return _load_both(vintage)[1]


TABLES = _parse.covered_tables(SOURCE, {"gdp_by_activity": load, "gdp_total": load_totals})
