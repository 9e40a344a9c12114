"""The paper's published record, loaded from ``vah/data`` and validated.

Tables 1-3 are stored as printed (cells such as ``"51 (53.1)"``); the text's numeric statements
are in ``claims.yaml``. Every row carries its source locator. Loading checks the files' shape
(a malformed file is a :class:`~vah.errors.DataError` naming file, row and column); whether the
paper's numbers agree with each other is the ledger's business, not the loader's.
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
DISEASE_GROUPS = GROUPS[1:]

COUNT_PCT = re.compile(r"^(?P<n>\d+)(?: \((?P<pct>\d+(?:\.\d+)?)\))?$")
COUNT_PCT_CI = re.compile(
    r"^(?P<n>\d+) \((?P<pct>\d+(?:\.\d+)?)\[(?P<lo>\d+(?:\.\d+)?)–(?P<hi>\d+(?:\.\d+)?)\]\)$")
ESTIMATE_CI = re.compile(
    r"^(?P<est>\d+(?:\.\d+)?) \((?P<lo>\d+(?:\.\d+)?)(?: to |–)(?P<hi>\d+(?:\.\d+)?|NE)\)$")
P_VALUE = re.compile(r"^(?P<op><|=)?(?P<p>\d*\.\d+)$")

CLAIM_KINDS = {"pct", "pct_ci", "count", "p", "landmark12", "hr", "hr_p", "sample_size",
               "dropout", "median", "landmark", "p_survival", "fixed"}


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


def parse_p(text: str, where: str) -> tuple[float, str]:
    """``"0.47"`` -> (0.47, "="), ``"<0.01"`` -> (0.01, "<")."""
    match = _cell(P_VALUE, text, where)
    return float(match["p"]), match["op"] or "="


@cache
def _table1(data_dir: Path) -> pd.DataFrame:
    frame = _read_csv("table1.csv", ["characteristic", "level", "label", *GROUPS], data_dir)
    rows = []
    for i, row in frame.iterrows():
        for group in GROUPS:
            where = f"table1.csv, row {i + 2}, column {group}"
            m = _cell(COUNT_PCT, row[group], where)
            rows.append({
                "characteristic": row["characteristic"], "level": row["level"],
                "label": row["label"], "group": group, "n": int(m["n"]),
                "pct_printed": _float(m["pct"]), "printed": row[group].strip(),
                "locator": f"Table 1 / {row['label']} / {GROUP_LABELS[group]}",
            })
    return pd.DataFrame(rows)


def table1(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Table 1 in long form: characteristic, level, label, group, n, pct_printed, printed,
    locator."""
    return _table1(Path(data_dir)).copy()


