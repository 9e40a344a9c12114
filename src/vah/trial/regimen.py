"""The VAH regimen as data, and a patient's dose plan for one cycle.

Source: the paper's Abstract (Methods) and Methods / Procedures, paragraph 1: venetoclax 100 mg on
day 1, 200 mg on day 2 and 400 mg on days 3-14, by mouth; azacitidine 75 mg/m**2 and
homoharringtonine 1 mg/m**2 subcutaneously on days 1-7. With a CYP3A or P-gp inhibitor the plan
follows the venetoclax label and shows the trial's looser rule beside it
(``vah.trial.interactions``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from vah.errors import InputError, UnitError
from vah.trial import interactions
from vah.trial.bsa import DEFAULT_FORMULA, body_surface_area
from vah.trial.units import Q_, Quantity, as_quantity, ureg

__all__ = [
    "absolute_dose",
    "AZACITIDINE",
    "bsa_dose",
    "CYP3A4_MIN_REDUCTION",
    "days_text",
    "dose_plan",
    "DosePlan",
    "DoseStep",
    "DrugSchedule",
    "HOMOHARRINGTONINE",
    "inhibitor_table",
    "MG",
    "MG_PER_M2",
    "REFERENCE_HEIGHT",
    "REFERENCE_WEIGHT",
    "Regimen",
    "regimen_rows",
    "schedule_text",
    "step_text",
    "VAH",
    "VENETOCLAX",
]

MG = ureg.Unit("mg")
MG_PER_M2 = ureg.Unit("mg/m**2")


@dataclass(frozen=True)
class DoseStep:
    """One dose given every day from ``first_day`` to ``last_day`` (inclusive, 1-based)."""

    first_day: int
    last_day: int
    dose: Quantity

    def __post_init__(self) -> None:
        if not 1 <= self.first_day <= self.last_day:
            raise InputError(f"dose step days must satisfy 1 <= first <= last, got "
                             f"{self.first_day}-{self.last_day}")
        dims = {MG.dimensionality, MG_PER_M2.dimensionality}
        if not isinstance(self.dose, Quantity) or self.dose.dimensionality not in dims:
            raise UnitError(f"a dose step needs a dose in mg or mg/m**2, got {self.dose!r}")

    @property
    def days(self) -> range:
        return range(self.first_day, self.last_day + 1)

    @property
    def per_bsa(self) -> bool:
        """True when the dose is scaled by body-surface area (mg/m**2)."""
        return self.dose.dimensionality == MG_PER_M2.dimensionality


@dataclass(frozen=True)
class DrugSchedule:
    """A drug of the regimen: its route and its dose steps within one cycle."""

    drug: str
    route: str
    steps: tuple[DoseStep, ...]

    @cached_property
    def days(self) -> tuple[int, ...]:
        return tuple(day for step in self.steps for day in step.days)

    @property
    def first_day(self) -> int:
        return self.days[0]

    @property
    def last_day(self) -> int:
        return self.days[-1]

    def dose_on(self, day: int) -> Quantity | None:
        """The prescribed dose (mg or mg/m**2) on ``day``, or None when the drug is not given."""
        for step in self.steps:
            if day in step.days:
                return step.dose
        return None


@dataclass(frozen=True)
class Regimen:
    """A combination regimen: drugs and the number of days a cycle is drawn over."""

    name: str
    drugs: tuple[DrugSchedule, ...]
    calendar_days: int

    def drug(self, name: str) -> DrugSchedule:
        for schedule in self.drugs:
            if schedule.drug == name:
                return schedule
        known = ", ".join(d.drug for d in self.drugs)
        raise InputError(f"unknown drug {name!r}; the {self.name} regimen has: {known}")

    @property
    def drug_names(self) -> tuple[str, ...]:
        return tuple(d.drug for d in self.drugs)


#: Venetoclax by mouth, 100 mg on day 1, 200 mg on day 2, 400 mg on days 3-14.
#:
#: :meta hide-value:
VENETOCLAX = DrugSchedule(
    drug="venetoclax",
    route="oral",
    steps=(
        DoseStep(1, 1, Q_(100, "mg")),
        DoseStep(2, 2, Q_(200, "mg")),
        DoseStep(3, 14, Q_(400, "mg")),
    ),
)
#: Azacitidine 75 mg/m**2 subcutaneously on days 1-7.
#:
#: :meta hide-value:
AZACITIDINE = DrugSchedule(
    drug="azacitidine", route="subcutaneous", steps=(DoseStep(1, 7, Q_(75, "mg/m**2")),)
)
#: Homoharringtonine 1 mg/m**2 subcutaneously on days 1-7.
#:
#: :meta hide-value:
HOMOHARRINGTONINE = DrugSchedule(
    drug="homoharringtonine", route="subcutaneous", steps=(DoseStep(1, 7, Q_(1, "mg/m**2")),)
)
#: The calendar shown for a cycle runs to day 28, the day of the first marrow assessment
#: (Methods / Procedures, paragraph 3: "BM was evaluated at cycle 1 day 28").
#:
#: :meta hide-value:
VAH = Regimen(
    name="VAH", drugs=(VENETOCLAX, AZACITIDINE, HOMOHARRINGTONINE), calendar_days=28
)

#: The trial's minimum reduction of venetoclax with a moderate or strong CYP3A4 inhibitor
#: (Methods / Procedures, paragraph 1: "by at least 50%").
CYP3A4_MIN_REDUCTION = 1.0 - interactions.RULES["moderate"].protocol_factor


def bsa_dose(dose_per_bsa: object, bsa: object) -> Quantity:
    """Absolute dose in mg from a dose in mg/m**2 and a BSA in m**2.

    A dose in mg where mg/m**2 is expected is an error, not a silent number:

    >>> bsa_dose(Q_(75, "mg"), Q_(1.8, "m**2"))
    Traceback (most recent call last):
    ...
    vah.errors.UnitError: dose_per_bsa: expected a quantity in mg/m**2, got mg
    """
    per_bsa = as_quantity(dose_per_bsa, "mg/m**2", "dose_per_bsa")
    area = as_quantity(bsa, "m**2", "bsa")
    if area.magnitude <= 0:
        raise InputError(f"bsa must be positive, got {area:~P}")
    return (per_bsa * area).to("mg")


def absolute_dose(dose: Quantity, bsa: Quantity) -> Quantity:
    """A step's dose in mg: flat doses as they are, mg/m**2 doses scaled by ``bsa``."""
    if dose.dimensionality == MG_PER_M2.dimensionality:
        return bsa_dose(dose, bsa)
    return as_quantity(dose, "mg", "dose")


