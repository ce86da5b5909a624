"""The ``scorecard`` command line: the jobs people run outside a notebook.

Installed as the ``scorecard`` console script (``python -m scorecard`` does the
same). Sub-commands:

``scorecard workflow [OPTIONS]``
    Run the notebook workflow (``notebooks/run_workflow.py``) of the project
    checkout the current folder is in; options such as ``--only 01 03`` or
    ``--dataset applications`` are passed on. Needs a checkout of the
    repository (the notebooks are not part of the wheel).
``scorecard score --spec S --input IN --output OUT``
    Score a Parquet or CSV file with a JSON spec, streaming in batches
    (Parquet row groups are read batch by batch, so the file never has to fit
    in memory) with a progress bar on a terminal. The spec is either a
    ``LogisticScorecard.to_json`` file or an exported ``export_spec.json``
    (a challenger's ``challenger.txt`` next to it). Scoring goes through
    :class:`scorecard.export.CompiledScorer`: the same points as
    ``predict_points``. The output holds the key columns, ``points``,
    ``proba_bad``, ``n_fallback`` and the reason codes.
``scorecard export --spec S --format sql|json|pmml``
    The scorecard as a DuckDB or Spark SQL ``SELECT`` (``--dialect``,
    ``--table``, ``--keys``), as its normalised JSON spec, or as a PMML 4.4
    ``Scorecard`` document (:func:`scorecard.pmml.to_pmml`).
``scorecard serve --model-uri URI``
    Serve a registered model over REST on loopback with ``mlflow models
    serve`` (local environment, the project's tracking store unless
    ``--tracking-uri`` or ``$MLFLOW_TRACKING_URI`` says otherwise).
    ``--dry-run`` prints the command instead of running it.

Exit codes
----------
==== =================================================================
0    success
1    the job itself failed (a workflow notebook raised; the log names it)
2    usage error (unknown option, missing argument; argparse's code)
3    bad input: a malformed or wrong spec, a missing column, a value the
     model refuses, an unreadable input file, a non-loopback host
4    not found: the spec, the input file, the notebooks (``workflow``
     outside a checkout) or the ``mlflow`` executable
5    a library the command needs is not installed
130  interrupted (Ctrl-C)
==== =================================================================

Errors are one line on stderr (``scorecard: error: ...``), never a traceback;
``-v`` / ``--verbose`` logs more, ``--debug`` shows the traceback.

Examples
--------
>>> from scorecard.cli import build_parser, EXIT_BAD_INPUT
>>> args = build_parser().parse_args(["export", "--spec", "s.json", "--format", "sql"])
>>> args.command, args.dialect, args.table
('export', 'duckdb', 'applications')
>>> EXIT_BAD_INPUT
3
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import logging
import os
import shlex
import shutil
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from scorecard._version import __version__

__all__ = [
    "main",
    "build_parser",
    "load_scorer",
    "score_file",
    "serve_command",
    "find_workflow",
    "EXIT_OK",
    "EXIT_FAILED",
    "EXIT_USAGE",
    "EXIT_BAD_INPUT",
    "EXIT_NOT_FOUND",
    "EXIT_MISSING_DEPENDENCY",
    "EXIT_INTERRUPTED",
]

logger = logging.getLogger("scorecard.cli")

EXIT_OK = 0
"""Success."""
EXIT_FAILED = 1
"""The job itself failed (a workflow notebook raised)."""
EXIT_USAGE = 2
"""Usage error: unknown option or missing argument (argparse's code)."""
EXIT_BAD_INPUT = 3
"""Bad input: malformed or wrong spec, missing column, refused value, non-loopback host."""
EXIT_NOT_FOUND = 4
"""Not found: spec, input, notebooks or the mlflow executable."""
EXIT_MISSING_DEPENDENCY = 5
"""A library the command needs is not installed."""
EXIT_INTERRUPTED = 130
"""Interrupted by the user."""

SPEC_FILE = "export_spec.json"  # scorecard.export.SPEC_FILE, repeated to keep --help fast
CHALLENGER_FILE = "challenger.txt"  # scorecard.export.CHALLENGER_MODEL_FILE
DEFAULT_BATCH_ROWS = 65_536


class CommandError(Exception):
    """An error the command line reports in one line, with its exit code."""

    def __init__(self, message: str, code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.code = code


# --------------------------------------------------------------------------- #
# the parser
# --------------------------------------------------------------------------- #
def build_parser() -> argparse.ArgumentParser:
    """The ``scorecard`` argument parser with its sub-commands.

    Returns
    -------
    argparse.ArgumentParser

    Examples
    --------
    >>> parser = build_parser()
    >>> parser.parse_args(["serve", "--model-uri", "models:/m@champion", "--dry-run"]).port
    5001
    """
    parser = argparse.ArgumentParser(
        prog="scorecard",
        description="Credit-risk scorecards from the command line: run the workflow, score a file, "
        "export SQL or JSON, serve a registered model.",
        epilog="Exit codes: 0 ok, 1 job failed, 2 usage, 3 bad input or spec, 4 not found, "
        "5 missing library, 130 interrupted. Run 'scorecard COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"scorecard {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    wf = sub.add_parser(
        "workflow",
        help="run the notebook workflow of this checkout (notebooks/run_workflow.py)",
        description="Execute notebooks/NN_*.ipynb in order with papermill (outputs/ and mlruns/ of the "
        "checkout). Every option after 'workflow' is passed to notebooks/run_workflow.py, e.g. "
        "--only 01 03, --dataset applications, --seed 7, -p n_rows 50000, --output-dir DIR.",
        usage="scorecard workflow [-h] [--project PROJECT] [run_workflow.py options ...]",
    )
    wf.add_argument("--project", type=Path, help="the checkout's root (default: found from the current folder)")

    sc = sub.add_parser(
        "score",
        help="score a Parquet or CSV file with a JSON spec, in batches",
        description="Score every row of a Parquet or CSV file with a scorecard spec "
        "(LogisticScorecard.to_json) or an export spec (export_spec.json), streaming in batches. "
        "Writes the key columns, points, proba_bad, n_fallback and the reason codes.",
    )
    sc.add_argument("--spec", required=True, type=Path, help="JSON spec file (or a folder holding export_spec.json)")
    sc.add_argument("--input", required=True, type=Path, help="input .parquet or .csv file")
    sc.add_argument("--output", required=True, type=Path, help="output .parquet or .csv file (replaced)")
    sc.add_argument("--keys", nargs="*", default=None, metavar="COL",
                    help="columns copied to the output (scorecard specs; an export spec has its own)")
    sc.add_argument("--reasons", type=int, default=4, metavar="N",
                    help="reason codes per row for a scorecard spec (default 4)")
    sc.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_ROWS, metavar="ROWS",
                    help=f"rows per batch (default {DEFAULT_BATCH_ROWS})")
    sc.add_argument("--no-progress", action="store_true", help="no progress bar")

    ex = sub.add_parser(
        "export",
        help="export a scorecard spec as SQL (DuckDB, Spark), JSON or PMML",
        description="Write a LogisticScorecard spec as one SQL SELECT (points and proba_bad per row), "
        "as its normalised JSON spec or as a PMML 4.4 Scorecard document, to --output or stdout.",
    )
    ex.add_argument("--spec", required=True, type=Path, help="LogisticScorecard JSON spec file")
    ex.add_argument("--format", required=True, choices=["sql", "json", "pmml"], help="what to write")
    ex.add_argument("--dialect", choices=["duckdb", "spark"], default="duckdb", help="SQL dialect (default duckdb)")
    ex.add_argument("--table", default="applications", help="FROM item of the SQL (default applications)")
    ex.add_argument("--keys", nargs="*", default=[], metavar="COL", help="columns copied to the SQL output")
    ex.add_argument("--output", type=Path, help="file to write (default: stdout)")

    sv = sub.add_parser(
        "serve",
        help="serve a registered model over REST on loopback (mlflow models serve)",
        description="Build and run 'mlflow models serve -m URI --env-manager local -h HOST -p PORT'. "
        "Only loopback hosts are accepted. The tracking store is --tracking-uri, else "
        "$MLFLOW_TRACKING_URI, else the project's mlruns/.",
    )
    sv.add_argument("--model-uri", required=True, help="e.g. models:/german_scorecard@champion or runs:/ID/model")
    sv.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    sv.add_argument("--port", type=int, default=5001, help="port (default 5001)")
    sv.add_argument("--workers", type=int, default=1, help="server workers (default 1)")
    sv.add_argument("--tracking-uri", help="MLflow tracking URI holding the model")
    sv.add_argument("--dry-run", action="store_true", help="print the command and exit")
    return parser


# --------------------------------------------------------------------------- #
# score
# --------------------------------------------------------------------------- #
def _read_json(path: Path) -> Any:
    if not path.exists():
        raise CommandError(f"spec file {str(path)!r} not found", EXIT_NOT_FOUND)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CommandError(f"spec file {str(path)!r} is not valid JSON: {exc}") from None


def _spec_path(spec: Path) -> Path:
    if spec.is_dir():
        found = sorted(spec.rglob(SPEC_FILE))
        if not found:
            raise CommandError(f"no {SPEC_FILE} under the folder {str(spec)!r}", EXIT_NOT_FOUND)
        return found[0]
    return spec


def load_scorer(
    spec: str | os.PathLike[str],
    *,
    keys: Sequence[str] | None = None,
    n_reasons: int = 4,
) -> Any:
    """A :class:`~scorecard.export.CompiledScorer` from a spec file.

    Parameters
    ----------
    spec : str or PathLike
        A ``LogisticScorecard.to_json`` file, an ``export_spec.json`` (a
        challenger's ``challenger.txt`` beside it), or a folder holding one
        (an exported pyfunc).
    keys : sequence of str, optional
        Key columns copied to the output (scorecard specs only; an export
        spec carries its own).
    n_reasons : int, default 4
        Reason codes per row (scorecard specs only).

    Returns
    -------
    scorecard.export.CompiledScorer

    Raises
    ------
    CommandError
        Exit code 4 when the file is absent, 3 when it is not a spec.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from scorecard import LogisticScorecard
    >>> from scorecard.datasets import load_german_credit
    >>> X, y = load_german_credit()
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.json"
    >>> _ = LogisticScorecard().fit(X, y).to_json(str(path))
    >>> load_scorer(path, keys=[], n_reasons=1).output_columns
    ['points', 'proba_bad', 'n_fallback', 'reason_1']
    """
    from scorecard.errors import SpecError
    from scorecard.export import CompiledScorer
    from scorecard.model import LogisticScorecard

    path = _spec_path(Path(spec))
    doc = _read_json(path)
    kind = doc.get("spec") if isinstance(doc, dict) else None
    try:
        if kind == "scorecard.export":
            booster = path.with_name(CHALLENGER_FILE)
            return CompiledScorer(doc, booster if doc.get("kind") == "challenger" else None)
        if kind == "scorecard.LogisticScorecard":
            model = LogisticScorecard.from_json(doc)
            return CompiledScorer.from_model(model, keys=list(keys or []), n_reasons=n_reasons)
    except (KeyError, TypeError) as exc:
        raise CommandError(f"spec file {str(path)!r} is incomplete: {type(exc).__name__}: {exc}") from None
    except SpecError as exc:
        raise CommandError(f"spec file {str(path)!r}: {exc}") from None
    raise CommandError(
        f"{str(path)!r} is not a scorecard spec: its 'spec' field is {kind!r}, expected "
        "'scorecard.LogisticScorecard' (LogisticScorecard.to_json) or 'scorecard.export' (export_spec.json)"
    )


def _file_format(path: Path, what: str) -> str:
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return "parquet"
    if suffix in (".csv", ".txt") or path.name.lower().endswith(".csv.gz"):
        return "csv"
    raise CommandError(f"{what} file {str(path)!r}: unknown format {suffix!r} (use .parquet or .csv)")


def _batches(path: Path, columns: Sequence[str], batch_rows: int) -> tuple[Iterator[Any], int | None]:
    """Batches of ``path`` as pandas frames (only ``columns`` that exist), and the row count when known."""
    import pandas as pd

    fmt = _file_format(path, "input")
    if not path.exists():
        raise CommandError(f"input file {str(path)!r} not found", EXIT_NOT_FOUND)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            pf = pq.ParquetFile(path)
        except Exception as exc:  # pyarrow raises ArrowInvalid / OSError for a broken file
            raise CommandError(f"input file {str(path)!r} is not a readable Parquet file: {exc}") from None
        names = set(pf.schema_arrow.names)
        wanted = [c for c in columns if c in names]

        def gen() -> Iterator[Any]:
            for batch in pf.iter_batches(batch_size=batch_rows, columns=wanted):
                yield batch.to_pandas()

        return gen(), pf.metadata.num_rows
    try:
        header = pd.read_csv(path, nrows=0)
    except Exception as exc:  # pandas raises ParserError, EmptyDataError, UnicodeDecodeError ...
        raise CommandError(f"input file {str(path)!r} is not a readable CSV file: {exc}") from None
    wanted = [c for c in columns if c in set(header.columns)]

    def gen_csv() -> Iterator[Any]:
        yield from pd.read_csv(path, usecols=wanted, chunksize=batch_rows)

    return gen_csv(), None


class _Writer:
    """Appends scored batches to a Parquet file (one schema) or a CSV file (one header)."""

    def __init__(self, path: Path, scorer: Any) -> None:
        self.path = path
        self.fmt = _file_format(path, "output")
        self.scorer = scorer
        self._pq: Any = None
        self._schema: Any = None
        self._first = True
        path.parent.mkdir(parents=True, exist_ok=True)

    def write(self, frame: Any) -> None:
        if self.fmt == "csv":
            frame.to_csv(self.path, mode="w" if self._first else "a", header=self._first, index=False)
            self._first = False
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._schema is None:
            inferred = pa.Schema.from_pandas(frame, preserve_index=False)
            fields = []
            for field in inferred:
                if field.name.startswith("reason_") or pa.types.is_null(field.type):
                    field = field.with_type(pa.string())  # an all-None first batch must not fix a null type
                fields.append(field)
            self._schema = pa.schema(fields)
            self._pq = pq.ParquetWriter(self.path, self._schema)
        self._pq.write_table(pa.Table.from_pandas(frame, schema=self._schema, preserve_index=False))

    def close(self) -> None:
        if self.fmt == "parquet":
            if self._pq is None:  # no batch at all: an empty file with the output columns
                import pandas as pd

                self.write(pd.DataFrame({c: pd.Series([], dtype="object") for c in self.scorer.output_columns}))
            self._pq.close()
        elif self._first:
            import pandas as pd

            pd.DataFrame(columns=list(self.scorer.keys) + list(self.scorer.output_columns)).to_csv(self.path, index=False)


def score_file(
    spec: str | os.PathLike[str],
    input: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    keys: Sequence[str] | None = None,
    n_reasons: int = 4,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    progress: bool | None = None,
) -> int:
    """Score a Parquet or CSV file batch by batch; return the number of rows written.

    Parameters
    ----------
    spec : str or PathLike
        Spec file (see :func:`load_scorer`).
    input, output : str or PathLike
        ``.parquet`` or ``.csv`` files; ``output`` is replaced.
    keys : sequence of str, optional
        Key columns copied through (scorecard specs).
    n_reasons : int, default 4
        Reason codes per row (scorecard specs).
    batch_rows : int, default 65536
        Rows read and scored at a time.
    progress : bool or None
        Show a tqdm progress bar on stderr; None: only on a terminal.

    Returns
    -------
    int

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> from scorecard import LogisticScorecard
    >>> from scorecard.datasets import load_german_credit
    >>> X, y = load_german_credit()
    >>> model = LogisticScorecard().fit(X, y)
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = model.to_json(str(d / "s.json"))
    >>> X.head(50).to_parquet(d / "in.parquet")
    >>> score_file(d / "s.json", d / "in.parquet", d / "out.parquet", batch_rows=20, progress=False)
    50
    >>> out = pd.read_parquet(d / "out.parquet")
    >>> bool((out["points"] == model.predict_points(X.head(50))["total"]).all())
    True
    """
    from tqdm.auto import tqdm

    if isinstance(batch_rows, bool) or not isinstance(batch_rows, int) or batch_rows < 1:
        raise CommandError(f"--batch-size must be a positive integer, got {batch_rows!r}")
    if isinstance(n_reasons, bool) or not isinstance(n_reasons, int) or n_reasons < 0:
        raise CommandError(f"--reasons must be an integer >= 0, got {n_reasons!r}")
    input, output = Path(input), Path(output)
    if input.resolve() == output.resolve():
        raise CommandError("--output must differ from --input")
    scorer = load_scorer(spec, keys=keys, n_reasons=n_reasons)
    batches, total = _batches(input, list(scorer.keys) + list(scorer.features), batch_rows)
    writer = _Writer(output, scorer)
    n = 0
    disable = None if progress is None else not progress
    with tqdm(total=total, unit="rows", unit_scale=True, desc="scoring", disable=disable, file=sys.stderr) as bar:
        try:
            for frame in batches:
                scored = scorer.predict(frame)
                writer.write(scored)
                n += len(scored)
                bar.update(len(scored))
        finally:
            writer.close()
    logger.info("scored %d rows of %s into %s", n, input, output)
    return n


# --------------------------------------------------------------------------- #
# export, serve, workflow
# --------------------------------------------------------------------------- #
def _export(args: argparse.Namespace) -> int:
    from scorecard import export
    from scorecard.errors import SpecError
    from scorecard.model import LogisticScorecard

    doc = _read_json(args.spec)
    kind = doc.get("spec") if isinstance(doc, dict) else None
    if kind != "scorecard.LogisticScorecard":
        raise CommandError(
            f"{str(args.spec)!r} is not a LogisticScorecard spec (its 'spec' field is {kind!r}); "
            "export reads LogisticScorecard.to_json files"
        )
    try:
        model = LogisticScorecard.from_json(doc)
    except (KeyError, TypeError, SpecError) as exc:
        raise CommandError(f"spec file {str(args.spec)!r}: {type(exc).__name__}: {exc}") from None
    if args.format == "sql":
        text = export.to_sql(model, dialect=args.dialect, table=args.table, keys=args.keys) + "\n"
    elif args.format == "pmml":
        from scorecard.pmml import to_pmml

        text = to_pmml(model)
        text += "" if text.endswith("\n") else "\n"
    else:
        text = export.to_json(model) + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        logger.info("wrote %s", args.output)
    return EXIT_OK


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve_command(
    model_uri: str,
    *,
    host: str = "127.0.0.1",
    port: int = 5001,
    workers: int = 1,
    mlflow: str | None = None,
) -> list[str]:
    """The ``mlflow models serve`` command serving ``model_uri`` on a loopback address.

    Parameters
    ----------
    model_uri : str
        ``models:/NAME@ALIAS``, ``models:/NAME/VERSION``, ``runs:/ID/PATH`` or a folder.
    host : str, default "127.0.0.1"
        A loopback address (``127.0.0.0/8``, ``::1`` or ``localhost``).
    port, workers : int
    mlflow : str, optional
        The ``mlflow`` executable (default: next to this interpreter, else on ``PATH``).

    Returns
    -------
    list of str

    Raises
    ------
    CommandError
        A host that is not loopback (3), a bad port (3), no mlflow executable (4).

    Examples
    --------
    >>> serve_command("models:/m@champion", port=5002, mlflow="mlflow")[1:]
    ['models', 'serve', '-m', 'models:/m@champion', '--env-manager', 'local', '-h', '127.0.0.1', '-p', '5002', '-w', '1']
    """
    if not _is_loopback(host):
        raise CommandError(f"--host {host!r} is not a loopback address; scorecard serves on loopback only")
    if not 0 < int(port) < 65536:
        raise CommandError(f"--port must be in 1..65535, got {port}")
    if int(workers) < 1:
        raise CommandError(f"--workers must be >= 1, got {workers}")
    if mlflow is None:
        beside = Path(sys.executable).with_name("mlflow")
        mlflow = str(beside) if beside.exists() else shutil.which("mlflow")
        if mlflow is None:
            raise CommandError("the 'mlflow' executable was not found (install scorecard with mlflow)", EXIT_NOT_FOUND)
    return [mlflow, "models", "serve", "-m", model_uri, "--env-manager", "local",
            "-h", host, "-p", str(int(port)), "-w", str(int(workers))]


def _serve(args: argparse.Namespace) -> int:
    cmd = serve_command(args.model_uri, host=args.host, port=args.port, workers=args.workers)
    uri = args.tracking_uri or os.environ.get("MLFLOW_TRACKING_URI")
    if uri is None:
        from scorecard import tracking

        uri = tracking.tracking_uri()
    env = dict(os.environ, MLFLOW_TRACKING_URI=uri, MLFLOW_DISABLE_TELEMETRY="true")
    # the server's own interpreter must find mlflow and scorecard: this interpreter's bin first on PATH
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    line = f"MLFLOW_TRACKING_URI={shlex.quote(uri)} " + shlex.join(cmd)
    if args.dry_run:
        sys.stdout.write(line + "\n")
        return EXIT_OK
    logger.info("exec %s", line)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execvpe(cmd[0], cmd, env)
    return EXIT_FAILED  # pragma: no cover (exec does not return)


def find_workflow(start: str | os.PathLike[str] | None = None) -> Path:
    """The ``notebooks/run_workflow.py`` of the checkout holding ``start`` (default: the current folder).

    Parameters
    ----------
    start : str or PathLike, optional
        A folder inside a checkout of the repository.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    CommandError
        Exit code 4 when no folder from ``start`` up holds ``notebooks/run_workflow.py``.

    Examples
    --------
    >>> import tempfile
    >>> try:
    ...     find_workflow(tempfile.mkdtemp())
    ... except CommandError as exc:
    ...     exc.code
    4
    """
    here = Path(start or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        candidate = folder / "notebooks" / "run_workflow.py"
        if candidate.is_file():
            return candidate
    raise CommandError(
        f"no notebooks/run_workflow.py in {str(here)!r} or above: 'scorecard workflow' runs in a checkout "
        "of the scorecard repository (the notebooks are not installed with the package); "
        "cd into it or pass --project",
        EXIT_NOT_FOUND,
    )


def _workflow(args: argparse.Namespace) -> int:
    import importlib.util

    script = find_workflow(args.project)
    spec = importlib.util.spec_from_file_location("scorecard_run_workflow", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    extra = list(args.workflow_args)
    if extra[:1] == ["--"]:
        extra = extra[1:]
    logger.info("running %s %s", script, shlex.join(extra))
    return int(module.main(extra))


# --------------------------------------------------------------------------- #
# main
# --------------------------------------------------------------------------- #
def _configure_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("scorecard: %(message)s"))
    root = logging.getLogger("scorecard")
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO if verbose else logging.WARNING)
    root.propagate = False


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return its exit code (the console script exits with it).

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name (default ``sys.argv[1:]``).

    Returns
    -------
    int
        See the exit codes in the module's documentation.

    Examples
    --------
    >>> main(["export", "--spec", "/nonexistent/spec.json", "--format", "json"])
    4
    """
    parser = build_parser()
    args, extra = parser.parse_known_args(None if argv is None else list(argv))
    if extra and args.command != "workflow":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.workflow_args = extra
    _configure_logging(args.verbose)
    try:
        if args.command == "score":
            score_file(args.spec, args.input, args.output, keys=args.keys, n_reasons=args.reasons,
                       batch_rows=args.batch_size, progress=False if args.no_progress else None)
            return EXIT_OK
        if args.command == "export":
            return _export(args)
        if args.command == "serve":
            return _serve(args)
        return _workflow(args)
    except KeyboardInterrupt:
        logger.error("error: interrupted")
        return EXIT_INTERRUPTED
    except Exception as exc:
        if args.debug:
            logger.exception("error: %s", exc)
        code = _exit_code(exc)
        if code is None:
            raise
        message = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
        logger.error("error: %s", message or type(exc).__name__)
        return code


def _exit_code(exc: BaseException) -> int | None:
    """The exit code of an expected error; None for a bug (re-raised with its traceback)."""
    from scorecard.errors import ScorecardError

    if isinstance(exc, CommandError):
        return exc.code
    if isinstance(exc, (FileNotFoundError, NotADirectoryError)):
        return EXIT_NOT_FOUND
    if isinstance(exc, ModuleNotFoundError):
        return EXIT_MISSING_DEPENDENCY
    if isinstance(exc, (ScorecardError, ValueError, TypeError, UnicodeDecodeError, PermissionError, IsADirectoryError)):
        return EXIT_BAD_INPUT
    try:
        import pyarrow as pa

        if isinstance(exc, pa.ArrowException):
            return EXIT_BAD_INPUT
    except ModuleNotFoundError:  # pragma: no cover
        pass
    return None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
