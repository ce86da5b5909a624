"""Shared test fixtures.

MLflow
------
A new MLflow SQLite database takes several seconds to create (schema
migrations). ``mlflow_template_db`` creates one, migrated, once per test
session (in a child process, so no connection to it stays open here);
``mlflow_tracking_uri`` copies it into each test's ``tmp_path`` and points
``MLFLOW_TRACKING_URI`` at the copy, so every test logs to its own store
(artifacts land in ``tmp_path/mlruns/artifacts``, see
:func:`scorecard.tracking.artifact_root`) and nothing touches the project's
``mlruns/``. Child processes (papermill kernels) inherit the variable.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# Before anything imports MLflow or starts a BLAS / OpenMP pool.
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

PROJECT_ROOT = Path(__file__).resolve().parents[1]

_CREATE_DB = (
    "import sys\n"
    "from mlflow import MlflowClient\n"
    "MlflowClient(tracking_uri='sqlite:///' + sys.argv[1]).search_experiments()\n"
)


@pytest.fixture(scope="session")
def mlflow_template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty MLflow SQLite database, created once per session."""
    folder = tmp_path_factory.mktemp("mlflow-template")
    db = folder / "mlflow.db"
    env = dict(os.environ, MLFLOW_DISABLE_TELEMETRY="true")
    env.pop("MLFLOW_TRACKING_URI", None)
    subprocess.run(
        [sys.executable, "-c", _CREATE_DB, db.as_posix()],
        cwd=folder,  # MLflow records a default artifact root relative to the cwd
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert db.is_file(), "MLflow did not create the template database"
    return db


@pytest.fixture
def mlflow_tracking_uri(mlflow_template_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """``MLFLOW_TRACKING_URI`` set to a fresh copy of the template database in ``tmp_path``."""
    folder = tmp_path / "mlruns"
    folder.mkdir()
    db = folder / "mlflow.db"
    shutil.copyfile(mlflow_template_db, db)
    uri = f"sqlite:///{db.as_posix()}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    monkeypatch.setenv("MLFLOW_DISABLE_TELEMETRY", "true")
    return uri


# --------------------------------------------------------------------------- #
# headless Chromium for the browser tests of the reports and the docs site
# --------------------------------------------------------------------------- #
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROME_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1400,1000",
)


@pytest.fixture
def driver(tmp_path: Path):
    """A headless Chromium (Debian's chromium and chromium-driver) with its browser log kept, for the page tests."""
    if not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()):
        pytest.fail(
            f"{CHROMIUM} and {CHROMEDRIVER} are needed (Debian packages chromium and chromium-driver): "
            "run `make browser`"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in CHROME_ARGS:
        options.add_argument(arg)
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        drv.set_page_load_timeout(60)
        yield drv
    finally:
        drv.quit()
