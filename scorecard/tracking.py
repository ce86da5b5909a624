"""Tracking: log fitted binners and scorecards to MLflow, with their evidence.

One call records everything a validator needs to reproduce and review a
model: :func:`log_model` creates an MLflow run holding the parameters, the
metrics, every binning table, the selection log, the coefficients and points,
binning plots, the JSON spec, a fingerprint of the data (never its rows), the
git commit of the project and the versions of the key packages.

Where runs go
-------------
:func:`tracking_uri` is ``$MLFLOW_TRACKING_URI`` when set, else the SQLite
database ``<project root>/mlruns/mlflow.db``, whatever the working directory
(notebooks run from ``notebooks/``, scripts from the root: both land in one
store). The project root is ``$SCORECARD_PROJECT_ROOT`` when set, else the
folder above this package when it holds ``pyproject.toml`` (a source or
editable install), else the working directory. Artifacts of a SQLite store
go to ``artifacts/`` beside the database (``mlruns/artifacts/<experiment>/``),
set as the experiment's artifact location when :func:`log_model` creates it;
for a tracking server the server decides. MLflow 3.17 refuses the plain file
store, so there is no ``file:`` default.

Nothing here holds global state: every call builds an
:class:`mlflow.MlflowClient` for :func:`tracking_uri` and never touches
MLflow's fluent "active run" or its global tracking URI. The only effect on
the process is ``os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")``
before MLflow is imported (usage telemetry stays off unless the user turned
it on explicitly).

Artifacts of a run
------------------
==================================  ==========================================================
``spec/woe_binner.json``            the binner's JSON spec (a scorecard's ``binner_``)
``spec/logistic_scorecard.json``    the scorecard's own spec, when it has ``to_json()``
``binning/iv.csv|html``             ``binner.summary()``: IV, bins and trend per feature
``binning/tables/<f>.csv|html``     every feature's binning table
``binning/plots/<f>.png``           binning plots of the ``n_plots`` highest-IV features
                                    (of a scorecard: of its model features)
``selection/dropped.csv|html``      scorecard: each dropped feature, step and reason
``selection/kept.json``             scorecard: the model's features
``model/summary.csv|html``          scorecard: coefficients, p-values, VIF, IV
``model/points_table.csv|html``     scorecard: points per bin
``data/fingerprint.json``           rows, columns, dtypes and sha256 of ``X`` (and ``y``)
``environment.json``                git commit, Python, platform, package versions
``extra/...``                       the ``artifacts=`` given by the caller
==================================  ==========================================================

Example
-------
>>> from scorecard import LogisticScorecard, tracking
>>> from scorecard.datasets import load_german_credit
>>> X, y = load_german_credit()
>>> model = LogisticScorecard().fit(X, y)
>>> run_id = tracking.log_model(model, "german", X=X, y=y)  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import logging
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from mlflow import MlflowClient

__all__ = [
    "PROJECT_ROOT_ENV",
    "DEFAULT_EXPERIMENT",
    "project_root",
    "tracking_uri",
    "artifact_root",
    "data_fingerprint",
    "git_commit",
    "package_versions",
    "log_model",
    "log_challenger_run",
    "start_run",
    "TrackedRun",
]

logger = logging.getLogger(__name__)

PROJECT_ROOT_ENV = "SCORECARD_PROJECT_ROOT"
"""Environment variable naming the project root (where ``mlruns/`` lives)."""

DEFAULT_EXPERIMENT = "scorecard"
"""Experiment used when none is named."""

_KEY_PACKAGES = (
    "scorecard",
    "numpy",
    "pandas",
    "scikit-learn",
    "scipy",
    "statsmodels",
    "optbinning",
    "mlflow",
    "matplotlib",
    "lightgbm",
)
_BAD_KEY_CHARS = re.compile(r"[^\w.\- /]")
_BAD_FILE_CHARS = re.compile(r"[^A-Za-z0-9_.\-]")
_MAX_PARAM_LEN = 6000  # MLflow's limit on a parameter value
_MAX_KEY_LEN = 250  # MLflow's limit on a key


# --------------------------------------------------------------------------- #
# where
# --------------------------------------------------------------------------- #


def project_root() -> Path:
    """The project root: where ``mlruns/`` and ``outputs/`` live.

    ``$SCORECARD_PROJECT_ROOT`` when set; else the folder above the
    ``scorecard`` package when it holds ``pyproject.toml`` (a source checkout
    or an editable install); else the current working directory (a wheel
    install used from a project folder).

    Returns
    -------
    pathlib.Path
        An absolute path.

    Example
    -------
    >>> (project_root() / "pyproject.toml").is_file()  # doctest: +SKIP
    True
    """
    env = os.environ.get(PROJECT_ROOT_ENV)
    if env:
        return Path(env).expanduser().resolve()
    above = Path(__file__).resolve().parents[1]
    if (above / "pyproject.toml").is_file():
        return above
    return Path.cwd().resolve()


def tracking_uri() -> str:
    """The MLflow tracking URI used by this module.

    ``$MLFLOW_TRACKING_URI`` when set (a server, or another database), else
    ``sqlite:///<project root>/mlruns/mlflow.db``; ``mlruns/`` is created
    when missing (the database itself is created by MLflow on first use,
    which takes a few seconds).

    Returns
    -------
    str

    Example
    -------
    >>> uri = tracking_uri()
    >>> uri.endswith("/mlruns/mlflow.db") or uri == os.environ["MLFLOW_TRACKING_URI"]
    True
    """
    env = os.environ.get("MLFLOW_TRACKING_URI")
    if env:
        return env
    folder = project_root() / "mlruns"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(folder / 'mlflow.db').as_posix()}"


def artifact_root(uri: str | None = None) -> Path | None:
    """Folder of the artifacts of a SQLite store: ``artifacts/`` beside the database.

    Parameters
    ----------
    uri : str, optional
        A tracking URI; default :func:`tracking_uri`.

    Returns
    -------
    pathlib.Path or None
        An absolute path (a relative database path is taken from the working
        directory, as SQLite does); ``None`` for anything but a
        ``sqlite:///`` file URI (a tracking server keeps its own artifact
        store).

    Example
    -------
    >>> artifact_root("sqlite:////data/mlruns/mlflow.db").as_posix()
    '/data/mlruns/artifacts'
    >>> artifact_root("http://127.0.0.1:5000") is None
    True
    """
    uri = tracking_uri() if uri is None else uri
    if not uri.startswith("sqlite:///"):
        return None
    path = uri[len("sqlite:///") :].split("?", 1)[0]
    if not path or path == ":memory:":
        return None
    return Path(os.path.abspath(path)).parent / "artifacts"  # a relative path is relative to the cwd


def _mlflow_client(uri: str | None = None) -> MlflowClient:
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    from mlflow import MlflowClient

    uri = tracking_uri() if uri is None else uri
    root = artifact_root(uri)
    if root is not None:
        db = Path(uri[len("sqlite:///") :].split("?", 1)[0])
        db.parent.mkdir(parents=True, exist_ok=True)
        if not db.is_file() or db.stat().st_size == 0:
            _create_store(uri, root)
    return MlflowClient(tracking_uri=uri)


def _create_store(uri: str, root: Path) -> None:
    """Create a new SQLite store whose default artifact root is ``root`` (not ``./mlruns`` of the cwd).

    MLflow otherwise records ``<cwd>/mlruns/0`` as the artifact location of its
    "Default" experiment, so a database first opened from ``notebooks/`` would
    send the Default experiment's artifacts to ``notebooks/mlruns/``.
    """
    try:
        from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

        logger.info("creating the MLflow store %s (takes a few seconds, once)", uri)
        SqlAlchemyStore(uri, root.as_uri()).engine.dispose()
    except Exception as exc:  # an MLflow internals change must not stop tracking
        logger.debug("could not pre-create %s with its artifact root (%s); MLflow will create it", uri, exc)


def _experiment_id(client: MlflowClient, name: str, uri: str) -> str:
    """Id of experiment ``name``, created (with its artifact location) when missing."""
    from mlflow.exceptions import MlflowException

    exp = client.get_experiment_by_name(name)
    if exp is not None:
        if exp.lifecycle_stage != "active":
            raise ValueError(
                f"experiment {name!r} is deleted in {uri}; restore it (mlflow experiments restore) "
                "or log to another experiment"
            )
        return exp.experiment_id
    root = artifact_root(uri)
    location = (root / _safe_file(name)).as_uri() if root is not None else None
    try:
        return client.create_experiment(name, artifact_location=location)
    except MlflowException:  # created meanwhile by another process
        exp = client.get_experiment_by_name(name)
        if exp is None:
            raise
        return exp.experiment_id


# --------------------------------------------------------------------------- #
# provenance
# --------------------------------------------------------------------------- #


def data_fingerprint(X: Any, y: Any = None) -> dict[str, Any]:
    """A fingerprint of a sample that identifies it without holding its rows.

    Parameters
    ----------
    X : DataFrame or array-like
        The sample (all of its columns count, including any the model does
        not use).
    y : array-like, optional
        The target; adds its row count, bad count and its own hash.

    Returns
    -------
    dict
        ``n_rows``, ``n_columns``, ``columns`` (names), ``dtypes`` (name ->
        dtype), ``sha256``, and with ``y``: ``target`` (``name``, ``n_rows``,
        ``n_bad``, ``bad_rate``, ``sha256``). ``sha256`` is the digest of the
        column names and dtypes (JSON) followed by the bytes of
        ``pd.util.hash_pandas_object(X, index=False)`` (one 64-bit hash per
        row): the same values in the same order, names and dtypes give the
        same digest, whatever the index; any changed value, row order, name
        or dtype changes it.

    Example
    -------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"x": [1, 2], "s": ["a", "b"]})
    >>> fp = data_fingerprint(a)
    >>> fp["n_rows"], fp["dtypes"]
    (2, {'x': 'int64', 's': 'str'})
    >>> fp["sha256"] == data_fingerprint(a.copy())["sha256"]
    True
    >>> fp["sha256"] == data_fingerprint(a.assign(x=[1, 3]))["sha256"]
    False
    """
    from scorecard._validation import as_frame

    frame = as_frame(X)
    columns = [str(c) for c in frame.columns]
    dtypes = {str(c): str(t) for c, t in frame.dtypes.items()}
    digest = hashlib.sha256()
    digest.update(json.dumps({"columns": columns, "dtypes": dtypes}, sort_keys=True).encode("utf-8"))
    digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    out: dict[str, Any] = {
        "n_rows": int(len(frame)),
        "n_columns": int(frame.shape[1]),
        "columns": columns,
        "dtypes": dtypes,
        "sha256": digest.hexdigest(),
    }
    if y is not None:
        ys = y if isinstance(y, pd.Series) else pd.Series(np.asarray(y).ravel())
        yd = hashlib.sha256(str(ys.dtype).encode("utf-8"))
        yd.update(pd.util.hash_pandas_object(ys, index=False).to_numpy().tobytes())
        n_bad = None
        with contextlib.suppress(TypeError, ValueError):
            n_bad = int(pd.to_numeric(ys).sum())
        out["target"] = {
            "name": None if ys.name is None else str(ys.name),
            "n_rows": int(len(ys)),
            "n_bad": n_bad,
            "bad_rate": (n_bad / len(ys)) if (n_bad is not None and len(ys)) else None,
            "sha256": yd.hexdigest(),
        }
    return out


def git_commit(root: str | os.PathLike[str] | None = None) -> dict[str, Any] | None:
    """The git commit of the project, when it is a git checkout.

    Parameters
    ----------
    root : path, optional
        Folder inside the repository; default :func:`project_root`.

    Returns
    -------
    dict or None
        ``{"commit": <40 hex>, "dirty": bool}`` (``dirty``: tracked files
        changed since the commit), or ``None`` when git is not installed, the
        folder is not in a repository, or git fails or takes over 10 s.

    Example
    -------
    >>> info = git_commit()
    >>> info is None or len(info["commit"]) == 40
    True
    """
    folder = Path(root) if root is not None else project_root()
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, timeout=10, check=False
        )
        if head.returncode != 0:
            return None
        commit = head.stdout.strip()
        if not re.fullmatch(r"[0-9a-f]{40,64}", commit):
            return None
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        dirty = bool(status.stdout.strip()) if status.returncode == 0 else None
    except (OSError, subprocess.SubprocessError) as exc:
        logger.debug("git commit not available: %s", exc)
        return None
    return {"commit": commit, "dirty": dirty}


def package_versions() -> dict[str, str | None]:
    """Versions of Python and of the packages a scorecard's results depend on.

    Returns
    -------
    dict
        ``python`` and one entry per package (``None`` when not installed).

    Example
    -------
    >>> v = package_versions()
    >>> sorted(k for k in ("python", "numpy", "mlflow") if v[k])
    ['mlflow', 'numpy', 'python']
    """
    out: dict[str, str | None] = {"python": platform.python_version()}
    for pkg in _KEY_PACKAGES:
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    return out


# --------------------------------------------------------------------------- #
# parameters, metrics, files
# --------------------------------------------------------------------------- #


def _safe_key(key: str) -> str:
    key = _BAD_KEY_CHARS.sub("_", str(key)).strip("/") or "_"
    key = re.sub(r"\.{2,}", ".", key)
    return key[:_MAX_KEY_LEN]


def _safe_file(name: str) -> str:
    return (_BAD_FILE_CHARS.sub("_", str(name)).strip("._") or "_")[:120]


def _param_text(value: Any) -> str:
    if value is None or isinstance(value, (bool, str, int, float, np.integer, np.floating)):
        text = str(value.item() if isinstance(value, np.generic) else value)
    else:
        try:
            text = json.dumps(value, default=str, ensure_ascii=False, sort_keys=True)
        except (TypeError, ValueError):
            text = repr(value)
    if len(text) > _MAX_PARAM_LEN:
        logger.warning("parameter value truncated to %d characters", _MAX_PARAM_LEN)
        text = text[: _MAX_PARAM_LEN - 3] + "..."
    return text


def _flatten_params(params: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """Flatten estimator parameters: nested estimators and dicts become ``a.b`` keys."""
    out: dict[str, str] = {}
    for key, value in params.items():
        name = f"{prefix}{key}"
        if hasattr(value, "get_params") and not isinstance(value, type):
            out[name] = type(value).__name__
            out.update(_flatten_params(value.get_params(deep=False), f"{name}."))
        elif isinstance(value, Mapping) and value:
            out.update(_flatten_params({str(k): v for k, v in value.items()}, f"{name}."))
        else:
            out[name] = _param_text(value)
    return out


def _metric_dict(metrics: Mapping[str, Any] | None) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, value in (metrics or {}).items():
        try:
            v = float(value)
        except (TypeError, ValueError):
            raise TypeError(f"metric {key!r} must be a number, got {type(value).__name__} {value!r}") from None
        if not math.isfinite(v):
            logger.warning("metric %r is %s and is not logged", key, v)
            continue
        out[_safe_key(key)] = v
    return out


def _write_table(df: pd.DataFrame | pd.Series, path: Path, title: str | None = None) -> None:
    """Write ``df`` as ``path.csv`` and ``path.html`` (escaped, no index)."""
    frame = df.to_frame() if isinstance(df, pd.Series) else df
    index = not isinstance(frame.index, pd.RangeIndex)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(_with_ext(path, ".csv", ()), index=index)
    html = frame.to_html(index=index, na_rep="", float_format=lambda v: f"{v:.6g}", border=0)
    head = f"<h3>{_html_escape(title)}</h3>\n" if title else ""
    _with_ext(path, ".html", ()).write_text(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
        f"<title>{_html_escape(title or path.stem)}</title></head>\n<body>\n{head}{html}\n</body></html>\n",
        encoding="utf-8",
    )


def _with_ext(path: Path, ext: str, known: Sequence[str]) -> Path:
    """``path`` when its suffix is one of ``known``, else ``path`` + ``ext`` (dots in stems survive)."""
    if path.suffix.lower() in known:
        return path
    return path.with_name(path.name + ext)


def _html_escape(text: str) -> str:
    import html

    return html.escape(str(text))


def _write_json(obj: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False, default=str, sort_keys=False) + "\n", encoding="utf-8")


def _unique_names(names: Sequence[str]) -> dict[str, str]:
    """A distinct safe file stem per name (``_2``, ``_3`` ... on collisions)."""
    seen: dict[str, int] = {}
    out = {}
    for n in names:
        stem = _safe_file(n)
        k = seen.get(stem.lower(), 0)
        seen[stem.lower()] = k + 1
        out[n] = stem if k == 0 else f"{stem}_{k + 1}"
    return out


def _write_extra(artifacts: Any, folder: Path) -> list[str]:
    """Write the caller's ``artifacts=`` under ``folder``; return what was written."""
    if artifacts is None:
        return []
    written: list[str] = []
    if isinstance(artifacts, (str, os.PathLike)):
        artifacts = [artifacts]
    if not isinstance(artifacts, Mapping):
        artifacts = {Path(p).name: Path(p) for p in artifacts}
    for key, value in artifacts.items():
        parts = [_safe_file(p) for p in str(key).replace("\\", "/").split("/") if p not in ("", ".", "..")]
        if not parts:
            raise ValueError(f"artifact name {key!r} is empty once made safe for a file name")
        target = folder.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(value, (pd.DataFrame, pd.Series)):
            stem = target.with_suffix("") if target.suffix.lower() in (".csv", ".html") else target
            _write_table(value, stem, str(key))
        elif hasattr(value, "savefig"):
            value.savefig(_with_ext(target, ".png", (".png", ".svg", ".pdf", ".jpg")), dpi=90)
        elif isinstance(value, os.PathLike):
            src = Path(value)
            if src.is_dir():
                shutil.copytree(src, target, dirs_exist_ok=True)
            elif src.is_file():
                shutil.copyfile(src, _with_ext(target, src.suffix, (src.suffix.lower(),)))
            else:
                raise FileNotFoundError(f"artifact {key!r}: no file or folder at {src}")
        elif isinstance(value, (Mapping, list, tuple)):
            _write_json(value, _with_ext(target, ".json", (".json",)))
        elif isinstance(value, bytes):
            target.write_bytes(value)
        elif isinstance(value, str):
            _with_ext(target, ".txt", (".txt", ".md", ".html", ".csv", ".json", ".sql")).write_text(
                value, encoding="utf-8"
            )
        else:
            raise TypeError(
                f"artifact {key!r}: cannot write a {type(value).__name__}; give a DataFrame, a matplotlib "
                "Figure, a dict/list (JSON), text, bytes or a pathlib.Path"
            )
        written.append(str(key))
    return written


