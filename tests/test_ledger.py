"""The reproduction ledger: pinned statuses, and spot checks with hand calculations."""

import csv
import json
import subprocess
import sys

import pytest

from conftest import ROOT
from vah import ledger as L

PINS = ROOT / "tests" / "ledger_pins.csv"


@pytest.fixture(scope="module")
def frame():
    return L.ledger_frame().set_index("id")


def test_every_status_and_recomputation_is_pinned(frame):
    """A change of status or of a recomputed value fails until someone reviews and re-pins it
    (`python -c "from vah.ledger import ledger_frame; ..."`, see tests/ledger_pins.csv)."""
    with PINS.open() as f:
        pins = {row["id"]: (row["status"], row["recomputed"]) for row in csv.DictReader(f)}
    now = {i: (r.status, r.recomputed) for i, r in frame.iterrows()}
    added, removed = sorted(set(now) - set(pins)), sorted(set(pins) - set(now))
    moved = sorted(i for i in set(now) & set(pins) if now[i] != pins[i])
    detail = [f"new: {i} {now[i]}" for i in added] + [f"gone: {i}" for i in removed] + [
        f"moved: {i} {pins[i]} -> {now[i]}" for i in moved]
    assert not detail, "ledger changed; review, then re-pin:\n" + "\n".join(detail[:40])


def test_columns_and_statuses(frame):
    assert list(L.ledger_frame().columns[:7]) == L.COLUMNS
    assert set(frame["status"]) <= set(L.STATUSES)
    needs_reason = frame[frame["status"] != "match"]
    assert (needs_reason["note"].str.len() > 20).all()


@pytest.mark.parametrize(("claim", "status"), [
    # 68/96 = 70.833 % -> 70.8 (Abstract): match.
    ("abstract.crc", "match"),
    # Table 3 nausea grade 1-2 printed "20 (22.9)": 20/96 = 20.8 %, not 22.9 -> mismatch.
    ("table3.nausea.g1_2", "mismatch"),
    # Allergic reaction "3 (3.7)": 3/96 = 3.125 % -> mismatch.
    ("table3.allergic_reaction.g1_2", "mismatch"),
    # TLS "2 patients (2.0%)": 2/96 = 2.083 %, within one unit of the last digit -> rounding.
    ("results.safety.tls", "rounding"),
    # Febrile neutropenia grade >= 3 "37.4%": 25 + 10 + 1 = 36, 36/96 = 37.5 % exactly -> mismatch.
    ("results.safety.fn_g3", "mismatch"),
    # Table 1 "Two 42 (43.7)": 42/96 = 43.75 %, half-up gives 43.8 -> rounding.
    ("table1.ven_cycles.two.all", "rounding"),
    # Planned enrolment: 87 / (1 - 0.10) = 96.7 -> 97, printed 96 -> mismatch.
    ("methods.planned_n", "mismatch"),
    # 1-year OS 61.5 % = 59/96 = 61.46 %, no censoring before 12 months -> match.
    ("abstract.os_12m", "match"),
    # Median OS needs patient-level data.
    ("abstract.os_median", "not-recomputable"),
])
def test_spot_checks(frame, claim, status):
    assert frame.loc[claim, "status"] == status


def test_sample_size_is_arcsine(frame):
    # Hand calculation in tests/test_binomial.py: the arcsine formula gives 87.
    assert frame.loc["methods.sample_size", "status"] == "match"
    assert "arcsine" in frame.loc["methods.sample_size", "note"]


def test_gender_p_is_chi_square(frame):
    # Hand chi-square in tests/test_contingency.py: P = 0.4686 -> printed 0.47.
    assert frame.loc["table1.p.gender", "status"] == "match"
    assert "chi2" in frame.loc["table1.p.gender", "note"]


def test_no_single_ci_method_reproduces_every_interval():
    tally = L.ci_method_tally()
    findings = L.ci_method_findings()
    assert max(tally.values()) < len(findings)


def test_compare_rules():
    assert L.compare("70.8", 70.8333) == "match"
    assert L.compare("56.3", 56.25) == "match"  # half-up
    assert L.compare("43.7", 43.75) == "rounding"
    assert L.compare("37.4", 37.5) == "mismatch"
    assert L.compare("4.65", 4.6512) == "match"


def run(*args):
    return subprocess.run([sys.executable, "-m", "vah.cli", *args], capture_output=True,
                          text=True, timeout=120)


def test_cli_csv_header_and_filter():
    out = run("ledger", "--format", "csv", "--status", "mismatch")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "id,where,quantity,published,recomputed,status,note"
    rows = list(csv.DictReader(out.stdout.splitlines()))
    assert rows and all(r["status"] == "mismatch" for r in rows)


def test_cli_json_and_bad_status():
    data = json.loads(run("ledger", "--format", "json", "--status", "rounding").stdout)
    assert data and {d["status"] for d in data} == {"rounding"}
    bad = run("ledger", "--status", "wrong")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
