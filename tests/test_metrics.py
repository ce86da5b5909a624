"""Tests of scorecard.metrics against independent computations.

References: scikit-learn (roc_auc_score, brier_score_loss), scipy (ks_2samp,
chi2), and by-hand loops written out here. Real data: the German credit file
in data/; small generated samples through hypothesis.
"""

from __future__ import annotations

import math
import pickle
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from scorecard.errors import DataError, MissingColumnError, TargetError
from scorecard.metrics import (
    ConfidenceInterval,
    HosmerLemeshowResult,
    ScoreHistogram,
    auc,
    auc_ci,
    bootstrap_ci,
    brier,
    csi,
    gini,
    gini_ci,
    histogram_ci,
    histogram_metrics,
    hosmer_lemeshow,
    ks,
    ks_ci,
    ks_table,
    lift_table,
    psi,
    psi_from_counts,
    psi_reading,
    psi_table,
    score_histogram,
)

DATA = Path(__file__).resolve().parents[1] / "scorecard" / "data" / "german_credit.csv"
PROPS = settings(max_examples=50, deadline=None, database=None)


# --------------------------------------------------------------------------- #
# fixtures
# --------------------------------------------------------------------------- #
@pytest.fixture(scope="module")
def german() -> pd.DataFrame:
    df = pd.read_csv(DATA)
    df["bad"] = (df["creditability"] == "bad").astype(int)
    return df


@pytest.fixture(scope="module")
def y(german: pd.DataFrame) -> np.ndarray:
    return german["bad"].to_numpy()


@pytest.fixture(scope="module")
def simple_score(german: pd.DataFrame) -> np.ndarray:
    """A crude risk score with some ties: longer and larger loans are riskier."""
    return (german["duration_in_month"] + german["credit_amount"] / 1000).to_numpy()


@pytest.fixture(scope="module")
def p_lr(german: pd.DataFrame, y: np.ndarray) -> np.ndarray:
    """Logistic-regression probability of bad on the numeric columns (in-sample)."""
    cols = [
        "duration_in_month",
        "credit_amount",
        "age_in_years",
        "installment_rate_in_percentage_of_disposable_income",
        "present_residence_since",
        "number_of_existing_credits_at_this_bank",
    ]
    model = make_pipeline(StandardScaler(), LogisticRegression())
    model.fit(german[cols], y)
    return model.predict_proba(german[cols])[:, 1]


# --------------------------------------------------------------------------- #
# discrimination on real data
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("score_name", ["simple", "lr", "duration_only"])
def test_auc_gini_ks_match_sklearn_and_scipy(german, y, simple_score, p_lr, score_name):
    s = {
        "simple": simple_score,
        "lr": p_lr,
        "duration_only": german["duration_in_month"].to_numpy(dtype=float),  # heavy ties
    }[score_name]
    a = auc(y, s)
    assert a == pytest.approx(roc_auc_score(y, s), abs=1e-12)
    assert gini(y, s) == pytest.approx(2 * roc_auc_score(y, s) - 1, abs=1e-12)
    ref_ks = stats.ks_2samp(s[y == 1], s[y == 0]).statistic
    assert ks(y, s) == pytest.approx(ref_ks, abs=1e-12)


def test_metrics_accept_series_and_named_target(german, simple_score):
    y_ser = german["bad"].rename("creditability")
    assert auc(y_ser, pd.Series(simple_score)) == auc(y_ser.to_numpy(), simple_score)


def test_ks_table_reaches_ks_with_one_band_per_value(german, y):
    s = german["duration_in_month"].to_numpy(dtype=float)
    t10 = ks_table(y, s, n_bins=10)
    assert t10["ks"].max() <= ks(y, s) + 1e-12
    t_all = ks_table(y, s, n_bins=len(s))
    assert len(t_all) == np.unique(s).size
    assert t_all["ks"].max() == pytest.approx(ks(y, s), abs=1e-12)
    assert t_all["cum_bad_share"].iloc[-1] == pytest.approx(1.0)
    assert t_all["cum_good_share"].iloc[-1] == pytest.approx(1.0)


