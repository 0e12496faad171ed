"""Published figures reproduced from 統計センター SSDSE-A / SSDSE-B (and the census panel).

- 総務省統計局「国勢調査」: 富山市 総人口 2015 = 418,686, 2020 = 413,938 (人口等基本集計, 市区町村別 総人口),
  札幌市 2020 = 1,973,395. https://www.e-stat.go.jp/stat-search/files?toukei=00200521
- 総務省・経済産業省「経済センサス」製造業 従業者数, 富山市: 2014 基礎調査 42,705; 2016 活動調査 41,329 (民営);
  2021 活動調査 43,922 (民営). As carried by SSDSE-A 2018 (C220709), 2021 (C220837) and 2026 (C220837).
  https://www.stat.go.jp/data/e-census/
- 総務省統計局「人口推計」(2022年10月1日現在, 都道府県別 総人口, 千人単位で公表) and
  厚生労働省「人口動態統計」2022 合計特殊出生率 (都道府県別), as carried by SSDSE-B-2025 (A1101, A4103).
  https://www.stat.go.jp/data/jinsui/2022np/index.html ; https://www.mhlw.go.jp/toukei/saikin/hw/jinkou/kakutei22/
"""

# SSDSE-A: (edition, muni_code, canonical, ref_year) -> value
SSDSE_A = {
    ("2026", "16201", "population_persons", 2020): 413_938,
    ("2018", "16201", "population_persons", 2015): 418_686,
    ("2018", "16201", "manufacturing_employees_persons", 2014): 42_705,
    ("2021", "16201", "manufacturing_employees_persons", 2016): 41_329,
    ("2026", "16201", "manufacturing_employees_persons", 2021): 43_922,
}

# SSDSE-B 2022: pref_code -> (総人口 人, 合計特殊出生率)
SSDSE_B_2022 = {
    "16": (1_017_000, 1.46),  # 富山県
    "17": (1_118_000, 1.38),  # 石川県
    "18": (753_000, 1.50),  # 福井県
}

# Census panel (2015 boundaries): (muni_code, year) -> 人
CENSUS_PANEL = {
    ("01100", 2020): 1_973_395,  # 札幌市
    ("16201", 2020): 413_938,  # 富山市
}
