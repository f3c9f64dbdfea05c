"""``d2lmomentum bench``: the performance targets, measured side by side in one process or run.

* P1: ``train_momentum(0.02, 0.5, num_epochs=2)`` whole call against the framework's
  chapter-literal loop fed the same weights and data order (its module in
  ``d2lmomentum.tools.baselines``) and against the NumPy oracle; with ``d2l_python``, also d2l 1.0.3's
  own ``train_ch11`` with the chapter's ``sgd_momentum`` (in a d2l process, timed there) and the
  drop-in's ``train_ch11`` with the same call (:mod:`d2lmomentum.tools.bench_d2l`).
* P2: the momentum update of one parameter of 2^24 float32 values (20 bytes of traffic per
  value: read p, v, g; write p, v) in GB/s, against the framework's own optimizers, the
  chapter's literal update and a NumPy copy (8 bytes per value) for the machine's bandwidth.
* P3: the chapter's code cells on one framework, on a fresh Jupyter kernel: seconds of cell
  time beyond the import of the framework's d2l module, and the kernel's peak memory. On
  TensorFlow, both with the reader's trainer run eagerly (the default) and compiled
  (``--compile``), in the same run. With ``d2l_python``, the cells that d2l can run too, on a
  kernel of that interpreter with ``from d2l import X as d2l``, between ours.
* P4: ``import d2lmomentum`` in a fresh interpreter, beyond the interpreter's own start.
* P5: ``d2lmomentum chapter --backend all`` end to end (kernels in parallel, page included),
  and the notebooks and page alone, without kernels.

Repetitions are interleaved (A B C A B C ...) after a warm-up, and medians are reported; every
ratio is of two medians measured in the same run. No figure comes from anywhere else, and
nothing here asserts on time.
"""
import argparse
import contextlib
import importlib
import io
import json
import os
import statistics
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

from d2lmomentum.backends import FRAMEWORKS, canonical_name, load
from d2lmomentum.book import chapter as chapters, pipeline, site
from d2lmomentum.dropin import COMPILE_READERS_TRAINER
from d2lmomentum.book.cells import TABS
from d2lmomentum.book.chapter import packaged_path
from d2lmomentum.book.kernels import KernelOptions, execute_notebook
from d2lmomentum.book.notebooks import SETUP_SOURCE
from d2lmomentum.book.report import REPORT_NAME, RunReport
from d2lmomentum.data import load_airfoil
from d2lmomentum.progress import ProgressBar
from d2lmomentum.tools import bench_d2l
from d2lmomentum.train import seeded_start, train_momentum


def _interleaved(fns, reps, sync=None, self_timed=()):
    """Median seconds of each callable in ``fns`` (a dict), run interleaved after one warm-up.
    The callables named in ``self_timed`` return their own seconds (another process's clock)."""
    times = {k: [] for k in fns}
    for f in fns.values():
        f()
    if sync:
        sync()
    for _ in range(reps):
        for k, f in fns.items():
            t0 = time.perf_counter()
            own = f()
            if sync:
                sync()
            times[k].append(own if k in self_timed else time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in times.items()}


def _baselines(framework):
    """The framework's benchmark baselines, ``d2lmomentum.tools.baselines.<framework>``."""
    return importlib.import_module(f"d2lmomentum.tools.baselines.{canonical_name(framework)}")


def bench_p1(framework, reps=5, data=None, seed=0, d2l_python=None):
    """P1 medians (seconds) and their ratios; with ``d2l_python``, d2l's ``train_ch11`` and the
    drop-in's, each with the packaged chapter's ``sgd_momentum`` (:data:`bench_d2l.P1_CALL`)."""
    X, y = load_airfoil(data)
    X, y = np.ascontiguousarray(X), np.ascontiguousarray(y)
    w0, orders = seeded_start(seed, len(X), X.shape[1], 2)
    literal = _baselines(framework).chapter_literal
    fns = {"d2lmomentum": lambda: train_momentum(0.02, 0.5, 2, backend=framework, data=(X, y), seed=seed),
           "chapter_literal": lambda: literal(X, y, 0.02, 0.5, w0, orders),
           "numpy_oracle": lambda: train_momentum(0.02, 0.5, 2, backend="numpy", data=(X, y), seed=seed)}
    if d2l_python is None:
        return _p1_result(_interleaved(fns, reps))
    setup = bench_d2l.p1_setup(bench_d2l.chapter_cells(chapters.load_chapter(), framework))
    ours = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(f"{setup}\n{bench_d2l.P1_SETUP_DATA}", ours)
    call = compile(bench_d2l.P1_CALL, "<P1 drop-in>", "exec")

    def dropin():
        with contextlib.redirect_stdout(io.StringIO()):
            exec(call, ours)

    with bench_d2l.D2LPython.workdir(data) as cwd, bench_d2l.D2LServer(d2l_python, framework, cwd) as d2l:
        d2l.run(f"{bench_d2l.to_d2l(setup)}\n{bench_d2l.P1_SETUP_DATA}")
        t = _interleaved({**fns, "dropin_train_ch11": dropin,
                          "d2l_train_ch11": lambda: d2l.time(bench_d2l.P1_CALL)}, reps, self_timed={"d2l_train_ch11"})
        printed = d2l.printed.strip().splitlines()
        d2l.close()
    return {**_p1_result(t), "d2l_notes": d2l.notes, "d2l_printed": printed[-1] if printed else ""}


