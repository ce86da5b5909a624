"""WOE binning: the :class:`WOEBinner` transformer and its JSON spec.

Every feature is reduced first to a *count table*: goods and bads per fine
bin (quantile pre-bins of a numeric feature, or the categories of a
categorical one), plus one row per special code and one for missing values.
The optimal merge of the fine bins is then solved on that small table by
optbinning (a weighted sample of one row per fine bin and class), so the
same solver can run on counts computed anywhere: pandas here, SQL or Spark
later. The resulting bins, counts and WOE live in a plain, JSON-serialisable
spec; scoring needs neither optbinning nor pickle.

Conventions (see ``design.md``)
-------------------------------
- Target: 1 = bad, 0 = good.
- WOE of bin *i*: ``ln(pg_i / pb_i)`` with smoothed shares
  ``pg_i = (good_i + a) / (G + a*m)``, ``pb_i = (bad_i + a) / (B + a*m)``,
  ``a = smoothing`` (default 0.5) added to both counts of each of the ``m``
  non-empty bins. Higher WOE = lower risk, as in optbinning.
- IV = ``sum_i (pg_i - pb_i) * WOE_i`` over the same smoothed shares, so each
  term is >= 0. With ``smoothing=0`` both reduce to the textbook formulas.
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
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from scorecard._validation import as_frame, check_target, is_numeric, require_columns, split_target
from scorecard.errors import ColumnError, ColumnWarning, DataError, FallbackWarning, SpecError

__all__ = ["WOEBinner", "SPEC_VERSION", "observed_trend"]

logger = logging.getLogger(__name__)

SPEC_VERSION = 1
_TRENDS = ("auto", "auto_asc_desc", "ascending", "descending", "peak", "valley", "convex", "concave", None)
_OUTPUTS = ("woe", "index", "label")
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


def _category_keys(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Canonical string keys of a categorical column and its missing mask.

    Integral floats become integers first, so 1 and 1.0 share the key "1".
    """
    mask = series.isna().to_numpy()
    values = series.to_numpy(dtype=object)
    keys = np.empty(len(values), dtype=object)
    present = values[~mask]
    if present.size:
        uniq, inv = np.unique(present.astype(str) if not is_numeric(series) else present.astype(float), return_inverse=True)
        if is_numeric(series):
            ustr = np.array([str(int(u)) if float(u).is_integer() else repr(float(u)) for u in uniq], dtype=object)
        else:
            ustr = uniq.astype(object)
        keys[~mask] = ustr[inv]
    return keys, mask


def _numeric_values(series: pd.Series, feature: str, stage: str) -> np.ndarray:
    """The column as float64, or a DataError naming the column and bad values."""
    if is_numeric(series) or pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy(dtype=float, na_value=np.nan)
    conv = pd.to_numeric(series, errors="coerce")
    bad = conv.isna() & series.notna()
    if bad.any():
        examples = sorted(map(str, series[bad].unique()[:3]))
        raise DataError(
            f"column {feature!r} is numeric in the binner but has non-numeric values at {stage} "
            f"({int(bad.sum())} rows, e.g. {examples}); fix the dtype or declare it categorical"
        )
    return conv.to_numpy(dtype=float, na_value=np.nan)


def _cart_splits(x: np.ndarray, y: np.ndarray, max_n_prebins: int, min_prebin_size: float) -> np.ndarray:
    """Fine split points from a classification tree on one feature (optbinning's default).

    Deterministic: the tree is grown with a fixed ``random_state``; with one
    feature and no sampling it has no other randomness.
    """
    from sklearn.tree import DecisionTreeClassifier

    if np.unique(x).size <= 1:
        return np.empty(0)
    tree = DecisionTreeClassifier(
        max_leaf_nodes=max_n_prebins,
        min_samples_leaf=max(1, int(math.ceil(min_prebin_size * x.size))),
        random_state=0,
    ).fit(x.reshape(-1, 1), y)
    t = tree.tree_
    return np.unique(t.threshold[t.feature >= 0])


