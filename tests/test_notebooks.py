"""Execute every page as a notebook, and check it shows exactly what the build stored.

Each page of the table of contents is matched to the executed notebook the book build stored in
its execution cache (`_build/.jupyter_cache`); pytest-notebook's `NBRegressionFixture` runs that
notebook again in a fresh kernel (so a failing cell fails here too, with its traceback) and diffs
the new run against the stored one with nbdime, cell by cell and output by output. Only what may
differ between two runs is ignored (execution counts and timings, the kernel's patch version) or
replaced (object addresses, ISO timestamps). Two independent executions of the same commit must
agree, which is the book's determinism guarantee. The build runs several pages in one kernel,
reset between pages (scripts/build.py); this test runs each page in a kernel of its own, so it
also proves that sharing a kernel does not change what a page shows.

pytest-notebook's pytest plugin is disabled (`-p no:nb_regression` in pyproject.toml): the class
is used directly, and importing it emits `UserWarning`s that pyproject.toml filters.
"""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import pytest

from conftest import ROOT, toc_page_files

CACHE = ROOT / "_build" / ".jupyter_cache"
#: The output types a glued value must carry (else the diff would have nothing to compare).
COMPARED = ("text/plain", "text/markdown", "text/html", "image/svg+xml")
#: nbdime diff paths that may differ between two runs of the same code.
DIFF_IGNORE = (
    "/metadata/language_info/version",
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


def regression(built: nbformat.NotebookNode, page_dir: Path, work: Path):
    """Run ``built`` again in a fresh kernel (in ``page_dir``) and diff it with itself as stored:
    pytest-notebook's result, whose ``diff_filtered`` is empty when the two runs agree."""
    from pytest_notebook.nb_regression import NBRegressionFixture
    from pytest_notebook.post_processors import coalesce_streams

    # A kernel may send one print as one stream output or as two (text, then its newline): the
    # book renders them merged (nb_merge_streams), so both sides are compared merged too.
    # pytest-notebook's coalesce_streams runs on the new run only; the stored side gets the
    # same function here.
    built, _ = coalesce_streams(built, {})  # a copy
    path = work / "built.ipynb"
    nbformat.write(built, path)
    fixture = NBRegressionFixture(
        exec_cwd=str(page_dir), exec_timeout=600,
        post_processors=("coalesce_streams",),
        diff_ignore=DIFF_IGNORE, diff_replace=DIFF_REPLACE, diff_use_color=False)
    return fixture.check(str(path), raise_errors=False)


@pytest.mark.build
@pytest.mark.parametrize("doc", notebook_pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_page_executes_and_matches_the_build(doc: Path, tmp_path: Path):
    built = cached_build_notebook(doc)
    if built is None:
        pytest.fail(f"{doc.name}: no executed copy in the build cache; run `make book` first")
    result = regression(built, doc.parent, tmp_path)
    assert not result.diff_filtered, \
        f"{doc.name}: the new run differs from the build's:\n{result.diff_string}"
    values = glued(result.nb_final)
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


@pytest.fixture(scope="session")
def planted(tmp_path_factory) -> tuple[Path, Path, nbformat.NotebookNode]:
    """A one-cell page, and a cache holding its executed notebook as a build would store it."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from nbclient import NotebookClient

    root = tmp_path_factory.mktemp("planted")
    page = root / "page.md"
    page.write_text(PLANTED)
    nb = jupytext.read(page)
    # without timings in the cell metadata, which the cache hashes (as the build stores them)
    NotebookClient(nb, timeout=120, kernel_name="python3", record_timing=False).execute()
    cache = get_cache(str(root / "cache"))
    cache.cache_notebook_bundle(CacheBundleIn(nb, str(page)), check_validity=False)
    return page, root / "cache", nb


def test_an_unchanged_pair_gives_no_diff(planted, tmp_path):
    # the stored run has another object address, timestamp and execution count: none is a diff
    page, cache, _ = planted
    built = cached_build_notebook(page, cache)
    assert built is not None
    assert "0x" in built.cells[-1].outputs[0]["text"]
    result = regression(built, page.parent, tmp_path)
    assert result.diff_filtered == [], result.diff_string


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
    result = regression(built, page.parent, tmp_path)
    assert result.diff_filtered, "a changed output went unnoticed"
    assert "-41 " in result.diff_string and "+42 " in result.diff_string, result.diff_string
