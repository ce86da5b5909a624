"""Tests of scorecard.binning: WOE/IV against independent computations, optbinning,
missing/special bins, fallback, JSON spec, manual overrides and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard import WOEBinner
from scorecard.binning import _woe_iv, observed_trend
from scorecard.datasets import load_german_credit
from scorecard.errors import ColumnError, ColumnWarning, DataError, FallbackWarning, MissingColumnError, SpecError, TargetError


@pytest.fixture(scope="module")
def german():
    return load_german_credit()


@pytest.fixture(scope="module")
def fitted(german):
    X, y = german
    return WOEBinner().fit(X, y)


def independent_woe_iv(good, bad, a=0.5):
    """WOE/IV by hand, loop by loop, from a table's counts (smoothing a on non-empty bins)."""
    rows = [(g, b) for g, b in zip(good, bad) if g + b > 0]
    m = len(rows)
    G = sum(g for g, _ in rows) + a * m
    B = sum(b for _, b in rows) + a * m
    woe, iv = [], []
    for g, b in zip(good, bad):
        if g + b == 0:
            woe.append(None)
            iv.append(0.0)
            continue
        pg, pb = (g + a) / G, (b + a) / B
        w = np.log(pg / pb)
        woe.append(w)
        iv.append((pg - pb) * w)
    return woe, iv


def test_every_woe_and_iv_equals_recomputation_from_table_counts(fitted, german):
    X, y = german
    assert set(fitted.features_) == set(X.columns)
    for f in fitted.features_:
        t = fitted.binning_table(f)
        body, totals = t.iloc[:-1], t.iloc[-1]
        assert totals["bin"] == "Totals"
        assert totals["count"] == len(X) == body["count"].sum()
        assert totals["bad"] == int(y.sum()) == body["bad"].sum()
        woe, iv = independent_woe_iv(body["good"].tolist(), body["bad"].tolist())
        for w_lib, w_ref, n in zip(body["woe"], woe, body["count"]):
            if n > 0:
                assert w_lib == pytest.approx(w_ref, abs=1e-12)
        assert body["iv"].to_numpy() == pytest.approx(iv, abs=1e-12)
        assert totals["iv"] == pytest.approx(sum(iv), abs=1e-12)
        assert fitted.iv_[f] == pytest.approx(sum(iv), abs=1e-12)
        rate = body["bad"] / body["count"]
        assert np.allclose(body["event_rate"][body["count"] > 0], rate[body["count"] > 0])


def test_counts_match_a_groupby_of_the_raw_data(fitted, german):
    X, y = german
    labels = fitted.transform(X, output="label")
    for j, f in enumerate(fitted.features_):
        by_hand = pd.DataFrame({"bin": labels[:, j], "y": y.to_numpy()}).groupby("bin")["y"].agg(["size", "sum"])
        t = fitted.binning_table(f).iloc[:-1].set_index("bin")
        t = t[t["count"] > 0]
        assert by_hand.loc[t.index, "size"].tolist() == t["count"].tolist()
        assert by_hand.loc[t.index, "sum"].tolist() == t["bad"].tolist()


@pytest.mark.parametrize("trend", ["auto", "ascending", "descending", "peak", None])
def test_numeric_splits_equal_optbinning_fitted_on_raw_rows(german, trend):
    """Our count-table solve gives optbinning's own answer on the raw rows."""
    from optbinning import OptimalBinning

    X, y = german
    binner = WOEBinner(monotonic_trend=trend, smoothing=0.0).fit(X, y)
    for f in ["duration_in_month", "credit_amount", "age_in_years"]:
        ob = OptimalBinning(name=f, dtype="numerical", monotonic_trend=trend, min_bin_size=0.05)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ob.fit(X[f].to_numpy(dtype=float), y.to_numpy())
        ours = binner.bins_[f].splits
        assert ours == pytest.approx(list(ob.splits)), f
        # with smoothing 0, IV is the textbook one: equal to optbinning's table
        ob_iv = ob.binning_table.build().loc["Totals", "IV"]
        assert binner.iv_[f] == pytest.approx(ob_iv, rel=1e-9), f


def test_categorical_groups_reach_at_least_optbinnings_iv(german):
    """Categories solve over every boundary of the bad-rate order; optbinning first
    pre-bins that order with a tree (dropping candidates), so our IV is >= its IV,
    and both groupings are monotone in the bad rate."""
    from optbinning import OptimalBinning

    X, y = german
    binner = WOEBinner(smoothing=0.0).fit(X, y)
    for f in ["purpose", "credit_history", "savings_account_and_bonds", "property", "job"]:
        ob = OptimalBinning(name=f, dtype="categorical", min_bin_size=0.05)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ob.fit(X[f].to_numpy(dtype=object), y.to_numpy())
        ob_iv = ob.binning_table.build().loc["Totals", "IV"]
        assert binner.iv_[f] >= ob_iv - 1e-12, f
        ours = binner.bins_[f].groups
        assert sorted(c for g in ours for c in g) == sorted(X[f].unique()), f  # a partition
        t = binner.binning_table(f).query("kind == 'regular'")
        assert t["event_rate"].is_monotonic_increasing, f
        assert (t["count"] >= 0.05 * len(X)).all(), f


