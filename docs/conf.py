"""Sphinx configuration of the scorecard documentation site (``make docs``).

The API reference is written at build time from the package itself (``_public_api.py``):
one page per public module, listing the names of its ``__all__``, and an autosummary page for
every public function and class (a name re-exported by a parent package links to the page of
the module that defines it). The user guide is the workflow notebooks, rendered by myst-nb
without executing them: the executed copies in ``outputs/`` when ``make workflow`` made them,
else the committed notebooks (no outputs).
"""

from __future__ import annotations

import inspect
import os
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))
for _k, _v in {"MLFLOW_DISABLE_TELEMETRY": "true", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
               "MPLBACKEND": "Agg"}.items():
    os.environ.setdefault(_k, _v)

import _public_api  # noqa: E402
import warnings  # noqa: E402

# numpydoc's validation parses the raw docstrings, where ``Example`` (singular) is unknown; the
# rendered pages read it as ``Examples`` (see _example_heading below).
warnings.filterwarnings("ignore", message=r"Unknown section Example in ", category=UserWarning)
warnings.filterwarnings("ignore", message=r".*Add type hints to the `predict` method", category=UserWarning)

from scorecard._version import __version__  # noqa: E402

project = "scorecard"
author = "scorecard contributors"
copyright = "scorecard contributors"  # noqa: A001
version = release = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "myst_nb",
]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "**.ipynb_checkpoints", "missing_examples.txt"]
root_doc = "index"

# -- API reference ------------------------------------------------------------
autosummary_generate = True
autosummary_imported_members = True
autosummary_ignore_module_all = False
autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "none"  # the numpydoc Parameters sections say the types
add_module_names = False
numpydoc_show_class_members = False  # the class template documents the methods itself
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
# Broken docstrings fail the build (-W): unknown sections, malformed parameter lists and
# reST errors are warnings already. Style checks are kept to what a reader would notice.
# Broken docstrings fail the build through Sphinx's own warnings (-W): reST errors, unresolved
# references. Of numpydoc's checks only PR02 is on: a documented parameter the signature does not
# have (a renamed or removed argument, or text that numpydoc reads as parameters). Its style checks
# (parameter order, section order, type spelling) are off: they would fail the build on style alone.
numpydoc_validation_checks = {"PR02"}
numpydoc_validation_exclude = {
    r"\._[a-z]",
}

# -- notebooks and markdown ----------------------------------------------------
nb_execution_mode = "off"
nb_output_stderr = "remove"
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
suppress_warnings = [
    "myst.header",  # notebooks start at ## under the title; not an error for a reader
    "mystnb.unknown_mime_type",  # widget views and MLflow's display objects in executed notebooks
]

# -- HTML ---------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"scorecard {version}"
html_static_path: list[str] = []
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    # the left bar lists only the current section's branch: a full tree on each of ~200 pages is
    # the slowest part of the build
    "collapse_navigation": True,
    "navigation_depth": 2,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_show_sourcelink = False
# an explicit colour mode: the theme's script logs a console error when none is set
html_context = {"default_mode": "light"}


# -- generated sources ----------------------------------------------------------
def _canonical_module(obj: object, listed_in: list[str]) -> str:
    """The public module that documents ``obj``, among the modules whose ``__all__`` lists it.

    Where it is defined, else its nearest parent that lists it (``scorecard.validation`` for
    ``scorecard.validation._report.ValidationReport``), else the first sub-module that lists it
    (``scorecard.datasets`` for an object of the private ``scorecard._loans``).
    """
    mod = obj.__module__
    while True:
        if mod in listed_in:
            return mod
        if "." not in mod:
            break
        mod = mod.rsplit(".", 1)[0]
    deeper = [m for m in listed_in if m != "scorecard"]
    return (deeper or listed_in)[0]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _title(text: str, char: str = "=") -> str:
    return f"{text}\n{char * len(text)}\n"


