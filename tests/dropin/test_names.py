"""The drop-ins' names: every d2l name the chapters of ``chapter_optimization`` call exists (derived
from the chapters themselves) with d2l 1.0.3's signature; a name they lack says what it is; each
drop-in imports only its framework."""
import inspect
import subprocess
import sys

import pytest

from d2lmomentum.dropin.missing import MissingNameError

#: The chapter that is out of scope (Fashion-MNIST, d2l's CNN helpers).
OUT_OF_SCOPE = "lr-scheduler.md"
#: d2l 1.0.3's parameter lists (read from its ``torch.py``, ``tensorflow.py``, ``mxnet.py``) of the
#: functions the drop-ins define; ours may add keyword parameters after them, with defaults.
D2L_SIGNATURES = {
    "use_svg_display": "", "set_figsize": "figsize=(3.5, 2.5)",
    "set_axes": "axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend",
    "plot": "X, Y=None, xlabel=None, ylabel=None, legend=[], xlim=None, ylim=None, xscale='linear', "
            "yscale='linear', fmts=('-', 'm--', 'g-.', 'r:'), figsize=(3.5, 2.5), axes=None",
    "Animator": "xlabel=None, ylabel=None, legend=None, xlim=None, ylim=None, xscale='linear', yscale='linear', "
                "fmts=('-', 'm--', 'g-.', 'r:'), nrows=1, ncols=1, figsize=(3.5, 2.5)",
    "Timer": "", "train_2d": "trainer, steps=20, f_grad=None", "show_trace_2d": "f, results",
    "get_data_ch11": "batch_size=10, n=1500",
    "train_ch11": "trainer_fn, states, hyperparams, data_iter, feature_dim, num_epochs=2",
    "load_array": "data_arrays, batch_size, is_train=True", "linreg": "X, w, b", "squared_loss": "y_hat, y",
    "download": "url, folder='../data', sha1_hash=None", "evaluate_loss": "net, data_iter, loss",
}
D2L_CONCISE = {"pytorch": "trainer_fn, hyperparams, data_iter, num_epochs=4",
               "tensorflow": "trainer_fn, hyperparams, data_iter, num_epochs=2",
               "mxnet": "tr_name, hyperparams, data_iter, num_epochs=2",
               # d2l has no JAX version of it: the chapter's JAX cells call an optax transformation
               "jax": "tx, data_iter, num_epochs=2"}


def _in_scope(names):
    """The names some chapter other than the out-of-scope one calls."""
    return {name for name, chapters in names.items() if chapters - {OUT_OF_SCOPE}}


def _called(chapter_names, framework):
    """``{name: chapters}`` that ``framework``'s drop-in must answer: what its tab's cells call;
    for JAX, which d2l-en's chapters list as a tab but give no cell of its own, what any tab's do."""
    if framework != "jax":
        return chapter_names[framework]
    merged = {}
    for names in chapter_names.values():
        for name, chapters in names.items():
            merged.setdefault(name, set()).update(chapters)
    return merged


def test_every_name_the_chapters_call_exists(d2l, chapter_names):
    framework, module = d2l
    wanted = _in_scope(_called(chapter_names, framework))
    assert {"train_ch11", "download", "plot"} <= wanted  # the derivation reads the chapters' cells
    missing = sorted(name for name in wanted if not hasattr(module, name))
    assert not missing, f"{module.__name__} lacks {missing}"


def test_names_only_lr_scheduler_calls_say_what_they_need(d2l, chapter_names):
    framework, module = d2l
    names = _called(chapter_names, framework)
    only_there = set(names) - _in_scope(names)
    assert "load_data_fashion_mnist" in only_there
    for name in only_there:
        assert not hasattr(module, name)
        with pytest.raises(MissingNameError) as info:
            getattr(module, name)
        message = str(info.value)
        assert f"d2l.{name} " in message and "optimization helpers" in message and "\n" not in message
        assert ("Fashion-MNIST" in message) and ("CNN" in message or name == "load_data_fashion_mnist")


def test_an_unknown_name_is_an_attribute_error_naming_it(d2l):
    _, module = d2l
    with pytest.raises(AttributeError, match=r"^d2l\.no_such_helper is not in d2lmomentum\.\w+: .*optimization") as e:
        module.no_such_helper
    assert isinstance(e.value, MissingNameError) and "\n" not in str(e.value)
    with pytest.raises(AttributeError) as e:
        module.__no_such_dunder__
    assert not isinstance(e.value, MissingNameError)  # Python's own probes get the plain error


def _parameters(spec):
    """``[(name, default)]`` of a parameter list written as in a ``def``."""
    params = inspect.signature(eval(f"lambda {spec}: None")).parameters.values()  # noqa: S307 (the table above)
    return [(p.name, p.default) for p in params]


def test_signatures_are_d2ls(d2l):
    framework, module = d2l
    for name, spec in {**D2L_SIGNATURES, "train_concise_ch11": D2L_CONCISE[framework]}.items():
        ours = [(p.name, p.default) for p in inspect.signature(getattr(module, name)).parameters.values()]
        theirs = _parameters(spec)
        assert ours[:len(theirs)] == theirs, name
        assert all(default is not inspect.Parameter.empty for _, default in ours[len(theirs):]), name


@pytest.mark.parametrize("module,framework", [("torch", "torch"), ("tensorflow", "tensorflow"),
                                              ("mxnet", "mxnet"), ("jax", "jax")])
def test_each_dropin_imports_only_its_framework(module, framework):
    code = (f"from d2lmomentum import {module} as d2l\nimport sys\n"
            "print(' '.join(m for m in ('torch', 'tensorflow', 'mxnet', 'jax') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    # TensorFlow's own tf.lite imports jax where it is installed (tensorflow/lite/python/util.py)
    also = {"jax"} if framework == "tensorflow" else set()
    assert framework in out.split() and set(out.split()) - {framework} <= also
