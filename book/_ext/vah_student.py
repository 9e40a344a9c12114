"""Student and teacher notebooks written from each page's resolved doctree (issue 21, parts 1-2).

DRAFT, not yet in ``_config.yml``: a ``doctree-resolved`` handler walks the page as Sphinx
resolved it (glue already text, cross-references already titles) and writes Markdown, cutting a
new Markdown cell at each myst-nb code cell; code and outputs of those cells are to be taken from
``_build/jupyter_execute/<doc>.ipynb``. Unknown node types raise, so nothing vanishes silently.
"""

from __future__ import annotations

from docutils import nodes


class UnknownNode(RuntimeError):
    """A node type the Markdown writer does not know: the build must say so."""


def _inline(node: nodes.Node) -> str:
    """The Markdown of an inline node and its children."""
    if isinstance(node, nodes.Text):
        return node.astext().replace("\n", " ")
    inner = "".join(_inline(child) for child in node.children)
    if isinstance(node, nodes.emphasis):
        return f"*{inner}*"
    if isinstance(node, nodes.strong):
        return f"**{inner}**"
    if isinstance(node, nodes.literal):
        return f"`{node.astext()}`"
    if isinstance(node, nodes.math):
        return f"${node.astext()}$"
    if isinstance(node, nodes.reference):
        uri = node.get("refuri", "")
        if uri.startswith(("http://", "https://")):
            return f"[{inner}]({uri})"
        return inner  # internal links (ledger rows, other pages) as plain text for now
    if isinstance(node, (nodes.inline, nodes.abbreviation, nodes.citation_reference,
                         nodes.footnote_reference, nodes.term)):
        return inner
    raise UnknownNode(f"inline node {node.tagname} has no Markdown form")


def _table(node: nodes.table) -> str:
    """A docutils table as a Markdown pipe table."""
    rows = [[_inline_cells(entry) for entry in row.findall(nodes.entry)]
            for row in node.findall(nodes.row)]
    if not rows:
        return ""
    head, body = rows[0], rows[1:]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(lines)


def _inline_cells(entry: nodes.entry) -> str:
    text = " ".join(b for child in entry.children for b in block_markdown(child))
    return text.replace("|", "\\|")


def block_markdown(node: nodes.Node, level: int = 1) -> list[str]:
    """Markdown blocks for one body node (solutions are the caller's to drop or keep)."""
    if isinstance(node, nodes.section):
        out: list[str] = []
        for child in node.children:
            if isinstance(child, nodes.title):
                out.append("#" * level + " " + "".join(_inline(c) for c in child.children))
            else:
                out += block_markdown(child, level + 1)
        return out
    if isinstance(node, nodes.paragraph):
        return ["".join(_inline(c) for c in node.children)]
    if isinstance(node, nodes.math_block):
        return [f"$$\n{node.astext()}\n$$"]
    if isinstance(node, (nodes.bullet_list, nodes.enumerated_list)):
        mark = "-" if isinstance(node, nodes.bullet_list) else "1."
        items = []
        for item in node.children:
            text = "\n\n".join(b for c in item.children for b in block_markdown(c, level))
            items.append(f"{mark} " + text.replace("\n", "\n   "))
        return ["\n".join(items)]
    if isinstance(node, nodes.definition_list):
        out = []
        for item in node.children:
            term = "".join(_inline(c) for c in item.children if isinstance(c, nodes.term))
            body = [b for c in item.children if isinstance(c, nodes.definition)
                    for d in c.children for b in block_markdown(d, level)]
            out.append(f"**{term}**: " + " ".join(body))
        return ["\n\n".join(out)]
    if isinstance(node, nodes.table):
        return [_table(node)]
    if isinstance(node, (nodes.Admonition, nodes.container, nodes.compound)):
        return [b for c in node.children for b in block_markdown(c, level)]
    if isinstance(node, (nodes.target, nodes.comment, nodes.raw)):
        return []
    raise UnknownNode(f"block node {node.tagname} has no Markdown form")


def setup(app):
    return {"parallel_read_safe": True, "parallel_write_safe": True}
