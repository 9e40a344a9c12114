# vah-book: `make book` builds the site into _build/html; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MATHJAX := _vendor/mathjax/tex-chtml.js
JB_FLAGS := -W -n --keep-going
PORT ?= 8000

.PHONY: book test unit site lint serve clean bench screenshots

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(MATHJAX):
	bash scripts/fetch-mathjax.sh

# scripts/build.py drops _build when src/vah, book/_static or book/_ext change (the cache cannot see
# them), executes the pages in parallel into the cache, then runs jupyter-book build -W -n.
book: $(STAMP) $(MATHJAX)
	$(BIN)/python scripts/build.py .

# Build times against a floor book (empty code cells); writes _build/bench.json. Not in `test`.
bench: $(STAMP) $(MATHJAX)
	$(BIN)/python scripts/bench.py --baseline

# Full-page PNGs of every page at 1280 and 390 px into _build/screenshots (for reviewers).
screenshots: book
	$(BIN)/python scripts/screenshots.py .

lint: $(STAMP)
	$(BIN)/ruff check src tests

unit: $(STAMP)
	$(BIN)/pytest -m "not build and not browser and not venv" -q

test: book lint
	$(BIN)/pytest -q

serve: book
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory _build/html $(PORT)

clean:
	rm -rf _build
