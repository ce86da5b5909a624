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
