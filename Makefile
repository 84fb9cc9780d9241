# Veche: `make run` serves the demo site, `make test` runs the whole test suite.
# Needs only Python 3.11+ and make. Everything else is installed into .venv.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test test-fast install demo translations messages check clean bench

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed

translations: install
	@$(PY) manage.py compile_translations --verbosity 0

# The public address of the demo: drives the Site record and every link in an email (docs/deploy.md).
demo run: export VECHE_BASE_URL ?= http://$(HOST):$(PORT)

demo: translations
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

run: demo
	@echo "Site: http://$(HOST):$(PORT)/   Admin: http://$(HOST):$(PORT)/admin/"
	$(PY) manage.py runserver $(HOST):$(PORT)

# The browser tests run in their own pytest process: they need a live server and a database restored
# between tests (serialized rollback), which does not mix well with the in-transaction tests.
test: translations
	$(PY) -m pytest -m "not e2e" $(PYTEST_ARGS)
	$(PY) -m pytest tests/e2e $(PYTEST_ARGS)

# The suite without browser tests (what CI also runs on SQLite).
test-fast: translations
	$(PY) -m pytest -m "not e2e" $(PYTEST_ARGS)

# Extract UI strings into locale/ (site shell) and <app>/locale/ (needs GNU gettext: apt install gettext).
messages: install
	bash scripts/makemessages.sh

check: install
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

bench: install
	$(PY) bench/petitions.py

clean:
	rm -rf $(VENV) staticfiles var
