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
    """A change of status, basis or recomputed value fails until someone reviews it and re-pins
    tests/ledger_statuses.csv (id,status,basis,recomputed), e.g. with
    `python -c "from vah.ledger import ledger_frame as f; f()[['id','status','basis',
    'recomputed']].to_csv('tests/ledger_statuses.csv', index=False)"`."""
    with PINS.open() as f:
        pins = {row["id"]: (row["status"] + "/" + row["basis"], row["recomputed"])
                for row in csv.DictReader(f)}
    now = {i: (r.status + "/" + r.basis, r.recomputed) for i, r in frame.iterrows()}
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
    # TLS "2 patients (2.0%)": 2/96 = 2.083 %; Table 3's cells 1.0 + 1.0 = 2.0 -> rounding.
    ("results.safety.tls", "rounding"),
    # Febrile neutropenia grade >= 3 "37.4%": 36/96 = 37.5 % exactly, no rounding of it gives
    # 37.4, but Table 3's printed cells 26.0 + 10.4 + 1.0 = 37.4 -> rounding (summed cells).
    ("results.safety.fn_g3", "rounding"),
    # Abstract, grade 3-4 febrile neutropenia 37.4 %: 26.0 + 10.4 = 36.4, 35/96 = 36.46 % ->
    # mismatch (the print is grades 3-5 summed).
    ("abstract.fn_g34", "mismatch"),
    # Sepsis grade >= 3 "11.4%": 11/96 = 11.458 %; cells 10.4 + 1.0 = 11.4 -> rounding.
    ("results.safety.sepsis_serious", "rounding"),
    # Heart failure grade >= 3 "4.1%": 4/96 = 4.167 %; cells 2.1 + 1.0 + 1.0 = 4.1 -> rounding.
    ("results.safety.hf_serious", "rounding"),
    # Discussion, grade 4-5 febrile neutropenia 11.4 %: cells 10.4 + 1.0 = 11.4 -> rounding.
    ("discussion.fn_g45", "rounding"),
    # Table 2 EFS at 12 months by group 24/37, 7/16, 18/43: chi-square P 0.0993 -> 0.099.
    ("table2.p.EFS_12m", "match"),
    # OS at 12 months 26/37, 9/16, 24/43: chi-square 0.373, Fisher 0.392, printed 0.345.
    ("table2.p.OS_12m", "mismatch"),
    # HR 0.36 (0.13-0.98): sqrt(0.13 x 0.98) = 0.357 -> 0.36.
    ("results.survival.hr_hsct.midpoint", "match"),
    # DFS 1 year 69.4 %: 31/40 + 19/32 by transplant = 50/72 = 69.44 %.
    ("results.survival.dfs_12m_by_hsct", "match"),
    # Its log-log CI on 50/72 without censoring: 57.4-78.7 as printed.
    ("results.survival.dfs_12m.ci", "match"),
    # The Abstract's "95% CI 6.6-22.8" of follow-up is the Results' IQR.
    ("abstract.followup.interval_label", "mismatch"),
    # MRD- among CRc 58.8 %: 40/68 = 0.58824 -> match; deaths from relapse 36/43 = 83.72 %.
    ("abstract.mrd_neg", "match"),
    ("results.survival.death_relapse", "match"),
    # Discussion FLT3 CRc 78.9 % of 19: 15/19 = 78.947 % is the only count that gives it, but
    # 15 is not printed, so nothing checks the rate.
    ("discussion.flt3_crc", "not-recomputable"),
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
    # Median OS needs patient-level data; the reconstruction was fitted to it, which checks
    # nothing.
    ("abstract.os_median", "not-recomputable"),
    # Median age needs patient-level ages, which no calibration target fixes.
    ("table1.age.all", "not-recomputable"),
    # Sample-size parameters: vah.trial.protocol's design is typed from this very sentence, so
    # comparing them checks nothing.
    ("methods.p0", "not-recomputable"),
    ("methods.improvement", "not-recomputable"),
])
def test_spot_checks(frame, entry, status):
    assert frame.loc[entry, "status"] == status


@pytest.mark.parametrize(("entry", "basis"), [
    ("table1.gender.male.all", "counts"),  # 51 of 96, both printed
    ("abstract.crc.numerator", "restated"),  # the text's 68 is Table 2's 68
    ("abstract.ven_day1", "restated"),  # the Abstract restates the Methods' dose
    ("methods.p0", "none"),  # typed from the sentence it is compared with
    ("results.safety.discontinued", "none"),  # 9.4 %, its count not printed
    ("abstract.os_median", "calibrated"),  # the seeds were searched to meet it
    ("table2.OS_12m.all.from_groups", "counts"),  # 26 + 9 + 24 = 59 of 96
])
def test_basis(frame, entry, basis):
    assert frame.loc[entry, "basis"] == basis


