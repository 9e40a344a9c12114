"""Two clean builds of the same commit give the same pages.

The book in ``_build`` (made by ``make book``) is compared with a second, independent clean build
of the same sources in a temporary folder (the ``second_build`` fixture of conftest.py): its own
execution cache, each page in a kernel of its own, an empty disk cache, nothing reused. The
article of every page (the rendered text with its tables, glued values and the names of its
figures, which are hashes of the figures' content) must be identical. The registry of computed
numbers is compared across processes in ``test_results.py``, and every page's executed notebook
with the second build's in ``test_notebooks.py``.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

from conftest import ROOT, SECOND_BUILD_GROUP, toc_page_files

ARTICLE = re.compile(r'<article class="bd-article"[^>]*>(.*?)</article>', re.S)
MUST_COMPARE = ("book/index", "book/efficacy")


def article(html_file: Path) -> str:
    match = ARTICLE.search(html_file.read_text())
    assert match, f"no article in {html_file}"
    return match.group(1)


def pages() -> list[str]:
    return [str(p.relative_to(ROOT).with_suffix("")) for p in toc_page_files()]


def test_the_compared_pages_include_index_and_efficacy():
    assert set(MUST_COMPARE) <= set(pages())


@pytest.mark.build
@SECOND_BUILD_GROUP
@pytest.mark.parametrize("doc", pages())
def test_a_second_clean_build_renders_the_same_page(second_build, doc):
    ours = article(ROOT / "_build" / "html" / f"{doc}.html")
    theirs = article(second_build / "_build" / "html" / f"{doc}.html")
    if ours != theirs:
        diff = difflib.unified_diff(ours.splitlines(), theirs.splitlines(), "make book",
                                    "second build", lineterm="", n=1)
        pytest.fail(f"{doc} differs between two clean builds:\n" + "\n".join(list(diff)[:40]))
