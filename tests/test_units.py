"""vah.trial.units: quantities, dimension checks and their messages."""

import pytest

from vah.errors import UnitError
from vah.trial.units import Q_, as_quantity


def test_string_is_read_and_converted():
    # 1.7 m is 170 cm by definition of the metre.
    assert as_quantity("1.7 m", "cm", "height").magnitude == pytest.approx(170.0)


def test_compact_string_without_space():
    assert as_quantity("70kg", "kg", "weight").magnitude == pytest.approx(70.0)


def test_pounds_convert_to_kg():
    # 1 lb = 0.45359237 kg exactly (international pound, 1959).
    assert as_quantity("100 lb", "kg", "weight").magnitude == pytest.approx(45.359237)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("70 kg", "expected a quantity in cm, got kg"),
        ("170", "has no unit"),
        (170, "has no unit"),
        ("abc", "cannot read"),
        ("", "cannot read"),
    ],
)
def test_bad_height_is_a_unit_error_naming_the_argument(value, fragment):
    with pytest.raises(UnitError, match=fragment) as info:
        as_quantity(value, "cm", "height")
    assert str(info.value).startswith("height:")


def test_mg_is_not_mg_per_m2():
    with pytest.raises(UnitError, match=r"expected a quantity in mg/m\*\*2, got mg"):
        as_quantity(Q_(75, "mg"), "mg/m**2", "dose_per_bsa")


def test_cells_are_a_dimension_of_their_own():
    # cells/kg must not collapse to 1/kg: a cell count is its own dimension.
    with pytest.raises(UnitError):
        as_quantity(Q_(3e7, "1/kg"), "cells/kg", "dli dose")
    assert as_quantity(Q_(3e7, "cells/kg"), "cells/kg", "dli dose").magnitude == 3e7
