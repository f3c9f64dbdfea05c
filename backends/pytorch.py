"""PyTorch adapter: autograd via ``torch.autograd.grad``, in-place updates under ``no_grad``."""
import numpy as np
import torch
import torch.nn.functional as F

from d2lmomentum.ops import Backend as _Base, BuiltinTrainer


class Backend(_Base):
    name = "pytorch"
    keeps_grads = True

    def parameter(self, array):
        return torch.tensor(np.asarray(array)).requires_grad_(True)

    def state(self, array):
        return torch.tensor(np.asarray(array))

    def constant(self, array):
        return torch.tensor(np.asarray(array))

    def to_numpy(self, x):
        return x.detach().cpu().numpy().copy()

    def assign(self, dst, value):
        with torch.no_grad():
            dst.copy_(value)

    def is_tensor(self, x):
        return isinstance(x, torch.Tensor)

    def loss_grads(self, params, X, y):
        w, b = params
        r = X @ w + b - y
        return torch.autograd.grad((r * r / 2).mean(), params)

    def loss(self, params, X, y):
        w, b = params
        with torch.no_grad():
            r = X @ w + b - y
            return float((r * r / 2).mean())

    def momentum_update(self, p, v, g, lr, momentum, nesterov=False):
        _fused_update([p], [v], [g], lr, momentum, nesterov)

    def momentum_update_all(self, params, states, grads, lr, momentum, nesterov=False):
        _fused_update(params, states, grads, lr, momentum, nesterov)

    def train_steps(self, params, states, X, y, batch_size, lr, momentum, nesterov=False):
        # Fast path: one split into minibatch views, a 2-node autograd graph per step
        # (addmm, mse_loss; the half comes in as the backward seed 0.5, so the gradient is that
        # of the half squared error) and one fused update of both parameters.
        w, b = params
        half = torch.tensor(0.5, dtype=w.dtype)
        for Xb, yb in zip(torch.split(X, batch_size), torch.split(y, batch_size)):
            grads = torch.autograd.grad(F.mse_loss(torch.addmm(b, Xb, w), yb), params, grad_outputs=half)
            _fused_update(params, states, grads, lr, momentum, nesterov)

    def builtin_trainer(self, params, lr, momentum, nesterov=False, plain_mse=False):
        """``torch.optim.SGD``: ``v <- beta v + g; p <- p - lr v`` (Nesterov: ``p <- p - lr (g + beta v)``)."""
        opt = torch.optim.SGD(params, lr=lr, momentum=momentum, nesterov=nesterov)
        return TorchTrainer(self, params, opt, plain_mse)


def _fused_update(params, states, grads, lr, momentum, nesterov):
    """The chapter's rule on lists of tensors in one call of the kernel behind
    ``torch.optim.SGD(fused=True)`` (same convention: buf <- m*buf + g; p -= lr*buf), one pass
    over memory; plain in-place ops where that private kernel is missing or momentum is 0."""
    with torch.no_grad():
        if _FUSED_SGD is not None and momentum != 0:  # the kernel keeps no buffer for momentum 0
            _FUSED_SGD(list(params), list(grads), list(states), weight_decay=0.0, momentum=momentum, lr=lr,
                       dampening=0.0, nesterov=nesterov, maximize=False, is_first_step=False)
            return
        for p, v, g in zip(params, states, grads):
            v.mul_(momentum).add_(g)
            p.sub_(torch.add(g, v, alpha=momentum) if nesterov else v, alpha=lr)


_FUSED_SGD = getattr(torch, "_fused_sgd_", None)


class TorchTrainer(BuiltinTrainer):
    """Steps ``params`` with a ``torch.optim`` optimizer on the half (or plain) squared error."""

    def step(self, X, y):
        w, b = self.params
        self.opt.zero_grad(set_to_none=True)
        r = X @ w + b - y
        (r * r * self.scale).mean().backward()
        self.opt.step()