def test_lift_table_by_hand_on_distinct_scores(y, p_lr):
    assert np.unique(p_lr).size == len(p_lr)  # no ties: 10 bands of exactly 100
    t = lift_table(y, p_lr, n_bins=10)
    order = np.argsort(-p_lr, kind="stable")
    overall = y.mean()
    cum_bads = 0
    for k in range(10):
        rows = order[100 * k : 100 * (k + 1)]
        bads = int(y[rows].sum())
        cum_bads += bads
        row = t.iloc[k]
        assert row["band"] == k + 1
        assert row["count"] == 100
        assert row["bads"] == bads
        assert row["goods"] == 100 - bads
        assert row["min_score"] == p_lr[rows].min()
        assert row["max_score"] == p_lr[rows].max()
        assert row["bad_rate"] == pytest.approx(bads / 100)
        assert row["cum_bads"] == cum_bads
        assert row["cum_bad_capture"] == pytest.approx(cum_bads / y.sum())
        assert row["cum_count_share"] == pytest.approx((k + 1) / 10)
        assert row["lift"] == pytest.approx(bads / 100 / overall)
        assert row["cum_lift"] == pytest.approx(cum_bads / (100 * (k + 1)) / overall)
    assert t["bad_rate"].iloc[0] > t["bad_rate"].iloc[-1]  # band 1 is the riskiest


def test_lift_table_never_splits_ties(german, y):
    s = german["duration_in_month"].to_numpy(dtype=float)  # 33 distinct values
    t = lift_table(y, s, n_bins=10)
    assert t["count"].sum() == len(s)
    assert t["bads"].sum() == y.sum()
    # bands are disjoint score ranges, riskiest first
    assert (t["max_score"].to_numpy()[1:] < t["min_score"].to_numpy()[:-1]).all()
    for _, row in t.iterrows():
        in_band = (s >= row["min_score"]) & (s <= row["max_score"])
        assert in_band.sum() == row["count"]
        assert y[in_band].sum() == row["bads"]
    assert list(t.columns) == [
        "band", "min_score", "max_score", "count", "bads", "goods", "bad_rate",
        "cum_bads", "cum_bad_capture", "cum_count_share", "lift", "cum_lift",
    ]  # fmt: skip


# --------------------------------------------------------------------------- #
# calibration
# --------------------------------------------------------------------------- #
def test_brier_matches_sklearn(y, p_lr):
    assert brier(y, p_lr) == pytest.approx(brier_score_loss(y, p_lr), abs=1e-15)


def test_hosmer_lemeshow_by_hand(y, p_lr):
    assert np.unique(p_lr).size == len(p_lr)  # groups of exactly 100
    order = np.argsort(p_lr, kind="stable")
    chi2 = 0.0
    observed, expected = [], []
    for g in range(10):
        rows = order[100 * g : 100 * (g + 1)]
        o, e, n = y[rows].sum(), p_lr[rows].sum(), len(rows)
        chi2 += (o - e) ** 2 / (e * (1 - e / n))
        observed.append(o)
        expected.append(e)
    r = hosmer_lemeshow(y, p_lr, n_groups=10)
    assert isinstance(r, HosmerLemeshowResult)
    assert r.dof == 8
    assert r.statistic == pytest.approx(chi2, rel=1e-12)
    assert r.pvalue == pytest.approx(stats.chi2.sf(chi2, 8), rel=1e-9)
    assert r.table["n"].tolist() == [100] * 10
    assert r.table["observed_bads"].tolist() == observed
    np.testing.assert_allclose(r.table["expected_bads"], expected, rtol=1e-12)
    np.testing.assert_allclose(r.table["observed_rate"], np.array(observed) / 100)
    np.testing.assert_allclose(r.table["expected_rate"], np.array(expected) / 100)


def test_hosmer_lemeshow_keeps_ties_together(y, p_lr):
    p = np.round(p_lr, 1)  # few distinct values, heavy ties
    r = hosmer_lemeshow(y, p, n_groups=10)
    assert r.table["n"].sum() == len(p)
    assert r.dof == len(r.table) - 2
    assert (r.table["min_p"].to_numpy()[1:] > r.table["max_p"].to_numpy()[:-1]).all()
    chi2 = 0.0
    for _, row in r.table.iterrows():
        rows = (p >= row["min_p"]) & (p <= row["max_p"])
        o, e, n = y[rows].sum(), p[rows].sum(), rows.sum()
        assert (n, o) == (row["n"], row["observed_bads"])
        chi2 += (o - e) ** 2 / (e * (1 - e / n))
    assert r.statistic == pytest.approx(chi2, rel=1e-12)


def test_hosmer_lemeshow_zero_variance_groups():
    # groups of all-0 and all-1 probabilities have variance 0: they add 0 when O == E
    r = hosmer_lemeshow([0, 0, 0, 1, 0, 1, 1, 1, 1], [0, 0, 0, 0.5, 0.5, 0.5, 1, 1, 1], n_groups=3)
    assert r.table["contribution"].tolist() == [0.0, pytest.approx((2 - 1.5) ** 2 / 0.75), 0.0]
    assert r.pvalue == pytest.approx(stats.chi2.sf((2 - 1.5) ** 2 / 0.75, 1))
    bad = hosmer_lemeshow([1, 0, 0, 1, 0, 1, 1, 1, 1], [0, 0, 0, 0.5, 0.5, 0.5, 1, 1, 1], n_groups=3)
    assert bad.statistic == np.inf and bad.pvalue == 0.0


