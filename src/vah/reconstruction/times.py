"""Times for the reconstructed cohort, and the survival analyses run on them.

The categorical skeleton (``vah.reconstruction.skeleton``) fixes who is in CRc, who relapsed,
who died and who
was alive and event-free at 12 months, and so also the few events after 12 months. This module
draws the times: within the first year, time to CRc, relapse and death from simple distributions
*inside the interval the skeleton allows*; after it, each event in a narrow window around the
published median or 24-month rate it determines; then enrolment dates over the accrual window,
given to patients so that each sees their own events before the data cut-off. The seeds are
fixed: ``SURVIVAL_SEED`` and ``LATE_SEED`` are the first whose summaries fall within the stated
tolerances of the published ones (``find_seeds``); ``not_modelled`` lists the published
summaries on a population the reconstruction does not model, with the arithmetic.

Everything here is **reconstructed, not the trial's data**.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from vah.errors import DataError
from vah.paper.disk_cache import kept_on_disk
from vah.reconstruction.skeleton import cohort
from vah.trial.endpoints import efs_outcome
from vah.trial.protocol import DATA_CUTOFF, ENROLMENT_END, ENROLMENT_START

__all__ = [
    "reconstructed",
    "ASSESSMENT_MONTH",
    "AT_RISK_AT_LAST_DEATH",
    "DEATH_AFTER_RELAPSE",
    "draw_times",
    "LATE_DEATHS",
    "late_events",
    "LATE_NRM",
    "LATE_NRM_CRC",
    "LATE_RELAPSE",
    "LATE_SEED",
    "MONTH",
    "NON_CRC_DEATH",
    "NRM_AFTER_CRC",
    "RELAPSE_AFTER_CRC",
    "SEARCH_FROM",
    "SURVIVAL_SEED",
    "Tolerance",
]

MONTH = 365.25 / 12  # days


#: The response assessment that documents an induction failure (months from the start of
#: treatment), by the cycles of trial treatment in the skeleton: after cycle 1 for a patient who
#: had one, otherwise after cycle 2, where the primary endpoint is read.
ASSESSMENT_MONTH = {"one": 1.0, "two": 2.0, "three": 2.0}


#: Median (months) and log-scale spread of the distributions times within a year are drawn from.
#: The medians were set so that the medians of the summaries over many seeds come near the
#: published ones (EFS medians by group, OS median without CRc, median time to relapse).
NON_CRC_DEATH = (3.7, 0.7)  # death without CRc


RELAPSE_AFTER_CRC = {"refractory": (9.0, 0.6), "relapsed_chemo": (11.0, 0.6),
                     "relapsed_hsct": (4.2, 0.6)}  # relapse, from CRc, by group


NRM_AFTER_CRC = {"refractory": (6.0, 0.6), "relapsed_chemo": (8.0, 0.6),
                 "relapsed_hsct": (3.0, 0.6)}  # death in remission, from CRc, by group


DEATH_AFTER_RELAPSE = (3.0, 0.7)  # death, from relapse


#: After a year the skeleton leaves 6 deaths and 2 EFS events
#: (``vah.reconstruction.skeleton.LATE_DEATHS`` and
#: ``LATE_EFS_EVENTS``), and each of them moves a published median or 24-month rate by itself.
#: Each is drawn in a window (months from enrolment) around the number it determines:
LATE_NRM = (14.3, 14.5)  # the death in remission that ends the EFS plateau: EFS median 14.3


LATE_NRM_CRC = (2.5, 2.7)  # its CRc (after cycle 2), so that it falls within a year of CRc


LATE_RELAPSE = (19.0, 22.0)  # refractory EFS: 64.9 % at a year to 54.1 % at two years


LATE_DEATHS = {  # the other deaths after a year, by group, in time order
    "refractory": [(15.0, 19.0)],  # OS 70.3 % at a year to 63.2 %
    "relapsed_chemo": [(21.8, 22.4)],  # the group's median (22.1) and 24-month OS
    "relapsed_hsct": [(12.5, 14.5), (15.1, 15.7), (18.0, 21.5)],  # median 15.4, then 34.3 %
}


#: Patients at risk (the one who dies included) at the last death after a year in the relapsed
#: groups: both 24-month rates are 2/3 of the rate before that death (37.5/56.3; 34.3 % after
#: a median just under 50 %), one death among three.
AT_RISK_AT_LAST_DEATH = {"relapsed_chemo": 3, "relapsed_hsct": 3}


SEARCH_FROM = 1


#: The calibrated seeds, the first seed from SEARCH_FROM for the times within a year whose
#: summaries meet the tolerances that depend on them, then the first seed for enrolment and
#: the times after a year with which every calibrated summary does (``find_seeds()``; pinned
#: by a test).
SURVIVAL_SEED = 20


LATE_SEED = 5


@dataclass(frozen=True)
class Tolerance:
    """A published summary the reconstruction must reproduce, and how closely."""

    key: str
    claim: str  # ledger/claim id of the published number
    published: float
    tolerance: float
    unit: str


def _truncated_lognormal(rng: np.random.Generator, median: float, sigma: float, low: float,
                         high: float) -> float:
    """A draw from a log-normal restricted to (low, high), by inverse CDF."""
    from scipy.special import ndtr, ndtri

    low, high = max(low, 1e-6), max(high, low + 1e-6)
    a = float(ndtr((math.log(low) - math.log(median)) / sigma))
    b = float(ndtr((math.log(high) - math.log(median)) / sigma))
    u = rng.uniform(a, b) if b > a else a
    value = median * math.exp(sigma * float(ndtri(min(max(u, 1e-12), 1 - 1e-12))))
    return min(max(value, low), high)


def _early_times(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """CRc, relapse and death times within the first year (NaN for events after it)."""
    rows = []
    for r in frame.itertuples():
        t_crc = t_rel = t_death = math.nan
        if r.crc:
            t_crc = (1.0 + rng.uniform(-0.1, 0.3) if r.response_cycle1 == "CRc"
                     else 2.0 + rng.uniform(-0.1, 0.5))
        if not r.crc and r.dead and not r.alive_12m:
            t_death = _truncated_lognormal(rng, *NON_CRC_DEATH, 0.3, 12.0)
        elif r.relapse_12m:
            t_rel = t_crc + _truncated_lognormal(rng, *RELAPSE_AFTER_CRC[r.group], 0.3,
                                                 12.0 - t_crc - 0.3)
            if r.dead and not r.alive_12m:
                t_death = t_rel + _truncated_lognormal(rng, *DEATH_AFTER_RELAPSE, 0.1,
                                                       12.0 - t_rel)
        elif r.nrm and not r.alive_12m:
            t_death = t_crc + _truncated_lognormal(rng, *NRM_AFTER_CRC[r.group], 0.3,
                                                   12.0 - t_crc)
        rows.append((t_crc, t_rel, t_death))
    return pd.DataFrame(rows, columns=["crc_time", "relapse_time", "death_time"],
                        index=frame.index)


def _late_times(frame: pd.DataFrame, rng: np.random.Generator) -> None:
    """Fill in the events after a year from their windows (LATE_NRM, LATE_RELAPSE,
    LATE_DEATHS), in place."""
    late_death = frame["dead"] & frame["alive_12m"]
    for i in frame.index[frame["nrm"] & frame["efs_12m"]]:
        frame.loc[i, "crc_time"] = rng.uniform(*LATE_NRM_CRC)
        frame.loc[i, "death_time"] = rng.uniform(*LATE_NRM)
    for i in frame.index[frame["relapse"] & frame["efs_12m"]]:
        frame.loc[i, "relapse_time"] = rng.uniform(*LATE_RELAPSE)
    for group, windows in LATE_DEATHS.items():
        who = frame.index[late_death & ~frame["nrm"] & (frame["group"] == group)]
        if len(who) != len(windows):
            raise DataError(f"{group}: {len(who)} deaths after a year in the skeleton, "
                            f"{len(windows)} windows in LATE_DEATHS")
        for i, (low, high) in zip(rng.permutation(who), windows, strict=True):
            relapse = frame.loc[i, "relapse_time"]
            if relapse > 12:  # NaN compares False; a death after a late relapse follows it
                low = max(low, relapse + 0.5)
            frame.loc[i, "death_time"] = rng.uniform(low, max(high, low))


def _follow_up_bounds(frame: pd.DataFrame, rng: np.random.Generator
                      ) -> tuple[np.ndarray, np.ndarray]:
    """The shortest and longest potential follow-up each patient may have: long enough to see
    their own events, and in the relapsed groups exactly AT_RISK_AT_LAST_DEATH patients still
    followed at the group's last death."""
    last = frame[["relapse_time", "death_time"]].max(axis=1).fillna(0).to_numpy()
    low = np.maximum(last + 0.05, 0.0)
    high = np.full(len(frame), np.inf)
    for group, at_risk in AT_RISK_AT_LAST_DEATH.items():
        in_group = (frame["group"] == group).to_numpy()
        late = in_group & (frame["dead"] & frame["alive_12m"]).to_numpy()
        t_last = frame["death_time"].to_numpy()[late].max()
        dies_last = late & (frame["death_time"].to_numpy() == t_last)
        alive_then = in_group & frame["alive_12m"].to_numpy() & ~(
            frame["death_time"].to_numpy() < t_last) & ~dies_last
        others = rng.permutation(np.flatnonzero(alive_then))
        low[others[: at_risk - 1]] = np.maximum(low[others[: at_risk - 1]], t_last + 0.05)
        high[others[at_risk - 1:]] = t_last - 0.05
    return low, high


