"""Efficacy figures: response composition by group, and published vs recomputed intervals."""

from __future__ import annotations

from matplotlib.figure import Figure

from vah import paper as pub
from vah.display.figures import PALETTE
from vah.display.report import rate_intervals

__all__ = [
    "interval_comparison",
    "response_bars",
    "RESPONSE_COLOURS",
]

RESPONSE_COLOURS = {"CR": "#0072B2", "CRi": "#56B4E9", "PR": "#E69F00", "NR": "#BBBBBB"}


def response_bars() -> Figure:
    """Stacked bars: CR, CRi, PR and NR as per cent of each group, with n printed in each part."""
    t2 = pub.table2()
    fig = Figure(figsize=(6.85, 3.3), layout="constrained")
    ax = fig.subplots()
    groups = list(pub.GROUPS)
    for i, g in enumerate(groups):
        left = 0.0
        n = pub.group_n(g)
        for response, colour in RESPONSE_COLOURS.items():
            k = int(t2[(t2["row"] == response) & (t2["group"] == g)]["n"].iloc[0])
            width = 100 * k / n
            ax.barh(i, width, left=left, color=colour, edgecolor="white",
                    label=response if i == 0 else None)
            if width >= 6:
                ax.text(left + width / 2, i, str(k), ha="center", va="center", fontsize=9,
                        color="white" if response == "CR" else "black")
            left += width
    ax.set_yticks(range(len(groups)),
                  [f"{pub.GROUP_LABELS[g]}\n(n = {pub.group_n(g)})" for g in groups])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("per cent of patients (numbers in the bars are patients)")
    ax.legend(ncols=4, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    return fig


def interval_comparison(row: str = "CRc") -> Figure:
    """The printed 95 % CI beside the paper's method recomputed and the Clopper-Pearson and Wilson
    intervals, by group."""
    frame = rate_intervals(row)
    fig = Figure(figsize=(7.5, 3.2))
    ax = fig.subplots()
    styles = [("paper", "printed", PALETTE["published"]),
              ("paper_method", "Stata logit, recomputed", PALETTE["venetoclax"]),
              ("clopper_pearson", "Clopper-Pearson exact", PALETTE["grey"])]
    for i, r in enumerate(frame.itertuples()):
        for j, (key, label, colour) in enumerate(styles):
            y = i + (j - 1) * 0.22
            lo, hi = getattr(r, f"{key}_low"), getattr(r, f"{key}_high")
            ax.plot([lo, hi], [y, y], color=colour, lw=2.2, label=label if i == 0 else None)
            ax.plot([r.estimate], [y], "o", color=colour, ms=4)
    ax.set_yticks(range(len(frame)), [f"{pub.GROUP_LABELS[g]}\n{k}/{n}" for g, k, n in
                                      zip(frame["group"], frame["k"], frame["n"], strict=True)])
    ax.invert_yaxis()
    ax.set_xlabel(f"{row} rate, per cent, with 95 % confidence interval")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, frameon=False)
    return fig
