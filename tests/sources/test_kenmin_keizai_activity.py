"""kenmin_keizai_activity: the derived industry.json, parsing, sector totals and bad input."""

from __future__ import annotations

import copy
import json
from io import StringIO

import pandas as pd
import pytest

from hokuriku.codes import prefectures
from hokuriku.errors import EncodingError, LayoutError, RawDataError
from hokuriku.sources import kenmin_keizai_activity as act


def _doc(fixture_path) -> dict:
    """The fixture, completed to 47 prefectures with copies of the 富山 record."""
    doc = json.loads(fixture_path("kenmin_keizai_activity/industry_hokuriku_fy2022.json").read_text(encoding="utf-8"))
    have = {r["code"]: r for r in doc["years"]["2022"]}
    records = []
    for code in prefectures.table()["pref_code"]:
        rec = copy.deepcopy(have.get(code) or have["16"])
        rec.update(code=code, name=prefectures.name_ja(code))
        records.append(rec)
    doc["years"]["2022"] = records
    return doc


def _write(tmp_path, doc, name="industry.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test__parse__tidy_activity_rows_and_totals(tmp_path, fixture_path):
    activity, totals = act.parse(_write(tmp_path, _doc(fixture_path)))
    assert len(activity) == 47 * 16 and len(totals) == 47
    row = activity[(activity["pref_code"] == "17") & (activity["activity_name_ja"] == "保健衛生・社会事業")].iloc[0]
    assert (row["activity_code"], row["sector"], row["is_service"]) == ("15", "tertiary", True)
    assert row["gdp_nominal_jpy_million"] == 465_045
    assert totals.set_index("pref_code").loc["18", "gdp_nominal_jpy_million"] == 3_494_304
    act.validate(activity, totals)


def test__sector_totals__sums_activities_by_sector():
    df = pd.read_csv(StringIO(
        "pref_code,fiscal_year,sector,gdp_nominal_jpy_million\n"
        "16,2022,primary,10\n16,2022,secondary,20\n16,2022,secondary,5\n16,2022,tertiary,7\n"
        "17,2022,primary,1\n17,2022,secondary,\n17,2022,secondary,3\n17,2022,tertiary,2\n"), dtype={"pref_code": str})
    out = act.sector_totals(df).set_index("pref_code")
    cols = ["primary_jpy_million", "secondary_jpy_million", "tertiary_jpy_million"]
    assert out.loc["16", cols].tolist() == [10, 25, 7]
    assert pd.isna(out.loc["17", "secondary_jpy_million"])  # a missing activity never yields a partial sum


def test__largest_activity__service_only_skips_non_service():
    df = pd.DataFrame({"pref_code": ["16"] * 3, "fiscal_year": [2022] * 3,
                       "activity_name_ja": ["不動産業", "教育", "保健衛生・社会事業"],
                       "is_service": [False, True, True], "gdp_nominal_jpy_million": [500.0, 100.0, 400.0]})
    assert act.largest_activity(df, service_only=True)["activity_name_ja"].tolist() == ["保健衛生・社会事業"]
    assert act.largest_activity(df)["activity_name_ja"].tolist() == ["不動産業"]


def test__rounding_tolerance__half_unit_per_component():
    assert [act.rounding_tolerance(n) for n in (1, 3, 13)] == [0, 1, 6]


def test__validate__json_sector_sum_off_by_more_than_rounding_is_refused(tmp_path, fixture_path):
    doc = _doc(fixture_path)
    doc["years"]["2022"][15]["secondary"] += 2  # 富山: 3 components allow ±1 only
    activity, totals = act.parse(_write(tmp_path, doc))
    with pytest.raises(RawDataError, match="secondary = sum of its activities ± 1"):
        act.validate(activity, totals)


def test__parse__symbols_and_full_width_digits(tmp_path, fixture_path):
    doc = _doc(fixture_path)
    doc["years"]["2022"][15]["gdpBySector"]["鉱業"] = "X"
    doc["years"]["2022"][15]["gdpBySector"]["教育"] = "１６６，４２１"
    activity, _ = act.parse(_write(tmp_path, doc))
    toyama = activity[activity["pref_code"] == "16"].set_index("activity_name_ja")
    assert pd.isna(toyama.loc["鉱業", "gdp_nominal_jpy_million"]) and toyama.loc["鉱業", "value_note"] == "suppressed"
    assert toyama.loc["教育", "gdp_nominal_jpy_million"] == 166_421
    assert pd.isna(act.sector_totals(activity).set_index("pref_code").loc["16", "secondary_jpy_million"])


def test__parse__renamed_activity_is_a_layout_error(tmp_path, fixture_path):
    doc = _doc(fixture_path)
    doc["sectors"][14] = "医療・福祉"
    with pytest.raises(LayoutError, match="保健衛生・社会事業"):
        act.parse(_write(tmp_path, doc))


def test__parse__truncated_json_is_refused(tmp_path, fixture_path):
    path = _write(tmp_path, _doc(fixture_path))
    path.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(RawDataError, match="truncated"):
        act.parse(path)


def test__parse__cp932_bytes_are_an_encoding_error(tmp_path, fixture_path):
    path = tmp_path / "industry.json"
    path.write_bytes(json.dumps(_doc(fixture_path), ensure_ascii=False).encode("cp932"))
    with pytest.raises(EncodingError, match="UTF-8"):
        act.parse(path)
