"""The ledger assembled: the paper's entries, with the reconstruction's checks applied.

Statuses: ``match`` (the recomputation, rounded half-up to the printed digits, is the print),
``rounding`` (off by one in the last digit in a way a named rounding rule explains),
``mismatch`` (a real disagreement; the note gives the likely cause), ``not-recomputable``
(needs patient-level data, or nothing in the paper checks it) and ``reconstructed`` (within
tolerance of the reconstructed cohort). Nothing here keeps state: the ledger is a function of
the data and of the checks it is handed, cached on them, and every frame returned is a copy.
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import cache

import pandas as pd

from vah.errors import DataError
from vah.ledger.claims import claim_entries
from vah.ledger.entries import COLUMNS, NEEDS_PATIENTS, STATUSES, Entry
from vah.ledger.sections import SECTIONS, section_of
from vah.ledger.tables import table1_entries, table2_entries, table3_entries

__all__ = [
    "Check",
    "default_checks",
    "entries",
    "ledger_frame",
    "paper_entries",
    "section_counts",
    "sections",
    "status_counts",
]


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
#: A reconstruction check, as (ledger id, the cohort's value, tolerance, note).
Check = tuple[str, float, float, str]


def default_checks() -> tuple[Check, ...]:
    """The reconstructed cohort's checks of the survival numbers (computed once, immutable)."""
    from vah.reconstruction.calibration import ledger_checks

    return tuple((cid, float(v), float(tol), note) for cid, v, tol, note in ledger_checks())


def paper_entries() -> tuple[Entry, ...]:
    """Every entry recomputed from the paper alone, before any reconstruction check."""
    return _paper_entries()


@cache
def _paper_entries() -> tuple[Entry, ...]:
    found = table1_entries() + table2_entries() + table3_entries() + claim_entries()
    ids = [e.id for e in found]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise DataError(f"duplicate ledger ids: {', '.join(duplicates)}")
    return tuple(found)


@cache
def entries(checks: tuple[Check, ...] | None = None) -> tuple[Entry, ...]:
    """The ledger's entries, with the reconstruction ``checks`` applied (by default the
    reconstructed cohort's; ``()`` for none). A pure function of the data and the checks."""
    if checks is None:
        checks = default_checks()
    by_id: dict[str, tuple[float, float, str]] = {}
    for claim_id, achieved, tolerance, note in checks:
        if not tolerance >= 0:
            raise DataError(f"tolerance for {claim_id!r} must be >= 0, got {tolerance!r}")
        by_id[claim_id] = (float(achieved), float(tolerance), note)
    base = _paper_entries()
    unknown = sorted(set(by_id) - {e.id for e in base})
    if unknown:
        raise DataError(f"reconstructed checks for unknown ledger ids: {', '.join(unknown)}")
    return tuple(_apply_reconstruction(e, *by_id[e.id]) if e.id in by_id else e for e in base)


@cache
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
