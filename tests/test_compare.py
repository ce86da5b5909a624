"""Tests of scorecard.compare: DeLong, the paired bootstrap, swap sets, the comparison.

DeLong's fast algorithm (Sun & Xu 2014) is checked against a slow O(n^2)
placement-value implementation written out here, against scikit-learn's AUC,
against the paired bootstrap on German credit, and for its size under the
null hypothesis by simulation.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split

from scorecard import LogisticScorecard, metrics
from scorecard.challenger import GBMChallenger
from scorecard.compare import (
    Comparison,
    compare_models,
    compare_scores,
    cv_auc,
    delong_covariance,
    delong_test,
    paired_bootstrap_auc,
    risk_score,
    swap_set,
)
from scorecard.datasets import load_german_credit
from scorecard.errors import DataError, ScorecardWarning, TargetError

PROPS = settings(max_examples=40, deadline=None, database=None)


# --------------------------------------------------------------------------- #
# an independent DeLong: placement values by brute force
# --------------------------------------------------------------------------- #
def slow_delong(y: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """DeLong, DeLong & Clarke-Pearson (1988) with explicit pairwise comparisons."""
    scores = np.atleast_2d(scores)
    pos, neg = scores[:, y == 1], scores[:, y == 0]
    m, n = pos.shape[1], neg.shape[1]
    k = scores.shape[0]
    v10 = np.empty((k, m))
    v01 = np.empty((k, n))
    for r in range(k):
        psi = (pos[r][:, None] > neg[r][None, :]) + 0.5 * (pos[r][:, None] == neg[r][None, :])
        v10[r] = psi.mean(axis=1)
        v01[r] = psi.mean(axis=0)
    aucs = v10.mean(axis=1)
    s10 = np.array([[np.sum((v10[a] - aucs[a]) * (v10[b] - aucs[b])) / (m - 1) for b in range(k)] for a in range(k)])
    s01 = np.array([[np.sum((v01[a] - aucs[a]) * (v01[b] - aucs[b])) / (n - 1) for b in range(k)] for a in range(k)])
    return aucs, s10 / m + s01 / n


@PROPS
@given(
    n=st.integers(6, 120),
    k=st.integers(1, 3),
    levels=st.integers(2, 12),  # few distinct values: many ties
    seed=st.integers(0, 10_000),
)
def test_fast_delong_equals_placement_values(n, k, levels, seed):
    rng = np.random.default_rng(seed)
    y = np.r_[0, 0, 1, 1, rng.integers(0, 2, n - 4)]  # at least two of each class
    scores = rng.integers(0, levels, size=(k, n)).astype(float) + 0.3 * y
    aucs, cov = delong_covariance(y, scores)
    ref_aucs, ref_cov = slow_delong(y, scores)
    assert np.allclose(aucs, ref_aucs, rtol=0, atol=1e-12)
    assert np.allclose(cov, ref_cov, rtol=0, atol=1e-12)
    for r in range(k):
        assert aucs[r] == pytest.approx(roc_auc_score(y, scores[r]), abs=1e-12)


def test_delong_test_formula_and_identical_scores():
    rng = np.random.default_rng(5)
    y = rng.integers(0, 2, 400)
    a = y + rng.normal(0, 1.0, 400)
    b = y + rng.normal(0, 1.4, 400)
    r = delong_test(y, a, b)
    aucs, cov = slow_delong(y, np.vstack([a, b]))
    se = np.sqrt(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1])
    assert r.difference == pytest.approx(aucs[0] - aucs[1], abs=1e-12)
    assert r.std_error == pytest.approx(se, rel=1e-10)
    assert r.p_value == pytest.approx(2 * norm.sf(abs(r.difference / se)), rel=1e-10)
    assert r.ci_low == pytest.approx(r.difference - norm.ppf(0.975) * se)
    same = delong_test(y, a, a)
    assert same.difference == 0.0 and same.p_value == 1.0 and same.std_error == 0.0


def test_delong_size_under_the_null():
    # two exchangeable scores: p-values roughly uniform, about 5% below 0.05
    rng = np.random.default_rng(1)
    p = []
    for _ in range(300):
        y = rng.integers(0, 2, 200)
        z = y * 0.8 + rng.normal(size=200)
        p.append(delong_test(y, z + rng.normal(0, 0.7, 200), z + rng.normal(0, 0.7, 200)).p_value)
    share = np.mean(np.array(p) < 0.05)
    assert 0.02 <= share <= 0.09


def test_delong_is_fast():
    import time

    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200_000)
    s = rng.normal(size=(2, 200_000)) + y
    t = time.perf_counter()
    delong_test(y, s[0], s[1])
    assert time.perf_counter() - t < 5.0  # O(n log n); the O(n^2) version would need hours


def test_delong_input_errors():
    with pytest.raises(DataError, match="NaN"):
        delong_test([0, 1, 0, 1], [0.1, np.nan, 0.3, 0.4], [1, 2, 3, 4])
    with pytest.raises(DataError, match="length"):
        delong_test([0, 1, 0, 1], [1, 2, 3], [1, 2, 3, 4])
    with pytest.raises(TargetError):
        delong_test([1, 1, 1, 1], [1, 2, 3, 4], [1, 2, 3, 4])
    with pytest.raises(ValueError, match="level"):
        delong_test([0, 1, 0, 1], [1, 2, 3, 4], [1, 2, 3, 4], level=1.0)


# --------------------------------------------------------------------------- #
# German credit: the two models, DeLong against the bootstrap
# --------------------------------------------------------------------------- #
@pytest.fixture(scope="module")
def german_models():
    X, y = load_german_credit()
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, stratify=y, random_state=42)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScorecardWarning)
        sc = LogisticScorecard().fit(Xtr, ytr)
    gbm = GBMChallenger(monotone_constraints="binner", binner=sc.binner_, random_state=42).fit(Xtr, ytr)
    return sc, gbm, Xte, yte


def test_delong_agrees_with_the_paired_bootstrap_on_german(german_models):
    sc, gbm, Xte, yte = german_models
    a, b = risk_score(gbm, Xte), risk_score(sc, Xte)
    d = delong_test(yte, a, b)
    boot = paired_bootstrap_auc(yte, a, b, n_boot=4000, random_state=0)
    assert boot.difference == pytest.approx(d.difference, abs=1e-12)
    # the bootstrap's standard error and interval fall within DeLong's precision
    assert boot.std_error == pytest.approx(d.std_error, rel=0.15)
    assert d.ci_low <= boot.low + 0.5 * d.std_error and boot.low <= d.ci_low + 0.5 * d.std_error
    assert d.ci_high <= boot.high + 0.5 * d.std_error and boot.high <= d.ci_high + 0.5 * d.std_error
    assert (d.p_value < 0.05) == (boot.p_value < 0.05)
    assert d.ci_low <= boot.difference <= d.ci_high


def test_compare_models_on_german(german_models):
    sc, gbm, Xte, yte = german_models
    c = compare_models(sc, gbm, Xte, yte, approval_rate=0.7, n_boot=500, random_state=0)
    assert isinstance(c, Comparison)
    m = c.metrics.set_index("model")
    for name, model in (("champion", sc), ("challenger", gbm)):
        p = model.predict_proba(Xte)[:, 1]
        assert m.at[name, "auc"] == pytest.approx(roc_auc_score(yte, p))
        assert m.at[name, "ks"] == pytest.approx(metrics.ks(yte, p))
        assert m.at[name, "gini"] == pytest.approx(2 * m.at[name, "auc"] - 1)
        for k in ("auc", "gini", "ks"):
            assert m.at[name, f"{k}_low"] <= m.at[name, k] <= m.at[name, f"{k}_high"]
    assert m.at["challenger", "auc"] >= 0.768 and m.at["champion", "auc"] > 0.75
    assert c.delong.auc_a == pytest.approx(m.at["challenger", "auc"])
    assert c.delong.difference == pytest.approx(m.at["challenger", "auc"] - m.at["champion", "auc"])
    assert 0.5 < c.correlation["spearman"] <= 1 and 0.5 < c.correlation["pearson"] <= 1
    assert c.swap.table["count"].sum() == len(yte)
    s = c.summary()
    assert s["delong_p_value"] == c.delong.p_value and "swap_both_approve_count" in s
    assert "DeLong" in c._repr_html_() and "DeLong" in repr(c)
    from matplotlib.figure import Figure

    assert isinstance(c.plot_roc(), Figure) and isinstance(c.plot_scores(), Figure)


def test_cv_auc_matches_cross_val_score(german_models):
    X, y = load_german_credit()
    table = cv_auc({"gbm": GBMChallenger(n_estimators=100, learning_rate=0.1)}, X, y, cv=3, random_state=1)
    ref = cross_val_score(
        GBMChallenger(n_estimators=100, learning_rate=0.1), X, y,
        cv=StratifiedKFold(3, shuffle=True, random_state=1), scoring="roc_auc",
    )
    assert np.allclose(table.loc["gbm", ["fold_1", "fold_2", "fold_3"]].to_numpy(dtype=float), ref)
    assert table.at["gbm", "mean"] == pytest.approx(ref.mean())


# --------------------------------------------------------------------------- #
# swap sets
# --------------------------------------------------------------------------- #
@PROPS
@given(n=st.integers(10, 300), rate=st.floats(0.05, 1.0), levels=st.integers(2, 50), seed=st.integers(0, 10_000))
def test_swap_set_counts_add_up(n, rate, levels, seed):
    rng = np.random.default_rng(seed)
    y = np.r_[0, 1, rng.integers(0, 2, n - 2)]
    a = rng.integers(0, levels, n).astype(float)
    b = rng.integers(0, levels, n).astype(float)
    s = swap_set(y, a, b, rate)
    t = s.table
    assert t["count"].sum() == n
    assert t["bads"].sum() == y.sum()
    assert t["share"].sum() == pytest.approx(1.0)
    for name, risk in (("champion", a), ("challenger", b)):
        ok = risk <= s.cutoffs[name]
        assert ok.mean() == pytest.approx(s.approval_rates[name])
        assert ok.mean() >= rate - 1e-9  # ties are kept together, so at least the target
        # the cut is the smallest that reaches the rate
        below = risk < s.cutoffs[name]
        assert below.mean() < rate - 1e-12 or below.sum() == 0
        approved_a = t.loc[t[name] == "approve", "count"].sum()
        assert approved_a == ok.sum()


def test_swap_set_segments_by_hand():
    y = np.array([0, 0, 1, 1, 0, 1, 0, 0, 1, 0])
    a = np.arange(10.0)  # approves rows 0..6 at 70%
    b = np.array([0, 1, 2, 3, 4, 5, 9, 8, 7, 6], dtype=float)  # approves rows 0..5 and 9
    s = swap_set(y, a, b, 0.7)
    t = s.table.set_index("segment")
    assert t["count"].tolist() == [6, 1, 1, 2]
    assert t["bads"].tolist() == [3, 0, 0, 1]
    assert t.loc["only champion approves (swap-out)", "count"] == 1  # row 6
    assert s.approved_bad_rates == {"champion": 3 / 7, "challenger": 3 / 7}
    with pytest.raises(ValueError, match="approval_rate"):
        swap_set(y, a, b, 0.0)


def test_paired_bootstrap_is_seeded():
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 300)
    a, b = y + rng.normal(size=300), y + rng.normal(size=300)
    r1 = paired_bootstrap_auc(y, a, b, n_boot=300, random_state=9)
    r2 = paired_bootstrap_auc(y, a, b, n_boot=300, random_state=9)
    assert r1 == r2
    assert r1.low <= r1.difference <= r1.high
    with pytest.raises(ValueError, match="n_boot"):
        paired_bootstrap_auc(y, a, b, n_boot=0)


def test_compare_scores_with_plain_scores():
    rng = np.random.default_rng(4)
    y = pd.Series(rng.integers(0, 2, 500))
    c = compare_scores(y, y + rng.normal(size=500), 2 * y + rng.normal(size=500), names=("old", "new"), n_boot=200)
    assert c.metrics["model"].tolist() == ["old", "new"]
    assert c.delong.difference > 0 and c.delong.p_value < 0.05
    assert set(c.scores.columns) == {"old", "new", "y"}
    with pytest.raises(TypeError, match="predict_proba"):
        risk_score(object(), None)
