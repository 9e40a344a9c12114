"""vah.trial.endpoints: one rule for when an induction failure is an EFS event, followed by the
Endpoints page's histories and by the reconstructed cohort, and the arithmetic behind it."""

import math

import numpy as np
import pytest

from conftest import ROOT
from vah.chapters import endpoints as chapter
from vah.display.figures import endpoints as figures
from vah.errors import InputError
from vah.reconstruction import calibration, times
from vah.trial import endpoints as rule


def test_induction_failure_at_the_assessment_or_the_death_before_it():
    # Paper, Methods / Outcomes: EFS ends at the *documented* failure to achieve CRc.
    assert rule.efs_outcome(False, None, 4.0, 4.0, assessed=2.0) == (2.0, True)
    assert rule.efs_outcome(False, None, 0.5, 0.5, assessed=1.0) == (0.5, True)
    assert rule.efs_outcome(False, None, None, 30.0, assessed=1.0) == (1.0, True)
    with pytest.raises(InputError, match="assessment"):
        rule.efs_outcome(False, None, None, 30.0)


def test_in_crc_the_first_of_relapse_and_death_or_censored():
    assert rule.efs_outcome(True, 8.0, 13.0, 13.0) == (8.0, True)
    assert rule.efs_outcome(True, math.nan, 6.0, 6.0) == (6.0, True)
    assert rule.efs_outcome(True, None, math.nan, 20.0) == (20.0, False)
    assert rule.efs_outcome(True, None, None, 20.0, assessed=2.0) == (20.0, False)


def test_both_users_call_the_one_function(monkeypatch):
    assert times.efs_outcome is rule.efs_outcome
    assert figures.efs_outcome is rule.efs_outcome
    sentinel = lambda *args, **kwargs: (0.25, True)  # noqa: E731
    monkeypatch.setattr(times, "efs_outcome", sentinel)
    monkeypatch.setattr(figures, "efs_outcome", sentinel)
    frame = times.draw_times(times.SURVIVAL_SEED, times.LATE_SEED)
    assert (frame["efs_time"] == 0.25).all() and frame["efs_event"].all()
    assert all(figures.endpoint_events(h)["EFS"].startswith("event at 0.25")
               for h in figures.HISTORIES)


def test_reconstructed_cohort_follows_the_rule():
    # Failure documented after cycle 1 (one cycle given) or after cycle 2 (the primary
    # endpoint, Methods / Outcomes), in months; a death before it ends EFS there.
    f = times.reconstructed()
    non = f[~f["crc"]]
    assessed = np.where(non["cycles"] == "one", 1.0, 2.0)
    expected = np.minimum(assessed, non["death_time"].fillna(np.inf))
    assert np.allclose(non["efs_time"], expected) and non["efs_event"].all()
    crc = f[f["crc"]]
    first = crc[["relapse_time", "death_time"]].min(axis=1)
    assert np.allclose(crc["efs_time"], first.fillna(crc["followup"]))
    assert (crc["efs_event"] == first.notna()).all()


def test_histories_follow_the_rule_by_hand():
    events = {h.name[0]: figures.endpoint_events(h)["EFS"] for h in figures.HISTORIES}
    # D: no CRc at the assessment at 2 months, dies at 4 -> event at 2; B: relapse at 8 before
    # death at 13; C: death in remission at 6; A: alive in remission, seen last at 20.
    assert events == {"A": "censored at 20", "B": "event at 8", "C": "event at 6",
                      "D": "event at 2 (no CRc)"}


def test_day1_failures_would_start_the_median_interval_on_day_1():
    # After relapse from chemotherapy 10 of 16 reached CRc (Table 2). With the 6 failures on
    # day 1: S = 10/16, Greenwood var(log S) = 6/(16*10); log(-log) band
    # S ** exp(1.96 * sqrt(var) / |log S|) = 0.349 < 0.5, so the median's CI starts on day 1;
    # Table 2 prints 7.8 (2.0 to NE).
    s = 10 / 16
    lower = s ** math.exp(1.959964 * math.sqrt(6 / (16 * 10)) / abs(math.log(s)))
    assert lower == pytest.approx(0.3486, abs=1e-4) and lower < 0.5
    assert chapter.day1_lower_band(16, 6) == pytest.approx(lower, abs=1e-6)
    v = chapter.values()
    assert (v["day1_crc"].plain, v["day1_n"].plain, v["day1_failures"]) == (10, 16, "6")
    assert v["day1_pub_low"].plain == 2.0
    assert v["day1_band"] == "34.9 %"


def test_the_day_chosen_moves_no_fitted_summary():
    # Nobody is censored before the last assessment (2 months), so the Kaplan-Meier estimate
    # after it is the same whether the failures are dated then or on day 1.
    f = times.reconstructed()
    assert f["followup"].min() > 2.0
    day1 = f.copy()
    day1.loc[~day1["crc"], "efs_time"] = rule.ELN2022_FAILURE_DAY.value / times.MONTH
    ours, theirs = calibration.summaries(f), calibration.summaries(day1)
    for check in calibration.tolerances():
        a, b = ours[check.key], theirs[check.key]
        assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b), check.key


def test_the_page_states_the_rule_with_its_source():
    page = (ROOT / "book" / "endpoints.md").read_text()
    for key in ("efs_rule", "efs_paper_source", "eln2022_source", "day1_band"):
        assert f"`{key}`" in page, key
    assert "day zero" not in page
    v = chapter.values()
    assert v["efs_rule"].text == rule.INDUCTION_FAILURE.value
    assert "Table 7" in v["efs_rule"].source and "Methods / Outcomes" in v["efs_rule"].source
