# hokuriku — self-documenting Makefile (`make help`). The Makefile is the DAG; no logic lives in
# recipes: every step is a `python -m hokuriku …` call that the CLI also offers.

.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON_BOOT ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
REGION ?= HOKURIKU3
# Regions built by `make reports-all` (the default region plus the tested alternatives);
# `make reports-all REGIONS="…"` sweeps any list (e.g. every 経済産業局 and the 47 prefectures).
REGIONS_ALL ?= HOKURIKU3 HOKURIKU4 CHUBU_METI 16
REGIONS ?= $(REGIONS_ALL)
# `make reports-sweep`: every 経済産業局 and the 47 prefectures (one sweep, wall time and efficiency printed).
SWEEP_REGIONS := HOKKAIDO_METI TOHOKU_METI KANTO_METI CHUBU_METI KINKI_METI CHUGOKU_METI SHIKOKU_METI \
	KYUSHU_METI OKINAWA_METI $(shell seq -w 1 47)
# REGION/REGIONS are data, never shell text: recipes receive them in the environment
# ($(value …) is not expanded by make, the environment is not parsed by the shell) and the CLI
# validates them as region names.
unexport REGION REGIONS
raw_value = $(if $(filter command line environment environment override,$(origin $1)),$(value $1),$($1))

# The local mirror of official files (CI and tests: ../shared/datasets). Override on the command line.
ifeq ($(origin HOKURIKU_MIRROR), undefined)
ifneq ($(wildcard ../shared/datasets/MANIFEST.md),)
export HOKURIKU_MIRROR := $(abspath ../shared/datasets)
endif
endif
export MPLBACKEND := Agg

STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml
	@$(PYTHON_BOOT) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || { echo "error: Python 3.11 is required (found: $(PYTHON_BOOT)); set PYTHON_BOOT=/path/to/python3.11"; exit 1; }
	$(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

## env: create .venv and install the package with pinned dependencies
env: $(STAMP)

## verify-raw: hash every raw file (data/raw, mirror) against its manifest
verify-raw: $(STAMP)
	$(PY) -m hokuriku verify-raw

## fetch: download every raw file that is missing (sha256 and size verified; lists what could not be got)
fetch: $(STAMP)
	$(PY) -m hokuriku fetch

## bundle: write a mirror folder BUNDLE_DIR (default ../hokuriku-mirror) of the raw files present, for offline machines
BUNDLE_DIR ?= ../hokuriku-mirror
bundle: $(STAMP)
	$(PY) -m hokuriku bundle "$(BUNDLE_DIR)"

## data: build tidy parquet tables in data/processed from the raw files (no-op when up to date)
data: $(STAMP)
	$(PY) -m hokuriku data
	@mkdir -p $(dir $(DATA_STAMP)) && touch $(DATA_STAMP)

# What the processed tables depend on (package code, layout and code tables, manifests): when none
# is newer than the stamp, `make reports` skips starting Python for `data` (the store's own
# fingerprints still decide table by table whenever it runs).
DATA_STAMP := data/processed/.make-data.stamp
DATA_INPUTS := $(shell find hokuriku data/raw -type f \( -name '*.py' -o -name '*.csv' -o -name '*.yml' -o -name '*.yaml' \) -not -path '*/__pycache__/*' 2>/dev/null)
$(DATA_STAMP): $(STAMP) $(DATA_INPUTS)
	$(PY) -m hokuriku data
	@mkdir -p $(@D) && touch $@

## reports: run every notebook for REGION (default HOKURIKU3) into reports/
reports: export HOKURIKU_REGIONS := $(call raw_value,REGION)
reports: $(DATA_STAMP)
	$(PY) -m hokuriku reports --site

## reports-all: run every notebook for REGIONS (a sweep: prints wall time and parallel efficiency)
reports-all: export HOKURIKU_REGIONS := $(call raw_value,REGIONS)
reports-all: $(DATA_STAMP)
	$(PY) -m hokuriku reports --site

## reports-sweep: run every notebook for every 経済産業局 and the 47 prefectures (long: 56 regions)
reports-sweep: export HOKURIKU_REGIONS := $(SWEEP_REGIONS)
reports-sweep: $(DATA_STAMP)
	$(PY) -m hokuriku reports --site

## deck: assemble the 16:9 PPTX slide deck of REGION from its reports
deck: export HOKURIKU_REGIONS := $(call raw_value,REGION)
deck: $(STAMP)
	$(PY) -m hokuriku deck

## test: run the whole test suite (strict: missing raw data fails under CI)
test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

## bench: speed and memory benchmarks, printing ratios
bench: $(STAMP)
	$(PY) -m benchmarks

## lint: notebook hygiene and code style
lint: $(STAMP)
	$(PY) -m ruff check --select F,E9 hokuriku tests benchmarks
	$(PY) -m pytest tests/notebooks/test_notebook_lint.py -q

## clean: remove processed tables and reports (raw data is never touched)
clean:
	rm -rf data/processed/core data/processed/out reports/*/

## help: list targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed -e 's/^## /  make /' -e 's/: /\t/'

.PHONY: env verify-raw fetch bundle data reports reports-all reports-sweep deck test bench lint clean help
