"""Tests of scorecard.validation: the validation report's numbers, verdict, HTML and bad input.

- the calibration tests and traffic lights against scipy, computed by hand;
- every number of the report against the library's metric functions on the
  same data, from the data model and from the HTML (``data-value`` cells);
- the verdict on a same-distribution and on a deliberately drifted
  out-of-time sample from ``make_applications``;
- no personal data in the HTML, even when the samples carry it;
- bad input: an error naming the sample, or the part marked not computable,
  never a broken file;
- the HTML is self-contained and byte-identical for the same inputs; the
  report logs to MLflow.

The browser test is ``tests/test_validation_browser.py``.
"""

from __future__ import annotations

import copy
import html.parser
import math
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.model_selection import train_test_split

from scorecard import LogisticScorecard, WOEBinner, datasets, metrics
from scorecard.errors import DataError, MissingColumnError, ScorecardWarning, TargetError
from scorecard.validation import (
    DEFAULT_THRESHOLDS,
    SECTION_IDS,
    VERDICT_COLUMNS,
    ValidationReport,
    allowed_yellow_bands,
    binomial_test,
    jeffreys_test,
    traffic_light,
)

N_BOOT = 200
SEG_BOOT = 50
SEED = 42
N_APPS = 10_000
RESULTS = {"pass", "watch", "fail", "not computable"}


# --------------------------------------------------------------------------- #
# helpers
# --------------------------------------------------------------------------- #
class _Tables(html.parser.HTMLParser):
    """Collects every table (by id) as rows of (text, data-value), section ids, images, scripts, links."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[tuple[str, str | None]]]] = {}
        self.headers: dict[str, list[str]] = {}
        self.sections: list[str] = []
        self.images: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._value: str | None = None
        self._in_th = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "section":
            self.sections.append(a.get("id") or "")
        elif tag == "img":
            self.images.append(a.get("src") or "")
        elif tag == "table":
            self._table = a.get("id") or f"anon-{len(self.tables)}"
            self.tables[self._table] = []
            self.headers[self._table] = []
        elif tag == "tr" and self._table is not None:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []
            self._value = a.get("data-value")
            self._in_th = tag == "th"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._table is not None:
            text = "".join(self._cell).strip()
            if self._in_th:
                self.headers[self._table].append(text)
            else:
                self.tables[self._table][-1].append((text, self._value))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parse(doc: str) -> _Tables:
    p = _Tables()
    p.feed(doc)
    return p


def html_frame(p: _Tables, table_id: str) -> pd.DataFrame:
    """A table of the HTML as a frame: numeric cells as floats (from data-value), others as text."""
    rows = [r for r in p.tables[table_id] if r]
    cols = p.headers[table_id]
    data = [[float(v) if v is not None else t for t, v in r] for r in rows]
    return pd.DataFrame(data, columns=cols)


def assert_same(actual: pd.Series | np.ndarray, expected: pd.Series | np.ndarray) -> None:
    """Exactly equal floats (NaN == NaN): the report shows the library's numbers, not recomputations."""
    a = np.asarray(actual, dtype=float)
    e = np.asarray(expected, dtype=float)
    assert a.shape == e.shape
    np.testing.assert_array_equal(a, e)


def _fit(X: pd.DataFrame, y: pd.Series, special_codes: dict | None = None, **params) -> LogisticScorecard:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScorecardWarning)
        return LogisticScorecard(binner=WOEBinner(special_codes=special_codes), **params).fit(X, y)


# --------------------------------------------------------------------------- #
# fixtures
# --------------------------------------------------------------------------- #
@pytest.fixture(scope="module")
def german() -> dict:
    from scorecard.challenger import GBMChallenger

    X, y = datasets.load_german_credit()
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, stratify=y, random_state=SEED)
    model = _fit(X_tr, y_tr)
    challenger = GBMChallenger(n_estimators=300, random_state=0).fit(X_tr, y_tr)
    samples = {"train": (X_tr, y_tr), "test": (X_te, y_te)}
    kw = dict(challenger=challenger, n_boot=N_BOOT, segment_n_boot=SEG_BOOT, random_state=SEED)
    report = ValidationReport(model, samples, **kw)
    return {"model": model, "challenger": challenger, "samples": samples, "report": report, "kw": kw,
            "html": report.to_html()}


