# The commands in the README. `make run` and `make test` set everything up on a fresh machine
# (Python 3.11+ and make are all they assume) in a virtual environment at .venv.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: setup run test bench fuzz lint format lock clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -n "$(PYTHON)" || { echo "make: no python3.11 or python3 on PATH; install Python 3.11 or set PYTHON=/path/to/python"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "make: policy-radar needs Python 3.11 or newer, $(PYTHON) is " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

## run: tag the shipped example items, store and index them under ./data, search them, then run
## the tracker (radar up): crawl the sources on their intervals, deliver the alerts, and serve the
## web page and the API on http://127.0.0.1:8000
run: setup
	$(BIN)/radar tag --summary examples/items.jsonl
	$(BIN)/radar ingest examples/items.jsonl
	$(BIN)/radar search --country AU --country SG
	$(BIN)/radar search "age assurance"
	@echo "Open http://127.0.0.1:8000 to search in a browser; radar crawls its sources meanwhile (Ctrl-C stops it)."
	$(BIN)/radar up

## test: the whole test suite
test: setup
	$(BIN)/python -m pytest

## bench: speed figures (medians over several runs; never asserted in tests)
bench: setup
	$(BIN)/python -m bench.tagger_speed
	$(BIN)/python -m bench.index_speed
	$(BIN)/python -m bench.crawl_speed
	$(BIN)/python -m bench.api_speed
	$(BIN)/python -m bench.briefing_speed
	$(BIN)/python -m bench.alert_speed
	$(BIN)/python -m bench.alert_latency
	$(BIN)/python -m bench.load
	$(BIN)/python -m bench.postgres_ingest

## fuzz: coverage-guided fuzzing (atheris) of the query parser, feeds, article pages and dates, each
## for FUZZ_SECONDS; a crash stops with its input in .fuzz/<target>/ (tests/security/coverage_fuzz.py)
FUZZ_SECONDS ?= 60
fuzz: setup
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-fuzz.lock
	for target in query feed article dates; do \
		$(BIN)/python -m tests.security.coverage_fuzz $$target -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=4096 || exit 1; \
	done

## lint: ruff (lint and format check), mypy, and pip-audit over requirements.lock (fails on a known
## vulnerability; says "could not audit: ..." and goes on when the vulnerability service is out of reach)
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python scripts/audit.py

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## lock: re-resolve requirements.lock from pyproject.toml (needs uv: pip install uv)
lock:
	uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
