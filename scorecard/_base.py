"""Shared pieces of the library's estimators (private)."""

from __future__ import annotations

from typing import Any

import numpy as np


class LogitClassifierMixin:
    """``predict_proba`` and ``predict`` of a binary classifier from its ``decision_function``.

    The subclass's ``decision_function(X)`` returns ``logit(p_bad)`` per row
    (higher = riskier); 1 = bad, 0 = good.
    """

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probabilities ``[p_good, p_bad]`` per row."""
        z = self.decision_function(X)  # type: ignore[attr-defined]
        p = 1.0 / (1.0 + np.exp(-z))
        return np.column_stack([1.0 - p, p])

    def predict(self, X: Any) -> np.ndarray:
        """1 (bad) where ``p_bad > 0.5``, else 0. Use a cut-off on the score or ``p_bad`` in practice."""
        return (self.decision_function(X) > 0).astype(np.int64)  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- #
# the model-kind interface
# --------------------------------------------------------------------------- #
#: Class name of each spec kind, for messages.
KIND_NAMES: dict[str, str] = {"binner": "WOEBinner", "scorecard": "LogisticScorecard", "challenger": "GBMChallenger"}


class SpecModel:
    """The model-kind interface: what an estimator is, read without importing its class.

    Every model that writes a spec sets two class attributes:

    - ``spec_kind``: ``"binner"`` (:class:`~scorecard.binning.WOEBinner`),
      ``"scorecard"`` (:class:`~scorecard.model.LogisticScorecard`) or
      ``"challenger"`` (:class:`~scorecard.challenger.GBMChallenger`);
    - ``fitted_attribute``: the learned attribute that marks it fitted.

    Layers above fitting (explain, tracking, export) ask :func:`model_kind`
    instead of ``isinstance`` checks against the concrete classes, so they
    need not import them.
    """

    spec_kind: str = ""
    fitted_attribute: str = ""


def model_kind(model: Any, accepted: tuple[str, ...], *, refuse: str, before: str) -> str:
    """The ``spec_kind`` of a fitted ``model`` among ``accepted``.

    Parameters
    ----------
    model : object
    accepted : tuple of str
        Kinds the caller handles.
    refuse : str
        Start of the TypeError message for another object (``", got <type>"`` is appended).
    before : str
        Completes "call fit(X, y) before ..." in the NotFittedError message.

    Raises
    ------
    TypeError
        ``model`` is not one of the accepted kinds.
    scorecard.errors.NotFittedError
        It is, but not fitted.

    Examples
    --------
    >>> class Toy(SpecModel):
    ...     spec_kind, fitted_attribute = "binner", "bins_"
    >>> model_kind(Toy(), ("binner",), refuse="x", before="y")
    Traceback (most recent call last):
    ...
    scorecard.errors.NotFittedError: this Toy is not fitted yet: call fit(X, y) before y
    >>> t = Toy(); t.bins_ = {}
    >>> model_kind(t, ("binner", "scorecard"), refuse="x", before="y")
    'binner'
    """
    from scorecard.errors import NotFittedError

    kind = getattr(type(model), "spec_kind", None)
    if kind not in accepted:
        raise TypeError(f"{refuse}, got {type(model).__name__}")
    if not hasattr(model, type(model).fitted_attribute):
        raise NotFittedError(f"this {type(model).__name__} is not fitted yet: call fit(X, y) before {before}")
    return str(kind)
