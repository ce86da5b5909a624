"""Tests of scorecard.segmentation: routing, exports scoring identically, pooled-vs-segmented comparison."""

from __future__ import annotations

import warnings

import duckdb
import numpy as np
import pandas as pd
import pytest

from scorecard import LogisticScorecard
from scorecard.datasets import FEATURE_COLUMNS, make_applications
from scorecard.errors import DataError, FallbackWarning, MissingColumnError, SpecError
from scorecard.segmentation import SegmentedScorecard, compare_segmentation

COLS = list(FEATURE_COLUMNS) + ["channel"]


@pytest.fixture(scope="module")
def data():
    df = make_applications(9_000, random_state=21)
    train, test = df.iloc[:6000], df.iloc[6000:].reset_index(drop=True)
    seg = SegmentedScorecard("channel").fit(train[COLS], train["bad"])
    return train, test, seg


def test_each_segment_scored_by_its_own_model(data):
    train, test, seg = data
    assert seg.segments_ == ["api", "app", "h5"]
    assert seg.default_segment_ == max(seg.segment_rows_, key=seg.segment_rows_.get)
    pts = seg.predict_points(test[COLS])
    proba = seg.predict_proba(test[COLS])
    for s in seg.segments_:
        m = (test["channel"] == s).to_numpy()
        sub = test.loc[m, COLS].drop(columns="channel")
        own = LogisticScorecard().fit(train.loc[train["channel"] == s, COLS].drop(columns="channel"),
                                      train.loc[train["channel"] == s, "bad"])
        np.testing.assert_array_equal(pts["total"].to_numpy()[m], own.predict_points(sub)["total"].to_numpy())
        np.testing.assert_allclose(proba[m], own.predict_proba(sub))
    assert pts.index.equals(test.index) and (pts["segment"] == test["channel"]).all()


def test_unseen_and_missing_segments_go_to_default(data):
    _, test, seg = data
    X = test[COLS].head(6).copy()
    X["channel"] = ["api", None, "fax", "h5", np.nan, "app"]
    with pytest.warns(FallbackWarning, match="3 row"):
        pts = seg.predict_points(X)
    d = seg.default_segment_
    assert pts["segment"].tolist() == ["api", d, d, "h5", d, "app"]
    expected = seg.models_[d].predict_points(X.iloc[[1]].drop(columns="channel"))["total"].iloc[0]
    assert pts["total"].iloc[1] == expected


def test_exports_score_identically(data, tmp_path):
    _, test, seg = data
    X = test[COLS + ["application_id"]].head(400).copy()
    X.loc[X.index[:5], "channel"] = None
    X.loc[X.index[5:8], "channel"] = "fax"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FallbackWarning)
        pts = seg.predict_points(X)
        proba = seg.predict_proba(X)[:, 1]
    # JSON round trip: byte-identical spec, same points
    back = SegmentedScorecard.from_json(seg.to_json())
    assert back.to_json() == seg.to_json()
    path = tmp_path / "seg.json"
    seg.to_json(str(path))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FallbackWarning)
        np.testing.assert_array_equal(SegmentedScorecard.from_json(str(path)).predict_points(X)["total"], pts["total"])
    # DuckDB SQL: one row per input row, same points and segment
    apps = X  # noqa: F841  (referenced by name in the SQL)
    out = duckdb.sql(seg.to_sql("duckdb", "apps", keys=["application_id"])).df().set_index("application_id")
    assert len(out) == len(X) and out.index.is_unique
    out = out.loc[X["application_id"]]
    np.testing.assert_array_equal(out["points"].to_numpy(), pts["total"].to_numpy())
    assert (out["segment"].to_numpy() == pts["segment"].to_numpy()).all()
    np.testing.assert_allclose(out["proba_bad"].to_numpy(), proba, rtol=0, atol=1e-9)
    # record scorer
    for i in range(0, len(X), 37):
        rec = {k: (None if pd.isna(v) else v) for k, v in X.iloc[i].to_dict().items()}
        r = seg.score_record(rec)
        assert r["points"] == pts["total"].iloc[i] and r["segment"] == pts["segment"].iloc[i]


def test_compare_segmentation_against_delong(data):
    from scorecard.compare import delong_test

    train, test, seg = data
    pooled = LogisticScorecard().fit(train[COLS].drop(columns="channel"), train["bad"])
    table = compare_segmentation(seg, pooled, test[COLS], test["bad"])
    assert list(table.index) == ["api", "app", "h5", "all"]
    assert table.loc["all", "rows"] == len(test)
    assert table.loc[["api", "app", "h5"], "rows"].sum() == len(test)
    m = (test["channel"] == "h5").to_numpy()
    r = delong_test(test["bad"][m], seg.predict_proba(test[COLS])[m, 1],
                    pooled.predict_proba(test[COLS].drop(columns="channel"))[m, 1])
    assert table.loc["h5", "difference"] == pytest.approx(r.difference)
    assert table.loc["h5", "p_value"] == pytest.approx(r.p_value)


def test_errors(data):
    train, _, seg = data
    with pytest.raises(MissingColumnError):
        SegmentedScorecard("region").fit(train[COLS], train["bad"])
    small = train[COLS].copy()
    small.loc[small.index[:50], "channel"] = "tiny"
    with pytest.raises(DataError, match="'tiny' has 50 training rows"):
        SegmentedScorecard("channel").fit(small, train["bad"])
    with pytest.raises(DataError, match="default_segment"):
        SegmentedScorecard("channel", default_segment="fax").fit(train[COLS], train["bad"])
    with pytest.raises(DataError, match="keys"):
        seg.to_sql("duckdb", "t", keys=[])
    with pytest.raises(SpecError, match="default_segment"):
        SegmentedScorecard.from_json({**seg.to_dict(), "default_segment": "fax"})
    with pytest.raises(SpecError, match="version"):
        SegmentedScorecard.from_json({**seg.to_dict(), "version": 99})
    with pytest.raises(DataError, match="index"):
        SegmentedScorecard("channel").fit(train[COLS], train["bad"].set_axis(train.index + 100000))
