"""The ledger's sections: which part of the paper an entry belongs to."""

from __future__ import annotations

import re

from vah.errors import DataError

__all__ = [
    "section_of",
    "SECTION_TITLES",
    "SECTIONS",
]

#: Sections of the ledger page; chapters link to them as ``ledger-<section>``.
SECTIONS = ("patients", "efficacy", "subgroups", "survival", "safety", "design")


SECTION_TITLES = {
    "patients": "Patients: Table 1 and the disposition text",
    "efficacy": "Efficacy: Table 2 responses and the efficacy text",
    "subgroups": "Cytogenetic, molecular and prior-treatment subgroups",
    "survival": "Survival: Table 2 survival rows and the survival text",
    "safety": "Safety: Table 3 and the adverse-event text",
    "design": "Design: the Abstract's Methods and the sample-size paragraph",
}


# Abstract and Discussion entries go to the section of their topic (first match wins).
_SECTION_RULES = (
    (r"^abstract\.(sites|age|ecog|ven_|aza_|hht_|endpoint)", "design"),
    (r"^abstract\.(enrolled|refractory|relapsed)", "patients"),
    (r"^abstract\.(crc|orr|mrd)", "efficacy"),
    (r"^abstract\.(followup|os_|efs_)", "survival"),
    (r"^abstract\.", "safety"),
    (r"^methods\.", "design"),
    (r"^discussion\.(crc|mrd)", "efficacy"),
    (r"^discussion\.flt3", "subgroups"),
    (r"^discussion\.(hsct|os_)", "survival"),
    (r"^discussion\.", "safety"),
    (r"^results\.efficacy\.(crc|orr)_hma", "subgroups"),
    (r"^results\.survival\.\w+_flt3", "subgroups"),
    (r"^results\.(\w+)\.", r"\1"),
    (r"^table1\.", "patients"),
    (r"^table2\.(OS|EFS)|^table2\.p\.(OS|EFS)", "survival"),
    (r"^table2\.", "efficacy"),
    (r"^table3\.", "safety"),
)


def section_of(entry_id: str) -> str:
    """The ledger section of an entry id (``"abstract.crc"`` -> ``"efficacy"``)."""
    for pattern, section in _SECTION_RULES:
        m = re.match(pattern, entry_id)
        if m:
            return m.expand(section)
    raise DataError(f"no ledger section for {entry_id!r}")