def _p1_result(t):
    """The P1 medians ``t`` and every ratio of them the report prints."""
    r = {"seconds": t, "speedup_vs_chapter_literal": t["chapter_literal"] / t["d2lmomentum"],
         "times_numpy_oracle": t["d2lmomentum"] / t["numpy_oracle"]}
    if "d2l_train_ch11" in t:
        r["d2l_over_train_momentum"] = t["d2l_train_ch11"] / t["d2lmomentum"]
        r["d2l_over_dropin"] = t["d2l_train_ch11"] / t["dropin_train_ch11"]
    return r


def bench_p2(framework, log2n=24, reps=7, lr=0.01, momentum=0.9):
    B = load(framework)
    n = 1 << log2n
    rng = np.random.default_rng(0)
    p0, g0 = rng.standard_normal(n, dtype=np.float32), rng.standard_normal(n, dtype=np.float32)
    carry = ([B.parameter(p0)], [B.state(np.zeros(n, np.float32))])
    g = B.constant(g0)
    builtins, literal = _baselines(framework).update_variants(p0, g0, lr, momentum)
    src, dst = np.ones(n, np.float32), np.empty(n, np.float32)

    def ours():
        nonlocal carry
        carry = B.momentum_update_all(*carry, [g], lr, momentum)
        B.sync(carry)

    t = _interleaved({"d2lmomentum": ours,
                      **builtins, "chapter literal": literal,
                      "numpy copy": lambda: np.copyto(dst, src)}, reps, B.sync)
    gbs = {k: (8 if k == "numpy copy" else 20) * n / s / 1e9 for k, s in t.items()}
    best = max(builtins, key=gbs.get)
    return {"values": n, "GB_per_s": gbs, "fastest_builtin": best,
            "vs_fastest_builtin": gbs["d2lmomentum"] / gbs[best],
            "fraction_of_copy_bandwidth": gbs["d2lmomentum"] / gbs["numpy copy"]}


_P3_IMPORT = ("import json as _json, resource as _resource, time as _time\n_t0 = _time.perf_counter()\n"
              "_notes = {prepare}\nimport {module}\n"
              "print(_json.dumps({{'import_s': _time.perf_counter() - _t0, 'notes': _notes}}))")
_P3_PEAK = "print(_json.dumps({'peak_MiB': _resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss / 1024}))"


