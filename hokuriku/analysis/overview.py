"""北陸地域の経済指標（総括）: the seed deck's regional summary table, for any region.

Seed
----
``../shared/seeds/chiiki-mirai-senryaku-2026-05-22.txt``「北陸地域の経済指標（総括）」(lines 686–699):
rows 面積, 人口, 世帯数, 県内総生産（名目） with うち第1次・第2次・第3次産業, and the 製造業 従業者数 /
事業所数; columns 全国, each prefecture, the region total and its 全国比 (%). Every row states its
own 時点 and 出所, because the rows come from different statistics and dates.

Rows, and the tables used (defaults of :func:`build`)
-----------------------------------------------------
============================  ===========================================  ==============================
row (unit)                    store table, vintage                         seed
============================  ===========================================  ==============================
面積 (km²)                    ``gsi_menseki/area``, 2025-10-01             same date
人口 (千人)                   ``juki/population``, latest (2025-01-01)     住基 2025-01-01 (exact)
世帯数 (千世帯)               ``juki/households``, latest (2025-01-01)     住基 2025-01-01 (exact)
県内総生産（名目） (億円)     ``kenmin_keizai/gdp`` (総括表1), FY2022       same (全国: FY2023 edition)
うち第1次/第2次/第3次 (億円)  ``kenmin_keizai_activity/gdp_by_activity``    same
製造業従業者数 (千人),        ``kogyo_tokei/pref_industry`` 2019            2024年経済構造実態調査 (2023年)
製造業事業所数                (従業者4人以上, Σ 24 産業中分類)
============================  ===========================================  ==============================

Why these vintages: 人口 and 世帯数 use 住民基本台帳 (the seed's statistic), the newest declared vintage by
default (``"latest"``; 2025-01-01, the publisher's xlsx), which reproduces the seed's rows exactly. The seed's
(出所) line names 令和6年1月1日 but its figures and 時点 column are 令和7年 (2025-01-01); see docs/data_log.md.
:func:`households_by_prefecture` (2020 census households from SSDSE-A) stays available for other uses.

全国 column
-----------
面積: the 全国面積 row; 人口, 世帯数: the 住基 合計 row; 県内総生産: ESRI's
全県計 (= Σ 47 prefectures; the seed's 5,957,888 億円 is the FY2023 edition's revision); sectors and
manufacturing: Σ 47 prefectures.

Rounding (as the seed)
----------------------
Each cell is the published value divided into the display unit and rounded half up (四捨五入).
The region total is rounded from the **unrounded** sum (the seed prints 面積 12,629 although its
parts add to 12,630), and 全国比 (%) = round_half_up(100 × Σ region / 全国, 1) from unrounded values.

Manufacturing sums
------------------
工業統計 表3-01 has no 製造業計 row, so the 24 中分類 are summed. A ``nil`` cell (no establishment)
counts as 0; a suppressed cell (秘匿 X) is left out of the sum, which is then slightly low and
flagged in ``value_note`` and in the row's 注 (no suppressed 従業者数/事業所数 cell in 2019).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from hokuriku.codes import prefectures
from hokuriku.codes.prefectures import NATIONAL_CODE, Region
from hokuriku.errors import InputError
from hokuriku.indicators import shares
from hokuriku.plotting import formats
from hokuriku.plotting.formats import round_half_up

VALUE_COLUMNS = ["item", "ref_label", "unit_ja", "divisor", "source_ja", "pref_code", "value", "value_note"]
SECTOR_ITEMS = {"primary": "うち第1次産業", "secondary": "うち第2次産業", "tertiary": "うち第3次産業"}
SHARE_COLUMN = "全国比(%)"
SUPPRESSED_NOTE = "suppressed cells left out of the sum"


def _checked(frame: pd.DataFrame, what: str) -> pd.DataFrame:
    """Require one row per prefecture 01–47 plus the 全国 row ``"00"``."""
    codes = frame["pref_code"].astype(str)
    expected = {NATIONAL_CODE, *prefectures.table()["pref_code"]}
    if codes.duplicated().any() or set(codes) != expected:
        missing = sorted(expected - set(codes))[:5]
        msg = (
            f"{what}: expected one row for 全国 ('00') and each of the 47 prefectures, "
            f"missing {missing}, found {len(frame)} rows"
        )
        raise InputError(msg)
    out = frame.assign(pref_code=codes).reset_index(drop=True)
    if "value_note" not in out:
        out["value_note"] = None
    return out[["pref_code", "value", "value_note"]]


def area_by_prefecture(area: pd.DataFrame, *, ref_date: str) -> pd.DataFrame:
    """面積 (km²) of 全国 and the 47 prefectures on ``ref_date`` from ``gsi_menseki/area``."""
    rows = area[(area["ref_date"] == pd.Timestamp(ref_date)) & area["area_level"].isin(["national", "prefecture"])]
    return _checked(rows.rename(columns={"area_km2": "value"}), f"area on {ref_date}")


def population_by_prefecture(juki: pd.DataFrame) -> pd.DataFrame:
    """人口 (人) of 全国 (合計 row) and the 47 prefectures from ``juki/population``."""
    rows = juki[juki["area_level"].isin(["national", "prefecture"])]
    return _checked(rows.rename(columns={"population_persons": "value"}), "住基 population")


def juki_households_by_prefecture(households: pd.DataFrame) -> pd.DataFrame:
    """世帯数 of 全国 (合計 row) and the 47 prefectures from ``juki/households`` (住基, 1 January)."""
    rows = households[households["area_level"].isin(["national", "prefecture"])]
    return _checked(rows.rename(columns={"households_count": "value"}), "住基 households")


def households_by_prefecture(key_variables: pd.DataFrame, *, ref_year: int = 2020) -> pd.DataFrame:
    """世帯数 of the census ``ref_year``: SSDSE-A municipalities summed to prefectures and 全国.

    A missing municipal value makes its prefecture (and 全国) NaN, never a partial sum.
    """
    rows = key_variables[key_variables["ref_year"] == ref_year]
    if rows.empty:
        msg = f"households: no SSDSE-A rows with ref_year {ref_year}"
        raise InputError(msg)
    by_pref = (
        rows.groupby("pref_code")["households_count"]
        .sum(min_count=1)
        .where(rows.groupby("pref_code")["households_count"].count() == rows.groupby("pref_code").size())
    )
    national = by_pref.sum(min_count=len(by_pref)) if by_pref.notna().all() else float("nan")
    frame = pd.DataFrame({"pref_code": [NATIONAL_CODE, *by_pref.index], "value": [national, *by_pref.to_numpy()]})
    return _checked(frame, f"census {ref_year} households")


def gdp_by_prefecture(gdp: pd.DataFrame, *, fiscal_year: int) -> pd.DataFrame:
    """県内総生産（名目, 百万円） of 全県計 (as 全国) and the 47 prefectures from ``kenmin_keizai/gdp``."""
    rows = gdp[(gdp["fiscal_year"] == fiscal_year) & gdp["area_type"].isin(["all_prefectures", "prefecture"])]
    rows = rows.rename(columns={"area_code": "pref_code", "gdp_nominal_jpy_million": "value"})
    return _checked(rows.assign(value_note=None), f"県内総生産 FY{fiscal_year}")


def sectors_by_prefecture(activity: pd.DataFrame, *, fiscal_year: int) -> dict[str, pd.DataFrame]:
    """第1次/第2次/第3次産業 (百万円) per prefecture and 全国 (= Σ 47) from ``gdp_by_activity``.

    第1次 = 農林水産業, 第2次 = 鉱業 + 製造業 + 建設業, 第3次 = the other 13 activities
    (``sector`` column of the activity table); a sector with a missing activity is NaN.
    """
    rows = activity[activity["fiscal_year"] == fiscal_year]
    grouped = rows.groupby(["pref_code", "sector"])["gdp_nominal_jpy_million"]
    wide = grouped.sum(min_count=1).where(grouped.count() == grouped.size()).unstack("sector")
    out = {}
    for sector in SECTOR_ITEMS:
        col = wide[sector]
        national = col.sum(min_count=len(col)) if col.notna().all() else float("nan")
        frame = pd.DataFrame({"pref_code": [NATIONAL_CODE, *col.index], "value": [national, *col.to_numpy()]})
        out[sector] = _checked(frame, f"{sector} sector FY{fiscal_year}")
    return out


def manufacturing_by_prefecture(kogyo: pd.DataFrame, *, measure: str) -> pd.DataFrame:
    """Σ of the 産業中分類 of ``measure`` (``employees`` / ``establishments``) per prefecture and 全国.

    ``nil`` cells count as 0; suppressed cells are left out and flagged in ``value_note``.
    """
    note = kogyo[f"{measure}_note"].astype("object")
    unknown = kogyo[measure].isna() & note.ne("nil") & note.ne("suppressed")
    if unknown.any():
        r = kogyo[unknown].iloc[0]
        msg = (
            f"manufacturing {measure}: a blank cell without a nil/suppressed note "
            f"({r['pref_code']} {r['industry_name_ja']})"
        )
        raise InputError(msg)
    values = kogyo[measure].fillna(0.0)
    suppressed = note.eq("suppressed")
    by_pref = pd.DataFrame({"value": values, "suppressed": suppressed, "pref_code": kogyo["pref_code"]}).groupby(
        "pref_code"
    )
    frame = by_pref.agg(value=("value", "sum"), suppressed=("suppressed", "any")).reset_index()
    national = pd.DataFrame(
        {"pref_code": [NATIONAL_CODE], "value": [frame["value"].sum()], "suppressed": [bool(frame["suppressed"].any())]}
    )
    frame = pd.concat([national, frame], ignore_index=True)
    frame["value_note"] = pd.Series([SUPPRESSED_NOTE if x else None for x in frame["suppressed"]], dtype="object")
    return _checked(frame, f"manufacturing {measure}")


def label_item(
    frame: pd.DataFrame, *, item: str, ref_label: str, unit_ja: str, divisor: float, source_ja: str
) -> pd.DataFrame:
    """Attach the row metadata (項目, 時点, 単位, display divisor, 出所) to a by-prefecture frame."""
    out = frame.assign(item=item, ref_label=ref_label, unit_ja=unit_ja, divisor=float(divisor), source_ja=source_ja)
    return out[VALUE_COLUMNS]


def _display(x: float, divisor: float) -> object:
    return pd.NA if pd.isna(x) else int(round_half_up(x / divisor, 0))


def summary_table(values: pd.DataFrame, region: Region | str | list) -> pd.DataFrame:
    """Build the 総括 table: 項目, 時点, 単位, 全国, each member (short name), the region, 全国比(%), 出所.

    Parameters
    ----------
    values
        Long frame with :data:`VALUE_COLUMNS` (unrounded values in the published unit, one row per
        item × prefecture, 全国 as ``pref_code == "00"``), as built by :func:`label_item`.
    region
        The region; a single prefecture gets one column named after it (no duplicate total).

    Returns
    -------
    DataFrame
        One row per item in input order. Values are ``round_half_up(value / divisor)`` (nullable
        Int64); the region total is rounded from the unrounded sum; 全国比(%) is
        ``round_half_up(100 × Σ region / 全国, 1)`` (NaN if any part is NaN).
    """
    reg = prefectures.region(region)
    missing = [c for c in VALUE_COLUMNS if c not in values]
    if missing:
        msg = f"summary_table: expected columns {missing}, found {list(values.columns)}"
        raise InputError(msg)
    share = shares.share_of_national(values, reg.pref_codes, value="value", by="item", national="row")
    share = share.set_index("item")
    members = list(reg.pref_codes) if len(reg) > 1 else []
    rows = []
    for item, group in values.groupby("item", sort=False):
        g = group.set_index("pref_code")
        meta = group.iloc[0]
        div = float(meta["divisor"])
        row = {
            "項目": item,
            "時点": meta["ref_label"],
            "単位": meta["unit_ja"],
            "全国": _display(g.at[NATIONAL_CODE, "value"], div),
        }
        for code in members:
            row[prefectures.short_name(code)] = _display(g.at[code, "value"], div)
        row[reg.name_ja] = _display(share.at[item, "region_value"], div)
        pct = share.at[item, "share_pct"]
        row[SHARE_COLUMN] = float("nan") if pd.isna(pct) else float(round_half_up(pct, 1))
        row["出所"] = meta["source_ja"]
        rows.append(row)
    out = pd.DataFrame(rows)
    for col in ["全国", *(prefectures.short_name(c) for c in members), reg.name_ja]:
        out[col] = out[col].astype("Int64")
    return out


def display_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Format the 総括 table as printed strings (thousands separators, 全国比 to 0.1), without 出所, for slides."""
    out = summary.drop(columns=["出所"]).astype("object")
    for col in out.columns[3:]:
        digits = 1 if col == SHARE_COLUMN else 0
        out[col] = [formats.fmt_number(None if pd.isna(v) else float(v), digits) for v in summary[col]]
    return out






