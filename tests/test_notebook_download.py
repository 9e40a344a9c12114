"""A student runs the chapters: downloads from the served site, a new venv, two notebooks.

The fast tests read the built site: every notebook page links to its notebook, which holds the
page's cells; pages without a kernel offer none; the wheel carries every module and data file of
``src/vah``; ``requirements-run.txt`` pins every distribution that ``vah`` imports, exactly as
``requirements.txt`` does.

The slow test does what the page "Run the chapters yourself" says, over HTTP from the served
site: it downloads the wheel and the requirements file linked from that page and the notebooks
linked from two chapters (one of them the reconstruction), installs them into a new virtual
environment from the local wheelhouse that ``make book`` filled (``--no-index``: no registry
traffic), and executes
the notebooks in a kernel of that environment, with no ``PYTHONPATH``, so that the repository's
``src`` cannot be imported. That environment has no myst-nb (``requirements-run.txt`` leaves the
book's tools out), so each notebook's first cell shows its values as a table rather than gluing
them: each notebook must run without error, import ``vah`` from the venv, glue nothing, and show
the values the site shows where its text places them.
"""

from __future__ import annotations

import ast
import html
import os
import re
import subprocess
import sys
import time
import urllib.request
import zipfile
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path
from urllib.parse import urljoin

import jupytext
import nbformat
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

from conftest import ROOT, toc_pages

RUN_PAGE = "book/appendix/run.html"
REQ = "requirements-run.txt"
STUDENT_PAGES = ("book/appendix/reconstruction", "book/efficacy")
INSTALL_SECONDS = 600  # a limit against a hung pip, not a timing goal
# The wheels of every pin of requirements.txt: `make book` fills it from the package registry
# (pip wheel) and installs .venv from it, so this test installs with --no-index.
WHEELHOUSE = Path(os.environ.get("VAH_WHEELHOUSE",
                                 Path.home() / ".cache" / "vah-book" / "wheelhouse"))


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.append((dict(attrs)["href"], dict(attrs)))


def anchors(text: str) -> list[tuple[str, dict]]:
    parser = _Anchors()
    parser.feed(text)
    return parser.hrefs


def has_kernel(page: str) -> bool:
    text = (ROOT / f"{page}.md").read_text()
    return text.startswith("---\n") and "\nkernelspec:" in text.split("\n---", 1)[0]


def notebook_link(page_html: str) -> str:
    """The href of the page's visible notebook link (the paragraph under its title)."""
    links = [h for h, a in anchors(page_html) if h.endswith(".ipynb") and "download" in a]
    assert len(links) == 1, f"expected one notebook download link, found {links}"
    return links[0]


def wheel_requirements(path: Path) -> dict[str, str]:
    """A requirements file as {canonical name: line}."""
    lines = [ln.split("#", 1)[0].strip() for ln in path.read_text().splitlines()]
    return {canonicalize_name(Requirement(ln).name): ln for ln in lines if ln}


