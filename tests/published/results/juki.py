"""Published figures of 総務省「住民基本台帳に基づく人口、人口動態及び世帯数」【総計】, keyed on (source, vintage).

From the publisher's xlsx (市区町村別 / 都道府県別 sheets), as printed (人, 世帯), and the seed deck
(../shared/seeds/chiiki-mirai-senryaku-2026-05-22.txt「北陸地域の経済指標（総括）」, lines 686–699), whose 人口 and
世帯数 rows (時点 2025/1/1) are these 2025-01-01 figures in 千人 / 千世帯, rounded half up; the seed's (出所) line
says 令和6年1月1日 but the numbers are 令和7年 (see docs/data_log.md).
"""

# (source, vintage) → 合計 row and prefecture rows: (人口 計, 世帯数)
NATIONAL = {
    ("juki", "2025-01-01"): (124_330_690, 61_287_994),
}
PREFECTURES = {
    ("juki", "2025-01-01"): {"16": (1_008_536, 436_122), "17": (1_098_121, 501_139), "18": (746_690, 306_635)},
    ("juki", "2024-01-01"): {"16": (1_019_004, 433_664)},
}
HOKURIKU3 = {("juki", "2025-01-01"): (2_853_347, 1_243_896)}
MUNICIPALITIES = {  # 団体コード (6 digits) → 人口 計 (and 世帯数 where given)
    ("juki", "2025-01-01"): {"162019": (403_757, 186_736), "172014": (443_123, None), "182010": (254_029, None)},
}
# The derived CSV vintages (人口 only) equal the xlsx of the same date: 合計 row.
DERIVED_TOTAL = {("juki", "2021-01-01_derived"): 126_654_244, ("juki", "2022-01-01_derived"): 125_927_902}

# The seed's rows (千人 / 千世帯, 全国比 %): 全国, 富山, 石川, 福井, 北陸3県, 全国比.
SEED_POPULATION_THOUSANDS = (124_331, 1_009, 1_098, 747, 2_853, 2.3)
SEED_HOUSEHOLDS_THOUSANDS = (61_288, 436, 501, 307, 1_244, 2.0)

# 2024 静岡県: 浜松市 reorganised its wards on 2024-01-01; the 2024-01-01 municipal sheet prints the 7 old wards
# (flows of 2023, stocks '***') and the 3 new wards (stocks, flows '***').
HAMAMATSU_2024_WARD_ROWS = 10

# 人口動態 of calendar year 2024 (2025-01-01 table), as printed: (自然増減数, 社会増減数).
FLOWS_2024 = {"00": (-898_496, 344_011), "16": (-9_999, -469), "17": (-8_865, -2_240), "18": (-6_041, 341)}
FLOWS_2024_MUNICIPAL = {"17204": (-614, -1_577), "16201": (None, 451)}  # 輪島市, 富山市

# Municipal rows (municipality + designated_city): 1,741 市区町村 + 6 北方領土 villages printed with 0 persons.
MUNICIPAL_ROWS = 1_747
NORTHERN_TERRITORY_VILLAGES = ["01695", "01696", "01697", "01698", "01699", "01700"]
