"""The validated, versioned specs (scorecard.spec): every malformed spec is a SpecError naming its key path."""

from __future__ import annotations

import copy
import json
import math

import numpy as np
import pandas as pd
import pytest

from scorecard import spec as sc_spec
from scorecard.binning import WOEBinner
from scorecard.challenger import GBMChallenger
from scorecard.datasets import load_german_credit
from scorecard.errors import SpecError
from scorecard.export import CompiledScorer, export_spec
from scorecard.model import LogisticScorecard
from scorecard.segmentation import SegmentedScorecard
from scorecard.strategy import DecisionModel, Policy, ScoreBands

COLS = [
    "duration_in_month",
    "credit_amount",
    "purpose",
    "age_in_years",
    "status_of_existing_checking_account",
    "credit_history",
    "savings_account_and_bonds",
]


@pytest.fixture(scope="module")
def german() -> tuple[pd.DataFrame, pd.Series]:
    X, y = load_german_credit()
    return X[COLS], y


@pytest.fixture(scope="module")
def model(german) -> LogisticScorecard:
    return LogisticScorecard().fit(*german)


@pytest.fixture(scope="module")
def challenger(german) -> GBMChallenger:
    X, y = german
    return GBMChallenger(n_estimators=20, special_codes={"credit_amount": [-1]}, early_stopping_rounds=None).fit(X, y)


@pytest.fixture
def spec(model) -> dict:
    return json.loads(model.to_json())


def _numeric(d: dict) -> tuple[int, dict]:
    """Index and entry of the binner's first numeric feature with at least three splits."""
    for i, f in enumerate(d["binner"]["features"]):
        if f["kind"] == "numeric" and len(f["splits"]) >= 3:
            return i, f
    raise AssertionError("no numeric feature with three splits")


def _categorical(d: dict) -> tuple[int, dict]:
    for i, f in enumerate(d["binner"]["features"]):
        if f["kind"] == "categorical" and len(f["groups"]) >= 2:
            return i, f
    raise AssertionError("no categorical feature with two groups")


def _set(path: list, value):
    def edit(d):
        obj = d
        for k in path[:-1]:
            obj = obj[k]
        obj[path[-1]] = value
    return edit


def _reverse_splits(d):
    i, f = _numeric(d)
    f["splits"] = f["splits"][::-1]
    return rf"binner\.features\[{i}\]\.splits\[1\]: must be greater than the split before it"


def _nan_split(d):
    i, f = _numeric(d)
    f["splits"][2] = float("nan")
    return rf"binner\.features\[{i}\]\.splits\[2\]: must be a finite number"


def _equal_splits(d):
    i, f = _numeric(d)
    f["splits"][1] = f["splits"][0]
    return rf"binner\.features\[{i}\]\.splits\[1\]: must be greater"


def _null_coef(d):
    d["coef"][0] = None
    return r"^scorecard spec: coef\[0\]: must be a number, got null"


def _huge_coef(d):
    d["coef"][1] = 10**400
    return r"coef\[1\]: must be a finite number; this integer is too large"


def _huge_count(d):
    i, f = _numeric(d)
    f["good"][0] = 10**400
    return rf"binner\.features\[{i}\]\.good\[0\]: must be a finite number"


def _dup_feature(d):
    d["features"].append(d["features"][0])
    d["coef"].append(d["coef"][0])
    n = len(d["features"]) - 1
    return rf"features\[{n}\]: feature '.*' repeats entry 0"


def _dup_binner_feature(d):
    d["binner"]["features"].append(copy.deepcopy(d["binner"]["features"][0]))
    n = len(d["binner"]["features"]) - 1
    return rf"binner\.features\[{n}\]\.name: feature '.*' is listed twice"


def _bool_version(d):
    d["version"] = True
    return r"version: must be an integer, got true"


def _future_version(d):
    d["version"] = 99
    return r"version: unsupported version 99"


def _bogus_fallback(d):
    i, f = _numeric(d)
    f["fallback"] = "bogus"
    return rf"binner\.features\[{i}\]\.fallback: must be 'riskiest' or 'missing', got 'bogus'"


