"""The reproduction ledger: every published number, recomputed where possible, with a status.

Statuses:

- ``match``: the recomputation, rounded half-up to the printed digits, is the print;
- ``rounding``: off by one in the last printed digit in a way a rounding rule explains: the
  print is the exact value rounded down (truncated), up, or half-to-even, or adjusted so that a
  column of percentages totals 100 %. (An exact 37.5 % printed as 37.4 is no rounding: that is
  a ``mismatch``.);
- ``mismatch``: a real disagreement; the note gives the likely cause;
- ``not-recomputable``: needs patient-level data (medians, Kaplan-Meier estimates with
  censoring, hazard ratios, log-rank P values) or is a number with nothing to check it against;
- ``reconstructed``: checked against the reconstructed cohort (see
  :func:`register_reconstructed`).

``ledger_frame()`` returns the columns ``id, where, quantity, published, recomputed, status,
note``; each entry also belongs to one of ``SECTIONS`` (``ledger_frame(section)``).
"""

from __future__ import annotations

import importlib
import math
import re
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from functools import cache
from statistics import NormalDist

import pandas as pd

from vah import binomial, contingency
from vah import published as pub
from vah.errors import DataError

STATUSES = ("match", "rounding", "mismatch", "not-recomputable", "reconstructed")
COLUMNS = ["id", "where", "quantity", "published", "recomputed", "status", "note"]
#: Sections of the ledger page; chapters link to them as ``ledger-<section>``.
SECTIONS = ("patients", "efficacy", "subgroups", "survival", "safety", "design")
SECTION_TITLES = {
    "patients": "Patients: Table 1 and the disposition text",
    "efficacy": "Efficacy: Table 2 responses and the efficacy text",
    "subgroups": "Cytogenetic, molecular and prior-treatment subgroups",
    "survival": "Survival: Table 2 survival rows and the survival text",
    "safety": "Safety: Table 3 and the adverse-event text",
    "design": "Design: the Abstract's Methods and the sample-size paragraph",
}
#: The CI method closest to the paper's intervals overall (see ``ci_method_findings``).
PAPER_CI_METHOD = "logit_stata"
#: Where the reconstructed cohort's checks come from: ``module:function`` returning an
#: iterable of (claim_id, achieved, tolerance, note). Called once, if the module exists.
RECONSTRUCTION_HOOK = "vah.cohort:ledger_checks"

# Abstract and Discussion entries go to the section of their topic (first match wins).
_SECTION_RULES = (
    (r"^abstract\.(sites|age|ecog|ven_|aza_|hht_|endpoint)", "design"),
    (r"^abstract\.(enrolled|refractory|relapsed)", "patients"),
    (r"^abstract\.(crc|orr|mrd)", "efficacy"),
    (r"^abstract\.(followup|os_|efs_)", "survival"),
    (r"^abstract\.", "safety"),
    (r"^methods\.", "design"),
    (r"^discussion\.(crc|mrd)", "efficacy"),
    (r"^discussion\.flt3", "subgroups"),
    (r"^discussion\.(hsct|os_)", "survival"),
    (r"^discussion\.", "safety"),
    (r"^results\.efficacy\.(crc|orr)_hma", "subgroups"),
    (r"^results\.survival\.\w+_flt3", "subgroups"),
    (r"^results\.(\w+)\.", r"\1"),
    (r"^table1\.", "patients"),
    (r"^table2\.(OS|EFS)|^table2\.p\.(OS|EFS)", "survival"),
    (r"^table2\.", "efficacy"),
    (r"^table3\.", "safety"),
)


def section_of(entry_id: str) -> str:
    """The ledger section of an entry id (``"abstract.crc"`` -> ``"efficacy"``)."""
    for pattern, section in _SECTION_RULES:
        m = re.match(pattern, entry_id)
        if m:
            return m.expand(section)
    raise DataError(f"no ledger section for {entry_id!r}")


@dataclass
class Entry:
    id: str
    where: str
    quantity: str
    published: str
    recomputed: str
    status: str
    note: str
    value: float = math.nan  # the published number, for reconstructed checks
    places: int = 1
    extra: dict = field(default_factory=dict)


# ------------------------------------------------------------------ number comparison
def decimals(printed: str) -> int:
    """Decimal places of a printed number ("70.8" -> 1)."""
    return len(printed.split(".")[1]) if "." in printed else 0


def _round(value: float, places: int, mode: str = ROUND_HALF_UP) -> str:
    quantum = Decimal(1).scaleb(-places)
    return str(Decimal(repr(float(value))).quantize(quantum, rounding=mode))


