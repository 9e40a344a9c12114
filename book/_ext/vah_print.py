"""The printed edition: the ``singlehtml`` build that ``scripts/pdf.py`` prints.

sphinx-exercise registers its nodes for ``singlehtml`` as well as ``html``. Sphinx then takes the
``singlehtml`` handlers from their own table only, so that builder loses every node that other
extensions registered for ``html`` alone (myst-nb's ``HideCodeCellNode`` first) and fails. The
missing ``html`` handlers are copied to ``singlehtml`` when the builder starts.
"""

from __future__ import annotations


def _copy_html_handlers(app) -> None:
    """Give ``singlehtml`` every ``html`` translation handler it does not have."""
    if app.builder.name != "singlehtml":
        return
    handlers = app.registry.translation_handlers
    single = handlers.setdefault("singlehtml", {})
    for node, pair in handlers.get("html", {}).items():
        single.setdefault(node, pair)


def setup(app):
    app.connect("builder-inited", _copy_html_handlers)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
