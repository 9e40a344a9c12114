"""Held-out validation of the reconstruction: what the cohort was fitted to, and what it was not.

``FITTED`` lists every published number the skeleton or the seed search was fitted to;
``HELD_OUT`` lists published numbers it was not fitted to, each with the comparison and a
tolerance declared here before any comparison was run. ``held_out_table`` runs them. A held-out
number outside its tolerance is a finding about the reconstruction: the seeds, the data and the
tolerances are not changed after looking.

Everything here is computed on a **reconstruction, not the trial's data**.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from vah import paper as pub
from vah.paper.disk_cache import kept_on_disk
from vah.reconstruction.calibration import ledger_checks as calibrated_ledger_checks
from vah.reconstruction.calibration import summaries
from vah.reconstruction.models import analysis_frame, logrank_p, multivariable_cox

__all__ = [
    "ALPHA",
    "FITTED",
    "Fitted",
    "HELD_OUT",
    "HeldOut",
    "held_out_table",
    "ledger_checks",
    "NOT_COMPARED",
    "P_FACTOR",
    "published",
    "reconstructed_value",
    "within",
]


@dataclass(frozen=True)
class Fitted:
    """A published number (``claim``: a ledger id, or a glob of ids) the cohort is fitted to:
    by the skeleton (an exact count) or by the seed search (``key``: a tolerance key)."""

    claim: str
    key: str
    by: str  # "skeleton" or "seed search"
    what: str


def _t2(endpoint: str, statistic: str) -> tuple[Fitted, ...]:
    by = "skeleton" if statistic == "12m" else "seed search"
    what = {"12m": "OS and EFS at 12 months", "24m": "OS and EFS at 24 months",
            "median": "OS and EFS medians"}[statistic]
    return tuple(Fitted(f"table2.{endpoint}_{statistic}.{g}", f"{endpoint.lower()}_{statistic}.{g}",
                        by, f"Table 2: {what} by disease group")
                 for g in ("all", "refractory", "relapsed_chemo", "relapsed_hsct"))


_S = "results.survival."

_ONE_YEAR = "Text: 1-year OS and EFS, all, by allo-HSCT (all, in CRc) and by FLT3"
_COUNTS = "Text: CRc by ELN, cytogenetics, prior HMA, K/NRAS, MLL, FLT3; CRc then allo-HSCT"
_MEDIANS = "Text: medians of OS with and without CRc, time to relapse, follow-up"
_AGAIN = "Abstract and text: the same medians and rates printed again"
_CRC = "Text: 1-year DFS and relapse in CRc, all, by allo-HSCT and by FLT3"

#: Every number the cohort is fitted to, in the order of the paper (declared before comparing).
FITTED: tuple[Fitted, ...] = (
    Fitted("table1.*", "", "skeleton", "Table 1: every count by disease group"),
    Fitted("table2.[CNPM]*", "", "skeleton", "Table 2: every response count by disease group"),
    Fitted("table2.ORR*", "", "skeleton", "Table 2: every response count by disease group"),
    Fitted("results.subgroups.*", "", "skeleton", _COUNTS),
    Fitted("results.efficacy.crc_*", "", "skeleton", _COUNTS),
    Fitted("discussion.flt3_crc", "", "skeleton", _COUNTS),
    *_t2("OS", "12m"), *_t2("EFS", "12m"),
    *(Fitted(_S + i, "", "skeleton", _ONE_YEAR) for i in (
        "os_12m", "efs_12m", "os_12m_hsct", "os_12m_nohsct", "efs_12m_hsct", "efs_12m_nohsct",
        "crc_os_12m_hsct", "crc_os_12m_nohsct", "os_12m_flt3_pos", "os_12m_flt3_neg",
        "efs_12m_flt3_pos", "efs_12m_flt3_neg")),
    *(Fitted(_S + i, "", "skeleton", "Text: deaths, deaths from relapse, relapses in CRc")
      for i in ("deaths", "death_relapse", "relapses")),
    Fitted(_S + "cir_12m_flt3_pos", "cir_12m.flt3_pos", "skeleton",
           "Text: 1-year relapse in CRc, FLT3-mutated (a count)"),
    *_t2("OS", "median"), *_t2("EFS", "median"), *_t2("OS", "24m"), *_t2("EFS", "24m"),
    Fitted(_S + "os_median_noncrc", "os_median.non_crc", "seed search", _MEDIANS),
    Fitted(_S + "os_median_crc", "os_median.crc", "seed search", _MEDIANS),
    Fitted(_S + "relapse_time", "relapse_median_time", "seed search", _MEDIANS),
    Fitted(_S + "followup", "followup_median.crude", "seed search", _MEDIANS),
    *(Fitted(i, k, "seed search", _AGAIN) for i, k in (
        ("abstract.os_median", "os_median.all"), (_S + "os_median", "os_median.all"),
        ("abstract.efs_median", "efs_median.all"), (_S + "efs_median", "efs_median.all"),
        ("abstract.followup", "followup_median.crude"),
        (_S + "dfs_12m_nohsct", "dfs_12m.crc_no_hsct"))),
    Fitted(_S + "cir_12m", "cir_12m.all", "seed search", _CRC),
    Fitted(_S + "dfs_12m", "dfs_12m.all", "seed search", _CRC),
    Fitted(_S + "crc_dfs_12m_nohsct", "dfs_12m.crc_no_hsct", "seed search", _CRC),
    Fitted(_S + "cir_12m_hsct", "cir_12m.crc_hsct", "seed search", _CRC),
    Fitted(_S + "cir_12m_nohsct", "cir_12m.crc_no_hsct", "seed search", _CRC),
    Fitted(_S + "dfs_12m_flt3_pos", "dfs_12m.flt3_pos", "seed search", _CRC),
    Fitted(_S + "dfs_12m_flt3_neg", "dfs_12m.flt3_neg", "seed search", _CRC),
    Fitted(_S + "cir_12m_flt3_neg", "cir_12m.flt3_neg", "seed search", _CRC),
)


#: A held-out P value is met on the same side of 0.05 as the print and within a factor of
#: ``P_FACTOR`` of it (a print "< b": below ``P_FACTOR`` x b). The times are drawn, so only the
#: strength of evidence can be asked of them, not the digits; 0.05 is the paper's reading.
ALPHA = 0.05
P_FACTOR = 2.0


@dataclass(frozen=True)
class HeldOut:
    """A published number the cohort was not fitted to, and how it is compared.

    ``stat``: "logrank" (P of the log-rank test of ``endpoint`` across ``by``), "hr" / "hr_p"
    (the Cox HR of ``by`` in the multivariable model of OS, or its Wald P) or "rate" (a summary
    key of ``calibration.summaries`` in ``by``). ``population``: "all" (96) or "crc" (68 in
    CRc). ``tolerance``: the factor for a P, the distance in points for a rate; an HR is met
    inside the printed 95 % CI (``tolerance`` 0: no margin beyond it).
    """

    claim: str
    quantity: str
    stat: str
    endpoint: str
    population: str
    by: str
    tolerance: float
    note: str = ""


def _lr(claim: str, quantity: str, endpoint: str, population: str, by: str,
        note: str = "") -> HeldOut:
    return HeldOut(claim, quantity, "logrank", endpoint, population, by, P_FACTOR, note)


_DFS72 = ("The paper's population is 72 (the 68 in CRc and the 4 transplanted without CR); the "
          "reconstruction has disease-free times only for its 68 in CRc.")
_CIR = "Gray's test is not in lifelines: log-rank of the cause-specific hazard of relapse."

#: Every held-out comparison, declared before any was run (ledger id, what, how, tolerance).
HELD_OUT: tuple[HeldOut, ...] = (
    _lr("table2.p.OS_median", "OS by disease group (median row)", "os", "all", "group"),
    _lr("table2.p.OS_24m", "OS by disease group (24-month row)", "os", "all", "group",
        "The same test as the median row (both print the same P)."),
    _lr("table2.p.EFS_median", "EFS by disease group (median row)", "efs", "all", "group"),
    _lr("table2.p.EFS_24m", "EFS by disease group (24-month row)", "efs", "all", "group",
        "The same test as the median row (both print the same P)."),
    _lr(_S + "os_hsct_p", "OS by allo-HSCT", "os", "all", "allo_hsct"),
    _lr(_S + "efs_hsct_p", "EFS by allo-HSCT", "efs", "all", "allo_hsct"),
    _lr(_S + "cir_hsct_p", "Relapse by allo-HSCT", "cir", "crc", "allo_hsct",
        f"{_CIR} {_DFS72}"),
    _lr(_S + "dfs_hsct_p", "DFS by allo-HSCT", "dfs", "crc", "allo_hsct", _DFS72),
    _lr(_S + "crc_os_hsct_p", "OS in CRc by allo-HSCT", "os", "crc", "allo_hsct"),
    _lr(_S + "crc_dfs_hsct_p", "DFS in CRc by allo-HSCT", "dfs", "crc", "allo_hsct"),
    _lr(_S + "os_flt3_p", "OS by FLT3", "os", "all", "mut_FLT3"),
    _lr(_S + "efs_flt3_p", "EFS by FLT3", "efs", "all", "mut_FLT3"),
    _lr(_S + "cir_flt3_p", "Relapse by FLT3", "cir", "crc", "mut_FLT3", f"{_CIR} {_DFS72}"),
    _lr(_S + "dfs_flt3_p", "DFS by FLT3", "dfs", "crc", "mut_FLT3", _DFS72),
    HeldOut(_S + "hr_hsct", "HR of allo-HSCT for OS", "hr", "os", "all", "hsct", 0.0,
            "Multivariable Cox model by the paper's rule (models.multivariable_cox)."),
    HeldOut(_S + "hr_hsct_p", "P of the HR of allo-HSCT", "hr_p", "os", "all", "hsct",
            P_FACTOR, "Wald P of the same model."),
    HeldOut(_S + "hr_mrd", "HR of MRD-negative CRc for OS", "hr", "os", "all", "mrd_neg", 0.0,
            "Multivariable Cox model by the paper's rule (models.multivariable_cox)."),
    HeldOut(_S + "hr_mrd_p", "P of the HR of MRD-negative CRc", "hr_p", "os", "all",
            "mrd_neg", P_FACTOR, "Wald P of the same model."),
    HeldOut(_S + "crc_dfs_12m_hsct", "1-year DFS in CRc, transplanted", "rate", "dfs", "crc",
            "dfs_12m.crc_hsct", 2.0, "Left out of the seed search; the same 2 points as the "
            "fitted rates."),
)

#: Published numbers about survival that are neither fitted nor compared, and why.
NOT_COMPARED = {
    "table2.p.OS_12m": "A test of the 12-month proportions, which the skeleton fixes as counts: "
    "it says nothing about the drawn times.",
    "table2.p.EFS_12m": "A test of the 12-month proportions, which the skeleton fixes as counts: "
    "it says nothing about the drawn times.",
}


# ------------------------------------------------------------------ comparing
def published(check: HeldOut) -> tuple[float, str, float, float]:
    """The printed value, its relation ("=" or "<") and, for an HR, its printed 95 % CI."""
    if check.claim.startswith("table2.p."):
        rows = pub.table2_pvalues().set_index("row")
        row = rows.loc[check.claim.removeprefix("table2.p.").replace("_", " ")]
        return float(row["p_value"]), str(row["p_op"]), math.nan, math.nan
    c = pub.claim(check.claim)
    return (float(c["value"]), c.get("p_op") or "=", float(c.get("ci_low", math.nan)),
            float(c.get("ci_high", math.nan)))


def _population(frame: pd.DataFrame, population: str) -> pd.DataFrame:
    return frame[frame["crc"].astype(bool)] if population == "crc" else frame


def reconstructed_value(check: HeldOut, frame: pd.DataFrame | None = None,
                        model: pd.DataFrame | None = None) -> float:
    """The reconstructed cohort's value of ``check`` (NaN: an HR term not in the model;
    ``model``: the multivariable Cox table, if already fitted; the hazard ratios are always
    those of the calibrated cohort, ``models.multivariable_cox``)."""
    frame = analysis_frame() if frame is None else frame
    if check.stat == "rate":
        return float(summaries(frame)[check.by])
    if check.stat in ("hr", "hr_p"):
        model = (multivariable_cox() if model is None else model).set_index("term")
        if check.by not in model.index:
            return math.nan
        return float(model.loc[check.by, "hr" if check.stat == "hr" else "p"])
    sub = _population(frame, check.population)
    if check.endpoint == "cir":
        time, event = sub["dfs_time"], sub["cir_event"] == 1
    else:
        time, event = sub[f"{check.endpoint}_time"], sub[f"{check.endpoint}_event"]
    return logrank_p(time, np.asarray(event, bool), sub[check.by].astype(str))


def within(check: HeldOut, value: float) -> bool:
    """Whether ``value`` meets the tolerance declared for ``check``."""
    if math.isnan(value):
        return False
    printed, op, low, high = published(check)
    if check.stat == "hr":
        return low - check.tolerance <= value <= high + check.tolerance
    if check.stat == "rate":
        return abs(value - printed) <= check.tolerance + 1e-9
    if op == "<":
        return value < check.tolerance * printed
    same_side = (value < ALPHA) == (printed < ALPHA)
    return same_side and printed / check.tolerance <= value <= printed * check.tolerance


def _tolerance_text(check: HeldOut) -> str:
    if check.stat == "hr":
        return "inside the printed 95 % CI"
    if check.stat == "rate":
        return f"±{check.tolerance:g} points"
    if published(check)[1] == "<":
        return f"below {check.tolerance:g} × the bound"
    return f"same side of {ALPHA:g}, within a factor of {check.tolerance:g}"


def held_out_table(comparisons: tuple[HeldOut, ...] = HELD_OUT,
                   frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every held-out comparison: ledger id, quantity, published, reconstructed, tolerance,
    within (and the relation, the printed CI and the method's note)."""
    if frame is None and comparisons == HELD_OUT:
        return _declared_table().copy()
    return _table(comparisons, analysis_frame() if frame is None else frame)


