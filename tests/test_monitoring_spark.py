"""The monitor reads a Spark DataFrame (in chunks, on the driver) and counts exactly as from pandas."""

from __future__ import annotations

import os
import sys
import warnings

import pytest

from scorecard import LogisticScorecard
from scorecard.datasets import make_applications, make_production_months
from scorecard.errors import ScorecardWarning
from scorecard.monitoring import Monitor

pytest.importorskip("pyspark")
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::FutureWarning")]


def test_spark_dataframe_equals_pandas():
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    dev = make_applications(3000, random_state=3)
    cols = ["credit_utilization", "monthly_income", "loan_purpose", "bureau_score", "n_inquiries_6m"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScorecardWarning)
        model = LogisticScorecard().fit(dev[cols], dev["bad"])
    apps, _ = make_production_months(300, 2, n_months=3, drift_start=1, missing={"monthly_income": 0.3},
                                     unseen={"loan_purpose": 0.2})
    ref = Monitor(model, n_boot=50).fit_baseline(dev, dev["bad"])
    ref.observe(apps, segment="channel")
    session = (
        SparkSession.builder.master("local[1]").appName("scorecard-monitoring-tests")
        .config("spark.sql.shuffle.partitions", "2").config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    try:
        frame = session.createDataFrame(apps[["application_date", "channel", *cols]].astype({"application_date": "datetime64[us]"}))
        mon = Monitor(model, n_boot=50).fit_baseline(dev, dev["bad"])
        mon.observe(frame, segment="channel", chunk_rows=250)
    finally:
        session.stop()
    assert mon.to_json() == ref.to_json()
