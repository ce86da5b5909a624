"""Statistical tests of the validation report (private; re-exported by :mod:`scorecard.validation`).

- :func:`binomial_test`, :func:`jeffreys_test`: one-sided calibration tests
  of one score band (are there more bads than the band's predicted PD
  allows?), read with :func:`traffic_light`.
- :func:`allowed_yellow_bands`: how many yellow bands a well-calibrated
  model shows by chance, to read a whole table of bands.

DeLong's test and swap sets (benchmarking) come from :mod:`scorecard.compare`.
"""

from __future__ import annotations

import logging
import math

__all__ = [
    "binomial_test",
    "jeffreys_test",
    "traffic_light",
    "allowed_yellow_bands",
    "TRAFFIC_LIGHT_LEVELS",
]

logger = logging.getLogger(__name__)

#: p-value limits of the traffic lights: green at or above the first (95%
#: confidence), yellow from the second (99.9%) up to the first, red below.
TRAFFIC_LIGHT_LEVELS: tuple[float, float] = (0.05, 0.001)


def _check_band(bads: int, n: int, pd_: float) -> tuple[int, int, float]:
    if isinstance(bads, bool) or isinstance(n, bool):
        raise ValueError("bads and n must be integers, not booleans")
    b, m = int(bads), int(n)
    if b != bads or m != n:
        raise ValueError(f"bads and n must be whole numbers, got bads={bads!r}, n={n!r}")
    if m < 1 or b < 0 or b > m:
        raise ValueError(f"need n >= 1 and 0 <= bads <= n, got bads={b}, n={m}")
    p = float(pd_)
    if not (0.0 <= p <= 1.0) or math.isnan(p):
        raise ValueError(f"the predicted PD must lie in [0, 1], got {pd_!r}")
    return b, m, p


def binomial_test(bads: int, n: int, pd: float) -> float:
    """One-sided exact binomial test: are there more bads than the predicted PD allows?

    ``p = P(X >= bads)`` for ``X ~ Binomial(n, pd)``: the probability, if the
    band's true bad rate were the predicted ``pd``, of seeing at least as
    many bads as observed. A small p-value says the model under-predicts the
    band's risk (the direction that matters for loss provisioning and
    approvals). Over-prediction is not flagged by this test.

    Parameters
    ----------
    bads : int
        Observed bads in the band.
    n : int
        Rows in the band (>= 1).
    pd : float
        Predicted probability of bad of the band (the mean ``p_bad`` of its rows).

    Returns
    -------
    float
        The p-value, in [0, 1].

    Example
    -------
    >>> round(binomial_test(15, 100, 0.10), 4)
    0.0726
    >>> binomial_test(0, 50, 0.2)
    1.0
    """
    from scipy.stats import binom

    b, m, p = _check_band(bads, n, pd)
    if b == 0:
        return 1.0
    return float(binom.sf(b - 1, m, p))


def jeffreys_test(bads: int, n: int, pd: float) -> float:
    """One-sided Jeffreys test of a band's predicted PD.

    With the Jeffreys prior Beta(1/2, 1/2), the posterior of the band's bad
    rate is ``Beta(bads + 1/2, n - bads + 1/2)``; the p-value is the
    posterior probability that the bad rate is at most the predicted ``pd``:
    ``p = F_Beta(pd; bads + 1/2, n - bads + 1/2)``. A small p-value (the
    predicted PD lies below the posterior's 5% or 0.1% quantile) says the
    model under-predicts the band's risk. This is the test of the ECB's
    instructions for reporting the validation of internal models (2019).

    Parameters
    ----------
    bads, n, pd
        As in :func:`binomial_test`.

    Returns
    -------
    float
        The p-value, in [0, 1].

    Example
    -------
    >>> round(jeffreys_test(15, 100, 0.10), 4)
    0.0542
    """
    from scipy.stats import beta

    b, m, p = _check_band(bads, n, pd)
    return float(beta.cdf(p, b + 0.5, m - b + 0.5))


def traffic_light(pvalue: float, levels: tuple[float, float] = TRAFFIC_LIGHT_LEVELS) -> str:
    """Traffic light of a calibration p-value.

    ``"green"`` when ``pvalue >= levels[0]`` (0.05: not rejected at 95%),
    ``"yellow"`` when ``levels[1] <= pvalue < levels[0]`` (rejected at 95%
    but not at 99.9%), ``"red"`` when ``pvalue < levels[1]`` (0.001:
    rejected at 99.9%). NaN gives ``"n/a"``.

    Example
    -------
    >>> traffic_light(0.2), traffic_light(0.01), traffic_light(0.0001)
    ('green', 'yellow', 'red')
    >>> traffic_light(0.05), traffic_light(0.001)
    ('green', 'yellow')
    """
    hi, lo = float(levels[0]), float(levels[1])
    if not 0.0 < lo < hi < 1.0:
        raise ValueError(f"levels must be (yellow, red) with 0 < red < yellow < 1, got {levels!r}")
    p = float(pvalue)
    if math.isnan(p):
        return "n/a"
    if p >= hi:
        return "green"
    if p >= lo:
        return "yellow"
    return "red"


def allowed_yellow_bands(n_bands: int, level: float = TRAFFIC_LIGHT_LEVELS[0], coverage: float = 0.95) -> int:
    """Most non-green bands a well-calibrated model shows in ``coverage`` of samples.

    Each of ``n_bands`` independent band tests at level ``level`` turns
    non-green with probability at most ``level`` when the model is right, so
    the count of non-green bands is at most ``Binomial(n_bands, level)``.
    Returns the smallest ``a`` with ``P(Binomial(n_bands, level) <= a) >=
    coverage``: more than ``a`` yellow bands is more than chance explains.

    Example
    -------
    >>> allowed_yellow_bands(10), allowed_yellow_bands(1), allowed_yellow_bands(40)
    (2, 0, 4)
    """
    from scipy.stats import binom

    k = int(n_bands)
    if k < 0:
        raise ValueError(f"n_bands must be >= 0, got {n_bands!r}")
    if k == 0:
        return 0
    return int(binom.ppf(coverage, k, level))
