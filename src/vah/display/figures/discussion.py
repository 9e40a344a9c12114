"""VAH's CRc beside the response rates of the regimens the paper cites (cross-trial)."""

from __future__ import annotations

import textwrap

from matplotlib.figure import Figure

from vah.display.figures import PALETTE
from vah.display.subgroups import overall_crc
from vah.stats import binomial
from vah.trial.comparators import COMPARATORS

__all__ = [
    "comparator_plot",
    "FAMILY_COLOURS",
]

FAMILY_COLOURS = {
    "venetoclax doublet": PALETTE["venetoclax"],
    "venetoclax, any": PALETTE["grey"],
    "venetoclax + intensive chemotherapy": PALETTE["refractory"],
    "homoharringtonine-based": PALETTE["homoharringtonine"],
    "FLT3 combination": PALETTE["azacitidine"],
}


def comparator_plot() -> Figure:
    """Ranges and single values cited by the paper, with VAH's CRc and its 95 % CI on top."""
    k, n = overall_crc()
    lo, hi = binomial.proportion_ci(k, n, "clopper_pearson")
    fig = Figure(figsize=(6.85, 4.8), layout="constrained")
    ax = fig.subplots()
    ax.axvspan(100 * lo, 100 * hi, color=PALETTE["published"], alpha=0.15)
    ax.plot([100 * k / n], [0], "D", color=PALETTE["published"], ms=7)
    ax.plot([100 * lo, 100 * hi], [0, 0], color=PALETTE["published"], lw=2)
    labels = [f"VAH, this trial\nCRc {k}/{n}"]
    for i, c in enumerate(COMPARATORS, start=1):
        colour = FAMILY_COLOURS.get(c.family, PALETTE["grey"])
        if c.is_range:
            ax.plot([c.low, c.high], [i, i], color=colour, lw=5, alpha=0.6, solid_capstyle="butt")
        else:
            ax.plot([c.low], [i], "o", color=colour, ms=7)
        size = f", n = {c.n}" if c.n else ""
        labels.append(f"{textwrap.fill(c.regimen, 42)}\n{c.endpoint}{size} [{c.refs}]")
    ax.set_yticks(range(len(labels)), labels, fontsize=8.5)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("response rate, per cent\n(ranges are the spans the paper cites)")
    return fig
