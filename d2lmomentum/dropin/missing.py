"""What a d2l name the drop-in lacks says: :class:`MissingNameError` names ``d2l.<name>``, says
that the drop-in covers d2l's optimization helpers and, for d2l names known to be out of scope,
what they need."""
from d2lmomentum.errors import D2LMomentumError

_FASHION = "needs the Fashion-MNIST download (d2l's image-classification data; this drop-in uses no network)"
_CNN = ("is one of d2l's CNN training helpers (train_ch6 and what it uses), which need the Fashion-MNIST "
        "download; they are out of scope")

#: d2l names known to be out of scope, and why (a predicate after ``d2l.<name>``).
REASONS = {
    "load_data_fashion_mnist": _FASHION,
    "get_fashion_mnist_labels": _FASHION,
    "show_images": _FASHION,
    **{name: _CNN for name in ("train_ch6", "evaluate_accuracy_gpu", "evaluate_accuracy", "try_gpu", "try_all_gpus",
                               "num_gpus", "cpu", "gpu", "Accumulator", "accuracy", "LeNet", "TrainCallback",
                               "init_cnn", "corr2d")},
}


class MissingNameError(D2LMomentumError, AttributeError):
    """A d2l name that the drop-in does not provide (an ``AttributeError``, so ``hasattr`` works)."""


def module_getattr(module):
    """A module-level ``__getattr__`` for the public drop-in ``module`` (``d2lmomentum.torch``):
    private and dunder names get a plain ``AttributeError``, d2l names a :class:`MissingNameError`."""
    def __getattr__(name):
        if name.startswith("_"):
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        why = (f"d2l.{name} {REASONS[name]}" if name in REASONS
               else f"d2l.{name} is not one of them: define it in a cell of your own, or use d2l itself")
        raise MissingNameError(
            f"d2l.{name} is not in {module}: the d2lmomentum drop-in covers d2l's optimization helpers "
            f"(what chapter_optimization calls, lr-scheduler aside); {why}", name=name)
    return __getattr__
