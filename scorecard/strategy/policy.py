"""Decision policies per channel: admission, limit and price for every cell (:class:`Policy`).

A :class:`Policy` is the strategy a lender runs: the score bands of each model
(which define the cells of the cross matrix) and, for each acquisition
channel, a :class:`ChannelPolicy` whose :class:`Cell` entries give every cell

- a **decision**: ``approve``, ``refer`` (manual review) or ``decline``;
- a **credit limit**: an amount (``limit_basis="absolute"``) or a multiple of
  the requested amount (``limit_basis="requested_multiple"``);
- a **price tier**, named in the policy's ``price_tiers`` (tier -> APR);
- **reason codes** (e.g. why the cell is declined).

Data-completeness tiers (:class:`CompletenessTier`) then raise or cap the
limit: the first tier whose ``require`` fields all match the applicant's data
(for example ``{"bureau_hit": 1, "income_proof": 1}``) multiplies the cell's
limit by ``multiplier`` and caps it at ``cap``; the last tier must require
nothing (the catch-all). A completeness field that is absent from the input
or missing for a row counts as *not supplied*. Limits are finally rounded
down to a multiple of ``limit_step`` (when positive).

Safe decisions
--------------
:meth:`Policy.decide` never fails on a row: an applicant from a channel the
policy does not cover gets ``unknown_channel_decision`` (reason
``UNKNOWN_CHANNEL``, or ``MISSING_CHANNEL``); one with a missing score gets
``missing_score_decision`` (reason ``MISSING_SCORE_<MODEL>``), as does an
approvable row of a ``requested_multiple`` channel with no requested amount
(``MISSING_REQUESTED_AMOUNT``). Both safe decisions must be ``refer`` or
``decline``; rows given one have limit 0 and no price.

Decision-time inputs are checked like the policy is. An input that is
present but nonsensical gets ``invalid_input_decision`` (``refer`` or
``decline``; a row already declined stays declined), limit 0, no price, and
a reason code naming the field -- never an approval:

- the requested amount must be finite, > 0 and <= 1e9
  (:data:`DEFAULT_AMOUNT_RULE`, or the policy's own :class:`InputRule` for
  it); other inputs (e.g. income) get their rules from ``input_rules``
  (reason ``INVALID_<FIELD>``, e.g. ``INVALID_REQUESTED_AMOUNT``);
- a score must be a finite number (``INVALID_SCORE_<MODEL>``);
- a band must be an integer the bands can produce, ``0..n_bands - 1`` (or
  -1 / empty for missing): 1.7 is refused, not truncated
  (``INVALID_BAND_<MODEL>``).

``decide(frame, errors="raise")`` raises a
:class:`~scorecard.errors.DataError` naming the fields and rows instead.

Bounded terms
-------------
Every limit returned is finite, >= 0, at most the channel's ``max_limit``
(when set) and the completeness tier's ``cap`` (when set), and a multiple
of ``limit_step`` when rounding (rounded down, never above a cap); every
APR is one of the policy's ``price_tiers``. Validation refuses a policy
whose largest possible limit overflows.

Validation (:meth:`Policy.validate`)
------------------------------------
A policy is rejected with a :class:`~scorecard.errors.SpecError` naming the
channel, the cell and the problem when

- a cell of a channel's grid is undefined, defined twice or out of range;
- a decision is not one of the three, or an approvable cell lacks a limit or
  a known price tier;
- its terms are not monotone in risk: along every axis (band index grows
  with risk), a riskier cell never gets a better decision, a higher limit or
  a lower APR than the safer cell next to it in the same channel (checking
  adjacent cells checks every pair ordered by dominance);
- it names a channel outside ``known_channels`` (when given);
- completeness tiers or the safe decisions are malformed.

Example
-------
>>> import numpy as np, pandas as pd
>>> from scorecard.strategy import ScoreBands, Policy, ChannelPolicy
>>> a = ScoreBands(cutoffs=[550, 600]).fit()                      # points: 3 bands
>>> b = ScoreBands(cutoffs=[0.05], higher_is_safer=False).fit()   # a PD: 2 bands
>>> decision = np.array([["approve", "approve"], ["approve", "refer"], ["refer", "decline"]])
>>> limit = np.array([[20000, 10000], [10000, 5000], [5000, 0]])
>>> tier = np.array([["P1", "P2"], ["P2", "P3"], ["P3", None]], dtype=object)
>>> ch = ChannelPolicy.from_arrays(decision, limit, tier)
>>> policy = Policy("demo", "1", {"sc": a, "bureau": b}, {"app": ch},
...                 price_tiers={"P1": 0.12, "P2": 0.18, "P3": 0.24}).validate()
>>> out = policy.decide(pd.DataFrame({"score_sc": [620, 560, 500], "score_bureau": [0.01, 0.2, 0.2],
...                                   "channel": ["app", "app", "web"]}))
>>> out[["cell", "decision", "limit", "apr"]].values.tolist()
[['A|A', 'approve', 20000.0, 0.12], ['B|B', 'refer', 5000.0, 0.24], ['C|B', 'decline', 0.0, nan]]
>>> out["reasons"].tolist()
['', '', 'UNKNOWN_CHANNEL']
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from scorecard.errors import DataError, MissingColumnError, SpecError
from scorecard.strategy._common import (
    DECISION_RANK,
    DECISIONS,
    MISSING_BAND,
    SAFE_DECISIONS,
    adjacent_pairs,
    band_column,
    dump_json,
    find_score,
    json_float,
    read_json,
    score_column,
)
from scorecard.strategy.bands import ScoreBands

__all__ = ["Policy", "ChannelPolicy", "Cell", "CompletenessTier", "InputRule", "DEFAULT_AMOUNT_RULE", "DECISIONS",
           "LIMIT_BASES", "SPEC_VERSION"]

logger = logging.getLogger(__name__)

SPEC_VERSION = 1
LIMIT_BASES: tuple[str, ...] = ("absolute", "requested_multiple")
_MAX_PROBLEMS_SHOWN = 20


@dataclass
class Cell:
    """Terms of one cell of a channel's matrix.

    Parameters
    ----------
    bands : tuple of int
        Band index per model, in the policy's model order (0 = safest).
    decision : {"approve", "refer", "decline"}
    limit : float, optional
        Credit limit (an amount, or a multiple of the requested amount,
        per the channel's ``limit_basis``); required unless declined.
    price_tier : str, optional
        A key of the policy's ``price_tiers``; required unless declined.
    reasons : list of str
        Reason codes reported for rows of this cell (e.g. why declined).
    """

    bands: tuple[int, ...]
    decision: str
    limit: float | None = None
    price_tier: str | None = None
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "bands": [int(b) for b in self.bands],
            "decision": self.decision,
            "limit": json_float(self.limit),
            "price_tier": self.price_tier,
            "reasons": list(self.reasons),
        }


@dataclass
class CompletenessTier:
    """A data-completeness tier: applicants whose data match ``require`` get ``multiplier`` and ``cap``.

    Parameters
    ----------
    name : str
    require : dict of str -> value
        Field -> value the applicant's data must equal (numbers compare
        numerically, so ``1`` matches ``1.0`` and ``True``). Empty = every
        applicant (the catch-all, which must come last).
    multiplier : float, default 1.0
        Applied to the cell's limit (> 0; above 1 raises, below 1 lowers it).
    cap : float, optional
        Upper bound of the resulting limit (an amount).
    """

    name: str
    require: dict[str, Any] = field(default_factory=dict)
    multiplier: float = 1.0
    cap: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "name": self.name,
            "require": {str(k): _plain(v) for k, v in self.require.items()},
            "multiplier": float(self.multiplier),
            "cap": json_float(self.cap),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> CompletenessTier:
        """From :meth:`to_dict` output."""
        return cls(str(d["name"]), dict(d.get("require") or {}), float(d.get("multiplier", 1.0)),
                   None if d.get("cap") is None else float(d["cap"]))


@dataclass
class InputRule:
    """Bounds a decision-time input must satisfy (checked like the policy is).

    A value that is present but non-numeric, not finite, outside
    ``[min, max]`` (``min`` excluded when ``min_exclusive``) or not a whole
    number when ``integer`` is *invalid*: the row gets the policy's
    ``invalid_input_decision`` with reason ``INVALID_<FIELD>`` (never an
    approval), or :meth:`Policy.decide` raises when asked to
    (``errors="raise"``). A missing value (absent column, None, NaN, empty
    text) is not invalid: it counts as not supplied.

    Parameters
    ----------
    min, max : float, optional
        Bounds (finite when given).
    min_exclusive : bool, default False
        ``True``: the value must be strictly above ``min`` (e.g. positive).
    integer : bool, default False
        The value must be a whole number.

    Examples
    --------
    >>> r = InputRule(min=0, min_exclusive=True, max=1e9)
    >>> r.invalid([5000.0, -10000.0, 1e308, 0.0, float("nan")]).tolist()
    [False, True, True, True, False]
    >>> r.describe()
    'finite, > 0 and <= 1e+09'
    """

    min: float | None = None
    max: float | None = None
    min_exclusive: bool = False
    integer: bool = False

    def invalid(self, values: Any) -> np.ndarray:
        """Mask of the values (floats; NaN = missing) that break the rule; NaN is not invalid."""
        v = np.asarray(values, dtype=float)
        with np.errstate(invalid="ignore"):
            bad = np.isinf(v)
            if self.min is not None:
                bad |= (v <= self.min) if self.min_exclusive else (v < self.min)
            if self.max is not None:
                bad |= v > self.max
            if self.integer:
                bad |= np.isfinite(v) & (v != np.floor(v))
        return bad & ~np.isnan(v)

    def describe(self) -> str:
        """The rule in words (for error messages and reports)."""
        parts = ["finite"]
        if self.min is not None:
            parts.append(f"{'>' if self.min_exclusive else '>='} {self.min:g}")
        if self.max is not None:
            parts.append(f"<= {self.max:g}")
        if self.integer:
            parts.append("a whole number")
        return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]

    def problems(self, where: str) -> list[str]:
        """What is wrong with the rule itself (empty when valid)."""
        out = []
        for k in ("min", "max"):
            v = getattr(self, k)
            if v is not None and not (isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)):
                out.append(f"{where}: {k} must be a finite number or None, got {v!r}")
        if not out and self.min is not None and self.max is not None and self.min > self.max:
            out.append(f"{where}: min {self.min:g} is above max {self.max:g}")
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"min": json_float(self.min), "max": json_float(self.max),
                "min_exclusive": bool(self.min_exclusive), "integer": bool(self.integer)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> InputRule:
        """From :meth:`to_dict` output."""
        return cls(None if d.get("min") is None else float(d["min"]), None if d.get("max") is None else float(d["max"]),
                   bool(d.get("min_exclusive", False)), bool(d.get("integer", False)))


#: The rule of the requested amount unless the policy gives its own: finite, positive, at most 1e9.
DEFAULT_AMOUNT_RULE = InputRule(min=0.0, max=1e9, min_exclusive=True)


def _plain(v: Any) -> Any:
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    return v


@dataclass
class ChannelPolicy:
    """The matrix of one channel: terms for every cell, the limit basis and completeness tiers.

    Parameters
    ----------
    cells : list of Cell
        Exactly one per cell of the grid.
    limit_basis : {"absolute", "requested_multiple"}, default "absolute"
    completeness : list of CompletenessTier, optional
        This channel's tiers; default the policy's.
    max_bad_rate : float, optional
        The bad-rate ceiling the matrix was built for (documentation; the
        optimiser fills it in).
    max_limit : float, optional
        The channel's cap: no limit of this channel exceeds it, whatever the
        cell, the requested amount or the completeness tier (finite, >= 0).
    """

    cells: list[Cell]
    limit_basis: str = "absolute"
    completeness: list[CompletenessTier] | None = None
    max_bad_rate: float | None = None
    max_limit: float | None = None

    @classmethod
    def from_arrays(
        cls,
        decision: Any,
        limit: Any = None,
        price_tier: Any = None,
        reasons: Any = None,
        *,
        limit_basis: str = "absolute",
        completeness: list[CompletenessTier] | None = None,
        max_bad_rate: float | None = None,
        max_limit: float | None = None,
    ) -> ChannelPolicy:
        """Build a channel from arrays shaped like the grid (one axis per model).

        ``limit`` and ``price_tier`` may be scalars (the same for every
        cell); entries of declined cells are ignored. ``reasons`` holds a
        list of codes (or a ``;``-separated string, or None) per cell.
        """
        dec = np.asarray(decision, dtype=object)
        shape = dec.shape
        lim = np.broadcast_to(np.asarray(limit if limit is not None else np.nan, dtype=object), shape)
        tier = np.broadcast_to(np.asarray(price_tier, dtype=object), shape)
        rea = None if reasons is None else np.asarray(reasons, dtype=object)
        cells = []
        for idx in np.ndindex(shape):
            d = str(dec[idx])
            lv = lim[idx]
            lv = None if lv is None or (isinstance(lv, float) and math.isnan(lv)) else float(lv)
            tv = tier[idx]
            tv = None if tv is None or (isinstance(tv, float) and math.isnan(tv)) else str(tv)
            if d == "decline":
                lv, tv = None, None
            r = [] if rea is None else rea[idx]
            if r is None:
                r = []
            elif isinstance(r, str):
                r = [x for x in r.split(";") if x]
            cells.append(Cell(tuple(int(i) for i in idx), d, lv, tv, list(r)))
        return cls(cells, limit_basis, completeness, max_bad_rate, max_limit)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict, cells sorted by their bands."""
        return {
            "limit_basis": self.limit_basis,
            "max_bad_rate": json_float(self.max_bad_rate),
            "max_limit": json_float(self.max_limit),
            "completeness": None if self.completeness is None else [t.to_dict() for t in self.completeness],
            "cells": [c.to_dict() for c in sorted(self.cells, key=lambda c: tuple(c.bands))],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ChannelPolicy:
        """From :meth:`to_dict` output."""
        cells = [
            Cell(tuple(int(b) for b in c["bands"]), str(c["decision"]),
                 None if c.get("limit") is None else float(c["limit"]), c.get("price_tier"),
                 list(c.get("reasons") or []))
            for c in d["cells"]
        ]
        comp = d.get("completeness")
        return cls(
            cells,
            str(d.get("limit_basis", "absolute")),
            None if comp is None else [CompletenessTier.from_dict(t) for t in comp],
            None if d.get("max_bad_rate") is None else float(d["max_bad_rate"]),
            None if d.get("max_limit") is None else float(d["max_limit"]),
        )


@dataclass
class _Compiled:
    """Flat lookup arrays of one channel (private)."""

    decision: np.ndarray  # rank per flat cell
    limit: np.ndarray
    apr: np.ndarray
    tier: np.ndarray
    reasons: np.ndarray
    basis: str
    completeness: list[CompletenessTier]
    max_limit: float


@dataclass
class Policy:
    """A versioned cross-credit strategy: bands per model and a decision matrix per channel.

    Parameters
    ----------
    name : str
    version : str
        Free-form version label (e.g. ``"2026.11.1"``); compared by :func:`diff`.
    bands : dict of str -> ScoreBands
        Fitted bands per model, in axis order. Frames given to
        :meth:`decide` hold each model's score as ``score_<name>`` (or
        ``<name>``), or its band as ``band_<name>``.
    channels : dict of str -> ChannelPolicy
    price_tiers : dict of str -> float
        Price tier -> APR (e.g. ``{"P1": 0.12}``).
    completeness : list of CompletenessTier
        Default tiers of every channel; default one catch-all tier (no change).
    known_channels : list of str, optional
        When given, every channel of the policy must be one of them.
    channel_column : str, default "channel"
    amount_column : str, default "requested_amount"
        Requested amount (for ``requested_multiple`` limits and exposures).
    missing_score_decision : {"refer", "decline"}, default "refer"
    unknown_channel_decision : {"refer", "decline"}, default "decline"
    limit_step : float, default 0
        Limits are rounded down to a multiple of this (0: not rounded),
        never above the applicable cap.
    input_rules : dict of str -> InputRule, optional
        Bounds of decision-time inputs (see :class:`InputRule`). The
        requested amount always has one: :data:`DEFAULT_AMOUNT_RULE`
        (finite, > 0, <= 1e9) unless given here; add e.g.
        ``{"monthly_income": InputRule(min=0)}``.
    invalid_input_decision : {"refer", "decline"}, default "refer"
        Decision of a row with an invalid input (reason ``INVALID_<FIELD>``,
        ``INVALID_SCORE_<MODEL>`` or ``INVALID_BAND_<MODEL>``); a row already
        declined stays declined.
    description : str

    Examples
    --------
    See the module docstring.
    """

    name: str
    version: str
    bands: dict[str, ScoreBands]
    channels: dict[str, ChannelPolicy]
    price_tiers: dict[str, float] = field(default_factory=dict)
    completeness: list[CompletenessTier] = field(default_factory=lambda: [CompletenessTier("all")])
    known_channels: list[str] | None = None
    channel_column: str = "channel"
    amount_column: str = "requested_amount"
    missing_score_decision: str = "refer"
    unknown_channel_decision: str = "decline"
    limit_step: float = 0.0
    description: str = ""
    input_rules: dict[str, InputRule] = field(default_factory=dict)
    invalid_input_decision: str = "refer"

    # -- structure -----------------------------------------------------------
    @property
    def models(self) -> list[str]:
        """Model names in axis order."""
        return list(self.bands)

    @property
    def shape(self) -> tuple[int, ...]:
        """Bands per model."""
        return tuple(b.n_bands_ for b in self.bands.values())

    def cell_label(self, bands: Sequence[int]) -> str:
        """Readable cell name, e.g. ``"scorecard=B, bureau=C"``."""
        parts = []
        for (m, b), i in zip(self.bands.items(), bands):
            lab = b.labels_[i] if 0 <= int(i) < b.n_bands_ else f"#{i}"
            parts.append(f"{m}={lab}")
        return ", ".join(parts)

    # -- validation ----------------------------------------------------------
    def problems(self) -> list[str]:
        """Every problem :meth:`validate` would report (empty when valid)."""
        out: list[str] = []
        if not isinstance(self.name, str) or not self.name:
            out.append("the policy needs a non-empty name")
        if not isinstance(self.version, str) or not self.version:
            out.append(f"version must be a non-empty string, got {self.version!r}")
        if not self.bands:
            return out + ["the policy has no model bands: give at least one ScoreBands"]
        for m, b in self.bands.items():
            if not isinstance(b, ScoreBands) or not hasattr(b, "cutoffs_"):
                return out + [f"bands of model {m!r} must be a fitted ScoreBands"]
        if not self.channels:
            out.append("the policy has no channel")
        for which, d in (("missing_score_decision", self.missing_score_decision),
                         ("unknown_channel_decision", self.unknown_channel_decision)):
            if d not in SAFE_DECISIONS:
                out.append(f"{which} must be 'refer' or 'decline' (a safe decision), got {d!r}")
        for t, apr in self.price_tiers.items():
            if not isinstance(apr, (int, float)) or not math.isfinite(apr) or apr < 0:
                out.append(f"price tier {t!r} has APR {apr!r}; it must be a finite number >= 0")
        if not (isinstance(self.limit_step, (int, float)) and math.isfinite(self.limit_step) and self.limit_step >= 0):
            out.append(f"limit_step must be a number >= 0, got {self.limit_step!r}")
        out += _tier_problems(self.completeness, "policy")
        if self.invalid_input_decision not in SAFE_DECISIONS:
            out.append(f"invalid_input_decision must be 'refer' or 'decline' (a safe decision), "
                       f"got {self.invalid_input_decision!r}")
        if not isinstance(self.input_rules, Mapping):
            out.append("input_rules must be a dict of field -> InputRule")
            rules: dict[str, InputRule] = {}
        else:
            rules = {}
            for fld, r in self.input_rules.items():
                if not isinstance(r, InputRule):
                    out.append(f"input rule of {fld!r} is not an InputRule")
                    continue
                rules[str(fld)] = r
                out += r.problems(f"input rule of {fld!r}")
        amount_rule = rules.get(self.amount_column, DEFAULT_AMOUNT_RULE)
        if amount_rule.min is None or amount_rule.min < 0 or amount_rule.max is None:
            out.append(f"the rule of the requested amount {self.amount_column!r} needs min >= 0 and a finite max "
                       f"(limits of requested_multiple channels scale with it), got {amount_rule.to_dict()}")
        known = None if self.known_channels is None else [str(c) for c in self.known_channels]
        shape = self.shape
        n_cells = int(np.prod(shape))
        pairs = adjacent_pairs(shape)
        for ch, cp in self.channels.items():
            where = f"channel {ch!r}"
            if not isinstance(ch, str) or not ch:
                out.append(f"channel names must be non-empty strings, got {ch!r}")
                continue
            if known is not None and ch not in known:
                out.append(f"{where} is not a known channel (known channels: {', '.join(known)}); "
                           "fix the name or add it to known_channels")
            if cp.limit_basis not in LIMIT_BASES:
                out.append(f"{where}: limit_basis must be one of {LIMIT_BASES}, got {cp.limit_basis!r}")
            if cp.completeness is not None:
                out += _tier_problems(cp.completeness, where)
            if cp.max_limit is not None and not (isinstance(cp.max_limit, (int, float))
                                                 and math.isfinite(cp.max_limit) and cp.max_limit >= 0):
                out.append(f"{where}: max_limit must be a finite number >= 0, got {cp.max_limit!r}")
            if cp.max_bad_rate is not None and not (0 <= cp.max_bad_rate <= 1):
                out.append(f"{where}: max_bad_rate must be in [0, 1], got {cp.max_bad_rate!r}")
            by_flat: dict[int, Cell] = {}
            for c in cp.cells:
                bands = tuple(int(x) for x in c.bands)
                if len(bands) != len(shape) or any(not 0 <= i < n for i, n in zip(bands, shape)):
                    out.append(f"{where}: cell {list(bands)} is outside the grid {list(shape)} "
                               f"of models {self.models}")
                    continue
                flat = int(np.ravel_multi_index(bands, shape))
                if flat in by_flat:
                    out.append(f"{where}: cell {self.cell_label(bands)} is defined twice")
                    continue
                by_flat[flat] = c
                label = f"{where}, cell {self.cell_label(bands)}"
                if c.decision not in DECISIONS:
                    out.append(f"{label}: decision {c.decision!r} is not one of {DECISIONS}")
                    continue
                if c.decision != "decline":
                    if c.limit is None or not math.isfinite(float(c.limit)) or float(c.limit) < 0:
                        out.append(f"{label}: a {c.decision} cell needs a limit >= 0, got {c.limit!r}")
                    if c.price_tier not in self.price_tiers:
                        out.append(f"{label}: price tier {c.price_tier!r} is not in price_tiers "
                                   f"{sorted(self.price_tiers)}")
            tiers = cp.completeness if isinstance(cp.completeness, list) else self.completeness
            mults = [float(t.multiplier) for t in tiers if isinstance(t, CompletenessTier)
                     and isinstance(t.multiplier, (int, float)) and math.isfinite(t.multiplier)]
            lims = [float(c.limit) for c in by_flat.values() if c.decision in ("approve", "refer")
                    and isinstance(c.limit, (int, float)) and math.isfinite(float(c.limit))]
            scale = (amount_rule.max or 0.0) if cp.limit_basis == "requested_multiple" else 1.0
            with np.errstate(over="ignore"):
                top = max(lims, default=0.0) * scale * max(mults, default=1.0)
            if not math.isfinite(top):
                out.append(f"{where}: the largest limit (cell limit x requested amount up to {scale:g} x the "
                           "largest completeness multiplier) overflows; lower the limits or the amount rule's max")
            missing = [f for f in range(n_cells) if f not in by_flat]
            if missing:
                shown = "; ".join(self.cell_label(np.unravel_index(f, shape)) for f in missing[:5])
                out.append(f"{where}: {len(missing)} cell(s) of the {n_cells}-cell grid are undefined "
                           f"({shown}{'; ...' if len(missing) > 5 else ''}); every cell needs a decision")
                continue
            for axis, s, r in pairs:
                cs, cr = by_flat[s], by_flat[r]
                if cs.decision not in DECISIONS or cr.decision not in DECISIONS:
                    continue
                ls, lr = self.cell_label(cs.bands), self.cell_label(cr.bands)
                if DECISION_RANK[cr.decision] > DECISION_RANK[cs.decision]:
                    out.append(f"{where}: the riskier cell {lr} gets {cr.decision!r} but the safer cell {ls} "
                               f"gets {cs.decision!r}; decisions must not improve with risk")
                    continue
                if cr.decision == "decline" or cs.decision == "decline":
                    continue
                if cr.limit is not None and cs.limit is not None and float(cr.limit) > float(cs.limit):
                    out.append(f"{where}: the riskier cell {lr} gets a higher limit ({cr.limit:g}) than the "
                               f"safer cell {ls} ({cs.limit:g}); limits must not rise with risk")
                ar, as_ = self.price_tiers.get(cr.price_tier), self.price_tiers.get(cs.price_tier)
                if ar is not None and as_ is not None and ar < as_:
                    out.append(f"{where}: the riskier cell {lr} gets a lower price ({cr.price_tier} = {ar:g}) "
                               f"than the safer cell {ls} ({cs.price_tier} = {as_:g}); prices must not fall with risk")
        return out

    def validate(self) -> Policy:
        """Raise :class:`~scorecard.errors.SpecError` listing every problem; return self when valid."""
        probs = self.problems()
        if probs:
            shown = "\n  - ".join(probs[:_MAX_PROBLEMS_SHOWN])
            more = f"\n  ... and {len(probs) - _MAX_PROBLEMS_SHOWN} more" if len(probs) > _MAX_PROBLEMS_SHOWN else ""
            raise SpecError(f"policy {self.name!r} version {self.version!r} is invalid:\n  - {shown}{more}")
        return self

    # -- tables ----------------------------------------------------------------
    def cells_frame(self) -> pd.DataFrame:
        """Every cell of every channel as a long table.

        Columns: channel, one per model (band index), cell (labels joined by
        ``|``), decision, limit, price_tier, apr, reasons (``;``-joined).
        """
        rows = []
        for ch, cp in self.channels.items():
            for c in sorted(cp.cells, key=lambda c: tuple(c.bands)):
                rows.append(
                    {
                        "channel": ch,
                        **{m: int(i) for m, i in zip(self.models, c.bands)},
                        "cell": "|".join(b.labels_[i] for b, i in zip(self.bands.values(), c.bands)),
                        "decision": c.decision,
                        "limit": np.nan if c.limit is None else float(c.limit),
                        "price_tier": c.price_tier,
                        "apr": self.price_tiers.get(c.price_tier, np.nan) if c.price_tier is not None else np.nan,
                        "reasons": ";".join(c.reasons),
                    }
                )
        return pd.DataFrame(rows)

    def matrix(self, channel: str, field: str = "decision") -> pd.DataFrame:
        """One field of a channel's cells over the first two models (band labels as axes)."""
        if channel not in self.channels:
            raise DataError(f"channel {channel!r} is not in the policy; channels are {list(self.channels)}")
        t = self.cells_frame()
        t = t[t["channel"] == channel]
        if field not in t.columns:
            raise DataError(f"unknown field {field!r}; use decision, limit, price_tier, apr or reasons")
        models = self.models
        if len(models) == 1:
            out = t.set_index(models[0])[[field]]
            out.index = self.bands[models[0]].labels_
            return out
        if len(models) > 2:
            raise DataError("matrix() shows two models; use cells_frame() for more")
        out = t.pivot(index=models[0], columns=models[1], values=field)
        out.index = self.bands[models[0]].labels_
        out.columns = self.bands[models[1]].labels_
        out.index.name, out.columns.name = models
        return out

    # -- applying the policy -----------------------------------------------------
    def _compile(self) -> dict[str, _Compiled]:
        shape = self.shape
        n = int(np.prod(shape))
        out = {}
        for ch, cp in self.channels.items():
            dec = np.zeros(n, dtype=np.int64)
            lim = np.zeros(n)
            apr = np.full(n, np.nan)
            tier = np.full(n, None, dtype=object)
            rea = np.full(n, "", dtype=object)
            for c in cp.cells:
                f = int(np.ravel_multi_index(tuple(c.bands), shape))
                dec[f] = DECISION_RANK[c.decision]
                rea[f] = ";".join(c.reasons)
                if c.decision != "decline":
                    lim[f] = float(c.limit)
                    tier[f] = c.price_tier
                    apr[f] = float(self.price_tiers[c.price_tier])
            out[ch] = _Compiled(dec, lim, apr, tier, rea, cp.limit_basis,
                                cp.completeness if cp.completeness is not None else self.completeness,
                                np.inf if cp.max_limit is None else float(cp.max_limit))
        return out

    @property
    def rules(self) -> dict[str, InputRule]:
        """Every input rule applied at decision time (the requested amount's always included)."""
        out = {self.amount_column: DEFAULT_AMOUNT_RULE}
        out.update({str(k): v for k, v in (self.input_rules or {}).items()})
        return out

    def decide(self, frame: pd.DataFrame, *, strict: bool = True, errors: str = "safe") -> pd.DataFrame:
        """Apply the policy to every row of ``frame``.

        Parameters
        ----------
        frame : DataFrame
            Per model ``score_<name>`` (or ``<name>``) or ``band_<name>``;
            the channel column; the completeness fields; the requested amount
            (needed by ``requested_multiple`` channels).
        strict : bool, default True
            Raise :class:`~scorecard.errors.MissingColumnError` when a model's
            score column is absent. With False, an absent column means a
            missing score for every row (the safe decision).
        errors : {"safe", "raise"}, default "safe"
            What an invalid input does (a value breaking an :class:`InputRule`,
            a non-finite or non-numeric score, a band that is not an integer
            the bands can produce): ``"safe"`` gives the row
            ``invalid_input_decision`` with reason ``INVALID_<FIELD>``;
            ``"raise"`` raises :class:`~scorecard.errors.DataError` naming the
            field(s) and the rows.

        Returns
        -------
        DataFrame
            On ``frame``'s index: ``channel``, ``band_<model>`` per model,
            ``cell`` (labels joined by ``|``; empty when a score is missing),
            ``decision``, ``completeness_tier``, ``limit`` (0 unless approved
            or referred), ``price_tier``, ``apr`` (NaN when declined) and
            ``reasons`` (``;``-joined codes).
        """
        self.validate()
        return self._decide(frame, self._compile(), strict=strict, errors=errors)

    def _bands_checked(self, frame: pd.DataFrame) -> tuple[np.ndarray, list[tuple[str, str, np.ndarray, str]]]:
        """Band matrix (-1 = missing or invalid) and the invalid inputs found: (field, code, mask, rule)."""
        n = len(frame)
        B = np.full((n, len(self.bands)), MISSING_BAND, dtype=np.int64)
        invalid = []
        for j, (m, b) in enumerate(self.bands.items()):
            bcol = band_column(m)
            if bcol in frame.columns:
                vals, bad = _numeric(frame[bcol])
                with np.errstate(invalid="ignore"):
                    ok = np.isfinite(vals) & (vals == np.floor(vals)) & (vals >= MISSING_BAND) & (vals < b.n_bands_)
                bad |= ~np.isnan(vals) & ~ok
                B[:, j] = np.where(ok, vals, MISSING_BAND).astype(np.int64) if n else B[:, j]
                if bad.any():
                    invalid.append((bcol, f"INVALID_BAND_{m.upper()}", bad,
                                    f"an integer band index in 0..{b.n_bands_ - 1} (-1 or empty = missing)"))
                continue
            score = find_score(frame, m)
            if score is None:
                continue
            vals, bad = _numeric(score)
            bad |= np.isinf(vals)
            B[:, j] = b.transform(np.where(bad, np.nan, vals)) if n else B[:, j]
            if bad.any():
                invalid.append((str(score.name), f"INVALID_SCORE_{m.upper()}", bad, "a finite number"))
        return B, invalid

    def _decide(self, frame: pd.DataFrame, compiled: dict[str, _Compiled], *, strict: bool,
                errors: str = "safe") -> pd.DataFrame:
        if errors not in ("safe", "raise"):
            raise DataError(f"errors must be 'safe' or 'raise', got {errors!r}")
        n = len(frame)
        shape = self.shape
        models = self.models
        absent = [m for m in models if band_column(m) not in frame.columns and find_score(frame, m) is None]
        if absent and strict:
            raise MissingColumnError(
                f"the frame has no score for model(s) {absent}: add {[score_column(m) for m in absent]} "
                f"(or band_<model> columns)"
            )
        B, invalid = self._bands_checked(frame)
        bad_band = np.zeros(B.shape, dtype=bool)
        for j, m in enumerate(models):
            for fld, _, mask, _ in invalid:
                if fld in (band_column(m), score_column(m), m):
                    bad_band[:, j] |= mask
        missing = (B < 0) & ~bad_band
        any_missing = (B < 0).any(axis=1)

        if self.channel_column in frame.columns:
            raw = frame[self.channel_column]
            ch_missing = raw.isna().to_numpy()
            ch = raw.astype(object).where(~raw.isna(), None).to_numpy()
            ch = np.array([None if v is None else str(v) for v in ch], dtype=object) if n else ch
        else:
            if strict:
                raise MissingColumnError(f"channel column {self.channel_column!r} is missing from the frame")
            ch_missing = np.ones(n, dtype=bool)
            ch = np.full(n, None, dtype=object)
        amount = None
        amount_bad = np.zeros(n, dtype=bool)
        for fld, rule in self.rules.items():
            if fld not in frame.columns:
                continue
            vals, bad = _numeric(frame[fld])
            bad |= rule.invalid(vals)
            if fld == self.amount_column:
                amount, amount_bad = np.where(bad, np.nan, vals), bad
            if bad.any():
                invalid.append((fld, f"INVALID_{fld.upper()}", bad, rule.describe()))
        if invalid and errors == "raise":
            parts = []
            for fld, _, mask, want in invalid:
                rows = frame.index[mask].tolist()
                parts.append(f"column {fld!r} has {int(mask.sum())} invalid value(s) at rows {rows[:5]}"
                             f"{' ...' if len(rows) > 5 else ''} (must be {want})")
            raise DataError("invalid decision input: " + "; ".join(parts))

        dec = np.full(n, DECISION_RANK[self.unknown_channel_decision], dtype=np.int64)
        lim = np.zeros(n)
        apr = np.full(n, np.nan)
        tier = np.full(n, None, dtype=object)
        tier_name = np.full(n, None, dtype=object)
        reasons = np.where(ch_missing, "MISSING_CHANNEL", "UNKNOWN_CHANNEL").astype(object)
        flat = np.full(n, -1, dtype=np.int64)
        ok = ~any_missing
        if ok.any():
            flat[ok] = np.ravel_multi_index(tuple(B[ok].T), shape)
        miss_reason = np.full(n, "", dtype=object)
        for j, m in enumerate(models):
            code = f"MISSING_SCORE_{m.upper()}"
            miss_reason = np.where(missing[:, j], np.where(miss_reason == "", code, miss_reason + ";" + code), miss_reason)
        safe_missing = DECISION_RANK[self.missing_score_decision]
        no_terms = np.zeros(n, dtype=bool)
        for name, comp in compiled.items():
            rows = ch == name
            if not rows.any():
                continue
            r_miss = rows & any_missing
            dec[r_miss] = safe_missing
            reasons[r_miss] = miss_reason[r_miss]
            r = rows & ~any_missing
            if not r.any():
                continue
            f = flat[r]
            d = comp.decision[f]
            base = comp.limit[f].copy()
            rs = comp.reasons[f].copy()
            if comp.basis == "requested_multiple":
                amt = amount[r] if amount is not None else np.full(int(r.sum()), np.nan)
                no_amt = ~np.isfinite(amt) & (d > 0) & ~amount_bad[r]
                base = base * np.where(np.isfinite(amt), amt, 0.0)
                if no_amt.any():
                    d = np.where(no_amt, safe_missing, d)
                    base = np.where(no_amt, 0.0, base)
                    rs = np.where(no_amt, "MISSING_REQUESTED_AMOUNT", rs)
                    idx = np.flatnonzero(r)
                    no_terms[idx[no_amt]] = True
            t_idx = _tier_index(frame, comp.completeness, r)
            mult = np.array([t.multiplier for t in comp.completeness])[t_idx]
            cap = np.array([np.inf if t.cap is None else t.cap for t in comp.completeness])[t_idx]
            cap = np.minimum(cap, comp.max_limit)
            limit = _round_limit(np.minimum(base * mult, cap), cap, self.limit_step)
            approvable = d > 0
            dec[r] = d
            lim[r] = np.where(approvable, limit, 0.0)
            apr[r] = np.where(approvable, comp.apr[f], np.nan)
            tier[r] = np.where(approvable, comp.tier[f], None)
            tier_name[r] = np.array([t.name for t in comp.completeness], dtype=object)[t_idx]
            reasons[r] = rs
        # terms bounded by construction; a limit that is still not a finite amount >= 0 is refused
        overflow = ~(np.isfinite(lim) & (lim >= 0))
        if overflow.any():
            invalid.append(("limit", "INVALID_LIMIT", overflow, "a finite amount >= 0"))
        # invalid inputs: the safe decision (a declined row stays declined), codes naming the fields
        if invalid:
            bad_any = np.zeros(n, dtype=bool)
            codes = np.full(n, "", dtype=object)
            for _, code, mask, _ in invalid:
                bad_any |= mask
                codes = np.where(mask, np.where(codes == "", code, codes + ";" + code), codes)
            dec = np.where(bad_any, np.minimum(dec, DECISION_RANK[self.invalid_input_decision]), dec)
            reasons = np.where(bad_any, np.where(reasons == "", codes, codes + ";" + reasons.astype(object)), reasons)
            reasons = reasons.astype(object)
            any_missing = any_missing | bad_any
        # safe decisions carry no terms
        safe_rows = ~np.isin(ch, list(compiled)) | any_missing | no_terms
        lim[safe_rows] = 0.0
        apr[safe_rows] = np.nan
        tier[safe_rows] = None

        labels = [np.array([*b.labels_, ""], dtype=object) for b in self.bands.values()]
        if n:
            cell = labels[0][np.where(B[:, 0] < 0, -1, B[:, 0])]
            for j in range(1, len(models)):
                cell = cell + "|" + labels[j][np.where(B[:, j] < 0, -1, B[:, j])]
            cell = np.where((B < 0).any(axis=1), "", cell)
        else:
            cell = np.empty(0, dtype=object)
        names = np.array(["decline", "refer", "approve"], dtype=object)
        out = pd.DataFrame(
            {
                "channel": ch,
                **{band_column(m): B[:, j] for j, m in enumerate(models)},
                "cell": cell,
                "decision": names[dec],
                "completeness_tier": tier_name,
                "limit": lim,
                "price_tier": tier,
                "apr": apr,
                "reasons": reasons,
            },
            index=frame.index,
        )
        return out

    # -- JSON ------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (deterministic: cells sorted, channels in insertion order)."""
        models = []
        for m, b in self.bands.items():
            d = b.to_dict()
            d["name"] = m
            models.append(d)
        return {
            "spec": "scorecard.strategy.Policy",
            "spec_version": SPEC_VERSION,
            "name": self.name,
            "version": self.version,
            "description": self.description,
            "models": models,
            "known_channels": None if self.known_channels is None else [str(c) for c in self.known_channels],
            "channel_column": self.channel_column,
            "amount_column": self.amount_column,
            "missing_score_decision": self.missing_score_decision,
            "unknown_channel_decision": self.unknown_channel_decision,
            "limit_step": float(self.limit_step),
            "invalid_input_decision": self.invalid_input_decision,
            "input_rules": {str(k): r.to_dict() for k, r in self.input_rules.items()},
            "price_tiers": {str(k): float(v) for k, v in self.price_tiers.items()},
            "completeness": [t.to_dict() for t in self.completeness],
            "channels": {str(ch): cp.to_dict() for ch, cp in self.channels.items()},
        }

    def to_json(self, path: str | None = None, *, indent: int | None = 2) -> str:
        """The policy as a JSON document (also written to ``path`` when given).

        Validated first: an invalid policy is never written.
        """
        self.validate()
        return dump_json(self.to_dict(), path, indent)

    @classmethod
    def from_dict(cls, spec: Any, *, validate: bool = True) -> Policy:
        """Rebuild a policy from :meth:`to_dict` / :meth:`to_json` output (dict, JSON text or path)."""
        from scorecard.spec import load

        d = load(spec, "scorecard.strategy.Policy")
        try:
            bands = {}
            for m in d["models"]:
                b = ScoreBands.from_dict(m)
                b.name = m["name"]
                bands[str(m["name"])] = b
            policy = cls(
                name=d["name"],
                version=d["version"],
                bands=bands,
                channels={str(ch): ChannelPolicy.from_dict(cp) for ch, cp in d["channels"].items()},
                price_tiers={str(k): float(v) for k, v in d.get("price_tiers", {}).items()},
                completeness=[CompletenessTier.from_dict(t) for t in d.get("completeness", [{"name": "all"}])],
                known_channels=d.get("known_channels"),
                channel_column=d.get("channel_column", "channel"),
                amount_column=d.get("amount_column", "requested_amount"),
                missing_score_decision=d.get("missing_score_decision", "refer"),
                unknown_channel_decision=d.get("unknown_channel_decision", "decline"),
                limit_step=float(d.get("limit_step", 0.0)),
                description=d.get("description", ""),
                input_rules={str(k): InputRule.from_dict(r) for k, r in (d.get("input_rules") or {}).items()},
                invalid_input_decision=d.get("invalid_input_decision", "refer"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, SpecError):
                raise
            raise SpecError(f"policy document is malformed: {type(exc).__name__} {exc}") from None
        return policy.validate() if validate else policy

    @classmethod
    def from_json(cls, spec: Any, *, validate: bool = True) -> Policy:
        """Alias of :meth:`from_dict` (JSON text, file path or dict)."""
        return cls.from_dict(spec, validate=validate)


def _tier_problems(tiers: Any, where: str) -> list[str]:
    out = []
    if not isinstance(tiers, list) or not tiers:
        return [f"{where}: completeness must be a non-empty list of CompletenessTier"]
    names = [getattr(t, "name", None) for t in tiers]
    if len(set(names)) != len(names):
        out.append(f"{where}: completeness tier names repeat: {names}")
    for i, t in enumerate(tiers):
        if not isinstance(t, CompletenessTier):
            out.append(f"{where}: completeness[{i}] is not a CompletenessTier")
            continue
        if not (isinstance(t.multiplier, (int, float)) and math.isfinite(t.multiplier) and t.multiplier > 0):
            out.append(f"{where}: completeness tier {t.name!r} has multiplier {t.multiplier!r}; it must be > 0")
        if t.cap is not None and not (math.isfinite(t.cap) and t.cap >= 0):
            out.append(f"{where}: completeness tier {t.name!r} has cap {t.cap!r}; it must be >= 0")
    last = tiers[-1]
    if isinstance(last, CompletenessTier) and last.require:
        out.append(f"{where}: the last completeness tier {last.name!r} must require nothing (the catch-all), "
                   f"got require={last.require}")
    return out


def _tier_index(frame: pd.DataFrame, tiers: list[CompletenessTier], rows: np.ndarray) -> np.ndarray:
    """Index of the first matching tier for each selected row (absent / missing data never match)."""
    n = int(rows.sum())
    out = np.full(n, len(tiers) - 1, dtype=np.int64)
    undecided = np.ones(n, dtype=bool)
    cache: dict[str, pd.Series] = {}
    for i, t in enumerate(tiers[:-1]):
        match = undecided.copy()
        for fld, want in t.require.items():
            if fld not in frame.columns:
                match[:] = False
                break
            if fld not in cache:
                cache[fld] = frame[fld][rows]
            col = cache[fld]
            if isinstance(want, (bool, int, float, np.number)) and not isinstance(want, str):
                vals = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
                match &= vals == float(want)
            else:
                match &= (col.astype(object).to_numpy() == want) & col.notna().to_numpy()
        out[match] = i
        undecided &= ~match
    return out


def _numeric(col: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Float values (NaN = missing) and the mask of present values that are not numbers."""
    if pd.api.types.is_bool_dtype(col.dtype) or pd.api.types.is_numeric_dtype(col.dtype):
        vals = col.to_numpy(dtype=float, na_value=np.nan)
        return vals, np.zeros(len(vals), dtype=bool)
    vals = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    obj = col.astype(object)
    blank = obj.isna().to_numpy() | np.array([isinstance(v, str) and not v.strip() for v in obj], dtype=bool)
    return vals, np.isnan(vals) & ~blank


def _round_limit(limit: np.ndarray, cap: np.ndarray, step: float) -> np.ndarray:
    """Limits rounded down to a multiple of ``step`` (when > 0), never above ``cap``."""
    if not step or step <= 0:
        return limit
    out = np.floor(limit / step + 1e-9) * step
    with np.errstate(invalid="ignore"):
        over = out > cap
    if over.any():
        out = np.where(over, np.floor(cap / step) * step, out)
        out = np.where(out > cap, out - step, out)
    return out
