"""Tests for scorecard.strategy: bands, cross matrix, policy, simulation, optimisation, versioning.

Small generated frames with known answers; the optimiser is checked against
brute force (hypothesis) and the 200,000-row acceptance lives in
test_strategy_acceptance.py, the decision model in test_strategy_decision.py.
"""

from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard.errors import DataError, MissingColumnError, NotFittedError, ScorecardWarning, SpecError
from scorecard.strategy import (
    Cell,
    ChannelPolicy,
    CompletenessTier,
    CrossMatrix,
    Policy,
    RiskGrade,
    ScoreBands,
    compare_frontiers,
    diff,
    efficient_frontier,
    optimize,
    simulate,
    solve_cells,
    swap_set,
)
from scorecard.strategy._common import adjacent_pairs, wilson_interval

# --------------------------------------------------------------------------- #
# fixtures
# --------------------------------------------------------------------------- #


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    """Two scores, three channels, completeness fields and a logistic target."""
    rng = np.random.default_rng(7)
    n = 6000
    a = rng.normal(600, 50, n)  # points: higher = safer
    b = rng.beta(2, 20, n)  # a PD: higher = riskier
    channel = rng.choice(["api", "h5", "app"], n, p=[0.4, 0.3, 0.3])
    eta = -2.0 - (a - 600) / 40 + 8 * (b - 0.09) + np.where(channel == "api", 0.4, 0.0)
    bad = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(np.int8)
    return pd.DataFrame(
        {
            "score_sc": a,
            "score_gbm": b,
            "channel": channel,
            "bureau_hit": rng.integers(0, 2, n),
            "income_proof": rng.integers(0, 2, n),
            "requested_amount": rng.choice([5000, 10000, 20000, 50000], n),
            "loan_term_months": rng.choice([6, 12, 24], n),
            "application_month": rng.choice(["2024-01", "2024-02"], n),
            "bad": bad,
        }
    )


@pytest.fixture(scope="module")
def bands(sample) -> dict[str, ScoreBands]:
    return {
        "sc": ScoreBands(4, name="sc").fit(sample["score_sc"]),
        "gbm": ScoreBands(3, higher_is_safer=False, name="gbm").fit(sample["score_gbm"]),
    }


def _policy(bands, version="1", **kw) -> Policy:
    """A valid 4 x 3 policy on api / h5 / app."""
    dec = np.array([["approve"] * 3, ["approve", "approve", "refer"], ["approve", "refer", "decline"],
                    ["refer", "decline", "decline"]], dtype=object)
    limit = np.array([[30000, 20000, 10000], [20000, 10000, 5000], [10000, 5000, 0], [5000, 0, 0]])
    tier = np.array([["P1", "P2", "P3"], ["P2", "P2", "P3"], ["P3", "P3", None], ["P3", None, None]], dtype=object)
    reasons = np.where(dec == "decline", "HIGH_RISK", None)
    tiers = [CompletenessTier("full", {"bureau_hit": 1, "income_proof": 1}, 1.5),
             CompletenessTier("bureau", {"bureau_hit": 1}, 1.0),
             CompletenessTier("thin", {}, 0.5, cap=4000)]
    channels = {
        "api": ChannelPolicy.from_arrays(dec, limit, tier, reasons),
        "h5": ChannelPolicy.from_arrays(dec, limit, tier, reasons),
        "app": ChannelPolicy.from_arrays(dec, np.where(limit > 0, 1.0, 0), tier, reasons, limit_basis="requested_multiple"),
    }
    kw.setdefault("completeness", tiers)
    return Policy("demo", version, dict(bands), channels, price_tiers={"P1": 0.10, "P2": 0.15, "P3": 0.24},
                  known_channels=["api", "h5", "app"], limit_step=100, **kw)


@pytest.fixture(scope="module")
def policy(bands) -> Policy:
    return _policy(bands).validate()


# --------------------------------------------------------------------------- #
# ScoreBands
# --------------------------------------------------------------------------- #


