"""Tests for scorecard.strategy's DecisionModel and its MLflow packaging.

Models are fitted once per module on synthetic applications: an application
scorecard and a LightGBM bureau challenger. Every MLflow test logs to its own
copy of a migrated SQLite store (``mlflow_tracking_uri`` in conftest.py).
The REST test starts ``mlflow models serve`` on 127.0.0.1 (loopback only)
with bounded waits and stops the server by PID.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scorecard import LogisticScorecard, WOEBinner
from scorecard.challenger import GBMChallenger
from scorecard.datasets import CHANNELS, SPECIAL_CODES, make_applications
from scorecard.errors import DataError, NotFittedError, SpecError
from scorecard.strategy import CompletenessTier, DecisionModel, Policy, RiskGrade, ScoreBands, optimize, simulate

APP = ["age", "monthly_income", "debt_to_income", "requested_amount", "loan_term_months", "years_at_employer",
       "employment_type", "housing", "education", "loan_purpose", "device_os"]
BUREAU = ["credit_utilization", "n_inquiries_6m", "months_since_last_delinquency", "bureau_score", "n_open_accounts"]
VENV_BIN = Path(sys.executable).parent


def _compare(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Frames equal cell by cell; missing text (None / NaN / "") compares equal."""
    assert list(a.columns) == list(b.columns)
    assert len(a) == len(b)
    for c in a.columns:
        x, y = a[c].reset_index(drop=True), b[c].reset_index(drop=True)
        if pd.api.types.is_numeric_dtype(x.dtype) and pd.api.types.is_numeric_dtype(y.dtype):
            np.testing.assert_array_equal(x.to_numpy(dtype=float), y.to_numpy(dtype=float), err_msg=c)
        else:
            xs = x.astype(object).where(x.notna(), "").astype(str)
            ys = y.astype(object).where(y.notna(), "").astype(str)
            assert (xs == ys).all(), (c, xs[xs != ys].head(), ys[xs != ys].head())


