"""vah.stats.contingency against R's documented examples, scipy and brute-force enumeration."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from vah.errors import InputError
from vah.stats import contingency as C


def test_tea_tasting():
    # R ?fisher.test, TeaTasting matrix(c(3, 1, 1, 3)): two-sided p-value = 0.4857.
    assert C.p_value([[3, 1], [1, 3]], "fisher_exact") == pytest.approx(0.4857, abs=1e-4)


def test_job_satisfaction():
    # R ?fisher.test, Job <- matrix(c(1,2,1,0, 3,3,6,1, 10,10,14,9, 6,7,12,11), 4, 4)
    # (filled by column: income rows x satisfaction columns); fisher.test(Job): p-value = 0.7827.
    job = np.array([1, 2, 1, 0, 3, 3, 6, 1, 10, 10, 14, 9, 6, 7, 12, 11]).reshape(4, 4).T
    assert C.p_value(job, "fisher_exact") == pytest.approx(0.7827, abs=1e-4)
    assert C.p_value(job.T, "fisher_exact") == pytest.approx(C.p_value(job, "fisher_exact"))


def test_party_identification_by_gender():
    # R ?chisq.test, M <- as.table(rbind(c(762, 327, 468), c(484, 239, 477))):
    # X-squared = 30.07, df = 2, p-value = 2.954e-07. Agresti, An Introduction to Categorical
    # Data Analysis (2nd ed., 2007), section 2.4, the same table: X2 = 30.1, G2 = 30.0, df = 2.
    m = [[762, 327, 468], [484, 239, 477]]
    assert C.p_value(m, "chi2") == pytest.approx(2.954e-07, rel=1e-3)
    g2 = stats.chi2.isf(C.p_value(m, "likelihood_ratio"), 2)
    assert round(g2, 1) == 30.0


@pytest.mark.parametrize("table", [[[6, 0], [31, 16]], [[29, 8], [10, 6]], [[1, 9], [11, 3]]])
def test_two_by_two_agrees_with_scipy(table):
    assert C.p_value(table, "fisher_exact") == pytest.approx(
        stats.fisher_exact(table).pvalue, rel=1e-9)


def brute_force_ffh(table) -> float:
    """Enumerate every table with the same margins (a second, independent method)."""
    arr = np.array(table)
    rows, cols = arr.sum(axis=1), arr.sum(axis=0)
    n = arr.sum()

    def prob(t):
        return math.exp(sum(math.lgamma(x + 1) for x in rows) + sum(math.lgamma(x + 1)
                        for x in cols) - math.lgamma(n + 1)
                        - sum(math.lgamma(x + 1) for x in np.ravel(t)))

    p_obs, total = prob(arr), 0.0
    r, c = arr.shape
    for free in itertools.product(*[range(int(min(rows[i], cols[j])) + 1)
                                    for i in range(r - 1) for j in range(c - 1)]):
        t = np.zeros((r, c), dtype=int)
        t[: r - 1, : c - 1] = np.array(free).reshape(r - 1, c - 1)
        t[: r - 1, c - 1] = rows[: r - 1] - t[: r - 1, : c - 1].sum(axis=1)
        t[r - 1, :] = cols - t[: r - 1, :].sum(axis=0)
        if (t < 0).any():
            continue
        if prob(t) <= p_obs * (1 + 1e-7):
            total += prob(t)
    return total


@pytest.mark.parametrize("table", [[[3, 1, 4], [2, 6, 1]], [[2, 0, 1], [1, 3, 0], [0, 1, 4]],
                                   [[6, 0, 1], [31, 16, 42]], [[5, 2], [1, 4], [3, 3]]])
def test_ffh_agrees_with_brute_force(table):
    assert C.p_value(table, "fisher_exact") == pytest.approx(brute_force_ffh(table), rel=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=4, max_size=4))
def test_random_two_by_two_agrees_with_scipy(cells):
    table = [cells[:2], cells[2:]]
    arr = np.array(table)
    if (arr.sum(0) == 0).any() or (arr.sum(1) == 0).any():
        return
    assert C.p_value(table, "fisher_exact") == pytest.approx(
        stats.fisher_exact(table).pvalue, rel=1e-9, abs=1e-12)


@settings(max_examples=25, deadline=None)
@given(st.sampled_from([(2, 3), (3, 3), (3, 2), (2, 4)]), st.data())
def test_random_tables_agree_with_brute_force(shape, data):
    cells = data.draw(st.lists(st.integers(0, 5), min_size=shape[0] * shape[1],
                               max_size=shape[0] * shape[1]))
    arr = np.array(cells).reshape(shape)
    if (arr.sum(0) == 0).any() or (arr.sum(1) == 0).any():
        return
    assert C.p_value(arr, "fisher_exact") == pytest.approx(brute_force_ffh(arr), rel=1e-9)


def test_too_large_for_exact_enumeration_is_refused():
    with pytest.raises(InputError, match="too large"):
        C.p_value(np.full((8, 8), 3), "fisher_exact")


def test_chi_square_by_hand():
    # Table 1 gender: males 21/10/20, females 16/6/23 (n = 37, 16, 43).
    # Expected counts: male row 51 * (37, 16, 43) / 96 = 19.656, 8.5, 22.844; female row
    # 17.344, 7.5, 20.156. X2 = sum (O-E)^2/E = 1.5160; df 2; P = exp(-X2/2) = 0.4686.
    assert C.p_value([[21, 10, 20], [16, 6, 23]], "chi2") == pytest.approx(0.4686, abs=1e-4)


def test_likelihood_ratio_by_hand():
    obs = np.array([[21, 10, 20], [16, 6, 23]], dtype=float)
    expected = obs.sum(1, keepdims=True) * obs.sum(0, keepdims=True) / obs.sum()
    g = 2 * (obs * np.log(obs / expected)).sum()
    assert C.p_value(obs, "likelihood_ratio") == pytest.approx(math.exp(-g / 2), rel=1e-9)


def test_yates_only_changes_two_by_two():
    big = [[21, 10, 20], [16, 6, 23]]
    assert C.p_value(big, "chi2_yates") == C.p_value(big, "chi2")
    assert C.p_value([[16, 14], [1, 8]], "chi2_yates") > C.p_value([[16, 14], [1, 8]], "chi2")


def test_empty_rows_and_columns_are_dropped():
    assert C.p_value([[3, 1, 0], [1, 3, 0], [0, 0, 0]], "fisher_exact") == pytest.approx(
        C.p_value([[3, 1], [1, 3]], "fisher_exact"))


@pytest.mark.parametrize("table", [[[1, 2]], [[1, -1], [2, 3]], [[1.5, 2], [2, 3]],
                                   [[0, 0], [1, 2]], [1, 2, 3], [[1, 2], [3]],
                                   [["a", 2], [3, 4]], [[np.nan, 2], [3, 4]]])
def test_bad_tables(table):
    with pytest.raises(InputError):
        C.p_value(table, "chi2")


def test_unknown_test():
    with pytest.raises(InputError, match="unknown test"):
        C.p_value([[1, 2], [3, 4]], "bogus")


def test_groups_helper():
    assert C.table_from_groups([23, 45], [36, 60]).tolist() == [[23, 45], [13, 15]]
    # p_value_from_groups is p_value on that table
    assert C.p_value_from_groups([29, 10, 29], [37, 16, 43], "fisher_exact") == C.p_value(
        [[29, 10, 29], [8, 6, 14]], "fisher_exact")
    for counts, totals in (([5], [4]), ([1, 2], [3]), ([1.5, 2], [3, 4]), ([True, 2], [3, 4])):
        with pytest.raises(InputError):
            C.table_from_groups(counts, totals)


def test_all_p_values_has_every_method():
    assert tuple(C.all_p_values([[3, 1], [1, 3]])) == C.P_METHODS
    assert set(C.P_METHOD_LABELS) == set(C.P_METHODS)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([(2, 2), (2, 3), (3, 3), (4, 2)]), st.data())
def test_chi_square_family_agrees_with_scipy(shape, data):
    """vah writes the chi-square tests out (scipy.stats is slow to import); scipy is the check."""
    cells = data.draw(st.lists(st.integers(0, 30), min_size=shape[0] * shape[1],
                               max_size=shape[0] * shape[1]))
    arr = np.array(cells).reshape(shape)
    arr = arr[arr.sum(axis=1) > 0][:, arr.sum(axis=0) > 0] if arr.any() else arr
    if arr.ndim != 2 or min(arr.shape) < 2 or (arr.sum(0) == 0).any() \
            or (arr.sum(1) == 0).any():
        return
    for method, kwargs in (("chi2", {"correction": False}), ("chi2_yates", {"correction": True}),
                           ("likelihood_ratio", {"correction": False,
                                                 "lambda_": "log-likelihood"})):
        expected = stats.chi2_contingency(arr, **kwargs).pvalue
        assert C.p_value(arr, method) == pytest.approx(expected, rel=1e-9, abs=1e-12)
