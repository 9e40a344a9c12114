"""Times for the reconstructed cohort, and the survival analyses run on them.

The categorical skeleton (``vah.cohort``) fixes who is in CRc, who relapsed, who died and who
was alive and event-free at 12 months, and so also the few events after 12 months. This module
draws the times: within the first year, time to CRc, relapse and death from simple distributions
*inside the interval the skeleton allows*; after it, each event in a narrow window around the
published median or 24-month rate it determines; then enrolment dates over the accrual window,
given to patients so that each sees their own events before the data cut-off. The seeds are
fixed: ``SURVIVAL_SEED`` and ``LATE_SEED`` are the first whose summaries fall within the stated
tolerances of the published ones (``find_seeds``); ``contradictions`` lists the published
summaries no cohort can meet, with the arithmetic that shows it.

Everything here is **reconstructed, not the trial's data**.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from vah import published as pub
from vah.cohort import cohort, relapse_counts
from vah.errors import DataError
from vah.protocol import DATA_CUTOFF, ENROLMENT_END, ENROLMENT_START

MONTH = 365.25 / 12  # days
#: Median (months) and log-scale spread of the distributions times within a year are drawn from.
#: The medians were set so that the medians of the summaries over many seeds come near the
#: published ones (EFS medians by group, OS median without CRc, median time to relapse).
NON_CRC_DEATH = (3.7, 0.7)  # death without CRc
RELAPSE_AFTER_CRC = {"refractory": (9.0, 0.6), "relapsed_chemo": (11.0, 0.6),
                     "relapsed_hsct": (4.2, 0.6)}  # relapse, from CRc, by group
NRM_AFTER_CRC = {"refractory": (6.0, 0.6), "relapsed_chemo": (8.0, 0.6),
                 "relapsed_hsct": (3.0, 0.6)}  # death in remission, from CRc, by group
DEATH_AFTER_RELAPSE = (3.0, 0.7)  # death, from relapse
#: After a year the skeleton leaves 6 deaths and 2 EFS events (``vah.cohort.LATE_DEATHS`` and
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
#: The calibrated seeds: the first seed from SEARCH_FROM for the times within a year whose
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
    # EFS: failure to reach CRc is an event at the response assessment (or death before it)
    assess = np.where(frame["cycles"] == "one", 1.0, 2.0)
    first = frame[["relapse_time", "death_time"]].min(axis=1)
    frame["efs_time"] = np.where(frame["crc"], first.fillna(frame["followup"]),
                                 np.minimum(assess, frame["death_time"].fillna(np.inf)))
    frame["efs_event"] = np.where(frame["crc"], first.notna(), True)
    # From CRc: DFS (relapse or death) and the competing-risks outcome for relapse
    frame["dfs_time"] = np.where(frame["crc"], frame["efs_time"] - frame["crc_time"], np.nan)
    frame["dfs_event"] = np.where(frame["crc"], frame["efs_event"], False)
    frame["cir_event"] = np.select(
        [frame["crc"] & frame["relapse_time"].notna(), frame["crc"] & frame["death_time"].notna()],
        [1, 2], 0)
    return frame


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


# ------------------------------------------------------------------ fast estimators
def km(time: np.ndarray, event: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Kaplan-Meier: distinct event times and the survival just after each."""
    time, event = np.asarray(time, float), np.asarray(event, bool)
    times = np.unique(time[event])
    at_risk = np.array([(time >= t).sum() for t in times])
    deaths = np.array([((time == t) & event).sum() for t in times])
    return times, np.cumprod(1 - deaths / at_risk)


def km_at(time, event, t: float) -> float:
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