def _bogus_kind(d):
    i, f = _numeric(d)
    f["kind"] = "ordinal"
    return rf"binner\.features\[{i}\]\.kind: must be 'numeric' or 'categorical'"


def _bogus_trend(d):
    i, f = _numeric(d)
    f["trend"] = "sideways"
    return rf"binner\.features\[{i}\]\.trend: must be"


def _short_counts(d):
    i, f = _numeric(d)
    f["bad"] = f["bad"][:-1]
    return rf"binner\.features\[{i}\]\.bad: has {len(f['bad'])} entries; the feature has {len(f['bad']) + 1} bins"


def _short_coef(d):
    d["coef"] = d["coef"][:-1]
    return r"coef: has \d+ coefficients for \d+ features"


def _nan_special(d):
    i, f = _numeric(d)
    f["specials"] = [float("nan")]
    f["good"].insert(-1, 0.0)
    f["bad"].insert(-1, 0.0)
    f.pop("woe")
    return rf"binner\.features\[{i}\]\.specials\[0\]: must be a finite number"


def _list_special(d):
    i, f = _numeric(d)
    f["specials"] = [[1]]
    return rf"binner\.features\[{i}\]\.specials\[0\]: a special code must be a number, text or a boolean"


def _category_twice(d):
    i, f = _categorical(d)
    f["groups"][1].append(f["groups"][0][0])
    return rf"binner\.features\[{i}\]\.groups\[1\]\[\d+\]: category '.*' is already in group 0"


def _unknown_param(d):
    d["params"]["pdx"] = 20
    return r"params\.pdx: unknown parameter"


def _unknown_binner_param(d):
    d["binner"]["params"]["smoothness"] = 1
    return r"^binning spec: params\.smoothness: unknown parameter"


def _unknown_key(d):
    d["coefs"] = d["coef"]
    return r"coefs: unknown key"


def _model_feature_without_bins(d):
    d["features"][0] = "shoe_size"
    return r"features\[0\]: model feature 'shoe_size' has no bins"


def _string_intercept(d):
    d["intercept"] = "-1.2"
    return r"intercept: must be a number, got str"


def _negative_count(d):
    i, f = _numeric(d)
    f["good"][0] = -3
    return rf"binner\.features\[{i}\]\.good\[0\]: must be >= 0"


def _delete(key):
    def edit(d):
        del d[key]
        return rf"^scorecard spec: {key}: field required"
    edit.__name__ = f"missing_{key}"
    return edit


SCORECARD_BREAKS = [
    _null_coef, _huge_coef, _huge_count, _reverse_splits, _nan_split, _equal_splits, _dup_feature,
    _dup_binner_feature, _bool_version, _future_version, _bogus_fallback, _bogus_kind, _bogus_trend,
    _short_counts, _short_coef, _nan_special, _list_special, _category_twice, _unknown_param,
    _unknown_binner_param, _unknown_key, _model_feature_without_bins, _string_intercept, _negative_count,
    _delete("intercept"), _delete("features"), _delete("params"), _delete("binner"),
]


@pytest.mark.parametrize("brk", SCORECARD_BREAKS, ids=lambda f: f.__name__.strip("_"))
def test_malformed_scorecard_spec_is_a_spec_error_naming_the_key(spec, brk):
    message = brk(spec)
    with pytest.raises(SpecError, match=message):
        LogisticScorecard.from_json(spec)
    # the same document as JSON text (NaN written as JSON's NaN literal) fails the same way
    if "10**400" not in message:
        text = json.dumps(spec, allow_nan=True)
        with pytest.raises(SpecError, match=message):
            LogisticScorecard.from_json(text)


@pytest.mark.parametrize(
    "brk",
    [_set(["factor"], float("nan")), _set(["intercept"], float("inf")), _set(["offset"], float("-inf"))],
    ids=["nan_factor", "inf_intercept", "inf_offset"],
)
def test_non_finite_scaling_is_refused(spec, brk):
    brk(spec)
    with pytest.raises(SpecError, match=r"(factor|intercept|offset): must be a finite number"):
        LogisticScorecard.from_json(spec)


