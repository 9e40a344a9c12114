"""The Design and statistics page: the sample size recomputed, the power of the design, the
test it implies, operating characteristics by simulation, interval methods and P values."""

from __future__ import annotations

from functools import cache

import pandas as pd

from vah import paper as pub
from vah.chapters import Value
from vah.display.figures import setup
from vah.display.figures.statistics import power_curve
from vah.display.tables import myst_table
from vah.ledger import ledger_frame
from vah.stats import binomial, contingency, design, fmt
from vah.trial.protocol import SAMPLE_SIZE_DESIGN as D

__all__ = ["OC_RATES", "OC_SEED", "OC_SIMS", "PAGE", "ci_frame", "ci_methods", "figures",
           "oc_frame", "operating_characteristics", "sample_size", "sample_size_frame",
           "values"]

PAGE = "book/statistics"
#: True CRc rates of the simulated operating characteristics.
OC_RATES = (0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70)
#: Seed and number of simulated trials per rate.
OC_SEED = 20200527
OC_SIMS = 20000


@cache
def _where() -> dict[str, str]:
    return ledger_frame().set_index("id")["where"].to_dict()


def _linked(text: object, entry: str, value: float | int | str | None = None) -> Value:
    return Value(str(text), entry, _where()[entry], value)


def _crc() -> tuple[int, int]:
    """The primary endpoint's count: CRc after two cycles, all patients (Table 2)."""
    t2 = pub.table2().set_index(["row", "group"])
    return int(t2.loc[("CRc", "all"), "n"]), int(t2.loc[("CRc", "all"), "denominator"])


@cache
def _sizes() -> dict[str, int]:
    return {m: int(s) for m, s in design.sample_size_table(D.p0, D.p1, D.alpha,
                                                            D.power).items()}


@cache
def _cis() -> dict[str, tuple[float, float]]:
    return binomial.all_cis(*_crc())


@cache
def _values() -> dict[str, Value | int | str]:
    sizes = _sizes()
    published_n = int(pub.claim("methods.sample_size")["printed"])
    planned = int(pub.claim("methods.planned_n")["printed"])
    k, n = _crc()
    inflated = int(design.inflate_for_dropout(published_n, D.dropout))
    out: dict[str, Value | int | str] = {
        "p0": _linked(fmt.pct_of(100 * D.p0, 0), "methods.p0"),
        "p1": fmt.pct_of(100 * D.p1, 0),
        "delta": _linked(f"{fmt.number(100 * (D.p1 - D.p0), 0)} percentage points",
                         "methods.improvement"),
        "alpha": _linked(f"{D.alpha:g}", "methods.alpha"),
        "power": _linked(fmt.pct_of(100 * D.power, 0), "methods.power"),
        "dropout": _linked(fmt.pct_of(100 * D.dropout, 0), "methods.dropout"),
        "n_published": _linked(published_n, "methods.sample_size", published_n),
        "n_planned": _linked(planned, "methods.planned_n", planned),
        "n_arcsine": _linked(sizes["arcsine"], "methods.sample_size", sizes["arcsine"]),
        "n_ss_methods": len(sizes),
        "n_normal": sizes["normal_null_var"],
        "n_exact": sizes["exact"],
        "n_exact_stable": sizes["exact_stable"],
        # n / (1 - dropout): the ledger's recomputation of the planned enrolment
        "n_inflated": _linked(inflated, "methods.planned_n", inflated),
        "n_times": fmt.number(published_n * (1 + D.dropout)),
        "n_left": fmt.number(planned * (1 - D.dropout)),
        "k": _linked(k, "results.efficacy.crc_c2.numerator", k),
        "n": _linked(n, "results.patients.enrolled", n),
    }
    out["p_exact"] = fmt.power_of_ten(binomial.exact_binomial_test(k, n, D.p0))
    out["p_exact_greater"] = fmt.power_of_ten(binomial.exact_binomial_test(k, n, D.p0, "greater"))
    region = design.exact_rejection_region(n, D.p0, D.alpha)
    out["k_needed"] = int(min(r for r in region if r > n * D.p0))
    out["power_at_n"] = fmt.pct_of(
        100 * design.power_one_proportion(n, D.p0, D.p1, D.alpha, "exact"), 0)
    out["size_exact"] = fmt.pct_of(
        100 * design.power_one_proportion(n, D.p0, D.p0, D.alpha, "exact"))
    out["oc_seed"] = OC_SEED
    out["oc_sims"] = OC_SIMS
    out["n_ci_methods"] = len(_cis())
    t2 = pub.table2().set_index(["row", "group"])
    out["paper_ci"] = _linked(fmt.ci(t2.loc[("CRc", "all"), "ci_low"],
                                     t2.loc[("CRc", "all"), "ci_high"], scale=1),
                              "table2.CRc.all.ci")
    crc = [int(t2.loc[("CRc", g), "n"]) for g in pub.DISEASE_GROUPS]
    totals = [pub.group_n(g) for g in pub.DISEASE_GROUPS]
    pv = contingency.all_p_values(contingency.table_from_groups(crc, totals))
    out["crc_chi2"] = _linked(fmt.p_value(pv["chi2"]), "table2.p.CRc")
    out["crc_fisher"] = fmt.p_value(pv["fisher_exact"])
    out["crc_lr"] = fmt.p_value(pv["likelihood_ratio"])
    return out


