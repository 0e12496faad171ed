"""Named areas: shipped file, members, and errors that name the line and key."""

from __future__ import annotations

import textwrap

import pytest

from hokuriku.codes import areas
from hokuriku.errors import InputError


def _write(tmp_path, text):
    p = tmp_path / "areas.yml"
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def test__load_areas__shipped_file_has_nri_areas():
    a = areas.load_areas()
    kb = a["kitakami_basin"]
    assert kb.name_ja == "北上川流域"
    assert set(kb.groups) == {"岩手中部", "胆江", "両磐", "登米"}
    assert kb.groups["胆江"] == ("03215", "03381")  # 奥州市, 金ケ崎町 (金ケ崎 is 胆江, not 岩手中部)
    assert "04212" in kb.members and kb.pref_codes == ("03", "04")
    assert a["hokusei"].members == ("24202", "24205", "24207", "24210", "24214", "24303", "24324", "24341", "24343", "24344")
    assert a["hokuriku3"].members == ("16", "17", "18") and not a["hokuriku3"].is_municipal
    assert all(m.source for ar in a.values() for m in ar.milestones)
    assert areas.get("北勢地域", a).key == "hokusei"


def test__membership__records_group_and_name():
    rec = areas.load_areas()["kitakami_basin"].membership()
    kitakami = next(r for r in rec if r["muni_code"] == "03206")
    assert kitakami == {"area_id": "kitakami_basin", "muni_code": "03206", "group": "岩手中部", "member_name": "北上市",
                        "from_year": None, "until_year": None}


def test__kitakami_basin__hasama_counted_from_2000_as_nri():
    kb = areas.load_areas()["kitakami_basin"]
    assert kb.periods == {"04212": (2000, None)}
    assert "04212" not in kb.members_in(1995) and "04212" in kb.members_in(2000)
    assert kb.is_member("03206", 1980) and not kb.is_member("04212", 1999)
    assert kb.membership_note_ja() == "登米市（迫地区）は2000年から合算"
    assert kb.nri["definition"] == "岩手中部地区、胆江地区、両磐地区、迫地区(2000-)の合計値"
    assert len(kb.nri["industries"]) == 10 and kb.nri["source"] == "工業統計調査、各種公開情報よりNRI作成"
    a = areas.load_areas()
    assert a["hamamatsu"].nri["years"] == [1995, 2020] and a["hiroshima"].nri["figure"].startswith("図表9")


@pytest.mark.parametrize(("member", "pattern"), [
    ('{name: X市, from: "2000"}', r"members\.03206\.from\): expected a year"),
    ("{name: X市, from: 2005, until: 2000}", r"expected from ≤ until"),
    ("{name: X市, since: 2000}", r"keys name, from, until"),
])
def test__load_areas__bad_member_period(tmp_path, member, pattern):
    p = _write(tmp_path, f"""\
        areas:
          x: {{name_ja: X, kind: municipalities, boundary_date: 2020-10-01, members: {{"03206": {member}}}}}
        """)
    with pytest.raises(InputError, match=pattern):
        areas.load_areas(p)


def test__load_areas__nri_block_needs_definition_and_source(tmp_path):
    p = _write(tmp_path, """\
        areas:
          x: {name_ja: X, kind: prefectures, members: ["16"], nri: {figure: 図表1}}
        """)
    with pytest.raises(InputError, match=r"areas\.x\.nri.*figure, definition and source"):
        areas.load_areas(p)


def test__load_areas__bad_code_names_line_and_key(tmp_path):
    p = _write(tmp_path, """\
        areas:
          x:
            name_ja: X
            kind: municipalities
            boundary_date: 2020-10-01
            members: ["03206", "3206"]
        """)
    with pytest.raises(InputError, match=r"line 6 \(areas\.x\.members\[1\]\).*5-digit.*'3206'"):
        areas.load_areas(p)


def test__load_areas__unknown_code_with_known_list(tmp_path):
    p = _write(tmp_path, """\
        areas:
          x: {name_ja: X, kind: municipalities, boundary_date: 2020-10-01, members: {"03206": 北上市, "03299": 架空市}}
        """)
    with pytest.raises(InputError, match=r"areas\.x\.members\.03299.*valid at the area's boundary_date"):
        areas.load_areas(p, known_codes={"03206"})
    assert areas.load_areas(p)["x"].members == ("03206", "03299")  # format-valid without a code list


def test__load_areas__malformed_yaml_names_line(tmp_path):
    p = _write(tmp_path, "areas:\n  x: {name_ja: X\n  y: 1\n")
    with pytest.raises(InputError, match="malformed YAML at line"):
        areas.load_areas(p)


@pytest.mark.parametrize(
    ("body", "pattern"),
    [
        ("x: {name_ja: X, kind: towns, members: ['16']}", r"areas\.x\.kind.*one of"),
        ("x: {name_ja: X, kind: municipalities, members: ['16201']}", "boundary_date"),
        ("x: {name_ja: X, kind: prefectures, members: ['16', '99']}", "prefecture 01–47"),
        ("x: {name_ja: X, kind: prefectures, region: NOWHERE}", r"areas\.x\.region"),
        ("x: {name_ja: X, kind: prefectures, members: ['16'], milestones: [{year: 1984, label: テクノポリス}]}",
         r"milestones\[0\].*source"),
        ("X-1: {name_ja: X, kind: prefectures, members: ['16']}", "lower-case ASCII"),
    ],
)
def test__load_areas__invalid_definitions(tmp_path, body, pattern):
    p = _write(tmp_path, "areas:\n  " + body + "\n")
    with pytest.raises(InputError, match=pattern):
        areas.load_areas(p)


def test__load_areas__region_reference_resolves(tmp_path):
    p = _write(tmp_path, "areas:\n  h4: {name_ja: 北陸4県, kind: prefectures, region: HOKURIKU4}\n")
    assert areas.load_areas(p)["h4"].members == ("15", "16", "17", "18")
