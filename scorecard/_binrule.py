"""The bin rule: which bin a value falls into, written once for every engine.

Every engine that puts a value into a bin reads this module: the binner's
transform (:meth:`scorecard.binning._FeatureBins.assign`), the fit-time count
tables (numpy, DuckDB, Spark: :mod:`scorecard.counts`), the exported scorer's
scalar, NumPy and Arrow paths (:mod:`scorecard.export`), the compiled kernels
(:mod:`scorecard._kernels`, whose tables come from :class:`BinRule`), the SQL
``CASE`` of DuckDB and Spark (:meth:`BinRule.case_sql`), and the challenger's
encoder. Nothing here imports the rest of scorecard except its errors.

Rule order
----------
A value is tested, in this order (:data:`ORDER`):

1. **missing**: ``None``, ``NaN``, ``pd.NA`` (and numeric text ``"nan"``)
   -> the missing bin;
2. **special code**: equal to a declared special code -> that code's bin
   (the first declared wins); codes are tested *before* infinity, so ``inf``
   declared as a special code goes to its special bin;
3. **+-inf** (numeric features) -> no bin: the fallback bin;
4. **regular**: a numeric value's bin is the number of splits ``<= x``
   (bins ``[s_{i-1}, s_i)``); a category's bin is the group holding its key;
5. **fallback**: a value with no bin (an unseen category, ``+-inf``), or whose
   bin had no training rows (an empty missing / special / manual bin), goes
   to the feature's fallback bin (:func:`fallback_bin`) and is counted.

Reading values (the dtype contract)
-----------------------------------
Numeric features read every value as a float64 (:func:`as_number`,
:func:`numeric_values`):

- numbers of any dtype (NumPy ints, floats, float32, pandas nullable
  ``Int64`` / ``Float64``, Arrow numbers, numbers in object columns as JSON
  delivers them) are converted exactly to float64; ``-0.0`` equals ``0.0``;
- booleans (``bool``, nullable ``boolean``, Arrow ``bool``) read as 1.0 / 0.0;
- text is a number when it matches :data:`NUMBER_TEXT` (spaces around,
  optional sign, digits with an optional point and exponent, or ``inf`` /
  ``infinity`` / ``nan`` in any case): ``'2.0'``, ``' 2 '``, ``'1e3'``;
- anything else (other text, dates, objects) is refused with
  :class:`~scorecard.errors.UnsupportedValueError` naming the column (values
  masked). The SQL engines refuse the same rows with an SQL error whose
  message starts with ``UnsupportedValueError`` (``error()`` in DuckDB,
  ``raise_error()`` in Spark); they read text with their own cast, which
  also accepts a few spellings this grammar does not (DuckDB ``'1_000'``).

Categorical features compare *keys* (:func:`value_key`), read per value:

- a number's key is :func:`number_key`: integral values print as integers
  (``2``, ``2.0``, ``np.int8(2)`` -> ``"2"``), others by ``repr``;
- a boolean's key is ``"True"`` / ``"False"``;
- text is its own key, except in features whose training values were
  numbers (``value_type="number"``: text matching :data:`NUMBER_TEXT` reads as
  that number, so ``'2.0'`` -> ``"2"``) or booleans (``value_type="bool"``:
  ``True``, ``1``, ``1.0``, ``'1'``, ``'true'`` (any case, spaces around) read
  as ``"True"``; ``False``, ``0``, ``'0'``, ``'false'`` as ``"False"``);
- special codes take the key of the code itself (:func:`code_key`).

Special codes are stored JSON-safe (:func:`json_code`): ``inf`` as the text
``"inf"`` (``"-inf"``), which numeric features read back as the number.

Example
-------
>>> rule = BinRule("x", "numeric", splits=[0.0, 10.0], specials=["inf", -999], counts=[5, 5, 5, 2, 0, 3])
>>> [rule.index(v) for v in [-1, 0.0, -0.0, 10, float("inf"), None, "7"]]
[(0, False), (1, False), (1, False), (2, False), (3, False), (5, False), (1, False)]
>>> rule.index(float("-inf")), rule.index(-999)  # no bin, an empty bin: the fallback (here the last non-empty bin)
((5, True), (5, True))
"""

