# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
LOCALES := surge/locale
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test test-postgres catalogs messages bench clean

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Surge needs Python 3.11 or newer: set PYTHON=python3.11 (or newer)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

# Compile the gettext catalogs (.po -> .mo); the .mo files are build output, not source.
catalogs: $(INSTALLED)
	$(BIN)/pybabel compile --domain messages --directory $(LOCALES) --use-fuzzy --statistics

# Re-extract every translatable string and merge it into each language's catalog.
messages: $(INSTALLED)
	$(BIN)/pybabel extract --mapping-file babel.cfg --keywords N_ --no-location --sort-output --width 100 --project Surge --version 0.1.0 --copyright-holder "the Surge contributors" --msgid-bugs-address "Surge maintainers" --output-file $(LOCALES)/messages.pot .
	$(BIN)/pybabel update --domain messages --input-file $(LOCALES)/messages.pot --output-dir $(LOCALES) --no-fuzzy-matching --ignore-obsolete --width 100

run: catalogs
	$(BIN)/surge db upgrade
	$(BIN)/surge demo
	$(BIN)/surge serve

test: catalogs
	$(BIN)/python -m pytest

test-postgres: catalogs
	SURGE_TEST_DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest

bench: catalogs
	for script in bench/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) surge.db surge.db-wal surge.db-shm
	find $(LOCALES) -name '*.mo' -delete