@pytest.fixture(scope="module")
def apps() -> dict:
    """Applications: train / test from the first 18 months, OOT = the last 6 months.

    The samples carry every column of make_applications (personal data included) but the target.
    """
    df = datasets.make_applications(N_APPS, SEED)
    months = sorted(df["application_month"].unique())
    oot_months = months[-6:]
    dev = df[~df["application_month"].isin(oot_months)]
    tr, te = train_test_split(dev, test_size=0.3, stratify=dev[datasets.TARGET], random_state=SEED)
    codes = {f: list(c) for f, c in datasets.SPECIAL_CODES.items()}
    feats = list(datasets.FEATURE_COLUMNS)
    # without the significance and sign rules, so that the drifted n_inquiries_6m (p = 0.35 next to
    # bureau_score on these 4,945 rows, dropped by the default rules) stays in the model
    model = _fit(tr[feats], tr[datasets.TARGET], codes, max_p_value=None, sign_rule=False)
    drifted = datasets.make_applications(N_APPS, SEED, drift=1.0)
    cols = [c for c in df.columns if c != datasets.TARGET]

    def pair(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
        return frame[cols], frame[datasets.TARGET]

    same = df[df["application_month"].isin(oot_months)]
    shifted = drifted[drifted["application_month"].isin(oot_months)]
    kw = dict(n_boot=N_BOOT, segment_n_boot=SEG_BOOT, random_state=SEED)
    base = {"train": pair(tr), "test": pair(te)}
    stable = ValidationReport(model, {**base, "oot": pair(same)}, **kw)
    drift = ValidationReport(model, {**base, "oot": pair(shifted)}, figures=False, **kw)
    return {"model": model, "df": df, "stable": stable, "drift": drift, "frames": {"train": tr, "test": te,
            "oot": same, "oot_drift": shifted}, "cols": cols, "kw": kw}


# --------------------------------------------------------------------------- #
# the calibration tests, by hand
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize(("bads", "n", "pd_"), [(15, 100, 0.10), (0, 50, 0.2), (3, 1000, 0.001), (60, 60, 0.9),
                                                (7, 40, 0.05), (250, 2000, 0.11)])
def test_binomial_and_jeffreys_tests_match_scipy(bads: int, n: int, pd_: float) -> None:
    expected_binom = stats.binomtest(bads, n, pd_, alternative="greater").pvalue
    assert binomial_test(bads, n, pd_) == pytest.approx(expected_binom, rel=1e-10, abs=1e-15)
    # P(X >= k) by summing the pmf (log-gamma terms)
    terms = [
        math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * math.log(pd_)
        + (n - k) * math.log1p(-pd_)
        for k in range(bads, n + 1)
    ]
    by_hand = math.fsum(math.exp(t) for t in terms)
    assert binomial_test(bads, n, pd_) == pytest.approx(by_hand, rel=1e-9, abs=1e-15)
    # Jeffreys: posterior Beta(bads + 1/2, n - bads + 1/2), p = P(rate <= pd)
    posterior = stats.beta(bads + 0.5, n - bads + 0.5)
    assert jeffreys_test(bads, n, pd_) == pytest.approx(posterior.cdf(pd_), rel=1e-12)
    # the predicted PD lies below the posterior's p-quantile
    p = jeffreys_test(bads, n, pd_)
    if 1e-12 < p < 1 - 1e-12:
        assert posterior.ppf(p) == pytest.approx(pd_, rel=1e-6)


def test_traffic_lights_at_the_documented_limits() -> None:
    assert DEFAULT_THRESHOLDS["band_test"] == (0.05, 0.001)
    assert [traffic_light(p) for p in (1.0, 0.05, 0.0499999, 0.001, 0.000999, 0.0)] == [
        "green", "green", "yellow", "yellow", "red", "red"]
    assert traffic_light(float("nan")) == "n/a"
    assert traffic_light(0.02, (0.01, 0.001)) == "green"
    with pytest.raises(ValueError):
        traffic_light(0.5, (0.001, 0.05))
    # 15 bads of 100 at PD 10%: binomial p 0.073 (green), Jeffreys p 0.054 (green); 18 bads: yellow; 30: red
    assert traffic_light(binomial_test(15, 100, 0.1)) == "green"
    assert traffic_light(binomial_test(18, 100, 0.1)) == "yellow"
    assert traffic_light(jeffreys_test(30, 100, 0.1)) == "red"


def test_allowed_yellow_bands_is_the_binomial_95_quantile() -> None:
    for k in (1, 5, 10, 20, 50):
        a = allowed_yellow_bands(k)
        assert stats.binom.cdf(a, k, 0.05) >= 0.95
        assert a == 0 or stats.binom.cdf(a - 1, k, 0.05) < 0.95
    assert allowed_yellow_bands(0) == 0


@pytest.mark.parametrize("args", [(5, 4, 0.1), (-1, 10, 0.1), (1, 0, 0.1), (1, 10, 1.5), (1.5, 10, 0.1)])
def test_band_tests_refuse_bad_arguments(args: tuple) -> None:
    with pytest.raises(ValueError):
        binomial_test(*args)
    with pytest.raises(ValueError):
        jeffreys_test(*args)


# --------------------------------------------------------------------------- #
# German credit: every number equals the library's
# --------------------------------------------------------------------------- #
def test_german_report_builds_every_section(german: dict) -> None:
    r = german["report"]
    assert list(r.sections) == list(SECTION_IDS)
    assert {s.id: s.status for s in r.sections.values()} == {sid: "ok" for sid in SECTION_IDS}
    v = r.verdict()
    assert list(v.columns) == list(VERDICT_COLUMNS)
    assert set(v["result"]) <= RESULTS
    order = {"pass": 0, "watch": 1, "fail": 2}
    assert r.overall == max(v["result"], key=order.__getitem__)
    assert {"coef_sign", "gini", "gini_decline", "hosmer_lemeshow", "binomial_bands", "jeffreys_bands",
            "score_psi", "max_csi", "delong"} <= set(v["key"])
    assert r.build_seconds < 120


def test_german_discrimination_equals_metrics(german: dict) -> None:
    r, model = german["report"], german["model"]
    table = r.section("discrimination").tables["by_sample"].set_index("sample")
    for name, (X, y) in german["samples"].items():
        p = model.predict_proba(X)[:, 1]
        cis = metrics.histogram_ci(metrics.score_histogram(y, p), n_boot=N_BOOT, level=0.95, random_state=SEED)
        for metric, fn in (("auc", metrics.auc), ("gini", metrics.gini), ("ks", metrics.ks)):
            ci = cis[metric]
            assert table.loc[name, metric] == ci.estimate == fn(y, p)  # exact, from the histogram
            assert table.loc[name, f"{metric}_low"] == ci.low
            assert table.loc[name, f"{metric}_high"] == ci.high
            # the histogram bootstrap is a row bootstrap in distribution: close to the row intervals
            rows = metrics.bootstrap_ci(fn, y, p, n_boot=N_BOOT, level=0.95, random_state=SEED)
            half = (rows.high - rows.low) / 2
            assert abs(ci.low - rows.low) < 0.35 * half and abs(ci.high - rows.high) < 0.35 * half
        lift = r.section("discrimination").tables[f"lift/{name}"]
        pd.testing.assert_frame_equal(lift, metrics.lift_table(y, p, n_bins=10))
    v = r.verdict().set_index(["key", "sample"])
    g_tr, g_te = table.loc["train", "gini"], table.loc["test", "gini"]
    assert v.loc[("gini", "test"), "value"] == g_te
    assert v.loc[("gini_decline", "test"), "value"] == (g_tr - g_te) / g_tr


def test_german_calibration_equals_metrics_and_scipy(german: dict) -> None:
    r, model = german["report"], german["model"]
    sec = r.section("calibration")
    hl_table = sec.tables["hosmer_lemeshow"].set_index("sample")
    bands = sec.tables["bands"]
    X_tr, _ = german["samples"]["train"]
    ref_score = model.predict_score(X_tr)
    edges = metrics.psi_table(ref_score, ref_score, bins=10)["upper"].to_numpy()[:-1]
    for name, (X, y) in german["samples"].items():
        p = model.predict_proba(X)[:, 1]
        hl = metrics.hosmer_lemeshow(y, p, n_groups=10)
        assert hl_table.loc[name, "statistic"] == hl.statistic
        assert hl_table.loc[name, "pvalue"] == hl.pvalue
        assert hl_table.loc[name, "brier"] == metrics.brier(y, p)
        # bands recomputed independently: right-closed bands of the reference score, scipy's tests
        score = model.predict_score(X)
        code = np.searchsorted(edges, score, side="left")
        mine = bands[bands["sample"] == name].reset_index(drop=True)
        yy = np.asarray(y)
        for i, row in mine.iterrows():
            k = code == i
            assert row["n"] == k.sum()
            assert row["bads"] == yy[k].sum()
            assert row["predicted_pd"] == pytest.approx(p[k].mean(), rel=1e-12)
            exp_b = stats.binomtest(int(yy[k].sum()), int(k.sum()), p[k].mean(), alternative="greater").pvalue
            assert row["binomial_p"] == pytest.approx(exp_b, rel=1e-9, abs=1e-15)
            exp_j = stats.beta.cdf(p[k].mean(), yy[k].sum() + 0.5, k.sum() - yy[k].sum() + 0.5)
            assert row["jeffreys_p"] == pytest.approx(exp_j, rel=1e-9, abs=1e-15)
            assert row["binomial_light"] == traffic_light(row["binomial_p"])
            assert row["jeffreys_light"] == traffic_light(row["jeffreys_p"])
        assert mine["n"].sum() == len(X)
        # the verdict rule
        lights = mine["binomial_light"].tolist()
        too_many = lights.count("yellow") > allowed_yellow_bands(10)
        expect = "fail" if "red" in lights else ("watch" if too_many else "pass")
        v = r.verdict().set_index(["key", "sample"])
        assert v.loc[("binomial_bands", name), "result"] == expect
        assert v.loc[("hosmer_lemeshow", name), "value"] == hl.pvalue


def test_german_stability_and_soundness_equal_the_library(german: dict) -> None:
    r, model = german["report"], german["model"]
    (X_tr, _), (X_te, _) = german["samples"]["train"], german["samples"]["test"]
    s_tr, s_te = model.predict_score(X_tr), model.predict_score(X_te)
    st = r.section("stability")
    assert st.tables["score_psi"].set_index("sample").loc["test", "psi"] == metrics.psi(s_tr, s_te, bins=10)
    pd.testing.assert_frame_equal(
        st.tables["score_psi_bands"].drop(columns="sample"), metrics.psi_table(s_tr, s_te, bins=10)
    )
    pos = [model.binner_.features_.index(f) for f in model.features_]
    e = pd.DataFrame(model.binner_.transform(X_tr, output="index")[:, pos], columns=model.features_)
    a = pd.DataFrame(model.binner_.transform(X_te, output="index")[:, pos], columns=model.features_)
    csi = metrics.csi(e, a)
    assert_same(st.tables["csi"].set_index("feature")["test"], csi.reindex(model.features_))
    v = r.verdict().set_index(["key", "sample"])
    assert v.loc[("max_csi", "test"), "value"] == csi.max()
    cs = r.section("conceptual-soundness")
    pd.testing.assert_frame_equal(cs.tables["coefficients"], model.summary())
    pd.testing.assert_frame_equal(cs.tables["selection"], model.selection_.dropped)
    for f in model.features_:
        pd.testing.assert_frame_equal(cs.tables[f"binning/{f}"], model.binner_.binning_table(f))
        assert f"binning/{f}" in cs.figures
    woe = pd.DataFrame(model.binner_.transform(X_tr)[:, pos], columns=model.features_)
    pd.testing.assert_frame_equal(cs.tables["correlation"], woe.corr())
    assert v.loc[("vif", "model"), "value"] == model.summary()["vif"].max()


def test_german_benchmark_uses_compare(german: dict) -> None:
    from scorecard.compare import delong_test, swap_set

    r, model, ch = german["report"], german["model"], german["challenger"]
    X, y = german["samples"]["test"]
    pa, pb = model.predict_proba(X)[:, 1], ch.predict_proba(X)[:, 1]
    d = delong_test(y, pb, pa)
    t = r.section("benchmarking").tables["delong"].set_index("sample")
    assert t.loc["test", "p_value"] == d.p_value
    assert t.loc["test", "difference"] == d.difference
    v = r.verdict().set_index(["key", "sample"])
    assert v.loc[("delong", "test"), "value"] == d.p_value
    assert ("delong", "train") not in v.index  # in-sample comparison is shown, not judged
    pd.testing.assert_frame_equal(r.section("benchmarking").tables["swap/test"], swap_set(y, pa, pb, 0.7).table)
    side = r.section("benchmarking").tables["side_by_side"].set_index(["sample", "model"])
    assert side.loc[("test", "challenger"), "auc"] == metrics.auc(y, pb)


def test_html_numbers_equal_the_data_model(german: dict) -> None:
    r, doc = german["report"], german["html"]
    p = parse(doc)
    v = html_frame(p, "t-verdict-verdict")
    assert_same(v["value"], r.verdict()["value"])
    assert v["result"].tolist() == r.verdict()["result"].tolist()
    for sid, key in [("discrimination", "by_sample"), ("calibration", "hosmer_lemeshow"), ("calibration", "bands"),
                     ("stability", "score_psi"), ("stability", "csi"), ("conceptual-soundness", "coefficients"),
                     ("benchmarking", "delong"), ("discrimination", "lift/test")]:
        df = r.section(sid).tables[key]
        shown = html_frame(p, f"t-{sid}-{re.sub(r'[^a-z0-9]+', '-', key)}")
        assert list(shown.columns) == [str(c) for c in df.columns]
        for c in df.columns:
            if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c]):
                assert_same(shown[c], df[c])
    # a number the validator reads: the test AUC, also exactly metrics.auc
    X, y = german["samples"]["test"]
    auc_cell = html_frame(p, "t-discrimination-by-sample").set_index("sample").loc["test", "auc"]
    assert auc_cell == metrics.auc(y, german["model"].predict_proba(X)[:, 1])


