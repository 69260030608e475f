# Two commands for a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin
ICS := $(BIN)/icsgraph
DEMO_CAPTURE := tests/data/plc-scan-replay.pcap

.PHONY: setup system-deps venv db-up demo test lint typecheck unit clean

setup: system-deps venv

system-deps:
	@bash scripts/install-system-deps.sh

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

db-up: setup
	$(ICS) db start

demo: db-up
	$(ICS) ingest $(DEMO_CAPTURE) --case demo
	$(ICS) alerts import tests/data/alerts-plc-scan.csv --case demo
	$(ICS) summary --case demo
	$(ICS) map --case demo -o out/map.html
	$(ICS) investigate --case demo --alert 4101 -o out/report
	@echo "map: out/map.html  report: out/report/report.html (and report.md)"

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: venv
	bash scripts/typecheck.sh

test: db-up lint typecheck
	$(BIN)/pytest

unit: venv
	$(BIN)/pytest tests/unit

clean:
	rm -rf build out .mypy_cache .ruff_cache .pytest_cache