from __future__ import annotations

import bisect
import math
import numbers
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from scorecard.errors import UnsupportedValueError, preview

__all__ = [
    "ORDER",
    "NUMBER_TEXT",
    "BinRule",
    "is_missing",
    "parse_number",
    "as_number",
    "number_key",
    "value_key",
    "code_key",
    "json_code",
    "numeric_code",
    "numeric_values",
    "category_codes",
    "value_type_of",
    "fallback_bin",
    "split_numbers",
    "number_class",
    "sql_classes",
    "sql_number",
    "sql_literal",
]

ORDER = ("missing", "special", "infinite", "regular", "fallback")
"""The order in which a value is tested (see the module notes)."""

NUMBER_TEXT = re.compile(r" *[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan) *", re.IGNORECASE)
"""Text that reads as a number (matched whole)."""

_N_COMPARE = 16  # up to this many splits, bin by summing comparisons (faster than searchsorted)
_TRUE, _FALSE = "True", "False"
_BIG = 1 << 1000  # integers inside this range convert to float without overflow


# --------------------------------------------------------------------------- #
# scalar reading
# --------------------------------------------------------------------------- #
def is_missing(v: Any) -> bool:
    """True for ``None``, ``pd.NA``, ``pd.NaT`` and float NaN."""
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, (float, np.floating)) and v != v


def parse_number(text: str) -> float | None:
    """The number a text spells (:data:`NUMBER_TEXT`), or None.

    Examples
    --------
    >>> parse_number(" 2 "), parse_number("1e3"), parse_number("-inf"), parse_number("2 apples")
    (2.0, 1000.0, -inf, None)
    """
    if NUMBER_TEXT.fullmatch(text) is None:
        return None
    return float(text.strip(" "))


def as_number(v: Any) -> float | None:
    """A value read as a float64 (NaN for missing), or None when it is not a number.

    Examples
    --------
    >>> as_number(True), as_number(np.float32(0.5)), as_number("2.0"), as_number(None), as_number("x")
    (1.0, 0.5, 2.0, nan, None)
    """
    if is_missing(v):
        return math.nan
    if isinstance(v, (bool, np.bool_)):
        return 1.0 if v else 0.0
    if isinstance(v, (numbers.Real, np.integer, np.floating)):
        return _float(v)
    if isinstance(v, str):
        return parse_number(v)
    return None


def _float(v: Any) -> float:
    """``float(v)``; an integer beyond the doubles reads as ``+-inf`` (no bin), as SQL engines read it."""
    try:
        return float(v)
    except OverflowError:
        return math.inf if v > 0 else -math.inf


def number_key(f: float) -> str:
    """The key of a number: integral values as integers, others by ``repr``.

    Examples
    --------
    >>> number_key(2.0), number_key(-0.0), number_key(2.5), number_key(float("inf"))
    ('2', '0', '2.5', 'inf')
    """
    f = float(f)
    return str(int(f)) if f.is_integer() else repr(f)


def value_key(v: Any, value_type: str | None = None) -> str | None:
    """The category key of one value (None: missing), for a feature of ``value_type``.

    Examples
    --------
    >>> value_key(2.0), value_key("2.0"), value_key("2.0", "number"), value_key(1, "bool"), value_key(" TRUE ", "bool")
    ('2', '2.0', '2', 'True', 'True')
    """
    if is_missing(v):
        return None
    if isinstance(v, (bool, np.bool_)):
        return _TRUE if v else _FALSE
    if isinstance(v, (numbers.Real, np.integer, np.floating)):
        f = _float(v)
        if value_type == "bool" and f in (0.0, 1.0):
            return _bool_key(f)
        return number_key(f)
    if isinstance(v, str):
        if value_type == "bool":
            low = v.strip(" ").lower()
            if low in ("true", "false"):
                return _TRUE if low == "true" else _FALSE
        if value_type in ("number", "bool"):
            f = parse_number(v)
            if f is not None:
                if f != f:
                    return None
                return _bool_key(f) if value_type == "bool" and f in (0.0, 1.0) else number_key(f)
        return v
    return str(v)


