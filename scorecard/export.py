"""Export: champions as MLflow pyfuncs, as SQL, as JSON; and the parity check across all of them.

What it holds
-------------
- :class:`CompiledScorer`: the scoring engine of an exported model, built
  from the JSON spec alone (a :class:`~scorecard.model.LogisticScorecard`
  spec, or a :class:`~scorecard.challenger.GBMChallenger` description whose
  model is LightGBM's native model file). ``predict(frame)`` returns one row
  per input row: the key columns, ``points`` (integer score points, higher =
  lower risk), ``proba_bad``, ``n_fallback`` (how many of the row's values
  had no bin or category of their own and were scored at the documented
  fallback) and ``reason_1`` ... ``reason_n`` (adverse-action reason codes,
  best first; None when the row loses nothing on more features). Scores are
  identical to the in-memory model's ``predict_points`` /
  ``predict_proba`` and reasons to :func:`scorecard.explain.reason_codes`
  (tested); tables are precomputed once, so one row costs tens of
  microseconds. A batch runs through compiled kernels
  (``scorecard._kernels``, numba): every column becomes one byte per row,
  its bin, in one pass, then points and the logit are summed from
  per-feature tables (about 0.06 microseconds per row for 15 features on
  one core, ``bench/scoring.py``); ``engine="numpy"`` is the vectorised
  reference path, identical to the last bit (tested).
- :func:`to_pyfunc`: save a fitted scorecard or challenger as an MLflow
  pyfunc whose ``loader_module`` is the installed ``scorecard._pyfunc_model``:
  the folder holds JSON (and, for a challenger, ``challenger.txt``,
  LightGBM's native model file) and no code, so loading it from a shared
  store runs only the installed package (:func:`load_pyfunc` also verifies
  the folder first). No training object is pickled: loading needs neither optbinning nor the
  training pipeline (tested in a process where optbinning cannot be
  imported). The signature lists the model's columns as optional columns of
  MLflow type ``Any`` so that the model, not MLflow's schema check, answers
  bad input with a clear error (see *Bad input* below); the input example is
  five rows of the model's own columns, checked by
  :func:`scorecard.privacy.guard`.
- :func:`to_sql`: the scorecard as one ``SELECT`` over a table, for DuckDB
  or Spark SQL: a ``CASE`` expression per feature for its points and its
  WOE, the total ``points`` and ``proba_bad``. Built on
  :func:`scorecard.sql.bin_case` (the same bins, special codes, missing and
  fallback rules as ``WOEBinner.transform``).
- :func:`to_json`: the JSON spec itself.
- :func:`parity_check`: in memory, JSON reload, pyfunc in this process,
  pyfunc in a fresh process (optbinning blocked), SQL in DuckDB and SQL in
  Spark: identical integer points, probabilities within ``1e-9``.

Bad input (the serving contract)
--------------------------------
- a model column absent: :class:`~scorecard.errors.MissingColumnError`
  naming the columns; through the REST server, HTTP 400 with that message;
- a numeric column holding text that is not a number:
  :class:`~scorecard.errors.DataError` naming the column (HTTP 400);
- an unseen category, ``+-inf``, a missing value or special code that had
  no training rows: the feature's fallback bin (by default its riskiest),
  counted in ``n_fallback`` of that row (never dropped, never NaN);
- an empty frame: an empty result with the output columns (HTTP 200,
  ``{"predictions": []}``); an empty or malformed body: HTTP 400 from MLflow.

Example
-------
>>> from scorecard import LogisticScorecard
>>> from scorecard.datasets import load_german_credit
>>> X, y = load_german_credit()
>>> model = LogisticScorecard().fit(X, y)
>>> out = CompiledScorer.from_model(model).predict(X.head(3))
>>> list(out.columns[:3])
['points', 'proba_bad', 'n_fallback']
>>> bool((out["points"].to_numpy() == model.predict_points(X.head(3))["total"].to_numpy()).all())
True
>>> "CASE" in to_sql(model, dialect="duckdb", table="applications")
True
"""

from __future__ import annotations

import bisect
import json
import logging
import math
import os
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scorecard import spec as _spec
from scorecard._base import model_kind
from scorecard.errors import DataError, FallbackWarning, MissingColumnError, SpecError

__all__ = [
    "CompiledScorer",
    "to_pyfunc",
    "to_sql",
    "to_json",
    "load_pyfunc",
    "parity_check",
    "model_signature",
    "SPEC_FILE",
    "CHALLENGER_MODEL_FILE",
]

logger = logging.getLogger(__name__)

SPEC_FILE = "export_spec.json"
"""Artifact of every exported pyfunc: the model spec plus the export settings."""
CHALLENGER_MODEL_FILE = "challenger.txt"
"""Artifact of an exported challenger: LightGBM's native model file."""
_LOADER_MODULE = "scorecard._pyfunc_model"  # = scorecard._pyfunc_model.LOADER_MODULE
_EXPORT_VERSION = _spec.SPEC_VERSIONS["scorecard.export"]
_FAST_ROWS = 4  # at most this many rows: the scalar path (one row costs tens of microseconds)
_ENGINES = ("auto", "numba", "numpy")
_TOP = "top"  # marks reasons already reduced to each row's smallest ranks



def _round_half_up(x: Any) -> np.ndarray:
    return np.floor(np.asarray(x, dtype=float) + 0.5).astype(np.int64)


def _model_kind(model: Any) -> str:
    """"scorecard" or "challenger" (the model-kind interface, :func:`scorecard._base.model_kind`)."""
    return model_kind(
        model, ("scorecard", "challenger"),
        refuse="export takes a fitted LogisticScorecard or GBMChallenger", before="exporting it",
    )


# --------------------------------------------------------------------------- #
# the export spec
# --------------------------------------------------------------------------- #
def _reason_codes_of(model: Any) -> dict[str, str]:
    from scorecard.explain import reason_code_table

    t = reason_code_table(model)
    return {str(r.feature): str(r.code) for r in t.drop_duplicates("feature").itertuples(index=False)}


