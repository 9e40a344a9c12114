"""Figures of the book: matplotlib, rendered as deterministic SVG.

Pages call :func:`setup` once in their hidden first cell. Figure functions live in submodules
(``vah.display.figures.dosing``, ``vah.display.figures.survival``, ...) and return a
matplotlib ``Figure``.
"""

from __future__ import annotations

import matplotlib

__all__ = [
    "PALETTE",
    "setup",
    "STYLE",
    "svg_bytes",
]

matplotlib.use("Agg")

#: Colours used across the book (colour-blind safe, Okabe-Ito).
PALETTE = {
    "venetoclax": "#0072B2",
    "azacitidine": "#E69F00",
    "homoharringtonine": "#009E73",
    "all": "#000000",
    "refractory": "#D55E00",
    "relapsed_chemo": "#0072B2",
    "relapsed_hsct": "#009E73",
    "published": "#CC79A7",
    "grey": "#777777",
}

STYLE = {
    "svg.hashsalt": "vah-book",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "figure.dpi": 100,
    "savefig.bbox": "tight",
}


def setup() -> None:
    """Use the book's style and make notebook figures SVG without a timestamp."""
    matplotlib.rcParams.update(STYLE)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the book's environment
        return
    shell = get_ipython()
    if shell is None:
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    shell.run_line_magic("matplotlib", "inline")  # before the formats: it resets them to PNG
    set_matplotlib_formats("svg", metadata={"Date": None})
    matplotlib.rcParams.update(STYLE)


def svg_bytes(fig) -> bytes:
    """The figure as SVG bytes, without a date: used by tests of determinism."""
    import io

    buffer = io.BytesIO()
    matplotlib.rcParams.update(STYLE)
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()
