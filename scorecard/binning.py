"""WOE binning: the :class:`WOEBinner` transformer and its JSON spec.

Every feature is reduced first to a *count table* (:mod:`scorecard.counts`):
goods and bads per distinct regular value (grouped into at most
``max_fine_bins`` fine bins at exact quantiles when there are more), plus one
row per special code and one for missing values. Everything after that works
on the table, not on raw rows:

1. pre-binning: a best-first classification tree (``prebinning="cart"``,
   optbinning's default, grown on the table exactly as scikit-learn grows it
   on the rows) or quantiles (``"quantile"``) choose up to ``max_n_prebins``
   fine bins;
2. the optimal merge of those pre-bins under the trend, minimum-size and
   maximum-bins constraints: by default our exact dynamic programme
   (``solver="dp"``, :mod:`scorecard._solver`), which reaches optbinning's
   optimum; ``solver="optbinning"`` runs optbinning's CP-SAT model on the same
   pre-bins (the reference, and the path for "convex" / "concave").

Because only the tables depend on the data, the same fit runs on a pandas
frame, on Parquet files or a DuckDB relation (counts by SQL ``GROUP BY``, for
data larger than memory), or on a Spark DataFrame (one distributed
aggregation), with identical bins: pass any of them to :meth:`WOEBinner.fit`
with the target's column name. The resulting bins, counts and WOE live in a
plain, JSON-serialisable spec; scoring needs neither optbinning nor pickle,
and :meth:`WOEBinner.to_sql` writes the WOE mapping as SQL.

Conventions (see ``design.md``)
-------------------------------
- Target: 1 = bad, 0 = good.
- WOE of bin *i*: ``ln(pg_i / pb_i)`` with smoothed shares
  ``pg_i = (good_i + a) / (G + a*m)``, ``pb_i = (bad_i + a) / (B + a*m)``,
  ``a = smoothing`` (default 0.5) added to both counts of each of the ``m``
  non-empty bins. Higher WOE = lower risk, as in optbinning.
- IV = ``sum_i (pg_i - pb_i) * WOE_i`` over the same smoothed shares, so each
  term is >= 0. With ``smoothing=0`` both reduce to the textbook formulas.
- Which bin a value falls into (missing -> special code -> +-inf -> edges /
  categories -> fallback) and how each dtype is read (bool, 0/1, numbers as
  text, nullable and Arrow dtypes, -0.0, float32) is the rule of
  :mod:`scorecard._binrule`, which every engine (this transform, the count
  tables, the exported scorer and its kernels, SQL, the challenger) reads.
- Numeric bins are ``[s_{i-1}, s_i)`` with open outer edges ``-inf``/``+inf``.
- Missing values and each special code have their own bins, with their own
  empirical (smoothed) WOE; they are never merged into a numeric bin.
- Fallback bin: values that have no bin learned from the training data
  (an unseen category, ``+-inf``, missing or a special code when the
  training data had none) take the WOE of the riskiest non-empty bin (lowest
  WOE) by default (``fallback="riskiest"``). They are counted and reported in
  one :class:`~scorecard.errors.FallbackWarning` per ``transform`` call;
  rows are never dropped.
"""

from __future__ import annotations

import json
import logging
import math
import warnings
import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from scorecard import _solver
from scorecard import spec as _spec
from scorecard._binrule import BinRule, code_key, fallback_bin, json_code, numeric_values
from scorecard._validation import as_frame, check_target, fit_input, is_numeric, require_columns, split_target
from scorecard.counts import (
    DEFAULT_MAX_FINE_BINS,
    FeatureCounts,
    categorical_counts,
    numeric_counts,
)
from scorecard.errors import ColumnError, ColumnWarning, DataError, FallbackWarning, SpecError

__all__ = ["WOEBinner", "SPEC_VERSION", "observed_trend"]

logger = logging.getLogger(__name__)

SPEC_VERSION = _spec.SPEC_VERSIONS["scorecard.WOEBinner"]
_TRENDS = ("auto", "auto_asc_desc", "ascending", "descending", "peak", "valley", "convex", "concave", None)
_OUTPUTS = ("woe", "index", "label")
_SOLVERS = ("dp", "optbinning")
_MISSING_LABEL = "Missing"


# ---------------------------------------------------------------------------
# count tables and WOE
# ---------------------------------------------------------------------------


def _woe_iv(good: np.ndarray, bad: np.ndarray, smoothing: float) -> tuple[np.ndarray, np.ndarray]:
    """WOE and IV per bin from counts; empty bins get NaN WOE and IV 0."""
    good = np.asarray(good, dtype=float)
    bad = np.asarray(bad, dtype=float)
    nonempty = (good + bad) > 0
    m = int(nonempty.sum())
    g_tot = good[nonempty].sum() + smoothing * m
    b_tot = bad[nonempty].sum() + smoothing * m
    woe = np.full(good.shape, np.nan)
    iv = np.zeros(good.shape)
    pg = (good[nonempty] + smoothing) / g_tot
    pb = (bad[nonempty] + smoothing) / b_tot
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.log(pg / pb)
    if not np.all(np.isfinite(w)):
        raise DataError(
            "a bin has zero goods or zero bads and smoothing=0 makes its WOE infinite; "
            "use smoothing > 0 (default 0.5)"
        )
    woe[nonempty] = w
    iv[nonempty] = (pg - pb) * w
    return woe, iv


# ---------------------------------------------------------------------------
# fitted state of one feature
# ---------------------------------------------------------------------------


