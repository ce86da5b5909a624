"""Data quality: a per-column profile and the target rate per segment.

The first look at a modelling sample, before any binning:

- :func:`profile` -- one row per column: dtype, kind, missing values,
  cardinality, the most frequent value and its share, numeric range, and
  flags for columns a scorecard cannot use or should look at twice
  (constant, all missing, ID-like, high missing share).
- :func:`target_rate` -- count, bads and bad rate per value of a column, for
  example ``application_month`` (is the bad rate stable over time?) or
  ``channel``.

Both are pure functions of their inputs (no state, no printing; diagnostics
go to the ``scorecard.quality`` logger) and cost a few pandas passes per
column.

Personal data
-------------
A profile is a report: it is printed in notebooks and logged to MLflow. It
never shows values of a column that may hold personal data. For ID-like
columns (high-cardinality text such as names, phone or ID numbers, and
integer columns whose values are all distinct, such as an application ID or
a phone number stored as a number), and for columns named in ``mask``,
``top`` holds only the *shape* of the most frequent value (each digit shown
as ``9``, each letter as ``A`` / ``a``, any other character as ``*``) and
``min`` / ``median`` / ``max`` are left empty. Counts and shares are kept.

Examples
--------
>>> import pandas as pd
>>> from scorecard.quality import profile, target_rate
>>> X = pd.DataFrame({"age": [25, 40, None, 33], "city": ["a", "b", "a", "a"]})
>>> profile(X)[["column", "kind", "n_missing", "n_unique", "top", "top_share"]]
  column         kind  n_missing  n_unique top  top_share
0    age      numeric          1         3  25       0.25
1   city  categorical          0         2   a       0.75
>>> target_rate(X, [0, 1, 0, 1], "city")[["city", "count", "bads", "bad_rate"]]
  city  count  bads  bad_rate
0    a      3     1  0.333333
1    b      1     1  1.000000
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from scorecard._validation import as_frame, check_target, is_numeric, require_columns, split_target

__all__ = ["profile", "target_rate", "mask_value", "PROFILE_COLUMNS"]

logger = logging.getLogger(__name__)

PROFILE_COLUMNS: tuple[str, ...] = (
    "column",
    "dtype",
    "kind",
    "n_rows",
    "n_missing",
    "missing_rate",
    "n_special",
    "n_inf",
    "n_unique",
    "top",
    "top_share",
    "min",
    "median",
    "max",
    "constant",
    "all_missing",
    "id_like",
    "high_missing",
    "masked",
)
"""Columns of the :func:`profile` frame, in order."""

def mask_value(value: Any) -> str:
    """The shape of a value with every character hidden.

    Digits become ``9``, ASCII letters ``A`` / ``a``, everything else ``*``;
    the length is kept, so a malformed phone or ID number still shows.

    Parameters
    ----------
    value : Any
        The value to mask (its ``str``).

    Returns
    -------
    str

    Examples
    --------
    >>> mask_value("13812345678"), mask_value("11010519491231002X"), mask_value("Wang Li")
    ('99999999999', '99999999999999999A', 'Aaaa*Aa')
    """
    s = str(value)
    out = []
    for ch in s:
        if "0" <= ch <= "9":
            out.append("9")
        elif "A" <= ch <= "Z":
            out.append("A")
        elif "a" <= ch <= "z":
            out.append("a")
        else:
            out.append("*")
    return "".join(out)


def _top_label(value: Any) -> str:
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, (np.integer,)):
        return str(int(value))
    return str(value)


def profile(
    X: Any,
    *,
    special_codes: Mapping[str, Sequence[Any]] | Sequence[Any] | None = None,
    high_missing: float = 0.5,
    max_categories: int = 100,
    mask: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Profile every column of ``X``: one row per column.

    Parameters
    ----------
    X : DataFrame or array-like of shape (n_samples, n_columns)
        The sample (without the target, or with it: it is profiled like any
        column).
    special_codes : dict or list, optional
        Special values (for example ``-999`` "no bureau record") per column
        (dict) or for every numeric column (list). They are counted in
        ``n_special`` and left out of ``min`` / ``median`` / ``max``, as the
        binner gives them bins of their own.
    high_missing : float, default 0.5
        ``high_missing`` flag when the missing share exceeds this.
    max_categories : int, default 100
        A text column with more distinct values than this is ID-like (the
        :class:`~scorecard.binning.WOEBinner` refuses it for the same reason).
    mask : iterable of str, optional
        Columns whose values must never be shown (for example the known
        personal columns), in addition to the ID-like ones.

    Returns
    -------
    pandas.DataFrame
        Columns (:data:`PROFILE_COLUMNS`):

        - ``column``, ``dtype`` (pandas dtype name), ``kind`` (``numeric``
          for numeric non-boolean dtypes, else ``categorical``), ``n_rows``;
        - ``n_missing`` and ``missing_rate`` (share of all rows);
        - ``n_special`` (rows equal to a special code), ``n_inf`` (infinite
          numeric values, which the binner rejects);
        - ``n_unique``: distinct non-missing values (special codes included);
        - ``top`` (the most frequent non-missing value as text, ties broken
          by the smallest value; masked for ID-like / masked columns, empty
          when all values are missing) and ``top_share`` (its count over all
          rows, missing included);
        - ``min``, ``median``, ``max``: numeric columns only, over the finite
          values that are not special codes; empty for masked columns;
        - flags: ``constant`` (exactly one distinct non-missing value),
          ``all_missing``, ``id_like`` (text with more than
          ``max_categories`` distinct values, or at least 20 values of which
          more than half are distinct; or integers all distinct over at least
          100 values), ``high_missing`` (``missing_rate > high_missing``),
          ``masked`` (``top`` is a masked shape and the range is hidden).

    Raises
    ------
    DataError
        ``X`` is empty or has duplicated column names.
    MissingColumnError
        A column of ``special_codes`` (dict) or ``mask`` is not in ``X``.
    ValueError
        ``high_missing`` not in [0, 1] or ``max_categories < 1``.

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"score": [620, -999, 700, 620], "phone": ["138", "139", "137", "136"]})
    >>> p = profile(X, special_codes={"score": [-999]}, max_categories=3)
    >>> p[["column", "n_special", "min", "max", "id_like", "top"]]
      column  n_special    min    max  id_like  top
    0  score          1  620.0  700.0    False  620
    1  phone          0    NaN    NaN     True  999
    """
    if not 0.0 <= float(high_missing) <= 1.0:
        raise ValueError(f"high_missing must lie in [0, 1], got {high_missing!r}")
    if int(max_categories) < 1:
        raise ValueError(f"max_categories must be >= 1, got {max_categories!r}")
    frame = as_frame(X)
    masked_cols = set(mask or ())
    require_columns(frame, sorted(masked_cols), name="X (mask)")
    if isinstance(special_codes, Mapping):
        require_columns(frame, list(special_codes), name="X (special_codes)")
    n = len(frame)
    rows = [
        _profile_column(
            frame[c], c, n, _codes_for(special_codes, c), float(high_missing), int(max_categories), c in masked_cols
        )
        for c in frame.columns
    ]
    out = pd.DataFrame(rows, columns=list(PROFILE_COLUMNS))
    out["top"] = out["top"].astype("str")
    flagged = out.loc[out[["constant", "all_missing", "id_like", "high_missing"]].any(axis=1), "column"].tolist()
    logger.info("profile: %d columns, %d rows; flagged: %s", frame.shape[1], n, flagged)
    return out


