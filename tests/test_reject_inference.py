"""Tests of scorecard.sample_design and scorecard.reject_inference on the loan-performance generator."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scorecard import LogisticScorecard
from scorecard.datasets import FEATURE_COLUMNS, make_applications, make_loan_performance
from scorecard.errors import DataError, MissingColumnError
from scorecard.reject_inference import augment
from scorecard.sample_design import PARTS, design_sample
from scorecard.target import define_target


@pytest.fixture(scope="module")
def study():
    lp = make_loan_performance(12_000, random_state=11)
    td = define_target(lp.repayments, bad="90+", window=12, indeterminate=None)
    apps = lp.applications
    acc = apps[apps["accepted"] == 1].reset_index(drop=True)
    rej = apps[apps["accepted"] == 0].reset_index(drop=True)
    y_acc = td.label(acc).to_numpy()
    assert not np.isnan(y_acc).any()  # every cohort is mature at 12 months with the default generator
    truth_rej = rej["application_id"].map(lp.rejected_outcomes.set_index("application_id")["bad"]).to_numpy()
    X_acc, X_rej = acc[list(FEATURE_COLUMNS)], rej[list(FEATURE_COLUMNS)]
    prelim = LogisticScorecard().fit(X_acc, y_acc.astype(int))
    truth_ttd = (y_acc.sum() + truth_rej.sum()) / (len(y_acc) + len(truth_rej))
    return prelim, X_acc, y_acc.astype(int), X_rej, truth_rej, truth_ttd


@pytest.mark.parametrize("method", ["hard_cutoff", "parcelling", "fuzzy"])
def test_reject_inference_moves_towards_truth(study, method):
    prelim, X_acc, y_acc, X_rej, truth_rej, truth_ttd = study
    a = augment(prelim, X_acc, y_acc, X_rej, method=method, factor=1.0, random_state=0)
    accepted_only = y_acc.mean()
    assert accepted_only < truth_ttd  # the bias reject inference corrects
    assert abs(a.through_the_door_bad_rate - truth_ttd) < abs(accepted_only - truth_ttd)
    assert a.inferred_reject_bad_rate > accepted_only
    # bookkeeping: every applicant counted once
    rej_weight = a.sample_weight[a.source == "rejected"].sum()
    assert rej_weight == pytest.approx(len(X_rej))
    assert (a.source == "accepted").sum() == len(X_acc)
    expected = (y_acc.sum() + np.average(a.y[a.source == "rejected"], weights=a.sample_weight[a.source == "rejected"]) * len(X_rej)) / (len(y_acc) + len(X_rej))
    assert a.through_the_door_bad_rate == pytest.approx(expected)


def test_hard_cutoff_and_fuzzy_by_hand(study):
    prelim, X_acc, y_acc, X_rej, *_ = study
    p = prelim.predict_proba(X_rej)[:, 1]
    hc = augment(prelim, X_acc, y_acc, X_rej, method="hard_cutoff", factor=1.5)
    k = int(round(np.minimum(1, 1.5 * p).sum()))
    y_rej = hc.y[hc.source == "rejected"].to_numpy()
    assert y_rej.sum() == k
    assert p[y_rej == 1].min() >= p[y_rej == 0].max()  # the riskiest are the bads
    fz = augment(prelim, X_acc, y_acc, X_rej, method="fuzzy", reject_weight=0.5)
    w = fz.sample_weight[fz.source == "rejected"]
    n = len(X_rej)
    np.testing.assert_allclose(w[:n] + w[n:], 0.5)
    np.testing.assert_allclose(w[:n], 0.5 * p)
    pc1 = augment(prelim, X_acc, y_acc, X_rej, method="parcelling", random_state=3)
    pc2 = augment(prelim, X_acc, y_acc, X_rej, method="parcelling", random_state=3)
    pd.testing.assert_series_equal(pc1.y, pc2.y)


def test_reject_inference_errors(study):
    prelim, X_acc, y_acc, X_rej, *_ = study
    with pytest.raises(DataError, match="method"):
        augment(prelim, X_acc, y_acc, X_rej, method="magic")
    with pytest.raises(DataError, match="same columns"):
        augment(prelim, X_acc, y_acc, X_rej.iloc[:, ::-1])
    with pytest.raises(DataError, match="empty"):
        augment(prelim, X_acc, y_acc, X_rej.iloc[:0])
    with pytest.raises(DataError, match="y_accepted"):
        augment(prelim, X_acc, np.r_[y_acc[:-1], 2], X_rej)
    with pytest.raises(DataError, match="predict_proba"):
        augment(object(), X_acc, y_acc, X_rej)


def test_sample_design_parts_and_exclusions():
    apps = make_applications(3_000, random_state=2)
    apps.loc[apps.index[:40], "bad"] = np.nan  # e.g. indeterminate accounts
    apps["bad"] = apps["bad"].astype(float)
    sd = design_sample(apps, date="application_month", target="bad", oot_months=4, test_size=0.25,
                       exclude={"no income proof": apps["income_proof"] == 0}, random_state=1)
    a = sd.assignment.astype(str)
    assert a.index.equals(apps.index) and set(a) <= set(PARTS)
    assert int(sd.summary["rows"].sum()) == len(apps)
    # exclusions: the first reason that applies is recorded
    noproof = apps["income_proof"] == 0
    assert (a[noproof] == "excluded").all()
    assert sd.exclusions.loc["no income proof", "rows"] == int(noproof.sum())
    assert sd.exclusions.loc["target missing", "rows"] == int((apps["bad"].isna() & ~noproof).sum())
    # out of time = the last four months among the kept rows
    last4 = sorted(apps["application_month"].unique())[-4:]
    kept = a != "excluded"
    assert set(apps.loc[kept & (a == "out_of_time"), "application_month"]) == set(last4)
    assert not apps.loc[a.isin(["development", "validation"]), "application_month"].isin(last4).any()
    # stratified: development and validation bad rates within a point
    br = sd.summary["bad_rate"]
    assert abs(br["development"] - br["validation"]) < 0.01
    n_in = int((a.isin(["development", "validation"])).sum())
    assert sd.summary.loc["validation", "rows"] == int(np.ceil(0.25 * n_in))
    # reproducible and JSON-ready
    again = design_sample(apps, date="application_month", target="bad", oot_months=4, test_size=0.25,
                          exclude={"no income proof": apps["income_proof"] == 0}, random_state=1)
    assert again.assignment.equals(sd.assignment) and again.to_dict() == sd.to_dict()
    parts = sd.split(apps)
    assert sum(len(v) for v in parts.values()) == int(kept.sum())


def test_sample_design_errors():
    df = pd.DataFrame({"m": ["2024-01", "2024-02"], "bad": [0, 1]})
    with pytest.raises(MissingColumnError):
        design_sample(df, date="month")
    with pytest.raises(DataError, match="not both"):
        design_sample(df, date="m", oot_start="2024-02", oot_months=1)
    with pytest.raises(DataError, match="1 \\(bad\\), 0"):
        design_sample(df.assign(bad=[0, 2]), date="m", target="bad")
    with pytest.raises(DataError, match="no in-time row"):
        design_sample(df, date="m", oot_start="2024-01")
    with pytest.raises(DataError, match="dates"):
        design_sample(df.assign(m=["x", "y"]), date="m")
    with pytest.raises(DataError, match="duplicated"):
        design_sample(df.set_axis([0, 0]), date="m")