def summaries(frame: pd.DataFrame) -> dict[str, float]:
    """The published survival summaries, computed on a reconstructed cohort."""
    out: dict[str, float] = {}
    groups = {"all": frame} | {g: frame[frame["group"] == g] for g in pub.DISEASE_GROUPS}
    for name, sub in groups.items():
        for ep in ("os", "efs"):
            t, e = sub[f"{ep}_time"], sub[f"{ep}_event"]
            out[f"{ep}_median.{name}"] = km_median(t, e)
            out[f"{ep}_12m.{name}"] = 100 * km_at(t, e, 12.0)
            out[f"{ep}_24m.{name}"] = 100 * km_at(t, e, 24.0)
    crc = frame[frame["crc"]]
    out["dfs_12m.all"] = 100 * km_at(crc["dfs_time"], crc["dfs_event"], 12.0)
    out["cir_12m.all"] = 100 * cumulative_incidence_at(crc["dfs_time"], crc["cir_event"], 12.0)
    non = frame[~frame["crc"]]
    out["os_median.non_crc"] = km_median(non["os_time"], non["os_event"])
    rel = crc[crc["relapse_time"].notna()]
    out["relapse_median_time"] = float(np.median(rel["relapse_time"] - rel["crc_time"]))
    out["os_median.crc"] = km_median(crc["os_time"], crc["os_event"])
    out["followup_median.crude"] = float(np.median(frame["os_time"]))
    subgroups = {"crc_hsct": crc["allo_hsct"], "crc_no_hsct": ~crc["allo_hsct"],
                 "flt3_pos": crc["mut_FLT3"], "flt3_neg": ~crc["mut_FLT3"]}
    for label, rows in subgroups.items():
        sub = crc[rows]
        out[f"dfs_12m.{label}"] = 100 * km_at(sub["dfs_time"], sub["dfs_event"], 12.0)
        out[f"cir_12m.{label}"] = 100 * cumulative_incidence_at(
            sub["dfs_time"], sub["cir_event"], 12.0)
    return out


def smallest_fraction(printed: float, places: int = 1) -> tuple[int, int]:
    """The fraction k/n with the smallest n that prints as ``printed`` per cent."""
    for n in range(1, 1000):
        k = round(printed / 100 * n)
        if round(100 * k / n, places) == round(printed, places):
            return k, n
    raise DataError(f"no fraction prints as {printed}")


def _pct(k: int, n: int) -> str:
    return f"{100 * k / n:.1f} %"


@cache
def contradictions() -> dict[str, str]:
    """Published summaries no cohort can reproduce together with the others, and why (the
    reasons are computed from the published numbers)."""
    def printed(cid: str) -> float:
        return float(pub.claim(cid)["printed"])

    def k(cid: str) -> int:
        return int(pub.claim(cid)["k"])

    n_crc = int(pub.table2().set_index(["row", "group"])["n"][("CRc", "all")])
    n_hsct = k("results.efficacy.crc_to_hsct")
    dfs_hsct, dfs_rest = (printed("results.survival.crc_dfs_12m_hsct"),
                          printed("results.survival.crc_dfs_12m_nohsct"))
    free_hsct, free_rest = round(dfs_hsct / 100 * n_hsct), round(dfs_rest / 100 * (n_crc - n_hsct))
    events = n_crc - free_hsct - free_rest
    flt3 = pub.claim("discussion.flt3_crc")
    n_flt3, cir_flt3 = int(flt3["k"]), printed("results.survival.cir_12m_flt3_pos")
    used = dict((name, count) for name, _, count in relapse_counts())["flt3"]
    low = math.floor(cir_flt3 / 100 * n_flt3)
    k_cir, n_cir = smallest_fraction(cir_flt3)
    k_dfs, n_dfs = smallest_fraction(printed("results.survival.dfs_12m_flt3_pos"))
    return {
        "dfs_12m.crc_hsct": (
            f"Contradicts the overall 1-year DFS: {dfs_hsct:g} % (transplanted) and {dfs_rest:g} % "
            f"(not transplanted) are the exact fractions {free_hsct}/{n_hsct} and "
            f"{free_rest}/{n_crc - n_hsct}, {events} events within a year of CRc with nobody "
            f"censored before them, which gives {free_hsct + free_rest}/{n_crc} = "
            f"{_pct(free_hsct + free_rest, n_crc)} overall, not "
            f"{printed('results.survival.dfs_12m'):g} % (which needs one event more). The "
            "reconstruction keeps the overall value; its extra event, the death in remission "
            "after a year, is in a transplanted patient."),
        "cir_12m.flt3_pos": (
            f"Cannot be met by any cohort: {n_flt3} FLT3-mutated patients reached CRc "
            f"(Discussion: {flt3['printed']} % of {flt3['n']}), nobody in CRc is censored within "
            f"a year of it, so the 1-year incidence is a fraction of {n_flt3}: "
            f"{_pct(low, n_flt3)} ({low} relapses) or {_pct(low + 1, n_flt3)} ({low + 1}); the "
            f"reconstruction uses the nearest, {used}. The published {cir_flt3:g} % is "
            f"{k_cir}/{n_cir}, as if {n_cir} patients had been in CRc; the DFS beside it is "
            f"{k_dfs}/{n_dfs}."),
    }