def region_shares(values: pd.DataFrame, region: Region | str | list) -> pd.DataFrame:
    """Region share of 全国 per item (fraction ``share`` and unrounded ``share_pct``), for the chart."""
    reg = prefectures.region(region)
    out = shares.share_of_national(values, reg.pref_codes, value="value", by="item", national="row")
    order = list(dict.fromkeys(values["item"]))
    out = out.set_index("item").loc[order].reset_index()
    out["label"] = out["item"].str.replace("うち", "", regex=False)
    return out[["item", "label", "share", "share_pct"]]


@dataclass(frozen=True)
class Overview:
    """What notebook ``10_regional_share`` saves: the 総括 table, its notes and the chart data."""

    region: Region
    values: pd.DataFrame
    summary: pd.DataFrame
    notes: pd.DataFrame
    shares: pd.DataFrame
    source_pairs: list[tuple[str, str]] = field(default_factory=list)
    source_note: str = ""

    @property
    def chart_note(self) -> str:
        """The ``(出所)`` line broken into lines that fit under a slide chart."""
        return self.source_note


def _date_label(ts: object) -> str:
    t = pd.Timestamp(ts)
    return f"{t.year}/{t.month}/{t.day}"


def build(
    region: Region | str | list = prefectures.DEFAULT_REGION,
    *,
    area_ref_date: str = "2025-10-01",
    area_vintage: str | None = None,
    population_vintage: str = "latest",
    households_vintage: str = "latest",
    gdp_vintage: str = "2022",
    fiscal_year: int = 2022,
    manufacturing_vintage: str = "2019",
) -> Overview:
    """Read the store tables and assemble the 総括 table for ``region`` (see the module docstring)."""
    from hokuriku import manifest, store  # I/O lives here only

    # Load inputs.
    area = store.table("gsi_menseki", "area", area_vintage)
    juki = store.table("juki", "population", population_vintage)
    households = store.table("juki", "households", households_vintage)
    gdp = store.table("kenmin_keizai", "gdp", gdp_vintage)
    activity = store.table("kenmin_keizai_activity", "gdp_by_activity", gdp_vintage)
    kogyo = store.table("kogyo_tokei", "pref_industry", manufacturing_vintage)
    pairs = [p for df in (area, juki, households, gdp, activity, kogyo) for p in df.attrs["source_pairs"]]
    line = {s: manifest.load(s, v).source_line() for s, v in pairs}
    # 人口 and 世帯数 both come from juki, possibly from different vintages: each row cites its own.
    line["juki"] = manifest.load(*juki.attrs["source_pairs"][0]).source_line()
    line["juki_households"] = manifest.load(*households.attrs["source_pairs"][0]).source_line()

    # Process data.
    juki_date = _date_label(juki["ref_date"].iloc[0])
    households_date = _date_label(households["ref_date"].iloc[0])
    mfg_year = int(kogyo["year"].iloc[0])
    frames = [
        label_item(
            area_by_prefecture(area, ref_date=area_ref_date),
            item="面積",
            ref_label=_date_label(area_ref_date),
            unit_ja="km²",
            divisor=1,
            source_ja=line["gsi_menseki"],
        ),
        label_item(
            population_by_prefecture(juki),
            item="人口",
            ref_label=juki_date,
            unit_ja="千人",
            divisor=1_000,
            source_ja=line["juki"],
        ),
        label_item(
            juki_households_by_prefecture(households),
            item="世帯数",
            ref_label=households_date,
            unit_ja="千世帯",
            divisor=1_000,
            source_ja=line["juki_households"],
        ),
        label_item(
            gdp_by_prefecture(gdp, fiscal_year=fiscal_year),
            item="県内総生産(名目)",
            ref_label=f"{fiscal_year}年度",
            unit_ja="億円",
            divisor=100,
            source_ja=line["kenmin_keizai"],
        ),
    ]
    for sector, frame in sectors_by_prefecture(activity, fiscal_year=fiscal_year).items():
        frames.append(
            label_item(
                frame,
                item=SECTOR_ITEMS[sector],
                ref_label=f"{fiscal_year}年度",
                unit_ja="億円",
                divisor=100,
                source_ja=line["kenmin_keizai_activity"],
            )
        )
    for measure, item, unit, div in (
        ("employees", "製造業従業者数", "千人", 1_000),
        ("establishments", "製造業事業所数", "事業所", 1),
    ):
        frames.append(
            label_item(
                manufacturing_by_prefecture(kogyo, measure=measure),
                item=item,
                ref_label=f"{mfg_year}年",
                unit_ja=unit,
                divisor=div,
                source_ja=f"{line['kogyo_tokei']}（従業者4人以上）",
            )
        )
    values = pd.concat(frames, ignore_index=True)
    reg = prefectures.region(region)
    notes = summary_notes(values, reg, juki_date=juki_date, households_date=households_date, mfg_year=mfg_year)

    # Save outputs (returned; the notebook writes them).
    return Overview(
        region=reg,
        values=values,
        summary=summary_table(values, reg),
        notes=notes,
        shares=region_shares(values, reg),
        source_pairs=pairs,
        source_note=manifest.source_note(pairs),
    )


