"""Tests of scorecard._solver: the dynamic-programming merge against optbinning's CP-SAT
optimum and against brute-force enumeration, CART pre-binning on a table against
scikit-learn's tree on the rows, quantile pre-bins against numpy, and the automatic
trend against optbinning's."""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard import _solver
from scorecard.binning import _solve_numeric

TRENDS = [None, "ascending", "descending", "peak", "valley", "auto", "auto_asc_desc"]


@st.composite
def tables(draw, min_size=2, max_size=16):
    """A pre-bin count table: a noisy trend (rising, falling, U, hump), sometimes a pure bin."""
    m = draw(st.integers(min_size, max_size))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n = rng.integers(1, 300, m)
    xs = np.linspace(-1, 1, m)
    shape = [0.2 * xs, -0.2 * xs, -0.3 * xs**2, 0.3 * xs**2][int(rng.integers(0, 4))]
    p = np.clip(rng.random() * 0.3 + 0.1 + shape + rng.normal(0, 0.05, m), 0.01, 0.9)
    bad = rng.binomial(n, p).astype(float)
    if draw(st.booleans()):
        bad[rng.integers(0, m)] = 0  # a pure pre-bin: merged first, as optbinning does
    good = n - bad
    if good.sum() == 0 or bad.sum() == 0:
        bad[0], good[0] = 1, max(good[0], 1)
    return good, bad


def optbinning_keep(good, bad, trend, min_bin_size, max_n_bins):
    """optbinning's CP-SAT solution on the same pre-bins (the reference path of the binner)."""
    splits = np.arange(good.size - 1, dtype=float) + 0.5
    params = dict(
        monotonic_trend=trend, min_bin_size=min_bin_size, max_n_bins=max_n_bins, max_n_prebins=20,
        time_limit=100, solver="optbinning",
    )
    chosen, _ = _solve_numeric(splits, good, bad, params)
    return np.isin(splits, chosen)


def exact_iv(good, bad, keep):
    starts = np.concatenate(([0], np.flatnonzero(keep) + 1))
    g = np.add.reduceat(good, starts)
    b = np.add.reduceat(bad, starts)
    pg, pb = g / good.sum(), b / bad.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where((pg > 0) & (pb > 0), (pg - pb) * np.log(pg / pb), 0.0)
    return float(terms.sum())


@settings(max_examples=70, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    table=tables(),
    trend=st.sampled_from(TRENDS),
    min_bin_size=st.sampled_from([None, 0.05, 0.1]),
    max_n_bins=st.sampled_from([None, None, 3, 5]),
)
def test_dp_reaches_optbinnings_optimum(table, trend, min_bin_size, max_n_bins):
    """Same integer objective as CP-SAT on every table; on ties the DP keeps the larger exact IV."""
    good, bad = table
    ours = _solver.optimal_merge(good, bad, trend=trend, min_bin_size=min_bin_size, max_n_bins=max_n_bins)
    ref = optbinning_keep(good, bad, trend, min_bin_size, max_n_bins)
    assert ours.objective == _solver.integer_objective(good, bad, ours.keep)
    assert ours.objective == _solver.integer_objective(good, bad, ref)
    if not np.array_equal(ours.keep, ref):  # a tie on the integer objective
        assert exact_iv(good, bad, ours.keep) >= exact_iv(good, bad, ref) - 1e-9