def test_hosmer_lemeshow_needs_three_groups():
    with pytest.raises(DataError, match="at least 3 groups"):
        hosmer_lemeshow([0, 1, 0, 1], [0.2, 0.2, 0.7, 0.7])


# --------------------------------------------------------------------------- #
# stability
# --------------------------------------------------------------------------- #
def test_psi_small_example_by_hand():
    expected = np.arange(1, 11, dtype=float)  # 1..10
    actual = np.array([1, 1, 2, 2, 2, 3, 5, 7, 8, 8], dtype=float)
    # quantile edges of 1..10 at 0.2, 0.4, 0.6, 0.8 (smallest value with ECDF >= q): 2, 4, 6, 8
    # expected counts 2, 2, 2, 2, 2; actual counts 5, 1, 1, 3, 0 (last floored to 1e-4)
    by_formula = (
        (0.5 - 0.2) * math.log(0.5 / 0.2)
        + (0.1 - 0.2) * math.log(0.1 / 0.2)
        + (0.1 - 0.2) * math.log(0.1 / 0.2)
        + (0.3 - 0.2) * math.log(0.3 / 0.2)
        + (1e-4 - 0.2) * math.log(1e-4 / 0.2)
    )
    assert by_formula == pytest.approx(1.9734835, abs=1e-6)

    edges = [2.0, 4.0, 6.0, 8.0]

    def band(v: float) -> int:
        for i, e in enumerate(edges):
            if v <= e:
                return i
        return len(edges)

    e_cnt, a_cnt = [0] * 5, [0] * 5
    for v in expected:
        e_cnt[band(v)] += 1
    for v in actual:
        a_cnt[band(v)] += 1
    by_loop = 0.0
    for ec, ac in zip(e_cnt, a_cnt):
        e_sh, a_sh = max(ec / 10, 1e-4), max(ac / 10, 1e-4)
        by_loop += (a_sh - e_sh) * math.log(a_sh / e_sh)

    t = psi_table(expected, actual, bins=5)
    assert t["expected_count"].tolist() == [2, 2, 2, 2, 2] == e_cnt
    assert t["actual_count"].tolist() == [5, 1, 1, 3, 0] == a_cnt
    np.testing.assert_allclose(t["upper"].to_numpy()[:-1], edges)
    assert t["lower"].iloc[0] == -np.inf and t["upper"].iloc[-1] == np.inf
    assert t["band"].tolist() == ["(-inf, 2]", "(2, 4]", "(4, 6]", "(6, 8]", "(8, inf)"]
    assert psi(expected, actual, bins=5) == pytest.approx(by_formula, rel=1e-12)
    assert psi(expected, actual, bins=5) == pytest.approx(by_loop, rel=1e-12)
    # explicit edges give the same bands
    assert psi(expected, actual, bins=edges) == pytest.approx(by_formula, rel=1e-12)
    assert psi(expected, actual, bins=[-np.inf, *edges, np.inf]) == pytest.approx(by_formula, rel=1e-12)
    # a different floor changes only the empty band's term
    f = 1e-3
    other = by_formula - (1e-4 - 0.2) * math.log(1e-4 / 0.2) + (f - 0.2) * math.log(f / 0.2)
    assert psi(expected, actual, bins=5, floor=f) == pytest.approx(other, rel=1e-12)


def test_psi_explicit_edges_keep_out_of_range_values():
    t = psi_table([1, 2, 3, 4], [-100, 2, 3, 100], bins=[1.5, 3.5])
    assert t["band"].tolist() == ["(-inf, 1.5]", "(1.5, 3.5]", "(3.5, inf)"]
    assert t["actual_count"].tolist() == [1, 2, 1]
    assert psi([1, 2, 3, 4], [-100, 2, 3, 100], bins=[1.5, 3.5]) == pytest.approx(0.0)


def test_psi_ties_deduplicate_edges():
    expected = [1, 1, 1, 1, 1, 1, 1, 2, 3, 4]
    t = psi_table(expected, [1, 4, 5], bins=10)
    assert t["band"].tolist() == ["(-inf, 1]", "(1, 2]", "(2, 3]", "(3, inf)"]
    assert t["expected_count"].tolist() == [7, 1, 1, 1]
    assert t["actual_count"].tolist() == [1, 0, 0, 2]
    t = psi_table([1, 2, 2, 2, 2], [1, 2], bins=2)  # the median is the maximum: one band
    assert t["band"].tolist() == ["(-inf, inf)"]
    assert t["expected_count"].tolist() == [5]


