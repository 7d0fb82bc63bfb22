# Renda: `make demo` runs the demo county, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
DEPS := $(VENV)/.deps-installed
JOBS ?= 2
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test test-sqlite test-postgres lint format system-deps bench clean

$(DEPS): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { \
	  echo "python3-venv 缺失，正在安装"; apt-get update -qq && apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

## demo: install, migrate, load the demo county, serve it at http://127.0.0.1:8000
demo: $(DEPS)
	@scripts/install-system-deps demo
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload

## test: lint, then the whole suite on SQLite and on a PostgreSQL started for it
test: $(DEPS) system-deps lint
	$(PY) manage.py makemigrations --check --dry-run > /dev/null || { echo "模型有未生成的迁移：请运行 manage.py makemigrations"; exit 1; }
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: $(DEPS)
	@echo "== pytest on SQLite =="
	$(PY) -m pytest -n $(JOBS) -q

test-postgres: $(DEPS)
	@echo "== pytest on PostgreSQL =="
	scripts/with-postgres $(PY) -m pytest -n $(JOBS) -q

lint: $(DEPS)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(DEPS)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## bench: scale data, load phases and roster import timings on SQLite (one county) and on a
## PostgreSQL started for it (a province); results in bench/results/ (see bench/README.md).
## Tunable: BENCH_FACTOR BENCH_SQLITE_FACTOR BENCH_SECONDS BENCH_USERS BENCH_WORKERS ...
BENCH_DEPS := $(VENV)/.bench-installed
# A province's server is tuned as usual: a quarter of memory for shared buffers, checkpoints
# spaced for bulk loads (max_wal_size, checkpoint_timeout) and so on.
BENCH_PG_OPTIONS ?= -c shared_buffers=2GB -c effective_cache_size=8GB -c work_mem=16MB -c maintenance_work_mem=512MB -c max_wal_size=8GB -c checkpoint_timeout=30min
$(BENCH_DEPS): pyproject.toml $(DEPS)
	$(PY) -m pip install --quiet -e ".[dev,bench]"
	@touch $@

bench: $(DEPS) $(BENCH_DEPS)
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || scripts/install-system-deps test
	$(PY) -m bench.run --db sqlite
	RENDA_PG_DURABLE=1 RENDA_PG_OPTIONS="$(BENCH_PG_OPTIONS)" scripts/with-postgres $(PY) -m bench.run --db postgres
	$(PY) -m bench.report

## system-deps: Debian packages the tests need (Chromium and its driver, PostgreSQL, Pango, CJK fonts)
system-deps:
	@scripts/install-system-deps test

clean:
	rm -rf $(VENV) build staticfiles