def brute_force(good, bad, trend, min_bin_size, max_n_bins):
    """Best integer objective over every partition of the refined table, checked one by one."""
    refined = _solver.refine_pure_prebins(good, bad)
    idx = np.flatnonzero(refined)
    if idx.size == 0:
        return 0
    starts = np.concatenate(([0], idx + 1))
    ne = np.add.reduceat(good, starts).astype(np.int64)
    ev = np.add.reduceat(bad, starts).astype(np.int64)
    n = ne.size
    if trend in ("auto", "auto_asc_desc"):
        trend = _solver.auto_monotonic(ne, ev, trend)
    D, V, _ = _solver._model_data(ne, ev)
    forbid = _solver._forbidden_ends(D, trend) if trend in ("ascending", "descending") else np.zeros(n, bool)
    min_size = math.ceil(min_bin_size * (good.sum() + bad.sum())) if min_bin_size else 0
    best = -1
    for mask in itertools.product([0, 1], repeat=n - 1):
        ends = [i for i in range(n - 1) if mask[i]] + [n - 1]
        if max_n_bins is not None and len(ends) > max_n_bins:
            continue
        if any(forbid[e] for e in ends[:-1]):
            continue
        bins, s = [], 0
        for e in ends:
            bins.append((s, e))
            s = e + 1
        if any(ne[s:e + 1].sum() + ev[s:e + 1].sum() < min_size for s, e in bins):
            continue
        rates = [D[e, s] for s, e in bins]
        d = np.diff(rates)
        if trend == "ascending" and (d < 0).any():
            continue
        if trend == "descending" and (d > 0).any():
            continue
        if trend in ("peak", "valley"):
            sign = 1 if trend == "peak" else -1
            ok = any(
                (sign * np.diff(rates[: t + 1]) >= 0).all() and (sign * np.diff(rates[t:]) <= 0).all()
                for t in range(len(rates))
            )
            if not ok:
                continue
        best = max(best, sum(int(V[e, s]) for s, e in bins))
    return best


@settings(max_examples=80, deadline=None)
@given(
    table=tables(max_size=9),
    trend=st.sampled_from(TRENDS),
    min_bin_size=st.sampled_from([None, 0.1]),
    max_n_bins=st.sampled_from([None, 2, 4]),
)
def test_dp_equals_brute_force_enumeration(table, trend, min_bin_size, max_n_bins):
    good, bad = table
    ours = _solver.optimal_merge(good, bad, trend=trend, min_bin_size=min_bin_size, max_n_bins=max_n_bins)
    assert ours.objective == brute_force(good, bad, trend, min_bin_size, max_n_bins)


@settings(max_examples=60, deadline=None)
@given(table=tables(max_size=20), trend=st.sampled_from(["ascending", "descending", "peak", "valley"]),
       min_bin_size=st.sampled_from([0.05, 0.2]), max_n_bins=st.sampled_from([None, 3]))
def test_solution_respects_the_constraints(table, trend, min_bin_size, max_n_bins):
    good, bad = table
    r = _solver.optimal_merge(good, bad, trend=trend, min_bin_size=min_bin_size, max_n_bins=max_n_bins)
    starts = np.concatenate(([0], np.flatnonzero(r.keep) + 1))
    g, b = np.add.reduceat(good, starts), np.add.reduceat(bad, starts)
    assert max_n_bins is None or g.size <= max_n_bins
    assert g.size == 1 or ((g + b) >= math.ceil(min_bin_size * (good.sum() + bad.sum()))).all()
    rate = (1e6 * b / (g + b)).astype(np.int64)  # the integer rates the constraints compare
    d = np.diff(rate)
    if trend == "ascending":
        assert (d >= 0).all()
    elif trend == "descending":
        assert (d <= 0).all()
    else:
        sign = 1 if trend == "peak" else -1
        assert any((sign * np.diff(rate[: t + 1]) >= 0).all() and (sign * np.diff(rate[t:]) <= 0).all()
                   for t in range(rate.size))


def test_ties_prefer_the_larger_exact_iv_on_german_credit_history():
    """Two groupings of credit_history tie on optbinning's integer objective (291827);
    the DP returns the one with the larger exact IV, which is also optbinning's."""
    good = np.array([243.0, 60.0, 361.0, 21.0, 15.0])
    bad = np.array([50.0, 28.0, 169.0, 28.0, 25.0])
    r = _solver.optimal_merge(good, bad, trend="ascending", min_bin_size=0.05)
    ref = optbinning_keep(good, bad, "ascending", 0.05, None)
    merged = np.array([True, False, True, False])
    assert _solver.integer_objective(good, bad, merged) == r.objective == 291827
    assert r.keep.tolist() == ref.tolist() == [True, True, True, False]
    assert exact_iv(good, bad, r.keep) > exact_iv(good, bad, merged)


