# LOTUS: two commands do all set-up on a fresh machine.
#   make run   – install, build assets, migrate, load demo data once, serve on PORT (8000)
#   make test  – install, lint, security checks, check migrations, run the whole suite
# Needs: python3 (3.11+), Node 20+ with npm, make. Browser tests use /usr/bin/chromium.

PYTHON ?= python3
PORT ?= 8000
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
CHROMIUM ?= /usr/bin/chromium
# `make test` runs the suite in TEST_WORKERS processes (pytest-xdist), each test file whole
# in one process (docs/adr/0021). TEST_WORKERS=0 runs it in this process, one test at a time.
TEST_WORKERS ?= 2
PYTEST := $(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile

export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)

.PHONY: install run test lint checks migrations-check bench load clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.synced node_modules/.installed
	mkdir -p var

run: install
	$(VENV)/bin/lotus run --port $(PORT)

lint: install
	$(VENV)/bin/ruff check lotus tests bench
	$(PY) scripts/check_views.py

# bandit: nothing of medium severity or above (each exception justified inline with
# `# nosec Bxxx`); pip-audit on the locked requirements: fails on a known vulnerability,
# says loudly (and does not fail) when its vulnerability service cannot be reached.
checks: install
	$(VENV)/bin/bandit --quiet --recursive lotus --severity-level medium --exclude '*/migrations/*'
	$(PY) .ci/pip_audit.py $(UV) $(VENV)/bin/pip-audit

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

test: install lint checks migrations-check
	@if [ -x "$(CHROMIUM)" ]; then \
		echo "Browser tests: using $(CHROMIUM)"; \
		LOTUS_CHROMIUM=$(CHROMIUM) $(PYTEST); \
	elif [ -n "$$CI" ] && [ "$$CI" != "false" ]; then \
		echo "CI is set and $(CHROMIUM) is missing or not executable: failing instead of skipping the browser tests"; \
		exit 1; \
	else \
		echo "Browser tests SKIPPED: $(CHROMIUM) not found (apt-get install chromium to run them)"; \
		$(PYTEST) -m "not system"; \
	fi

bench: install
	$(PY) bench/run.py

# Locust, 50 users for 60 s against LOAD_SERVERS (2) `lotus serve` processes sharing a
# seeded demo database and Redis (SQLite, and PostgreSQL too when LOAD_DATABASE_URL names
# an empty throw-away database). Each request goes to either server at random.
LOAD_SERVERS ?= 2
load: install
	$(PY) bench/load.py --servers $(LOAD_SERVERS) $(if $(LOAD_DATABASE_URL),--database-url $(LOAD_DATABASE_URL),)

clean:
	rm -rf $(VENV) $(TOOLS) node_modules var
