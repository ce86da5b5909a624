"""Sample design: development, validation and out-of-time samples, with every exclusion recorded.

A development sample is chosen, not found: rows whose outcome is unknown
(indeterminate or immature accounts, see :mod:`scorecard.target`) and rows that
policy rules put out of scope are excluded, and the latest months are held out
as an out-of-time sample. :func:`design_sample` does all of it in one call and
returns a :class:`SampleDesign` that says which row went where and why, which the
validation report and the notebooks can show.

Every row of the input gets exactly one part: ``development``, ``validation``,
``out_of_time`` or ``excluded`` (the first exclusion reason that applies is the
one recorded). The in-time rows are split at random, stratified by the target,
with ``random_state``: the same inputs give the same parts.

Example
-------
>>> import pandas as pd
>>> from scorecard.sample_design import design_sample
>>> df = pd.DataFrame({"month": ["2024-01"] * 6 + ["2024-02"] * 4,
...                    "bad": [0, 1, 0, 0, 1, None, 0, 1, 0, 0]})
>>> sd = design_sample(df, date="month", target="bad", oot_start="2024-02", test_size=0.4)
>>> sd.summary["rows"].to_dict()
{'development': 3, 'validation': 2, 'out_of_time': 4, 'excluded': 1}
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from scorecard.errors import DataError, MissingColumnError

__all__ = ["design_sample", "SampleDesign", "PARTS"]

logger = logging.getLogger(__name__)

PARTS: tuple[str, ...] = ("development", "validation", "out_of_time", "excluded")


@dataclass(frozen=True)
class SampleDesign:
    """Which row went to which sample, and why.

    Attributes
    ----------
    assignment : pandas.Series
        Indexed like the input frame: ``development``, ``validation``,
        ``out_of_time`` or ``excluded``.
    reason : pandas.Series
        Indexed like the input frame: the exclusion reason (empty for kept rows).
    summary : pandas.DataFrame
        Per part: rows, bads, bad rate, first and last date.
    exclusions : pandas.DataFrame
        Per exclusion reason: rows excluded (first reason that applied).
    params : dict
        The design's parameters (JSON-ready).
    """

    assignment: pd.Series
    reason: pd.Series
    summary: pd.DataFrame
    exclusions: pd.DataFrame
    params: dict[str, Any]

    def index(self, part: str) -> pd.Index:
        """Index labels of the rows in ``part``.

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"m": ["2024-01", "2024-02"], "bad": [0, 1]})
        >>> list(design_sample(df, date="m", oot_start="2024-02", test_size=0).index("out_of_time"))
        [1]
        """
        if part not in PARTS:
            raise DataError(f"part must be one of {PARTS}, got {part!r}")
        return self.assignment.index[self.assignment.to_numpy() == part]

    def split(self, frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
        """The frame cut into its parts (excluded rows left out), in the frame's row order.

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"m": ["2024-01", "2024-02"], "bad": [0, 1]})
        >>> sorted(design_sample(df, date="m", oot_start="2024-02", test_size=0).split(df))
        ['development', 'out_of_time', 'validation']
        """
        if not frame.index.equals(self.assignment.index):
            raise DataError("frame's index differs from the designed sample's: split the frame the design was made on")
        a = self.assignment.to_numpy()
        return {p: frame[a == p] for p in PARTS[:3]}

    def to_dict(self) -> dict[str, Any]:
        """Parameters, rows and bad rates per part and exclusions: JSON-ready, no row-level data.

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"m": ["2024-01", "2024-02"], "bad": [0, 1]})
        >>> design_sample(df, date="m", oot_start="2024-02", test_size=0).to_dict()["rows"]["out_of_time"]
        1
        """
        s = self.summary
        return {
            "params": dict(self.params),
            "rows": {p: int(s.loc[p, "rows"]) for p in s.index},
            "bad_rate": {p: (None if pd.isna(s.loc[p, "bad_rate"]) else float(s.loc[p, "bad_rate"])) for p in s.index},
            "exclusions": {str(k): int(v) for k, v in self.exclusions["rows"].items()},
        }

    def _repr_html_(self) -> str:
        s = self.summary.copy()
        s["bad_rate"] = s["bad_rate"].map(lambda v: "" if pd.isna(v) else f"{v:.2%}")
        return "<p><b>Sample design</b></p>" + s.to_html() + self.exclusions.to_html()


def _months(values: pd.Series, column: str) -> pd.Series:
    if isinstance(values.dtype, pd.PeriodDtype):
        return values.dt.asfreq("M")
    for fmt in ("%Y-%m", "ISO8601", "mixed"):
        try:
            return pd.to_datetime(values.astype("object"), errors="raise", format=fmt).dt.to_period("M")
        except (ValueError, TypeError):
            continue
    raise DataError(f"column {column!r} must hold dates or 'YYYY-MM' months")


def design_sample(
    frame: pd.DataFrame,
    *,
    date: str,
    target: str | None = None,
    oot_start: str | None = None,
    oot_months: int | None = None,
    test_size: float = 0.3,
    exclude: Mapping[str, Any] | None = None,
    stratify: bool = True,
    random_state: int = 0,
) -> SampleDesign:
    """Assign every row to development, validation, out-of-time or excluded.

    Parameters
    ----------
    frame : DataFrame
        The applications (one row each), with a date column and usually a target.
    date : str
        Column of application dates or ``"YYYY-MM"`` months.
    target : str, optional
        Target column (1 bad, 0 good). Rows where it is missing (indeterminate or
        immature accounts, rejected applicants) are excluded with the reason
        ``"target missing"``.
    oot_start : str, optional
        First out-of-time month (``"YYYY-MM"``); rows from that month on form the
        out-of-time sample.
    oot_months : int, optional
        Alternatively, the number of latest months held out. Neither: no
        out-of-time sample.
    test_size : float, default 0.3
        Share of the in-time rows put into validation (0 for none).
    exclude : mapping, optional
        Exclusion reason -> boolean mask (array or Series aligned with ``frame``)
        or the name of a boolean / 0-1 column; masked rows are excluded with that
        reason. Applied in order, before the target check.
    stratify : bool, default True
        Stratify the development / validation split by the target.
    random_state : int, default 0
        Seed of the split.

    Returns
    -------
    SampleDesign

    Examples
    --------
    >>> from scorecard.datasets import make_applications
    >>> apps = make_applications(2_000, random_state=3)
    >>> sd = design_sample(apps, date="application_month", target="bad", oot_months=3,
    ...                    exclude={"no income proof": apps["income_proof"] == 0})
    >>> list(sd.summary.index)
    ['development', 'validation', 'out_of_time', 'excluded']
    >>> int(sd.summary["rows"].sum())
    2000
    """
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    if len(frame) == 0:
        raise DataError("frame is empty: nothing to design a sample from")
    if frame.index.has_duplicates:
        raise DataError("frame's index has duplicated labels: reset it (frame.reset_index(drop=True)) first")
    for c in (date, target):
        if c is not None and c not in frame.columns:
            raise MissingColumnError(f"frame has no column {c!r}")
    if oot_start is not None and oot_months is not None:
        raise DataError("give oot_start or oot_months, not both")
    if not 0 <= float(test_size) < 1:
        raise DataError(f"test_size must be in [0, 1), got {test_size!r}")

    n = len(frame)
    part = np.full(n, "", dtype=object)
    reason = np.full(n, "", dtype=object)
    reasons: list[str] = []
    for name, rule in (exclude or {}).items():
        if isinstance(rule, str):
            if rule not in frame.columns:
                raise MissingColumnError(f"exclusion {name!r}: frame has no column {rule!r}")
            rule = frame[rule]
        if isinstance(rule, pd.Series):
            if not rule.index.equals(frame.index):
                raise DataError(f"exclusion {name!r}: its index differs from frame's; align it first")
            rule = rule.to_numpy()
        mask = np.asarray(rule)
        if mask.shape != (n,):
            raise DataError(f"exclusion {name!r} must be a mask of {n} values, got shape {mask.shape}")
        mask = pd.array(mask).fillna(False).astype(bool).to_numpy() if mask.dtype == object else mask.astype(bool)
        new = mask & (part == "")
        part[new], reason[new] = "excluded", str(name)
        reasons.append(str(name))
    y = None
    if target is not None:
        y = pd.to_numeric(frame[target], errors="coerce").to_numpy(dtype=float)
        bad_values = ~np.isnan(y) & ~np.isin(y, (0.0, 1.0))
        if bad_values.any():
            raise DataError(f"column {target!r} must hold 1 (bad), 0 (good) or missing; found {int(bad_values.sum())} other value(s)")
        new = np.isnan(y) & (part == "")
        part[new], reason[new] = "excluded", "target missing"
        reasons.append("target missing")

    months = _months(frame[date], date)
    if months.isna().any():
        new = months.isna().to_numpy() & (part == "")
        part[new], reason[new] = "excluded", "date missing"
        reasons.append("date missing")
    start = None
    if oot_months is not None:
        if isinstance(oot_months, bool) or int(oot_months) < 1:
            raise DataError(f"oot_months must be a positive integer, got {oot_months!r}")
        last = months.max()
        start = last - (int(oot_months) - 1)
    elif oot_start is not None:
        start = pd.Period(oot_start, freq="M")
    if start is not None:
        oot = (months >= start).fillna(False).to_numpy() & (part == "")
        part[oot] = "out_of_time"
    in_time = np.flatnonzero(part == "")
    if len(in_time) == 0:
        raise DataError("no in-time row is left for development after the exclusions and the out-of-time cut")
    part[in_time] = "development"
    if test_size > 0 and len(in_time) > 1:
        from sklearn.model_selection import train_test_split

        strat = None
        if stratify and y is not None:
            yy = y[in_time]
            if np.unique(yy).size == 2 and min((yy == 0).sum(), (yy == 1).sum()) >= 2:
                strat = yy
        _, val = train_test_split(in_time, test_size=float(test_size), stratify=strat, random_state=random_state)
        part[np.sort(val)] = "validation"

    assignment = pd.Series(pd.Categorical(part, categories=list(PARTS)), index=frame.index, name="sample")
    rows = []
    for p in PARTS:
        m = part == p
        yy = y[m] if y is not None else None
        known = yy[~np.isnan(yy)] if yy is not None else np.array([])
        mm = months[m]
        rows.append({
            "rows": int(m.sum()),
            "bads": int(known.sum()) if yy is not None else np.nan,
            "bad_rate": float(known.mean()) if known.size else np.nan,
            "first": str(mm.min()) if m.any() and mm.notna().any() else "",
            "last": str(mm.max()) if m.any() and mm.notna().any() else "",
        })
    summary = pd.DataFrame(rows, index=pd.Index(PARTS, name="sample"))
    excl = pd.Series(reason[part == "excluded"]).value_counts().reindex(list(dict.fromkeys(reasons)), fill_value=0)
    exclusions = pd.DataFrame({"rows": excl.astype(np.int64)})
    exclusions.index.name = "reason"
    params = {"date": date, "target": target, "oot_start": None if start is None else str(start),
              "test_size": float(test_size), "stratify": bool(stratify), "random_state": int(random_state),
              "exclusions": list(dict.fromkeys(reasons))}
    logger.info("sample design: %s", ", ".join(f"{p} {r['rows']}" for p, r in zip(PARTS, rows)))
    return SampleDesign(assignment, pd.Series(reason, index=frame.index, name="reason"), summary, exclusions, params)
