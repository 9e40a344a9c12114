"""Survival analyses run on the reconstructed cohort: Kaplan-Meier fits, medians with CIs,
log-rank tests, cumulative incidence and Cox models (lifelines), and the guarantee-time checks of
the Cox models: a landmark analysis and transplant and MRD as time-varying covariates, on
transplant times that are an assumption of the reconstruction (``transplant_times``).

Everything here is computed on a **reconstruction, not the trial's data**.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vah import paper as pub
from vah.errors import DataError
from vah.paper.disk_cache import kept_on_disk
from vah.paper.folder import cached_on_data
from vah.reconstruction.times import MONTH, SURVIVAL_SEED, reconstructed

__all__ = [
    "aalen_johansen",
    "analysis_frame",
    "assign_ages",
    "cox_table",
    "COX_TERMS",
    "followup_medians",
    "DELAY_SENSITIVITY",
    "guarantee_time_table",
    "HSCT_DELAY",
    "HSCT_SEED",
    "km_fit",
    "LANDMARK",
    "landmark_cox",
    "landmark_frame",
    "logrank_p",
    "long_format",
    "median_table",
    "median_with_ci",
    "multivariable_cox",
    "proportional_hazards_p",
    "TIME_VARYING",
    "time_varying_cox",
    "transplant_timing",
    "transplant_times",
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


@cached_on_data
def _analysis_frame() -> pd.DataFrame:
    frame = reconstructed().copy()
    frame["age"] = assign_ages(frame)
    frame["male"] = (frame["sex"] == "male").astype(int)
    frame["relapsed_chemo"] = (frame["group"] == "relapsed_chemo").astype(int)
    frame["relapsed_hsct"] = (frame["group"] == "relapsed_hsct").astype(int)
    frame["eln_adverse"] = (frame["eln"] == "adverse").astype(int)
    frame["mrd_neg"] = frame["mrd_negative"].astype(int)
    frame["hsct"] = frame["allo_hsct"].astype(int)
    frame["hsct_time"] = transplant_times(frame)
    frame["mrd_time"] = frame["crc_time"].where(frame["mrd_negative"].astype(bool))
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


@kept_on_disk
def _univariable_cox() -> pd.DataFrame:
    blocks = [["age"], ["male"], ["relapsed_chemo", "relapsed_hsct"], ["eln_adverse"],
              ["mrd_neg"], ["hsct"]]
    return pd.concat([cox_table(b) for b in blocks], ignore_index=True)


#: As in Methods / Statistical analysis, univariable factors significant at the 0.1 level enter the
#: multivariable model.
UNIVARIABLE_THRESHOLD = 0.1


def multivariable_cox(threshold: float = UNIVARIABLE_THRESHOLD) -> pd.DataFrame:
    """Covariates with P < ``threshold`` in univariable analysis, together (the paper's rule)."""
    return _multivariable_cox(threshold).copy()


@kept_on_disk
def _multivariable_cox(threshold: float) -> pd.DataFrame:
    uni = univariable_cox()
    return cox_table(list(uni.loc[uni["p"] < threshold, "term"]))


def proportional_hazards_p(terms: list[str], frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Schoenfeld-residual test of proportional hazards (lifelines, rank-transformed time) of the
    Cox model of OS on ``terms`` (on ``frame``, default the analysis frame)."""
    from lifelines import CoxPHFitter
    from lifelines.statistics import proportional_hazard_test

    frame = analysis_frame() if frame is None else frame
    data = frame[[*terms, "os_time", "os_event"]].astype(float)
    fit = CoxPHFitter().fit(data, duration_col="os_time", event_col="os_event")
    test = proportional_hazard_test(fit, data, time_transform="rank")
    return pd.DataFrame({"term": terms, "p": test.summary["p"].to_numpy()})


# ------------------------------------------------------------------ guarantee time
#: The seed of the transplant times: a generator of their own, so that drawing them changes no
#: calibrated time, age or summary.
HSCT_SEED = 14


#: Months from the opening of a patient's transplant window to allo-HSCT, drawn uniformly: an
#: assumption (the paper gives no transplant dates). Methods: once in CRc, patients went to
#: transplant if a donor was available; one to three months allows for one more course, donor
#: work-up and conditioning.
HSCT_DELAY = (1.0, 3.0)


_CYCLES = {"one": 1, "two": 2, "three": 3}


def transplant_times(frame: pd.DataFrame, seed: int = HSCT_SEED,
                     delay: tuple[float, float] = HSCT_DELAY) -> pd.Series:
    """The assumed month of allo-HSCT of each transplanted patient (NaN for the others).

    The reconstruction has no transplant dates, so they are derived by a fixed rule. The window
    opens at CRc or, for the transplanted patients who never reached CRc on VAH (Methods: a
    patient without CRc after two courses went to transplant if a donor was available), at the
    last response assessment on VAH (day 28 of their last cycle, ``FIRST_ASSESSMENT_DAY`` per
    cycle); it closes at the first of relapse, death or last follow-up (Results: 36 of the 40
    were transplanted in remission). Transplant falls ``delay`` months after the opening
    (uniform, default ``HSCT_DELAY``), drawn in patient order with ``seed``, but no later than
    halfway through the window (a patient who died soon after CRc was not transplanted on the
    day of death): always after the opening and before the close.
    """
    from vah.trial.protocol import FIRST_ASSESSMENT_DAY

    rng = np.random.default_rng(seed)
    out = pd.Series(np.nan, index=frame.index, name="hsct_time")
    for i in frame.index[frame["allo_hsct"].astype(bool)]:
        r = frame.loc[i]
        end_of_vah = _CYCLES[r["cycles"]] * FIRST_ASSESSMENT_DAY.value / MONTH
        opens = r["crc_time"] if r["crc"] else end_of_vah
        closes = np.nanmin([r["relapse_time"], r["os_time"]])
        if not opens < closes:
            raise DataError(f"patient {r['patient']}: no time for a transplant between "
                            f"{opens:.2f} and {closes:.2f} months")
        out[i] = min(opens + rng.uniform(*delay), (opens + closes) / 2)
    return out


#: Covariates that can switch on during follow-up, and the column holding the month they do
#: (NaN: never). MRD is measured at CRc, so MRD negativity starts there.
TIME_VARYING = {"hsct": "hsct_time", "mrd_neg": "mrd_time"}


def long_format(frame: pd.DataFrame, changes: dict[str, str] | None = None) -> pd.DataFrame:
    """Counting-process rows for ``CoxTimeVaryingFitter``: each patient's OS follow-up cut at the
    months its covariates switch from 0 to 1 (``changes``: covariate -> column of the switch
    time, default ``TIME_VARYING``). Columns ``id``, ``start``, ``stop``, ``event`` (1 only in a
    patient's last row, if they died) and the covariates; a switch at 0 or never (NaN) cuts
    nothing, and a switch at or after the end of follow-up never happens."""
    changes = TIME_VARYING if changes is None else changes
    rows = []
    for pid, r in frame.iterrows():
        end = float(r["os_time"])
        switch = {c: float(r[col]) for c, col in changes.items()}
        cuts = sorted({t for t in switch.values() if 0 < t < end})
        for start, stop in zip([0.0, *cuts], [*cuts, end], strict=True):
            rows.append({"id": pid, "start": start, "stop": stop,
                         "event": int(bool(r["os_event"]) and stop == end),
                         **{c: int(t <= start) for c, t in switch.items()}})
    return pd.DataFrame(rows, columns=["id", "start", "stop", "event", *changes])


def time_varying_cox(terms: list[str], frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Cox model of OS with ``terms`` (keys of ``TIME_VARYING``) as time-varying covariates: a
    patient counts as untransplanted (or not MRD-negative) until the month it happens. HR, 95 %
    CI, Wald P per term, and the patients and deaths."""
    from lifelines import CoxTimeVaryingFitter

    frame = analysis_frame() if frame is None else frame
    data = long_format(frame, {t: TIME_VARYING[t] for t in terms})
    fit = CoxTimeVaryingFitter().fit(data.astype(float), id_col="id", event_col="event",
                                     start_col="start", stop_col="stop")
    s = fit.summary.loc[terms]
    return pd.DataFrame({"term": terms, "hr": s["exp(coef)"].to_numpy(),
                         "low": s["exp(coef) lower 95%"].to_numpy(),
                         "high": s["exp(coef) upper 95%"].to_numpy(), "p": s["p"].to_numpy(),
                         "patients": len(frame), "deaths": int(frame["os_event"].sum())})


#: The landmark (months from the start of VAH). Induction took up to three cycles and CRc came
#: within the first three months; under ``HSCT_DELAY`` every transplant of the reconstruction
#: has happened by six months, so none is misclassified, at the price of leaving out the early
#: deaths.
LANDMARK = 6.0


def landmark_frame(frame: pd.DataFrame, landmark: float = LANDMARK) -> pd.DataFrame:
    """The patients alive and still followed at ``landmark`` (OS time beyond it), with OS
    counted from the landmark and ``hsct`` and ``mrd_neg`` set to the status at the landmark
    (transplanted, or MRD-negative CRc, by then); a patient transplanted later counts as not
    transplanted."""
    out = frame[frame["os_time"] > landmark].copy()
    out["os_time"] = out["os_time"] - landmark
    for term, col in TIME_VARYING.items():
        out[term] = (out[col] <= landmark).astype(int)  # NaN compares False
    return out


def landmark_cox(terms: list[str], landmark: float = LANDMARK,
                 frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Cox model of OS from ``landmark`` on ``terms`` among the patients alive and followed then
    (``landmark_frame``), with the patients and deaths counted."""
    sub = landmark_frame(analysis_frame() if frame is None else frame, landmark)
    out = cox_table(terms, sub)
    out["patients"], out["deaths"] = len(sub), int(sub["os_event"].sum())
    return out


def guarantee_time_table(terms: list[str] | None = None,
                         landmark: float = LANDMARK) -> pd.DataFrame:
    """The multivariable Cox model three ways (default: its terms, ``multivariable_cox``):
    covariates fixed from the start of VAH (naive), a landmark analysis, and transplant and MRD
    as time-varying covariates; one row per method and term."""
    frame = analysis_frame()
    terms = list(multivariable_cox()["term"]) if terms is None else terms
    naive = cox_table(terms, frame)
    naive["patients"], naive["deaths"] = len(frame), int(frame["os_event"].sum())
    parts = {"naive": naive, "landmark": landmark_cox(terms, landmark, frame),
             "time_varying": time_varying_cox(terms, frame)}
    return pd.concat([p.assign(method=k) for k, p in parts.items()], ignore_index=True)


#: Other windows from the opening of the transplant window to allo-HSCT (months), to show how
#: much the time-varying hazard ratio rests on the assumed timing.
DELAY_SENSITIVITY = ((0.5, 1.5), HSCT_DELAY, (2.0, 4.0), (3.0, 6.0))


def transplant_timing(terms: list[str] | None = None,
                      delays: tuple[tuple[float, float], ...] = DELAY_SENSITIVITY
                      ) -> pd.DataFrame:
    """The time-varying Cox model (default: the multivariable terms) with transplant times drawn
    for each window in ``delays`` (same seed), one row per window and term, with the median
    assumed month of transplant."""
    terms = list(multivariable_cox()["term"]) if terms is None else terms
    rows = []
    for low, high in delays:
        frame = analysis_frame()
        frame["hsct_time"] = transplant_times(frame, delay=(low, high))
        fit = time_varying_cox(terms, frame)
        rows.append(fit.assign(delay_low=low, delay_high=high,
                               median_month=float(frame["hsct_time"].median())))
    return pd.concat(rows, ignore_index=True)
