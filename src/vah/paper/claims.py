"""The numbers the paper prints in its text (``data/claims.yaml``), loaded and validated: each
with its locator, kind, printed text and what it is computed from."""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from vah.errors import DataError
from vah.paper.folder import DataFolder
from vah.paper.folder import data_folder as _dir
from vah.paper.tables import _float

__all__ = [
    "claim",
    "CLAIM_COLUMNS",
    "CLAIM_KINDS",
    "claims",
    "UNITS",
]














CLAIM_KINDS = {"pct", "pct_ci", "count", "crossref", "p", "landmark12", "hr", "hr_p",
               "sample_size", "dropout", "median", "landmark", "p_survival", "fixed", "label"}


UNITS = ("%", "n", "months", "years", "P", "HR", "mg", "mg/m2", "day")


_KIND_UNITS = {"pct": "%", "pct_ci": "%", "landmark12": "%", "landmark": "%", "count": "n",
               "crossref": "n", "sample_size": "n", "dropout": "n", "fixed": "n", "p": "P",
               "p_survival": "P", "hr_p": "P", "hr": "HR", "median": "months",
               "label": "months"}


CLAIM_COLUMNS = ["id", "section", "locator", "text", "quantity", "value", "unit", "k", "n",
                 "ci_low", "ci_high", "p_op", "printed", "kind"]


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


@lru_cache(maxsize=16)
def _claims(data_dir: DataFolder) -> pd.DataFrame:
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


def claims(data_dir: Path | DataFolder | None = None) -> pd.DataFrame:
    """Every numeric statement of the Abstract, the sample-size paragraph of the Methods, the
    Results and the Discussion's own results, one row per printed number.

    Columns: id, section, locator, text (as printed), quantity, value (float; NaN for 'not
    reached'), unit, k, n (NaN unless a proportion), ci_low, ci_high, p_op ("=" or "<" for P
    values), printed (the number's text), kind (how ``vah.ledger`` recomputes it), then
    optional fields (expr, ref, groups, note, derived, hr, loc).
    """
    return _claims(_dir(data_dir)).copy()


def claim(claim_id: str, data_dir: Path | DataFolder | None = None) -> dict:
    """One claim as a dict (absent optional fields left out); DataError if the id is unknown."""
    frame = _claims(_dir(data_dir))
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
