"""The JSON specs of scorecard's models: one schema per kind, validated on load.

A spec is the model: the one typed, versioned JSON document that scoring
needs (``design.md``, "One rule, one spec"). Every loader --
``WOEBinner.from_json``, ``LogisticScorecard.from_json``,
``GBMChallenger.from_dict``, the export spec read by ``CompiledScorer``,
``ScoreBands.from_dict``, ``Policy.from_dict`` and ``DecisionModel.from_json``
-- goes through :func:`load`, which

1. reads the document (a dict, JSON text, or the path of a file holding it;
   text that parses as JSON is JSON, never a path);
2. checks its kind (the ``"spec"`` key) and its version, upgrading an older
   version with the registered migrations (:data:`MIGRATIONS`, one function
   per step ``v(n-1) -> v(n)``);
3. validates it against a pydantic v2 schema (:data:`SCHEMAS`): types
   (strict: ``true`` is not a number, ``"1"`` is not an integer), finite
   numbers (no NaN / inf), bounded integers, known enum values, strictly
   increasing unique splits, counts / WOE of the length the bins need, no
   duplicated feature, coefficients that are numbers (never ``null``).

A malformed document raises :class:`~scorecard.errors.SpecError` naming the
key path and the problem, e.g. ``features[3].splits[2]: must be greater
than the split before it``; nothing else (``KeyError``, ``TypeError``,
``OverflowError``, ``FileNotFoundError``) escapes.

Why pydantic
------------
pydantic v2 is already installed (MLflow and FastAPI depend on it), its core
is compiled (validating the German-credit scorecard spec, 20 binned
features, takes about 5 ms on a loaded 2-core machine), it reports every error with its location as a tuple that maps
directly to a key path, and cross-field rules (splits increasing, lengths
matching) live next to the fields they concern as validators. A JSON Schema
document (``jsonschema``) can state types and enums but not "strictly
increasing" or "as many counts as bins", which would have been hand-written
checks beside it.

Canonical floats
----------------
Floats a spec stores that come from a numerical solve (coefficients,
intercept, their inference statistics, VIF, the derived WOE and IV) are
rounded to :data:`FLOAT_DIGITS` (12) significant digits, so that the same
rows in another order (which changes a solve by ~1e-16) give byte-identical
specs. The scorecard scores with the rounded coefficients it stores, in
memory as after a reload. Bin edges (splits), special codes and counts are
data, never rounded.

Versions
--------
``scorecard.WOEBinner`` 1, ``scorecard.LogisticScorecard`` 2 (version 1
stored unrounded coefficients; the migration rounds them), the
``scorecard.GBMChallenger`` description 1, ``scorecard.export`` 1,
``scorecard.strategy.ScoreBands`` 1, ``scorecard.strategy.Policy`` 1,
``scorecard.strategy.DecisionModel`` 1 (these two keep their version under
``"spec_version"``) and ``scorecard.SegmentedScorecard`` 1.

Examples
--------
>>> from scorecard import spec
>>> spec.load('{"spec": "scorecard.strategy.ScoreBands", "version": 1, "name": "s", '
...           '"higher_is_safer": true, "cutoffs": [500, 600], "labels": ["A", "B", "C"]}',
...           "scorecard.strategy.ScoreBands")["cutoffs"]
[500, 600]
>>> try:
...     spec.load({"spec": "scorecard.strategy.ScoreBands", "version": 1, "name": "s",
...                "higher_is_safer": True, "cutoffs": [500, float("nan")], "labels": ["A", "B", "C"]},
...               "scorecard.strategy.ScoreBands")
... except spec.SpecError as exc:
...     print(exc)
ScoreBands spec: cutoffs[1]: must be a finite number (no NaN or infinity)
>>> spec.canonical_float(0.1 + 0.2)
0.3
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic.functional_validators import AfterValidator
from pydantic_core import PydanticCustomError

from scorecard.errors import SpecError

__all__ = [
    "SpecError",
    "FLOAT_DIGITS",
    "SPEC_VERSIONS",
    "MIGRATIONS",
    "SCHEMAS",
    "load",
    "parse",
    "validate",
    "migrate",
    "check_params",
    "check",
    "canonical_float",
    "canonical_floats",
    "CanonicalArray",
]

FLOAT_DIGITS = 12
"""Significant digits kept of the solved floats a spec stores (see "Canonical floats")."""

SPEC_VERSIONS: dict[str, int] = {
    "scorecard.WOEBinner": 1,
    "scorecard.LogisticScorecard": 2,
    "scorecard.GBMChallenger": 1,
    "scorecard.export": 1,
    "scorecard.strategy.ScoreBands": 1,
    "scorecard.strategy.Policy": 1,
    "scorecard.strategy.DecisionModel": 1,
    "scorecard.SegmentedScorecard": 1,
}
"""The version this library writes (and reads, after migration) of each spec kind."""

_VERSION_KEY = {"scorecard.strategy.Policy": "spec_version", "scorecard.strategy.DecisionModel": "spec_version"}
_WHAT = {
    "scorecard.WOEBinner": "binning",
    "scorecard.LogisticScorecard": "scorecard",
    "scorecard.GBMChallenger": "GBMChallenger",
    "scorecard.export": "export",
    "scorecard.strategy.ScoreBands": "ScoreBands",
    "scorecard.strategy.Policy": "policy",
    "scorecard.strategy.DecisionModel": "DecisionModel",
    "scorecard.SegmentedScorecard": "segmented scorecard",
}
_MAX_INT = 2**53  # integers a JSON number holds exactly (and every engine reads)


# --------------------------------------------------------------------------- #
# canonical floats
# --------------------------------------------------------------------------- #
def canonical_float(x: Any) -> float:
    """``x`` rounded to :data:`FLOAT_DIGITS` significant digits (non-finite values unchanged).

    Idempotent: ``canonical_float(canonical_float(x)) == canonical_float(x)``.

    Examples
    --------
    >>> canonical_float(-0.6931471805599453)
    -0.69314718056
    """
    f = float(x)
    if not math.isfinite(f):
        return f
    return float(f"{f:.{FLOAT_DIGITS}g}")


def canonical_floats(values: Any) -> list[float]:
    """:func:`canonical_float` of every element of a sequence or 1-d array.

    Examples
    --------
    >>> canonical_floats([1 / 3, 2.0])
    [0.333333333333, 2.0]
    """
    return [canonical_float(v) for v in values]


class CanonicalArray:
    """A data descriptor storing a float array as :func:`canonical_float` values.

    Used for the solved floats a spec stores (``LogisticScorecard.coef_``,
    ``intercept_``), so an estimator in memory computes with exactly what its
    spec holds.

    Examples
    --------
    >>> import numpy as np
    >>> class M:
    ...     coef_ = CanonicalArray()
    >>> m = M()
    >>> m.coef_ = np.array([[1 / 3, -2 / 3]])
    >>> m.coef_.tolist()
    [[0.333333333333, -0.666666666667]]
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        try:
            return obj.__dict__[self.name]
        except KeyError:
            raise AttributeError(f"{type(obj).__name__!r} object has no attribute {self.name!r}") from None

    def __set__(self, obj: Any, value: Any) -> None:
        import numpy as np

        arr = np.asarray(value, dtype=float)
        obj.__dict__[self.name] = np.array(canonical_floats(arr.ravel()), dtype=float).reshape(arr.shape)

    def __delete__(self, obj: Any) -> None:
        obj.__dict__.pop(self.name, None)


