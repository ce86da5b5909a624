"""Input validation shared by every estimator and function (private).

One place checks frames and targets, so every component reports bad input
with the same wording: the column (or sample) and the problem, and the fix.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from scorecard.errors import ColumnError, DataError, MissingColumnError, TargetError
from scorecard.errors import preview as _preview  # data values in messages are masked


def as_frame(X: Any, *, name: str = "X", columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Return ``X`` as a DataFrame with unique string column names.

    Arrays get the names ``x0, x1, ...`` (or ``columns`` when given), as
    scikit-learn does. Raises :class:`DataError` on an empty input and
    :class:`ColumnError` on duplicated column names.
    """
    if _is_sparse(X):
        raise DataError(
            f"{name} is a sparse matrix: sparse input is not supported; pass a dense array or a DataFrame"
        )
    if isinstance(X, pd.DataFrame):
        df = X
    elif isinstance(X, pd.Series):
        df = X.to_frame()
    else:
        arr = np.asarray(X)
        if np.iscomplexobj(arr):
            raise DataError(f"{name}: Complex data not supported")
        if arr.dtype == object and arr.ndim == 0:
            raise DataError(f"{name} must be 2-dimensional, got a scalar")
        if arr.ndim == 1:
            raise DataError(
                f"{name} must be 2-dimensional (rows x features), got a 1-d array. "
                "Reshape your data: a single feature with X.reshape(-1, 1)"
            )
        if arr.ndim != 2:
            raise DataError(f"{name} must be 2-dimensional, got {arr.ndim} dimensions")
        cols = list(columns) if columns is not None else [f"x{i}" for i in range(arr.shape[1])]
        df = pd.DataFrame(arr, columns=cols)
    if df.shape[1] == 0:
        raise DataError(
            f"{name} has no columns: 0 feature(s) (shape=({df.shape[0]}, 0)) while a minimum of 1 is required."
        )
    if df.shape[0] == 0:
        raise DataError(f"{name} is empty: 0 rows (it has columns {list(df.columns)[:5]}...)")
    dup = df.columns[df.columns.duplicated()].unique().tolist()
    if dup:
        raise ColumnError(
            f"{name} has duplicated column names {dup}: rename or drop the duplicates"
        )
    non_str = [c for c in df.columns if not isinstance(c, str)]
    if non_str:
        df = df.rename(columns={c: str(c) for c in non_str})
        if df.columns.duplicated().any():
            raise ColumnError(f"{name} has columns that collide once named as strings: {non_str}")
    return df


