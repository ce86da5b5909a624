"""The ``scorecard`` command line, run as a user would: files, exit codes, stderr.

The end-to-end scoring and the top-level help run ``python -m scorecard`` in a subprocess; the
other cases call :func:`scorecard.cli.main` in this process (same code path after argument
parsing, seconds instead of minutes on a loaded machine).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scorecard import LogisticScorecard, cli
from scorecard.datasets import load_german_credit

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1", MLFLOW_DISABLE_TELEMETRY="true")
    return subprocess.run(
        [sys.executable, "-m", "scorecard", *args], capture_output=True, text=True, env=env,
        cwd=cwd or ROOT, timeout=300,
    )


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    X, y = load_german_credit()
    model = LogisticScorecard().fit(X, y)
    folder = tmp_path_factory.mktemp("cli")
    model.to_json(str(folder / "spec.json"))
    data = X.copy()
    data.insert(0, "application_id", np.arange(len(X)) + 1000)
    # unseen category, missing numeric: scored at the fallback, never dropped
    data.loc[3, "purpose"] = "never seen"
    data.loc[5, "duration_in_month"] = np.nan
    data.to_parquet(folder / "in.parquet", row_group_size=300)
    return model, data, folder


def test_score_parquet_end_to_end_matches_predict_points(fitted):
    model, data, folder = fitted
    out = folder / "out.parquet"
    res = run("score", "--spec", str(folder / "spec.json"), "--input", str(folder / "in.parquet"),
              "--output", str(out), "--keys", "application_id", "--batch-size", "128", "--reasons", "2")
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    scored = pd.read_parquet(out)
    assert list(scored.columns) == ["application_id", "points", "proba_bad", "n_fallback", "reason_1", "reason_2"]
    assert len(scored) == len(data)  # every row kept, in order, across 8 batches
    np.testing.assert_array_equal(scored["application_id"].to_numpy(), data["application_id"].to_numpy())
    with pytest.warns(Warning):  # the fallback rows warn in memory
        expected = model.predict_points(data.drop(columns="application_id"))
    np.testing.assert_array_equal(scored["points"].to_numpy(), expected["total"].to_numpy())
    proba = model.predict_proba(data.drop(columns="application_id"))[:, 1]
    np.testing.assert_allclose(scored["proba_bad"].to_numpy(), proba, rtol=0, atol=1e-12)
    assert scored.loc[3, "n_fallback"] >= 1 and scored["n_fallback"].sum() >= 1


def call(capsys, *args: str) -> tuple[int, str, str]:
    """``scorecard ARGS`` in this process: exit code, stdout, stderr."""
    try:
        code = cli.main(list(args))
    except SystemExit as exc:  # argparse: --help (0) and usage errors (2)
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_score_csv_and_export_spec(fitted, tmp_path, capsys):
    """CSV in and out, from an exported export_spec.json whose keys travel with it."""
    from scorecard.export import to_pyfunc

    model, data, folder = fitted
    small = data.head(40).drop(index=[3, 5])
    small.to_csv(tmp_path / "in.csv", index=False)
    to_pyfunc(model, tmp_path / "pyfunc", keys=["application_id"], n_reasons=1)
    code, _, err = call(capsys, "score", "--spec", str(tmp_path / "pyfunc"), "--input", str(tmp_path / "in.csv"),
                        "--output", str(tmp_path / "out.csv"), "--no-progress")
    assert code == 0, err
    scored = pd.read_csv(tmp_path / "out.csv")
    assert list(scored.columns) == ["application_id", "points", "proba_bad", "n_fallback", "reason_1"]
    expected = model.predict_points(small.drop(columns="application_id"))["total"].to_numpy()
    np.testing.assert_array_equal(scored["points"].to_numpy(), expected)


def test_export_sql_and_json(fitted, tmp_path, capsys):
    import duckdb

    model, data, folder = fitted
    code, out, err = call(capsys, "export", "--spec", str(folder / "spec.json"), "--format", "sql", "--keys",
                          "application_id", "--table", "read_parquet('" + str(folder / "in.parquet") + "')")
    assert code == 0, err
    got = duckdb.sql(out).df()
    with pytest.warns(Warning):
        expected = model.predict_points(data.drop(columns="application_id"))["total"].to_numpy()
    np.testing.assert_array_equal(got.sort_values("application_id")["points"].to_numpy(), expected)
    code, _, err = call(capsys, "export", "--spec", str(folder / "spec.json"), "--format", "json",
                        "--output", str(tmp_path / "o.json"))
    assert code == 0, err
    assert json.loads((tmp_path / "o.json").read_text()) == json.loads(model.to_json())
    code, out, err = call(capsys, "export", "--spec", str(folder / "spec.json"), "--format", "pmml")
    assert code == 0, err
    from scorecard.pmml import to_pmml

    assert out == to_pmml(model) + ("" if to_pmml(model).endswith("\n") else "\n")
    assert "<Scorecard " in out


@pytest.mark.parametrize(
    ("make", "code", "needle"),
    [
        (lambda d: ["score", "--spec", str(d / "absent.json"), "--input", "x.parquet", "--output", "y.parquet"],
         4, "not found"),
        (lambda d: ["score", "--spec", str(d / "bad.json"), "--input", "x.parquet", "--output", "y.parquet"],
         3, "not valid JSON"),
        (lambda d: ["score", "--spec", str(d / "other.json"), "--input", "x.parquet", "--output", "y.parquet"],
         3, "not a scorecard spec"),
        (lambda d: ["score", "--spec", str(d / "spec.json"), "--input", str(d / "absent.parquet"),
                    "--output", str(d / "o.parquet")], 4, "absent.parquet"),
        (lambda d: ["score", "--spec", str(d / "spec.json"), "--input", str(d / "nocol.parquet"),
                    "--output", str(d / "o.parquet")], 3, "duration_in_month"),
        (lambda d: ["score", "--spec", str(d / "spec.json"), "--input", str(d / "broken.parquet"),
                    "--output", str(d / "o.parquet")], 3, "Parquet"),
        (lambda d: ["score", "--spec", str(d / "spec.json"), "--input", str(d / "in.xlsx"),
                    "--output", str(d / "o.parquet")], 3, "unknown format"),
        (lambda d: ["export", "--spec", str(d / "spec.json"), "--format", "onnx"], 2, "invalid choice"),
        (lambda d: ["score", "--spec", "s.json"], 2, "--input"),
        (lambda d: ["serve", "--model-uri", "models:/m@champion", "--host", "0.0.0.0", "--dry-run"], 3, "loopback"),
    ],
)
def test_bad_input_exit_codes_without_traceback(fitted, tmp_path, monkeypatch, capsys, make, code, needle):
    model, data, folder = fitted
    (tmp_path / "spec.json").write_text((folder / "spec.json").read_text())
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "other.json").write_text(json.dumps({"spec": "something.else"}))
    data.drop(columns="duration_in_month").head(5).to_parquet(tmp_path / "nocol.parquet")
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 this is not parquet")
    (tmp_path / "in.xlsx").write_bytes(b"")
    monkeypatch.chdir(tmp_path)
    got, _, err = call(capsys, *make(tmp_path))
    assert got == code, (got, err)
    assert needle in err
    assert "Traceback" not in err
    if code != cli.EXIT_USAGE:  # argparse prints its usage lines first
        assert err.count("\n") == 1 and err.startswith("scorecard: error: ")


def test_workflow_outside_a_checkout_is_not_found(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, _, err = call(capsys, "workflow", "--only", "01")
    assert code == cli.EXIT_NOT_FOUND
    assert "run_workflow.py" in err and "Traceback" not in err


def test_workflow_finds_the_checkout_and_passes_options(monkeypatch, tmp_path):
    """In a checkout the command runs run_workflow.main with the options (stubbed: no notebook runs)."""
    fake = tmp_path / "repo" / "notebooks"
    fake.mkdir(parents=True)
    (fake / "run_workflow.py").write_text(
        "import json, os\n"
        "def main(argv):\n"
        f"    open({str(tmp_path / 'argv.json')!r}, 'w').write(json.dumps(argv))\n"
        "    return 0\n"
    )
    monkeypatch.chdir(fake)
    assert cli.main(["workflow", "--only", "01", "03", "-p", "n_rows", "500"]) == 0
    seen = json.loads((tmp_path / "argv.json").read_text())
    assert seen == ["--only", "01", "03", "-p", "n_rows", "500"]
    assert cli.find_workflow(ROOT / "scorecard") == ROOT / "notebooks" / "run_workflow.py"


def test_serve_dry_run_prints_the_mlflow_command(capsys):
    code, out, err = call(capsys, "serve", "--model-uri", "models:/german_scorecard@champion", "--port", "5123",
                          "--tracking-uri", "sqlite:////tmp/x.db", "--dry-run")
    assert code == 0, err
    line = out.strip()
    assert line.startswith("MLFLOW_TRACKING_URI=sqlite:////tmp/x.db ")
    assert line.endswith("models serve -m models:/german_scorecard@champion --env-manager local "
                         "-h 127.0.0.1 -p 5123 -w 1")


@pytest.mark.parametrize("command", ["workflow", "score", "export", "serve"])
def test_help_of_each_command(command, capsys):
    code, out, _ = call(capsys, command, "--help")
    assert code == 0
    assert out.startswith(f"usage: scorecard {command}")


def test_top_level_help_and_version():
    """Through ``python -m scorecard`` (scorecard/__main__.py), as the console script runs it."""
    res = run("--help")
    assert res.returncode == 0 and "Exit codes" in res.stdout
    for name in ("workflow", "score", "export", "serve"):
        assert name in res.stdout
    res = run("--version")
    from scorecard._version import __version__

    assert res.returncode == 0 and res.stdout.strip() == f"scorecard {__version__}"
