"""Feature selection for WOE logistic scorecards.

This module holds the filters a modeller runs between binning and fitting:

* :func:`filter_iv` - information value below ``min_iv`` (too weak) or above
  ``max_iv`` (suspiciously strong: check for leakage);
* :func:`filter_missing` - raw features that are mostly missing (NaN, plus
  special codes when given);
* :func:`filter_correlation` - of two WOE features correlated above
  ``max_corr``, keep the one with the higher IV;
* :func:`filter_vif` - iteratively drop the feature with the highest variance
  inflation factor above ``max_vif``;
* :func:`stepwise` - forward, backward or forward-backward selection of a
  logistic regression (Newton's method on sufficient statistics,
  :mod:`scorecard.logit`; equal to statsmodels' ``Logit``) by p-value or AIC;
* :func:`select_features` - the steps above chained, each seeing only the
  survivors of the previous one.

All of them are pure functions: they take a frame of WOE-transformed features
(every column numeric and finite; by the project convention a higher WOE means
a lower risk) and, where needed, the features' IV as a ``pd.Series`` indexed by
feature name, and return a :class:`SelectionResult`: the kept features in input
order and one row per dropped feature saying which step dropped it and why.
Results are deterministic: ties are broken by feature name (the name that sorts
first is kept). Each dropped feature is logged at INFO level on the
``scorecard.selection`` logger; dropping every feature logs a WARNING and
returns an empty ``kept`` list rather than raising.

Example
-------
>>> import numpy as np, pandas as pd
>>> from scorecard.selection import select_features
>>> rng = np.random.default_rng(0)
>>> n = 2000
>>> X = pd.DataFrame({"a": rng.normal(size=n), "noise": rng.normal(size=n)})
>>> X["a_copy"] = X["a"] + rng.normal(scale=0.05, size=n)
>>> y = (rng.random(n) < 1 / (1 + np.exp(1 + X["a"]))).astype(int)
>>> iv = pd.Series({"a": 0.45, "a_copy": 0.44, "noise": 0.001})
>>> res = select_features(X, y, iv)
>>> res.kept
['a']
>>> res.dropped[["feature", "step"]].values.tolist()
[['noise', 'iv'], ['a_copy', 'correlation']]
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from scorecard._validation import as_frame, check_target, is_numeric, require_columns
from scorecard.errors import ColumnError, DataError, MissingColumnError
from scorecard.logit import ArrayDesign, Design, LogitFit, fit_logit, score_tests, vif_from_corr

__all__ = [
    "SelectionResult",
    "filter_iv",
    "filter_missing",
    "filter_correlation",
    "filter_vif",
    "stepwise",
    "select_features",
]

logger = logging.getLogger(__name__)

#: Columns of :attr:`SelectionResult.dropped`.
DROPPED_COLUMNS = ("feature", "step", "reason", "value", "threshold")

#: VIFs within this relative distance of the largest one count as tied in
#: :func:`filter_vif`; among tied features the one with the lower IV goes first.
VIF_TIE_RTOL = 0.01

#: A column whose standard deviation is at most this is treated as constant
#: (the same cut-off statsmodels uses when it standardises for the VIF).
_CONSTANT_STD = 1e-10

_CORR_METHODS = ("pearson", "spearman", "kendall")
_DIRECTIONS = ("both", "forward", "backward")
_CRITERIA = ("pvalue", "aic")


# --------------------------------------------------------------------------
# Result object
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class SelectionResult:
    """Outcome of a selection step (or of a chain of steps).

    Attributes
    ----------
    kept : list of str
        Features that survived, in the order of the input.
    dropped : pandas.DataFrame
        One row per dropped feature, with columns ``feature``, ``step``
        (``"iv"``, ``"missing"``, ``"correlation"``, ``"vif"`` or
        ``"stepwise"``), ``reason`` (a sentence naming the feature and the
        numbers), ``value`` (the statistic that decided: IV, missing share,
        absolute correlation, VIF, p-value or AIC change) and ``threshold``
        (the limit it was compared with; NaN when none applies).

    Example
    -------
    >>> import pandas as pd
    >>> from scorecard.selection import filter_iv
    >>> res = filter_iv(pd.Series({"a": 0.3, "b": 0.01}))
    >>> res.kept, res.dropped["feature"].tolist()
    (['a'], ['b'])
    """

    kept: list[str]
    dropped: pd.DataFrame = field(default_factory=lambda: _dropped_frame([]))

    @property
    def dropped_features(self) -> list[str]:
        """Names of the dropped features, in the order of the log."""
        return self.dropped["feature"].tolist()


def _dropped_frame(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """Build the ``dropped`` log with fixed columns and dtypes."""
    frame = pd.DataFrame(list(rows), columns=list(DROPPED_COLUMNS))
    return frame.astype(
        {"feature": str, "step": str, "reason": str, "value": float, "threshold": float}
    ).reset_index(drop=True)


def _row(feature: str, step: str, reason: str, value: float, threshold: float | None) -> dict[str, Any]:
    logger.info("selection [%s]: dropped %r: %s", step, feature, reason)
    return {
        "feature": feature,
        "step": step,
        "reason": reason,
        "value": float(value),
        "threshold": math.nan if threshold is None else float(threshold),
    }


def _finish(kept: list[str], rows: list[dict[str, Any]], step: str) -> SelectionResult:
    """Assemble the result; warn when nothing survived."""
    if not kept and rows:
        logger.warning(
            "selection [%s]: all %d features were dropped; nothing is left to model",
            step,
            len(rows),
        )
    return SelectionResult(kept=kept, dropped=_dropped_frame(rows))


def _fmt(x: float) -> str:
    """Format a number for a reason sentence (3 significant digits)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:.3g}"


# --------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------


def _check_threshold(value: float | None, name: str, *, low: float = 0.0, high: float = math.inf) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number or None, got {value!r}")
    if not (low <= float(value) <= high):
        raise ValueError(f"{name} must be between {low} and {high}, got {value!r}")


def _check_woe(X_woe: Any, *, name: str = "X_woe") -> tuple[list[str], np.ndarray]:
    """Return the feature names and a float64 array of a WOE frame.

    Raises :class:`DataError` on a frame without columns or rows, on non-numeric
    columns and on NaN / inf values (naming the columns).
    """
    df = as_frame(X_woe, name=name)
    non_numeric = [c for c in df.columns if not is_numeric(df[c])]
    if non_numeric:
        raise DataError(
            f"{name} column(s) {non_numeric} are not numeric: selection works on "
            "WOE-transformed features; transform them with the binner first"
        )
    arr = df.to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~np.isfinite(arr)
    if bad.any():
        counts = bad.sum(axis=0)
        where = {df.columns[j]: int(counts[j]) for j in np.flatnonzero(counts)}
        raise DataError(
            f"{name} has NaN or infinite values in column(s) {list(where)} "
            f"(counts {where}): WOE features must be finite; check the binning of "
            "these columns (missing values belong in their own bin)"
        )
    return [str(c) for c in df.columns], arr


