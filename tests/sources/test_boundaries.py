"""Boundary loaders: hand-made TopoJSON fixture, bad inputs, and the mirror files via ``raw``."""

from __future__ import annotations

import json

import pytest

from hokuriku.errors import ParameterError, RawDataError
from hokuriku.sources import boundaries as b


@pytest.fixture
def spec():
    return b.files("n03_2025", "municipality", "merge")


def test__parse__dissolves_islands_and_keeps_undetermined(fixture_path, spec):
    g = b.parse(fixture_path("boundaries/16_handmade.json"), vintage="n03_2025", spec=spec)
    assert g.crs.to_epsg() == 4326
    assert g["muni_code"].tolist()[:2] == ["16201", "16321"] and g["muni_code"].isna().sum() == 1
    toyama = g[g["muni_code"] == "16201"].iloc[0]
    assert toyama.geometry.geom_type == "MultiPolygon" and toyama.geometry.area == pytest.approx(1.04)
    assert g.loc[g["muni_code"].isna(), "muni_name_ja"].iloc[0] == "所属未定地"
    assert not g["is_ward"].any()


def test__parse__bad_code_names_row(tmp_path, fixture_path, spec):
    topo = json.loads(fixture_path("boundaries/16_handmade.json").read_text())
    topo["objects"]["N03-20250101_16"]["geometries"][3]["properties"]["N03_007"] = "1632"
    p = tmp_path / "16.json"
    p.write_text(json.dumps(topo, ensure_ascii=False))
    with pytest.raises(RawDataError, match="row 4.*5-digit code"):
        b.parse(p, vintage="n03_2025", spec=spec)


def test__parse__missing_property_and_corrupt_file(tmp_path, fixture_path, spec):
    text = fixture_path("boundaries/16_handmade.json").read_text()
    p = tmp_path / "16.json"
    p.write_text(text.replace('"N03_004"', '"N03_004x"'))
    with pytest.raises(RawDataError, match="N03_004"):
        b.parse(p, vintage="n03_2025", spec=spec)
    p.write_text(text[: len(text) // 2])
    with pytest.raises(RawDataError, match="readable TopoJSON"):
        b.parse(p, vintage="n03_2025", spec=spec)


def test__load_municipalities__wards_not_available_for_2025():
    with pytest.raises(ParameterError, match="wards"):
        b.load_municipalities(["16"], designated_city="wards", vintage="n03_2025")
    with pytest.raises(ParameterError):
        b.load_municipalities(["16"], designated_city="dissolve")


def test__load_prefectures__all_vintages(raw):
    raw("boundaries", "gmj", "japan.topojson")
    for vintage in ("gmj", "n03_2021", "n03_2025"):
        g = b.load_prefectures(vintage)
        assert g["pref_code"].tolist() == [f"{i:02d}" for i in range(1, 48)], vintage
    assert b.load_prefectures("gmj", pref_codes="HOKURIKU3")["pref_name_ja"].tolist() == ["富山県", "石川県", "福井県"]


def test__load_municipalities__hokuriku_merge_and_wards(raw):
    raw("boundaries", "n03_2025", "16.json")
    m = b.load_municipalities("HOKURIKU3")
    assert m.groupby("pref_code").size().to_dict() == {"16": 15, "17": 19, "18": 17}
    assert m.loc[m["muni_code"] == "16201", "muni_name_ja"].item() == "富山市"
    w = b.load_municipalities(["01", "04"], designated_city="wards")
    assert "01101" in set(w["muni_code"]) and "01100" not in set(w["muni_code"])
    assert w.loc[w["muni_code"] == "04101", "muni_name_ja"].item() == "仙台市青葉区"
    merged = b.load_municipalities(["04"])  # 04.json spells 仙台市 '004100': corrected via layouts/boundaries/code_fixes.csv
    assert merged.loc[merged["muni_code"] == "04100", "is_designated_city"].item()
