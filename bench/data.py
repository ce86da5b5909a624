"""Benchmark data: ``make_applications`` widened to 60 candidate features.

The 16 model features of :func:`scorecard.datasets.make_applications`
(11 numeric, 5 categorical, with its missing values and special codes) plus
44 derived candidates, as a modeller would screen them: 39 numeric and 5
categorical, mixing

- noisy "bureau-like" scores driven by the true risk (continuous, many
  distinct values), some with special codes (-999 no record, -998 thin file,
  -1 not applicable) and missing values;
- ratios and transforms of the application columns (continuous);
- counts and rounded amounts (few distinct values);
- pure-noise columns (no signal), as in any wide candidate set;
- categorical columns with 3 to 30 levels, some with missing values.

So 50 numeric and 10 categorical features; the target is ``bad`` (1 = bad,
about 11%). Everything is vectorised and reproducible from ``random_state``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scorecard.datasets import CATEGORICAL_FEATURES, NUMERIC_FEATURES, SPECIAL_CODES, make_applications

TARGET = "bad"

#: special codes per feature (the two of make_applications plus the derived ones)
BENCH_SPECIAL_CODES: dict[str, list[int]] = {
    **{k: list(v) for k, v in SPECIAL_CODES.items()},
    **{f"bureau_score_v{i}": [-999, -998] for i in range(1, 7)},
    **{f"behaviour_score_{i}": [-1] for i in range(1, 5)},
}


def _logit(p: np.ndarray) -> np.ndarray:
    return np.log(p / (1 - p))


def make_wide(n_rows: int, random_state: int = 0) -> pd.DataFrame:
    """60 features and the target ``bad`` (see the module docstring).

    Examples
    --------
    >>> df = make_wide(2_000, random_state=1)
    >>> df.shape
    (2000, 61)
    >>> int((df.dtypes == "str").sum())
    10
    """
    return _make_wide(n_rows, random_state)[0]


def _make_wide(n_rows: int, random_state: int) -> tuple[pd.DataFrame, np.ndarray]:
    """The frame of :func:`make_wide` and the true logit of each row."""
    base = make_applications(n_rows, random_state=random_state, return_true_pd=True)
    rng = np.random.default_rng(np.random.SeedSequence([random_state, 20261121]))
    n = n_rows
    eta = _logit(base["true_pd"].to_numpy())
    hit = base["bureau_hit"].to_numpy().astype(bool)
    thin = base["n_open_accounts"].to_numpy() == 0
    income = base["monthly_income"].to_numpy()
    amount = base["requested_amount"].to_numpy().astype(float)
    out: dict[str, np.ndarray | pd.Series] = {f: base[f] for f in NUMERIC_FEATURES}

    # six bureau-like scores: continuous, driven by risk, with -999 / -998 codes
    for i in range(1, 7):
        noise = 0.6 + 0.25 * i
        score = 600 - 45 * eta + 45 * noise * rng.standard_normal(n)
        if i % 2 == 0:
            score = np.round(score, 2)
        out[f"bureau_score_v{i}"] = np.where(~hit, -999.0, np.where(thin & (i % 3 == 0), -998.0, score))
    # four behaviour scores: 0..1000 integers, -1 = not applicable, some missing
    for i in range(1, 5):
        s = np.clip(np.round(500 - 60 * eta * (1 - 0.15 * i) + 120 * rng.standard_normal(n)), 0, 1000)
        s = np.where(rng.random(n) < 0.05 * i, -1.0, s)
        s[rng.random(n) < 0.03] = np.nan
        out[f"behaviour_score_{i}"] = s
    # ratios and transforms (continuous, NaN where the income is missing)
    out["amount_to_income"] = amount / income
    out["log_income_noisy"] = np.log(income) + 0.05 * rng.standard_normal(n)
    out["dti_x_util"] = base["debt_to_income"].to_numpy() * np.nan_to_num(base["credit_utilization"].to_numpy(), nan=0.5)
    out["payment_to_income"] = amount / base["loan_term_months"].to_numpy() / income
    out["age_x_tenure"] = base["age"].to_numpy() * (1 + base["years_at_employer"].to_numpy())
    out["inq_per_account"] = base["n_inquiries_6m"].to_numpy() / (1 + base["n_open_accounts"].to_numpy())
    for i in range(1, 7):  # risk drivers measured with error
        v = -0.4 * eta + (0.5 + 0.3 * i) * rng.standard_normal(n)
        v = np.exp(v) if i % 2 else v
        v[rng.random(n) < 0.02 * i] = np.nan
        out[f"risk_driver_{i}"] = v
    # counts and rounded amounts (few distinct values)
    for i in range(1, 6):
        lam = np.exp(0.5 + 0.25 * eta / i)
        out[f"count_{i}"] = rng.poisson(lam).astype(np.int64)
    for i in range(1, 6):
        out[f"balance_{i}"] = np.round(np.exp(8 + 0.3 * eta / i + rng.standard_normal(n)), -2)
    # pure noise (no signal)
    for i in range(1, 8):
        v = rng.standard_normal(n) if i % 2 else rng.integers(0, 100, n).astype(float)
        out[f"noise_{i}"] = v
    for f in CATEGORICAL_FEATURES:
        out[f] = base[f]
    # five more categorical candidates
    def cat(levels: int, strength: float, missing: float, name: str) -> pd.Series:
        u = strength * eta + rng.standard_normal(n)
        cuts = np.quantile(u, np.linspace(0, 1, levels + 1)[1:-1])
        code = np.searchsorted(cuts, u)
        perm = rng.permutation(levels)  # level names do not follow the risk order
        code = perm[code]
        code = np.where(rng.random(n) < missing, -1, code)
        labels = pd.array([f"{name}_{j:02d}" for j in range(levels)], dtype="str")
        return pd.Series(labels.take(code, allow_fill=True))

    out["region"] = cat(30, 0.3, 0.0, "r")
    out["occupation"] = cat(12, 0.5, 0.02, "occ")
    out["marital_status"] = cat(4, 0.2, 0.0, "ms")
    out["app_version"] = cat(8, 0.05, 0.05, "v")
    out["email_domain"] = cat(10, 0.1, 0.01, "d")
    frame = pd.DataFrame(out)
    frame[TARGET] = base[TARGET].to_numpy()
    assert frame.shape[1] == 61, frame.shape
    return frame, eta


def extra_special_codes(columns: list[str]) -> dict[str, list[int]]:
    """Special codes of every column of a :func:`make_wider` frame (the 60 of ``make_wide`` and the extra)."""
    codes = dict(BENCH_SPECIAL_CODES)
    codes.update({c: [-999] for c in columns if c.startswith("coded_driver_")})
    return codes


def make_wider(n_rows: int, n_features: int, random_state: int = 0) -> pd.DataFrame:
    """``n_features`` candidate features and ``bad``: :func:`make_wide`'s 60 and more of the same kinds.

    Fewer than 60 takes the first ``n_features`` columns of ``make_wide``.
    Beyond 60, extra columns cycle through ten kinds (by position ``j % 10``):
    six risk drivers measured with error (signal from strong to nil,
    log-normal every other one, up to 5% missing), a count (Poisson), a
    noise column, a categorical column (5 to 40 levels, 1% missing) and a
    driver with the special code -999 (5% of rows; see
    :func:`extra_special_codes`). Column names and kinds depend only on
    ``n_features``; the values on ``random_state``.

    Examples
    --------
    >>> df = make_wider(1_000, 75, random_state=1)
    >>> df.shape, df.columns[69]
    ((1000, 76), 'coded_driver_009')
    >>> make_wider(1_000, 10).shape
    (1000, 11)
    """
    frame, eta = _make_wide(n_rows, random_state)
    feats = [c for c in frame.columns if c != TARGET]
    if n_features <= len(feats):
        return frame[[*feats[:n_features], TARGET]]
    rng = np.random.default_rng(np.random.SeedSequence([random_state, 20261208]))
    n = n_rows
    out: dict[str, np.ndarray | pd.Series] = {}
    for j in range(n_features - len(feats)):
        kind = j % 10
        if kind < 6:
            strength = 0.5 * (1 - (j // 10 % 10) / 10) * (kind + 1) / 6
            v = -strength * eta + rng.standard_normal(n)
            v = np.exp(v) if kind % 2 else v
            v[rng.random(n) < 0.01 * (kind % 6)] = np.nan
            out[f"driver_{j:03d}"] = v
        elif kind == 6:
            out[f"count_x{j:03d}"] = rng.poisson(np.exp(0.5 + 0.1 * eta)).astype(np.int64)
        elif kind == 7:
            out[f"noise_x{j:03d}"] = rng.standard_normal(n)
        elif kind == 8:
            levels = 5 + (j // 10) % 36
            u = 0.3 * eta + rng.standard_normal(n)
            cuts = np.quantile(u, np.linspace(0, 1, levels + 1)[1:-1])
            code = rng.permutation(levels)[np.searchsorted(cuts, u)]
            code = np.where(rng.random(n) < 0.01, -1, code)
            labels = pd.array([f"c{j:03d}_{k:02d}" for k in range(levels)], dtype="str")
            out[f"cat_x{j:03d}"] = pd.Series(labels.take(code, allow_fill=True))
        else:
            v = 600 - 30 * eta + 60 * rng.standard_normal(n)
            out[f"coded_driver_{j:03d}"] = np.where(rng.random(n) < 0.05, -999.0, v)
    extra = pd.DataFrame(out)
    return pd.concat([frame[feats], extra, frame[[TARGET]]], axis=1)