def _check_iv(iv: Any, features: Iterable[str] | None = None, *, name: str = "iv") -> pd.Series:
    """Return ``iv`` as a float Series; check it covers ``features``."""
    if isinstance(iv, Mapping) and not isinstance(iv, pd.Series):
        iv = pd.Series(dict(iv), dtype=float)
    if not isinstance(iv, pd.Series):
        raise DataError(
            f"{name} must be a pandas Series (or a dict) of information values "
            f"indexed by feature name, got {type(iv).__name__}"
        )
    ser = iv.copy()
    ser.index = ser.index.map(str)
    if ser.index.has_duplicates:
        dup = ser.index[ser.index.duplicated()].unique().tolist()
        raise ColumnError(f"{name} has duplicated feature names {dup}: give one IV per feature")
    if features is not None:
        feats = list(features)
        missing = [f for f in feats if f not in ser.index]
        if missing:
            raise MissingColumnError(
                f"{name} has no information value for feature(s) {missing}: "
                "pass the IV of every column of X_woe (e.g. from the binning table)"
            )
        ser = ser.loc[feats]
    try:
        ser = ser.astype(float)
    except (TypeError, ValueError) as exc:
        raise DataError(f"{name} must hold numbers: {exc}") from exc
    bad = ser.index[~np.isfinite(ser.to_numpy())].tolist()
    if bad:
        raise DataError(f"{name} is NaN or infinite for feature(s) {bad}: recompute their IV")
    return ser


def _check_y(y: Any, X_woe: Any, n_rows: int) -> np.ndarray:
    """Validate the target; a Series must share the frame's index."""
    if isinstance(y, pd.Series) and isinstance(X_woe, pd.DataFrame) and not y.index.equals(X_woe.index):
        raise DataError(
            "y's index does not match X_woe's index, so rows would be paired by "
            "position with the wrong targets: align them (y = y.loc[X_woe.index]) "
            "or pass y.to_numpy()"
        )
    return check_target(y, n_rows=n_rows).astype(np.float64)


# --------------------------------------------------------------------------
# IV
# --------------------------------------------------------------------------


def _filter_iv(iv: pd.Series, min_iv: float | None, max_iv: float | None) -> tuple[list[str], list[dict[str, Any]]]:
    kept: list[str] = []
    rows: list[dict[str, Any]] = []
    for feat, value in iv.items():
        if min_iv is not None and value < min_iv:
            rows.append(
                _row(feat, "iv", f"'{feat}': IV {_fmt(value)} < min_iv {_fmt(min_iv)} (too weak)", value, min_iv)
            )
        elif max_iv is not None and value > max_iv:
            rows.append(
                _row(
                    feat,
                    "iv",
                    f"'{feat}': IV {_fmt(value)} > max_iv {_fmt(max_iv)} "
                    "(suspiciously predictive: check for target leakage)",
                    value,
                    max_iv,
                )
            )
        else:
            kept.append(feat)
    return kept, rows


def filter_iv(iv: pd.Series | Mapping[str, float], min_iv: float | None = 0.02, max_iv: float | None = None) -> SelectionResult:
    """Drop features whose information value is too low (or too high).

    Parameters
    ----------
    iv : pandas.Series or dict
        Information value per feature, indexed by feature name.
    min_iv : float or None, default 0.02
        Features with ``IV < min_iv`` are dropped (too weak). ``None`` keeps
        every feature however weak.
    max_iv : float or None, default None
        Features with ``IV > max_iv`` are dropped: an IV that high (above 0.5,
        say) usually means the feature leaks the outcome. ``None`` disables
        the check.

    Returns
    -------
    SelectionResult
        ``kept`` in the order of ``iv``; ``dropped`` with ``step == "iv"`` and
        the IV in ``value``.

    Raises
    ------
    DataError
        When ``iv`` is empty or holds NaN / infinite values.

    Example
    -------
    >>> import pandas as pd
    >>> from scorecard.selection import filter_iv
    >>> iv = pd.Series({"age": 0.15, "zip": 0.012, "paid_flag": 0.9})
    >>> res = filter_iv(iv, min_iv=0.02, max_iv=0.5)
    >>> res.kept
    ['age']
    >>> res.dropped["reason"].tolist()[0]
    "'zip': IV 0.012 < min_iv 0.02 (too weak)"
    """
    _check_threshold(min_iv, "min_iv")
    _check_threshold(max_iv, "max_iv")
    ser = _check_iv(iv)
    if ser.empty:
        raise DataError("iv is empty: there are no features to select from")
    kept, rows = _filter_iv(ser, min_iv, max_iv)
    return _finish(kept, rows, "iv")


# --------------------------------------------------------------------------
# Missing share
# --------------------------------------------------------------------------


def _codes_for(special_codes: Any, feature: str) -> list[Any]:
    if special_codes is None:
        return []
    if isinstance(special_codes, Mapping):
        codes = special_codes.get(feature, [])
    else:
        codes = special_codes
    if isinstance(codes, (str, bytes)) or not isinstance(codes, Iterable):
        return [codes]
    return list(codes)


def _check_special_codes(special_codes: Any, columns: Sequence[str]) -> None:
    if isinstance(special_codes, Mapping):
        unknown = [k for k in special_codes if k not in set(columns)]
        if unknown:
            raise MissingColumnError(
                f"special_codes names feature(s) {unknown} that are not columns of X_raw: "
                "check the spelling"
            )


def _filter_missing(
    X_raw: pd.DataFrame, max_missing: float, special_codes: Any
) -> tuple[list[str], list[dict[str, Any]]]:
    kept: list[str] = []
    rows: list[dict[str, Any]] = []
    n = len(X_raw)
    for col in X_raw.columns:
        ser = X_raw[col]
        is_nan = ser.isna().to_numpy()
        codes = _codes_for(special_codes, col)
        is_special = ser.isin(codes).to_numpy() & ~is_nan if codes else np.zeros(n, dtype=bool)
        share = float((is_nan | is_special).sum()) / n
        if share > max_missing:
            detail = f"NaN {_fmt(is_nan.mean())}"
            if codes:
                detail += f", special codes {_fmt(is_special.mean())}"
            rows.append(
                _row(
                    col,
                    "missing",
                    f"'{col}': missing share {_fmt(share)} > max_missing {_fmt(max_missing)} ({detail})",
                    share,
                    max_missing,
                )
            )
        else:
            kept.append(col)
    return kept, rows


