"""Model validation: an independent reviewer's evidence pack, as one HTML file.

:class:`ValidationReport` takes a fitted :class:`~scorecard.LogisticScorecard`
(the champion), named samples (``train``, ``test``, an out-of-time ``oot``
...) and optionally a challenger, computes a data model of every statistic
a model validator checks (following model-risk practice, SR 11-7: conceptual
soundness, outcomes analysis, benchmarking, ongoing monitoring), and renders
it as one self-contained HTML file (:meth:`~ValidationReport.save`: styles
and figures embedded, no script, no external resource, opens offline and
prints cleanly) or inline in JupyterLab. :meth:`~ValidationReport.verdict`
returns the one-screen verdict table as a DataFrame.

Sections (HTML ids in brackets)
-------------------------------
7. Outcome summary (``verdict``), shown first: each test, its value, its
   threshold and pass / watch / fail (or not computable, with the reason).

1. Data (``data``): rows, bads, bad rate, time span and role per sample
   (reference, in-time, out-of-time), declared exclusions, values scored
   with the fallback bin, missing and special-value shares per feature
   (:func:`scorecard.quality.profile`), volume and bad rate by month.
2. Conceptual soundness (``conceptual-soundness``): binning table and plot
   of every model feature with its trend and monotonicity, the binning
   summary, the selection log (why each dropped feature was dropped),
   coefficients with standard errors, p-values, VIF and IV, the correlation
   matrix of the WOE features (reference sample), sign checks.
3. Discrimination (``discrimination``): AUC, Gini, KS with bootstrap
   intervals per sample, per segment (``channel``) and per month; ROC, KS
   and CAP plots; the lift table of each sample.
4. Calibration (``calibration``): Hosmer-Lemeshow and Brier score per
   sample; binomial and Jeffreys tests per score band with traffic lights;
   observed against predicted bad rate per band, plotted.
5. Stability (``stability``): score PSI of each sample and of each month
   against the reference sample, per-band PSI terms, CSI per model feature.
6. Benchmarking (``benchmarking``), when a challenger is given: both models
   side by side (AUC, Gini, KS with intervals, Brier), DeLong's test
   (:func:`scorecard.compare.delong_test`), ROC, swap sets at an approval
   rate (:func:`scorecard.compare.swap_set`).

8. Reproducibility (``reproducibility``): data fingerprints, model spec
   hashes, scorecard version and git commit, package versions, the MLflow
   run id, every setting of the report.

Every number comes from :mod:`scorecard.metrics` (``score_histogram``,
``histogram_metrics`` and ``histogram_ci``: AUC, Gini and KS from the bad and
good counts per distinct predicted probability, equal to ``auc``, ``gini``,
``ks`` on the rows, and their bootstrap intervals drawn as multinomial counts
per value, not by resampling rows; ``lift_table``, ``hosmer_lemeshow``,
``brier``, ``psi``, ``psi_table``, ``psi_from_counts``, ``csi``,
``psi_reading``), from the model's own ``summary()``,
``selection_``, ``binner_.binning_table()`` / ``summary()``, or from the
tests of this module, on the model's ``predict_proba`` (risk scores for
discrimination and calibration) and ``predict_score`` (rounded points, for
the score bands and PSI).

Rules of the verdict
--------------------
Defaults in :data:`DEFAULT_THRESHOLDS`, overridable with ``thresholds=``:

=====================  =======================================================  ============================
check (``key``)        rule                                                     samples
=====================  =======================================================  ============================
``coef_sign``          fail if any coefficient on WOE is positive               model
``coef_p_value``       largest p-value: pass <= 0.05, watch <= 0.10, else fail  model
``vif``                largest VIF: pass <= 5, watch <= 10, else fail           model
``woe_correlation``    largest off-diagonal abs. correlation of the WOE         model
                       features: pass <= 0.70, watch <= 0.90, else fail
``binning_trend``      watch if a numeric model feature's bad rate is not       model
                       monotone over its bins (peak, valley or erratic)
``gini``               pass >= 0.40, watch >= 0.25, else fail                   every sample with 2 classes
``gini_decline``       relative decline from the reference sample's Gini:       every other sample
                       pass <= 10%, watch <= 20%, else fail
``hosmer_lemeshow``    p-value: pass >= 0.05, watch >= 0.001, else fail         every sample
``binomial_bands``,    fail if any band is red; watch if more bands are         every sample
``jeffreys_bands``     yellow than :func:`allowed_yellow_bands` (the 95%
                       quantile of Binomial(bands, 0.05)); else pass
``score_psi``          :func:`scorecard.metrics.psi_reading`: stable (< 0.10)   every other sample
                       pass, watch (0.10 to 0.25) watch, shifted (> 0.25) fail
``max_csi``            the largest CSI of a model feature, read the same way    every other sample
``monthly_psi``        the largest score PSI of a month with at least           every sample with months
                       ``min_segment_rows`` rows, read the same way
``delong``             watch if the challenger's AUC is higher with DeLong's    every other sample
                       p < 0.05; else pass
=====================  =======================================================  ============================

The overall result is the worst result of the table.

Score bands and traffic lights
------------------------------
Score bands are the ``n_bands`` (default 10) quantile bands of the
reference sample's score (the rounded points), as
:func:`scorecard.metrics.psi_table` forms them (right-closed,
``(-inf, q1], (q1, q2], ..., (q_last, inf)``, ties never split), riskiest
(lowest score) first, applied unchanged to every sample: the calibration
bands and the PSI bands are the same. The predicted PD of a band is the mean
``p_bad`` of its rows. Per band:

- binomial test (:func:`binomial_test`): ``p = P(X >= bads)``,
  ``X ~ Binomial(n, PD)``;
- Jeffreys test (:func:`jeffreys_test`): ``p = F(PD)`` for the posterior
  ``Beta(bads + 1/2, n - bads + 1/2)`` (the predicted PD lies below the
  posterior's ``p`` quantile);

both one-sided (they flag bands with more bads than predicted). Traffic
light (:func:`traffic_light`): green ``p >= 0.05`` (not rejected at 95%),
yellow ``0.001 <= p < 0.05``, red ``p < 0.001`` (rejected at 99.9%).

Bad input
---------
Problems are found before anything is computed, with an error naming the
sample: an empty sample, a sample that is not ``(X, y)``, a target with
missing or non-0/1 values (:class:`~scorecard.errors.TargetError`), a
sample missing features of the model or challenger
(:class:`~scorecard.errors.MissingColumnError`). A sample with one class is
accepted: the parts that need both classes are marked *not computable*,
naming the sample, and their verdict rows are "not computable". Any other failure
inside a section marks that section not computable with the error, and the
report is still complete. :meth:`~ValidationReport.save` renders the whole
document before writing it (to a temporary file, then renamed), so a
failure never leaves a broken file.

Personal data
-------------
The report shows no row of any sample: only counts, rates and statistics,
the model's bin labels, month labels and segment values (a segment column
with more than 50 distinct values is refused). Columns the model does not
use (identifiers, names, phone numbers ...) are counted and enter the data
fingerprint's hash, never the page.

Reproducibility
---------------
Bootstraps are seeded with ``random_state``; the PNG figures carry no
metadata; the same model, samples and settings give a byte-identical file
(the report holds no timestamp).

Example
-------
>>> from sklearn.model_selection import train_test_split
>>> from scorecard import LogisticScorecard
>>> from scorecard.datasets import load_german_credit
>>> from scorecard.validation import ValidationReport
>>> X, y = load_german_credit()
>>> X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)
>>> model = LogisticScorecard().fit(X_tr, y_tr)  # doctest: +SKIP
>>> report = ValidationReport(model, {"train": (X_tr, y_tr), "test": (X_te, y_te)}, n_boot=200)  # doctest: +SKIP
>>> report.verdict()[["check", "sample", "value", "result"]]  # doctest: +SKIP
>>> report.save("../outputs/validation.html")  # doctest: +SKIP
"""

from __future__ import annotations

from scorecard.validation._report import (
    DEFAULT_THRESHOLDS,
    SECTION_IDS,
    VERDICT_COLUMNS,
    Check,
    Section,
    ValidationReport,
    log_report,
)
from scorecard.validation._stats import (
    TRAFFIC_LIGHT_LEVELS,
    allowed_yellow_bands,
    binomial_test,
    jeffreys_test,
    traffic_light,
)

__all__ = [
    "ValidationReport",
    "Section",
    "Check",
    "log_report",
    "DEFAULT_THRESHOLDS",
    "SECTION_IDS",
    "VERDICT_COLUMNS",
    "TRAFFIC_LIGHT_LEVELS",
    "binomial_test",
    "jeffreys_test",
    "traffic_light",
    "allowed_yellow_bands",
]