# --------------------------------------------------------------------------- #
# what to log for each kind of model
# --------------------------------------------------------------------------- #


def _model_kind(model: Any) -> str:
    """"scorecard" or "binner" (the model-kind interface, :func:`scorecard._base.model_kind`)."""
    from scorecard._base import model_kind

    return model_kind(
        model, ("scorecard", "binner"),
        refuse="log_model logs a fitted WOEBinner or LogisticScorecard (use start_run() to log other objects "
        "by hand, log_challenger_run for a GBMChallenger)",
        before="log_model",
    )


def _write_binner(binner: Any, folder: Path, plot_features: Sequence[str]) -> None:
    (folder / "spec").mkdir(parents=True, exist_ok=True)
    (folder / "spec" / "woe_binner.json").write_text(binner.to_json(), encoding="utf-8")
    _write_table(binner.summary(), folder / "binning" / "iv", "Information value per feature")
    stems = _unique_names(binner.features_)
    for f in binner.features_:
        _write_table(binner.binning_table(f), folder / "binning" / "tables" / stems[f], f"Binning table: {f}")
    if plot_features:
        (folder / "binning" / "plots").mkdir(parents=True, exist_ok=True)
    for f in plot_features:
        fig = binner.plot(f)
        fig.savefig(_with_ext(folder / "binning" / "plots" / stems[f], ".png", ()), dpi=90)


