"""Shared fixtures: the repository paths, the built site served on 127.0.0.1, Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
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


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items) -> None:
    """Keep the tests of one ``xdist_group`` on one worker. pytest 9 reads a test's id from
    ``_id``; pytest-xdist 3.8 writes its group suffix to ``_nodeid``, which pytest 9 no longer
    reads, so without this its ``loadgroup`` spreads a group over every worker."""
    if not getattr(config.option, "loadgroup", False):  # set on the workers of --dist loadgroup
        return
    from _pytest.nodeid import coerce_node_id

    for item in items:
        names = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                        for m in item.iter_markers("xdist_group")})
        suffix = "@" + "_".join(names)
        if names and not item.nodeid.endswith(suffix):
            item._id = coerce_node_id(item.nodeid + suffix)


#: The tests that read the second clean build run on one worker (it is made once).
SECOND_BUILD_GROUP = pytest.mark.xdist_group("second-build")


@pytest.fixture(scope="session")
def second_build(tmp_path_factory) -> Path:
    """The root of a second clean build of the same sources, made as Jupyter Book alone makes
    it: every page executed in a kernel of its own (``scripts/build.py --jobs 0``), with an
    empty disk cache (the reconstruction and the ledger computed again), nothing reused from
    ``make book``, which runs several pages in one kernel. Made once per run, by whichever
    worker asks first (a FileLock, should the group ever be split)."""
    from filelock import FileLock

    if not (SITE / "book" / "index.html").exists():
        pytest.fail("no built site: run `make book` first (make test does)")
    shared = shared_tmp(tmp_path_factory)
    root = shared / "second-build"
    with FileLock(str(shared / "second-build.lock")):
        if not (root / "_build" / "html" / "book" / "index.html").exists():
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir()
            # the book's sources and the project's metadata (the Run page reads the Python it
            # needs from pyproject.toml); not src: the wheel is not shipped twice
            for name in ("_config.yml", "_toc.yml", "pyproject.toml", "requirements.txt"):
                shutil.copy(ROOT / name, root / name)
            shutil.copytree(ROOT / "book", root / "book")
            (root / "_vendor").symlink_to(ROOT / "_vendor")
            env = {**os.environ, "VAH_CACHE_DIR": str(shared / "second-build-cache")}
            done = subprocess.run([sys.executable, str(ROOT / "scripts" / "build.py"),
                                   str(root), "--jobs", "0", "--quiet"], capture_output=True,
                                  text=True, timeout=1800, env=env)
            assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return root


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
