"""Cluster-plan indicators (戦略産業クラスター計画 / 地域産業クラスター計画): baseline, target, progress.

A *cluster* is a set of JSIC 中分類 industries in a set of prefectures (``hokuriku/codes/data/
clusters.yml``: 北陸 AI・半導体関連, 部素材・CE). Plans state targets such as 「当該産業分野の生産品目
出荷額〇〇%増（202〇年比）」 and 「従事者〇〇%増」 (中部経済産業局 電力・ガス事業北陸支局, 2026-04-28).

- :func:`baseline`: shipments, value added and employees of the cluster in a base year;
- :func:`target_path`: the yearly path from the base to ``base × (1 + g)`` in the target year,
  linear :math:`B(1 + g\\,(t-t_0)/(T-t_0))` or geometric :math:`B(1+g)^{(t-t_0)/(T-t_0)}`;
- :func:`progress`: gap to the path and % of target reached;
- :func:`measurable_kgis`: which of the three required KGIs official statistics can measure;
- :func:`connector_hub`: コネクター度 = 企業の域外販売額 / 都道府県の域外販売額 and ハブ度 = 企業の域内
  仕入額 / 都道府県の域内仕入額 (地域未来戦略 3類型資料, R8.3.4), with :func:`read_firm_csv`.

Pure functions (except the two readers of analyst/config files). Money stays in the unit given.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from hokuriku import paths
from hokuriku.codes import prefectures
from hokuriku.errors import InputError
from hokuriku.sources._parse import parse_cell

CLUSTERS_FILE = paths.CODES_DATA / "clusters.yml"
BASELINE_MEASURES = ("shipments_jpy_million", "value_added_jpy_million", "employees")


@dataclass(frozen=True)
class Cluster:
    """Industries × prefectures."""

    key: str
    name_ja: str
    industries: tuple[str, ...]
    pref_codes: tuple[str, ...]
    note: str = ""


def load_clusters(path: str | Path | None = None) -> dict[str, Cluster]:
    """Read ``clusters.yml`` (or ``path``); industry keys are checked against the JSIC key list."""
    file = Path(path) if path is not None else CLUSTERS_FILE
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"{file.name}: malformed YAML at line {mark.line + 1 if mark else '?'}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("clusters"), dict):
        raise InputError(f"{file.name}: expected a top-level mapping 'clusters:'")
    try:
        from hokuriku.codes import industries

        known = set(industries.industries()["industry_key"])
    except (ImportError, FileNotFoundError):  # pragma: no cover - industries.py is optional
        known = None
    out = {}
    for key, spec in data["clusters"].items():
        inds = tuple(str(i) for i in (spec or {}).get("industries") or ())
        if not inds:
            raise InputError(f"{file.name} (clusters.{key}.industries): expected at least one industry key")
        if known is not None and set(inds) - known:
            raise InputError(f"{file.name} (clusters.{key}.industries): unknown industry key(s) {sorted(set(inds) - known)}")
        if "region" in spec:
            prefs = prefectures.region(spec["region"]).pref_codes
        elif "pref_codes" in spec:
            prefs = prefectures.region([str(p) for p in spec["pref_codes"]]).pref_codes
        else:
            raise InputError(f"{file.name} (clusters.{key}): expected 'region' or 'pref_codes'")
        out[str(key)] = Cluster(str(key), str(spec.get("name_ja", key)), inds, prefs, " ".join(str(spec.get("note", "")).split()))
    return out


def baseline(values: pd.DataFrame, cluster: Cluster, year: int) -> pd.DataFrame:
    """Cluster totals per prefecture and overall (``pref_code == "total"``) in ``year``.

    ``values``: tidy ``pref_code, year, industry_key`` and any of ``shipments_jpy_million,
    value_added_jpy_million, employees``. Suppressed cells (NaN) are not zero: each measure gets
    ``<measure>_n_missing`` so a table can footnote an understated total. Industries of the
    cluster absent from the data raise.
    """
    need = ["pref_code", "year", "industry_key"]
    if missing := [c for c in need if c not in values.columns]:
        raise InputError(f"baseline: missing column(s) {missing}; expected {need} + any of {list(BASELINE_MEASURES)}")
    measures = [m for m in BASELINE_MEASURES if m in values.columns]
    if not measures:
        raise InputError(f"baseline: expected at least one of {list(BASELINE_MEASURES)}, found {list(values.columns)}")
    v = values[(pd.to_numeric(values["year"]) == year)]
    v = v[v["pref_code"].astype(str).str.zfill(2).isin(cluster.pref_codes) & v["industry_key"].isin(cluster.industries)]
    absent = sorted(set(cluster.industries) - set(v["industry_key"]))
    if v.empty or absent:
        raise InputError(f"baseline: no rows for {cluster.key} industries {absent or list(cluster.industries)} in {year}")
    v = v.assign(pref_code=v["pref_code"].astype(str).str.zfill(2))
    g = v.groupby("pref_code")
    out = g[measures].sum(min_count=1)
    for m in measures:
        out[f"{m}_n_missing"] = g[m].apply(lambda s: int(s.isna().sum()))
    total = out.sum(min_count=1).to_frame("total").T
    out = pd.concat([out, total])
    out.index.name = "pref_code"
    return out.reset_index().assign(cluster=cluster.key, year=year)


def target_path(baseline: float | dict | pd.Series, growth_pct: float, target_year: int, base_year: int, *,
                method: str = "linear") -> pd.DataFrame:
    """Yearly target path from ``baseline`` (base year) to ``baseline × (1 + growth_pct/100)``.

    ``baseline``: a number or a mapping measure → number. Returns ``measure, year, target``.
    """
    if target_year <= base_year:
        raise InputError(f"target_path: expected target_year > base_year, found {target_year} ≤ {base_year}")
    if method not in ("linear", "geometric"):
        raise InputError(f"target_path: expected method 'linear' or 'geometric', found {method!r}")
    if growth_pct <= -100:
        raise InputError(f"target_path: expected growth_pct > -100, found {growth_pct}")
    base = {"value": baseline} if np.isscalar(baseline) else dict(baseline)
    g = growth_pct / 100
    rows = []
    for measure, b in base.items():
        if b is None or not np.isfinite(float(b)):
            raise InputError(f"target_path: baseline of {measure!r} is missing ({b!r})")
        for t in range(base_year, target_year + 1):
            f = (t - base_year) / (target_year - base_year)
            value = b * (1 + g * f) if method == "linear" else b * (1 + g) ** f
            rows.append({"measure": measure, "year": t, "target": float(value)})
    return pd.DataFrame(rows)


def progress(latest: pd.DataFrame | dict, path: pd.DataFrame) -> pd.DataFrame:
    """Compare actual values with the path of :func:`target_path`.

    ``latest``: ``measure, year, actual`` rows (or a dict ``{"year": y, "actual": v}`` for a single
    measure). Returns those rows with ``base, target, gap`` (actual − target), ``pct_of_target``
    (actual / target × 100) and ``pct_of_increase`` (share of the planned increase achieved).
    """
    if isinstance(latest, dict):
        latest = pd.DataFrame([{"measure": path["measure"].iloc[0], **latest}])
    if missing := [c for c in ("measure", "year", "actual") if c not in latest.columns]:
        raise InputError(f"progress: latest lacks column(s) {missing}; expected measure, year, actual")
    base = path.sort_values("year").groupby("measure").first()["target"].rename("base")
    out = latest.merge(path, on=["measure", "year"], how="left").merge(base, on="measure", how="left")
    if out["target"].isna().any():
        bad = out.loc[out["target"].isna(), ["measure", "year"]].iloc[0].to_dict()
        raise InputError(f"progress: no target for {bad}; the path covers years {path['year'].min()}–{path['year'].max()}")
    out["gap"] = out["actual"] - out["target"]
    out["pct_of_target"] = out["actual"] / out["target"] * 100
    planned = out["target"] - out["base"]
    out["pct_of_increase"] = ((out["actual"] - out["base"]) / planned.where(planned != 0)) * 100
    return out


def measurable_kgis() -> pd.DataFrame:
    """The three KGIs every A/B plan must carry, and whether official data at hand can measure them."""
    return pd.DataFrame([
        {"kgi": "官民設備投資額", "measurable": "partly",
         "official_data": "工業統計調査 有形固定資産投資総額 (従業者30人以上の事業所) / 経済構造実態調査",
         "reason": "Only manufacturing establishments with ≥30 employees, and private investment only (no public "
                   "investment); not in the files at hand (the 工業統計 tables we hold carry no investment column)."},
        {"kgi": "付加価値増加額", "measurable": "yes",
         "official_data": "工業統計調査 / 経済構造実態調査 付加価値額 (従業者4人以上; 29人以下は粗付加価値額)",
         "reason": "Value added by prefecture × 産業中分類 is published; increase = difference between two years. "
                   "Manufacturing only; survey changes (2020→経済構造実態調査) break the series."},
        {"kgi": "産業ニーズに即した人材育成数", "measurable": "no",
         "official_data": "none",
         "reason": "No official statistic counts people trained for industry needs; plans must report it from "
                   "programme records (universities, 高専, 職業訓練)."},
    ])


FIRM_COLUMNS = {
    "firm_name": ("firm_name", "企業名", "事業者名"),
    "pref_code": ("pref_code", "都道府県コード", "都道府県"),
    "outside_sales": ("outside_sales", "域外販売額"),
    "inside_purchases": ("inside_purchases", "域内仕入額"),
}
"""Accepted headers (English or Japanese) of an analyst's firm CSV; money in one unit throughout."""