def _write_scorecard(model: Any, folder: Path, n_plots: int) -> None:
    iv = model.binner_.iv_
    top = sorted(model.features_, key=lambda f: (-float(iv[f]), f))[: max(int(n_plots), 0)]
    _write_binner(model.binner_, folder, top)
    to_json = getattr(model, "to_json", None)
    if callable(to_json):
        try:
            (folder / "spec" / "logistic_scorecard.json").write_text(to_json(), encoding="utf-8")
        except Exception as exc:  # a spec writer in progress must not lose the run
            logger.warning("LogisticScorecard.to_json() failed (%s); only the binner spec is logged", exc)
    _write_table(model.selection_.dropped, folder / "selection" / "dropped", "Features dropped by selection")
    _write_json({"kept": list(model.features_)}, folder / "selection" / "kept.json")
    _write_table(model.summary(), folder / "model" / "summary", "Logistic regression on WOE")
    _write_table(model.points_table(), folder / "model" / "points_table", "Points per bin")


def _eval_metrics(model: Any, kind: str, X: Any, y: Any) -> dict[str, float]:
    """AUC, Gini and KS of a scorecard on ``X`` / ``y``."""
    if kind != "scorecard" or X is None or y is None:
        return {}
    from scorecard import metrics as m
    from scorecard._validation import check_target

    target = check_target(y, bad_value=getattr(model, "bad_value", None), n_rows=len(X))
    p_bad = model.predict_proba(X)[:, 1]
    return {"auc": m.auc(target, p_bad), "gini": m.gini(target, p_bad), "ks": m.ks(target, p_bad)}


