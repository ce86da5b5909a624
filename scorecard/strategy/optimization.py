"""Optimise cell decisions (and limits) under a bad-rate ceiling per channel (:func:`optimize`).

The problem
-----------
For one channel, cell ``i`` of the cross matrix holds ``n_i`` applicants of
whom ``b_i`` turned bad. Choosing ``x_i = 1`` (approve) or ``0`` (decline)
per cell to

    maximise ``sum_i n_i x_i``  subject to  ``sum_i b_i x_i <= c * sum_i n_i x_i``

(the bad rate among the approved at most the ceiling ``c``) is a 0/1
knapsack-like problem: rewritten ``sum_i (b_i - c n_i) x_i <= 0``, cells
whose bad rate is below ``c`` give capacity and riskier cells use it. Greedy
choices are not optimal in general. With ``monotone=True`` (default) the
approved cells must also form a *down-set* of the risk order: a cell is
approved only if every safer cell (one band lower on any axis) is, so the
strategy never approves a riskier applicant while declining a safer one.

Exact solution
--------------
The problem is solved exactly with OR-Tools' CP-SAT (shipped with
optbinning) on integers: counts are integers already and the ceiling is
written as an exact fraction ``c = p / q`` (``fractions.Fraction`` of its
decimal value, denominator at most 10^9), so the constraint
``sum_i (q b_i - p n_i) x_i <= 0`` is the ceiling itself, without rounding.
Among optimal solutions, the one with the fewest bads and then the fewest
approved cells is returned (a lexicographic objective), so the answer is
unique and deterministic (one worker, fixed seed). The status is reported;
anything but ``OPTIMAL`` (a time limit hit) is logged as a warning.

For one model with ``monotone=True`` the down-sets are the prefixes of the
bands (safest first), so the optimum is the longest prefix whose cumulative
bad rate is within the ceiling (ties: the shortest such prefix): the
``"threshold"`` method, exact for any bad rates, used by ``solver="auto"``
for a single model. The tests check both methods against brute force.

Profit and limits
-----------------
``objective="profit"`` maximises the expected profit of the approved rows,
``sum(exposure * apr * term/12 * (1 - bad) - exposure * lgd * bad)``, where
the APR of a cell comes from its risk grade (:class:`RiskGrade`: cells are
graded by their bad rate made monotone along the risk order) and the limit
of each approved cell is chosen among ``limit_options`` (ascending). The
choice is encoded with ordered booleans ``z_ik = [level_i >= k]`` so that
riskier cells never get a higher limit (``z_rk <= z_sk``); profits are
rounded to whole units of ``profit_unit`` for CP-SAT.

Efficient frontier
------------------
:func:`efficient_frontier` solves the approval problem for a grid of
ceilings (approval rate vs bad rate of the optimal policy);
:func:`compare_frontiers` does so for each model alone and for the cross of
all of them, which shows what crossing adds.

Example
-------
>>> import numpy as np, pandas as pd
>>> from scorecard.strategy import ScoreBands, optimize
>>> rng = np.random.default_rng(0)
>>> frame = pd.DataFrame({"a": rng.normal(size=5000), "b": rng.normal(size=5000), "channel": "app"})
>>> frame["bad"] = (rng.random(5000) < 1 / (1 + np.exp(2.5 + frame.a + frame.b))).astype(int)
>>> bands = {m: ScoreBands(4, name=m).fit(frame[m]) for m in ("a", "b")}
>>> res = optimize(frame, bands, max_bad_rate=0.05)
>>> row = res.summary.loc["app"]
>>> bool(row["bad_rate"] <= 0.05), row["status"]
(True, 'OPTIMAL')
"""

from __future__ import annotations

import logging
import math
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from scorecard.errors import DataError, ScorecardWarning
from scorecard.strategy._common import adjacent_pairs, resolve_numeric, resolve_target
from scorecard.strategy.bands import ScoreBands
from scorecard.strategy.cross import _check_bands, cell_stats
from scorecard.strategy.policy import ChannelPolicy, CompletenessTier, Policy

