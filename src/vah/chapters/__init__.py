"""One module per page of the book: everything that page shows, computed here, never on the page.

Each chapter module defines ``PAGE`` (its document, e.g. ``"book/safety"``), ``values()`` (the
numbers and phrases its prose glues, by key) and ``figures()`` (its figures, by name), and
functions for its tables. A page's hidden cell runs ``show(chapter)``; ``vah.results`` is the
union of every chapter's values.

A value that restates or recomputes a published number is a :class:`Value` carrying its ledger
entry: the page shows it as a link to that entry, with the printed and recomputed numbers and
the status in a tooltip.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import ModuleType

from vah.paper.folder import cached_on_data

__all__ = ["LEDGER_PAGE", "Value", "entry_anchor", "ledger_href", "linked", "plain", "show"]

#: The ledger page, whose rows carry the anchors ``entry_anchor(id)``.
LEDGER_PAGE = "book/appendix/ledger"


@dataclass(frozen=True)
class Value:
    """A number as a page shows it (``text``), where it comes from and, when it restates or
    recomputes a published number, the ledger entry that checks it.

    ``value`` is the plain number for ``vah results`` (default: the text); ``source`` the
    paper's locator, when the value is published.
    """

    text: str
    ledger: str | None = None
    source: str | None = None
    value: float | int | str | None = None

    @property
    def plain(self) -> float | int | str:
        return self.text if self.value is None else self.value

    def __str__(self) -> str:
        return self.text


@cached_on_data
def _locators() -> dict[str, str]:
    from vah.ledger import ledger_frame

    frame = ledger_frame()
    return dict(zip(frame["id"], frame["where"], strict=True))


def linked(text: object, entry: str, value: float | int | str | None = None) -> Value:
    """``text`` restating or recomputing the published number that ledger entry ``entry``
    checks, with that entry's locator in the paper. ``value`` is the plain number; a number
    given as ``text`` is its own value."""
    if value is None and isinstance(text, int | float) and not isinstance(text, bool):
        value = text
    return Value(str(text), entry, _locators()[entry], value)


def plain(value: object) -> float | int | str:
    """The plain Python value behind what a chapter returns (a :class:`Value` or a number)."""
    if isinstance(value, Value):
        return value.plain
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TypeError(f"a chapter value must be int, float, str or Value, got {value!r}")
    return value


def entry_anchor(entry_id: str) -> str:
    """The HTML id of a ledger entry's row on the ledger page."""
    return "entry-" + entry_id


def ledger_href(page: str, entry_id: str) -> str:
    """The link from ``page`` (a document such as ``"book/safety"``) to a ledger entry."""
    rel = posixpath.relpath(LEDGER_PAGE, posixpath.dirname(page))
    return f"{rel}.html#{entry_anchor(entry_id)}"


class _Linked:
    """A glued value with two faces: plain text for ``{glue:text}``, a link to its ledger
    entry (printed, recomputed and status in the tooltip) for ``{glue:md}``."""

    def __init__(self, text: str, href: str, title: str) -> None:
        self.text, self.href, self.title = text, href, title

    def __repr__(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str:
        return (f'<a class="vah-ledger-link" href="{html.escape(self.href)}" '
                f'title="{html.escape(self.title)}">{html.escape(self.text)}</a>')


def _tooltip(entry_id: str, entries: Mapping[str, Mapping[str, str]]) -> str:
    if entry_id not in entries:
        raise KeyError(f"no ledger entry {entry_id!r}")
    e = entries[entry_id]
    return (f"Printed: {e['published']} · recomputed: {e['recomputed']} · {e['status']}, "
            f"basis {e['basis']} (ledger entry {entry_id})")


def _ledger_rows() -> dict[str, dict[str, str]]:
    from vah.ledger import ledger_frame

    return ledger_frame().set_index("id")[["published", "recomputed", "status",
                                           "basis"]].to_dict("index")


def _glue() -> Callable[..., None] | None:
    """myst-nb's ``glue``, or None where myst-nb is not installed (``vah`` without ``[book]``)."""
    try:
        from myst_nb import glue
    except ImportError:
        return None
    return glue


def _display() -> Callable[..., None] | None:
    """IPython's ``display`` when a kernel or IPython shell is running, else None."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return None
    return display if get_ipython() is not None else None


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _values_table(chapter: ModuleType) -> str:
    """The values ``chapter`` glues as a Markdown table: each key with the text its page shows
    (what a notebook without myst-nb displays in place of the glue)."""
    rows = [f"| `{key}` | {_cell(value)} |" for key, value in chapter.values().items()]
    return "\n".join(["| Key | Value |", "|---|---|", *rows])


def show(chapter: ModuleType) -> None:
    """Glue everything ``chapter`` shows into the page being executed.

    Under myst-nb (a kernel where ``myst_nb`` imports: the book's build, ``vah[book]``) it calls
    ``glue``: values as text (linked to the ledger where they carry an entry), and figures and
    other outputs (``outputs()``: tables placed with ``{glue:}``) by name, none displayed.

    In a kernel without myst-nb (a student's notebook, installed from the wheel alone) it
    displays one table of the values by key, and nothing else: the notebook's text still names
    each value by its key in a glue role, which Jupyter does not resolve, so the table is where a
    reader finds the number the page shows there. Figures stay out of it, to keep the first cell
    short (``chapter.figures()`` returns them).
    Outside IPython (plain ``python``) there is nowhere to display, and it returns at once.
    """
    display = _display()
    if display is None:
        return
    glue = _glue()
    if glue is None:
        from IPython.display import Markdown

        display(Markdown(_values_table(chapter)))
        return
    values = chapter.values()
    rows = _ledger_rows() if any(isinstance(v, Value) and v.ledger for v in values.values()) \
        else {}
    for key, value in values.items():
        if isinstance(value, Value) and value.ledger:
            value = _Linked(value.text, ledger_href(chapter.PAGE, value.ledger),
                            _tooltip(value.ledger, rows))
        elif isinstance(value, Value):
            value = value.text
        glue(key, value, display=False)
    for key, shown in (getattr(chapter, "figures", dict)()
                       | getattr(chapter, "outputs", dict)()).items():
        glue(key, shown, display=False)
