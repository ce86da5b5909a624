"""Tests for scorecard.quality (profile, target_rate) and datasets.load_dataset.

Expected values are computed by hand or with plain-Python loops, independently
of the pandas operations the module uses.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard import quality
from scorecard.datasets import (
    FEATURE_COLUMNS,
    PERSONAL_COLUMNS,
    SEGMENT_COLUMNS,
    SPECIAL_CODES,
    TARGET,
    load_dataset,
    load_german_credit,
    make_applications,
)
from scorecard.errors import DataError, MissingColumnError, TargetError


def _row(p: pd.DataFrame, column: str) -> pd.Series:
    return p.set_index("column").loc[column]


# --------------------------------------------------------------------------- #
# profile: by-hand values
# --------------------------------------------------------------------------- #


@pytest.fixture
def small() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "income": [1000.0, 2000.0, np.nan, 2000.0, 5000.0, np.nan, 3000.0, 2000.0],
            "score": [600, -999, 700, 650, -999, 620, 680, 600],
            "city": ["a", "b", "a", None, "a", "c", "b", "a"],
            "flat": [7, 7, 7, 7, 7, 7, 7, 7],
            "empty": [np.nan] * 8,
            "mostly_missing": [1.0, np.nan, np.nan, np.nan, np.nan, np.nan, 2.0, np.nan],
            "flag": [True, False, True, True, False, True, True, True],
        }
    )


def test_profile_by_hand(small: pd.DataFrame) -> None:
    p = quality.profile(small, special_codes={"score": [-999]})
    assert list(p.columns) == list(quality.PROFILE_COLUMNS)
    assert p["column"].tolist() == list(small.columns)
    assert (p["n_rows"] == 8).all()

    inc = _row(p, "income")
    assert inc["kind"] == "numeric" and inc["dtype"] == "float64"
    assert inc["n_missing"] == 2 and inc["missing_rate"] == 2 / 8
    assert inc["n_unique"] == 4  # 1000, 2000, 3000, 5000
    assert inc["top"] == "2000" and inc["top_share"] == 3 / 8
    assert (inc["min"], inc["median"], inc["max"]) == (1000.0, 2000.0, 5000.0)  # median of 1,2,2,2,3,5 (thousands)
    assert not inc["constant"] and not inc["all_missing"] and not inc["id_like"] and not inc["high_missing"]

    sc = _row(p, "score")
    assert sc["n_special"] == 2
    assert sc["n_unique"] == 6  # specials included: -999, 600, 620, 650, 680, 700
    assert sc["top"] == "-999"  # -999 and 600 both twice: the smaller wins
    assert sc["top_share"] == 2 / 8
    assert (sc["min"], sc["median"], sc["max"]) == (600.0, 635.0, 700.0)  # specials left out: 600,600,620,650,680,700

    city = _row(p, "city")
    assert city["kind"] == "categorical"
    assert city["n_missing"] == 1 and city["n_unique"] == 3
    assert city["top"] == "a" and city["top_share"] == 4 / 8
    assert math.isnan(city["min"]) and math.isnan(city["median"]) and math.isnan(city["max"])

    flat = _row(p, "flat")
    assert flat["constant"] and flat["n_unique"] == 1 and flat["top_share"] == 1.0

    empty = _row(p, "empty")
    assert empty["all_missing"] and empty["high_missing"] and not empty["constant"]
    assert empty["n_unique"] == 0 and empty["top_share"] == 0.0 and pd.isna(empty["top"])

    mm = _row(p, "mostly_missing")
    assert mm["high_missing"] and mm["missing_rate"] == 6 / 8

    flag = _row(p, "flag")
    assert flag["kind"] == "categorical"  # booleans are not numeric features
    assert flag["top"] == "True" and flag["top_share"] == 6 / 8


def test_profile_thresholds(small: pd.DataFrame) -> None:
    p = quality.profile(small, high_missing=0.2)
    assert _row(p, "income")["high_missing"]  # 25% > 20%
    p = quality.profile(small, high_missing=0.25)
    assert not _row(p, "income")["high_missing"]
    with pytest.raises(ValueError, match="high_missing"):
        quality.profile(small, high_missing=1.5)
    with pytest.raises(ValueError, match="max_categories"):
        quality.profile(small, max_categories=0)


def test_profile_list_of_special_codes_applies_to_every_numeric_column() -> None:
    X = pd.DataFrame({"a": [-1, 1, 2, 3], "b": [5, 6, -1, -1], "c": ["-1", "x", "y", "-1"]})
    p = quality.profile(X, special_codes=[-1])
    assert p["n_special"].tolist() == [1, 2, 2]
    assert _row(p, "b")["min"] == 5.0


def test_profile_other_dtypes() -> None:
    X = pd.DataFrame(
        {
            "cat": pd.Categorical(["a", "a", "b", None], categories=["a", "b", "unused"]),
            "nullable": pd.array([1, None, 3, 3], dtype="Int64"),
            "when": pd.to_datetime(["2024-01-01", "2024-02-01", None, "2024-01-01"]),
            "mixed": pd.Series([1, "x", None, "x"], dtype=object),
        }
    )
    p = quality.profile(X)
    assert p["n_unique"].tolist() == [2, 2, 2, 2]  # unused categories do not count
    assert p["n_missing"].tolist() == [1, 1, 1, 1]
    assert p["kind"].tolist() == ["categorical", "numeric", "categorical", "categorical"]
    assert _row(p, "nullable")["median"] == 3.0 and _row(p, "mixed")["top"] == "x"


def test_profile_counts_infinite_values() -> None:
    X = pd.DataFrame({"x": [1.0, np.inf, -np.inf, 4.0, np.nan]})
    r = _row(quality.profile(X), "x")
    assert r["n_inf"] == 2 and r["n_missing"] == 1
    assert (r["min"], r["max"]) == (1.0, 4.0)


def test_profile_errors(small: pd.DataFrame) -> None:
    with pytest.raises(MissingColumnError, match="nope"):
        quality.profile(small, mask=["nope"])
    with pytest.raises(MissingColumnError, match="nope"):
        quality.profile(small, special_codes={"nope": [-1]})
    with pytest.raises(DataError):
        quality.profile(pd.DataFrame({"a": []}))


def test_profile_is_pure(small: pd.DataFrame) -> None:
    before = small.copy()
    a = quality.profile(small)
    b = quality.profile(small)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(small, before)


# --------------------------------------------------------------------------- #
# profile: ID-like columns and personal data
# --------------------------------------------------------------------------- #


def test_mask_value() -> None:
    assert quality.mask_value("13812345678") == "99999999999"
    assert quality.mask_value("11010519491231002X") == "99999999999999999A"
    assert quality.mask_value("王小明") == "***"
    assert quality.mask_value("ab-C1") == "aa*A9"


def test_profile_never_shows_personal_values() -> None:
    df = make_applications(3000, random_state=5)
    p = quality.profile(df)
    for col in PERSONAL_COLUMNS:
        r = _row(p, col)
        assert r["id_like"] and r["masked"], col
    assert _row(p, "application_id")["id_like"]  # all distinct integers
    assert math.isnan(_row(p, "application_id")["max"])  # range of an ID is hidden
    assert _row(p, "phone")["top"] == "9" * 11
    assert _row(p, "id_number")["top"] in ("9" * 18, "9" * 17 + "A")
    # features and segments are not ID-like
    for col in (*FEATURE_COLUMNS, *SEGMENT_COLUMNS):
        assert not _row(p, col)["id_like"], col
    text = p.to_csv(index=False) + p.to_html() + p.to_string()
    values = set()
    for col in PERSONAL_COLUMNS:
        values |= {str(v) for v in df[col].dropna().unique()}
    leaked = [v for v in values if v in text]
    assert not leaked, leaked[:3]


def test_profile_masks_named_columns_and_small_text_id_columns() -> None:
    X = pd.DataFrame(
        {
            "email": [f"user{i}@example.org" for i in range(30)],  # 30 distinct of 30: ID-like
            "segment": ["x", "y"] * 15,
            "salary": np.arange(30, dtype=float) * 100,
        }
    )
    p = quality.profile(X, mask=["segment", "salary"])
    assert _row(p, "email")["id_like"] and "@" not in _row(p, "email")["top"]
    assert _row(p, "segment")["masked"] and _row(p, "segment")["top"] == "a"
    assert not _row(p, "segment")["id_like"]
    sal = _row(p, "salary")
    assert sal["masked"] and math.isnan(sal["max"])
    assert not _row(quality.profile(X), "segment")["masked"]


def test_high_cardinality_text_is_id_like_even_when_repeated() -> None:
    # 150 distinct values repeated 10 times: ratio 0.1, but more than max_categories
    X = pd.DataFrame({"name": [f"n{i}" for i in range(150)] * 10})
    assert _row(quality.profile(X), "name")["id_like"]
    assert not _row(quality.profile(X, max_categories=200), "name")["id_like"]


# --------------------------------------------------------------------------- #
# profile: property test against a plain-Python implementation
# --------------------------------------------------------------------------- #

_num = st.one_of(st.none(), st.integers(-5, 5).map(float), st.floats(-1e3, 1e3, allow_nan=False, width=32))
_cat = st.one_of(st.none(), st.sampled_from(["a", "b", "c", "d"]))


@settings(max_examples=60, deadline=None)
@given(nums=st.lists(_num, min_size=1, max_size=40), data=st.data())
def test_profile_matches_plain_python(nums: list, data: st.DataObject) -> None:
    cats = data.draw(st.lists(_cat, min_size=len(nums), max_size=len(nums)))
    X = pd.DataFrame({"x": pd.Series(nums, dtype="float64"), "c": pd.Series(cats, dtype="str")})
    p = quality.profile(X, max_categories=1000)
    n = len(nums)
    for col, values in (("x", nums), ("c", cats)):
        r = _row(p, col)
        present = [v for v in values if v is not None]
        counts = Counter(present)
        assert r["n_missing"] == n - len(present)
        assert r["missing_rate"] == pytest.approx((n - len(present)) / n)
        assert r["n_unique"] == len(counts)
        assert r["constant"] == (len(counts) == 1)
        assert r["all_missing"] == (not present)
        if counts:
            best = max(counts.values())
            assert r["top_share"] == pytest.approx(best / n)
            top = min(v for v, k in counts.items() if k == best)
            expected_top = str(int(top)) if isinstance(top, float) and top.is_integer() else str(top)
            assert r["top"] == expected_top
        if col == "x" and present:
            assert r["min"] == min(present) and r["max"] == max(present)
            assert r["median"] == pytest.approx(statistics.median(present))


# --------------------------------------------------------------------------- #
# target_rate
# --------------------------------------------------------------------------- #


def test_target_rate_by_hand() -> None:
    X = pd.DataFrame({"month": ["2024-02", "2024-01", "2024-01", "2024-03", "2024-02", None]})
    y = [1, 0, 1, 0, 0, 1]
    t = quality.target_rate(X, y, "month")
    assert list(t.columns) == ["month", "count", "share", "bads", "goods", "bad_rate"]
    assert t["month"].iloc[:3].tolist() == ["2024-01", "2024-02", "2024-03"]
    assert pd.isna(t["month"].iloc[3])  # missing values are a group, last
    assert t["count"].tolist() == [2, 2, 1, 1]
    assert t["bads"].tolist() == [1, 1, 0, 1]
    assert t["goods"].tolist() == [1, 1, 1, 0]
    assert t["bad_rate"].tolist() == [0.5, 0.5, 0.0, 1.0]
    assert t["share"].tolist() == pytest.approx([2 / 6, 2 / 6, 1 / 6, 1 / 6])
    dropped = quality.target_rate(X, y, "month", dropna=True)
    assert dropped["count"].tolist() == [2, 2, 1]


def test_target_rate_matches_loop_on_applications() -> None:
    df = make_applications(4000, random_state=2)
    for by in ("channel", "application_month"):
        t = quality.target_rate(df, TARGET, by)
        for value, row in zip(t[by], t.itertuples(index=False)):
            rows = [b for v, b in zip(df[by], df[TARGET]) if v == value]
            assert row.count == len(rows)
            assert row.bads == sum(rows)
            assert row.bad_rate == pytest.approx(sum(rows) / len(rows))
        assert t["count"].sum() == len(df)
        assert t[by].tolist() == sorted(df[by].unique())


def test_target_rate_two_columns_and_bad_value() -> None:
    X = pd.DataFrame({"a": ["x", "x", "y", "y"], "b": [1, 2, 1, 1]})
    t = quality.target_rate(X, ["bad", "good", "bad", "bad"], ["a", "b"], bad_value="bad")
    assert t[["a", "b"]].values.tolist() == [["x", 1], ["x", 2], ["y", 1]]
    assert t["count"].tolist() == [1, 1, 2]
    assert t["bads"].tolist() == [1, 0, 2]


def test_target_rate_errors() -> None:
    X = pd.DataFrame({"a": ["x", "y", "x"]})
    with pytest.raises(MissingColumnError, match="zz"):
        quality.target_rate(X, [0, 1, 0], "zz")
    with pytest.raises(TargetError, match="has 2 values but X has 3 rows"):
        quality.target_rate(X, [0, 1], "a")
    with pytest.raises(TargetError):
        quality.target_rate(X, ["g", "b", "g"], "a")
    with pytest.raises(ValueError, match="at least one column"):
        quality.target_rate(X, [0, 1, 0], [])


# --------------------------------------------------------------------------- #
# datasets.load_dataset (the notebooks' loader; tested here with the data stage)
# --------------------------------------------------------------------------- #


def test_load_dataset_german_credit() -> None:
    X, y = load_dataset("german_credit")
    X0, y0 = load_german_credit()
    pd.testing.assert_frame_equal(X, X0)
    pd.testing.assert_series_equal(y, y0)


def test_load_dataset_applications() -> None:
    X, y = load_dataset("applications", n_rows=2000, random_state=4)
    assert list(X.columns) == list(FEATURE_COLUMNS) + list(SEGMENT_COLUMNS)
    assert not set(PERSONAL_COLUMNS) & set(X.columns)
    assert len(X) == len(y) == 2000 and y.name == TARGET and str(y.dtype) == "int8"
    df = make_applications(2000, random_state=4)
    pd.testing.assert_frame_equal(X, df[list(X.columns)])
    assert y.tolist() == df[TARGET].tolist()
    assert set(SPECIAL_CODES) <= set(X.columns)


def test_load_dataset_csv(tmp_path: Path) -> None:
    path = tmp_path / "loans.csv"
    pd.DataFrame({"age": [30, 40, 50, 60], "status": ["paid", "default", "paid", "default"]}).to_csv(path, index=False)
    X, y = load_dataset(str(path), target="status", bad_value="default")
    assert list(X.columns) == ["age"]
    assert y.tolist() == [0, 1, 0, 1] and y.name == "status"
    X, y = load_dataset(path, target="status", bad_value="default")  # a Path works too
    with pytest.raises(TargetError, match="target=..."):
        load_dataset(str(path))
    with pytest.raises(TargetError, match="bad_value"):
        load_dataset(str(path), target="status")
    with pytest.raises(MissingColumnError, match="nope"):
        load_dataset(str(path), target="nope")


def test_load_dataset_errors() -> None:
    with pytest.raises(FileNotFoundError, match="german_credit"):
        load_dataset("no_such_dataset")
    with pytest.raises(ValueError, match="CSV file only"):
        load_dataset("german_credit", target="bad")
    with pytest.raises(ValueError, match="CSV file only"):
        load_dataset("applications", bad_value=1)
