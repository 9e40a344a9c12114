"""The runtime a student installs holds no book-building package, and ``show`` runs without them.

``requirements-run.txt`` (published in ``_build/html/_run``) is what ``book/_ext/vah_run.py``
computes from the ``dependencies`` of ``pyproject.toml``, and names no Sphinx, myst-nb,
Jupyter Book, docutils or jupyter-cache. The wheel's ``Requires-Dist`` asks for myst-nb only with
the extra ``book``. ``show`` works where myst-nb cannot be imported: outside IPython it returns,
in a kernel it displays the chapter's values as one table; with myst-nb it glues as before.
"""

from __future__ import annotations

import sys
import types
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT
from vah.chapters import Value, show

sys.path.insert(0, str(ROOT / "book" / "_ext"))
from vah_run import project, requirements_run  # noqa: E402  (book/_ext is not a package)

#: Distributions that build the book and must stay out of a student's environment.
BOOK_ONLY = {"sphinx", "myst-nb", "myst-parser", "jupyter-book", "docutils", "jupyter-cache",
             "sphinx-book-theme", "sphinx-exercise"}


def names(text: str) -> set[str]:
    """The canonical names of a requirements file's lines."""
    lines = [ln.split("#", 1)[0].strip() for ln in text.splitlines()]
    return {canonicalize_name(Requirement(ln).name) for ln in lines if ln}


def book_only(found: set[str]) -> list[str]:
    return sorted(n for n in found if n in BOOK_ONLY or n.startswith("sphinx"))


def test_the_runtime_requirements_hold_no_book_package(site_dir):
    published = names((site_dir / "_run" / "requirements-run.txt").read_text())
    assert {"numpy", "pandas", "lifelines", "pint", "ipykernel"} <= published
    assert book_only(published) == []


def test_the_published_requirements_are_what_pyproject_gives(site_dir):
    """The site ships what ``vah_run`` computes from the current ``pyproject.toml``."""
    published = (site_dir / "_run" / "requirements-run.txt").read_text()
    assert published == requirements_run(ROOT)


def _requires_dist(site_dir: Path) -> list[Requirement]:
    wheel = next((site_dir / "_run").glob("vah-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        meta = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        message = Parser().parsestr(archive.read(meta).decode())
    return [Requirement(r) for r in message.get_all("Requires-Dist") or []]


def test_the_wheel_asks_for_myst_nb_only_with_the_book_extra(site_dir):
    requires = _requires_dist(site_dir)
    plain = {canonicalize_name(r.name) for r in requires
             if r.marker is None or r.marker.evaluate({"extra": ""})}
    book = {canonicalize_name(r.name) for r in requires
            if r.marker is not None and r.marker.evaluate({"extra": "book"})}
    assert plain == {canonicalize_name(Requirement(d).name)
                     for d in project(ROOT)["dependencies"]}
    assert book_only(plain) == []
    assert {"myst-nb", "jupyter-book"} <= book


# -- show() with and without myst-nb -------------------------------------------------------------

def _chapter(calls: list[str]) -> types.ModuleType:
    chapter = types.ModuleType("fake_chapter")
    chapter.PAGE = "book/fake"

    def values() -> dict:
        calls.append("values")
        return {"n": 96, "crc": Value("70.8 %"), "range": "a | b"}

    chapter.values = values
    return chapter


@pytest.fixture
def no_myst_nb(monkeypatch):
    """An interpreter where ``import myst_nb`` fails, as in a student's venv."""
    monkeypatch.setitem(sys.modules, "myst_nb", None)


@pytest.fixture
def kernel(monkeypatch) -> list:
    """A running IPython shell, as in a notebook's kernel; returns what it displays."""
    import IPython
    import IPython.display

    shown: list = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: shown.extend(objs))
    return shown


def test_show_without_myst_nb_outside_ipython_returns(no_myst_nb):
    calls: list[str] = []
    assert show(_chapter(calls)) is None
    assert calls == []


def test_show_without_myst_nb_in_a_kernel_displays_the_values(no_myst_nb, kernel):
    show(_chapter([]))
    assert len(kernel) == 1
    table = kernel[0].data
    assert table.splitlines() == ["| Key | Value |", "|---|---|", "| `n` | 96 |",
                                  "| `crc` | 70.8 % |", "| `range` | a \\| b |"]


def test_show_under_myst_nb_glues_and_displays_nothing(kernel, monkeypatch):
    import myst_nb

    glued: list[tuple] = []
    monkeypatch.setattr(myst_nb, "glue", lambda *args, **kw: glued.append((*args, kw)))
    show(_chapter([]))
    assert kernel == []
    assert glued == [("n", 96, {"display": False}), ("crc", "70.8 %", {"display": False}),
                     ("range", "a | b", {"display": False})]
