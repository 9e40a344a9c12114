"""Ledger entries and their builders: a printed number against its recomputation."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from vah import paper as pub
from vah.stats import binomial, contingency, design
from vah.stats.rounding import (
    _counts_giving,
    _pct_text,
    compare,
    compare_ci,
    decimals,
    round_half_up,
    rounding_paths,
)
from vah.vocabulary import BASES, LEDGER_COLUMNS, STATUSES

__all__ = [
    "BASES",
    "ci_entry",
    "COHORT_DF_METHOD",
    "COLUMNS",
    "dropout_entry",
    "Entry",
    "hr_midpoint_entry",
    "hr_p_entry",
    "implied_logit_critical_value",
    "landmark12_entries",
    "LANDMARK12_NOTE",
    "NEEDS_PATIENTS",
    "not_recomputable",
    "p_entry",
    "PAPER_CI_METHOD",
    "pct_entry",
    "sample_size_entry",
    "SAMPLE_SIZE_TESTS",
    "STATUSES",
    "value_entry",
]

COLUMNS = list(LEDGER_COLUMNS)


#: The CI method closest to the paper's intervals overall (see ``ci_method_findings``).
PAPER_CI_METHOD = "logit_stata"


@dataclass(frozen=True)
class Entry:
    """One published number: where it is printed, what it is, its recomputation and status."""

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
    basis: str = "counts"
    inputs: str = ""


# ------------------------------------------------------------------ entry builders
def pct_entry(id_: str, where: str, quantity: str, printed: str, k: int, n: int,
              note: str = "", published: str | None = None, *, derived: bool = False,
              parts: tuple[str, ...] = (), inputs: str | None = None) -> Entry:
    """A printed percentage against k/n.

    ``derived``: k is not printed but inferred from the print itself, so the entry shows only
    that some whole count of n gives it (status not-recomputable, basis none) unless none does.
    ``parts``: printed percentages whose sum the print may be (a composite of table cells).
    """
    exact = 100 * k / n
    status = compare(printed, exact)
    places = max(decimals(printed), 1)
    recomputed = f"{_pct_text(k, n, places)} % ({k}/{n})"
    extra_data = {"pct": {"k": k, "n": n, "printed": printed, "derived": derived}}
    inputs = inputs or (f"n = {n}" if derived else f"{k} of {n}")
    if derived and status == "match":
        return Entry(id_, where, quantity, published or f"{printed} %", recomputed,
                     "not-recomputable", _join(note, (
                         f"No count is printed: {k} of {n} is the whole number that gives "
                         f"{printed} %, so this shows only that the print is a possible "
                         f"proportion of {n}.")), float(printed), decimals(printed),
                     extra_data, "none", inputs)
    paths = rounding_paths(printed, k, n, parts)
    extra = ""
    if status != "match":
        reproduced = [name for name, text in paths.items() if text == printed]
        ruled_out = "; ".join(f"{name} {text}" for name, text in paths.items()
                              if text != printed)
        if reproduced:
            status = "rounding"
            extra = (f"{k}/{n} = {exact:.3f} %: reproduced by {' and '.join(reproduced)}, not "
                     f"by rounding half-up. Ruled out: {ruled_out}.")
        else:
            status = "mismatch"
            others = [c for c in _counts_giving(printed, n) if c != k]
            extra = f"{k}/{n} = {exact:.2f} %, not {printed} %. Ruled out: {ruled_out}. " + (
                f"The print is what {' or '.join(f'{c}/{n}' for c in others)} gives: a "
                "count other than the one printed or summed here." if others else
                f"No whole count out of {n} gives {printed} % by any of these roundings: a "
                "typing error or another denominator.")
    return Entry(id_, where, quantity, published or f"{printed} %", recomputed, status,
                 _join(note, extra), float(printed), decimals(printed), extra_data, "counts",
                 inputs)


def _join(*parts: str) -> str:
    """Sentences joined, each ending with a full stop."""
    out = [p.strip() if p.strip()[-1:] in ".!?" else p.strip() + "." for p in parts if p.strip()]
    return " ".join(out)


def ci_entry(id_: str, where: str, quantity: str, printed: tuple[str, str], k: int,
             n: int, inputs: str | None = None) -> Entry:
    """A printed binomial 95 % CI against every method of ``vah.stats.binomial``, plus Stata's logit
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
    if COHORT_DF_METHOD in exact:
        status, note = "match", f"Reproduced by: {', '.join(exact)}."
    elif exact:
        status, note = "mismatch", (
            f"Reproduced by {', '.join(exact)}, but not by {COHORT_DF_METHOD}, the method that "
            "reproduces every other printed interval of the paper: a bound off by one in its "
            "last digit, or another method for this one interval.")
    elif near:
        status, note = "rounding", (f"Within one unit of the last digit (directed rounding): "
                                    f"{', '.join(near)}.")
    else:
        status, note = "mismatch", (f"No standard interval method reproduces it (closest: "
                                    f"{best}). {implied}")
    return Entry(id_ + ".ci", where, quantity + ", 95 % CI", f"{printed[0]}–{printed[1]}",
                 recomputed, status, note.strip(), float(printed[0]), places,
                 {"ci": {"k": k, "n": n, "exact": exact, "near": near, "closest": best,
                         "logit_c": (c_lo, c_hi)}}, "counts", inputs or f"{k} of {n}")


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


