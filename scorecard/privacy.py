"""Personal data: detection, masking, keyed pseudonyms, and the guard that keeps it out of artifacts.

The lenders in our market promise masking and de-identification of personal
data: a resident ID number in an artifact store is an incident. This module
finds personal data, de-identifies it, and refuses to let the tracking and
export layers write it anywhere.

What is detected
----------------
By **value** (in text, in numbers stored as integers or floats, in files):

==============  ================================================================
``id_number``   18-character PRC resident ID numbers (17 digits then a digit or
                ``X``) with a real birth date and a valid ISO 7064 MOD 11-2 check
                character (:func:`scorecard.datasets.is_valid_id_number`)
``phone``       mainland mobile numbers: 11 digits starting ``13``-``19``,
                optionally after ``+86`` / ``0086`` / ``86`` and grouped by ``-``
``card``        bank card numbers: 15 to 19 digits starting 3-6 (UnionPay 62,
                Visa 4, Mastercard 5, Amex 3), optionally grouped by ``-``,
                with a valid Luhn check digit, and not an ID number
``email``       e-mail addresses
==============  ================================================================

A digit run counts only when it stands alone: not inside a longer run of
digits or letters (a hash, a run id) and not after a decimal point (the
digits of ``0.13912345678`` are not a phone number). Groups separated by
spaces (``139 1234 5678``) are not matched: lists of numbers such as
LightGBM's ``leaf_count=176 3693 3453`` would otherwise read as phone and card
numbers; a space-grouped number in a frame column is still caught by the
column's name.

By **column name** (frames only): ``id_number``, ``id_card``, ``身份证`` ...,
``phone``, ``mobile``, ``手机`` ..., ``bank_card``, ``card_no`` ...,
``email`` ..., and ``name``, ``full_name``, ``姓名`` ... (see
:data:`NAME_PATTERNS`). A name hit counts only for a column that could hold
the data (for numbers: values of nine digits or more, or text holding a run
of six digits; for e-mails an ``@``; for names any text) and whose values
are not already de-identified (masked with ``*`` or pseudonyms).

De-identification
-----------------
- :func:`mask_value` / :func:`mask_text` / :func:`mask` with
  ``method="mask"``: keep the shape, hide the identifying part. ID number:
  first 3 and last 4 characters (``110***********002X``); phone: first 3 and
  last 4 digits (``139****5678``); card: first 6 and last 4 (as PCI DSS
  allows); e-mail: first character and the domain (``z***@example.com``);
  name: the first character (the surname), ``王**``.
- ``method="pseudonymise"`` (:func:`pseudonymise`): a keyed hash,
  ``"pii_" + HMAC-SHA256(key, normalised value)[:32 hex]``. The same key and
  value always give the same pseudonym (tables can still be joined), and
  without the key it cannot be reversed, not even by enumerating the small
  space of phone or ID numbers (which a plain hash would allow). The key
  comes from the ``key`` argument or the environment variable
  ``SCORECARD_PII_KEY`` (:data:`KEY_ENV`); there is no default key. Values
  are normalised first (spaces and dashes removed, ``+86`` dropped from
  phones, ``x`` upper-cased in ID numbers, e-mails lower-cased), so
  ``139 1234 5678`` and ``13912345678`` get one pseudonym. Keep the key out
  of the repository and the artifact store; rotate it and every pseudonym
  changes.
- ``method="drop"``: remove the columns.

The guard
---------
:func:`guard` scans what is about to be logged (a frame, a file, a folder, a
mapping of artifacts, JSON-able objects, text) and raises
:class:`~scorecard.errors.DataError` naming the column or file and the kind
of personal data, unless ``allow_personal_data=True``. The tracking and
export layers call it before writing anything.

Example
-------
>>> import pandas as pd
>>> df = pd.DataFrame({"phone": ["13912345678", "13800138000"], "age": [30, 41]})
>>> scan(df)[["column", "kind", "detected_by", "count"]]
  column   kind detected_by  count
0  phone  phone       value      2
>>> mask(df)["phone"].tolist()
['139****5678', '138****8000']
>>> pseudonymise("13912345678", key="k")[:4]
'pii_'
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import json
import logging
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scorecard import _pii_lexicon as _lex
from scorecard.errors import DataError, PersonalDataError

__all__ = [
    "KINDS",
    "KEY_ENV",
    "NAME_PATTERNS",
    "FINDING_COLUMNS",
    "scan",
    "scan_text",
    "guard",
    "mask",
    "mask_value",
    "mask_text",
    "pseudonymise",
    "is_valid_card_number",
    "is_chinese_name",
    "is_western_name",
    "check_categorical_values",
    "category_labels",
    "NEAR_UNIQUE_MIN",
    "NEAR_UNIQUE_SHARE",
    "deidentify",
    "k_anonymity",
    "region_of",
    "ID_PROVINCES",
    "AGE_BANDS",
    "INCOME_BANDS",
]

logger = logging.getLogger(__name__)

KINDS: tuple[str, ...] = ("id_number", "phone", "card", "email", "ip_address", "address", "name")
"""Kinds of personal data reported by :func:`scan`."""

KEY_ENV = "SCORECARD_PII_KEY"
"""Environment variable holding the pseudonymisation key (when no ``key`` is passed)."""

FINDING_COLUMNS: tuple[str, ...] = ("source", "column", "kind", "detected_by", "count", "example")
"""Columns of the findings frame returned by :func:`scan`."""

_PERSON = (r"(customer|cust|client|applicant|borrower|holder|account_?holder|card_?holder|person|personal|real|legal|"
           r"contact|spouse|guarantor|emergency_?contact|mother|father|user|member|beneficiary|insured|debtor|payee)")
#: Column-name patterns per kind (first match wins), matched against the lower-cased name with
#: every run of characters other than ASCII letters, digits and CJK turned into ``_``.
NAME_PATTERNS: dict[str, str] = {
    "id_number": r"(^|_)(id_?(no|num|number|card|card_?no)|idcard|identity(_?(no|number|card))?|resident_?id|"
    r"national_?id|ssn|cert(ificate)?_?(no|num|number)|passport(_?(no|num|number))?|driver_?licen[cs]e(_?no)?)($|_)"
    r"|^id$|^" + _PERSON + r"_?id(_?(no|num|number))?$|身份证|证件号|证件号码|护照|驾驶证|社保号",
    "phone": r"(^|_)(phone|mobile|cellphone|cell|tel|telephone|msisdn|contact(_?(no|num|number|info|phone|tel))?)"
    r"(_?(no|num|number))?($|_)|手机|电话|联系方式",
    "card": r"(^|_)(bank_?card(_?(no|num|number))?|(credit|debit)_?card(_?(no|num|number))?|card_?(no|num|number)|pan|"
    r"account_?(no|num|number)|iban)($|_)|银行卡|卡号|账号|银行账户",
    "email": r"(^|_)(e_?mail|mail)(_?addr(ess)?)?($|_)|邮箱|邮件",
    "ip_address": r"(^|_)(ip|ipv4|ipv6|ip_?addr(ess)?|client_?ip|login_?ip|remote_?addr)($|_)|ip地址",
    "address": r"(^|_)(address|addr|street|home_?addr(ess)?|residential_?address|residence_?address|mailing_?address|"
    r"postal_?address|domicile|work_?address|company_?address|street_?address)($|_)|地址|住址|居住地|户籍地|住所",
    "name": r"^(name|names|full_?name|first_?name|last_?name|middle_?name|surname|given_?name|family_?name|"
    + _PERSON + r"_?name|contact_?person)(_?(cn|en|zh|full))?$|姓名|联系人|户名|持卡人|(申请|借款|担保|投保|被保险|收款)人$|配偶$",
}
_NAME_RE = {k: re.compile(v) for k, v in NAME_PATTERNS.items()}

_B = r"(?<![0-9A-Za-z.])"  # not inside a word or a number, not after a decimal point
_E = r"(?![0-9A-Za-z])"
_ID_RE = re.compile(_B + r"(\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx])" + _E)
_PHONE_RE = re.compile(_B + r"((?:(?:\+|00)?86[- ]?)?1[3-9]\d(?:-?\d{4}){2})" + _E)
# in a frame value or free text (not in files): groups separated by spaces, as people write them
_PHONE_SPACED_RE = re.compile(r"(?<![0-9A-Za-z.])((?:(?:\+|00)?86[- ]?)?1[3-9]\d(?:[- ]\d{4}){2}|"
                              r"(?:(?:\+|00)?86[- ]?)?1[3-9]\d{2}[- ]\d{3}[- ]\d{4})(?![0-9A-Za-z])")
_CARD_RE = re.compile(_B + r"([3-6]\d{3}(?:-?\d{4}){2}-?\d{3,7})" + _E)
_CARD_SPACED_RE = re.compile(r"(?<![0-9A-Za-z.])([3-6]\d{3}(?: \d{4}){2} \d{3,7})(?![0-9A-Za-z])")
_EMAIL_RE = re.compile(r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IP_RE = re.compile(r"(?<![0-9A-Za-z.])(" + _OCTET + r"(?:\." + _OCTET + r"){3})(?![0-9A-Za-z]|\.\d)")
_CJK = "\u4e00-\u9fff"
# a Chinese address: an administrative unit, then a street-level place and a number, or a road and its number
_CN_ADDR_RE = re.compile(
    "([" + _CJK + "]{2,9}(?:省|自治区|市|县|区|旗|州)[" + _CJK + "A-Za-z0-9]{0,14}?"
    "(?:路|街|大道|巷|弄|胡同|村|镇|乡|小区|花园|大厦|公寓|新村|里)[" + _CJK + "A-Za-z0-9\\-]{0,12}?"
    "(?:[0-9０-９一二三四五六七八九十百]+(?:号|栋|幢|楼|室|单元|弄|组)|[A-Za-z0-9]座)"
    "|[" + _CJK + "]{2,8}(?:路|街|大道|巷|弄|胡同)[0-9０-９]{1,5}号)"
)
_EN_ADDR_RE = re.compile(r"(?<![0-9A-Za-z])(\d{1,6}[A-Za-z]?(?: [A-Z][a-z]+){1,3} (?:" + "|".join(
    s.capitalize() for s in _lex.WESTERN_STREET_SUFFIXES) + r")\.?)(?![A-Za-z])")
_CN_NAME_CUE_RE = re.compile(
    "(?:姓名|联系人|客户|借款人|申请人|户名|持卡人|担保人|配偶|本人|致电|联系)[:：为是\\s]{0,2}([" + _CJK + "]{2,4})"
    "|([" + _CJK + "]{1,4}?)(?:先生|女士|小姐|老师|师傅|同志)"
)
_EN_NAME_CUE_RE = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Miss|Dr)\.? ([A-Z][a-z]+(?: [A-Z][a-z]+)?)"
                             r"|\b(?:[Nn]ame|[Cc]ontact|[Cc]ustomer)\s*[:=]\s*([A-Z][a-z]+(?: [A-Z][a-z]+)+))")
_EN_PAIR_RE = re.compile(r"\b([A-Z][a-z]+) ([A-Z][a-z]+)\b")
# one cheap pre-filter for a text column: digits enough for a number, an '@', a dotted quad, CJK, capitals
_ANY_RE = re.compile(r"\d[\d -]{9,}\d[\dXx]?|@|\d\.\d{1,3}\.\d|[" + _CJK + r"]|[A-Z][a-z]+ [A-Z]|\d [A-Z]")
_PSEUDONYM_RE = re.compile(r"^pii_[0-9a-f]{16,64}$")
_TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".json", ".html", ".htm", ".md", ".py", ".ipynb", ".yaml", ".yml",
                  ".sql", ".log", ".xml", ".js", ".svg"}
_CHUNK = 8 << 20
_OVERLAP = 256


# --------------------------------------------------------------------------- #
# validators
# --------------------------------------------------------------------------- #
def is_valid_card_number(number: str) -> bool:
    """Tell whether ``number`` (digits, optional ``-`` / space) is a 15-19 digit card number with a valid Luhn digit.

    Example
    -------
    >>> is_valid_card_number("6222-0202-0000-1234-567"), is_valid_card_number("4111 1111 1111 1111")
    (False, True)
    """
    digits = re.sub(r"[- ]", "", str(number))
    if not digits.isascii() or not digits.isdigit() or not 15 <= len(digits) <= 19:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _is_id(s: str) -> bool:
    from scorecard.datasets import is_valid_id_number

    return is_valid_id_number(s)


def is_chinese_name(value: str) -> bool:
    """Tell whether ``value`` has the shape of a Chinese personal name.

    A common surname (single or compound) followed by one or two CJK
    characters, not ending like a place, an organisation or a category
    (``市``, ``区``, ``公司``, ``类`` ...), and with a given-name character
    among the frequent ones when the given name is one character long.

    Examples
    --------
    >>> is_chinese_name("王小明"), is_chinese_name("欧阳娜娜"), is_chinese_name("黄山市"), is_chinese_name("上海")
    (True, True, False, False)
    """
    s = str(value).strip().replace("·", "")
    if not 2 <= len(s) <= 4 or not all("\u4e00" <= ch <= "\u9fff" for ch in s):
        return False
    if s[-1] in _lex.CN_NON_NAME_ENDINGS or s in _lex.CN_PLACE_NAMES:
        return False
    if s[:2] in _lex.CN_COMPOUND_SURNAMES and len(s) >= 3:
        given = s[2:]
    elif s[0] in _lex.CN_SURNAMES and len(s) <= 3:
        given = s[1:]
    else:
        return False
    if len(given) == 1:
        return given in _lex.CN_GIVEN_CHARS
    return any(ch in _lex.CN_GIVEN_CHARS for ch in given)


def is_western_name(value: str) -> bool:
    """Tell whether ``value`` looks like a Western personal name (``Mary Smith``, ``Smith, Mary``, ``J. Smith``).

    Two or three capitalised words (an initial allowed), none a place or
    company word, with a known first name or a known surname.

    Examples
    --------
    >>> is_western_name("Mary Smith"), is_western_name("Smith, John"), is_western_name("Real Estate")
    (True, True, False)
    """
    s = str(value).strip()
    if "," in s:
        last, _, first = s.partition(",")
        s = f"{first.strip()} {last.strip()}"
    words = s.split()
    if not 2 <= len(words) <= 3:
        return False
    low = []
    for w in words:
        if not re.fullmatch(r"[A-Z][a-z'\-]+|[A-Z]\.?", w):
            return False
        low.append(w.rstrip(".").lower())
    if any(w in _lex.WESTERN_NON_NAME_WORDS for w in low):
        return False
    return low[0] in _lex.WESTERN_FIRST_NAMES or low[-1] in _lex.WESTERN_LAST_NAMES


def _matches(text: str, rich: bool = False) -> Iterable[tuple[str, str, int]]:
    """(kind, matched text, offset) of every personal-data value in ``text``.

    ``rich``: a frame value or free text rather than a file: space-grouped
    phone and card numbers, and names introduced by a cue (``联系人``,
    ``先生``, ``Mr.``, ``name:``) or made of a known first name and a known
    surname are found too.
    """
    ids: set[int] = set()
    for m in _ID_RE.finditer(text):
        if _is_id(m.group(1)):
            ids.add(m.start(1))
            yield "id_number", m.group(1), m.start(1)
    phones: set[int] = set()
    for m in _PHONE_RE.finditer(text):
        phones.add(m.start(1))
        yield "phone", m.group(1), m.start(1)
    if rich:
        for m in _PHONE_SPACED_RE.finditer(text):
            if m.start(1) not in phones:
                yield "phone", m.group(1), m.start(1)
        for m in _CARD_SPACED_RE.finditer(text):
            if is_valid_card_number(m.group(1)):
                yield "card", m.group(1), m.start(1)
    for m in _CARD_RE.finditer(text):
        if m.start(1) not in ids and is_valid_card_number(m.group(1)) and not _is_id(re.sub(r"[- ]", "", m.group(1))):
            yield "card", m.group(1), m.start(1)
    if "@" in text:
        for m in _EMAIL_RE.finditer(text):
            yield "email", m.group(1), m.start(1)
    if "." in text:
        for m in _IP_RE.finditer(text):
            octets = m.group(1).split(".")
            if sum(len(o) >= 2 for o in octets) >= 2:  # not a version number such as 1.2.0.1
                yield "ip_address", m.group(1), m.start(1)
    if not text.isascii():
        for m in _CN_ADDR_RE.finditer(text):
            yield "address", m.group(1), m.start(1)
    for m in _EN_ADDR_RE.finditer(text):
        yield "address", m.group(1), m.start(1)
    if rich:
        if not text.isascii():
            for m in _CN_NAME_CUE_RE.finditer(text):
                g = 1 if m.group(1) else 2
                cand = m.group(g)
                for n in (3, 2, 4):  # the cue is followed by more text: try the usual lengths
                    if g == 1 and len(cand) >= n and is_chinese_name(cand[:n]):
                        yield "name", cand[:n], m.start(g)
                        break
                    if g == 2 and len(cand) >= n and is_chinese_name(cand[-n:]):
                        yield "name", cand[-n:], m.end(g) - n
                        break
                else:  # a surname and a title: 王先生, 欧阳女士
                    tail = cand[-2:] if cand[-2:] in _lex.CN_COMPOUND_SURNAMES else cand[-1:]
                    if g == 2 and (tail in _lex.CN_SURNAMES or tail in _lex.CN_COMPOUND_SURNAMES):
                        yield "name", tail, m.end(g) - len(tail)
        for m in _EN_NAME_CUE_RE.finditer(text):
            g = 1 if m.group(1) else 2
            yield "name", m.group(g), m.start(g)
        for m in _EN_PAIR_RE.finditer(text):
            a, b = m.group(1).lower(), m.group(2).lower()
            if a in _lex.WESTERN_FIRST_NAMES and b in _lex.WESTERN_LAST_NAMES:
                yield "name", m.group(0), m.start(0)


def _name_share(values: Sequence[str]) -> float:
    """Share of ``values`` that look like personal names (Chinese or Western)."""
    if not len(values):
        return 0.0
    hits = sum(1 for v in values if is_chinese_name(v) or is_western_name(v))
    return hits / len(values)


# --------------------------------------------------------------------------- #
# masking and pseudonyms
# --------------------------------------------------------------------------- #
def _stars(s: str, keep_start: int, keep_end: int) -> str:
    if len(s) <= keep_start + keep_end:
        return "*" * len(s)
    return s[:keep_start] + "*" * (len(s) - keep_start - keep_end) + (s[len(s) - keep_end :] if keep_end else "")


def mask_value(value: Any, kind: str | None = None) -> Any:
    """Mask one value, keeping its shape (see the module docstring for the rule per kind).

    Parameters
    ----------
    value : Any
        Missing values are returned unchanged.
    kind : {"id_number", "phone", "card", "email", "name"}, optional
        Default: detected from the value; a value of no known kind has every
        personal-data substring masked (:func:`mask_text`), and for
        ``kind="name"`` every character after the first is masked.

    Returns
    -------
    str, or the missing value

    Example
    -------
    >>> mask_value("11010519491231002X"), mask_value("4111-1111-1111-1111"), mask_value("王小明", "name")
    ('110***********002X', '411111******1111', '王**')
    """
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return value
    s = _as_text(value)
    if kind == "name":
        return _stars(s.strip(), 1, 0)
    digits = re.sub(r"[- ]", "", s)
    if kind == "id_number" or (kind is None and _is_id(s.strip())):
        return _stars(s.strip().upper(), 3, 4)
    if kind == "phone" or (kind is None and _PHONE_RE.fullmatch(s.strip())):
        d = re.sub(r"^(\+|00)?86", "", digits) if len(digits) > 11 else digits
        return _stars(d, 3, 4)
    if kind == "card" or (kind is None and is_valid_card_number(s.strip())):
        return _stars(digits, 6, 4)
    if kind == "email" or (kind is None and _EMAIL_RE.fullmatch(s.strip())):
        user, _, domain = s.strip().partition("@")
        return (user[:1] + "***@" + domain) if domain else _stars(s, 1, 0)
    if kind == "ip_address" or (kind is None and _IP_RE.fullmatch(s.strip())):
        return s.strip().split(".")[0] + ".*.*.*"
    if kind == "address":
        return s.strip()[:3] + "***"
    if kind is None and (is_chinese_name(s) or is_western_name(s)):
        return _stars(s.strip(), 1, 0)
    return mask_text(s)


def mask_text(text: str) -> str:
    """Mask every personal-data value found inside free text.

    Example
    -------
    >>> mask_text("call 13912345678 or mail li.wei@example.com")
    'call 139****5678 or mail l***@example.com'
    """
    found = sorted(_matches(text, rich=True), key=lambda t: (t[2], -len(t[1])))
    out, pos = [], 0
    for kind, hit, start in found:
        if start < pos:
            continue
        out.append(text[pos:start])
        out.append(str(mask_value(hit, kind)))
        pos = start + len(hit)
    out.append(text[pos:])
    return "".join(out)


def _key_bytes(key: str | bytes | None) -> bytes:
    key = key if key is not None else os.environ.get(KEY_ENV)
    if key is None or len(key) == 0:
        raise DataError(
            f"pseudonymisation needs a secret key: pass key=... or set the environment variable {KEY_ENV} "
            "(a plain hash of a phone or ID number can be reversed by enumerating them)"
        )
    return key.encode("utf-8") if isinstance(key, str) else bytes(key)


def _normalise(s: str, kind: str | None) -> str:
    s = s.strip()
    if kind in ("phone", "card") or (kind is None and re.fullmatch(r"[+\d -]+", s)):
        s = re.sub(r"[- ]", "", s)
        if kind == "phone" and len(s) > 11:
            s = re.sub(r"^(\+|00)?86", "", s)
    elif kind == "id_number":
        s = s.upper()
    elif kind == "email":
        s = s.lower()
    return s


def pseudonymise(value: Any, key: str | bytes | None = None, kind: str | None = None) -> Any:
    """A keyed pseudonym of one value: ``"pii_" + HMAC-SHA256(key, normalised value)[:32]``.

    Parameters
    ----------
    value : Any
        Missing values are returned unchanged.
    key : str or bytes, optional
        Secret key; default ``$SCORECARD_PII_KEY``. Required.
    kind : str, optional
        How to normalise the value before hashing (see the module docstring).

    Raises
    ------
    DataError
        No key.

    Example
    -------
    >>> pseudonymise("139-1234-5678", key="secret", kind="phone") == pseudonymise("13912345678", key="secret", kind="phone")
    True
    """
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return value
    k = _key_bytes(key)
    digest = hmac.new(k, _normalise(_as_text(value), kind).encode("utf-8"), hashlib.sha256).hexdigest()
    return "pii_" + digest[:32]


def _as_text(value: Any) -> str:
    if isinstance(value, (float, np.floating)) and np.isfinite(value) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, (np.integer,)):
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------- #
# scanning
# --------------------------------------------------------------------------- #
def _norm_name(name: Any) -> str:
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "_", str(name).lower()).strip("_")


def _name_kind(name: Any) -> str | None:
    n = _norm_name(name)
    for kind, rx in _NAME_RE.items():
        if rx.search(n):
            return kind
    return None


def _text_values(col: pd.Series) -> pd.Series | None:
    """The column's values as text when they could hold personal data (None when they cannot)."""
    s = col.dropna()
    if s.empty:
        return None
    dt = s.dtype
    if pd.api.types.is_bool_dtype(dt) or pd.api.types.is_datetime64_any_dtype(dt) or isinstance(dt, pd.CategoricalDtype) and not len(dt.categories):
        return None
    if isinstance(dt, pd.CategoricalDtype):
        s = s.astype(str)
    elif pd.api.types.is_integer_dtype(dt):
        big = s[(s.abs() >= 10**10)] if len(s) else s
        return big.astype(np.int64).astype(str) if len(big) else None
    elif pd.api.types.is_float_dtype(dt):
        v = s.to_numpy(dtype=float)
        ok = np.isfinite(v) & (np.abs(v) >= 1e10) & (v == np.floor(v)) & (np.abs(v) < 1e19)
        return pd.Series(v[ok].astype(np.int64)).astype(str) if ok.any() else None
    elif pd.api.types.is_numeric_dtype(dt):
        return None
    return s.astype(str)


