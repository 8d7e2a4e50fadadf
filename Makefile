# Set-up and checks for backspasm-edu. Each target makes .venv from the committed locks and
# installs the wheel built from this checkout; nothing is resolved at install time.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet
HOST ?= 127.0.0.1
PORT ?= 8866
NOTEBOOKS := $(wildcard notebooks/*.ipynb)
TESTS ?= tests $(NOTEBOOKS)
CHROMIUM ?= /usr/bin/chromium
VERSION := $(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' backspasm_edu/__init__.py)
WHEEL := dist/backspasm_edu-$(VERSION)-py3-none-any.whl
PACKAGE_FILES := pyproject.toml README.md $(NOTEBOOKS) \
	$(shell find backspasm_edu -type f -not -path '*/__pycache__/*')

.PHONY: help serve test lint format lock screenshots chromium clean bench

help:
	@echo "make serve   run the apps in Voila on http://$(HOST):$(PORT)"
	@echo "make test    install everything needed and run every test"
	@echo "make lint    ruff check and format --check, mypy, the import layers, pyproject.toml"
	@echo "make format  apply ruff's formatting and safe fixes"
	@echo "make lock    re-resolve uv.lock and the lock files after a change to pyproject.toml"
	@echo "make screenshots  regenerate docs/screenshots/ from the running apps"
	@echo "make bench   imports, triage, app loads, bytes sent, a class of 30, class results (benchmarks/RESULTS.md)"
	@echo "Set PYTHON=/path/to/python3 to choose the interpreter (default: python3)."

# An unsupported Python stops make before .venv exists: one line naming the version found, the
# range supported and how to get one; exit 2. (make's own goals help and clean need no Python.)
ifeq ($(wildcard $(BIN)/python),)
ifneq ($(filter-out help clean,$(or $(MAKECMDGOALS),help)),)
PYTHON_PROBLEM := $(if $(shell command -v $(PYTHON)),$(shell $(PYTHON) requirements/check_python.py 2>&1 >/dev/null),$(PYTHON) was not found: install Python 3 (on Debian 12: sudo apt-get install python3 python3-venv) or run make with PYTHON=/path/to/python3)
$(if $(PYTHON_PROBLEM),$(error $(PYTHON_PROBLEM)))
endif
endif

# The venv's pip is first replaced by the locked one, then every install takes exact pins with
# --no-deps, so pip has nothing to resolve; pip check confirms the set is whole and consistent.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-build: requirements/build.txt | $(BIN)/python
	$(PIP) install --no-deps --requirement requirements/build.txt
	@touch $@

$(VENV)/.installed-runtime: binder/requirements.txt $(VENV)/.installed-build
	grep -v '^\.$$' binder/requirements.txt > $(VENV)/runtime-requirements.txt
	$(PIP) install --no-deps --requirement $(VENV)/runtime-requirements.txt
	@touch $@

$(VENV)/.installed-test: requirements/test.txt $(VENV)/.installed-runtime
	$(PIP) install --no-deps --requirement requirements/test.txt
	@touch $@

$(VENV)/.installed-dev: requirements/dev.txt $(VENV)/.installed-test
	$(PIP) install --no-deps --requirement requirements/dev.txt
	@touch $@

# The tests and serve run the wheel, as pip install backspasm-edu would give it, not the checkout.
$(WHEEL): $(PACKAGE_FILES) $(VENV)/.installed-build
	rm -rf dist
	$(BIN)/python -m hatchling build --target wheel --directory dist

$(VENV)/.installed-wheel: $(WHEEL) $(VENV)/.installed-runtime
	$(PIP) install --no-deps --force-reinstall $(WHEEL)
	$(BIN)/python -m pip check --disable-pip-version-check
	@touch $@

serve: $(VENV)/.installed-wheel
	$(BIN)/backspasm-edu serve --host $(HOST) --port $(PORT)

# Browser tests drive Debian's Chromium (Playwright may not download its own browser here).
chromium:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "Chromium is missing: install it with 'sudo apt-get install -y chromium'."; \
		if [ -n "$$CI" ]; then exit 1; fi; \
	fi

# Every test runs against the installed wheel: pytest's importlib mode, and PYTHONSAFEPATH set by
# tests/conftest.py for every Python the tests start, keep the checkout off sys.path; conftest also
# stops the run if the wheel differs from the checkout. TESTS picks some: TESTS="tests/engines/test_quiz.py".
test: $(VENV)/.installed-test $(VENV)/.installed-wheel chromium
	$(BIN)/pytest --nbval-lax --nbval-current-env --durations=15 $(TESTS)

screenshots: $(VENV)/.installed-test $(VENV)/.installed-wheel chromium
	$(BIN)/python -m tests.browser.screenshots

# Benchmarks print tables of medians and ratios measured side by side; they never fail on timings.
bench: $(VENV)/.installed-test $(VENV)/.installed-wheel chromium
	$(BIN)/python benchmarks/bench_imports.py
	$(BIN)/python benchmarks/bench_triage.py
	$(BIN)/python benchmarks/bench_apps.py
	$(BIN)/python benchmarks/bench_transfer.py
	$(BIN)/python benchmarks/bench_class.py
	$(BIN)/python benchmarks/bench_class_results.py

# Run after changing dependencies in pyproject.toml (a test fails until you do), or with
# UPGRADE=1 after moving [tool.uv] exclude-newer forward to take newer releases.
lock: $(VENV)/.installed-dev
	$(BIN)/python requirements/lock.py $(if $(UPGRADE),--upgrade)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/validate-pyproject pyproject.toml

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
