"""hokuriku.analysis.overview: the 総括 table's rounding, sums and row builders, on inline frames."""

from __future__ import annotations

import pandas as pd
import pytest

from hokuriku.analysis import overview
from hokuriku.errors import InputError

CODES = [f"{i:02d}" for i in range(1, 48)]


def by_pref(values: dict[str, float], default: float = 1.0, national: float | None = None) -> pd.DataFrame:
    """Make a by-prefecture frame: 全国 + 47 prefectures (``values`` override ``default``)."""
    vals = {c: values.get(c, default) for c in CODES}
    nat = sum(vals.values()) if national is None else national
    return pd.DataFrame({"pref_code": ["00", *CODES], "value": [nat, *vals.values()], "value_note": None})


def item(frame: pd.DataFrame, name: str = "面積", divisor: float = 1) -> pd.DataFrame:
    return overview.label_item(
        frame, item=name, ref_label="2025/10/1", unit_ja="km²", divisor=divisor, source_ja="出所"
    )


def test__summary_table__region_total_is_rounded_from_the_unrounded_sum():
    # The seed's 面積 row: 4,247.55 + 4,190.94 + 4,190.56 = 12,629.05 → 12,629, not 4,248 + 4,191 + 4,191.
    values = item(by_pref({"16": 4247.55, "17": 4190.94, "18": 4190.56}, national=377979.67))
    row = overview.summary_table(values, "HOKURIKU3").iloc[0]
    assert [row["富山"], row["石川"], row["福井"], row["北陸3県"], row["全国"]] == [4248, 4191, 4191, 12629, 377980]
    assert row["全国比(%)"] == 3.3


def test__summary_table__columns_and_units():
    values = pd.concat([item(by_pref({"16": 1_037_319.0}), "人口", 1000), item(by_pref({}), "面積")])
    table = overview.summary_table(values, "HOKURIKU3")
    assert list(table.columns) == [
        "項目",
        "時点",
        "単位",
        "全国",
        "富山",
        "石川",
        "福井",
        "北陸3県",
        "全国比(%)",
        "出所",
    ]
    assert table["項目"].tolist() == ["人口", "面積"]  # input order kept
    assert table.loc[0, "富山"] == 1037  # 1,037.319 千人


def test__summary_table__share_is_half_up_from_unrounded_values():
    # 2.25 % exactly: half up gives 2.3 (Python's round would give 2.2).
    values = item(by_pref({"16": 2.25, "17": 0.0, "18": 0.0}, national=100.0))
    assert overview.summary_table(values, "HOKURIKU3").loc[0, "全国比(%)"] == 2.3


def test__summary_table__single_prefecture_has_one_column():
    table = overview.summary_table(item(by_pref({"16": 5.0})), "16")
    assert list(table.columns) == ["項目", "時点", "単位", "全国", "富山県", "全国比(%)", "出所"]


def test__summary_table__nan_member_gives_nan_total_and_share():
    table = overview.summary_table(item(by_pref({"17": float("nan")}, national=50.0)), "HOKURIKU3")
    assert pd.isna(table.loc[0, "北陸3県"]) and pd.isna(table.loc[0, "全国比(%)"])
    assert table.loc[0, "富山"] == 1


def test__by_prefecture_frames__refuse_a_missing_prefecture():
    frame = pd.DataFrame(
        {
            "area_km2": [10.0, 1.0],
            "pref_code": ["00", "16"],
            "area_level": ["national", "prefecture"],
            "ref_date": pd.Timestamp("2025-10-01"),
        }
    )
    with pytest.raises(InputError, match="47 prefectures"):
        overview.area_by_prefecture(frame, ref_date="2025-10-01")


def kogyo(notes: dict[tuple[str, str], str]) -> pd.DataFrame:
    rows = []
    for code in CODES:
        for ind in ("09", "10"):
            note = notes.get((code, ind))
            rows.append(
                {
                    "pref_code": code,
                    "industry_name_ja": ind,
                    "employees": None if note else 10.0,
                    "employees_note": note,
                }
            )
    return pd.DataFrame(rows)


def test__manufacturing_by_prefecture__nil_is_zero_and_suppressed_is_flagged():
    df = overview.manufacturing_by_prefecture(
        kogyo({("16", "09"): "nil", ("17", "10"): "suppressed"}), measure="employees"
    ).set_index("pref_code")
    assert df.loc["16", "value"] == 10.0 and df.loc["16", "value_note"] is None
    assert df.loc["17", "value"] == 10.0 and df.loc["17", "value_note"] == overview.SUPPRESSED_NOTE
    assert df.loc["00", "value"] == 47 * 20 - 20 and df.loc["00", "value_note"] == overview.SUPPRESSED_NOTE


def test__manufacturing_by_prefecture__blank_without_a_note_is_refused():
    df = kogyo({("16", "09"): "nil"})
    df.loc[0, "employees"] = float("nan")  # blank, but no note saying why
    with pytest.raises(InputError, match="nil/suppressed"):
        overview.manufacturing_by_prefecture(df, measure="employees")


def test__households_by_prefecture__sums_municipalities_and_propagates_nan():
    munis = pd.DataFrame({"pref_code": [*CODES, "16"], "ref_year": 2020, "households_count": [1.0] * 47 + [2.0]})
    df = overview.households_by_prefecture(munis).set_index("pref_code")
    assert df.loc["16", "value"] == 3.0 and df.loc["00", "value"] == 49.0
    munis.loc[47, "households_count"] = float("nan")
    df = overview.households_by_prefecture(munis).set_index("pref_code")
    assert pd.isna(df.loc["16", "value"]) and pd.isna(df.loc["00", "value"]) and df.loc["17", "value"] == 1.0


def test__sectors_by_prefecture__three_sectors_and_national_sum():
    rows = [
        {"pref_code": c, "fiscal_year": 2022, "sector": s, "gdp_nominal_jpy_million": v}
        for c in CODES
        for s, v in (("primary", 1.0), ("secondary", 2.0), ("secondary", 3.0), ("tertiary", 4.0))
    ]
    out = overview.sectors_by_prefecture(pd.DataFrame(rows), fiscal_year=2022)
    assert out["secondary"].set_index("pref_code").loc["16", "value"] == 5.0
    assert out["primary"].set_index("pref_code").loc["00", "value"] == 47.0


def test__display_table__thousands_separators_and_one_decimal_share():
    table = overview.summary_table(item(by_pref({"16": 1234.4}, national=100000.0)), "HOKURIKU3")
    shown = overview.display_table(table)
    assert "出所" not in shown.columns
    assert shown.loc[0, "富山"] == "1,234" and shown.loc[0, "全国"] == "100,000" and shown.loc[0, "全国比(%)"] == "1.2"