@pytest.fixture(scope="module")
def fitted():
    df = make_applications(20_000, random_state=3)
    dev, test = df.iloc[:12_000], df.iloc[12_000:]
    codes = {f: list(c) for f, c in SPECIAL_CODES.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sc = LogisticScorecard(binner=WOEBinner(special_codes={k: v for k, v in codes.items() if k in APP})).fit(dev[APP], dev["bad"])
        gbm = GBMChallenger(special_codes={k: v for k, v in codes.items() if k in BUREAU}, n_estimators=300,
                            learning_rate=0.1, random_state=0).fit(dev[BUREAU], dev["bad"])
    bands = {
        "scorecard": ScoreBands(5, name="scorecard").fit(sc.predict_score(dev[APP])),
        "bureau": ScoreBands(4, higher_is_safer=False, name="bureau").fit(gbm.predict_proba(dev[BUREAU])[:, 1]),
    }
    scored = dev.assign(score_scorecard=sc.predict_score(dev[APP]), score_bureau=gbm.predict_proba(dev[BUREAU])[:, 1])
    grades = [RiskGrade("P1", 0.03, 0.12, 50000), RiskGrade("P2", 0.07, 0.18, 20000), RiskGrade("P3", 1.0, 0.24, 8000)]
    res = optimize(scored, bands, max_bad_rate={"api": 0.08, "h5": 0.06, "app": 0.04}, grades=grades)
    tiers = [CompletenessTier("full", {"bureau_hit": 1, "income_proof": 1}, 1.2),
             CompletenessTier("bureau", {"bureau_hit": 1}, 1.0),
             CompletenessTier("thin", {}, 0.5, cap=5000)]
    policy = res.to_policy("cross_credit", "2026.11.1", completeness=tiers, known_channels=CHANNELS, limit_step=100)
    dm = DecisionModel({"scorecard": sc, "bureau": gbm}, policy).fit()
    X = test.drop(columns=["bad"]).head(400)
    return {"sc": sc, "gbm": gbm, "bands": bands, "policy": policy, "dm": dm, "X": X, "test": test}


# --------------------------------------------------------------------------- #
# in memory
# --------------------------------------------------------------------------- #


def test_predict_matches_models_and_policy(fitted):
    dm, X, sc, gbm, policy = fitted["dm"], fitted["X"], fitted["sc"], fitted["gbm"], fitted["policy"]
    out = dm.predict(X)
    assert list(out.columns) == dm.output_columns_ and out.index.equals(X.index)
    np.testing.assert_array_equal(out["score_scorecard"], sc.predict_score(X))
    np.testing.assert_array_equal(out["score_bureau"], gbm.predict_proba(X)[:, 1])
    ref = policy.decide(X.assign(score_scorecard=sc.predict_score(X), score_bureau=gbm.predict_proba(X)[:, 1]))
    for c in ("decision", "limit", "apr", "cell", "completeness_tier", "band_scorecard", "band_bureau"):
        _compare(out[[c]], ref[[c]])
    assert set(out["decision"]) <= {"approve", "refer", "decline"}
    # reason codes: up to 4 per model, named <model>:<feature>
    codes = out["reason_codes"].str.split(";")
    assert codes.map(len).max() <= 8
    assert all(c.split(":")[0] in ("scorecard", "bureau") for row in codes for c in row if c)


def test_reason_codes_follow_explain(fitted):
    explain = pytest.importorskip("scorecard.explain")
    dm, X, sc, gbm = fitted["dm"], fitted["X"].head(60), fitted["sc"], fitted["gbm"]
    out = dm.predict(X)
    ref_sc = explain.reason_codes(sc, X, n=4, layout="wide").filter(like="feature_")
    ref_gbm = explain.reason_codes(gbm, X, n=4, layout="wide").filter(like="feature_")
    for i in range(len(X)):
        want = [f"scorecard:{v}" for v in ref_sc.iloc[i] if isinstance(v, str)]
        want += [f"bureau:{v}" for v in ref_gbm.iloc[i] if isinstance(v, str)]
        assert out["reason_codes"].iloc[i] == ";".join(want)


def test_json_round_trip_scores_identically(fitted, tmp_path):
    dm, X = fitted["dm"], fitted["X"]
    path = tmp_path / "dm.json"
    dm.to_json(str(path))
    again = DecisionModel.from_json(str(path))
    pd.testing.assert_frame_equal(again.predict(X), dm.predict(X))
    assert again.to_json() == dm.to_json()
    spec = json.loads(dm.to_json())
    assert [m["kind"] for m in spec["models"]] == ["LogisticScorecard", "GBMChallenger"]
    assert "tree" in spec["models"][1]["spec"]["model"].lower()  # the LightGBM model string


def test_safe_decisions_never_crash(fitted):
    dm, X = fitted["dm"], fitted["X"].head(6).copy()
    policy = fitted["policy"]
    X["channel"] = ["partner_x", None, "api", "api", "h5", "app"]
    X["age"] = X["age"].astype(object)
    X.loc[X.index[3], "age"] = "not a number"  # this row's scorecard score is missing
    out = dm.predict(X)
    assert out["decision"].iloc[0] == policy.unknown_channel_decision and out["reasons"].iloc[0] == "UNKNOWN_CHANNEL"
    assert out["reasons"].iloc[1] == "MISSING_CHANNEL"
    assert np.isnan(out["score_scorecard"].iloc[3]) and out["band_scorecard"].iloc[3] == -1
    assert out["decision"].iloc[3] == policy.missing_score_decision and out["reasons"].iloc[3] == "MISSING_SCORE_SCORECARD"
    assert out["limit"].iloc[3] == 0 and np.isnan(out["apr"].iloc[3])
    good = dm.predict(fitted["X"].head(6).assign(channel=X["channel"].tolist()))
    for i in (2, 4, 5):  # the other rows are scored as usual
        assert out.iloc[i].equals(good.iloc[i])
    # a whole model's input absent: every row gets the safe decision for that model
    out2 = dm.predict(fitted["X"].head(5).drop(columns=["bureau_score"]))
    assert (out2["reasons"] == "MISSING_SCORE_BUREAU").all() and (out2["decision"] == "refer").all()
    # no usable column at all, and an empty frame
    out3 = dm.predict(pd.DataFrame({"unrelated": [1, 2]}))
    assert (out3["decision"] == "decline").all()
    assert dm.predict(fitted["X"].head(0)).empty


def _malformed(X: pd.DataFrame) -> pd.DataFrame:
    """Three approvable-looking rows with nonsensical requested amounts (issue 19's measured cases)."""
    bad = X.head(3).copy()
    bad["requested_amount"] = [-10_000.0, 1e308, 1e10]
    return bad


def test_invalid_inputs_are_never_approved(fitted):
    dm, X = fitted["dm"], fitted["X"]
    bad = _malformed(X)
    for out in (dm.predict(bad), pd.concat([dm.predict(bad.to_dict("records")[i:i + 1]) for i in range(3)])):
        assert (out["decision"] == dm.policy_.invalid_input_decision).all()
        assert out["reasons"].str.startswith("INVALID_REQUESTED_AMOUNT").all()
        assert (out["limit"] == 0).all() and out["apr"].isna().all()
    with pytest.raises(DataError, match="'requested_amount' has 3 invalid"):
        dm.predict(bad, errors="raise")
    # the valid rows of the same frame are untouched
    mixed = pd.concat([bad, X.iloc[3:6]])
    pd.testing.assert_frame_equal(dm.predict(mixed).iloc[3:], dm.predict(X.iloc[3:6]))
    # an external score must be finite
    ext = DecisionModel({"scorecard": fitted["sc"], "bureau": None}, fitted["policy"],
                        score_kinds={"bureau": "proba"}).fit()
    out = ext.predict(X.head(2).assign(score_bureau=[np.inf, 0.01]))
    assert out["reasons"].iloc[0] == "INVALID_SCORE_BUREAU" and out["decision"].iloc[0] != "approve"


def test_decision_model_errors(fitted):
    with pytest.raises(NotFittedError):
        DecisionModel({"scorecard": fitted["sc"]}, fitted["policy"]).predict(fitted["X"])
    with pytest.raises(SpecError, match=r"missing \['bureau'\]"):
        DecisionModel({"scorecard": fitted["sc"]}, fitted["policy"]).fit()
    with pytest.raises(SpecError, match="higher_is_safer"):
        DecisionModel({"scorecard": fitted["sc"], "bureau": fitted["gbm"]}, fitted["policy"],
                      score_kinds={"scorecard": "proba"}).fit()
    with pytest.raises(SpecError, match="LogisticScorecard"):
        DecisionModel({"scorecard": object(), "bureau": fitted["gbm"]}, fitted["policy"]).fit()


def test_external_score(fitted):
    """A model given as None reads its score from score_<name>."""
    sc, gbm, policy, X = fitted["sc"], fitted["gbm"], fitted["policy"], fitted["X"]
    dm = DecisionModel({"scorecard": sc, "bureau": None}, policy, score_kinds={"bureau": "proba"}).fit()
    with_score = X.assign(score_bureau=gbm.predict_proba(X)[:, 1])
    _compare(dm.predict(with_score).drop(columns="reason_codes"), fitted["dm"].predict(X).drop(columns="reason_codes"))
    out = dm.predict(X.head(3))  # no external score given
    assert (out["reasons"] == "MISSING_SCORE_BUREAU").all()


# --------------------------------------------------------------------------- #
# the compiled decision path
# --------------------------------------------------------------------------- #


def _edge_rows(X: pd.DataFrame) -> pd.DataFrame:
    """Rows exercising every safe path: channels, missing / bad inputs, unseen values, completeness."""
    e = X.head(12).copy()
    e["channel"] = ["api", "h5", "app", None, "partner_x", "api", "api", "app", "h5", "api", "app", "api"]
    e["age"] = e["age"].astype(object)
    e.loc[e.index[5], "age"] = "not a number"          # scorecard cannot score: missing score
    e["housing"] = e["housing"].astype(object)
    e.loc[e.index[6], "housing"] = "castle"             # unseen category: the scorecard's fallback
    e["bureau_score"] = e["bureau_score"].astype(float)
    e.loc[e.index[7], "bureau_score"] = np.inf          # unseen by the challenger: its fallback
    e.loc[e.index[8], "requested_amount"] = -10_000.0   # invalid amount
    e.loc[e.index[9], "requested_amount"] = np.nan      # missing amount
    e.loc[e.index[10], "credit_utilization"] = np.nan
    e["bureau_hit"] = [1, 0, 1, 1, 1, 1, 1, None, 1, 0, 1, 1]
    e["income_proof"] = [1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1]
    return e


def test_compiled_decisions_identical_to_predict(fitted):
    """Record and batch paths give DecisionModel.predict's frame, value for value (10,000+ rows)."""
    from scorecard.strategy.compiled import CompiledDecision

    dm = fitted["dm"]
    fast = CompiledDecision(DecisionModel.from_json(dm.to_json()), model_version="3")
    big = pd.concat([fitted["test"].drop(columns=["bad"]), make_applications(2_500, random_state=9).drop(columns=["bad"])],
                    ignore_index=True)
    assert len(big) >= 10_000
    ref = dm.predict(big)
    got = fast.decide_batch(big)
    assert list(got.columns) == [*dm.output_columns_, "policy", "policy_version", "model_version"]
    _compare(got[dm.output_columns_], ref)
    assert (got["policy_version"] == "2026.11.1").all() and (got["model_version"] == "3").all()
    # the edge rows (a batch whose scorecard column holds text: record by record), and records
    edge_rows = _edge_rows(fitted["X"])
    edge_ref = dm.predict(edge_rows)
    _compare(fast.decide_batch(edge_rows)[dm.output_columns_], edge_ref)
    records = edge_rows.to_dict("records") + big.iloc[::20].to_dict("records")
    rows = pd.DataFrame([fast.decide(r) for r in records])
    _compare(rows[dm.output_columns_], pd.concat([edge_ref, ref.iloc[::20]]))
    edge = rows.iloc[:12]
    assert edge["reasons"].tolist()[3:5] == ["MISSING_CHANNEL", "UNKNOWN_CHANNEL"]
    assert edge["reasons"].iloc[5] == "MISSING_SCORE_SCORECARD"
    assert edge["reasons"].iloc[8].startswith("INVALID_REQUESTED_AMOUNT") and edge["decision"].iloc[8] != "approve"
    # a record without a model's inputs, an empty record, the error mode
    assert fast.decide({"channel": "api"})["reasons"] == "MISSING_SCORE_SCORECARD;MISSING_SCORE_BUREAU"
    assert fast.decide({})["decision"] == dm.policy_.unknown_channel_decision
    with pytest.raises(DataError, match="'requested_amount'"):
        fast.decide(records[8], errors="raise")
    # without reason codes the decisions are the same
    quick = fast.decide_batch(big.head(500), reasons=False)
    _compare(quick.drop(columns="reason_codes")[dm.output_columns_[:-1]], ref.head(500).drop(columns="reason_codes"))
    assert (quick["reason_codes"] == "").all()


# --------------------------------------------------------------------------- #
# MLflow: registry and REST
# --------------------------------------------------------------------------- #


@pytest.fixture(scope="module")
def registered(fitted, mlflow_template_db, tmp_path_factory):
    """The decision model logged and registered once, in a module-wide store."""
    import shutil

    from scorecard.strategy.serving import log_decision_model

    folder = tmp_path_factory.mktemp("strategy-mlruns") / "mlruns"
    folder.mkdir()
    db = folder / "mlflow.db"
    shutil.copyfile(mlflow_template_db, db)
    uri = f"sqlite:///{db.as_posix()}"
    old = os.environ.get("MLFLOW_TRACKING_URI")
    os.environ["MLFLOW_TRACKING_URI"] = uri
    try:
        sim = simulate(fitted["policy"], fitted["test"].assign(
            score_scorecard=fitted["sc"].predict_score(fitted["test"][APP]),
            score_bureau=fitted["gbm"].predict_proba(fitted["test"][BUREAU])[:, 1]))
        info = log_decision_model(fitted["dm"], "cross_credit_test", alias="champion",
                                  metrics={"test.approval_rate": sim.approval_rate()})
        yield {**info, "uri": uri}
    finally:
        if old is None:
            os.environ.pop("MLFLOW_TRACKING_URI", None)
        else:
            os.environ["MLFLOW_TRACKING_URI"] = old


def test_registry_model_scores_identically(fitted, registered, monkeypatch):
    from mlflow import MlflowClient

    from scorecard.strategy.serving import load_decision_json, load_decision_model

    monkeypatch.setenv("MLFLOW_TRACKING_URI", registered["uri"])
    client = MlflowClient(tracking_uri=registered["uri"])
    mv = client.get_model_version_by_alias("cross_credit_test", "champion")
    assert str(mv.version) == registered["version"]
    run = client.get_run(registered["run_id"])
    assert run.data.params["policy.version"] == "2026.11.1" and "test.approval_rate" in run.data.metrics
    model = load_decision_model("models:/cross_credit_test@champion")
    X = fitted["X"]
    expected = fitted["dm"].predict(X)
    _compare(model.predict(X), expected)
    pd.testing.assert_frame_equal(load_decision_json("models:/cross_credit_test@champion").predict(X), expected)
    # invalid inputs: the safe decision, or a named MLflow error when asked for errors
    from mlflow.exceptions import MlflowException

    _compare(model.predict(_malformed(X)), fitted["dm"].predict(_malformed(X)))
    with pytest.raises(MlflowException, match="requested_amount"):
        model.predict(_malformed(X), params={"errors": "raise"})
    # the loader left MLflow's global state as it was
    assert os.environ["MLFLOW_TRACKING_URI"] == registered["uri"]


def test_decision_store_holds_no_code_and_refuses_tampering(fitted, registered, tmp_path, monkeypatch):
    """A logged decision model stores JSON only; a folder edited to run code of its own is refused."""
    import mlflow
    import yaml

    from scorecard.errors import SpecError
    from scorecard.strategy.serving import load_decision_model

    monkeypatch.setenv("MLFLOW_TRACKING_URI", registered["uri"])
    mlflow.set_tracking_uri(registered["uri"])
    local = Path(mlflow.artifacts.download_artifacts(artifact_uri="models:/cross_credit_test@champion",
                                                    dst_path=str(tmp_path / "dl")))
    files = sorted(p.relative_to(local).as_posix() for p in local.rglob("*") if p.is_file())
    assert not [f for f in files if f.endswith((".py", ".pkl", ".pickle"))], files
    assert "data/artifacts/decision_model.json" in files
    meta = yaml.safe_load((local / "MLmodel").read_text())
    assert meta["flavors"]["python_function"]["loader_module"] == "scorecard.strategy._pyfunc_model"
    # tamper: point the flavor at a module shipped in the store
    marker = tmp_path / "ran"
    (local / "evil.py").write_text(f"open({str(marker)!r}, 'w').write('x')\n")
    meta["flavors"]["python_function"]["loader_module"] = "evil"
    (local / "MLmodel").write_text(yaml.safe_dump(meta))
    with pytest.raises(SpecError, match="refusing to load"):
        load_decision_model(str(local))
    assert not marker.exists()


def test_log_and_load_policy(fitted, mlflow_tracking_uri):
    from scorecard.strategy import load_policy, log_policy

    policy = fitted["policy"]
    info = log_policy(policy, "cross_credit_policy")
    again = load_policy("models:/cross_credit_policy@champion")
    assert again == policy and again.to_json() == policy.to_json()
    assert info["version"] == "1"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stop(proc: subprocess.Popen) -> None:
    """Stop the uvicorn child(ren), then the parent, by PID (bounded waits)."""
    import psutil

    try:
        parent = psutil.Process(proc.pid)
        children = parent.children(recursive=True)
    except psutil.NoSuchProcess:
        return
    for child in children:
        try:
            child.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(children, timeout=15)
    for child in alive:
        child.kill()
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)


