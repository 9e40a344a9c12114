"""The Survival page: curves, medians, log-rank tests and Cox models of the **reconstructed
cohort** (synthetic patients fitted to the published numbers, not the trial's data), beside the
published survival numbers.

A published number links to its ledger entry; a number computed on the reconstruction links only
to the entry that checks the reconstruction against the paper (``ledger_ids``), never to a
published number it merely resembles.
"""

from __future__ import annotations

import math

import pandas as pd

from vah import paper as pub
from vah import reconstruction as S
from vah.chapters import Value
from vah.display.figures import setup
from vah.display.figures.survival import endpoint_panels, group_panels
from vah.display.tables import myst_table
from vah.paper.folder import cached_on_data
from vah.reconstruction import models as M
from vah.reconstruction.calibration import ledger_ids
from vah.stats import fmt

__all__ = ["CLAIMS", "EARLY_LANDMARK", "PAGE", "cox_multivariable", "cox_univariable",
           "figures", "guarantee_time", "guarantee_time_frame", "medians", "medians_frame",
           "published_by_transplant", "published_landmarks", "TRANSPLANT_CLAIMS",
           "transplant_timing", "transplant_timing_frame", "values"]

PAGE = "book/survival"
#: Published numbers of the Results text the page quotes: (key, claim id, unit appended).
CLAIMS = (("pub_os_median", "results.survival.os_median", " months"),
          ("pub_efs_median", "results.survival.efs_median", " months"),
          ("pub_cir", "results.survival.cir_12m", " %"),
          ("pub_dfs", "results.survival.dfs_12m", " %"),
          ("pub_fu", "results.survival.followup", " months"),
          ("pub_hr_hsct", "results.survival.hr_hsct", ""),
          ("pub_hr_mrd", "results.survival.hr_mrd", ""))


def _table2() -> pd.DataFrame:
    """Table 2's survival rows, indexed by (endpoint, statistic, group)."""
    return pub.table2_survival().set_index(["endpoint", "statistic", "group"])


def _reconstructed(key: str, text: str, value: float) -> Value | str:
    """A summary of the reconstructed cohort (``summaries`` key): linked to the ledger entry that
    checks the reconstruction against the paper, if there is one; plain text otherwise."""
    ids = ledger_ids().get(key)
    if not ids:
        return text
    return Value(text, ids[0], value=None if math.isnan(value) else float(value))


def _table2_value(endpoint: str, statistic: str, group: str, text: str) -> Value:
    """A Table 2 survival cell as the page prints it, linked to that cell's ledger entry."""
    row = _table2().loc[(endpoint, statistic, group)]
    estimate = float(row["estimate"])
    return Value(text, f"table2.{endpoint}_{statistic}.{group}", row["locator"],
                 None if math.isnan(estimate) else estimate)


@cached_on_data
def _values() -> dict[str, Value | int | str]:
    frame = S.analysis_frame()
    summ = S.summaries(frame)
    out: dict[str, Value | int | str] = {}
    for key in ("os_median.all", "efs_median.all", "os_median.non_crc"):
        out[key.replace(".", "_")] = _reconstructed(key, fmt.months(summ[key]), summ[key])
    for key in ("os_12m.all", "efs_12m.all", "os_24m.all", "efs_24m.all", "cir_12m.all",
                "dfs_12m.all"):
        out[key.replace(".", "_")] = _reconstructed(key, fmt.pct_of(summ[key]), summ[key])
    for key, cid, unit in CLAIMS:
        c = pub.claim(cid)
        out[key] = Value(f"{c['printed']}{unit}", cid, c["loc"], float(c["value"]))
    fu = S.followup_medians(frame)
    out["fu_reverse"] = fmt.months(fu["reverse_km"])
    out["fu_crude"] = _reconstructed("followup_median.crude", fmt.months(fu["crude"]),
                                     fu["crude"])
    out["p_hsct_os"] = fmt.p_stated(S.logrank_p(frame["os_time"], frame["os_event"],
                                                frame["allo_hsct"]))
    for endpoint in ("os", "efs"):
        out[f"p_groups_{endpoint}"] = fmt.p_stated(S.logrank_p(frame[f"{endpoint}_time"],
                                                               frame[f"{endpoint}_event"],
                                                               frame["group"]))
    p2 = pub.table2_pvalues().set_index("row")
    for endpoint in ("OS", "EFS"):
        row = p2.loc[f"{endpoint} median"]
        out[f"pub_p_groups_{endpoint.lower()}"] = Value(
            row["p_printed"], f"table2.p.{endpoint}_median", row["locator"],
            float(row["p_value"]))
    out["seed"] = S.SURVIVAL_SEED
    out["cox_threshold"] = f"{S.UNIVARIABLE_THRESHOLD:g}"
    t2 = _table2()
    for g in ("relapsed_chemo", "relapsed_hsct"):
        key = f"os_median.{g}"
        out[f"os_median_{g}"] = _reconstructed(key, fmt.months(summ[key]), summ[key])
        out[f"pub_os_median_{g}"] = _table2_value(
            "OS", "median", g, fmt.months(t2.loc[("OS", "median", g), "estimate"]))
    out["os_24m_refractory"] = _reconstructed("os_24m.refractory",
                                              fmt.pct_of(summ["os_24m.refractory"]),
                                              summ["os_24m.refractory"])
    out["pub_os_24m_refractory"] = _table2_value(
        "OS", "24m", "refractory", fmt.pct_of(t2.loc[("OS", "24m", "refractory"), "estimate"]))
    out["n_targets"] = len(S.target_table())
    out["n_within"] = int(S.target_table()["within"].sum())
    held = S.held_out_table()
    out["n_held_out"] = len(held)
    out["n_held_within"] = int(held["within"].sum())
    out["late_seed"] = S.LATE_SEED
    out["n_late_events"] = len(S.late_events(frame))
    multi = S.multivariable_cox()
    hr = multi.set_index("term")["hr"]
    out["hr_hsct"] = fmt.number(hr["hsct"], 2)
    out["hr_mrd"] = fmt.number(hr["mrd_neg"], 2)
    out |= _non_crc_values(frame) | _guarantee_time_values(frame, list(multi["term"]))
    return out


