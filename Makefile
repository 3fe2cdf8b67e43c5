# NRM Digital. `make run` serves the demo; `make test` runs every test. Both set everything up first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

# The embedded PostgreSQL and Redis (common/infrastructure.py) that this make starts are marked as its own, so
# that `make run` and `make test` stop those when they end, and never the servers of another terminal's make.
SERVERS_OWNER := make-$(shell echo $$PPID)
STOP_OUR_SERVERS := $(PY) -m common.infrastructure down --owner $(SERVERS_OWNER)

.PHONY: run stop test setup services migrate lint format chromium clamav clean

# supervisord (supervisord.conf) keeps web, worker, beat and scanner running: one that dies is started again.
# Ctrl-C stops them all and then the embedded servers this `make run` started; `make stop` does the same from
# another terminal.
run: setup .data/staticfiles/.collected
	@trap '$(STOP_OUR_SERVERS)' EXIT; \
	$(PY) manage.py seed_demo || exit; \
	echo "Serving http://127.0.0.1:$(PORT)  (emails are written to .data/mail)"; \
	echo "Ctrl-C (or 'make stop' in another terminal) stops every process and the embedded PostgreSQL and Redis"; \
	echo "that this make run started. A worker, beat or web process that dies is started again."; \
	trap : INT TERM; \
	CLAMD_ENABLED=$$(command -v clamd >/dev/null || test -x /usr/sbin/clamd && echo true || echo false) \
		$(VENV)/bin/supervisord -n -c supervisord.conf
	@# Uploads are scanned by the scanner program's clamd when it is installed; otherwise (demo only) they are
	@# marked clean with a "Not scanned for viruses" note, and the scanner process says so.

# Stops a `make run` of this checkout (its supervisord and every process) and every embedded server under .data.
stop:
	@if [ -f .data/supervisord.pid ] && pid=$$(cat .data/supervisord.pid) && kill -TERM "$$pid" 2>/dev/null; then \
		echo "Stopping make run's processes (supervisord $$pid)"; \
		while kill -0 "$$pid" 2>/dev/null; do sleep 0.2; done; \
	fi
	@if [ -x $(PY) ]; then $(PY) -m common.infrastructure down; fi

# The suite, then the embedded servers this make started are stopped (pytest's exit status is kept).
test: setup chromium clamav
	@trap '$(STOP_OUR_SERVERS)' EXIT; \
	set -e; \
	$(VENV)/bin/ruff check .; \
	$(VENV)/bin/ruff format --check .; \
	$(VENV)/bin/lint-imports --no-cache; \
	$(VENV)/bin/pytest

setup: $(VENV)/.installed node_modules/.installed static/vendor/.built .env services migrate

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev,local]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# GOV.UK Frontend's built dist/ goes into static/vendor (not committed); its CSS points at /assets/, so it is
# rewritten to the copied assets folder beside it.
static/vendor/.built: node_modules/.installed
	rm -rf static/vendor && mkdir -p static/vendor/govuk static/vendor/accessible-autocomplete
	cp -r node_modules/govuk-frontend/dist/govuk/assets static/vendor/govuk/
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.{js,js.map,css.map} static/vendor/govuk/
	sed 's#url(/assets/#url(assets/#g' node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css \
		> static/vendor/govuk/govuk-frontend.min.css
	cp node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.{js,css}{,.map} \
		static/vendor/accessible-autocomplete/
	touch $@

# Collected (and compressed) only when a static file or a dependency changed: a second `make run` is quick.
STATIC_SOURCES := $(shell find static -type f ! -name .built 2>/dev/null)
.data/staticfiles/.collected: $(VENV)/.installed static/vendor/.built $(STATIC_SOURCES) .env
	$(PY) manage.py collectstatic --noinput -v 0
	touch $@

# Local settings for plain HTTP on loopback with demo data; production sets real environment variables.
.env:
	@printf '%s\n' \
		"SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		"NRM_DEMO=true" \
		"HTTPS_ONLY=false" \
		"EMAIL_URL=filemail:///$(CURDIR)/.data/mail" \
		"LOG_FORMAT=plain" \
		"SERVICE_URL=http://127.0.0.1:$(PORT)" > $@
	@echo "Wrote .env for local demo use"

services: $(VENV)/.installed
	@$(PY) -m common.infrastructure up --owner $(SERVERS_OWNER)

migrate: services
	$(PY) manage.py migrate --noinput -v 0

chromium:
	@if ! command -v chromium >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "The browser tests need Debian's chromium: run 'sudo apt-get install chromium' and retry." >&2; exit 1; \
		fi; \
	fi

# ClamAV's daemon for the scanning tests, which start their own clamd with a local EICAR signature (no download).
clamav:
	@if ! command -v clamd >/dev/null && ! test -x /usr/sbin/clamd; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clamav-daemon >/dev/null; \
		else \
			echo "The scanning tests need Debian's clamav-daemon: run 'sudo apt-get install clamav-daemon' and retry." >&2; exit 1; \
		fi; \
	fi

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) node_modules static/vendor .data/staticfiles
