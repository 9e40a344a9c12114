"""The Efficacy page: Table 2 rebuilt, the primary endpoint and its interval, response by cycle
and by prior hypomethylating agent, and what happened to patients after the response."""

from __future__ import annotations

from vah import paper as pub
from vah.chapters import Value, linked
from vah.display.figures import setup
from vah.display.figures.efficacy import interval_comparison, response_bars
from vah.display.report import ABBREVIATIONS, paper_ci, table2_frame
from vah.display.tables import myst_table
from vah.ledger import ledger_frame
from vah.paper.folder import cached_on_data
from vah.stats import binomial, contingency, fmt
from vah.trial.protocol import MRD_THRESHOLD_PERCENT, PRIMARY_ENDPOINT_CYCLES, SAMPLE_SIZE_DESIGN

__all__ = ["DIFFERENCE_METHOD", "HMA_CLAIMS", "PAGE", "PATHS", "RESPONSE_ROWS", "figures",
           "signed_points", "table2", "values"]

PAGE = "book/efficacy"
#: Table 2 rows whose all-patient count and rate the page quotes.
RESPONSE_ROWS = ("CRc", "CR", "CRi", "PR", "NR", "ORR", "CRc_cycle1", "ORR_cycle1", "MRDneg_CRc")
#: Response with and without prior hypomethylating agent: (key, claim id).
HMA_CLAIMS = (("crc_yes", "results.efficacy.crc_hma_yes"),
              ("crc_no", "results.efficacy.crc_hma_no"),
              ("orr_yes", "results.efficacy.orr_hma_yes"),
              ("orr_no", "results.efficacy.orr_hma_no"))
#: The interval for a difference of two rates (Newcombe's hybrid score interval).
DIFFERENCE_METHOD = "newcombe"
#: What happened next, as the Results tell it: path -> the ledger entry of its denominator (the
#: claim's own entry when the denominator is printed in the same statement, the entry of the
#: statement that gives it otherwise).
PATHS = {
    "crc_to_hsct": "results.efficacy.crc_to_hsct.denominator",
    "crc_consolidation": "results.efficacy.crc_consolidation.denominator",
    "crc_gave_up": "results.efficacy.crc_gave_up.denominator",
    "noncrc_salvage": "results.efficacy.noncrc_n",
    "noncrc_gave_up": "results.efficacy.noncrc_n",
    "salvage_crc": "results.efficacy.salvage_crc",
    "dli": "results.efficacy.dli.denominator",
    "agvhd": "results.efficacy.dli",
    "cgvhd": "results.efficacy.dli",
}


def _claim_kn(claim_id: str) -> tuple[int, int]:
    c = pub.claim(claim_id)
    return int(c["k"]), int(c["n"])


def _response_values(out: dict[str, Value | int | str]) -> None:
    t2 = pub.table2().set_index(["row", "group"])
    for row in RESPONSE_ROWS:
        k, n = int(t2.loc[(row, "all"), "n"]), int(t2.loc[(row, "all"), "denominator"])
        out[f"{row}_k"] = linked(k, f"table2.{row}.all", k)
        out[f"{row}_pct"] = linked(fmt.pct(k, n), f"table2.{row}.all")
    crc_k, n_all = int(t2.loc[("CRc", "all"), "n"]), pub.group_n("all")
    out["crc_ci"] = linked(f"{fmt.ci(*paper_ci(crc_k, n_all))} %", "table2.CRc.all.ci")
    lo, hi = binomial.proportion_ci(crc_k, n_all, "clopper_pearson")
    out["crc_ci_cp"] = f"{fmt.ci(lo, hi)} %"
    out["lower_above_p0"] = "above" if lo > SAMPLE_SIZE_DESIGN.p0 else "not above"
    out["gain_crc"] = crc_k - int(t2.loc[("CRc_cycle1", "all"), "n"])


def signed_points(x: float) -> str:
    """A difference of proportions in percentage points with its sign: ``-0.111 -> "−11.1"``,
    ``0.072 -> "+7.2"`` (a true minus sign; zero has none)."""
    text = fmt.number(100 * abs(x))
    if float(text) == 0:
        return text
    return ("−" if x < 0 else "+") + text


