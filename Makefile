# Two commands for a new machine: `make run` and `make test`. Everything else is installed here.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3.13 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HTMX := static/vendor/htmx.min.js

.PHONY: install run test lint eval bench bench-quick wrk browser clean

install: $(STAMP) $(HTMX)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

$(HTMX): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js $(HTMX)
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css static/vendor/

run: install
	$(BIN)/provenance serve

# Debian's Chromium drives the browser tests (Playwright's own browser download cannot work here).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: install
	$(BIN)/ruff check .

test: install browser lint
	$(BIN)/pytest

eval: install
	$(BIN)/provenance evaluate

# The load generator of the benchmark, from Debian's packages.
wrk:
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

bench: install wrk
	$(BIN)/provenance bench

bench-quick: install wrk
	$(BIN)/provenance bench --quick

clean:
	rm -rf $(VENV) node_modules static/vendor data