def export_spec(
    model: Any,
    *,
    keys: Sequence[str] = (),
    n_reasons: int = 4,
    pdo: float = 20.0,
    base_score: float = 600.0,
    base_odds: float = 50.0,
) -> dict[str, Any]:
    """The JSON document an exported pyfunc is rebuilt from.

    ``{"spec": "scorecard.export", "kind": "scorecard" | "challenger",
    "model": <the model's JSON spec>, "keys": [...], "n_reasons": 4,
    "reason_codes": {feature: code}, "scaling": {...}}``. A challenger's
    ``model`` has its LightGBM model string removed (it travels as
    :data:`CHALLENGER_MODEL_FILE`); scorecard points come from the model's
    own scaling, a challenger's from ``pdo``, ``base_score``, ``base_odds``.
    """
    kind = _model_kind(model)
    if isinstance(n_reasons, bool) or not isinstance(n_reasons, (int, np.integer)) or n_reasons < 0:
        raise ValueError(f"n_reasons must be an integer >= 0, got {n_reasons!r}")
    if kind == "scorecard":
        spec = json.loads(model.to_json(indent=None))
        scaling = {"factor": float(model.factor_), "offset": float(model.offset_)}
    else:
        spec = model.to_dict()
        spec.pop("model")
        factor = float(pdo) / math.log(2.0)
        scaling = {"factor": factor, "offset": float(base_score) - factor * math.log(float(base_odds)),
                   "pdo": float(pdo), "base_score": float(base_score), "base_odds": float(base_odds)}
    return {
        "spec": "scorecard.export",
        "version": _EXPORT_VERSION,
        "kind": kind,
        "model": spec,
        "keys": [str(k) for k in keys],
        "n_reasons": int(n_reasons),
        "reason_codes": _reason_codes_of(model) if n_reasons else {},
        "scaling": scaling,
    }


# --------------------------------------------------------------------------- #
# the compiled scorer
# --------------------------------------------------------------------------- #
def _is_missing(v: Any) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v)


class _NumericFeature:
    """Scalar binning of one numeric feature, identical to ``_FeatureBins.assign``."""

    __slots__ = ("splits", "specials", "missing", "fallback", "empty")

    def __init__(self, fb: Any) -> None:
        counts = np.asarray(fb.good) + np.asarray(fb.bad)
        self.splits = [float(s) for s in fb.splits]
        self.specials = {float(c): fb.n_regular + j for j, c in reversed(list(enumerate(fb.specials)))}
        self.missing = fb.missing_index
        self.fallback = fb.fallback_index
        self.empty = [bool(c == 0) for c in counts]

    def index(self, v: Any) -> tuple[int, bool]:
        x = float(v)
        if x != x:
            i = self.missing
        elif x in self.specials:
            i = self.specials[x]
        elif x in (math.inf, -math.inf):
            return self.fallback, True
        else:
            i = bisect.bisect_right(self.splits, x)
        if self.empty[i]:
            return self.fallback, True
        return i, False


class _CategoricalFeature:
    """Scalar binning of one categorical feature, identical to ``_FeatureBins.assign``."""

    __slots__ = ("lookup", "missing", "fallback", "empty")

    def __init__(self, fb: Any) -> None:
        from scorecard.counts import category_key

        counts = np.asarray(fb.good) + np.asarray(fb.bad)
        self.lookup = {c: i for i, grp in enumerate(fb.groups) for c in grp}
        for j, code in enumerate(fb.specials):
            self.lookup[category_key(code)] = fb.n_regular + j
        self.missing = fb.missing_index
        self.fallback = fb.fallback_index
        self.empty = [bool(c == 0) for c in counts]

    def index(self, key: str | None) -> tuple[int, bool]:
        i = self.missing if key is None else self.lookup.get(key, -1)
        if i < 0 or self.empty[i]:
            return self.fallback, True
        return i, False


def _plain(v: Any) -> Any:
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    return v


def _numeric_key(v: Any) -> str | None:
    f = float(v)
    if f != f:
        return None
    return str(int(f)) if f.is_integer() else repr(f)


