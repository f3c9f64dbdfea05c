"""The ``d2lmomentum`` command (also ``python -m d2lmomentum``): it maps flags to the library's
parameters and prints what the library returns.

Errors are one line on stderr, ``d2lmomentum: error: ...``, with exit status 2 for bad input
and 1 for a failure while running; warnings are ``d2lmomentum: warning: ...`` lines. Every
line that carries a chapter's text or a file name shows its control characters as escapes
(:func:`~d2lmomentum.book.diagnostics.visible`): one line stays one line, and nothing in it drives
the terminal. SIGTERM stops a run as Ctrl-C does (its kernels shut down), with status 143.
"""
import argparse
import json
import signal
import sys
import threading
import time
from pathlib import Path

from d2lmomentum import quiet
from d2lmomentum._version import __version__
from d2lmomentum.backends import DEFAULT, NAMES
from d2lmomentum.book.cells import TABS
from d2lmomentum.book.diagnostics import collect_markup_warnings, visible
from d2lmomentum.book.kernels import DEFAULT_TIMEOUT
from d2lmomentum.book.notebooks import FORMATS
from d2lmomentum.book.options import BuildOptions, OptionError
from d2lmomentum.book.pipeline import check_frameworks, run_chapter, write_notebooks
from d2lmomentum.book.report import REPORT_NAME
from d2lmomentum.book.site import build_book
from d2lmomentum.errors import (BackendError, BackendNotInstalledError, D2LMomentumError,
                                InvalidArgumentError, InvalidTypeError)
from d2lmomentum.explorer import write_explorer
from d2lmomentum.tools import bench, parity
from d2lmomentum.tools.figures import write_all
from d2lmomentum.train import train_concise, train_momentum

PROG = "d2lmomentum"
BAD_INPUT = (InvalidArgumentError, InvalidTypeError, BackendError, BackendNotInstalledError)
_FRAMEWORK_LIST = f"a framework ({', '.join(TABS)}), a comma list of them, or all"


class UsageError(Exception):
    pass


class _Terminated(KeyboardInterrupt):
    """SIGTERM, stopping a run the way Ctrl-C does."""


def _terminate(signum, frame):
    raise _Terminated()


def _say(text, file=None):
    """Print one line, its control characters made visible."""
    print(visible(text), file=file, flush=True)


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _formatter(prog):
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=32)


def _sub(subparsers, name, help, example, common=()):
    """A subcommand with its help, an example, and the shared options named in ``common``."""
    p = subparsers.add_parser(name, help=help, description=f"{help}\n\nexample:\n  {example}",
                              formatter_class=_formatter)
    for option in common:
        p.add_argument(*_COMMON[option][0], **_COMMON[option][1])
    return p


_COMMON = {
    "dtype": (("--dtype",), dict(default="float32", choices=("float32", "float64"))),
    "data-dir": (("--data-dir",), dict(default=None, help="folder (or file) of airfoil_self_noise.dat")),
    "data-folder": (("--data-dir",), dict(default=None, metavar="FOLDER",
                                          help="folder of the data files a chapter's d2l.download asks for "
                                               "(default: the packaged airfoil data)")),
    "json": (("--json",), dict(action="store_true", help="print the result as JSON")),
    "source": (("--source",), dict(default=None, help="a d2l-format chapter file (default: the packaged momentum.md)")),
    "verbose": (("--verbose",), dict(action="store_true",
                                     help="let the frameworks' own log lines through (TensorFlow, absl, oneDNN)")),
    "compile": (("--compile",), dict(action="store_true",
                                     help="let the TensorFlow drop-in trace your trainer with tf.function: faster, "
                                          "but its Python side effects (print, counters) run once, at tracing")),
}


def _progress(args):
    return sys.stderr.isatty() and not getattr(args, "json", False)


def _cmd_train(args):
    train = train_concise if args.concise else train_momentum
    r = train(args.lr, args.momentum, args.epochs, backend=args.backend, seed=args.seed,
              batch_size=args.batch_size, nesterov=args.nesterov, data=args.data_dir,
              dtype=args.dtype, progress=_progress(args))
    print(json.dumps(r.to_dict(), indent=2) if args.json else str(r))
    return 0


def _cmd_parity(args):
    report = parity.run_parity(backends=check_frameworks(args.backend), dtype=args.dtype, data=args.data_dir,
                               progress=_progress(args))
    print(parity.to_json(report) if args.json else parity.format_table(report))
    return 0 if report["ok"] else 1


def _cmd_theory(args):
    import matplotlib
    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    for path in write_all(args.out, backend=args.backend, fmt=args.format, data=args.data_dir):
        print(path)
    return 0


def _default_out(prefix):
    return f"{prefix}-{time.strftime('%Y%m%d-%H%M%S')}"