def write_api_pages() -> None:
    """``api/index.rst`` and one ``api/<module>.rst`` per public module, from ``__all__``."""
    import importlib

    api = HERE / "api"
    modules = _public_api.public_modules()
    listed_in: dict[int, list[str]] = {}
    for modname in modules:
        module = importlib.import_module(modname)
        for name in getattr(module, "__all__", []):
            listed_in.setdefault(id(getattr(module, name, None)), []).append(modname)
    pages = []
    stubs: set[str] = set()
    for modname in modules:
        module = importlib.import_module(modname)
        own, linked, data = [], [], []
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name, None)
            if inspect.ismodule(obj):
                continue
            if inspect.isclass(obj) or inspect.isfunction(obj):
                home = _canonical_module(obj, listed_in[id(obj)])
                if home == modname:
                    own.append(name)
                else:
                    linked.append(f"{home}.{name}" if hasattr(importlib.import_module(home), name)
                                  else f"{obj.__module__}.{obj.__qualname__}")
            else:
                data.append(name)
        parts = [f".. _api-{modname}:\n", _title(f"``{modname}``"),
                 f".. automodule:: {modname}\n   :no-members:\n   :no-index:\n" if modname == "scorecard"
                 else f".. automodule:: {modname}\n   :no-members:\n"]
        parts.append(f".. currentmodule:: {modname}\n")
        stubs.update(f"{modname}.{n}.rst" for n in own)
        if own:
            classes = [n for n in own if inspect.isclass(getattr(module, n))]
            funcs = [n for n in own if n not in classes]
            for label, names in (("Classes", classes), ("Functions", funcs)):
                if names:
                    parts.append(_title(label, "-"))
                    parts.append(".. autosummary::\n   :toctree: generated\n   :nosignatures:\n\n"
                                 + "".join(f"   {n}\n" for n in names))
        if linked:
            parts.append(_title("Also available here", "-"))
            parts.append("Defined and documented in a sub-module, importable from this one too.\n\n"
                         ".. currentmodule:: None\n\n.. autosummary::\n   :nosignatures:\n\n" + "".join(f"   ~{n}\n" for n in linked))
        if data:
            parts.append(_title("Constants", "-"))
            parts.append("".join(f".. autodata:: {modname}.{n}\n   :no-value:\n\n" for n in data))
        _write(api / f"{modname}.rst", "\n".join(parts))
        pages.append(modname)
    # autosummary writes a stub page per name and never removes one: drop the stubs (and module
    # pages) of names no longer public, or Sphinx would try to document what is gone
    for stale in (api / "generated").glob("*.rst"):
        if stale.name not in stubs:
            stale.unlink()
    for stale in api.glob("scorecard*.rst"):
        if stale.stem not in pages:
            stale.unlink()
    index = [_title("API reference"),
             "Every public name of the package, module by module (names in each module's ``__all__``). "
             "Each function and class has its own page with a doctested example.\n",
             ".. toctree::\n   :maxdepth: 1\n\n" + "".join(f"   {p}\n" for p in pages)]
    _write(api / "index.rst", "\n".join(index))


def copy_notebooks() -> None:
    """The workflow notebooks into ``user-guide/notebooks/``: executed copies when ``outputs/`` has them.

    ``$SCORECARD_DOCS_OUTPUTS`` names another folder of executed notebooks; set to an empty
    string, the committed notebooks (no outputs) are rendered (the test build does this, so that
    its result does not depend on whether ``make workflow`` ran).
    """
    dest = HERE / "user-guide" / "notebooks"
    dest.mkdir(parents=True, exist_ok=True)
    outputs = os.environ.get("SCORECARD_DOCS_OUTPUTS", str(ROOT / "outputs"))
    for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        executed = Path(outputs) / nb.name if outputs else None
        fresh = executed is not None and executed.is_file() and executed.stat().st_mtime >= nb.stat().st_mtime
        src = executed if fresh else nb
        target = dest / nb.name
        if not target.exists() or target.read_bytes() != src.read_bytes():
            shutil.copyfile(src, target)
    for stale in dest.glob("*.ipynb"):
        if not (ROOT / "notebooks" / stale.name).exists():
            stale.unlink()


write_api_pages()
copy_notebooks()


def _example_heading(app, what, name, obj, options, lines) -> None:  # noqa: ANN001
    """``Example`` (singular), used by some docstrings, is numpydoc's ``Examples`` section."""
    for i, line in enumerate(lines[:-1]):
        if line.strip() == "Example" and set(lines[i + 1].strip()) == {"-"}:
            indent = line[: len(line) - len(line.lstrip())]
            lines[i] = indent + "Examples"
            lines[i + 1] = indent + "--------"


_LITERAL = re.compile(r"``[^`]+``")


def _summary_literals(app, what, name, obj, options, lines) -> None:  # noqa: ANN001
    """Keep autosummary from cutting the first sentence inside an inline literal (``J. Smith``).

    autosummary ends the summary at the first period followed by white space; within the literals
    of the first line a zero-width space after the period (not white space, invisible) avoids that.
    """
    if lines:
        lines[0] = _LITERAL.sub(lambda m: m.group(0).replace(". ", ".\u200b "), lines[0])


def _skip_foreign_members(app, what, name, obj, skip, options):  # noqa: ANN001
    """Leave out class members that scikit-learn generates (``set_fit_request`` ...): not ours."""
    if what == "class":
        target = getattr(obj, "fget", None) or getattr(obj, "__func__", None) or obj
        module = getattr(target, "__module__", None)
        if module and not module.startswith("scorecard"):
            return True
    return None


def setup(app):  # noqa: ANN001, ANN201
    app.connect("autodoc-process-docstring", _example_heading, priority=100)
    app.connect("autodoc-process-docstring", _summary_literals, priority=100)
    app.connect("autodoc-skip-member", _skip_foreign_members)
    return {"parallel_read_safe": True}
