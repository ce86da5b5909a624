"""Score bands: cut one model's score into ordered risk bands (:class:`ScoreBands`).

A band is an interval of a model's score. Bands are fitted once on a
development sample -- at quantiles of the score, or at cut-offs the analyst
gives -- and then applied unchanged to every later sample, so that a cell of
a cross matrix means the same applicants in development, simulation and
production.

Conventions
-----------
- Band ``0`` is the **safest**; the band index grows with risk, whatever the
  direction of the score. ``higher_is_safer=True`` suits scorecard points
  (higher = lower risk); ``False`` suits probabilities of default.
- Cut-offs ``c_1 < ... < c_{k-1}`` are kept in the score's own scale. The
  score intervals are left-closed: ``(-inf, c_1), [c_1, c_2), ...,
  [c_{k-1}, +inf)``; a score equal to a cut-off belongs to the interval
  above it.
- A missing or non-finite score gets band ``-1`` (:data:`MISSING_BAND`),
  never a real band: policies give it their documented safe decision.
- Quantile cut-offs that coincide (a discrete score with many ties) are
  merged, so fewer bands than asked may result; a
  :class:`~scorecard.errors.ScorecardWarning` says so.

Example
-------
>>> import numpy as np
>>> from scorecard.strategy import ScoreBands
>>> scores = np.arange(100.0)
>>> bands = ScoreBands(n_bands=4).fit(scores)
>>> bands.cutoffs_.tolist()
[24.75, 49.5, 74.25]
>>> bands.transform([99.0, 0.0, np.nan]).tolist()
[0, 3, -1]
>>> bands.labels_
['A', 'B', 'C', 'D']
"""

from __future__ import annotations

import logging
import string
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from scorecard.errors import DataError, NotFittedError, ScorecardWarning, SpecError
from scorecard.errors import preview as _preview  # data values in messages are masked
from scorecard.strategy._common import MISSING_BAND, dump_json, read_json, wilson_interval

__all__ = ["ScoreBands", "MISSING_BAND", "SPEC_VERSION"]

logger = logging.getLogger(__name__)

SPEC_VERSION = 1


def _default_labels(k: int) -> list[str]:
    if k <= 26:
        return list(string.ascii_uppercase[:k])
    width = len(str(k))
    return [f"B{i + 1:0{width}d}" for i in range(k)]


def _as_scores(scores: Any, what: str = "scores") -> np.ndarray:
    if isinstance(scores, pd.DataFrame):
        if scores.shape[1] != 1:
            raise DataError(f"{what} must be one column of scores, got a frame with {scores.shape[1]} columns")
        scores = scores.iloc[:, 0]
    if isinstance(scores, pd.Series):
        if not (pd.api.types.is_numeric_dtype(scores.dtype) or pd.api.types.is_bool_dtype(scores.dtype)):
            conv = pd.to_numeric(scores, errors="coerce")
            bad = conv.isna() & scores.notna()
            if bad.any():
                raise DataError(
                    f"{what} {scores.name!r} holds non-numeric values, e.g. {', '.join(_preview(v) for v in sorted(map(str, scores[bad].unique()[:3])))}"
                )
            scores = conv
        return scores.to_numpy(dtype=float, na_value=np.nan)
    arr = np.asarray(scores)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise DataError(f"{what} must be 1-dimensional, got shape {arr.shape}")
    try:
        return arr.astype(float)
    except (TypeError, ValueError):
        raise DataError(f"{what} must be numeric; got dtype {arr.dtype}") from None