def filter_missing(
    X_raw: pd.DataFrame,
    max_missing: float = 0.95,
    special_codes: Sequence[Any] | Mapping[str, Sequence[Any]] | None = None,
) -> SelectionResult:
    """Drop raw features whose share of missing values exceeds ``max_missing``.

    Parameters
    ----------
    X_raw : pandas.DataFrame
        The raw (untransformed) features.
    max_missing : float, default 0.95
        Features with ``missing share > max_missing`` are dropped.
    special_codes : list or dict of lists, optional
        Values that also count as missing (``-999``, ``"unknown"``, ...): a
        list applies to every column, a dict maps a feature name to its own
        list. NaN / None / NaT always count as missing.

    Returns
    -------
    SelectionResult
        ``kept`` in column order; ``dropped`` with ``step == "missing"`` and the
        missing share in ``value``.

    Raises
    ------
    DataError
        On a frame without columns or rows.
    MissingColumnError
        When ``special_codes`` is a dict naming a column ``X_raw`` lacks.

    Example
    -------
    >>> import numpy as np, pandas as pd
    >>> from scorecard.selection import filter_missing
    >>> X = pd.DataFrame({"a": [1.0, 2.0, np.nan, 4.0], "b": [np.nan, -999, np.nan, 1.0]})
    >>> filter_missing(X, max_missing=0.5).kept
    ['a', 'b']
    >>> res = filter_missing(X, max_missing=0.5, special_codes=[-999])
    >>> res.kept, res.dropped["value"].tolist()
    (['a'], [0.75])
    """
    _check_threshold(max_missing, "max_missing", high=1.0)
    if max_missing is None:
        raise ValueError("max_missing must be a number between 0 and 1")
    df = as_frame(X_raw, name="X_raw")
    _check_special_codes(special_codes, list(df.columns))
    kept, rows = _filter_missing(df, float(max_missing), special_codes)
    return _finish(kept, rows, "missing")


# --------------------------------------------------------------------------
# Correlation
# --------------------------------------------------------------------------


def _corr_matrix(arr: np.ndarray, method: str) -> np.ndarray:
    """Correlation matrix; constant columns get correlation 0 with the others."""
    if method == "kendall":
        corr = pd.DataFrame(arr).corr(method="kendall").to_numpy()
        return np.nan_to_num(corr, nan=0.0)
    data = stats.rankdata(arr, axis=0) if method == "spearman" else arr
    # one chunked pass (n, sum x, X'X); no centred row x feature copy
    return ArrayDesign(data, np.zeros(data.shape[0])).correlation(range(data.shape[1]))


def _filter_correlation(
    names: list[str], arr: np.ndarray | None, iv: pd.Series, max_corr: float, method: str,
    corr: np.ndarray | None = None,
) -> tuple[list[str], list[dict[str, Any]]]:
    if corr is None:
        assert arr is not None
        corr = _corr_matrix(arr, method)
    absc = np.abs(corr)
    pos = {f: j for j, f in enumerate(names)}
    order = sorted(names, key=lambda f: (-iv[f], f))
    kept_set: list[str] = []
    rows: list[dict[str, Any]] = []
    for f in order:
        j = pos[f]
        partners = [k for k in kept_set if absc[j, pos[k]] > max_corr]
        if not partners:
            kept_set.append(f)
            continue
        partner = min(partners, key=lambda k: (-absc[j, pos[k]], k))
        r = corr[j, pos[partner]]
        rows.append(
            _row(
                f,
                "correlation",
                f"'{f}': correlation {_fmt(r)} with '{partner}' (|r| > max_corr {_fmt(max_corr)}); "
                f"kept '{partner}' with the higher IV ({_fmt(iv[partner])} >= {_fmt(iv[f])})",
                abs(r),
                max_corr,
            )
        )
    kept_names = set(kept_set)
    return [f for f in names if f in kept_names], rows


def filter_correlation(
    X_woe: pd.DataFrame,
    iv: pd.Series | Mapping[str, float],
    max_corr: float = 0.7,
    method: Literal["pearson", "spearman", "kendall"] = "pearson",
) -> SelectionResult:
    """Of every pair of features correlated above ``max_corr``, keep the higher-IV one.

    Greedy in decreasing IV (ties by name): each feature is kept unless its
    absolute correlation with an already kept feature exceeds ``max_corr``.
    So no kept pair exceeds ``max_corr``, and every dropped feature has a kept
    partner with an IV at least as high. The result does not depend on the
    column order. A constant column has no defined correlation and counts as
    uncorrelated (its IV is 0, so :func:`filter_iv` normally drops it first).

    Parameters
    ----------
    X_woe : pandas.DataFrame
        WOE-transformed features (numeric, finite).
    iv : pandas.Series or dict
        Information value per feature; must cover every column of ``X_woe``.
    max_corr : float, default 0.7
        Largest absolute correlation allowed between two kept features.
    method : {"pearson", "spearman", "kendall"}, default "pearson"
        Correlation coefficient.

    Returns
    -------
    SelectionResult
        ``dropped`` with ``step == "correlation"``, the absolute correlation
        with the kept partner in ``value`` and the partner named in ``reason``.

    Raises
    ------
    DataError
        On an empty frame, non-numeric columns, NaN / inf values.
    MissingColumnError
        When ``iv`` lacks a column of ``X_woe``.

    Example
    -------
    >>> import numpy as np, pandas as pd
    >>> from scorecard.selection import filter_correlation
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"a": rng.normal(size=500), "c": rng.normal(size=500)})
    >>> X["b"] = X["a"] + rng.normal(scale=0.1, size=500)
    >>> res = filter_correlation(X, pd.Series({"a": 0.2, "b": 0.3, "c": 0.1}))
    >>> res.kept
    ['c', 'b']
    >>> res.dropped["reason"].iloc[0]
    "'a': correlation 0.995 with 'b' (|r| > max_corr 0.7); kept 'b' with the higher IV (0.3 >= 0.2)"
    """
    _check_threshold(max_corr, "max_corr", high=1.0)
    if max_corr is None:
        raise ValueError("max_corr must be a number between 0 and 1")
    if method not in _CORR_METHODS:
        raise ValueError(f"method must be one of {_CORR_METHODS}, got {method!r}")
    names, arr = _check_woe(X_woe)
    ivs = _check_iv(iv, names)
    kept, rows = _filter_correlation(names, arr, ivs, float(max_corr), method)
    return _finish(kept, rows, "correlation")


# --------------------------------------------------------------------------
# VIF
# --------------------------------------------------------------------------


def _vifs(arr: np.ndarray) -> np.ndarray:
    """VIF of every column of ``arr`` (no constant column inside): diagonal of the inverse correlation."""
    return vif_from_corr(_corr_matrix(arr, "pearson"))


