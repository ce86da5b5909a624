"""Decision-time inputs are checked like the policy is; terms are bounded by construction (issue 19).

The three cases measured in the issue (a channel whose limit is twice the
requested amount): a requested amount of -10,000, one of 1e308, and a band
column holding 1.7. Then a hypothesis property test over random valid
policies and random inputs (edge cases included): no invalid input is ever
approved, and every limit is finite, >= 0 and within the channel's and the
completeness tier's caps, every APR from the price grid.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from scorecard.errors import DataError, SpecError
from scorecard.strategy import ChannelPolicy, CompletenessTier, InputRule, Policy, ScoreBands


def _measured_policy(**kw) -> Policy:
    """Two models, 3 x 2 bands, one absolute and one requested_multiple (x 2.0) channel."""
    a = ScoreBands(cutoffs=[550, 600], name="sc").fit()
    b = ScoreBands(cutoffs=[0.05], higher_is_safer=False, name="bureau").fit()
    dec = np.array([["approve", "approve"], ["approve", "refer"], ["refer", "decline"]])
    tier = np.array([["P1", "P2"], ["P2", "P3"], ["P3", None]], dtype=object)
    channels = {
        "api": ChannelPolicy.from_arrays(dec, [[20000, 10000], [10000, 5000], [5000, 0]], tier),
        "app": ChannelPolicy.from_arrays(dec, 2.0, tier, limit_basis="requested_multiple"),
    }
    return Policy("measured", "1", {"sc": a, "bureau": b}, channels,
                  price_tiers={"P1": 0.12, "P2": 0.18, "P3": 0.24}, **kw).validate()


def _row(**kw) -> pd.DataFrame:
    base = {"score_sc": 620.0, "score_bureau": 0.01, "channel": "app", "requested_amount": 10_000.0}
    base.update(kw)
    return pd.DataFrame([base])


def test_negative_requested_amount_is_not_approved():
    p = _measured_policy()
    assert p.decide(_row())[["decision", "limit"]].values.tolist() == [["approve", 20000.0]]  # the sane case
    out = p.decide(_row(requested_amount=-10_000.0)).iloc[0]
    assert out["decision"] == "refer" and out["limit"] == 0.0 and np.isnan(out["apr"])
    assert out["reasons"] == "INVALID_REQUESTED_AMOUNT"
    with pytest.raises(DataError, match="'requested_amount'.*must be finite, > 0 and <= 1e\\+09"):
        p.decide(_row(requested_amount=-10_000.0), errors="raise")


def test_huge_requested_amount_is_not_approved_and_limits_stay_finite():
    p = _measured_policy()
    for amount in (1e308, np.inf, 1e9 + 1):
        out = p.decide(_row(requested_amount=amount)).iloc[0]
        assert out["decision"] == "refer" and out["limit"] == 0.0, amount
        assert out["reasons"] == "INVALID_REQUESTED_AMOUNT"
    # the bound is the policy's own rule when it gives one; at the bound itself the limit is finite
    q = _measured_policy(input_rules={"requested_amount": InputRule(min=0, min_exclusive=True, max=50_000)})
    assert q.decide(_row(requested_amount=60_000.0))["decision"].iloc[0] == "refer"
    assert q.decide(_row(requested_amount=50_000.0))["limit"].iloc[0] == 100_000.0
    # an absolute channel does not need the amount, but a nonsensical one is still refused
    out = p.decide(_row(channel="api", requested_amount=-1.0)).iloc[0]
    assert out["decision"] == "refer" and out["reasons"] == "INVALID_REQUESTED_AMOUNT"
    assert p.decide(_row(channel="api", requested_amount=np.nan))["decision"].iloc[0] == "approve"


def test_fractional_band_is_refused_not_truncated():
    p = _measured_policy()
    frame = pd.DataFrame({"band_sc": [1.0, 1.7, 3, -2, "x", None], "band_bureau": [0, 0, 0, 0, 0, 0],
                          "channel": "api"})
    out = p.decide(frame)
    assert out["decision"].tolist() == ["approve", "refer", "refer", "refer", "refer", "refer"]
    assert out["reasons"].tolist()[1:5] == ["INVALID_BAND_SC"] * 4
    assert out["reasons"].iloc[5] == "MISSING_SCORE_SC"
    assert out["limit"].tolist() == [10000.0, 0, 0, 0, 0, 0] and out["band_sc"].tolist()[1:] == [-1] * 5
    with pytest.raises(DataError, match="'band_sc' has 4 invalid value"):
        p.decide(frame, errors="raise")


def test_scores_and_other_rules_and_declines_stay():
    p = _measured_policy(input_rules={"monthly_income": InputRule(min=0)}, invalid_input_decision="decline")
    frame = pd.DataFrame({"score_sc": [np.inf, 620, 620, 500], "score_bureau": [0.01, 0.01, 0.01, 0.5],
                          "channel": ["api", "api", "web", "api"], "monthly_income": [1.0, -5.0, -5.0, "abc"]})
    out = p.decide(frame)
    assert out["decision"].tolist() == ["decline"] * 4
    assert out["reasons"].tolist() == ["INVALID_SCORE_SC", "INVALID_MONTHLY_INCOME",
                                       "INVALID_MONTHLY_INCOME;UNKNOWN_CHANNEL", "INVALID_MONTHLY_INCOME"]
    with pytest.raises(DataError, match="score_sc.*monthly_income"):
        p.decide(frame, errors="raise")
    with pytest.raises(DataError, match="errors must be"):
        p.decide(frame, errors="ignore")
    # rules are part of the JSON document
    again = Policy.from_json(p.to_json())
    assert again == p and again.rules["monthly_income"] == InputRule(min=0)


def test_bounds_are_validated():
    with pytest.raises(SpecError, match="invalid_input_decision"):
        _measured_policy(invalid_input_decision="approve")
    with pytest.raises(SpecError, match="needs min >= 0 and a finite max"):
        _measured_policy(input_rules={"requested_amount": InputRule(min=-1, max=10)})
    with pytest.raises(SpecError, match="min 5 is above max 1"):
        _measured_policy(input_rules={"x": InputRule(min=5, max=1)})
    p = _measured_policy()
    p.channels["app"].max_limit = -1.0
    with pytest.raises(SpecError, match="max_limit"):
        p.validate()
    p.channels["app"].max_limit = None
    p.channels["app"].cells[0].limit = 1e300
    with pytest.raises(SpecError, match="overflows"):
        p.validate()


def test_limit_rounding_never_exceeds_a_cap():
    p = _measured_policy(limit_step=100)
    p.channels["app"].max_limit = 4999.999999
    p.validate()
    out = p.decide(_row(requested_amount=9_000.0))
    assert out["limit"].iloc[0] == 4900.0


# --------------------------------------------------------------------------- #
# property: random valid policies, random inputs
# --------------------------------------------------------------------------- #

_EDGE_NUMBERS = [-10_000.0, -1.0, 0.0, 1e-9, 1.0, 1.7, 5_000.0, 1e9, 1e9 + 1, 1e308, np.inf, -np.inf, np.nan]


@st.composite
def _policies(draw):
    n_models = draw(st.integers(1, 2))
    bands, shape = {}, []
    for j in range(n_models):
        k = draw(st.integers(2, 4))
        cuts = sorted(draw(st.lists(st.floats(-100, 100), min_size=k - 1, max_size=k - 1, unique=True)))
        bands[f"m{j}"] = ScoreBands(cutoffs=cuts, higher_is_safer=draw(st.booleans()), name=f"m{j}").fit()
        shape.append(bands[f"m{j}"].n_bands_)
    risk = np.indices(shape).sum(axis=0)  # grows with every band index: monotone terms by construction
    t_approve = draw(st.integers(1, int(risk.max()) + 1))
    t_refer = draw(st.integers(t_approve, int(risk.max()) + 1))
    dec = np.where(risk < t_approve, "approve", np.where(risk < t_refer, "refer", "decline")).astype(object)
    aprs = sorted(draw(st.lists(st.floats(0, 1), min_size=3, max_size=3)))
    tiers = np.array(["P1", "P2", "P3"], dtype=object)[np.minimum(risk, 2)]
    channels = {}
    for ch in ("api", "app"):
        basis = draw(st.sampled_from(["absolute", "requested_multiple"]))
        top = draw(st.floats(0, 1e6)) if basis == "absolute" else draw(st.floats(0, 10))
        limit = top / (1.0 + risk)
        max_limit = draw(st.one_of(st.none(), st.floats(0, 1e6)))
        comp = None
        if draw(st.booleans()):
            comp = [CompletenessTier("full", {"bureau_hit": 1}, draw(st.floats(0.1, 3)),
                                     draw(st.one_of(st.none(), st.floats(0, 1e6)))),
                    CompletenessTier("thin", {}, draw(st.floats(0.1, 3)), draw(st.one_of(st.none(), st.floats(0, 1e6))))]
        channels[ch] = ChannelPolicy.from_arrays(dec, limit, tiers, limit_basis=basis, completeness=comp,
                                                 max_limit=max_limit)
    rules = {}
    if draw(st.booleans()):
        rules["monthly_income"] = InputRule(min=0.0, max=draw(st.floats(1, 1e7)))
    return Policy("prop", "1", bands, channels, price_tiers=dict(zip(["P1", "P2", "P3"], aprs)),
                  limit_step=draw(st.sampled_from([0.0, 1.0, 100.0, 0.1])), input_rules=rules,
                  missing_score_decision=draw(st.sampled_from(["refer", "decline"])),
                  invalid_input_decision=draw(st.sampled_from(["refer", "decline"]))).validate()


def _values(edge, low, high):
    """Mostly sane values, often an edge case (any float, text, None)."""
    sane = st.floats(low, high)
    return st.one_of(sane, sane, sane, st.sampled_from([*edge, "abc", None]), st.floats())


@st.composite
def _inputs(draw, policy):
    n = draw(st.integers(1, 8))
    cols = {}
    for m, b in policy.bands.items():
        if draw(st.booleans()):
            ok = st.integers(0, b.n_bands_ - 1)
            cols[f"band_{m}"] = draw(st.lists(st.one_of(ok, ok, ok, st.sampled_from(
                [-1, -3, b.n_bands_, 0.5, 1.7, np.nan, np.inf, "x", None])), min_size=n, max_size=n))
        else:
            cols[f"score_{m}"] = draw(st.lists(_values([-100.0, 0.0, 150.0, np.inf, -np.inf, np.nan], -200, 200),
                                               min_size=n, max_size=n))
    cols["channel"] = draw(st.lists(st.sampled_from(["api", "app", "api", "app", "web", None]), min_size=n, max_size=n))
    cols["requested_amount"] = draw(st.lists(_values(_EDGE_NUMBERS, 1, 1e6), min_size=n, max_size=n))
    cols["monthly_income"] = draw(st.lists(_values(_EDGE_NUMBERS, 0, 1e5), min_size=n, max_size=n))
    cols["bureau_hit"] = draw(st.lists(st.sampled_from([1, 0, 1.7, None]), min_size=n, max_size=n))
    return pd.DataFrame(cols)


def _is_valid_number(v, rule: InputRule) -> bool | None:
    """True / False for a present value, None when missing."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, str):
        return False
    return not bool(rule.invalid([float(v)])[0])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_property_no_approval_on_invalid_input_and_bounded_terms(data):
    policy = data.draw(_policies())
    frame = data.draw(_inputs(policy))
    out = policy.decide(frame)
    event(f"approved rows: {'some' if (out['decision'] == 'approve').any() else 'none'}")
    assert out["decision"].isin(["approve", "refer", "decline"]).all()
    lim = out["limit"].to_numpy(dtype=float)
    assert np.isfinite(lim).all() and (lim >= 0).all()
    grid = set(policy.price_tiers.values())
    for i in range(len(frame)):
        row, o = frame.iloc[i], out.iloc[i]
        cp = policy.channels.get(o["channel"]) if o["channel"] is not None else None
        if "INVALID_" in o["reasons"] or "MISSING_" in o["reasons"]:
            assert o["decision"] != "approve" and o["limit"] == 0 and np.isnan(o["apr"])
            continue
        if o["decision"] == "decline" or cp is None or o["cell"] == "":
            assert o["limit"] == 0 and np.isnan(o["apr"])
            continue
        assert o["apr"] in grid
        if cp.max_limit is not None:
            assert o["limit"] <= cp.max_limit
        tiers = cp.completeness or policy.completeness
        cap = next(t.cap for t in tiers if t.name == o["completeness_tier"])
        if cap is not None:
            assert o["limit"] <= cap
        if policy.limit_step > 0:
            q = o["limit"] / policy.limit_step
            assert abs(q - round(q)) < 1e-6
        # every invalid input was flagged: rows with terms have valid inputs only
        for fld, rule in policy.rules.items():
            assert _is_valid_number(row[fld], rule) is not False, (fld, row[fld], o.to_dict())
        for m, b in policy.bands.items():
            if f"band_{m}" in frame.columns:
                v = row[f"band_{m}"]
                assert not isinstance(v, str) and float(v) == int(float(v)) and 0 <= int(float(v)) < b.n_bands_
            else:
                v = row[f"score_{m}"]
                assert not isinstance(v, str) and math.isfinite(float(v))
        if cp.limit_basis == "requested_multiple":
            assert _is_valid_number(row["requested_amount"], policy.rules["requested_amount"]) is True
    # the error mode names a field whenever the safe mode found an invalid input
    if out["reasons"].str.contains("INVALID_").any():
        with pytest.raises(DataError, match="invalid decision input: column"):
            policy.decide(frame, errors="raise")
    else:
        pd.testing.assert_frame_equal(policy.decide(frame, errors="raise"), out)


