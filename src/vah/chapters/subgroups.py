"""The Molecular subgroups page: CRc by ELN and cytogenetic risk and by mutation, the P values
across risk groups recomputed, and the forest plot."""

from __future__ import annotations

from vah import paper as pub
from vah.chapters import Value
from vah.display.figures import setup
from vah.display.figures.subgroups import forest
from vah.display.subgroups import SUBGROUPS, overall_crc, subgroup_frame
from vah.ledger import ci_method_findings, ledger_frame
from vah.ledger.entries import COHORT_DF_METHOD
from vah.paper.folder import cached_on_data
from vah.stats import binomial, contingency, fmt

__all__ = ["CI_METHOD", "P_CHECKS", "PAGE", "figures", "values"]

PAGE = "book/subgroups"
#: The interval the forest plot draws (the paper's own method is not a textbook one).
CI_METHOD = "clopper_pearson"
#: Glue keys of the risk-group families (the prose's ``eln_favourable``, ``cyto_poor``, ...).
FAMILY_KEYS = {"ELN 2017 risk": "eln", "Cytogenetic risk": "cyto"}
#: Mutations the prose quotes, by subgroup label.
MUTATIONS = ("K/NRAS", "MLL", "FLT3")
#: Cytogenetic P values the prose sets printed against recomputed: (ledger id, key prefix).
P_CHECKS = (("results.subgroups.cyto_p", "cyto_p"),
            ("results.subgroups.cyto_poor_vs_fav_p", "poor_fav"),
            ("results.subgroups.cyto_poor_vs_int_p", "poor_int"))


def _count_rate(k: int, n: int) -> str:
    return f"{k}/{n} ({fmt.pct(k, n)})"


@cached_on_data
def _values() -> dict[str, Value | int | str]:
    ledger = ledger_frame().set_index("id")

    def linked(text: str, entry: str, value: float | int | str | None = None) -> Value:
        return Value(text, entry, ledger.at[entry, "where"], value)

    k, n = overall_crc()
    out: dict[str, Value | int | str] = {"overall": linked(_count_rate(k, n), "table2.CRc.all")}
    frame = subgroup_frame(CI_METHOD).set_index(["family", "label"])
    claim_of = {(family, label): claim for family, label, claim in SUBGROUPS}
    keys = {(family, label): f"{key}_{label.lower()}" for family, key in FAMILY_KEYS.items()
            for label in frame.loc[family].index}
    keys |= {("Mutation", m): f"mut_{m.replace('/', '').lower()}" for m in MUTATIONS}
    for (family, label), key in keys.items():
        row = frame.loc[(family, label)]
        out[key] = linked(_count_rate(int(row.k), int(row.n)), claim_of[(family, label)])
    eln = frame.loc["ELN 2017 risk"]
    p_eln = contingency.all_p_values(contingency.table_from_groups(
        [int(x) for x in eln.k], [int(x) for x in eln.n]))
    out["eln_chi2"] = linked(fmt.p_value(p_eln["chi2"]), "results.subgroups.eln_p",
                             float(p_eln["chi2"]))
    out["eln_fisher"] = fmt.p_value(p_eln["fisher_exact"])
    out["eln_p_printed"] = linked(pub.claim("results.subgroups.eln_p")["printed"],
                                  "results.subgroups.eln_p")
    for entry, key in P_CHECKS:
        out[f"{key}_printed"] = linked(ledger.at[entry, "published"], entry)
        out[f"{key}_recomputed"] = linked(ledger.at[entry, "recomputed"], entry)
    t1 = pub.table1().query("characteristic == 'cytogenetics' and level == 'unknown' "
                            "and group == 'all'")
    unknown_n = int(t1["n"].iloc[0])
    out["unknown_n"] = linked(str(unknown_n), "table1.cytogenetics.unknown.all", unknown_n)
    out["unknown_k"] = int(k - frame.loc["Cytogenetic risk"].k.sum())
    mll_n = int(frame.loc[("Mutation", "MLL")].n)
    out["mll_n"] = linked(str(mll_n), "results.subgroups.mll_crc.denominator", mll_n)
    out |= _interval_counts()
    return out


def _interval_counts() -> dict[str, int]:
    """The intervals the paper prints for risk groups and mutations (ledger ids
    ``results.subgroups.*.ci``): how many, how many Stata's logit interval with the cohort's
    degrees of freedom reproduces, and how many any method of ``vah.stats.binomial`` on the
    subgroup's own size reproduces."""
    ci = ci_method_findings()
    ci = ci[ci["id"].str.startswith("results.subgroups.")]
    methods = [set(m.split(", ")) for m in ci["reproduced_by"]]
    reproduced = sum(COHORT_DF_METHOD in m for m in methods)
    if reproduced != len(ci):
        raise ValueError("not every subgroup interval is reproduced any more: update the "
                         "Molecular subgroups page")
    return {"n_sub_ci": len(ci), "n_sub_ci_reproduced": reproduced,
            "n_sub_ci_own_n": sum(bool(m & set(binomial.CI_METHODS)) for m in methods)}


def values() -> dict[str, Value | int | str]:
    """Every number and phrase the Molecular subgroups page glues, by key."""
    return dict(_values()) | exercise_values()


def figures() -> dict[str, object]:
    """The page's forest plot of subgroup CRc rates, by name."""
    setup()
    return {"fig-forest": forest(CI_METHOD)}


def exercise_values() -> dict[str, str | int]:
    """The numbers that the answers to the page's exercises quote (keys ``ex_*``)."""
    k, n_all = overall_crc()
    widths = []
    for n in (20, 50, 80, 100):
        low, high = binomial.proportion_ci(round(k / n_all * n), n, "clopper_pearson")
        widths.append(f"{fmt.number(100 * (high - low))} points with {n} patients")
    eln = subgroup_frame(CI_METHOD).query("family == 'ELN 2017 risk'").set_index("label")
    fav, rest = eln.loc["Favourable"], eln.drop("Favourable")
    kf, nf, kr, nr = int(fav.k), int(fav.n), int(rest.k.sum()), int(rest.n.sum())
    p = contingency.p_value_from_groups([kf, kr], [nf, nr], "fisher_exact")
    return {"ex_widths": ", ".join(widths[:-1]) + " and " + widths[-1],
            "ex_fav": _count_rate(kf, nf), "ex_rest": _count_rate(kr, nr),
            "ex_fav_p": fmt.p_value(p)}
