"""Build the book: drop stale outputs, execute the pages in parallel, then run Jupyter Book.

    python scripts/build.py [ROOT] [--jobs N]

Jupyter Book 1.x executes pages one after another. This script executes them first, ``--jobs``
at a time (default: the number of cores), and stores each executed notebook in the execution
cache that myst-nb reads (``_build/.jupyter_cache``), so that the Sphinx build only merges the
cached outputs. A page that fails here is not cached: the Sphinx build executes it again and
reports the failure itself (``raise_on_error``), so the build fails as strictly as without
this step. ``--jobs 0`` skips the step (Jupyter Book alone).

The execution cache cannot see changes in ``src/vah``: when the package or its data change,
``_build`` is dropped first. Shared results (the ledger, the reconstructed cohort) are computed
once per build and kept in ``_build/.vah-cache`` (see :mod:`vah.memo`).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

JB_FLAGS = ["-W", "-n", "--keep-going"]
TIMEOUT = 300


def source_digest(package: Path) -> str:
    """Digest of the package's code and data: a change means every page must run again."""
    h = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in {".py", ".csv", ".yaml"} and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(package)).encode())
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


def _execute(path: str) -> tuple[str, object, float, str | None]:
    """Execute one page in its own directory (as myst-nb does); return the notebook or error."""
    from jupyter_cache.executors.utils import single_nb_execution
    from myst_nb.core.read import read_myst_markdown_notebook

    page = Path(path)
    nb = read_myst_markdown_notebook(page.read_text(), path=page)
    result = single_nb_execution(nb, cwd=str(page.parent), timeout=TIMEOUT, allow_errors=False)
    error = None if result.err is None else f"{type(result.err).__name__}: {result.err}"
    return path, nb, result.time, error


def preexecute(root: Path, jobs: int, warm: bool = False) -> dict[str, float]:
    """Execute the pages the cache does not hold yet; return seconds per executed page.

    ``warm``: first write pint's cache of unit definitions (see vah.units), so that the pages
    running at the same time only read it."""
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
    # Longest pages first (by size), so that the last to finish is a short one.
    todo.sort(key=lambda p: p.stat().st_size, reverse=True)
    seconds: dict[str, float] = {}
    if not todo:
        return seconds
    if warm:
        import vah.units  # noqa: F401
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for path, nb, spent, error in pool.map(_execute, [str(p) for p in todo]):
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


def build(root: Path, jobs: int, package: Path | None = None, quiet: bool = False,
          shared: bool = True) -> None:
    """The whole build of the book at ``root`` into ``root/_build/html``."""
    out = root / "_build"
    if package is not None:
        digest = source_digest(package)
        stamp = out / ".src-hash"
        if out.exists() and (not stamp.exists() or stamp.read_text().strip() != digest):
            print("src/vah changed: clean build")
            shutil.rmtree(out)
        out.mkdir(exist_ok=True)
        stamp.write_text(digest + "\n")
    out.mkdir(exist_ok=True)
    # The kernels (here and in the Sphinx build) inherit the environment.
    if shared:
        os.environ["VAH_CACHE_DIR"] = str((out / ".vah-cache").resolve())
    else:
        os.environ.pop("VAH_CACHE_DIR", None)
    if jobs > 0:
        start = time.perf_counter()
        done = preexecute(root, jobs, warm=shared and package is not None)
        if done:
            print(f"executed {len(done)} pages with {jobs} workers in "
                  f"{time.perf_counter() - start:.1f} s")
    status = subprocess.run([sys.executable, __file__, "--sphinx-only", str(root),
                             "--jobs", str(max(jobs, 1))] + (["--quiet"] if quiet else [])
                            ).returncode
    if status != 0:
        if package is not None:
            (out / ".src-hash").unlink(missing_ok=True)
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
    parser.add_argument("--no-shared", action="store_true",
                        help="compute shared results on every page (see vah.memo)")
    parser.add_argument("--sphinx-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    root = args.root.resolve()
    if args.sphinx_only:  # the second step of build(), in its own process
        jupyter_book(root, args.jobs, args.quiet)
        return
    package = root / "src" / "vah"
    build(root, args.jobs, package if package.is_dir() else None, args.quiet,
          not args.no_shared)


if __name__ == "__main__":
    main()
