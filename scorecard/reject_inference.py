"""Reject inference: give the rejected applicants an inferred outcome before the final fit.

A development sample holds approved loans only; the applicants the old policy
rejected have no outcome, so a model fitted on the accepted applicants alone
learns a population that is safer than the one it will score. Reject inference
adds the rejects with an inferred outcome, from a preliminary model fitted on
the accepted applicants:

* ``"hard_cutoff"``: the rejects most likely to be bad are labelled bad, as many
  as the preliminary model expects (times ``factor``), the others good;
* ``"parcelling"``: rejects are banded by the preliminary model's probability
  (bands fixed on the accepted applicants), and in each band a random share,
  the accepted applicants' observed bad rate there times ``factor``, is
  labelled bad;
* ``"fuzzy"``: each reject enters twice, as a bad with weight
  ``q = min(1, factor * p)`` and as a good with weight ``1 - q``.

``factor`` (> 1) expresses the usual belief that rejects are riskier than the
preliminary model extrapolates (SAS's "event rate increase"). The result is an
:class:`AugmentedSample`: rows, target, ``sample_weight`` and the estimated
through-the-door bad rate. Hard cutoff and parcelling give weights of 1 (a plain
fit works); fuzzy augmentation needs a weighted fit.

Example
-------
>>> import numpy as np, pandas as pd
>>> from scorecard.reject_inference import augment
>>> class Prelim:                       # any fitted model with predict_proba
...     def predict_proba(self, X):
...         p = X["risk"].to_numpy(dtype=float)
...         return np.column_stack([1 - p, p])
>>> acc = pd.DataFrame({"risk": [0.1, 0.1, 0.2, 0.3]}); y = pd.Series([0, 0, 0, 1])
>>> rej = pd.DataFrame({"risk": [0.5, 0.6]})
>>> a = augment(Prelim(), acc, y, rej, method="fuzzy")
>>> round(a.through_the_door_bad_rate, 4)
0.35
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from scorecard.errors import DataError

__all__ = ["augment", "AugmentedSample", "METHODS"]

logger = logging.getLogger(__name__)

METHODS: tuple[str, ...] = ("hard_cutoff", "parcelling", "fuzzy")


@dataclass(frozen=True)
class AugmentedSample:
    """Accepted applicants plus rejects with inferred outcomes.

    Attributes
    ----------
    X : DataFrame
        Accepted rows, then reject rows (twice each for fuzzy augmentation),
        with a fresh ``RangeIndex``.
    y : Series
        1 = bad, 0 = good (``int8``).
    sample_weight : ndarray
        1 for accepted rows; ``reject_weight`` (times the fuzzy weight) for rejects.
    source : ndarray
        ``"accepted"`` or ``"rejected"`` per row.
    method : str
    through_the_door_bad_rate : float
        Estimated bad rate of all applicants (each applicant counted once).
    inferred_reject_bad_rate : float
        Bad rate inferred for the rejects.
    accepted_bad_rate : float
        Observed bad rate of the accepted applicants.
    """

    X: pd.DataFrame
    y: pd.Series
    sample_weight: np.ndarray
    source: np.ndarray
    method: str
    through_the_door_bad_rate: float
    inferred_reject_bad_rate: float
    accepted_bad_rate: float

    def summary(self) -> dict[str, Any]:
        """The rates and row counts, JSON-ready.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> a = AugmentedSample(pd.DataFrame({"x": [1]}), pd.Series([0], dtype="int8"), np.ones(1),
        ...                     np.array(["accepted"]), "fuzzy", 0.0, 0.0, 0.0)
        >>> a.summary()["rows"]
        1
        """
        return {
            "method": self.method,
            "rows": int(len(self.y)),
            "accepted_rows": int((self.source == "accepted").sum()),
            "rejected_rows": int((self.source == "rejected").sum()),
            "accepted_bad_rate": self.accepted_bad_rate,
            "inferred_reject_bad_rate": self.inferred_reject_bad_rate,
            "through_the_door_bad_rate": self.through_the_door_bad_rate,
        }


def _proba(model: Any, X: pd.DataFrame, what: str) -> np.ndarray:
    if not hasattr(model, "predict_proba"):
        raise DataError(f"model must be fitted and have predict_proba (got {type(model).__name__})")
    p = np.asarray(model.predict_proba(X), dtype=float)
    p = p[:, 1] if p.ndim == 2 else p
    if p.shape != (len(X),) or not np.all(np.isfinite(p)) or (p < 0).any() or (p > 1).any():
        raise DataError(f"the model's predict_proba on {what} must give one probability in [0, 1] per row")
    return p


def augment(
    model: Any,
    X_accepted: pd.DataFrame,
    y_accepted: Any,
    X_rejected: pd.DataFrame,
    *,
    method: str = "fuzzy",
    factor: float = 1.0,
    n_bands: int = 10,
    reject_weight: float = 1.0,
    random_state: int = 0,
) -> AugmentedSample:
    """Infer the rejects' outcomes with a preliminary model and return the augmented sample.

    Parameters
    ----------
    model : fitted classifier
        The preliminary model, fitted on the accepted applicants; only its
        ``predict_proba`` is used (column 1 = probability of bad).
    X_accepted, y_accepted : DataFrame, array-like
        The accepted applicants and their known outcomes (1 bad, 0 good).
    X_rejected : DataFrame
        The rejected applicants, with the same columns as ``X_accepted``.
    method : {"hard_cutoff", "parcelling", "fuzzy"}, default "fuzzy"
    factor : float, default 1.0
        Multiplies the inferred bad probability of the rejects (>= 1 is the
        customary belief that rejects are riskier than extrapolated).
    n_bands : int, default 10
        Parcelling: number of probability bands (quantiles of the accepted
        applicants' probabilities).
    reject_weight : float, default 1.0
        Weight of each reject in the final fit (``sample_weight``).
    random_state : int, default 0
        Seed of parcelling's random assignment.

    Returns
    -------
    AugmentedSample

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> class Prelim:
    ...     def predict_proba(self, X):
    ...         p = X["risk"].to_numpy(dtype=float)
    ...         return np.column_stack([1 - p, p])
    >>> acc = pd.DataFrame({"risk": [0.1, 0.2, 0.3, 0.4]}); y = [0, 0, 1, 0]
    >>> rej = pd.DataFrame({"risk": [0.9, 0.8, 0.1, 0.2]})
    >>> a = augment(Prelim(), acc, y, rej, method="hard_cutoff")
    >>> a.y.tolist()                     # 2 expected bads among the rejects: the two riskiest
    [0, 0, 1, 0, 1, 1, 0, 0]
    """
    if method not in METHODS:
        raise DataError(f"method must be one of {METHODS}, got {method!r}")
    if not (np.isfinite(factor) and factor > 0):
        raise DataError(f"factor must be a positive finite number, got {factor!r}")
    if not (np.isfinite(reject_weight) and reject_weight > 0):
        raise DataError(f"reject_weight must be a positive finite number, got {reject_weight!r}")
    if not isinstance(X_accepted, pd.DataFrame) or not isinstance(X_rejected, pd.DataFrame):
        raise DataError("X_accepted and X_rejected must be pandas DataFrames")
    if list(X_accepted.columns) != list(X_rejected.columns):
        raise DataError("X_rejected must have the same columns, in the same order, as X_accepted")
    if len(X_rejected) == 0:
        raise DataError("X_rejected is empty: nothing to infer")
    y = np.asarray(y_accepted, dtype=float)
    if y.shape != (len(X_accepted),) or not np.isin(y, (0.0, 1.0)).all():
        raise DataError("y_accepted must hold one 1 (bad) or 0 (good) per accepted row, with no missing value")
    p_rej = _proba(model, X_rejected, "X_rejected")
    q = np.minimum(1.0, factor * p_rej)
    n_rej = len(X_rejected)

    if method == "hard_cutoff":
        k = int(round(q.sum()))
        order = np.argsort(-p_rej, kind="stable")
        y_rej = np.zeros(n_rej, dtype=np.int8)
        y_rej[order[:k]] = 1
        X_rej, w_rej, inferred = X_rejected, np.full(n_rej, reject_weight), float(y_rej.mean())
    elif method == "parcelling":
        p_acc = _proba(model, X_accepted, "X_accepted")
        edges = np.unique(np.quantile(p_acc, np.linspace(0, 1, int(n_bands) + 1)[1:-1]))
        band_acc, band_rej = np.searchsorted(edges, p_acc, side="right"), np.searchsorted(edges, p_rej, side="right")
        rng = np.random.default_rng(random_state)
        y_rej = np.zeros(n_rej, dtype=np.int8)
        for b in np.unique(band_rej):
            in_acc = band_acc == b
            rate = (y[in_acc].sum() + 0.5) / (in_acc.sum() + 1.0)  # smoothed: a band with no accepted bad still has risk
            idx = np.flatnonzero(band_rej == b)
            k = int(round(min(1.0, factor * rate) * idx.size))
            y_rej[rng.permutation(idx)[:k]] = 1
        X_rej, w_rej, inferred = X_rejected, np.full(n_rej, reject_weight), float(y_rej.mean())
    else:
        X_rej = pd.concat([X_rejected, X_rejected], ignore_index=True)
        y_rej = np.r_[np.ones(n_rej, dtype=np.int8), np.zeros(n_rej, dtype=np.int8)]
        w_rej = reject_weight * np.r_[q, 1.0 - q]
        inferred = float(q.mean())

    X = pd.concat([X_accepted, X_rej], ignore_index=True)
    out_y = pd.Series(np.r_[y.astype(np.int8), y_rej], name="bad", dtype=np.int8)
    weight = np.r_[np.ones(len(X_accepted)), w_rej]
    source = np.r_[np.full(len(X_accepted), "accepted", dtype=object), np.full(len(X_rej), "rejected", dtype=object)]
    n_acc = len(X_accepted)
    ttd = (y.sum() + inferred * n_rej) / (n_acc + n_rej)
    logger.info("reject inference (%s): accepted bad rate %.4f, inferred reject bad rate %.4f, through-the-door %.4f",
                method, y.mean(), inferred, ttd)
    return AugmentedSample(X, out_y, weight, source, method, float(ttd), inferred, float(y.mean()))
