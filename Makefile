# SDG 8.7 Knowledge Platform. `make run` serves it; `make test` tests it. Both are idempotent.
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: run test install migrate data static lint typecheck format messages e2e clean-db bench

$(STAMP): pyproject.toml
	@test -x $(PY) || $$(scripts/find-python) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

var:
	@mkdir -p var

migrate: install var
	$(PY) manage.py migrate --noinput

data: migrate
	$(PY) manage.py load_data

static: install var
	$(PY) manage.py collectstatic --noinput --verbosity 0

messages: install
	$(PY) manage.py compilemessages --ignore=.venv --verbosity 0

run: data static messages
	@echo ""
	@echo "Serving on http://127.0.0.1:$(PORT)/  (API docs: http://127.0.0.1:$(PORT)/api/v1/docs)"
	@echo "First admin user: $(PY) manage.py createadmin   (then sign in at /admin/)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install var messages
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest -p no:cacheprovider -n 2 --dist loadfile -m "not e2e"

e2e: install var
	DJANGO_SETTINGS_MODULE=config.settings.test DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -p no:cacheprovider tests/e2e -m e2e

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/mypy sdg87 config
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	$(PY) bench/load_data.py
	$(PY) bench/api_load.py

clean-db:
	rm -f var/sdg87.sqlite3 var/sdg87.sqlite3-wal var/sdg87.sqlite3-shm
