"""``from d2lmomentum import mxnet as d2l``: d2l 1.0.3's helpers for the chapters of
``chapter_optimization``, on MXNet only. The implementation is
:mod:`d2lmomentum.dropin.mxnet` (see :mod:`d2lmomentum.dropin` for what differs from d2l on
purpose); a d2l name it lacks raises :class:`~d2lmomentum.dropin.missing.MissingNameError`."""
from d2lmomentum.dropin.mxnet import *  # noqa: F401,F403
from d2lmomentum.dropin.mxnet import __all__  # noqa: F401
from d2lmomentum.dropin.missing import module_getattr as _module_getattr

__getattr__ = _module_getattr(__name__)
