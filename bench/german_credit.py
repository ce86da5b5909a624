"""German credit: our scorecard and challenger beside optbinning's pipeline and LightGBM defaults.

The core issue's reference protocol: stratified 70/30 split with random_state=42, default
settings; 5-fold stratified CV on all 1,000 rows (shuffled, random_state=42), and the same
5-fold CV repeated 5 times (random_state=0), whose mean does not hang on one shuffle.

Run (about 2-4 minutes on two cores):

    OMP_NUM_THREADS=1 .venv/bin/python bench/german_credit.py

Writes the table to stdout and to bench/results/german_credit.csv.
"""

from __future__ import annotations

import logging
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.model_selection import RepeatedStratifiedKFold, StratifiedKFold, cross_val_score, train_test_split

from scorecard import GBMChallenger, LogisticScorecard
from scorecard.challenger import LIGHTGBM_DEFAULTS
from scorecard.datasets import load_german_credit
from scorecard.metrics import auc, ks


class OptbinningPipeline(ClassifierMixin, BaseEstimator):
    """optbinning's documented scorecard pipeline: BinningProcess (IV >= 0.02) + LogisticRegression."""

    def fit(self, X, y):
        from optbinning import BinningProcess
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        cats = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])]
        bp = BinningProcess(
            list(X.columns), categorical_variables=cats, selection_criteria={"iv": {"min": 0.02}}
        )
        self.pipe_ = make_pipeline(bp, LogisticRegression(max_iter=1000))
        self.pipe_.fit(X, np.asarray(y))
        self.features_ = list(np.asarray(X.columns)[bp.get_support()])
        self.classes_ = np.array([0, 1])
        return self

    def predict_proba(self, X):
        return self.pipe_.predict_proba(X)

    def predict(self, X):
        return self.pipe_.predict(X)


def main() -> pd.DataFrame:
    warnings.simplefilter("ignore")
    logging.basicConfig(level=logging.WARNING)
    X, y = load_german_credit()
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, stratify=y, random_state=42)
    models = {
        "scorecard LogisticScorecard()": LogisticScorecard,
        "scorecard LogisticScorecard(stepwise=True)": lambda: LogisticScorecard(stepwise=True),
        "challenger GBMChallenger(monotone)": lambda: GBMChallenger(monotone_constraints="binner", random_state=42),
        "LightGBM defaults": lambda: GBMChallenger(**LIGHTGBM_DEFAULTS),
        "optbinning BinningProcess + LogisticRegression": OptbinningPipeline,
    }
    rows = []
    for name, make in models.items():
        t0 = time.perf_counter()
        m = make().fit(Xtr, ytr)
        fit_s = time.perf_counter() - t0
        p = m.predict_proba(Xte)[:, 1]
        cv42 = cross_val_score(make(), X, y, cv=StratifiedKFold(5, shuffle=True, random_state=42), scoring="roc_auc")
        rep = cross_val_score(
            make(), X, y, cv=RepeatedStratifiedKFold(n_splits=5, n_repeats=5, random_state=0), scoring="roc_auc"
        )
        rows.append(
            {
                "model": name,
                "test_auc": round(auc(yte, p), 4),
                "test_ks": round(ks(yte, p), 4),
                "n_features": len(getattr(m, "features_", X.columns)),
                "cv5_auc_seed42": round(float(cv42.mean()), 4),
                "cv5x5_auc_mean": round(float(rep.mean()), 4),
                "cv5x5_auc_sd": round(float(rep.std()), 4),
                "fit_seconds": round(fit_s, 2),
            }
        )
        print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    table.to_csv(out / "german_credit.csv", index=False)
    print(table.to_string(index=False))
    return table


if __name__ == "__main__":
    main()