def p_entry(id_: str, where: str, quantity: str, printed: str, table, note: str = "",
            inputs: str | None = None) -> Entry:
    """A printed P value of an r x c comparison against every test of ``vah.stats.contingency``."""
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
    counts = "; ".join("/".join(str(int(x)) for x in row) for row in arr.T)
    return Entry(id_, where, quantity, published, recomputed, status,
                 _join(note, text), float(number), decimals(number),
                 {"p": {"shape": "x".join(map(str, arr.shape)), "values": values,
                        "exact": exact, "near": near}}, "counts",
                 inputs or f"the {'x'.join(map(str, arr.shape))} table {counts}")


def value_entry(id_: str, where: str, quantity: str, printed: str, value: float, how: str,
                note: str = "", basis: str = "counts") -> Entry:
    """A printed number against a value derived elsewhere: a sum of other printed numbers
    (basis ``counts``), or the same number printed elsewhere (``restated``)."""
    status = "match" if math.isclose(float(printed), value) else "mismatch"
    shown = f"{value:g}"
    if status == "mismatch":
        note = _join(note, f"{how} gives {shown}, not {printed}.")
    return Entry(id_, where, quantity, printed, f"{shown} ({how})", status, note,
                 float(printed), decimals(printed), basis=basis, inputs=how)


def not_recomputable(id_: str, where: str, quantity: str, printed: str, reason: str,
                     value: float = math.nan) -> Entry:
    """An entry the paper gives nothing to recompute from; ``reason`` says why."""
    number = re.search(r"\d+(?:\.\d+)?", printed)
    return Entry(id_, where, quantity, printed, "–", "not-recomputable", reason, value,
                 decimals(number[0]) if number else 1, basis="none")


NEEDS_PATIENTS = {
    "median": "A median time (or follow-up) needs each patient's time to event.",
    "landmark": "A Kaplan-Meier or cumulative-incidence estimate with censoring needs "
                "patient-level times.",
    "p_survival": "A log-rank or Fine-Gray P value needs patient-level times.",
    "hr": "A hazard ratio needs a Cox model fitted to patient-level data.",
    "fixed": "A number reported once, with nothing in the paper to recompute it from.",
}


LANDMARK12_NOTE = (
    "Every patient had more than 12 months of potential follow-up (last enrolment 16 June 2021, "
    "cut-off 30 June 2022), so without losses to follow-up the 12-month Kaplan-Meier estimate is "
    "the simple proportion k/n and its log-log interval follows from k and n; k is the whole "
    "number that reproduces the printed percentage.")


def landmark12_entries(id_: str, where: str, quantity: str, printed: str,
                       ci: tuple[str, str], k: int, n: int, derived: bool = True) -> list[Entry]:
    """A printed 12-month rate and its CI against k/n and the log-log interval. The CI is
    checked from the rate and n; the rate itself only when k is printed (``derived`` False)."""
    first = pct_entry(id_, where, quantity, printed, k, n, LANDMARK12_NOTE, derived=derived)
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
                   status, note, float(ci[0]), places, basis="counts",
                   inputs=f"{k} of {n}" if not derived else f"the printed {printed} % and n = {n}")
    return [first, second]


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
                 status, note, float(printed), decimals(printed), basis="counts",
                 inputs=f"HR {hr[0]} (95 % CI {hr[1]}–{hr[2]}) as printed")


