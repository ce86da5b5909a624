"""PMML export: scored by a real PMML engine (pypmml on Java) with the same integer points, edge cases included."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from scorecard import LogisticScorecard
from scorecard.datasets import FEATURE_COLUMNS, SPECIAL_CODES, load_german_credit, make_applications
from scorecard.errors import FallbackWarning, NotFittedError
from scorecard.pmml import PMMLExportError, to_pmml

pypmml = pytest.importorskip("pypmml", reason="pypmml is part of the test extra")


@pytest.fixture(scope="module")
def fitted():
    df = make_applications(4_000, random_state=8)
    X, y = df[list(FEATURE_COLUMNS)], df["bad"]
    from scorecard import WOEBinner

    model = LogisticScorecard(binner=WOEBinner(special_codes={k: list(v) for k, v in SPECIAL_CODES.items()})).fit(X, y)
    return model, X


def _edge_frame(model, X: pd.DataFrame) -> pd.DataFrame:
    """Training rows plus every split, one ulp either side, specials, missing, +-inf, unseen categories."""
    rows = [X.iloc[:300].copy()]
    base = X.iloc[[0]]
    for f in model.features_:
        fb = model.binner_.bins_[f]
        vals: list = [None]
        if fb.kind == "numeric":
            for s in fb.splits:
                vals += [s, np.nextafter(s, -np.inf), np.nextafter(s, np.inf)]
            vals += [np.inf, -np.inf, -0.0] + [float(c) for c in fb.specials]
        else:
            vals += [g[0] for g in fb.groups] + ["never seen", ""] + list(fb.specials)
        for v in vals:
            r = base.copy()
            r[f] = r[f].astype(object)
            r.iloc[0, r.columns.get_loc(f)] = v
            rows.append(r)
    out = pd.concat(rows, ignore_index=True)
    for f in model.features_:
        if model.binner_.bins_[f].kind == "numeric":
            out[f] = pd.to_numeric(out[f], errors="coerce").astype(float)
        else:
            out[f] = out[f].astype(object).where(out[f].notna(), None)
    return out[list(model.features_)]


def test_pmml_points_equal_ours_on_edge_cases(fitted, tmp_path):
    model, X = fitted
    path = tmp_path / "scorecard.pmml"
    xml = to_pmml(model, path)
    assert path.read_text(encoding="utf-8") == xml
    assert to_pmml(model) == xml  # deterministic
    frame = _edge_frame(model, X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FallbackWarning)
        ours = model.predict_points(frame)["total"].to_numpy()
    engine = pypmml.Model.fromString(xml)
    # the training rows through pypmml's batch path; the edge rows one record at a time (its
    # DataFrame transport rounds doubles, which would move values one ulp from a split)
    bulk = engine.predict(frame.iloc[:300])
    records = []
    for rec in frame.iloc[300:].to_dict("records"):
        clean = {k: (None if v is None or (isinstance(v, float) and np.isnan(v)) else (float(v) if isinstance(v, (float, np.floating)) else v)) for k, v in rec.items()}
        records.append(dict(engine.predict(clean)))
    theirs = pd.concat([bulk, pd.DataFrame(records)], ignore_index=True)
    assert len(theirs) == len(frame)
    mismatch = np.flatnonzero(theirs["points"].to_numpy() != ours)
    assert mismatch.size == 0, (frame.iloc[mismatch[:3]].to_dict("records"), theirs.iloc[mismatch[:3]].to_dict("records"), ours[mismatch[:3]])
    # reason codes: the feature that lost the most points, where that is unique
    pts = model.predict_points(frame.iloc[:300])
    codes = dict(zip(model.features_, [None] * len(model.features_)))
    from scorecard.explain import reason_code_table

    for r in reason_code_table(model).drop_duplicates("feature").itertuples(index=False):
        codes[r.feature] = r.code
    tops = np.array([np.floor(model._points_per_bin(f) + 0.5).max() for f in model.features_])
    loss = tops[None, :] - pts[list(model.features_)].to_numpy()
    checked = 0
    for i in range(300):
        order = np.argsort(-loss[i], kind="stable")
        if loss[i, order[0]] > loss[i, order[1]]:
            assert theirs["reason_1"].iloc[i] == codes[model.features_[order[0]]]
            checked += 1
    assert checked > 100


def test_german_credit_parity():
    X, y = load_german_credit()
    model = LogisticScorecard().fit(X, y)
    engine = pypmml.Model.fromString(to_pmml(model))
    out = engine.predict(X[list(model.features_)])
    np.testing.assert_array_equal(out["points"].to_numpy(), model.predict_points(X)["total"].to_numpy())


def test_refusals():
    from scorecard import WOEBinner

    X, y = load_german_credit()
    cols = ["duration_in_month", "status_of_existing_checking_account"]
    model = LogisticScorecard(binner=WOEBinner(categorical_features=["duration_in_month"])).fit(X[cols], y)
    assert "duration_in_month" in model.features_
    with pytest.raises(PMMLExportError, match="'duration_in_month' is categorical over number"):
        to_pmml(model)
    with pytest.raises(NotFittedError):
        to_pmml(LogisticScorecard())
    with pytest.raises(TypeError):
        to_pmml(object())
