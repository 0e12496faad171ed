"""Issue #11, deliverable 5: the e-Stat appId never reaches stderr, logs, manifests or cached pages,
and redaction works on the JSON structure and URL query (never corrupting data by substring)."""

from __future__ import annotations

import json
import logging
import urllib.parse

import pytest

from hokuriku import cli, paths
from hokuriku.sources import estat_api
from hokuriku.sources.estat_api import EstatApiError

SECRET = "0123456789abcdef0123456789abcdef01234567"  # the length of a real appId


def _getter(fixture_path, *, echo=None):
    def get(url: str) -> bytes:
        q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
        page = {"1": 1, "31": 2}[q["startPosition"]]
        doc = json.loads(fixture_path(f"estat_api/getStatsData_0004021110_p00{page}.json").read_text(encoding="utf-8"))
        if echo:
            echo(doc, url, q["appId"])
        return json.dumps(doc, ensure_ascii=False).encode()

    return get


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "RAW", tmp_path / "raw")
    return tmp_path


def _written_text(root):
    return "\n".join(p.read_text(encoding="utf-8") for p in (root / "raw").rglob("*") if p.is_file())


def test__cli__app_id_in_estat_param_is_refused_without_echoing_it(env, monkeypatch, capsys, caplog):
    monkeypatch.setenv("ESTAT_APP_ID", SECRET)
    monkeypatch.setattr(estat_api, "_urllib_get", lambda url: pytest.fail("no request with appId in the params"))
    with caplog.at_level(logging.DEBUG):
        rc = cli.main(["fetch", "--estat", "0004021110", "--estat-param", f"appId={SECRET}",
                       "--estat-param", "cdArea=16000"])
    err = capsys.readouterr()
    assert rc == 2
    assert "appId" in err.err and "ESTAT_APP_ID" in err.err and len(err.err.strip().splitlines()) == 1
    assert SECRET not in err.err + err.out + caplog.text
    assert not (env / "raw").exists()


@pytest.mark.parametrize("name", ["appId", "APPID", " appid "])
def test__fetch_stats_data__app_id_param_refused_in_any_case(env, monkeypatch, name):
    monkeypatch.setenv("ESTAT_APP_ID", SECRET)
    with pytest.raises(EstatApiError, match="ESTAT_APP_ID") as info:
        estat_api.fetch_stats_data("0004021110", {name: "other-key-value"}, getter=lambda url: pytest.fail("request"))
    assert "other-key-value" not in str(info.value)


def test__fetch_stats_data__short_app_id_equal_to_a_value_does_not_corrupt_the_cached_page(env, monkeypatch,
                                                                                           fixture_path):
    """The old substring replace turned the value "1001" into "***" when the appId was "1001"."""
    monkeypatch.setenv("ESTAT_APP_ID", "1001")
    df = estat_api.fetch_stats_data("0004021110", getter=_getter(fixture_path), vintage="2026-11-24")
    cached = env / "raw/estat_api/2026-11-24/getStatsData_0004021110_p001.json"
    original = json.loads(fixture_path("estat_api/getStatsData_0004021110_p001.json").read_text(encoding="utf-8"))
    assert json.loads(cached.read_text(encoding="utf-8")) == original
    assert 1001.0 in df["value"].tolist()
    assert estat_api.load("2026-11-24", "0004021110")["value"].equals(df["value"])


def test__fetch_stats_data__echoed_app_id_redacted_in_keys_urls_and_messages(env, monkeypatch, fixture_path, caplog):
    def echo(doc, url, app_id):
        param = doc["GET_STATS_DATA"]["PARAMETER"]
        param["appId"] = app_id
        param["REQUEST_URL"] = url
        param["NOTE"] = f"request with appId={app_id} accepted"

    monkeypatch.setenv("ESTAT_APP_ID", SECRET)
    with caplog.at_level(logging.DEBUG):
        df = estat_api.fetch_stats_data("0004021110", {"cdArea": "16000,17000,18000"},
                                        getter=_getter(fixture_path, echo=echo), vintage="2026-11-24")
    written = _written_text(env)
    assert SECRET not in written and SECRET not in caplog.text
    page = json.loads((env / "raw/estat_api/2026-11-24/getStatsData_0004021110_p001.json").read_text(encoding="utf-8"))
    param = page["GET_STATS_DATA"]["PARAMETER"]
    assert param["appId"] == "***" and "appId=***" in param["NOTE"]
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(param["REQUEST_URL"]).query))
    assert query["appId"] == "***" and query["cdArea"] == "16000,17000,18000" and query["statsDataId"] == "0004021110"
    assert len(df) == 45
    assert "appId omitted" in (env / "raw/estat_api/2026-11-24/MANIFEST.yml").read_text(encoding="utf-8")


def test__fetch_stats_data__non_json_answer_is_a_project_error_without_the_body(env, monkeypatch):
    monkeypatch.setenv("ESTAT_APP_ID", SECRET)
    with pytest.raises(EstatApiError, match="invalid JSON") as info:
        estat_api.fetch_stats_data("0004021110", getter=lambda url: f"<html>{url}</html>".encode())
    assert SECRET not in str(info.value)
    assert not (env / "raw").exists()


def test__redact_url__only_the_app_id_parameter_changes():
    url = f"https://api.e-stat.go.jp/rest/3.0/app/json/getStatsData?appId={SECRET}&cdArea=16000,17000&limit=10"
    out = estat_api._redact_url(url)
    assert SECRET not in out
    assert dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(out).query)) == {
        "appId": "***", "cdArea": "16000,17000", "limit": "10"}