def _filter_vif(
    names: list[str], arr: np.ndarray | None, max_vif: float, iv: pd.Series | None,
    corr: np.ndarray | None = None, stds: np.ndarray | None = None,
) -> tuple[list[str], list[dict[str, Any]]]:
    """Iterative VIF filter on the correlation matrix (computed from ``arr`` when not given).

    ``stds`` (standard deviations) flag constant columns; with ``corr`` given
    and ``stds`` omitted no column is treated as constant.
    """
    rows: list[dict[str, Any]] = []
    if corr is None:
        assert arr is not None
        stds = arr.std(axis=0)
        corr = _corr_matrix(arr, "pearson")
    if stds is None:
        stds = np.ones(len(names))
    remaining = []
    for j, f in enumerate(names):
        if stds[j] <= _CONSTANT_STD:
            rows.append(
                _row(
                    f,
                    "vif",
                    f"'{f}': constant column, perfectly collinear with the intercept (VIF undefined)",
                    math.inf,
                    max_vif,
                )
            )
        else:
            remaining.append(j)
    while len(remaining) > 1:
        vifs = vif_from_corr(corr[np.ix_(remaining, remaining)])
        top = float(np.max(vifs))
        if not top > max_vif:
            break
        cutoff = top * (1.0 - VIF_TIE_RTOL) if iv is not None else top
        tied = [i for i, v in enumerate(vifs) if v >= cutoff and v > max_vif]
        if iv is not None:
            # lower IV goes first; equal IV: the name sorting last goes first
            pick = min(tied, key=lambda i: (iv[names[remaining[i]]], _Desc(names[remaining[i]])))
        else:
            pick = min(tied, key=lambda i: _Desc(names[remaining[i]]))
        f = names[remaining[pick]]
        reason = f"'{f}': VIF {_fmt(vifs[pick])} > max_vif {_fmt(max_vif)} (highest of {len(remaining)} features)"
        others = [names[remaining[i]] for i in tied if i != pick]
        if others and iv is not None:
            reason = (
                f"'{f}': VIF {_fmt(vifs[pick])} > max_vif {_fmt(max_vif)}; within "
                f"{VIF_TIE_RTOL:.0%} of the highest VIF {_fmt(top)} with {others}, "
                f"dropped first for its lower IV {_fmt(iv[f])}"
            )
        rows.append(_row(f, "vif", reason, vifs[pick], max_vif))
        del remaining[pick]
    kept = [names[j] for j in sorted(remaining)]
    return kept, rows


class _Desc:
    """Sort key wrapper reversing the order of strings."""

    __slots__ = ("s",)

    def __init__(self, s: str) -> None:
        self.s = s

    def __lt__(self, other: _Desc) -> bool:
        return self.s > other.s

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Desc) and self.s == other.s


def filter_vif(
    X_woe: pd.DataFrame,
    max_vif: float = 5.0,
    iv: pd.Series | Mapping[str, float] | None = None,
) -> SelectionResult:
    """Iteratively drop the feature with the highest VIF above ``max_vif``.

    The VIF of feature j is ``1 / (1 - R_j^2)``, with ``R_j^2`` the (centred)
    R-squared of regressing it on the other features **and an intercept**,
    which is the j-th diagonal element of the inverse correlation matrix
    (:func:`scorecard.logit.vif_from_corr`): the correlation matrix comes
    from one pass over the rows and every round of the loop inverts a
    k x k matrix, instead of k least-squares fits over all rows (the values
    equal statsmodels' ``variance_inflation_factor`` with a constant column,
    to about 1e-12 relative). When the correlation matrix is singular (an
    exact linear relation), the features taking part in the relation get
    ``inf`` and one of them is dropped first.
    After each drop the VIFs are recomputed; the loop stops when the highest
    VIF is at most ``max_vif``. Constant columns (perfectly collinear with the
    intercept) are dropped first.

    Ties: when ``iv`` is given, every feature whose VIF is within
    ``VIF_TIE_RTOL`` (1 %) of the highest counts as tied and the one with the
    lowest IV goes first (equal IV: the name sorting last goes). Without
    ``iv`` the highest VIF goes (equal VIF: the name sorting last goes).

    Parameters
    ----------
    X_woe : pandas.DataFrame
        WOE-transformed features (numeric, finite).
    max_vif : float, default 5.0
        Largest VIF allowed among the kept features.
    iv : pandas.Series or dict, optional
        Information value per feature, used to break (near) ties.

    Returns
    -------
    SelectionResult
        ``dropped`` with ``step == "vif"``, in the order of removal, with the
        VIF at the time of removal in ``value``.

    Raises
    ------
    DataError
        On an empty frame, non-numeric columns, NaN / inf values.
    MissingColumnError
        When ``iv`` is given and lacks a column of ``X_woe``.

    Example
    -------
    >>> import numpy as np, pandas as pd
    >>> from scorecard.selection import filter_vif
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame(rng.normal(size=(500, 3)), columns=["a", "b", "c"])
    >>> X["d"] = X["a"] + X["b"] + rng.normal(scale=0.1, size=500)
    >>> res = filter_vif(X, max_vif=5.0, iv={"a": 0.3, "b": 0.2, "c": 0.1, "d": 0.05})
    >>> res.kept
    ['a', 'b', 'c']
    >>> res.dropped[["feature", "step"]].values.tolist()
    [['d', 'vif']]
    """
    _check_threshold(max_vif, "max_vif", low=1.0)
    if max_vif is None:
        raise ValueError("max_vif must be a number >= 1")
    names, arr = _check_woe(X_woe)
    ivs = _check_iv(iv, names) if iv is not None else None
    kept, rows = _filter_vif(names, arr, float(max_vif), ivs)
    return _finish(kept, rows, "vif")


# --------------------------------------------------------------------------
# Stepwise
# --------------------------------------------------------------------------


_Fit = LogitFit


def _fit_logit(design: Design, features: list[int], start: np.ndarray | None) -> LogitFit:
    """Fit a logit by Newton's method over the design's passes (see :mod:`scorecard.logit`)."""
    return fit_logit(design, features, start, max_iter=50)


