"""The appendix on the reconstructed cohort: how the synthetic patients are built, the published
survival summaries against the reconstruction's, the events after the first year and the spread
over seeds.

Everything here describes a **reconstruction, not the trial's data**: its counts and times are
the solver's and the random draws', so none of its values is linked to the ledger as evidence.
"""

from __future__ import annotations

import math
from functools import cache

import pandas as pd

from vah import paper as pub
from vah import reconstruction as S
from vah.chapters import Value
from vah.display.tables import myst_table
from vah.reconstruction import skeleton as C
from vah.stats import fmt

__all__ = ["PAGE", "late_events", "late_events_frame", "seed_spread", "seed_spread_frame",
           "targets", "targets_frame", "values"]

PAGE = "book/appendix/reconstruction"


@cache
def _values() -> dict[str, Value | int | str]:
    skeleton = C.cohort()
    out: dict[str, Value | int | str] = {
        "n_patients": len(skeleton), "n_constraints": C.constraint_count(),
        "seed": S.SURVIVAL_SEED, "late_seed": S.LATE_SEED, "search_from": S.SEARCH_FROM}
    targets_ = S.target_table()
    out["n_targets"] = len(targets_)
    out["n_within"] = int(targets_["within"].sum())
    out["n_contradicted"] = len(S.contradictions())
    out["n_seeds"] = len(S.SPREAD_SEEDS)
    out["late_relapses"] = C.LATE_RELAPSES
    out["late_efs"] = sum(C.LATE_EFS_EVENTS.values())
    out["late_deaths"] = sum(C.LATE_DEATHS.values())
    for key, column in (("n_deaths", "dead"), ("n_relapses", "relapse"), ("n_nrm", "nrm")):
        out[key] = int(skeleton[column].sum())
    counts = {name: k for name, _, k in C.relapse_counts()}
    out["relapses_hsct"] = counts["hsct"]
    out["relapses_flt3"] = counts["flt3"]
    out["tol_median"] = f"{S.MEDIAN_TOLERANCE:g}"
    out["tol_rate"] = f"{S.RATE_TOLERANCE:g}"
    for key, why in S.contradictions().items():
        out[f"why_{key.replace('.', '_')}"] = why
        out[f"name_{key.replace('.', '_')}"] = S.describe(key)
    out["n_late_events"] = len(S.late_events())
    return out


def values() -> dict[str, Value | int | str]:
    """Every number and phrase the reconstruction appendix glues, by key (a new dict each
    call)."""
    return dict(_values()) | exercise_values()


def _shown(value: float, unit: str) -> str:
    """A summary as the tables print it: one decimal, " %" for rates, "not reached" for NaN."""
    if pd.isna(value):
        return fmt.NOT_REACHED
    return fmt.pct_of(value) if unit == "%" else fmt.number(value)


def targets_frame() -> pd.DataFrame:
    """Every published survival summary beside the reconstructed cohort's value."""
    t = S.target_table()
    return pd.DataFrame({
        "Summary": [S.describe(k) for k in t["key"]],
        "Published": [_shown(v, u) for v, u in zip(t["published"], t["unit"], strict=True)],
        "Reconstructed": [_shown(v, u) for v, u in zip(t["achieved"], t["unit"], strict=True)],
        "Tolerance": [f"±{x:g}" for x in t["tolerance"]],
        "Within": ["yes" if w else "no (see below)" for w in t["within"]]})


def targets():
    """The target-against-achieved table, for the page."""
    return myst_table(targets_frame(), caption="Published survival summaries and the "
                      "reconstructed cohort's values.", name="tab-reconstruction-targets",
                      align_numbers=False, widths=[40, 14, 16, 12, 18])


def seed_spread_frame() -> pd.DataFrame:
    """The survival summaries across the seeds of the time draws (the skeleton fixed)."""
    s = S.seed_spread()
    return pd.DataFrame({
        "Summary": [S.describe(k) for k in s["key"]],
        "Published": [_shown(v, "") for v in s["published"]],
        "Median reached": [fmt.pct_of(100 * r, 0) if "median" in k else "–"
                           for k, r in zip(s["key"], s["reached"], strict=True)],
        "Mean over seeds": [_shown(v, "") for v in s["mean"]],
        "5th–95th percentile": ["–" if math.isnan(a) else fmt.ci(a, b, scale=1)
                                for a, b in zip(s["p5"], s["p95"], strict=True)],
        "Seeds within tolerance": [fmt.pct_of(100 * w, 0) for w in s["within"]]})


def seed_spread():
    """The spread-over-seeds table, for the page."""
    return myst_table(seed_spread_frame(), caption="Survival summaries across seeds of the time "
                      "draws.", name="tab-reconstruction-seeds", align_numbers=False,
                      widths=[34, 11, 11, 12, 18, 14])


def late_events_frame() -> pd.DataFrame:
    """The events after the first year, with the patients still at risk for that endpoint."""
    late = S.late_events()
    return pd.DataFrame({
        "Month": [fmt.number(m) for m in late["month"]],
        "Group": [pub.GROUP_LABELS[g] for g in late["group"]],
        "Event": [f"{e} ({ep})" for e, ep in zip(late["event"], late["endpoint"], strict=True)],
        "At risk (group)": late["at_risk_group"].astype(str),
        "At risk (all)": late["at_risk_all"].astype(str)})


def late_events():
    """The late-events table, for the page."""
    return myst_table(late_events_frame(), caption="The events after the first year in the "
                      "reconstructed cohort, with the patients still at risk for that endpoint.",
                      name="tab-reconstruction-late", align_numbers=False,
                      widths=[10, 34, 28, 14, 14])


def exercise_values() -> dict[str, str | int]:
    """The numbers that the answers to the page's exercises quote (keys ``ex_*``)."""
    f = S.analysis_frame()
    crc = f.groupby("group")["crc"].sum()
    printed = pub.table2_survival().set_index(["endpoint", "statistic", "group"])
    return {"ex_counts": ", ".join(f"{int(crc[g])} ({pub.GROUP_LABELS[g]})" for g in crc.index),
            "ex_os12": fmt.pct_of(100 * S.km_at(f["os_time"], f["os_event"], 12.0)),
            "ex_os12_printed": fmt.pct_of(printed.at[("OS", "12m", "all"), "estimate"])}
