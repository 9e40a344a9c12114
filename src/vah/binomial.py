"""Binomial proportions: confidence intervals by many methods, exact tests, sample size, power.

All intervals are two-sided and returned as proportions in [0, 1].
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
from scipy import stats

from vah.errors import InputError

CI_METHODS: tuple[str, ...] = (
    "wald", "wald_cc", "wilson", "wilson_cc", "clopper_pearson", "mid_p", "jeffreys",
    "agresti_coull", "logit", "logit_t", "arcsine",
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
    "logit_t": "Logit (Student t critical value, as Stata's proportion)",
    "arcsine": "Arcsine square-root",
}


def check_counts(k: int, n: int) -> None:
    """Refuse anything but whole counts with 0 <= k <= n and n >= 1."""
    for name, value in (("k", k), ("n", n)):
        if isinstance(value, bool) or not float(value).is_integer():
            raise InputError(f"{name} must be a whole number of patients, got {value!r}")
    if n < 1:
        raise InputError(f"n must be at least 1, got {n}")
    if not 0 <= k <= n:
        raise InputError(f"k must lie between 0 and n = {n}, got {k}")


def _check_level(level: float) -> float:
    if not 0 < level < 1:
        raise InputError(f"level must lie strictly between 0 and 1, got {level}")
    return stats.norm.ppf(0.5 + level / 2)


def _clip(low: float, high: float) -> tuple[float, float]:
    return max(0.0, float(low)), min(1.0, float(high))


def proportion_ci(k: int, n: int, method: str = "wilson", level: float = 0.95
                  ) -> tuple[float, float]:
    """Two-sided confidence interval for k/n by ``method`` (see ``CI_METHODS``).

    At k = 0 or k = n the logit intervals are undefined; they return the Clopper-Pearson bound
    there. Wald-type intervals are clipped to [0, 1].
    """
    check_counts(k, n)
    z = _check_level(level)
    alpha = 1 - level
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
        low = 0.0 if k == 0 else stats.beta.ppf(alpha / 2, k, n - k + 1)
        high = 1.0 if k == n else stats.beta.ppf(1 - alpha / 2, k + 1, n - k)
        return float(low), float(high)
    if method == "mid_p":
        return _mid_p(k, n, alpha)
    if method == "jeffreys":
        low = 0.0 if k == 0 else stats.beta.ppf(alpha / 2, k + 0.5, n - k + 0.5)
        high = 1.0 if k == n else stats.beta.ppf(1 - alpha / 2, k + 0.5, n - k + 0.5)
        return float(low), float(high)
    if method == "agresti_coull":
        n_tilde = n + z**2
        p_tilde = (k + z**2 / 2) / n_tilde
        half = z * math.sqrt(p_tilde * (1 - p_tilde) / n_tilde)
        return _clip(p_tilde - half, p_tilde + half)
    if method in ("logit", "logit_t"):
        if k in (0, n):
            return proportion_ci(k, n, "clopper_pearson", level)
        crit = z if method == "logit" else stats.t.ppf(0.5 + level / 2, n - 1)
        centre = math.log(p / (1 - p))
        half = crit / math.sqrt(n * p * (1 - p))
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
        return stats.binom.sf(k, n, pi) + 0.5 * stats.binom.pmf(k, n, pi) - alpha / 2

    def lower_tail(pi: float) -> float:
        return stats.binom.cdf(k - 1, n, pi) + 0.5 * stats.binom.pmf(k, n, pi) - alpha / 2

    eps = 1e-12
    low = 0.0 if k == 0 else brentq(upper_tail, eps, 1 - eps)
    high = 1.0 if k == n else brentq(lower_tail, eps, 1 - eps)
    return float(low), float(high)


def all_cis(k: int, n: int, level: float = 0.95) -> dict[str, tuple[float, float]]:
    """The interval of every method in ``CI_METHODS``."""
    return {method: proportion_ci(k, n, method, level) for method in CI_METHODS}


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
    """Exact binomial test of H0: p = p0 (two-sided as R's binom.test)."""
    check_counts(k, n)
    _check_p(p0, "p0")
    if alternative not in ("two-sided", "greater", "less"):
        raise InputError(f"alternative must be two-sided, greater or less, got {alternative!r}")
    return float(stats.binomtest(k, n, p0, alternative=alternative).pvalue)


def _check_p(p: float, name: str) -> None:
    if not 0 < p < 1:
        raise InputError(f"{name} must lie strictly between 0 and 1, got {p}")


SAMPLE_SIZE_METHODS: tuple[str, ...] = (
    "normal_null_var", "normal_alt_var", "normal_cc", "arcsine", "exact", "exact_stable",
)
SAMPLE_SIZE_LABELS: dict[str, str] = {
    "normal_null_var": "Normal approximation, null variance under H0 and H1 variance for power",
    "normal_alt_var": "Normal approximation, variance p1(1-p1) throughout",
    "normal_cc": "Normal approximation (null variance) with continuity correction",
    "arcsine": "Arcsine square-root transformation",
    "exact": "Exact binomial test: smallest n with power >= target",
    "exact_stable": "Exact binomial test: smallest n from which power stays >= target",
}


def _z(alpha: float, power: float) -> tuple[float, float]:
    _check_p(alpha, "alpha")
    _check_p(power, "power")
    return stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)


