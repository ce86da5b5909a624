"""Run the scorecard workflow: execute the notebooks in order with papermill.

Every ``notebooks/NN_*.ipynb`` (two digits, then a name) runs in name order,
in the ``notebooks/`` folder (so the notebooks' relative paths work), with the
``python3`` kernel. Executed copies, outputs included, go to ``outputs/``
(git-ignored); the notebooks themselves are never modified. Runs are tracked
in the project's MLflow store (``mlruns/``), or ``$MLFLOW_TRACKING_URI``.

Usage (from anywhere)::

    .venv/bin/python notebooks/run_workflow.py
    .venv/bin/python notebooks/run_workflow.py --dataset applications -p n_rows 50000
    .venv/bin/python notebooks/run_workflow.py --only 01 03 --seed 7

``-p NAME VALUE`` sets any parameter of the notebooks' ``parameters`` cell;
``VALUE`` is read as a Python literal when it is one (``5000``, ``0.2``,
``None``, ``'text'``), else taken as text. ``--dataset`` and ``--seed`` are
shortcuts for ``-p dataset ...`` and ``-p seed ...``.

The kernels get ``MLFLOW_DISABLE_TELEMETRY=true``, ``OMP_NUM_THREADS=1`` and
``OPENBLAS_NUM_THREADS=1`` (two shared cores: threaded BLAS / OpenMP spin and
slow down). The exit status is 0 when every notebook ran, 1 when one failed
(the log names it and its executed copy, which shows the failing cell); the
notebooks after a failed one are not run.
"""

from __future__ import annotations

import argparse
import ast
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

NOTEBOOKS_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = NOTEBOOKS_DIR.parent
KERNEL = "python3"
CHILD_ENV = {
    "MLFLOW_DISABLE_TELEMETRY": "true",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
}

logger = logging.getLogger("run_workflow")


def parse_value(text: str) -> Any:
    """A parameter value: a Python literal when ``text`` is one, else the text itself.

    Examples
    --------
    >>> parse_value("5000"), parse_value("None"), parse_value("applications"), parse_value("'42'")
    (5000, None, 'applications', '42')
    """
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def discover(only: list[str] | None = None) -> list[Path]:
    """The workflow's notebooks, in order: ``NN_*.ipynb`` in ``notebooks/``.

    ``only`` keeps those whose name starts with one of the given prefixes
    (``["01", "03"]``) or equals a given name.
    """
    found = sorted(p for p in NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb") if p.is_file())
    if only:
        found = [p for p in found if any(p.name.startswith(o) or p.stem == o for o in only)]
    return found


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Execute the scorecard notebooks in order with papermill.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--dataset", help='"german_credit" (default), "applications" or a CSV path')
    parser.add_argument("--seed", type=int, help="seed of the split and cross-validation (default 42)")
    parser.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="set a notebook parameter (repeatable)",
    )
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=PROJECT_ROOT / "outputs",
        help="where executed notebooks (and the notebooks' files) go (default: outputs/)",
    )
    parser.add_argument("--only", nargs="+", metavar="NOTEBOOK", help="run only these notebooks (prefixes: 01 03)")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds allowed per cell (default 1800)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log the kernels' output too")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", datefmt="%H:%M:%S"
    )
    if not args.verbose:
        logging.getLogger("papermill").setLevel(logging.WARNING)
        logging.getLogger("traitlets").setLevel(logging.ERROR)
    os.environ.update(CHILD_ENV)  # inherited by the kernels papermill starts

    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    output_dir = args.output_dir.resolve()
    output_dir.mkdir(parents=True, exist_ok=True)
    params: dict[str, Any] = {"output_dir": str(output_dir)}
    if args.dataset is not None:
        params["dataset"] = args.dataset
    if args.seed is not None:
        params["seed"] = args.seed
    for name, value in args.parameter:
        params[name] = parse_value(value)

    notebooks = discover(args.only)
    if not notebooks:
        logger.error("no notebook to run in %s (only=%s)", NOTEBOOKS_DIR, args.only)
        return 2
    logger.info("running %d notebooks with %s", len(notebooks), params)
    started = time.perf_counter()
    for nb in notebooks:
        out = output_dir / nb.name
        t0 = time.perf_counter()
        logger.info("%s: running", nb.name)
        try:
            pm.execute_notebook(
                str(nb),
                str(out),
                parameters=params,
                kernel_name=KERNEL,
                cwd=str(NOTEBOOKS_DIR),
                progress_bar=False,
                log_output=args.verbose,
                execution_timeout=args.timeout,
            )
        except PapermillExecutionError as exc:
            logger.error(
                "%s FAILED in cell %s: %s: %s (executed copy: %s)",
                nb.name,
                exc.exec_count,
                exc.ename,
                exc.evalue,
                out,
            )
            return 1
        except Exception as exc:  # kernel died, timeout, bad parameters ...
            logger.error("%s FAILED: %s: %s (executed copy: %s)", nb.name, type(exc).__name__, exc, out)
            return 1
        logger.info("%s: done in %.1f s -> %s", nb.name, time.perf_counter() - t0, out)
    logger.info("workflow done: %d notebooks in %.1f s", len(notebooks), time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
