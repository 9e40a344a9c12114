"""The reproduction ledger: pinned statuses and recomputations, and spot checks by hand."""

import csv
import math

import pytest

from conftest import ROOT
from vah import ledger as L
from vah.errors import DataError
from vah.ledger import entries

PINS = ROOT / "tests" / "ledger_statuses.csv"


@pytest.fixture(scope="module")
def frame():
    return L.ledger_frame().set_index("id")


def test_every_status_and_recomputation_is_pinned(frame):
    """A change of status or of a recomputed value fails until someone reviews it and re-pins
    tests/ledger_statuses.csv (id,status,recomputed), e.g. with
    `python -c "from vah.ledger import ledger_frame as f; f()[['id','status','recomputed']]
    .to_csv('tests/ledger_statuses.csv', index=False)"`."""
    with PINS.open() as f:
        pins = {row["id"]: (row["status"], row["recomputed"]) for row in csv.DictReader(f)}
    now = {i: (r.status, r.recomputed) for i, r in frame.iterrows()}
    added, removed = sorted(set(now) - set(pins)), sorted(set(pins) - set(now))
    moved = sorted(i for i in set(now) & set(pins) if now[i][0] != pins[i][0])
    changed = sorted(i for i in set(now) & set(pins) if now[i][0] == pins[i][0]
                     and now[i][1] != pins[i][1])
    detail = ([f"new: {i} {now[i]}" for i in added] + [f"gone: {i}" for i in removed]
              + [f"status moved: {i} {pins[i][0]} -> {now[i][0]}" for i in moved]
              + [f"recomputed changed: {i} {pins[i][1]!r} -> {now[i][1]!r}" for i in changed])
    assert not detail, "ledger changed; review, then re-pin:\n" + "\n".join(detail[:60])


def test_columns_statuses_and_reasons(frame):
    # The CLI prints these columns in this order.
    assert list(L.ledger_frame().columns) == L.COLUMNS
    assert frame.index.is_unique
    assert set(frame["status"]) <= set(L.STATUSES)
    needs_reason = frame[frame["status"] != "match"]
    assert (needs_reason["note"].str.len() > 20).all()


def test_sections_partition_the_ledger():
    counts = L.section_counts()
    assert list(counts.index) == list(L.SECTIONS)
    assert counts["total"].sum() == len(L.ledger_frame())
    assert sum(L.status_counts().values()) == len(L.ledger_frame())
    assert set(L.ledger_frame("safety")["id"]) >= {"table3.nausea.g1_2", "abstract.fn_g34"}
    with pytest.raises(DataError, match="unknown ledger section"):
        L.ledger_frame("nowhere")


@pytest.mark.parametrize(("entry", "status"), [
    # 68/96 = 0.70833 -> 70.8 % (Abstract): match.
    ("abstract.crc", "match"),
    # Table 3 nausea grade 1-2 printed "20 (22.9)": 20/96 = 20.83 %; 22.9 % is 22/96.
    ("table3.nausea.g1_2", "mismatch"),
    # Allergic reaction "3 (3.7)": 3/96 = 3.125 %; 3.7 % of 96 is 3.55 patients.
    ("table3.allergic_reaction.g1_2", "mismatch"),
    # TLS "2 patients (2.0%)": 2/96 = 2.083 %, which truncates to 2.0 -> rounding.
    ("results.safety.tls", "rounding"),
    # Febrile neutropenia grade >= 3 "37.4%": 25 + 10 + 1 = 36, 36/96 = 37.5 % exactly: no
    # rounding rule turns an exact 37.50 into 37.4 -> mismatch.
    ("results.safety.fn_g3", "mismatch"),
    # Abstract, grade 3-4 febrile neutropenia 37.4 %: 25 + 10 = 35, 35/96 = 36.46 % -> mismatch.
    ("abstract.fn_g34", "mismatch"),
    # Sepsis grade >= 3 "11.4%": 10 + 1 = 11, 11/96 = 11.458 %, truncated -> rounding.
    ("results.safety.sepsis_serious", "rounding"),
    # Heart failure grade >= 3 "4.1%": 2 + 1 + 1 = 4, 4/96 = 4.167 %, truncated -> rounding.
    ("results.safety.hf_serious", "rounding"),
    # Discussion, grade 4-5 febrile neutropenia 11.4 %: 10 + 1 = 11 -> 11.458 % -> rounding.
    ("discussion.fn_g45", "rounding"),
    # MRD- among CRc 58.8 %: 40/68 = 0.58824 -> match; deaths from relapse 36/43 = 83.72 %.
    ("abstract.mrd_neg", "match"),
    ("results.survival.death_relapse", "match"),
    # Discussion FLT3 CRc 78.9 % = 15/19 = 0.78947 -> match.
    ("discussion.flt3_crc", "match"),
    # Table 1 "Two 42 (43.7)": 42/96 = 43.75 %; half-up 43.8, but 46.9 + 43.7 + 9.4 = 100.0.
    ("table1.ven_cycles.two.all", "rounding"),
    # Table 1 "Prior HMA, relapsed after chemotherapy, Yes 9 (56.3)": 9/16 = 56.25 -> half-up.
    ("table1.prior_hma.yes.relapsed_chemo", "match"),
    # ELN refractory 7 + 10 + 20 = 37.
    ("table1.eln.sum.refractory", "match"),
    # Planned enrolment: 87 / (1 - 0.10) = 96.7 -> 97, printed 96 -> mismatch.
    ("methods.planned_n", "mismatch"),
    # 1-year OS 61.5 % = 59/96 = 61.46 %, no censoring before 12 months -> match.
    ("abstract.os_12m", "match"),
    # Median OS needs patient-level data: checked on the reconstructed cohort (issue 5).
    ("abstract.os_median", "reconstructed"),
    # Median age needs patient-level ages, which no calibration target fixes.
    ("table1.age.all", "not-recomputable"),
    # Sample-size parameters agree with the design encoded in vah.trial.protocol (45 %, 15 %, ...).
    ("methods.p0", "match"),
    ("methods.improvement", "match"),
])
def test_spot_checks(frame, entry, status):
    assert frame.loc[entry, "status"] == status


