"""Tests of scorecard.counts: count tables against pandas group-bys, the fine-bin rule,
merging partitions, and DuckDB tables equal to the in-memory ones (Spark: test_scale)."""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard import WOEBinner
from scorecard import counts as C
from scorecard.datasets import load_german_credit


@pytest.fixture(scope="module")
def german():
    return load_german_credit()


def kinds_of(X):
    return {f: "numeric" if pd.api.types.is_numeric_dtype(X[f]) else "categorical" for f in X.columns}


def assert_same_counts(a: C.FeatureCounts, b: C.FeatureCounts) -> None:
    assert (a.name, a.kind, a.exact) == (b.name, b.kind, b.exact)
    if a.kind == "numeric":
        assert a.values.tolist() == b.values.tolist()
        assert a.upper.tolist() == b.upper.tolist()
        assert (a.all_integral, a.min_abs, a.n_inf) == (b.all_integral, b.min_abs, b.n_inf)
    else:
        assert list(a.values) == list(b.values)
        assert a.value_type == b.value_type
    assert a.good.tolist() == b.good.tolist() and a.bad.tolist() == b.bad.tolist()
    assert a.special_good.tolist() == b.special_good.tolist()
    assert a.special_bad.tolist() == b.special_bad.tolist()
    assert (a.missing_good, a.missing_bad, a.n_distinct) == (b.missing_good, b.missing_bad, b.n_distinct)


@st.composite
def numeric_columns(draw):
    n = draw(st.integers(1, 400))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    kind = draw(st.sampled_from(["int", "float", "wide_int", "rounded"]))
    if kind == "int":
        x = rng.integers(-5, 40, n).astype(float)
    elif kind == "wide_int":  # integers too spread for bincount: the sort path
        x = rng.integers(-(10**9), 10**9, n).astype(float)
    elif kind == "rounded":
        x = np.round(rng.normal(size=n), 1)
    else:
        x = rng.normal(size=n)
    x[rng.random(n) < 0.1] = np.nan
    x[rng.random(n) < 0.1] = -999.0
    y = (rng.random(n) < 0.3).astype(int)
    return x, y


@settings(max_examples=80, deadline=None)
@given(numeric_columns())
def test_numeric_counts_equal_a_pandas_groupby(col):
    x, y = col
    t = C.numeric_counts(x, y, [-999], name="x")
    df = pd.DataFrame({"x": x, "y": y})
    regular = df[df["x"].notna() & (df["x"] != -999)]
    g = regular.groupby("x")["y"].agg(["size", "sum"]).sort_index()
    assert t.values.tolist() == g.index.tolist()
    assert t.bad.tolist() == g["sum"].astype(float).tolist()
    assert t.good.tolist() == (g["size"] - g["sum"]).astype(float).tolist()
    assert t.missing_bad == float(df.loc[df["x"].isna(), "y"].sum())
    assert t.missing_good == float((df["x"].isna() & (df["y"] == 0)).sum())
    assert t.special_bad.tolist() == [float(df.loc[df["x"] == -999, "y"].sum())]
    assert t.n_rows == len(df) and t.n_distinct == len(g) and t.exact
    assert t.all_integral == bool(np.all(np.mod(g.index.to_numpy(), 1) == 0)) if len(g) else True


def test_categorical_counts_and_canonical_keys():
    y = np.array([1, 0, 0, 1, 1, 0])
    t = C.categorical_counts(pd.Series(["b", "a", "b", None, "c", "c"]), y, ["c"], name="s")
    assert list(t.values) == ["a", "b"] and t.bad.tolist() == [0.0, 1.0] and t.good.tolist() == [1.0, 1.0]
    assert t.special_bad.tolist() == [1.0] and t.special_good.tolist() == [1.0]
    assert (t.missing_good, t.missing_bad, t.value_type) == (0.0, 1.0, "text")
    # a numeric column binned as categories: 1 and 1.0 are one key, 2.5 keeps its repr
    t = C.categorical_counts(pd.Series([1.0, 1, 2.5, np.nan, 3]), np.array([1, 0, 1, 0, 0]), name="n")
    assert list(t.values) == ["1", "2.5", "3"] and t.value_type == "number"
    assert t.bad.tolist() == [1.0, 1.0, 0.0]
    codes, keys = C.category_codes(pd.Series(["1", 1, "x", None], dtype=object))
    assert keys == ["1", "x"] and codes.tolist() == [0, 0, 1, -1]
    assert C.categorical_counts(pd.Series([True, False, True]), np.array([1, 0, 0])).value_type == "bool"