def summary_notes(
    values: pd.DataFrame, region: Region, *, juki_date: str, households_date: str, mfg_year: int
) -> pd.DataFrame:
    """Write the (注) lines of the 総括 table: definitions and where the vintage differs from the seed."""
    mfg = values[
        values["item"].str.startswith("製造業") & values["pref_code"].isin([NATIONAL_CODE, *region.pref_codes])
    ]
    low = (
        "秘匿(X)のセルを除いた合計のため、やや過少。"
        if mfg["value_note"].eq(SUPPRESSED_NOTE).any()
        else "秘匿(X)のセルはない。"
    )
    rows = [
        (
            "面積",
            "国土地理院の面積調（km²、小数第2位まで公表）。合計は四捨五入前の値から計算（各県の表示値の和と一致しないことがある）。",
        ),
        (
            "人口",
            f"住民基本台帳人口（日本人住民＋外国人住民、{juki_date}現在）。",
        ),
        (
            "世帯数",
            f"住民基本台帳の世帯数（日本人住民＋外国人住民、{households_date}現在）。",
        ),
        (
            "県内総生産(名目)",
            "全国は全県計（47都道府県の合計）。シードの全国値は令和5年度版での改定値で、本表とは異なる。",
        ),
        (
            "うち第1次〜第3次産業",
            "第1次＝農林水産業、第2次＝鉱業・製造業・建設業、第3次＝その他。3部門の合計は県内総生産と一致しない"
            "（輸入品に課される税・関税等を含まないため）。全国は47都道府県の合計。",
        ),
        (
            "製造業従業者数・事業所数",
            f"{mfg_year}年工業統計（従業者4人以上の事業所）の産業中分類の合計。{low}"
            "シードは2024年経済構造実態調査（2023年）で時点が異なる。",
        ),
    ]
    return pd.DataFrame(rows, columns=["項目", "注"])
