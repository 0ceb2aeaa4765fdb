# Kedjan. `make demo` sets up, generates demo exports, refreshes and starts the dashboard;
# `make test` runs the whole test suite. Settings can be given on the command line:
#   make refresh EXPORTS_DIR=/path/to/delivery WAREHOUSE=/path/to/warehouse.duckdb
VENV        := .venv
PY          := $(VENV)/bin/python
EXPORTS_DIR ?= data/exports
WAREHOUSE   ?= data/warehouse.duckdb
SCALE       ?= demo
SEED        ?= 1
PORT        ?= 8501
BENCH_SCALES ?= stockholm national

export EXPORTS_DIR WAREHOUSE

.PHONY: setup demo generate refresh dashboard report test bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# The demo signs you in through a role picker (KEDJAN_DEMO_MODE=1, labelled on every page).
demo: setup
	$(MAKE) generate refresh
	KEDJAN_DEMO_MODE=1 $(MAKE) dashboard

generate: setup
	$(PY) -m ingest.generate --scale $(SCALE) --seed $(SEED) --out $(EXPORTS_DIR)

refresh: setup
	$(PY) -m refresh

# Demo mode has no sign-in, so it listens on this machine only (the app refuses otherwise).
dashboard: setup
	$(VENV)/bin/streamlit run dashboard/app.py --server.port $(PORT) --server.headless true \
		$(if $(filter 1,$(KEDJAN_DEMO_MODE)),--server.address 127.0.0.1)

# The Lägesrapport as PDF: make report [PROJECT=ETST] [MONTH=2013-12] [LANG=sv|en] [OUT=file.pdf]
# (every project without PROJECT, the latest month without MONTH). LANG counts only when
# given on the command line: the environment's LANG is the locale (C.UTF-8, …).
REPORT_LANG := $(if $(filter command line,$(origin LANG)),$(LANG),sv)
report: setup
	env -u LANG $(PY) -m dashboard.report --lang $(REPORT_LANG) \
		$(if $(PROJECT),--project $(PROJECT)) $(if $(MONTH),--month $(MONTH)) $(if $(OUT),--out $(OUT))

test: setup
	$(PY) -m pytest

# Not part of `make test`: figures into benchmarks/results/ (data cached in benchmarks/.cache/).
bench: setup
	$(PY) -m benchmarks.run --scales $(BENCH_SCALES)

clean:
	rm -rf data/exports data/warehouse.* data/.warehouse.*