# --------------------------------------------------------------------------- #
# field types
# --------------------------------------------------------------------------- #
def _err(message: str, sub: str = "") -> PydanticCustomError:
    """A validation error; ``sub`` extends the key path (``"[2]"``, ``".name"``)."""
    return PydanticCustomError("spec", "{message}", {"message": message, "sub": sub})


def _finite(v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise _err(f"must be a number, got {_shown(v)}")
    if isinstance(v, int):
        if abs(v) > 1e308:
            raise _err("must be a finite number; this integer is too large")
        return v  # type: ignore[return-value]  # keep ints as they were written
    if not math.isfinite(v):
        raise _err("must be a finite number (no NaN or infinity)")
    return v


def _int(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise _err(f"must be an integer, got {_shown(v)}")
    if abs(v) > _MAX_INT:
        raise _err(f"must be an integer of at most {_MAX_INT} in size")
    return v


def _special(v: Any) -> Any:
    if isinstance(v, (bool, str)):
        return v
    if isinstance(v, (int, float)):
        return _finite(v)
    raise _err(f"a special code must be a number, text or a boolean, got {_shown(v)}")


def _scalar(v: Any) -> Any:
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, (int, float)):
        return _finite(v)
    raise _err(f"must be a number, text, a boolean or null, got {_shown(v)}")


def _shown(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (dict, list)):
        return "an object" if isinstance(v, dict) else "a list"
    return type(v).__name__


Finite = Annotated[Any, AfterValidator(_finite)]
def _non_negative(v: Any) -> Any:
    if v < 0:
        raise _err("must be >= 0")
    return v


def _at_most_1000(v: int) -> int:
    if not 0 <= v <= 1000:
        raise _err("must be an integer in [0, 1000]")
    return v


NonNegative = Annotated[Finite, AfterValidator(_non_negative)]
Int = Annotated[Any, AfterValidator(_int)]
SpecialCode = Annotated[Any, AfterValidator(_special)]
Scalar = Annotated[Any, AfterValidator(_scalar)]
OptFinite = Annotated[Any, AfterValidator(lambda v: None if v is None else _finite(v))]
Text = Annotated[str, Field(strict=True)]


def _no_duplicates(values: Sequence[Any], what: str, masked: bool = False, at: str = "") -> None:
    seen: dict[Any, int] = {}
    for i, v in enumerate(values):
        key = (type(v).__name__, v) if not isinstance(v, (int, float)) or isinstance(v, bool) else ("num", float(v))
        if key in seen:
            raise _err(f"{what} {_mask(v) if masked else repr(v)} repeats entry {seen[key]}", f"{at}[{i}]")
        seen[key] = i


def _mask(v: Any) -> str:
    """A value for an error message: numbers as they are, text masked (first and last character)."""
    if isinstance(v, str):
        return repr(v if len(v) <= 2 else f"{v[0]}...{v[-1]}")
    return repr(v)


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --------------------------------------------------------------------------- #
# binner
# --------------------------------------------------------------------------- #
_STORED_TRENDS = ("ascending", "descending", "peak", "valley", "flat", "none", "categorical")


class FeatureBinsSpec(_Spec):
    """One feature of a binner spec (``features[i]``)."""

    name: Text
    kind: Literal["numeric", "categorical"]
    splits: list[Finite] = []
    groups: list[list[Text]] = []
    specials: list[SpecialCode] = []
    good: list[NonNegative]
    bad: list[NonNegative]
    trend: Literal[_STORED_TRENDS] | None = None  # type: ignore[valid-type]
    source: Literal["optimal", "manual"] = "optimal"
    smoothing: NonNegative
    fallback: Literal["riskiest", "missing"] = "riskiest"
    value_type: Literal["text", "number", "bool"] | None = None
    woe: list[Finite] | None = None
    iv: Finite | None = None

    @field_validator("splits")
    @classmethod
    def _increasing(cls, v: list[Any]) -> list[Any]:
        for i in range(1, len(v)):
            if not float(v[i]) > float(v[i - 1]):
                raise _err(
                    f"must be greater than the split before it ({v[i - 1]!r}): splits are strictly "
                    "increasing and unique",
                    f"[{i}]",
                )
        return v

    @field_validator("specials")
    @classmethod
    def _unique_specials(cls, v: list[Any]) -> list[Any]:
        _no_duplicates(v, "special code")
        return v

    @field_validator("groups")
    @classmethod
    def _disjoint(cls, v: list[list[str]]) -> list[list[str]]:
        seen: dict[str, int] = {}
        for i, grp in enumerate(v):
            if not grp:
                raise _err("a category group is empty", f"[{i}]")
            for j, c in enumerate(grp):
                if c in seen:
                    raise _err(f"category {_mask(c)} is already in group {seen[c]}", f"[{i}][{j}]")
                seen[c] = i
        return v

    @model_validator(mode="after")
    def _layout(self) -> FeatureBinsSpec:
        if self.kind == "numeric" and self.groups:
            raise _err("a numeric feature has no category groups", ".groups")
        if self.kind == "categorical" and self.splits:
            raise _err("a categorical feature has no splits", ".splits")
        n_regular = len(self.splits) + 1 if self.kind == "numeric" else len(self.groups)
        n_bins = n_regular + len(self.specials) + 1
        for key in ("good", "bad", "woe"):
            got = getattr(self, key)
            if got is not None and len(got) != n_bins:
                raise _err(
                    f"has {len(got)} entries; the feature has {n_bins} bins ({n_regular} regular, "
                    f"{len(self.specials)} special, 1 missing)",
                    f".{key}",
                )
        if not any(float(g) + float(b) > 0 for g, b in zip(self.good, self.bad)):
            raise _err("every bin is empty: a feature needs at least one bin with rows", ".good")
        return self


class BinnerSpec(_Spec):
    """A fitted :class:`~scorecard.binning.WOEBinner` (``WOEBinner.to_json``)."""

    spec: Literal["scorecard.WOEBinner"]
    version: Literal[1]
    params: dict[str, Any]
    input_columns: list[Text]
    has_feature_names: bool = False
    features: list[FeatureBinsSpec]
    excluded: dict[str, Text] = {}

    @field_validator("input_columns")
    @classmethod
    def _unique_columns(cls, v: list[str]) -> list[str]:
        _no_duplicates(v, "column")
        return v

    @model_validator(mode="after")
    def _features(self) -> BinnerSpec:
        names = [f.name for f in self.features]
        seen: dict[str, int] = {}
        cols = set(self.input_columns)
        for i, n in enumerate(names):
            if n in seen:
                raise _err(f"feature {n!r} is listed twice (also features[{seen[n]}])", f".features[{i}].name")
            seen[n] = i
            if n not in cols:
                raise _err(f"feature {n!r} is not one of input_columns", f".features[{i}].name")
        return self


# --------------------------------------------------------------------------- #
# scorecard
# --------------------------------------------------------------------------- #
class _Dropped(_Spec):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    feature: Text
    step: Text
    reason: Text
    value: Scalar = None
    threshold: Scalar = None


class _Selection(_Spec):
    kept: list[Text]
    dropped: list[_Dropped] = []


class ScorecardSpec(_Spec):
    """A fitted :class:`~scorecard.model.LogisticScorecard` (``LogisticScorecard.to_json``)."""

    spec: Literal["scorecard.LogisticScorecard"]
    version: Literal[2]
    params: dict[str, Any]
    binner: BinnerSpec
    features: list[Text]
    intercept: Finite
    coef: list[Finite]
    factor: Finite
    offset: Finite
    inference: dict[Literal["std_err", "z", "p_value"], list[OptFinite]]
    vif: list[OptFinite]
    selection: _Selection

    @field_validator("features")
    @classmethod
    def _unique_features(cls, v: list[str]) -> list[str]:
        if not v:
            raise _err("a scorecard needs at least one feature")
        _no_duplicates(v, "feature")
        return v

    @field_validator("factor")
    @classmethod
    def _positive_factor(cls, v: Any) -> Any:
        if not v > 0:
            raise _err("must be > 0 (pdo / ln 2)")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> ScorecardSpec:
        k = len(self.features)
        if len(self.coef) != k:
            raise _err(f"has {len(self.coef)} coefficients for {k} features", ".coef")
        binned = {f.name for f in self.binner.features}
        for i, f in enumerate(self.features):
            if f not in binned:
                raise _err(f"model feature {f!r} has no bins in the spec's binner", f".features[{i}]")
        for key, vals in self.inference.items():
            if len(vals) != k + 1:
                raise _err(f"has {len(vals)} entries; intercept + {k} features need {k + 1}", f".inference.{key}")
        if len(self.vif) != k:
            raise _err(f"has {len(self.vif)} entries for {k} features", ".vif")
        return self


# --------------------------------------------------------------------------- #
# challenger
# --------------------------------------------------------------------------- #
class _EncodedFeature(_Spec):
    name: Text
    kind: Literal["numeric", "categorical"]
    categories: list[Text] = []
    specials: list[SpecialCode] = []  # numbers; an infinite code as "inf" / "-inf"
    unseen_specials: list[SpecialCode] = []
    has_missing: bool
    columns: list[Annotated[Int, AfterValidator(_non_negative)]]

    @field_validator("categories", "specials", "unseen_specials")
    @classmethod
    def _unique(cls, v: list[Any]) -> list[Any]:
        _no_duplicates(v, "value", masked=True)
        return v

    @model_validator(mode="after")
    def _columns(self) -> _EncodedFeature:
        if not 1 <= len(self.columns) <= 2:
            raise _err("one or two encoded columns (value, special code)", ".columns")
        return self


class _Encoding(_Spec):
    names: list[Text]
    categorical: list[Int]
    features: list[_EncodedFeature]

    @model_validator(mode="after")
    def _consistent(self) -> _Encoding:
        _no_duplicates(self.names, "encoded column", at=".names")
        n = len(self.names)
        for i, c in enumerate(self.categorical):
            if not 0 <= c < n:
                raise _err(f"column {c} is not one of the {n} encoded columns", f".categorical[{i}]")
        seen: dict[str, int] = {}
        for i, f in enumerate(self.features):
            if f.name in seen:
                raise _err(f"feature {f.name!r} is listed twice", f".features[{i}].name")
            seen[f.name] = i
            for j, c in enumerate(f.columns):
                if c >= n:
                    raise _err(f"column {c} is not one of the {n} encoded columns", f".features[{i}].columns[{j}]")
        return self


class ChallengerSpec(_Spec):
    """A fitted :class:`~scorecard.challenger.GBMChallenger` (``GBMChallenger.to_dict``)."""

    spec: Literal["scorecard.GBMChallenger"]
    version: Literal[1]
    params: dict[str, Any] = {}
    best_params: dict[str, Any] | None = None
    features: list[Text]
    encoding: _Encoding
    monotone_constraints: dict[str, Literal[-1, 0, 1]] = {}
    best_iteration: Int | None = None
    model: Text | None = None  # LightGBM's model string; travels as a file in an export

    @field_validator("features")
    @classmethod
    def _unique_features(cls, v: list[str]) -> list[str]:
        _no_duplicates(v, "feature")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> ChallengerSpec:
        fallback = self.params.get("fallback", "riskiest")
        if fallback not in ("riskiest", "error"):
            raise _err(f"must be 'riskiest' or 'error', got {_shown(fallback)} {fallback!r}", ".params.fallback")
        encoded = [f.name for f in self.encoding.features]
        if encoded != list(self.features):
            raise _err("the encoded features must be the model's features, in order", ".encoding.features")
        return self


# --------------------------------------------------------------------------- #
# export
# --------------------------------------------------------------------------- #
class _Scaling(_Spec):
    factor: Finite
    offset: Finite
    pdo: Finite | None = None
    base_score: Finite | None = None
    base_odds: Finite | None = None


class ExportSpec(_Spec):
    """The ``export_spec.json`` of an exported pyfunc (``scorecard.export.export_spec``)."""

    spec: Literal["scorecard.export"]
    version: Literal[1]
    kind: Literal["scorecard", "challenger"]
    model: Annotated[ScorecardSpec | ChallengerSpec, Field(discriminator="spec")]
    keys: list[Text] = []
    n_reasons: Annotated[Int, AfterValidator(_at_most_1000)] = 0
    reason_codes: dict[str, Text] = {}
    scaling: _Scaling

    @model_validator(mode="after")
    def _kind_matches(self) -> ExportSpec:
        want = "scorecard.LogisticScorecard" if self.kind == "scorecard" else "scorecard.GBMChallenger"
        if self.model.spec != want:
            raise _err(f"an export of kind {self.kind!r} holds a {want!r} spec", ".model.spec")
        return self


# --------------------------------------------------------------------------- #
# strategy: bands, policy, decision model
# --------------------------------------------------------------------------- #
class BandsSpec(_Spec):
    """Fitted :class:`~scorecard.strategy.ScoreBands` (``ScoreBands.to_dict``)."""

    spec: Literal["scorecard.strategy.ScoreBands"]
    version: Literal[1]
    name: Text | None = None
    higher_is_safer: bool
    cutoffs: list[Finite]
    labels: list[Text]

    @model_validator(mode="after")
    def _labels(self) -> BandsSpec:
        _no_duplicates(self.cutoffs, "cutoff", at=".cutoffs")
        if len(self.labels) != len(self.cutoffs) + 1:
            raise _err(f"has {len(self.labels)} labels for {len(self.cutoffs) + 1} bands", ".labels")
        _no_duplicates(self.labels, "label", at=".labels")
        return self


class _PolicyBands(BandsSpec):
    name: Text  # type: ignore[assignment]


class _Tier(_Spec):
    name: Text
    require: dict[str, Scalar] = {}
    multiplier: Finite = 1.0
    cap: OptFinite = None


class _Cell(_Spec):
    bands: list[Annotated[Int, AfterValidator(_non_negative)]]
    decision: Literal["approve", "refer", "decline"]
    limit: OptFinite = None
    price_tier: Text | None = None
    reasons: list[Text] = []


class _InputRule(_Spec):
    min: OptFinite = None
    max: OptFinite = None
    min_exclusive: bool = False
    integer: bool = False


class _Channel(_Spec):
    limit_basis: Literal["absolute", "requested_multiple"] = "absolute"
    max_bad_rate: OptFinite = None
    max_limit: OptFinite = None
    completeness: list[_Tier] | None = None
    cells: list[_Cell]


class PolicySpec(_Spec):
    """A :class:`~scorecard.strategy.Policy` (``Policy.to_dict``); its business rules are checked by ``Policy.validate``."""

    spec: Literal["scorecard.strategy.Policy"]
    spec_version: Literal[1]
    name: Text
    version: Text
    description: Text = ""
    models: list[_PolicyBands]
    known_channels: list[Text] | None = None
    channel_column: Text = "channel"
    amount_column: Text = "requested_amount"
    missing_score_decision: Literal["refer", "decline"] = "refer"
    unknown_channel_decision: Literal["refer", "decline"] = "decline"
    invalid_input_decision: Literal["refer", "decline"] = "refer"
    input_rules: dict[str, _InputRule] = {}
    limit_step: NonNegative = 0.0
    price_tiers: dict[str, NonNegative] = {}
    completeness: list[_Tier] = [_Tier(name="all")]
    channels: dict[str, _Channel]

    @model_validator(mode="after")
    def _unique_models(self) -> PolicySpec:
        _no_duplicates([m.name for m in self.models], "model", at=".models")
        return self


class _ModelEntry(_Spec):
    name: Text
    kind: Literal["LogisticScorecard", "GBMChallenger", "external"]
    score: Literal["points", "proba"]
    spec: Annotated[ScorecardSpec | ChallengerSpec, Field(discriminator="spec")] | None = None

    @model_validator(mode="after")
    def _kind_matches(self) -> _ModelEntry:
        want = {"LogisticScorecard": "scorecard.LogisticScorecard", "GBMChallenger": "scorecard.GBMChallenger"}
        if self.kind == "external":
            if self.spec is not None:
                raise _err("an external score has no model spec (null)", ".spec")
        elif self.spec is None or self.spec.spec != want[self.kind]:
            raise _err(f"a {self.kind} entry needs a {want[self.kind]!r} spec", ".spec")
        elif self.kind == "GBMChallenger" and self.spec.model is None:
            raise _err("a GBMChallenger entry needs its LightGBM model string", ".spec.model")
        return self


class DecisionModelSpec(_Spec):
    """A :class:`~scorecard.strategy.DecisionModel` (``DecisionModel.to_json``)."""

    spec: Literal["scorecard.strategy.DecisionModel"]
    spec_version: Literal[1]
    n_reasons: Annotated[Int, AfterValidator(_at_most_1000)] = 4
    reason_method: Literal["builtin", "explain"] = "builtin"
    policy: PolicySpec
    models: list[_ModelEntry]

    @model_validator(mode="after")
    def _unique_models(self) -> DecisionModelSpec:
        _no_duplicates([m.name for m in self.models], "model", at=".models")
        return self


class SegmentedSpec(_Spec):
    """A :class:`~scorecard.segmentation.SegmentedScorecard` (``SegmentedScorecard.to_dict``)."""

    spec: Literal["scorecard.SegmentedScorecard"]
    version: Literal[1]
    segment: Text
    default_segment: Text
    segments: dict[str, ScorecardSpec]

    @model_validator(mode="after")
    def _segments(self) -> SegmentedSpec:
        if not self.segment:
            raise _err("the segment column's name is empty", ".segment")
        if not self.segments:
            raise _err("a segmented scorecard needs at least one segment", ".segments")
        if self.default_segment not in self.segments:
            raise _err(f"{self.default_segment!r} is not one of the segments {sorted(self.segments)}", ".default_segment")
        return self


SCHEMAS: dict[str, type[BaseModel]] = {
    "scorecard.WOEBinner": BinnerSpec,
    "scorecard.LogisticScorecard": ScorecardSpec,
    "scorecard.GBMChallenger": ChallengerSpec,
    "scorecard.export": ExportSpec,
    "scorecard.strategy.ScoreBands": BandsSpec,
    "scorecard.strategy.Policy": PolicySpec,
    "scorecard.strategy.DecisionModel": DecisionModelSpec,
    "scorecard.SegmentedScorecard": SegmentedSpec,
}
"""The pydantic model validating each spec kind."""


# --------------------------------------------------------------------------- #
# migrations
# --------------------------------------------------------------------------- #
def _scorecard_1_to_2(d: dict[str, Any]) -> dict[str, Any]:
    """Version 1 -> 2: the solved floats are stored canonical (:data:`FLOAT_DIGITS` digits)."""
    out = dict(d, version=2)
    for key in ("intercept",):
        if _is_finite_number(out.get(key)):
            out[key] = canonical_float(out[key])
    if isinstance(out.get("coef"), list):
        out["coef"] = [canonical_float(c) if _is_finite_number(c) else c for c in out["coef"]]
    return out


def _is_finite_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) <= 1e308 and math.isfinite(v)


