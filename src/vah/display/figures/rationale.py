"""The design logic in one picture: historical range, null, target and observed CRc."""

from __future__ import annotations

from matplotlib.figure import Figure

from vah.display.figures import PALETTE
from vah.display.subgroups import overall_crc
from vah.stats import binomial
from vah.trial.comparators import comparator
from vah.trial.protocol import SAMPLE_SIZE_DESIGN as D

__all__ = [
    "design_logic",
]


def design_logic() -> Figure:
    """The design's logic: the historical range, the null hypothesis, the target and VAH's CRc
    with its interval on one axis."""
    hist = comparator("ven_hma_range")
    k, n = overall_crc()
    lo, hi = binomial.proportion_ci(k, n, "clopper_pearson")
    fig = Figure(figsize=(7.5, 2.4))
    ax = fig.subplots()
    ax.axvspan(hist.low, hist.high, color=PALETTE["venetoclax"], alpha=0.15)
    ax.text((hist.low + hist.high) / 2, 2.55, "venetoclax + HMA in R/R AML\n(range cited)",
            ha="center", fontsize=8, color=PALETTE["venetoclax"])
    # The null's label goes left of its line, the target's right of its own: the two lines are
    # closer than the null's label is long.
    for x, label, colour, side in ((100 * D.p0, "null hypothesis", PALETTE["refractory"], -1),
                                   (100 * D.p1, "target", PALETTE["azacitidine"], 1)):
        ax.axvline(x, color=colour, lw=1.5)
        ax.text(x + side * 0.8, 1.6, label, fontsize=8, color=colour, va="center",
                ha="left" if side > 0 else "right")
    ax.plot([100 * lo, 100 * hi], [0.7, 0.7], color=PALETTE["published"], lw=3)
    ax.plot([100 * k / n], [0.7], "D", color=PALETTE["published"], ms=8)
    ax.text(100 * hi + 1, 0.7, f"VAH: {k}/{n}", va="center", fontsize=8,
            color=PALETTE["published"])
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 3.3)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xlabel("CRc rate, per cent")
    return fig