@dataclass
class _FeatureBins:
    """The learned bins of one feature: plain data, JSON round-trippable."""

    name: str
    kind: str  # "numeric" | "categorical"
    splits: list[float] = field(default_factory=list)  # numeric: regular-bin edges
    groups: list[list[str]] = field(default_factory=list)  # categorical: regular bins
    specials: list[Any] = field(default_factory=list)  # special codes, one bin each
    good: list[float] = field(default_factory=list)  # regular + specials + missing
    bad: list[float] = field(default_factory=list)
    trend: str | None = None
    source: str = "optimal"  # "optimal" | "manual"
    smoothing: float = 0.5
    fallback: str = "riskiest"
    value_type: str | None = None  # categorical: "text" | "number" | "bool" (how SQL compares values)
    # derived (not serialised)
    woe: np.ndarray = field(init=False, repr=False)
    iv: np.ndarray = field(init=False, repr=False)
    fallback_index: int = field(init=False)
    rule: BinRule = field(init=False, repr=False)  # how values are assigned (scorecard._binrule)

    def __post_init__(self) -> None:
        self.good = [float(v) for v in self.good]
        self.bad = [float(v) for v in self.bad]
        self.specials = [json_code(s) for s in self.specials]  # inf as "inf": JSON-safe
        self.woe, self.iv = _woe_iv(np.array(self.good), np.array(self.bad), self.smoothing)
        counts = np.array(self.good) + np.array(self.bad)
        self.fallback_index = fallback_bin(counts, self.woe, self.fallback, self.missing_index)
        # empty bins (missing / special codes unseen in training) score as the fallback
        self.woe = np.where(counts > 0, self.woe, self.woe[self.fallback_index])
        self.rule = BinRule(
            self.name, self.kind, splits=self.splits, groups=self.groups, specials=self.specials,
            counts=counts, fallback=self.fallback_index, value_type=self.value_type,
        )

    # layout ---------------------------------------------------------------
    @property
    def n_regular(self) -> int:
        return len(self.splits) + 1 if self.kind == "numeric" else len(self.groups)

    @property
    def missing_index(self) -> int:
        return self.n_regular + len(self.specials)

    @property
    def n_bins(self) -> int:
        return self.missing_index + 1

    def labels(self) -> list[str]:
        if self.kind == "numeric":
            edges = [-math.inf, *self.splits, math.inf]
            regular = [f"[{_fmt(a)}, {_fmt(b)})" for a, b in zip(edges[:-1], edges[1:])]
        else:
            regular = [" | ".join(grp) for grp in self.groups]
        return [*regular, *(f"Special {_fmt(s)}" for s in self.specials), _MISSING_LABEL]

    def kinds(self) -> list[str]:
        return ["regular"] * self.n_regular + ["special"] * len(self.specials) + ["missing"]

    # assignment -----------------------------------------------------------
    def assign(self, series: pd.Series, stage: str = "transform") -> tuple[np.ndarray, int]:
        """Bin index per row, and how many rows went to the fallback bin (:meth:`BinRule.assign`)."""
        idx, fell = self.rule.assign(series, stage)
        return idx, 0 if fell is None else int(np.count_nonzero(fell))

    # table ------------------------------------------------------------------
    def table(self) -> pd.DataFrame:
        good = np.array(self.good)
        bad = np.array(self.bad)
        count = good + bad
        total = count.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(count > 0, bad / count, np.nan)
        df = pd.DataFrame(
            {
                "bin": self.labels(),
                "kind": self.kinds(),
                "count": count.astype(np.int64),
                "count_share": count / total,
                "good": good.astype(np.int64),
                "bad": bad.astype(np.int64),
                "event_rate": rate,
                "woe": self.woe,
                "iv": self.iv,
            }
        )
        totals = pd.DataFrame(
            {
                "bin": ["Totals"],
                "kind": ["total"],
                "count": [int(total)],
                "count_share": [1.0],
                "good": [int(good.sum())],
                "bad": [int(bad.sum())],
                "event_rate": [bad.sum() / total],
                "woe": [np.nan],
                "iv": [self.iv.sum()],
            }
        )
        return pd.concat([df, totals], ignore_index=True)

    # JSON -------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "splits": [float(s) for s in self.splits],
            "groups": [list(map(str, g)) for g in self.groups],
            "specials": [_json_scalar(s) for s in self.specials],
            "good": self.good,
            "bad": self.bad,
            "trend": self.trend,
            "source": self.source,
            "smoothing": float(self.smoothing),
            "fallback": self.fallback,
            **({"value_type": self.value_type} if self.kind == "categorical" and self.value_type else {}),
            # derived, written for readers of the spec (12 significant digits, scorecard.spec);
            # recomputed from the counts and checked on load
            "woe": _spec.canonical_floats(self.woe),
            "iv": _spec.canonical_float(self.iv.sum()),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any], path: str = "feature") -> _FeatureBins:
        """Rebuild from :meth:`to_dict` output, validated first (:class:`scorecard.spec.FeatureBinsSpec`).

        Raises :class:`~scorecard.errors.SpecError` naming ``path`` and the key.
        """
        _spec.check(_spec.FeatureBinsSpec, d, "binning", path)
        try:
            fb = cls(
                name=d["name"],
                kind=d["kind"],
                splits=list(d.get("splits", [])),
                groups=[list(g) for g in d.get("groups", [])],
                specials=list(d.get("specials", [])),
                good=list(d["good"]),
                bad=list(d["bad"]),
                trend=d.get("trend"),
                source=d.get("source", "optimal"),
                smoothing=float(d["smoothing"]),
                fallback=d.get("fallback", "riskiest"),
                value_type=d.get("value_type"),
            )
        except (KeyError, TypeError, ValueError, OverflowError) as exc:
            if isinstance(exc, SpecError):
                raise
            raise SpecError(f"binning spec: {path}: cannot be rebuilt ({type(exc).__name__}: {exc})") from None
        if d.get("woe") is not None and not np.allclose(fb.woe, d["woe"], rtol=1e-10, atol=1e-12):
            raise SpecError(f"binning spec: {path}.woe: does not match the WOE its counts give")
        return fb


def observed_trend(event_rates: Any) -> str:
    """Shape of the bad rate over ordered bins.

    "ascending" / "descending" (monotone, ties allowed), "peak" (rises then
    falls), "valley" (falls then rises), "flat" (one bin or all equal), or
    "none" (changes direction more than once).

    Examples
    --------
    >>> observed_trend([0.1, 0.2, 0.3]), observed_trend([0.1, 0.3, 0.2]), observed_trend([0.2])
    ('ascending', 'peak', 'flat')
    """
    r = np.asarray(event_rates, dtype=float)
    r = r[~np.isnan(r)]
    d = np.sign(np.diff(r))
    d = d[d != 0]
    if d.size == 0:
        return "flat"
    changes = int((np.diff(d) != 0).sum())
    if changes == 0:
        return "ascending" if d[0] > 0 else "descending"
    if changes == 1:
        return "peak" if d[0] > 0 else "valley"
    return "none"


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return f"{v:.10g}"
    return str(v)


_key = code_key


def _json_scalar(v: Any) -> Any:
    if isinstance(v, (np.integer, np.floating)) or (isinstance(v, float) and math.isinf(v)):
        return json_code(v)  # inf as "inf": the spec is strict JSON
    return v


# ---------------------------------------------------------------------------
# the solver step (our dynamic programme, or optbinning, on a count table)
# ---------------------------------------------------------------------------


