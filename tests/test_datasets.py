"""Tests for scorecard.datasets: the German credit loader and the synthetic generator.

Formulas (ID check digit, the generating risk model, PSI) are re-implemented
here independently and compared with the module's output.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.datasets import (
    CATEGORICAL_FEATURES,
    FEATURE_COLUMNS,
    GERMAN_CREDIT_SHA256,
    NUMERIC_FEATURES,
    PERSONAL_COLUMNS,
    SPECIAL_CODES,
    STRATEGY_COLUMNS,
    TARGET,
    german_credit_path,
    id_number_check_digit,
    is_valid_id_number,
    load_german_credit,
    make_applications,
)
from scorecard.errors import DataError, TargetError

DATA_DIR = Path(__file__).resolve().parents[1] / "scorecard" / "data"
GERMAN_FILE = DATA_DIR / "german_credit.csv"

EXPECTED_COLUMNS = [
    "application_id", "application_month", "channel", "name", "phone", "id_number",
    "age", "monthly_income", "debt_to_income", "credit_utilization", "n_inquiries_6m",
    "months_since_last_delinquency", "bureau_score", "requested_amount", "loan_term_months",
    "years_at_employer", "n_open_accounts", "employment_type", "housing", "education",
    "loan_purpose", "device_os", "bureau_hit", "income_proof", "bad",
]  # fmt: skip
STR_COLUMNS = [
    "application_month", "channel", "name", "phone", "id_number",
    "employment_type", "housing", "education", "loan_purpose", "device_os",
]  # fmt: skip
INT64_COLUMNS = [
    "application_id", "age", "n_inquiries_6m", "bureau_score", "requested_amount",
    "loan_term_months", "n_open_accounts",
]  # fmt: skip
FLOAT_COLUMNS = [
    "monthly_income", "debt_to_income", "credit_utilization",
    "months_since_last_delinquency", "years_at_employer",
]  # fmt: skip
INT8_COLUMNS = ["bureau_hit", "income_proof", "bad"]


# --------------------------------------------------------------------------- #
# independent reference implementations
# --------------------------------------------------------------------------- #


def ref_check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 from its definition: weights 2**(17 - i) mod 11, check (12 - S) mod 11."""
    s = sum(int(ch) * pow(2, 17 - i, 11) for i, ch in enumerate(first17))
    c = (12 - s % 11) % 11
    return "X" if c == 10 else str(c)


def ref_valid_date(yyyymmdd: str) -> bool:
    try:
        dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return True


