"""Single-arm design of a binomial endpoint: sample size by every standard formula, dropout
inflation, rejection regions, power and operating characteristics."""

from __future__ import annotations

import math
from functools import cache

import numpy as np
from scipy import special

from vah.errors import InputError
from vah.stats.binomial import _binom_pmf, _check_p, check_counts

__all__ = [
    "exact_rejection_region",
    "inflate_for_dropout",
    "operating_characteristics",
    "POWER_METHODS",
    "power_one_proportion",
    "SAMPLE_SIZE_LABELS",
    "SAMPLE_SIZE_METHODS",
    "sample_size_one_proportion",
    "sample_size_table",
    "z_rejection_region",
]


SAMPLE_SIZE_METHODS: tuple[str, ...] = (
    "normal_null_var", "normal_alt_var", "normal_cc", "arcsine",
    "z_test", "z_test_stable", "exact", "exact_stable",
)


SAMPLE_SIZE_LABELS: dict[str, str] = {
    "normal_null_var": "Normal approximation, null variance under H0 and H1 variance for power",
    "normal_alt_var": "Normal approximation, variance p1(1-p1) throughout",
    "normal_cc": "Normal approximation (null variance) with continuity correction",
    "arcsine": "Arcsine square-root transformation",
    "z_test": "Normal (z) test, power from the binomial: smallest n with power >= target",
    "z_test_stable": "Normal (z) test, power from the binomial: smallest n from which power "
                     "stays >= target",
    "exact": "Exact binomial test: smallest n with power >= target",
    "exact_stable": "Exact binomial test: smallest n from which power stays >= target",
}


def _z(alpha: float, power: float) -> tuple[float, float]:
    _check_p(alpha, "alpha")
    _check_p(power, "power")
    return float(special.ndtri(1 - alpha / 2)), float(special.ndtri(power))


