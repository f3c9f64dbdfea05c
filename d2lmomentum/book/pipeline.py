"""The one pipeline: chapters parsed once, run as notebooks on Jupyter kernels, written as pages.

    chapter files ──load──▶ Chapter (cells, tokens, numbers) ──link──▶ references across the book
        └──▶ notebooks (one per chapter × framework) ──kernels, ``jobs`` at a time──▶ reports
              └──▶ ``<chapter folder>/<framework>/``: notebook, figures, report.json
        └──▶ pages from the chapters and the reports in memory (``page=True``)

:func:`run_chapter` (one chapter: its page at ``out/index.html``, its runs in
``out/<framework>/``), :func:`write_notebooks` (the same without the page, executed or not) and
:func:`build_book` (a folder of chapters: ``out/index.html`` and ``out/<chapter>/`` as
:func:`run_chapter` writes it) all go through :func:`run`. A cell that fails does not end its
chapter; every file is written whole or not at all (:mod:`d2lmomentum.atomic`).
"""
import dataclasses
from pathlib import Path

from d2lmomentum.atomic import write_atomic
from d2lmomentum.backends import DEFAULT, require_installed
from d2lmomentum.book import cache
from d2lmomentum.book import chapter as chapters_
from d2lmomentum.book.cells import TABS, check_tabs
from d2lmomentum.book.kernels import execute_async, run_limited, run_sync
from d2lmomentum.book.images import chapter_images, copy_images
from d2lmomentum.book.markdown import EXPLORER_MARKER
from d2lmomentum.book.outdir import claim
from d2lmomentum.book.notebooks import NOTEBOOK_BASE, build_notebook, notebook_name
from d2lmomentum.book.options import BuildOptions
from d2lmomentum.book.page import EXPLORER_DIR, build_page
from d2lmomentum.book.report import write_results
from d2lmomentum.errors import InvalidArgumentError
from d2lmomentum.explorer.page import PAGE as EXPLORER_PAGE
from d2lmomentum.progress import ProgressBar

DEFAULT_FRAMEWORK = DEFAULT


@dataclasses.dataclass
class RunResult:
    """What :func:`run` wrote: ``reports`` ((chapter name, framework) ->
    :class:`~d2lmomentum.book.report.RunReport`, or None for a notebook written but not executed), ``notebooks`` (same keys -> path) and ``pages``
    (chapter name -> its page)."""
    out: Path
    chapters: list
    reports: dict
    notebooks: dict
    pages: dict = dataclasses.field(default_factory=dict)
    index: Path = None

    @property
    def ok(self):
        return all(r is None or r.ok for r in self.reports.values())

    def chapter_reports(self, name):
        """framework -> report of one chapter's runs."""
        return {fw: r for (c, fw), r in self.reports.items() if c == name and r is not None}


