"""scorecard: credit-risk modelling toolkit for JupyterLab.

The public API, in the order of a modelling workflow::

    from scorecard import WOEBinner, LogisticScorecard, metrics, selection, datasets

``import scorecard`` is lazy: each submodule and class is imported on first
use, so importing the package pulls in neither MLflow nor statsmodels nor shap.

- :class:`WOEBinner` -- optimal WOE binning (scikit-learn transformer), JSON spec.
- :mod:`scorecard.selection` -- IV, missing-rate, correlation, VIF, stepwise filters.
- :class:`LogisticScorecard` -- binner -> selection -> logistic regression -> points.
- :mod:`scorecard.metrics` -- AUC, Gini, KS, lift, PSI/CSI, Hosmer-Lemeshow, bootstrap CIs.
- :class:`GBMChallenger` -- LightGBM challenger with monotone constraints from the bins.
- :mod:`scorecard.explain` -- SHAP values and reason codes for both model kinds.
- :mod:`scorecard.compare` -- champion/challenger: DeLong's test, bootstrap, swap sets.
- :mod:`scorecard.strategy` -- multi-model cross-credit: bands, matrices, policies.
- :mod:`scorecard.tracking` -- MLflow runs in the local store under ``mlruns/``; registry and promotion.
- :mod:`scorecard.export` -- pyfunc, SQL (DuckDB, Spark) and JSON exports; parity check.
- :mod:`scorecard.counts`, :mod:`scorecard.sql` -- count tables from pandas, DuckDB, Spark; scoring SQL.
- :mod:`scorecard.privacy` -- personal-data scan, masking, keyed pseudonymisation, guard.
- :mod:`scorecard.validation` -- the validation report (:class:`ValidationReport`).
- :mod:`scorecard.quality` -- data profile, target rate over time.
- :mod:`scorecard.editor` -- interactive binning edits (``BinningEditor``), with a JupyterLab widget.
- :mod:`scorecard.datasets` -- German credit and synthetic applications.
- :mod:`scorecard.spec` -- the JSON specs: one validated, versioned schema per model kind.
- :mod:`scorecard.errors` -- the exception family.

Example
-------
>>> from scorecard import LogisticScorecard
>>> from scorecard.datasets import load_german_credit
>>> X, y = load_german_credit()
>>> model = LogisticScorecard().fit(X, y)
>>> int(model.predict_points(X.head(1))["total"].iloc[0]) > 0
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from scorecard._version import __version__  # noqa: E402  (one source: setuptools reads it too)

# Lazy (PEP 562): ``import scorecard`` imports no submodule, so neither MLflow, statsmodels nor
# shap; ``from scorecard import LogisticScorecard`` imports scorecard.model and what it needs.
_SUBMODULES = (
    "challenger",
    "compare",
    "counts",
    "datasets",
    "editor",
    "errors",
    "explain",
    "export",
    "metrics",
    "monitoring",
    "pmml",
    "privacy",
    "quality",
    "registry",
    "reject_inference",
    "sample_design",
    "segmentation",
    "selection",
    "spec",
    "sql",
    "strategy",
    "target",
    "tracking",
    "validation",
)
_CLASSES = {
    "WOEBinner": "binning",
    "LogisticScorecard": "model",
    "GBMChallenger": "challenger",
    "BinningEditor": "editor",
    "ValidationReport": "validation",
}

__all__ = [*_CLASSES, *_SUBMODULES, "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    from scorecard.binning import WOEBinner
    from scorecard.challenger import GBMChallenger
    from scorecard.editor import BinningEditor
    from scorecard.model import LogisticScorecard
    from scorecard.validation import ValidationReport


def __getattr__(name: str) -> Any:
    """Import a submodule or a class on first use (PEP 562)."""
    if name in _CLASSES:
        value = getattr(importlib.import_module(f"scorecard.{_CLASSES[name]}"), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"scorecard.{name}")
    else:
        raise AttributeError(f"module 'scorecard' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
