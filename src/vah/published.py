"""The paper's published record, loaded from ``vah/data`` and validated.

Tables 1-3 are stored as printed (cells such as ``"51 (53.1)"``); the numeric statements of the
text are in ``claims.yaml``. Every row carries its source locator. Loading checks each file:
cells parse, counts are whole numbers within 0..n of their column, percentages lie in 0..100,
the three disease groups add up to the All column, and the levels of a complete characteristic
(gender, prior HMA, cytogenetics, ELN, cycles) add up to the column n. A malformed file is a
:class:`~vah.errors.DataError` naming file, row and column. Whether the paper's numbers agree
with each other beyond that (percentages against counts, text against tables) is the ledger's
business (:mod:`vah.ledger`), not the loader's.

Every loader takes an optional ``data_dir`` (tests point it at small broken copies).
"""

from __future__ import annotations

import math
import re
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from vah.errors import DataError

DATA_DIR = Path(__file__).parent / "data"

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

NUMBER = r"\d+(?:\.\d+)?"
COUNT_PCT = re.compile(rf"^(?P<n>\d+)(?: \((?P<pct>{NUMBER})\))?$")
COUNT_PCT_CI = re.compile(
    rf"^(?P<n>\d+) \((?P<pct>{NUMBER})\[(?P<lo>{NUMBER})–(?P<hi>{NUMBER})\]\)$")
ESTIMATE_CI = re.compile(rf"^(?P<est>{NUMBER}) \((?P<lo>{NUMBER})(?: to |–)(?P<hi>{NUMBER}|NE)\)$")
MEDIAN_IQR = re.compile(rf"^(?P<m>{NUMBER}) \((?P<q1>{NUMBER})–(?P<q3>{NUMBER})\)$")
P_VALUE = re.compile(r"^(?P<op><|=)?(?P<p>\d*\.\d+)$")

CLAIM_KINDS = {"pct", "pct_ci", "count", "crossref", "p", "landmark12", "hr", "hr_p",
               "sample_size", "dropout", "median", "landmark", "p_survival", "fixed"}
UNITS = ("%", "n", "months", "years", "P", "HR", "mg", "mg/m2", "day")
_KIND_UNITS = {"pct": "%", "pct_ci": "%", "landmark12": "%", "landmark": "%", "count": "n",
               "crossref": "n", "sample_size": "n", "dropout": "n", "fixed": "n", "p": "P",
               "p_survival": "P", "hr_p": "P", "hr": "HR", "median": "months"}
CLAIM_COLUMNS = ["id", "section", "locator", "text", "quantity", "value", "unit", "k", "n",
                 "ci_low", "ci_high", "p_op", "printed", "kind"]


# ------------------------------------------------------------------ helpers
def _read_csv(name: str, columns: list[str], data_dir: Path) -> pd.DataFrame:
    path = data_dir / name
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError) as exc:
        raise DataError(f"{path.name}: cannot be read ({exc})") from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"{path.name}: missing column(s) {', '.join(missing)}")
    return frame


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


def _check_sum(file: str, key: str, parts: int, total: int, what: str) -> None:
    if parts != total and (file, key) not in PAPER_SUMS_THAT_FAIL:
        raise DataError(f"{file}, row {key}: {what} add up to {parts}, not {total} "
                        "(a data-entry error, or a paper inconsistency to list in "
                        "PAPER_SUMS_THAT_FAIL)")


def parse_p(text: str, where: str) -> tuple[float, str]:
    """``"0.47"`` -> (0.47, "="), ``"<0.01"`` -> (0.01, "<")."""
    match = _cell(P_VALUE, text, where)
    return float(match["p"]), match["op"] or "="


# ------------------------------------------------------------------ groups
@cache
def _groups(data_dir: Path) -> pd.DataFrame:
    frame = _read_csv("groups.csv", ["group", "label", "n", "printed"], data_dir)
    if list(frame["group"]) != list(GROUPS):
        raise DataError(f"groups.csv, column group: expected {', '.join(GROUPS)} in that order")
    sizes = []
    for i, row in frame.iterrows():
        where = f"groups.csv, row {i + 2}, column n"
        if not row["n"].isdigit() or f"n = {row['n']})" not in row["printed"]:
            raise DataError(f"{where}: {row['n']!r} is not the whole number printed in "
                            f"{row['printed']!r}")
        sizes.append(int(row["n"]))
    frame["n"] = sizes
    _check_sum("groups.csv", "all", sum(sizes[1:]), sizes[0], "the three disease groups")
    return frame