def _bool_key(f: float) -> str:
    return _TRUE if f == 1.0 else _FALSE


def code_key(code: Any) -> str:
    """The key of a special code or category label (``1`` and ``1.0`` give ``"1"``; ``inf`` gives ``"inf"``).

    Examples
    --------
    >>> code_key(1.0), code_key(2.5), code_key("a"), code_key(7), code_key(float("inf"))
    ('1', '2.5', 'a', '7', 'inf')
    """
    key = value_key(code)
    return "nan" if key is None else key


def json_code(code: Any) -> Any:
    """A special code as stored in a JSON spec: plain numbers, ``inf`` as ``"inf"`` / ``"-inf"``.

    Examples
    --------
    >>> json_code(np.float64("inf")), json_code(np.int64(-999)), json_code("N/A")
    ('inf', -999, 'N/A')
    """
    if isinstance(code, (bool, np.bool_)):
        return bool(code)
    if isinstance(code, (int, np.integer)):
        return int(code)
    if isinstance(code, (float, np.floating)):
        f = float(code)
        if math.isinf(f):
            return "inf" if f > 0 else "-inf"
        return f
    return code


def numeric_code(code: Any) -> float | None:
    """A special code as a number (for numeric features), or None when it is text that is no number.

    Examples
    --------
    >>> numeric_code(-999), numeric_code("inf"), numeric_code("N/A")
    (-999.0, inf, None)
    """
    f = as_number(code)
    return None if f is None or f != f else f


# --------------------------------------------------------------------------- #
# column reading
# --------------------------------------------------------------------------- #
def _is_text_dtype(dtype: Any) -> bool:
    if isinstance(dtype, pd.StringDtype):
        return True
    return isinstance(dtype, pd.ArrowDtype) and pd.api.types.is_string_dtype(dtype)


def numeric_values(series: pd.Series, feature: str, stage: str = "transform") -> np.ndarray:
    """A column read as float64 (NaN = missing) by :func:`as_number`, or UnsupportedValueError.

    Examples
    --------
    >>> numeric_values(pd.Series([1, None, "2.5", True], dtype=object), "x").tolist()
    [1.0, nan, 2.5, 1.0]
    """
    dtype = series.dtype
    if pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    if _is_text_dtype(dtype):  # few distinct texts: read each once
        codes, uniq = pd.factorize(series, use_na_sentinel=True)
        read = [as_number(u) for u in uniq]
        bad = [u for u, f in zip(uniq, read) if f is None]
        if bad:
            _refuse(feature, stage, int(np.isin(codes, [i for i, f in enumerate(read) if f is None]).sum()), bad)
        lut = np.array([*read, math.nan], dtype=np.float64)
        return lut[np.asarray(codes, dtype=np.int64)]
    values = series.to_numpy(dtype=object)
    out = np.empty(len(values), dtype=np.float64)
    bad_rows = []
    for i, v in enumerate(values):
        f = as_number(v)
        if f is None:
            bad_rows.append(i)
            f = math.nan
        out[i] = f
    if bad_rows:
        _refuse(feature, stage, len(bad_rows), [values[i] for i in bad_rows[:3]])
    return out


def _refuse(feature: str, stage: str, n: int, examples: Sequence[Any]) -> None:
    shown = ", ".join(sorted({preview(v) for v in examples})[:3])  # masked: no personal value in a message
    raise UnsupportedValueError(
        f"column {feature!r} is numeric but has {n} non-numeric value(s) at {stage} "
        f"(e.g. {shown}); fix the values or the dtype, or declare the feature categorical"
    )


def value_type_of(series: pd.Series) -> str:
    """How a categorical feature's values compare: ``"bool"``, ``"number"`` or ``"text"`` (from its dtype)."""
    if pd.api.types.is_bool_dtype(series.dtype):
        return "bool"
    if pd.api.types.is_numeric_dtype(series.dtype):
        return "number"
    if series.dtype == object:  # as JSON delivers: numbers (or booleans) in an object column
        present = [v for v in series.to_numpy(dtype=object) if not is_missing(v)]
        if present and all(isinstance(v, (bool, np.bool_)) for v in present):
            return "bool"
        if present and all(isinstance(v, (numbers.Real, np.integer, np.floating)) for v in present):
            return "number"
    return "text"