def round_half_up(value: float, places: int) -> str:
    """``value`` rounded half-up to ``places`` decimals, as text (56.25 -> '56.3')."""
    return _round(value, places)


ROUNDING_RULES = {"truncated": ROUND_FLOOR, "rounded up": ROUND_CEILING,
                  "rounded half to even": ROUND_HALF_EVEN}


def rounding_rule(printed: str, exact: float) -> str | None:
    """The rounding rule (other than half-up) that turns ``exact`` into ``printed``, if any."""
    for name, mode in ROUNDING_RULES.items():
        if _round(exact, decimals(printed), mode) == printed:
            return name
    return None


def compare(printed: str, exact: float) -> str:
    """match / rounding / mismatch of a printed number against an exact recomputation."""
    places = decimals(printed)
    if round_half_up(exact, places) == printed:
        return "match"
    if rounding_rule(printed, exact) is not None:
        return "rounding"
    return "mismatch"


def compare_ci(printed: tuple[str, str], interval: tuple[float, float]) -> str:
    statuses = [compare(p, 100 * x) for p, x in zip(printed, interval, strict=True)]
    for status in ("mismatch", "rounding"):
        if status in statuses:
            return status
    return "match"


def _pct_text(k: int, n: int, places: int) -> str:
    return round_half_up(100 * k / n, places)


def _counts_giving(printed: str, n: int) -> list[int]:
    """Whole counts k (0..n) whose k/n, rounded half-up, is the printed percentage."""
    places = decimals(printed)
    return [k for k in range(n + 1) if _pct_text(k, n, places) == printed]


# ------------------------------------------------------------------ entry builders
def pct_entry(id_: str, where: str, quantity: str, printed: str, k: int, n: int,
              note: str = "", published: str | None = None) -> Entry:
    """A printed percentage against k/n."""
    exact = 100 * k / n
    status = compare(printed, exact)
    places = max(decimals(printed), 1)
    recomputed = f"{_pct_text(k, n, places)} % ({k}/{n})"
    extra = ""
    if status == "rounding":
        extra = (f"{k}/{n} = {exact:.3f} %: {rounding_rule(printed, exact)} rather than "
                 "rounded to the nearest.")
    elif status == "mismatch":
        others = [c for c in _counts_giving(printed, n) if c != k]
        ruled = [c for c in range(n + 1) if c != k and rounding_rule(printed, 100 * c / n)]
        extra = f"{k}/{n} = {exact:.2f} %, not {printed} %. " + (
            f"The print is what {' or '.join(f'{c}/{n}' for c in others)} gives: a count "
            "other than the one printed or summed here." if others else
            f"The print is {' or '.join(f'{c}/{n}' for c in ruled)} "
            f"{rounding_rule(printed, 100 * ruled[0] / n)}: a count other than the one "
            "printed or summed here." if ruled else
            f"No whole count out of {n} gives {printed} %: a typing error or another "
            "denominator.")
    return Entry(id_, where, quantity, published or f"{printed} %", recomputed, status,
                 _join(note, extra), float(printed), decimals(printed))


def _join(*parts: str) -> str:
    """Sentences joined, each ending with a full stop."""
    out = [p.strip() if p.strip()[-1:] in ".!?" else p.strip() + "." for p in parts if p.strip()]
    return " ".join(out)


def ci_entry(id_: str, where: str, quantity: str, printed: tuple[str, str], k: int,
             n: int) -> Entry:
    """A printed binomial 95 % CI against every method of ``vah.binomial``, plus Stata's logit
    interval with the whole cohort's degrees of freedom (how Stata's ``proportion ..., over()``
    treats a subgroup)."""
    cis = binomial.all_cis(k, n)
    cis[COHORT_DF_METHOD] = binomial.proportion_ci(k, n, "logit_stata", df=_cohort_df())
    places = decimals(printed[0])
    status_by = {m: compare_ci(printed, ci) for m, ci in cis.items()}
    exact = [m for m, s in status_by.items() if s == "match"]
    near = [m for m, s in status_by.items() if s == "rounding"]
    best = (exact or near or [_closest(printed, cis)])[0]
    lo, hi = cis[best]
    recomputed = f"{round_half_up(100 * lo, places)}–{round_half_up(100 * hi, places)} ({best})"
    c_lo, c_hi = implied_logit_critical_value(k, n, printed)
    implied = (f"The print is a symmetric logit interval with a critical value between "
               f"{c_lo:.3f} and {c_hi:.3f} (normal 1.960; Student t with {n - 1} df "
               f"{_t975(n - 1):.3f})." if c_lo <= c_hi else "")
    if exact:
        status, note = "match", f"Reproduced by: {', '.join(exact)}."
    elif near:
        status, note = "rounding", (f"Within one unit of the last digit (directed rounding): "
                                    f"{', '.join(near)}.")
    else:
        status, note = "mismatch", (f"No standard interval method reproduces it (closest: "
                                    f"{best}): the paper's method is not identified. {implied}")
    return Entry(id_ + ".ci", where, quantity + ", 95 % CI", f"{printed[0]}–{printed[1]}",
                 recomputed, status, note.strip(), float(printed[0]), places,
                 {"ci": {"k": k, "n": n, "exact": exact, "near": near, "closest": best,
                         "logit_c": (c_lo, c_hi)}})


