"""Simulate a policy on a labelled sample: approval, bad rate, loss, revenue (:func:`simulate`).

Before a strategy goes live the analyst applies it to past applications
whose outcome is known. :func:`simulate` runs :meth:`Policy.decide` on such
a sample and reports, per channel (and per any extra grouping such as the
application month) and overall:

- ``applications``, ``approved``, ``referred``, ``declined`` and their rates;
- ``bads_approved`` and ``bad_rate_approved`` (the bad rate among the
  approved), and ``bad_rate_declined``;
- ``exposure``: the amount lent, ``min(limit, requested amount)`` per
  approved row (the limit when no requested amount is known);
- ``expected_loss = sum(exposure * lgd * p)`` and
  ``expected_revenue = sum(exposure * apr * term / 12 * (1 - p))`` with
  ``p`` the row's probability of default when a ``pd`` column is given
  (e.g. a calibrated model PD), else its observed outcome (0/1, so the sums
  are the realised loss and interest: unbiased estimates of the expected
  ones). Interest is simple interest over the term, ignoring amortisation
  and funding cost: a screening figure, not a P&L;
- ``expected_profit = expected_revenue - expected_loss``.

Referred applications count as not approved (``refer_as="decline"``) or as
approved (``refer_as="approve"``, the case where review approves them all).

With ``baseline`` (another policy version) the result also holds the
**swap set**: how many applicants, and how risky, move between decisions
from the baseline to the new policy (swap-in: declined before, approved
now; swap-out: the reverse).

Example
-------
>>> import numpy as np, pandas as pd
>>> from scorecard.strategy import ScoreBands, Policy, ChannelPolicy, simulate
>>> bands = {"sc": ScoreBands(cutoffs=[600]).fit()}
>>> ch = ChannelPolicy.from_arrays(np.array(["approve", "decline"]), 10000, "P1")
>>> policy = Policy("p", "1", bands, {"app": ch}, price_tiers={"P1": 0.2})
>>> frame = pd.DataFrame({"score_sc": [650, 700, 550, 500], "channel": "app",
...                       "requested_amount": [5000, 20000, 8000, 3000], "bad": [0, 1, 1, 0]})
>>> res = simulate(policy, frame, target="bad", term_months=12)
>>> row = res.summary.loc["all"]
>>> float(row["approval_rate"]), float(row["bad_rate_approved"]), float(row["exposure"])
(0.5, 0.5, 15000.0)
>>> float(row["expected_loss"]), float(row["expected_revenue"])
(10000.0, 1000.0)
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from scorecard.errors import DataError
from scorecard.strategy._common import resolve_numeric, resolve_target
from scorecard.strategy.policy import Policy

__all__ = ["simulate", "SimulationResult", "swap_set", "SUMMARY_COLUMNS"]

logger = logging.getLogger(__name__)

SUMMARY_COLUMNS: tuple[str, ...] = (
    "applications",
    "approved",
    "referred",
    "declined",
    "approval_rate",
    "refer_rate",
    "decline_rate",
    "bads",
    "bad_rate",
    "bads_approved",
    "bad_rate_approved",
    "bad_rate_declined",
    "exposure",
    "expected_loss",
    "expected_revenue",
    "expected_profit",
)
"""Columns of :attr:`SimulationResult.summary`."""


@dataclass
class SimulationResult:
    """What :func:`simulate` returns.

    Attributes
    ----------
    summary : DataFrame
        One row per channel plus ``"all"`` (:data:`SUMMARY_COLUMNS`).
    by : dict of str -> DataFrame
        The same per value of each extra grouping (``by=``), per channel and overall.
    decisions : DataFrame
        :meth:`Policy.decide` output per row, with ``exposure``, ``loss``,
        ``revenue`` and the target.
    swap : DataFrame or None
        With a baseline: per channel, baseline decision and new decision,
        the count, bads and bad rate of the applicants (:func:`swap_set`).
    policy : str
        ``name@version`` of the simulated policy.
    """

    summary: pd.DataFrame
    by: dict[str, pd.DataFrame]
    decisions: pd.DataFrame
    swap: pd.DataFrame | None
    policy: str

    def approval_rate(self, channel: str = "all") -> float:
        """Approval rate of a channel (or ``"all"``)."""
        return float(self.summary.loc[channel, "approval_rate"])

    def bad_rate(self, channel: str = "all") -> float:
        """Bad rate among the approved of a channel (or ``"all"``)."""
        return float(self.summary.loc[channel, "bad_rate_approved"])


def _aggregate(d: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    cols = {
        "applications": ("approve_flag", "size"),
        "approved": ("approve_flag", "sum"),
        "referred": ("refer_flag", "sum"),
        "declined": ("decline_flag", "sum"),
        "bads": ("_bad", "sum"),
        "bads_approved": ("_bad_approved", "sum"),
        "bads_declined": ("_bad_declined", "sum"),
        "exposure": ("exposure", "sum"),
        "expected_loss": ("loss", "sum"),
        "expected_revenue": ("revenue", "sum"),
    }
    if keys:
        g = d.groupby(keys, sort=True, observed=True).agg(**cols)
    else:
        g = pd.DataFrame({k: [getattr(d[c], f)() if f != "size" else len(d)] for k, (c, f) in cols.items()},
                         index=["all"])
    n = g["applications"].astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        g["approval_rate"] = g["approved"] / n
        g["refer_rate"] = g["referred"] / n
        g["decline_rate"] = g["declined"] / n
        g["bad_rate"] = g["bads"] / n
        g["bad_rate_approved"] = g["bads_approved"] / g["approved"].where(g["approved"] > 0)
        not_app = g["applications"] - g["approved"]
        g["bad_rate_declined"] = g["bads_declined"] / not_app.where(not_app > 0)
    g["expected_profit"] = g["expected_revenue"] - g["expected_loss"]
    return g[list(SUMMARY_COLUMNS)]


def simulate(
    policy: Policy,
    frame: pd.DataFrame,
    *,
    target: Any = "bad",
    pd_column: str | None = None,
    lgd: float = 1.0,
    term_months: str | float = "loan_term_months",
    by: str | Sequence[str] | None = None,
    refer_as: str = "decline",
    baseline: Policy | None = None,
) -> SimulationResult:
    """Apply ``policy`` to a labelled sample and report approval, bad rate, loss and revenue.

    Parameters
    ----------
    policy : Policy
    frame : DataFrame
        Scores (``score_<model>``) or bands (``band_<model>``), the channel,
        the completeness fields, the requested amount, the target.
    target : str or array-like, default "bad"
        0/1 outcome (1 = bad).
    pd_column : str, optional
        Column of probabilities of default used for the expected loss and
        revenue instead of the outcome.
    lgd : float, default 1.0
        Loss given default (share of the exposure lost on a bad).
    term_months : str or float, default "loan_term_months"
        Column of loan terms in months, or one term for every row; used for
        the interest revenue. A missing column falls back to 12 months (logged).
    by : str or list of str, optional
        Extra groupings (e.g. ``"application_month"``), reported per
        channel and overall in :attr:`SimulationResult.by`.
    refer_as : {"decline", "approve"}, default "decline"
        How referred applications count.
    baseline : Policy, optional
        Another version: adds the swap set.

    Returns
    -------
    SimulationResult
    """
    if refer_as not in ("decline", "approve"):
        raise DataError(f"refer_as must be 'decline' or 'approve', got {refer_as!r}")
    if not (np.isfinite(lgd) and 0 <= lgd <= 1):
        raise DataError(f"lgd must be in [0, 1], got {lgd!r}")
    y = resolve_target(frame, target)
    dec = policy.decide(frame)
    p = y.astype(float)
    if pd_column is not None:
        p = resolve_numeric(frame, pd_column, "pd")
        if not np.isfinite(p).all() or (p < 0).any() or (p > 1).any():
            raise DataError(f"pd column {pd_column!r} must hold probabilities in [0, 1] with no missing value")
    if isinstance(term_months, str):
        if term_months in frame.columns:
            term = resolve_numeric(frame, term_months, "term")
            term = np.where(np.isfinite(term), term, 12.0)
        else:
            logger.info("term column %r absent: revenue uses a 12-month term", term_months)
            term = np.full(len(frame), 12.0)
    else:
        term = np.full(len(frame), float(term_months))
    amount = None
    if policy.amount_column in frame.columns:
        amount = resolve_numeric(frame, policy.amount_column, "requested amount")
    approved = (dec["decision"] == "approve").to_numpy()
    referred = (dec["decision"] == "refer").to_numpy()
    counted = approved | referred if refer_as == "approve" else approved
    limit = dec["limit"].to_numpy()
    exposure = limit if amount is None else np.where(np.isfinite(amount), np.minimum(limit, amount), limit)
    exposure = np.where(counted, exposure, 0.0)
    apr = np.nan_to_num(dec["apr"].to_numpy())
    d = dec.copy()
    d["_bad"] = y
    d["approve_flag"] = counted.astype(np.int64)
    d["refer_flag"] = (referred & ~counted).astype(np.int64)
    d["decline_flag"] = (~counted & ~referred).astype(np.int64)
    d["_bad_approved"] = np.where(counted, y, 0)
    d["_bad_declined"] = np.where(counted, 0, y)
    d["exposure"] = exposure
    d["loss"] = exposure * float(lgd) * p
    d["revenue"] = exposure * apr * term / 12.0 * (1.0 - p)
    d["channel"] = d["channel"].fillna("(missing)")
    summary = pd.concat([_aggregate(d, ["channel"]), _aggregate(d, [])])
    summary.index.name = "channel"
    groups: dict[str, pd.DataFrame] = {}
    for col in ([by] if isinstance(by, str) else list(by or [])):
        if col not in frame.columns:
            raise DataError(f"by column {col!r} is missing from the frame")
        d[col] = frame[col].to_numpy()
        per = _aggregate(d, ["channel", col])
        tot = _aggregate(d, [col])
        tot.index = pd.MultiIndex.from_product([["all"], tot.index], names=["channel", col])
        groups[col] = pd.concat([per, tot])
    swap = swap_set(baseline, policy, frame, target=y) if baseline is not None else None
    out_cols = [c for c in dec.columns] + ["exposure", "loss", "revenue"]
    decisions = d[out_cols].assign(**{"bad": y})
    logger.info(
        "simulated %s@%s on %d rows: approval %.2f%%, bad rate among approved %.2f%%",
        policy.name, policy.version, len(frame),
        100 * summary.loc["all", "approval_rate"], 100 * np.nan_to_num(summary.loc["all", "bad_rate_approved"]),
    )
    return SimulationResult(summary, groups, decisions, swap, f"{policy.name}@{policy.version}")


def swap_set(old: Policy, new: Policy, frame: pd.DataFrame, *, target: Any = "bad") -> pd.DataFrame:
    """Applicants moving between decisions from ``old`` to ``new``, per channel and overall.

    Returns
    -------
    DataFrame
        Index (channel, decision_old, decision_new), every combination
        present in the sample; columns ``count``, ``share`` (of the
        channel's applications), ``bads``, ``bad_rate`` and ``swap``:
        ``"in"`` (not approved before, approved now), ``"out"`` (the
        reverse) or ``"same"``.

    Example
    -------
    >>> sw = swap_set(policy_v1, policy_v2, frame)  # doctest: +SKIP
    >>> sw[sw["swap"] == "in"]  # doctest: +SKIP
    """
    y = resolve_target(frame, target)
    a = old.decide(frame)
    b = new.decide(frame)
    d = pd.DataFrame(
        {
            "channel": b["channel"].fillna("(missing)").to_numpy(),
            "decision_old": a["decision"].to_numpy(),
            "decision_new": b["decision"].to_numpy(),
            "bad": y,
        }
    )
    parts = []
    for keys, sub in (("channel", d), ("all", d.assign(channel="all"))):
        g = sub.groupby(["channel", "decision_old", "decision_new"], sort=True).agg(
            count=("bad", "size"), bads=("bad", "sum")
        )
        parts.append(g)
    out = pd.concat(parts).sort_index()
    totals = out.groupby(level="channel")["count"].transform("sum")
    out["share"] = out["count"] / totals
    out["bad_rate"] = out["bads"] / out["count"]
    old_ok = out.index.get_level_values("decision_old") == "approve"
    new_ok = out.index.get_level_values("decision_new") == "approve"
    out["swap"] = np.where(~old_ok & new_ok, "in", np.where(old_ok & ~new_ok, "out", "same"))
    return out[["count", "share", "bads", "bad_rate", "swap"]]
