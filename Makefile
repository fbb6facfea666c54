# Balsis: `make run` and `make test` do all of the set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEPS_HASH := $(shell cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)
STAMP := $(VENV)/.installed-$(DEPS_HASH)
PYTEST_ARGS ?=

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export NUMBA_CACHE_DIR := $(CURDIR)/.cache/numba
export MPLBACKEND := Agg
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: install browser run test test-fast bench bench-compare lint clean

install: $(STAMP)

# torch is installed first and on its own, pinned, so that nothing pulls a CUDA build.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt torch==2.13.0
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

run: install
	$(BIN)/dvc repro
	@echo
	@echo "Outputs:"
	@echo "  ideas, one row per idea:   data/interim/ideas.parquet"
	@echo "  themes with keywords:      data/processed/themes.parquet"
	@echo "  theme of every idea:       data/processed/idea_themes.parquet"
	@echo "  SWOT quadrant of every idea: data/processed/idea_swot.parquet"
	@echo "  priorities per theme:      data/processed/priorities.parquet (+ _by_territory, _by_group)"
	@echo "  metrics against the gold:  metrics/normalise.json, metrics/themes.json, metrics/swot.json"

# The report test opens the report in headless Chromium: Debian's package, installed if missing.
browser:
	@bash .ci/install-chromium

test: install browser
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: install
	$(BIN)/pytest -m "not slow" $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m pipeline.bench --out docs/benchmarks.md

bench-compare: install
	$(BIN)/python -m pipeline.bench_compare --out docs/bench_compare.md

lint: install
	$(BIN)/ruff check pipeline tests

clean:
	rm -rf data/interim data/processed data/reports models/*/ .cache
