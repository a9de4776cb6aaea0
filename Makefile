# SDG 8.7 Knowledge Platform. `make run` serves it; `make test` tests it. Both are idempotent.
#
#   make run      create .venv, install, migrate, load the bundled data, serve (runserver, DEBUG)
#                 with the task worker (manage.py db_worker) beside it
#   make serve    the same preparation, served by gunicorn with DEBUG off (production-like),
#                 also with the task worker
#   make test     install if needed and run the whole suite (not the browser tests)
#   make e2e      browser tests (Playwright + Debian's /usr/bin/chromium)
#   make fuzz     hypothesis fuzz of the upload parsers and the CKAN API, schemathesis against
#                 the REST API on a live gunicorn; zero server errors allowed (tests/fuzz)
#   make cluster-test  two gunicorn nodes, nginx, Redis, PostgreSQL and a task worker on this
#                 machine (tests/cluster, docs/deployment.md)
#   make lock     re-resolve requirements/lock.txt (pins and hashes of every dependency)
#   make lint     ruff, ruff format --check, mypy, makemigrations --check
#   make bench    load-time and HTTP load benchmarks (see docs/performance.md)
#
# SDG87_DATABASE_URL selects the database (default: SQLite under var/).
PORT ?= 8000
# Absolute links (e-mails, embed code, Wagtail) follow the port unless set explicitly.
export SDG87_SITE_URL ?= http://127.0.0.1:$(PORT)
WORKERS ?= 3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Extra arguments for the main pytest run, e.g. `make test PYTEST_ARGS="-n 0 -x"`.
PYTEST_ARGS ?= -n 2 --dist loadfile --durations=10
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

# Inputs of the cheap-when-unchanged steps (collectstatic, compilemessages).
STATIC_INPUTS := $(shell find static sdg87 -path '*/static/*' -type f 2>/dev/null)
PO_FILES := $(shell find locale sdg87 -name '*.po' -path '*/LC_MESSAGES/*' 2>/dev/null)

.PHONY: run serve test install prepare migrate data static lint typecheck format messages e2e \
	clean-db bench ci fuzz lock cluster-test schema-snapshot

# pytest exits 5 when it collected nothing; that must fail, never pass silently.
define run_pytest
	@set +e; $(1) $(PY) -m pytest -p no:cacheprovider $(2); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make: pytest collected no tests; failing." >&2; exit 1; fi; \
	exit $$rc
endef

# Every dependency (runtime, dev, browser tests, and pip, setuptools and uv themselves) is pinned
# with hashes in requirements/lock.txt; `make lock` regenerates it (see docs/howto/dependencies.md).
LOCK := requirements/lock.txt

# Reinstall only when the lock or pyproject.toml changes, or when .venv holds a Python older
# than 3.12. scripts/install-lock installs the lock hash-checked with uv (pip only bootstraps
# the pinned uv; pip does it all where uv cannot run, or with SDG87_INSTALLER=pip; ADR 0018),
# then the project itself, editable, without touching the pinned set. The venv starts without
# pip (ensurepip costs ~10 s); the lock brings pip.
$(STAMP): $(LOCK) pyproject.toml scripts/install-lock
	@if ! { test -x $(PY) && $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; }; then \
		rm -rf $(VENV); py=$$(scripts/find-python) && echo "Creating $(VENV) with $$py" && \
		$$py -m venv --without-pip $(VENV); \
	fi
	@scripts/install-lock $(VENV) $(LOCK)
	@touch $(STAMP)

install: $(STAMP)

# Re-resolve requirements/lock.txt from the ranges in pyproject.toml (and requirements/build.in)
# for Python >= 3.12 on every platform, with hashes, then commit it; `make install` (and so
# `make test`, `make run`) brings .venv to it. Pins that still fit are kept unless asked:
# `make lock UPGRADE=django` moves one package, `make lock UPGRADE=all` every one.
lock: install
	$(VENV)/bin/uv pip compile pyproject.toml requirements/build.in --extra dev --universal \
		--python-version 3.12 --generate-hashes --quiet --output-file $(LOCK) \
		$(if $(filter all,$(UPGRADE)),--upgrade,$(if $(UPGRADE),--upgrade-package $(UPGRADE)))

var:
	@mkdir -p var

# Migrate and load in one Python process: both are no-ops when nothing changed (load_data is
# checksummed per step), and one interpreter start keeps a second `make run` fast.
define PREPARE_PY
import sys
import django
django.setup()
from django.core.management import call_command
from django.core.management.base import CommandError
try:
    # The compiled catalogues first: the search index is built under each language. What
    # `make messages` does, here in this process (0.04 s; a Django start of its own costs ~2 s).
    call_command("compilemessages", ignore_patterns=[".venv", "var"], verbosity=0)
    # An empty SQLite database takes the checked-in schema snapshot first (ADR 0017).
    call_command("schema_snapshot", "migrate", verbosity=0)
    call_command("load_data")
    call_command("statistics_sync", verbosity=0)
    call_command("screenings_expire", schedule=True)  # hourly, self-rescheduling (issue 13)
    # No worker runs yet: a task still RUNNING was left by a killed one (sdg87.ops.stale_tasks).
    call_command("tasks_requeue_stale", older_than=0)
    call_command("search_reindex", if_stale=True)
