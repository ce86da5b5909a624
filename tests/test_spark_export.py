"""Spark: the exported SQL in Spark SQL and the pyfunc through ``mlflow.pyfunc.spark_udf`` score as in memory.

One ``local[1]`` SparkSession for the module (small shuffle partitions, no
UI, the venv's Python for the workers), stopped in teardown.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from scorecard import export
from scorecard.errors import FallbackWarning

sys.path.insert(0, str(Path(__file__).parent))
from _export_helpers import applications_model, german_model  # noqa: E402
from _spark_helpers import spark  # noqa: E402,F401 - the module's SparkSession fixture

pytest.importorskip("pyspark")
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::FutureWarning")]


def test_spark_sql_parity_german(spark, tmp_path):
    model, X, _ = german_model()
    report = export.parity_check(model, X, paths=("memory", "spark"), spark=spark, workdir=tmp_path)
    assert report["passed"].all(), report.to_string()


def test_spark_sql_parity_100k_synthetic(spark, tmp_path):
    model, rows = applications_model(100_000)
    report = export.parity_check(model, rows, paths=("memory", "spark"), spark=spark, workdir=tmp_path)
    assert report["passed"].all(), report.to_string()
    assert (report["n_rows"] == 100_000).all()


def test_spark_udf_batch_scoring(spark, tmp_path):
    import mlflow.pyfunc
    from pyspark.sql import functions as F

    model, rows = applications_model(20_000)
    rows = rows.reset_index(drop=True)
    path = export.to_pyfunc(model, tmp_path / "pf", input_example=rows, keys=["application_id"], n_reasons=2)
    cols = ["application_id", *model.features_]
    rows[cols].to_parquet(tmp_path / "rows.parquet")
    udf = mlflow.pyfunc.spark_udf(
        spark, str(path), env_manager="local",
        result_type="application_id long, points long, proba_bad double, n_fallback long, reason_1 string, reason_2 string",
    )
    sdf = spark.read.parquet(str(tmp_path / "rows.parquet"))
    got = (sdf.withColumn("s", udf(*[F.col(c) for c in cols])).select("s.*").toPandas()
           .sort_values("application_id").reset_index(drop=True))
    assert len(got) == len(rows)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FallbackWarning)
        expected = export.CompiledScorer.from_model(model, n_reasons=2).predict(rows[cols])
        ref_points = model.predict_points(rows)["total"]
        ref_proba = model.predict_proba(rows)[:, 1]
    np.testing.assert_array_equal(got["application_id"], rows["application_id"])
    np.testing.assert_array_equal(got["points"], ref_points)
    np.testing.assert_allclose(got["proba_bad"], ref_proba, rtol=0, atol=1e-9)
    assert got["reason_1"].tolist() == [None if v is None else v for v in expected["reason_1"]]
