"""Design figures: the power curve of the single-arm design."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from vah.display.figures import PALETTE
from vah.stats import design

__all__ = [
    "power_curve",
]


def power_curve(n: int, p0: float, p1: float, alpha: float, power: float,
                observed: float | None = None, two_sided_alpha: float | None = None) -> Figure:
    """Power of the one-sided test of H0: p <= p0 against the true rate.

    ``alpha`` is the one-sided level; the exact binomial test and the normal approximation
    are drawn. With ``two_sided_alpha``, the two-sided exact test at that level is drawn for
    contrast: it also rejects when the rate is below p0, so its curve is U-shaped.
    """
    grid = np.round(np.arange(0.30, 0.851, 0.005), 3)
    exact = design.power_one_proportion(n, p0, grid, alpha, "exact", "greater")
    normal = design.power_one_proportion(n, p0, grid, alpha, "normal_null_var", "greater")
    fig = Figure(figsize=(7.0, 4.4))
    ax = fig.subplots()
    ax.plot(100 * grid, exact, color=PALETTE["venetoclax"], lw=2,
            label=f"one-sided exact binomial test, \u03b1 = {alpha:g}: VAH better")
    ax.plot(100 * grid, normal, color=PALETTE["grey"], lw=1.2, ls="--",
            label="one-sided, normal approximation")
    if two_sided_alpha is not None:
        two = design.power_one_proportion(n, p0, grid, two_sided_alpha, "exact")
        low, colour = 100 * float(grid[0]), PALETTE["homoharringtonine"]
        ax.plot(100 * grid, two, color=colour, lw=1.6, ls=":", zorder=3,
                label=f"contrast: two-sided exact test, \u03b1 = {two_sided_alpha:g}, "
                      "rejections in either direction")
        ax.annotate("here the two-sided test\nrejects because VAH looks worse",
                    xy=(low + 2, float(two[4])), xytext=(low + 4, 0.55), fontsize=8,
                    color=colour, arrowprops={"arrowstyle": "->", "color": colour, "lw": 0.8})
    ax.axhline(power, color=PALETTE["grey"], lw=0.8, ls=":")
    ax.axvline(100 * p0, color=PALETTE["refractory"], lw=0.8)
    ax.axvline(100 * p1, color=PALETTE["azacitidine"], lw=0.8)
    ax.text(100 * p0, 1.02, "null", ha="center", fontsize=8, color=PALETTE["refractory"])
    ax.text(100 * p1, 1.02, "target", ha="center", fontsize=8, color=PALETTE["azacitidine"])
    if observed is not None:
        ax.axvline(100 * observed, color=PALETTE["published"], lw=0.8)
        ax.text(100 * observed, 1.02, "observed", ha="center", fontsize=8,
                color=PALETTE["published"])
    ax.set_xlabel("true CRc rate, per cent")
    ax.set_ylabel(f"probability of rejecting H0 (n = {n})")
    ax.set_ylim(0, 1.08)
    ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize=8)
    fig.subplots_adjust(bottom=0.30)
    return fig
