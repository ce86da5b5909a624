"""MLflow packaging of a :class:`~scorecard.strategy.DecisionModel`: pyfunc, logging, registry, loading.

The logged model is a pyfunc whose ``loader_module`` is the installed
``scorecard.strategy._pyfunc_model`` and whose only artifact is the decision
model's JSON document (``data/artifacts/decision_model.json``: the policy, the
scorecard spec, the challenger's LightGBM model string). The store holds no code
and no pickle; :func:`load_decision_model` refuses a folder that would run
anything else (a tampered ``MLmodel``, a Python file or a pickle), then rebuilds
the decision model with :meth:`DecisionModel.from_json`, so ``predict`` runs the
same code as the in-memory model.

The input signature lists every column the model reads, each optional
(``required=False``) and of MLflow's type ``Any``, so that an absent column
or an unexpected type reaches the model (which answers with its documented
safe decision) instead of being refused by MLflow's schema check (MLflow
will not cast ``int64`` to ``double``, nor accept nulls in an integer
column). The expected kinds are in :attr:`DecisionModel.input_types_`.

Tracking goes to :func:`scorecard.tracking.tracking_uri`
(``$MLFLOW_TRACKING_URI`` or the project's ``mlruns/mlflow.db``). MLflow's
fluent logging API needs a global tracking URI: it is set for the duration
of each call here and restored afterwards.

Example
-------
>>> info = log_decision_model(dm, "cross_credit", alias="champion")  # doctest: +SKIP
>>> model = load_decision_model("models:/cross_credit@champion")  # doctest: +SKIP
>>> model.predict(applications)  # same as dm.predict(applications)  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

import mlflow  # noqa: E402
import mlflow.pyfunc  # noqa: E402

from scorecard._serving import quiet as _quiet  # noqa: E402
from scorecard._serving import requirements as _requirements  # noqa: E402
from scorecard._serving import tracking_context as _tracking  # noqa: E402
from scorecard.strategy.decision import DecisionModel  # noqa: E402

from scorecard.strategy._pyfunc_model import LOADER_MODULE as _LOADER_MODULE  # noqa: E402
from scorecard.strategy._pyfunc_model import DecisionModelPyfunc  # noqa: E402

__all__ = ["DecisionModelPyfunc", "log_decision_model", "load_decision_model", "model_signature", "ARTIFACT_KEY"]

logger = logging.getLogger(__name__)

ARTIFACT_KEY = "decision_model"
"""Key (and file stem) of the JSON artifact of a logged decision model."""


def model_signature(dm: DecisionModel) -> Any:
    """Input and output schema of a decision model (inputs all optional; param ``errors``: "safe" or "raise")."""
    from mlflow.models.signature import ModelSignature
    from mlflow.types.schema import AnyType, ColSpec, ParamSchema, ParamSpec, Schema

    # "Any": MLflow refuses to cast int64 to double (and integers with nulls), so
    # typed columns would turn ordinary JSON payloads into errors; the decision
    # model converts and checks types itself (bad values -> safe decision).
    inputs = Schema([ColSpec(AnyType(), c, required=False) for c in dm.input_types_])
    out_types = {}
    for c in dm.output_columns_:
        if c.startswith("score_") or c in ("limit", "apr"):
            out_types[c] = "double"
        elif c.startswith("band_"):
            out_types[c] = "long"
        else:
            out_types[c] = "string"
    outputs = Schema([ColSpec(t, c, required=False) for c, t in out_types.items()])
    params = ParamSchema([ParamSpec("errors", "string", "safe")])
    return ModelSignature(inputs=inputs, outputs=outputs, params=params)


def _experiment_id(uri: str, name: str) -> str:
    from mlflow import MlflowClient

    from scorecard import tracking

    client = MlflowClient(tracking_uri=uri)
    exp = client.get_experiment_by_name(name)
    if exp is not None:
        return exp.experiment_id
    root = tracking.artifact_root(uri)
    location = (root / name).as_uri() if root is not None else None
    return client.create_experiment(name, artifact_location=location)


def log_decision_model(
    dm: DecisionModel,
    name: str,
    *,
    alias: str | None = "champion",
    experiment: str = "scorecard",
    run_name: str | None = None,
    params: Mapping[str, Any] | None = None,
    metrics: Mapping[str, float] | None = None,
    tags: Mapping[str, str] | None = None,
    artifacts: Mapping[str, Any] | None = None,
    tracking_uri: str | None = None,
) -> dict[str, Any]:
    """Log a decision model to MLflow, register it as ``name`` and set ``alias``.

    Logged in one run: the pyfunc (model name ``decision_model``), the
    policy document as ``policy/<name>.json``, the parameters ``policy.name``,
    ``policy.version``, models and channels, plus ``params`` and
    ``metrics``; extra JSON-able ``artifacts`` go under ``extra/``.

    Parameters
    ----------
    dm : DecisionModel
        Fitted.
    name : str
        Registered model name.
    alias : str or None, default "champion"
        Alias set on the new version (None: none).
    experiment : str, default "scorecard"
    run_name : str, optional
        Default ``<policy name>@<version>``.
    params, metrics, tags : mapping, optional
    artifacts : mapping of str -> DataFrame or JSON-able, optional
    tracking_uri : str, optional
        Default :func:`scorecard.tracking.tracking_uri`.

    Returns
    -------
    dict
        ``run_id``, ``model_uri`` (``runs:/...``), ``name``, ``version``,
        ``alias``, ``registry_uri`` (``models:/name@alias`` or
        ``models:/name/version``), ``tracking_uri``.
    """
    from mlflow import MlflowClient

    dm._fitted()
    policy = dm.policy_
    with tempfile.TemporaryDirectory(prefix="scorecard-decision-") as tmp, _tracking(tracking_uri) as uri, _quiet():
        data_dir = Path(tmp) / "artifacts"  # stored as data/artifacts: JSON only
        data_dir.mkdir()
        spec_path = data_dir / f"{ARTIFACT_KEY}.json"
        dm.to_json(str(spec_path))
        exp_id = _experiment_id(uri, experiment)
        run_tags = {"scorecard.model_class": "DecisionModel", "scorecard.policy": policy.name,
                    "scorecard.policy_version": policy.version, **dict(tags or {})}
        with mlflow.start_run(experiment_id=exp_id, run_name=run_name or f"{policy.name}@{policy.version}",
                              tags=run_tags) as run:
            p = {
                "policy.name": policy.name,
                "policy.version": policy.version,
                "policy.models": ",".join(policy.models),
                "policy.channels": ",".join(policy.channels),
                "policy.shape": "x".join(str(k) for k in policy.shape),
                "decision.n_reasons": dm.n_reasons_,
                **{str(k): v for k, v in (params or {}).items()},
            }
            mlflow.log_params({k: str(v)[:6000] for k, v in p.items()})
            if metrics:
                mlflow.log_metrics({str(k): float(v) for k, v in metrics.items()})
            pdir = Path(tmp) / "policy"
            pdir.mkdir()
            policy.to_json(str(pdir / f"{policy.name}.json"))
            mlflow.log_artifacts(str(pdir), "policy")
            if artifacts:
                edir = Path(tmp) / "extra"
                edir.mkdir()
                for key, obj in artifacts.items():
                    if isinstance(obj, pd.DataFrame):
                        obj.to_csv(edir / f"{key}.csv")
                    else:
                        (edir / f"{key}.json").write_text(json.dumps(obj, indent=1, default=str), encoding="utf-8")
                mlflow.log_artifacts(str(edir), "extra")
            info = mlflow.pyfunc.log_model(
                name="decision_model",
                loader_module=_LOADER_MODULE,  # the installed module: the store holds no code
                data_path=str(data_dir),
                signature=model_signature(dm),
                registered_model_name=name,
                pip_requirements=_requirements(),
            )
            run_id = run.info.run_id
        client = MlflowClient(tracking_uri=uri)
        version = str(info.registered_model_version)
        if alias:
            client.set_registered_model_alias(name, alias, version)
    out = {
        "run_id": run_id,
        "model_uri": info.model_uri,
        "name": name,
        "version": version,
        "alias": alias,
        "registry_uri": f"models:/{name}@{alias}" if alias else f"models:/{name}/{version}",
        "tracking_uri": uri,
    }
    logger.info("logged decision model %s@%s as %s version %s (run %s)", policy.name, policy.version, name, version, run_id)
    return out


def load_decision_model(model_uri: str, *, tracking_uri: str | None = None) -> Any:
    """Load a logged decision model as an MLflow pyfunc (``models:/name@alias``, ``runs:/...``).

    Returns
    -------
    mlflow.pyfunc.PyFuncModel
        Its ``predict(frame)`` returns the decision frame.
    """
    from scorecard._model_store import verify_model_dir

    with _tracking(tracking_uri), _quiet(), tempfile.TemporaryDirectory(prefix="scorecard-dl-") as tmp:
        local = mlflow.artifacts.download_artifacts(artifact_uri=model_uri, dst_path=tmp)
        verify_model_dir(local, loader_module=_LOADER_MODULE)  # before MLflow imports anything
        return mlflow.pyfunc.load_model(local)


def load_decision_json(model_uri: str, *, tracking_uri: str | None = None) -> DecisionModel:
    """Download a logged decision model's JSON artifact and rebuild the :class:`DecisionModel` (no pyfunc)."""
    with _tracking(tracking_uri), tempfile.TemporaryDirectory(prefix="scorecard-dl-") as tmp:
        local = Path(mlflow.artifacts.download_artifacts(artifact_uri=model_uri, dst_path=tmp))
        found = list(local.rglob(f"{ARTIFACT_KEY}.json"))
        if not found:
            from scorecard.errors import SpecError

            raise SpecError(f"{model_uri} holds no {ARTIFACT_KEY}.json: not a scorecard decision model")
        return DecisionModel.from_json(found[0].read_text(encoding="utf-8"))
