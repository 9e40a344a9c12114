"""CRc by risk group and mutation, as the paper reports them (Results, cytogenetic and molecular
response; Discussion for FLT3), with recomputed intervals."""

from __future__ import annotations

import pandas as pd

from vah import paper as pub
from vah.stats import binomial

__all__ = [
    "overall_crc",
    "subgroup_frame",
    "SUBGROUPS",
]

#: (family, label, claim id) of every subgroup CRc the paper reports with a count.
SUBGROUPS: tuple[tuple[str, str, str], ...] = (
    ("ELN 2017 risk", "Favourable", "results.subgroups.eln_fav"),
    ("ELN 2017 risk", "Intermediate", "results.subgroups.eln_int"),
    ("ELN 2017 risk", "Adverse", "results.subgroups.eln_adv"),
    ("Cytogenetic risk", "Favourable", "results.subgroups.cyto_fav"),
    ("Cytogenetic risk", "Intermediate", "results.subgroups.cyto_int"),
    ("Cytogenetic risk", "Poor", "results.subgroups.cyto_poor"),
    ("Mutation", "K/NRAS", "results.subgroups.ras_crc"),
    ("Mutation", "MLL", "results.subgroups.mll_crc"),
    ("Mutation", "FLT3", "discussion.flt3_crc"),
)


def subgroup_frame(method: str = "clopper_pearson") -> pd.DataFrame:
    """One row per subgroup: family, label, k, n, rate and 95 % CI (per cent) by ``method``,
    and the paper's printed rate and CI where printed."""
    rows = []
    for family, label, claim_id in SUBGROUPS:
        c = pub.claim(claim_id)
        k, n = int(c["k"]), int(c["n"])
        lo, hi = binomial.proportion_ci(k, n, method)
        ci = c.get("ci")
        rows.append({"family": family, "label": label, "k": k, "n": n, "rate": 100 * k / n,
                     "low": 100 * lo, "high": 100 * hi, "printed": c["printed"],
                     "printed_ci": f"{ci[0]}–{ci[1]}" if isinstance(ci, list) else "",
                     "claim": claim_id})
    return pd.DataFrame(rows)


def overall_crc() -> tuple[int, int]:
    """CRc after two cycles in all patients (Table 2)."""
    t2 = pub.table2().set_index(["row", "group"])
    return int(t2.loc[("CRc", "all"), "n"]), int(t2.loc[("CRc", "all"), "denominator"])