def _optional(tree: ast.AST) -> set[int]:
    """The ids of the import statements in the body of a ``try`` that catches ImportError."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
                isinstance(h.type, ast.Name) and h.type.id in ("ImportError",
                                                               "ModuleNotFoundError")
                for h in node.handlers):
            found |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return found


def runtime_imports(package: Path) -> set[str]:
    """Top-level modules outside the standard library that ``package`` imports anywhere, but for
    optional ones (imported in a ``try`` whose ``except ImportError`` does without them)."""
    found = set()
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text())
        optional = _optional(tree)
        for node in ast.walk(tree):
            if id(node) in optional:
                continue
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"vah", "__future__"}


# -- the built site ------------------------------------------------------------------------------

@pytest.mark.parametrize("doc", [p for p in toc_pages() if has_kernel(p)])
def test_every_notebook_page_links_its_notebook(site_dir, doc):
    page_html = (site_dir / f"{doc}.html").read_text()
    target = (site_dir / f"{doc}.html").parent / notebook_link(page_html)
    assert target.exists(), f"{doc}: {target} is missing"
    nb = nbformat.read(target, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    source = jupytext.read(ROOT / f"{doc}.md")
    assert [(c.cell_type, c.source) for c in nb.cells] == \
        [(c.cell_type, c.source) for c in source.cells]
    menu = [h for h, a in anchors(page_html) if "download-notebook-button" in a.get("class", "")]
    assert menu == [notebook_link(page_html)], f"{doc}: the download menu offers {menu}"


def test_pages_without_a_kernel_offer_no_notebook(site_dir):
    plain = [p for p in toc_pages() if not has_kernel(p)]
    assert "book/appendix/api" in plain
    for page in plain:
        assert not [h for h, _ in anchors((site_dir / f"{page}.html").read_text())
                    if h.endswith(f"{Path(page).name}.ipynb")], page


def test_the_run_page_links_the_wheel_the_requirements_and_every_notebook(site_dir):
    hrefs = [h for h, _ in anchors((site_dir / RUN_PAGE).read_text())]
    assert any(h.endswith(".whl") for h in hrefs)
    assert any(h.endswith("requirements-run.txt") for h in hrefs)
    notebooks = {Path(h).name for h in hrefs if h.endswith(".ipynb")}
    assert notebooks == {Path(p).name + ".ipynb" for p in toc_pages() if has_kernel(p)}


def _wheel(site_dir: Path) -> Path:
    wheels = list((site_dir / "_run").glob("*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_the_wheel_carries_every_module_and_data_file(site_dir):
    package = ROOT / "src" / "vah"
    expected = {str(p.relative_to(package.parent)) for p in package.rglob("*")
                if p.is_file() and p.suffix in (".py", ".csv", ".yaml")
                and "__pycache__" not in p.parts}
    assert any(name.startswith("vah/paper/data/") for name in expected)
    names = set(zipfile.ZipFile(_wheel(site_dir)).namelist())
    assert sorted(expected - names) == []


def test_run_requirements_pin_every_runtime_import(site_dir):
    pinned = wheel_requirements(site_dir / "_run" / "requirements-run.txt")
    dists = metadata.packages_distributions()
    missing = []
    for module in sorted(runtime_imports(ROOT / "src" / "vah")):
        names = {canonicalize_name(d) for d in dists.get(module, [module])}
        if not names & pinned.keys():
            missing.append(module)
    assert missing == [], f"vah imports {missing}, which requirements-run.txt does not pin"
    assert "ipykernel" in pinned


def test_run_requirements_are_the_pins_of_requirements_txt(site_dir):
    pinned = wheel_requirements(site_dir / "_run" / "requirements-run.txt")
    book = wheel_requirements(ROOT / "requirements.txt")
    assert {n: pinned[n] for n in pinned} == {n: book[n] for n in pinned}
    assert all("==" in line for line in pinned.values())


def test_the_import_scanner_sees_lazy_imports(tmp_path):
    (tmp_path / "m.py").write_text("import os\ndef f():\n    from tabulate import x\n")
    assert runtime_imports(tmp_path) == {"tabulate"}


def test_the_import_scanner_leaves_out_optional_imports(tmp_path):
    (tmp_path / "m.py").write_text(
        "def f():\n    try:\n        from myst_nb import glue\n    except ImportError:\n"
        "        return None\n    import pandas\n"
        "try:\n    import yaml\nexcept ValueError:\n    pass\n")
    assert runtime_imports(tmp_path) == {"pandas", "yaml"}


# -- a student's computer ------------------------------------------------------------------------

def fetch(url: str, folder: Path) -> Path:
    target = folder / url.rsplit("/", 1)[1]
    with urllib.request.urlopen(url, timeout=60) as response:
        target.write_bytes(response.read())
    return target


def visible_text(page_html: str) -> str:
    article = page_html.split('<article class="bd-article"', 1)[1].split("</article>", 1)[0]
    text = re.sub(r"<[^>]+>", "", article.split(">", 1)[1])
    return re.sub(r"\s+", " ", html.unescape(text))


def shown_values(nb) -> dict[str, str]:
    """The values a notebook's table shows (``show`` without myst-nb), by key."""
    values = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            table = out.get("data", {}).get("text/markdown", "")
            if table.startswith("| Key | Value |"):
                for m in re.finditer(r"^\| `(\w+)` \| (.*) \|$", table, re.M):
                    values[m.group(1)] = m.group(2).replace("\\|", "|")
    return values


def glued_names(nb) -> list[str]:
    """The names of the values a notebook glued with myst-nb."""
    return [out["metadata"]["scrapbook"]["name"] for cell in nb.cells
            for out in cell.get("outputs", []) if "scrapbook" in out.get("metadata", {})]


WORDS = r"((?:[A-Za-z]+ ){3})"


def placed_values(nb, page_text: str) -> dict[str, str]:
    """For each ``{glue:text}`key``` between three plain words and two, the text the site
    shows in that place."""
    found = {}
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        prose = re.sub(r"\s+", " ", cell.source)
        for m in re.finditer(WORDS + r"\{glue:text\}`(\w+)`( (?:[a-z]+ ){1}[a-z]+)", prose):
            before, key, after = m.groups()
            shown = re.findall(re.escape(before) + r"(\S+?)" + re.escape(after), page_text)
            if len(shown) == 1:
                found[key] = shown[0]
    return found