class _Stepwise:
    """State of one stepwise run over a fixed design (arrays reused, no frames)."""

    def __init__(
        self,
        names: list[str],
        design: Design,
        *,
        direction: str,
        p_enter: float,
        p_remove: float,
        max_features: int | None,
        criterion: str,
        cols: list[int] | None = None,
        entry: str = "lr",
        progress: Any = None,
    ) -> None:
        self.names = names
        self.design = design
        self.cols = list(range(len(names))) if cols is None else list(cols)  # design column of each name
        self.direction = direction
        self.p_enter = p_enter
        self.p_remove = p_remove
        self.max_features = max_features
        self.criterion = criterion
        self.entry = entry
        self.progress = progress
        self.status: dict[int, tuple[str, float, float | None]] = {}
        self.n_fits = 0

    # -- fitting ---------------------------------------------------------
    def fit(self, features: list[int], start: np.ndarray | None = None) -> _Fit:
        self.n_fits += 1
        if self.progress is not None:
            self.progress.update(0)
        return _fit_logit(self.design, [self.cols[j] for j in features], start)

    # -- entry -----------------------------------------------------------
    def entry_round(self, current: list[int], cur: _Fit) -> list[tuple[float, str, int, _Fit]]:
        """Fit current + each candidate; return (score, name, j, fit) of converged ones.

        The score is the likelihood-ratio p-value (criterion "pvalue") or the
        AIC change (criterion "aic"); lower is better in both.
        """
        assert cur.params is not None
        start = np.append(cur.params, 0.0)
        if self.criterion == "pvalue" and self.entry == "score":
            return self.score_entry_round(current, cur, start)
        out = []
        cur_aic = cur.aic()
        for j in range(len(self.names)):
            if j in current:
                continue
            f = self.names[j]
            fit = self.fit(current + [j], start)
            if not fit.ok:
                self.status[j] = (
                    f"'{f}': not entered in stepwise: adding it to the model, {fit.problem}",
                    math.nan,
                    None,
                )
                logger.debug("stepwise: candidate %r skipped: %s", f, fit.problem)
                continue
            if self.criterion == "pvalue":
                lr = max(2.0 * (fit.llf - cur.llf), 0.0)
                score = float(stats.chi2.sf(lr, 1))
                self.status[j] = (
                    f"'{f}': likelihood-ratio p-value {_fmt(score)} >= p_enter {_fmt(self.p_enter)}: "
                    "not entered in stepwise",
                    score,
                    self.p_enter,
                )
            else:
                score = fit.aic() - cur_aic
                self.status[j] = (
                    f"'{f}': adding it would change AIC by {_fmt(score)} "
                    f"({_fmt(cur_aic)} -> {_fmt(fit.aic())}), no improvement: not entered in stepwise",
                    score,
                    0.0,
                )
            out.append((score, f, j, fit))
        return out

    def score_entry_round(
        self, current: list[int], cur: _Fit, start: np.ndarray
    ) -> list[tuple[float, str, int, _Fit]]:
        """Score tests of every candidate from one pass; fit only the best qualifying one.

        Returns the fitted best candidate (and records the score p-value of
        every other candidate in ``status``); candidates whose fit fails are
        skipped in favour of the next best.
        """
        cands = [j for j in range(len(self.names)) if j not in current]
        if not cands:
            return []
        stat = score_tests(self.design, [self.cols[j] for j in current], cur, [self.cols[j] for j in cands])
        pvals = stats.chi2.sf(stat, 1)
        ranked = sorted(zip(pvals, [self.names[j] for j in cands], cands), key=lambda c: (c[0], c[1]))
        for pv, f, j in ranked:
            self.status[j] = (
                f"'{f}': score-test p-value {_fmt(pv)} >= p_enter {_fmt(self.p_enter)}: not entered in stepwise",
                float(pv),
                self.p_enter,
            )
        for pv, f, j in ranked:
            if not pv < self.p_enter:
                break
            fit = self.fit(current + [j], start)
            if fit.ok:
                return [(float(pv), f, j, fit)]
            self.status[j] = (
                f"'{f}': not entered in stepwise: adding it to the model, {fit.problem}",
                math.nan,
                None,
            )
        return []

    def accepts(self, score: float) -> bool:
        return score < self.p_enter if self.criterion == "pvalue" else score < 0.0

    # -- removal ---------------------------------------------------------
    def removal(self, current: list[int], cur: _Fit) -> tuple[list[int], _Fit, bool]:
        """Remove features one at a time while the rule says so; return the new state."""
        removed_any = False
        while current:
            over_max = self.max_features is not None and len(current) > self.max_features
            if not cur.ok:
                j, new_fit = self.remove_for_convergence(current, cur)
            elif self.criterion == "pvalue":
                assert cur.pvalues is not None
                pv = cur.pvalues[1:]
                i = min(range(len(current)), key=lambda i: (-pv[i], self.names[current[i]]))
                if not (pv[i] > self.p_remove or over_max):
                    break
                j = current[i]
                f = self.names[j]
                if pv[i] > self.p_remove:
                    text = (
                        f"'{f}': Wald p-value {_fmt(pv[i])} > p_remove {_fmt(self.p_remove)}: "
                        "removed in stepwise"
                    )
                    self.status[j] = (text, float(pv[i]), self.p_remove)
                else:
                    text = (
                        f"'{f}': removed in stepwise to respect max_features={self.max_features} "
                        f"(largest Wald p-value {_fmt(pv[i])} of the model)"
                    )
                    self.status[j] = (text, float(pv[i]), None)
                new_fit = self.fit([k for k in current if k != j], self.start_without(cur, current, j))
            else:
                cur_aic = cur.aic()
                best = None
                for k in sorted(current, key=lambda k: self.names[k]):
                    fit = self.fit([c for c in current if c != k], self.start_without(cur, current, k))
                    if fit.ok and (best is None or fit.aic() < best[1].aic()):
                        best = (k, fit)
                if best is None or not (best[1].aic() < cur_aic or over_max):
                    break
                j, new_fit = best
                f = self.names[j]
                delta = new_fit.aic() - cur_aic
                if delta < 0:
                    text = (
                        f"'{f}': removing it lowers AIC by {_fmt(-delta)} "
                        f"({_fmt(cur_aic)} -> {_fmt(new_fit.aic())}): removed in stepwise"
                    )
                else:
                    text = (
                        f"'{f}': removed in stepwise to respect max_features={self.max_features} "
                        f"(smallest AIC increase {_fmt(delta)})"
                    )
                self.status[j] = (text, delta, 0.0)
            current = [k for k in current if k != j]
            cur = new_fit
            removed_any = True
            logger.debug("stepwise: removed %r", self.names[j])
        return current, cur, removed_any

    @staticmethod
    def start_without(cur: _Fit, current: list[int], j: int) -> np.ndarray | None:
        if cur.params is None or not cur.ok:
            return None
        keep = [0] + [i + 1 for i, k in enumerate(current) if k != j]
        return cur.params[keep]

    def remove_for_convergence(self, current: list[int], cur: _Fit) -> tuple[int, _Fit]:
        """The model does not converge: drop the feature whose removal restores it.

        Among the single removals giving a converged fit, the one with the
        highest log-likelihood is taken (ties by name).
        """
        best = None
        for k in sorted(current, key=lambda k: self.names[k]):
            fit = self.fit([c for c in current if c != k])
            if fit.ok and (best is None or fit.llf > best[1].llf):
                best = (k, fit)
        if best is None:
            if len(current) == 1:
                j = current[0]
                fit = self.fit([])
                best = (j, fit)
            else:
                raise DataError(
                    f"backward stepwise: the model with features {[self.names[k] for k in current]} "
                    f"does not converge ({cur.problem}) and removing any single feature does not "
                    "fix it; use direction='forward' or 'both', or fix the separating features"
                )
        j = best[0]
        f = self.names[j]
        self.status[j] = (
            f"'{f}': removed in stepwise: with it the model does not converge ({cur.problem}); "
            "without it the fit converges",
            math.nan,
            None,
        )
        return best

    # -- driver ----------------------------------------------------------
    def run(self) -> tuple[list[str], list[dict[str, Any]]]:
        m = len(self.names)
        if self.direction == "backward":
            current = list(range(m))
        else:
            current = []
        cur = self.fit(current)
        if not cur.ok and not current:
            raise DataError(f"stepwise: the intercept-only model does not converge ({cur.problem})")
        seen = {frozenset(current)}
        while True:
            entered = False
            accepted: list[tuple[float, str, int, _Fit]] = []
            if self.direction != "backward":
                cands = self.entry_round(current, cur)
                accepted = sorted(
                    (c for c in cands if self.accepts(c[0])), key=lambda c: (c[0], c[1])
                )
                if accepted:
                    if self.max_features is not None and len(current) >= self.max_features:
                        for score, f, j, _ in accepted:
                            self.status[j] = (
                                f"'{f}': not entered in stepwise: max_features={self.max_features} "
                                f"reached (its {'p-value' if self.criterion == 'pvalue' else 'AIC change'} "
                                f"{_fmt(score)} would have qualified)",
                                score,
                                None,
                            )
                        break
                    score, f, j, fit = accepted[0]
                    current = current + [j]
                    cur = fit
                    self.status.pop(j, None)
                    entered = True
                    logger.debug("stepwise: entered %r (score %s)", f, _fmt(score))
            if self.direction != "forward":
                current, cur, _ = self.removal(current, cur)
            if self.direction == "backward" or not entered:
                break
            state = frozenset(current)
            if state in seen:
                logger.warning(
                    "stepwise: the model with %s was already visited (cycle between entry "
                    "and removal); stopping",
                    sorted(self.names[k] for k in current),
                )
                for score, f, j, _ in accepted:
                    if j not in state and self.status.get(j, ("", math.nan, None))[1] == score:
                        self.status[j] = (
                            f"'{f}': not entered in stepwise: its likelihood-ratio p-value "
                            f"{_fmt(score)} < p_enter {_fmt(self.p_enter)}, but entry and removal "
                            "cycled and stepwise stopped",
                            score,
                            self.p_enter,
                        )
                break
            seen.add(state)
        logger.debug("stepwise: %d fits", self.n_fits)
        kept_idx = set(current)
        rows = []
        for j, f in enumerate(self.names):
            if j in kept_idx:
                continue
            reason, value, threshold = self.status.get(
                j, (f"'{f}': not entered in stepwise", math.nan, None)
            )
            rows.append(_row(f, "stepwise", reason, value, threshold))
        return [f for j, f in enumerate(self.names) if j in kept_idx], rows


