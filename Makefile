# vah-book: `make book` builds the site into _build/html; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MATHJAX := _vendor/mathjax/tex-chtml.js
JB_FLAGS := -W -n --keep-going
PORT ?= 8000

.PHONY: book test unit site lint serve clean bench

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(MATHJAX):
	bash scripts/fetch-mathjax.sh

# The execution cache cannot see changes in src/: when the package or its data change, the
# whole build directory is dropped so that every page is executed and re-read.
book: $(STAMP) $(MATHJAX)
	@hash=$$(find src/vah -type f \( -name '*.py' -o -name '*.csv' -o -name '*.yaml' \) \
	  -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16); \
	if [ "$$(cat _build/.src-hash 2>/dev/null)" != "$$hash" ]; then \
	  echo "src/vah changed: clean build"; rm -rf _build; fi; \
	mkdir -p _build && echo "$$hash" > _build/.src-hash.new
	$(BIN)/jupyter-book build . $(JB_FLAGS)
	@mv _build/.src-hash.new _build/.src-hash

lint: $(STAMP)
	$(BIN)/ruff check src tests

unit: $(STAMP)
	$(BIN)/pytest -m "not build and not browser" -q

test: book lint
	$(BIN)/pytest -q

serve: book
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory _build/html $(PORT)

clean:
	rm -rf _build
