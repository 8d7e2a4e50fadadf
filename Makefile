# Set-up and checks for backspasm-edu. Each target creates .venv and installs what it needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8866
NOTEBOOKS := $(wildcard notebooks/*.ipynb)
CHROMIUM ?= /usr/bin/chromium

.PHONY: help serve test lint format screenshots chromium clean

help:
	@echo "make serve   run the apps in Voila on http://$(HOST):$(PORT)"
	@echo "make test    install everything needed and run every test"
	@echo "make lint    ruff check, ruff format --check and mypy"
	@echo "make format  apply ruff's formatting and safe fixes"
	@echo "make screenshots  regenerate docs/screenshots/ from the running apps"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	@touch $@

serve: $(STAMP)
	$(BIN)/voila --no-browser --Voila.ip=$(HOST) --port=$(PORT) notebooks/

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

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
