"""Journal-style frames of the paper's tables, rebuilt from the data with recomputed numbers.

Pages show these frames with :func:`vah.display.tables.myst_table`. Percentages are
recomputed from the
counts (rounded half-up); intervals use the method named in each function.
"""

from __future__ import annotations

import pandas as pd

from vah import paper as pub
from vah.stats import binomial, contingency, fmt
from vah.stats.rounding import round_half_up

__all__ = [
    "ABBREVIATIONS",
    "CHARACTERISTIC_LABELS",
    "MARKS",
    "table3_misprints",
    "table3_notes",
    "grade_counts",
    "GROUP_HEADERS",
    "headers",
    "paper_ci",
    "pct",
    "rate_intervals",
    "RESPONSE_LABELS",
    "table1_frame",
    "table2_frame",
    "table3_frame",
]

#: Column headers; "n = 16" never breaks, the group's name may wrap above it.
GROUP_HEADERS = {
    "all": "All (n\u00a0=\u00a0{n})",
    "refractory": "Refractory (n\u00a0=\u00a0{n})",
    "relapsed_chemo": "Relapsed after chemo\u00adtherapy (n\u00a0=\u00a0{n})",
    "relapsed_hsct": "Relapsed after allo-HSCT (n\u00a0=\u00a0{n})",
}
#: Printed under Tables 1-3 rebuilt: what the abbreviations mean.
ABBREVIATIONS = ("allo-HSCT, allogeneic haematopoietic stem-cell transplantation; CI, confidence "
                 "interval; CR, complete remission; CRc, composite complete remission (CR + CRi); "
                 "CRi, CR with incomplete count recovery; CTCAE, Common Terminology Criteria for "
                 "Adverse Events; ELN, European LeukemiaNet; HMA, hypomethylating agent; IQR, "
                 "interquartile range; MRD, measurable residual disease; NR, no response; ORR, "
                 "overall response rate; PR, partial remission; χ², Pearson chi-square test "
                 "without continuity correction.")
CHARACTERISTIC_LABELS = {
    "gender": "Sex", "prior_hma": "Prior hypomethylating agent", "cytogenetics": "Cytogenetics",
    "eln": "ELN 2017 risk", "ven_cycles": "Venetoclax cycles",
    "bridge_hsct": "Bridged to allo-HSCT", "mutation": "Mutations",
}


def paper_ci(k: int, n: int) -> tuple[float, float]:
    """The paper's interval method, identified by the ledger: Stata's logit interval (standard
    error of a mean of 0/1 values) with the whole cohort's n - 1 degrees of freedom, as Stata's
    ``proportion ..., over()`` uses for every subgroup."""
    return binomial.proportion_ci(k, n, "logit_stata", df=pub.group_n("all") - 1)


def headers() -> dict[str, str]:
    """Column headers with each group's size: ``"All (n = 96)"``."""
    return {g: GROUP_HEADERS[g].format(n=pub.group_n(g)) for g in pub.GROUPS}


def pct(k: int, n: int, places: int = 1) -> str:
    """k/n in per cent, rounded half-up, without the sign (a table cell)."""
    return round_half_up(100 * k / n, places)