class CompiledScorer:
    """The scoring engine of an exported model, built from its export spec only.

    Parameters
    ----------
    spec : dict
        :func:`export_spec` output (or the ``export_spec.json`` of an exported pyfunc).
    booster_file : str or PathLike, optional
        A challenger's LightGBM model file (:data:`CHALLENGER_MODEL_FILE`).
    engine : {"auto", "numba", "numpy"}, default "auto"
        How a scorecard scores a batch (more than a few rows): "numba" runs
        compiled kernels (one pass per column over one-byte bin codes,
        compiled on first use and cached on disk), "numpy" the vectorised
        reference path, "auto" the kernels when numba is importable. Both
        give identical points, probabilities, fallbacks and reasons (tested).

    Attributes
    ----------
    kind : {"scorecard", "challenger"}
    features : list of str
        The columns the model reads.
    keys : list of str
        Columns copied through to the output when present.
    output_columns : list of str

    Example
    -------
    >>> from scorecard import LogisticScorecard
    >>> from scorecard.datasets import load_german_credit
    >>> X, y = load_german_credit()
    >>> scorer = CompiledScorer.from_model(LogisticScorecard().fit(X, y), n_reasons=2)
    >>> scorer.output_columns
    ['points', 'proba_bad', 'n_fallback', 'reason_1', 'reason_2']
    """

    def __init__(
        self,
        spec: Mapping[str, Any],
        booster_file: str | os.PathLike[str] | None = None,
        *,
        engine: str = "auto",
    ) -> None:
        if engine not in _ENGINES:
            raise ValueError(f"engine must be one of {_ENGINES}, got {engine!r}")
        self.engine = engine
        spec = _spec.load(spec, "scorecard.export")
        self.kind = str(spec["kind"])
        self.keys = [str(k) for k in spec.get("keys", [])]
        self.n_reasons = int(spec.get("n_reasons", 0))
        self._codes = dict(spec.get("reason_codes", {}))
        self.factor = float(spec["scaling"]["factor"])
        self.offset = float(spec["scaling"]["offset"])
        if self.kind == "scorecard":
            self._init_scorecard(spec["model"])
        elif self.kind == "challenger":
            if booster_file is None:
                raise SpecError("a challenger export needs its LightGBM model file (booster_file=...)")
            try:
                booster_text = Path(booster_file).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise SpecError(f"export spec: the challenger's LightGBM model file cannot be read ({exc})") from None
            self._init_challenger(dict(spec["model"]), booster_text)
        else:
            raise SpecError(f"unknown export kind {self.kind!r}")
        missing = [f for f in self.features if self.n_reasons and f not in self._codes]
        if missing:
            raise SpecError(f"the export spec has no reason code for features {missing}")
        self.output_columns = ["points", "proba_bad", "n_fallback"] + [f"reason_{k + 1}" for k in range(self.n_reasons)]

    # -- construction -------------------------------------------------------
    @classmethod
    def from_model(cls, model: Any, *, engine: str = "auto", **kwargs: Any) -> CompiledScorer:
        """Compile a fitted model (through its JSON spec, as an exported pyfunc does)."""
        spec = json.loads(json.dumps(export_spec(model, **kwargs)))
        if spec["kind"] == "challenger":
            with tempfile.TemporaryDirectory(prefix="scorecard-export-") as tmp:
                path = Path(tmp) / CHALLENGER_MODEL_FILE
                model.booster_.save_model(str(path))
                return cls(spec, path, engine=engine)
        return cls(spec, engine=engine)

    def _init_scorecard(self, model_spec: Mapping[str, Any]) -> None:
        from scorecard.model import LogisticScorecard

        model = LogisticScorecard.from_json(dict(model_spec))
        self.model = model
        self.features = list(model.features_)
        self._bins = [model.binner_.bins_[f] for f in self.features]
        raw = [model._points_per_bin(f) for f in self.features]
        self._points = [_round_half_up(r) for r in raw]
        self._points_raw = [np.asarray(r, dtype=float) for r in raw]
        self._woe = [np.asarray(fb.woe, dtype=float) for fb in self._bins]
        self._coef = [float(c) for c in model.coef_[0]]
        self._coef_arr = np.asarray(self._coef)
        self._contrib = [c * w for c, w in zip(self._coef, self._woe)]
        self._intercept = float(model.intercept_[0])
        self._scalar = [_NumericFeature(fb) if fb.kind == "numeric" else _CategoricalFeature(fb) for fb in self._bins]
        # reason codes: loss = best attainable points (bins with training rows) - the row's points
        self._ref = []
        self._ref_raw = []
        for fb, p, r in zip(self._bins, self._points, self._points_raw):
            seen = (np.asarray(fb.good) + np.asarray(fb.bad)) > 0
            self._ref.append(float(p[seen].max()))
            self._ref_raw.append(float(r[seen].max()))
        self._loss = [self._ref[j] - self._points[j].astype(float) for j in range(len(self.features))]
        self._tie = [self._ref_raw[j] - self._points_raw[j] for j in range(len(self.features))]
        self._code_arr = np.array([self._codes.get(f) for f in self.features] + [None], dtype=object)
        self._numeric_kind = [fb.kind == "numeric" for fb in self._bins]
        # one global rank per (feature, bin) in the reason order (loss desc, unrounded loss desc,
        # feature order): a row's reasons are its features sorted by rank (no per-row lexsort)
        cells = [(-self._loss[j][i], -self._tie[j][i], j, i) for j in range(len(self.features))
                 for i in range(len(self._loss[j]))]
        cells.sort()
        self._rank = [np.zeros(len(self._loss[j]), dtype=np.int32) for j in range(len(self.features))]
        for r, (_, _, j, i) in enumerate(cells):
            self._rank[j][i] = r
        self._rank_code = np.array([self._codes.get(self.features[j]) if -neg > 0 else None
                                    for neg, _, j, _ in cells] + [None], dtype=object)

    def _init_challenger(self, model_spec: dict[str, Any], booster_text: str) -> None:
        from scorecard.challenger import GBMChallenger

        model_spec["model"] = booster_text
        self.model = GBMChallenger.from_dict(model_spec)
        self.features = list(self.model.features_)
        self._code_arr = np.array([self._codes.get(f) for f in self.features] + [None], dtype=object)

    def warm_up(self) -> CompiledScorer:
        """Compile the batch kernels now rather than on the first batch (a no-op on the NumPy path).

        Numba compiles them once per machine (a few seconds) and caches them
        on disk; a warm start loads them in well under a second. The
        exported pyfunc calls this when it is loaded, so a served model's
        first request is as fast as the next.
        """
        if self.kind == "scorecard" and self._kernel_tables() is not None:
            from scorecard import _kernels

            _kernels.warm_up()
        return self

    # -- scoring -------------------------------------------------------------
    def _check(self, frame: Any) -> pd.DataFrame:
        if not isinstance(frame, pd.DataFrame):
            try:
                frame = pd.DataFrame(frame)
            except Exception as exc:
                raise DataError(f"the input must be a table with the columns {self.features}: {exc}") from None
        missing = [f for f in self.features if f not in frame.columns]
        if missing:
            raise MissingColumnError(
                f"the input lacks the model column(s) {missing}; send every column of {self.features} "
                "(null where a value is unknown: it scores in the feature's missing bin)"
            )
        return frame

    def predict(self, frame: Any, *, reasons: bool = True) -> pd.DataFrame:
        """Score a frame: keys, ``points``, ``proba_bad``, ``n_fallback``, ``reason_1..n``.

        Parameters
        ----------
        frame : DataFrame
            Raw applications (extra columns are ignored; rows are never dropped).
        reasons : bool, default True
            False skips the reason codes (faster in batch); their columns are then absent.

        Raises
        ------
        MissingColumnError
            A model column is absent.
        DataError
            A numeric column holds text that is not a number.
        """
        frame = self._check(frame)
        n = len(frame)
        if self.kind == "scorecard":
            if 0 < n <= _FAST_ROWS:
                points, z, nfb, loss, tie = self._score_rows(frame, reasons)
            else:
                points, z, nfb, loss, tie = self._score_batch(frame, reasons)
        else:
            points, z, nfb, loss, tie = self._score_challenger(frame, reasons)
        with np.errstate(over="ignore"):  # 1 / (1 + exp(-z)), in place: z is this call's own array
            proba = np.negative(z, out=z)
            np.exp(proba, out=proba)
            proba += 1.0
            np.reciprocal(proba, out=proba)
        out: dict[str, Any] = {}
        for k in self.keys:
            if k in frame.columns:
                out[k] = frame[k].to_numpy(copy=True)
        out["points"] = points
        out["proba_bad"] = proba
        out["n_fallback"] = nfb
        if reasons and self.n_reasons:
            top = self._top_reasons(loss, tie, n)
            for r in range(self.n_reasons):  # object dtype: None (JSON null) where a row has fewer reasons
                out[f"reason_{r + 1}"] = pd.Series(top[:, r], index=frame.index, dtype=object, copy=False)
        return pd.DataFrame(out, index=frame.index, copy=False)  # every array is this call's own

    def _index_scalar(self, j: int, v: Any, dkind: str) -> tuple[int, bool] | None:
        """Bin of one value of feature ``j`` (``dkind``: the column's dtype, "num", "bool" or "other").

        None when the value needs the exact coercion rules of the batch path (text in a numeric feature).
        """
        if self._numeric_kind[j]:
            if _is_missing(v):
                x = math.nan
            elif dkind != "other" or (isinstance(v, (int, float, np.integer, np.floating))
                                      and not isinstance(v, (bool, np.bool_))):
                x = float(v)
            else:
                return None
            return self._scalar[j].index(x)
        if _is_missing(v):
            return self._scalar[j].index(None)
        return self._scalar[j].index(_numeric_key(v) if dkind == "num" else str(v))

    def score_record(self, record: Mapping[str, Any], *, reasons: bool = True) -> dict[str, Any]:
        """Score one application given as a mapping column -> value (the fastest path: no pandas).

        Values are read as a one-row frame would hold them (numbers, text,
        booleans, None for missing); the result is the row of
        :meth:`predict` as a dict.

        Example
        -------
        >>> scorer.score_record({"age": 35, "housing": "rent", ...})  # doctest: +SKIP
        {'points': 612, 'proba_bad': 0.031, 'n_fallback': 0, 'reason_1': 'R07', ...}
        """
        if self.kind != "scorecard":
            out = self.predict(pd.DataFrame([dict(record)]), reasons=reasons)
            return {k: _plain(v) for k, v in out.iloc[0].items()}
        missing = [f for f in self.features if f not in record]
        if missing:
            raise MissingColumnError(
                f"the input lacks the model column(s) {missing}; send every column of {self.features} "
                "(null where a value is unknown: it scores in the feature's missing bin)"
            )
        points = 0
        z = self._intercept
        nfb = 0
        lost = []
        for j, f in enumerate(self.features):
            v = record[f]
            dkind = "bool" if isinstance(v, (bool, np.bool_)) else (
                "num" if isinstance(v, (int, float, np.integer, np.floating)) else "other")
            hit = self._index_scalar(j, v, dkind)
            if hit is None:
                out = self.predict(pd.DataFrame([{f: record[f] for f in self.features}]), reasons=reasons)
                return {**{k: record[k] for k in self.keys if k in record},
                        **{k: _plain(v) for k, v in out.iloc[0].items()}}
            i, fell = hit
            points += int(self._points[j][i])
            z += self._coef[j] * self._woe[j][i]
            nfb += fell
            if reasons:
                lost.append((-self._loss[j][i], -self._tie[j][i], j))
        res: dict[str, Any] = {k: record[k] for k in self.keys if k in record}
        res["points"] = points
        res["proba_bad"] = 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0
        res["n_fallback"] = nfb
        if reasons and self.n_reasons:
            lost.sort()
            codes = [self.features[j] for neg, _, j in lost[: self.n_reasons] if -neg > 0]
            for r in range(self.n_reasons):
                res[f"reason_{r + 1}"] = self._codes[codes[r]] if r < len(codes) else None
        return res

    def _score_rows(self, frame: pd.DataFrame, reasons: bool) -> tuple[Any, ...]:
        """A few rows, value by value (no per-column numpy work)."""
        n = len(frame)
        k = len(self.features)
        sub = frame[self.features]
        values = sub.to_numpy(dtype=object)
        dkinds = ["num" if dt.kind in "iuf" else ("bool" if dt.kind == "b" else "other") for dt in sub.dtypes.tolist()]
        points = np.zeros(n, dtype=np.int64)
        z = np.full(n, self._intercept)
        nfb = np.zeros(n, dtype=np.int64)
        ranks = np.empty((n, k), dtype=np.int32) if reasons else None
        for j in range(k):
            pts, woe, coef, dk = self._points[j], self._woe[j], self._coef[j], dkinds[j]
            for r in range(n):
                hit = self._index_scalar(j, values[r, j], dk)
                if hit is None:
                    return self._score_batch(frame, reasons)  # text in a numeric column: exact coercion rules
                i, fell = hit
                points[r] += pts[i]
                z[r] += coef * woe[i]
                nfb[r] += fell
                if reasons:
                    ranks[r, j] = self._rank[j][i]
        # z is summed feature by feature; the in-memory model's dot product may differ in the last bits
        return points, z, nfb, ranks, None

    def _assign(self, j: int, series: pd.Series) -> tuple[np.ndarray, np.ndarray | None]:
        """Bin index per row and the rows that took the fallback (None: none did)."""
        fb = self._bins[j]
        if fb.kind == "categorical" and series.dtype == "str":
            got = self._assign_arrow(j, series)
            if got is not None:
                return got
        idx, n_fb = fb.assign(series)
        return idx, (self._fallback_rows(fb, series, idx) if n_fb else None)

    def _assign_arrow(self, j: int, series: pd.Series) -> tuple[np.ndarray, np.ndarray | None] | None:
        """Categorical binning of an Arrow-backed text column with Arrow's hash lookup (3x faster)."""
        try:
            import pyarrow as pa
            import pyarrow.compute as pc

            arr = series.array.__arrow_array__()
            if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
                return None
            keys, lut = self._arrow_lut(j)
            pos = pc.fill_null(pc.index_in(arr, value_set=keys), -1).to_numpy()
            null = arr.is_null().to_numpy(zero_copy_only=False) if arr.null_count else None
        except Exception:  # noqa: BLE001 - any Arrow surprise: the reference path
            return None
        idx = lut[pos]  # position -1 -> the last entry: unseen
        fb = self._bins[j]
        if null is not None:
            idx[null] = self._scalar[j].missing
        fell = idx < 0
        empty = np.asarray(self._scalar[j].empty)
        fell |= empty[np.maximum(idx, 0)] & (idx >= 0)
        if not fell.any():
            return idx, None
        idx[fell] = fb.fallback_index
        return idx, fell.astype(np.int64)

    def _arrow_lut(self, j: int) -> tuple[Any, np.ndarray]:
        cache = self.__dict__.setdefault("_arrow_cache", {})
        if j not in cache:
            import pyarrow as pa

            lookup = self._scalar[j].lookup
            keys = list(lookup)
            cache[j] = (pa.array(keys, type=pa.string()), np.array([lookup[k] for k in keys] + [-1], dtype=np.int64))
        return cache[j]

    def _kernel_tables(self) -> Any:
        """The compiled kernels and their per-feature tables (built on first use), or None: NumPy path."""
        cache = self.__dict__
        if "_kernel_state" not in cache:
            cache["_kernel_state"] = None
            if self.engine != "numpy":
                try:
                    from scorecard import _kernels
                except ImportError:
                    if self.engine == "numba":
                        raise
                    logger.info("numba is not importable: batch scoring uses the NumPy path")
                else:
                    if all(fb.n_bins < _kernels.MAX_CODES for fb in self._bins):  # codes and the no-bin code
                        cache["_kernel_state"] = _KernelState(self, _kernels)
        if self.engine == "numba" and cache["_kernel_state"] is None:
            raise ValueError("engine='numba': a feature has more than 63 bins; use engine='numpy'")
        return cache["_kernel_state"]

    def _score_batch(self, frame: pd.DataFrame, reasons: bool) -> tuple[Any, ...]:
        state = self._kernel_tables()
        if state is not None:
            return state.score(self, frame, reasons and bool(self.n_reasons))
        n = len(frame)
        k = len(self.features)
        points = np.zeros(n, dtype=np.int64)
        z = np.full(n, self._intercept)
        nfb = np.zeros(n, dtype=np.int64)
        ranks = np.empty((n, k), dtype=np.int32) if reasons else None
        for j in range(k):
            idx, fell = self._assign(j, frame[self.features[j]])
            if fell is not None:
                nfb += fell
            points += self._points[j][idx]
            z += self._contrib[j][idx]  # coef_j * woe_j per bin; summed in feature order
            if reasons:
                ranks[:, j] = self._rank[j][idx]
        return points, z, nfb, ranks, None

    def _fallback_rows(self, fb: Any, series: pd.Series, idx: np.ndarray) -> np.ndarray:
        """1 where a row of this feature took the fallback (recomputed only when some did)."""
        out = np.zeros(len(series), dtype=np.int64)
        cand = np.flatnonzero(np.asarray(idx) == fb.fallback_index)
        if cand.size == 0:
            return out
        sub = series.iloc[cand]
        sc = _NumericFeature(fb) if fb.kind == "numeric" else _CategoricalFeature(fb)
        if fb.kind == "numeric":
            from scorecard.counts import numeric_column

            vals = numeric_column(sub, fb.name, "transform").tolist()
            fell = [sc.index(v)[1] for v in vals]
        else:
            numeric_dtype = sub.dtype.kind in "iuf"
            keys = [None if _is_missing(v) else (_numeric_key(v) if numeric_dtype else str(v)) for v in sub.tolist()]
            fell = [sc.index(key)[1] for key in keys]
        out[cand] = np.asarray(fell, dtype=np.int64)
        return out

    def _score_challenger(self, frame: pd.DataFrame, reasons: bool) -> tuple[Any, ...]:
        model = self.model
        n = len(frame)
        if n == 0:
            empty = np.empty((0, len(self.features)))
            return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0, dtype=np.int64), empty, empty
        sub = frame[self.features]
        enc = model._encoder.encode(sub)
        nfb = np.zeros(n, dtype=np.int64)
        for mask in enc.unseen.values():
            nfb += np.asarray(mask, dtype=np.int64)
        if enc.unseen:
            model._resolve_fallbacks(enc)
        A = enc.matrix
        z = model.booster_.predict(A, raw_score=True)
        loss = tie = None
        if reasons and self.n_reasons:
            phi = model.booster_.predict(A, pred_contrib=True)
            loss = np.column_stack([phi[:, feat.columns].sum(axis=1) for feat in model._encoder.features])
            tie = loss
        points = _round_half_up(self.offset - self.factor * z)
        return points, z, nfb, loss, tie

    def _top_reasons(self, loss: np.ndarray, tie: np.ndarray | None, n: int) -> np.ndarray:
        """Codes of the ``n_reasons`` largest losses per row (ties: unrounded loss, then feature order).

        A scorecard passes its rank matrix (``tie`` None): the reasons are the smallest ranks;
        the compiled path passes those smallest ranks already, shape ``(m, n)`` (``tie`` is ``_TOP``).
        """
        k = len(self.features)
        if n == 0:
            return np.empty((0, self.n_reasons), dtype=object)
        if tie is _TOP:  # each row's smallest ranks already, ascending, one row per reason
            out = self._rank_code[loss]
            if out.shape[0] < self.n_reasons:
                out = np.vstack([out, np.full((self.n_reasons - out.shape[0], n), None, dtype=object)])
            return out.T  # columns contiguous
        if tie is None:
            m = min(self.n_reasons, k)
            top = np.sort(np.partition(loss, m - 1, axis=1)[:, :m] if m < k else loss, axis=1)
            out = self._rank_code[top]
            if m < self.n_reasons:
                out = np.hstack([out, np.full((n, self.n_reasons - m), None, dtype=object)])
            return out
        feat_order = np.broadcast_to(np.arange(k), loss.shape)
        order = np.lexsort((feat_order, -tie, -loss), axis=1)[:, : self.n_reasons]
        top_loss = np.take_along_axis(loss, order, axis=1)
        order = np.where(top_loss > 0, order, k)  # k -> None
        out = self._code_arr[order]
        if out.shape[1] < self.n_reasons:  # fewer features than reasons
            out = np.hstack([out, np.full((n, self.n_reasons - out.shape[1]), None, dtype=object)])
        return out


