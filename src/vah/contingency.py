"""Tests of independence for r x c tables of counts: chi-square, Yates, Fisher-Freeman-Halton
exact and likelihood ratio (G) tests.

Rows are categories (e.g. response / no response), columns are groups (e.g. disease groups).
Rows or columns that are all zero are dropped, as R does.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
from scipy import stats
from scipy.special import gammaln

from vah.errors import InputError

P_METHODS: tuple[str, ...] = ("chi2", "chi2_yates", "fisher_exact", "likelihood_ratio")
P_METHOD_LABELS: dict[str, str] = {
    "chi2": "Pearson chi-square",
    "chi2_yates": "Pearson chi-square with Yates's correction (2 x 2 only)",
    "fisher_exact": "Fisher(-Freeman-Halton) exact",
    "likelihood_ratio": "Likelihood-ratio (G) test",
}


def as_table(table) -> np.ndarray:
    """A validated integer array with empty rows and columns removed."""
    arr = np.asarray(table, dtype=float)
    if arr.ndim != 2:
        raise InputError(f"a contingency table must be two-dimensional, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0) or np.any(arr != np.round(arr)):
        raise InputError("a contingency table holds whole non-negative counts")
    arr = arr[arr.sum(axis=1) > 0][:, arr.sum(axis=0) > 0].astype(int)
    if arr.shape[0] < 2 or arr.shape[1] < 2:
        raise InputError("a contingency table needs at least two non-empty rows and columns")
    return arr


def p_value(table, method: str = "chi2") -> float:
    """Two-sided P value of the test of independence by ``method`` (see ``P_METHODS``).

    ``chi2_yates`` corrects only 2 x 2 tables (as scipy and R do); larger tables get the
    plain chi-square.
    """
    arr = as_table(table)
    if method == "chi2":
        return float(stats.chi2_contingency(arr, correction=False).pvalue)
    if method == "chi2_yates":
        return float(stats.chi2_contingency(arr, correction=True).pvalue)
    if method == "likelihood_ratio":
        return float(stats.chi2_contingency(arr, correction=False,
                                            lambda_="log-likelihood").pvalue)
    if method == "fisher_exact":
        return fisher_freeman_halton(arr)
    raise InputError(f"unknown test {method!r}; choose one of: {', '.join(P_METHODS)}")


def all_p_values(table) -> dict[str, float]:
    """The P value of every method of ``P_METHODS``."""
    return {method: p_value(table, method) for method in P_METHODS}


def table_from_groups(counts: list[int], totals: list[int]) -> np.ndarray:
    """2 x c table: events and non-events per group."""
    if len(counts) != len(totals):
        raise InputError("counts and totals must have the same length")
    for k, n in zip(counts, totals, strict=True):
        if not 0 <= k <= n:
            raise InputError(f"a group has {k} events out of {n}")
    return np.array([counts, [n - k for k, n in zip(counts, totals, strict=True)]])


def p_value_from_groups(counts: list[int], totals: list[int], method: str = "chi2") -> float:
    """P value comparing the proportions counts[i] / totals[i] across groups."""
    return p_value(table_from_groups(counts, totals), method)


def fisher_freeman_halton(table) -> float:
    """Exact P value: the probability, under fixed margins, of all tables no more probable than
    the observed one (relative tolerance 1e-7, as R's ``fisher.test``)."""
    arr = as_table(table)
    if arr.shape[0] > arr.shape[1]:
        arr = arr.T
    rows = tuple(int(x) for x in arr.sum(axis=1))
    cols = tuple(int(x) for x in arr.sum(axis=0))
    observed = _log_prob(arr, rows, cols)
    if len(rows) == 2 and len(cols) <= 6:
        return min(1.0, _ffh_two_rows(rows, cols, observed))
    return min(1.0, _ffh_sum(rows, cols, observed))


def _ffh_two_rows(rows: tuple[int, ...], cols: tuple[int, ...], observed: float) -> float:
    """The same sum for a 2 x c table, vectorised: the first row's cells in all columns but the
    last are free, the last one is fixed by the row total."""
    grids = np.meshgrid(*[np.arange(c + 1) for c in cols[:-1]], indexing="ij")
    first = [g.ravel() for g in grids]
    last = rows[0] - sum(first)
    ok = (last >= 0) & (last <= cols[-1])
    top = np.vstack([*[f[ok] for f in first], last[ok]])
    bottom = np.array(cols)[:, None] - top
    n = sum(rows)
    const = (gammaln(np.array(rows) + 1).sum() + gammaln(np.array(cols) + 1).sum()
             - gammaln(n + 1))
    logp = const - gammaln(top + 1).sum(axis=0) - gammaln(bottom + 1).sum(axis=0)
    keep = logp <= observed + math.log1p(1e-7)
    return float(np.exp(logp[keep]).sum())


def _log_prob(arr: np.ndarray, rows: tuple[int, ...], cols: tuple[int, ...]) -> float:
    n = sum(rows)
    return float(gammaln(np.array(rows) + 1).sum() + gammaln(np.array(cols) + 1).sum()
                 - gammaln(n + 1) - gammaln(arr + 1).sum())


def _ffh_sum(rows: tuple[int, ...], cols: tuple[int, ...], observed: float) -> float:
    """Sum P(table) over tables with these margins whose P <= P(observed) * (1 + 1e-7).

    Column by column: each column splits its total among the rows (a multivariate
    hypergeometric step), with the remaining row totals as the state.
    """
    n = sum(rows)
    const = float(gammaln(np.array(rows) + 1).sum() + gammaln(np.array(cols) + 1).sum()
                  - gammaln(n + 1))
    limit = observed + math.log1p(1e-7)

    @cache
    def walk(j: int, remaining: tuple[int, ...]) -> tuple[tuple[float, float], ...]:
        """Distinct partial log-weights -sum log(x!) over the columns j.., with multiplicity."""
        if j == len(cols) - 1:
            return ((-sum(math.lgamma(r + 1) for r in remaining), 1.0),)
        out: dict[float, float] = {}
        for split in _splits(cols[j], remaining):
            w = -sum(math.lgamma(x + 1) for x in split)
            rest = tuple(r - x for r, x in zip(remaining, split, strict=True))
            for tail, mult in walk(j + 1, rest):
                key = round(w + tail, 9)
                out[key] = out.get(key, 0.0) + mult
        return tuple(out.items())

    total = 0.0
    for logw, mult in walk(0, rows):
        lp = const + logw
        if lp <= limit:
            total += mult * math.exp(lp)
    return total


def _splits(total: int, caps: tuple[int, ...]):
    """All ways to write ``total`` as a sum of len(caps) parts with part i <= caps[i]."""
    if len(caps) == 1:
        if total <= caps[0]:
            yield (total,)
        return
    rest_cap = sum(caps[1:])
    for first in range(max(0, total - rest_cap), min(caps[0], total) + 1):
        for tail in _splits(total - first, caps[1:]):
            yield (first, *tail)