# --------------------------------------------------------------------------- #
# runs
# --------------------------------------------------------------------------- #


@dataclass
class TrackedRun:
    """An open MLflow run (from :func:`start_run`): log to it by hand.

    Attributes
    ----------
    run_id, experiment_id, tracking_uri : str
    """

    run_id: str
    experiment_id: str
    tracking_uri: str

    def log_params(self, params: Mapping[str, Any]) -> None:
        """Log parameters (flattened and stringified as in :func:`log_model`)."""
        _log_batch(_mlflow_client(self.tracking_uri), self.run_id, params=_flatten_params(params))

    def log_metrics(self, metrics: Mapping[str, Any], step: int = 0) -> None:
        """Log numeric metrics (non-finite values are skipped with a warning)."""
        _log_batch(_mlflow_client(self.tracking_uri), self.run_id, metrics=_metric_dict(metrics), step=step)

    def set_tags(self, tags: Mapping[str, Any]) -> None:
        """Set tags (values stringified)."""
        _log_batch(_mlflow_client(self.tracking_uri), self.run_id, tags={str(k): str(v) for k, v in tags.items()})

    def log_artifacts(self, artifacts: Any, artifact_path: str = "extra") -> None:
        """Log objects or files, as the ``artifacts=`` of :func:`log_model`."""
        with tempfile.TemporaryDirectory(prefix="scorecard-artifacts-") as tmp:
            _write_extra(artifacts, Path(tmp))
            _mlflow_client(self.tracking_uri).log_artifacts(self.run_id, tmp, artifact_path=artifact_path or None)


