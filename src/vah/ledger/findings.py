"""What the ledger finds about the paper's methods: CI methods, P-value tests, sample size, and
which kind of check each entry is."""

from __future__ import annotations

import math
import re
from statistics import NormalDist

import pandas as pd

from vah import paper as pub
from vah.ledger.build import entries, rounding_evidence
from vah.ledger.entries import COHORT_DF_METHOD, Entry, _design, _t975
from vah.paper.folder import cached_on_data
from vah.stats import binomial, contingency, design

__all__ = [
    "ci_method_findings",
    "ci_method_tally",
    "classify_entries",
    "exact_test_finding",
    "logit_critical_by_n",
    "p_method_tally",
    "p_value_findings",
    "rounding_evidence",
    "sample_size_findings",
    "Z975",
]


#: Entry ids that check one of the paper's three tables (a cell, an internal sum, a P value).
_TABLE_ID = re.compile(r"table[123]\.")
#: Entry ids of a 95 % confidence interval.
_INTERVAL_ID = re.compile(r"\.ci$")
#: Recomputations that are a Kaplan-Meier interval (log-log transform).
_KM_RECOMPUTED = re.compile(r"log-log")


def classify_entries(frame: pd.DataFrame) -> pd.DataFrame:
    """What kind of check each entry of a ledger frame is, as boolean columns: ``table`` (it
    checks one of the paper's three tables, else its text), ``interval`` (a 95 % CI) and
    ``km_interval`` (recomputed as a Kaplan-Meier log-log interval); same index as ``frame``."""
    ids, recomputed = frame["id"].astype(str), frame["recomputed"].astype(str)
    return pd.DataFrame({
        "table": [bool(_TABLE_ID.match(i)) for i in ids],
        "interval": [bool(_INTERVAL_ID.search(i)) for i in ids],
        "km_interval": [bool(_KM_RECOMPUTED.search(r)) for r in recomputed]},
        index=frame.index)


def _extras(key: str) -> list[tuple[Entry, dict]]:
    return [(e, e.extra[key]) for e in entries() if key in e.extra]


def ci_method_findings() -> pd.DataFrame:
    """Per published binomial 95 % CI: the methods that reproduce it exactly, those within
    directed rounding, the closest method, and the logit critical values that reproduce it."""
    rows = []
    for e, x in _extras("ci"):
        c_lo, c_hi = x["logit_c"]
        rows.append({"id": e.id, "k": x["k"], "n": x["n"], "published": e.published,
                     "status": e.status, "reproduced_by": ", ".join(x["exact"]),
                     "within_rounding": ", ".join(x["near"]), "closest": x["closest"],
                     "logit_c_low": round(c_lo, 4) if c_lo <= c_hi else math.nan,
                     "logit_c_high": round(c_hi, 4) if c_lo <= c_hi else math.nan})
    return pd.DataFrame(rows)


#: Two-sided 95 % critical value of the normal distribution.
Z975 = NormalDist().inv_cdf(0.975)


def logit_critical_by_n() -> pd.DataFrame:
    """Per group size n: the logit critical values consistent with every printed interval of
    that size (low, high, mid), next to the normal value and Student's t with n - 1 df."""
    ci = ci_method_findings()
    out = ci.groupby("n").agg(low=("logit_c_low", "max"), high=("logit_c_high", "min"))
    out["mid"] = (out["low"] + out["high"]) / 2
    out["normal"] = Z975
    out["t_n_minus_1"] = [_t975(n - 1) for n in out.index]
    return out


def ci_method_tally() -> dict[str, int]:
    """How many published binomial CIs each method reproduces exactly."""
    tally = dict.fromkeys((*binomial.CI_METHODS, COHORT_DF_METHOD), 0)
    for _, x in _extras("ci"):
        for m in x["exact"]:
            tally[m] += 1
    return tally


def p_value_findings() -> pd.DataFrame:
    """Per published P value of a comparison of proportions: each test's P (NaN where the test
    does not apply) and the tests that reproduce the print."""
    rows = []
    for e, x in _extras("p"):
        row = {"id": e.id, "published": e.published, "table": x["shape"], "status": e.status,
               "reproduced_by": ", ".join(x["exact"]),
               "within_rounding": ", ".join(x["near"])}
        row.update({m: x["values"].get(m, math.nan) for m in contingency.P_METHODS})
        rows.append(row)
    return pd.DataFrame(rows)


def p_method_tally() -> dict[str, int]:
    """How many published P values each test reproduces exactly."""
    tally = dict.fromkeys(contingency.P_METHODS, 0)
    for _, x in _extras("p"):
        for m in x["exact"]:
            tally[m] += 1
    return tally


@cached_on_data
def sample_size_findings() -> pd.DataFrame:
    """Every sample-size method for the design (45 % vs 60 %, alpha 5 %, power 80 %), for the
    two-sided test at alpha and the one-sided test at alpha / 2 (the Statistics chapter's), whether
    either gives the paper's 87, and the enrolment after 10 % dropout by division and by
    multiplication (the paper's 96), from the two-sided n."""
    d = _design()
    printed = int(pub.claim("methods.sample_size")["printed"])
    planned = int(pub.claim("methods.planned_n")["printed"])
    rows = []
    for method in design.SAMPLE_SIZE_METHODS:
        n = design.sample_size_one_proportion(d.p0, d.p1, d.alpha, d.power, method)
        one = design.sample_size_one_proportion(d.p0, d.p1, d.alpha / 2, d.power, method,
                                                "greater")
        divided = design.inflate_for_dropout(n, d.dropout)
        multiplied = round(n * (1 + d.dropout))
        rows.append({"method": method, "label": design.SAMPLE_SIZE_LABELS[method], "n": n,
                     "n_one_sided": one, "gives_published_n": printed in (n, one),
                     "enrol_divided": divided, "enrol_multiplied": multiplied,
                     "gives_planned_n": planned in (divided, multiplied)})
    return pd.DataFrame(rows)


@cached_on_data
def exact_test_finding() -> dict:
    """The exact one-sample binomial test of the observed CRc against the historical 45 %
    (the test the design implies; the paper reports none)."""
    t2 = pub.table2().set_index(["row", "group"])
    k, n = int(t2.loc[("CRc", "all"), "n"]), int(t2.loc[("CRc", "all"), "denominator"])
    d = _design()
    return {"k": k, "n": n, "p0": d.p0,
            "p_two_sided": binomial.exact_binomial_test(k, n, d.p0),
            "p_greater": binomial.exact_binomial_test(k, n, d.p0, "greater"),
            "ci_clopper_pearson": binomial.proportion_ci(k, n, "clopper_pearson")}

