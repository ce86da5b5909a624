"""Target definition from repayment histories: vintage curves, roll rates, good / bad / indeterminate.

Before any binning, the modeller decides what "bad" means from a repayment table
(one row per account and month on book). This module holds the standard tools:

* :func:`vintage_curves` -- cumulative bad rate by months on book per origination
  cohort, for a given bad definition; its flattening point suggests the
  performance window (:func:`suggest_performance_window`).
* :func:`roll_rates` -- month-to-month transitions between delinquency buckets;
  the bucket from which accounts rarely cure suggests the bad definition
  (:func:`suggest_bad_definition`). :func:`worst_vs_later` is the companion
  "worst ever in the first months vs worst later" table.
* :func:`define_target` -- the target column: each account is ``bad``, ``good``,
  ``indeterminate`` (excluded: neither clearly good nor bad) or ``immature``
  (excluded: its performance window is not complete yet), with the counts and
  the rule that produced them.

Every function takes a pandas frame, a DuckDB relation or the path of a Parquet
file / folder / glob; the DuckDB path aggregates in SQL (one ``GROUP BY`` per
account, then per cohort), so real volumes never come into memory as rows. Both
paths give identical tables (tested).

Conventions: statuses are labels ordered by a severity map (default
:data:`SEVERITY`, the buckets of :func:`scorecard.datasets.make_loan_performance`);
an account is bad when its worst severity within the window reaches the severity
of ``bad`` (``"90+"`` means "ever 90 or more days past due, charge-off
included"). Statuses listed in ``closed`` (default ``paid_off``) end an account
in good standing: a closed account's window counts as complete.

Example
-------
>>> from scorecard.datasets import make_loan_performance
>>> from scorecard.target import define_target, vintage_curves
>>> lp = make_loan_performance(2_000, random_state=0)
>>> curves = vintage_curves(lp.repayments, bad="90+")
>>> curves.shape
(12, 24)
>>> td = define_target(lp.repayments, bad="90+", window=12, indeterminate="30-59")
>>> int(td.counts["accounts"].sum()) == lp.repayments["application_id"].nunique()
True
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scorecard.errors import DataError, MissingColumnError

__all__ = [
    "SEVERITY",
    "vintage_curves",
    "plot_vintage",
    "roll_rates",
    "RollRates",
    "worst_vs_later",
    "suggest_performance_window",
    "suggest_bad_definition",
    "Suggestion",
    "define_target",
    "TargetDefinition",
]

logger = logging.getLogger(__name__)

SEVERITY: Mapping[str, int] = {
    "current": 0,
    "paid_off": 0,
    "1-29": 1,
    "30-59": 2,
    "60-89": 3,
    "90+": 4,
    "charged_off": 5,
}
"""Default severity of each repayment status (higher = worse)."""

OUTCOMES: tuple[str, ...] = ("good", "bad", "indeterminate", "immature")


# --------------------------------------------------------------------------- #
# input: pandas or SQL (DuckDB)
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class _Cols:
    key: str
    mob: str
    status: str
    cohort: str | None


def _is_sql(data: Any) -> bool:
    return isinstance(data, (str, Path)) or type(data).__module__.startswith("duckdb")


def _relation(data: Any) -> Any:
    import duckdb

    if isinstance(data, (str, Path)):
        return duckdb.read_parquet(str(data))
    return data


def _check_columns(columns: Sequence[str], cols: _Cols, what: str = "repayments") -> None:
    need = [c for c in (cols.key, cols.mob, cols.status, cols.cohort) if c is not None]
    missing = [c for c in need if c not in columns]
    if missing:
        raise MissingColumnError(
            f"{what} has no column {missing[0]!r} (columns: {list(columns)[:12]}); name it with "
            "key= / mob= / status= / cohort="
        )


def _severity(severity: Mapping[str, int] | None) -> dict[str, int]:
    sev = dict(SEVERITY if severity is None else severity)
    if not sev:
        raise DataError("severity must map at least one status to an integer")
    for k, v in sev.items():
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise DataError(f"severity of status {k!r} must be an integer, got {v!r}")
    return sev


def _level(label: str | None, sev: Mapping[str, int], what: str) -> int | None:
    if label is None:
        return None
    if label not in sev:
        raise DataError(f"{what}={label!r} is not a known status; known: {sorted(sev, key=sev.get)}")
    return int(sev[label])


def _sql_ident(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _sql_str(v: str) -> str:
    return "'" + str(v).replace("'", "''") + "'"


def _sev_case(status: str, sev: Mapping[str, int]) -> str:
    whens = " ".join(f"WHEN {_sql_str(k)} THEN {int(v)}" for k, v in sev.items())
    return f"CASE CAST({_sql_ident(status)} AS VARCHAR) {whens} ELSE NULL END"


def _check_statuses_pandas(frame: Any, cols: _Cols, sev: Mapping[str, int]) -> pd.Series:
    """Severity per row of an in-memory repayment table, after checking its type, columns, statuses and months."""
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"repayments must be a pandas DataFrame, a DuckDB relation or a Parquet path, got {type(frame).__name__}")
    _check_columns(frame.columns, cols)
    status = frame[cols.status]
    mapped = status.astype("object").map(sev)
    unknown = status[mapped.isna()]
    if len(unknown):
        values = sorted({str(v) for v in unknown.unique()})[:5]
        raise DataError(
            f"column {cols.status!r} holds {len(unknown)} value(s) with no severity (first: {values}); "
            "pass severity={status: level, ...} covering every status"
        )
    mob = pd.to_numeric(frame[cols.mob], errors="coerce")
    if mob.isna().any() or (mob < 1).any() or not np.all(np.mod(mob, 1) == 0):
        raise DataError(f"column {cols.mob!r} must hold whole months on book >= 1 with no missing value")
    return mapped.astype(np.int64)


def _accounts(data: Any, cols: _Cols, sev: Mapping[str, int], bad: int, window: int | None,
              closed: Sequence[str]) -> pd.DataFrame:
    """One row per account: cohort, observed months, first bad month, worst severity in window, close month."""
    if _is_sql(data):
        rel = _relation(data)
        _check_columns(rel.columns, cols)
        s = _sev_case(cols.status, sev)
        k, m = _sql_ident(cols.key), _sql_ident(cols.mob)
        cohort = f"any_value(CAST({_sql_ident(cols.cohort)} AS VARCHAR))" if cols.cohort else "NULL"
        closed_in = ", ".join(_sql_str(c) for c in closed) or "NULL"
        w = "NULL" if window is None else f"MAX(CASE WHEN {m} <= {int(window)} THEN sev END)"
        sql = (  # one pass: the rows with no severity are counted in the same aggregation
            f"SELECT {k} AS key, {cohort} AS cohort, MAX({m}) AS observed, "
            f"MIN(CASE WHEN sev >= {bad} THEN {m} END) AS first_bad, {w} AS worst, "
            f"MIN(CASE WHEN CAST({_sql_ident(cols.status)} AS VARCHAR) IN ({closed_in}) THEN {m} END) AS closed, "
            f"COUNT(*) - COUNT(sev) AS unknown "
            f"FROM (SELECT *, {s} AS sev FROM t) GROUP BY {k} ORDER BY {k}"
        )
        out = rel.query("t", sql).df()
        unknown = int(out.pop("unknown").sum())
        if unknown:
            raise DataError(
                f"column {cols.status!r} holds {unknown} value(s) with no severity; "
                "pass severity={status: level, ...} covering every status"
            )
    else:
        sevs = _check_statuses_pandas(data, cols, sev).to_numpy()
        mob = data[cols.mob].to_numpy(dtype=np.int64)
        frame = pd.DataFrame({"key": data[cols.key].to_numpy(), "mob": mob})
        frame["bad_mob"] = np.where(sevs >= bad, mob, np.iinfo(np.int64).max)
        frame["worst"] = np.where(mob <= (window or 0), sevs, -1) if window is not None else -1
        is_closed = data[cols.status].astype("object").isin(list(closed)).to_numpy()
        frame["closed"] = np.where(is_closed, mob, np.iinfo(np.int64).max)
        if cols.cohort:
            frame["cohort"] = data[cols.cohort].astype("object").astype(str).to_numpy()
        g = frame.groupby("key", sort=True)
        out = pd.DataFrame({
            "cohort": g["cohort"].first() if cols.cohort else None,
            "observed": g["mob"].max(),
            "first_bad": g["bad_mob"].min(),
            "worst": g["worst"].max(),
            "closed": g["closed"].min(),
        }).reset_index()
        big = np.iinfo(np.int64).max
        out["first_bad"] = out["first_bad"].where(out["first_bad"] != big)
        out["closed"] = out["closed"].where(out["closed"] != big)
        out["worst"] = out["worst"].where(out["worst"] >= 0) if window is not None else np.nan
    if len(out) == 0:
        raise DataError("repayments is empty: no account to define a target on")
    out["observed"] = out["observed"].astype(np.int64)
    for c in ("first_bad", "worst", "closed"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    return out


# --------------------------------------------------------------------------- #
# vintage curves
# --------------------------------------------------------------------------- #


def vintage_curves(
    repayments: Any,
    *,
    bad: str = "90+",
    max_mob: int | None = None,
    key: str = "application_id",
    cohort: str = "origination_month",
    mob: str = "mob",
    status: str = "status",
    severity: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Cumulative bad rate by months on book, one row per origination cohort.

    The value at cohort ``c`` and month on book ``t`` is the share of the cohort's
    accounts whose status reached the severity of ``bad`` at some month on book
    ``<= t``. The denominator is every account of the cohort (accounts that closed
    or charged off early stay in it). Months past what the cohort has been
    observed for (its largest month on book) are missing.

    Parameters
    ----------
    repayments : DataFrame, DuckDB relation or Parquet path
        One row per account and month on book.
    bad : str, default "90+"
        The bad status: an account is bad once its severity reaches this status's.
    max_mob : int, optional
        Columns 1..max_mob (default: the largest month on book present).
    key, cohort, mob, status : str
        Column names.
    severity : mapping, optional
        Status -> integer severity (default :data:`SEVERITY`).

    Returns
    -------
    pandas.DataFrame
        Index: cohort (sorted), columns: months on book 1..max_mob; the number of
        accounts per cohort is in ``result.attrs["accounts"]``.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"application_id": [1, 1, 1, 2, 2, 2],
    ...                   "origination_month": ["2024-01"] * 6,
    ...                   "mob": [1, 2, 3, 1, 2, 3],
    ...                   "status": ["current", "60-89", "90+", "current", "current", "current"]})
    >>> vintage_curves(r).loc["2024-01"].tolist()
    [0.0, 0.0, 0.5]
    """
    cols = _Cols(key, mob, status, cohort)
    sev = _severity(severity)
    b = _level(bad, sev, "bad")
    acc = _accounts(repayments, cols, sev, b, None, ())
    top = int(acc["observed"].max()) if max_mob is None else int(max_mob)
    if top < 1:
        raise DataError(f"max_mob must be >= 1, got {max_mob!r}")
    cohorts = sorted(acc["cohort"].unique())
    grid = np.arange(1, top + 1)
    rows, sizes = [], {}
    for c in cohorts:
        part = acc[acc["cohort"] == c]
        n = len(part)
        sizes[c] = n
        fb = part["first_bad"].to_numpy()
        hits = np.searchsorted(np.sort(fb[~np.isnan(fb)]), grid, side="right")
        rate = hits / n
        observed = int(part["observed"].max())
        rows.append(np.where(grid <= observed, rate, np.nan))
    out = pd.DataFrame(np.vstack(rows), index=pd.Index(cohorts, name=cohort), columns=pd.Index(grid, name=mob))
    out.attrs["accounts"] = sizes
    out.attrs["bad"] = bad
    return out


