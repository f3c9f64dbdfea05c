"""Figures in d2l's style. matplotlib is imported here, on the first figure drawn."""

#: d2l's y-range for the airfoil loss curves (``train_ch11``'s ``Animator``).
LOSS_YLIM = (0.22, 0.35)


def plt():
    import matplotlib.pyplot as pyplot
    return pyplot


def set_figsize(figsize=(3.5, 2.5)):
    """Set matplotlib's default figure size, as ``d2l.set_figsize``."""
    plt().rcParams["figure.figsize"] = figsize


def plot_loss_curve(epochs, losses, num_epochs, ylim=None, ax=None, label=None):
    """The ``train_ch11`` figure: loss against epoch, x from 0 to ``num_epochs``, y in ``ylim``
    (default :data:`LOSS_YLIM`)."""
    pyplot = plt()
    if ax is None:
        _, ax = pyplot.subplots(figsize=pyplot.rcParams["figure.figsize"])
    ax.plot(epochs, losses, "-", label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_xlim(0, num_epochs)
    ax.set_ylim(*(ylim or LOSS_YLIM))
    ax.grid(True)
    if label:
        ax.legend()
    return ax
