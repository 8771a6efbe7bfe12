# The two commands of the README: `make run` and `make test`. Both create .venv and install first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint docs clean browser

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
	$(BIN)/broadsheet run seeds --out data

test: install browser
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .

docs: install
	$(BIN)/broadsheet docs --output docs/tables.md

clean:
	rm -rf data .pytest_cache

# Chromium for tests/test_report.py (a screenshot of the report); the test skips, saying why, without it.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  { apt-get install -y -qq chromium >/dev/null 2>&1 || \
	    { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium >/dev/null 2>&1; }; }; } || \
	  echo "chromium could not be installed: the report screenshot test will be skipped"
