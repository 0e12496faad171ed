"""Tables on slides: the 出所 column moves to the source box; numbers get thousands separators."""

from __future__ import annotations

import pandas as pd

from hokuriku.reporting import deck


def test__slide_frame__drops_source_column_and_formats_numbers_not_codes():
    df = pd.DataFrame({"市区町村コード": ["16201"], "全国": ["377980"], "面積": ["4247.55"], "全国比(%)": ["3.3"],
                       "出所": ["国土地理院「面積調」"], "項目": ["面積"]})
    shown = deck._slide_frame(df)
    assert list(shown.columns) == ["市区町村コード", "全国", "面積", "全国比(%)", "項目"]
    assert shown.iloc[0].tolist() == ["16201", "377,980", "4,247.55", "3.3", "面積"]


def test__slide_frame__japanese_headers_and_rounded_ratios():
    df = pd.DataFrame({"muni_code": ["17205"], "year": ["2050"], "change_pct": ["-35.123456789"],
                       "fertility_factor": ["0.0123456"], "population_persons": ["1637419"]})
    shown = deck._slide_frame(df)
    assert list(shown.columns) == ["市区町村コード", "年", "増減率（%）", "出生係数", "人口（人）"]
    assert shown.iloc[0].tolist() == ["17205", "2050", "-35.12", "0.0123", "1,637,419"]


def test__source_size__shrinks_long_notes():
    assert deck._source_size("(出所) 内閣府「県民経済計算」") == 12
    assert deck._source_size("x" * 400) == 8
