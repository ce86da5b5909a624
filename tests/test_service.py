"""End-to-end tests of the decision service (scorecard.service).

A small decision model (scorecard + 40-tree challenger) is fitted once per
module. Most tests go through Starlette's TestClient; one starts the real
command (``python -m scorecard.service``, uvicorn) on 127.0.0.1 with a free
port and stops it by PID; one logs two versions to a throw-away MLflow
registry to test the alias reload and the shadow model.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings

import numpy as np
import pandas as pd
import pytest

from scorecard import LogisticScorecard, WOEBinner
from scorecard.challenger import GBMChallenger
from scorecard.datasets import CHANNELS, SPECIAL_CODES, make_applications
from scorecard.service import DecisionService, create_app
from scorecard.strategy import CompletenessTier, DecisionModel, RiskGrade, ScoreBands, optimize

pytestmark = pytest.mark.filterwarnings("ignore:.*httpx2")  # starlette's advice; httpx2 is not installed

APP = ["age", "monthly_income", "debt_to_income", "requested_amount", "employment_type", "housing"]
BUREAU = ["credit_utilization", "n_inquiries_6m", "bureau_score"]


def _client(service):
    from starlette.testclient import TestClient

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette advises httpx2, which is not installed
        return TestClient(create_app(service))


def _build(version: str, seed: int = 3) -> DecisionModel:
    dev = make_applications(4000, random_state=seed)
    codes = {f: list(c) for f, c in SPECIAL_CODES.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sc = LogisticScorecard(binner=WOEBinner(special_codes={k: v for k, v in codes.items() if k in APP}))
        sc.fit(dev[APP], dev["bad"])
        gbm = GBMChallenger(special_codes={k: v for k, v in codes.items() if k in BUREAU}, n_estimators=40,
                            early_stopping_rounds=None, random_state=0).fit(dev[BUREAU], dev["bad"])
    s1, s2 = sc.predict_score(dev[APP]), gbm.predict_proba(dev[BUREAU])[:, 1]
    bands = {"scorecard": ScoreBands(4, name="scorecard").fit(s1),
             "bureau": ScoreBands(3, higher_is_safer=False, name="bureau").fit(s2)}
    grades = [RiskGrade("P1", 0.05, 0.12, 30000), RiskGrade("P2", 0.12, 0.2, 15000), RiskGrade("P3", 1.0, 0.3, 6000)]
    res = optimize(dev.assign(score_scorecard=s1, score_bureau=s2), bands, max_bad_rate=0.12, grades=grades)
    tiers = [CompletenessTier("full", {"bureau_hit": 1, "income_proof": 1}, 1.2),
             CompletenessTier("bureau", {"bureau_hit": 1}, 1.0), CompletenessTier("thin", {}, 0.5, cap=5000)]
    policy = res.to_policy("svc", version, completeness=tiers, known_channels=CHANNELS, limit_step=100)
    return DecisionModel({"scorecard": sc, "bureau": gbm}, policy).fit()


@pytest.fixture(scope="module")
def dm():
    return _build("1")


@pytest.fixture(scope="module")
def apps():
    X = make_applications(300, random_state=21).drop(columns=["bad"])
    return json.loads(X.to_json(orient="records"))


def test_single_batch_health_version(dm, apps):
    service = DecisionService(dm, max_rows=50, max_body_bytes=100_000)
    client = _client(service)
    h = client.get("/health")
    assert h.status_code == 200 and h.json()["status"] == "ok" and h.json()["model_version"].startswith("sha256:")
    v = client.get("/version").json()
    assert v["policy"] == "svc" and v["policy_version"] == "1"
    r = client.post("/decide", json=apps[0], headers={"x-request-id": "req-1"})
    assert r.status_code == 200 and r.headers["x-request-id"] == "req-1"
    body = r.json()
    assert body["request_id"] == "req-1" and body["decision_id"] and body["model_version"] == v["model_version"]
    ref = dm.predict(pd.DataFrame(apps[:40]))
    assert body["decision"] == ref["decision"].iloc[0] and body["limit"] == ref["limit"].iloc[0]
    b = client.post("/decide/batch", json={"applications": apps[:40]})
    assert b.status_code == 200
    got = pd.DataFrame(b.json()["decisions"])
    assert got["decision"].tolist() == ref["decision"].tolist()
    np.testing.assert_array_equal(got["limit"].to_numpy(float), ref["limit"].to_numpy(float))
    assert got["reason_codes"].tolist() == ref["reason_codes"].tolist()
    # limits on rows and bytes
    r = client.post("/decide/batch", json={"applications": apps[:51]})
    assert r.status_code == 413 and r.json()["error"]["field"] == "applications"
    r = client.post("/decide", content=b'{"x": "' + b"a" * 120_000 + b'"}')
    assert r.status_code == 413


_BAD = [
    (b"", 400), (b"not json", 400), (b"[1, 2]", 422), (b"42", 422), (b'"text"', 422), (b"\xff\xfe", 400),
    (b'{"age": [1, 2]}', 422), (b'{"age": {"a": 1}}', 422), (b"[" * 5000 + b"]" * 5000, 400),
    (b'{"requested_amount": 1' + b"0" * 400 + b"}", 422), (b'{"age": 1' + b"0" * 5000 + b"}", 400),
]
_BAD_BATCH = [(b'{"applications": 5}', 422), (b'{"applications": [1]}', 422), (b'{"rows": []}', 422),
              (b'{"applications": [{"age": [1]}]}', 422), (b"[]", 422)]
_BAD_REDECIDE = [(b'{"decision_id": 5}', 422), (b'{"decision_id": "nope"}', 404), (b"[]", 422),
                 (b'{"decision_id": "nope", "data": [1]}', 422)]
# well-formed requests with nonsensical values: the policy's safe decision (200), never an approval
_ODD = [{"requested_amount": -10000}, {"requested_amount": 1e308}, {"age": "abc"}, {"channel": 7},
        {"monthly_income": None}, {"bureau_score": True}, {"housing": "castle"}, {}]


def test_bad_input_corpus_never_5xx(dm, apps):
    client = _client(DecisionService(dm))
    for path, corpus in (("/decide", _BAD), ("/decide/batch", _BAD_BATCH), ("/redecide", _BAD_REDECIDE)):
        for body, status in corpus:
            r = client.post(path, content=body, headers={"content-type": "application/json"})
            assert r.status_code == status, (path, body[:40], r.text)
            assert r.json()["error"]["message"] and r.json()["request_id"] and r.json()["model_version"]
    r = client.post("/decide", content=b'{"age": [1, 2]}')
    assert r.json()["error"]["field"] == "age"
    r = client.post("/decide/batch", json={"applications": [apps[0], {"age": {}}]})
    assert r.json()["error"]["field"] == "applications[1].age"
    for odd in _ODD:
        r = client.post("/decide", json={**apps[1], **odd})
        assert r.status_code == 200, (odd, r.text)
    r = client.post("/decide", content=json.dumps({**apps[1], "requested_amount": float("inf")}).encode())
    assert r.status_code == 200 and r.json()["decision"] != "approve"
    assert r.json()["reasons"].startswith("INVALID_REQUESTED_AMOUNT")


def test_redecide_raises_limit_and_never_lowers_it(dm, apps):
    service = DecisionService(dm)
    client = _client(service)
    thin = {"bureau_hit": 0, "income_proof": 0}
    approved = [a for a in apps if client.post("/decide", json={**a, **thin}).json()["decision"] == "approve"]
    assert approved
    a = approved[0]
    first = client.post("/decide", json={**a, **thin}).json()
    assert first["completeness_tier"] == "thin" and first["limit"] <= 5000
    more = client.post("/redecide", json={"decision_id": first["decision_id"],
                                          "data": {"bureau_hit": 1, "income_proof": 1}}).json()
    assert more["completeness_tier"] == "full" and more["limit"] >= first["limit"]
    audit = more["audit"]
    assert audit["changed_fields"] == ["bureau_hit", "income_proof"] and audit["previous"]["limit"] == first["limit"]
    assert audit["new"]["limit"] == more["limit"] and audit["rule"] == "policy"
    assert "age" not in json.dumps(audit)  # the trail names changed fields only, no applicant values
    # data that would lower the limit: the earlier approved limit is kept (the default rule)
    less = client.post("/redecide", json={"decision_id": more["decision_id"], "data": {"income_proof": 0}}).json()
    if less["decision"] == "approve":
        assert less["limit"] == more["limit"] and less["audit"]["rule"] == "limit_kept"
    # ... unless the service allows decreases
    strict = _client(DecisionService(dm, allow_limit_decrease=True))
    f2 = strict.post("/decide", json={**a, "bureau_hit": 1, "income_proof": 1}).json()
    l2 = strict.post("/redecide", json={"decision_id": f2["decision_id"], "data": {"income_proof": 0}}).json()
    assert l2["limit"] <= f2["limit"] and l2["audit"]["rule"] == "policy"


@pytest.mark.slow
def test_registry_alias_reload_and_shadow(dm, apps, mlflow_tracking_uri, caplog):
    from mlflow import MlflowClient

    from scorecard.strategy.serving import log_decision_model

    log_decision_model(dm, "svc_test", alias="champion")
    dm2 = _build("2", seed=5)
    log_decision_model(dm2, "svc_test", alias="challenger")
    service = DecisionService("models:/svc_test@champion", shadow="models:/svc_test@challenger", shadow_share=1.0,
                              poll_seconds=0)
    client = _client(service)
    with caplog.at_level(logging.INFO, logger="scorecard.service.shadow"):
        r = client.post("/decide", json=apps[2]).json()
    assert r["model_version"] == "1" and r["policy_version"] == "1"
    shadow = [json.loads(m.getMessage()) for m in caplog.records if m.name == "scorecard.service.shadow"]
    assert shadow and shadow[-1]["champion_version"] == "1" and shadow[-1]["shadow_version"] == "2"
    assert "score_scorecard" in shadow[-1]["champion"] and "score_scorecard" in shadow[-1]["shadow"]
    assert shadow[-1]["champion"]["decision"] == r["decision"]  # decisions from the champion
    assert "age" not in json.dumps(shadow[-1])
    # the alias moves: the service reloads and says so in every response
    MlflowClient(tracking_uri=mlflow_tracking_uri).set_registered_model_alias("svc_test", "champion", "2")
    assert client.post("/admin/reload").json()["changed"] is True
    r2 = client.post("/decide", json=apps[2]).json()
    assert r2["model_version"] == "2" and r2["policy_version"] == "2"
    assert client.get("/version").json()["model_version"] == "2"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_real_server_one_command(dm, apps, tmp_path):
    path = tmp_path / "dm.json"
    dm.to_json(str(path))
    port = _free_port()
    log = open(tmp_path / "serve.log", "wb")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    proc = subprocess.Popen([sys.executable, "-m", "scorecard.service", "--model", str(path), "--port", str(port),
                             "--poll-seconds", "0", "--log-level", "warning"], stdout=log, stderr=subprocess.STDOUT,
                            env=env, cwd=tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()[-3000:]
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            assert time.monotonic() < deadline, "the service did not start in 90 s"
            time.sleep(0.3)
        req = urllib.request.Request(f"{base}/decide", data=json.dumps(apps[3]).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            body = json.loads(r.read())
        assert body["decision"] == dm.predict(pd.DataFrame([apps[3]]))["decision"].iloc[0]
        # concurrent requests: every answer is the one the model gives alone
        from concurrent.futures import ThreadPoolExecutor

        want = dm.predict(pd.DataFrame(apps[:40]))["decision"].tolist()

        def post(i: int) -> str:
            r = urllib.request.Request(f"{base}/decide", data=json.dumps(apps[i]).encode(),
                                       headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(r, timeout=30) as resp:
                return json.loads(resp.read())["decision"]

        with ThreadPoolExecutor(max_workers=8) as pool:
            assert list(pool.map(post, range(40))) == want
        req = urllib.request.Request(f"{base}/decide", data=b"{bad", headers={"Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(req, timeout=30)
        assert err.value.code == 400
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
        log.close()
