r"""製造品出荷額等: a region's manufacturing by 産業中分類, its ranks among the 47 prefectures, and municipalities.

Tables used
-----------
- ``kogyo_tokei/pref_industry``: 経済産業省「工業統計調査」地域別統計表 表3-01, prefecture × 24 産業中分類
  (JSIC Rev.13), 従業者4人以上の事業所; 製造品出荷額等 in 百万円; 秘匿 (X) cells are NaN with note
  ``suppressed``, cells without establishments NaN with note ``nil``. The copy has no 製造業計 and no 全国 row.
- ``rieti_manu/muni_industry``: 工業統計 市区町村別 (Kondo/RIETI), 製造業計 per municipality, 万円, 2001–2012.
- ``ess_muni/muni_shipments``: 経済構造実態調査 製造業事業所調査 参考表 市区町村別 (2024年実績), 製造業計, 億円 (0.1),
  個人経営を除く全事業所; the default municipal year (the newest). 政令市 = Σ of its wards (loader).
- ``ssdse_a/key_variables``: 統計センター SSDSE-A, 経済センサス‐活動調査 製造業 (民営) 事業所数・従業者数 per
  municipality, all establishment sizes (2026 edition = 2021 経済センサス).

Definitions
-----------
- 県計 :math:`X_r = \sum_i x_{ir}` over the published industries (秘匿 cells left out, so it is a lower bound;
  their count is reported). 全国 :math:`X_{iN} = \sum_{r=1}^{47} x_{ir}` (the file has no 全国 row, so it is also
  slightly below the published 全国計). A region's industry value is :math:`\sum_{r \in R} x_{ir}` and is NaN
  (秘匿を含む) when a member's cell is suppressed.
- 構成比 :math:`x_{ir}/X_r`; 全国比 :math:`x_{iR}/X_{iN}`.
- 全国順位: competition ("1224") ranking among the prefectures with a published value
  (:mod:`hokuriku.indicators.rankings`); 秘匿 and 該当なし cells are not ranked. Ties are marked 同率.
- 1事業所当たり従業者数 :math:`\sum_i e_{ir} / \sum_i n_{ir}` (従業者数 / 事業所数, all manufacturing).
- 億円 = 百万円 / 100, 兆円 = 百万円 / 10⁶, 万円 / 10⁴, rounded half up (四捨五入) as printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from hokuriku.codes import industries, prefectures
from hokuriku.codes.prefectures import NATIONAL_CODE, Region
from hokuriku.indicators import rankings
from hokuriku.plotting import formats, style

SUPPRESSED, NIL = "suppressed", "nil"
LABEL_SUPPRESSED, LABEL_NIL = "秘匿", "－"
MUNI_LEVELS = ("municipality", "designated_city")
MUNI_NOTE_LABELS = {SUPPRESSED: LABEL_SUPPRESSED, "absent_from_table": "表に掲載なし", "wards_missing": "区に秘匿あり"}
"""``value_note`` of a municipal row → the 注 printed in the ranking table."""
"""Municipal units ranked: cities, towns, villages, 特別区 and 政令市 as a whole (wards are not)."""
N_PREFECTURES = 47


def _round(x: float, digits: int = 0) -> object:
    if pd.isna(x):
        return pd.NA
    d = formats.round_half_up(float(x), digits)
    return int(d) if digits == 0 else float(d)


def _rounded(s: pd.Series, digits: int = 0, scale: float = 1.0) -> pd.Series:
    out = pd.Series([_round(v / scale, digits) for v in s], index=s.index)
    return out.astype("Int64" if digits == 0 else "Float64")


def _pct(num: pd.Series | float, den: pd.Series | float) -> pd.Series:
    return _rounded(pd.Series(num, dtype="float64") / den * 100, 1)


def _status(note: object) -> str:
    return {SUPPRESSED: LABEL_SUPPRESSED, NIL: LABEL_NIL}.get(str(note), "")


def industry_frame(kogyo: pd.DataFrame) -> pd.DataFrame:
    """Select the columns used here from ``kogyo_tokei/pref_industry`` and add each industry's chart label."""
    cols = ["year", "pref_code", "industry_key", "establishments", "employees", "shipments_jpy_million",
            "shipments_jpy_million_note"]
    missing = [c for c in cols if c not in kogyo.columns]
    if missing:
        msg = f"industry_frame: kogyo_tokei pref_industry lacks columns {missing}"
        raise KeyError(msg)
    out = kogyo[cols].rename(columns={"shipments_jpy_million": "shipments", "shipments_jpy_million_note": "note"})
    out["industry"] = out["industry_key"].map(industries.short_label)
    order = industries.industries().set_index("industry_key")["sort_order"]
    out["sort_order"] = out["industry_key"].map(order).astype("int64")
    return out.reset_index(drop=True)