class _KernelState:
    """Per-feature code tables of a :class:`CompiledScorer` and the compiled batch path (``scorecard._kernels``)."""

    def __init__(self, scorer: CompiledScorer, kernels: Any) -> None:
        self.kernels = kernels
        self.features = [
            kernels.FeatureCodes(fb, sc.lookup if isinstance(sc, _CategoricalFeature) else None)
            for fb, sc in zip(scorer._bins, scorer._scalar)
        ]
        width = max(f.n_bins + 1 for f in self.features)
        k = len(self.features)
        self.points = np.zeros((k, width), dtype=np.int64)
        self.contrib = np.zeros((k, width), dtype=np.float64)
        self.rank = np.zeros((k, width), dtype=np.int32)
        for j, f in enumerate(self.features):  # every code scores as its final bin
            self.points[j, : f.n_bins + 1] = scorer._points[j][f.final]
            self.contrib[j, : f.n_bins + 1] = scorer._contrib[j][f.final]
            self.rank[j, : f.n_bins + 1] = scorer._rank[j][f.final]

    def score(self, scorer: CompiledScorer, frame: pd.DataFrame, reasons: bool) -> tuple[Any, ...]:
        n = len(frame)
        k = len(self.features)
        codes = np.empty((k, n), dtype=np.uint8)
        fell_features = []
        for j, feat in enumerate(self.features):
            series = frame[scorer.features[j]]
            n_fell = feat.codes(series, codes[j]) if n else 0
            if n_fell is None:  # storage the kernels do not read: the reference assignment
                idx, fell = scorer._assign(j, series)
                codes[j] = idx
                if fell is not None:
                    codes[j][np.asarray(fell, dtype=bool)] = feat.unseen
                n_fell = 0 if fell is None else int(np.count_nonzero(fell))
            if n_fell:
                fell_features.append(j)
        points = np.empty(n, dtype=np.int64)
        z = np.empty(n, dtype=np.float64)
        self.kernels.totals(codes, self.points, self.contrib, scorer._intercept, points, z)
        nfb = np.zeros(n, dtype=np.int64)
        for j in fell_features:  # rare: the per-row count only for features where some row fell back
            nfb += ((self.features[j].fallback_mask >> codes[j].astype(np.uint64)) & np.uint64(1)).astype(np.int64)
        top = None
        if reasons:
            top = np.empty((min(scorer.n_reasons, k), n), dtype=np.int32)
            self.kernels.top_ranks(codes, self.rank, top)
        return points, z, nfb, top, _TOP


