"""Shared fixtures: the repository paths, the built site served on 127.0.0.1, Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

# Property tests run the same examples on every machine, so a commit that passed once passes
# again; HYPOTHESIS_PROFILE=explore searches new examples (run it before changing a property).
# No deadline: how long an example takes depends on the machine's load, not on the code.
settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("explore", derandomize=False, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
SITE = ROOT / "_build" / "html"

sys.path.insert(0, str(ROOT / "scripts"))
from local_site import CHROMIUM_ARGS, served  # noqa: E402  (scripts/ is not a package)


def toc_pages() -> list[str]:
    """Every page of _toc.yml, as a path relative to the root without suffix (book/index, ...)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        pages += [chapter["file"] for chapter in part["chapters"]]
    return pages


def toc_page_files() -> list[Path]:
    return [ROOT / f"{page}.md" for page in toc_pages()]


@pytest.fixture(scope="session")
def site_dir() -> Path:
    if not (SITE / "index.html").exists():
        pytest.fail("the site is not built: run `make book` first (`make test` does)")
    return SITE


def shared_tmp(tmp_path_factory) -> Path:
    """A folder of this run that every xdist worker sees (each worker's own basetemp is a
    subfolder of it); without xdist, the run's basetemp. Pair it with a FileLock."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def open_page(page, url: str):
    """Go to ``url`` and wait for what the reader waits for: the ``load`` event (every script,
    style and image), MathJax's typesetting where the page has formulas, and the web fonts.
    Returns the response."""
    response = page.goto(url, wait_until="load")
    page.evaluate("""async () => {
        if (window.MathJax && MathJax.startup && MathJax.startup.promise)
            await MathJax.startup.promise;
        await document.fonts.ready;
    }""")
    return response


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    """The built site served on a free port of 127.0.0.1 for the whole session (per worker)."""
    with served(site_dir) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict:
    """pytest-playwright: drive Debian's chromium from PATH (never `playwright install`)."""
    path = shutil.which("chromium")
    if path is None:
        pytest.fail("no `chromium` on PATH: install Debian's chromium package (.ci/run does)")
    return {"executable_path": path, "args": CHROMIUM_ARGS}
