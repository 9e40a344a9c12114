"""vah.stats.binomial against published reference values, hand calculations and second
implementations."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from vah.errors import InputError
from vah.stats import binomial as B
from vah.stats import design

# Newcombe RG. Two-sided confidence intervals for the single proportion: comparison of seven
# methods. Stat Med 1998;17:857-72, Table I, methods 1-6, to four decimals. Newcombe prints
# "<0.0000" for a Wald bound below zero; our intervals are clipped to [0, 1], hence 0.0.
NEWCOMBE = {
    (81, 263): {"wald": (0.2522, 0.3638), "wald_cc": (0.2503, 0.3657),
                "wilson": (0.2553, 0.3662), "wilson_cc": (0.2535, 0.3682),
                "clopper_pearson": (0.2527, 0.3676), "mid_p": (0.2544, 0.3658)},
    (15, 148): {"wald": (0.0527, 0.1500), "wald_cc": (0.0494, 0.1534),
                "wilson": (0.0624, 0.1605), "wilson_cc": (0.0598, 0.1644),
                "clopper_pearson": (0.0578, 0.1617), "mid_p": (0.0601, 0.1581)},
    (0, 20): {"wald": (0.0, 0.0), "wald_cc": (0.0, 0.0250),
              "wilson": (0.0, 0.1611), "wilson_cc": (0.0, 0.2005),
              "clopper_pearson": (0.0, 0.1684), "mid_p": (0.0, 0.1391)},
    (1, 29): {"wald": (0.0, 0.1009), "wald_cc": (0.0, 0.1181),
              "wilson": (0.0061, 0.1718), "wilson_cc": (0.0018, 0.1963),
              "clopper_pearson": (0.0009, 0.1776), "mid_p": (0.0017, 0.1585)},
}


@pytest.mark.parametrize(("counts", "method"),
                         [(c, m) for c, ms in NEWCOMBE.items() for m in ms])
def test_newcombe_table_one(counts, method):
    low, high = B.proportion_ci(*counts, method=method)
    expected = NEWCOMBE[counts][method]
    assert (round(low, 4), round(high, 4)) == pytest.approx(expected, abs=1.01e-4)


@pytest.mark.parametrize(("method", "sm"), [("wald", "normal"), ("wilson", "wilson"),
                                            ("clopper_pearson", "beta"),
                                            ("jeffreys", "jeffreys"),
                                            ("agresti_coull", "agresti_coull")])
@pytest.mark.parametrize(("k", "n"), [(68, 96), (10, 16), (1, 29), (16, 17), (3, 7)])
def test_agrees_with_statsmodels(method, sm, k, n):
    # statsmodels.stats.proportion.proportion_confint: a second, independent implementation.
    ours = B.proportion_ci(k, n, method)
    theirs = proportion_confint(k, n, alpha=0.05, method=sm)
    assert ours == pytest.approx(tuple(max(0, min(1, x)) for x in theirs), abs=1e-9)


@pytest.mark.parametrize("level", [0.90, 0.95, 0.99])
def test_clopper_pearson_agrees_with_scipy_binomtest(level):
    # scipy.stats.binomtest(...).proportion_ci(method="exact"): another implementation.
    ci = stats.binomtest(29, 37).proportion_ci(confidence_level=level, method="exact")
    assert B.proportion_ci(29, 37, "clopper_pearson", level) == pytest.approx(
        (ci.low, ci.high), abs=1e-9)


def test_mid_p_solves_its_defining_equations():
    # Mid-p bounds: P(X > k) + P(X = k)/2 = 0.025 at the lower bound and
    # P(X < k) + P(X = k)/2 = 0.025 at the upper bound (Newcombe 1998, method 6).
    k, n = 10, 16
    low, high = B.proportion_ci(k, n, "mid_p")
    assert stats.binom.sf(k, n, low) + stats.binom.pmf(k, n, low) / 2 == pytest.approx(0.025)
    assert stats.binom.cdf(k - 1, n, high) + stats.binom.pmf(k, n, high) / 2 == pytest.approx(
        0.025)


def test_logit_by_hand():
    # 68/96: logit = ln(68/28) = 0.887303; SE = 1/sqrt(96 * 0.708333 * 0.291667) = 0.224543;
    # z = 1.959964 -> 0.447207..1.327399 -> expit -> 0.60998..0.79041.
    low, high = B.proportion_ci(68, 96, "logit")
    assert (low, high) == pytest.approx((0.60998, 0.79041), abs=1e-5)


def test_logit_t_uses_n_minus_one_degrees_of_freedom():
    # t(95) 0.975 quantile = 1.985251; 0.887303 -+ 1.985251 * 0.224543 -> expit.
    low, high = B.proportion_ci(68, 96, "logit_t")
    half = 1.985251 * 0.224543
    assert low == pytest.approx(1 / (1 + math.exp(-(0.887303 - half))), abs=1e-5)
    assert high == pytest.approx(1 / (1 + math.exp(-(0.887303 + half))), abs=1e-5)


def stata_proportion_by_hand(k: int, n: int, df: int) -> tuple[float, float]:
    """Second method, written as Stata's manual describes `proportion`: the proportion is the
    mean of n 0/1 values, its SE the sample SD (n - 1 denominator) over sqrt(n); the interval
    is formed on the logit scale with SE_logit = SE / (p (1 - p)) and a t(df) quantile."""
    y = np.r_[np.ones(k), np.zeros(n - k)]
    p, se = y.mean(), y.std(ddof=1) / math.sqrt(n)
    half = stats.t.ppf(0.975, df) * se / (p * (1 - p))
    centre = math.log(p / (1 - p))
    return 1 / (1 + math.exp(-(centre - half))), 1 / (1 + math.exp(-(centre + half)))


@pytest.mark.parametrize(("k", "n", "df"), [(68, 96, None), (29, 37, 95), (4, 9, 95),
                                            (16, 17, 95), (45, 60, None)])
def test_logit_stata_matches_the_mean_of_zero_one_values(k, n, df):
    expected = stata_proportion_by_hand(k, n, n - 1 if df is None else df)
    assert B.proportion_ci(k, n, "logit_stata", df=df) == pytest.approx(expected, rel=1e-10)


def test_logit_stata_by_hand():
    # 68/96: SE = sqrt(0.708333 * 0.291667 / 95) = 0.0466338; SE_logit = 0.0466338 / 0.206597
    # = 0.225723; t(95) = 1.985251 -> half 0.448117; 0.887303 -+ 0.448117 = 0.439186, 1.335420
    # -> expit -> 0.608065, 0.791736.
    assert B.proportion_ci(68, 96, "logit_stata") == pytest.approx((0.608065, 0.791736),
                                                                    abs=2e-6)


def test_df_only_for_t_methods_and_validated():
    assert B.proportion_ci(29, 37, "logit_t", df=36) == B.proportion_ci(29, 37, "logit_t")
    with pytest.raises(InputError, match="df applies only"):
        B.proportion_ci(29, 37, "wilson", df=95)
    with pytest.raises(InputError, match="df"):
        B.proportion_ci(29, 37, "logit_t", df=0)
    cis = B.all_cis(29, 37, df=95)
    assert cis["logit_stata"] == B.proportion_ci(29, 37, "logit_stata", df=95)
    assert cis["wilson"] == B.proportion_ci(29, 37, "wilson")


@pytest.mark.parametrize("method", ["logit", "logit_t", "logit_stata"])
@pytest.mark.parametrize(("k", "n"), [(0, 12), (6, 6)])
def test_logit_falls_back_to_clopper_pearson_at_the_edges(method, k, n):
    assert B.proportion_ci(k, n, method) == B.proportion_ci(k, n, "clopper_pearson")


def test_arcsine_by_hand():
    # 10/16: asin(sqrt(0.625)) = 0.911738; half = 1.959964 / (2 * 4) = 0.244996;
    # sin(0.666743)^2 = 0.382455; sin(1.156734)^2 = 0.838129.
    assert B.proportion_ci(10, 16, "arcsine") == pytest.approx((0.382455, 0.838129), abs=2e-6)


def test_km_loglog_without_censoring_by_hand():
    # S = 59/96 = 0.614583; se(log S) = sqrt((1 - S)/(n S)) = 0.08139; theta = se/log S
    # = -0.16698; bounds S**exp(+-1.96 theta) = 0.5098 and 0.7041 (printed 51.0-70.4 in the
    # paper's Table 2 for 1-year OS).
    low, high = B.km_loglog_ci(59, 96)
    assert (round(100 * low, 1), round(100 * high, 1)) == (51.0, 70.4)


def test_exact_test_matches_a_direct_sum():
    # Two-sided exact P: sum of the pmf over outcomes no more likely than the observed one.
    pmf = stats.binom.pmf(range(97), 96, 0.45)
    direct = sum(p for p in pmf if p <= pmf[68] * (1 + 1e-7))
    assert B.exact_binomial_test(68, 96, 0.45) == pytest.approx(direct, rel=1e-9)
    # one-sided: P(X >= 68) and P(X <= 68) under Binomial(96, 0.45)
    assert B.exact_binomial_test(68, 96, 0.45, "greater") == pytest.approx(
        stats.binom.sf(67, 96, 0.45), rel=1e-9)
    assert B.exact_binomial_test(68, 96, 0.45, "less") == pytest.approx(
        stats.binom.cdf(68, 96, 0.45), rel=1e-9)


def test_rejection_regions_agree_with_test_by_test():
    # The exact region is where scipy's binomtest gives P <= alpha, count by count; the z region
    # where |k/n - p0| / sqrt(p0 q0 / n) >= 1.959964.
    n, p0 = 96, 0.45
    exact = [k for k in range(n + 1) if stats.binomtest(k, n, p0).pvalue <= 0.05]
    z = [k for k in range(n + 1)
         if abs(k / n - p0) / math.sqrt(p0 * (1 - p0) / n) >= stats.norm.ppf(0.975)]
    assert list(design.exact_rejection_region(n, p0, 0.05)) == exact
    assert list(design.z_rejection_region(n, p0, 0.05)) == z


def test_sample_size_formulas_by_hand():
    # Null-variance normal formula: ((1.959964*sqrt(.2475) + .841621*sqrt(.24)) / .15)**2
    # = (0.975074 + 0.412303)**2 / .0225 = 85.55 -> 86.
    # Arcsine: h = 2 asin(sqrt .6) - 2 asin(sqrt .45) = 2 (0.886077 - 0.735314) = 0.301526;
    # ((1.959964 + .841621) / h)**2 = 86.33 -> 87 (the paper's 87, Methods / Statistics).
    # Alternative variance: (2.801585 * sqrt(.24) / .15)**2 = 83.72 -> 84.
    # Continuity correction: 85.55 / 4 * (1 + sqrt(1 + 2 / (85.55 * .15)))**2 = 92.10 -> 93.
    assert design.sample_size_one_proportion(0.45, 0.60, method="normal_null_var") == 86
    assert design.sample_size_one_proportion(0.45, 0.60, method="arcsine") == 87
    assert design.sample_size_one_proportion(0.45, 0.60, method="normal_alt_var") == 84
    assert design.sample_size_one_proportion(0.45, 0.60, method="normal_cc") == 93


@pytest.mark.parametrize("test", ["exact", "z_test"])
def test_power_based_sample_size_reaches_power_and_the_stable_one_keeps_it(test):
    n = design.sample_size_one_proportion(0.45, 0.60, method=test)
    stable = design.sample_size_one_proportion(0.45, 0.60, method=f"{test}_stable")

    def power(m):  # computed here from the rejection region, not through power_one_proportion
        region = (design.exact_rejection_region if test == "exact" else design.z_rejection_region)(
            m, 0.45, 0.05)
        return sum(stats.binom.pmf(k, m, 0.60) for k in region)

    assert power(n) >= 0.80
    assert all(power(m) < 0.80 for m in range(20, n))
    assert stable >= n and power(stable - 1) < 0.80
    assert all(power(m) >= 0.80 for m in range(stable, stable + 40))


def test_sample_size_table_has_every_method():
    table = design.sample_size_table(0.45, 0.60, 0.05, 0.80)
    assert tuple(table) == design.SAMPLE_SIZE_METHODS
    assert set(design.SAMPLE_SIZE_LABELS) == set(design.SAMPLE_SIZE_METHODS)


def test_inflate_for_dropout():
    # 87 / 0.9 = 96.67 -> 97; 90 / 0.9 = 100 exactly -> 100 (no floating-point 101);
    # 87 * 1.1 = 95.7 -> 96 (the paper's 96 patients, Methods / Statistics).
    assert design.inflate_for_dropout(87, 0.10) == 97
    assert design.inflate_for_dropout(90, 0.10) == 100
    assert design.inflate_for_dropout(87, 0.10, rule="multiply") == 96
    with pytest.raises(InputError):
        design.inflate_for_dropout(87, 1.0)
    with pytest.raises(InputError):
        design.inflate_for_dropout(87, 0.1, rule="bogus")


def test_normal_power_by_hand():
    # n = 86, p0 = .45, p1 = .60: se0 = sqrt(.2475/86) = 0.053647, se1 = sqrt(.24/86) = 0.052827;
    # P(reject) = Phi((.15 - 1.959964 se0)/se1) + Phi((-.15 - 1.959964 se0)/se1)
    # = Phi(0.849020) + Phi(-4.829978) = 0.80207 + 0.00000.
    assert design.power_one_proportion(86, 0.45, 0.60) == pytest.approx(0.80207, abs=1e-4)


@pytest.mark.parametrize("method", design.POWER_METHODS)
def test_power_is_vectorised(method):
    grid = [0.3, 0.45, 0.6, 0.75]
    vector = design.power_one_proportion(96, 0.45, grid, 0.05, method)
    assert isinstance(vector, np.ndarray)
    assert vector == pytest.approx([design.power_one_proportion(96, 0.45, p, 0.05, method)
                                    for p in grid])


def test_operating_characteristics_simulation_agrees_with_exact():
    oc = design.operating_characteristics(96, 0.45, [0.45, 0.60], n_sim=20000)
    for row in oc.itertuples():
        assert abs(row.simulated - row.exact) < 4 * row.mc_se + 1e-9
        assert abs(row.simulated_z - row.exact_z) < 4 * row.mc_se_z + 1e-9
    assert oc.iloc[0]["exact"] <= 0.05  # the exact test keeps its size
    # The same seed gives the same simulation (no wall clock, no global state).
    assert oc.equals(design.operating_characteristics(96, 0.45, [0.45, 0.60], n_sim=20000))


@pytest.mark.parametrize(("k", "n"), [(-1, 10), (11, 10), (1, 0), (1.5, 10), (True, 10),
                                      ("3", 10)])
def test_bad_counts(k, n):
    with pytest.raises(InputError):
        B.proportion_ci(k, n)


@pytest.mark.parametrize("level", [0, 1, 1.5, -0.1])
def test_bad_level(level):
    with pytest.raises(InputError, match="level"):
        B.proportion_ci(3, 10, level=level)


@pytest.mark.parametrize(("call", "name"), [
    (lambda: B.exact_binomial_test(3, 10, 0.0), "p0"),
    (lambda: B.exact_binomial_test(3, 10, 0.5, "both"), "alternative"),
    (lambda: design.sample_size_one_proportion(0.45, 1.0), "p1"),
    (lambda: design.sample_size_one_proportion(0.45, 0.45), "differ"),
    (lambda: design.sample_size_one_proportion(0.45, 0.6, alpha=0), "alpha"),
    (lambda: design.sample_size_one_proportion(0.45, 0.6, power=1), "power"),
    (lambda: design.sample_size_one_proportion(0.45, 0.6, method="bogus"), "unknown"),
    (lambda: design.power_one_proportion(96, 0.45, 0.6, method="bogus"), "unknown"),
    (lambda: design.power_one_proportion(96, 0.45, [0.5, 1.2]), "p1"),
    (lambda: design.operating_characteristics(96, 0.45, [0.5], n_sim=0), "n_sim"),
])
def test_bad_arguments_name_themselves(call, name):
    with pytest.raises(InputError, match=name):
        call()


def test_unknown_method():
    with pytest.raises(InputError, match="unknown CI method"):
        B.proportion_ci(1, 10, "bogus")


def test_labels_cover_every_method():
    assert set(B.CI_METHOD_LABELS) == set(B.CI_METHODS)
    assert set(B.T_METHODS) <= set(B.CI_METHODS)


@settings(max_examples=150, deadline=None)
@given(n=st.integers(1, 300), data=st.data(), level=st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_interval_properties(n, data, level):
    # Every method, including Wald at the edges (where it collapses to the point k/n),
    # returns an interval inside [0, 1] that contains k/n, and a higher level never gives a
    # narrower interval (the intervals are nested in the level).
    k = data.draw(st.integers(0, n))
    for method in B.CI_METHODS:
        low, high = B.proportion_ci(k, n, method, level)
        assert 0.0 <= low <= high <= 1.0
        assert low <= k / n + 1e-12 and k / n <= high + 1e-12, method
        wider = B.proportion_ci(k, n, method, min(0.999, level + 0.005))
        assert wider[0] <= low + 1e-12 and wider[1] >= high - 1e-12, method


@settings(max_examples=60, deadline=None)
@given(n=st.integers(2, 96), data=st.data())
def test_subgroup_df_widens_nothing_beyond_own_df(n, data):
    # A larger df gives a smaller t quantile and so a narrower (nested) interval.
    k = data.draw(st.integers(1, n - 1))
    own = B.proportion_ci(k, n, "logit_stata")
    pooled = B.proportion_ci(k, n, "logit_stata", df=200)
    assert own[0] <= pooled[0] + 1e-12 and pooled[1] <= own[1] + 1e-12


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 300), st.floats(0.001, 0.999), st.data())
def test_pmf_and_quantiles_agree_with_scipy_stats(n, p, data):
    """vah.stats.binomial uses scipy.special (cheap to import); scipy.stats is the second method."""
    k = data.draw(st.integers(0, n))
    assert B._binom_pmf(k, n, p) == pytest.approx(stats.binom.pmf(k, n, p), rel=1e-9, abs=1e-300)
    low, high = B.proportion_ci(k, n, "clopper_pearson")
    if k > 0:
        assert low == pytest.approx(stats.beta.ppf(0.025, k, n - k + 1), rel=1e-9)
    if k < n:
        assert high == pytest.approx(stats.beta.ppf(0.975, k + 1, n - k), rel=1e-9)


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 200), st.floats(0.01, 0.99), st.data())
def test_exact_test_agrees_with_exact_arithmetic(n, p0, data):
    """vah writes the exact test out (scipy.stats is slow to import). The check is the same
    definition in exact rational arithmetic; scipy's binomtest is not used here because it
    loses accuracy far in the tail (n = 179, p0 = 0.98828125, k = 16: its P is 1.8e-7 off in
    relative terms, vah's agrees with the rational value to 1e-13)."""
    from fractions import Fraction

    k = data.draw(st.integers(0, n))
    p = Fraction(p0)
    pmf = [math.comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(n + 1)]
    exact = {"two-sided": min(1, sum(x for x in pmf if x <= pmf[k] * Fraction(10**7 + 1, 10**7))),
             "greater": sum(pmf[k:]), "less": sum(pmf[: k + 1])}
    for alternative, expected in exact.items():
        assert B.exact_binomial_test(k, n, p0, alternative) == pytest.approx(
            float(expected), rel=1e-7, abs=1e-300)


# Newcombe RG. Interval estimation for the difference between independent proportions:
# comparison of eleven methods. Stat Med 1998;17:873-90, Table II, methods 1 (Wald) and 10
# (hybrid score), to four decimals.
NEWCOMBE_DIFFERENCE = {
    (56, 70, 48, 80): {"wald": (0.0575, 0.3425), "newcombe": (0.0524, 0.3339)},
    (9, 10, 3, 10): {"wald": (0.2605, 0.9395), "newcombe": (0.1705, 0.8090)},
    (5, 56, 0, 29): {"wald": (0.0146, 0.1640), "newcombe": (-0.0381, 0.1926)},
}


@pytest.mark.parametrize(("counts", "method"),
                         [(c, m) for c, ms in NEWCOMBE_DIFFERENCE.items() for m in ms])
def test_difference_ci_newcombe_table_two(counts, method):
    low, high = B.difference_ci(*counts, method=method)
    assert (low, high) == pytest.approx(NEWCOMBE_DIFFERENCE[counts][method], abs=0.6e-4)


@pytest.mark.parametrize(("method", "sm"), [("newcombe", "newcomb"), ("wald", "wald")])
@pytest.mark.parametrize("counts", [(23, 36, 45, 60), (27, 36, 48, 60), (16, 17, 14, 22),
                                    (0, 12, 3, 9), (7, 7, 1, 15)])
def test_difference_ci_agrees_with_statsmodels(method, sm, counts):
    # statsmodels' confint_proportions_2indep: a second, independent implementation.
    from statsmodels.stats.proportion import confint_proportions_2indep

    theirs = confint_proportions_2indep(*counts, method=sm, compare="diff")
    assert B.difference_ci(*counts, method=method) == pytest.approx(
        tuple(max(-1.0, min(1.0, float(x))) for x in theirs), abs=1e-9)


def test_difference_ci_wald_by_hand():
    # 23/36 against 45/60: d = -0.1111, se^2 = (23*13/36^3) + (45*15/60^3)
    se = math.sqrt(23 * 13 / 36**3 + 45 * 15 / 60**3)
    d = 23 / 36 - 45 / 60
    assert B.difference_ci(23, 36, 45, 60, "wald") == pytest.approx(
        (d - 1.959964 * se, d + 1.959964 * se), abs=1e-6)


@settings(max_examples=100, deadline=None)
@given(n1=st.integers(1, 120), n2=st.integers(1, 120), data=st.data())
def test_difference_ci_contains_the_estimate_and_mirrors(n1, n2, data):
    k1, k2 = data.draw(st.integers(0, n1)), data.draw(st.integers(0, n2))
    d = k1 / n1 - k2 / n2
    for method in B.DIFFERENCE_METHODS:
        low, high = B.difference_ci(k1, n1, k2, n2, method)
        assert -1.0 <= low <= d + 1e-12 and d - 1e-12 <= high <= 1.0, method
        # Swapping the groups negates the interval.
        assert B.difference_ci(k2, n2, k1, n1, method) == pytest.approx((-high, -low), abs=1e-12)


def test_difference_ci_refuses_bad_input():
    with pytest.raises(InputError, match="unknown difference CI method"):
        B.difference_ci(1, 10, 2, 10, "bogus")
    with pytest.raises(InputError):
        B.difference_ci(11, 10, 2, 10)