def bench_p3(framework, cells, compile=False, seed=0, d2l_python=None, data=None):
    """``cells`` (``[(index, source)]``, runnable on the drop-in) on a fresh kernel, after a cell
    that imports the framework's d2l module (timed apart) and before one that reads the
    kernel's peak memory; ``beyond_import_s`` sums the chapter's cells, ``cell_seconds`` each.
    With ``d2l_python``: d2l's side, ``from d2l import X as d2l``, on that interpreter's kernel,
    in a folder where d2l finds the airfoil data."""
    import nbformat
    module = bench_d2l.D2L_MODULES.get(framework, framework)  # d2l 1.0.3 has no JAX train_ch11: ours only
    if d2l_python is None:
        head = _P3_IMPORT.format(prepare="[]", module=f"d2lmomentum.{module}")
        sources = [source for _, source in cells]
    else:
        head = _P3_IMPORT.format(module=f"d2l.{module}", prepare=f"__import__('runpy').run_path("
                                 f"{bench_d2l.SIDE_SCRIPT!r})['prepare']({framework!r})")
        sources = [bench_d2l.to_d2l(source) for _, source in cells]
    v4 = nbformat.v4
    code = [SETUP_SOURCE.format(fmt="png"), head, *sources, _P3_PEAK]
    nb = v4.new_notebook(cells=[v4.new_code_cell(c) for c in code])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    env = KernelOptions(seed=seed, compile=compile).env()
    with contextlib.ExitStack() as stack:
        if d2l_python is None:
            cwd = stack.enter_context(tempfile.TemporaryDirectory())
        else:
            cwd = stack.enter_context(bench_d2l.D2LPython.workdir(data))
        run = execute_notebook(nb, cwd=cwd, env=env, python=d2l_python)
    if not run.ok:
        position, error = min(run.errors.items()) if run.errors else (None, run.error)
        where = f"cell {cells[position - 2][0]}: " if position is not None and 1 < position < len(nb.cells) - 1 else ""
        return {"error": where + error, "compile": compile}
    printed = {}
    for position in (1, len(nb.cells) - 1):  # their last printed line (a framework may print before it)
        text = "".join(o.get("text", "") for o in nb.cells[position].outputs if o.get("name") == "stdout")
        printed.update(json.loads(text.strip().splitlines()[-1]))
    seconds = {index: run.cell_seconds[position] for position, (index, _) in enumerate(cells, start=2)}
    return {"import_s": printed["import_s"], "beyond_import_s": sum(seconds.values()), "cell_seconds": seconds,
            "peak_MiB": printed["peak_MiB"], "notes": printed["notes"], "ok": True, "compile": compile}


def bench_p4(reps=7):
    def run(code):
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        return time.perf_counter() - t0, out
    check = ("import sys, d2lmomentum\n"
             "print(' '.join(m for m in ('torch', 'tensorflow', 'mxnet', 'matplotlib') if m in sys.modules))")
    bare, full = [], []
    for _ in range(reps):
        bare.append(run("pass")[0])
        t, out = run(check)
        full.append(t)
    return {"import_s": statistics.median(full) - statistics.median(bare),
            "interpreter_start_s": statistics.median(bare), "heavy_modules_loaded": out.split()}


def bench_p5(source_path, frameworks):
    """``d2lmomentum chapter --backend all`` end to end (one run each with ``--jobs`` the CPU
    count and 1, for the parallel gain), then the notebooks and page alone, without kernels."""
    result = {"frameworks": list(frameworks)}
    backend = "all" if set(frameworks) == set(TABS) else frameworks[0]
    with tempfile.TemporaryDirectory() as tmp:
        for jobs in (os.cpu_count() or 1, 1):
            t0 = time.perf_counter()
            r = subprocess.run([sys.executable, "-m", "d2lmomentum", "chapter", "--backend", backend,
                                "--source", str(source_path), "--jobs", str(jobs), "--out", f"{tmp}/j{jobs}"],
                               capture_output=True, text=True)
            result[f"end_to_end_s_jobs{jobs}"] = time.perf_counter() - t0
            result[f"ok_jobs{jobs}"] = r.returncode == 0
        t0 = time.perf_counter()
        linked = chapters.link([chapters.load_chapter(source_path)])
        pipeline.run(linked, {linked[0].name: f"{tmp}/page"}, list(frameworks), execute=False)
        result["page_build_s"] = time.perf_counter() - t0
    return result


def _book_runs(out):
    """The run reports of a book built into ``out``, read as objects."""
    return [RunReport.read(path) for path in sorted(Path(out).glob(f"*/*/{REPORT_NAME}"))]


def _edit_code_cell(path, frameworks):
    """Add a line at the end of ``path``'s first code cell that runs on every one of
    ``frameworks`` (else on the most of them): those frameworks' runs then differ."""
    code = [c for c in chapters.load_chapter(path).cells if c.kind == "code"]
    cell = max(code, key=lambda c: len(set(c.tabs) & set(frameworks)))  # the first of the widest
    lines = Path(path).read_text(encoding="utf-8").splitlines(keepends=True)  # as cells.parse numbers them
    end = next(i for i in range(cell.line, len(lines)) if lines[i].strip() == "```")  # cell.line: its fence, from 1
    lines.insert(end, "_bench_edit = 1\n")
    Path(path).write_text("".join(lines), encoding="utf-8")