def _numbers(df: pd.DataFrame, col: str, what: str, name_col: str | None) -> pd.Series:
    out = []
    for i, v in df[col].items():
        parsed = parse_cell(v)
        who = f" (firm {df.loc[i, name_col]!r})" if name_col and name_col in df else ""
        if parsed is None or np.isnan(parsed[0]):
            raise InputError(f"{what} row {i}{who}, column {col!r}: expected a number, found {v!r}")
        if parsed[0] < 0:
            raise InputError(f"{what} row {i}{who}, column {col!r}: expected a value ≥ 0, found {v!r}")
        out.append(parsed[0])
    return pd.Series(out, index=df.index, dtype="float64")


def connector_hub(firms: pd.DataFrame, pref_totals: pd.DataFrame) -> pd.DataFrame:
    """コネクター度 and ハブ度 of each firm against its prefecture's totals.

    ``firms``: ``firm_name, pref_code, outside_sales, inside_purchases`` (one unit); ``pref_totals``:
    ``pref_code, outside_sales, inside_purchases`` (same unit). Returns ``firms`` with
    ``connector_degree`` and ``hub_degree`` (0–1). Raises :class:`InputError` naming the row,
    firm and column for an unknown prefecture, a missing/negative value, or a ratio above 1.
    """
    for name, df, cols in (("firms", firms, ["firm_name", "pref_code", "outside_sales", "inside_purchases"]),
                           ("pref_totals", pref_totals, ["pref_code", "outside_sales", "inside_purchases"])):
        if missing := [c for c in cols if c not in df.columns]:
            raise InputError(f"connector_hub: {name} lacks column(s) {missing}; expected {cols}")
    tot = pref_totals.copy()
    tot["pref_code"] = [_pref(v, f"pref_totals row {i}") for i, v in tot["pref_code"].items()]
    if tot["pref_code"].duplicated().any():
        raise InputError(f"connector_hub: pref_totals lists {tot.loc[tot['pref_code'].duplicated(), 'pref_code'].iloc[0]} twice")
    for c in ("outside_sales", "inside_purchases"):
        tot[c] = _numbers(tot, c, "pref_totals", None)
    tot = tot.set_index("pref_code")
    out = firms.copy()
    out["pref_code"] = [_pref(v, f"firms row {i} (firm {out.loc[i, 'firm_name']!r})") for i, v in out["pref_code"].items()]
    for c in ("outside_sales", "inside_purchases"):
        out[c] = _numbers(out, c, "firms", "firm_name")
    for i, p in out["pref_code"].items():
        if p not in tot.index:
            raise InputError(f"firms row {i} (firm {out.loc[i, 'firm_name']!r}), column 'pref_code': "
                             f"prefecture {p} has no totals in pref_totals (given: {sorted(tot.index)})")
    for col, ratio in (("outside_sales", "connector_degree"), ("inside_purchases", "hub_degree")):
        den = out["pref_code"].map(tot[col])
        out[ratio] = out[col] / den.where(den > 0)
        over = out[ratio] > 1
        if over.any():
            i = over.idxmax()
            raise InputError(f"firms row {i} (firm {out.loc[i, 'firm_name']!r}), column {col!r}: {ratio} "
                             f"{out.loc[i, ratio]:.3f} > 1 — the firm exceeds its prefecture's total "
                             f"({den[i]:g}); check units and the prefecture")
    return out


