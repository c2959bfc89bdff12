# Two commands: `make run` starts the whole portal, `make test` runs the whole suite.
# Both create .venv on first use; only Python 3.11 and make are needed.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test mutants screenshots lint fmt bench bench-full bench-db bench-reminders bench-dataset bench-http check-deploy messages clean help
.DEFAULT_GOAL := help

help:
	@echo "make run    start web + Celery worker + beat on http://127.0.0.1:$(PORT) (SQLite, no broker server)"
	@echo "make test   run the whole test suite"
	@echo "make screenshots  the main screens into docs/screenshots/ (zh, en, elderly mode; desktop, phone)"
	@echo "make mutants  mutation testing of services, selectors and rules (mutmut, hours)"
	@echo "make lint   ruff check + format check + import contracts + migrations check"
	@echo "make fmt    format the code"
	@echo "make bench  the benchmark suite at SCALE=1000 in a few minutes (bench/README.md)"
	@echo "make bench-full  the same at 1,000,000 enrollees"
	@echo "make bench-reminders  the reminder sweep over 1,000,000 enrollees on PostgreSQL (bench/README.md)"
	@echo "make bench-dataset SCALE=N  the benchmark population on PostgreSQL (DATABASE_URL of a *bench* database)"
	@echo "make bench-http SCALE=N     gunicorn + wrk over six paths, with the budget ratios (bench/README.md)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements-s3.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# The local run defaults to DEBUG on (demo accounts, no HTTPS); set DEBUG=false and
# SECRET_KEY to try production mode. DATABASE_URL / REDIS_URL switch to PostgreSQL / Redis.
run: export DEBUG ?= true
run: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --no-input
	@if [[ "$${DEBUG,,}" =~ ^(1|true|yes|on)$$ ]]; then $(BIN)/python manage.py demo_accounts; \
	  else $(BIN)/python manage.py collectstatic --no-input -v0; fi
	@echo "Portal: http://127.0.0.1:$(PORT)/  (Ctrl-C stops web, worker and beat)"
	cd $(CURDIR) && PATH="$(CURDIR)/$(BIN):$$PATH" WEB_PORT=$(PORT) $(BIN)/honcho -f Procfile start

# axe-core for the accessibility checks comes from npm (package.json) when npm is there;
# without it those checks are skipped (CI installs it and requires them).
node_modules/axe-core/axe.min.js: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent; fi

test: $(VENV)/.dev node_modules/axe-core/axe.min.js
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The main screens in Chinese, English and the elderly-friendly mode, desktop and phone (Debian's
# chromium: apt-get install chromium fonts-noto-cjk).
screenshots: $(VENV)/.dev
	SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/browser/test_screenshots.py -q -p no:cacheprovider --create-db

# Mutation testing of the services, selectors and pure rules (pyproject.toml [tool.mutmut]): each
# rule changed on purpose, one at a time, must fail a test. On demand, it takes hours; `mutmut
# results` lists the survivors and `mutmut show <name>` shows one.
MUTANTS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal_mutants
mutants: $(VENV)/.dev
	@psql "$(MUTANTS_DATABASE_URL)" -qc "select 1" >/dev/null 2>&1 || \
	  psql "$(dir $(MUTANTS_DATABASE_URL))postgres" -qc "CREATE DATABASE $(notdir $(MUTANTS_DATABASE_URL))"
	DATABASE_URL=$(MUTANTS_DATABASE_URL) $(BIN)/python -m pytest -q --create-db tests/cases/test_records.py
	-DATABASE_URL=$(MUTANTS_DATABASE_URL) $(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut export-cicd-stats >/dev/null 2>&1 || true
	@$(BIN)/python -c "import json,pathlib; p=pathlib.Path('mutants/mutmut-cicd-stats.json'); s=json.loads(p.read_text()) if p.exists() else {}; print('mutants: killed', s.get('killed',0)+s.get('timeout',0), 'of', s.get('total',0), '; survived', s.get('survived',0))"

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

fmt: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Benchmarks: on demand, never part of `make test` (bench/README.md). They need the machine's
# PostgreSQL and Redis; the database is the bench's own (its name contains "bench").
SCALE ?= 1000
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/14
BENCH_ENV = DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL)
BENCH_FULL_ENV = DATABASE_URL=$(BENCH_DATABASE_URL)_full REDIS_URL=$(BENCH_REDIS_URL)

bench-db:
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	@psql "$(BENCH_DATABASE_URL)" -qc "select 1" >/dev/null 2>&1 || \
	  psql "$(dir $(BENCH_DATABASE_URL))postgres" -qc "CREATE DATABASE $(notdir $(BENCH_DATABASE_URL))"

# The whole suite at a small scale, in a few minutes: make bench (SCALE=1000).
bench: $(VENV)/.dev bench-db
	$(BIN)/python bench/quote.py $(BENCH_ARGS)
	$(BENCH_ENV) $(BIN)/python bench/dataset.py --scale $(SCALE)
	-$(BENCH_ENV) $(BIN)/python bench/explain.py
	-$(BENCH_ENV) $(BIN)/python bench/http_load.py --scale $(SCALE) --seconds 5 --rounds 1
	-$(BENCH_ENV) $(BIN)/python bench/sweep.py --scale $(SCALE) --noop 2000
	-$(BENCH_ENV) $(BIN)/python bench/upload.py

# The same at 1,000,000 enrollees (the dataset takes about 17 minutes the first time).
bench-full: $(VENV)/.dev
	$(MAKE) bench-db BENCH_DATABASE_URL=$(BENCH_DATABASE_URL)_full
	$(BENCH_FULL_ENV) $(BIN)/python bench/dataset.py --scale 1000000
	-$(BENCH_FULL_ENV) $(BIN)/python bench/explain.py
	-$(BENCH_FULL_ENV) $(BIN)/python bench/http_load.py --scale 1000000 --seconds 10 --rounds 3
	-$(BENCH_FULL_ENV) $(BIN)/python bench/sweep.py --scale 1000000 --noop 5000
	-$(BENCH_FULL_ENV) $(BIN)/python bench/upload.py

bench-reminders: $(VENV)/.dev
	$(BIN)/python bench/reminders.py $(BENCH_ARGS)

bench-dataset: $(VENV)/.dev bench-db
	$(BENCH_ENV) $(BIN)/python bench/dataset.py --scale $(SCALE)

bench-http: $(VENV)/.dev bench-db
	$(BENCH_ENV) $(BIN)/python bench/http_load.py --scale $(SCALE) $(BENCH_ARGS)

# Compile translations (needs gettext's msgfmt); the compiled .mo files are committed.
messages: $(VENV)/.dev
	DEBUG=true $(BIN)/python manage.py makemessages -l zh_Hans -l en --no-obsolete -i '.venv/*' -i 'var/*' -i 'tests/*' -i 'bench/*'
	DEBUG=true $(BIN)/python manage.py english_catalogue
	DEBUG=true $(BIN)/python manage.py compilemessages -i '.venv/*'

clean:
	rm -rf var db.sqlite3