def plot_vintage(curves: pd.DataFrame, ax: Any = None, *, window: int | None = None) -> Any:
    """Plot vintage curves (one line per cohort); returns the matplotlib axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> c = pd.DataFrame([[0.0, 0.1, 0.2]], index=["2024-01"], columns=[1, 2, 3])
    >>> plot_vintage(c).get_ylabel()
    'cumulative bad rate'
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    for cohort, row in curves.iterrows():
        ax.plot(row.index, row.to_numpy(dtype=float), lw=1, label=str(cohort))
    if window is not None:
        ax.axvline(window, color="black", ls="--", lw=1)
    ax.set_xlabel("months on book")
    ax.set_ylabel("cumulative bad rate")
    ax.set_title(f"Vintage curves (bad = {curves.attrs.get('bad', '?')})")
    if len(curves) <= 12:
        ax.legend(fontsize=7, ncol=2)
    return ax


# --------------------------------------------------------------------------- #
# roll rates
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class RollRates:
    """Month-to-month transitions between statuses.

    Attributes
    ----------
    counts : DataFrame
        Rows: status at month ``t``; columns: status at ``t + 1``; accounts observed in both months.
    rates : DataFrame
        ``counts`` divided by its row sums.
    """

    counts: pd.DataFrame
    rates: pd.DataFrame
    severity: Mapping[str, int] = field(default_factory=dict)

    def cure_rate(self) -> pd.Series:
        """Share of each status's accounts that are back to the least severe status a month later."""
        best = [s for s in self.rates.columns if self.severity.get(s, 0) == 0]
        return self.rates[best].sum(axis=1)

    def roll_forward_rate(self) -> pd.Series:
        """Share of each status's accounts that move to a more severe status a month later."""
        out = {}
        for s in self.rates.index:
            worse = [c for c in self.rates.columns if self.severity.get(c, 0) > self.severity.get(s, 0)]
            out[s] = float(self.rates.loc[s, worse].sum()) if worse else 0.0
        return pd.Series(out)

    def _repr_html_(self) -> str:
        return self.rates.style.format("{:.1%}").set_caption("Roll rates (row: this month, column: next month)").to_html()