def values() -> dict[str, Value | int | str]:
    """Every number and phrase the Design and statistics page glues, by key."""
    return dict(_values())


def figures() -> dict[str, object]:
    """The power curve of the design with the enrolled sample, by glue name."""
    setup()
    k, n = _crc()
    return {"fig-power": power_curve(n, D.p0, D.p1, D.alpha, D.power, observed=k / n)}


def sample_size_frame() -> pd.DataFrame:
    """Sample size for the design's assumptions, by method."""
    sizes = _sizes()
    return pd.DataFrame({"Method": [design.SAMPLE_SIZE_LABELS[m] for m in sizes],
                         "Patients": list(sizes.values())})


def sample_size():
    """The sample-size table, for the page."""
    return myst_table(sample_size_frame(), caption="Sample size for the design's assumptions, "
                      "by method.", name="tab-sample-size")


def oc_frame() -> pd.DataFrame:
    """Operating characteristics of the exact test with the enrolled sample: simulated and
    exact rejection probabilities by true CRc rate."""
    _, n = _crc()
    oc = design.operating_characteristics(n, D.p0, list(OC_RATES), D.alpha, n_sim=OC_SIMS,
                                          seed=OC_SEED)
    return pd.DataFrame({"True CRc rate": [fmt.pct_of(100 * p, 0) for p in oc["p_true"]],
                         "Rejections, simulated": [fmt.number(s, 3) for s in oc["simulated"]],
                         "Monte Carlo SE": [fmt.number(s, 3) for s in oc["mc_se"]],
                         "Rejection probability, exact": [fmt.number(e, 3)
                                                          for e in oc["exact"]]})


def operating_characteristics():
    """The operating-characteristics table, for the page."""
    return myst_table(oc_frame(), caption="Operating characteristics of the exact test with the "
                      "enrolled sample: probability of declaring VAH better than the benchmark.",
                      name="tab-oc")


def ci_frame() -> pd.DataFrame:
    """95 % intervals of the primary endpoint (CRc, all patients) by method, with widths."""
    cis = _cis()
    return pd.DataFrame({"Method": [binomial.CI_METHOD_LABELS[m] for m in cis],
                         "95 % CI (per cent)": [fmt.ci(lo, hi) for lo, hi in cis.values()],
                         "Width": [fmt.number(100 * (hi - lo)) for lo, hi in cis.values()]})


def ci_methods():
    """The interval-methods table, for the page."""
    return myst_table(ci_frame(), caption="95 % confidence intervals for the primary endpoint "
                      "by method.", name="tab-ci-methods")
