# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
LOCALES := surge/locale
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
# This install's own random secret, made once by `make run` when SURGE_SECRET_KEY is unset, so the
# demo token and session signatures differ on every install. Git ignores it; only its owner reads it.
SECRET_FILE := .surge-secret

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
	@if [ -z "$$SURGE_SECRET_KEY" ] && [ ! -s $(SECRET_FILE) ]; then \
		(umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(48))" > $(SECRET_FILE).tmp) && \
		mv $(SECRET_FILE).tmp $(SECRET_FILE) && echo "wrote a random SURGE_SECRET_KEY for this install to $(SECRET_FILE)"; \
	fi
	@export SURGE_SECRET_KEY="$${SURGE_SECRET_KEY:-$$(cat $(SECRET_FILE))}" && \
	$(BIN)/surge db upgrade && \
	$(BIN)/surge demo && \
	exec $(BIN)/surge serve

test: catalogs
	$(BIN)/python -m pytest

test-postgres: catalogs
	SURGE_TEST_DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest

bench: catalogs
	for script in bench/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) surge.db surge.db-wal surge.db-shm
	find $(LOCALES) -name '*.mo' -delete