def roll_rates(
    repayments: Any,
    *,
    key: str = "application_id",
    mob: str = "mob",
    status: str = "status",
    severity: Mapping[str, int] | None = None,
) -> RollRates:
    """Transition counts and rates between the statuses of consecutive months on book.

    Parameters
    ----------
    repayments : DataFrame, DuckDB relation or Parquet path
    key, mob, status : str
        Column names.
    severity : mapping, optional
        Status -> severity (default :data:`SEVERITY`); orders the rows and columns.

    Returns
    -------
    RollRates

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"application_id": [1, 1, 1, 2, 2],
    ...                   "mob": [1, 2, 3, 1, 2],
    ...                   "status": ["current", "1-29", "current", "current", "current"]})
    >>> rr = roll_rates(r)
    >>> int(rr.counts.loc["current", "1-29"]), float(rr.rates.loc["1-29", "current"])
    (1, 1.0)
    """
    sev = _severity(severity)
    cols = _Cols(key, mob, status, None)
    if _is_sql(repayments):
        rel = _relation(repayments)
        _check_columns(rel.columns, cols)
        k, m, s = _sql_ident(key), _sql_ident(mob), _sql_ident(status)
        sql = (
            f"SELECT CAST(a.{s} AS VARCHAR) AS src, CAST(b.{s} AS VARCHAR) AS dst, COUNT(*) AS n "
            f"FROM t a JOIN t b ON a.{k} = b.{k} AND b.{m} = a.{m} + 1 GROUP BY 1, 2"
        )
        pairs = rel.query("t", sql).df()
    else:
        _check_statuses_pandas(repayments, cols, sev)
        f = pd.DataFrame({"k": repayments[key].to_numpy(), "m": repayments[mob].to_numpy(dtype=np.int64),
                          "s": repayments[status].astype("object").astype(str).to_numpy()})
        nxt = f.assign(m=f["m"] - 1).rename(columns={"s": "dst"})
        joined = f.merge(nxt, on=["k", "m"], how="inner")
        pairs = joined.groupby(["s", "dst"]).size().rename("n").reset_index().rename(columns={"s": "src"})
    unknown = sorted(set(pairs["src"]).union(pairs["dst"]) - set(sev))
    if unknown:
        raise DataError(f"column {status!r} holds statuses with no severity: {unknown[:5]}; pass severity=")
    order = sorted(sev, key=lambda x: (sev[x], x != "current", x))
    counts = pairs.pivot_table(index="src", columns="dst", values="n", aggfunc="sum", fill_value=0)
    counts = counts.reindex(index=order, columns=order, fill_value=0).astype(np.int64)
    counts.index.name, counts.columns.name = "from", "to"
    totals = counts.sum(axis=1).replace(0, np.nan)
    rates = counts.div(totals, axis=0)
    return RollRates(counts, rates, sev)


