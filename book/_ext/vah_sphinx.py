"""Small HTML fixes for the book's accessibility.

docutils renders a bibliography as ``<div role="list">`` whose children have the role
``doc-biblioentry``, which is not a list item: axe-core reports it as a critical violation
(aria-required-children). The list role is dropped; the entries keep their own role.
"""

from __future__ import annotations


def _drop_list_role(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if body and 'role="list" class="citation-list"' in body:
        context["body"] = body.replace('<div role="list" class="citation-list">',
                                       '<div class="citation-list">')


def setup(app):
    app.connect("html-page-context", _drop_list_role)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