def table1_age(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Median age and IQR by group."""
    frame = _read_csv("table1_age.csv", ["group", "printed"], Path(data_dir))
    pattern = re.compile(r"^(?P<m>\d+(?:\.\d+)?) \((?P<q1>\d+)–(?P<q3>\d+)\)$")
    rows = []
    for i, row in frame.iterrows():
        m = _cell(pattern, row["printed"], f"table1_age.csv, row {i + 2}, column printed")
        rows.append({"group": row["group"], "median": float(m["m"]), "q1": float(m["q1"]),
                     "q3": float(m["q3"]), "printed": row["printed"],
                     "locator": f"Table 1 / Age, median (IQR) / {GROUP_LABELS[row['group']]}"})
    return pd.DataFrame(rows)


def table1_pvalues(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """P values of Table 1 (across the three disease groups)."""
    frame = _read_csv("table1_pvalues.csv", ["characteristic", "level", "p"], Path(data_dir))
    rows = []
    for i, row in frame.iterrows():
        p, op = parse_p(row["p"], f"table1_pvalues.csv, row {i + 2}, column p")
        label = row["level"] or row["characteristic"]
        rows.append({"characteristic": row["characteristic"], "level": row["level"],
                     "p_printed": row["p"], "p_value": p, "p_op": op,
                     "locator": f"Table 1 / {label} / P"})
    return pd.DataFrame(rows)


@cache
def _table2(data_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = _read_csv("table2.csv", ["row", "label", *GROUPS, "p"], data_dir)
    rows, pvals = [], []
    counts: dict[tuple[str, str], int] = {}
    for i, row in frame.iterrows():
        for group in GROUPS:
            where = f"table2.csv, row {i + 2}, column {group}"
            text = row[group].strip()
            m = COUNT_PCT_CI.match(text) or _cell(COUNT_PCT, text, where)
            groups = m.groupdict()
            counts[(row["row"], group)] = int(m["n"])
            rows.append({
                "row": row["row"], "label": row["label"], "group": group, "n": int(m["n"]),
                "pct_printed": _float(groups.get("pct")), "ci_low": _float(groups.get("lo")),
                "ci_high": _float(groups.get("hi")), "printed": text,
                "locator": f"Table 2 / {row['row']} / {GROUP_LABELS[group]}",
            })
        if row["p"]:
            p, op = parse_p(row["p"], f"table2.csv, row {i + 2}, column p")
            pvals.append({"row": row["row"], "p_printed": row["p"], "p_value": p, "p_op": op,
                          "locator": f"Table 2 / {row['row']} / P"})
    out = pd.DataFrame(rows)
    # The denominator of each percentage: the group size, except MRD- among the group's CRc.
    out["denominator"] = [
        counts[("CRc", g)] if r == "MRDneg_CRc" else group_n(g)
        for r, g in zip(out["row"], out["group"], strict=True)
    ]
    return out, pd.DataFrame(pvals)


def table2(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Table 2 responses: row, label, group, n, denominator, pct_printed, ci_low, ci_high,
    printed, locator."""
    return _table2(Path(data_dir))[0].copy()


def table2_pvalues(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """P values of Table 2, response rows and survival rows."""
    responses = _table2(Path(data_dir))[1]
    return pd.concat([responses, _table2_survival(Path(data_dir))[1]], ignore_index=True)


@cache
def _table2_survival(data_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = _read_csv("table2_survival.csv",
                      ["endpoint", "statistic", "label", *GROUPS, "p"], data_dir)
    rows, pvals = [], []
    for i, row in frame.iterrows():
        key = f"{row['endpoint']} {row['statistic']}"
        for group in GROUPS:
            text = row[group].strip()
            where = f"table2_survival.csv, row {i + 2}, column {group}"
            if text == "Not reached":
                est, lo, hi = math.nan, math.nan, math.nan
            else:
                m = _cell(ESTIMATE_CI, text, where)
                est, lo, hi = float(m["est"]), float(m["lo"]), _float(m["hi"])
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
    ci_low, ci_high, printed, locator. NaN for 'Not reached' and 'NE'."""
    return _table2_survival(Path(data_dir))[0].copy()


TABLE3_GRADES = {"grade_1_2": "1-2", "grade_3": "3", "grade_4": "4", "grade_5": "5"}


@cache
def _table3(data_dir: Path) -> pd.DataFrame:
    frame = _read_csv("table3.csv", ["event", "ctcae_term", *TABLE3_GRADES], data_dir)
    rows = []
    for i, row in frame.iterrows():
        for column, grade in TABLE3_GRADES.items():
            text = row[column].strip()
            m = _cell(COUNT_PCT, text, f"table3.csv, row {i + 2}, column {column}")
            rows.append({"event": row["event"], "ctcae_term": row["ctcae_term"],
                         "grade": grade, "n": int(m["n"]), "pct_printed": _float(m["pct"]),
                         "printed": text,
                         "locator": f"Table 3 / {row['event']} / Grade {grade}"})
    return pd.DataFrame(rows)


def table3(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Table 3 adverse events: event, ctcae_term, grade, n, pct_printed, printed, locator."""
    return _table3(Path(data_dir)).copy()


def group_n(group: str, data_dir: Path = DATA_DIR) -> int:
    """Patients in a disease group, from Table 1's gender rows (male + female)."""
    t1 = _table1(Path(data_dir))
    gender = t1[(t1["characteristic"] == "gender") & (t1["group"] == group)]
    if gender.empty:
        raise DataError(f"unknown group {group!r}; groups are {', '.join(GROUPS)}")
    return int(gender["n"].sum())


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
    for i, entry in enumerate(entries, start=1):
        where = f"{path.name}, entry {i}"
        if not isinstance(entry, dict):
            raise DataError(f"{where}: expected a mapping")
        for field in ("id", "loc", "text", "kind", "printed"):
            if not isinstance(entry.get(field), str) or not entry[field]:
                raise DataError(f"{where} ({entry.get('id', '?')}), field {field}: "
                                "missing or not text")
        if entry["id"] in seen:
            raise DataError(f"{where}, field id: duplicate id {entry['id']!r}")
        seen.add(entry["id"])
        if entry["kind"] not in CLAIM_KINDS:
            raise DataError(f"{where} ({entry['id']}), field kind: unknown kind "
                            f"{entry['kind']!r}")
        for field in ("k", "n"):
            value = entry.get(field)
            if value is not None and (not isinstance(value, int) or value < 0):
                raise DataError(f"{where} ({entry['id']}), field {field}: expected a count, "
                                f"got {value!r}")
        if entry.get("k") is not None and entry.get("n") is not None and entry["k"] > entry["n"]:
            raise DataError(f"{where} ({entry['id']}), field k: {entry['k']} exceeds n = "
                            f"{entry['n']}")
        ci = entry.get("ci")
        if ci is not None and (not isinstance(ci, list) or len(ci) != 2):
            raise DataError(f"{where} ({entry['id']}), field ci: expected [low, high]")
    frame = pd.DataFrame(entries)
    frame["section"] = frame["id"].str.split(".").str[:-1].str.join(".")
    return frame


def claims(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Every numeric statement of the Abstract, sample-size Methods, Results and Discussion."""
    return _claims(Path(data_dir)).copy()


def claim(claim_id: str, data_dir: Path = DATA_DIR) -> dict:
    """One claim as a dict; DataError if the id is unknown."""
    frame = _claims(Path(data_dir))
    hit = frame[frame["id"] == claim_id]
    if hit.empty:
        raise DataError(f"no published claim with id {claim_id!r}")
    return {k: v for k, v in hit.iloc[0].items() if not (isinstance(v, float) and math.isnan(v))}
