"""scorecard: credit-risk modelling toolkit for JupyterLab.

The public API, in the order of a modelling workflow::

    from scorecard import WOEBinner, LogisticScorecard, metrics, selection, datasets

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

from scorecard import (
    challenger,
    compare,
    counts,
    datasets,
    editor,
    errors,
    explain,
    export,
    metrics,
    privacy,
    quality,
    registry,
    selection,
    sql,
    strategy,
    tracking,
    validation,
)
from scorecard.binning import WOEBinner
from scorecard.challenger import GBMChallenger
from scorecard.editor import BinningEditor
from scorecard.model import LogisticScorecard
from scorecard.validation import ValidationReport

__version__ = "0.1.0"

__all__ = [
    "WOEBinner",
    "LogisticScorecard",
    "GBMChallenger",
    "BinningEditor",
    "ValidationReport",
    "challenger",
    "compare",
    "counts",
    "datasets",
    "editor",
    "errors",
    "explain",
    "export",
    "metrics",
    "privacy",
    "quality",
    "registry",
    "selection",
    "sql",
    "strategy",
    "tracking",
    "validation",
    "__version__",
]
