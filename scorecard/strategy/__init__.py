"""Multi-model cross-credit strategy: score bands crossed into admission, limit and price per channel.

The credit-strategy analyst's workflow, one module per concept:

- :class:`ScoreBands` (:mod:`~scorecard.strategy.bands`) -- cut a model's score into risk bands
  (quantiles or given cut-offs), band 0 the safest; JSON.
- :class:`CrossMatrix` (:mod:`~scorecard.strategy.cross`) -- counts, bad rates with Wilson
  intervals and expected loss over the cross of several models' bands; heat-map; monotonicity check.
- :class:`Policy` (:mod:`~scorecard.strategy.policy`) -- per channel and cell: decision, limit
  (absolute or a multiple of the requested amount), price tier, reasons; completeness tiers;
  validation (complete, monotone in risk, known channels); ``to_json`` / ``from_json``; ``decide``.
- :func:`simulate` (:mod:`~scorecard.strategy.simulation`) -- approval, bad rate, loss and
  revenue per channel (and month) on a labelled sample; swap sets against another version.
- :func:`optimize` (:mod:`~scorecard.strategy.optimization`) -- exact (OR-Tools CP-SAT) cell
  decisions and limits under a bad-rate ceiling per channel; efficient frontiers.
- :func:`diff` (:mod:`~scorecard.strategy.versioning`) -- changed cells and settings between two
  versions and their simulated effect; :func:`log_policy` / :func:`load_policy` (MLflow registry).
- :class:`DecisionModel` (:mod:`~scorecard.strategy.decision`) -- fitted models + policy: raw
  applicant data in, scores, bands, decision, limit, price and reason codes out; JSON only, served
  through MLflow by :mod:`scorecard.strategy.serving` (imported on demand: it imports MLflow).
- :class:`CompiledDecision` (:mod:`~scorecard.strategy.compiled`) -- a decision model compiled into a
  record-level function (dict in, decision dict out, no pandas per record) and a batch path, giving
  the same decisions as ``DecisionModel.predict``; served by :mod:`scorecard.service`.

Example
-------
>>> import numpy as np, pandas as pd
>>> from scorecard.strategy import ScoreBands, optimize, simulate
>>> rng = np.random.default_rng(0)
>>> frame = pd.DataFrame({"a": rng.normal(size=4000), "b": rng.normal(size=4000), "channel": "app"})
>>> frame["bad"] = (rng.random(4000) < 1 / (1 + np.exp(2.5 + frame.a + frame.b))).astype(int)
>>> bands = {m: ScoreBands(4, name=m).fit(frame[m]) for m in ("a", "b")}
>>> policy = optimize(frame, bands, max_bad_rate=0.05).to_policy("demo", "1")
>>> bool(simulate(policy, frame).bad_rate("app") <= 0.05)
True
"""

from scorecard.strategy.bands import ScoreBands
from scorecard.strategy.compiled import CompiledDecision
from scorecard.strategy.cross import CrossMatrix, MonotonicityReport
from scorecard.strategy.decision import DecisionModel
from scorecard.strategy.optimization import (
    OptimizationResult,
    RiskGrade,
    compare_frontiers,
    efficient_frontier,
    optimize,
    plot_frontier,
    solve_cells,
)
from scorecard.strategy.policy import DECISIONS, Cell, ChannelPolicy, CompletenessTier, InputRule, Policy
from scorecard.strategy.simulation import SimulationResult, simulate, swap_set
from scorecard.strategy.versioning import PolicyDiff, diff, load_policy, log_policy

__all__ = [
    "ScoreBands",
    "CrossMatrix",
    "MonotonicityReport",
    "Policy",
    "ChannelPolicy",
    "Cell",
    "CompletenessTier",
    "InputRule",
    "DECISIONS",
    "simulate",
    "swap_set",
    "SimulationResult",
    "optimize",
    "solve_cells",
    "RiskGrade",
    "OptimizationResult",
    "efficient_frontier",
    "compare_frontiers",
    "plot_frontier",
    "diff",
    "PolicyDiff",
    "log_policy",
    "load_policy",
    "DecisionModel",
    "CompiledDecision",
]