def worst_vs_later(
    repayments: Any,
    *,
    split_mob: int = 6,
    window: int = 12,
    key: str = "application_id",
    mob: str = "mob",
    status: str = "status",
    severity: Mapping[str, int] | None = None,
    closed: Sequence[str] = ("paid_off",),
) -> pd.DataFrame:
    """Worst status in months ``1..split_mob`` against the worst status in ``split_mob+1..window``.

    Only accounts observed through ``window`` (or closed, ``closed`` statuses, or
    at the worst severity before it) count; an account whose history ended in the
    early months keeps its early worst status as its later one. Rows are the earlier worst status, columns the later one; values are
    account counts (row shares with ``.div(result.sum(axis=1), axis=0)``).

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"application_id": [1, 1, 2, 2], "mob": [1, 2, 1, 2],
    ...                   "status": ["1-29", "90+", "current", "current"]})
    >>> int(worst_vs_later(r, split_mob=1, window=2).loc["1-29", "90+"])
    1
    """
    if not 1 <= split_mob < window:
        raise DataError(f"need 1 <= split_mob < window, got split_mob={split_mob!r}, window={window!r}")
    sev = _severity(severity)
    order = sorted(sev, key=lambda x: (sev[x], x != "current", x))
    label = {}
    for s in order:  # one label per severity level: the first status listed for it
        label.setdefault(sev[s], s)
    early = _accounts(repayments, _Cols(key, mob, status, None), sev, max(sev.values()) + 1, split_mob, tuple(closed))
    if isinstance(repayments, pd.DataFrame):
        later_rows = repayments[pd.to_numeric(repayments[mob]) > split_mob]
    else:
        rel = _relation(repayments)
        later_rows = rel.filter(f"{_sql_ident(mob)} > {int(split_mob)}")
    later = _accounts(later_rows, _Cols(key, mob, status, None), sev, max(sev.values()) + 1, window, ())
    top = max(sev.values())
    complete_early = early[(early["observed"] >= window) | (early["worst"] >= top) | (early["closed"] <= window)]
    merged = complete_early[["key", "worst"]].merge(later[["key", "worst", "observed"]], on="key", how="left",
                                                    suffixes=("_early", "_later"))
    ended = merged["observed"].isna()  # no later row: closed or charged off in the early months
    merged.loc[ended, "worst_later"] = merged.loc[ended, "worst_early"]
    merged = merged[(merged["observed"].fillna(window) >= window) | ended]
    table = pd.crosstab(merged["worst_early"].map(label), merged["worst_later"].map(label))
    levels = [label[v] for v in sorted(label)]
    table = table.reindex(index=levels, columns=levels, fill_value=0)
    table.index.name, table.columns.name = f"worst in 1..{split_mob}", f"worst in {split_mob + 1}..{window}"
    return table


