"""The public API's names, and which of them lack an ``Examples`` section that runs.

Used by ``tests/test_docs.py`` (the examples check) and by ``docs/conf.py`` (the API
reference lists the same modules). Public means: named in ``__all__`` of :mod:`scorecard` or
of a module whose dotted name has no part starting with ``_``; for a public class, its own
public methods (not those inherited from scikit-learn or the standard library).
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
import re
from types import ModuleType

EXAMPLES = re.compile(r"^\s*Examples?\s*\n\s*-{4,}\s*$", re.M)
SKIP_MODULES = {"scorecard.__main__"}


def public_modules(package: str = "scorecard") -> list[str]:
    """Dotted names of the public modules and packages under ``package`` (itself included), sorted."""
    root = importlib.import_module(package)
    names = [package]
    for info in pkgutil.walk_packages(root.__path__, prefix=package + "."):
        if any(part.startswith("_") for part in info.name.split(".")) or info.name in SKIP_MODULES:
            continue
        names.append(info.name)
    return sorted(names)


def _doc(obj: object) -> str:
    raw = getattr(obj, "__doc__", None)
    return inspect.cleandoc(raw) if isinstance(raw, str) else ""


def has_examples(obj: object) -> bool:
    """Whether the object's own docstring has a numpydoc ``Examples`` (or ``Example``) section.

    The section must hold at least one doctest example that runs: one whose every line is
    marked ``# doctest: +SKIP`` does not count.
    """
    text = _doc(obj)
    match = EXAMPLES.search(text)
    if not match:
        return False
    examples = doctest.DocTestParser().get_examples(text[match.end():])
    return any(not ex.options.get(doctest.SKIP, False) for ex in examples)


def _own_methods(cls: type) -> list[tuple[str, object]]:
    out = []
    for name, attr in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(attr, (staticmethod, classmethod)):
            attr = attr.__func__
        if inspect.isfunction(attr):
            out.append((name, attr))
    return sorted(out)


def public_objects(package: str = "scorecard") -> dict[str, object]:
    """``{qualified name: object}`` of every public function, class and method, by definition site."""
    found: dict[str, object] = {}
    seen: set[int] = set()
    for modname in public_modules(package):
        module: ModuleType = importlib.import_module(modname)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name, None)
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            if not getattr(obj, "__module__", "").startswith(package) or id(obj) in seen:
                continue
            seen.add(id(obj))
            qual = f"{obj.__module__}.{obj.__qualname__}"
            found[qual] = obj
            if inspect.isclass(obj):
                for mname, meth in _own_methods(obj):
                    found[f"{qual}.{mname}"] = meth
    return dict(sorted(found.items()))


def missing_examples(package: str = "scorecard") -> list[str]:
    """Qualified names of the public functions, classes and methods without an ``Examples`` section."""
    return [name for name, obj in public_objects(package).items() if not has_examples(obj)]
