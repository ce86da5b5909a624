"""The production monitor: count tables per period, derived figures, alerts, history."""

from __future__ import annotations

import copy
import json
import logging
import math
import os
import re
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scorecard.errors import DataError, FallbackWarning, MissingColumnError, SpecError
from scorecard.metrics import psi_reading
from scorecard.monitoring._counts import (
    auc_from_counts,
    band_codes,
    bootstrap_from_counts,
    hosmer_lemeshow_from_counts,
    ks_from_counts,
    psi_from_counts,
    quantile_edges,
)

logger = logging.getLogger("scorecard.monitoring")

__all__ = ["Monitor", "DEFAULT_THRESHOLDS", "resolve_model", "log_to_mlflow"]

#: Version of the monitor's JSON state.
STATE_VERSION = 1

#: Artifact path of a baseline stored with a registered model (:meth:`Monitor.save_baseline`).
BASELINE_ARTIFACT = "monitoring/baseline.json"

#: Default alert thresholds (``(yellow, red)`` pairs; see :class:`Monitor`).
DEFAULT_THRESHOLDS: dict[str, Any] = {
    "psi": (0.10, 0.25),
    "csi": (0.10, 0.25),
    "missing_jump": (0.02, 0.05),
    "special_jump": (0.02, 0.05),
    "fallback_jump": (0.01, 0.05),
    "rate_z": 3.0,
    "approval_shift": (0.05, 0.10),
    "band_test": (0.05, 0.001),
    "hl_pvalue": (0.01, 0.001),
    "bad_rate_z": (3.0, 4.0),
    "auc_z": (2.33, 3.09),
    "auc_gap": (0.03, 0.05),
    "min_rows": 200,
    "min_bads": 30,
}

_ALL = "all"
_ALERT_COLUMNS = ["light", "period", "segment", "check", "feature", "value", "threshold", "message"]


# --------------------------------------------------------------------------- #
# the model
# --------------------------------------------------------------------------- #
def _find_spec(folder: Path) -> Path:
    from scorecard.export import SPEC_FILE

    hits = sorted(folder.rglob(SPEC_FILE))
    if not hits:
        raise SpecError(f"no {SPEC_FILE} in the downloaded model {folder.name!r}: not a scorecard export")
    return hits[0]


def _normal_quantile(level: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf((1 + level) / 2))


def resolve_model(model: Any, *, tracking_uri: str | None = None) -> tuple[Any, dict[str, Any]]:
    """The fitted :class:`~scorecard.LogisticScorecard` behind ``model``, and where it came from.

    Parameters
    ----------
    model : LogisticScorecard, dict, str or PathLike
        A fitted scorecard; its JSON spec (a dict, a JSON string or a file);
        the JSON of an export (``scorecard.export`` spec); or a registered
        model URI ``models:/NAME@alias`` / ``models:/NAME/VERSION`` (read
        from the MLflow registry: the exported JSON, never a pickle).

    Returns
    -------
    model : LogisticScorecard
    info : dict
        ``source`` ("object", "spec" or "registry") and, for a registered
        model, ``name``, ``version`` and ``uri``.

    Examples
    --------
    >>> from scorecard import LogisticScorecard
    >>> from scorecard.datasets import load_german_credit
    >>> X, y = load_german_credit()
    >>> m, info = resolve_model(LogisticScorecard().fit(X, y).to_json())
    >>> type(m).__name__, info["source"]
    ('LogisticScorecard', 'spec')
    """
    from scorecard.model import LogisticScorecard

    if isinstance(model, LogisticScorecard):
        if not hasattr(model, "features_"):
            raise DataError("the model is not fitted: fit it before monitoring it")
        return model, {"source": "object"}
    if isinstance(model, str) and model.startswith("models:/"):
        return _from_registry(model, tracking_uri)
    if not isinstance(model, (str, os.PathLike, Mapping)):
        raise DataError(
            f"a {type(model).__name__} cannot be monitored: the monitor watches a LogisticScorecard's points "
            "(a fitted scorecard, its JSON spec or a registered models:/ URI)"
        )
    spec: Any = model
    if isinstance(model, os.PathLike) or (isinstance(model, str) and not model.lstrip().startswith("{")):
        path = Path(model)
        if not path.is_file():
            raise SpecError(f"{str(model)[:80]!r} is neither a fitted model, a JSON spec, a spec file nor models:/ URI")
        spec = path.read_text(encoding="utf-8")
    if isinstance(spec, str):
        try:
            spec = json.loads(spec)
        except json.JSONDecodeError as exc:
            raise SpecError(f"the model spec is not valid JSON: {exc}") from None
    if isinstance(spec, Mapping) and spec.get("spec") == "scorecard.export":
        spec = spec["model"]
        if not isinstance(spec, Mapping) or "binner" not in spec:
            raise SpecError("the export spec is not a scorecard's (a challenger cannot be monitored by points)")
    return LogisticScorecard.from_json(dict(spec)), {"source": "spec"}


def _from_registry(uri: str, tracking_uri: str | None) -> tuple[Any, dict[str, Any]]:
    import tempfile

    from scorecard import _serving, tracking
    from scorecard.export import CompiledScorer

    rest = uri[len("models:/"):]
    client = tracking._mlflow_client(tracking_uri or tracking.tracking_uri())
    if "@" in rest:
        name, alias = rest.split("@", 1)
        try:
            mv = client.get_model_version_by_alias(name, alias)
        except Exception as exc:  # noqa: BLE001 - MLflow raises its own exception types
            from scorecard.registry import RegistryError

            raise RegistryError(f"no version of {name!r} has the alias {alias!r}: {exc}") from None
    else:
        name, version = rest.rsplit("/", 1)
        mv = client.get_model_version(name, version)
    import mlflow.artifacts

    with tempfile.TemporaryDirectory(prefix="scorecard-monitor-") as tmp, _serving.tracking_context(tracking_uri):
        local = mlflow.artifacts.download_artifacts(artifact_uri=f"models:/{mv.name}/{mv.version}", dst_path=tmp)
        spec = json.loads(_find_spec(Path(local)).read_text(encoding="utf-8"))
    model = CompiledScorer(spec, engine="numpy").model
    return model, {"source": "registry", "name": mv.name, "version": str(mv.version), "uri": uri}


# --------------------------------------------------------------------------- #
# reading batches
# --------------------------------------------------------------------------- #
def _sql_list(cols: list[str]) -> str:
    return ", ".join('"' + c.replace('"', '""') + '"' for c in cols)


def _iter_frames(source: Any, columns: list[str], chunk_rows: int, optional: list[str] = ()) -> Iterator[pd.DataFrame]:
    """Chunks of ``columns`` (and of the ``optional`` columns present) of a batch.

    A batch is a pandas DataFrame, Parquet path(s), a DuckDB relation or a Spark DataFrame.
    """
    have = _columns_of(source)
    columns = list(dict.fromkeys([*columns, *[c for c in optional if have is not None and c in have]]))
    if isinstance(source, pd.DataFrame):
        missing = [c for c in columns if c not in source.columns]
        if missing:
            raise MissingColumnError(f"the batch lacks the column(s) {missing}")
        for start in range(0, len(source), chunk_rows):
            yield source.iloc[start : start + chunk_rows]
        return
    if hasattr(source, "toLocalIterator") and hasattr(source, "sparkSession"):  # Spark DataFrame
        missing = [c for c in columns if c not in source.columns]
        if missing:
            raise MissingColumnError(f"the batch lacks the column(s) {missing}")
        rows: list[Any] = []
        for row in source.select(*columns).toLocalIterator():
            rows.append(tuple(row))
            if len(rows) >= chunk_rows:
                yield pd.DataFrame.from_records(rows, columns=columns)
                rows = []
        if rows:
            yield pd.DataFrame.from_records(rows, columns=columns)
        return
    import duckdb

    if isinstance(source, duckdb.DuckDBPyRelation):
        missing = [c for c in columns if c not in source.columns]
        if missing:
            raise MissingColumnError(f"the batch lacks the column(s) {missing}")
        rel = source.query("_monitor_src", f"SELECT {_sql_list(columns)} FROM _monitor_src")
    else:
        if isinstance(source, (list, tuple)):
            paths = "[" + ", ".join("'" + os.fspath(p).replace("'", "''") + "'" for p in source) + "]"
        else:
            p = os.fspath(source)
            if os.path.isdir(p):
                p = os.path.join(p, "**", "*.parquet")
            paths = "'" + p.replace("'", "''") + "'"
        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")
        rel = con.sql(f"SELECT * FROM read_parquet({paths})")
        missing = [c for c in columns if c not in rel.columns]
        if missing:
            raise MissingColumnError(f"the Parquet batch lacks the column(s) {missing}")
        rel = con.sql(f"SELECT {_sql_list(columns)} FROM read_parquet({paths})")
    for batch in rel.to_arrow_reader(chunk_rows):
        if batch.num_rows:
            yield batch.to_pandas()


