"""The validation report in a real browser: headless Chromium opens the HTML file.

Chromium and its driver are Debian's ``chromium`` and ``chromium-driver``
(``/usr/bin/chromium``, ``/usr/bin/chromedriver``), installed by ``make
browser`` (a prerequisite of ``make test``). The test builds a report on
German credit with a challenger, saves it, opens its ``file://`` URL and
checks that

- every section is there (by id), in order, and visible;
- every figure decoded (``naturalWidth > 0``) and nothing was fetched from
  anywhere (no resource entries: the file is self-contained);
- the browser console has no SEVERE entry (script errors, Content-Security-
  Policy violations, failed loads);
- the page prints (Chrome's print-to-PDF gives a multi-page PDF).

The HTML, a screenshot of the first screen (the outcome summary) and the PDF
are kept in ``test-artifacts/`` at the project root (git-ignored). The driver
is always quit.
"""

from __future__ import annotations

import base64
import re
import shutil
import warnings
from pathlib import Path

import pytest
from sklearn.model_selection import train_test_split

from scorecard import LogisticScorecard, datasets
from scorecard.errors import ScorecardWarning
from scorecard.validation import SECTION_IDS, ValidationReport

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from scorecard.challenger import GBMChallenger

    X, y = datasets.load_german_credit()
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, stratify=y, random_state=42)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScorecardWarning)
        model = LogisticScorecard().fit(X_tr, y_tr)
    challenger = GBMChallenger(n_estimators=300, random_state=0).fit(X_tr, y_tr)
    report = ValidationReport(
        model, {"train": (X_tr, y_tr), "test": (X_te, y_te)}, challenger=challenger, n_boot=100, random_state=42
    )
    path = report.save(tmp_path_factory.mktemp("browser") / "validation report.html")  # a space: URL-quoted
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(path, ARTIFACTS / "validation_report.html")
    return path


def test_report_in_headless_chromium(report_file: Path, driver) -> None:
    from selenium.webdriver.common.by import By

    driver.get(report_file.as_uri())
    assert driver.execute_script("return document.readyState") == "complete"
    assert driver.title == "Model validation report"

    # every section, in order, visible, with its heading
    found = [el.get_attribute("id") for el in driver.find_elements(By.CSS_SELECTOR, "section[id]")]
    assert found == list(SECTION_IDS)
    for sid in SECTION_IDS:
        section = driver.find_element(By.ID, sid)
        assert section.is_displayed(), sid
        assert section.find_element(By.TAG_NAME, "h2").text.strip(), sid
    # the outcome summary comes first and is filled in
    verdict_rows = driver.find_elements(By.CSS_SELECTOR, "#t-verdict-verdict tbody tr")
    assert len(verdict_rows) >= 10
    first = driver.find_element(By.CSS_SELECTOR, "section[id]")
    assert first.get_attribute("id") == "verdict"
    assert driver.execute_script(
        "return document.getElementById('verdict').getBoundingClientRect().top < window.innerHeight"
    )

    # every figure decoded; nothing fetched from anywhere
    images = driver.execute_script(
        "return Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.src.slice(0, 22)])"
    )
    assert len(images) >= 15
    assert all(done and width > 0 and src == "data:image/png;base64," for done, width, src in images), images
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0

    # no console errors
    logs = driver.get_log("browser")
    severe = [entry for entry in logs if entry.get("level") == "SEVERE"]
    assert not severe, severe

    # it prints: A4 landscape PDF, one section per page at least
    pdf = driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True})
    data = base64.b64decode(pdf["data"])
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    assert pages >= len(SECTION_IDS)  # each section starts a page (print styles)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "validation_report.pdf").write_bytes(data)

    # a screenshot of the first screen, kept as a test artifact
    driver.execute_script("window.scrollTo(0, 0)")
    shot = ARTIFACTS / "validation_report.png"
    assert driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
