# Tejun — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-fast lint messages check-deploy wheelhouse check-install bench bench-quick load clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Development server on 127.0.0.1:8000 (TEJUN_HOST / TEJUN_PORT to change) with the demo body.
run: $(STAMP)
	TEJUN_DEBUG=1 $(BIN)/tejun serve

# The whole suite: unit, page, API and browser tests. Set DATABASE_URL to run it on PostgreSQL.
test: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

test-fast: $(STAMP)
	$(BIN)/pytest -m "not e2e"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/bandit -q -r tejun -c pyproject.toml --severity-level high

messages: $(STAMP)
	cd tejun && ../$(BIN)/django-admin makemessages -l en --ignore '*/migrations/*' && ../$(BIN)/django-admin compilemessages

check-deploy: $(STAMP)
	TEJUN_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) TEJUN_ALLOWED_HOSTS=tejun.example.lg.jp \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

# On a connected machine: every wheel Tejun needs, for an install on the closed network (docs/deploy.md).
wheelhouse: $(STAMP)
	rm -rf wheelhouse
	$(BIN)/python -m pip wheel --quiet --wheel-dir wheelhouse .

# Runs the commands of docs/deploy.md on this machine (PostgreSQL at 127.0.0.1 needed).
check-install:
	deploy/check-install.sh

# Performance (issue 8): a loadgen database on SQLite and PostgreSQL, gunicorn with 2 workers, one table
# of p50/p95/p99 against the targets, JSON under bench/results/. The full mode is run by hand (about an hour).
bench: $(STAMP)
	$(BIN)/python bench/run.py --scale full

# The same harness on small data, and a short load run (10 users, 15 s), in CI, so neither rots.
bench-quick: $(STAMP)
	$(BIN)/python bench/run.py --scale quick
	$(BIN)/python bench/load.py --users 10 --seconds 15 --scale quick

# 50 simulated users for 60 s on loopback; every transition that succeeded is counted in the database and the audit chain.
load: $(STAMP)
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) build wheelhouse *.egg-info
