# Gradiente: `make run` serves the site with its course; `make test` runs the suite.
# Both create .venv and install pinned requirements; nothing else needs installing by hand.

PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin
# CI sets requirements-bench.txt to also check the engine against PyTorch.
TEST_REQUIREMENTS ?= requirements-dev.txt

.PHONY: run test lint setup setup-test messages test-packages demo-data clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# A stamp per requirements file, so an unchanged environment is not reinstalled.
$(VENV)/.%.stamp: %.txt $(wildcard requirements*.txt) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r $<
	touch $@

setup: $(VENV)/.requirements.stamp messages

setup-test: $(VENV)/.$(basename $(TEST_REQUIREMENTS)).stamp messages

# Compile the gettext catalogues with Babel (pure Python: no system gettext needed).
messages: | $(BIN)/python
	$(BIN)/pybabel compile --domain django --directory locale --statistics 2>&1 | grep -v '^$$' || true
	@test -f locale/pt_BR/LC_MESSAGES/django.mo && test -f locale/en/LC_MESSAGES/django.mo

# The local site keeps its cache on disk (.cache/), so warm_figures' figures outlive it.
RUN_ENV := DEBUG=1 CACHE_DIR=.cache

demo-data: setup
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py import_course
	$(RUN_ENV) $(BIN)/python manage.py create_demo_instructor
	$(RUN_ENV) $(BIN)/python manage.py warm_figures

run: demo-data
	@echo ""
	@echo "  Gradiente is at http://127.0.0.1:$(PORT)/"
	@echo "  Instructors: http://127.0.0.1:$(PORT)/admin/  (user: instructor, password: gradiente-demo)"
	@echo ""
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The Debian packages the tests use: chromium for the browser tests (a test tool's own
# browser download is not used) and poppler-utils, which reads the certificate PDFs back.
test-packages:
	@command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium poppler-utils >/dev/null; }

lint: setup-test
	$(BIN)/ruff check .

test: setup-test test-packages lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .cache
