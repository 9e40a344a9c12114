"""Ledger entries for the numbers printed in the text (``claims.yaml``) and the references
they name (a table cell, a protocol constant)."""

from __future__ import annotations

import math
from functools import cache

from vah import paper as pub
from vah.errors import DataError
from vah.ledger.entries import (
    LANDMARK12_NOTE,
    NEEDS_PATIENTS,
    Entry,
    _join,
    ci_entry,
    dropout_entry,
    hr_p_entry,
    landmark12_entries,
    not_recomputable,
    p_entry,
    pct_entry,
    sample_size_entry,
    value_entry,
)
from vah.stats import contingency

__all__ = [
    "claim_entries",
    "resolve",
]


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
            from vah.trial.protocol import SAMPLE_SIZE_DESIGN as d
            values = {"p0": d.p0, "improvement": d.p1 - d.p0, "alpha": d.alpha,
                      "power": d.power, "dropout": d.dropout}
            return round(100 * values[rest], 10), "vah.trial.protocol design"
        if kind == "protocol":
            from vah.trial import protocol
            value = getattr(protocol, parts[0]).value
            return float(value[int(parts[1])] if len(parts) > 1 else value), "vah.trial.protocol"
        if kind == "regimen":
            from vah.trial import regimen
            step = getattr(regimen, parts[0].upper()).steps[int(parts[1])]
            value = step.dose.magnitude if parts[2] == "dose" else getattr(step, parts[2])
            return float(value), "vah.trial.regimen (Methods, Procedures)"
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


# ------------------------------------------------------------------ the text
def claim_entries() -> list[Entry]:
    """Ledger entries for every number printed in the text (``claims.yaml``)."""
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
