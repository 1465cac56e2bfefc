# One-word entry points. Every target sets up .venv itself; a second run is quick.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=
# The suite runs in one worker per core (pytest-xdist); TEST_WORKERS=0 runs it in this process.
TEST_WORKERS ?= 2
VENDOR := src/medmentor/static/vendor

.PHONY: install demo test lint format bench migrations-check messages makemessages browsers clean

VENDORED := $(VENDOR)/htmx.min.js $(VENDOR)/tom-select.complete.min.js $(VENDOR)/tom-select.css \
            $(VENDOR)/htmx.LICENSE $(VENDOR)/tom-select.LICENSE

install: $(VENV)/.installed $(VENDORED) messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip

# Re-installs only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev,postgres,redis]"
	touch $@

# Front-end libraries come from the npm registry at build time, never from a CDN.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR)/htmx.min.js: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $@

# Tom Select styles itself through the CSSOM (element.style), which the CSP's
# style-src 'self' allows, and never writes style attributes or <style> elements.
$(VENDOR)/tom-select.complete.min.js: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/tom-select/dist/js/tom-select.complete.min.js $@
	# collectstatic's manifest follows sourceMappingURL: the map must be there too.
	cp node_modules/tom-select/dist/js/tom-select.complete.min.js.map $(VENDOR)/

$(VENDOR)/tom-select.css: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/tom-select/dist/css/tom-select.default.min.css $@
	cp node_modules/tom-select/dist/css/tom-select.default.min.css.map $(VENDOR)/

# Each library's licence travels with the copy we serve (THIRD_PARTY.md lists them).
$(VENDOR)/%.LICENSE: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/$(if $(filter htmx,$*),htmx.org,$*)/LICENSE $@

messages: $(VENV)/.installed
	$(BIN)/medmentor compile-messages

makemessages: $(VENV)/.installed
	$(BIN)/medmentor make-messages

demo: install
	$(BIN)/medmentor demo --host $(HOST) --port $(PORT)

# Browser journeys run in their own process: their real transactions flush the database,
# and they must start from the data the migrations seeded.
# Both runs are measured by coverage.py; the report lists the services and selectors
# with lines no test runs, then the total (quoted in the README's contributing section).
# COVERAGE=0 runs the same tests unmeasured (CI measures the SQLite run only: the lines
# run are the same on PostgreSQL, and measuring doubles the time).
COVERAGE ?= 1
ifeq ($(COVERAGE),0)
test: install browsers lint migrations-check
	$(BIN)/pytest -m "not browser" -n $(TEST_WORKERS) $(PYTEST_ARGS)
	$(BIN)/pytest -m browser $(PYTEST_ARGS)
else
test: install browsers lint migrations-check
	$(BIN)/coverage erase
	$(BIN)/coverage run -m pytest -m "not browser" -n $(TEST_WORKERS) $(PYTEST_ARGS)
	$(BIN)/coverage run -m pytest -m browser $(PYTEST_ARGS)
	$(BIN)/coverage combine -q
	$(BIN)/coverage report --skip-covered --show-missing --include="*/services.py,*/services/*.py,*/selectors.py,*/selectors/*.py"
	$(BIN)/coverage report --format=total | sed 's/^/Coverage of src\/medmentor (lines): /; s/$$/ %/'
endif

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests scripts $(wildcard benchmarks)
	$(BIN)/ruff format --check src tests scripts $(wildcard benchmarks)
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

format: $(VENV)/.installed
	$(BIN)/ruff check --fix src tests scripts $(wildcard benchmarks)
	$(BIN)/ruff format src tests scripts $(wildcard benchmarks)

migrations-check: $(VENV)/.installed
	$(BIN)/medmentor makemigrations --check --dry-run

$(VENV)/.bench-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev,postgres,redis,bench]"
	touch $@

bench: install $(VENV)/.bench-installed
	$(BIN)/python benchmarks/run.py

# The tests' system packages, from Debian (never a downloaded build): Chromium for the
# browser journeys, xmlsec1 for the SAML identity provider that signs test assertions.
# As root we install them; otherwise those tests skip and say how to get them.
SYSTEM_PACKAGES := $(if $(or $(wildcard /usr/bin/chromium),$(CHROMIUM_PATH)),,chromium) \
                   $(if $(wildcard /usr/bin/xmlsec1),,xmlsec1)

browsers:
	@if [ -z "$(strip $(SYSTEM_PACKAGES))" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	else echo "note: no $(strip $(SYSTEM_PACKAGES)); their tests will skip (apt-get install $(strip $(SYSTEM_PACKAGES)))"; fi

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
