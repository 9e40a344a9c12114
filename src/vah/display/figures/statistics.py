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
                observed: float | None = None) -> Figure:
    """Power of the exact and the normal-approximation test against the true rate."""
    grid = np.round(np.arange(0.30, 0.851, 0.01), 2)
    exact = [design.power_one_proportion(n, p0, float(p), alpha, "exact") for p in grid]
    normal = [design.power_one_proportion(n, p0, float(p), alpha, "normal_null_var")
              if p != p0 else alpha for p in grid]
    fig = Figure(figsize=(7.0, 3.6))
    ax = fig.subplots()
    ax.plot(100 * grid, exact, color=PALETTE["venetoclax"], lw=2, label="exact binomial test")
    ax.plot(100 * grid, normal, color=PALETTE["grey"], lw=1.2, ls="--",
            label="normal approximation")
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
    ax.legend(frameon=False, loc="center right")
    return fig