def test_reversed_splits_cannot_reach_any_engine(spec, german):
    """Reversed splits made predict_points and score_record disagree on 836 of 1,000 rows: now refused everywhere."""
    _reverse_splits(spec)
    with pytest.raises(SpecError):
        LogisticScorecard.from_json(spec)
    with pytest.raises(SpecError):
        WOEBinner.from_json(spec["binner"])
    wrapped = {"spec": "scorecard.export", "version": 1, "kind": "scorecard", "model": spec,
               "keys": [], "n_reasons": 0, "reason_codes": {}, "scaling": {"factor": 28.85, "offset": 487.1}}
    with pytest.raises(SpecError, match=r"model\.binner\.features\[\d+\]\.splits\[1\]"):
        CompiledScorer(wrapped)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1,2]", r"must be a JSON object, got a list"),
        ('"model.json"', r"must be a JSON object, got str"),
        ("{broken", r"not valid JSON"),
        ("", r"not valid JSON"),
        ("no/such/file.json", r"not JSON text and not a readable file"),
        ("1" * 5000, r"not JSON text and not a readable file|not valid JSON|must be a JSON object"),
    ],
)
def test_text_that_is_not_a_spec(text, message):
    with pytest.raises(SpecError, match=message):
        LogisticScorecard.from_json(text)


def test_overflowing_number_in_json_text(spec):
    text = json.dumps(spec).replace(f'"coef": [{spec["coef"][0]!r}', '"coef": [1e400', 1)
    assert "1e400" in text
    with pytest.raises(SpecError, match=r"^scorecard spec: coef\[0\]: must be a finite number"):
        LogisticScorecard.from_json(text)
    text = json.dumps(spec).replace(f'"intercept": {spec["intercept"]!r}', '"intercept": ' + "9" * 400, 1)
    with pytest.raises(SpecError, match=r"^scorecard spec: intercept: must be a finite number; this integer is too large"):
        LogisticScorecard.from_json(text)


def test_not_a_spec_at_all():
    for thing in (None, 3, ["spec"], {"spec": "scorecard.WOEBinner", "version": 1}):
        with pytest.raises(SpecError):
            LogisticScorecard.from_json(thing)  # type: ignore[arg-type]
    with pytest.raises(SpecError, match=r"spec: not a scorecard spec"):
        LogisticScorecard.from_json({"spec": "scorecard.WOEBinner", "version": 1})


def test_spec_from_a_file_and_a_pathlike(model, tmp_path, german):
    path = tmp_path / "scorecard.json"
    model.to_json(str(path))
    for where in (str(path), path):
        back = LogisticScorecard.from_json(where)
        assert back.to_json() == model.to_json()
    X, _ = german
    np.testing.assert_array_equal(back.predict_score(X), model.predict_score(X))


def test_version_1_scorecard_is_migrated(model, spec, german):
    """A version-1 spec (unrounded coefficients) loads through the migration and scores as before."""
    old = copy.deepcopy(spec)
    old["version"] = 1
    old["coef"] = [c + 1e-14 for c in old["coef"]]  # unrounded, as version 1 stored them
    back = LogisticScorecard.from_json(old)
    assert json.loads(back.to_json())["version"] == sc_spec.SPEC_VERSIONS["scorecard.LogisticScorecard"] == 2
    assert back.coef_[0].tolist() == spec["coef"]  # rounded back to the 12 digits v2 stores
    X, _ = german
    np.testing.assert_array_equal(back.predict_points(X), model.predict_points(X))
    migrated = sc_spec.migrate(old)
    assert migrated["coef"] == spec["coef"] and migrated["version"] == 2
    with pytest.raises(SpecError, match="version 0"):
        sc_spec.migrate({**old, "version": 0})


def test_every_kind_has_a_schema_and_a_version():
    assert set(sc_spec.SCHEMAS) == set(sc_spec.SPEC_VERSIONS)
    for (kind, v), step in sc_spec.MIGRATIONS.items():
        assert kind in sc_spec.SPEC_VERSIONS and 1 <= v < sc_spec.SPEC_VERSIONS[kind] and callable(step)


def test_in_memory_model_scores_with_the_stored_floats(model, spec, german):
    assert model.coef_[0].tolist() == spec["coef"]
    assert float(model.intercept_[0]) == spec["intercept"]
    X, _ = german
    back = LogisticScorecard.from_json(spec)
    np.testing.assert_array_equal(back.decision_function(X), model.decision_function(X))
    np.testing.assert_array_equal(back.predict_points(X, rounded=False), model.predict_points(X, rounded=False))


