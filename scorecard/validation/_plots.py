"""Figures of the validation report (private).

Every function builds a :class:`matplotlib.figure.Figure` with the object API
(never ``pyplot``, so no global figure state and nothing is shown) and
:func:`png_base64` turns it into the base64 PNG embedded in the HTML. PNGs
carry no metadata (no software version, no date), so the same data give the
same bytes.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from scorecard.metrics import ScoreHistogram

__all__ = [
    "png_base64",
    "new_figure",
    "roc_figure",
    "ks_figure",
    "cap_figure",
    "segment_gini_figure",
    "calibration_figure",
    "psi_month_figure",
    "score_distribution_figure",
    "csi_figure",
    "correlation_figure",
    "monthly_data_figure",
    "benchmark_roc_figure",
]

#: Colours per sample, in order (colour-blind safe, Okabe-Ito).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
LIGHT_COLOURS = {"green": "#2e7d32", "yellow": "#f9a825", "red": "#c62828", "n/a": "#9e9e9e"}
DPI = 90


def colour(i: int) -> str:
    """Colour of the ``i``-th sample."""
    return PALETTE[i % len(PALETTE)]


def new_figure(width: float = 6.4, height: float = 4.0, ncols: int = 1, nrows: int = 1) -> tuple[Any, Any]:
    """A figure and its axes (an array when there are several), without pyplot.

    The "tight" layout engine runs during the draw of ``savefig``: one text
    layout pass instead of two with an explicit ``tight_layout()``.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="tight")  # laid out once, while drawing
    axes = fig.subplots(nrows, ncols, squeeze=True)
    return fig, axes


def png_base64(fig: Any, dpi: int = DPI) -> str:
    """Render ``fig`` as PNG and return it base64-encoded (ASCII)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return base64.b64encode(buf.getvalue()).decode("ascii")


#: Most points drawn per curve: far more than the pixels of a figure; longer curves are thinned.
MAX_CURVE_POINTS = 2000


def _curve_counts(hist: ScoreHistogram) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cumulative bad, good and population shares, riskiest distinct score first (starting at 0)."""
    bads = hist.bads[::-1]
    goods = hist.goods[::-1]
    cb = np.r_[0.0, np.cumsum(bads)] / max(int(bads.sum()), 1)
    cg = np.r_[0.0, np.cumsum(goods)] / max(int(goods.sum()), 1)
    total = bads + goods
    pop = np.r_[0.0, np.cumsum(total)] / max(int(total.sum()), 1)
    return cb, cg, pop


def _thin(n: int, keep: int | None = None) -> np.ndarray:
    """Indices of at most about :data:`MAX_CURVE_POINTS` points of a curve of ``n``: ends and ``keep`` kept."""
    if n <= MAX_CURVE_POINTS:
        return np.arange(n)
    idx = np.linspace(0, n - 1, MAX_CURVE_POINTS).round().astype(np.int64)
    if keep is not None:
        idx = np.r_[idx, keep]
    return np.unique(idx)


def roc_figure(curves: Mapping[str, ScoreHistogram]) -> Any:
    """ROC curves (true-positive = bad share caught) of each sample, from its score histogram."""
    fig, ax = new_figure(5.2, 4.6)
    for i, (name, hist) in enumerate(curves.items()):
        cb, cg, _ = _curve_counts(hist)
        k = _thin(cb.size)
        ax.plot(cg[k], cb[k], color=colour(i), label=name)
    ax.plot([0, 1], [0, 1], color="#999999", lw=0.8, ls="--")
    ax.set_xlabel("share of goods (false-positive rate)")
    ax.set_ylabel("share of bads (true-positive rate)")
    ax.set_title("ROC")
    ax.legend(loc="lower right", fontsize=8)
    return fig


def ks_figure(curves: Mapping[str, ScoreHistogram]) -> Any:
    """Cumulative bad and good shares against the population share, riskiest first; KS marked."""
    n = len(curves)
    fig, axes = new_figure(4.0 * n, 3.6, ncols=n)
    axes = np.atleast_1d(axes)
    for i, (ax, (name, hist)) in enumerate(zip(axes, curves.items())):
        cb, cg, pop = _curve_counts(hist)
        k = int(np.argmax(np.abs(cb - cg)))
        j = _thin(cb.size, keep=k)
        ax.plot(pop[j], cb[j], color="#c62828", label="bads")
        ax.plot(pop[j], cg[j], color="#2e7d32", label="goods")
        ax.vlines(pop[k], cg[k], cb[k], color=colour(i), lw=2, label=f"KS {abs(cb[k] - cg[k]):.3f}")
        ax.set_title(name)
        ax.set_xlabel("share of applicants, riskiest first")
        if i == 0:
            ax.set_ylabel("cumulative share")
        ax.legend(loc="lower right", fontsize=8)
    return fig


