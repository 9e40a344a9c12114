"""Build the book: drop stale outputs, execute the pages in parallel, then run Jupyter Book.

    python scripts/build.py [ROOT] [--jobs N]

Jupyter Book 1.x executes pages one after another, each in a new kernel. This script executes
them first with ``--jobs`` workers (default: the number of cores), each running its share of the
pages in one kernel that is reset between pages, so that the libraries are imported once per
worker rather than once per page. It stores each executed notebook in the execution cache that
myst-nb reads (``_build/.jupyter_cache``), so that the Sphinx build only merges the cached
outputs; Sphinx then reads and writes with ``--jobs`` processes. A page that fails here is not
cached: the Sphinx build executes it again, in a kernel of its own, and reports the failure
itself (``raise_on_error``), so the build fails as strictly as without this step.
``--jobs 0`` skips the step (Jupyter Book alone). tests/test_notebooks.py runs every page in a
kernel of its own and checks that it shows exactly what the build stored.

The execution cache cannot see changes in ``src/vah``: when the package or its data change
(or the book's static files or local extensions), ``_build`` is dropped first.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

JB_FLAGS = ["-W", "-n", "--keep-going"]
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # colours in a traceback's last line
TIMEOUT = 300


def source_digest(package: Path) -> str:
    """Digest of what neither the execution cache nor Sphinx's incremental build sees: the
    package's code and data (every page must run again) and the book's static files and local
    extensions (Sphinx does not copy static files again when no page changed)."""
    book = package.parents[1] / "book"
    files = [*package.rglob("*"), *(book / "_static").rglob("*"), *(book / "_ext").rglob("*")]
    h = hashlib.sha256()
    for path in sorted(files):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(package.parents[1])).encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def toc_pages(root: Path) -> list[Path]:
    """The pages listed in ``_toc.yml`` (the book builds only those)."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "file" in node or "root" in node:
                files.append(node.get("file") or node["root"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    return [root / f"{f}.md" for f in dict.fromkeys(files)]


# Run in the kernel before each page: an empty namespace, no open figures, the page's folder as
# the working directory (as myst-nb runs it), and prompts numbered from 1 as in a new kernel.
RESET = """\
get_ipython().run_line_magic("reset", "-f")
import os as _os, sys as _sys
if "matplotlib.pyplot" in _sys.modules:
    _sys.modules["matplotlib.pyplot"].close("all")
_os.chdir({cwd!r})
get_ipython().execution_count = 1
del _os, _sys
"""


def _run_page(km, path: str) -> tuple[str, object, float, str | None]:
    """Execute one page in the worker's kernel; return the notebook, seconds and any error.

    A kernel that is slow to answer on a loaded machine has ``TIMEOUT`` seconds, not nbclient's
    60. After a failure the worker replaces the kernel (:func:`_worker`), so a broken page
    cannot leave state to the next."""
    from myst_nb.core.read import read_myst_markdown_notebook
    from nbclient import NotebookClient

    page = Path(path)
    nb = read_myst_markdown_notebook(page.read_text(), path=page)
    start = time.perf_counter()
    client = NotebookClient(nb, km=km, timeout=TIMEOUT, startup_timeout=TIMEOUT,
                            allow_errors=False,
                            record_timing=False,  # cell metadata is in the cache key
                            resources={"metadata": {"path": str(page.parent)}})
    error = None
    try:
        with client.setup_kernel():
            info = client.wait_for_reply(client.kc.kernel_info())
            nb.metadata["language_info"] = info["content"]["language_info"]
            client.kc.execute_interactive(RESET.format(cwd=str(page.parent)), silent=True,
                                          timeout=TIMEOUT)
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
    except Exception as exc:  # the page's own error, reported again by the Sphinx build
        last = (ANSI.sub("", str(exc)).strip().splitlines() or [""])[-1]
        error = f"{type(exc).__name__}: {last}"
    return path, nb, time.perf_counter() - start, error


def _start_kernel(tries: int = 2):
    """A started kernel manager, or (None, why) after ``tries`` failed starts."""
    from jupyter_client.manager import KernelManager

    failure = ""
    for _ in range(tries):
        km = KernelManager(kernel_name="python3")
        try:
            # No input history: it refuses prompt numbers that start again at 1 (and says so in
            # the page's output).
            km.start_kernel(extra_arguments=["--HistoryManager.enabled=False"])
            return km, ""
        except Exception as exc:
            failure = f"the kernel did not start ({type(exc).__name__}: {exc})"
    return None, failure


def _stop_kernel(km) -> None:
    try:
        km.shutdown_kernel(now=True)
    except Exception:  # a kernel that died on its own has nothing left to stop
        pass


def _worker(todo, done) -> None:
    """Take pages from the ``todo`` queue until ``None`` and run them in one kernel.

    The kernel is reset between pages, and modules stay imported: that is the saving (pandas,
    matplotlib, scipy and vah are imported once per worker, not once per page). After a page
    fails, the kernel is replaced by a new one. Whether a page gives the same outputs in a
    kernel of its own is what tests/test_notebooks.py checks."""
    km, failure = _start_kernel()
    while (path := todo.get()) is not None:
        result = _run_page(km, path) if km else (path, None, 0.0, failure)
        done.put(result)
        if km and result[3] is not None:
            _stop_kernel(km)
            km, failure = _start_kernel()
    if km:
        _stop_kernel(km)


def _execute(pages: list[Path], jobs: int) -> list[tuple[str, object, float, str | None]]:
    """Run the pages with ``jobs`` workers that each take the next page when they are free
    (largest files first), so that the workers finish at about the same time.

    The workers are watched every second: a worker that dies is noticed at once, the other
    workers go on with the queue, and the pages nobody returned are left to the Sphinx build,
    which executes them in kernels of its own."""
    import multiprocessing
    import queue

    todo, done = multiprocessing.Queue(), multiprocessing.Queue()
    for page in sorted(pages, key=lambda p: p.stat().st_size, reverse=True):
        todo.put(str(page))
    workers = [multiprocessing.Process(target=_worker, args=(todo, done))
               for _ in range(min(jobs, len(pages)))]
    for worker in workers:
        todo.put(None)
        worker.start()
    results: list[tuple[str, object, float, str | None]] = []
    reported: set[int] = set()
    while len(results) < len(pages):
        try:
            results.append(done.get(timeout=1))
            continue
        except queue.Empty:
            pass
        for worker in workers:
            if worker.exitcode not in (None, 0) and worker.pid not in reported:
                reported.add(worker.pid)
                print(f"pre-execution: a worker stopped (exit code {worker.exitcode}); the "
                      "others go on, and the build executes what it did not return",
                      file=sys.stderr)
        if not any(worker.is_alive() for worker in workers):
            while True:  # what the last workers put before they stopped
                try:
                    results.append(done.get(timeout=1))
                except queue.Empty:
                    break
            break
    for worker in workers:
        worker.join(timeout=60)
        if worker.is_alive():
            worker.kill()
    return results


def preexecute(root: Path, jobs: int) -> dict[str, float]:
    """Execute the pages the cache does not hold yet; return seconds per executed page."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from myst_nb.core.read import read_myst_markdown_notebook

    cache = get_cache(str(root / "_build" / ".jupyter_cache"))
    todo = []
    for page in toc_pages(root):
        nb = read_myst_markdown_notebook(page.read_text(), path=page)
        if not any(c.cell_type == "code" for c in nb.cells):
            continue
        try:
            cache.match_cache_notebook(nb)
        except KeyError:
            todo.append(page)
    seconds: dict[str, float] = {}
    for path, nb, spent, error in _execute(todo, jobs) if todo else []:
        name = str(Path(path).relative_to(root))
        if error is not None:
            print(f"pre-execution of {name} failed ({error}); the build will run it again",
                  file=sys.stderr)
            continue
        cache.cache_notebook_bundle(
            CacheBundleIn(nb, path, data={"execution_seconds": spent}),
            check_validity=False, overwrite=True)
        seconds[name] = round(spent, 2)
    return seconds


def build(root: Path, jobs: int, package: Path | None = None, quiet: bool = False) -> None:
    """The whole build of the book at ``root`` into ``root/_build/html``."""
    out, digest = root / "_build", source_digest(package) if package else None
    stamp = out / ".src-hash"
    if digest and out.exists() and (not stamp.exists() or stamp.read_text().strip() != digest):
        print("src/vah, book/_static or book/_ext changed: clean build")
        shutil.rmtree(out)
    out.mkdir(exist_ok=True)
    if digest:
        stamp.write_text(digest + "\n")
    if jobs > 0:
        start = time.perf_counter()
        done = preexecute(root, jobs)
        if done:
            print(f"executed {len(done)} pages with {jobs} workers in "
                  f"{time.perf_counter() - start:.1f} s")
    status = subprocess.run([sys.executable, __file__, "--sphinx-only", str(root),
                             "--jobs", str(max(jobs, 1))] + (["--quiet"] if quiet else [])
                            ).returncode
    if status != 0:
        stamp.unlink(missing_ok=True)
        sys.exit(status)


def jupyter_book(root: Path, jobs: int, quiet: bool) -> None:
    """``jupyter-book build ROOT -W -n --keep-going``, with Sphinx reading and writing ``jobs``
    pages at once: Jupyter Book's ``build_sphinx`` takes ``jobs`` but its command line does not
    offer it."""
    from functools import partial

    import jupyter_book.cli.main as cli
    import jupyter_book.sphinx as jb_sphinx

    jb_sphinx.build_sphinx = partial(jb_sphinx.build_sphinx, jobs=jobs)  # imported at call time
    cli.main(["build", str(root), *JB_FLAGS] + (["--quiet"] if quiet else []))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default=".", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="pages executed at once before the build, and Sphinx processes "
                        "(0: Jupyter Book alone, one page at a time)")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--sphinx-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    root = args.root.resolve()
    if args.sphinx_only:  # the second step of build(), in its own process
        jupyter_book(root, args.jobs, args.quiet)
        return
    package = root / "src" / "vah"
    build(root, args.jobs, package if package.is_dir() else None, args.quiet)


if __name__ == "__main__":
    main()
