"""vah.results: the registry of what the pages show, checked against the paper, and
reproducible in another process."""

import json
import os
import subprocess
import sys

from vah.results import provenance, registry


def test_primary_endpoint_matches_the_paper():
    reg = registry()
    # Abstract: CRc 70.8 % (95 % CI 60.8-79.2), ORR 78.1 %; 68 of 96 patients.
    assert (reg["efficacy.CRc_k"], reg["efficacy.CRc_pct"]) == (68, "70.8 %")
    assert reg["efficacy.ORR_pct"] == "78.1 %"
    assert reg["statistics.paper_ci"] == "60.8–79.2"
    # Methods: 87 patients by the sample-size formula, 96 planned.
    assert reg["statistics.n_published"] == 87


def test_exact_test_against_a_direct_sum():
    from scipy import stats

    pmf = stats.binom.pmf(range(97), 96, 0.45)
    p = sum(q for q in pmf if q <= pmf[68] * (1 + 1e-7))  # two-sided, as R's binom.test
    assert f"{p:.1e}" == "4.8e-07"
    assert registry()["statistics.p_exact"] == "4.8 × 10⁻⁷"


def test_provenance_of_a_published_number():
    record = provenance()["efficacy.CRc_pct"]
    assert record["page"] == "book/efficacy"
    assert record["ledger"]["published"].startswith("70.8")
    assert record["ledger"]["status"] == "match"


def test_two_processes_give_the_same_results():
    # Another process computes everything from scratch (no disk cache); this one has read what
    # the build kept on disk, or computed it: they agree.
    out = subprocess.run([sys.executable, "-m", "vah.cli", "results", "--format", "json"],
                         capture_output=True, text=True, timeout=300, check=True,
                         env={**os.environ, "VAH_CACHE_DIR": "off"})
    fresh = json.loads(out.stdout)
    assert json.loads(json.dumps(provenance())) == fresh
    assert fresh["efficacy.CRc_k"]["value"] == 68
