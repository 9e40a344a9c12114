"""vah.binomial against published reference values and second implementations."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from vah import binomial as B
from vah.errors import InputError

# Newcombe RG. Two-sided confidence intervals for the single proportion: comparison of seven
# methods. Stat Med 1998;17:857-72, Table I (81/263 and 15/148), to four decimals.
NEWCOMBE = {
    (81, 263): {"wald": (0.2522, 0.3638), "wald_cc": (0.2503, 0.3657),
                "wilson": (0.2553, 0.3662), "wilson_cc": (0.2535, 0.3682),
                "clopper_pearson": (0.2527, 0.3676), "mid_p": (0.2544, 0.3658)},
    (15, 148): {"wald": (0.0527, 0.1500), "wald_cc": (0.0494, 0.1534),
                "wilson": (0.0624, 0.1605), "wilson_cc": (0.0598, 0.1644),
                "clopper_pearson": (0.0578, 0.1617), "mid_p": (0.0601, 0.1581)},
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
@pytest.mark.parametrize(("k", "n"), [(68, 96), (10, 16), (1, 29), (16, 17)])
def test_agrees_with_statsmodels(method, sm, k, n):
    ours = B.proportion_ci(k, n, method)
    theirs = proportion_confint(k, n, alpha=0.05, method=sm)
    assert ours == pytest.approx(tuple(max(0, min(1, x)) for x in theirs), abs=1e-9)


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


def test_km_loglog_without_censoring_by_hand():
    # S = 59/96 = 0.614583; se(log S) = sqrt((1 - S)/(n S)) = 0.08139; theta = se/log S
    # = -0.16698; bounds S**exp(+-1.96 theta) = 0.5098 and 0.7041 (printed 51.0-70.4 in the
    # paper's Table 2 for 1-year OS).
    low, high = B.km_loglog_ci(59, 96)
    assert (round(100 * low, 1), round(100 * high, 1)) == (51.0, 70.4)


def test_exact_test_matches_a_direct_sum():
    # Two-sided exact P: sum of the pmf over outcomes no more likely than the observed one.
    from scipy import stats

    pmf = stats.binom.pmf(range(97), 96, 0.45)
    direct = sum(p for p in pmf if p <= pmf[68] * (1 + 1e-7))
    assert B.exact_binomial_test(68, 96, 0.45) == pytest.approx(direct, rel=1e-9)


def test_sample_size_formulas_by_hand():
    # Null-variance normal formula: ((1.959964*sqrt(.2475) + .841621*sqrt(.24)) / .15)**2
    # = (0.975074 + 0.412303)**2 / .0225 = 85.55 -> 86.
    # Arcsine: h = 2 asin(sqrt .6) - 2 asin(sqrt .45) = 0.301543; ((1.959964+.841621)/h)**2
    # = 86.28 -> 87 (the paper's 87).
    assert B.sample_size_one_proportion(0.45, 0.60, method="normal_null_var") == 86
    assert B.sample_size_one_proportion(0.45, 0.60, method="arcsine") == 87
    assert B.sample_size_one_proportion(0.45, 0.60, method="normal_alt_var") == 84


def test_exact_sample_size_reaches_power_and_the_stable_one_keeps_it():
    n = B.sample_size_one_proportion(0.45, 0.60, method="exact")
    stable = B.sample_size_one_proportion(0.45, 0.60, method="exact_stable")
    assert B.power_one_proportion(n, 0.45, 0.60, method="exact") >= 0.80
    assert B.power_one_proportion(n - 1, 0.45, 0.60, method="exact") < 0.80 or n == 2
    assert stable >= n
    assert all(B.power_one_proportion(m, 0.45, 0.60, method="exact") >= 0.80
               for m in range(stable, stable + 30))


def test_inflate_for_dropout():
    # 87 / 0.9 = 96.67 -> 97; 90 / 0.9 = 100 exactly -> 100 (no floating-point 101).
    assert B.inflate_for_dropout(87, 0.10) == 97
    assert B.inflate_for_dropout(90, 0.10) == 100


def test_operating_characteristics_simulation_agrees_with_exact():
    oc = B.operating_characteristics(96, 0.45, [0.45, 0.60], n_sim=20000)
    for row in oc.itertuples():
        assert abs(row.simulated - row.exact) < 4 * row.mc_se + 1e-9
    assert oc.iloc[0]["exact"] <= 0.05  # the exact test keeps its size


@pytest.mark.parametrize(("k", "n"), [(-1, 10), (11, 10), (1, 0), (1.5, 10), (True, 10)])
def test_bad_counts(k, n):
    with pytest.raises(InputError):
        B.proportion_ci(k, n)


def test_unknown_method():
    with pytest.raises(InputError, match="unknown CI method"):
        B.proportion_ci(1, 10, "bogus")


@given(n=st.integers(1, 300), data=st.data(), level=st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_interval_properties(n, data, level):
    k = data.draw(st.integers(0, n))
    for method in B.CI_METHODS:
        low, high = B.proportion_ci(k, n, method, level)
        assert 0.0 <= low <= high <= 1.0
        assert low <= k / n + 1e-12 and k / n <= high + 1e-12, method
        wider = B.proportion_ci(k, n, method, min(0.999, level + 0.005))
        assert wider[0] <= low + 1e-12 and wider[1] >= high - 1e-12, method