#: Summaries that depend only on the times within the first year (the first search stage).
EARLY_KEYS = ("efs_median.relapsed_chemo", "efs_median.relapsed_hsct", "os_median.non_crc",
              "relapse_median_time", "cir_12m.all")
MEDIAN_TOLERANCE = 0.5  # months, where the median is reached
RATE_TOLERANCE = 2.0  # percentage points


def tolerances() -> list[Tolerance]:
    """Every published survival summary and the tolerance the reconstructed value must meet:
    Table 2 by disease group, and the Results text."""
    out = []
    for r in pub.table2_survival().itertuples():
        median = r.statistic == "median"
        out.append(Tolerance(f"{r.endpoint.lower()}_{r.statistic}.{r.group}",
                             f"table2.{r.endpoint}_{r.statistic}.{r.group}", float(r.estimate),
                             MEDIAN_TOLERANCE if median else RATE_TOLERANCE,
                             "months" if median else "%"))
    for key, cid, unit in (
            ("os_median.non_crc", "results.survival.os_median_noncrc", "months"),
            ("relapse_median_time", "results.survival.relapse_time", "months"),
            ("cir_12m.all", "results.survival.cir_12m", "%"),
            ("dfs_12m.all", "results.survival.dfs_12m", "%"),
            ("os_median.crc", "results.survival.os_median_crc", "months"),
            ("followup_median.crude", "results.survival.followup", "months"),
            ("dfs_12m.crc_hsct", "results.survival.crc_dfs_12m_hsct", "%"),
            ("dfs_12m.crc_no_hsct", "results.survival.crc_dfs_12m_nohsct", "%"),
            ("cir_12m.crc_hsct", "results.survival.cir_12m_hsct", "%"),
            ("cir_12m.crc_no_hsct", "results.survival.cir_12m_nohsct", "%"),
            ("dfs_12m.flt3_pos", "results.survival.dfs_12m_flt3_pos", "%"),
            ("dfs_12m.flt3_neg", "results.survival.dfs_12m_flt3_neg", "%"),
            ("cir_12m.flt3_pos", "results.survival.cir_12m_flt3_pos", "%"),
            ("cir_12m.flt3_neg", "results.survival.cir_12m_flt3_neg", "%")):
        printed = pub.claim(cid)["printed"]
        out.append(Tolerance(key, cid, math.nan if printed == "NR" else float(printed),
                             MEDIAN_TOLERANCE if unit == "months" else RATE_TOLERANCE, unit))
    return out


_STATISTICS = {"os_median": "OS, median", "efs_median": "EFS, median",
               "os_12m": "OS at 12 months", "os_24m": "OS at 24 months",
               "efs_12m": "EFS at 12 months", "efs_24m": "EFS at 24 months",
               "dfs_12m": "DFS at 12 months", "cir_12m": "Incidence of relapse at 12 months",
               "followup_median": "Follow-up, median", "relapse_median_time":
               "Time from CRc to relapse, median"}
_SUBGROUPS = {"non_crc": "without CRc", "crc": "in CRc", "crude": "crude",
              "crc_hsct": "CRc, transplanted", "crc_no_hsct": "CRc, not transplanted",
              "flt3_pos": "CRc, FLT3-mutated", "flt3_neg": "CRc, FLT3 not mutated"}


def describe(key: str) -> str:
    """A reader's name for a summary key, e.g. 'OS, median (Relapsed after allo-HSCT)'."""
    statistic, _, group = key.partition(".")
    name = _STATISTICS[statistic]
    if not group:
        return name
    return f"{name} ({_SUBGROUPS.get(group) or pub.GROUP_LABELS[group]})"


def meets(value: float, check: Tolerance) -> bool:
    """Within tolerance; a median not reached matches only a median not reached."""
    if math.isnan(check.published) or math.isnan(value):
        return math.isnan(check.published) and math.isnan(value)
    return abs(value - check.published) <= check.tolerance + 1e-9