def _hma_values(out: dict[str, Value | int | str]) -> None:
    hma = {key: _claim_kn(cid) for key, cid in HMA_CLAIMS}
    for key, cid in HMA_CLAIMS:
        k, n = hma[key]
        out[f"hma_{key}"] = linked(f"{k}/{n} ({fmt.pct(k, n)})", cid)
    for what in ("crc", "orr"):
        (k1, n1), (k2, n2) = hma[f"{what}_yes"], hma[f"{what}_no"]
        p = contingency.p_value_from_groups([k1, k2], [n1, n2], "chi2")
        out[f"hma_{what}_p"] = linked(fmt.p_value(p), f"results.efficacy.{what}_hma_p")
        out[f"hma_{what}_p_fisher"] = fmt.p_value(
            contingency.p_value_from_groups([k1, k2], [n1, n2], "fisher_exact"))
        # with minus without prior HMA, and its 95 % interval: what the data can exclude
        lo, hi = binomial.difference_ci(k1, n1, k2, n2, DIFFERENCE_METHOD)
        if not lo < 0 < hi:  # the page reads the interval as "a loss of up to ... or a gain"
            raise ValueError(f"the {what} difference interval no longer contains zero: "
                             "rewrite the Efficacy page's sentence on prior HMA")
        out[f"hma_{what}_diff"] = signed_points(k1 / n1 - k2 / n2)
        out[f"hma_{what}_diff_ci"] = f"{signed_points(lo)} to {signed_points(hi)}"
        out[f"hma_{what}_diff_low"] = fmt.number(100 * abs(lo), 0)
        out[f"hma_{what}_diff_high"] = fmt.number(100 * abs(hi), 0)


@cached_on_data
def _values() -> dict[str, Value | int | str]:
    n_all = pub.group_n("all")
    out: dict[str, Value | int | str] = {
        "n_all": linked(n_all, "results.patients.enrolled", n_all),
        "cycles": linked(PRIMARY_ENDPOINT_CYCLES.value, "abstract.endpoint_cycles",
                          PRIMARY_ENDPOINT_CYCLES.value),
        "p0": linked(fmt.pct_of(100 * SAMPLE_SIZE_DESIGN.p0, 0), "methods.p0"),
    }
    _response_values(out)
    _hma_values(out)
    for name, n_entry in PATHS.items():
        entry = f"results.efficacy.{name}"
        k, n = _claim_kn(entry)
        out[f"{name}_k"] = linked(k, entry, k)
        out[f"{name}_n"] = linked(n, n_entry, n)
        out[f"{name}_pct"] = linked(fmt.pct(k, n), entry)
    eff = ledger_frame("efficacy")
    out["eff_checks"] = len(eff)
    out["eff_mismatch"] = int((eff["status"] == "mismatch").sum())
    out["eff_match"] = int((eff["status"] == "match").sum())
    return out


def values() -> dict[str, Value | int | str]:
    """Every number and phrase the Efficacy page glues, by key."""
    return dict(_values()) | exercise_values()


def figures() -> dict[str, object]:
    """The response composition by group and the CRc intervals by method, by glue name."""
    setup()
    return {"fig-response-bars": response_bars(), "fig-crc-intervals": interval_comparison("CRc")}


def table2():
    """Table 2 (responses) rebuilt, for the page."""
    return myst_table(table2_frame(),
                      caption="Responses by disease group, recomputed from the published counts. "
                              "Rates with their 95 % CI (Stata's logit interval).",
                      name="tab-table2",
                      notes="† MRD-negative CRc as a share of the group's CRc (flow cytometry, "
                            f"threshold {MRD_THRESHOLD_PERCENT.value:g}\u00a0%). P (paper): as "
                            "printed; P (χ²): recomputed from the printed counts. "
                            + ABBREVIATIONS)


def exercise_values() -> dict[str, str | int]:
    """The numbers that the answers to the page's exercises quote (keys ``ex_*``)."""
    crc = pub.table2().set_index(["row", "group"]).loc["CRc"]
    k, n = int(crc.at["all", "n"]), int(crc.at["all", "denominator"])
    widths = [(lambda ci: 100 * (ci[1] - ci[0]))(binomial.proportion_ci(kk, nn, "clopper_pearson"))
              for kk, nn in ((k, n), (k // 2, n // 2))]
    groups = ["refractory", "relapsed_chemo", "relapsed_hsct"]
    ps = contingency.all_p_values(contingency.table_from_groups(
        [int(crc.at[g, "n"]) for g in groups], [int(crc.at[g, "denominator"]) for g in groups]))
    printed = pub.table2_pvalues().set_index("row").at["CRc", "p_printed"]
    which = [contingency.P_METHOD_LABELS[m] for m in ("chi2", "fisher_exact")
             if fmt.p_value(ps[m]) == printed]
    return {"ex_w_full": fmt.number(widths[0]), "ex_w_half": fmt.number(widths[1]),
            "ex_ratio": fmt.number(widths[1] / widths[0], 2),
            "ex_chi2": fmt.p_value(ps["chi2"]), "ex_fisher": fmt.p_value(ps["fisher_exact"]),
            "ex_printed": printed, "ex_which": " and ".join(which) or "neither"}