def bench_p6(book_dir, frameworks, jobs=None):
    """``d2lmomentum book BOOK_DIR`` end to end on ``frameworks`` with ``jobs`` kernels (default:
    the CPU count), on a copy of the book's tree: the first build (seconds, runs ok), the same
    build again (every run reused from the cache), after a sentence added to one chapter's prose,
    and after one code cell shared by the frameworks changed in the fastest chapter whose runs
    pass (its runs alone execute); then the notebooks and pages alone, without kernels. Runs are
    read from each build's reports."""
    result = {"book": str(book_dir), "frameworks": list(frameworks), "jobs": jobs or os.cpu_count() or 1}
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        shutil.copytree(Path(book_dir).resolve().parent, tree, symlinks=True)
        book = tree / Path(book_dir).resolve().name

        def build(step):
            t0 = time.perf_counter()
            r = subprocess.run([sys.executable, "-m", "d2lmomentum", "book", str(book), "--backend",
                                ",".join(frameworks), "--jobs", str(result["jobs"]), "--out", f"{tmp}/run"],
                               capture_output=True, text=True)
            runs = _book_runs(f"{tmp}/run")
            result[step] = {"seconds": time.perf_counter() - t0, "runs": len(runs), "runs_ok": sum(r.ok for r in runs),
                            "executed": sum(not r.cached for r in runs), "exit_status": r.returncode}
            return runs

        runs = build("first_build")
        result.update(end_to_end_s=result["first_build"]["seconds"], runs=result["first_build"]["runs"],
                      runs_ok=result["first_build"]["runs_ok"], exit_status=result["first_build"]["exit_status"])
        build("unchanged_rebuild")
        seconds, failing = {}, {r.chapter for r in runs if not r.ok}
        for r in runs:
            seconds[r.chapter] = seconds.get(r.chapter, 0.0) + r.seconds
        fastest = min(seconds, key=lambda c: (c in failing, seconds[c]))  # the fastest whose runs pass
        with open(book / f"{fastest}.md", "a", encoding="utf-8") as f:
            f.write("\nA sentence added to the prose.\n")
        build("prose_edit")
        _edit_code_cell(book / f"{fastest}.md", frameworks)
        build("one_cell_edit")
        result["edited_chapter"] = fastest
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            site.build_book(book_dir, f"{tmp}/pages", list(frameworks), execute=False)
        result["page_build_s"] = time.perf_counter() - t0
    return result


def _worker(framework, quick, data, d2l_python=None):
    """P1 and P2 of one framework, in a process of its own (no other framework's threads)."""
    cmd = [sys.executable, "-m", "d2lmomentum.tools.bench", framework] + (["--quick"] if quick else []) + \
        (["--data", str(data)] if data is not None else []) + \
        (["--d2l-python", str(d2l_python)] if d2l_python is not None else [])
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        tail = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else f"exit {r.returncode}"
        return {"error": tail}, {"error": tail}
    res = json.loads(r.stdout.strip().splitlines()[-1])
    return res["P1"], res["P2"]


def run_bench(frameworks=FRAMEWORKS, quick=False, source=None, progress=False, data=None, d2l_python=None,
              book=None):
    """Every measurement, each framework's in fresh processes and kernels; returns a dict.
    ``quick``: fewer repetitions, smaller arrays, P3 on the first framework only, no P5 or P6.
    ``book``: a folder of d2l chapters for P6 (the whole book end to end; none: no P6).
    ``d2l_python``: an interpreter with d2l 1.0.3 (checked first: :class:`InvalidArgumentError`
    if it is not one); P1 and P3 then measure d2l's own code beside ours, in this run."""
    d2l = bench_d2l.D2LPython(d2l_python) if d2l_python is not None else None
    source = str(source or packaged_path())
    chapter = chapters.load_chapter(source)
    p3 = {}
    for fw in frameworks if not quick else frameworks[:1]:
        cells = bench_d2l.chapter_cells(chapter, fw)
        on_d2l = d2l is not None and fw in bench_d2l.D2L_MODULES
        kept, dropped = bench_d2l.shared_cells(cells, d2l.names[fw]) if on_d2l else (cells, [])
        p3[fw] = {"cells": [i for i, _ in kept], "dropped": dropped}
        runs = [("d2lmomentum", False), ("d2l", False)] if on_d2l else [("d2lmomentum", False)]
        runs += [("d2lmomentum --compile", True)] if fw in COMPILE_READERS_TRAINER else []
        p3[fw]["runs"] = [(name, compiled, kept) for name, compiled in runs]
    tasks = [("P12", f) for f in frameworks] + [("P3", (fw, run)) for fw in p3 for run in p3[fw].pop("runs")] + \
        [("P4", None)] + ([] if quick else [("P5", None)]) + ([("P6", None)] if book and not quick else [])
    results = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}, "quick": quick,
               "source": source, "d2l": None, "P1": {}, "P2": {}, "P3": p3, "P4": None, "P5": None, "P6": None}
    if d2l:
        results["d2l"] = {"python": d2l.path, "version": d2l.version, "python_version": d2l.python}
    bar = ProgressBar(len(tasks), progress, "bench", unit="task")
    for what, arg in tasks:
        if what == "P12":
            results["P1"][arg], results["P2"][arg] = _worker(
                arg, quick, data, d2l_python if arg in bench_d2l.D2L_MODULES else None)
        elif what == "P3":
            fw, (name, compiled, cells) = arg
            p3[fw][name] = bench_p3(fw, cells, compile=compiled, d2l_python=d2l_python if name == "d2l" else None,
                                    data=data)
        elif what == "P4":
            results["P4"] = bench_p4(reps=3 if quick else 7)
        elif what == "P5":
            results["P5"] = bench_p5(source, frameworks)
        else:
            results["P6"] = bench_p6(book, frameworks)
        bar.update(1)
    bar.close()
    for entry in p3.values():
        entry.update(_p3_ratios(entry))
    return results


