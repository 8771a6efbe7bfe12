# The two commands of the README: `make run` and `make test`. Both create .venv and install first.
#
# The Python that makes .venv (3.11, 3.12 or 3.13): PYTHON when given (`make test PYTHON=python3.13`, a command,
# a version such as 3.12, or a path), else the one .venv already has, else python3 when it is 3.11-3.13, else the
# newest of python3.13, 3.12, 3.11 (pyenv's installed versions too): scripts/find-python. A .venv of another
# version than the one asked for is made anew.
PYTHON ?=
VENV := .venv
BIN := $(VENV)/bin
ifneq ($(strip $(PYTHON)),)
PY := $(shell sh scripts/find-python $(PYTHON))
else
PY := $(shell sh scripts/find-python $(BIN)/python 2>/dev/null || sh scripts/find-python)
endif
PYVER := $(if $(PY),$(shell $(PY) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null))
STAMP := $(VENV)/.installed-$(PYVER)

.PHONY: install run test lint docs clean browser

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -n "$(PYVER)" || { echo "No Python 3.11-3.13 found$(if $(PYTHON), for PYTHON=$(PYTHON)): install one, or name it with PYTHON=..." >&2; exit 1; }
	@if [ -x $(BIN)/python ] && [ "$$($(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" != "$(PYVER)" ]; then \
	  echo "$(VENV) is not Python $(PYVER): making it anew"; rm -rf $(VENV); fi
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-compile -e '.[dev]'  # modules compile when first imported
	rm -f $(VENV)/.installed*
	touch $(STAMP)

run: install
	$(BIN)/broadsheet run seeds --out data

# The suite on as many workers as the machine has cores, at most 4: most of its time is `broadsheet run`
# subprocesses, which two cores run side by side (12 min -> 7.5 min on CI's 2 cores). worksteal evens the
# tail, where one worker would otherwise be left with a file of slow tests.
test: install browser
	$(BIN)/python -m pytest -q -n auto --maxprocesses 4 --dist worksteal

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