def table1_frame() -> tuple[pd.DataFrame, set[int]]:
    """Table 1 with recomputed percentages and chi-square P values; returns (frame, stub rows)."""
    t1 = pub.table1()
    pvals = pub.table1_pvalues()
    head = headers()
    rows, stubs = [], set()
    for characteristic, block in t1.groupby("characteristic", sort=False):
        levels = list(dict.fromkeys(block["level"]))
        per_level = characteristic == "mutation"
        if not per_level:
            stubs.add(len(rows))
            rows.append({"Characteristic": CHARACTERISTIC_LABELS[characteristic]})
            published = pvals[pvals["characteristic"] == characteristic]
            table = [[int(block[(block.level == lv) & (block.group == g)]["n"].iloc[0])
                      for g in pub.DISEASE_GROUPS] for lv in levels]
            if characteristic == "bridge_hsct":
                table = contingency.table_from_groups(
                    table[0], [pub.group_n(g) for g in pub.DISEASE_GROUPS])
            rows[-1]["P (paper)"] = published["p_printed"].iloc[0]
            rows[-1]["P (χ²)"] = fmt.p_value(contingency.p_value(table, "chi2"))
        else:
            stubs.add(len(rows))
            rows.append({"Characteristic": CHARACTERISTIC_LABELS[characteristic]})
        for level in levels:
            sel = block[block["level"] == level].set_index("group")
            label = sel["label"].iloc[0]
            row = {"Characteristic": f"  {label}" if not per_level else label}
            for g in pub.GROUPS:
                k = int(sel.loc[g, "n"])
                row[head[g]] = f"{k}\u00a0({pct(k, pub.group_n(g))})"
            if per_level:
                counts = [int(sel.loc[g, "n"]) for g in pub.DISEASE_GROUPS]
                totals = [pub.group_n(g) for g in pub.DISEASE_GROUPS]
                published = pvals[(pvals["characteristic"] == "mutation")
                                  & (pvals["level"] == level)]
                row["P (paper)"] = published["p_printed"].iloc[0]
                row["P (χ²)"] = fmt.p_value(
                    contingency.p_value_from_groups(counts, totals, "chi2"))
            rows.append(row)
    age = pub.table1_age().set_index("group")
    rows.insert(0, {"Characteristic": "Age, median (IQR), years",
                    **{head[g]: age.loc[g, "printed"] for g in pub.GROUPS}})
    frame = pd.DataFrame(rows).fillna("")
    return frame, {i + 1 for i in stubs}


RESPONSE_LABELS = {
    "CRc": "CRc (CR + CRi)", "CR": "CR", "CRi": "CRi", "MRDneg_CRc": "MRD-negative CRc†",
    "PR": "PR", "NR": "NR", "ORR": "ORR (CRc + PR)", "CRc_cycle1": "CRc after cycle 1",
    "ORR_cycle1": "ORR after cycle 1",
}


def table2_frame() -> pd.DataFrame:
    """Table 2 responses: n (% [95 % CI by the paper's method]) for rate rows, n (%) otherwise,
    and the chi-square P across disease groups beside the paper's."""
    t2 = pub.table2()
    pvals = pub.table2_pvalues().set_index("row")
    head = headers()
    rows = []
    for key, block in t2.groupby("row", sort=False):
        sel = block.set_index("group")
        row = {"Response": RESPONSE_LABELS[key]}
        for g in pub.GROUPS:
            k, n = int(sel.loc[g, "n"]), int(sel.loc[g, "denominator"])
            text = f"{k}\u00a0({pct(k, n)})"
            if sel.loc[g, "ci_low"] == sel.loc[g, "ci_low"]:  # the paper prints a CI here
                lo, hi = paper_ci(k, n)
                # may wrap before the interval, never inside "68 (70.8" or "[60.8–79.2])"
                text = f"{k}\u00a0({pct(k, n)} [{round_half_up(100 * lo, 1)}–\u2060" \
                       f"{round_half_up(100 * hi, 1)}])"
            row[head[g]] = text
        if key in pvals.index:
            counts = [int(sel.loc[g, "n"]) for g in pub.DISEASE_GROUPS]
            totals = [int(sel.loc[g, "denominator"]) for g in pub.DISEASE_GROUPS]
            row["P (paper)"] = pvals.loc[key, "p_printed"]
            row["P (χ²)"] = fmt.p_value(
                contingency.p_value_from_groups(counts, totals, "chi2"))
        rows.append(row)
    return pd.DataFrame(rows).fillna("")


