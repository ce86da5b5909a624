"""Manual binning edits on a fitted :class:`~scorecard.binning.WOEBinner`: the edit model.

Optimal binning is a starting point; modellers then adjust bins by hand. The
:class:`BinningEditor` holds a fitted binner and its training data and offers
the edits of an interactive grouping session, usable with or without a UI
(:mod:`scorecard.widgets` draws one for JupyterLab):

- :meth:`~BinningEditor.split` a numeric bin at a value;
- :meth:`~BinningEditor.merge` adjacent numeric bins, or any categorical groups;
- :meth:`~BinningEditor.move_category` between the groups of a categorical feature;
- :meth:`~BinningEditor.set_trend`: re-optimise a numeric feature under a monotone
  trend (or none);
- :meth:`~BinningEditor.reset` a feature to its optimal bins;
- :meth:`~BinningEditor.undo` / :meth:`~BinningEditor.redo`.

How an edit is recorded
-----------------------
Every edit is a change of the feature's entry in the binner's
``feature_params`` (``splits`` for a numeric feature, ``groups`` for a
categorical one, ``monotonic_trend`` for a trend), applied through the public
:meth:`WOEBinner.refit_feature`. The binner is edited **in place**. Because the
edit lives in the binner's parameters, it is written to the JSON spec
(``to_json``), and a fresh ``WOEBinner(**binner.get_params()).fit(X, y)``
gives the same bins, byte for byte. :meth:`BinningEditor.to_code` prints the
code that re-applies the edits, for pasting into the notebook.

Invalid edits (a split outside the feature's range or one that leaves a bin
empty, merging non-adjacent numeric bins, merging the missing or a special
bin, an unknown category or feature, a no-op) raise
:class:`~scorecard.errors.DataError` naming the feature and the problem, and
leave the binner untouched. If the refit itself fails (for example a trend the
solver cannot satisfy), the binner is restored before the error is raised.

Live model check
----------------
Given a fitted :class:`~scorecard.model.LogisticScorecard` (trained on the same
``X, y``) and a validation sample, :meth:`BinningEditor.model_check` refits the
scorecard on the edited bins and reports the points per bin and the
validation AUC and KS against the original model's. ``model_refit="features"``
(default, fast) re-estimates the coefficients on the model's selected
features; ``"full"`` re-runs the whole pipeline (feature selection included),
as a fresh ``LogisticScorecard`` fit with the edited binner would.

Examples
--------
>>> from scorecard import WOEBinner
>>> from scorecard.datasets import load_german_credit
>>> X, y = load_german_credit()
>>> binner = WOEBinner().fit(X, y)
>>> editor = BinningEditor(binner, X, y)
>>> _ = editor.merge("duration_in_month", [0, 1])
>>> binner.feature_params["duration_in_month"]["splits"] == binner.bins_["duration_in_month"].splits
True
>>> _ = editor.undo()
>>> binner.feature_params is None
True
"""

from __future__ import annotations

import copy
import json
import logging
import math
import time
import warnings
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from scorecard._validation import as_frame, check_target, require_columns, split_target
from scorecard.binning import _TRENDS, WOEBinner
from scorecard.errors import DataError, NotFittedError, ScorecardError

if TYPE_CHECKING:  # pragma: no cover
    from scorecard.model import LogisticScorecard
    from scorecard.widgets import BinningWidget

__all__ = ["BinningEditor", "Edit", "ModelCheck", "TRENDS", "edit_binning"]

logger = logging.getLogger(__name__)

#: Trends :meth:`BinningEditor.set_trend` accepts (``None`` = no trend constraint): the binner's own.
TRENDS: tuple[str | None, ...] = _TRENDS

#: The ``feature_params`` keys the editor manages; other keys (special codes,
#: min_bin_size, ...) are kept as the user set them.
_BIN_KEYS = ("splits", "groups", "monotonic_trend")

#: Model settings that turn off feature selection (``model_refit="features"``).
_NO_SELECTION = {
    "min_iv": None,
    "max_missing": None,
    "max_corr": None,
    "max_vif": None,
    "stepwise": False,
    "max_features": None,
    "max_p_value": None,
    "sign_rule": False,
}

_CACHE_SIZE = 8


@dataclass(frozen=True)
class Edit:
    """One applied edit: what was asked and the feature's parameters before and after.

    Attributes
    ----------
    feature : str
    action : str
        ``"split"``, ``"merge"``, ``"move_category"``, ``"set_trend"`` or ``"reset"``.
    args : dict
        The arguments of the call (JSON-like values).
    params_before, params_after : dict or None
        The binner's whole ``feature_params`` before and after the edit.
    iv_before, iv_after : float
        The feature's information value before and after.
    notes : tuple of str
        Remarks on an accepted edit (for example a bin below ``min_bin_size``).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from scorecard import WOEBinner
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
    >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
    >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y)
    >>> _ = editor.merge("age", [0, 1])
    >>> edit = editor.edits[-1]
    >>> edit.feature, edit.action, edit.args
    ('age', 'merge', {'bins': [0, 1]})
    """

    feature: str
    action: str
    args: dict[str, Any]
    params_before: dict[str, dict[str, Any]] | None
    params_after: dict[str, dict[str, Any]] | None
    iv_before: float
    iv_after: float
    notes: tuple[str, ...] = ()

    def code(self, editor: str = "editor") -> str:
        """The editor call that makes this edit, e.g. ``editor.merge('age', [0, 1])``.

        Examples
        --------
        >>> Edit("age", "split", {"value": 30.0}, None, None, 0.1, 0.2).code()
        "editor.split('age', 30.0)"
        """
        values = ", ".join(repr(v) for v in self.args.values())
        return f"{editor}.{self.action}({self.feature!r}{', ' if values else ''}{values})"

    def describe(self) -> str:
        """A one-line description for logs and the widget.

        Examples
        --------
        >>> Edit("age", "merge", {"bins": [0, 1]}, None, None, 0.1, 0.09).describe()
        "merge bins [0, 1] of 'age': IV 0.1000 -> 0.0900"
        """
        a = self.args
        what = {
            "split": lambda: f"split {self.feature!r} at {a.get('value')!r}",
            "merge": lambda: f"merge bins {a.get('bins')} of {self.feature!r}",
            "move_category": lambda: (
                f"move {a.get('categories')} of {self.feature!r} to "
                + ("a new group" if a.get("to") is None else f"bin {a.get('to')}")
            ),
            "set_trend": lambda: f"set the trend of {self.feature!r} to {a.get('trend')!r}",
            "reset": lambda: f"reset {self.feature!r} to its optimal bins",
        }.get(self.action, lambda: f"{self.action} {self.feature!r} {a}")()
        return f"{what}: IV {self.iv_before:.4f} -> {self.iv_after:.4f}"


