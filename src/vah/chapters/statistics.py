"""The Design and statistics page: the sample size recomputed, the power of the design, the
test it implies, operating characteristics by simulation, interval methods and P values.

A single-arm superiority design asks one question, whether the CRc rate exceeds the benchmark,
so its test is one-sided (``alternative="greater"``) at ``ONE_SIDED_ALPHA``, half the paper's
significance level: the critical value z(0.975) that reproduces the paper's 87 patients is that
of a two-sided test at 0.05 or, equivalently, of a one-sided test at 0.025. The two-sided test
is shown only as the contrast, its rejections split by direction."""

from __future__ import annotations

import pandas as pd

from vah import paper as pub
from vah.chapters import Value, linked
from vah.display.figures import setup
from vah.display.figures.statistics import power_curve
from vah.display.tables import myst_table
from vah.paper.folder import cached_on_data
from vah.stats import binomial, contingency, design, fmt
from vah.trial.protocol import SAMPLE_SIZE_DESIGN as D

__all__ = ["CONTRAST_RATE", "OC_RATES", "OC_SEED", "OC_SIMS", "ONE_SIDED_ALPHA", "PAGE",
           "ci_frame", "ci_methods", "figures", "oc_frame", "operating_characteristics",
           "sample_size", "sample_size_frame", "values"]

PAGE = "book/statistics"
#: True CRc rates of the simulated operating characteristics.
OC_RATES = (0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70)
#: Seed and number of simulated trials per rate.
OC_SEED = 20200527
OC_SIMS = 20000
#: Level of the one-sided test of H0: p <= p0: the favourable tail of the two-sided 0.05.
ONE_SIDED_ALPHA = D.alpha / 2
#: A true rate below the benchmark, where the two-sided test's rejections go the wrong way.
CONTRAST_RATE = OC_RATES[0]


def _crc() -> tuple[int, int]:
    """The primary endpoint's count: CRc after two cycles, all patients (Table 2)."""
    t2 = pub.table2().set_index(["row", "group"])
    return int(t2.loc[("CRc", "all"), "n"]), int(t2.loc[("CRc", "all"), "denominator"])


@cached_on_data
def _sizes(alternative: str = "two-sided") -> dict[str, int]:
    alpha = D.alpha if alternative == "two-sided" else ONE_SIDED_ALPHA
    return {m: int(s) for m, s in design.sample_size_table(D.p0, D.p1, alpha, D.power,
                                                            alternative).items()}


@cached_on_data
def _cis() -> dict[str, tuple[float, float]]:
    return binomial.all_cis(*_crc())


