"""vah.trial.protocol: constants as printed in the paper, DLI dose by hand, eligibility."""

import pytest

from vah.errors import InputError, UnitError
from vah.trial import protocol as P
from vah.trial.units import Q_


def test_constants_as_printed():
    # Methods: aged 18-65, ECOG 0-2, MRD threshold 0.01 %, DLI 3.0 x 10^7 CD3+ cells/kg on
    # day 15; data cut-off June 30, 2022; enrolment May 27, 2020 to June 16, 2021.
    assert P.AGE_RANGE_YEARS.value == (18, 65)
    assert P.ECOG_RANGE.value == (0, 2)
    assert P.MRD_THRESHOLD_PERCENT.value == 0.01
    assert P.DLI_CD3_DOSE.value == Q_(3.0e7, "cells/kg")
    assert P.DLI_DAY.value == 15
    assert str(P.DATA_CUTOFF.value) == "2022-06-30"
    assert (P.ENROLMENT_END.value - P.ENROLMENT_START.value).days == 385  # by calendar
    assert all(c.source for c in vars(P).values() if isinstance(c, P.Constant))


def test_dli_cells_by_hand():
    # 3.0e7 cells/kg x 70 kg = 2.1e9 cells
    assert P.dli_cells("70 kg").magnitude == pytest.approx(2.1e9)
    assert str(P.dli_cells("70 kg").units) == "cell"


def test_dli_cells_bad_input():
    with pytest.raises(UnitError):
        P.dli_cells("70 cm")
    with pytest.raises(InputError):
        P.dli_cells("-1 kg")


@pytest.mark.parametrize(("age", "ecog", "expected"),
                         [(18, 0, True), (65, 2, True), (17.9, 0, False), (66, 1, False),
                          (40, 3, False)])
def test_age_and_ecog(age, ecog, expected):
    assert P.is_eligible_by_age_and_ecog(age, ecog) is expected


def test_sample_size_design_as_printed():
    # Methods / Statistical analysis: historical 45 %, +15 % absolute, alpha 5 %, power 80 %,
    # 10 % dropout.
    d = P.SAMPLE_SIZE_DESIGN
    assert (d.p0, d.p1 - d.p0, d.alpha, d.power, d.dropout) == pytest.approx(
        (0.45, 0.15, 0.05, 0.80, 0.10))