def test_html_is_self_contained_and_has_every_section(german: dict) -> None:
    doc = german["html"]
    p = parse(doc)
    assert p.sections == list(SECTION_IDS)
    assert p.sections[0] == "verdict"  # the outcome summary comes first
    assert p.images and all(src.startswith("data:image/png;base64,") for src in p.images)
    assert not [t for t, _ in p.tags if t in ("script", "iframe", "object", "embed")]
    for tag, attrs in p.tags:
        for key in ("src", "href"):
            val = attrs.get(key)
            if val is not None:
                assert val.startswith(("data:", "#")), (tag, key, val[:60])
    assert "Content-Security-Policy" in doc and "default-src 'none'" in doc
    assert "@media print" in doc
    assert not re.search(r"https?://", doc)
    frag = german["report"]._repr_html_()
    assert "<html" not in frag and frag.count('<section id="') == len(SECTION_IDS) and ".scv-report" in frag


def test_same_inputs_give_a_byte_identical_file(german: dict, tmp_path: Path) -> None:
    again = ValidationReport(german["model"], german["samples"], **german["kw"])
    a = german["report"].save(tmp_path / "a.html").read_bytes()
    b = again.save(tmp_path / "b.html").read_bytes()
    assert a.decode("utf-8") == german["html"]
    # the code version is an input too: another developer committing between the two builds changes it
    code = re.compile(rb'<table id="t-reproducibility-code".*?</table>', re.S)
    assert len(code.findall(a)) == 1
    assert code.sub(b"", a) == code.sub(b"", b)