def test_recomputed_percentages_by_hand(frame):
    # 9/16 = 0.5625 -> 56.3 (half-up); 7/16 = 0.4375 -> 43.8 (half-up).
    assert frame.loc["table1.prior_hma.yes.relapsed_chemo", "recomputed"] == "9 (56.3)"
    assert frame.loc["table1.prior_hma.no.relapsed_chemo", "recomputed"] == "7 (43.8)"
    # 2/96 = 0.020833 -> 2.1 %.
    assert frame.loc["results.safety.tls", "recomputed"] == "2.1 % (2/96)"


def test_sample_size_is_arcsine(frame):
    # Hand calculation in tests/test_binomial.py: the arcsine formula gives 87.
    assert frame.loc["methods.sample_size", "status"] == "match"
    assert "arcsine" in frame.loc["methods.sample_size", "note"]
    ss = L.sample_size_findings().set_index("method")
    assert ss.loc["arcsine", "gives_published_n"]
    # 87 x 1.1 = 95.7 -> 96 (the print); 87 / 0.9 = 96.67 -> 97.
    assert (ss.loc["arcsine", "enrol_multiplied"], ss.loc["arcsine", "enrol_divided"]) == (96, 97)


def test_gender_p_is_chi_square(frame):
    # Hand chi-square in tests/test_contingency.py: P = 0.4686 -> printed 0.47.
    assert frame.loc["table1.p.gender", "status"] == "match"
    p = L.p_value_findings().set_index("id")
    assert "chi2" in p.loc["table1.p.gender", "reproduced_by"].split(", ")
    assert math.isnan(p.loc["table1.p.gender", "chi2_yates"])  # 2 x 3: no Yates correction


def test_swapped_cytogenetic_p_values(frame):
    # Poor 15/27 vs favourable 6/6 and vs intermediate 41/53: chi-square gives 0.041 and 0.044,
    # printed the other way round.
    p = L.p_value_findings().set_index("id")
    assert round(p.loc["results.subgroups.cyto_poor_vs_fav_p", "chi2"], 3) == 0.041
    assert round(p.loc["results.subgroups.cyto_poor_vs_int_p", "chi2"], 3) == 0.044


