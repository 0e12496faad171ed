"""Shared test fixtures.

Raw data: tests that need official files call :func:`raw` (or use the ``raw`` fixture). When a
file is missing they *skip* locally and *fail* under ``--strict-data-files`` or ``CI=true``
(pandas-datareader's ``datapath`` pattern). The mirror defaults to ``../shared/datasets``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MIRROR = ROOT.parent / "shared" / "datasets"
if "HOKURIKU_MIRROR" not in os.environ and DEFAULT_MIRROR.is_dir():
    os.environ["HOKURIKU_MIRROR"] = str(DEFAULT_MIRROR)
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.pop("HOKURIKU_ALLOW_DOWNLOAD", None)  # tests never use the network

FIXTURES = ROOT / "tests" / "sources" / "fixtures"


def pytest_addoption(parser):
    parser.addoption("--strict-data-files", action="store_true", help="fail, not skip, when raw data is missing")


def _strict(config) -> bool:
    return bool(config.getoption("--strict-data-files")) or os.environ.get("CI", "").lower() in ("1", "true")


@pytest.fixture
def raw(request):
    """``raw(source, vintage, filename) -> Path``: a verified raw file, or skip/fail if absent."""
    from hokuriku import manifest
    from hokuriku.errors import MissingRawDataError

    def get(source: str, vintage: str, name: str) -> Path:
        try:
            return manifest.path(source, vintage, name, download=False)
        except MissingRawDataError as exc:
            if _strict(request.config):
                pytest.fail(str(exc))
            pytest.skip(f"raw data missing: {source}/{vintage}/{name}")

    return get


@pytest.fixture
def fixture_path():
    """``fixture_path("<source>/<file>") -> Path`` inside tests/sources/fixtures."""

    def get(rel: str) -> Path:
        p = FIXTURES / rel
        assert p.exists(), f"missing test fixture {p}"
        return p

    return get


@pytest.fixture
def tmp_project(tmp_path, monkeypatch):
    """Point processed/report folders at a temporary directory (raw manifests stay real)."""
    from hokuriku import paths

    monkeypatch.setattr(paths, "PROCESSED", tmp_path / "processed")
    monkeypatch.setattr(paths, "REPORTS", tmp_path / "reports")
    return tmp_path


# Property-based tests (hypothesis): a bounded, deterministic profile for CI (about a minute in total for
# every loader's fuzz test), a slightly larger random one locally. HYPOTHESIS_PROFILE overrides.
try:
    from hypothesis import HealthCheck, settings

    _fuzz = dict(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow,
                                                                      HealthCheck.function_scoped_fixture])
    settings.register_profile("ci", max_examples=20, derandomize=True, print_blob=True, **_fuzz)
    settings.register_profile("dev", max_examples=30, **_fuzz)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                          or ("ci" if os.environ.get("CI", "").lower() in ("1", "true") else "dev"))
except ImportError:  # hypothesis is a test extra; without it only the fuzz tests are skipped
    pass