MIGRATIONS: dict[tuple[str, int], Callable[[dict[str, Any]], dict[str, Any]]] = {
    ("scorecard.LogisticScorecard", 1): _scorecard_1_to_2,
}
"""``(kind, n) -> f``: ``f`` upgrades a version ``n`` document of ``kind`` to version ``n + 1``."""


def migrate(d: Mapping[str, Any], kind: str | None = None) -> dict[str, Any]:
    """Upgrade a spec (and the specs nested in it) to the versions this library writes.

    Raises :class:`SpecError` for a version that is not an integer, newer
    than this library's, or older without a migration.

    Examples
    --------
    >>> old = {"spec": "scorecard.LogisticScorecard", "version": 1, "intercept": -0.1234567890123456}
    >>> new = migrate(old)
    >>> new["version"], new["intercept"]
    (2, -0.123456789012)
    """
    if not isinstance(d, Mapping):
        return d  # type: ignore[return-value]
    out = dict(d)
    if kind is None:
        kind = out.get("spec") if isinstance(out.get("spec"), str) else None
    if kind in SPEC_VERSIONS and out.get("spec") == kind:
        key = _VERSION_KEY.get(kind, "version")
        what = _WHAT[kind]
        v = out.get(key)
        if key not in out:
            raise SpecError(f"{what} spec: {key}: field required (this library reads version {SPEC_VERSIONS[kind]})")
        if isinstance(v, bool) or not isinstance(v, int):
            raise SpecError(f"{what} spec: {key}: must be an integer, got {_shown(v)}")
        current = SPEC_VERSIONS[kind]
        if v > current or v < 1:
            raise SpecError(f"{what} spec: {key}: unsupported version {v}; this library reads versions 1 to {current}")
        while v < current:
            step = MIGRATIONS.get((kind, v))
            if step is None:
                raise SpecError(f"{what} spec: {key}: version {v} has no migration to {v + 1}")
            out = step(out)
            v += 1
    for k, val in out.items():
        if isinstance(val, (Mapping, list)):
            out[k] = _migrate_nested(val)
    return out


