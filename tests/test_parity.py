"""Cross-engine parity as a property: every engine puts a value into the same bin.

A scorecard and a small LightGBM challenger are fitted once on a fixed
dataset with special codes (``inf`` among them), a categorical feature over
numbers, a text feature and a boolean feature. Hypothesis then generates
small frames with NaN, None, pd.NA, +-inf, -0.0, values on and one ulp
either side of every edge, float32 values, every special code, unseen /
empty / very long / unicode categories, 0/1 and text for the boolean
feature, numbers as text and as objects (as JSON delivers them), pandas
nullable and Arrow dtypes, and scores each frame through every engine:

- scorecard: the binner's transform (bin codes), ``predict_points``,
  :class:`~scorecard.export.CompiledScorer` (numba and NumPy engines, batch
  and few-row paths), ``score_record`` row by row, the exported pyfunc
  (loaded by MLflow, no server), DuckDB SQL (:func:`scorecard.export.to_sql`),
  Spark SQL on a few examples, and the decision model;
- challenger: ``predict_proba``, the compiled scorer, ``score_record``, the
  pyfunc and the decision model.

Every engine gives identical bins and integer points, or the same named
error (:class:`~scorecard.errors.UnsupportedValueError`; the SQL engines
raise an SQL error whose message starts with its name; the decision model,
which never raises on a row, gives a missing score). Fit-time parity: the
count tables of numpy and DuckDB (and Spark on a sample) are equal.

SQL engines receive object columns as text (``str`` of each value), as data
loaded from a JSON or CSV file arrives.
"""

from __future__ import annotations

import math
import os
import sys
import threading
import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard import LogisticScorecard, WOEBinner, export
from scorecard import _binrule
from scorecard.challenger import GBMChallenger
from scorecard.counts import duckdb_counts, frame_counts
from scorecard.errors import FallbackWarning, UnsupportedValueError

sys.path.insert(0, os.path.dirname(__file__))
from _spark_helpers import spark  # noqa: E402,F401 - the module's SparkSession fixture

pytestmark = [pytest.mark.filterwarnings("ignore::scorecard.errors.FallbackWarning"),
              pytest.mark.filterwarnings("ignore::FutureWarning")]

INF = float("inf")
SPECIALS = {"num": [-999, INF], "cnt": [99]}  # inf a special code; 99 never seen in training (empty bin)
FEATURES = ["num", "cnt", "cat", "catnum", "flag"]
LONG = "x" * 300


