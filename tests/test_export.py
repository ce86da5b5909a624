"""Tests of scorecard.export and scorecard.registry: compiled scorer, pyfunc, SQL, parity, registry, reproduction."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from scorecard import LogisticScorecard, export, registry, tracking
from scorecard.errors import DataError, FallbackWarning, MissingColumnError
from scorecard.explain import reason_codes

sys.path.insert(0, str(Path(__file__).parent))
from _export_helpers import applications_model, german_model  # noqa: E402

LOCAL_PATHS = ("memory", "json", "pyfunc", "fresh_process", "duckdb")


@pytest.fixture(scope="module")
def german():
    model, X, y = german_model()
    return {"model": model, "X": X, "y": y}


@pytest.fixture(scope="module")
def apps():
    model, rows = applications_model(100_000)
    return {"model": model, "rows": rows}


def _ref(model, X):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FallbackWarning)
        return model.predict_points(X)["total"].to_numpy(), model.predict_proba(X)[:, 1]


def test_compiled_scorer_matches_model_batch_single_and_records(german, apps):
    for model, X in ((german["model"], german["X"]), (apps["model"], apps["rows"].head(3000))):
        scorer = export.CompiledScorer.from_model(model)
        pts, proba = _ref(model, X)
        out = scorer.predict(X)
        assert len(out) == len(X) and (out.index == X.index).all()
        np.testing.assert_array_equal(out["points"].to_numpy(), pts)
        np.testing.assert_allclose(out["proba_bad"].to_numpy(), proba, rtol=0, atol=1e-12)
        sample = X.iloc[:: max(1, len(X) // 150)]
        recs = sample.to_dict("records")
        for i, (pos, rec) in enumerate(zip(range(len(sample)), recs)):
            one = scorer.predict(sample.iloc[[pos]])
            got = scorer.score_record(rec)
            full = out.loc[sample.index[pos]]
            assert one["points"].iloc[0] == full["points"] == got["points"]
            assert abs(got["proba_bad"] - full["proba_bad"]) < 1e-12
            assert abs(one["proba_bad"].iloc[0] - full["proba_bad"]) < 1e-12
            assert got["n_fallback"] == full["n_fallback"] == one["n_fallback"].iloc[0]
            for k in range(1, 5):
                exp_code = None if pd.isna(full[f"reason_{k}"]) else full[f"reason_{k}"]
                assert got[f"reason_{k}"] == exp_code


def test_reason_codes_match_explain(german, apps):
    for model, X in ((german["model"], german["X"]), (apps["model"], apps["rows"].head(2000))):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FallbackWarning)
            expected = reason_codes(model, X, n=4, layout="wide")
        out = export.CompiledScorer.from_model(model).predict(X)
        for k in range(1, 5):
            e = expected[f"code_{k}"].to_numpy(dtype=object)
            e = np.where(pd.isna(e), None, e)
            np.testing.assert_array_equal(out[f"reason_{k}"].to_numpy(dtype=object), e)


def test_fallback_counted_never_dropped(apps):
    model, rows = apps["model"], apps["rows"].head(5000)
    out = export.CompiledScorer.from_model(model).predict(rows)
    assert len(out) == len(rows) and out["points"].notna().all() and out["proba_bad"].notna().all()
    cat = next(f for f in model.features_ if model.binner_.bins_[f].kind == "categorical")
    unseen = rows[cat].eq("never_seen_category").to_numpy()
    assert unseen.any() and (out["n_fallback"].to_numpy()[unseen] >= 1).all()


def test_bad_input_errors(german):
    scorer = export.CompiledScorer.from_model(german["model"])
    X = german["X"].head(3)
    with pytest.raises(MissingColumnError, match="purpose"):
        scorer.predict(X.drop(columns=["purpose"]))
    with pytest.raises(MissingColumnError, match="purpose"):
        scorer.score_record(X.drop(columns=["purpose"]).iloc[0].to_dict())
    with pytest.raises(DataError, match="duration_in_month"):
        scorer.predict(X.assign(duration_in_month="twelve"))
    empty = scorer.predict(X.iloc[:0])
    assert list(empty.columns) == scorer.output_columns and len(empty) == 0
    # numbers sent as text are read as numbers, as WOEBinner.transform does
    as_text = scorer.predict(X.assign(duration_in_month=X["duration_in_month"].astype(str)))
    np.testing.assert_array_equal(as_text["points"], scorer.predict(X)["points"])


def test_parity_german_all_local_paths(german, tmp_path):
    report = export.parity_check(german["model"], german["X"], paths=LOCAL_PATHS, workdir=tmp_path)
    assert report["passed"].all(), report.to_string()
    assert set(report["path"]) == set(LOCAL_PATHS) and (report["n_rows"] == len(german["X"])).all()


@pytest.mark.slow
def test_parity_100k_synthetic_all_local_paths(apps, tmp_path):
    report = export.parity_check(apps["model"], apps["rows"], paths=LOCAL_PATHS, workdir=tmp_path)
    assert report["passed"].all(), report.to_string()
    assert (report["n_rows"] == 100_000).all()


def test_pyfunc_loads_without_optbinning_or_pickle(german, tmp_path):
    path = export.to_pyfunc(german["model"], tmp_path / "pf", input_example=german["X"])
    files = [p.name for p in path.rglob("*") if p.is_file()]
    assert not [f for f in files if f.endswith((".pkl", ".pickle", ".joblib", ".cloudpickle"))], files
    mlmodel = (path / "MLmodel").read_text()
    assert "loader_module: scorecard._pyfunc_model" in mlmodel and "python_model" not in mlmodel  # no stored code
    assert not [f for f in files if f.endswith(".py")], files
    german["X"].head(50).to_parquet(tmp_path / "x.parquet")
    code = (
        "import sys, importlib.abc\n"
        "class B(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, n, p=None, t=None):\n"
        "        if n.split('.')[0] in ('optbinning', 'ortools'): raise ImportError('blocked ' + n)\n"
        "sys.meta_path.insert(0, B())\n"
        "import pandas as pd, mlflow.pyfunc\n"
        f"m = mlflow.pyfunc.load_model({str(path)!r})\n"
        f"out = m.predict(pd.read_parquet({str(tmp_path / 'x.parquet')!r}))\n"
        "assert not [k for k in sys.modules if k.split('.')[0] in ('optbinning', 'ortools')]\n"
        "print(out['points'].tolist())\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         env=dict(os.environ, MLFLOW_DISABLE_TELEMETRY="true"))
    assert res.returncode == 0, res.stderr[-3000:]
    pts = json.loads(res.stdout.strip().splitlines()[-1])
    np.testing.assert_array_equal(pts, _ref(german["model"], german["X"].head(50))[0])


def test_pyfunc_signature_and_masked_input_example(german, tmp_path):
    from mlflow.models import Model

    path = export.to_pyfunc(german["model"], tmp_path / "pf", input_example=german["X"], keys=["application_id"])
    meta = Model.load(str(path))
    names = [c["name"] for c in meta.signature.inputs.to_dict()]
    assert names == ["application_id", *german["model"].features_]
    outs = [c["name"] for c in meta.signature.outputs.to_dict()]
    assert outs[1:4] == ["points", "proba_bad", "n_fallback"] and outs[-1] == "reason_4"
    example = json.loads((path / "input_example.json").read_text())
    assert len(example["data"]) == 5
    # personal data in the example is refused, naming the column
    X = german["X"].head(5).assign(application_id=["11010519491231002X"] * 5)
    with pytest.raises(DataError, match="application_id.*id_number"):
        export.to_pyfunc(german["model"], tmp_path / "pf2", input_example=X, keys=["application_id"])


def test_to_sql_shape(german):
    sql = export.to_sql(german["model"], dialect="spark", table="applications", keys=["application_id"])
    assert sql.startswith("SELECT `application_id`") and "AS `points`" in sql and "AS `proba_bad`" in sql
    assert sql.count("CASE") == 2 * len(german["model"].features_)
    with pytest.raises(ValueError, match="dialect"):
        export.to_sql(german["model"], dialect="oracle")
    assert json.loads(export.to_json(german["model"]))["spec"] == "scorecard.LogisticScorecard"


def test_challenger_pyfunc_matches_model(german, tmp_path):
    from scorecard.challenger import GBMChallenger

    X, y = german["X"], german["y"]
    gbm = GBMChallenger(n_estimators=60, random_state=0).fit(X, y)
    path = export.to_pyfunc(gbm, tmp_path / "gbm", input_example=X)
    assert (path / "data" / "artifacts" / export.CHALLENGER_MODEL_FILE).is_file()
    out = export.load_pyfunc(str(path)).predict(X.head(300))
    proba = gbm.predict_proba(X.head(300))[:, 1]
    np.testing.assert_allclose(out["proba_bad"].to_numpy(), proba, rtol=0, atol=1e-12)
    factor = 20 / np.log(2)
    expected_pts = np.floor(600 - factor * np.log(50) - factor * np.log(proba / (1 - proba)) + 0.5)
    np.testing.assert_array_equal(out["points"].to_numpy(), expected_pts.astype(np.int64))
    rc = reason_codes(gbm, X.head(300), n=4, layout="wide")
    for k in range(1, 5):
        e = rc[f"code_{k}"].to_numpy(dtype=object)
        np.testing.assert_array_equal(out[f"reason_{k}"].to_numpy(dtype=object), np.where(pd.isna(e), None, e))


def test_registry_register_promote_load(german, mlflow_tracking_uri):
    model, X = german["model"], german["X"]
    first = registry.register_model(model, "german_test", alias="champion", input_example=X)
    second = registry.register_model(clone(model).set_params(max_features=5).fit(X, german["y"]), "german_test",
                                     alias="challenger", input_example=X)
    assert (first["version"], second["version"]) == ("1", "2")
    assert registry.aliases("german_test") == {"champion": "1", "challenger": "2"}
    assert registry.promote("german_test") == "2"
    assert registry.aliases("german_test") == {"champion": "2", "previous_champion": "1"}
    champion = registry.load("german_test")
    out = champion.predict(X.head(100))
    assert len(out) == 100
    assert registry.promote("german_test", version=1) == "1"  # roll back
    np.testing.assert_array_equal(registry.load("models:/german_test@champion").predict(X)["points"], _ref(model, X)[0])
    with pytest.raises(registry.RegistryError, match="challenger"):
        registry.promote("german_test")


def test_reproduce_from_run_id(german, mlflow_tracking_uri, tmp_path):
    import mlflow

    model, X, y = german["model"], german["X"], german["y"]
    run_id = tracking.log_model(model, "german", X=X, y=y, params={"dataset": "german_credit"}, n_plots=0)
    local = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="spec", dst_path=str(tmp_path),
                                                tracking_uri=mlflow_tracking_uri)
    spec = (Path(local) / "logistic_scorecard.json").read_text()
    logged = LogisticScorecard.from_json(spec)
    np.testing.assert_array_equal(logged.predict_points(X)["total"], model.predict_points(X)["total"])
    # refit: the logged spec's parameters (binner included) on the same data give identical points
    refit = clone(logged).fit(X, y)
    np.testing.assert_array_equal(refit.predict_points(X)["total"], model.predict_points(X)["total"])
    assert refit.to_json() == spec
    # and the data is the logged data
    fp = json.loads(Path(mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="data/fingerprint.json",
                                                             dst_path=str(tmp_path / "fp"),
                                                             tracking_uri=mlflow_tracking_uri)).read_text())
    assert fp["X"]["sha256"] == tracking.data_fingerprint(X, y)["sha256"]