def reference_compress(values, counts, k):
    """The fine-bin rule written out row by row: value i goes to floor(k * rows_below_i / N)."""
    total = sum(counts)
    below, buckets = 0, []
    for c in counts:
        buckets.append((k * below) // total)
        below += c
    groups: dict[int, list[int]] = {}
    for i, b in enumerate(buckets):
        groups.setdefault(b, []).append(i)
    return [(values[g[0]], values[g[-1]], sum(counts[i] for i in g)) for g in groups.values()]


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.integers(1, 50), min_size=1, max_size=300),
    k=st.integers(2, 64),
)
def test_compression_rule(counts, k):
    values = np.arange(len(counts), dtype=float) * 0.5
    n = np.array(counts, dtype=float)
    lo, hi, g, b = C.compress(values, values, n, np.zeros_like(n), k)
    ref = reference_compress(values.tolist(), counts, k)
    assert list(zip(lo.tolist(), hi.tolist(), g.tolist())) == [(a, z, float(c)) for a, z, c in ref]
    assert len(lo) <= k and g.sum() == sum(counts)
    assert (lo[1:] > hi[:-1]).all()  # contiguous, disjoint fine bins
    # a value holding more than N/k rows closes its fine bin: the next value starts a new one
    for i, c in enumerate(counts[:-1]):
        if c * k > sum(counts):
            assert values[i] in hi and values[i + 1] in lo


def test_edges_separate_adjacent_floats():
    a = 0.1
    b = np.nextafter(a, 1.0)
    t = C.numeric_counts(np.array([a, a, b, b]), np.array([0, 1, 1, 1]), name="x")
    e = t.edges
    assert t.upper[0] < e[0] <= t.values[1]
    assert t.aggregate(e)[0].tolist() == [1.0, 0.0]


@settings(max_examples=40, deadline=None)
@given(numeric_columns(), st.integers(1, 4))
def test_merged_partitions_equal_the_whole(col, parts):
    x, y = col
    cuts = np.linspace(0, x.size, parts + 1).astype(int)
    tables = [C.numeric_counts(x[a:b], y[a:b], [-999], name="x") for a, b in zip(cuts[:-1], cuts[1:])]
    merged = tables[0]
    for t in tables[1:]:
        merged = merged + t
    whole = C.numeric_counts(x, y, [-999], name="x")
    assert merged.values.tolist() == whole.values.tolist()
    assert merged.good.tolist() == whole.good.tolist() and merged.bad.tolist() == whole.bad.tolist()
    assert (merged.missing_good, merged.missing_bad) == (whole.missing_good, whole.missing_bad)
    assert merged.special_bad.tolist() == whole.special_bad.tolist()
    # compressing after the merge equals compressing the whole
    assert_same_counts(merged.compressed(8), whole.compressed(8))


def test_compressed_tables_refuse_to_merge():
    t = C.numeric_counts(np.arange(100.0), np.arange(100) % 2, name="x", max_fine_bins=10)
    with pytest.raises(ValueError, match="cannot be merged"):
        t.merge(t)


def test_fit_counts_of_merged_partitions_equals_fit_of_the_whole(german):
    X, y = german
    kinds = kinds_of(X)
    yy = y.to_numpy()
    parts = [C.frame_counts(X.iloc[i::3], yy[i::3], kinds, max_fine_bins=None) for i in range(3)]
    merged = {f: parts[0][f] + parts[1][f] + parts[2][f] for f in kinds}
    assert WOEBinner().fit_counts(merged).to_json() == WOEBinner().fit(X, y).to_json()
    assert WOEBinner().fit_counts(list(merged.values())).iv_.equals(WOEBinner().fit(X, y).iv_)


def test_problems_are_found_from_the_table():
    y = np.arange(300) % 2
    assert "entirely missing" in C.numeric_counts(np.full(300, np.nan), y).problem(100)
    assert "constant" in C.numeric_counts(np.full(300, 5.0), y).problem(100)
    assert "identifier" in C.numeric_counts(1e7 + np.arange(300.0), y).problem(100)
    assert C.numeric_counts(np.arange(300.0), y).problem(100) is None
    ids = C.categorical_counts(pd.Series([f"c{i}" for i in range(300)]), y)
    assert "identifier or free text" in ids.problem(100)


# -- DuckDB ---------------------------------------------------------------------


def frame_with_everything(n=3000, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-x))).astype(int)
    cont = rng.normal(size=n) * 10  # every value distinct: compressed above max_fine_bins
    cont[rng.random(n) < 0.05] = np.nan
    ints = rng.integers(0, 30, n).astype(float)
    ints[:100] = -999.0
    ints[100:150] = np.nan
    cat = rng.choice(["a", "b", "c", "d"], n).astype(object)
    cat[:40] = None
    cat[40:90] = "zz"  # a special code of a text column
    num_cat = rng.choice([1.0, 2.0, 3.5], n)
    return pd.DataFrame({"cont": cont, "ints": ints, "cat": cat, "num_cat": num_cat, "bad": y})


