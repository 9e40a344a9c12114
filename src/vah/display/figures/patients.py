"""The trial profile (CONSORT-style flow) drawn from the published counts."""

from __future__ import annotations

from matplotlib.figure import Figure

from vah import paper as pub
from vah.display.figures.consort import Box, flow_diagram

__all__ = [
    "trial_profile",
]


def _k(claim_id: str) -> int:
    return int(pub.claim(claim_id)["k"]) if "k" in pub.claim(claim_id) else int(
        pub.claim(claim_id)["printed"])


def trial_profile() -> Figure:
    """Screened -> enrolled -> disease groups -> CRc or not -> transplant and other paths."""
    assessed = int(pub.claim("results.patients.assessed")["printed"])
    n = pub.group_n("all")
    t2 = pub.table2().set_index(["row", "group"])
    crc = int(t2.loc[("CRc", "all"), "n"])
    groups = {g: pub.group_n(g) for g in pub.DISEASE_GROUPS}
    one = int(pub.claim("results.patients.one_cycle")["k"])
    two = int(pub.claim("results.patients.two_cycles")["k"])
    three = int(pub.claim("results.patients.three_cycles")["k"])
    hsct = _k("results.efficacy.crc_to_hsct")
    cons = _k("results.efficacy.crc_consolidation")
    gave_up = _k("results.efficacy.crc_gave_up")
    salvage = _k("results.efficacy.noncrc_salvage")
    stopped = _k("results.efficacy.noncrc_gave_up")
    # Centres and widths (axis units) chosen so that every box, its 0.006 rounding pad
    # included, lies inside 0-1 and fits its text at 10 pt in a 7.5 in wide figure.
    boxes = [
        Box("a", f"Assessed for eligibility\nn = {assessed}", 0.5, 0.93, ("x", "e"), width=0.3),
        Box("x", f"Not enrolled\nn = {assessed - n}", 0.84, 0.86, side=True, width=0.22),
        Box("e", f"Enrolled and treated with VAH\nn = {n}", 0.5, 0.77, ("r", "c", "h"),
            width=0.36),
        Box("r", f"Refractory\nn = {groups['refractory']}", 0.16, 0.62, ("cy",), width=0.28),
        Box("c", f"Relapsed after chemotherapy\nn = {groups['relapsed_chemo']}", 0.5, 0.62,
            ("cy",), width=0.34),
        Box("h", f"Relapsed after allo-HSCT\nn = {groups['relapsed_hsct']}", 0.84, 0.62,
            ("cy",), width=0.28),
        Box("cy", f"Cycles received: one {one}, two {two}, three {three}", 0.5, 0.47,
            ("yes", "no"), width=0.56),
        Box("yes", f"CRc\nn = {crc}", 0.27, 0.32, ("t1", "t2", "t3"), width=0.2),
        Box("no", f"No CRc\nn = {n - crc}", 0.76, 0.32, ("s1", "s2"), width=0.2),
        Box("t1", f"allo-HSCT\nn = {hsct}", 0.085, 0.14, width=0.15),
        Box("t2", f"Consolidation\nn = {cons}", 0.265, 0.14, width=0.17),
        Box("t3", f"Declined\nn = {gave_up}", 0.45, 0.14, width=0.13),
        Box("s1", f"Other salvage\nn = {salvage}", 0.645, 0.14, width=0.17),
        Box("s2", f"Stopped or died\nn = {stopped}", 0.865, 0.14, width=0.19),
    ]
    return flow_diagram(boxes, height=6.6, width=7.5, fontsize=10)
