"""The interactive binning editor for JupyterLab: :class:`BinningWidget`.

A view and controls over a :class:`~scorecard.editor.BinningEditor` (the edit
model), built from ipywidgets only, so it renders in JupyterLab with no
server of its own. For one feature at a time it shows:

- a feature picker, strongest IV first;
- the live IV (and the IV the feature had when the editor opened);
- a plot of goods and bads per bin with the bad rate, and the WOE per bin
  (plain inline SVG, :func:`bins_svg`: no plotting server, and a redraw takes
  about a millisecond where matplotlib took 0.1 to 0.6 s);
- the binning table, with the points per bin when the editor has a model;
- controls for every edit: merge the selected bins, split a numeric bin at a
  value, move categories between groups, set or clear a trend, reset the
  feature, undo and redo;
- when the editor has a model and a validation sample: the validation AUC and
  KS of the scorecard refitted on the edited bins, next to the original
  model's;
- the code that reproduces the edits, to paste into the notebook.

An invalid edit is refused by the edit model; the widget shows its message
and the binner is unchanged. ipywidgets is imported when a widget is built,
so ``import scorecard`` (and the edit model) does not need it.

Examples
--------
>>> from scorecard import WOEBinner
>>> from scorecard.datasets import load_german_credit
>>> from scorecard.editor import BinningEditor
>>> X, y = load_german_credit()
>>> editor = BinningEditor(WOEBinner().fit(X, y), X, y)
>>> widget = BinningWidget(editor, feature="duration_in_month")
>>> widget.bin_select.value = (0, 1)
>>> widget.merge_button.click()
>>> round(widget.displayed_iv, 6) == round(editor.iv("duration_in_month"), 6)
True
"""

from __future__ import annotations

import html
import logging
import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from scorecard.binning import _TRENDS as TRENDS
from scorecard.errors import ScorecardError

if TYPE_CHECKING:  # pragma: no cover
    from scorecard.editor import BinningEditor

# The view sits above its edit model: widgets never imports scorecard.editor at run time
# (BinningEditor.widget() and scorecard.editor.edit_binning open a widget on an editor).
__all__ = ["BinningWidget", "bins_svg"]

logger = logging.getLogger(__name__)

_GOOD = "#4c9a6a"
_BAD = "#c0504d"
_TREND_LABELS = [("auto", "auto"), ("auto_asc_desc", "auto (ascending or descending)")] + [
    (t, t) for t in TRENDS if t not in ("auto", "auto_asc_desc", None)
]
_CSS = """
<style>
.scorecard-editor table.scorecard-bintable {border-collapse: collapse; font-size: 12px;}
.scorecard-editor table.scorecard-bintable th, .scorecard-editor table.scorecard-bintable td
  {padding: 2px 8px; border-bottom: 1px solid #ddd; text-align: right;}
.scorecard-editor table.scorecard-bintable td.lbl {text-align: left; max-width: 380px;}
.scorecard-editor tr.total td {font-weight: bold;}
.scorecard-editor .scorecard-error {color: #b00020;}
.scorecard-editor .scorecard-note {color: #8a6d00;}
.scorecard-editor .scorecard-muted {color: #777; font-size: 11px;}
</style>
"""


def _require_ipywidgets() -> Any:
    try:
        import ipywidgets
    except ImportError as exc:  # pragma: no cover - ipywidgets is in the notebooks extra
        raise ImportError(
            "the binning editor widget needs ipywidgets (pip install 'scorecard[notebooks]'); "
            "the edit model scorecard.editor.BinningEditor works without it"
        ) from exc
    return ipywidgets


def _short(label: str, n: int = 22) -> str:
    return label if len(label) <= n else label[: n - 1] + "\u2026"