def test_psi_missing_values_get_their_own_band():
    expected = [1.0, 2.0, 3.0, 4.0, np.nan, np.nan]  # 1/3 missing
    actual = [1.0, 2.0, np.nan, np.nan, np.nan, np.nan]  # 2/3 missing
    t = psi_table(expected, actual, bins=2)
    assert t["band"].tolist() == ["(-inf, 2]", "(2, inf)", "missing"]
    assert t["expected_count"].tolist() == [2, 2, 2]
    assert t["actual_count"].tolist() == [2, 0, 4]
    assert np.isnan(t["lower"].iloc[-1])
    e, a = [2 / 6, 2 / 6, 2 / 6], [2 / 6, 1e-4, 4 / 6]
    by_hand = sum((ai - ei) * math.log(ai / ei) for ei, ai in zip(e, a))
    assert psi(expected, actual, bins=2) == pytest.approx(by_hand, rel=1e-12)
    # no missing anywhere: no missing band
    assert "missing" not in psi_table([1, 2, 3], [1, 2, 3], bins=2)["band"].tolist()


def test_psi_grows_with_shift(german):
    x = german["credit_amount"].to_numpy(dtype=float)
    assert psi(x, x) == 0.0
    values = [psi(x, x + shift) for shift in (0, 250, 500, 1000, 2000, 4000)]
    assert values[0] == 0.0
    assert all(b > a for a, b in zip(values, values[1:]))
    assert psi_reading(values[0]) == "stable"
    assert psi_reading(values[-1]) == "shifted"
    # a random half against the other half is stable
    rng = np.random.default_rng(0)
    idx = rng.permutation(len(x))
    assert psi_reading(psi(x[idx[:500]], x[idx[500:]])) == "stable"


def test_psi_categorical_by_hand():
    expected = ["a", "a", "b", "c"]
    actual = ["a", "b", "b", "d"]
    t = psi_table(expected, actual, categorical=True)
    assert t["band"].tolist() == ["a", "b", "c", "d"]
    assert t["expected_count"].tolist() == [2, 1, 1, 0]
    assert t["actual_count"].tolist() == [1, 2, 0, 1]
    e = [0.5, 0.25, 0.25, 1e-4]
    a = [0.25, 0.5, 1e-4, 0.25]
    by_hand = sum((ai - ei) * math.log(ai / ei) for ei, ai in zip(e, a))
    assert psi(expected, actual, categorical=True) == pytest.approx(by_hand, rel=1e-12)
    # bin indices with a missing label
    t2 = psi_table([0, 1, 2, None], [0, 1, 1, 2], categorical=True)
    assert t2["band"].tolist() == [0, 1, 2, "missing"]
    assert t2["actual_count"].tolist() == [1, 2, 1, 0]


def test_csi_per_column_and_missing_column():
    e = pd.DataFrame({"age_bin": [0, 0, 1, 2], "purpose": ["car", "tv", "tv", "car"]})
    a = pd.DataFrame(
        {"age_bin": [0, 1, 1, 2], "purpose": ["tv", "car", "car", "tv"], "extra": [1, 2, 3, 4]}
    )
    out = csi(e, a)
    assert isinstance(out, pd.Series) and out.name == "csi"
    assert out.index.tolist() == ["age_bin", "purpose"]
    age = (0.25 - 0.5) * math.log(0.25 / 0.5) + (0.5 - 0.25) * math.log(0.5 / 0.25)
    assert out["age_bin"] == pytest.approx(age, rel=1e-12)
    assert out["purpose"] == pytest.approx(0.0)
    assert out["age_bin"] == psi(e["age_bin"], a["age_bin"], categorical=True)
    with pytest.raises(MissingColumnError, match="purpose"):
        csi(e, a.drop(columns="purpose"))
    with pytest.raises(KeyError):
        csi(e, a.drop(columns="purpose"))


@pytest.mark.parametrize(
    ("value", "reading"),
    [(0.0, "stable"), (0.0999, "stable"), (0.10, "watch"), (0.25, "watch"), (0.2501, "shifted"), (3.0, "shifted")],
)
def test_psi_reading(value, reading):
    assert psi_reading(value) == reading


@pytest.mark.parametrize("value", [float("nan"), -0.1, float("inf")])
def test_psi_reading_rejects_non_psi(value):
    with pytest.raises(DataError, match="PSI"):
        psi_reading(value)