def test_trivial_tables():
    assert _solver.optimal_merge([5.0], [1.0]).keep.size == 0
    r = _solver.optimal_merge([5.0, 0.0, 7.0], [0.0, 3.0, 0.0], trend="ascending")  # all pure: one bin
    assert not r.keep.any() and r.objective == 0
    with pytest.raises(ValueError, match="dynamic-programming solver supports"):
        _solver.optimal_merge([1.0, 2.0], [2.0, 1.0], trend="convex")


# -- pre-binning ---------------------------------------------------------------


@settings(max_examples=120, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(10, 600),
    levels=st.integers(2, 80),
    leaves=st.integers(2, 25),
    min_share=st.sampled_from([0.01, 0.05, 0.1, 0.2]),
)
def test_cart_on_the_table_equals_sklearn_tree_on_the_rows(seed, n, levels, leaves, min_share):
    from sklearn.tree import DecisionTreeClassifier

    rng = np.random.default_rng(seed)
    x = rng.integers(0, levels, n).astype(float)
    y = (rng.random(n) < 1 / (1 + np.exp(-(x - levels / 2) / levels * rng.normal() * 4))).astype(int)
    if np.unique(x).size < 2:
        return
    min_leaf = max(1, math.ceil(min_share * n))
    t = DecisionTreeClassifier(max_leaf_nodes=leaves, min_samples_leaf=min_leaf, random_state=0).fit(x[:, None], y).tree_
    ref = np.unique(t.threshold[t.feature >= 0])
    values, inv = np.unique(x, return_inverse=True)
    bad = np.bincount(inv, weights=y, minlength=values.size)
    good = np.bincount(inv, minlength=values.size) - bad
    cuts = _solver.cart_prebins(good, bad, leaves, min_leaf)
    edges = values[:-1] / 2 + values[1:] / 2
    assert edges[cuts - 1].tolist() == ref.tolist()


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 500), levels=st.integers(2, 200), k=st.integers(2, 30))
def test_quantile_prebins_equal_numpy_quantiles_on_the_rows(seed, n, levels, k):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, levels, n).astype(float)
    values, counts = np.unique(x, return_counts=True)
    cuts = _solver.quantile_prebins(counts, k)
    if values.size <= k:
        expected = np.arange(1, values.size)
    else:
        q = np.quantile(x, np.linspace(0, 1, k + 1)[1:-1], method="lower")
        pos = np.searchsorted(values, q, side="right")
        expected = np.unique(pos[(pos > 0) & (pos < values.size)])
    assert cuts.tolist() == expected.tolist()


@settings(max_examples=80, deadline=None)
@given(table=tables(min_size=3, max_size=20), mode=st.sampled_from(["auto", "auto_asc_desc"]))
def test_auto_trend_equals_optbinnings(table, mode):
    from optbinning.binning.auto_monotonic import auto_monotonic

    good, bad = table
    keep = _solver.refine_pure_prebins(good, bad)
    starts = np.concatenate(([0], np.flatnonzero(keep) + 1))
    ne = np.add.reduceat(good, starts).astype(np.int64)
    ev = np.add.reduceat(bad, starts).astype(np.int64)
    if ne.size < 2:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert _solver.auto_monotonic(ne, ev, mode) == auto_monotonic(ne, ev, mode)


def test_heap_replays_the_cpp_standard_heap_order():
    """Equal priorities pop in libstdc++'s order (not insertion order), as scikit-learn's frontier does.

    The expected orders were produced by ``std::push_heap`` / ``std::pop_heap``
    (g++ 12, libstdc++) on the same operations.
    """
    heap: list = []
    for i in range(5):
        _solver._push_heap(heap, (0.0, i))
    assert [_solver._pop_heap(heap)[1] for _ in range(5)] == [0, 2, 4, 1, 3]
    heap = []
    for i, prio in enumerate([0.1, 0.5, 0.1, 0.5, 0.0, 0.5]):
        _solver._push_heap(heap, (prio, i))
    assert [_solver._pop_heap(heap)[1] for _ in range(6)] == [1, 5, 3, 2, 0, 4]
