"""The ledger assembled: the paper's entries, with the reconstruction's checks applied.

Statuses: ``match`` (the recomputation, rounded half-up to the printed digits, is the print),
``rounding`` (off by one in the last digit in a way a named rounding rule explains),
``mismatch`` (a real disagreement; the note gives the likely cause), ``not-recomputable``
(needs patient-level data, or nothing in the paper checks it). Beside the status, each entry's
``basis`` says what it rests on (``entries.BASES``): only ``counts`` is a check of the paper by
its own printed numbers; the reconstructed cohort's values are ``calibrated`` or ``held-out``
and never make an entry agree. Nothing here keeps state: the ledger is a function of
the data and of the checks it is handed, cached on them, and every frame returned is a copy.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

import pandas as pd

from vah.errors import DataError
from vah.ledger.claims import claim_entries
from vah.ledger.entries import (
    BASES,
    COLUMNS,
    NEEDS_PATIENTS,
    STATUSES,
    Entry,
    _join,
)
from vah.ledger.sections import SECTIONS, section_of
from vah.ledger.tables import table1_entries, table2_entries, table3_entries
from vah.paper.disk_cache import kept_on_disk
from vah.paper.folder import cached_on_data
from vah.stats.rounding import rounding_paths

__all__ = [
    "basis_counts",
    "rounding_evidence",
    "Check",
    "default_checks",
    "entries",
    "ledger_frame",
    "paper_entries",
    "section_counts",
    "sections",
    "status_counts",
]


def _apply_reconstruction(e: Entry, achieved: float, tolerance: float, note: str,
                          basis: str) -> Entry:
    """A paper entry that nothing printed recomputes, with the reconstructed cohort's value
    beside it. Its status stays not-recomputable: a cohort fitted to a number (``calibrated``)
    cannot confirm it, and one not fitted to it (``held-out``) tests the reconstruction, not
    the paper."""
    if basis not in ("calibrated", "held-out"):
        raise DataError(f"reconstruction check of {e.id!r}: basis must be calibrated or "
                        f"held-out, got {basis!r}")
    both_missing = math.isnan(achieved) and math.isnan(e.value)
    diff = 0.0 if both_missing else abs(achieved - e.value)
    floor = 10.0 ** -e.places
    shown = ("not reached" if math.isnan(achieved) else
             f"< {floor:.{e.places}f}" if 0 < achieved < floor / 2 else f"{achieved:.{e.places}f}")
    own = e.note  # keep what the paper's entry says, without "needs patient-level data"
    for generic in NEEDS_PATIENTS.values():
        own = own.replace(generic, "").strip()
    note = re.sub(r"^Reconstructed cohort \((not )?calibrated to this number\)\.\s*", "", note)
    if basis == "calibrated":
        recomputed = f"{shown} (reconstructed cohort, fitted to it)"
        how = (f"within ±{tolerance:g}" if diff <= tolerance + 1e-9 else
               "as near as the population it models allows")
        verdict = (f"The reconstructed cohort was fitted to this number ({how}): its value "
                   "shows that the published numbers can coexist, not that this one is right.")
        return replace(e, recomputed=recomputed, basis=basis,
                       note=" ".join(x for x in (verdict, note, own) if x))
    elif "within the tolerance" in note or "outside the tolerance" in note:
        recomputed = f"{shown} (reconstructed cohort, not fitted to it)"
        verdict = "This tests the reconstruction, not the paper."
    else:
        within = diff <= tolerance + 1e-9
        recomputed = f"{shown} (reconstructed cohort, not fitted to it)"
        verdict = (f"Held out: the reconstructed cohort was not fitted to this number; its value "
                   f"is {'within' if within else 'outside'} the tolerance of ±{tolerance:g} "
                   "declared before the comparison. This tests the reconstruction, not the "
                   "paper.")
    return replace(e, recomputed=recomputed, basis=basis,
                   note=" ".join(x for x in (note, verdict, own) if x))


# ------------------------------------------------------------------ the ledger
#: A reconstruction check, as (ledger id, the cohort's value, tolerance, note, basis), basis
#: ``calibrated`` (the cohort was fitted to the number) or ``held-out``.
Check = tuple[str, float, float, str, str]


def default_checks() -> tuple[Check, ...]:
    """The reconstructed cohort's checks of the survival numbers (computed once, immutable)."""
    from vah.reconstruction.validation import ledger_checks

    return tuple((cid, float(v), float(tol), note, basis)
                 for cid, v, tol, note, basis in ledger_checks())


