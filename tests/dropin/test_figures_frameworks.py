"""Older d2l editions (0.17, as d2l-ko and d2l-zh are) hand framework arrays straight to
matplotlib: ``d2l.plt`` and the drop-in's plotting helpers take MXNet, PyTorch, TensorFlow and
JAX arrays as matplotlib takes NumPy's, and draw what NumPy's arrays draw."""
import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as pyplot  # noqa: E402

from d2lmomentum.dropin.figures import as_numpy_args  # noqa: E402
from d2lmomentum.dropin.trace2d import trace_grid  # noqa: E402

GRID = np.meshgrid(np.arange(-2.0, 1.0, 0.25, dtype=np.float32), np.arange(-1.0, 1.0, 0.25, dtype=np.float32))


def _f(x1, x2):
    return x1 ** 2 + 2 * x2 ** 2


def _drawn(contours):
    return contours.levels, [p.vertices for p in contours.get_paths()]


def _oracle():
    """What matplotlib draws from the NumPy grid."""
    levels, paths = _drawn(pyplot.contour(GRID[0], GRID[1], _f(*GRID)))
    pyplot.close("all")
    return levels, paths


def _assert_same_drawing(drawn, expected):
    np.testing.assert_array_equal(drawn[0], expected[0])
    assert len(drawn[1]) == len(expected[1])
    for a, b in zip(drawn[1], expected[1]):
        np.testing.assert_array_equal(a, b)


def test_plt_contour_takes_each_frameworks_arrays(d2l):
    name, module = d2l
    x1, x2 = (module.tensor(g) for g in GRID)
    z = _f(x1, x2)
    assert type(z).__module__.partition(".")[0] in ("mxnet", "torch", "tensorflow", "jaxlib", "jax")  # not NumPy's
    _assert_same_drawing(_drawn(module.plt.contour(x1, x2, z)), _oracle())
    module.plt.close("all")


def test_plt_functions_take_lists_tuples_and_keywords_of_framework_arrays(d2l):
    _, module = d2l
    x = module.tensor(GRID[0][0])
    module.plt.plot([x[0], x[1], x[2]], (x[0] * 2, x[1] * 2, x[2] * 2), "-o")
    collection = module.plt.scatter(x=x, y=x * 3)
    ax = module.plt.gca()
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), GRID[0][0][:3])
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), GRID[0][0][:3] * 2)
    np.testing.assert_array_equal(collection.get_offsets(), np.stack([GRID[0][0], GRID[0][0] * 3], axis=1))
    module.plt.close("all")


def test_a_torch_tensor_that_needs_a_gradient_is_plotted():
    import torch
    from d2lmomentum import torch as d2l
    x = torch.arange(4.0, requires_grad=True)
    with pytest.raises((RuntimeError, TypeError)):
        pyplot.plot(x * 2)  # matplotlib alone refuses it
    pyplot.close("all")
    (line,) = d2l.plt.plot(x * 2)
    np.testing.assert_array_equal(line.get_ydata(), [0.0, 2.0, 4.0, 6.0])
    d2l.plt.close("all")


def test_jax_arrays_are_numpys_to_d2l_plt():
    import jax.numpy as jnp
    from d2lmomentum import torch as d2l
    x1, x2 = jnp.asarray(GRID[0]), jnp.asarray(GRID[1])
    assert isinstance(as_numpy_args(x1), np.ndarray)
    _assert_same_drawing(_drawn(d2l.plt.contour(x1, x2, _f(x1, x2))), _oracle())
    d2l.plt.close("all")


def test_what_is_not_an_array_passes_unchanged():
    for value in ("-o", ["a", "b"], {"color": "red"}, 3, None, (1, 2.5)):
        assert as_numpy_args(value) == value
    array = np.arange(3)
    assert as_numpy_args(array) is array


def test_show_trace_2d_takes_an_objective_that_returns_framework_arrays(d2l):
    _, module = d2l
    module.show_trace_2d(lambda a, b: module.tensor(_f(a, b)), [(-5.0, -2.0), (-4.0, -1.0)])
    contours = next(c for c in module.plt.gca().collections if hasattr(c, "levels"))
    grid = trace_grid()
    expected = pyplot.figure().gca().contour(*grid, _f(*grid))
    np.testing.assert_allclose(contours.levels, expected.levels)
    module.plt.close("all")


def test_animator_and_plot_take_framework_scalars(d2l):
    _, module = d2l
    animator = module.Animator(xlabel="epoch", xlim=[module.tensor(0.0), module.tensor(2.0)], legend=["a", "b"])
    animator.add(module.tensor(1.0), (module.tensor(0.5), None))
    animator.add(2.0, [module.tensor(0.25), module.tensor(0.75)])
    assert animator.X == [[1.0, 2.0], [2.0]] and animator.Y == [[0.5, 0.25], [0.75]]
    assert animator.axes[0].get_xlim() == (0.0, 2.0)
    module.plt.close("all")
