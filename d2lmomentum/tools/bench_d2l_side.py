"""The d2l side of ``d2lmomentum bench --d2l-python PATH``: run by *that* interpreter, as a
script (``PATH bench_d2l_side.py probe|serve FRAMEWORK``) or through ``runpy`` in its Jupyter
kernel, so it imports nothing but the standard library and d2l (never d2lmomentum).

* ``probe``: one JSON line: d2l's version, whether ipykernel is there, and the top-level names
  of each of d2l's framework modules, read from their source with ``ast`` (no framework imported).
* ``serve FRAMEWORK``: a loop over JSON lines on stdin, ``{"run": SOURCE, "timed": BOOL}``:
  executes SOURCE in one namespace and answers one JSON line on the original stdout,
  ``{"seconds": …}`` (the ``exec`` alone, by ``time.perf_counter``) or ``{"error": …}``.
  What the code prints (d2l's ``loss: …, … sec/epoch`` line, its figures' reprs) is kept from
  the answers and returned as ``printed``.

:func:`prepare` makes d2l 1.0.3's modules importable beside this project's stack, and says
what it did: numpy's aliases removed in 1.24 (``numpy.bool`` …) are restored for mxnet 1.9.1,
and, where ``import torchvision`` fails (PyPI's torchvision does not load beside torch 2.13),
an empty ``torchvision`` module with an empty ``transforms`` stands in: ``d2l.torch`` imports
both at the top but the optimization chapter never uses them.
"""
import ast
import builtins
import contextlib
import io
import json
import os
import sys
import time
import types

#: d2l's module for each framework (``from d2l import torch as d2l``).
D2L_MODULES = {"pytorch": "torch", "tensorflow": "tensorflow", "mxnet": "mxnet"}
_REMOVED_ALIASES = ("bool", "int", "float", "object", "str", "complex")


def _restore_numpy_aliases():
    import numpy
    missing = [a for a in _REMOVED_ALIASES if a not in numpy.__dict__]
    for alias in missing:
        setattr(numpy, alias, getattr(builtins, alias))
    return ["numpy aliases " + ", ".join(missing) + " restored for mxnet"] if missing else []


def _stub_torchvision():
    try:
        import torchvision  # noqa: F401
    except Exception as e:  # missing, or PyPI's build failing beside this torch
        stub = types.ModuleType("torchvision")
        stub.transforms = types.ModuleType("torchvision.transforms")
        sys.modules.update({"torchvision": stub, "torchvision.transforms": stub.transforms})
        return [f"torchvision stub (import torchvision: {type(e).__name__}); "
                "d2l.torch imports it, the chapter never uses it"]
    return []


#: What each framework's d2l module needs before its import here.
_PREPARE = {"mxnet": (_restore_numpy_aliases,), "pytorch": (_stub_torchvision,)}


def prepare(framework):
    """Make ``d2l.<module>`` of ``framework`` importable; returns what was done, one note each."""
    return [note for step in _PREPARE.get(framework, ()) for note in step()]


def bound_names(tree):
    """The names a module (an ``ast.Module``) binds at its top level: defs, classes, imports,
    assignment and loop targets."""
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        else:
            targets = getattr(node, "targets", None) or [getattr(node, "target", None)]
            names.update(n.id for t in targets if t is not None for n in ast.walk(t)
                         if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store))
    return names


def probe():
    import importlib.util
    import d2l
    folder = os.path.dirname(d2l.__file__)
    return {"version": getattr(d2l, "__version__", None), "python": sys.version.split()[0],
            "ipykernel": importlib.util.find_spec("ipykernel") is not None,
            "names": {fw: sorted(bound_names(_parse(os.path.join(folder, f"{module}.py"))))
                      for fw, module in D2L_MODULES.items()}}


def _parse(path):
    with open(path, encoding="utf-8") as f:
        return ast.parse(f.read())


def serve(framework, requests, answers):
    """Answer each JSON request line of ``requests`` on ``answers`` (see the module docstring)."""
    answers.write(json.dumps({"notes": prepare(framework)}) + "\n")
    answers.flush()
    namespace = {"__name__": "__main__"}
    for line in requests:
        request = json.loads(line)
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                code = compile(request["run"], "<d2l side>", "exec")
                t0 = time.perf_counter()
                exec(code, namespace)
                seconds = time.perf_counter() - t0
            answer = {"seconds": seconds, "printed": printed.getvalue()[-2000:]}
        except Exception as e:
            answer = {"error": f"{type(e).__name__}: {e}".splitlines()[0]}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


def main(argv):
    if argv[:1] == ["probe"]:
        print(json.dumps(probe()))
    elif argv[:1] == ["serve"] and len(argv) == 2 and argv[1] in D2L_MODULES:
        answers = os.fdopen(os.dup(1), "w")
        os.dup2(2, 1)  # anything else written to stdout (C++ logs) goes to stderr, not into the answers
        serve(argv[1], sys.stdin, answers)
    else:
        sys.exit(f"usage: {os.path.basename(__file__)} probe | serve {{{','.join(D2L_MODULES)}}}")


if __name__ == "__main__":
    main(sys.argv[1:])
