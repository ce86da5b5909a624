"""Count-table kernels of the monitor: every figure from counts per score value or per bin.

Each function here is the count-table twin of a function of
:mod:`scorecard.metrics` (or of :mod:`scorecard.validation`): the same
formula, evaluated on a table of counts instead of rows, so that a month of
a million rows costs a table of a few hundred score values. The tests check
each one equal to its metric function on the rows the counts describe.

Score tables are arrays over the distinct score values (integer points,
higher = safer) in *increasing risk* order (points descending); ``n`` rows
and ``bads`` bads per value.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from scorecard.metrics import _auc_from_counts, _ks_from_counts

__all__ = [
    "psi_from_counts",
    "quantile_edges",
    "band_codes",
    "auc_from_counts",
    "ks_from_counts",
    "bootstrap_from_counts",
    "hosmer_lemeshow_from_counts",
]


def psi_from_counts(expected: np.ndarray, actual: np.ndarray, floor: float = 1e-4) -> float:
    """PSI of two count vectors over the same bands, as :func:`scorecard.metrics.psi`.

    ``sum_i (a_i - e_i) ln(a_i / e_i)`` over the shares, each floored at
    ``floor`` before the logarithm (a band empty in both samples adds 0).

    Examples
    --------
    >>> from scorecard.metrics import psi
    >>> round(psi_from_counts(np.array([2, 2]), np.array([3, 1])), 4)
    0.2747
    >>> round(psi([0, 0, 1, 1], [0, 0, 0, 1], categorical=True), 4)
    0.2747
    """
    e = np.asarray(expected, dtype=np.float64)
    a = np.asarray(actual, dtype=np.float64)
    if e.sum() <= 0 or a.sum() <= 0:
        return math.nan
    ef = np.maximum(e / e.sum(), floor)
    af = np.maximum(a / a.sum(), floor)
    return float(((af - ef) * np.log(af / ef)).sum())


def quantile_edges(values: np.ndarray, counts: np.ndarray, n_bins: int) -> np.ndarray:
    """Interior band edges of :func:`scorecard.metrics.psi_table` from a weighted table.

    ``values`` ascending, ``counts`` rows per value. The edge ``q_j`` is the
    smallest value whose empirical CDF reaches ``j / n_bins`` (NumPy's
    ``inverted_cdf``); edges are deduplicated and the maximum dropped.

    Examples
    --------
    >>> quantile_edges(np.array([1.0, 2.0, 3.0, 4.0]), np.array([1, 1, 1, 1]), 2).tolist()
    [2.0]
    """
    v = np.asarray(values, dtype=np.float64)
    c = np.asarray(counts, dtype=np.int64)
    keep = c > 0
    v, c = v[keep], c[keep]
    if v.size == 0 or n_bins <= 1:
        return np.empty(0)
    cum = np.cumsum(c)
    n = int(cum[-1])
    # inverted_cdf: the smallest value whose ECDF >= q, i.e. cum >= q * n (exactly, in integers)
    targets = np.arange(1, n_bins, dtype=np.int64) * n
    pos = np.searchsorted(cum * int(n_bins), targets, side="left")
    edges = np.unique(v[np.minimum(pos, v.size - 1)])
    return edges[edges < v.max()]


def band_codes(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Band of each value for right-closed bands ``(-inf, e0], (e0, e1], ..., (e_last, inf)``.

    Examples
    --------
    >>> band_codes(np.array([1.0, 2.0, 3.0]), np.array([2.0])).tolist()
    [0, 0, 1]
    """
    return np.searchsorted(np.asarray(edges, dtype=np.float64), np.asarray(values, dtype=np.float64), side="left")


def auc_from_counts(bads: np.ndarray, goods: np.ndarray) -> float:
    """AUC from bad and good counts per score value in increasing-risk order (ties count one half).

    The kernel of :func:`scorecard.metrics.auc`; fractional counts are
    allowed (the expected AUC of the CBPE idea uses ``n p`` and ``n (1 - p)``).

    Examples
    --------
    >>> auc_from_counts(np.array([0, 1, 1]), np.array([1, 1, 0]))  # 3.5 of 4 pairs
    0.875
    """
    return float(_auc_from_counts(np.asarray(bads, dtype=np.float64), np.asarray(goods, dtype=np.float64)))


def ks_from_counts(bads: np.ndarray, goods: np.ndarray) -> float:
    """KS from bad and good counts per score value, as :func:`scorecard.metrics.ks`.

    Examples
    --------
    >>> ks_from_counts(np.array([0, 1, 1]), np.array([1, 1, 0]))
    0.5
    """
    return float(_ks_from_counts(np.asarray(bads, dtype=np.float64), np.asarray(goods, dtype=np.float64)))