def paper_entries() -> tuple[Entry, ...]:
    """Every entry recomputed from the paper alone, before any reconstruction check."""
    return _paper_entries()


@kept_on_disk
def _paper_entries() -> tuple[Entry, ...]:
    found = tuple(table1_entries() + table2_entries() + table3_entries() + claim_entries())
    ids = [e.id for e in found]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise DataError(f"duplicate ledger ids: {', '.join(duplicates)}")
    ev = rounding_evidence(found)
    habit = (f"The paper rounds half-up: {ev['half_up']} of the {ev['percentages']} percentages "
             f"whose count and denominator it prints are the half-up rounding, "
             f"{ev['ties_up']} of the {ev['ties']} exact ties are rounded up, and of the "
             f"{ev['truncation_differs']} "
             f"where truncation would print another last digit, "
             f"{ev['truncation_differs_half_up']} are printed half-up.")
    summed = ("So the print is the table's rounded cell percentages added up, not a "
              "truncation.")
    return tuple(replace(e, note=_join(e.note, habit, summed if "truncation and sum of the "
                                       "rounded parts" in e.note else ""))
                 if e.status == "rounding" and "pct" in e.extra else e for e in found)


@cached_on_data
def entries(checks: tuple[Check, ...] | None = None) -> tuple[Entry, ...]:
    """The ledger's entries, with the reconstruction ``checks`` applied (by default the
    reconstructed cohort's; ``()`` for none). A pure function of the data and the checks."""
    if checks is None:
        checks = default_checks()
    by_id: dict[str, tuple[float, float, str, str]] = {}
    for claim_id, achieved, tolerance, note, basis in checks:
        if not tolerance >= 0:
            raise DataError(f"tolerance for {claim_id!r} must be >= 0, got {tolerance!r}")
        by_id[claim_id] = (float(achieved), float(tolerance), note, basis)
    base = _paper_entries()
    unknown = sorted(set(by_id) - {e.id for e in base})
    if unknown:
        raise DataError(f"reconstructed checks for unknown ledger ids: {', '.join(unknown)}")
    # A number the paper's own counts recompute keeps that check; the reconstruction's value
    # for it is reported with the reconstruction, not here.
    return tuple(_apply_reconstruction(e, *by_id[e.id])
                 if e.id in by_id and e.status == "not-recomputable" and e.basis == "none"
                 else e for e in base)


@cached_on_data
def _frame(checks: tuple[Check, ...] | None = None) -> pd.DataFrame:
    rows = [{c: getattr(e, c) for c in COLUMNS} for e in entries(checks)]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame.index = pd.Index([section_of(i) for i in frame["id"]], name="section")
    return frame


def ledger_frame(section: str | None = None,
                 checks: tuple[Check, ...] | None = None) -> pd.DataFrame:
    """The ledger: id, where, quantity, published, recomputed, status, note (display strings),
    optionally one section of ``SECTIONS``; ``checks`` as for :func:`entries`. A copy."""
    frame = _frame(checks)
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


def basis_counts() -> pd.DataFrame:
    """Entries by basis (rows, in ``BASES`` order) and status (columns), with totals."""
    frame = _frame()
    table = pd.crosstab(frame["basis"], frame["status"]).reindex(
        index=list(BASES), columns=list(STATUSES), fill_value=0)
    table["total"] = table.sum(axis=1)
    table.index.name, table.columns.name = "basis", None
    return table.astype(int)


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


def rounding_evidence(found: tuple[Entry, ...] | None = None) -> dict[str, int]:
    """How the paper rounds, measured on every percentage whose count and denominator are
    printed (basis ``counts``, not a composite of rounded cells): how many are the half-up
    rounding of k/n; among the exact ties (a 5 in the first dropped digit, where half-up and
    half-to-even differ), how many are printed up; among those where truncation would print a
    different last digit, how many are printed half-up."""
    out = {"percentages": 0, "half_up": 0, "ties": 0, "ties_up": 0, "truncation_differs": 0,
           "truncation_differs_half_up": 0}
    for e in _paper_entries() if found is None else found:
        pct = e.extra.get("pct")
        if e.basis != "counts" or not pct or pct["derived"] or "rounded parts" in e.note:
            continue
        paths = rounding_paths(pct["printed"], pct["k"], pct["n"])
        printed, up = pct["printed"], paths["half-up"]
        out["percentages"] += 1
        out["half_up"] += printed == up
        if paths["half-even"] != up:
            out["ties"] += 1
            out["ties_up"] += printed == up
        if paths["truncation"] != up:
            out["truncation_differs"] += 1
            out["truncation_differs_half_up"] += printed == up
    return out