#: Name used in the ledger for Stata's logit interval with the cohort's n - 1 degrees of freedom.
COHORT_DF_METHOD = "logit_stata_cohort_df"


def _cohort_df() -> int:
    return pub.group_n("all") - 1


def _t975(df: int) -> float:
    from scipy.special import stdtrit

    return float(stdtrit(df, 0.975))


def _closest(printed: tuple[str, str], cis: dict[str, tuple[float, float]]) -> str:
    target = [float(p) for p in printed]
    return min(cis, key=lambda m: sum(abs(100 * x - t)
                                      for x, t in zip(cis[m], target, strict=True)))


def implied_logit_critical_value(k: int, n: int, printed: tuple[str, str]) -> tuple[float, float]:
    """Range of critical values c for which the logit interval logit(k/n) +- c * se, rounded,
    gives both printed bounds (empty, lo > hi, if none does)."""
    if not 0 < k < n:
        return (math.inf, -math.inf)
    p = k / n
    centre, se = math.log(p / (1 - p)), math.sqrt(1 / k + 1 / (n - k))
    half = 0.5 * 10.0 ** -decimals(printed[0])
    ranges = []
    for text, side in zip(printed, (-1, 1), strict=True):
        bounds = [(float(text) + d) / 100 for d in (-half, half)]
        cs = [side * (math.log(b / (1 - b)) - centre) / se for b in bounds if 0 < b < 1]
        ranges.append((min(cs), max(cs)))
    return (max(r[0] for r in ranges), min(r[1] for r in ranges))


def p_entry(id_: str, where: str, quantity: str, printed: str, table, note: str = "") -> Entry:
    """A printed P value of an r x c comparison against every test of ``vah.contingency``."""
    arr = contingency.as_table(table)
    values = contingency.all_p_values(arr)
    if arr.shape != (2, 2):
        values.pop("chi2_yates")  # no continuity correction beyond 2 x 2: same as chi2
    op = "<" if printed.startswith("<") else "="
    number = printed.lstrip("<=")
    if op == "<":
        statuses = {m: ("match" if v < float(number) else "mismatch") for m, v in values.items()}
    else:
        statuses = {m: compare(number, v) for m, v in values.items()}
    exact = [m for m, s in statuses.items() if s == "match"]
    near = [m for m, s in statuses.items() if s == "rounding"]
    best = (exact or near or [min(values, key=lambda m: abs(values[m] - float(number)))])[0]
    places = max(decimals(number), 3)
    recomputed = f"{round_half_up(values[best], places)} ({best})"
    others = "; ".join(f"{m} {values[m]:.3f}" for m in values)
    if exact:
        status, text = "match", f"Reproduced by: {', '.join(exact)}. All tests: {others}."
    elif near:
        status, text = "rounding", f"Within rounding: {', '.join(near)}. All tests: {others}."
    else:
        status, text = "mismatch", f"No test reproduces it. All tests: {others}."
    published = f"P {printed}" if op == "<" else f"P = {printed}"
    return Entry(id_, where, quantity, published, recomputed, status,
                 _join(note, text), float(number), decimals(number),
                 {"p": {"shape": "x".join(map(str, arr.shape)), "values": values,
                        "exact": exact, "near": near}})


def value_entry(id_: str, where: str, quantity: str, printed: str, value: float, how: str,
                note: str = "") -> Entry:
    """A printed number against a value derived elsewhere (a sum, a table cell, a constant)."""
    status = "match" if math.isclose(float(printed), value) else "mismatch"
    shown = f"{value:g}"
    if status == "mismatch":
        note = _join(note, f"{how} gives {shown}, not {printed}.")
    return Entry(id_, where, quantity, printed, f"{shown} ({how})", status, note,
                 float(printed), decimals(printed))


def not_recomputable(id_: str, where: str, quantity: str, printed: str, reason: str,
                     value: float = math.nan) -> Entry:
    return Entry(id_, where, quantity, printed, "–", "not-recomputable", reason, value,
                 decimals(printed.split(" ")[0]) if printed[:1].isdigit() else 1)