# --------------------------------------------------------------------------- #
# applications with an out-of-time sample
# --------------------------------------------------------------------------- #
def _oot_rows(report: ValidationReport, section: str) -> pd.DataFrame:
    v = report.verdict()
    return v[(v["sample"] == "oot") & (v["section"] == section)]


def test_applications_oot_same_distribution_is_green(apps: dict) -> None:
    r = apps["stable"]
    assert all(s.status == "ok" for s in r.sections.values() if s.id != "benchmarking")
    data = r.section("data").tables["samples"].set_index("sample")
    assert data.loc["oot", "role"] == "out-of-time" and data.loc["test", "role"] == "in-time"
    assert data.loc["oot", "first_month"] == "2025-07" and data.loc["oot", "last_month"] == "2025-12"
    stab = _oot_rows(r, "stability")
    assert set(stab["key"]) == {"score_psi", "max_csi", "monthly_psi"}
    assert (stab["result"] == "pass").all(), stab
    disc = _oot_rows(r, "discrimination")
    assert len(disc) == 2 and (disc["result"] == "pass").all(), disc
    cal = _oot_rows(r, "calibration").set_index("key")
    # the per-band verdicts allow for chance; Hosmer-Lemeshow has its 5% false-alarm rate: never red here
    assert (cal.loc[["binomial_bands", "jeffreys_bands"], "result"] == "pass").all(), cal
    assert cal.loc["hosmer_lemeshow", "result"] != "fail", cal


