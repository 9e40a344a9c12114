"""ELN 2017 response categories as an executable classifier.

Source: Döhner et al., Blood 2017;129:424, Table 6, and the paper's Methods (response criteria).
The two differ at the boundaries, so the convention is explicit:

- ``"eln2017"``: CR needs ANC >= 1000/uL and platelets >= 100 000/uL; PR needs a fall of marrow
  blasts by at least 50 %; transfusion independence is not part of the definition.
- ``"paper"``: as the paper words it: ANC > 1000/uL, platelets > 100 000/uL, red-cell
  transfusion independence for CR and CRi, and a fall of blasts by more than 50 %.

The paper's wording is not ELN 2017's: "more than" 1000 neutrophils and 100 000 platelets and
red-cell transfusion independence are the older criteria of the International Working Group
(2003) and ELN 2010 (``PAPER_WORDING_ORIGIN``); ELN 2017 says "at least" and dropped
transfusion independence.

MLFS (marrow clearance without the other CR criteria) is an ELN 2017 category; the paper does
not count it as CRc, and neither does this module. Table 2 of the paper has no MLFS row: its
categories are CR, CRi, PR and NR, NR being any failure to reach CRc or PR, so a patient the
classifier calls MLFS counts as NR there (:func:`table2_category`).

MRD negativity is a level below a threshold (:func:`mrd_negative`): the trial's is 0.01 % of
cells (``vah.trial.protocol.MRD_THRESHOLD_PERCENT``), ten times lower than the 0.1 % the ELN's
MRD Working Party sets for flow cytometry (``ELN_MRD_THRESHOLD_PERCENT``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

from vah.errors import InputError
from vah.trial.protocol import Constant

__all__ = [
    "ANC_LIMIT",
    "classify",
    "CONVENTIONS",
    "CR_BLAST_LIMIT",
    "CRC",
    "CRITERIA",
    "ELN_MRD_THRESHOLD_PERCENT",
    "explain",
    "MarrowAssessment",
    "mrd_negative",
    "ORR",
    "PAPER_WORDING_ORIGIN",
    "PLATELET_LIMIT",
    "PR_BLAST_RANGE",
    "PR_MIN_REDUCTION",
    "Response",
    "table2_category",
]

CR_BLAST_LIMIT = 5.0  # marrow blasts < 5 %
PR_BLAST_RANGE = (5.0, 25.0)  # marrow blasts 5-25 % for PR
PR_MIN_REDUCTION = 50.0  # per cent reduction from baseline for PR
ANC_LIMIT = 1000.0  # neutrophils per microlitre
PLATELET_LIMIT = 100_000.0  # platelets per microlitre
CONVENTIONS = ("eln2017", "paper")

#: The criteria whose wording the paper's definition of CR and CRi follows, not ELN 2017's: the
#: International Working Group's (Cheson et al., J Clin Oncol 2003;21:4642) and ELN 2010's
#: (Döhner et al., Blood 2010;115:453), tabulated together in the source: CR needs ANC
#: > 1.0 x 10^9/L, platelets > 100 x 10^9/L and independence of red-cell transfusions.
PAPER_WORDING_ORIGIN = Constant(("IWG 2003", "ELN 2010"), "Br J Haematol 2011;155:413, Table I")

#: The flow-cytometry MRD threshold of the ELN MRD Working Party (per cent of cells), kept in
#: its 2021 update (Heuser et al., Blood 2021;138:2753); the trial's is 0.01 %. The stored
#: excerpts of both documents stop before the number, which is the one commonly quoted.
ELN_MRD_THRESHOLD_PERCENT = Constant(
    0.1, "Schuurhuis et al., Blood 2018;131:1275 (ELN MRD Working Party)")


class Response(Enum):
    """Response categories, with the paper's composites."""

    CR = "CR"
    CRI = "CRi"
    MLFS = "MLFS"
    PR = "PR"
    NR = "NR"

    @property
    def label(self) -> str:
        return {"CR": "complete remission", "CRi": "CR with incomplete count recovery",
                "MLFS": "morphologic leukaemia-free state", "PR": "partial remission",
                "NR": "no remission"}[self.value]

    @property
    def is_crc(self) -> bool:
        """True for a composite complete remission (CR or CRi)."""
        return self in CRC

    @property
    def is_orr(self) -> bool:
        """True for an overall response as the paper defines it (CRc or PR)."""
        return self in ORR


CRC = frozenset({Response.CR, Response.CRI})
ORR = CRC | {Response.PR}


@dataclass(frozen=True)
class MarrowAssessment:
    """One response assessment. Counts per microlitre, blasts in per cent of marrow cells."""

    blasts_pct: float
    anc_per_uL: float
    platelets_per_uL: float
    transfusion_dependent: bool = False
    extramedullary: bool = False
    circulating_blasts: bool = False
    auer_rods: bool = False
    baseline_blasts_pct: float | None = None

    def __post_init__(self) -> None:
        for name in ("blasts_pct", "anc_per_uL", "platelets_per_uL", "baseline_blasts_pct"):
            value = getattr(self, name)
            if value is None and name == "baseline_blasts_pct":
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise InputError(f"{name} must be a number, got {value!r}")
            if math.isnan(value) or math.isinf(value):
                raise InputError(f"{name} must be a finite number, got {value}")
            if value < 0:
                raise InputError(f"{name} cannot be negative, got {value}")
        for name in ("blasts_pct", "baseline_blasts_pct"):
            value = getattr(self, name)
            if value is not None and value > 100:
                raise InputError(f"{name} is a percentage and cannot exceed 100, got {value}")
        if self.anc_per_uL > 1e6 or self.platelets_per_uL > 1e7:
            raise InputError("counts are per microlitre: ANC above 1 000 000/uL or platelets "
                             "above 10 000 000/uL are implausible (wrong unit?)")


