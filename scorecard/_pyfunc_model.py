"""MLflow loader module of an exported scorecard or challenger: the store holds data, never code.

An exported model (:func:`scorecard.export.to_pyfunc`) is saved with
``loader_module="scorecard._pyfunc_model"``: its ``MLmodel`` names this
module of the *installed* package, and the artifact folder ``data/artifacts``
holds only JSON (``export_spec.json``) and, for a challenger, LightGBM's
native model text (``challenger.txt``). No Python file and no pickle is
stored, so loading a model from a store that someone else can write runs no
code of theirs: MLflow imports this module and calls :func:`_load_pyfunc`,
which rebuilds the scoring engine (:class:`scorecard.export.CompiledScorer`)
from the JSON.

:func:`verify_model_dir` is the check :func:`scorecard.export.load_pyfunc`
runs before handing a folder to MLflow: the ``python_function`` flavor must
name this module with no ``code`` folder, no ``python_model`` / pickle, and
the folder must hold no Python file or pickle; anything else (an ``MLmodel``
edited to point at a module shipped in the store) is refused with
:class:`~scorecard.errors.SpecError` before any of it is imported.

Optional signature: when the environment variable ``SCORECARD_SPEC_KEY``
(:data:`SPEC_KEY_ENV`) is set at export time, an HMAC-SHA256 of the spec and
of the LightGBM file is written beside them (``signature.json``); when it is
set at load time, the signature must be present and match, else the load is
refused (an edited spec cannot be scored).

Errors caused by the input (a missing column, text in a numeric column, more
rows than ``$SCORECARD_MAX_ROWS``, default 100,000) are raised as an
``MlflowException(INVALID_PARAMETER_VALUE)`` whose message MLflow cannot
extend: the scoring server answers HTTP 400 with our masked message only
(MLflow would otherwise prefix it with the whole request), never a stack
trace. Request time is bounded by MLflow's
``MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT`` (HTTP 504 past it).
Values without a bin of their own are scored at the documented fallback and
counted in ``n_fallback``.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from scorecard.errors import DataError, FallbackWarning, ScorecardError, SpecError

from scorecard._model_store import (  # noqa: F401  (re-exported: the checks live below export)
    _BOOSTER_FILE,
    _SPEC_FILE,
    LOADER_MODULE,
    SIGNATURE_FILE,
    SPEC_KEY_ENV,
    sign_artifacts,
    _verify_signature,
    verify_model_dir,
)

__all__ = ["LOADER_MODULE", "SPEC_KEY_ENV", "SIGNATURE_FILE", "ExportedModelPyfunc", "sign_artifacts",
           "verify_model_dir"]

#: Most rows scored in one call (``$SCORECARD_MAX_ROWS``; 0 = no limit): a larger request is refused with HTTP 400.
MAX_ROWS_ENV = "SCORECARD_MAX_ROWS"
DEFAULT_MAX_ROWS = 100_000


def _scoring_error(message: str) -> Exception:
    """An ``MlflowException`` (HTTP 400) whose message cannot be extended.

    MLflow's scoring server prefixes the message of a failed prediction with
    the whole request (``Failed to predict data '<the frame>'``): names, IDs
    and phones would come back in the response body and the server's log.
    The message of this exception keeps its first value, so the body holds
    only our (masked) text, and it carries no stack trace.
    """
    from mlflow.exceptions import MlflowException
    from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE

    class ScoringError(MlflowException):
        @property
        def message(self) -> str:  # type: ignore[override]
            return self._fixed_message

        @message.setter
        def message(self, value: str) -> None:
            if not hasattr(self, "_fixed_message"):
                self._fixed_message = str(value)

    return ScoringError(message, error_code=INVALID_PARAMETER_VALUE)


class ExportedModelPyfunc:
    """MLflow pyfunc implementation of an exported model, rebuilt from its JSON spec.

    ``python_model`` is the object itself, so ``PyFuncModel.unwrap_python_model()``
    gives it back (its ``_scorer`` is the :class:`~scorecard.export.CompiledScorer`).
    """

    def __init__(self, scorer: Any) -> None:
        self._scorer = scorer
        self.python_model = self

    def predict(self, model_input: Any, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        """:meth:`CompiledScorer.predict`: keys, points, proba_bad, n_fallback, reason codes."""
        try:
            frame = model_input if isinstance(model_input, pd.DataFrame) else pd.DataFrame(model_input)
            max_rows = int(os.environ.get(MAX_ROWS_ENV, DEFAULT_MAX_ROWS) or 0)
            if max_rows and len(frame) > max_rows:
                raise DataError(f"the request has {len(frame)} rows, more than {MAX_ROWS_ENV}={max_rows}; "
                                "split it into smaller requests")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FallbackWarning)  # counted per row in n_fallback
                return self._scorer.predict(frame)
        except (ScorecardError, KeyError, ValueError, TypeError) as exc:
            raise _scoring_error(f"{type(exc).__name__}: {exc}") from None


def _load_pyfunc(data_path: str, model_config: Any = None) -> ExportedModelPyfunc:
    """MLflow's entry point: rebuild the scorer from ``data_path`` (the stored ``artifacts`` folder)."""
    from scorecard.export import CompiledScorer

    folder = Path(data_path)
    _verify_signature(folder)
    spec = json.loads((folder / _SPEC_FILE).read_text(encoding="utf-8"))
    booster = folder / _BOOSTER_FILE
    scorer = CompiledScorer(spec, str(booster) if booster.is_file() else None).warm_up()
    return ExportedModelPyfunc(scorer)
