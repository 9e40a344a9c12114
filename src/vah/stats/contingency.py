"""Tests of independence for r x c tables of counts: chi-square, Yates, Fisher-Freeman-Halton
exact and likelihood ratio (G) tests.

Rows are categories (e.g. response / no response), columns are groups (e.g. disease groups).
Rows or columns that are all zero are dropped, as R does.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy.special import chdtrc, gammaln

from vah.errors import InputError

__all__ = [
    "all_p_values",
    "as_table",
    "fisher_freeman_halton",
    "MAX_PATHS",
    "P_METHOD_LABELS",
    "P_METHODS",
    "p_value",
    "p_value_from_groups",
    "table_from_groups",
]

P_METHODS: tuple[str, ...] = ("chi2", "chi2_yates", "fisher_exact", "likelihood_ratio")
P_METHOD_LABELS: dict[str, str] = {
    "chi2": "Pearson chi-square",
    "chi2_yates": "Pearson chi-square with Yates's correction (2 x 2 only)",
    "fisher_exact": "Fisher(-Freeman-Halton) exact",
    "likelihood_ratio": "Likelihood-ratio (G) test",
}


def as_table(table) -> np.ndarray:
    """A validated integer array with empty rows and columns removed (as R's ``fisher.test``
    and ``chisq.test`` effectively do: an empty row or column carries no information)."""
    try:
        arr = np.asarray(table, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError("a contingency table must be a rectangular grid of counts") from exc
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

    - ``chi2``: Pearson's X^2 = sum (O - E)^2 / E on (r - 1)(c - 1) degrees of freedom, no
      correction (Stata's ``tabulate, chi2``; R's ``chisq.test(correct = FALSE)``).
    - ``chi2_yates``: Yates's continuity correction, applied only when there is one degree of
      freedom (a 2 x 2 table), as scipy's ``chi2_contingency(correction=True)`` and R's
      ``chisq.test`` do; for larger tables it equals ``chi2``.
    - ``fisher_exact``: the Fisher-Freeman-Halton exact test (:func:`fisher_freeman_halton`).
    - ``likelihood_ratio``: G = 2 sum O log(O / E) on the same degrees of freedom.

    Rows and columns that are all zero are dropped first; fewer than two non-empty rows or
    columns is an error.
    """
    arr = as_table(table)
    if method in ("chi2", "chi2_yates", "likelihood_ratio"):
        return _chi2_family(arr, yates=method == "chi2_yates",
                            log_likelihood=method == "likelihood_ratio")
    if method == "fisher_exact":
        return fisher_freeman_halton(arr)
    raise InputError(f"unknown test {method!r}; choose one of: {', '.join(P_METHODS)}")


def all_p_values(table) -> dict[str, float]:
    """The P value of every method of ``P_METHODS``."""
    return {method: p_value(table, method) for method in P_METHODS}


def table_from_groups(counts: list[int], totals: list[int]) -> np.ndarray:
    """2 x c table: events (first row) and non-events (second row) per group."""
    if len(counts) != len(totals):
        raise InputError("counts and totals must have the same length")
    for k, n in zip(counts, totals, strict=True):
        for name, value in (("counts", k), ("totals", n)):
            number = isinstance(value, int | float | np.integer | np.floating)
            if isinstance(value, bool) or not number or not float(value).is_integer():
                raise InputError(f"{name} must hold whole numbers of patients, got {value!r}")
        if not 0 <= k <= n:
            raise InputError(f"a group has {k} events out of {n}")
    return np.array([counts, [n - k for k, n in zip(counts, totals, strict=True)]])


def _chi2_family(arr: np.ndarray, *, yates: bool, log_likelihood: bool) -> float:
    """Pearson's X2 (with Yates's correction on 2 x 2 tables if asked) or the likelihood-ratio
    G, referred to chi-square on (r - 1)(c - 1) degrees of freedom, as scipy's
    ``chi2_contingency`` computes them (written out: scipy.stats costs a second to import)."""
    observed = arr.astype(float)
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / observed.sum()
    dof = (arr.shape[0] - 1) * (arr.shape[1] - 1)
    if yates and dof == 1:
        diff = expected - observed  # move each count up to 0.5 towards its expectation
        observed = observed + np.sign(diff) * np.minimum(0.5, np.abs(diff))
    if log_likelihood:
        ratio = np.where(observed > 0, observed / expected, 1.0)
        statistic = 2.0 * float(np.sum(observed * np.log(ratio)))
    else:
        statistic = float(np.sum((observed - expected) ** 2 / expected))
    return float(chdtrc(dof, statistic))


def p_value_from_groups(counts: list[int], totals: list[int], method: str = "chi2") -> float:
    """P value comparing the proportions counts[i] / totals[i] across groups."""
    return p_value(table_from_groups(counts, totals), method)


MAX_PATHS = 1_000_000
"""Refuse exact enumeration beyond this many partial tables in one step (memory and time)."""


