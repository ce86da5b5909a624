"""Tests for scorecard.tracking: MLflow runs of binners and scorecards.

Every test logs to its own copy of a migrated SQLite store
(``mlflow_tracking_uri`` in conftest.py); nothing touches the project's mlruns/.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from mlflow import MlflowClient

from scorecard import LogisticScorecard, WOEBinner, metrics, tracking
from scorecard.datasets import (
    FEATURE_COLUMNS,
    PERSONAL_COLUMNS,
    SPECIAL_CODES,
    TARGET,
    load_german_credit,
    make_applications,
)
from scorecard.errors import NotFittedError

PROJECT_ROOT = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- #
# fixtures: models fitted once per module
# --------------------------------------------------------------------------- #


@pytest.fixture(scope="module")
def german() -> tuple[pd.DataFrame, pd.Series]:
    return load_german_credit()


@pytest.fixture(scope="module")
def german_binner(german) -> WOEBinner:
    X, y = german
    return WOEBinner().fit(X, y)


@pytest.fixture(scope="module")
def german_scorecard(german) -> LogisticScorecard:
    X, y = german
    return LogisticScorecard().fit(X, y)


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def _download(uri: str, run_id: str, dst: Path) -> Path:
    client = MlflowClient(tracking_uri=uri)
    return Path(client.download_artifacts(run_id, "", dst_path=str(dst)))


# --------------------------------------------------------------------------- #
# where runs go
# --------------------------------------------------------------------------- #


def test_tracking_uri_honours_environment(mlflow_tracking_uri: str) -> None:
    assert tracking.tracking_uri() == mlflow_tracking_uri


def test_default_uri_resolves_under_project_root_whatever_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    monkeypatch.delenv(tracking.PROJECT_ROOT_ENV, raising=False)
    expected = f"sqlite:///{(PROJECT_ROOT / 'mlruns' / 'mlflow.db').as_posix()}"
    for cwd in (tmp_path, PROJECT_ROOT / "notebooks", PROJECT_ROOT):
        cwd.mkdir(exist_ok=True)
        monkeypatch.chdir(cwd)
        assert tracking.tracking_uri() == expected
    assert tracking.artifact_root() == PROJECT_ROOT / "mlruns" / "artifacts"


def test_project_root_from_environment_creates_mlruns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    root = tmp_path / "proj"
    root.mkdir()
    monkeypatch.setenv(tracking.PROJECT_ROOT_ENV, str(root))
    assert tracking.project_root() == root.resolve()
    assert tracking.tracking_uri() == f"sqlite:///{(root / 'mlruns' / 'mlflow.db').as_posix()}"
    assert (root / "mlruns").is_dir()


def test_project_root_falls_back_to_cwd_without_pyproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(tracking.PROJECT_ROOT_ENV, raising=False)
    fake_pkg = tmp_path / "site-packages" / "scorecard"
    fake_pkg.mkdir(parents=True)
    monkeypatch.setattr(tracking, "__file__", str(fake_pkg / "tracking.py"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert tracking.project_root() == work.resolve()


def test_new_store_keeps_every_artifact_under_its_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a store first opened from another folder (as notebooks/ is) still puts the Default
    # experiment's artifacts beside the database, not in <cwd>/mlruns
    uri = f"sqlite:///{(tmp_path / 'store' / 'mlruns' / 'mlflow.db').as_posix()}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    with tracking.start_run("fresh") as run:
        run.log_metrics({"x": 1.0})
    client = MlflowClient(tracking_uri=uri)
    locations = {e.name: e.artifact_location for e in client.search_experiments()}
    artifacts = (tmp_path / "store" / "mlruns" / "artifacts").as_uri()
    assert locations["Default"].startswith(artifacts)
    assert locations["fresh"].startswith(artifacts)
    assert not (elsewhere / "mlruns").exists()


def test_artifact_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert tracking.artifact_root("sqlite:////a/b/mlflow.db") == Path("/a/b/artifacts")
    monkeypatch.chdir(tmp_path)
    assert tracking.artifact_root("sqlite:///db/mlflow.db") == tmp_path / "db" / "artifacts"
    assert tracking.artifact_root("http://127.0.0.1:5000") is None
    assert tracking.artifact_root("sqlite:///:memory:") is None


# --------------------------------------------------------------------------- #
# a logged scorecard run
# --------------------------------------------------------------------------- #


def test_log_scorecard_params_metrics_artifacts(
    mlflow_tracking_uri: str, german, german_scorecard: LogisticScorecard, tmp_path: Path
) -> None:
    X, y = german
    model = german_scorecard
    lift = metrics.lift_table(y, model.predict_proba(X)[:, 1])
    run_id = tracking.log_model(
        model,
        "german_card",
        X=X,
        y=y,
        metrics={"cv_auc_mean": 0.75, "skipped": float("nan")},
        params={"dataset": "german_credit", "seed": 42},
        tags={"stage": "test"},
        artifacts={"lift_table": lift, "notes/readme": "hello", "config": {"a": 1}},
        n_plots=3,
    )
    client = MlflowClient(tracking_uri=mlflow_tracking_uri)
    run = client.get_run(run_id)
    assert run.info.status == "FINISHED"
    assert run.info.run_name == "german_card"
    exp = client.get_experiment(run.info.experiment_id)
    assert exp.name == "scorecard"
    # artifacts beside the database copy, not in the project
    assert run.info.artifact_uri.startswith((tmp_path / "mlruns" / "artifacts").as_uri())

    params = run.data.params
    assert params["min_iv"] == str(model.min_iv)
    assert params["pdo"] == str(model.pdo)
    assert params["dataset"] == "german_credit"
    assert params["seed"] == "42"
    assert params["binner"] == "None"

    m = run.data.metrics
    p_bad = model.predict_proba(X)[:, 1]
    assert m["auc"] == pytest.approx(metrics.auc(y, p_bad), abs=1e-12)
    assert m["gini"] == pytest.approx(metrics.gini(y, p_bad), abs=1e-12)
    assert m["ks"] == pytest.approx(metrics.ks(y, p_bad), abs=1e-12)
    assert m["cv_auc_mean"] == 0.75
    assert "skipped" not in m
    assert m["n_features"] == len(model.features_)
    assert m["n_features_dropped"] == len(model.selection_.dropped)

    tags = run.data.tags
    assert tags["stage"] == "test"
    assert tags["scorecard.model_class"] == "LogisticScorecard"
    assert tags["scorecard.model_name"] == "german_card"
    if tracking.git_commit(PROJECT_ROOT) is not None:  # a checkout: the tag names a commit of it
        commit = tags["mlflow.source.git.commit"]
        assert len(commit) == 40
        found = subprocess.run(["git", "cat-file", "-e", f"{commit}^{{commit}}"], cwd=PROJECT_ROOT)
        assert found.returncode == 0

    root = _download(mlflow_tracking_uri, run_id, tmp_path / "dl")
    files = _files(root)
    for f in model.binner_.features_:
        assert f"binning/tables/{f}.csv" in files
        assert f"binning/tables/{f}.html" in files
    expected = {
        "spec/woe_binner.json",
        "binning/iv.csv",
        "binning/iv.html",
        "selection/dropped.csv",
        "selection/dropped.html",
        "selection/kept.json",
        "model/summary.csv",
        "model/summary.html",
        "model/points_table.csv",
        "model/points_table.html",
        "data/fingerprint.json",
        "environment.json",
        "extra/lift_table.csv",
        "extra/lift_table.html",
        "extra/notes/readme.txt",
        "extra/config.json",
    }
    assert expected <= files
    plots = sorted(f for f in files if f.startswith("binning/plots/"))
    top = sorted(model.features_, key=lambda f: -model.binner_.iv_[f])[:3]
    assert plots == sorted(f"binning/plots/{f}.png" for f in top)
    assert (root / plots[0]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # the logged tables are the model's tables
    table = pd.read_csv(root / "binning" / "tables" / f"{model.features_[0]}.csv")
    np.testing.assert_allclose(table["iv"].to_numpy(), model.binner_.binning_table(model.features_[0])["iv"].to_numpy())
    points = pd.read_csv(root / "model" / "points_table.csv")
    assert points["points"].tolist() == model.points_table()["points"].tolist()
    dropped = pd.read_csv(root / "selection" / "dropped.csv")
    assert dropped["feature"].tolist() == model.selection_.dropped["feature"].tolist()
    assert json.loads((root / "selection" / "kept.json").read_text())["kept"] == model.features_
    if callable(getattr(model, "to_json", None)):
        assert (root / "spec" / "logistic_scorecard.json").read_text(encoding="utf-8") == model.to_json()
    spec = (root / "spec" / "woe_binner.json").read_text(encoding="utf-8")
    assert spec == model.binner_.to_json()
    assert WOEBinner.from_json(spec).features_ == model.binner_.features_

    fp = json.loads((root / "data" / "fingerprint.json").read_text())["X"]
    assert fp == json.loads(json.dumps(tracking.data_fingerprint(X, y)))
    assert fp["n_rows"] == len(X) and fp["columns"] == list(X.columns)
    assert fp["target"]["n_bad"] == int(y.sum())

    env = json.loads((root / "environment.json").read_text())
    for pkg in ("numpy", "pandas", "scikit-learn", "mlflow", "optbinning", "statsmodels"):
        assert env["packages"][pkg]
    assert env["python"]


def test_log_binner(mlflow_tracking_uri: str, german, german_binner: WOEBinner, tmp_path: Path) -> None:
    X, y = german
    run_id = tracking.log_model(german_binner, X=X, y=y, experiment="bins", n_plots=2)
    client = MlflowClient(tracking_uri=mlflow_tracking_uri)
    run = client.get_run(run_id)
    assert run.info.run_name == "woe_binner"
    assert client.get_experiment(run.info.experiment_id).name == "bins"
    params = run.data.params
    assert params["min_bin_size"] == "0.05"
    assert params["monotonic_trend"] == "auto"
    assert run.data.metrics["n_features"] == len(german_binner.features_)
    assert "auc" not in run.data.metrics  # a binner has no score
    files = _files(_download(mlflow_tracking_uri, run_id, tmp_path / "dl"))
    assert "spec/woe_binner.json" in files and "binning/iv.csv" in files
    assert not any(f.startswith(("model/", "selection/")) for f in files)
    top = german_binner.summary()["feature"].head(2).tolist()
    assert sorted(f for f in files if f.startswith("binning/plots/")) == sorted(f"binning/plots/{f}.png" for f in top)
    assert len([f for f in files if f.startswith("binning/tables/")]) == 2 * len(german_binner.features_)


def test_nested_params_are_flattened(mlflow_tracking_uri: str, german) -> None:
    X, y = german
    cols = ["duration_in_month", "credit_amount", "age_in_years", "status_of_existing_checking_account"]
    binner = WOEBinner(
        special_codes={"credit_amount": [-1]},
        feature_params={"age_in_years": {"monotonic_trend": "valley"}},
        max_n_bins=5,
    )
    model = LogisticScorecard(binner=binner, stepwise=False).fit(X[cols], y)
    run_id = tracking.log_model(model, n_plots=0)
    params = MlflowClient(tracking_uri=mlflow_tracking_uri).get_run(run_id).data.params
    assert params["binner"] == "WOEBinner"
    assert params["binner.max_n_bins"] == "5"
    assert params["binner.special_codes.credit_amount"] == "[-1]"
    assert params["binner.feature_params.age_in_years.monotonic_trend"] == "valley"


def test_log_into_an_open_run(mlflow_tracking_uri: str, german, german_binner: WOEBinner) -> None:
    with tracking.start_run("scorecard", "manual", tags={"who": "test"}) as run:
        run.log_metrics({"custom": 1.5})
        run.log_params({"p": [1, 2]})
        rid = tracking.log_model(german_binner, run_id=run.run_id, n_plots=0, tags={"extra": "yes"})
        assert rid == run.run_id
    client = MlflowClient(tracking_uri=mlflow_tracking_uri)
    got = client.get_run(run.run_id)
    assert got.info.status == "FINISHED"
    assert got.data.metrics["custom"] == 1.5
    assert got.data.params["p"] == "[1, 2]"
    assert got.data.tags["who"] == "test" and got.data.tags["extra"] == "yes"
    assert got.data.tags["scorecard.model_class"] == "WOEBinner"


def test_start_run_marks_failed_runs(mlflow_tracking_uri: str) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        with tracking.start_run("scorecard", "broken") as run:
            raise RuntimeError("boom")
    got = MlflowClient(tracking_uri=mlflow_tracking_uri).get_run(run.run_id)
    assert got.info.status == "FAILED"


def test_log_model_rejects_unfitted_and_foreign_objects(mlflow_tracking_uri: str) -> None:
    with pytest.raises(NotFittedError):
        tracking.log_model(LogisticScorecard())
    with pytest.raises(NotFittedError):
        tracking.log_model(WOEBinner())
    with pytest.raises(TypeError, match="WOEBinner or LogisticScorecard"):
        tracking.log_model(object())
    # nothing was logged
    client = MlflowClient(tracking_uri=mlflow_tracking_uri)
    assert client.get_experiment_by_name("scorecard") is None


def test_non_numeric_metric_is_refused(mlflow_tracking_uri: str, german_binner: WOEBinner) -> None:
    with pytest.raises(TypeError, match="metric 'auc'"):
        tracking.log_model(german_binner, metrics={"auc": "high"}, n_plots=0)


# --------------------------------------------------------------------------- #
# fingerprint
# --------------------------------------------------------------------------- #


def test_fingerprint_stable_for_same_data_and_changes_with_it(german) -> None:
    X, y = german
    fp = tracking.data_fingerprint(X, y)
    assert fp == tracking.data_fingerprint(X.copy(), y.copy())
    assert fp["sha256"] == tracking.data_fingerprint(X.set_index(X.index + 10))["sha256"]  # the index does not count
    assert len(fp["sha256"]) == 64
    assert fp["n_rows"] == 1000 and fp["n_columns"] == 20
    assert fp["dtypes"]["credit_amount"] == "int64"

    changed = X.copy()
    changed.loc[changed.index[500], "credit_amount"] += 1
    assert tracking.data_fingerprint(changed)["sha256"] != fp["sha256"]
    text = X.copy()
    text.loc[text.index[3], "purpose"] = "other"
    assert tracking.data_fingerprint(text)["sha256"] != fp["sha256"]
    assert tracking.data_fingerprint(X.iloc[::-1])["sha256"] != fp["sha256"]  # row order
    assert tracking.data_fingerprint(X.rename(columns={"purpose": "purp"}))["sha256"] != fp["sha256"]
    assert tracking.data_fingerprint(X.astype({"credit_amount": "float64"}))["sha256"] != fp["sha256"]
    assert tracking.data_fingerprint(X.iloc[:-1])["sha256"] != fp["sha256"]

    y2 = y.copy()
    y2.iloc[0] = 1 - y2.iloc[0]
    assert tracking.data_fingerprint(X, y2)["target"]["sha256"] != fp["target"]["sha256"]
    assert tracking.data_fingerprint(X, y2)["sha256"] == fp["sha256"]


def test_fingerprint_sha_is_hash_pandas_object(german) -> None:
    import hashlib

    X, _ = german
    fp = tracking.data_fingerprint(X)
    digest = hashlib.sha256(
        json.dumps({"columns": fp["columns"], "dtypes": fp["dtypes"]}, sort_keys=True).encode()
    )
    digest.update(pd.util.hash_pandas_object(X, index=False).to_numpy().tobytes())
    assert fp["sha256"] == digest.hexdigest()


def test_logged_fingerprint_changes_with_data(mlflow_tracking_uri: str, german, german_binner, tmp_path: Path) -> None:
    X, y = german
    changed = X.copy()
    changed.loc[changed.index[0], "age_in_years"] += 1
    shas = []
    for i, frame in enumerate((X, X.copy(), changed)):
        rid = tracking.log_model(german_binner, X=frame, y=y, n_plots=0)
        root = _download(mlflow_tracking_uri, rid, tmp_path / f"dl{i}")
        shas.append(json.loads((root / "data" / "fingerprint.json").read_text())["X"]["sha256"])
    assert shas[0] == shas[1] != shas[2]


# --------------------------------------------------------------------------- #
# personal data never reaches an artifact
# --------------------------------------------------------------------------- #


@pytest.mark.filterwarnings("ignore::scorecard.errors.ScorecardWarning")
def test_no_personal_value_in_any_artifact(mlflow_tracking_uri: str, tmp_path: Path) -> None:
    df = make_applications(3000, random_state=3)
    features = list(FEATURE_COLUMNS)
    codes = {k: list(v) for k, v in SPECIAL_CODES.items()}
    model = LogisticScorecard(binner=WOEBinner(special_codes=codes)).fit(df[features], df[TARGET])
    # the whole frame, personal columns included, is passed: it is hashed, never written
    run_id = tracking.log_model(model, "apps", X=df.drop(columns=[TARGET]), y=df[TARGET], n_plots=4)
    root = _download(mlflow_tracking_uri, run_id, tmp_path / "dl")
    fp = json.loads((root / "data" / "fingerprint.json").read_text())["X"]
    assert set(PERSONAL_COLUMNS) <= set(fp["columns"])
    assert fp["sha256"] == tracking.data_fingerprint(df.drop(columns=[TARGET]))["sha256"]

    values = set()
    for col in PERSONAL_COLUMNS:
        values |= {str(v) for v in df[col].dropna().unique()}
    # 2-character names could in principle match unrelated text; there is no CJK text in artifacts
    assert min(len(v) for v in values) >= 2
    blobs = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert len(blobs) > 30
    for rel, blob in blobs.items():
        text = blob.decode("utf-8", errors="ignore")
        leaked = [v for v in values if v in text]
        assert not leaked, f"{rel} holds personal values, e.g. {leaked[:1]!r}"


# --------------------------------------------------------------------------- #
# provenance helpers
# --------------------------------------------------------------------------- #


def test_git_commit_in_and_out_of_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True)
    info = tracking.git_commit(PROJECT_ROOT)
    if head.returncode == 0:
        assert info is not None and len(info["commit"]) == 40
        assert isinstance(info["dirty"], bool)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert tracking.git_commit(tmp_path) is None
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))  # git not installed
    assert tracking.git_commit(PROJECT_ROOT) is None


def test_log_model_without_git(mlflow_tracking_uri: str, german_binner, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    rid = tracking.log_model(german_binner, n_plots=0)
    tags = MlflowClient(tracking_uri=mlflow_tracking_uri).get_run(rid).data.tags
    assert "mlflow.source.git.commit" not in tags


def test_package_versions() -> None:
    v = tracking.package_versions()
    import numpy
    import pandas

    assert v["numpy"] == numpy.__version__
    assert v["pandas"] == pandas.__version__
    assert v["python"].count(".") == 2


def test_log_model_registers_promotes_and_loads_the_champion(mlflow_tracking_uri: str, german) -> None:
    """registry.log_model -> promote -> models:/<name>@champion scores like the notebook."""
    import mlflow

    X, y = german
    model = LogisticScorecard().fit(X, y)
    from scorecard import registry

    info = registry.log_model(model, "german_scorecard", X=X, y=y)
    assert info["alias"] == "challenger" and info["run_id"]
    version = registry.promote("german_scorecard")
    client = MlflowClient(mlflow_tracking_uri)
    assert str(client.get_model_version_by_alias("german_scorecard", "champion").version) == str(version)
    mlflow.set_tracking_uri(mlflow_tracking_uri)
    loaded = mlflow.pyfunc.load_model("models:/german_scorecard@champion")
    out = loaded.predict(X.head(50))
    expected = model.predict_points(X.head(50))["total"].to_numpy()
    assert np.array_equal(out["points"].to_numpy(), expected)
    assert np.allclose(out["proba_bad"].to_numpy(), model.predict_proba(X.head(50))[:, 1], atol=1e-12)


def test_log_model_refuses_personal_data_unless_allowed(mlflow_tracking_uri: str, german) -> None:
    from scorecard.errors import DataError

    X, y = german
    binner = WOEBinner().fit(X.iloc[:, :4], y)
    leak = pd.DataFrame({"id_number": ["11010519491231002X"], "phone": ["13912345678"]})
    with pytest.raises(DataError, match="personal"):
        tracking.log_model(binner, "leaky", artifacts={"applicants": leak})
    with pytest.raises(DataError):
        tracking.log_model(binner, "leaky", params={"contact": "13912345678"})
    rid = tracking.log_model(binner, "allowed", artifacts={"applicants": leak}, allow_personal_data=True)
    assert rid
