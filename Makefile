# Development shortcuts. `make install` is the README's install command.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install test lint fix typecheck ci eval-smoke

install:
	$(PY) -m venv $(VENV) && . $(BIN)/activate && pip install -e ".[dev]"

test:
	. $(BIN)/activate && pytest

lint:
	. $(BIN)/activate && ruff check verifier tests && ruff format --check verifier tests

fix:
	. $(BIN)/activate && ruff check --fix verifier tests && ruff format verifier tests

typecheck:
	. $(BIN)/activate && mypy

ci:
	.ci/run

# A small baseline measurement on the shared dev sets (needs ../shared/eval-data).
eval-smoke:
	. $(BIN)/activate && for d in scifact climate_fever; do \
	  verifier eval --claims ../shared/eval-data/$$d/claims.dev.jsonl \
	    --corpus ../shared/eval-data/$$d/corpus.jsonl --limit 50 --out runs/$$d-smoke; done
