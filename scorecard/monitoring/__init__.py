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
:func:`simulate_null` draws same-distribution months from the baseline's
count tables and runs every check on them. Measured with the notebook's
setting (the champion of ``08_monitoring.ipynb``: 15 features, baseline
6,000 hold-out applications, 5,000 applications a month, all matured,
1,000 simulated months, seed 0, default thresholds), share of months with
at least one alert of the check:

=================  ==============  ======  ====================  ======
outcomes drawn     from the model          from the hold-out
-----------------  ----------------------  ----------------------------
check              yellow or red   red     yellow or red         red
=================  ==============  ======  ====================  ======
score_psi, csi,    0               0       0                     0
missing / special
/ fallback rate
auc                0               0       0.1%                  0
calibration        2.2%            1.0%    40%                   24%
hosmer_lemeshow    3.4%            0.6%    43%                   25%
estimate_gap       0.2%            0       5.7%                  0.3%
any                4.4%            1.3%    50%                   31%
=================  ==============  ======  ====================  ======

"From the model": each score value's outcomes drawn at the scorecard's
probability (a well-calibrated model): these are the false-alarm rates.
"From the hold-out" (``labels="baseline"``): each grade at the hold-out's
observed bad rate; the calibration checks then fire because this champion
is itself off in some grades on its hold-out (they report the model, not
chance; some stationary cohorts of the notebook show red grades too). The
population checks never fire by chance at these volumes (the PSI of two samples of the same
distribution is about ``(bands - 1) (1/n + 1/N)``, far below 0.10); the
outcome checks fire in about one month in twenty, one in a hundred red,
close to their nominal levels (Jeffreys per grade with the validation
report's allowance of yellow grades; HL at 1% / 0.1%; the AUC difference
test at one-sided 1% / 0.1%). ``tests/test_monitoring.py`` checks the
same on 60 simulated months of 2,000 rows (at most 20% / 5%).

Scale (measured)
----------------
``bench/monitoring.py --months 12 --rows 1000000``: 12 months x 1,000,000
applications (16 features, 15 in the scorecard) in Parquet (190 MB),
read through DuckDB in chunks of 200,000 rows: 162 s for the 12,000,000
rows (74,000 rows/s; on this shared 2-core machine at load average 15), peak
resident memory 832 MB for the process (303 MB of it before the pass). The
memory follows the chunk, not the data: 2 of the 12 months peak at 687 MB
with 200,000-row chunks and 481 MB with 50,000-row chunks.

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