def _migrate_nested(val: Any) -> Any:
    """Migrate every spec nested in a value (a decision model's models, an export's model ...)."""
    if isinstance(val, Mapping):
        return migrate(val)
    if isinstance(val, list):
        return [_migrate_nested(x) if isinstance(x, (Mapping, list)) else x for x in val]
    return val


# --------------------------------------------------------------------------- #
# reading and validating
# --------------------------------------------------------------------------- #
def parse(spec: Any, what: str = "spec") -> dict[str, Any]:
    """The JSON object ``spec`` holds: a mapping, JSON text, or a path (str or PathLike) to a file.

    A string that parses as JSON is JSON (``"[1, 2]"`` is a list, never a
    file name); any other string is a path. Raises :class:`SpecError` on
    invalid JSON, an unreadable file, or a document that is not an object.

    Examples
    --------
    >>> parse('{"a": 1}')
    {'a': 1}
    >>> try:
    ...     parse("[1, 2]", "binning")
    ... except SpecError as exc:
    ...     print(exc)
    binning spec: must be a JSON object, got a list
    """
    if isinstance(spec, Mapping):
        return _plain_copy(spec, what)
    if isinstance(spec, bytes):
        spec = spec.decode("utf-8", errors="replace")
    if isinstance(spec, os.PathLike):
        text = _read_file(os.fspath(spec), what)
    elif isinstance(spec, str):
        text = spec
        try:
            out = json.loads(text)
        except (json.JSONDecodeError, ValueError, RecursionError):
            if text.lstrip()[:1] in ("{", "[", '"') or not text.strip():
                return _loads(text, what)
            text = _read_file(spec, what)
        else:
            return _object(out, what)
    else:
        raise SpecError(f"{what} spec: expected a dict, JSON text or a file path, got {type(spec).__name__}")
    return _loads(text, what)


