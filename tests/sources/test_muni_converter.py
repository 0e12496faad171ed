"""Source tests of hokuriku.sources.muni_converter (fixture: fixtures/muni_converter/README.md)."""

import pandas as pd
import pytest

from hokuriku.codes import municipalities
from hokuriku.errors import EncodingError, LayoutError, RawDataError
from hokuriku.sources import muni_converter

EXCERPT = "muni_converter/municipality_converter_excerpt.csv"


def test__parse__crosswalk_long(fixture_path):
    df = muni_converter.parse(fixture_path(EXCERPT))
    assert set(df["snapshot_year"]) == {1980, 1985, 1990, 1995, 2000, 2005, 2010, 2015, 2020}
    assert (df["ref_date"] == df["snapshot_year"].astype(str) + "-10-01").all()
    osawano = df[df["merge_id"] == "16301"].set_index("snapshot_year")["muni_code"]
    assert osawano[2000] == "16301"
    assert osawano[2005] == "16201"
    # 11244 (さいたま市 2001-2003) exists only as a merge_id: no snapshot row.
    assert df.loc[df["merge_id"] == "11244", "snapshot_year"].min() == 2005
    mapping = municipalities.crosswalk_map(df, 2010)
    assert mapping["11244"] == "11100"
    assert mapping["16364"] == "16201"


def test__parse__notes(fixture_path):
    notes = muni_converter.parse(fixture_path(EXCERPT), table="notes")
    toyama = notes[(notes["merge_id"] == "16201") & (notes["note_type"] == "merge_consolidation")]["note"].item()
    assert toyama.startswith("2005年4月1日") and "細入村(16364)" in toyama


def test__parse__renamed_header(fixture_path, tmp_path):
    bad = tmp_path / "c.csv"
    bad.write_text(fixture_path(EXCERPT).read_text(encoding="utf-8").replace("id_muni2005", "id_muni_2005", 1),
                   encoding="utf-8")
    with pytest.raises(LayoutError, match="header 'id_muni2005'"):
        muni_converter.parse(bad)


def test__parse__cp932_bytes_raise_encoding_error(fixture_path, tmp_path):
    bad = tmp_path / "c.csv"
    bad.write_bytes(fixture_path(EXCERPT).read_text(encoding="utf-8").encode("cp932"))
    with pytest.raises(EncodingError, match="CP932"):
        muni_converter.parse(bad)


def test__parse__truncated_line_and_bad_code(fixture_path, tmp_path):
    text = fixture_path(EXCERPT).read_text(encoding="utf-8")
    cut = tmp_path / "cut.csv"
    cut.write_text(text[: len(text) - 300], encoding="utf-8")
    with pytest.raises(RawDataError, match="26 fields per row"):
        muni_converter.parse(cut)
    bad = tmp_path / "bad.csv"
    bad.write_text(text.replace("\n16301,16301,", "\n16301,16-01,", 1), encoding="utf-8")
    with pytest.raises(RawDataError, match=r"row 6, column 'id_muni1980'.*16-01"):
        muni_converter.parse(bad)


def test__load__full_converter(raw):
    raw("muni_converter", "2020", "municipality_converter_jp.csv")
    df = muni_converter.load()
    assert df["merge_id"].nunique() == 3627
    # Municipalities on 1 Oct 2020: 1,718 市町村 + 23 特別区 = 1,741 (政令市 as whole cities).
    assert df.loc[df["snapshot_year"] == 2020, "muni_code"].nunique() == 1741
    assert df["muni_code"].map(municipalities.validate_code5).notna().all()


def test__parse__bad_code_is_reported_at_its_first_row(fixture_path, tmp_path):
    """Codes are checked once per distinct value: the error still names the first row holding the bad one."""
    text = fixture_path(EXCERPT).read_text(encoding="utf-8")
    lines = text.split("\n")
    first, second = 4, 7  # 0-based lines → file rows 5 and 8
    for k in (second, first):
        lines[k] = lines[k].split(",", 1)[0] + ",9x9," + lines[k].split(",", 2)[2]
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(RawDataError, match=r"row 5, column 'id_muni1980'.*9x9"):
        muni_converter.parse(bad)


def test__validate__code_with_two_successors_is_refused():
    df = pd.DataFrame({"merge_id": ["16201", "16202", "16203", "16201", "16202", "16203"],
                       "snapshot_year": [2000, 2000, 2000, 2005, 2005, 2005],
                       "muni_code": ["16201", "16201", "16203", "16201", "16202", "16203"]})
    with pytest.raises(RawDataError, match=r"one successor per 2000 code in 2005.*16201"):
        muni_converter.validate(df)
    muni_converter.validate(df.assign(muni_code=df["merge_id"]))


def test__names__joined_normalisation_equals_nfkc_one_by_one():
    import pandas as pd

    from hokuriku.sources import _parse, muni_converter

    names = ["北海道 札幌市", "\u0301東京都", "ｶﾞ県　", " 富山県 ｶ\u3099", "Ⅻ町", "a\u0308", "", "大阪府\u3000堺市"]
    assert muni_converter._names(pd.Series(names * 2)) == [_parse.nfkc(n) for n in names * 2]


def test__codes__vectorised_padding_equals_code_one_by_one(tmp_path):
    import pandas as pd

    from hokuriku.errors import RawDataError
    from hokuriku.sources import muni_converter

    cells = ["1100", "16201", "", "0", "47999", "48001", "１６２０１", " 1100", "+1100", "123456", "1_100", "00100"]
    expected = []
    for i, c in enumerate(cells):
        try:
            expected.append(muni_converter._code(c, path=tmp_path, row=i + 2, column="x"))
        except RawDataError as exc:
            expected.append(str(exc))
    for i, c in enumerate(cells):
        try:
            got = muni_converter._codes(pd.Series([c]), path=tmp_path, column="x")[0]
        except RawDataError as exc:
            got = str(exc).replace("row 2", f"row {i + 2}")
        assert got == expected[i], c
