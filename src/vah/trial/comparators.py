"""Response rates of the regimens the paper compares VAH with (its Background and Discussion).

Each entry is the number *as the paper cites it*, with the paper's locator and reference number,
and, where the team could check the cited study, what that study reports. These are cross-trial
numbers: different patients, eras, response criteria and sample sizes.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "comparator",
    "Comparator",
    "COMPARATORS",
]


@dataclass(frozen=True)
class Comparator:
    """A literature response rate (per cent) or range cited by the paper."""

    key: str
    regimen: str
    population: str
    endpoint: str
    low: float
    high: float | None  # None for a single value, else the upper end of a cited range
    refs: str  # reference numbers in the paper
    locator: str
    n: int | None = None  # patients behind the number, where the cited study says
    checked: str = ""  # what the cited source says, where the team could check it
    family: str = ""

    @property
    def is_range(self) -> bool:
        return self.high is not None


COMPARATORS: tuple[Comparator, ...] = (
    Comparator(
        "ven_hma_range", "Venetoclax + HMA", "R/R AML, retrospective and prospective",
        "CRc", 11.6, 46.0, "10-12", "Background, paragraph 1, last sentence",
        family="venetoclax doublet"),
    Comparator(
        "ven_two_drug", "Venetoclax two-drug regimens", "R/R AML", "CRc", 38.5, 46.0,
        "11, 29, 35", "Discussion, paragraph 2, sentence 3", family="venetoclax doublet"),
    Comparator(
        "ven_based_range", "Venetoclax-based regimens", "R/R AML", "CRc", 20.0, 67.0,
        "12, 30-35", "Discussion, paragraph 2, sentence 1", family="venetoclax, any"),
    Comparator(
        "ven_flag_ida", "Venetoclax + FLAG-IDA", "R/R AML (phase 2b part)", "CRc", 61.0, None,
        "31", "Discussion, paragraph 2, sentence 4", n=23,
        checked="DiNardo et al., J Clin Oncol 2021: CRc 61 % in the phase 2b R/R cohort "
                "(the paper attributes it to 'Kantarjian et al.')",
        family="venetoclax + intensive chemotherapy"),
    Comparator(
        "ven_ara_c_children", "Venetoclax + cytarabine ± idarubicin", "children with R/R AML",
        "CR/CRi", 67.0, None, "32", "Discussion, paragraph 2, sentence 5", n=38,
        checked="Karol et al., Lancet Oncol 2020: phase 1 dose escalation in 38 patients",
        family="venetoclax + intensive chemotherapy"),
    Comparator(
        "hht_ara_c", "Homoharringtonine + cytarabine", "R/R AML (early study)", "remission",
        22.7, None, "14", "Discussion, paragraph 2, sentence 7",
        family="homoharringtonine-based"),
    Comparator(
        "hag_meta", "HAG (homoharringtonine, cytarabine, G-CSF)", "R/R AML, meta-analysis",
        "CR", 50.0, None, "15", "Discussion, paragraph 2, sentence 7",
        checked="Xie et al., PLoS One 2016: meta-analysis of 2314 participants; the paper "
                "says 'around 50%'", family="homoharringtonine-based"),
    Comparator(
        "ven_gilteritinib", "Venetoclax + gilteritinib", "FLT3-mutated R/R AML", "CRc", 40.0,
        None, "38", "Discussion, paragraph 2, sentence beginning 'Recently, Naval'", n=61,
        checked="Daver et al., J Clin Oncol 2022: CR + CRi + CRp = 18 + 4 + 18 = 40 %; "
                "modified CRc with MLFS 75 % (the paper calls the author 'Naval')",
        family="FLT3 combination"),
    Comparator(
        "ven_hma_flt3i", "Venetoclax + HMA + FLT3 inhibitor", "FLT3-mutated R/R AML", "CRc",
        63.0, None, "39", "Discussion, paragraph 2, sentence beginning 'Recently, Naval'",
        checked="Maiti et al., Blood Cancer J 2021: the R/R figure was not found by the team",
        family="FLT3 combination"),
)


def comparator(key: str) -> Comparator:
    """The comparator with this key."""
    for entry in COMPARATORS:
        if entry.key == key:
            return entry
    from vah.errors import InputError

    raise InputError(f"unknown comparator {key!r}")
