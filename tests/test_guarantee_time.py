"""Guarantee-time bias on the Survival page: assumed transplant times, the counting-process data
of the time-varying Cox model, the landmark set, and the direction of the bias on data whose
truth is known."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT
from vah.errors import DataError
from vah.reconstruction import calibration, models, times

DAYS_PER_CYCLE = 28  # Methods / Procedures: response assessed on day 28 of each cycle


def _patients(rows: list[dict]) -> pd.DataFrame:
    """A hand-made cohort with the columns the guarantee-time functions read."""
    base = {"patient": 0, "crc": False, "crc_time": math.nan, "relapse_time": math.nan,
            "os_time": 12.0, "os_event": False, "allo_hsct": False, "cycles": "one",
            "hsct_time": math.nan, "mrd_time": math.nan}
    return pd.DataFrame([base | {"patient": i + 1} | r for i, r in enumerate(rows)])


# ------------------------------------------------------------------ transplant times
def test_every_transplant_lies_between_its_window_opening_and_the_patients_last_time():
    f = models.analysis_frame()
    t = f["hsct_time"]
    assert t.notna().sum() == 40  # Table 1: 40 patients bridged to allo-HSCT
    assert t[~f["allo_hsct"]].isna().all()
    tx = f[f["allo_hsct"]]
    end_of_vah = tx["cycles"].map({"one": 1, "two": 2, "three": 3}) * DAYS_PER_CYCLE / times.MONTH
    opens = tx["crc_time"].where(tx["crc"], end_of_vah)
    last = np.fmin(tx["relapse_time"], tx["os_time"])  # first of relapse, death, follow-up
    assert (tx["hsct_time"] > opens).all() and (tx["hsct_time"] < last).all()
    # in CRc: after CRc; and never later than halfway to the end of the window
    crc = tx[tx["crc"]]
    assert (crc["hsct_time"] > crc["crc_time"]).all()
    assert (tx["hsct_time"] <= (opens + last) / 2 + 1e-12).all()


def test_transplant_rule_by_hand():
    month = times.MONTH
    f = _patients([
        {"allo_hsct": True, "crc": True, "crc_time": 1.0, "os_time": 20.0},   # long window
        {"allo_hsct": True, "crc": True, "crc_time": 1.0, "os_time": 2.0,     # dies soon:
         "os_event": True},                                                  # the midpoint
        {"allo_hsct": True, "crc": True, "crc_time": 2.0, "relapse_time": 2.4,
         "os_time": 9.0},                                                    # relapse closes
        {"allo_hsct": True, "cycles": "two", "os_time": 30.0},               # no CRc on VAH
        {"os_time": 5.0, "os_event": True}])                                 # not transplanted
    t = models.transplant_times(f, seed=1)
    assert 1.0 + 1.0 <= t[0] <= 1.0 + 3.0
    assert t[1] == pytest.approx(1.5) and t[2] == pytest.approx(2.2)
    assert 2 * 28 / month + 1.0 <= t[3] <= 2 * 28 / month + 3.0
    assert math.isnan(t[4])
    assert models.transplant_times(f, seed=1).equals(t)  # deterministic
    with pytest.raises(DataError, match="no time for a transplant"):
        models.transplant_times(_patients([{"allo_hsct": True, "crc": True, "crc_time": 3.0,
                                            "os_time": 3.0, "os_event": True}]))


def test_transplant_times_change_no_calibrated_number():
    # the transplant draws have their own generator: the calibrated cohort and its summaries
    # are those of the pinned seeds, with or without them
    f = models.analysis_frame()
    base = times.reconstructed()
    cols = ["crc_time", "relapse_time", "death_time", "os_time", "efs_time", "dfs_time"]
    pd.testing.assert_frame_equal(f[cols], base[cols])
    assert calibration.summaries(f) == pytest.approx(calibration.summaries(base), nan_ok=True)


# ------------------------------------------------------------------ counting-process rows
def test_long_format_by_hand():
    f = _patients([
        {"os_time": 10.0, "os_event": True},                         # never transplanted
        {"os_time": 12.0, "hsct_time": 3.0},                         # transplanted, alive
        {"os_time": 5.0, "os_event": True, "hsct_time": 2.0},        # transplanted, died
        {"os_time": 8.0, "os_event": True, "hsct_time": 3.0, "mrd_time": 1.0}])
    rows = models.long_format(f, {"hsct": "hsct_time"})
    got = [tuple(r) for r in rows[["id", "start", "stop", "event", "hsct"]].to_numpy()]
    assert got == [(0, 0, 10, 1, 0),
                   (1, 0, 3, 0, 0), (1, 3, 12, 0, 1),
                   (2, 0, 2, 0, 0), (2, 2, 5, 1, 1),
                   (3, 0, 3, 0, 0), (3, 3, 8, 1, 1)]
    both = models.long_format(f.iloc[[3]])
    got = [tuple(r) for r in both[["start", "stop", "event", "hsct", "mrd_neg"]].to_numpy()]
    assert got == [(0, 1, 0, 0, 0), (1, 3, 0, 0, 1), (3, 8, 1, 1, 1)]


def test_long_format_of_the_reconstruction():
    f = models.analysis_frame()
    rows = models.long_format(f, {"hsct": "hsct_time"})
    per_patient = rows.groupby("id").size()
    assert (per_patient[f.index[~f["allo_hsct"]]] == 1).all()
    assert (per_patient[f.index[f["allo_hsct"]]] == 2).all()
    assert len(rows) == 96 + 40
    assert rows["event"].sum() == 43  # Results: 43 patients died
    for pid, g in rows.groupby("id"):
        assert g["start"].iloc[0] == 0 and g["stop"].iloc[-1] == f.loc[pid, "os_time"]
        assert (g["start"].iloc[1:].to_numpy() == g["stop"].iloc[:-1].to_numpy()).all()
        assert g["event"].iloc[:-1].sum() == 0
    # the covariate switches on exactly at the transplant
    on = rows[rows["hsct"] == 1]
    assert np.allclose(on["start"], f.loc[on["id"], "hsct_time"])


def test_a_switch_at_day_zero_is_the_baseline_model():
    # Second method: transplant 'known from day 1' in the time-varying fitter is the naive
    # CoxPHFitter model, so the gap between them is the guarantee time alone.
    f = models.analysis_frame()
    f["hsct_time"] = np.where(f["allo_hsct"], 0.0, np.nan)
    f["mrd_time"] = np.where(f["mrd_negative"], 0.0, np.nan)
    tv = models.time_varying_cox(["mrd_neg", "hsct"], f)
    naive = models.cox_table(["mrd_neg", "hsct"], f)
    assert tv["hr"].to_numpy() == pytest.approx(naive["hr"].to_numpy(), rel=1e-4)


# ------------------------------------------------------------------ landmark
def landmark_problems(sub: pd.DataFrame, frame: pd.DataFrame, landmark: float) -> list[str]:
    """What is wrong with a landmark set ``sub`` of ``frame``: independent of the code."""
    problems = []
    original = frame.loc[sub.index]
    if (original["os_time"] <= landmark).any():
        problems.append("keeps patients with an event or censoring before the landmark")
    if set(frame.index[frame["os_time"] > landmark]) - set(sub.index):
        problems.append("drops patients alive and followed at the landmark")
    if not np.allclose(sub["os_time"], original["os_time"] - landmark):
        problems.append("does not count from the landmark")
    if (sub["os_event"] != original["os_event"]).any():
        problems.append("changes events")
    by_then = (original["hsct_time"] <= landmark).astype(int)
    if (sub["hsct"] != by_then).any():
        problems.append("transplant status is not the status at the landmark")
    return problems


def test_landmark_by_hand():
    f = _patients([{"os_time": 2.0, "os_event": True},            # died before
                   {"os_time": 4.0},                              # censored before
                   {"os_time": 6.0, "os_event": True},            # died on the landmark
                   {"os_time": 7.0, "os_event": True, "hsct_time": 5.0},
                   {"os_time": 20.0, "hsct_time": 6.5}])          # transplanted after it
    sub = models.landmark_frame(f, 6.0)
    assert list(sub["patient"]) == [4, 5]
    assert list(sub["os_time"]) == [1.0, 14.0] and list(sub["os_event"]) == [True, False]
    assert list(sub["hsct"]) == [1, 0]
    assert landmark_problems(sub, f, 6.0) == []


@pytest.mark.parametrize("landmark", [models.LANDMARK, 3.0, 12.0])
def test_landmark_set_of_the_reconstruction(landmark):
    f = models.analysis_frame()
    sub = models.landmark_frame(f, landmark)
    assert landmark_problems(sub, f, landmark) == []
    fit = models.landmark_cox(["hsct"], landmark, f)
    assert fit["patients"].iloc[0] == len(sub) and fit["deaths"].iloc[0] == sub["os_event"].sum()


def _keeps_early_deaths(frame, landmark):
    out = models.landmark_frame(frame, landmark)
    early = frame[frame["os_time"] <= landmark].assign(os_time=0.0, hsct=0)
    return pd.concat([out, early])


def _forgets_the_clock(frame, landmark):
    out = models.landmark_frame(frame, landmark)
    return out.assign(os_time=frame.loc[out.index, "os_time"])


def _ever_transplanted(frame, landmark):
    return models.landmark_frame(frame, landmark).assign(
        hsct=lambda d: d["allo_hsct"].astype(int))


@pytest.mark.parametrize("faulty", [_keeps_early_deaths, _forgets_the_clock, _ever_transplanted])
def test_planted_landmark_faults_are_caught(faulty):
    f = models.analysis_frame()
    f.loc[f["allo_hsct"], "hsct_time"] += 3.0  # some transplants after the landmark
    assert landmark_problems(faulty(f, models.LANDMARK), f, models.LANDMARK)


def test_the_landmark_does_not_depend_on_the_drawn_times():
    # every assumed transplant falls before the landmark, so other seeds give the same model
    first = models.landmark_cox(["mrd_neg", "hsct"])
    f = models.analysis_frame()
    f["hsct_time"] = models.transplant_times(f, seed=models.HSCT_SEED + 1)
    assert (f["hsct_time"].dropna() < models.LANDMARK).all()
    assert models.landmark_cox(["mrd_neg", "hsct"], frame=f)["hr"].to_numpy() == pytest.approx(
        first["hr"].to_numpy())


# ------------------------------------------------------------------ the bias, where truth is known
def _no_effect_cohort(n: int = 400, seed: int = 3) -> pd.DataFrame:
    """Death at a constant hazard whatever happens; half have a donor and are transplanted at
    a uniform 1-4 months, if still alive then. Transplant does nothing: the true HR is 1."""
    rng = np.random.default_rng(seed)
    death = rng.exponential(10.0, n)
    planned = np.where(rng.uniform(size=n) < 0.5, rng.uniform(1.0, 4.0, n), np.inf)
    os_time = np.minimum(death, 24.0)
    done = planned < os_time
    return pd.DataFrame({"os_time": os_time, "os_event": death < 24.0,
                         "hsct": done.astype(int), "allo_hsct": done,
                         "hsct_time": np.where(done, planned, np.nan), "mrd_time": np.nan})


def test_the_naive_model_finds_a_benefit_that_is_not_there():
    f = _no_effect_cohort()
    naive = models.cox_table(["hsct"], f).iloc[0]
    assert naive["high"] < 1  # a 'significant' protection from a transplant that does nothing
    tv = models.time_varying_cox(["hsct"], f).iloc[0]
    assert tv["low"] < 1 < tv["high"] and tv["hr"] > naive["hr"]
    lm = models.landmark_cox(["hsct"], 4.0, f).iloc[0]
    assert lm["low"] < 1 < lm["high"]


def test_the_page_shows_the_bias_direction_on_the_reconstruction():
    t = models.guarantee_time_table().set_index(["method", "term"])["hr"]
    naive = t[("naive", "hsct")]
    assert naive < t[("time_varying", "hsct")] and naive < t[("landmark", "hsct")]
    # the later the assumed transplants, the more guaranteed time the naive model credited
    tv = models.transplant_timing(["hsct"])["hr"].to_numpy()
    assert (np.diff(tv) > 0).all()


def test_the_page_says_transplant_timing_is_assumed_and_spells_the_term_whole():
    text = (ROOT / "book" / "survival.md").read_text()
    assert not re.search(r"guarantee-\s+time", text)
    assert "Transplant timing is an assumption of the reconstruction" in text
