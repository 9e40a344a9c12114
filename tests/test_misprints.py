"""Misprint sensitivity (issue 13): a one-unit misprint planted in a copy of Tables 1-3 is flagged
by the paper-only ledger or refused by the loader with file, row and column; counts that admit
no cohort stop the reconstruction with one line naming the counts that conflict.

"Flagged" compares two paper-only ledgers (the tables' and the text's entries, no
reconstruction), the published data's and the copy's: some entry has a status other than
"match" that it did not have (a new entry, or one whose status changed to another non-match).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from vah import paper as pub
from vah.errors import DataError

CELL = re.compile(r"^(?P<n>\d+)(?: \((?P<pct>\d+(?:\.\d+)?)"
                  r"(?:\[(?P<lo>[\d.]+)–(?P<hi>[\d.]+)\])?\))?$")


@dataclass(frozen=True)
class Misprint:
    """A misprint planted in one cell (its row by key, its column by header) of a table file.

    Kinds: "count+1"; "pct+0.1" ... "pct-0.3" (the percentage moved); "lo+0.1", "hi-0.1" (a
    CI bound moved); "pct=0" (a non-zero count's percentage printed as 0); "group+all" (a
    disease-group count and the All count of the same row both one higher).
    """

    file: str  # table1.csv, table2.csv, table3.csv
    row: str  # table1: "characteristic.level"; table2: the row; table3: the event
    column: str  # a group (Tables 1-2) or a grade column (Table 3)
    kind: str

    @property
    def id(self) -> str:
        return f"{self.file.removesuffix('.csv')}:{self.row}:{self.column}:{self.kind}"


def _key(file: str, cells: list[str]) -> str:
    return f"{cells[0]}.{cells[1]}" if file == "table1.csv" else cells[0]


def read_rows(folder: Path, file: str) -> list[list[str]]:
    with open(folder / file, newline="") as handle:
        return list(csv.reader(handle))


def write_rows(folder: Path, file: str, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (folder / file).write_text(out.getvalue())


def _moved(text: str, delta: float) -> str:
    places = max(len(text.partition(".")[2]), 1)
    value = round(float(text) + delta, places)
    if not 0 <= value <= 100:
        raise ValueError(f"{text} {delta:+} leaves 0-100")
    return f"{value:.{places}f}"


def changed(text: str, kind: str) -> str:
    """The cell ``text`` with the misprint ``kind`` ("group+all": this cell's count + 1)."""
    m = CELL.match(text)
    if m is None:
        raise ValueError(f"not a count cell: {text!r}")
    n, pct, lo, hi = m["n"], m["pct"], m["lo"], m["hi"]
    if kind in ("count+1", "group+all"):
        n = str(int(n) + 1)
    elif kind == "pct=0":
        if pct is None or int(n) == 0:
            raise ValueError(f"{text!r}: no percentage of a non-zero count to print as 0")
        pct = "0"
    elif kind.startswith("pct"):
        if pct is None:
            raise ValueError(f"{text!r} prints no percentage")
        pct = _moved(pct, float(kind[3:]))
    elif kind[:2] in ("lo", "hi") and lo is not None:
        lo, hi = ((_moved(lo, float(kind[2:])), hi) if kind[:2] == "lo"
                  else (lo, _moved(hi, float(kind[2:]))))
    else:
        raise ValueError(f"{text!r}: no misprint {kind!r}")
    if pct is None:
        return n
    return f"{n} ({pct}[{lo}–{hi}])" if lo is not None else f"{n} ({pct})"


def plant(folder: Path, misprint: Misprint) -> tuple[str, str]:
    """Copy the paper's data into ``folder`` and plant ``misprint``; (old, new) cell text."""
    shutil.copytree(pub.DATA_DIR, folder)
    rows = read_rows(folder, misprint.file)
    header = rows[0]
    hits = [r for r in rows[1:] if _key(misprint.file, r) == misprint.row]
    assert len(hits) == 1, f"{misprint.id}: {len(hits)} rows with that key"
    row, col = hits[0], header.index(misprint.column)
    old = row[col]
    row[col] = changed(old, misprint.kind)
    if misprint.kind == "group+all":
        assert misprint.column in pub.DISEASE_GROUPS, misprint.id
        row[header.index("all")] = changed(row[header.index("all")], "count+1")
    before = (pub.DATA_DIR / misprint.file).read_text().splitlines()
    write_rows(folder, misprint.file, rows)
    after = (folder / misprint.file).read_text().splitlines()
    # the copy differs from the paper in that row only (the CSV round trip changes nothing else)
    assert [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b] == [
        rows.index(row)], misprint.id
    return old, row[col]


def paper_ledger() -> dict[str, str]:
    """Entry id -> repr of the entry, for every paper-only ledger entry (the tables' and the
    text's, no reconstruction) of the current data folder."""
    from vah.ledger.claims import claim_entries
    from vah.ledger.tables import table1_entries, table2_entries, table3_entries

    found = table1_entries() + table2_entries() + table3_entries() + claim_entries()
    return {e.id: e for e in found}


def flags(base: dict, mutated: dict) -> list[str]:
    """Entries whose status is not "match" and is not the one they had on the published data,
    or that were already flagged and now report another recomputation (a cell the paper already
    misprints, misprinted again, stays flagged with the new numbers: its print or its
    recomputation changes)."""
    def shown(e) -> str:
        return f"{e.published} against {e.recomputed}"

    return [f"{i}: {base[i].status if i in base else 'new'} -> {e.status}"
            + ("" if i not in base or base[i].status != e.status else
               f" ({shown(base[i])} -> {shown(e)})")
            for i, e in mutated.items() if e.status != "match"
            and (i not in base or base[i].status != e.status or shown(base[i]) != shown(e))]


def outcome(folder: Path, misprint: Misprint, base: dict) -> tuple[str, list[str], str]:
    """("refused", [message], cell) when a loader refuses the copy, ("flagged", entries,
    cell) when the ledger flags it, ("missed", [], cell) otherwise; cell is "old -> new"."""
    old, new = plant(folder, misprint)
    cell = f"{old!r} -> {new!r}"
    try:
        with pub.data_dir_override(folder):
            for load in (pub.table1, pub.table2, pub.table3, pub.claims):
                load()
            mutated = paper_ledger()
    except DataError as exc:
        return "refused", [str(exc)], cell
    found = flags(base, mutated)
    return ("flagged" if found else "missed"), found, cell


# ------------------------------------------------------------------ the planted misprints
# Every table and every kind, the zero cells of Tables 1 and 3, cells whose ledger status is
# already "rounding" or "mismatch" on the published data, and rows that the loader's sums check
# and rows that only the ledger checks.
T1, T2, T3 = "table1.csv", "table2.csv", "table3.csv"
MISPRINTS = [
    # Table 1: a count one higher (a group's, All's, a printed "0 (0)")
    Misprint(T1, "gender.male", "refractory", "count+1"),
    Misprint(T1, "eln.adverse", "all", "count+1"),
    Misprint(T1, "cytogenetics.favorable", "relapsed_chemo", "count+1"),
    Misprint(T1, "ven_cycles.three", "refractory", "count+1"),
    Misprint(T1, "mutation.TP53", "relapsed_chemo", "count+1"),
    Misprint(T1, "bridge_hsct.yes", "all", "count+1"),
    # Table 1: a group count and All both one higher
    Misprint(T1, "mutation.FLT3", "relapsed_hsct", "group+all"),
    Misprint(T1, "bridge_hsct.yes", "refractory", "group+all"),
    Misprint(T1, "gender.female", "relapsed_chemo", "group+all"),
    Misprint(T1, "mutation.BCOR", "relapsed_chemo", "group+all"),
    Misprint(T1, "mutation.RAS", "refractory", "group+all"),
    # Table 1: a percentage moved by 0.1 to 0.3
    Misprint(T1, "gender.male", "all", "pct+0.1"),
    Misprint(T1, "prior_hma.yes", "relapsed_chemo", "pct-0.1"),
    Misprint(T1, "ven_cycles.two", "all", "pct-0.1"),
    Misprint(T1, "eln.intermediate", "refractory", "pct+0.2"),
    Misprint(T1, "mutation.TET2", "relapsed_hsct", "pct-0.3"),
    Misprint(T1, "cytogenetics.poor", "relapsed_chemo", "pct-0.2"),
    Misprint(T1, "mutation.EZH2", "relapsed_chemo", "pct+0.3"),
    Misprint(T1, "cytogenetics.intermediate", "refractory", "pct+0.1"),
    # Table 1: a percentage printed as 0
    Misprint(T1, "mutation.NPM1", "all", "pct=0"),
    Misprint(T1, "gender.female", "relapsed_hsct", "pct=0"),
    Misprint(T1, "mutation.GATA2", "refractory", "pct=0"),
    # Table 2: a count one higher
    Misprint(T2, "CR", "relapsed_chemo", "count+1"),
    Misprint(T2, "ORR", "all", "count+1"),
    Misprint(T2, "MRDneg_CRc", "refractory", "count+1"),
    # Table 2: a group count and All both one higher
    Misprint(T2, "CR", "refractory", "group+all"),
    Misprint(T2, "NR", "relapsed_hsct", "group+all"),
    Misprint(T2, "CRc_cycle1", "relapsed_chemo", "group+all"),
    Misprint(T2, "PR", "relapsed_chemo", "group+all"),
    Misprint(T2, "MRDneg_CRc", "relapsed_hsct", "group+all"),
    # Table 2: a percentage or a CI bound moved by 0.1 to 0.3
    Misprint(T2, "CRc", "all", "pct+0.1"),
    Misprint(T2, "CR", "relapsed_hsct", "pct-0.2"),
    Misprint(T2, "MRDneg_CRc", "all", "pct+0.3"),
    Misprint(T2, "ORR_cycle1", "refractory", "pct-0.1"),
    Misprint(T2, "NR", "all", "pct+0.2"),
    Misprint(T2, "CRc", "refractory", "lo+0.1"),
    Misprint(T2, "ORR", "all", "hi-0.1"),
    Misprint(T2, "CRc_cycle1", "relapsed_hsct", "lo-0.1"),
    Misprint(T2, "ORR", "refractory", "lo-0.1"),
    # Table 2: a percentage printed as 0
    Misprint(T2, "CRi", "relapsed_hsct", "pct=0"),
    Misprint(T2, "ORR", "relapsed_chemo", "pct=0"),
    # Table 3: a count one higher (a printed "0" too)
    Misprint(T3, "Anemia", "grade_3", "count+1"),
    Misprint(T3, "Sepsis", "grade_3", "count+1"),
    Misprint(T3, "Renal failure", "grade_1_2", "count+1"),
    Misprint(T3, "Fatigue", "grade_1_2", "count+1"),
    Misprint(T3, "Febrile neutropenia", "grade_5", "count+1"),
    Misprint(T3, "Nausea", "grade_1_2", "count+1"),
    # Table 3: a percentage moved by 0.1 to 0.3
    Misprint(T3, "Neutropenia", "grade_4", "pct+0.1"),
    Misprint(T3, "Thrombocytopenia", "grade_4", "pct-0.2"),
    Misprint(T3, "Hypokalemia", "grade_3", "pct+0.3"),
    Misprint(T3, "Pneumonia", "grade_3", "pct-0.1"),
    Misprint(T3, "Mucositis", "grade_1_2", "pct+0.2"),
    Misprint(T3, "Allergic reaction", "grade_1_2", "pct+0.1"),
    # Table 3: a percentage printed as 0
    Misprint(T3, "Heart failure", "grade_5", "pct=0"),
    Misprint(T3, "Vomiting", "grade_1_2", "pct=0"),
]

#: Planted misprints that neither the ledger nor the loader notices, and why (strict, so a new
#: check that catches one makes its test pass and asks for the mark to go). Empty: every planted
#: misprint is noticed.
MISSED: dict[str, str] = {}

#: Moves that no check of the arithmetic can notice, kept out of MISPRINTS and tested apart: the
#: paper prints these two Table 1 cells one digit off their half-up rounding so that the column
#: adds up to 100.0, and moving them back onto the half-up value restores the arithmetic (the
#: column then adds up to 100.1 or 99.9, as four other published columns do).
RESTORING = [Misprint(T1, "ven_cycles.two", "all", "pct+0.1"),
             Misprint(T1, "cytogenetics.intermediate", "refractory", "pct-0.1")]


def _params():
    for m in MISPRINTS:
        marks = [pytest.mark.xfail(strict=True, reason=MISSED[m.id])] if m.id in MISSED else []
        yield pytest.param(m, id=m.id, marks=marks)


@pytest.fixture(scope="module")
def published() -> dict:
    return paper_ledger()


def test_the_list_covers_every_table_and_kind():
    assert len(MISPRINTS) >= 40 and len({m.id for m in MISPRINTS}) == len(MISPRINTS)
    kinds = {(m.file, re.sub(r"[+-]0\.\d", "±", m.kind)) for m in MISPRINTS}
    for file in (T1, T2, T3):
        assert {(file, k) for k in ("count+1", "pct±", "pct=0")} <= kinds
    assert {(T1, "group+all"), (T2, "group+all"), (T2, "lo±"), (T2, "hi±")} <= kinds
    zeros = [m for m in MISPRINTS if m.kind == "count+1" and CELL.match(
        next(r for r in read_rows(pub.DATA_DIR, m.file)[1:] if _key(m.file, r) == m.row)[
            read_rows(pub.DATA_DIR, m.file)[0].index(m.column)])["n"] == "0"]
    assert {m.file for m in zeros} == {T1, T3}


def test_the_published_data_load_and_give_the_same_ledger(tmp_path, published):
    shutil.copytree(pub.DATA_DIR, tmp_path / "data")
    with pub.data_dir_override(tmp_path / "data"):
        copy = paper_ledger()
    assert list(copy) == list(published)
    assert [repr(e) for e in copy.values()] == [repr(e) for e in published.values()]


@pytest.mark.parametrize("misprint", list(_params()))
def test_a_planted_misprint_is_noticed(tmp_path, published, misprint):
    result, why, cell = outcome(tmp_path / "data", misprint, published)
    if result == "refused":
        message = why[0]
        assert misprint.file in message and "row" in message and "column" in message, message
    assert result in ("refused", "flagged"), (
        f"{misprint.id} ({cell}) was not noticed: no entry changed to a non-match status")
    print(f"{misprint.id} ({cell}) {result}: {'; '.join(why)}")


@pytest.mark.parametrize("misprint", RESTORING, ids=lambda m: m.id)
def test_a_move_onto_the_half_up_value_restores_the_arithmetic(tmp_path, published, misprint):
    old, new = plant(tmp_path / "data", misprint)
    count = int(CELL.match(old)["n"])
    n = pub.group_n(misprint.column)
    assert CELL.match(new)["pct"] == f"{round(100 * count / n + 1e-9, 1):.1f}"  # the half-up
    entry = f"table1.{misprint.row}.{misprint.column}"
    assert published[entry].status == "rounding"  # printed off its rounding on purpose


# ------------------------------------------------------------------ counts that admit no cohort
#: Table 2, CR: one more refractory patient (and one more in All, so the row still adds up):
#: 20 CR + 10 CRi + 1 PR + 7 NR = 38 responses for the 37 refractory patients.
NO_COHORT = Misprint(T2, "CR", "refractory", "group+all")


def test_counts_that_admit_no_cohort_name_the_conflict(tmp_path):
    from vah.reconstruction import skeleton

    plant(tmp_path / "data", NO_COHORT)
    with pub.data_dir_override(tmp_path / "data"):
        pub.table2()  # the loader accepts it (the row adds up)
        with pytest.raises(DataError) as caught:
            skeleton.cohort()
    message = str(caught.value)
    assert "\n" not in message
    assert message == (
        "the published counts admit no cohort: 'Table 2 CR refractory' (20) conflicts with "
        "'Table 2 CRi refractory' (10), 'Table 2 PR refractory' (1) and 'Table 2 NR refractory' "
        "(7)"), message


def test_vah_ledger_on_counts_that_admit_no_cohort_prints_one_line(tmp_path):
    plant(tmp_path / "data", NO_COHORT)
    env = {**os.environ, pub.DATA_DIR_ENV: str(tmp_path / "data")}
    out = subprocess.run([sys.executable, "-m", "vah.cli", "ledger"], capture_output=True,
                         text=True, timeout=600, env=env)
    assert out.returncode == 2, out.stderr
    assert out.stdout == "" and "Traceback" not in out.stderr
    assert out.stderr.splitlines() == [
        "vah: error: the published counts admit no cohort: 'Table 2 CR refractory' (20) "
        "conflicts with 'Table 2 CRi refractory' (10), 'Table 2 PR refractory' (1) and "
        "'Table 2 NR refractory' (7)"]


def _tiny(rows):
    from scipy.sparse import coo_matrix

    columns = [f"v[{i}]" for i in range(3)] + [f"w[{i}]" for i in range(3)]
    r, c, x = zip(*[(i, j, v) for i, (coefs, *_) in enumerate(rows) for j, v in coefs.items()],
                  strict=True)
    a = coo_matrix((x, (r, c)), shape=(len(rows), len(columns))).tocsr()
    low = np.array([row[1] for row in rows], dtype=float)
    high = np.array([row[2] for row in rows], dtype=float)
    return columns, rows, a, low, high


def test_explain_names_the_fewest_conflicting_counts():
    from vah.reconstruction.conflicts import explain, is_count

    rows = [({0: 1.0, 1: 1.0, 2: 1.0}, 2, 2, "v, everyone"),  # two of three
            ({0: 1.0, 1: 1.0}, 0, 0, "v, first two"),  # none of the first two: at most one
            ({2: 1.0}, 1, 1, "v, last"),  # consistent with either, not needed to conflict
            ({3: 1.0, 4: 1.0, 5: 1.0}, 1, 1, "w, everyone"),  # unrelated
            ({0: 1.0, 3: 1.0}, -np.inf, 1, "v or w")]  # the model: not a count
    model = _tiny(rows)
    assert is_count(model[0], rows).tolist() == [True, True, True, True, False]
    assert explain(*model) == "'v, everyone' (2) conflicts with 'v, first two' (0)"


def test_explain_when_only_whole_patients_conflict():
    from vah.reconstruction.conflicts import explain

    # v[0] = v[1] (the model) and one of the two: half a patient each
    rows = [({0: 1.0, 1: -1.0}, 0, 0, "same"), ({0: 1.0, 1: 1.0}, 1, 1, "v, one of two")]
    assert explain(*_tiny(rows)) in (
        "fractions of patients would fit; whole patients fit only with 'v, one of two' 0 "
        "instead of 1", "fractions of patients would fit; whole patients fit only with "
        "'v, one of two' 2 instead of 1")