def _solve_numeric(
    splits: np.ndarray, good: np.ndarray, bad: np.ndarray, params: dict[str, Any]
) -> tuple[np.ndarray, str | None]:
    """Optimal subset of the pre-bin ``splits`` for the pre-bin counts.

    ``params["solver"] == "dp"`` (default): :func:`scorecard._solver.optimal_merge`,
    exact, for every trend but "convex" / "concave". Otherwise optbinning's
    CP-SAT model on a weighted sample of the table (one row per pre-bin and
    class, the counts as ``sample_weight``, the splits as ``user_splits``),
    which gives the same optimum as fitting the raw rows.
    """
    trend = params["monotonic_trend"]
    if splits.size == 0:
        return splits, trend
    if params.get("solver", "dp") == "dp" and trend in _solver.SOLVER_TRENDS:
        r = _solver.optimal_merge(
            good, bad, trend=trend, min_bin_size=params["min_bin_size"], max_n_bins=params["max_n_bins"]
        )
        return np.asarray(splits, dtype=float)[r.keep], r.trend
    from optbinning import OptimalBinning

    k = splits.size + 1
    rep = np.r_[splits[0] - 1.0, splits]  # a value inside each fine bin [s_{i-1}, s_i)
    x = np.r_[rep, rep]
    y = np.r_[np.zeros(k), np.ones(k)]
    w = np.r_[good, bad]
    keep = w > 0
    ob = OptimalBinning(
        dtype="numerical",
        user_splits=splits,
        monotonic_trend=trend,
        min_bin_size=params["min_bin_size"],
        max_n_bins=params["max_n_bins"],
        max_n_prebins=max(params["max_n_prebins"], k),
        min_prebin_size=1e-6,
        time_limit=params["time_limit"],
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ob.fit(x[keep], y[keep], sample_weight=w[keep])
    if ob.status not in ("OPTIMAL", "FEASIBLE"):
        raise DataError(f"optbinning found no feasible binning ({ob.status}) under the constraints")
    return np.asarray(ob.splits, dtype=float), trend


#: With more categories than ``max_n_prebins``, categories holding less than
#: this share of a feature's regular rows are pooled into one unit before the
#: categories are ordered by bad rate and merged (optbinning's ``cat_cutoff``).
RARE_CATEGORY_SHARE = 0.005


def _solve_categorical(
    cats: np.ndarray, good: np.ndarray, bad: np.ndarray, params: dict[str, Any]
) -> list[list[str]]:
    """Optimal grouping of categories for their counts.

    Categories are ordered by bad rate (ties by name) and solved as an ordinal
    numeric feature with an ascending trend, which is how optbinning bins
    categories internally; its categorical pre-binning ignores sample
    weights, so a count table cannot go through it directly. Groups are runs
    of that order, riskiest last.
    """
    if cats.size <= 1:
        return [[str(c) for c in cats]]
    # many levels: pool the rare ones (share below RARE_CATEGORY_SHARE) into one
    # unit, so that their noisy bad rates do not scatter them; the unit keeps
    # its members, which end up in one group of the spec
    units = np.arange(cats.size)
    counts = good + bad
    if cats.size > int(params.get("max_n_prebins") or 20):
        rare = counts < RARE_CATEGORY_SHARE * counts.sum()
        if rare.sum() >= 2:
            units = np.where(rare, -1, units)
    keys, inv = np.unique(units, return_inverse=True)
    u_good = np.bincount(inv, weights=good, minlength=keys.size)
    u_bad = np.bincount(inv, weights=bad, minlength=keys.size)
    u_name = np.array([min(str(c) for c in cats[inv == u]) for u in range(keys.size)], dtype=object)
    if keys.size <= 1:
        return [sorted(str(c) for c in cats)]
    rate = u_bad / np.maximum(u_good + u_bad, 1)
    order = np.lexsort((u_name.astype(str), rate))
    ordinal_splits = np.arange(keys.size - 1, dtype=float) + 0.5
    p = dict(params)
    p["monotonic_trend"] = "ascending" if params["monotonic_trend"] is not None else None
    splits, _ = _solve_numeric(ordinal_splits, u_good[order], u_bad[order], p)
    run = np.empty(keys.size, dtype=np.int64)
    run[order] = np.searchsorted(splits, np.arange(keys.size, dtype=float), side="right")
    return [sorted(str(c) for c in cats[run[inv] == r]) for r in range(splits.size + 1)]


# ---------------------------------------------------------------------------
# the estimator
# ---------------------------------------------------------------------------


class WOEBinner(TransformerMixin, BaseEstimator):
    """Optimal WOE binning of every numeric and categorical feature.

    Parameters
    ----------
    features : list of str, optional
        Columns to bin; default every column of ``X``.
    categorical_features : list of str, optional
        Columns binned as categories; default the non-numeric columns.
    monotonic_trend : str or None, default "auto"
        Trend of the bad rate over the bins of numeric features: "auto"
        (optbinning's heuristic), "auto_asc_desc" (the better of ascending and
        descending), "ascending", "descending", "peak", "valley", "convex",
        "concave" or None (no constraint).
    min_bin_size : float, default 0.05
        Minimum share of the rows in each regular bin, as a share of the
        feature's regular rows (missing values and special codes, which have
        bins of their own, are not counted).
    max_n_bins : int, optional
        Maximum number of regular bins per feature.
    prebinning : {"cart", "quantile"}, default "cart"
        How a numeric feature is cut into fine bins before the optimal merge:
        a classification tree on the feature (optbinning's default; better
        bins) or quantiles (cheaper on very large data). Categories are their
        own fine bins.
    max_n_prebins : int, default 20
        At most this many pre-bins.
    min_prebin_size : float, default 0.05
        Minimum share of the regular rows in a pre-bin (CART pre-binning).
    max_fine_bins : int or None, default 1024
        A numeric feature with more distinct regular values than this is
        first grouped into at most this many fine bins at exact quantiles of
        its values (see :mod:`scorecard.counts`); pre-binning then chooses
        among their edges. With fewer distinct values (or ``None``) every
        value is a fine bin, which is exactly what pre-binning sees on the
        raw rows. Every engine (pandas, DuckDB, Spark) builds the same fine
        bins.
    solver : {"dp", "optbinning"}, default "dp"
        The optimal merge: our exact dynamic programme (fast; the same
        optimum as optbinning, see :func:`scorecard._solver.optimal_merge`
        for tie-breaking), or optbinning's CP-SAT model (the reference). The
        "convex" and "concave" trends always use optbinning.
    special_codes : list or dict, optional
        Values that get a bin of their own (e.g. ``-999`` "no bureau record").
        A list applies to every feature; a dict maps feature -> list.
    feature_params : dict, optional
        Per-feature overrides: ``{"age": {"monotonic_trend": "valley"}}``;
        a ``"splits"`` (numeric) or ``"groups"`` (categorical, a list of lists
        of categories) entry fixes that feature's bins by hand.
    smoothing : float, default 0.5
        Added to the good and bad count of every non-empty bin before WOE.
    fallback : {"riskiest", "missing"}, default "riskiest"
        Bin for values with no bin of their own at transform.
    output : {"woe", "index", "label"}, default "woe"
        What :meth:`transform` returns.
    max_categories : int, default 100
        A text column with more distinct values *and* at least half as many
        distinct values as non-missing rows (near-unique per row,
        :data:`scorecard.counts.ID_UNIQUE_SHARE`) looks like an identifier
        and is flagged (see ``on_invalid``) instead of being binned. Other
        high-cardinality columns are binned: with more than
        ``max_n_prebins`` levels, levels below 0.5 % of the rows
        (:data:`RARE_CATEGORY_SHARE`) are pooled into one unit first, which
        stays together in one group of the spec.
    on_invalid : {"raise", "drop"}, default "raise"
        What to do with an unusable column (all missing, constant, ID-like):
        raise a :class:`~scorecard.errors.ColumnError`, or drop it with a
        warning and record it in ``excluded_``.
    bad_value : optional
        The value of ``y`` meaning bad, when ``y`` is not 0/1.
    good_value : optional
        Value of ``y`` meaning good. Needed with ``bad_value`` when the
        target holds more than two values: every row must then be one of
        the two (a typo such as ``'Bad'`` raises instead of counting as good).
    n_jobs : int, optional
        Features binned in parallel (joblib threads: counting releases the
        GIL and the frame is shared, not copied); default 1, -1 for every
        core.
    time_limit : float, default 100
        Seconds optbinning may spend on one feature (``solver="optbinning"``).
    progress : bool, optional
        A progress bar over features (tqdm.auto): True always, False never,
        None (default) only when the fit runs longer than two seconds.

    Attributes
    ----------
    features_ : list of str
        The binned features, in input order.
    feature_names_in_ : ndarray of str
    n_features_in_ : int
    bins_ : dict of str -> binning
        Per-feature learned bins (internal objects; use :meth:`binning_table`).
    iv_ : pandas.Series
        Information value per feature.
    excluded_ : dict of str -> str
        Columns dropped as unusable, with the reason (``on_invalid="drop"``).

    Examples
    --------
    >>> from scorecard.datasets import load_german_credit
    >>> X, y = load_german_credit()
    >>> binner = WOEBinner().fit(X, y)
    >>> round(float(binner.iv_["status_of_existing_checking_account"]), 3)
    0.659
    >>> binner.transform(X.head(2)).shape
    (2, 20)

    The same fit from Parquet files through DuckDB (or from a DuckDB
    relation, or a Spark DataFrame), naming the target column:

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "german.parquet")
    >>> X.assign(bad=y).to_parquet(path)
    >>> binner_sql = WOEBinner().fit(path, "bad")
    >>> binner_sql.to_json() == binner.to_json()
    True
    """

    def __init__(
        self,
        features: list[str] | None = None,
        categorical_features: list[str] | None = None,
        monotonic_trend: str | None = "auto",
        min_bin_size: float = 0.05,
        max_n_bins: int | None = None,
        prebinning: str = "cart",
        max_n_prebins: int = 20,
        min_prebin_size: float = 0.05,
        special_codes: list[Any] | dict[str, list[Any]] | None = None,
        feature_params: dict[str, dict[str, Any]] | None = None,
        smoothing: float = 0.5,
        fallback: str = "riskiest",
        output: str = "woe",
        max_categories: int = 100,
        on_invalid: str = "raise",
        bad_value: Any = None,
        good_value: Any = None,
        n_jobs: int | None = None,
        time_limit: float = 100,
        progress: bool | None = None,
        max_fine_bins: int | None = DEFAULT_MAX_FINE_BINS,
        solver: str = "dp",
    ) -> None:
        self.features = features
        self.categorical_features = categorical_features
        self.monotonic_trend = monotonic_trend
        self.min_bin_size = min_bin_size
        self.max_n_bins = max_n_bins
        self.prebinning = prebinning
        self.max_n_prebins = max_n_prebins
        self.min_prebin_size = min_prebin_size
        self.special_codes = special_codes
        self.feature_params = feature_params
        self.smoothing = smoothing
        self.fallback = fallback
        self.output = output
        self.max_categories = max_categories
        self.on_invalid = on_invalid
        self.bad_value = bad_value
        self.good_value = good_value
        self.n_jobs = n_jobs
        self.time_limit = time_limit
        self.progress = progress
        self.max_fine_bins = max_fine_bins
        self.solver = solver

    # -- parameters ---------------------------------------------------------
    def _check_params(self) -> None:
        if self.monotonic_trend not in _TRENDS:
            raise ValueError(f"monotonic_trend must be one of {_TRENDS}, got {self.monotonic_trend!r}")
        if not (0 <= float(self.min_bin_size) < 0.5):
            raise ValueError(f"min_bin_size must be in [0, 0.5), got {self.min_bin_size!r}")
        if self.max_n_bins is not None and int(self.max_n_bins) < 1:
            raise ValueError(f"max_n_bins must be >= 1, got {self.max_n_bins!r}")
        if self.prebinning not in ("cart", "quantile"):
            raise ValueError(f"prebinning must be 'cart' or 'quantile', got {self.prebinning!r}")
        if not (0 < float(self.min_prebin_size) < 0.5):
            raise ValueError(f"min_prebin_size must be in (0, 0.5), got {self.min_prebin_size!r}")
        if int(self.max_n_prebins) < 2:
            raise ValueError(f"max_n_prebins must be >= 2, got {self.max_n_prebins!r}")
        if float(self.smoothing) < 0:
            raise ValueError(f"smoothing must be >= 0, got {self.smoothing!r}")
        if self.fallback not in ("riskiest", "missing"):
            raise ValueError(f"fallback must be 'riskiest' or 'missing', got {self.fallback!r}")
        if self.output not in _OUTPUTS:
            raise ValueError(f"output must be one of {_OUTPUTS}, got {self.output!r}")
        if self.on_invalid not in ("raise", "drop"):
            raise ValueError(f"on_invalid must be 'raise' or 'drop', got {self.on_invalid!r}")
        if self.solver not in _SOLVERS:
            raise ValueError(f"solver must be one of {_SOLVERS}, got {self.solver!r}")
        if self.max_fine_bins is not None and (isinstance(self.max_fine_bins, bool) or int(self.max_fine_bins) < 2):
            raise ValueError(f"max_fine_bins must be an integer >= 2 or None, got {self.max_fine_bins!r}")

    def _params_for(self, feature: str) -> dict[str, Any]:
        p = {
            "monotonic_trend": self.monotonic_trend,
            "min_bin_size": float(self.min_bin_size) if self.min_bin_size else None,
            "max_n_bins": self.max_n_bins,
            "max_n_prebins": int(self.max_n_prebins),
            "prebinning": self.prebinning,
            "min_prebin_size": float(self.min_prebin_size),
            "time_limit": self.time_limit,
            "solver": self.solver,
        }
        extra = (self.feature_params or {}).get(feature, {})
        unknown = set(extra) - set(p) - {"splits", "groups", "special_codes"}
        unknown -= {"time_limit", "solver"}
        if unknown:
            raise ValueError(f"feature_params[{feature!r}] has unknown keys {sorted(unknown)}")
        p.update(extra)
        if p["monotonic_trend"] not in _TRENDS:
            raise ValueError(f"feature_params[{feature!r}]: monotonic_trend {p['monotonic_trend']!r} is not one of {_TRENDS}")
        return p

    def _specials_for(self, feature: str) -> list[Any]:
        extra = (self.feature_params or {}).get(feature, {})
        if "special_codes" in extra:
            return list(extra["special_codes"])
        sc = self.special_codes
        if sc is None:
            return []
        if isinstance(sc, dict):
            return list(sc.get(feature, []))
        return list(sc)

    # -- fit ----------------------------------------------------------------
    def fit(self, X: Any, y: Any = None) -> WOEBinner:
        """Learn the optimal bins of every feature.

        Parameters
        ----------
        X : DataFrame, array-like, Parquet path, DuckDB relation or Spark DataFrame
            The training data. A pandas frame or array is binned in memory.
            A Parquet file, directory or glob (``str`` / ``PathLike``, or a
            list of them) and a ``duckdb.DuckDBPyRelation`` are counted by
            DuckDB (SQL ``GROUP BY``; data larger than memory); a
            ``pyspark.sql.DataFrame`` by Spark. Those need ``y`` as the name
            of the target column, and give the same bins as the in-memory
            fit of the same rows.
        y : array-like of shape (n_samples,), or the name of a column of ``X``
            1 = bad, 0 = good (or name ``bad_value`` / ``good_value``). A
            Series is matched to a DataFrame ``X`` by index label: the same
            labels in another order are aligned, other labels raise a
            TargetError (pass ``y.to_numpy()`` to use the order given).

        Returns
        -------
        self
        """
        self._check_params()
        source = _external_kind(X)
        if source is not None:
            return self._fit_external(X, y, source)
        frame, target, features = fit_input(
            self, X, y, features=self.features, bad_value=self.bad_value, good_value=self.good_value
        )
        kinds = self._kinds(features, {f: is_numeric(frame[f]) for f in features})

        def count(f: str, kind: str) -> FeatureCounts:
            return self._feature_counts(frame[f], target, f, kind)

        return self._fit_tables(kinds, count, n_rows=len(frame))

    def fit_counts(self, counts: dict[str, FeatureCounts] | list[FeatureCounts]) -> WOEBinner:
        """Learn the bins from count tables computed elsewhere (see :mod:`scorecard.counts`).

        The tables may come from any engine, or be the merge of the tables of
        several partitions (:meth:`~scorecard.counts.FeatureCounts.merge`);
        the bins are those a fit on the union of the rows would give.
        Features with ``splits`` or ``groups`` in ``feature_params`` need
        exact (value-level) tables.

        Examples
        --------
        >>> from scorecard.counts import frame_counts
        >>> from scorecard.datasets import load_german_credit
        >>> X, y = load_german_credit()
        >>> kinds = {f: "numeric" if X[f].dtype.kind in "if" else "categorical" for f in X}
        >>> half = len(X) // 2
        >>> a = frame_counts(X.iloc[:half], y.to_numpy()[:half], kinds, max_fine_bins=None)
        >>> b = frame_counts(X.iloc[half:], y.to_numpy()[half:], kinds, max_fine_bins=None)
        >>> merged = {f: a[f].merge(b[f]) for f in kinds}
        >>> WOEBinner().fit_counts(merged).to_json() == WOEBinner().fit(X, y).to_json()
        True
        """
        self._check_params()
        tables = {t.name: t for t in counts} if isinstance(counts, (list, tuple)) else dict(counts)
        if not tables:
            raise DataError("no count table given")
        features = list(tables) if self.features is None else list(self.features)
        missing = [f for f in features if f not in tables]
        if missing:
            from scorecard.errors import MissingColumnError

            raise MissingColumnError(f"no count table for the features {missing}")
        self.feature_names_in_ = np.asarray(list(tables), dtype=object)
        self.n_features_in_ = len(tables)
        self._input_columns = list(tables)
        kinds = self._kinds(features, {f: tables[f].kind == "numeric" for f in features})
        for f, kind in kinds.items():
            if kind != tables[f].kind:
                raise ValueError(f"feature {f!r} is {kind} in the binner but its count table is {tables[f].kind}")

        def count(f: str, kind: str) -> FeatureCounts:
            t = tables[f]
            params = self._params_for(f)
            if (t.specials or self._specials_for(f)) and [_key(c) for c in t.specials] != [
                _key(c) for c in self._specials_for(f)
            ]:
                raise ValueError(
                    f"feature {f!r}: the count table has special codes {t.specials} but the binner "
                    f"{self._specials_for(f)}"
                )
            if "splits" in params and not t.exact:
                raise ValueError(f"feature {f!r} has manual splits: it needs an exact (value-level) count table")
            return t if "splits" in params else t.compressed(self.max_fine_bins)

        return self._fit_tables(kinds, count, n_rows=None)

    def _kinds(self, features: list[str], numeric: dict[str, bool]) -> dict[str, str]:
        cats = set(self.categorical_features or [])
        unknown = cats - set(features)
        if unknown:
            raise ValueError(f"categorical_features {sorted(unknown)} are not among the features")
        return {f: "categorical" if (f in cats or not numeric[f]) else "numeric" for f in features}

    def _fit_tables(self, kinds: dict[str, str], count: Any, n_rows: int | None) -> WOEBinner:
        """Count, check and solve every feature (in parallel), then set the fitted attributes."""
        from tqdm.auto import tqdm

        smoothing, fallback = float(self.smoothing), self.fallback
        max_categories = int(self.max_categories)
        params = {f: self._params_for(f) for f in kinds}  # validates feature_params first

        from scorecard.privacy import check_categorical_values

        def job(f: str, kind: str) -> tuple[str, str | None, _FeatureBins | None]:
            table = count(f, kind)
            if kind == "categorical":  # personal data: refused before any bin holds it (IDs: table.problem)
                check_categorical_values(f, table.values)
            if table.n_inf:
                raise DataError(
                    f"column {f!r} has {table.n_inf} infinite values (inf/-inf); "
                    "replace them with NaN or a special code before fitting"
                )
            problem = table.problem(max_categories)
            if problem:
                return f, problem, None
            return f, None, _bins_from_counts(table, params[f], smoothing, fallback)

        items = list(kinds.items())
        n_jobs = self.n_jobs or 1
        bar = tqdm(
            total=len(items),
            desc="binning",
            unit="feature",
            disable=self.progress is False,
            delay=0 if self.progress else 2.0,
        )
        try:
            if n_jobs == 1 or len(items) == 1:
                results = []
                for f, kind in items:
                    results.append(job(f, kind))
                    bar.update(1)
            else:
                from joblib import Parallel, delayed

                results = []
                for r in Parallel(n_jobs=n_jobs, prefer="threads", return_as="generator")(
                    delayed(job)(f, kind) for f, kind in items
                ):
                    results.append(r)
                    bar.update(1)
        finally:
            bar.close()

        self.excluded_: dict[str, str] = {}
        fitted = {}
        for f, problem, fb in results:
            if problem:
                if self.on_invalid == "raise":
                    raise ColumnError(
                        f"column {f!r} {problem}; remove it from the features, or pass "
                        "on_invalid='drop' to drop unusable columns with a warning"
                    )
                self.excluded_[f] = problem
            else:
                fitted[f] = fb
        if self.excluded_:
            warnings.warn(
                "dropped unusable columns: "
                + "; ".join(f"{f!r} {why}" for f, why in self.excluded_.items()),
                ColumnWarning,
                stacklevel=3,
            )
        if not fitted:
            raise ColumnError(
                "no usable feature left to bin: " + "; ".join(f"{f!r} {w}" for f, w in self.excluded_.items())
            )
        self.bins_ = fitted
        self.features_ = list(fitted)
        self.iv_ = pd.Series({f: float(b.iv.sum()) for f, b in self.bins_.items()}, name="iv", dtype=float)
        logger.info(
            "binned %d features%s; %d excluded",
            len(self.features_),
            f" of {n_rows} rows" if n_rows is not None else "",
            len(self.excluded_),
        )
        return self

    def _fit_external(self, X: Any, y: Any, source: str) -> WOEBinner:
        """Fit on data counted by DuckDB (Parquet path, relation) or Spark."""
        from scorecard import counts as _counts

        if not isinstance(y, str):
            raise ValueError(
                f"fitting on a {source} source needs y as the name of its target column "
                f"(e.g. fit(data, 'bad')), got {type(y).__name__}"
            )
        src = _counts.duckdb_source(X) if source == "duckdb" else _counts.spark_source(X)
        columns = [c for c in src.columns if c != y]
        features = _counts._check_columns(src, y, None if self.features is None else list(self.features))
        kinds = self._kinds(features, {f: src.numeric[f] for f in features})
        specials = {f: self._specials_for(f) for f in features}
        fine = {f: (None if "splits" in self._params_for(f) else self.max_fine_bins) for f in features}
        bad_values = _counts.target_bad_values(src, y, self.bad_value, self.good_value)
        tables: dict[str, FeatureCounts] = {}
        from tqdm.auto import tqdm

        with tqdm(
            total=len(kinds), desc=f"counting ({source})", unit="feature",
            disable=self.progress is False or source == "spark", delay=0 if self.progress else 2.0,
        ) as bar:
            for mfb in sorted(set(fine.values()), key=lambda v: -1 if v is None else v):
                sub = {f: k for f, k in kinds.items() if fine[f] == mfb}
                if source == "duckdb":
                    tables.update(_counts._sql_value_tables_duckdb(src, y, bad_values, sub, specials, mfb, progress=bar))
                else:  # one Spark job for all features
                    tables.update(_counts._spark_value_tables(src, y, bad_values, sub, specials, mfb))
        self.feature_names_in_ = np.asarray(columns, dtype=object)
        self.n_features_in_ = len(columns)
        self._input_columns = columns
        return self._fit_tables(kinds, lambda f, kind: tables[f], n_rows=None)

    def _feature_counts(self, col: pd.Series, y: np.ndarray, feature: str, kind: str) -> FeatureCounts:
        """The count table of one in-memory column (exact when the feature has manual splits)."""
        specials = self._specials_for(feature)
        if kind == "numeric":
            exact = "splits" in self._params_for(feature)
            x = numeric_values(col, feature, "fit")
            return numeric_counts(x, y, specials, name=feature, max_fine_bins=None if exact else self.max_fine_bins)
        return categorical_counts(col, y, specials, name=feature)

    # -- manual overrides ---------------------------------------------------
    def refit_feature(self, X: Any, y: Any, feature: str, **params: Any) -> WOEBinner:
        """Refit one feature (with new parameters or fixed bins), keeping the rest.

        ``params`` are the per-feature keys of ``feature_params``:
        ``monotonic_trend``, ``min_bin_size``, ``max_n_bins``, ``max_n_prebins``,
        ``special_codes``, ``splits`` (numeric) or ``groups`` (categorical).
        They are stored in ``feature_params`` so the spec, a refit and a clone
        reproduce the edit.

        Examples
        --------
        >>> from scorecard.datasets import load_german_credit
        >>> X, y = load_german_credit()
        >>> b = WOEBinner().fit(X, y).refit_feature(X, y, "age_in_years", splits=[26, 35])
        >>> b.binning_table("age_in_years")["bin"].tolist()[:3]
        ['[-inf, 26)', '[26, 35)', '[35, inf)']
        """
        check_is_fitted(self, "bins_")
        if feature not in self.bins_:
            raise KeyError(f"feature {feature!r} is not binned; binned features are {self.features_[:10]}")
        if isinstance(y, str) and isinstance(X, pd.DataFrame):
            X, y = split_target(X, y)
        frame = as_frame(X)
        require_columns(frame, [feature])
        target = check_target(
            y,
            bad_value=self.bad_value,
            good_value=self.good_value,
            n_rows=len(frame),
            index=X.index if isinstance(X, pd.DataFrame) else None,
        )
        fp = {k: dict(v) for k, v in (self.feature_params or {}).items()}
        fp.setdefault(feature, {}).update(params)
        if "splits" in params and "groups" in params:
            raise ValueError("give either splits (numeric) or groups (categorical), not both")
        self.feature_params = fp
        kind = self.bins_[feature].kind
        table = self._feature_counts(frame[feature], target, feature, kind)
        self.bins_[feature] = _bins_from_counts(table, self._params_for(feature), float(self.smoothing), self.fallback)
        self.iv_[feature] = float(self.bins_[feature].iv.sum())
        return self

    # -- transform ------------------------------------------------------------
    def transform(self, X: Any, output: str | None = None, *, features: list[str] | None = None) -> np.ndarray:
        """Map every feature to its bin's WOE (or bin index, or label).

        Rows are never dropped. Values without a bin of their own go to the
        fallback bin and are reported in one FallbackWarning naming the
        features.

        Parameters
        ----------
        X : DataFrame or array-like
        output : {"woe", "index", "label"}, optional
            Overrides the ``output`` parameter for this call.
        features : list of str, optional
            Only these binned features, in this order (e.g. the features a
            model uses: scoring then skips the others); ``X`` needs only
            these columns. Default: every binned feature.

        Returns
        -------
        ndarray of shape (n_samples, n_features_out)
            Fortran-ordered (each feature's column is contiguous).
        """
        check_is_fitted(self, "bins_")
        output = output or self.output
        if output not in _OUTPUTS:
            raise ValueError(f"output must be one of {_OUTPUTS}, got {output!r}")
        if features is not None:
            features = list(features)
            unknown = [f for f in features if f not in self.bins_]
            if unknown:
                raise KeyError(f"features {unknown} are not binned; binned features are {self.features_[:10]}")
        frame = self._check_transform_input(X, features)
        n = len(frame)
        dtype = {"woe": float, "index": np.int64, "label": object}[output]
        selected = self.features_ if features is None else features
        out = np.empty((n, len(selected)), dtype=dtype, order="F")  # column writes stay contiguous
        fallbacks: dict[str, int] = {}
        for j, f in enumerate(selected):
            fb = self.bins_[f]
            idx, n_fb = fb.assign(frame[f])
            if n_fb:
                fallbacks[f] = n_fb
            if output == "woe":
                out[:, j] = fb.woe[idx]
            elif output == "index":
                out[:, j] = idx
            else:
                out[:, j] = np.asarray(fb.labels(), dtype=object)[idx]
        if fallbacks:
            warnings.warn(
                f"{sum(fallbacks.values())} values had no bin learned in training and took the "
                f"fallback bin ({self.fallback}): "
                + ", ".join(f"{f!r}: {c}" for f, c in fallbacks.items()),
                FallbackWarning,
                stacklevel=2,
            )
        return out

    def _check_transform_input(self, X: Any, features: list[str] | None = None) -> pd.DataFrame:
        if isinstance(X, pd.DataFrame):
            frame = as_frame(X)
            require_columns(frame, self.features_ if features is None else features)
            return frame
        else:
            arr = np.asarray(X) if not isinstance(X, pd.Series) else X
            if getattr(arr, "ndim", 2) == 2 and arr.shape[1] != self.n_features_in_:
                raise DataError(
                    f"X has {arr.shape[1]} features, but WOEBinner is expecting "
                    f"{self.n_features_in_} features as input"
                )
            frame = as_frame(X, columns=self._input_columns)
        require_columns(frame, self.features_)
        return frame

    def fit_transform(self, X: Any, y: Any = None, **fit_params: Any) -> np.ndarray:
        """Fit, then transform ``X`` (see :meth:`fit` and :meth:`transform`)."""
        if isinstance(y, str) and isinstance(X, pd.DataFrame):
            X, y = split_target(X, y)
        return self.fit(X, y, **fit_params).transform(X)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The binned features' names, in output order."""
        check_is_fitted(self, "bins_")
        return np.asarray(self.features_, dtype=object)

    # -- reporting ------------------------------------------------------------
    def binning_table(self, feature: str) -> pd.DataFrame:
        """The binning table of ``feature``: one row per bin, then ``Totals``.

        Columns: bin, kind (regular / special / missing / total), count,
        count_share, good, bad, event_rate (bad rate), woe, iv.
        """
        check_is_fitted(self, "bins_")
        if feature not in self.bins_:
            raise KeyError(f"feature {feature!r} is not binned; binned features are {self.features_[:10]}")
        return self.bins_[feature].table()

    def summary(self) -> pd.DataFrame:
        """One row per feature: kind, number of bins, trend, IV, sorted by IV."""
        check_is_fitted(self, "bins_")
        rows = [
            {
                "feature": f,
                "kind": b.kind,
                "n_bins": b.n_regular,
                "n_special": len(b.specials),
                "missing_count": int(b.good[b.missing_index] + b.bad[b.missing_index]),
                "trend": b.trend,  # observed shape of the bad rate over the regular bins
                "source": b.source,
                "iv": float(b.iv.sum()),
            }
            for f, b in self.bins_.items()
        ]
        return pd.DataFrame(rows).sort_values(["iv", "feature"], ascending=[False, True]).reset_index(drop=True)

    def plot(self, feature: str, ax: Any = None) -> Any:
        """Bar chart of counts per bin with the bad rate on a second axis.

        Returns the matplotlib Figure (shown inline in JupyterLab).
        """
        from matplotlib.figure import Figure

        t = self.binning_table(feature).iloc[:-1]
        if ax is None:
            fig = Figure(figsize=(max(6, 0.9 * len(t)), 3.6))
            ax = fig.add_subplot(111)
        else:
            fig = ax.figure
        pos = np.arange(len(t))
        ax.bar(pos, t["good"], color="#4c9a6a", label="good")
        ax.bar(pos, t["bad"], bottom=t["good"], color="#c0504d", label="bad")
        ax.set_xticks(pos, t["bin"], rotation=30, ha="right", fontsize=8)
        ax.set_ylabel("count")
        ax2 = ax.twinx()
        ax2.plot(pos, t["event_rate"], "o-", color="black", label="bad rate")
        ax2.set_ylabel("bad rate")
        ax.set_title(f"{feature}  (IV {self.iv_[feature]:.3f})")
        ax.legend(loc="upper left", fontsize=8)
        fig.tight_layout()
        return fig

    def show(self, feature: str) -> BinningReport:
        """A rich display of one feature's binning (table and plot) for JupyterLab."""
        return BinningReport(self, feature)

    # -- JSON spec ------------------------------------------------------------
    def to_json(self, path: str | None = None, *, indent: int | None = 2) -> str:
        """The fitted binner as a JSON spec (no pickle, no optbinning objects).

        Same data and parameters give a byte-identical spec. Written to
        ``path`` when given; always returned.
        """
        check_is_fitted(self, "bins_")
        params = {k: _json_param(v) for k, v in self.get_params(deep=False).items()}
        spec = {
            "spec": "scorecard.WOEBinner",
            "version": SPEC_VERSION,
            "params": params,
            "input_columns": list(self._input_columns),
            "has_feature_names": hasattr(self, "feature_names_in_"),
            "features": [self.bins_[f].to_dict() for f in self.features_],
            "excluded": dict(self.excluded_),
        }
        text = json.dumps(spec, indent=indent, ensure_ascii=False, allow_nan=False)
        if path is not None:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
        return text

    @classmethod
    def from_json(cls, spec: str | dict[str, Any]) -> WOEBinner:
        """Rebuild a fitted binner from :meth:`to_json` output (text, dict or file path)."""
        spec = _spec.load(spec, "scorecard.WOEBinner")
        _spec.check_params(spec["params"], cls._get_param_names(), "binning")
        binner = cls(**spec["params"])
        binner.bins_ = {}
        for i, d in enumerate(spec["features"]):
            fb = _FeatureBins.from_dict(d, f"features[{i}]")
            binner.bins_[fb.name] = fb
        binner.features_ = [d["name"] for d in spec["features"]]
        binner._input_columns = list(spec["input_columns"])
        binner.n_features_in_ = len(binner._input_columns)
        if spec.get("has_feature_names"):
            binner.feature_names_in_ = np.asarray(binner._input_columns, dtype=object)
        binner.excluded_ = dict(spec.get("excluded", {}))
        binner.iv_ = pd.Series({f: float(b.iv.sum()) for f, b in binner.bins_.items()}, name="iv", dtype=float)
        return binner

    def to_sql(
        self,
        table: str,
        *,
        output: str = "woe",
        keep: list[str] | tuple[str, ...] = (),
        dialect: str = "duckdb",
    ) -> str:
        """An SQL ``SELECT`` giving what :meth:`transform` gives, for DuckDB or Spark SQL.

        Parameters
        ----------
        table : str
            Any FROM item: a table, a view, ``read_parquet('data/*.parquet')``.
        output : {"woe", "index"}
            WOE (default) or bin index per feature, one column per feature.
        keep : columns copied through (an ID, a date)
        dialect : {"duckdb", "spark"}

        See Also
        --------
        scorecard.sql : points and scores of a scorecard, streaming Parquet to Parquet.

        Examples
        --------
        >>> from scorecard.datasets import load_german_credit
        >>> X, y = load_german_credit()
        >>> sql = WOEBinner().fit(X, y).to_sql("read_parquet('applications.parquet')")
        >>> sql.startswith("SELECT CASE WHEN")
        True
        """
        from scorecard import sql as _sql

        check_is_fitted(self, "bins_")
        if output == "woe":
            return _sql.woe_sql(self, table, keep=keep, dialect=dialect)
        if output == "index":
            return _sql.index_sql(self, table, keep=keep, dialect=dialect)
        raise ValueError(f"to_sql output must be 'woe' or 'index', got {output!r}")

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        tags.input_tags.categorical = True
        tags.target_tags.required = True
        return tags

    # the model-kind interface (scorecard._base.SpecModel): read by explain, tracking and export
    spec_kind = "binner"
    fitted_attribute = "bins_"


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)


