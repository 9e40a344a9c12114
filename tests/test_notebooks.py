"""Every page's executed notebook, as the build stored it, against an independent execution.

Each page of the table of contents is matched to the executed notebook ``make book`` stored in
its execution cache (`_build/.jupyter_cache`) and to the one the second clean build stored (the
``second_build`` fixture of conftest.py: Jupyter Book alone, each page in a kernel of its own, an
empty disk cache). pytest-notebook's diffing (nbdime) compares them cell by cell and output by
output. Only what may differ between two runs is ignored (execution counts and timings, the
kernel's patch version) or replaced (object addresses, ISO timestamps). Two independent
executions of the same commit must agree, which is the book's determinism guarantee; and as the
build runs several pages in one kernel, reset between pages (scripts/build.py), while the second
build runs each page in a kernel of its own, it also proves that sharing a kernel does not
change what a page shows. No page is executed a third time for this test.

pytest-notebook's pytest plugin is disabled (`-p no:nb_regression` in pyproject.toml): its
functions are used directly, and importing them emits `UserWarning`s that pyproject.toml filters.
"""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import pytest

from conftest import ROOT, SECOND_BUILD_GROUP, toc_page_files

CACHE = ROOT / "_build" / ".jupyter_cache"
#: The output types a glued value must carry (else the diff would have nothing to compare).
COMPARED = ("text/plain", "text/markdown", "text/html", "image/svg+xml")
#: nbdime diff paths that may differ between two runs of the same code.
DIFF_IGNORE = (
    "/metadata/language_info/version",
    "/cells/*/id",  # drawn at random each time a MyST page is read as a notebook
    "/metadata/source_map",  # the MyST lines of each cell, which only Jupyter Book records
    "/cells/*/execution_count",
    "/cells/*/outputs/*/execution_count",
    "/cells/*/metadata/execution",
)
#: Text that may differ between two runs, replaced in both notebooks before the diff.
DIFF_REPLACE = (
    ("/cells/*/outputs", r"\b0x[0-9a-fA-F]{6,16}\b", "0xADDRESS"),
    ("/cells/*/outputs", r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?", "TIMESTAMP"),
)


def notebook_pages() -> list[Path]:
    return [p for p in toc_page_files() if "kernelspec:" in p.read_text()[:400]]


def glued(nb: nbformat.NotebookNode) -> dict[str, dict[str, str]]:
    """Every glued value of an executed notebook: name -> {mime type: data}."""
    values: dict[str, dict[str, str]] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("scrapbook")
            if meta:
                prefix = meta.get("mime_prefix", "")
                data = {k.removeprefix(prefix): v for k, v in output.get("data", {}).items()}
                values[meta["name"]] = {k: data[k] for k in COMPARED if k in data}
    return values


def cached_build_notebook(page: Path, cache_dir: Path = CACHE) -> nbformat.NotebookNode | None:
    """The executed notebook the build stored for ``page`` (matched on its code), or None."""
    from jupyter_cache import get_cache

    if not cache_dir.exists():
        return None
    cache = get_cache(str(cache_dir))
    try:
        record = cache.match_cache_notebook(jupytext.read(page))
    except KeyError:
        return None
    return cache.get_cache_bundle(record.pk).nb


def compare(built: nbformat.NotebookNode, other: nbformat.NotebookNode) -> tuple[list, str]:
    """pytest-notebook's filtered nbdime diff of two executions of one page (empty when they
    agree), and the diff as text."""
    from pytest_notebook.diffing import diff_notebooks, diff_to_string, filter_diff
    from pytest_notebook.notebook import regex_replace_nb
    from pytest_notebook.post_processors import coalesce_streams

    # A kernel may send one print as one stream output or as two (text, then its newline): the
    # book renders them merged (nb_merge_streams), so both sides are compared merged.
    sides = [regex_replace_nb(coalesce_streams(nb, {})[0], list(DIFF_REPLACE))
             for nb in (built, other)]
    found = filter_diff(diff_notebooks(*sides), set(DIFF_IGNORE))
    return found, diff_to_string(sides[0], found, use_color=False)


@pytest.mark.build
@SECOND_BUILD_GROUP
@pytest.mark.parametrize("doc", notebook_pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_page_executes_and_matches_the_build(doc: Path, second_build: Path):
    built = cached_build_notebook(doc)
    if built is None:
        pytest.fail(f"{doc.name}: no executed copy in the build cache; run `make book` first")
    again = cached_build_notebook(second_build / doc.relative_to(ROOT),
                                  second_build / "_build" / ".jupyter_cache")
    assert again is not None, f"{doc.name}: the second build stored no executed copy"
    found, text = compare(built, again)
    assert not found, f"{doc.name}: the second build's run differs from make book's:\n{text}"
    values = glued(again)
    assert values and all(values.values()), \
        f"{doc.name}: a glued value has no text, table or figure to compare"


PLANTED = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
# Planted

```{code-cell} ipython3
import datetime
print(6 * 7, object(), datetime.datetime.now().isoformat())
```
"""


def run(page: Path, cache: Path | None = None) -> nbformat.NotebookNode:
    """``page`` executed in a kernel of its own, without timings in the cell metadata (which
    the cache hashes), as a build stores it; with ``cache``, stored there and read back."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from nbclient import NotebookClient

    nb = jupytext.read(page)
    NotebookClient(nb, timeout=120, kernel_name="python3", record_timing=False).execute()
    if cache is None:
        return nb
    get_cache(str(cache)).cache_notebook_bundle(CacheBundleIn(nb, str(page)),
                                                check_validity=False, overwrite=True)
    stored = cached_build_notebook(page, cache)
    assert stored is not None
    return stored


@pytest.fixture(scope="session")
def planted(tmp_path_factory) -> tuple[Path, Path, nbformat.NotebookNode]:
    """A one-cell page, and a cache holding its executed notebook as a build would store it."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    root = tmp_path_factory.mktemp("planted")
    page = root / "page.md"
    page.write_text(PLANTED)
    nb = run(page)
    cache = get_cache(str(root / "cache"))
    cache.cache_notebook_bundle(CacheBundleIn(nb, str(page)), check_validity=False)
    return page, root / "cache", nb


def test_an_unchanged_pair_gives_no_diff(planted, tmp_path):
    # another run has another object address, timestamp and execution count: none is a diff
    page, cache, _ = planted
    built = cached_build_notebook(page, cache)
    assert built is not None
    assert "0x" in built.cells[-1].outputs[0]["text"]
    found, text = compare(built, run(page, tmp_path / "again"))
    assert found == [], text


def test_a_changed_cached_output_is_reported_as_a_diff(planted, tmp_path):
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    page, _, nb = planted
    changed = nbformat.from_dict(nb)
    output = changed.cells[-1].outputs[0]
    assert output["text"].startswith("42 ")
    output["text"] = "41 " + output["text"][3:]
    other = tmp_path / "cache"
    get_cache(str(other)).cache_notebook_bundle(CacheBundleIn(changed, str(page)),
                                                check_validity=False)
    built = cached_build_notebook(page, other)
    assert built is not None
    found, text = compare(built, run(page, tmp_path / "again"))
    assert found, "a changed output went unnoticed"
    assert "-41 " in text and "+42 " in text, text