def _deidentified(values: pd.Series) -> bool:
    s = values.dropna().astype(str)
    if s.empty:
        return True
    return bool((s.str.contains("*", regex=False) | s.str.match(_PSEUDONYM_RE.pattern)).all())


def _plausible_for_name(col: pd.Series, kind: str) -> bool:
    """Could a column named like ``kind`` hold that data?

    Not a count named ``phone_calls``, nor German credit's ``telephone``
    ("yes, registered under the customers name" / "none"): numbers must have
    digits enough (nine or more), text must hold a run of six digits or more
    (``@`` for e-mails), and nothing counts once every value is masked or
    pseudonymised.
    """
    s = col.dropna()
    if s.empty or pd.api.types.is_bool_dtype(s.dtype):
        return False
    if pd.api.types.is_numeric_dtype(s.dtype):
        if kind in ("name", "email", "address", "ip_address"):
            return False
        return bool((s.abs() >= 1e8).any())
    if _deidentified(s):
        return False
    text = s.astype(str)
    if kind == "email":
        return bool(text.str.contains("@", regex=False).any())
    if kind in ("id_number", "phone", "card"):
        return bool(text.str.replace(r"[\s\-+().]", "", regex=True).str.contains(r"\d{9}", regex=True).any())
    if kind == "ip_address":
        return bool(text.str.contains(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}", regex=True).any())
    if kind == "address":
        return bool((text.str.len() >= 4).any() and not text.str.fullmatch(r"[\d.\-]+").all())
    return True


_NAME_SAMPLE = 2000


def _name_column(texts: pd.Series) -> tuple[int, str] | None:
    """(rows, example) when most distinct values of a text column look like personal names, else None."""
    uniq = pd.unique(texts.to_numpy(dtype=object))
    if len(uniq) > _NAME_SAMPLE:  # an evenly spaced, deterministic sample
        uniq = uniq[np.linspace(0, len(uniq) - 1, _NAME_SAMPLE).astype(np.int64)]
    vals = [str(v) for v in uniq]
    named = [v for v in vals if is_chinese_name(v) or is_western_name(v)]
    if len(named) < min(2, len(vals)) or len(named) < 0.5 * len(vals):
        return None
    hit = set(named)
    return int(texts.astype(str).isin(hit).sum()), named[0]


def _scan_frame(frame: pd.DataFrame, source: str, kinds: set[str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for c in frame.columns:
        col = frame[c]
        by_value: dict[str, list[Any]] = {}
        texts = _text_values(col)
        if texts is not None:
            pre = texts[texts.str.contains(_ANY_RE.pattern, regex=True)]
            for text in pre.tolist():
                seen = set()
                for kind, hit, _ in _matches(text, rich=True):
                    if kind in kinds and kind not in seen:
                        seen.add(kind)
                        by_value.setdefault(kind, [0, hit])[0] += 1
            if "name" in kinds and "name" not in by_value and not pd.api.types.is_numeric_dtype(col.dtype) \
                    and not _deidentified(texts):
                named = _name_column(texts)
                if named is not None:
                    by_value["name"] = [named[0], named[1]]
        for kind, (count, example) in by_value.items():
            rows.append({"source": source, "column": str(c), "kind": kind, "detected_by": "value",
                         "count": int(count), "example": str(mask_value(example, kind))})
        nk = _name_kind(c)
        if nk is not None and nk in kinds and nk not in by_value and _plausible_for_name(col, nk):
            first = col.dropna()
            ex = mask_value(first.iloc[0], nk) if len(first) else ""
            rows.append({"source": source, "column": str(c), "kind": nk, "detected_by": "name",
                         "count": int(col.notna().sum()), "example": str(ex)})
    return rows


def scan_text(text: str, source: str = "<text>", kinds: Iterable[str] | None = None) -> pd.DataFrame:
    """Findings of personal data inside a piece of text (see :func:`scan`)."""
    wanted = set(KINDS if kinds is None else kinds)
    return _findings(_scan_text(text, source, wanted))


def _scan_text(text: str, source: str, kinds: set[str], offset: int = 0,
               acc: dict[str, list[Any]] | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    acc = {} if acc is None else acc
    for kind, hit, start in _matches(text):
        if kind in kinds and (limit is None or start < limit):
            e = acc.setdefault(kind, [0, hit])
            e[0] += 1
    return [{"source": source, "column": None, "kind": k, "detected_by": "value", "count": int(c),
             "example": str(mask_value(ex, k))} for k, (c, ex) in acc.items()]


def _scan_file(path: Path, kinds: set[str], max_bytes: int) -> list[dict[str, Any]]:
    suffix = path.suffix.lower()
    src = str(path)
    if suffix == ".parquet":
        try:
            return _scan_frame(pd.read_parquet(path), src, kinds)
        except Exception as exc:  # unreadable parquet: fall back to the raw bytes
            logger.debug("could not read %s as Parquet (%s); scanning its bytes", path, exc)
    size = path.stat().st_size
    if size > max_bytes:
        logger.warning("privacy scan: %s is %d bytes, above max_bytes=%d; scanning its first %d bytes only",
                       path, size, max_bytes, max_bytes)
    opener = gzip.open if suffix == ".gz" else open
    acc: dict[str, list[Any]] = {}
    read = 0
    tail = b""
    with opener(path, "rb") as fh:  # type: ignore[operator]
        while read < max_bytes:
            block = fh.read(min(_CHUNK, max_bytes - read))
            if not block:
                break
            read += len(block)
            data = tail + block
            text = data.decode("utf-8", errors="replace")
            more = len(block) == _CHUNK
            tail = data[-_OVERLAP:] if more else b""
            # a match starting in the overlap is counted with the next chunk (which starts with it)
            limit = len(text) - len(tail.decode("utf-8", errors="replace")) if more else None
            _scan_text(text, src, kinds, acc=acc, limit=limit)
    return [{"source": src, "column": None, "kind": k, "detected_by": "value", "count": int(c),
             "example": str(mask_value(ex, k))} for k, (c, ex) in acc.items()]


def _findings(rows: list[dict[str, Any]]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    out["count"] = out["count"].astype(np.int64)
    return out.reset_index(drop=True)


def scan(
    obj: Any,
    *,
    kinds: Iterable[str] | None = None,
    max_bytes: int = 512 << 20,
    exclude: Iterable[str] = (),
) -> pd.DataFrame:
    """Find personal data in a frame, a file or a folder (recursively).

    Parameters
    ----------
    obj : DataFrame, Series, str / PathLike (file or folder)
        A frame is checked by column name and by value; a file by value
        (text of any encoding that keeps digits as ASCII, including SQLite
        databases; Parquet files are read as frames; ``.gz`` files are
        decompressed); a folder file by file.
    kinds : iterable of str, optional
        Kinds to look for; default all of :data:`KINDS`.
    max_bytes : int, default 512 MiB
        Bytes read per file (a larger file is scanned up to this, with a warning).
    exclude : iterable of str
        Glob patterns (relative to a scanned folder) of files to skip.

    Returns
    -------
    pandas.DataFrame
        One row per (source, column, kind), columns :data:`FINDING_COLUMNS`:
        ``source`` (the file, or ``"<frame>"``), ``column`` (a frame's
        column, else None), ``kind``, ``detected_by`` (``"value"`` or
        ``"name"``), ``count`` (values found; a file counts matches) and
        ``example`` (the first one, **masked**). Empty when nothing was found.

    Raises
    ------
    FileNotFoundError
        ``obj`` is a path that does not exist.

    Example
    -------
    >>> import pandas as pd
    >>> scan(pd.DataFrame({"id_number": ["11010519491231002X"]}))[["kind", "example"]]
            kind             example
    0  id_number  110***********002X
    """
    wanted = set(KINDS if kinds is None else kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(f"unknown kinds {sorted(unknown)}; known: {list(KINDS)}")
    if isinstance(obj, pd.Series):
        obj = obj.to_frame(name=obj.name if obj.name is not None else "value")
    if isinstance(obj, pd.DataFrame):
        return _findings(_scan_frame(obj, "<frame>", wanted))
    if isinstance(obj, (str, os.PathLike)):
        path = Path(obj)
        if not path.exists():
            raise FileNotFoundError(f"privacy.scan: {path} does not exist")
        if path.is_file():
            return _findings(_scan_file(path, wanted, max_bytes))
        pats = list(exclude)
        rows: list[dict[str, Any]] = []
        for f in sorted(p for p in path.rglob("*") if p.is_file()):
            rel = f.relative_to(path)
            if any(rel.match(p) for p in pats):
                continue
            rows += _scan_file(f, wanted, max_bytes)
        return _findings(rows)
    raise TypeError(f"scan takes a DataFrame, a file or a folder, got {type(obj).__name__}")


# --------------------------------------------------------------------------- #
# masking frames
# --------------------------------------------------------------------------- #
_METHODS = ("mask", "pseudonymise", "drop")


def mask(
    frame: pd.DataFrame,
    columns: Iterable[str] | Mapping[str, str] | None = None,
    *,
    method: str = "mask",
    key: str | bytes | None = None,
) -> pd.DataFrame:
    """A copy of ``frame`` with its personal data masked, pseudonymised or dropped.

    Parameters
    ----------
    frame : DataFrame
    columns : iterable of str or mapping column -> kind, optional
        Columns to de-identify; default every column :func:`scan` flags.
        With a list the kind is detected per column (by value, then name).
    method : {"mask", "pseudonymise", "drop"}, default "mask"
        See the module docstring. Masked and pseudonymised columns become text.
    key : str or bytes, optional
        Pseudonymisation key (default ``$SCORECARD_PII_KEY``).

    Returns
    -------
    DataFrame
        Same index and column order (minus dropped columns). Columns that
        are not de-identified are unchanged.

    Raises
    ------
    DataError
        ``method="pseudonymise"`` without a key.
    KeyError
        A named column is not in ``frame``.

    Example
    -------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"name": ["王小明"], "phone": [13912345678]})
    >>> mask(df).iloc[0].tolist()
    ['王**', '139****5678']
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"mask takes a DataFrame, got {type(frame).__name__}")
    if columns is None:
        found = scan(frame)
        kinds_by_col: dict[str, str | None] = {}
        for r in found.itertuples(index=False):
            kinds_by_col.setdefault(r.column, r.kind)
    elif isinstance(columns, Mapping):
        kinds_by_col = {str(c): k for c, k in columns.items()}
    else:
        kinds_by_col = {}
        for c in columns:
            f = scan(frame[[c]])
            kinds_by_col[c] = f["kind"].iloc[0] if len(f) else _name_kind(c)
    missing = [c for c in kinds_by_col if c not in frame.columns]
    if missing:
        raise KeyError(f"columns {missing} are not in the frame")
    if method == "drop":
        return frame.drop(columns=list(kinds_by_col))
    if method == "pseudonymise":
        k = _key_bytes(key)
    out = frame.copy()
    for c, kind in kinds_by_col.items():
        vals = out[c].to_numpy(dtype=object)
        if method == "mask":
            new = [mask_value(v, kind) for v in vals]
        else:
            new = [pseudonymise(v, k, kind) for v in vals]
        out[c] = pd.Series(new, index=out.index, dtype=object)
    logger.info("privacy.mask: %s %d column(s): %s", method, len(kinds_by_col), sorted(kinds_by_col))
    return out


# --------------------------------------------------------------------------- #
# the guard
# --------------------------------------------------------------------------- #
def _scan_object(obj: Any, label: str, kinds: set[str]) -> list[dict[str, Any]]:
    if obj is None:
        return []
    if isinstance(obj, pd.Series):
        obj = obj.to_frame(name=obj.name if obj.name is not None else label)
    if isinstance(obj, pd.DataFrame):
        rows = _scan_frame(obj, label, kinds)
        # index values can hold IDs too
        if not isinstance(obj.index, pd.RangeIndex):
            rows += _scan_frame(obj.index.to_frame(index=False), label + " (index)", kinds)
        return rows
    if isinstance(obj, os.PathLike) or (isinstance(obj, str) and len(obj) < 4096 and "\n" not in obj
                                         and os.path.exists(obj)):
        return scan(obj, kinds=kinds).to_dict("records")
    if isinstance(obj, bytes):
        return _scan_text(obj.decode("utf-8", errors="replace"), label, kinds)
    if isinstance(obj, str):
        return _scan_text(obj, label, kinds)
    if isinstance(obj, Mapping):
        rows = []
        for k, v in obj.items():
            rows += _scan_object(v, f"{label}[{k!r}]", kinds)
            rows += _scan_text(str(k), f"{label} (key {k!r})", kinds)
        return rows
    if isinstance(obj, (list, tuple)):
        rows = []
        for i, v in enumerate(obj):
            rows += _scan_object(v, f"{label}[{i}]", kinds)
        return rows
    if _jsonable(obj):
        return _scan_text(_json_text(obj), label, kinds)
    logger.debug("privacy guard: %s (%s) cannot be scanned; skipped", label, type(obj).__name__)
    return []


def _jsonable(v: Any) -> bool:
    return isinstance(v, (dict, list, tuple, str, int, float, bool, np.generic)) or v is None


def _json_text(v: Any) -> str:
    return json.dumps(v, default=str, ensure_ascii=False)


def guard(
    obj: Any,
    allow_personal_data: bool = False,
    *,
    what: str = "artifact",
    kinds: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Refuse personal data about to be logged or exported.

    Parameters
    ----------
    obj : DataFrame, Series, path (file or folder), mapping, list, text or JSON-able object
        What is about to be written. A mapping is scanned value by value
        (frames by column name and value, paths as files, other values as
        JSON text); objects that cannot be scanned (a matplotlib figure) are
        skipped.
    allow_personal_data : bool, default False
        True lets it through (a warning is logged).
    what : str, default "artifact"
        How the object is named in the error ("input example", "table", ...).
    kinds : iterable of str, optional
        Kinds refused; default all of :data:`KINDS`.

    Returns
    -------
    DataFrame
        The findings (empty when nothing was found).

    Raises
    ------
    DataError
        Personal data was found and ``allow_personal_data`` is False; the
        message names each column or file, the kind, how it was detected and
        how many values (never the values themselves).

    Example
    -------
    >>> import pandas as pd
    >>> guard(pd.DataFrame({"age": [30]})).empty
    True
    >>> guard(pd.DataFrame({"mobile": ["13912345678"]}), what="input example")
    Traceback (most recent call last):
    ...
    scorecard.errors.DataError: refusing to log the input example: it holds personal data: column 'mobile' of <frame>: phone (by value, 1 value(s), e.g. 139****5678); de-identify it with scorecard.privacy.mask(...) or pass allow_personal_data=True
    """
    wanted = set(KINDS if kinds is None else kinds)
    label = "<frame>" if isinstance(obj, (pd.DataFrame, pd.Series)) else what
    found = _findings(_scan_object(obj, label, wanted))
    if found.empty:
        return found
    if allow_personal_data:
        logger.warning("logging the %s with personal data (allow_personal_data=True): %s", what,
                       sorted(set(found["kind"])))
        return found
    parts = []
    for r in found.itertuples(index=False):
        where = f"column {r.column!r} of {r.source}" if r.column is not None else f"{r.source}"
        parts.append(f"{where}: {r.kind} (by {r.detected_by}, {r.count} value(s), e.g. {r.example})")
    raise DataError(
        f"refusing to log the {what}: it holds personal data: " + "; ".join(parts[:10])
        + (f"; and {len(parts) - 10} more" if len(parts) > 10 else "")
        + "; de-identify it with scorecard.privacy.mask(...) or pass allow_personal_data=True"
    )


# --------------------------------------------------------------------------- #
# the guard at the source: categorical features
# --------------------------------------------------------------------------- #
#: A categorical feature with at least this many distinct values ...
NEAR_UNIQUE_MIN = 20
#: ... and at least this share of distinct values per (non-missing) row is refused as an identifier.
NEAR_UNIQUE_SHARE = 0.9
_CATEGORY_SAMPLE = 5000


def check_categorical_values(name: Any, values: Any, n_rows: float | None = None) -> None:
    """Refuse a categorical feature whose categories are personal data or one per row.

    Called where a categorical feature's categories are learned (the
    binner's count tables, the challenger's encoder), so no spec, binning
    table or plot can carry them.

    Parameters
    ----------
    name : str
        The column (named in the error).
    values : sequence
        Its distinct categories (as learned).
    n_rows : float, optional
        Rows holding a category (non-missing); with it, a feature with at
        least :data:`NEAR_UNIQUE_MIN` categories covering at least
        :data:`NEAR_UNIQUE_SHARE` of the rows is refused as an identifier.

    Raises
    ------
    PersonalDataError
        Naming the column, the kind of personal data and a masked example.

    Examples
    --------
    >>> check_categorical_values("region", ["north", "south"], n_rows=100)
    >>> check_categorical_values("contact", ["139 1234 5678", "138 0013 8000"])
    Traceback (most recent call last):
    ...
    scorecard.errors.PersonalDataError: column 'contact' cannot be a categorical feature: its categories are personal data (phone, e.g. 139****5678); drop it or de-identify it (scorecard.privacy.deidentify) before fitting
    """
    vals = pd.Series(np.asarray(list(values), dtype=object)).dropna()
    n = len(vals)
    if n_rows is not None and n >= NEAR_UNIQUE_MIN and n >= NEAR_UNIQUE_SHARE * float(n_rows):
        raise PersonalDataError(
            f"column {str(name)!r} cannot be a categorical feature: it is near one-to-one with the rows "
            f"({n} distinct values in {int(n_rows)} rows), an identifier or personal data; drop it before fitting"
        )
    if n > _CATEGORY_SAMPLE:
        vals = vals.iloc[np.linspace(0, n - 1, _CATEGORY_SAMPLE).astype(np.int64)]
    found = _scan_frame(pd.DataFrame({str(name): vals.astype(str).to_numpy()}), "<categories>", set(KINDS))
    if found:
        what = ", ".join(f"{r['kind']}, e.g. {r['example']}" for r in found)
        raise PersonalDataError(
            f"column {str(name)!r} cannot be a categorical feature: its categories are personal data ({what}); "
            "drop it or de-identify it (scorecard.privacy.deidentify) before fitting"
        )


def category_labels(binner: Any) -> dict[str, pd.Series]:
    """The categories of each categorical feature of a fitted binner, as Series named by the feature.

    What :func:`guard` scans (column names and values) before a binner's
    spec or tables are logged.

    Examples
    --------
    >>> category_labels(object())
    {}
    """
    out: dict[str, pd.Series] = {}
    for f, fb in (getattr(binner, "bins_", None) or {}).items():
        if getattr(fb, "kind", None) != "categorical":
            continue
        cats = [c for g in (getattr(fb, "groups", None) or []) for c in g]
        out[str(f)] = pd.Series(cats, dtype=object, name=str(f))
    return out


# --------------------------------------------------------------------------- #
# de-identified extracts
# --------------------------------------------------------------------------- #
#: Province of the first two digits of a resident ID number (GB/T 2260).
ID_PROVINCES: dict[str, str] = {
    "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古", "21": "辽宁", "22": "吉林", "23": "黑龙江",
    "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西", "37": "山东", "41": "河南",
    "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南", "50": "重庆", "51": "四川", "52": "贵州",
    "53": "云南", "54": "西藏", "61": "陕西", "62": "甘肃", "63": "青海", "64": "宁夏", "65": "新疆", "71": "台湾",
    "81": "香港", "82": "澳门",
}
_AREAS = {"华北": "北京天津河北山西内蒙古", "东北": "辽宁吉林黑龙江", "华东": "上海江苏浙江安徽福建江西山东台湾",
          "华中": "河南湖北湖南", "华南": "广东广西海南香港澳门", "西南": "重庆四川贵州云南西藏", "西北": "陕西甘肃青海宁夏新疆"}
AGE_BANDS: tuple[float, ...] = (18, 25, 35, 45, 55, 65)
"""Default age band edges (``"<18"``, ``"18-24"`` ... ``"65+"``)."""
INCOME_BANDS: tuple[float, ...] = (3000, 5000, 8000, 12000, 20000, 50000)
"""Default monthly income band edges (``"<3000"``, ``"3000-4999"`` ... ``"50000+"``)."""
_GENERALISERS = ("age", "income", "region", "area", "year", "month")


def region_of(value: Any) -> str | None:
    """The province of a Chinese address (its leading province name) or of a resident ID number (its prefix).

    Examples
    --------
    >>> region_of("湖南省长沙市岳麓区麓山南路932号"), region_of("11010519491231002X"), region_of("unknown")
    ('湖南', '北京', None)
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    s = _as_text(value).strip()
    if _is_id(s.upper()):
        return ID_PROVINCES.get(s[:2])
    for prov in ID_PROVINCES.values():
        if s.startswith(prov):
            return prov
    return None


def _area(region: str | None) -> str | None:
    if region is None:
        return None
    return next((a for a, provs in _AREAS.items() if region in provs), None)


def _band(values: pd.Series, edges: Sequence[float]) -> pd.Series:
    x = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    e = [float(v) for v in edges]
    labels = [f"<{e[0]:g}"] + [f"{a:g}-{b - 1:g}" for a, b in zip(e[:-1], e[1:])] + [f"{e[-1]:g}+"]
    idx = np.searchsorted(np.asarray(e), x, side="right")
    out = np.asarray(labels, dtype=object)[np.minimum(idx, len(labels) - 1)]
    out[np.isnan(x)] = None
    return pd.Series(out, index=values.index, dtype=object)


def _generalise(col: pd.Series, how: Any) -> pd.Series:
    if isinstance(how, str):
        if how == "age":
            return _band(col, AGE_BANDS)
        if how == "income":
            return _band(col, INCOME_BANDS)
        if how in ("region", "area"):
            reg = [region_of(v) for v in col.to_numpy(dtype=object)]
            return pd.Series(reg if how == "region" else [_area(r) for r in reg], index=col.index, dtype=object)
        if how in ("year", "month"):
            d = pd.to_datetime(col, errors="coerce")
            return d.dt.strftime("%Y" if how == "year" else "%Y-%m").astype(object).where(d.notna(), None)
        raise ValueError(f"unknown generaliser {how!r}; use one of {_GENERALISERS}, a list of band edges or a function")
    if callable(how):
        return col.map(how).astype(object)
    return _band(col, list(how))


def k_anonymity(frame: pd.DataFrame, quasi: Sequence[str], k: int = 5) -> dict[str, Any]:
    """k-anonymity of ``frame`` over the quasi-identifier columns ``quasi``.

    Returns
    -------
    dict
        ``k`` (size of the smallest equivalence class; missing values form a
        class of their own), ``n_classes``, ``rows_below_k`` and
        ``classes_below_k`` (rows and classes smaller than the target ``k``),
        ``target_k``.

    Examples
    --------
    >>> import pandas as pd
    >>> k_anonymity(pd.DataFrame({"age": ["30-39"] * 3 + ["40-49"]}), ["age"], k=2)["k"]
    1
    """
    if not quasi:
        return {"k": int(len(frame)), "n_classes": int(len(frame) > 0), "rows_below_k": 0, "classes_below_k": 0,
                "target_k": int(k)}
    sizes = frame[list(quasi)].astype(object).fillna("<missing>").value_counts(dropna=False)
    small = sizes[sizes < k]
    return {"k": int(sizes.min()) if len(sizes) else 0, "n_classes": int(len(sizes)),
            "rows_below_k": int(small.sum()), "classes_below_k": int(len(small)), "target_k": int(k)}


def deidentify(
    frame: pd.DataFrame,
    *,
    key: str | bytes | None = None,
    keys: Iterable[str] = (),
    direct: Iterable[str] | Mapping[str, str] | None = None,
    quasi: Mapping[str, Any] | None = None,
    k: int = 5,
    suppress: bool = False,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """A copy of a development sample that can be shared with a vendor or a validator, and its report.

    Parameters
    ----------
    frame : DataFrame
    key : str or bytes, optional
        Pseudonymisation key for ``keys`` (default ``$SCORECARD_PII_KEY``).
    keys : iterable of str
        Join keys (application or customer IDs, even an ID number used as a
        key): replaced by keyed pseudonyms (:func:`pseudonymise`), so the
        vendor's answers can be joined back by whoever holds the key.
    direct : iterable of str or mapping column -> {"drop", "mask"}, optional
        Direct identifiers; a list is dropped. Default: every column
        :func:`scan` flags, other than ``keys`` and ``quasi``, is dropped.
    quasi : mapping column -> generaliser, optional
        Quasi-identifiers, each replaced by a coarser value: ``"age"``
        (bands :data:`AGE_BANDS`), ``"income"`` (:data:`INCOME_BANDS`),
        ``"region"`` (the province of a Chinese address or ID number),
        ``"area"`` (one of seven regions of China), ``"year"`` / ``"month"``
        (dates), a list of band edges, or a function of one value.
    k : int, default 5
        Target k of the k-anonymity report.
    suppress : bool, default False
        Drop the rows whose quasi-identifier class is smaller than ``k``.

    Returns
    -------
    (DataFrame, dict)
        The extract (same row order; suppressed rows removed) and the report:
        ``actions`` (column -> what was done), ``k_anonymity``
        (:func:`k_anonymity` over the generalised quasi-identifiers, after
        suppression), ``n_suppressed`` and ``residual`` (what :func:`scan`
        still finds in the extract, as records; should be empty).

    Raises
    ------
    DataError
        ``keys`` given without a key.
    KeyError
        A named column is not in ``frame``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"application_id": [1, 2, 3, 4], "name": ["王小明", "李娜", "张伟", "刘洋"],
    ...                    "id_number": ["11010519491231002X"] * 2 + ["44030519900101123X"] * 2,
    ...                    "age": [23, 27, 41, 44], "income": [4000, 4500, 9000, 9500], "bad": [0, 1, 0, 0]})
    >>> out, report = deidentify(df, key="k", keys=["application_id"],
    ...                          quasi={"id_number": "region", "age": "age", "income": "income"}, k=2)
    >>> out.drop(columns="application_id").to_dict("list")
    {'id_number': ['北京', '北京', '广东', '广东'], 'age': ['18-24', '25-34', '35-44', '35-44'], 'income': ['3000-4999', '3000-4999', '8000-11999', '8000-11999'], 'bad': [0, 1, 0, 0]}
    >>> report["actions"]["name"], report["k_anonymity"]["k"], report["residual"]
    ('drop', 1, [])
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"deidentify takes a DataFrame, got {type(frame).__name__}")
    keys = list(keys)
    quasi = dict(quasi or {})
    if direct is None:
        flagged = list(dict.fromkeys(scan(frame)["column"].dropna()))
        direct_map = {c: "drop" for c in flagged if c not in keys and c not in quasi}
    elif isinstance(direct, Mapping):
        direct_map = {str(c): str(a) for c, a in direct.items()}
    else:
        direct_map = {str(c): "drop" for c in direct}
    missing = [c for c in [*keys, *direct_map, *quasi] if c not in frame.columns]
    if missing:
        raise KeyError(f"columns {missing} are not in the frame")
    bad = {c: a for c, a in direct_map.items() if a not in ("drop", "mask")}
    if bad:
        raise ValueError(f"direct identifiers are dropped or masked, got {bad}")
    out = frame.copy()
    actions: dict[str, str] = {}
    if keys:
        kb = _key_bytes(key)
        for c in keys:
            out[c] = pd.Series([pseudonymise(v, kb) for v in out[c].to_numpy(dtype=object)], index=out.index,
                               dtype=object)
            actions[c] = "pseudonymise"
    for c, how in quasi.items():
        out[c] = _generalise(out[c], how)
        actions[c] = f"generalise ({how if isinstance(how, str) else 'bands' if not callable(how) else 'function'})"
    masked = [c for c, a in direct_map.items() if a == "mask"]
    if masked:
        out = mask(out, masked)
        actions.update({c: "mask" for c in masked})
    dropped = [c for c, a in direct_map.items() if a == "drop"]
    out = out.drop(columns=dropped)
    actions.update({c: "drop" for c in dropped})
    n_before = len(out)
    qcols = list(quasi)
    if suppress and qcols:
        sizes = out[qcols].astype(object).fillna("<missing>").groupby(qcols, dropna=False)[qcols[0]].transform("size")
        out = out[sizes.to_numpy() >= k]
    report = {
        "actions": actions,
        "k_anonymity": k_anonymity(out, qcols, k),
        "n_suppressed": int(n_before - len(out)),
        "residual": scan(out.drop(columns=keys)).to_dict("records"),
    }
    logger.info("privacy.deidentify: %d column(s) changed, k=%d over %s, %d row(s) suppressed",
                len(actions), report["k_anonymity"]["k"], qcols, report["n_suppressed"])
    return out, report
