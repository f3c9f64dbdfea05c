"""The package's shape: its parts import only downward, with no import cycle, counting imports
inside functions and the package ``__init__``s they run; imports inside functions only of heavy
third-party packages; framework-specific branches only in the adapters and drop-ins."""
import ast
import re
from pathlib import Path

import pytest

from _helpers import REPO

# folder in the repository -> its module name once installed
_BASES = {"d2lmomentum": "d2lmomentum", "backends": "d2lmomentum.backends", "chapter": "d2lmomentum.chapter"}
# The parts, lowest first: a module may import its own part and the parts below it.
_PARTS = ("core", "dropin", "explorer", "book", "tools", "cli")
_DROPIN_SHIMS = ("d2lmomentum.torch", "d2lmomentum.tensorflow", "d2lmomentum.mxnet", "d2lmomentum.jax")
# Heavy third-party packages, imported only when a function needs them (tqdm.auto probes for
# Jupyter and ipywidgets; matplotlib_inline imports IPython).
_HEAVY = ("torch", "tensorflow", "keras", "mxnet", "jax", "optax", "matplotlib", "matplotlib_inline", "nbclient", "nbformat",
          "jupyter_client", "ipykernel", "ipywidgets", "IPython", "pygments", "pybtex", "playwright", "tqdm")
# Own modules a function imports because they import heavy packages at their top:
# the explorer's ipywidgets version (ipywidgets, matplotlib).
_HEAVY_OWN = {("d2lmomentum.explorer", "d2lmomentum.explorer.widgets")}
# Scripts run by another interpreter (d2l's, for the bench), which import what that one has.
_OTHER_INTERPRETER = ("d2lmomentum.tools.bench_d2l_side",)


def _modules():
    """module name -> path, for every ``.py`` file of the package's folders."""
    found = {}
    for folder, prefix in _BASES.items():
        for path in sorted((REPO / folder).rglob("*.py")):
            parts = list(path.relative_to(REPO / folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join([prefix, *parts])] = path
    return found


MODULES = _modules()


def _imports(path, module):
    """``[(imported module name, inside a function?)]`` of every import statement in ``path``."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                found.extend((alias.name, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parts = package.split(".")[:len(package.split(".")) - child.level + 1]
                    base = ".".join(parts + ([base] if base else []))
                for alias in child.names:
                    full = f"{base}.{alias.name}"
                    found.append((full if full in MODULES else base, in_function))
            visit(child, nested)

    visit(tree, False)
    return found


def _own(name):
    """The package module ``name`` names (a function or class import names its module), or None."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _with_packages(name):
    """``name`` and the package ``__init__``s importing it runs (``a.b.c`` -> ``a``, ``a.b``, ``a.b.c``)."""
    parts = name.split(".")
    return [".".join(parts[:k]) for k in range(1, len(parts) + 1) if ".".join(parts[:k]) in MODULES]


def _graph():
    edges = {m: set() for m in MODULES}
    for module, path in MODULES.items():
        own_packages = set(_with_packages(module))
        for name, _ in _imports(path, module):
            target = _own(name)
            if target is not None:
                edges[module].update(m for m in _with_packages(target) if m != module and m not in own_packages)
    return edges


def _cycles(edges):
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def connect(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            connect(v)
    return found


def _part(module):
    if module in _DROPIN_SHIMS:
        return "dropin"
    if module == "d2lmomentum.__main__":
        return "cli"
    second = module.split(".")[1] if module.count(".") else ""
    return second if second in _PARTS else "core"


def test_the_walk_sees_the_whole_package_and_every_kind_of_import():
    assert {"d2lmomentum", "d2lmomentum.backends", "d2lmomentum.book.pipeline", "d2lmomentum.cli.main",
            "d2lmomentum.chapter"} <= set(MODULES)
    edges = _graph()
    # a from-import of a function names its module; a package's __init__ comes along
    assert "d2lmomentum.book.kernels" in edges["d2lmomentum.book.pipeline"]
    assert "d2lmomentum.book" in edges["d2lmomentum.cli.main"]
    # the walker finds a cycle where there is one (a self-check on a made-up graph)
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle():
    assert _cycles(_graph()) == []


def test_each_part_imports_only_its_own_part_and_the_parts_below():
    upward = [f"{m} ({_part(m)}) imports {t} ({_part(t)})"
              for m, targets in _graph().items() for t in targets
              if _PARTS.index(_part(t)) > _PARTS.index(_part(m))]
    assert upward == []


def test_imports_inside_functions_are_only_of_heavy_third_party_packages():
    inside = [f"{m}: {name}" for m, path in MODULES.items() if m not in _OTHER_INTERPRETER
              for name, in_function in _imports(path, m)
              if in_function and name.split(".")[0] not in _HEAVY and (m, _own(name)) not in _HEAVY_OWN]
    assert inside == []


_FRAMEWORK_BRANCH = re.compile(r"""(==|!=)\s*["'](mxnet|pytorch|tensorflow|torch|tf|mx)["']|"""
                               r"""["'](mxnet|pytorch|tensorflow|torch|tf|mx)["']\s*(==|!=)""")


@pytest.mark.parametrize("module", [m for m in MODULES if _part(m) != "dropin" and not m.startswith(
    "d2lmomentum.backends")])
def test_no_framework_branch_outside_the_adapters_and_drop_ins(module):
    text = MODULES[module].read_text(encoding="utf-8")
    assert not _FRAMEWORK_BRANCH.findall(text)
