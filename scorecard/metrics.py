"""Performance metrics for credit scorecards: pure functions on arrays.

What it holds
-------------
- Discrimination: :func:`auc`, :func:`gini`, :func:`ks`, :func:`ks_table`,
  :func:`lift_table`.
- Stability: :func:`psi`, :func:`psi_table`, :func:`csi`, :func:`psi_reading`.
- Calibration: :func:`hosmer_lemeshow`, :func:`brier`.
- Uncertainty: :func:`bootstrap_ci` (percentile bootstrap, vectorised for
  AUC, Gini and KS) and the shortcuts :func:`auc_ci`, :func:`gini_ci`,
  :func:`ks_ci`.
- Score histograms (counts per distinct score, for millions of rows):
  :func:`score_histogram`, :func:`histogram_metrics` (AUC, Gini, KS equal
  to the row functions) and :func:`histogram_ci` (their bootstrap intervals
  drawn as multinomial counts per score value, O(distinct scores) per
  resample).

Conventions (``design.md``)
---------------------------
- ``y_true``: 1 = bad (the event), 0 = good; checked by
  :func:`scorecard._validation.check_target` (one class, values other than
  0/1 and missing values are :class:`~scorecard.errors.TargetError`).
- ``y_score``: a *risk* score, higher = riskier (for example the probability
  of bad). Scorecard points run the other way (higher = safer): pass
  ``-points``. Scores must be finite; NaN or infinite values raise
  :class:`~scorecard.errors.DataError` naming the argument and the count.
- ``KS = max_t |F_bad(t) - F_good(t)|``, evaluated at the distinct score
  values; ``Gini = 2 * AUC - 1``; ties in AUC count one half.
- ``PSI = sum_i (a_i - e_i) * ln(a_i / e_i)`` over bands fixed on the
  expected (development) sample; shares are floored at ``floor`` (default
  ``1e-4``) before the logarithm so that an empty band gives a large but
  finite contribution. Reading: < 0.10 stable, 0.10 to 0.25 watch,
  > 0.25 shifted.
- Score bands (lift table, Hosmer-Lemeshow groups) never split tied scores:
  each distinct value goes, whole, to the band in which the middle of its
  rows falls in sorted order, so bands can have unequal counts and there can
  be fewer bands than asked for.

Invalid parameters (``n_bins=0``, ``level=1.5``, ...) raise ``ValueError``.
Every function is pure: no global state, no printing (diagnostics go to the
``scorecard.metrics`` logger).

Examples
--------
>>> from scorecard.metrics import auc, ks
>>> y = [0, 0, 1, 1]
>>> s = [0.1, 0.4, 0.35, 0.8]
>>> auc(y, s), ks(y, s)
(0.75, 0.5)
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard._validation import as_frame, check_target
from scorecard.errors import DataError, MissingColumnError, TargetError

__all__ = [
    "auc",
    "gini",
    "ks",
    "ks_table",
    "lift_table",
    "psi",
    "psi_table",
    "csi",
    "psi_reading",
    "psi_from_counts",
    "hosmer_lemeshow",
    "HosmerLemeshowResult",
    "brier",
    "bootstrap_ci",
    "auc_ci",
    "gini_ci",
    "ks_ci",
    "ConfidenceInterval",
    "ScoreHistogram",
    "score_histogram",
    "histogram_metrics",
    "histogram_ci",
]

logger = logging.getLogger(__name__)

ArrayLike = npt.ArrayLike

#: PSI reading thresholds: below ``_PSI_WATCH`` stable, above ``_PSI_SHIFTED`` shifted.
_PSI_WATCH = 0.10
_PSI_SHIFTED = 0.25

#: Upper bound on the number of resampled row indices held at once by the bootstrap.
_BOOT_CELLS = 2_000_000


# --------------------------------------------------------------------------- #
# validation helpers (private)
# --------------------------------------------------------------------------- #
def _as_float_1d(x: Any, name: str) -> np.ndarray:
    """Return ``x`` as a 1-d float64 array; :class:`DataError` if it cannot be."""
    if x is None:
        raise DataError(f"{name} is required")
    try:
        if isinstance(x, (pd.Series, pd.Index, pd.DataFrame)):
            arr = x.to_numpy(dtype="float64", na_value=np.nan)
        else:
            arr = np.asarray(x, dtype="float64")
    except (TypeError, ValueError) as exc:
        raise DataError(f"{name} must be numeric; could not convert it to float ({exc})") from None
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise DataError(f"{name} must be 1-dimensional, got shape {arr.shape}")
    return arr


def _length(x: Any) -> int | None:
    try:
        return len(x)
    except TypeError:
        return None


def _check_finite(arr: np.ndarray, name: str) -> None:
    """Raise :class:`DataError` counting NaN and infinite values in ``arr``."""
    bad = ~np.isfinite(arr)
    if bad.any():
        n_nan = int(np.isnan(arr).sum())
        n_inf = int(bad.sum()) - n_nan
        raise DataError(
            f"{name} has {n_nan} NaN and {n_inf} infinite value(s) out of {arr.size}: "
            "drop or impute those rows before computing the metric"
        )


def _check_pair(y_true: Any, y_score: Any, score_name: str = "y_score") -> tuple[np.ndarray, np.ndarray]:
    """Validate a (target, score) pair: returns ``(y int8 0/1, score float64)``."""
    s = _as_float_1d(y_score, score_name)
    if s.size == 0:
        raise DataError(f"{score_name} is empty: a metric needs at least one bad and one good row")
    n_y = _length(y_true)
    if n_y is not None and n_y != s.size:
        raise DataError(
            f"y_true has {n_y} values but {score_name} has {s.size}: "
            "they must be the same length (one value per row)"
        )
    y = check_target(y_true, name="y_true")
    _check_finite(s, score_name)
    return y, s


def _check_probability(p: np.ndarray, name: str) -> None:
    out = (p < 0.0) | (p > 1.0)
    if out.any():
        raise DataError(
            f"{name} has {int(out.sum())} value(s) outside [0, 1] (min {p.min():g}, max {p.max():g}): "
            "pass probabilities of bad, not scores or points"
        )


def _check_int(value: Any, name: str, minimum: int) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return int(value)


def _check_floor(floor: float) -> float:
    f = float(floor)
    if not (0.0 < f < 1.0):
        raise ValueError(f"floor must lie in (0, 1), got {floor!r}")
    return f


# --------------------------------------------------------------------------- #
# count-based kernels (shared by the scalar metrics and the bootstrap)
# --------------------------------------------------------------------------- #
def _class_counts(y: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Distinct sorted score values, row -> value index, bads and goods per value."""
    values, inv = np.unique(s, return_inverse=True)
    k = values.size
    bads = np.bincount(inv[y == 1], minlength=k)
    goods = np.bincount(inv[y == 0], minlength=k)
    return values, inv, bads, goods