# --------------------------------------------------------------------------- #
# suggestions
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class Suggestion:
    """A suggested value with the reason and the table it was read from."""

    value: Any
    reason: str
    table: pd.DataFrame | pd.Series

    def __repr__(self) -> str:
        return f"Suggestion({self.value!r}: {self.reason})"


def suggest_performance_window(curves: pd.DataFrame, *, share: float = 0.9) -> Suggestion:
    """First month on book at which the mature cohorts reach ``share`` of their final bad rate.

    Uses the cohorts observed over every column of ``curves`` (the mature
    ones) and their mean curve.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame([[0.0, 0.05, 0.09, 0.10, 0.10]], index=["2024-01"], columns=[1, 2, 3, 4, 5])
    >>> suggest_performance_window(c).value
    3
    """
    if not 0 < share <= 1:
        raise DataError(f"share must be in (0, 1], got {share!r}")
    mature = curves.dropna(axis=0, how="any")
    if mature.empty:
        raise DataError("no cohort is observed over every month on book of the curves; pass max_mob= to vintage_curves")
    mean = mature.mean(axis=0)
    final = float(mean.iloc[-1])
    if final <= 0:
        raise DataError("the mature cohorts have no bad account: no window to suggest")
    reached = mean[mean >= share * final * (1 - 1e-12)]
    mob = int(reached.index[0])
    return Suggestion(
        mob,
        f"{len(mature)} mature cohort(s) reach {share:.0%} of their month-{int(mean.index[-1])} bad rate "
        f"({final:.2%}) at month {mob} on book",
        mean,
    )


