"""Published figures of 総務省統計局「国勢調査」時系列データ 表3 (c03.csv, statInfId 000031523105), vintage 2015.

National totals: 平成27年 / 平成22年国勢調査 人口等基本集計 (全国 総人口). Prefecture figures: the same
censuses' prefecture totals (富山県 2015 男 515,147 / 女 551,181; 2010 1,093,247), as printed in 表3.
"""

NATIONAL_TOTAL = {2015: 127_094_745, 2010: 128_057_352}
PREF_TOTAL = {
    (2015, "16"): 1_066_328,
    (2010, "16"): 1_093_247,
    (2015, "17"): 1_154_008,
    (2015, "18"): 786_740,
}
TOYAMA_2015_BY_SEX = {"male": 515_147, "female": 551_181}
