"""Shared MLflow plumbing of the exported models (private).

- :func:`tracking_context`: point MLflow's fluent API at a tracking URI for
  the duration of a block, then restore the previous one (MLflow's
  ``pyfunc.log_model`` and ``load_model`` only read the global URI).
- :func:`quiet`: silence MLflow advice that does not apply to our pyfuncs.
- :func:`requirements`: pinned requirements of the scoring code.
- :func:`serve` / :func:`stop`: start ``mlflow models serve`` on loopback with
  the local environment manager and wait for ``/ping``; stop the uvicorn
  children, then the parent, by PID with bounded waits. Used by the REST
  tests, the notebook and the benchmark.

Example
-------
>>> with tracking_context("sqlite:////tmp/x/mlflow.db"):  # doctest: +SKIP
...     model = mlflow.pyfunc.load_model("models:/german@champion")
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

__all__ = ["tracking_context", "quiet", "requirements", "free_port", "serve", "stop"]

logger = logging.getLogger(__name__)


@contextlib.contextmanager
def tracking_context(uri: str | None = None) -> Iterator[str]:
    """Point MLflow's fluent API at ``uri`` (default :func:`scorecard.tracking.tracking_uri`), then restore it."""
    import mlflow
    from mlflow.tracking._tracking_service import utils as _utils

    from scorecard import tracking

    uri = uri or tracking.tracking_uri()
    if uri.startswith("sqlite:///"):
        tracking._mlflow_client(uri)  # creates the store with its artifact root when new
    previous = _utils._tracking_uri  # None when never set
    previous_env = os.environ.get("MLFLOW_TRACKING_URI")
    mlflow.set_tracking_uri(uri)
    try:
        yield uri
    finally:
        mlflow.set_tracking_uri(previous)  # None unsets the variable too
        if previous_env is not None:
            os.environ["MLFLOW_TRACKING_URI"] = previous_env


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Silence MLflow's advice that does not apply (type hints on ``predict``; free-form frames)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*input example was not provided.*")
        warnings.filterwarnings("ignore", message=".*Add type hints to the `predict` method.*")
        warnings.filterwarnings("ignore", message=".*type hint.*", category=UserWarning)
        yield


def requirements() -> list[str]:
    """Pinned requirements of the scoring code (for a non-local environment manager)."""
    from importlib import metadata

    out = []
    for pkg in ("scorecard", "numpy", "pandas", "scikit-learn", "scipy", "lightgbm", "mlflow", "pyarrow", "numba"):
        try:
            out.append(f"{pkg}=={metadata.version(pkg)}")
        except metadata.PackageNotFoundError:
            continue
    return out


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(
    model_uri: str,
    *,
    port: int | None = None,
    tracking_uri: str | None = None,
    log_path: str | os.PathLike[str] | None = None,
    timeout: float = 180.0,
    workers: int = 1,
) -> tuple[subprocess.Popen, str]:
    """Start ``mlflow models serve`` for ``model_uri`` on 127.0.0.1 and wait until ``/ping`` answers.

    Runs with ``--env-manager local`` and the interpreter's ``bin`` first on
    ``PATH`` (MLflow starts ``uvicorn`` from ``PATH``).

    Returns
    -------
    (process, base_url)
        Stop the process with :func:`stop`.

    Raises
    ------
    RuntimeError
        The server exited or did not answer within ``timeout`` seconds (the
        message ends with its log); it is stopped first.
    """
    from scorecard import tracking

    port = port or free_port()
    bindir = Path(sys.executable).parent
    env = dict(os.environ, MLFLOW_TRACKING_URI=tracking_uri or tracking.tracking_uri(),
               MLFLOW_DISABLE_TELEMETRY="true", PATH=f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115 - closed with the process
    cmd = [str(bindir / "mlflow"), "models", "serve", "-m", model_uri, "--env-manager", "local",
           "-h", "127.0.0.1", "-p", str(port), "-w", str(int(workers))]
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"mlflow models serve exited with {proc.returncode}" + _tail(log_path))
            try:
                with urllib.request.urlopen(f"{base}/ping", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"mlflow models serve did not answer in {timeout:.0f} s" + _tail(log_path))
            time.sleep(0.25)
    except BaseException:
        stop(proc)
        raise
    logger.info("serving %s at %s (pid %d)", model_uri, base, proc.pid)
    return proc, base


def _tail(log_path: str | os.PathLike[str] | None) -> str:
    if not log_path:
        return ""
    try:
        return "; log: " + Path(log_path).read_text(errors="replace")[-2000:]
    except OSError:
        return ""


def stop(proc: subprocess.Popen, timeout: float = 15.0) -> None:
    """Stop the server's children (uvicorn workers), then the server, by PID (bounded waits)."""
    import psutil

    try:
        parent = psutil.Process(proc.pid)
        children = parent.children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    for child in children:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.terminate()
    _, alive = psutil.wait_procs(children, timeout=timeout)
    for child in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)
