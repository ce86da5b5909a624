"""Count tables: goods and bads per value of a feature, from pandas, DuckDB or Spark.

A feature's :class:`FeatureCounts` is everything :class:`~scorecard.binning.WOEBinner`
needs to bin it: goods and bads per distinct regular value (or per fine bin,
see below), per special code and for missing values, plus the few statistics
the column checks use. It is computed in one pass over the data and is
small, so binning scales with the number of distinct values, not of rows.

Three engines compute the same tables:

- :func:`frame_counts` -- a pandas frame in memory (numpy, one pass per
  column: ``bincount`` for integer values in a modest range, a hash table
  for values that repeat, a histogram of the values' order-preserving keys
  for nearly continuous ones -- sorting only the few key ranges where a
  fine-bin edge falls -- and one sort otherwise; all give the same table);
- :func:`duckdb_counts` -- a DuckDB relation, table or Parquet files
  (``GROUP BY`` in SQL; data larger than memory);
- :func:`spark_counts` -- a Spark DataFrame (one distributed aggregation).

Value-level tables are exact and **mergeable**: the tables of two
partitions (months, files, Spark partitions) add up to the table of their
union (:meth:`FeatureCounts.merge`).

Fine bins
---------
A numeric feature with at most ``max_fine_bins`` distinct regular values
keeps one fine bin per value (exact: pre-binning then sees what it would see
on the raw rows). Above that, consecutive values are grouped into at most
``max_fine_bins`` fine bins at exact quantiles, by one rule on integer counts
that every engine evaluates identically: with values ``v_1 < ... < v_m``,
counts ``c_i``, ``N = sum c_i`` and ``C_i = c_1 + ... + c_{i-1}`` (the rows
below ``v_i``), value ``v_i`` goes to fine bin ``floor(max_fine_bins * C_i / N)``.
A fine bin is then ``[lo, hi]`` (its smallest and largest value), and the
edge between two fine bins is ``hi_left / 2 + lo_right / 2``, the midpoint a
decision tree would use (``lo_right`` itself if that midpoint rounds onto
``hi_left``). Compressed tables are no longer mergeable (merge the
value-level tables first, then compress).

Example
-------
>>> import numpy as np, pandas as pd
>>> X = pd.DataFrame({"age": [25, 25, 40, 61, np.nan], "city": ["a", "b", "a", None, "b"]})
>>> t = frame_counts(X, np.array([1, 0, 0, 1, 1]), {"age": "numeric", "city": "categorical"})
>>> t["age"].values.tolist(), t["age"].good.tolist(), t["age"].bad.tolist(), t["age"].missing_bad
([25.0, 40.0, 61.0], [1.0, 1.0, 0.0], [1.0, 0.0, 1.0], 1.0)
>>> t["city"].values.tolist(), t["city"].bad.tolist()
(['a', 'b'], [1.0, 1.0])
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from scorecard import _binrule as _rule
from scorecard._binrule import code_key
from scorecard.errors import MissingColumnError, TargetError
from scorecard.errors import preview as _preview  # data values in messages are masked

__all__ = [
    "FeatureCounts",
    "numeric_counts",
    "categorical_counts",
    "frame_counts",
    "duckdb_counts",
    "spark_counts",
    "category_key",
    "category_codes",
    "compress",
    "DEFAULT_MAX_FINE_BINS",
]

logger = logging.getLogger(__name__)

DEFAULT_MAX_FINE_BINS = 1024
"""Default ``max_fine_bins``: numeric features with more distinct values are grouped into this many fine bins."""

_FETCH_LIMIT = 1_000_000  # value tables larger than this are compressed inside the engine


# ---------------------------------------------------------------------------
# the table
# ---------------------------------------------------------------------------


#: A categorical column with more than ``max_categories`` distinct values is
#: refused as an identifier (or free text) only when it has at least this many
#: distinct values per non-missing row: near-unique per row. An ordinary
#: high-cardinality column (city, merchant category: hundreds of levels over
#: many rows) is binned, its rare levels pooled (see ``scorecard.binning``).
ID_UNIQUE_SHARE = 0.5


@dataclass
class FeatureCounts:
    """Goods and bads of one feature: per regular value (or fine bin), special code and missing.

    Attributes
    ----------
    name : str
    kind : {"numeric", "categorical"}
    values : ndarray
        Numeric: sorted regular values (float64), or the smallest value of
        each fine bin when compressed. Categorical: the category keys (str),
        sorted.
    good, bad : ndarray of float64
        Counts per entry of ``values``.
    upper : ndarray or None
        Numeric: the largest value of each fine bin (``values`` itself when
        exact). ``None`` for categorical features.
    specials : list
        The special codes, in the order given.
    special_good, special_bad : ndarray of float64
        Counts per special code.
    missing_good, missing_bad : float
        Counts of missing values (NaN / NULL).
    n_inf : int
        Numeric: rows with +-inf (an error at fit).
    n_distinct : int
        Distinct regular values (before compression); -1 when not counted:
        numpy's compressed tables of non-integer values (no check needs
        the number: only integer columns can look like identifiers).
    all_integral : bool
        Numeric: every regular value is an integer.
    min_abs : float
        Numeric: smallest absolute regular value.
    exact : bool
        One entry per distinct value (mergeable), not compressed.
    value_type : {"number", "text", "bool"}
        The column's values (categorical features: how SQL compares them).
    """

    name: str
    kind: str
    values: np.ndarray
    good: np.ndarray
    bad: np.ndarray
    upper: np.ndarray | None = None
    specials: list[Any] = field(default_factory=list)
    special_good: np.ndarray = field(default_factory=lambda: np.zeros(0))
    special_bad: np.ndarray = field(default_factory=lambda: np.zeros(0))
    missing_good: float = 0.0
    missing_bad: float = 0.0
    n_inf: int = 0
    n_distinct: int = 0
    all_integral: bool = True
    min_abs: float = math.inf
    exact: bool = True
    value_type: str = "number"

    def __post_init__(self) -> None:
        self.good = np.asarray(self.good, dtype=np.float64)
        self.bad = np.asarray(self.bad, dtype=np.float64)
        self.special_good = np.asarray(self.special_good, dtype=np.float64)
        self.special_bad = np.asarray(self.special_bad, dtype=np.float64)
        self.missing_good = float(self.missing_good)
        self.missing_bad = float(self.missing_bad)
        if self.kind == "numeric":
            self.values = np.asarray(self.values, dtype=np.float64)
            if self.upper is None:
                self.upper = self.values
        else:
            self.values = np.asarray(self.values, dtype=object)

    # sizes -------------------------------------------------------------------
    @property
    def n_regular(self) -> float:
        """Rows with a regular value."""
        return float(self.good.sum() + self.bad.sum())

    @property
    def n_rows(self) -> float:
        """All rows (regular, special, missing; +-inf excluded)."""
        return self.n_regular + float(self.special_good.sum() + self.special_bad.sum()) + self.missing_good + self.missing_bad

    @property
    def edges(self) -> np.ndarray:
        """Numeric: the edges between consecutive fine bins.

        The midpoint ``hi / 2 + lo / 2`` of the last value of a fine bin and
        the first of the next (a decision tree's threshold), or that next
        value itself when the two are adjacent floats and the midpoint rounds
        down onto ``hi``: bins are ``[edge, next edge)``, so an edge must lie
        in ``(hi, lo]``.
        """
        hi, lo = self.upper[:-1], self.values[1:]
        mid = hi / 2.0 + lo / 2.0
        return np.where(mid > hi, mid, lo)

    # checks ------------------------------------------------------------------
    def problem(self, max_categories: int) -> str | None:
        """Why the column cannot be binned (all missing, constant, ID-like), or None."""
        n = self.n_rows + self.n_inf
        present_special = int(np.count_nonzero(self.special_good + self.special_bad))
        if self.missing_good + self.missing_bad == n:
            return f"is entirely missing (all {int(n)} values are NaN)"
        n_distinct = self.n_distinct if self.n_distinct >= 0 else self.values.size
        n_present = n_distinct + present_special + (1 if self.n_inf else 0)
        if self.kind == "numeric":
            if n_present == 1:
                only = self.values[0] if self.values.size else next(
                    s for s, c in zip(self.specials, self.special_good + self.special_bad) if c > 0
                )
                return f"is constant (every non-missing value is {_fmt(float(only))})"
            n_reg = int(round(self.n_regular))
            if n_reg >= 200 and self.n_distinct == n_reg and self.all_integral and self.min_abs >= 1e6:
                return f"looks like an identifier (all {n_reg} values are distinct large integers)"
            return None
        if n_present == 1:
            only = self.values[0] if self.values.size else next(
                category_key(s) for s, c in zip(self.specials, self.special_good + self.special_bad) if c > 0
            )
            return f"is constant (every non-missing value is {_preview(only)})"
        n_reg = float(self.n_regular)
        if n_present > int(max_categories) and n_present >= ID_UNIQUE_SHARE * n_reg:
            return (
                f"looks like an identifier or free text ({n_present} distinct values in {int(n_reg)} "
                f"non-missing rows: more than max_categories={max_categories} and at least "
                f"{ID_UNIQUE_SHARE:.0%} of the rows)"
            )
        return None

    # merging -------------------------------------------------------------------
    def merge(self, other: FeatureCounts) -> FeatureCounts:
        """The table of the union of two partitions (both must be exact value-level tables).

        Examples
        --------
        >>> a = numeric_counts(np.array([1.0, 2.0]), np.array([0, 1]), name="x")
        >>> b = numeric_counts(np.array([2.0, 3.0]), np.array([1, 1]), name="x")
        >>> m = a.merge(b)
        >>> m.values.tolist(), m.good.tolist(), m.bad.tolist()
        ([1.0, 2.0, 3.0], [1.0, 0.0, 0.0], [0.0, 2.0, 1.0])
        """
        if (self.name, self.kind) != (other.name, other.kind):
            raise ValueError(f"cannot merge the counts of {self.name!r} ({self.kind}) and {other.name!r} ({other.kind})")
        if not (self.exact and other.exact):
            raise ValueError(
                f"feature {self.name!r}: compressed count tables cannot be merged; merge the "
                "value-level tables (max_fine_bins=None) and compress afterwards"
            )
        if [category_key(s) for s in self.specials] != [category_key(s) for s in other.specials]:
            raise ValueError(f"feature {self.name!r}: the two tables have different special codes")
        vals = np.concatenate([self.values, other.values])
        if self.kind == "numeric":
            uniq, inv = np.unique(vals, return_inverse=True)
        else:
            uniq, inv = np.unique(vals.astype(str), return_inverse=True)
            uniq = uniq.astype(object)
        good = np.bincount(inv, weights=np.concatenate([self.good, other.good]), minlength=uniq.size)
        bad = np.bincount(inv, weights=np.concatenate([self.bad, other.bad]), minlength=uniq.size)
        return FeatureCounts(
            name=self.name,
            kind=self.kind,
            values=uniq,
            good=good,
            bad=bad,
            specials=list(self.specials),
            special_good=self.special_good + other.special_good,
            special_bad=self.special_bad + other.special_bad,
            missing_good=self.missing_good + other.missing_good,
            missing_bad=self.missing_bad + other.missing_bad,
            n_inf=self.n_inf + other.n_inf,
            n_distinct=int(uniq.size),
            all_integral=self.all_integral and other.all_integral,
            min_abs=min(self.min_abs, other.min_abs),
            value_type=self.value_type,
        )

    __add__ = merge

    def compressed(self, max_fine_bins: int | None) -> FeatureCounts:
        """This table with at most ``max_fine_bins`` fine bins (see the module notes)."""
        if self.kind != "numeric" or max_fine_bins is None or self.values.size <= max_fine_bins:
            return self
        lo, hi, g, b = compress(self.values, self.upper, self.good, self.bad, int(max_fine_bins))
        return replace(self, values=lo, upper=hi, good=g, bad=b, exact=False)

    def aggregate(self, splits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Numeric: goods and bads per bin ``[s_{i-1}, s_i)`` of the given splits.

        Exact when every fine bin lies inside one bin (always for an exact
        table; for a compressed one when the splits are among its edges).
        """
        splits = np.asarray(splits, dtype=np.float64)
        lo_bin = np.searchsorted(splits, self.values, side="right")
        hi_bin = np.searchsorted(splits, self.upper, side="right")
        if np.any(lo_bin != hi_bin):
            raise ValueError(f"feature {self.name!r}: the splits cut through a fine bin; recount with these edges")
        k = splits.size + 1
        return (
            np.bincount(lo_bin, weights=self.good, minlength=k),
            np.bincount(lo_bin, weights=self.bad, minlength=k),
        )


def compress(
    values: np.ndarray, upper: np.ndarray, good: np.ndarray, bad: np.ndarray, max_fine_bins: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Group a sorted value table into at most ``max_fine_bins`` fine bins at exact quantiles.

    Value ``i`` goes to fine bin ``floor(max_fine_bins * C_i / N)`` (``C_i``
    the rows below it, integer arithmetic): each fine bin starts within
    ``N / max_fine_bins`` rows of its quantile, a value with more rows than
    that closes its fine bin, and the rule gives the same bins in SQL.

    Returns ``lo, hi, good, bad`` per fine bin.

    Examples
    --------
    >>> lo, hi, g, b = compress(np.arange(8.0), np.arange(8.0), np.ones(8), np.zeros(8), 4)
    >>> lo.tolist(), hi.tolist(), g.tolist()
    ([0.0, 2.0, 4.0, 6.0], [1.0, 3.0, 5.0, 7.0], [2.0, 2.0, 2.0, 2.0])
    """
    n = np.rint(good + bad).astype(np.int64)
    below = np.concatenate(([0], np.cumsum(n)[:-1]))
    total = int(n.sum())
    bucket = (np.int64(max_fine_bins) * below) // max(total, 1)
    starts = np.flatnonzero(np.concatenate(([True], bucket[1:] != bucket[:-1])))
    ends = np.concatenate((starts[1:], [values.size])) - 1
    return (
        values[starts],
        upper[ends],
        np.add.reduceat(good, starts),
        np.add.reduceat(bad, starts),
    )


# ---------------------------------------------------------------------------
# category keys
# ---------------------------------------------------------------------------


def category_key(v: Any) -> str:
    """The key of a category label or special code, as every engine compares them (the bin rule's).

    Integral numbers key as integers, booleans as ``"True"`` / ``"False"``, text as itself
    (:func:`scorecard._binrule.code_key`).

    Examples
    --------
    >>> category_key(2.0), category_key("a"), category_key(True)
    ('2', 'a', 'True')
    """
    return code_key(v)


def category_codes(series: pd.Series, value_type: str | None = None) -> tuple[np.ndarray, list[str | None]]:
    """Codes of a categorical column into its distinct keys (-1 = missing), by the bin rule.

    ``value_type`` defaults to the column's own (:func:`scorecard._binrule.value_type_of`);
    see :func:`scorecard._binrule.category_codes`.
    """
    return _rule.category_codes(series, _rule.value_type_of(series) if value_type is None else value_type)


# ---------------------------------------------------------------------------
# numpy engine
# ---------------------------------------------------------------------------


def _runs(sorted_x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values and their counts of a sorted array."""
    n = sorted_x.size
    if n == 0:
        return sorted_x, np.zeros(0, dtype=np.int64)
    flags = np.empty(n, dtype=bool)
    flags[0] = True
    np.not_equal(sorted_x[1:], sorted_x[:-1], out=flags[1:])
    starts = np.flatnonzero(flags)
    return sorted_x[starts], np.diff(np.append(starts, n))


def _value_table(
    x: np.ndarray, is_bad: np.ndarray, integral: bool | None = None, repeats: bool | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Distinct values of finite ``x`` (sorted), goods and bads per value, and whether all are integers.

    Integer values in a modest range: ``bincount``. Values that repeat a lot
    (``repeats``): a hash table (``pandas.factorize``), O(n). Otherwise one
    sort. All three give the same exact table.
    """
    n = x.size
    if n == 0:
        e = np.zeros(0)
        return e, e, e, True
    lo, hi = float(x.min()), float(x.max())
    span = hi - lo
    if integral is None:
        probe = x[:: max(1, n // 4096)]  # a cheap look first: most continuous columns stop here
        integral = bool(np.array_equal(probe, np.floor(probe))) and bool(np.array_equal(x, np.floor(x)))
    if integral and span <= 2 * n + 65536:
        idx = (x - lo).astype(np.int64)
        size = int(span) + 1
        cnt = np.bincount(idx, minlength=size)
        nbad = np.bincount(idx[is_bad], minlength=size)
        nz = np.flatnonzero(cnt)
        return nz.astype(np.float64) + lo, (cnt[nz] - nbad[nz]).astype(np.float64), nbad[nz].astype(np.float64), True
    if repeats:
        codes, uniq = pd.factorize(x + 0.0)  # + 0.0: -0.0 and 0.0 are one value
        cnt = np.bincount(codes, minlength=uniq.size)
        nbad = np.bincount(codes[is_bad], minlength=uniq.size)
        order = np.argsort(uniq, kind="stable")
        return uniq[order], (cnt - nbad)[order].astype(np.float64), nbad[order].astype(np.float64), integral
    values, cnt = _runs(np.sort(x))
    vb, cb = _runs(np.sort(x[is_bad]))
    bad = np.zeros(values.size)
    bad[np.searchsorted(values, vb)] = cb
    return values, cnt - bad, bad, integral


def _ordered_keys(x: np.ndarray) -> np.ndarray:
    """int64 keys in the order of the float64 values (IEEE bits, negatives' magnitude bits flipped)."""
    s = (x + 0.0).view(np.int64)  # + 0.0 turns -0.0 into 0.0: equal values, equal keys
    return s ^ ((s >> 63) & np.int64(0x7FFFFFFFFFFFFFFF))


def _compressed_by_buckets(
    x: np.ndarray, is_bad: np.ndarray, max_fine_bins: int, bits: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The compressed table of :func:`compress` without sorting every value.

    For finite ``x`` with more than ``max_fine_bins`` distinct values. The
    values' order-preserving keys are cut into about ``2**bits`` equal key ranges
    (one pass; on the float scale these adapt to the data's magnitude), whose
    cumulative counts give the exact number of rows below each range. A
    range holds one fine bin's values only, unless a fine-bin threshold rank
    ``ceil(j * N / max_fine_bins)`` falls strictly inside it: only the values
    of those ranges are sorted, to place each at its exact rank. Every value
    then gets the fine bin ``floor(max_fine_bins * C / N)`` of :func:`compress`
    (``C`` the rows below it), so the result is identical.

    Returns ``lo, hi, good, bad`` per fine bin.
    """
    n = x.size
    k = int(max_fine_bins)
    if bits is None:  # about 4 key ranges per row, at most 2**22 (two 32 MB arrays)
        bits = max(12, min(22, int(n).bit_length() + 2))
    keys = _ordered_keys(x)
    kmin = int(keys.min())
    span = int(keys.max()) - kmin
    shift = max(0, span.bit_length() - bits)
    diff = (keys - np.int64(kmin)).view(np.uint64)  # wraps modulo 2**64: the exact non-negative offset
    bucket = (diff >> np.uint64(shift)).astype(np.int64)
    del keys, diff
    nb = (span >> shift) + 1
    cnt = np.bincount(bucket, minlength=nb)
    occ = np.flatnonzero(cnt)  # the occupied key ranges (few): all arithmetic on them only
    c = cnt[occ]
    end = np.cumsum(c)
    start = end - c  # rows below each occupied range
    thresholds = -((-np.arange(1, k, dtype=np.int64) * n) // k)  # ceil(j * n / k)
    where = np.searchsorted(end, thresholds, side="right")
    inside = thresholds > start[where]
    mixed_occ = np.zeros(occ.size, dtype=bool)
    mixed_occ[where[inside]] = True
    lut = np.empty(nb, dtype=np.int64)
    lut[occ] = np.where(mixed_occ, -1, (np.int64(k) * start) // n)
    fine = lut[bucket]  # the fine bin of every row of a range without a threshold strictly inside
    del lut
    if inside.any():
        rows = np.flatnonzero(fine < 0)
        xm = x[rows] + 0.0
        order = np.argsort(xm, kind="stable")
        xs = xm[order]
        rng = np.searchsorted(occ, bucket[rows[order]])  # position among the occupied ranges
        # rows below a value = rows of the ranges before its own + its rank among the sorted rows of
        # its range (ranges do not interleave in value, so the sorted mixed rows come range by range)
        seg = np.concatenate(([0], np.cumsum(c * mixed_occ)))[rng]
        below = start[rng] + (np.searchsorted(xs, xs, side="left") - seg)
        fine[rows[order]] = (np.int64(k) * below) // n
    good_bad = np.bincount(fine, minlength=k)
    bad = np.bincount(fine[is_bad], minlength=k).astype(np.float64)
    present = np.flatnonzero(good_bad)
    lo = np.full(k, np.inf)
    hi = np.full(k, -np.inf)
    np.minimum.at(lo, fine, x)
    np.maximum.at(hi, fine, x)
    return lo[present] + 0.0, hi[present] + 0.0, (good_bad - bad)[present], bad[present]


def numeric_counts(
    x: np.ndarray,
    y: np.ndarray,
    specials: Sequence[Any] = (),
    *,
    name: str = "x",
    max_fine_bins: int | None = None,
) -> FeatureCounts:
    """The count table of a numeric feature from its values and a 0/1 target.

    Parameters
    ----------
    x : ndarray of float64
        The feature; NaN = missing.
    y : ndarray of 0/1
    specials : sequence of numbers
        Special codes (each its own row; never regular values).
    name : str
    max_fine_bins : int, optional
        Compress to at most this many fine bins (see the module notes).

    Examples
    --------
    >>> t = numeric_counts(np.array([1.0, 2, 2, -999, np.nan]), np.array([0, 1, 0, 1, 0]), [-999])
    >>> t.values.tolist(), t.good.tolist(), t.bad.tolist(), t.special_bad.tolist(), t.missing_good
    ([1.0, 2.0], [1.0, 1.0], [0.0, 1.0], [1.0], 1.0)
    """
    x = np.asarray(x, dtype=np.float64)
    is_bad = np.asarray(y).astype(bool, copy=False)
    codes = [_rule.numeric_code(s) for s in specials]
    missing, hits, inf = _rule.split_numbers(x, codes)  # the rule's classes: missing, special codes, +-inf
    miss_bad = float(np.count_nonzero(is_bad[missing])) if missing is not None else 0.0
    miss_good = float(np.count_nonzero(missing)) - miss_bad if missing is not None else 0.0
    sg = np.zeros(len(codes))
    sb = np.zeros(len(codes))
    other = missing
    for j, hit in enumerate(hits):
        if hit is not None:
            sb[j] = np.count_nonzero(is_bad[hit])
            sg[j] = np.count_nonzero(hit) - sb[j]
            other = hit if other is None else (other | hit)
    n_inf = 0 if inf is None else int(np.count_nonzero(inf))
    if inf is not None:
        other = inf if other is None else (other | inf)
    if other is not None:
        xr, br = x[~other], is_bad[~other]
    else:
        xr, br = x, is_bad
    # choose the cheapest exact way from a strided sample of the values
    integral, repeats = None, None
    if xr.size > 4096:
        probe = xr[:: max(1, xr.size // 65536)]
        if not np.array_equal(probe, np.floor(probe)):
            integral = False
            n_probe = np.unique(probe).size
            repeats = n_probe * 4 <= probe.size  # values repeat: hash them
            nearly_continuous = n_probe * 2 >= probe.size
            if nearly_continuous and max_fine_bins is not None and n_probe > max_fine_bins:
                # many distinct non-integer values: compressed without sorting them all (same table)
                lo, hi, good, bad = _compressed_by_buckets(xr, br, max_fine_bins)
                return FeatureCounts(
                    name=name, kind="numeric", values=lo, upper=hi, good=good, bad=bad, specials=list(specials),
                    special_good=sg, special_bad=sb, missing_good=miss_good, missing_bad=miss_bad, n_inf=n_inf,
                    n_distinct=-1, all_integral=False, min_abs=float(np.abs(xr).min()), exact=False,
                )
    values, good, bad, integral = _value_table(xr, br, integral, repeats)
    fc = FeatureCounts(
        name=name,
        kind="numeric",
        values=values,
        good=good,
        bad=bad,
        specials=list(specials),
        special_good=sg,
        special_bad=sb,
        missing_good=miss_good,
        missing_bad=miss_bad,
        n_inf=n_inf,
        n_distinct=int(values.size),
        all_integral=integral,
        min_abs=_min_abs(values),
    )
    return fc.compressed(max_fine_bins)


def _min_abs(sorted_values: np.ndarray) -> float:
    """Smallest absolute value of a sorted array (inf when empty)."""
    if sorted_values.size == 0:
        return math.inf
    i = int(np.searchsorted(sorted_values, 0.0))
    near = sorted_values[max(i - 1, 0) : i + 1]
    return float(np.abs(near).min())


def categorical_counts(series: pd.Series, y: np.ndarray, specials: Sequence[Any] = (), *, name: str = "x") -> FeatureCounts:
    """The count table of a categorical feature (keys as :func:`category_codes` makes them).

    Examples
    --------
    >>> t = categorical_counts(pd.Series(["a", "b", "a", None]), np.array([1, 0, 0, 1]))
    >>> t.values.tolist(), t.good.tolist(), t.bad.tolist(), t.missing_bad
    (['a', 'b'], [1.0, 1.0], [1.0, 0.0], 1.0)
    """
    value_type = _rule.value_type_of(series)
    codes, keys = _rule.category_codes(series, value_type)
    codes = np.where(codes >= 0, codes, -1)
    if any(k is None for k in keys):  # text that reads as NaN: missing
        lut = np.array([-1 if k is None else i for i, k in enumerate(keys)], dtype=np.int64)
        codes = np.where(codes >= 0, lut[np.maximum(codes, 0)], -1)
        keys = ["" if k is None else k for k in keys]
    is_bad = np.asarray(y).astype(bool, copy=False)
    k = len(keys)
    cnt = np.bincount(codes + 1, minlength=k + 1)
    nbad = np.bincount(codes[is_bad] + 1, minlength=k + 1)
    miss_bad, miss_good = float(nbad[0]), float(cnt[0] - nbad[0])
    cnt, nbad = cnt[1:].astype(np.float64), nbad[1:].astype(np.float64)
    return _categorical_from_keys(
        name, keys, cnt - nbad, nbad, specials, miss_good, miss_bad, value_type=value_type
    )


def _categorical_from_keys(
    name: str,
    keys: Sequence[str],
    good: np.ndarray,
    bad: np.ndarray,
    specials: Sequence[Any],
    missing_good: float,
    missing_bad: float,
    value_type: str = "text",
) -> FeatureCounts:
    """Split special codes off a key-level table and sort the rest by key (keys are merged)."""
    keys_arr = np.asarray(list(keys), dtype=object).astype(str)
    uniq, inv = np.unique(keys_arr, return_inverse=True) if keys_arr.size else (keys_arr, np.zeros(0, dtype=np.int64))
    good = np.bincount(inv, weights=good, minlength=uniq.size)
    bad = np.bincount(inv, weights=bad, minlength=uniq.size)
    spec_keys = [category_key(s) for s in specials]
    sg = np.zeros(len(spec_keys))
    sb = np.zeros(len(spec_keys))
    keep = np.ones(uniq.size, dtype=bool)
    pos = {k: i for i, k in enumerate(uniq.tolist())}
    for j, sk in enumerate(spec_keys):
        i = pos.get(sk)
        if i is not None:
            sg[j], sb[j] = good[i], bad[i]
            keep[i] = False
    present = (good + bad) > 0
    keep &= present
    return FeatureCounts(
        name=name,
        kind="categorical",
        values=uniq[keep].astype(object),
        good=good[keep],
        bad=bad[keep],
        specials=list(specials),
        special_good=sg,
        special_bad=sb,
        missing_good=missing_good,
        missing_bad=missing_bad,
        n_distinct=int(keep.sum()),
        value_type=value_type,
    )


def frame_counts(
    frame: pd.DataFrame,
    y: np.ndarray,
    kinds: Mapping[str, str],
    specials: Mapping[str, Sequence[Any]] | None = None,
    *,
    max_fine_bins: int | None = DEFAULT_MAX_FINE_BINS,
) -> dict[str, FeatureCounts]:
    """Count tables of the columns of a pandas frame.

    Parameters
    ----------
    frame : DataFrame
    y : array of 0/1
    kinds : mapping column -> "numeric" | "categorical"
    specials : mapping column -> special codes, optional
    max_fine_bins : int or None
        ``None`` keeps exact value-level (mergeable) tables.
    """
    specials = specials or {}
    y = np.asarray(y)
    out = {}
    for f, kind in kinds.items():
        if kind == "numeric":
            x = numeric_column(frame[f], f)
            out[f] = numeric_counts(x, y, specials.get(f, ()), name=f, max_fine_bins=max_fine_bins)
        else:
            out[f] = categorical_counts(frame[f], y, specials.get(f, ()), name=f)
    return out


def numeric_column(series: pd.Series, feature: str, stage: str = "fit") -> np.ndarray:
    """The column as float64 (NaN = missing), by the bin rule (:func:`scorecard._binrule.numeric_values`)."""
    return _rule.numeric_values(series, feature, stage)


# ---------------------------------------------------------------------------
# SQL engines (DuckDB, Spark)
# ---------------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _target_from_values(
    values: Sequence[Any], counts: Sequence[int], target: str, bad_value: Any, good_value: Any = None
) -> list[Any]:
    """Check the distinct values of a target column (as check_target does) and return the bad values.

    With ``bad_value`` the column may hold one other value, or more when
    ``good_value`` names the good one (then nothing else); ``good_value``
    alone makes every other value bad, under the same rule.
    """
    pairs = list(zip(values, counts))
    n_null = sum(c for v, c in pairs if v is None or (isinstance(v, float) and math.isnan(v)))
    if n_null:
        raise TargetError(f"target {target!r} has {n_null} missing values: drop those rows or label them before fitting")
    vals = [v for v, _ in pairs]
    if bad_value is not None or good_value is not None:
        return _named_bad_values(vals, target, bad_value, good_value)
    try:
        as_float = {float(v) for v in vals}
    except (TypeError, ValueError):
        as_float = None
    if as_float is None or not as_float <= {0.0, 1.0}:
        raise TargetError(
            f"target {target!r} must be 0 (good) / 1 (bad); found values {', '.join(_preview(v) for v in sorted(map(str, vals))[:10])}. "
            "Name the bad value with bad_value=..., e.g. bad_value='bad'"
        )
    if len(as_float) < 2:
        raise TargetError(f"target {target!r} has one class ({sorted(map(str, vals))}); both 0 and 1 are needed")
    return [v for v in vals if float(v) == 1.0]


@dataclass
class SqlSource:
    """A table that an SQL engine can scan: its column names and kinds, and how to query it."""

    engine: str  # "duckdb" | "spark"
    columns: list[str]
    numeric: dict[str, bool]
    run: Callable[[str], list[tuple]] = field(repr=False)
    from_sql: str = ""  # the FROM clause (DuckDB)
    frame: Any = field(default=None, repr=False)  # the Spark DataFrame


def duckdb_source(data: Any, connection: Any = None) -> SqlSource:
    """A DuckDB source from a relation, or a Parquet path / directory / glob / list of paths.

    Statements on a relation run on the relation's own connection (so its
    settings, e.g. ``memory_limit``, and the tables it reads apply), with the
    relation bound to the name ``_scorecard_src``. Paths are read with
    ``read_parquet`` on ``connection`` (default: a new in-memory database).
    """
    import duckdb

    if isinstance(data, duckdb.DuckDBPyRelation):
        rel = data
        view = "_scorecard_src"

        def execute(sql: str) -> Any:
            return rel.query(view, sql)

        from_sql = view
        types = dict(zip(rel.columns, [str(t) for t in rel.types]))
    else:
        con = connection if connection is not None else duckdb.connect()
        if isinstance(data, (list, tuple)):
            paths = "[" + ", ".join("'" + os.fspath(p).replace("'", "''") + "'" for p in data) + "]"
            from_sql = f"read_parquet({paths})"
        else:
            p = os.fspath(data)
            if os.path.isdir(p):
                p = os.path.join(p, "**", "*.parquet")
            from_sql = "read_parquet('" + p.replace("'", "''") + "')"

        def execute(sql: str) -> Any:
            return con.execute(sql)

        rel = con.sql(f"SELECT * FROM {from_sql} LIMIT 0")
        types = dict(zip(rel.columns, [str(t) for t in rel.types]))
    numeric_types = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                     "UBIGINT", "FLOAT", "DOUBLE", "REAL")
    numeric = {c: (t.upper() in numeric_types or t.upper().startswith("DECIMAL")) for c, t in types.items()}

    def run(sql: str) -> list[tuple]:
        return execute(sql).fetchall()

    src = SqlSource("duckdb", list(types), numeric, run, from_sql=from_sql)
    src.execute = execute  # type: ignore[attr-defined]
    return src


def _sql_value_tables_duckdb(
    src: SqlSource,
    target: str,
    bad_values: list[Any],
    kinds: Mapping[str, str],
    specials: Mapping[str, Sequence[Any]],
    max_fine_bins: int | None,
    progress: Any = None,
) -> dict[str, FeatureCounts]:
    execute = src.execute  # type: ignore[attr-defined]
    ybad = _bad_expr(target, bad_values)
    out = {}
    for i, (f, kind) in enumerate(kinds.items()):
        q = _quote(f)
        if kind == "numeric":
            codes = [_rule.numeric_code(s) for s in specials.get(f, ())]  # None: a text code, never a number
            xd = f"CAST({q} AS DOUBLE)"
            # the value table of the feature: one scan of its column, kept by DuckDB (spilled if large)
            table = f"_scorecard_values_{os.getpid()}_{i}"
            execute(
                f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {xd} AS x, count(*) AS n, "
                f"sum({ybad}) AS nbad FROM {src.from_sql} GROUP BY ALL"
            )

            def query(sql: str, arrays: bool = False, t: str = table) -> Any:
                cur = execute(sql.replace("{t}", t))
                return cur.fetchnumpy() if arrays else cur.fetchall()

            try:
                out[f] = _numeric_from_value_table(f, codes, specials.get(f, ()), query, max_fine_bins, "duckdb")
            finally:
                execute(f"DROP TABLE IF EXISTS {table}")
        else:
            rows = execute(
                f"SELECT {q} AS x, count(*) AS n, sum({ybad}) AS nbad FROM {src.from_sql} GROUP BY ALL"
            ).fetchall()
            out[f] = _categorical_from_rows(f, rows, specials.get(f, ()), src.numeric.get(f, False))
        if progress is not None:
            progress.update(1)
    return out


def _bad_expr(target: str, bad_values: list[Any]) -> str:
    q = _quote(target)
    lits = []
    for v in bad_values:
        if isinstance(v, str):
            lits.append("'" + v.replace("'", "''") + "'")
        elif isinstance(v, (bool, np.bool_)):
            lits.append("TRUE" if v else "FALSE")
        else:
            lits.append(repr(float(v)) if isinstance(v, float) else str(v))
    return f"CAST({q} IN ({', '.join(lits)}) AS BIGINT)"


def _numeric_from_value_table(
    f: str,
    codes: list[float],
    specials: Sequence[Any],
    query: Callable[..., Any],
    max_fine_bins: int | None,
    dialect: str,
) -> FeatureCounts:
    """A numeric FeatureCounts from an engine-side value table ``{t}(x, n, nbad)``.

    ``query(sql)`` runs SQL with ``{t}`` standing for the table and returns
    rows; ``query(sql, arrays=True)`` returns a dict of numpy columns.
    """
    cls = _rule.sql_classes("x", codes)  # the rule's classes of a row: missing, special, infinite, regular
    regular = cls["regular"]
    # missing, specials, inf and the statistics of the regular values
    side = query(
        "SELECT "
        f"sum(CASE WHEN {cls['missing']} THEN n - nbad ELSE 0 END), "
        f"sum(CASE WHEN {cls['missing']} THEN nbad ELSE 0 END), "
        f"sum(CASE WHEN {cls['infinite']} THEN n ELSE 0 END), "
        f"sum(CASE WHEN {regular} THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN {regular} AND x != floor(x) THEN 1 ELSE 0 END), "
        f"min(CASE WHEN {regular} THEN abs(x) END) "
        "FROM {t}"
    )[0]
    miss_good, miss_bad, n_inf, m, n_frac, min_abs = [0 if v is None else v for v in side]
    sg = np.zeros(len(codes))
    sb = np.zeros(len(codes))
    if cls["special"] != "FALSE":
        for x, n, nbad in query(f"SELECT x, n, nbad FROM {{t}} WHERE {cls['special']}"):
            _, j = _rule.number_class(float(x), codes)
            sg[j] += n - nbad
            sb[j] += nbad
    m = int(m)
    if max_fine_bins is None or m <= max(_FETCH_LIMIT, max_fine_bins):
        cols = query(f"SELECT x, n - nbad AS good, nbad FROM {{t}} WHERE {regular} ORDER BY x", arrays=True)
        values, good, bad = (np.asarray(cols[c], dtype=np.float64) for c in ("x", "good", "nbad"))
        upper, exact = None, True
    else:  # compress inside the engine: the same integer rule as compress()
        logger.debug("feature %r: %d distinct values, fine bins computed in %s", f, m, dialect)
        div = "//" if dialect == "duckdb" else "div"
        cols = query(
            "WITH r AS (SELECT x, n, nbad FROM {t} WHERE " + regular + "), "
            "c AS (SELECT x, n, nbad, coalesce(sum(n) OVER (ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING "
            "AND 1 PRECEDING), 0) AS below, sum(n) OVER () AS total FROM r) "
            "SELECT min(x) AS lo, max(x) AS hi, sum(n - nbad) AS good, sum(nbad) AS nbad FROM c "
            f"GROUP BY ({int(max_fine_bins)} * below) {div} total ORDER BY 1",
            arrays=True,
        )
        values, upper, good, bad = (np.asarray(cols[c], dtype=np.float64) for c in ("lo", "hi", "good", "nbad"))
        exact = False
    fc = FeatureCounts(
        name=f,
        kind="numeric",
        values=values,
        upper=upper,
        good=good,
        bad=bad,
        specials=list(specials),
        special_good=sg,
        special_bad=sb,
        missing_good=float(miss_good),
        missing_bad=float(miss_bad),
        n_inf=int(n_inf),
        n_distinct=m,
        all_integral=int(n_frac) == 0,
        min_abs=float(min_abs) if m else math.inf,
        exact=exact,
    )
    return fc.compressed(max_fine_bins)


def _categorical_from_rows(
    f: str, rows: list[tuple], specials: Sequence[Any], numeric: bool, is_bool: bool = False
) -> FeatureCounts:
    miss_good = miss_bad = 0.0
    keys, good, bad = [], [], []
    is_bool = is_bool or any(isinstance(r[0], (bool, np.bool_)) for r in rows)
    value_type = "bool" if is_bool else ("number" if numeric else "text")
    for x, n, nbad in rows:
        if x is None or (isinstance(x, float) and math.isnan(x)):
            miss_good += n - nbad
            miss_bad += nbad
            continue
        key = _rule.value_key(x, value_type)
        if key is None:  # text that reads as NaN
            miss_good += n - nbad
            miss_bad += nbad
            continue
        keys.append(key)
        good.append(n - nbad)
        bad.append(nbad)
    return _categorical_from_keys(
        f, keys, np.asarray(good, dtype=np.float64), np.asarray(bad, dtype=np.float64), specials, miss_good, miss_bad,
        value_type=value_type,
    )


def _check_columns(src: SqlSource, target: str, features: Sequence[str] | None) -> list[str]:
    if target not in src.columns:
        raise MissingColumnError(f"target column {target!r} is missing; the data has {src.columns[:10]}...")
    feats = [c for c in src.columns if c != target] if features is None else list(features)
    absent = [c for c in feats if c not in src.columns]
    if absent:
        raise MissingColumnError(f"columns {absent} are missing from the data; it has {src.columns[:10]}...")
    return feats


def duckdb_counts(
    data: Any,
    target: str,
    kinds: Mapping[str, str],
    specials: Mapping[str, Sequence[Any]] | None = None,
    *,
    bad_value: Any = None,
    good_value: Any = None,
    max_fine_bins: int | None = DEFAULT_MAX_FINE_BINS,
    connection: Any = None,
) -> dict[str, FeatureCounts]:
    """Count tables computed by DuckDB (SQL ``GROUP BY``; data larger than memory).

    Parameters
    ----------
    data : DuckDB relation, table, or Parquet path / directory / glob / list
    target : str
        The target column (1 = bad, or ``bad_value``).
    kinds : mapping column -> "numeric" | "categorical"
    specials : mapping column -> special codes
    bad_value, good_value : optional
        The target's bad value, and its good value (needed when the column
        holds more than two values; any other value is then an error).
    max_fine_bins : int or None
    connection : duckdb connection, optional
        Settings such as ``memory_limit`` and ``threads`` apply.
    """
    src = duckdb_source(data, connection)
    _check_columns(src, target, list(kinds))
    bad_values = target_bad_values(src, target, bad_value, good_value)
    return _sql_value_tables_duckdb(src, target, bad_values, kinds, specials or {}, max_fine_bins)


def _named_bad_values(vals: list[Any], target: str, bad_value: Any, good_value: Any) -> list[Any]:
    shown = ', '.join(_preview(v) for v in sorted(map(str, vals))[:10])  # masked
    for which, named in (("bad_value", bad_value), ("good_value", good_value)):
        if named is not None and not any(v == named for v in vals):
            raise TargetError(
                f"target {target!r} has no row equal to {which}={_preview(named)}: it has one class; values seen: {shown}"
            )
    if bad_value is not None and good_value is not None:
        if bad_value == good_value:
            raise TargetError(f"bad_value and good_value are both {_preview(bad_value)}: name two different values")
        other = [v for v in vals if v != bad_value and v != good_value]
        if other:
            raise TargetError(
                f"target {target!r} has values that are neither bad_value={_preview(bad_value)} nor "
                f"good_value={_preview(good_value)} (values seen: {shown}); drop or relabel them"
            )
    elif len(vals) > 2:
        named = f"bad_value={_preview(bad_value)}" if bad_value is not None else f"good_value={_preview(good_value)}"
        raise TargetError(
            f"target {target!r} holds {len(vals)} distinct values {shown} but only {named} is named: "
            f"name the other class too ({'good_value' if bad_value is not None else 'bad_value'}=...)"
        )
    if bad_value is not None:
        return [v for v in vals if v == bad_value]
    return [v for v in vals if v != good_value]


def target_bad_values(src: SqlSource, target: str, bad_value: Any, good_value: Any = None) -> list[Any]:
    """Check the target column in the engine and return its values that mean bad."""
    q = _quote(target)
    if src.engine == "duckdb":
        rows = src.run(f"SELECT {q}, count(*) FROM {src.from_sql} GROUP BY ALL LIMIT 1000")
    else:
        from pyspark.sql import functions as F

        rows = [tuple(r) for r in src.frame.groupBy(F.col(_spark_col(target))).count().limit(1000).collect()]
    return _target_from_values([r[0] for r in rows], [r[1] for r in rows], target, bad_value, good_value)


def spark_counts(
    df: Any,
    target: str,
    kinds: Mapping[str, str],
    specials: Mapping[str, Sequence[Any]] | None = None,
    *,
    bad_value: Any = None,
    good_value: Any = None,
    max_fine_bins: int | None = DEFAULT_MAX_FINE_BINS,
) -> dict[str, FeatureCounts]:
    """Count tables computed by Spark: one distributed aggregation for all features.

    Every row is exploded into one (feature, value) pair per feature, then
    grouped by (feature, value) -- partial counts per partition, merged in
    the shuffle. Numeric value tables larger than ``max_fine_bins`` are
    compressed in Spark with the same integer rule (a window per feature),
    so the driver receives at most ``max_fine_bins`` rows per feature.
    """
    src = spark_source(df)
    _check_columns(src, target, list(kinds))
    bad_values = target_bad_values(src, target, bad_value, good_value)
    return _spark_value_tables(src, target, bad_values, kinds, specials or {}, max_fine_bins)


def spark_source(df: Any) -> SqlSource:
    """A source over a Spark DataFrame."""
    from pyspark.sql import types as T

    numeric = {
        f.name: isinstance(f.dataType, (T.ByteType, T.ShortType, T.IntegerType, T.LongType, T.FloatType, T.DoubleType, T.DecimalType))
        for f in df.schema.fields
    }

    def run(sql: str) -> list[tuple]:
        return [tuple(r) for r in df.sparkSession.sql(sql).collect()]

    return SqlSource("spark", list(df.columns), numeric, run, frame=df)


def _spark_col(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _spark_value_tables(
    src: SqlSource,
    target: str,
    bad_values: list[Any],
    kinds: Mapping[str, str],
    specials: Mapping[str, Sequence[Any]],
    max_fine_bins: int | None,
) -> dict[str, FeatureCounts]:
    """All features' count tables in one Spark job (one shuffle, one collect).

    Rows are exploded into (feature, value) pairs and grouped; the regular
    values of each numeric feature are then ranked in a window partitioned by
    feature (distributed across features) and grouped into fine bins by the
    integer rule of :func:`compress`; missing values, special codes and
    categories come back as they are.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    df = src.frame
    feats = list(kinds)
    if not feats:
        return {}
    ybad = F.col(_spark_col(target)).isin(*bad_values).cast("long")
    structs = []
    for i, f in enumerate(feats):
        c = F.col(_spark_col(f))
        numeric_col = src.numeric.get(f, False)
        if kinds[f] == "numeric":
            xd = c.cast("double")
            codes = [_rule.numeric_code(v) for v in specials.get(f, ())]
            regular = F.expr(_rule.sql_classes(f"CAST({_spark_col(f)} AS DOUBLE)", codes)["regular"])
            xs = F.lit(None).cast("string")
        else:
            xd = c.cast("double") if numeric_col else F.lit(None).cast("double")
            xs = F.lit(None).cast("string") if numeric_col else c.cast("string")
            regular = F.lit(False)
        structs.append(
            F.struct(F.lit(i).alias("f"), xd.alias("xd"), xs.alias("xs"), F.coalesce(regular, F.lit(False)).alias("reg"))
        )
    exploded = df.select(ybad.alias("y"), F.explode(F.array(*structs)).alias("s")).select("y", "s.*")
    vt = exploded.groupBy("f", "reg", "xd", "xs").agg(F.count(F.lit(1)).alias("n"), F.sum("y").alias("nbad"))
    # one window pass over (feature, regular?) partitions: regular numeric values are ranked
    # and grouped by the integer rule; every other value (missing, special, category) keeps
    # a bucket of its own
    w = Window.partitionBy("f", "reg")
    w_ord = w.orderBy("xd", "xs")
    ranked = (
        vt.withColumn("m", F.count(F.lit(1)).over(w))
        # floor only of regular values: +-inf (a special code, or no bin) overflows floor's long in ANSI mode
        .withColumn("n_frac", F.sum(F.when(F.col("reg"), (F.col("xd") != F.floor("xd")).cast("long"))
                                     .otherwise(F.lit(0))).over(w))
        .withColumn("min_abs", F.min(F.abs("xd")).over(w))
        .withColumn("total", F.sum("n").over(w))
        .withColumn("below", F.coalesce(F.sum("n").over(w_ord.rowsBetween(Window.unboundedPreceding, -1)), F.lit(0)))
        .withColumn("rn", (F.row_number().over(w_ord) - 1).cast("long"))
    )
    if max_fine_bins is None:
        bucket = F.col("rn")
    else:
        k = int(max_fine_bins)
        bucket = F.when(F.col("reg") & (F.col("m") > k), F.expr(f"({k} * below) div total")).otherwise(F.col("rn"))
    logger.debug("Spark count tables of %d features in one job", len(feats))
    collected = (
        ranked.withColumn("bucket", bucket)
        .groupBy("f", "reg", "bucket")
        .agg(
            F.min("xd").alias("lo"),
            F.max("xd").alias("hi"),
            F.first("xs").alias("xs"),
            F.sum("n").alias("n"),
            F.sum("nbad").alias("nbad"),
            F.first("m").alias("m"),
            F.first("n_frac").alias("n_frac"),
            F.first("min_abs").alias("min_abs"),
        )
        .collect()
    )
    by_f: dict[int, list] = {i: [] for i in range(len(feats))}
    for r in collected:
        by_f[int(r["f"])].append(r)
    out = {}
    for i, f in enumerate(feats):
        sp = specials.get(f, ())
        rows_f = by_f[i]
        if kinds[f] == "numeric":
            codes = [_rule.numeric_code(v) for v in sp]
            miss_good = miss_bad = 0.0
            n_inf = 0
            sg = np.zeros(len(codes))
            sb = np.zeros(len(codes))
            regular_rows = []
            stats = None
            for r in rows_f:
                if r["reg"]:
                    regular_rows.append((r["lo"], r["hi"], r["n"] - r["nbad"], r["nbad"]))
                    stats = r
                    continue
                x, n, nbad = r["lo"], r["n"], r["nbad"]
                what, j = _rule.number_class(x, codes)  # not regular: missing, a special code or +-inf
                if what == "missing":
                    miss_good += n - nbad
                    miss_bad += nbad
                elif what == "special":
                    sg[j] += n - nbad
                    sb[j] += nbad
                else:
                    n_inf += n
            arr = np.array(sorted(regular_rows), dtype=np.float64).reshape(-1, 4)
            m = int(stats["m"]) if stats is not None else 0
            fc = FeatureCounts(
                name=f,
                kind="numeric",
                values=arr[:, 0],
                upper=arr[:, 1],
                good=arr[:, 2],
                bad=arr[:, 3],
                specials=list(sp),
                special_good=sg,
                special_bad=sb,
                missing_good=miss_good,
                missing_bad=miss_bad,
                n_inf=n_inf,
                n_distinct=m,
                all_integral=(int(stats["n_frac"]) == 0) if stats is not None else True,
                min_abs=float(stats["min_abs"]) if stats is not None else math.inf,
                exact=arr.shape[0] == m,
            )
            out[f] = fc.compressed(max_fine_bins)
        else:
            numeric = src.numeric.get(f, False)
            rows = [((r["lo"] if numeric else r["xs"]), r["n"], r["nbad"]) for r in rows_f]
            is_bool = dict(src.frame.dtypes).get(f) == "boolean"  # read as text: 'true' is the key "True"
            out[f] = _categorical_from_rows(f, rows, sp, numeric, is_bool)
    return out


def _fmt(v: float) -> str:
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f"{v:.10g}"