@cached_on_data
def _values() -> dict[str, Value | int | str]:
    sizes, one_sided = _sizes(), _sizes("greater")
    published_n = int(pub.claim("methods.sample_size")["printed"])
    planned = int(pub.claim("methods.planned_n")["printed"])
    k, n = _crc()
    inflated = int(design.inflate_for_dropout(published_n, D.dropout))
    out: dict[str, Value | int | str] = {
        "p0": linked(fmt.pct_of(100 * D.p0, 0), "methods.p0"),
        "p1": fmt.pct_of(100 * D.p1, 0),
        "delta": linked(f"{fmt.number(100 * (D.p1 - D.p0), 0)} percentage points",
                         "methods.improvement"),
        "alpha": linked(f"{D.alpha:g}", "methods.alpha"),
        "power": linked(fmt.pct_of(100 * D.power, 0), "methods.power"),
        "dropout": linked(fmt.pct_of(100 * D.dropout, 0), "methods.dropout"),
        "n_published": linked(published_n, "methods.sample_size", published_n),
        "n_planned": linked(planned, "methods.planned_n", planned),
        "n_arcsine": linked(sizes["arcsine"], "methods.sample_size", sizes["arcsine"]),
        "n_mean_var": linked(sizes["normal_mean_var"], "methods.sample_size",
                             sizes["normal_mean_var"]),
        "n_ss_methods": len(sizes),
        "n_normal": sizes["normal_null_var"],
        "alpha_one": f"{ONE_SIDED_ALPHA:g}",
        "n_arcsine_one_at_alpha": design.sample_size_one_proportion(
            D.p0, D.p1, D.alpha, D.power, "arcsine", "greater"),
        # the exact test of the one-sided design, and the two-sided one for contrast
        "n_exact": one_sided["exact"],
        "n_exact_stable": one_sided["exact_stable"],
        "n_exact_two": sizes["exact"],
        "two_upper_size_at_n_exact_two": fmt.pct_of(100 * design.power_by_direction(
            sizes["exact"], D.p0, D.p0, D.alpha)["greater"], 2),
        # n / (1 - dropout): the ledger's recomputation of the planned enrolment
        "n_inflated": linked(inflated, "methods.planned_n", inflated),
        "n_times": fmt.number(published_n * (1 + D.dropout)),
        "n_left": fmt.number(planned * (1 - D.dropout)),
        "k": linked(k, "results.efficacy.crc_c2.numerator", k),
        "n": linked(n, "results.patients.enrolled", n),
    }
    out["p_exact"] = fmt.power_of_ten(binomial.exact_binomial_test(k, n, D.p0))
    out["p_exact_greater"] = fmt.power_of_ten(binomial.exact_binomial_test(k, n, D.p0, "greater"))
    out["k_needed"] = int(min(design.exact_rejection_region(n, D.p0, ONE_SIDED_ALPHA, "greater")))
    out["power_at_n"] = fmt.pct_of(100 * _one_sided_power(n, D.p1), 0)
    out["size_exact"] = fmt.pct_of(100 * _one_sided_power(n, D.p0), 2)
    out |= _contrast(n)
    out["oc_seed"] = OC_SEED
    out["oc_sims"] = OC_SIMS
    oc = _oc()  # the gap in standard errors of the exact probability (never zero here)
    se = (oc["exact"] * (1 - oc["exact"]) / OC_SIMS) ** 0.5
    out["oc_max_se"] = fmt.number(float(((oc["simulated"] - oc["exact"]).abs() / se).max()), 1)
    out["n_ci_methods"] = len(_cis())
    t2 = pub.table2().set_index(["row", "group"])
    out["paper_ci"] = linked(fmt.ci(t2.loc[("CRc", "all"), "ci_low"],
                                     t2.loc[("CRc", "all"), "ci_high"], scale=1),
                              "table2.CRc.all.ci")
    crc = [int(t2.loc[("CRc", g), "n"]) for g in pub.DISEASE_GROUPS]
    totals = [pub.group_n(g) for g in pub.DISEASE_GROUPS]
    pv = contingency.all_p_values(contingency.table_from_groups(crc, totals))
    out["crc_chi2"] = linked(fmt.p_value(pv["chi2"]), "table2.p.CRc")
    out["crc_fisher"] = fmt.p_value(pv["fisher_exact"])
    out["crc_lr"] = fmt.p_value(pv["likelihood_ratio"])
    return out


def _one_sided_power(n: int, p: float) -> float:
    """P(the exact one-sided test rejects H0: p <= p0 in VAH's favour) at true rate p."""
    return design.power_one_proportion(n, D.p0, p, ONE_SIDED_ALPHA, "exact", "greater")


def _contrast(n: int) -> dict[str, str]:
    """The two-sided exact test at the paper's level, its rejections split by direction, at
    the benchmark and at a true rate below it."""
    out: dict[str, str] = {"contrast_rate": fmt.pct_of(100 * CONTRAST_RATE, 0)}
    for key, p in (("null", D.p0), ("low", CONTRAST_RATE)):
        split = design.power_by_direction(n, D.p0, p, D.alpha)
        # two decimals, so that the parts visibly add up and a rare event does not round to 0
        out[f"two_{key}"] = fmt.pct_of(100 * (split["greater"] + split["less"]), 2)
        out[f"two_{key}_better"] = fmt.pct_of(100 * split["greater"], 2)
        out[f"two_{key}_worse"] = fmt.pct_of(100 * split["less"], 2)
    return out


def values() -> dict[str, Value | int | str]:
    """Every number and phrase the Design and statistics page glues, by key."""
    return dict(_values()) | exercise_values()


def figures() -> dict[str, object]:
    """The power curve of the design with the enrolled sample, by glue name."""
    setup()
    k, n = _crc()
    return {"fig-power": power_curve(n, D.p0, D.p1, ONE_SIDED_ALPHA, D.power, observed=k / n,
                                     two_sided_alpha=D.alpha)}


