# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
# xstatic-bootstrap builds from source and needs setuptools<81 (pkg_resources) to do so.
export PIP_CONSTRAINT := $(CURDIR)/constraints.txt
export PIP_BUILD_CONSTRAINT := $(CURDIR)/constraints.txt
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install run worker test lint format bench messages clean backup restore

install: $(STAMP) locale/ru/LC_MESSAGES/django.mo

$(STAMP): pyproject.toml constraints.txt scripts/system-deps.sh
	./scripts/system-deps.sh
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

locale/ru/LC_MESSAGES/django.mo: locale/ru/LC_MESSAGES/django.po $(STAMP)
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages -l ru --ignore '.venv/*' >/dev/null

run: install
	DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input
	DJANGO_DEBUG=1 $(PY) manage.py load_demo --if-empty
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

# With DJANGO_DEBUG=1 large PDFs render inside the request (the immediate task backend).
# To try the production path: `DJANGO_TASKS_BACKEND=database make run`, and this beside it.
worker: install
	DJANGO_DEBUG=1 DJANGO_TASKS_BACKEND=database $(PY) manage.py db_worker

# The tests read pages and files with real clients (tests/clients/): Debian's Chromium,
# LibreOffice, poppler and Java (installed with apt-get as root, never downloaded by a test),
# and the Nu HTML checker and axe-core from npm at the versions package-lock.json pins.
test: install
	WITH_BROWSER=1 ./scripts/system-deps.sh
	$(MAKE) --no-print-directory $(NODE_STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

# --ignore-scripts: vnu-jar's install script would fetch a Java runtime; Debian's is used.
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The scale benchmark: PostgreSQL when DATABASE_URL is set, else a temporary SQLite file.
bench: install
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk; } || { echo "Run: sudo apt-get install -y wrk"; exit 1; }
	DJANGO_DEBUG=1 $(PY) manage.py bench

messages: install
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l ru --no-obsolete --ignore '.venv/*' --ignore 'tests/*'

# Both read the portal's environment (DATABASE_URL, DJANGO_MEDIA_ROOT...); locally prefix DJANGO_DEBUG=1.
backup: install
	$(PY) manage.py backup_portal --output $(or $(BACKUP_DIR),backups)

restore: install
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/clubportal-YYYYmmdd-HHMMSS"; exit 2; }
	$(PY) manage.py restore_portal $(BACKUP)

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache locale/ru/LC_MESSAGES/django.mo
