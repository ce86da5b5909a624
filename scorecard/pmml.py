"""PMML 4.4 export of a logistic scorecard, for decision engines that read PMML.

:func:`to_pmml` writes a fitted :class:`~scorecard.model.LogisticScorecard` as a
PMML ``Scorecard`` model: one ``Characteristic`` per model feature, one
``Attribute`` per bin with its integer points (the same rounded points as
:meth:`~scorecard.model.LogisticScorecard.points_table`), and reason codes
(``pointsBelow``: the points a feature lost against its best bin).

The bin rule is expressed in the order PMML evaluates attributes (the first
predicate that holds wins), which is the toolkit's rule order:

1. ``isMissing``: the missing bin;
2. ``equal`` one special code: its special bin;
3. numeric features: the regular intervals ``[s_(i-1), s_i)``, the first bounded
   below and the last above by the largest finite double, so that ``+-inf`` matches
   none of them; categorical features: ``isIn`` the category group;
4. ``True``: the fallback bin (unseen categories, ``+-inf``).

Bins never seen in training already carry the fallback bin's points, so they
need no special case. What PMML cannot express the same way is refused at export
with :class:`PMMLExportError`, naming the feature: categorical features over
numbers or booleans (PMML compares a categorical field's values as text, while
the toolkit reads ``2``, ``2.0`` and ``"2.0"`` as one category) and infinite
special codes.

The parity test scores the exported document with a real PMML engine
(``pypmml``, on Java) and compares integer points with
:meth:`~scorecard.model.LogisticScorecard.predict_points`.

Example
-------
>>> from scorecard import LogisticScorecard
>>> from scorecard.datasets import load_german_credit
>>> from scorecard.pmml import to_pmml
>>> X, y = load_german_credit()
>>> model = LogisticScorecard().fit(X, y)
>>> xml = to_pmml(model)
>>> xml.startswith('<?xml version="1.0" encoding="UTF-8"?>') and "<Scorecard " in xml
True
"""

from __future__ import annotations

import math
import os
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import numpy as np

from scorecard.errors import DataError, NotFittedError

__all__ = ["to_pmml", "PMMLExportError"]

_MAX = repr(float(np.finfo(np.float64).max))


class PMMLExportError(DataError):
    """A model feature cannot be expressed in PMML with the toolkit's bin rule."""


def _num(v: float) -> str:
    return repr(float(v))


