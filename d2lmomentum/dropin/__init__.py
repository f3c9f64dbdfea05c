"""The d2l drop-ins' implementation: what ``from d2lmomentum import torch as d2l`` (or
``tensorflow``, ``mxnet``) gives, d2l 1.0.3's names and signatures for the helpers that the
chapters of d2l's ``chapter_optimization`` call (``lr-scheduler`` aside: it needs Fashion-MNIST
and d2l's CNN helpers; a name the drop-in lacks raises :class:`~d2lmomentum.dropin.missing.MissingNameError`).

Shared code lives here once: ``figures`` (``plot``, ``Animator``, ...), ``timer``, ``trace2d``
(``train_2d``, ``show_trace_2d``), ``model`` (``linreg``, ``squared_loss``), ``data``
(``load_array``, ``get_data_ch11``, ``evaluate_loss``, ``DATA_HUB``, ``download``), ``training``
(``train_ch11``, ``train_concise_ch11``), ``missing``; one module per framework
(``dropin.torch``, ``dropin.tensorflow``, ``dropin.mxnet``) holds its tensor aliases and how the
reader's trainer is called. The public modules ``d2lmomentum.torch`` etc. re-export those.

Where this differs from d2l on purpose:

* ``train_ch11`` calls the reader's trainer once per minibatch, eagerly, as d2l does; only the
  TensorFlow drop-in can trace it instead, when asked (``compile=True``, ``D2LMOMENTUM_COMPILE=1``);
* ``train_ch11``/``train_concise_ch11`` evaluate the loss over all 1500 examples in one
  full-batch call instead of a loop over minibatches (the same number up to rounding), and
  gather each epoch's shuffled data once instead of running a data loader per batch;
* ``train_concise_ch11`` trains on the same half squared error as ``train_ch11`` (d2l's
  PyTorch and TensorFlow versions train on plain MSE, i.e. twice the gradient, and report
  half of it), so the built-in run really matches the from-scratch one;
* ``show_trace_2d`` draws its contours on one NumPy grid (``meshgrid`` with xy indexing),
  the same on every framework;
* ``Animator`` redraws live only inside Jupyter (at most every 0.5 s); in a script it just keeps
  its figure;
* ``get_data_ch11``/``load_array`` take a ``seed`` (default ``$D2LMOMENTUM_SEED``);
* ``download`` uses no network: ``'airfoil'`` is the packaged copy, any other file must be
  supplied in ``$D2LMOMENTUM_DATA_DIR`` (``--data-dir``).
"""
from d2lmomentum.dropin.trace2d import train_2d  # noqa: F401  (framework-free, for library callers)

#: The frameworks whose drop-in can compile the reader's trainer on request (``compile=True``,
#: the runner's ``--compile``); JAX's always compiles it (``jax.jit``), as JAX users expect.
COMPILE_READERS_TRAINER = ("tensorflow",)