def test_bands_quantiles_and_direction():
    s = np.arange(1000.0)
    b = ScoreBands(5).fit(s)
    assert b.n_bands_ == 5 and b.labels_ == list("ABCDE")
    band = b.transform(s)
    # equal shares, band 0 = highest scores (safest)
    assert np.bincount(band).tolist() == [200] * 5
    assert band[-1] == 0 and band[0] == 4
    assert (np.diff(band) <= 0).all()
    p = ScoreBands(5, higher_is_safer=False).fit(s / 1000)
    assert p.transform([0.0, 0.999]).tolist() == [0, 4]


def test_bands_given_cutoffs_left_closed_and_missing():
    b = ScoreBands(cutoffs=[600, 500, 700]).fit()
    assert b.cutoffs_.tolist() == [500, 600, 700]
    # score == cut-off goes to the interval above it (higher points = safer band)
    assert b.transform([499, 500, 600, 700, 10_000, np.nan, np.inf]).tolist() == [3, 2, 1, 0, 0, -1, -1]
    r = b.ranges()
    assert r["low"].tolist()[0] == 700 and np.isinf(r["high"].iloc[0])


def test_bands_ties_merge_with_warning_and_table():
    s = np.r_[np.zeros(900), np.arange(100.0)]
    with pytest.warns(ScorecardWarning, match="possible"):
        b = ScoreBands(10, name="tied").fit(s)
    assert b.n_bands_ < 10
    y = (np.arange(s.size) % 10 == 0).astype(int)
    t = b.table(s, y)
    assert int(t["count"].sum()) == s.size and int(t["bads"].sum()) == int(y.sum())
    assert t.iloc[-1]["label"] == "missing"


def test_bands_json_round_trip_and_errors():
    s = np.random.default_rng(0).normal(size=500)
    b = ScoreBands(6, higher_is_safer=False, name="m", labels=list("UVWXYZ")).fit(s)
    b2 = ScoreBands.from_json(b.to_json())
    assert b2 == b
    assert np.array_equal(b2.transform(s), b.transform(s))
    with pytest.raises(NotFittedError):
        ScoreBands().transform([1.0])
    with pytest.raises(DataError, match="repeat"):
        ScoreBands(cutoffs=[1, 1]).fit()
    with pytest.raises(DataError, match="labels"):
        ScoreBands(3, labels=["a", "b"]).fit(s)
    with pytest.raises(DataError, match="non-numeric"):
        ScoreBands(3).fit(pd.Series(["a", "b", "c"]))
    with pytest.raises(SpecError):
        ScoreBands.from_json('{"spec": "other"}')


# --------------------------------------------------------------------------- #
# CrossMatrix
# --------------------------------------------------------------------------- #


def test_cross_matrix_counts_rates_and_ci_match_groupby(sample, bands):
    cm = CrossMatrix(bands, lgd=0.5).fit(sample, "bad", exposure="requested_amount", segment="channel")
    t = cm.table_
    assert len(t) == 3 * 12 and cm.n_missing_ == 0
    d = sample.assign(a=bands["sc"].transform(sample.score_sc), g=bands["gbm"].transform(sample.score_gbm))
    ref = d.groupby(["channel", "a", "g"]).agg(n=("bad", "size"), bads=("bad", "sum"), ex=("requested_amount", "sum"))
    got = t.set_index(["segment", "sc", "gbm"])
    for key, row in ref.iterrows():
        assert got.loc[key, "count"] == row.n and got.loc[key, "bads"] == row.bads
        assert got.loc[key, "bad_rate"] == pytest.approx(row.bads / row.n)
        assert got.loc[key, "expected_loss"] == pytest.approx(row.bads / row.n * 0.5 * row.ex)
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = proportion_confint(t["bads"], t["count"], alpha=0.05, method="wilson")
    np.testing.assert_allclose(t["ci_low"], lo, atol=1e-12)
    np.testing.assert_allclose(t["ci_high"], hi, atol=1e-12)
    assert t.groupby("segment")["share"].sum().round(12).eq(1).all()
    # pivot pools segments
    pv = cm.pivot("count")
    assert int(pv.to_numpy().sum()) == len(sample)
    assert list(pv.index) == bands["sc"].labels_ and list(pv.columns) == bands["gbm"].labels_