def _quantile_splits(x: np.ndarray, max_n_prebins: int) -> np.ndarray:
    """Fine split points between distinct values at the quantiles of ``x``.

    Each split is the midpoint between two adjacent distinct values, so every
    fine bin ``[s_{i-1}, s_i)`` holds at least one observation.
    """
    uniq = np.unique(x)
    if uniq.size <= 1:
        return np.empty(0)
    if uniq.size <= max_n_prebins:
        return (uniq[:-1] + uniq[1:]) / 2.0
    q = np.quantile(x, np.linspace(0.0, 1.0, max_n_prebins + 1)[1:-1], method="lower")
    pos = np.searchsorted(uniq, q, side="right")
    pos = np.unique(pos[(pos > 0) & (pos < uniq.size)])
    return (uniq[pos - 1] + uniq[pos]) / 2.0


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
    # derived (not serialised)
    woe: np.ndarray = field(init=False, repr=False)
    iv: np.ndarray = field(init=False, repr=False)
    fallback_index: int = field(init=False)
    _cat_lookup: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.good = [float(v) for v in self.good]
        self.bad = [float(v) for v in self.bad]
        self.woe, self.iv = _woe_iv(np.array(self.good), np.array(self.bad), self.smoothing)
        counts = np.array(self.good) + np.array(self.bad)
        nonempty = np.flatnonzero(counts > 0)
        riskiest = int(nonempty[np.argmin(self.woe[nonempty])])
        if self.fallback == "missing" and counts[self.missing_index] > 0:
            self.fallback_index = self.missing_index
        else:
            self.fallback_index = riskiest
        # empty bins (missing / special codes unseen in training) score as the fallback
        self.woe = np.where(counts > 0, self.woe, self.woe[self.fallback_index])
        self._cat_lookup = {c: i for i, grp in enumerate(self.groups) for c in grp}

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
        """Bin index per row, and how many rows went to the fallback bin."""
        n = len(series)
        idx = np.empty(n, dtype=np.int64)
        counts = np.array(self.good) + np.array(self.bad)
        if self.kind == "numeric":
            x = _numeric_values(series, self.name, stage)
            missing = np.isnan(x)
            special = np.zeros(n, dtype=bool)
            for j, code in enumerate(self.specials):
                hit = x == float(code)
                idx[hit] = self.n_regular + j
                special |= hit
            regular = ~missing & ~special
            idx[regular] = np.searchsorted(np.asarray(self.splits, dtype=float), x[regular], side="right")
            unseen = regular & ~np.isfinite(x)
        else:
            keys, missing = _category_keys(series)
            special = np.zeros(n, dtype=bool)
            for j, code in enumerate(self.specials):
                hit = ~missing & (keys == _key(code))
                idx[hit] = self.n_regular + j
                special |= hit
            regular = ~missing & ~special
            mapped = np.fromiter(
                (self._cat_lookup.get(k, -1) for k in keys[regular]), dtype=np.int64, count=int(regular.sum())
            )
            idx[regular] = mapped
            unseen = np.zeros(n, dtype=bool)
            unseen[np.flatnonzero(regular)[mapped < 0]] = True
        idx[missing] = self.missing_index
        unseen |= counts[idx.clip(0, self.n_bins - 1)] == 0  # empty missing / special bins
        unseen |= idx < 0
        idx[unseen] = self.fallback_index
        return idx, int(unseen.sum())

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
            # derived, written for readers of the spec; recomputed and checked on load
            "woe": [float(w) for w in self.woe],
            "iv": float(self.iv.sum()),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> _FeatureBins:
        try:
            fb = cls(
                name=d["name"],
                kind=d["kind"],
                splits=list(d["splits"]),
                groups=[list(g) for g in d["groups"]],
                specials=list(d["specials"]),
                good=list(d["good"]),
                bad=list(d["bad"]),
                trend=d.get("trend"),
                source=d.get("source", "optimal"),
                smoothing=float(d["smoothing"]),
                fallback=d.get("fallback", "riskiest"),
            )
        except KeyError as exc:
            raise SpecError(f"feature spec {d.get('name', '?')!r} lacks the field {exc}") from None
        if len(fb.good) != fb.n_bins or len(fb.bad) != fb.n_bins:
            raise SpecError(f"feature {fb.name!r}: {fb.n_bins} bins but {len(fb.good)} counts in the spec")
        if "woe" in d and not np.allclose(fb.woe, d["woe"], rtol=0, atol=1e-12):
            raise SpecError(f"feature {fb.name!r}: the spec's WOE does not match its counts")
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


