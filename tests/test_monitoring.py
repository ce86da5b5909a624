"""Tests of scorecard.monitoring: every figure against the metric functions, alerts, incremental, sources.

One small world for the module: a scorecard fitted on 6,000 synthetic
applications, its baseline on 3,000 hold-out rows, and 8 production months of
2,000 rows with drift from the 6th month (utilisation tilted up, income
blanked, an unseen loan purpose), labels read in 2025-06 (the first 6 cohorts
matured at 12 months).
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from scorecard import LogisticScorecard, metrics
from scorecard.datasets import make_applications, make_production_months
from scorecard.errors import DataError, MissingColumnError, ScorecardWarning, SpecError
from scorecard.export import CompiledScorer
from scorecard.monitoring import (
    Monitor,
    auc_from_counts,
    bootstrap_from_counts,
    hosmer_lemeshow_from_counts,
    ks_from_counts,
    log_to_mlflow,
    psi_from_counts,
    quantile_edges,
    simulate_null,
)

COLS = ["credit_utilization", "monthly_income", "loan_purpose", "bureau_score", "n_inquiries_6m",
        "debt_to_income", "age", "employment_type"]
DRIFT_START = 5  # 2024-06


@pytest.fixture(scope="module")
def world():
    dev = make_applications(9000, random_state=3)
    train, hold = dev.iloc[:6000], dev.iloc[6000:].reset_index(drop=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScorecardWarning)
        model = LogisticScorecard().fit(train[COLS], train["bad"])
    apps, labels = make_production_months(
        2000, 5, n_months=8, drift_start=DRIFT_START, drift={"credit_utilization": 2.0},
        missing={"monthly_income": 0.3}, unseen={"loan_purpose": 0.15}, as_of="2025-06",
    )
    return {"model": model, "hold": hold, "apps": apps, "labels": labels}


@pytest.fixture(scope="module")
def monitor(world):
    mon = Monitor(world["model"], n_boot=200).fit_baseline(world["hold"], world["hold"]["bad"], segment="channel")
    mon.observe(world["apps"], segment="channel")
    mon.add_outcomes(world["apps"], world["labels"])
    return mon


def _points(model, frame):
    return CompiledScorer.from_model(model, n_reasons=0).predict(frame[model.features_], reasons=False)["points"].to_numpy()


# --------------------------------------------------------------------------- #
# count kernels == metric functions
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_count_kernels_equal_metric_functions(seed):
    rng = np.random.default_rng(seed)
    n = 3000
    pts = rng.integers(450, 700, n)
    p = 1 / (1 + np.exp((pts - 560) / 29))
    y = (rng.random(n) < p).astype(int)
    vals, inv = np.unique(pts, return_inverse=True)
    order = np.argsort(-vals)  # increasing risk
    nb = np.bincount(inv, minlength=vals.size)[order]
    bb = np.bincount(inv, weights=y, minlength=vals.size).astype(int)[order]
    assert auc_from_counts(bb, nb - bb) == pytest.approx(metrics.auc(y, -pts), abs=1e-12)
    assert ks_from_counts(bb, nb - bb) == pytest.approx(metrics.ks(y, -pts), abs=1e-12)
    p_v = 1 / (1 + np.exp((vals[order] - 560) / 29))
    stat, pv, dof, _ = hosmer_lemeshow_from_counts(p_v, nb, bb)
    hl = metrics.hosmer_lemeshow(y, p)
    assert (stat, dof) == (pytest.approx(hl.statistic, rel=1e-9), hl.dof)
    assert pv == pytest.approx(hl.pvalue, rel=1e-9)
    # quantile edges and PSI == psi_table's bands and psi
    other = rng.integers(460, 720, 2000)
    table = metrics.psi_table(pts, other, bins=10)
    edges = quantile_edges(vals.astype(float), np.bincount(inv), 10)
    assert edges.tolist() == table["upper"].to_numpy()[:-1].tolist()
    e = np.bincount(np.searchsorted(edges, pts, side="left"), minlength=edges.size + 1)
    a = np.bincount(np.searchsorted(edges, other, side="left"), minlength=edges.size + 1)
    assert psi_from_counts(e, a) == pytest.approx(metrics.psi(pts, other, bins=10), abs=1e-12)
    # bootstrap on counts: same distribution as the stratified row bootstrap
    ci = bootstrap_from_counts(bb, nb - bb, n_boot=400, random_state=seed)
    ref = metrics.auc_ci(y, -pts, n_boot=400, random_state=seed)
    assert ci["auc"][0] == pytest.approx(ref.low, abs=0.01)
    assert ci["auc"][1] == pytest.approx(ref.high, abs=0.01)


# --------------------------------------------------------------------------- #
# every monitoring figure == the metric function on the same rows
# --------------------------------------------------------------------------- #
def test_period_figures_equal_metric_functions(world, monitor):
    model, hold, apps = world["model"], world["hold"], world["apps"]
    month = "2024-07"
    rows = apps[apps["application_month"] == month]
    dev_pts, pts = _points(model, hold), _points(model, rows)
    per = monitor.period_table().set_index("period").loc[month]
    assert per["volume"] == len(rows)
    assert per["score_psi"] == pytest.approx(metrics.psi(dev_pts, pts, bins=10), abs=1e-12)
    p = monitor.p_bad(pts)
    assert per["expected_bad_rate"] == pytest.approx(p.mean(), rel=1e-12)
    # CBPE AUC: every row is a bad with weight p and a good with weight 1 - p
    from sklearn.metrics import roc_auc_score

    exp_auc = roc_auc_score(np.r_[np.ones(len(p)), np.zeros(len(p))], np.r_[-pts, -pts], sample_weight=np.r_[p, 1 - p])
    assert per["expected_auc"] == pytest.approx(exp_auc, abs=1e-9)
    # CSI and rates from the binner's own bin indices
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScorecardWarning)
        e_idx = model.binner_.transform(hold[model.features_], output="index", features=model.features_)
        a_idx = model.binner_.transform(rows[model.features_], output="index", features=model.features_)
    csi = metrics.csi(pd.DataFrame(e_idx, columns=model.features_), pd.DataFrame(a_idx, columns=model.features_))
    ft = monitor.feature_table()
    ft = ft[ft["period"] == month].set_index("feature")
    for j, f in enumerate(model.features_):
        assert ft.loc[f, "csi"] == pytest.approx(csi[f], abs=1e-12), f
        kinds = model.binner_.binning_table(f)["kind"].to_numpy()[:-1]
        assert ft.loc[f, "missing_rate"] == pytest.approx(np.isin(a_idx[:, j], np.flatnonzero(kinds == "missing")).mean())
        assert ft.loc[f, "special_rate"] == pytest.approx(np.isin(a_idx[:, j], np.flatnonzero(kinds == "special")).mean())
    # fallbacks: the scorer's per-row count, all on loan_purpose (the unseen category)
    n_fb = CompiledScorer.from_model(model, n_reasons=0).predict(rows[model.features_], reasons=False)["n_fallback"]
    assert int(n_fb.sum()) > 0
    assert ft.loc["loan_purpose", "fallback_rate"] * len(rows) == pytest.approx(int(n_fb.sum()))
    assert (rows["loan_purpose"] == "unseen_category").sum() == int(n_fb.sum())


def test_cohort_figures_equal_metric_functions(world, monitor):
    from scorecard.validation import jeffreys_test

    model, apps, labels = world["model"], world["apps"], world["labels"]
    cohort = "2024-03"
    rows = apps[apps["application_month"] == cohort].merge(labels, on="application_id")
    assert (rows["months_on_book"] >= 12).all()
    y = (rows["first_bad_mob"] <= 12).astype(int).to_numpy()
    pts = _points(model, rows)
    p = monitor.p_bad(pts)
    c = monitor.cohort_table().set_index("cohort").loc[cohort]
    assert c["matured"] == len(rows) and c["maturity"] == 1.0
    assert c["bads"] == y.sum()
    assert c["bad_rate"] == pytest.approx(y.mean())
    assert c["predicted_bad_rate"] == pytest.approx(p.mean(), rel=1e-12)
    assert c["auc"] == pytest.approx(metrics.auc(y, -pts), abs=1e-12)
    assert c["gini"] == pytest.approx(metrics.gini(y, -pts), abs=1e-12)
    assert c["ks"] == pytest.approx(metrics.ks(y, -pts), abs=1e-12)
    assert c["auc_low"] < c["auc"] < c["auc_high"]
    hl = metrics.hosmer_lemeshow(y, p)
    assert c["hl_statistic"] == pytest.approx(hl.statistic, rel=1e-9)
    assert c["hl_pvalue"] == pytest.approx(hl.pvalue, rel=1e-9)
    grades = monitor.calibration_table(cohort)
    edges = np.asarray(monitor.baseline_["edges"])
    band = np.searchsorted(edges, pts, side="left")
    for g in grades.itertuples():
        sel = band == g.grade - 1
        assert (g.n, g.bads) == (sel.sum(), y[sel].sum())
        assert g.predicted_pd == pytest.approx(p[sel].mean(), rel=1e-12)
        assert g.jeffreys_p == pytest.approx(jeffreys_test(int(y[sel].sum()), int(sel.sum()), float(p[sel].mean())))
    # the young cohorts: labelled but not matured
    young = monitor.cohort_table().set_index("cohort").loc["2024-08"]
    assert young["maturity"] == 0.0 and np.isnan(young["auc"])


def test_estimated_agrees_with_realised_on_same_distribution(monitor):
    """CBPE before labels vs realised: per matured cohort of 2,000 rows, |bad rate gap| <= 0.025 and
    |AUC gap| <= 0.04 (about 3 standard errors); pooled over the five stationary cohorts, 0.01 and 0.02."""
    c = monitor.cohort_table()
    c = c[(c["cohort"] < "2024-06") & (c["maturity"] == 1.0)]
    assert len(c) == 5
    assert (abs(c["estimated_bad_rate"] - c["bad_rate"]) <= 0.025).all()
    assert (abs(c["estimated_auc"] - c["auc"]) <= 0.04).all()
    assert abs((c["estimated_bad_rate"] - c["bad_rate"]).mean()) <= 0.01
    assert abs((c["estimated_auc"] - c["auc"]).mean()) <= 0.02


# --------------------------------------------------------------------------- #
# alerts
# --------------------------------------------------------------------------- #
def test_drifted_months_raise_the_expected_alerts(monitor):
    alerts = monitor.alerts(log=False)
    assert list(alerts["light"]) == sorted(alerts["light"], key=lambda x: x != "red")  # red first
    last = alerts[(alerts["period"] == "2024-08") & (alerts["segment"] == "all")]
    found = {(a.check, a.feature, a.light) for a in last.itertuples()}
    assert ("csi", "credit_utilization", "red") in found
    assert ("fallback_rate", "loan_purpose", "red") in found
    assert ("missing_rate", "monthly_income", "red") in found
    assert any(a.check == "score_psi" for a in last.itertuples())
    # every alert names what moved: no CSI alert on a feature the generator did not move
    moved = {"credit_utilization", "monthly_income", "loan_purpose", "bureau_score", "n_inquiries_6m",
             "debt_to_income"}  # drifted, and the features correlated with utilisation
    assert set(alerts.loc[alerts["check"] == "csi", "feature"]) <= moved


def test_same_distribution_months_raise_no_population_alert(monitor):
    alerts = monitor.alerts(log=False)
    before = alerts[alerts["period"] < "2024-06"]
    assert before.empty, before.to_string()


def test_alerts_are_logged_as_warnings(monitor, caplog):
    with caplog.at_level("WARNING", logger="scorecard.monitoring"):
        table = monitor.alerts()
    assert len(caplog.records) == len(table) > 0
    assert "credit_utilization" in caplog.text


def test_false_alarm_rate_on_simulated_months(monitor):
    """Same-distribution months drawn from the baseline's count tables: population checks never fire;
    all checks together stay within the documented rate (yellow or red in at most 20% of months, red 5%)."""
    t = simulate_null(monitor, n_months=60, n_per_month=2000, random_state=1).set_index("check")
    for check in ("score_psi", "csi", "missing_rate", "special_rate", "fallback_rate"):
        assert check not in t.index
    assert t.loc["any", "yellow_or_red"] <= 0.20
    assert t.loc["any", "red"] <= 0.05


def test_thresholds_are_configurable(world, monitor):
    strict = Monitor.from_dict(monitor.to_dict())
    strict.thresholds["csi"] = (0.001, 0.002)
    assert (strict.alerts(log=False)["check"] == "csi").sum() > (monitor.alerts(log=False)["check"] == "csi").sum()
    with pytest.raises(ValueError, match="unknown threshold"):
        Monitor(world["model"], thresholds={"psi_typo": (0.1, 0.2)})


# --------------------------------------------------------------------------- #
# incremental, persistence, sources
# --------------------------------------------------------------------------- #
def test_incremental_equals_full_recompute(world, monitor):
    apps = world["apps"]
    inc = Monitor(world["model"], n_boot=200).fit_baseline(world["hold"], world["hold"]["bad"], segment="channel")
    for month, rows in apps.groupby("application_month", sort=True):
        inc.observe(rows, segment="channel", chunk_rows=777)
        if month == "2024-03":
            before = {k: v for k, v in inc._cache.items() if k[0] == "period"}
            inc.period_table()
            cached = dict(inc._cache)
    inc.add_outcomes(apps, world["labels"])
    assert inc.to_json() == monitor.to_json()
    pd.testing.assert_frame_equal(inc.period_table(segments=True), monitor.period_table(segments=True))
    pd.testing.assert_frame_equal(inc.cohort_table(), monitor.cohort_table())
    pd.testing.assert_frame_equal(inc.alerts(log=False), monitor.alerts(log=False))
    assert not before
    # a new month does not recompute the past: the old periods' figures are the same objects
    inc2 = Monitor.from_dict(inc.to_dict())
    inc2.period_table()
    old = {k: v for k, v in inc2._cache.items() if k[0] == "period"}
    extra = apps[apps["application_month"] == "2024-08"].assign(application_date=pd.Timestamp("2024-09-15"))
    inc2.observe(extra, segment="channel")
    inc2.period_table()
    for k, v in old.items():
        assert inc2._cache[k] is v
    assert ("period", "2024-09") in inc2._cache
    assert cached


def test_state_is_json_of_counts_and_round_trips(monitor):
    text = monitor.to_json()
    state = json.loads(text)
    assert state["spec"] == "scorecard.monitor"
    assert "application_id" not in text  # no rows, no keys
    again = Monitor.from_json(text)
    assert again.to_json() == text
    pd.testing.assert_frame_equal(again.cohort_table(), monitor.cohort_table())
    with pytest.raises(SpecError):
        Monitor.from_dict({"spec": "scorecard.monitor", "version": 99})


def test_parquet_and_duckdb_sources_equal_pandas(world, monitor, tmp_path):
    import duckdb

    apps = world["apps"]
    path = tmp_path / "apps.parquet"
    apps.to_parquet(path)
    ref = Monitor(world["model"], n_boot=200).fit_baseline(world["hold"], world["hold"]["bad"])
    ref.observe(apps)
    for source in (path, duckdb.connect().read_parquet(str(path))):
        mon = Monitor(world["model"], n_boot=200).fit_baseline(world["hold"], world["hold"]["bad"])
        mon.observe(source, chunk_rows=3000)
        assert mon.to_json() == ref.to_json()
    mon = Monitor(world["model"], n_boot=200).fit_baseline(world["hold"], world["hold"]["bad"], segment="channel")
    mon.observe(apps, segment="channel")
    mon.add_outcomes(path, world["labels"])
    assert mon.to_json() == monitor.to_json()


def test_model_as_spec_and_bad_input(world):
    spec = world["model"].to_json()
    mon = Monitor(spec).fit_baseline(world["hold"])
    assert mon.model_info_["source"] == "spec"
    with pytest.raises(DataError, match="no baseline"):
        Monitor(spec).observe(world["apps"])
    with pytest.raises(MissingColumnError):
        mon.observe(world["apps"].drop(columns="credit_utilization"))
    with pytest.raises(MissingColumnError):
        mon.observe(world["apps"], date="no_such_date")
    with pytest.raises(SpecError):
        Monitor("{not json")
    with pytest.raises(DataError, match="cannot be monitored"):
        Monitor(object())
    with pytest.raises(DataError, match="duplicated"):
        mon.add_outcomes(world["apps"], pd.concat([world["labels"].head(3)] * 2))


def test_policy_decision_mix(world):
    from scorecard.strategy import ChannelPolicy, Policy, ScoreBands

    model, hold, apps = world["model"], world["hold"], world["apps"]
    cut = float(np.median(_points(model, hold)))
    bands = {"champion": ScoreBands(cutoffs=[cut], name="champion").fit()}
    channel = ChannelPolicy.from_arrays(["approve", "decline"], limit=1000.0, price_tier="P1")
    policy = Policy("demo", "1", bands, {c: channel for c in ("api", "h5", "app")}, price_tiers={"P1": 0.1})
    mon = Monitor(model, policy=policy, n_boot=100).fit_baseline(hold, hold["bad"])
    mon.observe(apps)
    dec = mon.decision_table().set_index("period")
    rows = apps[apps["application_month"] == "2024-02"]
    expected = policy.decide(rows.assign(score_champion=_points(model, rows)), strict=False)["decision"]
    assert dec.loc["2024-02", "approve"] == pytest.approx((expected == "approve").mean())
    assert mon.period_table().set_index("period").loc["2024-02", "approval_rate"] == pytest.approx(
        (expected == "approve").mean())
    # drift lowers the score: fewer approvals in the last month, and an alert
    assert dec.loc["2024-08", "approve"] < dec.loc["2024-02", "approve"]
    assert "approval_rate" in set(mon.alerts(log=False)["check"])
    assert Monitor.from_json(mon.to_json()).decision_table().equals(mon.decision_table())


def test_report_html(monitor):
    from scorecard.monitoring import SECTION_IDS

    html = monitor.report().html()
    assert html.index('id="alerts"') < html.index('id="population"')
    assert all(f'id="{s}"' in html for s in SECTION_IDS)
    assert html.count("data:image/png;base64,") >= 6
    assert "http://" not in html and "https://" not in html
    frag = monitor._repr_html_()  # inline in JupyterLab: no document, styles scoped to the report
    assert "<html" not in frag and 'id="alerts"' in frag and "\nbody{" not in frag


def test_log_to_mlflow_against_a_registered_champion(world, mlflow_tracking_uri):
    from mlflow import MlflowClient

    from scorecard import registry

    registry.register_model(world["model"], "monitored", alias="champion")
    mon = Monitor("models:/monitored@champion", n_boot=100).fit_baseline(world["hold"], world["hold"]["bad"])
    assert mon.model_info_ == {"source": "registry", "name": "monitored", "version": "1",
                               "uri": "models:/monitored@champion"}
    assert (_points(mon.model_, world["apps"]) == _points(world["model"], world["apps"])).all()
    # the baseline is stored with the model version, and read back from it
    mon.save_baseline()
    again = Monitor.from_registry("models:/monitored@champion", n_boot=100)
    assert again.baseline_ == mon.baseline_
    mon.observe(world["apps"])
    mon.add_outcomes(world["apps"], world["labels"])
    run_id = log_to_mlflow(mon, report=False)  # the report has its own tests
    client = MlflowClient(mlflow_tracking_uri)
    run = client.get_run(run_id)
    assert run.data.tags["scorecard.model_version"] == "1"
    hist = client.get_metric_history(run_id, "score_psi")
    assert [m.step for m in sorted(hist, key=lambda m: m.step)] == [
        pd.Period(p, "M").ordinal for p in sorted(world["apps"]["application_month"].unique())]
    psi = mon.period_table().set_index("period")["score_psi"]
    assert sorted(m.value for m in hist) == pytest.approx(sorted(psi))
    arts = {a.path for a in client.list_artifacts(run_id, "monitoring")}
    assert {"monitoring/alerts.csv", "monitoring/monitor_state.json"} <= arts


def test_import_is_light():
    import subprocess
    import sys

    code = "import sys, scorecard.monitoring; print('mlflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- #
# the generator of production months
# --------------------------------------------------------------------------- #
def test_make_production_months_drift_and_maturity():
    kw = dict(n_months=4, drift_start=2, drift={"credit_utilization": 2.0}, missing={"monthly_income": 0.5},
              unseen={"loan_purpose": 0.5}, as_of="2024-09")
    apps, labels = make_production_months(400, 9, **kw)
    again, labels2 = make_production_months(400, 9, **kw)
    pd.testing.assert_frame_equal(apps, again)
    pd.testing.assert_frame_equal(labels, labels2)
    still, _ = make_production_months(400, 9, n_months=4, as_of="2024-09")
    before = apps["application_month"] < "2024-03"
    # months before the drift are the stationary months, row for row
    pd.testing.assert_frame_equal(apps[before], still[before])
    assert apps["application_id"].is_unique and apps["application_date"].is_monotonic_increasing
    last = apps["application_month"] == "2024-04"
    assert apps.loc[last, "credit_utilization"].mean() > still.loc[last, "credit_utilization"].mean() + 0.05
    assert apps.loc[last, "monthly_income"].isna().mean() > 0.4
    assert (apps.loc[last, "loan_purpose"] == "unseen_category").mean() > 0.4
    assert (apps.loc[~last & ~before, "loan_purpose"] == "unseen_category").mean() < 0.4  # ramps up
    # labels as of 2024-09: months on book counted from the application month; events only once observed
    m = labels.merge(apps[["application_id", "application_month"]], on="application_id")
    expected_mob = (pd.Period("2024-09", "M") - m["application_month"].map(lambda s: pd.Period(s, "M"))).map(
        lambda d: d.n)
    assert (m["months_on_book"] == expected_mob).all()
    seen = m["first_bad_mob"].notna()
    assert (m.loc[seen, "first_bad_mob"] <= m.loc[seen, "months_on_book"]).all()
    assert m.loc[seen, "first_bad_mob"].between(3, 12).all()
    with pytest.raises(DataError, match="categorical"):
        make_production_months(10, drift={"loan_purpose": 1.0})
    with pytest.raises(DataError, match="not a feature"):
        make_production_months(10, missing={"salary": 0.1})