def industry_ranks(frame: pd.DataFrame) -> pd.DataFrame:
    """Rank of every prefecture in every industry among the 47 (``rank`` <NA> if 秘匿/該当なし; ``is_tie``)."""
    ranked = rankings.rank(frame, value="shipments", by="industry_key")
    counts = ranked.groupby(["industry_key", "shipments"])["pref_code"].transform("count")
    ranked["is_tie"] = ranked["rank"].notna() & counts.gt(1)
    ranked["n_suppressed"] = ranked.groupby("industry_key")["note"].transform(lambda s: int(s.eq(SUPPRESSED).sum()))
    return ranked


def pref_totals(frame: pd.DataFrame, region: Region | str | list) -> pd.DataFrame:
    """各県の製造品出荷額等: members, the region (≥ 2 members) and 全国 (Σ 47), with 全国比 and rank of 47."""
    reg = prefectures.region(region)
    per = frame.groupby("pref_code").agg(shipments=("shipments", "sum"),
                                         n_suppressed=("note", lambda s: int(s.eq(SUPPRESSED).sum()))).reset_index()
    per["rank"] = per["shipments"].rank(method="min", ascending=False).astype("Int64")
    national = per["shipments"].sum()
    rows = per[per["pref_code"].isin(reg.pref_codes)].set_index("pref_code").loc[list(reg.pref_codes)].reset_index()
    rows["name"] = rows["pref_code"].map(prefectures.name_ja)
    extra = []
    if len(reg) > 1:
        extra.append({"pref_code": reg.key, "name": reg.name_ja, "shipments": rows["shipments"].sum(),
                      "n_suppressed": int(rows["n_suppressed"].sum()), "rank": pd.NA})
    extra.append({"pref_code": NATIONAL_CODE, "name": "全国（47都道府県の合計）", "shipments": national,
                  "n_suppressed": int(per["n_suppressed"].sum()), "rank": pd.NA})
    out = pd.concat([rows, pd.DataFrame(extra)], ignore_index=True)
    return pd.DataFrame({
        "地域コード": out["pref_code"], "地域": out["name"],
        "製造品出荷額等（百万円）": out["shipments"].astype("int64"),
        "製造品出荷額等（兆円）": _rounded(out["shipments"], 1, 1_000_000),
        "全国比（%）": _pct(out["shipments"], national),
        "全国順位": pd.array(out["rank"], dtype="Int64"),
        "秘匿セル数": out["n_suppressed"].astype("int64"),
    })


def top_industries(frame: pd.DataFrame, region: Region | str | list, *, n: int = 7) -> pd.DataFrame:
    """県別の上位 ``n`` 業種: rank in the prefecture, 億円, 構成比 of the prefecture total, rank among 47."""
    reg = prefectures.region(region)
    ranks = industry_ranks(frame).set_index(["pref_code", "industry_key"])
    parts = []
    for code in reg.pref_codes:
        p = frame[frame["pref_code"] == code].dropna(subset=["shipments"]).copy()
        p["rank_in_pref"] = p["shipments"].rank(method="min", ascending=False).astype("int64")
        p["share"] = p["shipments"] / p["shipments"].sum()
        p = p[p["rank_in_pref"] <= n].sort_values(["rank_in_pref", "sort_order"])
        national = ranks.loc[[(code, k) for k in p["industry_key"]]]
        parts.append(pd.DataFrame({
            "都道府県コード": code, "都道府県": prefectures.name_ja(code), "順位": p["rank_in_pref"].to_numpy(),
            "産業中分類": p["industry"].to_numpy(), "industry_key": p["industry_key"].to_numpy(),
            "製造品出荷額等（百万円）": p["shipments"].astype("int64").to_numpy(),
            "製造品出荷額等（億円）": _rounded(p["shipments"], 0, 100).to_numpy(),
            "県計に占める構成比（%）": _rounded(p["share"] * 100, 1).to_numpy(),
            "全国順位": national["rank"].to_numpy(), "全国順位の母数": national["n_ranked"].to_numpy(),
        }))
    return pd.concat(parts, ignore_index=True)