def test_applications_drifted_oot_turns_the_verdict(apps: dict) -> None:
    r = apps["drift"]
    stab = _oot_rows(r, "stability").set_index("key")
    assert stab.loc["max_csi", "result"] == "fail"  # n_inquiries_6m and credit_utilization shift
    assert "n_inquiries_6m" in stab.loc["max_csi", "detail"]
    assert set(stab["result"]) & {"watch", "fail"}
    assert r.overall == "fail"
    # the same rows were green on the same-distribution sample: the drift did it
    same = _oot_rows(apps["stable"], "stability").set_index("key")
    assert (same["result"] == "pass").all()
    assert stab.loc["score_psi", "value"] > 5 * same.loc["score_psi", "value"]
    # the stability numbers are the library's
    model, fr = apps["model"], apps["frames"]
    feats = list(datasets.FEATURE_COLUMNS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s_tr = model.predict_score(fr["train"][feats])
        s_oot = model.predict_score(fr["oot_drift"][feats])
    assert stab.loc["score_psi", "value"] == metrics.psi(s_tr, s_oot, bins=10)


def test_applications_per_month_and_channel(apps: dict) -> None:
    r, model, fr = apps["stable"], apps["model"], apps["frames"]
    d = r.section("discrimination")
    by_channel = d.tables["by_channel"]
    assert set(by_channel["channel"]) == set(datasets.CHANNELS)
    feats = list(datasets.FEATURE_COLUMNS)
    oot = fr["oot"]
    row = by_channel[(by_channel["sample"] == "oot") & (by_channel["channel"] == "api")].iloc[0]
    k = (oot["channel"] == "api").to_numpy()
    p = model.predict_proba(oot[feats])[:, 1]
    hist = metrics.score_histogram(oot[datasets.TARGET].to_numpy()[k], p[k])
    ci = metrics.histogram_ci(hist, n_boot=SEG_BOOT, random_state=SEED)["gini"]
    assert ci.estimate == metrics.gini(oot[datasets.TARGET].to_numpy()[k], p[k])
    assert (row["gini"], row["gini_low"], row["gini_high"]) == (ci.estimate, ci.low, ci.high)
    by_month = d.tables["by_month"]
    assert sorted(by_month.loc[by_month["sample"] == "oot", "month"]) == sorted(oot["application_month"].unique())
    psi_m = r.section("stability").tables["psi_by_month"]
    m = psi_m[(psi_m["sample"] == "oot") & (psi_m["month"] == "2025-12")].iloc[0]
    s_tr = model.predict_score(fr["train"][feats])
    s_m = model.predict_score(oot.loc[oot["application_month"] == "2025-12", feats])
    assert m["psi"] == metrics.psi(s_tr, s_m, bins=10)
    assert "by_month" in r.section("data").figures


@pytest.mark.parametrize("which", ["stable", "drift"])
def test_no_personal_data_in_the_report(apps: dict, which: str) -> None:
    r = apps[which]
    doc = r.to_html()
    frames = apps["frames"]
    # the samples did carry personal data
    assert set(datasets.PERSONAL_COLUMNS) <= set(r._samples[-1].X.columns)
    names, phones, ids = set(), set(), set()
    for name in ("train", "test", "oot", "oot_drift"):
        names |= set(frames[name]["name"])
        phones |= set(frames[name]["phone"])
        ids |= set(frames[name]["id_number"])
    # names are Chinese: the report holds no Chinese character at all (figures are base64 ASCII)
    assert not re.search(r"[\u4e00-\u9fff]", doc)
    assert not [n for n in list(names)[:2000] if n in doc]
    # every run of digits of a phone's or an ID's length, anywhere in the file (figures included)
    assert not set(re.findall(r"(?<!\d)\d{11}(?!\d)", doc)) & phones
    assert not set(re.findall(r"(?<![0-9])\d{17}[0-9X](?![0-9X])", doc)) & ids
    # and the generic patterns, in the text (base64 figures, sha256 digests and the exact values of
    # numeric cells can hold digit runs by chance: an intercept of -2.14236108844 has "14236108844")
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", doc)
    text = re.sub(r'data-value="[-+0-9.eE]*"', "", text)
    for m in re.finditer(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])", text):
        assert not datasets.is_valid_id_number(m.group(0).upper()), m.group(0)
    assert not re.search(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])", text)