def rate_intervals(row: str = "CRc", methods: tuple[str, ...] = ("wilson", "clopper_pearson")
                   ) -> pd.DataFrame:
    """For one response row: the printed CI, the paper's method recomputed (``paper_method``)
    and other methods, by group (per cent)."""
    t2 = pub.table2()
    out = []
    for r in t2[t2["row"] == row].itertuples():
        entry = {"group": r.group, "k": r.n, "n": r.denominator, "estimate": 100 * r.n /
                 r.denominator, "paper_low": r.ci_low, "paper_high": r.ci_high}
        lo, hi = paper_ci(r.n, r.denominator)
        entry["paper_method_low"], entry["paper_method_high"] = 100 * lo, 100 * hi
        for m in methods:
            lo, hi = binomial.proportion_ci(r.n, r.denominator, m)
            entry[f"{m}_low"], entry[f"{m}_high"] = 100 * lo, 100 * hi
        out.append(entry)
    return pd.DataFrame(out)


#: Marks of the misprinted cells of Table 3, in order.
MARKS = ("ᵃ", "ᵇ", "ᶜ", "ᵈ")


def table3_misprints() -> dict[tuple[str, str], dict[str, str]]:
    """Table 3 cells whose printed percentage is not the count over the 96 treated patients,
    by (event, grade): the printed cell, the recomputed one, the ledger entry and a mark."""
    from vah.ledger import ledger_frame

    n = pub.group_n("all")
    ledger = ledger_frame().set_index("id")
    out = {}
    for row in pub.table3().itertuples():
        entry = f"table3.{row.event.lower().replace(' ', '_')}.g{row.grade.replace('-', '_')}"
        if entry in ledger.index and ledger.at[entry, "status"] == "mismatch":
            out[(row.event, row.grade)] = {
                "printed": row.printed, "recomputed": f"{row.n} ({pct(row.n, n)})",
                "entry": entry, "mark": MARKS[len(out)]}
    return out


def table3_frame() -> pd.DataFrame:
    """Table 3 with recomputed percentages of the 96 treated patients, and grade >= 3 totals;
    a misprinted cell shows the print with a mark (see :func:`table3_misprints`)."""
    t3 = pub.table3()
    n = pub.group_n("all")
    misprints = table3_misprints()
    rows = []
    for event, block in t3.groupby("event", sort=False):
        sel = block.set_index("grade")
        row = {"Adverse event": event, "CTCAE v4.03 term": sel["ctcae_term"].iloc[0]}
        for grade in ("1-2", "3", "4", "5"):
            k = int(sel.loc[grade, "n"])
            cell = f"{k}\u00a0({pct(k, n)})" if k else "0"
            misprint = misprints.get((event, grade))
            row[f"Grade {grade}"] = f"{misprint['printed']} {misprint['mark']}" if misprint \
                else cell
        g3 = int(sel.loc[["3", "4", "5"], "n"].sum())
        row["Grade ≥3"] = f"{g3}\u00a0({pct(g3, n)})"
        rows.append(row)
    return pd.DataFrame(rows)


def grade_counts() -> pd.DataFrame:
    """Counts by event (rows) and grade band (columns), for the adverse-event figure."""
    t3 = pub.table3()
    return t3.pivot_table(index="event", columns="grade", values="n", sort=False)


def table3_notes(href) -> str:
    """The footnotes of Table 3 rebuilt (MyST): each misprinted cell with its recomputed value
    and a link to its ledger entry (``href(entry_id)`` gives the link), then the abbreviations."""
    n = pub.group_n("all")
    notes = []
    for (event, grade), m in table3_misprints().items():
        k = m["recomputed"].split(" ")[0]
        notes.append(f"{m['mark']} {event}, grade {grade}: printed {m['printed']}, but {k} of "
                     f"{n} patients is {m['recomputed'].split('(')[1].rstrip(')')} % "
                     f'(<a href="{href(m["entry"])}">ledger entry</a>).')
    return " ".join(notes + ["Percentages recomputed from the counts; grade ≥3 added.",
                             ABBREVIATIONS])
