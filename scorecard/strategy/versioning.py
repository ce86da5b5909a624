"""Policy versions: differences between two policies and their MLflow registry (:func:`diff`).

A strategy changes many times a year; each version is a JSON document
(:meth:`Policy.to_json`). :func:`diff` lists what changed from one version to
the next -- cell by cell (decision, limit, price tier, APR, reasons) and in
the policy's settings (bands, price tiers, completeness tiers, channels,
safe decisions) -- and, given a labelled sample, the simulated effect: the
change in approval rate, bad rate, loss and revenue per channel and the
swap set. ``diff(p, p)`` is empty.

:func:`log_policy` logs a policy to MLflow and registers it as a model
whose pyfunc applies the policy to scores (a :class:`DecisionModel` with
external scores only); :func:`load_policy` reads a registered version back.

Example
-------
>>> d = diff(policy_v1, policy_v2, frame=sample)  # doctest: +SKIP
>>> d.cells          # one row per changed cell and field  # doctest: +SKIP
>>> d.effect         # simulated change per channel  # doctest: +SKIP
>>> bool(diff(policy_v1, policy_v1))  # doctest: +SKIP
False
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from scorecard.strategy.policy import Policy

__all__ = ["diff", "PolicyDiff", "log_policy", "load_policy"]

logger = logging.getLogger(__name__)

_CELL_FIELDS = ("decision", "limit", "price_tier", "apr", "reasons")
_SETTINGS = (
    "known_channels",
    "channel_column",
    "amount_column",
    "missing_score_decision",
    "unknown_channel_decision",
    "limit_step",
    "invalid_input_decision",
    "input_rules",
    "price_tiers",
    "completeness",
)


@dataclass
class PolicyDiff:
    """What :func:`diff` returns.

    Attributes
    ----------
    old, new : str
        ``name@version`` of the two policies.
    cells : DataFrame
        One row per changed (channel, cell, field): ``channel``, ``cell``
        (band labels), the band index per model, ``field``, ``old``, ``new``.
        A channel present in one policy only appears as ``field ==
        "channel"`` rows.
    settings : DataFrame
        One row per changed setting (``item``, ``old``, ``new``), including
        each model's bands and each channel's limit basis, completeness
        tiers and ceiling.
    effect : DataFrame or None
        With a sample: per channel and ``"all"``, the simulated metrics of
        ``old`` and ``new`` and their change (``<metric>_old``,
        ``<metric>_new``, ``<metric>_change``).
    swap : DataFrame or None
        With a sample: the swap set (:func:`~scorecard.strategy.swap_set`).
    """

    old: str
    new: str
    cells: pd.DataFrame
    settings: pd.DataFrame
    effect: pd.DataFrame | None = None
    swap: pd.DataFrame | None = None

    @property
    def empty(self) -> bool:
        """True when nothing changed (the version label aside)."""
        return self.cells.empty and self.settings.empty

    def __bool__(self) -> bool:
        return not self.empty

    def summary(self) -> str:
        """One line per changed setting and a count of changed cells per channel and field."""
        lines = [f"{self.old} -> {self.new}"]
        for r in self.settings.itertuples(index=False):
            lines.append(f"  {r.item}: {r.old} -> {r.new}")
        if not self.cells.empty:
            counts = self.cells.groupby(["channel", "field"]).size()
            for (ch, fld), k in counts.items():
                lines.append(f"  channel {ch}: {k} cell(s) changed {fld}")
        if self.empty:
            lines.append("  no change")
        return "\n".join(lines)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def diff(
    old: Policy,
    new: Policy,
    *,
    frame: pd.DataFrame | None = None,
    target: Any = "bad",
    **simulate_kwargs: Any,
) -> PolicyDiff:
    """Differences between two policy versions, and their simulated effect on a sample.

    Parameters
    ----------
    old, new : Policy
    frame : DataFrame, optional
        Labelled sample for the simulated effect (see :func:`simulate`).
    target : str or array-like, default "bad"
    **simulate_kwargs
        Passed to :func:`simulate` (``lgd``, ``term_months``, ...).

    Returns
    -------
    PolicyDiff
    """
    from scorecard.strategy.simulation import SUMMARY_COLUMNS, simulate

    old.validate()
    new.validate()
    settings = []
    od, nd = old.to_dict(), new.to_dict()
    om = {m["name"]: m for m in od["models"]}
    nm = {m["name"]: m for m in nd["models"]}
    if list(om) != list(nm):
        settings.append({"item": "models", "old": list(om), "new": list(nm)})
    for m in sorted(set(om) & set(nm)):
        for k in ("cutoffs", "higher_is_safer", "labels"):
            if om[m][k] != nm[m][k]:
                settings.append({"item": f"bands[{m}].{k}", "old": om[m][k], "new": nm[m][k]})
    for k in _SETTINGS:
        if od[k] != nd[k]:
            settings.append({"item": k, "old": od[k], "new": nd[k]})
    for ch in sorted(set(od["channels"]) & set(nd["channels"])):
        for k in ("limit_basis", "completeness", "max_bad_rate", "max_limit"):
            a, b = od["channels"][ch].get(k), nd["channels"][ch].get(k)
            if a != b:
                settings.append({"item": f"channels[{ch}].{k}", "old": a, "new": b})
    settings_df = pd.DataFrame(settings, columns=["item", "old", "new"])

    rows = []
    same_models = list(om) == list(nm)
    ta, tb = old.cells_frame(), new.cells_frame()
    keys = ["channel", *(new.models if same_models else [])]
    for ch in [c for c in od["channels"] if c not in nd["channels"]]:
        rows.append({"channel": ch, "cell": "*", "field": "channel", "old": "present", "new": "removed"})
    for ch in [c for c in nd["channels"] if c not in od["channels"]]:
        rows.append({"channel": ch, "cell": "*", "field": "channel", "old": "absent", "new": "added"})
    if same_models:
        common = sorted(set(od["channels"]) & set(nd["channels"]))
        a = ta[ta["channel"].isin(common)].set_index(keys)
        b = tb[tb["channel"].isin(common)].set_index(keys)
        idx = a.index.union(b.index)
        a, b = a.reindex(idx), b.reindex(idx)
        for key in idx:
            for fld in _CELL_FIELDS:
                va, vb = a.at[key, fld], b.at[key, fld]
                if isinstance(va, float) and isinstance(vb, float) and np.isnan(va) and np.isnan(vb):
                    continue
                if va is None and vb is None:
                    continue
                if not _same(va, vb):
                    cell = b.at[key, "cell"] if isinstance(b.at[key, "cell"], str) else a.at[key, "cell"]
                    rows.append({"channel": key[0], "cell": cell, **dict(zip(new.models, key[1:])),
                                 "field": fld, "old": va, "new": vb})
    cells = pd.DataFrame(rows, columns=["channel", "cell", *(new.models if same_models else []), "field", "old", "new"])

    effect = swap = None
    if frame is not None:
        ra = simulate(old, frame, target=target, **simulate_kwargs)
        rb = simulate(new, frame, target=target, baseline=old, **simulate_kwargs)
        idx = ra.summary.index.union(rb.summary.index)
        sa, sb = ra.summary.reindex(idx), rb.summary.reindex(idx)
        cols = {}
        for c in SUMMARY_COLUMNS:
            cols[f"{c}_old"] = sa[c]
            cols[f"{c}_new"] = sb[c]
            cols[f"{c}_change"] = sb[c] - sa[c]
        effect = pd.DataFrame(cols)
        swap = rb.swap
    out = PolicyDiff(f"{old.name}@{old.version}", f"{new.name}@{new.version}", cells, settings_df, effect, swap)
    logger.info("diff %s -> %s: %d cell change(s), %d setting change(s)", out.old, out.new, len(cells), len(settings_df))
    return out


def log_policy(
    policy: Policy,
    name: str | None = None,
    *,
    alias: str | None = "champion",
    frame: pd.DataFrame | None = None,
    target: Any = "bad",
    experiment: str = "scorecard",
    tracking_uri: str | None = None,
    **simulate_kwargs: Any,
) -> dict[str, Any]:
    """Log a policy to MLflow and register it (a pyfunc deciding from scores).

    The registered model is a :class:`DecisionModel` whose models are all
    external scores: its input is ``score_<model>`` per model, the
    channel, the completeness fields and the requested amount. With a
    labelled ``frame`` the simulated summary is logged too: metrics
    ``<channel>.approval_rate`` / ``.bad_rate_approved`` / ``.expected_profit``
    and the table ``extra/simulation.csv``.

    Parameters
    ----------
    policy : Policy
    name : str, optional
        Registered model name; default the policy's name.
    alias : str or None, default "champion"
    frame : DataFrame, optional
    target : str, default "bad"
    experiment : str, default "scorecard"
    tracking_uri : str, optional

    Returns
    -------
    dict
        As :func:`~scorecard.strategy.serving.log_decision_model`.
    """
    from scorecard.strategy.decision import DecisionModel
    from scorecard.strategy.serving import log_decision_model
    from scorecard.strategy.simulation import simulate

    dm = DecisionModel({m: None for m in policy.models}, policy, score_kinds={
        m: ("points" if b.higher_is_safer else "proba") for m, b in policy.bands.items()
    }, n_reasons=0).fit()
    metrics: dict[str, float] = {}
    artifacts: dict[str, Any] = {}
    if frame is not None:
        res = simulate(policy, frame, target=target, **simulate_kwargs)
        for ch, row in res.summary.iterrows():
            for k in ("approval_rate", "bad_rate_approved", "expected_profit"):
                v = row[k]
                if pd.notna(v):
                    metrics[f"{ch}.{k}"] = float(v)
        artifacts["simulation"] = res.summary
    return log_decision_model(
        dm, name or policy.name, alias=alias, experiment=experiment, metrics=metrics,
        artifacts=artifacts, tracking_uri=tracking_uri, tags={"scorecard.kind": "policy"},
    )


def load_policy(model_uri: str, *, tracking_uri: str | None = None) -> Policy:
    """Read the policy of a registered decision model (``models:/name@alias`` or ``models:/name/version``)."""
    from scorecard.strategy.serving import load_decision_json

    return load_decision_json(model_uri, tracking_uri=tracking_uri).policy_
