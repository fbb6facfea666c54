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

.PHONY: install browser run test test-fast bench bench-compare bench-real bench-real-check bench-sizes bench-scale lint clean

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
	@echo "  the planner's report:      data/reports/report.html (open in a browser)"
	@echo "  the same as a workbook:    data/reports/balsis.xlsx"
	@echo "  charts (PNG and SVG):      data/reports/figures/"
	@echo "  reviewed ideas and themes: data/processed/reviewed_ideas.parquet, reviewed_themes.parquet"
	@echo "  priorities, SVID:          data/processed/priorities.parquet, svid.parquet"
	@echo "  the survey sample:         data/reports/survey/ (report.html, balsis.xlsx, ideas.csv, ...)"
	@echo "  metrics:                   dvc metrics show (metrics/*.json; the survey's: metrics/survey.json)"
	@echo "  corrections:               edit data/review/overrides.yaml, then make run again"

# The report test opens the report in headless Chromium: Debian's package, installed if missing.
browser:
	@bash .ci/install-chromium

test: install browser
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: install
	$(BIN)/pytest -m "not slow" $(PYTEST_ARGS)

# The SVID targets read the pipeline's outputs on the bundled sample: `run` brings them up to date.
bench: run
	$(BIN)/python -m benchmarks.bench --out docs/benchmarks.md

bench-compare: install
	$(BIN)/python -m benchmarks.compare --out docs/bench_compare.md

# Real text beside the checkout (../shared/realdata); says "skipped" and exits 0 without it.
bench-real: install
	$(BIN)/python -m benchmarks.real --out docs/bench_real.md

# The same figures (without the BERTopic grid) against the floors CI holds them to.
bench-real-check: install
	$(BIN)/python -m benchmarks.real --no-grid --check .ci/bench-real-floors.yaml

# Themes and outliers of the cluster size rule on subsamples from 50 ideas up.
bench-sizes: install
	$(BIN)/python -m benchmarks.sizes --out docs/bench_sizes.md

# The 100,000-idea run and the quality cost of fitting UMAP on a sample (also part of make bench).
bench-scale: install
	$(BIN)/python -m benchmarks.scale --out docs/bench_scale.json

lint: install
	$(BIN)/ruff check pipeline tests benchmarks

clean:
	rm -rf data/interim data/processed data/reports models/*/ .cache
