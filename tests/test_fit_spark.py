"""Spark: the scorecard fit's passes as Spark SQL give the in-memory coefficients.

One ``local[1]`` SparkSession for the module (as in ``test_spark_export.py``),
stopped in teardown; German credit only, to keep it short.
"""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

from scorecard import LogisticScorecard
from scorecard.datasets import load_german_credit

pytest.importorskip("pyspark")
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::FutureWarning")]


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[1]").appName("scorecard-fit-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()


def test_scorecard_fit_on_spark_equals_memory_german(spark):
    X, y = load_german_credit()
    mem = LogisticScorecard(progress=False).fit(X, y)
    pdf = X.copy()
    pdf["bad"] = y.to_numpy()
    sdf = spark.createDataFrame(pdf)
    dist = LogisticScorecard(progress=False).fit(sdf, "bad")
    assert dist.features_ == mem.features_
    np.testing.assert_allclose(dist.intercept_, mem.intercept_, rtol=0, atol=1e-9)
    np.testing.assert_allclose(dist.coef_, mem.coef_, rtol=0, atol=1e-9)
    np.testing.assert_allclose(dist._inference["std_err"], mem._inference["std_err"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(dist._vif, mem._vif, rtol=0, atol=1e-9)