def _array(values: list[str]) -> str:
    items = " ".join('"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return f'<Array type="string" n="{len(values)}">{escape(items)}</Array>'


def _attribute(points: int, predicate: str, reason: str) -> str:
    return f'        <Attribute partialScore="{int(points)}" reasonCode={quoteattr(reason)}>{predicate}</Attribute>'


def _characteristic(fb: Any, feature: str, points: np.ndarray, reason: str) -> str:
    f = quoteattr(feature)
    attrs: list[str] = []
    n_reg = fb.n_regular
    attrs.append(_attribute(points[fb.missing_index], f'<SimplePredicate field={f} operator="isMissing"/>', reason))
    for j, code in enumerate(fb.specials):
        if fb.kind == "numeric":
            v = float(code)
            if not math.isfinite(v):
                raise PMMLExportError(
                    f"feature {feature!r}: the special code {code!r} is infinite, which PMML cannot compare; "
                    "recode it to a finite value before fitting"
                )
            value = _num(v)
        else:
            value = str(code)
        attrs.append(_attribute(points[n_reg + j], f'<SimplePredicate field={f} operator="equal" value={quoteattr(value)}/>', reason))
    if fb.kind == "numeric":
        edges = [-float(np.finfo(np.float64).max)] + [float(s) for s in fb.splits] + [None]
        for i in range(n_reg):
            lo, hi = edges[i], edges[i + 1]
            lower = f'<SimplePredicate field={f} operator="greaterOrEqual" value="{_num(lo)}"/>'
            upper = (f'<SimplePredicate field={f} operator="lessThan" value="{_num(hi)}"/>' if hi is not None
                     else f'<SimplePredicate field={f} operator="lessOrEqual" value="{_MAX}"/>')
            attrs.append(_attribute(points[i], f'<CompoundPredicate booleanOperator="and">{lower}{upper}</CompoundPredicate>', reason))
    else:
        for i, group in enumerate(fb.groups):
            attrs.append(_attribute(points[i], f'<SimpleSetPredicate field={f} booleanOperator="isIn">{_array(list(group))}</SimpleSetPredicate>', reason))
    attrs.append(_attribute(points[fb.fallback_index], "<True/>", reason))
    baseline = int(np.max(points))
    return (f'      <Characteristic name={quoteattr(feature + "_points")} reasonCode={quoteattr(reason)} '
            f'baselineScore="{baseline}">\n' + "\n".join(attrs) + "\n      </Characteristic>")


def to_pmml(model: Any, path: str | os.PathLike[str] | None = None, *, n_reasons: int = 4,
            model_name: str = "scorecard") -> str:
    """The fitted scorecard as a PMML 4.4 ``Scorecard`` document.

    Parameters
    ----------
    model : LogisticScorecard
        Fitted, or rebuilt with ``LogisticScorecard.from_json``.
    path : str or PathLike, optional
        Also write the document there (UTF-8).
    n_reasons : int, default 4
        Reason codes in the output (``reason_1`` ...).
    model_name : str, default "scorecard"

    Returns
    -------
    str
        The PMML document. Its output fields are ``points`` (the integer total)
        and ``reason_1`` .. ``reason_n``.

    Raises
    ------
    PMMLExportError
        A feature PMML cannot express with the same rule (named).

    Examples
    --------
    >>> from scorecard import LogisticScorecard
    >>> from scorecard.datasets import load_german_credit
    >>> X, y = load_german_credit()
    >>> model = LogisticScorecard().fit(X, y)
    >>> to_pmml(model).count("<Characteristic ") == len(model.features_)
    True
    """
    from scorecard.export import _reason_codes_of, _round_half_up
    from scorecard.model import LogisticScorecard

    if not isinstance(model, LogisticScorecard):
        raise TypeError(f"to_pmml exports a LogisticScorecard, got {type(model).__name__}")
    if not hasattr(model, "coef_"):
        raise NotFittedError("this LogisticScorecard is not fitted yet: call fit(X, y) before exporting it")
    if isinstance(n_reasons, bool) or not isinstance(n_reasons, int) or n_reasons < 0:
        raise DataError(f"n_reasons must be a non-negative integer, got {n_reasons!r}")
    codes = _reason_codes_of(model)
    fields, mining, chars = [], [], []
    for f in model.features_:
        fb = model.binner_.bins_[f]
        if fb.kind == "numeric":
            fields.append(f'    <DataField name={quoteattr(f)} optype="continuous" dataType="double"/>')
        else:
            if fb.value_type not in (None, "text"):
                raise PMMLExportError(
                    f"feature {f!r} is categorical over {fb.value_type} values; PMML compares categorical "
                    "values as text and would not read 2, 2.0 and '2.0' as one category: bin it as numeric "
                    "or cast it to text before fitting"
                )
            fields.append(f'    <DataField name={quoteattr(f)} optype="categorical" dataType="string"/>')
        mining.append(f'      <MiningField name={quoteattr(f)} usageType="active" invalidValueTreatment="asIs" '
                      'missingValueTreatment="asIs"/>')
        pts = _round_half_up(model._points_per_bin(f))
        chars.append(_characteristic(fb, f, pts, codes.get(f, f)))
    outputs = ['      <OutputField name="points" feature="predictedValue" dataType="double" optype="continuous"/>']
    outputs += [f'      <OutputField name="reason_{r}" feature="reasonCode" rank="{r}" dataType="string" optype="categorical"/>'
                for r in range(1, n_reasons + 1)]
    from scorecard import __version__

    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">\n'
        f'  <Header description="WOE logistic scorecard"><Application name="scorecard" version={quoteattr(__version__)}/></Header>\n'
        f'  <DataDictionary numberOfFields="{len(fields)}">\n' + "\n".join(fields) + "\n  </DataDictionary>\n"
        f'  <Scorecard modelName={quoteattr(model_name)} functionName="regression" useReasonCodes="true" '
        'reasonCodeAlgorithm="pointsBelow" initialScore="0" baselineMethod="max">\n'
        "    <MiningSchema>\n" + "\n".join(mining) + "\n    </MiningSchema>\n"
        "    <Output>\n" + "\n".join(outputs) + "\n    </Output>\n"
        "    <Characteristics>\n" + "\n".join(chars) + "\n    </Characteristics>\n"
        "  </Scorecard>\n</PMML>\n"
    )
    if path is not None:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(xml)
    return xml