@pytest.mark.parametrize("max_fine_bins", [None, 1024, 16])
def test_duckdb_tables_equal_the_in_memory_tables(tmp_path, monkeypatch, max_fine_bins):
    df = frame_with_everything()
    path = tmp_path / "d.parquet"
    df.to_parquet(path)
    kinds = {"cont": "numeric", "ints": "numeric", "cat": "categorical", "num_cat": "categorical"}
    specials = {"ints": [-999], "cat": ["zz"]}
    mem = C.frame_counts(df, df["bad"].to_numpy(), kinds, specials, max_fine_bins=max_fine_bins)
    sql = C.duckdb_counts(str(path), "bad", kinds, specials, max_fine_bins=max_fine_bins)
    for f in kinds:
        assert_same_counts(mem[f], sql[f])
    if max_fine_bins:
        # large value tables are compressed inside DuckDB (window + integer rule): same bins
        monkeypatch.setattr(C, "_FETCH_LIMIT", 10)
        in_sql = C.duckdb_counts(duckdb.sql(f"SELECT * FROM read_parquet('{path}')"), "bad", kinds, specials,
                                 max_fine_bins=max_fine_bins)
        for f in kinds:
            assert_same_counts(mem[f], in_sql[f])
        assert not in_sql["cont"].exact


def test_duckdb_target_checks(tmp_path):
    df = frame_with_everything(200)
    path = tmp_path / "d.parquet"
    df.assign(bad=df["bad"] + 1).to_parquet(path)
    from scorecard.errors import MissingColumnError, TargetError

    with pytest.raises(TargetError, match="bad_value"):
        C.duckdb_counts(str(path), "bad", {"cont": "numeric"})
    t = C.duckdb_counts(str(path), "bad", {"cont": "numeric"}, bad_value=2)
    assert t["cont"].n_rows == 200 and t["cont"].bad.sum() + t["cont"].missing_bad == (df["bad"] == 1).sum()
    with pytest.raises(MissingColumnError, match="target column 'target'"):
        C.duckdb_counts(str(path), "target", {"cont": "numeric"})
    df.assign(bad=np.where(np.arange(200) == 3, np.nan, df["bad"])).to_parquet(path)
    with pytest.raises(TargetError, match="missing values"):
        C.duckdb_counts(str(path), "bad", {"cont": "numeric"})


def test_infinite_values_are_counted_and_refused(tmp_path):
    df = frame_with_everything(500)
    df.loc[:2, "cont"] = np.inf
    path = tmp_path / "d.parquet"
    df.to_parquet(path)
    assert C.duckdb_counts(str(path), "bad", {"cont": "numeric"})["cont"].n_inf == 3
    from scorecard.errors import DataError

    with pytest.raises(DataError, match="'cont' has 3 infinite values"):
        WOEBinner().fit(str(path), "bad")
    assert math.isinf(C.numeric_counts(np.array([np.nan]), np.array([1])).min_abs)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(4097, 20_000),
    kind=st.sampled_from(["normal", "lognormal", "rounded", "heavy_value", "tiny_and_huge"]),
    k=st.sampled_from([8, 64, 1024]),
)
def test_fast_paths_give_the_sort_and_compress_table(seed, n, kind, k):
    """Above 4,096 values numpy picks a path from a sample (hash table for repeated values,
    key-range histogram for nearly continuous ones); every path equals sort + compress()."""
    rng = np.random.default_rng(seed)
    x = {
        "normal": lambda: rng.normal(size=n),
        "lognormal": lambda: np.exp(3 * rng.normal(size=n)),
        "rounded": lambda: np.round(rng.normal(size=n) * 100, 2),
        "heavy_value": lambda: np.where(rng.random(n) < 0.5, 1.5, rng.normal(size=n)),
        "tiny_and_huge": lambda: np.concatenate([rng.normal(size=n // 2) * 1e12, -np.exp(rng.normal(size=n - n // 2)) * 1e-300]),
    }[kind]()
    y = rng.random(n) < 0.2
    got = C.numeric_counts(x, y, name="x", max_fine_bins=k)
    values, cnt = np.unique(x, return_counts=True)  # the reference: sort, then the rule
    bad = np.array([y[x == v].sum() for v in values]) if values.size < 50 else np.bincount(
        np.searchsorted(values, x[y]), minlength=values.size)
    lo, hi, g, b = C.compress(values, values, (cnt - bad).astype(float), bad.astype(float), k) if values.size > k else (
        values, values, (cnt - bad).astype(float), bad.astype(float))
    assert got.values.tolist() == lo.tolist() and got.upper.tolist() == hi.tolist()
    assert got.good.tolist() == g.tolist() and got.bad.tolist() == b.tolist()
    for integral, repeats in [(False, True), (False, False)]:
        v2, g2, b2, _ = C._value_table(x, y, integral, repeats)
        assert v2.tolist() == values.tolist() and b2.tolist() == bad.astype(float).tolist()