def _p3_ratios(entry):
    """d2l's seconds beyond import over each of our runs', and the eager run's over the compiled one's."""
    beyond = {name: run["beyond_import_s"] for name, run in entry.items()
              if isinstance(run, dict) and "beyond_import_s" in run}
    ratios = {f"d2l_over_{name}": beyond["d2l"] / s for name, s in beyond.items() if name != "d2l" and "d2l" in beyond}
    if "d2lmomentum --compile" in beyond:
        ratios["eager_over_compile"] = beyond["d2lmomentum"] / beyond["d2lmomentum --compile"]
    return ratios


def _p1_lines(r):
    d2l = r["d2l"] is not None
    head = f"{'framework':<12}{'d2lmomentum':>12}{'literal':>10}{'numpy':>9}{'x faster':>10}{'x numpy':>9}"
    lines = ["P1  train_momentum(0.02, 0.5, 2 epochs), whole call, median seconds",
             head + (f"{'drop-in':>10}{'d2l':>9}{'d2l/ours':>10}{'d2l/drop-in':>13}" if d2l else "")]
    for fw, p in r["P1"].items():
        if "error" in p:
            lines.append(f"{fw:<12}error: {p['error']}")
            continue
        s = p["seconds"]
        line = (f"{fw:<12}{s['d2lmomentum']:>12.4f}{s['chapter_literal']:>10.4f}{s['numpy_oracle']:>9.4f}"
                f"{p['speedup_vs_chapter_literal']:>10.1f}{p['times_numpy_oracle']:>9.1f}")
        if d2l:
            line += (f"{s['dropin_train_ch11']:>10.4f}{s['d2l_train_ch11']:>9.4f}{p['d2l_over_train_momentum']:>10.1f}"
                     f"{p['d2l_over_dropin']:>13.1f}")
        lines.append(line)
    lines += ["  x faster: chapter-literal loop time / d2lmomentum time (same process, interleaved)",
              "  x numpy: d2lmomentum time / NumPy oracle time"]
    if d2l:
        lines += ["  drop-in, d2l: d2l.train_ch11(sgd_momentum, init_momentum_states(feature_dim), "
                  "{'lr': 0.02, 'momentum': 0.5}, data_iter, feature_dim, num_epochs=2) with the chapter's cells,",
                  "  on d2lmomentum's drop-in and on d2l's own code (its process, its clock), interleaved with ours",
                  *(f"  d2l {fw} printed: {p['d2l_printed']}" for fw, p in r["P1"].items() if p.get("d2l_printed"))]
    return lines


def _p2_lines(r):
    lines = ["P2  momentum update of one float32 parameter, GB/s at 20 bytes per value (copy: 8)"]
    for fw, p in r["P2"].items():
        if "error" in p:
            lines.append(f"{fw:<12}error: {p['error']}")
            continue
        lines.append(f"{fw:<12}" + ", ".join(f"{k} {v:.1f}" for k, v in p["GB_per_s"].items()))
        lines.append(f"{'':<12}=> {p['vs_fastest_builtin']:.2f}x the fastest built-in ({p['fastest_builtin']}), "
                     f"{100 * p['fraction_of_copy_bandwidth']:.0f}% of copy bandwidth")
    return lines


