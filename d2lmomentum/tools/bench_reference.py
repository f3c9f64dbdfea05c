"""What each framework's benchmark baseline shares: d2l's ``train_ch11`` schedule as the chapter
runs it, and a sampler that feeds a framework's own data loader the seed's data order.

The framework parts (its data loader, model, literal update, built-in optimizers) are in
``d2lmomentum.tools.baselines.<framework>``.
"""
from d2lmomentum.train import EVAL_EVERY


class EpochOrders:
    """A sampler whose k-th iteration yields the row indices of ``orders[k]``, so a framework's
    data loader visits the rows in the same order as :func:`d2lmomentum.train_momentum`."""

    def __init__(self, orders):
        self.orders, self.epoch = [o.tolist() for o in orders], 0

    def __iter__(self):
        order = self.orders[self.epoch]
        self.epoch += 1
        return iter(order)

    def __len__(self):
        return len(self.orders[0])


def literal_loop(d2l, train_batches, eval_batches, params, step, num_epochs):
    """d2l's ``train_ch11`` schedule with the drop-in ``d2l``'s ``linreg`` and ``squared_loss``:
    ``step(net, loss, X, y)`` on each minibatch of ``train_batches`` (iterated once per epoch)
    and, every 200 examples, the mean loss over ``eval_batches`` minibatch by minibatch.
    ``params`` is the list ``[w, b]``, read at each use (a step on immutable arrays replaces its
    items). Returns the recorded losses (15 for 2 epochs of 1500 rows)."""
    net, loss, to_numpy = (lambda X: d2l.linreg(X, *params)), d2l.squared_loss, d2l.numpy

    def evaluate():
        total, count = 0.0, 0
        for Xb, yb in eval_batches:
            values = to_numpy(loss(net(Xb), yb))
            total, count = total + float(values.sum()), count + values.size
        return total / count

    seen, losses = 0, []
    for _ in range(num_epochs):
        for Xb, yb in train_batches:
            step(net, loss, Xb, yb)
            seen += Xb.shape[0]
            if seen % EVAL_EVERY == 0:
                losses.append(evaluate())
    return losses
