"""Shared fixtures' builders for the export, serving and Spark tests (not a test module)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from scorecard import LogisticScorecard
from scorecard.datasets import load_dataset, load_german_credit, make_applications

APP_EXCLUDE = ("application_month", "channel")


def german_model() -> tuple[LogisticScorecard, pd.DataFrame, pd.Series]:
    X, y = load_german_credit()
    return LogisticScorecard().fit(X, y), X, y


def applications_model(n_score: int = 100_000) -> tuple[LogisticScorecard, pd.DataFrame]:
    """A scorecard fitted on 20,000 synthetic applications, and ``n_score`` fresh rows with edge cases."""
    X, y = load_dataset("applications", n_rows=20_000, random_state=1)
    feats = [c for c in X.columns if c not in APP_EXCLUDE]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = LogisticScorecard().fit(X[feats], y)
    rows = make_applications(n_score, 7)
    rows = add_edge_cases(rows, model)
    return model, rows


def add_edge_cases(rows: pd.DataFrame, model: LogisticScorecard, seed: int = 0) -> pd.DataFrame:
    """Sprinkle unseen categories, infinities, missing values and special codes over a few rows."""
    rng = np.random.default_rng(seed)
    rows = rows.copy()
    n = len(rows)
    for f in model.binner_.features_:
        fb = model.binner_.bins_[f]
        pick = rng.choice(n, size=max(1, n // 200), replace=False)
        col = rows[f]
        if fb.kind == "numeric":
            vals = col.astype(float).to_numpy(copy=True)
            third = len(pick) // 3
            vals[pick[:third]] = np.nan
            vals[pick[third : 2 * third]] = np.inf
            vals[pick[2 * third :]] = -np.inf
            for code in fb.specials:
                vals[rng.choice(n, size=5, replace=False)] = float(code)
            rows[f] = vals
        else:
            vals = col.astype(object).to_numpy(copy=True)
            half = len(pick) // 2
            vals[pick[:half]] = None
            vals[pick[half:]] = "never_seen_category"
            rows[f] = pd.Series(vals, index=rows.index, dtype="str")
    return rows
