"""Scale paths: the in-memory, DuckDB and Spark fits give identical bins and WOE (German
credit and 100,000 synthetic rows, both pre-binning methods); the exported SQL scores
exactly as Python does (DuckDB and Spark SQL); the DP solver, parallel fits and the
progress bar leave the bins unchanged.

Spark runs in local mode (``local[1]``, one shuffle partition), one SparkSession
shared with the other Spark test modules; those tests are skipped when pyspark or
Java is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import warnings

import duckdb
import numpy as np
import pandas as pd
import pytest

from scorecard import LogisticScorecard, WOEBinner
from scorecard.datasets import FEATURE_COLUMNS, SPECIAL_CODES, load_german_credit, make_applications
from scorecard.errors import ColumnError, FallbackWarning
from scorecard.sql import points_sql, score_duckdb

SPECIALS = {k: list(v) for k, v in SPECIAL_CODES.items()}


@pytest.fixture(scope="module")
def german():
    return load_german_credit()


@pytest.fixture(scope="module")
def german_parquet(german, tmp_path_factory):
    X, y = german
    path = tmp_path_factory.mktemp("german") / "german.parquet"
    X.assign(bad=y).to_parquet(path, index=False)
    return path


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """100,000 applications: 11 numeric features (two above 1,024 distinct values, so their
    fine bins are compressed) plus a continuous ratio (~20,000 values), 5 categorical;
    missing values and special codes."""
    df = make_applications(100_000, random_state=3)[[*FEATURE_COLUMNS, "bad"]].copy()
    df["amount_to_income"] = df["requested_amount"] / df["monthly_income"]
    path = tmp_path_factory.mktemp("synthetic") / "applications.parquet"
    df.to_parquet(path, index=False)
    return df, path


def fit_memory(df: pd.DataFrame, **params) -> WOEBinner:
    return WOEBinner(**params).fit(df.drop(columns="bad"), df["bad"])


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs Java")
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", os.sys.executable)
    session = (
        SparkSession.builder.master("local[1]")
        .appName("scorecard-tests")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()  # reuses a session another test module started
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    # Not stopped: the next Spark test module's getOrCreate() reuses it (one JVM start per
    # test session); it ends with the test process.


# -- DuckDB -----------------------------------------------------------------------------


def test_german_duckdb_parquet_and_relation_equal_in_memory(german, german_parquet):
    X, y = german
    ref = WOEBinner().fit(X, y)
    from_path = WOEBinner().fit(str(german_parquet), "bad")
    from_rel = WOEBinner().fit(duckdb.sql(f"SELECT * FROM read_parquet('{german_parquet}')"), "bad")
    assert from_path.to_json() == ref.to_json() == from_rel.to_json()
    assert list(from_path.feature_names_in_) == list(X.columns) and from_path.n_features_in_ == 20
    assert np.array_equal(from_path.transform(X), ref.transform(X))


@pytest.mark.parametrize("prebinning", ["cart", "quantile"])
def test_synthetic_duckdb_equals_in_memory(synthetic, prebinning):
    df, path = synthetic
    params = dict(special_codes=SPECIALS, prebinning=prebinning)
    ref = fit_memory(df, **params)
    sql = WOEBinner(**params).fit(path, "bad")
    assert sql.to_json() == ref.to_json()
    X = df.drop(columns="bad")
    assert np.array_equal(sql.transform(X), ref.transform(X))
    # a folder of Parquet parts is one dataset
    folder = path.parent / f"parts_{prebinning}"
    folder.mkdir()
    for i, part in enumerate(np.array_split(np.arange(len(df)), 3)):
        df.iloc[part].to_parquet(folder / f"part-{i}.parquet", index=False)
    assert WOEBinner(**params).fit(folder, "bad").to_json() == ref.to_json()


def test_duckdb_fit_with_manual_splits_features_and_checks(synthetic, tmp_path):
    df, path = synthetic
    params = dict(
        special_codes=SPECIALS,
        features=["age", "amount_to_income", "housing", "bureau_score"],
        categorical_features=["housing"],
        feature_params={"amount_to_income": {"splits": [0.5, 1.5, 3.0]}, "housing": {"groups": [["own", "mortgage"], ["rent", "family", "dorm"]]}},
    )
    ref = fit_memory(df, **params)
    sql = WOEBinner(**params).fit(path, "bad")
    assert sql.to_json() == ref.to_json()
    assert sql.bins_["amount_to_income"].splits == [0.5, 1.5, 3.0]
    bad = df.assign(const=1.0, empty=np.nan)
    p2 = tmp_path / "bad.parquet"
    bad.to_parquet(p2, index=False)
    with pytest.raises(ColumnError, match="'const' is constant"):
        WOEBinner().fit(p2, "bad")
    with pytest.warns(Warning, match="dropped unusable columns"):
        b = WOEBinner(on_invalid="drop", special_codes=SPECIALS).fit(p2, "bad")
    assert set(b.excluded_) == {"const", "empty"}
    with pytest.raises(ValueError, match="name of its target column"):
        WOEBinner().fit(p2, df["bad"])


def test_duckdb_sql_woe_and_index_equal_transform(synthetic):
    df, path = synthetic
    b = fit_memory(df, special_codes=SPECIALS)
    X = df.drop(columns="bad")
    con = duckdb.connect()
    src = f"read_parquet('{path}')"
    assert np.array_equal(con.sql(b.to_sql(src)).df().to_numpy(), b.transform(X))
    assert np.array_equal(con.sql(b.to_sql(src, output="index")).df().to_numpy(), b.transform(X, output="index"))


def test_sql_fallbacks_equal_python_fallbacks(german):
    X, y = german
    b = WOEBinner().fit(X, y)
    Z = X.head(6).copy()
    Z["purpose"] = Z["purpose"].astype(object)
    Z.loc[Z.index[0], "purpose"] = "spaceship"  # unseen category
    Z["credit_amount"] = Z["credit_amount"].astype(float)
    Z.loc[Z.index[1], "credit_amount"] = np.inf  # out of range
    Z.loc[Z.index[2], "credit_amount"] = -np.inf
    Z.loc[Z.index[3], "credit_amount"] = np.nan  # no missing values in training
    con = duckdb.connect()
    con.register("z", Z)
    with pytest.warns(FallbackWarning):
        ref = b.transform(Z)
    assert np.array_equal(con.sql(b.to_sql("z")).df().to_numpy(), ref)


def test_scorecard_points_sql_equal_predict_points_and_stream_to_parquet(german, german_parquet, tmp_path):
    X, y = german
    model = LogisticScorecard().fit(X, y)
    con = duckdb.connect()
    con.register("apps", X.assign(id=np.arange(len(X))))
    got = con.sql(points_sql(model, "apps", keep=["id"])).df()
    ref = model.predict_points(X)
    assert got["score"].tolist() == ref["total"].tolist()
    for f in model.features_:
        assert got[f"points_{f}"].tolist() == ref[f].tolist()
    unrounded = con.sql(points_sql(model, "apps", rounded=False)).df()["score"].to_numpy()
    assert np.abs(unrounded - model.predict_points(X, rounded=False)["total"].to_numpy()).max() < 1e-9
    out = tmp_path / "scores.parquet"
    assert score_duckdb(model, german_parquet, out) == len(X)
    assert pd.read_parquet(out)["score"].tolist() == ref["total"].tolist()


# -- solver and parallel fits -----------------------------------------------------------------


def test_dp_and_optbinning_solvers_give_the_same_bins(synthetic):
    df, _ = synthetic
    feats = ["age", "debt_to_income", "credit_utilization", "bureau_score", "amount_to_income", "loan_purpose", "education"]
    for trend in ["auto", "auto_asc_desc", "peak"]:
        params = dict(special_codes=SPECIALS, features=feats, monotonic_trend=trend)
        dp = fit_memory(df, **params)
        ob = fit_memory(df, solver="optbinning", **params)
        spec_dp, spec_ob = json.loads(dp.to_json()), json.loads(ob.to_json())
        assert spec_dp["features"] == spec_ob["features"], trend


def test_parallel_fit_and_progress_bar_give_the_same_spec(synthetic, capsys):
    df, _ = synthetic
    one = fit_memory(df, special_codes=SPECIALS)
    two = fit_memory(df, special_codes=SPECIALS, n_jobs=2, progress=True)
    assert json.loads(one.to_json())["features"] == json.loads(two.to_json())["features"]
    assert "binning" in capsys.readouterr().err  # the tqdm bar


# -- Spark ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_german_spark_equals_in_memory(spark, german, german_parquet):
    X, y = german
    sdf = spark.read.parquet(str(german_parquet))
    ref = WOEBinner().fit(X, y)
    got = WOEBinner().fit(sdf, "bad")
    assert got.to_json() == ref.to_json()
    assert np.array_equal(got.transform(X), ref.transform(X))
    # the exported SQL runs in Spark SQL with the same WOE
    sdf.createOrReplaceTempView("german")
    woe = spark.sql(ref.to_sql("german", dialect="spark")).toPandas().to_numpy()
    assert np.array_equal(woe, ref.transform(X))


@pytest.mark.slow
@pytest.mark.parametrize("prebinning", ["cart", "quantile"])
def test_synthetic_spark_equals_in_memory(spark, synthetic, prebinning):
    df, path = synthetic
    params = dict(special_codes=SPECIALS, prebinning=prebinning)
    got = WOEBinner(**params).fit(spark.read.parquet(str(path)), "bad")
    ref = fit_memory(df, **params)
    assert got.to_json() == ref.to_json()
    X = df.drop(columns="bad")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FallbackWarning)
        assert np.array_equal(got.transform(X), ref.transform(X))


@pytest.mark.slow
def test_spark_counts_compressed_in_spark_equal_in_memory(spark, synthetic):
    from scorecard import counts as C

    df, path = synthetic
    kinds = {"amount_to_income": "numeric", "debt_to_income": "numeric", "bureau_score": "numeric", "housing": "categorical"}
    mem = C.frame_counts(df, df["bad"].to_numpy(), kinds, SPECIALS, max_fine_bins=64)
    got = C.spark_counts(spark.read.parquet(str(path)), "bad", kinds, SPECIALS, max_fine_bins=64)
    for f in kinds:
        a, b = mem[f], got[f]
        assert list(a.values) == list(b.values) and a.good.tolist() == b.good.tolist(), f
        assert a.bad.tolist() == b.bad.tolist() and a.special_bad.tolist() == b.special_bad.tolist(), f
        assert (a.missing_good, a.missing_bad, a.n_distinct) == (b.missing_good, b.missing_bad, b.n_distinct), f


def test_transform_of_selected_features(german):
    X, y = german
    b = WOEBinner().fit(X, y)
    full = b.transform(X)
    feats = ["purpose", "age_in_years"]
    part = b.transform(X[feats], features=feats)  # only those columns are needed
    assert np.array_equal(part, full[:, [b.features_.index(f) for f in feats]])
    assert part.flags.f_contiguous
    with pytest.raises(KeyError, match="not binned"):
        b.transform(X, features=["nope"])
    with pytest.raises(ValueError, match="'woe' or 'index'"):
        b.to_sql("t", output="label")
