"""PyTorch adapter: autograd via ``torch.autograd.grad``, in-place updates under ``no_grad``."""
import numpy as np
import torch

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
        # Fast path: in-place kernels, no temporaries (v.mul_ then add_ rounds like beta*v + g).
        with torch.no_grad():
            v.mul_(momentum).add_(g)
            if nesterov:
                p.sub_(torch.add(g, v, alpha=momentum), alpha=lr)
            else:
                p.sub_(v, alpha=lr)

    def builtin_trainer(self, params, lr, momentum, nesterov=False, plain_mse=False):
        """``torch.optim.SGD``: ``v <- beta v + g; p <- p - lr v`` (Nesterov: ``p <- p - lr (g + beta v)``)."""
        opt = torch.optim.SGD(params, lr=lr, momentum=momentum, nesterov=nesterov)
        return TorchTrainer(self, params, opt, plain_mse)


class TorchTrainer(BuiltinTrainer):
    """Steps ``params`` with a ``torch.optim`` optimizer on the half (or plain) squared error."""

    def step(self, X, y):
        w, b = self.params
        self.opt.zero_grad(set_to_none=True)
        r = X @ w + b - y
        (r * r * self.scale).mean().backward()
        self.opt.step()
