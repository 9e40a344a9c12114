"""Kaplan-Meier and Aalen-Johansen estimates, small and exact (numpy only).

Used by the reconstruction's calibration, where lifelines would be slow.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "cumulative_incidence_at",
    "km",
    "km_at",
    "km_median",
]


# ------------------------------------------------------------------ fast estimators
def km(time: np.ndarray, event: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Kaplan-Meier: distinct event times and the survival just after each."""
    time, event = np.asarray(time, float), np.asarray(event, bool)
    times = np.unique(time[event])
    at_risk = np.array([(time >= t).sum() for t in times])
    deaths = np.array([((time == t) & event).sum() for t in times])
    return times, np.cumprod(1 - deaths / at_risk)


def km_at(time, event, t: float) -> float:
    """The Kaplan-Meier estimate of survival at time ``t``."""
    times, surv = km(time, event)
    before = surv[times <= t]
    return float(before[-1]) if before.size else 1.0


def km_median(time, event) -> float:
    """Smallest time with survival <= 0.5; NaN when not reached."""
    times, surv = km(time, event)
    hit = times[surv <= 0.5 + 1e-12]
    return float(hit[0]) if hit.size else math.nan


def cumulative_incidence_at(time, cause, t: float, of: int = 1) -> float:
    """Aalen-Johansen cumulative incidence of cause ``of`` by ``t`` (0 = censored)."""
    time, cause = np.asarray(time, float), np.asarray(cause, int)
    surv, cif = 1.0, 0.0
    for u in np.unique(time[(cause > 0) & (time <= t)]):
        at_risk = (time >= u).sum()
        d_all = ((time == u) & (cause > 0)).sum()
        d_of = ((time == u) & (cause == of)).sum()
        cif += surv * d_of / at_risk
        surv *= 1 - d_all / at_risk
    return cif