@pytest.mark.slow
def test_rest_server_scores_identically(fitted, registered, tmp_path):
    port = _free_port()
    env = dict(os.environ, MLFLOW_TRACKING_URI=registered["uri"], MLFLOW_DISABLE_TELEMETRY="true",
               PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    log = open(tmp_path / "serve.log", "wb")
    proc = subprocess.Popen(
        [str(VENV_BIN / "mlflow"), "models", "serve", "-m", "models:/cross_credit_test@champion",
         "--env-manager", "local", "-h", "127.0.0.1", "-p", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()[-3000:]
            try:
                with urllib.request.urlopen(f"{base}/ping", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            assert time.monotonic() < deadline, "server did not start in 120 s"
            time.sleep(0.5)
        X = fitted["X"].head(200)
        payload = json.dumps({"dataframe_split": json.loads(X.to_json(orient="split"))}).encode()
        req = urllib.request.Request(f"{base}/invocations", data=payload, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            body = json.loads(r.read())
        served = pd.DataFrame(body["predictions"])
        _compare(served, fitted["dm"].predict(X))
        # one row with an unknown channel and a missing input column: a safe decision, not an error
        row = X.head(1).drop(columns=["bureau_score"]).assign(channel="unknown_partner")
        payload = json.dumps({"dataframe_split": json.loads(row.to_json(orient="split"))}).encode()
        req = urllib.request.Request(f"{base}/invocations", data=payload, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            one = json.loads(r.read())["predictions"][0]
        assert one["decision"] == fitted["policy"].unknown_channel_decision and one["reasons"] == "UNKNOWN_CHANNEL"
        # malformed requested amounts: never approved, the field named; or HTTP 400 when asked for errors
        bad = _malformed(X)
        split = json.loads(bad.to_json(orient="split"))
        for params, status in ((None, 200), ({"errors": "raise"}, 400)):
            body = {"dataframe_split": split, **({"params": params} if params else {})}
            req = urllib.request.Request(f"{base}/invocations", data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(req, timeout=60) as r:
                    got, text = r.status, r.read().decode()
            except urllib.error.HTTPError as exc:
                got, text = exc.code, exc.read().decode()
            assert got == status, text
            if status == 200:
                served = pd.DataFrame(json.loads(text)["predictions"])
                assert (served["decision"] != "approve").all() and (served["limit"] == 0).all()
                assert served["reasons"].str.startswith("INVALID_REQUESTED_AMOUNT").all()
            else:
                assert "requested_amount" in text
    finally:
        _stop(proc)
        log.close()
