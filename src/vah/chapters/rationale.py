"""The Rationale page: the benchmark the design rests on, and the pilot of the triplet."""

from __future__ import annotations

from vah import paper as pub
from vah.chapters import Value
from vah.display.figures import setup
from vah.display.figures.rationale import design_logic
from vah.paper.folder import cached_on_data
from vah.stats import binomial, fmt
from vah.trial.background import PILOT, PILOT_PATIENTS
from vah.trial.comparators import comparator
from vah.trial.protocol import SAMPLE_SIZE_DESIGN as D

__all__ = ["PAGE", "figures", "values"]

PAGE = "book/rationale"


@cached_on_data
def _values() -> dict[str, Value | int | str]:
    hist = comparator("ven_hma_range")
    out: dict[str, Value | int | str] = {
        # the cited range as the paper prints it (no ledger entry checks the Background)
        "hist_low": Value(f"{hist.low:g} %", source=hist.locator, value=hist.low),
        "hist_high": Value(f"{hist.high:g} %", source=hist.locator, value=hist.high),
        "hist_refs": Value(hist.refs, source=hist.locator),
        "p0": Value(fmt.pct_of(100 * D.p0, 0), "methods.p0", pub.claim("methods.p0")["loc"]),
        "p1": Value(fmt.pct_of(100 * D.p1, 0), source=D.source),
        "pilot_n": PILOT_PATIENTS,
    }
    for i, result in enumerate(PILOT):
        out[f"pilot_{i}"] = f"{result.k}/{result.n}"
    return out


def values() -> dict[str, Value | int | str]:
    """Every number and phrase the Rationale page glues, by key."""
    return dict(_values()) | exercise_values()


def figures() -> dict[str, object]:
    """The design logic: cited range, null hypothesis, target and the observed CRc."""
    setup()
    return {"fig-design-logic": design_logic()}


def exercise_values() -> dict[str, str | int]:
    """The numbers the answers to the page's exercises quote."""
    n = pub.group_n("all")
    crc = int(pub.table2().set_index(["row", "group"]).loc[("CRc", "all"), "n"])
    bench = D.p0 * n
    pilot = PILOT[1]
    low, high = binomial.proportion_ci(pilot.k, pilot.n, "clopper_pearson")
    return {
        "ex_n": n, "ex_bench_k": fmt.number(bench), "ex_crc": crc,
        "ex_below": f"{int(bench)} ({fmt.pct(int(bench), n)})",
        "ex_above": f"{int(bench) + 1} ({fmt.pct(int(bench) + 1, n)})",
        "ex_margin": fmt.number(crc - bench),
        "ex_pilot": f"{pilot.k}/{pilot.n} ({fmt.pct(pilot.k, pilot.n)})",
        "ex_pilot_ci": fmt.ci(low, high) + " %",
    }