def check_target(
    y: Any,
    *,
    bad_value: Any = None,
    good_value: Any = None,
    n_rows: int | None = None,
    name: str = "y",
    index: pd.Index | None = None,
) -> np.ndarray:
    """Return the target as an ``int8`` array of 0 (good) and 1 (bad).

    Accepted without ``bad_value``: 0/1 integers or floats, or booleans.
    With ``bad_value``, rows equal to it are bad (1); the target may hold
    one other value (good), or name it with ``good_value`` when it holds
    more: then every row must be one of the two (a typo such as ``'Bad'``
    for ``'bad'`` is an error, never a silent good). ``good_value`` alone
    makes every other value bad, under the same rule. Raises
    :class:`TargetError` when the target is missing values, has one class,
    has other values, or has the wrong length.

    Alignment: when ``index`` (the index of the frame ``X``) is given and
    ``y`` is a Series (or a one-column DataFrame), ``y`` is matched to the
    rows **by label**, never by position: an index in another order (the same
    labels, each once) is reordered to ``X``'s; labels that differ raise
    :class:`TargetError` (pass ``y.to_numpy()`` to mean "by position").

    Examples
    --------
    >>> check_target([0, 1, 1]).tolist()
    [0, 1, 1]
    >>> check_target(["good", "bad"], bad_value="bad").tolist()
    [0, 1]
    >>> check_target(["good", "bad", "indet"], bad_value="bad", good_value="good").tolist()
    Traceback (most recent call last):
    ...
    scorecard.errors.TargetError: target 'y' has 1 row(s) that are neither bad_value=... nor good_value=... drop or relabel them
    >>> import pandas as pd
    >>> y = pd.Series([1, 0, 0], index=[12, 10, 11])
    >>> check_target(y, index=pd.Index([10, 11, 12])).tolist()
    [0, 0, 1]
    """
    if y is None:
        raise TargetError(
            f"this estimator requires y to be passed, but the target y is None: give the target {name!r} "
            "(1 = bad, 0 = good)"
        )
    if bad_value is not None and good_value is not None and _same(bad_value, good_value):
        raise TargetError(f"bad_value and good_value are both {bad_value!r}: name two different values")
    if isinstance(y, pd.DataFrame) and y.shape[1] == 1:
        import warnings

        from sklearn.exceptions import DataConversionWarning

        warnings.warn(
            "A column-vector y was passed when a 1d array was expected. "
            "Please change the shape of y to (n_samples,), for example using ravel().",
            DataConversionWarning,
            stacklevel=3,
        )
        y = y.iloc[:, 0]
    if isinstance(y, pd.Series):
        ser = y
    else:
        arr = np.asarray(y)
        if arr.ndim == 0:
            arr = arr.reshape(1)
        if arr.ndim == 2 and arr.shape[1] == 1:
            import warnings

            from sklearn.exceptions import DataConversionWarning

            warnings.warn(
                "A column-vector y was passed when a 1d array was expected. "
                "Please change the shape of y to (n_samples,), for example using ravel().",
                DataConversionWarning,
                stacklevel=3,
            )
            arr = arr.ravel()
        if arr.ndim != 1:
            raise TargetError(f"target {name!r} must be 1-dimensional, got shape {arr.shape}")
        ser = pd.Series(arr)
    label = ser.name if ser.name is not None else name
    if n_rows is not None and len(ser) != n_rows:
        raise TargetError(
            f"target {label!r} has {len(ser)} values but X has {n_rows} rows"
        )
    if index is not None and isinstance(y, pd.Series):
        ser = _aligned(ser, index, label)
    if len(ser) == 0:
        raise TargetError(f"target {label!r} is empty")
    if ser.isna().any():
        raise TargetError(
            f"target {label!r} has {int(ser.isna().sum())} missing values: drop those rows "
            "or label them before fitting"
        )
    if bad_value is not None or good_value is not None:
        out = _named_target(ser, bad_value, good_value, label)
    else:
        values = ser.unique()
        try:
            ok = set(pd.Series(values).astype(float).tolist()) <= {0.0, 1.0}
        except (TypeError, ValueError):
            ok = False
        if not ok:
            shown = ', '.join(_preview(v) for v in sorted(map(str, values))[:10])
            hint = ""
            if len(values) > 2:
                hint = " Only binary classification is supported."
                if pd.api.types.is_float_dtype(ser.dtype) and not np.all(np.mod(ser.to_numpy(), 1) == 0):
                    hint = " The target looks continuous; a scorecard needs a binary target."
            raise TargetError(
                f"target {label!r} must be 0 (good) / 1 (bad); found values {shown}.{hint} "
                "Name the bad value with bad_value=..., e.g. bad_value='bad'"
            )
        out = ser.astype(float).to_numpy().astype(np.int8)
    n_bad = int(out.sum())
    if n_bad == 0 or n_bad == len(out):
        only = "bad (1)" if n_bad else "good (0)"
        raise TargetError(
            f"target {label!r} has one class: all {len(out)} rows are {only}; "
            "a scorecard needs both goods and bads (1 class is not enough)"
        )
    return out


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def _aligned(ser: pd.Series, index: pd.Index, label: Any) -> pd.Series:
    """``ser`` in the order of ``index`` (matched by label), or a TargetError when the labels differ."""
    if ser.index.equals(index):
        return ser
    if ser.index.is_unique and index.is_unique and len(ser.index) == len(index):
        if ser.index.sort_values().equals(index.sort_values()) if _sortable(index) else set(ser.index) == set(index):
            return ser.reindex(index)
    n_diff = len(index.difference(ser.index)) if index.is_unique else None
    detail = f"{n_diff} of X's row labels are not in y's index" if n_diff else "the labels are repeated or differ"
    raise TargetError(
        f"target {label!r} has an index that does not match X's ({detail}): y is matched to X by "
        "label, never by position; align them (y.reindex(X.index)) or pass y.to_numpy() to use the order given"
    )


def _sortable(index: pd.Index) -> bool:
    try:
        index.sort_values()
    except TypeError:
        return False
    return True