def _json_param(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _json_param(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_json_param(x) for x in v]
    return _json_scalar(v)


def _external_kind(X: Any) -> str | None:
    """"duckdb" for Parquet paths and DuckDB relations, "spark" for Spark DataFrames, else None."""
    if isinstance(X, (str, os.PathLike)):
        return "duckdb"
    if isinstance(X, (list, tuple)) and X and all(isinstance(p, (str, os.PathLike)) for p in X):
        return "duckdb"
    mod = type(X).__module__ or ""
    if mod.startswith("duckdb"):
        return "duckdb"
    if mod.startswith("pyspark"):
        return "spark"
    return None


def _prebins(t: FeatureCounts, params: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pre-bin edges and counts chosen on a numeric count table (CART or quantiles)."""
    m = t.values.size
    if m <= 1:
        return np.empty(0), t.good.copy(), t.bad.copy()
    if params["prebinning"] == "cart":
        min_leaf = max(1, int(math.ceil(params["min_prebin_size"] * t.n_regular)))
        cuts = _solver.cart_prebins(t.good, t.bad, params["max_n_prebins"], min_leaf)
    else:
        cuts = _solver.quantile_prebins(t.good + t.bad, params["max_n_prebins"])
    starts = np.concatenate(([0], cuts)).astype(np.int64)
    return t.edges[cuts - 1], np.add.reduceat(t.good, starts), np.add.reduceat(t.bad, starts)


def _bins_from_counts(t: FeatureCounts, params: dict[str, Any], smoothing: float, fallback: str) -> _FeatureBins:
    """Pre-bin and solve one count table into the feature's final bins."""
    if t.kind == "numeric":
        if "splits" in params:
            splits, source = np.unique(np.asarray(params["splits"], dtype=float)), "manual"
        else:
            pre, pre_good, pre_bad = _prebins(t, params)
            splits, _ = _solve_numeric(pre, pre_good, pre_bad, params)
            source = "optimal"
        good, bad = t.aggregate(splits)
        regular = {"splits": [float(s) for s in splits]}
        with np.errstate(divide="ignore", invalid="ignore"):
            trend = observed_trend(bad / (good + bad))
    else:
        cats = np.asarray(t.values, dtype=object)
        if "groups" in params:
            groups = [sorted(map(_key, g)) for g in params["groups"]]
            listed = [c for g in groups for c in g]
            if len(listed) != len(set(listed)):
                raise ValueError(f"feature {t.name!r}: a category appears in two groups")
            missing_cats = [c for c in map(str, cats) if c not in set(listed)]
            if missing_cats:
                raise ValueError(f"feature {t.name!r}: categories {missing_cats} seen in the data are in no group")
            source = "manual"
        else:
            groups = _solve_categorical(cats, t.good, t.bad, params)
            source = "optimal"
        pos = {c: i for i, g in enumerate(groups) for c in g}
        agg = np.array([pos[str(c)] for c in cats], dtype=np.int64)
        good = np.bincount(agg, weights=t.good, minlength=len(groups)) if cats.size else np.zeros(len(groups))
        bad = np.bincount(agg, weights=t.bad, minlength=len(groups)) if cats.size else np.zeros(len(groups))
        regular = {"groups": groups}
        trend = "categorical"
    return _FeatureBins(
        name=t.name,
        kind=t.kind,
        specials=[_json_scalar(s) for s in t.specials],
        good=[*good, *t.special_good, t.missing_good],
        bad=[*bad, *t.special_bad, t.missing_bad],
        trend=trend,
        source=source,
        smoothing=smoothing,
        fallback=fallback,
        value_type=t.value_type if t.kind == "categorical" else None,
        **regular,
    )


class BinningReport:
    """Rich JupyterLab display of one feature's binning table and plot."""

    def __init__(self, binner: WOEBinner, feature: str) -> None:
        self.binner = binner
        self.feature = feature

    def _repr_html_(self) -> str:
        import base64
        import io

        table = self.binner.binning_table(self.feature)
        fig = self.binner.plot(self.feature)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=90)
        img = base64.b64encode(buf.getvalue()).decode("ascii")
        styled = (
            table.style.format(
                {"count_share": "{:.1%}", "event_rate": "{:.1%}", "woe": "{:.4f}", "iv": "{:.4f}"}, na_rep=""
            )
            .bar(subset=["count_share"], color="#9ecae1")
            .hide(axis="index")
        )
        return (
            f"<div><h4>{self.feature}</h4>{styled.to_html()}"
            f'<img alt="binning plot of {self.feature}" src="data:image/png;base64,{img}"/></div>'
        )
