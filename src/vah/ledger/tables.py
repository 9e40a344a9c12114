"""Ledger entries for every cell of Tables 1-3 and the checks between cells."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd

from vah import paper as pub
from vah.ledger.entries import (
    NEEDS_PATIENTS,
    Entry,
    ci_entry,
    landmark12_entries,
    not_recomputable,
    p_entry,
    pct_entry,
    value_entry,
)
from vah.stats import contingency
from vah.stats.rounding import _pct_text

__all__ = [
    "survival_table_entries",
    "table1_entries",
    "table2_entries",
    "table3_entries",
]


# ------------------------------------------------------------------ the tables
def _table1_percent_sums() -> dict[tuple[str, str], tuple[float, float]]:
    """Per complete characteristic and column: printed percentages summed, and half-up ones."""
    t1 = pub.table1()
    out = {}
    for (name, group), sel in t1[t1["characteristic"].isin(pub.COMPLETE_CHARACTERISTICS)
                                 ].groupby(["characteristic", "group"]):
        n = pub.group_n(group)
        printed = sum(float(p) for p in sel["pct_printed"].fillna(0))
        half_up = sum(float(_pct_text(k, n, 1)) for k in sel["n"])
        out[(name, group)] = (round(printed, 1), round(half_up, 1))
    return out


def table1_entries() -> list[Entry]:
    """Entries for every cell of Table 1, its column sums and its P values."""
    t1 = pub.table1()
    sums = _table1_percent_sums()
    out: list[Entry] = []
    for row in t1.itertuples():
        id_ = f"table1.{row.characteristic}.{row.level}.{row.group}".replace("/", "_")
        quantity = f"{row.label}, {pub.GROUP_LABELS[row.group]}"
        n = pub.group_n(row.group)
        pct_printed = row.printed.split("(")[1].rstrip(")") if "(" in row.printed else None
        e = pct_entry(id_, row.locator, quantity, pct_printed, row.n, n,
                      published=row.printed,
                      inputs=f"the cell's count {row.n} and the column's n = {n}")
        e = replace(e, recomputed=f"{row.n} ({_pct_text(row.n, n, 1)})")
        key = (row.characteristic, row.group)
        if e.status != "match" and key in sums and sums[key][0] == 100.0 != sums[key][1]:
            e = replace(e, status="rounding", note=(
                f"{row.n}/{n} = {100 * row.n / n:.3f} %. The printed percentages of this "
                f"column add up to exactly 100.0, the nearest roundings to "
                f"{sums[key][1]:.1f}: the column was adjusted to total 100 %."))
        out.append(e)
    out += _group_sums(t1)
    pv = pub.table1_pvalues()
    for row in pv.itertuples():
        sel = t1[t1["characteristic"] == row.characteristic]
        if row.level:
            sel = sel[sel["level"] == row.level]
        wide = sel.pivot_table(index="level", columns="group", values="n", aggfunc="sum",
                               sort=False)[list(pub.DISEASE_GROUPS)]
        table = wide.to_numpy().tolist()
        if row.characteristic in ("mutation", "bridge_hsct"):
            table = contingency.table_from_groups(
                list(table[0]), [pub.group_n(g) for g in pub.DISEASE_GROUPS])
        label = row.level or row.characteristic
        out.append(p_entry(f"table1.p.{label}".replace("/", "_"), row.locator,
                           f"P across disease groups, {label}", row.p_printed, table))
    for row in pub.table1_age().itertuples():
        out.append(not_recomputable(f"table1.age.{row.group}", row.locator,
                                    f"Age, median (IQR), {pub.GROUP_LABELS[row.group]}",
                                    row.printed, "A median and IQR of age need the patients' "
                                    "ages.", row.median))
    return out


def _group_sums(t1: pd.DataFrame) -> list[Entry]:
    """Levels of a complete characteristic add up to the column; groups add up to All."""
    out = []
    for name in pub.COMPLETE_CHARACTERISTICS:
        sel = t1[t1["characteristic"] == name]
        for group in pub.GROUPS:
            total = int(sel[sel["group"] == group]["n"].sum())
            out.append(value_entry(f"table1.{name}.sum.{group}",
                                   f"Table 1 / {name} / {pub.GROUP_LABELS[group]}",
                                   f"{name}: the levels add up to the column",
                                   str(pub.group_n(group)), total, "sum of the levels"))
    for (name, lev), sel in t1.groupby(["characteristic", "level"], sort=False):
        parts = int(sel[sel["group"].isin(pub.DISEASE_GROUPS)]["n"].sum())
        all_n = int(sel[sel["group"] == "all"]["n"].iloc[0])
        out.append(value_entry(f"table1.{name}.{lev}.groups_sum".replace("/", "_"),
                               sel["locator"].iloc[0].rsplit(" / ", 1)[0] + " / All patients",
                               f"{lev}: the three disease groups add up to All", str(all_n),
                               parts, "sum of the disease groups"))
    return out


def table2_entries() -> list[Entry]:
    """Entries for every cell of Table 2, its CIs, the sums between rows and its P values."""
    t2 = pub.table2()
    out: list[Entry] = []
    for row in t2.itertuples():
        id_ = f"table2.{row.row}.{row.group}"
        quantity = f"{row.row}, {pub.GROUP_LABELS[row.group]}"
        pct_printed = row.printed.split("(")[1].split("[")[0].rstrip(")")
        of = ("the column's CRc" if row.row == "MRDneg_CRc" else "the column's n")
        out.append(pct_entry(id_, row.locator, quantity, pct_printed, row.n, row.denominator,
                             inputs=f"the cell's count {row.n} and {of} = {row.denominator}"))
        if not math.isnan(row.ci_low):
            printed = (row.printed.split("[")[1].split("–")[0],
                       row.printed.split("–")[1].rstrip("])"))
            out.append(ci_entry(id_, row.locator, quantity, printed, row.n, row.denominator))
    n = {(r.row, r.group): r.n for r in t2.itertuples()}
    for group in pub.GROUPS:
        where = f"Table 2 / {pub.GROUP_LABELS[group]}"
        out.append(value_entry(f"table2.crc_is_cr_plus_cri.{group}", where, "CR + CRi = CRc",
                               str(n[("CRc", group)]), n[("CR", group)] + n[("CRi", group)],
                               "CR + CRi"))
        out.append(value_entry(f"table2.orr_is_crc_plus_pr.{group}", where, "CRc + PR = ORR",
                               str(n[("ORR", group)]), n[("CRc", group)] + n[("PR", group)],
                               "CRc + PR"))
        out.append(value_entry(f"table2.responses_sum.{group}", where,
                               "CRc + PR + NR = patients in the column",
                               str(pub.group_n(group)),
                               n[("CRc", group)] + n[("PR", group)] + n[("NR", group)],
                               "CRc + PR + NR"))
        out.append(value_entry(f"table2.cycle1_within_cycle2.{group}", where,
                               "CRc by cycle 1 cannot exceed CRc by cycle 2",
                               str(n[("CRc", group)]),
                               max(n[("CRc", group)], n[("CRc_cycle1", group)]),
                               "max(CRc, CRc at cycle 1)"))
    for row in dict.fromkeys(t2["row"]):
        out.append(value_entry(f"table2.{row}.groups_sum", f"Table 2 / {row} / All patients",
                               f"{row}: the disease groups add up to All", str(n[(row, "all")]),
                               sum(n[(row, g)] for g in pub.DISEASE_GROUPS),
                               "sum of the disease groups"))
    rows = set(t2["row"])
    for row in pub.table2_pvalues().itertuples():
        if row.row in rows:
            counts = [n[(row.row, g)] for g in pub.DISEASE_GROUPS]
            base = "CRc" if row.row == "MRDneg_CRc" else None
            totals = [n[(base, g)] if base else pub.group_n(g) for g in pub.DISEASE_GROUPS]
            out.append(p_entry(f"table2.p.{row.row}", row.locator,
                               f"P across disease groups, {row.row}", row.p_printed,
                               contingency.table_from_groups(counts, totals)))
        else:
            out.append(_survival_p_entry(row))
    return out + survival_table_entries()


def _twelve_month_counts(endpoint: str) -> dict[str, int]:
    """Patients alive (OS) or event-free (EFS) at 12 months by group: the whole number of
    each column that gives its printed 12-month rate (nobody is censored before 12 months)."""
    rates = pub.table2_survival()
    rates = rates[(rates["endpoint"] == endpoint) & (rates["statistic"] == "12m")]
    return {r.group: round(r.estimate / 100 * pub.group_n(r.group)) for r in rates.itertuples()}


def _survival_p_entry(row) -> Entry:
    """A survival row's P: at 12 months a test of the 12-month status by group (every patient
    was followed for 12 months); on the 24-month row the median row's log-rank P, printed
    again; otherwise a log-rank P that needs the patients' times."""
    id_ = f"table2.p.{row.row.replace(' ', '_')}"
    quantity = f"P across disease groups, {row.row}"
    endpoint, statistic = row.row.split()
    if statistic == "12m":
        k = _twelve_month_counts(endpoint)
        table = contingency.table_from_groups([k[g] for g in pub.DISEASE_GROUPS],
                                              [pub.group_n(g) for g in pub.DISEASE_GROUPS])
        what = "alive" if endpoint == "OS" else "event-free"
        return p_entry(id_, row.locator, quantity, row.p_printed, table,
                       f"{what.capitalize()} at 12 months by group, the counts the printed "
                       "12-month rates imply (nobody was censored before 12 months).",
                       inputs="the three groups' printed 12-month rates and their n ("
                       + ", ".join(f"{k[g]}/{pub.group_n(g)}" for g in pub.DISEASE_GROUPS)
                       + f" {what})")
    if statistic == "24m":
        median = pub.table2_pvalues().set_index("row").loc[f"{endpoint} median"]
        return value_entry(id_, row.locator, quantity, row.p_printed,
                           float(median["p_value"]), f"the {endpoint} median row's P",
                           "A 24-month rate has no test of its own here: the row repeats the "
                           "log-rank P of the whole curve.", basis="restated")
    return not_recomputable(id_, row.locator, quantity, f"P = {row.p_printed}",
                            NEEDS_PATIENTS["p_survival"], row.p_value)