def _non_crc_values(frame: pd.DataFrame) -> dict[str, Value | str]:
    """The median OS of the patients who never reached CRc: its CI on the reconstruction, and
    the published median with its CI."""
    non = frame[~frame["crc"]]
    _, low, high = S.median_with_ci(non["os_time"], non["os_event"])
    c = pub.claim("results.survival.os_median_noncrc")
    low_p, high_p = c["ci"]
    return {"os_ci_non_crc": f"95 % CI {fmt.ci(low, high, scale=1)}",
            "pub_os_median_non_crc": Value(f"{c['printed']} months (95 % CI {low_p}–{high_p})",
                                           c["id"], c["loc"], float(c["value"]))}


#: A landmark earlier than ``vah.reconstruction.models.LANDMARK``, to show what it would miss.
EARLY_LANDMARK = 3.0


def _hr(row: pd.Series) -> str:
    return f"{fmt.number(row['hr'], 2)} (95 % CI {_interval(row['low'], row['high'])})"


def _interval(low: float, high: float) -> str:
    return f"{fmt.number(low, 2)}–{fmt.number(high, 2)}"


def _guarantee_time_values(frame: pd.DataFrame, terms: list[str]) -> dict[str, str | int]:
    """The numbers of the guarantee-time section: the multivariable model fitted naively, from a
    landmark and with time-varying covariates, and the proportional-hazards checks."""
    table = M.guarantee_time_table(terms).set_index(["method", "term"])
    out: dict[str, str | int] = {}
    for method, short in (("naive", "naive"), ("landmark", "lm"), ("time_varying", "tv")):
        for term, name in (("hsct", "hsct"), ("mrd_neg", "mrd")):
            out[f"hr_{short}_{name}"] = _hr(table.loc[(method, term)])
    landmark = M.landmark_frame(frame)
    hsct = frame["hsct_time"].dropna()
    out |= {"landmark": fmt.months(M.LANDMARK, 0), "early_landmark": fmt.months(EARLY_LANDMARK, 0),
            "n_patients": len(frame), "n_landmark": len(landmark),
            "n_before_landmark": len(frame) - len(landmark),
            "deaths_landmark": int(landmark["os_event"].sum()),
            "hsct_landmark": int(landmark["hsct"].sum()), "n_hsct": len(hsct),
            "hsct_after_landmark": int((hsct > M.LANDMARK).sum()),
            "hsct_after_early": int((hsct > EARLY_LANDMARK).sum()),
            "hsct_first": fmt.months(hsct.min()), "hsct_median": fmt.months(hsct.median()),
            "hsct_last": fmt.months(hsct.max()), "hsct_seed": M.HSCT_SEED,
            "hsct_delay": f"{fmt.number(M.HSCT_DELAY[0], 0)} to "
                          f"{fmt.months(M.HSCT_DELAY[1], 0)}"}
    ph = S.proportional_hazards_p(terms).set_index("term")["p"]
    ph_lm = S.proportional_hazards_p(terms, landmark).set_index("term")["p"]
    out |= {"ph_naive_hsct": fmt.p_stated(ph["hsct"]), "ph_naive_mrd": fmt.p_stated(ph["mrd_neg"]),
            "ph_lm_hsct": fmt.p_stated(ph_lm["hsct"]), "ph_lm_mrd": fmt.p_stated(ph_lm["mrd_neg"])}
    # the naive model with follow-up stopped at the landmark: the HR of the first months
    early = frame.assign(os_event=frame["os_event"].astype(bool) & (frame["os_time"] <= M.LANDMARK),
                         os_time=frame["os_time"].clip(upper=M.LANDMARK))
    out["hr_naive_early"] = _hr(S.cox_table(terms, early).set_index("term").loc["hsct"])
    return out


