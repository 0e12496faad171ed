"""IPSS 令和5年推計 derived copies: kurashi JSON and hollow-japan CSV excerpts, bad inputs, full vintages."""

from __future__ import annotations

import csv
import json
import math

import pandas as pd
import pytest

from hokuriku.errors import LayoutError, RawDataError
from hokuriku.sources import ipss_projection as ip


def test__parse_kurashi__city_rows_statuses_and_2050_ages(fixture_path):
    df = ip.parse(fixture_path("ipss_projection/toyama.json"), vintage="r5_kurashi")
    t = df[df["muni_code"] == "16201"].set_index("year")
    assert t.loc[2020, "status"] == "census" and t.loc[2025, "status"] == "projection"
    assert (t.loc[2020, "population_persons"], t.loc[2050, "population_persons"]) == (413938, 338229)
    assert t.loc[2050, ["population_0_14_persons", "population_15_64_persons", "population_65plus_persons"]].tolist() == [32942, 176057, 129230]
    assert math.isnan(t.loc[2030, "population_0_14_persons"])
    assert not t["is_ward"].any()


def test__parse_kurashi__sentinel_is_not_projected_never_zero(fixture_path):
    df = ip.parse(fixture_path("ipss_projection/fukushima.json"), vintage="r5_kurashi")
    iwaki = df[df["muni_code"] == "07204"]
    assert (iwaki["status"] == "not_projected").all()
    assert iwaki["population_persons"].isna().all()
    assert iwaki["value_note"].str.startswith("not_projected: hamadori_aggregate").all()


def test__parse_kurashi__wards_flagged_with_parent(fixture_path):
    df = ip.parse(fixture_path("ipss_projection/shizuoka_wards.json"), vintage="r5_kurashi")
    aoi = df[df["muni_code"] == "22101"].iloc[0]
    assert aoi["is_ward"] and aoi["parent_code"] == "22100" and aoi["muni_name_ja"] == "静岡市葵区"
    assert (df.loc[df["muni_code"] == "22138", "status"] == "not_projected").all()


def test__parse_hollow__interpolated_and_flat_years_are_not_projections(fixture_path):
    df = ip.parse(fixture_path("ipss_projection/built_pop_wide_en_jp_extended_excerpt.csv"), vintage="r5_hollow")
    s = df.set_index(["muni_code", "year"])["status"]
    assert s[("16201", 2020)] == "census" and s[("16201", 2021)] == "interpolated" and s[("16201", 2025)] == "projection"
    assert s[("07204", 2020)] == "census" and s[("07204", 2025)] == "not_projected"
    assert s[("04423", 2015)] == "census" and s[("04423", 2020)] == "not_projected"
    assert df.loc[df["status"] == "not_projected", "population_persons"].isna().all()


def test__parse_hollow__unlisted_flat_series_raises(tmp_path, fixture_path):
    rows = list(csv.reader(fixture_path("ipss_projection/built_pop_wide_en_jp_extended_excerpt.csv").open()))
    row = next(r for r in rows if r[0] == "16201")
    row[3 + 41:] = [row[3 + 40]] * 30  # 2021-2050 = the 2020 census value, as if carried flat
    p = tmp_path / "x.csv"
    with p.open("w", newline="") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL).writerows(rows)
    with pytest.raises(RawDataError, match="16201 flat"):
        ip.parse(p, vintage="r5_hollow")


def test__parse_hollow__first_flat_code_and_carried_notes(tmp_path, fixture_path):
    """Flat checks and carried notes work per municipality: the smallest flat code is named, with its row."""
    rows = list(csv.reader(fixture_path("ipss_projection/built_pop_wide_en_jp_extended_excerpt.csv").open()))
    codes = [r[0] for r in rows[1:]]
    for code in codes[-2:]:  # two unlisted series carried flat: the error names the smaller code
        row = rows[1 + codes.index(code)]
        row[3 + 41:] = [row[3 + 40]] * 30
    p = tmp_path / "x.csv"
    with p.open("w", newline="") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL).writerows(rows)
    first = min(c.zfill(5) for c in codes[-2:] if c.zfill(5) not in ip.not_projected("r5_hollow").index)
    with pytest.raises(RawDataError, match=rf"row {codes.index(first.lstrip('0')) + 2}\b.*{first} flat"):
        ip.parse(p, vintage="r5_hollow")
    df = ip.parse(fixture_path("ipss_projection/built_pop_wide_en_jp_extended_excerpt.csv"), vintage="r5_hollow")
    carried = df[(df["muni_code"] == "04423") & (df["year"] == 2030)].iloc[0]
    assert carried["value_note"].startswith("not_projected: ") and "value of 2015 flat" in carried["value_note"]


def test__parse_hollow__repeated_municipality_is_refused(tmp_path, fixture_path):
    lines = fixture_path("ipss_projection/built_pop_wide_en_jp_extended_excerpt.csv").read_text().splitlines()
    p = tmp_path / "x.csv"
    p.write_text("\n".join([*lines, lines[1]]) + "\n")
    with pytest.raises(RawDataError, match=rf"row {len(lines) + 1}.*one row per municipality"):
        ip.parse(p, vintage="r5_hollow")


