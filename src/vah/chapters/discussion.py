"""The Discussion page: VAH's CRc beside the response rates the paper cites, and what the
ledger adds to the authors' limitations."""

from __future__ import annotations

import pandas as pd

from vah.chapters import Value
from vah.display.figures import setup
from vah.display.figures.discussion import comparator_plot
from vah.display.subgroups import overall_crc
from vah.display.tables import myst_table
from vah.ledger import (
    basis_counts,
    ci_method_findings,
    ci_method_tally,
    ledger_frame,
    status_counts,
)
from vah.ledger.entries import COHORT_DF_METHOD
from vah.paper import claim
from vah.paper.folder import cached_on_data
from vah.stats import binomial, fmt
from vah.trial.comparators import COMPARATORS, Comparator, comparator

__all__ = ["CITED", "PAGE", "cited_rate", "comparators", "comparators_frame", "figures",
           "values"]

PAGE = "book/discussion"
#: Comparators whose cited rate the prose quotes (glued under their key).
CITED = ("ven_hma_range", "ven_two_drug", "ven_based_range", "ven_flag_ida",
         "ven_ara_c_children", "hht_ara_c", "hag_meta", "ven_gilteritinib", "ven_hma_flt3i")


def cited_rate(c: Comparator) -> str:
    """A cited rate as the paper gives it: ``"11.6–46 %"`` for a range, ``"61 %"`` for one
    value (no trailing zeros: the paper's own digits)."""
    return f"{c.low:g}–{c.high:g} %" if c.is_range else f"{c.low:g} %"


@cached_on_data
def _values() -> dict[str, Value | int | str]:
    ledger = ledger_frame().set_index("id")

    def linked(text: str, entry: str) -> Value:
        return Value(text, entry, ledger.at[entry, "where"])

    k, n = overall_crc()
    lo, hi = binomial.proportion_ci(k, n, "clopper_pearson")
    out: dict[str, Value | int | str] = {
        "vah_crc": linked(fmt.pct(k, n), "discussion.crc"),
        "vah_ci": f"{fmt.ci(lo, hi)} %",
    }
    for key in CITED:
        out[key] = cited_rate(comparator(key))
    flag_n = comparator("ven_flag_ida").n
    if flag_n is None:
        raise ValueError("the FLAG-IDA comparator has no patient count")
    out["flag_n"] = flag_n
    flt3 = claim("discussion.flt3_crc")
    out["flt3"] = linked(f"{int(flt3['k'])}/{int(flt3['n'])}", "discussion.flt3_crc")
    counts = status_counts()
    out["n_mismatch"] = counts["mismatch"]
    out["n_notrec"] = counts["not-recomputable"]
    by_basis = basis_counts()
    out["n_counts"] = int(by_basis.loc["counts", "total"])
    out["n_counts_mismatch"] = int(by_basis.loc["counts", "mismatch"])
    out["n_none"] = int(by_basis.loc["none", "total"])
    out["n_calibrated"] = int(by_basis.loc["calibrated", "total"])
    out["n_held_out"] = int(by_basis.loc["held-out", "total"])
    population = claim("results.survival.dfs_population")
    out["dfs_population"] = linked(population["printed"], "results.survival.dfs_population")
    # the printed intervals: how many the ledger checks, how many Stata's cohort-df logit
    # interval reproduces (the page says "all": it refuses to build if that stops being true)
    out["n_ci"] = len(ci_method_findings())
    out["n_ci_reproduced"] = ci_method_tally()[COHORT_DF_METHOD]
    if out["n_ci_reproduced"] != out["n_ci"]:
        raise ValueError("not every printed interval is reproduced any more: update the "
                         "Discussion's limitations")
    table3 = ledger[ledger.index.str.startswith("table3.") & (ledger["status"] == "mismatch")]
    events = [q.split(",")[0].lower() for q in table3["quantity"]]
    out["n_t3_mismatch"] = len(events)
    out["t3_mismatch_events"] = " and ".join([", ".join(events[:-1]), events[-1]]) \
        if len(events) > 1 else "".join(events)
    return out


def values() -> dict[str, Value | int | str]:
    """Every number and phrase the Discussion page glues, by key."""
    return dict(_values()) | exercise_values()


def figures() -> dict[str, object]:
    """The page's comparator chart, by name."""
    setup()
    return {"fig-comparators": comparator_plot()}


def comparators_frame() -> pd.DataFrame:
    """Every cited comparator: regimen, population, endpoint, rate cited, references and what
    the team found in the cited source."""
    return pd.DataFrame([{"Regimen": c.regimen, "Population": c.population,
                          "Endpoint": c.endpoint, "Rate cited (%)": cited_rate(c),
                          "Ref.": c.refs, "Source check": c.checked or "not checked"}
                         for c in COMPARATORS])


def comparators():
    """The comparator table, for the page."""
    return myst_table(comparators_frame(), caption="Response rates cited by the paper, with the "
                      "team's check of the cited source.", name="tab-comparators",
                      align_numbers=False)


def exercise_values() -> dict[str, str | int]:
    """The numbers that the answers to the page's exercises quote (keys ``ex_*``)."""
    from scipy import stats

    k, n = overall_crc()
    lo, hi = (100 * x for x in binomial.proportion_ci(k, n, "clopper_pearson"))
    inside = [f"{c.regimen} ({cited_rate(c)})" for c in COMPARATORS
              if not c.is_range and lo <= c.low <= hi]
    top = comparator("ven_hma_range").high / 100
    return {"ex_ci": fmt.ci(lo, hi, scale=1) + " %",
            "ex_inside": "; ".join(inside) or "none of them",
            "ex_tail": fmt.power_of_ten(float(stats.binom.sf(k - 1, n, top))),
            "ex_top": fmt.pct_of(100 * top, 0)}