def values() -> dict[str, Value | int | str]:
    """Every number and phrase the Survival page glues, by key (a new dict each call)."""
    return dict(_values()) | exercise_values()


def published_landmarks() -> tuple[dict, dict]:
    """The published landmarks the figures mark: (per panel of ``endpoint_panels``: {None:
    [(month, per cent)]}, per endpoint and disease group for ``group_panels``: [(month, per
    cent)])."""
    s2 = _table2()["estimate"]
    cir, dfs = (float(pub.claim(c)["printed"]) for c in ("results.survival.cir_12m",
                                                         "results.survival.dfs_12m"))
    panels = {"OS": {None: [(12, s2[("OS", "12m", "all")]), (24, s2[("OS", "24m", "all")])]},
              "EFS": {None: [(12, s2[("EFS", "12m", "all")]), (24, s2[("EFS", "24m", "all")])]},
              "CIR": {None: [(12, cir)]}, "DFS": {None: [(12, dfs)]}}
    by_group = {ep: {g: [(m, s2[(ep, f"{m}m", g)]) for m in (12, 24)]
                     for g in pub.DISEASE_GROUPS} for ep in ("OS", "EFS")}
    return panels, by_group


#: The paper's one-year rates by transplant (Results / Survival, paragraph 2), per panel of
#: ``endpoint_panels``: (claim if transplanted, claim if not). Relapse and DFS are those of the
#: patients in CRc, as the panels are.
TRANSPLANT_CLAIMS = {
    "OS": ("results.survival.os_12m_hsct", "results.survival.os_12m_nohsct"),
    "EFS": ("results.survival.efs_12m_hsct", "results.survival.efs_12m_nohsct"),
    "CIR": ("results.survival.cir_12m_hsct", "results.survival.cir_12m_nohsct"),
    "DFS": ("results.survival.crc_dfs_12m_hsct", "results.survival.crc_dfs_12m_nohsct")}


def published_by_transplant() -> dict:
    """The published one-year rates by allo-HSCT the transplant figure marks: per panel of
    ``endpoint_panels``, {True: [(12, per cent)], False: [(12, per cent)]}."""
    return {panel: {hsct: [(12, float(pub.claim(cid)["printed"]))]
                    for hsct, cid in zip((True, False), ids, strict=True)}
            for panel, ids in TRANSPLANT_CLAIMS.items()}


def figures() -> dict[str, object]:
    """The page's figures, by name: the four endpoints, by transplant and by disease group."""
    setup()
    frame = S.analysis_frame()
    panels, by_group = published_landmarks()
    return {"fig-survival": endpoint_panels(frame, published=panels),
            "fig-survival-hsct": endpoint_panels(frame, split="allo_hsct",
                                                 published=published_by_transplant()),
            "fig-survival-groups": group_panels(frame, published=by_group)}


def _reached(x: float) -> str:
    return "NE" if math.isinf(x) else f"{x:.1f}"


def medians_frame() -> pd.DataFrame:
    """Median OS and EFS with 95 % CIs, overall and by disease group, beside Table 2's."""
    m = S.median_table(S.analysis_frame())
    return pd.DataFrame({
        "Endpoint": m["endpoint"],
        "Patients": [pub.GROUP_LABELS[g] for g in m["group"]],
        "Reconstructed, months (95 % CI)": [
            "not reached" if math.isinf(v) else f"{v:.1f} ({_reached(lo)} to {_reached(hi)})"
            for v, lo, hi in zip(m["median"], m["low"], m["high"], strict=True)],
        "Published (Table 2)": m["published"]})


def medians():
    """The medians table, for the page."""
    return myst_table(medians_frame(), caption="Median OS and EFS with 95 % CIs, reconstructed "
                      "cohort and Table 2.", name="tab-survival-medians", align_numbers=False,
                      widths=[12, 34, 28, 26])


