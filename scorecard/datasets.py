"""Datasets: the embedded German credit data and a synthetic loan-application generator.

Two sources of data for examples, notebooks and tests:

* :func:`load_german_credit` reads the UCI Statlog German Credit file shipped in
  ``scorecard/data/german_credit.csv`` (package data, so it ships in the wheel;
  CC BY 4.0, see ``scorecard/data/README.md``) and returns the
  20 features and the target coded ``1`` = bad, ``0`` = good.
* :func:`make_applications` builds a realistic synthetic consumer-loan
  application frame of any size (vectorised numpy; 1,000,000 rows take about
  1.5-3 s of CPU on one core). Its target is drawn from a *known* non-linear model of
  the features, returned as ``true_pd`` on request, so that binning, models and
  strategies can be checked against the truth. Its ``drift`` parameter shifts
  named feature distributions in later months, for PSI / CSI tests on an
  out-of-time sample. It also carries fake personal data (name, mobile number,
  PRC resident ID number with a valid check digit) for privacy-scanner tests;
  those columns are never features.

The helpers :func:`id_number_check_digit` and :func:`is_valid_id_number`
implement the ISO 7064 MOD 11-2 check of 18-digit PRC resident ID numbers
(GB 11643-1999).

Examples
--------
>>> from scorecard.datasets import load_german_credit, make_applications
>>> X, y = load_german_credit()
>>> X.shape, int(y.sum())
((1000, 20), 300)
>>> df = make_applications(1_000, random_state=1)
>>> df.shape[0], sorted(df["channel"].unique())
(1000, ['api', 'app', 'h5'])
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import time
import zlib
from collections.abc import Mapping
from numbers import Integral, Real
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from scorecard.errors import DataError, TargetError

__all__ = [
    "GERMAN_CREDIT_FILE",
    "GERMAN_CREDIT_SHA256",
    "GERMAN_CREDIT_TARGET",
    "DATA_DIR_ENV",
    "PACKAGE_DATA_DIR",
    "load_german_credit",
    "german_credit_path",
    "file_sha256",
    "make_applications",
    "TARGET",
    "PERSONAL_COLUMNS",
    "FEATURE_COLUMNS",
    "NUMERIC_FEATURES",
    "CATEGORICAL_FEATURES",
    "STRATEGY_COLUMNS",
    "SPECIAL_CODES",
    "CHANNELS",
    "id_number_check_digit",
    "is_valid_id_number",
]

logger = logging.getLogger(__name__)

# --------------------------------------------------------------------------- #
# German credit
# --------------------------------------------------------------------------- #

GERMAN_CREDIT_FILE = "german_credit.csv"
"""File name of the embedded German credit data inside the data folder."""

GERMAN_CREDIT_SHA256 = "2c0bae00275c028fc853a1ea72cc7a68002c3f6876c41300c5c948711540c8c6"
"""Expected sha256 of ``scorecard/data/german_credit.csv`` (byte-identical to the reference copy)."""

GERMAN_CREDIT_TARGET = "creditability"
"""Name of the target column in the file (values ``good`` / ``bad``)."""

DATA_DIR_ENV = "SCORECARD_DATA_DIR"
"""Environment variable naming a folder that holds the embedded data files."""

PACKAGE_DATA_DIR = Path(__file__).resolve().parent / "data"
"""The package's data folder (``scorecard/data/``), shipped in the wheel and the sdist."""


