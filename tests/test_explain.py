"""Tests of scorecard.explain: SHAP values, plots and reason codes.

Independent checks: the model's own raw margin (additivity), shap's
TreeExplainer against LightGBM's pred_contrib, the zero mean of a linear
model's SHAP values on its training data, and end-to-end reason-code checks
that move a declined applicant's raw value into the feature's best bin and
score the row again.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import train_test_split

from scorecard import LogisticScorecard, WOEBinner
from scorecard.challenger import GBMChallenger
from scorecard.datasets import FEATURE_COLUMNS, SPECIAL_CODES, load_german_credit, make_applications
from scorecard.errors import DataError, FallbackWarning, MissingColumnError, ScorecardWarning
from scorecard.explain import Explanation, reason_code_table, reason_codes, shap_values

SPECIALS = {f: list(c) for f, c in SPECIAL_CODES.items()}
FAST = dict(n_estimators=300, learning_rate=0.05)


# --------------------------------------------------------------------------- #
# fixtures
# --------------------------------------------------------------------------- #
@pytest.fixture(scope="module")
def german():
    X, y = load_german_credit()
    return train_test_split(X, y, test_size=0.3, stratify=y, random_state=42) + [X]


@pytest.fixture(scope="module")
def scorecard(german):
    Xtr, _, ytr, _, _ = german
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScorecardWarning)
        return LogisticScorecard().fit(Xtr, ytr)


@pytest.fixture(scope="module")
def gbm(german, scorecard):
    Xtr, _, ytr, _, _ = german
    return GBMChallenger(monotone_constraints="binner", binner=scorecard.binner_, **FAST).fit(Xtr, ytr)


@pytest.fixture(scope="module")
def apps():
    df = make_applications(5000, random_state=11)
    X = df[list(FEATURE_COLUMNS)].astype({f: float for f in SPECIALS})
    return X, df["bad"]


@pytest.fixture(scope="module")
def apps_scorecard(apps):
    X, y = apps
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScorecardWarning)
        return LogisticScorecard(binner=WOEBinner(special_codes=SPECIALS)).fit(X, y)


@pytest.fixture(scope="module")
def apps_gbm(apps, apps_scorecard):
    X, y = apps
    return GBMChallenger(special_codes=SPECIALS, binner=apps_scorecard.binner_, **FAST).fit(X, y)


# --------------------------------------------------------------------------- #
# SHAP values
# --------------------------------------------------------------------------- #
def test_shap_additivity_challenger(gbm, german):
    X = german[4]
    ex = shap_values(gbm, X)
    assert isinstance(ex, Explanation) and ex.values.shape == (len(X), len(gbm.features_))
    margin = gbm.booster_.predict(gbm.encode(X), raw_score=True)
    assert np.abs(ex.base_value + ex.values.sum(axis=1) - margin).max() <= 1e-6
    assert ex.base_value == pytest.approx(gbm.expected_value_)


def test_shap_additivity_with_specials_missing_and_fallbacks(apps_gbm, apps):
    X, _ = apps
    rows = X.head(400).copy()
    rows.loc[rows.index[:5], "housing"] = "houseboat"  # unseen: scored at the riskiest category
    with pytest.warns(FallbackWarning):
        ex = shap_values(apps_gbm, rows)
    with pytest.warns(FallbackWarning):
        margin = apps_gbm.decision_function(rows)
    assert np.abs(ex.margin - margin).max() <= 1e-6
    # the special-code column is folded into its feature
    assert "bureau_score" in ex.feature_names and not any("__special" in f for f in ex.feature_names)
    special_rows = rows["bureau_score"].isin(SPECIALS["bureau_score"]).to_numpy()
    assert special_rows.any() and np.abs(ex.values[special_rows, ex.feature_names.index("bureau_score")]).max() > 0


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")  # emitted by shap on import
def test_treeexplainer_gives_identical_values(gbm, apps_gbm, german, apps):
    for model, X in ((gbm, german[1]), (apps_gbm, apps[0].head(500))):
        a = shap_values(model, X)
        b = shap_values(model, X, method="shap")
        assert np.array_equal(a.values, b.values)
        assert a.base_value == b.base_value


def test_shap_scorecard_is_exact_and_centred(scorecard, german):
    Xtr, Xte = german[0], german[1]
    ex = shap_values(scorecard, Xte)
    assert ex.model_kind == "scorecard"
    assert np.abs(ex.margin - scorecard.decision_function(Xte)).max() <= 1e-9
    # a linear model's SHAP values average to zero over the data the expectation is taken on
    train = shap_values(scorecard, Xtr)
    assert np.abs(train.values.mean(axis=0)).max() < 1e-10


def test_importance(gbm, german):
    ex = shap_values(gbm, german[1])
    imp = ex.importance()
    assert imp["mean_abs_shap"].is_monotonic_decreasing
    assert imp["share"].sum() == pytest.approx(1.0)
    f = imp["feature"].iloc[0]
    assert imp["mean_abs_shap"].iloc[0] == pytest.approx(np.abs(ex.to_frame()[f]).mean())
    assert "SHAP explanation" in ex._repr_html_()


def test_plots_are_figures(apps_gbm, apps):
    from matplotlib.figure import Figure

    ex = shap_values(apps_gbm, apps[0].head(600))
    summary = ex.plot_summary(max_display=8)
    assert isinstance(summary, Figure) and len(summary.axes) == 2  # the swarm and its colour bar
    assert len(summary.axes[0].get_yticklabels()) == 8
    dep = ex.plot_dependence("bureau_score")
    assert len(dep.axes) == 2  # regular values, then the special codes beside them
    assert {t.get_text() for t in dep.axes[1].get_xticklabels()} == {"Special -999", "Special -998"}
    assert len(ex.plot_dependence("housing", color_by="age").axes) == 1
    assert isinstance(ex.plot_importance(), Figure)
    with pytest.raises(KeyError, match="not explained"):
        ex.plot_dependence("nope")


def test_shap_values_input_errors(gbm, german):
    X = german[1]
    with pytest.raises(DataError, match="DataFrame"):
        shap_values(gbm, X.to_numpy())
    with pytest.raises(MissingColumnError, match="purpose"):
        shap_values(gbm, X.drop(columns="purpose"))
    with pytest.raises(ValueError, match="method"):
        shap_values(gbm, X, method="kernel")
    with pytest.raises(TypeError, match="LogisticScorecard and GBMChallenger"):
        shap_values(object(), X)


# --------------------------------------------------------------------------- #
# reason codes: the scorecard
# --------------------------------------------------------------------------- #
_INTERVAL = re.compile(r"^\[(?P<lo>[^,]+), (?P<hi>[^)]+)\)$")


def _value_in_bin(label: str, kind: str) -> object:
    """A raw value that the binner puts in the bin labelled ``label``."""
    if label == "Missing":
        return np.nan
    if label.startswith("Special "):
        return float(label[len("Special "):])
    if kind == "numeric":
        m = _INTERVAL.match(label)
        lo, hi = float(m.group("lo")), float(m.group("hi"))
        return lo if np.isfinite(lo) else hi - 1.0
    return label.split(" | ")[0]


def _best_bins(model) -> dict[str, tuple[str, str, int]]:
    """Per feature: (label, feature kind, points) of its best bin among bins with training rows."""
    pt = model.points_table()
    kinds = model.binner_.summary().set_index("feature")["kind"]
    out = {}
    for f, t in pt[pt["count"] > 0].groupby("feature"):
        best = t.loc[t["points"].idxmax()]
        out[f] = (best["bin"], kinds[f], int(best["points"]))
    return out


def _declined(model, X: pd.DataFrame, rate: float = 0.7) -> pd.DataFrame:
    score = model.predict_score(X)
    return X[score < np.quantile(score, 1 - rate)]


@pytest.mark.parametrize("data", ["german", "apps"])
def test_first_reason_to_best_bin_raises_the_score(data, scorecard, apps_scorecard, german, apps):
    model, X = (scorecard, german[4]) if data == "german" else (apps_scorecard, apps[0])
    declined = _declined(model, X)
    sample = declined.sample(min(200, len(declined)), random_state=0)
    assert len(sample) == 200
    rc = reason_codes(model, sample, n=4)
    first = rc[rc["rank"] == 1].set_index("row")
    assert len(first) == 200  # every declined row has a reason
    best = _best_bins(model)
    before = model.predict_score(sample)
    before_raw = model.predict_score(sample, rounded=False)
    moved = sample.astype({c: float for c in sample.columns if pd.api.types.is_numeric_dtype(sample[c])})
    for row in sample.index:
        f = first.at[row, "feature"]
        label, kind, _ = best[f]
        assert first.at[row, "bin"] != label  # never a feature already at its best bin
        moved.loc[row, f] = _value_in_bin(label, kind)
    after = model.predict_score(moved)
    after_raw = model.predict_score(moved, rounded=False)
    assert (after > before).all()
    assert (after_raw > before_raw).all()
    # the gain is exactly the points the first reason said were lost
    assert np.array_equal(after - before, first.loc[sample.index, "loss"].to_numpy().astype(int))


def test_exactly_n_reasons_unless_fewer_lose_points(scorecard, german):
    X = german[4].head(300)
    rc = reason_codes(scorecard, X, n=4)
    pts = scorecard.predict_points(X)[scorecard.features_]
    best = {f: v[2] for f, v in _best_bins(scorecard).items()}
    losing = (pd.DataFrame({f: best[f] - pts[f] for f in scorecard.features_}) > 0).sum(axis=1)
    counts = rc.groupby("row").size().reindex(X.index, fill_value=0)
    assert (counts == np.minimum(4, losing)).all()
    # the documented short case: a row at its best bin on every feature but two gets two reasons
    best_bins = _best_bins(scorecard)
    row = german[4].head(1)
    row = row.astype({c: float for c in row.columns if pd.api.types.is_numeric_dtype(row[c])})
    for f in scorecard.features_:
        label, kind, _ = best_bins[f]
        row.loc[row.index[0], f] = _value_in_bin(label, kind)
    row.loc[row.index[0], "duration_in_month"] = 60.0
    row.loc[row.index[0], "status_of_existing_checking_account"] = "... < 0 DM"
    short = reason_codes(scorecard, row, n=4)
    assert set(short["feature"]) == {"status_of_existing_checking_account", "duration_in_month"}
    full = reason_codes(scorecard, X, n=len(scorecard.features_))
    assert (full.groupby("row").size().reindex(X.index, fill_value=0) == losing).all()
    # ranks run 1..k per row with non-increasing losses
    for _, g in rc.groupby("row"):
        assert g["rank"].tolist() == list(range(1, len(g) + 1))
        assert g["loss"].is_monotonic_decreasing and (g["loss"] > 0).all()


def test_reason_rows_columns_and_texts(scorecard, german):
    X = german[1].head(5)
    rc = reason_codes(scorecard, X)
    assert list(rc.columns) == ["row", "rank", "code", "feature", "value", "bin", "loss", "unit", "text"]
    assert set(rc["row"]) <= set(X.index) and (rc["unit"] == "points").all()
    for r in rc.itertuples():
        assert r.value == X.at[r.row, r.feature] or (pd.isna(r.value) and pd.isna(X.at[r.row, r.feature]))
    table = reason_code_table(scorecard)
    assert set(table["feature"]) == set(scorecard.features_)
    assert table.groupby("feature")["code"].nunique().eq(1).all()
    assert (table.loc[table["bin"] == "Missing", "text"].str.endswith("not provided")).all()


def test_median_and_custom_reference(scorecard, german):
    X = german[1].head(100)
    rmax = reason_codes(scorecard, X, n=4)
    rmed = reason_codes(scorecard, X, n=4, reference="median")
    assert len(rmed) <= len(rmax)  # the median is never above the maximum
    pts = scorecard.predict_points(X)[scorecard.features_]
    ref = {f: float(pts[f].max()) for f in scorecard.features_}
    rc = reason_codes(scorecard, X, reference=ref)
    for r in rc.itertuples():
        assert r.loss == ref[r.feature] - pts.at[r.row, r.feature]
    with pytest.raises(ValueError, match="reference"):
        reason_codes(scorecard, X, reference="p90")


def test_edited_table_star_rows_and_missing_entries(scorecard, german):
    X = german[1].head(50)
    table = reason_code_table(scorecard)
    table.loc[table["feature"] == "duration_in_month", "text"] = "Loan term too long"
    rc = reason_codes(scorecard, X, table=table)
    assert (rc.loc[rc["feature"] == "duration_in_month", "text"] == "Loan term too long").all()
    # one '*' row can stand for every bin of a feature
    star = table[table["feature"] != "credit_amount"]
    star = pd.concat([star, pd.DataFrame([{"code": "X9", "feature": "credit_amount", "bin": "*", "text": "Amount"}])])
    rc2 = reason_codes(scorecard, X, table=star)
    assert (rc2.loc[rc2["feature"] == "credit_amount", "code"] == "X9").all()
    with pytest.raises(DataError, match="no entry"):
        reason_codes(scorecard, X, table=table[table["feature"] != "credit_amount"])
    with pytest.raises(DataError, match="columns"):
        reason_codes(scorecard, X, table=table.drop(columns="text"))


def test_wide_layout_matches_long(scorecard, german):
    X = german[1].head(40)
    long = reason_codes(scorecard, X, n=3)
    wide = reason_codes(scorecard, X, n=3, layout="wide")
    assert list(wide.index) == list(X.index)
    for r in long.itertuples():
        assert wide.at[r.row, f"code_{r.rank}"] == r.code
        assert wide.at[r.row, f"loss_{r.rank}"] == r.loss


def test_scorecard_fallback_is_warned_not_silent(scorecard, german):
    X = german[1].head(3).copy()
    X.loc[X.index[0], "purpose"] = "time machine"
    with pytest.warns(FallbackWarning):
        rc = reason_codes(scorecard, X)
    assert (rc["row"] == X.index[0]).any()


# --------------------------------------------------------------------------- #
# reason codes: the challenger
# --------------------------------------------------------------------------- #
def test_challenger_reasons_are_the_most_adverse_contributions(gbm, german):
    X = german[1].head(150)
    rc = reason_codes(gbm, X, n=4)
    contrib = gbm.contributions(X)[gbm.features_]
    assert (rc["unit"] == "log-odds").all()
    for row, g in rc.groupby("row"):
        c = contrib.loc[row]
        expected = c[c > 0].sort_values(ascending=False, kind="stable").head(4)
        assert g["feature"].tolist() == expected.index.tolist()
        assert np.allclose(g["loss"].to_numpy(), expected.to_numpy())
    counts = rc.groupby("row").size().reindex(X.index, fill_value=0)
    assert (counts == np.minimum(4, (contrib > 0).sum(axis=1))).all()
    # bins come from the binner the challenger was given: same codes as the scorecard's table
    assert rc["bin"].ne("*").all()
    sc_codes = reason_code_table(gbm).drop_duplicates("feature").set_index("feature")["code"]
    assert (rc["code"] == rc["feature"].map(sc_codes)).all()


def test_challenger_without_binner_uses_feature_level_codes(german):
    Xtr, Xte, ytr, _, _ = german
    m = GBMChallenger(**FAST).fit(Xtr, ytr)
    table = reason_code_table(m)
    assert (table["bin"] == "*").all() and len(table) == len(m.features_)
    rc = reason_codes(m, Xte.head(10))
    assert (rc["bin"] == "*").all()
    assert rc["text"].iloc[0] == rc["feature"].iloc[0].replace("_", " ").capitalize()
    with pytest.raises(ValueError, match="expected"):
        reason_codes(m, Xte.head(10), reference="max")


def test_reason_codes_argument_errors(scorecard, german):
    X = german[1].head(5)
    with pytest.raises(ValueError, match="n must"):
        reason_codes(scorecard, X, n=0)
    with pytest.raises(ValueError, match="layout"):
        reason_codes(scorecard, X, layout="tall")
    with pytest.raises(DataError, match="DataFrame"):
        reason_codes(scorecard, X.to_numpy())
    with pytest.raises(ValueError, match="binner"):
        reason_codes(scorecard, X, binner=scorecard.binner_)
