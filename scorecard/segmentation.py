"""Segmented scorecards: one scorecard per segment, routed by a column, exported as one model.

Lenders often build separate scorecards for thin and thick bureau files or per
acquisition channel. :class:`SegmentedScorecard` fits one
:class:`~scorecard.model.LogisticScorecard` (or any given scorecard estimator) per
value of a segment column and routes every row to its segment's scorecard at
scoring time. Rows whose segment is missing or was not seen in training go to
``default_segment`` (by default the largest segment) and are counted in a
:class:`~scorecard.errors.FallbackWarning`; rows are never dropped or reordered.

It exports as one model: a JSON spec holding every segment's scorecard spec, one
SQL query (each segment's scorecard SQL over its rows, ``UNION ALL``), and a
record scorer built from the compiled scorers; all give the same integer points as
:meth:`SegmentedScorecard.predict_points` (tested).

:func:`compare_segmentation` answers the modeller's question "does segmenting
beat one pooled model?" on a hold-out: AUC per segment and overall for both, with
DeLong's test of the difference.

Example
-------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> X = pd.DataFrame({"x": rng.normal(size=1200), "seg": np.repeat(["a", "b"], 600)})
>>> y = pd.Series((rng.random(1200) < 1 / (1 + np.exp(2 - X["x"]))).astype(int))
>>> from scorecard.segmentation import SegmentedScorecard
>>> seg = SegmentedScorecard("seg").fit(X, y)
>>> sorted(seg.models_)
['a', 'b']
>>> seg.predict_points(X.iloc[[0, 900]])["segment"].tolist()
['a', 'b']
"""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted

from scorecard.errors import DataError, FallbackWarning, MissingColumnError, SpecError

__all__ = ["SegmentedScorecard", "compare_segmentation"]

logger = logging.getLogger(__name__)

SPEC_KIND = "scorecard.SegmentedScorecard"
SPEC_VERSION = 1


def _segment_keys(values: pd.Series) -> np.ndarray:
    """Segment labels as text (missing -> None)."""
    out = values.astype("object").to_numpy(copy=True)
    miss = pd.isna(out)
    out[~miss] = [str(v) for v in out[~miss]]
    out[miss] = None
    return out


