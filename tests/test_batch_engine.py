"""The compiled batch engine of the exported scorer (scorecard._kernels) against the NumPy reference path.

Every result of ``CompiledScorer(engine="numba")`` must equal the reference
``engine="numpy"`` path exactly (points, probabilities, fallback counts and
reason codes), whatever the column storage; the kernels' bin codes must
equal ``_FeatureBins.assign`` on arbitrary values (hypothesis).
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard import _kernels, export
from scorecard.binning import _FeatureBins
from scorecard.errors import DataError, FallbackWarning

sys.path.insert(0, str(Path(__file__).parent))
from _export_helpers import applications_model, german_model  # noqa: E402


@pytest.fixture(scope="module")
def german():
    model, X, _ = german_model()
    return model, X


@pytest.fixture(scope="module")
def apps():
    return applications_model(100_000)


def _both(model, X, reasons=True):
    fast = export.CompiledScorer.from_model(model, engine="numba")
    ref = export.CompiledScorer.from_model(model, engine="numpy")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FallbackWarning)
        return fast.predict(X, reasons=reasons), ref.predict(X, reasons=reasons), fast


def test_engines_identical_on_german_and_100k_synthetic_rows(german, apps):
    for name, (model, X) in {"german": german, "synthetic": apps}.items():
        got, ref, fast = _both(model, X)
        pd.testing.assert_frame_equal(got, ref, obj=name)  # exact: points, proba bits, n_fallback, reasons
        if name == "synthetic":  # unseen categories, +-inf, missing values: fallbacks counted alike
            assert got["n_fallback"].sum() > 0
        got, ref, _ = _both(model, X, reasons=False)
        pd.testing.assert_frame_equal(got, ref)
        # every column took a kernel (none fell back to the reference assignment)
        state = fast._kernel_tables()
        out = np.empty(len(X), dtype=np.uint8)
        for j, f in enumerate(fast.features):
            assert state.features[j].codes(X[f], out) is not None, f


def test_engines_identical_whatever_the_storage(apps):
    model, rows = apps
    X = rows.iloc[1_234:9_876]  # a slice: Arrow arrays with a non-zero offset
    cats = [f for f in model.features_ if model.binner_.bins_[f].kind == "categorical"]
    nums = [f for f in model.features_ if f not in cats]
    variants = {
        "sliced": X,
        "object": X.astype({c: object for c in cats}),
        "category": X.astype({c: "category" for c in cats}),
        "python_str": X.astype({c: pd.StringDtype("python") for c in cats}),
        "arrow_dtype_large_string": X.assign(**{c: pd.Series(pd.arrays.ArrowExtensionArray(
            pa.array(X[c].astype(object).where(X[c].notna(), None).tolist(), type=pa.large_string())), index=X.index)
            for c in cats}),
        "chunked": pd.concat([X.iloc[:3000], X.iloc[3000:]]),
        "float32": X.astype({c: "float32" for c in nums}),
        "nullable": X.astype({c: "Float64" for c in nums}),
    }
    assert X[cats[0]].array.__arrow_array__().chunks[0].offset > 0
    assert len(variants["chunked"][cats[0]].array.__arrow_array__().chunks) == 2
    for name, V in variants.items():
        got, ref, _ = _both(model, V)
        pd.testing.assert_frame_equal(got, ref, obj=name)
        if name in ("sliced", "chunked", "arrow_dtype_large_string", "float32"):
            base, _, _ = _both(model, X)
            np.testing.assert_array_equal(got["points"].to_numpy(), base["points"].to_numpy(), err_msg=name)


def test_text_values_beyond_16_bytes_and_unicode(apps):
    model, rows = apps
    cat = next(f for f in model.features_ if model.binner_.bins_[f].kind == "categorical")
    X = rows.head(5000).copy()
    vals = X[cat].astype(object).to_numpy(copy=True)
    known = next(v for v in vals if isinstance(v, str))
    vals[:6] = [known + "x" * 20, known + "\0", "é" * 9, "", "x" * 40, known[:-1]]
    X[cat] = pd.Series(vals, index=X.index, dtype="str")
    got, ref, _ = _both(model, X)
    pd.testing.assert_frame_equal(got, ref)
    assert (got["n_fallback"].to_numpy()[:6] >= 1).all()


def test_numeric_text_error_and_empty_frame(german):
    model, X = german
    scorer = export.CompiledScorer.from_model(model, engine="numba")
    with pytest.raises(DataError, match="duration_in_month"):
        scorer.predict(X.assign(duration_in_month="twelve"))
    empty = scorer.predict(X.iloc[:0])
    assert list(empty.columns) == scorer.output_columns and len(empty) == 0


def test_engine_argument_checked(german):
    model, _ = german
    with pytest.raises(ValueError, match="engine"):
        export.CompiledScorer.from_model(model, engine="fast")


# --------------------------------------------------------------------------- #
# kernels against _FeatureBins.assign (hypothesis)
# --------------------------------------------------------------------------- #
_values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.sampled_from([-999.0, -998.0, 0.0, -0.0, 1.0, 2.5]),
)


@settings(max_examples=150, deadline=None)
@given(
    splits=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=0, max_size=20, unique=True),
    specials=st.lists(st.sampled_from([-999.0, -998.0, 7.0]), max_size=2, unique=True),
    values=st.lists(_values, min_size=1, max_size=3000),
    empty=st.lists(st.integers(0, 30), max_size=3),
    block=st.booleans(),
)
def test_numeric_codes_equal_assign(splits, specials, values, empty, block):
    splits = sorted(splits)
    n_bins = len(splits) + 1 + len(specials) + 1
    good = [3.0 + i for i in range(n_bins)]
    bad = [1.0 + (i % 3) for i in range(n_bins)]
    for e in empty:  # some bins without training rows
        if e < n_bins and sum(g > 0 for g in good) > 1:
            good[e] = bad[e] = 0.0
    fb = _FeatureBins(name="x", kind="numeric", splits=splits, specials=specials, good=good, bad=bad)
    x = np.array(values * (3 if block else 1), dtype=np.float64)  # > one block of 2048 rows sometimes
    feat = _kernels.FeatureCodes(fb)
    out = np.empty(x.size, dtype=np.uint8)
    n_fell = feat.codes(pd.Series(x), out)
    idx, n_fb = fb.assign(pd.Series(x))
    np.testing.assert_array_equal(feat.final[out], idx)
    assert n_fell == n_fb


_word = st.text(alphabet=st.sampled_from(list("ab_é\0Z9 ")), min_size=0, max_size=24)


@settings(max_examples=150, deadline=None)
@given(
    keys=st.lists(_word, min_size=1, max_size=12, unique=True),
    extra=st.lists(_word, max_size=6),
    picks=st.lists(st.integers(0, 10_000), min_size=1, max_size=2000),
    nulls=st.booleans(),
    offset=st.integers(0, 5),
    large=st.booleans(),
)
def test_text_codes_equal_assign(keys, extra, picks, nulls, offset, large):
    groups = [keys[i::2] for i in range(min(2, len(keys)))]
    n_bins = len(groups) + 1
    fb = _FeatureBins(name="c", kind="categorical", groups=groups, good=[5.0] * n_bins, bad=[1.0] * (n_bins - 1) + [0.0])
    near = [k[:i] + ("Z" if k[i] != "Z" else "a") + k[i + 1:] for k in keys if k for i in (len(k) - 1, len(k) // 2)]
    pool = keys + extra + near + [k + "a" for k in keys] + ([None] if nulls else [])  # near misses of every key
    values = [pool[p % len(pool)] for p in picks]
    arr = pa.array(["pad"] * offset + values, type=pa.large_string() if large else pa.string()).slice(offset)
    series = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([arr]))).astype("str")  # keeps the offset
    lookup = {c: i for i, grp in enumerate(groups) for c in grp}
    feat = _kernels.FeatureCodes(fb)  # its key table: the bin rule's
    if feat.text is None:  # keys alike in 16 bytes and length: the reference path (never with these keys)
        pytest.fail("no text table for distinct keys")
    out = np.empty(len(values), dtype=np.uint8)
    n_fell = feat.codes(series, out)
    idx, n_fb = fb.assign(series)
    np.testing.assert_array_equal(feat.final[out], idx)
    assert n_fell == n_fb


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 40), min_size=1, max_size=12),
    n=st.integers(1, 5000),
    m=st.integers(1, 6),
    seed=st.integers(0, 2**32 - 1),
)
def test_top_ranks_are_the_smallest_ranks(sizes, n, m, seed):
    rng = np.random.default_rng(seed)
    k = len(sizes)
    m = min(m, k)
    width = max(sizes)
    ranks = rng.permutation(sum(sizes))  # distinct ranks over all (feature, bin) cells
    table = np.zeros((k, width), dtype=np.int32)
    pos = 0
    for j, s in enumerate(sizes):
        table[j, :s] = ranks[pos: pos + s]
        pos += s
    codes = np.stack([rng.integers(0, s, n) for s in sizes]).astype(np.uint8)
    out = np.empty((m, n), dtype=np.int32)
    _kernels.top_ranks(codes, table, out)
    per_row = np.stack([table[j][codes[j]] for j in range(k)], axis=1)
    np.testing.assert_array_equal(out.T, np.sort(per_row, axis=1)[:, :m])


def test_totals_sum_in_feature_order():
    rng = np.random.default_rng(3)
    codes = rng.integers(0, 9, (7, 5000)).astype(np.uint8)
    pts = rng.integers(-40, 90, (7, 9)).astype(np.int64)
    contrib = rng.normal(size=(7, 9))
    points = np.empty(5000, dtype=np.int64)
    z = np.empty(5000)
    _kernels.totals(codes, pts, contrib, 0.25, points, z)
    ref_z = np.full(5000, 0.25)
    ref_p = np.zeros(5000, dtype=np.int64)
    for j in range(7):
        ref_z += contrib[j][codes[j]]
        ref_p += pts[j][codes[j]]
    np.testing.assert_array_equal(points, ref_p)
    np.testing.assert_array_equal(z, ref_z)  # same additions in the same order: identical bits


def _text_series(values: list) -> pd.Series:
    return pd.Series(values, dtype="str")


def test_text_codes_compare_every_byte_of_long_values():
    keys = ["debt_consolidation", "debt_consolidation_2", "a" * 16 + "bc", "short", "é" * 10]
    groups = [keys[:2], keys[2:]]
    fb = _FeatureBins(name="c", kind="categorical", groups=groups, good=[5.0, 4.0, 0.0], bad=[1.0, 2.0, 0.0])
    lookup = {c: i for i, grp in enumerate(groups) for c in grp}
    feat = _kernels.FeatureCodes(fb)  # its key table: the bin rule's
    assert feat.text is not None
    values = keys + ["debt_consolidatiox", "debt_consolidatioN", "a" * 16 + "bd", "a" * 16 + "cc", "a" * 16 + "b", "shorT", "é" * 9 + "e",
                     None, "", "debt_consolidation "] * 700  # many rows: the last ones take the byte-by-byte path
    series = _text_series(values)
    out = np.empty(len(values), dtype=np.uint8)
    n_fell = feat.codes(series, out)
    expect = [lookup.get(v, feat.unseen) if v is not None else feat.missing for v in values]
    np.testing.assert_array_equal(out, expect)
    idx, n_fb = fb.assign(series)
    np.testing.assert_array_equal(feat.final[out], idx)
    assert n_fell == n_fb == sum(v not in lookup for v in values)  # the missing bin is empty: None falls back too


def test_keys_alike_in_16_bytes_keep_the_reference_path():
    keys = ["debt_consolidation", "debt_consolidatioN"]
    fb = _FeatureBins(name="c", kind="categorical", groups=[keys[:1], keys[1:]], good=[5.0, 4.0, 1.0],
                      bad=[1.0, 2.0, 1.0])
    feat = _kernels.FeatureCodes(fb)
    assert feat.text is None
    assert feat.codes(_text_series(keys * 10), np.empty(20, dtype=np.uint8)) is None


def test_features_wider_than_one_mask_are_refused_by_the_kernels():
    wide = _FeatureBins(name="w", kind="numeric", splits=[float(s) for s in range(70)], good=[1.0] * 72,
                        bad=[1.0] * 72)
    with pytest.raises(ValueError, match="at most 63"):
        _kernels.FeatureCodes(wide)
