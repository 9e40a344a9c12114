"""A CONSORT-style flow diagram drawn with matplotlib from counts (no layout engine needed)."""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

__all__ = [
    "Box",
    "flow_diagram",
]


@dataclass(frozen=True)
class Box:
    """A box of the diagram: its text, centre (x, y) in axis units (0-1), and arrows to others."""

    key: str
    text: str
    x: float
    y: float
    to: tuple[str, ...] = ()
    width: float = 0.26
    side: bool = False  # a side box (exclusions) is drawn grey


def flow_diagram(boxes: list[Box], height: float = 7.0, width: float = 9.0,
                 fontsize: float = 9.0) -> Figure:
    """Draw ``boxes`` and the arrows between them; returns the figure.

    Boxes are drawn unclipped; keep them (width plus the rounding pad) inside 0-1."""
    box_h = 0.075
    # Crop the unused bands above and below the boxes: the figure keeps the scale of a
    # ``height`` inch tall 0-1 axis but is only as tall as the boxes need.
    bottom = max(0.0, min(b.y for b in boxes) - box_h / 2 - 0.02)
    top = min(1.0, max(b.y for b in boxes) + box_h / 2 + 0.02)
    fig = Figure(figsize=(width, height * (top - bottom)))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(bottom, top)
    by_key = {b.key: b for b in boxes}
    for box in boxes:
        face = "#f2f2f2" if box.side else "#e8f1f8"
        ax.add_patch(FancyBboxPatch((box.x - box.width / 2, box.y - box_h / 2), box.width, box_h,
                                    boxstyle="round,pad=0.006", facecolor=face,
                                    edgecolor="#333333", linewidth=0.8, clip_on=False))
        ax.text(box.x, box.y, box.text, ha="center", va="center", fontsize=fontsize)
    for box in boxes:
        for key in box.to:
            target = by_key[key]
            if target.side:
                start = (box.x, box.y - box_h / 2 - 0.03)
                end = (target.x - target.width / 2, target.y)
                ax.annotate("", xy=end, xytext=(box.x, target.y),
                            arrowprops={"arrowstyle": "-|>", "color": "#333333", "lw": 0.8})
                ax.plot([box.x, box.x], [start[1] + 0.03, target.y], color="#333333", lw=0.8)
                continue
            ax.annotate("", xy=(target.x, target.y + box_h / 2 + 0.004),
                        xytext=(box.x, box.y - box_h / 2 - 0.004),
                        arrowprops={"arrowstyle": "-|>", "color": "#333333", "lw": 0.8,
                                    "shrinkA": 0, "shrinkB": 0})
    return fig
