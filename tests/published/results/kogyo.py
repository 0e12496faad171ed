"""Reference figures of 工業統計調査 地域別統計表 表3-01 (prefecture × 産業中分類, 従業者4人以上, 百万円).

Publication: 経済産業省「工業統計調査」, e-Stat 政府統計コード 00550010. Reference year 2019 = 2020年工業統計調査
(2020年確報), e-Stat statsDataId 0003448119 (https://www.e-stat.go.jp/dbview?sid=0003448119); reference year
2016 = 2017年工業統計調査 (平成29年確報), statsDataId 0003325921 (https://www.e-stat.go.jp/dbview?sid=0003325921).
Column sums over the 47 prefectures are the repository's own validation files
(SarthakDT/japan-manufacturing-analysis metadata/validation_{2019,2016}_table3-01.json), as recorded in
../shared/datasets/MANIFEST.md.
"""

COLUMN_SUMS = {
    "2019": {"establishments": 181_877, "employees": 7_717_646, "shipments_jpy_million": 322_394_871,
             "value_added_jpy_million": 100_205_760, "cash_wages_jpy_million": 35_445_421,
             "raw_materials_jpy_million": 204_523_402},
    "2016": {"establishments": 191_339, "employees": 7_571_369, "shipments_jpy_million": 302_042_266,
             "value_added_jpy_million": 97_292_034, "cash_wages_jpy_million": 33_643_605,
             "raw_materials_jpy_million": 185_905_082},
}
# Cells flagged in the shipments column (suppressed X / no establishment).
FLAG_COUNTS = {"2019": {"suppressed": 25, "nil": 10}, "2016": {"suppressed": 29, "nil": 8}}
# 全国 製造品出荷額等 control totals (not in the file); the gap to COLUMN_SUMS is the suppressed cells.
NATIONAL_SHIPMENTS_JPY_MILLION = {"2019": 322_533_418, "2016": 302_185_204}

# Shipments (百万円) of interest: (pref_code, industry_key) -> value.
SHIPMENTS = {
    "2019": {("16", "chemicals"): 777_711, ("17", "production_machinery"): 747_652,
             ("18", "electronic_parts"): 341_023, ("34", "transport_equipment"): 3_256_942},
    "2016": {("16", "chemicals"): 724_494, ("17", "production_machinery"): 647_491,
             ("18", "electronic_parts"): 303_742, ("34", "transport_equipment"): 3_457_249},
}
HIROSHIMA_TRANSPORT_2019_EMPLOYEES = 52_619

# NOT reproducible (see tests): the seed deck's 2023 ranking (経済構造実態調査 2024 / 2023 reference year):
# 富山 化学工業 7,018 億円, 石川 生産用機械 9,430 億円, 福井 電子部品 3,305 億円 — that vintage is not in the data.
SEED_2023_OKU_YEN = {("16", "chemicals"): 7_018, ("17", "production_machinery"): 9_430,
                     ("18", "electronic_parts"): 3_305}
# A brief's "2019 広島県 輸送用機械器具 出荷額 ≈ 1兆8,915億円": no measure of 表3-01 gives it (shipments = 3兆2,569億円).
BRIEF_HIROSHIMA_TRANSPORT_2019_OKU_YEN = 18_915
