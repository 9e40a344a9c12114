"""Print the whole book to ``_build/pdf/vah-book.pdf``, offline, and copy it into the site.

    python scripts/pdf.py [ROOT] [--jobs N]

Needs the site built by ``scripts/build.py`` (``make book`` runs both): the pages are never
executed here. Every page must already be in the execution cache, and the ``singlehtml`` build
(``-W -n --keep-going``, its own doctrees) only merges the cached outputs. With ``root:
book/index`` the single page lands in ``book/index.html`` while its links are relative to the
output root, so it is copied to the root. Debian's ``chromium`` on PATH then prints it with
Playwright (A4, backgrounds, page numbers in the footer) once MathJax has typeset the formulas;
the print rules are ``book/_static/print.css``. Nothing is loaded from outside the page's own
folder: any other request is refused and fails the print. The PDF is copied to
``_build/html/vah-book.pdf``, where the home page links it. When the single page and its
styles did not change, the PDF is not printed again; when nothing it is made from changed
(``pdf_inputs``: the built site, the configuration, these scripts), not even the singlehtml
build runs.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

from finish_pdf import finish, source_epoch
from local_site import CHROMIUM_ARGS, served
from pdf_inputs import record, up_to_date

NAME = "vah-book.pdf"
TEACHER = "vah-book-teacher.pdf"
JB_FLAGS = {"warningiserror": True, "keep_going": True}
FOOTER = ('<div style="font-size:8pt;width:100%;text-align:center;color:#555;">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
MARGIN = {"top": "16mm", "bottom": "18mm", "left": "15mm", "right": "15mm"}
# Links between pages of the site point, on the single page, at anchors it holds itself: they
# become links inside the PDF; any other link into the site is left as text.
LOCAL_LINKS = """() => {
  for (const a of document.querySelectorAll("a[href]")) {
    const url = new URL(a.href, document.baseURI);
    if (url.origin !== location.origin) continue;
    const id = decodeURIComponent(url.hash.slice(1));
    if (id && document.getElementById(id)) a.setAttribute("href", url.hash);
    else a.removeAttribute("href");
  }
}"""


# The print leaves out the API reference (the site keeps it), and prints the ledger open.
PREPARE = """() => {
  const api = document.getElementById("document-book/appendix/api");
  if (api) {
    if (api.nextElementSibling) api.nextElementSibling.remove();
    api.remove();
  }
  for (const a of document.querySelectorAll('a[href^="#document-"]')) {
    const id = decodeURIComponent(new URL(a.href, document.baseURI).hash.slice(1));
    if (id && !document.getElementById(id)) a.closest("li").remove();
  }
  for (const d of document.querySelectorAll("details.vah-ledger-section")) d.open = true;
}"""
# The student edition: the same page without its solutions.
STUDENT = """() => {
  for (const s of document.querySelectorAll(".solution")) s.remove();
}"""


class PrintError(Exception):
    """A reason not to print, said in one line."""


def uncached_pages(root: Path) -> list[str]:
    """The pages with code that the execution cache does not hold (the build would run them)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from build import toc_pages
    from jupyter_cache import get_cache
    from myst_nb.core.read import read_myst_markdown_notebook

    cache = get_cache(str(root / "_build" / ".jupyter_cache"))
    missing = []
    for page in toc_pages(root):
        nb = read_myst_markdown_notebook(page.read_text(), path=page)
        if not any(cell.cell_type == "code" for cell in nb.cells):
            continue
        try:
            cache.match_cache_notebook(nb)
        except KeyError:
            missing.append(str(page.relative_to(root)))
    return missing


def singlehtml(root: Path, jobs: int) -> int:
    """The ``singlehtml`` build into ``_build/singlehtml`` (run in a process of its own)."""
    from jupyter_book.sphinx import build_sphinx

    out = root / "_build"
    return build_sphinx(
        root, out / "singlehtml", use_external_toc=True, noconfig=True,
        path_config=str(root / "_config.yml"), doctreedir=out / ".doctrees-singlehtml",
        confoverrides={"external_toc_path": (root / "_toc.yml").as_posix(),
                       "latex_individualpages": False, "nitpicky": True},
        builder="singlehtml", jobs=jobs, quiet=True, **JB_FLAGS)


