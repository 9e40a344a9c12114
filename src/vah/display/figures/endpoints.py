"""How each time-to-event endpoint reads the same patient histories (hypothetical patients)."""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.figure import Figure

from vah.display.figures import PALETTE
from vah.trial.endpoints import efs_outcome

__all__ = [
    "endpoint_events",
    "HISTORIES",
    "histories_figure",
    "History",
]


@dataclass(frozen=True)
class History:
    """A hypothetical patient: months from the start of treatment."""

    name: str
    crc: float | None  # time CRc was reached, or None
    relapse: float | None
    death: float | None
    last_seen: float
    assessed: float | None = None  # the response assessment that found no CRc


HISTORIES = (
    History("A: CRc, alive", 1.0, None, None, 20.0),
    History("B: CRc, relapse, death", 2.0, 8.0, 13.0, 13.0),
    History("C: CRc, death in remission", 1.0, None, 6.0, 6.0),
    History("D: no CRc, death", None, None, 4.0, 4.0, assessed=2.0),
)


def _efs(h: History) -> tuple[float, bool]:
    """EFS by the book's one rule (``vah.trial.endpoints.efs_outcome``)."""
    return efs_outcome(h.crc is not None, h.relapse, h.death, h.last_seen, h.assessed)


def endpoint_events(h: History) -> dict[str, str]:
    """What each endpoint records for a history: 'event at t' or 'censored at t' (months); EFS
    follows ``vah.trial.endpoints.efs_outcome`` (an induction failure at its assessment)."""
    def ev(t: float) -> str:
        return f"event at {t:g}"

    def cens(t: float) -> str:
        return f"censored at {t:g}"

    os_ = ev(h.death) if h.death is not None else cens(h.last_seen)
    t_efs, efs_event = _efs(h)
    if h.crc is None:
        efs = ev(t_efs) + " (no CRc)"
        dfs = cir = "not defined (no CRc)"
    else:
        efs = ev(t_efs) if efs_event else cens(t_efs)
        dfs = ev(t_efs - h.crc) if efs_event else cens(t_efs - h.crc)
        if h.relapse is not None:
            cir = ev(h.relapse - h.crc)
        elif h.death is not None:
            cir = f"competing event at {h.death - h.crc:g}"
        else:
            cir = cens(h.last_seen - h.crc)
    return {"OS": os_, "EFS": efs, "DFS": dfs, "Relapse (CIR)": cir}


def histories_figure() -> Figure:
    """Example patient histories on one time axis, with each patient's EFS event (an induction
    failure at the assessment that finds it, ``vah.trial.endpoints``)."""
    fig = Figure(figsize=(7.5, 2.8))
    ax = fig.subplots()
    for i, h in enumerate(HISTORIES):
        ax.plot([0, h.last_seen], [i, i], color=PALETTE["grey"], lw=2)
        if h.crc is not None:
            ax.plot(h.crc, i, "o", color=PALETTE["homoharringtonine"], ms=8,
                    label="CRc" if i == 0 else None)
        if h.assessed is not None:
            ax.plot(h.assessed, i, "o", mfc="white", mec=PALETTE["homoharringtonine"], mew=1.6,
                    ms=8, label="assessed, no CRc")
        if h.relapse is not None:
            ax.plot(h.relapse, i, "^", color=PALETTE["azacitidine"], ms=9, label="relapse")
        if h.death is not None:
            ax.plot(h.death, i, "x", color="black", ms=9, mew=2,
                    label="death" if i == 1 else None)
        else:
            ax.plot(h.last_seen, i, "|", color="black", ms=12, mew=2,
                    label="last seen alive" if i == 0 else None)
        t_efs, efs_event = _efs(h)
        if efs_event:
            ax.plot(t_efs, i - 0.3, "v", color=PALETTE["venetoclax"], ms=7,
                    label="EFS event" if i == 1 else None)
    ax.set_yticks(range(len(HISTORIES)), [h.name for h in HISTORIES])
    ax.invert_yaxis()
    ax.set_xlabel("months from the start of treatment")
    ax.legend(ncols=3, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    return fig
