"""Execute every page as a notebook, and check it gives the values the built site shows.

Each page of the table of contents is executed in a fresh kernel (nbclient), so a failing cell
fails here too, with its traceback. Its glued values (text, tables, SVG figures) and every other
output are then compared with those stored by the book build in its execution cache: two
independent executions of the same commit must agree, which is the book's determinism
guarantee. The build runs several pages in one kernel, reset between pages (scripts/build.py);
this test runs each page in a kernel of its own, so it also proves that sharing a kernel does not
change what a page shows.
"""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT, toc_page_files

CACHE = ROOT / "_build" / ".jupyter_cache"
COMPARED = ("text/plain", "text/markdown", "text/html", "image/svg+xml")


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


def outputs(nb: nbformat.NotebookNode) -> list[tuple[int, str, str]]:
    """Every displayed output: (code cell, mime type, data), in order, streams included."""
    out = []
    code_cells = (c for c in nb.cells if c.cell_type == "code")
    for index, cell in enumerate(code_cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                out.append((index, "stream", output.get("text", "")))
            for mime in COMPARED:
                data = output.get("data", {})
                for key in (mime, f"application/papermill.record/{mime}"):
                    if key in data:
                        out.append((index, key, data[key]))
    return out


def execute(page: Path) -> nbformat.NotebookNode:
    nb = jupytext.read(page)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(page.parent)}}).execute()
    return nb


def cached_build_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode | None:
    from jupyter_cache import get_cache

    if not CACHE.exists():
        return None
    cache = get_cache(str(CACHE))
    try:
        record = cache.match_cache_notebook(nb)
    except KeyError:
        return None
    return cache.get_cache_bundle(record.pk).nb


@pytest.mark.build
@pytest.mark.parametrize("page", notebook_pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_page_executes_and_matches_the_build(page: Path):
    nb = execute(page)
    values = glued(nb)
    built = cached_build_notebook(jupytext.read(page))
    if built is None:
        pytest.fail(f"{page.name}: no executed copy in the build cache; run `make book` first")
    built_values = glued(built)
    assert all(values.values()), "a glued value has no text, table or figure to compare"
    assert set(values) == set(built_values), "the two executions glued different names"
    changed = sorted(name for name in values if values[name] != built_values[name])
    assert not changed, f"{page.name}: values differ between two executions: {changed}"
    ours, theirs = outputs(nb), outputs(built)
    assert [o[:2] for o in ours] == [o[:2] for o in theirs], \
        f"{page.name}: the two executions displayed different outputs"
    differing = [(cell, mime) for (cell, mime, a), (_, _, b) in zip(ours, theirs, strict=True)
                 if a != b]
    assert not differing, f"{page.name}: outputs differ (cell, type): {differing[:5]}"