def digest(folder: Path) -> str:
    """What the print depends on: the single page, every stylesheet and script it loads, and
    the scripts that print and finish it (this folder's)."""
    h = hashlib.sha256()
    files = [folder / "index.html", *sorted((folder / "_static").rglob("*.css")),
             *sorted((folder / "_static").rglob("*.js")),
             *sorted(Path(__file__).parent.glob("*.py"))]
    for path in files:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def print_pdf(folder: Path, student: Path, teacher: Path, chromium: str) -> None:
    """Serve ``folder`` on 127.0.0.1 and print its ``index.html``: teacher, then student."""
    with served(folder) as port:
        _print(port, student, teacher, chromium)


def _print(port: int, student: Path, teacher: Path, chromium: str) -> None:
    """Print the page served on ``port`` twice from one load (with and without solutions),
    refusing anything from elsewhere."""
    from playwright.sync_api import Error, sync_playwright

    refused: list[str] = []

    def local_only(route) -> None:
        url = urlparse(route.request.url)
        if url.scheme in {"data", "blob"} or url.netloc == f"127.0.0.1:{port}":
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.route("**/*", local_only)
            page.goto(f"http://127.0.0.1:{port}/index.html", wait_until="load",
                      timeout=120_000)
            page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise",
                                   timeout=120_000)
            page.evaluate("MathJax.startup.promise.then(() => document.fonts.ready)")
            page.evaluate(PREPARE)
            page.evaluate(LOCAL_LINKS)
            page.emulate_media(media="print")
            options = {"format": "A4", "print_background": True, "margin": MARGIN,
                       "display_header_footer": True, "header_template": "<span></span>",
                       "footer_template": FOOTER, "outline": True, "tagged": True}
            page.pdf(path=str(teacher), **options)
            page.evaluate(STUDENT)
            page.evaluate(LOCAL_LINKS)
            page.pdf(path=str(student), **options)
            browser.close()
    except Error as exc:
        raise PrintError(f"chromium could not print the book ({str(exc).splitlines()[0]})"
                         ) from None
    if refused:
        raise PrintError(f"the single page asked for {len(refused)} file(s) from outside the "
                         f"site, e.g. {refused[0]}")


def make_pdf(root: Path, jobs: int) -> list[Path]:
    """Both printed editions; returns their paths (student's, teacher's)."""
    build, site = root / "_build", root / "_build" / "html"
    chromium = shutil.which("chromium")
    if chromium is None:
        raise PrintError("no `chromium` on PATH: install Debian's chromium package")
    if not (site / "index.html").exists():
        raise PrintError("the site is not built: run `make book` first")
    missing = uncached_pages(root)
    if missing:
        raise PrintError(f"{missing[0]} is not in the execution cache (the site is out of date): "
                         "run `make book` first")
    start = time.perf_counter()
    status = subprocess.run([sys.executable, __file__, "--singlehtml-only", str(root),
                             "--jobs", str(jobs)]).returncode
    if status != 0:
        raise PrintError(f"the singlehtml build failed (status {status}); see the warnings above")
    folder = build / "singlehtml"
    toc_root = _toc_root(root)
    shutil.copyfile(folder / f"{toc_root}.html", folder / "index.html")
    built = time.perf_counter()
    target, stamp = build / "pdf" / NAME, build / "pdf" / ".print-hash"
    teacher = build / "pdf" / TEACHER
    target.parent.mkdir(exist_ok=True)
    key = digest(folder)
    if (target.exists() and teacher.exists() and stamp.exists()
            and stamp.read_text().strip() == key):
        note = "unchanged, not printed again"
    else:
        stamp.unlink(missing_ok=True)
        print_pdf(folder, target, teacher, chromium)
        epoch = source_epoch(root)
        for path in (target, teacher):
            finish(path, epoch)
        stamp.write_text(key + "\n")
        note = f"printed in {time.perf_counter() - built:.1f} s"
    for path in (target, teacher):
        shutil.copyfile(path, site / path.name)
    print(f"{target.relative_to(root)}, {teacher.name}: singlehtml in {built - start:.1f} s, "
          f"{note}; copied to {site.relative_to(root)}")
    return [target, teacher]


def _toc_root(root: Path) -> str:
    import yaml

    return yaml.safe_load((root / "_toc.yml").read_text())["root"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default=".", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--singlehtml-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    root = args.root.resolve()
    if args.singlehtml_only:
        return int(singlehtml(root, max(args.jobs, 1)) != 0)
    printed = up_to_date(root)
    if printed:
        print(f"pdf: {', '.join(printed)} up to date (the site, the configuration and the "
              "scripts are as at the last print)")
        return 0
    try:
        record(root, [path.name for path in make_pdf(root, args.jobs)])
    except PrintError as exc:
        print(f"pdf: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
