"""Production monitoring: a champion watched month by month, drift before labels, performance as they mature.

What it holds
-------------
- :class:`Monitor`: bound to a model (a fitted
  :class:`~scorecard.LogisticScorecard`, its JSON spec, or a registered
  ``models:/NAME@champion``) and to its development baseline. It counts
  production batches (pandas, Parquet, a DuckDB relation, a Spark DataFrame,
  read in chunks: memory bounded by the chunk) into count tables per period
  (month by default) and segment, and joins maturing label tables per
  origination cohort. Everything is derived from the count tables, never from
  kept rows; the state is JSON (:meth:`Monitor.to_json`).
- Per period: volume, score PSI against the baseline, CSI per feature,
  missing / special-code / fallback rates per feature (fallbacks as the
  scoring core reports them), the decision mix of a cross-credit policy,
  per segment when asked (:meth:`Monitor.period_table`,
  :meth:`Monitor.feature_table`, :meth:`Monitor.decision_table`).
- Before labels: the expected bad rate and the expected AUC of the
  production score distribution under the scorecard's probabilities (the
  CBPE idea: each score value contributes ``n p`` expected bads and
  ``n (1 - p)`` expected goods).
- Per cohort, as outcomes mature: maturity, bad rate vs predicted, AUC /
  Gini / KS with bootstrap intervals, calibration per grade (Jeffreys test
  and traffic lights as in the validation report), Hosmer-Lemeshow, and the
  estimated-vs-realised gaps (:meth:`Monitor.cohort_table`,
  :meth:`Monitor.calibration_table`).
- :meth:`Monitor.alerts`: traffic lights, red first, logged as warnings.
- :func:`log_to_mlflow`: one MLflow run per monitoring run, against the
  model version, metrics with ``step`` = period.
- :class:`MonitoringReport`: the self-contained HTML report (alerts first),
  inline in JupyterLab.
- :func:`simulate_null`: alert rates on same-distribution months drawn from
  the baseline's count tables (the false-alarm rate).
- Count-table kernels (:func:`psi_from_counts`, :func:`auc_from_counts`,
  ...), each equal to its :mod:`scorecard.metrics` function on the rows.

Incremental by construction: counts are additive, so a new month costs one
pass over its rows, nothing is recomputed for the past (derived figures are
cached per period and dropped only for the periods a batch touches), and
observing months one at a time gives exactly the state of observing them
at once (tested).

False alarms (measured)
-----------------------
See :func:`simulate_null`; the figures measured for the notebook's setting
are in its docstring.

Example
-------
>>> from scorecard import LogisticScorecard
>>> from scorecard.datasets import make_applications, make_production_months, FEATURE_COLUMNS
>>> dev = make_applications(3000, random_state=1)
>>> model = LogisticScorecard(max_features=5).fit(dev[list(FEATURE_COLUMNS)], dev["bad"])
>>> mon = Monitor(model).fit_baseline(dev, dev["bad"])
>>> apps, labels = make_production_months(1000, n_months=3, drift_start=1,
...                                       drift={"credit_utilization": 3.0})
>>> _ = mon.observe(apps)
>>> "csi" in set(mon.alerts(log=False)["check"])
True
"""

from scorecard.monitoring._counts import (
    auc_from_counts,
    band_codes,
    bootstrap_from_counts,
    hosmer_lemeshow_from_counts,
    ks_from_counts,
    psi_from_counts,
    quantile_edges,
)
from scorecard.monitoring._monitor import DEFAULT_THRESHOLDS, Monitor, log_to_mlflow, resolve_model
from scorecard.monitoring._report import SECTION_IDS, MonitoringReport
from scorecard.monitoring._simulate import simulate_null

__all__ = [
    "Monitor",
    "MonitoringReport",
    "SECTION_IDS",
    "DEFAULT_THRESHOLDS",
    "resolve_model",
    "log_to_mlflow",
    "simulate_null",
    "psi_from_counts",
    "quantile_edges",
    "band_codes",
    "auc_from_counts",
    "ks_from_counts",
    "bootstrap_from_counts",
    "hosmer_lemeshow_from_counts",
]