def test_cross_matrix_monotonicity_lists_breaking_cells():
    bands = {"a": ScoreBands(cutoffs=[1.5, 2.5], higher_is_safer=False).fit(),
             "b": ScoreBands(cutoffs=[1.5], higher_is_safer=False).fit()}
    # bad rates by (a, b): row a=1 has a lower bad rate than row a=0 at b=0
    rates = {(0, 0): 0.05, (1, 0): 0.02, (2, 0): 0.10, (0, 1): 0.10, (1, 1): 0.15, (2, 1): 0.20}
    rows = []
    for (i, j), r in rates.items():
        nb = int(r * 1000)
        rows += [{"a": i + 1, "b": j + 1, "bad": 1}] * nb + [{"a": i + 1, "b": j + 1, "bad": 0}] * (1000 - nb)
    frame = pd.DataFrame(rows)
    rep = CrossMatrix(bands).fit(frame, "bad").check_monotone()
    assert not rep.ok and rep.checked == 7
    assert rep.violations[["axis", "safer_cell", "riskier_cell"]].values.tolist() == [["a", "A|A", "B|A"]]
    assert rep.violations["drop"].iloc[0] == pytest.approx(0.03)
    assert CrossMatrix(bands).fit(frame, "bad").check_monotone(tolerance=0.05).ok


def test_cross_matrix_heatmap_and_missing_scores(sample, bands):
    import matplotlib

    matplotlib.use("Agg")
    frame = sample.copy()
    frame.loc[frame.index[:10], "score_gbm"] = np.nan
    cm = CrossMatrix(bands).fit(frame, "bad")
    assert cm.n_missing_ == 10 and int(cm.table_["count"].sum()) == len(frame) - 10
    ax = cm.heatmap("bad_rate")
    assert len(ax.texts) == 12
    with pytest.raises(MissingColumnError, match="score_other"):
        CrossMatrix({"other": bands["sc"]}).fit(sample, "bad")


def test_wilson_interval_edges():
    lo, hi = wilson_interval([0, 5, 0], [10, 5, 0])
    assert lo[0] == 0 and hi[1] == 1 and np.isnan(lo[2])


# --------------------------------------------------------------------------- #
# Policy: validation
# --------------------------------------------------------------------------- #


def test_policy_valid_and_matrix(policy):
    assert policy.problems() == []
    m = policy.matrix("api")
    assert m.shape == (4, 3) and m.iloc[0, 0] == "approve" and m.iloc[3, 2] == "decline"


def _edit(policy: Policy, channel: str, bands: tuple[int, ...], **changes) -> Policy:
    p = Policy.from_json(policy.to_json())
    for c in p.channels[channel].cells:
        if tuple(c.bands) == bands:
            for k, v in changes.items():
                setattr(c, k, v)
    return p


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda p: _edit(p, "h5", (2, 0), limit=25000.0), r"channel 'h5'.*riskier cell sc=C, gbm=A gets a higher limit \(25000\)"),
        (lambda p: _edit(p, "api", (0, 2), price_tier="P1"), r"channel 'api'.*riskier cell sc=A, gbm=C gets a lower price"),
        (lambda p: _edit(p, "api", (3, 2), decision="approve", limit=100.0, price_tier="P3"),
         r"riskier cell sc=D, gbm=C gets 'approve' but the safer cell"),
        (lambda p: _drop_cell(p, "app", (1, 1)), r"channel 'app': 1 cell\(s\) of the 12-cell grid are undefined \(sc=B, gbm=B\)"),
        (lambda p: _rename_channel(p, "app", "web"), r"channel 'web' is not a known channel \(known channels: api, h5, app\)"),
        (lambda p: _edit(p, "api", (0, 0), decision="maybe"), r"cell sc=A, gbm=A: decision 'maybe' is not one of"),
        (lambda p: _edit(p, "api", (0, 0), price_tier="P9"), r"price tier 'P9' is not in price_tiers"),
        (lambda p: _edit(p, "api", (0, 0), limit=None), r"needs a limit"),
        (lambda p: _set(p, missing_score_decision="approve"), r"missing_score_decision must be 'refer' or 'decline'"),
        (lambda p: _set(p, completeness=[CompletenessTier("x", {"bureau_hit": 1})]), r"last completeness tier 'x' must require nothing"),
        (lambda p: _dup_cell(p, "h5", (0, 0)), r"cell sc=A, gbm=A is defined twice"),
    ],
)
def test_policy_validation_rejects(policy, mutate, message):
    bad = mutate(policy)
    with pytest.raises(SpecError, match=message):
        bad.validate()
    with pytest.raises(SpecError):
        bad.to_json()  # never written
    with pytest.raises(SpecError):
        bad.decide(pd.DataFrame({"score_sc": [600.0], "score_gbm": [0.1], "channel": ["api"]}))


