"""Browser test of the binning editor widget in a real JupyterLab.

The test starts JupyterLab headless on 127.0.0.1 (free port, random token,
``--allow-root`` since CI runs as root, every Jupyter directory in a temp
folder), writes a notebook that builds the editor on German credit and
displays it, and drives Debian's headless Chromium through Selenium with
Debian's chromedriver (browser downloads are not possible here). It runs the
cell, checks the IV the widget shows against the edit model, selects two bins
and clicks *Merge*, waits for the IV label to change and compares it with the
IV the edit model computes for the same merge in this process, then tries an
invalid merge and checks the refusal message. Screenshots go to
``test-artifacts/`` at the project root (git-ignored), also when the test fails.

The server (with its kernel) and the browser are stopped in fixture teardown,
by the ids of the processes the test started. Every wait is bounded.

Needs ``/usr/bin/chromium`` and ``/usr/bin/chromedriver`` (``make browser``);
set ``SCORECARD_SKIP_BROWSER_TESTS=1`` to skip it on a machine without them.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scorecard import WOEBinner
from scorecard.datasets import load_german_credit
from scorecard.editor import BinningEditor

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FEATURE = "duration_in_month"

SERVER_START_TIMEOUT = 60  # seconds
PAGE_TIMEOUT = 60
CELL_TIMEOUT = 120  # kernel start, imports and the binner fit, on a loaded machine
EDIT_TIMEOUT = 30

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

NOTEBOOK_CELL = f"""\
import warnings
warnings.simplefilter("ignore")
from scorecard import WOEBinner
from scorecard.datasets import load_german_credit
from scorecard.editor import BinningEditor

X, y = load_german_credit()
binner = WOEBinner().fit(X, y)
editor = BinningEditor(binner, X, y)
editor.widget({FEATURE!r})
"""


def _notebook(source: str) -> dict[str, Any]:
    return {
        "cells": [
            {"cell_type": "code", "execution_count": None, "id": "editor", "metadata": {}, "outputs": [], "source": source}
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(predicate: Callable[[], Any], timeout: float, what: str, interval: float = 0.25) -> Any:
    """Poll ``predicate`` until it returns a truthy value; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    last_exc: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as exc:  # noqa: BLE001 - retried until the deadline
            last_exc = exc
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}" + (f" (last error: {last_exc!r})" if last_exc else ""))


@dataclass
class Server:
    url: str
    token: str
    root: Path
    log: Path
    proc: subprocess.Popen

    def api(self, method: str, path: str) -> int:
        req = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}, data=b"" if method == "POST" else None
        )
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no server log)"


def _stop_process_tree(proc: subprocess.Popen, grace: float = 15) -> None:
    """Stop a process we started and every descendant it left, by process id."""
    import psutil

    try:
        family = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    _, alive = psutil.wait_procs(family, timeout=5)
    for p in alive:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=5)