def region_industries(frame: pd.DataFrame, region: Region | str | list) -> pd.DataFrame:
    """Rank the region's industries (Σ members) by size, with 構成比 and 全国比; 秘匿を含む industries last."""
    reg = prefectures.region(region)
    members = frame[frame["pref_code"].isin(reg.pref_codes)]
    region_sum = members.groupby("industry_key")["shipments"].sum(min_count=len(reg))
    region_sum = region_sum.where(members.groupby("industry_key")["shipments"].count() == len(reg))
    national = frame.groupby("industry_key")["shipments"].sum()
    out = pd.DataFrame({"industry_key": region_sum.index, "region": region_sum.to_numpy(),
                        "national": national.reindex(region_sum.index).to_numpy()})
    out["industry"] = out["industry_key"].map(industries.short_label)
    total = members["shipments"].sum()
    out = out.sort_values("region", ascending=False, na_position="last", kind="stable").reset_index(drop=True)
    out["rank"] = out["region"].rank(method="min", ascending=False).astype("Int64")
    result = pd.DataFrame({
        "順位": out["rank"], "産業中分類": out["industry"], "industry_key": out["industry_key"],
        f"{reg.name_ja}（百万円）": pd.array(out["region"].round(), dtype="Int64"),
        f"{reg.name_ja}（億円）": _rounded(out["region"], 0, 100),
        "構成比（%）": _pct(out["region"], total),
        "全国（百万円）": out["national"].astype("int64"),
        "全国比（%）": _pct(out["region"], out["national"]),
        "注": np.where(out["region"].isna(), "構成県に秘匿(X)を含むため合計不明", ""),
    })
    total_row = {"順位": pd.NA, "産業中分類": "製造業計", "industry_key": industries.TOTAL_KEY,
                 f"{reg.name_ja}（百万円）": int(total), f"{reg.name_ja}（億円）": _round(total / 100),
                 "構成比（%）": 100.0, "全国（百万円）": int(frame["shipments"].sum()),
                 "全国比（%）": _round(total / frame["shipments"].sum() * 100, 1), "注": "秘匿(X)のセルを除く合計"}
    return pd.concat([result, pd.DataFrame([total_row]).astype(result.dtypes.to_dict())], ignore_index=True)


def rank_table(frame: pd.DataFrame, region: Region | str | list) -> pd.DataFrame:
    """業種別の全国順位 (wide): one row per industry, one column per member (``"3"``, ``"3(同率)"``, 秘匿, －)."""
    reg = prefectures.region(region)
    ranked = industry_ranks(frame)
    ranked = ranked[ranked["pref_code"].isin(reg.pref_codes)]
    text = [(_status(nt) if pd.isna(rk) else f"{rk}(同率)" if tie else str(rk))
            for rk, tie, nt in zip(ranked["rank"], ranked["is_tie"], ranked["note"], strict=True)]
    ranked = ranked.assign(text=text)
    wide = ranked.pivot(index="industry_key", columns="pref_code", values="text")[list(reg.pref_codes)]
    meta = ranked.drop_duplicates("industry_key").set_index("industry_key")
    order = frame.drop_duplicates("industry_key").sort_values("sort_order")["industry_key"]
    wide = wide.reindex(order)
    out = pd.DataFrame({"産業中分類": meta.loc[wide.index, "industry"].to_numpy()})
    for code in reg.pref_codes:
        out[prefectures.short_name(code)] = wide[code].to_numpy()
    out["順位の母数（公表県数）"] = meta.loc[wide.index, "n_ranked"].to_numpy()
    out["秘匿の県数"] = meta.loc[wide.index, "n_suppressed"].to_numpy()
    out.insert(1, "industry_key", wide.index.to_numpy())
    return out


def establishment_size(frame: pd.DataFrame, region: Region | str | list) -> pd.DataFrame:
    """1事業所当たり従業者数 (all manufacturing, 従業者4人以上) of the members and its rank among 47."""
    reg = prefectures.region(region)
    per = frame.groupby("pref_code")[["establishments", "employees"]].sum()  # nil cells (no plant) add nothing
    return size_ranks(per.reset_index(), reg)


def size_ranks(per: pd.DataFrame, region: Region) -> pd.DataFrame:
    """``pref_code, establishments, employees`` of 47 prefectures → size, rank of 47, for members and 全国."""
    per = per.copy()
    if len(per) != N_PREFECTURES or per[["establishments", "employees"]].isna().any().any():
        msg = f"size_ranks: expected complete counts for {N_PREFECTURES} prefectures, found {len(per)} rows"
        raise ValueError(msg)
    per["size"] = per["employees"] / per["establishments"]
    per["rank"] = per["size"].rank(method="min", ascending=False).astype("Int64")
    rows = per.set_index("pref_code").loc[list(region.pref_codes)].reset_index()
    rows["name"] = rows["pref_code"].map(prefectures.name_ja)
    nat = {"pref_code": NATIONAL_CODE, "name": "全国", "establishments": per["establishments"].sum(),
           "employees": per["employees"].sum(), "rank": pd.NA}
    nat["size"] = nat["employees"] / nat["establishments"]
    out = pd.concat([rows, pd.DataFrame([nat])], ignore_index=True)
    return pd.DataFrame({
        "地域コード": out["pref_code"], "地域": out["name"],
        "事業所数": out["establishments"].astype("int64"), "従業者数（人）": out["employees"].astype("int64"),
        "1事業所当たり従業者数（人）": _rounded(out["size"], 1), "全国順位": pd.array(out["rank"], dtype="Int64"),
    })


