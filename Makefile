# Two set-up commands (see README): `make run` and `make test`. Both create .venv on first use and
# re-install only when pyproject.toml or requirements.lock change. Installed packages are compiled to bytecode
# once, so `fellow` starts fast even where PYTHONDONTWRITEBYTECODE keeps Python from caching it.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
UV_VERSION := 0.13.9

.PHONY: install run test lint lock bench

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || $(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	$(BIN)/python -m compileall -q -j 0 $(VENV)/lib config store nlp scoring learning crm_sync bot admin_api > /dev/null
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/fellow up

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

lock:
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes -o requirements.lock

bench: install
	$(BIN)/python -m bench
