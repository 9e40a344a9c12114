"""The one pint unit registry of vah, and helpers that check dimensions with clear messages.

>>> from vah.trial.units import Q_, as_quantity
>>> as_quantity("75 mg/m**2", "mg/m**2", "azacitidine dose").magnitude
75.0
"""

from __future__ import annotations

from functools import cache

import pint

from vah.errors import UnitError

__all__ = [
    "as_quantity",
    "Q_",
    "Quantity",
    "ureg",
]

ureg = pint.UnitRegistry()
ureg.define("cell = [cell_count] = cells")
Q_ = ureg.Quantity

Quantity = pint.Quantity


def as_quantity(value: object, expected: str, name: str) -> pint.Quantity:
    """Return ``value`` as a quantity with the dimension of ``expected`` (converted to it).

    ``value`` may be a pint quantity or a string such as ``"170 cm"``. A bare number, a string
    without a unit or a quantity of another dimension raises :class:`~vah.errors.UnitError`, naming
    ``name`` and the expected unit.
    """
    target = _unit(expected)
    shown = repr(value) if isinstance(value, str) else str(value)
    if isinstance(value, str):
        try:
            value = Q_(value.strip())
        except Exception:  # pint's parser fails on junk in many ways (fuzzing found several)
            raise UnitError(f"{name}: cannot read {value!r} as a quantity in {expected}") from None
    if not isinstance(value, pint.Quantity):
        raise UnitError(f"{name}: {value!r} has no unit; give it in {expected}")
    if value.dimensionless and not target.dimensionless:
        raise UnitError(f"{name}: {shown} has no unit; give it in {expected}")
    if value.dimensionality != target.dimensionality:
        raise UnitError(f"{name}: expected a quantity in {expected}, got {value.units:~P}")
    return value.to(target)


@cache
def _unit(text: str) -> pint.Unit:
    return ureg.Unit(text)
