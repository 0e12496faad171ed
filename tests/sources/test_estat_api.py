"""e-Stat API 3.0 reader: parsing recorded responses, paging, STATUS errors, appId redaction.

Fixtures: tests/sources/fixtures/estat_api/ (README.md says how each was made); the real recorded
getMetaInfo response is read from the mirror through the manifest (``raw`` fixture).
"""

from __future__ import annotations

import copy
import json
import logging
import urllib.parse

import numpy as np
import pytest

from hokuriku import manifest, paths
from hokuriku.errors import LayoutError, RawDataError
from hokuriku.sources import estat_api
from hokuriku.sources.estat_api import EstatApiError

SECRET = "SeCrEt0123456789appid"


@pytest.fixture
def pages(fixture_path):
    return [json.loads(fixture_path(f"estat_api/getStatsData_0004021110_p00{i}.json").read_text(encoding="utf-8"))
            for i in (1, 2)]


def test__parse_stats_data__joins_labels_across_pages(pages):
    df = estat_api.parse_stats_data(pages)
    assert len(df) == 45
    row = df.iloc[0]
    assert (row["cat01_name"], row["cat02_name"], row["cat03_name"], row["area_name"], row["pref_code"],
            row["time_name"], row["ref_date"], row["unit"], row["value"]) == (
        "男女計", "総人口", "総数", "富山県", "16", "2016年10月1日現在", "2016-10-01", "千人", 1001.0)
    assert df["area_code"].tolist()[:11:5] == ["16000", "17000", "18000"]
    assert df.groupby("cat01_name").size().to_dict() == {"女": 15, "男": 15, "男女計": 15}


def test__parse_stats_data__symbols_are_nan_with_reason_and_note_text(pages):
    df = estat_api.parse_stats_data(pages)
    flagged = df[df["value_note"].notna()]
    assert flagged.index.tolist() == [4, 10, 44]
    assert flagged["value_note"].tolist() == ["nil", "suppressed", "not_applicable"]
    assert flagged["value_note_ja"].tolist() == ["計数のない場合", "秘匿", "該当データなし"]
    assert flagged["value"].isna().all() and not (df["value"] == 0).any()


def test__parse_stats_data__symbol_only_in_note_is_kept_with_estat_note(pages):
    pages = copy.deepcopy(pages)
    data = pages[0]["GET_STATS_DATA"]["STATISTICAL_DATA"]["DATA_INF"]
    data["NOTE"].append({"@char": "p", "$": "速報値のため非公表"})
    data["VALUE"][0]["$"] = "p"
    row = estat_api.parse_stats_data(pages).iloc[0]
    assert np.isnan(row["value"]) and row["value_note"] == "estat_note" and row["value_note_ja"] == "速報値のため非公表"


def test__parse_stats_data__unexplained_symbol_names_row_and_column(pages):
    pages = copy.deepcopy(pages)
    pages[1]["GET_STATS_DATA"]["STATISTICAL_DATA"]["DATA_INF"]["VALUE"][2]["$"] = "?!"
    with pytest.raises(RawDataError, match=r"row 33, column '\$': expected a number or a symbol explained in "
                                           r"DATA_INF.NOTE, found '\?!'"):
        estat_api.parse_stats_data(pages)


def test__parse_stats_data__code_missing_from_class_inf_is_a_layout_error(pages):
    pages = copy.deepcopy(pages)
    pages[0]["GET_STATS_DATA"]["STATISTICAL_DATA"]["DATA_INF"]["VALUE"][3]["@area"] = "15000"
    with pytest.raises(LayoutError, match=r"row 4, column '@area': expected a area code listed in CLASS_INF, found '15000'"):
        estat_api.parse_stats_data(pages)


def test__parse_stats_data__missing_page_is_refused(pages):
    with pytest.raises(RawDataError, match=r"expected 45 records \(RESULT_INF.TOTAL_NUMBER\).*found '30 records"):
        estat_api.parse_stats_data(pages[:1])


def test__parse_stats_data__status_not_zero_is_a_clear_error(fixture_path):
    doc = json.loads(fixture_path("estat_api/getStatsData_error_status100.json").read_text(encoding="utf-8"))
    with pytest.raises(EstatApiError, match="STATUS 100: 認証に失敗しました。アプリケーションIDを確認して下さい。"):
        estat_api.parse_stats_data([doc])


def test__parse_stats_data__meta_from_getmetainfo_when_pages_lack_class_inf(pages, fixture_path):
    bare = copy.deepcopy(pages)
    for p in bare:
        del p["GET_STATS_DATA"]["STATISTICAL_DATA"]["CLASS_INF"]
    meta = json.loads(fixture_path("estat_api/getMetaInfo_0004021110_excerpt.json").read_text(encoding="utf-8"))
    got = estat_api.parse_stats_data(bare, meta)
    assert got.equals(estat_api.parse_stats_data(pages))


