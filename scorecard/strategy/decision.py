"""The decision model: raw applicant data in, scores, bands, decision, limit, price and reasons out (:class:`DecisionModel`).

A :class:`DecisionModel` joins the fitted models of a cross-credit strategy
to its :class:`~scorecard.strategy.Policy`. ``predict`` takes the raw
applicant features, the channel and the completeness fields, scores every
model, bands the scores, and applies the policy.

Everything it needs is held as JSON (:meth:`DecisionModel.to_json`): the
policy document, each :class:`~scorecard.LogisticScorecard`'s spec
(``to_json``) and each :class:`~scorecard.challenger.GBMChallenger`'s
description (``to_dict``, with the LightGBM model string). The model scores
through objects rebuilt from that JSON even in memory, so an instance, its
JSON copy and the MLflow model built from it (:mod:`scorecard.strategy.serving`)
run the same code on the same numbers. No training object is pickled.

Models
------
``models`` maps each model of the policy to

- a fitted :class:`~scorecard.LogisticScorecard` (score ``"points"``: the
  integer total of :meth:`~scorecard.LogisticScorecard.predict_score`,
  higher = safer; or ``"proba"``: ``p_bad``);
- a fitted :class:`~scorecard.challenger.GBMChallenger` (score ``"proba"``:
  ``p_bad``, higher = riskier);
- ``None``: an **external** score (a bureau or fraud score) read from the
  input column ``score_<name>``.

The direction of each score must agree with its bands'
``higher_is_safer``; a mismatch is a :class:`~scorecard.errors.SpecError`.

Never a crash (the documented safe decisions)
---------------------------------------------
- A model whose input column is absent, or whose scoring fails for a row
  (e.g. text in a numeric column), gives a missing score for those rows;
  the policy then returns ``missing_score_decision`` with reason
  ``MISSING_SCORE_<MODEL>``. Rows are isolated: one bad row does not
  affect the others.
- An absent or unknown channel gives ``unknown_channel_decision`` with
  reason ``MISSING_CHANNEL`` / ``UNKNOWN_CHANNEL``.
- Absent completeness fields count as not supplied (the least complete tier
  that matches).
- Values a model has not seen in training go to its documented fallback
  (riskiest bin / riskiest value), as in the models themselves.
- Nonsensical decision-time inputs (a requested amount that is negative,
  infinite or above its bound, an external score that is not finite, other
  fields breaking the policy's ``input_rules``) give the policy's
  ``invalid_input_decision`` with reason ``INVALID_<FIELD>``, never an
  approval; ``predict(X, errors="raise")`` raises a
  :class:`~scorecard.errors.DataError` naming the field instead.

Reason codes
------------
``reasons`` holds the policy's codes (decline reasons of the cell, safe
decision codes). ``reason_codes`` holds, per model, up to ``n_reasons``
features that pushed the applicant's risk up, as ``<model>:<feature>``,
by the rule of :func:`scorecard.explain.reason_codes`: the points below the
feature's best bin (scorecard) or the positive TreeSHAP contributions to
``logit(p_bad)`` (challenger), largest first (see ``reason_method``).

Example
-------
>>> from scorecard.strategy import DecisionModel
>>> dm = DecisionModel({"scorecard": scorecard, "bureau": gbm}, policy).fit()  # doctest: +SKIP
>>> dm.predict(applications.head(3))[["decision", "limit", "apr", "reasons"]]  # doctest: +SKIP
>>> DecisionModel.from_json(dm.to_json()).predict(applications.head(3))  # identical  # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from scorecard.errors import NotFittedError, ScorecardError, SpecError
from scorecard.strategy._common import band_column, dump_json, read_json, score_column
from scorecard.strategy.policy import Policy

__all__ = ["DecisionModel", "SPEC_VERSION", "SCORE_KINDS"]

logger = logging.getLogger(__name__)

SPEC_VERSION = 1
SCORE_KINDS: dict[str, bool] = {"points": True, "proba": False}
"""Score kinds and whether higher is safer."""

_KINDS = ("LogisticScorecard", "GBMChallenger", "external")
_REASON_METHODS = ("builtin", "explain")


# --------------------------------------------------------------------------- #
# scorers rebuilt from JSON
# --------------------------------------------------------------------------- #
class _Scorer:
    """Score one model from raw rows (private). Subclasses: scorecard, GBM, external."""

    name: str
    kind: str
    score_kind: str
    features: list[str]  # columns the model reads
    required: list[str]  # columns whose absence makes the score missing
    types: dict[str, str]  # column -> "double" | "string"

    def _score(self, frame: pd.DataFrame) -> np.ndarray:
        raise NotImplementedError

    def _reasons(self, frame: pd.DataFrame, n: int) -> list[list[str]]:
        return [[] for _ in range(len(frame))]

    def score(self, frame: pd.DataFrame, n_reasons: int) -> tuple[np.ndarray, list[str]]:
        """Scores (NaN where missing) and ``;``-joined reason codes (``<model>:<feature>``) per row."""
        n = len(frame)
        absent = [c for c in self.required if c not in frame.columns]
        if absent or n == 0:
            if absent:
                logger.info("model %r: input column(s) %s absent; its score is missing", self.name, absent[:5])
            return np.full(n, np.nan), [""] * n
        work = frame.reindex(columns=self.features)
        try:
            scores, reasons = self._score_reasons(work, n_reasons)
        except (ScorecardError, ValueError, TypeError, KeyError) as exc:
            logger.info("model %r failed on %d row(s) (%s); scoring row by row", self.name, n, exc)
            scores = np.full(n, np.nan)
            reasons = [[] for _ in range(n)]
            if n > 1:
                for i in range(n):
                    try:
                        s, r = self._score_reasons(work.iloc[[i]], n_reasons)
                    except (ScorecardError, ValueError, TypeError, KeyError) as exc_i:
                        logger.info("model %r could not score row %d: %s", self.name, i, exc_i)
                        continue
                    scores[i], reasons[i] = s[0], r[0]
        codes = [";".join(f"{self.name}:{f}" for f in row) for row in reasons]
        return scores, codes

    def _score_reasons(self, work: pd.DataFrame, n_reasons: int) -> tuple[np.ndarray, list[list[str]]]:
        scores = np.asarray(self._guarded(self._score, work), dtype=float)
        reasons = self._guarded(self._reasons, work, n_reasons) if n_reasons > 0 else [[] for _ in range(len(work))]
        return scores, reasons

    @staticmethod
    def _guarded(fn: Any, *args: Any, **kwargs: Any) -> Any:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = fn(*args, **kwargs)
        for w in caught:
            logger.info("%s: %s", w.category.__name__, w.message)
        return out


class _ScorecardScorer(_Scorer):
    def __init__(self, name: str, spec: dict[str, Any], score_kind: str, reason_method: str) -> None:
        from scorecard.model import LogisticScorecard

        self.name, self.kind, self.score_kind = name, "LogisticScorecard", score_kind
        self.reason_method = reason_method
        self.model = LogisticScorecard.from_json(spec)
        binner = self.model.binner_
        self.features = list(binner.features_)
        self.required = list(self.model.features_)
        self.types = {f: ("double" if binner.bins_[f].kind == "numeric" else "string") for f in self.features}
        # reference points: the best bin that had training rows (explain.reason_codes' "max" rule)
        pt = self.model.points_table()
        ref, ref_raw = [], []
        for f in self.model.features_:
            t = pt[pt["feature"] == f]
            seen = t["count"].to_numpy(dtype=float) > 0
            ref.append(float(t["points"].to_numpy(dtype=float)[seen].max()))
            ref_raw.append(float(t["points_unrounded"].to_numpy(dtype=float)[seen].max()))
        self._ref = np.array(ref)
        self._ref_raw = np.array(ref_raw)

    def _score_reasons(self, work: pd.DataFrame, n_reasons: int) -> tuple[np.ndarray, list[list[str]]]:
        # one pass over the bins: unrounded points per feature give the points score
        # (the sum of the per-bin integer points, exactly predict_score), the
        # probability and the reason codes
        feats = self.model.features_
        raw = self._guarded(self.model.predict_points, work, rounded=False)[feats].to_numpy(dtype=float)
        pts = np.floor(raw + 0.5)
        if self.score_kind == "points":
            scores = pts.sum(axis=1)
        else:
            logit = (self.model.offset_ - raw.sum(axis=1)) / self.model.factor_
            scores = 1.0 / (1.0 + np.exp(-logit))
        if n_reasons <= 0:
            return scores, [[] for _ in range(len(work))]
        if self.reason_method == "explain":
            ext = _explain_reasons(self.model, work, n_reasons)
            if ext is not None:
                return scores, ext
        return scores, _top_reasons(self._ref[None, :] - pts, self._ref_raw[None, :] - raw, feats, n_reasons)


def _top_reasons(loss: np.ndarray, tie: np.ndarray, feats: list[str], n: int) -> list[list[str]]:
    """Features by loss desc, then ``tie`` desc, then feature order; only positive losses."""
    k = len(feats)
    order = np.lexsort((np.broadcast_to(np.arange(k), loss.shape), -tie, -loss), axis=1)[:, :n]
    rows = np.arange(loss.shape[0])[:, None]
    keep = loss[rows, order] > 0
    names = np.asarray(feats, dtype=object)
    return [names[o[m]].tolist() for o, m in zip(order, keep)]


class _GBMScorer(_Scorer):
    def __init__(self, name: str, spec: dict[str, Any], score_kind: str, reason_method: str) -> None:
        if score_kind != "proba":
            raise SpecError(f"model {name!r}: a GBMChallenger gives score 'proba' only, got {score_kind!r}")
        self.name, self.kind, self.score_kind = name, "GBMChallenger", score_kind
        self.reason_method = reason_method
        from scorecard.challenger import GBMChallenger

        self.model = GBMChallenger.from_dict(spec)
        self.features = list(self.model.features_)
        self.required = list(self.features)
        self.types = {f.name: ("double" if f.kind == "numeric" else "string") for f in self.model._encoder.features}

    def _score(self, frame: pd.DataFrame) -> np.ndarray:
        return self.model.predict_proba(frame)[:, 1]

    def _reasons(self, frame: pd.DataFrame, n: int) -> list[list[str]]:
        if self.reason_method == "explain":
            ext = _explain_reasons(self.model, frame, n)
            if ext is not None:
                return ext
        contrib = self.model.contributions(frame)[self.features].to_numpy(dtype=float)
        return _top_reasons(contrib, contrib, self.features, n)


class _ExternalScorer(_Scorer):
    def __init__(self, name: str, score_kind: str) -> None:
        self.name, self.kind, self.score_kind = name, "external", score_kind
        self.features = [score_column(name)]
        self.required = [score_column(name)]
        self.types = {score_column(name): "double"}

    def _score(self, frame: pd.DataFrame) -> np.ndarray:
        return pd.to_numeric(frame[score_column(self.name)], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _explain_reasons(model: Any, frame: pd.DataFrame, n: int) -> list[list[str]] | None:
    """Reason codes from :func:`scorecard.explain.reason_codes` when that module exists, else None."""
    try:
        from scorecard import explain  # written by another component; optional
    except ImportError:
        return None
    fn = getattr(explain, "reason_codes", None)
    if fn is None:
        return None
    try:
        out = fn(model, frame, n=n, layout="wide")
        cols = [f"feature_{k}" for k in range(1, n + 1)]
        rows = out[cols].to_numpy(dtype=object)
    except Exception as exc:  # noqa: BLE001 - an optional helper must not break scoring
        logger.info("scorecard.explain.reason_codes failed (%s); using the built-in reason codes", exc)
        return None
    return [[str(v) for v in row if isinstance(v, str) and v] for row in rows]


def _model_entry(name: str, model: Any, score_kind: str | None) -> dict[str, Any]:
    from scorecard._base import model_kind

    if model is None:
        return {"name": name, "kind": "external", "score": score_kind or "points", "spec": None}
    if getattr(type(model), "spec_kind", None) not in ("scorecard", "challenger"):
        raise SpecError(
            f"model {name!r} is a {type(model).__name__}; a DecisionModel takes a fitted LogisticScorecard, "
            "a fitted GBMChallenger, or None for an external score column"
        )
    kind = model_kind(model, ("scorecard", "challenger"), refuse="a DecisionModel takes", before="deciding with it")
    if kind == "scorecard":
        return {"name": name, "kind": "LogisticScorecard", "score": score_kind or "points",
                "spec": json.loads(model.to_json(indent=None))}
    return {"name": name, "kind": "GBMChallenger", "score": score_kind or "proba", "spec": model.to_dict()}


def _build_scorer(entry: Mapping[str, Any], reason_method: str) -> _Scorer:
    name, kind, score_kind = entry["name"], entry["kind"], entry["score"]
    if score_kind not in SCORE_KINDS:
        raise SpecError(f"model {name!r}: score must be one of {sorted(SCORE_KINDS)}, got {score_kind!r}")
    if kind == "LogisticScorecard":
        return _ScorecardScorer(name, entry["spec"], score_kind, reason_method)
    if kind == "GBMChallenger":
        return _GBMScorer(name, entry["spec"], score_kind, reason_method)
    if kind == "external":
        return _ExternalScorer(name, score_kind)
    raise SpecError(f"model {name!r}: unknown kind {kind!r}; expected one of {_KINDS}")


# --------------------------------------------------------------------------- #
# the decision model
# --------------------------------------------------------------------------- #
class DecisionModel:
    """Fitted models + policy: raw applications in, scores, bands and decisions out.

    Parameters
    ----------
    models : dict of str -> LogisticScorecard, GBMChallenger or None
        One entry per model of ``policy`` (same names); None = external
        score read from ``score_<name>``.
    policy : Policy
    score_kinds : dict of str -> {"points", "proba"}, optional
        Score used per model; default ``"points"`` for a scorecard (and an
        external score), ``"proba"`` for a challenger.
    n_reasons : int, default 4
        Reason codes per model (0: none, faster).
    reason_method : {"builtin", "explain"}, default "builtin"
        ``"builtin"``: the rule of :func:`scorecard.explain.reason_codes`
        (points lost against the best bin seen in training, ties by the
        unrounded loss then feature order; positive SHAP contributions for a
        challenger), with the reference points computed once at load, so a
        single row costs a few milliseconds. ``"explain"``: call
        :func:`scorecard.explain.reason_codes` itself (recomputes its tables
        on every call: about 0.15 s per model per call), falling back to the
        built-in rule when that module is absent.

    Attributes
    ----------
    spec_ : dict
        The JSON document (policy and model specs).
    input_columns_ : list of str
        Every input column the model reads.
    input_types_ : dict of str -> {"double", "string"}
    output_columns_ : list of str

    Examples
    --------
    See the module docstring.
    """

    def __init__(
        self,
        models: Mapping[str, Any] | None = None,
        policy: Policy | None = None,
        *,
        score_kinds: Mapping[str, str] | None = None,
        n_reasons: int = 4,
        reason_method: str = "builtin",
    ) -> None:
        self.models = models
        self.policy = policy
        self.score_kinds = score_kinds
        self.n_reasons = n_reasons
        self.reason_method = reason_method

    def fit(self, X: Any = None, y: Any = None) -> DecisionModel:
        """Freeze the models and the policy as JSON and build the scorers from it.

        Nothing is learned: the models and bands were fitted before. ``X``
        and ``y`` are accepted for scikit-learn compatibility and ignored.

        Returns
        -------
        self
        """
        if not isinstance(self.policy, Policy):
            raise SpecError("DecisionModel needs a Policy (policy=...)")
        policy = self.policy.validate()
        models = dict(self.models or {})
        missing = [m for m in policy.models if m not in models]
        extra = [m for m in models if m not in policy.models]
        if missing or extra:
            raise SpecError(
                f"the models {sorted(models)} do not match the policy's models {policy.models}: "
                f"missing {missing}, not in the policy {extra}; pass None for an external score"
            )
        kinds = dict(self.score_kinds or {})
        entries = [_model_entry(m, models[m], kinds.get(m)) for m in policy.models]
        spec = {
            "spec": "scorecard.strategy.DecisionModel",
            "spec_version": SPEC_VERSION,
            "n_reasons": int(self.n_reasons),
            "reason_method": self.reason_method,
            "policy": policy.to_dict(),
            "models": entries,
        }
        self._load(spec)
        return self

    def _load(self, spec: dict[str, Any]) -> None:
        from scorecard.spec import load

        spec = load(spec, "scorecard.strategy.DecisionModel")
        policy = Policy.from_dict(spec["policy"])
        method = spec.get("reason_method", "builtin")
        if method not in _REASON_METHODS:
            raise SpecError(f"reason_method must be one of {_REASON_METHODS}, got {method!r}")
        scorers = [_build_scorer(e, method) for e in spec["models"]]
        if [s.name for s in scorers] != policy.models:
            raise SpecError(f"the document's models {[s.name for s in scorers]} do not match its policy's {policy.models}")
        for s in scorers:
            safer = SCORE_KINDS[s.score_kind]
            if policy.bands[s.name].higher_is_safer != safer:
                raise SpecError(
                    f"model {s.name!r} gives {s.score_kind!r} (higher = {'safer' if safer else 'riskier'}) but its "
                    f"bands have higher_is_safer={policy.bands[s.name].higher_is_safer}; refit the bands on this score"
                )
        self.spec_ = spec
        self.policy_ = policy
        self.n_reasons_ = int(spec.get("n_reasons", 4))
        self._scorers = scorers
        self._compiled = policy._compile()
        types: dict[str, str] = {}
        for s in scorers:
            for c in s.features:
                types.setdefault(c, s.types.get(c, "double"))
        types.setdefault(policy.channel_column, "string")
        types.setdefault(policy.amount_column, "double")
        for fld in policy.rules:
            types.setdefault(fld, "double")
        tiers = list(policy.completeness) + [t for cp in policy.channels.values() for t in (cp.completeness or [])]
        for t in tiers:
            for fld, want in t.require.items():
                types.setdefault(fld, "string" if isinstance(want, str) else "double")
        self.input_types_ = types
        self.input_columns_ = list(types)
        self.output_columns_ = (
            [c for m in policy.models for c in (score_column(m), band_column(m))]
            + ["channel", "cell", "decision", "completeness_tier", "limit", "price_tier", "apr", "reasons", "reason_codes"]
        )

    def _fitted(self) -> None:
        if not hasattr(self, "spec_"):
            raise NotFittedError("this DecisionModel is not fitted yet; call fit() (or build it with from_json)")

    def predict(self, X: Any, *, errors: str = "safe") -> pd.DataFrame:
        """Score, band and decide every row.

        Parameters
        ----------
        X : DataFrame (or records / dict convertible to one)
            Raw features of every model, the channel, the completeness
            fields, the requested amount, and ``score_<name>`` for external
            scores. Extra columns are ignored; absent ones give the safe
            decisions described in the module docstring.
        errors : {"safe", "raise"}, default "safe"
            An invalid decision-time input (see :meth:`Policy.decide`: a
            requested amount that is negative or above its bound, a
            non-finite external score...) gives the policy's
            ``invalid_input_decision`` with reason ``INVALID_<FIELD>``
            (``"safe"``) or raises :class:`~scorecard.errors.DataError`
            naming the field (``"raise"``).

        Returns
        -------
        DataFrame
            On ``X``'s index: ``score_<model>`` and ``band_<model>`` per
            model, ``channel``, ``cell``, ``decision``,
            ``completeness_tier``, ``limit``, ``price_tier``, ``apr``,
            ``reasons`` and ``reason_codes`` (``;``-joined).
        """
        self._fitted()
        frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(X)
        if frame.columns.duplicated().any():
            frame = frame.loc[:, ~frame.columns.duplicated()]
        policy = self.policy_
        scores: dict[str, np.ndarray] = {}
        codes: list[list[str]] = []
        for s in self._scorers:
            sc, rc = s.score(frame, self.n_reasons_)
            scores[score_column(s.name)] = sc
            codes.append(rc)
        keep = [c for c in (policy.channel_column, policy.amount_column, *self.input_columns_)
                if c in frame.columns and not c.startswith("score_") and not c.startswith("band_")]
        work = frame[list(dict.fromkeys(keep))].copy() if keep else pd.DataFrame(index=frame.index)
        for c, v in scores.items():
            work[c] = v
        decided = policy._decide(work, self._compiled, strict=False, errors=errors)
        out = pd.DataFrame(index=frame.index)
        for m in policy.models:
            out[score_column(m)] = scores[score_column(m)]
            out[band_column(m)] = decided[band_column(m)].to_numpy()
        for c in ("channel", "cell", "decision", "completeness_tier", "limit", "price_tier", "apr", "reasons"):
            out[c] = decided[c].to_numpy()
        n = len(frame)
        out["reason_codes"] = [";".join(x for x in (c[i] for c in codes) if x) for i in range(n)] if n else []
        return out[self.output_columns_]

    # -- JSON ------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The JSON document (a copy)."""
        self._fitted()
        return json.loads(json.dumps(self.spec_))

    def to_json(self, path: str | None = None, *, indent: int | None = None) -> str:
        """The decision model as JSON text: policy and model specs (also written to ``path``)."""
        self._fitted()
        return dump_json(self.spec_, path, indent)

    @classmethod
    def from_json(cls, spec: Any) -> DecisionModel:
        """Rebuild a fitted decision model from :meth:`to_json` output (text, path or dict)."""
        from scorecard.spec import load

        d = load(spec, "scorecard.strategy.DecisionModel")
        dm = cls(n_reasons=int(d.get("n_reasons", 4)), reason_method=d.get("reason_method", "builtin"))
        dm._load(d)
        dm.policy = dm.policy_
        return dm

    from_dict = from_json

    def __repr__(self) -> str:
        if hasattr(self, "policy_"):
            kinds = ", ".join(f"{s.name}: {s.kind}" for s in self._scorers)
            return f"DecisionModel(policy={self.policy_.name!r}@{self.policy_.version!r}, models={{{kinds}}})"
        return "DecisionModel(unfitted)"