def _frame_with_missing_and_specials(n=3000, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    p = 1 / (1 + np.exp(-(x - 1)))
    y = (rng.random(n) < p).astype(int)
    x = x.copy()
    x[:300] = np.nan  # missing: riskier
    y[:300] = (rng.random(300) < 0.6).astype(int)
    x[300:500] = -999.0  # special: safe
    y[300:500] = (rng.random(200) < 0.05).astype(int)
    cat = rng.choice(["a", "b", "c"], size=n).astype(object)
    cat[500:600] = None
    return pd.DataFrame({"x": x, "cat": cat}), pd.Series(y, name="bad")


def test_missing_and_special_values_get_their_own_bins_with_empirical_woe():
    X, y = _frame_with_missing_and_specials()
    b = WOEBinner(special_codes=[-999]).fit(X, y)
    t = b.binning_table("x").set_index("kind")
    assert t.loc["missing", "count"] == 300
    assert t.loc["special", "count"] == 200
    assert t.loc["special", "bin"] == "Special -999"
    assert t.loc["missing", "bad"] == int(y[:300].sum())
    assert t.loc["special", "bad"] == int(y[300:500].sum())
    # empirical, not zero: missing riskier (negative WOE), special safer (positive)
    assert t.loc["missing", "woe"] < -0.5
    assert t.loc["special", "woe"] > 1.0
    # the regular bins never hold a missing or special row
    regular = b.binning_table("x").query("kind == 'regular'")
    assert regular["count"].sum() == len(X) - 500
    idx = b.transform(X, output="index")
    assert set(idx[:300, 0]) == {b.bins_["x"].missing_index}
    assert set(idx[300:500, 0]) == {b.bins_["x"].n_regular}
    cat_t = b.binning_table("cat").set_index("kind")
    assert cat_t.loc["missing", "count"] == 100


def test_per_feature_special_codes_and_feature_params():
    X, y = _frame_with_missing_and_specials()
    b = WOEBinner(special_codes={"x": [-999]}, feature_params={"x": {"monotonic_trend": "ascending"}}).fit(X, y)
    assert b.bins_["x"].specials == [-999]
    assert b.bins_["cat"].specials == []
    with pytest.raises(ValueError, match="unknown keys"):
        WOEBinner(feature_params={"x": {"bogus": 1}}).fit(X, y)


def test_unseen_values_go_to_the_riskiest_bin_with_one_warning_and_no_row_lost(fitted, german):
    X, _ = german
    Z = X.head(6).copy()
    Z["purpose"] = Z["purpose"].astype(object)
    Z.loc[Z.index[0], "purpose"] = "spaceship"
    Z["credit_amount"] = Z["credit_amount"].astype(float)
    Z.loc[Z.index[1], "credit_amount"] = np.inf
    Z.loc[Z.index[2], "credit_amount"] = np.nan  # no missing in training: fallback too
    with pytest.warns(FallbackWarning) as rec:
        out = fitted.transform(Z)
    assert len(rec) == 1
    msg = str(rec[0].message)
    assert "'purpose': 1" in msg and "'credit_amount': 2" in msg
    assert out.shape == (6, len(fitted.features_))
    assert not np.isnan(out).any()
    j = fitted.features_.index("purpose")
    fb = fitted.bins_["purpose"]
    regular_woe = fb.woe[: fb.n_regular]
    assert out[0, j] == pytest.approx(regular_woe.min())  # riskiest = lowest WOE
    k = fitted.features_.index("credit_amount")
    ca = fitted.bins_["credit_amount"]
    assert out[1, k] == out[2, k] == pytest.approx(ca.woe[: ca.n_regular].min())
    # the rows without surprises are unchanged
    assert np.array_equal(out[3:], fitted.transform(X.head(6)).astype(float)[3:])


def test_fallback_missing_option():
    X, y = _frame_with_missing_and_specials()
    b = WOEBinner(fallback="missing").fit(X, y)
    Z = X.head(3).copy()
    Z["cat"] = Z["cat"].astype(object)
    Z.loc[0, "cat"] = "zzz"
    with pytest.warns(FallbackWarning):
        idx = b.transform(Z, output="index")
    assert idx[0, 1] == b.bins_["cat"].missing_index


def test_outputs_agree(fitted, german):
    X, _ = german
    woe = fitted.transform(X)
    idx = fitted.transform(X, output="index")
    lab = fitted.transform(X, output="label")
    for j, f in enumerate(fitted.features_):
        fb = fitted.bins_[f]
        assert np.array_equal(woe[:, j], fb.woe[idx[:, j]])
        assert list(lab[:, j]) == [fb.labels()[i] for i in idx[:, j]]
    assert list(fitted.get_feature_names_out()) == fitted.features_


def test_json_round_trip_gives_identical_transform_and_no_pickle(fitted, german):
    X, _ = german
    text = fitted.to_json()
    assert "optbinning" not in text and "pickle" not in text
    spec = json.loads(text)
    assert spec["version"] == 1 and len(spec["features"]) == 20
    back = WOEBinner.from_json(text)
    for output in ("woe", "index", "label"):
        assert np.array_equal(back.transform(X, output=output), fitted.transform(X, output=output))
    assert back.to_json() == text
    for f in fitted.features_:
        pd.testing.assert_frame_equal(back.binning_table(f), fitted.binning_table(f))


def test_json_spec_is_validated(fitted):
    spec = json.loads(fitted.to_json())
    with pytest.raises(SpecError, match="version"):
        WOEBinner.from_json({**spec, "version": 99})
    with pytest.raises(SpecError, match="not valid JSON"):
        WOEBinner.from_json("{broken")
    bad = json.loads(fitted.to_json())
    bad["features"][0]["woe"][0] += 1.0
    with pytest.raises(SpecError, match="does not match"):
        WOEBinner.from_json(bad)


def test_json_spec_is_byte_identical_across_processes(tmp_path):
    code = (
        "import sys; from scorecard import WOEBinner; from scorecard.datasets import load_german_credit;"
        "X, y = load_german_credit(); sys.stdout.write(WOEBinner().fit(X, y).to_json())"
    )
    outs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout for _ in range(2)]
    assert outs[0] == outs[1] and len(outs[0]) > 1000


