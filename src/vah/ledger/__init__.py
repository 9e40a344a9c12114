"""The reproduction ledger: every published number, recomputed where possible, with a status.

``ledger_frame()`` is a pure function of the paper's data and of the reconstruction checks it is
handed (by default the reconstructed cohort's); ``findings`` says what the entries show about
the paper's methods.
"""

from vah.ledger.build import (
    basis_counts,
    ledger_frame,
    rounding_evidence,
    section_counts,
    sections,
    status_counts,
)
from vah.ledger.entries import BASES, COLUMNS, PAPER_CI_METHOD, STATUSES
from vah.ledger.findings import (
    Z975,
    ci_method_findings,
    ci_method_tally,
    exact_test_finding,
    logit_critical_by_n,
    p_method_tally,
    p_value_findings,
    sample_size_findings,
)
from vah.ledger.sections import SECTION_TITLES, SECTIONS, section_of
from vah.stats.rounding import compare, round_half_up

__all__ = [
    "Z975",
    "BASES",
    "basis_counts",
    "ci_method_findings",
    "rounding_evidence",
    "ci_method_tally",
    "COLUMNS",
    "compare",
    "exact_test_finding",
    "ledger_frame",
    "logit_critical_by_n",
    "p_method_tally",
    "p_value_findings",
    "PAPER_CI_METHOD",
    "round_half_up",
    "sample_size_findings",
    "section_counts",
    "section_of",
    "SECTION_TITLES",
    "SECTIONS",
    "sections",
    "status_counts",
    "STATUSES",
]