def _training(n: int = 900, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    num = rng.normal(50, 15, n)
    u = rng.random(n)
    num[u < 0.05] = np.nan
    num[(u >= 0.05) & (u < 0.10)] = -999
    num[(u >= 0.10) & (u < 0.14)] = INF
    cnt = rng.integers(0, 12, n).astype(float)
    cat = rng.choice(["a", "b", "c", "d", "é", LONG], n).astype(object)
    cat[rng.random(n) < 0.04] = None
    catnum = rng.choice([1.0, 2.0, 3.0], n)
    flag = rng.random(n) < 0.4
    z = (0.04 * np.nan_to_num(num - 50, posinf=0) + 0.15 * (cnt - 6) + np.where(cat == "a", 0.8, 0.0)
         - 0.5 * (catnum - 2) + 0.9 * flag + np.where(np.isinf(num), 1.0, 0.0) - 1.0)
    y = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(int)
    X = pd.DataFrame({"num": num, "cnt": cnt, "cat": pd.Series(cat, dtype="str"), "catnum": catnum, "flag": flag})
    return X, y


@pytest.fixture(scope="module")
def models():
    X, y = _training()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        binner = WOEBinner(special_codes=SPECIALS, categorical_features=["catnum"], min_bin_size=0.03)
        sc = LogisticScorecard(binner=binner, min_iv=None, max_corr=None, max_vif=None, max_missing=None).fit(X, y)
        gbm = GBMChallenger(special_codes=SPECIALS, categorical_features=["catnum"], n_estimators=15,
                            learning_rate=0.2, random_state=0).fit(X, y)
    assert sc.features_ == FEATURES  # every feature in the scorecard: every rule is exercised
    return {"X": X, "y": y, "sc": sc, "gbm": gbm}


@pytest.fixture(scope="module")
def engines(models, tmp_path_factory):
    """The compiled scorers, the pyfuncs (loaded by MLflow) and a decision model, built once."""
    import mlflow.pyfunc

    from scorecard.strategy import ChannelPolicy, Policy, ScoreBands

    sc, gbm, X = models["sc"], models["gbm"], models["X"]
    folder = tmp_path_factory.mktemp("parity")
    out = {
        "numba": export.CompiledScorer.from_model(sc, engine="numba", n_reasons=0),
        "numpy": export.CompiledScorer.from_model(sc, engine="numpy", n_reasons=0),
        "gbm": export.CompiledScorer.from_model(gbm, n_reasons=0),
    }
    for name, model in (("pyfunc", sc), ("gbm_pyfunc", gbm)):
        export.to_pyfunc(model, folder / name, n_reasons=0)
        out[name] = mlflow.pyfunc.load_model(str(folder / name))
    bands = {"sc": ScoreBands(2, name="sc").fit(sc.predict_score(X)),
             "gbm": ScoreBands(2, higher_is_safer=False, name="gbm").fit(gbm.predict_proba(X)[:, 1])}
    dec = np.array([["approve", "refer"], ["refer", "decline"]], dtype=object)
    ch = ChannelPolicy.from_arrays(dec, np.array([[1000, 500], [500, 0]]), np.array([["P1", "P1"], ["P1", None]], dtype=object),
                                   np.where(dec == "decline", "HIGH_RISK", None))
    policy = Policy("parity", "1", bands, {"api": ch}, price_tiers={"P1": 0.1}, known_channels=["api"]).validate()
    from scorecard.strategy import DecisionModel

    out["decision"] = DecisionModel({"sc": sc, "gbm": gbm}, policy, n_reasons=0).fit()
    return out


# --------------------------------------------------------------------------- #
# generated frames
# --------------------------------------------------------------------------- #
def _edges(models) -> list[float]:
    splits = [float(s) for s in models["sc"].binner_.bins_["num"].splits]
    near = [v for s in splits for v in (np.nextafter(s, -INF), s, np.nextafter(s, INF))]
    return near + [float(np.float32(s)) for s in splits]


NUM_WORDS = ["2.0", " 2 ", "1e3", "-999", "inf", "nan", " -0.0 "]


@st.composite
def frames(draw, models, allow_bad_text: bool = True):
    n = draw(st.integers(1, 9))
    cnt_splits = [float(s) for s in models["sc"].binner_.bins_["cnt"].splits]
    edges = _edges(models)

    def column(pool, n=n):
        return [draw(st.sampled_from(pool)) for _ in range(n)]

    # numeric: numbers, specials (inf among them), edges and their neighbours, -0.0, missing
    num_pool = edges + [-999.0, INF, -INF, -0.0, 0.0, np.nan, 12.5, 1e9, -1e9, 50.0]
    num_dtype = draw(st.sampled_from(["float64", "float32", "Float64", "arrow", "object", "text"]))
    num = column(num_pool)
    if num_dtype == "float32":
        num = np.asarray(num, dtype=np.float32)
    elif num_dtype == "Float64":
        num = pd.array([None if (isinstance(v, float) and math.isnan(v)) else v for v in num], dtype="Float64")
    elif num_dtype == "arrow":
        num = pd.array([None if (isinstance(v, float) and math.isnan(v)) else v for v in num],
                       dtype=pd.ArrowDtype(pa.float64()))
    elif num_dtype == "object":  # as JSON delivers: numbers, None, numbers as text
        extra = NUM_WORDS + ([" 1x "] if allow_bad_text else [])
        num = pd.Series([draw(st.sampled_from([v, None, *extra])) for v in num], dtype=object)
    elif num_dtype == "text":
        num = pd.Series([draw(st.sampled_from(NUM_WORDS + [None])) for _ in range(n)], dtype="str")
    cnt_pool = [float(s) for s in cnt_splits] + [s - 1 for s in cnt_splits] + [99.0, 0.0, 5.0, np.nan]
    cnt_dtype = draw(st.sampled_from(["float64", "Int64", "int64"]))
    cnt = column(cnt_pool)
    if cnt_dtype == "Int64":
        cnt = pd.array([None if math.isnan(v) else int(v) for v in cnt], dtype="Int64")
    elif cnt_dtype == "int64":
        cnt = np.asarray([0 if math.isnan(v) else int(v) for v in cnt], dtype=np.int64)
    cat_pool = ["a", "b", "c", "d", "é", LONG, LONG + "y", "zz_unseen", "", "日本語", None]
    cat_dtype = draw(st.sampled_from(["str", "object", "arrow"]))
    cat = column(cat_pool)
    cat = (pd.Series(cat, dtype="str") if cat_dtype == "str" else
           pd.Series(cat, dtype=pd.ArrowDtype(pa.string())) if cat_dtype == "arrow" else pd.Series(cat, dtype=object))
    catnum_dtype = draw(st.sampled_from(["float64", "object", "text"]))
    if catnum_dtype == "float64":
        catnum = np.asarray(column([1.0, 2.0, 3.0, 4.0, -0.0, np.nan]), dtype=float)
    elif catnum_dtype == "object":
        catnum = pd.Series(column([1, 2.0, "2.0", " 3 ", 3, 4, None, np.nan, "x"]), dtype=object)
    else:
        catnum = pd.Series(column(["1", "2.0", " 3 ", "4", "x", None]), dtype="str")
    flag_dtype = draw(st.sampled_from(["bool", "boolean", "int", "object", "arrow"]))
    if flag_dtype == "bool":
        flag = np.asarray(column([True, False]), dtype=bool)
    elif flag_dtype == "boolean":
        flag = pd.array(column([True, False, None]), dtype="boolean")
    elif flag_dtype == "int":
        flag = np.asarray(column([0, 1]), dtype=np.int64)
    elif flag_dtype == "arrow":
        flag = pd.array(column([True, False, None]), dtype=pd.ArrowDtype(pa.bool_()))
    else:
        flag = pd.Series(column([True, False, 1, 0, 1.0, "true", " FALSE ", "1", None, "yes"]), dtype=object)
    return pd.DataFrame({"num": num, "cnt": cnt, "cat": cat, "catnum": catnum, "flag": flag})


# --------------------------------------------------------------------------- #
# the engines
# --------------------------------------------------------------------------- #
def _named(exc: BaseException) -> bool:
    """The named refusal: UnsupportedValueError itself, or an engine error whose message starts with its name."""
    return isinstance(exc, UnsupportedValueError) or "UnsupportedValueError" in str(exc)


def _run(fn):
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - classified by the caller
        if _named(exc):
            return "UnsupportedValueError"
        raise


def _sql_frame(X: pd.DataFrame) -> pd.DataFrame:
    """Object columns as text (as a JSON or CSV file loads them into an SQL engine), plus a row number."""
    out = X.copy()
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = pd.Series([None if _binrule.is_missing(v) else str(v) for v in out[c]], dtype="str", index=out.index)
    out["__row"] = np.arange(len(out), dtype=np.int64)
    return out


def _records(X: pd.DataFrame) -> list[dict]:
    cols = {c: X[c].tolist() for c in X.columns}
    return [{c: cols[c][i] for c in X.columns} for i in range(len(X))]


def _scorecard_results(models, engines, X: pd.DataFrame) -> dict:
    sc = models["sc"]
    res = {
        "bins": _run(lambda: sc.binner_.transform(X, output="index")),
        "predict_points": _run(lambda: sc.predict_points(X)["total"].to_numpy()),
        "numba": _run(lambda: engines["numba"].predict(X)["points"].to_numpy()),
        "numpy": _run(lambda: engines["numpy"].predict(X)["points"].to_numpy()),
        "numba_rows": _run(lambda: np.concatenate([engines["numba"].predict(X.iloc[i:i + 3])["points"].to_numpy()
                                                   for i in range(0, len(X), 3)])),
        "record": _run(lambda: np.array([engines["numba"].score_record(r)["points"] for r in _records(X)])),
        "pyfunc": _run(lambda: engines["pyfunc"].predict(X)["points"].to_numpy()),
    }
    return res


def _duckdb_points(model, X: pd.DataFrame):
    import duckdb

    con = duckdb.connect()
    try:
        con.register("applications", _sql_frame(X))
        got = con.sql(export.to_sql(model, "duckdb", "applications", keys=["__row"])).df().sort_values("__row")
        return got["points"].to_numpy()
    finally:
        con.close()


def _row_points(sc, row: pd.DataFrame) -> float:
    got = _run(lambda: float(sc.predict_points(row)["total"].iloc[0]))
    return math.nan if isinstance(got, str) else got


def _assert_same(results: dict) -> None:
    ref = results["predict_points"]
    for name, got in results.items():
        if name == "bins":
            assert isinstance(got, str) == isinstance(ref, str), (name, got, ref)
            continue
        if isinstance(ref, str) or isinstance(got, str):
            assert got == ref, (name, got, ref)
        else:
            np.testing.assert_array_equal(np.asarray(got, dtype=np.int64), np.asarray(ref, dtype=np.int64), err_msg=name)


def test_every_engine_gives_the_same_bins_points_or_error(models, engines):
    sc = models["sc"]
    rules = {f: sc.binner_.bins_[f].rule for f in FEATURES}

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(frames(models))
    def check(X):
        res = _scorecard_results(models, engines, X)
        res["duckdb"] = _run(lambda: _duckdb_points(sc, X))
        _assert_same(res)
        bins = res["bins"]
        if not isinstance(bins, str):  # the scalar rule, value by value, gives the transform's bins
            for j, f in enumerate(FEATURES):
                assert [rules[f].index(v)[0] for v in X[f].tolist()] == bins[:, j].tolist(), f
        # the decision model: the same points, or a missing score on the rows the engines refuse
        out = engines["decision"].predict(X)
        ref = res["predict_points"]
        if isinstance(ref, str):
            ref = np.array([_row_points(sc, X.iloc[[i]]) for i in range(len(X))])
        np.testing.assert_array_equal(out["score_sc"].to_numpy(dtype=float), np.asarray(ref, dtype=float))

    check()


def test_challenger_engines_agree(models, engines):
    gbm = models["gbm"]
    scaling = engines["gbm"]

    @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(frames(models))
    def check(X):
        ref = _run(lambda: gbm.predict_proba(X)[:, 1])
        got = {
            "compiled": _run(lambda: engines["gbm"].predict(X)["proba_bad"].to_numpy()),
            "record": _run(lambda: np.array([engines["gbm"].score_record(r)["proba_bad"] for r in _records(X)])),
            "pyfunc": _run(lambda: engines["gbm_pyfunc"].predict(X)["proba_bad"].to_numpy()),
        }
        for name, g in got.items():
            if isinstance(ref, str) or isinstance(g, str):
                assert g == ref, (name, g, ref)
            else:
                np.testing.assert_allclose(g, ref, rtol=0, atol=1e-12, err_msg=name)
        if not isinstance(ref, str):
            pts = export._round_half_up(scaling.offset - scaling.factor * np.log(ref / (1 - ref)))
            cpts = engines["gbm"].predict(X)["points"].to_numpy()
            assert np.abs(pts - cpts).max() <= 1  # via the probability: at most a rounding apart
            out = engines["decision"].predict(X)
            np.testing.assert_allclose(out["score_gbm"].to_numpy(dtype=float), ref, rtol=0, atol=1e-12)

    check()


def test_fit_count_tables_equal_numpy_duckdb(models):
    import duckdb

    @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(st.data())
    def check(data):
        X = data.draw(frames(models, allow_bad_text=False))
        X = pd.concat([X, models["X"].head(20)], ignore_index=True)  # both classes present
        X["num"] = pd.to_numeric(X["num"].map(lambda v: _binrule.as_number(v)), errors="coerce").astype(float)
        X["catnum"] = X["catnum"].map(lambda v: _binrule.as_number(v) if _binrule.as_number(v) is not None else np.nan).astype(float)
        X["flag"] = X["flag"].map(lambda v: _binrule.value_key(v, "bool") == "True").astype(bool)
        X["cat"] = X["cat"].astype("str")
        X["cnt"] = X["cnt"].astype(float)
        y = np.arange(len(X)) % 2
        kinds = {"num": "numeric", "cnt": "numeric", "cat": "categorical", "catnum": "categorical", "flag": "categorical"}
        a = frame_counts(X, y, kinds, SPECIALS, max_fine_bins=None)
        con = duckdb.connect()
        b = duckdb_counts(con.from_df(X.assign(bad=y)), "bad", kinds, SPECIALS, max_fine_bins=None)
        for f in kinds:
            _same_table(a[f], b[f])

    check()


def _same_table(a, b) -> None:
    assert a.values.tolist() == b.values.tolist(), a.name
    for attr in ("good", "bad", "special_good", "special_bad"):
        np.testing.assert_array_equal(getattr(a, attr), getattr(b, attr), err_msg=f"{a.name}.{attr}")
    assert (a.missing_good, a.missing_bad, a.n_inf) == (b.missing_good, b.missing_bad, b.n_inf), a.name


# --------------------------------------------------------------------------- #
# the measured failures of issue 12
# --------------------------------------------------------------------------- #
def test_bool_fitted_scores_0_1_on_every_engine(models, engines):
    sc = models["sc"]
    X = models["X"].head(3).copy()
    as_bool = X.assign(flag=[True, False, True])
    as_int = X.assign(flag=np.array([1, 0, 1], dtype=np.int64))
    ref = sc.predict_points(as_bool)["total"].to_numpy()
    for frame in (as_int, X.assign(flag=pd.Series([1.0, 0.0, "true"], dtype=object))):
        res = _scorecard_results(models, engines, frame)
        res["duckdb"] = _duckdb_points(sc, frame)
        _assert_same(res)
        np.testing.assert_array_equal(res["predict_points"], ref)


def test_numeric_categorical_scored_from_object_and_text(models, engines):
    sc = models["sc"]
    X = models["X"].head(3).copy()
    ref = sc.predict_points(X.assign(catnum=[2.0, 2.0, 3.0]))["total"].to_numpy()
    for vals in ([2.0, 2, 3], ["2.0", " 2 ", "3"], [2.0, "2.0", 3.0]):
        frame = X.assign(catnum=pd.Series(vals, dtype=object))
        res = _scorecard_results(models, engines, frame)
        res["duckdb"] = _duckdb_points(sc, frame)
        _assert_same(res)
        np.testing.assert_array_equal(res["predict_points"], ref)
    fb = sc.binner_.bins_["catnum"]
    assert fb.rule.index("2.0")[0] == fb.rule.index(2)[0] == fb.rule.index(2.0)[0] != fb.fallback_index


def test_inf_special_code_through_fit_transform_export_and_sql(models, engines):
    import json

    sc = models["sc"]
    fb = sc.binner_.bins_["num"]
    j = fb.n_regular + [_binrule.numeric_code(c) for c in fb.specials].index(INF)
    n_inf = int(np.isinf(models["X"]["num"]).sum())
    assert fb.good[j] + fb.bad[j] == n_inf > 0  # fit counts them in the special bin
    X = models["X"][np.isinf(models["X"]["num"])].head(6)
    assert (sc.binner_.transform(X, output="index")[:, 0] == j).all()  # transform puts them there too
    text = sc.to_json()  # strict JSON (no Infinity token): inf travels as "inf"
    json.loads(text, parse_constant=lambda c: pytest.fail(f"non-standard JSON constant {c}"))
    assert '"inf"' in text
    again = LogisticScorecard.from_json(sc.to_json())
    np.testing.assert_array_equal(again.binner_.transform(X, output="index"), sc.binner_.transform(X, output="index"))
    res = _scorecard_results(models, engines, X)
    res["duckdb"] = _duckdb_points(sc, X)
    _assert_same(res)
    # the challenger: inf is a special code, not an unseen value; its description is strict JSON
    gbm = models["gbm"]
    json.dumps(gbm.to_dict(), allow_nan=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FallbackWarning)
        gbm.predict_proba(X)


def test_concurrent_first_predict_on_a_new_numba_scorer(models):
    spec = export.export_spec(models["sc"], n_reasons=0)
    X = models["X"].head(50)
    for _ in range(3):
        scorer = export.CompiledScorer(spec, engine="numba")
        barrier = threading.Barrier(4)
        errors: list[BaseException] = []
        results: list[np.ndarray] = []

        def work():
            barrier.wait()
            try:
                for _ in range(10):
                    results.append(scorer.predict(X)["points"].to_numpy())
            except BaseException as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not errors, errors[:3]
        assert len(results) == 40
        ref = models["sc"].predict_points(X)["total"].to_numpy()
        for r in results:
            np.testing.assert_array_equal(r, ref)


def test_unreadable_text_is_the_same_named_error_everywhere(models, engines):
    X = models["X"].head(5).copy()
    X["num"] = pd.Series([1.0, "abc", 3.0, None, "2"], dtype=object)
    res = _scorecard_results(models, engines, X)
    res["duckdb"] = _run(lambda: _duckdb_points(models["sc"], X))
    assert set(map(str, res.values())) == {"UnsupportedValueError"}, res
    with pytest.raises(UnsupportedValueError, match="'num'"):
        models["sc"].predict_points(X)


# --------------------------------------------------------------------------- #
# Spark: a few examples (one local[1] session for the module)
# --------------------------------------------------------------------------- #
@pytest.mark.slow
def test_spark_sql_and_counts_on_a_sample(models, spark, tmp_path):
    from scorecard.counts import spark_counts

    sc = models["sc"]
    frames_ = []

    @settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(frames(models, allow_bad_text=False))
    def collect(X):
        frames_.append(X)

    collect()
    # one Spark query for all sampled frames: the rows stacked, every column as its SQL engine would get it
    rows = []
    for X in frames_:
        try:
            ref = sc.predict_points(X)["total"].to_numpy()
        except UnsupportedValueError:
            continue
        rows.append((_sql_frame(X), ref))
    assert rows
    for k, (sf, ref) in enumerate(rows):
        path = tmp_path / f"f{k}.parquet"
        sf.to_parquet(path, index=False)
        view = f"parity_{k}"
        spark.read.parquet(str(path)).createOrReplaceTempView(view)
        got = spark.sql(export.to_sql(sc, "spark", view, keys=["__row"])).toPandas().sort_values("__row")
        np.testing.assert_array_equal(got["points"].to_numpy(), ref, err_msg=f"frame {k}")
    # fit-time: Spark's count tables equal numpy's on the training data
    X, y = models["X"], models["y"]
    kinds = {"num": "numeric", "cnt": "numeric", "cat": "categorical", "catnum": "categorical", "flag": "categorical"}
    path = tmp_path / "train.parquet"
    X.assign(bad=y).to_parquet(path, index=False)
    b = spark_counts(spark.read.parquet(str(path)), "bad", kinds, SPECIALS, max_fine_bins=None)
    a = frame_counts(X, y, kinds, SPECIALS, max_fine_bins=None)
    for f in kinds:
        _same_table(a[f], b[f])


def test_the_rule_module_sits_below_everything():
    """scorecard._binrule imports nothing of scorecard but its errors (every engine imports it, never the reverse)."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(_binrule.__file__).read_text(encoding="utf-8"))
    mods = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    mods |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    ours = {m for m in mods if m.startswith("scorecard")}
    assert ours == {"scorecard.errors"}, ours
    assert mods - ours <= {"__future__", "bisect", "collections.abc", "math", "numbers", "re", "typing",
                           "numpy", "pandas", "pyarrow", "pyarrow.compute"}, mods