def test_no_calibrated_entry_agrees_and_counts_name_their_inputs(frame):
    assert set(frame["basis"]) <= set(L.BASES)
    assert "reconstructed" not in set(frame["status"])
    calibrated = frame[frame["basis"].isin(["calibrated", "held-out"])]
    assert len(calibrated) and (calibrated["status"] == "not-recomputable").all()
    counts = frame[frame["basis"] == "counts"]
    assert len(counts) >= 450
    assert (counts["inputs"].str.len() > 3).all()
    # a vacuous entry (a printed zero against itself) is gone
    assert not any(i.startswith("table3.") and frame.loc[i, "published"] == "0"
                   for i in frame.index)


def test_a_table1_zero_percentage_is_checked():
    # "k (0)" with k > 0 used to match whatever k was: 3/16 printed as 0 must be flagged.
    from vah.ledger.entries import pct_entry

    assert pct_entry("x", "y", "z", "0", 3, 16).status == "mismatch"
    assert pct_entry("x", "y", "z", "0", 0, 16).status == "match"


def test_rounding_evidence_by_hand():
    ev = L.rounding_evidence()
    # 9/16 = 56.25 is a tie printed 56.3 (Table 1): ties are counted and resolved upwards.
    assert ev["ties"] >= 1 and ev["ties_up"] == ev["ties"]
    assert ev["half_up"] <= ev["percentages"] and ev["percentages"] >= 250


def test_recomputed_percentages_by_hand(frame):
    # 9/16 = 0.5625 -> 56.3 (half-up); 7/16 = 0.4375 -> 43.8 (half-up).
    assert frame.loc["table1.prior_hma.yes.relapsed_chemo", "recomputed"] == "9 (56.3)"
    assert frame.loc["table1.prior_hma.no.relapsed_chemo", "recomputed"] == "7 (43.8)"
    # 2/96 = 0.020833 -> 2.1 %.
    assert frame.loc["results.safety.tls", "recomputed"] == "2.1 % (2/96)"


def test_sample_size_is_arcsine(frame):
    # Hand calculation in tests/test_binomial.py: the arcsine formula gives 87; so does the
    # normal approximation with the variance at the mean rate 0.525:
    # (1.95996 + 0.84162)^2 x 0.525 x 0.475 / 0.15^2 = 86.99 -> 87.
    assert frame.loc["methods.sample_size", "status"] == "match"
    note = frame.loc["methods.sample_size", "note"]
    assert "arcsine (two-sided)" in note and "normal_mean_var (two-sided)" in note
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

    default = L.basis_counts()
    # Median OS printed 22.1 months. A cohort fitted to it never makes it agree; a held-out one
    # within 0.5 of 22.0 is within, outside 0.5 of 25.0 is outside; the status stays.
    fitted = row((("abstract.os_median", 22.0, 0.5, "test cohort", "calibrated"),))
    assert (fitted.status, fitted.basis) == ("not-recomputable", "calibrated")
    assert fitted.recomputed == "22.0 (reconstructed cohort, fitted to it)"
    within = row((("abstract.os_median", 22.0, 0.5, "test cohort", "held-out"),))
    assert (within.status, within.basis) == ("not-recomputable", "held-out")
    assert "within the tolerance" in within.note
    outside = row((("abstract.os_median", 25.0, 0.5, "test cohort", "held-out"),))
    assert "outside the tolerance" in outside.note
    assert row(()).basis == "none"  # no checks: nothing reconstructed
    # a number the paper's counts recompute keeps its own check
    assert L.ledger_frame(checks=(("abstract.crc", 70.8, 0.1, "", "calibrated"),)).set_index(
        "id").loc["abstract.crc", "basis"] == "counts"
    with pytest.raises(DataError, match="unknown ledger ids"):
        L.ledger_frame(checks=(("no.such.entry", 1.0, 0.1, "", "held-out"),))
    with pytest.raises(DataError, match="must be >= 0"):
        L.ledger_frame(checks=(("abstract.os_median", 22.0, -1.0, "", "held-out"),))
    with pytest.raises(DataError, match="basis must be"):
        L.ledger_frame(checks=(("abstract.os_median", 22.0, 1.0, "", "agrees"),))
    # none of that changed the default ledger, which uses the reconstructed cohort
    assert L.basis_counts().equals(default) and default.loc["calibrated", "total"] > 0
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
    assert lines[0] == "id,where,quantity,published,recomputed,status,basis,inputs,note"
    rows = list(csv.DictReader(out.stdout.splitlines()))
    assert rows and all(r["status"] == "mismatch" for r in rows)


def test_readme_states_how_many_entries_are_checked():
    import re

    from conftest import ROOT

    text = (ROOT / "README.md").read_text()
    found = re.search(r"Of its (\d+) entries, (\d+) have\s+basis `counts`", text)
    assert found, "the README no longer says how many ledger entries are checked"
    table = L.basis_counts()
    assert (int(found[1]), int(found[2])) == (int(table["total"].sum()),
                                              int(table.loc["counts", "total"]))