def census_size(ssdse: pd.DataFrame, region: Region | str | list) -> pd.DataFrame:
    """As :func:`establishment_size` from SSDSE-A 経済センサス 製造業 (民営, all sizes), Σ municipalities."""
    cols = ["manufacturing_establishments_count", "manufacturing_employees_persons"]
    rows = ssdse.dropna(subset=cols, how="all")
    if rows["ref_year"].nunique() != 1:
        msg = f"census_size: expected one reference year of 経済センサス, found {sorted(rows['ref_year'].unique())}"
        raise ValueError(msg)
    per = rows.groupby("pref_code")[cols].sum(min_count=1).reset_index()
    per = per.rename(columns={cols[0]: "establishments", cols[1]: "employees"})
    return size_ranks(per, prefectures.region(region))


def municipal_ranking(muni: pd.DataFrame, region: Region | str | list, *, year: int,
                      census: pd.DataFrame | None = None) -> pd.DataFrame:
    """Municipalities of the region by 製造品出荷額等 (製造業計) of ``year``, with rank and share in the region.

    ``muni`` is ``rieti_manu/muni_industry`` (万円). ``census`` (SSDSE-A key variables) adds 経済センサス
    製造業従業者数 of its own year, matched by municipal code (a code merged since ``year`` stays blank).
    """
    reg = prefectures.region(region)
    rows = muni[(muni["year"] == year) & (muni["industry_key"] == industries.TOTAL_KEY)
                & muni["pref_code"].isin(reg.pref_codes) & muni["area_level"].isin(MUNI_LEVELS)].copy()
    if rows.empty:
        msg = f"municipal_ranking: no municipal 製造業計 rows for {reg.name_ja} in {year}"
        raise ValueError(msg)
    rows["rank"] = rows["shipments_jpy_10k"].rank(method="min", ascending=False).astype("Int64")
    by_pref = rows.groupby("pref_code")["shipments_jpy_10k"]
    rows["rank_in_pref"] = by_pref.rank(method="min", ascending=False).astype("Int64")
    rows = rows.sort_values(["rank", "muni_code"], na_position="last").reset_index(drop=True)
    names = rows["muni_name_ja"]
    out = pd.DataFrame({
        "地域内順位": rows["rank"], "県内順位": rows["rank_in_pref"], "市区町村コード": rows["muni_code"],
        "都道府県": rows["pref_code"].map(prefectures.short_name), "市区町村": names,
        f"製造品出荷額等（{year}年、万円）": pd.array(rows["shipments_jpy_10k"].round(), dtype="Int64"),
        f"製造品出荷額等（{year}年、億円）": _rounded(rows["shipments_jpy_10k"], 1, 10_000),
        "地域内シェア（%）": _pct(rows["shipments_jpy_10k"], rows["shipments_jpy_10k"].sum()),
        f"従業者数（{year}年、人）": pd.array(rows["employees"].round(), dtype="Int64"),
        "注": _muni_notes(rows),
    })
    if rows["employees"].isna().all():  # the 経済構造実態調査 参考表 gives shipments only
        out = out.drop(columns=f"従業者数（{year}年、人）")
    if census is not None:
        col = "manufacturing_employees_persons"
        c = census.dropna(subset=[col]).drop_duplicates("muni_code").set_index("muni_code")
        cyear = int(c["ref_year"].iloc[0])
        current = out["市区町村コード"].map(c["muni_name_ja"])  # today's name (no 郡 prefix) where the code lives on
        out["市区町村"] = current.fillna(names)
        out[f"製造業従業者数（{cyear}年経済センサス、人）"] = pd.array(out["市区町村コード"].map(c[col]), dtype="Int64")
    out["pref_code"] = rows["pref_code"]
    return out


def _muni_notes(rows: pd.DataFrame) -> list[str]:
    notes = rows["value_note"] if "value_note" in rows else pd.Series(None, index=rows.index, dtype="object")
    out = []
    for missing, note in zip(rows["shipments_jpy_10k"].isna(), notes, strict=True):
        label = MUNI_NOTE_LABELS.get(str(note), "")
        out.append(label or (LABEL_SUPPRESSED if missing else ""))
    return out