def _log_batch(
    client: MlflowClient,
    run_id: str,
    *,
    params: Mapping[str, str] | None = None,
    metrics: Mapping[str, float] | None = None,
    tags: Mapping[str, str] | None = None,
    step: int = 0,
) -> None:
    from mlflow.entities import Metric, Param, RunTag

    now = int(time.time() * 1000)
    p = [Param(_safe_key(k), v) for k, v in (params or {}).items()]
    m = [Metric(_safe_key(k), float(v), now, step) for k, v in (metrics or {}).items()]
    t = [RunTag(str(k)[:_MAX_KEY_LEN], str(v)[:8000]) for k, v in (tags or {}).items()]
    for i in range(0, len(p), 100):
        client.log_batch(run_id, params=p[i : i + 100])
    for i in range(0, len(m), 1000):
        client.log_batch(run_id, metrics=m[i : i + 1000])
    for i in range(0, len(t), 100):
        client.log_batch(run_id, tags=t[i : i + 100])


def _base_tags(extra: Mapping[str, Any] | None) -> dict[str, str]:
    tags = {"scorecard.version": package_versions().get("scorecard") or "unknown"}
    with contextlib.suppress(Exception):
        import getpass

        tags["mlflow.user"] = getpass.getuser()
    tags["mlflow.source.type"] = "LOCAL"
    main = sys.modules.get("__main__")
    source = getattr(main, "__file__", None)
    tags["mlflow.source.name"] = Path(source).name if source else "interactive"
    tags.update({str(k): str(v) for k, v in (extra or {}).items()})
    return tags