def completed_years(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def psi(expected: np.ndarray, actual: np.ndarray, n_bins: int = 10) -> float:
    """PSI on decile bands of the expected sample, empty bins floored at 1e-4."""
    edges = np.unique(np.quantile(expected, np.linspace(0, 1, n_bins + 1)))
    edges[0], edges[-1] = -np.inf, np.inf
    e = np.maximum(np.histogram(expected, edges)[0] / len(expected), 1e-4)
    a = np.maximum(np.histogram(actual, edges)[0] / len(actual), 1e-4)
    return float(np.sum((a - e) * np.log(a / e)))


def ref_true_pd(df: pd.DataFrame) -> np.ndarray:
    """The generating model, transcribed from the make_applications docstring."""
    age = df["age"].to_numpy(float)
    inc = df["monthly_income"].to_numpy(float)
    inc_na = np.isnan(inc)
    dti = df["debt_to_income"].to_numpy(float)
    util = df["credit_utilization"].to_numpy(float)
    hit = df["bureau_hit"].to_numpy() == 1
    msld = df["months_since_last_delinquency"].to_numpy(float)
    score = df["bureau_score"].to_numpy(float)
    eta = np.full(len(df), -4.80)
    eta += 0.0020 * (age - 40) ** 2
    eta += np.where(inc_na, 0.40, -0.50 * np.log(np.where(inc_na, 6000, inc) / 6000))
    low_inc = inc_na | (np.nan_to_num(inc, nan=0) < 4000)
    eta += 0.90 * dti + 1.50 * dti * low_inc
    u = np.nan_to_num(util)
    eta += np.where(~np.isnan(util), 0.50 * u + 1.00 * (u > 0.8), np.where(hit, 0.20, 0.0))
    eta += 0.40 * np.log1p(df["n_inquiries_6m"].to_numpy(float))
    m = np.nan_to_num(msld, nan=-1)
    eta += np.where(m >= 0, 1.20 * np.exp(-np.maximum(m, 0) / 12), 0.0)
    eta += np.where(np.isnan(msld), -0.30, 0.0)
    eta += np.select([score == -998, score == -999], [0.40, 0.60], -0.008 * (score - 650))
    eta += 0.20 * np.log(df["requested_amount"].to_numpy(float) / 15000)
    eta += 0.20 * (df["loan_term_months"].to_numpy() >= 24)
    eta -= 0.20 * np.log1p(df["years_at_employer"].to_numpy(float))
    eta += 0.10 * np.maximum(df["n_open_accounts"].to_numpy(float) - 5, 0)
    maps = {
        "employment_type": {"salaried": 0, "self_employed": 0.25, "freelance": 0.40,
                            "civil_servant": -0.60, "unemployed": 1.20},
        "housing": {"own": -0.30, "mortgage": -0.20, "rent": 0.20, "family": 0, "dorm": 0.10},
        "education": {"junior_high": 0.30, "high_school": 0.15, "college": 0,
                      "bachelor": -0.20, "master_plus": -0.35},
        "loan_purpose": {"consumer_goods": 0, "home_renovation": -0.10, "travel": 0.10,
                         "education": 0, "business": 0.30, "debt_consolidation": 0.50},
        "channel": {"api": 0.30, "h5": 0.15, "app": 0},
    }  # fmt: skip
    for col, coef in maps.items():
        eta += df[col].map(coef).to_numpy(float)
    eta += df["device_os"].map({"android": 0, "ios": -0.20, "harmonyos": 0}).fillna(0.10).to_numpy(float)
    eta -= 0.30 * df["income_proof"].to_numpy(float)
    return 1 / (1 + np.exp(-eta))


@pytest.fixture(scope="module")
def apps() -> pd.DataFrame:
    return make_applications(100_000, random_state=11, return_true_pd=True)


# --------------------------------------------------------------------------- #
# German credit
# --------------------------------------------------------------------------- #


def test_german_shape_target_and_dtypes():
    X, y = load_german_credit()
    assert X.shape == (1000, 20)
    assert "creditability" not in X.columns
    assert y.name == "bad" and y.dtype == np.int8
    assert int(y.sum()) == 300 and set(y.unique()) == {0, 1}
    raw = pd.read_csv(GERMAN_FILE)
    np.testing.assert_array_equal(y.to_numpy(), (raw["creditability"] == "bad").to_numpy())
    assert X["credit_amount"].dtype == np.int64
    assert X["purpose"].dtype == "str"
    assert X.index.equals(y.index)


def test_german_sha256_constant():
    digest = hashlib.sha256(GERMAN_FILE.read_bytes()).hexdigest()
    assert digest == GERMAN_CREDIT_SHA256
    assert GERMAN_CREDIT_SHA256 == "2c0bae00275c028fc853a1ea72cc7a68002c3f6876c41300c5c948711540c8c6"
    X, _ = load_german_credit(verify=True)
    assert len(X) == 1000


def test_german_verify_detects_modified_copy(tmp_path):
    copy = tmp_path / "german_credit.csv"
    data = bytearray(GERMAN_FILE.read_bytes())
    data[-3] = ord("X") if data[-3] != ord("X") else ord("Y")
    copy.write_bytes(bytes(data))
    with pytest.raises(DataError, match="sha256"):
        load_german_credit(copy, verify=True)


def test_german_missing_file_names_where_it_looked(tmp_path, monkeypatch):
    absent = tmp_path / "nowhere" / "german_credit.csv"
    with pytest.raises(FileNotFoundError, match="nowhere"):
        load_german_credit(absent)
    monkeypatch.setenv("SCORECARD_DATA_DIR", str(tmp_path))
    with pytest.raises(FileNotFoundError) as info:
        load_german_credit()
    assert "SCORECARD_DATA_DIR" in str(info.value) and str(tmp_path) in str(info.value)


def test_german_env_var_and_directory_path(tmp_path, monkeypatch):
    shutil.copy(GERMAN_FILE, tmp_path / "german_credit.csv")
    monkeypatch.setenv("SCORECARD_DATA_DIR", str(tmp_path))
    assert german_credit_path() == tmp_path / "german_credit.csv"
    X, y = load_german_credit(verify=True)
    assert X.shape == (1000, 20) and int(y.sum()) == 300
    monkeypatch.delenv("SCORECARD_DATA_DIR")
    assert german_credit_path(tmp_path) == tmp_path / "german_credit.csv"
    assert german_credit_path() == GERMAN_FILE


def test_german_bad_target_values(tmp_path):
    raw = pd.read_csv(GERMAN_FILE)
    raw.loc[3, "creditability"] = "maybe"
    raw.to_csv(tmp_path / "german_credit.csv", index=False)
    with pytest.raises(TargetError, match="maybe"):
        load_german_credit(tmp_path)


# --------------------------------------------------------------------------- #
# make_applications: shape, determinism, schema
# --------------------------------------------------------------------------- #


def test_determinism_same_seed_same_bytes():
    a = make_applications(20_000, random_state=3, drift=0.7)
    b = make_applications(20_000, random_state=3, drift=0.7)
    pd.testing.assert_frame_equal(a, b)
    assert pd.util.hash_pandas_object(a).sum() == pd.util.hash_pandas_object(b).sum()
    c = make_applications(20_000, random_state=4, drift=0.7)
    assert pd.util.hash_pandas_object(a).sum() != pd.util.hash_pandas_object(c).sum()
    for col in ("age", "monthly_income", "id_number", "bad"):
        assert not a[col].equals(c[col]), col


def test_columns_and_dtypes(apps):
    assert list(apps.columns) == EXPECTED_COLUMNS + ["true_pd"]
    assert "true_pd" not in make_applications(50).columns
    for col in STR_COLUMNS:
        assert apps[col].dtype == "str", col
    for col in INT64_COLUMNS:
        assert apps[col].dtype == np.int64, col
    for col in FLOAT_COLUMNS + ["true_pd"]:
        assert apps[col].dtype == np.float64, col
    for col in INT8_COLUMNS:
        assert apps[col].dtype == np.int8, col
        assert set(apps[col].unique()) == {0, 1}, col


def test_exported_column_groups():
    assert PERSONAL_COLUMNS == ("name", "phone", "id_number")
    assert TARGET == "bad"
    assert tuple(FEATURE_COLUMNS) == tuple(NUMERIC_FEATURES) + tuple(CATEGORICAL_FEATURES)
    assert not set(FEATURE_COLUMNS) & set(PERSONAL_COLUMNS)
    assert not set(FEATURE_COLUMNS) & set(STRATEGY_COLUMNS)
    assert TARGET not in FEATURE_COLUMNS and "true_pd" not in FEATURE_COLUMNS
    assert set(FEATURE_COLUMNS) | set(PERSONAL_COLUMNS) | set(STRATEGY_COLUMNS) | {
        TARGET, "application_id", "application_month"
    } == set(EXPECTED_COLUMNS)
    assert dict(SPECIAL_CODES) == {"months_since_last_delinquency": (-999,), "bureau_score": (-999, -998)}
    with pytest.raises(TypeError):
        SPECIAL_CODES["age"] = (-1,)  # read-only


def test_ids_and_months(apps):
    np.testing.assert_array_equal(apps["application_id"].to_numpy(), np.arange(1, len(apps) + 1))
    months = apps["application_month"]
    assert months.is_monotonic_increasing
    assert months.nunique() == 24 and months.min() == "2024-01" and months.max() == "2025-12"
    assert months.str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])").all()
    counts = months.value_counts().sort_index()
    assert counts.iloc[-1] > 1.3 * counts.iloc[0]  # volume grows over the window
    df = make_applications(3_000, start_month="2023-11", n_months=3)
    assert sorted(df["application_month"].unique()) == ["2023-11", "2023-12", "2024-01"]
    per = make_applications(3_000, start_month=pd.Period("2023-11", freq="M"), n_months=3)
    pd.testing.assert_frame_equal(df, per)
    one = make_applications(1, n_months=1)
    assert one.shape == (1, 25) and one["application_month"].iloc[0] == "2024-01"


