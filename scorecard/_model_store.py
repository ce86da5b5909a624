"""What an exported model folder may hold, and its optional signature: checked before any loading.

The checks behind :mod:`scorecard._pyfunc_model` (MLflow's loader module of every
exported model), kept in a module of their own so that :mod:`scorecard.export`
can sign and verify a folder without importing the loader, which imports export
(layers point forward: no import cycle). See :mod:`scorecard._pyfunc_model` for
the rules.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path

from scorecard.errors import SpecError

__all__ = ["LOADER_MODULE", "SPEC_KEY_ENV", "SIGNATURE_FILE", "sign_artifacts", "verify_model_dir"]

LOADER_MODULE = "scorecard._pyfunc_model"
"""The ``loader_module`` every exported model names (this module)."""
SPEC_KEY_ENV = "SCORECARD_SPEC_KEY"
"""Environment variable holding the key that signs and verifies exported specs (optional)."""
SIGNATURE_FILE = "signature.json"
"""HMAC-SHA256 of each artifact file, written when :data:`SPEC_KEY_ENV` is set at export time."""
_SPEC_FILE = "export_spec.json"
_BOOSTER_FILE = "challenger.txt"
_DATA_FILES = {_SPEC_FILE, _BOOSTER_FILE, SIGNATURE_FILE}
_CODE_SUFFIXES = {".py", ".pyc", ".pyo", ".pyd", ".so", ".pkl", ".pickle", ".cloudpickle", ".joblib", ".dill"}



def _key() -> bytes | None:
    key = os.environ.get(SPEC_KEY_ENV)
    return key.encode("utf-8") if key else None


def _digest(key: bytes, path: Path) -> str:
    return hmac.new(key, path.read_bytes(), hashlib.sha256).hexdigest()


def sign_artifacts(folder: str | os.PathLike[str]) -> bool:
    """Write :data:`SIGNATURE_FILE` (HMAC of each artifact) when ``$SCORECARD_SPEC_KEY`` is set.

    Returns
    -------
    bool
        Whether a signature was written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "export_spec.json").write_text("{}")
    >>> sign_artifacts(d) == (SPEC_KEY_ENV in os.environ)
    True
    """
    key = _key()
    if key is None:
        return False
    folder = Path(folder)
    sig = {f: _digest(key, folder / f) for f in sorted(_DATA_FILES - {SIGNATURE_FILE}) if (folder / f).is_file()}
    (folder / SIGNATURE_FILE).write_text(json.dumps({"algorithm": "hmac-sha256", "files": sig}, indent=1),
                                         encoding="utf-8")
    return True


def _verify_signature(folder: Path) -> None:
    key = _key()
    sig_path = folder / SIGNATURE_FILE
    if key is None:
        return
    if not sig_path.is_file():
        raise SpecError(f"refusing to load the model in {folder}: {SPEC_KEY_ENV} is set but the model is not signed")
    try:
        files = json.loads(sig_path.read_text(encoding="utf-8"))["files"]
    except (ValueError, KeyError, TypeError) as exc:
        raise SpecError(f"refusing to load the model in {folder}: unreadable {SIGNATURE_FILE} ({exc})") from None
    present = {f for f in _DATA_FILES - {SIGNATURE_FILE} if (folder / f).is_file()}
    if set(files) != present:
        raise SpecError(f"refusing to load the model in {folder}: signed files {sorted(files)} != present {sorted(present)}")
    for f, want in files.items():
        if not hmac.compare_digest(_digest(key, folder / f), str(want)):
            raise SpecError(f"refusing to load the model in {folder}: {f} does not match its signature (edited?)")


def verify_model_dir(path: str | os.PathLike[str], *, loader_module: str = LOADER_MODULE) -> None:
    """Refuse a model folder that would run anything but an installed loader module.

    Parameters
    ----------
    path : str or PathLike
        A local MLflow model folder (with its ``MLmodel`` file).
    loader_module : str, default :data:`LOADER_MODULE`
        The installed module the ``python_function`` flavor must name
        (``scorecard.strategy._pyfunc_model`` for a decision model).

    Raises
    ------
    SpecError
        The ``python_function`` flavor names another loader, a ``code`` folder,
        a ``python_model`` or a pickle; another flavor is declared; the folder
        holds a Python file, a compiled module or a pickle; or the signature
        check fails (see the module docstring).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "MLmodel").write_text("flavors:\\n  python_function:\\n    loader_module: evil\\n")
    >>> verify_model_dir(d)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    scorecard.errors.SpecError: refusing to load the model in ...: its loader module is 'evil', not scorecard._pyfunc_model (the store may have been tampered with)
    """
    import yaml

    folder = Path(path)
    mlmodel = folder / "MLmodel"
    if not mlmodel.is_file():
        raise SpecError(f"refusing to load the model in {folder}: no MLmodel file")
    try:
        meta = yaml.safe_load(mlmodel.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise SpecError(f"refusing to load the model in {folder}: unreadable MLmodel ({type(exc).__name__})") from None
    where = f"refusing to load the model in {folder}"
    flavors = meta.get("flavors") or {}
    if set(flavors) != {"python_function"}:
        raise SpecError(f"{where}: flavors {sorted(flavors)}, expected only python_function")
    conf = flavors["python_function"] or {}
    loader = conf.get("loader_module")
    if loader != loader_module:
        raise SpecError(f"{where}: its loader module is {loader!r}, not {loader_module} "
                        "(the store may have been tampered with)")
    for bad in ("code", "python_model", "cloudpickle_version", "model_code_path", "pickle_module_name"):
        if conf.get(bad):
            raise SpecError(f"{where}: the python_function flavor declares {bad!r} (code shipped in the store)")
    if conf.get("data") != "data/artifacts":
        raise SpecError(f"{where}: its data path is {conf.get('data')!r}, expected 'data/artifacts'")
    for f in folder.rglob("*"):
        if f.is_file() and (f.suffix.lower() in _CODE_SUFFIXES or f.name.startswith("__init__")):
            raise SpecError(f"{where}: it holds {f.relative_to(folder)} (code or a pickle)")
    _verify_signature(folder / "data" / "artifacts")
