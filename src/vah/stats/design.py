"""Single-arm design of a binomial endpoint: sample size by every standard formula, dropout
inflation, rejection regions, power and operating characteristics, for the two-sided test and
the one-sided tests (``alternative="greater"`` or ``"less"``).

``alpha`` is always the level of the test named by ``alternative``. The normal two-sided test
at 0.05 puts 0.025 in each tail, with the critical value z(0.975) of the one-sided test at
0.025; the exact two-sided test can put more than half its level in one tail.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
from scipy import special

from vah.errors import InputError
from vah.stats.binomial import _binom_pmf, _check_p, check_counts

__all__ = [
    "ALTERNATIVES",
    "exact_rejection_region",
    "inflate_for_dropout",
    "operating_characteristics",
    "POWER_METHODS",
    "power_by_direction",
    "power_one_proportion",
    "SAMPLE_SIZE_LABELS",
    "SAMPLE_SIZE_METHODS",
    "sample_size_one_proportion",
    "sample_size_table",
    "z_rejection_region",
]


SAMPLE_SIZE_METHODS: tuple[str, ...] = (
    "normal_null_var", "normal_alt_var", "normal_mean_var", "normal_cc", "arcsine",
    "z_test", "z_test_stable", "exact", "exact_stable",
)


SAMPLE_SIZE_LABELS: dict[str, str] = {
    "normal_null_var": "Normal approximation, null variance under H0 and H1 variance for power",
    "normal_alt_var": "Normal approximation, variance p1(1-p1) throughout",
    "normal_cc": "Normal approximation (null variance) with continuity correction",
    "arcsine": "Arcsine square-root transformation",
    "normal_mean_var": "Normal approximation, variance at the mean of p0 and p1",
    "z_test": "Normal (z) test, power from the binomial: smallest n with power >= target",
    "z_test_stable": "Normal (z) test, power from the binomial: smallest n from which power "
                     "stays >= target",
    "exact": "Exact binomial test: smallest n with power >= target",
    "exact_stable": "Exact binomial test: smallest n from which power stays >= target",
}


#: The alternatives of every test here: H1 p != p0, p > p0, p < p0 (as R and scipy name them).
ALTERNATIVES: tuple[str, ...] = ("two-sided", "greater", "less")


def _check_alternative(alternative: str) -> str:
    if alternative not in ALTERNATIVES:
        raise InputError(f"alternative must be one of {', '.join(ALTERNATIVES)}, "
                         f"got {alternative!r}")
    return alternative


def _z_alpha(alpha: float, alternative: str) -> float:
    """The critical value: z(1 - alpha/2) two-sided, z(1 - alpha) one-sided."""
    _check_p(alpha, "alpha")
    tail = alpha / 2 if _check_alternative(alternative) == "two-sided" else alpha
    return float(special.ndtri(1 - tail))


def _z(alpha: float, power: float, alternative: str = "two-sided") -> tuple[float, float]:
    za = _z_alpha(alpha, alternative)
    _check_p(power, "power")
    return za, float(special.ndtri(power))


@cache  # a pure function of its arguments; the ledger asks it the same questions for every copy
def sample_size_one_proportion(p0: float, p1: float, alpha: float = 0.05, power: float = 0.80,
                               method: str = "normal_null_var",
                               alternative: str = "two-sided") -> int:
    """Patients needed to detect p1 against H0: p = p0 with a test at level ``alpha``.

    ``alternative`` is ``two-sided`` (the default), or ``greater`` / ``less`` for the one-sided
    test of H0: p <= p0 / p >= p0, which needs p1 on the side it looks at. With
    ``d = abs(p1 - p0)``, z_a = z(1 - alpha/2) two-sided or z(1 - alpha) one-sided,
    z_b = z(power):

    - ``normal_null_var``: ((z_a sqrt(p0 q0) + z_b sqrt(p1 q1)) / d)^2, rounded up.
    - ``normal_alt_var``: ((z_a + z_b) sqrt(p1 q1) / d)^2.
    - ``normal_mean_var``: ((z_a + z_b) sqrt(pm qm) / d)^2 with pm = (p0 + p1) / 2 (the
      variance at the mean rate, as some calculators use).
    - ``normal_cc``: the null-variance n0 with a continuity correction of 1/(2n) on the
      proportion: n0/4 (1 + sqrt(1 + 2/(n0 d)))^2.
    - ``arcsine``: ((z_a + z_b) / h)^2 with
      ``h = abs(2 asin(sqrt p1) - 2 asin(sqrt p0))`` (Cohen's h).
    - ``z_test`` / ``exact``: the smallest n whose z test (null variance) / exact binomial
      test has power >= ``power`` computed exactly from the binomial distribution. Exact power
      zig-zags with n, so a larger n can fall below the target again.
    - ``z_test_stable`` / ``exact_stable``: the smallest n from which the power stays at or
      above the target for every larger n up to 2 x the normal-approximation n + 100 (the
      zig-zag shrinks as n grows).
    """
    _check_p(p0, "p0")
    _check_p(p1, "p1")
    if p0 == p1:
        raise InputError("p1 must differ from p0")
    if (alternative == "greater" and p1 < p0) or (alternative == "less" and p1 > p0):
        raise InputError(f"p1 = {p1} lies on the wrong side of p0 = {p0} for alternative "
                         f"{alternative!r}")
    za, zb = _z(alpha, power, alternative)
    d = abs(p1 - p0)
    v0, v1 = p0 * (1 - p0), p1 * (1 - p1)
    n_null = ((za * math.sqrt(v0) + zb * math.sqrt(v1)) / d) ** 2
    if method == "normal_null_var":
        return _ceil(n_null)
    if method == "normal_alt_var":
        return _ceil(((za + zb) * math.sqrt(v1) / d) ** 2)
    if method == "normal_mean_var":
        mean = (p0 + p1) / 2
        return _ceil(((za + zb) * math.sqrt(mean * (1 - mean)) / d) ** 2)
    if method == "normal_cc":
        return _ceil(n_null / 4 * (1 + math.sqrt(1 + 2 / (n_null * d))) ** 2)
    if method == "arcsine":
        h = abs(2 * math.asin(math.sqrt(p1)) - 2 * math.asin(math.sqrt(p0)))
        return _ceil(((za + zb) / h) ** 2)
    if method in ("exact", "exact_stable", "z_test", "z_test_stable"):
        test = method.removesuffix("_stable")
        n_alt = ((za + zb) * math.sqrt(v1) / d) ** 2
        start = max(1, math.floor(min(n_null, n_alt) / 2))
        stop = 2 * _ceil(max(n_null, n_alt)) + 100
        ns = np.arange(start, stop + 1)
        ok = np.array([power_one_proportion(int(m), p0, p1, alpha, test, alternative) >= power
                       for m in ns])
        if not ok.any():
            raise InputError(f"no n up to {stop} reaches the requested power")
        if not method.endswith("_stable"):
            return int(ns[np.argmax(ok)])
        if not ok[-1]:
            raise InputError(f"the power still falls below the target at n = {stop}")
        fails = np.flatnonzero(~ok)
        return int(ns[fails[-1] + 1]) if fails.size else int(ns[0])
    raise InputError(f"unknown sample-size method {method!r}; choose one of: "
                     f"{', '.join(SAMPLE_SIZE_METHODS)}")


def _ceil(x: float) -> int:
    """Round up, ignoring floating-point dust (86.0000000001 is 86)."""
    return math.ceil(round(x, 9))


def sample_size_table(p0: float, p1: float, alpha: float = 0.05, power: float = 0.80,
                      alternative: str = "two-sided") -> dict[str, int]:
    """The sample size by every method of ``SAMPLE_SIZE_METHODS``, for the test named by
    ``alternative`` at level ``alpha``."""
    return {m: sample_size_one_proportion(p0, p1, alpha, power, m, alternative)
            for m in SAMPLE_SIZE_METHODS}


def inflate_for_dropout(n: int, dropout: float, rule: str = "divide") -> int:
    """Enrolment that leaves ``n`` evaluable patients when a fraction ``dropout`` drops out.

    ``divide`` (the standard rule): ceil(n / (1 - dropout)). ``multiply``: ceil(n (1 + dropout)),
    a common shortcut that enrols slightly too few (87 x 1.1 = 95.7 -> 96, where 87 / 0.9 = 96.7
    -> 97).
    """
    check_counts(0, n)
    if isinstance(dropout, bool) or not 0 <= dropout < 1:
        raise InputError(f"dropout must lie in [0, 1), got {dropout!r}")
    if rule == "divide":
        return _ceil(n / (1 - dropout))
    if rule == "multiply":
        return _ceil(n * (1 + dropout))
    raise InputError(f"unknown dropout rule {rule!r}; choose divide or multiply")


@cache
def exact_rejection_region(n: int, p0: float, alpha: float = 0.05,
                           alternative: str = "two-sided") -> tuple[int, ...]:
    """Counts k for which the exact binomial test of p0 rejects at ``alpha``.

    The two-sided P value of k is the total probability of all counts no more likely than k
    (relative tolerance 1e-7), as in R's ``binom.test`` and scipy's ``binomtest``. One-sided,
    ``greater`` rejects when P(X >= k) <= alpha and ``less`` when P(X <= k) <= alpha, X being
    Binomial(n, p0).
    """
    check_counts(0, n)
    _check_p(p0, "p0")
    _check_p(alpha, "alpha")
    k = np.arange(n + 1)
    if _check_alternative(alternative) == "greater":
        tail = np.where(k == 0, 1.0, special.bdtrc(np.maximum(k - 1, 0), n, p0))
        return tuple(int(x) for x in np.flatnonzero(tail <= alpha))
    if alternative == "less":
        return tuple(int(x) for x in np.flatnonzero(special.bdtr(k, n, p0) <= alpha))
    pmf = _binom_pmf(k, n, p0)
    order = np.sort(pmf)
    cumulative = np.cumsum(order)
    index = np.searchsorted(order, pmf * (1 + 1e-7), side="right") - 1
    pvalues = np.minimum(1.0, cumulative[index])
    return tuple(int(k) for k in np.flatnonzero(pvalues <= alpha))


@cache
def z_rejection_region(n: int, p0: float, alpha: float = 0.05,
                       alternative: str = "two-sided") -> tuple[int, ...]:
    """Counts k for which the z test with null variance rejects at ``alpha``: two-sided
    ``|k - n p0| >= z(1 - alpha/2) sqrt(n p0 (1 - p0))``; ``greater``
    ``k - n p0 >= z(1 - alpha) sqrt(n p0 (1 - p0))``; ``less`` the mirror image."""
    check_counts(0, n)
    _check_p(p0, "p0")
    k = np.arange(n + 1)
    bound = _z_alpha(alpha, alternative) * math.sqrt(n * p0 * (1 - p0)) * (1 - 1e-12)
    distance = {"two-sided": np.abs(k - n * p0), "greater": k - n * p0,
                "less": n * p0 - k}[alternative]
    return tuple(int(x) for x in np.flatnonzero(distance >= bound))


POWER_METHODS: tuple[str, ...] = ("normal_null_var", "z_test", "exact")


def _grid(p1) -> tuple[bool, np.ndarray]:
    grid = np.atleast_1d(np.asarray(p1, dtype=float))
    for value in grid:
        _check_p(float(value), "p1")
    return np.ndim(p1) == 0, grid


def _region_power(region: tuple[int, ...], n: int, grid: np.ndarray) -> np.ndarray:
    """P(K in region) for K ~ Binomial(n, p), p over the grid."""
    counts = np.array(region, dtype=int)
    return (_binom_pmf(counts[:, None], n, grid[None, :]).sum(axis=0)
            if counts.size else np.zeros_like(grid))


def power_one_proportion(n: int, p0: float, p1, alpha: float = 0.05,
                         method: str = "normal_null_var", alternative: str = "two-sided"):
    """Power of the one-sample test of p0 at level ``alpha`` when the true rate is p1.

    ``alternative``: ``two-sided`` (the default; a rejection in either direction counts),
    ``greater`` (H0: p <= p0, only a rejection above p0 counts) or ``less``.
    ``normal_null_var``: the normal approximation behind the sample-size formula.
    ``z_test``: the z test with null variance, power summed exactly over its rejection region.
    ``exact``: the exact binomial test, power summed exactly over its rejection region.
    ``p1`` may be a number (returns a float) or a sequence (returns a NumPy array).
    """
    check_counts(0, n)
    _check_p(p0, "p0")
    _check_p(alpha, "alpha")
    _check_alternative(alternative)
    scalar, grid = _grid(p1)
    if method in ("exact", "z_test"):
        regions = exact_rejection_region if method == "exact" else z_rejection_region
        out = _region_power(regions(int(n), p0, alpha, alternative), int(n), grid)
    elif method == "normal_null_var":
        za = _z_alpha(alpha, alternative)
        se0, se1 = math.sqrt(p0 * (1 - p0) / n), np.sqrt(grid * (1 - grid) / n)
        d = grid - p0
        above = special.ndtr((d - za * se0) / se1)
        below = special.ndtr((-d - za * se0) / se1)
        out = {"two-sided": above + below, "greater": above, "less": below}[alternative]
    else:
        raise InputError(f"unknown power method {method!r}; choose one of: "
                         f"{', '.join(POWER_METHODS)}")
    return float(out[0]) if scalar else out


def power_by_direction(n: int, p0: float, p1, alpha: float = 0.05,
                       method: str = "exact") -> dict[str, float | np.ndarray]:
    """The two-sided test's rejection probability at true rate p1, split by direction.

    ``greater``: P(the test rejects with k > n p0), a rejection in favour of a higher rate;
    ``less``: P(it rejects with k < n p0). They add up to the two-sided power of
    ``power_one_proportion``. ``method`` is ``exact`` or ``z_test``; ``p1`` a number or a
    sequence, as there.
    """
    check_counts(0, n)
    _check_p(p0, "p0")
    if method not in ("exact", "z_test"):
        raise InputError(f"unknown power method {method!r}; choose exact or z_test")
    scalar, grid = _grid(p1)
    regions = exact_rejection_region if method == "exact" else z_rejection_region
    region = regions(int(n), p0, alpha, "two-sided")
    out = {side: _region_power(tuple(k for k in region if (k > n * p0) == (side == "greater")),
                               int(n), grid) for side in ("greater", "less")}
    return {side: float(v[0]) if scalar else v for side, v in out.items()}


def operating_characteristics(n: int, p0: float, p_true_grid, alpha: float = 0.05,
                              n_sim: int = 20000, seed: int = 20200527,
                              alternative: str = "two-sided"):
    """Rejection probability of the single-arm design for each true rate, simulated and exact.

    For each p in ``p_true_grid``, ``n_sim`` trials draw k ~ Binomial(n, p) (NumPy Generator
    seeded with ``seed``; both tests see the same draws, whatever the alternative) and apply
    the exact test and the z test at level ``alpha`` against ``alternative``. Returns a
    DataFrame with columns p_true, simulated, mc_se, exact (exact test: simulated share, its
    Monte Carlo standard error, and the exact probability from the binomial pmf),
    simulated_z, mc_se_z, exact_z (the same for the z test) and normal (the normal
    approximation to the power behind the sample-size formula).
    """
    import pandas as pd

    check_counts(0, n)
    _check_p(p0, "p0")
    if isinstance(n_sim, bool) or not isinstance(n_sim, int | np.integer) or n_sim < 1:
        raise InputError(f"n_sim must be a whole number of at least 1, got {n_sim!r}")
    grid = [float(p) for p in np.atleast_1d(np.asarray(p_true_grid, dtype=float))]
    for p in grid:
        _check_p(p, "p_true_grid")
    rng = np.random.default_rng(seed)
    regions = {}
    _check_alternative(alternative)
    for name, fn in (("exact", exact_rejection_region), ("z", z_rejection_region)):
        mask = np.zeros(n + 1, dtype=bool)
        mask[list(fn(int(n), p0, alpha, alternative))] = True
        regions[name] = mask
    rows = []
    for p in grid:
        draws = rng.binomial(n, p, size=n_sim)
        row = {"p_true": p}
        for name, suffix, method in (("exact", "", "exact"), ("z", "_z", "z_test")):
            sim = float(regions[name][draws].mean())
            row |= {f"simulated{suffix}": sim,
                    f"mc_se{suffix}": math.sqrt(sim * (1 - sim) / n_sim),
                    f"exact{suffix}": power_one_proportion(n, p0, p, alpha, method, alternative)}
        row["normal"] = power_one_proportion(n, p0, p, alpha, "normal_null_var", alternative)
        rows.append(row)
    return pd.DataFrame(rows)
