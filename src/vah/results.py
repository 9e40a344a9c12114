"""The registry of computed numbers: every value the book shows, in one flat dict.

``registry()`` gathers plain Python values (int, float, str) under dotted keys, grouped by the
module that computes them. `vah results --format json` prints it; tests pin it.
"""

from __future__ import annotations

from functools import cache

from vah import protocol as P
from vah import regimen as R


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


@cache
def _registry() -> dict[str, float | int | str]:
    reg: dict[str, float | int | str] = {}
    for part in (dosing_results,):
        reg.update(part())
    return reg


def registry() -> dict[str, float | int | str]:
    """A copy of every computed number, by dotted key."""
    return dict(_registry())
