# echos — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install demo test lint format bench load lock audit assets messages clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# Every dependency pinned with its hashes: the same install on every machine.
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check
	touch $(STAMP)

install: $(STAMP)  ## the virtualenv with everything, used by the other targets

demo: install  ## migrate, load reference and demo data, serve on http://$(HOST):$(PORT)
	$(BIN)/echos demo --host $(HOST) --port $(PORT)

test: install  ## the whole suite (browser tests run when Chromium is at /usr/bin/chromium)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	ECHOS_TESTING=1 ECHOS_DATA_DIR=$(CURDIR)/data/test $(BIN)/echos makemigrations --check --dry-run
	# The layers of docs/architecture.md (.importlinter), then the types ([tool.mypy] in pyproject.toml).
	$(BIN)/lint-imports --no-cache
	ECHOS_TESTING=1 ECHOS_DATA_DIR=$(CURDIR)/data/test $(BIN)/mypy
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests bench scripts

format: install
	$(BIN)/ruff format src tests bench scripts
	$(BIN)/ruff check --fix src tests bench scripts

bench: install  ## Europe-scale data (cached) on SQLite and on PostgreSQL + Redis, warm and cold pages as ratios to /healthz
	$(BIN)/python bench/run.py
	$(BIN)/python bench/synergies.py
	$(BIN)/python bench/continuity.py
	$(BIN)/python bench/exchange.py
	$(BIN)/python bench/library.py
	$(BIN)/python bench/engagement.py
	$(BIN)/python bench/engagement_network.py
	$(BIN)/python bench/dashboards.py
	$(BIN)/python bench/reports.py

load: install  ## loopback load test on PostgreSQL + Redis: page mix, consultation burst, fair day; vs /healthz
	$(BIN)/python bench/load.py

audit: install  ## pip-audit of requirements.lock; says "NOT DONE" (and passes) when the database is unreachable
	$(BIN)/python scripts/audit_dependencies.py

lock:  ## re-pin every dependency with hashes after changing pyproject.toml (needs pip-tools)
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra test --generate-hashes --strip-extras -o requirements.lock pyproject.toml

LANGS := bg cs da de el es et fi fr ga hr hu is it lt lv mt nb nl pl pt ro sk sl sv
messages: install  ## re-extract UI strings into the .po catalogues, then compile the .mo files (needs GNU gettext)
	cd src/echos && ECHOS_TESTING=1 ECHOS_DATA_DIR=$(CURDIR)/data/test $(CURDIR)/$(BIN)/echos makemessages --no-obsolete --no-location $(addprefix -l ,$(LANGS))
	cd src/echos && ECHOS_TESTING=1 ECHOS_DATA_DIR=$(CURDIR)/data/test $(CURDIR)/$(BIN)/echos compilemessages $(addprefix -l ,$(LANGS))

assets:  ## re-vendor front-end assets from npm into src/echos/static (needs node + npm)
	npm ci
	node scripts/vendor_assets.mjs

clean:
	rm -rf $(VENV) data/test .pytest_cache
