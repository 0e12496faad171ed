"""One module per official publication (pandas-datareader / PUDL ``extract`` pattern).

Each module ``hokuriku.sources.<id>`` has the same public surface:

- ``SOURCE``: the id, equal to the ``data/raw/<id>/`` folder;
- ``DEFAULT_VINTAGE``: the vintage used when none is given;
- ``parse(path, *, vintage, ...) -> DataFrame``: pure, no network, tidy output;
- ``load(vintage=DEFAULT_VINTAGE, ...) -> DataFrame``: resolve via :mod:`hokuriku.manifest`,
  parse, validate;
- ``TABLES``: ``{table_name: callable(vintage) -> DataFrame}``, the processed tables that
  ``make data`` writes to ``data/processed/core/<id>/<vintage>/<table_name>.parquet``.
- optional ``tables_for(vintage) -> list[str]``: the subset of ``TABLES`` a vintage carries (``juki``: the
  derived CSV vintages have ``population`` only). ``DEFAULT_VINTAGE = "latest"`` means the newest declared
  vintage (:func:`hokuriku.store.latest_vintage`).

:data:`SOURCES` is the registry (the ``sdmx`` ``sources.json`` idea): id → module path.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from hokuriku.errors import HokurikuError

SOURCES: dict[str, str] = {}
"""Registered sources: id → importable module name. Filled by :func:`register` below."""


def register(source_id: str, module: str) -> None:
    SOURCES[source_id] = module


def get(source_id: str) -> ModuleType:
    """Import and return the module of a registered source."""
    try:
        module = SOURCES[source_id]
    except KeyError:
        msg = f"Unknown source {source_id!r}; registered: {sorted(SOURCES)}"
        raise HokurikuError(msg) from None
    return importlib.import_module(module)


# Registry: one line per publication. Keep alphabetical.
for _id in (
    "boundaries",
    "census",
    "census_panel",
    "census_pref_age5",
    "ess_muni",
    "estat_api",
    "gsi_menseki",
    "io_mic_2015",
    "io_miyazaki",
    "io_regional_12",
    "ipss_projection",
    "juki",
    "kenmin_keizai",
    "kenmin_keizai_activity",
    "kogyo_tokei",
    "muni_converter",
    "rieti_manu",
    "ssds_iwate",
    "ssdse_a",
    "ssdse_b",
):
    register(_id, f"hokuriku.sources.{_id}")
