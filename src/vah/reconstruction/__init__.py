"""The reconstructed cohort: a synthetic patient-level cohort fitted to the published counts and
survival summaries (``skeleton``: who had which outcome; ``times``: when; ``calibration``: how
closely it meets the paper, and what it does not model; ``models``: the analyses run on it;
``validation``: what it was fitted to, and the held-out comparisons).

It is **not the trial's data**: a number it was fitted to is never evidence.
"""

from vah.reconstruction.calibration import (
    MEDIAN_TOLERANCE,
    RATE_TOLERANCE,
    SPREAD_SEEDS,
    describe,
    find_seeds,
    is_count,
    ledger_checks,
    meets,
    not_modelled,
    reconstructed,
    seed_spread,
    summaries,
    summary,
    target_table,
    tolerances,
)
from vah.reconstruction.models import (
    COX_TERMS,
    UNIVARIABLE_THRESHOLD,
    aalen_johansen,
    analysis_frame,
    cox_table,
    followup_medians,
    km_fit,
    logrank_p,
    median_table,
    median_with_ci,
    multivariable_cox,
    proportional_hazards_p,
    univariable_cox,
)
from vah.reconstruction.skeleton import cohort, constraint_count, relapse_counts
from vah.reconstruction.times import (
    LATE_SEED,
    MONTH,
    SEARCH_FROM,
    SURVIVAL_SEED,
    draw_times,
    late_events,
)
from vah.reconstruction.validation import FITTED, HELD_OUT, held_out_table
from vah.stats.survival import cumulative_incidence_at, km, km_at, km_median

__all__ = [
    "MEDIAN_TOLERANCE",
    "RATE_TOLERANCE",
    "SPREAD_SEEDS",
    "describe",
    "COX_TERMS",
    "UNIVARIABLE_THRESHOLD",
    "SEARCH_FROM",
    "aalen_johansen",
    "analysis_frame",
    "cohort",
    "constraint_count",
    "cox_table",
    "cumulative_incidence_at",
    "draw_times",
    "find_seeds",
    "FITTED",
    "HELD_OUT",
    "held_out_table",
    "followup_medians",
    "is_count",
    "km",
    "km_at",
    "km_fit",
    "km_median",
    "late_events",
    "LATE_SEED",
    "ledger_checks",
    "logrank_p",
    "median_table",
    "median_with_ci",
    "meets",
    "not_modelled",
    "MONTH",
    "multivariable_cox",
    "proportional_hazards_p",
    "reconstructed",
    "relapse_counts",
    "seed_spread",
    "summaries",
    "summary",
    "SURVIVAL_SEED",
    "target_table",
    "tolerances",
    "univariable_cox",
]