# --------------------------------------------------------------------------- #
# bootstrap
# --------------------------------------------------------------------------- #
def test_bootstrap_vectorised_equals_loop(y, simple_score):
    for fast, name in ((auc, "auc"), (ks, "ks"), (gini, "gini")):
        vec = bootstrap_ci(fast, y, simple_score, n_boot=200, random_state=3)
        loop = bootstrap_ci(lambda a, b, f=fast: f(a, b), y, simple_score, n_boot=200, random_state=3)
        assert vec.estimate == loop.estimate
        assert vec.low == pytest.approx(loop.low, abs=1e-12)
        assert vec.high == pytest.approx(loop.high, abs=1e-12)
        assert bootstrap_ci(name, y, simple_score, n_boot=200, random_state=3) == vec


def test_bootstrap_stratified_keeps_class_counts(y, simple_score):
    n_bad = int(y.sum())
    strat = bootstrap_ci(lambda a, b: float(a.sum()), y, simple_score, n_boot=100)
    assert strat.low == strat.high == n_bad
    plain = bootstrap_ci(lambda a, b: float(a.sum()), y, simple_score, n_boot=100, stratified=False)
    assert plain.low < n_bad < plain.high


def test_bootstrap_unstratified_skips_one_class_resamples(caplog):
    with caplog.at_level("WARNING", logger="scorecard.metrics"):
        ci = bootstrap_ci(auc, [0, 1, 0], [1, 2, 3], n_boot=50, stratified=False)
    assert "resamples gave no value (one class)" in caplog.text
    assert 0.0 <= ci.low <= ci.high <= 1.0


def test_csi_on_category_columns():
    e = pd.DataFrame({"x": pd.Series(["a", "b", "a", None], dtype="category")})
    a = pd.DataFrame({"x": pd.Series(["a", "c", "c", "a"], dtype="category")})
    t = psi_table(e["x"], a["x"], categorical=True)
    assert t["band"].tolist() == ["a", "b", "c", "missing"]
    assert csi(e, a)["x"] == pytest.approx(t["contribution"].sum())


def test_bootstrap_on_german(y, simple_score):
    ci = auc_ci(y, simple_score, n_boot=1000, random_state=0)
    assert isinstance(ci, ConfidenceInterval)
    assert ci.estimate == auc(y, simple_score)
    assert ci.low < ci.estimate < ci.high
    assert (ci.level, ci.n_boot) == (0.95, 1000)
    assert ci.high - ci.low < 0.15
    narrow = auc_ci(y, simple_score, n_boot=1000, random_state=0, level=0.5)
    assert ci.low < narrow.low < narrow.high < ci.high
    g = gini_ci(y, simple_score, n_boot=1000, random_state=0)
    assert g.low == pytest.approx(2 * ci.low - 1) and g.high == pytest.approx(2 * ci.high - 1)
    k = ks_ci(y, simple_score, n_boot=1000, random_state=0, stratified=False)
    assert k.low < ks(y, simple_score) < k.high
    assert pickle.dumps(auc_ci(y, simple_score, random_state=7)) == pickle.dumps(
        auc_ci(y, simple_score, random_state=7)
    )
    assert auc_ci(y, simple_score, random_state=7) != auc_ci(y, simple_score, random_state=8)


def test_bootstrap_is_fast(y, simple_score):
    auc_ci(y, simple_score, n_boot=10)
    t0 = time.perf_counter()
    auc_ci(y, simple_score, n_boot=1000)
    ks_ci(y, simple_score, n_boot=1000)
    assert time.perf_counter() - t0 < 2.0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"n_boot": 0}, "n_boot"), ({"level": 1.0}, "level"), ({"level": 0}, "level")],
)
def test_bootstrap_rejects_bad_parameters(y, simple_score, kwargs, match):
    with pytest.raises(ValueError, match=match):
        bootstrap_ci(auc, y, simple_score, **kwargs)


def test_bootstrap_rejects_unknown_metric_name(y, simple_score):
    with pytest.raises(ValueError, match="unknown metric"):
        bootstrap_ci("roc", y, simple_score)


# --------------------------------------------------------------------------- #
# bad input
# --------------------------------------------------------------------------- #
SCORE_FUNCS = {
    "auc": auc,
    "gini": gini,
    "ks": ks,
    "ks_table": ks_table,
    "lift_table": lift_table,
    "brier": brier,
    "hosmer_lemeshow": hosmer_lemeshow,
    "auc_ci": lambda yy, ss: auc_ci(yy, ss, n_boot=5),
}
GOOD_Y = [0, 1, 0, 1, 0, 1]
GOOD_P = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]