def category_codes(series: pd.Series, value_type: str | None = None) -> tuple[np.ndarray, list[str | None]]:
    """Codes of a column into its distinct keys (:func:`value_key`); -1 = missing.

    Values sharing a key share a code. A key may be None (text that reads as
    NaN): the caller treats it as missing.

    Examples
    --------
    >>> codes, keys = category_codes(pd.Series([2.0, "2.0", None, "a"], dtype=object), "number")
    >>> codes.tolist(), keys
    ([0, 0, -1, 1], ['2', 'a'])
    """
    dtype = series.dtype
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        x = series.to_numpy(dtype=np.float64, na_value=np.nan)
        codes, uniq = pd.factorize(x + 0.0, use_na_sentinel=True)
        keys = [value_key(float(u), value_type) for u in uniq]
    elif pd.api.types.is_bool_dtype(dtype) or _is_text_dtype(dtype):
        codes, uniq = pd.factorize(series, use_na_sentinel=True)
        keys = [value_key(u, value_type) for u in np.asarray(uniq, dtype=object)]
    else:  # object: key per value (True and 1, or 1 and "1", must not share a hash slot)
        per_row = np.array([value_key(v, value_type) for v in series.to_numpy(dtype=object)], dtype=object)
        codes, uniq = pd.factorize(per_row, use_na_sentinel=True)
        keys = list(uniq)
    codes = np.asarray(codes, dtype=np.int64)
    if len(set(keys)) != len(keys):  # e.g. 1 and "1" in an object column
        first: dict[Any, int] = {}
        lut = np.array([first.setdefault(k, len(first)) for k in keys], dtype=np.int64)
        codes = np.where(codes >= 0, lut[np.maximum(codes, 0)], -1)
        keys = list(first)
    return codes, keys


def fallback_bin(counts: Sequence[float], woe: Sequence[float], policy: str, missing_index: int) -> int:
    """The fallback bin: the missing bin (``policy="missing"``, when it had rows) or the riskiest non-empty bin.

    Examples
    --------
    >>> fallback_bin([3, 4, 0], [0.2, -0.5, 0.0], "riskiest", 2), fallback_bin([3, 4, 2], [0.2, -0.5, 0.1], "missing", 2)
    (1, 2)
    """
    counts = np.asarray(counts, dtype=float)
    if policy == "missing" and counts[missing_index] > 0:
        return int(missing_index)
    nonempty = np.flatnonzero(counts > 0)
    return int(nonempty[np.argmin(np.asarray(woe, dtype=float)[nonempty])])


def split_numbers(
    x: np.ndarray, codes: Sequence[float | None]
) -> tuple[np.ndarray | None, list[np.ndarray | None], np.ndarray | None]:
    """The rule's classes of float64 values, before the regular bins: missing, each special code, +-inf.

    Returns the missing mask, one mask per code (the rows it takes: the
    first code wins; None where it takes none, or for a text code ``None``),
    and the ``+-inf`` rows that no code took. None stands for a mask with no
    row. Used by the transform and by the fit-time count tables.

    Examples
    --------
    >>> m, hits, inf = split_numbers(np.array([1.0, np.nan, np.inf, -np.inf, -999.0]), [-999.0, np.inf])
    >>> m.tolist(), [h.tolist() for h in hits], inf.tolist()
    ([False, True, False, False, False], [[False, False, False, False, True], [False, False, True, False, False]], [False, False, False, True, False])
    """
    with np.errstate(invalid="ignore"):
        finite = math.isfinite(float(np.add.reduce(x)))  # no NaN and no +-inf (one pass tells)
    missing = inf = None
    if not finite:
        m = np.isnan(x)
        missing = m if m.any() else None
        i = np.isinf(x)
        inf = i if i.any() else None
    hits: list[np.ndarray | None] = []
    taken = None
    for c in codes:
        h = None
        if c is not None:
            h = x == c
            if taken is not None:
                h &= ~taken
            if h.any():
                taken = h if taken is None else (taken | h)
            else:
                h = None
        hits.append(h)
    if inf is not None and taken is not None:  # special codes are tested before +-inf
        inf = inf & ~taken
        if not inf.any():
            inf = None
    return missing, hits, inf