@dataclass(frozen=True)
class DosePlan:
    """The mg of each drug on each day of one cycle for one patient.

    ``daily_mg`` follows the venetoclax label for the ``inhibitor`` given;
    ``protocol_venetoclax_mg`` is what the trial's own rule would allow (None where it has none).
    """

    regimen: Regimen
    bsa: Quantity
    formula: str
    inhibitor: str
    daily_mg: dict[str, dict[int, float]]
    protocol_venetoclax_mg: dict[int, float | None]

    @property
    def days(self) -> list[int]:
        """Days on which at least one drug is given, in order."""
        return sorted({day for doses in self.daily_mg.values() for day in doses})

    @property
    def rule(self) -> interactions.InhibitorRule:
        return interactions.inhibitor_rule(self.inhibitor)

    def totals_mg(self) -> dict[str, float]:
        return {drug: sum(doses.values()) for drug, doses in self.daily_mg.items()}

    def as_dict(self) -> dict:
        """A JSON-ready dict: ``bsa_m2``, ``formula``, ``cyp3a4``, ``days``, ``totals_mg``,
        ``venetoclax_rule`` (label and protocol side by side) and ``disclaimer``."""
        days = [
            {"day": day, **{d: round(self.daily_mg[d].get(day, 0.0), 2) for d in self.daily_mg}}
            for day in self.days
        ]
        rule = self.rule
        protocol = self.protocol_venetoclax_mg
        return {
            "regimen": self.regimen.name,
            "bsa_m2": round(self.bsa.to("m**2").magnitude, 4),
            "formula": self.formula,
            "cyp3a4": self.inhibitor,
            "days": days,
            "totals_mg": {d: round(v, 2) for d, v in self.totals_mg().items()},
            "venetoclax_rule": {
                "followed": "label",
                "inhibitor": rule.name,
                "label": rule.label_text,
                "label_source": interactions.LABEL_SOURCE,
                "protocol": rule.protocol_text,
                "protocol_source": interactions.PROTOCOL_SOURCE,
                "protocol_daily_mg": {str(d): (None if mg is None else round(mg, 2))
                                      for d, mg in protocol.items()},
            },
            "disclaimer": interactions.DISCLAIMER,
        }


