"""census_pref_age5 loader (国勢調査 時系列 表3) on an excerpt in the official layout and on bad input."""

from __future__ import annotations

import pytest

from hokuriku.errors import EncodingError, LayoutError, RawDataError
from hokuriku.sources import census_pref_age5 as src


@pytest.fixture
def excerpt(fixture_path):
    return fixture_path("census_pref_age5/c03_excerpt.csv")


def _write(tmp_path, text: str, encoding: str = "cp932"):
    p = tmp_path / "c03.csv"
    p.write_bytes(text.encode(encoding))
    return p


def _lines(excerpt) -> list[str]:
    return excerpt.read_bytes().decode("cp932").splitlines()


def test__parse__toyama_2015_bands_open_band_and_explicit_unknown(excerpt):
    df = src.parse(excerpt)
    t = df[(df["pref_code"] == "16") & (df["year"] == 2015)]
    total = t[t["age_kind"] == "total"].set_index("sex")["population_persons"]
    assert total.to_dict() == {"total": 1_066_328, "male": 515_147, "female": 551_181}
    bands = t[(t["sex"] == "total") & t["age_kind"].isin(["age5", "open"])]
    assert len(bands) == 18 and bands["age_class"].iloc[-1] == "85歳以上" and bands["age_to"].isna().iloc[-1]
    unknown = t[(t["age_kind"] == "unknown")].set_index("sex")
    # 年齢不詳 = 総数 − Σ bands, explicit and flagged as derived
    assert unknown.loc["total", "population_persons"] == 1_066_328 - bands["population_persons"].sum() == 9_036
    assert (unknown["value_note"] == src.UNKNOWN_NOTE).all()
    assert (t["age_reckoning"] == "mannenrei").all() and (t["ref_date"].dt.month == 10).all()


def test__parse__1945_is_kazoedoshi_and_not_shifted(excerpt):
    df = src.parse(excerpt)
    d = df[(df["year"] == 1945) & (df["sex"] == "total") & (df["age_kind"] != "total")]
    assert (d["age_reckoning"] == "kazoedoshi").all()
    assert d["age_class"].iloc[0] == "1～5歳" and d["age_from"].iloc[0] == 1
    assert d[d["age_kind"] == "open"]["age_class"].tolist() == ["86歳以上"]
    assert (d["ref_date"].dt.month == 11).all()


def test__parse__okinawa_1950_open_band_at_70(excerpt):
    df = src.parse(excerpt)
    d = df[(df["pref_code"] == "47") & (df["year"] == 1950) & (df["sex"] == "female")]
    assert d[d["age_kind"] == "open"]["age_class"].tolist() == ["70歳以上"]
    assert d["age_from"].max() == 70


def test__bad_input__truncated_row_names_file_and_row(excerpt, tmp_path):
    lines = _lines(excerpt)
    lines[5] = ",".join(lines[5].split(",")[:7])
    with pytest.raises(RawDataError, match=r"c03\.csv.*row 6.*9 fields"):
        src.parse(_write(tmp_path, "\n".join(lines)))


def test__bad_input__symbol_where_a_count_should_be(excerpt, tmp_path):
    lines = _lines(excerpt)
    cells = lines[3].split(",")
    cells[7] = "X"
    lines[3] = ",".join(cells)
    with pytest.raises(RawDataError, match=r"row 4, column '人口（男）'.*found 'X'"):
        src.parse(_write(tmp_path, "\n".join(lines)))


def test__bad_input__renamed_header(excerpt, tmp_path):
    lines = _lines(excerpt)
    lines[0] = lines[0].replace("年齢5歳階級", "年齢階級")
    with pytest.raises(LayoutError, match="年齢5歳階級"):
        src.parse(_write(tmp_path, "\n".join(lines)))


def test__bad_input__missing_band_and_duplicated_band(excerpt, tmp_path):
    lines = _lines(excerpt)
    gone = [ln for ln in lines if not ln.startswith("16,富山県,40～44歳,平成")]
    with pytest.raises(RawDataError, match="starting at 40"):
        src.parse(_write(tmp_path, "\n".join(gone)))
    dup = lines[:30] + [lines[29]] + lines[30:]
    with pytest.raises(RawDataError, match="each age band once"):
        src.parse(_write(tmp_path, "\n".join(dup)))


def test__bad_input__bands_exceeding_total_and_data_after_footnote(excerpt, tmp_path):
    lines = _lines(excerpt)
    i = next(k for k, ln in enumerate(lines) if ln.startswith("16,富山県,総数,平成"))
    cells = lines[i].split(",")
    cells[6:9] = ["1000000", "500000", "500000"]
    bad = lines[:i] + [",".join(cells)] + lines[i + 1:]
    with pytest.raises(RawDataError, match="Σ age bands ≤ 総数"):
        src.parse(_write(tmp_path, "\n".join(bad)))
    with pytest.raises(RawDataError, match="after the footnote"):
        src.parse(_write(tmp_path, "\n".join([*lines, lines[1]])))


def test__bad_input__utf8_bytes_are_refused(excerpt, tmp_path):
    with pytest.raises(EncodingError, match="c03.csv"):
        src.parse(_write(tmp_path, "\n".join(_lines(excerpt)), encoding="utf-8"))


def test__validate__missing_prefecture_is_an_error(excerpt):
    df = src.parse(excerpt)
    with pytest.raises(RawDataError, match="47 prefectures"):
        src.validate(df)


@pytest.mark.parametrize(("line", "label", "message"), [
    (21, None, r"row 21, column '年齢5歳階級'.*one 総数 row for prefecture 16, 2015"),  # 総数 deleted
    (22, None, r"row 22, column '年齢5歳階級'.*age bands from 0 \(1 in 数え年\) for prefecture 16, 2015.*'5～9歳'"),
    (30, "40歳以上", r"row 30, column '年齢5歳階級'.*the open band \(…歳以上\) last.*'40歳以上'"),
    (25, "15～18歳", r"row 25, column '年齢5歳階級'.*a 5-year band.*'15～18歳'"),
    (39, "85～89歳", r"row 39, column '年齢5歳階級'.*an open last band \(…歳以上\) for prefecture 16, 2015"),
])
def test__bad_input__each_band_rule_names_file_row_and_band(excerpt, tmp_path, line, label, message):
    """The vectorised band check refuses each broken rule with the row of the offending band."""
    lines = _lines(excerpt)
    if label is None:
        del lines[line - 1]
    else:
        cells = lines[line - 1].split(",")
        cells[2] = label
        lines[line - 1] = ",".join(cells)
    with pytest.raises(RawDataError, match=r"c03\.csv.*" + message):
        src.parse(_write(tmp_path, "\n".join(lines)))


def test__parse__array_path_equals_the_pandas_frames_path(excerpt, monkeypatch):
    """The long table assembled from the wide arrays equals the one built by pandas concat/groupby/sort
    (the path taken when 年齢不詳 cannot be summed in integers), row for row and dtype for dtype."""
    import pandas as pd

    fast = src.parse(excerpt)
    monkeypatch.setattr(src, "_unknown_wide", lambda *args, **kwargs: None)
    pd.testing.assert_frame_equal(fast, src.parse(excerpt), check_exact=True)


def test__parse__csv_reader_path_equals_the_arrow_path(excerpt, monkeypatch):
    """Text that needs csv.reader (here forced) gives the same table as the Arrow cells."""
    import pandas as pd

    fast = src.parse(excerpt)
    monkeypatch.setattr(src._parse, "csv_arrow", lambda text: None)
    pd.testing.assert_frame_equal(fast, src.parse(excerpt), check_exact=True)