NEEDS_PATIENTS = {
    "median": "A median time (or follow-up) needs each patient's time to event.",
    "landmark": "A Kaplan-Meier or cumulative-incidence estimate with censoring needs "
                "patient-level times.",
    "p_survival": "A log-rank or Fine-Gray P value needs patient-level times.",
    "hr": "A hazard ratio needs a Cox model fitted to patient-level data.",
    "fixed": "A number reported once, with nothing in the paper to recompute it from.",
}


# ------------------------------------------------------------------ references
def resolve(ref: str) -> tuple[float, str]:
    """The value a reference names, and how to say where it comes from.

    ``group_n:<group>``, ``table1:<characteristic>:<level>:<group>``, ``table2:<row>:<group>``,
    ``table1_age:<group>:<field>``, ``design:<p0|improvement|alpha|power|dropout>`` (in %),
    ``protocol:<NAME>[:<index>]``, ``regimen:<drug>:<step>:<dose|first_day|last_day>``.
    """
    kind, _, rest = ref.partition(":")
    parts = rest.split(":")
    try:
        if kind == "group_n":
            return pub.group_n(rest), f"Table 1 header, {pub.GROUP_LABELS[rest]}"
        if kind == "table1":
            return _cells()[("table1", *parts)], f"Table 1, {parts[1]}, {parts[2]}"
        if kind == "table2":
            return _cells()[("table2", *parts)], f"Table 2, {parts[0]}, {parts[1]}"
        if kind == "table1_age":
            age = pub.table1_age().set_index("group")
            return float(age.loc[parts[0], parts[1]]), "Table 1, age"
        if kind == "design":
            from vah.protocol import SAMPLE_SIZE_DESIGN as d
            values = {"p0": d.p0, "improvement": d.p1 - d.p0, "alpha": d.alpha,
                      "power": d.power, "dropout": d.dropout}
            return round(100 * values[rest], 10), "vah.protocol design"
        if kind == "protocol":
            from vah import protocol
            value = getattr(protocol, parts[0]).value
            return float(value[int(parts[1])] if len(parts) > 1 else value), "vah.protocol"
        if kind == "regimen":
            from vah import regimen
            step = getattr(regimen, parts[0].upper()).steps[int(parts[1])]
            value = step.dose.magnitude if parts[2] == "dose" else getattr(step, parts[2])
            return float(value), "vah.regimen (Methods, Procedures)"
    except (KeyError, AttributeError, IndexError, ValueError) as exc:
        raise DataError(f"claims.yaml: reference {ref!r} cannot be resolved ({exc})") from None
    raise DataError(f"claims.yaml: unknown reference kind in {ref!r}")


@cache
def _cells() -> dict[tuple[str, ...], int]:
    """Counts of Tables 1 and 2 keyed by ("table1", characteristic, level, group) and
    ("table2", row, group)."""
    out = {("table1", r.characteristic, r.level, r.group): int(r.n)
           for r in pub.table1().itertuples()}
    out.update({("table2", r.row, r.group): int(r.n) for r in pub.table2().itertuples()})
    return out


def _expression(expr: str) -> int:
    """Sum of a "a + b - c" expression of whole numbers."""
    tokens = expr.replace("-", " - ").replace("+", " + ").split()
    total, sign = 0, 1
    for token in tokens:
        if token in "+-":
            sign = 1 if token == "+" else -1
        else:
            total += sign * int(token)
    return total


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
    t1 = pub.table1()
    sums = _table1_percent_sums()
    out: list[Entry] = []
    for row in t1.itertuples():
        id_ = f"table1.{row.characteristic}.{row.level}.{row.group}".replace("/", "_")
        quantity = f"{row.label}, {pub.GROUP_LABELS[row.group]}"
        n = pub.group_n(row.group)
        pct_printed = row.printed.split("(")[1].rstrip(")") if "(" in row.printed else None
        if pct_printed in (None, "0"):
            ok = row.n == 0 or pct_printed is not None
            out.append(Entry(id_, row.locator, quantity, row.printed, f"{row.n} (0)",
                             "match" if ok else "mismatch", "" if ok else "No percentage."))
            continue
        e = pct_entry(id_, row.locator, quantity, pct_printed, row.n, n,
                      published=row.printed)
        e.recomputed = f"{row.n} ({_pct_text(row.n, n, 1)})"
        key = (row.characteristic, row.group)
        if e.status != "match" and key in sums and sums[key][0] == 100.0 != sums[key][1]:
            e.status = "rounding"
            e.note = (f"{row.n}/{n} = {100 * row.n / n:.3f} %. The printed percentages of "
                      f"this column add up to exactly 100.0, the nearest roundings to "
                      f"{sums[key][1]:.1f}: the column was adjusted to total 100 %.")
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
    t2 = pub.table2()
    out: list[Entry] = []
    for row in t2.itertuples():
        id_ = f"table2.{row.row}.{row.group}"
        quantity = f"{row.row}, {pub.GROUP_LABELS[row.group]}"
        pct_printed = row.printed.split("(")[1].split("[")[0].rstrip(")")
        out.append(pct_entry(id_, row.locator, quantity, pct_printed, row.n, row.denominator))
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
            out.append(not_recomputable(f"table2.p.{row.row.replace(' ', '_')}", row.locator,
                                        f"P across disease groups, {row.row}",
                                        f"P = {row.p_printed}", NEEDS_PATIENTS["p_survival"],
                                        row.p_value))
    return out + survival_table_entries()


