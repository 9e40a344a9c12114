"""Adverse events by grade (Table 3) as stacked horizontal bars."""

from __future__ import annotations

from matplotlib.figure import Figure

from vah import paper as pub
from vah.display.report import grade_counts

__all__ = [
    "adverse_events_by_grade",
    "GRADE_COLOURS",
]

GRADE_COLOURS = {"1-2": "#9ecae1", "3": "#F0A030", "4": "#D55E00", "5": "#000000"}


def adverse_events_by_grade() -> Figure:
    """Per cent of the treated patients with each event, split by CTCAE grade."""
    counts = grade_counts()
    n = pub.group_n("all")
    fig = Figure(figsize=(7.5, 6.8))
    ax = fig.subplots()
    events = list(counts.index)
    for i, event in enumerate(events):
        left = 0.0
        for grade, colour in GRADE_COLOURS.items():
            width = 100 * counts.loc[event, grade] / n
            ax.barh(i, width, left=left, color=colour, edgecolor="white", linewidth=0.5,
                    label=f"grade {grade}" if i == 0 else None)
            left += width
    ax.set_yticks(range(len(events)), events, fontsize=8.5)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(f"per cent of the {n} treated patients")
    ax.legend(ncols=4, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    return fig