@dataclass(frozen=True)
class ModelCheck:
    """The scorecard refitted on the edited bins, judged on the validation sample.

    Attributes
    ----------
    model : LogisticScorecard
        The refitted scorecard (its ``binner_`` is a snapshot of the edited binner).
    features : list of str
        Its features.
    auc, ks : float or None
        Validation AUC and KS of the refitted model (None without a validation sample).
    auc_base, ks_base : float or None
        The same for the model given to the editor.
    seconds : float
        Time the refit and scoring took.
    notes : tuple of str
        Warnings raised by the refit (for example positive coefficients).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from scorecard import LogisticScorecard, WOEBinner
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"age": rng.integers(18, 70, 1000), "home": rng.choice(["own", "rent", "other"], 1000)})
    >>> y = pd.Series((rng.random(1000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
    >>> model = LogisticScorecard().fit(X, y)
    >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y, model=model, X_valid=X, y_valid=y)
    >>> _ = editor.merge("age", [0, 1])
    >>> check = editor.model_check()
    >>> check.features, check.auc is not None and check.auc_base is not None
    (['age'], True)
    """

    model: LogisticScorecard
    features: list[str]
    auc: float | None
    ks: float | None
    auc_base: float | None
    ks_base: float | None
    seconds: float
    notes: tuple[str, ...] = ()
    _points: pd.DataFrame = field(default=None, repr=False)  # type: ignore[assignment]

    def points(self, feature: str) -> pd.DataFrame | None:
        """Points per bin of ``feature`` (columns ``bin``, ``points``), None if not in the model.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import LogisticScorecard, WOEBinner
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 1000), "home": rng.choice(["own", "rent", "other"], 1000)})
        >>> y = pd.Series((rng.random(1000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> model = LogisticScorecard().fit(X, y)
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y, model=model, X_valid=X, y_valid=y)
        >>> _ = editor.merge("age", [0, 1])
        >>> check = editor.model_check()
        >>> table = check.points("age")
        >>> len(table) >= len(editor.regular_bins("age"))
        True
        """
        if feature not in self.features:
            return None
        t = self._points
        return t.loc[t["feature"] == feature, ["bin", "points", "points_unrounded"]].reset_index(drop=True)


class _PrefitBinner(WOEBinner):
    """A fitted binner that a :class:`LogisticScorecard` uses as it is.

    ``clone`` returns the instance itself and ``fit`` does nothing, so
    ``LogisticScorecard(binner=prefit).fit(X, y)`` runs selection, regression
    and scaling on these exact bins without re-solving them. Built with
    :meth:`WOEBinner.from_json` from the edited binner's spec, so it is a
    snapshot that later edits do not change. (Workaround until the scorecard
    has a public way to refit on a fitted binner.)
    """

    def __sklearn_clone__(self) -> _PrefitBinner:
        return self

    def fit(self, X: Any, y: Any = None) -> _PrefitBinner:  # noqa: D102
        return self


def _plain(obj: Any) -> Any:
    """Plain Python values (lists, dicts, float, int, str, None) for specs and code."""
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, np.ndarray)):
        return [_plain(v) for v in obj]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (Integral, np.integer)):
        return int(obj)
    if isinstance(obj, (Real, np.floating)):
        return float(obj)
    return obj


def _fmt_value(v: float) -> str:
    return "inf" if v == math.inf else "-inf" if v == -math.inf else f"{v:.10g}"


