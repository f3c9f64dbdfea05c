"""d2l's figure helpers and timer: ``plot`` takes each framework's tensors (and lists of 0-d
tensors, as gd's ``show_trace`` passes), ``Animator`` keeps the series it is given, ``Timer``
sums and accumulates."""
import time

import numpy as np


def test_plot_takes_each_frameworks_tensors(d2l):
    _, module = d2l
    x = module.arange(5)
    module.plot(x, [x * 2, x * 3], "x", "y", legend=["a", "b"])
    ax = module.plt.gca()
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), np.arange(5) * 3)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x", "y")
    module.plt.close("all")


def test_plot_takes_lists_of_scalar_tensors(d2l):
    _, module = d2l
    line = module.arange(-1.0, 1.0, 0.5)
    points = [2.0, 1.0, 0.5]
    square = lambda v: v * v  # noqa: E731
    module.plot([line, points], [[square(v) for v in line], [square(v) for v in points]], "x", "f(x)",
                fmts=["-", "-o"])
    ax = module.plt.gca()
    np.testing.assert_allclose(ax.lines[0].get_ydata(), np.arange(-1.0, 1.0, 0.5) ** 2)
    np.testing.assert_allclose(ax.lines[1].get_xdata(), points)
    assert ax.lines[1].get_marker() == "o"
    module.plt.close("all")


def test_animator_keeps_each_series_and_skips_none(d2l):
    _, module = d2l
    animator = module.Animator(xlabel="epoch", xlim=[0, 2], legend=["train", "test"])
    for epoch, values in [(0.5, (0.9, None)), (1.0, (0.7, 0.8)), (1.5, (0.6, None)), (2.0, (0.5, 0.6))]:
        animator.add(epoch, values)
    assert animator.X == [[0.5, 1.0, 1.5, 2.0], [1.0, 2.0]]
    assert animator.Y == [[0.9, 0.7, 0.6, 0.5], [0.8, 0.6]]
    np.testing.assert_array_equal(animator.axes[0].lines[1].get_ydata(), [0.8, 0.6])
    module.plt.close("all")


def test_timer_sums_and_accumulates(d2l):
    _, module = d2l
    timer = module.Timer()
    for pause in (0.01, 0.02):
        timer.start()
        time.sleep(pause)
        timer.stop()
    assert len(timer.times) == 2 and timer.times[0] >= 0.01 and timer.times[1] >= 0.02
    np.testing.assert_allclose(timer.cumsum(), np.cumsum(timer.times))
    assert timer.sum() == sum(timer.times) and timer.avg() == sum(timer.times) / 2