def calibrated_checks(keys: tuple[str, ...] | None = None) -> list[Tolerance]:
    """The tolerances the seeds are searched for: all but the ``contradictions()``."""
    return [c for c in tolerances() if c.key not in contradictions()
            and (keys is None or c.key in keys)]


def within(values: dict[str, float], checks: list[Tolerance]) -> bool:
    return all(meets(values[c.key], c) for c in checks)


def find_seeds(start: int = SEARCH_FROM, limit: int = 5000) -> tuple[int, int]:
    """The calibrated seeds: the first seed from ``start`` whose first-year summaries meet
    their tolerances (EARLY_KEYS), then the first late seed from ``start`` with which every
    calibrated summary does."""
    early = calibrated_checks(EARLY_KEYS)
    seed = next((s for s in range(start, start + limit)
                 if within(summaries(draw_times(s)), early)), None)
    if seed is None:
        raise DataError(f"no seed from {start} to {start + limit - 1} meets the tolerances")
    checks = calibrated_checks()
    late = next((s for s in range(start, start + limit)
                 if within(summaries(draw_times(seed, s)), checks)), None)
    if late is None:
        raise DataError(f"no late seed for seed {seed} meets the tolerances")
    return seed, late


@cache
def reconstructed() -> pd.DataFrame:
    """The reconstructed cohort with times, at the calibrated seeds."""
    return draw_times(SURVIVAL_SEED, LATE_SEED)


# ------------------------------------------------------------------ ages
def assign_ages(frame: pd.DataFrame, seed: int = SURVIVAL_SEED) -> pd.Series:
    """Ages matching each group's published median and IQR (Table 1), within the protocol's
    18-65 years: quantiles interpolated through (min, Q1, median, Q3, max), shuffled."""
    from vah.protocol import AGE_RANGE_YEARS

    lo, hi = AGE_RANGE_YEARS.value
    age = pub.table1_age().set_index("group")
    rng = np.random.default_rng(seed)
    out = pd.Series(index=frame.index, dtype=float)
    for g in pub.DISEASE_GROUPS:
        idx = frame.index[frame["group"] == g]
        q = np.linspace(0, 1, len(idx) + 2)[1:-1]
        knots = [0, 0.25, 0.5, 0.75, 1]
        values = [lo, age.loc[g, "q1"], age.loc[g, "median"], age.loc[g, "q3"], hi]
        out[idx] = rng.permutation(np.round(np.interp(q, knots, values)))
    return out


@cache
def analysis_frame() -> pd.DataFrame:
    """The calibrated reconstruction with ages and model covariates."""
    frame = reconstructed().copy()
    frame["age"] = assign_ages(frame)
    frame["male"] = (frame["sex"] == "male").astype(int)
    frame["relapsed_chemo"] = (frame["group"] == "relapsed_chemo").astype(int)
    frame["relapsed_hsct"] = (frame["group"] == "relapsed_hsct").astype(int)
    frame["eln_adverse"] = (frame["eln"] == "adverse").astype(int)
    frame["mrd_neg"] = frame["mrd_negative"].astype(int)
    frame["hsct"] = frame["allo_hsct"].astype(int)
    return frame


# ------------------------------------------------------------------ lifelines analyses
def km_fit(time, event, label: str = ""):
    """A lifelines Kaplan-Meier fit (its CIs use the log(-log) transform)."""
    from lifelines import KaplanMeierFitter

    return KaplanMeierFitter(label=label).fit(np.asarray(time, float),
                                              np.asarray(event, bool))


def median_with_ci(time, event) -> tuple[float, float, float]:
    """Kaplan-Meier median with its 95 % CI (lifelines: the times where the log(-log) bands of
    the survival function cross 0.5; infinite means not reached), as (median, low, high)."""
    from lifelines.utils import median_survival_times

    fit = km_fit(time, event)
    low, high = median_survival_times(fit.confidence_interval_).to_numpy().ravel()
    return float(fit.median_survival_time_), float(low), float(high)