def hr_midpoint_entry(id_: str, where: str, quantity: str, hr: list[str]) -> Entry:
    """A printed hazard ratio against the geometric midpoint of its printed 95 % CI (a Wald
    interval is symmetric on the log scale), within what rounding the bounds to their printed
    decimals allows."""
    from itertools import product

    ratio, low, high = (float(x) for x in hr)
    half = 0.5 * 10.0 ** -decimals(hr[1])
    mid = math.sqrt(low * high)
    corners = [math.sqrt((low + a) * (high + b)) for a, b in product((-half, half), repeat=2)]
    places = decimals(hr[0])
    lo_c, hi_c = min(corners), max(corners)
    box = (ratio - 0.5 * 10.0 ** -places, ratio + 0.5 * 10.0 ** -places)
    status = "match" if round_half_up(mid, places) == hr[0] else (
        "rounding" if box[0] <= hi_c and lo_c <= box[1] else "mismatch")
    note = (f"sqrt({hr[1]} x {hr[2]}) = {mid:.4f}; with the bounds anywhere in their rounding "
            f"intervals the midpoint lies in {lo_c:.3f} to {hi_c:.3f}.")
    return Entry(id_ + ".midpoint", where, quantity + ", against its CI", hr[0],
                 f"{round_half_up(mid, places)} (geometric midpoint of the CI)", status, note,
                 ratio, places, basis="counts", inputs=f"the printed CI {hr[1]}–{hr[2]}")


def _design():
    from vah.trial.protocol import SAMPLE_SIZE_DESIGN
    return SAMPLE_SIZE_DESIGN


#: The tests a sample size can be computed for: label -> (alternative, alpha as a share of the
#: design's two-sided alpha).
SAMPLE_SIZE_TESTS = {"two-sided": ("two-sided", 1.0), "one-sided at alpha/2": ("greater", 0.5),
                     "one-sided at alpha": ("greater", 1.0)}


def sample_size_entry(id_: str, where: str, printed: str) -> Entry:
    """The printed sample size against every standard formula for the design, each for the
    two-sided test and the one-sided tests at alpha/2 and alpha; every one that gives the
    print is named."""
    d = _design()
    methods = design.SAMPLE_SIZE_METHODS
    sizes = {(m, label): design.sample_size_one_proportion(d.p0, d.p1, d.alpha * share,
                                                           d.power, m, alt)
             for label, (alt, share) in SAMPLE_SIZE_TESTS.items() for m in methods}
    hits = [f"{m} ({label})" for (m, label), v in sizes.items() if v == int(printed)]
    others = "; ".join(f"{label}: " + ", ".join(f"{m} {sizes[(m, label)]}" for m in methods)
                       for label in SAMPLE_SIZE_TESTS)
    status = "match" if hits else "mismatch"
    note = (f"Reproduced by {len(hits)} of {len(sizes)}: {', '.join(hits)}. All: {others}."
            if hits else f"No formula tried gives {printed}. All: {others}.")
    best = hits[0] if hits else "normal_null_var (two-sided)"
    value = sizes[tuple(best.rstrip(")").split(" (", 1))]
    return Entry(id_, where, "Sample size for 45 % vs 60 %, alpha 5 %, power 80 %",
                 printed, f"{value} ({best})", status, note, float(printed), 0,
                 {"sample_size": {"hits": hits}}, "counts",
                 f"p0 {d.p0:g}, p1 {d.p1:g}, alpha {d.alpha:g}, power {d.power:g} (the same "
                 "sentence)")


def dropout_entry(id_: str, where: str, printed: str) -> Entry:
    """The planned enrolment against the sample size inflated for dropout."""
    d = _design()
    n = design.sample_size_one_proportion(d.p0, d.p1, d.alpha, d.power, "arcsine")
    inflated = design.inflate_for_dropout(n, d.dropout)
    times = round(n * (1 + d.dropout))
    status = compare(printed, inflated)
    note = (f"The usual inflation n / (1 - dropout) = {n} / {1 - d.dropout:g} gives {inflated}; "
            f"the printed {printed} is {n} x {1 + d.dropout:g} = {n * (1 + d.dropout):.1f} "
            f"rounded ({times}), which leaves fewer than {n} evaluable patients if exactly "
            f"{d.dropout:.0%} drop out.") if status != "match" else ""
    return Entry(id_, where, "Planned enrolment after 10 % dropout", printed,
                 f"{inflated} (n / (1 - dropout))", status, note, float(printed), 0,
                 basis="counts", inputs=f"n = {n}, dropout {d.dropout:g}")
