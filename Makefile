# The two commands: `make run` (set up, then run the demo corpus through Dagster)
# and `make test` (set up, then the whole test suite). Both need only Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test clean ui

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: setup
	$(BIN)/tradeclaims run

test: setup
	$(BIN)/python -m pytest

ui: setup
	$(BIN)/tradeclaims ui

clean:
	rm -rf data .pytest_cache