def survival_table_entries() -> list[Entry]:
    out = []
    for row in pub.table2_survival().itertuples():
        id_ = f"table2.{row.endpoint}_{row.statistic}.{row.group}"
        quantity = f"{row.endpoint} {row.statistic}, {pub.GROUP_LABELS[row.group]}"
        if row.statistic == "12m":
            n = pub.group_n(row.group)
            k = round(row.estimate / 100 * n)
            est, lo, hi = row.printed.replace(")", "").replace("(", "").replace("–", " ").split()
            out += landmark12_entries(id_, row.locator, quantity, est, (lo, hi), k, n)
            continue
        kind = "median" if row.statistic == "median" else "landmark"
        out.append(not_recomputable(id_, row.locator, quantity, row.printed,
                                    NEEDS_PATIENTS[kind], row.estimate))
    return out


LANDMARK12_NOTE = (
    "Every patient had more than 12 months of potential follow-up (last enrolment 16 June 2021, "
    "cut-off 30 June 2022), so without losses to follow-up the 12-month Kaplan-Meier estimate is "
    "the simple proportion k/n and its log-log interval follows from k and n; k is the whole "
    "number that reproduces the printed percentage.")


def landmark12_entries(id_: str, where: str, quantity: str, printed: str,
                       ci: tuple[str, str], k: int, n: int) -> list[Entry]:
    first = pct_entry(id_, where, quantity, printed, k, n, LANDMARK12_NOTE)
    interval = binomial.km_loglog_ci(k, n)
    status = compare_ci(ci, interval)
    places = decimals(ci[0])
    recomputed = (f"{round_half_up(100 * interval[0], places)}–"
                  f"{round_half_up(100 * interval[1], places)} (log-log, k = {k})")
    note = "Kaplan-Meier log-log interval without censoring. " + {
        "match": "Reproduced.",
        "rounding": "Within one unit of the last digit (directed rounding).",
        "mismatch": "Not reproduced: censoring before 12 months, or another transform."}[status]
    second = Entry(id_ + ".ci", where, quantity + ", 95 % CI", f"{ci[0]}–{ci[1]}", recomputed,
                   status, note, float(ci[0]), places)
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
                             "" if row.n == 0 else "A count without a percentage."))
            continue
        pct_printed = row.printed.split("(")[1].rstrip(")")
        out.append(pct_entry(id_, row.locator, quantity, pct_printed, row.n, n,
                             published=row.printed))
    return out


# ------------------------------------------------------------------ the text
def claim_entries() -> list[Entry]:
    out = []
    for c in pub.claims().to_dict(orient="records"):
        c = {k: v for k, v in c.items() if not (isinstance(v, float) and math.isnan(v))}
        out += _claim_entries(c)
    return out


