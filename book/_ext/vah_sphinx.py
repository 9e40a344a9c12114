"""Small fixes: the book's accessibility, and parallel builds.

docutils renders a bibliography as ``<div role="list">`` whose children have the role
``doc-biblioentry``, which is not a list item: axe-core reports it as a critical violation
(aria-required-children). The list role is dropped; the entries keep their own role.

sphinx-multitoc-numbering does not declare whether it is safe for parallel reading, so Sphinx
reads one page at a time when it is loaded (and warns, which ``-W`` makes an error). It only
replaces the section numbering that Sphinx runs in the main process once all pages are read,
which does not depend on how they were read: it is declared safe here.
"""

from __future__ import annotations


def _drop_list_role(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if body and 'role="list" class="citation-list"' in body:
        context["body"] = body.replace('<div role="list" class="citation-list">',
                                       '<div class="citation-list">')


def setup(app):
    app.connect("html-page-context", _drop_list_role)
    app.setup_extension("sphinx_multitoc_numbering")
    app.extensions["sphinx_multitoc_numbering"].parallel_read_safe = True
    return {"parallel_read_safe": True, "parallel_write_safe": True}
