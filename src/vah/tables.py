"""Journal-style tables for the book.

:func:`myst_table` turns a DataFrame into a MyST ``list-table`` that Sphinx numbers, captions and
cross-references like any table (``{numref}`` works); the book's CSS gives it journal rules.
"""

from __future__ import annotations

import re

import pandas as pd

_SPECIAL = re.compile(r"([\\`*_\[\]|<>$])")


def escape(text: object) -> str:
    """Escape MyST inline markup in a cell value; missing values become an en dash."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return "–"
    value = str(text).replace("\n", " ").strip()
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

    ``stub_rows`` are row positions shown as section headings (bold label, empty cells);
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
        if i in stub_rows:
            cells = [f"**{cells[0]}**"] + [" " for _ in cells[1:]]
        lines.append("* - " + "\n  - ".join(cells))
    lines.append(":::")
    if notes:
        lines += ["", notes]
    return "\n".join(lines) + "\n"


def myst_table(frame: pd.DataFrame, caption: str, name: str, **kwargs):
    """The table as an IPython Markdown object; display it from a ``remove-input`` cell."""
    from IPython.display import Markdown

    return Markdown(myst_table_source(frame, caption, name, **kwargs))
