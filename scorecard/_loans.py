"""Synthetic loan performance: applicants, a historical policy, monthly repayment status.

The generator behind :func:`scorecard.datasets.make_loan_performance`. It builds
through-the-door applicants with :func:`scorecard.datasets.make_applications`, lets
a historical policy accept some and reject others, and follows every applicant
(accepted or not) month by month through a delinquency chain driven by the
applicant's known probability of default. Only the accepted applicants' histories
are "observed"; the rejected applicants' outcomes are returned separately so that
reject inference can be scored against the truth.

The delinquency chain (one step a month, ``h`` the applicant's monthly hazard)::

    current  -> 1-29 with h(t); -> paid_off with 1% a month (and at the end of the term)
    1-29     -> 30-59 with 0.35, -> current with 0.60, else stays
    30-59    -> 60-89 with 0.55, -> current with 0.35, else stays
    60-89    -> 90+   with 0.65, -> current with 0.25, else stays
    90+      -> charged_off with 0.50, -> current with 0.05, else stays
    charged_off, paid_off: absorbing (the account's history ends there)

with ``h(t) = min(0.5, 1.7 * true_pd * 1.6 * exp(-t / 9))`` in month on book
``t + 1`` (delinquency peaks early, then the vintage seasons), which makes "ever
90+ within 12 months on book" about ``true_pd`` on average (short loan terms end
some histories early). Cure rates fall below 20% from 90+ on, so
90+ is the textbook "point of no return" of this portfolio.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
import pandas as pd

from scorecard.errors import DataError

STATUSES: tuple[str, ...] = ("current", "1-29", "30-59", "60-89", "90+", "charged_off", "paid_off")
"""Monthly repayment statuses, in order of severity (``paid_off`` closes an account in good standing)."""

_ROLL = np.array([0.0, 0.35, 0.55, 0.65, 0.50])  # forward from 1-29, 30-59, 60-89, 90+ (to charged_off)
_CURE = np.array([0.0, 0.60, 0.35, 0.25, 0.05])
_PREPAY = 0.01


@dataclass(frozen=True)
class LoanPerformance:
    """What :func:`scorecard.datasets.make_loan_performance` returns.

    Attributes
    ----------
    applications : pandas.DataFrame
        Every through-the-door applicant: the columns of
        :func:`~scorecard.datasets.make_applications` without its target, plus
        ``accepted`` (1 = approved by the historical policy) and
        ``origination_month`` (the application month for accepted applicants,
        missing for rejected ones).
    repayments : pandas.DataFrame
        One row per accepted account and month on book: ``application_id``,
        ``origination_month``, ``mob`` (1, 2, ...), ``month`` (calendar month,
        ``"YYYY-MM"``) and ``status`` (one of :data:`STATUSES`). An account's rows
        stop at the data cut-off ``as_of`` or at its first absorbing status.
    rejected_outcomes : pandas.DataFrame
        The truth for rejected applicants, never observed by a lender:
        ``application_id``, ``worst_status_12m`` (worst status within 12 months
        on book) and ``bad`` (1 = ever 90+ within 12 months on book).
    as_of : str
        Data cut-off month ``"YYYY-MM"``: the last calendar month observed.
    """

    applications: pd.DataFrame
    repayments: pd.DataFrame
    rejected_outcomes: pd.DataFrame
    as_of: str


def _rng(seed: int, name: str) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(zlib.crc32(name.encode()),)))


def _simulate(true_pd: np.ndarray, term: np.ndarray, n_steps: int, rng: np.random.Generator) -> np.ndarray:
    """Status codes (rows = accounts, columns = months on book 1..n_steps) of the chain above."""
    n = true_pd.shape[0]
    base = 1.7 * true_pd
    out = np.empty((n, n_steps), dtype=np.int8)
    state = np.zeros(n, dtype=np.int8)
    for t in range(n_steps):
        hazard = np.minimum(0.5, base * 1.6 * np.exp(-t / 9.0))  # early delinquency peaks, then seasons
        u = rng.random(n)
        new = state.copy()
        cur = state == 0
        new[cur & (u < hazard)] = 1
        prepay = cur & (u >= hazard) & ((u < hazard + _PREPAY) | (t + 1 >= term))
        new[prepay] = 6
        for k in (1, 2, 3, 4):
            at = state == k
            roll = at & (u < _ROLL[k])
            cure = at & (u >= _ROLL[k]) & (u < _ROLL[k] + _CURE[k])
            new[roll] = k + 1
            new[cure] = 0
        state = new
        out[:, t] = state
    return out


def make_loan_performance(
    n_applicants: int = 20_000,
    random_state: int = 0,
    *,
    start_month: str = "2023-01",
    n_months: int = 12,
    max_months_on_book: int = 24,
    accept_rate: float = 0.6,
    applications: Callable[..., pd.DataFrame] | None = None,
) -> LoanPerformance:
    """The implementation of :func:`scorecard.datasets.make_loan_performance` (see there).

    ``applications`` is :func:`scorecard.datasets.make_applications`, passed
    in so that this module does not import ``datasets`` (which imports it).
    """
    if applications is None:
        raise TypeError("call scorecard.datasets.make_loan_performance (it supplies the applications generator)")
    make_applications = applications
    if isinstance(n_applicants, bool) or not isinstance(n_applicants, Integral) or n_applicants < 10:
        raise DataError(f"n_applicants must be an integer >= 10, got {n_applicants!r}")
    if isinstance(max_months_on_book, bool) or not isinstance(max_months_on_book, Integral):
        raise DataError(f"max_months_on_book must be an integer, got {max_months_on_book!r}")
    if isinstance(n_months, bool) or not isinstance(n_months, Integral) or n_months < 1:
        raise DataError(f"n_months must be a positive integer, got {n_months!r}")
    if max_months_on_book < n_months:
        raise DataError(
            f"max_months_on_book ({max_months_on_book}) must be >= n_months ({n_months}) so that every cohort has a month on book"
        )
    if isinstance(accept_rate, bool) or not isinstance(accept_rate, Real) or not 0.0 < accept_rate < 1.0:
        raise DataError(f"accept_rate must be a number strictly between 0 and 1, got {accept_rate!r}")
    seed = int(random_state)
    apps = make_applications(int(n_applicants), seed, start_month=start_month, n_months=int(n_months), return_true_pd=True)
    true_pd = apps["true_pd"].to_numpy()
    n = len(apps)

    # historical policy: accept the lowest old scores (risk + noise), exactly round(accept_rate * n)
    old_score = np.log(true_pd / (1 - true_pd)) + 0.7 * _rng(seed, "policy").standard_normal(n)
    n_accept = int(round(accept_rate * n))
    order = np.argsort(old_score, kind="stable")
    accepted = np.zeros(n, dtype=np.int8)
    accepted[order[:n_accept]] = 1

    status = _simulate(true_pd, apps["loan_term_months"].to_numpy(), int(max_months_on_book), _rng(seed, "repayment"))

    months = np.datetime64(start_month, "M")
    app_month = apps["application_month"].to_numpy().astype("datetime64[M]")
    as_of = months + int(max_months_on_book)
    observed = (as_of - app_month).astype(np.int64)  # months on book observed: mob 1..observed

    # rows of the repayment table: accepted accounts, mob <= observed, up to the first absorbing status
    acc = np.flatnonzero(accepted == 1)
    st = status[acc]
    mob = np.arange(1, max_months_on_book + 1)
    absorbing = (st == 5) | (st == 6)
    first_abs = np.where(absorbing.any(axis=1), absorbing.argmax(axis=1) + 1, max_months_on_book)
    last = np.minimum(observed[acc], first_abs)
    keep = mob[None, :] <= last[:, None]
    rows, cols = np.nonzero(keep)
    status_labels = np.array(STATUSES, dtype=object)
    orig = apps["application_month"].to_numpy()[acc]
    calendar = (app_month[acc][rows] + cols + 1).astype(str)  # mob 1 = the month after origination
    repayments = pd.DataFrame(
        {
            "application_id": apps["application_id"].to_numpy()[acc][rows],
            "origination_month": pd.array(orig[rows], dtype="str"),
            "mob": (cols + 1).astype(np.int64),
            "month": pd.array(calendar, dtype="str"),
            "status": pd.array(status_labels[st[rows, cols]], dtype="str"),
        }
    )

    rej = np.flatnonzero(accepted == 0)
    worst12 = _worst(status[rej, :12])
    rejected_outcomes = pd.DataFrame(
        {
            "application_id": apps["application_id"].to_numpy()[rej],
            "worst_status_12m": pd.array(status_labels[worst12], dtype="str"),
            "bad": ((worst12 >= 4) & (worst12 <= 5)).astype(np.int8),
        }
    )

    applications = apps.drop(columns=["bad", "true_pd"])
    applications["accepted"] = accepted
    applications["origination_month"] = pd.array(
        np.where(accepted == 1, apps["application_month"].to_numpy(), None), dtype="str"
    )
    return LoanPerformance(applications, repayments, rejected_outcomes, str(as_of))


def _worst(codes: np.ndarray) -> np.ndarray:
    """Worst status code per row by severity (paid_off counts as current)."""
    sev = np.where(codes == 6, 0, codes)
    worst = sev.max(axis=1)
    # an account that only paid off keeps 'paid_off' as its worst (clean) status
    only_paid = (worst == 0) & (codes == 6).any(axis=1)
    return np.where(only_paid, 6, worst).astype(np.int8)
