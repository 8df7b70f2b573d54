# Kyodo Portal — everyday commands. Each target is safe to run again.
#
#   make demo       the demo city at http://127.0.0.1:8000/ (PORT=8001 make demo for another port)
#   make test       the whole test suite, browser tests included (PYTEST_ARGS="-k login -x";
#                   TEST_WORKERS=0 for one process)
#   make install    Python packages into .venv, plus what the tests need (make test-deps)
#   make lint       ruff
#   make messages   update locale/ja/LC_MESSAGES/django.po from the code and templates
#   make bench      pages, exports and served rates at SCALE=small on SQLite; for the figures in
#                   docs/performance.md: make bench SCALE=large DATABASE_URL=postgres://… (BENCH_ARGS="--runs 50")
#   make clean      caches, collected static files, test artifacts, node_modules, bench databases

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp
CHROMIUM := /usr/bin/chromium
PYTEST_ARGS ?=
# make bench: grow_data's scale, and the database (by default a SQLite file of its own, so the
# demo database stays as it is). An exported DATABASE_URL is used as it is.
SCALE ?= small
DATABASE_URL ?= sqlite:///$(CURDIR)/bench/bench-$(SCALE).sqlite3
BENCH_ARGS ?=

.PHONY: help demo install test-deps system-deps test lint messages bench bench-deps clean

help:
	@sed -n 's/^#   //p' $(firstword $(MAKEFILE_LIST))

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml changed since the last install.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --disable-pip-version-check -e '.[dev]'
	touch $@

demo: $(STAMP)
	$(PY) manage.py migrate --noinput
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules; \
	else \
		echo "msgfmt not found (Debian package gettext): using the committed .mo files"; \
	fi
	$(PY) manage.py seed_demo
	@# The background worker beside the server, as in production: e-mail prints to this console.
	$(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; \
	$(PY) manage.py runserver 127.0.0.1:$${PORT:-8000}

install: $(STAMP) test-deps

# What the browser tests and the HTML checker need beyond Python: Debian's Chromium, Java for
# the Nu HTML Checker, Japanese fonts (so pages lay out as residents see them) and node_modules.
test-deps: system-deps $(NODE_STAMP)

system-deps:
	@missing=""; \
	[ -x $(CHROMIUM) ] || missing="$$missing chromium"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if command -v dpkg >/dev/null 2>&1 && ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then \
		missing="$$missing fonts-noto-cjk"; \
	fi; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then apt="env DEBIAN_FRONTEND=noninteractive apt-get"; \
	elif command -v sudo >/dev/null 2>&1; then apt="sudo env DEBIAN_FRONTEND=noninteractive apt-get"; \
	else \
		echo "error: the tests need these Debian packages:$$missing" >&2; \
		echo "install them as root: apt-get update && apt-get install -y$$missing" >&2; \
		exit 1; \
	fi; \
	echo "installing:$$missing"; \
	$$apt update; \
	$$apt install -y -o Dpkg::Options::=--force-confold $$missing

# axe-core and vnu.jar at the versions package-lock.json pins. --ignore-scripts: vnu-jar's
# install script would download a Java runtime; Debian's is used instead.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# Most tests run on every core (pytest-xdist; each test module stays on one worker, so a module's
# fixtures, such as the seeded demo city, are built once). Those that commit to the database
# (marked `serial` by tests/conftest.py: the browser tests and a few others) follow one at a
# time. Both runs always happen, and the target fails if either does. With PYTEST_ARGS, pytest
# runs once, as given.
TEST_WORKERS ?= auto

test: test-deps $(STAMP)
ifeq ($(strip $(PYTEST_ARGS)),)
	status=0; \
	$(VENV)/bin/pytest -m "not serial and not browser" -n $(TEST_WORKERS) --dist loadscope \
		|| status=$$?; \
	$(VENV)/bin/pytest -m "serial or browser" || status=$$?; \
	exit $$status
else
	$(VENV)/bin/pytest $(PYTEST_ARGS)
endif

lint: $(STAMP)
	$(VENV)/bin/ruff check .

messages: $(STAMP)
	$(PY) manage.py makemessages -l ja --ignore=node_modules --ignore=staticfiles \
		--ignore=media --ignore=test-artifacts

# ApacheBench (Debian's apache2-utils) drives the served part of the benchmark.
bench-deps:
	@if command -v ab >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then apt="env DEBIAN_FRONTEND=noninteractive apt-get"; \
	elif command -v sudo >/dev/null 2>&1; then apt="sudo env DEBIAN_FRONTEND=noninteractive apt-get"; \
	else \
		echo "error: the benchmark needs ApacheBench: apt-get install -y apache2-utils" >&2; \
		exit 1; \
	fi; \
	echo "installing: apache2-utils"; \
	$$apt update; \
	$$apt install -y -o Dpkg::Options::=--force-confold apache2-utils

# Prepares the database when it has no grown data yet (migrate, seed_demo, grow_data), then
# measures; prints the tables and writes bench/results-$(SCALE).json.
bench: bench-deps $(STAMP)
	DATABASE_URL='$(DATABASE_URL)' $(PY) scripts/bench.py --scale $(SCALE) $(BENCH_ARGS)

clean:
	find . -path ./.venv -prune -o -path ./node_modules -prune -o \
		-name __pycache__ -type d -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache staticfiles test-artifacts node_modules *.egg-info \
		bench/*.sqlite3 bench/*.sqlite3-*