def test__parse_meta_info__real_recorded_response(raw):
    df = estat_api.parse(raw("estat_api", "2026-09-15", "getMetaInfo_0004021110.json"), vintage="2026-09-15")
    area = df[df["class_id"] == "area"]
    assert area["code"].tolist() == ["00000"] + [f"{i:02d}000" for i in range(1, 48)]
    assert area.set_index("code").loc["16000", "name"] == "富山県"
    assert df.query("class_id == 'tab'")["unit"].tolist() == ["千人"]
    aged = df.query("class_id == 'cat03' and parent_code == '003'")["name"].tolist()
    assert aged == ["65～74歳", "75歳以上"]
    assert df.query("class_id == 'time'")["code"].tolist() == ["2016", "2017", "2018", "2019", "2020"]


# --- fetching with recorded responses --------------------------------------------------------

def _recorded_getter(fixture_path, calls, *, echo_app_id=True):
    def get(url: str) -> bytes:
        calls.append(url)
        q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
        page = {"1": 1, "31": 2}[q["startPosition"]]
        doc = json.loads(fixture_path(f"estat_api/getStatsData_0004021110_p00{page}.json").read_text(encoding="utf-8"))
        if echo_app_id:  # a proxy or a future API version echoing the request must not leak the key
            doc["GET_STATS_DATA"]["PARAMETER"]["REQUEST_URL"] = url
        return json.dumps(doc).encode()

    return get


@pytest.fixture
def estat_env(tmp_path, monkeypatch):
    monkeypatch.setenv("ESTAT_APP_ID", SECRET)
    monkeypatch.setattr(paths, "RAW", tmp_path / "raw")
    return tmp_path


def test__fetch_stats_data__pages_via_next_key_and_caches_with_manifest(estat_env, fixture_path, caplog):
    calls = []
    with caplog.at_level(logging.DEBUG, logger="hokuriku"):
        df = estat_api.fetch_stats_data("0004021110", {"cdArea": "16000,17000,18000"},
                                        getter=_recorded_getter(fixture_path, calls), vintage="2026-11-24")
    assert len(df) == 45
    starts = [dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(u).query))["startPosition"] for u in calls]
    assert starts == ["1", "31"]
    assert all("limit=100000" in u and "statsDataId=0004021110" in u for u in calls)
    m = manifest.load("estat_api", "2026-11-24")
    assert [e.path for e in m.files] == ["getStatsData_0004021110_p001.json", "getStatsData_0004021110_p002.json"]
    reloaded = estat_api.load("2026-11-24", "0004021110")  # through manifest.path: sha256 verified
    assert reloaded.equals(df)
    assert "startPosition=31" in caplog.text


def test__fetch_stats_data__app_id_never_written_or_logged(estat_env, fixture_path, caplog):
    with caplog.at_level(logging.DEBUG):
        estat_api.fetch_stats_data("0004021110", getter=_recorded_getter(fixture_path, []), vintage="2026-11-24")
    written = [p for p in (estat_env / "raw").rglob("*") if p.is_file()]
    assert len(written) == 3  # two pages + MANIFEST.yml
    for p in written:
        assert SECRET not in p.read_text(encoding="utf-8"), p
    assert "appId=***" in (estat_env / "raw/estat_api/2026-11-24/getStatsData_0004021110_p001.json").read_text()
    assert SECRET not in caplog.text


def test__fetch_stats_data__transport_error_message_is_redacted(estat_env):
    def failing(url):
        raise OSError(f"HTTP Error 503 for {url}")

    with pytest.raises(EstatApiError) as info:
        estat_api.fetch_stats_data("0004021110", getter=failing)
    assert SECRET not in str(info.value) and "appId=***" in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__  # no chained traceback with the URL
    assert not (estat_env / "raw").exists()


def test__fetch_stats_data__status_error_raises_and_caches_nothing(estat_env, fixture_path):
    body = fixture_path("estat_api/getStatsData_error_status100.json").read_bytes()
    with pytest.raises(EstatApiError, match="STATUS 100") as info:
        estat_api.fetch_stats_data("0004021110", getter=lambda url: body)
    assert SECRET not in str(info.value)
    assert not (estat_env / "raw").exists()


def test__fetch_stats_data__without_app_id_says_where_to_put_it(monkeypatch):
    monkeypatch.delenv("ESTAT_APP_ID", raising=False)
    with pytest.raises(EstatApiError, match="ESTAT_APP_ID"):
        estat_api.fetch_stats_data("0004021110", getter=lambda url: pytest.fail("no request without appId"))
