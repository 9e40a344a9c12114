"""What patients received besides VAH, as protocol data with the paper's locators.

The protocol (Methods / Procedures, paragraph 1) adds to VAH: an FLT3 inhibitor for FLT3-mutated
disease before transplant, FLT3-inhibitor maintenance after a transplant whatever the FLT3
status, one more VAH course and cytarabine-based consolidation in CRc without a donor, then
targeted or MRD-guided pre-emptive maintenance, donor lymphocyte infusions (DLI) after a
post-transplant relapse, and other salvage after no CRc. The Results say how many received each:
a :class:`Count`, ``k`` of ``n`` patients, whose ``denominator`` names the group of ``n`` in the
paper (``group_n:relapsed_hsct``, ``table1:mutation:FLT3:all``; the syntax of the ledger's
references, terms joined by `` - ``) and whose ``claim`` is the ledger entry that checks it.

These treatments confound two comparisons (:data:`COMPARISONS`): FLT3-mutated against not (every
FLT3-mutated patient had an FLT3 inhibitor) and transplanted against not (sorafenib maintenance
after the transplant; DLI and consolidation among the others).
"""

from __future__ import annotations

from dataclasses import dataclass

from vah.errors import InputError
from vah.trial.protocol import DLI_DAY, DLI_MAX_INFUSIONS, Constant

__all__ = [
    "ANY_FLT3_INHIBITOR",
    "COMPARISONS",
    "CONSOLIDATION",
    "CONSOLIDATION_COURSES",
    "CONSOLIDATION_PLANNED_CYCLES",
    "CoTreatment",
    "COTREATMENTS",
    "Count",
    "confounders",
    "DLI",
    "DLI_INFUSIONS",
    "EXTRA_VAH_COURSES",
    "fewest_among_rest",
    "GILTERITINIB_WITH_VAH",
    "MedianRange",
    "NO_MAINTENANCE_REASONS",
    "PROTOCOL_SOURCE",
    "SALVAGE",
    "SALVAGE_SPLIT",
    "SORAFENIB_MAINTENANCE",
    "SORAFENIB_WITH_VAH",
]

#: Where the protocol sets out every co-treatment below.
PROTOCOL_SOURCE = "Methods / Procedures, paragraph 1"

#: The comparisons of the paper that the co-treatments confound, by key.
COMPARISONS = {
    "flt3": "FLT3-mutated against FLT3 wild-type",
    "hsct": "bridged to allo-HSCT against not",
}


