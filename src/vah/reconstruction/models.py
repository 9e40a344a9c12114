"""Survival analyses run on the reconstructed cohort: Kaplan-Meier fits, medians with CIs,
log-rank tests, cumulative incidence and Cox models (lifelines).

Everything here is computed on a **reconstruction, not the trial's data**.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from vah import paper as pub
from vah.reconstruction.times import SURVIVAL_SEED, reconstructed

__all__ = [
    "aalen_johansen",
    "analysis_frame",
    "assign_ages",
    "cox_table",
    "COX_TERMS",
    "followup_medians",
    "km_fit",
    "logrank_p",
    "median_table",
    "median_with_ci",
    "multivariable_cox",
    "proportional_hazards_p",
    "univariable_cox",
    "UNIVARIABLE_THRESHOLD",
]


# ------------------------------------------------------------------ ages
def assign_ages(frame: pd.DataFrame, seed: int = SURVIVAL_SEED) -> pd.Series:
    """Ages matching each group's published median and IQR (Table 1), within the protocol's
    18-65 years: quantiles interpolated through (min, Q1, median, Q3, max), shuffled."""
    from vah.trial.protocol import AGE_RANGE_YEARS

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


def analysis_frame() -> pd.DataFrame:
    """The calibrated reconstruction with ages and model covariates (a copy: callers may change
    it)."""
    return _analysis_frame().copy()


@cache
def _analysis_frame() -> pd.DataFrame:
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
    """Log-rank test P value across ``groups`` (lifelines, two or more groups)."""
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


#: As in Methods / Statistical analysis, univariable factors significant at the 0.1 level enter the
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