def groups(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The four columns of Tables 1 and 2: group, label, n, printed (the header text)."""
    return _groups(Path(data_dir)).copy()


def group_n(group: str, data_dir: Path = DATA_DIR) -> int:
    """Patients in a column of Tables 1 and 2 (``"all"`` or a disease group)."""
    sizes = _groups(Path(data_dir)).set_index("group")["n"]
    if group not in sizes.index:
        raise DataError(f"unknown group {group!r}; groups are {', '.join(GROUPS)}")
    return int(sizes[group])


# ------------------------------------------------------------------ Table 1
@cache
def _table1(data_dir: Path) -> pd.DataFrame:
    frame = _read_csv("table1.csv", ["characteristic", "level", "label", *GROUPS], data_dir)
    sizes = {g: group_n(g, data_dir) for g in GROUPS}
    rows = []
    for i, row in frame.iterrows():
        counts = {}
        for group in GROUPS:
            where = f"table1.csv, row {i + 2}, column {group}"
            n, pct = _count(_cell(COUNT_PCT, row[group], where), sizes[group], where)
            counts[group] = n
            rows.append({
                "characteristic": row["characteristic"], "level": row["level"],
                "label": row["label"], "group": group, "n": n, "pct_printed": pct,
                "printed": row[group].strip(),
                "locator": f"Table 1 / {row['label']} / {GROUP_LABELS[group]}",
            })
        _check_sum("table1.csv", str(i + 2), sum(counts[g] for g in DISEASE_GROUPS),
                   counts["all"], "the three disease groups")
    out = pd.DataFrame(rows)
    for name in COMPLETE_CHARACTERISTICS:
        for group in GROUPS:
            sel = out[(out["characteristic"] == name) & (out["group"] == group)]
            _check_sum("table1.csv", f"{name} / {group}", int(sel["n"].sum()), sizes[group],
                       f"the levels of {name}")
    return out


def table1(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Table 1 in long form: characteristic, level, label, group, n, pct_printed, printed,
    locator."""
    return _table1(Path(data_dir)).copy()


def table1_age(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Median age and IQR by group: group, median, q1, q3, printed, locator."""
    frame = _read_csv("table1_age.csv", ["group", "printed"], Path(data_dir))
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


def table1_pvalues(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """P values of Table 1 (across the three disease groups): characteristic, level (gene for
    mutation rows, "" otherwise), p_printed, p_value, p_op, locator."""
    frame = _read_csv("table1_pvalues.csv", ["characteristic", "level", "p"], Path(data_dir))
    rows = []
    for i, row in frame.iterrows():
        p, op = parse_p(row["p"], f"table1_pvalues.csv, row {i + 2}, column p")
        label = row["level"] or row["characteristic"]
        rows.append({"characteristic": row["characteristic"], "level": row["level"],
                     "p_printed": row["p"], "p_value": p, "p_op": op,
                     "locator": f"Table 1 / {label} / P"})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------ Table 2
@cache
def _table2(data_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = _read_csv("table2.csv", ["row", "label", *GROUPS, "p"], data_dir)
    parsed: dict[tuple[str, str], re.Match] = {}
    for i, row in frame.iterrows():
        for group in GROUPS:
            where = f"table2.csv, row {i + 2}, column {group}"
            text = row[group].strip()
            parsed[(row["row"], group)] = COUNT_PCT_CI.match(text) or _cell(COUNT_PCT, text,
                                                                          where)
    if ("CRc", "all") not in parsed:
        raise DataError("table2.csv, column row: the CRc row is missing")
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
        _check_sum("table2.csv", str(i + 2), sum(counts[g] for g in DISEASE_GROUPS),
                   counts["all"], "the three disease groups")
        if row["p"]:
            p, op = parse_p(row["p"], f"table2.csv, row {i + 2}, column p")
            pvals.append({"row": row["row"], "p_printed": row["p"], "p_value": p, "p_op": op,
                          "locator": f"Table 2 / {row['row']} / P"})
    return pd.DataFrame(rows), pd.DataFrame(pvals)


def table2(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Table 2 responses: row, label, group, n, denominator, pct_printed, ci_low, ci_high,
    printed, locator (CI bounds in %, NaN where none is printed)."""
    return _table2(Path(data_dir))[0].copy()


def table2_pvalues(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """P values of Table 2, response rows then survival rows ("OS median", "EFS 12m", ...)."""
    responses = _table2(Path(data_dir))[1]
    return pd.concat([responses, _table2_survival(Path(data_dir))[1]], ignore_index=True)


@cache
def _table2_survival(data_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = _read_csv("table2_survival.csv",
                      ["endpoint", "statistic", "label", *GROUPS, "p"], data_dir)
    rows, pvals = [], []
    for i, row in frame.iterrows():
        key = f"{row['endpoint']} {row['statistic']}"
        if row["endpoint"] not in ("OS", "EFS") or row["statistic"] not in ("median", "12m",
                                                                             "24m"):
            raise DataError(f"table2_survival.csv, row {i + 2}: unknown row {key!r}")
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


def table2_survival(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Table 2 survival rows: endpoint (OS/EFS), statistic (median/12m/24m), group, estimate,
    ci_low, ci_high, printed, locator. Medians in months, landmarks in %; NaN for 'Not reached'
    and for an upper bound 'NE'."""
    return _table2_survival(Path(data_dir))[0].copy()


# ------------------------------------------------------------------ Table 3
TABLE3_GRADES = {"grade_1_2": "1-2", "grade_3": "3", "grade_4": "4", "grade_5": "5"}


@cache
def _table3(data_dir: Path) -> pd.DataFrame:
    frame = _read_csv("table3.csv", ["event", "ctcae_term", *TABLE3_GRADES], data_dir)
    total = group_n("all", data_dir)
    rows = []
    for i, row in frame.iterrows():
        patients = 0
        for column, grade in TABLE3_GRADES.items():
            text = row[column].strip()
            where = f"table3.csv, row {i + 2}, column {column}"
            n, pct = _count(_cell(COUNT_PCT, text, where), total, where)
            patients += n
            rows.append({"event": row["event"], "ctcae_term": row["ctcae_term"],
                         "grade": grade, "n": n, "pct_printed": pct, "printed": text,
                         "locator": f"Table 3 / {row['event']} / Grade {grade}"})
        if patients > total:
            raise DataError(f"table3.csv, row {i + 2}: the grades add up to {patients} "
                            f"patients, more than {total}")
    return pd.DataFrame(rows)


def table3(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Table 3 adverse events (worst grade per patient): event, ctcae_term, grade
    ("1-2", "3", "4", "5"), n, pct_printed, printed, locator."""
    return _table3(Path(data_dir)).copy()


# ------------------------------------------------------------------ the text
def _claim_number(text: str, where: str) -> tuple[float, str]:
    """The printed number of a claim and its operator: "<0.001" -> (0.001, "<"); "NR" -> NaN."""
    if text in ("NR", "NE"):
        return math.nan, "="
    op = "<" if text.startswith("<") else "="
    try:
        return float(text.lstrip("<")), op
    except ValueError:
        raise DataError(f"{where}, field printed: {text!r} is not a number") from None


def _check_claim(entry: object, where: str, seen: set[str]) -> dict:
    if not isinstance(entry, dict):
        raise DataError(f"{where}: expected a mapping")
    cid = entry.get("id", "?")
    for field in ("id", "loc", "text", "kind", "printed"):
        if not isinstance(entry.get(field), str) or not entry[field]:
            raise DataError(f"{where} ({cid}), field {field}: missing or not text")
    if cid in seen:
        raise DataError(f"{where}, field id: duplicate id {cid!r}")
    seen.add(cid)
    if entry["kind"] not in CLAIM_KINDS:
        raise DataError(f"{where} ({cid}), field kind: unknown kind {entry['kind']!r}")
    for field in ("k", "n"):
        value = entry.get(field)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or value < 0):
            raise DataError(f"{where} ({cid}), field {field}: expected a count, got {value!r}")
    if entry.get("k") is not None and entry.get("n") is not None and entry["k"] > entry["n"]:
        raise DataError(f"{where} ({cid}), field k: {entry['k']} exceeds n = {entry['n']}")
    if entry["kind"] in ("pct", "pct_ci", "landmark12") and (entry.get("k") is None
                                                             or entry.get("n") is None):
        raise DataError(f"{where} ({cid}), field k: a {entry['kind']} claim needs k and n")
    value, _ = _claim_number(entry["printed"], where)
    ci = entry.get("ci")
    if ci is not None:
        if not isinstance(ci, list) or len(ci) != 2:
            raise DataError(f"{where} ({cid}), field ci: expected [low, high]")
        lo, hi = (_claim_number(str(x), f"{where} ({cid}) ci")[0] for x in ci)
        if not math.isnan(value) and not lo <= value <= (math.inf if math.isnan(hi) else hi):
            raise DataError(f"{where} ({cid}), field ci: {value} is outside {lo}-{hi}")
    unit = entry.get("unit", _KIND_UNITS[entry["kind"]])
    if unit not in UNITS:
        raise DataError(f"{where} ({cid}), field unit: unknown unit {unit!r}")
    if unit == "%" and not math.isnan(value) and not 0 <= value <= 100:
        raise DataError(f"{where} ({cid}), field printed: {value} % is outside 0-100")
    return entry


@cache
def _claims(data_dir: Path) -> pd.DataFrame:
    path = data_dir / "claims.yaml"
    try:
        entries = yaml.load(path.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"{path.name}: cannot be read ({exc})") from None
    if not isinstance(entries, list):
        raise DataError(f"{path.name}: expected a list of claims")
    seen: set[str] = set()
    rows = []
    for i, entry in enumerate(entries, start=1):
        where = f"{path.name}, entry {i}"
        e = dict(_check_claim(entry, where, seen))
        value, op = _claim_number(e["printed"], where)
        unit = e.get("unit", _KIND_UNITS[e["kind"]])
        ci = e.get("ci") or [None, None]
        rows.append({
            **e, "section": e["id"].rsplit(".", 1)[0], "locator": e["loc"],
            "quantity": e.get("quantity", e["text"]), "value": value, "unit": unit,
            "k": e.get("k", math.nan), "n": e.get("n", math.nan),
            "ci_low": _float(None if ci[0] is None else str(ci[0])),
            "ci_high": _float(None if ci[1] is None else str(ci[1])),
            "p_op": op if unit == "P" else "",
        })
    frame = pd.DataFrame(rows)
    rest = [c for c in frame.columns if c not in CLAIM_COLUMNS]
    return frame[CLAIM_COLUMNS + rest]


def claims(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Every numeric statement of the Abstract, the sample-size paragraph of the Methods, the
    Results and the Discussion's own results, one row per printed number.

    Columns: id, section, locator, text (as printed), quantity, value (float; NaN for 'not
    reached'), unit, k, n (NaN unless a proportion), ci_low, ci_high, p_op ("=" or "<" for P
    values), printed (the number's text), kind (how :mod:`vah.ledger` recomputes it), then
    optional fields (expr, ref, groups, note, derived, hr, loc).
    """
    return _claims(Path(data_dir)).copy()


def claim(claim_id: str, data_dir: Path = DATA_DIR) -> dict:
    """One claim as a dict (absent optional fields left out); DataError if the id is unknown."""
    frame = _claims(Path(data_dir))
    hit = frame[frame["id"] == claim_id]
    if hit.empty:
        raise DataError(f"no published claim with id {claim_id!r}")
    out = {}
    for key, value in hit.iloc[0].items():
        value = value.item() if hasattr(value, "item") else value  # NumPy scalar -> Python
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        out[key] = int(value) if key in ("k", "n") else value
    return out
