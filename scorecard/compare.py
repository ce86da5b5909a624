"""Champion / challenger comparison: discrimination with CIs, DeLong's test, swap sets.

What it holds
-------------
- :func:`delong_covariance`: AUCs of several scores on the same rows and
  the covariance matrix of their estimates, by the fast algorithm of Sun &
  Xu (2014) (midranks, O(k n log n), vectorised over the k scores).
- :func:`delong_test`: DeLong, DeLong & Clarke-Pearson (1988) test of the
  difference of two correlated AUCs, with its confidence interval.
- :func:`paired_bootstrap_auc`: the same difference by a paired, stratified
  bootstrap (an independent check of DeLong's test).
- :func:`swap_set`: applicants approved by one model and declined by the
  other at a given approval rate, with counts and bad rates.
- :func:`compare_scores` / :func:`compare_models` -> :class:`Comparison`:
  AUC, Gini and KS with bootstrap CIs for each model, DeLong's test, the
  score correlation (Pearson on ``logit(p_bad)``, Spearman on ranks) and the
  swap set; inline HTML and an ROC plot for JupyterLab.
- :func:`cv_auc`: k-fold cross-validated AUC of several estimators on the
  same folds.

Conventions
-----------
``y_true``: 1 = bad, 0 = good. Scores are *risk* scores, higher = riskier
(``predict_proba(X)[:, 1]``, the probability of bad). The AUC is
``P(score_bad > score_good) + 0.5 P(tie)``. A model approves the rows whose
risk is at most its cut-off, the smallest score value at which at least
``approval_rate`` of the rows are approved; tied scores get the same
decision, so the realised approval rate can exceed the target slightly (it
is reported).

Examples
--------
>>> import numpy as np
>>> from scorecard.compare import delong_test
>>> rng = np.random.default_rng(0)
>>> y = rng.integers(0, 2, 500)
>>> a = y + rng.normal(0, 1.0, 500)
>>> b = y + rng.normal(0, 1.5, 500)
>>> r = delong_test(y, a, b)
>>> bool(r.auc_a > r.auc_b), bool(0 <= r.p_value <= 1)
(True, True)
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from scorecard import metrics
from scorecard._validation import check_target
from scorecard.errors import DataError

__all__ = [
    "DeLongResult",
    "BootstrapDifference",
    "SwapSet",
    "Comparison",
    "delong_covariance",
    "delong_test",
    "paired_bootstrap_auc",
    "swap_set",
    "compare_scores",
    "compare_models",
    "cv_auc",
    "risk_score",
]

logger = logging.getLogger(__name__)

#: Upper bound on the resampled row indices held at once by the bootstrap.
_BOOT_CELLS = 2_000_000


# --------------------------------------------------------------------------- #
# input checks
# --------------------------------------------------------------------------- #
def _scores(y_true: Any, *scores: Any) -> tuple[np.ndarray, np.ndarray]:
    """(y as int8 0/1, scores as a (k, n) float array); DataError on bad input."""
    arrs = []
    for i, s in enumerate(scores):
        a = np.asarray(s.to_numpy() if isinstance(s, (pd.Series, pd.Index)) else s, dtype=float).ravel()
        if not np.all(np.isfinite(a)):
            raise DataError(
                f"score {i} has {int((~np.isfinite(a)).sum())} NaN or infinite value(s): "
                "drop or fix those rows first"
            )
        arrs.append(a)
    n = arrs[0].size
    if any(a.size != n for a in arrs):
        raise DataError(f"scores differ in length: {[a.size for a in arrs]}; one value per row each")
    y = check_target(y_true, n_rows=n, name="y_true")
    return y, np.vstack(arrs)


def _check_level(level: float) -> float:
    if not (0.0 < float(level) < 1.0):
        raise ValueError(f"level must lie in (0, 1), got {level!r}")
    return float(level)


# --------------------------------------------------------------------------- #
# DeLong
# --------------------------------------------------------------------------- #
def delong_covariance(y_true: Any, scores: Any) -> tuple[np.ndarray, np.ndarray]:
    """AUCs of ``k`` scores and the DeLong covariance matrix of the estimates.

    Fast algorithm of Sun & Xu (2014), *IEEE Signal Processing Letters*
    21(11): with ``m`` bads and ``n`` goods, midranks ``T_Z`` over all rows,
    ``T_X`` over the bads and ``T_Y`` over the goods give the structural
    components ``V10_i = (T_Z_i - T_X_i) / n`` (share of goods scored below
    bad ``i``, ties one half) and ``V01_j = 1 - (T_Z_j - T_Y_j) / m`` (share
    of bads scored above good ``j``); ``AUC = mean(V10)`` and
    ``S = cov(V10) / m + cov(V01) / n``.

    Parameters
    ----------
    y_true : array-like of shape (n_rows,)
        1 = bad, 0 = good.
    scores : array-like of shape (k, n_rows) or (n_rows,)
        Risk scores (higher = riskier), one row per model.

    Returns
    -------
    aucs : ndarray of shape (k,)
    cov : ndarray of shape (k, k)

    Examples
    --------
    >>> aucs, cov = delong_covariance([0, 0, 1, 1], [[0.1, 0.4, 0.35, 0.8]])
    >>> aucs.tolist()
    [0.75]
    """
    from scipy.stats import rankdata

    s = np.atleast_2d(np.asarray(scores, dtype=float))
    y, s = _scores(y_true, *s)
    bad = y == 1
    pos, neg = s[:, bad], s[:, ~bad]
    m, n = pos.shape[1], neg.shape[1]
    tx = rankdata(pos, axis=1)
    ty = rankdata(neg, axis=1)
    tz = rankdata(np.hstack([pos, neg]), axis=1)
    aucs = (tz[:, :m].sum(axis=1) / m - (m + 1) / 2.0) / n
    v10 = (tz[:, :m] - tx) / n
    v01 = 1.0 - (tz[:, m:] - ty) / m
    s10 = np.atleast_2d(np.cov(v10)) if m > 1 else np.zeros((s.shape[0], s.shape[0]))
    s01 = np.atleast_2d(np.cov(v01)) if n > 1 else np.zeros((s.shape[0], s.shape[0]))
    return aucs, s10 / m + s01 / n


@dataclass(frozen=True)
class DeLongResult:
    """DeLong's test of ``AUC_a - AUC_b`` on the same rows.

    Attributes
    ----------
    auc_a, auc_b : float
    difference : float
        ``auc_a - auc_b``.
    std_error : float
        Standard error of the difference.
    z : float
    p_value : float
        Two-sided; 1.0 when the difference and its variance are both 0.
    ci_low, ci_high : float
        Normal-approximation interval of the difference at ``level``.
    level : float
    cov : ndarray of shape (2, 2)
        Covariance of ``(auc_a, auc_b)``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> y = rng.integers(0, 2, 300)
    >>> res = delong_test(y, y + rng.normal(0, 1, 300), y + rng.normal(0, 2, 300))
    >>> bool(res.difference == res.auc_a - res.auc_b), bool(0 <= res.p_value <= 1)
    (True, True)
    >>> bool(res.ci_low < res.difference < res.ci_high)
    True
    """

    auc_a: float
    auc_b: float
    difference: float
    std_error: float
    z: float
    p_value: float
    ci_low: float
    ci_high: float
    level: float
    cov: np.ndarray = field(repr=False, compare=False)


def delong_test(y_true: Any, score_a: Any, score_b: Any, *, level: float = 0.95) -> DeLongResult:
    """DeLong's test for the difference of two correlated AUCs.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        1 = bad, 0 = good.
    score_a, score_b : array-like of shape (n,)
        Risk scores of the two models on the same rows (higher = riskier).
    level : float, default 0.95
        Coverage of the interval of the difference.

    Returns
    -------
    DeLongResult

    Examples
    --------
    >>> r = delong_test([0, 0, 1, 1, 0, 1], [1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6])
    >>> r.difference, r.p_value
    (0.0, 1.0)
    """
    from scipy.stats import norm

    level = _check_level(level)
    y, s = _scores(y_true, score_a, score_b)
    aucs, cov = delong_covariance(y, s)
    diff = float(aucs[0] - aucs[1])
    var = float(cov[0, 0] + cov[1, 1] - 2.0 * cov[0, 1])
    se = math.sqrt(max(var, 0.0))
    if se > 0:
        z = diff / se
        p = float(2.0 * norm.sf(abs(z)))
    else:
        z = 0.0 if diff == 0 else math.copysign(math.inf, diff)
        p = 1.0 if diff == 0 else 0.0
    half = float(norm.ppf(0.5 + level / 2.0)) * se
    return DeLongResult(
        auc_a=float(aucs[0]),
        auc_b=float(aucs[1]),
        difference=diff,
        std_error=se,
        z=float(z),
        p_value=p,
        ci_low=diff - half,
        ci_high=diff + half,
        level=level,
        cov=cov,
    )


# --------------------------------------------------------------------------- #
# paired bootstrap
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class BootstrapDifference:
    """Paired bootstrap of ``AUC_a - AUC_b``.

    Attributes
    ----------
    difference : float
        On the full sample.
    std_error : float
        Standard deviation of the resampled differences.
    low, high : float
        Percentile interval at ``level``.
    p_value : float
        Two-sided: twice the smaller share of resampled differences on
        either side of 0 (at most 1).
    level : float
    n_boot : int

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> y = rng.integers(0, 2, 300)
    >>> res = paired_bootstrap_auc(y, y + rng.normal(0, 1, 300), y + rng.normal(0, 2, 300), n_boot=200)
    >>> bool(res.low <= res.difference <= res.high), res.n_boot
    (True, 200)
    """

    difference: float
    std_error: float
    low: float
    high: float
    p_value: float
    level: float
    n_boot: int


def _auc_resampled(inv: np.ndarray, k: int, y: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """AUC of each resample (rows of ``idx``) from distinct-value codes ``inv``."""
    c = idx.shape[0]
    key = (np.arange(c)[:, None] * k + inv[idx]) * 2 + y[idx]
    counts = np.bincount(key.ravel(), minlength=c * k * 2).reshape(c, k, 2).astype(np.float64)
    b, g = counts[..., 1], counts[..., 0]
    g_below = np.cumsum(g, axis=1) - g
    u = (b * (g_below + 0.5 * g)).sum(axis=1)
    return u / (b.sum(axis=1) * g.sum(axis=1))


def paired_bootstrap_auc(
    y_true: Any,
    score_a: Any,
    score_b: Any,
    *,
    n_boot: int = 2000,
    level: float = 0.95,
    random_state: int | np.random.Generator | None = 0,
) -> BootstrapDifference:
    """Paired, stratified bootstrap of the AUC difference ``AUC_a - AUC_b``.

    Each resample draws the bads and the goods with replacement (their
    counts fixed) and evaluates both scores on the same rows. Vectorised
    over resamples; seeded by ``np.random.default_rng(random_state)``.

    Examples
    --------
    >>> r = paired_bootstrap_auc([0, 1] * 20, list(range(40)), list(range(40))[::-1], n_boot=200)
    >>> r.difference > 0, r.n_boot
    (True, 200)
    """
    level = _check_level(level)
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 1:
        raise ValueError(f"n_boot must be an integer >= 1, got {n_boot!r}")
    y, s = _scores(y_true, score_a, score_b)
    y64 = y.astype(np.int64)
    codes = [np.unique(row, return_inverse=True) for row in s]
    aucs = [metrics.auc(y, row) for row in s]
    rng = np.random.default_rng(random_state)
    bad_rows, good_rows = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    chunk = max(1, min(n_boot, _BOOT_CELLS // y.size))
    diffs = np.empty(n_boot)
    done = 0
    while done < n_boot:
        c = min(chunk, n_boot - done)
        idx = np.concatenate(
            (
                bad_rows[rng.integers(0, bad_rows.size, size=(c, bad_rows.size))],
                good_rows[rng.integers(0, good_rows.size, size=(c, good_rows.size))],
            ),
            axis=1,
        )
        a = _auc_resampled(codes[0][1], codes[0][0].size, y64, idx)
        b = _auc_resampled(codes[1][1], codes[1][0].size, y64, idx)
        diffs[done : done + c] = a - b
        done += c
    alpha = 1.0 - level
    low, high = np.quantile(diffs, [alpha / 2.0, 1.0 - alpha / 2.0])
    p = min(1.0, 2.0 * min(float((diffs <= 0).mean()), float((diffs >= 0).mean())))
    return BootstrapDifference(
        difference=float(aucs[0] - aucs[1]),
        std_error=float(diffs.std(ddof=1)) if n_boot > 1 else 0.0,
        low=float(low),
        high=float(high),
        p_value=p,
        level=level,
        n_boot=int(n_boot),
    )


# --------------------------------------------------------------------------- #
# swap sets
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class SwapSet:
    """Approve/decline cross-tabulation of two models at one approval rate.

    Attributes
    ----------
    table : pandas.DataFrame
        Four segments (both approve; only ``a`` approves, the swap-outs when
        ``b`` replaces ``a``; only ``b`` approves, the swap-ins; both
        decline) with count, share, bads, bad_rate. Counts add up to the
        sample.
    cutoffs : dict of str -> float
        Risk cut-off per model (approve when risk <= cut-off).
    approval_rates : dict of str -> float
        Realised approval rate per model.
    approved_bad_rates : dict of str -> float
        Bad rate among each model's approved rows.
    target_rate : float

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> y = rng.integers(0, 2, 300)
    >>> risk_a, risk_b = rng.random(300), rng.random(300)
    >>> s = swap_set(y, risk_a, risk_b, approval_rate=0.5)
    >>> int(s.table["count"].sum()), round(s.approval_rates["champion"], 2)
    (300, 0.5)
    """

    table: pd.DataFrame
    cutoffs: dict[str, float]
    approval_rates: dict[str, float]
    approved_bad_rates: dict[str, float]
    target_rate: float


def _approve(risk: np.ndarray, rate: float) -> tuple[np.ndarray, float]:
    """Approve the lowest-risk rows: risk <= the smallest value reaching ``rate``."""
    values, counts = np.unique(risk, return_counts=True)
    share = np.cumsum(counts) / risk.size
    pos = int(np.searchsorted(share, rate - 1e-12, side="left"))
    pos = min(pos, values.size - 1)
    cut = float(values[pos])
    return risk <= cut, cut


def swap_set(
    y_true: Any,
    risk_a: Any,
    risk_b: Any,
    approval_rate: float = 0.7,
    *,
    names: Sequence[str] = ("champion", "challenger"),
) -> SwapSet:
    """Swap-set analysis of two risk scores at ``approval_rate``.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        1 = bad, 0 = good.
    risk_a, risk_b : array-like of shape (n,)
        Risk scores (higher = riskier) of models ``a`` and ``b``.
    approval_rate : float, default 0.7
        Share of the rows each model approves (its lowest-risk rows), in (0, 1].
    names : pair of str, default ("champion", "challenger")

    Returns
    -------
    SwapSet

    Examples
    --------
    >>> s = swap_set([0, 0, 1, 1], [1, 2, 3, 4], [2, 1, 4, 3], approval_rate=0.5)
    >>> s.table["count"].tolist()
    [2, 0, 0, 2]
    """
    if not (0.0 < float(approval_rate) <= 1.0):
        raise ValueError(f"approval_rate must lie in (0, 1], got {approval_rate!r}")
    a_name, b_name = names
    y, s = _scores(y_true, risk_a, risk_b)
    ok_a, cut_a = _approve(s[0], float(approval_rate))
    ok_b, cut_b = _approve(s[1], float(approval_rate))
    segs = [
        ("both approve", True, True),
        (f"only {a_name} approves (swap-out)", True, False),
        (f"only {b_name} approves (swap-in)", False, True),
        ("both decline", False, False),
    ]
    rows = []
    for label, ia, ib in segs:
        mask = (ok_a == ia) & (ok_b == ib)
        cnt = int(mask.sum())
        bads = int(y[mask].sum())
        rows.append(
            {
                "segment": label,
                a_name: "approve" if ia else "decline",
                b_name: "approve" if ib else "decline",
                "count": cnt,
                "share": cnt / y.size,
                "bads": bads,
                "bad_rate": bads / cnt if cnt else float("nan"),
            }
        )
    table = pd.DataFrame(rows)
    return SwapSet(
        table=table,
        cutoffs={a_name: cut_a, b_name: cut_b},
        approval_rates={a_name: float(ok_a.mean()), b_name: float(ok_b.mean())},
        approved_bad_rates={a_name: float(y[ok_a].mean()), b_name: float(y[ok_b].mean())},
        target_rate=float(approval_rate),
    )


# --------------------------------------------------------------------------- #
# the comparison
# --------------------------------------------------------------------------- #
@dataclass
class Comparison:
    """Result of :func:`compare_scores` / :func:`compare_models`.

    Attributes
    ----------
    metrics : pandas.DataFrame
        Per model: auc, gini, ks with bootstrap ``_low`` / ``_high`` bounds.
    delong : DeLongResult
        ``a`` = the second model (challenger), ``b`` = the first (champion):
        ``difference`` is the challenger's AUC gain.
    bootstrap : BootstrapDifference
        The same difference by paired bootstrap.
    correlation : dict of str -> float
        ``pearson`` (on ``logit(p_bad)`` when the scores are probabilities,
        else on the scores) and ``spearman``.
    swap : SwapSet
    scores : pandas.DataFrame
        The risk scores compared, one column per model, and the target ``y``.
    names : tuple of str

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> y = rng.integers(0, 2, 300)
    >>> c = compare_scores(y, y + rng.normal(0, 1, 300), y + rng.normal(0, 1, 300), n_boot=100)
    >>> c.names, list(c.metrics["model"])
    (('champion', 'challenger'), ['champion', 'challenger'])
    """

    metrics: pd.DataFrame
    delong: DeLongResult
    bootstrap: BootstrapDifference
    correlation: dict[str, float]
    swap: SwapSet
    scores: pd.DataFrame
    names: tuple[str, str]

    def summary(self) -> dict[str, float]:
        """Flat dict of the headline numbers (for logging as metrics).

        Examples
        --------
        >>> import numpy as np
        >>> rng = np.random.default_rng(1)
        >>> y = rng.integers(0, 2, 300)
        >>> c = compare_scores(y, y + rng.normal(0, 1, 300), y + rng.normal(0, 1, 300), n_boot=100)
        >>> s = c.summary()
        >>> "champion_auc" in s and "delong_p_value" in s
        True
        """
        out: dict[str, float] = {}
        for _, r in self.metrics.iterrows():
            for col in self.metrics.columns[1:]:
                out[f"{r['model']}_{col}"] = float(r[col])
        out.update(
            delong_auc_difference=self.delong.difference,
            delong_std_error=self.delong.std_error,
            delong_p_value=self.delong.p_value,
            bootstrap_auc_difference_se=self.bootstrap.std_error,
            bootstrap_p_value=self.bootstrap.p_value,
            pearson=self.correlation["pearson"],
            spearman=self.correlation["spearman"],
        )
        for _, r in self.swap.table.iterrows():
            key = r["segment"].split(" (")[0].replace(" ", "_")
            out[f"swap_{key}_count"] = float(r["count"])
        return out

    def __repr__(self) -> str:
        d = self.delong
        aucs = ", ".join(f"{r.model} {r.auc:.4f}" for r in self.metrics.itertuples())
        return (
            f"Comparison({self.names[1]} vs {self.names[0]}: AUC {aucs}; DeLong difference "
            f"{d.difference:+.4f} (SE {d.std_error:.4f}), p={d.p_value:.4g}; "
            f"Spearman {self.correlation['spearman']:.3f}; swap set at {self.swap.target_rate:.0%}: "
            f"{dict(zip(self.swap.table['segment'], self.swap.table['count']))})"
        )

    def plot_roc(self) -> Any:
        """ROC curves of both models (a matplotlib Figure).

        Examples
        --------
        >>> import numpy as np
        >>> rng = np.random.default_rng(1)
        >>> y = rng.integers(0, 2, 300)
        >>> c = compare_scores(y, y + rng.normal(0, 1, 300), y + rng.normal(0, 1, 300), n_boot=50)
        >>> fig = c.plot_roc()
        >>> len(fig.axes)
        1
        """
        from matplotlib.figure import Figure

        y = self.scores["y"].to_numpy()
        fig = Figure(figsize=(5, 5))
        ax = fig.add_subplot(111)
        for name in self.names:
            s = self.scores[name].to_numpy()
            order = np.argsort(-s, kind="stable")
            ys = y[order]
            tpr = np.r_[0.0, np.cumsum(ys) / ys.sum()]
            fpr = np.r_[0.0, np.cumsum(1 - ys) / (1 - ys).sum()]
            auc = float(self.metrics.set_index("model").at[name, "auc"])
            ax.plot(fpr, tpr, label=f"{name} (AUC {auc:.3f})")
        ax.plot([0, 1], [0, 1], color="grey", lw=0.7, ls="--")
        ax.set_xlabel("false positive rate (goods flagged)")
        ax.set_ylabel("true positive rate (bads flagged)")
        ax.set_title(f"ROC; DeLong p = {self.delong.p_value:.3g}")
        ax.legend(loc="lower right", fontsize=8)
        fig.tight_layout()
        return fig

    def plot_scores(self) -> Any:
        """Rank of each row under both models, coloured by outcome (a matplotlib Figure).

        Examples
        --------
        >>> import numpy as np
        >>> rng = np.random.default_rng(1)
        >>> y = rng.integers(0, 2, 300)
        >>> c = compare_scores(y, y + rng.normal(0, 1, 300), y + rng.normal(0, 1, 300), n_boot=50)
        >>> fig = c.plot_scores()
        >>> len(fig.axes)
        1
        """
        from matplotlib.figure import Figure

        a, b = self.names
        ra = self.scores[a].rank(pct=True)
        rb = self.scores[b].rank(pct=True)
        bad = self.scores["y"].to_numpy() == 1
        fig = Figure(figsize=(5, 5))
        ax = fig.add_subplot(111)
        ax.scatter(ra[~bad], rb[~bad], s=6, color="#4c9a6a", label="good", linewidths=0)
        ax.scatter(ra[bad], rb[bad], s=6, color="#c0504d", label="bad", linewidths=0)
        rate = self.swap.target_rate
        ax.axvline(rate, color="black", lw=0.6)
        ax.axhline(rate, color="black", lw=0.6)
        ax.set_xlabel(f"{a}: risk percentile")
        ax.set_ylabel(f"{b}: risk percentile")
        ax.set_title(f"Spearman {self.correlation['spearman']:.3f}; cut at {rate:.0%} approval")
        ax.legend(fontsize=8)
        fig.tight_layout()
        return fig

    def _repr_html_(self) -> str:
        d = self.delong
        fmt = {c: "{:.4f}" for c in self.metrics.columns if c != "model"}
        m = self.metrics.style.format(fmt).hide(axis="index").to_html()
        sw = self.swap.table.style.format({"share": "{:.1%}", "bad_rate": "{:.1%}"}).hide(axis="index").to_html()
        return (
            f"<div><h4>{self.names[1]} vs {self.names[0]}</h4>{m}"
            f"<p>DeLong: AUC difference {d.difference:+.4f} (SE {d.std_error:.4f}, "
            f"{d.level:.0%} CI {d.ci_low:+.4f} to {d.ci_high:+.4f}), p = {d.p_value:.4g}; "
            f"paired bootstrap SE {self.bootstrap.std_error:.4f}, p = {self.bootstrap.p_value:.4g}. "
            f"Score correlation: Pearson {self.correlation['pearson']:.3f}, "
            f"Spearman {self.correlation['spearman']:.3f}.</p>"
            f"<p>Swap set at {self.swap.target_rate:.0%} approval:</p>{sw}</div>"
        )


def compare_scores(
    y_true: Any,
    champion: Any,
    challenger: Any,
    *,
    names: Sequence[str] = ("champion", "challenger"),
    approval_rate: float = 0.7,
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int = 0,
) -> Comparison:
    """Compare two risk scores (higher = riskier) on the same rows.

    Bootstrap CIs of AUC, Gini and KS come from
    :func:`scorecard.metrics.bootstrap_ci` with the same seed for both
    models (so the same resamples); DeLong's test and the paired bootstrap
    are of ``AUC_challenger - AUC_champion``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> y = rng.integers(0, 2, 300)
    >>> c = compare_scores(y, y + rng.normal(0, 1, 300), y + rng.normal(0, 1, 300), n_boot=100)
    >>> int(c.swap.table["count"].sum())
    300
    """
    level = _check_level(level)
    y, s = _scores(y_true, champion, challenger)
    a_name, b_name = names
    rows = []
    for name, score in zip(names, s):
        row: dict[str, Any] = {"model": name}
        for metric in ("auc", "gini", "ks"):
            ci = metrics.bootstrap_ci(metric, y, score, n_boot=n_boot, level=level, random_state=random_state)
            row[metric] = ci.estimate
            row[f"{metric}_low"] = ci.low
            row[f"{metric}_high"] = ci.high
        rows.append(row)
    table = pd.DataFrame(rows)
    delong = delong_test(y, s[1], s[0], level=level)
    boot = paired_bootstrap_auc(y, s[1], s[0], n_boot=n_boot, level=level, random_state=random_state)
    from scipy.stats import spearmanr

    is_prob = bool(np.all((s > 0) & (s < 1)))
    lin = np.log(s / (1 - s)) if is_prob else s
    pearson = float(np.corrcoef(lin)[0, 1])
    spearman = float(spearmanr(s[0], s[1]).statistic)
    swaps = swap_set(y, s[0], s[1], approval_rate, names=names)
    scores = pd.DataFrame({a_name: s[0], b_name: s[1], "y": y})
    logger.info(
        "%s vs %s: AUC %.4f vs %.4f, DeLong p=%.4g", b_name, a_name, delong.auc_a, delong.auc_b, delong.p_value
    )
    return Comparison(
        metrics=table,
        delong=delong,
        bootstrap=boot,
        correlation={"pearson": pearson, "spearman": spearman},
        swap=swaps,
        scores=scores,
        names=(a_name, b_name),
    )


def risk_score(model: Any, X: Any) -> np.ndarray:
    """A fitted classifier's risk score: ``predict_proba(X)[:, 1]``, the probability of bad.

    For a :class:`~scorecard.model.LogisticScorecard` this ranks rows
    exactly as its unrounded score (in reverse).

    Examples
    --------
    >>> from scorecard import LogisticScorecard
    >>> from scorecard.datasets import load_german_credit
    >>> X, y = load_german_credit()
    >>> model = LogisticScorecard().fit(X, y)
    >>> risk = risk_score(model, X.head(3))
    >>> bool(((risk > 0) & (risk < 1)).all()), risk.shape
    (True, (3,))
    """
    if not hasattr(model, "predict_proba"):
        raise TypeError(f"{type(model).__name__} has no predict_proba; pass risk scores to compare_scores")
    return np.asarray(model.predict_proba(X))[:, 1]


def compare_models(
    champion: Any,
    challenger: Any,
    X: Any,
    y: Any,
    *,
    names: Sequence[str] = ("champion", "challenger"),
    approval_rate: float = 0.7,
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int = 0,
) -> Comparison:
    """Compare two fitted models on the rows ``X`` (typically a test sample).

    Scores with :func:`risk_score` and calls :func:`compare_scores`.

    Examples
    --------
    >>> from sklearn.model_selection import train_test_split
    >>> from scorecard import LogisticScorecard
    >>> from scorecard.challenger import GBMChallenger
    >>> from scorecard.datasets import load_german_credit
    >>> X, y = load_german_credit()
    >>> Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, stratify=y, random_state=42)
    >>> c = compare_models(LogisticScorecard().fit(Xtr, ytr), GBMChallenger().fit(Xtr, ytr), Xte, yte)
    >>> c.metrics["model"].tolist()
    ['champion', 'challenger']
    """
    return compare_scores(
        y,
        risk_score(champion, X),
        risk_score(challenger, X),
        names=names,
        approval_rate=approval_rate,
        n_boot=n_boot,
        level=level,
        random_state=random_state,
    )


def cv_auc(
    models: Mapping[str, Any],
    X: Any,
    y: Any,
    *,
    cv: int = 5,
    random_state: int = 42,
    n_jobs: int | None = None,
) -> pd.DataFrame:
    """Cross-validated AUC of several estimators on the same stratified folds.

    Each estimator is cloned and refitted on every training fold
    (``sklearn.model_selection.cross_val_score`` with
    ``StratifiedKFold(cv, shuffle=True, random_state=random_state)``).

    Returns
    -------
    pandas.DataFrame
        One row per model: ``fold_1..fold_k``, ``mean``, ``std``.

    Examples
    --------
    >>> from scorecard.challenger import GBMChallenger
    >>> from scorecard.datasets import load_german_credit
    >>> X, y = load_german_credit()
    >>> cv_auc({"gbm": GBMChallenger(n_estimators=50)}, X, y, cv=3).shape
    (1, 5)
    """
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    folds = StratifiedKFold(int(cv), shuffle=True, random_state=random_state)
    rows = []
    for name, model in models.items():
        s = cross_val_score(model, X, y, cv=folds, scoring="roc_auc", n_jobs=n_jobs)
        row: dict[str, Any] = {"model": name}
        row.update({f"fold_{i + 1}": float(v) for i, v in enumerate(s)})
        row.update(mean=float(s.mean()), std=float(s.std(ddof=1)))
        rows.append(row)
    return pd.DataFrame(rows).set_index("model")