def test_a_personal_column_is_refused_as_a_segment(apps: dict) -> None:
    fr, cols = apps["frames"], apps["cols"]
    samples = {"train": (fr["train"][cols], fr["train"]["bad"]), "test": (fr["test"][cols], fr["test"]["bad"])}
    r = ValidationReport(apps["model"], samples, segment_columns=("name",), time_column=None, n_boot=20,
                         segment_n_boot=20, figures=False)
    doc = r.to_html()
    assert "by_name" not in r.section("discrimination").tables
    assert "segment column &#39;name&#39; has more than 50 distinct values" in doc
    names = set(fr["train"]["name"]) | set(fr["test"]["name"])
    assert not [n for n in names if n in doc]


# --------------------------------------------------------------------------- #
# bad input
# --------------------------------------------------------------------------- #
@pytest.fixture(scope="module")
def small(german: dict) -> dict:
    X, y = german["samples"]["test"]
    return {"model": german["model"], "X": X, "y": y}


def _quick(model, samples, **kw) -> ValidationReport:
    return ValidationReport(model, samples, n_boot=20, segment_n_boot=20, figures=False, **kw)


def test_empty_sample_is_an_error_naming_it(small: dict, tmp_path: Path) -> None:
    X, y = small["X"], small["y"]
    with pytest.raises(DataError, match="sample 'oot' is empty"):
        _quick(small["model"], {"train": (X, y), "oot": (X.iloc[:0], y.iloc[:0])})


def test_missing_features_is_an_error_naming_the_sample(small: dict) -> None:
    X, y = small["X"], small["y"]
    f = small["model"].features_[0]
    with pytest.raises(MissingColumnError, match=rf"sample 'oot' is missing 1 feature.*{f}"):
        _quick(small["model"], {"train": (X, y), "oot": (X.drop(columns=[f]), y)})


