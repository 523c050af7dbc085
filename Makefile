# The two commands: `make run` (set up, then run the demo corpus through Dagster)
# and `make test` (set up, then the whole test suite). Both need only Python 3.11+;
# `make test` also installs Debian's chromium for the browser test when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup browser lint run test clean ui

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: setup
	$(BIN)/tradeclaims run

test: setup browser lint
	$(BIN)/python -m pytest

# Lint and import order (ruff; rules in pyproject.toml), before the tests.
lint: setup
	$(BIN)/ruff check .

# The browser test drives Debian's chromium: installed when missing (as root), else one line says how.
browser:
	@sh scripts/ensure-chromium.sh

ui: setup
	$(BIN)/tradeclaims ui

clean:
	rm -rf data .pytest_cache