def _codes_for(special_codes: Any, column: str) -> list[Any]:
    if special_codes is None:
        return []
    if isinstance(special_codes, Mapping):
        return list(special_codes.get(column, []))
    return list(special_codes)


def _profile_column(
    col: pd.Series, name: str, n: int, codes: list[Any], high_missing: float, max_categories: int, masked: bool
) -> dict[str, Any]:
    numeric = is_numeric(col)
    missing = col.isna().to_numpy()
    n_missing = int(missing.sum())
    present = col[~missing]
    n_present = n - n_missing
    counts = present.value_counts(sort=False, dropna=True)
    counts = counts[counts.to_numpy() > 0]  # a categorical dtype lists its unused categories
    n_unique = int(counts.size)
    top: Any = None
    top_share = 0.0
    if n_unique:
        best = counts.max()
        # ties: the smallest value (stable across runs and pandas versions)
        cands = counts.index[counts.to_numpy() == best]
        try:
            top = sorted(cands)[0]
        except TypeError:
            top = sorted(cands, key=str)[0]
        top_share = float(best) / n if n else 0.0
    vmin = vmed = vmax = np.nan
    n_special = 0
    n_inf = 0
    id_like = False
    if numeric:
        x = present.to_numpy(dtype=float)
        special = np.isin(x, np.asarray([float(c) for c in codes if _is_number(c)], dtype=float)) if codes else np.zeros(x.size, bool)
        n_special = int(special.sum())
        finite = np.isfinite(x)
        n_inf = int((~finite).sum())
        regular = x[finite & ~special]
        if regular.size:
            vmin, vmed, vmax = float(regular.min()), float(np.median(regular)), float(regular.max())
        integral = x[finite]
        id_like = bool(
            n_present >= 100
            and n_unique == n_present
            and integral.size == n_present
            and np.all(np.mod(integral, 1) == 0)
        )
    else:
        if codes:
            keys = present.astype(str)
            n_special = int(keys.isin([str(c) for c in codes]).sum())
        id_like = bool(n_unique > max_categories or (n_present >= 20 and n_unique > 0.5 * n_present))
    hide = masked or id_like
    if top is not None:
        top = mask_value(_top_label(top)) if hide else _top_label(top)
    if hide:
        vmin = vmed = vmax = np.nan
    missing_rate = n_missing / n if n else 0.0
    return {
        "column": name,
        "dtype": str(col.dtype),
        "kind": "numeric" if numeric else "categorical",
        "n_rows": n,
        "n_missing": n_missing,
        "missing_rate": missing_rate,
        "n_special": n_special,
        "n_inf": n_inf,
        "n_unique": n_unique,
        "top": top,
        "top_share": top_share,
        "min": vmin,
        "median": vmed,
        "max": vmax,
        "constant": n_unique == 1,
        "all_missing": n_missing == n,
        "id_like": id_like,
        "high_missing": missing_rate > high_missing,
        "masked": hide,
    }


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)


