"""Journal-style tables for the book.

:func:`myst_table` turns a DataFrame into a MyST ``list-table`` that Sphinx numbers, captions and
cross-references like any table (``{numref}`` works); the book's CSS gives it journal rules.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Mapping, Sequence

import pandas as pd

__all__ = [
    "breakable",
    "escape",
    "html_table",
    "html_table_source",
    "myst_table",
    "myst_table_source",
    "plain",
]

_SPECIAL = re.compile(r"([\\`*_\[\]|<>$])")


_BREAK_AFTER = re.compile(r"([._,/])")


def breakable(text: object) -> str:
    """An identifier (``table2.CRc.all.ci``, ``logit_stata_cohort_df``) that may break across
    lines only after a dot, underscore, comma or slash (a zero-width space there), never
    inside a word."""
    return _BREAK_AFTER.sub("\\1\u200b", str(text))


def plain(text: object) -> str:
    """A cell value as one line of text; missing values become an en dash."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return "–"
    return str(text).replace("\n", " ").strip()


def escape(text: object) -> str:
    """Escape MyST inline markup in a cell value; missing values become an en dash."""
    value = plain(text)
    return _SPECIAL.sub(r"\\\1", value) if value else " "


def myst_table_source(
    frame: pd.DataFrame,
    caption: str,
    name: str,
    *,
    notes: str | None = None,
    widths: list[int] | None = None,
    align_numbers: bool = True,
    stub_rows: set[int] | None = None,
) -> str:
    """MyST source of a numbered table with a header row.

    ``stub_rows`` are row positions shown as section headings (bold label; their other cells,
    such as the P value of the whole characteristic, are kept);
    ``notes`` is a paragraph printed under the table (abbreviations, footnotes).
    """
    if frame.empty:
        raise ValueError(f"table {name!r} has no rows")
    classes = "vah-table" + (" vah-numeric" if align_numbers else "")
    lines = [f":::{{list-table}} {caption}", f":name: {name}", ":header-rows: 1",
             f":class: {classes}"]
    if widths:
        lines.append(":widths: " + " ".join(str(w) for w in widths))
    lines.append("")
    lines.append("* - " + "\n  - ".join(escape(c) for c in frame.columns))
    stub_rows = stub_rows or set()
    for i, row in enumerate(frame.itertuples(index=False)):
        cells = [escape(v) for v in row]
        if i in stub_rows:  # a section heading; its other cells (a P value) stay
            cells = [f"**{cells[0]}**"] + cells[1:]
        lines.append("* - " + "\n  - ".join(cells))
    lines.append(":::")
    if notes:
        lines += ["", notes]
    return "\n".join(lines) + "\n"


def myst_table(frame: pd.DataFrame, caption: str, name: str, **kwargs):
    """The table as an IPython Markdown object; display it from a ``remove-input`` cell."""
    from IPython.display import Markdown

    return Markdown(myst_table_source(frame, caption, name, **kwargs))


#: An HTML attribute name that a row may carry (``data-status``, ``class``, ...).
_ATTRIBUTE = re.compile(r"[a-z][a-z0-9-]*")


def _row_attributes(attrs: Mapping[str, str], name: str) -> str:
    bad = [a for a in attrs if not _ATTRIBUTE.fullmatch(a) or a == "id"]
    if bad:
        raise ValueError(f"table {name!r}: bad row attribute(s) {bad} (row ids go in row_ids)")
    return "".join(f' {a}="{html.escape(str(v))}"' for a, v in attrs.items())


def _code(value: object) -> str:
    """A cell as code that breaks only after its dots (``table2.<wbr>CRc.<wbr>all``)."""
    return '<code class="vah-code">' + html.escape(plain(value)).replace(".", ".<wbr>") + "</code>"


def html_table_source(frame: pd.DataFrame, caption: str, name: str,
                      widths: list[int] | None = None,
                      row_ids: list[str] | None = None, *,
                      row_attrs: Sequence[Mapping[str, str]] | None = None,
                      code_columns: Collection[str] = ()) -> str:
    """A long table as plain HTML with the same journal style, a caption and header cells.

    For tables of hundreds of rows (the ledger by topic): Sphinx neither numbers nor parses
    them, which keeps the build fast; they are not cited with ``{numref}`` (``name`` is the
    table's HTML id, for links). ``widths`` are relative column widths; ``row_ids`` gives each
    row an HTML id (the ledger's entry anchors); ``row_attrs`` gives each row more attributes
    (``{"data-status": "match"}``, for a script that filters rows); the cells of the
    ``code_columns`` are shown as code that wraps only after a dot (identifiers such as
    ``table2.CRc.all``).
    """
    if frame.empty:
        raise ValueError(f"table {name!r} has no rows")
    cell = html.escape
    head = "".join(f'<th scope="col">{cell(str(c))}</th>' for c in frame.columns)
    if row_ids is not None and len(row_ids) != len(frame):
        raise ValueError(f"table {name!r}: {len(row_ids)} row ids for {len(frame)} rows")
    if row_attrs is not None and len(row_attrs) != len(frame):
        raise ValueError(f"table {name!r}: {len(row_attrs)} row attributes for "
                         f"{len(frame)} rows")
    unknown = sorted(set(code_columns) - set(frame.columns))
    if unknown:
        raise ValueError(f"table {name!r}: no column(s) {unknown} to show as code")
    ids = [f' id="{cell(i)}"' for i in row_ids] if row_ids else [""] * len(frame)
    if row_attrs is not None:
        ids = [i + _row_attributes(a, name) for i, a in zip(ids, row_attrs, strict=True)]
    as_code = [c in code_columns for c in frame.columns]
    rows = "".join(
        f"<tr{rid}>" + "".join(f"<td>{_code(v) if code else cell(plain(v))}</td>"
                               for v, code in zip(row, as_code, strict=True)) + "</tr>"
        for rid, row in zip(ids, frame.itertuples(index=False), strict=True))
    cols = ""
    if widths:
        if len(widths) != len(frame.columns):
            raise ValueError(f"table {name!r}: {len(widths)} widths for "
                             f"{len(frame.columns)} columns")
        cols = "<colgroup>" + "".join(f'<col style="width: {100 * w / sum(widths):.1f}%">'
                                      for w in widths) + "</colgroup>"
    # a region that may scroll sideways is reachable by keyboard (tabindex) and named
    return (f'<div class="vah-scroll" tabindex="0" role="region" aria-label="{cell(caption)}">'
            f'<table class="table vah-table vah-long" id="{cell(name)}">'
            f"<caption>{cell(caption)}</caption>{cols}<thead><tr>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table></div>")


def html_table(frame: pd.DataFrame, caption: str, name: str, widths: list[int] | None = None,
               row_ids: list[str] | None = None, **kwargs):
    """The table as an IPython HTML object; display it from a ``remove-input`` cell
    (``kwargs``: ``row_attrs``, ``code_columns``, as for :func:`html_table_source`)."""
    from IPython.display import HTML

    return HTML(html_table_source(frame, caption, name, widths, row_ids, **kwargs))
