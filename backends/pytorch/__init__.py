"""PyTorch adapter: autograd via ``torch.autograd.grad``, in-place updates under ``no_grad``."""
import numpy as np
import torch
import torch.nn.functional as F

from d2lmomentum import model
from d2lmomentum.ops import Backend as _Base, ConciseTrainer


class Backend(_Base):
    name = "pytorch"
    keeps_grads = True

    def parameter(self, array):
        return torch.tensor(np.asarray(array)).requires_grad_(True)

    def state(self, array):
        return torch.tensor(np.asarray(array))

    def constant(self, array):
        return torch.tensor(np.asarray(array))

    def zeros_like(self, x):
        return torch.zeros_like(x, requires_grad=False)

    def to_numpy(self, x):
        return x.detach().cpu().numpy().copy()

    def assign(self, dst, value):
        with torch.no_grad():
            dst.copy_(value)

    def is_tensor(self, x):
        return isinstance(x, torch.Tensor)

    def dtype_name(self, x):
        return str(x.dtype).replace("torch.", "")

    def differentiate(self, loss_fn, params):
        return torch.autograd.grad(loss_fn(), params)

    def loss(self, params, X, y):
        with torch.no_grad():
            return super().loss(params, X, y)

    def momentum_update_all(self, params, states, grads, lr, momentum, nesterov=False):
        # The rule of d2lmomentum.rule; fast: one call of the kernel behind torch.optim.SGD(fused=True)
        # updates every tensor in one pass over memory, where the probe found that kernel (for one
        # dtype and device, as torch.optim groups them).
        with torch.no_grad():
            if momentum != 0 and fused_sgd() is not None and _one_group(params):  # no buffer for momentum 0
                fused_sgd()(list(params), list(grads), list(states), weight_decay=0.0, momentum=momentum,
                            lr=lr, dampening=0.0, nesterov=nesterov, maximize=False, is_first_step=False)
                return
            for p, v, g in zip(params, states, grads):
                v.mul_(momentum).add_(g)
                p.sub_(torch.add(g, v, alpha=momentum) if nesterov else v, alpha=lr)

    def train_steps(self, params, states, X, y, batch_size, lr, momentum, nesterov=False):
        # Fast: one split into minibatch views and a 2-node autograd graph per step (addmm, mse_loss;
        # the backward seed 0.5 makes it the half squared error's gradient), then the fused update.
        w, b = params
        half = torch.tensor(0.5, dtype=w.dtype)
        for Xb, yb in zip(torch.split(X, batch_size), torch.split(y, batch_size)):
            grads = torch.autograd.grad(F.mse_loss(torch.addmm(b, Xb, w), yb), params, grad_outputs=half)
            self.momentum_update_all(params, states, grads, lr, momentum, nesterov)

    def concise_trainer(self, params, lr, momentum, nesterov=False, plain_mse=False):
        """``torch.optim.SGD``: ``v <- beta v + g; p <- p - lr v`` (Nesterov: ``p <- p - lr (g + beta v)``)."""
        opt = torch.optim.SGD(params, lr=lr, momentum=momentum, nesterov=nesterov)
        return TorchTrainer(self, params, opt, plain_mse)


_FUSED = {}


def fused_sgd():
    """``torch._fused_sgd_`` if it passed :func:`probe_fused_sgd` (probed once), else ``None``."""
    if "kernel" not in _FUSED:
        _FUSED["kernel"] = probe_fused_sgd(getattr(torch, "_fused_sgd_", None))
    return _FUSED["kernel"]


def probe_fused_sgd(kernel):
    """``kernel`` if it runs on CPU tensors and computes the chapter's rule, plain and Nesterov,
    on tiny tensors whose results are exact in float32; else ``None`` (it is a private API)."""
    if kernel is None:
        return None
    for nesterov, expected_p in ((False, [0.75, -2.5625]), (True, [0.75, -2.78125])):
        p, v, g = torch.tensor([1.0, -2.0]), torch.tensor([0.5, 0.25]), torch.tensor([0.25, 1.0])
        try:
            kernel([p], [g], [v], weight_decay=0.0, momentum=0.5, lr=0.5, dampening=0.0,
                   nesterov=nesterov, maximize=False, is_first_step=False)
        except Exception:  # missing CPU kernel, changed signature: use the public ops
            return None
        if v.tolist() != [0.5, 1.125] or p.tolist() != expected_p:
            return None
    return kernel


def _one_group(params):
    """Whether every tensor of ``params`` has the first one's dtype and device."""
    p0 = params[0]
    return all(p.dtype == p0.dtype and p.device == p0.device for p in params)


class TorchTrainer(ConciseTrainer):
    """Steps ``params`` with a ``torch.optim`` optimizer on the half (or plain) squared error."""

    def step(self, X, y):
        self.opt.zero_grad(set_to_none=True)
        model.loss(self.backend, self.params, X, y, self.scale).backward()
        self.opt.step()
