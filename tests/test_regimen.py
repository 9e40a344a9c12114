"""vah.trial.regimen: the VAH schedule as the paper prints it, and dose plans checked by hand."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vah.errors import InputError, UnitError
from vah.trial.regimen import (
    AZACITIDINE,
    HOMOHARRINGTONINE,
    VAH,
    VENETOCLAX,
    DoseStep,
    bsa_dose,
    dose_plan,
    schedule_text,
)
from vah.trial.units import Q_
from venetoclax_label import LABEL_VENETOCLAX, PROTOCOL_VENETOCLAX


def test_schedule_as_printed_in_the_abstract():
    # Abstract, Methods: venetoclax 100 mg day 1, 200 mg day 2, 400 mg days 3-14;
    # azacitidine 75 mg/m2 days 1-7; homoharringtonine 1 mg/m2 days 1-7.
    assert [VENETOCLAX.dose_on(d) for d in (1, 2, 3, 14)] == [
        Q_(100, "mg"), Q_(200, "mg"), Q_(400, "mg"), Q_(400, "mg")]
    assert VENETOCLAX.dose_on(15) is None
    assert AZACITIDINE.dose_on(1) == Q_(75, "mg/m**2") and AZACITIDINE.dose_on(8) is None
    assert HOMOHARRINGTONINE.dose_on(7) == Q_(1, "mg/m**2")
    assert VENETOCLAX.route == "oral"
    assert AZACITIDINE.route == HOMOHARRINGTONINE.route == "subcutaneous"
    assert schedule_text(VENETOCLAX) == "100 mg on day 1, 200 mg on day 2, 400 mg on days 3–14"


def test_reference_plan_by_hand():
    # Mosteller BSA for 170 cm / 70 kg = sqrt(170*70/3600) = 1.818119 m2.
    # Azacitidine: 75 * 1.818119 = 136.359 mg/day, x 7 days = 954.51 mg.
    # Homoharringtonine: 1 * 1.818119 = 1.818 mg/day, x 7 = 12.727 mg.
    # Venetoclax: 100 + 200 + 12 * 400 = 5100 mg.
    plan = dose_plan("170 cm", "70 kg")
    assert plan.daily_mg["azacitidine"][1] == pytest.approx(136.359, abs=1e-3)
    totals = plan.totals_mg()
    assert totals["azacitidine"] == pytest.approx(954.51, abs=0.01)
    assert totals["homoharringtonine"] == pytest.approx(12.727, abs=1e-3)
    assert totals["venetoclax"] == 5100
    assert plan.days == list(range(1, 15))


def test_plan_json_shape():
    data = dose_plan("170 cm", "70 kg").as_dict()
    assert set(data) >= {"bsa_m2", "formula", "days", "totals_mg"}
    assert data["days"][7] == {"day": 8, "venetoclax": 400.0, "azacitidine": 0.0,
                               "homoharringtonine": 0.0}


@pytest.mark.parametrize("inhibitor", sorted(LABEL_VENETOCLAX))
def test_venetoclax_follows_the_label_day_by_day(inhibitor):
    base, plan = dose_plan("170 cm", "70 kg"), dose_plan("170 cm", "70 kg", inhibitor=inhibitor)
    venetoclax = plan.daily_mg["venetoclax"]
    assert [venetoclax[d] for d in range(1, 15)] == LABEL_VENETOCLAX[inhibitor]
    assert [plan.protocol_venetoclax_mg[d] for d in range(1, 15)] == PROTOCOL_VENETOCLAX[inhibitor]
    # the inhibitor never changes the other two drugs
    for drug in ("azacitidine", "homoharringtonine"):
        assert plan.daily_mg[drug] == base.daily_mg[drug]


def test_label_is_stricter_than_the_protocol_for_strong_inhibitors():
    for inhibitor in ("strong", "posaconazole"):
        plan = dose_plan("170 cm", "70 kg", inhibitor=inhibitor)
        assert all(plan.daily_mg["venetoclax"][d] < plan.protocol_venetoclax_mg[d]
                   for d in range(1, 15))
    assert dose_plan("170 cm", "70 kg", inhibitor="strong").totals_mg()["venetoclax"] == 1180
    assert dose_plan("170 cm", "70 kg", inhibitor="posaconazole").totals_mg()["venetoclax"] == 850


def test_every_plan_carries_the_disclaimer_and_both_rules():
    data = dose_plan("170 cm", "70 kg", inhibitor="posaconazole").as_dict()
    assert "not for prescribing" in data["disclaimer"]
    rule = data["venetoclax_rule"]
    assert rule["followed"] == "label" and "70 mg" in rule["label"]
    assert "at least 50" in rule["protocol"]
    assert rule["protocol_daily_mg"]["4"] == 200


def test_unknown_inhibitor_class_and_drug():
    with pytest.raises(InputError, match="unknown inhibitor class 'weak'"):
        dose_plan("170 cm", "70 kg", inhibitor="weak")
    with pytest.raises(InputError, match="unknown drug 'cytarabine'"):
        VAH.drug("cytarabine")


def test_mg_where_mg_per_m2_is_expected():
    with pytest.raises(UnitError, match="dose_per_bsa: expected a quantity in mg/m\\*\\*2, got mg"):
        bsa_dose(Q_(75, "mg"), Q_(1.8, "m**2"))
    with pytest.raises(UnitError, match="bsa: expected a quantity in m\\*\\*2"):
        bsa_dose(Q_(75, "mg/m**2"), Q_(1.8, "m"))
    with pytest.raises(InputError, match="bsa must be positive"):
        bsa_dose(Q_(75, "mg/m**2"), Q_(0, "m**2"))


def test_dose_step_refuses_other_units_and_bad_days():
    with pytest.raises(UnitError):
        DoseStep(1, 7, Q_(75, "mg/kg"))
    with pytest.raises(InputError):
        DoseStep(8, 7, Q_(75, "mg"))


@given(h=st.floats(100, 250), w=st.floats(25, 300),
       cyp=st.sampled_from(sorted(LABEL_VENETOCLAX)))
def test_plan_properties(h, w, cyp):
    plan = dose_plan(f"{h} cm", f"{w} kg", inhibitor=cyp)
    bsa = plan.bsa.magnitude
    totals = plan.totals_mg()
    # azacitidine / homoharringtonine ratio is the dose ratio 75 : 1, whatever the body size
    assert totals["azacitidine"] == pytest.approx(75 * totals["homoharringtonine"])
    assert totals["azacitidine"] == pytest.approx(7 * 75 * bsa)
    assert totals["venetoclax"] == pytest.approx(sum(LABEL_VENETOCLAX[cyp]))
    assert all(mg >= 0 for doses in plan.daily_mg.values() for mg in doses.values())


@given(h=st.floats(100, 249), w=st.floats(25, 299), dw=st.floats(0.5, 1))
def test_heavier_patient_never_gets_less_azacitidine(h, w, dw):
    lighter = dose_plan(f"{h} cm", f"{w} kg").totals_mg()["azacitidine"]
    heavier = dose_plan(f"{h} cm", f"{w + dw} kg").totals_mg()["azacitidine"]
    assert heavier > lighter