def median_table(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """OS and EFS medians with 95 % CIs, overall and by disease group, beside Table 2's."""
    frame = reconstructed() if frame is None else frame
    printed = pub.table2_survival().set_index(["endpoint", "statistic", "group"])["printed"]
    rows = []
    for endpoint in ("OS", "EFS"):
        for group in ("all", *pub.DISEASE_GROUPS):
            sub = frame if group == "all" else frame[frame["group"] == group]
            median, low, high = median_with_ci(sub[f"{endpoint.lower()}_time"],
                                               sub[f"{endpoint.lower()}_event"])
            rows.append({"endpoint": endpoint, "group": group, "median": median, "low": low,
                         "high": high, "published": printed[(endpoint, "median", group)]})
    return pd.DataFrame(rows)


def logrank_p(time, event, groups) -> float:
    from lifelines.statistics import multivariate_logrank_test

    return float(multivariate_logrank_test(np.asarray(time, float), np.asarray(groups),
                                           np.asarray(event, bool)).p_value)


def aalen_johansen(time, cause, seed: int = SURVIVAL_SEED):
    """Cumulative incidence of relapse (cause 1) with death in remission (2) competing."""
    from lifelines import AalenJohansenFitter

    return AalenJohansenFitter(seed=seed).fit(np.asarray(time, float), np.asarray(cause, int),
                                              event_of_interest=1)


def followup_medians(frame: pd.DataFrame) -> dict[str, float]:
    """Median follow-up: reverse Kaplan-Meier (censoring as the event) and the crude median."""
    reverse = km_fit(frame["os_time"], ~frame["os_event"].astype(bool))
    return {"reverse_km": float(reverse.median_survival_time_),
            "crude": float(np.median(frame["os_time"]))}


COX_TERMS = {"age": "Age (per year)", "male": "Male sex",
             "relapsed_chemo": "Relapsed after chemotherapy (vs refractory)",
             "relapsed_hsct": "Relapsed after allo-HSCT (vs refractory)",
             "eln_adverse": "ELN adverse risk", "mrd_neg": "MRD-negative CRc",
             "hsct": "Bridged to allo-HSCT"}


def cox_table(terms: list[str], frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Cox model of OS on ``terms``: HR, 95 % CI and Wald P per term."""
    from lifelines import CoxPHFitter

    frame = analysis_frame() if frame is None else frame
    data = frame[[*terms, "os_time", "os_event"]].astype(float)
    fit = CoxPHFitter().fit(data, duration_col="os_time", event_col="os_event")
    s = fit.summary
    return pd.DataFrame({"term": terms, "hr": s["exp(coef)"].to_numpy(),
                         "low": s["exp(coef) lower 95%"].to_numpy(),
                         "high": s["exp(coef) upper 95%"].to_numpy(),
                         "p": s["p"].to_numpy()})


def univariable_cox() -> pd.DataFrame:
    """One Cox model per covariate group, as the paper's univariable analysis."""
    return _univariable_cox().copy()


@cache
def _univariable_cox() -> pd.DataFrame:
    blocks = [["age"], ["male"], ["relapsed_chemo", "relapsed_hsct"], ["eln_adverse"],
              ["mrd_neg"], ["hsct"]]
    return pd.concat([cox_table(b) for b in blocks], ignore_index=True)


#: Methods / Statistical analysis: univariable factors significant at the 0.1 level enter the
#: multivariable model.
UNIVARIABLE_THRESHOLD = 0.1


def multivariable_cox(threshold: float = UNIVARIABLE_THRESHOLD) -> pd.DataFrame:
    """Covariates with P < ``threshold`` in univariable analysis, together (the paper's rule)."""
    uni = univariable_cox()
    return cox_table(list(uni.loc[uni["p"] < threshold, "term"]))


def proportional_hazards_p(terms: list[str]) -> pd.DataFrame:
    """Schoenfeld-residual test of proportional hazards (lifelines, rank-transformed time)."""
    from lifelines import CoxPHFitter
    from lifelines.statistics import proportional_hazard_test

    data = analysis_frame()[[*terms, "os_time", "os_event"]].astype(float)
    fit = CoxPHFitter().fit(data, duration_col="os_time", event_col="os_event")
    test = proportional_hazard_test(fit, data, time_transform="rank")
    return pd.DataFrame({"term": terms, "p": test.summary["p"].to_numpy()})


# ------------------------------------------------------------------ reporting
def target_table(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every published survival summary beside the reconstructed value, the tolerance, whether
    the seeds were searched for it, whether it is met, and why not where it cannot be."""
    frame = reconstructed() if frame is None else frame
    values = summaries(frame)
    rows = [{"key": c.key, "claim": c.claim, "published": c.published,
             "achieved": values[c.key], "tolerance": c.tolerance, "unit": c.unit,
             "calibrated": c.key not in contradictions(), "within": meets(values[c.key], c),
             "why": contradictions().get(c.key, "")} for c in tolerances()]
    return pd.DataFrame(rows)


#: Ledger entries that print the same number as a target, beside the target's own claim.
ALSO_IN_LEDGER = {
    "os_median.all": ["abstract.os_median", "results.survival.os_median"],
    "efs_median.all": ["abstract.efs_median", "results.survival.efs_median"],
    "dfs_12m.crc_no_hsct": ["results.survival.dfs_12m_nohsct"],
    "followup_median.crude": ["abstract.followup"],
}


def is_count(check: Tolerance) -> bool:
    """A 1-year OS or EFS rate: a count in the skeleton, recomputed from the paper itself."""
    return check.key.startswith(("os_12m.", "efs_12m."))


def ledger_ids() -> dict[str, list[str]]:
    """The ledger entries each target checks (the 1-year rates are recomputed, not checked)."""
    return {c.key: [c.claim, *ALSO_IN_LEDGER.get(c.key, [])] for c in tolerances()
            if not is_count(c)}


LEDGER_NOTES = {
    "results.survival.followup": "The reconstruction's is the crude median (follow-up ends at "
    "death or cut-off); the reverse Kaplan-Meier median is longer (see the appendix).",
    "abstract.followup": "The reconstruction's is the crude median (follow-up ends at death "
    "or cut-off).",
    "results.survival.dfs_12m_nohsct": "Read as the patients in CRc, as in paragraph 2, "
    "sentence 7, which prints the same 59.4 %.",
}


def ledger_checks() -> list[tuple[str, float, float, str]]:
    """(ledger id, achieved, tolerance, note) for every survival number the cohort checks."""
    table = target_table().set_index("key")
    out = []
    for key, ids in ledger_ids().items():
        row = table.loc[key]
        note = ("Reconstructed cohort (calibrated to this number)." if row["calibrated"] else
                f"Reconstructed cohort (not calibrated to this number). {row['why']}")
        out += [(i, float(row["achieved"]), float(row["tolerance"]),
                 f"{note} {LEDGER_NOTES[i]}" if i in LEDGER_NOTES else note) for i in ids]
    return out


def summary() -> dict[str, float | str]:
    """Reconstructed survival numbers for the registry (plain Python types)."""
    values = summaries(reconstructed())
    out: dict[str, float | str] = {"seed": SURVIVAL_SEED, "late_seed": LATE_SEED}
    for key, value in values.items():
        out[key.replace(".", "_")] = "not reached" if math.isnan(value) else round(float(value),
                                                                                  4)
    out["followup_median_reverse_km"] = round(followup_medians(reconstructed())["reverse_km"], 4)
    return out


SPREAD_SEEDS = range(1, 51)


def seed_spread(seeds: range = SPREAD_SEEDS) -> pd.DataFrame:
    """Summaries across many seeds (the skeleton fixed, only the drawn times vary; each seed
    draws both the first year and the rest): mean, 5th and 95th percentile, and the share of
    seeds within tolerance. The 1-year rates are left out: the skeleton fixes them."""
    checks = [c for c in tolerances() if not is_count(c)]
    values: dict[str, list[float]] = {c.key: [] for c in checks}
    within_: dict[str, list[bool]] = {c.key: [] for c in checks}
    for seed in seeds:
        s = summaries(draw_times(seed))
        for c in checks:
            values[c.key].append(s[c.key])
            within_[c.key].append(meets(s[c.key], c))
    rows = []
    for c in checks:
        v = np.array(values[c.key], float)
        reached = v[~np.isnan(v)]
        rows.append({"key": c.key, "published": c.published,
                     "mean": float(reached.mean()) if reached.size else math.nan,
                     "p5": float(np.percentile(reached, 5)) if reached.size else math.nan,
                     "p95": float(np.percentile(reached, 95)) if reached.size else math.nan,
                     "reached": float(np.mean(~np.isnan(v))),
                     "within": float(np.mean(within_[c.key])),
                     "calibrated": c.key not in contradictions()})
    return pd.DataFrame(rows)
