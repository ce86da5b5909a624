"""Tests of the notebooks and of notebooks/run_workflow.py.

Every ``notebooks/*.ipynb`` is discovered (a new stage is picked up without
editing this file) and

- checked as committed: nbformat-valid, kernel ``python3``, no outputs, no
  execution counts, a first code cell tagged ``parameters`` with exactly the
  shared parameters and their defaults;
- executed with papermill (in ``notebooks/``, as the workflow runs them) on
  German credit, and the data-quality and scorecard stages also on 5,000
  synthetic applications: no cell may fail. Each execution is a papermill
  process of its own writing into a temporary folder, with
  ``MLFLOW_TRACKING_URI`` pointing at its own copy of the migrated template
  database (conftest.py). The executions run once per module, two at a time
  (``SCORECARD_NOTEBOOK_WORKERS``), and each test checks its own.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
KERNEL = "python3"
APPLICATIONS_STAGES = ("01_data_quality", "03_scorecard")
OWN_NOTEBOOKS = ("01_data_quality", "02_binning", "03_scorecard")
# Notebook kernels run side by side: each is single-threaded (OMP_NUM_THREADS=1), the box has 2 cores.
WORKERS = int(os.environ.get("SCORECARD_NOTEBOOK_WORKERS", min(2, os.cpu_count() or 1)))

PARAMETERS = {
    "dataset": "german_credit",
    "target": None,
    "bad_value": None,
    "n_rows": 20000,
    "seed": 42,
    "test_size": 0.3,
    "output_dir": "../outputs",
    "experiment": "scorecard",
}

assert NOTEBOOKS, f"no notebook found in {NOTEBOOKS_DIR}"

logger = logging.getLogger(__name__)


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def _parameters_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "the notebook has no code cell"
    return code[0]


def _errors(nb: nbformat.NotebookNode) -> list[str]:
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                out.append(f"{o.get('ename')}: {o.get('evalue')}")
    return out


def _text_outputs(nb: nbformat.NotebookNode) -> str:
    parts = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream":
                parts.append(o.get("text", ""))
            for key in ("text/plain", "text/html", "text/markdown"):
                val = o.get("data", {}).get(key)
                if val:
                    parts.append(val if isinstance(val, str) else "".join(val))
    return "\n".join(parts)


@dataclass
class Execution:
    """One papermill run of a notebook, in a process of its own."""

    path: Path
    params: dict
    folder: Path
    returncode: int | None = None
    stderr: str = ""
    seconds: float = 0.0

    @property
    def output(self) -> Path:
        return self.folder / f"{self.path.stem}-executed.ipynb"

    @property
    def tracking_uri(self) -> str:
        return f"sqlite:///{(self.folder / 'mlruns' / 'mlflow.db').as_posix()}"

    def run(self, template_db: Path) -> Execution:
        (self.folder / "mlruns").mkdir(parents=True)
        shutil.copyfile(template_db, self.folder / "mlruns" / "mlflow.db")
        params = {"output_dir": str(self.folder / "outputs"), "experiment": "test", **self.params}
        env = dict(os.environ, MLFLOW_TRACKING_URI=self.tracking_uri, MLFLOW_DISABLE_TELEMETRY="true")
        env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
        cmd = [
            sys.executable, "-m", "papermill", str(self.path), str(self.output),
            "-k", KERNEL, "--cwd", str(NOTEBOOKS_DIR), "-y", json.dumps(params),
            "--no-progress-bar", "--execution-timeout", "600",
        ]  # fmt: skip
        started = time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
        self.seconds = time.perf_counter() - started
        self.returncode, self.stderr = proc.returncode, proc.stderr
        return self

    def notebook(self) -> nbformat.NotebookNode:
        """The executed notebook, after checking that every cell ran."""
        assert self.output.is_file(), f"{self.path.name} was not executed:\n{self.stderr[-3000:]}"
        nb = nbformat.read(self.output, as_version=4)
        errors = _errors(nb)
        assert not errors and self.returncode == 0, (
            f"{self.path.name} {self.params} failed: {errors}\n{self.stderr[-3000:]}"
        )
        return nb


def _planned() -> dict[tuple[str, str], dict]:
    """Every execution the tests check: each notebook on German credit, two on applications."""
    plan = {(p.stem, "german_credit"): {"dataset": "german_credit"} for p in NOTEBOOKS}
    for stem in APPLICATIONS_STAGES:
        plan[(stem, "applications")] = {"dataset": "applications", "n_rows": 5000}
    return plan


@pytest.fixture(scope="module")
def executions(mlflow_template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Execution]:
    """Run every planned execution once, ``WORKERS`` at a time (one kernel each, single-threaded)."""
    base = tmp_path_factory.mktemp("notebooks")
    runs = {
        key: Execution(NOTEBOOKS_DIR / f"{key[0]}.ipynb", params, base / f"{key[0]}-{key[1]}")
        for key, params in _planned().items()
    }
    # longest first (the later stages, and the scorecard on applications): the pool finishes sooner
    order = sorted(runs, key=lambda k: (k != ("03_scorecard", "applications"), [-ord(ch) for ch in k[0]], k[1]))
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        list(pool.map(lambda k: runs[k].run(mlflow_template_db), order))
    for key in order:
        logger.info("%s on %s: %.1f s (exit %s)", *key, runs[key].seconds, runs[key].returncode)
    logger.info("%d notebook runs in %.1f s with %d workers", len(runs), time.perf_counter() - started, WORKERS)
    return runs


# --------------------------------------------------------------------------- #
# as committed
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_committed_notebook_is_clean(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.nbformat == 4
    assert nb.metadata.get("kernelspec", {}).get("name") == KERNEL
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.get("outputs") == [], f"{path.name}: cell {i} has outputs (strip them before committing)"
            assert cell.get("execution_count") is None, f"{path.name}: cell {i} has an execution count"
    assert "papermill" not in nb.metadata, f"{path.name} is an executed copy"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_parameters_cell(path: Path) -> None:
    cell = _parameters_cell(nbformat.read(path, as_version=4))
    assert "parameters" in cell.metadata.get("tags", []), f"{path.name}: first code cell is not tagged 'parameters'"
    values = {}
    for node in ast.parse(cell.source).body:
        assert isinstance(node, ast.Assign) and len(node.targets) == 1, ast.dump(node)
        values[node.targets[0].id] = ast.literal_eval(node.value)
    # the shared parameters, with the same defaults, so that the workflow can pass them to every stage
    assert {k: values.get(k, "<absent>") for k in PARAMETERS} == PARAMETERS
    if path.stem in OWN_NOTEBOOKS:
        assert values == PARAMETERS  # stage-specific parameters, if any, belong to later stages


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_papermill_reads_every_parameter(path: Path) -> None:
    """papermill must parse each shared parameter (an '=' in a comment defeats its parser)."""
    import papermill as pm

    found = pm.inspect_notebook(str(path))
    missing = set(PARAMETERS) - set(found)
    assert not missing, f"papermill cannot parse {sorted(missing)} in {path.name}'s parameters cell"


# --------------------------------------------------------------------------- #
# executed
# --------------------------------------------------------------------------- #


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_runs_on_german_credit(path: Path, executions: dict) -> None:
    run = executions[(path.stem, "german_credit")]
    nb = run.notebook()
    if path.stem in ("02_binning", "03_scorecard"):
        from mlflow import MlflowClient

        client = MlflowClient(tracking_uri=run.tracking_uri)
        exp = client.get_experiment_by_name("test")
        assert exp is not None, "the notebook logged no run"
        runs = client.search_runs([exp.experiment_id])
        assert len(runs) == 1 and runs[0].info.status == "FINISHED"
        assert runs[0].data.params["dataset"] == "german_credit"
        assert runs[0].info.artifact_uri.startswith((run.folder / "mlruns" / "artifacts").as_uri())
        if path.stem == "03_scorecard":
            m = runs[0].data.metrics
            for key in ("auc", "ks", "gini", "auc_ci_low", "auc_ci_high", "cv_auc_mean", "hl_pvalue", "score_psi"):
                assert key in m, key
            assert 0.65 < m["auc"] < 0.95
            assert m["auc_ci_low"] <= m["auc"] <= m["auc_ci_high"]
            assert "test AUC" in _text_outputs(nb)


@pytest.mark.slow
@pytest.mark.parametrize("stem", APPLICATIONS_STAGES)
def test_notebook_runs_on_applications(stem: str, executions: dict) -> None:
    from scorecard.datasets import PERSONAL_COLUMNS, make_applications

    nb = executions[(stem, "applications")].notebook()
    text = _text_outputs(nb)
    if stem == "01_data_quality":
        assert "application_month" in text and "channel" in text  # bad rate over time and by channel
    # the personal columns of the same generated frame never reach an output
    df = make_applications(5000)
    values = {str(v) for c in PERSONAL_COLUMNS for v in df[c].dropna().unique()}
    leaked = [v for v in values if v in text]
    assert not leaked, leaked[:3]
    assert not any(c in text for c in ("id_number", "phone"))


# --------------------------------------------------------------------------- #
# run_workflow.py
# --------------------------------------------------------------------------- #


def _load_runner():
    spec = importlib.util.spec_from_file_location("run_workflow", NOTEBOOKS_DIR / "run_workflow.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_runner_parse_value_and_discover() -> None:
    runner = _load_runner()
    assert runner.parse_value("5000") == 5000
    assert runner.parse_value("0.25") == 0.25
    assert runner.parse_value("None") is None
    assert runner.parse_value("applications") == "applications"
    assert runner.parse_value("../data/x.csv") == "../data/x.csv"
    found = runner.discover()
    assert [p.name for p in found] == sorted(p.name for p in NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    assert [p.name[:2] for p in runner.discover(["01", "03"])] == ["01", "03"]


def _tiny_notebook(path: Path, body: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell('dataset = "german_credit"\nseed = 42\noutput_dir = "../outputs"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(body)]
    nbformat.write(nb, path)


@pytest.mark.slow
def test_runner_stops_at_and_names_the_failing_notebook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    runner = _load_runner()
    nbdir = tmp_path / "notebooks"
    nbdir.mkdir()
    _tiny_notebook(nbdir / "01_ok.ipynb", "import os\nassert os.environ['OMP_NUM_THREADS'] == '1'\nprint(dataset, seed)")
    _tiny_notebook(nbdir / "02_fail.ipynb", "raise ValueError('broken on purpose')")
    _tiny_notebook(nbdir / "03_never.ipynb", "print('not reached')")
    monkeypatch.setattr(runner, "NOTEBOOKS_DIR", nbdir)
    for key in runner.CHILD_ENV:  # main() sets them for its kernels; restore them after the test
        monkeypatch.setenv(key, "0")
    out = tmp_path / "outputs"
    with caplog.at_level(logging.INFO, logger="run_workflow"):
        code = runner.main(["--output-dir", str(out), "--dataset", "applications", "--seed", "7"])
    assert code == 1
    assert "02_fail.ipynb FAILED" in caplog.text and "broken on purpose" in caplog.text
    ok = nbformat.read(out / "01_ok.ipynb", as_version=4)
    assert "applications 7" in _text_outputs(ok)
    assert (out / "02_fail.ipynb").is_file()
    assert not (out / "03_never.ipynb").exists()


def test_committed_notebooks_pass_nbstripout_verify():
    """design.md: notebooks are committed stripped (nbstripout --verify in CI)."""
    import subprocess
    import sys

    paths = sorted(str(p) for p in (Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
    assert paths
    res = subprocess.run([sys.executable, "-m", "nbstripout", "--verify", *paths], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