@pytest.mark.parametrize(
    ("bad_y", "error", "message"),
    [
        (lambda y: y.astype(float).where(y.index != y.index[0]), TargetError, "sample 'oot'.*missing"),
        (lambda y: y.replace(1, 2), TargetError, "sample 'oot'.*0 \\(good\\) / 1 \\(bad\\)"),
        (lambda y: y.iloc[:-5], DataError, "sample 'oot': X has 300 rows but y has 295"),
    ],
)
def test_bad_targets_are_errors_naming_the_sample(small: dict, bad_y, error, message) -> None:
    X, y = small["X"], small["y"]
    with pytest.raises(error, match=message):
        _quick(small["model"], {"train": (X, y), "oot": (X, bad_y(y))})


def test_other_bad_arguments(small: dict) -> None:
    X, y = small["X"], small["y"]
    m = small["model"]
    with pytest.raises(DataError, match="sample 'train' is a DataFrame"):
        _quick(m, {"train": X.assign(bad=y)})
    r = _quick(m, {"dev": X.assign(bad=y)}, target="bad")
    assert r.reference == "dev"
    assert not any(sec.figures for sec in r.sections.values()) and "<img" not in r.to_html()  # figures=False
    assert r.section("discrimination").tables["by_sample"].loc[0, "auc"] == metrics.auc(
        y, m.predict_proba(X)[:, 1])
    with pytest.raises(ValueError, match="reference 'x' is not a sample"):
        _quick(m, {"train": (X, y)}, reference="x")
    with pytest.raises(DataError, match="non-empty mapping"):
        _quick(m, {})
    with pytest.raises(DataError, match="sample 'a': X must be a pandas DataFrame"):
        _quick(m, {"a": (X.to_numpy(), y)})
    with pytest.raises(ValueError, match="unknown threshold"):
        _quick(m, {"a": (X, y)}, thresholds={"nope": 1})
    with pytest.raises(ValueError, match="n_bands"):
        _quick(m, {"a": (X, y)}, n_bands=2)
    with pytest.raises(ValueError, match="max_bins"):
        _quick(m, {"a": (X, y)}, max_bins=1)
    with pytest.raises(TypeError, match="LogisticScorecard"):
        _quick(object(), {"a": (X, y)})


def test_progress_bar_and_merged_histogram(small: dict, capsys: pytest.CaptureFixture[str]) -> None:
    """progress=True shows a bar over scoring and the sections; max_bins merges only the resamples' cells."""
    X, y = small["X"], small["y"]
    p = small["model"].predict_proba(X)[:, 1]
    r = _quick(small["model"], {"a": (X, y)}, progress=True, max_bins=8)
    err = capsys.readouterr().err
    assert "validation report" in err and f"{1 + len(SECTION_IDS)}/{1 + len(SECTION_IDS)}" in err
    row = r.section("discrimination").tables["by_sample"].iloc[0]
    ci = metrics.histogram_ci(metrics.score_histogram(y, p), n_boot=20, random_state=0, max_bins=8)["auc"]
    assert (row["auc"], row["auc_low"], row["auc_high"]) == (metrics.auc(y, p), ci.low, ci.high)
    _quick(small["model"], {"a": (X, y)}, progress=False)
    assert "validation report" not in capsys.readouterr().err


def test_exclusions_and_thresholds(small: dict) -> None:
    X, y = small["X"], small["y"]
    excl = {"fraud": {"train": 12, "test": 3}, "indeterminate": 40}
    r = _quick(small["model"], {"train": (X, y), "test": (X, y)}, exclusions=excl, thresholds={"gini": (0.99, 0.98)})
    t = r.section("data").tables["exclusions"]
    assert t["exclusion"].tolist() == ["fraud", "indeterminate"] and t.loc[0, "train"] == 12
    assert t.loc[1, "rows"] == 40
    v = r.verdict()
    assert (v.loc[v["key"] == "gini", "result"] == "fail").all()
    assert (v.loc[v["key"] == "gini", "threshold"] == "pass >= 0.99, watch >= 0.98").all()
    doc = r.to_html()
    assert 'id="t-data-exclusions"' in doc and "indeterminate" in doc


def test_one_class_sample_is_marked_not_computable(small: dict, tmp_path: Path) -> None:
    X, y = small["X"], small["y"]
    goods = y == 0
    r = _quick(small["model"], {"train": (X, y), "oot": (X[goods], y[goods])})
    v = r.verdict().set_index(["key", "sample"])
    assert v.loc[("gini", "oot"), "result"] == "not computable"
    assert "sample 'oot' has one class" in v.loc[("gini", "oot"), "detail"]
    assert v.loc[("hosmer_lemeshow", "oot"), "result"] == "not computable"
    assert v.loc[("score_psi", "oot"), "result"] in {"pass", "watch", "fail"}  # stability needs no bads
    for sid in ("discrimination", "calibration"):
        sec = r.section(sid)
        assert sec.status == "partial"
        assert any("sample 'oot' has one class" in reason for reason in sec.reasons)
    path = r.save(tmp_path / "one_class.html")
    doc = path.read_text(encoding="utf-8")
    assert parse(doc).sections == list(SECTION_IDS)
    assert "Partial:" in doc and "sample &#39;oot&#39; has one class" in doc


