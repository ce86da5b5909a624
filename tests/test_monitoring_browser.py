"""The monitoring report in a real browser: headless Chromium opens the HTML file.

Same setup as ``tests/test_validation_browser.py`` (Debian's ``chromium`` and
``chromium-driver``, ``make browser``). The report watches a scorecard over
8 production months with drift and maturing labels; the test opens its
``file://`` URL and checks that

- every section is there (by id), in order, visible, the alerts first and
  on the first screen;
- every figure decoded and nothing was fetched (self-contained);
- the browser console has no SEVERE entry;
- it prints (a PDF with a page per section).

The HTML, a screenshot of the first screen (the alerts) and the PDF are kept
in ``test-artifacts/`` at the project root (git-ignored). The driver is
always quit.
"""

from __future__ import annotations

import base64
import re
import shutil
import warnings
from pathlib import Path

import pytest

from scorecard import LogisticScorecard
from scorecard.datasets import make_applications, make_production_months
from scorecard.errors import ScorecardWarning
from scorecard.monitoring import SECTION_IDS, Monitor

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from scorecard.strategy import ChannelPolicy, Policy, ScoreBands

    dev = make_applications(6000, random_state=3)
    train, hold = dev.iloc[:4000], dev.iloc[4000:].reset_index(drop=True)
    cols = ["credit_utilization", "monthly_income", "loan_purpose", "bureau_score", "n_inquiries_6m", "age"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScorecardWarning)
        model = LogisticScorecard().fit(train[cols], train["bad"])
    apps, labels = make_production_months(
        1500, 5, n_months=8, drift_start=5, drift={"credit_utilization": 2.0},
        missing={"monthly_income": 0.3}, unseen={"loan_purpose": 0.15}, as_of="2025-06",
    )
    bands = {"champion": ScoreBands(cutoffs=[560.0], name="champion").fit()}
    channel = ChannelPolicy.from_arrays(["approve", "decline"], limit=1000.0, price_tier="P1")
    policy = Policy("demo", "1", bands, {c: channel for c in ("api", "h5", "app")}, price_tiers={"P1": 0.1})
    mon = Monitor(model, policy=policy, n_boot=100).fit_baseline(hold, hold["bad"])
    mon.observe(apps)
    mon.add_outcomes(apps, labels)
    path = mon.report().save(tmp_path_factory.mktemp("browser") / "monitoring report.html")  # a space: URL-quoted
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(path, ARTIFACTS / "monitoring_report.html")
    return path


def test_report_in_headless_chromium(report_file: Path, driver) -> None:
    from selenium.webdriver.common.by import By

    driver.get(report_file.as_uri())
    assert driver.execute_script("return document.readyState") == "complete"
    assert driver.title == "Model monitoring report"

    found = [el.get_attribute("id") for el in driver.find_elements(By.CSS_SELECTOR, "section[id]")]
    assert found == list(SECTION_IDS)
    for sid in SECTION_IDS:
        section = driver.find_element(By.ID, sid)
        assert section.is_displayed(), sid
        assert section.find_element(By.TAG_NAME, "h2").text.strip(), sid
    # the alerts come first, on the first screen, filled in and naming the drifted features
    alert_rows = driver.find_elements(By.CSS_SELECTOR, "#t-alerts tbody tr")
    assert len(alert_rows) >= 5
    assert "credit_utilization" in driver.find_element(By.ID, "t-alerts").text
    assert driver.execute_script(
        "return document.getElementById('alerts').getBoundingClientRect().top < window.innerHeight"
    )

    images = driver.execute_script(
        "return Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.src.slice(0, 22)])"
    )
    assert len(images) == len(SECTION_IDS) - 1  # one figure per section but the alerts
    assert all(done and width > 0 and src == "data:image/png;base64," for done, width, src in images), images
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0

    logs = driver.get_log("browser")
    severe = [entry for entry in logs if entry.get("level") == "SEVERE"]
    assert not severe, severe

    pdf = driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True})
    data = base64.b64decode(pdf["data"])
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    assert pages >= len(SECTION_IDS)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "monitoring_report.pdf").write_bytes(data)

    driver.execute_script("window.scrollTo(0, 0)")
    shot = ARTIFACTS / "monitoring_report.png"
    assert driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
