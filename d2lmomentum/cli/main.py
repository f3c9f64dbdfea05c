"""The ``d2lmomentum`` command (also ``python -m d2lmomentum``).

Errors are one line on stderr, ``d2lmomentum: error: ...``, with exit status 2 for bad
input and 1 for a failure while running.
"""
import argparse
import json
import sys

from d2lmomentum import envvars
from d2lmomentum._version import __version__
from d2lmomentum.errors import (BackendError, BackendNotInstalledError, D2LMomentumError,
                                InvalidArgumentError, InvalidTypeError)

PROG = "d2lmomentum"
BAD_INPUT = (InvalidArgumentError, InvalidTypeError, BackendError, BackendNotInstalledError)


class UsageError(Exception):
    pass


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
    "json": (("--json",), dict(action="store_true", help="print the result as JSON")),
    "source": (("--source",), dict(default=None, help="a d2l-format chapter file (default: the packaged momentum.md)")),
    "verbose": (("--verbose",), dict(action="store_true",
                                     help="let the frameworks' own log lines through (TensorFlow, absl, oneDNN)")),
    "compile": (("--compile",), dict(action="store_true",
                                     help="let the TensorFlow drop-in trace your trainer with tf.function: faster, "
                                          "but its Python side effects (print, counters) run once, at tracing")),
}


def _cmd_train(args):
    from d2lmomentum.train import train_concise, train_momentum
    train = train_concise if args.concise else train_momentum
    r = train(args.lr, args.momentum, args.epochs, backend=args.backend, seed=args.seed,
              batch_size=args.batch_size, nesterov=args.nesterov, data=args.data_dir,
              dtype=args.dtype, progress=sys.stderr.isatty() and not args.json)
    print(json.dumps(r.to_dict(), indent=2) if args.json else str(r))
    return 0


def _cmd_parity(args):
    from d2lmomentum.tools import parity
    from d2lmomentum.backends import FRAMEWORKS
    backends = FRAMEWORKS if args.backend == "all" else (_canonical(args.backend),)
    report = parity.run_parity(backends=backends, dtype=args.dtype, data=args.data_dir,
                               progress=sys.stderr.isatty() and not args.json)
    print(parity.to_json(report) if args.json else parity.format_table(report))
    return 0 if report["ok"] else 1


def _cmd_theory(args):
    from d2lmomentum.tools.figures import write_all
    _prepare_matplotlib()
    for path in write_all(args.out, backend=args.backend, fmt=args.format, data=args.data_dir):
        print(path)
    return 0


def _prepare_matplotlib():
    import matplotlib
    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")


def _frameworks(name):
    from d2lmomentum.book.cells import TABS, check_tabs
    return list(TABS) if name == "all" else list(check_tabs([name], "--backend", " or all"))


def _source(path):
    """The chapter's text and its own ``.bib`` files: ``path`` and a ``.bib`` of the same name
    beside it, or the packaged momentum.md (whose bibliography is always read)."""
    from pathlib import Path
    from d2lmomentum.book.runner import default_source
    if path is None:
        return default_source().read_text(encoding="utf-8"), []
    p = Path(path)
    if not p.is_file():
        raise InvalidArgumentError(f"--source {path}: no such file (give a d2l-format markdown chapter)")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise InvalidArgumentError(f"--source {path}: not UTF-8 text ({e.reason} at byte {e.start}); "
                                   "save the chapter as UTF-8") from None
    bib = p.with_suffix(".bib")
    return text, [bib] if bib.is_file() else []


def _default_out(prefix):
    import time
    return f"{prefix}-{time.strftime('%Y%m%d-%H%M%S')}"


def _cmd_chapter(args):
    from pathlib import Path
    from d2lmomentum.book.page.references import collect_markup_warnings
    from d2lmomentum.book.notebooks import REPORT_NAME
    from d2lmomentum.book.runner import run_chapter
    frameworks = _frameworks(args.backend)
    text, bibs = _source(args.source)
    out = Path(args.out or _default_out("d2lmomentum-chapter"))
    with collect_markup_warnings() as warned:
        run = run_chapter(text, out, frameworks, fmt=args.format, timeout=args.timeout, jobs=args.jobs,
                          seed=args.seed, progress=sys.stderr.isatty(), bibliography=bibs)
    _print_warnings(warned)
    failures = []
    for fw, report in run.reports.items():
        cells = report["cells"]
        figs = sum(len(c["figures"]) for c in cells)
        print(f"{fw}: {sum(c['ok'] for c in cells)}/{len(cells)} cells ok, {figs} figures, "
              f"{report['seconds']:.1f} s -> {out / fw / REPORT_NAME}")
        if report["failed_cell"] is not None:
            failures.append(f"{fw}: cell {report['failed_cell']} failed: {report['error']}")
        elif not report["ok"]:
            failures.append(f"{fw}: {report['error']}")
    print(f"index: {run.index}")
    return _print_failures(failures)


def _print_warnings(messages):
    for message in messages:
        print(f"{PROG}: warning: {message}", file=sys.stderr)


def _print_failures(failures):
    """Print each failure as an error line; the exit status (1 if any)."""
    for line in failures:
        print(f"{PROG}: error: {line}", file=sys.stderr)
    return 1 if failures else 0


def _cmd_explore(args):
    from d2lmomentum.explorer import write_explorer
    print(write_explorer(args.out))
    return 0