def sample_size_one_proportion(p0: float, p1: float, alpha: float = 0.05, power: float = 0.80,
                               method: str = "normal_null_var") -> int:
    """Patients needed to detect p1 against H0: p = p0 with a two-sided test at ``alpha``.

    With ``d = abs(p1 - p0)``, z_a = z(1 - alpha/2), z_b = z(power):

    - ``normal_null_var``: ((z_a sqrt(p0 q0) + z_b sqrt(p1 q1)) / d)^2, rounded up.
    - ``normal_alt_var``: ((z_a + z_b) sqrt(p1 q1) / d)^2.
    - ``normal_cc``: the null-variance n0 with a continuity correction of 1/(2n) on the
      proportion: n0/4 (1 + sqrt(1 + 2/(n0 d)))^2.
    - ``arcsine``: ((z_a + z_b) / h)^2 with
      ``h = abs(2 asin(sqrt p1) - 2 asin(sqrt p0))`` (Cohen's h).
    - ``z_test`` / ``exact``: the smallest n whose z test (null variance) / two-sided exact
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
    za, zb = _z(alpha, power)
    d = abs(p1 - p0)
    v0, v1 = p0 * (1 - p0), p1 * (1 - p1)
    n_null = ((za * math.sqrt(v0) + zb * math.sqrt(v1)) / d) ** 2
    if method == "normal_null_var":
        return _ceil(n_null)
    if method == "normal_alt_var":
        return _ceil(((za + zb) * math.sqrt(v1) / d) ** 2)
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
        ok = np.array([power_one_proportion(int(m), p0, p1, alpha, test) >= power for m in ns])
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


def sample_size_table(p0: float, p1: float, alpha: float = 0.05, power: float = 0.80
                      ) -> dict[str, int]:
    """The sample size by every method of ``SAMPLE_SIZE_METHODS``."""
    return {m: sample_size_one_proportion(p0, p1, alpha, power, m) for m in SAMPLE_SIZE_METHODS}


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
def exact_rejection_region(n: int, p0: float, alpha: float = 0.05) -> tuple[int, ...]:
    """Counts k for which the two-sided exact binomial test of p0 rejects at ``alpha``.

    The two-sided P value of k is the total probability of all counts no more likely than k
    (relative tolerance 1e-7), as in R's ``binom.test`` and scipy's ``binomtest``.
    """
    check_counts(0, n)
    _check_p(p0, "p0")
    _check_p(alpha, "alpha")
    pmf = _binom_pmf(np.arange(n + 1), n, p0)
    order = np.sort(pmf)
    cumulative = np.cumsum(order)
    index = np.searchsorted(order, pmf * (1 + 1e-7), side="right") - 1
    pvalues = np.minimum(1.0, cumulative[index])
    return tuple(int(k) for k in np.flatnonzero(pvalues <= alpha))


@cache
def z_rejection_region(n: int, p0: float, alpha: float = 0.05) -> tuple[int, ...]:
    """Counts k for which the two-sided z test with null variance rejects at ``alpha``:
    ``|k - n p0| >= z(1 - alpha/2) sqrt(n p0 (1 - p0))``."""
    check_counts(0, n)
    _check_p(p0, "p0")
    _check_p(alpha, "alpha")
    k = np.arange(n + 1)
    bound = special.ndtri(1 - alpha / 2) * math.sqrt(n * p0 * (1 - p0))
    return tuple(int(x) for x in np.flatnonzero(np.abs(k - n * p0) >= bound * (1 - 1e-12)))


POWER_METHODS: tuple[str, ...] = ("normal_null_var", "z_test", "exact")


def power_one_proportion(n: int, p0: float, p1, alpha: float = 0.05,
                         method: str = "normal_null_var"):
    """Power of the two-sided one-sample test of p0 when the true rate is p1.

    ``normal_null_var``: the normal approximation behind the sample-size formula.
    ``z_test``: the z test with null variance, power summed exactly over its rejection region.
    ``exact``: the exact binomial test, power summed exactly over its rejection region.
    ``p1`` may be a number (returns a float) or a sequence (returns a NumPy array).
    """
    check_counts(0, n)
    _check_p(p0, "p0")
    _check_p(alpha, "alpha")
    scalar = np.ndim(p1) == 0
    grid = np.atleast_1d(np.asarray(p1, dtype=float))
    for value in grid:
        _check_p(float(value), "p1")
    if method in ("exact", "z_test"):
        regions = exact_rejection_region if method == "exact" else z_rejection_region
        region = np.array(regions(int(n), p0, alpha), dtype=int)
        out = (_binom_pmf(region[:, None], n, grid[None, :]).sum(axis=0)
               if region.size else np.zeros_like(grid))
    elif method == "normal_null_var":
        za = special.ndtri(1 - alpha / 2)
        se0, se1 = math.sqrt(p0 * (1 - p0) / n), np.sqrt(grid * (1 - grid) / n)
        d = grid - p0
        out = special.ndtr((d - za * se0) / se1) + special.ndtr((-d - za * se0) / se1)
    else:
        raise InputError(f"unknown power method {method!r}; choose one of: "
                         f"{', '.join(POWER_METHODS)}")
    return float(out[0]) if scalar else out


def operating_characteristics(n: int, p0: float, p_true_grid, alpha: float = 0.05,
                              n_sim: int = 20000, seed: int = 20200527):
    """Rejection probability of the single-arm design for each true rate, simulated and exact.

    For each p in ``p_true_grid``, ``n_sim`` trials draw k ~ Binomial(n, p) (NumPy Generator
    seeded with ``seed``; both tests see the same draws) and apply the two-sided exact test and
    the z test at ``alpha``. Returns a DataFrame with columns p_true, simulated, mc_se, exact
    (exact test: simulated share, its Monte Carlo standard error, and the exact probability
    from the binomial pmf) and simulated_z, mc_se_z, exact_z (the same for the z test).
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
    for name, fn in (("exact", exact_rejection_region), ("z", z_rejection_region)):
        mask = np.zeros(n + 1, dtype=bool)
        mask[list(fn(int(n), p0, alpha))] = True
        regions[name] = mask
    rows = []
    for p in grid:
        draws = rng.binomial(n, p, size=n_sim)
        row = {"p_true": p}
        for name, suffix, method in (("exact", "", "exact"), ("z", "_z", "z_test")):
            sim = float(regions[name][draws].mean())
            row |= {f"simulated{suffix}": sim,
                    f"mc_se{suffix}": math.sqrt(sim * (1 - sim) / n_sim),
                    f"exact{suffix}": power_one_proportion(n, p0, p, alpha, method)}
        rows.append(row)
    return pd.DataFrame(rows)
