"""Binomial proportions: confidence intervals by many methods, exact tests, sample size, power.

All intervals are two-sided and returned as proportions in [0, 1].
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from vah.errors import InputError

__all__ = [
    "all_cis",
    "check_counts",
    "CI_METHOD_LABELS",
    "CI_METHODS",
    "DIFFERENCE_METHODS",
    "difference_ci",
    "exact_binomial_test",
    "km_loglog_ci",
    "proportion_ci",
    "T_METHODS",
]


def _binom_pmf(k, n: int, p):
    """Binomial probability of k successes in n (k or p may be arrays)."""
    k = np.asarray(k, dtype=float)
    log_pmf = (special.gammaln(n + 1) - special.gammaln(k + 1) - special.gammaln(n - k + 1)
               + special.xlogy(k, p) + special.xlog1py(n - k, -np.asarray(p, dtype=float)))
    return np.exp(log_pmf)


CI_METHODS: tuple[str, ...] = (
    "wald", "wald_cc", "wilson", "wilson_cc", "clopper_pearson", "mid_p", "jeffreys",
    "agresti_coull", "logit", "logit_t", "logit_stata", "arcsine",
)


CI_METHOD_LABELS: dict[str, str] = {
    "wald": "Wald (normal approximation)",
    "wald_cc": "Wald with continuity correction",
    "wilson": "Wilson score",
    "wilson_cc": "Wilson score with continuity correction",
    "clopper_pearson": "Clopper-Pearson exact",
    "mid_p": "Mid-p exact",
    "jeffreys": "Jeffreys (Bayesian, Beta(1/2, 1/2) prior)",
    "agresti_coull": "Agresti-Coull",
    "logit": "Logit (normal critical value)",
    "logit_t": "Logit (Student t critical value)",
    "logit_stata": "Logit as Stata's proportion (SE of a mean, Student t)",
    "arcsine": "Arcsine square-root",
}


T_METHODS: tuple[str, ...] = ("logit_t", "logit_stata")


"""The methods that use a Student t critical value, and so accept ``df``."""


def check_counts(k: int, n: int) -> None:
    """Refuse anything but whole counts with 0 <= k <= n and n >= 1."""
    for name, value in (("k", k), ("n", n)):
        if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
            raise InputError(f"{name} must be a whole number of patients, got {value!r}")
        if not float(value).is_integer():
            raise InputError(f"{name} must be a whole number of patients, got {value!r}")
    if n < 1:
        raise InputError(f"n must be at least 1, got {n}")
    if not 0 <= k <= n:
        raise InputError(f"k must lie between 0 and n = {n}, got {k}")


def _check_level(level: float) -> float:
    if isinstance(level, bool) or not isinstance(level, int | float | np.floating) \
            or not 0 < level < 1:
        raise InputError(f"level must lie strictly between 0 and 1, got {level!r}")
    return float(special.ndtri(0.5 + level / 2))


def _check_df(df: int | None, n: int) -> int:
    """Degrees of freedom of the t methods: n - 1 unless given."""
    if df is None:
        return n - 1
    if isinstance(df, bool) or not float(df).is_integer() or df < 1:
        raise InputError(f"df must be a whole number of at least 1, got {df!r}")
    return int(df)


def _clip(low: float, high: float) -> tuple[float, float]:
    return max(0.0, float(low)), min(1.0, float(high))


def proportion_ci(k: int, n: int, method: str = "wilson", level: float = 0.95, *,
                  df: int | None = None) -> tuple[float, float]:
    """Two-sided confidence interval for k/n by ``method`` (see ``CI_METHODS``), as proportions.

    Methods, with what each does at k = 0 and k = n:

    - ``wald``: p +- z sqrt(p(1-p)/n), clipped to [0, 1]; at k = 0 or n it collapses to a point.
    - ``wald_cc``: Wald widened by 1/(2n) each side, clipped.
    - ``wilson``: Wilson score interval (defined everywhere; it reaches 0 at k = 0, 1 at k = n).
    - ``wilson_cc``: Newcombe's (1998) score interval with continuity correction; the bound at
      the edge is set to 0 (k = 0) or 1 (k = n), as Newcombe does.
    - ``clopper_pearson``: exact, from beta quantiles; lower 0 at k = 0, upper 1 at k = n.
    - ``mid_p``: exact mid-p; lower 0 at k = 0, upper 1 at k = n.
    - ``jeffreys``: equal-tailed Beta(k + 1/2, n - k + 1/2) interval; lower 0 at k = 0 and
      upper 1 at k = n (Brown, Cai & DasGupta 2001; statsmodels gives a positive lower bound).
    - ``agresti_coull``: Wald on (k + z^2/2)/(n + z^2), clipped to [0, 1].
    - ``logit``: logit(p) +- z / sqrt(n p (1-p)), back-transformed.
    - ``logit_t``: the same with a Student t critical value on ``df`` (default n - 1) degrees of
      freedom.
    - ``logit_stata``: Stata's ``proportion`` (its default logit interval): the standard error
      is that of a mean of 0/1 values, sqrt(p(1-p)/(n-1)), and the critical value is t on
      ``df`` degrees of freedom. Stata takes df = N - 1 of the whole estimation sample, so a
      subgroup estimated with ``over()`` uses the full cohort's df: pass ``df=N - 1``.
    - ``arcsine``: asin(sqrt p) +- z/(2 sqrt n), truncated to [0, pi/2], back-transformed.

    The three logit intervals are undefined at k = 0 and k = n (infinite logit); there they
    return the Clopper-Pearson interval instead. Stata prints no interval there at all.
    """
    check_counts(k, n)
    z = _check_level(level)
    alpha = 1 - level
    if df is not None and method not in T_METHODS:
        raise InputError(f"df applies only to the t methods ({', '.join(T_METHODS)}), "
                         f"not to {method!r}")
    p = k / n
    if method == "wald":
        half = z * math.sqrt(p * (1 - p) / n)
        return _clip(p - half, p + half)
    if method == "wald_cc":
        half = z * math.sqrt(p * (1 - p) / n) + 1 / (2 * n)
        return _clip(p - half, p + half)
    if method == "wilson":
        centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
        half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
        return _clip(centre - half, centre + half)
    if method == "wilson_cc":
        return _wilson_cc(k, n, z)
    if method == "clopper_pearson":
        low = 0.0 if k == 0 else special.betaincinv(k, n - k + 1, alpha / 2)
        high = 1.0 if k == n else special.betaincinv(k + 1, n - k, 1 - alpha / 2)
        return float(low), float(high)
    if method == "mid_p":
        return _mid_p(k, n, alpha)
    if method == "jeffreys":
        low = 0.0 if k == 0 else special.betaincinv(k + 0.5, n - k + 0.5, alpha / 2)
        high = 1.0 if k == n else special.betaincinv(k + 0.5, n - k + 0.5, 1 - alpha / 2)
        return float(low), float(high)
    if method == "agresti_coull":
        n_tilde = n + z**2
        p_tilde = (k + z**2 / 2) / n_tilde
        half = z * math.sqrt(p_tilde * (1 - p_tilde) / n_tilde)
        return _clip(p_tilde - half, p_tilde + half)
    if method in ("logit", "logit_t", "logit_stata"):
        dof = _check_df(df, n) if method in T_METHODS else 0
        if k in (0, n):
            return proportion_ci(k, n, "clopper_pearson", level)
        crit = z if method == "logit" else float(special.stdtrit(dof, 0.5 + level / 2))
        centre = math.log(p / (1 - p))
        se_p = math.sqrt(p * (1 - p) / (n - 1 if method == "logit_stata" else n))
        half = crit * se_p / (p * (1 - p))
        return _expit(centre - half), _expit(centre + half)
    if method == "arcsine":
        centre = math.asin(math.sqrt(p))
        half = z / (2 * math.sqrt(n))
        return (math.sin(max(0.0, centre - half)) ** 2,
                math.sin(min(math.pi / 2, centre + half)) ** 2)
    raise InputError(f"unknown CI method {method!r}; choose one of: {', '.join(CI_METHODS)}")


def _expit(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _wilson_cc(k: int, n: int, z: float) -> tuple[float, float]:
    """Newcombe (1998), method 4: Wilson score interval with continuity correction."""
    p, q = k / n, 1 - k / n
    denom = 2 * (n + z**2)
    low = 0.0 if k == 0 else (
        2 * n * p + z**2 - 1 - z * math.sqrt(z**2 - 2 - 1 / n + 4 * p * (n * q + 1))) / denom
    high = 1.0 if k == n else (
        2 * n * p + z**2 + 1 + z * math.sqrt(z**2 + 2 - 1 / n + 4 * p * (n * q - 1))) / denom
    return _clip(low, high)


def _mid_p(k: int, n: int, alpha: float) -> tuple[float, float]:
    """Mid-p interval: P(X > k) + P(X = k)/2 = alpha/2 (and the mirror), solved by root finding."""
    from scipy.optimize import brentq

    def upper_tail(pi: float) -> float:
        return special.bdtrc(k, n, pi) + 0.5 * _binom_pmf(k, n, pi) - alpha / 2

    def lower_tail(pi: float) -> float:
        below = 0.0 if k == 0 else special.bdtr(k - 1, n, pi)
        return below + 0.5 * _binom_pmf(k, n, pi) - alpha / 2

    eps = 1e-12
    low = 0.0 if k == 0 else brentq(upper_tail, eps, 1 - eps)
    high = 1.0 if k == n else brentq(lower_tail, eps, 1 - eps)
    return float(low), float(high)


def all_cis(k: int, n: int, level: float = 0.95, *, df: int | None = None
            ) -> dict[str, tuple[float, float]]:
    """The interval of every method in ``CI_METHODS``; ``df`` goes to the t methods only."""
    return {method: proportion_ci(k, n, method, level,
                                  df=df if method in T_METHODS else None)
            for method in CI_METHODS}


#: Methods of ``difference_ci``.
DIFFERENCE_METHODS: tuple[str, ...] = ("newcombe", "wald")


def difference_ci(k1: int, n1: int, k2: int, n2: int, method: str = "newcombe",
                  level: float = 0.95) -> tuple[float, float]:
    """Two-sided confidence interval for the difference of two independent proportions,
    k1/n1 - k2/n2, as proportions in [-1, 1].

    - ``newcombe``: Newcombe's (1998) hybrid score interval (his method 10), built from the two
      Wilson intervals (l1, u1) and (l2, u2): d - sqrt((p1 - l1)^2 + (u2 - p2)^2) to
      d + sqrt((u1 - p1)^2 + (p2 - l2)^2), clipped to [-1, 1]. Defined at 0 and n, and good
      in small samples.
    - ``wald``: d +- z sqrt(p1(1-p1)/n1 + p2(1-p2)/n2), clipped to [-1, 1].

    >>> [round(x, 4) for x in difference_ci(56, 70, 48, 80)]  # Newcombe 1998, Table II
    [0.0524, 0.3339]
    """
    check_counts(k1, n1)
    check_counts(k2, n2)
    z = _check_level(level)
    p1, p2 = k1 / n1, k2 / n2
    d = p1 - p2
    if method == "newcombe":
        l1, u1 = proportion_ci(k1, n1, "wilson", level)
        l2, u2 = proportion_ci(k2, n2, "wilson", level)
        return (max(-1.0, d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)),
                min(1.0, d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)))
    if method == "wald":
        half = z * math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
        return max(-1.0, d - half), min(1.0, d + half)
    raise InputError(f"unknown difference CI method {method!r}; choose one of: "
                     f"{', '.join(DIFFERENCE_METHODS)}")


def km_loglog_ci(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Kaplan-Meier survival k/n with no censoring, and its log-log (exponential Greenwood) CI.

    Without censoring the Greenwood variance of S = k/n is S(1-S)/n; the interval is
    S ** exp(±z se / log S) with se the standard error of log(-log S). This is the default of
    Stata's ``sts list`` and of lifelines.
    """
    check_counts(k, n)
    z = _check_level(level)
    s = k / n
    if k in (0, n):
        return (s, s)
    se_log_s = math.sqrt((1 - s) / (n * s))  # Greenwood: sum d/(n(n-d)) = (1-S)/(nS)
    theta = se_log_s / math.log(s)
    return s ** math.exp(-z * theta), s ** math.exp(z * theta)


def exact_binomial_test(k: int, n: int, p0: float, alternative: str = "two-sided") -> float:
    """Exact binomial test of H0: p = p0.

    Two-sided as R's ``binom.test``: the probability of every count no more likely than k
    (relative tolerance 1e-7). ``greater`` and ``less`` are the one-sided tails.
    """
    check_counts(k, n)
    _check_p(p0, "p0")
    if alternative not in ("two-sided", "greater", "less"):
        raise InputError(f"alternative must be two-sided, greater or less, got {alternative!r}")
    if alternative == "greater":  # P(X >= k)
        return 1.0 if k == 0 else float(special.bdtrc(k - 1, n, p0))
    if alternative == "less":  # P(X <= k)
        return float(special.bdtr(k, n, p0))
    pmf = _binom_pmf(np.arange(n + 1), n, p0)
    return float(min(1.0, pmf[pmf <= pmf[int(k)] * (1 + 1e-7)].sum()))


def _check_p(p: float, name: str) -> None:
    if isinstance(p, bool) or not isinstance(p, int | float | np.integer | np.floating) \
            or not 0 < p < 1:
        raise InputError(f"{name} must lie strictly between 0 and 1, got {p!r}")