def test_stata_logit_with_cohort_df_reproduces_every_interval():
    # Hand calculation for Table 2, CRc, relapsed after chemotherapy, 10/16 (printed 36.6-82.8):
    # p = 0.625; SE of a mean of 0/1 values sqrt(p(1-p)/(n-1)) = sqrt(0.234375/15) = 0.125;
    # on the logit scale 0.125 / 0.234375 = 0.53333; logit(p) = 0.510826; t(95) = 1.985251;
    # 0.510826 -+ 1.058801 -> expit -> 0.36634 and 0.82771 -> 36.6-82.8.
    assert entries.ci_entry("x", "w", "q", ("36.6", "82.8"), 10, 16).status == "match"
    tally = L.ci_method_tally()
    findings = L.ci_method_findings()
    assert tally[entries.COHORT_DF_METHOD] == len(findings)
    # ...and no textbook method (per-group degrees of freedom or none) reproduces them all.
    assert max(v for m, v in tally.items() if m != entries.COHORT_DF_METHOD) < len(findings)


def test_implied_logit_critical_value_by_hand():
    # logit(68/96) = ln(68/28) = 0.88730; se = sqrt(1/68 + 1/28) = 0.22454.
    # Lower bound printed 60.8, i.e. 60.75..60.85: logit 0.43682..0.44102, so
    # c = (0.88730 - 0.44102) / 0.22454 = 1.9875 .. (0.88730 - 0.43682) / 0.22454 = 2.0062.
    # Upper bound 79.15..79.25: logit 1.33399..1.34007, c = 1.9893 .. 2.0163.
    # Both: 1.9893 .. 2.0062 (the normal 1.960 and t(95) 1.985 lie outside).
    lo, hi = entries.implied_logit_critical_value(68, 96, ("60.8", "79.2"))
    assert (round(lo, 3), round(hi, 3)) == (1.989, 2.006)


def test_compare_rules():
    assert L.compare("70.8", 70.8333) == "match"
    assert L.compare("56.3", 56.25) == "match"  # half-up
    assert L.compare("43.7", 43.75) == "rounding"  # half-down / half-even
    assert L.compare("37.4", 37.5) == "mismatch"  # exact 37.50 cannot round to 37.4
    assert L.compare("2.0", 2.0833) == "rounding"  # truncated
    assert L.compare("4.65", 4.6512) == "match"


def test_reconstruction_checks_are_an_argument_not_state():
    def row(checks):
        return L.ledger_frame(checks=checks).set_index("id").loc["abstract.os_median"]

    default = L.status_counts()
    # Median OS printed 22.1 months: within 0.5 of 22.0, outside 0.5 of 25.0.
    within = row((("abstract.os_median", 22.0, 0.5, "test cohort"),))
    assert (within.status, within.recomputed) == ("reconstructed", "22.0 (reconstructed cohort)")
    outside = row((("abstract.os_median", 25.0, 0.5, "test cohort"),))
    assert outside.status == "not-recomputable" and "outside" in outside.note
    assert row(()).status == "not-recomputable"  # no checks: nothing reconstructed
    with pytest.raises(DataError, match="cannot override"):
        L.ledger_frame(checks=(("abstract.crc", 70.8, 0.1, ""),))
    with pytest.raises(DataError, match="unknown ledger ids"):
        L.ledger_frame(checks=(("no.such.entry", 1.0, 0.1, ""),))
    with pytest.raises(DataError, match="must be >= 0"):
        L.ledger_frame(checks=(("abstract.os_median", 22.0, -1.0, ""),))
    # none of that changed the default ledger, which uses the reconstructed cohort
    assert L.status_counts() == default and default["reconstructed"] > 0
    frame = L.ledger_frame()
    frame.loc[0, "status"] = "planted"
    assert L.ledger_frame().loc[0, "status"] != "planted"  # callers get copies


def test_exact_test_of_crc_against_historical_rate():
    # 68/96 = 70.8 % against 45 %: the expected count is 43.2 with SD sqrt(96 x 0.45 x 0.55)
    # = 4.87, so 68 lies 5.1 SD above it; a normal tail of 5 SD is about 3e-7 each side, so the
    # exact two-sided P must be of order 1e-7 to 1e-6.
    f = L.exact_test_finding()
    assert (f["k"], f["n"], f["p0"]) == (68, 96, 0.45)
    assert 1e-8 < f["p_two_sided"] < 1e-5


def run(*args):
    import subprocess
    import sys
    return subprocess.run([sys.executable, "-m", "vah.cli", *args], capture_output=True,
                          text=True, timeout=120)


def test_cli_csv_header_and_filter():
    out = run("ledger", "--format", "csv", "--status", "mismatch")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "id,where,quantity,published,recomputed,status,note"
    rows = list(csv.DictReader(out.stdout.splitlines()))
    assert rows and all(r["status"] == "mismatch" for r in rows)