def test_a_failing_section_is_reported_not_crashed(small: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args, **kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(metrics, "csi", boom)
    X, y = small["X"], small["y"]
    r = _quick(small["model"], {"train": (X, y), "test": (X, y)})
    sec = r.section("stability")
    assert sec.status == "partial" and any("solver exploded" in reason for reason in sec.reasons)
    row = r.verdict().query("key == 'not_computable'")
    assert row["section"].tolist() == ["stability"] and row["result"].tolist() == ["not computable"]
    assert "solver exploded" in row["detail"].iloc[0]
    assert r.section("calibration").status == "ok"
    assert parse(r.to_html()).sections == list(SECTION_IDS)


def test_save_never_leaves_a_broken_file(german: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    r = copy.copy(german["report"])
    target = tmp_path / "report.html"
    target.write_text("previous report", encoding="utf-8")

    def broken(**kwargs):
        raise RuntimeError("rendering failed")

    monkeypatch.setattr(r, "to_html", broken)
    with pytest.raises(RuntimeError, match="rendering failed"):
        r.save(target)
    assert target.read_text(encoding="utf-8") == "previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


# --------------------------------------------------------------------------- #
# MLflow
# --------------------------------------------------------------------------- #
def test_log_to_mlflow(german: dict, mlflow_tracking_uri: str, tmp_path: Path) -> None:
    from mlflow import MlflowClient

    r = copy.deepcopy(german["report"])
    run_id = r.log_to_mlflow(experiment="validation-test")
    client = MlflowClient(tracking_uri=mlflow_tracking_uri)
    run = client.get_run(run_id)
    assert run.info.status == "FINISHED"
    assert run.data.tags["validation.overall"] == r.overall
    assert run.data.metrics["validation.gini.test"] == r.verdict().set_index(["key", "sample"]).loc[
        ("gini", "test"), "value"]
    names = {a.path for a in client.list_artifacts(run_id, "validation")}
    assert names == {"validation/validation_report.html", "validation/verdict.csv"}
    local = client.download_artifacts(run_id, "validation/validation_report.html", str(tmp_path))
    doc = Path(local).read_text(encoding="utf-8")
    assert run_id in doc  # the footer names its run
    code = html_frame(parse(doc), "t-reproducibility-code").set_index("item")
    assert code.loc["MLflow run id", "value"] == run_id


# --------------------------------------------------------------------------- #
# the notebook, on synthetic applications with an out-of-time sample
# --------------------------------------------------------------------------- #
@pytest.mark.slow
def test_notebook_on_applications_logs_the_report(tmp_path: Path, mlflow_tracking_uri: str) -> None:
    """tests/test_notebooks.py runs every notebook on German credit; this adds the out-of-time path."""
    import nbformat
    import papermill as pm
    from mlflow import MlflowClient

    notebook = Path(__file__).resolve().parents[1] / "notebooks" / "05_validation.ipynb"
    out_dir = tmp_path / "outputs"
    executed = tmp_path / "05_validation.ipynb"
    pm.execute_notebook(
        str(notebook),
        str(executed),
        parameters={"dataset": "applications", "n_rows": 3000, "output_dir": str(out_dir), "experiment": "test"},
        kernel_name="python3",
        cwd=str(notebook.parent),
        progress_bar=False,
        execution_timeout=600,
    )
    nb = nbformat.read(executed, as_version=4)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
    report = out_dir / "05_validation_applications.html"
    doc = report.read_text(encoding="utf-8")
    p = parse(doc)
    assert p.sections == list(SECTION_IDS)
    samples = html_frame(p, "t-data-samples").set_index("sample")
    assert samples.loc["oot", "role"] == "out-of-time"
    client = MlflowClient(tracking_uri=mlflow_tracking_uri)
    runs = client.search_runs([client.get_experiment_by_name("test").experiment_id])
    assert len(runs) == 1
    run = runs[0]
    arts = {a.path for a in client.list_artifacts(run.info.run_id, "validation")}
    assert arts == {"validation/validation_report.html", "validation/verdict.csv"}
    assert run.data.tags["validation.overall"] in {"pass", "watch", "fail"}
    assert run.info.run_id in doc  # the saved file is the logged one: it names its run
    logged = client.download_artifacts(run.info.run_id, "validation/validation_report.html", str(tmp_path / "dl"))
    assert Path(logged).read_text(encoding="utf-8") == doc
    assert "spec/woe_binner.json" in {a.path for a in client.list_artifacts(run.info.run_id, "spec")}