__all__ = [
    "optimize",
    "OptimizationResult",
    "RiskGrade",
    "solve_cells",
    "efficient_frontier",
    "compare_frontiers",
    "plot_frontier",
]

logger = logging.getLogger(__name__)

_OBJECTIVES = ("approvals", "profit")
_SOLVERS = ("auto", "cp-sat", "threshold")


@dataclass(frozen=True)
class RiskGrade:
    """A risk grade: cells whose (monotone) bad rate is at most ``max_bad_rate`` get ``apr`` and ``limit``.

    Grades are listed safest first with rising ``max_bad_rate``, APRs
    that do not fall and limits that do not rise; the last grade catches
    every remaining cell. The grade's name becomes the cell's price tier.
    """

    name: str
    max_bad_rate: float
    apr: float
    limit: float


DEFAULT_GRADES: tuple[RiskGrade, ...] = (RiskGrade("STANDARD", 1.0, 0.18, 10000.0),)


def _check_grades(grades: Sequence[RiskGrade]) -> list[RiskGrade]:
    g = list(grades)
    if not g:
        raise DataError("grades must hold at least one RiskGrade")
    for a, b in zip(g, g[1:]):
        if not (b.max_bad_rate > a.max_bad_rate and b.apr >= a.apr and b.limit <= a.limit):
            raise DataError(
                f"risk grades must be safest first: max_bad_rate rising, APR not falling, limit not rising; "
                f"{a.name!r} -> {b.name!r} breaks it"
            )
    return g