@contextlib.contextmanager
def start_run(
    experiment: str = DEFAULT_EXPERIMENT,
    run_name: str | None = None,
    *,
    tags: Mapping[str, Any] | None = None,
) -> Iterator[TrackedRun]:
    """Open an MLflow run in :func:`tracking_uri`; close it on exit.

    The run ends ``FINISHED``, or ``FAILED`` when the block raises (the
    exception propagates). Pass ``run.run_id`` to :func:`log_model` to log a
    model into it alongside other results.

    Parameters
    ----------
    experiment : str, default "scorecard"
        Experiment name; created (with its artifact location) when missing.
    run_name : str, optional
        Display name of the run.
    tags : dict, optional
        Extra tags.

    Yields
    ------
    TrackedRun

    Example
    -------
    >>> with start_run("scorecard", "challenger") as run:  # doctest: +SKIP
    ...     run.log_metrics({"auc": 0.78})
    ...     log_model(model, X=X_test, y=y_test, run_id=run.run_id)
    """
    uri = tracking_uri()
    client = _mlflow_client(uri)
    exp_id = _experiment_id(client, experiment, uri)
    run = client.create_run(exp_id, run_name=run_name, tags=_base_tags(tags))
    run_id = run.info.run_id
    status = "FAILED"
    try:
        yield TrackedRun(run_id=run_id, experiment_id=exp_id, tracking_uri=uri)
        status = "FINISHED"
    finally:
        client.set_terminated(run_id, status=status)
        logger.info("MLflow run %s %s (%s)", run_id, status.lower(), uri)


