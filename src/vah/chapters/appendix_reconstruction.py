"""The appendix on the reconstructed cohort: how the synthetic patients are built, the published
survival summaries against the reconstruction's, the events after the first year and the spread
over seeds.

Everything here describes a **reconstruction, not the trial's data**: its counts and times are
the solver's and the random draws', so none of its values is linked to the ledger as evidence.
"""

from __future__ import annotations

import math

import pandas as pd

from vah import paper as pub
from vah import reconstruction as S
from vah.chapters import Value
from vah.display.tables import breakable, myst_table
from vah.paper.folder import cached_on_data
from vah.reconstruction import skeleton as C
from vah.reconstruction import validation as V
from vah.stats import fmt

__all__ = ["PAGE", "fitted", "fitted_frame", "held_out", "held_out_frame", "late_events",
           "late_events_frame", "seed_spread", "seed_spread_frame", "targets", "targets_frame",
           "values"]

PAGE = "book/appendix/reconstruction"


@cached_on_data
def _values() -> dict[str, Value | int | str]:
    skeleton = C.cohort()
    out: dict[str, Value | int | str] = {
        "n_patients": len(skeleton), "n_constraints": C.constraint_count(),
        "seed": S.SURVIVAL_SEED, "late_seed": S.LATE_SEED, "search_from": S.SEARCH_FROM}
    targets_ = S.target_table()
    out["n_targets"] = len(targets_)
    out["n_within"] = int(targets_["within"].sum())
    out["n_not_modelled"] = len(S.not_modelled())
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
    for key, why in S.not_modelled().items():
        out[f"why_{key.replace('.', '_')}"] = why
        out[f"name_{key.replace('.', '_')}"] = S.describe(key)
    out["n_late_events"] = len(S.late_events())
    out |= _validation_values()
    return out


def _validation_values() -> dict[str, Value | int | str]:
    """The numbers and phrases of the section on fitted and held-out numbers."""
    held = V.held_out_table()
    p_rows = held[held["stat"].isin(["logrank", "hr_p"])]
    same_side = [(v < V.ALPHA) == (p < V.ALPHA) or op == "<" and v < p for v, p, op in
                 zip(p_rows["reconstructed"], p_rows["published"], p_rows["op"], strict=True)]
    outside = held.loc[~held["within"], "quantity"]
    hrs = held[held["stat"] == "hr"]
    direction = [(v < 1) == (p < 1) for v, p in
                 zip(hrs["reconstructed"], hrs["published"], strict=True)]
    tests = {(c.stat, c.endpoint, c.population, c.by) for c in V.HELD_OUT}
    return {
        "n_fitted_skeleton": sum(f.by == "skeleton" and "*" not in f.claim for f in V.FITTED),
        "n_fitted_search": sum(f.by == "seed search" for f in V.FITTED),
        "n_held_out": len(held), "n_held_tests": len(tests),
        "n_held_within": int(held["within"].sum()), "n_held_outside": int((~held["within"]).sum()),
        "n_held_p": len(p_rows), "n_held_same_side": sum(same_side),
        "held_outside": "; ".join(outside) if len(outside) else "none",
        "p_factor": f"{V.P_FACTOR:g}", "alpha": f"{V.ALPHA:g}",
        "n_hr": len(hrs), "n_hr_direction": sum(direction),
        "n_not_compared": len(V.NOT_COMPARED),
        "not_compared": " and ".join(breakable_id(i) for i in V.NOT_COMPARED)}


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


def breakable_id(entry: str) -> str:
    """A ledger id as prose shows it (it breaks only after a dot)."""
    return breakable(entry)


def _tolerance_of(group: list[V.Fitted]) -> str:
    if group[0].by == "skeleton":
        return "exact count"
    units = {t.unit for t in S.tolerances() if t.key in {f.key for f in group}}
    return " or ".join(f"±{S.MEDIAN_TOLERANCE:g} month" if u == "months" else
                       f"±{S.RATE_TOLERANCE:g} points" for u in sorted(units))


def fitted_frame() -> pd.DataFrame:
    """The numbers the cohort is fitted to, one row per kind, in the order declared."""
    groups: dict[str, list[V.Fitted]] = {}
    for f in V.FITTED:
        groups.setdefault(f.what, []).append(f)
    return pd.DataFrame({
        "Fitted to": list(groups),
        "By": [g[0].by for g in groups.values()],
        "Count": ["all" if any("*" in f.claim for f in g) else str(len(g))
                    for g in groups.values()],
        "Tolerance": [_tolerance_of(g) for g in groups.values()]})


def fitted():
    """The fitted-numbers table, for the page."""
    return myst_table(fitted_frame(), caption="What the reconstructed cohort is fitted to "
                      "(declared in vah.reconstruction.validation.FITTED).",
                      name="tab-reconstruction-fitted", align_numbers=False,
                      widths=[52, 16, 12, 20])


#: The held-out table's sections: one per kind of tolerance, in this order.
_TOLERANCE_HEADINGS = {
    "=": "P values: on the same side of {a:g} as the paper's and within a factor of {t:g}",
    "<": "P values printed as a bound: below {t:g} times the bound",
    "hr": "Hazard ratios: inside the paper's confidence interval",
    "rate": "Rate: within {t:g} percentage points"}


def _held_published(row: pd.Series) -> str:
    if row["stat"] == "hr":
        return f"{fmt.number(row['published'], 2)} ({fmt.ci(row['ci_low'], row['ci_high'], 2, 1)})"
    if row["stat"] == "rate":
        return fmt.pct_of(row["published"])
    return (f"<\u00a0{row['published']:g}" if row["op"] == "<" else f"{row['published']:g}")


def _held_reconstructed(row: pd.Series) -> str:
    value = row["reconstructed"]
    if pd.isna(value):
        return "not in the model"
    if row["stat"] == "hr":
        return fmt.number(value, 2)
    return fmt.pct_of(value) if row["stat"] == "rate" else fmt.p_value(value)


def _held_out_rows() -> tuple[pd.DataFrame, set[int]]:
    held = V.held_out_table()
    kinds = [r.stat if r.stat in ("hr", "rate") else r.op for r in held.itertuples()]
    rows, stubs = [], set()
    for kind, heading in _TOLERANCE_HEADINGS.items():
        members = [i for i, k in enumerate(kinds) if k == kind]
        if not members:
            continue
        tolerance = V.HELD_OUT[members[0]].tolerance
        stubs.add(len(rows))
        rows.append([heading.format(a=V.ALPHA, t=tolerance), "", "", ""])
        for i in members:
            r = held.iloc[i]
            rows.append([f"{r['quantity']} ({breakable(r['claim'])})",
                         _held_published(r), _held_reconstructed(r),
                         "within" if r["within"] else "outside"])
    columns = ["Compared (ledger id)", "Published", "Recon\u00adstructed", "Within"]
    return pd.DataFrame(rows, columns=columns), stubs


def held_out_frame() -> pd.DataFrame:
    """Every held-out comparison under its tolerance (a heading row per kind): the published
    number, the reconstruction's, and whether it is within the tolerance declared in advance."""
    return _held_out_rows()[0]


def held_out():
    """The held-out comparisons table, for the page."""
    frame, stubs = _held_out_rows()
    return myst_table(frame, caption="Published numbers the cohort was not fitted to, against "
                      "the reconstruction, by tolerance (declared in "
                      "vah.reconstruction.validation.HELD_OUT before comparing).",
                      name="tab-reconstruction-held-out", align_numbers=False,
                      widths=[52, 18, 16, 14], stub_rows=stubs)


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
