"""The monitoring report: one self-contained HTML file, alerts first, then time series with thresholds."""

from __future__ import annotations

import base64
import html
import io
import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["MonitoringReport", "SECTION_IDS"]

#: Section ids of the report, in order.
SECTION_IDS: tuple[str, ...] = ("alerts", "population", "features", "quality", "decisions", "performance",
                                "calibration", "maturity")

_CSS = """
.sc-monitor{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#222;max-width:1300px}
.sc-monitor h1{font-size:22px}.sc-monitor h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px}
.sc-monitor table{border-collapse:collapse;font-size:12px;margin:8px 0}
.sc-monitor th,.sc-monitor td{border:1px solid #ddd;padding:3px 7px;text-align:right}
.sc-monitor th{background:#f4f4f4}.sc-monitor td.t{text-align:left}
.sc-monitor .red{background:#f8d0d0}.sc-monitor .yellow{background:#fbefc4}.sc-monitor .green{background:#d7efd7}
.sc-monitor .note{color:#555;font-size:12px}.sc-monitor img{max-width:100%;display:block;margin:6px 0}
.sc-monitor .summary span{display:inline-block;margin-right:16px;font-weight:600}
body{margin:24px}
@media print{.sc-monitor section{page-break-before:always}.sc-monitor section#alerts{page-break-before:avoid}}
"""