def fisher_freeman_halton(table) -> float:
    """Fisher-Freeman-Halton exact P value of an r x c table.

    The probability, under fixed margins (multivariate hypergeometric), of all tables no more
    probable than the observed one, with a relative tolerance of 1e-7 as in R's
    ``fisher.test``. Exact enumeration: the table is filled column by column (columns = the
    longer side, rows = the shorter); partial tables that leave the same remaining row totals
    and have the same probability so far are merged, and the last two columns are summed at
    once from a sorted list of their completions. Tables of the paper's size (up to 4 x 4 with
    about 100 patients) take well under a second.
    """
    arr = as_table(table)
    if arr.shape[0] > arr.shape[1]:
        arr = arr.T
    rows = np.sort(arr.sum(axis=1))
    cols = sorted(int(c) for c in arr.sum(axis=0))
    n = int(rows.sum())
    lf = gammaln(np.arange(n + 2) + 1.0)  # lf[x] = log(x!)
    const = float(lf[rows].sum() + lf[cols].sum() - lf[n])
    observed = const - float(lf[arr].sum())
    # a table counts when const + (sum of -log x! over its cells) <= limit
    limit = observed + math.log1p(1e-7) - const

    # layer: remaining row totals (sorted) -> (partial log-weights, multiplicities)
    layer: dict[tuple[int, ...], tuple[np.ndarray, np.ndarray]] = {
        tuple(int(r) for r in rows): (np.zeros(1), np.ones(1))}
    for c in cols[:-2]:
        layer = _next_layer(layer, c, lf)
    total = 0.0
    for state, (past, mult) in layer.items():
        weights, cum = _last_two_columns(state, cols[-2])
        index = np.searchsorted(weights, limit - past, side="right")
        shift = float(weights[-1])
        take = index > 0
        total += float(np.sum(mult[take] * np.exp(const + past[take] + shift)
                              * cum[index[take] - 1]))
    return min(1.0, total)


def _next_layer(layer, c: int, lf: np.ndarray):
    """Fill one more column of total ``c`` in every way; merge equal states and weights."""
    states, weights, mults = [], [], []
    paths = 0
    for state, (past, mult) in layer.items():
        splits = _splits_array(c, state)
        paths += len(splits) * past.size
        if paths > MAX_PATHS:
            raise InputError("this table is too large for the exact test; use the chi-square "
                             "or likelihood-ratio test")
        w = -lf[splits].sum(axis=1)
        rest = np.sort(np.asarray(state) - splits, axis=1)
        states.append(np.repeat(rest, past.size, axis=0))
        weights.append((w[:, None] + past[None, :]).ravel())
        mults.append(np.tile(mult, len(w)))
    states_a = np.vstack(states)
    weights_a = np.concatenate(weights)
    mults_a = np.concatenate(mults)
    uniq, state_id = np.unique(states_a, axis=0, return_inverse=True)
    key = np.round(weights_a, 9)
    order = np.lexsort((key, state_id.ravel()))
    sid, key, mults_a = state_id.ravel()[order], key[order], mults_a[order]
    start = np.ones(sid.size, dtype=bool)
    start[1:] = (sid[1:] != sid[:-1]) | (key[1:] != key[:-1])
    group = np.cumsum(start) - 1
    merged_mult = np.bincount(group, weights=mults_a)
    merged_key, merged_sid = key[start], sid[start]
    out = {}
    bounds = np.flatnonzero(np.r_[True, merged_sid[1:] != merged_sid[:-1], True])
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        out[tuple(int(x) for x in uniq[merged_sid[a]])] = (merged_key[a:b], merged_mult[a:b])
    return out


@lru_cache(maxsize=4096)
def _last_two_columns(state: tuple[int, ...], c: int) -> tuple[np.ndarray, np.ndarray]:
    """Log-weights -sum log x! of every way to fill the last two columns (the first with total
    ``c``, the second takes what is left of each row), sorted; and the running sum of
    exp(weight - largest weight)."""
    first = _splits_array(c, state)
    second = np.asarray(state) - first
    w = np.sort(-(gammaln(first + 1.0).sum(axis=1) + gammaln(second + 1.0).sum(axis=1)))
    return w, np.cumsum(np.exp(w - w[-1]))


def _splits_array(total: int, caps) -> np.ndarray:
    """Every way to write ``total`` as len(caps) non-negative parts, part i <= caps[i]."""
    caps = [int(x) for x in caps]
    parts = np.zeros((1, 0), dtype=int)
    used = np.zeros(1, dtype=int)
    for i, cap in enumerate(caps[:-1]):
        rest_cap = sum(caps[i + 1:])
        low = np.maximum(0, total - used - rest_cap)
        high = np.minimum(cap, total - used)
        length = np.maximum(high - low + 1, 0)
        which = np.repeat(np.arange(used.size), length)
        offset = np.arange(length.sum()) - np.repeat(np.cumsum(length) - length, length)
        x = low[which] + offset
        parts = np.column_stack([parts[which], x])
        used = used[which] + x
    last = total - used
    keep = (last >= 0) & (last <= caps[-1])
    return np.column_stack([parts[keep], last[keep]])