def _auc_from_counts(b: np.ndarray, g: np.ndarray) -> np.ndarray:
    """AUC = P(score_bad > score_good) + 0.5 P(tie), along the last axis.

    ``b`` and ``g`` are bad and good counts per distinct score value, in
    increasing score order. Integer arithmetic up to the final division, so
    the result is exact to rounding for samples up to about 10 million rows.
    """
    b = b.astype(np.float64)
    g = g.astype(np.float64)
    g_below = np.cumsum(g, axis=-1) - g
    u = (b * (g_below + 0.5 * g)).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return u / (b.sum(axis=-1) * g.sum(axis=-1))


def _ks_from_counts(b: np.ndarray, g: np.ndarray) -> np.ndarray:
    """KS = max over distinct values of |F_bad - F_good|, along the last axis."""
    with np.errstate(invalid="ignore", divide="ignore"):
        fb = np.cumsum(b, axis=-1) / b.sum(axis=-1, keepdims=True)
        fg = np.cumsum(g, axis=-1) / g.sum(axis=-1, keepdims=True)
    return np.abs(fb - fg).max(axis=-1)


def _gini_from_counts(b: np.ndarray, g: np.ndarray) -> np.ndarray:
    return 2.0 * _auc_from_counts(b, g) - 1.0


def _bands(s: np.ndarray, n_bins: int, *, descending: bool) -> tuple[np.ndarray, int, np.ndarray, np.ndarray]:
    """Quantile bands that never split ties.

    Each distinct value goes, whole, to band ``floor(mid * n_bins / n)``,
    ``mid`` being the position of the middle of its rows in sorted order
    (descending when ``descending``); empty bands are dropped and the rest
    renumbered 0, 1, ... Without ties and with ``n`` a multiple of
    ``n_bins`` every band has exactly ``n / n_bins`` rows.

    Returns the band code of each row, the number of bands, and the min and
    max score per band.
    """
    values, inv, counts = np.unique(s, return_inverse=True, return_counts=True)
    n = s.size
    c = counts[::-1] if descending else counts
    start = np.cumsum(c) - c
    raw = ((2 * start + c) * n_bins) // (2 * n)  # exact integer arithmetic
    dense = np.concatenate(([0], np.cumsum(np.diff(raw) > 0)))
    band_of_value = dense[::-1] if descending else dense
    m = int(dense[-1]) + 1
    mins = np.full(m, np.inf)
    maxs = np.full(m, -np.inf)
    np.minimum.at(mins, band_of_value, values)
    np.maximum.at(maxs, band_of_value, values)
    return band_of_value[inv], m, mins, maxs


def _band_frame(y: np.ndarray, s: np.ndarray, n_bins: int) -> pd.DataFrame:
    """Counts per risk band, band 1 = riskiest (highest scores)."""
    n_bins = _check_int(n_bins, "n_bins", 1)
    codes, m, mins, maxs = _bands(s, n_bins, descending=True)
    count = np.bincount(codes, minlength=m)
    bads = np.bincount(codes[y == 1], minlength=m)
    if m < n_bins:
        logger.debug("%d band(s) formed instead of %d: tied scores are kept together", m, n_bins)
    return pd.DataFrame(
        {
            "band": np.arange(1, m + 1),
            "min_score": mins,
            "max_score": maxs,
            "count": count,
            "bads": bads,
            "goods": count - bads,
        }
    )


# --------------------------------------------------------------------------- #
# discrimination
# --------------------------------------------------------------------------- #
def auc(y_true: ArrayLike, y_score: ArrayLike) -> float:
    """Area under the ROC curve: P(score of a bad > score of a good), ties one half.

    Computed from the bad and good counts per distinct score value (the
    Mann-Whitney U statistic with average ranks for ties), in O(n log n).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        1 = bad, 0 = good.
    y_score : array-like of shape (n,)
        Risk score, higher = riskier. Must be finite.

    Returns
    -------
    float
        In [0, 1]; 0.5 is no discrimination.

    Raises
    ------
    TargetError
        ``y_true`` has one class, missing values or values other than 0/1.
    DataError
        ``y_score`` is empty, of another length, or has NaN/inf.

    Examples
    --------
    >>> auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    """
    y, s = _check_pair(y_true, y_score)
    _, _, b, g = _class_counts(y, s)
    return float(_auc_from_counts(b, g))


def gini(y_true: ArrayLike, y_score: ArrayLike) -> float:
    """Gini coefficient (accuracy ratio): ``2 * AUC - 1``, in [-1, 1].

    Parameters and errors as :func:`auc`.

    Examples
    --------
    >>> gini([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.5
    """
    return 2.0 * auc(y_true, y_score) - 1.0


def ks(y_true: ArrayLike, y_score: ArrayLike) -> float:
    """Kolmogorov-Smirnov statistic: ``max_t |F_bad(t) - F_good(t)|``.

    ``F_bad`` and ``F_good`` are the empirical distribution functions of the
    score among bads and goods, evaluated at every distinct score value (so
    tied scores are never separated). Equals the two-sample KS statistic of
    the bads' and goods' scores.

    Parameters and errors as :func:`auc`.

    Returns
    -------
    float
        In [0, 1].

    Examples
    --------
    >>> ks([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.5
    """
    y, s = _check_pair(y_true, y_score)
    _, _, b, g = _class_counts(y, s)
    return float(_ks_from_counts(b, g))


def ks_table(y_true: ArrayLike, y_score: ArrayLike, n_bins: int = 10) -> pd.DataFrame:
    """KS by risk band: cumulative bad and good shares from the riskiest band down.

    Bands as in :func:`lift_table`. The largest ``ks`` in the table is the
    KS at the band boundaries, a lower bound of :func:`ks` (equal when the
    maximum falls on a boundary).

    Parameters
    ----------
    y_true, y_score : array-like of shape (n,)
        As in :func:`auc`.
    n_bins : int, default 10
        Number of bands asked for (fewer when ties force it).

    Returns
    -------
    pandas.DataFrame
        Columns ``band, min_score, max_score, count, bads, goods, cum_bads,
        cum_goods, cum_bad_share, cum_good_share, ks``.

    Examples
    --------
    >>> t = ks_table([0, 0, 1, 1], [0.1, 0.2, 0.35, 0.8], n_bins=2)
    >>> t["ks"].tolist()
    [1.0, 0.0]
    """
    y, s = _check_pair(y_true, y_score)
    df = _band_frame(y, s, n_bins)
    n_bad = int(y.sum())
    n_good = y.size - n_bad
    df["cum_bads"] = df["bads"].cumsum()
    df["cum_goods"] = df["goods"].cumsum()
    df["cum_bad_share"] = df["cum_bads"] / n_bad
    df["cum_good_share"] = df["cum_goods"] / n_good
    df["ks"] = (df["cum_bad_share"] - df["cum_good_share"]).abs()
    return df