# --------------------------------------------------------------------------- #
# the other kinds
# --------------------------------------------------------------------------- #
def test_challenger_spec_is_validated(challenger, german):
    d = challenger.to_dict()
    twin = GBMChallenger.from_dict(json.loads(json.dumps(d)))
    X, _ = german
    np.testing.assert_array_equal(twin.predict_proba(X), challenger.predict_proba(X))
    j = next(i for i, f in enumerate(d["encoding"]["features"]) if f["specials"] or f["unseen_specials"])
    cases = [
        (["encoding", "features", j, "unseen_specials", 0], float("nan"),
         rf"encoding\.features\[{j}\]\.unseen_specials\[0\]: must be a finite number"),
        (["encoding", "features", j, "specials"], [None],
         rf"encoding\.features\[{j}\]\.specials\[0\]: a special code must be a number, text or a boolean"),
        (["monotone_constraints", "duration_in_month"], 2, r"monotone_constraints\.duration_in_month: must be -1, 0 or 1"),
        (["best_iteration"], 10**400, r"best_iteration: must be an integer of at most"),
        (["params", "fallback"], "bogus", r"params\.fallback: must be 'riskiest' or 'error'"),
        (["version"], "1", r"version: must be an integer, got str"),
        (["features", 1], COLS[0], r"features\[1\]: feature '.*' repeats entry 0"),
        (["model"], None, r"model: field required"),
    ]
    for path, value, message in cases:
        bad = copy.deepcopy(d)
        if not bad["encoding"]["features"][j]["unseen_specials"]:
            bad["encoding"]["features"][j]["unseen_specials"] = [0.0]
        _set(path, value)(bad)
        with pytest.raises(SpecError, match=message):
            GBMChallenger.from_dict(bad)


def test_export_spec_is_validated(model):
    good = json.loads(json.dumps(export_spec(model, n_reasons=2)))
    CompiledScorer(good)
    cases = [
        (["n_reasons"], 10**400, r"n_reasons: must be an integer of at most"),
        (["kind"], "tree", r"kind: must be 'scorecard' or 'challenger'"),
        (["scaling", "factor"], float("nan"), r"scaling\.factor: must be a finite number"),
        (["model", "coef", 0], None, r"model\.coef\[0\]: must be a number, got null"),
        (["version"], 2, r"version: unsupported version 2"),
    ]
    for path, value, message in cases:
        bad = copy.deepcopy(good)
        _set(path, value)(bad)
        with pytest.raises(SpecError, match=message):
            CompiledScorer(bad)
    with pytest.raises(SpecError, match="cannot be read"):
        CompiledScorer({**good, "kind": "challenger", "model": _challenger_stub()}, "no/such/booster.txt")


def _challenger_stub() -> dict:
    return {"spec": "scorecard.GBMChallenger", "version": 1, "params": {}, "features": ["a"],
            "encoding": {"names": ["a"], "categorical": [],
                         "features": [{"name": "a", "kind": "numeric", "has_missing": False, "columns": [0]}]}}