def _claim_entries(c: dict) -> list[Entry]:
    id_, where, kind, printed = c["id"], c["loc"], c["kind"], c["printed"]
    quantity = c["text"]
    extra = _join(c.get("expr_note", ""), c.get("note", ""))
    if c.get("derived"):
        extra = (extra + " " if extra else "") + (
            "The numerator is not printed; it is the whole number that gives the printed "
            "percentage with the stated denominator.")
    k, n = (int(c["k"]), int(c["n"])) if "k" in c and "n" in c else (None, None)
    if kind in ("pct", "pct_ci"):
        out = [pct_entry(id_, where, quantity, printed, k, n, extra)]
        if kind == "pct_ci":
            out.append(ci_entry(id_, where, quantity, tuple(c["ci"]), k, n))
        return out + _reference_checks(c, k, n)
    if kind == "landmark12" and "ci" not in c:
        return [pct_entry(id_, where, quantity, printed, k, n,
                          " ".join(x for x in (LANDMARK12_NOTE, extra) if x))]
    if kind == "landmark12":
        return landmark12_entries(id_, where, quantity, printed, tuple(c["ci"]), k, n)
    if kind == "count":
        value = _expression(c["expr"])
        out = [value_entry(id_, where, quantity, printed, value, c["expr"], extra)]
        if "ref" in c:
            ref, how = resolve(c["ref"])
            out.append(value_entry(id_ + ".vs_table", where, quantity + " (against the table)",
                                   printed, ref, how))
        return out
    if kind == "crossref":
        ref, how = resolve(c["ref"])
        return [value_entry(id_, where, quantity, printed, ref, how, extra)]
    if kind == "p":
        groups = [g.split("/") for g in c["groups"].split(",")]
        table = contingency.table_from_groups([int(a) for a, _ in groups],
                                              [int(b) for _, b in groups])
        return [p_entry(id_, where, quantity, printed, table, extra)]
    if kind == "hr_p":
        return [hr_p_entry(id_, where, quantity, printed, c["hr"])]
    if kind == "sample_size":
        return [sample_size_entry(id_, where, printed)]
    if kind == "dropout":
        return [dropout_entry(id_, where, printed)]
    reason = (NEEDS_PATIENTS[kind] + " " + extra).strip()
    published = printed if "ci" not in c else f"{printed} ({c['ci'][0]}–{c['ci'][1]})"
    return [not_recomputable(id_, where, quantity, published, reason, c["value"]
                             if isinstance(c.get("value"), float) else math.nan)]


def _reference_checks(c: dict, k: int, n: int) -> list[Entry]:
    """A claim's numerator (``ref``) or denominator (``ref_n``) against the tables."""
    out = []
    for key, mine, what in (("ref", k, "numerator"), ("ref_n", n, "denominator")):
        if key in c:
            value, how = resolve(c[key])
            out.append(value_entry(f"{c['id']}.{what}", c["loc"],
                                   f"{what} of {c['text']!r}", str(mine), value, how))
    return out


def hr_p_entry(id_: str, where: str, quantity: str, printed: str, hr: list[str]) -> Entry:
    """Wald P value implied by a hazard ratio and its 95 % CI (log scale, normal).

    HR and CI are printed to two decimals, so the implied P is known only within the range
    spanned by the corners of the rounding box (each number +- 0.005).
    """
    from itertools import product

    from scipy.special import ndtr, ndtri

    def wald(ratio: float, low: float, high: float) -> float:
        se = (math.log(high) - math.log(low)) / (2 * ndtri(0.975))
        return 2 * ndtr(-abs(math.log(ratio)) / se)

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
                 status, note, float(printed), decimals(printed))


def _design():
    from vah.protocol import SAMPLE_SIZE_DESIGN
    return SAMPLE_SIZE_DESIGN


def sample_size_entry(id_: str, where: str, printed: str) -> Entry:
    d = _design()
    sizes = binomial.sample_size_table(d.p0, d.p1, d.alpha, d.power)
    hits = [m for m, v in sizes.items() if v == int(printed)]
    others = "; ".join(f"{m} {v}" for m, v in sizes.items())
    status = "match" if hits else "mismatch"
    note = (f"Reproduced by: {', '.join(hits)}. All methods: {others}." if hits else
            f"No formula tried gives {printed}. All methods: {others}.")
    best = hits[0] if hits else "normal_null_var"
    return Entry(id_, where, "Sample size for 45 % vs 60 %, two-sided alpha 5 %, power 80 %",
                 printed, f"{sizes[best]} ({best})", status, note, float(printed), 0)


def dropout_entry(id_: str, where: str, printed: str) -> Entry:
    d = _design()
    n = binomial.sample_size_one_proportion(d.p0, d.p1, d.alpha, d.power, "arcsine")
    inflated = binomial.inflate_for_dropout(n, d.dropout)
    times = round(n * (1 + d.dropout))
    status = compare(printed, inflated)
    note = (f"The usual inflation n / (1 - dropout) = {n} / {1 - d.dropout:g} gives {inflated}; "
            f"the printed {printed} is {n} x {1 + d.dropout:g} = {n * (1 + d.dropout):.1f} "
            f"rounded ({times}), which leaves fewer than {n} evaluable patients if exactly "
            f"{d.dropout:.0%} drop out.") if status != "match" else ""
    return Entry(id_, where, "Planned enrolment after 10 % dropout", printed,
                 f"{inflated} (n / (1 - dropout))", status, note, float(printed), 0)


# ------------------------------------------------------------------ reconstructed cohort
_RECONSTRUCTED: dict[str, tuple[float, float, str]] = {}
_HOOK_DONE: list[bool] = []


