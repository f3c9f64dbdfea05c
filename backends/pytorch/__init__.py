"""PyTorch adapter: autograd via ``torch.autograd.grad``, in-place updates under ``no_grad``.
Hooks: ``fused_update`` (the kernel behind ``torch.optim.SGD(fused=True)``, ``torch._fused_sgd_``,
probed once; the public ``torch.optim.sgd.sgd(..., fused=True)`` wraps the same kernel but costs
~12 µs more a call, 20% of P1) and fast ops for the model (``addmm``, ``mse_loss``)."""
import numpy as np
import torch
import torch.nn.functional as F

from d2lmomentum import model
from d2lmomentum.adapter import Backend as _Base, ConciseTrainer


class Backend(_Base):
    name = "pytorch"
    keeps_grads = True

    def parameter(self, array):
        return torch.tensor(np.asarray(array)).requires_grad_(True)

    def state(self, array):
        return torch.tensor(np.asarray(array))

    constant = state

    def zeros_like(self, x):
        return torch.zeros_like(x, requires_grad=False)

    def to_numpy(self, x):
        return x.detach().cpu().numpy().copy()

    def assign(self, dst, value):
        with torch.no_grad():
            return dst.copy_(value)

    def is_tensor(self, x):
        return isinstance(x, torch.Tensor)

    def dtype_name(self, x):
        return str(x.dtype).replace("torch.", "")

    def affine(self, X, w, b):
        return torch.addmm(b, X, w)  # one autograd node instead of two

    def mean_squared_error(self, y_hat, y):
        return F.mse_loss(y_hat, y)  # one autograd node instead of three

    def split_rows(self, a, size):
        return torch.split(a, size)

    def value_and_grad(self, loss_fn, params, *args):
        loss = loss_fn(params, *args)
        return loss, torch.autograd.grad(loss, params)

    def fused_update(self, params, states, grads, lr, momentum, nesterov):
        # The rule of d2lmomentum.rule; fast: torch.optim.SGD(fused=True)'s kernel updates every
        # tensor in one pass over memory (for one dtype and device, as torch.optim groups them;
        # momentum 0 keeps no buffer there, so the rule runs).
        if momentum == 0 or fused_sgd() is None or not _one_group(params):
            return None
        with torch.no_grad():
            fused_sgd()(params, list(grads), states, weight_decay=0.0, momentum=momentum, lr=lr, dampening=0.0,
                        nesterov=nesterov, maximize=False, is_first_step=False)
        return params, states

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
        except Exception:  # missing CPU kernel, changed signature: the rule runs
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

    def step(self, carry, X, y, hyper):
        self.opt.zero_grad(set_to_none=True)
        model.loss(self.backend, carry[0], X, y, self.scale).backward()
        self.opt.step()
        return carry
