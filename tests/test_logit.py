"""scorecard.logit: the one-pass statistics against independent references.

statsmodels' ``Logit`` (Newton) and ``variance_inflation_factor`` are the
references here and only here; the library itself never imports statsmodels
in a fit (checked in a fresh process).
"""

from __future__ import annotations

import subprocess
import sys
import warnings

import duckdb
import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.outliers_influence import variance_inflation_factor

from scorecard import LogisticScorecard, WOEBinner
from scorecard.datasets import load_german_credit, make_applications
from scorecard.logit import ArrayDesign, SqlDesign, fit_logit, score_tests, vif_from_corr
from scorecard.model import _binned_design


@pytest.fixture(scope="module")
def german():
    X, y = load_german_credit()
    binner = WOEBinner(progress=False).fit(X, y)
    return X, y.to_numpy(), binner


def _sm(y, W):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sm.Logit(np.asarray(y, float), sm.add_constant(W, has_constant="add")).fit(disp=0, method="newton")


def test_coefficients_and_standard_errors_equal_statsmodels_on_german(german):
    X, y, binner = german
    W = binner.transform(X)
    keep = [j for j in range(W.shape[1]) if np.unique(W[:, j]).size > 1]
    W = W[:, keep]
    fit = fit_logit(ArrayDesign(W, y, chunk_rows=97), range(W.shape[1]))  # many chunks
    ref = _sm(y, W)
    assert fit.converged
    np.testing.assert_allclose(fit.params, ref.params, rtol=0, atol=1e-8)
    np.testing.assert_allclose(fit.bse, ref.bse, rtol=0, atol=1e-8)
    np.testing.assert_allclose(fit.pvalues, ref.pvalues, rtol=0, atol=1e-8)
    assert fit.llf == pytest.approx(ref.llf, abs=1e-8)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), k=st.integers(1, 6), n=st.integers(200, 3000))
def test_fit_equals_statsmodels_on_random_designs(seed, k, n):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, k)) * rng.uniform(0.2, 3, size=k)
    beta = rng.normal(scale=0.5, size=k)
    y = (rng.random(n) < 1 / (1 + np.exp(-(X @ beta - 1.0)))).astype(int)
    if y.min() == y.max():
        return
    fit = fit_logit(ArrayDesign(X, y, chunk_rows=128), range(k))
    ref = _sm(y, X)
    if not ref.mle_retvals["converged"]:
        return
    np.testing.assert_allclose(fit.params, ref.params, rtol=0, atol=1e-8)
    np.testing.assert_allclose(fit.bse, ref.bse, rtol=0, atol=1e-8)


def test_warm_start_gives_the_same_fit(german):
    X, y, binner = german
    W = binner.transform(X)[:, :5]
    d = ArrayDesign(W, y)
    cold = fit_logit(d, range(5))
    warm = fit_logit(d, range(5), start=np.r_[fit_logit(d, range(4)).params, 0.0])
    np.testing.assert_allclose(warm.params, cold.params, rtol=0, atol=1e-12)
    assert warm.n_iter <= cold.n_iter


def test_binned_design_is_exactly_the_woe_matrix(german):
    X, y, binner = german
    feats = binner.features_
    W = binner.transform(X)
    bd = _binned_design(binner, X, y, feats)
    assert bd.X.dtype == np.uint8
    blk = bd._block(0, len(X), range(len(feats)), False)
    assert np.array_equal(blk, W)
    cols = [0, 2, 5]
    a, b = fit_logit(ArrayDesign(W, y), cols), fit_logit(bd, cols)
    assert np.array_equal(a.params, b.params)


def test_score_test_equals_the_direct_formula(german):
    X, y, binner = german
    W = binner.transform(X)[:, :6]
    d = ArrayDesign(W, y)
    base = fit_logit(d, [0, 1])
    got = score_tests(d, [0, 1], base, [2, 3, 4])
    for c, s in zip([2, 3, 4], got):
        A = sm.add_constant(W[:, [0, 1, c]], has_constant="add")
        p = 1 / (1 + np.exp(-(A[:, :3] @ base.params)))
        g = A.T @ (y - p)
        info = A.T @ (A * (p * (1 - p))[:, None])
        direct = g @ np.linalg.solve(info, g)
        assert s == pytest.approx(direct, rel=1e-8)
        lr = 2 * (fit_logit(d, [0, 1, c]).llf - base.llf)
        assert stats.chi2.sf(s, 1) == pytest.approx(stats.chi2.sf(lr, 1), abs=0.05)  # asymptotically equal