def number_class(x: float | None, codes: Sequence[float | None]) -> tuple[str, int]:
    """The rule's class of one number: ("missing" | "special" | "infinite" | "regular", code position or -1).

    Examples
    --------
    >>> number_class(None, []), number_class(float("inf"), [-999.0, float("inf")]), number_class(-0.0, [0.0])
    (('missing', -1), ('special', 1), ('special', 0))
    """
    if x is None or x != x:
        return "missing", -1
    for j, c in enumerate(codes):
        if c is not None and x == c:
            return "special", j
    if x in (math.inf, -math.inf):
        return "infinite", -1
    return "regular", -1


def sql_classes(x: str, codes: Sequence[float | None]) -> dict[str, str]:
    """SQL conditions of the rule's classes of a double expression ``x``: missing, special, infinite, regular.

    Each class excludes the earlier ones (the rule order). Both DuckDB and
    Spark SQL read them (the fit-time count tables).
    """
    lits = ", ".join(sql_literal(c) for c in codes if c is not None)
    missing = f"({x} IS NULL OR isnan({x}))"
    special = f"(NOT {missing} AND {x} IN ({lits}))" if lits else "FALSE"
    infinite = f"(NOT {missing} AND NOT {special} AND abs({x}) = CAST('Infinity' AS DOUBLE))"
    regular = f"({x} IS NOT NULL AND NOT isnan({x}) AND NOT {special} AND abs({x}) != CAST('Infinity' AS DOUBLE))"
    return {"missing": missing, "special": special, "infinite": infinite, "regular": regular}


# --------------------------------------------------------------------------- #
# SQL
# --------------------------------------------------------------------------- #
def sql_literal(v: float) -> str:
    """A double literal both DuckDB and Spark parse to the same double as Python (``inf`` included)."""
    return f"CAST('{float(v)!r}' AS DOUBLE)"


def _sql_text(v: str) -> str:
    return "'" + str(v).replace("'", "''") + "'"


def _sql_error(message: str, dialect: str) -> str:
    fn = "raise_error" if dialect == "spark" else "error"
    return f"{fn}({_sql_text(message)})"


def sql_number(column: str, dialect: str = "duckdb") -> str:
    """The SQL reading of a column as a double (NULL for text that is no number): ``TRY_CAST``."""
    return f"TRY_CAST({column} AS DOUBLE)"