def _drop_cell(p, ch, bands):
    p = Policy.from_json(p.to_json())
    p.channels[ch].cells = [c for c in p.channels[ch].cells if tuple(c.bands) != bands]
    return p


def _dup_cell(p, ch, bands):
    p = Policy.from_json(p.to_json())
    p.channels[ch].cells.append(Cell(bands, "approve", 30000.0, "P1"))
    return p


def _rename_channel(p, old, new):
    p = Policy.from_json(p.to_json())
    p.channels[new] = p.channels.pop(old)
    return p


def _set(p, **kw):
    p = Policy.from_json(p.to_json())
    for k, v in kw.items():
        setattr(p, k, v)
    return p


def test_policy_json_round_trip_identical_decisions(policy, sample):
    text = policy.to_json()
    again = Policy.from_json(text)
    assert again == policy
    assert again.to_json() == text  # byte-identical
    pd.testing.assert_frame_equal(again.decide(sample), policy.decide(sample))
    assert json.loads(text)["channels"]["app"]["limit_basis"] == "requested_multiple"
    with pytest.raises(SpecError, match="not a policy"):
        Policy.from_json('{"spec": "x"}')
    with pytest.raises(SpecError, match="not valid JSON"):
        Policy.from_json("{not json")


# --------------------------------------------------------------------------- #
# Policy: decisions
# --------------------------------------------------------------------------- #


def test_decide_terms_completeness_and_safe_decisions(policy, bands):
    a_hi = float(bands["sc"].cutoffs_[-1]) + 1  # band A of sc
    g_lo = float(bands["gbm"].cutoffs_[0]) / 2  # band A of gbm
    frame = pd.DataFrame(
        {
            "score_sc": [a_hi, a_hi, a_hi, a_hi, np.nan, a_hi, a_hi],
            "score_gbm": [g_lo, g_lo, g_lo, g_lo, g_lo, g_lo, g_lo],
            "channel": ["api", "api", "api", "app", "api", "web", None],
            "bureau_hit": [1, 1, 0, 1, 1, 1, 1],
            "income_proof": [1, 0, 1, 1, 1, 1, 1],
            "requested_amount": [9999, 9999, 9999, 12345, 5000, 5000, 5000],
        }
    )
    out = policy.decide(frame)
    assert out["decision"].tolist() == ["approve", "approve", "approve", "approve", "refer", "decline", "decline"]
    assert out["completeness_tier"].tolist()[:4] == ["full", "bureau", "thin", "full"]
    # 30000 x 1.5; 30000 x 1.0; min(30000 x 0.5, 4000); 1.0 x 12345 x 1.5 rounded down to 100
    assert out["limit"].tolist() == [45000.0, 30000.0, 4000.0, 18500.0, 0.0, 0.0, 0.0]
    assert out["apr"].tolist()[:4] == [0.10] * 4 and np.isnan(out["apr"].iloc[4])
    assert out["reasons"].tolist()[4:] == ["MISSING_SCORE_SC", "UNKNOWN_CHANNEL", "MISSING_CHANNEL"]
    # a requested_multiple channel without an amount: the safe decision
    out2 = policy.decide(frame.assign(requested_amount=np.nan).iloc[[3]])
    assert out2["decision"].iloc[0] == "refer" and out2["reasons"].iloc[0] == "MISSING_REQUESTED_AMOUNT"
    # absent completeness fields count as not supplied
    out3 = policy.decide(frame.drop(columns=["bureau_hit", "income_proof"]).iloc[[0]])
    assert out3["completeness_tier"].iloc[0] == "thin" and out3["limit"].iloc[0] == 4000.0
    with pytest.raises(MissingColumnError, match="score_gbm"):
        policy.decide(frame.drop(columns=["score_gbm"]))
    lax = policy.decide(frame.drop(columns=["score_gbm"]), strict=False)
    assert set(lax["decision"].iloc[:5]) == {"refer"}


