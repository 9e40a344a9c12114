"""vah.stats.design for the one-sided (superiority) test, against sums of scipy.stats.binom
written out here, hand calculations and the paper's sample size; the two-sided default is
checked to be unchanged."""

import math

import numpy as np
import pytest
from scipy import stats

from vah.errors import InputError
from vah.stats import design

N, P0 = 96, 0.45  # the enrolled sample and the benchmark CRc rate (Methods / Statistics)


def upper_region(n, p0, alpha):
    """One-sided exact test of H0: p <= p0: reject when P(X >= k) <= alpha, X ~ Bin(n, p0)."""
    return [k for k in range(n + 1) if stats.binom.sf(k - 1, n, p0) <= alpha]


def lower_region(n, p0, alpha):
    return [k for k in range(n + 1) if stats.binom.cdf(k, n, p0) <= alpha]


def power_from(region, n, p):
    return sum(stats.binom.pmf(k, n, p) for k in region)


@pytest.mark.parametrize(("n", "p0", "alpha"), [(96, 0.45, 0.025), (96, 0.45, 0.05),
                                                (20, 0.3, 0.05), (137, 0.62, 0.01),
                                                (5, 0.5, 0.025)])
def test_one_sided_exact_regions_agree_with_scipy_tails(n, p0, alpha):
    assert list(design.exact_rejection_region(n, p0, alpha, "greater")) == upper_region(
        n, p0, alpha)
    assert list(design.exact_rejection_region(n, p0, alpha, "less")) == lower_region(
        n, p0, alpha)


def test_one_sided_exact_region_of_the_design_by_hand():
    # Bin(96, 0.45): P(X >= 54) = 0.017532 <= 0.025 < P(X >= 53) = 0.028501, so the
    # superiority test needs 54 remissions; at a one-sided 0.05 the first count is found from
    # the tail sums directly.
    assert stats.binom.sf(53, N, P0) == pytest.approx(0.017532, abs=1e-6)
    assert stats.binom.sf(52, N, P0) == pytest.approx(0.028501, abs=1e-6)
    region = design.exact_rejection_region(N, P0, 0.025, "greater")
    assert region == tuple(range(54, N + 1))
    assert min(design.exact_rejection_region(N, P0, 0.05, "greater")) == min(
        k for k in range(N + 1) if stats.binom.sf(k - 1, N, P0) <= 0.05)


def test_one_sided_z_region_by_hand():
    # n p0 = 43.2, sqrt(96 * 0.2475) = 4.874423; z(0.975) = 1.959964 -> bound 9.553697:
    # k >= 52.75, so 53..96. At one-sided 0.05, z(0.95) = 1.644854 -> 8.017716: k >= 51.22 -> 52.
    assert design.z_rejection_region(N, P0, 0.025, "greater") == tuple(range(53, N + 1))
    assert design.z_rejection_region(N, P0, 0.05, "greater") == tuple(range(52, N + 1))
    # less: 43.2 - 9.553697 = 33.65 -> 0..33
    assert design.z_rejection_region(N, P0, 0.025, "less") == tuple(range(0, 34))


@pytest.mark.parametrize("p", [0.40, 0.45, 0.50, 0.60, 0.70])
def test_one_sided_power_is_the_tail_sum_over_the_region(p):
    exact = power_from(upper_region(N, P0, 0.025), N, p)
    assert design.power_one_proportion(N, P0, p, 0.025, "exact", "greater") == pytest.approx(
        exact, rel=1e-10)
    z_region = [k for k in range(N + 1)
                if (k - N * P0) / math.sqrt(N * P0 * (1 - P0)) >= stats.norm.ppf(0.975)]
    assert design.power_one_proportion(N, P0, p, 0.025, "z_test", "greater") == pytest.approx(
        power_from(z_region, N, p), rel=1e-10)


def test_one_sided_normal_power_by_hand():
    # n = 86, p0 = .45, p1 = .60, one-sided 0.05: se0 = 0.053647, se1 = 0.052827,
    # z(0.95) = 1.644854: Phi((.15 - 1.644854 * 0.053647) / 0.052827) = Phi(1.16906) = 0.87882.
    assert design.power_one_proportion(86, 0.45, 0.60, 0.05, "normal_null_var",
                                       "greater") == pytest.approx(0.87882, abs=1e-4)
    # At p0 the normal approximation rejects with exactly the nominal one-sided level.
    assert design.power_one_proportion(N, P0, P0, 0.025, "normal_null_var",
                                       "greater") == pytest.approx(0.025, abs=1e-12)


def test_the_design_at_the_target_rate():
    # The one-sided exact test at 0.025 with 96 patients: P(X >= 54 | p = 0.60) = 0.80397.
    assert design.power_one_proportion(N, P0, 0.60, 0.025, "exact", "greater") == pytest.approx(
        stats.binom.sf(53, N, 0.60), rel=1e-10)
    assert stats.binom.sf(53, N, 0.60) == pytest.approx(0.80397, abs=1e-5)


@pytest.mark.parametrize("method", design.POWER_METHODS)
@pytest.mark.parametrize(("n", "alpha"), [(96, 0.025), (30, 0.05), (200, 0.01)])
def test_one_sided_power_is_monotone_in_the_true_rate(method, n, alpha):
    grid = np.linspace(0.01, 0.99, 197)
    up = design.power_one_proportion(n, P0, grid, alpha, method, "greater")
    down = design.power_one_proportion(n, P0, grid, alpha, method, "less")
    assert np.all(np.diff(up) >= -1e-12) and up[-1] > 0.99
    assert np.all(np.diff(down) <= 1e-12) and down[0] > 0.99


