"""Layers only point forward: the import graph of scorecard/ (imports inside functions counted) has no cycle.

fit -> explain -> tracking -> export -> serving (design.md, "One rule, one spec"): fitting
never imports MLflow, tracking never imports the registry, and ``import scorecard`` is lazy.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import scorecard

PACKAGE = Path(scorecard.__file__).parent
FITTING = ("binning", "selection", "model", "challenger", "counts", "_solver")


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """Ids of the nodes under ``if TYPE_CHECKING:`` (imports there are for annotations only)."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else None
            if name == "TYPE_CHECKING":
                for child in node.body:
                    skip.update(id(n) for n in ast.walk(child))
    return skip


def _imports(name: str, path: Path) -> set[str]:
    """Every module ``name`` imports, anywhere in its body (functions included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_nodes(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for a in node.names:
                found.add(f"{module}.{a.name}" if f"{module}.{a.name}" in MODULES else module)
    return found


def _internal(target: str) -> str | None:
    while target and target not in MODULES:
        if "." not in target:
            return None
        target = target.rpartition(".")[0]
    return target or None


def _graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Internal edges (a module imports a module, or the package ``__init__`` that runs first), and external imports."""
    internal: dict[str, set[str]] = {}
    external: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        deps, ext = set(), set()
        for target in _imports(name, path):
            mod = _internal(target)
            if mod is None:
                ext.add(target.partition(".")[0])
                continue
            parts = mod.split(".")
            for k in range(2, len(parts) + 1):  # a package's __init__ runs before its submodule
                dep = ".".join(parts[:k])
                if dep != name and not name.startswith(dep + "."):
                    deps.add(dep)
        internal[name], external[name] = deps, ext
    return internal, external


GRAPH, EXTERNAL = _graph()


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                    advanced = True
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def _reachable(start: str) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for w in GRAPH[todo.pop()]:
            if w not in seen:
                seen.add(w)
                todo.append(w)
    return seen


def test_the_walk_sees_imports_inside_functions():
    # registry imports export and tracking only inside functions: the walk must see both
    assert {"scorecard.export", "scorecard.tracking"} <= GRAPH["scorecard.registry"]
    assert "scorecard.tracking" in GRAPH["scorecard._serving"]
    assert len(MODULES) > 30


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_import_graph_has_no_cycle():
    cycles = _cycles(GRAPH)
    detail = [{m: sorted(GRAPH[m] & set(c)) for m in c} for c in cycles]
    assert not cycles, f"import cycles (imports inside functions count): {detail}"


@pytest.mark.parametrize("module", FITTING)
def test_fitting_never_imports_mlflow(module):
    reach = _reachable(f"scorecard.{module}")
    offenders = sorted(m for m in reach if "mlflow" in EXTERNAL[m])
    assert not offenders, f"scorecard.{module} reaches MLflow through {offenders}"
    assert "scorecard.tracking" not in reach and "scorecard.registry" not in reach


def test_tracking_never_imports_the_registry():
    assert "scorecard.registry" not in _reachable("scorecard.tracking")
    assert "scorecard.registry" not in _reachable("scorecard.export")


def test_model_kind_switches_import_no_model_class():
    """explain, tracking and export ask the model-kind interface, not isinstance on imported classes."""
    for module in ("explain", "tracking"):
        deps = GRAPH[f"scorecard.{module}"]
        assert not deps & {"scorecard.model", "scorecard.binning"}, (module, sorted(deps))
    assert "scorecard.model" not in GRAPH["scorecard.explain"]


def test_import_scorecard_is_lazy():
    code = (
        "import sys\n"
        "import scorecard\n"
        "assert not [m for m in sys.modules if m.startswith('scorecard.') and m != 'scorecard._version'], sorted(sys.modules)\n"
        "from scorecard import LogisticScorecard, WOEBinner\n"
        "heavy = [m for m in ('mlflow', 'shap', 'statsmodels', 'lightgbm') if m in sys.modules]\n"
        "print(','.join(heavy) or 'none')\n"
        "import scorecard.challenger, scorecard.selection, scorecard.counts\n"
        "print(','.join(m for m in ('mlflow', 'shap') if m in sys.modules) or 'none')\n"
        "print(scorecard.metrics.__name__, scorecard.GBMChallenger.__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         cwd=str(PACKAGE.parent))
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["none", "none", "scorecard.metrics", "GBMChallenger"], out.stdout


def test_unknown_attribute_of_the_package():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        scorecard.nope  # noqa: B018
    assert {"WOEBinner", "export", "__version__"} <= set(dir(scorecard))