def test_channels_differ_in_mix_and_risk(apps):
    assert set(apps["channel"].unique()) == {"api", "h5", "app"}
    share = apps["channel"].value_counts(normalize=True)
    assert 0.40 < share["api"] < 0.50 and 0.20 < share["app"] < 0.30
    by = apps.groupby("channel")
    assert by["age"].mean()["api"] < by["age"].mean()["app"] - 2
    assert by["bureau_hit"].mean()["api"] < by["bureau_hit"].mean()["app"]
    assert by["device_os"].apply(lambda s: s.isna().mean())["app"] == 0
    bad = by["bad"].mean()
    assert bad["app"] < bad["h5"] < bad["api"]


def test_bad_rate_and_true_pd(apps):
    rate = apps["bad"].mean()
    assert 0.08 < rate < 0.15
    pd_ = apps["true_pd"].to_numpy()
    assert ((pd_ > 0) & (pd_ < 1)).all()
    assert abs(pd_.mean() - rate) < 0.005
    # calibrated by decile of true_pd: observed bad rate within 4 standard errors
    dec = pd.qcut(apps["true_pd"], 10, labels=False)
    g = apps.groupby(dec).agg(p=("true_pd", "mean"), b=("bad", "mean"), n=("bad", "size"))
    se = np.sqrt(g["p"] * (1 - g["p"]) / g["n"])
    assert (np.abs(g["b"] - g["p"]) < 4 * se).all()


