r"""The momentum update, stated once.

For a parameter :math:`p`, its momentum state :math:`v` and gradient :math:`g` (one shape,
one dtype), learning rate :math:`\eta > 0` and momentum :math:`\beta \in [0, 1)`:

.. math::
    \begin{aligned}
    v &\leftarrow \beta v + g, \\
    p &\leftarrow p - \eta v
        \quad\text{or, with Nesterov,}\quad p \leftarrow p - \eta (g + \beta v)
    \end{aligned}

(the Nesterov step uses the *updated* :math:`v`). From :math:`v_0 = 0`,
:math:`v_t = \sum_{\tau=0}^{t-1} \beta^\tau g_{t-\tau}`; :math:`\beta = 0` is plain SGD.
This is the chapter's rule and PyTorch's convention. The frameworks' own optimizers
(``train_concise``) state it differently; for a constant :math:`\eta` all are the same
iteration:

* PyTorch ``torch.optim.SGD(lr, momentum, nesterov)``: exactly the rule above.
* Keras ``SGD(learning_rate, momentum, nesterov)``: :math:`m \leftarrow \beta m - \eta g;\ p \leftarrow p + m`
  (Nesterov: :math:`p \leftarrow p + \beta m - \eta g`), i.e. :math:`m = -\eta v`.
* MXNet gluon ``Trainer('sgd' | 'nag')`` with ``step(B)``: :math:`m \leftarrow \beta m - \eta g/B;\ p \leftarrow p + m`
  on the gradient of the batch's *summed* loss, so :math:`g/B` is the mean's gradient
  (NAG: :math:`m \leftarrow \beta m + g/B;\ p \leftarrow p - \eta(g/B + \beta m)`, i.e. :math:`m = v`).
  Its operators take :math:`\eta`, :math:`\beta` and :math:`1/B` as C ``float``, rounded to
  float32 even for float64 weights.
* optax ``sgd(learning_rate, momentum, nesterov)`` (JAX), whose ``trace`` keeps
  :math:`t \leftarrow g + \beta t` and returns the update :math:`-\eta t` (Nesterov:
  :math:`-\eta (g + \beta t)`), applied as :math:`p \leftarrow p + \text{update}`: exactly the rule
  above with :math:`t = v`, written as a pure function (new parameters and state returned).

:func:`momentum_update` below is the readable reference: the NumPy oracle runs it, and every
adapter's fast path is tested against it over :data:`d2lmomentum.configs.CONFIGS`.
"""


def momentum_update(backend, p, v, g, lr, momentum, nesterov=False):
    """The rule above with ``backend``'s arithmetic and ``assign``; returns the new ``(p, v)``
    (``p`` and ``v`` themselves, updated in place, where the framework mutates)."""
    v = backend.assign(v, v * momentum + g)
    return backend.assign(p, p - (g + v * momentum if nesterov else v) * lr), v