def _key(v: Any) -> str:
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return str(v)


def _json_scalar(v: Any) -> Any:
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    return v


# ---------------------------------------------------------------------------
# the solver step (optbinning on a count table)
# ---------------------------------------------------------------------------


def _solve_numeric(
    splits: np.ndarray, good: np.ndarray, bad: np.ndarray, params: dict[str, Any]
) -> tuple[np.ndarray, str | None]:
    """Optimal subset of the fine ``splits`` for the fine counts, by optbinning."""
    if splits.size == 0:
        return splits, params.get("monotonic_trend")
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
        monotonic_trend=params["monotonic_trend"],
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
    trend = params["monotonic_trend"]
    return np.asarray(ob.splits, dtype=float), trend


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
    rate = bad / np.maximum(good + bad, 1)
    order = np.lexsort((cats.astype(str), rate))
    ordinal_splits = np.arange(cats.size - 1, dtype=float) + 0.5
    p = dict(params)
    p["monotonic_trend"] = "ascending" if params["monotonic_trend"] is not None else None
    splits, _ = _solve_numeric(ordinal_splits, good[order], bad[order], p)
    run = np.searchsorted(splits, np.arange(cats.size, dtype=float), side="right")
    return [sorted(str(c) for c in cats[order][run == r]) for r in range(splits.size + 1)]


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
        Minimum share of the rows in each regular bin.
    max_n_bins : int, optional
        Maximum number of regular bins per feature.
    prebinning : {"cart", "quantile"}, default "cart"
        How a numeric feature is cut into fine bins before the optimal merge:
        a classification tree on the feature (optbinning's default; better
        bins) or quantiles (cheaper on very large data). Categories are their
        own fine bins.
    max_n_prebins : int, default 20
        At most this many fine bins.
    min_prebin_size : float, default 0.05
        Minimum share of rows in a fine bin (CART pre-binning).
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
        A text column with more distinct values looks like an identifier and
        is flagged (see ``on_invalid``) instead of being binned.
    on_invalid : {"raise", "drop"}, default "raise"
        What to do with an unusable column (all missing, constant, ID-like):
        raise a :class:`~scorecard.errors.ColumnError`, or drop it with a
        warning and record it in ``excluded_``.
    bad_value : optional
        The value of ``y`` meaning bad, when ``y`` is not 0/1.
    n_jobs : int, optional
        Features solved in parallel (joblib); default 1.
    time_limit : float, default 100
        Seconds the solver may spend on one feature.
    progress : bool, optional
        Show a progress bar over features; default only above 20 features.

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
        n_jobs: int | None = None,
        time_limit: float = 100,
        progress: bool | None = None,
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
        self.n_jobs = n_jobs
        self.time_limit = time_limit
        self.progress = progress

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

    def _params_for(self, feature: str) -> dict[str, Any]:
        p = {
            "monotonic_trend": self.monotonic_trend,
            "min_bin_size": float(self.min_bin_size) if self.min_bin_size else None,
            "max_n_bins": self.max_n_bins,
            "max_n_prebins": int(self.max_n_prebins),
            "prebinning": self.prebinning,
            "min_prebin_size": float(self.min_prebin_size),
            "time_limit": self.time_limit,
        }
        extra = (self.feature_params or {}).get(feature, {})
        unknown = set(extra) - set(p) - {"splits", "groups", "special_codes"}
        unknown -= {"time_limit"}
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
        X : DataFrame or array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), or the name of a column of ``X``
            1 = bad, 0 = good (or name ``bad_value``).

        Returns
        -------
        self
        """
        self._check_params()
        if isinstance(y, str) and isinstance(X, pd.DataFrame):
            X, y = split_target(X, y)
        frame = as_frame(X)
        target = check_target(y, bad_value=self.bad_value, n_rows=len(frame))
        features = list(frame.columns) if self.features is None else list(self.features)
        require_columns(frame, features)
        if isinstance(X, pd.DataFrame):
            self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        self.n_features_in_ = frame.shape[1]
        self._input_columns = list(frame.columns)
        cats = set(self.categorical_features or [])
        unknown = cats - set(features)
        if unknown:
            raise ValueError(f"categorical_features {sorted(unknown)} are not among the features")

        self.excluded_: dict[str, str] = {}
        jobs = []
        for f in features:
            col = frame[f]
            kind = "categorical" if (f in cats or not is_numeric(col)) else "numeric"
            problem = self._column_problem(col, f, kind)
            if problem:
                if self.on_invalid == "raise":
                    raise ColumnError(
                        f"column {f!r} {problem}; remove it from the features, or pass "
                        "on_invalid='drop' to drop unusable columns with a warning"
                    )
                self.excluded_[f] = problem
                continue
            jobs.append((f, kind))
        if self.excluded_:
            warnings.warn(
                "dropped unusable columns: "
                + "; ".join(f"{f!r} {why}" for f, why in self.excluded_.items()),
                ColumnWarning,
                stacklevel=2,
            )
        if not jobs:
            raise ColumnError("no usable feature left to bin: " + "; ".join(f"{f!r} {w}" for f, w in self.excluded_.items()))

        tables = [self._count_table(frame[f], target, f, kind) for f, kind in jobs]
        fitted = self._run_solver(jobs, tables)
        self.bins_ = dict(zip([f for f, _ in jobs], fitted))
        self.features_ = [f for f, _ in jobs]
        self.iv_ = pd.Series({f: float(b.iv.sum()) for f, b in self.bins_.items()}, name="iv", dtype=float)
        logger.info("binned %d features; %d excluded", len(self.features_), len(self.excluded_))
        return self

    def _column_problem(self, col: pd.Series, feature: str, kind: str) -> str | None:
        n = len(col)
        n_missing = int(col.isna().sum())
        if n_missing == n:
            return f"is entirely missing (all {n} values are NaN)"
        if kind == "numeric":
            x = _numeric_values(col, feature, "fit")
            n_inf = int(np.isinf(x).sum())
            if n_inf:
                raise DataError(
                    f"column {feature!r} has {n_inf} infinite values (inf/-inf); "
                    "replace them with NaN or a special code before fitting"
                )
            present = x[~np.isnan(x)]
            specials = {float(s) for s in self._specials_for(feature) if _is_number(s)}
            regular = present[~np.isin(present, list(specials))] if specials else present
            uniq = np.unique(present)
            if uniq.size == 1:
                return f"is constant (every non-missing value is {_fmt(float(uniq[0]))})"
            if (
                regular.size >= 200
                and np.unique(regular).size == regular.size
                and np.all(np.mod(regular, 1) == 0)
                and np.min(np.abs(regular)) >= 1e6
            ):
                return f"looks like an identifier (all {regular.size} values are distinct large integers)"
            return None
        keys, mask = _category_keys(col)
        uniq = pd.unique(keys[~mask])
        if uniq.size == 1:
            return f"is constant (every non-missing value is {uniq[0]!r})"
        if uniq.size > int(self.max_categories):
            return (
                f"looks like an identifier or free text ({uniq.size} distinct values in {n} rows, "
                f"more than max_categories={self.max_categories})"
            )
        return None

    def _count_table(self, col: pd.Series, y: np.ndarray, feature: str, kind: str) -> dict[str, Any]:
        """Fine-bin goods and bads, plus the special-code and missing rows."""
        specials = self._specials_for(feature)
        params = self._params_for(feature)
        if kind == "numeric":
            x = _numeric_values(col, feature, "fit")
            missing = np.isnan(x)
            spec_idx = np.full(len(x), -1)
            for j, code in enumerate(specials):
                spec_idx[x == float(code)] = j
            regular = ~missing & (spec_idx < 0)
            xr, yr = x[regular], y[regular]
            if "splits" in params:
                fine = np.unique(np.asarray(params["splits"], dtype=float))
            elif params["prebinning"] == "cart":
                fine = _cart_splits(xr, yr, params["max_n_prebins"], params["min_prebin_size"])
            else:
                fine = _quantile_splits(xr, params["max_n_prebins"])
            b = np.searchsorted(fine, xr, side="right")
            k = fine.size + 1
            fine_bad = np.bincount(b, weights=yr, minlength=k)
            fine_good = np.bincount(b, minlength=k) - fine_bad
            keys = fine
        else:
            keys_all, missing = _category_keys(col)
            spec_idx = np.full(len(keys_all), -1)
            for j, code in enumerate(specials):
                spec_idx[~missing & (keys_all == _key(code))] = j
            regular = ~missing & (spec_idx < 0)
            cats, inv = np.unique(keys_all[regular].astype(str), return_inverse=True)
            yr = y[regular]
            fine_bad = np.bincount(inv, weights=yr, minlength=cats.size)
            fine_good = np.bincount(inv, minlength=cats.size) - fine_bad
            keys = cats
        ns = len(specials)
        spec_bad = np.bincount(spec_idx[spec_idx >= 0], weights=y[spec_idx >= 0], minlength=ns)[:ns]
        spec_good = np.bincount(spec_idx[spec_idx >= 0], minlength=ns)[:ns] - spec_bad
        return {
            "feature": feature,
            "kind": kind,
            "keys": keys,
            "good": fine_good,
            "bad": fine_bad,
            "specials": specials,
            "special_good": spec_good,
            "special_bad": spec_bad,
            "missing_good": float(((1 - y) * missing).sum()),
            "missing_bad": float((y * missing).sum()),
            "params": params,
        }

    def _run_solver(self, jobs: list[tuple[str, str]], tables: list[dict[str, Any]]) -> list[_FeatureBins]:
        from tqdm.auto import tqdm

        show = self.progress if self.progress is not None else len(jobs) > 20
        n_jobs = self.n_jobs or 1
        smoothing, fallback = float(self.smoothing), self.fallback
        if n_jobs == 1:
            it = tqdm(tables, desc="binning", unit="feature", disable=not show)
            return [_bins_from_table(t, smoothing, fallback) for t in it]
        from joblib import Parallel, delayed

        return Parallel(n_jobs=n_jobs)(
            delayed(_bins_from_table)(t, smoothing, fallback)
            for t in tqdm(tables, desc="binning", unit="feature", disable=not show)
        )

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
        target = check_target(y, bad_value=self.bad_value, n_rows=len(frame))
        fp = {k: dict(v) for k, v in (self.feature_params or {}).items()}
        fp.setdefault(feature, {}).update(params)
        if "splits" in params and "groups" in params:
            raise ValueError("give either splits (numeric) or groups (categorical), not both")
        self.feature_params = fp
        kind = self.bins_[feature].kind
        table = self._count_table(frame[feature], target, feature, kind)
        self.bins_[feature] = _bins_from_table(table, float(self.smoothing), self.fallback)
        self.iv_[feature] = float(self.bins_[feature].iv.sum())
        return self

    # -- transform ------------------------------------------------------------
    def transform(self, X: Any, output: str | None = None) -> np.ndarray:
        """Map every feature to its bin's WOE (or bin index, or label).

        Rows are never dropped. Values without a bin of their own go to the
        fallback bin and are reported in one FallbackWarning naming the
        features.

        Parameters
        ----------
        X : DataFrame or array-like
        output : {"woe", "index", "label"}, optional
            Overrides the ``output`` parameter for this call.

        Returns
        -------
        ndarray of shape (n_samples, n_features_out)
        """
        check_is_fitted(self, "bins_")
        output = output or self.output
        if output not in _OUTPUTS:
            raise ValueError(f"output must be one of {_OUTPUTS}, got {output!r}")
        frame = self._check_transform_input(X)
        n = len(frame)
        dtype = {"woe": float, "index": np.int64, "label": object}[output]
        out = np.empty((n, len(self.features_)), dtype=dtype)
        fallbacks: dict[str, int] = {}
        for j, f in enumerate(self.features_):
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

    def _check_transform_input(self, X: Any) -> pd.DataFrame:
        if isinstance(X, pd.DataFrame):
            frame = as_frame(X)
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
        if isinstance(spec, str):
            text = spec
            if not spec.lstrip().startswith("{"):
                with open(spec, encoding="utf-8") as fh:
                    text = fh.read()
            try:
                spec = json.loads(text)
            except json.JSONDecodeError as exc:
                raise SpecError(f"the binning spec is not valid JSON: {exc}") from None
        if not isinstance(spec, dict) or spec.get("spec") != "scorecard.WOEBinner":
            raise SpecError("not a scorecard.WOEBinner spec (missing 'spec': 'scorecard.WOEBinner')")
        if spec.get("version") != SPEC_VERSION:
            raise SpecError(f"unsupported spec version {spec.get('version')!r}; this library reads {SPEC_VERSION}")
        binner = cls(**spec["params"])
        binner.bins_ = {}
        for d in spec["features"]:
            fb = _FeatureBins.from_dict(d)
            binner.bins_[fb.name] = fb
        binner.features_ = [d["name"] for d in spec["features"]]
        binner._input_columns = list(spec["input_columns"])
        binner.n_features_in_ = len(binner._input_columns)
        if spec.get("has_feature_names"):
            binner.feature_names_in_ = np.asarray(binner._input_columns, dtype=object)
        binner.excluded_ = dict(spec.get("excluded", {}))
        binner.iv_ = pd.Series({f: float(b.iv.sum()) for f, b in binner.bins_.items()}, name="iv", dtype=float)
        return binner

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        tags.input_tags.categorical = True
        tags.target_tags.required = True
        return tags


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)


def _json_param(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _json_param(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_json_param(x) for x in v]
    return _json_scalar(v)


def _bins_from_table(t: dict[str, Any], smoothing: float, fallback: str) -> _FeatureBins:
    """Solve one count table into the feature's final bins."""
    params = t["params"]
    if t["kind"] == "numeric":
        fine = t["keys"]
        if "splits" in params:
            splits, source = fine, "manual"
        else:
            splits, _ = _solve_numeric(fine, t["good"], t["bad"], params)
            source = "optimal"
        # aggregate the fine counts into the chosen bins: fine bin i lies in bin searchsorted
        rep = np.r_[fine[0] - 1.0, fine] if fine.size else np.array([0.0])
        agg = np.searchsorted(splits, rep, side="right")
        k = splits.size + 1
        good = np.bincount(agg, weights=t["good"], minlength=k)
        bad = np.bincount(agg, weights=t["bad"], minlength=k)
        regular = {"splits": [float(s) for s in splits]}
    else:
        cats = t["keys"]
        if "groups" in params:
            groups = [sorted(map(_key, g)) for g in params["groups"]]
            listed = [c for g in groups for c in g]
            if len(listed) != len(set(listed)):
                raise ValueError(f"feature {t['feature']!r}: a category appears in two groups")
            missing_cats = [c for c in map(str, cats) if c not in set(listed)]
            if missing_cats:
                raise ValueError(
                    f"feature {t['feature']!r}: categories {missing_cats} seen in the data are in no group"
                )
            source = "manual"
        else:
            groups = _solve_categorical(cats, t["good"], t["bad"], params)
            source = "optimal"
        pos = {c: i for i, g in enumerate(groups) for c in g}
        agg = np.array([pos[str(c)] for c in cats], dtype=np.int64)
        good = np.bincount(agg, weights=t["good"], minlength=len(groups)) if cats.size else np.zeros(len(groups))
        bad = np.bincount(agg, weights=t["bad"], minlength=len(groups)) if cats.size else np.zeros(len(groups))
        regular = {"groups": groups}
    if t["kind"] == "numeric":
        with np.errstate(divide="ignore", invalid="ignore"):
            trend = observed_trend(np.asarray(bad) / (np.asarray(good) + np.asarray(bad)))
    else:
        trend = "categorical"
    good_all = [*good, *t["special_good"], t["missing_good"]]
    bad_all = [*bad, *t["special_bad"], t["missing_bad"]]
    return _FeatureBins(
        name=t["feature"],
        kind=t["kind"],
        specials=[_json_scalar(s) for s in t["specials"]],
        good=good_all,
        bad=bad_all,
        trend=trend,
        source=source,
        smoothing=smoothing,
        fallback=fallback,
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