@dataclass(frozen=True)
class Count:
    """``k`` of ``n`` patients received a treatment.

    ``of`` says who the ``n`` are; ``denominator`` names that group in the paper (ledger
    reference syntax, terms joined by ``" - "``); ``source`` is where the count is printed and
    ``claim`` the ledger entry that checks it. A count above its denominator is refused.
    """

    k: int
    n: int
    of: str
    denominator: str
    source: str
    claim: str | None = None

    def __post_init__(self) -> None:
        for name in ("k", "n"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise InputError(f"{name} of a count must be a whole number, got {value!r}")
        if self.n <= 0:
            raise InputError(f"a count needs a positive denominator, got {self.n} ({self.of})")
        if not 0 <= self.k <= self.n:
            raise InputError(f"{self.k} of {self.n} {self.of}: a count must lie between 0 "
                             "and its denominator")

    @property
    def text(self) -> str:
        """``"34 of 43"``."""
        return f"{self.k} of {self.n}"

    @property
    def percent(self) -> float:
        """``k`` as a percentage of ``n``."""
        return 100 * self.k / self.n


@dataclass(frozen=True)
class MedianRange:
    """A median and its range as the paper prints them, e.g. two DLI (range 1-2)."""

    median: float
    low: float
    high: float
    unit: str
    source: str

    def __post_init__(self) -> None:
        if not self.low <= self.median <= self.high:
            raise InputError(f"the median {self.median} lies outside its range "
                             f"{self.low}-{self.high}")

    @property
    def text(self) -> str:
        """``"median 2 infusions (range 1–2)"``."""
        return f"median {self.median:g} {self.unit} (range {self.low:g}–{self.high:g})"


@dataclass(frozen=True)
class CoTreatment:
    """A treatment given besides VAH: for whom and when the protocol meant it, how many
    received it (``None``: the paper does not say), how much, what it confounds (keys of
    :data:`COMPARISONS`), a ``detail`` of the protocol's rule and where the rule is."""

    key: str
    name: str
    who: str
    when: str
    received: Count | None
    amount: MedianRange | None = None
    confounds: tuple[str, ...] = ()
    detail: str = ""
    source: str = PROTOCOL_SOURCE

    def __post_init__(self) -> None:
        unknown = [c for c in self.confounds if c not in COMPARISONS]
        if unknown:
            raise InputError(f"{self.key}: unknown comparison(s) {unknown}; known: "
                             f"{', '.join(COMPARISONS)}")


_FLT3 = "patients with an FLT3 mutation"
_FLT3_REF = "table1:mutation:FLT3:all"
_DISPOSITION = "Results / Patients and disposition, paragraph 1, sentence 8"

SORAFENIB_WITH_VAH = Count(17, 19, _FLT3, _FLT3_REF, _DISPOSITION,
                           "results.patients.flt3_sorafenib")
GILTERITINIB_WITH_VAH = Count(2, 19, _FLT3, _FLT3_REF, _DISPOSITION,
                              "results.patients.flt3_gilteritinib")
ANY_FLT3_INHIBITOR = Count(
    19, 19, _FLT3, _FLT3_REF,
    "Discussion, paragraph 2, sentence beginning 'In this study, all 19'", "discussion.flt3_n")
SORAFENIB_MAINTENANCE = Count(36, 40, "patients bridged to allo-HSCT",
                              "table1:bridge_hsct:yes:all",
                              "Results / Efficacy, paragraph 2, sentence 4",
                              "results.efficacy.hsct_sorafenib")
NO_MAINTENANCE_REASONS = Constant({"GVHD": 2, "haematotoxicity": 2},
                                  "Results / Efficacy, paragraph 2, sentence 4")
EXTRA_VAH_COURSES = Constant(1, PROTOCOL_SOURCE + " (one more course of the trial therapy)")
CONSOLIDATION_PLANNED_CYCLES = Constant(
    (2, 3), PROTOCOL_SOURCE + " (two or three cycles of cytarabine-based consolidation)")
CONSOLIDATION = Count(31, 68, "patients in CRc", "table2:CRc:all",
                      "Results / Efficacy, paragraph 2, sentence 1",
                      "results.efficacy.crc_consolidation")
CONSOLIDATION_COURSES = MedianRange(3, 1, 4, "courses",
                                    "Results / Efficacy, paragraph 2, sentence 1")
DLI = Count(34, 43, "patients who relapsed after allo-HSCT", "group_n:relapsed_hsct",
            "Results / Efficacy, paragraph 2, sentence 5", "results.efficacy.dli")
DLI_INFUSIONS = MedianRange(2, 1, 2, "infusions", "Results / Efficacy, paragraph 2, sentence 5")
SALVAGE = Count(20, 28, "patients without CRc after two cycles", "group_n:all - table2:CRc:all",
                "Results / Efficacy, paragraph 2, sentence 2", "results.efficacy.noncrc_salvage")
SALVAGE_SPLIT = Constant({"chemotherapy": 16, "allo-HSCT": 4},
                         "Results / Efficacy, paragraph 2, sentence 2")

_MIN, _MAX = CONSOLIDATION_PLANNED_CYCLES.value
_WORDS = {1: "one", 2: "two", 3: "three", 4: "four"}

COTREATMENTS = (
    CoTreatment("sorafenib", "Sorafenib (FLT3 inhibitor)", "FLT3-mutated",
                "with VAH, before transplant", SORAFENIB_WITH_VAH, confounds=("flt3",),
                detail="recommended before allo-HSCT; the paper gives no dose, schedule or "
                       "start day for them"),
    CoTreatment("gilteritinib", "Gilteritinib (FLT3 inhibitor)", "FLT3-mutated",
                "with VAH, before transplant", GILTERITINIB_WITH_VAH, confounds=("flt3",)),
    CoTreatment("sorafenib_maintenance", "Sorafenib maintenance",
                "transplanted, whatever their FLT3 status", "after allo-HSCT",
                SORAFENIB_MAINTENANCE, confounds=("hsct",),
                detail="the protocol recommends an FLT3 inhibitor, the Results report sorafenib"),
    CoTreatment("consolidation", "Cytarabine-based consolidation",
                f"in CRc without a donor ({_MIN} or {_MAX} cycles planned)",
                f"after {_WORDS[EXTRA_VAH_COURSES.value]} more VAH course", CONSOLIDATION,
                CONSOLIDATION_COURSES, confounds=("hsct",)),
    CoTreatment("maintenance", "Targeted or MRD-guided maintenance", "in CRc without a donor",
                "after consolidation", None, confounds=("hsct", "flt3"),
                detail="an inhibitor of an actionable target (sorafenib if FLT3-mutated), "
                       "otherwise pre-emptive treatment as MRD directs"),
    CoTreatment("dli", "Donor lymphocyte infusion (DLI)",
                "relapsed after allo-HSCT, donor available",
                f"from day {DLI_DAY.value} of VAH, monthly, {DLI_MAX_INFUSIONS.value} at most", DLI,
                DLI_INFUSIONS, confounds=("hsct",)),
    CoTreatment("salvage", "Other salvage (chemotherapy or allo-HSCT)", "no CRc after two cycles",
                "after VAH", SALVAGE, confounds=("hsct",)),
)


def confounders(comparison: str) -> tuple[CoTreatment, ...]:
    """The co-treatments that confound ``comparison`` (a key of :data:`COMPARISONS`)."""
    if comparison not in COMPARISONS:
        raise InputError(f"unknown comparison {comparison!r}; known: {', '.join(COMPARISONS)}")
    return tuple(t for t in COTREATMENTS if comparison in t.confounds)


def fewest_among_rest(count: Count, moved: int) -> int:
    """The fewest of ``count``'s recipients left among the ``count.n - moved`` patients of its
    group who did not move to another arm (e.g. DLI recipients among the relapses after a
    transplant who did not have a second one): at most ``moved`` recipients can have left.

    >>> fewest_among_rest(Count(34, 43, "relapsed after allo-HSCT", "group_n:relapsed_hsct",
    ...                         "Results / Efficacy, paragraph 2, sentence 5"), 7)
    27
    """
    if isinstance(moved, bool) or not isinstance(moved, int) or not 0 <= moved <= count.n:
        raise InputError(f"between 0 and {count.n} patients can move, got {moved!r}")
    return max(0, count.k - moved)