def test__parse_hollow__renamed_year_column_raises(tmp_path, fixture_path):
    text = fixture_path("ipss_projection/built_pop_wide_en_jp_extended_excerpt.csv").read_text()
    p = tmp_path / "x.csv"
    p.write_text(text.replace('"totalpop2030"', '"pop2030"', 1))
    with pytest.raises(LayoutError, match="totalpop2030"):
        ip.parse(p, vintage="r5_hollow")


def test__parse_kurashi__missing_key_and_truncated_json(tmp_path, fixture_path):
    recs = json.loads(fixture_path("ipss_projection/toyama.json").read_text())
    del recs[1]["futurePopulation"]["total"]["2040"]
    p = tmp_path / "toyama.json"
    p.write_text(json.dumps(recs, ensure_ascii=False))
    with pytest.raises(LayoutError, match="row 2.*2040"):
        ip.parse(p, vintage="r5_kurashi")
    p.write_text(fixture_path("ipss_projection/toyama.json").read_text()[:-40])
    with pytest.raises(RawDataError, match="complete JSON"):
        ip.parse(p, vintage="r5_kurashi")


def test__parse_kurashi__symbol_in_total_becomes_nan_with_reason(tmp_path, fixture_path):
    recs = json.loads(fixture_path("ipss_projection/toyama.json").read_text())
    recs[0]["futurePopulation"]["total"]["2030"] = "…"
    p = tmp_path / "toyama.json"
    p.write_text(json.dumps(recs, ensure_ascii=False))
    row = ip.parse(p, vintage="r5_kurashi").set_index(["muni_code", "year"]).loc[("16201", 2030)]
    assert math.isnan(row["population_persons"]) and row["value_note"] == "not_available"


@pytest.mark.parametrize(("key", "column"), [("young2050", "population_0_14_persons"), ("base2020", "population_persons")])
def test__parse_kurashi__unreadable_value_names_its_column(tmp_path, fixture_path, key, column):
    recs = json.loads(fixture_path("ipss_projection/toyama.json").read_text())
    recs[1]["futurePopulation"][key] = "12a"
    p = tmp_path / "toyama.json"
    p.write_text(json.dumps(recs, ensure_ascii=False))
    with pytest.raises(RawDataError, match=rf"column '{column}'.*12a"):
        ip.parse(p, vintage="r5_kurashi")


def test__prefecture_totals__flags_incomplete_and_skips_wards():
    df = pd.DataFrame({
        "muni_code": ["07201", "07204", "01695", "16201", "16202", "01100", "01101"],
        "pref_code": ["07", "07", "01", "16", "16", "01", "01"],
        "is_ward": [False, False, False, False, False, False, True],
        "year": [2030] * 7,
        "population_persons": [250000.0, float("nan"), float("nan"), 387415.0, 160000.0, 1900000.0, 230000.0],
        "status": ["projection", "not_projected", "not_projected", "projection", "projection", "projection", "projection"],
        "value_note": [None, "not_projected: hamadori_aggregate (…)", "not_projected: northern_territories (…)", None, None, None, None],
    })
    t = ip.prefecture_totals(df).set_index("pref_code")
    assert t.loc["16", "population_persons"] == 547415 and t.loc["16", "is_complete"]
    assert not t.loc["07", "is_complete"] and t.loc["07", "n_not_projected"] == 1
    assert t.loc["01", "is_complete"] and t.loc["01", "population_persons"] == 1900000  # ward not added, 北方領土 not missing


@pytest.mark.parametrize("seed", range(40))
def test__prefecture_totals__bincount_path_equals_groupby(monkeypatch, seed):
    """The integer-code path of prefecture_totals gives the pandas groupby's table (mixed statuses, NaN, wards)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    df = pd.DataFrame({
        "muni_code": pd.array([f"{x:05d}" for x in rng.integers(0, 99999, n)], dtype="str"),
        "pref_code": pd.array([f"{x:02d}" for x in rng.integers(1, 5, n)], dtype="str"),
        "is_ward": rng.random(n) < 0.2,
        "year": rng.choice([2020, 2025, 2030], n).astype("int64"),
        "population_persons": np.where(rng.random(n) < 0.3, np.nan, rng.integers(0, 1000, n).astype(float)),
        "status": pd.array(rng.choice(["census", "projection", "not_projected", "interpolated"], n), dtype="str"),
        "value_note": pd.array(rng.choice([None, "not_projected: northern_territories (x)", "nil", "x"], n), dtype="str"),
    })
    fast = ip.prefecture_totals(df)
    monkeypatch.setattr(ip, "_totals_by_codes", lambda d: None)
    pd.testing.assert_frame_equal(fast, ip.prefecture_totals(df), check_exact=True)


@pytest.mark.parametrize("vintage", ["r5_kurashi", "r5_hollow"])
def test__load__full_vintages_validate(raw, vintage):
    from hokuriku import manifest

    for e in manifest.load("ipss_projection", vintage).files[:1]:
        raw("ipss_projection", vintage, e.path)
    df = ip.load(vintage)
    assert set(df["status"]) <= set(ip.STATUSES)
    assert not df.duplicated(["muni_code", "year"]).any()