def test_decide_uses_band_columns(policy, sample):
    banded = sample.assign(band_sc=policy.bands["sc"].transform(sample.score_sc),
                           band_gbm=policy.bands["gbm"].transform(sample.score_gbm)).drop(columns=["score_sc", "score_gbm"])
    pd.testing.assert_frame_equal(policy.decide(banded), policy.decide(sample))


# --------------------------------------------------------------------------- #
# simulate and swap sets
# --------------------------------------------------------------------------- #


def test_simulate_matches_manual_computation(policy, sample):
    res = simulate(policy, sample, target="bad", lgd=0.6, by="application_month")
    dec = policy.decide(sample)
    app = dec["decision"] == "approve"
    expo = np.minimum(dec["limit"], sample["requested_amount"]).where(app, 0.0)
    all_ = res.summary.loc["all"]
    assert all_["applications"] == len(sample)
    assert all_["approval_rate"] == pytest.approx(app.mean())
    assert all_["bad_rate_approved"] == pytest.approx(sample.loc[app, "bad"].mean())
    assert all_["exposure"] == pytest.approx(expo.sum())
    assert all_["expected_loss"] == pytest.approx((expo * 0.6 * sample["bad"]).sum())
    rev = (expo * dec["apr"].fillna(0) * sample["loan_term_months"] / 12 * (1 - sample["bad"])).sum()
    assert all_["expected_revenue"] == pytest.approx(rev)
    assert all_["expected_profit"] == pytest.approx(rev - all_["expected_loss"])
    for ch in ("api", "h5", "app"):
        m = sample["channel"] == ch
        assert res.summary.loc[ch, "approval_rate"] == pytest.approx(app[m].mean())
    months = res.by["application_month"]
    assert months.loc[("all", "2024-01"), "applications"] + months.loc[("all", "2024-02"), "applications"] == len(sample)
    # refer counted as approved
    res2 = simulate(policy, sample, refer_as="approve")
    assert res2.approval_rate() == pytest.approx(dec["decision"].isin(["approve", "refer"]).mean())
    # a pd column instead of outcomes
    res3 = simulate(policy, sample.assign(p=0.1), pd_column="p")
    assert res3.summary.loc["all", "expected_loss"] == pytest.approx(0.1 * expo.sum())


def test_swap_set(policy, sample):
    tighter = _edit(policy, "api", (2, 0), decision="refer").validate()
    sw = swap_set(policy, tighter, sample)
    out = sw[sw["swap"] == "out"]
    assert set(out.index.get_level_values("channel")) == {"api", "all"}
    d0, d1 = policy.decide(sample)["decision"], tighter.decide(sample)["decision"]
    moved = (d0 == "approve") & (d1 != "approve")
    assert int(out.loc["all", "count"].sum()) == int(moved.sum())
    assert sw[sw["swap"] == "in"].empty
    res = simulate(tighter, sample, baseline=policy)
    assert res.swap.equals(sw)


# --------------------------------------------------------------------------- #
# diff and versions
# --------------------------------------------------------------------------- #


