"""The named training configurations: one table that drives the parity harness, the fast-path
tests (each adapter's update against :func:`d2lmomentum.rule.momentum_update`) and the property
tests. Momenta 0, 0.01, 0.1, 0.5 and 0.9, plain and Nesterov, at the chapter's learning rates."""
import dataclasses

#: The parity tolerance per dtype: float32's few roundings per step accumulate to ~1e-7 over 300
#: steps; float64's to ~1e-15.
TOLERANCE = {"float32": 1e-5, "float64": 1e-10}


@dataclasses.dataclass(frozen=True)
class Config:
    """A named training configuration: learning rate, momentum, Nesterov, epochs."""
    name: str
    lr: float
    momentum: float
    nesterov: bool = False
    num_epochs: int = 2


CONFIGS = (
    Config("sgd-lr0.02", 0.02, 0.0),
    Config("sgd-lr0.05", 0.05, 0.0),
    Config("mom0.01-lr0.05", 0.05, 0.01),
    Config("mom0.1-lr0.05", 0.05, 0.1),
    Config("mom0.5-lr0.02", 0.02, 0.5),
    Config("mom0.5-lr0.05", 0.05, 0.5),
    Config("mom0.9-lr0.005", 0.005, 0.9),
    Config("mom0.9-lr0.02", 0.02, 0.9),
    Config("nesterov0.1-lr0.05", 0.05, 0.1, nesterov=True),
    Config("nesterov0.5-lr0.02", 0.02, 0.5, nesterov=True),
    Config("nesterov0.9-lr0.005", 0.005, 0.9, nesterov=True),
    Config("nesterov0.9-lr0.05", 0.05, 0.9, nesterov=True, num_epochs=3),
)