def _plain_copy(spec: Mapping[str, Any], what: str) -> dict[str, Any]:
    """A JSON-plain deep copy of an in-memory document (numpy scalars and arrays, tuples -> JSON types)."""

    def plain(v: Any) -> Any:
        if hasattr(v, "tolist") and callable(v.tolist):  # numpy scalars and arrays
            return v.tolist()
        raise TypeError(type(v).__name__)

    try:
        return _object(json.loads(json.dumps(spec, default=plain, allow_nan=True)), what)
    except TypeError as exc:
        raise SpecError(f"{what} spec: holds a {exc} value, which a JSON spec cannot hold") from None
    except (ValueError, RecursionError) as exc:
        raise SpecError(f"{what} spec: cannot be read as JSON ({type(exc).__name__})") from None


def _read_file(path: str, what: str) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reason = type(exc).__name__ if not isinstance(exc, OSError) else (exc.strerror or type(exc).__name__)
        raise SpecError(f"{what} spec: not JSON text and not a readable file ({reason})") from None


def _loads(text: str, what: str) -> dict[str, Any]:
    try:
        out = json.loads(text)
    except (json.JSONDecodeError, ValueError, RecursionError) as exc:
        raise SpecError(f"{what} spec: not valid JSON ({exc})") from None
    return _object(out, what)


