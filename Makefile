# Set-up and checks for backspasm-edu. Each target creates .venv and installs what it needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8866
NOTEBOOKS := $(wildcard notebooks/*.ipynb)
CHROMIUM ?= /usr/bin/chromium

.PHONY: help serve test lint format screenshots chromium clean binder-requirements bench

help:
	@echo "make serve   run the apps in Voila on http://$(HOST):$(PORT)"
	@echo "make test    install everything needed and run every test"
	@echo "make lint    ruff check, ruff format --check and mypy"
	@echo "make format  apply ruff's formatting and safe fixes"
	@echo "make screenshots  regenerate docs/screenshots/ from the running apps"
	@echo "make bench   imports, triage, app loads, bytes sent, a class of 30 (see benchmarks/RESULTS.md)"
	@echo "make binder-requirements  re-pin binder/requirements.txt to the test environment"

# The runtime packages are held to binder/requirements.txt's pins, so the tests and Binder use the
# same versions on every machine. To upgrade one: .venv/bin/pip install -U NAME, then
# make binder-requirements.
$(STAMP): pyproject.toml binder/requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	grep '==' binder/requirements.txt > $(VENV)/binder-constraints.txt
	$(BIN)/python -m pip install --quiet -e '.[test,dev]' -c $(VENV)/binder-constraints.txt
	@touch $@

serve: $(STAMP)
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

test: $(STAMP) chromium
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env tests $(NOTEBOOKS)

screenshots: $(STAMP) chromium
	$(BIN)/python -m tests.browser.screenshots

# Benchmarks print tables of medians and ratios measured side by side; they never fail on timings.
bench: $(STAMP) chromium
	$(BIN)/python benchmarks/bench_imports.py
	$(BIN)/python benchmarks/bench_triage.py
	$(BIN)/python benchmarks/bench_apps.py
	$(BIN)/python benchmarks/bench_transfer.py
	$(BIN)/python benchmarks/bench_class.py

# binder/requirements.txt: the runtime dependencies' closure, pinned to what .venv has now
# (no install first: the install itself is held to the old pins).
binder-requirements:
	@test -x $(BIN)/python || { echo "No $(VENV) yet: run make test first."; exit 1; }
	$(BIN)/python binder/pin_requirements.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
