"""The Protocol page: eligibility, the regimen, a worked dose plan, interacting drugs and DLI."""

from __future__ import annotations

from functools import cache

import pandas as pd
from IPython.display import Markdown

from vah import paper as pub
from vah.chapters import Value
from vah.display.figures import setup
from vah.display.figures.dosing import dosing_calendar
from vah.display.tables import myst_table
from vah.stats import fmt
from vah.trial import interactions as I
from vah.trial import protocol as P
from vah.trial import regimen as R
from vah.trial.bsa import FORMULAS, body_surface_area

__all__ = ["PAGE", "exclusions", "figures", "inhibitors", "regimen", "values"]

PAGE = "book/protocol"
#: Inhibitor classes whose label and protocol venetoclax totals the prose quotes.
QUOTED_INHIBITORS = ("strong", "posaconazole")


def _linked(text: str, entry: str, value: float | int | str | None = None) -> Value:
    """``text`` restating the published number that ledger entry ``entry`` checks."""
    return Value(text, entry, pub.claim(entry)["loc"], value)


def _constant(text: str, constant: P.Constant) -> Value:
    """``text`` showing a protocol constant, with the constant's locator in the paper."""
    return Value(text, source=constant.source)


def _eligibility() -> dict[str, Value]:
    (age_lo, age_hi), (ecog_lo, ecog_hi) = P.AGE_RANGE_YEARS.value, P.ECOG_RANGE.value
    return {
        "age_lo": _linked(str(age_lo), "abstract.age_min", age_lo),
        "age_hi": _linked(str(age_hi), "abstract.age_max", age_hi),
        "ecog_lo": _linked(str(ecog_lo), "abstract.ecog_min", ecog_lo),
        "ecog_hi": _linked(str(ecog_hi), "abstract.ecog_max", ecog_hi),
        "sites": _linked(str(P.SITES.value), "abstract.sites", P.SITES.value),
        "refr_reduction": _constant(f"{P.REFRACTORY_BLAST_REDUCTION_PERCENT.value:g} %",
                                    P.REFRACTORY_BLAST_REDUCTION_PERCENT),
        "refr_cycles": P.PRIMARY_ENDPOINT_CYCLES.value,
        "relapse_blasts": _constant(f"{P.RELAPSE_MARROW_BLASTS_PERCENT.value:g} %",
                                    P.RELAPSE_MARROW_BLASTS_PERCENT),
        "gvhd_pred": _constant(f"{P.GVHD_PREDNISONE_MG_PER_KG.value:~P}",
                               P.GVHD_PREDNISONE_MG_PER_KG),
    }


def _regimen() -> dict[str, Value | int | str]:
    ven, aza, hht = R.VENETOCLAX, R.AZACITIDINE, R.HOMOHARRINGTONINE
    target = ven.steps[-1].dose.magnitude
    return {
        "ven_text": R.schedule_text(ven),
        "aza_text": _linked(R.schedule_text(aza), "abstract.aza_dose"),
        "hht_text": _linked(R.schedule_text(hht), "abstract.hht_dose"),
        "ven_days": ven.last_day - ven.first_day + 1,
        "aza_days": aza.last_day - aza.first_day + 1,
        "ven_target": _linked(f"{target:g} mg", "abstract.ven_target", target),
        "ven_ramp_days": len(ven.steps),
        "calendar_days": R.VAH.calendar_days,
        "marrow_day": P.FIRST_ASSESSMENT_DAY.value,
    }


def _dose_plan() -> dict[str, Value | int | str]:
    height, weight = R.REFERENCE_HEIGHT, R.REFERENCE_WEIGHT
    plan = R.dose_plan(height, weight)
    totals = plan.totals_mg()
    bsas = [body_surface_area(height, weight, name).magnitude for name in FORMULAS]
    out: dict[str, Value | int | str] = {
        "ref_height": height,
        "ref_weight": weight,
        "ref_bsa": f"{fmt.number(plan.bsa.magnitude, 2)} m²",
        "ref_aza_daily": fmt.dose(plan.daily_mg["azacitidine"][1]),
        "ref_hht_daily": fmt.dose(plan.daily_mg["homoharringtonine"][1], 2),
        "ref_ven_total": fmt.dose(totals["venetoclax"]),
        "ref_aza_total": fmt.dose(totals["azacitidine"]),
        "ref_hht_total": fmt.dose(totals["homoharringtonine"], 1),
        "bsa_spread": fmt.pct_of(100 * (max(bsas) / min(bsas) - 1)),
        "n_formulas": len(FORMULAS),
    }
    for key in QUOTED_INHIBITORS:
        other = R.dose_plan(height, weight, inhibitor=key)
        out[f"ref_ven_total_{key}"] = fmt.dose(other.totals_mg()["venetoclax"])
        out[f"ref_ven_protocol_{key}"] = fmt.dose(sum(other.protocol_venetoclax_mg.values()))
    return out


def _interactions() -> dict[str, Value | int | str]:
    out: dict[str, Value | int | str] = {
        "cyp_reduction": fmt.pct_of(100 * R.CYP3A4_MIN_REDUCTION, 0),
        "disclaimer": I.DISCLAIMER,
        "dli_dose": _constant(fmt.power_of_ten(P.DLI_CD3_DOSE.value.magnitude), P.DLI_CD3_DOSE),
        "dli_day": P.DLI_DAY.value,
        "dli_max": P.DLI_MAX_INFUSIONS.value,
        "ref_dli_cells": fmt.power_of_ten(P.dli_cells(R.REFERENCE_WEIGHT).magnitude),
        "mrd_threshold": _constant(f"{P.MRD_THRESHOLD_PERCENT.value:g} %",
                                   P.MRD_THRESHOLD_PERCENT),
    }
    for key in I.INHIBITORS:
        out[f"label_{key}"] = I.RULES[key].label_text  # the US label's rule, not the paper
    return out


@cache
def _values() -> dict[str, Value | int | str]:
    return {**_eligibility(), **_regimen(), **_dose_plan(), **_interactions()}


def values() -> dict[str, Value | int | str]:
    """Every number and phrase the Protocol page glues, by key."""
    return dict(_values())


def figures() -> dict[str, object]:
    """The dosing calendar of one cycle."""
    setup()
    return {"fig-dosing-calendar": dosing_calendar()}


def exclusions() -> Markdown:
    """The exclusion criteria, as a bulleted list."""
    return Markdown("Patients were **excluded** for any of the following:\n\n"
                    + "\n".join(f"- {item}" for item in P.EXCLUSIONS))


def regimen():
    """The regimen table: one row per dose step."""
    return myst_table(pd.DataFrame(R.regimen_rows()), caption="The VAH regimen, one cycle.",
                      name="tab-regimen", align_numbers=False)


def inhibitors():
    """Venetoclax with a CYP3A or P-gp inhibitor for the reference patient: protocol and label."""
    return myst_table(
        pd.DataFrame(R.inhibitor_table(R.REFERENCE_HEIGHT, R.REFERENCE_WEIGHT)),
        caption="Venetoclax with a CYP3A or P-gp inhibitor: the trial protocol's rule against "
                "the US label for AML. Each cell lists the daily doses of the ramp-up and then "
                "the dose held to the last venetoclax day.",
        name="tab-inhibitors", align_numbers=False)
