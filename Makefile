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

.PHONY: setup demo generate refresh schedule dashboard report lint test bench clean

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

# The scheduled refresh for production: writes the systemd service and timer of
# deploy/systemd/ with this checkout's paths into SYSTEMD_DIR (as root: then
# `systemctl daemon-reload && systemctl enable --now kedjan-refresh.timer`). See README.
SYSTEMD_DIR ?= /etc/systemd/system
SERVICE_USER ?= $(shell id -un)
KEY_FILE    ?= $(CURDIR)/.secrets/pseudonym.key
schedule: setup
	for unit in kedjan-refresh.service kedjan-refresh.timer; do \
		sed -e 's|@USER@|$(SERVICE_USER)|' -e 's|@REPO@|$(CURDIR)|g' \
		    -e 's|@EXPORTS_DIR@|$(abspath $(EXPORTS_DIR))|' -e 's|@WAREHOUSE@|$(abspath $(WAREHOUSE))|' \
		    -e 's|@KEY_FILE@|$(abspath $(KEY_FILE))|' deploy/systemd/$$unit > $(SYSTEMD_DIR)/$$unit; \
	done
	@echo "Written to $(SYSTEMD_DIR). Now: systemctl daemon-reload && systemctl enable --now kedjan-refresh.timer"

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

# Linters as habits (pyproject.toml's [tool.ruff], .sqlfluff): `make test` runs them first.
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/sqlfluff lint dbt_project/models --processes 2

test: setup lint
	$(PY) -m pytest

# Not part of `make test`: figures into benchmarks/results/ (data cached in benchmarks/.cache/).
bench: setup
	$(PY) -m benchmarks.run --scales $(BENCH_SCALES)

clean:
	rm -rf data/exports data/warehouse.* data/.warehouse.*
