"""Chapter-literal reference loops for the benchmark: d2l's ``train_ch11`` as the chapter runs
it (the framework's data iterator, a per-minibatch evaluation loop over all examples every
200 examples, the literal update ``v[:] = m*v + g; p[:] -= lr*v``), without the plot.

Each ``train_<framework>(X, y, lr, momentum)`` returns the 15 recorded losses for 2 epochs.
"""


def _literal_loop(data_iter, net, loss, step, to_numpy, num_epochs):
    """d2l's schedule: ``step(X, y)`` per minibatch, evaluation minibatch by minibatch."""
    def evaluate():
        total, count = 0.0, 0
        for Xb, yb in data_iter:
            l = to_numpy(loss(net(Xb), yb))
            total, count = total + float(l.sum()), count + l.size
        return total / count

    n, losses = 0, []
    for _ in range(num_epochs):
        for Xb, yb in data_iter:
            step(Xb, yb)
            n += Xb.shape[0]
            if n % 200 == 0:
                losses.append(evaluate())
    return losses


def train_pytorch(X, y, lr, momentum, num_epochs=2, batch_size=10):
    import torch
    from torch.utils import data
    data_iter = data.DataLoader(data.TensorDataset(torch.tensor(X), torch.tensor(y[:, 0])), batch_size,
                                shuffle=True)
    w = torch.normal(0.0, 0.01, size=(X.shape[1], 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    states = (torch.zeros((X.shape[1], 1)), torch.zeros(1))

    def net(X):
        return torch.matmul(X, w) + b

    def loss(y_hat, y):
        return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

    def step(Xb, yb):
        l = loss(net(Xb), yb).mean()
        l.backward()
        for p, v in zip((w, b), states):
            with torch.no_grad():
                v[:] = momentum * v + p.grad
                p[:] -= lr * v
            p.grad.data.zero_()

    return _literal_loop(data_iter, net, loss, step, lambda t: t.detach().numpy(), num_epochs)


def train_mxnet(X, y, lr, momentum, num_epochs=2, batch_size=10):
    from d2lmomentum.backends.mxnet import mx
    mnp, autograd, gluon = mx.np, mx.autograd, mx.gluon
    dataset = gluon.data.ArrayDataset(mnp.array(X), mnp.array(y[:, 0]))
    data_iter = gluon.data.DataLoader(dataset, batch_size, shuffle=True)
    w = mnp.random.normal(scale=0.01, size=(X.shape[1], 1))
    b = mnp.zeros(1)
    w.attach_grad()
    b.attach_grad()
    states = (mnp.zeros((X.shape[1], 1)), mnp.zeros(1))

    def net(X):
        return mnp.dot(X, w) + b

    def loss(y_hat, y):
        return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

    def step(Xb, yb):
        with autograd.record():
            l = loss(net(Xb), yb).mean()
        l.backward()
        for p, v in zip((w, b), states):
            v[:] = momentum * v + p.grad
            p[:] -= lr * v

    return _literal_loop(data_iter, net, loss, step, lambda t: t.asnumpy(), num_epochs)


def train_tensorflow(X, y, lr, momentum, num_epochs=2, batch_size=10):
    import tensorflow as tf
    data_iter = tf.data.Dataset.from_tensor_slices((X, y[:, 0])).shuffle(buffer_size=1000).batch(batch_size)
    w = tf.Variable(tf.random.normal(shape=(X.shape[1], 1), mean=0, stddev=0.01), trainable=True)
    b = tf.Variable(tf.zeros(1), trainable=True)
    states = (tf.Variable(tf.zeros((X.shape[1], 1))), tf.Variable(tf.zeros(1)))

    def net(X):
        return tf.matmul(X, w) + b

    def loss(y_hat, y):
        return (y_hat - tf.reshape(y, y_hat.shape)) ** 2 / 2

    def step(Xb, yb):
        with tf.GradientTape() as g:
            l = tf.math.reduce_mean(loss(net(Xb), yb))
        for p, v, gr in zip((w, b), states, g.gradient(l, [w, b])):
            v[:].assign(momentum * v + gr)
            p[:].assign(p - lr * v)

    return _literal_loop(data_iter, net, loss, step, lambda t: t.numpy(), num_epochs)


REFERENCE = {"pytorch": train_pytorch, "mxnet": train_mxnet, "tensorflow": train_tensorflow}