class SegmentedScorecard(ClassifierMixin, BaseEstimator):
    """One scorecard per segment, routed by ``segment``.

    Parameters
    ----------
    segment : str
        Column naming each row's segment (it is not a model feature).
    estimator : estimator, optional
        The scorecard fitted per segment (cloned); default ``LogisticScorecard()``.
    default_segment : str, optional
        Segment that scores rows with a missing or unseen segment; default the
        segment with the most training rows.
    min_segment_rows : int, default 200
        Segments with fewer training rows (or a single class) are refused, naming
        the segment: merge them into another before fitting.

    Attributes
    ----------
    models_ : dict
        Segment -> fitted scorecard.
    segments_ : list of str
        Segments, sorted.
    default_segment_ : str
    classes_ : ndarray

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"x": rng.normal(size=1200), "seg": np.repeat(["a", "b"], 600)})
    >>> y = pd.Series((rng.random(1200) < 1 / (1 + np.exp(2 - X["x"]))).astype(int))
    >>> seg = SegmentedScorecard("seg", default_segment="b").fit(X, y)
    >>> seg.predict_proba(X.head(2)).shape
    (2, 2)
    """

    def __init__(self, segment: str, estimator: Any = None, *, default_segment: str | None = None,
                 min_segment_rows: int = 200) -> None:
        self.segment = segment
        self.estimator = estimator
        self.default_segment = default_segment
        self.min_segment_rows = min_segment_rows

    def _base(self) -> Any:
        if self.estimator is not None:
            return clone(self.estimator)
        from scorecard.model import LogisticScorecard

        return LogisticScorecard()

    def fit(self, X: pd.DataFrame, y: Any) -> SegmentedScorecard:
        """Fit one scorecard per segment on that segment's rows."""
        if not isinstance(X, pd.DataFrame):
            raise DataError(f"X must be a pandas DataFrame holding the segment column, got {type(X).__name__}")
        if self.segment not in X.columns:
            raise MissingColumnError(f"X has no segment column {self.segment!r}")
        if isinstance(y, pd.Series) and not y.index.equals(X.index):
            if len(y) != len(X) or not y.index.sort_values().equals(X.index.sort_values()):
                raise DataError("y's index does not match X's: align them (the labels would be used by position)")
            y = y.reindex(X.index)
        y_arr = np.asarray(y)
        if y_arr.shape[0] != len(X):
            raise DataError(f"y has {y_arr.shape[0]} rows, X has {len(X)}")
        keys = _segment_keys(X[self.segment])
        if pd.isna(keys).any():
            raise DataError(f"segment column {self.segment!r} has {int(pd.isna(keys).sum())} missing value(s) in training: fill or drop them")
        features = X.drop(columns=[self.segment])
        models, sizes = {}, {}
        for s in sorted(set(keys)):
            rows = keys == s
            ys = y_arr[rows]
            if rows.sum() < self.min_segment_rows:
                raise DataError(f"segment {s!r} has {int(rows.sum())} training rows (< min_segment_rows={self.min_segment_rows}): merge it into another segment")
            if np.unique(ys).size < 2:
                raise DataError(f"segment {s!r} has a single target class in training: merge it into another segment")
            logger.info("fitting segment %r on %d rows", s, int(rows.sum()))
            models[s] = self._base().fit(features[rows], ys)
            sizes[s] = int(rows.sum())
        default = self.default_segment if self.default_segment is not None else max(sizes, key=lambda k: (sizes[k], k))
        if default not in models:
            raise DataError(f"default_segment {default!r} is not a training segment ({sorted(models)})")
        self.models_ = models
        self.segments_ = sorted(models)
        self.default_segment_ = str(default)
        self.segment_rows_ = sizes
        self.classes_ = np.array([0, 1])
        self.n_features_in_ = X.shape[1]
        return self

    # -- routing -------------------------------------------------------------
    def route(self, X: pd.DataFrame) -> np.ndarray:
        """The segment that scores each row (missing or unseen segments -> ``default_segment_``).

        Examples
        --------
        >>> import pandas as pd
        >>> import numpy as np, pandas as pd
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"x": rng.normal(size=1200), "seg": np.repeat(["a", "b"], 600)})
        >>> y = pd.Series((rng.random(1200) < 1 / (1 + np.exp(2 - X["x"]))).astype(int))
        >>> seg = SegmentedScorecard("seg", default_segment="a").fit(X, y)
        >>> seg.route(pd.DataFrame({"seg": ["b", None, "c"]})).tolist()
        ['b', 'a', 'a']
        """
        check_is_fitted(self, "models_")
        if self.segment not in X.columns:
            raise MissingColumnError(f"X has no segment column {self.segment!r}")
        keys = _segment_keys(X[self.segment])
        known = np.isin(keys, np.array(self.segments_, dtype=object))
        n = int((~known).sum())
        if n:
            warnings.warn(
                f"{n} row(s) had a missing or unseen segment in {self.segment!r} and were scored by "
                f"segment {self.default_segment_!r}",
                FallbackWarning,
                stacklevel=3,
            )
        keys[~known] = self.default_segment_
        return keys

    def _by_segment(self, X: pd.DataFrame, fn: Any) -> list[tuple[np.ndarray, Any]]:
        keys = self.route(X)
        out = []
        for s in self.segments_:
            rows = np.flatnonzero(keys == s)
            if rows.size:
                out.append((rows, fn(self.models_[s], X.iloc[rows])))
        return out

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Probabilities ``[good, bad]`` per row, each from its segment's scorecard."""
        out = np.full((len(X), 2), np.nan)
        for rows, p in self._by_segment(X, lambda m, part: m.predict_proba(part)):
            out[rows] = p
        return out

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """Class labels at probability 0.5."""
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)

    def decision_function(self, X: pd.DataFrame) -> np.ndarray:
        """Log-odds of bad per row."""
        p = self.predict_proba(X)[:, 1]
        return np.log(p / (1 - p))

    def predict_points(self, X: pd.DataFrame) -> pd.DataFrame:
        """Integer ``total`` points per row and the ``segment`` that scored it (rows kept in order).

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"x": rng.normal(size=1200), "seg": np.repeat(["a", "b"], 600)})
        >>> y = pd.Series((rng.random(1200) < 1 / (1 + np.exp(2 - X["x"]))).astype(int))
        >>> seg = SegmentedScorecard("seg").fit(X, y)
        >>> list(seg.predict_points(X.head(2)).columns)
        ['segment', 'total']
        """
        keys = self.route(X)
        total = np.zeros(len(X), dtype=np.int64)
        for s in self.segments_:
            rows = np.flatnonzero(keys == s)
            if rows.size:
                total[rows] = self.models_[s].predict_points(X.iloc[rows])["total"].to_numpy(dtype=np.int64)
        index = X.index if isinstance(X, pd.DataFrame) else None
        return pd.DataFrame({"segment": keys, "total": total}, index=index)

    # -- exports -------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready spec: segment column, default segment and every segment's scorecard spec."""
        check_is_fitted(self, "models_")
        return {
            "spec": SPEC_KIND,
            "version": SPEC_VERSION,
            "segment": self.segment,
            "default_segment": self.default_segment_,
            "segments": {s: json.loads(self.models_[s].to_json()) for s in self.segments_},
        }

    def to_json(self, path: str | None = None, *, indent: int | None = 2) -> str:
        """The spec as JSON text (sorted keys: same model, same bytes), optionally written to ``path``."""
        text = json.dumps(self.to_dict(), indent=indent, sort_keys=True, allow_nan=False)
        if path is not None:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
        return text

    @classmethod
    def from_json(cls, spec: str | Mapping[str, Any]) -> SegmentedScorecard:
        """Rebuild a fitted segmented scorecard from :meth:`to_json` output (text, dict or file path).

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"x": rng.normal(size=1200), "seg": np.repeat(["a", "b"], 600)})
        >>> y = pd.Series((rng.random(1200) < 1 / (1 + np.exp(2 - X["x"]))).astype(int))
        >>> seg = SegmentedScorecard("seg").fit(X, y)
        >>> SegmentedScorecard.from_json(seg.to_json()).to_json() == seg.to_json()
        True
        """
        from scorecard.model import LogisticScorecard
        from scorecard.spec import load

        spec = load(spec, SPEC_KIND)  # validated: every segment's scorecard spec too
        segs, seg_col, default = spec["segments"], spec["segment"], spec["default_segment"]
        self = cls(seg_col, default_segment=default)
        self.models_ = {}
        for s, sub in segs.items():
            try:
                self.models_[str(s)] = LogisticScorecard.from_json(dict(sub))
            except SpecError as exc:
                raise SpecError(f"segments.{s}: {exc}") from None
        self.segments_ = sorted(self.models_)
        self.default_segment_ = str(default)
        self.segment_rows_ = {}
        self.classes_ = np.array([0, 1])
        return self

    def to_sql(self, dialect: str = "duckdb", table: str = "applications", *, keys: list[str] | tuple[str, ...]) -> str:
        """One SQL query: each segment's scorecard SQL over its rows, ``UNION ALL``.

        Output columns: the ``keys``, ``segment``, ``points`` and ``proba_bad``; every
        input row appears once (missing or unseen segments are scored by the
        default segment). SQL results have no row order: join on ``keys``.

        Examples
        --------
        >>> import duckdb
        >>> import numpy as np, pandas as pd
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"x": rng.normal(size=1200), "seg": np.repeat(["a", "b"], 600)})
        >>> y = pd.Series((rng.random(1200) < 1 / (1 + np.exp(2 - X["x"]))).astype(int))
        >>> seg = SegmentedScorecard("seg").fit(X, y)
        >>> apps = X.assign(id=range(len(X))).head(50)
        >>> out = duckdb.sql(seg.to_sql("duckdb", "apps", keys=["id"])).df()
        >>> len(out)
        50
        """
        from scorecard.export import to_sql
        from scorecard.sql import quote

        check_is_fitted(self, "models_")
        if not keys:
            raise DataError("keys= must name the column(s) that identify a row: a UNION ALL has no row order")
        col = quote(self.segment, dialect)
        listed = ", ".join("'" + s.replace("'", "''") + "'" for s in self.segments_)
        parts = []
        for s in self.segments_:
            lit = "'" + s.replace("'", "''") + "'"
            where = f"CAST({col} AS STRING) = {lit}" if dialect == "spark" else f"CAST({col} AS VARCHAR) = {lit}"
            if s == self.default_segment_:
                cast = f"CAST({col} AS STRING)" if dialect == "spark" else f"CAST({col} AS VARCHAR)"
                where = f"({where} OR {col} IS NULL OR {cast} NOT IN ({listed}))"
            sub = f"(SELECT * FROM {table} WHERE {where}) AS seg_rows"
            inner = to_sql(self.models_[s], dialect, sub, keys=list(keys))
            key_cols = ", ".join(quote(k, dialect) for k in keys)
            parts.append(f"SELECT {key_cols}, {lit} AS {quote('segment', dialect)}, "
                         f"{quote('points', dialect)}, {quote('proba_bad', dialect)} FROM (\n{inner}\n) AS seg_{len(parts)}")
        return "\nUNION ALL\n".join(parts)

    def score_record(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """Score one application given as a dict, through its segment's compiled scorer.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"x": rng.normal(size=1200), "seg": np.repeat(["a", "b"], 600)})
        >>> y = pd.Series((rng.random(1200) < 1 / (1 + np.exp(2 - X["x"]))).astype(int))
        >>> seg = SegmentedScorecard("seg").fit(X, y)
        >>> r = seg.score_record({"x": 0.5, "seg": "b"})
        >>> r["points"] == int(seg.predict_points(pd.DataFrame({"x": [0.5], "seg": ["b"]}))["total"].iloc[0])
        True
        """
        check_is_fitted(self, "models_")
        if not hasattr(self, "_scorers"):
            from scorecard.export import CompiledScorer

            self._scorers = {s: CompiledScorer.from_model(m) for s, m in self.models_.items()}
        raw = record.get(self.segment)
        key = None if raw is None or (isinstance(raw, float) and np.isnan(raw)) else str(raw)
        if key not in self._scorers:
            key = self.default_segment_
        out = dict(self._scorers[key].score_record(record))
        out["segment"] = key
        return out

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags


def compare_segmentation(
    segmented: SegmentedScorecard,
    pooled: Any,
    X: pd.DataFrame,
    y: Any,
    *,
    level: float = 0.95,
) -> pd.DataFrame:
    """AUC per segment and overall for a segmented and a pooled model on the same hold-out, with DeLong's test.

    Parameters
    ----------
    segmented : SegmentedScorecard
        Fitted.
    pooled : fitted classifier
        One model for every segment (``predict_proba``); it is given ``X`` without
        the segment column unless it was fitted with it.
    X, y : hold-out rows (with the segment column) and their target.
    level : float, default 0.95

    Returns
    -------
    DataFrame
        One row per segment and ``all``: rows, bads, ``auc_pooled``, ``auc_segmented``,
        ``difference`` (segmented - pooled), its ``ci_low`` / ``ci_high`` and ``p_value``.

    Examples
    --------
    >>> from scorecard import LogisticScorecard
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"x": rng.normal(size=1200), "seg": np.repeat(["a", "b"], 600)})
    >>> y = pd.Series((rng.random(1200) < 1 / (1 + np.exp(2 - X["x"]))).astype(int))
    >>> seg = SegmentedScorecard("seg").fit(X, y)
    >>> pooled = LogisticScorecard().fit(X[["x"]], y)
    >>> list(compare_segmentation(seg, pooled, X, y).index)
    ['a', 'b', 'all']
    """
    from scorecard.compare import delong_test

    check_is_fitted(segmented, "models_")
    y_arr = np.asarray(y, dtype=float)
    feats_pooled = getattr(pooled, "feature_names_in_", None)
    Xp = X if feats_pooled is not None and segmented.segment in list(feats_pooled) else X.drop(columns=[segmented.segment])
    p_pooled = pooled.predict_proba(Xp)[:, 1]
    p_seg = segmented.predict_proba(X)[:, 1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FallbackWarning)
        keys = segmented.route(X)
    rows = []
    groups = [(s, keys == s) for s in segmented.segments_] + [("all", np.ones(len(X), dtype=bool))]
    for name, m in groups:
        yy = y_arr[m]
        rec: dict[str, Any] = {"rows": int(m.sum()), "bads": int(yy.sum())}
        if m.sum() and 0 < yy.sum() < m.sum():
            r = delong_test(yy, p_seg[m], p_pooled[m], level=level)
            rec.update(auc_pooled=r.auc_b, auc_segmented=r.auc_a, difference=r.difference,
                       ci_low=r.ci_low, ci_high=r.ci_high, p_value=r.p_value)
        else:
            rec.update(auc_pooled=np.nan, auc_segmented=np.nan, difference=np.nan, ci_low=np.nan, ci_high=np.nan, p_value=np.nan)
        rows.append(rec)
    out = pd.DataFrame(rows, index=pd.Index([g[0] for g in groups], name="segment"))
    return out
