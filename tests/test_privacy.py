"""Tests of scorecard.privacy: detection, masking, keyed pseudonyms, the guard, and the workflow acceptance scan."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scorecard import privacy
from scorecard.datasets import id_number_check_digit, make_applications
from scorecard.errors import DataError

ROOT = Path(__file__).resolve().parents[1]
PII = {"id_number", "phone", "card"}


def _luhn_complete(prefix: str) -> str:
    for d in "0123456789":
        if privacy.is_valid_card_number(prefix + d):
            return prefix + d
    raise AssertionError


VALID_ID = "11010519491231002X"
BAD_ID = "110105194912310021"
CARD = _luhn_complete("622202020000123456")  # 19-digit UnionPay
BAD_CARD = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)


def test_value_detection_kinds_and_check_digits():
    text = f"id {VALID_ID} bad {BAD_ID} phone +86 139-1234-5678 card {CARD} not {BAD_CARD} mail li.wei@example.com"
    found = privacy.scan_text(text).set_index("kind")["count"].to_dict()
    assert found == {"id_number": 1, "phone": 1, "card": 1, "email": 1}
    # generated ID numbers: valid check digit found, a wrong one not
    first17 = "44030519900101123"
    assert privacy.scan_text(first17 + id_number_check_digit(first17))["kind"].tolist() == ["id_number"]
    wrong = str((int(id_number_check_digit(first17)) + 1) % 10) if id_number_check_digit(first17) != "X" else "0"
    assert privacy.scan_text(first17 + wrong).empty


@pytest.mark.parametrize("text", [
    "0.13912345678901234",  # digits after a decimal point
    "leaf_count=176 3693 3453 963",  # LightGBM model text
    "run 8f3a13912345678b",  # inside a hex id
    "1762598123456",  # a millisecond timestamp
    "sha 110105194912310021",  # wrong check digit
])
def test_no_false_positives(text):
    assert privacy.scan_text(text).empty


def test_frame_scan_by_name_and_value_and_numbers():
    A = make_applications(2000, 3)
    found = privacy.scan(A)
    kinds = dict(zip(found["column"], found["kind"]))
    assert kinds == {"name": "name", "phone": "phone", "id_number": "id_number"}
    # a phone stored as a number, or as a float, is still found; small numbers are not
    df = pd.DataFrame({"mobile_no": A["phone"].astype(np.int64), "x": A["phone"].astype(float),
                       "n_phone_calls": np.arange(2000), "telephone": ["none", "yes"] * 1000})
    f = privacy.scan(df)
    assert set(zip(f["column"], f["kind"])) == {("mobile_no", "phone"), ("x", "phone")}


def test_mask_and_pseudonymise():
    A = make_applications(500, 4)[["application_id", "name", "phone", "id_number", "age"]]
    masked = privacy.mask(A)
    assert privacy.scan(masked).empty
    assert masked["phone"].str.fullmatch(r"1\d\d\*{4}\d{4}").all()
    assert masked["id_number"].str.fullmatch(r"\d{3}\*{11}[\dX]{4}").all()
    assert (masked["age"] == A["age"]).all() and (masked["application_id"] == A["application_id"]).all()
    p1 = privacy.mask(A, method="pseudonymise", key="k1")
    p2 = privacy.mask(A, method="pseudonymise", key="k1")
    p3 = privacy.mask(A, method="pseudonymise", key="k2")
    assert privacy.scan(p1).empty
    assert p1.equals(p2) and not (p1["phone"] == p3["phone"]).any()
    assert p1["phone"].str.fullmatch(r"pii_[0-9a-f]{32}").all()
    assert privacy.pseudonymise("139-1234-5678", "k", "phone") == privacy.pseudonymise("+8613912345678", "k", "phone")
    with pytest.raises(DataError, match="SCORECARD_PII_KEY"):
        privacy.mask(A, method="pseudonymise") if "SCORECARD_PII_KEY" not in os.environ else privacy._key_bytes(b"")
    assert "phone" not in privacy.mask(A, method="drop").columns


def test_guard_refuses_and_allows(tmp_path):
    df = pd.DataFrame({"phone": ["13912345678"], "age": [30]})
    with pytest.raises(DataError, match=r"column 'phone'.*phone") as err:
        privacy.guard(df, what="table")
    assert "13912345678" not in str(err.value)  # the message never holds the value
    assert len(privacy.guard(df, allow_personal_data=True)) == 1
    assert privacy.guard(privacy.mask(df)).empty
    with pytest.raises(DataError, match="card"):
        privacy.guard({"notes": {"customer": f"card {CARD}"}, "figure": object()})
    (tmp_path / "a.csv").write_text(f"id,x\n{VALID_ID},1\n")
    with pytest.raises(DataError, match="a.csv.*id_number"):
        privacy.guard(tmp_path)


def test_scan_files_and_folders(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "t.csv").write_text(f"x\n{VALID_ID}\n{VALID_ID}\n")
    pd.DataFrame({"p": ["13912345678"]}).to_parquet(tmp_path / "p.parquet")
    with gzip.open(tmp_path / "z.txt.gz", "wt") as fh:
        fh.write(f"card {CARD}")
    (tmp_path / "clean.json").write_text('{"auc": 0.7912345678901234, "t": 1762598123456}')
    f = privacy.scan(tmp_path)
    got = {(Path(s).name, k, c) for s, k, c in zip(f["source"], f["kind"], f["count"])}
    assert got == {("t.csv", "id_number", 2), ("p.parquet", "phone", 1), ("z.txt.gz", "card", 1)}
    assert not privacy.scan(tmp_path, exclude=["sub/*", "*.parquet", "*.gz"]).shape[0]
    with pytest.raises(FileNotFoundError):
        privacy.scan(tmp_path / "nope")


def test_committed_notebooks_hold_no_personal_data():
    found = privacy.scan(ROOT / "notebooks")
    assert found[found["kind"].isin(PII)].empty, found.to_string()


@pytest.mark.slow
def test_workflow_leaves_no_personal_data(mlflow_tracking_uri, tmp_path):
    """Acceptance: the whole workflow on synthetic applications that CARRY names, mobiles and
    resident IDs (a CSV, as a user would bring it) leaves none in mlruns, reports or notebooks."""
    from scorecard.datasets import make_applications

    data = tmp_path / "input"
    data.mkdir()
    csv = data / "applications_with_personal_data.csv"
    make_applications(3000, random_state=0).drop(columns=["application_id"]).to_csv(csv, index=False)
    # positive control: the same scan does see the personal data in the input
    seen = privacy.scan(csv)
    assert {"id_number", "phone"} <= set(seen["kind"]), seen.to_string()
    out = tmp_path / "outputs"
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MLFLOW_DISABLE_TELEMETRY="true")
    res = subprocess.run(
        [sys.executable, str(ROOT / "notebooks" / "run_workflow.py"), "--dataset", str(csv),
         "-p", "target", "bad", "--output-dir", str(out)],
        env=env, capture_output=True, text=True, timeout=900,
    )
    assert res.returncode == 0, res.stderr[-4000:]
    store = Path(mlflow_tracking_uri[len("sqlite:///"):]).parent  # tmp_path/mlruns: database and artifacts
    assert any(store.rglob("*.json")), "the workflow logged nothing to the temporary store"
    assert len(list(out.glob("*.ipynb"))) == len(list((ROOT / "notebooks").glob("*.ipynb")))
    for folder in (store, out, ROOT / "notebooks"):
        found = privacy.scan(folder)
        assert found[found["kind"].isin(PII)].empty, found.to_string()
