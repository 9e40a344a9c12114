"""Body-surface area (BSA) formulas. Height in cm, weight in kg, BSA in m**2.

Each formula takes pint quantities (or strings such as ``"170 cm"``) and returns a quantity in
m**2. Heights outside 100-250 cm and weights outside 25-300 kg are refused as implausible for
an adult trial of patients aged 18-65 years.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from vah.errors import InputError
from vah.trial.units import Q_, Quantity, as_quantity

__all__ = [
    "body_surface_area",
    "boyd",
    "check_body_size",
    "DEFAULT_FORMULA",
    "dubois",
    "FORMULAS",
    "gehan_george",
    "haycock",
    "HEIGHT_RANGE_CM",
    "mosteller",
    "WEIGHT_RANGE_KG",
]

HEIGHT_RANGE_CM = (100.0, 250.0)
WEIGHT_RANGE_KG = (25.0, 300.0)


def mosteller(height_cm: float, weight_kg: float) -> float:
    """Mosteller RD. Simplified calculation of body-surface area. N Engl J Med 1987;317:1098.

    BSA = sqrt(H * W / 3600).
    """
    return math.sqrt(height_cm * weight_kg / 3600.0)


def dubois(height_cm: float, weight_kg: float) -> float:
    """Du Bois D, Du Bois EF. A formula to estimate the approximate surface area if height and
    weight be known. Arch Intern Med 1916;17:863-71.

    BSA = 0.007184 * H**0.725 * W**0.425.
    """
    return 0.007184 * height_cm**0.725 * weight_kg**0.425


def haycock(height_cm: float, weight_kg: float) -> float:
    """Haycock GB, Schwartz GJ, Wisotsky DH. Geometric method for measuring body surface area.
    J Pediatr 1978;93:62-6.

    BSA = 0.024265 * H**0.3964 * W**0.5378.
    """
    return 0.024265 * height_cm**0.3964 * weight_kg**0.5378


def gehan_george(height_cm: float, weight_kg: float) -> float:
    """Gehan EA, George SL. Estimation of human body surface area from height and weight.
    Cancer Chemother Rep 1970;54:225-35.

    BSA = 0.0235 * H**0.42246 * W**0.51456.
    """
    return 0.0235 * height_cm**0.42246 * weight_kg**0.51456


def boyd(height_cm: float, weight_kg: float) -> float:
    """Boyd E. The growth of the surface area of the human body. University of Minnesota Press,
    1935.

    BSA = 0.0003207 * H**0.3 * Wg**(0.7285 - 0.0188 * log10(Wg)), with the weight Wg in grams.
    """
    grams = weight_kg * 1000.0
    return 0.0003207 * height_cm**0.3 * grams ** (0.7285 - 0.0188 * math.log10(grams))


FORMULAS: dict[str, Callable[[float, float], float]] = {
    "mosteller": mosteller,
    "dubois": dubois,
    "haycock": haycock,
    "gehan-george": gehan_george,
    "boyd": boyd,
}
DEFAULT_FORMULA = "mosteller"


def check_body_size(height: object, weight: object) -> tuple[float, float]:
    """Return (height in cm, weight in kg) after checking units and plausibility."""
    h = as_quantity(height, "cm", "height").magnitude
    w = as_quantity(weight, "kg", "weight").magnitude
    for name, value, (low, high), unit in (
        ("height", h, HEIGHT_RANGE_CM, "cm"),
        ("weight", w, WEIGHT_RANGE_KG, "kg"),
    ):
        if not math.isfinite(value) or value <= 0:
            raise InputError(f"{name} must be a positive number, got {value:g} {unit}")
        if not low <= value <= high:
            raise InputError(
                f"{name} {value:g} {unit} is implausible (expected {low:g}-{high:g} {unit})"
            )
    return float(h), float(w)


def body_surface_area(height: object, weight: object, formula: str = DEFAULT_FORMULA) -> Quantity:
    """BSA as a quantity in m**2 by the named formula (see ``FORMULAS``).

    >>> round(body_surface_area("170 cm", "70 kg").magnitude, 3)
    1.818
    """
    if formula not in FORMULAS:
        known = ", ".join(FORMULAS)
        raise InputError(f"unknown BSA formula {formula!r}; choose one of: {known}")
    h, w = check_body_size(height, weight)
    return Q_(FORMULAS[formula](h, w), "m**2")