def register_reconstructed(claim_id: str, achieved: float, tolerance: float,
                           note: str = "") -> None:
    """Check a not-recomputable entry against the reconstructed cohort.

    ``achieved`` is the cohort's value in the published unit (NaN for 'not reached'),
    ``tolerance`` the largest acceptable absolute difference from the print. Within tolerance
    the entry becomes ``reconstructed``; outside it stays ``not-recomputable`` and the note
    says by how much the cohort misses. Unknown ids, and entries that are recomputable from the
    paper itself, are refused (DataError).
    """
    if not tolerance >= 0:
        raise DataError(f"tolerance for {claim_id!r} must be >= 0, got {tolerance!r}")
    _RECONSTRUCTED[claim_id] = (float(achieved), float(tolerance), note)
    _clear_caches()


def clear_reconstructed() -> None:
    """Forget every registered reconstruction (tests)."""
    _RECONSTRUCTED.clear()
    _clear_caches()


def _clear_caches() -> None:
    _entries.cache_clear()
    _frame.cache_clear()


def _run_hook() -> None:
    """Let the cohort module register its checks once, if it exists and offers the hook."""
    if _HOOK_DONE:
        return
    _HOOK_DONE.append(True)
    module_name, _, func = RECONSTRUCTION_HOOK.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        return
    checks = getattr(module, func, None)
    for claim_id, achieved, tolerance, note in (checks() if checks else ()):
        _RECONSTRUCTED[claim_id] = (float(achieved), float(tolerance), note)


def _apply_reconstruction(e: Entry, achieved: float, tolerance: float, note: str) -> Entry:
    if e.status != "not-recomputable":
        raise DataError(f"ledger entry {e.id!r} is recomputed from the paper ({e.status}); "
                        "the reconstructed cohort cannot override it")
    both_missing = math.isnan(achieved) and math.isnan(e.value)
    diff = 0.0 if both_missing else abs(achieved - e.value)
    shown = "not reached" if math.isnan(achieved) else f"{achieved:.{e.places}f}"
    recomputed = f"{shown} (reconstructed cohort)"
    if diff <= tolerance:
        own = e.note  # keep what the paper's entry says, without "needs patient-level data"
        for generic in NEEDS_PATIENTS.values():
            own = own.replace(generic, "").strip()
        return replace(e, recomputed=recomputed, status="reconstructed",
                       note=" ".join(x for x in (note, f"Within ±{tolerance:g} of the print.",
                                                 own) if x))
    return replace(e, recomputed=recomputed, note=" ".join(
        x for x in (e.note, note, f"The reconstructed cohort gives {shown}, outside ±"
                    f"{tolerance:g}.") if x))


# ------------------------------------------------------------------ the ledger
@cache
def _entries() -> tuple[Entry, ...]:
    _run_hook()
    entries = table1_entries() + table2_entries() + table3_entries() + claim_entries()
    ids = [e.id for e in entries]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise DataError(f"duplicate ledger ids: {', '.join(duplicates)}")
    unknown = sorted(set(_RECONSTRUCTED) - set(ids))
    if unknown:
        raise DataError(f"reconstructed checks for unknown ledger ids: {', '.join(unknown)}")
    return tuple(_apply_reconstruction(e, *_RECONSTRUCTED[e.id]) if e.id in _RECONSTRUCTED
                 else e for e in entries)


@cache
def _frame() -> pd.DataFrame:
    rows = [{c: getattr(e, c) for c in COLUMNS} for e in _entries()]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame.index = pd.Index([section_of(i) for i in frame["id"]], name="section")
    return frame


def ledger_frame(section: str | None = None) -> pd.DataFrame:
    """The ledger: id, where, quantity, published, recomputed, status, note (display strings),
    optionally one section of ``SECTIONS``."""
    frame = _frame()
    if section is not None:
        if section not in SECTIONS:
            raise DataError(f"unknown ledger section {section!r}; sections are "
                            f"{', '.join(SECTIONS)}")
        frame = frame.loc[[section]] if section in frame.index else frame.iloc[:0]
    return frame.reset_index(drop=True).copy()


def sections() -> pd.Series:
    """Section of every entry, indexed by id."""
    frame = _frame()
    return pd.Series(frame.index, index=frame["id"].to_numpy(), name="section")


