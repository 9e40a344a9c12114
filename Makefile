# vah-book: `make book` builds the site into _build/html; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MATHJAX := _vendor/mathjax/tex-chtml.js
JB_FLAGS := -W -n --keep-going
PORT ?= 8000
# The wheels of requirements.txt, kept between runs and clones; the fresh-venv test installs from
# it with --no-index (tests/test_notebook_download.py reads $VAH_WHEELHOUSE).
export VAH_WHEELHOUSE ?= $(HOME)/.cache/vah-book/wheelhouse
# kept out of the venv: see the install rule below
NOT_INSTALLED := rfc3987-syntax lark fqdn isoduration arrow uri-template webcolors jsonpointer

.PHONY: book pdf test unit site lint serve clean bench screenshots diff

# requirements.txt is a full freeze, installed with --no-deps so that nothing outside it comes in.
# It leaves out jsonschema's optional format checkers that pytest-notebook's tree would bring
# (jupyter-events wants jsonschema[format-nongpl]): jsonschema imports them with nbformat in every
# process that reads a notebook, and rfc3987-syntax alone costs 0.8 s or more there (README). The
# uninstall mends a .venv made before; pip check finds a pin missing from the freeze. pip wheel
# fetches (or, for an sdist, builds) a wheel of each pin into the wheelhouse; the venv is then
# installed from it alone.
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip wheel --quiet --disable-pip-version-check --no-deps -w $(VAH_WHEELHOUSE) \
	    -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-index \
	    --find-links $(VAH_WHEELHOUSE) -r requirements.txt
	$(BIN)/pip uninstall --quiet --yes $(NOT_INSTALLED) 2>/dev/null || true
	$(BIN)/pip check >/dev/null
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(MATHJAX):
	bash scripts/fetch-mathjax.sh

# scripts/build.py drops _build when src/vah, book/_static or book/_ext change (the cache cannot see
# them), executes the pages in parallel into the cache, then runs jupyter-book build -W -n.
# scripts/pdf.py then prints the book from the same cache (singlehtml + Debian's chromium) to
# _build/pdf/vah-book.pdf and copies it into _build/html, where the home page links it.
# scripts/chromium.sh installs Debian's chromium when it is missing (as root; as another user it
# says what to run and fails after the site is built).
book: $(STAMP) $(MATHJAX)
	$(BIN)/python scripts/build.py .
	bash scripts/chromium.sh
	$(BIN)/python scripts/pdf.py .

# The printed edition alone is part of `book` (the site links it): `make pdf` is the same build.
pdf: book

# Build times against a floor book (empty code cells); writes _build/bench.json. Not in `test`.
bench: $(STAMP) $(MATHJAX)
	$(BIN)/python scripts/bench.py --baseline

# Full-page PNGs of every page at 1280 and 390 px into _build/screenshots (for reviewers).
screenshots: book
	$(BIN)/python scripts/screenshots.py .

# Which numbers a change moves: `vah results` of BASE (a git ref, built in a temporary worktree)
# against the working tree's, compared by `vah diff` (exit 1 if any value changed).
diff: $(STAMP)
	bash scripts/diff-results.sh "$(BASE)" $(BIN)/python

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts book/_ext

unit: $(STAMP)
	$(BIN)/pytest -m "not build and not browser and not venv" -q

test: book lint
	$(BIN)/pytest -q

serve: book
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory _build/html $(PORT)

clean:
	rm -rf _build
