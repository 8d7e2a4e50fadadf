# Set-up and checks for backspasm-edu. Each target creates .venv and installs what it needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8866
NOTEBOOKS := $(wildcard notebooks/*.ipynb)

.PHONY: help serve test lint format clean

help:
	@echo "make serve   run the apps in Voila on http://$(HOST):$(PORT)"
	@echo "make test    install everything needed and run every test"
	@echo "make lint    ruff check, ruff format --check and mypy"
	@echo "make format  apply ruff's formatting and safe fixes"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	@touch $@

serve: $(STAMP)
	$(BIN)/voila --no-browser --Voila.ip=$(HOST) --port=$(PORT) notebooks/

test: $(STAMP)
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env tests $(NOTEBOOKS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
