"""Shared helpers of :mod:`scorecard.strategy` (private).

Column conventions, decision codes and JSON helpers used by every module of
the package, so that bands, matrices, policies and the decision model agree
on names.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from scorecard.errors import DataError, MissingColumnError

#: The decisions a cell (or a row) can get, from best to worst for the applicant.
DECISIONS: tuple[str, ...] = ("approve", "refer", "decline")
#: Rank of each decision: a riskier cell never gets a higher rank than a safer one.
DECISION_RANK: dict[str, int] = {"approve": 2, "refer": 1, "decline": 0}
#: Decisions allowed as the safe decision (unknown channel, missing score).
SAFE_DECISIONS: tuple[str, ...] = ("refer", "decline")
#: Band index of a missing or non-finite score.
MISSING_BAND = -1


def score_column(name: str) -> str:
    """Column holding model ``name``'s score: ``score_<name>``."""
    return f"score_{name}"


def band_column(name: str) -> str:
    """Column holding model ``name``'s band index: ``band_<name>``."""
    return f"band_{name}"


def find_score(frame: pd.DataFrame, name: str) -> pd.Series | None:
    """The score of model ``name`` in ``frame``: ``score_<name>``, else ``<name>``, else None."""
    for col in (score_column(name), name):
        if col in frame.columns:
            return frame[col]
    return None


def band_matrix(frame: pd.DataFrame, bands: Mapping[str, Any]) -> np.ndarray:
    """Band indices ``(n_rows, n_models)`` of ``frame`` for the fitted ``bands``.

    Each model's band is read from ``band_<name>`` when the frame has it,
    else computed from its score (``score_<name>`` or ``<name>``) with the
    model's :class:`~scorecard.strategy.ScoreBands`. Missing scores give
    band ``-1``.

    Raises
    ------
    MissingColumnError
        Neither a band nor a score column is present for a model.
    """
    out = np.empty((len(frame), len(bands)), dtype=np.int64)
    for j, (name, b) in enumerate(bands.items()):
        bcol = band_column(name)
        if bcol in frame.columns:
            vals = pd.to_numeric(frame[bcol], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            idx = np.where(np.isfinite(vals), vals, MISSING_BAND).astype(np.int64)
            bad = (idx < MISSING_BAND) | (idx >= b.n_bands_)
            if bad.any():
                raise DataError(
                    f"column {bcol!r} has band indices outside 0..{b.n_bands_ - 1} "
                    f"(e.g. {sorted(set(idx[bad].tolist()))[:3]}) for model {name!r}"
                )
            out[:, j] = idx
            continue
        score = find_score(frame, name)
        if score is None:
            raise MissingColumnError(
                f"the frame has no score for model {name!r}: add a column {score_column(name)!r} "
                f"(or {name!r}) with its scores, or {bcol!r} with its band indices"
            )
        out[:, j] = b.transform(score)
    return out


def resolve_target(frame: pd.DataFrame, target: Any) -> np.ndarray:
    """The 0/1 target as int8: a column name of ``frame`` or an array-like."""
    from scorecard._validation import check_target

    if isinstance(target, str):
        if target not in frame.columns:
            raise MissingColumnError(
                f"target column {target!r} is missing from the frame; columns are {list(frame.columns)[:10]}"
            )
        return check_target(frame[target], n_rows=len(frame), name=target)
    return check_target(target, n_rows=len(frame))


def resolve_numeric(frame: pd.DataFrame, values: Any, what: str) -> np.ndarray | None:
    """A float column (name of ``frame``) or array-like, or None when ``values`` is None."""
    if values is None:
        return None
    if isinstance(values, str):
        if values not in frame.columns:
            raise MissingColumnError(f"{what} column {values!r} is missing from the frame")
        s = frame[values]
    else:
        s = pd.Series(np.asarray(values))
        if len(s) != len(frame):
            raise DataError(f"{what} has {len(s)} values but the frame has {len(frame)} rows")
    out = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return out


def segment_values(frame: pd.DataFrame, column: str | None, default: str = "all") -> np.ndarray:
    """The segment label per row as an object array of str (``default`` when ``column`` is None)."""
    if column is None:
        return np.full(len(frame), default, dtype=object)
    if column not in frame.columns:
        raise MissingColumnError(f"segment column {column!r} is missing from the frame")
    s = frame[column]
    out = s.astype(object).to_numpy()
    out = np.array([None if (v is None or (isinstance(v, float) and math.isnan(v))) else str(v) for v in out],
                   dtype=object)
    return out


def wilson_interval(bads: Any, n: Any, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a binomial proportion, vectorised.

    Parameters
    ----------
    bads, n : array-like of int
        Events and trials per cell; cells with ``n == 0`` get NaN.
    alpha : float, default 0.05
        1 - confidence level.

    Returns
    -------
    low, high : ndarray

    Example
    -------
    >>> lo, hi = wilson_interval([10], [100])
    >>> round(float(lo[0]), 4), round(float(hi[0]), 4)
    (0.0552, 0.1744)
    """
    from scipy.stats import norm

    b = np.asarray(bads, dtype=float)
    n = np.asarray(n, dtype=float)
    z = float(norm.ppf(1.0 - alpha / 2.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        p = b / n
        denom = 1.0 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


def adjacent_pairs(shape: Sequence[int]) -> list[tuple[int, int, int]]:
    """``(axis, safer_flat, riskier_flat)`` for every pair of cells one band apart along an axis.

    Band index grows with risk on every axis, so the riskier cell of a pair
    is the one with the higher index. Every dominance relation of the grid
    is a chain of these pairs, so checking them checks monotonicity.
    """
    shape = tuple(int(s) for s in shape)
    pairs = []
    for flat in range(int(np.prod(shape))):
        idx = np.unravel_index(flat, shape)
        for axis in range(len(shape)):
            if idx[axis] + 1 < shape[axis]:
                nxt = list(idx)
                nxt[axis] += 1
                pairs.append((axis, flat, int(np.ravel_multi_index(tuple(nxt), shape))))
    return pairs


def json_float(v: Any) -> Any:
    """A finite float, or None (JSON has no NaN)."""
    if v is None:
        return None
    f = float(v)
    return f if math.isfinite(f) else None


def read_json(spec: str | Mapping[str, Any], what: str) -> dict[str, Any]:
    """Parse JSON text, a file path, or pass a dict through (:func:`scorecard.spec.parse`)."""
    from scorecard.spec import parse

    return parse(spec, what)


def dump_json(obj: Any, path: str | None, indent: int | None) -> str:
    """Deterministic JSON text (optionally written to ``path``)."""
    text = json.dumps(obj, indent=indent, ensure_ascii=False, allow_nan=False)
    if path is not None:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    return text
