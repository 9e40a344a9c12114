"""Two clean builds of the same commit give the same pages.

The book in ``_build`` (made by ``make book``) is compared with a second, independent clean build
of the same sources in a temporary folder: its own execution cache and shared results, nothing
reused. The article of every page (the rendered text with its tables, glued values and the
names of its figures, which are hashes of the figures' content) must be identical. The
registry of computed numbers is compared across processes in ``test_results.py``, and every
page's glued values against a fresh kernel in ``test_notebooks.py``.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock

from conftest import ROOT, shared_tmp, toc_page_files

ARTICLE = re.compile(r'<article class="bd-article"[^>]*>(.*?)</article>', re.S)
MUST_COMPARE = ("book/index", "book/efficacy")


def article(html_file: Path) -> str:
    match = ARTICLE.search(html_file.read_text())
    assert match, f"no article in {html_file}"
    return match.group(1)


@pytest.fixture(scope="session")
def second_build(tmp_path_factory) -> Path:
    first = ROOT / "_build" / "html"
    if not (first / "book" / "index.html").exists():
        pytest.fail("no built site: run `make book` first (make test does)")
    # made once per run, by whichever worker asks first (xdist's loadgroup did not keep this
    # module's tests on one worker here: the group suffix never reached the node ids)
    shared = shared_tmp(tmp_path_factory)
    root = shared / "second-build"
    with FileLock(str(shared / "second-build.lock")):
        if not (root / "_build" / "html" / "book" / "index.html").exists():
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir()
            for name in ("_config.yml", "_toc.yml"):
                shutil.copy(ROOT / name, root / name)
            shutil.copytree(ROOT / "book", root / "book")
            (root / "_vendor").symlink_to(ROOT / "_vendor")
            # an empty disk cache: the second build computes the reconstruction and the
            # ledger again instead of reading what the first one kept
            env = {**os.environ, "VAH_CACHE_DIR": str(shared / "second-build-cache")}
            done = subprocess.run([sys.executable, str(ROOT / "scripts" / "build.py"),
                                   str(root), "--quiet"], capture_output=True, text=True,
                                  timeout=1200, env=env)
            assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return root / "_build" / "html"


def pages() -> list[str]:
    return [str(p.relative_to(ROOT).with_suffix("")) for p in toc_page_files()]


def test_the_compared_pages_include_index_and_efficacy():
    assert set(MUST_COMPARE) <= set(pages())


@pytest.mark.build
@pytest.mark.parametrize("doc", pages())
def test_a_second_clean_build_renders_the_same_page(second_build, doc):
    ours = article(ROOT / "_build" / "html" / f"{doc}.html")
    theirs = article(second_build / f"{doc}.html")
    if ours != theirs:
        diff = difflib.unified_diff(ours.splitlines(), theirs.splitlines(), "make book",
                                    "second build", lineterm="", n=1)
        pytest.fail(f"{doc} differs between two clean builds:\n" + "\n".join(list(diff)[:40]))
