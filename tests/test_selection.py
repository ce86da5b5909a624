"""Tests of scorecard.selection.

Real data: the German credit sample, WOE-encoded here by an independent,
deliberately simple encoder (WOE per category, or per quintile for numeric
columns, +0.5 smoothing), so these tests do not depend on the binning module.
Statistics (correlation, VIF, p-values) are recomputed independently with
pandas, scikit-learn and statsmodels.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.linear_model import LinearRegression

from scorecard.errors import DataError, MissingColumnError, TargetError
from scorecard.selection import (
    SelectionResult,
    filter_correlation,
    filter_iv,
    filter_missing,
    filter_vif,
    select_features,
    stepwise,
)

DATA = Path(__file__).resolve().parents[1] / "scorecard" / "data" / "german_credit.csv"
STEP_ORDER = ["iv", "missing", "correlation", "vif", "stepwise"]


# --------------------------------------------------------------------------
# Independent helpers
# --------------------------------------------------------------------------


def simple_woe(col: pd.Series, y: pd.Series) -> tuple[pd.Series, float]:
    """WOE per category (or quintile), +0.5 smoothing; WOE = ln(good share / bad share)."""
    if pd.api.types.is_numeric_dtype(col):
        bins = pd.qcut(col, 5, duplicates="drop").astype(str)
    else:
        bins = col.astype(str)
    table = pd.crosstab(bins, y)
    good, bad = table[0] + 0.5, table[1] + 0.5
    G, B = (y == 0).sum(), (y == 1).sum()
    woe = np.log((good / G) / (bad / B))
    iv = float(((good / G - bad / B) * woe).sum())
    return bins.map(woe).astype(float), iv


def independent_vif(X: pd.DataFrame) -> pd.Series:
    """VIF_j = 1 / (1 - R_j^2), R_j^2 from an OLS of x_j on the others with intercept."""
    out = {}
    for c in X.columns:
        others = X.drop(columns=[c])
        if others.shape[1] == 0:
            out[c] = 1.0
            continue
        r2 = LinearRegression().fit(others, X[c]).score(others, X[c])
        out[c] = 1.0 / (1.0 - r2) if r2 < 1 else np.inf
    return pd.Series(out)


def logit(y, X: pd.DataFrame):
    exog = sm.add_constant(X.to_numpy(), has_constant="add")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sm.Logit(np.asarray(y, dtype=float), exog).fit(disp=0)


def lr_pvalue(y, X: pd.DataFrame, kept: list[str], cand: str) -> float:
    small = logit(y, X[kept]) if kept else logit(y, X.iloc[:, :0])
    big = logit(y, X[kept + [cand]])
    return float(stats.chi2.sf(2 * (big.llf - small.llf), 1))


def check_partition(res: SelectionResult, features: list[str]) -> None:
    dropped = res.dropped["feature"].tolist()
    assert len(dropped) == len(set(dropped)), "a feature was dropped twice"
    assert not set(res.kept) & set(dropped)
    assert set(res.kept) | set(dropped) == set(features)
    assert res.kept == [f for f in features if f in set(res.kept)], "kept is not in input order"
    assert list(res.dropped.columns) == ["feature", "step", "reason", "value", "threshold"]
    for feat, reason in zip(res.dropped["feature"], res.dropped["reason"]):
        assert f"'{feat}'" in reason


# --------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def german():
    raw = pd.read_csv(DATA)
    y = (raw.pop("creditability") == "bad").astype(int)
    woe, iv = {}, {}
    for c in raw.columns:
        woe[c], iv[c] = simple_woe(raw[c], y)
    return pd.DataFrame(woe), y, pd.Series(iv), raw


@pytest.fixture(scope="module")
def german_strong(german):
    """German WOE features with IV >= 0.02 and not constant."""
    X, y, iv, _ = german
    keep = [c for c in X.columns if iv[c] >= 0.02 and X[c].std() > 0]
    return X[keep], y, iv[keep]


@pytest.fixture(scope="module")
def dup_data():
    rng = np.random.default_rng(7)
    n = 1000
    X = pd.DataFrame({"x1": rng.normal(size=n), "x2": rng.normal(size=n)})
    X["x1_dup"] = X["x1"] * 1.0001 + rng.normal(scale=1e-4, size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(1 + X["x1"] + 0.5 * X["x2"]))).astype(int)
    return X, y


# --------------------------------------------------------------------------
# IV
# --------------------------------------------------------------------------


def test_filter_iv_german_drops_exactly_weak_features(german):
    X, _, iv, _ = german
    res = filter_iv(iv, min_iv=0.02)
    weak = set(iv.index[iv < 0.02])
    assert len(weak) == 6  # the encoding's known weak features
    assert set(res.dropped["feature"]) == weak
    assert res.kept == [c for c in iv.index if c not in weak]
    assert (res.dropped["step"] == "iv").all()
    np.testing.assert_allclose(res.dropped["value"], iv[res.dropped["feature"]].to_numpy())
    assert (res.dropped["threshold"] == 0.02).all()
    check_partition(res, list(iv.index))


def test_filter_iv_max_iv_flags_leakage():
    iv = pd.Series({"a": 0.1, "leak": 1.7, "weak": 0.001, "edge": 0.02})
    res = filter_iv(iv, min_iv=0.02, max_iv=0.5)
    assert res.kept == ["a", "edge"]  # IV equal to min_iv is kept
    row = res.dropped.set_index("feature").loc["leak"]
    assert row["threshold"] == 0.5 and "max_iv" in row["reason"] and "1.7" in row["reason"]
    assert filter_iv(iv, min_iv=None).kept == list(iv.index)


def test_filter_iv_logs_each_drop(caplog):
    with caplog.at_level(logging.INFO, logger="scorecard.selection"):
        filter_iv(pd.Series({"a": 0.0, "b": 0.01, "c": 0.5}))
    msgs = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert len(msgs) == 2 and "'a'" in msgs[0] and "'b'" in msgs[1]


names = st.lists(st.text(alphabet="abcdefgh_", min_size=1, max_size=6), min_size=1, max_size=15, unique=True)


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    feats=names,
    min_iv=st.none() | st.floats(0, 1),
    max_iv=st.none() | st.floats(0, 2),
)
def test_filter_iv_partitions_input(data, feats, min_iv, max_iv):
    values = data.draw(st.lists(st.floats(0, 2), min_size=len(feats), max_size=len(feats)))
    iv = pd.Series(values, index=feats)
    res = filter_iv(iv, min_iv=min_iv, max_iv=max_iv)
    check_partition(res, feats)
    expected_drop = {
        f for f, v in iv.items() if (min_iv is not None and v < min_iv) or (max_iv is not None and v > max_iv)
    }
    assert set(res.dropped["feature"]) == expected_drop


# --------------------------------------------------------------------------
# Missing share
# --------------------------------------------------------------------------


def test_filter_missing_nan_and_special_codes():
    n = 100
    X = pd.DataFrame(
        {
            "full": np.arange(n, dtype=float),
            "nan96": [np.nan] * 96 + [1.0] * 4,
            "nan95": [np.nan] * 95 + [1.0] * 5,  # exactly at the threshold: kept
            "coded": [-999] * 60 + [np.nan] * 37 + [1] * 3,
            "cat": ["unknown"] * 97 + ["a", "b", "c"],
        }
    )
    res = filter_missing(X, max_missing=0.95)
    assert res.kept == ["full", "nan95", "coded", "cat"]
    assert res.dropped["value"].tolist() == [0.96]

    res = filter_missing(X, max_missing=0.95, special_codes=[-999, "unknown"])
    assert res.kept == ["full", "nan95"]
    got = res.dropped.set_index("feature")["value"]
    assert got.to_dict() == {"nan96": 0.96, "coded": 0.97, "cat": 0.97}

    res = filter_missing(X, max_missing=0.95, special_codes={"coded": [-999]})
    assert res.kept == ["full", "nan95", "cat"]
    with pytest.raises(MissingColumnError, match="typo"):
        filter_missing(X, special_codes={"typo": [-1]})


# --------------------------------------------------------------------------
# Correlation
# --------------------------------------------------------------------------


@pytest.mark.parametrize("max_corr", [0.2, 0.3])
def test_filter_correlation_german(german, max_corr):
    X, _, iv, _ = german
    res = filter_correlation(X, iv, max_corr=max_corr)
    check_partition(res, list(X.columns))
    assert len(res.dropped) >= 1
    corr = X.corr().fillna(0.0)  # a constant column has no correlation
    kept_corr = corr.loc[res.kept, res.kept].abs().to_numpy().copy()
    np.fill_diagonal(kept_corr, 0.0)
    assert kept_corr.max() <= max_corr
    for _, row in res.dropped.iterrows():
        f = row["feature"]
        partners = [k for k in res.kept if abs(corr.loc[f, k]) > max_corr and iv[k] > iv[f]]
        assert partners, f"{f} dropped without a stronger, correlated kept partner"
        assert any(f"'{p}'" in row["reason"] for p in partners)
        assert row["value"] == pytest.approx(corr.loc[f, partners].abs().max(), abs=1e-9)


def test_filter_correlation_ignores_column_order(german):
    X, _, iv, _ = german
    cols = list(X.columns)
    rng = np.random.default_rng(3)
    shuffled = [cols[i] for i in rng.permutation(len(cols))]
    a = filter_correlation(X, iv, max_corr=0.25)
    b = filter_correlation(X[shuffled], iv, max_corr=0.25)
    assert set(a.kept) == set(b.kept)
    assert b.kept == [c for c in shuffled if c in set(b.kept)]
    pd.testing.assert_frame_equal(a.dropped, b.dropped)


def test_filter_correlation_duplicate_keeps_higher_iv(dup_data):
    X, _ = dup_data
    res = filter_correlation(X, {"x1": 0.3, "x2": 0.1, "x1_dup": 0.29})
    assert res.kept == ["x1", "x2"]
    assert res.dropped["feature"].tolist() == ["x1_dup"]
    assert res.dropped["value"].iloc[0] > 0.999
    res = filter_correlation(X, {"x1": 0.28, "x2": 0.1, "x1_dup": 0.29}, method="spearman")
    assert res.kept == ["x2", "x1_dup"]


# --------------------------------------------------------------------------
# VIF
# --------------------------------------------------------------------------


def test_filter_vif_german_against_independent_vif(german):
    X, _, iv, _ = german
    max_vif = 1.25
    res = filter_vif(X, max_vif=max_vif, iv=iv)
    check_partition(res, list(X.columns))
    # the quintile encoding makes one column constant: dropped first
    const = [c for c in X.columns if X[c].std() == 0]
    assert res.dropped["feature"].tolist()[: len(const)] == const
    assert len(res.dropped) > len(const)
    assert independent_vif(X[res.kept]).max() <= max_vif
    # replay: each removal took the feature with the highest independent VIF
    remaining = [c for c in X.columns if c not in const]
    for _, row in res.dropped.iloc[len(const):].iterrows():
        vif = independent_vif(X[remaining])
        assert row["value"] == pytest.approx(vif[row["feature"]], rel=1e-6)
        assert vif[row["feature"]] >= vif.max() * (1 - 0.01)
        assert vif.max() > max_vif
        remaining.remove(row["feature"])
    assert sorted(remaining) == sorted(res.kept)


def test_filter_vif_nothing_to_drop(german_strong):
    X, _, iv = german_strong
    res = filter_vif(X, max_vif=5.0, iv=iv)
    assert res.kept == list(X.columns) and res.dropped.empty


def test_filter_vif_duplicate(dup_data):
    X, _ = dup_data
    res = filter_vif(X, max_vif=5.0, iv={"x1": 0.3, "x2": 0.1, "x1_dup": 0.29})
    assert res.kept == ["x1", "x2"] and res.dropped["feature"].tolist() == ["x1_dup"]
    assert res.dropped["value"].iloc[0] > 1e6
    res = filter_vif(X, max_vif=5.0, iv={"x1": 0.2, "x2": 0.1, "x1_dup": 0.29})
    assert res.kept == ["x2", "x1_dup"]
    res = filter_vif(X, max_vif=5.0)
    assert len(res.dropped) == 1 and res.dropped["feature"].iloc[0] in {"x1", "x1_dup"}
    assert "x2" in res.kept


def test_filter_vif_exact_tie_broken_by_iv_then_name():
    rng = np.random.default_rng(0)
    a = rng.normal(size=300)
    X = pd.DataFrame({"b": a, "a": a.copy(), "c": rng.normal(size=300)})
    assert filter_vif(X, iv={"a": 0.1, "b": 0.2, "c": 0.1}).kept == ["b", "c"]
    assert filter_vif(X, iv={"a": 0.1, "b": 0.1, "c": 0.1}).kept == ["a", "c"]
    assert filter_vif(X).kept == ["a", "c"]


# --------------------------------------------------------------------------
# Stepwise
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def german_both(german_strong):
    X, y, _ = german_strong
    return stepwise(X, y, direction="both")


def test_stepwise_both_final_model_significant(german_strong, german_both):
    X, y, _ = german_strong
    res = german_both
    check_partition(res, list(X.columns))
    assert 3 <= len(res.kept) < X.shape[1]
    fit = logit(y, X[res.kept])
    assert fit.mle_retvals["converged"]
    assert (fit.pvalues[1:] <= 0.10).all()
    assert "status_of_existing_checking_account" in res.kept


def test_stepwise_forward_stops_correctly(german_strong):
    X, y, _ = german_strong
    res = stepwise(X, y, direction="forward", p_enter=0.05)
    check_partition(res, list(X.columns))
    assert res.kept
    for _, row in res.dropped.iterrows():
        p = lr_pvalue(y, X, res.kept, row["feature"])
        assert p >= 0.05, f"{row['feature']} would enter with LR p={p}"
        assert row["value"] == pytest.approx(p, rel=1e-5, abs=1e-9)
        assert row["threshold"] == 0.05
    # the first feature to enter is the best single one
    uni = {c: lr_pvalue(y, X, [], c) for c in X.columns}
    assert min(uni, key=uni.get) in res.kept


def test_stepwise_backward_and_aic(german_strong):
    X, y, _ = german_strong
    back = stepwise(X, y, direction="backward")
    check_partition(back, list(X.columns))
    assert (logit(y, X[back.kept]).pvalues[1:] <= 0.10).all()

    aic = stepwise(X, y, direction="forward", criterion="aic")
    base = logit(y, X[aic.kept]).aic
    for f in aic.dropped["feature"]:
        assert logit(y, X[aic.kept + [f]]).aic >= base - 1e-6


def test_stepwise_max_features(german_strong):
    X, y, _ = german_strong
    res = stepwise(X, y, max_features=3)
    assert len(res.kept) == 3
    assert res.dropped["reason"].str.contains("max_features=3").any()
    back = stepwise(X, y, direction="backward", max_features=2)
    assert len(back.kept) == 2


def test_stepwise_deterministic(german_strong, german_both):
    X, y, _ = german_strong
    again = stepwise(X, y)
    assert again.kept == german_both.kept
    pd.testing.assert_frame_equal(again.dropped, german_both.dropped)


def test_stepwise_drops_pure_noise():
    rng = np.random.default_rng(11)
    n = 3000
    X = pd.DataFrame(rng.normal(size=(n, 4)), columns=["s1", "s2", "noise1", "noise2"])
    y = (rng.random(n) < 1 / (1 + np.exp(1 + 0.8 * X["s1"] - 0.5 * X["s2"]))).astype(int)
    for direction in ("both", "forward", "backward"):
        res = stepwise(X, y, direction=direction)
        assert res.kept == ["s1", "s2"], direction


@pytest.mark.parametrize("direction", ["both", "forward", "backward"])
@pytest.mark.parametrize("criterion", ["pvalue", "aic"])
def test_stepwise_perfect_separation_handled(direction, criterion):
    rng = np.random.default_rng(5)
    n = 500
    X = pd.DataFrame(rng.normal(size=(n, 2)), columns=["a", "b"])
    y = (rng.random(n) < 1 / (1 + np.exp(1 + 1.5 * X["a"]))).astype(int)
    X["sep"] = np.where(y == 1, -1.0, 1.0) + rng.normal(scale=0.01, size=n)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # statsmodels' warnings must not leak
        res = stepwise(X, y, direction=direction, criterion=criterion)
    assert "sep" not in res.kept and "a" in res.kept
    reason = res.dropped.set_index("feature").loc["sep", "reason"]
    assert "converge" in reason and "separation" in reason


def test_stepwise_y_as_series(german_strong, german_both):
    X, y, _ = german_strong
    assert stepwise(X, pd.Series(y.to_numpy(), index=X.index)).kept == german_both.kept
    with pytest.raises(DataError, match="index"):
        stepwise(X, pd.Series(y.to_numpy(), index=X.index + 1))


# --------------------------------------------------------------------------
# Chain
# --------------------------------------------------------------------------


def test_select_features_german_chain(german):
    X, y, iv, raw = german
    raw = raw.copy()
    raw.loc[raw.index[:970], "age_in_years"] = np.nan
    res = select_features(X, y, iv, X_raw=raw, max_corr=0.3, max_vif=1.1)
    check_partition(res, list(X.columns))
    steps = res.dropped["step"].map(STEP_ORDER.index).tolist()
    assert steps == sorted(steps)
    assert set(res.dropped["step"]) == set(STEP_ORDER)
    assert res.dropped.set_index("feature").loc["age_in_years", "step"] == "missing"
    # replay the chain with the public functions
    r1 = filter_iv(iv, 0.02)
    r2 = filter_missing(raw[r1.kept], 0.95)
    r3 = filter_correlation(X[r2.kept], iv, 0.3)
    r4 = filter_vif(X[r3.kept], 1.1, iv)
    r5 = stepwise(X[r4.kept], y)
    assert res.kept == r5.kept
    expected = pd.concat([r.dropped for r in (r1, r2, r3, r4, r5)], ignore_index=True)
    pd.testing.assert_frame_equal(res.dropped, expected)


def test_select_features_none_skips_steps(german):
    X, y, iv, _ = german
    res = select_features(X, y, iv, min_iv=None, max_missing=None, max_corr=None, max_vif=None, stepwise=False)
    assert res.kept == list(X.columns) and res.dropped.empty
    res = select_features(X, y, iv, max_corr=None, max_vif=None, stepwise=False)
    assert set(res.dropped["step"]) == {"iv"}


def test_all_dropped_returns_empty_and_warns(german, caplog):
    X, y, iv, _ = german
    with caplog.at_level(logging.INFO, logger="scorecard.selection"):
        res = select_features(X, y, iv, min_iv=5.0)
    assert res.kept == [] and len(res.dropped) == X.shape[1]
    assert any(r.levelno == logging.WARNING and "all" in r.getMessage() for r in caplog.records)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="scorecard.selection"):
        assert filter_iv(iv, min_iv=5.0).kept == []
    assert [r.levelno for r in caplog.records] == [logging.WARNING]


# --------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------


@pytest.fixture
def small():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(50, 3)), columns=["a", "b", "c"])
    y = np.r_[np.zeros(25, int), np.ones(25, int)]
    iv = pd.Series({"a": 0.1, "b": 0.2, "c": 0.3})
    return X, y, iv


CALLS = {
    "correlation": lambda X, y, iv: filter_correlation(X, iv),
    "vif": lambda X, y, iv: filter_vif(X, iv=iv),
    "stepwise": lambda X, y, iv: stepwise(X, y),
    "select": lambda X, y, iv: select_features(X, y, iv),
}


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_or_inf_in_woe_names_column(small, call, bad):
    X, y, iv = small
    X = X.copy()
    X.loc[3, "b"] = bad
    with pytest.raises(DataError, match="'b'"):
        CALLS[call](X, y, iv)


@pytest.mark.parametrize("call", ["correlation", "vif", "select"])
def test_iv_missing_a_feature(small, call):
    X, y, iv = small
    with pytest.raises(MissingColumnError, match="'c'"):
        CALLS[call](X, y, iv.drop("c"))


@pytest.mark.parametrize("call", ["stepwise", "select"])
def test_one_class_target(small, call):
    X, _, iv = small
    with pytest.raises(TargetError, match="one class"):
        CALLS[call](X, np.zeros(len(X), int), iv)


@pytest.mark.parametrize("call", CALLS)
def test_empty_frame(small, call):
    _, y, iv = small
    with pytest.raises(DataError, match="no columns"):
        CALLS[call](pd.DataFrame(index=range(50)), y, iv)
    with pytest.raises(DataError, match="empty"):
        CALLS[call](pd.DataFrame({"a": [], "b": [], "c": []}, dtype=float), y[:0], iv)


def test_other_bad_input(small):
    X, y, iv = small
    with pytest.raises(DataError, match="not numeric"):
        filter_vif(X.assign(d=["x"] * len(X)))
    with pytest.raises(DataError, match="empty"):
        filter_iv(pd.Series(dtype=float))
    with pytest.raises(DataError, match="'a'"):
        filter_iv(pd.Series({"a": np.nan}))
    with pytest.raises(ValueError, match="method"):
        filter_correlation(X, iv, method="cosine")
    with pytest.raises(ValueError, match="direction"):
        stepwise(X, y, direction="sideways")
    with pytest.raises(ValueError, match="max_features"):
        stepwise(X, y, max_features=0)
    with pytest.raises(TargetError):
        stepwise(X, y[:-1])
    with pytest.raises(MissingColumnError, match="'b'"):
        select_features(X, y, iv, X_raw=X.drop(columns="b"))


def test_stepwise_cycle_terminates(german_strong, caplog):
    # p_enter > p_remove makes features enter and leave again: must stop
    X, y, _ = german_strong
    with caplog.at_level(logging.WARNING, logger="scorecard.selection"):
        res = stepwise(X, y, p_enter=0.5, p_remove=0.01)
    check_partition(res, list(X.columns))
    assert res.kept and (logit(y, X[res.kept]).pvalues[1:] <= 0.01).all()
    assert any("cycle" in r.getMessage() for r in caplog.records)
