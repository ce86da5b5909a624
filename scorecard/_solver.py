"""Exact optimal binning on count tables (private): pre-binning and the merge solver.

Everything here works on a feature's *fine table*: goods and bads per fine
bin, in value order. No raw rows are needed, so the same code serves counts
computed by numpy, DuckDB or Spark.

- :func:`cart_prebins` -- the pre-binning of optbinning (a best-first
  classification tree, as scikit-learn grows it) computed on the table.
- :func:`quantile_prebins` -- quantile pre-bins from the table.
- :func:`optimal_merge` -- the constrained optimal merge of contiguous
  pre-bins maximising IV, by dynamic programming. It solves the same problem
  as optbinning's CP-SAT model (``OptimalBinning(solver="cp")``): the same
  refinement of pure pre-bins, the same integer objective (each bin's IV
  term times 10**6, truncated), the same integer event rates for the trend
  constraints, the same pre-processing of forbidden split points, and the
  same automatic trend choice. So its optimum has the same objective value
  as optbinning's; the splits are the same unless two partitions tie on the
  integer objective (see Notes of :func:`optimal_merge`).

The automatic trend heuristic (:func:`auto_monotonic`) is a port of
optbinning's ``auto_monotonic`` (Apache License 2.0, Copyright (C) 2019
Guillermo Navas-Palencia), kept identical so both solvers choose the same
trend.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

__all__ = [
    "cart_prebins",
    "quantile_prebins",
    "refine_pure_prebins",
    "optimal_merge",
    "auto_monotonic",
    "MergeResult",
    "SOLVER_TRENDS",
]

#: Trends the dynamic programme solves exactly. "convex" / "concave" go to optbinning.
SOLVER_TRENDS = ("auto", "auto_asc_desc", "ascending", "descending", "peak", "valley", None)

_SCALE = 1_000_000  # optbinning's integer scaling of IV and event rates (``M`` in its CP model)
_TIE_SCALE = 2**20  # resolution of the exact-IV tie-break below one unit of the integer objective
_EPSILON = float(np.finfo(np.float64).eps)  # scikit-learn's tree EPSILON


# ---------------------------------------------------------------------------
# pre-binning on a table
# ---------------------------------------------------------------------------


def _push_heap(heap: list, item: Any) -> None:
    """libstdc++ ``std::push_heap`` with ``comp(a, b) = a.improvement < b.improvement``.

    scikit-learn's best-first tree builder keeps its frontier with the C++
    standard heap; replaying the same algorithm reproduces its order even
    when two nodes tie on improvement.
    """
    heap.append(item)
    hole = len(heap) - 1
    parent = (hole - 1) // 2
    while hole > 0 and heap[parent][0] < item[0]:
        heap[hole] = heap[parent]
        hole = parent
        parent = (hole - 1) // 2
    heap[hole] = item


def _pop_heap(heap: list) -> Any:
    """libstdc++ ``std::pop_heap`` followed by ``pop_back``."""
    n = len(heap)
    if n > 1:
        last = n - 1
        value = heap[last]
        heap[last] = heap[0]
        # __adjust_heap(first, 0, last, value)
        length = last
        hole = 0
        second = 0
        while second < (length - 1) // 2:
            second = 2 * (second + 1)
            if heap[second][0] < heap[second - 1][0]:
                second -= 1
            heap[hole] = heap[second]
            hole = second
        if (length & 1) == 0 and second == (length - 2) // 2:
            second = 2 * (second + 1)
            heap[hole] = heap[second - 1]
            hole = second - 1
        parent = (hole - 1) // 2
        while hole > 0 and heap[parent][0] < value[0]:
            heap[hole] = heap[parent]
            hole = parent
            parent = (hole - 1) // 2
        heap[hole] = value
    return heap.pop()


def cart_prebins(good: np.ndarray, bad: np.ndarray, max_leaf_nodes: int, min_samples_leaf: int) -> np.ndarray:
    """Boundaries chosen by a best-first Gini tree grown on a fine table.

    Reproduces ``DecisionTreeClassifier(max_leaf_nodes=..., min_samples_leaf=...)``
    fitted on the raw rows of one feature (optbinning's CART pre-binning):
    the same split search (leftmost best Gini proxy), the same best-first
    order (the C++ heap replayed), the same stopping rules. A split can only
    fall between two fine bins; on a table of distinct values (one fine bin
    per value) that is exactly where the tree can split.

    Parameters
    ----------
    good, bad : array of shape (m,)
        Counts per fine bin, in value order (class 0 and class 1).
    max_leaf_nodes : int
    min_samples_leaf : int

    Returns
    -------
    ndarray of int
        Sorted boundary indices ``k`` (a split between fine bins ``k-1`` and ``k``).

    Examples
    --------
    >>> good, bad = np.array([10, 10, 1, 1.]), np.array([0, 1, 9, 10.])
    >>> cart_prebins(good, bad, max_leaf_nodes=4, min_samples_leaf=2).tolist()
    [1, 2, 3]
    >>> cart_prebins(good, bad, max_leaf_nodes=2, min_samples_leaf=2).tolist()
    [2]
    """
    g = np.asarray(good, dtype=np.float64)
    b = np.asarray(bad, dtype=np.float64)
    m = g.size
    if m <= 1:
        return np.empty(0, dtype=np.int64)
    cg = np.concatenate(([0.0], np.cumsum(g)))
    cb = np.concatenate(([0.0], np.cumsum(b)))
    total = cg[-1] + cb[-1]
    min_leaf = float(min_samples_leaf)

    def impurity(gs: float, bs: float) -> float:
        w = gs + bs
        return 1.0 - (gs * gs + bs * bs) / (w * w)

    def node(s: int, e: int, imp: float) -> tuple:
        """A frontier record (improvement, is_leaf, s, e, pos, imp_left, imp_right, imp)."""
        gs, bs = cg[e] - cg[s], cb[e] - cb[s]
        w = gs + bs
        leaf = w < 2 or w < 2 * min_leaf or imp <= _EPSILON
        if not leaf and e - s > 1:
            gl = cg[s + 1 : e] - cg[s]
            bl = cb[s + 1 : e] - cb[s]
            wl = gl + bl
            gr = gs - gl
            br = bs - bl
            wr = w - wl
            ok = (wl >= min_leaf) & (wr >= min_leaf)
            if ok.any():
                with np.errstate(divide="ignore", invalid="ignore"):
                    imp_l = 1.0 - (gl * gl + bl * bl) / (wl * wl)
                    imp_r = 1.0 - (gr * gr + br * br) / (wr * wr)
                    proxy = -wr * imp_r - wl * imp_l
                proxy = np.where(ok, proxy, -np.inf)
                j = int(np.argmax(proxy))  # first maximum = scikit-learn's strict ">" scan
                il, ir = float(imp_l[j]), float(imp_r[j])
                wlj, wrj = float(wl[j]), float(wr[j])
                improvement = (w / total) * (imp - (wrj / w * ir) - (wlj / w * il))
                if not (improvement + _EPSILON < 0.0):
                    return (improvement, False, s, e, s + 1 + j, il, ir, imp)
        return (0.0, True, s, e, e, imp, imp, imp)

    heap: list = []
    _push_heap(heap, node(0, m, impurity(cg[-1], cb[-1])))
    budget = int(max_leaf_nodes) - 1
    cuts: list[int] = []
    while heap:
        rec = _pop_heap(heap)
        if rec[1] or budget <= 0:
            continue
        budget -= 1
        _, _, s, e, pos, il, ir, _ = rec
        cuts.append(pos)
        left = node(s, pos, il)
        right = node(pos, e, ir)
        _push_heap(heap, left)
        _push_heap(heap, right)
    return np.array(sorted(cuts), dtype=np.int64)


def quantile_prebins(counts: np.ndarray, max_n_prebins: int) -> np.ndarray:
    """Boundaries at the quantiles of a fine table (numpy's ``method="lower"``).

    With one fine bin per distinct value this equals cutting the raw values
    at ``np.quantile(x, levels, method="lower")`` (levels ``1/k .. (k-1)/k``),
    each cut placed after the quantile's value; with at most
    ``max_n_prebins`` fine bins every boundary is kept.

    Examples
    --------
    >>> quantile_prebins(np.array([5, 5, 5, 5, 5]), 2).tolist()  # the median (rank 12) is in fine bin 2
    [3]
    """
    n = np.asarray(counts, dtype=np.float64)
    m = n.size
    if m <= 1:
        return np.empty(0, dtype=np.int64)
    if m <= max_n_prebins:
        return np.arange(1, m, dtype=np.int64)
    total = int(round(n.sum()))
    levels = np.linspace(0.0, 1.0, max_n_prebins + 1)[1:-1]
    ranks = np.floor((total - 1) * levels).astype(np.int64)  # numpy's 'lower' virtual index
    cum = np.cumsum(n)
    fine = np.searchsorted(cum, ranks, side="right")  # fine bin holding each rank
    pos = fine + 1
    return np.unique(pos[(pos > 0) & (pos < m)])


# ---------------------------------------------------------------------------
# optbinning's refinement and automatic trend
# ---------------------------------------------------------------------------


def refine_pure_prebins(good: np.ndarray, bad: np.ndarray) -> np.ndarray:
    """Boundaries kept after merging pure pre-bins, as optbinning does.

    A pre-bin with no good or no bad is merged with its right neighbour (the
    last one with its left neighbour), repeatedly, until no pure pre-bin is
    left. Returns a boolean mask over the ``m - 1`` boundaries.
    """
    g = np.asarray(good, dtype=np.float64)
    b = np.asarray(bad, dtype=np.float64)
    keep = np.ones(max(g.size - 1, 0), dtype=bool)
    while True:
        idx = np.flatnonzero(keep)
        if idx.size == 0:
            return keep
        groups = np.concatenate(([0], idx + 1))
        gg = np.add.reduceat(g, groups).astype(np.int64)
        bb = np.add.reduceat(b, groups).astype(np.int64)
        pure = (gg == 0) | (bb == 0)
        if not pure.any():
            return keep
        drop = np.concatenate((pure[:-2], [pure[-2] | pure[-1]]))
        keep[idx[drop]] = False


def _n_peaks_valleys(x: np.ndarray) -> int:
    diff_sign = np.sign(x[1:] - x[:-1])
    return int(np.count_nonzero(diff_sign[1:] != diff_sign[:-1]))


def _extreme_points_area(x: np.ndarray) -> float:
    n = len(x)
    pos_min, pos_max = np.argmin(x), np.argmax(x)
    if len(x[1:-1]):
        t1 = np.array([[0, pos_min, pos_max], [x[0], x[pos_min], x[pos_max]], [1, 1, 1]])
        t2 = np.array([[pos_min, pos_max, n], [x[pos_min], x[pos_max], x[-1]], [1, 1, 1]])
        area = 0.5 * np.abs(np.linalg.det(t1)) + 0.5 * np.abs(np.linalg.det(t2))
        return area / ((x[pos_max] - x[pos_min]) * n)
    return 0


def auto_monotonic(n_nonevent: np.ndarray, n_event: np.ndarray, mode: str) -> str:
    """optbinning's automatic trend ("auto" or "auto_asc_desc") from pre-bin counts.

    A port of ``optbinning.binning.auto_monotonic.auto_monotonic``: the same
    features of the event-rate curve and the same decision tree, so the
    choice matches optbinning's.
    """
    from scipy.spatial import ConvexHull, QhullError

    n_nonevent = np.asarray(n_nonevent)
    n_event = np.asarray(n_event)
    n_prebins = len(n_nonevent)
    n_records = n_nonevent + n_event
    rate = n_event / n_records
    p_trend_changes = _n_peaks_valleys(rate) / n_prebins
    lr_sense = int(np.polyfit(np.arange(n_prebins), rate, deg=1)[0] > 0)
    pos_min, pos_max = np.argmin(rate), np.argmax(rate)
    total = np.sum(n_records)
    p_rec_min_left = np.sum(n_records[:pos_min]) / total
    p_rec_min_right = np.sum(n_records[pos_min + 1 :]) / total
    p_rec_max_left = np.sum(n_records[:pos_max]) / total
    p_rec_max_right = np.sum(n_records[pos_max + 1 :]) / total
    p_area = _extreme_points_area(rate)
    points = np.column_stack([np.arange(n_prebins), rate]).astype(float)
    rect = (rate[pos_max] - rate[pos_min]) * n_prebins
    p_hull = 0
    if n_prebins > 2:
        try:
            p_hull = ConvexHull(points).volume / rect
        except QhullError:
            p_hull = 0
    if mode == "auto_asc_desc":
        return _asc_desc_decision(
            p_trend_changes, lr_sense, p_rec_min_left, p_rec_max_left, p_rec_max_right, p_area, p_hull
        )
    return _auto_decision(lr_sense, p_rec_min_left, p_rec_min_right, p_rec_max_left, p_rec_max_right, p_area, p_hull)


def _auto_decision(lr_sense, min_left, min_right, max_left, max_right, p_area, p_hull) -> str:  # noqa: ANN001
    if p_area <= 0.22145836800336838:
        if lr_sense == 0:
            if p_hull <= 0.48331470787525177:
                if min_right <= 0.010740397498011589:
                    t = 1
                elif min_right <= 0.022145185619592667:
                    t = 3
                else:
                    t = 1
            elif max_right <= 0.6426683664321899:
                t = 3
            else:
                t = 1
        else:
            t = 0
    elif min_right <= 0.06137961149215698:
        if p_hull <= 0.23837491869926453:
            t = 1
        elif max_left <= 0.10170064494013786:
            t = 3 if max_left <= 0.01817034650593996 else 1
        else:
            t = 2
    elif min_left <= 0.05336669087409973:
        if max_right <= 0.0695494469255209:
            t = 0
        elif max_left <= 0.14705360680818558:
            t = 0
        else:
            t = 2
    elif min_left <= 0.8308950066566467:
        t = 3
    elif max_right <= 0.1587613895535469:
        t = 3
    else:
        t = 2
    return ("ascending", "descending", "peak", "valley")[t]


def _asc_desc_decision(p_changes, lr_sense, min_left, max_left, max_right, p_area, p_hull) -> str:  # noqa: ANN001
    if lr_sense == 0:
        if p_area <= 0.4890555590391159:
            t = 0 if max_right <= 0.029244758188724518 else 1
        else:
            t = 0 if p_hull <= 0.5553120970726013 else 1
    elif max_left <= 0.03698493912816048:
        t = 1
    elif min_left <= 0.7991077601909637:
        if p_area <= 0.48206718266010284:
            t = 0
        else:
            t = 0 if max_left <= 0.8631451725959778 else 1
    elif p_changes <= 0.5277777910232544:
        t = 1 if min_left <= 0.8155287206172943 else 0
    else:
        t = 1
    return ("ascending", "descending")[t]


# ---------------------------------------------------------------------------
# the merge solver
# ---------------------------------------------------------------------------


@dataclass
class MergeResult:
    """Result of :func:`optimal_merge`.

    Attributes
    ----------
    keep : ndarray of bool, shape (m - 1,)
        Which boundaries of the input table remain splits.
    trend : str or None
        The trend solved for ("auto" resolved to the chosen one).
    objective : int
        The integer objective: sum over bins of ``int(10**6 * IV term)``.
    """

    keep: np.ndarray
    trend: str | None
    objective: int


def _model_data(ne: np.ndarray, ev: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Integer event rates ``D[e, s]`` and IV terms ``V[e, s]`` of every bin ``s..e``.

    Computed with optbinning's operations (``model_data`` with ``scale=10**6``),
    so the truncated integers are the same. Also returns the IV terms times
    10**6 before truncation (for tie-breaking).
    """
    n = ne.size
    t_ev, t_ne = ev.sum(), ne.sum()
    c_ev = np.concatenate(([0], np.cumsum(ev)))
    c_ne = np.concatenate(([0], np.cumsum(ne)))
    e_idx, s_idx = np.tril_indices(n)
    s_ev = c_ev[e_idx + 1] - c_ev[s_idx]
    s_ne = c_ne[e_idx + 1] - c_ne[s_idx]
    rate = s_ev / (s_ne + s_ev)
    p = s_ev / t_ev
    q = s_ne / t_ne
    with np.errstate(divide="ignore", invalid="ignore"):
        iv = special.xlogy(p - q, p / q)
    rate = rate * _SCALE
    iv = iv * _SCALE
    D = np.zeros((n, n), dtype=np.int64)
    V = np.zeros((n, n), dtype=np.int64)
    D[e_idx, s_idx] = rate.astype(np.int64)
    V[e_idx, s_idx] = iv.astype(np.int64)
    Vf = np.zeros((n, n))
    Vf[e_idx, s_idx] = iv
    return D, V, Vf


def _forbidden_ends(D: np.ndarray, trend: str) -> np.ndarray:
    """Bin ends optbinning's CP model fixes to zero before solving (its "Preprocessing")."""
    n = D.shape[0]
    sign = 1 if trend == "ascending" else -1
    forbid = np.zeros(n, dtype=bool)
    for i in range(n - 1):
        if sign * (D[i + 1, i] - D[i + 1, i + 1]) > 0:
            forbid[i] = True
            for j in range(n - i - 1):
                if sign * (D[i + 1 + j, i] - D[i + 1 + j, i + 1 + j]) > 0:
                    forbid[i + j] = True
    return forbid


def _dp(D: np.ndarray, V: np.ndarray, allowed: np.ndarray, trend: str | None,
        max_n_bins: int | None) -> tuple[list[int], int]:
    """Maximise the sum of ``V`` (non-negative integers) over partitions into contiguous bins.

    ``allowed[e, s]`` says whether the bin ``s..e`` may be used. States are
    (last bin ``s..e``, phase[, number of bins]). Phase 0 is the first part
    of the trend and phase 1 the second: "peak" rises then falls, "valley"
    falls then rises, switching at any bin (optbinning's change point);
    "ascending" is one rising phase, "descending" one falling phase, ``None``
    has no order. Consecutive bins of one phase must respect the order of
    their integer event rates ``D`` (ties allowed), which by transitivity is
    optbinning's all-pairs constraint. The number of bins is tracked only
    when ``max_n_bins`` can bind.

    For a start ``s`` every candidate predecessor ends at ``s - 1``; sorting
    them by event rate turns "the best predecessor whose rate is <= d" into a
    prefix maximum, so all ends ``e`` of the new bin are answered with one
    ``searchsorted``: O(n) vector steps for n pre-bins. Ties go to the
    predecessor that starts first, and to the first phase.

    Returns the bin ends and the objective.
    """
    n = D.shape[0]
    track = max_n_bins is not None and int(max_n_bins) < n
    K = max(1, int(max_n_bins)) if track else 1
    NEG = np.int64(-1)
    two = trend in ("peak", "valley")
    P = 2 if two else 1
    rising = {  # phase -> the order of consecutive rates in it (None: free)
        None: (None,),
        "ascending": (True,),
        "descending": (False,),
        "peak": (True, False),
        "valley": (False, True),
    }[trend]
    R = n + 1  # key = F * R + (n - s'): the larger key has the larger F, then the earlier start
    F = np.full((P, n, n, K), NEG, dtype=np.int64)  # F[p, e, s, k]: prefix 0..e, last bin s..e, k+1 bins
    back_s = np.full((P, n, n, K), -1, dtype=np.int64)
    back_p = np.zeros((P, n, n, K), dtype=np.int8)
    for s in range(n):
        ends = np.flatnonzero(allowed[s:, s]) + s
        if ends.size == 0:
            continue
        v = V[ends, s]
        if s == 0:
            F[:, ends, 0, 0] = v
            continue
        d_new = D[ends, s]
        d_prev = D[s - 1, :s]
        order = np.argsort(d_prev, kind="stable")
        d_sorted = d_prev[order]
        best_key = np.full((P, ends.size, K), NEG, dtype=np.int64)
        best_phase = np.zeros((P, ends.size, K), dtype=np.int8)
        for p in range(P):
            prev = F[p, s - 1, :s, :]  # (s, K)
            starts = np.arange(s, dtype=np.int64)
            keys = np.where(prev >= 0, prev * R + (n - starts)[:, None], NEG)
            if track:  # k bins before -> k + 1 with the new one
                keys = np.concatenate((np.full((s, 1), NEG, dtype=np.int64), keys[:, :-1]), axis=1)
            # the same phase, ordered
            if rising[p] is None:
                cand = np.broadcast_to(keys.max(axis=0), (ends.size, K))
            elif rising[p]:
                pref = np.maximum.accumulate(keys[order], axis=0)
                pos = np.searchsorted(d_sorted, d_new, side="right") - 1
                cand = np.where((pos >= 0)[:, None], pref[np.maximum(pos, 0)], NEG)
            else:
                suf = np.maximum.accumulate(keys[order][::-1], axis=0)[::-1]
                pos = np.searchsorted(d_sorted, d_new, side="left")
                cand = np.where((pos < s)[:, None], suf[np.minimum(pos, s - 1)], NEG)
            better = cand > best_key[p]
            best_key[p] = np.where(better, cand, best_key[p])
            best_phase[p] = np.where(better, p, best_phase[p])
            if two and p == 0:  # the change point: phase 0 -> phase 1 with no order
                free = np.broadcast_to(keys.max(axis=0), (ends.size, K))
                better = free > best_key[1]
                best_key[1] = np.where(better, free, best_key[1])
                best_phase[1] = np.where(better, 0, best_phase[1])
        ok = best_key >= 0
        f_prev = best_key // R
        s_prev = n - (best_key - f_prev * R)
        F[:, ends, s, :] = np.where(ok, f_prev + v[None, :, None], NEG)
        back_s[:, ends, s, :] = np.where(ok, s_prev, -1)
        back_p[:, ends, s, :] = best_phase
    # best final state (ties: fewer bins, then the first phase, then the earliest start)
    best_val, state = -1, None
    for k in range(K):
        for p in range(P):
            col = F[p, n - 1, :, k]
            s = int(np.argmax(col))
            if col[s] > best_val:
                best_val, state = int(col[s]), (p, s, k)
    if state is None:  # pragma: no cover - the single bin is always feasible
        raise RuntimeError("no feasible binning")
    bin_ends = []
    p, s, k = state
    e = n - 1
    while True:
        bin_ends.append(e)
        if s == 0:
            break
        ps, pp = int(back_s[p, e, s, k]), int(back_p[p, e, s, k])
        e, s, p, k = s - 1, ps, pp, (k - 1 if track else k)
    return sorted(bin_ends), best_val


def optimal_merge(
    good: np.ndarray,
    bad: np.ndarray,
    *,
    trend: str | None = "auto",
    min_bin_size: float | None = None,
    max_n_bins: int | None = None,
) -> MergeResult:
    """Optimal merge of contiguous pre-bins: maximum IV under the constraints.

    Parameters
    ----------
    good, bad : array of shape (m,)
        Counts per pre-bin, in order (integers).
    trend : {"auto", "auto_asc_desc", "ascending", "descending", "peak", "valley"} or None
        Shape of the bad rate over the bins ("auto" as optbinning chooses it).
    min_bin_size : float, optional
        Minimum share of the table's rows in each bin.
    max_n_bins : int, optional
        Maximum number of bins.

    Returns
    -------
    MergeResult

    Notes
    -----
    The problem is optbinning's ``OptimalBinning(solver="cp")`` on the same
    pre-bins: pure pre-bins are merged first (:func:`refine_pure_prebins`);
    the objective is the sum of ``int(10**6 * (p - q) * ln(p / q))`` over bins
    (the same truncated integers as optbinning's model); trends compare the
    truncated integer event rates, ties allowed; "ascending" / "descending"
    also forbid the split points that optbinning's pre-processing forbids.
    The dynamic programme is exact, so its objective equals optbinning's
    optimum (when CP-SAT proves optimality within its time limit).

    Tie-breaking: when several partitions reach the same integer objective,
    optbinning returns whichever CP-SAT happens to find. Here the one with
    the larger exact IV wins (to 10**-6 of an objective unit), then, scanning
    left to right, the one whose bins start earliest. Ties on the integer
    objective need two partitions within 10**-6 of IV of each other, for
    example when merging two pre-bins with almost equal bad rates changes the
    IV by less than that; then optbinning's splits may differ from ours (its
    objective value never does).

    Examples
    --------
    >>> r = optimal_merge([90, 80, 50, 20], [10, 20, 50, 80], trend="ascending")
    >>> r.keep.tolist(), r.trend
    ([True, True, True], 'ascending')
    """
    g = np.asarray(good, dtype=np.float64)
    b = np.asarray(bad, dtype=np.float64)
    m = g.size
    if trend not in SOLVER_TRENDS:
        raise ValueError(f"the dynamic-programming solver supports the trends {SOLVER_TRENDS}, got {trend!r}")
    if m <= 1:
        return MergeResult(np.zeros(0, dtype=bool), trend, 0)
    total = float(np.sum(g + b))
    refined = refine_pure_prebins(g, b)
    idx = np.flatnonzero(refined)
    keep = np.zeros(m - 1, dtype=bool)
    if idx.size == 0:
        return MergeResult(keep, trend, 0)
    groups = np.concatenate(([0], idx + 1))
    ne = np.add.reduceat(g, groups).astype(np.int64)
    ev = np.add.reduceat(b, groups).astype(np.int64)
    n = ne.size
    if trend in ("auto", "auto_asc_desc"):
        trend = auto_monotonic(ne, ev, trend)
    D, V, Vf = _model_data(ne, ev)
    c_n = np.concatenate(([0], np.cumsum(ne + ev)))
    sizes = c_n[:, None][1:] - c_n[None, :-1]  # sizes[e, s] = rows in s..e
    sizes_ok = np.tril(np.ones((n, n), dtype=bool))
    if min_bin_size:
        min_size = int(np.ceil(min_bin_size * total))
        sizes_ok &= sizes >= min_size
    allowed = sizes_ok
    if trend in ("ascending", "descending"):
        forbid = _forbidden_ends(D, trend)
        forbid[-1] = False
        allowed = allowed & ~forbid[:, None]
    # Lexicographic objective: optbinning's integer objective first, then the exact IV.
    # W = V * 2**20 + t with t = floor(fractional part * per) < per, per = 2**20 // n:
    # the t of at most n bins sum to less than 2**20, so W orders (sum V, sum t) exactly.
    per = _TIE_SCALE // n
    W = V * _TIE_SCALE + np.floor((Vf - V) * per).astype(np.int64)
    ends, scaled = _dp(D, np.where(np.tril(np.ones((n, n), dtype=bool)), W, 0), allowed, trend, max_n_bins)
    objective = scaled // _TIE_SCALE
    chosen = np.zeros(n - 1, dtype=bool)
    chosen[[e for e in ends if e < n - 1]] = True
    keep[idx[chosen]] = True
    return MergeResult(keep, trend, int(objective))


def integer_objective(good: np.ndarray, bad: np.ndarray, keep: np.ndarray) -> int:
    """The integer objective of a given partition of the refined table (for checks).

    ``keep`` marks boundaries of the original table; pure-bin refinement is
    applied first, as in :func:`optimal_merge`.
    """
    g = np.asarray(good, dtype=np.float64)
    b = np.asarray(bad, dtype=np.float64)
    refined = refine_pure_prebins(g, b)
    idx = np.flatnonzero(refined)
    if idx.size == 0:
        return 0
    groups = np.concatenate(([0], idx + 1))
    ne = np.add.reduceat(g, groups).astype(np.int64)
    ev = np.add.reduceat(b, groups).astype(np.int64)
    D, V, _ = _model_data(ne, ev)
    chosen = np.asarray(keep, dtype=bool)[idx]
    ends = [*np.flatnonzero(chosen).tolist(), ne.size - 1]
    total, start = 0, 0
    for e in ends:
        total += int(V[e, start])
        start = e + 1
    return total


def min_size_count(min_bin_size: float | None, total: float) -> int:
    """optbinning's minimum bin size in rows: ``ceil(min_bin_size * total)``."""
    return int(math.ceil(min_bin_size * total)) if min_bin_size else 0
