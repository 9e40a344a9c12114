"""The registry of computed numbers: every value the book shows, in one flat dict.

``registry()`` gathers plain Python values (int, float, str) under dotted keys, grouped by the
module that computes them. `vah results --format json` prints it; tests pin it.
"""

from __future__ import annotations

from functools import cache

from vah.trial import protocol as P
from vah.trial import regimen as R

__all__ = [
    "dosing_results",
    "efficacy_results",
    "ledger_results",
    "registry",
    "survival_results",
]


def dosing_results() -> dict[str, float | int | str]:
    """The worked dose plan of the reference patient and the regimen's constants."""
    plan = R.dose_plan(R.REFERENCE_HEIGHT, R.REFERENCE_WEIGHT)
    out: dict[str, float | int | str] = {
        "dosing.reference_height": R.REFERENCE_HEIGHT,
        "dosing.reference_weight": R.REFERENCE_WEIGHT,
        "dosing.reference_bsa_m2": round(plan.bsa.magnitude, 4),
        "dosing.cyp3a4_min_reduction": R.CYP3A4_MIN_REDUCTION,
        "protocol.mrd_threshold_percent": P.MRD_THRESHOLD_PERCENT.value,
        "protocol.dli_cd3_cells_per_kg": P.DLI_CD3_DOSE.value.magnitude,
        "protocol.data_cutoff": P.DATA_CUTOFF.value.isoformat(),
    }
    for drug, total in plan.totals_mg().items():
        out[f"dosing.reference_total_mg.{drug}"] = round(total, 2)
    return out


def efficacy_results() -> dict[str, float | int | str]:
    """The primary endpoint, its interval by the paper's method, and the test the design implies."""
    from vah import paper as pub
    from vah.display.report import paper_ci
    from vah.stats import binomial, design

    t2 = pub.table2().set_index(["row", "group"])
    out: dict[str, float | int | str] = {}
    for row in ("CRc", "ORR", "CRc_cycle1", "ORR_cycle1"):
        k, n = int(t2.loc[(row, "all"), "n"]), int(t2.loc[(row, "all"), "denominator"])
        lo, hi = paper_ci(k, n)
        out[f"efficacy.{row}.k"] = k
        out[f"efficacy.{row}.n"] = n
        out[f"efficacy.{row}.pct"] = round(100 * k / n, 4)
        out[f"efficacy.{row}.ci_low_pct"] = round(100 * lo, 4)
        out[f"efficacy.{row}.ci_high_pct"] = round(100 * hi, 4)
    d = P.SAMPLE_SIZE_DESIGN
    k, n = out["efficacy.CRc.k"], out["efficacy.CRc.n"]
    out["design.exact_test_p"] = binomial.exact_binomial_test(int(k), int(n), d.p0)
    for method, size in design.sample_size_table(d.p0, d.p1, d.alpha, d.power).items():
        out[f"design.sample_size.{method}"] = size
    return out


def ledger_results() -> dict[str, float | int | str]:
    """How many published numbers the ledger checks, by status."""
    from vah import ledger

    counts = ledger.status_counts()
    return {"ledger.entries": sum(counts.values()),
            **{f"ledger.{status}": n for status, n in counts.items()}}


def survival_results() -> dict[str, float | int | str]:
    """Reconstructed survival summaries."""
    from vah.reconstruction.calibration import summary

    return {f"survival.{k}": v for k, v in summary().items()}


@cache
def _registry() -> dict[str, float | int | str]:
    reg: dict[str, float | int | str] = {}
    for part in (dosing_results, efficacy_results, ledger_results, survival_results):
        reg.update(part())
    return reg


def registry() -> dict[str, float | int | str]:
    """A copy of every computed number, by dotted key."""
    return dict(_registry())