def target_rate(
    X: Any,
    y: Any,
    by: str | Sequence[str],
    *,
    bad_value: Any = None,
    dropna: bool = False,
) -> pd.DataFrame:
    """Count, bads and bad rate per value of one or more columns.

    Parameters
    ----------
    X : DataFrame
        The sample.
    y : array-like of shape (n_samples,), or the name of a column of ``X``
        1 = bad, 0 = good (or name ``bad_value``).
    by : str or list of str
        Column(s) to group by, e.g. ``"application_month"`` or ``"channel"``.
        Each distinct value (combination) is a row; bin a continuous column
        first (``pd.cut``) if needed.
    bad_value : optional
        The value of ``y`` meaning bad, when ``y`` is not 0/1.
    dropna : bool, default False
        Drop rows whose ``by`` value is missing; by default they form a group
        of their own (shown as a missing value, sorted last).

    Returns
    -------
    pandas.DataFrame
        One row per value, sorted by value: the ``by`` column(s), then
        ``count``, ``share`` (of all rows counted), ``bads``, ``goods``,
        ``bad_rate``.

    Raises
    ------
    MissingColumnError
        A column of ``by`` is not in ``X``.
    TargetError
        ``y`` has the wrong length, missing values, one class, or values
        other than 0/1 without ``bad_value``.

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"month": ["2024-02", "2024-01", "2024-01", "2024-02"]})
    >>> target_rate(X, [1, 0, 1, 1], "month")
         month  count  share  bads  goods  bad_rate
    0  2024-01      2    0.5     1      1       0.5
    1  2024-02      2    0.5     2      0       1.0
    """
    if isinstance(y, str) and isinstance(X, pd.DataFrame):
        X, y = split_target(X, y)
    frame = as_frame(X)
    cols = [by] if isinstance(by, str) else list(by)
    if not cols:
        raise ValueError("by must name at least one column")
    require_columns(frame, cols)
    target = check_target(y, bad_value=bad_value, n_rows=len(frame))
    data = frame[cols].copy()
    data["__bad"] = target
    grouped = data.groupby(cols, dropna=dropna, sort=True, observed=True)["__bad"]
    out = grouped.agg(count="size", bads="sum").reset_index()
    out["count"] = out["count"].astype(np.int64)
    out["bads"] = out["bads"].astype(np.int64)
    total = int(out["count"].sum())
    out.insert(len(cols) + 1, "share", out["count"] / total if total else np.nan)
    out["goods"] = out["count"] - out["bads"]
    out["bad_rate"] = out["bads"] / out["count"]
    return out.reset_index(drop=True)