def missing_wheels(reqs: Path) -> list[str]:
    """The pins of ``reqs`` that ``WHEELHOUSE`` holds no wheel of."""
    have = set()
    for path in WHEELHOUSE.glob("*.whl"):
        name, version, _, _ = parse_wheel_filename(path.name)
        have.add(f"{name}=={version}")
    return [line for line in wheel_requirements(reqs).values()
            if f"{canonicalize_name(Requirement(line).name)}=="
               f"{next(iter(Requirement(line).specifier)).version}" not in have]


@pytest.fixture(scope="session")
def student(site_url, tmp_path_factory):
    """A folder with what a student downloads, and a venv with the wheel installed."""
    home = tmp_path_factory.mktemp("student")
    run_url = f"{site_url}/{RUN_PAGE}"
    with urllib.request.urlopen(run_url, timeout=60) as response:
        hrefs = [h for h, _ in anchors(response.read().decode())]
    wheel = fetch(urljoin(run_url, next(h for h in hrefs if h.endswith(".whl"))), home)
    reqs = fetch(urljoin(run_url, next(h for h in hrefs if h.endswith(REQ))), home)
    pages = {}
    for page in STUDENT_PAGES:
        url = f"{site_url}/{page}.html"
        with urllib.request.urlopen(url, timeout=60) as response:
            page_html = response.read().decode()
        pages[page] = (fetch(urljoin(url, notebook_link(page_html)), home), page_html)
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    missing = missing_wheels(reqs)
    assert not missing, (f"{WHEELHOUSE} has no wheel of {missing}: `make book` fills it "
                         "(the test itself never asks the package registry)")
    venv = home / "venv"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=env)
    # --no-index: everything comes from the wheelhouse, so the pins must be complete.
    # --no-compile: modules are compiled when imported, as they would be anyway.
    done = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                           "--no-index", "--no-compile", "--find-links", str(WHEELHOUSE),
                           "-r", str(reqs), str(wheel)], capture_output=True, text=True,
                          env=env, cwd=home, timeout=INSTALL_SECONDS)
    print(f"\nvenv and install of {wheel.name} with {reqs.name}: "
          f"{time.perf_counter() - start:.1f} s")
    assert done.returncode == 0, done.stderr[-3000:]
    subprocess.run([str(venv / "bin" / "python"), "-m", "ipykernel", "install", "--prefix",
                    str(venv), "--name", "vah-student"], check=True, env=env,
                   capture_output=True)
    return {"home": home, "venv": venv, "env": env, "pages": pages}


@pytest.mark.venv
@pytest.mark.parametrize("doc", STUDENT_PAGES)
def test_a_downloaded_notebook_runs_from_the_wheel(student, doc):
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    path, page_html = student["pages"][doc]
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import vah\nprint(vah.__file__)"))
    specs = KernelSpecManager(kernel_dirs=[str(student["venv"] / "share" / "jupyter" /
                                               "kernels")])
    km = KernelManager(kernel_name="vah-student", kernel_spec_manager=specs)
    start = time.perf_counter()
    NotebookClient(nb, km=km, timeout=600, allow_errors=False).execute(
        env=student["env"], cwd=str(student["home"]))
    print(f"\n{path.name} executed in {time.perf_counter() - start:.1f} s")
    where = nb.cells[-1].outputs[0]["text"].strip()
    assert Path(where).is_relative_to(student["venv"]), f"vah imported from {where}"
    assert glued_names(nb) == [], f"{doc}: glued with myst-nb in the student's venv"
    values, placed = shown_values(nb), placed_values(nb, visible_text(page_html))
    assert placed, f"{doc}: no glued value found in place on the site"
    assert {k: values.get(k) for k in placed} == placed


@pytest.mark.venv
def test_the_student_venv_has_no_book_tools_and_show_returns(student):
    python = str(student["venv"] / "bin" / "python")
    for module in ("myst_nb", "sphinx", "docutils", "jupyter_cache", "jupyter_book"):
        done = subprocess.run([python, "-c", f"import {module}"], capture_output=True,
                              env=student["env"], cwd=student["home"])
        assert done.returncode != 0, f"{module} is importable in the student's venv"
    done = subprocess.run([python, "-c", "from vah.chapters import efficacy, show\n"
                           "print(repr(show(efficacy)))"], capture_output=True, text=True,
                          env=student["env"], cwd=student["home"])
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout == "None\n"
