"""Ledger entries for the numbers printed in the text (``claims.yaml``) and the references
they name (a table cell, a protocol constant)."""

from __future__ import annotations

import math
from dataclasses import replace

from vah import paper as pub
from vah.errors import DataError
from vah.ledger.entries import (
    LANDMARK12_NOTE,
    NEEDS_PATIENTS,
    Entry,
    _join,
    ci_entry,
    dropout_entry,
    hr_midpoint_entry,
    hr_p_entry,
    landmark12_entries,
    not_recomputable,
    p_entry,
    pct_entry,
    sample_size_entry,
    value_entry,
)
from vah.paper.folder import cached_on_data
from vah.stats import contingency
from vah.stats.rounding import rounding_paths

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


@cached_on_data
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
        if "vs_table1" in c:
            out.append(_table1_p_entry(c))
    return out


def _table1_p_entry(c: dict) -> Entry:
    """A P value of the text tried against the Table 1 row it may be about
    (``vs_table1: "<characteristic>:<group>,<group>"``): every test of the groups' levels."""
    name, _, groups = c["vs_table1"].partition(":")
    t1 = pub.table1()
    sel = t1[(t1["characteristic"] == name)]
    table = [[int(sel[(sel["group"] == g) & (sel["level"] == lev)]["n"].iloc[0])
              for lev in dict.fromkeys(sel["level"])] for g in groups.split(",")]
    labels = " against ".join(pub.GROUP_LABELS[g] for g in groups.split(","))
    return p_entry(c["id"] + ".vs_table1", c["loc"], f"{c['text']} (Table 1, {name}: {labels})",
                   c["printed"], table, c.get("vs_table1_note", ""),
                   inputs=f"Table 1, {name}: " + "; ".join(
                       f"{pub.GROUP_LABELS[g]} " + "/".join(map(str, row))
                       for g, row in zip(groups.split(","), table, strict=True)))


def _claim_entries(c: dict) -> list[Entry]:
    id_, where, kind, printed = c["id"], c["loc"], c["kind"], c["printed"]
    quantity = c["text"]
    extra = _join(c.get("expr_note", ""), c.get("note", ""))
    k, n = (int(c["k"]), int(c["n"])) if "k" in c and "n" in c else (None, None)
    derived = bool(c.get("derived"))
    if kind in ("pct", "pct_ci") and "table3" in c:
        return [_table3_composite(c, quantity, extra)] + _reference_checks(c, k, n)
    if kind in ("pct", "pct_ci"):
        out = [pct_entry(id_, where, quantity, printed, k, n, extra, derived=derived,
                         inputs=c.get("inputs"))]
        if kind == "pct_ci":
            out.append(ci_entry(id_, where, quantity, tuple(c["ci"]), k, n,
                                f"the printed {printed} % and n = {n}" if derived else None))
        return out + _reference_checks(c, k, n)
    if kind == "landmark12" and "ci" not in c:
        return [pct_entry(id_, where, quantity, printed, k, n,
                          " ".join(x for x in (LANDMARK12_NOTE, extra) if x), derived=derived)]
    if kind == "landmark12":
        out = landmark12_entries(id_, where, quantity, printed, tuple(c["ci"]), k, n, derived)
        if "restates" in c:  # the same rate printed in Table 2
            endpoint, statistic, group = c["restates"].split(":")
            t2 = pub.table2_survival().set_index(["endpoint", "statistic", "group"])
            value = float(t2.loc[(endpoint, statistic, group), "estimate"])
            how = f"Table 2, {endpoint} {statistic}, {pub.GROUP_LABELS[group]}"
            out[0] = replace(value_entry(id_, where, quantity, printed, value, how, extra,
                                         basis="restated"), published=f"{printed} %")
        return out
    if kind == "count":
        value = _expression(c["expr"])
        out = [value_entry(id_, where, quantity, printed, value, c["expr"], extra)]
        if "ref" in c:
            ref, how = resolve(c["ref"])
            out.append(value_entry(id_ + ".vs_table", where, quantity + " (against the table)",
                                   printed, ref, how, basis="restated"))
        return out
    if kind == "crossref" and c["ref"].startswith("design:"):
        _, how = resolve(c["ref"])
        return [not_recomputable(id_, where, quantity, printed, _join(
            f"The design constant in {how} is typed from this sentence, so comparing them "
            "checks nothing; the sample size it leads to is checked (methods.sample_size).",
            extra))]
    if kind == "crossref":
        ref, how = resolve(c["ref"])
        return [value_entry(id_, where, quantity, printed, ref, how, extra, basis="restated")]
    if kind == "p":
        groups = [g.split("/") for g in c["groups"].split(",")]
        table = contingency.table_from_groups([int(a) for a, _ in groups],
                                              [int(b) for _, b in groups])
        return [p_entry(id_, where, quantity, printed, table, extra)]
    if kind == "label":
        other = pub.claim(c["same_as"])
        ci = f"{c['ci'][0]}–{c['ci'][1]}"
        return [Entry(id_, where, quantity + " (what the interval is)", f"{c['label']} {ci}",
                      f"{c['label_there']} {other['ci_low']:g}–{other['ci_high']:g} "
                      f"({other['loc']})", "mismatch", extra, float(printed), 1,
                      basis="restated", inputs=f"{c['same_as']}")]
    if kind == "hr":
        return [not_recomputable(id_, where, quantity, f"{printed} ({c['ci'][0]}–{c['ci'][1]})",
                                 _join(NEEDS_PATIENTS["hr"], extra), float(printed)),
                hr_midpoint_entry(id_, where, quantity, [printed, *c["ci"]])]
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
                                   f"{what} of {c['text']!r}", str(mine), value, how,
                                   basis="restated"))
    return out