def ess_municipal_rows(ess: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
    """``ess_muni/muni_shipments`` in the shape :func:`municipal_ranking` reads (製造業計, 万円 = 億円 × 10⁴).

    ``names`` maps municipal codes to names (the table has none: SSDSE-A or the converter). Employees are not
    in the 参考表 (NaN). ``value_note`` keeps why a value is missing (秘匿 / 表に掲載なし / 区に秘匿あり).
    """
    rows = ess[ess["area_level"].isin(MUNI_LEVELS)]
    return pd.DataFrame({
        "muni_code": rows["muni_code"].to_numpy(), "pref_code": rows["pref_code"].to_numpy(),
        "muni_name_ja": rows["muni_code"].map(names).to_numpy(), "area_level": rows["area_level"].to_numpy(),
        "year": rows["year"].to_numpy(), "industry_key": industries.TOTAL_KEY,
        "shipments_jpy_10k": (rows["shipments_jpy_oku"] * 10_000).round().to_numpy(), "employees": np.nan,
        "value_note": rows["value_note"].to_numpy(),
    })


def region_chart_frame(table: pd.DataFrame, region: Region | str | list, *, n: int = 10) -> pd.DataFrame:
    """Select the region's top ``n`` industries of :func:`region_industries` for charts.

    Columns ``unit`` (the region key), ``industry``, ``label`` (with 全国比), ``oku`` (億円) and ``share`` (fraction).
    """
    reg = prefectures.region(region)
    rows = table[(table["industry_key"] != industries.TOTAL_KEY) & table["順位"].notna()].head(n)
    pct = rows["全国比（%）"].astype("float64")
    return pd.DataFrame({
        "unit": reg.key, "industry": rows["産業中分類"].to_numpy(),
        "label": (rows["産業中分類"] + "（全国比" + pct.map(lambda v: formats.fmt_number(v, 1)) + "%）").to_numpy(),
        "oku": rows[f"{reg.name_ja}（億円）"].astype("float64").to_numpy(), "share": (pct / 100).to_numpy(),
    })


def municipal_chart_frame(table: pd.DataFrame, region: Region | str | list, *, n: int = 20) -> pd.DataFrame:
    """Select the ``n`` largest municipalities of :func:`municipal_ranking` for a bar chart (``label``, ``oku``).

    The label is the name, plus the prefecture when the region has several members.
    """
    reg = prefectures.region(region)
    oku = next(c for c in table.columns if c.startswith("製造品出荷額等") and c.endswith("億円）"))
    rows = table.dropna(subset=[oku]).head(n)
    label = rows["市区町村"] if len(reg) == 1 else rows["市区町村"] + "（" + rows["都道府県"] + "）"
    return pd.DataFrame({"pref_code": rows["pref_code"].to_numpy(), "label": label.to_numpy(),
                         "oku": rows[oku].astype("float64").to_numpy()})


def rank_heat_table(table: pd.DataFrame, region: Region | str | list, *,
                    size: tuple[float, float] | None = None) -> Figure:
    """Heat table of 全国順位 (rows = industries, columns = members): 1位 dark navy, 47位 white.

    ``table`` is :func:`rank_table`; 秘匿 and － cells are grey, ties are printed ``12=``. Returns the
    figure without title or source line (add them with :mod:`hokuriku.plotting.charts`); drawn by
    :func:`hokuriku.plotting.charts.heat_table`.
    """
    from hokuriku.plotting import charts  # noqa: PLC0415 - plotting only when drawing

    members = [prefectures.short_name(c) for c in prefectures.region(region).pref_codes]
    text = pd.DataFrame({m: table[m].str.replace("(同率)", "=", regex=False).to_numpy() for m in members},
                        index=table["産業中分類"].tolist())
    values = pd.DataFrame({m: pd.to_numeric(table[m].str.replace("(同率)", "", regex=False), errors="coerce")
                           .to_numpy() for m in members}, index=text.index)
    fig, _ = charts.heat_table(values, text=text, vmin=1, vmax=N_PREFECTURES, dark="low", size=size)
    return fig


def prefecture_map_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """各県の製造品出荷額等 for a map of the 47 prefectures: ``pref_code``, ``name``, 百万円, 兆円 and 全国比 (%).

    Values are the sums of the published industries (秘匿 cells left out, as in :func:`pref_totals`); 兆円 and
    全国比 are not rounded (the map classes them; labels round). A prefecture without any published cell is NaN.
    """
    per = frame.groupby("pref_code")["shipments"].sum(min_count=1)
    if len(per) != N_PREFECTURES:
        msg = f"prefecture_map_frame: expected {N_PREFECTURES} prefectures, found {len(per)}"
        raise ValueError(msg)
    return pd.DataFrame({
        "pref_code": per.index.to_numpy(), "name": [prefectures.name_ja(c) for c in per.index],
        "shipments": per.to_numpy(dtype="float64"), "cho": per.to_numpy(dtype="float64") / 1_000_000,
        "share_pct": per.to_numpy(dtype="float64") / per.sum() * 100,
    })


def municipal_map_frame(table: pd.DataFrame) -> pd.DataFrame:
    """``muni_code`` and 製造品出荷額等 in 億円 (unrounded; NaN when 秘匿) from :func:`municipal_ranking`."""
    man = next((c for c in table.columns if c.startswith("製造品出荷額等") and c.endswith("万円）")), None)
    if man is None or "市区町村コード" not in table:
        msg = "municipal_map_frame: expected a municipal_ranking table (市区町村コード, 製造品出荷額等（…万円）)"
        raise KeyError(msg)
    return pd.DataFrame({"muni_code": table["市区町村コード"].astype("string").to_numpy(),
                         "oku": pd.to_numeric(table[man], errors="coerce").astype("float64").to_numpy() / 10_000})


def crosswalk_snapshot(crosswalk: pd.DataFrame, boundary_year: int) -> int:
    """Return the latest snapshot year of the municipal converter at or before ``boundary_year``.

    The converter (:mod:`hokuriku.sources.muni_converter`) has snapshots 1980, 1985, …, 2020 (1 October), so the
    2025-01-01 boundaries get 2020: the codes of 2020 are taken to be the boundary codes (any change after the
    snapshot would make :func:`hokuriku.maps.boundaries.join_values` raise, not pass silently).
    """
    years = sorted(int(y) for y in crosswalk["snapshot_year"].unique() if int(y) <= boundary_year)
    if not years:
        msg = f"crosswalk_snapshot: no converter snapshot at or before {boundary_year}"
        raise ValueError(msg)
    return years[-1]


def harmonize_map_frame(values: pd.DataFrame, crosswalk: pd.DataFrame, *, to_year: int) -> pd.DataFrame:
    """Convert :func:`municipal_map_frame` (codes of the data year) to the codes of the ``to_year`` snapshot.

    Uses :func:`hokuriku.codes.municipalities.harmonize`: a code renamed without a merger (那珂川町 40305 →
    那珂川市 40231) maps 1:1; merged predecessors are summed, and a predecessor that is 秘匿 (NaN) makes the
    successor NaN (never counted as 0). Codes the crosswalk cannot place raise. Returns ``muni_code``, ``oku``,
    ``oku_n_missing`` and ``n_predecessors``.
    """
    from hokuriku.codes import municipalities  # noqa: PLC0415

    out = municipalities.harmonize(values, crosswalk, to_year=to_year, value_cols=["oku"], by=[],
                                   designated_city="merge")
    out["muni_code"] = out["muni_code"].astype("string")
    return out[["muni_code", "oku", "oku_n_missing", "n_predecessors"]]


PREF_MAP_BINS = (1.0, 2.0, 4.0, 8.0, 16.0)
"""Upper class bounds (兆円) of the prefecture map; the top class runs to the largest prefecture."""
MAP_EDGE = "#8c8c8c"
"""Polygon edges of the maps (grey, so that the lightest class stays visible on white)."""
MUNI_MAP_BINS = (100.0, 300.0, 1_000.0, 3_000.0, 10_000.0)
"""Upper class bounds (億円) of the municipal map; the top class runs to the largest municipality."""


def _map_figure(size: str):
    fig = Figure(figsize=style.figsize(size), layout="constrained")
    return fig, fig.add_subplot()


def _outline(ax, polygons) -> None:
    """Draw the region's prefectures with a thick dark line on top of a map."""
    polygons.boundary.plot(ax=ax, color=style.TEXT_COLOUR, linewidth=1.6)


OKINAWA = "47"
REMOTE = ("13", OKINAWA)
"""Prefectures whose remote islands are left out of the map extent (東京都: 小笠原 etc.; 沖縄県 is moved)."""


def japan_layout(gdf):
    """Projected 47-prefecture polygons with 沖縄県 moved into a box at the top left (Sea of Japan).

    Returns ``(gdf, extent, box)``: the moved polygons (equal-area CRS centred on the 本土), the map extent
    ``(xmin, ymin, xmax, ymax)`` that leaves out 東京都's far islands, and the box drawn around 沖縄県.
    """
    from shapely import affinity  # noqa: PLC0415

    from hokuriku.maps.boundaries import to_equal_area  # noqa: PLC0415

    main = gdf[~gdf["pref_code"].isin(REMOTE)]
    out = gdf.to_crs(to_equal_area(main).crs)
    xmin, ymin, xmax, ymax = out[~out["pref_code"].isin(REMOTE)].total_bounds
    oki = out["pref_code"].eq(OKINAWA)
    if not oki.any():
        return out, (xmin, ymin, xmax, ymax), None
    ox0, oy0, ox1, oy1 = out[oki].total_bounds
    pad = 0.02 * (ymax - ymin)
    dx, dy = xmin + pad - ox0, ymax - pad - oy1
    out.loc[oki, "geometry"] = [affinity.translate(g, dx, dy) for g in out.loc[oki, "geometry"]]
    box = (xmin, ymax - (oy1 - oy0) - 2 * pad, xmin + (ox1 - ox0) + 2 * pad, ymax)
    return out, (xmin, ymin, xmax, ymax), box


def prefecture_map(report: Manufacturing, *, bins=PREF_MAP_BINS, size: str = "body"):
    """Choropleth of 製造品出荷額等 (兆円) of the 47 prefectures, the region's members outlined; ``(fig, ax)``.

    沖縄県 is drawn moved into a box at the top left (see :func:`japan_layout`).
    """
    from matplotlib.patches import Rectangle  # noqa: PLC0415

    from hokuriku.maps.choropleth import choropleth  # noqa: PLC0415

    if report.pref_map is None:
        msg = "prefecture_map: the report was built with with_map=False"
        raise ValueError(msg)
    fig, ax = _map_figure(size)
    gdf, (xmin, ymin, xmax, ymax), box = japan_layout(report.pref_map)
    choropleth(gdf, "cho", scheme="user_defined", bins=list(bins), cmap="YlGnBu", decimals=1,
               legend_title_ja=f"製造品出荷額等（{report.year}年、兆円）", ax=ax, edgecolor=MAP_EDGE)
    _outline(ax, gdf[gdf["pref_code"].isin(report.region.pref_codes)])
    if box is not None:
        ax.add_patch(Rectangle((box[0], box[1]), box[2] - box[0], box[3] - box[1], fill=False,
                               edgecolor=style.SOURCE_COLOUR, linewidth=0.6))
        ax.text(box[0] + 0.01 * (box[2] - box[0]), box[1] + 0.03 * (box[3] - box[1]), "沖縄県", fontsize=8,
                color=style.SOURCE_COLOUR, ha="left", va="bottom")
    pad = 0.01 * (ymax - ymin)
    ax.set_xlim(xmin - pad, xmax + pad)
    ax.set_ylim(ymin - pad, ymax + pad)
    return fig, ax


def municipal_map(report: Manufacturing, *, bins=MUNI_MAP_BINS, size: str = "body"):
    """Choropleth of the region's municipalities' 製造品出荷額等 (億円; 秘匿 hatched as データなし); ``(fig, ax)``."""
    from hokuriku.maps.choropleth import choropleth  # noqa: PLC0415

    if report.muni_map is None:
        msg = "municipal_map: the report was built with with_map=False"
        raise ValueError(msg)
    fig, ax = _map_figure(size)
    gdf = report.muni_map
    choropleth(gdf, "oku", scheme="user_defined", bins=list(bins), cmap="YlGnBu", decimals=0,
               legend_title_ja=f"製造品出荷額等（{report.muni_year}年、億円）", ax=ax, edgecolor=MAP_EDGE)
    _outline(ax, report.pref_map[report.pref_map["pref_code"].isin(report.region.pref_codes)].to_crs(gdf.crs))
    from hokuriku.maps.choropleth import label_areas  # noqa: PLC0415

    minx, miny, maxx, maxy = gdf.total_bounds  # zoomed to the region's municipalities
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    name = next((c for c in ("muni_name_ja", "name_ja", "area_name_ja") if c in gdf.columns), None)
    if name:
        label_areas(ax, gdf, name, rank_by="oku" if "oku" in gdf.columns else None, top=20)
    return fig, ax


@dataclass(frozen=True)
class Manufacturing:
    """What notebook ``30_manufacturing`` saves, with the (source, vintage) pairs behind each table."""

    region: Region
    year: int
    muni_year: int
    tables: dict[str, pd.DataFrame]
    sources: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    muni_survey_ja: str = ""
    """Survey, year and scope of the municipal values (e.g. 2024年経済構造実態調査（個人経営を除く全事業所）)."""
    pref_map: object = None
    """GeoDataFrame of the 47 prefectures (longitude/latitude) with :func:`prefecture_map_frame` columns, or None."""
    muni_map: object = None
    """GeoDataFrame of the region's municipalities (政令市 merged, equal-area) with ``oku`` (億円), or None."""

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def source_note(self, name: str) -> str:
        """Return the (出所) line of a table plus its (注) caveats (scope, e-Stat credit, suppression).

        How derived copies were obtained is provenance (``outputs.json``), not part of this note."""
        from hokuriku import manifest  # noqa: PLC0415

        pairs = self.sources[name]
        credits = list(dict.fromkeys(c for s, v in pairs if (c := manifest.load(s, v).license.get("estat_credit"))))
        lines = [manifest.source_note(pairs), *([self.notes[name]] if name in self.notes else []), *credits]
        return "\n".join(lines)

    def vintages(self, name: str) -> dict[str, str]:
        """Return ``{source: vintage}`` of a table, for :func:`hokuriku.reporting.outputs.save_chart`."""
        return dict(self.sources[name])


def build(region: Region | str | list = prefectures.DEFAULT_REGION, *, kogyo_vintage: str = "",
          muni_year: int = 0, rieti_vintage: str = "2012", ssdse_vintage: str = "2026", ess_vintage: str = "",
          top_n: int = 7, with_map: bool = True, boundary_vintage: str = "n03_2025") -> Manufacturing:
    """Read the store tables and assemble every table of notebook ``30_manufacturing``.

    ``kogyo_vintage`` "" means the latest vintage declared for ``kogyo_tokei``. ``with_map`` also loads the
    prefecture and municipal polygons (``boundary_vintage`` of 国土数値情報 N03; 政令市 merged) for the maps.
    ``muni_year`` 0 means the newest municipal year at hand: the latest ``ess_muni`` vintage (経済構造実態調査,
    個人経営を除く; ``ess_vintage`` "" = latest); a year 2001–2012 takes 工業統計 (従業者4人以上) from ``rieti_manu``.
    """
    from hokuriku import manifest, store  # noqa: PLC0415 - I/O lives here only

    # Load inputs.
    reg = prefectures.region(region)
    kogyo_vintage = kogyo_vintage or manifest.vintages("kogyo_tokei")[-1]
    kogyo = store.table("kogyo_tokei", "pref_industry", kogyo_vintage)
    muni = store.table("rieti_manu", "muni_industry", rieti_vintage)
    ssdse = store.table("ssdse_a", "key_variables", ssdse_vintage)
    ess_vintage = ess_vintage or manifest.vintages("ess_muni")[-1]
    ess = store.table("ess_muni", "muni_shipments", ess_vintage)
    muni_year = muni_year or int(ess["year"].max())
    k, r, s = (df.attrs["source_pairs"] for df in (kogyo, muni, ssdse))
    if muni_year in set(ess["year"]):
        names = ssdse.drop_duplicates("muni_code").set_index("muni_code")["muni_name_ja"]
        muni, r = ess_municipal_rows(ess[ess["year"] == muni_year], names), ess.attrs["source_pairs"]
        muni_survey = f"{muni_year}年経済構造実態調査（個人経営を除く全事業所）"
        muni_codes = f"市区町村コードは{muni_year}年時点、政令市は区の合計"
    else:
        muni_survey = f"{muni_year}年工業統計（従業者4人以上）"
        muni_codes = f"市区町村コードは{muni_year}年時点"

    # Process data.
    frame = industry_frame(kogyo)
    year = int(frame["year"].iloc[0])
    cyear = int(ssdse.dropna(subset=["manufacturing_employees_persons"])["ref_year"].iloc[0])
    tables = {
        "pref_totals": pref_totals(frame, reg),
        "top_industries": top_industries(frame, reg, n=top_n),
        "region_industries": region_industries(frame, reg),
        "industry_ranks": rank_table(frame, reg),
        "establishment_size": establishment_size(frame, reg),
        "establishment_size_census": census_size(ssdse, reg),
        "municipal_ranking": municipal_ranking(muni, reg, year=muni_year, census=ssdse),
    }
    kogyo_note = (f"(注) {year}年、従業者4人以上の事業所。"
                  "全国は47都道府県の合計（秘匿(X)のセルを除くため公表の全国計をやや下回る）。")
    notes = {name: kogyo_note for name in ("pref_totals", "top_industries", "region_industries", "industry_ranks",
                                            "establishment_size")}
    notes["establishment_size_census"] = (f"(注) {cyear}年経済センサス‐活動調査、"
                                          "民営・全規模の事業所（市区町村の合計）。")
    notes["municipal_ranking"] = (f"(注) 製造品出荷額等は{muni_survey}、{muni_codes}。"
                                  f"製造業従業者数は{cyear}年経済センサス‐活動調査（民営・全規模）。")
    sources = {name: list(k) for name in notes}
    sources["establishment_size_census"] = list(s)
    sources["municipal_ranking"] = [*r, *s]
    pref_map = muni_map = None
    if with_map:
        from hokuriku.maps import boundaries  # noqa: PLC0415 - geopandas only when maps are drawn

        prefs = boundaries.load_prefectures(boundary_vintage)
        pref_map = boundaries.join_values(prefs, prefecture_map_frame(frame), on="pref_code",
                                          columns=["shipments", "cho", "share_pct"])
        polys = boundaries.load_municipalities(reg.pref_codes, designated_city="merge", vintage=boundary_vintage)
        # rieti_manu codes are those of muni_year; the polygons carry the codes of the boundary date. Convert
        # through the converter's latest snapshot at or before the boundary year (2020 for n03_2025, as the
        # converter ends in 2020) before joining, so renamed/merged municipalities (e.g. 那珂川町 → 那珂川市) match.
        crosswalk = store.table("muni_converter", "crosswalk")
        boundary_year = int(str(manifest.load("boundaries", boundary_vintage).reference["as_of"])[:4])
        cw_year = crosswalk_snapshot(crosswalk, boundary_year)
        values = harmonize_map_frame(municipal_map_frame(tables["municipal_ranking"]), crosswalk, to_year=cw_year)
        muni_map = boundaries.join_values(polys, values, columns=["oku"])
        muni_map = boundaries.to_equal_area(muni_map)
        notes["pref_map"] = kogyo_note
        notes["municipal_map"] = (f"(注) 製造品出荷額等は{muni_survey}、市区町村コードは"
                                  f"{muni_year}年時点から{cw_year}年時点のコードに変換（合併は合算、秘匿を含めば不明）、"
                                  "境界は国土数値情報（政令市は市全体）。秘匿と所属未定地は「データなし」。")
        sources["pref_map"] = [*k, ("boundaries", boundary_vintage)]
        sources["municipal_map"] = [*r, ("boundaries", boundary_vintage), *crosswalk.attrs["source_pairs"]]
    return Manufacturing(region=reg, year=year, muni_year=muni_year, muni_survey_ja=muni_survey, tables=tables,
                         sources=sources, notes=notes,
                         pref_map=pref_map, muni_map=muni_map)
