"""Published figures of 国土地理院「全国都道府県市区町村別面積調」and the seed deck's 面積 row.

Primary: 面積調 令和7年10月1日時点 (https://www.gsi.go.jp/KOKUJYOHO/MENCHO-title.htm), km² to 2 decimals.
Secondary: seed deck ../shared/seeds/chiiki-mirai-senryaku-2026-05-22.txt line 687 (面積 2025/10/1, km², integers).
"""

REF_DATE = "2025-10-01"

# 面積調 (km², as published).
AREA_KM2 = {"00": 377_979.67, "16": 4_247.55, "17": 4_190.94, "18": 4_190.56}
TOYAMA_IS_REFERENCE_VALUE = True  # 富山県 carries （参考値）: its area contains 境界未定部

# Seed deck (km², rounded to integers).
AREA_KM2_ROUNDED = {"00": 377_980, "16": 4_248, "17": 4_191, "18": 4_191}
# The seed prints 北陸3県 12,629 although 4,248 + 4,191 + 4,191 = 12,630: the total was rounded from the
# unrounded sum (12,629.05). Compare like with like: the published total with the rounded unrounded sum.
HOKURIKU3_AREA_KM2_ROUNDED = 12_629
HOKURIKU3_SHARE_PCT = 3.3