def test_manual_splits_and_groups_and_refit_one_feature(german):
    X, y = german
    b = WOEBinner().fit(X, y)
    before = {f: b.binning_table(f) for f in b.features_}
    b.refit_feature(X, y, "age_in_years", splits=[26, 35, 60])
    assert b.bins_["age_in_years"].splits == [26.0, 35.0, 60.0]
    assert b.bins_["age_in_years"].source == "manual"
    assert b.binning_table("age_in_years")["bin"].tolist()[:4] == ["[-inf, 26)", "[26, 35)", "[35, 60)", "[60, inf)"]
    for f in b.features_:
        if f != "age_in_years":
            pd.testing.assert_frame_equal(b.binning_table(f), before[f])
    cats = sorted(X["housing"].unique())
    b.refit_feature(X, y, "housing", groups=[[cats[0]], cats[1:]])
    assert b.bins_["housing"].groups == [[cats[0]], sorted(cats[1:])]
    # the edits live in the parameters: a spec reload and a fresh fit both reproduce them
    assert b.feature_params["age_in_years"]["splits"] == [26, 35, 60]
    again = WOEBinner(**b.get_params()).fit(X, y)
    assert np.array_equal(again.transform(X), b.transform(X))
    assert np.array_equal(WOEBinner.from_json(b.to_json()).transform(X), b.transform(X))
    with pytest.raises(ValueError, match="in no group"):
        b.refit_feature(X, y, "housing", groups=[[cats[0]]])
    with pytest.raises(ValueError, match="two groups"):
        b.refit_feature(X, y, "housing", groups=[[cats[0]], cats])


def test_fit_accepts_target_column_name_and_bad_value(german):
    X, y = german
    frame = X.assign(creditability=np.where(y == 1, "bad", "good"))
    a = WOEBinner(bad_value="bad").fit(frame, "creditability")
    b = WOEBinner().fit(X, y)
    assert a.to_json() != "" and np.array_equal(a.transform(X), b.transform(X))


# -- bad input ---------------------------------------------------------------


def test_missing_target_column(german):
    X, _ = german
    with pytest.raises(MissingColumnError, match="'bad_flag' is missing"):
        WOEBinner().fit(X, "bad_flag")


def test_one_class_target(german):
    X, _ = german
    with pytest.raises(TargetError, match="one class"):
        WOEBinner().fit(X, np.zeros(len(X)))


def test_target_with_other_values_unless_named(german):
    X, y = german
    with pytest.raises(TargetError, match="bad_value"):
        WOEBinner().fit(X, np.where(y == 1, 2, 1))
    WOEBinner(bad_value=2).fit(X[["duration_in_month"]], np.where(y == 1, 2, 1))


def test_id_like_text_column_is_flagged_not_binned(german):
    X, y = german
    Z = X.assign(customer_ref=[f"C{i:06d}" for i in range(len(X))])
    with pytest.raises(ColumnError, match="'customer_ref' looks like an identifier"):
        WOEBinner().fit(Z, y)
    with pytest.warns(ColumnWarning, match="customer_ref"):
        b = WOEBinner(on_invalid="drop").fit(Z, y)
    assert "customer_ref" not in b.features_ and "identifier" in b.excluded_["customer_ref"]