def test_true_pd_matches_documented_formula(apps):
    np.testing.assert_allclose(apps["true_pd"].to_numpy(), ref_true_pd(apps), rtol=1e-9, atol=1e-12)


def test_ranges(apps):
    assert apps["age"].between(18, 70).all()
    assert apps["monthly_income"].dropna().between(800, 1e6).all()
    assert apps["debt_to_income"].between(0, 2.5).all()
    assert apps["credit_utilization"].dropna().between(0, 1.1).all()
    assert apps["n_inquiries_6m"].between(0, 60).all()
    real_score = apps["bureau_score"][apps["bureau_score"] >= 0]
    assert real_score.between(350, 950).all()
    msld = apps["months_since_last_delinquency"].dropna()
    assert (msld[msld != -999].between(0, 84)).all()
    assert apps["requested_amount"].between(1_000, 200_000).all()
    assert set(apps["loan_term_months"].unique()) == {3, 6, 12, 24, 36}
    assert (apps["years_at_employer"] >= 0).all()
    assert (apps["years_at_employer"] <= apps["age"] - 16).all()
    assert (apps["n_open_accounts"] >= 0).all()
    # features correlate as documented
    assert apps[["monthly_income", "requested_amount"]].corr(method="spearman").iloc[0, 1] > 0.3
    assert apps[["monthly_income", "bureau_score"]].corr(method="spearman").iloc[0, 1] > 0.2