def suggest_bad_definition(rolls: RollRates, *, max_cure: float = 0.2) -> Suggestion:
    """The least severe delinquent status whose next-month cure rate is below ``max_cure``.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"application_id": [1, 1, 2, 2, 3, 3], "mob": [1, 2] * 3,
    ...                   "status": ["1-29", "current", "60-89", "90+", "90+", "charged_off"]})
    >>> suggest_bad_definition(roll_rates(r)).value
    '60-89'
    """
    cure = rolls.cure_rate()
    observed = rolls.counts.sum(axis=1) > 0
    delinquent = [s for s in cure.index if rolls.severity.get(s, 0) > 0 and observed[s]]
    for s in sorted(delinquent, key=lambda x: rolls.severity[x]):
        if cure[s] < max_cure:
            return Suggestion(s, f"accounts in {s} cure in {cure[s]:.1%} of cases a month later (< {max_cure:.0%})", cure)
    raise DataError(f"no delinquent status cures in fewer than {max_cure:.0%} of cases; raise max_cure")


# --------------------------------------------------------------------------- #
# the target
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class TargetDefinition:
    """The target column with the rule and the counts behind it.

    Attributes
    ----------
    accounts : DataFrame
        One row per account (index: the key): ``cohort``, ``observed`` (months on
        book seen), ``worst_status`` (within the window), ``outcome`` (good / bad
        / indeterminate / immature) and ``target`` (1 bad, 0 good, missing when
        excluded).
    counts : DataFrame
        Accounts per outcome, their share and the rule that put them there; the
        accounts add up to the number of distinct keys of the repayment table.
    rule : dict
        The parameters (bad, window, indeterminate, closed).
    """

    accounts: pd.DataFrame
    counts: pd.DataFrame
    rule: dict[str, Any]

    @property
    def target(self) -> pd.Series:
        """1 = bad, 0 = good, for the accounts kept (indeterminate and immature dropped)."""
        t = self.accounts["target"].dropna().astype(np.int8)
        t.name = "bad"
        return t

    def label(self, frame: pd.DataFrame, *, key: str = "application_id") -> pd.Series:
        """The target aligned with ``frame`` by ``key``: 1 / 0, missing for excluded or unknown keys.

        Examples
        --------
        >>> import pandas as pd
        >>> r = pd.DataFrame({"application_id": [1, 2], "origination_month": ["2024-01"] * 2,
        ...                   "mob": [1, 1], "status": ["90+", "paid_off"]})
        >>> td = define_target(r, window=1)
        >>> td.label(pd.DataFrame({"application_id": [2, 1, 3]})).tolist()
        [0.0, 1.0, nan]
        """
        if key not in frame.columns:
            raise MissingColumnError(f"frame has no key column {key!r}")
        return pd.Series(frame[key].map(self.accounts["target"]).to_numpy(dtype=float), index=frame.index, name="bad")

    def to_dict(self) -> dict[str, Any]:
        """The rule and the counts, JSON-ready (no account-level data)."""
        return {"rule": dict(self.rule), "counts": {k: int(v) for k, v in self.counts["accounts"].items()}}

    def _repr_html_(self) -> str:
        c = self.counts.copy()
        c["share"] = c["share"].map("{:.1%}".format)
        return f"<p><b>Target</b>: {self.rule['description']}</p>" + c.to_html()


