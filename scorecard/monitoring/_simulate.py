"""False alarms: alert rates on same-distribution months drawn from the baseline's count tables."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["simulate_null"]


def simulate_null(
    monitor: Any,
    n_months: int = 200,
    n_per_month: int = 5_000,
    *,
    labels: str = "model",
    n_boot: int = 200,
    random_state: int = 0,
) -> pd.DataFrame:
    """Alert rates on ``n_months`` simulated months from the development distribution.

    Each simulated month draws, from the baseline's count tables, the rows per
    score value (multinomial), the rows per bin of each feature
    (multinomial), the fallbacks (binomial at the baseline's rate) and, for
    every row, its outcome (all matured): ``Binomial(n_v, p_v)`` with the
    scorecard's probability of the score value (``labels="model"``: the
    model is right), or with that probability rescaled so that each grade
    has the hold-out's observed bad rate (``labels="baseline"``: the world
    of the development sample, the model's own miscalibration on the
    hold-out included, so calibration checks then also report it). Then :meth:`Monitor.alerts` runs on them, as on
    real months. Everything works on count tables, so hundreds of months take
    seconds.

    Measured (``notebooks/08_monitoring.ipynb``'s setting: baseline 6,000
    hold-out applications, 5,000 rows a month, 1,000 months, seed 0): see
    the table in the module docstring of :mod:`scorecard.monitoring`.

    Parameters
    ----------
    monitor : Monitor
        With a baseline (and the baseline's outcomes for ``labels="baseline"``).
    n_months : int, default 200
    n_per_month : int, default 5000
    labels : {"model", "baseline"}
    n_boot : int, default 200
        Bootstrap resamples of each simulated cohort's intervals.
    random_state : int, default 0

    Returns
    -------
    DataFrame
        Per check (and ``"any"``): ``months``, ``yellow_or_red`` (share of
        months with at least one alert of the check), ``red``.

    Examples
    --------
    >>> from scorecard import LogisticScorecard
    >>> from scorecard.datasets import load_german_credit
    >>> from scorecard.monitoring import Monitor
    >>> X, y = load_german_credit()
    >>> mon = Monitor(LogisticScorecard().fit(X, y), n_boot=100).fit_baseline(X, y)
    >>> t = simulate_null(mon, n_months=5, n_per_month=1000)
    >>> list(t.columns)
    ['check', 'months', 'yellow_or_red', 'red']
    """
    from scorecard.monitoring._monitor import Monitor

    base = monitor._need_baseline()
    if labels not in ("model", "baseline"):
        raise ValueError(f"labels must be 'model' or 'baseline', got {labels!r}")
    if labels == "baseline" and "bads" not in base:
        raise ValueError("labels='baseline' needs a baseline fitted with outcomes (fit_baseline(X, y))")
    state = monitor.to_dict()
    state["periods"], state["cohorts"] = [], []
    state["settings"]["n_boot"] = int(n_boot)
    sim = Monitor.from_dict(state)
    rng = np.random.default_rng(random_state)
    values = np.array(sorted(base["score"]), dtype=np.int64)
    counts = np.array([base["score"][int(v)] for v in values], dtype=np.float64)
    shares = counts / counts.sum()
    q = sim.p_bad(values)
    if labels == "baseline":  # each grade at the hold-out's observed bad rate, the model's ranking within it
        band = np.searchsorted(np.asarray(base["edges"]), values, side="left")
        nb = len(base["edges"]) + 1
        bads = np.array([base["bads"][int(v)] for v in values], dtype=np.float64)
        observed = np.bincount(band, weights=bads, minlength=nb)
        expected = np.bincount(band, weights=counts * q, minlength=nb)
        q = np.clip(q * (observed / np.maximum(expected, 1e-12))[band], 0.0, 1.0)
    n0 = base["n"]
    names = []
    for m in range(n_months):
        name = f"sim-{m:04d}"
        names.append(name)
        sc = rng.multinomial(n_per_month, shares)
        bad = rng.binomial(sc, q)
        rec = sim._empty_record()
        rec["n"] = n_per_month
        rec["score"] = {int(v): int(c) for v, c in zip(values, sc) if c}
        for f in sim.features:
            fc = np.asarray(base["features"][f], dtype=np.float64)
            rec["features"][f] = [int(c) for c in rng.multinomial(n_per_month, fc / fc.sum())]
            rec["fallback"][f] = int(rng.binomial(n_per_month, base["fallback"][f] / n0))
        if base.get("decisions"):
            keys = sorted(base["decisions"])
            dc = np.array([base["decisions"][k] for k in keys], dtype=np.float64)
            rec["decisions"] = {k: int(c) for k, c in zip(keys, rng.multinomial(n_per_month, dc / dc.sum()))}
        sim.periods_[(name, "all")] = rec
        sim.cohorts_[name] = {"n": n_per_month, "matured": n_per_month, "early_bads": 0, "window": 12,
                              "score": {int(v): [int(c), int(b)] for v, c, b in zip(values, sc, bad) if c}}
    alerts = sim.alerts(log=False)
    rows = []
    checks = sorted(set(alerts["check"])) if not alerts.empty else []
    for check in [*checks, "any"]:
        sub = alerts if check == "any" else alerts[alerts["check"] == check]
        rows.append({
            "check": check,
            "months": n_months,
            "yellow_or_red": sub["period"].nunique() / n_months,
            "red": sub.loc[sub["light"] == "red", "period"].nunique() / n_months,
        })
    return pd.DataFrame(rows, columns=["check", "months", "yellow_or_red", "red"])
