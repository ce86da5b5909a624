"""End to end: the champion scorecard served by ``mlflow models serve`` answers real HTTP POSTs on loopback.

One server per module (started once, stopped in teardown by PID with bounded
waits). Bad input must come back as a clear 4xx or the documented fallback,
never a 500 and never a dropped row.
"""

from __future__ import annotations

import json
import shutil
import sys
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scorecard import _serving, export, registry

sys.path.insert(0, str(Path(__file__).parent))
from _export_helpers import german_model  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(mlflow_template_db, tmp_path_factory):
    model, X, y = german_model()
    folder = tmp_path_factory.mktemp("serving") / "mlruns"
    folder.mkdir()
    shutil.copyfile(mlflow_template_db, folder / "mlflow.db")
    uri = f"sqlite:///{(folder / 'mlflow.db').as_posix()}"
    registry.register_model(model, "german_served", alias="champion", input_example=X,
                            keys=["application_id"], tracking_uri=uri)
    proc, base = _serving.serve("models:/german_served@champion", tracking_uri=uri,
                                log_path=folder.parent / "serve.log", timeout=180)
    try:
        yield {"base": base, "model": model, "X": X, "scorer": export.CompiledScorer.from_model(model)}
    finally:
        _serving.stop(proc)


def _post(base: str, body: bytes | str, content_type: str = "application/json") -> tuple[int, dict]:
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(f"{base}/invocations", data=data, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        text = e.read().decode(errors="replace")
        try:
            return e.code, json.loads(text)
        except json.JSONDecodeError:
            return e.code, {"message": text}


def _split(frame: pd.DataFrame) -> str:
    return json.dumps({"dataframe_split": json.loads(frame.to_json(orient="split", index=False))})


def test_served_scores_equal_in_memory(served):
    X = served["X"].head(300).assign(application_id=np.arange(300))
    status, body = _post(served["base"], _split(X))
    assert status == 200
    got = pd.DataFrame(body["predictions"])
    assert len(got) == 300 and got["application_id"].tolist() == list(range(300))
    np.testing.assert_array_equal(got["points"], served["model"].predict_points(served["X"].head(300))["total"])
    np.testing.assert_allclose(got["proba_bad"], served["model"].predict_proba(served["X"].head(300))[:, 1],
                               rtol=0, atol=1e-9)
    expected = served["scorer"].predict(X)
    for k in range(1, 5):
        assert got[f"reason_{k}"].tolist() == [None if pd.isna(v) else v for v in expected[f"reason_{k}"]]
    # records payload, one row: same answer
    rec = json.loads(X.head(1).to_json(orient="records"))
    status, one = _post(served["base"], json.dumps({"dataframe_records": rec}))
    assert status == 200 and one["predictions"][0]["points"] == got["points"].iloc[0]


def test_missing_column_is_400_naming_it(served):
    status, body = _post(served["base"], _split(served["X"].head(3).drop(columns=["purpose"])))
    assert status == 400 and "purpose" in body["message"]


def test_wrong_type_is_400_naming_it(served):
    X = served["X"].head(3).assign(duration_in_month=["twelve", "6", "x"])
    status, body = _post(served["base"], _split(X))
    assert status == 400 and "duration_in_month" in body["message"]


def test_unseen_category_nulls_and_text_numbers_use_documented_fallback(served):
    X = served["X"].head(4).copy()
    X["purpose"] = ["a brand new purpose", X["purpose"].iloc[1], None, X["purpose"].iloc[3]]
    X["credit_amount"] = X["credit_amount"].astype(object)
    X.loc[X.index[1], "credit_amount"] = None
    status, body = _post(served["base"], _split(X))
    assert status == 200
    got = pd.DataFrame(body["predictions"])
    assert len(got) == 4  # never a dropped row
    expected = served["scorer"].predict(X)
    np.testing.assert_array_equal(got["points"], expected["points"])
    np.testing.assert_array_equal(got["n_fallback"], expected["n_fallback"])
    assert got["n_fallback"].iloc[0] >= 1


def test_empty_payloads(served):
    cols = list(served["X"].columns)
    status, body = _post(served["base"], json.dumps({"dataframe_split": {"columns": cols, "data": []}}))
    assert status == 200 and body["predictions"] == []
    for bad in ("", "{}", "not json", json.dumps({"dataframe_split": {}})):
        status, _ = _post(served["base"], bad)
        assert 400 <= status < 500, (bad, status)
