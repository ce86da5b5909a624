"""Model registry: register exported models, set the ``champion`` / ``challenger`` aliases, promote, load.

The registry is MLflow's, in the same store as the runs
(:func:`scorecard.tracking.tracking_uri`: ``$MLFLOW_TRACKING_URI`` or the
project's SQLite database ``mlruns/mlflow.db``). SQLite is the local backend
because MLflow 3.17's file store is gone and the registry (versions,
aliases) needs a database: SQLite is embedded, needs no server, and one file
holds runs, versions and aliases; ``MLFLOW_TRACKING_URI`` moves everything to
a tracking server unchanged.

What is registered is the exported pyfunc (:func:`scorecard.export.to_pyfunc`
format: JSON spec, plus LightGBM's model file for a challenger; no pickle),
so ``models:/<name>@champion`` is what ``mlflow models serve`` and
``mlflow.pyfunc.spark_udf`` load.

- :func:`register_model` logs the pyfunc of a fitted model (into a new run,
  or into ``run_id``), registers a new version and sets an alias.
- :func:`log_model`: :func:`scorecard.tracking.log_model` (the run and its
  evidence) then :func:`register_model` into that run, in one call. The
  registry sits above tracking: tracking never imports it.
- :func:`promote` moves an alias (default ``champion``) to a version
  (default: the one holding ``challenger``); the previous champion keeps
  the alias ``previous_champion``, so a promotion can be undone with
  ``promote(name, version=...)``.
- :func:`load` loads ``models:/name@alias`` (or any model URI) as a pyfunc.

Examples
--------
>>> info = register_model(challenger_scorecard, "german", alias="challenger")  # doctest: +SKIP
>>> promote("german")  # challenger -> champion  # doctest: +SKIP
'2'
>>> load("german").predict(X)  # models:/german@champion  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as _dt
import logging
from collections.abc import Sequence
from typing import Any

from scorecard.errors import ScorecardError

__all__ = ["register_model", "log_model", "promote", "load", "aliases", "RegistryError"]

logger = logging.getLogger(__name__)


class RegistryError(ScorecardError, LookupError):
    """A registered model, version or alias does not exist.

    Examples
    --------
    >>> issubclass(RegistryError, LookupError)
    True
    >>> aliases("no_such_model")  # doctest: +SKIP
    Traceback (most recent call last):
    ...
    scorecard.registry.RegistryError: no registered model 'no_such_model' in the tracking store: ...
    """


def _client(uri: str | None = None) -> Any:
    from scorecard import tracking

    return tracking._mlflow_client(uri or tracking.tracking_uri())


def register_model(
    model: Any,
    name: str,
    *,
    alias: str | None = "challenger",
    run_id: str | None = None,
    input_example: Any = None,
    keys: Sequence[str] = (),
    n_reasons: int = 4,
    allow_personal_data: bool = False,
    experiment: str = "scorecard",
    tracking_uri: str | None = None,
) -> dict[str, Any]:
    """Log the exported pyfunc of ``model`` and register it as a new version of ``name``.

    Parameters
    ----------
    model : LogisticScorecard or GBMChallenger
        Fitted.
    name : str
        Registered model name.
    alias : str or None, default "challenger"
        Alias set on the new version (``"champion"`` to make it the champion
        at once; None for none).
    run_id : str, optional
        Log the pyfunc into this run (e.g. the run of
        :func:`scorecard.tracking.log_model`); default a new run.
    input_example : DataFrame, optional
        Rows for the input example (refused when they hold personal data).
    keys : sequence of str
        Columns copied from input to output.
    n_reasons : int, default 4
    allow_personal_data : bool, default False
    experiment : str, default "scorecard"
        Experiment of a new run.
    tracking_uri : str, optional

    Returns
    -------
    dict
        ``name``, ``version``, ``alias``, ``run_id``, ``model_uri`` (the logged
        model), ``registry_uri`` (``models:/name@alias`` or ``models:/name/version``).

    Examples
    --------
    Not run here (logging to MLflow takes seconds); ``tests/test_tracking.py`` runs it.

    >>> from scorecard import LogisticScorecard
    >>> from scorecard.datasets import load_german_credit
    >>> X, y = load_german_credit()
    >>> model = LogisticScorecard().fit(X, y)  # doctest: +SKIP
    >>> info = register_model(model, "german_scorecard", alias="challenger")  # doctest: +SKIP
    >>> info["registry_uri"]  # doctest: +SKIP
    'models:/german_scorecard@challenger'
    """
    from scorecard import export

    info = export.log_pyfunc(
        model,
        run_id=run_id,
        registered_model_name=name,
        input_example=input_example,
        keys=keys,
        n_reasons=n_reasons,
        allow_personal_data=allow_personal_data,
        tracking_uri=tracking_uri,
        experiment=experiment,
    )
    version = str(info.registered_model_version)
    client = _client(tracking_uri)
    client.set_model_version_tag(name, version, "scorecard.model_class", type(model).__name__)
    if alias:
        client.set_registered_model_alias(name, alias, version)
    out = {
        "name": name,
        "version": version,
        "alias": alias,
        "run_id": info.run_id,
        "model_uri": info.model_uri,
        "registry_uri": f"models:/{name}@{alias}" if alias else f"models:/{name}/{version}",
    }
    logger.info("registered %s as %s version %s%s", type(model).__name__, name, version, f" @{alias}" if alias else "")
    return out


def log_model(
    model: Any,
    name: str,
    *,
    alias: str | None = "challenger",
    X: Any = None,
    y: Any = None,
    allow_personal_data: bool = False,
    **kwargs: Any,
) -> dict[str, Any]:
    """Log a fitted scorecard with :func:`scorecard.tracking.log_model`, then register it from that run.

    Parameters
    ----------
    model : LogisticScorecard
        Fitted.
    name : str
        The run's name and the registered model's name.
    alias : str or None, default "challenger"
        Alias set on the new version; :func:`promote` moves ``champion`` to it.
    X, y, allow_personal_data, **kwargs
        Passed to :func:`scorecard.tracking.log_model` (``X`` is also the
        pyfunc's input example).

    Returns
    -------
    dict
        :func:`register_model`'s answer (``version``, ``run_id``, ``registry_uri`` ...).

    Example
    -------
    >>> info = log_model(model, "german_scorecard", X=X, y=y)  # alias "challenger"  # doctest: +SKIP
    >>> promote("german_scorecard")  # doctest: +SKIP
    '1'
    """
    from scorecard import tracking

    run_id = tracking.log_model(model, name, X=X, y=y, allow_personal_data=allow_personal_data, **kwargs)
    return register_model(
        model, name, alias=alias, run_id=run_id, input_example=X, allow_personal_data=allow_personal_data
    )


def aliases(name: str, *, tracking_uri: str | None = None) -> dict[str, str]:
    """``{alias: version}`` of a registered model.

    Examples
    --------
    Not run here (needs a registered model); ``tests/test_tracking.py`` runs it.

    >>> register_model(model, "german_scorecard", alias="challenger")  # doctest: +SKIP
    >>> aliases("german_scorecard")  # doctest: +SKIP
    {'challenger': '1'}
    """
    from mlflow.exceptions import MlflowException

    try:
        rm = _client(tracking_uri).get_registered_model(name)
    except MlflowException as exc:
        raise RegistryError(f"no registered model {name!r} in the tracking store: {exc.message}") from None
    return {str(a): str(v) for a, v in (rm.aliases or {}).items()}


def promote(
    name: str,
    alias: str = "champion",
    *,
    version: str | int | None = None,
    from_alias: str = "challenger",
    tracking_uri: str | None = None,
) -> str:
    """Point ``alias`` (default ``champion``) of ``name`` at a version; return that version.

    Parameters
    ----------
    name : str
        Registered model name.
    alias : str, default "champion"
    version : str or int, optional
        Default: the version holding ``from_alias``.
    from_alias : str, default "challenger"
        When promoting that alias's version, the alias is removed from it
        (the challenger has become the champion).
    tracking_uri : str, optional

    Returns
    -------
    str
        The promoted version.

    Raises
    ------
    RegistryError
        No such model, version or ``from_alias``.

    Examples
    --------
    >>> promote("german")  # doctest: +SKIP
    '2'
    """
    from mlflow.exceptions import MlflowException

    client = _client(tracking_uri)
    current = aliases(name, tracking_uri=tracking_uri)
    if version is None:
        if from_alias not in current:
            raise RegistryError(
                f"registered model {name!r} has no {from_alias!r} alias (aliases: {current or 'none'}); "
                "pass version=..."
            )
        version = current[from_alias]
    version = str(version)
    try:
        client.get_model_version(name, version)
    except MlflowException:
        raise RegistryError(f"registered model {name!r} has no version {version}") from None
    previous = current.get(alias)
    if previous is not None and previous != version:
        client.set_registered_model_alias(name, f"previous_{alias}", previous)
    client.set_registered_model_alias(name, alias, version)
    if current.get(from_alias) == version and from_alias != alias:
        client.delete_registered_model_alias(name, from_alias)
    client.set_model_version_tag(name, version, f"scorecard.promoted_to_{alias}",
                                 _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"))
    logger.info("promoted %s version %s to @%s (previous: %s)", name, version, alias, previous)
    return version


def load(name_or_uri: str, *, alias: str = "champion", tracking_uri: str | None = None) -> Any:
    """Load a registered model as an MLflow pyfunc.

    Parameters
    ----------
    name_or_uri : str
        A registered name (loads ``models:/<name>@<alias>``) or any model URI
        (``models:/name/3``, ``runs:/<run id>/model``, a folder).
    alias : str, default "champion"

    Returns
    -------
    mlflow.pyfunc.PyFuncModel
        ``predict(frame)`` gives points, proba_bad, n_fallback and reason codes.

    Examples
    --------
    Not run here (needs a registered model); ``tests/test_tracking.py`` runs it.

    >>> champion = load("german_scorecard")  # models:/german_scorecard@champion  # doctest: +SKIP
    >>> champion.predict(X.head(2)).columns.tolist()[:3]  # doctest: +SKIP
    ['points', 'proba_bad', 'n_fallback']
    """
    from scorecard import export

    uri = name_or_uri if (":/" in name_or_uri or "/" in name_or_uri) else f"models:/{name_or_uri}@{alias}"
    return export.load_pyfunc(uri, tracking_uri=tracking_uri)
