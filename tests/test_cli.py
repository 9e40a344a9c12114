"""The `vah` console script: output shapes and one-line errors with exit status 2."""

import json
import subprocess
import sys

import pytest

from vah.cli import main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vah.cli", *args], capture_output=True,
                          text=True, timeout=60)


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
    assert out.count("\n") == 17  # title, header, 14 days, sum


def test_cyp3a4_strong_in_json():
    data = json.loads(run("dose", "--height", "170cm", "--weight", "70kg", "--cyp3a4", "strong",
                          "--json").stdout)
    assert data["totals_mg"]["venetoclax"] == 2550


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