def sample_size_frame() -> pd.DataFrame:
    """Sample size for the design's assumptions, by method, for the two-sided test at the
    paper's level and the one-sided test at half of it (only the exact binomial test's rows
    differ)."""
    sizes, one_sided = _sizes(), _sizes("greater")
    return pd.DataFrame({"Method": [design.SAMPLE_SIZE_LABELS[m] for m in sizes],
                         f"Two-sided test at {D.alpha:g}": list(sizes.values()),
                         f"One-sided test at {ONE_SIDED_ALPHA:g}": [one_sided[m]
                                                                    for m in sizes]})


def sample_size():
    """The sample-size table, for the page."""
    return myst_table(sample_size_frame(), caption="Sample size for the design's assumptions, "
                      f"by method, for the two-sided test at {D.alpha:g} and the one-sided "
                      f"(superiority) test at {ONE_SIDED_ALPHA:g}.", name="tab-sample-size")


@cached_on_data
def _oc() -> pd.DataFrame:
    """The one-sided exact test's operating characteristics, simulated (seed ``OC_SEED``,
    ``OC_SIMS`` trials per rate) and exact."""
    _, n = _crc()
    return design.operating_characteristics(n, D.p0, list(OC_RATES), ONE_SIDED_ALPHA,
                                            n_sim=OC_SIMS, seed=OC_SEED, alternative="greater")


def oc_frame() -> pd.DataFrame:
    """Operating characteristics with the enrolled sample, by true CRc rate: the probability
    that the one-sided exact test rejects H0: p <= p0 in VAH's favour (simulated, with its
    Monte Carlo SE, and exact) and its normal approximation; for contrast, the two-sided exact
    test's rejection probability split into rejections for and against VAH."""
    _, n = _crc()
    oc = _oc()
    split = design.power_by_direction(n, D.p0, list(OC_RATES), D.alpha)

    def three(xs) -> list[str]:  # four decimals: the Monte Carlo SE of a rare event is small
        return [fmt.number(float(x), 4) for x in xs]

    return pd.DataFrame({
        "True CRc rate": [fmt.pct_of(100 * p, 0) for p in oc["p_true"]],
        "VAH better, simulated": three(oc["simulated"]),
        "Monte Carlo SE": three(oc["mc_se"]),
        "VAH better, exact": three(oc["exact"]),
        "VAH better, normal approximation": three(oc["normal"]),
        "Two-sided: rejects for VAH": three(split["greater"]),
        "Two-sided: rejects against VAH": three(split["less"]),
    })


def operating_characteristics():
    """The operating-characteristics table, for the page."""
    caption = (f"Operating characteristics with the enrolled sample: probability of declaring "
               f"VAH better, that is of rejecting H0: CRc rate ≤ {fmt.pct_of(100 * D.p0, 0)} "
               f"with the one-sided test at {ONE_SIDED_ALPHA:g} (simulated with {OC_SIMS} "
               f"trials per rate, seed {OC_SEED}; exact; normal approximation). The last two "
               f"columns split the rejections of the two-sided exact test at {D.alpha:g} by "
               "direction, for contrast.")
    return myst_table(oc_frame(), caption=caption, name="tab-oc")


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


def exercise_values() -> dict[str, str | int]:
    """The numbers that the answers to the page's exercises quote (keys ``ex_*``)."""
    half = design.sample_size_one_proportion(D.p0, (D.p0 + D.p1) / 2, D.alpha, D.power, "arcsine")
    full = design.sample_size_one_proportion(D.p0, D.p1, D.alpha, D.power, "arcsine")
    a = D.alpha / 2
    start = design.sample_size_one_proportion(D.p0, D.p1, a, D.power, "exact", "greater")
    power = [design.power_one_proportion(m, D.p0, D.p1, a, "exact", "greater")
             for m in (start, start + 1)]
    return {"ex_half_n": int(half), "ex_full_n": int(full), "ex_ratio": fmt.number(half / full),
            "ex_start": int(start), "ex_start_power": fmt.number(power[0], 3),
            "ex_next_power": fmt.number(power[1], 3)}
