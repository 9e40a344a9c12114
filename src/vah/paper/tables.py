"""The paper's published record, loaded from ``vah/data`` and validated.

Tables 1-3 are stored as printed (cells such as ``"51 (53.1)"``); the numeric statements of the
text are in ``claims.yaml``. Every row carries its source locator. Loading checks each file:
cells parse, counts are whole numbers within 0..n of their column, percentages lie in 0..100,
the three disease groups add up to the All column, and the levels of a complete characteristic
(gender, prior HMA, cytogenetics, ELN, cycles) add up to the column n. A malformed file is a
:class:`~vah.errors.DataError` naming file, row and column. Whether the paper's numbers agree
with each other beyond that (percentages against counts, text against tables) is the ledger's
business (``vah.ledger``), not the loader's.

Every loader takes an optional ``data_dir``; without it the paper is read from the folder that
:func:`vah.paper.folder.current_data_dir` names when the loader is called (the package's own,
unless ``$VAH_PAPER_DATA`` or :func:`~vah.paper.folder.data_dir_override` names another).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from vah.errors import DataError
from vah.paper.folder import DATA_DIR, DataFolder, data_dir_override  # noqa: F401 (importable from here too)
from vah.paper.folder import data_folder as _dir

__all__ = [
    "NUMBER",
    "COUNT_PCT",
    "COUNT_PCT_CI",
    "ESTIMATE_CI",
    "MEDIAN_IQR",
    "P_VALUE",
    "COMPLETE_CHARACTERISTICS",
    "DISEASE_GROUPS",
    "GROUP_LABELS",
    "group_n",
    "GROUP_N",
    "GROUPS",
    "groups",
    "PAPER_SUMS_THAT_FAIL",
    "parse_p",
    "table1",
    "table1_age",
    "table1_pvalues",
    "table2",
    "table2_pvalues",
    "table2_survival",
    "table3",
    "TABLE3_GRADES",
]


GROUPS = ("all", "refractory", "relapsed_chemo", "relapsed_hsct")


GROUP_LABELS = {
    "all": "All patients",
    "refractory": "Refractory AML",
    "relapsed_chemo": "Relapsed after chemotherapy",
    "relapsed_hsct": "Relapsed after allo-HSCT",
}


#: Column sizes as printed in the headers of Tables 1 and 2 (also in ``data/groups.csv``).
GROUP_N = {"all": 96, "refractory": 37, "relapsed_chemo": 16, "relapsed_hsct": 43}


DISEASE_GROUPS = GROUPS[1:]


#: Table 1 characteristics whose levels cover every patient of a column.
COMPLETE_CHARACTERISTICS = ("gender", "prior_hma", "cytogenetics", "eln", "ven_cycles")


#: Rows where the paper's own numbers do not add up, as (file, row key). The loader lets these
#: through and the ledger reports them; anything else that does not add up is a data-entry
#: error and refuses to load. (Empty: every printed row adds up.)
PAPER_SUMS_THAT_FAIL: frozenset[tuple[str, str]] = frozenset()


# ------------------------------------------------------------------ helpers
NUMBER = r"\d+(?:\.\d+)?"
COUNT_PCT = re.compile(rf"^(?P<n>\d+)(?: \((?P<pct>{NUMBER})\))?$")
COUNT_PCT_CI = re.compile(
    rf"^(?P<n>\d+) \((?P<pct>{NUMBER})\[(?P<lo>{NUMBER})–(?P<hi>{NUMBER})\]\)$")
ESTIMATE_CI = re.compile(rf"^(?P<est>{NUMBER}) \((?P<lo>{NUMBER})(?: to |–)(?P<hi>{NUMBER}|NE)\)$")
MEDIAN_IQR = re.compile(rf"^(?P<m>{NUMBER}) \((?P<q1>{NUMBER})–(?P<q3>{NUMBER})\)$")
P_VALUE = re.compile(r"^(?P<op><|=)?(?P<p>\d*\.\d+)$")


def _read_csv(name: str, columns: list[str], data_dir: DataFolder) -> pd.DataFrame:
    path = data_dir / name
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=False)
    except OSError as exc:
        raise DataError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    except pd.errors.ParserError as exc:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if found is None:
            raise DataError(f"{path.name}: cannot be read ({exc})") from None
        want, line, saw = found.groups()
        raise DataError(f"{path.name}, row {line}, column {int(want) + 1}: {saw} cells where "
                        f"the header has {want}") from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"{path.name}, row 1 (the header), column(s) {', '.join(missing)}: "
                        "missing")
    return frame


def _rows(lines: list[int]) -> str:
    """CSV line numbers as a locator: "row 5", "rows 2-5", "rows 2, 7"."""
    if len(lines) == 1:
        return f"row {lines[0]}"
    if lines == list(range(lines[0], lines[-1] + 1)):
        return f"rows {lines[0]}-{lines[-1]}"
    return "rows " + ", ".join(map(str, lines))


def _columns(names) -> str:
    names = list(names)
    return f"column {names[0]}" if len(names) == 1 else (
        f"columns {', '.join(names[:-1])} and {names[-1]}")


def _cell(pattern: re.Pattern, text: str, where: str) -> re.Match:
    match = pattern.match(text.strip())
    if match is None:
        raise DataError(f"{where}: cannot parse {text!r}")
    return match


def _float(text: str | None) -> float:
    return float(text) if text not in (None, "", "NE") else math.nan


def _count(m: re.Match, total: int, where: str) -> tuple[int, float]:
    """Count and printed percentage of a parsed cell, checked against the column size."""
    n, pct = int(m["n"]), _float(m["pct"])
    if n > total:
        raise DataError(f"{where}: count {n} exceeds the {total} patients of its column")
    if not math.isnan(pct) and not 0 <= pct <= 100:
        raise DataError(f"{where}: percentage {pct} is outside 0-100")
    return n, pct


def _check_sum(file: str, key: str, where: str, parts: int, total: int, what: str) -> None:
    """Refuse a sum that does not hold (``where``: its rows and columns) unless
    ``(file, key)`` is listed in :data:`PAPER_SUMS_THAT_FAIL`."""
    if parts != total and (file, key) not in PAPER_SUMS_THAT_FAIL:
        raise DataError(f"{file}, {where}: {what} add up to {parts}, not {total} "
                        "(a data-entry error, or a paper inconsistency to list in "
                        "PAPER_SUMS_THAT_FAIL)")


def _check_groups_sum(file: str, line: int, counts: dict[str, int]) -> None:
    """The three disease groups of a row add up to its All cell."""
    _check_sum(file, str(line), f"row {line}, {_columns([*DISEASE_GROUPS, 'all'])}",
               sum(counts[g] for g in DISEASE_GROUPS), counts["all"], "the three disease groups")


def _require_percentage(pct: float, n: int, where: str, table: str) -> None:
    """Tables 1 and 2 print a percentage in every cell; Table 3 leaves it out only for 0."""
    if math.isnan(pct) and (n or table != "Table 3"):
        rule = ("leaves it out only for 0" if table == "Table 3" else
                "prints one in every cell")
        raise DataError(f"{where}: a count without a percentage ({table} {rule})")


def parse_p(text: str, where: str) -> tuple[float, str]:
    """``"0.47"`` -> (0.47, "="), ``"<0.01"`` -> (0.01, "<")."""
    match = _cell(P_VALUE, text, where)
    return float(match["p"]), match["op"] or "="


# ------------------------------------------------------------------ groups
@lru_cache(maxsize=16)
def _groups(data_dir: DataFolder) -> pd.DataFrame:
    frame = _read_csv("groups.csv", ["group", "label", "n", "printed"], data_dir)
    if list(frame["group"]) != list(GROUPS):
        raise DataError(f"groups.csv, {_rows(list(range(2, len(frame) + 2)))}, column group: "
                        f"expected {', '.join(GROUPS)} in that order")
    sizes = []
    for i, row in frame.iterrows():
        where = f"groups.csv, row {i + 2}, column n"
        if not row["n"].isdigit() or f"n = {row['n']})" not in row["printed"]:
            raise DataError(f"{where}: {row['n']!r} is not the whole number printed in "
                            f"{row['printed']!r}")
        sizes.append(int(row["n"]))
    frame["n"] = sizes
    _check_sum("groups.csv", "all", f"rows 2-{len(sizes) + 1}, column n", sum(sizes[1:]),
               sizes[0], "the three disease groups")
    return frame


def groups(data_dir: Path | DataFolder | None = None) -> pd.DataFrame:
    """The four columns of Tables 1 and 2: group, label, n, printed (the header text)."""
    return _groups(_dir(data_dir)).copy()


def group_n(group: str, data_dir: Path | DataFolder | None = None) -> int:
    """Patients in a column of Tables 1 and 2 (``"all"`` or a disease group)."""
    sizes = _group_sizes(_dir(data_dir))
    if group not in sizes:
        raise DataError(f"unknown group {group!r}; groups are {', '.join(GROUPS)}")
    return sizes[group]


@lru_cache(maxsize=16)
def _group_sizes(data_dir: DataFolder) -> dict[str, int]:
    return {g: int(n) for g, n in zip(_groups(data_dir)["group"], _groups(data_dir)["n"],
                                      strict=True)}


# ------------------------------------------------------------------ Table 1
@lru_cache(maxsize=16)
def _table1(data_dir: DataFolder) -> pd.DataFrame:
    frame = _read_csv("table1.csv", ["characteristic", "level", "label", *GROUPS], data_dir)
    sizes = {g: group_n(g, data_dir) for g in GROUPS}
    rows = []
    for i, row in frame.iterrows():
        counts = {}
        for group in GROUPS:
            where = f"table1.csv, row {i + 2}, column {group}"
            n, pct = _count(_cell(COUNT_PCT, row[group], where), sizes[group], where)
            _require_percentage(pct, n, where, "Table 1")
            counts[group] = n
            rows.append({
                "characteristic": row["characteristic"], "level": row["level"],
                "label": row["label"], "group": group, "n": n, "pct_printed": pct,
                "printed": row[group].strip(),
                "locator": f"Table 1 / {row['label']} / {GROUP_LABELS[group]}",
            })
        _check_groups_sum("table1.csv", i + 2, counts)
    out = pd.DataFrame(rows)
    for name in COMPLETE_CHARACTERISTICS:
        lines = [i + 2 for i in frame.index[frame["characteristic"] == name]]
        for group in GROUPS:
            sel = out[(out["characteristic"] == name) & (out["group"] == group)]
            _check_sum("table1.csv", f"{name} / {group}", f"{_rows(lines)}, column {group}",
                       int(sel["n"].sum()), sizes[group], f"the levels of {name}")
    return out


def table1(data_dir: Path | DataFolder | None = None) -> pd.DataFrame:
    """Table 1 in long form: characteristic, level, label, group, n, pct_printed, printed,
    locator."""
    return _table1(_dir(data_dir)).copy()


def table1_age(data_dir: Path | DataFolder | None = None) -> pd.DataFrame:
    """Median age and IQR by group: group, median, q1, q3, printed, locator."""
    frame = _read_csv("table1_age.csv", ["group", "printed"], _dir(data_dir))
    rows = []
    for i, row in frame.iterrows():
        where = f"table1_age.csv, row {i + 2}, column printed"
        m = _cell(MEDIAN_IQR, row["printed"], where)
        median, q1, q3 = float(m["m"]), float(m["q1"]), float(m["q3"])
        if not q1 <= median <= q3:
            raise DataError(f"{where}: the median {median} is not within its IQR {q1}-{q3}")
        if row["group"] not in GROUP_LABELS:
            raise DataError(f"table1_age.csv, row {i + 2}, column group: unknown group "
                            f"{row['group']!r}")
        rows.append({"group": row["group"], "median": median, "q1": q1, "q3": q3,
                     "printed": row["printed"],
                     "locator": f"Table 1 / Age, median (IQR) / {GROUP_LABELS[row['group']]}"})
    return pd.DataFrame(rows)


def table1_pvalues(data_dir: Path | DataFolder | None = None) -> pd.DataFrame:
    """P values of Table 1 (across the three disease groups): characteristic, level (gene for
    mutation rows, "" otherwise), p_printed, p_value, p_op, locator."""
    frame = _read_csv("table1_pvalues.csv", ["characteristic", "level", "p"], _dir(data_dir))
    rows = []
    for i, row in frame.iterrows():
        p, op = parse_p(row["p"], f"table1_pvalues.csv, row {i + 2}, column p")
        label = row["level"] or row["characteristic"]
        rows.append({"characteristic": row["characteristic"], "level": row["level"],
                     "p_printed": row["p"], "p_value": p, "p_op": op,
                     "locator": f"Table 1 / {label} / P"})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------ Table 2
@lru_cache(maxsize=16)
def _table2(data_dir: DataFolder) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = _read_csv("table2.csv", ["row", "label", *GROUPS, "p"], data_dir)
    parsed: dict[tuple[str, str], re.Match] = {}
    for i, row in frame.iterrows():
        for group in GROUPS:
            where = f"table2.csv, row {i + 2}, column {group}"
            text = row[group].strip()
            parsed[(row["row"], group)] = COUNT_PCT_CI.match(text) or _cell(COUNT_PCT, text,
                                                                          where)
    if ("CRc", "all") not in parsed:
        raise DataError(f"table2.csv, {_rows(list(range(2, len(frame) + 2)))}, column row: no "
                        "CRc row (the denominator of MRD- CRc)")
    rows, pvals = [], []
    for i, row in frame.iterrows():
        counts = {}
        for group in GROUPS:
            where = f"table2.csv, row {i + 2}, column {group}"
            m = parsed[(row["row"], group)]
            # The percentage's denominator: the column, except MRD- among the column's CRc.
            denominator = (int(parsed[("CRc", group)]["n"]) if row["row"] == "MRDneg_CRc"
                           else group_n(group, data_dir))
            n, pct = _count(m, denominator, where)
            _require_percentage(pct, n, where, "Table 2")
            counts[group] = n
            extra = m.groupdict()
            lo, hi = _float(extra.get("lo")), _float(extra.get("hi"))
            if not math.isnan(lo) and not lo <= pct <= hi:
                raise DataError(f"{where}: {pct} is outside its interval {lo}-{hi}")
            rows.append({
                "row": row["row"], "label": row["label"], "group": group, "n": n,
                "denominator": denominator, "pct_printed": pct, "ci_low": lo, "ci_high": hi,
                "printed": row[group].strip(),
                "locator": f"Table 2 / {row['row']} / {GROUP_LABELS[group]}",
            })
        _check_groups_sum("table2.csv", i + 2, counts)
        if row["p"]:
            p, op = parse_p(row["p"], f"table2.csv, row {i + 2}, column p")
            pvals.append({"row": row["row"], "p_printed": row["p"], "p_value": p, "p_op": op,
                          "locator": f"Table 2 / {row['row']} / P"})
    return pd.DataFrame(rows), pd.DataFrame(pvals)


def table2(data_dir: Path | DataFolder | None = None) -> pd.DataFrame:
    """Table 2 responses: row, label, group, n, denominator, pct_printed, ci_low, ci_high,
    printed, locator (CI bounds in %, NaN where none is printed)."""
    return _table2(_dir(data_dir))[0].copy()


def table2_pvalues(data_dir: Path | DataFolder | None = None) -> pd.DataFrame:
    """P values of Table 2, response rows then survival rows ("OS median", "EFS 12m", ...)."""
    responses = _table2(_dir(data_dir))[1]
    return pd.concat([responses, _table2_survival(_dir(data_dir))[1]], ignore_index=True)


@lru_cache(maxsize=16)
def _table2_survival(data_dir: DataFolder) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = _read_csv("table2_survival.csv",
                      ["endpoint", "statistic", "label", *GROUPS, "p"], data_dir)
    rows, pvals = [], []
    for i, row in frame.iterrows():
        key = f"{row['endpoint']} {row['statistic']}"
        if row["endpoint"] not in ("OS", "EFS") or row["statistic"] not in ("median", "12m",
                                                                             "24m"):
            raise DataError(f"table2_survival.csv, row {i + 2}, columns endpoint and statistic: "
                            f"unknown row {key!r}")
        for group in GROUPS:
            text = row[group].strip()
            where = f"table2_survival.csv, row {i + 2}, column {group}"
            if text == "Not reached":
                est, lo, hi = math.nan, math.nan, math.nan
            else:
                m = _cell(ESTIMATE_CI, text, where)
                est, lo, hi = float(m["est"]), float(m["lo"]), _float(m["hi"])
                if not lo <= est <= (math.inf if math.isnan(hi) else hi):
                    raise DataError(f"{where}: {est} is outside its interval {lo}-{hi}")
                if row["statistic"] != "median" and not (0 <= lo and hi <= 100):
                    raise DataError(f"{where}: a survival percentage outside 0-100")
            rows.append({"endpoint": row["endpoint"], "statistic": row["statistic"],
                         "group": group, "estimate": est, "ci_low": lo, "ci_high": hi,
                         "printed": text,
                         "locator": f"Table 2 / {key} / {GROUP_LABELS[group]}"})
        p, op = parse_p(row["p"], f"table2_survival.csv, row {i + 2}, column p")
        pvals.append({"row": key, "p_printed": row["p"], "p_value": p, "p_op": op,
                      "locator": f"Table 2 / {key} / P"})
    return pd.DataFrame(rows), pd.DataFrame(pvals)


def table2_survival(data_dir: Path | DataFolder | None = None) -> pd.DataFrame:
    """Table 2 survival rows: endpoint (OS/EFS), statistic (median/12m/24m), group, estimate,
    ci_low, ci_high, printed, locator. Medians in months, landmarks in %; NaN for 'Not reached'
    and for an upper bound 'NE'."""
    return _table2_survival(_dir(data_dir))[0].copy()


# ------------------------------------------------------------------ Table 3
TABLE3_GRADES = {"grade_1_2": "1-2", "grade_3": "3", "grade_4": "4", "grade_5": "5"}


@lru_cache(maxsize=16)
def _table3(data_dir: DataFolder) -> pd.DataFrame:
    frame = _read_csv("table3.csv", ["event", "ctcae_term", *TABLE3_GRADES], data_dir)
    total = group_n("all", data_dir)
    rows = []
    for i, row in frame.iterrows():
        patients = 0
        for column, grade in TABLE3_GRADES.items():
            text = row[column].strip()
            where = f"table3.csv, row {i + 2}, column {column}"
            n, pct = _count(_cell(COUNT_PCT, text, where), total, where)
            _require_percentage(pct, n, where, "Table 3")
            patients += n
            rows.append({"event": row["event"], "ctcae_term": row["ctcae_term"],
                         "grade": grade, "n": n, "pct_printed": pct, "printed": text,
                         "locator": f"Table 3 / {row['event']} / Grade {grade}"})
        if patients > total:
            raise DataError(f"table3.csv, row {i + 2}, {_columns(TABLE3_GRADES)}: the grades "
                            f"add up to {patients} patients, more than {total}")
    return pd.DataFrame(rows)


def table3(data_dir: Path | DataFolder | None = None) -> pd.DataFrame:
    """Table 3 adverse events (worst grade per patient): event, ctcae_term, grade
    ("1-2", "3", "4", "5"), n, pct_printed, printed, locator."""
    return _table3(_dir(data_dir)).copy()
