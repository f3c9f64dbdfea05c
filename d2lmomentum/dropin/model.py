"""d2l's linear regression model and loss, written once for the three drop-ins."""


def model_functions(matmul, reshape):
    """d2l's ``linreg`` and ``squared_loss`` over a framework's ``matmul(a, b)`` and
    ``reshape(x, shape)``."""
    def linreg(X, w, b):
        """The linear regression model ``X w + b``: ``X`` ``(n, d)``, ``w`` ``(d, 1)``, ``b``
        ``(1,)`` give ``(n, 1)``."""
        return matmul(X, w) + b

    def squared_loss(y_hat, y):
        """Half squared error ``(y_hat - y)^2 / 2``, elementwise, ``y`` reshaped to ``y_hat``'s
        shape."""
        return (y_hat - reshape(y, y_hat.shape)) ** 2 / 2

    return linreg, squared_loss
