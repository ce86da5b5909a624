"""Personal data never reaches a model, an artifact or a message: the leaks of issue 18, each a test.

Every check is made twice: with the library's own scanner and with an
independent one (the raw values, and their digits, searched as substrings;
runs of seven or more digits; the Chinese names used).
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from faker import Faker

from scorecard import LogisticScorecard, WOEBinner, privacy, tracking
from scorecard.challenger import GBMChallenger
from scorecard.datasets import load_german_credit, make_applications
from scorecard.errors import DataError, PersonalDataError, ScorecardError, preview

N = 300


@pytest.fixture(scope="module")
def german():
    X, y = load_german_credit()
    return X.iloc[:N].reset_index(drop=True), y.iloc[:N].reset_index(drop=True)


@pytest.fixture(scope="module")
def fake():
    zh, en = Faker("zh_CN"), Faker("en_US")
    zh.seed_instance(18)
    en.seed_instance(18)
    return {
        "cn_names": [zh.name() for _ in range(N)],
        "en_names": [en.name() for _ in range(N)],
        "phones": [zh.phone_number() for _ in range(N)],
        "ids": [zh.ssn() for _ in range(N)],
        "addresses": [zh.address() for _ in range(N)],
        "cards": [zh.credit_card_number() for _ in range(N)],
    }


def _spaced(p: str) -> str:
    return f"{p[:3]} {p[3:7]} {p[7:]}"


def _leaks(text: str, raw: list[str]) -> list[str]:
    """Independent check: which raw values (or their digits) appear in ``text``."""
    out = []
    digits_text = re.sub(r"\D", "", text)
    for v in raw:
        v = str(v)
        d = re.sub(r"\D", "", v)
        if v in text or (len(d) >= 7 and d in digits_text):
            out.append(v)
    return out


def _clean_message(msg: str, raw: list[str]) -> None:
    assert privacy.scan(pd.DataFrame({"message": [msg]})).empty, msg
    assert privacy.scan_text(msg).empty, msg
    assert not _leaks(msg, raw), (msg, _leaks(msg, raw))
    assert not re.search(r"\d{7,}", msg.replace(" ", "").replace("-", "")), msg


# --------------------------------------------------------------------------- leaks refused at fit time
@pytest.mark.parametrize("column,kind", [("姓名", "cn_names"), ("name", "en_names"), ("客户姓名", "cn_names"),
                                         ("borrower", "cn_names"), ("contact", "phones"), ("mobile", "phones"),
                                         ("x", "addresses")])
def test_personal_categorical_refused_by_the_binner(german, fake, column, kind):
    X, y = german
    vals = fake[kind] if kind != "phones" else [_spaced(p) for p in fake["phones"]]
    # a few values repeated: not an identifier by cardinality, caught by content
    vals = [vals[i % 12] for i in range(N)]
    with pytest.raises(PersonalDataError) as info:
        WOEBinner().fit(X.assign(**{column: vals}), y)
    msg = str(info.value)
    assert repr(column) in msg
    _clean_message(msg, vals)


def test_names_in_free_text_remark_refused(german, fake):
    X, y = german
    remark = [f"联系人{fake['cn_names'][i % 10]}，已核实" if i % 2 else "按时还款" for i in range(N)]
    with pytest.raises(PersonalDataError, match="'remark'.*name"):
        LogisticScorecard().fit(X.assign(remark=remark), y)
    remark_en = [f"Called Mr. {fake['en_names'][i % 10].split()[-1]}" if i % 2 else "no answer" for i in range(N)]
    with pytest.raises(PersonalDataError, match="'remark'.*name"):
        WOEBinner().fit(X.assign(remark=remark_en), y)


def test_challenger_refuses_personal_categories(german, fake):
    X, y = german
    vals = [fake["cn_names"][i % 8] for i in range(N)]
    with pytest.raises(PersonalDataError, match="'联系人'"):
        GBMChallenger(n_estimators=5).fit(X.assign(联系人=vals), y)


def test_ordinary_categories_still_fit(german):
    X, y = german
    cities = np.array(["北京", "上海", "广州", "深圳", "黄山", "周口"])[np.arange(N) % 6]
    b = WOEBinner().fit(X.assign(city=cities, industry=np.array(["制造业", "金融业"])[np.arange(N) % 2]), y)
    assert "city" in b.features_


# --------------------------------------------------------------------------- the guard at log time
def test_log_model_refuses_category_labels_that_slipped_through(german, fake, mlflow_tracking_uri, monkeypatch, tmp_path):
    X, y = german
    vals = [_spaced(fake["phones"][i % 6]) for i in range(N)]
    monkeypatch.setattr(privacy, "check_categorical_values", lambda *a, **k: None)  # as a binner fitted elsewhere
    binner = WOEBinner().fit(X.assign(contact=vals), y)
    monkeypatch.undo()
    with pytest.raises(DataError, match="binning categories.*contact.*phone") as info:
        tracking.log_model(binner, "leaky", X=X, y=y)
    _clean_message(str(info.value), vals)
    root = tracking.artifact_root(mlflow_tracking_uri)
    files = [p for p in Path(mlflow_tracking_uri.removeprefix("sqlite:///")).parent.rglob("*") if p.is_file()]
    for f in files:
        assert not _leaks(f.read_bytes().decode("utf-8", "replace"), vals), f
    assert root is None or not any(root.rglob("*.json"))


def test_export_refuses_spec_categories_that_slipped_through(german, fake, monkeypatch, tmp_path):
    from scorecard import export

    X, y = german
    names = [fake["en_names"][i % 5] for i in range(N)]
    monkeypatch.setattr(privacy, "check_categorical_values", lambda *a, **k: None)
    model = LogisticScorecard().fit(X.assign(applicant=names), y)
    gbm = GBMChallenger(n_estimators=5).fit(X.assign(applicant=names), y)
    monkeypatch.undo()
    checked = 0
    for m in (model, gbm):
        if "applicant" not in privacy.spec_categories(export.export_spec(m)):
            continue
        checked += 1
        with pytest.raises(DataError, match="model spec categories.*applicant.*name") as info:
            export.to_pyfunc(m, tmp_path / type(m).__name__)
        _clean_message(str(info.value), names)
        assert not (tmp_path / type(m).__name__).exists()
    assert checked >= 1


# --------------------------------------------------------------------------- messages never carry raw values
def _corpus(german, fake):
    X, y = german
    ids, phones, names = fake["ids"], fake["phones"], fake["cn_names"]
    bad_id = "110105194912310021"  # wrong check digit: not recognised as an ID, must still be masked
    cases = {
        "constant ID column": lambda: WOEBinner().fit(X.assign(idn=bad_id), y),
        "ID-like column": lambda: WOEBinner().fit(X.assign(idn=[bad_id[:-3] + f"{i:03d}" for i in range(N)]), y),
        "phone text in a numeric feature": lambda: WOEBinner(categorical_features=[]).fit(
            X.assign(duration_in_month=X["duration_in_month"].astype(object).where(X.index > 2, _spaced(phones[0]))), y),
        "ID text in a numeric challenger feature": lambda: GBMChallenger(n_estimators=5).fit(
            X.assign(d=pd.Series([1.5] * (N - 1) + [ids[1]], dtype=object)), y),
        "bad_value absent (one class)": lambda: WOEBinner(bad_value=ids[1]).fit(X, pd.Series([ids[0]] * N)),
        "non-binary target": lambda: WOEBinner().fit(X, pd.Series([names[i % 3] for i in range(N)])),
        "ID numbers as target": lambda: LogisticScorecard().fit(X, pd.Series(ids)),
        "inf values": lambda: WOEBinner().fit(X.assign(r=[np.inf] + [1.0] * (N - 1)), y),
        "personal categorical": lambda: WOEBinner().fit(X.assign(身份证号=[ids[i % 5] for i in range(N)]), y),
    }
    return cases


def test_every_error_of_the_bad_input_corpus_is_masked(german, fake):
    raw = fake["ids"] + fake["phones"] + fake["cn_names"] + ["110105194912310021"]
    raised = {}
    for what, fn in _corpus(german, fake).items():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with pytest.raises((ScorecardError, ValueError, KeyError)) as info:
                fn()
        raised[what] = type(info.value).__name__
        _clean_message(str(info.value), raw)
        for w in caught:
            _clean_message(str(w.message), raw)
    assert len(raised) == 9, raised


def test_unseen_categories_and_serving_errors_are_masked(german, fake):
    from scorecard import export

    X, y = german
    gbm = GBMChallenger(n_estimators=5, fallback="error").fit(X, y)
    Z = X.head(3).assign(purpose=[fake["cn_names"][0], fake["phones"][0], fake["ids"][0]])
    with pytest.raises(DataError) as info:
        gbm.predict_proba(Z)
    _clean_message(str(info.value), fake["cn_names"] + fake["phones"] + fake["ids"])
    model = LogisticScorecard().fit(X, y)
    scorer = export.CompiledScorer.from_model(model)
    num = model.binner_.features_[[model.binner_.bins_[f].kind for f in model.binner_.features_].index("numeric")]
    bad = X.head(2).astype({num: object})
    bad[num] = [_spaced(fake["phones"][3]), fake["ids"][3]]
    with pytest.raises(DataError) as info:
        scorer.predict(bad)
    _clean_message(str(info.value), fake["phones"] + fake["ids"])


def test_preview_masks_and_keeps_shape():
    assert preview("110105194912310021") == "'1****************1' (18 chars)"
    assert "王小明" not in preview("王小明") and preview("王小明").startswith("'王*明'")


# --------------------------------------------------------------------------- de-identified extracts
def test_deidentify_extract_and_k_anonymity(fake):
    A = make_applications(400, 5)
    A["address"] = [fake["addresses"][i % N] for i in range(len(A))]
    A["card"] = [fake["cards"][i % N] for i in range(len(A))]
    raw = A["name"].tolist() + A["phone"].tolist() + A["id_number"].tolist() + A["address"].tolist() + A["card"].tolist()
    out, report = privacy.deidentify(
        A, key="vendor-key", keys=["application_id"],
        quasi={"id_number": "area", "age": "age", "monthly_income": "income"}, k=5,
    )
    assert {"name", "phone", "address", "card"}.isdisjoint(out.columns)
    assert report["actions"]["name"] == "drop" and report["actions"]["application_id"] == "pseudonymise"
    assert report["residual"] == []
    text = out.to_csv()
    assert not _leaks(text, raw) and privacy.scan(out.drop(columns="application_id")).empty
    # pseudonyms: stable under the key, different under another, never the raw key
    again, _ = privacy.deidentify(A, key="vendor-key", keys=["application_id"], quasi={"age": "age"})
    other, _ = privacy.deidentify(A, key="other-key", keys=["application_id"], quasi={"age": "age"})
    assert (again["application_id"] == out["application_id"]).all()
    assert not (other["application_id"] == out["application_id"]).any()
    # the k-anonymity report against an independent count
    q = ["id_number", "age", "monthly_income"]
    sizes = Counter(tuple(r) for r in out[q].to_numpy(dtype=object).tolist())  # None is a class of its own
    assert report["k_anonymity"]["k"] == min(sizes.values())
    assert report["k_anonymity"]["rows_below_k"] == sum(c for c in sizes.values() if c < 5)
    assert report["k_anonymity"]["n_classes"] == len(sizes)
    assert set(out["age"].dropna()) <= {"<18", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"}
    # suppression reaches the target k
    sup, rep2 = privacy.deidentify(A, key="vendor-key", keys=["application_id"],
                                   quasi={"id_number": "region", "age": "age", "monthly_income": "income"},
                                   k=5, suppress=True)
    assert rep2["k_anonymity"]["k"] >= 5 and rep2["n_suppressed"] == len(A) - len(sup) > 0


def test_workflow_on_personal_data_leaves_nothing_in_the_store(fake, mlflow_tracking_uri, tmp_path):
    A = make_applications(1500, 9)
    A["contact"] = [_spaced(fake["phones"][i % N]) for i in range(len(A))]
    A["remark"] = [f"客户{fake['cn_names'][i % 40]}称下周还款" if i % 3 == 0 else "无" for i in range(len(A))]
    A["address"] = [fake["addresses"][i % N] for i in range(len(A))]
    A["bank_card"] = [fake["cards"][i % N] for i in range(len(A))]
    raw = (A["name"].tolist() + A["phone"].tolist() + A["id_number"].tolist() + A["contact"].tolist()
           + [fake["cn_names"][i] for i in range(40)] + A["address"].tolist() + A["bank_card"].tolist())
    y = A.pop("bad")
    feats = ["age", "monthly_income", "debt_to_income", "n_inquiries_6m", "housing", "employment_type"]
    with pytest.raises(PersonalDataError):
        LogisticScorecard().fit(A[feats + ["remark"]], y)
    ext, report = privacy.deidentify(A, key="k", keys=["application_id"], quasi={"id_number": "region"})
    assert {"name", "phone", "contact", "remark", "address", "bank_card"}.isdisjoint(ext.columns)
    model = LogisticScorecard().fit(ext[feats + ["id_number"]], y)
    tracking.log_model(model, "deidentified", X=ext[feats + ["id_number"]], y=y, n_plots=1)
    store = Path(mlflow_tracking_uri.removeprefix("sqlite:///")).parent
    assert privacy.scan(store).empty
    for f in (p for p in store.rglob("*") if p.is_file()):
        assert not _leaks(f.read_bytes().decode("utf-8", "replace"), raw), f
