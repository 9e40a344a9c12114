"""The `vah` console script: output shapes and one-line errors with exit status 2.

Most tests call the command line in this process (``run``: what it prints and its exit status,
as a shell sees them); the smoke tests at the end start it as a person types it."""

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from vah.cli import main


def run(*args: str) -> subprocess.CompletedProcess:
    """``vah ARGS`` in this process: its exit status, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(args))
        except SystemExit as exc:  # argparse's usage errors
            status = exc.code if isinstance(exc.code, int) else 2
    return subprocess.CompletedProcess(["vah", *args], status, out.getvalue(), err.getvalue())


def typed(*args: str) -> subprocess.CompletedProcess:
    """``vah ARGS`` as a person types it: the console script in a process of its own."""
    return subprocess.run([str(Path(sys.executable).with_name("vah")),
                           *args], capture_output=True, text=True, timeout=120)


def test_dose_json_keys_and_values():
    out = run("dose", "--height", "170cm", "--weight", "70kg", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {"bsa_m2", "formula", "days", "totals_mg"} <= set(data)
    assert data["formula"] == "mosteller"
    assert data["bsa_m2"] == pytest.approx(1.8181, abs=1e-4)  # sqrt(170*70/3600)
    assert len(data["days"]) == 14
    assert data["totals_mg"]["venetoclax"] == 5100  # 100 + 200 + 12 x 400


def test_dose_table(capsys):
    assert main(["dose", "--height", "1.7 m", "--weight", "70 kg", "--formula", "dubois"]) == 0
    out = capsys.readouterr().out
    # DuBois: 0.007184 * 170**0.725 * 70**0.425 = 1.8097 m2 -> "1.81 m2"
    assert "BSA 1.81 m2 (dubois)" in out
    lines = out.splitlines()
    assert len(lines) == 18  # title, header, 14 days, sum, the disclaimer
    assert lines[-1].endswith("not for prescribing.")


@pytest.mark.parametrize(("inhibitor", "day4_mg", "rule"), [
    ("strong", 100, "then 100 mg"), ("posaconazole", 70, "then 70 mg"),
    ("moderate", 200, "at least 50 %"), ("pgp", 200, "at least 50 %")])
def test_inhibitors_follow_the_label(inhibitor, day4_mg, rule):
    # the label's AML schedules: 10/20/50 mg then 100 mg (70 mg with posaconazole); moderate
    # CYP3A or P-gp inhibitors at least 50 % less (400 -> 200 mg)
    out = run("dose", "--height", "170cm", "--weight", "70kg", "--cyp3a4", inhibitor)
    assert out.returncode == 0, out.stderr
    day4 = next(line for line in out.stdout.splitlines() if line.startswith("  4 "))
    assert f"{day4_mg:.2f} mg" in day4
    assert "follows the label: " in out.stdout and rule in out.stdout
    assert "not for prescribing" in out.stdout
    data = json.loads(run("dose", "--height", "170cm", "--weight", "70kg", "--cyp3a4", inhibitor,
                          "--json").stdout)
    assert data["days"][3]["venetoclax"] == day4_mg
    assert "not for prescribing" in data["disclaimer"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--height", "70kg", "--weight", "70kg"], "expected a quantity in cm, got kg"),
        (["--height", "170", "--weight", "70kg"], "has no unit"),
        (["--height", "170cm", "--weight", "70"], "has no unit"),
        (["--height", "0cm", "--weight", "70kg"], "must be a positive number"),
        (["--height", "-170cm", "--weight", "70kg"], "must be a positive number"),
        (["--height", "170cm", "--weight", "-70kg"], "must be a positive number"),
        (["--height", "90cm", "--weight", "70kg"], "implausible"),
        (["--height", "260cm", "--weight", "70kg"], "implausible"),
        (["--height", "170cm", "--weight", "20kg"], "implausible"),
        (["--height", "170cm", "--weight", "400kg"], "implausible"),
        (["--height", "170cm", "--weight", "70kg", "--formula", "bogus"], "invalid choice"),
        (["--height", "170cm", "--weight", "70kg", "--cyp3a4", "weak"], "invalid choice"),
        (["--height", "tall", "--weight", "70kg"], "cannot read"),
        (["--weight", "70kg"], "required"),
    ],
)
def test_bad_input_is_one_line_exit_2(args, fragment):
    out = run("dose", *args)
    assert out.returncode == 2
    assert out.stdout == ""
    assert fragment in out.stderr
    assert out.stderr.count("\n") == 1, out.stderr
    assert "Traceback" not in out.stderr


def test_the_cli_offers_exactly_the_ledgers_statuses_and_bases(capsys):
    from vah import ledger as L
    from vah.cli import main

    frame = L.ledger_frame()
    # every status and basis the ledger uses is offered, and every one offered is the ledger's
    assert set(frame["status"]) == set(L.STATUSES)
    assert set(frame["basis"]) == set(L.BASES)
    for option, words in (("--status", L.STATUSES), ("--basis", L.BASES)):
        with pytest.raises(SystemExit):
            main(["ledger", option, "no-such-word"])
        message = capsys.readouterr().err
        assert all(f"'{w}'" in message for w in words), message
    assert list(frame.columns) == list(L.COLUMNS)


@pytest.mark.parametrize("args", [
    ("dose", "--height", "170cm", "--weight", "70kg", "--json"),
    ("dose", "--height", "170", "--weight", "70kg"),
    ("ledger", "--status", "no-such-status"),
])
def test_typed_in_a_shell_as_in_process(args):
    # the console script prints and exits as the in-process calls above say it does
    shell, here = typed(*args), run(*args)
    assert (shell.returncode, shell.stdout, shell.stderr.replace("vah.cli", "vah")) == (
        here.returncode, here.stdout, here.stderr.replace("vah.cli", "vah"))
    assert shell.returncode in (0, 2) and shell.stderr.count("\n") == (shell.returncode == 2)
