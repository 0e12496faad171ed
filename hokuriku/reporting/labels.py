"""Japanese display names for the machine column names that report tables keep in CSV.

CSV/XLSX outputs keep stable machine names where a table is also an input to other tools (and to
the tests); slides and the report site show these Japanese headers instead. Unknown names are
left as they are.
"""

from __future__ import annotations

import pandas as pd

COLUMN_LABELS_JA: dict[str, str] = {
    "area_code": "地域コード", "area_id": "地域ID", "area_name_ja": "地域", "area_label": "地域", "area_kind": "地域区分",
    "pref_code": "都道府県コード", "pref_name_ja": "都道府県", "muni_code": "市区町村コード", "muni_name_ja": "市区町村",
    "year": "年", "fiscal_year": "年度", "sex": "男女", "age_group": "年齢階級", "age3": "年齢3区分",
    "age3_ja": "年齢3区分", "category_ja": "区分", "source": "出典", "status": "区分（実績・推計）", "scenario": "シナリオ",
    "industry_key": "産業キー", "value_note": "注記", "n_missing": "欠損数", "pair": "比較",
    "population_persons": "人口（人）", "population_10k": "人口（万人）", "population_10k_rounded": "人口（万人、四捨五入）",
    "population_2020_persons": "2020年人口（人）", "population_2050_persons": "2050年人口（人）",
    "population_signed": "人口（男性は負）", "share_pct": "構成比（%）", "change_pct": "増減率（%）",
    "share_65plus_2050_pct": "2050年65歳以上割合（%）", "decline_rank": "減少率順位", "index_base100": "指数（基準年=100）",
    "births_persons": "出生数（人）", "deaths_persons": "死亡数（人）", "in_migrants_persons": "転入者数（人）",
    "out_migrants_persons": "転出者数（人）", "natural_change_persons": "自然増減（人）", "social_change_persons": "社会増減（人）",
    "net_migration_persons": "純移動（人）", "period_start": "期首", "period_end": "期末",
    "official_persons": "社人研推計（人）", "model_persons": "モデル（人）", "diff_persons": "差（人）",
    "official_last_persons": "社人研推計・最終年（人）", "model_last_persons": "モデル・最終年（人）",
    "max_abs_diff_persons": "最大絶対誤差（人）", "diff_vs_base_persons": "基準ケースとの差（人）",
    "diff_share_0_14_2050_pt": "2050年0-14歳構成比の差（pt）", "diff_share_15_64_2050_pt": "2050年15-64歳構成比の差（pt）",
    "diff_share_65plus_2050_pt": "2050年65歳以上構成比の差（pt）", "fertility_factor": "出生係数", "elderly_factor": "高齢係数",
    "is_at_bound": "探索境界に到達", "is_complete": "全市町村あり",
}


def display_columns(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with machine column names replaced by their Japanese display names."""
    return df.rename(columns={c: COLUMN_LABELS_JA[c] for c in df.columns if c in COLUMN_LABELS_JA})
