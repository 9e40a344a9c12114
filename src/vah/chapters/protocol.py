"""The Protocol page: eligibility, the regimen, a worked dose plan, interacting drugs and DLI,
and what else patients received (the co-treatments that confound the FLT3 and transplant
comparisons)."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from vah import paper as pub
from vah.chapters import Value, linked
from vah.display.figures import setup
from vah.display.figures.dosing import dosing_calendar
from vah.display.tables import myst_table
from vah.paper.folder import cached_on_data
from vah.stats import fmt
from vah.trial import cotreatments as C
from vah.trial import interactions as I
from vah.trial import protocol as P
from vah.trial import regimen as R
from vah.trial.bsa import FORMULAS, body_surface_area

__all__ = ["PAGE", "cotreatments", "exclusions", "figures", "inhibitors", "regimen", "values"]

PAGE = "book/protocol"
#: Inhibitor classes whose label and protocol venetoclax totals the prose quotes.
QUOTED_INHIBITORS = ("strong", "posaconazole")


def _constant(text: str, constant: P.Constant) -> Value:
    """``text`` showing a protocol constant, with the constant's locator in the paper."""
    return Value(text, source=constant.source)


def _eligibility() -> dict[str, Value]:
    (age_lo, age_hi), (ecog_lo, ecog_hi) = P.AGE_RANGE_YEARS.value, P.ECOG_RANGE.value
    return {
        "age_lo": linked(str(age_lo), "abstract.age_min", age_lo),
        "age_hi": linked(str(age_hi), "abstract.age_max", age_hi),
        "ecog_lo": linked(str(ecog_lo), "abstract.ecog_min", ecog_lo),
        "ecog_hi": linked(str(ecog_hi), "abstract.ecog_max", ecog_hi),
        "sites": linked(str(P.SITES.value), "abstract.sites", P.SITES.value),
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
        "aza_text": linked(R.schedule_text(aza), "abstract.aza_dose"),
        "hht_text": linked(R.schedule_text(hht), "abstract.hht_dose"),
        "ven_days": ven.last_day - ven.first_day + 1,
        "aza_days": aza.last_day - aza.first_day + 1,
        "ven_target": linked(f"{target:g} mg", "abstract.ven_target", target),
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


def _count(count: C.Count, text: str | None = None) -> Value:
    """A co-treatment count (``"34 of 43"``, or ``text``) linked to the ledger entry checking it."""
    return linked(text or count.text, count.claim, count.k)


def _table1_cell(characteristic: str, level: str, group: str) -> Value:
    """A count of Table 1, linked to that cell's ledger entry."""
    t1 = pub.table1().set_index(["characteristic", "level", "group"])
    row = t1.loc[(characteristic, level, group)]
    return Value(str(int(row["n"])), f"table1.{characteristic}.{level}.{group}", row["locator"],
                 int(row["n"]))


def _cotreatments() -> dict[str, Value | int | str]:
    bridged = _table1_cell("bridge_hsct", "yes", "all")
    bridged_prior = _table1_cell("bridge_hsct", "yes", "relapsed_hsct")
    not_bridged = pub.group_n("all") - bridged.value
    prior_not_bridged = pub.group_n("relapsed_hsct") - bridged_prior.value
    dli_not_bridged = C.fewest_among_rest(C.DLI, bridged_prior.value)
    out: dict[str, Value | int | str] = {
        "flt3_n": _count(C.ANY_FLT3_INHIBITOR, str(C.ANY_FLT3_INHIBITOR.n)),
        "flt3_sorafenib": _count(C.SORAFENIB_WITH_VAH, str(C.SORAFENIB_WITH_VAH.k)),
        "flt3_gilteritinib": _count(C.GILTERITINIB_WITH_VAH, str(C.GILTERITINIB_WITH_VAH.k)),
        "hsct_n": bridged,
        "hsct_prior_n": bridged_prior,
        "hsct_sorafenib": _count(C.SORAFENIB_MAINTENANCE),
        "consolidation": _count(C.CONSOLIDATION),
        "dli": _count(C.DLI),
        "dli_received_max": linked(f"{C.DLI_INFUSIONS.high:g}", "results.efficacy.dli_range_max",
                                    C.DLI_INFUSIONS.high),
        # derived here, not printed in the paper: Table 1 group sizes less those bridged
        "nohsct_n": Value(str(not_bridged), source="Table 1: all patients less those bridged "
                          "to allo-HSCT", value=not_bridged),
        "nohsct_prior": Value(str(prior_not_bridged), source="Table 1: relapsed after allo-HSCT "
                              "less those bridged to allo-HSCT", value=prior_not_bridged),
        "nohsct_dli_min": Value(str(dli_not_bridged), source="Results / Efficacy, paragraph 2, "
                                "sentence 5, and Table 1", value=dli_not_bridged),
    }
    for key, entry in (("os_flt3_pos", "results.survival.os_12m_flt3_pos"),
                       ("os_flt3_neg", "results.survival.os_12m_flt3_neg")):
        out[key] = linked(f"{pub.claim(entry)['printed']} %", entry)
    out["os_flt3_p"] = linked(pub.claim("results.survival.os_flt3_p")["printed"],
                               "results.survival.os_flt3_p")
    return out


@cached_on_data
def _values() -> dict[str, Value | int | str]:
    return {**_eligibility(), **_regimen(), **_dose_plan(), **_interactions(), **_cotreatments()}


def values() -> dict[str, Value | int | str]:
    """Every number and phrase the Protocol page glues, by key."""
    return dict(_values()) | exercise_values()


def figures() -> dict[str, object]:
    """The dosing calendar of one cycle."""
    setup()
    return {"fig-dosing-calendar": dosing_calendar()}


def exclusions() -> Markdown:
    """The exclusion criteria, as a bulleted list."""
    return Markdown("Patients were **excluded** for any of the following:\n\n"
                    + "\n".join(f"- {item}" for item in P.EXCLUSIONS))


def _days(step: R.DoseStep) -> str:
    return str(step.first_day) if step.first_day == step.last_day else \
        f"{step.first_day}–{step.last_day}"


def _route_note() -> str:
    """Route and dose basis of each drug, grouped: they hold for every step of a drug."""
    groups: dict[tuple[str, bool], list[str]] = {}
    for schedule in R.VAH.drugs:
        per_bsa = all(step.per_bsa for step in schedule.steps)
        groups.setdefault((schedule.route, per_bsa), []).append(schedule.drug)
    basis = {True: "dosed per square metre of body-surface area (mg/m²)",
             False: "a flat dose (mg)"}
    return " ".join(f"{' and '.join(drugs).capitalize()}: {route}, {basis[bsa]}."
                    for (route, bsa), drugs in groups.items()) + " Days are days of the cycle."


def regimen() -> Markdown:
    """The regimen table: one row per dose step (drug, dose, days of the cycle); route and dose
    basis, which hold for every step of a drug, in the note under it.

    Three short columns (about 310 px wide at most) fit a phone's 390 px screen, so the first
    column is never squeezed and no drug name breaks inside the word.
    """
    rows = [{"Drug": s.drug, "Dose": f"{step.dose.magnitude:g} {step.dose.units:~P}",
             "Days": _days(step)} for s in R.VAH.drugs for step in s.steps]
    return myst_table(pd.DataFrame(rows), caption="The VAH regimen, one cycle.",
                      name="tab-regimen", align_numbers=False, notes=_route_note())


def _short(locator: str) -> str:
    """``"Results / Efficacy, paragraph 2, sentence 4"`` as ``"Results, Efficacy ¶2"``."""
    head, _, rest = locator.partition(", paragraph ")
    para = rest.split(",")[0].split(" ")[0]
    return head.replace(" / ", ", ") + (f" ¶{para}" if para else "")


def cotreatments() -> Markdown:
    """What else patients received: co-treatment, who, how many of how many, when, source."""
    rows = [{"Co-treatment": t.name, "Who": t.who,
             "How many": t.received.text if t.received else "not reported",
             "When": t.when,
             "Source": _short(t.received.source if t.received else t.source)}
            for t in C.COTREATMENTS]
    reasons = ", ".join(f"{n} {why}" for why, n in C.NO_MAINTENANCE_REASONS.value.items())
    missed = C.SORAFENIB_MAINTENANCE.n - C.SORAFENIB_MAINTENANCE.k
    split = ", ".join(f"{n} {what}" for what, n in C.SALVAGE_SPLIT.value.items())
    by_key = {t.key: t for t in C.COTREATMENTS}
    notes = (f"FLT3 inhibitors: {by_key['sorafenib'].detail}. "
             f"Sorafenib maintenance: {by_key['sorafenib_maintenance'].detail}; not given to "
             f"{missed} transplanted patients ({reasons}). "
             f"Consolidation: {C.CONSOLIDATION_COURSES.text} as reported, against "
             f"{' or '.join(map(str, C.CONSOLIDATION_PLANNED_CYCLES.value))} cycles planned "
             "(the paper does not say whether the extra VAH course is counted). "
             f"Maintenance: {by_key['maintenance'].detail}. "
             f"DLI: {C.DLI_INFUSIONS.text}. Salvage: {split}. "
             f"The protocol's rules: {_short(C.PROTOCOL_SOURCE)}.")
    return myst_table(
        pd.DataFrame(rows), caption="What patients received besides VAH: who the protocol meant "
        "it for, how many received it of how many, when, and where the paper says so.",
        name="tab-cotreatments", align_numbers=False, notes=notes)


def inhibitors():
    """Venetoclax with a CYP3A or P-gp inhibitor for the reference patient: protocol and label."""
    return myst_table(
        pd.DataFrame(R.inhibitor_table(R.REFERENCE_HEIGHT, R.REFERENCE_WEIGHT)),
        caption="Venetoclax with a CYP3A or P-gp inhibitor: the trial protocol's rule against "
                "the US label for AML. Each cell lists the daily doses of the ramp-up and then "
                "the dose held to the last venetoclax day.",
        name="tab-inhibitors", align_numbers=False)


def exercise_values() -> dict[str, str | int]:
    """The numbers that the answers to the page's exercises quote (keys ``ex_*``)."""
    from vah.errors import VahError
    from vah.trial.units import Q_

    aza = [R.dose_plan(R.REFERENCE_HEIGHT, R.REFERENCE_WEIGHT, formula=f).totals_mg()["azacitidine"]
           for f in FORMULAS]
    height, weight = Q_(R.REFERENCE_HEIGHT), Q_(R.REFERENCE_WEIGHT)
    try:
        R.dose_plan(height, f"{weight.magnitude:g}")
        refused = "accepted"
    except VahError as error:
        refused = str(error)
    units = {f"{s.steps[0].dose.units:~P}" for s in R.VAH.drugs if s.drug != "venetoclax"}
    (ven,) = (s for s in R.VAH.drugs if s.drug == "venetoclax")
    return {
        "ex_aza_low": fmt.dose(min(aza)), "ex_aza_high": fmt.dose(max(aza)),
        "ex_aza_spread": fmt.pct_of(100 * (max(aza) - min(aza)) / min(aza)),
        "ex_imperial": f"{height.to('inch'):.1f~P} and {weight.to('lb'):.1f~P}",
        "ex_no_unit": refused,
        "ex_ven_unit": f"{ven.steps[0].dose.units:~P}", "ex_bsa_unit": " and ".join(sorted(units)),
    }
