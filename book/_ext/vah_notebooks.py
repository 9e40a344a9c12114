"""Every chapter as a notebook to download, and the package to run it (``book/appendix/run``).

Each page that is a MyST notebook (its front matter has a ``kernelspec``) is converted with
jupytext into ``_sources/<docname>.ipynb`` of the HTML site when the build finishes. Cell ids
are derived from the cells' position and source, so the same page gives the same file. The page
shows a link to it under its title, and the theme's download menu offers it (``.ipynb``).

The build also ships the wheel of ``vah`` and ``requirements-run.txt`` into ``_run/`` (see
``vah_run``); the directive ``{vah-downloads}`` lists them and every notebook, with relative
links that download (``download`` attribute: a browser saves the file rather than showing
``requirements-run.txt`` as text), so the site works offline. The role ``{vah-python}`` writes
the Python version the Run page asks for (``required`` or ``tested``, from ``vah_run``).
"""

from __future__ import annotations

import hashlib
import html
import posixpath
from functools import cache
from pathlib import Path

import yaml
from docutils import nodes
from sphinx.util.docutils import SphinxDirective, SphinxRole

RUN_DIR = "_run"
NOTEBOOK_TEXT = "Download this chapter as a notebook (.ipynb)"


@cache
def is_notebook(source: str) -> bool:
    """Whether the MyST page at ``source`` declares a kernel in its front matter."""
    text = Path(source).read_text()
    if not text.startswith("---\n"):
        return False
    front = yaml.safe_load(text[4:text.find("\n---", 4)]) or {}
    return "kernelspec" in front


def to_ipynb(source: Path) -> str:
    """The page at ``source`` as notebook JSON: its cells, its kernel, stable cell ids."""
    import jupytext
    import nbformat

    nb = jupytext.read(source)
    nb.metadata = {"kernelspec": nb.metadata["kernelspec"],
                   "language_info": {"name": "python"}}
    for index, cell in enumerate(nb.cells):
        digest = hashlib.sha256(f"{index}\0{cell.source}".encode()).hexdigest()
        cell.id = digest[:12]
    return nbformat.writes(nb) + "\n"


def notebook_uri(docname: str) -> str:
    """Where the notebook of ``docname`` is, relative to the site's root."""
    return f"_sources/{docname}.ipynb"


def _relative(app, docname: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(app.builder.get_target_uri(docname)))


def _notebook_docs(app) -> list[str]:
    """The notebook pages in the order of the table of contents."""
    env, order = app.env, []

    def walk(doc: str) -> None:
        if doc not in order:
            order.append(doc)
            for child in env.toctree_includes.get(doc, []):
                walk(child)

    walk(app.config.root_doc)
    order += sorted(set(env.found_docs) - set(order))
    return [d for d in order if is_notebook(str(env.doc2path(d)))]


class downloads(nodes.General, nodes.Element):
    """Placeholder for the list of downloads, filled in when every page is known."""


class DownloadsDirective(SphinxDirective):
    """``{vah-downloads}``: the wheel, its requirements file and every chapter's notebook."""

    def run(self) -> list[nodes.Node]:
        return [downloads()]


def _link(uri: str, text: str, literal: bool = False) -> nodes.paragraph:
    """A paragraph holding a link that downloads ``uri`` (HTML builders only)."""
    shown = html.escape(text)
    if literal:
        shown = f'<code class="docutils literal notranslate">{shown}</code>'
    raw = (f'<a class="reference download vah-download" href="{html.escape(uri)}" '
           f'download>{shown}</a>')
    return nodes.paragraph("", "", nodes.raw("", raw, format="html"))


class PythonRole(SphinxRole):
    """``{vah-python}`required``` or ``tested``: a Python version, from ``vah_run``."""

    def run(self) -> tuple[list[nodes.Node], list]:
        from vah_run import python_version

        try:
            version = python_version(Path(self.env.srcdir), self.text.strip())
        except (ValueError, RuntimeError, OSError, KeyError) as error:
            msg = self.inliner.reporter.error(f"vah-python: {error}", line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        return [nodes.Text(version)], []


def _fill_downloads(app, doctree, docname: str) -> None:
    for node in list(doctree.findall(downloads)):
        import vah

        wheel = f"vah-{vah.__version__}-py3-none-any.whl"
        items = nodes.bullet_list()
        for label, uri, text in (
                ("The package: ", f"{RUN_DIR}/{wheel}", wheel),
                ("Its pinned dependencies: ", f"{RUN_DIR}/requirements-run.txt",
                 "requirements-run.txt")):
            item = _link(_relative(app, docname, uri), text, True)
            item.insert(0, nodes.Text(label))
            items += nodes.list_item("", item)
        chapters = nodes.bullet_list()
        for doc in _notebook_docs(app):
            title = app.env.titles[doc].astext()
            chapters += nodes.list_item("", _link(_relative(app, docname, notebook_uri(doc)),
                                                  title))
        items += nodes.list_item("", nodes.paragraph("", "The chapters as notebooks:"),
                                 chapters)
        node.replace_self(items)


def _add_notebook_link(app, doctree, docname: str) -> None:
    """Under the page's title, a link to its notebook (HTML builder only)."""
    _fill_downloads(app, doctree, docname)
    if app.builder.name != "html" or not is_notebook(str(app.env.doc2path(docname))):
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not isinstance(section[0], nodes.title):
        return
    uri = _relative(app, docname, notebook_uri(docname))
    html = (f'<p class="vah-notebook-download"><a class="reference download" href="{uri}" '
            f'download>{NOTEBOOK_TEXT}</a></p>\n')
    section.insert(1, nodes.raw("", html, format="html"))


def _offer_in_menu(app, pagename, templatename, context, doctree) -> None:
    """Let the theme's download menu offer the notebook (it reads ``ipynb_source``)."""
    if pagename in app.env.found_docs and is_notebook(str(app.env.doc2path(pagename))):
        context["ipynb_source"] = f"{pagename}.ipynb"


def _write_files(app, exception) -> None:
    """Write every notebook, and ship the wheel and its requirements file."""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    for doc in _notebook_docs(app):
        target = out / notebook_uri(doc)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = to_ipynb(Path(app.env.doc2path(doc)))
        if not target.exists() or target.read_text() != text:
            target.write_text(text)
    root = Path(app.srcdir)
    if (root / "pyproject.toml").exists() and (root / "src" / "vah").is_dir():
        from vah_run import project, ship

        import vah

        version = project(root)["version"]
        if version != vah.__version__:
            raise RuntimeError(f"pyproject.toml says version {version}, "
                               f"vah.__version__ says {vah.__version__}")
        ship(root, out / RUN_DIR, out.parent / ".run-digest")


def setup(app):
    app.add_node(downloads)
    app.add_directive("vah-downloads", DownloadsDirective)
    app.add_role("vah-python", PythonRole())
    app.connect("doctree-resolved", _add_notebook_link)
    app.connect("html-page-context", _offer_in_menu, priority=500)
    app.connect("build-finished", _write_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