# --------------------------------------------------------------------------- #
# MLflow pyfunc
# --------------------------------------------------------------------------- #
def model_signature(scorer: CompiledScorer) -> Any:
    """Input and output schema of an exported model (inputs optional, of MLflow type ``Any``)."""
    from mlflow.models.signature import ModelSignature
    from mlflow.types.schema import AnyType, ColSpec, Schema

    # "Any": MLflow will not cast int64 to double nor accept nulls in integer columns, so
    # typed inputs would turn ordinary JSON payloads into errors; the scorer checks types itself.
    cols = list(dict.fromkeys([*scorer.keys, *scorer.features]))
    inputs = Schema([ColSpec(AnyType(), c, required=False) for c in cols])
    outs = [ColSpec(AnyType(), k, required=False) for k in scorer.keys]
    outs += [ColSpec("long", "points"), ColSpec("double", "proba_bad"), ColSpec("long", "n_fallback")]
    outs += [ColSpec("string", f"reason_{r + 1}", required=False) for r in range(scorer.n_reasons)]
    return ModelSignature(inputs=inputs, outputs=Schema(outs))


def _input_example(scorer: CompiledScorer, X: Any, allow_personal_data: bool) -> pd.DataFrame | None:
    from scorecard import privacy

    if X is None:
        return None
    if not isinstance(X, pd.DataFrame):
        raise DataError(f"input_example must be a DataFrame with the model's columns, got {type(X).__name__}")
    cols = [c for c in dict.fromkeys([*scorer.keys, *scorer.features]) if c in X.columns]
    example = X[cols].head(5).copy()
    privacy.guard(example, allow_personal_data, what="input example")
    # JSON-friendly: the example is stored as JSON and replayed through the scorer at log time
    return example.astype(object).where(example.notna(), None)


