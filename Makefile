# The two commands: `make run` (set up, then run the demo corpus through Dagster)
# and `make test` (set up, then the whole test suite). Both need only Python 3.11+;
# `make test` also installs Debian's chromium for the browser test when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup browser lint run test test-distributed workers clean ui

# The editable install leaves our own modules uncompiled, and where PYTHONDONTWRITEBYTECODE is
# set (as on the project's machines) Python would compile them again in every process: about
# 0.06-0.15 s of CPU per `tradeclaims` command or Dagster run process. compileall writes bytecode
# whatever that variable says, and recompiles only what changed since.
setup: $(STAMP)
	@$(BIN)/python -m compileall -q extractors warehouse pipelines sources benchmarks

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

# Distributed mode: redis-server (installed when missing, as root) and Celery workers on this
# machine, recorded under data/workers/; `tradeclaims workers stop` stops them.
WORKERS ?= 2
workers: setup
	@sh scripts/ensure-redis.sh
	$(BIN)/tradeclaims workers start --count $(WORKERS)

# Redis, two workers, the demo registry and 60 generated articles, a worker killed mid-run
# (tests/test_distributed.py, deselected from `make test`). Bounded: each wait in the test has
# its own timeout, and the whole target stops after 30 minutes.
test-distributed: setup
	@sh scripts/ensure-redis.sh
	timeout --kill-after=30 1800 $(BIN)/python -m pytest -m distributed -p no:randomly tests/test_distributed.py

ui: setup
	$(BIN)/tradeclaims ui

clean:
	rm -rf data .pytest_cache