def cap_figure(curves: Mapping[str, ScoreHistogram]) -> Any:
    """Cumulative accuracy profiles: bads captured against the share of applicants, riskiest first."""
    fig, ax = new_figure(5.2, 4.6)
    for i, (name, hist) in enumerate(curves.items()):
        cb, _, pop = _curve_counts(hist)
        k = _thin(cb.size)
        ax.plot(pop[k], cb[k], color=colour(i), label=name)
        rate = hist.n_bads / (hist.n_bads + hist.n_goods)
        ax.plot([0, rate, 1], [0, 1, 1], color=colour(i), lw=0.7, ls=":")
    ax.plot([0, 1], [0, 1], color="#999999", lw=0.8, ls="--")
    ax.set_xlabel("share of applicants, riskiest first")
    ax.set_ylabel("share of bads captured")
    ax.set_title("CAP (dotted: perfect model)")
    ax.legend(loc="lower right", fontsize=8)
    return fig


def segment_gini_figure(table: pd.DataFrame, segment: str, samples: Sequence[str]) -> Any:
    """Gini with its confidence interval per segment value, one series per sample."""
    labels = sorted(table[segment].astype(str).unique())
    pos = {v: j for j, v in enumerate(labels)}
    fig, ax = new_figure(max(5.0, 0.35 * len(labels) + 2.5), 3.8)
    width = 0.8 / max(len(samples), 1)
    for i, name in enumerate(samples):
        t = table[(table["sample"] == name) & table["gini"].notna()]
        if t.empty:
            continue
        x = np.array([pos[str(v)] for v in t[segment]]) + (i - (len(samples) - 1) / 2) * width
        g = t["gini"].to_numpy(float)
        err = np.vstack([g - t["gini_low"].to_numpy(float), t["gini_high"].to_numpy(float) - g])
        ax.errorbar(x, g, yerr=err, fmt="o", ms=4, color=colour(i), label=name, capsize=2)
    ax.set_xticks(np.arange(len(labels)), labels, rotation=45 if len(labels) > 6 else 0, ha="right", fontsize=8)
    ax.set_ylabel("Gini")
    ax.set_title(f"Gini by {segment} (bars: bootstrap interval)")
    ax.legend(fontsize=8)
    return fig


def calibration_figure(bands: pd.DataFrame, samples: Sequence[str]) -> Any:
    """Observed against predicted bad rate per score band, one panel per sample; points coloured by light."""
    n = len(samples)
    fig, axes = new_figure(4.2 * n, 3.8, ncols=n)
    axes = np.atleast_1d(axes)
    for ax, name in zip(axes, samples):
        t = bands[(bands["sample"] == name) & (bands["n"] > 0)]
        x = np.arange(len(t))
        ax.plot(x, t["predicted_pd"], "s-", color="#555555", ms=4, label="predicted PD")
        obs = t["observed_rate"].to_numpy(float)
        lo = t["jeffreys_low"].to_numpy(float)
        hi = t["jeffreys_high"].to_numpy(float)
        ax.vlines(x, lo, hi, color="#999999", lw=1)
        cols = [LIGHT_COLOURS.get(v, "#9e9e9e") for v in t["binomial_light"]]
        ax.scatter(x, obs, c=cols, s=30, zorder=3, label="observed (colour: binomial light)")
        ax.set_xticks(x, t["band"].astype(str), rotation=60, ha="right", fontsize=7)
        ax.set_yscale("log")
        positive = np.r_[t["predicted_pd"].to_numpy(float), obs[obs > 0]]
        if positive.size:
            ax.set_ylim(bottom=float(positive.min()) / 4.0, top=min(1.0, float(np.nanmax(hi)) * 1.5))
        ax.set_title(name)
        ax.set_xlabel("score band (riskiest first)")
        ax.set_ylabel("bad rate")
        ax.legend(fontsize=7, loc="upper right")
    return fig


def psi_month_figure(table: pd.DataFrame, samples: Sequence[str], month: str) -> Any:
    """Score PSI against the reference sample, by month and sample, with the 0.10 / 0.25 lines."""
    months = sorted(table[month].astype(str).unique())
    pos = {v: j for j, v in enumerate(months)}
    fig, ax = new_figure(max(5.5, 0.3 * len(months) + 2.5), 3.6)
    for i, name in enumerate(samples):
        t = table[table["sample"] == name]
        if t.empty:
            continue
        ax.plot([pos[str(v)] for v in t[month]], t["psi"], "o-", color=colour(i), ms=4, label=name)
    ax.axhline(0.10, color=LIGHT_COLOURS["yellow"], lw=1, ls="--")
    ax.axhline(0.25, color=LIGHT_COLOURS["red"], lw=1, ls="--")
    ax.set_xticks(np.arange(len(months)), months, rotation=60, ha="right", fontsize=7)
    ax.set_ylabel("score PSI")
    ax.set_title("Score PSI by month (dashed: 0.10 watch, 0.25 shifted)")
    ax.legend(fontsize=8)
    return fig