def test_bands_policy_and_decision_documents_are_validated():
    bands = ScoreBands(cutoffs=[550.0, 620.0], name="sc").fit()
    d = bands.to_dict()
    assert ScoreBands.from_dict(json.dumps(d)) == bands
    for key, value, message in [
        ("cutoffs", [550.0, float("nan")], r"cutoffs\[1\]: must be a finite number"),
        ("cutoffs", [550.0, 550.0], r"cutoffs\[1\]: cutoff 550.0 repeats entry 0"),
        ("labels", ["A", "B"], r"labels: has 2 labels for 3 bands"),
        ("higher_is_safer", "yes", r"higher_is_safer: Input should be a valid boolean"),
    ]:
        with pytest.raises(SpecError, match=message):
            ScoreBands.from_dict({**d, key: value})

    policy = Policy.from_dict(_policy_doc())
    doc = policy.to_dict()
    for path, value, message in [
        (["missing_score_decision"], "approve", r"missing_score_decision: must be 'refer' or 'decline'"),
        (["channels", "web", "cells", 0, "decision"], "maybe", r"channels\.web\.cells\[0\]\.decision: must be"),
        (["channels", "web", "cells", 1, "limit"], float("inf"), r"channels\.web\.cells\[1\]\.limit: must be a finite"),
        (["channels", "web", "cells", 0, "bands", 0], 10**400, r"cells\[0\]\.bands\[0\]: must be an integer of at most"),
        (["price_tiers", "P1"], -0.1, r"price_tiers\.P1: must be >= 0"),
        (["spec_version"], True, r"spec_version: must be an integer, got true"),
    ]:
        bad = copy.deepcopy(doc)
        _set(path, value)(bad)
        with pytest.raises(SpecError, match=message):
            Policy.from_dict(bad)
    dup = copy.deepcopy(doc)
    dup["models"].append(copy.deepcopy(dup["models"][0]))
    with pytest.raises(SpecError, match=r"models\[1\]: model 'sc' repeats entry 0"):
        Policy.from_dict(dup)

    dm = DecisionModel({"sc": None}, policy, score_kinds={"sc": "points"}).fit()
    back = DecisionModel.from_json(dm.to_json())
    assert back.to_json() == dm.to_json()
    for path, value, message in [
        (["models", 0, "kind"], "Oracle", r"models\[0\]\.kind: must be"),
        (["models", 0, "score"], "odds", r"models\[0\]\.score: must be 'points' or 'proba'"),
        (["n_reasons"], -1, r"n_reasons: must be an integer in \[0, 1000\]"),
        (["reason_method"], "magic", r"reason_method: must be 'builtin' or 'explain'"),
        (["policy", "limit_step"], float("nan"), r"policy\.limit_step: must be a finite number"),
    ]:
        bad = json.loads(dm.to_json())
        _set(path, value)(bad)
        with pytest.raises(SpecError, match=message):
            DecisionModel.from_json(bad)
    with pytest.raises(SpecError, match="must be a JSON object"):
        DecisionModel.from_json("[1,2]")


def _policy_doc() -> dict:
    bands = ScoreBands(cutoffs=[600.0], name="sc").fit().to_dict()
    bands["name"] = "sc"
    return {
        "spec": "scorecard.strategy.Policy", "spec_version": 1, "name": "p", "version": "1",
        "models": [bands], "price_tiers": {"P1": 0.1},
        "channels": {"web": {"cells": [
            {"bands": [0], "decision": "approve", "limit": 1000.0, "price_tier": "P1"},
            {"bands": [1], "decision": "decline"},
        ]}},
    }


# --------------------------------------------------------------------------- #
# canonical specs: row order does not change the bytes
# --------------------------------------------------------------------------- #
def test_row_order_does_not_change_the_spec_bytes(german, model):
    X, y = german
    perm = np.random.default_rng(7).permutation(len(X))
    Xs, ys = X.iloc[perm], y.iloc[perm]
    assert WOEBinner().fit(Xs, ys).to_json() == WOEBinner().fit(X, y).to_json()
    shuffled = LogisticScorecard().fit(Xs, ys)
    assert shuffled.to_json() == model.to_json()
    # and with a fresh index (positional y), the same bytes
    assert LogisticScorecard().fit(Xs.reset_index(drop=True), ys.to_numpy()).to_json() == model.to_json()


def test_canonical_float_is_idempotent_and_close():
    rng = np.random.default_rng(0)
    for x in np.concatenate([rng.normal(size=200) * 10.0 ** rng.integers(-20, 20, size=200), [0.0, -0.0, 1.0]]):
        c = sc_spec.canonical_float(x)
        assert sc_spec.canonical_float(c) == c
        assert math.isclose(c, x, rel_tol=1e-11, abs_tol=0.0)
    assert math.isnan(sc_spec.canonical_float(float("nan")))


# --------------------------------------------------------------------------- #
# fuzz: any damage is a SpecError or a model that still scores
# --------------------------------------------------------------------------- #
_JUNK = [None, True, "x", "", -1, 0, 2.5, 10**400, float("nan"), float("inf"), [], {}, [None], {"a": 1}]


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj[:4]):
            yield from _paths(v, (*prefix, i))