def _table3_cells(spec: str) -> tuple[str, list[str], int, tuple[str, ...]]:
    """``"Febrile neutropenia:3,4"`` -> (event, grades, patients, printed cell percentages)."""
    event, _, grades = spec.partition(":")
    t3 = pub.table3()
    sel = t3[(t3["event"] == event) & t3["grade"].isin(grades.split(","))]
    if sel.empty or len(sel) != len(grades.split(",")):
        raise DataError(f"claims.yaml: Table 3 reference {spec!r} names no such cells")
    parts = tuple(f"{p:.1f}" for p in sel["pct_printed"].dropna())
    return event, grades.split(","), int(sel["n"].sum()), parts


def _table3_composite(c: dict, quantity: str, extra: str) -> Entry:
    """A percentage of patients with an adverse event over several grades of Table 3, computed
    from the table's counts, with the rounded cell percentages added up as one rounding path
    and, where the text's grades do not give the print, the other grades the text supports."""
    event, grades, k, parts = _table3_cells(c["table3"])
    n = pub.group_n("all")
    cells = " + ".join(grades)
    e = pct_entry(c["id"], c["loc"], quantity, c["printed"], k, n, extra, parts=parts,
                  inputs=f"Table 3, {event}, grades {cells}: {k} patients")
    if e.status == "mismatch" and "table3_alt" in c:
        _, alt_grades, alt_k, alt_parts = _table3_cells(c["table3_alt"])
        how = [name for name, text in rounding_paths(c["printed"], alt_k, n, alt_parts).items()
               if text == c["printed"]]
        found = (f"With grades {' + '.join(alt_grades)} instead ({alt_k}/{n}), the print is "
                 f"reproduced by {' and '.join(how)}: the text's grades and its number "
                 "disagree." if how else
                 f"Grades {' + '.join(alt_grades)} ({alt_k}/{n}) do not give it either.")
        note = e.note
        if how:  # the generic "no whole count" guess gives way to the reproduced reading
            note = note.split(" No whole count out of")[0]
        e = replace(e, note=_join(note, found))
    return e