@kept_on_disk
def _declared_table() -> pd.DataFrame:
    return _table(HELD_OUT, analysis_frame())


def _table(comparisons: tuple[HeldOut, ...], frame: pd.DataFrame) -> pd.DataFrame:
    model = multivariable_cox()
    rows = []
    for check in comparisons:
        printed, op, low, high = published(check)
        value = reconstructed_value(check, frame, model)
        rows.append({"claim": check.claim, "quantity": check.quantity, "published": printed,
                     "op": op, "ci_low": low, "ci_high": high, "reconstructed": value,
                     "stat": check.stat, "tolerance": _tolerance_text(check),
                     "within": within(check, value), "note": check.note})
    return pd.DataFrame(rows)


def ledger_checks() -> list[tuple[str, float, float, str, str]]:
    """(ledger id, reconstructed, tolerance, note, basis) for every survival number the cohort
    checks: basis "calibrated" for a fitted target, "held-out" for a held-out comparison. A
    held-out tolerance is the declared parameter (a factor for a P, 0 for an HR, which must lie
    inside the printed CI); its note says whether it is met."""
    held = {c.claim for c in HELD_OUT}
    out = [(i, v, t, n, "calibrated") for i, v, t, n in calibrated_ledger_checks()
           if i not in held]
    table = held_out_table()
    for check, row in zip(HELD_OUT, table.itertuples(), strict=True):
        verdict = "within" if row.within else "outside"
        note = (f"Reconstructed cohort, held out (not fitted to this number): {verdict} the "
                f"tolerance declared in advance ({row.tolerance}). {check.note}").strip()
        out.append((check.claim, float(row.reconstructed), check.tolerance, note, "held-out"))
    return out
