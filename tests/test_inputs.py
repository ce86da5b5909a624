"""Inputs that cannot be silently misread: y aligned to X by label, named bad and good values."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from scorecard import counts as C
from scorecard._validation import check_target
from scorecard.binning import WOEBinner
from scorecard.challenger import GBMChallenger
from scorecard.datasets import load_german_credit
from scorecard.errors import TargetError
from scorecard.model import LogisticScorecard

COLS = ["duration_in_month", "credit_amount", "purpose", "age_in_years", "status_of_existing_checking_account"]


@pytest.fixture(scope="module")
def german():
    X, y = load_german_credit()
    return X[COLS], y


def test_y_with_a_shuffled_index_is_aligned_by_label(german):
    X, y = german
    perm = np.random.default_rng(3).permutation(len(y))
    y_shuffled = y.iloc[perm]  # same labels, another order: positionally scrambled
    assert not np.array_equal(y_shuffled.to_numpy(), y.to_numpy())
    ref = WOEBinner().fit(X, y).to_json()
    assert WOEBinner().fit(X, y_shuffled).to_json() == ref
    assert LogisticScorecard().fit(X, y_shuffled).to_json() == LogisticScorecard().fit(X, y).to_json()
    frame = y_shuffled.to_frame()  # a one-column DataFrame is aligned too
    with pytest.warns(Warning, match="column-vector"):
        assert np.array_equal(check_target(frame, index=X.index), y.to_numpy())


def test_y_with_other_labels_is_refused(german):
    X, y = german
    moved = y.set_axis(y.index + 10_000)
    for est in (WOEBinner(), LogisticScorecard(), GBMChallenger(n_estimators=5, early_stopping_rounds=None)):
        with pytest.raises(TargetError, match=r"index that does not match X's \(1000 of X's row labels"):
            est.fit(X, moved)
    # positional use is explicit
    WOEBinner().fit(X, moved.to_numpy())
    dup = y.set_axis(np.r_[X.index[:-1], X.index[0]])
    with pytest.raises(TargetError, match="does not match"):
        check_target(dup, index=X.index)


def test_bad_value_alone_refuses_a_third_value(german):
    X, y = german
    labels = np.where(y == 1, "bad", "good").astype(object)
    labels[:5] = "Bad"  # a typo
    with pytest.raises(TargetError, match=r"holds 3 distinct values .* only bad_value='b\*d' \(3 chars\) is named: name the other class"):
        WOEBinner(bad_value="bad").fit(X, labels)
    with pytest.raises(TargetError, match=r"5 row\(s\) that are neither bad_value='b\*d' \(3 chars\) nor good_value='g\*\*d' \(4 chars\)"):
        LogisticScorecard(bad_value="bad", good_value="good").fit(X, labels)
    labels[:5] = np.where(y.to_numpy()[:5] == 1, "bad", "good")
    a = WOEBinner(bad_value="bad", good_value="good").fit(X, labels)
    b = WOEBinner(bad_value="bad").fit(X, labels)
    c = WOEBinner().fit(X, y)
    assert a.bins_["duration_in_month"].bad == b.bins_["duration_in_month"].bad == c.bins_["duration_in_month"].bad
    # good_value alone: every other value is bad
    assert check_target(["ok", "late", "ok"], good_value="ok").tolist() == [0, 1, 0]
    with pytest.raises(TargetError, match=r"only good_value='\*\*' \(2 chars\) is named"):
        check_target(["ok", "late", "default"], good_value="ok")
    with pytest.raises(TargetError, match="both 'x'"):
        check_target(["x", "y"], bad_value="x", good_value="x")
    with pytest.raises(TargetError, match=r"no row equal to good_value='f\*\*e' \(4 chars\)"):
        check_target(["bad", "good"], bad_value="bad", good_value="fine")


def test_counts_in_duckdb_refuse_a_third_value(tmp_path):
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "status": ["bad", "good", "Bad", "good", "bad", "good"]})
    path = tmp_path / "t.parquet"
    duckdb.from_df(df).write_parquet(str(path))
    with pytest.raises(TargetError, match=r"only bad_value='b\*d' \(3 chars\) is named"):
        C.duckdb_counts(str(path), "status", {"x": "numeric"}, bad_value="bad")
    with pytest.raises(TargetError, match=r"neither bad_value='b\*d' \(3 chars\) nor good_value='g\*\*d' \(4 chars\)"):
        C.duckdb_counts(str(path), "status", {"x": "numeric"}, bad_value="bad", good_value="good")
    ok = df[df.status != "Bad"]
    duckdb.from_df(ok).write_parquet(str(path))
    t = C.duckdb_counts(str(path), "status", {"x": "numeric"}, bad_value="bad", good_value="good")["x"]
    assert (t.bad.sum(), t.good.sum()) == (2, 3)
    binner = WOEBinner(bad_value="bad", good_value="good").fit(str(path), "status")
    assert binner.bins_["x"].bad == WOEBinner().fit(ok[["x"]], (ok.status == "bad").astype(int)).bins_["x"].bad