def lift_table(y_true: ArrayLike, y_score: ArrayLike, n_bins: int = 10) -> pd.DataFrame:
    """Gains / lift table by score quantile band, band 1 = riskiest.

    Bands are formed on distinct score values: tied scores are never split
    across bands (see the module docstring), so band counts can be unequal
    and there can be fewer than ``n_bins`` bands; counts always sum to ``n``.

    Parameters
    ----------
    y_true, y_score : array-like of shape (n,)
        As in :func:`auc` (higher score = riskier).
    n_bins : int, default 10
        Number of bands asked for.

    Returns
    -------
    pandas.DataFrame
        One row per band: ``band`` (1 = highest scores), ``min_score``,
        ``max_score``, ``count``, ``bads``, ``goods``, ``bad_rate``,
        ``cum_bads``, ``cum_bad_capture`` (share of all bads in bands 1..k),
        ``cum_count_share``, ``lift`` (band bad rate / overall bad rate) and
        ``cum_lift`` (cumulative bad rate / overall bad rate).

    Examples
    --------
    >>> t = lift_table([0, 0, 0, 1, 0, 1], [1, 2, 3, 4, 5, 6], n_bins=3)
    >>> t[["band", "count", "bads", "cum_bad_capture", "lift"]].to_string(index=False)
    ' band  count  bads  cum_bad_capture  lift\\n    1      2     1              0.5   1.5\\n    2      2     1              1.0   1.5\\n    3      2     0              1.0   0.0'
    """
    y, s = _check_pair(y_true, y_score)
    df = _band_frame(y, s, n_bins)
    n = y.size
    n_bad = int(y.sum())
    overall = n_bad / n
    df["bad_rate"] = df["bads"] / df["count"]
    df["cum_bads"] = df["bads"].cumsum()
    df["cum_bad_capture"] = df["cum_bads"] / n_bad
    df["cum_count_share"] = df["count"].cumsum() / n
    df["lift"] = df["bad_rate"] / overall
    df["cum_lift"] = df["cum_bad_capture"] / df["cum_count_share"]
    return df


# --------------------------------------------------------------------------- #
# stability
# --------------------------------------------------------------------------- #
def _fmt_edges(edges: np.ndarray) -> list[str]:
    """Shortest ``%g`` precision (>= 4 digits) that keeps every edge label distinct."""
    for digits in range(4, 18):
        labels = [f"{e:.{digits}g}" for e in edges]
        if len(set(labels)) == len(labels):
            return labels
    return [repr(float(e)) for e in edges]


def _numeric_edges(expected: np.ndarray, bins: int | ArrayLike) -> np.ndarray:
    """Interior edges: quantiles of the non-missing expected values, or given edges."""
    if isinstance(bins, (int, np.integer)) and not isinstance(bins, (bool, np.bool_)):
        n_bins = _check_int(bins, "bins", 1)
        ok = expected[~np.isnan(expected)]
        if ok.size == 0 or n_bins == 1:
            return np.empty(0)
        # data-valued quantiles (the smallest value with ECDF >= q), deduplicated, the
        # maximum dropped: with right-closed bands every band then holds expected rows
        edges = np.unique(np.quantile(ok, np.arange(1, n_bins) / n_bins, method="inverted_cdf"))
        return edges[edges < ok.max()]
    try:
        edges = np.asarray(bins, dtype="float64")
    except (TypeError, ValueError):
        raise ValueError(f"bins must be an integer or a 1-d array of increasing edges, got {bins!r}") from None
    if edges.ndim != 1 or np.isnan(edges).any():
        raise ValueError(f"bins edges must be a 1-d array without NaN, got {bins!r}")
    edges = edges[np.isfinite(edges)]
    if edges.size > 1 and not np.all(np.diff(edges) > 0):
        raise ValueError(f"bins edges must be strictly increasing, got {bins!r}")
    return edges


