"""MLflow loader module of a logged :class:`~scorecard.strategy.DecisionModel`: the store holds JSON, never code.

A decision model is logged (:func:`scorecard.strategy.serving.log_decision_model`)
with ``loader_module="scorecard.strategy._pyfunc_model"``: its ``MLmodel`` names
this module of the *installed* package and its data folder ``data/artifacts``
holds only ``decision_model.json`` (the policy, the scorecard spec, the
challenger's LightGBM model text). Loading runs no code from the store:
:func:`scorecard.strategy.serving.load_decision_model` first checks the folder
(:func:`scorecard._model_store.verify_model_dir`), then MLflow imports this
module and calls :func:`_load_pyfunc`, which rebuilds the decision model with
:meth:`~scorecard.strategy.DecisionModel.from_json`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

LOADER_MODULE = "scorecard.strategy._pyfunc_model"
"""The ``loader_module`` every logged decision model names (this module)."""
ARTIFACT_FILE = "decision_model.json"
"""The only artifact of a logged decision model."""


class DecisionModelPyfunc:
    """The pyfunc of a logged decision model: :meth:`DecisionModel.predict` on a frame.

    Examples
    --------
    >>> DecisionModelPyfunc.__name__
    'DecisionModelPyfunc'
    """

    def __init__(self, model: Any) -> None:
        self._model = model

    def predict(self, model_input: Any, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        """:meth:`DecisionModel.predict` on ``model_input`` (a DataFrame).

        ``params={"errors": "raise"}`` turns an invalid input into an MLflow
        ``INVALID_PARAMETER_VALUE`` error (HTTP 400 when served) naming the
        field; the default ``"safe"`` gives the safe decision.
        """
        from mlflow.exceptions import MlflowException
        from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE

        from scorecard.errors import DataError

        frame = model_input if isinstance(model_input, pd.DataFrame) else pd.DataFrame(model_input)
        errors = str((params or {}).get("errors", "safe"))
        try:
            return self._model.predict(frame, errors=errors)
        except DataError as exc:
            raise MlflowException(str(exc), error_code=INVALID_PARAMETER_VALUE) from None


def _load_pyfunc(data_path: str, model_config: Any = None) -> DecisionModelPyfunc:
    """MLflow's entry point: rebuild the decision model from ``data_path`` (the stored ``artifacts`` folder)."""
    from scorecard.strategy.decision import DecisionModel

    folder = Path(data_path)
    path = folder / ARTIFACT_FILE if folder.is_dir() else folder
    return DecisionModelPyfunc(DecisionModel.from_json(path.read_text(encoding="utf-8")))
