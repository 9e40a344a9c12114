"""Venetoclax with a CYP3A or P-gp inhibitor: the trial protocol's rule and the label's, as data.

The trial (Methods / Procedures, paragraph 1) reduced venetoclax "by at least 50 %" with a
moderate or strong CYP3A4 inhibitor. The US prescribing information of VENCLEXTA is stricter for
strong inhibitors in AML: with posaconazole 10, 20 and 50 mg on days 1-3, then 70 mg; with another
strong CYP3A inhibitor 10, 20 and 50 mg, then 100 mg; with a moderate CYP3A inhibitor or a P-gp
inhibitor a reduction of at least 50 %. The dose plan follows the label and shows the protocol's
rule beside it. Neither is advice for a patient: the calculator illustrates the protocol.
"""

from __future__ import annotations

from dataclasses import dataclass

from vah.errors import InputError

__all__ = [
    "DISCLAIMER",
    "INHIBITORS",
    "LABEL_SOURCE",
    "PROTOCOL_SOURCE",
    "InhibitorRule",
    "inhibitor_rule",
    "label_dose_mg",
    "protocol_dose_mg",
]

#: Printed with every dose plan, on the page and by `vah dose`.
DISCLAIMER = ("Illustrates the VAH trial protocol and the venetoclax label for teaching; "
              "not for prescribing.")

LABEL_SOURCE = ("VENCLEXTA (venetoclax) US prescribing information, Dosage and Administration: "
                "dose modifications for use with CYP3A and P-gp inhibitors, AML patients "
                "(openFDA drug label; venclextahcp.com AML drug-interactions page)")
PROTOCOL_SOURCE = "Jin et al. 2023, Methods / Procedures, paragraph 1"


@dataclass(frozen=True)
class InhibitorRule:
    """What the label and the protocol say about venetoclax with one class of inhibitor.

    ``label_ramp_mg`` replaces the first days of the schedule and ``label_cap_mg`` every later
    day (strong inhibitors); ``label_factor`` scales every day (moderate CYP3A or P-gp
    inhibitors). ``protocol_factor`` is None where the protocol states no rule.
    """

    key: str
    name: str
    short: str
    label_text: str
    protocol_text: str
    label_factor: float = 1.0
    label_ramp_mg: tuple[float, ...] = ()
    label_cap_mg: float | None = None
    protocol_factor: float | None = 1.0


_RULES = (
    InhibitorRule("none", "no CYP3A or P-gp inhibitor", "none", "the standard schedule",
                  "the standard schedule"),
    InhibitorRule("moderate", "a moderate CYP3A inhibitor", "moderate CYP3A",
                  "reduce the dose by at least 50 %",
                  "reduce by at least 50 %", label_factor=0.5, protocol_factor=0.5),
    InhibitorRule("strong", "a strong CYP3A inhibitor other than posaconazole",
                  "other strong CYP3A",
                  "10, 20 and 50 mg on days 1-3, then 100 mg a day",
                  "reduce by at least 50 %", label_ramp_mg=(10, 20, 50), label_cap_mg=100,
                  protocol_factor=0.5),
    InhibitorRule("posaconazole", "posaconazole (a strong CYP3A inhibitor)", "posaconazole",
                  "10, 20 and 50 mg on days 1-3, then 70 mg a day",
                  "reduce by at least 50 %", label_ramp_mg=(10, 20, 50), label_cap_mg=70,
                  protocol_factor=0.5),
    InhibitorRule("pgp", "a P-gp inhibitor", "P-gp", "reduce the dose by at least 50 %",
                  "no rule stated", label_factor=0.5, protocol_factor=None),
)
RULES = {rule.key: rule for rule in _RULES}
#: The inhibitor classes `vah dose --cyp3a4` accepts.
INHIBITORS = tuple(RULES)


def inhibitor_rule(key: str) -> InhibitorRule:
    """The rule for one inhibitor class; an unknown class raises ``InputError``."""
    if key not in RULES:
        raise InputError(f"unknown inhibitor class {key!r}; choose one of: "
                         + ", ".join(INHIBITORS))
    return RULES[key]


def label_dose_mg(key: str, day: int, standard_mg: float) -> float:
    """The venetoclax dose on ``day`` under the label, given the standard dose of that day.

    >>> [label_dose_mg("posaconazole", d, s) for d, s in [(1, 100), (2, 200), (3, 400), (4, 400)]]
    [10.0, 20.0, 50.0, 70.0]
    """
    rule = inhibitor_rule(key)
    if rule.label_cap_mg is not None:
        ramp = rule.label_ramp_mg
        return float(ramp[day - 1] if day <= len(ramp) else rule.label_cap_mg)
    return float(standard_mg * rule.label_factor)


def protocol_dose_mg(key: str, standard_mg: float) -> float | None:
    """The largest venetoclax dose the trial's rule allows, or None where it states no rule."""
    factor = inhibitor_rule(key).protocol_factor
    return None if factor is None else float(standard_mg * factor)
