"""The compiled decision path: one application through every model and the channel policy without pandas.

:class:`CompiledDecision` is built from a fitted
:class:`~scorecard.strategy.DecisionModel` (or its JSON document) and gives
the same decisions as :meth:`DecisionModel.predict` -- scores, bands, cell,
decision, completeness tier, limit, price, policy reasons and reason codes --
through precompiled parts:

- a **scorecard** through the scoring core's
  :meth:`scorecard.export.CompiledScorer.score_record` (built from the
  model's JSON spec; its reason codes are the feature names);
- a **challenger** (LightGBM) encoded value by value from its JSON encoding,
  then scored by LightGBM's own predictor through its single-row fast path
  (the C API's ``SingleRowFast`` functions, set up once, one thread):
  ``raw_score`` and, for reason codes, ``pred_contrib`` -- the exact TreeSHAP
  values :meth:`~scorecard.challenger.GBMChallenger.contributions` uses. Why
  not trees compiled into numba (or treelite / lleaves): LightGBM's raw
  score of a 300-tree model costs about 30 microseconds per row through
  ``Booster.predict`` (less through the fast path), and the reason codes
  need LightGBM's TreeSHAP bit for bit (TreeSHAP is most of the time, about
  100 microseconds for 300 trees); a re-implementation would have to
  reproduce its floating-point order to give the same reason codes. Values the challenger has not
  seen in training take its own fallback path (a one-row frame, rare);
- **external** scores read from ``score_<name>``;
- the **bands** (cut-offs as lists, ``bisect``) and the **channel policy**
  (flat per-channel lists of decision, limit, APR, price tier and reasons;
  completeness tiers; the policy's input rules), applied exactly as
  :meth:`Policy.decide` does, including the safe decisions and the
  invalid-input checks.

:meth:`CompiledDecision.decide` takes a dict and returns a dict (plus the
policy name and version and the model version). :meth:`CompiledDecision.decide_batch`
scores a whole table (for files): the scorecard through the scoring core's
batch kernels, the challenger once per distinct *split pattern* (rows whose
every value falls between the same pair of the trees' thresholds score
identically, so LightGBM and its TreeSHAP run once per pattern), the policy
vectorised; the result equals :meth:`DecisionModel.predict`'s frame.

A scorecard used with score kind ``"proba"`` takes the scoring core's
probability, which may differ from the in-memory model's in the last bits;
the default (``"points"``, integers) is exact.

Example
-------
>>> import numpy as np, pandas as pd
>>> from scorecard.strategy import ChannelPolicy, DecisionModel, Policy, ScoreBands
>>> from scorecard.strategy.compiled import CompiledDecision
>>> bands = {"bureau": ScoreBands(cutoffs=[600], name="bureau").fit()}
>>> ch = ChannelPolicy.from_arrays(np.array(["approve", "decline"]), [5000, 0], ["P1", None])
>>> policy = Policy("demo", "1", bands, {"app": ch}, price_tiers={"P1": 0.2}).validate()
>>> dm = DecisionModel({"bureau": None}, policy).fit()
>>> fast = CompiledDecision(dm, model_version="7")
>>> out = fast.decide({"score_bureau": 640, "channel": "app", "requested_amount": 3000})
>>> out["decision"], out["limit"], out["apr"], out["policy_version"], out["model_version"]
('approve', 5000.0, 0.2, '1', '7')
>>> fast.decide({"score_bureau": 640, "channel": "app", "requested_amount": -1})["reasons"]
'INVALID_REQUESTED_AMOUNT'
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import math
import threading
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from scorecard.errors import DataError, ScorecardError
from scorecard.strategy._common import DECISION_RANK, band_column, score_column
from scorecard.strategy.decision import DecisionModel, _top_reasons

__all__ = ["CompiledDecision"]

logger = logging.getLogger(__name__)

_NAMES = ("decline", "refer", "approve")
_NAN = float("nan")


def _missing(v: Any) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v)


def _number(v: Any) -> tuple[float, bool]:
    """A value as a float the way a numeric column reads it: (value, present-but-not-a-number)."""
    if _missing(v):
        return _NAN, False
    if isinstance(v, (bool, np.bool_, int, float, np.integer, np.floating)):
        try:
            return float(v), False
        except OverflowError:  # an integer beyond the floats: as big as a float gets
            return (math.inf if v > 0 else -math.inf), False
    if isinstance(v, str) and not v.strip():
        return _NAN, False
    f = float(pd.to_numeric(pd.Series([v], dtype=object), errors="coerce").iloc[0])
    return f, f != f


class _RuleCheck:
    __slots__ = ("field", "code", "low", "high", "excl", "integer", "amount")

    def __init__(self, field: str, rule: Any, amount: bool) -> None:
        self.field, self.code, self.amount = field, f"INVALID_{field.upper()}", amount
        self.low, self.high, self.excl, self.integer = rule.min, rule.max, rule.min_exclusive, rule.integer

    def bad(self, x: float) -> bool:
        if x != x:
            return False
        if math.isinf(x):
            return True
        if self.low is not None and (x <= self.low if self.excl else x < self.low):
            return True
        if self.high is not None and x > self.high:
            return True
        return bool(self.integer and x != math.floor(x))


class _FastRow:
    """LightGBM's single-row fast predictor (its C API ``...SingleRowFast``) for one booster and output (private).

    The same predictor :meth:`lightgbm.Booster.predict` runs (same iterations,
    one thread), without its per-call set-up; calls are serialised (the C
    side reuses one buffer).
    """

    def __init__(self, booster: Any, ncol: int, contrib: bool) -> None:
        import ctypes

        from lightgbm import basic

        self._ctypes, self._lib, self._safe = ctypes, basic._LIB, basic._safe_call
        self._booster = booster  # keeps the handle alive
        self._handle = ctypes.c_void_p()
        kind = basic._C_API_PREDICT_CONTRIB if contrib else basic._C_API_PREDICT_RAW_SCORE
        self._safe(self._lib.LGBM_BoosterPredictForMatSingleRowFastInit(
            booster._handle, ctypes.c_int(kind), ctypes.c_int(0), ctypes.c_int(int(booster.best_iteration)),
            ctypes.c_int(basic._C_API_DTYPE_FLOAT64), ctypes.c_int32(ncol), ctypes.c_char_p(b"num_threads=1"),
            ctypes.byref(self._handle)))
        self._out = np.empty(ncol + 1 if contrib else 1)
        self._out_ptr = self._out.ctypes.data_as(ctypes.POINTER(ctypes.c_double))
        self._out_len = ctypes.c_int64()
        self._lock = threading.Lock()

    def __call__(self, row: np.ndarray) -> np.ndarray:
        data = np.ascontiguousarray(row, dtype=np.float64).reshape(-1)
        with self._lock:
            self._safe(self._lib.LGBM_BoosterPredictForMatSingleRowFast(
                self._handle, data.ctypes.data_as(self._ctypes.c_void_p), self._ctypes.byref(self._out_len),
                self._out_ptr))
            return self._out[: self._out_len.value].copy()

    def __del__(self) -> None:
        handle = getattr(self, "_handle", None)
        if handle is not None and handle.value:
            try:
                self._lib.LGBM_FastConfigFree(handle)
            except Exception:  # noqa: BLE001 - interpreter shutdown
                pass


class _Channel:
    """One channel's matrix as flat lists (private)."""

    __slots__ = ("decision", "limit", "apr", "tier", "reasons", "multiple", "tiers", "max_limit")

    def __init__(self, comp: Any) -> None:
        self.decision = [int(d) for d in comp.decision]
        self.limit = [float(x) for x in comp.limit]
        self.apr = [float(x) for x in comp.apr]
        self.tier = list(comp.tier)
        self.reasons = [str(r) for r in comp.reasons]
        self.multiple = comp.basis == "requested_multiple"
        self.max_limit = float(comp.max_limit)
        self.tiers = []
        for t in comp.completeness:
            req = []
            for fld, want in t.require.items():
                numeric = isinstance(want, (bool, int, float, np.number)) and not isinstance(want, str)
                req.append((fld, numeric, float(want) if numeric else want))
            self.tiers.append((t.name, req, float(t.multiplier), math.inf if t.cap is None else float(t.cap)))


