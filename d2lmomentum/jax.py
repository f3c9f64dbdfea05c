"""``from d2lmomentum import jax as d2l``: d2l's helpers for the momentum chapter's JAX cells, on
JAX only. The implementation is :mod:`d2lmomentum.dropin.jax` (see :mod:`d2lmomentum.dropin` for
what differs from d2l on purpose); a d2l name it lacks raises
:class:`~d2lmomentum.dropin.missing.MissingNameError`."""
from d2lmomentum.dropin.jax import *  # noqa: F401,F403
from d2lmomentum.dropin.jax import __all__  # noqa: F401
from d2lmomentum.dropin.missing import module_getattr as _module_getattr

__getattr__ = _module_getattr(__name__)