def _check_stepwise_args(
    direction: str, p_enter: float, p_remove: float, max_features: int | None, criterion: str
) -> None:
    if direction not in _DIRECTIONS:
        raise ValueError(f"direction must be one of {_DIRECTIONS}, got {direction!r}")
    if criterion not in _CRITERIA:
        raise ValueError(f"criterion must be one of {_CRITERIA}, got {criterion!r}")
    _check_threshold(p_enter, "p_enter", high=1.0)
    _check_threshold(p_remove, "p_remove", high=1.0)
    if p_enter is None or p_remove is None:
        raise ValueError("p_enter and p_remove must be numbers between 0 and 1")
    if max_features is not None and (
        isinstance(max_features, bool) or not isinstance(max_features, (int, np.integer)) or max_features < 1
    ):
        raise ValueError(f"max_features must be a positive integer or None, got {max_features!r}")


def _stepwise(
    names: list[str],
    arr: np.ndarray | None,
    y: np.ndarray | None,
    *,
    direction: str,
    p_enter: float,
    p_remove: float,
    max_features: int | None,
    criterion: str,
    design: Design | None = None,
    cols: list[int] | None = None,
    entry: str = "lr",
    progress: Any = None,
) -> tuple[list[str], list[dict[str, Any]]]:
    if design is None:
        assert arr is not None and y is not None
        design = ArrayDesign(arr, y)
    sw = _Stepwise(
        names,
        design,
        direction=direction,
        p_enter=float(p_enter),
        p_remove=float(p_remove),
        max_features=None if max_features is None else int(max_features),
        criterion=criterion,
        cols=cols,
        entry=entry,
        progress=progress,
    )
    return sw.run()


def _prune(
    names: list[str],
    design: Design,
    cols: list[int],
    *,
    alpha: float | None,
    sign: bool,
    progress: Any = None,
) -> tuple[list[str], list[dict[str, Any]], LogitFit]:
    """Refit and drop, one at a time, features with a wrong sign or a Wald p-value above ``alpha``.

    Wrong sign (a positive coefficient on WOE, whose convention is higher WOE =
    lower risk) goes first, the most positive z first; then the largest p-value
    above ``alpha``. Each drop refits, warm-started from the previous
    coefficients. A fit that does not converge drops the feature with the
    largest standard error... no: with the smallest |z| (ties by name).
    """
    current = list(range(len(names)))
    rows: list[dict[str, Any]] = []
    fit = fit_logit(design, [cols[j] for j in current])
    while current:
        if progress is not None:
            progress.update(0)
        if not fit.ok:
            z = np.abs(np.nan_to_num(fit.z[1:], nan=0.0))
            i = min(range(len(current)), key=lambda i: (z[i], names[current[i]]))
            f = names[current[i]]
            rows.append(_row(f, "significance", f"'{f}': the model with it does not converge ({fit.problem})",
                             math.nan, None))
        else:
            coef, pv, z = fit.params[1:], fit.pvalues[1:], fit.z[1:]
            wrong = [i for i in range(len(current)) if sign and coef[i] > 0]
            if wrong:
                i = max(wrong, key=lambda i: (z[i], names[current[i]]))
                f = names[current[i]]
                rows.append(_row(
                    f, "sign",
                    f"'{f}': coefficient {_fmt(coef[i])} > 0 on WOE (risk runs against its WOE once the "
                    "other features are in: collinearity); dropped and the model refitted",
                    float(coef[i]), 0.0,
                ))
            elif alpha is not None and len(current) and float(np.max(pv)) > alpha:
                i = max(range(len(current)), key=lambda i: (pv[i], names[current[i]]))
                f = names[current[i]]
                rows.append(_row(
                    f, "significance",
                    f"'{f}': Wald p-value {_fmt(pv[i])} > {_fmt(alpha)}: not significant; dropped and the "
                    "model refitted",
                    float(pv[i]), alpha,
                ))
            else:
                break
        start = None
        if fit.ok:
            start = np.delete(fit.params, i + 1)
        del current[i]
        fit = fit_logit(design, [cols[j] for j in current], start)
    return [names[j] for j in current], rows, fit


def _forward_order(
    names: list[str], design: Design, cols: list[int], max_features: int, progress: Any = None
) -> tuple[list[str], list[dict[str, Any]]]:
    """Keep ``max_features`` features by forward selection on score statistics (no p-value limit).

    One pass per round: at the current coefficients it gives every
    candidate's score and information and the model's own Newton statistics.
    The statistic of candidate ``c`` is the efficient score test
    ``(u_c - I_cm I_mm^-1 g_m)^2 / (I_cc - I_cm I_mm^-1 I_mc)``, which is
    Rao's score test when the current model is at its maximum (``g_m = 0``)
    and otherwise accounts for one Newton correction of it; the candidate
    with the largest statistic (ties by name) enters, and the new model's
    coefficients are one joint Newton step from the current ones with the
    newcomer at 0. The path is the classic forward path up to that one-step
    approximation; the final model is refitted to convergence afterwards.
    """
    current: list[int] = []
    ybar = design.n_bad / design.n_rows
    beta = np.array([math.log(ybar / (1.0 - ybar))]) if 0.0 < ybar < 1.0 else np.zeros(1)
    last: dict[int, float] = {}
    while len(current) < max_features:
        cands = [j for j in range(len(names)) if j not in current]
        if not cands:
            break
        if progress is not None:
            progress.update(0)
        u, cross, diag, h, g = design.score([cols[j] for j in current], beta, [cols[j] for j in cands])
        try:
            hinv = np.linalg.inv(h)
        except np.linalg.LinAlgError:
            break
        adj = u - cross @ (hinv @ g)
        cond = diag - np.einsum("ij,jk,ik->i", cross, hinv, cross)
        ok = cond > 1e-10 * np.maximum(diag, 1e-300)
        stat = np.where(ok, adj * adj / np.where(ok, cond, 1.0), 0.0)
        last = dict(zip(cands, stat))
        i = min(range(len(cands)), key=lambda i: (-stat[i], names[cands[i]]))
        if not (stat[i] > 0 and math.isfinite(stat[i])):
            break
        k = h.shape[0]
        h_new = np.empty((k + 1, k + 1))
        h_new[:k, :k] = h
        h_new[k, :k] = h_new[:k, k] = cross[i]
        h_new[k, k] = diag[i]
        try:
            step = np.linalg.solve(h_new, np.r_[g, u[i]])
        except np.linalg.LinAlgError:
            break
        beta = np.r_[beta, 0.0] + step
        current.append(cands[i])
    rows = []
    for j, f in enumerate(names):
        if j not in current:
            st = float(last.get(j, math.nan))
            pv = float(stats.chi2.sf(st, 1)) if math.isfinite(st) else math.nan
            rows.append(_row(
                f, "max_features",
                f"'{f}': not among the max_features={max_features} features entered by forward selection "
                f"(score-test p-value {_fmt(pv)} at the last step)",
                pv, None,
            ))
    kept = set(current)
    return [f for j, f in enumerate(names) if j in kept], rows


