"""Model stores that cannot run foreign code: an exported model stores no code, a tampered one is refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import mlflow.pyfunc
import numpy as np
import pytest
import yaml

from scorecard import _pyfunc_model, export
from scorecard.errors import SpecError

from _export_helpers import german_model

EVIL = "import pathlib\npathlib.Path({marker!r}).write_text('pwned')\ndef _load_pyfunc(p, c=None):\n    return None\n"


@pytest.fixture(scope="module")
def german():
    model, X, y = german_model()
    return {"model": model, "X": X, "y": y}


@pytest.fixture(scope="module")
def exported(german, tmp_path_factory):
    path = export.to_pyfunc(german["model"], tmp_path_factory.mktemp("store") / "pf")
    return path


def _copy(path: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "copy"
    shutil.copytree(path, dst)
    return dst


def _edit_mlmodel(path: Path, **conf) -> None:
    meta = yaml.safe_load((path / "MLmodel").read_text())
    meta["flavors"]["python_function"].update(conf)
    (path / "MLmodel").write_text(yaml.safe_dump(meta))


def test_exported_model_stores_no_code_and_loads(exported, german):
    files = [p.relative_to(exported).as_posix() for p in exported.rglob("*") if p.is_file()]
    assert not [f for f in files if f.endswith((".py", ".pyc", ".pkl", ".pickle", ".cloudpickle"))], files
    conf = yaml.safe_load((exported / "MLmodel").read_text())["flavors"]["python_function"]
    assert conf["loader_module"] == "scorecard._pyfunc_model" and not conf.get("code")
    assert "python_model" not in conf
    _pyfunc_model.verify_model_dir(exported)  # passes
    out = export.load_pyfunc(str(exported)).predict(german["X"].head(20))
    ref = german["model"].predict_points(german["X"].head(20))["total"].to_numpy()
    np.testing.assert_array_equal(out["points"].to_numpy(), ref)


def test_mlmodel_pointing_at_stored_module_is_refused_before_import(exported, tmp_path):
    path = _copy(exported, tmp_path)
    marker = tmp_path / "pwned.txt"
    (path / "code").mkdir()
    (path / "code" / "evil_loader.py").write_text(EVIL.format(marker=str(marker)))
    _edit_mlmodel(path, loader_module="evil_loader", code="code")
    with pytest.raises(SpecError, match="tampered|code"):
        export.load_pyfunc(str(path))
    assert not marker.exists()
    # even a clean-looking MLmodel is refused while a Python file sits in the folder
    path2 = _copy(exported, tmp_path / "b")
    (path2 / "data" / "artifacts" / "sitecustomize.py").write_text(EVIL.format(marker=str(marker)))
    with pytest.raises(SpecError, match="sitecustomize.py"):
        export.load_pyfunc(str(path2))
    assert not marker.exists()


def test_pickled_python_model_is_refused(exported, tmp_path):
    path = _copy(exported, tmp_path)
    (path / "python_model.pkl").write_bytes(b"\x80\x04N.")  # would be unpickled by MLflow
    meta = yaml.safe_load((path / "MLmodel").read_text())
    conf = meta["flavors"]["python_function"]
    conf.pop("loader_module")
    conf.update({"loader_module": "mlflow.pyfunc.model", "python_model": "python_model.pkl", "cloudpickle_version": "3"})
    (path / "MLmodel").write_text(yaml.safe_dump(meta))
    with pytest.raises(SpecError, match="loader module is 'mlflow.pyfunc.model'"):
        export.load_pyfunc(str(path))


def test_extra_flavor_is_refused(exported, tmp_path):
    path = _copy(exported, tmp_path)
    meta = yaml.safe_load((path / "MLmodel").read_text())
    meta["flavors"]["sklearn"] = {"pickled_model": "model.pkl"}
    (path / "MLmodel").write_text(yaml.safe_dump(meta))
    with pytest.raises(SpecError, match="flavors"):
        export.load_pyfunc(str(path))


def test_signed_spec_edited_in_the_store_is_refused(german, tmp_path, monkeypatch):
    monkeypatch.setenv(_pyfunc_model.SPEC_KEY_ENV, "a-secret-from-the-vault")
    path = export.to_pyfunc(german["model"], tmp_path / "signed")
    art = path / "data" / "artifacts"
    assert (art / _pyfunc_model.SIGNATURE_FILE).is_file()
    export.load_pyfunc(str(path))  # the untouched model loads
    spec = json.loads((art / export.SPEC_FILE).read_text())
    edited = json.loads(json.dumps(spec))
    edited["scaling"]["offset"] = float(edited["scaling"]["offset"]) + 100.0  # everyone gets 100 more points
    (art / export.SPEC_FILE).write_text(json.dumps(edited, indent=1, ensure_ascii=False))
    with pytest.raises(SpecError, match="does not match its signature"):
        export.load_pyfunc(str(path))
    with pytest.raises(SpecError, match="does not match its signature"):
        mlflow.pyfunc.load_model(str(path))  # MLflow's own loader runs the same check
    # a different key at load time refuses the untouched signature too
    (art / export.SPEC_FILE).write_text(json.dumps(spec, indent=1, ensure_ascii=False))
    monkeypatch.setenv(_pyfunc_model.SPEC_KEY_ENV, "another-key")
    with pytest.raises(SpecError, match="signature"):
        export.load_pyfunc(str(path))
    # an unsigned model is refused while a key is configured
    monkeypatch.delenv(_pyfunc_model.SPEC_KEY_ENV)
    unsigned = export.to_pyfunc(german["model"], tmp_path / "unsigned")
    monkeypatch.setenv(_pyfunc_model.SPEC_KEY_ENV, "a-secret-from-the-vault")
    with pytest.raises(SpecError, match="not signed"):
        export.load_pyfunc(str(unsigned))


def test_tampered_registered_model_in_the_artifact_store_is_refused(german, mlflow_tracking_uri, tmp_path):
    from scorecard import tracking

    export.log_pyfunc(german["model"], registered_model_name="german_safe")
    loaded = export.load_pyfunc("models:/german_safe/1")
    assert len(loaded.predict(german["X"].head(3))) == 3
    root = tracking.artifact_root(mlflow_tracking_uri)
    mlmodels = list(root.rglob("MLmodel"))
    assert mlmodels
    marker = tmp_path / "pwned.txt"
    for mm in mlmodels:
        (mm.parent / "evil_loader.py").write_text(EVIL.format(marker=str(marker)))
        _edit_mlmodel(mm.parent, loader_module="evil_loader")
    with pytest.raises(SpecError):
        export.load_pyfunc("models:/german_safe/1")
    assert not marker.exists()


def test_scoring_errors_never_echo_the_request(exported, german, monkeypatch):
    from mlflow.exceptions import MlflowException
    from mlflow.pyfunc import scoring_server

    model = export.load_pyfunc(str(exported))
    X = german["X"].head(3).astype(object)
    X["duration_in_month"] = ["139 1234 5678", "11010519491231002X", 7]  # text in a numeric column
    body = json.dumps({"dataframe_split": X.to_dict("split")})
    with pytest.raises(MlflowException) as info:
        scoring_server.invocations(body, "application/json", model, None)
    payload = json.loads(info.value.serialize_as_json())
    assert info.value.get_http_status_code() == 400
    assert "duration_in_month" in payload["message"] and "stack_trace" not in payload
    for raw in ("139 1234 5678", "13912345678", "11010519491231002X", "Failed to predict data"):
        assert raw not in payload["message"]
    monkeypatch.setenv(_pyfunc_model.MAX_ROWS_ENV, "2")
    with pytest.raises(MlflowException, match="more than SCORECARD_MAX_ROWS=2"):
        model.predict(german["X"].head(3))