# --------------------------------------------------------------------------- #
# one feature's rule
# --------------------------------------------------------------------------- #
class BinRule:
    """What assigning a bin needs of one feature, and the assignment itself.

    Parameters
    ----------
    name : str
    kind : {"numeric", "categorical"}
    splits : sequence of float
        Numeric: the regular-bin edges, increasing.
    groups : sequence of sequences of keys
        Categorical: the regular bins.
    specials : sequence
        Special codes, one bin each, after the regular bins.
    counts : sequence of float
        Training rows per bin (regular, specials, missing): empty bins score
        as the fallback.
    fallback : int, optional
        The fallback bin (default: the last non-empty bin; the binner passes
        :func:`fallback_bin`).
    value_type : {"number", "text", "bool"}, optional
        Categorical: how values are read (see the module notes).

    Bins are numbered regular, then one per special code, then missing.
    """

    def __init__(
        self,
        name: str,
        kind: str,
        *,
        splits: Sequence[float] = (),
        groups: Sequence[Sequence[str]] = (),
        specials: Sequence[Any] = (),
        counts: Sequence[float],
        fallback: int | None = None,
        value_type: str | None = None,
    ) -> None:
        self.name = name
        self.kind = kind
        self.value_type = value_type
        self.specials = list(specials)
        self.splits = np.asarray(splits, dtype=np.float64)
        self.groups = [list(g) for g in groups]
        self.n_regular = self.splits.size + 1 if kind == "numeric" else len(self.groups)
        self.missing = self.n_regular + len(self.specials)
        self.n_bins = self.missing + 1
        self.empty = np.asarray(counts, dtype=float) == 0
        if self.empty.size != self.n_bins:
            raise ValueError(f"feature {name!r}: {self.n_bins} bins but {self.empty.size} counts")
        self.fallback = int(np.flatnonzero(~self.empty)[-1]) if fallback is None else int(fallback)
        self._empty = self.empty.tolist()  # the scalar path: Python lists are faster to index
        self._split_list = self.splits.tolist()
        self._text = value_type in (None, "text")
        # numeric: the codes as numbers (text codes can never equal a number)
        self.special_values = [numeric_code(c) for c in self.specials] if kind == "numeric" else []
        # categorical: key -> bin; special codes before categories (the rule order), the first code wins
        self.keys: dict[str, int] = {}
        if kind != "numeric":
            for i, grp in enumerate(self.groups):
                for k in grp:
                    self.keys[str(k)] = i
            for j in reversed(range(len(self.specials))):
                self.keys[code_key(self.specials[j])] = self.n_regular + j

    # -- scalar ---------------------------------------------------------------
    def index(self, v: Any) -> tuple[int, bool]:
        """The bin of one value and whether it took the fallback (UnsupportedValueError: not readable)."""
        t = type(v)
        if self.kind == "numeric":
            if t is float:  # the common types first
                x = v
            elif t is int and -_BIG < v < _BIG:
                x = float(v)
            else:
                x = as_number(v)
            if x is None:
                _refuse(self.name, "transform", 1, [v])
            what, j = number_class(x, self.special_values)
            if what == "regular":
                i = bisect.bisect_right(self._split_list, x)
            elif what == "missing":
                i = self.missing
            elif what == "special":
                i = self.n_regular + j
            else:  # +-inf: no bin
                return self.fallback, True
        else:
            key = v if (t is str and self._text) else value_key(v, self.value_type)
            i = self.missing if key is None else self.keys.get(key, -1)
        if i < 0 or self._empty[i]:
            return self.fallback, True
        return i, False

    # -- vectorised -----------------------------------------------------------
    def assign(self, series: pd.Series, stage: str = "transform") -> tuple[np.ndarray, np.ndarray | None]:
        """Bin per row and the rows that took the fallback (None: no row did)."""
        if self.kind == "numeric":
            return self.assign_numbers(numeric_values(series, self.name, stage))
        idx = self._arrow_text_bins(series)
        if idx is None:
            codes, keys = category_codes(series, self.value_type)
            lut = np.array([self.missing] + [self.missing if k is None else self.keys.get(k, -1) for k in keys],
                           dtype=np.int64)
            idx = lut[codes + 1]
        return self._finish(idx, idx < 0)

    def assign_numbers(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """Bins of float64 values (NaN = missing) and the rows that took the fallback (None: none)."""
        splits = self.splits
        if splits.size <= _N_COMPARE and self.n_bins < 256:
            idx = np.zeros(x.size, dtype=np.uint8)  # one byte per row: ~20x cheaper than searchsorted
            for s in splits:
                idx += (x >= s).view(np.uint8)
        else:
            idx = np.searchsorted(splits, x, side="right").astype(np.int64, copy=False)
        missing, hits, unseen = split_numbers(x, self.special_values)
        if missing is not None:
            idx[missing] = self.missing
        for j, hit in enumerate(hits):
            if hit is not None:
                idx[hit] = self.n_regular + j
        return self._finish(idx, unseen)

    def _finish(self, idx: np.ndarray, unseen: np.ndarray | None) -> tuple[np.ndarray, np.ndarray | None]:
        if unseen is not None and not unseen.any():
            unseen = None
        if self.empty.any():  # missing / special bins (or manual bins) without training rows
            hit = self.empty[np.maximum(idx, 0)] if idx.dtype.kind == "i" else self.empty[idx]
            unseen = hit if unseen is None else (unseen | hit)
            if not unseen.any():
                unseen = None
        if unseen is not None:
            idx[unseen] = self.fallback
        return idx, unseen

    def _arrow_text_bins(self, series: pd.Series) -> np.ndarray | None:
        """Bins of a pyarrow text column by one hash lookup of the keys (text features only), or None."""
        if self.value_type not in (None, "text") or not isinstance(series.dtype, pd.StringDtype):
            return None
        if getattr(series.dtype, "storage", None) != "pyarrow":
            return None
        import pyarrow as pa
        import pyarrow.compute as pc

        arr = series.array.__arrow_array__()  # the pyarrow data, no copy
        if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
            return None
        keys = list(self.keys)
        bins = np.array([*self.keys.values(), -1, self.missing], dtype=np.int64)
        pos = pc.index_in(arr, value_set=pa.array(keys, type=arr.type))
        # not found -> len(keys) (no bin), missing -> len(keys) + 1
        pos = pc.if_else(pc.is_null(arr), len(keys) + 1, pc.fill_null(pos, len(keys)))
        return bins[pos.to_numpy()]

    # -- SQL ------------------------------------------------------------------
    def case_sql(self, values: Sequence[str], column: str, dialect: str = "duckdb") -> str:
        """A ``CASE`` expression giving ``values[bin]`` (SQL literals, one per bin) for the column expression.

        Empty bins and values without a bin give ``values[fallback]``; a
        numeric feature's text that is no number raises an SQL error
        starting with ``UnsupportedValueError``.
        """
        vals = [values[self.fallback] if e else v for v, e in zip(values, self.empty)]
        fallback = values[self.fallback]
        parts = ["CASE"]
        if self.kind == "numeric":
            x = sql_number(column, dialect)
            parts.append(f"WHEN {column} IS NULL OR isnan({x}) THEN {vals[self.missing]}")
            msg = f"UnsupportedValueError: column {self.name!r} is numeric but has a value that is not a number"
            parts.append(f"WHEN {x} IS NULL THEN {_sql_error(msg, dialect)}")
            for j, c in enumerate(self.special_values):
                if c is not None:
                    parts.append(f"WHEN {x} = {sql_literal(c)} THEN {vals[self.n_regular + j]}")
            parts.append(f"WHEN abs({x}) = CAST('Infinity' AS DOUBLE) THEN {fallback}")
            for i, s in enumerate(self.splits):
                parts.append(f"WHEN {x} < {sql_literal(s)} THEN {vals[i]}")
            parts.append(f"ELSE {vals[self.n_regular - 1]} END")
            return " ".join(parts)
        vtype = self.value_type or "text"
        if vtype == "text":
            parts.append(f"WHEN {column} IS NULL THEN {vals[self.missing]}")
            cond = lambda key: f"{column} = {_sql_text(key)}"  # noqa: E731
        else:
            text = f"CAST({column} AS STRING)"
            x = f"TRY_CAST({text} AS DOUBLE)"
            low = f"lower(trim({text}))"
            parts.append(f"WHEN {column} IS NULL OR isnan({x}) THEN {vals[self.missing]}")

            def cond(key: str) -> str:
                if vtype == "bool" and key in (_TRUE, _FALSE):
                    word = key.lower()
                    return f"({low} = '{word}' OR {x} = {sql_literal(1.0 if key == _TRUE else 0.0)})"
                f = parse_number(key)
                if f is not None and number_key(f) == key:
                    if vtype == "bool" and f in (0.0, 1.0):
                        return "FALSE"  # 0 and 1 read as booleans, never as this key
                    return f"{x} = {sql_literal(f)}"
                if vtype == "bool" and key.strip(" ").lower() in ("true", "false"):
                    return "FALSE"  # such text reads as a boolean, never as this key
                return f"({x} IS NULL AND {text} = {_sql_text(key)})"

        # key -> bin in the order of the rule: special codes first (the first code wins), then categories
        order = [(code_key(c), self.n_regular + j) for j, c in enumerate(self.specials)]
        order += [(str(k), i) for i, grp in enumerate(self.groups) for k in grp]
        seen = set()
        for key, b in order:
            if key in seen:
                continue
            seen.add(key)
            parts.append(f"WHEN {cond(key)} THEN {vals[b]}")
        parts.append(f"ELSE {fallback} END")
        return " ".join(parts)