def status_counts() -> dict[str, int]:
    """Entries per status (every status, zero included)."""
    counts = _frame()["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in STATUSES}


def section_counts() -> pd.DataFrame:
    """Counts by section (rows, in ``SECTIONS`` order) and status (columns), with totals."""
    frame = _frame()
    table = pd.crosstab(frame.index, frame["status"]).reindex(
        index=list(SECTIONS), columns=list(STATUSES), fill_value=0)
    table["total"] = table.sum(axis=1)
    table.index.name, table.columns.name = "section", None
    return table.astype(int)


topic_counts = section_counts  # the name used before sections were fixed


def _extras(key: str) -> list[tuple[Entry, dict]]:
    return [(e, e.extra[key]) for e in _entries() if key in e.extra]


def ci_method_findings() -> pd.DataFrame:
    """Per published binomial 95 % CI: the methods that reproduce it exactly, those within
    directed rounding, the closest method, and the logit critical values that reproduce it."""
    rows = []
    for e, x in _extras("ci"):
        c_lo, c_hi = x["logit_c"]
        rows.append({"id": e.id, "k": x["k"], "n": x["n"], "published": e.published,
                     "status": e.status, "reproduced_by": ", ".join(x["exact"]),
                     "within_rounding": ", ".join(x["near"]), "closest": x["closest"],
                     "logit_c_low": round(c_lo, 4) if c_lo <= c_hi else math.nan,
                     "logit_c_high": round(c_hi, 4) if c_lo <= c_hi else math.nan})
    return pd.DataFrame(rows)


#: Two-sided 95 % critical value of the normal distribution.
Z975 = NormalDist().inv_cdf(0.975)


def logit_critical_by_n() -> pd.DataFrame:
    """Per group size n: the logit critical values consistent with every printed interval of
    that size (low, high, mid), next to the normal value and Student's t with n - 1 df."""
    ci = ci_method_findings()
    out = ci.groupby("n").agg(low=("logit_c_low", "max"), high=("logit_c_high", "min"))
    out["mid"] = (out["low"] + out["high"]) / 2
    out["normal"] = Z975
    out["t_n_minus_1"] = [_t975(n - 1) for n in out.index]
    return out


def ci_method_tally() -> dict[str, int]:
    """How many published binomial CIs each method reproduces exactly."""
    tally = dict.fromkeys((*binomial.CI_METHODS, COHORT_DF_METHOD), 0)
    for _, x in _extras("ci"):
        for m in x["exact"]:
            tally[m] += 1
    return tally


def p_value_findings() -> pd.DataFrame:
    """Per published P value of a comparison of proportions: each test's P (NaN where the test
    does not apply) and the tests that reproduce the print."""
    rows = []
    for e, x in _extras("p"):
        row = {"id": e.id, "published": e.published, "table": x["shape"], "status": e.status,
               "reproduced_by": ", ".join(x["exact"]),
               "within_rounding": ", ".join(x["near"])}
        row.update({m: x["values"].get(m, math.nan) for m in contingency.P_METHODS})
        rows.append(row)
    return pd.DataFrame(rows)


def p_method_tally() -> dict[str, int]:
    """How many published P values each test reproduces exactly."""
    tally = dict.fromkeys(contingency.P_METHODS, 0)
    for _, x in _extras("p"):
        for m in x["exact"]:
            tally[m] += 1
    return tally


@cache
def sample_size_findings() -> pd.DataFrame:
    """Every sample-size method for the design (45 % vs 60 %, alpha 5 %, power 80 %), whether
    it gives the paper's 87, and the enrolment after 10 % dropout by division and by
    multiplication (the paper's 96)."""
    d = _design()
    printed = int(pub.claim("methods.sample_size")["printed"])
    planned = int(pub.claim("methods.planned_n")["printed"])
    rows = []
    for method, n in binomial.sample_size_table(d.p0, d.p1, d.alpha, d.power).items():
        divided = binomial.inflate_for_dropout(n, d.dropout)
        multiplied = round(n * (1 + d.dropout))
        rows.append({"method": method, "label": binomial.SAMPLE_SIZE_LABELS[method], "n": n,
                     "gives_published_n": n == printed, "enrol_divided": divided,
                     "enrol_multiplied": multiplied,
                     "gives_planned_n": planned in (divided, multiplied)})
    return pd.DataFrame(rows)


@cache
def exact_test_finding() -> dict:
    """The exact one-sample binomial test of the observed CRc against the historical 45 %
    (the test the design implies; the paper reports none)."""
    t2 = pub.table2().set_index(["row", "group"])
    k, n = int(t2.loc[("CRc", "all"), "n"]), int(t2.loc[("CRc", "all"), "denominator"])
    d = _design()
    return {"k": k, "n": n, "p0": d.p0,
            "p_two_sided": binomial.exact_binomial_test(k, n, d.p0),
            "p_greater": binomial.exact_binomial_test(k, n, d.p0, "greater"),
            "ci_clopper_pearson": binomial.proportion_ci(k, n, "clopper_pearson")}
