"""The Patients page: the flow of patients, Table 1 rebuilt, and the differences between the
disease groups."""

from __future__ import annotations

from vah import paper as pub
from vah.chapters import Value, linked
from vah.display.figures import setup
from vah.display.figures.patients import trial_profile
from vah.display.report import ABBREVIATIONS, table1_frame
from vah.display.tables import myst_table
from vah.ledger import ledger_frame
from vah.paper.folder import cached_on_data
from vah.stats import contingency, fmt

__all__ = ["PAGE", "figures", "table1", "values"]

PAGE = "book/patients"
#: The ledger entry of each disease group's size, as the Results restate it (count, share).
GROUP_ENTRIES = {
    "refractory": ("results.patients.refractory_pct.numerator", "results.patients.refractory_pct"),
    "relapsed_chemo": ("results.patients.relapsed_chemo_pct.numerator",
                       "results.patients.relapsed_chemo_pct"),
    "relapsed_hsct": ("results.patients.relapsed_hsct_pct.numerator",
                      "results.patients.relapsed_hsct_pct"),
}


def _cell(characteristic: str, level: str, group: str = "all") -> int:
    """A Table 1 count."""
    t1 = pub.table1().set_index(["characteristic", "level", "group"])
    return int(t1.loc[(characteristic, level, group), "n"])


@cached_on_data
def _values() -> dict[str, Value | int | str]:
    n_all = pub.group_n("all")
    assessed = int(pub.claim("results.patients.assessed")["printed"])
    out: dict[str, Value | int | str] = {
        "n_all": linked(n_all, "results.patients.enrolled", n_all),
        "assessed": linked(assessed, "results.patients.assessed", assessed),
    }
    for g, (count_entry, pct_entry) in GROUP_ENTRIES.items():
        n = pub.group_n(g)
        out[f"n_{g}"] = linked(n, count_entry, n)
        out[f"pct_{g}"] = linked(fmt.pct(n, n_all), pct_entry)
    male, female = _cell("gender", "male"), _cell("gender", "female")
    out["male"] = linked(male, "table1.gender.male.all", male)
    out["female"] = linked(female, "table1.gender.female.all", female)
    second = int(pub.claim("results.patients.second_hsct")["k"])
    out["second_hsct"] = linked(second, "results.patients.second_hsct", second)
    age = pub.table1_age().set_index("group")
    out["age_median"] = linked(f"{age.loc['all', 'median']:g}", "results.patients.age_median",
                                float(age.loc["all", "median"]))
    out["age_iqr"] = linked(f"{age.loc['all', 'q1']:g}–{age.loc['all', 'q3']:g}",
                             "table1.age.all")
    out["eln_adverse"] = linked(fmt.pct(_cell("eln", "adverse"), n_all),
                                 "table1.eln.adverse.all")
    out["prior_hma"] = linked(fmt.pct(_cell("prior_hma", "yes"), n_all),
                               "table1.prior_hma.yes.all")
    totals = [pub.group_n(g) for g in pub.DISEASE_GROUPS]
    for g in pub.DISEASE_GROUPS:
        out[f"hsct_{g}"] = linked(fmt.pct(_cell("bridge_hsct", "yes", g), pub.group_n(g)),
                                   f"table1.bridge_hsct.yes.{g}")
    bridge = [_cell("bridge_hsct", "yes", g) for g in pub.DISEASE_GROUPS]
    out["hsct_p"] = linked(fmt.power_of_ten(contingency.p_value_from_groups(bridge, totals,
                                                                             "chi2")),
                            "table1.p.bridge_hsct")
    bcor = [_cell("mutation", "BCOR", g) for g in pub.DISEASE_GROUPS]
    out["bcor_chi2"] = linked(fmt.p_value(contingency.p_value_from_groups(bcor, totals,
                                                                           "chi2")),
                               "table1.p.BCOR")
    out["bcor_fisher"] = fmt.p_value(contingency.p_value_from_groups(bcor, totals,
                                                                     "fisher_exact"))
    t1 = pub.table1()
    out["n_mutations"] = int(t1.loc[t1["characteristic"] == "mutation", "level"].nunique())
    pat = ledger_frame("patients")
    out["pat_checks"] = len(pat)
    out["pat_rounding"] = int((pat["status"] == "rounding").sum())
    out["pat_mismatch"] = int((pat["status"] == "mismatch").sum())
    return out


def values() -> dict[str, Value | int | str]:
    """Every number and phrase the Patients page glues, by key."""
    return dict(_values()) | exercise_values()


def figures() -> dict[str, object]:
    """The trial profile, by glue name."""
    setup()
    return {"fig-trial-profile": trial_profile()}


def table1():
    """Table 1 rebuilt, for the page."""
    frame, stubs = table1_frame()
    return myst_table(frame, caption="Baseline characteristics by disease group, recomputed from "
                      "the published counts: n (%).", name="tab-table1", stub_rows=stubs,
                      notes="Mutations: patients carrying the mutation; P compares the three "
                            "disease groups (the All column is their sum). P (paper): as printed; "
                            "P (χ²): recomputed from the printed counts. " + ABBREVIATIONS)


def exercise_values() -> dict[str, str | int]:
    """The numbers that the answers to the page's exercises quote (keys ``ex_*``)."""
    t1 = pub.table1().set_index(["characteristic", "level", "group"])["n"]
    groups = ["refractory", "relapsed_chemo", "relapsed_hsct"]
    table = [[int(t1[("prior_hma", level, g)]) for g in groups] for level in ("yes", "no")]
    ps = {m: p for m, p in contingency.all_p_values(table).items() if m != "chi2_yates"}
    printed = pub.table1_pvalues().set_index("characteristic").at["prior_hma", "p_printed"]
    label = contingency.P_METHOD_LABELS
    match = [label[m] for m, p in ps.items() if fmt.number(p, 2) == printed]
    other = {m: p for m, p in ps.items() if fmt.number(p, 2) != printed}
    alpha = 0.05
    mut = pub.table1_pvalues().query("characteristic == 'mutation'")
    m = len(mut)
    return {
        "ex_hma_printed": printed, "ex_hma_match": " and ".join(match) or "none of the tests",
        "ex_hma_nomatch": " and ".join(label[k] for k in other) or "no test",
        "ex_hma_other": " and ".join(fmt.number(p, 2) for p in other.values()) or printed,
        "ex_hma_ps": "; ".join(f"{label[k]} {fmt.p_value(p)}" for k, p in ps.items()),
        "ex_fp_expected": fmt.number(m * alpha, 2),
        "ex_fp_any": fmt.pct_of(100 * (1 - (1 - alpha) ** m), 0),
        "ex_fp_seen": int((mut["p_value"] < alpha).sum()),
    }