@pytest.mark.parametrize("func", SCORE_FUNCS.values(), ids=SCORE_FUNCS.keys())
@pytest.mark.parametrize(
    ("y_true", "y_score", "error", "match"),
    [
        ([1, 1, 1, 1, 1, 1], GOOD_P, TargetError, "one class"),
        ([0, 0, 0, 0, 0, 0], GOOD_P, TargetError, "one class"),
        ([1, 2, 1, 2, 1, 2], GOOD_P, TargetError, r"0 \(good\) / 1 \(bad\); found values '\*' \(1 char\), '\*' \(1 char\)"),
        ([0, 1, np.nan, 1, 0, 1], GOOD_P, TargetError, "1 missing value"),
        (GOOD_Y, [0.1, np.nan, 0.3, np.nan, 0.5, 0.6], DataError, "(y_score|p_bad) has 2 NaN"),
        (GOOD_Y, [0.1, 0.2, np.inf, 0.4, 0.5, 0.6], DataError, "(y_score|p_bad) has 0 NaN and 1 infinite"),
        (GOOD_Y, GOOD_P[:5], DataError, "6 values but (y_score|p_bad) has 5"),
        ([], [], DataError, "empty"),
        (GOOD_Y, ["a", "b", "c", "d", "e", "f"], DataError, "numeric"),
        (GOOD_Y, np.ones((6, 2)), DataError, "1-dimensional"),
    ],
    ids=["all-bad", "all-good", "values-1-2", "nan-target", "nan-score", "inf-score",
         "length", "empty", "strings", "2d"],  # fmt: skip
)
def test_bad_input(func, y_true, y_score, error, match):
    with pytest.raises(error, match=match):
        func(y_true, y_score)


@pytest.mark.parametrize("func", [brier, hosmer_lemeshow])
def test_probabilities_outside_unit_interval(func):
    with pytest.raises(DataError, match=r"p_bad has 2 value\(s\) outside \[0, 1\]"):
        func(GOOD_Y, [-0.1, 0.2, 0.3, 0.4, 0.5, 1.5])


@pytest.mark.parametrize("func", [lift_table, ks_table])
def test_n_bins_must_be_positive(func):
    with pytest.raises(ValueError, match="n_bins"):
        func(GOOD_Y, GOOD_P, n_bins=0)


@pytest.mark.parametrize(
    ("expected", "actual", "kwargs", "error", "match"),
    [
        ([], [1.0], {}, DataError, "expected is empty"),
        ([1.0], [], {}, DataError, "actual is empty"),
        ([1.0, np.inf], [1.0], {}, DataError, "expected has 1 infinite"),
        ([1.0, 2.0], [1.0, -np.inf, np.inf], {}, DataError, "actual has 2 infinite"),
        (["a", "b"], ["a"], {}, DataError, "categorical=True"),
        ([1.0, 2.0], [1.0], {"bins": [3.0, 1.0]}, ValueError, "strictly increasing"),
        ([1.0, 2.0], [1.0], {"bins": 0}, ValueError, "bins"),
        ([1.0, 2.0], [1.0], {"floor": 0.0}, ValueError, "floor"),
        ([], ["a"], {"categorical": True}, DataError, "expected is empty"),
    ],
)
def test_psi_bad_input(expected, actual, kwargs, error, match):
    with pytest.raises(error, match=match):
        psi(expected, actual, **kwargs)


# --------------------------------------------------------------------------- #
# properties
# --------------------------------------------------------------------------- #
@st.composite
def labelled_scores(draw, float_scores: bool = False):
    """(y, score): 2..60 rows, both classes present, scores with ties."""
    n = draw(st.integers(2, 60))
    rest = draw(st.lists(st.integers(0, 1), min_size=n - 2, max_size=n - 2))
    y = np.array(draw(st.permutations([0, 1, *rest])))
    if float_scores:
        elem = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
    else:
        elem = st.integers(-20, 20)
    s = np.array(draw(st.lists(elem, min_size=n, max_size=n)), dtype=float)
    return y, s


@PROPS
@given(labelled_scores(float_scores=True))
def test_prop_auc_ks_bounds_and_references(data):
    y, s = data
    a, k = auc(y, s), ks(y, s)
    assert 0.0 <= a <= 1.0 and 0.0 <= k <= 1.0
    assert a == pytest.approx(roc_auc_score(y, s), abs=1e-12)
    assert k == pytest.approx(stats.ks_2samp(s[y == 1], s[y == 0]).statistic, abs=1e-12)
    assert auc(y, -s) == pytest.approx(1.0 - a, abs=1e-12)
    assert ks(y, -s) == pytest.approx(k, abs=1e-12)
    assert gini(y, s) == pytest.approx(2 * a - 1, abs=1e-12)


@PROPS
@given(labelled_scores())
def test_prop_invariant_under_increasing_transforms(data):
    y, s = data
    a, k = auc(y, s), ks(y, s)
    for t in (3 * s + 7, s**3 + s, np.exp(s / 7.0), np.arctan(s)):
        assert auc(y, t) == a
        assert ks(y, t) == k