def bootstrap_from_counts(
    bads: np.ndarray,
    goods: np.ndarray,
    *,
    n_boot: int = 500,
    level: float = 0.95,
    random_state: int = 0,
) -> dict[str, tuple[float, float]]:
    """Stratified percentile-bootstrap intervals of AUC, Gini and KS from count tables.

    A stratified row bootstrap (:func:`scorecard.metrics.bootstrap_ci`,
    ``stratified=True``) redraws the bads and the goods separately; the
    counts per score value of such a resample are multinomial, so they are
    drawn directly: ``Multinomial(B, bads / B)`` and
    ``Multinomial(G, goods / G)``. Same distribution as the row bootstrap,
    at the cost of the table (a few hundred values), not of the rows.

    Returns
    -------
    dict
        ``{"auc": (low, high), "gini": (low, high), "ks": (low, high)}``.

    Examples
    --------
    >>> ci = bootstrap_from_counts(np.array([5, 10, 30]), np.array([60, 30, 10]), n_boot=200)
    >>> lo, hi = ci["auc"]
    >>> bool(lo < auc_from_counts(np.array([5, 10, 30]), np.array([60, 30, 10])) < hi)
    True
    """
    b = np.asarray(bads, dtype=np.int64)
    g = np.asarray(goods, dtype=np.int64)
    B, G = int(b.sum()), int(g.sum())
    if B == 0 or G == 0:
        nan = (math.nan, math.nan)
        return {"auc": nan, "gini": nan, "ks": nan}
    rng = np.random.default_rng(random_state)
    rb = rng.multinomial(B, b / B, size=n_boot).astype(np.float64)
    rg = rng.multinomial(G, g / G, size=n_boot).astype(np.float64)
    aucs = _auc_from_counts(rb, rg)
    kss = _ks_from_counts(rb, rg)
    alpha = 1.0 - float(level)
    q = [alpha / 2.0, 1.0 - alpha / 2.0]
    a_lo, a_hi = np.quantile(aucs, q)
    k_lo, k_hi = np.quantile(kss, q)
    return {
        "auc": (float(a_lo), float(a_hi)),
        "gini": (float(2 * a_lo - 1), float(2 * a_hi - 1)),
        "ks": (float(k_lo), float(k_hi)),
    }


def hosmer_lemeshow_from_counts(
    p: np.ndarray, n: np.ndarray, bads: np.ndarray, n_groups: int = 10
) -> tuple[float, float, int, pd.DataFrame]:
    """Hosmer-Lemeshow test from rows per distinct probability, as :func:`scorecard.metrics.hosmer_lemeshow`.

    ``p`` are the distinct probabilities (any order), ``n`` rows and
    ``bads`` bads at each. Groups are formed exactly as the metric forms
    them (quantiles of ``p``, ties never split).

    Returns
    -------
    statistic, pvalue, dof, table

    Examples
    --------
    >>> s, pv, dof, t = hosmer_lemeshow_from_counts(
    ...     np.array([0.1, 0.2, 0.4, 0.5, 0.7, 0.9]), np.ones(6, int), np.array([0, 0, 1, 0, 1, 1]), 3)
    >>> dof, round(s, 3)
    (1, 0.873)
    """
    from scipy.stats import chi2

    order = np.argsort(p, kind="stable")
    p = np.asarray(p, dtype=np.float64)[order]
    c = np.asarray(n, dtype=np.int64)[order]
    o = np.asarray(bads, dtype=np.int64)[order]
    keep = c > 0
    p, c, o = p[keep], c[keep], o[keep]
    total = int(c.sum())
    start = np.cumsum(c) - c
    raw = ((2 * start + c) * n_groups) // (2 * total)
    dense = np.concatenate(([0], np.cumsum(np.diff(raw) > 0)))
    g = int(dense[-1]) + 1 if dense.size else 0
    if g < 3:
        return math.nan, math.nan, max(g - 2, 0), pd.DataFrame()
    ng = np.bincount(dense, weights=c, minlength=g)
    obs = np.bincount(dense, weights=o, minlength=g)
    exp = np.bincount(dense, weights=c * p, minlength=g)
    var = exp * (1.0 - exp / ng)
    with np.errstate(divide="ignore", invalid="ignore"):
        contrib = (obs - exp) ** 2 / var
    contrib = np.where(var > 0, contrib, np.where(np.isclose(obs, exp), 0.0, np.inf))
    stat = float(contrib.sum())
    dof = g - 2
    table = pd.DataFrame(
        {"group": np.arange(1, g + 1), "n": ng.astype(np.int64), "observed_bads": obs.astype(np.int64),
         "expected_bads": exp, "contribution": contrib}
    )
    return stat, float(chi2.sf(stat, dof)), dof, table