def stepwise(
    X_woe: pd.DataFrame,
    y: Any,
    *,
    direction: Literal["both", "forward", "backward"] = "both",
    p_enter: float = 0.05,
    p_remove: float = 0.10,
    max_features: int | None = None,
    criterion: Literal["pvalue", "aic"] = "pvalue",
) -> SelectionResult:
    """Stepwise selection of a logistic regression on WOE features.

    Each model is a logistic regression with an intercept, fitted by Newton's
    method over sufficient statistics (:func:`scorecard.logit.fit_logit`,
    equal to statsmodels' ``Logit`` to about 1e-12; warm-started from the
    previous model).

    * ``direction="forward"``: start from the intercept; at each step fit the
      model with each remaining candidate and add the one with the smallest
      **likelihood-ratio** p-value (``2 * (llf_new - llf_old)`` against
      chi-square with 1 degree of freedom) if it is below ``p_enter``; stop
      when none is, or when ``max_features`` features are in.
    * ``direction="backward"``: start from all features; remove the one with
      the largest **Wald** p-value while it exceeds
      ``p_remove`` (and, with ``max_features``, until at most that many remain).
    * ``direction="both"`` (default): forward steps, each followed by backward
      removals; stops when no candidate enters, or when a model repeats (a
      cycle, logged as a warning). The final model therefore has every Wald
      p-value at most ``p_remove``. Keep ``p_enter <= p_remove``.

    Entry uses the likelihood-ratio test because each candidate model has to
    be fitted anyway (to check that it converges), so the test costs nothing
    extra and is more reliable than the Wald test, which understates large
    effects (Hauck-Donner). Removal uses the Wald p-values of the current fit:
    one fit per step instead of one per feature, and they are the p-values a
    user sees in the fitted model's summary.

    With ``criterion="aic"``, ``p_enter`` / ``p_remove`` are ignored: the
    candidate lowering the AIC most enters (if it lowers it), and the feature
    whose removal lowers the AIC most is removed (one refit per feature).

    A candidate whose model does not converge (perfect or quasi-complete
    separation, a constant or collinear column) is skipped and the reason
    recorded in ``dropped``; nothing is warned.

    Parameters
    ----------
    X_woe : pandas.DataFrame
        WOE-transformed features (numeric, finite).
    y : array-like
        Target, 1 = bad, 0 = good. A Series must have ``X_woe``'s index.
    direction : {"both", "forward", "backward"}, default "both"
    p_enter : float, default 0.05
        Largest likelihood-ratio p-value for a feature to enter.
    p_remove : float, default 0.10
        Features with a Wald p-value above this are removed.
    max_features : int, optional
        Largest number of features in the model.
    criterion : {"pvalue", "aic"}, default "pvalue"

    Returns
    -------
    SelectionResult
        ``kept`` in input order; ``dropped`` with ``step == "stepwise"`` and,
        in ``value``, the feature's last statistic: its likelihood-ratio
        p-value for entering the final model (threshold ``p_enter``), its Wald
        p-value when removed (threshold ``p_remove``), or the AIC change.

    Raises
    ------
    DataError
        On an empty frame, non-numeric columns, NaN / inf values, or a ``y``
        Series whose index differs from ``X_woe``'s.
    TargetError
        When ``y`` is not 0/1, has one class or the wrong length.

    Example
    -------
    >>> import numpy as np, pandas as pd
    >>> from scorecard.selection import stepwise
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame(rng.normal(size=(1000, 3)), columns=["a", "b", "noise"])
    >>> y = (rng.random(1000) < 1 / (1 + np.exp(1 + X["a"] + 0.5 * X["b"]))).astype(int)
    >>> res = stepwise(X, y)
    >>> res.kept
    ['a', 'b']
    >>> res.dropped["feature"].tolist(), bool(res.dropped["value"].iloc[0] >= 0.05)
    (['noise'], True)
    """
    _check_stepwise_args(direction, p_enter, p_remove, max_features, criterion)
    names, arr = _check_woe(X_woe)
    yy = _check_y(y, X_woe, arr.shape[0])
    kept, rows = _stepwise(
        names,
        arr,
        yy,
        direction=direction,
        p_enter=p_enter,
        p_remove=p_remove,
        max_features=max_features,
        criterion=criterion,
    )
    return _finish(kept, rows, "stepwise")


# --------------------------------------------------------------------------
# Chain
# --------------------------------------------------------------------------


