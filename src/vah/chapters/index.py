"""The home page: the trial in one paragraph (sites, dates, the benchmark, the primary endpoint)."""

from __future__ import annotations

from vah.chapters import Value, linked
from vah.ledger import basis_counts
from vah.paper.folder import cached_on_data
from vah.stats import fmt
from vah.trial import protocol as P
from vah.trial.comparators import comparator
from vah.trial.regimen import VAH

__all__ = ["PAGE", "values"]

PAGE = "book/index"


@cached_on_data
def _values() -> dict[str, Value | int | str]:
    design = P.SAMPLE_SIZE_DESIGN
    hist = comparator("ven_hma_range")  # the Background's range (no ledger entry checks it)
    return {
        "sites": linked(str(P.SITES.value), "abstract.sites", P.SITES.value),
        "enrol_start": Value(f"{P.ENROLMENT_START.value:%B %Y}", source=P.ENROLMENT_START.source),
        "enrol_end": Value(f"{P.ENROLMENT_END.value:%B %Y}", source=P.ENROLMENT_END.source),
        "cutoff": Value(f"{P.DATA_CUTOFF.value:%-d %B %Y}", source=P.DATA_CUTOFF.source),
        "p0": linked(fmt.pct_of(100 * design.p0, 0), "methods.p0"),
        "hist_range": Value(f"{hist.low:g}–{hist.high:g} %", source=hist.locator),
        "n_drugs": len(VAH.drugs),
        "endpoint_cycles": linked(str(P.PRIMARY_ENDPOINT_CYCLES.value),
                                   "abstract.endpoint_cycles", P.PRIMARY_ENDPOINT_CYCLES.value),
        "n_entries": int(basis_counts()["total"].sum()),
        "n_counts": int(basis_counts().loc["counts", "total"]),
    }


def values() -> dict[str, Value | int | str]:
    """Every number and phrase the home page glues, by key."""
    return dict(_values())