def _pref(value: object, where: str) -> str:
    try:
        return prefectures.code_of(value)
    except Exception as exc:  # ParameterError → say where
        raise InputError(f"{where}, column 'pref_code': unknown prefecture {value!r} (expected JIS code 01–47 or name)") from exc


def read_analyst_csv(path: str | Path, columns: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    """Read an analyst's CSV (UTF-8 with or without BOM, or CP932) and rename accepted headers.

    ``columns`` maps each required English column to the headers accepted for it (Japanese or
    English, compared after NFKC). Values stay text, to be validated by the caller. A missing file,
    undecodable bytes or a missing column raise :class:`InputError` naming the file and column.
    """
    import io

    path = Path(path)
    if not path.is_file():
        raise InputError(f"file not found: {path}")
    data = path.read_bytes()
    for enc in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(f"{path.name}: expected UTF-8 or CP932 (Shift_JIS) text, found undecodable bytes")
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    norm = {c: unicodedata.normalize("NFKC", c).strip() for c in df.columns}
    rename = {}
    for target, names in columns.items():
        hit = [c for c, n in norm.items() if n in names]
        if not hit:
            msg = f"{path.name}: missing column {target!r} (accepted headers: {list(names)}); found {list(df.columns)}"
            raise InputError(msg)
        rename[hit[0]] = target
    return df.rename(columns=rename)


def read_firm_csv(path: str | Path) -> pd.DataFrame:
    """Read an analyst's firm table (CSV, UTF-8 with or without BOM, or CP932).

    Headers: ``firm_name``/企業名, ``pref_code``/都道府県コード/都道府県, ``outside_sales``/域外販売額,
    ``inside_purchases``/域内仕入額 (extra columns are kept). Numbers may carry commas or full-width
    digits. Returns a frame with the English column names, values as text (validated by
    :func:`connector_hub`).
    """
    return read_analyst_csv(path, FIRM_COLUMNS)