class ScoreBands:
    """Ordered risk bands of one model's score, fitted on a development sample.

    Parameters
    ----------
    n_bands : int, default 5
        Bands to cut at quantiles of the development scores (ignored when
        ``cutoffs`` is given).
    cutoffs : sequence of float, optional
        Cut-offs in the score's scale (any order; sorted and checked for
        duplicates). Given cut-offs are used as they are.
    higher_is_safer : bool, default True
        True for points (higher = lower risk), False for a probability of
        default. Band 0 is always the safest.
    labels : sequence of str, optional
        One label per band, safest first; default ``A, B, C, ...``.
    name : str, optional
        The model's name (used in tables and reason codes).

    Attributes
    ----------
    cutoffs_ : ndarray
        Ascending cut-offs in the score's scale (``n_bands_ - 1`` of them).
    n_bands_ : int
    labels_ : list of str
    table_ : pandas.DataFrame or None
        Per band of the development sample: score range, count, share and,
        when ``y`` was given at fit, bads and bad rate.

    Examples
    --------
    >>> b = ScoreBands(cutoffs=[0.05, 0.02, 0.10], higher_is_safer=False).fit()
    >>> b.transform([0.01, 0.02, 0.07, 0.5]).tolist()
    [0, 1, 2, 3]
    >>> ScoreBands.from_json(b.to_json()).transform([0.07]).tolist()
    [2]
    """

    def __init__(
        self,
        n_bands: int = 5,
        cutoffs: Sequence[float] | None = None,
        higher_is_safer: bool = True,
        labels: Sequence[str] | None = None,
        name: str | None = None,
    ) -> None:
        self.n_bands = n_bands
        self.cutoffs = cutoffs
        self.higher_is_safer = higher_is_safer
        self.labels = labels
        self.name = name

    # -- fit -----------------------------------------------------------------
    def fit(self, scores: Any = None, y: Any = None) -> ScoreBands:
        """Fix the cut-offs: given ones, or quantiles of ``scores``.

        Parameters
        ----------
        scores : array-like of float, optional
            Development scores (required unless ``cutoffs`` was given).
            Missing values are ignored.
        y : array-like of 0/1, optional
            Target (1 = bad) for the development table ``table_``.

        Returns
        -------
        self
        """
        if self.cutoffs is not None:
            cuts = np.asarray(list(self.cutoffs), dtype=float)
            if cuts.ndim != 1 or not np.isfinite(cuts).all():
                raise DataError(f"cutoffs must be finite numbers, got {list(self.cutoffs)!r}")
            cuts = np.sort(cuts)
            if np.any(np.diff(cuts) == 0):
                raise DataError(f"cutoffs of model {self.name!r} repeat a value: {cuts.tolist()}")
        else:
            if scores is None:
                raise DataError("ScoreBands.fit needs the development scores when no cutoffs are given")
            k = int(self.n_bands)
            if k < 1:
                raise DataError(f"n_bands must be >= 1, got {self.n_bands!r}")
            s = _as_scores(scores)
            s = s[np.isfinite(s)]
            if s.size == 0:
                raise DataError(f"no finite score to fit the bands of model {self.name!r} on")
            cuts = np.unique(np.quantile(s, np.arange(1, k) / k)) if k > 1 else np.empty(0)
            cuts = cuts[(cuts > s.min()) & (cuts <= s.max())]
            if cuts.size + 1 < k:
                warnings.warn(
                    f"model {self.name!r}: {k} bands asked, {cuts.size + 1} possible "
                    "(quantile cut-offs coincide on tied scores); the duplicates were merged",
                    ScorecardWarning,
                    stacklevel=2,
                )
        self.cutoffs_ = cuts
        self.n_bands_ = int(cuts.size + 1)
        if self.labels is not None:
            labels = [str(x) for x in self.labels]
            if len(labels) != self.n_bands_ or len(set(labels)) != len(labels):
                raise DataError(
                    f"labels must be {self.n_bands_} distinct strings (one per band) for model "
                    f"{self.name!r}, got {labels}"
                )
        else:
            labels = _default_labels(self.n_bands_)
        self.labels_ = labels
        self.table_ = self.table(scores, y) if scores is not None else None
        logger.debug("ScoreBands %r: %d bands, cutoffs %s", self.name, self.n_bands_, cuts.tolist())
        return self

    def _check(self) -> None:
        if not hasattr(self, "cutoffs_"):
            raise NotFittedError(
                f"this ScoreBands{'' if self.name is None else ' (' + repr(self.name) + ')'} is not "
                "fitted yet; call fit(scores) (or fit() with cutoffs) first"
            )

    # -- apply ---------------------------------------------------------------
    def transform(self, scores: Any) -> np.ndarray:
        """Band index per score: 0 = safest, ``n_bands_ - 1`` = riskiest, -1 = missing.

        Parameters
        ----------
        scores : array-like of float

        Returns
        -------
        ndarray of int64
        """
        self._check()
        s = _as_scores(scores)
        j = np.searchsorted(self.cutoffs_, s, side="right")
        band = (self.n_bands_ - 1 - j) if self.higher_is_safer else j
        return np.where(np.isfinite(s), band, MISSING_BAND).astype(np.int64)

    def fit_transform(self, scores: Any, y: Any = None) -> np.ndarray:
        """:meth:`fit` then :meth:`transform` the same scores."""
        return self.fit(scores, y).transform(scores)

    def label(self, band: Any) -> np.ndarray:
        """Band labels for band indices (``"missing"`` for -1)."""
        self._check()
        idx = np.asarray(band, dtype=np.int64)
        lab = np.array([*self.labels_, "missing"], dtype=object)
        return lab[np.where(idx < 0, self.n_bands_, idx)]

    def ranges(self) -> pd.DataFrame:
        """Score interval of each band: ``band``, ``label``, ``low`` (closed), ``high`` (open)."""
        self._check()
        edges = np.r_[-np.inf, self.cutoffs_, np.inf]
        lows, highs = edges[:-1], edges[1:]
        if self.higher_is_safer:
            lows, highs = lows[::-1], highs[::-1]
        return pd.DataFrame(
            {"band": np.arange(self.n_bands_), "label": self.labels_, "low": lows, "high": highs}
        )

    def table(self, scores: Any, y: Any = None, alpha: float = 0.05) -> pd.DataFrame:
        """Per band of a sample: range, count, share and (with ``y``) bads, bad rate and its Wilson CI.

        The last row (``label == "missing"``) counts missing scores.
        """
        self._check()
        band = self.transform(scores)
        slot = np.where(band < 0, self.n_bands_, band)
        count = np.bincount(slot, minlength=self.n_bands_ + 1)
        out = pd.concat(
            [self.ranges(), pd.DataFrame({"band": [MISSING_BAND], "label": ["missing"], "low": [np.nan], "high": [np.nan]})],
            ignore_index=True,
        )
        out["count"] = count
        out["share"] = count / max(count.sum(), 1)
        if y is not None:
            from scorecard._validation import check_target

            t = check_target(y, n_rows=band.size)
            bads = np.bincount(slot, weights=t, minlength=self.n_bands_ + 1).astype(np.int64)
            out["bads"] = bads
            with np.errstate(invalid="ignore", divide="ignore"):
                out["bad_rate"] = np.where(count > 0, bads / np.maximum(count, 1), np.nan)
            out["ci_low"], out["ci_high"] = wilson_interval(bads, count, alpha)
        return out

    # -- JSON ----------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready description (what scoring needs; no sample data)."""
        self._check()
        return {
            "spec": "scorecard.strategy.ScoreBands",
            "version": SPEC_VERSION,
            "name": self.name,
            "higher_is_safer": bool(self.higher_is_safer),
            "cutoffs": [float(c) for c in self.cutoffs_],
            "labels": list(self.labels_),
        }

    def to_json(self, path: str | None = None, *, indent: int | None = 2) -> str:
        """The bands as JSON text (also written to ``path`` when given)."""
        return dump_json(self.to_dict(), path, indent)

    @classmethod
    def from_dict(cls, spec: Any) -> ScoreBands:
        """Rebuild fitted bands from :meth:`to_dict` / :meth:`to_json` output (dict, text or path)."""
        from scorecard.spec import load

        d = load(spec, "scorecard.strategy.ScoreBands")
        try:
            cuts = [float(c) for c in d["cutoffs"]]
            b = cls(cutoffs=cuts, higher_is_safer=bool(d["higher_is_safer"]), labels=d["labels"], name=d.get("name"))
            b.fit()
        except KeyError as exc:
            raise SpecError(f"ScoreBands spec of {d.get('name')!r} lacks the field {exc}") from None
        except DataError as exc:
            raise SpecError(f"ScoreBands spec of {d.get('name')!r} is invalid: {exc}") from None
        return b

    from_json = from_dict

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ScoreBands):
            return NotImplemented
        if not (hasattr(self, "cutoffs_") and hasattr(other, "cutoffs_")):
            return self is other
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        if hasattr(self, "cutoffs_"):
            return (
                f"ScoreBands(name={self.name!r}, n_bands={self.n_bands_}, "
                f"cutoffs={[round(float(c), 6) for c in self.cutoffs_]}, higher_is_safer={self.higher_is_safer})"
            )
        return f"ScoreBands(name={self.name!r}, n_bands={self.n_bands}, cutoffs={self.cutoffs})"