def score_distribution_figure(shares: pd.DataFrame, samples: Sequence[str]) -> Any:
    """Share of each sample per score band (bands fixed on the reference sample)."""
    fig, ax = new_figure(7.0, 3.6)
    x = np.arange(len(shares))
    width = 0.8 / max(len(samples), 1)
    for i, name in enumerate(samples):
        ax.bar(x + (i - (len(samples) - 1) / 2) * width, shares[name], width, color=colour(i), label=name)
    ax.set_xticks(x, shares["band"].astype(str), rotation=45, ha="right", fontsize=7)
    ax.set_ylabel("share of applicants")
    ax.set_title("Score distribution per band")
    ax.legend(fontsize=8)
    return fig


def csi_figure(csi: pd.DataFrame, samples: Sequence[str]) -> Any:
    """CSI per model feature and sample (horizontal bars), with the 0.10 / 0.25 lines."""
    feats = csi["feature"].tolist()
    fig, ax = new_figure(6.5, max(2.5, 0.32 * len(feats) + 1.2))
    y = np.arange(len(feats))
    height = 0.8 / max(len(samples), 1)
    for i, name in enumerate(samples):
        ax.barh(y + (i - (len(samples) - 1) / 2) * height, csi[name], height, color=colour(i + 1), label=name)
    ax.axvline(0.10, color=LIGHT_COLOURS["yellow"], lw=1, ls="--")
    ax.axvline(0.25, color=LIGHT_COLOURS["red"], lw=1, ls="--")
    ax.set_yticks(y, feats, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("CSI")
    ax.set_title("CSI per feature")
    ax.legend(fontsize=8)
    return fig


def correlation_figure(corr: pd.DataFrame) -> Any:
    """Heat map of the correlation matrix of the WOE features."""
    k = corr.shape[0]
    size = max(4.0, 0.42 * k + 2.0)
    fig, ax = new_figure(size + 1.0, size)
    im = ax.imshow(corr.to_numpy(float), vmin=-1, vmax=1, cmap="RdBu_r")
    ax.set_xticks(np.arange(k), corr.columns, rotation=90, fontsize=7)
    ax.set_yticks(np.arange(k), corr.index, fontsize=7)
    fig.colorbar(im, ax=ax, shrink=0.8)
    ax.set_title("Correlation of the WOE features (reference sample)")
    return fig


def monthly_data_figure(table: pd.DataFrame, samples: Sequence[str], month: str) -> Any:
    """Applications (bars) and bad rate (lines) per month and sample."""
    months = sorted(table[month].astype(str).unique())
    pos = {v: j for j, v in enumerate(months)}
    fig, ax = new_figure(max(6.0, 0.3 * len(months) + 3.0), 3.6)
    ax2 = ax.twinx()
    width = 0.8 / max(len(samples), 1)
    for i, name in enumerate(samples):
        t = table[table["sample"] == name]
        x = np.array([pos[str(v)] for v in t[month]], dtype=float)
        ax.bar(x + (i - (len(samples) - 1) / 2) * width, t["rows"], width, color=colour(i), alpha=0.35)
        ax2.plot(x, t["bad_rate"], "o-", color=colour(i), ms=3, label=name)
    ax.set_xticks(np.arange(len(months)), months, rotation=60, ha="right", fontsize=7)
    ax.set_ylabel("applications (bars)")
    ax2.set_ylabel("bad rate (lines)")
    ax.set_title("Volume and bad rate by month")
    ax2.legend(fontsize=8, loc="upper left")
    return fig


def benchmark_roc_figure(
    curves: Mapping[str, tuple[ScoreHistogram, ScoreHistogram]], names: tuple[str, str]
) -> Any:
    """ROC of the champion and the challenger (their score histograms), one panel per sample."""
    n = len(curves)
    fig, axes = new_figure(4.0 * n, 3.8, ncols=n)
    axes = np.atleast_1d(axes)
    for ax, (sample, (ha, hb)) in zip(axes, curves.items()):
        for j, (label, hist) in enumerate(zip(names, (ha, hb))):
            cb, cg, _ = _curve_counts(hist)
            k = _thin(cb.size)
            ax.plot(cg[k], cb[k], color=colour(j), label=label)
        ax.plot([0, 1], [0, 1], color="#999999", lw=0.8, ls="--")
        ax.set_title(sample)
        ax.set_xlabel("share of goods")
        ax.set_ylabel("share of bads")
        ax.legend(loc="lower right", fontsize=8)
    return fig
