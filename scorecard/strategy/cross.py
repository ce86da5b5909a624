"""Cross matrix of two or more models' score bands (:class:`CrossMatrix`).

Crossing the bands of several scores (an application scorecard, a
gradient-boosted challenger, a bureau or fraud score) gives a grid of cells;
each cell holds the applicants that fall in one band of every model. Per
cell, and optionally per segment (channel), the matrix reports:

- ``count`` and ``share`` (of the segment's rows with every score present);
- ``bads``, ``bad_rate`` and its Wilson confidence interval
  (``ci_low``, ``ci_high``, level ``1 - alpha``);
- with exposures: ``exposure`` (the sum, used as EAD) and
  ``expected_loss = bad_rate * lgd * exposure``.

Rows with a missing score (band ``-1``) are counted apart in
``n_missing_`` and left out of the cells.

:meth:`CrossMatrix.check_monotone` checks that the bad rate rises along each
axis (band index grows with risk on every axis) and lists the pairs of
adjacent cells that break it; :meth:`CrossMatrix.heatmap` draws one metric
over two axes.

Example
-------
>>> import numpy as np, pandas as pd
>>> from scorecard.strategy import ScoreBands, CrossMatrix
>>> rng = np.random.default_rng(0)
>>> frame = pd.DataFrame({"a": rng.normal(size=2000), "b": rng.normal(size=2000)})
>>> frame["bad"] = (rng.random(2000) < 1 / (1 + np.exp(2 + frame.a + frame.b))).astype(int)
>>> bands = {m: ScoreBands(3, name=m).fit(frame[m]) for m in ("a", "b")}
>>> cm = CrossMatrix(bands).fit(frame, "bad")
>>> cm.table_.shape[0], int(cm.table_["count"].sum())
(9, 2000)
>>> cm.check_monotone().ok
True
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from scorecard.errors import DataError, NotFittedError
from scorecard.strategy._common import (
    adjacent_pairs,
    band_matrix,
    resolve_numeric,
    resolve_target,
    segment_values,
    wilson_interval,
)
from scorecard.strategy.bands import ScoreBands

__all__ = ["CrossMatrix", "MonotonicityReport", "cell_stats"]

logger = logging.getLogger(__name__)


def _check_bands(bands: Mapping[str, ScoreBands] | Sequence[ScoreBands]) -> dict[str, ScoreBands]:
    if isinstance(bands, ScoreBands):
        bands = [bands]
    if not isinstance(bands, Mapping):
        seq = list(bands)
        names = [b.name for b in seq]
        if any(n is None for n in names) or len(set(names)) != len(names):
            raise DataError("bands given as a list need distinct names (ScoreBands(name=...)); or pass a dict")
        bands = dict(zip(names, seq))
    out = {}
    for name, b in bands.items():
        if not isinstance(b, ScoreBands):
            raise DataError(f"bands[{name!r}] must be a ScoreBands, got {type(b).__name__}")
        b._check()
        out[str(name)] = b
    if not out:
        raise DataError("at least one model's bands are needed")
    return out


def cell_stats(
    frame: pd.DataFrame,
    bands: Mapping[str, ScoreBands],
    target: Any,
    *,
    segment: str | None = None,
    exposure: Any = None,
) -> tuple[dict[str, dict[str, np.ndarray]], int]:
    """Counts per cell and segment: the raw material of matrices and the optimiser.

    Returns ``({segment: {"count", "bads"[, "exposure"]} arrays over the flat
    cells}, n_missing)`` where flat cells follow ``numpy.ravel_multi_index``
    over the band counts (C order), and ``n_missing`` counts rows with a
    missing score (left out).
    """
    bands = _check_bands(bands)
    shape = tuple(b.n_bands_ for b in bands.values())
    n_cells = int(np.prod(shape))
    B = band_matrix(frame, bands)
    y = resolve_target(frame, target) if target is not None else None
    ex = resolve_numeric(frame, exposure, "exposure")
    seg = segment_values(frame, segment)
    ok = (B >= 0).all(axis=1)
    flat = np.full(len(frame), -1, dtype=np.int64)
    if ok.any():
        flat[ok] = np.ravel_multi_index(tuple(B[ok].T), shape)
    out: dict[str, dict[str, np.ndarray]] = {}
    for s in sorted({v for v in seg.tolist() if v is not None}):
        m = ok & (seg == s)
        d = {"count": np.bincount(flat[m], minlength=n_cells).astype(np.int64)}
        if y is not None:
            d["bads"] = np.bincount(flat[m], weights=y[m], minlength=n_cells).round().astype(np.int64)
        if ex is not None:
            d["exposure"] = np.bincount(flat[m], weights=np.nan_to_num(ex[m]), minlength=n_cells)
        out[s] = d
    return out, int((~ok).sum())


@dataclass
class MonotonicityReport:
    """Result of :meth:`CrossMatrix.check_monotone`.

    Attributes
    ----------
    ok : bool
        True when no pair of adjacent cells breaks the rising bad rate.
    violations : pandas.DataFrame
        One row per breaking pair: segment, axis (model), the safer and the
        riskier cell (labels), their counts and bad rates, and the drop.
    checked : int
        Pairs compared (both cells with at least ``min_count`` rows).
    """

    ok: bool
    violations: pd.DataFrame
    checked: int

    def __bool__(self) -> bool:
        return self.ok


class CrossMatrix:
    """Counts, bad rates (with CIs) and expected loss over the cross of several models' bands.

    Parameters
    ----------
    bands : dict of str -> ScoreBands, or list of named ScoreBands
        Fitted bands per model, in axis order. A frame passed to :meth:`fit`
        holds each model's score as ``score_<name>`` (or ``<name>``) or its
        band as ``band_<name>``.
    alpha : float, default 0.05
        1 - level of the Wilson intervals.
    lgd : float, default 1.0
        Loss given default for ``expected_loss``.

    Attributes
    ----------
    table_ : pandas.DataFrame
        One row per (segment,) cell, every cell of the grid included (empty
        cells with count 0 and NaN rates). Columns: ``segment``, one column
        per model (band index), ``cell`` (labels joined by ``|``), ``count``,
        ``share``, and with a target ``bads``, ``bad_rate``, ``ci_low``,
        ``ci_high``; with exposures ``exposure``, ``expected_loss``.
    shape_ : tuple of int
        Bands per model.
    n_missing_ : int
        Rows left out for a missing score.

    Examples
    --------
    See the module docstring.
    """

    def __init__(self, bands: Mapping[str, ScoreBands] | Sequence[ScoreBands], alpha: float = 0.05, lgd: float = 1.0) -> None:
        self.bands = bands
        self.alpha = alpha
        self.lgd = lgd

    def fit(self, frame: pd.DataFrame, target: Any = None, *, exposure: Any = None, segment: str | None = None) -> CrossMatrix:
        """Tabulate ``frame`` over the cells.

        Parameters
        ----------
        frame : DataFrame
            Scores (``score_<name>`` / ``<name>``) or bands (``band_<name>``) per model.
        target : str or array-like, optional
            0/1 target (1 = bad): a column of ``frame`` or values.
        exposure : str or array-like, optional
            Exposure per row (e.g. ``requested_amount``) for the expected loss.
        segment : str, optional
            Column to tabulate separately (e.g. ``"channel"``); default one
            segment ``"all"``.

        Returns
        -------
        self
        """
        if not 0 < float(self.alpha) < 1:
            raise DataError(f"alpha must be in (0, 1), got {self.alpha!r}")
        bands = _check_bands(self.bands)
        self.bands_ = bands
        self.models_ = list(bands)
        self.shape_ = tuple(b.n_bands_ for b in bands.values())
        stats, self.n_missing_ = cell_stats(frame, bands, target, segment=segment, exposure=exposure)
        self.segment_ = segment
        idx = np.indices(self.shape_).reshape(len(self.shape_), -1)
        labels = ["|".join(p) for p in zip(*(np.asarray(b.labels_, dtype=object)[i] for b, i in zip(bands.values(), idx)))]
        parts = []
        for seg, d in stats.items():
            count = d["count"]
            part = pd.DataFrame({"segment": seg, **{m: idx[j] for j, m in enumerate(self.models_)}, "cell": labels})
            part["count"] = count
            part["share"] = count / max(int(count.sum()), 1)
            if "bads" in d:
                bads = d["bads"]
                part["bads"] = bads
                with np.errstate(invalid="ignore", divide="ignore"):
                    part["bad_rate"] = np.where(count > 0, bads / np.maximum(count, 1), np.nan)
                part["ci_low"], part["ci_high"] = wilson_interval(bads, count, float(self.alpha))
            if "exposure" in d:
                part["exposure"] = d["exposure"]
                if "bad_rate" in part:
                    part["expected_loss"] = np.nan_to_num(part["bad_rate"].to_numpy()) * float(self.lgd) * d["exposure"]
            parts.append(part)
        if not parts:
            raise DataError("no row to tabulate (every row has a missing score or segment)")
        self.table_ = pd.concat(parts, ignore_index=True)
        logger.info(
            "cross matrix %s over %d segment(s): %d cells each, %d rows left out for a missing score",
            "x".join(self.models_), len(stats), int(np.prod(self.shape_)), self.n_missing_,
        )
        return self

    def _fitted(self) -> None:
        if not hasattr(self, "table_"):
            raise NotFittedError("this CrossMatrix is not fitted yet; call fit(frame, target) first")

    def pivot(self, value: str = "bad_rate", axes: tuple[str, str] | None = None, segment: str | None = None) -> pd.DataFrame:
        """One metric over two axes (other axes summed), as a band-label x band-label table.

        Parameters
        ----------
        value : str, default "bad_rate"
            ``count``, ``share``, ``bads``, ``bad_rate``, ``exposure`` or ``expected_loss``.
        axes : (str, str), optional
            Row and column models; default the first two (a one-model matrix
            gives a single column).
        segment : str, optional
            One segment; default all segments pooled.
        """
        self._fitted()
        t = self.table_ if segment is None else self.table_[self.table_["segment"] == segment]
        if segment is not None and t.empty:
            raise DataError(f"segment {segment!r} is not in the matrix; segments are {sorted(self.table_['segment'].unique())}")
        if axes is None:
            axes = tuple(self.models_[:2]) if len(self.models_) > 1 else (self.models_[0], None)
        rows, cols = axes
        for a in (rows, cols):
            if a is not None and a not in self.models_:
                raise DataError(f"axis {a!r} is not a model of the matrix ({self.models_})")
        keys = [rows] + ([cols] if cols is not None else [])
        sums = ["count", *(c for c in ("bads", "exposure") if c in t.columns)]
        g = t.groupby(keys)[sums].sum()
        total = g["count"].sum()
        if value == "bad_rate":
            if "bads" not in g:
                raise DataError("bad_rate needs the target: fit(frame, target)")
            with np.errstate(invalid="ignore", divide="ignore"):
                v = g["bads"] / g["count"].where(g["count"] > 0)
        elif value == "share":
            v = g["count"] / max(total, 1)
        elif value == "expected_loss":
            if "exposure" not in g or "bads" not in g:
                raise DataError("expected_loss needs the target and exposures")
            v = (g["bads"] / g["count"].where(g["count"] > 0)).fillna(0) * float(self.lgd) * g["exposure"]
        elif value in g:
            v = g[value]
        else:
            raise DataError(f"unknown value {value!r}; use count, share, bads, bad_rate, exposure or expected_loss")
        if cols is None:
            out = v.to_frame(value)
            out.index = self.bands_[rows].labels_
            out.index.name = rows
            return out
        out = v.unstack(cols)
        out.index = [self.bands_[rows].labels_[i] for i in out.index]
        out.columns = [self.bands_[cols].labels_[i] for i in out.columns]
        out.index.name, out.columns.name = rows, cols
        return out

    def heatmap(
        self,
        value: str = "bad_rate",
        axes: tuple[str, str] | None = None,
        segment: str | None = None,
        ax: Any = None,
        annotate: bool = True,
        fmt: str | None = None,
    ) -> Any:
        """Heat-map of :meth:`pivot` (rows: first axis, columns: second; safest band top-left).

        Returns
        -------
        matplotlib.axes.Axes
        """
        import matplotlib.pyplot as plt

        table = self.pivot(value, axes, segment)
        if ax is None:
            _, ax = plt.subplots(figsize=(1.0 + 0.7 * table.shape[1], 0.8 + 0.5 * table.shape[0]))
        data = table.to_numpy(dtype=float)
        im = ax.imshow(np.ma.masked_invalid(data), cmap="RdYlGn_r", aspect="auto")
        ax.set_xticks(range(table.shape[1]), [str(c) for c in table.columns])
        ax.set_yticks(range(table.shape[0]), [str(i) for i in table.index])
        ax.set_xlabel(str(table.columns.name or ""))
        ax.set_ylabel(str(table.index.name or ""))
        fmt = fmt or (".1%" if value in ("bad_rate", "share") else ",.0f")
        if annotate:
            for (i, j), v in np.ndenumerate(data):
                if np.isfinite(v):
                    ax.text(j, i, format(v, fmt), ha="center", va="center", fontsize=8)
        ax.figure.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
        ax.set_title(f"{value}" + (f" ({segment})" if segment else ""))
        return ax

    def check_monotone(self, tolerance: float = 0.0, min_count: int = 1, use_ci: bool = False) -> MonotonicityReport:
        """Check that the bad rate rises along every axis, in every segment.

        A pair of adjacent cells (one band apart along one axis, the other
        bands equal) breaks the order when the riskier cell's bad rate is
        below the safer one's by more than ``tolerance``. Pairs where either
        cell has fewer than ``min_count`` rows are not compared. With
        ``use_ci=True`` a pair breaks the order only when the riskier cell's
        upper confidence bound is below the safer cell's lower bound (a
        significant reversal).

        Returns
        -------
        MonotonicityReport
        """
        self._fitted()
        if "bad_rate" not in self.table_:
            raise DataError("check_monotone needs the target: fit(frame, target)")
        pairs = adjacent_pairs(self.shape_)
        n_cells = int(np.prod(self.shape_))
        rows = []
        checked = 0
        for seg, t in self.table_.groupby("segment", sort=True):
            count = t["count"].to_numpy()
            rate = t["bad_rate"].to_numpy()
            lo, hi = t["ci_low"].to_numpy(), t["ci_high"].to_numpy()
            cells = t["cell"].to_numpy()
            assert len(count) == n_cells
            for axis, s, r in pairs:
                if count[s] < min_count or count[r] < min_count:
                    continue
                checked += 1
                broken = (hi[r] < lo[s]) if use_ci else (rate[r] < rate[s] - tolerance)
                if broken:
                    rows.append(
                        {
                            "segment": seg,
                            "axis": self.models_[axis],
                            "safer_cell": cells[s],
                            "riskier_cell": cells[r],
                            "safer_count": int(count[s]),
                            "riskier_count": int(count[r]),
                            "safer_bad_rate": float(rate[s]),
                            "riskier_bad_rate": float(rate[r]),
                            "drop": float(rate[s] - rate[r]),
                        }
                    )
        cols = ["segment", "axis", "safer_cell", "riskier_cell", "safer_count", "riskier_count",
                "safer_bad_rate", "riskier_bad_rate", "drop"]
        viol = pd.DataFrame(rows, columns=cols)
        if len(viol):
            logger.info("bad rate not monotone in %d pair(s) of adjacent cells", len(viol))
        return MonotonicityReport(ok=viol.empty, violations=viol, checked=checked)