class BinningEditor:
    """Edit the bins of a fitted :class:`~scorecard.binning.WOEBinner` by hand, reproducibly.

    The binner is edited **in place**; each edit is stored in its
    ``feature_params`` (see the module docstring), so its JSON spec and a fresh
    fit reproduce it. Every edit method returns the editor (calls chain) and
    raises :class:`~scorecard.errors.DataError`, leaving the binner unchanged,
    when the edit is invalid.

    Parameters
    ----------
    binner : WOEBinner
        A fitted binner. Not a model's ``binner_``: editing that in place would
        desynchronise the model's coefficients (copy it with
        ``WOEBinner.from_json(model.binner_.to_json())``).
    X : DataFrame
        The data the binner was fitted on (every binned feature).
    y : array-like or str
        Its target (1 = bad, 0 = good, or the binner's ``bad_value``), or the
        name of a column of ``X``.
    model : LogisticScorecard, optional
        A fitted scorecard trained on the same ``X, y``; enables
        :meth:`model_check` (live points, AUC and KS).
    X_valid, y_valid : optional
        Validation sample for the model check's AUC and KS.
    model_refit : {"features", "full"}, default "features"
        ``"features"``: refit the coefficients on the model's selected features
        (fast); ``"full"``: re-run feature selection too.

    Attributes
    ----------
    binner : WOEBinner
    model : LogisticScorecard or None
    edits : list of Edit
        The applied edits, oldest first (undone edits are not in it).

    Examples
    --------
    >>> from scorecard import WOEBinner
    >>> from scorecard.datasets import load_german_credit
    >>> X, y = load_german_credit()
    >>> binner = WOEBinner().fit(X, y)
    >>> editor = BinningEditor(binner, X, y)
    >>> editor.split("age_in_years", 27).table("age_in_years")["bin"].tolist()[:3]
    ['[-inf, 25.5)', '[25.5, 27)', '[27, 29.5)']
    >>> editor.merge("age_in_years", [0, 2])
    Traceback (most recent call last):
    ...
    scorecard.errors.DataError: feature 'age_in_years': bins [0, 2] are not adjacent; only adjacent numeric bins can be merged
    >>> print(editor.to_code())  # doctest: +NORMALIZE_WHITESPACE
    # Manual binning edits (scorecard.editor.BinningEditor): 1 feature.
    # Run after the cell that fits `binner` to reproduce them.
    binner.set_params(feature_params={
        'age_in_years': {'splits': [25.5, 27.0, 29.5, 34.5, 36.5, 38.5, 52.5]},
    })
    for feature in ['age_in_years']:
        binner.refit_feature(X, y, feature)
    """

    def __init__(
        self,
        binner: WOEBinner,
        X: Any,
        y: Any,
        *,
        model: LogisticScorecard | None = None,
        X_valid: Any = None,
        y_valid: Any = None,
        model_refit: str = "features",
    ) -> None:
        if not isinstance(binner, WOEBinner):
            raise TypeError(f"binner must be a fitted WOEBinner, got {type(binner).__name__}")
        if not hasattr(binner, "bins_"):
            raise NotFittedError("the binner is not fitted: call binner.fit(X, y) before editing its bins")
        if model_refit not in ("features", "full"):
            raise ValueError(f"model_refit must be 'features' or 'full', got {model_refit!r}")
        if isinstance(y, str) and isinstance(X, pd.DataFrame):
            X, y = split_target(X, y)
        frame = as_frame(X)
        require_columns(frame, binner.features_)
        # check the target once (errors name the problem); keep the caller's y for the refits,
        # which apply the binner's / model's own bad_value
        self._y01 = check_target(
            y,
            bad_value=binner.bad_value,
            good_value=getattr(binner, "good_value", None),
            n_rows=len(frame),
            index=X.index if isinstance(X, pd.DataFrame) else None,
        )
        totals = binner.binning_table(binner.features_[0]).iloc[-1]
        if int(totals["count"]) != len(frame) or int(totals["bad"]) != int(self._y01.sum()):
            raise DataError(
                f"X, y are not the data the binner was fitted on: its binning tables count "
                f"{int(totals['count'])} rows and {int(totals['bad'])} bads, X has {len(frame)} rows and y "
                f"{int(self._y01.sum())} bads; give the editor the binner's training data"
            )
        self.binner = binner
        self._X = frame
        self._y = y
        self.model = model
        self.model_refit = model_refit
        self._X_valid: pd.DataFrame | None = None
        self._y_valid: np.ndarray | None = None
        self._auc_base: float | None = None
        self._ks_base: float | None = None
        if model is not None:
            if not hasattr(model, "coef_"):
                raise NotFittedError("the model is not fitted: call model.fit(X, y) before passing it to the editor")
            if getattr(model, "binner_", None) is binner:
                raise DataError(
                    "the binner is the model's own binner_: editing it in place would desynchronise the "
                    "model's coefficients; edit a copy, WOEBinner.from_json(model.binner_.to_json())"
                )
            if (X_valid is None) != (y_valid is None):
                raise DataError("give both X_valid and y_valid, or neither")
            if X_valid is not None:
                self._X_valid = as_frame(X_valid, name="X_valid")
                self._y_valid = check_target(
                    y_valid,
                    bad_value=model.bad_value,
                    good_value=getattr(model, "good_value", None),
                    n_rows=len(self._X_valid),
                    name="y_valid",
                    index=X_valid.index if isinstance(X_valid, pd.DataFrame) else None,
                )
                self._auc_base, self._ks_base = self._validation_metrics(model)
        elif X_valid is not None or y_valid is not None:
            raise DataError("X_valid / y_valid are used only with a model; pass model=... too")
        self._initial_params = copy.deepcopy(binner.feature_params)
        self._initial_iv = {f: float(binner.iv_[f]) for f in binner.features_}
        self._undo: list[Edit] = []
        self._redo: list[Edit] = []
        self._regular_values: dict[str, np.ndarray] = {}
        self._checks: OrderedDict[str, ModelCheck] = OrderedDict()

    # ------------------------------------------------------------------ views
    @property
    def features(self) -> list[str]:
        """The binned features, highest IV first (ties by name)."""
        return self.binner.summary()["feature"].tolist()

    @property
    def edits(self) -> list[Edit]:
        """The applied edits, oldest first."""
        return list(self._undo)

    @property
    def undone(self) -> list[Edit]:
        """The undone edits that :meth:`redo` can re-apply, the next one to redo last."""
        return list(self._redo)

    @property
    def can_undo(self) -> bool:
        """Whether there is an edit to undo."""
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        """Whether there is an undone edit to redo."""
        return bool(self._redo)

    def can_reset(self, feature: str) -> bool:
        """Whether the feature has manual bins or a trend override that :meth:`reset` would drop.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import WOEBinner
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
        >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y)
        >>> editor.can_reset("age")
        False
        >>> _ = editor.merge("age", [0, 1])
        >>> editor.can_reset("age")
        True
        """
        entry = (self.binner.feature_params or {}).get(self._check_feature(feature), {})
        return any(k in entry for k in _BIN_KEYS)

    def kind(self, feature: str) -> str:
        """``"numeric"`` or ``"categorical"``.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import WOEBinner
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
        >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y)
        >>> editor.kind("age"), editor.kind("home")
        ('numeric', 'categorical')
        """
        return self.binner.bins_[self._check_feature(feature)].kind

    def iv(self, feature: str) -> float:
        """The feature's current information value.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import WOEBinner
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
        >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y)
        >>> iv = editor.iv("age")
        >>> _ = editor.merge("age", [0, 1])
        >>> editor.iv("age") < iv  # merging bins loses information
        True
        """
        return float(self.binner.iv_[self._check_feature(feature)])

    def initial_iv(self, feature: str) -> float:
        """The feature's information value when the editor was created.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import WOEBinner
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
        >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y)
        >>> _ = editor.merge("age", [0, 1])
        >>> editor.initial_iv("age") > editor.iv("age")
        True
        """
        return self._initial_iv[self._check_feature(feature)]

    def table(self, feature: str) -> pd.DataFrame:
        """The feature's binning table (see :meth:`WOEBinner.binning_table`).

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import WOEBinner
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
        >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y)
        >>> editor.table("home")["bin"].tolist()[:3]
        ['other', 'own', 'rent']
        """
        return self.binner.binning_table(self._check_feature(feature))

    def regular_bins(self, feature: str) -> list[str]:
        """Labels of the feature's regular bins (the ones edits act on), in order.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import WOEBinner
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
        >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y)
        >>> editor.regular_bins("age")[:2]
        ['[-inf, 24.5)', '[24.5, 29.5)']
        """
        t = self.table(feature)
        return t.loc[t["kind"] == "regular", "bin"].tolist()

    def splits(self, feature: str) -> list[float]:
        """The split points of a numeric feature.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import WOEBinner
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
        >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y)
        >>> editor.splits("age")[:3]
        [24.5, 29.5, 45.5]
        """
        self._require_kind(feature, "numeric", "splits")
        return [float(s) for s in self.binner.bins_[feature].splits]

    def groups(self, feature: str) -> list[list[str]]:
        """The category groups of a categorical feature.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import WOEBinner
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
        >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y)
        >>> editor.groups("home")
        [['other'], ['own'], ['rent']]
        >>> _ = editor.merge("home", [0, 2])
        >>> editor.groups("home")
        [['other', 'rent'], ['own']]
        """
        self._require_kind(feature, "categorical", "groups")
        return [list(g) for g in self.binner.bins_[feature].groups]

    def suggest_split(self, feature: str, bin: int) -> float | None:
        """A valid split value inside regular bin ``bin`` of a numeric feature (its median), or None.

        Returns the median of the bin's values when splitting there leaves both
        sides non-empty, else the smallest such value; None when the bin holds
        a single distinct value.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import WOEBinner
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
        >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y)
        >>> value = editor.suggest_split("age", 2)  # a split point inside the third bin
        >>> bool(editor.splits("age")[1] < value < editor.splits("age")[2])
        True
        """
        splits = self.splits(feature)
        if not 0 <= int(bin) <= len(splits):
            return None
        edges = [-math.inf, *splits, math.inf]
        x = self._sorted_regular(feature)
        inside = x[np.searchsorted(x, edges[bin], side="left") : np.searchsorted(x, edges[bin + 1], side="left")]
        if inside.size == 0 or inside[0] == inside[-1]:
            return None
        median = float(np.median(inside))
        if inside[0] < median:
            return median
        return float(inside[np.searchsorted(inside, inside[0], side="right")])

    def source(self, feature: str) -> str:
        """``"manual"`` if the feature's bins are fixed by hand, else ``"optimal"``.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import WOEBinner
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
        >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y)
        >>> editor.source("age")
        'optimal'
        >>> _ = editor.split("age", 35)
        >>> editor.source("age")
        'manual'
        """
        entry = (self.binner.feature_params or {}).get(self._check_feature(feature), {})
        return "manual" if ("splits" in entry or "groups" in entry) else "optimal"

    def trend(self, feature: str) -> str | None:
        """The trend constraint in force for the feature (its override, else the binner's).

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import WOEBinner
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
        >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y)
        >>> editor.trend("age")
        'auto'
        >>> _ = editor.set_trend("age", "descending")
        >>> editor.trend("age")
        'descending'
        """
        entry = (self.binner.feature_params or {}).get(self._check_feature(feature), {})
        return entry.get("monotonic_trend", self.binner.monotonic_trend)

    def observed_trend(self, feature: str) -> str:
        """The shape of the bad rate over the regular bins (see :func:`scorecard.binning.observed_trend`).

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import WOEBinner
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
        >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y)
        >>> editor.observed_trend("age")
        'valley'
        """
        from scorecard.binning import observed_trend

        t = self.table(feature)
        if self.kind(feature) == "categorical":
            return "categorical"
        return observed_trend(t.loc[t["kind"] == "regular", "event_rate"].to_numpy())

    def history(self) -> pd.DataFrame:
        """The edits as a table: applied ones (``state="applied"``), then undone ones (``"undone"``).

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import WOEBinner
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
        >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y)
        >>> _ = editor.merge("age", [0, 1])
        >>> _ = editor.split("age", 35)
        >>> _ = editor.undo()
        >>> editor.history()[["action", "state"]].values.tolist()
        [['merge', 'applied'], ['split', 'undone']]
        """
        rows = [(e, "applied") for e in self._undo] + [(e, "undone") for e in reversed(self._redo)]
        return pd.DataFrame(
            [
                {
                    "step": i + 1,
                    "feature": e.feature,
                    "action": e.action,
                    "args": json.dumps(e.args),
                    "iv_before": e.iv_before,
                    "iv_after": e.iv_after,
                    "state": state,
                    "code": e.code(),
                }
                for i, (e, state) in enumerate(rows)
            ],
            columns=["step", "feature", "action", "args", "iv_before", "iv_after", "state", "code"],
        )

    def overrides(self) -> dict[str, dict[str, Any]]:
        """The current ``feature_params`` entries of the features the edits changed.

        A feature reset to its optimal bins with no other per-feature setting
        maps to ``{}``.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import WOEBinner
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
        >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y)
        >>> _ = editor.merge("age", [0, 1])
        >>> list(editor.overrides()), sorted(editor.overrides()["age"])
        (['age'], ['splits'])
        """
        now = self.binner.feature_params or {}
        before = self._initial_params or {}
        changed = [f for f in self.binner.features_ if now.get(f) != before.get(f)]
        return {f: _plain(now.get(f, {})) for f in changed}

    def __repr__(self) -> str:
        n = len(self._undo)
        feats = len({e.feature for e in self._undo})
        return (
            f"BinningEditor({len(self.binner.features_)} features; {n} edit{'s' * (n != 1)} on "
            f"{feats} feature{'s' * (feats != 1)}; undo {'on' if self.can_undo else 'off'}, "
            f"redo {'on' if self.can_redo else 'off'})"
        )

    # ------------------------------------------------------------------ edits
    def split(self, feature: str, value: float) -> BinningEditor:
        """Split the numeric bin holding ``value`` at ``value``: ``[a, b)`` -> ``[a, v)``, ``[v, b)``.

        Parameters
        ----------
        feature : str
        value : float
            Strictly above the smallest and at most the largest regular value
            of the feature; not an existing split; both new bins non-empty.

        Returns
        -------
        BinningEditor
            ``self``.

        Raises
        ------
        DataError
            The feature is not numeric, or the split is outside its range, an
            existing split, or would leave a bin empty.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import WOEBinner
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
        >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y)
        >>> n = len(editor.regular_bins("age"))
        >>> _ = editor.split("age", 35)
        >>> len(editor.regular_bins("age")) == n + 1, 35.0 in editor.splits("age")
        (True, True)
        """
        self._require_kind(feature, "numeric", "split")
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (Real, np.floating, np.integer)):
            raise DataError(f"feature {feature!r}: a split value must be a number, got {value!r}")
        v = float(value)
        if not math.isfinite(v):
            raise DataError(f"feature {feature!r}: a split value must be finite, got {value!r}")
        x = self._sorted_regular(feature)
        if x.size == 0:
            raise DataError(f"feature {feature!r} has no regular (non-missing, non-special) values to split")
        lo, hi = float(x[0]), float(x[-1])
        if not (lo < v <= hi):
            raise DataError(
                f"feature {feature!r}: split at {_fmt_value(v)} is outside the range of its values "
                f"({_fmt_value(lo)} to {_fmt_value(hi)}); a split must lie above the smallest value and "
                "at most at the largest"
            )
        splits = self.splits(feature)
        if v in splits:
            raise DataError(f"feature {feature!r}: {_fmt_value(v)} is already a split")
        edges = [-math.inf, *splits, math.inf]
        i = int(np.searchsorted(splits, v, side="right"))
        a, b = edges[i], edges[i + 1]
        n_left = int(np.searchsorted(x, v, side="left") - np.searchsorted(x, a, side="left"))
        n_right = int(np.searchsorted(x, b, side="left") - np.searchsorted(x, v, side="left"))
        if n_left == 0 or n_right == 0:
            empty = f"[{_fmt_value(a)}, {_fmt_value(v)})" if n_left == 0 else f"[{_fmt_value(v)}, {_fmt_value(b)})"
            raise DataError(f"feature {feature!r}: split at {_fmt_value(v)} would leave the bin {empty} empty")
        new = sorted([*splits, v])
        return self._commit(feature, "split", {"value": v}, self._entry_with(feature, splits=new))

    def merge(self, feature: str, bins: Sequence[int]) -> BinningEditor:
        """Merge regular bins into one.

        Numeric bins must be adjacent (a contiguous run of indices); the groups
        of a categorical feature can be any. The missing bin and special-code
        bins are never merged (they keep bins of their own).

        Parameters
        ----------
        feature : str
        bins : sequence of int
            Two or more indices of regular bins (positions in the binning table).

        Returns
        -------
        BinningEditor
            ``self``.

        Raises
        ------
        DataError
            Fewer than two bins, an index that is not a regular bin, or
            non-adjacent numeric bins.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import WOEBinner
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
        >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y)
        >>> _ = editor.merge("age", [0, 1])
        >>> editor.regular_bins("age")[0]
        '[-inf, 29.5)'
        """
        feature = self._check_feature(feature)
        idx = self._bin_indices(feature, bins)
        if self.kind(feature) == "numeric":
            if idx != list(range(idx[0], idx[-1] + 1)):
                raise DataError(
                    f"feature {feature!r}: bins {idx} are not adjacent; only adjacent numeric bins can be merged"
                )
            splits = self.splits(feature)
            new = splits[: idx[0]] + splits[idx[-1] :]
            return self._commit(feature, "merge", {"bins": idx}, self._entry_with(feature, splits=new))
        groups = self.groups(feature)
        merged = sorted(c for i in idx for c in groups[i])
        new_groups = [merged if i == idx[0] else g for i, g in enumerate(groups) if i == idx[0] or i not in idx]
        return self._commit(feature, "merge", {"bins": idx}, self._entry_with(feature, groups=new_groups))

    def move_category(self, feature: str, categories: str | Sequence[str], to: int | None = None) -> BinningEditor:
        """Move categories of a categorical feature to another group, or to a new group.

        Parameters
        ----------
        feature : str
        categories : str or sequence of str
            Categories as the binning table shows them.
        to : int or None, default None
            Index of the target group; ``None`` puts them in a new group of
            their own (which splits their old group). Groups left empty vanish.

        Returns
        -------
        BinningEditor
            ``self``.

        Raises
        ------
        DataError
            The feature is not categorical, a category is unknown, the group
            index is out of range, or the move changes nothing.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import WOEBinner
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
        >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y)
        >>> _ = editor.move_category("home", ["rent"], to=0)  # into the group of 'other'
        >>> editor.groups("home")
        [['other', 'rent'], ['own']]
        """
        self._require_kind(feature, "categorical", "move categories")
        cats = [categories] if isinstance(categories, str) else list(categories)
        if not cats:
            raise DataError(f"feature {feature!r}: no category given to move")
        groups = self.groups(feature)
        where = {c: i for i, g in enumerate(groups) for c in g}
        unknown = [c for c in cats if str(c) not in where]
        if unknown:
            known = sorted(where)
            raise DataError(
                f"feature {feature!r}: unknown categor{'y' if len(unknown) == 1 else 'ies'} "
                f"{', '.join(map(repr, unknown))}; its categories are {known[:20]}{'...' if len(known) > 20 else ''}"
            )
        cats = sorted({str(c) for c in cats})
        if to is not None:
            if isinstance(to, (bool, np.bool_)) or not isinstance(to, (Integral, np.integer)):
                raise DataError(f"feature {feature!r}: the target group must be an index or None, got {to!r}")
            to = int(to)
            if not 0 <= to < len(groups):
                raise DataError(
                    f"feature {feature!r}: group {to} does not exist; groups are 0 to {len(groups) - 1} "
                    "(None = a new group)"
                )
            if all(where[c] == to for c in cats):
                raise DataError(f"feature {feature!r}: {cats} already in group {to}; nothing to change")
        elif any(sorted(g) == cats for g in groups):
            raise DataError(f"feature {feature!r}: {cats} already form a group of their own; nothing to change")
        moved = set(cats)
        new_groups = [sorted((c for c in g if c not in moved), key=str) for g in groups]
        if to is None:
            new_groups.append(cats)
        else:
            new_groups[to] = sorted([*new_groups[to], *cats])
        new_groups = [g for g in new_groups if g]
        return self._commit(
            feature, "move_category", {"categories": cats, "to": to}, self._entry_with(feature, groups=new_groups)
        )

    def set_trend(self, feature: str, trend: str | None) -> BinningEditor:
        """Re-optimise a numeric feature's bins under a bad-rate trend (``None``: no constraint).

        Replaces manual splits of the feature by the optimal bins under the
        trend (the binner's other settings unchanged).

        Parameters
        ----------
        feature : str
        trend : str or None
            One of :data:`TRENDS`.

        Returns
        -------
        BinningEditor
            ``self``.

        Raises
        ------
        DataError
            Unknown trend, a categorical feature, no change, or no binning
            satisfies the trend.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import WOEBinner
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
        >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y)
        >>> _ = editor.set_trend("age", "descending")
        >>> editor.observed_trend("age")
        'descending'
        """
        self._require_kind(feature, "numeric", "set a trend")
        if trend not in TRENDS:
            raise DataError(f"feature {feature!r}: unknown trend {trend!r}; use one of {list(TRENDS)}")
        entry = {k: v for k, v in self._entry(feature).items() if k not in ("splits", "groups")}
        entry["monotonic_trend"] = trend
        if entry == self._entry(feature):
            raise DataError(f"feature {feature!r}: the trend is already {trend!r}; nothing to change")
        return self._commit(feature, "set_trend", {"trend": trend}, entry)

    def reset(self, feature: str) -> BinningEditor:
        """Back to the optimal bins: drop the feature's manual splits / groups and trend override.

        The feature's other per-feature settings (special codes, minimum bin
        size, ...) are kept.

        Returns
        -------
        BinningEditor
            ``self``.

        Raises
        ------
        DataError
            The feature already has its optimal bins (nothing to reset).

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import WOEBinner
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
        >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y)
        >>> _ = editor.merge("age", [0, 1])
        >>> _ = editor.reset("age")
        >>> editor.source("age"), editor.can_reset("age")
        ('optimal', False)
        """
        feature = self._check_feature(feature)
        if not self.can_reset(feature):
            raise DataError(f"feature {feature!r} already has its optimal bins; nothing to reset")
        entry = {k: v for k, v in self._entry(feature).items() if k not in _BIN_KEYS}
        return self._commit(feature, "reset", {}, entry)

    def undo(self) -> BinningEditor:
        """Undo the last edit.

        Raises
        ------
        DataError
            Nothing to undo.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import WOEBinner
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
        >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y)
        >>> _ = editor.merge("age", [0, 1])
        >>> _ = editor.undo()
        >>> editor.source("age"), editor.can_redo
        ('optimal', True)
        """
        if not self._undo:
            raise DataError("nothing to undo")
        edit = self._undo[-1]
        self._apply(edit.feature, edit.params_before)
        self._redo.append(self._undo.pop())
        logger.info("undo: %s", edit.describe())
        return self

    def redo(self) -> BinningEditor:
        """Redo the last undone edit.

        Raises
        ------
        DataError
            Nothing to redo.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import WOEBinner
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
        >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y)
        >>> _ = editor.merge("age", [0, 1])
        >>> _ = editor.undo()
        >>> _ = editor.redo()
        >>> editor.source("age"), editor.can_undo
        ('manual', True)
        """
        if not self._redo:
            raise DataError("nothing to redo")
        edit = self._redo[-1]
        self._apply(edit.feature, edit.params_after)
        self._undo.append(self._redo.pop())
        logger.info("redo: %s", edit.describe())
        return self

    # ------------------------------------------------------------------ code
    def to_code(
        self, style: str = "refit", *, binner: str = "binner", X: str = "X", y: str = "y", editor: str = "editor"
    ) -> str:
        """Python code that reproduces the edits, for pasting into the notebook.

        Parameters
        ----------
        style : {"refit", "params", "edits"}, default "refit"
            ``"refit"``: set the binner's ``feature_params`` and refit the
            edited features (run after the cell that fits the binner; exact).
            ``"params"``: only the ``feature_params`` dict, for the
            ``WOEBinner(feature_params=...)`` of the fit cell. ``"edits"``: the
            editor calls, in order (a log of the session).
        binner, X, y, editor : str
            Variable names used in the code.

        Returns
        -------
        str

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import WOEBinner
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
        >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y)
        >>> _ = editor.merge("age", [0, 1])
        >>> print(editor.to_code("params"))
        feature_params = {
            'age': {'splits': [29.5, 45.5, 48.5, 54.5, 66.5]},
        }
        """
        if style not in ("refit", "params", "edits"):
            raise ValueError(f"style must be 'refit', 'params' or 'edits', got {style!r}")
        if style == "edits":
            if not self._undo:
                return "# no binning edits"
            return "\n".join(e.code(editor) for e in self._undo)
        changed = list(self.overrides())
        params = _plain(self.binner.feature_params)
        if params:
            literal = "{\n" + "".join(f"    {k!r}: {v!r},\n" for k, v in params.items()) + "}"
        else:
            literal = repr(params)
        if style == "params":
            return f"feature_params = {literal}"
        if not changed:
            return "# no binning edits"
        n = len(changed)
        lines = [
            f"# Manual binning edits (scorecard.editor.BinningEditor): {n} feature{'s' * (n != 1)}.",
            f"# Run after the cell that fits `{binner}` to reproduce them.",
            f"{binner}.set_params(feature_params={literal})",
            f"for feature in {changed!r}:",
            f"    {binner}.refit_feature({X}, {y}, feature)",
        ]
        now = self.binner.feature_params or {}
        if any(f not in now for f in changed):  # refit_feature adds an empty entry for them
            lines.append(f"{binner}.set_params(feature_params={literal})")
        return "\n".join(lines)

    # ------------------------------------------------------------------ model
    @property
    def state_key(self) -> str:
        """A key of the current binning state (the binner's ``feature_params`` as JSON)."""
        return json.dumps(_plain(self.binner.feature_params), sort_keys=True)

    def model_check(self) -> ModelCheck | None:
        """The scorecard refitted on the current bins, with validation AUC and KS.

        None without a model. Results are cached per binning state
        (:attr:`state_key`), so undo and redo do not refit again.

        Returns
        -------
        ModelCheck or None

        Raises
        ------
        DataError
            The refit failed (for example every feature left with one bin).

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import LogisticScorecard, WOEBinner
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 1000), "home": rng.choice(["own", "rent", "other"], 1000)})
        >>> y = pd.Series((rng.random(1000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> model = LogisticScorecard().fit(X, y)
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y, model=model, X_valid=X, y_valid=y)
        >>> _ = editor.merge("age", [0, 1])
        >>> check = editor.model_check()
        >>> check.features, 0.5 < check.auc <= 1 and 0.5 < check.auc_base <= 1
        (['age'], True)
        """
        from scorecard.model import LogisticScorecard

        if self.model is None:
            return None
        key = self.state_key
        if key in self._checks:
            self._checks.move_to_end(key)
            return self._checks[key]
        spec = json.loads(self.binner.to_json(indent=None))
        overrides: dict[str, Any] = {}
        if self.model_refit == "features":
            keep = [f for f in self.binner.features_ if f in set(self.model.features_)]
            spec["features"] = [d for d in spec["features"] if d["name"] in keep]
            spec["params"]["features"] = keep
            overrides = dict(_NO_SELECTION)
        spec["params"]["output"] = "woe"  # what the scorecard regresses on
        # a snapshot of the edited bins that the scorecard uses as they are (no re-solve)
        prefit = _PrefitBinner.from_json(spec)
        params = {**self.model.get_params(deep=False), "binner": prefit, **overrides}
        check = self._refit_model(LogisticScorecard(**params))
        self._checks[key] = check
        while len(self._checks) > _CACHE_SIZE:
            self._checks.popitem(last=False)
        return check

    def refit_model(self) -> LogisticScorecard:
        """A scorecard refitted on the edited bins (see :meth:`model_check`).

        For the notebook, the reproducible equivalent is
        ``LogisticScorecard(binner=WOEBinner(**binner.get_params()), ...).fit(X, y)``.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import LogisticScorecard, WOEBinner
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 1000), "home": rng.choice(["own", "rent", "other"], 1000)})
        >>> y = pd.Series((rng.random(1000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> model = LogisticScorecard().fit(X, y)
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y, model=model, X_valid=X, y_valid=y)
        >>> _ = editor.merge("age", [0, 1])
        >>> editor.refit_model().features_
        ['age']
        """
        if self.model is None:
            raise DataError("no model given to the editor; pass model=... to refit one")
        return self.model_check().model  # type: ignore[union-attr]

    def _refit_model(self, model: LogisticScorecard) -> ModelCheck:
        t0 = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                refit = model.fit(self._X, self._y)
            except ScorecardError as exc:
                raise DataError(f"the scorecard could not be refitted on the edited bins: {exc}") from exc
            auc = ks = None
            if self._X_valid is not None:
                auc, ks = self._validation_metrics(refit)
        notes = tuple(dict.fromkeys(str(w.message) for w in caught))
        check = ModelCheck(
            model=refit,
            features=list(refit.features_),
            auc=auc,
            ks=ks,
            auc_base=self._auc_base,
            ks_base=self._ks_base,
            seconds=time.perf_counter() - t0,
            notes=notes,
            _points=refit.points_table(),
        )
        logger.info(
            "scorecard refitted on the edited bins in %.2f s: %d features, validation AUC %s",
            check.seconds,
            len(check.features),
            "n/a" if auc is None else f"{auc:.4f}",
        )
        return check

    def _validation_metrics(self, model: LogisticScorecard) -> tuple[float, float]:
        from scorecard.metrics import auc, ks

        p_bad = model.predict_proba(self._X_valid)[:, 1]
        return auc(self._y_valid, p_bad), ks(self._y_valid, p_bad)

    # ------------------------------------------------------------------ widget
    def widget(self, feature: str | None = None) -> BinningWidget:
        """The JupyterLab editor for this edit model (needs ipywidgets).

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import WOEBinner
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
        >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y)
        >>> w = editor.widget("age")
        >>> type(w).__name__, w.feature
        ('BinningWidget', 'age')
        """
        from scorecard.widgets import BinningWidget

        return BinningWidget(self, feature=feature)

    # ------------------------------------------------------------------ internals
    def _check_feature(self, feature: str) -> str:
        if not isinstance(feature, str) or feature not in self.binner.bins_:
            raise DataError(
                f"unknown feature {feature!r}; the binned features are {self.binner.features_[:20]}"
                f"{'...' if len(self.binner.features_) > 20 else ''}"
            )
        return feature

    def _require_kind(self, feature: str, kind: str, what: str) -> None:
        actual = self.kind(feature)
        if actual != kind:
            hint = "use move_category or merge" if actual == "categorical" else "use split or merge"
            raise DataError(f"feature {feature!r} is {actual}: cannot {what} on it ({hint})")

    def _entry(self, feature: str) -> dict[str, Any]:
        return copy.deepcopy((self.binner.feature_params or {}).get(feature, {}))

    def _entry_with(self, feature: str, **bins: Any) -> dict[str, Any]:
        """The feature's entry with fixed bins; a trend no longer applies to them."""
        entry = {k: v for k, v in self._entry(feature).items() if k not in _BIN_KEYS}
        entry.update(_plain(bins))
        return entry

    def _bin_indices(self, feature: str, bins: Sequence[int]) -> list[int]:
        if isinstance(bins, (str, bytes)) or not isinstance(bins, (Sequence, np.ndarray)):
            raise DataError(f"feature {feature!r}: give the bins to merge as a list of indices, got {bins!r}")
        idx = []
        for b in bins:
            if isinstance(b, (bool, np.bool_)) or not isinstance(b, (Integral, np.integer)):
                raise DataError(f"feature {feature!r}: bin indices must be integers, got {b!r}")
            idx.append(int(b))
        idx = sorted(set(idx))
        if len(idx) < 2:
            raise DataError(f"feature {feature!r}: select at least two bins to merge, got {list(bins)}")
        t = self.table(feature).iloc[:-1]
        n_regular = int((t["kind"] == "regular").sum())
        for i in idx:
            if i < 0 or i >= len(t):
                raise DataError(f"feature {feature!r}: bin {i} does not exist; bins are 0 to {len(t) - 1}")
            if i >= n_regular:
                raise DataError(
                    f"feature {feature!r}: bin {i} is the {t['kind'].iloc[i]} bin {t['bin'].iloc[i]!r}; "
                    "missing values and special codes keep bins of their own and are never merged"
                )
        return idx

    def _sorted_regular(self, feature: str) -> np.ndarray:
        """Sorted non-missing, non-special values of a numeric feature (cached)."""
        if feature not in self._regular_values:
            x = pd.to_numeric(self._X[feature], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            specials = [float(s) for s in self.binner.bins_[feature].specials]
            keep = ~np.isnan(x)
            if specials:
                keep &= ~np.isin(x, specials)
            self._regular_values[feature] = np.sort(x[keep])
        return self._regular_values[feature]

    def _params_with(self, feature: str, entry: dict[str, Any]) -> dict[str, dict[str, Any]] | None:
        params = copy.deepcopy(self.binner.feature_params) or {}
        if entry:
            params[feature] = copy.deepcopy(entry)
        else:
            params.pop(feature, None)
        if not params:
            return copy.deepcopy(self._initial_params) if not self._initial_params else None
        return params

    def _commit(self, feature: str, action: str, args: dict[str, Any], entry: dict[str, Any]) -> BinningEditor:
        before = copy.deepcopy(self.binner.feature_params)
        after = self._params_with(feature, entry)
        iv_before = self.iv(feature)
        self._apply(feature, after)
        edit = Edit(
            feature=feature,
            action=action,
            args=_plain(args),
            params_before=before,
            params_after=copy.deepcopy(after),
            iv_before=iv_before,
            iv_after=self.iv(feature),
            notes=self._notes(feature),
        )
        self._undo.append(edit)
        self._redo.clear()
        logger.info("edit: %s", edit.describe())
        return self

    def _notes(self, feature: str) -> tuple[str, ...]:
        t = self.table(feature)
        reg = t[t["kind"] == "regular"]
        floor = float(self.binner.min_bin_size or 0)
        entry = (self.binner.feature_params or {}).get(feature, {})
        floor = float(entry.get("min_bin_size", floor) or 0)
        small = reg[reg["count_share"] < floor]
        notes = [
            f"bin {row.bin} holds {row.count_share:.1%} of the rows, below min_bin_size {floor:.0%}"
            for row in small.itertuples()
        ]
        if len(reg) == 1:
            notes.append("a single regular bin is left: the feature carries no information (IV 0)")
        if (reg["bad"] == 0).any() or (reg["good"] == 0).any():
            notes.append("a bin has no bads or no goods: its WOE rests on the smoothing")
        return tuple(notes)

    def _apply(self, feature: str, params: dict[str, dict[str, Any]] | None) -> None:
        """Set ``feature_params`` and refit the feature; on failure restore the binner and raise."""
        binner = self.binner
        old_params = copy.deepcopy(binner.feature_params)
        old_bins = binner.bins_[feature]
        try:
            binner.set_params(feature_params=copy.deepcopy(params))
            binner.refit_feature(self._X, self._y, feature)
        except Exception as exc:
            binner.set_params(feature_params=copy.deepcopy(old_params))
            if binner.bins_.get(feature) is not old_bins:  # the refit got as far as changing the bins
                try:
                    binner.refit_feature(self._X, self._y, feature)
                except Exception as again:  # pragma: no cover - the previous state refitted before
                    raise DataError(
                        f"feature {feature!r}: the edit failed ({exc}) and restoring the previous bins "
                        f"failed too ({again}); refit the binner"
                    ) from again
                binner.set_params(feature_params=copy.deepcopy(old_params))
            logger.info("edit of %r refused by the refit: %s", feature, exc)
            raise DataError(f"feature {feature!r}: the edit could not be applied ({exc}); the binner is unchanged") from exc
        # refit_feature stores an (empty) entry for the feature; keep the parameters exactly as asked
        binner.set_params(feature_params=copy.deepcopy(params))


def edit_binning(
    binner: Any,
    X: Any,
    y: Any,
    *,
    model: Any = None,
    X_valid: Any = None,
    y_valid: Any = None,
    feature: str | None = None,
) -> BinningWidget:
    """Open the binning editor on a fitted binner: ``BinningWidget(BinningEditor(...))``.

    Parameters as :class:`~scorecard.editor.BinningEditor`; ``feature`` is the
    one shown first. The editor is ``widget.editor``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from scorecard import WOEBinner
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
    >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
    >>> widget = edit_binning(WOEBinner().fit(X, y), X, y, feature="home")
    >>> _ = widget.editor.merge("home", [0, 2])
    >>> print(widget.editor.to_code("params"))
    feature_params = {
        'home': {'groups': [['other', 'rent'], ['own']]},
    }
    """
    editor = BinningEditor(binner, X, y, model=model, X_valid=X_valid, y_valid=y_valid)
    return editor.widget(feature)
