"""Tests of scorecard.target and the loan-performance generator: by-hand tables, pandas = DuckDB."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from scorecard.datasets import STATUSES, make_loan_performance
from scorecard.errors import DataError, MissingColumnError
from scorecard.target import (
    SEVERITY,
    define_target,
    roll_rates,
    suggest_bad_definition,
    suggest_performance_window,
    vintage_curves,
    worst_vs_later,
)


@pytest.fixture(scope="module")
def lp():
    return make_loan_performance(3_000, random_state=5, max_months_on_book=18, n_months=12)


def small() -> pd.DataFrame:
    # account 1: 2024-01, goes bad at mob 3; account 2: 2024-01, clean 4 months;
    # account 3: 2024-02, 30-59 at mob 2 then cures; account 4: 2024-02, pays off at mob 2
    rows = [
        (1, "2024-01", 1, "current"), (1, "2024-01", 2, "60-89"), (1, "2024-01", 3, "90+"), (1, "2024-01", 4, "charged_off"),
        (2, "2024-01", 1, "current"), (2, "2024-01", 2, "1-29"), (2, "2024-01", 3, "current"), (2, "2024-01", 4, "current"),
        (3, "2024-02", 1, "current"), (3, "2024-02", 2, "30-59"), (3, "2024-02", 3, "current"),
        (4, "2024-02", 1, "current"), (4, "2024-02", 2, "paid_off"),
    ]
    return pd.DataFrame(rows, columns=["application_id", "origination_month", "mob", "status"])


def test_vintage_by_hand():
    c = vintage_curves(small(), bad="90+")
    assert c.loc["2024-01"].tolist() == [0.0, 0.0, 0.5, 0.5]
    assert c.loc["2024-02"].iloc[:3].tolist() == [0.0, 0.0, 0.0]
    assert np.isnan(c.loc["2024-02", 4])  # cohort observed 3 months only
    # "60-89" as the bad definition: account 1 is bad from month 2
    c60 = vintage_curves(small(), bad="60-89")
    assert c60.loc["2024-01"].tolist() == [0.0, 0.5, 0.5, 0.5]
    assert c.attrs["accounts"] == {"2024-01": 2, "2024-02": 2}


def test_roll_rates_by_hand():
    rr = roll_rates(small())
    n = rr.counts
    # transitions: 1: c->60, 60->90, 90->co; 2: c->1-29, 1-29->c, c->c; 3: c->30, 30->c; 4: c->paid_off
    assert n.loc["current", "60-89"] == 1 and n.loc["60-89", "90+"] == 1 and n.loc["90+", "charged_off"] == 1
    assert n.loc["current", "1-29"] == 1 and n.loc["1-29", "current"] == 1 and n.loc["current", "current"] == 1
    assert n.loc["current", "30-59"] == 1 and n.loc["30-59", "current"] == 1 and n.loc["current", "paid_off"] == 1
    assert int(n.to_numpy().sum()) == 9  # 13 rows - 4 accounts
    assert rr.rates.loc["current"].sum() == pytest.approx(1.0)
    assert rr.rates.loc["current", "60-89"] == pytest.approx(1 / 5)
    assert rr.cure_rate()["1-29"] == 1.0 and rr.cure_rate()["90+"] == 0.0
    assert rr.roll_forward_rate()["60-89"] == 1.0


def test_define_target_by_hand():
    td = define_target(small(), bad="90+", window=4, indeterminate="30-59")
    out = td.accounts["outcome"].astype(str).to_dict()
    # 1 bad; 2 good (1-29 only, 4 months); 3 immature (3 months observed, not closed); 4 good (paid off)
    assert out == {1: "bad", 2: "good", 3: "immature", 4: "good"}
    assert td.target.to_dict() == {1: 1, 2: 0, 4: 0}
    td3 = define_target(small(), bad="90+", window=3, indeterminate="30-59")
    assert td3.accounts["outcome"].astype(str).to_dict() == {1: "bad", 2: "good", 3: "indeterminate", 4: "good"}
    assert td3.counts["accounts"].to_dict() == {"good": 2, "bad": 1, "indeterminate": 1, "immature": 0}
    assert td3.to_dict()["counts"]["indeterminate"] == 1


def test_worst_vs_later_by_hand():
    t = worst_vs_later(small(), split_mob=2, window=3)
    # 1: early worst 60-89, later 90+; 2: early 1-29, later current; 3: early 30-59, later current;
    # 4: paid off at 2: its early worst (current) carries over
    assert t.loc["60-89", "90+"] == 1 and t.loc["1-29", "current"] == 1
    assert t.loc["30-59", "current"] == 1 and t.loc["current", "current"] == 1
    assert int(t.to_numpy().sum()) == 4


def test_target_reconciles_with_repayments(lp):
    r = lp.repayments
    td = define_target(r, bad="90+", window=12, indeterminate="30-59")
    assert int(td.counts["accounts"].sum()) == r["application_id"].nunique()
    # independent count of bads: any 90+/charged_off row at mob <= 12
    sev = r["status"].map(SEVERITY)
    bad_keys = set(r.loc[(sev >= 4) & (r["mob"] <= 12), "application_id"])
    assert set(td.target[td.target == 1].index) == bad_keys
    assert td.counts.loc["immature", "accounts"] > 0  # the later cohorts have < 12 months (18 - 12 + 1 = 7)
    immature = td.accounts[td.accounts["outcome"] == "immature"]
    assert (immature["observed"] < 12).all()


@pytest.mark.parametrize("source", ["relation", "parquet"])
def test_duckdb_equals_pandas(lp, source, tmp_path):
    r = lp.repayments
    if source == "relation":
        data = duckdb.from_df(r)
    else:
        data = tmp_path / "rep.parquet"
        r.to_parquet(data)
        data = str(data)
    pd.testing.assert_frame_equal(vintage_curves(data), vintage_curves(r))
    a, b = roll_rates(data), roll_rates(r)
    pd.testing.assert_frame_equal(a.counts, b.counts)
    t1, t2 = define_target(data), define_target(r)
    pd.testing.assert_frame_equal(t1.accounts, t2.accounts)
    pd.testing.assert_frame_equal(t1.counts, t2.counts)
    pd.testing.assert_frame_equal(worst_vs_later(data), worst_vs_later(r))


def test_suggestions(lp):
    rr = roll_rates(lp.repayments)
    assert suggest_bad_definition(rr).value == "90+"  # the generator's cure rate falls below 20% at 90+
    c = vintage_curves(lp.repayments)
    s = suggest_performance_window(c)
    assert 6 <= s.value <= 18
    mean = c.dropna().mean()
    assert mean[s.value] >= 0.9 * mean.iloc[-1] - 1e-12 and mean[s.value - 1] < 0.9 * mean.iloc[-1]


def test_generator_shape_and_truth(lp):
    apps, r, rej = lp.applications, lp.repayments, lp.rejected_outcomes
    assert int(apps["accepted"].sum()) == 1800
    assert set(r["application_id"]) <= set(apps.loc[apps["accepted"] == 1, "application_id"])
    assert set(rej["application_id"]) == set(apps.loc[apps["accepted"] == 0, "application_id"])
    assert set(r["status"]) <= set(STATUSES)
    assert "bad" not in apps.columns and "true_pd" not in apps.columns
    # the old policy rejected the riskier applicants
    acc_bad = define_target(r, indeterminate=None).target.mean()
    assert rej["bad"].mean() > 2 * acc_bad
    again = make_loan_performance(3_000, random_state=5, max_months_on_book=18, n_months=12)
    pd.testing.assert_frame_equal(again.repayments, r)


def test_errors():
    r = small()
    with pytest.raises(DataError, match="'status' holds 1 value"):
        define_target(r.assign(status=r["status"].replace("1-29", "late")))
    with pytest.raises(DataError, match="'status' holds 1 value"):  # the SQL path counts them in its one pass
        define_target(duckdb.from_df(r.assign(status=r["status"].replace("1-29", "late"))))
    with pytest.raises(MissingColumnError, match="mob"):
        vintage_curves(r.drop(columns="mob"))
    with pytest.raises(DataError, match="less severe"):
        define_target(r, bad="60-89", indeterminate="90+")
    with pytest.raises(DataError, match="not a known status"):
        define_target(r, bad="120+")
    with pytest.raises(DataError, match="window"):
        define_target(r, window=0)
    with pytest.raises(DataError, match="empty"):
        define_target(r.iloc[:0])
    with pytest.raises(DataError, match="whole months"):
        define_target(r.assign(mob=r["mob"] - 1))