def test_missing_and_special_shares(apps):
    n = len(apps)
    assert 0.06 < apps["monthly_income"].isna().mean() < 0.10
    assert 0.10 < apps["credit_utilization"].isna().mean() < 0.30
    assert 0.05 < apps["device_os"].isna().mean() < 0.25
    no_hit = apps["bureau_hit"] == 0
    assert 0.05 < no_hit.mean() < 0.20
    thin = apps["bureau_score"] == -998
    assert 0.03 < thin.mean() < 0.12
    msld = apps["months_since_last_delinquency"]
    assert 0.30 < msld.isna().mean() < 0.80
    may_miss = {"monthly_income", "credit_utilization", "months_since_last_delinquency", "device_os"}
    for col in EXPECTED_COLUMNS:
        assert apps[col].notna().all() or col in may_miss, col
    # rare category
    unemployed = (apps["employment_type"] == "unemployed").sum() / n
    assert 0.002 < unemployed < 0.02
    assert apps["employment_type"].nunique() == 5


def test_bureau_fields_consistent(apps):
    no_hit = apps["bureau_hit"] == 0
    assert ((apps["bureau_score"] == -999) == no_hit).all()
    assert ((apps["months_since_last_delinquency"] == -999) == no_hit).all()
    assert apps.loc[no_hit, "credit_utilization"].isna().all()
    assert (apps.loc[no_hit, "n_open_accounts"] == 0).all()
    thin = apps["bureau_score"] == -998
    assert (thin == (~no_hit & (apps["n_open_accounts"] == 0))).all()
    assert (apps.loc[apps["monthly_income"].isna(), "income_proof"] == 0).all()
    assert 0.3 < apps["income_proof"].mean() < 0.7


# --------------------------------------------------------------------------- #
# personal data
# --------------------------------------------------------------------------- #


def test_phones(apps):
    assert apps["phone"].str.fullmatch(r"1[3-9]\d{9}").all()


def test_names(apps):
    assert apps["name"].str.len().between(2, 3).all()
    assert apps["name"].str.fullmatch(r"[\u4e00-\u9fff]{2,3}").all()