def _object(out: Any, what: str) -> dict[str, Any]:
    if not isinstance(out, dict):
        raise SpecError(f"{what} spec: must be a JSON object, got {_shown(out) if out is not None else 'null'}")
    return out


def _path(loc: Sequence[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and part.startswith("scorecard."):
            continue  # discriminated-union tag, not a key
        else:
            out += f".{part}" if out else str(part)
    return out


def _message(err: Mapping[str, Any]) -> str:
    ctx = err.get("ctx") or {}
    if err.get("type") == "spec":
        return str(ctx.get("message", err.get("msg")))
    kind = err.get("type")
    if kind == "missing":
        return "field required"
    if kind == "extra_forbidden":
        return "unknown key (a typo, or a spec from another version?)"
    if kind == "literal_error":
        return f"must be {ctx.get('expected', 'one of the known values')}, got {_literal_shown(err.get('input'))}"
    if kind == "union_tag_invalid":
        return f"unknown kind {_literal_shown(err.get('input'))}; expected {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        return "the nested spec lacks its 'spec' key"
    return str(err.get("msg"))


def _literal_shown(v: Any) -> str:
    if isinstance(v, str):
        return _mask(v) if len(v) > 40 else repr(v)
    return _shown(v) if isinstance(v, (bool, dict, list)) or v is None else repr(v)


def validate(d: Mapping[str, Any], kind: str) -> None:
    """Validate a parsed, migrated ``kind`` document; raise :class:`SpecError` naming the first problem's key path.

    Examples
    --------
    >>> try:
    ...     validate({"spec": "scorecard.strategy.ScoreBands", "version": 1, "higher_is_safer": True,
    ...               "cutoffs": [1], "labels": ["A"]}, "scorecard.strategy.ScoreBands")
    ... except SpecError as exc:
    ...     print(exc)
    ScoreBands spec: labels: has 1 labels for 2 bands
    """
    check(SCHEMAS[kind], d, _WHAT[kind])


def check(schema: type[BaseModel], d: Any, what: str, path: str = "") -> None:
    """Validate ``d`` against one schema; a :class:`SpecError` names ``what``, ``path`` and the key path below it.

    Examples
    --------
    >>> try:
    ...     check(FeatureBinsSpec, {"name": "age", "kind": "numeric", "splits": [30, 20],
    ...                             "good": [1, 1, 1, 0], "bad": [1, 1, 1, 0], "smoothing": 0.5},
    ...           "binning", "features[3]")
    ... except SpecError as exc:
    ...     print(exc)
    binning spec: features[3].splits[1]: must be greater than the split before it (30): splits are strictly increasing and unique
    """
    try:
        schema.model_validate(d)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        first = errors[0]
        sub = (first.get("ctx") or {}).get("sub", "") if first.get("type") == "spec" else ""
        inner = _path(first["loc"])
        where = ".".join(p for p in (path, inner) if p) + sub
        where = where.replace(".[", "[").lstrip(".") or "(document)"
        more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
        raise SpecError(f"{what} spec: {where}: {_message(first)}{more}") from None
    except RecursionError:
        raise SpecError(f"{what} spec: nested too deeply") from None


def load(spec: Any, kind: str, what: str | None = None) -> dict[str, Any]:
    """Read, migrate and validate a ``kind`` spec; return the (migrated) document.

    Parameters
    ----------
    spec : dict, str or PathLike
        The document, its JSON text, or the path of a file holding it.
    kind : str
        One of :data:`SPEC_VERSIONS` (the document's ``"spec"`` value).
    what : str, optional
        How error messages name the document (default from ``kind``).

    Returns
    -------
    dict
        The document, upgraded to the current version; its values are the
        ones given (validated, not converted).

    Raises
    ------
    SpecError
        Naming the key path and the problem.
    """
    name = what or _WHAT[kind]
    d = parse(spec, name)
    if d.get("spec") != kind:
        got = d.get("spec")
        raise SpecError(
            f"{name} spec: spec: not a {name} spec (expected {kind!r}; its 'spec' key is "
            f"{_literal_shown(got) if got is not None else 'absent'})"
        )
    d = migrate(d, kind)
    validate(d, kind)
    return d


def check_params(params: Mapping[str, Any], allowed: Sequence[str], what: str, key: str = "params") -> None:
    """Raise :class:`SpecError` naming ``key.<name>`` for a parameter the estimator does not take.

    Examples
    --------
    >>> check_params({"pdo": 20}, ["pdo", "base_score"], "scorecard")
    >>> try:
    ...     check_params({"pdo": 20, "pdx": 1}, ["pdo"], "scorecard")
    ... except SpecError as exc:
    ...     print(exc)
    scorecard spec: params.pdx: unknown parameter; known: ['pdo']
    """
    unknown = [k for k in params if k not in set(allowed)]
    if unknown:
        raise SpecError(f"{what} spec: {key}.{unknown[0]}: unknown parameter; known: {sorted(allowed)}")
