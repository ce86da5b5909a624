"""The package as a user installs it: sdist and wheel built, the wheel installed in a fresh venv.

The fresh environment is made with ``uv venv`` outside the repository and filled with
``uv pip install --offline -c constraints.txt`` from uv's cache (warmed by ``make``'s set-up), so
the test needs no network and takes seconds. Nothing of the checkout is on its path: the README's
quick start, ``load_german_credit()`` and the ``scorecard`` console script run from the installed
wheel only.
"""

from __future__ import annotations

import email
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _uv() -> str:
    beside = Path(sys.executable).with_name("uv")
    found = str(beside) if beside.exists() else shutil.which("uv")
    assert found, "uv is installed by make's set-up (.venv/bin/uv); the wheel test needs it"
    return found


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "SCORECARD_"))}
    env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MLFLOW_DISABLE_TELEMETRY="true", MPLBACKEND="Agg")
    env.update(extra)
    return env


def readme_quick_start() -> str:
    """The first ``python`` code block of README.md: the quick start a new user copies."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "README.md has no python code block"
    return blocks[0]


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # no isolation: setuptools comes from the pinned environment, no download
    res = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def venv(dist, tmp_path_factory) -> Path:
    """A fresh virtual environment (outside the repository) with only the built wheel installed."""
    folder = tmp_path_factory.mktemp("fresh") / "venv"
    wheel = next(dist.glob("scorecard-*.whl"))
    base = getattr(sys, "_base_executable", sys.executable)
    res = subprocess.run([_uv(), "venv", "--quiet", "--python", base, str(folder)],
                         capture_output=True, text=True, timeout=300, env=_clean_env())
    assert res.returncode == 0, res.stderr
    res = subprocess.run(
        [_uv(), "pip", "install", "--offline", "--python", str(folder / "bin" / "python"),
         "-c", str(ROOT / "constraints.txt"), str(wheel)],
        capture_output=True, text=True, timeout=600, env=_clean_env(),
    )
    assert res.returncode == 0, res.stderr[-3000:]
    return folder


def test_sdist_and_wheel_hold_the_data_and_the_metadata(dist):
    from scorecard._version import __version__

    wheel = next(dist.glob("scorecard-*.whl"))
    sdist = next(dist.glob("scorecard-*.tar.gz"))
    assert wheel.name == f"scorecard-{__version__}-py3-none-any.whl"
    assert sdist.name == f"scorecard-{__version__}.tar.gz"
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        meta = email.message_from_bytes(zf.read(f"scorecard-{__version__}.dist-info/METADATA"))
        entry = zf.read(f"scorecard-{__version__}.dist-info/entry_points.txt").decode()
    assert {"scorecard/data/german_credit.csv", "scorecard/data/README.md", "scorecard/py.typed",
            "scorecard/cli.py"} <= names
    assert not any(n.startswith(("tests/", "notebooks/", "bench/")) for n in names)
    assert meta["Version"] == __version__
    assert meta["Requires-Python"] == ">=3.11"
    assert "Programming Language :: Python :: 3.11" in meta.get_all("Classifier")
    assert set(meta.get_all("Provides-Extra")) >= {"notebooks", "spark", "test", "docs", "bench"}
    assert "scorecard = scorecard.cli:main" in entry


def test_one_version_source():
    import scorecard
    from scorecard._version import __version__

    assert scorecard.__version__ == __version__
    import tomllib

    conf = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in conf["project"] and conf["project"]["dynamic"] == ["version"]
    assert conf["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "scorecard._version.__version__"}


def test_wheel_in_a_fresh_venv_runs_the_readme_quick_start(venv, tmp_path):
    py = venv / "bin" / "python"
    work = tmp_path / "elsewhere"
    work.mkdir()
    probe = (
        "import scorecard, sys\n"
        "from scorecard.datasets import load_german_credit, german_credit_path\n"
        "assert 'site-packages' in scorecard.__file__, scorecard.__file__\n"
        "assert 'site-packages' in str(german_credit_path())\n"
        "X, y = load_german_credit(verify=True)\n"
        "assert X.shape == (1000, 20) and int(y.sum()) == 300\n"
        "print('ok', scorecard.__version__)\n"
    )
    res = subprocess.run([str(py), "-c", probe], capture_output=True, text=True, cwd=work,
                         timeout=600, env=_clean_env())
    assert res.returncode == 0, res.stderr[-3000:]
    assert res.stdout.startswith("ok ")
    script = work / "quick_start.py"
    script.write_text(readme_quick_start(), encoding="utf-8")
    res = subprocess.run([str(py), str(script)], capture_output=True, text=True, cwd=work,
                         timeout=600, env=_clean_env())
    assert res.returncode == 0, res.stderr[-3000:]
    assert (work / "scorecard.json").is_file()  # the quick start ends by writing the spec
    res = subprocess.run([str(venv / "bin" / "scorecard"), "export", "--spec", "scorecard.json", "--format", "sql"],
                         capture_output=True, text=True, cwd=work, timeout=600, env=_clean_env())
    assert res.returncode == 0, res.stderr[-3000:]
    assert res.stdout.startswith("SELECT ")