#: The flag that sets each option of :class:`~d2lmomentum.book.options.BuildOptions`.
FLAGS = {"fmt": "--format", "timeout": "--timeout", "jobs": "--jobs", "seed": "--seed", "verbose": "--verbose",
         "compile": "--compile", "data_dir": "--data-dir", "rerun": "--rerun", "force": "--force", "frameworks": "--backend",
         "source_dir": "SOURCE_DIR", "out_dir": "--out"}


def _options(args):
    """The pipeline's options from a kernel command's flags."""
    return BuildOptions(fmt=args.format, timeout=args.timeout, jobs=args.jobs, seed=args.seed, verbose=args.verbose,
                        compile=args.compile, data_dir=args.data_dir, rerun=args.rerun,
                        force=args.force)


def _reused(report):
    """`` (reused, ran 2026-12-06 18:20:11 UTC)`` for a run taken from the cache, else ``""``."""
    return f" (reused, ran {report.ran_when})" if report.cached else ""


def _run_line(report):
    """``17/17 cells ok, 3 figures, 4.2 s``, and whether it was reused."""
    figures = sum(len(c.figures) for c in report.cells)
    return (f"{sum(c.ok for c in report.cells)}/{len(report.cells)} cells ok, {figures} figures, "
            f"{report.seconds:.1f} s{_reused(report)}")


def _print_run(chapter, framework, report):
    """One progress line per finished run: ``gd/pytorch: 17/17 cells ok, 3 figures, 4.2 s``."""
    _say(f"{chapter.name}/{framework}: {_run_line(report)}")


def _failures(result):
    """Each failed run's error lines: every failing cell with its line in the chapter file."""
    lines = []
    for (chapter, fw), report in result.reports.items():
        if report is None or report.ok:
            continue
        for cell in report.cells:
            if cell.failed:
                lines.append(f"{chapter}/{fw}: cell {cell.index} (line {cell.line}) failed: {cell.error}")
        if not report.failed_cells:
            lines.append(f"{chapter}/{fw}: {report.error}")
    return lines


def _run_and_report(run, args):
    """``run()``, then its warnings; they are printed when it raises too (its error may point at them)."""
    warned = []
    try:
        with collect_markup_warnings() as warned:
            result = run()
    finally:
        _print_warnings(warned)
    _print_sources(result)
    return result


def _print_sources(result):
    """Which ``config.ini`` and ``.bib`` files the chapters were read with, one line per distinct pair."""
    seen = dict.fromkeys((c.source.config.path, c.source.bib_files) for c in result.chapters)
    for config, bibs in seen:
        _say(f"read: settings {config or 'none (no config.ini: d2lbook defaults)'}; "
             f"bibliography {', '.join(map(str, bibs)) or 'none but the packaged one'}")


def _nothing_ran(result, frameworks):
    """A warning for a chapter that was to run but has no code cell on any asked framework."""
    if not result.reports:
        chapter = result.chapters[0]
        tabs = sorted({t for c in chapter.cells if c.kind == "code" for t in c.tabs})
        return (f"{chapter.path}: no code cell for {frameworks} (its code cells are for "
                f"{', '.join(tabs) or 'no framework'}); nothing ran")
    return None


def _summary(result, out):
    for (chapter, fw), report in result.reports.items():
        folder = result.notebooks[chapter, fw].parent
        if report is None:
            _say(result.notebooks[chapter, fw])
            continue
        _say(f"{fw}: {_run_line(report)} -> {folder / REPORT_NAME}")


def _cmd_chapter(args):
    out = args.out or _default_out("d2lmomentum-chapter")
    result = _run_and_report(lambda: run_chapter(args.source, out, args.backend, options=_options(args),
                                                 progress=_progress_bar()), args)
    _summary(result, out)
    _say(f"index: {result.pages[result.chapters[0].name]}")
    return _print_failures(_failures(result), _nothing_ran(result, args.backend))


def _cmd_notebooks(args):
    result = _run_and_report(lambda: write_notebooks(args.source, args.out, args.backend, execute=args.execute,
                                                     options=_options(args), progress=_progress_bar()), args)
    _summary(result, args.out)
    return _print_failures(_failures(result), _nothing_ran(result, args.backend) if args.execute else None)


def _cmd_book(args):
    out = args.out or _default_out("d2lmomentum-book")
    t0 = time.perf_counter()
    result = _run_and_report(lambda: build_book(args.source_dir, out, args.backend, options=_options(args),
                                                progress=_progress_bar(), on_run=_print_run), args)
    runs = [r for r in result.reports.values() if r is not None]
    reused = sum(r.cached for r in runs)
    _say(f"book: {len(result.pages)} chapters, {sum(r.ok for r in runs)}/{len(runs)} runs ok"
          f"{f' ({reused} reused)' if reused else ''}, {time.perf_counter() - t0:.1f} s -> {result.index}")
    return _print_failures(_failures(result))


