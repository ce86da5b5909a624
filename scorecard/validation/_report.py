"""The :class:`ValidationReport` (private module; see :mod:`scorecard.validation`)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import os
import re
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from scorecard import metrics
from scorecard._validation import as_frame, check_target
from scorecard.errors import DataError, FallbackWarning, MissingColumnError, TargetError
from scorecard.validation import _plots, _render
from scorecard.validation._stats import allowed_yellow_bands, binomial_test, jeffreys_test, traffic_light

__all__ = [
    "ValidationReport",
    "Section",
    "Check",
    "DEFAULT_THRESHOLDS",
    "SECTION_IDS",
    "VERDICT_COLUMNS",
    "log_report",
]

logger = logging.getLogger("scorecard.validation")

#: Section ids (HTML ``id`` attributes), in display order; the verdict comes first.
SECTION_IDS: tuple[str, ...] = (
    "verdict",
    "data",
    "conceptual-soundness",
    "discrimination",
    "calibration",
    "stability",
    "benchmarking",
    "reproducibility",
)

_TITLES = {
    "verdict": "Outcome summary",
    "data": "Data",
    "conceptual-soundness": "Conceptual soundness",
    "discrimination": "Discrimination",
    "calibration": "Calibration",
    "stability": "Stability",
    "benchmarking": "Benchmarking",
    "reproducibility": "Reproducibility",
}

#: Columns of :meth:`ValidationReport.verdict`.
VERDICT_COLUMNS: tuple[str, ...] = ("section", "key", "check", "sample", "value", "threshold", "result", "detail")

#: Default limits of the verdict (see the module docstring of :mod:`scorecard.validation`).
DEFAULT_THRESHOLDS: Mapping[str, Any] = MappingProxyType(
    {
        "gini": (0.40, 0.25),
        "gini_decline": (0.10, 0.20),
        "hosmer_lemeshow": (0.05, 0.001),
        "band_test": (0.05, 0.001),
        "coef_p_value": (0.05, 0.10),
        "vif": (5.0, 10.0),
        "correlation": (0.70, 0.90),
        "delong": 0.05,
    }
)

_RANK = {"pass": 0, "watch": 1, "fail": 2}
#: Result of a verdict row that could not be computed (named in full: "n/a" reads as missing in CSV files).
NOT_COMPUTABLE = "not computable"
_READING_RESULT = {"stable": "pass", "watch": "watch", "shifted": "fail"}
_MONOTONE = ("ascending", "descending", "flat")
_MAX_MONTHS = 240
_MAX_SEGMENT_VALUES = 50


# --------------------------------------------------------------------------- #
# data model
# --------------------------------------------------------------------------- #
@dataclass
class Check:
    """One row of the verdict: a test, its value, its threshold and its result.

    Attributes
    ----------
    section : str
        Id of the section holding the evidence.
    key : str
        Stable identifier of the check (``"gini"``, ``"score_psi"`` ...).
    check : str
        Its readable name.
    sample : str
        The sample it applies to, or ``"model"``.
    value : float
        The statistic that decided (NaN when not computable).
    threshold : str
        The rule, in words.
    result : str
        ``"pass"``, ``"watch"``, ``"fail"`` or ``"not computable"``.
    detail : str
        Context: intervals, the feature or month concerned, or why not computable.
    """

    section: str
    key: str
    check: str
    sample: str
    value: float
    threshold: str
    result: str
    detail: str = ""


@dataclass
class Block:
    """A piece of a section's layout: text, a list, a heading, a table or a figure (by key)."""

    kind: str
    key: str = ""
    title: str = ""
    text: str = ""
    items: list[str] = field(default_factory=list)
    anchor: str = ""


@dataclass
class Section:
    """One section of the report: its tables and figures, in the order shown.

    Attributes
    ----------
    id : str
        The HTML ``id`` (one of :data:`SECTION_IDS`).
    title : str
    status : str
        ``"ok"``, ``"partial"`` (some parts not computable), ``"not computable"``
        or ``"not applicable"``.
    reasons : list of str
        Why parts are not computable (each names the sample or part).
    tables : dict of str -> DataFrame
        The numbers, by key (``"by_sample"``, ``"bands"`` ...).
    figures : dict of str -> str
        Base64 PNG figures, by key.
    blocks : list of Block
        The layout: which text, table and figure come in which order.
    """

    id: str
    title: str
    status: str = "ok"
    reasons: list[str] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: dict[str, str] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    draw: bool = field(default=True, repr=False)

    def text(self, text: str) -> None:
        self.blocks.append(Block("text", text=text))

    def bullets(self, items: Sequence[str]) -> None:
        self.blocks.append(Block("list", items=list(items)))

    def heading(self, text: str, *, sub: bool = False) -> None:
        anchor = f"{self.id}-{_slug(text)}"
        self.blocks.append(Block("subheading" if sub else "heading", text=text, anchor=anchor))

    def table(self, key: str, df: pd.DataFrame, title: str = "") -> pd.DataFrame:
        if key in self.tables:
            raise ValueError(f"section {self.id!r} already has a table {key!r}")
        self.tables[key] = df
        self.blocks.append(Block("table", key=key, title=title))
        return df

    def figure(self, key: str, make: Callable[[], Any], title: str) -> None:
        """Draw ``make()`` (a matplotlib Figure) and add it, unless the report is built without figures."""
        if not self.draw:
            return
        self.figures[key] = _plots.png_base64(make())
        self.blocks.append(Block("figure", key=key, title=title))

    def not_computable(self, reason: str) -> None:
        """Record a part that could not be computed (the section becomes partial)."""
        self.reasons.append(reason)
        if self.status == "ok":
            self.status = "partial"


@dataclass
class _Sample:
    name: str
    X: pd.DataFrame
    y: np.ndarray
    one_class: str | None
    p: np.ndarray = field(init=False, repr=False)
    score: np.ndarray = field(init=False, repr=False)
    bins: pd.DataFrame = field(init=False, repr=False)
    month: pd.Series | None = field(default=None, repr=False)
    segments: dict[str, pd.Series] = field(default_factory=dict, repr=False)
    fallback: list[str] = field(default_factory=list)
    p_challenger: np.ndarray | None = field(default=None, repr=False)
    hist: metrics.ScoreHistogram | None = field(default=None, repr=False)
    hist_challenger: metrics.ScoreHistogram | None = field(default=None, repr=False)

    @property
    def n(self) -> int:
        return int(self.y.size)

    @property
    def bads(self) -> int:
        return int(self.y.sum())


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "x"


def _grade_high(value: float, pass_at: float, watch_at: float) -> str:
    """pass when ``value >= pass_at``, watch down to ``watch_at``, else fail (not computable when NaN)."""
    if value is None or not math.isfinite(value):
        return NOT_COMPUTABLE
    if value >= pass_at:
        return "pass"
    return "watch" if value >= watch_at else "fail"


def _grade_low(value: float, pass_at: float, watch_at: float) -> str:
    """pass when ``value <= pass_at``, watch up to ``watch_at``, else fail (not computable when NaN)."""
    if value is None or not math.isfinite(value):
        return NOT_COMPUTABLE
    if value <= pass_at:
        return "pass"
    return "watch" if value <= watch_at else "fail"


def _one_class_reason(y: Any, bad_value: Any) -> str | None:
    """The one-class message when ``y`` is valid but has a single class, else None."""
    ser = y if isinstance(y, pd.Series) else pd.Series(np.asarray(y).ravel())
    if ser.empty or ser.isna().any():
        return None
    if bad_value is not None:
        flags = (ser.to_numpy() == bad_value).astype(np.int8)
    else:
        try:
            vals = ser.astype(float).to_numpy()
        except (TypeError, ValueError):
            return None
        if not set(np.unique(vals).tolist()) <= {0.0, 1.0}:
            return None
        flags = vals.astype(np.int8)
    if flags.min() == flags.max():
        only = "bad (1)" if flags[0] == 1 else "good (0)"
        return f"all {flags.size} rows are {only}"
    return None


