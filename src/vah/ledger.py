"""The reproduction ledger: every published number, recomputed where possible, with a status.

Statuses:

- ``match``: the recomputation, rounded half-up to the printed precision, equals the print;
- ``rounding``: it differs from the print by less than one unit of the last printed digit
  (another rounding rule, or truncation, explains it);
- ``mismatch``: a real disagreement; the note gives the likely cause;
- ``not-recomputable``: needs patient-level data (medians, Kaplan-Meier estimates with
  censoring, hazard ratios, log-rank P values) or is a count with nothing to check it against;
- ``reconstructed``: checked against the reconstructed cohort (see ``register_reconstructed``).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

import pandas as pd

from vah import binomial, contingency
from vah import published as pub
from vah.protocol import SAMPLE_SIZE_DESIGN

STATUSES = ("match", "rounding", "mismatch", "not-recomputable", "reconstructed")
COLUMNS = ["id", "where", "quantity", "published", "recomputed", "status", "note"]
TOPICS = ("patients", "efficacy", "subgroups", "survival", "safety", "design", "abstract",
          "discussion")
#: The CI method the paper's intervals come closest to (see ``ci_method_findings``).
PAPER_CI_METHOD = "logit_t"


@dataclass
class Entry:
    id: str
    where: str
    quantity: str
    published: str
    recomputed: str
    status: str
    note: str
    topic: str


# ------------------------------------------------------------------ number comparison
def decimals(printed: str) -> int:
    return len(printed.split(".")[1]) if "." in printed else 0


def round_half_up(value: float, places: int) -> str:
    """``value`` rounded half-up to ``places`` decimals, as text (56.25 -> '56.3')."""
    quantum = Decimal(1).scaleb(-places)
    return str(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def compare(printed: str, exact: float) -> str:
    """match / rounding / mismatch of a printed number against an exact recomputation."""
    places = decimals(printed)
    if round_half_up(exact, places) == printed:
        return "match"
    if abs(float(printed) - exact) < 10.0**-places - 1e-12:
        return "rounding"
    return "mismatch"


def compare_ci(printed: tuple[str, str], interval: tuple[float, float]) -> str:
    statuses = [compare(p, 100 * x) for p, x in zip(printed, interval, strict=True)]
    for status in ("mismatch", "rounding"):
        if status in statuses:
            return status
    return "match"


def _pct(k: int, n: int, places: int) -> str:
    return round_half_up(100 * k / n, places)


# ------------------------------------------------------------------ checks
def pct_entry(id_: str, where: str, quantity: str, printed: str, k: int, n: int, topic: str,
              note: str = "") -> Entry:
    status = compare(printed, 100 * k / n)
    recomputed = f"{_pct(k, n, max(decimals(printed), 1))} ({k}/{n})"
    if status == "rounding":
        note = (note + " " if note else "") + (
            f"{k}/{n} = {100 * k / n:.3f} %; the print is within one unit of the last digit "
            "but is not the nearest rounding of the exact value.")
    elif status == "mismatch":
        note = (note + " " if note else "") + (
            f"{k}/{n} = {100 * k / n:.2f} % does not round to the printed {printed} %.")
    return Entry(id_, where, quantity, f"{printed} %", recomputed + " %", status, note.strip(),
                 topic)


def ci_entry(id_: str, where: str, quantity: str, printed: tuple[str, str], k: int, n: int,
             topic: str) -> Entry:
    cis = binomial.all_cis(k, n)
    places = decimals(printed[0])
    status_by = {m: compare_ci(printed, ci) for m, ci in cis.items()}
    exact = [m for m, s in status_by.items() if s == "match"]
    near = [m for m, s in status_by.items() if s == "rounding"]
    best = exact[0] if exact else (near[0] if near else _closest(printed, cis))
    lo, hi = cis[best]
    recomputed = (f"{round_half_up(100 * lo, places)}–{round_half_up(100 * hi, places)} "
                  f"({best})")
    if exact:
        status, note = "match", f"Reproduced by: {', '.join(exact)}."
    elif near:
        status, note = "rounding", (f"No method reproduces both bounds exactly; within one unit "
                                    f"of the last digit: {', '.join(near)}.")
    else:
        status, note = "mismatch", (f"No CI method tried reproduces this interval (closest: "
                                    f"{best}); see the method findings.")
    return Entry(id_ + ".ci", where, quantity + ", 95 % CI", f"{printed[0]}–{printed[1]}",
                 recomputed, status, note, topic)


def _closest(printed: tuple[str, str], cis: dict[str, tuple[float, float]]) -> str:
    target = [float(p) for p in printed]
    return min(cis, key=lambda m: sum(abs(100 * x - t) for x, t in zip(cis[m], target,
                                                                           strict=True)))


def p_entry(id_: str, where: str, quantity: str, printed: str, table, topic: str) -> Entry:
    values = contingency.all_p_values(table)
    op = "<" if printed.startswith("<") else "="
    number = printed.lstrip("<=")
    if op == "<":
        statuses = {m: ("match" if v < float(number) else "mismatch") for m, v in values.items()}
    else:
        statuses = {m: compare(number, v) for m, v in values.items()}
    exact = [m for m, s in statuses.items() if s == "match"]
    near = [m for m, s in statuses.items() if s == "rounding"]
    chosen = exact or near
    best = chosen[0] if chosen else min(values, key=lambda m: abs(values[m] - float(number)))
    places = max(decimals(number), 3)
    recomputed = f"{round_half_up(values[best], places)} ({best})"
    others = "; ".join(f"{m} {values[m]:.3f}" for m in values)
    if exact:
        status, note = "match", f"Reproduced by: {', '.join(exact)}. All tests: {others}."
    elif near:
        status, note = "rounding", f"Within rounding: {', '.join(near)}. All tests: {others}."
    else:
        status, note = "mismatch", f"No test reproduces it. All tests: {others}."
    return Entry(id_, where, quantity, f"P {printed if op == '<' else '= ' + printed}",
                 recomputed, status, note, topic)


def count_entry(id_: str, where: str, quantity: str, printed: str, value: int, how: str,
                topic: str) -> Entry:
    status = "match" if int(printed) == value else "mismatch"
    note = "" if status == "match" else f"The parts add up to {value}, not {printed}."
    return Entry(id_, where, quantity, printed, f"{value} ({how})", status, note, topic)


def not_recomputable(id_: str, where: str, quantity: str, printed: str, topic: str,
                     reason: str) -> Entry:
    return Entry(id_, where, quantity, printed, "–", "not-recomputable", reason, topic)


NEEDS_PATIENTS = {
    "median": "A median time (or follow-up) needs each patient's time to event.",
    "landmark": "A Kaplan-Meier or cumulative-incidence estimate with censoring needs "
                "patient-level times.",
    "p_survival": "A log-rank or Fine-Gray P value needs patient-level times.",
    "hr": "A hazard ratio needs a Cox model fitted to patient-level data.",
    "fixed": "A number reported once, with nothing in the paper to recompute it from.",
}


# ------------------------------------------------------------------ the tables
def table1_entries() -> list[Entry]:
    t1 = pub.table1()
    out: list[Entry] = []
    for row in t1.itertuples():
        if math.isnan(row.pct_printed):
            pct_printed = None
        else:
            pct_printed = row.printed.split("(")[1].rstrip(")")
        id_ = f"table1.{row.characteristic}.{row.level}.{row.group}".replace("/", "_")
        quantity = f"{row.label}, {pub.GROUP_LABELS[row.group]}"
        n = pub.group_n(row.group)
        if pct_printed is None or row.n == 0:
            status = "match" if (pct_printed in (None, "0")) else compare(pct_printed, 0.0)
            out.append(Entry(id_, row.locator, quantity, row.printed, f"{row.n} (0)",
                             status, "", "patients"))
            continue
        e = pct_entry(id_, row.locator, quantity, pct_printed, row.n, n, "patients")
        e.published, e.recomputed = row.printed, f"{row.n} ({e.recomputed.split(' ')[0]})"
        out.append(e)
    out += _group_sums(t1, "table1", "characteristic", "level", "patients",
                       complete=("gender", "prior_hma", "cytogenetics", "eln", "ven_cycles"))
    pv = pub.table1_pvalues()
    for row in pv.itertuples():
        sel = t1[t1["characteristic"] == row.characteristic]
        if row.level:
            sel = sel[sel["level"] == row.level]
        table = _disease_table(sel, "level")
        if row.characteristic in ("mutation", "bridge_hsct"):
            totals = [pub.group_n(g) for g in pub.DISEASE_GROUPS]
            table = contingency.table_from_groups(list(table[0]), totals)
        label = row.level or row.characteristic
        out.append(p_entry(f"table1.p.{label}".replace("/", "_"), row.locator,
                           f"P across disease groups, {label}", row.p_printed, table,
                           "patients"))
    for row in pub.table1_age().itertuples():
        out.append(not_recomputable(f"table1.age.{row.group}", row.locator,
                                    f"Age, median (IQR), {pub.GROUP_LABELS[row.group]}",
                                    row.printed, "patients",
                                    "A median and IQR of age need the patients' ages."))
    return out


def _disease_table(frame: pd.DataFrame, level: str) -> list[list[int]]:
    wide = frame.pivot_table(index=level, columns="group", values="n", aggfunc="sum", sort=False)
    return wide[list(pub.DISEASE_GROUPS)].to_numpy().tolist()


def _group_sums(frame: pd.DataFrame, prefix: str, key: str, level: str, topic: str,
                complete: tuple[str, ...]) -> list[Entry]:
    """Levels of a complete characteristic add up to the group size; groups add up to All."""
    out = []
    for name in complete:
        sel = frame[frame[key] == name]
        for group in pub.GROUPS:
            total = int(sel[sel["group"] == group]["n"].sum())
            n = pub.group_n(group)
            out.append(count_entry(f"{prefix}.{name}.sum.{group}",
                                   f"{'Table 1' if prefix == 'table1' else 'Table 2'} / "
                                   f"{name} / {pub.GROUP_LABELS[group]}",
                                   f"{name}: levels add up to the group size", str(n), total,
                                   "sum of the levels", topic))
    for (name, lev), sel in frame.groupby([key, level], sort=False):
        parts = int(sel[sel["group"].isin(pub.DISEASE_GROUPS)]["n"].sum())
        all_n = sel[sel["group"] == "all"]["n"].iloc[0]
        out.append(count_entry(f"{prefix}.{name}.{lev}.groups_sum".replace("/", "_"),
                               sel["locator"].iloc[0].rsplit(" / ", 1)[0] + " / All patients",
                               f"{lev}: the three disease groups add up to All", str(all_n),
                               parts, "sum of the disease groups", topic))
    return out


def table2_entries() -> list[Entry]:
    t2 = pub.table2()
    out: list[Entry] = []
    for row in t2.itertuples():
        id_ = f"table2.{row.row}.{row.group}"
        quantity = f"{row.row}, {pub.GROUP_LABELS[row.group]}"
        pct_printed = row.printed.split("(")[1].split("[")[0].rstrip(")")
        e = pct_entry(id_, row.locator, quantity, pct_printed, row.n, row.denominator,
                      "efficacy")
        out.append(e)
        if not math.isnan(row.ci_low):
            printed = (row.printed.split("[")[1].split("–")[0],
                       row.printed.split("–")[1].rstrip("])"))
            out.append(ci_entry(id_, row.locator, quantity, printed, row.n, row.denominator,
                                "efficacy"))
    n = {(r.row, r.group): r.n for r in t2.itertuples()}
    for group in pub.GROUPS:
        where = f"Table 2 / {pub.GROUP_LABELS[group]}"
        out.append(count_entry(f"table2.crc_is_cr_plus_cri.{group}", where, "CR + CRi = CRc",
                               str(n[("CRc", group)]), n[("CR", group)] + n[("CRi", group)],
                               "CR + CRi", "efficacy"))
        out.append(count_entry(f"table2.orr_is_crc_plus_pr.{group}", where, "CRc + PR = ORR",
                               str(n[("ORR", group)]), n[("CRc", group)] + n[("PR", group)],
                               "CRc + PR", "efficacy"))
        out.append(count_entry(f"table2.responses_sum.{group}", where,
                               "CRc + PR + NR = patients in the group", str(pub.group_n(group)),
                               n[("CRc", group)] + n[("PR", group)] + n[("NR", group)],
                               "CRc + PR + NR", "efficacy"))
    for row in ("CRc", "CR", "CRi", "MRDneg_CRc", "PR", "NR", "ORR", "CRc_cycle1",
                "ORR_cycle1"):
        out.append(count_entry(f"table2.{row}.groups_sum", f"Table 2 / {row} / All patients",
                               f"{row}: the disease groups add up to All", str(n[(row, "all")]),
                               sum(n[(row, g)] for g in pub.DISEASE_GROUPS),
                               "sum of the disease groups", "efficacy"))
    pv = pub.table2_pvalues()
    for row in pv.itertuples():
        if row.row in {r for r in t2["row"]}:
            counts = [n[(row.row, g)] for g in pub.DISEASE_GROUPS]
            base = "CRc" if row.row == "MRDneg_CRc" else None
            totals = [n[(base, g)] if base else pub.group_n(g) for g in pub.DISEASE_GROUPS]
            out.append(p_entry(f"table2.p.{row.row}", row.locator,
                               f"P across disease groups, {row.row}", row.p_printed,
                               contingency.table_from_groups(counts, totals), "efficacy"))
        else:
            out.append(not_recomputable(f"table2.p.{row.row.replace(' ', '_')}", row.locator,
                                        f"P across disease groups, {row.row}",
                                        f"P = {row.p_printed}", "survival",
                                        NEEDS_PATIENTS["p_survival"]))
    out += survival_table_entries()
    return out


def survival_table_entries() -> list[Entry]:
    out = []
    for row in pub.table2_survival().itertuples():
        id_ = f"table2.{row.endpoint}_{row.statistic}.{row.group}"
        quantity = f"{row.endpoint} {row.statistic}, {pub.GROUP_LABELS[row.group]}"
        if row.statistic == "12m":
            n = pub.group_n(row.group)
            k = round(row.estimate / 100 * n)
            est, lo, hi = row.printed.replace(")", "").replace("(", "").replace("–", " ").split()
            out += landmark12_entries(id_, row.locator, quantity, est, (lo, hi), k, n,
                                      "survival")
            continue
        kind = "median" if row.statistic == "median" else "landmark"
        out.append(not_recomputable(id_, row.locator, quantity, row.printed, "survival",
                                    NEEDS_PATIENTS[kind]))
    return out


LANDMARK12_NOTE = (
    "Every patient had more than 12 months of potential follow-up (last enrolment 16 June 2021, "
    "cut-off 30 June 2022), so without losses to follow-up the 12-month Kaplan-Meier estimate is "
    "the simple proportion k/n and its log-log interval follows from k and n; k is the whole "
    "number that reproduces the printed percentage.")


def landmark12_entries(id_: str, where: str, quantity: str, printed: str,
                       ci: tuple[str, str], k: int, n: int, topic: str) -> list[Entry]:
    first = pct_entry(id_, where, quantity, printed, k, n, topic, LANDMARK12_NOTE)
    interval = binomial.km_loglog_ci(k, n)
    status = compare_ci(ci, interval)
    places = decimals(ci[0])
    recomputed = (f"{round_half_up(100 * interval[0], places)}–"
                  f"{round_half_up(100 * interval[1], places)} (log-log, k = {k})")
    note = "Kaplan-Meier log-log interval without censoring. " + {
        "match": "Reproduced.", "rounding": "Within one unit of the last digit.",
        "mismatch": "Not reproduced: censoring before 12 months, or another transform."}[status]
    second = Entry(id_ + ".ci", where, quantity + ", 95 % CI", f"{ci[0]}–{ci[1]}", recomputed,
                   status, note, topic)
    return [first, second]


def table3_entries() -> list[Entry]:
    out = []
    n = pub.group_n("all")
    for row in pub.table3().itertuples():
        id_ = f"table3.{row.event.lower().replace(' ', '_')}.g{row.grade.replace('-', '_')}"
        quantity = f"{row.event}, grade {row.grade}"
        if math.isnan(row.pct_printed):
            out.append(Entry(id_, row.locator, quantity, row.printed, str(row.n),
                             "match" if row.n == 0 else "mismatch",
                             "" if row.n == 0 else "A count without a percentage.", "safety"))
            continue
        pct_printed = row.printed.split("(")[1].rstrip(")")
        e = pct_entry(id_, row.locator, quantity, pct_printed, row.n, n, "safety")
        e.published = row.printed
        out.append(e)
    return out


# ------------------------------------------------------------------ the text
def _topic(claim_id: str) -> str:
    parts = claim_id.split(".")
    if parts[0] == "results":
        return parts[1]
    return {"methods": "design"}.get(parts[0], parts[0])


def claim_entries() -> list[Entry]:
    out = []
    for c in pub.claims().to_dict(orient="records"):
        c = {k: v for k, v in c.items() if not (isinstance(v, float) and math.isnan(v))}
        out += _claim_entries(c)
    return out


def _claim_entries(c: dict) -> list[Entry]:
    id_, where, kind, printed = c["id"], c["loc"], c["kind"], c["printed"]
    quantity, topic = c["text"], _topic(c["id"])
    extra = " ".join(x for x in (c.get("expr_note", ""), c.get("note", "")) if x)
    if c.get("derived"):
        extra = (extra + " " if extra else "") + (
            "The numerator is not printed; it is the whole number that gives the printed "
            "percentage with the stated denominator.")
    k, n = (int(c["k"]), int(c["n"])) if "k" in c and "n" in c else (None, None)
    if kind == "pct":
        return [pct_entry(id_, where, quantity, printed, k, n, topic, extra)]
    if kind == "pct_ci":
        return [pct_entry(id_, where, quantity, printed, k, n, topic, extra),
                ci_entry(id_, where, quantity, tuple(c["ci"]), k, n, topic)]
    if kind == "landmark12":
        return landmark12_entries(id_, where, quantity, printed, tuple(c["ci"]), k, n, topic)
    if kind == "count":
        if "expr" in c:
            value = _sum_expression(c["expr"])
            return [count_entry(id_, where, quantity, printed, value, c["expr"], topic)]
        return [count_entry(id_, where, quantity, printed, _reference(c["ref"]), c["ref"],
                            topic)]
    if kind == "p":
        groups = [g.split("/") for g in c["groups"].split(",")]
        table = contingency.table_from_groups([int(a) for a, _ in groups],
                                              [int(b) for _, b in groups])
        entry = p_entry(id_, where, quantity, printed, table, topic)
        entry.note = (extra + " " + entry.note).strip()
        return [entry]
    if kind == "hr_p":
        return [hr_p_entry(id_, where, quantity, printed, c["hr"], topic)]
    if kind == "sample_size":
        return [sample_size_entry(id_, where, quantity, printed)]
    if kind == "dropout":
        return [dropout_entry(id_, where, quantity, printed)]
    return [not_recomputable(id_, where, quantity, printed, topic,
                             (NEEDS_PATIENTS[kind] + " " + extra).strip())]


def _sum_expression(expr: str) -> int:
    return sum(int(part) for part in expr.split("+"))


def _reference(ref: str) -> int:
    kind, _, rest = ref.partition(":")
    if kind == "group_n":
        return pub.group_n(rest)
    if kind == "table1_age":
        group, field = rest.split(":")
        age = pub.table1_age()
        return int(age[age["group"] == group][field].iloc[0])
    raise ValueError(f"unknown reference {ref!r}")


def hr_p_entry(id_: str, where: str, quantity: str, printed: str, hr: list[str],
               topic: str) -> Entry:
    """Wald P value implied by a hazard ratio and its 95 % CI (log scale, normal).

    HR and CI are printed to two decimals, so the implied P is known only within the range
    spanned by the corners of the rounding box (each number +- 0.005).
    """
    from itertools import product

    from scipy import stats

    def wald(ratio: float, low: float, high: float) -> float:
        se = (math.log(high) - math.log(low)) / (2 * stats.norm.ppf(0.975))
        return 2 * stats.norm.sf(abs(math.log(ratio)) / se)

    values = [float(x) for x in hr]
    p = wald(*values)
    corners = [wald(*(v + d for v, d in zip(values, deltas, strict=True)))
               for deltas in product((-0.005, 0.005), repeat=3)]
    status = compare(printed, p)
    note = (f"Wald P implied by the printed HR and CI: {p:.4f}; the rounding of HR and CI to "
            f"two decimals allows {min(corners):.3f} to {max(corners):.3f}.")
    if status == "mismatch" and min(corners) <= float(printed) <= max(corners):
        status, note = "rounding", note + " The print lies inside that range."
    return Entry(id_, where, quantity, f"P = {printed}", f"{p:.3f} (Wald, from HR and CI)",
                 status, note, topic)


def sample_size_entry(id_: str, where: str, quantity: str, printed: str) -> Entry:
    d = SAMPLE_SIZE_DESIGN
    sizes = binomial.sample_size_table(d.p0, d.p1, d.alpha, d.power)
    hits = [m for m, v in sizes.items() if v == int(printed)]
    others = "; ".join(f"{m} {v}" for m, v in sizes.items())
    status = "match" if hits else "mismatch"
    note = (f"Reproduced by: {', '.join(hits)}. All methods: {others}." if hits else
            f"No formula tried gives {printed}. All methods: {others}.")
    best = hits[0] if hits else "normal_null_var"
    return Entry(id_, where, "Sample size for 45 % vs 60 %, two-sided alpha 5 %, power 80 %",
                 printed, f"{sizes[best]} ({best})", status, note, "design")


def dropout_entry(id_: str, where: str, quantity: str, printed: str) -> Entry:
    d = SAMPLE_SIZE_DESIGN
    n = binomial.sample_size_one_proportion(d.p0, d.p1, d.alpha, d.power, "arcsine")
    inflated = binomial.inflate_for_dropout(n, d.dropout)
    times = round(n * (1 + d.dropout))
    status = compare(printed, inflated)
    note = (f"The usual inflation n / (1 - dropout) = {n} / {1 - d.dropout:g} gives {inflated}; "
            f"the printed {printed} is {n} x {1 + d.dropout:g} = {n * (1 + d.dropout):.1f} "
            f"rounded ({times}), which leaves fewer than {n} evaluable patients if exactly "
            f"{d.dropout:.0%} drop out.") if status != "match" else ""
    return Entry(id_, where, "Planned enrolment after 10 % dropout", printed,
                 f"{inflated} (n / (1 - dropout))", status, note, "design")


def exact_test_entry() -> Entry:
    """The one-sample exact test of the observed CRc against the historical 45 %."""
    t2 = pub.table2()
    row = t2[(t2["row"] == "CRc") & (t2["group"] == "all")].iloc[0]
    p = binomial.exact_binomial_test(int(row.n), int(row.denominator), SAMPLE_SIZE_DESIGN.p0)
    return Entry("design.exact_test", "Methods / Statistical analysis (not reported)",
                 "Exact binomial test of CRc against the historical 45 %", "not reported",
                 f"P = {p:.1e} ({int(row.n)}/{int(row.denominator)} vs 0.45)",
                 "not-recomputable",
                 "The paper states the hypothesis but reports no test of it; this row shows the "
                 "test the design implies.", "design")


# ------------------------------------------------------------------ the ledger
_RECONSTRUCTED: dict[str, tuple[str, str]] = {}


def register_reconstructed(claim_id: str, achieved: str, note: str) -> None:
    """Mark a not-recomputable entry as checked against the reconstructed cohort."""
    _RECONSTRUCTED[claim_id] = (achieved, note)
    _entries.cache_clear()


@cache
def _entries() -> tuple[Entry, ...]:
    entries = (table1_entries() + table2_entries() + table3_entries() + claim_entries()
               + [exact_test_entry()])
    ids = [e.id for e in entries]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ValueError(f"duplicate ledger ids: {sorted(duplicates)}")
    for e in entries:
        if e.id in _RECONSTRUCTED and e.status == "not-recomputable":
            e.recomputed, e.note = _RECONSTRUCTED[e.id]
            e.status = "reconstructed"
    return tuple(entries)


def ledger_frame() -> pd.DataFrame:
    """The whole ledger: id, where, quantity, published, recomputed, status, note (and topic)."""
    frame = pd.DataFrame([asdict(e) for e in _entries()])
    return frame[[*COLUMNS, "topic"]]


def status_counts() -> dict[str, int]:
    frame = ledger_frame()
    return {s: int((frame["status"] == s).sum()) for s in STATUSES}


def topic_counts() -> pd.DataFrame:
    """Counts by topic (rows) and status (columns)."""
    frame = ledger_frame()
    table = pd.crosstab(frame["topic"], frame["status"]).reindex(columns=list(STATUSES),
                                                                 fill_value=0)
    return table.reindex([t for t in TOPICS if t in table.index])


def ci_method_findings() -> pd.DataFrame:
    """For each published binomial CI: which methods reproduce it exactly."""
    frame = ledger_frame()
    rows = []
    for e in frame[frame["id"].str.endswith(".ci") & ~frame["recomputed"].str.contains("log-log")
                   ].itertuples():
        rows.append({"id": e.id, "published": e.published, "status": e.status,
                     "methods": e.note})
    return pd.DataFrame(rows)


def ci_method_tally() -> dict[str, int]:
    """How many published binomial CIs each method reproduces exactly."""
    tally = dict.fromkeys(binomial.CI_METHODS, 0)
    for note in ci_method_findings()["methods"]:
        if note.startswith("Reproduced by:"):
            for m in note.removeprefix("Reproduced by:").strip(" .").split(", "):
                tally[m] += 1
    return tally


def p_method_tally() -> dict[str, int]:
    """How many published contingency P values each test reproduces exactly."""
    frame = ledger_frame()
    tally = dict.fromkeys(contingency.P_METHODS, 0)
    for note in frame[frame["note"].str.startswith("Reproduced by:") &
                      frame["published"].str.startswith("P")]["note"]:
        for m in note.removeprefix("Reproduced by:").split(".")[0].strip().split(", "):
            if m in tally:
                tally[m] += 1
    return tally