def test_compiled_record_path_refuses_the_measured_cases():
    """The single-record path (CompiledDecision.decide) holds the same line as the batch path."""
    from scorecard.strategy import CompiledDecision, DecisionModel

    p = _measured_policy(input_rules={"monthly_income": InputRule(min=0)})
    fast = CompiledDecision(DecisionModel({"sc": None, "bureau": None}, p, score_kinds={"bureau": "proba"}).fit())
    base = {"score_sc": 620.0, "score_bureau": 0.01, "channel": "app", "requested_amount": 10_000.0}
    assert fast.decide(base)["decision"] == "approve" and fast.decide(base)["limit"] == 20000.0
    for field, value in (("requested_amount", -10_000.0), ("requested_amount", 1e308), ("requested_amount", 10**400),
                         ("requested_amount", "lots"), ("monthly_income", -1), ("score_sc", float("inf"))):
        out = fast.decide({**base, field: value})
        assert out["decision"] == "refer" and out["limit"] == 0.0 and out["apr"] is None, (field, value)
        code = "INVALID_SCORE_SC" if field == "score_sc" else f"INVALID_{field.upper()}"
        assert out["reasons"] == code, (field, value, out["reasons"])
        with pytest.raises(DataError, match=field):
            fast.decide({**base, field: value}, errors="raise")
        # the batch path agrees
        if not isinstance(value, int) or abs(value) < 1e300:
            batch = fast.decide_batch(pd.DataFrame([{**base, field: value}]))
            assert batch["decision"].iloc[0] == "refer" and batch["reasons"].iloc[0] == code
            with pytest.raises(DataError, match=field):
                fast.decide_batch(pd.DataFrame([{**base, field: value}]), errors="raise")
