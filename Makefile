# Every target sets up what it needs: a .venv made from the first Python 3.11+
# found, with this project installed (editable) and its pinned tools.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3.13 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The Airflow provider's tests run in a venv of their own with a pinned Airflow
# (~300 MB), so that .venv stays light; made on first use, then reused.
AIRFLOW_VENV := .venv-airflow
AIRFLOW_STAMP := $(AIRFLOW_VENV)/.installed-stamp
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install generate check-generated lint format typecheck unit test-airflow test contract-live spec-diff demo bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed, found " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install the project with its dev tools

generate: $(STAMP) ## regenerate generated/ from openapi.yaml and the sync client from _async/
	$(BIN)/python scripts/generate.py
	$(BIN)/python scripts/generate_sync.py
	$(BIN)/python scripts/ship_spec.py

check-generated: $(STAMP) ## fail, naming the files, when generated/ or _sync/ is out of date
	$(BIN)/python scripts/generate.py --check
	$(BIN)/python scripts/generate_sync.py --check
	$(BIN)/python scripts/ship_spec.py --check

lint: $(STAMP) ## ruff (lint and format check) on the hand-written code
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: $(STAMP) ## mypy --strict on the hand-written code
	$(BIN)/mypy

unit: $(STAMP) ## the offline test suite only (tests/ and contract_tests/)
	$(BIN)/python -m pytest -m "not live"

$(AIRFLOW_STAMP): pyproject.toml constraints-airflow.txt
	@test -x $(AIRFLOW_VENV)/bin/python || $(PYTHON) -m venv $(AIRFLOW_VENV)
	$(AIRFLOW_VENV)/bin/python -m pip install --quiet --upgrade "pip>=24"
	$(AIRFLOW_VENV)/bin/python -m pip install --quiet -c constraints-airflow.txt -e '.[airflow,server]' pytest pytest-timeout pytest-xdist
	@touch $@

# Two processes, one file each at a time: the 200-sensor run beside the others.
test-airflow: $(AIRFLOW_STAMP) ## the Airflow provider's DAG tests, in .venv-airflow (pinned Airflow)
	$(AIRFLOW_VENV)/bin/python -m pytest --confcutdir=tests/airflow_provider -n 2 --dist loadfile --no-loadscope-reorder tests/airflow_provider

test: lint typecheck check-generated unit test-airflow ## everything CI runs: lint, types, generated drift, all offline tests

# The shipped check, as users run it (docs/contract-checks.md); the opt-in pytest
# live tests stay: `$(BIN)/python -m pytest contract_tests -m live`.
contract-live: $(STAMP) ## the shipped contract check against the real API (needs COMPANYENRICH_API_KEY)
	$(BIN)/companyenrich-export check $(CHECK_ARGS)

spec-diff: $(STAMP) ## compare a vendor OpenAPI document (VENDOR=path) with openapi.yaml
	@test -n "$(VENDOR)" || { echo "usage: make spec-diff VENDOR=vendor-openapi.json" >&2; exit 2; }
	$(BIN)/python scripts/spec_diff.py "$(VENDOR)"

demo: $(STAMP) ## the main job, end to end, against the built-in fake server
	$(BIN)/python -m companyenrich_export.demo

bench: $(STAMP) ## benchmarks: prints figures and ratios against baselines
	$(BIN)/python -m benchmarks

clean: ## remove the virtual environment and caches
	rm -rf $(VENV) $(AIRFLOW_VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis build dist
