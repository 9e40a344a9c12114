"""Protocol constants of the VAH trial, each with its source in the paper.

Eligibility, assessment schedule, MRD threshold, donor lymphocyte infusion (DLI) and the design
assumptions of the sample size. Published *results* live in ``vah.paper``, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from vah.errors import InputError
from vah.trial.units import Q_, Quantity, as_quantity

__all__ = [
    "AE_WINDOW_DAYS",
    "AGE_RANGE_YEARS",
    "Constant",
    "DATA_CUTOFF",
    "DLI_CD3_DOSE",
    "dli_cells",
    "DLI_DAY",
    "DLI_MAX_INFUSIONS",
    "ECOG_RANGE",
    "ENROLMENT_END",
    "ENROLMENT_START",
    "EXCLUSIONS",
    "FIRST_ASSESSMENT_DAY",
    "GVHD_PREDNISONE_MG_PER_KG",
    "is_eligible_by_age_and_ecog",
    "MRD_FLOW_COLOURS",
    "MRD_SENSITIVITY",
    "MRD_THRESHOLD_PERCENT",
    "PRIMARY_ENDPOINT_CYCLES",
    "REFRACTORY_BLAST_REDUCTION_PERCENT",
    "RELAPSE_MARROW_BLASTS_PERCENT",
    "SAMPLE_SIZE_DESIGN",
    "SampleSizeDesign",
    "SITES",
]


@dataclass(frozen=True)
class Constant:
    """A protocol value with its source locator in the paper."""

    value: object
    source: str


AGE_RANGE_YEARS = Constant((18, 65), "Methods / Study design and participants, sentence 2")
ECOG_RANGE = Constant((0, 2), "Methods / Study design and participants, sentence 2")
RELAPSE_MARROW_BLASTS_PERCENT = Constant(
    5, "Methods / Study design and participants (relapse: marrow blasts >= 5 %)"
)
REFRACTORY_BLAST_REDUCTION_PERCENT = Constant(
    50, "Methods / Study design and participants (refractory: blasts fall by < 50 % after cycle 1)"
)
MRD_THRESHOLD_PERCENT = Constant(0.01, "Methods / Procedures, paragraph 2, last sentence")
MRD_SENSITIVITY = Constant(1e-4, "Methods / Procedures, paragraph 2 (minimum sensitivity 10^-4)")
MRD_FLOW_COLOURS = Constant(8, "Methods / Procedures, paragraph 2 (8-colour flow cytometry)")
FIRST_ASSESSMENT_DAY = Constant(28, "Methods / Procedures, paragraph 3 (cycle 1 day 28)")
PRIMARY_ENDPOINT_CYCLES = Constant(2, "Methods / Outcomes (CRc after 2 cycles)")
AE_WINDOW_DAYS = Constant(28, "Methods / Procedures, paragraph 4 (until 28 days after treatment)")
GVHD_PREDNISONE_MG_PER_KG = Constant(
    Q_(1, "mg/kg"), "Methods / Study design and participants (active GVHD definition)"
)
DLI_CD3_DOSE = Constant(Q_(3.0e7, "cells/kg"), "Methods / Procedures, paragraph 1")
DLI_DAY = Constant(15, "Methods / Procedures, paragraph 1 (day 15 after the start of therapy)")
DLI_MAX_INFUSIONS = Constant(4, "Methods / Procedures, paragraph 1 (monthly, four times at most)")
ENROLMENT_START = Constant(date(2020, 5, 27), "Results / Patients and disposition, sentence 1")
ENROLMENT_END = Constant(date(2021, 6, 16), "Results / Patients and disposition, sentence 1")
DATA_CUTOFF = Constant(date(2022, 6, 30), "Methods / Statistical analysis, paragraph 2")
SITES = Constant(10, "Methods / Study design and participants, sentence 1")


@dataclass(frozen=True)
class SampleSizeDesign:
    """The design assumptions behind the sample size (Methods / Statistical analysis, ¶1)."""

    p0: float = 0.45
    p1: float = 0.60
    alpha: float = 0.05
    power: float = 0.80
    dropout: float = 0.10
    two_sided: bool = True
    source: str = "Methods / Statistical analysis, paragraph 1"


SAMPLE_SIZE_DESIGN = SampleSizeDesign()

EXCLUSIONS = (
    "prior venetoclax-based treatment",
    "acute promyelocytic leukaemia",
    "pregnancy",
    "active acute or chronic GVHD",
    "clinically significant coagulation abnormality",
    "clinically significant cardiovascular disease",
    "uncontrolled active infection",
    "a substantial history of renal, neurological, pulmonary, psychiatric, endocrine, metabolic, "
    "immunological or hepatic disease, or any other condition unsuitable for the trial",
)


def is_eligible_by_age_and_ecog(age_years: float, ecog: int) -> bool:
    """The two numeric inclusion criteria: age 18-65 years and ECOG performance status 0-2."""
    if age_years < 0 or ecog < 0 or ecog > 5:
        raise InputError(f"age must be >= 0 and ECOG within 0-5, got {age_years}, {ecog}")
    (lo_age, hi_age), (lo_ecog, hi_ecog) = AGE_RANGE_YEARS.value, ECOG_RANGE.value
    return lo_age <= age_years <= hi_age and lo_ecog <= ecog <= hi_ecog


def dli_cells(weight: object) -> Quantity:
    """CD3+ cells in one donor lymphocyte infusion for a recipient of ``weight``."""
    w = as_quantity(weight, "kg", "weight")
    if w.magnitude <= 0:
        raise InputError(f"weight must be positive, got {w:~P}")
    return (DLI_CD3_DOSE.value * w).to("cells")