class CompiledDecision:
    """A :class:`~scorecard.strategy.DecisionModel` compiled into a record-level function.

    Parameters
    ----------
    model : DecisionModel or str or dict
        A fitted decision model, or its JSON document (text, path or dict).
    model_version : str, optional
        Reported as ``model_version`` in every decision (e.g. the registry
        version); default ``"sha256:<first 12 hex digits of the JSON document>"``.

    Attributes
    ----------
    policy_name, policy_version, model_version : str
    output_columns : list of str
        Keys of a decision (the columns of :meth:`DecisionModel.predict`
        plus ``policy``, ``policy_version`` and ``model_version``).

    Examples
    --------
    See the module docstring.
    """

    def __init__(self, model: DecisionModel | str | Mapping[str, Any], *, model_version: str | None = None) -> None:
        dm = model if isinstance(model, DecisionModel) else DecisionModel.from_json(model)
        dm._fitted()
        self.model = dm
        policy = dm.policy_
        self.policy = policy
        self.policy_name, self.policy_version = policy.name, policy.version
        text = dm.to_json()
        self.model_version = str(model_version) if model_version is not None else (
            "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12])
        self.n_reasons = dm.n_reasons_
        self._models = policy.models
        self._parts = [self._compile_scorer(s) for s in dm._scorers]
        self._cutoffs = [[float(c) for c in b.cutoffs_] for b in policy.bands.values()]
        self._safer = [bool(b.higher_is_safer) for b in policy.bands.values()]
        self._n_bands = [int(b.n_bands_) for b in policy.bands.values()]
        self._labels = [list(b.labels_) for b in policy.bands.values()]
        self._strides = [int(np.prod(self._n_bands[j + 1:], dtype=np.int64)) for j in range(len(self._n_bands))]
        compiled = dm._compiled
        self._channels = {name: _Channel(c) for name, c in compiled.items()}
        self._channel_column = policy.channel_column
        self._amount_column = policy.amount_column
        self._rules = [_RuleCheck(f, r, f == policy.amount_column) for f, r in policy.rules.items()]
        self._safe_missing = DECISION_RANK[policy.missing_score_decision]
        self._safe_invalid = DECISION_RANK[policy.invalid_input_decision]
        self._unknown = DECISION_RANK[policy.unknown_channel_decision]
        self._step = float(policy.limit_step or 0.0)
        self._miss_codes = [f"MISSING_SCORE_{m.upper()}" for m in self._models]
        self._bad_score_codes = [f"INVALID_SCORE_{m.upper()}" for m in self._models]
        self.output_columns = [*dm.output_columns_, "policy", "policy_version", "model_version"]

    # -- construction ------------------------------------------------------------
    def _compile_scorer(self, s: Any) -> dict[str, Any]:
        if s.kind == "LogisticScorecard":
            from scorecard.export import CompiledScorer, export_spec

            spec = export_spec(s.model, n_reasons=self.n_reasons if self.n_reasons > 0 else 0)
            spec["reason_codes"] = {f: f for f in s.model.features_} if self.n_reasons > 0 else {}
            scorer = CompiledScorer(spec, engine="auto")
            return {"kind": "scorecard", "name": s.name, "scorer": scorer, "required": list(s.required),
                    "points": s.score_kind == "points",
                    "reason_keys": [f"reason_{k + 1}" for k in range(self.n_reasons)]}
        if s.kind == "GBMChallenger":
            model = s.model
            enc = model.to_dict()["encoding"]
            feats = []
            for f in enc["features"]:
                feats.append((f["name"], f["kind"] == "numeric", [int(c) for c in f["columns"]],
                              {float(c): j for j, c in enumerate(f["specials"])} if f["kind"] == "numeric" else
                              {c: i for i, c in enumerate(f["categories"])},
                              set(float(c) for c in f.get("unseen_specials", [])), bool(f["has_missing"]),
                              len(f["categories"])))
            try:
                fast = (_FastRow(model.booster_, len(enc["names"]), False),
                        _FastRow(model.booster_, len(enc["names"]), True) if self.n_reasons > 0 else None)
            except Exception as exc:  # noqa: BLE001 - an older LightGBM: its Python predict
                logger.info("LightGBM's single-row fast path is unavailable (%s); using Booster.predict", exc)
                fast = None
            return {"kind": "gbm", "name": s.name, "model": model, "booster": model.booster_, "fast": fast,
                    "features": feats, "width": len(enc["names"]), "required": list(s.required),
                    "names": [f[0] for f in feats], "thresholds": _thresholds(model.booster_, len(enc["names"])),
                    "categorical": set(int(c) for c in enc["categorical"])}
        return {"kind": "external", "name": s.name, "column": score_column(s.name)}

    # -- one record --------------------------------------------------------------
    def _encode_gbm(self, part: dict[str, Any], record: Mapping[str, Any]) -> np.ndarray | None:
        """The challenger's encoded row, or None when a value needs its fallback path."""
        row = np.full((1, part["width"]), np.nan)
        for name, numeric, cols, table, unseen, has_missing, n_cat in part["features"]:
            v = record[name]
            if numeric:
                if _missing(v):
                    x = _NAN
                elif isinstance(v, (bool, np.bool_, int, float, np.integer, np.floating)):
                    x = float(v)
                else:
                    return None  # text in a numeric column: the model's own rules (error / coercion)
                j = table.get(x)
                if j is not None:
                    row[0, cols[1]] = j
                    continue
                if math.isinf(x) or x in unseen or (x != x and not has_missing):
                    return None
                row[0, cols[0]] = x
            else:
                if _missing(v):
                    if not has_missing:
                        return None
                    row[0, cols[0]] = n_cat
                    continue
                if isinstance(v, str):
                    key = v
                elif isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_)):
                    f = float(v)
                    key = str(int(f)) if f.is_integer() else repr(f)
                else:
                    return None
                i = table.get(key)
                if i is None:
                    return None
                row[0, cols[0]] = i
        return row

    def _score_gbm(self, part: dict[str, Any], record: Mapping[str, Any]) -> tuple[float, list[str]]:
        row = self._encode_gbm(part, record)
        if row is None:
            frame = pd.DataFrame([{c: record[c] for c in part["names"]}])
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                row = part["model"].encode(frame)
        booster, fast = part["booster"], part["fast"]
        z = fast[0](row) if fast is not None else booster.predict(row, raw_score=True, num_threads=1)
        p = 1.0 / (1.0 + np.exp(-z))
        if self.n_reasons <= 0:
            return float(p[0]), []
        phi = (fast[1](row) if fast is not None else booster.predict(row, pred_contrib=True, num_threads=1)[0]).tolist()
        contrib = []  # a feature's columns added left to right, as numpy's sum of so few values does
        for j, (_, _, cols, *_rest) in enumerate(part["features"]):
            c = phi[cols[0]]
            for k in cols[1:]:
                c += phi[k]
            contrib.append((c, j))
        names = part["names"]
        order = sorted(contrib, key=lambda t: (-t[0], t[1]))[: self.n_reasons]
        return float(p[0]), [names[j] for c, j in order if c > 0]

    def _score_part(self, part: dict[str, Any], record: Mapping[str, Any]) -> tuple[float, list[str], bool]:
        """(score, reason features, invalid) of one model; NaN when missing or not scorable."""
        kind = part["kind"]
        if kind == "external":
            col = part["column"]
            if col not in record:
                return _NAN, [], False
            x, _text = _number(record[col])  # text counts as missing, as for the in-memory model
            return x, [], math.isinf(x)
        if any(c not in record for c in part["required"]):
            return _NAN, [], False
        try:
            if kind == "scorecard":
                res = part["scorer"].score_record(record, reasons=self.n_reasons > 0)
                score = float(res["points"]) if part["points"] else float(res["proba_bad"])
                return score, [res[k] for k in part["reason_keys"] if res.get(k) is not None], False
            score, why = self._score_gbm(part, record)
            return score, why, False
        except (ScorecardError, ValueError, TypeError, KeyError, ArithmeticError) as exc:
            logger.info("model %r could not score the record: %s", part["name"], type(exc).__name__)
            return _NAN, [], False

    def decide(self, record: Mapping[str, Any], *, errors: str = "safe") -> dict[str, Any]:
        """Decide one application given as a mapping column -> value.

        Parameters
        ----------
        record : mapping
            Raw features of every model, the channel, the completeness
            fields, the requested amount; absent keys are absent columns.
        errors : {"safe", "raise"}, default "safe"
            As in :meth:`DecisionModel.predict`: an invalid input gives the
            safe decision with ``INVALID_<FIELD>``, or raises
            :class:`~scorecard.errors.DataError` naming the field.

        Returns
        -------
        dict
            ``score_<model>`` (None when missing or not finite), ``band_<model>``,
            ``channel``, ``cell``, ``decision``, ``completeness_tier``,
            ``limit``, ``price_tier``, ``apr`` (None when no price),
            ``reasons``, ``reason_codes``, ``policy``, ``policy_version``,
            ``model_version``.
        """
        if errors not in ("safe", "raise"):
            raise DataError(f"errors must be 'safe' or 'raise', got {errors!r}")
        out: dict[str, Any] = {}
        invalid: list[tuple[str, str]] = []  # (field, code)
        bands = []
        codes = []
        bad_score = []
        for j, part in enumerate(self._parts):
            score, why, bad = self._score_part(part, record)
            bad_score.append(bad)
            if bad:
                invalid.append((score_column(part["name"]), self._bad_score_codes[j]))
                band = -1
            elif score != score:
                band = -1
            else:
                k = bisect.bisect_right(self._cutoffs[j], score)
                band = (self._n_bands[j] - 1 - k) if self._safer[j] else k
            out[score_column(part["name"])] = score if math.isfinite(score) else None
            out[band_column(part["name"])] = band
            bands.append(band)
            if why:
                codes.append(";".join(f"{part['name']}:{f}" for f in why))
        # the channel
        chv = record.get(self._channel_column) if self._channel_column in record else None
        ch = None if _missing(chv) else str(chv)
        # input rules
        amount = _NAN
        amount_bad = False
        for rule in self._rules:
            if rule.field not in record:
                continue
            x, text = _number(record[rule.field])
            bad = text or rule.bad(x)
            if rule.amount:
                amount, amount_bad = (_NAN if bad else x), bad
            if bad:
                invalid.append((rule.field, rule.code))
        if invalid and errors == "raise":
            raise DataError("invalid decision input: " + "; ".join(
                f"column {f!r} has 1 invalid value at rows [0]" for f, _ in invalid))
        missing = [b < 0 for b in bands]
        any_missing = any(missing)
        comp = self._channels.get(ch) if ch is not None else None
        tier_name = None
        limit, apr, price, no_terms = 0.0, _NAN, None, False
        if comp is None:
            dec = self._unknown
            reasons = "MISSING_CHANNEL" if ch is None else "UNKNOWN_CHANNEL"
        elif any_missing:
            dec = self._safe_missing
            reasons = ";".join(c for c, m, b in zip(self._miss_codes, missing, bad_score) if m and not b)
        else:
            f = sum(b * s for b, s in zip(bands, self._strides))
            dec = comp.decision[f]
            base = comp.limit[f]
            reasons = comp.reasons[f]
            if comp.multiple:
                if amount == amount:
                    base = base * amount
                else:
                    base = base * 0.0
                    if dec > 0 and not amount_bad:
                        dec, base, reasons, no_terms = self._safe_missing, 0.0, "MISSING_REQUESTED_AMOUNT", True
            t = len(comp.tiers) - 1
            for i, (_, req, _, _) in enumerate(comp.tiers[:-1]):
                if all(_tier_match(record, fld, numeric, want) for fld, numeric, want in req):
                    t = i
                    break
            name, _, mult, cap = comp.tiers[t]
            tier_name = name
            cap = min(cap, comp.max_limit)
            lim = min(base * mult, cap)
            if self._step > 0:
                r = math.floor(lim / self._step + 1e-9) * self._step
                if r > cap:
                    r = math.floor(cap / self._step) * self._step
                    if r > cap:
                        r -= self._step
                lim = r
            if dec > 0:
                limit, apr, price = lim, comp.apr[f], comp.tier[f]
        if not (math.isfinite(limit) and limit >= 0):
            invalid.append(("limit", "INVALID_LIMIT"))
        if invalid:
            dec = min(dec, self._safe_invalid)
            bad_codes = ";".join(c for _, c in invalid)
            reasons = bad_codes if not reasons else bad_codes + ";" + reasons
        if comp is None or any_missing or no_terms or invalid:
            limit, apr, price = 0.0, _NAN, None
        if any_missing:
            cell = ""
        else:
            cell = "|".join(lab[b] for lab, b in zip(self._labels, bands))
        out["channel"] = ch
        out["cell"] = cell
        out["decision"] = _NAMES[dec]
        out["completeness_tier"] = tier_name
        out["limit"] = float(limit)
        out["price_tier"] = price
        out["apr"] = None if apr != apr else float(apr)
        out["reasons"] = reasons
        out["reason_codes"] = ";".join(codes)
        out["policy"] = self.policy_name
        out["policy_version"] = self.policy_version
        out["model_version"] = self.model_version
        return out

    # -- a table -----------------------------------------------------------------
    def decide_batch(self, X: Any, *, errors: str = "safe", reasons: bool = True) -> pd.DataFrame:
        """Decide every row of a table (DataFrame, dict of arrays or list of records).

        Parameters
        ----------
        X : DataFrame, dict of arrays or list of dicts
        errors : {"safe", "raise"}, default "safe"
            As in :meth:`decide`.
        reasons : bool, default True
            False skips the per-model reason codes (``reason_codes`` is then
            empty): a challenger's TreeSHAP is most of a batch's time.

        Returns
        -------
        DataFrame
            The frame :meth:`DecisionModel.predict` returns (same columns,
            same values), plus ``policy``, ``policy_version`` and
            ``model_version``.
        """
        dm = self.model
        frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(X)
        if frame.columns.duplicated().any():
            frame = frame.loc[:, ~frame.columns.duplicated()]
        n = len(frame)
        scores: dict[str, np.ndarray] = {}
        codes: list[list[str]] = []
        n_reasons = self.n_reasons if reasons else 0
        for part, s in zip(self._parts, dm._scorers):
            sc, rc = None, None
            if part["kind"] != "external" and n and all(c in frame.columns for c in part["required"]):
                try:
                    sc, rc = (self._batch_scorecard(part, frame, n_reasons) if part["kind"] == "scorecard"
                              else self._batch_gbm(part, frame, n_reasons))
                except (ScorecardError, ValueError, TypeError, KeyError) as exc:
                    logger.info("model %r: compiled batch failed (%s); the model's own path", part["name"],
                                type(exc).__name__)
                    sc = None
            if sc is None:
                sc, rc = s.score(frame, n_reasons)
            scores[score_column(s.name)] = sc
            codes.append(rc)
        policy = self.policy
        keep = [c for c in (policy.channel_column, policy.amount_column, *dm.input_columns_)
                if c in frame.columns and not c.startswith("score_") and not c.startswith("band_")]
        cols = {c: frame[c] for c in dict.fromkeys(keep)}
        cols.update(scores)
        work = pd.DataFrame(cols, index=frame.index)
        decided = policy._decide(work, dm._compiled, strict=False, errors=errors)
        out = {}
        for m in policy.models:
            out[score_column(m)] = scores[score_column(m)]
            out[band_column(m)] = decided[band_column(m)].to_numpy()
        for c in ("channel", "cell", "decision", "completeness_tier", "limit", "price_tier", "apr", "reasons"):
            out[c] = decided[c].to_numpy()
        out["reason_codes"] = [";".join(x for x in row if x) for row in zip(*codes)] if n else []
        out["policy"] = self.policy_name
        out["policy_version"] = self.policy_version
        out["model_version"] = self.model_version
        return pd.DataFrame(out, index=frame.index)[self.output_columns]

    def _batch_scorecard(self, part: dict[str, Any], frame: pd.DataFrame, n_reasons: int) -> tuple[np.ndarray, list[str]]:
        try:
            res = part["scorer"].predict(frame, reasons=n_reasons > 0)
        except (ScorecardError, ValueError, TypeError, KeyError) as exc:
            # a value the batch cannot read (text in a numeric column): record by record, the bad rows missing
            logger.info("model %r: batch failed (%s); scoring record by record", part["name"], type(exc).__name__)
            name, scores, codes = part["name"], np.full(len(frame), np.nan), []
            for i, rec in enumerate(frame[part["required"]].to_dict("records")):
                score, why, _ = self._score_part(part, rec)
                scores[i] = score
                codes.append(";".join(f"{name}:{f}" for f in why[:n_reasons]) if n_reasons else "")
            return scores, codes
        score = res["points"].to_numpy(dtype=float) if part["points"] else res["proba_bad"].to_numpy(dtype=float)
        if n_reasons <= 0:
            return score, [""] * len(frame)
        name = part["name"]
        top = res[part["reason_keys"]].to_numpy(dtype=object)
        return score, [";".join(f"{name}:{f}" for f in row if f is not None) for row in top]

    def _batch_gbm(self, part: dict[str, Any], frame: pd.DataFrame, n_reasons: int) -> tuple[np.ndarray, list[str]]:
        model, booster = part["model"], part["booster"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            A = model.encode(frame[part["names"]])
        # rows with the same position against every threshold of every tree traverse every tree
        # alike: LightGBM (and its TreeSHAP) runs once per distinct pattern
        key = np.empty(A.shape, dtype=np.float64)
        for c in range(A.shape[1]):
            x = A[:, c]
            if c in part["categorical"]:
                key[:, c] = np.where(np.isnan(x), -1.0, x)
            else:
                thr = part["thresholds"].get(c)
                k = np.searchsorted(thr, x, side="left").astype(np.float64) if thr is not None else np.zeros(len(x))
                k[np.abs(x) <= 1e-35] += 0.5  # LightGBM's zero band (missing when a split says so)
                k[np.isnan(x)] = -1.0
                key[:, c] = k
        _, first, inv = np.unique(key, axis=0, return_index=True, return_inverse=True)
        inv = inv.reshape(-1)
        U = A[first]
        z = booster.predict(U, raw_score=True)
        p = (1.0 / (1.0 + np.exp(-z)))[inv]
        if n_reasons <= 0:
            return p, [""] * len(frame)
        phi = booster.predict(U, pred_contrib=True)
        contrib = np.column_stack([phi[:, cols].sum(axis=1) for _, _, cols, *_ in part["features"]])
        names = part["names"]
        tops = _top_reasons(contrib, contrib, names, self.n_reasons)
        name = part["name"]
        joined = np.array([";".join(f"{name}:{f}" for f in t) for t in tops], dtype=object)
        return p, joined[inv].tolist()


def _tier_match(record: Mapping[str, Any], fld: str, numeric: bool, want: Any) -> bool:
    if fld not in record:
        return False
    v = record[fld]
    if numeric:
        x, _ = _number(v)
        return x == want
    return (not _missing(v)) and v == want


def _thresholds(booster: Any, width: int) -> dict[int, np.ndarray]:
    """Sorted numerical split thresholds per encoded column, from the booster's own dump."""
    found: dict[int, set[float]] = {}

    def walk(node: Mapping[str, Any]) -> None:
        if "split_index" not in node:
            return
        if node.get("decision_type") == "<=":
            found.setdefault(int(node["split_feature"]), set()).add(float(node["threshold"]))
        walk(node["left_child"])
        walk(node["right_child"])

    for tree in booster.dump_model()["tree_info"]:
        walk(tree["tree_structure"])
    return {c: np.array(sorted(v)) for c, v in found.items() if c < width}
