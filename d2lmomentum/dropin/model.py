"""d2l's linear regression model and loss, written once for the three drop-ins, the model being
:func:`d2lmomentum.model.forward` over the framework's ``matmul``."""
from d2lmomentum import model
from d2lmomentum.adapter import TensorOps


def model_functions(matmul, reshape):
    """d2l's ``linreg`` and ``squared_loss`` over a framework's ``matmul(a, b)`` and
    ``reshape(x, shape)``."""
    ops = type("Ops", (TensorOps,), {"matmul": staticmethod(matmul)})()

    def linreg(X, w, b):
        """The linear regression model ``X w + b``: ``X`` ``(n, d)``, ``w`` ``(d, 1)``, ``b``
        ``(1,)`` give ``(n, 1)``."""
        return model.forward(ops, X, w, b)

    def squared_loss(y_hat, y):
        """Half squared error ``(y_hat - y)^2 / 2``, elementwise, ``y`` reshaped to ``y_hat``'s
        shape (d2l's, per example; :mod:`d2lmomentum.model` takes its mean)."""
        return (y_hat - reshape(y, y_hat.shape)) ** 2 / 2

    return linreg, squared_loss
