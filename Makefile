# Two commands matter: `make run` and `make test`. Everything else is a step they share.
# `make run` installs only what running the portal needs; `make test` (and `make install`)
# add the test tools, Chromium, Java and the browser checkers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
HOST ?= 127.0.0.1
PORT ?= 8000
# Local development defaults; production sets these in its own environment.
RUN_ENV := DEBUG=$${DEBUG:-1}
# A test run starts many Python processes (xdist workers, the browser suite, commands under
# test). Where the environment says not to write bytecode, each would compile every module
# it imports anew, pytest's rewritten test modules included: about 4 s a process.
# Bytecode goes to __pycache__ folders, which git ignores.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install runtime sysdeps browserdeps run test test-browser lint migrations-check \
  bench two-instance-drill db-restart-drill backup restore clean

# uv installs the packages into the venv: it resolves and downloads in parallel and skips
# compiling bytecode, which takes a fresh install from minutes to about a minute.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet 'uv>=0.5,<1'
UV_INSTALL := VIRTUAL_ENV=$(VENV) $(BIN)/uv pip install --quiet

# WeasyPrint needs Pango from the system, and archival copies of attachments Ghostscript;
# install them where we are allowed to.
SYSDEPS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core ghostscript
sysdeps:
	@if ! ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || ! command -v gs >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq $(SYSDEPS) >/dev/null; \
	  else echo "WeasyPrint and the archive need: $(SYSDEPS) (install them with your package manager)"; fi; \
	fi

$(RUN_STAMP): pyproject.toml | $(BIN)/python sysdeps
	$(UV_INSTALL) -e .
	touch $(RUN_STAMP)

# The test extras include what running needs: one pip pass (each pass asks the index about
# every package), and the run stamp is set with it.
$(TEST_STAMP): pyproject.toml | $(BIN)/python sysdeps
	$(UV_INSTALL) -e '.[test]'
	touch $(RUN_STAMP) $(TEST_STAMP)

# The browser tests drive Debian's Chromium (Playwright never downloads a browser) and run
# axe-core and the Nu Html Checker (Java) from the npm packages in tests/browser.
BROWSER_SYSDEPS := chromium default-jre-headless npm
browserdeps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "The browser tests need:$$missing (install them with your package manager)"; fi; \
	fi

NODE_STAMP := tests/browser/node_modules/.package-lock.json
$(NODE_STAMP): tests/browser/package.json tests/browser/package-lock.json | browserdeps
	@if command -v npm >/dev/null; then \
	  cd tests/browser && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && \
	  touch node_modules/.package-lock.json; \
	else echo "npm is missing: the browser tests cannot run until it is installed"; fi

# What running needs (make run, bench, backup); `install` is everything for development and tests.
runtime: $(RUN_STAMP)
install: $(TEST_STAMP) $(NODE_STAMP)

# A measurement against gunicorn and PostgreSQL (BENCH_DATABASE_URL), written to docs/benchmark.md,
# and of the search on SQLite and PostgreSQL, written to docs/benchmark-search.md.
bench: runtime
	@command -v wrk >/dev/null || { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get install -y -qq wrk >/dev/null; else echo "make bench needs wrk (Debian package wrk)"; exit 1; fi; }
	DEBUG=1 $(BIN)/python manage.py bench --scales 1,10,100  # the pages themselves run with DEBUG off
	DEBUG=1 $(BIN)/python manage.py bench_search  # search p95 and index size, SQLite and PostgreSQL

# Two gunicorn instances and a worker sharing PostgreSQL and Redis: an edit shows at once.
two-instance-drill: runtime
	DEBUG=1 $(BIN)/python manage.py two_instance_drill

# Restarts the local PostgreSQL under load; results appended to docs/reliability.md.
db-restart-drill: runtime
	DEBUG=1 $(BIN)/python manage.py db_restart_drill

run: runtime
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py seed
	$(RUN_ENV) $(BIN)/python manage.py arkivversjonar --bakgrunn  # archival copies, by the worker
	$(RUN_ENV) $(BIN)/python manage.py db_worker --interval 1 & \
	  worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(RUN_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

migrations-check: $(TEST_STAMP)
	@DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run >/dev/null || \
	  (echo "Model changes without a migration: run manage.py makemigrations"; exit 1)

# The suite in two steps: everything but the browser tests spread over the cores
# (pytest-xdist, one test database each), then the browser tests in one process (they share
# one Chromium and check the HTML they collected at the end). BROWSER=0 leaves those out.
WORKERS ?= auto
BROWSER ?= 1
test: install migrations-check
	$(BIN)/pytest -n $(WORKERS) --dist worksteal -m "not browser"
ifneq ($(BROWSER),0)
	$(BIN)/pytest -m browser
endif

# Only the browser tests (accessibility, valid HTML, keyboard, journeys).
test-browser: install
	$(BIN)/pytest -m browser

backup: runtime
	$(RUN_ENV) $(BIN)/python manage.py backup $(TO)

# make restore FROM=backups/20261123-120000
restore: runtime
	@test -n "$(FROM)" || (echo "Usage: make restore FROM=<backup directory>"; exit 1)
	$(RUN_ENV) $(BIN)/python manage.py restore --ja $(FROM)

# Python: ruff's checks and formatting, and mypy with Django's stubs (DEBUG=1: the settings
# need no secret key then). Templates: djhtml's indentation and lines of at most 120
# characters.
TEMPLATES = $(shell find templates */templates -name '*.html' | sort)
lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check $(TEMPLATES)
	@awk 'length > 120 { print FILENAME ":" FNR ": " length " characters"; long++ } \
	  END { if (long) { print long " template lines over 120 characters"; exit 1 } }' $(TEMPLATES)
	DEBUG=1 $(BIN)/mypy

clean:
	rm -rf $(VENV) db.sqlite3 media tests/browser/node_modules