def define_target(
    repayments: Any,
    *,
    bad: str = "90+",
    window: int = 12,
    indeterminate: str | None = "30-59",
    closed: Sequence[str] = ("paid_off",),
    key: str = "application_id",
    cohort: str | None = "origination_month",
    mob: str = "mob",
    status: str = "status",
    severity: Mapping[str, int] | None = None,
) -> TargetDefinition:
    """Classify every account as good, bad, indeterminate or immature.

    Rules, applied in this order on the months on book ``1..window``:

    1. **bad**: the worst status reaches the severity of ``bad`` (even when the
       window is not complete yet: a bad account is bad);
    2. **immature**: the account was observed for fewer than ``window`` months
       and did not close (``closed`` statuses) before: its outcome is unknown;
    3. **indeterminate**: the worst status reaches ``indeterminate`` (but not
       ``bad``): neither clearly good nor bad, excluded from development;
    4. **good**: everything else.

    Parameters
    ----------
    repayments : DataFrame, DuckDB relation or Parquet path
    bad : str, default "90+"
        The bad status (an account is bad once it reaches that severity).
    window : int, default 12
        Performance window in months on book.
    indeterminate : str or None, default "30-59"
        The least severe status that makes a non-bad account indeterminate; None
        for no indeterminate class.
    closed : sequence of str, default ("paid_off",)
        Statuses that close an account in good standing (its window is complete).
    key, cohort, mob, status : str
        Column names (``cohort`` may be None).
    severity : mapping, optional
        Status -> severity (default :data:`SEVERITY`).

    Returns
    -------
    TargetDefinition

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"application_id": [1, 1, 2, 2, 3, 4],
    ...                   "origination_month": ["2024-01"] * 6,
    ...                   "mob": [1, 2, 1, 2, 1, 1],
    ...                   "status": ["current", "90+", "30-59", "current", "current", "paid_off"]})
    >>> td = define_target(r, window=2)
    >>> td.accounts["outcome"].tolist()
    ['bad', 'indeterminate', 'immature', 'good']
    >>> td.target.to_dict()
    {1: 1, 4: 0}
    """
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 1:
        raise DataError(f"window must be a positive integer (months on book), got {window!r}")
    sev = _severity(severity)
    b = _level(bad, sev, "bad")
    ind = _level(indeterminate, sev, "indeterminate")
    if ind is not None and ind >= b:
        raise DataError(f"indeterminate={indeterminate!r} must be less severe than bad={bad!r}")
    for c in closed:
        _level(c, sev, "closed")
    acc = _accounts(repayments, _Cols(key, mob, status, cohort), sev, b, int(window), tuple(closed))
    is_bad = acc["first_bad"].to_numpy() <= window
    done = (acc["observed"].to_numpy() >= window) | (acc["closed"].to_numpy() <= window)
    worst = acc["worst"].to_numpy()
    outcome = np.where(is_bad, "bad", np.where(~done, "immature",
                       np.where((ind is not None) & (worst >= (ind if ind is not None else np.inf)), "indeterminate", "good")))
    inv = {}
    for s in sorted(sev, key=lambda x: (sev[x], x != "current", x)):
        inv.setdefault(sev[s], s)
    accounts = pd.DataFrame(
        {
            "cohort": acc["cohort"].to_numpy(),
            "observed": acc["observed"].to_numpy(),
            "worst_status": [inv.get(int(w)) if not np.isnan(w) else None for w in worst],
            "outcome": pd.Categorical(outcome, categories=list(OUTCOMES)),
            "target": np.where(outcome == "bad", 1.0, np.where(outcome == "good", 0.0, np.nan)),
        },
        index=pd.Index(acc["key"].to_numpy(), name=key),
    )
    ind_txt = f"worst status {indeterminate} or worse (not bad)" if ind is not None else "(none)"
    rules = {
        "bad": f"reached {bad} or worse within {window} months on book",
        "good": "completed the window (or closed) below the indeterminate status",
        "indeterminate": ind_txt + ": excluded",
        "immature": f"observed for fewer than {window} months and not closed: excluded",
    }
    n = accounts["outcome"].value_counts().reindex(list(OUTCOMES), fill_value=0)
    counts = pd.DataFrame({"accounts": n.astype(np.int64), "share": n / max(len(accounts), 1),
                           "rule": [rules[o] for o in OUTCOMES]})
    counts.index.name = "outcome"
    desc = f"bad = ever {bad} within {window} months on book; indeterminate = {indeterminate}; closed = {list(closed)}"
    rule = {"bad": bad, "window": int(window), "indeterminate": indeterminate, "closed": list(closed), "description": desc}
    logger.info("target: %s; %s", desc, ", ".join(f"{o} {int(n[o])}" for o in OUTCOMES))
    return TargetDefinition(accounts, counts, rule)
