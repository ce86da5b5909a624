"""HTML rendering of the validation report (private).

The report's data model (sections holding tables, figures and text blocks,
and the verdict) is rendered with a jinja2 template into one self-contained
HTML document: styles inline, figures as ``data:`` PNG URIs, no script, no
external resource (a Content-Security-Policy forbids any), print styles
for a clean PDF. The same body, with its styles scoped under
``.scv-report``, is the inline display in JupyterLab.

Every numeric table cell carries its exact value in ``data-value``
(``repr`` of the float, or the integer), so a reader or a test can check
the numbers without parsing the formatted text.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["table_html", "render_document", "format_value", "RESULT_CLASSES"]

#: CSS class of each result / light / reading word shown in a table.
RESULT_CLASSES: Mapping[str, str] = {
    "pass": "ok",
    "green": "ok",
    "stable": "ok",
    "watch": "warn",
    "yellow": "warn",
    "fail": "bad",
    "red": "bad",
    "shifted": "bad",
    "n/a": "na",
    "not computable": "na",
}
_RESULT_COLUMNS = re.compile(r"(^result$|light$|reading$|^overall$)")
_PERCENT_COLUMNS = re.compile(r"(rate|share|capture|decline|_pd|jeffreys_low|jeffreys_high)$")
_PVALUE_COLUMNS = re.compile(r"(p_value|pvalue|_p)$")

_CSS = """
.scv-report { font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 14px; line-height: 1.45; color: #1f2328; max-width: 1280px; margin: 0 auto; padding: 0 16px 32px; }
.scv-report h1 { font-size: 1.7em; margin: 0.6em 0 0.2em; }
.scv-report h2 { font-size: 1.35em; border-bottom: 2px solid #d0d7de; padding-bottom: 0.2em; margin-top: 1.6em; }
.scv-report h3 { font-size: 1.1em; margin: 1.2em 0 0.4em; }
.scv-report h4 { font-size: 1em; margin: 1em 0 0.3em; }
.scv-report p, .scv-report li { max-width: 70em; }
.scv-report .meta { color: #57606a; margin: 0 0 0.8em; }
.scv-report nav ol { columns: 2; margin: 0.4em 0 1em; }
.scv-report table { border-collapse: collapse; margin: 0.4em 0 1em; font-size: 12.5px; }
.scv-report th, .scv-report td { border: 1px solid #d0d7de; padding: 3px 7px; vertical-align: top; }
.scv-report th { background: #f6f8fa; text-align: left; font-weight: 600; }
.scv-report td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.scv-report .table-wrap { overflow-x: auto; max-width: 100%; }
.scv-report .res { display: inline-block; min-width: 3.6em; padding: 0 6px; border-radius: 9px;
  text-align: center; font-weight: 600; }
.scv-report .res.ok { background: #dafbe1; color: #116329; }
.scv-report .res.warn { background: #fff8c5; color: #7d4e00; }
.scv-report .res.bad { background: #ffebe9; color: #a40e26; }
.scv-report .res.na { background: #eaeef2; color: #57606a; }
.scv-report .badge { font-size: 1.1em; padding: 2px 12px; }
.scv-report .status { border-left: 4px solid #bf8700; background: #fff8c5; padding: 6px 10px; margin: 0.5em 0; }
.scv-report .status.not-applicable { border-color: #8c959f; background: #f6f8fa; }
.scv-report figure { margin: 0.5em 0 1.2em; }
.scv-report figure img { max-width: 100%; height: auto; border: 1px solid #eaeef2; }
.scv-report figcaption { color: #57606a; font-size: 0.9em; }
.scv-report .feature { border-top: 1px dashed #d0d7de; margin-top: 1em; }
.scv-report .summary-counts span { margin-right: 1em; }
.scv-report footer { color: #57606a; font-size: 0.9em; margin-top: 2em; }
.scv-report code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.92em; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  .scv-report { max-width: none; padding: 0; font-size: 10.5px; }
  .scv-report nav { display: none; }
  .scv-report section { break-before: page; }
  .scv-report section#verdict { break-before: auto; }
  .scv-report table, .scv-report figure, .scv-report .feature h4 { break-inside: avoid; }
  .scv-report h2, .scv-report h3, .scv-report h4 { break-after: avoid; }
  .scv-report .table-wrap { overflow: visible; }
  .scv-report .res, .scv-report th, .scv-report .status {
    -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

_BODY = """\
<div class="scv-report">
<header>
<h1>{{ title }}</h1>
<p class="meta">{{ subtitle }}</p>
<p>Overall: <span class="res badge {{ overall_class }}">{{ overall }}</span>
<span class="summary-counts">{% for k, v in counts %}<span>{{ k }}: <strong>{{ v }}</strong></span>
{% endfor %}</span></p>
</header>
<nav aria-label="contents"><strong>Contents</strong><ol>
{% for s in sections %}<li><a href="#{{ s.id }}">{{ s.title }}</a>
{%- if s.status != "ok" %} ({{ s.status }}){% endif %}</li>
{% endfor %}</ol></nav>
{% for s in sections %}
<section id="{{ s.id }}" data-status="{{ s.status }}">
<h2>{{ loop.index }}. {{ s.title }}</h2>
{% if s.status != "ok" %}<div class="status {{ s.status | replace(' ', '-') }}">
<strong>{{ s.status | capitalize }}:</strong>
{% for r in s.reasons %}{{ r }}{% if not loop.last %}; {% endif %}{% endfor %}</div>{% endif %}
{% for b in s.blocks %}
{% if b.kind == "text" %}<p>{{ b.text }}</p>
{% elif b.kind == "list" %}<ul>{% for item in b.items %}<li>{{ item }}</li>{% endfor %}</ul>
{% elif b.kind == "heading" %}<h3 id="{{ b.anchor }}">{{ b.text }}</h3>
{% elif b.kind == "subheading" %}<div class="feature"><h4 id="{{ b.anchor }}">{{ b.text }}</h4></div>
{% elif b.kind == "table" %}{% if b.title %}<h4>{{ b.title }}</h4>{% endif %}
<div class="table-wrap">{{ tables[b.key] }}</div>
{% elif b.kind == "figure" %}<figure><img alt="{{ b.title }}" src="data:image/png;base64,{{ figures[b.key] }}">
<figcaption>{{ b.title }}</figcaption></figure>
{% endif %}
{% endfor %}
</section>
{% endfor %}
<footer>Generated by scorecard {{ version }} (<code>scorecard.validation.ValidationReport</code>).
Every number in this report is computed by the functions of <code>scorecard.metrics</code> and
<code>scorecard.validation</code> on the samples named above; no row of any sample is shown.</footer>
</div>
"""

_DOCUMENT = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="generator" content="scorecard {{ version }}">
<title>{{ title }}</title>
<link rel="icon" href="data:,">
<style>{{ css }}</style>
</head>
<body>
{{ body }}
</body>
</html>
"""


def _is_missing(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, (float, np.floating)):
        return math.isnan(float(v))
    return False


def format_value(column: str, v: Any) -> tuple[str, str | None]:
    """Text and ``data-value`` of one cell.

    Numbers: integers as they are (thousands separated), floats by column:
    percentages for ``*rate``, ``*share``, ``*capture``, ``*decline``,
    ``*_pd`` and Jeffreys-bound columns; three significant digits (scientific below 0.001) for
    p-values; whole floats as integers; otherwise four decimals. NaN and
    missing values are empty cells. ``data-value`` is ``None`` for text.
    """
    if _is_missing(v):
        return "", "nan"
    if isinstance(v, (bool, np.bool_)):
        return ("yes" if v else "no"), None
    if isinstance(v, (int, np.integer)):
        return f"{int(v):,}", str(int(v))
    if isinstance(v, (float, np.floating)):
        f = float(v)
        raw = repr(f)
        if math.isinf(f):
            return ("inf" if f > 0 else "-inf"), raw
        name = str(column).lower()
        if _PERCENT_COLUMNS.search(name):
            return f"{100.0 * f:.2f}%", raw
        if _PVALUE_COLUMNS.search(name):
            return (f"{f:.3g}" if f == 0.0 or abs(f) >= 1e-3 else f"{f:.2e}"), raw
        if f.is_integer() and abs(f) < 1e15:
            return f"{int(f):,}", raw
        if abs(f) >= 1000:
            return f"{f:,.1f}", raw
        return f"{f:.4f}", raw
    return str(v), None


def table_html(df: pd.DataFrame, table_id: str, *, index: bool = False) -> str:
    """One DataFrame as an escaped HTML table with ``data-value`` on numeric cells.

    Parameters
    ----------
    df : pandas.DataFrame
        The table; its index is shown only when ``index``.
    table_id : str
        The ``id`` of the ``<table>`` element.
    index : bool, default False
        Show the index as the first column.
    """
    frame = df.reset_index() if index else df
    cols = [str(c) for c in frame.columns]
    out = [f'<table id="{html.escape(table_id)}" data-rows="{len(frame)}">', "<thead><tr>"]
    out.extend(f'<th data-column="{html.escape(c)}">{html.escape(c)}</th>' for c in cols)
    out.append("</tr></thead><tbody>")
    result_cols = [bool(_RESULT_COLUMNS.search(c)) for c in cols]
    for row in frame.itertuples(index=False, name=None):
        out.append("<tr>")
        for c, v, is_result in zip(cols, row, result_cols):
            text, raw = format_value(c, v)
            if raw is not None:
                out.append(f'<td class="num" data-value="{raw}">{html.escape(text)}</td>')
            elif is_result and text in RESULT_CLASSES:
                out.append(f'<td><span class="res {RESULT_CLASSES[text]}">{html.escape(text)}</span></td>')
            else:
                out.append(f"<td>{html.escape(text)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def render_document(
    *,
    title: str,
    subtitle: str,
    overall: str,
    counts: Sequence[tuple[str, int]],
    sections: Sequence[Any],
    tables: Mapping[str, str],
    figures: Mapping[str, str],
    version: str,
    fragment: bool = False,
) -> str:
    """The report as a full HTML document, or as a fragment for JupyterLab.

    ``tables`` maps a table key to its rendered HTML (trusted: built by
    :func:`table_html`, which escapes every cell); everything else is
    escaped by jinja2.
    """
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=False)
    body = env.from_string(_BODY).render(
        title=title,
        subtitle=subtitle,
        overall=overall,
        overall_class=RESULT_CLASSES.get(overall, "na"),
        counts=list(counts),
        sections=sections,
        tables={k: Markup(v) for k, v in tables.items()},
        figures=figures,
        version=version,
    )
    if fragment:
        return f"<style>{_CSS}</style>\n{body}"
    return env.from_string(_DOCUMENT).render(title=title, css=Markup(_CSS), body=Markup(body), version=version)