def _monotone_rate(rate: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Max bad rate over every safer-or-equal cell (non-decreasing along each axis)."""
    r = np.nan_to_num(rate.reshape(shape), nan=0.0)
    for axis in range(len(shape)):
        r = np.maximum.accumulate(r, axis=axis)
    return r.ravel()


def _grade_index(rate: np.ndarray, shape: tuple[int, ...], grades: list[RiskGrade]) -> np.ndarray:
    mono = _monotone_rate(rate, shape)
    bounds = np.array([g.max_bad_rate for g in grades[:-1]])
    return np.searchsorted(bounds, mono - 1e-12, side="left")


# --------------------------------------------------------------------------- #
# the exact solvers
# --------------------------------------------------------------------------- #
def _fraction(c: float) -> Fraction:
    if not (isinstance(c, (int, float)) and math.isfinite(c) and 0 <= c <= 1):
        raise DataError(f"a bad-rate ceiling must be a number in [0, 1], got {c!r}")
    return Fraction(str(float(c))).limit_denominator(10**9)


def solve_cells(
    count: Sequence[int],
    bads: Sequence[int],
    max_bad_rate: float,
    *,
    shape: Sequence[int] | None = None,
    monotone: bool = True,
    values: np.ndarray | None = None,
    solver: str = "cp-sat",
    time_limit: float = 30.0,
    random_state: int = 0,
) -> tuple[np.ndarray, str]:
    """Solve one channel exactly: the level (0 = decline, k = k-th option) per flat cell.

    Parameters
    ----------
    count, bads : sequence of int
        Applicants and bads per flat cell (C order over ``shape``).
    max_bad_rate : float
        Ceiling on ``sum(bads) / sum(count)`` over the approved cells.
    shape : sequence of int, optional
        Bands per model (default one axis).
    monotone : bool, default True
        Approved cells (and limit levels) form a down-set of the risk order.
    values : ndarray of shape (n_cells, K), optional
        Objective value of each cell at each level 1..K (profit); default
        ``K = 1`` and the approvals objective (count, ties: fewer bads,
        then fewer cells).
    solver : {"cp-sat", "threshold"}
        ``"threshold"``: one axis, monotone, approvals objective only.
    time_limit : float, default 30
        Seconds for CP-SAT.
    random_state : int, default 0

    Returns
    -------
    level : ndarray of int
    status : str
        ``"OPTIMAL"`` (proved), ``"FEASIBLE"`` (time limit) or ``"INFEASIBLE"``.

    Example
    -------
    >>> level, status = solve_cells([100, 100, 100], [1, 5, 20], 0.05)
    >>> level.tolist(), status
    ([1, 1, 0], 'OPTIMAL')
    """
    count = np.asarray(count, dtype=np.int64)
    bads = np.asarray(bads, dtype=np.int64)
    n = count.size
    shape = (n,) if shape is None else tuple(int(s) for s in shape)
    if int(np.prod(shape)) != n or bads.size != n:
        raise DataError(f"count and bads must have {int(np.prod(shape))} cells for shape {shape}")
    if (count < 0).any() or (bads < 0).any() or (bads > count).any():
        raise DataError("counts must be >= 0 with 0 <= bads <= count in every cell")
    frac = _fraction(max_bad_rate)
    p, q = frac.numerator, frac.denominator
    if solver == "threshold":
        if len(shape) != 1 or not monotone or values is not None:
            raise DataError("the threshold method solves one model, monotone, approvals objective only")
        cn = np.r_[0, np.cumsum(count)]
        cb = np.r_[0, np.cumsum(bads)]
        feasible = q * cb <= p * cn  # prefix of length k (k = 0..n)
        best_n = cn[feasible].max()
        k = int(np.flatnonzero(feasible & (cn == best_n)).min())
        level = np.zeros(n, dtype=np.int64)
        level[:k] = 1
        return level, "OPTIMAL"
    if solver != "cp-sat":
        raise DataError(f"solver must be 'cp-sat' or 'threshold', got {solver!r}")

    from ortools.sat.python import cp_model

    K = 1 if values is None else int(values.shape[1])
    m = cp_model.CpModel()
    z = [[m.NewBoolVar(f"z{i}_{k}") for k in range(K)] for i in range(n)]
    for i in range(n):
        for k in range(1, K):
            m.Add(z[i][k] <= z[i][k - 1])
    weights = q * bads - p * count
    m.Add(sum(int(weights[i]) * z[i][0] for i in range(n) if weights[i] != 0) <= 0)
    if monotone:
        for _, s, r in adjacent_pairs(shape):
            for k in range(K):
                m.Add(z[r][k] <= z[s][k])
    if values is None:
        w_cells = 1
        w_bads = n + 1
        w_count = (int(bads.sum()) + 1) * w_bads
        m.Maximize(sum((w_count * int(count[i]) - w_bads * int(bads[i]) - w_cells) * z[i][0] for i in range(n)))
    else:
        v = np.asarray(values, dtype=np.int64)
        terms = []
        for i in range(n):
            prev = 0
            for k in range(K):
                inc = int(v[i, k]) - prev
                prev = int(v[i, k])
                if inc:
                    terms.append(inc * z[i][k])
        # tie-break: fewer approved cells (scaled below one unit of profit)
        m.Maximize(sum(terms) * (n + 1) - sum(z[i][0] for i in range(n)))
    s = cp_model.CpSolver()
    s.parameters.num_workers = 1
    s.parameters.random_seed = int(random_state)
    s.parameters.max_time_in_seconds = float(time_limit)
    st = s.Solve(m)
    status = s.StatusName(st)
    if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return np.zeros(n, dtype=np.int64), status
    level = np.array([sum(int(s.Value(z[i][k])) for k in range(K)) for i in range(n)], dtype=np.int64)
    return level, status


# --------------------------------------------------------------------------- #
# the public optimiser
# --------------------------------------------------------------------------- #
@dataclass
class OptimizationResult:
    """What :func:`optimize` returns.

    Attributes
    ----------
    models : list of str
    bands : dict of str -> ScoreBands
    cells : DataFrame
        Per channel and cell: band indices, ``cell`` label, ``count``,
        ``bads``, ``bad_rate``, ``grade`` (price tier), ``apr``,
        ``decision`` (approve / decline), ``limit`` (chosen option or the
        grade's limit; NaN when declined), and with the profit objective
        ``profit`` at the chosen level.
    summary : DataFrame
        Per channel and ``"all"``: applications, approved, approval_rate,
        bads_approved, bad_rate, max_bad_rate, status, solver, seconds (and
        expected_profit with the profit objective).
    objective : str
    grades : list of RiskGrade
    limit_basis : str
    n_missing : int
        Rows left out for a missing score.
    """

    models: list[str]
    bands: dict[str, ScoreBands]
    cells: pd.DataFrame
    summary: pd.DataFrame
    objective: str
    grades: list[RiskGrade]
    limit_basis: str
    n_missing: int = 0
    params: dict[str, Any] = field(default_factory=dict)

    def approval_rate(self, channel: str = "all") -> float:
        """Approval rate of the optimal policy in a channel (or ``"all"``)."""
        return float(self.summary.loc[channel, "approval_rate"])

    def to_policy(
        self,
        name: str,
        version: str,
        *,
        completeness: list[CompletenessTier] | None = None,
        known_channels: Sequence[str] | None = None,
        refer_margin: int = 0,
        **policy_kwargs: Any,
    ) -> Policy:
        """The optimal decisions as a validated :class:`Policy`.

        Approved cells get their grade's price tier and their limit;
        declined cells get the reason codes ``ABOVE_RISK_APPETITE`` and
        ``<MODEL>_BAND_<label>`` per model. With ``refer_margin=k`` the
        first ``k`` declined cells next to the approved region along the
        first model's axis become ``refer`` (manual review) instead.

        Parameters
        ----------
        name, version : str
        completeness : list of CompletenessTier, optional
            Policy-wide tiers (default: one catch-all, no change).
        known_channels : sequence of str, optional
        refer_margin : int, default 0
        **policy_kwargs
            Further :class:`Policy` fields (``limit_step``,
            ``missing_score_decision``, ``description``, ...).
        """
        shape = tuple(b.n_bands_ for b in self.bands.values())
        channels = {}
        price_tiers = {g.name: float(g.apr) for g in self.grades}
        for ch, t in self.cells.groupby("channel", sort=False):
            t = t.sort_values(self.models)
            dec = t["decision"].to_numpy(dtype=object).reshape(shape).copy()
            if refer_margin > 0:
                approved = dec == "approve"
                for idx in np.ndindex(shape):
                    if dec[idx] != "decline":
                        continue
                    for k in range(1, refer_margin + 1):
                        prev = list(idx)
                        prev[0] -= k
                        if prev[0] >= 0 and approved[tuple(prev)]:
                            dec[idx] = "refer"
                            break
            limit = t["limit_terms"].to_numpy(dtype=float).reshape(shape)
            tier = t["grade"].to_numpy(dtype=object).reshape(shape)
            reasons = np.empty(shape, dtype=object)
            labels = [b.labels_ for b in self.bands.values()]
            for idx in np.ndindex(shape):
                if dec[idx] == "approve":
                    reasons[idx] = []
                else:
                    reasons[idx] = ["ABOVE_RISK_APPETITE"] + [
                        f"{m.upper()}_BAND_{labels[j][idx[j]]}" for j, m in enumerate(self.models)
                    ]
            ceiling = self.summary.loc[ch, "max_bad_rate"]
            channels[str(ch)] = ChannelPolicy.from_arrays(
                dec, limit, tier, reasons, limit_basis=self.limit_basis,
                max_bad_rate=float(ceiling) if pd.notna(ceiling) else None,
            )
        kwargs = dict(policy_kwargs)
        if completeness is not None:
            kwargs["completeness"] = completeness
        policy = Policy(
            name=name,
            version=version,
            bands={m: b for m, b in self.bands.items()},
            channels=channels,
            price_tiers=price_tiers,
            known_channels=None if known_channels is None else list(known_channels),
            **kwargs,
        )
        return policy.validate()


def _ceilings(max_bad_rate: float | Mapping[str, float], channels: list[str]) -> dict[str, float]:
    if isinstance(max_bad_rate, Mapping):
        missing = [c for c in channels if c not in max_bad_rate]
        if missing:
            raise DataError(
                f"max_bad_rate has no ceiling for channel(s) {missing}; give one per channel "
                f"({channels}) or a single number"
            )
        return {c: float(max_bad_rate[c]) for c in channels}
    return {c: float(max_bad_rate) for c in channels}


def optimize(
    frame: pd.DataFrame,
    bands: Mapping[str, ScoreBands] | Sequence[ScoreBands],
    *,
    target: Any = "bad",
    max_bad_rate: float | Mapping[str, float],
    channel: str | None = "channel",
    objective: str = "approvals",
    grades: Sequence[RiskGrade] = DEFAULT_GRADES,
    limit_options: Sequence[float] | None = None,
    limit_basis: str = "absolute",
    amount: str | None = "requested_amount",
    term_months: str | float = "loan_term_months",
    lgd: float = 1.0,
    profit_unit: float = 1.0,
    monotone: bool = True,
    solver: str = "auto",
    time_limit: float = 30.0,
    random_state: int = 0,
) -> OptimizationResult:
    """Choose each cell's decision (and limit) per channel, maximising approvals or profit under a bad-rate ceiling.

    Parameters
    ----------
    frame : DataFrame
        Labelled sample: scores (``score_<model>`` / ``<model>``) or bands
        (``band_<model>``), the channel, the target (and for profit the
        requested amount and term).
    bands : dict of str -> ScoreBands
        Fitted bands per model; one model gives the single-model policy.
    target : str or array-like, default "bad"
    max_bad_rate : float or dict of channel -> float
        Ceiling on the bad rate among the approved, per channel.
    channel : str or None, default "channel"
        Channel column; None treats the sample as one channel ``"all"``.
    objective : {"approvals", "profit"}, default "approvals"
    grades : sequence of RiskGrade
        Price tier (APR) and default limit per risk grade; default one grade.
    limit_options : sequence of float, optional
        Profit objective: the limits to choose from per cell (ascending);
        default each cell's grade limit.
    limit_basis : {"absolute", "requested_multiple"}, default "absolute"
    amount : str, optional
        Requested amount column (exposure = ``min(limit, amount)``, or
        ``limit * amount`` for ``requested_multiple``).
    term_months : str or float, default "loan_term_months"
    lgd : float, default 1.0
    profit_unit : float, default 1.0
        Profits are rounded to this unit for the integer solver.
    monotone : bool, default True
    solver : {"auto", "cp-sat", "threshold"}, default "auto"
        ``auto``: ``threshold`` for one model with the approvals objective
        and ``monotone``, else ``cp-sat``.
    time_limit : float, default 30
        CP-SAT seconds per channel.
    random_state : int, default 0

    Returns
    -------
    OptimizationResult
    """
    if objective not in _OBJECTIVES:
        raise DataError(f"objective must be one of {_OBJECTIVES}, got {objective!r}")
    if solver not in _SOLVERS:
        raise DataError(f"solver must be one of {_SOLVERS}, got {solver!r}")
    if limit_basis not in ("absolute", "requested_multiple"):
        raise DataError(f"limit_basis must be 'absolute' or 'requested_multiple', got {limit_basis!r}")
    bands = _check_bands(bands)
    grades = _check_grades(grades)
    models = list(bands)
    shape = tuple(b.n_bands_ for b in bands.values())
    n_cells = int(np.prod(shape))
    stats, n_missing = cell_stats(frame, bands, target, segment=channel)
    if not stats:
        raise DataError("no row with every score present to optimise on")
    ceilings = _ceilings(max_bad_rate, list(stats))
    use = solver
    if use == "auto":
        use = "threshold" if (len(models) == 1 and monotone and objective == "approvals") else "cp-sat"

    values_by_channel: dict[str, np.ndarray] = {}
    options: np.ndarray | None = None
    if objective == "profit":
        y = resolve_target(frame, target).astype(float)
        amt = resolve_numeric(frame, amount, "amount") if amount is not None and amount in frame.columns else None
        if limit_basis == "requested_multiple" and amt is None:
            raise DataError(f"limit_basis='requested_multiple' needs the requested amount column {amount!r}")
        if isinstance(term_months, str):
            term = resolve_numeric(frame, term_months, "term") if term_months in frame.columns else np.full(len(frame), 12.0)
        else:
            term = np.full(len(frame), float(term_months))
        term = np.where(np.isfinite(term), term, 12.0)
        from scorecard.strategy._common import band_matrix, segment_values

        B = band_matrix(frame, bands)
        ok = (B >= 0).all(axis=1)
        flat = np.full(len(frame), -1, dtype=np.int64)
        flat[ok] = np.ravel_multi_index(tuple(B[ok].T), shape)
        seg = segment_values(frame, channel)
        if limit_options is not None:
            options = np.asarray(sorted(float(v) for v in limit_options))
            if options.size == 0 or (options <= 0).any():
                raise DataError("limit_options must be positive numbers")

    cell_rows = []
    summary_rows = []
    idx = np.indices(shape).reshape(len(shape), -1)
    labels = ["|".join(p) for p in zip(*(np.asarray(b.labels_, dtype=object)[i] for b, i in zip(bands.values(), idx)))]
    for ch, d in stats.items():
        count, bads = d["count"], d["bads"]
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = np.where(count > 0, bads / np.maximum(count, 1), np.nan)
        g_idx = _grade_index(rate, shape, grades)
        apr = np.array([grades[i].apr for i in g_idx])
        g_limit = np.array([grades[i].limit for i in g_idx])
        values = None
        if objective == "profit":
            m = ok & (seg == ch)
            lim_opts = options if options is not None else None
            K = 1 if lim_opts is None else lim_opts.size
            values = np.zeros((n_cells, K))
            f = flat[m]
            for k in range(K):
                lim_row = g_limit[f] if lim_opts is None else np.full(f.size, lim_opts[k])
                if limit_basis == "requested_multiple":
                    expo = lim_row * np.nan_to_num(amt[m])
                else:
                    expo = lim_row if amt is None else np.where(np.isfinite(amt[m]), np.minimum(lim_row, amt[m]), lim_row)
                prof = expo * apr[f] * term[m] / 12.0 * (1.0 - y[m]) - expo * float(lgd) * y[m]
                values[:, k] = np.bincount(f, weights=prof, minlength=n_cells)
            values_by_channel[ch] = values
            values_int = np.round(values / float(profit_unit)).astype(np.int64)
        t0 = time.perf_counter()
        level, status = solve_cells(
            count, bads, ceilings[ch], shape=shape, monotone=monotone,
            values=None if values is None else values_int, solver=use,
            time_limit=time_limit, random_state=random_state,
        )
        secs = time.perf_counter() - t0
        if status != "OPTIMAL":
            warnings.warn(
                f"channel {ch!r}: the solver stopped with status {status} (not proved optimal); "
                "raise time_limit or reduce the number of bands",
                ScorecardWarning,
                stacklevel=2,
            )
        approve = level > 0
        if objective == "profit":
            chosen = np.where(approve, level - 1, 0)
            lim = g_limit if options is None else options[chosen]
            prof = np.where(approve, values[np.arange(n_cells), chosen], 0.0)
        else:
            lim = g_limit
            prof = None
        part = pd.DataFrame({"channel": ch, **{mm: idx[j] for j, mm in enumerate(models)}, "cell": labels,
                             "count": count, "bads": bads, "bad_rate": rate,
                             "grade": [grades[i].name for i in g_idx], "apr": apr,
                             "decision": np.where(approve, "approve", "decline"),
                             "limit": np.where(approve, lim, np.nan), "limit_terms": lim})
        if prof is not None:
            part["profit"] = prof
        cell_rows.append(part)
        n_app = int(count[approve].sum())
        b_app = int(bads[approve].sum())
        row = {"channel": ch, "applications": int(count.sum()), "approved": n_app,
               "approval_rate": n_app / max(int(count.sum()), 1), "bads_approved": b_app,
               "bad_rate": b_app / n_app if n_app else np.nan, "max_bad_rate": ceilings[ch],
               "status": status, "solver": use, "seconds": secs}
        if prof is not None:
            row["expected_profit"] = float(prof.sum())
        summary_rows.append(row)
        logger.info("channel %s: approve %d of %d cells, approval %.2f%%, bad rate %.2f%% (ceiling %.2f%%), %s in %.2fs",
                    ch, int(approve.sum()), n_cells, 100 * row["approval_rate"],
                    100 * np.nan_to_num(row["bad_rate"]), 100 * ceilings[ch], status, secs)
    summary = pd.DataFrame(summary_rows).set_index("channel")
    tot_n = int(summary["applications"].sum())
    tot_a = int(summary["approved"].sum())
    tot_b = int(summary["bads_approved"].sum())
    total = {"applications": tot_n, "approved": tot_a, "approval_rate": tot_a / max(tot_n, 1),
             "bads_approved": tot_b, "bad_rate": tot_b / tot_a if tot_a else np.nan, "max_bad_rate": np.nan,
             "status": "OPTIMAL" if (summary["status"] == "OPTIMAL").all() else "NOT_PROVED",
             "solver": use, "seconds": float(summary["seconds"].sum())}
    if objective == "profit":
        total["expected_profit"] = float(summary["expected_profit"].sum())
    summary.loc["all"] = pd.Series(total)
    cells = pd.concat(cell_rows, ignore_index=True)
    return OptimizationResult(
        models=models, bands=bands, cells=cells, summary=summary, objective=objective, grades=grades,
        limit_basis=limit_basis, n_missing=n_missing,
        params={"max_bad_rate": ceilings, "monotone": monotone, "solver": use},
    )


def efficient_frontier(
    frame: pd.DataFrame,
    bands: Mapping[str, ScoreBands] | Sequence[ScoreBands],
    ceilings: Sequence[float],
    *,
    target: Any = "bad",
    channel: str | None = "channel",
    monotone: bool = True,
    solver: str = "auto",
    time_limit: float = 30.0,
) -> pd.DataFrame:
    """Approval rate and bad rate of the optimal policy at each ceiling, per channel and overall.

    Returns
    -------
    DataFrame
        Columns: models (names joined by ``" x "``), channel, max_bad_rate,
        approval_rate, bad_rate, approved, applications, status.

    Example
    -------
    >>> fr = efficient_frontier(frame, bands, [0.02, 0.04, 0.06])  # doctest: +SKIP
    """
    bands = _check_bands(bands)
    rows = []
    for c in ceilings:
        res = optimize(frame, bands, target=target, max_bad_rate=float(c), channel=channel,
                       monotone=monotone, solver=solver, time_limit=time_limit)
        s = res.summary.reset_index()
        s["max_bad_rate"] = float(c)
        rows.append(s)
    out = pd.concat(rows, ignore_index=True)
    out.insert(0, "models", " x ".join(bands))
    return out[["models", "channel", "max_bad_rate", "approval_rate", "bad_rate", "approved", "applications", "status"]]


def compare_frontiers(
    frame: pd.DataFrame,
    bands: Mapping[str, ScoreBands],
    ceilings: Sequence[float],
    **kwargs: Any,
) -> pd.DataFrame:
    """:func:`efficient_frontier` for each model alone and for the cross of all models, stacked."""
    bands = _check_bands(bands)
    parts = [efficient_frontier(frame, {m: b}, ceilings, **kwargs) for m, b in bands.items()]
    if len(bands) > 1:
        parts.append(efficient_frontier(frame, bands, ceilings, **kwargs))
    return pd.concat(parts, ignore_index=True)


def plot_frontier(frontier: pd.DataFrame, channel: str = "all", ax: Any = None) -> Any:
    """Plot approval rate against bad rate, one line per model set, for one channel.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    t = frontier[frontier["channel"] == channel]
    if t.empty:
        raise DataError(f"channel {channel!r} is not in the frontier; channels are {sorted(frontier['channel'].unique())}")
    for name, g in t.groupby("models", sort=False):
        g = g.sort_values("max_bad_rate")
        ax.plot(g["bad_rate"], g["approval_rate"], marker="o", label=name)
    ax.set_xlabel("bad rate among the approved")
    ax.set_ylabel("approval rate")
    ax.xaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    ax.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    ax.set_title(f"efficient frontier ({channel})")
    ax.grid(alpha=0.3)
    ax.legend()
    return ax