def _write_artifacts(model: Any, folder: Path, allow_personal_data: bool = False,
                     **spec_kwargs: Any) -> tuple[dict[str, str], CompiledScorer]:
    from scorecard import privacy

    from scorecard import _model_store

    spec = export_spec(model, **spec_kwargs)
    folder = folder / "artifacts"  # MLflow stores it as data/artifacts: JSON and LightGBM text, no code
    folder.mkdir(parents=True, exist_ok=True)
    spec_path = folder / SPEC_FILE
    spec_path.write_text(json.dumps(spec, indent=1, ensure_ascii=False, allow_nan=False), encoding="utf-8")
    # the spec holds category labels learned from the data: a phone column binned as a category would leak
    privacy.guard(spec_path, allow_personal_data, what="model spec")
    privacy.guard(privacy.spec_categories(spec), allow_personal_data, what="model spec categories")  # names, spaced phones
    artifacts = {"spec": str(spec_path)}
    booster = None
    if spec["kind"] == "challenger":
        booster = folder / CHALLENGER_MODEL_FILE
        model.booster_.save_model(str(booster))
        artifacts["booster"] = str(booster)
    _model_store.sign_artifacts(folder)  # only when $SCORECARD_SPEC_KEY is set
    artifacts["data_path"] = str(folder)
    return artifacts, CompiledScorer(json.loads(spec_path.read_text(encoding="utf-8")), booster)


def to_pyfunc(
    model: Any,
    path: str | os.PathLike[str],
    *,
    input_example: Any = None,
    keys: Sequence[str] = (),
    n_reasons: int = 4,
    allow_personal_data: bool = False,
    pdo: float = 20.0,
    base_score: float = 600.0,
    base_odds: float = 50.0,
) -> Path:
    """Save a fitted scorecard or challenger as an MLflow pyfunc folder (data only; the code is the installed package).

    Parameters
    ----------
    model : LogisticScorecard or GBMChallenger
        Fitted.
    path : str or PathLike
        Folder to create (must not exist yet, as MLflow requires).
    input_example : DataFrame, optional
        Rows whose model columns (first five) become the input example;
        refused with :class:`~scorecard.errors.DataError` when they hold
        personal data (:func:`scorecard.privacy.guard`). The spec is checked
        too (category labels come from the data).
    keys : sequence of str
        Columns copied from input to output (an application ID).
    n_reasons : int, default 4
        Reason codes per row (0: none).
    allow_personal_data : bool, default False
    pdo, base_score, base_odds : float
        Challenger only: how ``points`` are scaled from its probability.

    Returns
    -------
    pathlib.Path
        The folder; load it with ``mlflow.pyfunc.load_model(path)``. Its
        ``predict(frame)`` returns :meth:`CompiledScorer.predict`.

    Example
    -------
    >>> to_pyfunc(model, "exported/german_scorecard", input_example=X_test)  # doctest: +SKIP
    """
    import mlflow.pyfunc

    from scorecard import _serving

    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="scorecard-export-") as tmp, _serving.quiet():
        artifacts, scorer = _write_artifacts(model, Path(tmp), allow_personal_data, keys=keys, n_reasons=n_reasons,
                                             pdo=pdo, base_score=base_score, base_odds=base_odds)
        mlflow.pyfunc.save_model(
            str(path),
            loader_module=_LOADER_MODULE,  # the installed module: the folder stores no code
            data_path=artifacts["data_path"],
            signature=model_signature(scorer),
            input_example=_input_example(scorer, input_example, allow_personal_data),
            pip_requirements=_serving.requirements(),
        )
    logger.info("exported %s as an MLflow pyfunc to %s", type(model).__name__, path)
    return path


def log_pyfunc(
    model: Any,
    *,
    run_id: str | None = None,
    name: str = "model",
    registered_model_name: str | None = None,
    input_example: Any = None,
    keys: Sequence[str] = (),
    n_reasons: int = 4,
    allow_personal_data: bool = False,
    tracking_uri: str | None = None,
    experiment: str = "scorecard",
) -> Any:
    """Log the exported pyfunc into an MLflow run (a new one when ``run_id`` is None); optionally register it.

    Returns
    -------
    mlflow.models.model.ModelInfo
        ``model_uri``, ``run_id``, ``registered_model_version`` ...
    """
    import mlflow
    import mlflow.pyfunc

    from scorecard import _serving, tracking

    with tempfile.TemporaryDirectory(prefix="scorecard-export-") as tmp, _serving.tracking_context(tracking_uri) as uri, _serving.quiet():
        artifacts, scorer = _write_artifacts(model, Path(tmp), allow_personal_data, keys=keys, n_reasons=n_reasons)
        example = _input_example(scorer, input_example, allow_personal_data)
        if run_id is None:
            client = tracking._mlflow_client(uri)
            exp_id = tracking._experiment_id(client, experiment, uri)
            run_ctx = mlflow.start_run(experiment_id=exp_id, run_name=f"export {type(model).__name__}")
        else:
            run_ctx = mlflow.start_run(run_id=run_id)
        with run_ctx:
            info = mlflow.pyfunc.log_model(
                name=name,
                loader_module=_LOADER_MODULE,  # the installed module: the store holds no code
                data_path=artifacts["data_path"],
                signature=model_signature(scorer),
                input_example=example,
                registered_model_name=registered_model_name,
                pip_requirements=_serving.requirements(),
            )
    return info