def file_sha256(path: str | os.PathLike[str]) -> str:
    """Return the hex sha256 digest of the file at ``path``.

    Parameters
    ----------
    path : str or PathLike
        File to hash (read in 1 MiB chunks).

    Returns
    -------
    str
        64 lowercase hex characters.

    Examples
    --------
    >>> file_sha256(german_credit_path()) == GERMAN_CREDIT_SHA256
    True
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def german_credit_path(path: str | os.PathLike[str] | None = None) -> Path:
    """Locate the German credit CSV file.

    Looked up in this order: ``path`` (a file, or a folder holding
    ``german_credit.csv``); else the folder named by the environment variable
    ``SCORECARD_DATA_DIR``; else the package's own ``scorecard/data/`` folder
    (package data: present in a wheel install as in the repository).

    Parameters
    ----------
    path : str, PathLike or None
        Explicit file or folder. When given, no other place is tried.

    Returns
    -------
    pathlib.Path
        The existing file.

    Raises
    ------
    FileNotFoundError
        When the file is absent; the message names every place looked at.

    Examples
    --------
    >>> german_credit_path().name
    'german_credit.csv'
    """
    if path is not None:
        candidate = Path(path)
        if candidate.is_dir():
            candidate = candidate / GERMAN_CREDIT_FILE
        tried = [(f"path={str(path)!r}", candidate)]
    elif os.environ.get(DATA_DIR_ENV):
        candidate = Path(os.environ[DATA_DIR_ENV]) / GERMAN_CREDIT_FILE
        tried = [(f"${DATA_DIR_ENV}", candidate)]
    else:
        candidate = PACKAGE_DATA_DIR / GERMAN_CREDIT_FILE
        tried = [("the package's data folder", candidate)]
    for _, file in tried:
        if file.is_file():
            return file
    where = "; ".join(f"{label}: {file}" for label, file in tried)
    raise FileNotFoundError(
        f"German credit data file {GERMAN_CREDIT_FILE!r} not found (looked in {where}). "
        f"Pass path=... to the file or its folder, or set {DATA_DIR_ENV} to the folder "
        "holding it (the file ships with the package, in scorecard/data/)."
    )


def load_german_credit(
    path: str | os.PathLike[str] | None = None, *, verify: bool = False
) -> tuple[pd.DataFrame, pd.Series]:
    """Load the UCI Statlog German Credit data (1000 applicants, 20 features).

    Hofmann, H. (1994), UCI Machine Learning Repository,
    https://doi.org/10.24432/C5NC77, licensed CC BY 4.0. The embedded copy uses
    readable labels instead of the coded values A11, A12, ...

    Parameters
    ----------
    path : str, PathLike or None
        The CSV file or its folder. Default: ``$SCORECARD_DATA_DIR``, else the
        package's ``scorecard/data/`` folder (see :func:`german_credit_path`).
    verify : bool, default False
        Check the file's sha256 against :data:`GERMAN_CREDIT_SHA256` first.

    Returns
    -------
    X : pandas.DataFrame
        The 20 feature columns as pandas reads them (integers ``int64``, text
        pandas' string dtype ``str``).
    y : pandas.Series
        Named ``bad``, dtype ``int8``: 1 = bad (300 rows), 0 = good (700 rows).

    Raises
    ------
    FileNotFoundError
        When the file cannot be found (the message says where it looked).
    DataError
        When ``verify=True`` and the checksum differs.
    TargetError
        When the ``creditability`` column is absent or holds values other than
        ``good`` / ``bad``.

    Examples
    --------
    >>> X, y = load_german_credit(verify=True)
    >>> X.shape, y.name, str(y.dtype), int(y.sum())
    ((1000, 20), 'bad', 'int8', 300)
    >>> str(X["credit_amount"].dtype), str(X["purpose"].dtype)
    ('int64', 'str')
    """
    file = german_credit_path(path)
    if verify:
        digest = file_sha256(file)
        if digest != GERMAN_CREDIT_SHA256:
            raise DataError(
                f"{file} has sha256 {digest}, expected {GERMAN_CREDIT_SHA256}: the file was "
                "modified or truncated; reinstall scorecard or restore scorecard/data/ from the repository"
            )
    frame = pd.read_csv(file)
    if GERMAN_CREDIT_TARGET not in frame.columns:
        raise TargetError(
            f"{file} has no target column {GERMAN_CREDIT_TARGET!r}; columns are "
            f"{list(frame.columns)[:5]}..."
        )
    target = frame.pop(GERMAN_CREDIT_TARGET)
    values = set(target.dropna().unique().tolist())
    if target.isna().any() or not values <= {"good", "bad"}:
        raise TargetError(
            f"target {GERMAN_CREDIT_TARGET!r} in {file} must hold 'good' / 'bad'; found "
            f"{sorted(map(str, values))[:10]} and {int(target.isna().sum())} missing values"
        )
    y = pd.Series((target == "bad").to_numpy().astype(np.int8), index=frame.index, name="bad")
    logger.debug("loaded German credit from %s: %d rows, %d bads", file, len(y), int(y.sum()))
    return frame, y


# --------------------------------------------------------------------------- #
# PRC resident ID number check digit (GB 11643-1999, ISO 7064 MOD 11-2)
# --------------------------------------------------------------------------- #

_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_CHECK_MAP = "10X98765432"
_ID_PATTERN = re.compile(r"^\d{17}[\dX]$")


def id_number_check_digit(first17: str) -> str:
    """Return the check character of an 18-digit PRC resident ID number.

    ISO 7064 MOD 11-2: ``S = sum(d_i * w_i)`` with weights
    ``7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2``, check = ``"10X98765432"[S % 11]``.

    Parameters
    ----------
    first17 : str
        The first 17 characters, all ASCII digits.

    Returns
    -------
    str
        One of ``0-9`` or ``X``.

    Raises
    ------
    ValueError
        When ``first17`` is not 17 ASCII digits.

    Examples
    --------
    >>> id_number_check_digit("11010519491231002")
    'X'
    """
    if not isinstance(first17, str) or len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"first17 must be a string of 17 ASCII digits, got {first17!r}")
    total = sum(int(c) * int(w) for c, w in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK_MAP[total % 11]


def is_valid_id_number(s: str) -> bool:
    """Tell whether ``s`` is an 18-character PRC resident ID with a valid check digit.

    Only the form (17 digits then a digit or ``X``; a lowercase ``x`` is
    accepted), the check digit and the embedded birth date (a real calendar
    date) are checked; the region code is not looked up.

    Parameters
    ----------
    s : str
        Candidate ID number. Non-strings give ``False``.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_valid_id_number("11010519491231002X"), is_valid_id_number("110105194912310021")
    (True, False)
    """
    if not isinstance(s, str):
        return False
    s = s.upper()
    if len(s) != 18 or not s.isascii() or not _ID_PATTERN.match(s):
        return False
    try:
        np.datetime64(f"{s[6:10]}-{s[10:12]}-{s[12:14]}", "D")
    except ValueError:
        return False
    return id_number_check_digit(s[:17]) == s[17]


def _id_check_codes(first17: np.ndarray) -> np.ndarray:
    """Vectorised ``S % 11`` (index into ``"10X98765432"``) for int64 values of 17 leading digits."""
    total = np.zeros(first17.shape, dtype=np.int64)
    rest = first17.copy()
    for weight in _ID_WEIGHTS[::-1]:  # last digit first
        total += (rest % 10) * weight
        rest //= 10
    return total % 11


# --------------------------------------------------------------------------- #
# Synthetic applications: schema
# --------------------------------------------------------------------------- #

TARGET = "bad"
"""Target column of :func:`make_applications`: ``1`` = bad, ``0`` = good (``int8``)."""

PERSONAL_COLUMNS: tuple[str, ...] = ("name", "phone", "id_number")
"""Personal-data columns of :func:`make_applications`; never model features."""

CHANNELS: tuple[str, ...] = ("api", "h5", "app")
"""Acquisition channels: partner API, mobile web (H5), own app."""

NUMERIC_FEATURES: tuple[str, ...] = (
    "age",
    "monthly_income",
    "debt_to_income",
    "credit_utilization",
    "n_inquiries_6m",
    "months_since_last_delinquency",
    "bureau_score",
    "requested_amount",
    "loan_term_months",
    "years_at_employer",
    "n_open_accounts",
)
"""Numeric model features of :func:`make_applications`."""

CATEGORICAL_FEATURES: tuple[str, ...] = (
    "employment_type",
    "housing",
    "education",
    "loan_purpose",
    "device_os",
)
"""Categorical model features of :func:`make_applications` (``str`` dtype)."""

FEATURE_COLUMNS: tuple[str, ...] = NUMERIC_FEATURES + CATEGORICAL_FEATURES
"""Model features of :func:`make_applications` (numeric, then categorical)."""

STRATEGY_COLUMNS: tuple[str, ...] = ("channel", "bureau_hit", "income_proof")
"""Segment and data-completeness columns used by credit strategies, not by the scorecard."""

SPECIAL_CODES: Mapping[str, tuple[int, ...]] = MappingProxyType(
    {
        "months_since_last_delinquency": (-999,),
        "bureau_score": (-999, -998),
    }
)
"""Special values per feature: ``-999`` no bureau record, ``-998`` thin file (read-only)."""

_EMPLOYMENT = np.array(["salaried", "self_employed", "freelance", "civil_servant", "unemployed"])
_HOUSING = np.array(["own", "mortgage", "rent", "family", "dorm"])
_EDUCATION = np.array(["junior_high", "high_school", "college", "bachelor", "master_plus"])
_PURPOSE = np.array(
    ["consumer_goods", "home_renovation", "travel", "education", "business", "debt_consolidation"]
)
_DEVICE = np.array(["android", "ios", "harmonyos"])
_TERMS = np.array([3, 6, 12, 24, 36], dtype=np.int64)

# Risk coefficients of the generating model (logit scale), one per category above.
_B_CHANNEL = np.array([0.30, 0.15, 0.00])
_B_EMPLOYMENT = np.array([0.00, 0.25, 0.40, -0.60, 1.20])
_B_HOUSING = np.array([-0.30, -0.20, 0.20, 0.00, 0.10])
_B_EDUCATION = np.array([0.30, 0.15, 0.00, -0.20, -0.35])
_B_PURPOSE = np.array([0.00, -0.10, 0.10, 0.00, 0.30, 0.50])
_B_DEVICE = np.array([0.00, -0.20, 0.00])
_B_DEVICE_MISSING = 0.10
_INTERCEPT = -4.80  # calibrated: bad rate about 11% at drift=0

# Administrative region codes (public, district level) for the synthetic ID numbers.
_REGION_CODES = np.array(
    [
        110101, 110105, 120101, 210102, 310101, 310115, 320102, 330106,
        350203, 370102, 410105, 420111, 430104, 440106, 440305, 500103,
        510107, 610113, 450103, 530102,
    ],
    dtype=np.int64,
)
_PHONE_PREFIXES = np.array(
    [130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155, 156,
     157, 158, 159, 166, 176, 177, 180, 181, 182, 183, 185, 186, 187, 188, 189,
     191, 198, 199],
    dtype=np.int64,
)
_SURNAMES = np.array(list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"))
_GIVEN_MALE = np.array(list("伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆"))
_GIVEN_FEMALE = np.array(list("芳娜敏静丽艳娟霞秀英慧婷雪琳晶燕玲桂红梅莉颖佳欣悦"))

_MONTH_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


# --------------------------------------------------------------------------- #
# Synthetic applications: generator
# --------------------------------------------------------------------------- #


def _stream(random_state: int, name: str) -> np.random.Generator:
    """An independent random stream per generated block, keyed by its name.

    Keying by name (not by call order) keeps every block unchanged when another
    block is added or altered later.
    """
    return np.random.default_rng(
        np.random.SeedSequence(random_state, spawn_key=(zlib.crc32(name.encode()),))
    )


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _pick(rng: np.random.Generator, logits: np.ndarray) -> np.ndarray:
    """Draw one category per row by inverse CDF from logits of shape (k, n); returns int64 codes."""
    p = np.exp(logits - logits.max(axis=0))
    np.cumsum(p, axis=0, out=p)
    u = rng.random(p.shape[1]) * p[-1]
    codes = np.zeros(p.shape[1], dtype=np.int64)
    for row in p[:-1]:
        codes += u >= row
    return codes


def _base_logits(shares: tuple[float, ...], n: int) -> np.ndarray:
    """Logits (k, n) of the given category shares, the same for every row."""
    return np.repeat(np.log(np.asarray(shares, dtype=np.float64))[:, None], n, axis=1)


def _take_str(labels: np.ndarray | list[str], codes: np.ndarray) -> pd.Series:
    """Labels picked by integer codes as a pandas ``str`` Series; code -1 gives a missing value."""
    return pd.Series(pd.array(np.asarray(labels), dtype="str").take(codes, allow_fill=True))


def _check_args(
    n_rows: object, random_state: object, start_month: object, n_months: object, drift: object
) -> tuple[int, int, np.datetime64, int, float]:
    if isinstance(n_rows, bool) or not isinstance(n_rows, Integral) or n_rows <= 0:
        raise DataError(f"n_rows must be a positive integer, got {n_rows!r}")
    if isinstance(random_state, bool) or not isinstance(random_state, Integral) or random_state < 0:
        raise DataError(
            f"random_state must be a non-negative integer (outputs are reproducible), got {random_state!r}"
        )
    if isinstance(n_months, bool) or not isinstance(n_months, Integral) or n_months <= 0:
        raise DataError(f"n_months must be a positive integer, got {n_months!r}")
    if isinstance(start_month, pd.Period) and start_month.freqstr == "M":
        start_month = start_month.strftime("%Y-%m")
    if not isinstance(start_month, str) or not _MONTH_PATTERN.match(start_month):
        raise DataError(
            f"start_month must be a 'YYYY-MM' string such as '2024-01' (month 01-12), got {start_month!r}"
        )
    if isinstance(drift, bool) or not isinstance(drift, Real) or not np.isfinite(drift) or drift < 0:
        raise DataError(f"drift must be a finite number >= 0 (0 = stationary), got {drift!r}")
    return int(n_rows), int(random_state), np.datetime64(start_month, "M"), int(n_months), float(drift)


def make_applications(
    n_rows: int,
    random_state: int = 0,
    *,
    start_month: str = "2024-01",
    n_months: int = 24,
    drift: float = 0.0,
    return_true_pd: bool = False,
) -> pd.DataFrame:
    r"""Build a synthetic consumer-loan application frame with a known risk model.

    Rows are applications, ordered by month; ``application_id`` runs 1..n.
    Volume grows over the window (the last month has about 1.5 times the
    first month's applications). Everything is vectorised numpy; the same
    arguments give a byte-identical frame (each block of columns has its own
    random stream derived from ``random_state``).

    Parameters
    ----------
    n_rows : int
        Number of applications (> 0).
    random_state : int, default 0
        Seed (>= 0).
    start_month : str, default "2024-01"
        First application month, ``"YYYY-MM"`` (a monthly ``pandas.Period`` is
        accepted too).
    n_months : int, default 24
        Number of months the applications spread over.
    drift : float, default 0.0
        0 = stationary. With ``drift = d`` and month position
        ``t = month_index / (n_months - 1)`` in [0, 1] (``t = 0`` for a single
        month), the shift ``s = d * t`` moves, and only moves:

        * ``credit_utilization``: +0.8 s on the logit of its mean (higher);
        * ``n_inquiries_6m``: Poisson mean times ``exp(0.4 s)``;
        * ``monthly_income``: -0.15 s on the log scale (lower; also moves
          ``requested_amount`` through its dependence on income);
        * ``channel``: +0.8 s on the logit of ``api`` (more partner traffic);
        * ``bureau_hit``: -0.6 s on its logit (more applicants with no bureau
          record, hence more -999 codes and missing utilisation).

        Columns that depend on these move with them (``requested_amount``
        through income; ``age``, ``device_os``, ``income_proof`` slightly,
        through the channel mix; the -999 codes, ``n_open_accounts`` and the
        missing utilisation through ``bureau_hit``). The conditional risk model
        below does not change (covariate shift): the bad rate rises only
        because applicants move to riskier values. Measured between the first
        and the last month (decile PSI): ``d = 0.5`` gives PSI about 0.07 on
        utilisation and 0.09 on inquiries ("stable" / "watch"), ``d = 1`` about
        0.33 and 0.43 ("shifted") and the bad rate rises from about 11% to
        15%.
    return_true_pd : bool, default False
        Add the column ``true_pd`` (the probability the target was drawn with).

    Returns
    -------
    pandas.DataFrame
        Columns, in order (``str`` is pandas' string dtype, NaN = missing):

        ==============================  ========  =========================================
        application_id                  int64     1..n_rows, sequential, in month order
        application_month               str       ``"YYYY-MM"`` (sorts chronologically)
        channel                         str       ``api`` / ``h5`` / ``app``
        name                            str       personal: Chinese name (2-3 characters)
        phone                           str       personal: mobile ``1[3-9]`` + 9 digits
        id_number                       str       personal: 18-char resident ID, valid check
        age                             int64     18..70, exact age from the ID's birth date
        monthly_income                  float64   CNY, log-normal, rounded to 100; ~8% NaN
        debt_to_income                  float64   0..2.5 (about 8% exactly 0)
        credit_utilization              float64   0..1.1; NaN with no bureau record or no
                                                  revolving account (~20%)
        n_inquiries_6m                  int64     0..60
        months_since_last_delinquency   float64   0..84; NaN = never delinquent;
                                                  -999 = no bureau record
        bureau_score                    int64     350..950; -999 no bureau record,
                                                  -998 thin file (record, no open account)
        requested_amount                int64     CNY 1,000..200,000 (round amounts)
        loan_term_months                int64     3 / 6 / 12 / 24 / 36
        years_at_employer               float64   0..(age - 16), one decimal
        n_open_accounts                 int64     0..; 0 when no bureau record
        employment_type                 str       salaried / self_employed / freelance /
                                                  civil_servant / unemployed (rare, ~1%)
        housing                         str       own / mortgage / rent / family / dorm
        education                       str       junior_high / high_school / college /
                                                  bachelor / master_plus
        loan_purpose                    str       consumer_goods / home_renovation / travel /
                                                  education / business / debt_consolidation
        device_os                       str       android / ios / harmonyos; NaN mostly on
                                                  ``api`` (partners do not pass it)
        bureau_hit                      int8      1 = bureau record (0 iff the -999 codes)
        income_proof                    int8      1 = income documents supplied
                                                  (0 whenever income is missing)
        bad                             int8      target, 1 = bad
        true_pd                         float64   only with ``return_true_pd=True``
        ==============================  ========  =========================================

        Features are correlated through a latent creditworthiness factor and
        through age, education and channel (e.g. income with education and
        age; utilisation, inquiries, bureau score and delinquency with the
        latent factor; amount with income; term with amount).

    Notes
    -----
    The target is ``bad ~ Bernoulli(true_pd)``, ``true_pd = 1 / (1 + exp(-eta))``,
    a function of the observed columns only:

    .. code-block:: text

        eta = -4.80
            + 0.0020 * (age - 40)**2                                 U-shape in age
            - 0.50 * ln(income / 6000)           if income observed, else + 0.40
            + 0.90 * dti + 1.50 * dti * low_inc  low_inc = income < 4000 or missing
            + 0.50 * util + 1.00 * [util > 0.8]  if util observed
              + 0.20                             if util missing with a bureau record
            + 0.40 * ln(1 + n_inquiries_6m)
            + 1.20 * exp(-msld / 12)             if msld >= 0 (recent delinquency)
              - 0.30                             if msld missing (never delinquent)
            - 0.008 * (bureau_score - 650)       if a real score
              + 0.40 if -998 (thin file),  + 0.60 if -999 (no bureau record)
            + 0.20 * ln(requested_amount / 15000)
            + 0.20 * [loan_term_months >= 24]
            - 0.20 * ln(1 + years_at_employer)
            + 0.10 * max(n_open_accounts - 5, 0)
            + employment  salaried 0, self_employed .25, freelance .40,
                          civil_servant -.60, unemployed 1.20
            + housing     own -.30, mortgage -.20, rent .20, family 0, dorm .10
            + education   junior_high .30, high_school .15, college 0,
                          bachelor -.20, master_plus -.35
            + purpose     consumer_goods 0, home_renovation -.10, travel .10,
                          education 0, business .30, debt_consolidation .50
            + device_os   android 0, ios -.20, harmonyos 0, missing .10
            - 0.30 * income_proof
            + channel     api .30, h5 .15, app 0

    (``dti`` = ``debt_to_income``, ``util`` = ``credit_utilization``,
    ``msld`` = ``months_since_last_delinquency``.) The bad rate is about 11%
    at ``drift=0``. ``channel`` and ``income_proof`` carry risk but are not in
    :data:`FEATURE_COLUMNS`: they are strategy columns
    (:data:`STRATEGY_COLUMNS`), which is what gives a per-channel cross-credit
    strategy something to add to the score.

    The personal columns are fake and drawn independently of the risk model
    (only the ID's birth date is tied to ``age``, and its sequence parity,
    odd = male, to the name list). ID numbers are not unique across rows
    (repeat applicants are realistic); real region codes are used, so a
    generated number may coincide with a real one, but name, phone and ID are
    drawn independently and link to no one.

    Raises
    ------
    DataError
        (a ``ValueError``) on a non-positive ``n_rows`` or ``n_months``, a
        negative or non-finite ``drift``, a negative ``random_state`` or a
        ``start_month`` not of the form ``"YYYY-MM"``.

    Examples
    --------
    >>> df = make_applications(5_000, random_state=7, return_true_pd=True)
    >>> df.shape
    (5000, 26)
    >>> list(df.columns[:6])
    ['application_id', 'application_month', 'channel', 'name', 'phone', 'id_number']
    >>> df["application_month"].nunique(), df["application_month"].min()
    (24, '2024-01')
    >>> all(is_valid_id_number(s) for s in df["id_number"])
    True
    >>> bool(0.08 < df["bad"].mean() < 0.15)
    True
    >>> make_applications(10).equals(make_applications(10))
    True
    """
    n, seed, start, n_months, drift = _check_args(n_rows, random_state, start_month, n_months, drift)
    started = time.perf_counter()

    # -- time: months (volume growing 1 -> 1.5 over the window), day within month
    rng = _stream(seed, "time")
    weights = 1.0 + 0.5 * np.arange(n_months) / max(n_months - 1, 1)
    month_idx = np.sort(rng.choice(n_months, size=n, p=weights / weights.sum()))
    t = month_idx / (n_months - 1) if n_months > 1 else np.zeros(n)
    shift = drift * t
    months = start + np.arange(n_months + 1)
    month_start_day = months.astype("datetime64[D]")
    days_in_month = np.diff(month_start_day).astype(np.int64)
    app_date = month_start_day[month_idx] + np.floor(
        rng.random(n) * days_in_month[month_idx]
    ).astype("timedelta64[D]")
    month_labels = months[:-1].astype(str)

    # -- channel and latent creditworthiness
    rng = _stream(seed, "channel")
    ch_logits = _base_logits((0.45, 0.30, 0.25), n)
    ch_logits[0] += 0.8 * shift
    channel = _pick(rng, ch_logits)
    is_api, is_h5, is_app = channel == 0, channel == 1, channel == 2
    z = rng.standard_normal(n) + np.array([-0.15, 0.0, 0.20])[channel]

    # -- age from a birth date (exact completed years at the application date)
    rng = _stream(seed, "age")
    age_scale = np.array([5.3, 6.2, 6.8])[channel]
    age_years = 18.01 + rng.gamma(2.6, 1.0, n) * age_scale
    old_tail = 50.0 + 20.9 * rng.random(n)  # the few draws past 70.9 spread over 50..70.9
    age_years = np.where(age_years < 70.9, age_years, old_tail)
    birth = app_date - np.round(age_years * 365.2425).astype("timedelta64[D]")
    a_y, a_m, a_d = _ymd(app_date)
    b_y, b_m, b_d = _ymd(birth)
    age = (a_y - b_y - ((a_m * 100 + a_d) < (b_m * 100 + b_d))).astype(np.int64)
    age_c = (age - 35) / 10.0

    # -- education (ordinal probit on the latent factor), employment, housing
    rng = _stream(seed, "education")
    edu_latent = 0.6 * z - 0.15 * np.maximum(age_c, 0) + rng.standard_normal(n)
    education = np.searchsorted(np.array([-1.370, -0.387, 0.513, 1.918]), edu_latent).astype(np.int64)
    edu_c = education - 2.0

    rng = _stream(seed, "employment")
    emp_logits = _base_logits((0.58, 0.16, 0.14, 0.11, 0.008), n)
    emp_logits[1] += 0.3 * age_c
    emp_logits[2] += -0.4 * z - 0.3 * age_c
    emp_logits[3] += 0.6 * z + 0.4 * edu_c
    emp_logits[4] += -0.5 * z
    employment = _pick(rng, emp_logits)

    rng = _stream(seed, "housing")
    hou_logits = _base_logits((0.22, 0.25, 0.28, 0.20, 0.05), n)
    hou_logits[0] += 0.6 * age_c
    hou_logits[1] += 0.4 * z + 0.3 * age_c
    hou_logits[3] += -0.8 * age_c
    hou_logits[4] += -0.5 * age_c
    housing = _pick(rng, hou_logits)

    # -- income (log-normal), its missingness and proof
    rng = _stream(seed, "income")
    age_curve = 0.018 * (np.minimum(age, 45) - 30) - 0.012 * np.maximum(age - 55, 0)
    log_income = (
        np.log(6000.0)
        + 0.30 * z
        + 0.12 * edu_c
        + age_curve
        + np.array([0.0, 0.15, -0.15, 0.10, -0.80])[employment]
        + rng.standard_normal(n) * np.where(employment == 1, 0.55, 0.40)
        - 0.15 * shift
    )
    income_true = np.maximum(np.round(np.exp(log_income), -2), 800.0)
    p_missing = 0.05 + 0.07 * is_h5 + 0.05 * np.isin(employment, (1, 2)) - 0.02 * is_app
    income_missing = rng.random(n) < p_missing
    monthly_income = np.where(income_missing, np.nan, income_true)
    p_proof = _sigmoid(-0.2 + 0.9 * is_app - 0.6 * is_api + 0.7 * np.isin(employment, (0, 3)) + 0.2 * z)
    income_proof = ((rng.random(n) < p_proof) & ~income_missing).astype(np.int8)

    rng = _stream(seed, "dti")
    dti = np.exp(np.log(0.28) - 0.25 * z + 0.55 * rng.standard_normal(n))
    dti = np.where(rng.random(n) < 0.08, 0.0, np.round(np.clip(dti, 0.0, 2.5), 3))

    # -- bureau: hit, open accounts, score, utilisation, delinquency
    rng = _stream(seed, "bureau")
    p_hit = _sigmoid(1.5 + 0.25 * np.minimum(age - 22, 8) + 0.3 * z - 0.8 * is_api - 0.6 * shift)
    hit = rng.random(n) < p_hit
    # Poisson draws consume a parameter-dependent amount of randomness: each gets its own
    # stream, so that rows of month one (t = 0) are identical whatever the drift.
    n_open = _stream(seed, "open_accounts").poisson(np.exp(1.0 + 0.15 * z + 0.2 * np.clip(age_c, -1.5, 1.5)))
    n_open = np.where(hit, n_open, 0).astype(np.int64)
    score = np.clip(np.round(640 + 65 * z + 40 * rng.standard_normal(n)), 350, 950).astype(np.int64)
    bureau_score = np.where(~hit, -999, np.where(n_open == 0, -998, score)).astype(np.int64)

    has_revolving = hit & (rng.random(n) < 0.88)
    util = 1.1 * _sigmoid(-0.5 - 0.8 * z + 0.8 * shift + rng.standard_normal(n))
    util = np.where(rng.random(n) < 0.08, 0.0, np.round(util, 3))
    credit_utilization = np.where(has_revolving, util, np.nan)

    ever_delinquent = rng.random(n) < _sigmoid(-0.9 - 0.8 * z)
    msld = np.minimum(np.floor(rng.exponential(1.0, n) * 24 * np.exp(0.3 * z)), 84)
    msld = np.where(~hit, -999.0, np.where(ever_delinquent, msld, np.nan))

    rng = _stream(seed, "inquiries")
    lam = np.exp(0.9 - 0.35 * z + 0.35 * is_api + 0.10 * is_h5 - 0.1 * age_c + 0.4 * shift)
    n_inq = np.minimum(rng.poisson(lam), 60).astype(np.int64)

    # -- loan: purpose, amount, term; employment tenure; device
    rng = _stream(seed, "loan")
    pur_logits = _base_logits((0.38, 0.14, 0.12, 0.08, 0.12, 0.16), n)
    pur_logits[1] += 0.6 * (housing <= 1)
    pur_logits[4] += 1.0 * (employment == 1)
    pur_logits[5] -= 0.4 * z
    purpose = _pick(rng, pur_logits)
    log_amount = (
        np.log(15000.0)
        + 0.5 * (np.log(income_true) - np.log(6000.0))
        + np.array([0.0, 0.6, -0.3, 0.2, 0.5, 0.3])[purpose]
        + 0.55 * rng.standard_normal(n)
    )
    amount = np.exp(log_amount)
    amount = np.where(amount < 5000, np.round(amount / 500) * 500, np.round(amount, -3))
    requested_amount = np.clip(amount, 1000, 200000).astype(np.int64)
    term_logits = _base_logits((0.06, 0.12, 0.42, 0.25, 0.15), n) + np.outer(
        np.array([-1.0, -0.6, 0.0, 0.5, 0.8]), np.log(requested_amount / 15000.0)
    )
    loan_term = _TERMS[_pick(rng, term_logits)]

    rng = _stream(seed, "tenure")
    tenure_scale = (1.0 + 0.15 * (age - 18)) * np.where(employment == 3, 1.5, 1.0)
    years = np.minimum(rng.exponential(1.0, n) * tenure_scale, age - 16)
    years_at_employer = np.where(employment == 4, 0.0, np.round(years, 1))

    rng = _stream(seed, "device")
    dev_logits = _base_logits((0.55, 0.28, 0.17), n)
    dev_logits[1] += 0.5 * z + 0.3 * is_app
    device = _pick(rng, dev_logits)
    device_missing = rng.random(n) < np.where(is_api, 0.30, np.where(is_h5, 0.03, 0.0))

    # -- the known risk model
    util_obs = ~np.isnan(credit_utilization)
    util_val = np.where(util_obs, credit_utilization, 0.0)
    msld_real = hit & ~np.isnan(msld)
    low_inc = income_missing | (income_true < 4000)
    eta = (
        _INTERCEPT
        + 0.0020 * (age - 40.0) ** 2
        + np.where(income_missing, 0.40, -0.50 * np.log(income_true / 6000.0))
        + 0.90 * dti
        + 1.50 * dti * low_inc
        + np.where(util_obs, 0.50 * util_val + 1.00 * (util_val > 0.8), np.where(hit, 0.20, 0.0))
        + 0.40 * np.log1p(n_inq)
        + np.where(msld_real, 1.20 * np.exp(-np.where(msld_real, msld, 0.0) / 12.0), 0.0)
        - 0.30 * (hit & np.isnan(msld))
        + np.where(hit & (n_open > 0), -0.008 * (bureau_score - 650.0), np.where(hit, 0.40, 0.60))
        + 0.20 * np.log(requested_amount / 15000.0)
        + 0.20 * (loan_term >= 24)
        - 0.20 * np.log1p(years_at_employer)
        + 0.10 * np.maximum(n_open - 5, 0)
        + _B_EMPLOYMENT[employment]
        + _B_HOUSING[housing]
        + _B_EDUCATION[education]
        + _B_PURPOSE[purpose]
        + np.where(device_missing, _B_DEVICE_MISSING, _B_DEVICE[device])
        - 0.30 * income_proof
        + _B_CHANNEL[channel]
    )
    true_pd = _sigmoid(eta)
    bad = (_stream(seed, "target").random(n) < true_pd).astype(np.int8)

    # -- personal data (fake): sex, name, phone, resident ID
    rng = _stream(seed, "personal")
    male = rng.random(n) < 0.58
    n_m, n_f = len(_GIVEN_MALE), len(_GIVEN_FEMALE)
    given_labels = np.concatenate([_GIVEN_MALE, _GIVEN_FEMALE, [""]])
    given = np.where(male[:, None], rng.integers(0, n_m, (n, 2)), n_m + rng.integers(0, n_f, (n, 2)))
    given[:, 1] = np.where(rng.random(n) < 0.7, given[:, 1], n_m + n_f)  # 30% one-character names
    name = (
        _take_str(_SURNAMES, rng.integers(0, len(_SURNAMES), n))
        + _take_str(given_labels, given[:, 0])
        + _take_str(given_labels, given[:, 1])
    )
    phone = _PHONE_PREFIXES[rng.integers(0, len(_PHONE_PREFIXES), n)] * 10**8 + rng.integers(0, 10**8, n)
    sequence = 2 * rng.integers(0, 500, n) + male  # odd = male
    birth_int = b_y * 10000 + b_m * 100 + b_d
    first17 = _REGION_CODES[rng.integers(0, len(_REGION_CODES), n)] * 10**11 + birth_int * 1000 + sequence
    id_number = pd.Series(first17).astype("str") + _take_str(list(_ID_CHECK_MAP), _id_check_codes(first17))

    frame = pd.DataFrame(
        {
            "application_id": np.arange(1, n + 1, dtype=np.int64),
            "application_month": _take_str(month_labels, month_idx),
            "channel": _take_str(list(CHANNELS), channel),
            "name": name,
            "phone": pd.Series(phone).astype("str"),
            "id_number": id_number,
            "age": age,
            "monthly_income": monthly_income,
            "debt_to_income": dti,
            "credit_utilization": credit_utilization,
            "n_inquiries_6m": n_inq,
            "months_since_last_delinquency": msld,
            "bureau_score": bureau_score,
            "requested_amount": requested_amount,
            "loan_term_months": loan_term,
            "years_at_employer": years_at_employer,
            "n_open_accounts": n_open,
            "employment_type": _take_str(_EMPLOYMENT, employment),
            "housing": _take_str(_HOUSING, housing),
            "education": _take_str(_EDUCATION, education),
            "loan_purpose": _take_str(_PURPOSE, purpose),
            "device_os": _take_str(_DEVICE, np.where(device_missing, -1, device)),
            "bureau_hit": hit.astype(np.int8),
            "income_proof": income_proof,
            TARGET: bad,
        },
        copy=False,
    )
    if return_true_pd:
        frame["true_pd"] = true_pd
    logger.debug(
        "make_applications: %d rows, bad rate %.4f, drift %.2f, built in %.2f s",
        n, float(bad.mean()), drift, time.perf_counter() - started,
    )
    return frame


def _ymd(dates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month (1-12) and day (1-31) of a ``datetime64[D]`` array, as int64."""
    months = dates.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (dates - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


# --------------------------------------------------------------------------- #
# One loader for the notebooks and the workflow
# --------------------------------------------------------------------------- #

SEGMENT_COLUMNS: tuple[str, ...] = ("application_month", "channel")
"""Columns :func:`load_dataset` keeps beside the features of ``"applications"``.

They are for reports (target rate over time and per channel, out-of-time and
per-channel checks), not model features: exclude them before fitting, e.g.
``X.drop(columns=[c for c in SEGMENT_COLUMNS if c in X.columns])``.
"""

BUILTIN_DATASETS: tuple[str, ...] = ("german_credit", "applications")
"""Names :func:`load_dataset` accepts besides a CSV path."""


def load_dataset(
    name: str | os.PathLike[str],
    *,
    target: str | None = None,
    bad_value: object = None,
    n_rows: int = 20000,
    random_state: int = 0,
) -> tuple[pd.DataFrame, pd.Series]:
    """Load a dataset by name or from a CSV file, as features and a 0/1 target.

    The one entry point of the notebooks, so that each stage of the workflow
    can run on the embedded data, on synthetic data or on the user's own file
    with the same parameters.

    Parameters
    ----------
    name : str or PathLike
        ``"german_credit"`` (:func:`load_german_credit`), ``"applications"``
        (:func:`make_applications`) or the path of a CSV file.
    target : str, optional
        Name of the target column. Required for a CSV file; must be left
        ``None`` for the built-in datasets (their targets are known).
    bad_value : optional
        For a CSV file whose target is not 0/1: the value meaning bad (every
        other value is good). Must be ``None`` for the built-in datasets.
    n_rows : int, default 20000
        Rows generated for ``"applications"``; ignored otherwise (a CSV file
        is read whole).
    random_state : int, default 0
        Seed of :func:`make_applications`; ignored otherwise.

    Returns
    -------
    X : pandas.DataFrame
        - ``"german_credit"``: the 20 features.
        - ``"applications"``: :data:`FEATURE_COLUMNS` followed by
          :data:`SEGMENT_COLUMNS` (``application_month``, ``channel``), which
          are for reports and must be excluded from the model. The personal
          columns (:data:`PERSONAL_COLUMNS`), ``application_id``, the strategy
          flags ``bureau_hit`` / ``income_proof`` and ``true_pd`` are not
          returned.
        - a CSV file: every column but ``target``, as pandas reads them.
    y : pandas.Series
        The target as ``int8``, 1 = bad, 0 = good, on the index of ``X``
        (named ``bad`` for the built-in datasets, ``target`` for a CSV file).

    Raises
    ------
    FileNotFoundError
        ``name`` is neither a built-in dataset nor an existing file.
    ValueError
        ``target`` / ``bad_value`` given for a built-in dataset.
    MissingColumnError
        The CSV file has no column ``target``.
    TargetError
        ``target`` is missing for a CSV file, or its values are not 0/1 (and
        no ``bad_value`` was named), or it has one class or missing values.

    Examples
    --------
    >>> X, y = load_dataset("german_credit")
    >>> X.shape, int(y.sum())
    ((1000, 20), 300)
    >>> X, y = load_dataset("applications", n_rows=1_000)
    >>> list(X.columns[-2:]), X.shape[1] == len(FEATURE_COLUMNS) + 2
    (['application_month', 'channel'], True)
    >>> set(PERSONAL_COLUMNS) & set(X.columns)
    set()
    """
    from scorecard._validation import check_target, split_target

    key = os.fspath(name) if isinstance(name, os.PathLike) else name
    if not isinstance(key, str):
        raise TypeError(f"name must be a dataset name or a CSV path, got {type(name).__name__}")
    if key in BUILTIN_DATASETS:
        if target is not None or bad_value is not None:
            raise ValueError(
                f"target and bad_value apply to a CSV file only; the {key!r} dataset has its own "
                f"target ({TARGET!r}, 1 = bad): leave them None"
            )
        if key == "german_credit":
            return load_german_credit()
        frame = make_applications(n_rows, random_state)
        X = frame[list(FEATURE_COLUMNS) + list(SEGMENT_COLUMNS)].copy()
        y = frame[TARGET].astype(np.int8).rename(TARGET)
        logger.info("load_dataset: %d synthetic applications (seed %d)", len(X), random_state)
        return X, y
    path = Path(key)
    if not path.is_file():
        raise FileNotFoundError(
            f"dataset {key!r} is neither a built-in dataset {list(BUILTIN_DATASETS)} nor an existing "
            "CSV file; pass one of those names or the path of a CSV file"
        )
    if target is None:
        raise TargetError(
            f"a CSV dataset needs target=... naming its target column ({path.name}); "
            "add bad_value=... when the target is not coded 1 = bad / 0 = good"
        )
    frame = pd.read_csv(path)
    X, raw = split_target(frame, target)
    y = pd.Series(check_target(raw, bad_value=bad_value), index=X.index, name=target)
    logger.info("load_dataset: %s, %d rows, %d columns, %d bads", path.name, len(X), X.shape[1], int(y.sum()))
    return X, y


__all__ += ["SEGMENT_COLUMNS", "BUILTIN_DATASETS", "load_dataset"]


# --------------------------------------------------------------------------- #
# Loan performance (repayment histories, accept/reject policy)
# --------------------------------------------------------------------------- #

from scorecard import _loans  # noqa: E402
from scorecard._loans import STATUSES, LoanPerformance  # noqa: E402


def make_loan_performance(
    n_applicants: int = 20_000,
    random_state: int = 0,
    *,
    start_month: str = "2023-01",
    n_months: int = 12,
    max_months_on_book: int = 24,
    accept_rate: float = 0.6,
) -> LoanPerformance:
    """Applicants, a historical accept/reject policy and monthly repayment histories.

    Parameters
    ----------
    n_applicants : int, default 20000
        Through-the-door applicants, spread over ``n_months`` application months.
    random_state : int, default 0
        Seed; the same arguments give identical frames.
    start_month : str, default "2023-01"
        First application month, ``"YYYY-MM"``.
    n_months : int, default 12
        Number of application (origination) months.
    max_months_on_book : int, default 24
        Months on book observed for the first cohort; the data cut-off ``as_of``
        is ``start_month + max_months_on_book`` (month on book 1 is the month
        after origination), so later cohorts are observed for fewer months (the
        last one for ``max_months_on_book - n_months + 1``).
    accept_rate : float, default 0.6
        Share accepted by the historical policy, which approves the applicants with
        the lowest value of a noisy old score (the known risk plus noise), so the
        rejected applicants are riskier but not perfectly separated.

    Returns
    -------
    LoanPerformance

    Examples
    --------
    >>> from scorecard.datasets import make_loan_performance
    >>> lp = make_loan_performance(2_000, random_state=1)
    >>> int(lp.applications["accepted"].sum())
    1200
    >>> sorted(lp.repayments["status"].unique())[:3]
    ['1-29', '30-59', '60-89']
    >>> bool(lp.rejected_outcomes["bad"].mean() > 0)
    True
    """
    return _loans.make_loan_performance(
        n_applicants,
        random_state,
        start_month=start_month,
        n_months=n_months,
        max_months_on_book=max_months_on_book,
        accept_rate=accept_rate,
        applications=make_applications,
    )


__all__ += ["make_loan_performance", "LoanPerformance", "STATUSES"]


# --------------------------------------------------------------------------- #
# Production months: drift and maturing outcomes (for monitoring)
# --------------------------------------------------------------------------- #

PRODUCTION_UNSEEN_CATEGORY = "unseen_category"
"""The value :func:`make_production_months` injects into categorical features (``unseen=``)."""


def _month_seed(random_state: int, month: int, draw: int) -> int:
    """A non-negative seed of :func:`make_applications` for one month's pool."""
    return (int(random_state) * 1_000_003 + month * 1_009 + draw) % (2**31 - 1)


def make_production_months(
    n_per_month: int = 5_000,
    random_state: int = 0,
    *,
    start_month: str = "2024-01",
    n_months: int = 18,
    drift_start: int | None = None,
    drift: Mapping[str, float] | None = None,
    missing: Mapping[str, float] | None = None,
    unseen: Mapping[str, float] | None = None,
    window: int = 12,
    as_of: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    r"""Production applications month by month, with drift from a chosen month and maturing outcomes.

    Each month draws ``n_per_month`` applications of :func:`make_applications`
    (one month each, its own seed; the generating risk model never changes).
    From month index ``drift_start`` (0-based) on, the drift ramps up
    linearly and reaches its full strength in the last month: with ramp
    ``r = (m - drift_start + 1) / (n_months - drift_start)``,

    - ``drift={feature: s}`` (numeric features) tilts the month's population
      towards high values of the feature: applications are accepted from a
      larger stationary pool with probability proportional to
      ``exp(2 s r (u - 1/2))``, ``u`` the rank of the value within the pool
      (missing values weight 1); a negative ``s`` tilts towards low values.
      This is covariate shift: the outcome of each application is drawn from
      the unchanged risk model, so the bad rate moves only through the mix.
      ``s = 1`` at full strength gives a feature CSI of about 0.2 to 0.3;
    - ``missing={feature: share}`` blanks ``share * r`` of the feature's
      values (after the outcome is drawn: the applicant did not change, the
      data feed broke);
    - ``unseen={feature: share}`` replaces ``share * r`` of a categorical
      feature's values by :data:`PRODUCTION_UNSEEN_CATEGORY` (a new code in
      the feed, which scoring sends to the fallback bin).

    Outcomes mature: an application's outcome is "90+ days past due within
    ``window`` months on book"; a bad's first 90+ DPD month on book is drawn
    in ``3 .. window`` (``3 + floor(Exp(mean 3))``, capped). The label table
    is what is known at ``as_of`` (default: the month after the last
    application month): ``months_on_book`` (whole months from the
    application month to ``as_of``) and ``first_bad_mob`` (set only when the
    event has happened by ``as_of``).

    Parameters
    ----------
    n_per_month : int, default 5000
    random_state : int, default 0
    start_month : str, default "2024-01"
    n_months : int, default 18
    drift_start : int, optional
        Month index (0-based) where drift starts; None: no drift.
    drift, missing, unseen : mapping, optional
        Per feature, strength / share at full drift (see above).
    window : int, default 12
        Performance window in months on book.
    as_of : str, optional
        ``"YYYY-MM"``: the month at which labels are read.

    Returns
    -------
    applications : pandas.DataFrame
        ``application_id`` (unique, in date order), ``application_date``
        (``datetime64``), ``application_month``, ``channel``, the
        :data:`FEATURE_COLUMNS`, ``requested_amount`` among them; no target,
        no personal columns.
    labels : pandas.DataFrame
        ``application_id``, ``months_on_book``, ``first_bad_mob`` (float, NaN
        while no 90+ DPD has been observed).

    Examples
    --------
    >>> apps, labels = make_production_months(200, n_months=3, drift_start=1,
    ...                                       drift={"credit_utilization": 1.0})
    >>> apps.shape[0], apps["application_month"].unique().tolist()
    (600, ['2024-01', '2024-02', '2024-03'])
    >>> labels.columns.tolist(), int(labels["months_on_book"].max())
    (['application_id', 'months_on_book', 'first_bad_mob'], 3)
    """
    n_per, seed, start, n_months, _ = _check_args(n_per_month, random_state, start_month, n_months, 0.0)
    drift = dict(drift or {})
    missing = dict(missing or {})
    unseen = dict(unseen or {})
    for f in [*drift, *missing, *unseen]:
        if f not in FEATURE_COLUMNS:
            raise DataError(f"feature {f!r} is not a feature of make_applications; choose from {list(FEATURE_COLUMNS)}")
    bad_drift = [f for f in drift if f not in NUMERIC_FEATURES]
    if bad_drift:
        raise DataError(f"drift= tilts numeric features only; {bad_drift} are categorical (use unseen=)")
    bad_unseen = [f for f in unseen if f not in CATEGORICAL_FEATURES]
    if bad_unseen:
        raise DataError(f"unseen= applies to categorical features only; {bad_unseen} are numeric")
    for what, mapping in (("missing", missing), ("unseen", unseen)):
        for f, share in mapping.items():
            if not 0.0 <= float(share) <= 1.0:
                raise DataError(f"{what}[{f!r}] must be a share in [0, 1], got {share!r}")
    if drift_start is not None and not 0 <= int(drift_start) < n_months:
        raise DataError(f"drift_start must be a month index in [0, {n_months - 1}], got {drift_start!r}")
    if isinstance(window, bool) or not isinstance(window, Integral) or window < 3:
        raise DataError(f"window must be an integer >= 3 (months on book), got {window!r}")
    months = start + np.arange(n_months)
    as_of_m = months[-1] + 1 if as_of is None else np.datetime64(str(as_of), "M")

    frames = []
    next_id = 1
    keep = ["application_month", "channel", *FEATURE_COLUMNS, TARGET]
    for m in range(n_months):
        label = str(months[m])
        ramp = 0.0
        if drift_start is not None and m >= drift_start:
            ramp = (m - int(drift_start) + 1) / (n_months - int(drift_start))
        rng = np.random.default_rng([seed, m, 17])
        tilt = {f: float(s) * ramp for f, s in drift.items() if s and ramp > 0}
        if not tilt:
            month = make_applications(n_per, _month_seed(seed, m, 0), start_month=label, n_months=1)[keep]
        else:
            parts, got, draw = [], 0, 0
            while got < n_per:
                pool = make_applications(4 * n_per, _month_seed(seed, m, draw), start_month=label, n_months=1)[keep]
                logw = np.zeros(len(pool))
                for f, s in tilt.items():
                    x = pool[f].to_numpy(dtype="float64", na_value=np.nan)
                    u = pd.Series(x).rank(pct=True).to_numpy()
                    logw += np.where(np.isnan(u), 0.0, 2.0 * s * (u - 0.5))
                accept = rng.random(len(pool)) < np.exp(logw - logw.max())
                taken = pool[accept]
                parts.append(taken)
                got += len(taken)
                draw += 1
            month = pd.concat(parts, ignore_index=True).iloc[:n_per]
        month = month.reset_index(drop=True)
        days = int(((months[m] + 1).astype("datetime64[D]") - months[m].astype("datetime64[D]")).astype(np.int64))
        day = np.sort(np.random.default_rng([seed, m, 18]).integers(0, days, n_per))
        for f, share in missing.items():
            if not share or ramp <= 0:
                continue
            hit = np.random.default_rng([seed, m, 19, zlib.crc32(f.encode())]).random(n_per) < float(share) * ramp
            if hit.any():
                col = month[f].astype("float64") if f in NUMERIC_FEATURES else month[f]
                month[f] = col.mask(hit)
        for f, share in unseen.items():
            if not share or ramp <= 0:
                continue
            hit = np.random.default_rng([seed, m, 20, zlib.crc32(f.encode())]).random(n_per) < float(share) * ramp
            if hit.any():
                month[f] = month[f].mask(hit, PRODUCTION_UNSEEN_CATEGORY)
        month.insert(0, "application_date", months[m].astype("datetime64[D]") + day.astype("timedelta64[D]"))
        month.insert(0, "application_id", np.arange(next_id, next_id + n_per, dtype=np.int64))
        next_id += n_per
        frames.append(month)
    apps = pd.concat(frames, ignore_index=True)
    apps["application_date"] = apps["application_date"].astype("datetime64[s]")

    rng = _stream(seed, "outcome_timing")
    bad = apps.pop(TARGET).to_numpy() == 1
    first_mob = np.minimum(3 + np.floor(rng.exponential(3.0, len(apps))), window)
    app_month = apps["application_date"].to_numpy().astype("datetime64[M]")
    mob = (as_of_m - app_month).astype(np.int64)
    if (mob < 0).any():
        raise DataError(f"as_of {as_of!r} is before the first application month {months[0]}")
    seen = bad & (first_mob <= mob)
    labels = pd.DataFrame(
        {
            "application_id": apps["application_id"].to_numpy(),
            "months_on_book": mob,
            "first_bad_mob": np.where(seen, first_mob, np.nan),
        }
    )
    logger.debug("make_production_months: %d months x %d rows, drift from %s", n_months, n_per, drift_start)
    return apps, labels


__all__ += ["make_production_months", "PRODUCTION_UNSEEN_CATEGORY"]
