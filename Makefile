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
# Bytecode caches are written (into .venv and the git-ignored __pycache__ folders)
# even where the environment asks not to, as some CI images do: without them each
# of the suite's ~300 Python processes compiles all it imports from source again,
# over half of a test process's start-up (pytest's assertion rewriting included).
unexport PYTHONDONTWRITEBYTECODE
# mkdocs-material's banner about MkDocs 2.0 on every build.
export NO_MKDOCS_2_WARNING := 1
# Installs go through uv (pinned, installed into .venv by pip first): it fetches
# and unpacks in parallel and links from its cache, which takes the set-up of
# both venvs from minutes to seconds; the versions are constraints.txt's either way.
UV_VERSION := 0.13.8
UV := $(BIN)/uv
# Test processes (pytest-xdist): one more than the cores this process may use,
# or PYTEST_XDIST_AUTO_NUM_WORKERS where a CI sets it. Many tests wait on
# subprocesses, sockets and deadlines, and the extra worker fills that time
# (`make test` on 2 cores: 26 idle core-seconds down to 14). A file's tests run
# in one of them, in order (some read what the tests before them did, or share a
# served fake). Files are handed out in the order the root conftest.py puts
# them: those with a `slow` test first, not xdist's own (most tests first).
JOBS ?= $(or $(PYTEST_XDIST_AUTO_NUM_WORKERS),$(shell $(PYTHON) -c 'import os; cpus = getattr(os, "sched_getaffinity", None); print((len(cpus(0)) if cpus else os.cpu_count() or 1) + 1)' 2>/dev/null || echo auto))
# Marked `serial` (schemathesis' parametrized tests collapse under xdist) and
# expensive to collect (schemathesis builds its coverage cases then): the xdist
# run does not even collect them, the plain run collects nothing else.
SERIAL_TESTS := contract_tests/test_schemathesis_fake.py contract_tests/test_schemathesis_http.py
PARALLEL_SELECTION := -m "not live and not serial" $(addprefix --ignore=,$(SERIAL_TESTS))
# Made once per venv by collecting the suite (writing the bytecode of all it imports)
# before the test processes start. In a fresh checkout nothing is compiled yet, and
# the workers, the serial run and the first tests' CLI processes would each compile
# the same modules at the same moment: a cold `make unit` took 12-26 CPU-s less
# with it, its own 15 included (20-24 less in `make test`), measured back to back.
# Later changes compile only the files changed, where duplicates cost little.
BYTECODE_STAMP := $(VENV)/.bytecode-stamp

.PHONY: help install generate check-generated lint format typecheck unit docs test-airflow test contract-live spec-diff demo bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

# The venv and its uv first: then both venvs install at once (`make test`). The
# venv gets no pip of its own (ensurepip alone took 5 s): the Python's own pip
# puts uv in it, else (a Python without pip) ensurepip does it the slow way.
# `.venv/bin/uv pip install X` adds a package by hand.
$(UV):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed, found " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv --without-pip $(VENV)
	@if $(PYTHON) -m pip --version >/dev/null 2>&1; then \
		$(PYTHON) -m pip --python $(BIN)/python install --quiet "uv==$(UV_VERSION)"; \
	else \
		$(BIN)/python -m ensurepip --default-pip >/dev/null && $(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"; \
	fi

# _version.py too: the installed metadata carries the version (a test compares them);
# the console script's module is copied into the venv, not linked, so a change re-installs.
$(STAMP): pyproject.toml constraints.txt wrapper/companyenrich_export/_version.py wrapper/companyenrich_export_cli.py | $(UV)
	$(UV) pip install --quiet --python $(BIN)/python -c constraints.txt -e '.[dev]'
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

# A collection that fails is not reported here (the run below reports it) and
# leaves no stamp, so the next run tries again.
$(BYTECODE_STAMP): $(STAMP)
	@$(BIN)/python -m pytest --collect-only -q -p no:xdist -p no:cacheprovider $(PARALLEL_SELECTION) > /dev/null 2>&1 && touch $@ || true

# The serial modules run beside the xdist run, not after it: the workers leave
# a core idle while their tests wait on subprocesses and sockets. Their output
# is printed once they are done, so the two reports do not interleave.
unit: $(STAMP) $(BYTECODE_STAMP) ## the offline test suite only (tests/ and contract_tests/), on every core
	@serial_log=$$(mktemp); \
	$(BIN)/python -m pytest -m "not live" -p no:xdist $(SERIAL_TESTS) > "$$serial_log" 2>&1 & serial=$$!; \
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile --no-loadscope-reorder --durations=15 $(PARALLEL_SELECTION); \
	parallel_status=$$?; wait $$serial; serial_status=$$?; \
	echo "--- the serial modules (run alongside): $(SERIAL_TESTS)"; cat "$$serial_log"; rm -f "$$serial_log"; \
	test $$parallel_status -eq 0 && test $$serial_status -eq 0

docs: $(STAMP) ## the documentation site into site/, strict: a warning (a broken link or reference) fails
	$(BIN)/mkdocs build --strict --quiet

$(AIRFLOW_STAMP): pyproject.toml constraints-airflow.txt | $(UV)
	@test -x $(AIRFLOW_VENV)/bin/python || $(UV) venv --quiet --python $(PYTHON) $(AIRFLOW_VENV)
	$(UV) pip install --quiet --python $(AIRFLOW_VENV)/bin/python -c constraints-airflow.txt -e '.[airflow,server]' pytest pytest-timeout pytest-xdist
	@touch $@

# Alone, two processes, one file each at a time: the many-sensors run beside the
# others. Beside `make unit` (in `make test`), one: each process pays ~10 CPU-s
# of Airflow's start-up, and the cores are busy anyway.
AIRFLOW_JOBS ?= 2
test-airflow: $(AIRFLOW_STAMP) ## the Airflow provider's DAG tests, in .venv-airflow (pinned Airflow)
	$(AIRFLOW_VENV)/bin/python -m pytest --confcutdir=tests/airflow_provider -n $(AIRFLOW_JOBS) --dist loadfile --no-loadscope-reorder tests/airflow_provider

# All side by side, each target's output printed whole when it ends: the checks
# use one core each (mypy, the longest, 17 s), and the Airflow tests spend half
# their time waiting on a real triggerer and scan intervals; the main suite's
# processes fill what they leave.
test: ## everything CI runs: lint, types, generated drift, docs, all offline tests
	@$(MAKE) --no-print-directory -j 8 --output-sync=target lint typecheck check-generated docs unit test-airflow AIRFLOW_JOBS=0

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
	rm -rf $(VENV) $(AIRFLOW_VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis build dist site