def _cmd_notebooks(args):
    from d2lmomentum.book.notebooks import write_notebooks
    from d2lmomentum.book.page.references import collect_markup_warnings
    text, bibs = _source(args.source)
    with collect_markup_warnings() as warned:
        written = write_notebooks(text, args.out, _frameworks(args.backend), execute=args.execute,
                                  timeout=args.timeout, jobs=args.jobs, seed=args.seed, bibliography=bibs)
    _print_warnings(warned)
    failures = []
    for path, execution in written:
        print(path)
        if execution is not None and not execution.ok:
            where = "" if execution.failed_index is None else f"cell {execution.failed_index} failed: "
            failures.append(f"{path.name}: {where}{execution.error}")
    return _print_failures(failures)


def _cmd_bench(args):
    from d2lmomentum.tools import bench
    frameworks = tuple(_frameworks(args.backend))
    results = bench.run_bench(frameworks, quick=args.quick, source=args.source,
                              progress=sys.stderr.isatty() and not args.json, data=args.data_dir)
    print(json.dumps(results, indent=2) if args.json else bench.format_report(results))
    return 0


def _check_paths(args):
    """Paths given on the command line: the data must exist, an output folder must not be a file."""
    from pathlib import Path
    data = getattr(args, "data_dir", None)
    if data is not None and not Path(data).exists():
        raise InvalidArgumentError(f"--data-dir {data}: no such file or folder (it should hold "
                                   f"airfoil_self_noise.dat)")
    out = getattr(args, "out", None)
    if out is not None and Path(out).exists() and not Path(out).is_dir():
        raise InvalidArgumentError(f"--out {out} is a file; give a folder (it is created if missing)")
    seed = getattr(args, "seed", None)
    if seed is not None and seed < 0:
        raise InvalidArgumentError(f"--seed must be a non-negative integer, got {seed}")


def _canonical(name):
    from d2lmomentum.backends import canonical_name
    return canonical_name(name)


def build_parser():
    from d2lmomentum.backends import DEFAULT, NAMES
    from d2lmomentum.book.cells import TABS
    from d2lmomentum.book.notebooks import FORMATS
    tabs = ", ".join(TABS)
    p = _Parser(prog=PROG, formatter_class=_formatter,
                description="The Momentum chapter of d2l on MXNet, PyTorch and TensorFlow.\n\n"
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
    q.add_argument("--backend", default="all", help="one framework or 'all' (default)")
    q.set_defaults(func=_cmd_parity)

    th = _sub(sub, "theory", "write the theory figures (convergence region, rates, exercises 2 and 4)",
              "d2lmomentum theory --out figures --backend numpy", ("data-dir", "verbose"))
    th.add_argument("--out", required=True, help="folder for the figures")
    th.add_argument("--backend", default=None, help="backend for exercise 4's training runs")
    th.add_argument("--format", default="png", choices=FORMATS)
    th.set_defaults(func=_cmd_theory)

    ch = _sub(sub, "chapter", "run the chapter on each framework's Jupyter kernel; write the executed notebooks, "
              "figures, reports and an offline index.html",
              "d2lmomentum chapter --backend all --out out", ("source", "verbose", "compile"))
    ch.add_argument("--backend", default=DEFAULT, help=f"{tabs} or all (default: {DEFAULT})")
    ch.add_argument("--out", default=None, help="output folder (default: a new folder here)")
    ch.add_argument("--format", default="png", choices=FORMATS, help="figure format")
    _kernel_options(ch, "")
    ch.set_defaults(func=_cmd_chapter)

    nb = _sub(sub, "notebooks", "write one Jupyter notebook per framework (optionally executed)",
              "d2lmomentum notebooks --out nb --backend pytorch --execute", ("source", "verbose", "compile"))
    nb.add_argument("--out", required=True, help="output folder")
    nb.add_argument("--backend", default="all", help=f"{tabs} or all (default)")
    nb.add_argument("--execute", action="store_true", help="run each notebook on a Jupyter kernel")
    _kernel_options(nb, "with --execute: ")
    nb.set_defaults(func=_cmd_notebooks)

    be = _sub(sub, "bench", "measure speed against the chapter-literal loops, built-ins and the NumPy oracle",
              "d2lmomentum bench --quick --backend pytorch", ("data-dir", "json", "verbose"))
    be.add_argument("--backend", default="all", help=f"{tabs} or all (default)")
    be.add_argument("--quick", action="store_true", help="fewer repetitions and smaller arrays (under a minute)")
    be.add_argument("--source", default=None, help="chapter for P3 (default: the packaged momentum.md)")
    be.set_defaults(func=_cmd_bench)

    ex = _sub(sub, "explore", "write the interactive momentum explorer (one offline HTML page)",
              "d2lmomentum explore --out explorer", ())
    ex.add_argument("--out", required=True, help="output folder for explorer.html and its assets")
    ex.set_defaults(func=_cmd_explore)
    return p


def _kernel_options(parser, when):
    """The options of a command that runs the chapter on Jupyter kernels (``when``: a help prefix)."""
    from d2lmomentum.book.notebooks import DEFAULT_TIMEOUT
    parser.add_argument("--seed", type=int, default=0,
                        help=f"{when}seed of the drop-in's data order and initial weights, so figures repeat "
                             "(default 0)")
    parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"{when}seconds a cell may run before it is interrupted (default {DEFAULT_TIMEOUT})")
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help=f"{when}frameworks run at once, each on its own kernel (default: the CPU count)")


def main(argv=None):
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 2
        _check_paths(args)
        if getattr(args, "verbose", False):
            envvars.set_flag(envvars.VERBOSE)
        if getattr(args, "compile", False):
            envvars.set_flag(envvars.COMPILE)
        return args.func(args)
    except UsageError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    except BAD_INPUT as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    except D2LMomentumError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"{PROG}: error: {e.strerror or e}: {e.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