# --------------------------------------------------------------------------- #
# the report
# --------------------------------------------------------------------------- #
class ValidationReport:
    """An independent reviewer's evidence pack for a fitted scorecard, as one HTML file.

    Everything is computed when the report is built (at construction): first
    a data model (:attr:`sections`, each holding DataFrames and figures, and
    the verdict), then HTML is rendered from it on demand. See the module
    docstring of :mod:`scorecard.validation` for the contents and every rule.

    Parameters
    ----------
    model : LogisticScorecard
        The fitted scorecard under review (the champion).
    samples : mapping of str -> (X, y) or DataFrame
        Named samples in display order, e.g. ``{"train": (X_train, y_train),
        "test": (X_test, y_test), "oot": (X_oot, y_oot)}``. ``X`` holds the
        model's raw features (extra columns are ignored and never shown);
        ``y`` is 1 = bad, 0 = good. A DataFrame holding the target column
        named by ``target`` is accepted instead of a pair.
    challenger : classifier, optional
        A fitted model with ``predict_proba`` on the same raw frame (e.g.
        :class:`~scorecard.challenger.GBMChallenger`), benchmarked in section 6.
    reference : str, optional
        The development sample: bands, PSI and CSI are fixed on it. Default
        ``"train"`` when present, else the first sample.
    target : str, optional
        Target column of samples given as DataFrames.
    bad_value : optional
        Value of the targets meaning bad, when they are not 0/1.
    time_column : str or None, default "application_month"
        Column giving each row's period (``"YYYY-MM"`` text or dates, taken
        to the month) for time spans, per-month discrimination and PSI. Used
        where present; ignored when no sample has it.
    segment_columns : sequence of str, default ("channel",)
        Columns for per-segment discrimination (e.g. the acquisition
        channel), used where present. A column with more than 50 distinct
        values is refused (not a segment, possibly an identifier).
    n_bands : int, default 10
        Score bands: quantile bands of the reference sample's score (also the
        Hosmer-Lemeshow groups and the lift-table bands).
    n_boot : int, default 1000
        Bootstrap resamples of the confidence intervals of each sample.
    segment_n_boot : int or None, default 200
        Bootstrap resamples of the intervals per segment and per month (there
        are many of them, on small subsamples); None uses ``n_boot``.
    level : float, default 0.95
        Coverage of the confidence intervals.
    approval_rate : float, default 0.7
        Approval rate of the swap sets (section 6).
    min_segment_rows : int, default 100
        Months with fewer rows are shown but not judged in the verdict.
    thresholds : dict, optional
        Overrides of :data:`DEFAULT_THRESHOLDS`.
    exclusions : DataFrame or mapping, optional
        Rows excluded from the samples before validation, shown in section
        1: a DataFrame, or ``{reason: {sample: rows}}`` / ``{reason: rows}``.
    title : str, optional
        Title of the report.
    figures : bool, default True
        Draw the figures. False builds the tables and the verdict only (a
        few times faster: for batch monitoring, or when only
        :meth:`verdict` is wanted).
    model_name, challenger_name : str, default "champion", "challenger"
        Labels of the two models.
    run_id : str, optional
        The MLflow run the report belongs to (shown in the footer; set by
        :meth:`log_to_mlflow`).
    random_state : int, default 0
        Seed of every bootstrap (each interval is drawn with
        ``numpy.random.default_rng(random_state)``).
    max_bins : int or None, default 512
        The bootstrap resamples the bad and good counts per distinct
        predicted probability, not the rows (:func:`scorecard.metrics.histogram_ci`):
        with more distinct values than this, adjacent ones are merged into
        this many groups for the resamples (the estimates stay exact and the
        intervals are re-centred on them). None never merges.
    progress : bool, optional
        A progress bar over the scoring and the sections (tqdm.auto): True
        always, False never, None (default) only when the report takes
        longer than two seconds.

    Attributes
    ----------
    sections : dict of str -> Section
        The data model, in display order (keys :data:`SECTION_IDS`).
    checks : list of Check
        The verdict rows.
    build_seconds : float
        Time taken to build the data model.
    timings : dict of str -> float
        Seconds spent scoring the samples and on each section.

    Raises
    ------
    DataError
        A sample is empty, not a ``(X, y)`` pair, or its ``y`` has another
        length; each message names the sample.
    TargetError
        A target has missing values or values other than 0/1 (a sample with
        one class is accepted: the parts that need both classes are marked
        not computable, naming the sample).
    MissingColumnError
        A sample lacks features of the model (or of the challenger).
    ValueError
        Invalid parameters (unknown reference, ``n_bands < 3`` ...).

    Examples
    --------
    >>> from sklearn.model_selection import train_test_split
    >>> from scorecard import LogisticScorecard
    >>> from scorecard.datasets import load_german_credit
    >>> from scorecard.validation import ValidationReport
    >>> X, y = load_german_credit()
    >>> X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)
    >>> model = LogisticScorecard().fit(X_tr, y_tr)  # doctest: +SKIP
    >>> report = ValidationReport(model, {"train": (X_tr, y_tr), "test": (X_te, y_te)}, n_boot=200)  # doctest: +SKIP
    >>> report.verdict()[["check", "sample", "result"]].head(3)  # doctest: +SKIP
    >>> report.save("validation.html")  # doctest: +SKIP
    """

    def __init__(
        self,
        model: Any,
        samples: Mapping[str, Any],
        challenger: Any = None,
        *,
        reference: str | None = None,
        target: str | None = None,
        bad_value: Any = None,
        time_column: str | None = "application_month",
        segment_columns: Sequence[str] = ("channel",),
        n_bands: int = 10,
        n_boot: int = 1000,
        segment_n_boot: int | None = 200,
        level: float = 0.95,
        approval_rate: float = 0.7,
        min_segment_rows: int = 100,
        thresholds: Mapping[str, Any] | None = None,
        exclusions: pd.DataFrame | Mapping[str, Any] | None = None,
        title: str | None = None,
        figures: bool = True,
        model_name: str = "champion",
        challenger_name: str = "challenger",
        run_id: str | None = None,
        random_state: int = 0,
        max_bins: int | None = metrics.DEFAULT_MAX_BINS,
        progress: bool | None = None,
    ) -> None:
        started = time.perf_counter()
        self.model = model
        self.challenger = challenger
        self.target = target
        self.bad_value = bad_value
        self.time_column = time_column
        self.segment_columns = tuple(segment_columns or ())
        self.n_bands = n_bands
        self.n_boot = n_boot
        self.segment_n_boot = segment_n_boot
        self.level = level
        self.approval_rate = approval_rate
        self.min_segment_rows = min_segment_rows
        self.exclusions = exclusions
        self.title = title or "Model validation report"
        self.figures = bool(figures)
        self.model_name = str(model_name)
        self.challenger_name = str(challenger_name)
        self.run_id = run_id
        self.random_state = random_state
        self.max_bins = max_bins
        self.progress = progress
        self.thresholds = self._check_params(thresholds)
        self._check_model(model, challenger)
        from tqdm.auto import tqdm

        bar = tqdm(total=1 + len(SECTION_IDS), desc="validation report", unit="step",
                   disable=self.progress is False, delay=0 if self.progress else 2.0)
        try:
            self._build(samples, reference, bar, started)
        finally:
            bar.close()
        self.build_seconds = time.perf_counter() - started
        logger.info(
            "validation report built in %.1f s: %d samples, overall %s",
            self.build_seconds,
            len(self._samples),
            self.overall,
        )

    def _build(self, samples: Mapping[str, Any], reference: str | None, bar: Any, started: float) -> None:
        """Score the samples and build every section, advancing the progress bar."""
        _show_step(bar, "scoring")
        self._samples = self._prepare(samples, reference)
        self.reference = self._ref.name
        bar.update(1)
        self.checks: list[Check] = []
        self.sections: dict[str, Section] = {
            sid: Section(sid, _TITLES[sid], draw=self.figures) for sid in SECTION_IDS
        }
        self._champion_ci: dict[str, dict[str, float]] = {}
        builders: dict[str, Callable[[Section], None]] = {
            "data": self._build_data,
            "conceptual-soundness": self._build_conceptual,
            "discrimination": self._build_discrimination,
            "calibration": self._build_calibration,
            "stability": self._build_stability,
            "benchmarking": self._build_benchmarking,
            "reproducibility": self._build_reproducibility,
        }
        self.timings: dict[str, float] = {"scoring": time.perf_counter() - started}
        for sid, build in [*builders.items(), ("verdict", self._build_verdict)]:
            _show_step(bar, sid)
            t0 = time.perf_counter()
            self._run(self.sections[sid], build)
            self.timings[sid] = time.perf_counter() - t0
            bar.update(1)

    # -- checks of the inputs ---------------------------------------------------
    def _check_params(self, thresholds: Mapping[str, Any] | None) -> dict[str, Any]:
        if isinstance(self.n_bands, bool) or not isinstance(self.n_bands, (int, np.integer)) or self.n_bands < 3:
            raise ValueError(f"n_bands must be an integer >= 3, got {self.n_bands!r}")
        for name in ("n_boot", "segment_n_boot"):
            v = getattr(self, name)
            if name == "segment_n_boot" and v is None:
                continue
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 10:
                raise ValueError(f"{name} must be an integer >= 10, got {v!r}")
        if not 0.0 < float(self.level) < 1.0:
            raise ValueError(f"level must lie in (0, 1), got {self.level!r}")
        mb = self.max_bins
        if mb is not None and (isinstance(mb, bool) or not isinstance(mb, (int, np.integer)) or mb < 2):
            raise ValueError(f"max_bins must be an integer >= 2 or None, got {mb!r}")
        if not 0.0 < float(self.approval_rate) < 1.0:
            raise ValueError(f"approval_rate must lie in (0, 1), got {self.approval_rate!r}")
        if int(self.min_segment_rows) < 1:
            raise ValueError(f"min_segment_rows must be >= 1, got {self.min_segment_rows!r}")
        out = dict(DEFAULT_THRESHOLDS)
        for k, v in (thresholds or {}).items():
            if k not in out:
                raise ValueError(f"unknown threshold {k!r}; known: {sorted(out)}")
            out[k] = v
        for k, v in out.items():
            if k == "delong":
                if not 0.0 < float(v) < 1.0:
                    raise ValueError(f"threshold 'delong' must lie in (0, 1), got {v!r}")
                continue
            if not (isinstance(v, (tuple, list)) and len(v) == 2):
                raise ValueError(f"threshold {k!r} must be a pair (pass limit, watch limit), got {v!r}")
        return out

    @staticmethod
    def _check_model(model: Any, challenger: Any) -> None:
        from sklearn.utils.validation import check_is_fitted

        missing = [a for a in ("predict_proba", "predict_score", "summary", "points_table") if not hasattr(model, a)]
        if missing:
            raise TypeError(
                f"model must be a fitted scorecard.LogisticScorecard (it has no {missing}), "
                f"got {type(model).__name__}"
            )
        check_is_fitted(model, "coef_")
        if challenger is not None:
            if not hasattr(challenger, "predict_proba"):
                raise TypeError(f"challenger must have predict_proba, got {type(challenger).__name__}")
            check_is_fitted(challenger)

    def _split(self, name: str, value: Any) -> tuple[pd.DataFrame, Any]:
        if isinstance(value, pd.DataFrame):
            if self.target is None:
                raise DataError(
                    f"sample {name!r} is a DataFrame: pass it as a pair (X, y), or name its target "
                    "column with target=..."
                )
            if self.target not in value.columns:
                raise MissingColumnError(f"sample {name!r} has no target column {self.target!r}")
            return value.drop(columns=[self.target]), value[self.target]
        if isinstance(value, (tuple, list)) and len(value) == 2:
            X, y = value
            if not isinstance(X, pd.DataFrame):
                raise DataError(
                    f"sample {name!r}: X must be a pandas DataFrame with the model's feature columns, "
                    f"got {type(X).__name__}"
                )
            return X, y
        raise DataError(
            f"sample {name!r} must be a pair (X, y) or a DataFrame with target=..., got {type(value).__name__}"
        )

    def _prepare(self, samples: Mapping[str, Any], reference: str | None) -> list[_Sample]:
        if not isinstance(samples, Mapping) or not samples:
            raise DataError("samples must be a non-empty mapping name -> (X, y), e.g. {'train': (X, y)}")
        needed = list(self.model.binner_.features_)
        ch_needed = list(getattr(self.challenger, "features_", []) or []) if self.challenger is not None else []
        out = []
        for raw_name, value in samples.items():
            name = str(raw_name)
            X, y = self._split(name, value)
            if len(X) == 0:
                raise DataError(f"sample {name!r} is empty (0 rows): drop it from samples or give it rows")
            try:
                X = as_frame(X, name=f"sample {name!r}")
            except DataError as exc:
                raise DataError(f"sample {name!r}: {exc}") from None
            missing = [c for c in needed if c not in X.columns]
            if missing:
                raise MissingColumnError(
                    f"sample {name!r} is missing {len(missing)} feature(s) the model needs: {missing[:10]}"
                )
            ch_missing = [c for c in ch_needed if c not in X.columns]
            if ch_missing:
                raise MissingColumnError(
                    f"sample {name!r} is missing {len(ch_missing)} feature(s) the challenger needs: "
                    f"{ch_missing[:10]}"
                )
            n_y = len(y) if hasattr(y, "__len__") else None
            if n_y != len(X):
                raise DataError(f"sample {name!r}: X has {len(X)} rows but y has {n_y} values")
            one_class = _one_class_reason(y, self.bad_value)
            if one_class is not None:
                flags = (
                    (np.asarray(y) == self.bad_value) if self.bad_value is not None else np.asarray(y, dtype=float)
                )
                target = np.asarray(flags, dtype=np.int8)
                reason = f"sample {name!r} has one class ({one_class})"
                logger.warning("validation: %s; parts that need both classes are not computable", reason)
            else:
                try:
                    target = check_target(y, bad_value=self.bad_value, n_rows=len(X))
                except TargetError as exc:
                    raise TargetError(f"sample {name!r}: {exc}") from None
                reason = None
            out.append(_Sample(name=name, X=X, y=target, one_class=reason))
        names = [s.name for s in out]
        if len(set(names)) != len(names):
            raise ValueError(f"sample names must be distinct once converted to text, got {names}")
        if reference is None:
            reference = "train" if "train" in names else names[0]
        if reference not in names:
            raise ValueError(f"reference {reference!r} is not a sample; samples are {names}")
        self._ref = out[names.index(reference)]
        for s in out:
            self._score(s)
        self._attach_columns(out)
        return out

    def _score(self, s: _Sample) -> None:
        model = self.model
        pos = [model.binner_.features_.index(f) for f in model.features_]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", FallbackWarning)
            s.p = model.predict_proba(s.X)[:, 1]
            s.score = np.asarray(model.predict_score(s.X), dtype=float)
            idx = model.binner_.transform(s.X, output="index")[:, pos]
            if self.challenger is not None:
                s.p_challenger = np.asarray(self.challenger.predict_proba(s.X)[:, 1], dtype=float)
        if s.one_class is None and np.isfinite(s.p).all():
            s.hist = metrics.score_histogram(s.y, s.p)
            if s.p_challenger is not None:
                s.hist_challenger = metrics.score_histogram(s.y, s.p_challenger)
        s.bins = pd.DataFrame(idx, columns=list(model.features_))
        for w in caught:
            if issubclass(w.category, FallbackWarning):
                msg = str(w.message)
                if msg not in s.fallback:
                    s.fallback.append(msg)
            else:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        if not np.isfinite(s.p).all():
            raise DataError(f"sample {s.name!r}: the model gave non-finite probabilities")

    def _attach_columns(self, samples: list[_Sample]) -> None:
        self._month_note = ""
        self._segment_notes: list[str] = []
        tc = self.time_column
        if tc is not None:
            have = [s for s in samples if tc in s.X.columns]
            if not have:
                self._month_note = f"no sample has the time column {tc!r}: per-month analyses are not available"
            for s in have:
                labels = _month_labels(s.X[tc])
                if labels.nunique() > _MAX_MONTHS:
                    raise DataError(
                        f"sample {s.name!r}: time column {tc!r} has {labels.nunique()} distinct months; "
                        "pass time_column=None or a monthly column"
                    )
                s.month = labels
            missing = [s.name for s in samples if tc not in s.X.columns]
            if have and missing:
                self._month_note = f"samples {missing} have no time column {tc!r}"
        for col in self.segment_columns:
            have = [s for s in samples if col in s.X.columns]
            if not have:
                self._segment_notes.append(f"no sample has the segment column {col!r}")
                continue
            values = pd.concat([s.X[col] for s in have]).astype("object").where(lambda v: v.notna(), "missing")
            if values.astype(str).nunique() > _MAX_SEGMENT_VALUES:
                self._segment_notes.append(
                    f"segment column {col!r} has more than {_MAX_SEGMENT_VALUES} distinct values: not a "
                    "segment (possibly an identifier); not analysed and never shown"
                )
                continue
            for s in have:
                s.segments[col] = s.X[col].astype("object").where(s.X[col].notna(), "missing").astype(str)

    # -- running sections ---------------------------------------------------------
    def _run(self, section: Section, build: Callable[[Section], None]) -> None:
        try:
            build(section)
        except Exception as exc:  # a failing section is reported as such, never half-rendered
            logger.exception("validation: section %r could not be computed", section.id)
            reason = f"{type(exc).__name__}: {exc}"
            section.reasons.append(reason)
            section.status = "partial" if section.blocks else "not computable"
            self._add(section.id, "not_computable", f"{section.title}: {section.status}", "", math.nan,
                      "the section computes", NOT_COMPUTABLE, reason)

    def _add(self, section: str, key: str, check: str, sample: str, value: float, threshold: str,
             result: str, detail: str = "") -> None:
        v = float(value) if value is not None else math.nan
        self.checks.append(Check(section, key, check, sample, v, threshold, result, detail))

    def _ci(self, hist: metrics.ScoreHistogram, *, segment: bool = False) -> dict[str, float]:
        """AUC, Gini and KS with their bootstrap intervals, from the histogram of the predicted PD."""
        n_boot = self.n_boot if not segment or self.segment_n_boot is None else self.segment_n_boot
        cis = metrics.histogram_ci(
            hist, n_boot=int(n_boot), level=float(self.level), random_state=self.random_state,
            max_bins=self.max_bins,
        )
        out: dict[str, float] = {}
        for name in ("auc", "gini", "ks"):
            ci = cis[name]
            out[name], out[f"{name}_low"], out[f"{name}_high"] = ci.estimate, ci.low, ci.high
        return out

    @property
    def _others(self) -> list[_Sample]:
        return [s for s in self._samples if s is not self._ref]

    # -- 1. data -----------------------------------------------------------------
    def _build_data(self, sec: Section) -> None:
        features = list(self.model.binner_.features_)
        sec.text(
            f"{len(self._samples)} sample(s); reference (development) sample: {self.reference!r}. Bad = 1, "
            "good = 0. Only the model's features, the time column and the segment columns are read; "
            "other columns of the samples (identifiers, personal data) are never shown, only counted "
            "and fingerprinted (section 8)."
        )
        ref_months = self._ref.month[self._ref.month != "missing"] if self._ref.month is not None else None
        ref_last = ref_months.max() if ref_months is not None and len(ref_months) else None
        rows = []
        for s in self._samples:
            months = s.month[s.month != "missing"] if s.month is not None else None
            first = months.min() if months is not None and len(months) else None
            last = months.max() if months is not None and len(months) else None
            if s is self._ref:
                role = "reference"
            elif first is not None and ref_last is not None and first > ref_last:
                role = "out-of-time"
            elif first is not None and ref_last is not None:
                role = "in-time"
            else:
                role = "comparison"
            used = set(features) | ({self.time_column} if self.time_column else set()) | set(s.segments)
            rows.append(
                {
                    "sample": s.name,
                    "role": role,
                    "rows": s.n,
                    "bads": s.bads,
                    "goods": s.n - s.bads,
                    "bad_rate": s.bads / s.n,
                    "first_month": first or "",
                    "last_month": last or "",
                    "months": int(months.nunique()) if months is not None else 0,
                    "columns": int(s.X.shape[1]),
                    "columns_not_used": int(sum(c not in used for c in s.X.columns)),
                }
            )
        sec.table("samples", pd.DataFrame(rows), "Samples: size, bad rate and time span")
        if self._month_note:
            sec.text(self._month_note + ".")
        for s in self._samples:
            if s.one_class:
                sec.text(f"Note: {s.one_class}; the tests that need both classes are marked not computable.")
        # exclusions
        excl = _exclusions_frame(self.exclusions)
        if excl is None:
            sec.text(
                "Exclusions: none declared. Rows removed before validation (policy rules, indeterminates, "
                "fraud ...) should be declared with exclusions=... so the reviewer sees them."
            )
        else:
            sec.table("exclusions", excl, "Exclusions declared by the modeller")
        # scoring fallbacks
        fb = [{"sample": s.name, "message": m} for s in self._samples for m in s.fallback]
        if fb:
            sec.table(
                "fallback",
                pd.DataFrame(fb),
                "Values with no bin learned in training, scored with the fallback bin",
            )
        else:
            sec.text("Every value of every sample fell in a bin learned in training (no fallback bin used).")
        # missing and special values
        sec.table("missing", self._missing_table(features), "Missing and special values per feature (share of rows)")
        # by month
        month_rows = []
        for s in self._samples:
            if s.month is None:
                continue
            g = pd.DataFrame({"month": s.month.to_numpy(), "y": s.y}).groupby("month", sort=True)["y"]
            for m, grp in g:
                month_rows.append({"sample": s.name, "month": m, "rows": int(grp.size),
                                   "bads": int(grp.sum()), "bad_rate": float(grp.mean())})
        if month_rows:
            by_month = sec.table("by_month", pd.DataFrame(month_rows), "Volume and bad rate by month")
            sec.figure(
                "by_month",
                lambda: _plots.monthly_data_figure(by_month, [s.name for s in self._samples], "month"),
                "Applications (bars) and bad rate (lines) by month and sample",
            )

    def _missing_table(self, features: list[str]) -> pd.DataFrame:
        codes = getattr(self.model.binner_, "special_codes", None)
        try:
            from scorecard.quality import profile
        except ImportError:  # pragma: no cover - quality ships with the package
            profile = None
        frame = pd.DataFrame({"feature": features})
        for s in self._samples:
            sub = s.X[features]
            if profile is not None:
                sc = {k: list(v) for k, v in codes.items() if k in features} if isinstance(codes, Mapping) else codes
                prof = profile(sub, special_codes=sc, max_categories=10**9).set_index("column")
                miss = prof["missing_rate"].reindex(features).to_numpy(float)
                spec = (prof["n_special"].reindex(features) / len(sub)).to_numpy(float)
            else:  # pragma: no cover
                miss = sub.isna().mean().to_numpy(float)
                spec = np.zeros(len(features))
            frame[f"{s.name} missing_rate"] = miss
            frame[f"{s.name} special_rate"] = spec
        in_model = set(self.model.features_)
        frame.insert(1, "in_model", [f in in_model for f in features])
        return frame

    # -- 2. conceptual soundness ---------------------------------------------------
    def _build_conceptual(self, sec: Section) -> None:
        model, binner = self.model, self.model.binner_
        th = self.thresholds
        summary = binner.summary()
        trend = dict(zip(summary["feature"], summary["trend"]))
        summary = summary.assign(
            in_model=summary["feature"].isin(model.features_),
            monotone=[_monotone_label(t) for t in summary["trend"]],
        )
        sec.text(
            f"{len(model.features_)} of {len(binner.features_)} binned features are in the model. "
            "WOE = ln(good share / bad share) per bin (higher = lower risk); the trend is the observed "
            "shape of the bad rate over the ordered regular bins (missing and special values have bins "
            "of their own and are not part of the trend)."
        )
        sec.table("binning_summary", summary, "Binning summary (every binned feature, by IV)")
        # coefficients
        coef = model.summary()
        sec.heading("Coefficients")
        sec.text(
            "Logistic regression of the bad flag on the WOE features (statsmodels maximum likelihood). "
            "On WOE every coefficient should be negative (sign_ok): a positive one means the feature's "
            "risk runs against its own WOE once the others are in the model (usually collinearity)."
        )
        sec.table("coefficients", coef, "Coefficients, standard errors, p-values, VIF and IV")
        feats = coef[coef["feature"] != "(intercept)"]
        wrong = feats.loc[~feats["sign_ok"].astype(bool), "feature"].tolist()
        self._add(sec.id, "coef_sign", "Coefficient signs", "model", float(len(wrong)),
                  "every coefficient negative on WOE", "pass" if not wrong else "fail",
                  f"positive: {', '.join(wrong)}" if wrong else "all negative")
        pmax = float(feats["p_value"].max())
        worst_p = str(feats.loc[feats["p_value"].idxmax(), "feature"])
        a, b = th["coef_p_value"]
        self._add(sec.id, "coef_p_value", "Largest coefficient p-value", "model", pmax,
                  f"pass <= {a:g}, watch <= {b:g}", _grade_low(pmax, a, b), f"{worst_p}")
        vmax = float(feats["vif"].max())
        worst_v = str(feats.loc[feats["vif"].idxmax(), "feature"])
        a, b = th["vif"]
        self._add(sec.id, "vif", "Largest VIF", "model", vmax, f"pass <= {a:g}, watch <= {b:g}",
                  _grade_low(vmax, a, b), worst_v)
        # selection log
        sec.heading("Selection log")
        dropped = model.selection_.dropped
        if len(dropped):
            sec.text("Every binned feature that is not in the model, with the step that dropped it and why.")
            sec.table("selection", dropped, "Dropped features")
        else:
            sec.text("No binned feature was dropped.")
        # correlation of the WOE features on the reference sample
        sec.heading("Correlation of the WOE features")
        pos = [binner.features_.index(f) for f in model.features_]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FallbackWarning)
            woe = pd.DataFrame(binner.transform(self._ref.X)[:, pos], columns=model.features_)
        corr = woe.corr()
        sec.table("correlation", corr, f"Pearson correlation of the WOE features on {self.reference!r}")
        sec.figure("correlation", lambda: _plots.correlation_figure(corr), "Correlation of the WOE features")
        k = corr.shape[0]
        if k > 1:
            a_ = np.abs(corr.to_numpy(float))
            a_[np.eye(k, dtype=bool)] = np.nan
            i, j = np.unravel_index(np.nanargmax(a_), a_.shape)
            cmax = float(a_[i, j])
            a, b = th["correlation"]
            self._add(sec.id, "woe_correlation", "Largest |correlation| of two WOE features", "model", cmax,
                      f"pass <= {a:g}, watch <= {b:g}", _grade_low(cmax, a, b),
                      f"{corr.index[i]} / {corr.columns[j]}")
        # trends
        numeric = [f for f in model.features_ if binner.bins_[f].kind == "numeric"]
        erratic = [f for f in numeric if trend.get(f) == "none"]
        turning = [f for f in numeric if trend.get(f) in ("peak", "valley")]
        res = "watch" if erratic or turning else "pass"
        detail = "; ".join(
            x for x in (
                f"one turning point (needs a rationale): {', '.join(turning)}" if turning else "",
                f"erratic: {', '.join(erratic)}" if erratic else "",
            ) if x
        ) or f"all {len(numeric)} numeric features monotone"
        self._add(sec.id, "binning_trend", "Monotone bad rate over the bins", "model",
                  float(len(erratic) + len(turning)), "every numeric model feature monotone", res, detail)
        # per feature
        sec.heading("Binning per model feature")
        for f in model.features_:
            t = binner.binning_table(f)
            fb = binner.bins_[f]
            shape = trend.get(f)
            sec.heading(
                f"{f}: {fb.kind}, IV {float(binner.iv_[f]):.4f}, trend {shape} "
                f"({_monotone_label(shape)}), {fb.n_regular} bins ({fb.source})",
                sub=True,
            )
            sec.table(f"binning/{f}", t)
            sec.figure(
                f"binning/{f}", lambda f=f: binner.plot(f), f"Binning of {f}: counts (bars) and bad rate (line)"
            )

    # -- 3. discrimination ----------------------------------------------------------
    def _build_discrimination(self, sec: Section) -> None:
        th = self.thresholds
        sec.text(
            f"AUC = P(a bad is scored riskier than a good), ties one half; Gini = 2 AUC - 1; "
            f"KS = max |F_bad - F_good| over the predicted probability of bad; all three from the bad and "
            f"good counts per distinct predicted probability (scorecard.metrics.histogram_metrics, equal to "
            f"scorecard.metrics.auc / gini / ks on the rows). Intervals: {self.level:.0%} percentile "
            f"bootstrap, {self.n_boot} stratified resamples seeded with random_state={self.random_state}, "
            f"each drawn as multinomial counts per predicted probability (adjacent values merged into at "
            f"most {self.max_bins} groups, the interval re-centred on the exact estimate; "
            f"scorecard.metrics.histogram_ci)."
        )
        rows, curves = [], {}
        for s in self._samples:
            row: dict[str, Any] = {"sample": s.name, "rows": s.n, "bads": s.bads}
            if s.one_class:
                sec.not_computable(f"{s.one_class}: AUC, Gini and KS need both classes")
                rows.append(row)
                continue
            assert s.hist is not None
            self._champion_ci[s.name] = self._ci(s.hist)
            row.update(self._champion_ci[s.name])
            rows.append(row)
            curves[s.name] = s.hist
        cols = ["sample", "rows", "bads", "auc", "auc_low", "auc_high", "gini", "gini_low", "gini_high",
                "ks", "ks_low", "ks_high"]
        table = pd.DataFrame(rows).reindex(columns=cols)
        sec.table("by_sample", table, "AUC, Gini and KS per sample")
        by = table.set_index("sample")
        a, b = th["gini"]
        ref_g = float(by.loc[self.reference, "gini"])
        da, db = th["gini_decline"]
        for s in self._samples:
            g = float(by.loc[s.name, "gini"])
            detail = s.one_class or f"[{by.loc[s.name, 'gini_low']:.4f}, {by.loc[s.name, 'gini_high']:.4f}]"
            self._add(sec.id, "gini", "Gini", s.name, g, f"pass >= {a:g}, watch >= {b:g}",
                      _grade_high(g, a, b), detail)
            if s is self._ref:
                continue
            if math.isfinite(ref_g) and ref_g > 0 and math.isfinite(g):
                dec = (ref_g - g) / ref_g
                self._add(sec.id, "gini_decline", f"Gini decline from {self.reference}", s.name, dec,
                          f"relative decline: pass <= {da:.0%}, watch <= {db:.0%}", _grade_low(dec, da, db),
                          f"{self.reference} {ref_g:.4f} -> {s.name} {g:.4f}")
            else:
                self._add(sec.id, "gini_decline", f"Gini decline from {self.reference}", s.name, math.nan,
                          f"relative decline: pass <= {da:.0%}, watch <= {db:.0%}", NOT_COMPUTABLE,
                          "not computable: a Gini is missing or the reference Gini is not positive")
        if curves:
            sec.figure("roc", lambda: _plots.roc_figure(curves), "ROC curves")
            sec.figure("ks", lambda: _plots.ks_figure(curves), "KS: cumulative bad and good shares, riskiest first")
            sec.figure("cap", lambda: _plots.cap_figure(curves), "Cumulative accuracy profiles (CAP)")
        # segments
        seg_cols = [c for c in self.segment_columns if any(c in s.segments for s in self._samples)]
        for note in self._segment_notes:
            sec.text(note + ".")
        for col in seg_cols:
            sec.heading(f"By {col}")
            seg = self._segment_metrics(col, lambda s, c=col: s.segments.get(c))
            sec.table(f"by_{col}", seg, f"AUC, Gini and KS by {col}")
            if seg["gini"].notna().any():
                sec.figure(f"by_{col}", lambda: _plots.segment_gini_figure(seg, col, [s.name for s in self._samples]),
                           f"Gini by {col}")
        if any(s.month is not None for s in self._samples):
            sec.heading("By month")
            seg = self._segment_metrics("month", lambda s: s.month)
            sec.table("by_month", seg, "AUC, Gini and KS by month")
            if seg["gini"].notna().any():
                names = [s.name for s in self._samples]
                sec.figure("by_month", lambda: _plots.segment_gini_figure(seg, "month", names), "Gini by month")
        elif self._month_note:
            sec.text(self._month_note + ".")
        # lift
        sec.heading("Lift (decile) tables")
        sec.text(
            f"Per sample, {self.n_bands} bands of the predicted probability of bad (band 1 = riskiest; "
            "tied scores never split), from scorecard.metrics.lift_table."
        )
        for s in self._samples:
            if s.one_class:
                continue
            sec.table(f"lift/{s.name}", metrics.lift_table(s.y, s.p, n_bins=int(self.n_bands)), f"Lift: {s.name}")

    def _segment_metrics(self, col: str, get: Callable[[_Sample], pd.Series | None]) -> pd.DataFrame:
        rows = []
        for s in self._samples:
            labels = get(s)
            if labels is None:
                continue
            for v, k in _groups(labels.to_numpy()):
                y, p = s.y[k], s.p[k]
                row: dict[str, Any] = {"sample": s.name, col: v, "rows": int(k.size), "bads": int(y.sum())}
                if 0 < y.sum() < y.size:
                    row.update(self._ci(metrics.score_histogram(y, p), segment=True))
                    row["note"] = ""
                else:
                    row["note"] = "one class: not computable"
                rows.append(row)
        cols = ["sample", col, "rows", "bads", "auc", "auc_low", "auc_high", "gini", "gini_low", "gini_high",
                "ks", "ks_low", "ks_high", "note"]
        return pd.DataFrame(rows).reindex(columns=cols)

    # -- 4. calibration --------------------------------------------------------------
    def _band_edges(self) -> pd.DataFrame:
        """Score bands fixed on the reference sample (the PSI bands)."""
        ref = self._ref.score
        t = metrics.psi_table(ref, ref, bins=int(self.n_bands))
        return t[["band", "lower", "upper"]].reset_index(drop=True)

    def _build_calibration(self, sec: Section) -> None:
        lo_p, hi_p = self.thresholds["hosmer_lemeshow"]
        yellow, red = self.thresholds["band_test"]
        edges = self._band_edges()
        sec.text(
            f"Hosmer-Lemeshow: {self.n_bands} groups of the predicted probability of bad "
            "(scorecard.metrics.hosmer_lemeshow), chi-squared with groups - 2 degrees of freedom; "
            f"pass when p >= {lo_p:g}, watch when {hi_p:g} <= p < {lo_p:g}, fail below."
        )
        sec.text(
            f"Per score band: the {len(edges)} bands are quantile bands of the reference sample's score "
            f"({self.reference!r}; the PSI bands of section 5), right-closed, riskiest (lowest score) first, "
            "applied unchanged to every sample. Predicted PD of a band = mean predicted probability of bad "
            "of its rows. Binomial test: p = P(X >= bads), X ~ Binomial(n, PD). Jeffreys test: "
            "p = F(PD) of the posterior Beta(bads + 1/2, n - bads + 1/2). Both are one-sided: a small p "
            f"says the band has more bads than predicted. Traffic lights: green p >= {yellow:g} (not "
            f"rejected at {100 * (1 - yellow):g}%), yellow {red:g} <= p < {yellow:g}, red p < {red:g} (rejected "
            f"at {100 * (1 - red):g}%). Verdict per sample and test: fail when a band is red; watch when more "
            "bands are yellow than a well-calibrated model shows in 95% of samples (the 95% quantile of "
            f"Binomial(bands, {yellow:g})); pass otherwise."
        )
        hl_rows = []
        for s in self._samples:
            row: dict[str, Any] = {"sample": s.name, "rows": s.n, "observed_bad_rate": s.bads / s.n,
                                   "mean_predicted_pd": float(s.p.mean())}
            if s.one_class:
                sec.not_computable(f"{s.one_class}: Hosmer-Lemeshow and the Brier score need both classes")
                row.update(statistic=math.nan, dof=math.nan, pvalue=math.nan, result=NOT_COMPUTABLE,
                           brier=math.nan)
                self._add(sec.id, "hosmer_lemeshow", "Hosmer-Lemeshow", s.name, math.nan,
                          f"p-value: pass >= {lo_p:g}, watch >= {hi_p:g}", NOT_COMPUTABLE, s.one_class)
            else:
                try:
                    hl = metrics.hosmer_lemeshow(s.y, s.p, n_groups=int(self.n_bands))
                except DataError as exc:
                    sec.not_computable(f"Hosmer-Lemeshow on sample {s.name!r}: {exc}")
                    row.update(statistic=math.nan, dof=math.nan, pvalue=math.nan, result=NOT_COMPUTABLE,
                               brier=metrics.brier(s.y, s.p))
                    self._add(sec.id, "hosmer_lemeshow", "Hosmer-Lemeshow", s.name, math.nan,
                              f"p-value: pass >= {lo_p:g}, watch >= {hi_p:g}", NOT_COMPUTABLE, str(exc))
                else:
                    res = _grade_high(hl.pvalue, lo_p, hi_p)
                    row.update(statistic=hl.statistic, dof=hl.dof, pvalue=hl.pvalue, result=res,
                               brier=metrics.brier(s.y, s.p))
                    self._add(sec.id, "hosmer_lemeshow", "Hosmer-Lemeshow", s.name, hl.pvalue,
                              f"p-value: pass >= {lo_p:g}, watch >= {hi_p:g}", res,
                              f"statistic {hl.statistic:.3f}, {hl.dof} dof")
            hl_rows.append(row)
        sec.table("hosmer_lemeshow", pd.DataFrame(hl_rows), "Hosmer-Lemeshow and Brier score per sample")
        bands = self._bands_table(edges)
        sec.heading("Observed against predicted bad rate per score band")
        sec.table("bands", bands, "Binomial and Jeffreys tests per score band")
        sec.figure(
            "bands",
            lambda: _plots.calibration_figure(bands, [s.name for s in self._samples]),
            f"Observed (dots, coloured by the binomial light; bars: {self.level:.0%} Jeffreys interval) "
            "and predicted (squares) bad rate per band",
        )
        for s in self._samples:
            t = bands[(bands["sample"] == s.name) & (bands["n"] > 0)]
            k = len(t)
            allowed = allowed_yellow_bands(k, yellow)
            for test in ("binomial", "jeffreys"):
                lights = t[f"{test}_light"].tolist()
                n_red, n_yellow = lights.count("red"), lights.count("yellow")
                res = "fail" if n_red else ("watch" if n_yellow > allowed else "pass")
                worst = t.loc[t[f"{test}_p"].idxmin()] if k else None
                detail = f"{n_red} red, {n_yellow} yellow of {k} bands"
                if worst is not None:
                    detail += f"; lowest p {worst[f'{test}_p']:.3g} in band {worst['band']}"
                self._add(sec.id, f"{test}_bands", f"{test.capitalize()} test per band", s.name,
                          float(n_red + n_yellow), f"no red band, at most {allowed} yellow of {k}", res, detail)

    def _bands_table(self, edges: pd.DataFrame) -> pd.DataFrame:
        inner = edges["upper"].to_numpy(float)[:-1]
        alpha = 1.0 - float(self.level)
        from scipy.stats import beta

        rows = []
        for s in self._samples:
            code = np.searchsorted(inner, s.score, side="left")
            for i, (label, lo, up) in enumerate(edges.itertuples(index=False, name=None)):
                k = code == i
                n = int(k.sum())
                row: dict[str, Any] = {"sample": s.name, "band": label, "lower": lo, "upper": up, "n": n}
                if n == 0:
                    row.update(bads=0, observed_rate=math.nan, predicted_pd=math.nan, binomial_p=math.nan,
                               binomial_light="n/a", jeffreys_p=math.nan, jeffreys_light="n/a",
                               jeffreys_low=math.nan, jeffreys_high=math.nan)
                    rows.append(row)
                    continue
                d = int(s.y[k].sum())
                pd_ = float(s.p[k].mean())
                pb, pj = binomial_test(d, n, pd_), jeffreys_test(d, n, pd_)
                lo_q, hi_q = beta.ppf([alpha / 2, 1 - alpha / 2], d + 0.5, n - d + 0.5)
                row.update(bads=d, observed_rate=d / n, predicted_pd=pd_, binomial_p=pb,
                           binomial_light=traffic_light(pb, self.thresholds["band_test"]), jeffreys_p=pj,
                           jeffreys_light=traffic_light(pj, self.thresholds["band_test"]),
                           jeffreys_low=float(lo_q), jeffreys_high=float(hi_q))
                rows.append(row)
        return pd.DataFrame(rows)

    # -- 5. stability -----------------------------------------------------------------
    def _build_stability(self, sec: Section) -> None:
        ref = self._ref
        sec.text(
            f"PSI = sum (a - e) ln(a / e) over {self.n_bands} quantile bands of the reference sample's "
            f"score ({self.reference!r}; scorecard.metrics.psi, shares floored at 1e-4). CSI: the same "
            "over each model feature's bins (scorecard.metrics.csi). Reading (scorecard.metrics.psi_reading): "
            "below 0.10 stable (pass), 0.10 to 0.25 watch, above 0.25 shifted (fail)."
        )
        others = self._others
        if not others:
            sec.not_computable("only one sample: stability needs a sample to compare with the reference")
        rows, band_rows = [], []
        for s in others:
            value = metrics.psi(ref.score, s.score, bins=int(self.n_bands))
            reading = metrics.psi_reading(value)
            rows.append({"sample": s.name, "rows": s.n, "psi": value, "reading": reading})
            self._add(sec.id, "score_psi", f"Score PSI from {self.reference}", s.name, value,
                      "< 0.10 stable, <= 0.25 watch, > 0.25 shifted", _READING_RESULT[reading], reading)
            t = metrics.psi_table(ref.score, s.score, bins=int(self.n_bands))
            band_rows.append(t.assign(sample=s.name))
        if rows:
            sec.table("score_psi", pd.DataFrame(rows), f"Score PSI of each sample against {self.reference!r}")
            bands = pd.concat(band_rows, ignore_index=True)
            bands = bands[["sample", *[c for c in bands.columns if c != "sample"]]]
            sec.table("score_psi_bands", bands, "Score PSI per band")
            shares = band_rows[0][["band", "expected_share"]].rename(columns={"expected_share": ref.name})
            for s, t in zip(others, band_rows):
                shares[s.name] = t["actual_share"].to_numpy()
            sec.figure("score_distribution",
                       lambda: _plots.score_distribution_figure(shares, [ref.name, *[s.name for s in others]]),
                       f"Share of each sample per score band (bands fixed on {self.reference!r})")
        # by month: the rows are banded once, each month's PSI comes from its counts per band
        month_rows = []
        ref_bands = metrics.psi_table(ref.score, ref.score, bins=int(self.n_bands))
        inner = ref_bands["upper"].to_numpy(float)[:-1]  # right-closed bands, as psi_table forms them
        expected = ref_bands["expected_count"].to_numpy()
        for s in self._samples:
            if s.month is None:
                continue
            code = np.searchsorted(inner, s.score, side="left")
            for m, rows in _groups(s.month.to_numpy()):
                v = metrics.psi_from_counts(expected, np.bincount(code[rows], minlength=expected.size))
                month_rows.append({"sample": s.name, "month": m, "rows": int(rows.size), "psi": v,
                                   "reading": metrics.psi_reading(v)})
        if month_rows:
            sec.heading("Score PSI by month")
            by_month = sec.table("psi_by_month", pd.DataFrame(month_rows),
                                 f"Score PSI of each month against {self.reference!r}")
            names = [s.name for s in self._samples]
            sec.figure("psi_by_month", lambda: _plots.psi_month_figure(by_month, names, "month"), "Score PSI by month")
            for s in self._samples:
                t = by_month[(by_month["sample"] == s.name) & (by_month["rows"] >= int(self.min_segment_rows))]
                if by_month[by_month["sample"] == s.name].empty:
                    continue
                if t.empty:
                    self._add(sec.id, "monthly_psi", "Largest monthly score PSI", s.name, math.nan,
                              "< 0.10 stable, <= 0.25 watch, > 0.25 shifted", NOT_COMPUTABLE,
                              f"no month with at least {self.min_segment_rows} rows")
                    continue
                worst = t.loc[t["psi"].idxmax()]
                self._add(sec.id, "monthly_psi", "Largest monthly score PSI", s.name, float(worst["psi"]),
                          "< 0.10 stable, <= 0.25 watch, > 0.25 shifted", _READING_RESULT[worst["reading"]],
                          f"{worst['month']} ({worst['reading']}; months of >= {self.min_segment_rows} rows)")
        elif self._month_note:
            sec.text(self._month_note + ".")
        # CSI
        if others:
            sec.heading("Characteristic stability (CSI) per model feature")
            csi = pd.DataFrame({"feature": list(self.model.features_)})
            for s in others:
                values = metrics.csi(ref.bins, s.bins)
                csi[s.name] = values.reindex(csi["feature"]).to_numpy(float)
                csi[f"{s.name} reading"] = [metrics.psi_reading(v) for v in csi[s.name]]
                worst_f = str(values.idxmax())
                worst = float(values.max())
                over = [f for f, v in values.items() if v >= 0.10]
                reading = metrics.psi_reading(worst)
                self._add(sec.id, "max_csi", "Largest CSI", s.name, worst,
                          "< 0.10 stable, <= 0.25 watch, > 0.25 shifted", _READING_RESULT[reading],
                          f"{worst_f} ({reading})" + (f"; CSI >= 0.10: {', '.join(over)}" if over else ""))
            sec.table("csi", csi, f"CSI of each model feature against {self.reference!r}")
            sec.figure("csi", lambda: _plots.csi_figure(csi, [s.name for s in others]), "CSI per model feature")

    # -- 6. benchmarking ----------------------------------------------------------------
    def _build_benchmarking(self, sec: Section) -> None:
        if self.challenger is None:
            sec.status = "not applicable"
            sec.reasons.append("no challenger was given (ValidationReport(..., challenger=model))")
            return
        from scorecard.compare import delong_test, swap_set

        names = (self.model_name, self.challenger_name)
        alpha = float(self.thresholds["delong"])
        sec.text(
            f"{names[0]} ({type(self.model).__name__}) against {names[1]} ({type(self.challenger).__name__}) "
            "on the same rows, both scored by their probability of bad. Intervals as in section 3. DeLong's "
            "test of the two correlated AUCs (scorecard.compare.delong_test; difference = challenger - "
            "champion, two-sided). Verdict on the samples other than the reference (the challenger may have "
            f"been fitted on it): watch when the challenger's AUC is higher with p < {alpha:g}, pass otherwise."
        )
        side, tests, curves = [], [], {}
        for s in self._samples:
            if s.one_class:
                sec.not_computable(f"{s.one_class}: the models cannot be compared on it")
                continue
            assert s.p_challenger is not None and s.hist is not None and s.hist_challenger is not None
            champion_ci = self._champion_ci.get(s.name) or self._ci(s.hist)  # computed in section 3
            challenger_ci = self._ci(s.hist_challenger)
            for label, p, ci in ((names[0], s.p, champion_ci), (names[1], s.p_challenger, challenger_ci)):
                side.append({"sample": s.name, "model": label, **ci, "brier": metrics.brier(s.y, p)})
            d = delong_test(s.y, s.p_challenger, s.p, level=float(self.level))
            tests.append({"sample": s.name, f"auc {names[0]}": d.auc_b, f"auc {names[1]}": d.auc_a,
                          "difference": d.difference, "ci_low": d.ci_low, "ci_high": d.ci_high,
                          "std_error": d.std_error, "z": d.z, "p_value": d.p_value})
            curves[s.name] = (s.hist, s.hist_challenger)
            if s is not self._ref or len(self._samples) == 1:
                better = d.difference > 0 and d.p_value < alpha
                self._add(sec.id, "delong", f"DeLong: {names[1]} vs {names[0]}", s.name, d.p_value,
                          f"watch when the challenger is better at p < {alpha:g}", "watch" if better else "pass",
                          f"AUC {d.auc_b:.4f} vs {d.auc_a:.4f} (difference {d.difference:+.4f})")
        if not side:
            sec.status = "not computable"
            return
        sec.table("side_by_side", pd.DataFrame(side), "Both models side by side")
        sec.table("delong", pd.DataFrame(tests), "DeLong's test (difference = challenger - champion)")
        sec.figure("roc", lambda: _plots.benchmark_roc_figure(curves, names), "ROC of both models per sample")
        sec.heading(f"Swap sets at an approval rate of {self.approval_rate:.0%}")
        sec.text(
            "Each model approves its least risky rows up to the approval rate (scorecard.compare.swap_set; "
            "tied scores get the same decision, so the realised rate can be slightly higher). Swap-ins are "
            "approved by the challenger only, swap-outs by the champion only: a challenger that swaps in "
            "fewer bads than it swaps out approves a better book at the same rate."
        )
        for s in self._samples:
            if s.one_class:
                continue
            sw = swap_set(s.y, s.p, s.p_challenger, float(self.approval_rate), names=names)
            sec.table(f"swap/{s.name}", sw.table, f"Swap sets: {s.name}")
            sec.table(
                f"swap_summary/{s.name}",
                pd.DataFrame(
                    {
                        "model": list(names),
                        "cutoff_p_bad": [sw.cutoffs[n] for n in names],
                        "approval_rate": [sw.approval_rates[n] for n in names],
                        "approved_bad_rate": [sw.approved_bad_rates[n] for n in names],
                    }
                ),
            )

    # -- 8. reproducibility -------------------------------------------------------------
    def _build_reproducibility(self, sec: Section) -> None:
        import scorecard
        from scorecard import tracking

        fps = []
        for s in self._samples:
            fp = tracking.data_fingerprint(s.X, pd.Series(s.y, name="bad"))
            fps.append({"sample": s.name, "rows": fp["n_rows"], "columns": fp["n_columns"],
                        "bads": fp["target"]["n_bad"], "sha256_X": fp["sha256"],
                        "sha256_y": fp["target"]["sha256"]})
        sec.text(
            "Data fingerprints: sha256 of the column names, dtypes and per-row hashes of each sample "
            "(scorecard.tracking.data_fingerprint), and of its 0/1 target; they identify the data without "
            "holding any row."
        )
        sec.table("fingerprints", pd.DataFrame(fps), "Data fingerprints")
        spec = self.model.to_json(indent=None) if hasattr(self.model, "to_json") else repr(self.model)
        model_rows = [{"model": self.model_name, "class": type(self.model).__name__,
                       "features": len(self.model.features_),
                       "spec_sha256": hashlib.sha256(spec.encode("utf-8")).hexdigest()}]
        if self.challenger is not None:
            ch = self.challenger
            text = json.dumps(ch.to_dict(), sort_keys=True, default=str) if hasattr(ch, "to_dict") else repr(ch)
            model_rows.append({"model": self.challenger_name, "class": type(ch).__name__,
                               "features": len(getattr(ch, "features_", []) or []),
                               "spec_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()})
        sec.table("models", pd.DataFrame(model_rows), "Models (sha256 of the JSON spec)")
        git = tracking.git_commit()
        code = pd.DataFrame(
            [
                {"item": "scorecard version", "value": scorecard.__version__},
                {"item": "git commit", "value": git["commit"] if git else "not a git checkout"},
                {"item": "uncommitted changes", "value": ("yes" if git["dirty"] else "no") if git else ""},
                {"item": "MLflow run id", "value": self.run_id or "not logged"},
            ]
        )
        sec.table("code", code, "Code version and MLflow run")
        versions = tracking.package_versions()
        packages = pd.DataFrame({"package": list(versions), "version": [v or "" for v in versions.values()]})
        sec.table("packages", packages, "Package versions")
        settings = {
            "reference": self.reference,
            "n_bands": self.n_bands,
            "n_boot": self.n_boot,
            "segment_n_boot": self.segment_n_boot,
            "level": self.level,
            "random_state": self.random_state,
            "max_bins": self.max_bins,
            "approval_rate": self.approval_rate,
            "min_segment_rows": self.min_segment_rows,
            "time_column": self.time_column,
            "segment_columns": list(self.segment_columns),
            **{f"threshold {k}": v for k, v in self.thresholds.items()},
        }
        values = [json.dumps(v) for v in settings.values()]
        sec.table("settings", pd.DataFrame({"setting": list(settings), "value": values}), "Settings of this report")

    # -- 7. verdict ----------------------------------------------------------------------
    def _build_verdict(self, sec: Section) -> None:
        v = self.verdict()
        sec.text(
            "Each test of sections 2 to 6, its value, its threshold and its result: pass (green), watch "
            "(yellow: look at it), fail (red), not computable (grey, with the reason). The overall result "
            "is the worst of them."
        )
        shown = v.assign(section=[_TITLES.get(x, x) for x in v["section"]]).drop(columns=["key"])
        sec.table("verdict", shown, "")
        not_ok = [s for s in self.sections.values() if s.id != "verdict" and s.status not in ("ok",)]
        if not_ok:
            sec.bullets([f"{s.title}: {s.status} ({'; '.join(s.reasons)})" for s in not_ok])

    # -- public API -------------------------------------------------------------------------
    def verdict(self) -> pd.DataFrame:
        """The verdict table: one row per test, in the order of the sections.

        Returns
        -------
        pandas.DataFrame
            Columns :data:`VERDICT_COLUMNS`: ``section``, ``key``, ``check``,
            ``sample``, ``value``, ``threshold``, ``result`` (pass / watch /
            fail / not computable), ``detail``.

        Example
        -------
        >>> v = report.verdict()  # doctest: +SKIP
        >>> v[v["result"] != "pass"][["check", "sample", "value", "detail"]]  # doctest: +SKIP
        """
        rows = [asdict(c) for c in self.checks]
        return pd.DataFrame(rows, columns=list(VERDICT_COLUMNS))

    @property
    def overall(self) -> str:
        """The worst result of the verdict: ``"pass"``, ``"watch"`` or ``"fail"`` (``"not computable"`` if none)."""
        results = [c.result for c in self.checks if c.result in _RANK]
        if not results:
            return NOT_COMPUTABLE
        return max(results, key=_RANK.__getitem__)

    def section(self, section_id: str) -> Section:
        """One section of the data model, by id (see :data:`SECTION_IDS`)."""
        if section_id not in self.sections:
            raise KeyError(f"no section {section_id!r}; sections are {list(self.sections)}")
        return self.sections[section_id]

    def to_html(self, *, fragment: bool = False) -> str:
        """Render the report: a full HTML document, or a fragment for JupyterLab.

        The document is self-contained (styles inline, figures as ``data:``
        URIs, no script, no external resource).
        """
        import scorecard

        tables: dict[str, str] = {}
        sections = []
        for sec in self.sections.values():
            for key, df in sec.tables.items():
                tables[f"{sec.id}/{key}"] = _render.table_html(
                    df, f"t-{sec.id}-{_slug(key)}", index=(sec.id == "conceptual-soundness" and key == "correlation")
                )
            blocks = [
                Block(b.kind, key=f"{sec.id}/{b.key}" if b.key else "", title=b.title, text=b.text,
                      items=b.items, anchor=b.anchor)
                for b in sec.blocks
            ]
            sections.append({"id": sec.id, "title": sec.title, "status": sec.status, "reasons": sec.reasons,
                             "blocks": blocks})
        figures = {f"{sec.id}/{k}": v for sec in self.sections.values() for k, v in sec.figures.items()}
        counts = self.verdict()["result"].value_counts()
        sample_text = ", ".join(f"{s.name} ({s.n:,} rows)" for s in self._samples)
        subtitle = (
            f"{type(self.model).__name__} with {len(self.model.features_)} features; samples: {sample_text}; "
            f"reference: {self.reference}"
            + (f"; challenger: {type(self.challenger).__name__}" if self.challenger is not None else "")
            + (f"; MLflow run {self.run_id}" if self.run_id else "")
        )
        return _render.render_document(
            title=self.title,
            subtitle=subtitle,
            overall=self.overall,
            counts=[(k, int(counts.get(k, 0))) for k in ("pass", "watch", "fail", NOT_COMPUTABLE)],
            sections=sections,
            tables=tables,
            figures=figures,
            version=scorecard.__version__,
            fragment=fragment,
        )

    def _repr_html_(self) -> str:
        return self.to_html(fragment=True)

    def __repr__(self) -> str:
        counts = self.verdict()["result"].value_counts().to_dict()
        return (
            f"<ValidationReport {self.title!r}: samples {[s.name for s in self._samples]}, "
            f"overall {self.overall}, {counts}>"
        )

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the report as one self-contained HTML file.

        The whole document is rendered first and then written to a temporary
        file beside ``path``, which replaces ``path`` in one step: a failure
        never leaves a partial file.

        Parameters
        ----------
        path : str or PathLike
            Target file (``.html``); parent folders are created.

        Returns
        -------
        pathlib.Path
            The absolute path written.

        Example
        -------
        >>> report.save("../outputs/validation_german.html")  # doctest: +SKIP
        PosixPath('/.../outputs/validation_german.html')
        """
        target = Path(path).expanduser().resolve()
        text = self.to_html()
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            with open(tmp, "x", encoding="utf-8") as fh:  # honours the umask, unlike mkstemp
                fh.write(text)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        logger.info("validation report written to %s (%.0f kB)", target, len(text) / 1024)
        return target

    def log_to_mlflow(
        self,
        *,
        run_id: str | None = None,
        experiment: str = "scorecard",
        run_name: str = "validation_report",
        artifact_path: str = "validation",
    ) -> str:
        """Log the HTML report, the verdict and its values to MLflow; see :func:`log_report`.

        Example
        -------
        >>> run_id = tracking.log_model(model, X=X_test, y=y_test)  # doctest: +SKIP
        >>> report.log_to_mlflow(run_id=run_id)  # doctest: +SKIP
        """
        return log_report(self, run_id=run_id, experiment=experiment, run_name=run_name, artifact_path=artifact_path)


# --------------------------------------------------------------------------- #
# helpers
# --------------------------------------------------------------------------- #
def _month_labels(col: pd.Series) -> pd.Series:
    """``"YYYY-MM"`` text per row (``"missing"`` for missing values)."""
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        out = col.dt.strftime("%Y-%m")
    elif isinstance(col.dtype, pd.PeriodDtype):
        out = col.dt.asfreq("M").astype(str)
    else:
        out = col.astype("object").where(col.notna(), None).map(lambda v: None if v is None else str(v))
    return out.fillna("missing").astype(str).reset_index(drop=True)


def _show_step(bar: Any, label: str) -> None:
    """Name the step running now on the progress bar (drawn only once the bar's delay has passed)."""
    bar.set_postfix_str(label, refresh=False)
    if not bar.disable and time.time() - bar.start_t >= bar.delay:
        bar.refresh()


def _groups(labels: np.ndarray) -> list[tuple[Any, np.ndarray]]:
    """``(value, row positions)`` of each distinct label, in sorted order of the values (one sort)."""
    codes, uniques = pd.factorize(labels, sort=True)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    return [(uniques[i], order[bounds[i] : bounds[i + 1]]) for i in range(len(uniques))]


def _monotone_label(trend: Any) -> str:
    if trend in _MONOTONE:
        return "monotone"
    if trend in ("peak", "valley"):
        return "one turning point"
    if trend == "none":
        return "not monotone"
    return "n/a"


def _exclusions_frame(exclusions: Any) -> pd.DataFrame | None:
    if exclusions is None:
        return None
    if isinstance(exclusions, pd.DataFrame):
        return exclusions.reset_index(drop=True)
    if isinstance(exclusions, Mapping):
        rows = []
        for reason, v in exclusions.items():
            if isinstance(v, Mapping):
                rows.append({"exclusion": str(reason), **{str(k): int(c) for k, c in v.items()}})
            else:
                rows.append({"exclusion": str(reason), "rows": int(v)})
        return pd.DataFrame(rows)
    raise ValueError("exclusions must be a DataFrame or a mapping reason -> rows or reason -> {sample: rows}")


def _metric_key(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.\-/ ]", "_", text)[:250]


def log_report(
    report: ValidationReport,
    *,
    run_id: str | None = None,
    experiment: str = "scorecard",
    run_name: str = "validation_report",
    artifact_path: str = "validation",
) -> str:
    """Log a validation report to MLflow: the HTML file, the verdict and its values.

    The run is ``run_id`` when given (e.g. the run of
    :func:`scorecard.tracking.log_model` for the same model), else the
    report's own ``run_id``, else a new run in ``experiment``. The report's
    ``run_id`` is set first, so the logged HTML names its run in the footer.
    Logged, under ``artifact_path``: ``validation_report.html`` and
    ``verdict.csv``; metrics ``validation.<key>.<sample>`` (each verdict
    value that is finite) and ``validation.n_pass|n_watch|n_fail``; the tag
    ``validation.overall``. The tracking URI is
    :func:`scorecard.tracking.tracking_uri` (an ``MlflowClient`` bound to it:
    no global MLflow state is changed).

    Returns
    -------
    str
        The run id.

    Example
    -------
    >>> run_id = log_report(report, experiment="scorecard")  # doctest: +SKIP
    """
    from scorecard import tracking

    target = run_id or report.run_id
    if target is None:
        with tracking.start_run(experiment, run_name, tags={"scorecard.kind": "validation_report"}) as run:
            _log_into(report, run.run_id, run.tracking_uri, artifact_path)
            return run.run_id
    _log_into(report, target, tracking.tracking_uri(), artifact_path)
    return target


def _log_into(report: ValidationReport, run_id: str, uri: str, artifact_path: str) -> None:
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    from mlflow import MlflowClient
    from mlflow.entities import Metric, RunTag

    report.run_id = run_id
    code = report.sections["reproducibility"].tables.get("code")
    if code is not None:  # only the run id changes: the provenance recorded at build time stays as it was
        code.loc[code["item"] == "MLflow run id", "value"] = run_id
    client = MlflowClient(tracking_uri=uri)
    verdict = report.verdict()
    with tempfile.TemporaryDirectory(prefix="scorecard-validation-") as tmp:
        report.save(Path(tmp) / "validation_report.html")
        verdict.to_csv(Path(tmp) / "verdict.csv", index=False)
        client.log_artifacts(run_id, tmp, artifact_path=artifact_path or None)
    now = int(time.time() * 1000)
    values: dict[str, float] = {}
    for row in verdict.itertuples(index=False):
        if math.isfinite(row.value):
            values[_metric_key(f"validation.{row.key}.{row.sample}")] = float(row.value)
    counts = verdict["result"].value_counts()
    for k in ("pass", "watch", "fail"):
        values[f"validation.n_{k}"] = float(counts.get(k, 0))
    batch = [Metric(k, v, now, 0) for k, v in values.items()]
    for i in range(0, len(batch), 1000):
        client.log_batch(run_id, metrics=batch[i : i + 1000])
    client.log_batch(run_id, tags=[RunTag("validation.overall", report.overall)])
    logger.info("validation report logged to MLflow run %s (%s)", run_id, uri)
