"""Reference figures for the municipal manufacturing sources (rieti_manu, ssds_iwate).

Primary publication: 経済産業省「工業統計調査」市区町村編 (従業者4人以上の事業所), e-Stat 政府統計コード 00550010
(https://www.e-stat.go.jp/stat-search/files?toukei=00550010): 平成14年 (2002) and 平成24年 (2012) 工業統計表
市区町村編, 製造品出荷額等 (万円). The same cells are in Kondo's DTA_meti_manu<year>.dta (万円) and, for totals, in
DTA_cao_manu.dta (百万円; 内閣府「選択する未来」委員会 data), and in 総務省統計局「社会・人口統計体系（市区町村データ）」
(e-Stat 政府統計コード 00200502) for 岩手県 (百万円). Check values as recorded in ../shared/datasets/MANIFEST.md
("municipal_manufacturing" sections).
"""

# 北上市 (03206) 2012 製造業計 製造品出荷額等, 平成24年工業統計表 市区町村編: 34,768,266 万円 = 3,476.8 億円.
KITAKAMI_2012_SHIPMENTS_JPY_10K = 34_768_266
KITAKAMI_2012_SHIPMENTS_OKU_YEN = 3_476.8
# The same figure in DTA_cao_manu.dta manu2012, stored in 百万円 with two decimals.
KITAKAMI_2012_CAO_JPY_MILLION = 347_682.66
# ... and in SSDS 市区町村データ (岩手県 extract), rounded to 百万円.
KITAKAMI_2012_SSDS_JPY_MILLION = 347_683
# 北上市 2012 by 産業中分類 (JSIC Rev.12), 万円: 28 電子部品・デバイス・電子回路, 31 輸送用機械器具.
KITAKAMI_2012_ELECTRONIC_PARTS_JPY_10K = 9_896_175
KITAKAMI_2012_TRANSPORT_JPY_10K = 6_398_702
# 広島県 2002 製造業計 製造品出荷額等 (平成14年工業統計表), 万円.
HIROSHIMA_2002_SHIPMENTS_JPY_10K = 655_629_658
# 北海道 2002 製造業計 (unit check: 5.35兆円), 万円.
HOKKAIDO_2002_SHIPMENTS_JPY_10K = 534_755_127
# DTA_cao_manu manu2000 (平成12年工業統計), 百万円.
CAO_2000_JPY_MILLION = {"22130": 2_700_706, "03206": 367_399, "34302": 204_685}  # 浜松市, 北上市, 府中町

# NOT reproducible: a brief's check value 広島県 輸送用機械器具 2002 = 7,617 億円. Kondo's files carry the industry
# split only for 市・区 (the prefecture row and 町村 such as 府中町, Mazda's seat, have 製造業計 only) and two ward
# cells of 広島市 (中区, 安佐南区) are suppressed. What the data do give (万円):
HIROSHIMA_2002_TRANSPORT_CHECK_OKU_YEN = 7_617
HIROSHIMA_2002_TRANSPORT_CITIES_JPY_10K = 40_584_369  # 市 rows (広島市 itself has no split): 4,058 億円
HIROSHIMA_2002_TRANSPORT_CITIES_WARDS_JPY_10K = 116_413_058  # 市 + 広島市の区 (2 suppressed wards left out)
HIROSHIMA_2002_TRANSPORT_SUPPRESSED_WARDS = ("34101", "34105")
HIROSHIMA_2002_FUCHU_TOWN_TOTAL_JPY_10K = 16_447_747  # 府中町 製造業計: no industry split published
