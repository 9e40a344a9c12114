"""Which published counts conflict when the skeleton's integer problem has no solution.

The skeleton (``vah.reconstruction.skeleton``) is a set of named linear rows over binary
variables, one per patient. Its *counts* (an equality summing one variable over a set of
patients: a published count, or one derived from published numbers) are the data; the other
rows (one level per patient, the logical links, the products) are the model. When no cohort
exists, :func:`explain` names the counts that cannot hold together, in one line.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import LinearConstraint, linprog, milp
from scipy.sparse import coo_matrix, csr_matrix, hstack, identity, vstack

__all__ = [
    "explain",
    "is_count",
]

# A row of the model: (coefficients by column, lower bound, upper bound, name).
Row = tuple[dict[int, float], float, float, str]


def is_count(columns: list[str], rows: list[tuple]) -> np.ndarray:
    """Per row ``(coefficients by column, low, high, name)``: is it a count (an equality with
    coefficient 1 on patients of one variable, the columns being named ``variable[patient]``)?"""
    var_of = [name.split("[")[0] for name in columns]
    return np.array([low == high and set(coefs.values()) == {1.0}
                     and len({var_of[c] for c in coefs}) == 1
                     for coefs, low, high, _ in rows], dtype=bool)


def explain(columns: list[str], rows: list[tuple], a, low: np.ndarray, high: np.ndarray) -> str:
    """The conflicting counts of an infeasible model ``low <= a x <= high``, ``x`` binary, as one
    line: those of the Farkas certificate of the LP relaxation with the least weight on counts
    (one LP); when only whole patients conflict, the fewest counts to change (an elastic MILP)."""
    counts = is_count(columns, rows)
    n = a.shape[1]
    lo_rows, hi_rows = np.flatnonzero(np.isfinite(low)), np.flatnonzero(np.isfinite(high))
    # l <= A x <= u with 0 <= x <= 1 has no solution iff p, q, r >= 0 exist with
    # A'(p - q) - r <= 0 and l'p - u'q - 1'r >= 1 (Farkas); least total weight on counts.
    at = csr_matrix(a).T.tocsr()
    lhs = vstack([hstack([at[:, lo_rows], -at[:, hi_rows], -identity(n)]),
                  csr_matrix(np.concatenate([-low[lo_rows], high[hi_rows], np.ones(n)]))])
    cost = np.concatenate([counts[lo_rows], counts[hi_rows], np.zeros(n)]).astype(float)
    cert = linprog(cost, A_ub=lhs.tocsr(), b_ub=np.append(np.zeros(n), -1.0), bounds=(0, None),
                   method="highs")
    if cert.status != 0:
        return _fewest_changes(rows, a, low, high, counts)
    weight = np.zeros(len(rows))
    np.add.at(weight, lo_rows, cert.x[:len(lo_rows)])
    np.add.at(weight, hi_rows, cert.x[len(lo_rows):len(lo_rows) + len(hi_rows)])
    named = [_named(rows[i]) for i in np.flatnonzero((weight > 1e-9) & counts)]
    if not named:
        return "the skeleton's own rows conflict, whatever the counts (a modelling error)"
    if len(named) == 1:
        return f"{named[0]} cannot hold"
    return f"{named[0]} conflicts with {_and(named[1:])}"


def _named(row: Row) -> str:
    return f"{row[3]!r} ({row[1]:g})"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _fewest_changes(rows: list[Row], a, low: np.ndarray, high: np.ndarray,
                    counts: np.ndarray) -> str:
    """The LP relaxation has a solution, whole patients do not: the fewest unit changes of
    counts that admit a cohort (slack on every count, least total slack)."""
    which = np.flatnonzero(counts)
    k, n = len(which), a.shape[1]
    slack = coo_matrix((np.ones(k), (which, np.arange(k))), shape=(len(rows), k))
    result = milp(np.concatenate([np.zeros(n), np.ones(2 * k)]),
                  constraints=LinearConstraint(hstack([a, slack, -slack]).tocsr(), low, high),
                  integrality=np.ones(n + 2 * k), bounds=(0, [1] * n + [np.inf] * (2 * k)),
                  options={"time_limit": 60, "presolve": True})
    if result.x is None:
        return f"no set of conflicting counts found ({result.message})"
    change = np.round(result.x[n:n + k] - result.x[n + k:]).astype(int)
    named = [f"{rows[which[j]][3]!r} {rows[which[j]][1] + change[j]:g} instead of "
             f"{rows[which[j]][1]:g}" for j in np.flatnonzero(change)]
    return "fractions of patients would fit; whole patients fit only with " + _and(named)