except CommandError as exc:
    sys.exit(f"CommandError: {exc}")
endef
export PREPARE_PY

# collectstatic reads neither the database nor the message catalogues and writes only
# var/static: `make run` and `make serve` run it beside prepare (two jobs; the load keeps one
# core of two busy), which takes its seconds off a fresh start. prepare compiles the catalogues.
prepare: install var
	@$(PY) -c "$$PREPARE_PY"

PREPARE_PARALLEL = @$(MAKE) --no-print-directory -j2 prepare static

migrate: install var
	$(PY) manage.py schema_snapshot migrate

# Regenerate sdg87/core/schema_snapshot.sql (after adding or changing a migration; ADR 0017).
schema-snapshot: install
	$(PY) manage.py schema_snapshot write

data: migrate
	$(PY) manage.py load_data
	$(PY) manage.py search_reindex --if-stale

var/.static.stamp: $(STAMP) $(STATIC_INPUTS) | var
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@touch $@

static: var/.static.stamp

var/.messages.stamp: $(STAMP) $(PO_FILES) | var
	$(PY) manage.py compilemessages --ignore=.venv --ignore=var --verbosity 0
	@touch $@

messages: var/.messages.stamp

# The task worker (notification e-mail, see README "Task worker") runs beside the web server in
# the same shell and stops with it: the EXIT trap ends it (gracefully, SIGTERM lets a running
# task finish) whenever the server exits or the recipe is interrupted. No code reloading in the
# worker: restart `make run` after changing a task.
WORKER = $(PY) manage.py db_worker --queue-name '*' --no-reload
# $(1): the server command; $(2): optional shell commands run first (e.g. an export).
define with_task_worker
	@$(2) $(WORKER) & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT; trap 'exit 143' TERM HUP; \
	echo "Task worker running (pid $$worker)"; \
	$(1)
endef

run:
	$(PREPARE_PARALLEL)
	@echo ""
	@echo "Serving on http://127.0.0.1:$(PORT)/  (API docs: http://127.0.0.1:$(PORT)/api/v1/docs)"
	@echo "First admin user: $(PY) manage.py createadmin   (then sign in at /admin/)"
	@echo ""
	$(call with_task_worker,$(PY) manage.py runserver 127.0.0.1:$(PORT))

# Production-like: gunicorn sync workers, DEBUG off, static files from WhiteNoise (hashed URLs).
serve:
	$(PREPARE_PARALLEL)
	@echo "Serving with gunicorn on http://127.0.0.1:$(PORT)/ ($(WORKERS) workers, DEBUG off)"
	$(call with_task_worker,$(VENV)/bin/gunicorn config.wsgi:application \
		--bind 127.0.0.1:$(PORT) --workers $(WORKERS) --preload --access-logfile - --timeout 60,\
		export SDG87_DEBUG=false;)

test: install messages | var
	$(call run_pytest,DJANGO_SETTINGS_MODULE=config.settings.test,$(PYTEST_ARGS) -m "not e2e and not fuzz and not cluster")

e2e: install messages | var
	@test -x /usr/bin/chromium || { echo "make e2e needs /usr/bin/chromium (apt-get install chromium)" >&2; exit 1; }
	$(call run_pytest,DJANGO_SETTINGS_MODULE=config.settings.test DJANGO_ALLOW_ASYNC_UNSAFE=true,tests/e2e -m e2e)

# The fuzz tests (marker `fuzz`, left out of `make test`) with a fixed seed, then schemathesis
# against /api/v1/openapi.json on gunicorn with var/ci/fuzz-api.sqlite3 (kept between runs).
# FUZZ_SCALE=10 searches ten times longer; FUZZ_EXAMPLES sets schemathesis' examples per
# operation (20). See tests/fuzz/run_fuzz.py.
fuzz: install messages | var
	$(PY) tests/fuzz/run_fuzz.py

# The production layout on this machine (tests/cluster, marker `cluster`, docs/deployment.md):
# PostgreSQL 127.0.0.1:5432 (throwaway copy of a kept template), Redis 127.0.0.1:6379
# (database CLUSTER_REDIS_DB, 13), two gunicorn nodes, Debian's nginx, one db_worker.
cluster-test: install static messages | var
	@test -x /usr/sbin/nginx || { echo "make cluster-test needs nginx (apt-get install nginx)" >&2; exit 1; }
	$(call run_pytest,DJANGO_SETTINGS_MODULE=config.settings.test,tests/cluster -m cluster -n 0 --durations=10)

lint: install | var
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/mypy sdg87 config tests && DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/mypy conftest.py
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	@# the checked-in schema snapshot equals a fresh migrate: schema, migrations and every row
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py schema_snapshot check

typecheck: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/mypy sdg87 config tests && DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/mypy conftest.py

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	$(PY) bench/load_data.py
	$(PY) bench/api_load.py

ci:
	.ci/run

clean-db:
	rm -f var/sdg87.sqlite3 var/sdg87.sqlite3-wal var/sdg87.sqlite3-shm