def _progress_bar():
    return sys.stderr.isatty()


def _print_warnings(messages):
    for message in messages:
        _say(f"{PROG}: warning: {message}", file=sys.stderr)


def _print_failures(failures, nothing_ran=None):
    """Print each failure as an error line (and why nothing ran, if so); the exit status (1 if any)."""
    for line in failures:
        _say(f"{PROG}: error: {line}", file=sys.stderr)
    if nothing_ran:
        _say(f"{PROG}: error: {nothing_ran}", file=sys.stderr)
    return 1 if failures or nothing_ran else 0


def _cmd_explore(args):
    print(write_explorer(args.out))
    return 0


def _cmd_bench(args):
    results = bench.run_bench(check_frameworks(args.backend), quick=args.quick, source=args.source,
                              progress=_progress(args), data=args.data_dir, d2l_python=args.d2l_python,
                              book=args.book)
    print(json.dumps(results, indent=2) if args.json else bench.format_report(results))
    return 0


def build_parser():
    p = _Parser(prog=PROG, formatter_class=_formatter,
                description="The Momentum chapter of d2l on MXNet, PyTorch, TensorFlow and JAX.\n\n"
                            "example:\n  d2lmomentum chapter --backend all --out out")
    p.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    t = _sub(sub, "train", "train the chapter's model with momentum and print d2l's line",
             "d2lmomentum train --backend mxnet --lr 0.01 --momentum 0.9 --seed 0",
             ("dtype", "data-dir", "json", "verbose"))
    t.add_argument("--backend", default=None, help=f"{', '.join(NAMES)} (default: {DEFAULT})")
    t.add_argument("--lr", type=float, default=0.02, help="learning rate > 0 (default 0.02)")
    t.add_argument("--momentum", type=float, default=0.5, help="momentum in [0, 1) (default 0.5)")
    t.add_argument("--epochs", type=int, default=2, help="number of epochs (default 2)")
    t.add_argument("--batch-size", type=int, default=10, help="minibatch size (default 10)")
    t.add_argument("--seed", type=int, default=None, help="seed for weights and data order")
    t.add_argument("--nesterov", action="store_true", help="Nesterov momentum")
    t.add_argument("--concise", action="store_true", help="use the framework's own SGD optimizer")
    t.set_defaults(func=_cmd_train)

    q = _sub(sub, "parity", "compare every backend and path with the NumPy oracle",
             "d2lmomentum parity --dtype float64 --json", ("dtype", "data-dir", "json", "verbose"))
    q.add_argument("--backend", default="all", help=f"{_FRAMEWORK_LIST} (default all)")
    q.set_defaults(func=_cmd_parity)

    th = _sub(sub, "theory", "write the theory figures (convergence region, rates, exercises 2 and 4)",
              "d2lmomentum theory --out figures --backend numpy", ("data-dir", "verbose"))
    th.add_argument("--out", required=True, help="folder for the figures")
    th.add_argument("--backend", default=None, help="backend for exercise 4's training runs")
    th.add_argument("--format", default="png", choices=FORMATS)
    th.set_defaults(func=_cmd_theory)

    ch = _sub(sub, "chapter", "run a chapter on each framework's Jupyter kernel; write the executed notebooks, "
              "figures, reports and an offline index.html",
              "d2lmomentum chapter --backend pytorch,tensorflow --out out",
              ("source", "data-folder", "verbose", "compile"))
    ch.add_argument("--backend", default=DEFAULT, help=f"{_FRAMEWORK_LIST} (default: {DEFAULT})")
    ch.add_argument("--out", default=None, help="output folder (default: a new folder here)")
    _kernel_options(ch, "")
    ch.set_defaults(func=_cmd_chapter)

    nb = _sub(sub, "notebooks", "write a chapter's notebooks, OUT/<framework>/<chapter>-<framework>.ipynb "
              "(optionally executed: what 'chapter' writes, less the page)",
              "d2lmomentum notebooks --out nb --backend pytorch --execute",
              ("source", "data-folder", "verbose", "compile"))
    nb.add_argument("--out", required=True, help="output folder")
    nb.add_argument("--backend", default="all", help=f"{_FRAMEWORK_LIST} (default all)")
    nb.add_argument("--execute", action="store_true", help="run each notebook on a Jupyter kernel")
    _kernel_options(nb, "with --execute: ")
    nb.set_defaults(func=_cmd_notebooks)

    bk = _sub(sub, "book", "build a folder of d2l chapters (in its index.md's toc order) as one offline book: "
              "OUT/index.html and OUT/<chapter>/ as 'chapter' writes it",
              "d2lmomentum book ../d2l-en/chapter_optimization --out book --backend all",
              ("data-folder", "verbose", "compile"))
    bk.add_argument("source_dir", metavar="SOURCE_DIR", help="the folder of the book's chapters (with its index.md)")
    bk.add_argument("--out", default=None, help="output folder (default: a new folder here)")
    bk.add_argument("--backend", default=DEFAULT, help=f"{_FRAMEWORK_LIST} (default: {DEFAULT})")
    _kernel_options(bk, "")
    bk.set_defaults(func=_cmd_book)

    be = _sub(sub, "bench", "measure speed against the chapter-literal loops, built-ins, the NumPy oracle and, "
              "with --d2l-python, d2l's own code",
              "d2lmomentum bench --quick --backend pytorch", ("data-dir", "json", "verbose"))
    be.add_argument("--backend", default="all", help=f"{_FRAMEWORK_LIST} (default all)")
    be.add_argument("--quick", action="store_true", help="fewer repetitions and smaller arrays (under a minute)")
    be.add_argument("--source", default=None, help="chapter for P3 (default: the packaged momentum.md)")
    be.add_argument("--d2l-python", default=None, metavar="PATH",
                    help="python of an environment with d2l 1.0.3: measure d2l's own code beside ours in P1 and P3 "
                         "(make one: python -m d2lmomentum.tools.d2l_env DIR)")
    be.add_argument("--book", default=None, metavar="SOURCE_DIR",
                    help="P6: a folder of d2l chapters built as a book end to end, and its pages alone")
    be.set_defaults(func=_cmd_bench)

    ex = _sub(sub, "explore", "write the interactive momentum explorer (one offline HTML page)",
              "d2lmomentum explore --out explorer", ())
    ex.add_argument("--out", required=True, help="output folder for explorer.html and its assets")
    ex.set_defaults(func=_cmd_explore)
    return p


