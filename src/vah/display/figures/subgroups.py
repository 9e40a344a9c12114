"""Forest plot of subgroup CRc rates with their confidence intervals."""

from __future__ import annotations

from matplotlib.figure import Figure

from vah.display.figures import PALETTE
from vah.display.subgroups import overall_crc, subgroup_frame

__all__ = [
    "forest",
]


def forest(method: str = "clopper_pearson") -> Figure:
    """CRc by subgroup (point and 95 % CI), n/N at the right, the overall rate as a line."""
    frame = subgroup_frame(method)
    k, n = overall_crc()
    fig = Figure(figsize=(7.5, 4.6))
    ax = fig.subplots()
    labels, y, ypos = [], 0, []
    previous = None
    for row in frame.itertuples():
        if row.family != previous:
            labels.append((y, row.family, True))
            y += 1
            previous = row.family
        ypos.append(y)
        labels.append((y, row.label, False))
        ax.plot([row.low, row.high], [y, y], color=PALETTE["venetoclax"], lw=1.8)
        ax.plot([row.rate], [y], "s", color=PALETTE["venetoclax"], ms=4 + row.n / 8)
        ax.text(103, y, f"{row.k}/{row.n}", va="center", fontsize=8.5)
        y += 1
    ax.axvline(100 * k / n, color=PALETTE["published"], lw=1, ls="--")
    ax.text(100 * k / n, -0.9, f"all patients {k}/{n}", ha="center", fontsize=8.5,
            color=PALETTE["published"], bbox={"facecolor": "white", "edgecolor": "none",
                                               "pad": 1.5})
    ax.set_yticks([p for p, _, _ in labels], [t for _, t, _ in labels])
    for tick, (_, _, bold) in zip(ax.get_yticklabels(), labels, strict=True):
        tick.set_fontweight("bold" if bold else "normal")
    ax.set_ylim(y, -1.5)
    ax.set_xlim(0, 112)
    ax.set_xticks(range(0, 101, 20))
    ax.set_xlabel("CRc, per cent, with 95 % CI (Clopper-Pearson); n/N at the right")
    return fig