def _named_target(ser: pd.Series, bad_value: Any, good_value: Any, label: Any) -> np.ndarray:
    """0/1 from a target whose bad (and/or good) value is named; refuses values it cannot place."""
    values = ser.to_numpy()
    distinct = pd.unique(values)
    shown = ', '.join(_preview(v) for v in sorted(map(str, distinct))[:10])  # masked
    if bad_value is not None:
        bad = (values == bad_value)
        if not bad.any():
            raise TargetError(
                f"target {label!r} has no row equal to bad_value={_preview(bad_value)}: "
                f"it has one class; values seen: {shown}"
            )
    if good_value is not None:
        good = (values == good_value)
        if not good.any():
            raise TargetError(
                f"target {label!r} has no row equal to good_value={_preview(good_value)}: "
                f"it has one class; values seen: {shown}"
            )
    if bad_value is not None and good_value is not None:
        other = ~(bad | good)
        if other.any():
            raise TargetError(
                f"target {label!r} has {int(other.sum())} row(s) that are neither bad_value={_preview(bad_value)} nor "
                f"good_value={_preview(good_value)} (values seen: {shown}); drop or relabel them"
            )
        return bad.astype(np.int8)
    if len(distinct) > 2:
        named = f"bad_value={_preview(bad_value)}" if bad_value is not None else f"good_value={_preview(good_value)}"
        other_name = "good_value" if bad_value is not None else "bad_value"
        raise TargetError(
            f"target {label!r} holds {len(distinct)} distinct values {shown} but only {named} is named: "
            f"name the other class too ({other_name}=...), so that a typo is an error rather than a silent "
            f"{'good' if bad_value is not None else 'bad'}"
        )
    return (bad if bad_value is not None else ~good).astype(np.int8)


def _is_sparse(X: Any) -> bool:
    try:
        import scipy.sparse as sp
    except ImportError:  # pragma: no cover - scipy ships with scikit-learn
        return False
    return sp.issparse(X)


def split_target(frame: pd.DataFrame, target: str) -> tuple[pd.DataFrame, pd.Series]:
    """Split ``frame`` into features and the column ``target``.

    Raises :class:`MissingColumnError` when the target column is absent.
    """
    if target not in frame.columns:
        raise MissingColumnError(
            f"target column {target!r} is missing from the frame; columns are "
            f"{list(frame.columns)[:10]}{'...' if frame.shape[1] > 10 else ''}"
        )
    return frame.drop(columns=[target]), frame[target]


def require_columns(frame: pd.DataFrame, columns: Sequence[str], *, name: str = "X") -> None:
    """Raise :class:`MissingColumnError` naming every column of ``columns`` absent from ``frame``."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise MissingColumnError(
            f"{name} is missing column(s) {missing} that the fitted model needs"
        )


def is_numeric(series: pd.Series) -> bool:
    """True for numeric (not boolean) dtypes."""
    return pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype)


def fit_input(
    estimator: Any,
    X: Any,
    y: Any,
    *,
    features: Sequence[str] | None,
    bad_value: Any = None,
    good_value: Any = None,
) -> tuple[pd.DataFrame, np.ndarray, list[str]]:
    """Validate what ``fit`` receives and record the input schema on ``estimator``.

    ``y`` may name a column of a DataFrame ``X``; a Series ``y`` is matched
    to ``X``'s rows by index label (see :func:`check_target`). Returns the
    frame, the 0/1 target and the features (default every column). Sets
    ``feature_names_in_`` (DataFrame input only, as scikit-learn does),
    ``n_features_in_`` and ``_input_columns`` on ``estimator``.
    """
    if isinstance(y, str) and isinstance(X, pd.DataFrame):
        X, y = split_target(X, y)
    frame = as_frame(X)
    target = check_target(
        y,
        bad_value=bad_value,
        good_value=good_value,
        n_rows=len(frame),
        index=X.index if isinstance(X, pd.DataFrame) else None,
    )
    chosen = list(frame.columns) if features is None else list(features)
    require_columns(frame, chosen)
    if isinstance(X, pd.DataFrame):
        estimator.feature_names_in_ = np.asarray(frame.columns, dtype=object)
    elif hasattr(estimator, "feature_names_in_"):
        del estimator.feature_names_in_
    estimator.n_features_in_ = frame.shape[1]
    estimator._input_columns = list(frame.columns)
    return frame, target, chosen