def survival_table_entries() -> list[Entry]:
    """Entries for Table 2's survival rows (medians, 12- and 24-month rates)."""
    out = []
    for row in pub.table2_survival().itertuples():
        id_ = f"table2.{row.endpoint}_{row.statistic}.{row.group}"
        quantity = f"{row.endpoint} {row.statistic}, {pub.GROUP_LABELS[row.group]}"
        if row.statistic == "12m":
            n = pub.group_n(row.group)
            k = round(row.estimate / 100 * n)
            est, lo, hi = row.printed.replace(")", "").replace("(", "").replace("–", " ").split()
            out += landmark12_entries(id_, row.locator, quantity, est, (lo, hi), k, n)
            if row.group == "all":
                parts = _twelve_month_counts(row.endpoint)
                total = sum(parts[g] for g in pub.DISEASE_GROUPS)
                out.append(pct_entry(
                    f"{id_}.from_groups", row.locator, quantity + ", from the three groups",
                    est, total, n, "The groups' 12-month counts (each the whole number its "
                    "printed rate implies) add up to the All column's.",
                    inputs=" + ".join(f"{parts[g]}" for g in pub.DISEASE_GROUPS)
                    + " (the groups' printed rates)"))
            continue
        kind = "median" if row.statistic == "median" else "landmark"
        out.append(not_recomputable(id_, row.locator, quantity, row.printed,
                                    NEEDS_PATIENTS[kind], row.estimate))
    return out


def table3_entries() -> list[Entry]:
    """Entries for every cell of Table 3 (percentages of the 96 treated patients)."""
    out = []
    n = pub.group_n("all")
    for row in pub.table3().itertuples():
        id_ = f"table3.{row.event.lower().replace(' ', '_')}.g{row.grade.replace('-', '_')}"
        quantity = f"{row.event}, grade {row.grade}"
        if math.isnan(row.pct_printed):
            continue  # a printed 0 (the loader refuses any other bare count): nothing checks it
        pct_printed = row.printed.split("(")[1].rstrip(")")
        out.append(pct_entry(id_, row.locator, quantity, pct_printed, row.n, n,
                             published=row.printed,
                             inputs=f"the cell's count {row.n} and the 96 treated patients"
                             if n == 96 else None))
    return out