def _numeric_psi_counts(
    expected: ArrayLike, actual: ArrayLike, bins: int | ArrayLike
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    hint = "; for labels (bin indices, categories) pass categorical=True"
    samples = []
    for name, x in (("expected", expected), ("actual", actual)):
        try:
            arr = _as_float_1d(x, name)
        except DataError as exc:
            raise DataError(f"{exc}{hint}") from None
        if arr.size == 0:
            raise DataError(f"{name} is empty: PSI needs at least one row in each sample")
        n_inf = int(np.isinf(arr).sum())
        if n_inf:
            raise DataError(
                f"{name} has {n_inf} infinite value(s) out of {arr.size}: "
                "replace them (NaN is allowed and gets its own 'missing' band)"
            )
        samples.append(arr)
    e, a = samples
    edges = _numeric_edges(e, bins)
    k = edges.size + 1
    e_nan, a_nan = np.isnan(e), np.isnan(a)
    has_missing = bool(e_nan.any() or a_nan.any())
    n_bands = k + has_missing

    def counts(x: np.ndarray, nan: np.ndarray) -> np.ndarray:
        # right-closed bands: (-inf, e0], (e0, e1], ..., (e_last, +inf)
        codes = np.searchsorted(edges, x[~nan], side="left")
        c = np.bincount(codes, minlength=n_bands)
        if has_missing:
            c[k] = int(nan.sum())
        return c

    lower = np.concatenate(([-np.inf], edges))
    upper = np.concatenate((edges, [np.inf]))
    lo_lab = ["-inf", *_fmt_edges(edges)]
    hi_lab = [*_fmt_edges(edges), "inf"]
    labels = [f"({lo}, {hi}]" if hi != "inf" else f"({lo}, {hi})" for lo, hi in zip(lo_lab, hi_lab)]
    if has_missing:
        labels.append("missing")
        lower = np.append(lower, np.nan)
        upper = np.append(upper, np.nan)
    frame = pd.DataFrame({"band": labels, "lower": lower, "upper": upper})
    return frame, counts(e, e_nan), counts(a, a_nan)


def _label_series(x: Any, name: str) -> pd.Series:
    if isinstance(x, pd.DataFrame) or np.ndim(x) != 1:
        raise DataError(f"{name} must be 1-dimensional (one label per row)")
    ser = x if isinstance(x, pd.Series) else pd.Series(np.asarray(x, dtype=object))
    if ser.size == 0:
        raise DataError(f"{name} is empty: PSI needs at least one row in each sample")
    return ser.reset_index(drop=True).astype(object)


def _categorical_psi_counts(expected: Any, actual: Any) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    e = _label_series(expected, "expected")
    a = _label_series(actual, "actual")
    e_nan, a_nan = e.isna(), a.isna()
    ec = e[~e_nan].value_counts(sort=False)
    ac = a[~a_nan].value_counts(sort=False)
    labels = list(dict.fromkeys([*ec.index, *ac.index]))
    try:
        labels = sorted(labels)
    except TypeError:
        labels = sorted(labels, key=lambda v: (type(v).__name__, str(v)))
    e_counts = ec.reindex(labels, fill_value=0).to_numpy(dtype=np.int64)
    a_counts = ac.reindex(labels, fill_value=0).to_numpy(dtype=np.int64)
    if e_nan.any() or a_nan.any():
        labels.append("missing")
        e_counts = np.append(e_counts, int(e_nan.sum()))
        a_counts = np.append(a_counts, int(a_nan.sum()))
    band = pd.Series(labels, dtype=object)
    return pd.DataFrame({"band": band}), e_counts, a_counts


def psi_table(
    expected: ArrayLike,
    actual: ArrayLike,
    bins: int | ArrayLike = 10,
    *,
    categorical: bool = False,
    floor: float = 1e-4,
) -> pd.DataFrame:
    """Population stability by band: shares in each sample and each band's PSI term.

    Bands are fixed on the ``expected`` (development) sample:

    - numeric (default): ``bins`` quantile bands of the non-missing expected
      values, right-closed with open outer edges:
      ``(-inf, q1], (q1, q2], ..., (q_last, +inf)``. The edges ``q`` are
      expected values (``q_j`` is the smallest value whose empirical CDF
      reaches ``j / bins``), deduplicated when ties make quantiles coincide,
      so tied values share a band, every band holds expected rows, and there
      may be fewer than ``bins`` bands. Or ``bins`` is an
      explicit array of edges; infinite edges are dropped and the outer bands
      stay open-ended, so no value is ever left out. NaN values (in either
      sample) form their own band ``"missing"``; they are never dropped.
      Infinite values raise :class:`DataError`.
    - ``categorical=True``: one band per distinct label in the union of both
      samples (for example bin indices or labels from a binner); missing
      labels form the band ``"missing"``. ``bins`` is ignored.

    Each band contributes ``(a - e) * ln(a / e)``, where ``e`` and ``a`` are
    the expected and actual shares floored at ``floor`` (the table shows the
    unfloored shares), so an empty band gives a large but finite term.

    Parameters
    ----------
    expected, actual : array-like of shape (n_e,), (n_a,)
        The development and the recent sample (values, or labels when
        ``categorical``).
    bins : int or array-like, default 10
        Number of quantile bands, or the edges.
    categorical : bool, default False
        Treat values as labels.
    floor : float, default 1e-4
        Lower bound applied to both shares before the logarithm.

    Returns
    -------
    pandas.DataFrame
        Columns ``band`` (label), ``lower``, ``upper`` (numeric only),
        ``expected_count``, ``expected_share``, ``actual_count``,
        ``actual_share``, ``contribution``; the PSI is the sum of
        ``contribution``.

    Examples
    --------
    >>> t = psi_table([1, 2, 3, 4], [1, 1, 1, 4], bins=2)
    >>> t[["band", "expected_count", "actual_count"]].to_string(index=False)
    '     band  expected_count  actual_count\\n(-inf, 2]               2             3\\n (2, inf)               2             1'
    """
    floor = _check_floor(floor)
    if categorical:
        frame, e_counts, a_counts = _categorical_psi_counts(expected, actual)
    else:
        frame, e_counts, a_counts = _numeric_psi_counts(expected, actual, bins)
    e_share, a_share, contribution = _psi_terms(e_counts, a_counts, floor)
    frame["expected_count"] = e_counts
    frame["expected_share"] = e_share
    frame["actual_count"] = a_counts
    frame["actual_share"] = a_share
    frame["contribution"] = contribution
    return frame


def _psi_terms(e_counts: np.ndarray, a_counts: np.ndarray, floor: float) -> tuple[np.ndarray, ...]:
    """Expected and actual shares and each band's PSI term (shares floored at ``floor`` in the term)."""
    e_share = e_counts / e_counts.sum()
    a_share = a_counts / a_counts.sum()
    ef = np.maximum(e_share, floor)
    af = np.maximum(a_share, floor)
    n_floored = int(((e_share < floor) | (a_share < floor)).sum())
    if n_floored:
        logger.debug("PSI: %d band(s) with a share below floor=%g were floored", n_floored, floor)
    return e_share, a_share, (af - ef) * np.log(af / ef)


def psi_from_counts(expected_counts: ArrayLike, actual_counts: ArrayLike, *, floor: float = 1e-4) -> float:
    """PSI from the rows per band of both samples: :func:`psi` without the rows.

    The same formula and floor as :func:`psi_table`, so ``psi_from_counts``
    of the ``expected_count`` and ``actual_count`` columns of a
    :func:`psi_table` equals :func:`psi` of the rows, bit for bit. For many
    comparisons against one reference (per month, per segment): band the
    rows once, then count.

    Parameters
    ----------
    expected_counts, actual_counts : array-like of int, same length
        Rows of the expected (development) and actual sample per band; each
        sample has at least one row.
    floor : float, default 1e-4
        Share floor, as in :func:`psi`.

    Returns
    -------
    float

    Example
    -------
    >>> t = psi_table([1, 2, 3, 4], [1, 1, 1, 4], bins=2)
    >>> psi_from_counts(t["expected_count"], t["actual_count"]) == psi([1, 2, 3, 4], [1, 1, 1, 4], bins=2)
    True
    """
    floor = _check_floor(floor)
    e = np.asarray(expected_counts, dtype=np.int64)
    a = np.asarray(actual_counts, dtype=np.int64)
    if e.ndim != 1 or e.shape != a.shape or (e < 0).any() or (a < 0).any():
        raise DataError("expected_counts and actual_counts must be 1-d non-negative counts of the same length")
    if e.sum() == 0 or a.sum() == 0:
        raise DataError("PSI needs at least one row in each sample")
    return float(pd.Series(_psi_terms(e, a, floor)[2]).sum())


def psi(
    expected: ArrayLike,
    actual: ArrayLike,
    bins: int | ArrayLike = 10,
    *,
    categorical: bool = False,
    floor: float = 1e-4,
) -> float:
    """Population stability index: ``sum_i (a_i - e_i) * ln(a_i / e_i)``.

    Bands fixed on ``expected``; see :func:`psi_table` for the banding, the
    ``"missing"`` band and the ``floor``. Always >= 0; 0 when both samples
    have the same band shares. Read it with :func:`psi_reading`.

    Examples
    --------
    >>> round(psi([1, 2, 3, 4], [1, 1, 1, 4], bins=2), 4)
    0.2747
    >>> psi([1, 2, 3, 4], [4, 3, 2, 1])
    0.0
    """
    table = psi_table(expected, actual, bins, categorical=categorical, floor=floor)
    return float(table["contribution"].sum())


def csi(expected: pd.DataFrame, actual: pd.DataFrame, *, floor: float = 1e-4) -> pd.Series:
    """Characteristic stability index: the PSI of each column over its bins.

    Each column is treated as categorical (for example the bin labels or bin
    indices a binner assigns), bands being the union of the labels seen in
    both frames, missing labels a band of their own; see :func:`psi_table`.

    Parameters
    ----------
    expected, actual : pandas.DataFrame
        Development and recent frames of bin labels; every column of
        ``expected`` must be in ``actual`` (extra columns of ``actual`` are
        ignored).
    floor : float, default 1e-4
        Share floor, as in :func:`psi`.

    Returns
    -------
    pandas.Series
        CSI per column of ``expected``, named ``"csi"``.

    Raises
    ------
    MissingColumnError
        A column of ``expected`` is absent from ``actual``.

    Examples
    --------
    >>> import pandas as pd
    >>> e = pd.DataFrame({"age": ["a", "b", "a", "b"], "term": [0, 1, 2, 3]})
    >>> a = pd.DataFrame({"age": ["a", "b", "b", "a"], "term": [0, 1, 2, 3]})
    >>> csi(e, a).tolist()
    [0.0, 0.0]
    """
    floor = _check_floor(floor)
    exp = as_frame(expected, name="expected")
    act = as_frame(actual, name="actual")
    missing = [c for c in exp.columns if c not in act.columns]
    if missing:
        raise MissingColumnError(
            f"actual is missing column(s) {missing} present in expected: CSI compares each "
            "column of expected with the same column of actual; add them or drop them from expected"
        )
    values = {c: psi(exp[c], act[c], categorical=True, floor=floor) for c in exp.columns}
    return pd.Series(values, name="csi", dtype="float64")


def psi_reading(value: float) -> str:
    """Customary reading of a PSI or CSI value.

    ``"stable"`` below 0.10, ``"watch"`` from 0.10 to 0.25 (inclusive),
    ``"shifted"`` above 0.25.

    Raises
    ------
    DataError
        ``value`` is NaN, infinite or negative (not a PSI).

    Examples
    --------
    >>> psi_reading(0.02), psi_reading(0.1), psi_reading(0.3)
    ('stable', 'watch', 'shifted')
    """
    v = float(value)
    if not math.isfinite(v) or v < 0:
        raise DataError(f"a PSI value is finite and >= 0, got {value!r}")
    if v < _PSI_WATCH:
        return "stable"
    if v <= _PSI_SHIFTED:
        return "watch"
    return "shifted"


# --------------------------------------------------------------------------- #
# calibration
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class HosmerLemeshowResult:
    """Result of :func:`hosmer_lemeshow`.

    Attributes
    ----------
    statistic : float
        ``sum_g (O_g - E_g)^2 / (E_g (1 - E_g / n_g))``.
    pvalue : float
        ``P(chi2(dof) > statistic)``; small = poor calibration.
    dof : int
        Number of groups formed minus 2.
    table : pandas.DataFrame
        Per group: ``group`` (1 = lowest p_bad), ``n``, ``min_p``, ``max_p``,
        ``observed_bads``, ``expected_bads``, ``observed_rate``,
        ``expected_rate``, ``contribution``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> p = rng.uniform(0.02, 0.4, 5000)
    >>> res = hosmer_lemeshow(rng.random(5000) < p, p)  # outcomes drawn from p: well calibrated
    >>> res.dof, len(res.table), bool(res.pvalue > 0.01)
    (8, 10, True)
    """

    statistic: float
    pvalue: float
    dof: int
    table: pd.DataFrame = field(compare=False, repr=False)


def hosmer_lemeshow(y_true: ArrayLike, p_bad: ArrayLike, n_groups: int = 10) -> HosmerLemeshowResult:
    """Hosmer-Lemeshow goodness-of-fit test of predicted probabilities of bad.

    Rows are grouped by quantile of ``p_bad`` (tied probabilities are kept
    in one group, so there may be fewer than ``n_groups`` groups); in each
    group the observed bads ``O`` are compared with the expected bads
    ``E = sum(p_bad)``: ``statistic = sum (O - E)^2 / (E (1 - E / n))``,
    chi-squared with ``groups - 2`` degrees of freedom. A group whose
    variance ``E (1 - E / n)`` is 0 (all ``p_bad`` 0, or all 1) contributes
    0 when ``O == E`` and ``inf`` otherwise.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        1 = bad, 0 = good.
    p_bad : array-like of shape (n,)
        Predicted probability of bad, in [0, 1].
    n_groups : int, default 10
        Number of groups asked for (at least 3).

    Returns
    -------
    HosmerLemeshowResult

    Raises
    ------
    DataError
        ``p_bad`` outside [0, 1], NaN/inf, or too few distinct values to form
        3 groups.

    Examples
    --------
    >>> r = hosmer_lemeshow([0, 0, 1, 0, 1, 1], [0.1, 0.2, 0.4, 0.5, 0.7, 0.9], n_groups=3)
    >>> r.dof, r.table["n"].tolist(), round(r.statistic, 3)
    (1, [2, 2, 2], 0.873)
    """
    y, p = _check_pair(y_true, p_bad, "p_bad")
    _check_probability(p, "p_bad")
    n_groups = _check_int(n_groups, "n_groups", 3)
    codes, g, mins, maxs = _bands(p, n_groups, descending=False)
    if g < 3:
        raise DataError(
            f"Hosmer-Lemeshow needs at least 3 groups, but p_bad has {np.unique(p).size} distinct "
            f"value(s) and only {g} group(s) can be formed without splitting ties"
        )
    if g < n_groups:
        logger.info("Hosmer-Lemeshow: %d groups formed instead of %d (ties kept together)", g, n_groups)
    n = np.bincount(codes, minlength=g)
    obs = np.bincount(codes[y == 1], minlength=g)
    exp = np.bincount(codes, weights=p, minlength=g)
    var = exp * (1.0 - exp / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        contrib = (obs - exp) ** 2 / var
    contrib = np.where(var > 0, contrib, np.where(np.isclose(obs, exp), 0.0, np.inf))
    statistic = float(contrib.sum())
    dof = g - 2
    from scipy.stats import chi2  # lazy: scipy.stats is slow to import

    pvalue = float(chi2.sf(statistic, dof))
    table = pd.DataFrame(
        {
            "group": np.arange(1, g + 1),
            "n": n,
            "min_p": mins,
            "max_p": maxs,
            "observed_bads": obs,
            "expected_bads": exp,
            "observed_rate": obs / n,
            "expected_rate": exp / n,
            "contribution": contrib,
        }
    )
    return HosmerLemeshowResult(statistic=statistic, pvalue=pvalue, dof=dof, table=table)


def brier(y_true: ArrayLike, p_bad: ArrayLike) -> float:
    """Brier score: mean squared difference between ``p_bad`` and the outcome.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        1 = bad, 0 = good.
    p_bad : array-like of shape (n,)
        Predicted probability of bad, in [0, 1] (else :class:`DataError`).

    Returns
    -------
    float
        In [0, 1]; lower is better.

    Examples
    --------
    >>> round(brier([0, 1], [0.2, 0.6]), 6)
    0.1
    """
    y, p = _check_pair(y_true, p_bad, "p_bad")
    _check_probability(p, "p_bad")
    return float(np.mean((p - y) ** 2))


# --------------------------------------------------------------------------- #
# uncertainty
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class ConfidenceInterval:
    """A bootstrap confidence interval.

    Attributes
    ----------
    estimate : float
        The metric on the full sample.
    low, high : float
        Percentile-bootstrap bounds.
    level : float
        Coverage, e.g. 0.95.
    n_boot : int
        Number of resamples drawn.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 500)
    >>> ci = auc_ci(y, y + rng.normal(0, 1, 500), n_boot=200, random_state=0)
    >>> bool(ci.low < ci.estimate < ci.high), ci.level, ci.n_boot
    (True, 0.95, 200)
    """

    estimate: float
    low: float
    high: float
    level: float
    n_boot: int


def _resample_chunks(
    y: np.ndarray, n_boot: int, rng: np.random.Generator, stratified: bool
) -> Iterator[np.ndarray]:
    """Yield row-index matrices (chunk, n) of bootstrap resamples.

    The chunk size depends only on ``n``, so every consumer draws the same
    stream of resamples for a given generator state. Stratified: the bads
    (first ``n_bad`` columns) and the goods are resampled separately, keeping
    both class counts fixed.
    """
    n = y.size
    chunk = max(1, min(n_boot, _BOOT_CELLS // n))
    bad_rows = np.flatnonzero(y == 1)
    good_rows = np.flatnonzero(y == 0)
    done = 0
    while done < n_boot:
        c = min(chunk, n_boot - done)
        if stratified:
            idx = np.concatenate(
                (
                    bad_rows[rng.integers(0, bad_rows.size, size=(c, bad_rows.size))],
                    good_rows[rng.integers(0, good_rows.size, size=(c, good_rows.size))],
                ),
                axis=1,
            )
        else:
            idx = rng.integers(0, n, size=(c, n))
        yield idx
        done += c


def bootstrap_ci(
    metric: Callable[[Any, Any], float] | str,
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int | np.random.Generator | None = 0,
    stratified: bool = True,
) -> ConfidenceInterval:
    """Percentile-bootstrap confidence interval of a metric.

    Draws ``n_boot`` resamples of the rows with replacement (stratified:
    bads and goods separately, so each resample keeps the bad and good
    counts and always has both classes), evaluates ``metric`` on each, and
    returns the ``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles of the
    resampled values. :func:`auc`, :func:`gini` and :func:`ks` (or their
    names) run vectorised over all resamples at once; any other callable
    ``metric(y_true, y_score) -> float`` is called once per resample.
    Seeded by ``np.random.default_rng(random_state)``: the same inputs and
    seed give the same interval, bit for bit. Without stratification, a
    resample with one class is skipped (logged as a warning).

    Parameters
    ----------
    metric : callable or {"auc", "gini", "ks", "brier"}
        The metric, called as ``metric(y_true, y_score)``.
    y_true, y_score : array-like of shape (n,)
        As in :func:`auc`.
    n_boot : int, default 1000
        Number of resamples.
    level : float, default 0.95
        Coverage of the interval, in (0, 1).
    random_state : int, Generator or None, default 0
        Seed.
    stratified : bool, default True
        Resample bads and goods separately.

    Returns
    -------
    ConfidenceInterval

    Examples
    --------
    >>> y = [0, 0, 0, 1, 0, 1, 0, 1] * 5
    >>> s = [1, 2, 3, 4, 5, 6, 7, 8] * 5
    >>> ci = bootstrap_ci(auc, y, s, n_boot=200, random_state=1)
    >>> ci.low <= ci.estimate <= ci.high, ci.n_boot
    (True, 200)
    """
    if isinstance(metric, str):
        if metric not in _METRIC_NAMES:
            raise ValueError(f"unknown metric {metric!r}; use one of {sorted(_METRIC_NAMES)} or a callable")
        metric = _METRIC_NAMES[metric]
    if not callable(metric):
        raise ValueError(f"metric must be a callable metric(y_true, y_score) or a name, got {metric!r}")
    n_boot = _check_int(n_boot, "n_boot", 1)
    if not (0.0 < float(level) < 1.0):
        raise ValueError(f"level must lie in (0, 1), got {level!r}")
    y, s = _check_pair(y_true, y_score)
    estimate = float(metric(y, s))
    rng = np.random.default_rng(random_state)
    stats = np.empty(n_boot)
    kernel = _COUNT_KERNELS.get(metric)
    done = 0
    if kernel is not None:
        _, inv, _, _ = _class_counts(y, s)
        k = int(inv.max()) + 1
        y64 = y.astype(np.int64)
        for idx in _resample_chunks(y, n_boot, rng, stratified):
            c = idx.shape[0]
            key = (np.arange(c)[:, None] * k + inv[idx]) * 2 + y64[idx]
            counts = np.bincount(key.ravel(), minlength=c * k * 2).reshape(c, k, 2)
            stats[done : done + c] = kernel(counts[..., 1], counts[..., 0])
            done += c
    else:
        for idx in _resample_chunks(y, n_boot, rng, stratified):
            for row in idx:
                try:
                    stats[done] = metric(y[row], s[row])
                except TargetError:  # a one-class resample (not stratified)
                    stats[done] = np.nan
                done += 1
    ok = stats[np.isfinite(stats)]
    if ok.size < n_boot:
        logger.warning(
            "bootstrap: %d of %d resamples gave no value (one class) and were skipped",
            n_boot - ok.size,
            n_boot,
        )
    if ok.size == 0:
        raise DataError("bootstrap: no resample gave a value; use stratified=True")
    alpha = 1.0 - float(level)
    low, high = np.quantile(ok, [alpha / 2.0, 1.0 - alpha / 2.0])
    return ConfidenceInterval(
        estimate=estimate, low=float(low), high=float(high), level=float(level), n_boot=n_boot
    )


def auc_ci(y_true: ArrayLike, y_score: ArrayLike, **kwargs: Any) -> ConfidenceInterval:
    """Bootstrap confidence interval of :func:`auc`; keywords as :func:`bootstrap_ci`.

    Examples
    --------
    >>> ci = auc_ci([0, 1, 0, 1, 0, 1], [1, 2, 3, 4, 5, 6], n_boot=100)
    >>> round(ci.estimate, 4), ci.level
    (0.6667, 0.95)
    """
    return bootstrap_ci(auc, y_true, y_score, **kwargs)


def gini_ci(y_true: ArrayLike, y_score: ArrayLike, **kwargs: Any) -> ConfidenceInterval:
    """Bootstrap confidence interval of :func:`gini`; keywords as :func:`bootstrap_ci`.

    Examples
    --------
    >>> ci = gini_ci([0, 1, 0, 1, 0, 1], [1, 2, 3, 4, 5, 6], n_boot=100)
    >>> round(ci.estimate, 4)
    0.3333
    """
    return bootstrap_ci(gini, y_true, y_score, **kwargs)


def ks_ci(y_true: ArrayLike, y_score: ArrayLike, **kwargs: Any) -> ConfidenceInterval:
    """Bootstrap confidence interval of :func:`ks`; keywords as :func:`bootstrap_ci`.

    Examples
    --------
    >>> ci = ks_ci([0, 1, 0, 1, 0, 1], [1, 2, 3, 4, 5, 6], n_boot=100)
    >>> round(ci.estimate, 4)
    0.3333
    """
    return bootstrap_ci(ks, y_true, y_score, **kwargs)


#: Metrics the bootstrap evaluates vectorised, from bad/good counts per distinct score.
_COUNT_KERNELS: dict[Callable[..., float], Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    auc: _auc_from_counts,
    gini: _gini_from_counts,
    ks: _ks_from_counts,
}
#: Metrics :func:`bootstrap_ci` accepts by name.
_METRIC_NAMES: dict[str, Callable[..., float]] = {"auc": auc, "gini": gini, "ks": ks, "brier": brier}


# --------------------------------------------------------------------------- #
# score histograms: the same metrics and their bootstrap on counts, not rows
# --------------------------------------------------------------------------- #
#: Cells of the histogram the bootstrap resamples at most (:func:`histogram_ci`).
DEFAULT_MAX_BINS = 512
#: A class is resampled by drawing cells (O(rows)) instead of cell by cell (O(cells)) when it
#: has fewer than this many rows per non-empty cell: one binomial draw costs about as much as
#: about eight index draws and their count.
_INDEX_DRAW_FACTOR = 8


@dataclass(frozen=True)
class ScoreHistogram:
    """Bad and good counts per distinct score value: everything AUC, Gini and KS need.

    Built by :func:`score_histogram`. With integer scorecard points there are
    a few hundred values whatever the number of rows; with probabilities
    there can be one per row.

    Attributes
    ----------
    values : ndarray of float64
        The distinct scores, increasing.
    bads, goods : ndarray of int64
        Bads and goods with each score.

    Example
    -------
    >>> h = score_histogram([0, 1, 1, 0], [2, 5, 5, 7])
    >>> h, h.n_bads, h.n_goods
    (ScoreHistogram(3 values, 2 bads, 2 goods), 2, 2)
    """

    values: np.ndarray = field(repr=False)
    bads: np.ndarray = field(repr=False)
    goods: np.ndarray = field(repr=False)

    @property
    def n_bads(self) -> int:
        """Number of bads."""
        return int(self.bads.sum())

    @property
    def n_goods(self) -> int:
        """Number of goods."""
        return int(self.goods.sum())

    def __repr__(self) -> str:
        return f"ScoreHistogram({self.values.size} values, {self.n_bads} bads, {self.n_goods} goods)"


def score_histogram(y_true: ArrayLike, y_score: ArrayLike) -> ScoreHistogram:
    """Bad and good counts per distinct score value (``numpy.unique``), in one pass.

    Parameters and errors as :func:`auc` (higher score = riskier).

    Returns
    -------
    ScoreHistogram

    Example
    -------
    >>> h = score_histogram([0, 0, 1, 1, 1], [10, 20, 20, 30, 30])
    >>> h.values.tolist(), h.bads.tolist(), h.goods.tolist()
    ([10.0, 20.0, 30.0], [0, 1, 2], [1, 1, 0])
    """
    y, s = _check_pair(y_true, y_score)
    values, _, b, g = _class_counts(y, s)
    return ScoreHistogram(values=values, bads=b.astype(np.int64), goods=g.astype(np.int64))


def _check_histogram(hist: ScoreHistogram) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(hist, ScoreHistogram):
        raise DataError(f"expected a ScoreHistogram (from score_histogram), got {type(hist).__name__}")
    b = np.asarray(hist.bads, dtype=np.int64)
    g = np.asarray(hist.goods, dtype=np.int64)
    if b.ndim != 1 or b.shape != g.shape or (b < 0).any() or (g < 0).any():
        raise DataError("a ScoreHistogram holds two 1-d arrays of non-negative counts of the same length")
    if b.sum() == 0 or g.sum() == 0:
        raise TargetError(
            f"the histogram has {int(b.sum())} bads and {int(g.sum())} goods: AUC, Gini and KS need both classes"
        )
    return b, g


def histogram_metrics(hist: ScoreHistogram) -> dict[str, float]:
    """AUC, Gini and KS from a score histogram, equal to :func:`auc`, :func:`gini`, :func:`ks` on the rows.

    The same count kernels as the row functions, so the values are equal bit
    for bit, in O(number of distinct scores).

    Parameters
    ----------
    hist : ScoreHistogram
        From :func:`score_histogram` (both classes present, else
        :class:`~scorecard.errors.TargetError`).

    Returns
    -------
    dict
        ``{"auc": ..., "gini": ..., "ks": ...}``.

    Example
    -------
    >>> y, s = [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]
    >>> histogram_metrics(score_histogram(y, s)) == {"auc": auc(y, s), "gini": gini(y, s), "ks": ks(y, s)}
    True
    """
    b, g = _check_histogram(hist)
    a = float(_auc_from_counts(b, g))
    return {"auc": a, "gini": 2.0 * a - 1.0, "ks": float(_ks_from_counts(b, g))}


def _coarsen(b: np.ndarray, g: np.ndarray, max_bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Merge adjacent cells into at most ``max_bins`` groups of about equal rows (order kept)."""
    c = b + g
    n = int(c.sum())
    start = np.cumsum(c) - c
    group = ((2 * start + c) * max_bins) // (2 * n)  # the group in which the middle of the cell's rows falls
    dense = np.concatenate(([0], np.cumsum(np.diff(group) > 0)))
    m = int(dense[-1]) + 1
    return np.bincount(dense, weights=b, minlength=m).astype(np.int64), np.bincount(
        dense, weights=g, minlength=m
    ).astype(np.int64)


class _ClassSampler:
    """Draws resampled count vectors ``Multinomial(n, counts / n)`` of one class (or of all rows)."""

    def __init__(self, counts: np.ndarray) -> None:
        self.k = counts.size
        self.cells = np.flatnonzero(counts)
        self.n = int(counts.sum())
        nz = counts[self.cells]
        self.by_index = self.n < _INDEX_DRAW_FACTOR * self.cells.size
        if self.by_index:  # few rows per cell: draw each resampled row's cell
            self.row_cell = np.repeat(np.arange(self.cells.size), nz)
        else:  # cell by cell (numpy's conditional binomial draws)
            self.pvals = nz / self.n

    @property
    def width(self) -> int:
        """Memory per resample of a draw (cells or rows)."""
        return self.n if self.by_index else self.cells.size

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        out = np.zeros((size, self.k), dtype=np.int64)
        m = self.cells.size
        if self.by_index:
            idx = self.row_cell[rng.integers(0, self.n, size=(size, self.n))]
            key = (np.arange(size)[:, None] * m + idx).ravel()
            dense = np.bincount(key, minlength=size * m).reshape(size, m)
        else:
            dense = rng.multinomial(self.n, self.pvals, size=size)
        out[:, self.cells] = dense
        return out


def histogram_ci(
    hist: ScoreHistogram,
    *,
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int | np.random.Generator | None = 0,
    stratified: bool = True,
    max_bins: int | None = DEFAULT_MAX_BINS,
) -> dict[str, ConfidenceInterval]:
    """Bootstrap confidence intervals of AUC, Gini and KS, resampling a score histogram instead of rows.

    Resampling ``n`` rows with replacement and counting them per score value
    is the same, in distribution, as drawing the count vector from
    ``Multinomial(n, counts / n)``: so each resample is drawn directly as
    counts per score value, stratified like :func:`bootstrap_ci` (the bads'
    and the goods' histograms separately, keeping both class counts), and
    AUC, Gini and KS are computed from the resampled counts with the kernels
    of :func:`auc` and :func:`ks`. The three intervals come from the same
    resamples. A class is drawn cell by cell (O(cells) per resample) or,
    when it has fewer than eight rows per non-empty cell, row by row from its
    cells (O(rows), fewer than eight times the cells): the same distribution
    either way.

    With more than ``max_bins`` distinct scores (probabilities from a
    logistic model have about one per row), adjacent scores are first merged
    into at most ``max_bins`` groups of about equal rows (never changing
    the order), the resamples are drawn on those groups, and every resampled
    value is moved by the difference between the exact estimate and the
    value on the merged histogram (so the interval is centred as the row
    bootstrap's is; the merging changes its width by far less than the
    bootstrap's own Monte Carlo error at 1,000 resamples). With at most
    ``max_bins`` distinct scores (integer points) nothing is merged and the
    intervals are a percentile bootstrap of the rows, exactly in distribution.

    The estimates are exact: :func:`histogram_metrics`, equal to
    :func:`auc`, :func:`gini` and :func:`ks` on the rows.

    Parameters
    ----------
    hist : ScoreHistogram
        From :func:`score_histogram`.
    n_boot : int, default 1000
        Number of resamples.
    level : float, default 0.95
        Coverage, in (0, 1).
    random_state : int, Generator or None, default 0
        Seed of ``numpy.random.default_rng``: the same histogram and seed
        give the same intervals, bit for bit.
    stratified : bool, default True
        Resample bads and goods separately. Unstratified, the joint
        histogram is resampled and a resample with one class is skipped
        (logged as a warning), as in :func:`bootstrap_ci`.
    max_bins : int or None, default 512
        Most cells resampled (>= 2); None never merges (exact in
        distribution, O(distinct scores) per resample).

    Returns
    -------
    dict of str -> ConfidenceInterval
        Keys ``"auc"``, ``"gini"``, ``"ks"``.

    Example
    -------
    >>> y = [0, 0, 0, 1, 0, 1, 0, 1] * 50
    >>> s = [1, 2, 3, 4, 5, 6, 7, 8] * 50
    >>> ci = histogram_ci(score_histogram(y, s), n_boot=200, random_state=1)
    >>> ci["auc"].estimate == auc(y, s), ci["auc"].low <= ci["auc"].estimate <= ci["auc"].high
    (True, True)
    """
    n_boot = _check_int(n_boot, "n_boot", 1)
    if not (0.0 < float(level) < 1.0):
        raise ValueError(f"level must lie in (0, 1), got {level!r}")
    if max_bins is not None:
        max_bins = _check_int(max_bins, "max_bins", 2)
    b, g = _check_histogram(hist)
    estimate = histogram_metrics(hist)
    shift = {"auc": 0.0, "ks": 0.0}
    if max_bins is not None and b.size > max_bins:
        b, g = _coarsen(b, g, max_bins)
        shift["auc"] = estimate["auc"] - float(_auc_from_counts(b, g))
        shift["ks"] = estimate["ks"] - float(_ks_from_counts(b, g))
    k = b.size
    if stratified:
        samplers = [_ClassSampler(b), _ClassSampler(g)]
    else:
        samplers = [_ClassSampler(np.concatenate((b, g)))]
    width = max(s.width for s in samplers) + k
    chunk = max(1, min(n_boot, _BOOT_CELLS // width))  # depends on the histogram only: same stream
    rng = np.random.default_rng(random_state)
    stats = {"auc": np.empty(n_boot), "ks": np.empty(n_boot)}
    done = 0
    while done < n_boot:
        c = min(chunk, n_boot - done)
        if stratified:
            rb = samplers[0].draw(rng, c)
            rg = samplers[1].draw(rng, c)
        else:
            joint = samplers[0].draw(rng, c)
            rb, rg = joint[:, :k], joint[:, k:]
        stats["auc"][done : done + c] = _auc_from_counts(rb, rg)
        stats["ks"][done : done + c] = _ks_from_counts(rb, rg)
        done += c
    ok = np.isfinite(stats["auc"])
    if not ok.all():
        logger.warning(
            "bootstrap: %d of %d resamples gave no value (one class) and were skipped", int((~ok).sum()), n_boot
        )
    if not ok.any():
        raise DataError("bootstrap: no resample gave a value; use stratified=True")
    alpha = 1.0 - float(level)
    q = [alpha / 2.0, 1.0 - alpha / 2.0]
    out = {}
    for name in ("auc", "ks"):
        low, high = np.quantile(stats[name][ok] + shift[name], q)
        out[name] = ConfidenceInterval(
            estimate=estimate[name],
            low=float(min(max(low, 0.0), 1.0)),
            high=float(min(max(high, 0.0), 1.0)),
            level=float(level),
            n_boot=n_boot,
        )
    a = out["auc"]
    out["gini"] = ConfidenceInterval(
        estimate=estimate["gini"], low=2.0 * a.low - 1.0, high=2.0 * a.high - 1.0, level=float(level), n_boot=n_boot
    )
    return {"auc": out["auc"], "gini": out["gini"], "ks": out["ks"]}