def test_two_sided_power_is_not_monotone_and_splits_by_direction():
    # The contrast: the two-sided test at 0.05 rejects more often at 40 % than at 45 %, nearly
    # all of it below the benchmark (counts 0..33 at n = 96, P(X <= 33) under Bin(96, 0.40)).
    two = design.power_one_proportion(N, P0, [0.40, 0.45], 0.05, "exact")
    assert two[0] > two[1]
    region = [k for k in range(N + 1) if stats.binomtest(k, N, P0).pvalue <= 0.05]
    above = [k for k in region if k > N * P0]
    below = [k for k in region if k < N * P0]
    split = design.power_by_direction(N, P0, 0.40, 0.05)
    assert split["greater"] == pytest.approx(power_from(above, N, 0.40), rel=1e-9)
    assert split["less"] == pytest.approx(power_from(below, N, 0.40), rel=1e-9)
    assert split["greater"] + split["less"] == pytest.approx(two[0], rel=1e-12)
    assert split["greater"] < 0.001 < 0.15 < split["less"]
    # At n = 96 the two-sided test's favourable rejections are the one-sided test's at 0.025.
    assert above == upper_region(N, P0, 0.025)


def test_two_sided_exact_test_can_spend_more_than_half_its_level_upwards():
    # n = 84: the two-sided region starts at 47 above the benchmark, and P(X >= 47) = 0.0285
    # exceeds 0.025, which is why its sample size (84) is smaller than the one-sided one.
    region = design.exact_rejection_region(84, P0, 0.05)
    assert min(k for k in region if k > 84 * P0) == 47
    assert stats.binom.sf(46, 84, P0) > 0.025


def test_one_sided_sample_sizes():
    # Arcsine, one-sided 0.025: the same z(0.975) as two-sided 0.05, hence the paper's 87.
    # One-sided 0.05: ((1.644854 + 0.841621) / 0.301526)**2 = 68.0 + -> 69.
    assert design.sample_size_one_proportion(0.45, 0.60, 0.025, 0.80, "arcsine", "greater") == 87
    assert design.sample_size_one_proportion(0.45, 0.60, 0.05, 0.80, "arcsine", "greater") == 69
    h = 2 * math.asin(math.sqrt(0.60)) - 2 * math.asin(math.sqrt(0.45))
    assert math.ceil(((stats.norm.ppf(0.95) + stats.norm.ppf(0.80)) / h) ** 2) == 69
    # Exact one-sided test: smallest n with power >= 0.8, and the n from which it stays there,
    # found here from the tail sums.
    ok = {m: power_from(upper_region(m, 0.45, 0.025), m, 0.60) >= 0.80 for m in range(40, 260)}
    first = min(m for m, good in ok.items() if good)
    stable = max(m for m, good in ok.items() if not good) + 1
    assert design.sample_size_one_proportion(0.45, 0.60, 0.025, 0.80, "exact", "greater") == first
    assert design.sample_size_one_proportion(0.45, 0.60, 0.025, 0.80, "exact_stable",
                                             "greater") == stable
    assert (first, stable) == (89, 95)
    # less mirrors greater
    assert design.sample_size_one_proportion(0.55, 0.40, 0.025, 0.80, "exact", "less") == (
        design.sample_size_one_proportion(0.45, 0.60, 0.025, 0.80, "exact", "greater"))


def test_two_sided_default_is_unchanged():
    assert design.exact_rejection_region(N, P0, 0.05) == design.exact_rejection_region(
        N, P0, 0.05, "two-sided")
    assert design.sample_size_table(0.45, 0.60) == design.sample_size_table(
        0.45, 0.60, 0.05, 0.80, "two-sided")
    for method in design.POWER_METHODS:
        assert design.power_one_proportion(N, P0, 0.55, 0.05, method) == (
            design.power_one_proportion(N, P0, 0.55, 0.05, method, "two-sided"))


def test_one_sided_operating_characteristics():
    oc = design.operating_characteristics(N, P0, [0.45, 0.60], 0.025, n_sim=20000,
                                          alternative="greater")
    for row in oc.itertuples():
        assert row.exact == pytest.approx(power_from(upper_region(N, P0, 0.025), N, row.p_true),
                                          rel=1e-10)
        assert abs(row.simulated - row.exact) < 4 * row.mc_se + 1e-9
        assert abs(row.simulated_z - row.exact_z) < 4 * row.mc_se_z + 1e-9
    assert oc.iloc[0]["exact"] <= 0.025 and oc.iloc[0]["normal"] == pytest.approx(0.025)
    # the same draws as the two-sided run: only the region differs
    two = design.operating_characteristics(N, P0, [0.45, 0.60], 0.05, n_sim=20000)
    assert oc.iloc[1]["simulated"] == pytest.approx(two.iloc[1]["simulated"], abs=1e-3)


@pytest.mark.parametrize(("call", "name"), [
    (lambda: design.exact_rejection_region(N, P0, 0.05, "upper"), "alternative"),
    (lambda: design.z_rejection_region(N, P0, 0.05, "both"), "alternative"),
    (lambda: design.power_one_proportion(N, P0, 0.6, 0.05, "exact", "above"), "alternative"),
    (lambda: design.sample_size_one_proportion(0.45, 0.60, alternative="bigger"), "alternative"),
    (lambda: design.sample_size_one_proportion(0.45, 0.30, alternative="greater"), "wrong side"),
    (lambda: design.sample_size_one_proportion(0.45, 0.60, alternative="less"), "wrong side"),
    (lambda: design.operating_characteristics(N, P0, [0.5], alternative="up"), "alternative"),
    (lambda: design.power_by_direction(N, P0, 0.5, method="normal_null_var"), "unknown"),
])
def test_bad_alternatives_name_themselves(call, name):
    with pytest.raises(InputError, match=name):
        call()
