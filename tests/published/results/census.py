"""Published figures of the 国勢調査 (総務省統計局) and of 住民基本台帳人口 (総務省).

- 令和2年国勢調査 人口等基本集計 表1-1-1 and 表2-7-1 (e-Stat, 政府統計コード 00200521,
  https://www.e-stat.go.jp/stat-search/files?toukei=00200521), 2020-10-01, 人.
- 昭和55年国勢調査 第1次基本集計 表00101 (same e-Stat statistic), 1980-10-01, 人.
- 住民基本台帳に基づく人口 市区町村別（総計）, 2021-01-01 / 2022-01-01
  (https://www.soumu.go.jp/main_sosiki/jichi_gyousei/daityo/jinkou_jinkoudoutai-setaisuu.html), 人.
"""

CENSUS_2020_NATIONAL = 126_146_099  # 表1-1-1 全国 総数
CENSUS_2020_BY_SEX = {"16": {"total": 1_034_814, "male": 502_637, "female": 532_177}}  # 表1-1-1 富山県
CENSUS_2020_AGE5_TOTAL = {"16": 1_034_814, "17": 1_132_526, "18": 766_863}  # 表2-7-1 総数, 国籍総数
CENSUS_2020_TOYAMA_AGE_UNKNOWN = 18_577  # 表2-7-1 富山県 年齢「不詳」

CENSUS_1980_NATIONAL = 117_060_396  # 昭和55年国勢調査 総人口 (the download has no 全国 row: Σ 47 prefectures)

JUKI_TOTAL = {"2021-01-01_derived": 126_654_244, "2022-01-01_derived": 125_927_902}  # 合計 row
JUKI_PREF = {
    "2021-01-01_derived": {"16": 1_047_713, "17": 1_132_656, "18": 774_596},
    "2022-01-01_derived": {"16": 1_037_319, "17": 1_124_501, "18": 767_561},
}