def check_out_dir(path, what="out_dir"):
    """Raise :class:`InvalidArgumentError` if ``path`` exists and is not a folder."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise InvalidArgumentError(f"{what} {path} is a file; give a folder (it is created if missing)")
    return path


def parse_frameworks(frameworks):
    """``frameworks`` (a name, a comma list such as ``"pytorch,tensorflow"``, ``"all"`` or a
    sequence) as chapter tabs, in order, each once."""
    if isinstance(frameworks, str):
        frameworks = TABS if frameworks.strip().lower() == "all" else frameworks.split(",")
    if not isinstance(frameworks, (list, tuple)) or not all(isinstance(f, str) for f in frameworks):
        raise InvalidArgumentError(f"frameworks must be a name, a comma list, 'all' or a sequence of names "
                                   f"({', '.join(TABS)}), got {frameworks!r}")
    return check_tabs([f for f in frameworks if not isinstance(f, str) or f.strip()], "frameworks")


def check_frameworks(frameworks):
    """:func:`parse_frameworks`, each installed: raises before any kernel starts."""
    tabs = parse_frameworks(frameworks)
    require_installed(tabs)
    return tabs


def run(chapters, folders, frameworks, *, page=True, execute=True, options=None, progress=False, on_run=None,
        nav=None, out=None):
    """Run linked ``chapters`` (:class:`~d2lmomentum.book.chapter.Chapter`) on ``frameworks``,
    all chapter × framework runs in one pool of ``options.jobs`` kernels (``options``: a
    :class:`~d2lmomentum.book.options.BuildOptions`); ``folders``: chapter name -> its folder.
    Writes each run into ``folder/<framework>/`` and, with ``page``, each chapter's page
    (``nav(chapter)``: its :class:`~d2lmomentum.book.page.Navigation`, or None). A run whose
    inputs are unchanged is reused from the cache in ``out`` (:mod:`d2lmomentum.book.cache`;
    ``options.rerun``: none is). ``on_run(chapter, framework, report)`` is called as each run
    ends. Returns a :class:`RunResult`."""
    options = BuildOptions.of(options)
    for folder in [*folders.values(), *([out] if out else [])]:
        check_out_dir(folder)
    runs = [(c, fw) for c in chapters for fw in c.frameworks(frameworks)]
    navs = {c.name: nav(c) if nav else None for c in chapters}
    # each chapter's images, copied once into the site; src relative to the chapter's page folder
    placed = {c.name: copy_images(chapter_images(c), c.path, c.source.root,
                                  navs[c.name].site if navs[c.name] else folders[c.name], page_dir=folders[c.name])
              for c in chapters}
    notebooks = {}
    for c, fw in runs:
        marker = any(EXPLORER_MARKER in cell.source for cell in c.cells)
        href = f"{NOTEBOOK_BASE}{EXPLORER_DIR}/{EXPLORER_PAGE}" if marker and page else None
        notebooks[c.name, fw] = build_notebook(c, fw, fmt=options.fmt, explorer_href=href, images=placed[c.name])
    paths = {key: Path(folders[key[0]]) / key[1] / notebook_name(*key) for key in notebooks}
    reports = dict.fromkeys(notebooks)
    result = RunResult(Path(out or next(iter(folders.values()), ".")), list(chapters), reports, paths)
    if execute:
        reports.update(_execute(runs, notebooks, folders, options, progress, on_run, result.out))
    else:
        _write_unexecuted(notebooks, paths)
    if page:
        for c in chapters:
            result.pages[c.name] = build_page(c, folders[c.name], result.chapter_reports(c.name),
                                              c.frameworks(frameworks) or frameworks, nav=navs[c.name],
                                              placed=placed[c.name])
    return result


def _write_unexecuted(notebooks, paths):
    import nbformat
    for key, nb in notebooks.items():
        paths[key].parent.mkdir(parents=True, exist_ok=True)
        write_atomic(paths[key], nbformat.writes(nb))


#: Seconds a framework's import takes here: kernels start slowest first, so that with fewer jobs
#: than frameworks a run ends sooner (a framework missing here starts last).
IMPORT_SECONDS = {"tensorflow": 4.0, "pytorch": 2.0, "jax": 1.5, "mxnet": 1.0}


def _start_rank(framework):
    return -IMPORT_SECONDS.get(framework, 0.0)


def _execute(runs, notebooks, folders, options, progress, on_run, out):
    """Each run's report: reused from ``out``'s cache where its inputs are unchanged, else
    executed (at most ``options.jobs`` kernels at a time) and kept in the cache if it may be."""
    total = sum(cell.cell_type == "code" for nb in notebooks.values() for cell in nb.cells)
    names = sorted({fw for _, fw in runs}, key=_start_rank)
    bar = ProgressBar(total, progress, f"{len({c.name for c, _ in runs})} chapter(s) on {', '.join(names)}", unit="cell")
    env = options.kernel.env()
    context = cache.Context.of(options, env, names)
    keys = {(c.name, fw): cache.run_key(notebooks[c.name, fw], fw, context, c.name) for c, fw in runs}

    def finish(c, fw, execution, **how):
        report = write_results(execution, c, fw, Path(folders[c.name]) / fw, options.fmt, **how)
        if on_run is not None:
            on_run(c, fw, report)
        return report

    reports, missed = {}, []
    try:
        for c, fw in runs:
            nb = notebooks[c.name, fw]
            hit = None if options.rerun else cache.load(out, keys[c.name, fw], nb)
            if hit is None:
                missed.append((c, fw))
                continue
            (Path(folders[c.name]) / fw).mkdir(parents=True, exist_ok=True)
            bar.update(sum(cell.cell_type == "code" for cell in nb.cells))
            reports[c.name, fw] = finish(c, fw, hit.execution, cached=True, ran_at=hit.ran_at)

        async def one(c, fw):
            folder = Path(folders[c.name]) / fw
            folder.mkdir(parents=True, exist_ok=True)
            ran_at = cache.now()
            execution = await execute_async(notebooks[c.name, fw], timeout=options.timeout, cwd=folder, env=env,
                                            on_cell=lambda _: bar.update())
            report = finish(c, fw, execution, ran_at=ran_at)
            cache.store(out, keys[c.name, fw], execution, ran_at, chapter=c.name, framework=fw)
            return report

        order = sorted(missed, key=lambda run: _start_rank(run[1]))  # slowest framework import first
        done = run_sync(run_limited(options.jobs, [one(c, fw) for c, fw in order])) if order else []
    finally:
        bar.close()
    reports.update({(c.name, fw): report for (c, fw), report in zip(order, done)})
    return {(c.name, fw): reports[c.name, fw] for c, fw in runs}


def run_chapter(source=None, out_dir="out", frameworks=DEFAULT_FRAMEWORK, *, options=None, progress=False,
                on_run=None, **values):
    """Run the chapter file ``source`` (default: the packaged momentum chapter) on
    ``frameworks`` (a name, a comma list, ``"all"`` or a sequence) and write its page
    ``out_dir/index.html`` and runs ``out_dir/<framework>/``; returns a :class:`RunResult`.
    ``options``: a :class:`~d2lmomentum.book.options.BuildOptions`, or its fields as keywords
    (``fmt``, ``timeout``, ``jobs``, ``seed``, ``verbose``, ``compile``, ``data_dir``, ``rerun``)."""
    options = BuildOptions.of(options, **values)
    return _run_alone(source, out_dir, check_frameworks(frameworks), page=True, execute=True, options=options,
                      progress=progress, on_run=on_run)


def write_notebooks(source=None, out_dir="out", frameworks="all", *, execute=False, options=None, progress=False,
                    on_run=None, **values):
    """:func:`run_chapter` without the page: ``out_dir/<framework>/<chapter>-<framework>.ipynb``,
    executed on a kernel (with its figures and ``report.json``) if ``execute``."""
    options = BuildOptions.of(options, **values)
    frameworks = check_frameworks(frameworks) if execute else parse_frameworks(frameworks)
    return _run_alone(source, out_dir, frameworks, page=False, execute=execute, options=options, progress=progress,
                      on_run=on_run)


def _run_alone(source, out_dir, frameworks, **kwargs):
    """:func:`run` of the one chapter ``source`` into ``out_dir``, the output folder claimed
    (:func:`d2lmomentum.book.outdir.claim`: the output folder is the tool's)."""
    chapters = chapters_.link([chapters_.load_chapter(source)])
    with claim(out_dir, sources=[chapters[0].path.parent], force=kwargs["options"].force) as out:
        return run(chapters, {chapters[0].name: out}, frameworks, out=out, **kwargs)