def _fig_png(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=72, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return '<img alt="figure" src="data:image/png;base64,' + base64.b64encode(buf.getvalue()).decode("ascii") + '">'


def _fmt(v: Any) -> str:
    if isinstance(v, (float, np.floating)):
        if not math.isfinite(float(v)):
            return "n/a"
        return f"{float(v):.4g}"
    return html.escape(str(v))


def _table(df: pd.DataFrame, tid: str, light_col: str | None = None, max_rows: int = 400) -> str:
    if df.empty:
        return '<p class="note">Nothing to show.</p>'
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    rows = []
    for _, r in df.head(max_rows).iterrows():
        cls = f' class="{r[light_col]}"' if light_col and r.get(light_col) in ("red", "yellow", "green") else ""
        cells = "".join(
            f'<td class="t">{_fmt(v)}</td>' if isinstance(v, str) or v is None else f"<td>{_fmt(v)}</td>" for v in r
        )
        rows.append(f"<tr{cls}>{cells}</tr>")
    return f'<table id="{tid}"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _xaxis(ax: Any, labels: list[str]) -> np.ndarray:
    """Numeric x positions for period labels (a categorical axis is slow to draw); at most 12 tick labels."""
    x = np.arange(len(labels))
    step = max(1, int(math.ceil(len(labels) / 12)))
    ax.set_xticks(x[::step])
    ax.set_xticklabels([labels[i] for i in range(0, len(labels), step)], rotation=60, fontsize=7)
    return x


def _bands(ax: Any, pair: tuple[float, float]) -> None:
    ax.axhline(pair[0], color="#e0a800", ls="--", lw=1, label=f"yellow {pair[0]:g}")
    ax.axhline(pair[1], color="#c0392b", ls="--", lw=1, label=f"red {pair[1]:g}")


class MonitoringReport:
    """Self-contained HTML monitoring report of a :class:`~scorecard.monitoring.Monitor`.

    Sections (ids in :data:`SECTION_IDS`): alerts (the table first, red
    first), population (volume, score PSI with its 0.10 / 0.25 lines, CBPE
    estimates), features (CSI per feature over time, thresholds), quality
    (missing, special-code and fallback rates), decisions (with a policy),
    performance (AUC per cohort with intervals and the development interval,
    realised vs estimated bad rate and AUC), calibration (per grade of the
    latest matured cohort, Jeffreys intervals; Hosmer-Lemeshow per cohort)
    and maturity. Figures are inline PNGs; nothing is fetched.

    Examples
    --------
    >>> from scorecard import LogisticScorecard
    >>> from scorecard.datasets import load_german_credit
    >>> from scorecard.monitoring import Monitor
    >>> X, y = load_german_credit()
    >>> mon = Monitor(LogisticScorecard().fit(X, y)).fit_baseline(X, y)
    >>> _ = mon.observe(X.assign(application_date="2025-03-02"))
    >>> rep = MonitoringReport(mon)
    >>> rep.html().count("<section")
    8
    """

    def __init__(self, monitor: Any, *, title: str = "Model monitoring report") -> None:
        self.monitor = monitor
        self.title = title
        self._html: str | None = None
        self._body = ""

    # -- sections --------------------------------------------------------------
    def _alerts(self, alerts: pd.DataFrame) -> str:
        n_red = int((alerts["light"] == "red").sum())
        n_yel = int((alerts["light"] == "yellow").sum())
        info = self.monitor.model_info_
        model = f"{info.get('name', 'scorecard')} version {info['version']}" if info.get("version") else "scorecard"
        head = (f'<div class="summary"><span>model: {html.escape(model)}</span><span class="red">red: {n_red}</span>'
                f'<span class="yellow">yellow: {n_yel}</span></div>')
        note = ('<p class="note">Thresholds (yellow, red): PSI / CSI 0.10 / 0.25; rate jumps over the development '
                "rate beyond the jump and 3 standard errors; AUC significantly below the development AUC; Jeffreys test per "
                "grade (p &lt; 0.05 yellow, &lt; 0.001 red); realised vs estimated gaps.</p>")
        return head + note + _table(alerts, "t-alerts", "light")

    def _population(self, periods: pd.DataFrame) -> str:
        import matplotlib.pyplot as plt

        if periods.empty:
            return '<p class="note">No production period observed yet.</p>'
        th = self.monitor.thresholds
        labels = periods["period"].tolist()
        fig, axes = plt.subplots(1, 3, figsize=(15, 3.4))
        x = _xaxis(axes[0], labels)
        _xaxis(axes[1], labels)
        _xaxis(axes[2], labels)
        axes[0].bar(x, periods["volume"], color="#4a7ab5")
        axes[0].set_title("Volume")
        axes[1].plot(x, periods["score_psi"], marker="o", color="#333", label="score PSI")
        _bands(axes[1], th["psi"])
        axes[1].set_title("Score PSI vs development")
        axes[1].legend(fontsize=7)
        axes[2].plot(x, periods["expected_bad_rate"], marker="o", label="expected bad rate (CBPE)")
        base = self.monitor.baseline_ or {}
        if "bad_rate" in base:
            axes[2].axhline(base["bad_rate"], color="#777", ls=":", label="development bad rate")
        axes[2].set_title("Expected bad rate before labels")
        axes[2].legend(fontsize=7)
        return _fig_png(fig) + _table(periods, "t-periods")

    def _features(self, feats: pd.DataFrame) -> str:
        import matplotlib.pyplot as plt

        if feats.empty:
            return '<p class="note">No production period observed yet.</p>'
        piv = feats.pivot(index="period", columns="feature", values="csi")
        fig, ax = plt.subplots(figsize=(12, 3.8))
        x = _xaxis(ax, piv.index.tolist())
        for f in piv.columns:
            ax.plot(x, piv[f].to_numpy(), marker=".", label=f)
        _bands(ax, self.monitor.thresholds["csi"])
        ax.set_title("CSI per feature")
        ax.legend(fontsize=6, ncol=4)
        latest = feats[feats["period"] == feats["period"].max()].sort_values("csi", ascending=False)
        return _fig_png(fig) + "<h3>Latest period</h3>" + _table(latest, "t-features-latest")

    def _quality(self, feats: pd.DataFrame) -> str:
        import matplotlib.pyplot as plt

        if feats.empty:
            return '<p class="note">No production period observed yet.</p>'
        fig, axes = plt.subplots(1, 3, figsize=(15, 3.4))
        for ax, rate in zip(axes, ("missing_rate", "special_rate", "fallback_rate")):
            piv = feats.pivot(index="period", columns="feature", values=rate)
            x = _xaxis(ax, piv.index.tolist())
            moving = [f for f in piv.columns if piv[f].max() > 0]
            for f in moving:
                ax.plot(x, piv[f].to_numpy(), marker=".", label=f)
            ax.set_title(rate.replace("_", " "))
            if moving:
                ax.legend(fontsize=6)
        return _fig_png(fig)

    def _decisions(self, dec: pd.DataFrame) -> str:
        import matplotlib.pyplot as plt

        if dec.empty:
            return '<p class="note">No policy given: no decision mix.</p>'
        dec = dec[dec["segment"] == "all"].set_index("period").drop(columns="segment").fillna(0.0)
        fig, ax = plt.subplots(figsize=(10, 3.2))
        x = _xaxis(ax, dec.index.tolist())
        bottom = np.zeros(len(dec))
        for d in dec.columns:
            ax.bar(x, dec[d].to_numpy(), bottom=bottom, label=d)
            bottom += dec[d].to_numpy()
        ax.set_title("Decision mix")
        ax.legend(fontsize=7)
        return _fig_png(fig) + _table(dec.reset_index(), "t-decisions")

    def _performance(self, cohorts: pd.DataFrame) -> str:
        import matplotlib.pyplot as plt

        if cohorts.empty or cohorts["auc"].isna().all():
            return '<p class="note">No matured outcomes yet.</p>'
        c = cohorts[cohorts["auc"].notna()]
        base = self.monitor.baseline_ or {}
        fig, axes = plt.subplots(1, 2, figsize=(14, 3.6))
        x = _xaxis(axes[0], c["cohort"].tolist())
        _xaxis(axes[1], c["cohort"].tolist())
        axes[0].errorbar(x, c["auc"], yerr=[c["auc"] - c["auc_low"], c["auc_high"] - c["auc"]], fmt="o",
                         label="realised AUC")
        axes[0].plot(x, c["estimated_auc"], "x", color="#c0392b", label="estimated before labels (CBPE)")
        if "auc_low" in base:
            axes[0].axhspan(base["auc_low"], base["auc_high"], color="#9c9", alpha=0.3, label="development interval")
        axes[0].set_title("AUC per cohort")
        axes[0].legend(fontsize=7)
        axes[1].plot(x, c["bad_rate"], "o-", label="realised")
        axes[1].plot(x, c["predicted_bad_rate"], "s--", label="predicted (matured accounts)")
        axes[1].plot(x, c["estimated_bad_rate"], "x:", label="estimated before labels (whole cohort)")
        axes[1].set_title("Bad rate per cohort")
        axes[1].legend(fontsize=7)
        cols = ["cohort", "matured", "bads", "bad_rate", "predicted_bad_rate", "estimated_bad_rate", "auc", "auc_low",
                "auc_high", "estimated_auc", "gini", "ks", "ks_low", "ks_high"]
        return _fig_png(fig) + _table(c[cols], "t-performance")

    def _calibration(self, cohorts: pd.DataFrame) -> str:
        import matplotlib.pyplot as plt

        if cohorts.empty or cohorts["auc"].isna().all():
            return '<p class="note">No matured outcomes yet.</p>'
        c = cohorts[cohorts["auc"].notna()]
        latest = c["cohort"].iloc[-1]
        g = self.monitor.calibration_table(latest)
        fig, ax = plt.subplots(figsize=(9, 3.4))
        lo = np.maximum(g["bad_rate"] - g["jeffreys_low"], 0.0)
        hi = np.maximum(g["jeffreys_high"] - g["bad_rate"], 0.0)
        ax.errorbar(g["grade"], g["bad_rate"], yerr=[lo, hi],
                    fmt="o", label="observed (Jeffreys interval)")
        ax.plot(g["grade"], g["predicted_pd"], "s", color="#c0392b", label="predicted PD")
        ax.set_xlabel("grade (1 = riskiest)")
        ax.set_title(f"Calibration per grade, cohort {latest}")
        ax.legend(fontsize=7)
        hl = c[["cohort", "hl_statistic", "hl_pvalue", "red_grades", "yellow_grades", "calibration_light"]]
        return (_fig_png(fig) + _table(g, "t-grades", "light") + "<h3>Per cohort</h3>"
                + _table(hl, "t-hl", "calibration_light"))

    def _maturity(self, cohorts: pd.DataFrame) -> str:
        import matplotlib.pyplot as plt

        if cohorts.empty:
            return '<p class="note">No label table joined yet.</p>'
        fig, ax = plt.subplots(figsize=(10, 3))
        x = _xaxis(ax, cohorts["cohort"].tolist())
        ax.bar(x, cohorts["maturity"].to_numpy(), color="#6a9")
        ax.set_ylim(0, 1.05)
        ax.set_title("Share of accounts with a complete performance window")
        return _fig_png(fig) + _table(cohorts[["cohort", "labelled", "matured", "maturity", "early_bads"]], "t-maturity")

    # -- document --------------------------------------------------------------
    def html(self) -> str:
        """The whole report as one HTML document (cached).

        Examples
        --------
        >>> MonitoringReport.__doc__.startswith("Self-contained")
        True
        """
        if self._html is not None:
            return self._html
        import matplotlib

        matplotlib.use("Agg", force=False)
        mon = self.monitor
        alerts = mon.alerts(log=False)
        periods = mon.period_table()
        feats = mon.feature_table()
        cohorts = mon.cohort_table()
        parts = {
            "alerts": ("Alerts", self._alerts(alerts)),
            "population": ("Population: volume, score stability, estimates before labels", self._population(periods)),
            "features": ("Characteristic stability (CSI)", self._features(feats)),
            "quality": ("Missing, special-code and fallback rates", self._quality(feats)),
            "decisions": ("Decisions", self._decisions(mon.decision_table())),
            "performance": ("Performance of matured cohorts", self._performance(cohorts)),
            "calibration": ("Calibration per grade", self._calibration(cohorts)),
            "maturity": ("Label maturity", self._maturity(cohorts)),
        }
        body = "".join(f'<section id="{sid}"><h2>{html.escape(parts[sid][0])}</h2>{parts[sid][1]}</section>'
                       for sid in SECTION_IDS)
        self._body = f'<div class="sc-monitor"><h1>{html.escape(self.title)}</h1>{body}</div>'
        self._html = (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; "
            "style-src 'unsafe-inline'\">"
            f"<title>{html.escape(self.title)}</title><style>{_CSS}</style></head>"
            f"<body>{self._body}</body></html>"
        )
        return self._html

    def _repr_html_(self) -> str:
        """A fragment for JupyterLab: the report's body and its styles, scoped to ``.sc-monitor``."""
        self.html()
        css = "\n".join(line for line in _CSS.splitlines() if not line.startswith("body"))
        return f"<style>{css}</style>\n{self._body}"

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the report to ``path`` (UTF-8) and return the path.

        Examples
        --------
        >>> MonitoringReport.save.__name__
        'save'
        """
        p = Path(path)
        p.write_text(self.html(), encoding="utf-8")
        return p