def _check(convention: str) -> None:
    if convention not in CONVENTIONS:
        raise InputError(f"unknown convention {convention!r}; choose one of: "
                         f"{', '.join(CONVENTIONS)}")


def _recovered(a: MarrowAssessment, convention: str) -> tuple[bool, bool]:
    if convention == "paper":
        return a.anc_per_uL > ANC_LIMIT, a.platelets_per_uL > PLATELET_LIMIT
    return a.anc_per_uL >= ANC_LIMIT, a.platelets_per_uL >= PLATELET_LIMIT


def _reduction(a: MarrowAssessment) -> float:
    if a.baseline_blasts_pct is None:
        raise InputError("a partial remission needs the pretreatment marrow blast percentage "
                         "(baseline_blasts_pct)")
    if a.baseline_blasts_pct == 0:
        return 0.0
    return 100 * (a.baseline_blasts_pct - a.blasts_pct) / a.baseline_blasts_pct


def classify(a: MarrowAssessment, convention: str = "eln2017") -> Response:
    """The response category of one assessment under ``convention``."""
    return _decide(a, convention)[0]


def explain(a: MarrowAssessment, convention: str = "eln2017") -> str:
    """The category and the criterion that decided it, in words."""
    response, reason = _decide(a, convention)
    return f"{response.value}: {reason}"


def _decide(a: MarrowAssessment, convention: str) -> tuple[Response, str]:
    _check(convention)
    anc_ok, plt_ok = _recovered(a, convention)
    marrow_clear = a.blasts_pct < CR_BLAST_LIMIT and not a.auer_rods and not a.extramedullary
    needs_transfusion = convention == "paper" and a.transfusion_dependent
    if marrow_clear and not a.circulating_blasts and not needs_transfusion:
        if anc_ok and plt_ok:
            return Response.CR, "marrow blasts below 5 % and blood counts recovered"
        low = " and ".join(x for x, ok in (("neutrophils", anc_ok), ("platelets", plt_ok))
                           if not ok)
        return Response.CRI, f"marrow clear but {low} not recovered"
    if marrow_clear:
        why = "circulating blasts" if a.circulating_blasts else "transfusion dependence"
        return Response.MLFS, f"marrow clear but {why}: not a CR or CRi"
    low, high = PR_BLAST_RANGE
    if anc_ok and plt_ok and not a.extramedullary and low <= a.blasts_pct <= high:
        reduction = _reduction(a)
        enough = (reduction > PR_MIN_REDUCTION if convention == "paper"
                  else reduction >= PR_MIN_REDUCTION)
        if enough:
            return Response.PR, f"blasts {a.blasts_pct:g} %, down {reduction:.0f} % from baseline"
        return Response.NR, f"blasts fell by only {reduction:.0f} % from baseline"
    if a.blasts_pct >= CR_BLAST_LIMIT:
        return Response.NR, f"marrow blasts {a.blasts_pct:g} % and no partial remission"
    return Response.NR, "extramedullary disease or Auer rods persist"


def table2_category(response: Response) -> Response:
    """The category Table 2 counts a response in: CR, CRi, PR or NR (an MLFS is NR there).

    >>> table2_category(Response.MLFS).value, table2_category(Response.CRI).value
    ('NR', 'CRi')
    """
    return Response.NR if response is Response.MLFS else response


def mrd_negative(level_pct: float, threshold_pct: float) -> bool:
    """MRD negative when the measured level is strictly below the threshold (both in %)."""
    for name, value in (("level_pct", level_pct), ("threshold_pct", threshold_pct)):
        if not isinstance(value, (int, float)) or math.isnan(value) or value < 0 or value > 100:
            raise InputError(f"{name} must be a percentage between 0 and 100, got {value!r}")
    return level_pct < threshold_pct


#: The category definitions, for the chapter's table (ELN 2017 convention).
CRITERIA: tuple[tuple[str, str], ...] = (
    ("CR", f"marrow blasts < {CR_BLAST_LIMIT:g} %; no circulating blasts, Auer rods or "
           f"extramedullary disease; ANC ≥ {ANC_LIMIT:,.0f}/µL; platelets ≥ "
           f"{PLATELET_LIMIT:,.0f}/µL"),
    ("CRi", f"all CR criteria except ANC < {ANC_LIMIT:,.0f}/µL or platelets < "
            f"{PLATELET_LIMIT:,.0f}/µL"),
    ("MLFS", f"marrow blasts < {CR_BLAST_LIMIT:g} % without Auer rods or extramedullary "
             "disease, other CR criteria not met; not counted as CRc (NR in the paper's "
             "Table 2)"),
    ("PR", f"CR blood counts; marrow blasts {PR_BLAST_RANGE[0]:g}–{PR_BLAST_RANGE[1]:g} % and "
           f"down by ≥ {PR_MIN_REDUCTION:g} % from baseline"),
    ("NR", "none of the above"),
    ("CRc", "CR + CRi (the primary endpoint)"),
    ("ORR", "CRc + PR"),
)