def _enrol(frame: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Enrolment offsets (days) over the accrual window, each within the patient's follow-up
    bounds; the most constrained patients choose first, at random among the slots left."""
    n = len(frame)
    window = (ENROLMENT_END.value - ENROLMENT_START.value).days
    offsets = np.sort(rng.uniform(0, window, n))
    offsets[0], offsets[-1] = 0, window  # first and last enrolment on the published dates
    followup = np.array([(DATA_CUTOFF.value - ENROLMENT_START.value).days - d
                         for d in offsets]) / MONTH
    low, high = _follow_up_bounds(frame, rng)
    free = np.ones(n, bool)
    slots = np.empty(n)
    room = [int(((followup >= low[i]) & (followup <= high[i])).sum()) for i in range(n)]
    order = sorted(range(n), key=lambda i: (room[i], rng.uniform()))
    for i in order:
        fits = np.flatnonzero(free & (followup >= low[i]) & (followup <= high[i]))
        if not fits.size:
            raise DataError(f"no enrolment date leaves patient {i + 1} the follow-up needed")
        j = rng.choice(fits)
        free[j] = False
        slots[i] = offsets[j]
    return slots


def draw_times(seed: int, late_seed: int | None = None) -> pd.DataFrame:
    """The skeleton with enrolment, follow-up and event times (months). ``seed`` draws the
    times within the first year, ``late_seed`` (default: the same) enrolment and the events
    after a year."""
    frame = cohort()
    frame = pd.concat([frame, _early_times(frame, np.random.default_rng(seed))], axis=1)
    rng = np.random.default_rng([seed if late_seed is None else late_seed, 1])
    _late_times(frame, rng)
    slots = _enrol(frame, rng)
    enrol = [ENROLMENT_START.value + pd.Timedelta(days=int(round(d))) for d in slots]
    frame["enrolment"] = enrol
    frame["followup"] = [(DATA_CUTOFF.value - e).days / MONTH for e in enrol]
    frame["os_time"] = frame["death_time"].fillna(frame["followup"])
    frame["os_event"] = frame["death_time"].notna()
    # EFS by the book's one rule (vah.trial.endpoints.efs_outcome): failure to reach CRc is an
    # event at the response assessment that documents it (ASSESSMENT_MONTH), or at death if sooner
    efs = [efs_outcome(bool(r.crc), r.relapse_time, r.death_time, r.followup,
                       assessed=ASSESSMENT_MONTH[r.cycles]) for r in frame.itertuples()]
    frame["efs_time"] = [t for t, _ in efs]
    frame["efs_event"] = np.array([e for _, e in efs], bool)
    # From CRc: DFS (relapse or death) and the competing-risks outcome for relapse
    frame["dfs_time"] = np.where(frame["crc"], frame["efs_time"] - frame["crc_time"], np.nan)
    frame["dfs_event"] = np.where(frame["crc"], frame["efs_event"], False)
    frame["cir_event"] = np.select(
        [frame["crc"] & frame["relapse_time"].notna(), frame["crc"] & frame["death_time"].notna()],
        [1, 2], 0)
    return frame


def reconstructed() -> pd.DataFrame:
    """The reconstructed cohort with times, at the calibrated seeds (a copy: callers may
    change it)."""
    return _reconstructed().copy()


@kept_on_disk
def _reconstructed() -> pd.DataFrame:
    return draw_times(SURVIVAL_SEED, LATE_SEED)


def late_events(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The events after a year, in time order: group, kind, month, and how many patients of the
    group (and of the cohort) were still at risk for that endpoint."""
    frame = reconstructed() if frame is None else frame
    rows = []
    for r in frame.itertuples():
        if r.efs_12m and r.efs_event and r.efs_time > 12:
            kind = "death in remission" if r.nrm else "relapse"
            rows.append((r.group, kind, "EFS", r.efs_time))
        if r.alive_12m and r.os_event:
            rows.append((r.group, "death", "OS", r.os_time))
    out = pd.DataFrame(rows, columns=["group", "event", "endpoint", "month"])
    at_risk_group, at_risk_all = [], []
    for e in out.itertuples():
        time = frame[f"{e.endpoint.lower()}_time"]
        at_risk_all.append(int((time >= e.month).sum()))
        at_risk_group.append(int(((time >= e.month) & (frame["group"] == e.group)).sum()))
    out["at_risk_group"], out["at_risk_all"] = at_risk_group, at_risk_all
    return out.sort_values(["month", "endpoint"]).reset_index(drop=True)
