r"""The chapter's model, stated once: linear regression with a (half) squared error.

For features :math:`X` ``(n, d)``, labels :math:`y` ``(n, 1)``, weights :math:`w` ``(d, 1)``
and bias :math:`b` ``(1,)``, with residual :math:`r = \hat y - y`:

.. math::
    \hat y = X w + b, \qquad
    L = \frac{s}{n} \sum_i r_i^2, \qquad
    \frac{\partial L}{\partial w} = \frac{2s}{n} X^\top r, \qquad
    \frac{\partial L}{\partial b} = \frac{2s}{n} \sum_i r_i

with :math:`s = 1/2` (:data:`HALF`, the chapter's half squared error, whose gradient is
:math:`X^\top r / n`) or :math:`s = 1` (:data:`PLAIN`, the plain mean squared error of d2l's
concise runs). Each function takes ``ops``, an object with the tensor ops of
:class:`d2lmomentum.adapter.TensorOps` (``affine``, ``mean_squared_error``, ``matmul``, ``transpose``,
``mean``, ``sum_rows``), so the NumPy oracle, every adapter's loss and the forward of every adapter's
autograd step are this code. An adapter may compute ``affine`` (:math:`Xw + b`) and
``mean_squared_error`` (:math:`\frac1n \sum_i r_i^2`) with one fused op each (PyTorch: ``addmm``,
``mse_loss``): the same functions of their inputs, with fewer autograd nodes.
"""

#: The chapter's half squared error, ``(y_hat - y)**2 / 2``.
HALF = 0.5
#: d2l's concise runs' plain squared error.
PLAIN = 1.0


def scale_of(plain_mse):
    """:data:`PLAIN` if ``plain_mse`` else :data:`HALF`."""
    return PLAIN if plain_mse else HALF


def forward(ops, X, w, b):
    """``y_hat = X @ w + b``, shape ``(n, 1)``."""
    return ops.affine(X, w, b)


def residual(ops, params, X, y):
    """``r = X @ w + b - y`` for ``params = [w, b]``, shape ``(n, 1)``."""
    w, b = params
    return forward(ops, X, w, b) - y


def squared_errors(ops, params, X, y, scale=HALF):
    """``scale * r**2`` per example, shape ``(n, 1)``; summed, it is the batch's summed loss."""
    r = residual(ops, params, X, y)
    return r * r * scale


def loss(ops, params, X, y, scale=HALF):
    """``L = scale * mean(r**2)``, a scalar tensor (``scale`` is a power of two: exactly
    ``mean(scale * r**2)``)."""
    w, b = params
    return ops.mean_squared_error(forward(ops, X, w, b), y) * scale


def gradients(ops, params, X, y, scale=HALF):
    """``[dL/dw, dL/db] = [2s X^T r / n, 2s sum(r) / n]``, shapes ``(d, 1)`` and ``(1,)``, in closed form."""
    r = residual(ops, params, X, y)
    n = ops.shape(X)[0]
    return [ops.matmul(ops.transpose(X), r) * (2 * scale) / n, ops.sum_rows(r) * (2 * scale) / n]
