"""The dosing calendar of one VAH cycle: which drug is given on which day."""

from __future__ import annotations

from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from vah.display.figures import PALETTE
from vah.trial.protocol import FIRST_ASSESSMENT_DAY
from vah.trial.regimen import VAH, Regimen

__all__ = [
    "dosing_calendar",
]

#: Width, in day columns, of the block that stands for the days on which no drug is given.
REST_WIDTH = 2.4


def _label(dose) -> str:
    return f"{dose.magnitude:g}"


def _ink(face: str) -> str:
    """Black or white, whichever contrasts more with ``face`` (WCAG relative luminance)."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in to_rgb(face))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "black" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "white"


def dosing_calendar(regimen: Regimen = VAH) -> Figure:
    """Days 1 to ``regimen.calendar_days`` by drug; each given day is a cell with its dose.

    Every day up to the last one on which a drug is given has a column of its own; the days
    after it on which no drug is given (up to the last day of the calendar, drawn on its own)
    share one block, so that the cells are wide enough for their dose labels."""
    n_days = regimen.calendar_days
    last_given = max(schedule.last_day for schedule in regimen.drugs)
    rest = range(last_given + 1, n_days)  # the days drawn as one block
    compress = len(rest) > REST_WIDTH

    def x_of(day: int) -> float:
        return day if not compress or day <= last_given else day - len(rest) + REST_WIDTH

    drawn = [day for day in range(1, n_days + 1) if not (compress and day in rest)]
    n_rows = len(regimen.drugs)
    fig = Figure(figsize=(6.9, 3.0))
    ax = fig.subplots()
    fig.subplots_adjust(left=0.01, right=0.99, top=0.97, bottom=0.17)
    step = 1.5  # rows are this far apart: a cell (0.8) and the drug's label above it
    for row, schedule in enumerate(reversed(regimen.drugs)):
        y = row * step
        colour = PALETTE.get(schedule.drug, "#555555")
        for day in drawn:
            dose = schedule.dose_on(day)
            face = colour if dose is not None else "#f2f2f2"
            ax.add_patch(Rectangle((x_of(day) - 0.45, y - 0.4), 0.9, 0.8, facecolor=face,
                                   edgecolor="white", linewidth=0.5))
            if dose is not None:
                ax.text(x_of(day), y, _label(dose), ha="center", va="center", fontsize=9,
                        color=_ink(face))
        unit = f"{schedule.steps[0].dose.units:~P}"
        ax.text(0.55, y + 0.5, f"{schedule.drug} ({unit}, {schedule.route})", ha="left",
                va="bottom", fontsize=9)
    if compress:
        left = last_given + 0.55
        ax.add_patch(Rectangle((left, -0.4), REST_WIDTH - 0.1, (n_rows - 1) * step + 0.8,
                               facecolor="#f2f2f2", edgecolor="white", linewidth=0.5))
        ax.text(left + (REST_WIDTH - 0.1) / 2, (n_rows - 1) * step / 2,
                "no drug\ngiven", ha="center", va="center",
                fontsize=8.5, color=PALETTE["grey"], linespacing=1.3)
    marrow = FIRST_ASSESSMENT_DAY.value
    ax.axvline(x_of(marrow), color=PALETTE["grey"], linestyle="--", linewidth=1)
    ax.text(x_of(marrow) - 0.6, (n_rows - 1) * step + 0.5, f"marrow assessment (day {marrow})",
            ha="right", va="bottom", fontsize=8.5, color=PALETTE["grey"])
    ax.set_xlim(0.4, x_of(n_days) + 0.6)
    ax.set_ylim(-0.6, (n_rows - 1) * step + 1.0)
    ticks = [x_of(day) for day in drawn]
    labels = [str(day) for day in drawn]
    if compress:
        ticks.append(last_given + 0.5 + REST_WIDTH / 2)
        labels.append(f"{rest[0]}–{rest[-1]}")
    ax.set_xticks(ticks, labels)
    ax.tick_params(axis="x", labelsize=8.5)
    ax.set_yticks([])
    ax.spines[["left", "top", "right"]].set_visible(False)
    ax.set_xlabel("day of cycle")
    return fig