def _nice(v: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k at or above ``v`` (axis maxima)."""
    if not math.isfinite(v) or v <= 0:
        return 1.0
    k = 10 ** math.floor(math.log10(v))
    return next(m * k for m in (1, 2, 2.5, 5, 10) if m * k >= v)


def bins_svg(
    table: pd.DataFrame,
    title: str,
    *,
    points: pd.Series | None = None,
    width: int = 920,
    height: int = 300,
) -> str:
    """An SVG chart of a binning table: goods and bads per bin with the bad rate, and WOE per bin.

    Drawn as plain SVG (no plotting library): it renders inline in JupyterLab
    and takes about a millisecond, so an edit redraws at once (matplotlib
    took 0.1 to 0.6 s per redraw here, mostly text layout). Bins are labelled
    by their row index in the table, as the widget's bin selector; empty bins
    are left out. Hovering a bar shows its bin, counts, bad rate and WOE.

    Parameters
    ----------
    table : DataFrame
        A binning table (:meth:`WOEBinner.binning_table`), ``Totals`` row included.
    title : str
    points : Series, optional
        Points per bin (index = table row), written on the WOE bars.
    width, height : int
        Size in pixels.

    Returns
    -------
    str
        An ``<svg>`` element.

    Examples
    --------
    >>> from scorecard import WOEBinner
    >>> from scorecard.datasets import load_german_credit
    >>> X, y = load_german_credit()
    >>> b = WOEBinner().fit(X[["age_in_years"]], y)
    >>> svg = bins_svg(b.binning_table("age_in_years"), "age")
    >>> svg.startswith("<svg"), svg.count('class="bar-bad"')
    (True, 7)
    """
    body = table.iloc[:-1]
    body = body[body["count"] > 0]
    n = max(len(body), 1)
    top, bottom = 34, 86
    ph = height - top - bottom
    lx0, lx1 = 58, int(width * 0.60)
    rx0, rx1 = int(width * 0.60) + 70, width - 16
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        f'<text x="{lx0}" y="18" font-size="13" font-weight="bold">{html.escape(title)}</text>',
    ]

    def y_of(v: float, vmax: float, vmin: float = 0.0) -> float:
        return top + ph * (vmax - v) / (vmax - vmin)

    # left panel: counts (bars) and bad rate (line)
    cmax = _nice(float(body["count"].max()) if len(body) else 1.0)
    rmax = _nice(float(np.nanmax(body["event_rate"])) * 1.1 if len(body) else 1.0)
    for frac in (0.0, 0.5, 1.0):
        yy = y_of(cmax * frac, cmax)
        out.append(f'<line x1="{lx0}" x2="{lx1}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#e5e5e5"/>')
        out.append(f'<text x="{lx0 - 4}" y="{yy + 4:.1f}" text-anchor="end">{cmax * frac:,.0f}</text>')
        out.append(f'<text x="{lx1 + 4}" y="{yy + 4:.1f}">{rmax * frac:.0%}</text>')
    out.append(
        f'<text x="14" y="{top + ph / 2:.0f}" transform="rotate(-90 14 {top + ph / 2:.0f})" '
        'text-anchor="middle">count</text>'
    )
    slot = (lx1 - lx0) / n
    bw = slot * 0.7
    line = []
    for k, (i, r) in enumerate(body.iterrows()):
        x = lx0 + slot * k + (slot - bw) / 2
        yg = y_of(float(r["good"]), cmax)
        yb = y_of(float(r["good"] + r["bad"]), cmax)
        tip = html.escape(
            f"bin {i}: {r['bin']}\ncount {int(r['count']):,} ({r['count_share']:.1%}), good {int(r['good']):,}, "
            f"bad {int(r['bad']):,}\nbad rate {r['event_rate']:.1%}, WOE {r['woe']:.4f}, IV {r['iv']:.4f}"
        )
        out.append(
            f'<rect class="bar-good" x="{x:.1f}" y="{yg:.1f}" width="{bw:.1f}" height="{top + ph - yg:.1f}" '
            f'fill="{_GOOD}"><title>{tip}</title></rect>'
        )
        out.append(
            f'<rect class="bar-bad" x="{x:.1f}" y="{yb:.1f}" width="{bw:.1f}" height="{yg - yb:.1f}" '
            f'fill="{_BAD}"><title>{tip}</title></rect>'
        )
        cx = x + bw / 2
        line.append((cx, y_of(float(r["event_rate"]), rmax)))
        lab = html.escape(f"{i}: {_short(str(r['bin']))}")
        ly = top + ph + 12
        out.append(f'<text x="{cx:.1f}" y="{ly}" transform="rotate(-30 {cx:.1f} {ly})" text-anchor="end">{lab}</text>')
    if line:
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in line)
        out.append(f'<polyline points="{pts}" fill="none" stroke="black" stroke-width="1.5"/>')
        out.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3"/>' for x, y in line)
    legend_y = height - 8
    out.append(
        f'<rect x="{lx0}" y="{legend_y - 9}" width="10" height="10" fill="{_GOOD}"/>'
        f'<text x="{lx0 + 14}" y="{legend_y}">good</text>'
        f'<rect x="{lx0 + 54}" y="{legend_y - 9}" width="10" height="10" fill="{_BAD}"/>'
        f'<text x="{lx0 + 68}" y="{legend_y}">bad</text>'
        f'<line x1="{lx0 + 102}" x2="{lx0 + 122}" y1="{legend_y - 4}" y2="{legend_y - 4}" stroke="black" stroke-width="1.5"/>'
        f'<text x="{lx0 + 126}" y="{legend_y}">bad rate (right axis)</text>'
    )
    # right panel: WOE per bin, points on the bars
    woe = body["woe"].to_numpy(dtype=float)
    wmax = _nice(max(float(np.nanmax(np.abs(woe))) if len(woe) else 0.0, 0.05) * 1.15)
    out.append(
        f'<text x="{rx0}" y="18" font-size="13" font-weight="bold">WOE'
        f'{" (labels: points)" if points is not None else ""}</text>'
    )
    for v in (-wmax, 0.0, wmax):
        yy = y_of(v, wmax, -wmax)
        out.append(
            f'<line x1="{rx0}" x2="{rx1}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="{"#999" if v == 0 else "#e5e5e5"}"/>'
        )
        out.append(f'<text x="{rx0 - 4}" y="{yy + 4:.1f}" text-anchor="end">{v:+.2g}</text>')
    rslot = (rx1 - rx0) / n
    rbw = rslot * 0.7
    y0 = y_of(0.0, wmax, -wmax)
    for k, (i, w) in enumerate(zip(body.index, woe)):
        x = rx0 + rslot * k + (rslot - rbw) / 2
        yw = y_of(w, wmax, -wmax)
        out.append(
            f'<rect class="bar-woe" x="{x:.1f}" y="{min(yw, y0):.1f}" width="{rbw:.1f}" '
            f'height="{abs(y0 - yw):.1f}" fill="{_GOOD if w >= 0 else _BAD}"><title>bin {i}: WOE {w:.4f}</title></rect>'
        )
        cx = x + rbw / 2
        out.append(f'<text x="{cx:.1f}" y="{top + ph + 14}" text-anchor="middle">{i}</text>')
        if points is not None and i in points.index and pd.notna(points[i]):
            ty = yw - 3 if w >= 0 else yw + 11
            out.append(f'<text x="{cx:.1f}" y="{ty:.1f}" text-anchor="middle" font-size="10">{int(points[i])}</text>')
    out.append(f'<text x="{(rx0 + rx1) / 2:.0f}" y="{top + ph + 30}" text-anchor="middle">bin</text>')
    out.append("</svg>")
    return "".join(out)


def _table_html(table: pd.DataFrame, points: pd.Series | None) -> str:
    """The binning table as compact HTML, with a ``points`` column when given."""
    cols = ["#", "bin", "kind", "count", "share", "good", "bad", "bad rate", "WOE", "IV"]
    if points is not None:
        cols.append("points")
    head = "".join(f"<th>{c}</th>" for c in cols)
    rows = []
    for i, r in table.iterrows():
        total = r["kind"] == "total"

        def num(v: float, fmt: str) -> str:
            return "" if pd.isna(v) else format(v, fmt)

        cells = [
            "" if total else str(i),
            f'<td class="lbl">{html.escape(str(r["bin"]))}</td>',
            html.escape(str(r["kind"])),
            f"{int(r['count']):,}",
            num(r["count_share"], ".1%"),
            f"{int(r['good']):,}",
            f"{int(r['bad']):,}",
            num(r["event_rate"], ".1%"),
            "" if total else num(r["woe"], ".4f"),
            num(r["iv"], ".4f"),
        ]
        if points is not None:
            p = points.get(i) if not total else None
            cells.append("" if p is None or pd.isna(p) else str(int(p)))
        tds = "".join(c if c.startswith("<td") else f"<td>{c}</td>" for c in cells)
        rows.append(f'<tr class="{"total" if total else ""}">{tds}</tr>')
    return f'<table class="scorecard-bintable"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


class BinningWidget:
    """Interactive editor of a binner's bins in JupyterLab (ipywidgets).

    Display it as the last expression of a cell (or with ``display``); the
    widget does not block the kernel, so a notebook that shows it still runs
    headless. Every control acts through the :class:`BinningEditor`, so the
    edits are reproducible (see ``editor.to_code()``).

    Parameters
    ----------
    editor : BinningEditor
    feature : str, optional
        The feature shown first; default the one with the highest IV.
    live_model : bool, default True
        Refit the editor's model after each edit (when it has one).

    Attributes
    ----------
    editor : BinningEditor
    root : ipywidgets.VBox
        The widget tree (CSS class ``scorecard-editor``).
    feature : str
        The feature shown.
    last_redraw_seconds : float or None
        Time of the last redraw of the binning (table, plot, controls), model refit excluded.
    last_model_seconds : float or None
        Time of the last model refit and scoring.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from scorecard import WOEBinner
    >>> from scorecard.editor import BinningEditor
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
    >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
    >>> widget = BinningWidget(BinningEditor(WOEBinner().fit(X, y), X, y))
    >>> widget.feature  # the highest-IV feature first
    'age'
    >>> "scorecard-editor" in widget.root._dom_classes
    True
    """

    def __init__(
        self, editor: BinningEditor, feature: str | None = None, *, live_model: bool = True
    ) -> None:
        W = _require_ipywidgets()
        self.editor = editor
        self.last_redraw_seconds: float | None = None
        self.last_model_seconds: float | None = None
        self._updating = False
        self._shown_iv = float("nan")
        if feature is not None:
            editor.kind(feature)  # DataError on an unknown feature
        self.feature = feature if feature is not None else editor.features[0]

        def button(text: str, css: str, handler: Callable[[Any], None], style: str = "") -> Any:
            b = W.Button(description=text, button_style=style, layout=W.Layout(width="auto"))
            b.add_class(css)
            b.on_click(handler)
            return b

        self.feature_picker = W.Dropdown(description="Feature", layout=W.Layout(width="460px"))
        self.feature_picker.add_class("scorecard-feature")
        self.iv_label = W.HTML()
        self.iv_label.add_class("scorecard-iv")
        self.info_label = W.HTML()
        self.message = W.HTML()
        self.message.add_class("scorecard-message")
        self.model_label = W.HTML()
        self.model_label.add_class("scorecard-model")
        self.plot = W.HTML()
        self.plot.add_class("scorecard-plot")
        self.table = W.HTML()
        self.table.add_class("scorecard-table")
        self.timing = W.HTML()

        self.bin_select = W.SelectMultiple(description="Bins", rows=7, layout=W.Layout(width="380px"))
        self.bin_select.add_class("scorecard-bins")
        self.merge_button = button("Merge selected bins", "scorecard-merge", self._on_merge, "primary")
        self.split_value = W.FloatText(description="Split at", layout=W.Layout(width="200px"))
        self.split_value.add_class("scorecard-split-value")
        self.split_button = button("Split", "scorecard-split", self._on_split)
        self.category_select = W.SelectMultiple(description="Categories", rows=6, layout=W.Layout(width="380px"))
        self.category_select.add_class("scorecard-categories")
        self.move_target = W.Dropdown(description="to", layout=W.Layout(width="200px"))
        self.move_button = button("Move", "scorecard-move", self._on_move)
        self.trend_select = W.Dropdown(
            description="Trend", options=[*_TREND_LABELS, ("none (no constraint)", None)], layout=W.Layout(width="300px")
        )
        self.trend_select.add_class("scorecard-trend")
        self.trend_button = button("Re-optimise with trend", "scorecard-set-trend", self._on_trend)
        self.undo_button = button("Undo", "scorecard-undo", self._on_undo)
        self.redo_button = button("Redo", "scorecard-redo", self._on_redo)
        self.reset_button = button("Reset to optimal", "scorecard-reset", self._on_reset, "warning")
        self.live_model = W.Checkbox(value=live_model, description="refit the model after each edit", indent=False)
        self.code = W.Textarea(layout=W.Layout(width="100%", height="140px"))
        self.code.add_class("scorecard-code")
        code_box = W.Accordion(children=[self.code])
        code_box.set_title(0, "Code that reproduces the edits (paste it into the notebook)")

        self._numeric_box = W.HBox([self.split_value, self.split_button, self.trend_select, self.trend_button])
        self._categorical_box = W.HBox([self.category_select, W.VBox([self.move_target, self.move_button])])
        controls = W.VBox(
            [
                W.HBox([self.bin_select, W.VBox([self.merge_button])]),
                self._numeric_box,
                self._categorical_box,
                W.HBox([self.undo_button, self.redo_button, self.reset_button]),
            ]
        )
        has_model = editor.model is not None
        self.root = W.VBox(
            [
                W.HTML(_CSS),
                W.HBox([self.feature_picker, self.iv_label]),
                self.info_label,
                self.message,
                *([W.HBox([self.model_label, self.live_model])] if has_model else []),
                self.plot,
                controls,
                self.table,
                code_box,
                self.timing,
            ]
        )
        self.root.add_class("scorecard-editor")
        self.feature_picker.observe(self._on_feature, names="value")
        self.bin_select.observe(self._on_bins, names="value")
        self.live_model.observe(lambda change: self.refresh() if change["new"] else None, names="value")
        self.refresh()

    # ------------------------------------------------------------ display
    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.root._repr_mimebundle_(**kwargs)

    @property
    def displayed_iv(self) -> float:
        """The IV the widget shows (for tests and scripts)."""
        return self._shown_iv

    def show(self, feature: str) -> None:
        """Show ``feature``.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import WOEBinner
        >>> from scorecard.editor import BinningEditor
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000), "home": rng.choice(["own", "rent", "other"], 2000)})
        >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> widget = BinningWidget(BinningEditor(WOEBinner().fit(X, y), X, y))
        >>> widget.show("home")
        >>> widget.feature, widget.displayed_iv == widget.editor.iv("home")
        ('home', True)
        """
        self.editor.kind(feature)  # DataError on an unknown feature
        self.feature = feature
        self.message.value = ""
        self.refresh()

    def refresh(self) -> None:
        """Redraw everything from the edit model (and refit the model when live).

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from scorecard import WOEBinner
        >>> from scorecard.editor import BinningEditor
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"age": rng.integers(18, 70, 2000)})
        >>> y = pd.Series((rng.random(2000) < 0.1 + 0.3 * (X["age"] < 30)).astype(int))
        >>> editor = BinningEditor(WOEBinner().fit(X, y), X, y)
        >>> widget = BinningWidget(editor, feature="age")
        >>> _ = editor.merge("age", [0, 1])  # an edit made in code, not through the widget
        >>> widget.refresh()
        >>> widget.displayed_iv == editor.iv("age")
        True
        """
        t0 = time.perf_counter()
        ed, f = self.editor, self.feature
        self._updating = True
        try:
            iv = ed.iv(f)
            self._shown_iv = iv
            self.feature_picker.options = [(f"{name}  (IV {ed.iv(name):.3f})", name) for name in ed.features]
            self.feature_picker.value = f
            initial = ed.initial_iv(f)
            self.iv_label.value = (
                f'<span class="scorecard-iv-value" data-iv="{iv!r}" style="font-size:15px">'
                f"IV <b>{iv:.4f}</b></span> "
                f'<span class="scorecard-muted">(when opened: {initial:.4f})</span>'
            )
            kind = ed.kind(f)
            trend = ed.trend(f)
            self.info_label.value = (
                f'<span class="scorecard-muted">{kind}; bins: {ed.source(f)}; '
                + (f"trend constraint: {trend}; observed bad-rate shape: {ed.observed_trend(f)}; " if kind == "numeric" else "")
                + f"{len(ed.edits)} edit(s) in this session</span>"
            )
            labels = ed.regular_bins(f)
            self.bin_select.options = [(f"{i}: {lab}", i) for i, lab in enumerate(labels)]
            self.bin_select.value = ()
            numeric = kind == "numeric"
            self._numeric_box.layout.display = "" if numeric else "none"
            self._categorical_box.layout.display = "none" if numeric else ""
            if numeric:
                self.trend_select.value = trend if trend in TRENDS else "auto"
            else:
                groups = ed.groups(f)
                self.category_select.options = [(f"{c}  (bin {i})", c) for i, g in enumerate(groups) for c in g]
                self.category_select.value = ()
                self.move_target.options = [("a new group", -1)] + [(f"bin {i}", i) for i in range(len(groups))]
                self.move_target.value = -1
            self.undo_button.disabled = not ed.can_undo
            self.redo_button.disabled = not ed.can_redo
            self.reset_button.disabled = not ed.can_reset(f)
            table = ed.table(f)
            self.plot.value = bins_svg(table, f"{f}  (IV {iv:.4f})")
            self.table.value = _table_html(table, None)
            self.code.value = ed.to_code()
        finally:
            self._updating = False
        self.last_redraw_seconds = time.perf_counter() - t0
        self.timing.value = f'<span class="scorecard-muted">redrawn in {self.last_redraw_seconds:.2f} s</span>'
        logger.debug("binning editor redrawn in %.3f s", self.last_redraw_seconds)
        if ed.model is not None:
            self._refresh_model(table)

    def _refresh_model(self, table: pd.DataFrame) -> None:
        if not self.live_model.value:
            self.model_label.value = '<span class="scorecard-muted">model refit off</span>'
            return
        self.model_label.value = '<span class="scorecard-muted">refitting the model\u2026</span>'
        try:
            check = self.editor.model_check()
        except Exception as exc:  # shown, never raised into the widget callback
            logger.warning("binning editor: the model refit failed: %s", exc)
            self.model_label.value = f'<span class="scorecard-error">{html.escape(str(exc))}</span>'
            return
        assert check is not None
        self.last_model_seconds = check.seconds
        pts = check.points(self.feature)
        points = None
        if pts is not None:
            points = pd.Series(pts["points"].to_numpy(), index=range(len(pts)))
        parts = []
        if check.auc is not None:
            parts.append(
                f'validation <span class="scorecard-auc" data-auc="{check.auc!r}">AUC <b>{check.auc:.4f}</b></span> '
                f"(model: {check.auc_base:.4f}), KS <b>{check.ks:.4f}</b> (model: {check.ks_base:.4f})"
            )
        parts.append(
            f"points of {html.escape(self.feature)}: "
            + ("shown in the table" if points is not None else "<i>not in the refitted model</i>")
        )
        parts.append(f'<span class="scorecard-muted">refit {check.seconds:.2f} s, {len(check.features)} features</span>')
        notes = "".join(f'<br><span class="scorecard-note">{html.escape(n)}</span>' for n in check.notes)
        self.model_label.value = "; ".join(parts) + notes
        if points is not None:
            self.table.value = _table_html(table, points)
            self.plot.value = bins_svg(table, f"{self.feature}  (IV {self._shown_iv:.4f})", points=points)

    # ------------------------------------------------------------ actions
    def _say(self, text: str, *, error: bool = False, notes: tuple[str, ...] = ()) -> None:
        css = "scorecard-error" if error else ""
        body = f'<span class="{css}">{html.escape(text)}</span>'
        body += "".join(f'<br><span class="scorecard-note">{html.escape(n)}</span>' for n in notes)
        self.message.value = body

    def _run(self, action: Callable[[], Any]) -> None:
        """Apply an edit; show the edit model's message if it refuses, then redraw."""
        try:
            action()
        except (ScorecardError, ValueError, KeyError) as exc:
            self._say(str(exc), error=True)
            return
        except Exception as exc:  # pragma: no cover - a bug: show it rather than lose it in the log
            logger.exception("binning editor: unexpected error")
            self._say(f"unexpected error: {exc!r}", error=True)
            return
        last = self.editor.edits[-1] if self.editor.edits else None
        self.refresh()
        if last is not None:
            self._say(last.describe(), notes=last.notes)

    def _on_feature(self, change: dict[str, Any]) -> None:
        if not self._updating and change["new"] is not None and change["new"] != self.feature:
            self.show(change["new"])

    def _on_bins(self, change: dict[str, Any]) -> None:
        n = len(change["new"])
        self.merge_button.description = f"Merge the {n} selected bins" if n >= 2 else "Merge selected bins"
        if self._updating or self.editor.kind(self.feature) != "numeric" or n != 1:
            return
        value = self.editor.suggest_split(self.feature, change["new"][0])
        if value is not None:
            self.split_value.value = value

    def _on_merge(self, _: Any) -> None:
        self._run(lambda: self.editor.merge(self.feature, list(self.bin_select.value)))

    def _on_split(self, _: Any) -> None:
        self._run(lambda: self.editor.split(self.feature, self.split_value.value))

    def _on_move(self, _: Any) -> None:
        to = self.move_target.value
        self._run(lambda: self.editor.move_category(self.feature, list(self.category_select.value), None if to == -1 else to))

    def _on_trend(self, _: Any) -> None:
        self._run(lambda: self.editor.set_trend(self.feature, self.trend_select.value))

    def _on_reset(self, _: Any) -> None:
        self._run(lambda: self.editor.reset(self.feature))

    def _on_undo(self, _: Any) -> None:
        self._undo_redo(self.editor.undo, "undone")

    def _on_redo(self, _: Any) -> None:
        self._undo_redo(self.editor.redo, "redone")

    def _undo_redo(self, action: Callable[[], Any], word: str) -> None:
        try:
            action()
        except (ScorecardError, ValueError) as exc:
            self._say(str(exc), error=True)
            return
        edit = self.editor.edits[-1] if word == "redone" else self.editor.undone[-1]
        self.feature = edit.feature  # show the feature the undo / redo changed
        self.refresh()
        self._say(f"{word}: {edit.describe()}")
