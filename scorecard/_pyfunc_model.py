"""MLflow "models from code" entry point of an exported scorecard or challenger.

MLflow copies this file into every model saved by
:func:`scorecard.export.to_pyfunc` and runs it when the model is loaded. It
declares :class:`ExportedModelPyfunc`, which rebuilds the scoring engine
(:class:`scorecard.export.CompiledScorer`) from the JSON artifact
``export_spec.json`` and, for a challenger, LightGBM's native model file
``challenger.txt``. Nothing is pickled; optbinning is never imported.

Errors caused by the input (a missing column, text in a numeric column) are
raised as ``MlflowException(INVALID_PARAMETER_VALUE)``: the scoring server
answers them with HTTP 400 and the message. Values without a bin of their
own are scored at the documented fallback and counted in ``n_fallback``.
"""

import json
import warnings
from pathlib import Path

import mlflow
import pandas as pd
from mlflow.exceptions import MlflowException
from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE

from scorecard.errors import FallbackWarning, ScorecardError

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*type hint.*")

    class ExportedModelPyfunc(mlflow.pyfunc.PythonModel):
        """MLflow pyfunc of an exported model, rebuilt from its JSON spec at load time."""

        def load_context(self, context):  # noqa: ANN001 - MLflow reads these methods' hints
            """Read the export spec (and a challenger's model file), compile the scorer and its batch kernels."""
            from scorecard.export import CompiledScorer

            spec = json.loads(Path(context.artifacts["spec"]).read_text(encoding="utf-8"))
            self._scorer = CompiledScorer(spec, context.artifacts.get("booster")).warm_up()

        def predict(self, context, model_input, params=None):  # noqa: ANN001
            """:meth:`CompiledScorer.predict`: keys, points, proba_bad, n_fallback, reason codes."""
            try:
                frame = model_input if isinstance(model_input, pd.DataFrame) else pd.DataFrame(model_input)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", FallbackWarning)  # counted per row in n_fallback
                    return self._scorer.predict(frame)
            except (ScorecardError, KeyError, ValueError, TypeError) as exc:
                raise MlflowException(f"{type(exc).__name__}: {exc}", error_code=INVALID_PARAMETER_VALUE) from None


mlflow.models.set_model(ExportedModelPyfunc())
