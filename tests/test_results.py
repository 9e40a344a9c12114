"""vah.results: the registry of computed numbers, checked against the paper, and reproducible."""

import json
import subprocess
import sys

from vah.results import registry


def test_primary_endpoint_matches_the_paper():
    reg = registry()
    # Abstract: CRc 70.8 % (95 % CI 60.8-79.2), ORR 78.1 % (68.6-85.4).
    assert round(reg["efficacy.CRc.pct"], 1) == 70.8
    assert (round(reg["efficacy.CRc.ci_low_pct"], 1), round(reg["efficacy.CRc.ci_high_pct"], 1)) \
        == (60.8, 79.2)
    assert (round(reg["efficacy.ORR.ci_low_pct"], 1), round(reg["efficacy.ORR.ci_high_pct"], 1)) \
        == (68.6, 85.4)
    # Methods: 87 patients by the (arcsine) formula the ledger identified.
    assert reg["design.sample_size.arcsine"] == 87


def test_exact_test_against_a_direct_sum():
    from scipy import stats

    pmf = stats.binom.pmf(range(97), 96, 0.45)
    assert abs(registry()["design.exact_test_p"]
               - sum(p for p in pmf if p <= pmf[68] * (1 + 1e-7))) < 1e-12


def test_values_are_plain_json_types():
    assert all(isinstance(v, (int, float, str)) for v in registry().values())


def test_two_processes_give_the_same_registry():
    def run() -> dict:
        out = subprocess.run([sys.executable, "-m", "vah.cli", "results", "--format", "json"],
                             capture_output=True, text=True, timeout=300, check=True)
        return json.loads(out.stdout)

    assert run() == run()