def test_vif_equals_statsmodels_and_singular_is_inf(german):
    X, y, binner = german
    W = binner.transform(X)[:, :8]
    exog = sm.add_constant(W, has_constant="add")
    ref = [variance_inflation_factor(exog, j + 1) for j in range(W.shape[1])]
    got = vif_from_corr(ArrayDesign(W, y).correlation(range(W.shape[1])))
    np.testing.assert_allclose(got, ref, rtol=1e-10)
    dup = np.column_stack([W[:, :3], W[:, 0] + W[:, 1]])
    v = vif_from_corr(ArrayDesign(dup, y).correlation(range(4)))
    assert np.isinf(v[[0, 1, 3]]).all() and np.isfinite(v[2])


def test_separation_is_reported_not_raised():
    x = np.r_[np.zeros(50), np.ones(50)]
    y = x.astype(int)
    fit = fit_logit(ArrayDesign(x[:, None], y), [0])
    assert not fit.ok and fit.problem


def test_duckdb_design_equals_memory(german):
    X, y, binner = german
    feats = binner.features_[:6]
    con = duckdb.connect()
    df = X.copy()
    df["bad"] = y
    con.register("g", df)
    from scorecard import sql as _sql

    d = SqlDesign(lambda q: con.execute(q).fetchall(), "g", {f: _sql.bin_case(binner.bins_[f]) for f in feats}, '"bad"')
    mem = ArrayDesign(binner.transform(X, features=feats), y)
    a, b = fit_logit(d, range(6)), fit_logit(mem, range(6))
    np.testing.assert_allclose(a.params, b.params, rtol=0, atol=1e-9)
    np.testing.assert_allclose(a.bse, b.bse, rtol=0, atol=1e-9)
    np.testing.assert_allclose(d.correlation(range(6)), mem.correlation(range(6)), atol=1e-12)
    np.testing.assert_allclose(
        score_tests(d, [0], fit_logit(d, [0]), [1, 2]), score_tests(mem, [0], fit_logit(mem, [0]), [1, 2]), rtol=1e-9
    )


def _same_model(a, b, tol):
    assert a.features_ == b.features_
    np.testing.assert_allclose(a.intercept_, b.intercept_, rtol=0, atol=tol)
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=0, atol=tol)
    np.testing.assert_allclose(a._inference["std_err"], b._inference["std_err"], rtol=0, atol=tol)


def test_scorecard_fit_through_duckdb_equals_memory_german(german, tmp_path):
    X, y, _ = german
    df = X.copy()
    df["bad"] = y
    path = tmp_path / "german.parquet"
    df.to_parquet(path)
    mem = LogisticScorecard(progress=False).fit(X, y)
    _same_model(LogisticScorecard(progress=False).fit(str(path), "bad"), mem, 1e-9)
    rel = duckdb.connect().from_parquet(str(path))
    _same_model(LogisticScorecard(progress=False).fit(rel, "bad"), mem, 1e-9)


@pytest.mark.slow
@pytest.mark.parametrize("params", [{"max_features": 5}, {"stepwise": True, "max_features": 6}])
def test_selection_paths_through_duckdb_equal_memory(german, params):
    """The forward path of max_features, and stepwise (score entry, Wald removal), as SQL passes."""
    X, y, _ = german
    df = X.copy()
    df["bad"] = y
    con = duckdb.connect()
    rel = con.from_df(df)
    mem = LogisticScorecard(progress=False, **params).fit(X, y)
    _same_model(LogisticScorecard(progress=False, **params).fit(rel, "bad"), mem, 1e-9)


@pytest.mark.slow
def test_scorecard_fit_through_duckdb_equals_memory_100k(tmp_path):
    df = make_applications(100_000, random_state=3)
    from scorecard.datasets import FEATURE_COLUMNS

    X = df[list(FEATURE_COLUMNS)]
    y = df["bad"].to_numpy()
    out = X.copy()
    out["bad"] = y
    path = tmp_path / "apps.parquet"
    out.to_parquet(path)
    mem = LogisticScorecard(progress=False).fit(X, y)
    _same_model(LogisticScorecard(progress=False).fit(str(path), "bad"), mem, 1e-9)


def test_default_fit_does_not_import_statsmodels():
    code = (
        "import sys\n"
        "import scorecard\n"
        "from scorecard import LogisticScorecard\n"
        "from scorecard.datasets import load_german_credit\n"
        "X, y = load_german_credit()\n"
        "m = LogisticScorecard(progress=False).fit(X, y)\n"
        "m.summary()\n"
        "bad = [k for k in ('statsmodels', 'mlflow', 'shap') if k in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=300)