def test_diff_self_is_empty_and_lists_changes(policy, sample):
    d = diff(policy, Policy.from_json(policy.to_json()))
    assert d.empty and not d and d.cells.empty and d.settings.empty
    v2 = _edit(policy, "h5", (1, 1), limit=8000.0)
    v2 = _set(v2, version="2", price_tiers={"P1": 0.10, "P2": 0.15, "P3": 0.26})
    d = diff(policy, v2, frame=sample)
    assert d and d.new == "demo@2"
    limit_rows = d.cells[d.cells["field"] == "limit"]
    assert limit_rows[["channel", "cell", "old", "new"]].values.tolist() == [["h5", "B|B", 10000.0, 8000.0]]
    apr_rows = d.cells[d.cells["field"] == "apr"]
    assert len(apr_rows) > 0 and set(apr_rows["new"]) == {0.26}
    assert d.settings["item"].tolist() == ["price_tiers"]
    eff = d.effect
    assert eff.loc["all", "approval_rate_change"] == 0
    assert eff.loc["h5", "exposure_change"] < 0
    assert "h5" in d.summary()


# --------------------------------------------------------------------------- #
# optimisation: exactness
# --------------------------------------------------------------------------- #


def _brute_force(count, bads, ceiling, shape, monotone):
    n = len(count)
    pairs = adjacent_pairs(shape)
    best = None
    for x in itertools.product([0, 1], repeat=n):
        x = np.array(x)
        if monotone and any(x[r] > x[s] for _, s, r in pairs):
            continue
        na, nb = int(count @ x), int(bads @ x)
        if nb > ceiling * na + 1e-12:
            continue
        key = (na, -nb, -int(x.sum()))
        if best is None or key > best[0]:
            best = (key, x)
    return best


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    shape=st.sampled_from([(2, 2), (2, 3), (3, 3), (4,), (6,), (2, 2, 2)]),
    data=st.data(),
    ceiling=st.sampled_from([0.0, 0.03, 0.05, 0.08, 0.1, 0.2, 0.35]),
    monotone=st.booleans(),
)
def test_cp_sat_matches_brute_force(shape, data, ceiling, monotone):
    n = int(np.prod(shape))
    count = np.array(data.draw(st.lists(st.integers(0, 60), min_size=n, max_size=n)))
    bads = np.array([data.draw(st.integers(0, int(c))) for c in count])
    level, status = solve_cells(count, bads, ceiling, shape=shape, monotone=monotone)
    assert status == "OPTIMAL"
    (key, x) = _brute_force(count, bads, ceiling, shape, monotone)
    got = (int(count @ level), -int(bads @ level), -int(level.sum()))
    assert got == key  # same optimum, same tie-breaks
    if len(shape) == 1 and monotone:
        lt, _ = solve_cells(count, bads, ceiling, solver="threshold")
        assert (int(count @ lt), -int(bads @ lt)) == key[:2]


@settings(max_examples=25, deadline=None)
@given(data=st.data(), ceiling=st.sampled_from([0.02, 0.06, 0.12]))
def test_cp_sat_profit_with_limit_levels_matches_brute_force(data, ceiling):
    shape = (2, 2)
    n, K = 4, 2
    count = np.array(data.draw(st.lists(st.integers(1, 40), min_size=n, max_size=n)))
    bads = np.array([data.draw(st.integers(0, int(c))) for c in count])
    values = np.array(data.draw(st.lists(st.lists(st.integers(-500, 500), min_size=K, max_size=K), min_size=n, max_size=n)))
    level, status = solve_cells(count, bads, ceiling, shape=shape, values=values)
    assert status == "OPTIMAL"
    pairs = adjacent_pairs(shape)
    best = None
    for lv in itertools.product(range(K + 1), repeat=n):
        lv = np.array(lv)
        if any(lv[r] > lv[s] for _, s, r in pairs):
            continue
        x = lv > 0
        if bads[x].sum() > ceiling * count[x].sum() + 1e-12:
            continue
        v = sum(values[i, lv[i] - 1] for i in range(n) if lv[i] > 0)
        best = v if best is None else max(best, v)
    got = sum(values[i, level[i] - 1] for i in range(n) if level[i] > 0)
    assert got == best