def _kernel_options(parser, when):
    """The options of a command that runs chapters on Jupyter kernels (``when``: a help prefix)."""
    parser.add_argument("--format", default="png", choices=FORMATS, help="figure format")
    parser.add_argument("--seed", type=int, default=0,
                        help=f"{when}seed of the drop-in's data order and initial weights, so figures repeat "
                             "(default 0)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"{when}seconds a cell may run before it is interrupted (default {DEFAULT_TIMEOUT})")
    parser.add_argument("--force", action="store_true",
                        help="write into --out although it holds files d2lmomentum did not write (files of the same "
                             "names are replaced; no other file is touched)")
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help=f"{when}kernels at a time, each running one chapter on one framework "
                             "(default: the CPU count)")
    parser.add_argument("--rerun", action="store_true",
                        help=f"{when}execute every run again: none is reused from OUT/.d2lmomentum/cache "
                             "(a run whose cells, framework, seed, --compile and data are unchanged is reused)")


def _flag_name(message):
    """A library message that begins with a parameter's name (``seed must …``, from the core's
    checks): say the flag a user typed."""
    for param, flag in FLAGS.items():
        if message.startswith(param + " "):
            return flag + message[len(param):]
    return message


def _check_paths(args):
    """Paths given on the command line: the data must exist, an output folder must not be a file."""
    data = getattr(args, "data_dir", None)
    if data is not None and hasattr(args, "timeout") and not Path(data).is_dir():  # a kernel command
        raise InvalidArgumentError(f"--data-dir {data}: no such folder (give the folder that holds the data "
                                   "files a chapter downloads)")
    if data is not None and not Path(data).exists():
        raise InvalidArgumentError(f"--data-dir {data}: no such file or folder (it should hold "
                                   "airfoil_self_noise.dat)")
    out = getattr(args, "out", None)
    if out is not None and Path(out).exists() and not Path(out).is_dir():
        raise InvalidArgumentError(f"--out {out} is a file; give a folder (it is created if missing)")


def main(argv=None):
    parser = build_parser()
    previous = signal.signal(signal.SIGTERM, _terminate) if _main_thread() else None
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 2
        _check_paths(args)
        if getattr(args, "verbose", False):
            quiet.set_verbose(True)
        return args.func(args)
    except UsageError as e:
        _say(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    except OptionError as e:
        _say(f"{PROG}: error: {FLAGS.get(e.param, e.param)} {e.detail}", file=sys.stderr)
        return 2
    except BAD_INPUT as e:
        _say(f"{PROG}: error: {_flag_name(str(e))}", file=sys.stderr)
        return 2
    except D2LMomentumError as e:
        _say(f"{PROG}: error: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        _say(f"{PROG}: error: {e.strerror or e}: {e.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
    except _Terminated:
        _say(f"{PROG}: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:
        _say(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    finally:
        quiet.set_verbose(False)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main_thread():
    return threading.current_thread() is threading.main_thread()


if __name__ == "__main__":
    sys.exit(main())