def _p3_lines(r):
    lines = [f"P3  the chapter's code cells on one framework, fresh kernel ({r['source']})"]
    for fw, entry in r["P3"].items():
        lines.append(f"{fw}: cells {', '.join(map(str, entry['cells']))}"
                     + (f"; not on d2l: {', '.join(f'{i} ({why})' for i, why in entry['dropped'])}"
                        if entry["dropped"] else ""))
        for name, p in entry.items():
            if not isinstance(p, dict):
                continue
            if "error" in p:
                lines.append(f"  {name:<22}error: {p['error']}")
                continue
            lines.append(f"  {name:<22}{p['beyond_import_s']:>7.3f} s beyond import ({p['import_s']:.2f} s import), "
                         f"peak {p['peak_MiB']:.0f} MiB")
        lines += [f"  => d2l / {name[len('d2l_over_'):]}: {v:.2f}x" for name, v in entry.items()
                  if name.startswith("d2l_over_")]
        if "eager_over_compile" in entry:
            lines.append(f"  => eager (the default) / --compile: {entry['eager_over_compile']:.2f}x")
    return lines


def _d2l_lines(r):
    d2l = r["d2l"]
    if d2l is None:
        return ["d2l not measured: add --d2l-python PATH, the python of an environment with d2l "
                f"{bench_d2l.D2L_VERSION} (make one with: {bench_d2l.ENV_COMMAND})"]
    notes = sorted({n for p in [*r["P1"].values(), *r["P3"].values()]
                    for n in p.get("d2l_notes", []) + p.get("d2l", {}).get("notes", [])})
    return [f"d2l {d2l['version']} measured side by side: {d2l['python']} (Python {d2l['python_version']})",
            *(f"  d2l side: {n}" for n in notes)]


def format_report(r):
    lines = [f"machine: {r['machine']['cpus']} CPUs, Python {r['machine']['python']}"
             + (" (quick run)" if r["quick"] else ""), *_d2l_lines(r),
             "", *_p1_lines(r), "", *_p2_lines(r), "", *_p3_lines(r)]
    p4 = r["P4"]
    lines += ["", f"P4  import d2lmomentum: {p4['import_s'] * 1000:.0f} ms beyond a bare interpreter start "
                  f"({p4['interpreter_start_s'] * 1000:.0f} ms); heavy modules loaded: "
                  f"{', '.join(p4['heavy_modules_loaded']) or 'none'}"]
    p5 = r["P5"]
    if p5:
        jobs = r["machine"]["cpus"] or 1
        lines += ["", f"P5  d2lmomentum chapter --backend {', '.join(p5['frameworks'])}: "
                      f"{p5[f'end_to_end_s_jobs{jobs}']:.1f} s end to end with --jobs {jobs} "
                      f"({p5['end_to_end_s_jobs1']:.1f} s with --jobs 1), ok: {p5[f'ok_jobs{jobs}']}; "
                      f"notebooks and page without kernels {p5['page_build_s']:.2f} s"]
    p6 = r.get("P6")
    if p6:
        lines += ["", f"P6  d2lmomentum book {p6['book']} --backend {','.join(p6['frameworks'])} --jobs {p6['jobs']}: "
                      f"{p6['end_to_end_s']:.1f} s end to end, {p6['runs_ok']}/{p6['runs']} runs ok "
                      f"(exit status {p6['exit_status']}); notebooks and pages without kernels "
                      f"{p6['page_build_s']:.2f} s"]
        lines += [f"    {step.replace('_', ' ')}: {p6[step]['seconds']:.1f} s, {p6[step]['executed']} of "
                  f"{p6[step]['runs']} runs executed" for step in ("unchanged_rebuild", "prose_edit", "one_cell_edit")
                  if step in p6]
    return "\n".join(lines)


def _worker_main(argv=None):
    """``python -m d2lmomentum.tools.bench FRAMEWORK [--quick] [--data PATH] [--d2l-python PATH]``:
    P1 and P2 as one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m d2lmomentum.tools.bench")
    parser.add_argument("framework", choices=FRAMEWORKS)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--data", default=None)
    parser.add_argument("--d2l-python", default=None)
    args = parser.parse_args(argv)
    print(json.dumps({"P1": bench_p1(args.framework, reps=2 if args.quick else 7, data=args.data,
                                     d2l_python=args.d2l_python),
                      "P2": bench_p2(args.framework, log2n=22 if args.quick else 24,
                                     reps=3 if args.quick else 7)}))


if __name__ == "__main__":
    _worker_main()