def test_solver_ceiling_is_exact_and_errors():
    # 5 bads in 100 is exactly 5%: feasible at 0.05, not at 0.0499
    assert solve_cells([100], [5], 0.05)[0].tolist() == [1]
    assert solve_cells([100], [5], 0.0499)[0].tolist() == [0]
    with pytest.raises(DataError, match="ceiling"):
        solve_cells([10], [1], 1.5)
    with pytest.raises(DataError, match="bads"):
        solve_cells([10], [11], 0.5)
    with pytest.raises(DataError, match="threshold"):
        solve_cells([1, 1, 1, 1], [0, 0, 0, 0], 0.1, shape=(2, 2), solver="threshold")


def test_optimize_policy_respects_ceiling_and_round_trips(sample, bands):
    ceilings = {"api": 0.06, "h5": 0.05, "app": 0.05}
    grades = [RiskGrade("P1", 0.03, 0.10, 30000), RiskGrade("P2", 0.08, 0.16, 15000), RiskGrade("P3", 1.0, 0.24, 5000)]
    res = optimize(sample, bands, max_bad_rate=ceilings, grades=grades)
    for ch, c in ceilings.items():
        assert res.summary.loc[ch, "bad_rate"] <= c
        assert res.summary.loc[ch, "status"] == "OPTIMAL"
    pol = res.to_policy("opt", "1", known_channels=["api", "h5", "app"])
    sim = simulate(pol, sample)
    for ch in ceilings:
        assert sim.approval_rate(ch) == pytest.approx(res.approval_rate(ch))
        assert sim.bad_rate(ch) == pytest.approx(res.summary.loc[ch, "bad_rate"])
    again = Policy.from_json(pol.to_json())
    pd.testing.assert_frame_equal(again.decide(sample), pol.decide(sample))
    assert diff(pol, again).empty
    # declined cells carry reasons
    cells = pol.cells_frame()
    declined = cells[cells["decision"] == "decline"]
    assert declined["reasons"].str.startswith("ABOVE_RISK_APPETITE;SC_BAND_").all()
    with pytest.raises(DataError, match="no ceiling for channel"):
        optimize(sample, bands, max_bad_rate={"api": 0.05})


def test_optimize_profit_with_limit_options(sample, bands):
    grades = [RiskGrade("P1", 0.05, 0.12, 20000), RiskGrade("P2", 1.0, 0.30, 5000)]
    res = optimize(sample, bands, max_bad_rate=0.08, objective="profit", grades=grades,
                   limit_options=[2000, 10000, 30000], lgd=0.6)
    assert (res.summary["status"] == "OPTIMAL").all()
    pol = res.to_policy("profit", "1")
    assert pol.problems() == []
    sim = simulate(pol, sample, lgd=0.6)
    for ch in ("api", "h5", "app"):
        assert sim.summary.loc[ch, "expected_profit"] == pytest.approx(res.summary.loc[ch, "expected_profit"], rel=1e-9)
    # the optimum beats approving every cell at the smallest limit when that is feasible
    assert res.summary.loc["all", "expected_profit"] > 0


def test_efficient_frontier_and_cross_dominates(sample, bands):
    ceilings = [0.03, 0.05, 0.08, 0.12]
    fr = compare_frontiers(sample, bands, ceilings, channel=None)
    assert set(fr["models"]) == {"sc", "gbm", "sc x gbm"}
    piv = fr.pivot_table(index="max_bad_rate", columns="models", values="approval_rate")
    # approval never falls as the ceiling rises; the cross never approves fewer than either model
    assert (piv.diff().dropna() >= 0).all().all()
    assert (piv["sc x gbm"] >= piv[["sc", "gbm"]].max(axis=1) - 1e-12).all()
    assert (fr["bad_rate"].fillna(0) <= fr["max_bad_rate"] + 1e-12).all()
    one = efficient_frontier(sample, {"sc": bands["sc"]}, [0.05], solver="cp-sat")
    two = efficient_frontier(sample, {"sc": bands["sc"]}, [0.05], solver="threshold")
    pd.testing.assert_frame_equal(one, two)