def _damage(doc, rng):
    doc = copy.deepcopy(doc)
    paths = [p for p in _paths(doc) if p]
    path = paths[int(rng.integers(len(paths)))]
    parent = doc
    for k in path[:-1]:
        parent = parent[k]
    if isinstance(parent, dict) and rng.random() < 0.25:
        del parent[path[-1]]
    else:
        parent[path[-1]] = _JUNK[int(rng.integers(len(_JUNK)))]
    return doc, path


def test_damaged_specs_fail_only_with_spec_error(spec, german):
    X, _ = german
    rng = np.random.default_rng(12)
    loaded = 0
    for _ in range(150):
        doc, path = _damage(spec, rng)
        try:
            m = LogisticScorecard.from_json(doc)
        except SpecError:
            continue
        except Exception as exc:  # noqa: BLE001 - the point of the test
            raise AssertionError(f"damage at {path} raised {type(exc).__name__}: {exc}") from None
        loaded += 1
        pts = m.predict_points(X.head(20))  # what loads, scores
        assert pts["total"].notna().all(), path
    assert loaded < 150  # most damage is refused


def test_damaged_export_and_policy_documents_fail_only_with_spec_error(model):
    rng = np.random.default_rng(5)
    docs = [
        (json.loads(json.dumps(export_spec(model, n_reasons=2))), CompiledScorer),
        (Policy.from_dict(_policy_doc()).to_dict(), Policy.from_dict),
    ]
    for good, load in docs:
        for _ in range(60):
            doc, path = _damage(good, rng)
            try:
                load(doc)
            except SpecError:
                pass
            except Exception as exc:  # noqa: BLE001
                raise AssertionError(f"damage at {path} raised {type(exc).__name__}: {exc}") from None


LOADERS = [
    WOEBinner.from_json,
    LogisticScorecard.from_json,
    GBMChallenger.from_dict,
    CompiledScorer,
    ScoreBands.from_dict,
    Policy.from_dict,
    DecisionModel.from_json,
    SegmentedScorecard.from_json,
]


@pytest.mark.parametrize("load", LOADERS, ids=lambda f: getattr(f, "__qualname__", str(f)))
@pytest.mark.parametrize("thing", ["[1,2]", "no/such/spec.json", "{", "null", 10**400, None, {"spec": 3}])
def test_every_loader_answers_junk_with_spec_error(load, thing):
    with pytest.raises(SpecError):
        load(thing)


def test_splits_are_accepted_exactly_when_strictly_increasing_and_finite():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    floats = st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=64), st.integers(-10**6, 10**6))

    @settings(max_examples=150, deadline=None, database=None)
    @given(st.lists(floats, max_size=6))
    def check(splits):
        fb = {"name": "x", "kind": "numeric", "splits": splits, "good": [1.0] * (len(splits) + 2),
              "bad": [1.0] * (len(splits) + 2), "smoothing": 0.5}
        ok = all(math.isfinite(s) for s in splits) and all(b > a for a, b in zip(splits, splits[1:]))
        try:
            sc_spec.check(sc_spec.FeatureBinsSpec, fb, "binning", "features[0]")
        except SpecError as exc:
            assert not ok, exc
            assert str(exc).startswith("binning spec: features[0].splits[")
        else:
            assert ok, splits

    check()


def test_segmented_scorecard_spec_is_validated(spec):
    doc = {"spec": "scorecard.SegmentedScorecard", "version": 1, "segment": "channel", "default_segment": "web",
           "segments": {"web": spec, "branch": copy.deepcopy(spec)}}
    assert SegmentedScorecard.from_json(json.dumps(doc)).segments_ == ["branch", "web"]
    bad = copy.deepcopy(doc)
    _reverse_splits(bad["segments"]["branch"])
    with pytest.raises(SpecError, match=r"segments\.branch\.binner\.features\[\d+\]\.splits\[1\]: must be greater"):
        SegmentedScorecard.from_json(bad)
    with pytest.raises(SpecError, match=r"default_segment: 'fax' is not one of the segments"):
        SegmentedScorecard.from_json({**doc, "default_segment": "fax"})
