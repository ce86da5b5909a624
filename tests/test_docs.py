"""The documentation: every public name has an example; the site builds with warnings as errors
and opens in a real browser.

- The examples check lists every public function, class and method (``docs/_public_api.py``:
  names in ``__all__`` of :mod:`scorecard` and of its public modules, and the public methods a
  public class defines) whose docstring has no ``Examples`` section. Names still without one are
  listed in ``docs/missing_examples.txt``, a list that can only shrink: the check fails on a
  new public name without an example, and on a listed name that has one now (or is gone), so
  that the file is kept exact. The doctests themselves run with the package's doctest
  collection (``--doctest-modules`` over ``scorecard/`` in ``pyproject.toml``).
- The site is built as ``make docs`` builds it (``sphinx -W --keep-going``) into a temporary
  folder; headless Chromium (Debian's ``chromium`` and ``chromium-driver``, ``make browser``)
  opens the index and an API page: no console error, nothing fetched from the network, and the
  page shows what it should. Screenshots go to ``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DOCS = PROJECT_ROOT / "docs"
ALLOW_LIST = DOCS / "missing_examples.txt"
ARTIFACTS = PROJECT_ROOT / "test-artifacts"

sys.path.insert(0, str(DOCS))
import _public_api  # noqa: E402

sys.path.remove(str(DOCS))


def read_allow_list() -> set[str]:
    lines = ALLOW_LIST.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")}


# --------------------------------------------------------------------------- #
# every public name has an example
# --------------------------------------------------------------------------- #
def test_examples_check_sees_the_public_api():
    """The check looks where it should: known names are found, private ones are not."""
    found = _public_api.public_objects()
    for name in ("scorecard.binning.WOEBinner", "scorecard.binning.WOEBinner.fit",
                 "scorecard.model.LogisticScorecard.predict_points", "scorecard.metrics.psi",
                 "scorecard.cli.main", "scorecard.errors.DataError"):
        assert name in found, name
    assert not any(name.rsplit(".", 1)[1].startswith("_") for name in found)  # no private function or method
    assert "scorecard.binning.WOEBinner.get_params" not in found  # inherited from scikit-learn
    assert _public_api.has_examples(_public_api.has_examples) is False
    assert _public_api.has_examples(found["scorecard.metrics.psi"])


def test_every_public_name_has_an_example_or_is_listed():
    missing = set(_public_api.missing_examples())
    listed = read_allow_list()
    new = sorted(missing - listed)
    fixed = sorted(listed - missing)
    message = []
    if new:
        message.append(
            f"{len(new)} public names have no Examples section (add one that runs as a doctest):\n  "
            + "\n  ".join(new)
        )
    if fixed:
        message.append(
            f"{len(fixed)} names in {ALLOW_LIST.name} have an example now or are gone: remove them "
            "from the list (it can only shrink):\n  " + "\n  ".join(fixed)
        )
    assert not message, "\n".join(message)


# --------------------------------------------------------------------------- #
# the site
# --------------------------------------------------------------------------- #
@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "html"
    # the committed notebooks, not outputs/ of an earlier make workflow: the same site every run
    env = dict(os.environ, SCORECARD_DOCS_OUTPUTS="")
    res = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", str(DOCS), str(out)],
        capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=900, env=env,
    )
    assert res.returncode == 0, "sphinx -W failed:\n" + res.stderr[-6000:]
    return out


def test_site_has_every_page(site):
    for page in ("index.html", "getting-started.html", "conventions.html", "cli.html", "changelog.html",
                 "howto/large-data.html", "howto/tracking.html", "howto/serving.html", "howto/strategies.html",
                 "howto/interactive-binning.html", "howto/validation.html", "user-guide/index.html",
                 "api/index.html"):
        assert (site / page).is_file(), page
    for nb in sorted((PROJECT_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        assert (site / "user-guide" / "notebooks" / f"{nb.stem}.html").is_file(), nb.name
    # an API page per public module, and one per function and class
    for modname in _public_api.public_modules():
        assert (site / "api" / f"{modname}.html").is_file(), modname
    api_pages = {p.stem for p in (site / "api" / "generated").glob("*.html")}
    objects = _public_api.public_objects()
    classes_and_functions = [n for n in objects if n.rsplit(".", 1)[0] not in objects]
    without_page = [n for n in classes_and_functions if n not in api_pages
                    and not any(p.endswith("." + n.rsplit(".", 1)[1]) for p in api_pages)]
    assert not without_page, without_page


def _open(driver, page: Path) -> None:
    driver.get(page.as_uri())
    assert driver.execute_script("return document.readyState") == "complete"
    # nothing fetched from the network: every resource is a file of the site
    urls = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert all(u.startswith("file://") for u in urls), [u for u in urls if not u.startswith("file://")]
    severe = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    assert not severe, severe


def test_index_and_api_page_in_headless_chromium(site, driver):
    from selenium.webdriver.common.by import By

    ARTIFACTS.mkdir(exist_ok=True)
    _open(driver, site / "index.html")
    assert driver.title.startswith("scorecard")
    text = driver.find_element(By.TAG_NAME, "main").text
    assert "Getting started" in text and "API reference" in text
    links = {a.get_attribute("href").rsplit("/", 1)[-1] for a in driver.find_elements(By.CSS_SELECTOR, "main a")}
    assert {"getting-started.html", "conventions.html", "index.html"} <= links
    driver.save_screenshot(str(ARTIFACTS / "docs_index.png"))

    page = site / "api" / "generated" / "scorecard.model.LogisticScorecard.html"
    _open(driver, page)
    main = driver.find_element(By.TAG_NAME, "main").text
    assert "LogisticScorecard" in driver.title
    for heading in ("Parameters", "Examples"):
        assert heading in main, heading
    assert "predict_points" in main  # the methods are documented on the class page
    assert driver.find_elements(By.CSS_SELECTOR, "div.highlight-pycon, div.doctest, .highlight")
    driver.save_screenshot(str(ARTIFACTS / "docs_api_LogisticScorecard.png"))