@PROPS
@given(labelled_scores(), st.integers(1, 12))
def test_prop_lift_table_partitions_rows(data, n_bins):
    y, s = data
    t = lift_table(y, s, n_bins=n_bins)
    assert 1 <= len(t) <= n_bins
    assert t["count"].sum() == len(y)
    assert t["bads"].sum() == y.sum()
    assert (t["count"] > 0).all()
    assert t["cum_bad_capture"].iloc[-1] == pytest.approx(1.0)
    assert t["cum_count_share"].iloc[-1] == pytest.approx(1.0)
    # ties never split: score ranges of the bands are disjoint and descending
    assert (t["max_score"].to_numpy()[1:] < t["min_score"].to_numpy()[:-1]).all()
    # without ties the bands are as equal as possible
    if np.unique(s).size == len(s):
        assert t["count"].max() - t["count"].min() <= 1 or len(t) < n_bins


_VALUE_OR_NAN = st.one_of(st.floats(-1e3, 1e3), st.integers(-5, 5).map(float), st.just(float("nan")))


@PROPS
@given(
    st.lists(_VALUE_OR_NAN, min_size=1, max_size=50),
    st.lists(_VALUE_OR_NAN, min_size=1, max_size=50),
    st.integers(1, 10),
)
def test_prop_psi_non_negative_and_zero_on_itself(expected, actual, bins):
    assert psi(expected, actual, bins) >= 0.0
    assert psi(expected, expected, bins) == 0.0
    assert psi(expected, actual, categorical=True) >= 0.0
    t = psi_table(expected, actual, bins)
    assert t["expected_count"].sum() == len(expected)
    assert t["actual_count"].sum() == len(actual)


@PROPS
@given(labelled_scores(), st.integers(0, 2**32 - 1))
def test_prop_bootstrap_deterministic(data, seed):
    y, s = data
    one = bootstrap_ci(auc, y, s, n_boot=50, random_state=seed)
    two = bootstrap_ci(auc, y, s, n_boot=50, random_state=seed)
    assert pickle.dumps(one) == pickle.dumps(two)
    assert 0.0 <= one.low <= one.high <= 1.0
    k = ks_ci(y, s, n_boot=50, random_state=seed)
    assert 0.0 <= k.low <= k.high <= 1.0


@PROPS
@given(labelled_scores())
def test_prop_hosmer_lemeshow_groups(data):
    y, s = data
    p = (s + 20) / 40  # in [0, 1], with ties
    try:
        r = hosmer_lemeshow(y, p, n_groups=5)
    except DataError as exc:  # ties can leave fewer than 3 groups
        assert "at least 3 groups" in str(exc)
        return
    assert r.table["n"].sum() == len(y)
    assert r.table["observed_bads"].sum() == y.sum()
    assert (r.table["min_p"].to_numpy()[1:] > r.table["max_p"].to_numpy()[:-1]).all()
    assert r.statistic >= 0.0
    assert 0.0 <= r.pvalue <= 1.0


# --------------------------------------------------------------------------- #
# score histograms: metrics and bootstrap on counts, not rows
# --------------------------------------------------------------------------- #
def _logistic_sample(n: int, seed: int, *, integer: bool) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    z = rng.standard_normal(n)
    y = (rng.random(n) < 1 / (1 + np.exp(2.0 - z))).astype(int)
    s = z + 0.5 * rng.standard_normal(n)
    return y, (np.round(8 * s) if integer else s)


@PROPS
@given(labelled_scores(float_scores=True))
def test_prop_histogram_metrics_equal_the_row_metrics(data):
    y, s = data
    h = score_histogram(y, s)
    assert h.values.tolist() == sorted(set(s.tolist()))
    assert h.n_bads == y.sum() and h.n_goods == y.size - y.sum()
    m = histogram_metrics(h)
    assert (m["auc"], m["gini"], m["ks"]) == (auc(y, s), gini(y, s), ks(y, s))  # exact, not approximately


@PROPS
@given(labelled_scores(), st.integers(0, 2**32 - 1))
def test_prop_histogram_ci_is_reproducible_and_bounded(data, seed):
    y, s = data
    h = score_histogram(y, s)
    one = histogram_ci(h, n_boot=50, random_state=seed)
    assert pickle.dumps(one) == pickle.dumps(histogram_ci(h, n_boot=50, random_state=seed))
    for name, lo in (("auc", 0.0), ("ks", 0.0), ("gini", -1.0)):
        ci = one[name]
        assert lo <= ci.low <= ci.high <= 1.0
        assert ci.n_boot == 50 and ci.level == 0.95
    assert one["gini"].low == 2 * one["auc"].low - 1