def log_model(
    model: Any,
    name: str | None = None,
    *,
    X: Any = None,
    y: Any = None,
    metrics: Mapping[str, Any] | None = None,
    params: Mapping[str, Any] | None = None,
    experiment: str = DEFAULT_EXPERIMENT,
    run_name: str | None = None,
    tags: Mapping[str, Any] | None = None,
    artifacts: Any = None,
    n_plots: int = 10,
    run_id: str | None = None,
    allow_personal_data: bool = False,
) -> str:
    """Log a fitted :class:`~scorecard.WOEBinner` or :class:`~scorecard.LogisticScorecard` to MLflow.

    Creates a run in ``experiment`` (or logs into the open run ``run_id``)
    and records (see the module docstring for the artifact layout):

    - parameters: ``model.get_params(deep=False)``, nested estimators and
      dicts flattened to ``binner.min_bin_size``-style keys, values
      stringified (JSON for lists); then ``params`` (which win on a clash);
    - metrics: ``metrics``, plus for a scorecard with ``X`` and ``y``:
      ``auc``, ``gini`` and ``ks`` of ``predict_proba(X)`` against ``y``
      (computed with :mod:`scorecard.metrics`), and the counts
      ``n_features`` (and for a scorecard ``n_features_dropped``);
    - the IV table, every binning table (CSV and HTML), binning plots, the
      JSON spec; for a scorecard also the selection log, the summary and the
      points table;
    - a fingerprint of ``X`` and ``y`` (:func:`data_fingerprint`: counts,
      names, dtypes, hashes: never a row);
    - the git commit of the project (tag ``mlflow.source.git.commit``, when
      it is a git checkout) and the versions of the key packages
      (``environment.json``).

    No row of ``X`` is ever written. ``X`` may hold columns the model does
    not use (they enter the fingerprint only).

    Parameters
    ----------
    model : WOEBinner or LogisticScorecard
        Fitted.
    name : str, optional
        Name of the model (tag ``scorecard.model_name``; the default run name).
        Default ``"woe_binner"`` or ``"logistic_scorecard"``.
    X : DataFrame, optional
        Evaluation sample (for the metrics and the fingerprint).
    y : array-like or str, optional
        Its target (1 = bad, or the model's ``bad_value``), or the name of a
        column of ``X``.
    metrics : dict, optional
        Extra numeric metrics, e.g. ``{"cv_auc_mean": 0.76}``.
    params : dict, optional
        Extra parameters, e.g. ``{"dataset": "german_credit", "seed": 42}``.
    experiment : str, default "scorecard"
        Experiment name; created with its artifact location when missing.
    run_name : str, optional
        Display name of the run; default ``name``.
    tags : dict, optional
        Extra tags.
    artifacts : mapping or sequence, optional
        Extra artifacts, written under ``extra/``: a mapping of name ->
        DataFrame (CSV and HTML), matplotlib Figure (PNG), dict or list
        (JSON), str (text), bytes, or ``pathlib.Path`` (copied); or a
        sequence of file paths. Names may hold ``/`` for sub-folders.
    n_plots : int, default 10
        Binning plots of the ``n_plots`` highest-IV features (of a scorecard:
        of its model features). Each plot takes about 0.25 s.
    run_id : str, optional
        Log into this open run (see :func:`start_run`) instead of creating
        one; ``experiment``, ``run_name`` are then ignored.
    allow_personal_data : bool, default False
        The run's artifacts, extra artifacts and parameters are scanned with
        :func:`scorecard.privacy.guard` before anything is logged; personal
        data (resident ID numbers, mobile numbers, card numbers, e-mail
        addresses, personal-data column names) raises a DataError naming
        where it was found, unless this is True.

    Returns
    -------
    str
        The run id.

    Raises
    ------
    TypeError
        ``model`` is neither a WOEBinner nor a LogisticScorecard, or a metric
        is not a number.
    NotFittedError
        ``model`` is not fitted (:class:`scorecard.errors.NotFittedError`).
    TargetError
        ``y`` is not a valid target for ``X``.

    Example
    -------
    >>> from scorecard import WOEBinner
    >>> from scorecard.datasets import load_german_credit
    >>> X, y = load_german_credit()
    >>> binner = WOEBinner().fit(X, y)
    >>> run_id = log_model(binner, "german_bins", X=X, y=y, params={"dataset": "german_credit"})  # doctest: +SKIP
    """
    from scorecard import privacy

    kind = _model_kind(model)
    if isinstance(y, str) and isinstance(X, pd.DataFrame):
        from scorecard._validation import split_target

        X, y = split_target(X, y)
    if artifacts is not None:
        privacy.guard(artifacts, allow_personal_data, what="extra artifacts")
    if (X is None) != (y is None) and kind == "scorecard":
        logger.info("log_model: X and y are both needed for AUC / Gini / KS; only the fingerprint is logged")
    name = name or ("logistic_scorecard" if kind == "scorecard" else "woe_binner")
    started = time.perf_counter()

    all_params = _flatten_params(model.get_params(deep=False))
    all_params.update(_flatten_params(dict(params or {})))
    # parameters are logged as text: scan them as text (a value that names a data file,
    # such as the dataset's path, is not the file's content)
    privacy.guard(json.dumps(all_params, default=str, ensure_ascii=False), allow_personal_data, what="parameters")
    all_metrics = {}
    binner = model.binner_ if kind == "scorecard" else model
    privacy.guard(privacy.category_labels(binner), allow_personal_data, what="binning categories")  # names, spaced phones
    all_metrics["n_features"] = float(len(model.features_))
    if kind == "scorecard":
        all_metrics["n_features_binned"] = float(len(binner.features_))
        all_metrics["n_features_dropped"] = float(len(model.selection_.dropped))
    all_metrics.update(_eval_metrics(model, kind, X, y))
    all_metrics.update(_metric_dict(metrics))

    run_tags = {
        "scorecard.model_class": type(model).__name__,
        "scorecard.model_name": name,
    }
    git = git_commit()
    if git is not None:
        run_tags["mlflow.source.git.commit"] = git["commit"]
        run_tags["scorecard.git_dirty"] = str(git["dirty"]).lower()
    env = {
        "logged_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "git": git,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": package_versions(),
    }

    with tempfile.TemporaryDirectory(prefix="scorecard-run-") as tmp:
        folder = Path(tmp)
        if kind == "scorecard":
            _write_scorecard(model, folder, n_plots)
        else:
            top = binner.summary()["feature"].head(max(int(n_plots), 0)).tolist()
            _write_binner(binner, folder, top)
        if X is not None:
            _write_json(
                {"X": data_fingerprint(X, y), "note": "row values are never logged"},
                folder / "data" / "fingerprint.json",
            )
        _write_json(env, folder / "environment.json")
        extra = _write_extra(artifacts, folder / "extra")
        privacy.guard(folder, allow_personal_data, what="run artifacts")

        def write(rid: str, client: MlflowClient) -> None:
            _log_batch(client, rid, params=all_params, metrics=all_metrics, tags=run_tags)
            client.log_artifacts(rid, tmp)

        if run_id is not None:
            uri = tracking_uri()
            run_tags.update({str(k): str(v) for k, v in (tags or {}).items()})
            write(run_id, _mlflow_client(uri))
            rid = run_id
        else:
            with start_run(experiment, run_name or name, tags=tags) as run:
                write(run.run_id, _mlflow_client(run.tracking_uri))
                rid = run.run_id
                uri = run.tracking_uri
    logger.info(
        "logged %s %r to MLflow run %s (%s) in %.1f s; %d metrics, %d params, %d extra artifacts",
        type(model).__name__,
        name,
        rid,
        uri,
        time.perf_counter() - started,
        len(all_metrics),
        len(all_params),
        len(extra),
    )
    return rid