def _columns_of(source: Any) -> list[str] | None:
    if isinstance(source, pd.DataFrame) or hasattr(source, "sparkSession"):
        return [str(c) for c in source.columns]
    try:
        import duckdb
    except ImportError:  # pragma: no cover
        return None
    if isinstance(source, duckdb.DuckDBPyRelation):
        return list(source.columns)
    return None


def _periods(values: pd.Series, freq: str) -> np.ndarray:
    dates = pd.to_datetime(values)
    if dates.isna().any():
        raise DataError(f"the date column {values.name!r} has {int(dates.isna().sum())} missing value(s)")
    return dates.dt.to_period(freq).astype(str).to_numpy(dtype=object)


def _fallback_counts(message: str, features: list[str]) -> dict[str, int]:
    """Per feature, the fallback count a :class:`FallbackWarning` reports (``'feature': count``)."""
    out = {}
    for f in features:
        m = re.search(re.escape(repr(f)) + r": (\d+)", message)
        if m:
            out[f] = int(m.group(1))
    return out


# --------------------------------------------------------------------------- #
# the monitor
# --------------------------------------------------------------------------- #
class Monitor:
    """A scorecard watched in production: drift, maturing outcomes, alerts, on count tables.

    The monitor keeps, per period (month by default) and segment, only count
    tables: rows per score value (the integer points), rows per bin of each
    model feature, fallback counts per feature and, with a policy, rows per
    decision; per origination cohort, matured rows and bads per score value.
    Every figure (PSI, CSI, rates, AUC / Gini / KS with intervals, bad rate,
    calibration per grade, Hosmer-Lemeshow, the CBPE estimates) is computed
    from these tables, equal to the :mod:`scorecard.metrics` function on the
    rows (tested). Bins, points and fallbacks come from the scoring core
    (``binner_.transform``, :class:`scorecard.export.CompiledScorer`): the
    monitor assigns no bin itself.

    Probabilities are those of the published (rounded) scorecard:
    ``p(points) = 1 / (1 + exp((points - offset) / factor))``, the PD master
    scale of the score; so a score value has one probability and the tables
    suffice for expected bad rates and AUC before labels (CBPE).

    Parameters
    ----------
    model : LogisticScorecard, spec or ``models:/NAME@alias``
        See :func:`resolve_model`.
    freq : str, default "M"
        Period of the application date (a pandas period alias).
    n_bands : int, default 10
        Score bands (grades) fixed on the baseline, as the validation report
        forms them: quantile bands of the baseline points, right-closed.
    thresholds : dict, optional
        Overrides of :data:`DEFAULT_THRESHOLDS`.
    policy : scorecard.strategy.Policy, optional
        Decisions per period (approval mix); the monitored score is passed
        to it as ``score_<policy_model>``.
    policy_model : str, optional
        Name of the model in the policy (default: its only model).
    n_boot : int, default 500
        Bootstrap resamples of the AUC / Gini / KS intervals.
    level : float, default 0.95
        Interval coverage.
    random_state : int, default 0
    tracking_uri : str, optional
        For a registered model.

    Attributes
    ----------
    model_ : LogisticScorecard
    model_info_ : dict
    baseline_ : dict or None
        Count tables of the development sample (JSON).
    periods_ : dict
        ``(period, segment) -> count tables``.
    cohorts_ : dict
        ``period -> count tables of matured outcomes``.

    Examples
    --------
    >>> from scorecard import LogisticScorecard
    >>> from scorecard.datasets import make_applications, make_production_months, FEATURE_COLUMNS
    >>> dev = make_applications(3000, random_state=1)
    >>> model = LogisticScorecard(max_features=5).fit(dev[list(FEATURE_COLUMNS)], dev["bad"])
    >>> mon = Monitor(model).fit_baseline(dev, dev["bad"])
    >>> apps, labels = make_production_months(500, n_months=2)
    >>> _ = mon.observe(apps, date="application_date")
    >>> mon.period_table()[["period", "volume"]].to_dict("list")
    {'period': ['2024-01', '2024-02'], 'volume': [500, 500]}
    """

    def __init__(
        self,
        model: Any,
        *,
        freq: str = "M",
        n_bands: int = 10,
        thresholds: Mapping[str, Any] | None = None,
        policy: Any = None,
        policy_model: str | None = None,
        n_boot: int = 500,
        level: float = 0.95,
        random_state: int = 0,
        tracking_uri: str | None = None,
    ) -> None:
        self.model_, self.model_info_ = resolve_model(model, tracking_uri=tracking_uri)
        self.freq = freq
        self.n_bands = int(n_bands)
        unknown = sorted(set(thresholds or {}) - set(DEFAULT_THRESHOLDS))
        if unknown:
            raise ValueError(f"unknown threshold(s) {unknown}; known: {sorted(DEFAULT_THRESHOLDS)}")
        self.thresholds = {**DEFAULT_THRESHOLDS, **dict(thresholds or {})}
        self.policy = policy
        self.policy_model = policy_model
        if policy is not None and policy_model is None:
            models = list(policy.models)
            if len(models) != 1:
                raise ValueError(f"the policy crosses {models}: name the monitored one with policy_model=")
            self.policy_model = models[0]
        self.n_boot = int(n_boot)
        self.level = float(level)
        self.random_state = int(random_state)
        self.features = list(self.model_.features_)
        self._tables = self.model_.binner_
        self._kinds = {}
        self._labels = {}
        for f in self.features:
            t = self._tables.binning_table(f)
            t = t[t["kind"] != "total"]
            self._kinds[f] = t["kind"].astype(str).tolist()
            self._labels[f] = t["bin"].astype(str).tolist()
        self.baseline_: dict[str, Any] | None = None
        self.periods_: dict[tuple[str, str], dict[str, Any]] = {}
        self.cohorts_: dict[str, dict[str, Any]] = {}
        self._cache: dict[Any, Any] = {}
        self._scorer: Any = None
        self._reports: dict[str, Any] = {}

    # -- scoring core ---------------------------------------------------------
    def _compiled(self) -> Any:
        if self._scorer is None:
            from scorecard.export import CompiledScorer

            self._scorer = CompiledScorer.from_model(self.model_, n_reasons=0)
        return self._scorer

    def p_bad(self, points: Any) -> np.ndarray:
        """Probability of bad of a score value on the scorecard's scale.

        ``p = 1 / (1 + exp((points - offset) / factor))``.

        Examples
        --------
        >>> from scorecard import LogisticScorecard
        >>> from scorecard.datasets import load_german_credit
        >>> X, y = load_german_credit()
        >>> mon = Monitor(LogisticScorecard().fit(X, y))
        >>> round(float(mon.p_bad(600)), 4)  # base odds 50:1 at 600 points
        0.0196
        """
        pts = np.asarray(points, dtype=np.float64)
        return 1.0 / (1.0 + np.exp((pts - float(self.model_.offset_)) / float(self.model_.factor_)))

    def _score_chunk(self, frame: pd.DataFrame, groups: np.ndarray) -> dict[str, Any]:
        """Points, bin indices and per-group fallback counts of one chunk."""
        out = self._compiled().predict(frame[self.features], reasons=False)
        points = out["points"].to_numpy(dtype=np.int64)
        n_fb_row = out["n_fallback"].to_numpy(dtype=np.int64)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FallbackWarning)
            idx = self._tables.transform(frame[self.features], output="index", features=self.features)
        fallback: dict[int, dict[str, int]] = {}
        rows = np.flatnonzero(n_fb_row > 0)
        if rows.size:
            sub = frame.iloc[rows][self.features]
            g_sub = groups[rows]
            for g in np.unique(g_sub):
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always", FallbackWarning)
                    self._tables.transform(sub[g_sub == g], output="index", features=self.features)
                counts: dict[str, int] = {}
                for w in caught:
                    if issubclass(w.category, FallbackWarning):
                        counts.update(_fallback_counts(str(w.message), self.features))
                expected = int(n_fb_row[rows][g_sub == g].sum())
                if sum(counts.values()) != expected:
                    logger.warning("fallback counts: the binner reports %d, the scorer %d", sum(counts.values()), expected)
                fallback[int(g)] = counts
        return {"points": points, "idx": np.asarray(idx, dtype=np.int64), "fallback": fallback}

    def _empty_record(self) -> dict[str, Any]:
        return {
            "n": 0,
            "score": {},
            "features": {f: [0] * len(self._kinds[f]) for f in self.features},
            "fallback": {f: 0 for f in self.features},
            "decisions": {},
        }

    def _count_into(self, records: Mapping[int, dict[str, Any]], frame: pd.DataFrame, groups: np.ndarray) -> None:
        scored = self._score_chunk(frame, groups)
        points, idx = scored["points"], scored["idx"]
        decisions = None
        if self.policy is not None:
            view = frame.assign(**{f"score_{self.policy_model}": points})
            decisions = self.policy.decide(view, strict=False)["decision"].astype(str).to_numpy()
        for g, rec in records.items():
            rows = groups == g
            n = int(rows.sum())
            if n == 0:
                continue
            rec["n"] += n
            vals, cnt = np.unique(points[rows], return_counts=True)
            score = rec["score"]
            for v, c in zip(vals.tolist(), cnt.tolist()):
                score[int(v)] = score.get(int(v), 0) + int(c)
            for j, f in enumerate(self.features):
                nb = len(self._kinds[f])
                add = np.bincount(idx[rows, j], minlength=nb)
                rec["features"][f] = [int(a + b) for a, b in zip(rec["features"][f], add.tolist())]
            for f, c in scored["fallback"].get(int(g), {}).items():
                rec["fallback"][f] += int(c)
            if decisions is not None:
                dv, dc = np.unique(decisions[rows], return_counts=True)
                for d, c in zip(dv.tolist(), dc.tolist()):
                    rec["decisions"][d] = rec["decisions"].get(d, 0) + int(c)

    # -- baseline --------------------------------------------------------------
    def fit_baseline(self, X: Any, y: Any = None, *, segment: str | None = None, chunk_rows: int = 200_000) -> Monitor:
        """Count tables of the development sample: the reference of every comparison.

        Use the sample the model was validated on (a hold-out), not the
        training rows: the AUC interval of the baseline is the yardstick of
        the production AUC, and in-sample figures are optimistic.

        Parameters
        ----------
        X : DataFrame, Parquet path or DuckDB relation
            Development applications (the model's features).
        y : array-like, optional
            Their outcomes (1 = bad): enables the AUC interval and the
            observed bad rate per score value.
        segment : str, optional
            Also keep one baseline per value of this column (for example
            ``"channel"``): production segments are compared with their own
            baseline (a segment without one is shown, never alerted on).
        chunk_rows : int, default 200000

        Returns
        -------
        self

        Examples
        --------
        >>> from scorecard import LogisticScorecard
        >>> from scorecard.datasets import load_german_credit
        >>> X, y = load_german_credit()
        >>> mon = Monitor(LogisticScorecard().fit(X, y)).fit_baseline(X, y)
        >>> mon.baseline_["n"], round(mon.baseline_["auc"], 3) > 0.7
        (1000, True)
        """
        rec = {0: self._empty_record()}
        seg_recs: dict[str, dict[str, Any]] = {}
        bads: dict[int, int] = {}
        yv = None if y is None else np.asarray(y, dtype=np.int64)
        offset = 0
        cols = list(dict.fromkeys([*self.features, *([segment] if segment else [])]))
        for chunk in _iter_frames(X, cols, chunk_rows, self._policy_columns()):
            groups = np.zeros(len(chunk), dtype=np.int64)
            self._count_into(rec, chunk, groups)
            if segment:
                seg = chunk[segment].astype(str).where(chunk[segment].notna(), "missing").to_numpy(dtype=object)
                codes, uniques = pd.factorize(seg)
                recs = {g: seg_recs.setdefault(str(u), self._empty_record()) for g, u in enumerate(uniques)}
                self._count_into(recs, chunk, np.asarray(codes))
            if yv is not None:
                pts = self._compiled().predict(chunk[self.features], reasons=False)["points"].to_numpy(dtype=np.int64)
                yy = yv[offset : offset + len(chunk)]
                vals, cnt = np.unique(pts[yy == 1], return_counts=True)
                for v, c in zip(vals.tolist(), cnt.tolist()):
                    bads[int(v)] = bads.get(int(v), 0) + int(c)
            offset += len(chunk)
        if yv is not None and yv.size != offset:
            raise DataError(f"y has {yv.size} values but X has {offset} rows")
        base = rec[0]
        if segment:
            base["segments"] = {k: seg_recs[k] for k in sorted(seg_recs)}
        values = np.array(sorted(base["score"]), dtype=np.float64)
        counts = np.array([base["score"][int(v)] for v in values], dtype=np.int64)
        base["edges"] = [float(e) for e in quantile_edges(values, counts, self.n_bands)]
        self.baseline_ = base
        if yv is not None:
            base["bads"] = {int(v): bads.get(int(v), 0) for v in base["score"]}
            t = self._score_frame(base["score"], base["bads"])
            b, g = t["bads"].to_numpy(), (t["n"] - t["bads"]).to_numpy()
            base["auc"] = auc_from_counts(b, g)
            ci = bootstrap_from_counts(b, g, n_boot=self.n_boot, level=self.level, random_state=self.random_state)
            base["auc_low"], base["auc_high"] = ci["auc"]
            base["bad_rate"] = float(b.sum() / t["n"].sum())
        self.baseline_ = base
        self._cache.clear()
        self._reports.clear()
        return self

    def save_baseline(self, *, tracking_uri: str | None = None) -> str:
        """Store the baseline with the registered model: a JSON artifact of the model version's run.

        The monitor must come from the registry (``models:/NAME@alias``).
        The artifact (:data:`BASELINE_ARTIFACT`) holds the count tables only;
        :meth:`from_registry` reads it back. The version gets the tag
        ``scorecard.monitoring_baseline``.

        Returns
        -------
        str
            The run id the baseline was logged to.

        Examples
        --------
        >>> Monitor("models:/applications@champion").fit_baseline(X_dev, y_dev).save_baseline()  # doctest: +SKIP
        '4ed6674ae8484815ad426468084f2572'
        """
        from scorecard import tracking

        self._need_baseline()
        info = self.model_info_
        if info.get("source") != "registry":
            raise DataError("save_baseline needs a monitor built from the registry (models:/NAME@alias)")
        client = tracking._mlflow_client(tracking_uri or tracking.tracking_uri())
        mv = client.get_model_version(info["name"], info["version"])
        state = self.to_dict()
        state["periods"], state["cohorts"] = [], []
        client.log_text(mv.run_id, json.dumps(state, sort_keys=True), BASELINE_ARTIFACT)
        client.set_model_version_tag(info["name"], info["version"], "scorecard.monitoring_baseline", BASELINE_ARTIFACT)
        return str(mv.run_id)

    @classmethod
    def from_registry(cls, uri: str, *, tracking_uri: str | None = None, **kwargs: Any) -> Monitor:
        """A monitor of a registered model with the baseline stored with it (:meth:`save_baseline`).

        Parameters
        ----------
        uri : str
            ``models:/NAME@alias`` or ``models:/NAME/VERSION``.
        **kwargs
            Settings of :class:`Monitor` (thresholds, policy, ...); the
            baseline's own ``n_bands`` and ``freq`` are kept.

        Examples
        --------
        >>> mon = Monitor.from_registry("models:/applications@champion")  # doctest: +SKIP
        """
        import tempfile

        from scorecard import _serving, tracking

        mon = cls(uri, tracking_uri=tracking_uri, **kwargs)
        info = mon.model_info_
        client = tracking._mlflow_client(tracking_uri or tracking.tracking_uri())
        mv = client.get_model_version(info["name"], info["version"])
        with tempfile.TemporaryDirectory(prefix="scorecard-monitor-") as tmp, _serving.tracking_context(tracking_uri):
            try:
                local = client.download_artifacts(mv.run_id, BASELINE_ARTIFACT, tmp)
            except Exception as exc:  # noqa: BLE001 - MLflow's own exception types
                raise SpecError(
                    f"{info['name']} version {info['version']} has no stored monitoring baseline "
                    f"({BASELINE_ARTIFACT}): fit_baseline(...) then save_baseline() first ({type(exc).__name__})"
                ) from None
            state = json.loads(Path(local).read_text(encoding="utf-8"))
        stored = cls.from_dict(state)
        mon.baseline_ = stored.baseline_
        mon.n_bands, mon.freq = stored.n_bands, stored.freq
        return mon

    def _need_baseline(self) -> dict[str, Any]:
        if self.baseline_ is None:
            raise DataError("the monitor has no baseline: call fit_baseline(X_dev, y_dev) or load a saved state")
        return self.baseline_

    # -- production batches ---------------------------------------------------
    def observe(
        self,
        batch: Any,
        *,
        date: str = "application_date",
        segment: str | None = None,
        chunk_rows: int = 200_000,
    ) -> list[tuple[str, str]]:
        """Count a production batch into its periods (and segments).

        Additive: counts of a batch are added to those of its periods, so a
        new month costs one pass over its rows and nothing for the past, and
        observing months one by one gives exactly the tables of observing
        them at once (tested). Rows are never kept.

        Parameters
        ----------
        batch : DataFrame, Parquet path / directory / glob / list, DuckDB relation or Spark DataFrame
            Read in chunks of ``chunk_rows`` (memory bounded by the chunk).
        date : str, default "application_date"
            Column giving the period.
        segment : str, optional
            Column giving the segment (for example ``"channel"``).
        chunk_rows : int, default 200000

        Returns
        -------
        list of (period, segment)
            The keys the batch touched.

        Examples
        --------
        >>> from scorecard import LogisticScorecard
        >>> from scorecard.datasets import make_applications, make_production_months, FEATURE_COLUMNS
        >>> dev = make_applications(2000, random_state=1)
        >>> mon = Monitor(LogisticScorecard(max_features=4).fit(dev[list(FEATURE_COLUMNS)], dev["bad"]))
        >>> apps, _ = make_production_months(300, n_months=1)
        >>> mon.fit_baseline(dev).observe(apps, segment="channel")
        [('2024-01', 'api'), ('2024-01', 'app'), ('2024-01', 'h5')]
        """
        self._need_baseline()
        columns = list(dict.fromkeys([date, *([segment] if segment else []), *self.features]))
        touched: set[tuple[str, str]] = set()
        for chunk in _iter_frames(batch, columns, chunk_rows, self._policy_columns()):
            per = _periods(chunk[date], self.freq)
            seg = (
                chunk[segment].astype(str).where(chunk[segment].notna(), "missing").to_numpy(dtype=object)
                if segment
                else np.full(len(chunk), _ALL, dtype=object)
            )
            keys = pd.MultiIndex.from_arrays([per, seg])
            codes, uniques = pd.factorize(keys)
            records = {}
            for g, key in enumerate(uniques):
                key = (str(key[0]), str(key[1]))
                records[g] = self.periods_.setdefault(key, self._empty_record())
                touched.add(key)
            self._count_into(records, chunk, np.asarray(codes))
        for key in touched:
            self._cache.pop(("period", key[0]), None)
            self._cache.pop(("period_seg", key), None)
        self._cache = {k: v for k, v in self._cache.items() if k[0] != "cohort" or k[1] not in {t[0] for t in touched}}
        self._reports.clear()
        return sorted(touched)

    def _policy_columns(self) -> list[str]:
        """Columns the policy reads besides the score: channel, amount, completeness fields."""
        if self.policy is None:
            return []
        cols = [self.policy.channel_column, self.policy.amount_column]
        for tier in self.policy.completeness:
            cols.extend(str(c) for c in (getattr(tier, "require", None) or getattr(tier, "fields", None) or []))
        return list(dict.fromkeys(cols))

    # -- outcomes --------------------------------------------------------------
    def add_outcomes(
        self,
        applications: Any,
        labels: pd.DataFrame,
        *,
        key: str = "application_id",
        date: str = "application_date",
        months_on_book: str = "months_on_book",
        bad_month: str = "first_bad_mob",
        window: int = 12,
        chunk_rows: int = 200_000,
    ) -> list[str]:
        """Join a label table to the applications and count matured outcomes per cohort.

        Bad definition: the first qualifying event (for example 90+ days past
        due) happened within ``window`` months on book (``bad_month <=
        window``). An account is *matured* when ``months_on_book >= window``;
        AUC, bad rates and calibration use matured accounts only, and the
        maturity of each cohort (matured share of its labelled accounts) is
        reported. Each call is a snapshot: it replaces the outcome tables of
        the cohorts it contains. Outcomes are monitored for the whole
        population (not per segment).

        Parameters
        ----------
        applications : batch as in :meth:`observe`
            Must hold ``key``, ``date`` and the model features.
        labels : DataFrame
            ``key``, ``months_on_book``, ``bad_month`` (NaN: no event yet).
        key, date, months_on_book, bad_month : str
            Column names.
        window : int, default 12
            Performance window, in months on book.
        chunk_rows : int, default 200000

        Returns
        -------
        list of str
            The cohorts updated.

        Examples
        --------
        >>> from scorecard import LogisticScorecard
        >>> from scorecard.datasets import make_applications, make_production_months, FEATURE_COLUMNS
        >>> dev = make_applications(2000, random_state=1)
        >>> mon = Monitor(LogisticScorecard(max_features=4).fit(dev[list(FEATURE_COLUMNS)], dev["bad"]))
        >>> apps, labels = make_production_months(300, n_months=2, as_of="2025-01")
        >>> mon.fit_baseline(dev).add_outcomes(apps, labels)
        ['2024-01', '2024-02']
        >>> mon.cohort_table()["maturity"].tolist()
        [1.0, 0.0]
        """
        self._need_baseline()
        for c in (key, months_on_book, bad_month):
            if c not in labels.columns:
                raise MissingColumnError(f"the label table lacks the column {c!r}")
        lab = labels[[key, months_on_book, bad_month]]
        n_dup = int(lab[key].duplicated().sum())
        if n_dup:
            raise DataError(f"the label table has {n_dup} duplicated value(s) of the key {key!r}: one row per account")
        if lab[months_on_book].isna().any():
            raise DataError(f"the label column {months_on_book!r} has missing values")
        new: dict[str, dict[str, Any]] = {}
        columns = list(dict.fromkeys([key, date, *self.features]))
        for chunk in _iter_frames(applications, columns, chunk_rows):
            joined = chunk.merge(lab, on=key, how="inner")
            if joined.empty:
                continue
            cohorts = _periods(joined[date], self.freq)
            points = self._compiled().predict(joined[self.features], reasons=False)["points"].to_numpy(dtype=np.int64)
            mob = joined[months_on_book].to_numpy(dtype=np.float64)
            bm = joined[bad_month].to_numpy(dtype=np.float64, na_value=np.nan)
            matured = mob >= window
            bad = ~np.isnan(bm) & (bm <= window)
            for c in np.unique(cohorts):
                rows = cohorts == c
                rec = new.setdefault(str(c), {"n": 0, "matured": 0, "early_bads": 0, "window": int(window), "score": {}})
                rec["n"] += int(rows.sum())
                rec["matured"] += int((rows & matured).sum())
                rec["early_bads"] += int((rows & ~matured & bad).sum())
                m = rows & matured
                if m.any():
                    vals, inv = np.unique(points[m], return_inverse=True)
                    cnt = np.bincount(inv)
                    bb = np.bincount(inv, weights=bad[m].astype(np.float64)).astype(np.int64)
                    for v, cn, bn in zip(vals.tolist(), cnt.tolist(), bb.tolist()):
                        cell = rec["score"].setdefault(int(v), [0, 0])
                        cell[0] += int(cn)
                        cell[1] += int(bn)
        for c, rec in new.items():
            self.cohorts_[c] = rec
            self._cache.pop(("cohort", c), None)
        self._reports.clear()
        return sorted(new)

    # -- derived figures ------------------------------------------------------
    def _score_frame(self, score: Mapping[int, int], bads: Mapping[int, int] | None = None) -> pd.DataFrame:
        """Rows per score value in increasing-risk order (points descending), with p and band."""
        vals = np.array(sorted(score, reverse=True), dtype=np.int64)
        n = np.array([score[int(v)] for v in vals], dtype=np.int64)
        t = pd.DataFrame({"points": vals, "n": n, "p": self.p_bad(vals)})
        if bads is not None:
            t["bads"] = np.array([bads.get(int(v), 0) for v in vals], dtype=np.int64)
        edges = np.asarray(self._need_baseline()["edges"])
        t["band"] = band_codes(vals, edges)
        return t

    def _merged(self, period: str, segment: str | None = None) -> dict[str, Any]:
        keys = [k for k in self.periods_ if k[0] == period and (segment is None or k[1] == segment)]
        if len(keys) == 1:
            return self.periods_[keys[0]]
        out = self._empty_record()
        for k in sorted(keys):
            rec = self.periods_[k]
            out["n"] += rec["n"]
            for v, c in rec["score"].items():
                out["score"][v] = out["score"].get(v, 0) + c
            for f in self.features:
                out["features"][f] = [a + b for a, b in zip(out["features"][f], rec["features"][f])]
                out["fallback"][f] += rec["fallback"][f]
            for d, c in rec["decisions"].items():
                out["decisions"][d] = out["decisions"].get(d, 0) + c
        return out

    def _reference(self, segment: str) -> dict[str, Any] | None:
        """The baseline a segment is compared with: its own, or the whole baseline for ``"all"``."""
        base = self._need_baseline()
        if segment == _ALL:
            return base
        return (base.get("segments") or {}).get(segment)

    def _period_row(self, rec: dict[str, Any], segment: str = _ALL) -> dict[str, Any]:
        base = self._need_baseline()
        ref = self._reference(segment)
        t = self._score_frame(rec["score"])
        nb = len(base["edges"]) + 1
        bt = self._score_frame((ref or base)["score"])
        e_band = np.bincount(bt["band"], weights=bt["n"], minlength=nb)
        a_band = np.bincount(t["band"], weights=t["n"], minlength=nb)
        exp_b = (t["n"] * t["p"]).to_numpy()
        exp_g = (t["n"] * (1 - t["p"])).to_numpy()
        row: dict[str, Any] = {
            "volume": int(rec["n"]),
            "score_psi": psi_from_counts(e_band, a_band) if ref is not None else math.nan,
            "mean_points": float((t["points"] * t["n"]).sum() / t["n"].sum()) if rec["n"] else math.nan,
            "expected_bad_rate": float(exp_b.sum() / rec["n"]) if rec["n"] else math.nan,
            "expected_auc": auc_from_counts(exp_b, exp_g) if rec["n"] else math.nan,
        }
        feats = {}
        for f in self.features:
            e = np.asarray((ref or base)["features"][f], dtype=np.int64)
            a = np.asarray(rec["features"][f], dtype=np.int64)
            kinds = np.asarray(self._kinds[f])
            n = max(int(a.sum()), 1)
            feats[f] = {
                "csi": psi_from_counts(e, a) if ref is not None else math.nan,
                "missing_rate": float(a[kinds == "missing"].sum() / n),
                "special_rate": float(a[kinds == "special"].sum() / n),
                "fallback_rate": float(rec["fallback"][f] / n),
            }
        row["features"] = feats
        if rec["decisions"]:
            tot = sum(rec["decisions"].values())
            row["decisions"] = {d: c / tot for d, c in sorted(rec["decisions"].items())}
        return row

    def _period_rows(self) -> list[tuple[str, str, dict[str, Any]]]:
        out = []
        segs = sorted({k[1] for k in self.periods_})
        for period in sorted({k[0] for k in self.periods_}):
            ck = ("period", period)
            if ck not in self._cache:
                self._cache[ck] = self._period_row(self._merged(period))
            out.append((period, _ALL, self._cache[ck]))
            if segs != [_ALL]:
                for s in segs:
                    if (period, s) in self.periods_:
                        sk = ("period_seg", (period, s))
                        if sk not in self._cache:
                            self._cache[sk] = self._period_row(self.periods_[(period, s)], s)
                        out.append((period, s, self._cache[sk]))
        return out

    def period_table(self, *, segments: bool = False) -> pd.DataFrame:
        """Per period: volume, score PSI, mean points, CBPE expected bad rate and AUC.

        Parameters
        ----------
        segments : bool, default False
            Also one row per (period, segment).

        Returns
        -------
        DataFrame
            ``period``, ``segment``, ``volume``, ``score_psi``,
            ``psi_reading``, ``mean_points``, ``expected_bad_rate``,
            ``expected_auc``, and ``approval_rate`` with a policy.

        Examples
        --------
        >>> from scorecard import LogisticScorecard
        >>> from scorecard.datasets import load_german_credit
        >>> X, y = load_german_credit()
        >>> mon = Monitor(LogisticScorecard().fit(X, y)).fit_baseline(X, y)
        >>> _ = mon.observe(X.assign(application_date="2025-03-02"))
        >>> float(mon.period_table()["score_psi"].iloc[0])
        0.0
        """
        rows = []
        for period, seg, r in self._period_rows():
            if seg != _ALL and not segments:
                continue
            row = {"period": period, "segment": seg, **{k: v for k, v in r.items() if k not in ("features", "decisions")}}
            row["psi_reading"] = psi_reading(r["score_psi"]) if math.isfinite(r["score_psi"]) else "n/a"
            if "decisions" in r:
                row["approval_rate"] = r["decisions"].get("approve", 0.0)
            rows.append(row)
        return pd.DataFrame(rows)

    def feature_table(self, *, segments: bool = False) -> pd.DataFrame:
        """Per period and model feature: CSI, missing, special-code and fallback rates.

        Examples
        --------
        >>> from scorecard import LogisticScorecard
        >>> from scorecard.datasets import load_german_credit
        >>> X, y = load_german_credit()
        >>> mon = Monitor(LogisticScorecard().fit(X, y)).fit_baseline(X, y)
        >>> _ = mon.observe(X.assign(application_date="2025-03-02"))
        >>> list(mon.feature_table().columns)
        ['period', 'segment', 'feature', 'csi', 'missing_rate', 'special_rate', 'fallback_rate']
        """
        rows = []
        for period, seg, r in self._period_rows():
            if seg != _ALL and not segments:
                continue
            for f, d in r["features"].items():
                rows.append({"period": period, "segment": seg, "feature": f, **d})
        return pd.DataFrame(rows, columns=["period", "segment", "feature", "csi", "missing_rate", "special_rate",
                                           "fallback_rate"])

    def decision_table(self) -> pd.DataFrame:
        """Per period: share of each decision of the policy (empty without a policy).

        Examples
        --------
        >>> from scorecard import LogisticScorecard
        >>> from scorecard.datasets import load_german_credit
        >>> X, y = load_german_credit()
        >>> Monitor(LogisticScorecard().fit(X, y)).fit_baseline(X, y).decision_table().empty
        True
        """
        rows = [{"period": p, "segment": s, **r["decisions"]} for p, s, r in self._period_rows() if "decisions" in r]
        return pd.DataFrame(rows)

    def _cohort_row(self, cohort: str) -> dict[str, Any]:
        from scorecard.validation import allowed_yellow_bands, jeffreys_test, traffic_light

        rec = self.cohorts_[cohort]
        base = self._need_baseline()
        row: dict[str, Any] = {
            "cohort": cohort,
            "labelled": rec["n"],
            "matured": rec["matured"],
            "maturity": rec["matured"] / rec["n"] if rec["n"] else math.nan,
            "early_bads": rec["early_bads"],
        }
        score = {v: c[0] for v, c in rec["score"].items()}
        bads = {v: c[1] for v, c in rec["score"].items()}
        nan_keys = ["bads", "bad_rate", "predicted_bad_rate", "auc", "auc_low", "auc_high", "gini", "gini_low",
                    "gini_high", "ks", "ks_low", "ks_high", "hl_statistic", "hl_pvalue", "red_grades", "yellow_grades",
                    "calibration_light"]
        row.update({k: math.nan for k in nan_keys})
        # the CBPE estimate of the cohort's whole population (from the period tables)
        if any(k[0] == cohort for k in self.periods_):
            pr = self._period_rows_dict().get(cohort)
            row["estimated_bad_rate"] = pr["expected_bad_rate"] if pr else math.nan
            row["estimated_auc"] = pr["expected_auc"] if pr else math.nan
        else:
            row["estimated_bad_rate"] = row["estimated_auc"] = math.nan
        row["grades"] = pd.DataFrame()
        if not score:
            return row
        t = self._score_frame(score, bads)
        b = t["bads"].to_numpy()
        g = (t["n"] - t["bads"]).to_numpy()
        row["bads"] = int(b.sum())
        row["bad_rate"] = float(b.sum() / t["n"].sum())
        row["predicted_bad_rate"] = float((t["n"] * t["p"]).sum() / t["n"].sum())
        var = float((t["n"] * t["p"] * (1 - t["p"])).sum())
        row["bad_rate_z"] = (b.sum() - (t["n"] * t["p"]).sum()) / math.sqrt(var) if var > 0 else math.nan
        if b.sum() > 0 and g.sum() > 0:
            row["auc"] = auc_from_counts(b, g)
            row["gini"] = 2 * row["auc"] - 1
            row["ks"] = ks_from_counts(b, g)
            ci = bootstrap_from_counts(b, g, n_boot=self.n_boot, level=self.level, random_state=self.random_state)
            row["auc_low"], row["auc_high"] = ci["auc"]
            row["gini_low"], row["gini_high"] = ci["gini"]
            row["ks_low"], row["ks_high"] = ci["ks"]
            stat, pv, _, _ = hosmer_lemeshow_from_counts(t["p"].to_numpy(), t["n"].to_numpy(), b)
            row["hl_statistic"], row["hl_pvalue"] = stat, pv
        # calibration per grade (the baseline's score bands), Jeffreys test as in the validation report
        nb = len(base["edges"]) + 1
        gn = np.bincount(t["band"], weights=t["n"], minlength=nb).astype(np.int64)
        gb = np.bincount(t["band"], weights=t["bads"], minlength=nb).astype(np.int64)
        gp = np.bincount(t["band"], weights=t["n"] * t["p"], minlength=nb)
        grades = []
        for k in range(nb):
            if gn[k] == 0:
                continue
            pd_ = gp[k] / gn[k]
            pj = jeffreys_test(int(gb[k]), int(gn[k]), float(pd_))
            from scipy.stats import beta

            lo, hi = beta.ppf([(1 - self.level) / 2, (1 + self.level) / 2], gb[k] + 0.5, gn[k] - gb[k] + 0.5)
            grades.append({"grade": k + 1, "n": int(gn[k]), "bads": int(gb[k]), "bad_rate": gb[k] / gn[k],
                           "predicted_pd": pd_, "jeffreys_low": float(lo), "jeffreys_high": float(hi),
                           "jeffreys_p": pj, "light": traffic_light(pj, tuple(self.thresholds["band_test"]))})
        gt = pd.DataFrame(grades)
        row["grades"] = gt
        row["red_grades"] = int((gt["light"] == "red").sum())
        row["yellow_grades"] = int((gt["light"] == "yellow").sum())
        allowed = allowed_yellow_bands(len(gt), self.thresholds["band_test"][0])
        row["calibration_light"] = (
            "red" if row["red_grades"] else ("yellow" if row["yellow_grades"] > allowed else "green")
        )
        return row

    def _period_rows_dict(self) -> dict[str, dict[str, Any]]:
        return {p: r for p, s, r in self._period_rows() if s == _ALL}

    def _cohort_rows(self) -> list[dict[str, Any]]:
        out = []
        for c in sorted(self.cohorts_):
            ck = ("cohort", c)
            if ck not in self._cache:
                self._cache[ck] = self._cohort_row(c)
            out.append(self._cache[ck])
        return out

    def cohort_table(self) -> pd.DataFrame:
        """Per origination cohort: maturity, bad rate vs predicted, AUC / Gini / KS with intervals, calibration.

        Columns: ``cohort``, ``labelled``, ``matured``, ``maturity``,
        ``early_bads`` (bads seen before the window closed, not used),
        ``bads``, ``bad_rate``, ``predicted_bad_rate`` (mean ``p`` of the
        matured accounts), ``estimated_bad_rate`` / ``estimated_auc`` (CBPE,
        from the whole cohort's score distribution before any label),
        ``bad_rate_z``, ``auc`` (``auc_low``, ``auc_high``), ``gini``,
        ``ks`` and their bounds, ``hl_statistic``, ``hl_pvalue``,
        ``red_grades``, ``yellow_grades``, ``calibration_light``.

        Examples
        --------
        >>> from scorecard import LogisticScorecard
        >>> from scorecard.datasets import load_german_credit
        >>> Monitor(LogisticScorecard().fit(*load_german_credit())).cohort_table().empty
        True
        """
        rows = [{k: v for k, v in r.items() if k != "grades"} for r in self._cohort_rows()]
        return pd.DataFrame(rows)

    def calibration_table(self, cohort: str) -> pd.DataFrame:
        """Per grade of a cohort: rows, bads, bad rate, predicted PD, Jeffreys interval, p-value, light.

        Examples
        --------
        >>> from scorecard import LogisticScorecard
        >>> from scorecard.datasets import load_german_credit
        >>> mon = Monitor(LogisticScorecard().fit(*load_german_credit()))
        >>> mon.calibration_table("2024-01")  # doctest: +IGNORE_EXCEPTION_DETAIL
        Traceback (most recent call last):
        KeyError: "no outcomes for cohort '2024-01'"
        """
        if cohort not in self.cohorts_:
            raise KeyError(f"no outcomes for cohort {cohort!r}")
        return next(r for r in self._cohort_rows() if r["cohort"] == cohort)["grades"]

    # -- alerts ------------------------------------------------------------------
    def alerts(self, *, log: bool = True) -> pd.DataFrame:
        """Traffic-light alerts of every period and cohort, worst first; each logged as a warning.

        Checks (thresholds in :attr:`thresholds`, ``(yellow, red)``):

        - ``score_psi`` and ``csi`` (per feature): PSI >= 0.10 yellow,
          > 0.25 red (periods of at least ``min_rows`` rows);
        - ``missing_rate``, ``special_rate``, ``fallback_rate`` (per
          feature): the rise over the baseline rate beyond ``*_jump`` and
          ``rate_z`` standard errors;
        - ``approval_rate`` (with a policy): shift from the baseline's;
        - a segment is compared with its own baseline
          (``fit_baseline(..., segment=)``), never with the whole
          population's; without one it is shown but not alerted on;
        - ``auc`` (per cohort with ``min_bads`` bads): below the
          development AUC by more than the two intervals allow:
          ``z = (AUC - AUC_dev) / sqrt(se^2 + se_dev^2)``, each ``se`` read
          off its bootstrap interval; ``z < -2.33`` yellow (one-sided 1%),
          ``z < -3.09`` red (0.1%) (``auc_z``);
        - ``calibration``: a red grade (Jeffreys p < 0.001) red, more yellow
          grades than chance allows yellow; ``hosmer_lemeshow`` p-value;
        - ``estimate_gap``: realised bad rate vs the matured accounts'
          predicted (``bad_rate_z``), and estimated (CBPE) vs realised AUC
          beyond ``auc_gap``.

        Returns
        -------
        DataFrame
            ``light``, ``period``, ``segment``, ``check``, ``feature``,
            ``value``, ``threshold``, ``message``; red first.

        Examples
        --------
        >>> from scorecard import LogisticScorecard
        >>> from scorecard.datasets import load_german_credit
        >>> X, y = load_german_credit()
        >>> mon = Monitor(LogisticScorecard().fit(X, y)).fit_baseline(X, y)
        >>> _ = mon.observe(X.assign(application_date="2025-03-02"))
        >>> mon.alerts().empty
        True
        """
        base = self._need_baseline()
        th = self.thresholds
        out: list[dict[str, Any]] = []

        def add(light: str, period: str, segment: str, check: str, feature: str | None, value: float,
                threshold: float, message: str) -> None:
            out.append({"light": light, "period": period, "segment": segment, "check": check, "feature": feature,
                        "value": float(value), "threshold": float(threshold), "message": message})

        def level(value: float, pair: tuple[float, float], *, strict_red: bool = True) -> str | None:
            if not math.isfinite(value):
                return None
            if value > pair[1] if strict_red else value >= pair[1]:
                return "red"
            if value >= pair[0]:
                return "yellow"
            return None

        def reference_rates(ref: dict[str, Any]) -> dict[str, dict[str, float]]:
            n0 = ref["n"]
            out_r = {}
            for f in self.features:
                a = np.asarray(ref["features"][f])
                kinds = np.asarray(self._kinds[f])
                out_r[f] = {"missing_rate": a[kinds == "missing"].sum() / n0,
                            "special_rate": a[kinds == "special"].sum() / n0,
                            "fallback_rate": ref["fallback"][f] / n0}
            return out_r

        rates_cache: dict[str, Any] = {}
        for period, seg, r in self._period_rows():
            ref = self._reference(seg)
            if ref is None or r["volume"] < th["min_rows"]:
                continue
            if seg not in rates_cache:
                rates_cache[seg] = reference_rates(ref)
            base_rates = rates_cache[seg]
            bn = ref["n"]
            lv = level(r["score_psi"], th["psi"])
            if lv:
                add(lv, period, seg, "score_psi", None, r["score_psi"], th["psi"][lv == "red"],
                    f"score PSI {r['score_psi']:.3f} ({psi_reading(r['score_psi'])})")
            for f, d in r["features"].items():
                lv = level(d["csi"], th["csi"])
                if lv:
                    add(lv, period, seg, "csi", f, d["csi"], th["csi"][lv == "red"],
                        f"CSI of {f} {d['csi']:.3f} ({psi_reading(d['csi'])})")
                for rate in ("missing_rate", "special_rate", "fallback_rate"):
                    pair = th[rate.replace("_rate", "_jump")]
                    p0 = base_rates[f][rate]
                    delta = d[rate] - p0
                    se = math.sqrt(max(p0 * (1 - p0), 1e-12) * (1 / r["volume"] + 1 / bn))
                    if delta / se < th["rate_z"]:
                        continue
                    lv = level(delta, pair)
                    if lv:
                        add(lv, period, seg, rate, f, d[rate], p0 + pair[lv == "red"],
                            f"{rate.replace('_', ' ')} of {f} {d[rate]:.1%} vs {p0:.1%} at development")
            if ref.get("decisions") and "decisions" in r:
                ref_ap = ref["decisions"].get("approve", 0) / sum(ref["decisions"].values())
                ap = r["decisions"].get("approve", 0.0)
                lv = level(abs(ap - ref_ap), th["approval_shift"])
                if lv:
                    add(lv, period, seg, "approval_rate", None, ap, th["approval_shift"][lv == "red"],
                        f"approval rate {ap:.1%} vs {ref_ap:.1%} at development")
        for r in self._cohort_rows():
            c = r["cohort"]
            if not (isinstance(r["bads"], int) and r["bads"] >= th["min_bads"]):
                continue
            if "auc_low" in base and math.isfinite(r["auc"]) and math.isfinite(r["auc_low"]):
                z_crit = _normal_quantile(self.level)
                se_b = (base["auc_high"] - base["auc_low"]) / (2 * z_crit)
                se_c = (r["auc_high"] - r["auc_low"]) / (2 * z_crit)
                z = (r["auc"] - base["auc"]) / math.sqrt(se_b**2 + se_c**2) if se_b + se_c > 0 else math.nan
                lv = "red" if z < -th["auc_z"][1] else ("yellow" if z < -th["auc_z"][0] else None)
                if lv:
                    add(lv, c, _ALL, "auc", None, r["auc"], base["auc"],
                        f"AUC {r['auc']:.3f} [{r['auc_low']:.3f}, {r['auc_high']:.3f}] below the development "
                        f"AUC {base['auc']:.3f} [{base['auc_low']:.3f}, {base['auc_high']:.3f}] (z = {z:.1f})")
            if r["calibration_light"] in ("red", "yellow"):
                add(r["calibration_light"], c, _ALL, "calibration", None, r["red_grades"] or r["yellow_grades"],
                    th["band_test"][r["calibration_light"] == "red"],
                    f"{r['red_grades']} red and {r['yellow_grades']} yellow grade(s) (Jeffreys test)")
            hp = r["hl_pvalue"]
            if math.isfinite(hp) and hp < th["hl_pvalue"][0]:
                lv = "red" if hp < th["hl_pvalue"][1] else "yellow"
                add(lv, c, _ALL, "hosmer_lemeshow", None, hp, th["hl_pvalue"][lv == "red"],
                    f"Hosmer-Lemeshow p-value {hp:.2g}")
            z = r.get("bad_rate_z", math.nan)
            lv = level(abs(z), th["bad_rate_z"]) if math.isfinite(z) else None
            if lv:
                add(lv, c, _ALL, "estimate_gap", "bad_rate", r["bad_rate"], th["bad_rate_z"][lv == "red"],
                    f"realised bad rate {r['bad_rate']:.2%} vs predicted {r['predicted_bad_rate']:.2%} (z = {z:.1f})")
            gap = abs(r["estimated_auc"] - r["auc"]) if math.isfinite(r.get("estimated_auc", math.nan)) else math.nan
            lv = level(gap, th["auc_gap"]) if math.isfinite(gap) else None
            if lv:
                add(lv, c, _ALL, "estimate_gap", "auc", r["auc"], th["auc_gap"][lv == "red"],
                    f"realised AUC {r['auc']:.3f} vs estimated {r['estimated_auc']:.3f} before labels")
        table = pd.DataFrame(out, columns=_ALERT_COLUMNS)
        if not table.empty:
            table["_o"] = (table["light"] != "red").astype(int)
            table = table.sort_values(["_o", "period", "check", "feature"], kind="stable", na_position="first")
            table = table.drop(columns="_o").reset_index(drop=True)
        if log:
            for a in table.itertuples(index=False):
                logger.warning("monitoring %s %s [%s]: %s", a.light.upper(), a.period, a.segment, a.message)
        return table

    # -- persistence -------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The monitor's state as plain JSON types: model spec, settings, count tables (never rows).

        Examples
        --------
        >>> from scorecard import LogisticScorecard
        >>> from scorecard.datasets import load_german_credit
        >>> X, y = load_german_credit()
        >>> mon = Monitor(LogisticScorecard().fit(X, y)).fit_baseline(X, y)
        >>> Monitor.from_dict(mon.to_dict()).to_dict() == mon.to_dict()
        True
        """
        def rec(r: dict[str, Any]) -> dict[str, Any]:
            d = copy.deepcopy(r)
            d["score"] = {str(k): v for k, v in sorted(r["score"].items())}
            if "bads" in r:
                d["bads"] = {str(k): v for k, v in sorted(r["bads"].items())}
            if "segments" in r:
                d["segments"] = {k: rec(v) for k, v in sorted(r["segments"].items())}
            return d

        return {
            "spec": "scorecard.monitor",
            "version": STATE_VERSION,
            "model": json.loads(self.model_.to_json()),
            "model_info": dict(self.model_info_),
            "settings": {"freq": self.freq, "n_bands": self.n_bands, "thresholds": {k: list(v) if isinstance(v, tuple) else v for k, v in self.thresholds.items()},
                         "n_boot": self.n_boot, "level": self.level, "random_state": self.random_state,
                         "policy_model": self.policy_model},
            "policy": None if self.policy is None else json.loads(self.policy.to_json()),
            "baseline": None if self.baseline_ is None else rec(self.baseline_),
            "periods": [{"period": k[0], "segment": k[1], **rec(v)} for k, v in sorted(self.periods_.items())],
            "cohorts": [{"cohort": c, **rec(v)} for c, v in sorted(self.cohorts_.items())],
        }

    def to_json(self, path: str | os.PathLike[str] | None = None) -> str:
        """JSON of :meth:`to_dict` (sorted keys: the same state gives the same bytes); written to ``path`` if given.

        Examples
        --------
        >>> from scorecard import LogisticScorecard
        >>> from scorecard.datasets import load_german_credit
        >>> mon = Monitor(LogisticScorecard().fit(*load_german_credit()))
        >>> Monitor.from_json(mon.to_json()).to_json() == mon.to_json()
        True
        """
        text = json.dumps(self.to_dict(), sort_keys=True, indent=1)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    @classmethod
    def from_dict(cls, state: Mapping[str, Any]) -> Monitor:
        """Rebuild a monitor from :meth:`to_dict` (no pickle; the model from its JSON spec).

        Examples
        --------
        >>> Monitor.from_dict({"spec": "other"})  # doctest: +IGNORE_EXCEPTION_DETAIL
        Traceback (most recent call last):
        SpecError: not a monitor state
        """
        if not isinstance(state, Mapping) or state.get("spec") != "scorecard.monitor":
            raise SpecError("not a monitor state (missing 'spec': 'scorecard.monitor')")
        if state.get("version") != STATE_VERSION:
            raise SpecError(f"unsupported monitor state version {state.get('version')!r}")
        s = state["settings"]
        policy = None
        if state.get("policy") is not None:
            from scorecard.strategy import Policy

            policy = Policy.from_dict(state["policy"])
        th = {k: tuple(v) if isinstance(v, list) else v for k, v in s["thresholds"].items()}
        mon = cls(state["model"], freq=s["freq"], n_bands=s["n_bands"], thresholds=th, policy=policy,
                  policy_model=s.get("policy_model"), n_boot=s["n_boot"], level=s["level"],
                  random_state=s["random_state"])
        mon.model_info_ = dict(state.get("model_info", {}))

        def rec(d: Mapping[str, Any], drop: tuple[str, ...] = ()) -> dict[str, Any]:
            r = {k: copy.deepcopy(v) for k, v in d.items() if k not in drop}
            r["score"] = {int(k): v for k, v in d["score"].items()}
            if "bads" in d:
                r["bads"] = {int(k): v for k, v in d["bads"].items()}
            if "segments" in d:
                r["segments"] = {k: rec(v) for k, v in d["segments"].items()}
            return r

        mon.baseline_ = None if state.get("baseline") is None else rec(state["baseline"])
        mon.periods_ = {(p["period"], p["segment"]): rec(p, ("period", "segment")) for p in state.get("periods", [])}
        mon.cohorts_ = {c["cohort"]: rec(c, ("cohort",)) for c in state.get("cohorts", [])}
        return mon

    @classmethod
    def from_json(cls, text_or_path: str | os.PathLike[str]) -> Monitor:
        """Rebuild a monitor from :meth:`to_json` output or a file holding it.

        Examples
        --------
        >>> Monitor.from_json('{"spec": "scorecard.monitor", "version": 0}')  # doctest: +IGNORE_EXCEPTION_DETAIL
        Traceback (most recent call last):
        SpecError: unsupported monitor state version 0
        """
        text = str(text_or_path)
        if not text.lstrip().startswith("{"):
            text = Path(text_or_path).read_text(encoding="utf-8")
        try:
            return cls.from_dict(json.loads(text))
        except json.JSONDecodeError as exc:
            raise SpecError(f"the monitor state is not valid JSON: {exc}") from None

    # -- report ------------------------------------------------------------------
    def report(self, title: str = "Model monitoring report") -> Any:
        """The self-contained HTML monitoring report (:class:`MonitoringReport`), built once per state.

        Examples
        --------
        >>> from scorecard import LogisticScorecard
        >>> from scorecard.datasets import load_german_credit
        >>> X, y = load_german_credit()
        >>> mon = Monitor(LogisticScorecard().fit(X, y)).fit_baseline(X, y)
        >>> _ = mon.observe(X.assign(application_date="2025-03-02"))
        >>> "<html" in mon.report().html()
        True
        """
        from scorecard.monitoring._report import MonitoringReport

        if title not in self._reports:  # dropped whenever the counts change
            self._reports[title] = MonitoringReport(self, title=title)
        return self._reports[title]

    def _repr_html_(self) -> str:
        return self.report()._repr_html_()

    def __repr__(self) -> str:
        return (f"Monitor({len(self.features)} features, {len({k[0] for k in self.periods_})} periods, "
                f"{len(self.cohorts_)} cohorts)")


def log_to_mlflow(
    monitor: Monitor,
    *,
    experiment: str = "monitoring",
    run_name: str | None = None,
    model_name: str | None = None,
    model_version: str | None = None,
    report: bool = True,
) -> str:
    """Log a monitoring run to MLflow: metrics with ``step`` = period, alerts, state and report.

    One run per monitoring run, tagged with the model name and version (from
    the registry when the monitor was built from ``models:/...``). Metrics
    per period (``volume``, ``score_psi``, ``expected_bad_rate``,
    ``expected_auc``, ``csi.<feature>``, ``missing_rate.<feature>``,
    ``fallback_rate.<feature>``) and per cohort (``cohort.auc``,
    ``cohort.bad_rate``, ``cohort.maturity``, ...) are logged with
    ``step`` = the period's ordinal (months since 1970-01 for monthly
    periods), so the MLflow UI plots them over time. Artifacts: the alerts
    table, the monitor state (JSON, count tables only) and, with ``report``,
    the HTML report. MLflow is imported here only.

    Returns
    -------
    str
        The run id.

    Examples
    --------
    >>> run_id = log_to_mlflow(monitor, model_name="applications")  # doctest: +SKIP
    """
    from scorecard import tracking

    info = monitor.model_info_
    name = model_name or info.get("name") or "scorecard"
    version = model_version or info.get("version")
    tags = {"scorecard.kind": "monitoring", "scorecard.model_name": name}
    if version:
        tags["scorecard.model_version"] = str(version)
    alerts = monitor.alerts(log=False)
    periods = monitor.period_table()
    feats = monitor.feature_table()
    cohorts = monitor.cohort_table()
    with tracking.start_run(experiment, run_name or f"monitoring {name}", tags=tags) as run:
        run.log_params({"model_name": name, "model_version": version or "", "freq": monitor.freq,
                        "n_periods": len(periods), "n_cohorts": len(cohorts)})
        for _, row in periods.iterrows():
            step = int(pd.Period(row["period"], monitor.freq).ordinal)
            m = {k: row[k] for k in ("volume", "score_psi", "expected_bad_rate", "expected_auc") if k in row}
            if "approval_rate" in row and pd.notna(row["approval_rate"]):
                m["approval_rate"] = row["approval_rate"]
            sub = feats[feats["period"] == row["period"]]
            for _, fr in sub.iterrows():
                for k in ("csi", "missing_rate", "fallback_rate"):
                    m[f"{k}.{fr['feature']}"] = fr[k]
            run.log_metrics(m, step=step)
        for _, row in cohorts.iterrows():
            step = int(pd.Period(row["cohort"], monitor.freq).ordinal)
            m = {f"cohort.{k}": row[k] for k in ("maturity", "bad_rate", "predicted_bad_rate", "auc", "auc_low",
                                                  "auc_high", "ks", "hl_pvalue", "estimated_auc", "estimated_bad_rate")
                 if pd.notna(row.get(k))}
            run.log_metrics(m, step=step)
        run.log_metrics({"alerts_red": int((alerts["light"] == "red").sum()),
                         "alerts_yellow": int((alerts["light"] == "yellow").sum())})
        import tempfile

        with tempfile.TemporaryDirectory(prefix="scorecard-monitor-") as tmp:
            folder = Path(tmp)
            alerts.to_csv(folder / "alerts.csv", index=False)
            monitor.to_json(folder / "monitor_state.json")
            files = [folder / "alerts.csv", folder / "monitor_state.json"]
            if report:
                files.append(monitor.report().save(folder / "monitoring_report.html"))
            run.log_artifacts(files, artifact_path="monitoring")
        return run.run_id
