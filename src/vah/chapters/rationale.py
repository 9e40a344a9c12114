"""The Rationale page: the benchmark the design rests on, and the pilot of the triplet."""

from __future__ import annotations

from functools import cache

from vah import paper as pub
from vah.chapters import Value
from vah.display.figures import setup
from vah.display.figures.rationale import design_logic
from vah.stats import fmt
from vah.trial.background import PILOT, PILOT_PATIENTS
from vah.trial.comparators import comparator
from vah.trial.protocol import SAMPLE_SIZE_DESIGN as D

__all__ = ["PAGE", "figures", "values"]

PAGE = "book/rationale"


@cache
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
    return dict(_values())


def figures() -> dict[str, object]:
    """The design logic: cited range, null hypothesis, target and the observed CRc."""
    setup()
    return {"fig-design-logic": design_logic()}