def test_all_nan_and_constant_columns(german):
    X, y = german
    with pytest.raises(ColumnError, match="'empty' is entirely missing"):
        WOEBinner().fit(X.assign(empty=np.nan), y)
    with pytest.raises(ColumnError, match="'const' is constant"):
        WOEBinner().fit(X.assign(const=5), y)
    with pytest.raises(ColumnError, match="'flag' is constant"):
        WOEBinner().fit(X.assign(flag="yes"), y)


def test_inf_values_at_fit(german):
    X, y = german
    Z = X.assign(ratio=np.where(np.arange(len(X)) < 3, np.inf, 1.0 + np.arange(len(X)) % 7))
    with pytest.raises(DataError, match="'ratio' has 3 infinite values"):
        WOEBinner().fit(Z, y)


def test_duplicate_columns_and_empty_frame(german):
    X, y = german
    dup = pd.concat([X[["age_in_years"]], X[["age_in_years"]]], axis=1)
    with pytest.raises(ColumnError, match="duplicated column names \\['age_in_years'\\]"):
        WOEBinner().fit(dup, y)
    with pytest.raises(DataError, match="empty"):
        WOEBinner().fit(X.iloc[:0], y.iloc[:0])


def test_missing_column_and_wrong_dtype_at_transform(fitted, german):
    X, _ = german
    with pytest.raises(MissingColumnError, match="credit_amount"):
        fitted.transform(X.drop(columns=["credit_amount"]))
    with pytest.raises(DataError, match="'age_in_years' is numeric .* non-numeric"):
        fitted.transform(X.assign(age_in_years="old"))


def test_bad_parameters_are_refused(german):
    X, y = german
    for kw in [dict(monotonic_trend="up"), dict(min_bin_size=0.7), dict(output="odds"), dict(fallback="zero"), dict(prebinning="kmeans")]:
        with pytest.raises(ValueError):
            WOEBinner(**kw).fit(X, y)


# -- properties ----------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 500), st.integers(0, 500)), min_size=1, max_size=12).filter(
        lambda r: sum(g for g, _ in r) > 0 and sum(b for _, b in r) > 0
    )
)
def test_woe_iv_properties(rows):
    good = np.array([g for g, _ in rows], dtype=float)
    bad = np.array([b for _, b in rows], dtype=float)
    woe, iv = _woe_iv(good, bad, 0.5)
    ref_woe, ref_iv = independent_woe_iv(good, bad)
    assert np.all(iv >= -1e-15)  # each IV term is non-negative
    assert iv == pytest.approx(ref_iv, abs=1e-12)
    nonempty = good + bad > 0
    assert woe[nonempty] == pytest.approx([w for w in ref_woe if w is not None], abs=1e-12)
    # a bin with a higher bad share relative to good share has a lower WOE
    order = np.argsort((bad[nonempty] + 0.5) / (good[nonempty] + 0.5))
    assert np.all(np.diff(woe[nonempty][order]) <= 1e-12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(200, 800),
    trend=st.sampled_from(["ascending", "descending"]),
    missing_share=st.floats(0.0, 0.3),
)
def test_fit_transform_properties(seed, n, trend, missing_share):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-x))).astype(int)
    x[rng.random(n) < missing_share] = np.nan
    if y.sum() in (0, n):
        y[0] = 1 - y[0]
    X = pd.DataFrame({"x": x})
    b = WOEBinner(monotonic_trend=trend).fit(X, y)
    t = b.binning_table("x")
    assert t.iloc[-1]["count"] == n  # nothing lost
    reg = t[(t["kind"] == "regular") & (t["count"] > 0)]
    rates = reg["event_rate"].to_numpy()
    d = np.diff(rates)
    assert np.all(d >= -1e-12) if trend == "ascending" else np.all(d <= 1e-12)
    out = b.transform(X)
    assert out.shape == (n, 1) and np.isfinite(out).all()


def test_observed_trend_shapes():
    assert observed_trend([0.3, 0.2, 0.1]) == "descending"
    assert observed_trend([0.3, 0.1, 0.2]) == "valley"
    assert observed_trend([0.1, 0.3, 0.1, 0.3]) == "none"
    assert observed_trend([0.2, 0.2]) == "flat"


def test_reports_render(fitted):
    html = fitted.show("credit_amount")._repr_html_()
    assert "<table" in html and "data:image/png;base64," in html and "credit_amount" in html
    fig = fitted.plot("purpose")
    assert fig.axes and fig.axes[0].get_title().startswith("purpose")
    s = fitted.summary()
    assert s["iv"].is_monotonic_decreasing and len(s) == 20