def sample_size_one_proportion(p0: float, p1: float, alpha: float = 0.05, power: float = 0.80,
                               method: str = "normal_null_var") -> int:
    """Patients needed to detect p1 against H0: p = p0 with a two-sided test at ``alpha``."""
    _check_p(p0, "p0")
    _check_p(p1, "p1")
    if p0 == p1:
        raise InputError("p1 must differ from p0")
    za, zb = _z(alpha, power)
    d = abs(p1 - p0)
    v0, v1 = p0 * (1 - p0), p1 * (1 - p1)
    if method == "normal_null_var":
        return math.ceil(((za * math.sqrt(v0) + zb * math.sqrt(v1)) / d) ** 2)
    if method == "normal_alt_var":
        return math.ceil(((za + zb) * math.sqrt(v1) / d) ** 2)
    if method == "normal_cc":
        n = ((za * math.sqrt(v0) + zb * math.sqrt(v1)) / d) ** 2
        return math.ceil(n / 4 * (1 + math.sqrt(1 + 2 / (n * d))) ** 2)
    if method == "arcsine":
        h = abs(2 * math.asin(math.sqrt(p1)) - 2 * math.asin(math.sqrt(p0)))
        return math.ceil(((za + zb) / h) ** 2)
    if method in ("exact", "exact_stable"):
        start = max(2, sample_size_one_proportion(p0, p1, alpha, power, "normal_alt_var") // 2)
        powers = {n: power_one_proportion(n, p0, p1, alpha, "exact") for n in range(start, 400)}
        ok = [n for n, pw in powers.items() if pw >= power]
        if not ok:
            raise InputError("no n below 400 reaches the requested power")
        if method == "exact":
            return ok[0]
        return next(n for n in ok if all(powers[m] >= power for m in range(n, 400)))
    raise InputError(f"unknown sample-size method {method!r}; choose one of: "
                     f"{', '.join(SAMPLE_SIZE_METHODS)}")


def sample_size_table(p0: float, p1: float, alpha: float = 0.05, power: float = 0.80
                      ) -> dict[str, int]:
    """The sample size by every method of ``SAMPLE_SIZE_METHODS``."""
    return {m: sample_size_one_proportion(p0, p1, alpha, power, m) for m in SAMPLE_SIZE_METHODS}


def inflate_for_dropout(n: int, dropout: float) -> int:
    """Enrolment that leaves ``n`` evaluable patients when a fraction ``dropout`` drops out."""
    if not 0 <= dropout < 1:
        raise InputError(f"dropout must lie in [0, 1), got {dropout}")
    return math.ceil(round(n / (1 - dropout), 9))


@cache
def exact_rejection_region(n: int, p0: float, alpha: float = 0.05) -> tuple[int, ...]:
    """Counts k for which the two-sided exact binomial test of p0 rejects at ``alpha``.

    The two-sided P value of k is the total probability of all counts no more likely than k
    (relative tolerance 1e-7), as in R's ``binom.test`` and scipy's ``binomtest``.
    """
    pmf = stats.binom.pmf(np.arange(n + 1), n, p0)
    order = np.sort(pmf)
    cumulative = np.cumsum(order)
    index = np.searchsorted(order, pmf * (1 + 1e-7), side="right") - 1
    pvalues = np.minimum(1.0, cumulative[index])
    return tuple(int(k) for k in np.flatnonzero(pvalues <= alpha))


def power_one_proportion(n: int, p0: float, p1: float, alpha: float = 0.05,
                         method: str = "normal_null_var") -> float:
    """Power of the two-sided one-sample test of p0 when the true rate is p1."""
    check_counts(0, n)
    _check_p(p0, "p0")
    _check_p(p1, "p1")
    if method == "exact":
        region = np.array(exact_rejection_region(n, p0, alpha), dtype=int)
        return float(stats.binom.pmf(region, n, p1).sum()) if region.size else 0.0
    if method == "normal_null_var":
        za = stats.norm.ppf(1 - alpha / 2)
        se0, se1 = math.sqrt(p0 * (1 - p0) / n), math.sqrt(p1 * (1 - p1) / n)
        d = p1 - p0
        return float(stats.norm.cdf((d - za * se0) / se1) + stats.norm.cdf((-d - za * se0) / se1))
    raise InputError(f"unknown power method {method!r}; choose normal_null_var or exact")


def operating_characteristics(n: int, p0: float, p_true: list[float], alpha: float = 0.05,
                              n_sim: int = 20000, seed: int = 20200527):
    """Rejection probability of the exact test for each true rate: simulated and exact.

    Returns a DataFrame with columns p_true, simulated, mc_se, exact.
    """
    import pandas as pd

    rng = np.random.default_rng(seed)
    region = np.zeros(n + 1, dtype=bool)
    region[list(exact_rejection_region(n, p0, alpha))] = True
    rows = []
    for p in p_true:
        draws = rng.binomial(n, p, size=n_sim)
        sim = float(region[draws].mean())
        rows.append({"p_true": float(p), "simulated": sim,
                     "mc_se": math.sqrt(sim * (1 - sim) / n_sim),
                     "exact": power_one_proportion(n, p0, p, alpha, "exact")})
    return pd.DataFrame(rows)