def test_id_numbers_check_digit_and_birth_date(apps):
    assert apps["id_number"].str.fullmatch(r"[1-9]\d{16}[\dX]").all()
    sample = apps.iloc[:: len(apps) // 2000]
    assert len(sample) >= 2000
    for id_number, age, month in zip(sample["id_number"], sample["age"], sample["application_month"]):
        assert ref_check_digit(id_number[:17]) == id_number[17], id_number
        assert is_valid_id_number(id_number)
        birth = dt.datetime.strptime(id_number[6:14], "%Y%m%d").date()  # a real date
        year, mon = int(month[:4]), int(month[5:7])
        first = dt.date(year, mon, 1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        # the application day lies in the month: age at it is bracketed by the month's ends
        assert completed_years(birth, first) <= age <= completed_years(birth, last), (id_number, age, month)
        assert abs((first - birth).days / 365.25 - age) <= 1.1


def test_id_sequence_parity_gives_both_sexes(apps):
    odd = apps["id_number"].str[16].astype(int) % 2 == 1
    assert 0.45 < odd.mean() < 0.70


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_digit_property(first17):
    check = id_number_check_digit(first17)
    assert check == ref_check_digit(first17)
    full = first17 + check
    assert is_valid_id_number(full) == ref_valid_date(first17[6:14])
    for other in "0123456789X":
        if other != check:
            assert not is_valid_id_number(first17 + other)


def test_check_digit_known_examples_and_bad_input():
    # the examples printed in GB 11643-1999
    assert is_valid_id_number("11010519491231002X")
    assert is_valid_id_number("11010519491231002x")
    assert is_valid_id_number("440524188001010014")
    assert not is_valid_id_number("440524188001010015")
    assert not is_valid_id_number("44052418800101001")
    assert not is_valid_id_number(440524188001010014)  # type: ignore[arg-type]
    assert not is_valid_id_number("44052418801301001" + id_number_check_digit("44052418801301001"))
    for bad in ("123", "1101051949123100A", "１１０１０５１９４９１２３１００２"):
        with pytest.raises(ValueError, match="17 ASCII digits"):
            id_number_check_digit(bad)


# --------------------------------------------------------------------------- #
# the risk model is non-linear
# --------------------------------------------------------------------------- #


def test_age_u_shape(apps):
    band = pd.cut(apps["age"], [17, 24, 35, 50, 60, 70])
    rate = apps.groupby(band, observed=True)["bad"].mean().to_numpy()
    young, mid, old = rate[0], rate[2], rate[4]
    assert young > mid + 0.04 and old > mid + 0.02
    assert rate.argmin() in (2, 3)


def test_utilization_threshold(apps):
    u = apps["credit_utilization"]
    pd_ = apps["true_pd"]
    below = pd_[(u > 0.70) & (u <= 0.80)].mean()
    above = pd_[(u > 0.80) & (u <= 0.90)].mean()
    lower = pd_[(u > 0.60) & (u <= 0.70)].mean()
    assert above / below > 1.5 and above - below > 2 * (below - lower)


def test_special_codes_carry_own_risk(apps):
    score = apps["bureau_score"]
    rate = apps.groupby(np.where(score < 0, score, 0))["bad"].mean()
    assert rate[-999] > rate[0] + 0.02 and rate[-998] > rate[0] + 0.02


# --------------------------------------------------------------------------- #
# drift
# --------------------------------------------------------------------------- #


def _first_last(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    m = df["application_month"]
    return df[m == m.min()], df[m == m.max()]


def test_drift_shifts_later_months():
    still = make_applications(100_000, random_state=5, drift=0.0)
    moved = make_applications(100_000, random_state=5, drift=1.0)
    s0, s1 = _first_last(still)
    m0, m1 = _first_last(moved)
    # the first month is untouched by drift (t = 0)
    pd.testing.assert_frame_equal(s0, m0)
    for col in ("credit_utilization", "n_inquiries_6m"):
        p_still = psi(s0[col].dropna().to_numpy(), s1[col].dropna().to_numpy())
        p_moved = psi(m0[col].dropna().to_numpy(), m1[col].dropna().to_numpy())
        assert p_still < 0.05, (col, p_still)
        assert p_moved > 0.20 and p_moved > 5 * p_still, (col, p_moved)
    assert m1["bad"].mean() > s1["bad"].mean() + 0.02
    assert (m1["channel"] == "api").mean() > (s1["channel"] == "api").mean() + 0.1
    assert m1["bureau_hit"].mean() < s1["bureau_hit"].mean() - 0.04


# --------------------------------------------------------------------------- #
# bad input
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("n_rows", [0, -5, 2.5, True, "10"])
def test_bad_n_rows(n_rows):
    with pytest.raises(ValueError, match="n_rows must be a positive integer"):
        make_applications(n_rows)


@pytest.mark.parametrize("drift", [-0.1, float("nan"), float("inf")])
def test_bad_drift(drift):
    with pytest.raises(ValueError, match="drift must be a finite number >= 0"):
        make_applications(10, drift=drift)


@pytest.mark.parametrize(
    "start", ["2024-13", "2024-00", "2024/01", "Jan 2024", "24-01", 202401, None, pd.Period("2024-01-05", "D")]
)
def test_bad_start_month(start):
    with pytest.raises(ValueError, match="start_month must be a 'YYYY-MM' string"):
        make_applications(10, start_month=start)


def test_bad_other_arguments():
    with pytest.raises(ValueError, match="n_months"):
        make_applications(10, n_months=0)
    with pytest.raises(ValueError, match="random_state"):
        make_applications(10, random_state=-1)
    with pytest.raises(DataError):
        make_applications(0)


def test_numpy_integer_arguments_accepted():
    a = make_applications(np.int64(500), random_state=np.int32(2), n_months=np.int64(6), drift=np.float32(0.5))
    b = make_applications(500, random_state=2, n_months=6, drift=0.5)
    pd.testing.assert_frame_equal(a, b)


def test_personal_columns_independent_of_target(apps):
    rate = apps.groupby(apps["phone"].str[:3])["bad"].mean()
    assert rate.max() - rate.min() < 0.05