def select_features(
    X_woe: pd.DataFrame,
    y: Any,
    iv: pd.Series | Mapping[str, float],
    *,
    X_raw: pd.DataFrame | None = None,
    min_iv: float | None = 0.02,
    max_missing: float | None = 0.95,
    max_corr: float | None = 0.7,
    max_vif: float | None = 5.0,
    stepwise: bool = True,
    p_enter: float = 0.05,
    p_remove: float = 0.10,
    max_features: int | None = None,
    max_iv: float | None = None,
    special_codes: Sequence[Any] | Mapping[str, Sequence[Any]] | None = None,
) -> SelectionResult:
    """Run the selection steps in order: IV, missing, correlation, VIF, stepwise.

    Each step sees only the survivors of the previous ones; ``dropped`` is the
    combined log in step order. A threshold of ``None`` (or ``stepwise=False``)
    skips that step; the missing-share step also needs ``X_raw``. Stepwise runs
    in direction ``"both"`` with the p-value criterion (see :func:`stepwise`).

    Parameters
    ----------
    X_woe : pandas.DataFrame
        WOE-transformed features (numeric, finite).
    y : array-like
        Target, 1 = bad, 0 = good.
    iv : pandas.Series or dict
        Information value per feature; must cover every column of ``X_woe``.
    X_raw : pandas.DataFrame, optional
        Raw features, for the missing-share step; must hold every column of
        ``X_woe`` (same names).
    min_iv, max_iv : float or None
        See :func:`filter_iv` (``max_iv`` defaults to no upper bound).
    max_missing : float or None, default 0.95
        See :func:`filter_missing`.
    special_codes : list or dict of lists, optional
        Values counted as missing by the missing-share step.
    max_corr : float or None, default 0.7
        See :func:`filter_correlation` (Pearson).
    max_vif : float or None, default 5.0
        See :func:`filter_vif` (IV breaks ties).
    stepwise : bool, default True
        Whether to run :func:`stepwise` last.
    p_enter, p_remove, max_features
        Passed to :func:`stepwise`.

    Returns
    -------
    SelectionResult

    Raises
    ------
    DataError, MissingColumnError, TargetError
        On invalid input (see the individual steps).

    Example
    -------
    >>> import numpy as np, pandas as pd
    >>> from scorecard.selection import select_features
    >>> rng = np.random.default_rng(1)
    >>> X = pd.DataFrame(rng.normal(size=(800, 3)), columns=["a", "b", "c"])
    >>> y = (rng.random(800) < 1 / (1 + np.exp(1 + X["a"]))).astype(int)
    >>> res = select_features(X, y, {"a": 0.5, "b": 0.03, "c": 0.01}, max_corr=None)
    >>> res.kept, res.dropped["step"].tolist()
    (['a'], ['iv', 'stepwise'])
    """
    _check_threshold(min_iv, "min_iv")
    _check_threshold(max_iv, "max_iv")
    _check_threshold(max_missing, "max_missing", high=1.0)
    _check_threshold(max_corr, "max_corr", high=1.0)
    _check_threshold(max_vif, "max_vif", low=1.0)
    if stepwise:
        _check_stepwise_args("both", p_enter, p_remove, max_features, "pvalue")
    names, arr = _check_woe(X_woe)
    ivs = _check_iv(iv, names)
    yy = _check_y(y, X_woe, arr.shape[0])
    raw = None
    if X_raw is not None and max_missing is not None:
        raw = as_frame(X_raw, name="X_raw")
        require_columns(raw, names, name="X_raw")
        if len(raw) != arr.shape[0]:
            raise DataError(f"X_raw has {len(raw)} rows but X_woe has {arr.shape[0]}: pass the same sample")
        _check_special_codes(special_codes, list(raw.columns))

    missing_filter = None
    if raw is not None:
        def missing_filter(feats: list[str]) -> tuple[list[str], list[dict[str, Any]]]:
            codes = special_codes
            if isinstance(codes, Mapping):
                codes = {k: v for k, v in codes.items() if k in set(feats)}
            return _filter_missing(raw[feats], float(max_missing), codes)  # type: ignore[arg-type, index]

    kept, rows, _ = _select_design(
        ArrayDesign(arr, yy, names=names),
        ivs,
        missing_filter,
        min_iv=min_iv,
        max_iv=max_iv,
        max_corr=max_corr,
        max_vif=max_vif,
        stepwise=stepwise,
        p_enter=p_enter,
        p_remove=p_remove,
        max_features=max_features,
        entry="lr",
    )
    return _finish(kept, rows, "select_features")


def _select_design(
    design: Design,
    ivs: pd.Series,
    missing_filter: Any = None,
    *,
    min_iv: float | None,
    max_iv: float | None,
    max_corr: float | None,
    max_vif: float | None,
    stepwise: bool,
    p_enter: float,
    p_remove: float,
    max_features: int | None,
    entry: str = "lr",
    limit_features: bool = False,
    alpha: float | None = None,
    sign: bool = False,
    progress: Any = None,
) -> tuple[list[str], list[dict[str, Any]], dict[str, Any]]:
    """The selection chain over a :class:`~scorecard.logit.Design` (arrays, DuckDB or Spark).

    IV and missing share come from outside (count tables); correlation and VIF
    from one Gram pass over the survivors; stepwise, ``max_features`` (when
    ``limit_features`` and stepwise is off: forward selection on score tests)
    and the sign / significance pruning from Newton and score passes.

    Returns the kept names (design order), the dropped rows, and ``info`` with
    ``"corr"`` (DataFrame: correlation of the features that reached the
    correlation step) and ``"fit"`` (the final :class:`LogitFit` of the kept
    features in design order, when pruning ran).
    """
    names = list(design.names)
    pos = {f: j for j, f in enumerate(names)}
    survivors = list(names)
    rows: list[dict[str, Any]] = []
    info: dict[str, Any] = {}

    def stage(text: str) -> None:
        if progress is not None:
            progress.set_postfix_str(text, refresh=False)
            progress.update(1)

    if survivors and (min_iv is not None or max_iv is not None):
        survivors, new = _filter_iv(ivs.loc[survivors], min_iv, max_iv)
        rows += new
    if survivors and missing_filter is not None:
        survivors, new = missing_filter(survivors)
        rows += new
    stage("correlation")
    if survivors:
        cols = [pos[f] for f in survivors]
        n, ssum, xx = design.gram(cols)
        mean = ssum / n
        cov = xx / n - np.outer(mean, mean)
        stds = np.sqrt(np.clip(np.diag(cov), 0.0, None))
        scale = np.where(stds > 1e-12 * np.maximum(1.0, np.abs(mean)), stds, np.inf)
        corr = np.clip(cov / np.outer(scale, scale), -1.0, 1.0)
        np.fill_diagonal(corr, 1.0)
        info["corr"] = pd.DataFrame(corr, index=survivors, columns=survivors)
        info["std"] = pd.Series(stds, index=survivors)
    if len(survivors) > 1 and max_corr is not None:
        c = info["corr"].loc[survivors, survivors].to_numpy()
        survivors, new = _filter_correlation(survivors, None, ivs, float(max_corr), "pearson", corr=c)
        rows += new
    stage("VIF")
    if survivors and max_vif is not None:
        c = info["corr"].loc[survivors, survivors].to_numpy()
        survivors, new = _filter_vif(
            survivors, None, float(max_vif), ivs, corr=c, stds=info["std"].loc[survivors].to_numpy()
        )
        rows += new
    stage("stepwise" if stepwise else "forward selection")
    if survivors and stepwise:
        survivors, new = _stepwise(
            survivors,
            None,
            None,
            direction="both",
            p_enter=p_enter,
            p_remove=p_remove,
            max_features=max_features,
            criterion="pvalue",
            design=design,
            cols=[pos[f] for f in survivors],
            entry=entry,
            progress=progress,
        )
        rows += new
    elif survivors and limit_features and max_features is not None and len(survivors) > max_features:
        survivors, new = _forward_order(
            survivors, design, [pos[f] for f in survivors], int(max_features), progress=progress
        )
        rows += new
    stage("significance and sign")
    if survivors and (alpha is not None or sign):
        survivors, new, fit = _prune(
            survivors, design, [pos[f] for f in survivors], alpha=alpha, sign=sign, progress=progress
        )
        rows += new
        info["fit"] = fit
    return survivors, rows, info