def dose_plan(
    height: object,
    weight: object,
    formula: str = DEFAULT_FORMULA,
    inhibitor: str = "none",
    regimen: Regimen = VAH,
) -> DosePlan:
    """A patient's plan for one cycle of ``regimen``: mg per drug per day.

    Venetoclax follows the label for the concomitant ``inhibitor`` (one of
    ``vah.trial.interactions.INHIBITORS``); the other drugs are never changed by it.

    >>> plan = dose_plan("170 cm", "70 kg")
    >>> round(plan.totals_mg()["azacitidine"], 1)   # 7 days x 75 mg/m**2 x 1.818 m**2
    954.5
    >>> [dose_plan("170 cm", "70 kg", inhibitor="strong").daily_mg["venetoclax"][d]
    ...  for d in (1, 2, 3, 4)]
    [10.0, 20.0, 50.0, 100.0]
    """
    interactions.inhibitor_rule(inhibitor)
    bsa = body_surface_area(height, weight, formula)
    daily: dict[str, dict[int, float]] = {}
    protocol: dict[int, float | None] = {}
    for schedule in regimen.drugs:
        doses = {day: absolute_dose(step.dose, bsa).magnitude
                 for step in schedule.steps for day in step.days}
        if schedule.drug == "venetoclax":
            protocol = {day: interactions.protocol_dose_mg(inhibitor, mg)
                        for day, mg in doses.items()}
            doses = {day: interactions.label_dose_mg(inhibitor, day, mg)
                     for day, mg in doses.items()}
        daily[schedule.drug] = doses
    return DosePlan(regimen=regimen, bsa=bsa, formula=formula, inhibitor=inhibitor,
                    daily_mg=daily, protocol_venetoclax_mg=protocol)


#: The reference patient of the book's worked examples (not a trial patient).
REFERENCE_HEIGHT = "170 cm"
REFERENCE_WEIGHT = "70 kg"


def days_text(first: int, last: int) -> str:
    """``"day 1"`` or ``"days 3–14"``."""
    return f"day {first}" if first == last else f"days {first}–{last}"


def step_text(step: DoseStep) -> str:
    """``"400 mg on days 3–14"``."""
    days = days_text(step.first_day, step.last_day)
    return f"{step.dose.magnitude:g} {step.dose.units:~P} on {days}"


def schedule_text(schedule: DrugSchedule) -> str:
    """All steps of a drug in words: ``"100 mg on day 1, 200 mg on day 2, 400 mg on days 3–14"``."""
    return ", ".join(step_text(step) for step in schedule.steps)


def regimen_rows(regimen: Regimen = VAH) -> list[dict[str, str]]:
    """One row per dose step: drug, route, dose, days, basis (flat or per BSA)."""
    return [
        {
            "Drug": schedule.drug,
            "Route": schedule.route,
            "Dose": f"{step.dose.magnitude:g} {step.dose.units:~P}",
            "Days": days_text(step.first_day, step.last_day),
            "Basis": "per body-surface area" if step.per_bsa else "flat",
        }
        for schedule in regimen.drugs
        for step in schedule.steps
    ]


def _day_groups(daily: dict[int, float | None]) -> str:
    """``"10 / 20 / 50 / 100 mg"``: the dose of each run of days, or ``"no rule stated"``."""
    if any(mg is None for mg in daily.values()):
        return "no rule stated"
    runs: list[float] = []
    for day in sorted(daily):
        if not runs or daily[day] != runs[-1] or day <= 3:
            runs.append(daily[day])
    return " / ".join(f"{mg:g}" for mg in runs) + "\u00a0mg"


def inhibitor_table(height: object, weight: object) -> list[dict[str, str]]:
    """One row per inhibitor class: venetoclax by day under the protocol's rule and the label's.

    Doses read days 1, 2, 3 and then the dose held to the last venetoclax day.
    """
    rows = []
    for key in interactions.INHIBITORS:
        plan = dose_plan(height, weight, inhibitor=key)
        rows.append({
            "Inhibitor": plan.rule.short,
            "Trial protocol": _day_groups(plan.protocol_venetoclax_mg),
            "US label (followed by vah dose)": _day_groups(plan.daily_mg["venetoclax"]),
            "Label total per cycle": f"{plan.totals_mg()['venetoclax']:,.0f} mg",
        })
    return rows