def log_challenger_run(
    model: Any,
    name: str | None = None,
    *,
    X: Any = None,
    y: Any = None,
    metrics: Mapping[str, Any] | None = None,
    params: Mapping[str, Any] | None = None,
    experiment: str = "scorecard",
    run_name: str | None = None,
    tags: Mapping[str, Any] | None = None,
    artifacts: Any = None,
) -> str:
    """Log a fitted :class:`~scorecard.challenger.GBMChallenger` to MLflow.

    The same signature as :func:`log_model`, which does not take a
    challenger yet; this opens a run with :func:`start_run` (same store, no
    global MLflow state) and records:

    - parameters: the challenger's own (``get_params(deep=False)``,
      flattened), ``best.<name>`` for those the search chose,
      ``best_iteration``, then ``params``;
    - metrics: ``metrics``, plus ``auc``, ``gini`` and ``ks`` of
      ``predict_proba(X)`` when ``X`` and ``y`` are given, ``n_features``
      and ``n_constrained``;
    - artifacts: ``model/challenger.json`` (:meth:`GBMChallenger.to_dict`),
      ``model/booster.txt`` (the LightGBM model string),
      ``model/monotone_constraints.json``, ``model/search_results`` (when a
      search ran), ``data/fingerprint.json`` of ``X`` (never its rows),
      ``environment.json`` and the caller's ``artifacts`` under ``extra/``
      (a mapping of name -> DataFrame, Figure, dict, text ..., as
      ``log_model`` takes them).

    Returns
    -------
    str
        The run id.

    Example
    -------
    >>> run_id = log_challenger_run(gbm, "gbm", X=X_test, y=y_test)  # doctest: +SKIP
    """
    from scorecard import metrics as m
    from scorecard._base import model_kind
    from scorecard._validation import check_target, split_target
    from scorecard.challenger import default_search_space

    model_kind(model, ("challenger",), refuse="log_challenger_run logs a fitted GBMChallenger", before="logging it")
    name = name or "gbm_challenger"
    spec = model.to_dict()
    all_params: dict[str, Any] = {k: v for k, v in model.get_params(deep=False).items() if k != "search_space"}
    all_params["search_space"] = sorted((model.search_space or default_search_space()).keys()) if model.search else None
    all_params.update({f"best.{k}": v for k, v in model.best_params_.items()})
    all_params["best_iteration"] = model.best_iteration_
    all_params.update(dict(params or {}))
    all_metrics: dict[str, Any] = {
        "n_features": len(model.features_),
        "n_constrained": sum(1 for v in model.monotone_constraints_.values() if v),
    }
    files: dict[str, Any] = {
        "model/challenger.json": spec,
        "model/booster.txt": spec["model"],
        "model/monotone_constraints.json": dict(model.monotone_constraints_),
        "environment.json": {
            "git": git_commit(),
            "packages": package_versions(),
        },
    }
    if model.search_results_ is not None:
        files["model/search_results"] = model.search_results_
    if X is not None and y is not None:
        if isinstance(y, str) and isinstance(X, pd.DataFrame):
            X, y = split_target(X, y)
        target = check_target(
            y,
            bad_value=model.bad_value,
            good_value=getattr(model, "good_value", None),
            n_rows=len(X),
            index=X.index if isinstance(X, pd.DataFrame) else None,
        )
        p_bad = model.predict_proba(X)[:, 1]
        all_metrics.update(auc=m.auc(target, p_bad), gini=m.gini(target, p_bad), ks=m.ks(target, p_bad))
        files["data/fingerprint.json"] = {"X": data_fingerprint(X, y), "note": "row values are never logged"}
    all_metrics.update(dict(metrics or {}))
    run_tags = {"scorecard.model_class": type(model).__name__, "scorecard.model_name": name, **(tags or {})}
    with start_run(experiment, run_name or name, tags=run_tags) as run:
        run.log_params(all_params)
        run.log_metrics(all_metrics)
        run.log_artifacts(files, artifact_path="")
        if artifacts is not None:
            run.log_artifacts(artifacts, artifact_path="extra")
    logger.info("logged GBMChallenger %r to MLflow run %s (%s)", name, run.run_id, run.tracking_uri)
    return run.run_id
