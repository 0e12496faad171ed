"""Golden: the validation figures quoted in docs/io_model.md, recomputed from the raw regional tables.

(a) national vs published 12-sector technical coefficients (42 prefectures, 2015); (b) SLQ/CILQ/FLQ
regional purchase coefficients and multipliers vs the 宮崎県 table. Figures as printed in the doc
(MAD to 4 decimals, % to 1 decimal).
"""

from __future__ import annotations

import pytest

from hokuriku.inputoutput import regional, report


@pytest.fixture(scope="module")
def val(request):
    from hokuriku import manifest
    from hokuriku.errors import MissingRawDataError

    try:
        for src, vin, name in (("io_mic_2015", "2015", "000629595.xlsx"), ("io_regional_12", "2015", "IOTable.csv"),
                               ("io_miyazaki", "2011", "10710_20170328101827-1.xlsx")):
            manifest.path(src, vin, name, download=False)
    except MissingRawDataError as exc:
        if request.config.getoption("--strict-data-files") or __import__("os").environ.get("CI") == "true":
            pytest.fail(str(exc))
        pytest.skip("raw IO tables missing")
    return report.validation_tables()


def test__technical_coefficients_12(val):
    a = val["technical_12"].set_index("都道府県")
    assert len(a) == 42
    assert a.at["富山県", "平均絶対差（MAD）"] == 0.0072 and a.at["富山県", "加重誤差（WAE, %）"] == 18.9
    assert round(a["加重誤差（WAE, %）"].mean(), 1) == 17.3
    assert a["加重誤差（WAE, %）"].idxmin() == "茨城県" and a["加重誤差（WAE, %）"].idxmax() == "鹿児島県"


def test__lq_on_miyazaki_and_the_default(val):
    b = val["lq_overall"]
    nat = b[b["投入係数"].str.startswith("全国")].set_index("手法")
    assert nat.loc["SLQ", ["域内調達係数 MAD", "域内調達係数 WAE（%）", "生産波及倍率 平均絶対誤差（%）"]].tolist() == [
        0.0059, 61.2, 10.7]
    cols = ["生産波及倍率 平均絶対誤差（%）", "同 生産額加重（%）", "同 平均誤差（%）"]
    assert nat.loc["FLQ δ=0.1", cols].tolist() == [7.8, 6.7, -3.6]
    default = f"FLQ δ={regional.DEFAULT_DELTA:g}"
    assert regional.DEFAULT_METHOD == "FLQ"
    assert nat["生産波及倍率 平均絶対誤差（%）"].idxmin() == default
    s = val["lq_sectors"].set_index("部門")
    assert s.loc["32 電子部品", ["宮崎県表の倍率", "SLQ 推計", "CILQ 推計", f"{default} 推計"]].tolist() == [
        1.48, 1.579, 1.431, 1.331]


def test__regional_output_estimate_vs_published_tables(val):
    from hokuriku import store
    from hokuriku.inputoutput import inputs, validation

    c = validation.compare_output_12(inputs.prefecture_outputs(), store.table("io_regional_12", "output"))
    c = c.set_index("pref_code")
    assert len(c) == 42
    assert round(c["total_pct_diff"].abs().mean(), 1) == 7.1 and round(c["mfg_pct_diff"].abs().mean(), 1) == 20.0
    assert round(c.at["16", "total_pct_diff"], 1) == 4.6 and round(c.at["16", "mfg_pct_diff"], 1) == 10.2
    assert c["total_pct_diff"].idxmin() == "44" and c["total_pct_diff"].idxmax() == "36"  # 大分, 徳島
    assert c["mfg_pct_diff"].idxmax() == "13"  # 東京都: 県民経済計算's 製造業 GVA far above its table's output share