@pytest.mark.parametrize(("integer", "max_bins"), [(True, None), (True, 1024), (False, 64), (False, None)])
def test_histogram_ci_is_close_to_the_row_bootstrap(integer, max_bins):
    """Multinomial counts per score = row resampling in distribution: intervals agree within Monte Carlo error."""
    y, s = _logistic_sample(4_000, 11, integer=integer)
    h = score_histogram(y, s)
    assert (h.values.size <= 1024) == integer
    hist = histogram_ci(h, n_boot=1000, random_state=0, max_bins=max_bins)
    for name, fn in (("auc", auc), ("gini", gini), ("ks", ks)):
        rows = bootstrap_ci(fn, y, s, n_boot=1000, random_state=0)
        ci = hist[name]
        assert ci.estimate == rows.estimate == fn(y, s)
        half = (rows.high - rows.low) / 2
        # the percentile of 1,000 resamples moves by about 0.1 half-width from seed to seed
        assert abs(ci.low - rows.low) < 0.3 * half, name
        assert abs(ci.high - rows.high) < 0.3 * half, name
    assert histogram_ci(h, n_boot=1000, random_state=1, max_bins=max_bins) != hist


def test_histogram_ci_unmerged_equals_the_row_bootstrap_on_few_values():
    """With at most max_bins distinct scores nothing is merged: max_bins has no effect."""
    y, s = _logistic_sample(3_000, 5, integer=True)
    h = score_histogram(y, s)
    assert histogram_ci(h, n_boot=200, max_bins=None) == histogram_ci(h, n_boot=200, max_bins=h.values.size)


def test_histogram_resamples_keep_the_class_counts_both_ways():
    from scorecard.metrics import _ClassSampler

    rng = np.random.default_rng(0)
    for counts in (np.array([0, 3, 0, 1, 2, 0, 0, 1]), np.array([400, 0, 900, 50, 1200])):
        sampler = _ClassSampler(counts)
        draws = sampler.draw(rng, 2000)
        assert (draws.sum(axis=1) == counts.sum()).all()
        assert (draws[:, counts == 0] == 0).all()
        # multinomial mean and variance: n p and n p (1 - p)
        p = counts / counts.sum()
        assert np.allclose(draws.mean(axis=0), counts, atol=4 * np.sqrt(counts.sum() * p * (1 - p) / 2000) + 1e-9)
        assert np.allclose(draws.var(axis=0), counts.sum() * p * (1 - p), rtol=0.15, atol=1e-9)
    assert _ClassSampler(np.array([0, 3, 0, 1, 2, 0, 0, 1])).by_index  # few rows per cell: row draws
    assert not _ClassSampler(np.array([400, 0, 900, 50, 1200])).by_index  # many: cell by cell


def test_histogram_ci_unstratified_skips_one_class_resamples(caplog):
    h = score_histogram([0, 1, 0], [1, 2, 3])
    with caplog.at_level("WARNING", logger="scorecard.metrics"):
        ci = histogram_ci(h, n_boot=50, stratified=False)
    assert "resamples gave no value (one class)" in caplog.text
    assert 0.0 <= ci["auc"].low <= ci["auc"].high <= 1.0


def test_histogram_ci_rejects_bad_input():
    h = score_histogram([0, 1, 0, 1], [1, 2, 3, 4])
    with pytest.raises(ValueError, match="max_bins"):
        histogram_ci(h, max_bins=1)
    with pytest.raises(ValueError, match="n_boot"):
        histogram_ci(h, n_boot=0)
    with pytest.raises(ValueError, match="level"):
        histogram_ci(h, level=1.0)
    one_class = ScoreHistogram(values=np.array([1.0, 2.0]), bads=np.array([0, 0]), goods=np.array([3, 1]))
    with pytest.raises(TargetError, match="both classes"):
        histogram_metrics(one_class)
    with pytest.raises(DataError, match="ScoreHistogram"):
        histogram_ci(([0, 1], [1, 0]))  # type: ignore[arg-type]
    with pytest.raises(TargetError):
        score_histogram([1, 1], [0.2, 0.3])


@PROPS
@given(labelled_scores(float_scores=True), labelled_scores(float_scores=True), st.integers(1, 6))
def test_prop_psi_from_counts_equals_psi(expected, actual, bins):
    e, a = expected[1], actual[1]
    t = psi_table(e, a, bins=bins)
    assert psi_from_counts(t["expected_count"], t["actual_count"]) == psi(e, a, bins=bins)


def test_psi_from_counts_rejects_bad_counts():
    with pytest.raises(DataError, match="same length"):
        psi_from_counts([1, 2], [1, 2, 3])
    with pytest.raises(DataError, match="at least one row"):
        psi_from_counts([0, 0], [1, 2])
    with pytest.raises(ValueError, match="floor"):
        psi_from_counts([1, 2], [2, 1], floor=0)
