# The verbs of the project. Every target sets up .venv itself, so a fresh clone needs only `make <verb>`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SPECS  := $(wildcard openapi/*.yaml)
REDOCLY := @redocly/cli@2.77.0

.PHONY: help install demo test test-long docs regenerate lint mock fuzz fuzz-long bench clean

help:
	@echo "make demo        run the whole flow for both vendors against the embedded mock"
	@echo "make test        set up .venv and run the test suite (fuzzing included)"
	@echo "make test-long   the test suite plus the long soak runs"
	@echo "make docs        build the documentation site (mkdocs build --strict) into build/site"
	@echo "make regenerate  validate openapi/*.yaml and rewrite generated/"
	@echo "make lint        ruff, mypy --strict (overlays), spec lint (openapi-spec-validator, Redocly)"
	@echo "make mock        serve the local mock of both vendors on 127.0.0.1:8080"
	@echo "make fuzz        schemathesis over HTTP against the mock, or TARGET=... BASE_URL=..."
	@echo "make fuzz-long   the same with at least 1000 examples per operation"
	@echo "make bench       client overhead, throughput, streaming memory, mock throughput"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $@

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python scripts/demo.py

test: $(STAMP)
	$(BIN)/python -m pytest

test-long: $(STAMP)
	$(BIN)/python -m pytest --run-slow

docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --config-file mkdocs.yml --site-dir build/site

regenerate: $(STAMP)
	$(BIN)/python scripts/regenerate.py

lint: $(STAMP)
	$(BIN)/ruff check overlays scripts tests
	$(BIN)/ruff format --check overlays scripts tests
	$(BIN)/mypy
	$(BIN)/openapi-spec-validator $(SPECS)
	npx --yes $(REDOCLY) lint --extends recommended $(SPECS)

mock: $(STAMP)
	$(BIN)/attachkit mock --host 127.0.0.1 --port 8080

fuzz: $(STAMP)
	$(BIN)/python scripts/fuzz.py $(if $(TARGET),--target $(TARGET)) $(if $(BASE_URL),--base-url $(BASE_URL))

fuzz-long: $(STAMP)
	$(BIN)/python scripts/fuzz.py --max-examples 1000 $(if $(TARGET),--target $(TARGET)) $(if $(BASE_URL),--base-url $(BASE_URL))

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache .hypothesis