def _cox_rows(t: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"Covariate": [S.COX_TERMS[x] for x in t["term"]],
                         "HR (95 % CI)": [f"{h:.2f} ({lo:.2f}–{hi:.2f})" for h, lo, hi in
                                          zip(t["hr"], t["low"], t["high"], strict=True)],
                         "P": [fmt.p_value(p) for p in t["p"]]})


def cox_univariable():
    """The univariable Cox models of OS, for the page."""
    return myst_table(_cox_rows(S.univariable_cox()), caption="Univariable Cox models of "
                      "overall survival, reconstructed cohort.", name="tab-cox-uni")


def cox_multivariable():
    """The multivariable Cox model of OS, for the page."""
    return myst_table(_cox_rows(S.multivariable_cox()), caption="Multivariable Cox model of "
                      f"overall survival (covariates with P < {S.UNIVARIABLE_THRESHOLD:g} "
                      "alone), reconstructed cohort.", name="tab-cox-multi")


_METHODS = {"naive": "Covariates fixed from the start (as above)",
            "landmark": f"Landmark at {fmt.months(M.LANDMARK, 0)}",
            "time_varying": "Time-varying covariates"}


def guarantee_time_frame() -> pd.DataFrame:
    """The multivariable Cox model of OS three ways: covariates fixed from the start of VAH, a
    landmark analysis and time-varying covariates; patients, deaths and HRs (95 % CI)."""
    t = M.guarantee_time_table()
    rows = []
    for method, part in t.groupby("method", sort=False):
        by = part.set_index("term").sort_index(key=lambda x: x != "hsct")  # transplant first
        cells = {S.COX_TERMS[term]: f"{fmt.number(h, 2)} ({_interval(lo, hi)})" for term, h, lo,
                 hi in zip(by.index, by["hr"], by["low"], by["high"], strict=True)}
        rows.append({"Model": _METHODS[method], "Patients": str(int(by["patients"].iloc[0])),
                     "Deaths": str(int(by["deaths"].iloc[0])), **cells})
    return pd.DataFrame(rows)


def guarantee_time():
    """The guarantee-time table, for the page."""
    return myst_table(guarantee_time_frame(), caption="Hazard ratios (95 % CI) of the "
                      "multivariable Cox model of overall survival, three ways, reconstructed "
                      "cohort with assumed transplant times.", name="tab-guarantee-time",
                      align_numbers=False, widths=[28, 12, 12, 24, 24])


def transplant_timing_frame() -> pd.DataFrame:
    """The time-varying HR of transplant under other assumed waits from CRc to transplant."""
    t = M.transplant_timing()
    t = t[t["term"] == "hsct"]
    return pd.DataFrame({
        "Assumed wait for transplant, months": [
            f"{fmt.number(lo)} to {fmt.number(hi)}"
            + (" (used above)" if (lo, hi) == M.HSCT_DELAY else "")
            for lo, hi in zip(t["delay_low"], t["delay_high"], strict=True)],
        "Median month of transplant": [fmt.number(m) for m in t["median_month"]],
        "HR of allo-HSCT (95 % CI)": [f"{fmt.number(h, 2)} ({_interval(lo, hi)})" for h, lo, hi
                                      in zip(t["hr"], t["low"], t["high"], strict=True)],
        "P": [fmt.p_value(p) for p in t["p"]]})


def transplant_timing():
    """The transplant-timing sensitivity table, for the page."""
    return myst_table(transplant_timing_frame(), caption="Time-varying hazard ratio of "
                      "allo-HSCT (multivariable, with MRD) under other assumed waits from CRc "
                      "(or the end of VAH) to transplant, reconstructed cohort.",
                      name="tab-transplant-timing", align_numbers=False,
                      widths=[34, 22, 30, 14])


def exercise_values() -> dict[str, str | int]:
    """The numbers that the answers to the page's exercises quote (keys ``ex_*``)."""
    from lifelines.utils import median_survival_times

    f = S.analysis_frame()
    km = S.km_fit(f["os_time"], f["os_event"])
    (low, high), = median_survival_times(km.confidence_interval_).values.tolist()
    crc = f[f["crc"]]
    naive = 1 - S.km_at(crc["dfs_time"], crc["cir_event"] == 1, 12.0)
    proper = S.cumulative_incidence_at(crc["dfs_time"], crc["cir_event"], 12.0)
    return {"ex_median": fmt.months(km.median_survival_time_),
            "ex_ci": f"{fmt.number(low)} to "
                     + ("not estimable" if math.isinf(high) else fmt.number(high)),
            "ex_naive": fmt.pct_of(100 * naive), "ex_proper": fmt.pct_of(100 * proper)}