def load_pyfunc(model_uri: str, *, tracking_uri: str | None = None) -> Any:
    """``mlflow.pyfunc.load_model`` of an exported model (a path, ``runs:/``, ``models:/name@alias``), verified first.

    The model's files are downloaded, then checked by
    :func:`scorecard._pyfunc_model.verify_model_dir` (the ``MLmodel`` must name
    the installed ``scorecard._pyfunc_model`` and the folder must hold no code
    or pickle; signed specs are verified when ``$SCORECARD_SPEC_KEY`` is set)
    before MLflow imports anything.

    Raises
    ------
    SpecError
        The stored model would run code from the store, or fails its signature.
    """
    import mlflow.artifacts
    import mlflow.pyfunc

    from scorecard import _model_store, _serving

    with _serving.tracking_context(tracking_uri), _serving.quiet():
        local = Path(str(model_uri))
        if not local.is_dir():
            local = Path(mlflow.artifacts.download_artifacts(artifact_uri=str(model_uri)))
        _model_store.verify_model_dir(local)
        return mlflow.pyfunc.load_model(str(local))


# --------------------------------------------------------------------------- #
# SQL and JSON
# --------------------------------------------------------------------------- #
def to_sql(
    model: Any,
    dialect: str = "duckdb",
    table: str = "applications",
    *,
    keys: Sequence[str] = (),
) -> str:
    """The scorecard as one SQL ``SELECT`` over ``table``: key columns, ``points``, ``proba_bad``.

    Each model feature becomes two ``CASE`` expressions (its integer points
    and its WOE, :func:`scorecard.sql.bin_case`); ``points`` is their sum and
    ``proba_bad = 1 / (1 + exp(-(intercept + sum coef_j * woe_j)))``. The same
    bins, special codes, missing and fallback rules as in Python; results are
    identical integer points and probabilities within 1e-9 (tested in DuckDB
    and Spark).

    Parameters
    ----------
    model : LogisticScorecard
        Fitted (or rebuilt with ``LogisticScorecard.from_json``).
    dialect : {"duckdb", "spark"}
    table : str
        A FROM item: a table or view name (quote it yourself if it needs
        quoting), ``read_parquet('...')``, a sub-query in parentheses.
    keys : sequence of str
        Input columns copied to the output (an application ID).

    Returns
    -------
    str

    Example
    -------
    >>> sql = to_sql(model, "spark", "applications", keys=["application_id"])  # doctest: +SKIP
    >>> spark.sql(sql).write.parquet("scores/")  # doctest: +SKIP
    """
    from scorecard.model import LogisticScorecard
    from scorecard.sql import _num, bin_case, quote

    if dialect not in ("duckdb", "spark"):
        raise ValueError(f"dialect must be 'duckdb' or 'spark', got {dialect!r}")
    if not isinstance(model, LogisticScorecard):
        raise TypeError(
            f"to_sql exports a LogisticScorecard, got {type(model).__name__}; a GBMChallenger scores "
            "through its pyfunc (mlflow.pyfunc.spark_udf on Spark)"
        )
    _model_kind(model)
    pts = {f: [int(v) for v in _round_half_up(model._points_per_bin(f))] for f in model.features_}
    inner = [quote(k, dialect) for k in keys]
    for j, f in enumerate(model.features_):
        fb = model.binner_.bins_[f]
        inner.append(f"{bin_case(fb, pts[f], dialect=dialect)} AS {quote(f'__p{j}', dialect)}")
        inner.append(f"{bin_case(fb, dialect=dialect)} AS {quote(f'__w{j}', dialect)}")
    k = len(model.features_)
    total = " + ".join(quote(f"__p{j}", dialect) for j in range(k)) or "0"
    z = " + ".join([_num(float(model.intercept_[0]))] + [
        f"{_num(float(model.coef_[0, j]))} * {quote(f'__w{j}', dialect)}" for j in range(k)
    ])
    outer = [quote(kk, dialect) for kk in keys]
    outer.append(f"CAST({total} AS BIGINT) AS {quote('points', dialect)}")
    outer.append(f"CAST(1.0 AS DOUBLE) / (CAST(1.0 AS DOUBLE) + exp(-({z}))) AS {quote('proba_bad', dialect)}")
    return ("SELECT " + ",\n       ".join(outer) + "\nFROM (\n  SELECT " + ",\n         ".join(inner)
            + f"\n  FROM {table}\n) AS scorecard_bins")


def to_json(model: Any, path: str | os.PathLike[str] | None = None) -> str:
    """The model's JSON spec (``LogisticScorecard.to_json`` / ``GBMChallenger.to_dict``), optionally written to ``path``."""
    kind = _model_kind(model)
    text = model.to_json() if kind == "scorecard" else json.dumps(model.to_dict(), indent=1)
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


# --------------------------------------------------------------------------- #
# parity
# --------------------------------------------------------------------------- #
_SUBPROCESS = r"""
import sys, importlib.abc
class _Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "optbinning" or name.startswith("optbinning."):
            raise ImportError("optbinning is blocked in this process (parity check)")
        return None
sys.meta_path.insert(0, _Block())
import os, warnings
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
warnings.simplefilter("ignore")
import pandas as pd, mlflow.pyfunc
X = pd.read_parquet(sys.argv[2])
out = mlflow.pyfunc.load_model(sys.argv[1]).predict(X)
out[["points", "proba_bad"]].to_parquet(sys.argv[3])
assert "optbinning" not in sys.modules
"""


def _frame_for_engines(X: pd.DataFrame, features: Sequence[str]) -> pd.DataFrame:
    """The given columns plus a row number ``__row`` (for ordering the SQL results)."""
    frame = X[list(features)].reset_index(drop=True).copy()
    frame["__row"] = np.arange(len(frame), dtype=np.int64)
    return frame


