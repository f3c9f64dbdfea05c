"""d2l's tensor aliases compute what NumPy does, called as the chapters call them."""
import numpy as np
import pytest

#: The elementwise functions of the chapters, each with NumPy's counterpart.
ELEMENTWISE = {"cos": np.cos, "sin": np.sin, "cosh": np.cosh, "sinh": np.sinh, "tanh": np.tanh, "exp": np.exp}


def test_elementwise_functions_match_numpy(d2l):
    _, module = d2l
    x = module.arange(-2.0, 2.0, 0.25)
    expected_x = np.arange(-2.0, 2.0, 0.25)
    np.testing.assert_allclose(module.numpy(x), expected_x)
    for name, reference in ELEMENTWISE.items():
        np.testing.assert_allclose(module.numpy(getattr(module, name)(x)), reference(expected_x), rtol=1e-6,
                                   err_msg=name)


def test_tensor_linspace_and_meshgrid_as_the_chapters_use_them(d2l):
    framework, module = d2l
    c = module.tensor(0.15 * np.pi)
    np.testing.assert_allclose(float(module.cos(c * 2.0)), np.cos(0.3 * np.pi), rtol=1e-6)
    np.testing.assert_array_equal(module.numpy(module.tensor([-1.5, 1])), [-1.5, 1.0])
    a, b = module.linspace(-1.0, 1.0, 5), module.linspace(-1.0, 0.0, 3)
    np.testing.assert_allclose(module.numpy(a), np.linspace(-1, 1, 5))
    x, y = module.meshgrid(a, b)
    # d2l's aliases: torch.meshgrid indexes 'ij'; TensorFlow's and MXNet's follow NumPy's 'xy'
    indexing = "ij" if framework == "pytorch" else "xy"
    ex, ey = np.meshgrid(np.linspace(-1, 1, 5), np.linspace(-1, 0, 3), indexing=indexing)
    np.testing.assert_allclose(module.numpy(x), ex)
    np.testing.assert_allclose(module.numpy(y), ey)


def test_zeros_reshape_matmul_and_normal(d2l):
    framework, module = d2l
    assert module.numpy(module.zeros((3, 1))).tolist() == [[0.0]] * 3
    X = module.reshape(module.arange(6.0), (2, 3))
    np.testing.assert_array_equal(module.numpy(module.matmul(X, module.reshape(module.arange(3.0), (3, 1)))),
                                  np.arange(6.0).reshape(2, 3) @ np.arange(3.0).reshape(3, 1))
    # each framework's own argument order, as its chapter cells call it
    shape, n = (400, 50), 400 * 50
    if framework == "tensorflow":
        sample = module.normal(list(shape), 2.0, 3.0)
    else:
        sample = module.normal(2.0, 3.0, shape)
    values = module.numpy(sample)
    assert values.shape == shape
    assert abs(values.mean() - 2.0) < 5 * 3.0 / np.sqrt(n) and abs(values.std() - 3.0) < 0.05 * 3.0


@pytest.mark.parametrize("value", [0.5, -2.0])
def test_numpy_detaches(value):
    from d2lmomentum import torch as d2l
    import torch
    x = torch.tensor([value], requires_grad=True)
    assert d2l.numpy(x * 2).tolist() == [2 * value]
