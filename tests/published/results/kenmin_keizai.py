"""Published figures of 内閣府「令和4年度県民経済計算」(FY2011–FY2022, 2015年基準・2008SNA) and the seed deck.

Primary tables (ESRI, https://www.esri.cao.go.jp/jp/sna/data/data_list/kenmin/files/contents/main_2022.html):
- 総括表 1. 県内総生産（生産側、名目）, tables/2022/soukatu1.xlsx, sheet 実数, column 令和4年度, 単位 100万円;
- 主要系列表1 経済活動別県内総生産（名目）, tables/2022/syuyo1.xlsx (read via the derived industry.json).

Secondary: the seed deck ../shared/seeds/chiiki-mirai-senryaku-2026-05-22.txt,「北陸地域の経済指標（総括）」
(lines 686–699, 億円) and「北陸地域の県内総生産（各県）」(lines 701–716, 100億円 rounding).
"""

FISCAL_YEAR = 2022

# soukatu1.xlsx 実数, 令和4年度 (100万円).
GDP_NOMINAL_JPY_MILLION = {"16": 4_927_629, "17": 4_717_260, "18": 3_494_304}
ALL_PREFECTURES_JPY_MILLION = 595_919_672  # 全県計 row

# Seed deck, 県内総生産(名目) 2022年度 (億円): each prefecture and 北陸3県 = Σ 百万円 then rounded.
GDP_NOMINAL_OKU = {"16": 49_276, "17": 47_173, "18": 34_943}
HOKURIKU3_GDP_OKU = 131_392
HOKURIKU3_SHARE_PCT = 2.2  # 北陸3県の全国比 (%), 1 decimal

# The seed's 全国 5,957,888 億円 is NOT this vintage's 全県計 (5,959,197 億円): it matches the FY2022 figure
# as revised in the FY2023 edition (全県計 595,788,788 百万円, per a secondary source). We test our vintage's
# value and record the seed's for the data log; both give 2.2 %.
SEED_NATIONAL_OKU = 5_957_888
OUR_NATIONAL_OKU = 5_959_197

# Seed deck, うち第1次/第2次/第3次産業 2022年度 (億円).
SECTOR_OKU = {
    "16": {"primary": 387, "secondary": 18_434, "tertiary": 30_049},
    "17": {"primary": 352, "secondary": 13_617, "tertiary": 32_494},
    "18": {"primary": 314, "secondary": 12_360, "tertiary": 22_055},
}

# Seed deck: the largest サービス業 activity is 保健衛生・社会事業 in all three, printed in 100億円 steps
# [4,200 / 4,600 / 3,000 億円]. The printed figures are the 億円 values truncated to 100 億円 (4,212.58 →
# 4,200; 4,650.45 → 4,600; 3,035.23 → 3,000): half-up rounding would print 4,700 for 石川.
LARGEST_SERVICE_ACTIVITY = "保健衛生・社会事業"
LARGEST_SERVICE_100OKU = {"16": 4_200, "17": 4_600, "18": 3_000}
