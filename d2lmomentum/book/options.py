"""One options object for :func:`~d2lmomentum.book.pipeline.run_chapter`,
:func:`~d2lmomentum.book.pipeline.write_notebooks` and :func:`~d2lmomentum.book.site.build_book`,
checked once when it is made. A bad value raises :class:`OptionError`, which names its parameter
(``error.param``), so that the command line can say the flag a user typed.
"""
import dataclasses
import math
from pathlib import Path

from d2lmomentum.book.kernels import DEFAULT_TIMEOUT, MAX_TIMEOUT, KernelOptions
from d2lmomentum.book.notebooks import FORMATS
from d2lmomentum.errors import InvalidArgumentError


class OptionError(InvalidArgumentError):
    """A bad value of the option ``param``: ``str(error)`` is ``"<param> <detail>"``."""

    def __init__(self, param, detail):
        super().__init__(f"{param} {detail}")
        self.param, self.detail = param, detail


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


@dataclasses.dataclass(frozen=True)
class BuildOptions:
    """How a chapter's or a book's runs are made.

    ``fmt``: the figure format (``png`` or ``svg``); ``timeout``: seconds a cell may run (1 to a
    day; not an input of the cache); ``jobs``: kernels at a time (None: the CPU count); ``seed``:
    the drop-ins' seed (an integer >= 0); ``verbose``: the frameworks' own log lines through;
    ``compile``: the TensorFlow drop-in traces the reader's trainer; ``data_dir``: a folder of the
    data files a chapter reads (None: ``$D2LMOMENTUM_DATA_DIR``, else the packaged airfoil data);
    ``rerun``: execute every run, none reused from the cache; ``force``: write into an output
    folder that holds files the tool did not write (:func:`d2lmomentum.book.outdir.claim`)."""
    fmt: str = "png"
    timeout: float = DEFAULT_TIMEOUT
    jobs: int = None
    seed: int = 0
    verbose: bool = False
    compile: bool = False
    data_dir: object = None
    rerun: bool = False
    force: bool = False

    def __post_init__(self):
        if self.fmt not in FORMATS:
            raise OptionError("fmt", f"(the figure format) must be one of {', '.join(FORMATS)}, got {self.fmt!r}")
        t = self.timeout
        if isinstance(t, bool) or not isinstance(t, (int, float)) or math.isnan(t) or not 1 <= t <= MAX_TIMEOUT:
            raise OptionError("timeout", f"must be a positive number of seconds (1 to {MAX_TIMEOUT}), got {t!r}")
        if self.jobs is not None and (not _is_int(self.jobs) or self.jobs < 1):
            raise OptionError("jobs", f"must be a positive integer (kernels at a time), got {self.jobs!r}")
        if not _is_int(self.seed) or self.seed < 0:
            raise OptionError("seed", f"must be a non-negative integer, got {self.seed!r}")
        for name in ("verbose", "compile", "rerun", "force"):
            if not isinstance(getattr(self, name), bool):
                raise OptionError(name, f"must be True or False, got {getattr(self, name)!r}")
        if self.data_dir is not None and not Path(self.data_dir).is_dir():
            raise OptionError("data_dir", f"{self.data_dir}: no such folder (put the data files a chapter "
                                          "downloads in a folder and give that folder)")

    @classmethod
    def of(cls, options=None, **values):
        """``options`` (a :class:`BuildOptions`), or one made of ``values``; not both."""
        if options is None:
            return cls(**values)
        if not isinstance(options, cls):
            raise OptionError("options", f"must be a BuildOptions, got {type(options).__name__}")
        if values:
            raise OptionError("options", f"comes with {', '.join(sorted(values))} as well: give one or the other")
        return options

    @property
    def kernel(self):
        """What the kernels are given (:class:`~d2lmomentum.book.kernels.KernelOptions`)."""
        return KernelOptions(seed=self.seed, verbose=self.verbose, compile=self.compile, data_dir=self.data_dir)