def parity_check(
    model: Any,
    X: pd.DataFrame,
    *,
    paths: Sequence[str] = ("memory", "json", "pyfunc", "fresh_process", "duckdb", "spark"),
    spark: Any = None,
    tol: float = 1e-9,
    workdir: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Score ``X`` on every export path and compare with the in-memory model.

    Paths: ``memory`` (:meth:`LogisticScorecard.predict_points` /
    ``predict_proba``, the reference), ``json`` (``from_json(to_json())``),
    ``pyfunc`` (:func:`to_pyfunc` loaded here), ``fresh_process`` (the same
    pyfunc loaded by a new Python process in which optbinning cannot be
    imported), ``duckdb`` and ``spark`` (:func:`to_sql` executed by the
    engine). ``spark`` needs a SparkSession (``spark=``); without one it is
    skipped (reported as such).

    Parameters
    ----------
    model : LogisticScorecard
        Fitted.
    X : DataFrame
        Rows to score (the model columns are used).
    paths : sequence of str
    spark : pyspark.sql.SparkSession, optional
    tol : float, default 1e-9
        Largest allowed ``|proba_bad - reference|``.
    workdir : path, optional
        Where the pyfunc and data files go (default a temporary folder).

    Returns
    -------
    DataFrame
        One row per path: ``path``, ``n_rows``, ``points_identical``,
        ``max_abs_proba_diff``, ``passed``, ``seconds``, ``note``.

    Example
    -------
    >>> report = parity_check(model, X_test, spark=spark)  # doctest: +SKIP
    >>> bool(report["passed"].all())  # doctest: +SKIP
    True
    """
    from scorecard.model import LogisticScorecard

    if not isinstance(model, LogisticScorecard):
        raise TypeError(f"parity_check compares the scorecard's export paths; got {type(model).__name__}")
    _model_kind(model)
    cols = list(dict.fromkeys([*model.binner_.features_, *model.features_]))  # transform needs every binned column
    frame = _frame_for_engines(X, cols)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FallbackWarning)
        ref_points = model.predict_points(frame[cols])["total"].to_numpy(dtype=np.int64)
        ref_proba = model.predict_proba(frame[cols])[:, 1]
    rows = []
    own_tmp = tempfile.TemporaryDirectory(prefix="scorecard-parity-") if workdir is None else None
    base = Path(own_tmp.name if own_tmp else workdir)
    base.mkdir(parents=True, exist_ok=True)
    pyfunc_dir = base / "pyfunc"

    def record(path: str, fn: Any) -> None:
        t0 = time.perf_counter()
        note = ""
        try:
            got = fn()
        except Exception as exc:  # noqa: BLE001 - reported, not raised: the report names the failing path
            rows.append({"path": path, "n_rows": 0, "points_identical": False, "max_abs_proba_diff": np.nan,
                         "passed": False, "seconds": time.perf_counter() - t0, "note": f"{type(exc).__name__}: {exc}"[:500]})
            return
        if got is None:
            rows.append({"path": path, "n_rows": 0, "points_identical": False, "max_abs_proba_diff": np.nan,
                         "passed": False, "seconds": 0.0, "note": "skipped (no SparkSession given)"})
            return
        pts, proba = got
        pts = np.asarray(pts)
        proba = np.asarray(proba, dtype=float)
        same_n = len(pts) == len(ref_points)
        identical = bool(same_n and np.array_equal(pts.astype(np.int64), ref_points))
        diff = float(np.max(np.abs(proba - ref_proba))) if same_n and len(pts) else (0.0 if same_n else np.inf)
        rows.append({"path": path, "n_rows": int(len(pts)), "points_identical": identical, "max_abs_proba_diff": diff,
                     "passed": identical and diff <= tol, "seconds": time.perf_counter() - t0, "note": note})

    def ensure_pyfunc() -> Path:
        if not pyfunc_dir.exists():
            to_pyfunc(model, pyfunc_dir, input_example=frame[model.features_], n_reasons=0)
        return pyfunc_dir

    def sql_frame(result: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        result = result.sort_values("__row")
        return result["points"].to_numpy(), result["proba_bad"].to_numpy(dtype=float)

    data_path = base / "data.parquet"

    def ensure_parquet() -> Path:
        if not data_path.exists():
            frame.to_parquet(data_path, index=False)
        return data_path

    def run_memory() -> tuple[np.ndarray, np.ndarray]:
        return ref_points, ref_proba

    def run_json() -> tuple[np.ndarray, np.ndarray]:
        again = LogisticScorecard.from_json(model.to_json())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FallbackWarning)
            return (again.predict_points(frame[cols])["total"].to_numpy(),
                    again.predict_proba(frame[cols])[:, 1])

    def run_pyfunc() -> tuple[np.ndarray, np.ndarray]:
        out = load_pyfunc(str(ensure_pyfunc())).predict(frame[model.features_])
        return out["points"].to_numpy(), out["proba_bad"].to_numpy()

    def run_fresh() -> tuple[np.ndarray, np.ndarray]:
        out_path = base / "fresh_out.parquet"
        env = dict(os.environ, MLFLOW_DISABLE_TELEMETRY="true")
        res = subprocess.run([sys.executable, "-c", _SUBPROCESS, str(ensure_pyfunc()), str(ensure_parquet()), str(out_path)],
                             env=env, capture_output=True, text=True, timeout=600)
        if res.returncode != 0:
            raise RuntimeError(f"the fresh process failed: {res.stderr[-1500:]}")
        out = pd.read_parquet(out_path)
        return out["points"].to_numpy(), out["proba_bad"].to_numpy()

    def run_duckdb() -> tuple[np.ndarray, np.ndarray]:
        import duckdb

        con = duckdb.connect()
        try:
            con.register("applications", frame)
            return sql_frame(con.sql(to_sql(model, "duckdb", "applications", keys=["__row"])).df())
        finally:
            con.close()

    def run_spark() -> tuple[np.ndarray, np.ndarray] | None:
        if spark is None:
            return None
        view = f"scorecard_parity_{os.getpid()}"
        sdf = spark.read.parquet(str(ensure_parquet()))
        sdf.createOrReplaceTempView(view)
        try:
            return sql_frame(spark.sql(to_sql(model, "spark", view, keys=["__row"])).toPandas())
        finally:
            spark.catalog.dropTempView(view)

    runners = {"memory": run_memory, "json": run_json, "pyfunc": run_pyfunc, "fresh_process": run_fresh,
               "duckdb": run_duckdb, "spark": run_spark}
    unknown = [p for p in paths if p not in runners]
    if unknown:
        raise ValueError(f"unknown parity paths {unknown}; known: {list(runners)}")
    try:
        for p in paths:
            record(p, runners[p])
    finally:
        if own_tmp is not None:
            own_tmp.cleanup()
    report = pd.DataFrame(rows, columns=["path", "n_rows", "points_identical", "max_abs_proba_diff", "passed",
                                         "seconds", "note"])
    logger.info("parity check on %d rows: %s", len(frame),
                ", ".join(f"{r.path}={'ok' if r.passed else 'FAILED'}" for r in report.itertuples()))
    return report