@pytest.fixture
def jupyter_server(tmp_path: Path) -> Iterator[Server]:
    """JupyterLab on 127.0.0.1 with a token, isolated in ``tmp_path``; shut down afterwards."""
    root = tmp_path / "notebooks"
    root.mkdir()
    (root / "editor.ipynb").write_text(json.dumps(_notebook(NOTEBOOK_CELL), indent=1))
    settings = tmp_path / "lab-settings"
    notify = settings / "@jupyterlab" / "apputils-extension"
    notify.mkdir(parents=True)
    # no news or update toasts over the page (and no requests to the internet)
    (notify / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(
        os.environ,
        HOME=str(tmp_path / "home"),
        JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "jupyter-runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "lab-workspaces"),
        IPYTHONDIR=str(tmp_path / "ipython"),
        OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
        MPLBACKEND="Agg",
    )
    env.pop("JUPYTER_TOKEN", None)
    log = tmp_path / "jupyterlab.log"
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--port-retries=0",
        f"--IdentityProvider.token={token}",
        "--allow-root",
        f"--ServerApp.root_dir={root}",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    server = Server(url=f"http://127.0.0.1:{port}", token=token, root=root, log=log, proc=proc)
    try:

        def ready() -> bool:
            if proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {proc.returncode}:\n{server.log_tail()}")
            return server.api("GET", "/api/status") == 200

        _wait_for(ready, SERVER_START_TIMEOUT, "JupyterLab to answer on /api/status")
        yield server
    finally:
        try:  # a clean shutdown stops the kernels too
            server.api("POST", "/api/shutdown")
            proc.wait(timeout=20)
        except Exception:  # noqa: BLE001 - fall back to stopping the processes
            pass
        _stop_process_tree(proc)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    """Headless Debian Chromium driven by Debian's chromedriver; quit afterwards."""
    if os.environ.get("SCORECARD_SKIP_BROWSER_TESTS") == "1":
        pytest.skip("SCORECARD_SKIP_BROWSER_TESTS=1")
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.fail(f"{missing} not found: run `make browser` (Debian chromium and chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,1100",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(arg)
    service = Service(executable_path=str(CHROMEDRIVER), log_output=str(tmp_path / "chromedriver.log"))
    driver = webdriver.Chrome(service=service, options=options)
    try:
        driver.set_page_load_timeout(PAGE_TIMEOUT)
        driver.set_script_timeout(30)
        yield driver
    finally:
        try:
            driver.quit()
        finally:
            if service.process is not None and service.process.poll() is None:
                _stop_process_tree(service.process)


@pytest.fixture(scope="module")
def expected() -> dict[str, float]:
    """The IVs the edit model gives, computed in this process for the same data and edit."""
    X, y = load_german_credit()
    editor = BinningEditor(WOEBinner().fit(X, y), X, y)
    before = editor.iv(FEATURE)
    n_bins = len(editor.regular_bins(FEATURE))
    editor.merge(FEATURE, [0, 1])
    return {"before": before, "after": editor.iv(FEATURE), "n_bins": n_bins}


_KERNEL_STATUS_JS = """
const app = window.jupyterapp;
if (!app) { return 'no app'; }
const panel = app.shell.currentWidget;
if (!panel || !panel.sessionContext) { return 'no notebook'; }
const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
return kernel ? kernel.status : 'no kernel';
"""


def _shown_iv(driver: Any) -> float | None:
    from selenium.webdriver.common.by import By

    spans = driver.find_elements(By.CSS_SELECTOR, ".scorecard-editor .scorecard-iv .scorecard-iv-value")
    if not spans:
        return None
    value = spans[0].get_attribute("data-iv")
    return float(value) if value else None


def _select_bins(driver: Any, indices: list[int]) -> None:
    """Select bins as a user does: click the first, Ctrl+click the others; wait until the kernel has them."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    options = driver.find_elements(By.CSS_SELECTOR, ".scorecard-editor .scorecard-bins select option")
    actions = ActionChains(driver).click(options[indices[0]])
    for i in indices[1:]:
        actions = actions.key_down(Keys.CONTROL).click(options[i]).key_up(Keys.CONTROL)
    actions.perform()
    # the kernel relabels the merge button when it receives the selection
    _wait_for(
        lambda: driver.find_element(By.CSS_SELECTOR, ".scorecard-editor button.scorecard-merge").text
        == f"Merge the {len(indices)} selected bins",
        EDIT_TIMEOUT,
        f"the kernel to receive the selection of bins {indices}",
    )


def test_merge_in_the_browser_updates_the_iv_to_the_edit_models_value(
    jupyter_server: Server, browser: Any, expected: dict[str, float]
) -> None:
    from selenium.webdriver.common.by import By

    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob("binning_editor_*.png"):  # keep only this run's screenshots
        old.unlink()
    driver = browser
    try:
        driver.get(f"{jupyter_server.url}/lab/tree/editor.ipynb?token={jupyter_server.token}")
        _wait_for(lambda: driver.execute_script(_KERNEL_STATUS_JS) == "idle", CELL_TIMEOUT, "the notebook's kernel to be idle")
        driver.execute_script("window.jupyterapp.commands.execute('notebook:run-all-cells');")

        shown = _wait_for(lambda: _shown_iv(driver), CELL_TIMEOUT, "the binning editor widget to render")
        assert shown == pytest.approx(expected["before"], rel=1e-12, abs=1e-15)
        options = driver.find_elements(By.CSS_SELECTOR, ".scorecard-editor .scorecard-bins select option")
        assert len(options) == expected["n_bins"]

        # merge the first two bins
        _select_bins(driver, [0, 1])
        driver.find_element(By.CSS_SELECTOR, ".scorecard-editor button.scorecard-merge").click()
        after = _wait_for(
            lambda: (v := _shown_iv(driver)) is not None and v != shown and v,
            EDIT_TIMEOUT,
            "the IV label to change after the merge",
        )
        assert after == pytest.approx(expected["after"], rel=1e-12, abs=1e-15)
        message = driver.find_element(By.CSS_SELECTOR, ".scorecard-editor .scorecard-message").text
        assert "merge bins [0, 1]" in message
        _wait_for(
            lambda: len(driver.find_elements(By.CSS_SELECTOR, ".scorecard-editor .scorecard-bins select option"))
            == expected["n_bins"] - 1,
            EDIT_TIMEOUT,
            "the bin list to lose one bin",
        )
        editor_el = driver.find_element(By.CSS_SELECTOR, ".scorecard-editor")
        driver.execute_script("arguments[0].scrollIntoView(true);", editor_el)
        time.sleep(0.3)  # let the SVG settle before the screenshot
        driver.save_screenshot(str(ARTIFACTS / "binning_editor_after_merge.png"))

        # an invalid edit is refused with a message, and the IV stays
        _select_bins(driver, [0, 2])
        driver.find_element(By.CSS_SELECTOR, ".scorecard-editor button.scorecard-merge").click()
        refusal = _wait_for(
            lambda: driver.find_element(By.CSS_SELECTOR, ".scorecard-editor .scorecard-message .scorecard-error").text,
            EDIT_TIMEOUT,
            "the refusal message",
        )
        assert "not adjacent" in refusal
        assert _shown_iv(driver) == after
        driver.save_screenshot(str(ARTIFACTS / "binning_editor_refused_merge.png"))
    except BaseException:
        try:
            driver.save_screenshot(str(ARTIFACTS / "binning_editor_failure.png"))
        finally:
            print(f"JupyterLab log (tail):\n{jupyter_server.log_tail()}")
        raise
