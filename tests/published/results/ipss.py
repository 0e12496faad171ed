"""Published figures of 国立社会保障・人口問題研究所「日本の地域別将来推計人口（令和5(2023)年推計）」.

Source: IPSS, 令和5年推計 結果表 (市区町村別 総人口 and 2050年 年齢3区分), https://www.ipss.go.jp/pp-shicyoson/j/shicyoson23/t-page.asp
(結果表1 総人口, 結果表2 年齢3区分別人口; 2020 = 令和2年国勢調査 基準人口). Units: 人.
Prefecture totals for 2030 and 2040 are the published 都道府県別 総人口 (same 結果表, 都道府県計), which the
seed deck rounds to 北陸3県 ≈ 270万 (2030) and ≈ 247万 (2040).
The files at hand are derived copies (kurashi-map JSON, hollow-japan CSV); these numbers were
typed from the IPSS tables as quoted in /work/shared/datasets/MANIFEST.md "projections".
"""

# (muni_code, year) -> total population, 人
MUNICIPAL_TOTALS = {
    ("16201", 2020): 413_938,  # 富山市 (2020 census base)
    ("16201", 2025): 398_075,
    ("16201", 2050): 338_229,
    ("17201", 2020): 463_254,  # 金沢市
    ("17201", 2050): 404_449,
    ("18201", 2020): 262_328,  # 福井市
    ("18201", 2050): 213_712,
    ("03206", 2020): 93_045,  # 北上市
    ("03206", 2025): 91_700,
    ("03206", 2050): 73_928,
}

# 2050 age groups (young 0-14 / working 15-64 / elderly 65+), 人
AGE_GROUPS_2050 = {
    "16201": (32_942, 176_057, 129_230),  # 富山市
}

# Prefecture totals (都道府県計), 人
PREFECTURE_TOTALS = {
    ("16", 2030): 942_404,
    ("17", 2030): 1_056_997,
    ("18", 2030): 702_719,
    ("16", 2040): 851_912,
    ("17", 2040): 978_926,
    ("18", 2040): 639_182,
}

# Region totals: compared with the published region figure, not with a sum of rounded parts.
HOKURIKU3_TOTALS = {2030: 2_702_120, 2040: 2_470_020}
