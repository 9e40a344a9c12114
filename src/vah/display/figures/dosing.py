"""The dosing calendar of one VAH cycle: which drug is given on which day."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from vah.display.figures import PALETTE
from vah.trial.protocol import FIRST_ASSESSMENT_DAY
from vah.trial.regimen import VAH, Regimen

__all__ = [
    "dosing_calendar",
]


def _label(dose) -> str:
    return f"{dose.magnitude:g}"


def dosing_calendar(regimen: Regimen = VAH) -> Figure:
    """Days 1 to ``regimen.calendar_days`` by drug; each given day is a cell with its dose."""
    n_days = regimen.calendar_days
    fig = Figure(figsize=(9.5, 2.6))
    ax = fig.subplots()
    for row, schedule in enumerate(reversed(regimen.drugs)):
        colour = PALETTE.get(schedule.drug, "#555555")
        for day in range(1, n_days + 1):
            dose = schedule.dose_on(day)
            face = colour if dose is not None else "#f2f2f2"
            ax.add_patch(Rectangle((day - 0.45, row - 0.4), 0.9, 0.8, facecolor=face,
                                   edgecolor="white", linewidth=0.5))
            if dose is not None:
                ax.text(day, row, _label(dose), ha="center", va="center", fontsize=6.5,
                        color="white", fontweight="bold")
        unit = f"{schedule.steps[0].dose.units:~P}"
        ax.text(-0.2, row, f"{schedule.drug}\n({unit}, {schedule.route})", ha="right",
                va="center", fontsize=8.5)
    marrow = FIRST_ASSESSMENT_DAY.value
    ax.axvline(marrow, color=PALETTE["grey"], linestyle="--", linewidth=1)
    ax.text(marrow - 0.6, len(regimen.drugs) - 0.45, f"marrow assessment (day {marrow})",
            ha="right", va="bottom", fontsize=7.5, color=PALETTE["grey"])
    ax.set_xlim(0.4, n_days + 0.6)
    ax.set_ylim(-0.6, len(regimen.drugs) + 0.2)
    ax.set_xticks(range(1, n_days + 1))
    ax.tick_params(axis="x", labelsize=7.5)
    ax.set_yticks([])
    ax.spines[["left", "top", "right"]].set_visible(False)
    ax.set_xlabel("day of cycle")
    return fig
